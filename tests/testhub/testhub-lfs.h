/* testhub-lfs.h: pure pieces of the LFS batch / multipart logic (docs/hub-upload.md §3). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TESTHUB_LFS_MAX_OBJECTS 1000  /* per batch call (clients send ≤ 256) */
#define TESTHUB_LFS_MAX_PARTS   10000 /* S3's limit; bigger objects get bigger parts */

/* ceil(size / chunk_size); 0 when either is 0 */
guint64
testhub_lfs_part_count(guint64 size, guint64 chunk_size);

/* The part size the Hub hands out: `chunk_size`, grown so that no object needs
 * more than TESTHUB_LFS_MAX_PARTS parts. */
guint64
testhub_lfs_effective_chunk(guint64 size, guint64 chunk_size);

/* Etags compare without surrounding quotes and a W/ prefix (clients pass the
 * part's ETag header verbatim). */
gboolean
testhub_etag_equal(const gchar *a, const gchar *b);

/* Checks a completion body's "parts" against what was received: exactly
 * `n_parts` entries, partNumber 1..n in order, each part received
 * (`received_etags[i]` != NULL) with an equal etag. G_IO_ERROR_INVALID_DATA. */
gboolean
testhub_lfs_check_completion(JsonArray *parts,
			     guint n_parts,
			     gchar *const *received_etags,
			     GError **error);

G_END_DECLS
