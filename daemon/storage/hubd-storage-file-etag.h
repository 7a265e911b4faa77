/* hubd-storage-file-etag.h: the file backend's etags, SHA-256s cached in an extended attribute */
#pragma once

#include <gio/gio.h>
#include <nettle/sha2.h>
#include <sys/stat.h>

G_BEGIN_DECLS

/* Finishes `ctx` into `out`, lowercase hex. */
void
hubd_storage_file_sha256_hex(struct sha256_ctx *ctx, gchar out[SHA256_DIGEST_SIZE * 2 + 1]);
/* Caches `hex` as the etag of the open file `fd` as `st` describes it. */
void
hubd_storage_file_etag_store(gint fd, const gchar *hex, const struct stat *st);
/* The etag of the open regular file `fd`: cached, or hashed now (and cached). */
gchar *
hubd_storage_file_etag_of(gint fd,
			  const struct stat *st,
			  const gchar *path,
			  GCancellable *cancellable,
			  GError **error);

G_END_DECLS
