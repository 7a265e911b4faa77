/* hubd-s3-multipart.c: CreateMultipartUpload, UploadPart, CompleteMultipartUpload and
 * AbortMultipartUpload (S3 API reference), and the HubdStorage multipart vfuncs on them */
#define G_LOG_DOMAIN "HubdS3"

#include "hubd-s3-multipart.h"

#include <glib/gi18n.h>

#include "hubd-s3-error.h"
#include "hubd-s3-journal.h"
#include "hubd-s3-sigv4.h"
#include "hubd-s3-xml.h"

static HubdS3Request *
upload_request(HubdS3Storage *self, const gchar *method, const gchar *key, const gchar *upload_id)
{
	g_autofree gchar *full = hubd_s3_config_full_key(hubd_s3_storage_get_config(self), key);
	HubdS3Request *req = hubd_s3_request_new(method, full, key);

	if (upload_id != NULL)
		hubd_s3_request_add_query(req, "uploadId", upload_id);
	else
		hubd_s3_request_add_query(req, "uploads", "");
	return req;
}

/* ---- begin ---- */

static void
begun_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GBytes) answer = NULL;
	g_autoptr(GHashTable) fields = NULL;
	g_autofree gchar *root = NULL;
	GError *error = NULL;
	g_autoptr(GInputStream) stream =
		hubd_s3_storage_request_finish(HUBD_S3_STORAGE(source), res, NULL, &answer, &error);
	const gchar *id;

	if (stream == NULL || !hubd_s3_xml_read(answer, NULL, &root, &fields, NULL, &error)) {
		g_task_return_error(task, error);
		return;
	}
	id = g_hash_table_lookup(fields, "UploadId");
	if (g_strcmp0(root, "InitiateMultipartUploadResult") != 0 || id == NULL || id[0] == '\0') {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The S3 server began a multipart upload without an "
					  "upload id"));
		return;
	}
	hubd_s3_journal_add(HUBD_S3_STORAGE(source), g_task_get_task_data(task), id);
	g_task_return_pointer(task, g_strdup(id), g_free);
}

void
hubd_s3_multipart_begin_async(HubdS3Storage *self,
			      const gchar *key,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_s3_multipart_begin_async);
	g_task_set_task_data(task, g_strdup(key), g_free);
	hubd_s3_storage_request_async(self,
				      upload_request(self, "POST", key, NULL),
				      TRUE,
				      cancellable,
				      begun_cb,
				      g_steal_pointer(&task));
}

gchar *
hubd_s3_multipart_begin_finish(HubdS3Storage *self, GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

/* ---- upload a part ---- */

static void
uploaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(SoupMessage) msg = NULL;
	GError *error = NULL;
	g_autoptr(GInputStream) stream =
		hubd_s3_storage_request_finish(HUBD_S3_STORAGE(source), res, &msg, NULL, &error);
	g_autofree gchar *etag = NULL;

	if (stream == NULL) {
		g_task_return_error(task, error);
		return;
	}
	etag = hubd_s3_xml_unquote_etag(
		soup_message_headers_get_one(soup_message_get_response_headers(msg), "ETag"));
	if (etag[0] == '\0') {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The S3 server took a part without giving its ETag"));
		return;
	}
	g_task_return_pointer(
		task,
		hubd_storage_part_new(GPOINTER_TO_UINT(g_task_get_task_data(task)), etag),
		(GDestroyNotify)hubd_storage_part_unref);
}

void
hubd_s3_multipart_upload_async(HubdS3Storage *self,
			       const gchar *key,
			       const gchar *upload_id,
			       guint number,
			       GBytes *data,
			       const gchar *sha256,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	HubdS3Request *req = upload_request(self, "PUT", key, upload_id);
	g_autofree gchar *text = g_strdup_printf("%u", number);

	g_task_set_source_tag(task, hubd_s3_multipart_upload_async);
	g_task_set_task_data(task, GUINT_TO_POINTER(number), NULL);
	hubd_s3_request_add_query(req, "partNumber", text);
	hubd_s3_request_set_body(req, data, "application/octet-stream", sha256);
	hubd_s3_storage_request_async(self,
				      req,
				      TRUE,
				      cancellable,
				      uploaded_cb,
				      g_steal_pointer(&task));
}

HubdStoragePart *
hubd_s3_multipart_upload_finish(HubdS3Storage *self, GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

/* ---- complete ---- */

static void
completed_head_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	GError *error = NULL;
	HubdStorageObject *object = hubd_storage_head_finish(HUBD_STORAGE(source), res, &error);

	if (object == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, object, (GDestroyNotify)hubd_storage_object_unref);
}

