/* hubd-s3-body-stream.c: HubdS3BodyStream, an S3 answer's body that ends only where the server
 * said it would, taken up again where a connection cut it
 *
 * When a connection closes in the middle of an answer that has a
 * Content-Length, libsoup's body stream ends with a plain end of stream (a
 * proxy that cuts a GET in half shows it), and a reader would take half an
 * object for the whole. This stream counts what passes. A body that ends
 * early or whose connection fails is asked for again from the first byte
 * missing, with a range and If-Match on the object's ETag (S3 API reference,
 * GetObject), as many times as the backend retries any request; only then
 * does the read fail. Sync reads run in a worker thread and send the range
 * request through the context the storage runs in (hubd_sync_call_run()). */
#define G_LOG_DOMAIN "HubdS3"

#include "hubd-s3-body-stream.h"

#include <glib/gi18n.h>

#include "hubd-plugin.h"
#include "hubd-s3-error.h"
#include "hubd-s3-xml.h"

struct _HubdS3BodyStream {
	GInputStream parent_instance;
	GInputStream *base;
	HubdS3Storage *storage;
	GMainContext *context; /* the storage's: a resume's request is sent there */
	gchar *key;
	gchar *etag;
	guint64 start;  /* the body's first byte in the object */
	guint64 length; /* what the answer announced */
	guint64 seen;
	guint resumes_left;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED(HubdS3BodyStream,
			       hubd_s3_body_stream,
			       G_TYPE_INPUT_STREAM,
			       G_TYPE_FLAG_FINAL,
			       {})

void
hubd_s3_body_stream_register(GTypeModule *module)
{
	hubd_s3_body_stream_register_type(module);
}

/* ---- counting ---- */

/* Whether a read that gave `n` (or `error`) cut the body short and may be
 * taken up again. */
static gboolean
hubd_s3_body_stream_cut(HubdS3BodyStream *self, gssize n, gsize count, const GError *error)
{
	if (self->resumes_left == 0)
		return FALSE;
	if (n == 0)
		return count > 0 && self->seen < self->length;
	return n < 0 && error != NULL && error->domain != HUBD_ERROR &&
	       !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The outcome of a read that gave `n` bytes or `error` (taken). */
static gssize
hubd_s3_body_stream_account(HubdS3BodyStream *self,
			    gssize n,
			    gsize count,
			    GError *error,
			    GError **error_out)
{
	const HubdS3Config *config = hubd_s3_storage_get_config(self->storage);
	g_autofree gchar *want = g_strdup_printf("%" G_GUINT64_FORMAT, self->length);

	if (n < 0) {
		/* a cancel stays G_IO_ERROR_CANCELLED, as readers of a stream expect */
		if (error != NULL && error->domain != HUBD_ERROR &&
		    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_autoptr(GError) transport = error;
			error = hubd_s3_error_from_transport(config, transport);
		}
		if (error != NULL)
			g_propagate_error(error_out, error);
		return -1;
	}
	if (n == 0 && count > 0 && self->seen < self->length) {
		g_autofree gchar *have = g_strdup_printf("%" G_GUINT64_FORMAT, self->seen);
		g_set_error(error_out,
			    HUBD_ERROR,
			    HUBD_ERROR_NETWORK,
			    _("The S3 server %s ended “%s” after %s of its %s bytes"),
			    config->endpoint,
			    self->key,
			    have,
			    want);
		return -1;
	}
	self->seen += (guint64)n;
	if (self->seen > self->length) {
		g_set_error(error_out,
			    HUBD_ERROR,
			    HUBD_ERROR_SERVER,
			    _("The S3 server %s sent more than the %s bytes of “%s” it announced"),
			    config->endpoint,
			    want,
			    self->key);
		return -1;
	}
	return n;
}

/* ---- taking up a cut body ---- */

static void
hubd_s3_body_stream_resumed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	HubdS3BodyStream *self = g_task_get_source_object(task);
	g_autoptr(SoupMessage) msg = NULL;
	GError *error = NULL;
	g_autoptr(GInputStream) stream =
		hubd_s3_storage_request_finish(HUBD_S3_STORAGE(source), res, &msg, NULL, &error);
	goffset from = -1;
	goffset to = -1;
	goffset total = -1; /* libsoup writes all three */
	g_autofree gchar *etag = NULL;
	SoupMessageHeaders *headers;

	/* S3 answers a failed If-Match with 412, which is Conflict already */
	if (stream == NULL) {
		g_task_return_error(task, error);
		return;
	}
	headers = soup_message_get_response_headers(msg);
	etag = hubd_s3_xml_unquote_etag(soup_message_headers_get_one(headers, "ETag"));
	if (soup_message_get_status(msg) != 206 ||
	    !soup_message_headers_get_content_range(headers, &from, &to, &total) ||
	    (guint64)from != self->start + self->seen) {
		g_task_return_new_error(
			task,
			HUBD_ERROR,
			HUBD_ERROR_SERVER,
			_("The S3 server %s answered a range of “%s” with other bytes"),
			hubd_s3_storage_get_config(self->storage)->endpoint,
			self->key);
		return;
	}
	/* a server that ignores If-Match (s3rver does) still names the ETag */
	if (self->etag[0] != '\0' && g_strcmp0(etag, self->etag) != 0) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_CONFLICT,
					_("“%s” changed while it was read"),
					self->key);
		return;
	}
	g_set_object(&self->base, stream);
	g_task_return_boolean(task, TRUE);
}

