/* hubd-test-stream.c: HubdTestStream, test content that can fail, cancel or wait for others
 * mid-stream */
#define G_LOG_DOMAIN "HubdTestStream"

#include "hubd-test-stream.h"

#define DEFAULT_CHUNK        (64 * 1024)
#define BARRIER_WAIT_SECONDS 5

struct _HubdTestBarrier {
	GMutex mutex;
	GCond cond;
	guint count;
	guint arrived;
};

HubdTestBarrier *
hubd_test_barrier_new(guint count)
{
	HubdTestBarrier *barrier = g_new0(HubdTestBarrier, 1);

	g_mutex_init(&barrier->mutex);
	g_cond_init(&barrier->cond);
	barrier->count = count;
	return barrier;
}

void
hubd_test_barrier_free(HubdTestBarrier *barrier)
{
	g_mutex_clear(&barrier->mutex);
	g_cond_clear(&barrier->cond);
	g_free(barrier);
}

static void
hubd_test_barrier_wait(HubdTestBarrier *barrier)
{
	gint64 deadline = g_get_monotonic_time() + BARRIER_WAIT_SECONDS * G_TIME_SPAN_SECOND;

	g_mutex_lock(&barrier->mutex);
	barrier->arrived++;
	g_cond_broadcast(&barrier->cond);
	while (barrier->arrived < barrier->count) {
		if (!g_cond_wait_until(&barrier->cond, &barrier->mutex, deadline))
			break;
	}
	g_mutex_unlock(&barrier->mutex);
}

struct _HubdTestStream {
	GInputStream parent_instance;
	GBytes *bytes;
	gsize chunk;
	guint64 offset;
	gint64 fail_after;   /* -1: never */
	gint64 cancel_after; /* -1: never */
	GCancellable *cancellable;
	HubdTestBarrier *barrier; /* cleared once waited at */
};

G_DEFINE_TYPE(HubdTestStream, hubd_test_stream, G_TYPE_INPUT_STREAM)

static gssize
hubd_test_stream_read(GInputStream *stream,
		      void *buffer,
		      gsize count,
		      GCancellable *cancellable,
		      GError **error)
{
	HubdTestStream *self = HUBD_TEST_STREAM(stream);
	gsize size = g_bytes_get_size(self->bytes);
	gsize n;

	if (self->barrier != NULL) {
		hubd_test_barrier_wait(self->barrier);
		self->barrier = NULL;
	}
	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return -1;
	if (self->fail_after >= 0 && self->offset >= (guint64)self->fail_after) {
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_CONNECTION_CLOSED,
				    "the test stream broke off on purpose");
		return -1;
	}
	n = MIN(count, self->chunk);
	n = MIN(n, size - self->offset);
	/* stop exactly at a failure or cancel point */
	if (self->fail_after >= 0)
		n = MIN(n, (guint64)self->fail_after - self->offset);
	if (self->cancel_after >= 0 && self->offset < (guint64)self->cancel_after)
		n = MIN(n, (guint64)self->cancel_after - self->offset);
	memcpy(buffer, (const guint8 *)g_bytes_get_data(self->bytes, NULL) + self->offset, n);
	self->offset += n;
	if (self->cancel_after >= 0 && self->offset >= (guint64)self->cancel_after &&
	    self->cancellable != NULL)
		g_cancellable_cancel(self->cancellable);
	return (gssize)n;
}

static gboolean
hubd_test_stream_close(GInputStream *stream, GCancellable *cancellable, GError **error)
{
	return TRUE;
}

static void
hubd_test_stream_finalize(GObject *object)
{
	HubdTestStream *self = HUBD_TEST_STREAM(object);

	g_bytes_unref(self->bytes);
	g_clear_object(&self->cancellable);
	G_OBJECT_CLASS(hubd_test_stream_parent_class)->finalize(object);
}

static void
hubd_test_stream_class_init(HubdTestStreamClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_test_stream_finalize;
	G_INPUT_STREAM_CLASS(klass)->read_fn = hubd_test_stream_read;
	G_INPUT_STREAM_CLASS(klass)->close_fn = hubd_test_stream_close;
}

static void
hubd_test_stream_init(HubdTestStream *self)
{
	self->fail_after = -1;
	self->cancel_after = -1;
}

HubdTestStream *
hubd_test_stream_new(GBytes *bytes, gsize chunk)
{
	HubdTestStream *self = g_object_new(HUBD_TYPE_TEST_STREAM, NULL);

	self->bytes = g_bytes_ref(bytes);
	self->chunk = chunk > 0 ? chunk : DEFAULT_CHUNK;
	return self;
}

void
hubd_test_stream_fail_after(HubdTestStream *self, guint64 offset)
{
	self->fail_after = (gint64)offset;
}

void
hubd_test_stream_cancel_after(HubdTestStream *self, guint64 offset, GCancellable *cancellable)
{
	self->cancel_after = (gint64)offset;
	g_set_object(&self->cancellable, cancellable);
}

void
hubd_test_stream_set_barrier(HubdTestStream *self, HubdTestBarrier *barrier)
{
	self->barrier = barrier;
}

guint64
hubd_test_stream_get_offset(HubdTestStream *self)
{
	return self->offset;
}
