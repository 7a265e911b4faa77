/* hubd-storage-file-multipart.h: the file backend's multipart puts */
#pragma once

#include "hubd-storage-file.h"

G_BEGIN_DECLS

/* The operations, run in worker threads (hubd-storage-file-tasks.c). */
gchar *
hubd_storage_file_multipart_begin(HubdStorageFile *self, const gchar *key, GError **error);
HubdStoragePart *
hubd_storage_file_multipart_put_part(HubdStorageFile *self,
				     const gchar *key,
				     const gchar *upload_id,
				     guint number,
				     GInputStream *stream,
				     gint64 length,
				     GCancellable *cancellable,
				     GError **error);
HubdStorageObject *
hubd_storage_file_multipart_complete(HubdStorageFile *self,
				     const gchar *key,
				     const gchar *upload_id,
				     GPtrArray *parts,
				     GCancellable *cancellable,
				     GError **error);
gboolean
hubd_storage_file_multipart_abort(HubdStorageFile *self,
				  const gchar *key,
				  const gchar *upload_id,
				  GError **error);

G_END_DECLS