/* Asks for the rest of the body; `cut` (taken) says why. */
static void
hubd_s3_body_stream_resume_async(HubdS3BodyStream *self,
				 GError *cut,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(GError) why = cut;
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	const HubdS3Config *config = hubd_s3_storage_get_config(self->storage);
	g_autofree gchar *full = hubd_s3_config_full_key(config, self->key);
	HubdS3Request *req = hubd_s3_request_new("GET", full, self->key);
	g_autofree gchar *range = g_strdup_printf("bytes=%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT,
						  self->start + self->seen,
						  self->start + self->length - 1);

	g_task_set_source_tag(task, hubd_s3_body_stream_resume_async);
	self->resumes_left--;
	g_debug("%s: the body stopped after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
		" bytes (%s); asking for the rest",
		self->key,
		self->seen,
		self->length,
		why != NULL ? why->message : "end of stream");
	hubd_s3_request_set_header(req, "Range", range);
	hubd_s3_request_set_header(req, "Accept-Encoding", "identity");
	if (self->etag[0] != '\0') {
		g_autofree gchar *quoted = g_strdup_printf("\"%s\"", self->etag);
		hubd_s3_request_set_header(req, "If-Match", quoted);
	}
	hubd_s3_storage_request_async(self->storage,
				      req,
				      FALSE,
				      cancellable,
				      hubd_s3_body_stream_resumed_cb,
				      task);
}

static gboolean
hubd_s3_body_stream_resume_finish(HubdS3BodyStream *self, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* The same from a worker thread: the request goes through the storage's
 * context (hubd_sync_call_run()). */
typedef struct {
	HubdS3BodyStream *self;
	GError *cut;
	GCancellable *cancellable;
	HubdSyncCall *call;
	gboolean ok;
	GError *error;
} SyncResume;

static void
sync_resumed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SyncResume *r = user_data;

	r->ok = hubd_s3_body_stream_resume_finish(HUBD_S3_BODY_STREAM(source), res, &r->error);
	hubd_sync_call_done(r->call);
}

static void
sync_resume_start(HubdSyncCall *call, gpointer user_data)
{
	SyncResume *r = user_data;

	r->call = call;
	hubd_s3_body_stream_resume_async(r->self,
					 g_steal_pointer(&r->cut),
					 r->cancellable,
					 sync_resumed_cb,
					 r);
}

static gboolean
hubd_s3_body_stream_resume_sync(HubdS3BodyStream *self,
				GError *cut,
				GCancellable *cancellable,
				GError **error)
{
	SyncResume r = {.self = self, .cut = cut, .cancellable = cancellable};

	hubd_sync_call_run(self->context, sync_resume_start, &r);
	if (!r.ok)
		g_propagate_error(error, r.error);
	return r.ok;
}

/* ---- reads ---- */

static gssize
hubd_s3_body_stream_read(GInputStream *stream,
			 void *buffer,
			 gsize count,
			 GCancellable *cancellable,
			 GError **error)
{
	HubdS3BodyStream *self = HUBD_S3_BODY_STREAM(stream);

	for (;;) {
		GError *local = NULL;
		gssize n = g_input_stream_read(self->base, buffer, count, cancellable, &local);

		if (!hubd_s3_body_stream_cut(self, n, count, local))
			return hubd_s3_body_stream_account(self, n, count, local, error);
		if (!hubd_s3_body_stream_resume_sync(self, local, cancellable, error))
			return -1;
	}
}

typedef struct {
	void *buffer;
	gsize count;
	int io_priority;
} ReadOp;

static void
hubd_s3_body_stream_read_cb(GObject *source, GAsyncResult *res, gpointer user_data);

static void
hubd_s3_body_stream_read_base(GTask *task)
{
	HubdS3BodyStream *self = g_task_get_source_object(task);
	ReadOp *op = g_task_get_task_data(task);

	g_input_stream_read_async(self->base,
				  op->buffer,
				  op->count,
				  op->io_priority,
				  g_task_get_cancellable(task),
				  hubd_s3_body_stream_read_cb,
				  task);
}

