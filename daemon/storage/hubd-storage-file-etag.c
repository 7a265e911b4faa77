/* hubd-storage-file-etag.c: etags, the SHA-256 of the content cached in an extended attribute */
#define G_LOG_DOMAIN "HubdStorageFile"

#include "hubd-storage-file-etag.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <nettle/base16.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "hubd-sha256-blocks.h"
#include "hubd-storage-file-io.h"
#include "hubd-storage-file.h"

void
hubd_storage_file_sha256_hex(struct sha256_ctx *ctx, gchar out[SHA256_DIGEST_SIZE * 2 + 1])
{
	guint8 digest[SHA256_DIGEST_SIZE];

	sha256_digest(ctx, sizeof(digest), digest);
	base16_encode_update(out, sizeof(digest), digest); /* lowercase */
	out[BASE16_ENCODE_LENGTH(sizeof(digest))] = '\0';
}

/* The cached value: the hash and the size and mtime it was computed for, so
 * a file changed by something else than this backend is hashed again. */
static gchar *
etag_record(const gchar *hex, const struct stat *st)
{
	return g_strdup_printf("v1 %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %ld",
			       hex,
			       (gint64)st->st_size,
			       (gint64)st->st_mtim.tv_sec,
			       (long)st->st_mtim.tv_nsec);
}

void
hubd_storage_file_etag_store(gint fd, const gchar *hex, const struct stat *st)
{
	g_autofree gchar *record = etag_record(hex, st);

	/* best effort: without user xattrs (some network filesystems) the hash is
	 * computed again on every head and list */
	if (fsetxattr(fd, HUBD_STORAGE_FILE_ETAG_XATTR, record, strlen(record), 0) != 0)
		g_debug("cannot cache an etag: %s", g_strerror(errno));
}

static gchar *
etag_cached(gint fd, const struct stat *st)
{
	gchar value[256];
	gssize len = fgetxattr(fd, HUBD_STORAGE_FILE_ETAG_XATTR, value, sizeof(value) - 1);
	g_autofree gchar *expected = NULL;
	g_autofree gchar *hex = NULL;

	if (len < 3 + SHA256_DIGEST_SIZE * 2)
		return NULL;
	value[len] = '\0';
	hex = g_strndup(value + 3, SHA256_DIGEST_SIZE * 2);
	expected = etag_record(hex, st);
	if (g_strcmp0(value, expected) != 0)
		return NULL;
	return g_steal_pointer(&hex);
}

/* The etag of the open regular file `fd`: cached, or hashed now (and cached). */
gchar *
hubd_storage_file_etag_of(gint fd,
			  const struct stat *st,
			  const gchar *path,
			  GCancellable *cancellable,
			  GError **error)
{
	g_autofree guint8 *buffer = NULL;
	struct sha256_ctx ctx;
	gchar hex[SHA256_DIGEST_SIZE * 2 + 1];
	gchar *cached = etag_cached(fd, st);
	off_t offset = 0;

	if (cached != NULL)
		return cached;
	buffer = g_malloc(HUBD_STORAGE_FILE_COPY_BUFFER_SIZE);
	sha256_init(&ctx);
	for (;;) {
		gssize n;
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return NULL;
		n = pread(fd, buffer, HUBD_STORAGE_FILE_COPY_BUFFER_SIZE, offset);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			hubd_storage_file_set_errno_error(
				error,
				errsv,
				g_strdup_printf(_("Cannot read %s"), path));
			return NULL;
		}
		if (n == 0)
			break;
		hubd_sha256_blocks_update(&ctx, (gsize)n, buffer);
		offset += n;
	}
	hubd_storage_file_sha256_hex(&ctx, hex);
	if (offset == st->st_size)
		hubd_storage_file_etag_store(fd, hex, st);
	return g_strdup(hex);
}
