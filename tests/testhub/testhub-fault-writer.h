/* testhub-fault-writer.h: a response written by hand on a connection taken
 * from libsoup, for the body faults of testhub-faults-request.c: the head at once,
 * then the body in paced pieces, up to a limit, closed plainly, with a TCP
 * reset, or after the client has had its say. What to send is the caller's.
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The status line and `headers` as HTTP/1.1 text, without Content-Length,
 * Transfer-Encoding and Connection: the caller frames the body it has
 * written by hand itself, then ends the head with "\r\n". */
GString *
testhub_fault_writer_head(guint status, SoupMessageHeaders *headers);

/* Called once, when the writer has closed the connection: how many body
 * bytes went out. */
typedef void (*TesthubFaultWriterDone)(guint64 body_sent, gpointer user_data);

typedef struct {
	GBytes *body;
	guint64 limit;    /* bytes of the body to send before closing */
	guint64 chunk;    /* bytes per write (G_MAXUINT64: all at once) */
	guint delay_ms;   /* pause before each write, the first one included */
	gboolean reset;   /* close with a TCP reset */
	gboolean endless; /* `body` is one chunk, written whole again and again */
	gboolean linger;  /* before closing, read what the client still sends */
} TesthubFaultWriterPlan;

/* Writes `head` on `stream` at once (blocking), then the plan's body, then
 * closes `stream` and calls `done`. Keeps its own references to `stream`,
 * `socket` (the one under `stream`, or NULL: no reset, no linger) and the
 * plan's body; `destroy` frees `user_data` after `done`. */
void
testhub_fault_writer_start(GIOStream *stream,
			   GSocket *socket,
			   const gchar *head,
			   gsize head_len,
			   const TesthubFaultWriterPlan *plan,
			   TesthubFaultWriterDone done,
			   gpointer user_data,
			   GDestroyNotify destroy);

G_END_DECLS
