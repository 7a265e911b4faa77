/* hubd-body-pump.c: see hubd-body-pump.h. The main loop fills one ring
 * buffer at a time with as many socket reads as it takes; the writer's
 * consumers write and hash the full ones in worker threads (hubd-ring), so
 * memory stays constant and the main loop never blocks on the disk. */
#define G_LOG_DOMAIN "HubdTransfer"

#include "hubd-body-pump.h"

#include "hubd-error.h"
#include "hubd-ring.h"

#define CHUNK (512 * 1024)
/* buffers in the ring: some being read while others are written and hashed.
 * 8 MiB lets a disk or hash hiccup pass without stopping the socket (4 took
 * 8 % longer on the 1 GiB download, 32 no less time than 16); only one
 * pump at a time gets that many, the others NBUF_MORE, so that a snapshot
 * of many big files stays within hubd's memory goal */
#define NBUF      16
#define NBUF_MORE 4
#define ALIGN     HUBD_BLOB_WRITER_ALIGN

struct _HubdBodyPump {
	GInputStream *stream;
	GCancellable *cancellable;
	HubdRing *ring;
	guint64 size;
	HubdBodyPumpProgressFunc progress;
	HubdBodyPumpDoneFunc done;
	gpointer user_data;
	GError *read_err;  /* the read error that ended the body */
	GError *write_err; /* a write failed: stop once nothing is in flight */
	gboolean read_ended;
	gboolean reading;
	gsize chunk;      /* the ring's buffer size */
	guint8 *read_buf; /* the ring buffer being filled */
	gsize read_want;  /* its size for this chunk */
	gsize read_have;  /* bytes in it so far */
	guint64 read_pos; /* the file offset of read_buf[0] */
};

/* rings alive now (main thread only): the first gets NBUF buffers */
static guint n_rings;

static void
hubd_body_pump_drop_ring(HubdBodyPump *pump)
{
	if (pump->ring == NULL)
		return;
	g_clear_pointer(&pump->ring, hubd_ring_free);
	n_rings--;
}

static void
hubd_body_pump_pump(HubdBodyPump *pump);

static void
hubd_body_pump_read_cb(GObject *source, GAsyncResult *res, gpointer user_data);

static void
hubd_body_pump_read_more(HubdBodyPump *pump)
{
	pump->reading = TRUE;
	g_input_stream_read_async(pump->stream,
				  pump->read_buf + pump->read_have,
				  pump->read_want - pump->read_have,
				  G_PRIORITY_DEFAULT,
				  pump->cancellable,
				  hubd_body_pump_read_cb,
				  pump);
}

/* Fills the buffer with as many socket reads as it takes; a full buffer,
 * the end of the body or an error hands it to the ring. */
static void
hubd_body_pump_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdBodyPump *pump = user_data;
	GError *error = NULL;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), res, &error);
	gboolean overrun;

	pump->reading = FALSE;
	if (n > 0) {
		pump->read_have += (gsize)n;
		pump->progress(n, pump->user_data);
	}
	/* a byte past the size announced is enough to refuse the body: the
	 * rest is not read (it may never end) */
	overrun = pump->read_pos + pump->read_have > pump->size;
	if (n > 0 && !overrun && pump->read_have < pump->read_want) {
		hubd_body_pump_read_more(pump);
		return;
	}
	if (pump->read_have > 0)
		hubd_ring_push(pump->ring, pump->read_have);
	pump->read_pos += pump->read_have;
	pump->read_have = 0;
	g_clear_error(&pump->read_err);
	pump->read_err = error;
	pump->read_ended = n <= 0 || overrun;
	hubd_body_pump_pump(pump);
}

/* Called after every read and whenever the ring wakes us: read into the
 * next free buffer; once the body ended and the workers are done, end. */
static void
hubd_body_pump_pump(HubdBodyPump *pump)
{
	guint64 written;

	if (pump->write_err == NULL) {
		pump->write_err = hubd_ring_dup_error(pump->ring);
		if (pump->write_err != NULL) {
			/* not worth a retry: stop reading, end once nothing
			 * is in flight */
			hubd_error_convert(&pump->write_err);
			g_cancellable_cancel(pump->cancellable);
		}
	}
	if (pump->reading)
		return;
	if (pump->write_err == NULL && !pump->read_ended) {
		guint8 *buf = hubd_ring_get_free(pump->ring);

		/* NULL: every buffer is busy, the ring calls back */
		if (buf != NULL) {
			/* a resume from an odd offset reads a shorter first
			 * chunk, so the writes after it are aligned again */
			pump->read_buf = buf;
			pump->read_want = pump->chunk - pump->read_pos % ALIGN;
			/* at most one byte more than the size: enough to see a
			 * body that goes on */
			if (pump->read_pos + pump->read_want > pump->size + 1)
				pump->read_want = (gsize)(pump->size + 1 - pump->read_pos);
			hubd_body_pump_read_more(pump);
		}
		return;
	}
	hubd_ring_close(pump->ring);
	if (!hubd_ring_is_drained(pump->ring))
		return;
	written = hubd_ring_get_consumed(pump->ring, 0);
	hubd_body_pump_drop_ring(pump);
	/* last: the callback may free the pump */
	pump->done(written,
		   g_steal_pointer(&pump->read_err),
		   g_steal_pointer(&pump->write_err),
		   pump->user_data);
}

static void
hubd_body_pump_ring_cb(gpointer user_data)
{
	hubd_body_pump_pump(user_data);
}

HubdBodyPump *
hubd_body_pump_start(GInputStream *stream,
		     HubdBlobWriter *writer,
		     guint64 offset,
		     guint64 size,
		     GCancellable *cancellable,
		     HubdBodyPumpProgressFunc progress,
		     HubdBodyPumpDoneFunc done,
		     gpointer user_data)
{
	HubdBodyPump *pump = g_new0(HubdBodyPump, 1);
	guint64 remaining = size > offset ? size - offset : 0;

	pump->stream = g_object_ref(stream);
	pump->cancellable = g_object_ref(cancellable);
	pump->size = size;
	pump->progress = progress;
	pump->done = done;
	pump->user_data = user_data;
	pump->read_pos = offset;
	/* a small file gets buffers of its size, not CHUNK; a body longer
	 * than promised only takes more of them (and fails at its end) */
	pump->chunk = (gsize)MIN(CHUNK, remaining / ALIGN * ALIGN + ALIGN);
	pump->ring = hubd_ring_new(n_rings == 0 ? NBUF : NBUF_MORE,
				   pump->chunk,
				   hubd_body_pump_ring_cb,
				   pump);
	n_rings++;
	hubd_blob_writer_attach(writer, pump->ring);
	hubd_body_pump_pump(pump);
	return pump;
}

void
hubd_body_pump_free(HubdBodyPump *pump)
{
	if (pump == NULL)
		return;
	/* the ring's consumers use the writer and may be mid-chunk */
	hubd_body_pump_drop_ring(pump);
	g_clear_object(&pump->stream);
	g_clear_object(&pump->cancellable);
	g_clear_error(&pump->read_err);
	g_clear_error(&pump->write_err);
	g_free(pump);
}
