/* hubd-s3-put.c: HubdStorage's put on S3: one PutObject up to the part size, a multipart
 * upload beyond it or when the length is unknown (parts in parallel, aborted on failure), so
 * that a failed put leaves nothing visible (docs/s3.md) */
#define G_LOG_DOMAIN "HubdS3"

#include <glib/gi18n.h>

#include "hubd-s3-multipart.h"
#include "hubd-s3-xml.h"

#define MiB (1024 * 1024)

typedef struct {
	gchar *key;
	GInputStream *stream;
	gint64 length;        /* -1: unknown */
	guint64 uniform_size; /* parts of a known length: all this long but the last */
	guint64 read;         /* bytes read so far */
	guint next;           /* the next part number to read */
	gboolean reading;
	gboolean eof;
	guint in_flight;
	gchar *upload_id;
	GBytes *first; /* the first chunk, held while the upload begins */
	gchar *first_sha256;
	GPtrArray *parts; /* HubdStoragePart, index number - 1 */
	GError *error;    /* the first failure */
} Put;

static void
put_free(Put *put)
{
	g_free(put->key);
	g_clear_object(&put->stream);
	g_free(put->upload_id);
	g_clear_pointer(&put->first, g_bytes_unref);
	g_free(put->first_sha256);
	g_clear_pointer(&put->parts, g_ptr_array_unref);
	g_clear_error(&put->error);
	g_free(put);
}

/* Parts arrive in any order: the slots of those still on the way are NULL. */
static void
part_slot_free(gpointer part)
{
	if (part != NULL)
		hubd_storage_part_unref(part);
}

static HubdS3Storage *
storage_of(GTask *task)
{
	return HUBD_S3_STORAGE(g_task_get_source_object(task));
}

static guint64
part_size(GTask *task, guint number)
{
	Put *put = g_task_get_task_data(task);

	if (put->length >= 0)
		return put->uniform_size;
	return hubd_s3_config_part_size(hubd_s3_storage_get_config(storage_of(task)), number);
}

static void
fail(Put *put, GError *error)
{
	if (put->error == NULL)
		put->error = error;
	else
		g_error_free(error);
}

/* ---- one PutObject ---- */

static void
single_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Put *put = g_task_get_task_data(task);
	g_autoptr(SoupMessage) msg = NULL;
	GError *error = NULL;
	g_autoptr(GInputStream) stream =
		hubd_s3_storage_request_finish(HUBD_S3_STORAGE(source), res, &msg, NULL, &error);
	g_autofree gchar *etag = NULL;
	g_autoptr(GDateTime) now = NULL;

	if (stream == NULL) {
		g_task_return_error(task, error);
		return;
	}
	etag = hubd_s3_xml_unquote_etag(
		soup_message_headers_get_one(soup_message_get_response_headers(msg), "ETag"));
	now = g_date_time_new_now_utc();
	g_task_return_pointer(task,
			      hubd_storage_object_new(put->key, put->read, etag, now),
			      (GDestroyNotify)hubd_storage_object_unref);
}

static void
put_single(GTask *task, GBytes *data, const gchar *sha256)
{
	Put *put = g_task_get_task_data(task);
	HubdS3Storage *self = storage_of(task);
	g_autofree gchar *full =
		hubd_s3_config_full_key(hubd_s3_storage_get_config(self), put->key);
	HubdS3Request *req = hubd_s3_request_new("PUT", full, put->key);

	hubd_s3_request_set_body(req, data, "application/octet-stream", sha256);
	hubd_s3_storage_request_async(self,
				      req,
				      TRUE,
				      g_task_get_cancellable(task),
				      single_done_cb,
				      task);
}

/* ---- multipart ---- */

static void
pump(GTask *task);

