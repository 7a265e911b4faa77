/* hubd-s3-body-stream.c: HubdS3BodyStream, an S3 answer's body that ends only where the server
 * said it would
 *
 * When a connection closes in the middle of an answer that has a
 * Content-Length, libsoup's body stream ends with a plain end of stream (a
 * proxy that cuts a GET in half shows it), and a reader would take half an
 * object for the whole. This stream counts what passes and turns a short or
 * long body into an error. Sync reads and skips (a worker thread) and async
 * reads (the backend's context; async skips read) go straight to the base. */
#define G_LOG_DOMAIN "HubdS3"

#include "hubd-s3-body-stream.h"

#include <glib/gi18n.h>

#include "hubd-plugin.h"
#include "hubd-s3-error.h"

struct _HubdS3BodyStream {
	GFilterInputStream parent_instance;
	guint64 length; /* what the answer announced */
	guint64 seen;
	gchar *endpoint;
	gchar *name; /* the backend's, for transport errors */
	gchar *key;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED(HubdS3BodyStream,
			       hubd_s3_body_stream,
			       G_TYPE_FILTER_INPUT_STREAM,
			       G_TYPE_FLAG_FINAL,
			       {})

void
hubd_s3_body_stream_register(GTypeModule *module)
{
	hubd_s3_body_stream_register_type(module);
}

/* `n` bytes came back for a read of `count` (n < 0: `*error` is set). */
static gssize
hubd_s3_body_stream_account(HubdS3BodyStream *self, gssize n, gsize count, GError **error)
{
	g_autofree gchar *want = g_strdup_printf("%" G_GUINT64_FORMAT, self->length);

	if (n < 0) {
		HubdS3Config config = {.endpoint = self->endpoint, .name = self->name};

		/* a cancel stays G_IO_ERROR_CANCELLED, as readers of a stream expect */
		if (error != NULL && *error != NULL &&
		    !g_error_matches(*error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_autoptr(GError) transport = g_steal_pointer(error);
			*error = hubd_s3_error_from_transport(&config, transport);
		}
		return -1;
	}
	if (n == 0 && count > 0 && self->seen < self->length) {
		g_autofree gchar *have = g_strdup_printf("%" G_GUINT64_FORMAT, self->seen);
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_NETWORK,
			    _("The S3 server %s ended “%s” after %s of its %s bytes"),
			    self->endpoint,
			    self->key,
			    have,
			    want);
		return -1;
	}
	self->seen += (guint64)n;
	if (self->seen > self->length) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_SERVER,
			    _("The S3 server %s sent more than the %s bytes of “%s” it announced"),
			    self->endpoint,
			    want,
			    self->key);
		return -1;
	}
	return n;
}

static gssize
hubd_s3_body_stream_read(GInputStream *stream,
			 void *buffer,
			 gsize count,
			 GCancellable *cancellable,
			 GError **error)
{
	HubdS3BodyStream *self = HUBD_S3_BODY_STREAM(stream);
	GInputStream *base = g_filter_input_stream_get_base_stream(G_FILTER_INPUT_STREAM(stream));
	gssize n = g_input_stream_read(base, buffer, count, cancellable, error);

	return hubd_s3_body_stream_account(self, n, count, error);
}

/* GFilterInputStream would skip on the base, past the count */
static gssize
hubd_s3_body_stream_skip(GInputStream *stream,
			 gsize count,
			 GCancellable *cancellable,
			 GError **error)
{
	HubdS3BodyStream *self = HUBD_S3_BODY_STREAM(stream);
	GInputStream *base = g_filter_input_stream_get_base_stream(G_FILTER_INPUT_STREAM(stream));
	gssize n = g_input_stream_skip(base, count, cancellable, error);

	return hubd_s3_body_stream_account(self, n, count, error);
}

static void
hubd_s3_body_stream_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	HubdS3BodyStream *self = g_task_get_source_object(task);
	GError *error = NULL;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), res, &error);

	n = hubd_s3_body_stream_account(self,
					n,
					GPOINTER_TO_SIZE(g_task_get_task_data(task)),
					&error);
	if (n < 0)
		g_task_return_error(task, error);
	else
		g_task_return_int(task, n);
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
	GInputStream *base = g_filter_input_stream_get_base_stream(G_FILTER_INPUT_STREAM(stream));
	GTask *task = g_task_new(stream, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_s3_body_stream_read_async);
	g_task_set_task_data(task, GSIZE_TO_POINTER(count), NULL);
	g_input_stream_read_async(base,
				  buffer,
				  count,
				  io_priority,
				  cancellable,
				  hubd_s3_body_stream_read_cb,
				  task);
}

static gssize
hubd_s3_body_stream_read_finish(GInputStream *stream, GAsyncResult *result, GError **error)
{
	return g_task_propagate_int(G_TASK(result), error);
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
	GInputStream *base = g_filter_input_stream_get_base_stream(G_FILTER_INPUT_STREAM(stream));
	GTask *task = g_task_new(stream, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_s3_body_stream_close_async);
	g_input_stream_close_async(base,
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

static void
hubd_s3_body_stream_finalize(GObject *object)
{
	HubdS3BodyStream *self = HUBD_S3_BODY_STREAM(object);

	g_free(self->endpoint);
	g_free(self->name);
	g_free(self->key);
	G_OBJECT_CLASS(hubd_s3_body_stream_parent_class)->finalize(object);
}

static void
hubd_s3_body_stream_class_init(HubdS3BodyStreamClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS(klass);

	object_class->finalize = hubd_s3_body_stream_finalize;
	stream_class->read_fn = hubd_s3_body_stream_read;
	stream_class->skip = hubd_s3_body_stream_skip;
	stream_class->read_async = hubd_s3_body_stream_read_async;
	stream_class->read_finish = hubd_s3_body_stream_read_finish;
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
hubd_s3_body_stream_new(GInputStream *base,
			guint64 length,
			const HubdS3Config *config,
			const gchar *key)
{
	HubdS3BodyStream *self = g_object_new(HUBD_TYPE_S3_BODY_STREAM,
					      "base-stream",
					      base,
					      "close-base-stream",
					      TRUE,
					      NULL);

	self->length = length;
	self->endpoint = g_strdup(config->endpoint);
	self->name = g_strdup(config->name);
	self->key = g_strdup(key);
	return G_INPUT_STREAM(self);
}