static void
completed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	HubdS3Storage *self = HUBD_S3_STORAGE(source);
	g_autoptr(GBytes) answer = NULL;
	g_autofree gchar *code = NULL;
	g_autofree gchar *message = NULL;
	GError *error = NULL;
	g_autoptr(GInputStream) stream =
		hubd_s3_storage_request_finish(self, res, NULL, &answer, &error);

	if (stream == NULL) {
		g_task_return_error(task, error);
		return;
	}
	/* S3 may answer 200 and then an error in the body */
	if (!hubd_s3_xml_read_error(answer, &code, &message))
		hubd_s3_journal_remove(self, g_object_get_data(G_OBJECT(task), "upload-id"));
	else {
		g_task_return_error(task,
				    hubd_s3_error_new(hubd_s3_storage_get_config(self),
						      200,
						      code,
						      message,
						      g_task_get_task_data(task)));
		return;
	}
	{
		GCancellable *cancellable = g_task_get_cancellable(task);
		const gchar *key = g_task_get_task_data(task);
		hubd_storage_head_async(HUBD_STORAGE(self),
					key,
					cancellable,
					completed_head_cb,
					g_steal_pointer(&task));
	}
}

void
hubd_s3_multipart_complete_async(HubdS3Storage *self,
				 const gchar *key,
				 const gchar *upload_id,
				 GPtrArray *parts,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	HubdS3Request *req = upload_request(self, "POST", key, upload_id);
	GString *xml = g_string_new("<CompleteMultipartUpload>");
	g_autoptr(GBytes) body = NULL;

	for (guint i = 0; i < parts->len; i++) {
		HubdStoragePart *part = g_ptr_array_index(parts, i);
		g_autofree gchar *etag = hubd_s3_xml_escape(hubd_storage_part_get_etag(part));
		g_string_append_printf(
			xml,
			"<Part><PartNumber>%u</PartNumber><ETag>\"%s\"</ETag></Part>",
			hubd_storage_part_get_number(part),
			etag);
	}
	g_string_append(xml, "</CompleteMultipartUpload>");
	body = g_string_free_to_bytes(xml);
	g_task_set_source_tag(task, hubd_s3_multipart_complete_async);
	g_object_set_data_full(G_OBJECT(task), "upload-id", g_strdup(upload_id), g_free);
	g_task_set_task_data(task, g_strdup(key), g_free);
	hubd_s3_request_set_body(req, body, "application/xml", NULL);
	hubd_s3_storage_request_async(self,
				      req,
				      TRUE,
				      cancellable,
				      completed_cb,
				      g_steal_pointer(&task));
}

HubdStorageObject *
hubd_s3_multipart_complete_finish(HubdS3Storage *self, GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

/* ---- abort ---- */

static void
aborted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	GError *error = NULL;
	g_autoptr(GInputStream) stream =
		hubd_s3_storage_request_finish(HUBD_S3_STORAGE(source), res, NULL, NULL, &error);

	/* NoSuchUpload: gone already (an earlier attempt whose answer was lost, or
	 * a lifecycle rule), so there is nothing left to abort later either */
	if (stream == NULL && !g_error_matches(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND)) {
		g_task_return_error(task, error);
		return;
	}
	hubd_s3_journal_remove(HUBD_S3_STORAGE(source),
			       g_object_get_data(G_OBJECT(task), "upload-id"));
	if (stream == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

void
hubd_s3_multipart_abort_async(HubdS3Storage *self,
			      const gchar *key,
			      const gchar *upload_id,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_s3_multipart_abort_async);
	g_object_set_data_full(G_OBJECT(task), "upload-id", g_strdup(upload_id), g_free);
	hubd_s3_storage_request_async(self,
				      upload_request(self, "DELETE", key, upload_id),
				      TRUE,
				      cancellable,
				      aborted_cb,
				      g_steal_pointer(&task));
}

gboolean
hubd_s3_multipart_abort_finish(HubdS3Storage *self, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- reading a part's bytes ---- */

typedef struct {
	gsize length;
	gboolean short_ok;
	gchar *key;
	gchar *sha256; /* of what was read */
} Read;

static void
read_free(Read *r)
{
	g_free(r->key);
	g_free(r->sha256);
	g_free(r);
}

/* Blocking reads, as the storage contract allows for a caller's stream, and
 * the hash with them: none of it on the main loop. */
static void
read_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	Read *r = task_data;
	guint8 *buf = g_malloc(MAX(r->length, 1));
	GError *error = NULL;
	gsize got = 0;

	if (!g_input_stream_read_all(G_INPUT_STREAM(source),
				     buf,
				     r->length,
				     &got,
				     cancellable,
				     &error)) {
		g_free(buf);
		g_task_return_error(task, error);
		return;
	}
	if (got < r->length && !r->short_ok) {
		g_free(buf);
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("The stream for “%s” ended after %" G_GSIZE_FORMAT
					  " of the %" G_GSIZE_FORMAT " bytes announced"),
					r->key,
					got,
					r->length);
		return;
	}
	r->sha256 = hubd_s3_sha256_hex(buf, got);
	g_task_return_pointer(task, g_bytes_new_take(buf, got), (GDestroyNotify)g_bytes_unref);
}

void
hubd_s3_read_bytes_async(GInputStream *stream,
			 gsize length,
			 gboolean short_ok,
			 const gchar *key,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(stream, cancellable, callback, user_data);
	Read *r = g_new0(Read, 1);

	r->length = length;
	r->short_ok = short_ok;
	r->key = g_strdup(key);
	g_task_set_source_tag(task, hubd_s3_read_bytes_async);
	g_task_set_task_data(task, r, (GDestroyNotify)read_free);
	g_task_run_in_thread(task, read_thread);
}

