/* hubd-s3-multipart.h: S3's multipart calls, on bytes in memory (one part each) */
#pragma once

#include "hubd-s3-storage.h"

G_BEGIN_DECLS

/* CreateMultipartUpload of `key` (the caller's key): the upload id. */
void
hubd_s3_multipart_begin_async(HubdS3Storage *self,
			      const gchar *key,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
gchar *
hubd_s3_multipart_begin_finish(HubdS3Storage *self, GAsyncResult *result, GError **error);

/* UploadPart: `data` (whose SHA-256 is `sha256`) as part `number`,
 * retried as any request. */
void
hubd_s3_multipart_upload_async(HubdS3Storage *self,
			       const gchar *key,
			       const gchar *upload_id,
			       guint number,
			       GBytes *data,
			       const gchar *sha256,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
HubdStoragePart *
hubd_s3_multipart_upload_finish(HubdS3Storage *self, GAsyncResult *result, GError **error);

/* CompleteMultipartUpload, then a head for the object's description. */
void
hubd_s3_multipart_complete_async(HubdS3Storage *self,
				 const gchar *key,
				 const gchar *upload_id,
				 GPtrArray *parts,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
HubdStorageObject *
hubd_s3_multipart_complete_finish(HubdS3Storage *self, GAsyncResult *result, GError **error);

/* AbortMultipartUpload. */
void
hubd_s3_multipart_abort_async(HubdS3Storage *self,
			      const gchar *key,
			      const gchar *upload_id,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
gboolean
hubd_s3_multipart_abort_finish(HubdS3Storage *self, GAsyncResult *result, GError **error);

/* Reads exactly `length` bytes of `stream` in a worker thread, with their
 * SHA-256 (`sha256`): fewer is InvalidArgument naming `key`, unless
 * `short_ok` (then the bytes that were there). */
void
hubd_s3_read_bytes_async(GInputStream *stream,
			 gsize length,
			 gboolean short_ok,
			 const gchar *key,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
GBytes *
hubd_s3_read_bytes_finish(GAsyncResult *result, gchar **sha256, GError **error);

G_END_DECLS
