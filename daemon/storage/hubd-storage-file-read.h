/* hubd-storage-file-read.h: the file backend's get, head and list */
#pragma once

#include "hubd-storage-file.h"

G_BEGIN_DECLS

/* The operations, run in worker threads (hubd-storage-file-tasks.c). */
GInputStream *
hubd_storage_file_get(HubdStorageFile *self,
		      const gchar *key,
		      guint64 offset,
		      gint64 length,
		      HubdStorageObject **object_out,
		      GCancellable *cancellable,
		      GError **error);
HubdStorageObject *
hubd_storage_file_head(HubdStorageFile *self,
		       const gchar *key,
		       GCancellable *cancellable,
		       GError **error);
GPtrArray *
hubd_storage_file_list(HubdStorageFile *self,
		       const gchar *prefix,
		       const gchar *page_token,
		       guint max_keys,
		       gchar **next_page_token,
		       GCancellable *cancellable,
		       GError **error);

G_END_DECLS