GBytes *
hubd_s3_read_bytes_finish(GAsyncResult *result, gchar **sha256, GError **error)
{
	Read *r = g_task_get_task_data(G_TASK(result));
	GBytes *bytes = g_task_propagate_pointer(G_TASK(result), error);

	if (bytes != NULL && sha256 != NULL)
		*sha256 = g_steal_pointer(&r->sha256);
	return bytes;
}

/* ---- the vfuncs ---- */

static void
vf_begin_async(HubdStorage *storage,
	       const gchar *key,
	       GCancellable *cancellable,
	       GAsyncReadyCallback callback,
	       gpointer user_data)
{
	hubd_s3_multipart_begin_async(HUBD_S3_STORAGE(storage),
				      key,
				      cancellable,
				      callback,
				      user_data);
}

static gchar *
vf_begin_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return hubd_s3_multipart_begin_finish(HUBD_S3_STORAGE(storage), result, error);
}

typedef struct {
	gchar *key;
	gchar *upload_id;
	guint number;
} PutPart;

static void
put_part_free(PutPart *p)
{
	g_free(p->key);
	g_free(p->upload_id);
	g_free(p);
}

static void
part_uploaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	GError *error = NULL;
	HubdStoragePart *part =
		hubd_s3_multipart_upload_finish(HUBD_S3_STORAGE(source), res, &error);

	if (part == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, part, (GDestroyNotify)hubd_storage_part_unref);
}

static void
part_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	PutPart *p = g_task_get_task_data(task);
	GError *error = NULL;
	g_autofree gchar *sha256 = NULL;
	g_autoptr(GBytes) data = hubd_s3_read_bytes_finish(res, &sha256, &error);

	if (data == NULL) {
		g_task_return_error(task, error);
		return;
	}
	{
		GCancellable *cancellable = g_task_get_cancellable(task);
		HubdS3Storage *self = g_task_get_source_object(task);
		hubd_s3_multipart_upload_async(self,
					       p->key,
					       p->upload_id,
					       p->number,
					       data,
					       sha256,
					       cancellable,
					       part_uploaded_cb,
					       g_steal_pointer(&task));
	}
}

/* A caller's part is read whole first: its hash signs it, and a retry
 * sends it again. */
static void
vf_put_part_async(HubdStorage *storage,
		  const gchar *key,
		  const gchar *upload_id,
		  guint part_number,
		  GInputStream *stream,
		  gint64 length,
		  GCancellable *cancellable,
		  GAsyncReadyCallback callback,
		  gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(storage, cancellable, callback, user_data);
	PutPart *p = g_new0(PutPart, 1);

	p->key = g_strdup(key);
	p->upload_id = g_strdup(upload_id);
	p->number = part_number;
	g_task_set_source_tag(task, vf_put_part_async);
	g_task_set_task_data(task, p, (GDestroyNotify)put_part_free);
	hubd_s3_read_bytes_async(stream,
				 (gsize)length,
				 FALSE,
				 key,
				 cancellable,
				 part_read_cb,
				 g_steal_pointer(&task));
}

static HubdStoragePart *
vf_put_part_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
vf_complete_async(HubdStorage *storage,
		  const gchar *key,
		  const gchar *upload_id,
		  GPtrArray *parts,
		  GCancellable *cancellable,
		  GAsyncReadyCallback callback,
		  gpointer user_data)
{
	hubd_s3_multipart_complete_async(HUBD_S3_STORAGE(storage),
					 key,
					 upload_id,
					 parts,
					 cancellable,
					 callback,
					 user_data);
}

static HubdStorageObject *
vf_complete_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return hubd_s3_multipart_complete_finish(HUBD_S3_STORAGE(storage), result, error);
}

static void
vf_abort_async(HubdStorage *storage,
	       const gchar *key,
	       const gchar *upload_id,
	       GCancellable *cancellable,
	       GAsyncReadyCallback callback,
	       gpointer user_data)
{
	hubd_s3_multipart_abort_async(HUBD_S3_STORAGE(storage),
				      key,
				      upload_id,
				      cancellable,
				      callback,
				      user_data);
}

static gboolean
vf_abort_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return hubd_s3_multipart_abort_finish(HUBD_S3_STORAGE(storage), result, error);
}

void
hubd_s3_storage_multipart_iface_init(HubdStorageInterface *iface)
{
	iface->multipart_begin_async = vf_begin_async;
	iface->multipart_begin_finish = vf_begin_finish;
	iface->multipart_put_part_async = vf_put_part_async;
	iface->multipart_put_part_finish = vf_put_part_finish;
	iface->multipart_complete_async = vf_complete_async;
	iface->multipart_complete_finish = vf_complete_finish;
	iface->multipart_abort_async = vf_abort_async;
	iface->multipart_abort_finish = vf_abort_finish;
}
