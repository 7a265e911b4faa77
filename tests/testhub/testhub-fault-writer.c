/* testhub-fault-writer.c: a response written by hand on a connection taken
 * from libsoup (the body faults of testhub-faults-request.c), so that the exact bytes
 * on the wire and the moment the socket closes are under the test's control.
 */
#include "testhub-fault-writer.h"

#include <sys/socket.h>

/* nginx's lingering_timeout and lingering_time: how long a client that still
 * sends may pause, and how long it may send in all, before the close */
#define LINGER_QUIET_MS 5000
#define LINGER_MAX_S    30

typedef struct {
	GIOStream *stream;
	GSocket *socket; /* the stolen stream may wrap it */
	GBytes *body;
	guint64 offset;
	guint64 limit;
	guint64 chunk;
	guint delay_ms;
	gboolean reset;
	gboolean endless;
	gboolean linger;
	guint drain_source;
	guint linger_source;
	gint64 linger_until; /* monotonic: an endless sender is cut off */
	TesthubFaultWriterDone done;
	gpointer user_data;
	GDestroyNotify destroy;
} FaultWriter;

static void
append_header(const gchar *name, const gchar *value, gpointer user_data)
{
	GString *head = user_data;

	if (g_ascii_strcasecmp(name, "Content-Length") == 0 ||
	    g_ascii_strcasecmp(name, "Transfer-Encoding") == 0 ||
	    g_ascii_strcasecmp(name, "Connection") == 0)
		return;
	g_string_append_printf(head, "%s: %s\r\n", name, value);
}

GString *
testhub_fault_writer_head(guint status, SoupMessageHeaders *headers)
{
	GString *head = g_string_new(NULL);

	g_string_append_printf(
		head,
		"HTTP/1.1 %u %s\r\n",
		status,
		soup_status_get_phrase(status) != NULL ? soup_status_get_phrase(status) : "Status");
	soup_message_headers_foreach(headers, append_header, head);
	return head;
}

static void
fault_writer_free(FaultWriter *w)
{
	g_clear_object(&w->stream);
	g_clear_object(&w->socket);
	g_clear_pointer(&w->body, g_bytes_unref);
	if (w->destroy != NULL)
		w->destroy(w->user_data);
	g_free(w);
}

static void
fault_writer_close(FaultWriter *w);

/* the client has had its say: stop reading and close for good */
static void
fault_writer_linger_end(FaultWriter *w)
{
	g_clear_handle_id(&w->drain_source, g_source_remove);
	g_clear_handle_id(&w->linger_source, g_source_remove);
	w->linger = FALSE;
	fault_writer_close(w);
}

static gboolean
fault_writer_linger_done(gpointer user_data)
{
	FaultWriter *w = user_data;

	w->linger_source = 0;
	fault_writer_linger_end(w);
	return G_SOURCE_REMOVE;
}

/* Reads the socket directly: libsoup may still have a read pending on the
 * stolen stream, which would make a stream read fail at once. */
static gboolean
fault_writer_drain(GSocket *sock, GIOCondition cond, gpointer user_data)
{
	FaultWriter *w = user_data;
	gchar buf[65536];
	g_autoptr(GError) error = NULL;
	gssize n = g_socket_receive(sock, buf, sizeof(buf), NULL, &error);

	if (n > 0 && g_get_monotonic_time() < w->linger_until) {
		/* the client is still sending: wait for it to finish */
		g_clear_handle_id(&w->linger_source, g_source_remove);
		w->linger_source = g_timeout_add(LINGER_QUIET_MS, fault_writer_linger_done, w);
		return G_SOURCE_CONTINUE;
	}
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
		return G_SOURCE_CONTINUE;
	w->drain_source = 0;
	fault_writer_linger_end(w);
	return G_SOURCE_REMOVE;
}

