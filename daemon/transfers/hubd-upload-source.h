/* hubd-upload-source.h: HubdUploadSource, where an upload reads a file's
 * bytes from — a local file, or an object of a storage backend (file://,
 * s3://) — so upload bodies stream from either without a local copy */
#pragma once

#include <gio/gio.h>

#include "hubd-hash.h"
#include "hubd-storage.h"

G_BEGIN_DECLS

typedef struct _HubdUploadSource HubdUploadSource;

HubdUploadSource *
hubd_upload_source_new_local(const gchar *path);
/* `key` of `storage`; call on the thread whose main context runs the
 * storage's tasks (the daemon's main thread): opens are sent there. */
HubdUploadSource *
hubd_upload_source_new_storage(HubdStorage *storage, const gchar *key);
HubdUploadSource *
hubd_upload_source_ref(HubdUploadSource *self);
void
hubd_upload_source_unref(HubdUploadSource *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdUploadSource, hubd_upload_source_unref)

/* The path, or NAME/KEY, for messages. */
const gchar *
hubd_upload_source_describe(HubdUploadSource *self);
/* Blocking, for worker threads (or the storage's thread when no loop runs
 * there): a stream over [offset, offset + length) of the source. */
GInputStream *
hubd_upload_source_open(HubdUploadSource *self,
			guint64 offset,
			guint64 length,
			GCancellable *cancellable,
			GError **error);

/* Hashes the source's `size` bytes in a worker thread, as
 * hubd_hash_file_async() does a local file (a storage object is read once,
 * streamed, for it; nothing is written anywhere). */
void
hubd_upload_source_hash_async(HubdUploadSource *self,
			      guint64 size,
			      HubdHashFlags flags,
			      HubdHashProgressFunc progress,
			      gpointer progress_data,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
gboolean
hubd_upload_source_hash_finish(GAsyncResult *result, HubdFileHash *out, GError **error);

G_END_DECLS