static void
aborted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Put *put = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	/* gone already: no part is kept, which is what the abort was for */
	if (!hubd_s3_multipart_abort_finish(HUBD_S3_STORAGE(source), res, &error) &&
	    g_error_matches(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND))
		g_debug("the multipart upload of %s is gone already: %s", put->key, error->message);
	else if (error != NULL)
		g_warning("the multipart upload of %s could not be aborted: %s; the bucket keeps "
			  "its parts until a lifecycle rule or an abort removes them",
			  put->key,
			  error->message);
	g_task_return_error(task, g_steal_pointer(&put->error));
}

static void
completed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Put *put = g_task_get_task_data(task);
	GError *error = NULL;
	HubdStorageObject *object =
		hubd_s3_multipart_complete_finish(HUBD_S3_STORAGE(source), res, &error);

	if (object == NULL) {
		fail(put, error);
		hubd_s3_multipart_abort_async(HUBD_S3_STORAGE(source),
					      put->key,
					      put->upload_id,
					      NULL,
					      aborted_cb,
					      g_steal_pointer(&task));
		return;
	}
	g_task_return_pointer(task, object, (GDestroyNotify)hubd_storage_object_unref);
}

/* Every part read and uploaded, or a failure and nothing in flight. */
static void
finish(GTask *task)
{
	Put *put = g_task_get_task_data(task);
	HubdS3Storage *self = storage_of(task);

	if (put->error != NULL) {
		/* cancelled or not, the upload goes: nothing of it may stay */
		hubd_s3_multipart_abort_async(self,
					      put->key,
					      put->upload_id,
					      NULL,
					      aborted_cb,
					      task);
		return;
	}
	hubd_s3_multipart_complete_async(self,
					 put->key,
					 put->upload_id,
					 put->parts,
					 g_task_get_cancellable(task),
					 completed_cb,
					 task);
}

static void
part_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Put *put = g_task_get_task_data(task);
	GError *error = NULL;
	HubdStoragePart *part =
		hubd_s3_multipart_upload_finish(HUBD_S3_STORAGE(source), res, &error);

	put->in_flight--;
	if (part == NULL) {
		fail(put, error);
	} else {
		guint index = hubd_storage_part_get_number(part) - 1;
		if (put->parts->len <= index)
			g_ptr_array_set_size(put->parts, (gint)index + 1);
		put->parts->pdata[index] = part;
	}
	pump(task);
}

static void
upload(GTask *task, guint number, GBytes *data, const gchar *sha256)
{
	Put *put = g_task_get_task_data(task);

	put->in_flight++;
	hubd_s3_multipart_upload_async(storage_of(task),
				       put->key,
				       put->upload_id,
				       number,
				       data,
				       sha256,
				       g_task_get_cancellable(task),
				       part_done_cb,
				       task);
}

static void
part_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Put *put = g_task_get_task_data(task);
	GError *error = NULL;
	g_autofree gchar *sha256 = NULL;
	g_autoptr(GBytes) data = hubd_s3_read_bytes_finish(res, &sha256, &error);
	guint number = put->next;

	put->reading = FALSE;
	if (data == NULL) {
		fail(put, error);
		pump(task);
		return;
	}
	put->read += g_bytes_get_size(data);
	if (put->length >= 0)
		put->eof = put->read == (guint64)put->length;
	else
		put->eof = g_bytes_get_size(data) < part_size(task, number);
	if (g_bytes_get_size(data) > 0 || number == 1) {
		put->next++;
		upload(task, number, data, sha256);
	}
	pump(task);
}

