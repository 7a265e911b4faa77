/* hubd-storage-mirror.h: the mirror layout — where a repo's files live in a storage backend */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The key of a blob in a mirror (docs/storage.md, "The mirror layout"):
 * {models|datasets|spaces}/{namespace}/{name}/blobs/{etag}. `repo_type` is
 * "model", "dataset" or "space"; `etag` is the Hub's normalised ETag: 64
 * lowercase hex digits (the SHA-256 of an LFS file) or 40 (the git blob SHA-1
 * of a regular file). Anything else is HUBD_ERROR_INVALID_ARGUMENT, a repo id
 * without a namespace too: legacy ids such as "gpt2" have no place in the
 * layout (the Hub now names them under an organisation). */
gchar *
hubd_storage_mirror_blob_key(const gchar *repo_type,
			     const gchar *repo_id,
			     const gchar *etag,
			     GError **error);

G_END_DECLS