static void
hubd_s3_body_stream_resumed_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	GError *error = NULL;

	if (!hubd_s3_body_stream_resume_finish(HUBD_S3_BODY_STREAM(source), res, &error)) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	hubd_s3_body_stream_read_base(task);
}

static void
hubd_s3_body_stream_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	HubdS3BodyStream *self = g_task_get_source_object(task);
	ReadOp *op = g_task_get_task_data(task);
	GError *local = NULL;
	GError *error = NULL;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), res, &local);

	if (hubd_s3_body_stream_cut(self, n, op->count, local)) {
		hubd_s3_body_stream_resume_async(self,
						 local,
						 g_task_get_cancellable(task),
						 hubd_s3_body_stream_resumed_read_cb,
						 task);
		return;
	}
	n = hubd_s3_body_stream_account(self, n, op->count, local, &error);
	if (n < 0)
		g_task_return_error(task, error);
	else
		g_task_return_int(task, n);
	g_object_unref(task);
}

static void
hubd_s3_body_stream_read_async(GInputStream *stream,
			       void *buffer,
			       gsize count,
			       int io_priority,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	GTask *task = g_task_new(stream, cancellable, callback, user_data);
	ReadOp *op = g_new0(ReadOp, 1);

	op->buffer = buffer;
	op->count = count;
	op->io_priority = io_priority;
	g_task_set_source_tag(task, hubd_s3_body_stream_read_async);
	g_task_set_task_data(task, op, g_free);
	hubd_s3_body_stream_read_base(task);
}

static gssize
hubd_s3_body_stream_read_finish(GInputStream *stream, GAsyncResult *result, GError **error)
{
	return g_task_propagate_int(G_TASK(result), error);
}

/* ---- close ---- */

static gboolean
hubd_s3_body_stream_close(GInputStream *stream, GCancellable *cancellable, GError **error)
{
	return g_input_stream_close(HUBD_S3_BODY_STREAM(stream)->base, cancellable, error);
}

static void
hubd_s3_body_stream_closed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;

	if (!g_input_stream_close_finish(G_INPUT_STREAM(source), res, &error))
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

/* the base's own async close, not a sync one in a worker thread */
static void
hubd_s3_body_stream_close_async(GInputStream *stream,
				int io_priority,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	GTask *task = g_task_new(stream, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_s3_body_stream_close_async);
	g_input_stream_close_async(HUBD_S3_BODY_STREAM(stream)->base,
				   io_priority,
				   cancellable,
				   hubd_s3_body_stream_closed_cb,
				   task);
}

static gboolean
hubd_s3_body_stream_close_finish(GInputStream *stream, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- GObject ---- */

/* GInputStream's dispose closes the stream: the base goes after it */
static void
hubd_s3_body_stream_finalize(GObject *object)
{
	HubdS3BodyStream *self = HUBD_S3_BODY_STREAM(object);

	g_clear_object(&self->base);
	g_clear_object(&self->storage);
	g_main_context_unref(self->context);
	g_free(self->key);
	g_free(self->etag);
	G_OBJECT_CLASS(hubd_s3_body_stream_parent_class)->finalize(object);
}

static void
hubd_s3_body_stream_class_init(HubdS3BodyStreamClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS(klass);

	object_class->finalize = hubd_s3_body_stream_finalize;
	/* skips go through read_fn (sync) and read_async (async): counted */
	stream_class->read_fn = hubd_s3_body_stream_read;
	stream_class->read_async = hubd_s3_body_stream_read_async;
	stream_class->read_finish = hubd_s3_body_stream_read_finish;
	stream_class->close_fn = hubd_s3_body_stream_close;
	stream_class->close_async = hubd_s3_body_stream_close_async;
	stream_class->close_finish = hubd_s3_body_stream_close_finish;
}

static void
hubd_s3_body_stream_class_finalize(HubdS3BodyStreamClass *klass)
{
}

static void
hubd_s3_body_stream_init(HubdS3BodyStream *self)
{
}

GInputStream *
hubd_s3_body_stream_new(HubdS3Storage *storage,
			GInputStream *base,
			const gchar *key,
			const gchar *etag,
			guint64 start,
			guint64 length)
{
	HubdS3BodyStream *self = g_object_new(HUBD_TYPE_S3_BODY_STREAM, NULL);

	self->base = g_object_ref(base);
	self->storage = g_object_ref(storage);
	self->context = g_main_context_ref_thread_default();
	self->key = g_strdup(key);
	self->etag = g_strdup(etag != NULL ? etag : "");
	self->start = start;
	self->length = length;
	self->resumes_left = hubd_s3_storage_get_config(storage)->retries;
	return G_INPUT_STREAM(self);
}