/* Reads the next part while fewer than `parallel` are in flight. */
static void
pump(GTask *task)
{
	Put *put = g_task_get_task_data(task);
	const HubdS3Config *config = hubd_s3_storage_get_config(storage_of(task));
	guint64 want;

	if (put->error == NULL && g_cancellable_is_cancelled(g_task_get_cancellable(task)))
		fail(put, g_error_new_literal(HUBD_ERROR, HUBD_ERROR_CANCELLED, _("Cancelled")));
	if (put->reading)
		return;
	if (put->error != NULL || put->eof) {
		if (put->in_flight == 0)
			finish(task);
		return;
	}
	if (put->in_flight >= config->parallel)
		return;
	if (put->next > HUBD_STORAGE_MAX_PARTS) {
		fail(put,
		     g_error_new(HUBD_ERROR,
				 HUBD_ERROR_INVALID_ARGUMENT,
				 _("“%s” is too large for %u parts"),
				 put->key,
				 HUBD_STORAGE_MAX_PARTS));
		pump(task);
		return;
	}
	want = part_size(task, put->next);
	if (put->length >= 0)
		want = MIN(want, (guint64)put->length - put->read);
	put->reading = TRUE;
	hubd_s3_read_bytes_async(put->stream,
				 (gsize)want,
				 put->length < 0,
				 put->key,
				 g_task_get_cancellable(task),
				 part_read_cb,
				 task);
}

static void
begun_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Put *put = g_task_get_task_data(task);
	GError *error = NULL;

	put->upload_id = hubd_s3_multipart_begin_finish(HUBD_S3_STORAGE(source), res, &error);
	if (put->upload_id == NULL) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	g_debug("multipart upload of %s begun", put->key);
	if (put->first != NULL) {
		g_autoptr(GBytes) first = g_steal_pointer(&put->first);
		g_autofree gchar *sha256 = g_steal_pointer(&put->first_sha256);
		put->next = 2;
		upload(task, 1, first, sha256);
	}
	pump(task);
}

static void
begin_multipart(GTask *task)
{
	Put *put = g_task_get_task_data(task);

	put->parts = g_ptr_array_new_with_free_func(part_slot_free);
	hubd_s3_multipart_begin_async(storage_of(task),
				      put->key,
				      g_task_get_cancellable(task),
				      begun_cb,
				      task);
}

/* The first chunk of a put of unknown length: all of it, or a full part. */
static void
first_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Put *put = g_task_get_task_data(task);
	GError *error = NULL;
	g_autofree gchar *sha256 = NULL;
	g_autoptr(GBytes) data = hubd_s3_read_bytes_finish(res, &sha256, &error);

	if (data == NULL) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	put->read = g_bytes_get_size(data);
	if (put->length >= 0 || put->read < part_size(task, 1)) {
		put_single(task, data, sha256);
		return;
	}
	put->first = g_steal_pointer(&data);
	put->first_sha256 = g_steal_pointer(&sha256);
	begin_multipart(task);
}

void
hubd_s3_storage_put_async(HubdStorage *storage,
			  const gchar *key,
			  GInputStream *stream,
			  gint64 length,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	HubdS3Storage *self = HUBD_S3_STORAGE(storage);
	const HubdS3Config *config = hubd_s3_storage_get_config(self);
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	Put *put = g_new0(Put, 1);

	put->key = g_strdup(key);
	put->stream = g_object_ref(stream);
	put->length = length;
	put->next = 1;
	g_task_set_source_tag(task, hubd_s3_storage_put_async);
	g_task_set_task_data(task, put, (GDestroyNotify)put_free);
	if (length >= 0) {
		/* 10,000 parts must hold it: parts grow by MiBs past 80 GB */
		guint64 fit =
			((guint64)length + HUBD_STORAGE_MAX_PARTS - 1) / HUBD_STORAGE_MAX_PARTS;
		fit = (fit + MiB - 1) / MiB * MiB;
		put->uniform_size = MAX(config->part_size, fit);
	}
	if (length >= 0 && (guint64)length > put->uniform_size) {
		begin_multipart(task);
		return;
	}
	hubd_s3_read_bytes_async(stream,
				 length >= 0 ? (gsize)length : (gsize)part_size(task, 1),
				 length < 0,
				 key,
				 cancellable,
				 first_read_cb,
				 task);
}

HubdStorageObject *
hubd_s3_storage_put_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}
