/* hubd-s3-storage.h: HubdS3Storage, the s3:// backend of HubdStorage */
#pragma once

#include "hubd-plugin.h"
#include "hubd-s3-config.h"
#include "hubd-s3-request.h"

G_BEGIN_DECLS

#define HUBD_TYPE_S3_STORAGE (hubd_s3_storage_get_type())
G_DECLARE_FINAL_TYPE(HubdS3Storage, hubd_s3_storage, HUBD, S3_STORAGE, GObject)

/* Registers the type with the plugin's module and on the storage extension
 * point as "s3". */
void
hubd_s3_storage_register(GTypeModule *module);

/* The vfuncs (hubd-s3-storage-ops.c, hubd-s3-put.c). */
void
hubd_s3_storage_iface_init(HubdStorageInterface *iface);
void
hubd_s3_storage_multipart_iface_init(HubdStorageInterface *iface);
void
hubd_s3_storage_delete_iface_init(HubdStorageInterface *iface);
void
hubd_s3_storage_put_async(HubdStorage *storage,
			  const gchar *key,
			  GInputStream *stream,
			  gint64 length,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
HubdStorageObject *
hubd_s3_storage_put_finish(HubdStorage *storage, GAsyncResult *result, GError **error);

const HubdS3Config *
hubd_s3_storage_get_config(HubdS3Storage *self);

/* Sends `req` (taken) once the credentials are loaded (the first request
 * loads them). With `fetch` the answer's body is read whole into `answer`;
 * otherwise its stream is returned. */
void
hubd_s3_storage_request_async(HubdS3Storage *self,
			      HubdS3Request *req,
			      gboolean fetch,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
GInputStream *
hubd_s3_storage_request_finish(HubdS3Storage *self,
			       GAsyncResult *result,
			       SoupMessage **msg,
			       GBytes **answer,
			       GError **error);

G_END_DECLS