static void
fault_writer_close(FaultWriter *w)
{
	GSocket *sock = w->socket;

	if (w->linger && sock != NULL) {
		/* Closing with unread request bytes would send RST and lose the
		 * answer: drain what the client still sends until it closes or
		 * goes quiet. A client paused (a GC, a full buffer) for less
		 * than LINGER_QUIET_MS still gets the answer. Half-closing
		 * plain TCP tells it at once that the answer is whole; under
		 * TLS that would be an EOF without close_notify. */
		g_autoptr(GSource) src =
			g_socket_create_source(sock, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);

		if (!G_IS_TLS_CONNECTION(w->stream))
			g_socket_shutdown(sock, FALSE, TRUE, NULL);
		w->linger_until = g_get_monotonic_time() + LINGER_MAX_S * G_USEC_PER_SEC;
		g_source_set_callback(src, G_SOURCE_FUNC(fault_writer_drain), w, NULL);
		w->drain_source = g_source_attach(src, NULL);
		w->linger_source = g_timeout_add(LINGER_QUIET_MS, fault_writer_linger_done, w);
		return;
	}
	if (w->reset && sock != NULL) {
		struct linger lg = {.l_onoff = 1, .l_linger = 0};

		/* linger 0: close() sends RST, as a dropped connection would */
		setsockopt(g_socket_get_fd(sock), SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	g_io_stream_close(w->stream, NULL, NULL);
	if (w->done != NULL)
		w->done(w->offset, w->user_data);
	fault_writer_free(w);
}

static void
fault_writer_next(FaultWriter *w);

static gboolean
fault_writer_timeout(gpointer user_data)
{
	fault_writer_next(user_data);
	return G_SOURCE_REMOVE;
}

static void
fault_writer_wrote(GObject *source, GAsyncResult *res, gpointer user_data)
{
	FaultWriter *w = user_data;
	gsize written = 0;
	g_autoptr(GError) error = NULL;

	if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), res, &written, &error)) {
		g_debug("fault writer: %s", error->message);
		w->offset += written;
		fault_writer_close(w);
		return;
	}
	w->offset += written;
	if (w->delay_ms > 0 && w->offset < w->limit)
		g_timeout_add(w->delay_ms, fault_writer_timeout, w);
	else
		fault_writer_next(w);
}

static void
fault_writer_next(FaultWriter *w)
{
	GOutputStream *out = g_io_stream_get_output_stream(w->stream);
	const guint8 *data = g_bytes_get_data(w->body, NULL);
	guint64 n = MIN(w->chunk, w->limit - w->offset);

	if (w->offset >= w->limit) {
		fault_writer_close(w);
		return;
	}
	if (w->endless) {
		g_output_stream_write_all_async(out,
						data,
						g_bytes_get_size(w->body),
						G_PRIORITY_DEFAULT,
						NULL,
						fault_writer_wrote,
						w);
		return;
	}
	g_output_stream_write_all_async(out,
					data + w->offset,
					(gsize)n,
					G_PRIORITY_DEFAULT,
					NULL,
					fault_writer_wrote,
					w);
}

void
testhub_fault_writer_start(GIOStream *stream,
			   GSocket *socket,
			   const gchar *head,
			   gsize head_len,
			   const TesthubFaultWriterPlan *plan,
			   TesthubFaultWriterDone done,
			   gpointer user_data,
			   GDestroyNotify destroy)
{
	FaultWriter *w = g_new0(FaultWriter, 1);
	GOutputStream *out = g_io_stream_get_output_stream(stream);

	w->stream = g_object_ref(stream);
	w->socket = socket != NULL ? g_object_ref(socket) : NULL;
	w->body = g_bytes_ref(plan->body);
	w->limit = plan->limit;
	w->chunk = plan->chunk;
	w->delay_ms = plan->delay_ms;
	w->reset = plan->reset;
	w->endless = plan->endless;
	w->linger = plan->linger;
	w->done = done;
	w->user_data = user_data;
	w->destroy = destroy;
	/* the head is small: a blocking write on a fresh socket buffer is fine */
	if (!g_output_stream_write_all(out, head, head_len, NULL, NULL, NULL)) {
		fault_writer_close(w);
		return;
	}
	/* slow: a pause before every chunk, the first one included */
	if (w->delay_ms > 0)
		g_timeout_add(w->delay_ms, fault_writer_timeout, w);
	else
		fault_writer_next(w);
}
