/* hubd-storage-file.h: HubdStorageFile, the built-in file:// storage backend — objects as plain
 * files in a folder */
#pragma once

#include "hubd-storage.h"

G_BEGIN_DECLS

/* The folder every backend keeps its own state in, under the root; keys in it
 * are refused and listings never show it. */
#define HUBD_STORAGE_FILE_RESERVED ".hubd-storage"

/* The extended attribute caching an object's SHA-256 (see docs/storage.md). */
#define HUBD_STORAGE_FILE_ETAG_XATTR "user.hubd.etag"

#define HUBD_TYPE_STORAGE_FILE (hubd_storage_file_get_type())
G_DECLARE_FINAL_TYPE(HubdStorageFile, hubd_storage_file, HUBD, STORAGE_FILE, GObject)

/* The folder the objects live in (the URL's path). */
const gchar *
hubd_storage_file_get_root(HubdStorageFile *self);

/* For the backend's own files (hubd-storage-file-*.c): what g_initable_init()
 * set, read-only afterwards, so worker threads share it. */
const gchar *
hubd_storage_file_get_name(HubdStorageFile *self);
/* ROOT/.hubd-storage/staging: temp files, renamed into place when whole */
const gchar *
hubd_storage_file_get_staging(HubdStorageFile *self);
/* ROOT/.hubd-storage/uploads: one folder per multipart upload */
const gchar *
hubd_storage_file_get_uploads(HubdStorageFile *self);
/* whether writes are synced before they are renamed into place */
gboolean
hubd_storage_file_get_fsync(HubdStorageFile *self);
/* The path of `key` (already valid), or NULL for a key in the reserved folder. */
gchar *
hubd_storage_file_path(HubdStorageFile *self, const gchar *key, GError **error);

G_END_DECLS
