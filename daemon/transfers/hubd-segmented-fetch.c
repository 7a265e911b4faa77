/* hubd-segmented-fetch.c: a big blob over several connections.
 *
 * The blob is cut into segments (hubd-segment-map), a few per connection, so
 * the hash, which must see the bytes in order, trails the fastest connection
 * by a few segments at most. Each connection GETs one segment's missing range
 * into its own buffer and writes it at its offset in a worker (pwrite); as
 * the gapless prefix grows one worker re-reads it from the page cache into
 * the sha256. Memory: a buffer per connection, whatever the size.
 *
 * The first range goes alone: a 206 lets the others follow, a 200 ends the
 * fetch with NOT_SUPPORTED (the caller takes one stream). Where one
 * connection is fast (loopback, a LAN mirror), more only cost the re-read
 * for the hash: when the first brings one_stream_rate in its first PROBE_US,
 * it ends its segment alone and the caller streams the rest. How many run is the
 * download's share of the per-host budget, asked again per segment. A failed
 * segment is retried alone; a 403 from the CDN (an expired signed URL) asks
 * the Hub for a new URL first. */
#define G_LOG_DOMAIN "HubdTransfer"

#include "hubd-segmented-fetch.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-client.h"
#include "hubd-segment-io.h"

#define BUF_SIZE       (256 * 1024)
#define SEGS_PER_CONN  8
#define MIN_SEGMENT    (256 * 1024)
#define MAX_STALLED    5 /* attempts of a segment in a row without progress */
#define SAVE_PERIOD_US (500 * 1000)
#define MAX_RESOLVES   5
#define PROBE_US       (100 * 1000) /* the first connection's rate, measured */

typedef struct {
	HubdSegmentedFetch *self;
	guint index;
	guint failures;
	guint64 pos_at_attempt;
	guint url_gen;
	GInputStream *stream;
	guint8 *buf;
	gsize have;
	gboolean ended; /* the body ended after what is in buf */
	GError *end_err;
	guint retry_id;
} Conn;

struct _HubdSegmentedFetch {
	GObject parent_instance;
	HubdHubApi *api;
	HubdBlobWriter *writer;
	gchar *url;
	guint url_gen;
	gchar *resolve_url;
	gchar *filename;
	guint64 size;
	guint connections;
	guint retry_base_ms;
	HubdSegmentedProgressFunc progress;
	gpointer progress_data;
	HubdSegmentMap *map;
	gboolean *taken; /* per segment: a connection works on it */
	GPtrArray *conns;

	GTask *task;
	GCancellable *cancellable;
	gulong cancel_id;
	gboolean probed; /* a 206 came: the others may start */
	guint64 one_stream_rate;
	gboolean measuring;  /* the first connection's rate decides */
	gboolean one_stream; /* it was fast: the rest as one stream */
	gint64 probe_start;
	guint64 probe_bytes;
	gboolean stopping; /* no new work; finish once busy is 0 */
	GError *error;
	guint busy; /* requests, reads, threads and timers in flight */

	guint64 hashed, hashing_to; /* hashed; where the running hash goes */
	gboolean hashing, saving, dirty;
	gboolean saved; /* the map is on disk: writes may begin */
	gint64 last_save;
	gboolean resolving;
	guint resolves;
	GPtrArray *waiting; /* Conn*, for a new URL */
};

G_DEFINE_TYPE(HubdSegmentedFetch, hubd_segmented_fetch, G_TYPE_OBJECT)

static void
hubd_segmented_fetch_finalize(GObject *object)
{
	HubdSegmentedFetch *self = HUBD_SEGMENTED_FETCH(object);

	g_assert(self->busy == 0 && self->conns->len == 0);
	g_clear_object(&self->api);
	g_clear_object(&self->writer);
	g_free(self->url);
	g_free(self->resolve_url);
	g_free(self->filename);
	g_clear_pointer(&self->map, hubd_segment_map_free);
	g_free(self->taken);
	g_ptr_array_unref(self->conns);
	g_ptr_array_unref(self->waiting);
	g_clear_object(&self->cancellable);
	g_clear_error(&self->error);
	G_OBJECT_CLASS(hubd_segmented_fetch_parent_class)->finalize(object);
}

static void
hubd_segmented_fetch_class_init(HubdSegmentedFetchClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_segmented_fetch_finalize;
}

static void
hubd_segmented_fetch_init(HubdSegmentedFetch *self)
{
	self->conns = g_ptr_array_new();
	self->waiting = g_ptr_array_new();
	self->cancellable = g_cancellable_new();
}

HubdSegmentedFetch *
hubd_segmented_fetch_new(const HubdSegmentedFetchSpec *spec)
{
	HubdSegmentedFetch *self = g_object_new(HUBD_TYPE_SEGMENTED_FETCH, NULL);
	guint n;

	self->api = g_object_ref(spec->api);
	self->writer = g_object_ref(spec->writer);
	self->url = g_strdup(spec->url);
	self->resolve_url = g_strdup(spec->resolve_url);
	self->filename = g_strdup(spec->filename);
	self->size = spec->size;
	self->connections = MAX(spec->connections, 1);
	self->retry_base_ms = spec->retry_base_ms;
	self->progress = spec->progress;
	self->progress_data = spec->progress_data;
	self->hashed = spec->offset;
	self->map = hubd_blob_writer_steal_segments(spec->writer);
	n = (guint)MIN((guint64)self->connections * SEGS_PER_CONN,
		       MAX(spec->size / MIN_SEGMENT, 1));
	/* a resumed map has bytes past its prefix: no switching back then */
	self->measuring = self->map == NULL && spec->one_stream_rate > 0;
	self->one_stream_rate = spec->one_stream_rate;
	if (self->map == NULL)
		self->map = hubd_segment_map_new(spec->size, spec->offset, n);
	self->taken = g_new0(gboolean, hubd_segment_map_get_count(self->map));
	return self;
}

/* ---- the end ---- */

static gboolean
hubd_segmented_fetch_finish_idle(gpointer user_data)
{
	GTask *task = user_data;
	HubdSegmentedFetch *self = g_task_get_source_object(task);

	hubd_hub_client_release_download(hubd_hub_api_get_client(self->api), TRUE);
	if (self->cancel_id != 0)
		g_cancellable_disconnect(g_task_get_task_data(task), self->cancel_id);
	self->cancel_id = 0;
	if (self->error != NULL)
		g_task_return_error(task, g_steal_pointer(&self->error));
	else
		g_task_return_boolean(task, TRUE);
	return G_SOURCE_REMOVE;
}

/* Once nothing is in flight; from an idle, so that no caller of this
 * function sees the fetch go away under it. */
static void
hubd_segmented_fetch_maybe_finish(HubdSegmentedFetch *self)
{
	if (!self->stopping || self->busy > 0 || self->task == NULL)
		return;
	g_idle_add_full(G_PRIORITY_DEFAULT,
			hubd_segmented_fetch_finish_idle,
			g_steal_pointer(&self->task),
			g_object_unref);
}

static void
conn_free(Conn *c)
{
	HubdSegmentedFetch *self = c->self;

	g_ptr_array_remove(self->conns, c);
	g_ptr_array_remove(self->waiting, c);
	self->taken[c->index] = FALSE;
	g_clear_object(&c->stream);
	g_clear_error(&c->end_err);
	g_free(c->buf);
	g_free(c);
}

/* No new work from now on; `error` NULL: success. */
static void
hubd_segmented_fetch_stop(HubdSegmentedFetch *self, GError *error)
{
	if (self->stopping) {
		g_clear_error(&error);
		return;
	}
	self->stopping = TRUE;
	self->error = error;
	g_cancellable_cancel(self->cancellable);
	/* connections waiting for a timer or a new URL end now */
	for (guint i = self->conns->len; i > 0; i--) {
		Conn *c = g_ptr_array_index(self->conns, i - 1);
		if (c->retry_id != 0) {
			g_clear_handle_id(&c->retry_id, g_source_remove);
			self->busy--;
			conn_free(c);
		}
	}
	while (self->waiting->len > 0)
		conn_free(g_ptr_array_index(self->waiting, 0));
	hubd_segmented_fetch_maybe_finish(self);
}

static void
hubd_segmented_fetch_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	/* our own cancellable stops the reads; the rest follows as they end */
	g_cancellable_cancel(HUBD_SEGMENTED_FETCH(user_data)->cancellable);
}

/* A callback of work that was in flight: FALSE when the fetch is stopping
 * (and the connection, if any, was let go). */
static gboolean
hubd_segmented_fetch_live(HubdSegmentedFetch *self, Conn *c)
{
	self->busy--;
	if (!self->stopping && g_cancellable_is_cancelled(self->cancellable))
		hubd_segmented_fetch_stop(
			self,
			g_error_new_literal(HUBD_ERROR, HUBD_ERROR_CANCELLED, _("Cancelled")));
	if (!self->stopping)
		return TRUE;
	if (c != NULL)
		conn_free(c);
	hubd_segmented_fetch_maybe_finish(self);
	return FALSE;
}

/* ---- the hash and the map follow the writes ---- */

static void
hubd_segmented_fetch_check_done(HubdSegmentedFetch *self);
static void
hubd_segmented_fetch_start_more(HubdSegmentedFetch *self);

static void
hash_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdSegmentedFetch *self = HUBD_SEGMENTED_FETCH(user_data);
	GError *error = NULL;

	self->hashing = FALSE;
	if (!hubd_segment_io_hash_finish(HUBD_BLOB_WRITER(source), res, &error)) {
		hubd_error_convert(&error);
		hubd_segmented_fetch_stop(self, error);
	} else {
		self->hashed = self->hashing_to;
	}
	if (!hubd_segmented_fetch_live(self, NULL))
		return;
	hubd_segmented_fetch_check_done(self);
}

static void
hubd_segmented_fetch_kick_hash(HubdSegmentedFetch *self)
{
	guint64 prefix = hubd_segment_map_get_prefix(self->map);

	if (self->hashing || self->stopping || prefix <= self->hashed)
		return;
	self->hashing = TRUE;
	self->hashing_to = prefix;
	self->busy++;
	hubd_segment_io_hash_async(self->writer, prefix, self->cancellable, hash_done_cb, self);
}

static void
save_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdSegmentedFetch *self = HUBD_SEGMENTED_FETCH(user_data);
	GError *error = NULL;

	self->saving = FALSE;
	/* a later map that fails costs a resume bytes; the first one must be
	 * there before anything is written */
	if (!hubd_segment_io_save_finish(HUBD_BLOB_WRITER(source), res, &error) && !self->saved) {
		hubd_error_convert(&error);
		hubd_segmented_fetch_stop(self, error);
	} else if (error != NULL) {
		g_debug("%s: the segment map was not saved: %s", self->filename, error->message);
		g_clear_error(&error);
	}
	if (!hubd_segmented_fetch_live(self, NULL))
		return;
	if (!self->saved) {
		self->saved = TRUE;
		hubd_segmented_fetch_start_more(self);
	}
	hubd_segmented_fetch_check_done(self);
}

static void
hubd_segmented_fetch_kick_save(HubdSegmentedFetch *self, gboolean now)
{
	if (self->saving || !self->dirty ||
	    (!now && g_get_monotonic_time() - self->last_save < SAVE_PERIOD_US))
		return;
	self->saving = TRUE;
	self->dirty = FALSE;
	self->last_save = g_get_monotonic_time();
	self->busy++;
	hubd_segment_io_save_async(self->writer,
				   hubd_segment_map_to_text(self->map),
				   save_done_cb,
				   self);
}

/* ---- one connection or several ---- */

/* While the first connection is measured: once PROBE_US have passed (or its
 * segment ended), the others start, or it stays alone when it was fast. */
static void
hubd_segmented_fetch_measure(HubdSegmentedFetch *self, gsize n, gboolean segment_done)
{
	gint64 elapsed;

	if (!self->measuring)
		return;
	self->probe_bytes += n;
	elapsed = MAX(g_get_monotonic_time() - self->probe_start, 1);
	if (elapsed < PROBE_US && !segment_done)
		return;
	self->measuring = FALSE;
	self->one_stream =
		self->probe_bytes * G_USEC_PER_SEC / (guint64)elapsed >= self->one_stream_rate;
	g_debug("%s: the first connection brought %" G_GUINT64_FORMAT " bytes in %" G_GINT64_FORMAT
		" µs: %s",
		self->filename,
		self->probe_bytes,
		elapsed,
		self->one_stream ? "one stream is enough" : "more connections");
	if (!self->one_stream)
		hubd_segmented_fetch_start_more(self);
}

/* ---- connections ---- */

static void
conn_send(Conn *c);

static HubdSegment *
conn_seg(Conn *c)
{
	return hubd_segment_map_get(c->self->map, c->index);
}

static gboolean
conn_retry_cb(gpointer user_data)
{
	Conn *c = user_data;

	c->retry_id = 0;
	c->self->busy--;
	conn_send(c);
	return G_SOURCE_REMOVE;
}

/* The segment's attempt ended short (`error` says why): again from where it
 * is, after a pause, unless it stalled too often. */
static void
conn_failed(Conn *c, GError *error)
{
	HubdSegmentedFetch *self = c->self;
	HubdSegment *seg = conn_seg(c);

	g_clear_object(&c->stream);
	if (seg->pos > c->pos_at_attempt)
		c->failures = 0;
	if (++c->failures >= MAX_STALLED) {
		GError *end = hubd_segment_io_stalled_error(self->filename,
							    seg->pos,
							    seg->end,
							    MAX_STALLED,
							    error);

		conn_free(c);
		g_error_free(error);
		hubd_segmented_fetch_stop(self, end);
		return;
	}
	g_debug("%s: segment %u stopped at %" G_GUINT64_FORMAT " (%s), retrying it",
		self->filename,
		c->index,
		seg->pos,
		error->message);
	g_error_free(error);
	self->busy++;
	c->retry_id = g_timeout_add(self->retry_base_ms, conn_retry_cb, c);
}

static void
conn_done(Conn *c)
{
	HubdSegmentedFetch *self = c->self;

	conn_free(c);
	hubd_segmented_fetch_kick_save(self, TRUE);
	hubd_segmented_fetch_start_more(self);
	hubd_segmented_fetch_check_done(self);
}

static void
conn_read(Conn *c);

static void
write_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Conn *c = user_data;
	HubdSegmentedFetch *self = c->self;
	GError *error = NULL;
	HubdSegment *seg = conn_seg(c);

	if (!hubd_segment_io_write_finish(HUBD_BLOB_WRITER(source), res, &error)) {
		/* a disk error is not worth a retry */
		hubd_error_convert(&error);
		hubd_segmented_fetch_stop(self, error);
	} else {
		/* written: the map may claim it */
		seg->pos += c->have;
		self->dirty = TRUE;
	}
	c->have = 0;
	if (!hubd_segmented_fetch_live(self, c))
		return;
	hubd_segmented_fetch_kick_hash(self);
	hubd_segmented_fetch_kick_save(self, FALSE);
	if (seg->pos == seg->end) {
		conn_done(c);
		return;
	}
	if (c->ended) {
		conn_failed(c,
			    c->end_err != NULL
				    ? g_steal_pointer(&c->end_err)
				    : g_error_new_literal(HUBD_ERROR,
							  HUBD_ERROR_SERVER,
							  _("the connection closed early")));
		return;
	}
	conn_read(c);
}

static void
conn_write(Conn *c)
{
	c->self->busy++;
	hubd_segment_io_write_async(c->self->writer,
				    conn_seg(c)->pos,
				    c->buf,
				    c->have,
				    write_done_cb,
				    c);
}

static void
read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Conn *c = user_data;
	HubdSegmentedFetch *self = c->self;
	GError *error = NULL;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), res, &error);
	HubdSegment *seg = conn_seg(c);

	if (!hubd_segmented_fetch_live(self, c)) {
		g_clear_error(&error);
		return;
	}
	if (n > 0) {
		c->have += (gsize)n;
		self->progress((gint64)n, self->progress_data);
		hubd_segmented_fetch_measure(self, (gsize)n, seg->pos + c->have == seg->end);
		if (c->have < BUF_SIZE && seg->pos + c->have < seg->end) {
			conn_read(c);
			return;
		}
	} else {
		c->ended = TRUE;
		c->end_err = error;
	}
	if (c->have > 0) {
		conn_write(c);
		return;
	}
	conn_failed(c,
		    c->end_err != NULL ? g_steal_pointer(&c->end_err)
				       : g_error_new_literal(HUBD_ERROR,
							     HUBD_ERROR_SERVER,
							     _("the connection closed early")));
}

static void
conn_read(Conn *c)
{
	HubdSegment *seg = conn_seg(c);

	c->self->busy++;
	/* never past the segment: a server sending more is cut off */
	g_input_stream_read_async(c->stream,
				  c->buf + c->have,
				  (gsize)MIN(BUF_SIZE - c->have, seg->end - seg->pos - c->have),
				  G_PRIORITY_DEFAULT,
				  c->self->cancellable,
				  read_cb,
				  c);
}

static void
resolve_start(HubdSegmentedFetch *self);

static void
sent_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Conn *c = user_data;
	HubdSegmentedFetch *self = c->self;
	g_autoptr(HubdHubResponse) resp = NULL;
	GError *error = NULL;
	guint64 start = 0;
	guint status;

	c->stream = hubd_hub_api_send_finish(HUBD_HUB_API(source), res, &resp, &error);
	if (!hubd_segmented_fetch_live(self, c)) {
		g_clear_error(&error);
		return;
	}
	if (c->stream == NULL) {
		conn_failed(c, error);
		return;
	}
	status = hubd_hub_response_get_status(resp);
	if (status == 200) {
		g_debug("%s: the server ignores ranges, one stream then", self->filename);
		conn_free(c);
		hubd_segmented_fetch_stop(self,
					  g_error_new_literal(G_IO_ERROR,
							      G_IO_ERROR_NOT_SUPPORTED,
							      "ranges not supported"));
		return;
	}
	if (status == 403 && self->resolve_url != NULL) {
		/* the signed URL expired: a new one from the Hub, then again */
		g_clear_object(&c->stream);
		if (c->url_gen != self->url_gen) {
			conn_send(c);
			return;
		}
		g_ptr_array_add(self->waiting, c);
		resolve_start(self);
		return;
	}
	if (status != 206 ||
	    !hubd_segment_io_range_start(hubd_hub_response_get_headers(resp), &start) ||
	    start != conn_seg(c)->pos) {
		conn_failed(c,
			    g_error_new(HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("Unexpected answer %u while downloading “%s”"),
					status,
					self->filename));
		return;
	}
	if (!self->probed) {
		self->probed = TRUE;
		self->probe_start = g_get_monotonic_time();
		hubd_segmented_fetch_start_more(self);
	}
	conn_read(c);
}

static void
conn_send(Conn *c)
{
	HubdSegmentedFetch *self = c->self;
	HubdSegment *seg = conn_seg(c);
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", self->url);
	g_autofree gchar *range = g_strdup_printf("bytes=%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT,
						  seg->pos,
						  seg->end - 1);

	/* every status comes back here: a 403 means a new link, anything
	 * else unexpected is retried per segment */
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR);
	hubd_hub_request_set_header(req, "Accept-Encoding", "identity");
	hubd_hub_request_set_header(req, "Range", range);
	c->pos_at_attempt = seg->pos;
	c->url_gen = self->url_gen;
	c->ended = FALSE;
	self->busy++;
	hubd_hub_api_send_async(self->api, req, self->cancellable, sent_cb, c);
}

/* ---- a new URL when the CDN's expired ---- */

static void
resolved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdSegmentedFetch *self = HUBD_SEGMENTED_FETCH(user_data);
	GError *error = NULL;
	g_autofree gchar *url = hubd_segment_io_resolve_finish(HUBD_HUB_API(source), res, &error);

	self->resolving = FALSE;
	if (url == NULL)
		hubd_segmented_fetch_stop(self, error);
	if (!hubd_segmented_fetch_live(self, NULL))
		return;
	g_debug("%s: the CDN refused the link, the Hub gave a new one", self->filename);
	g_free(self->url);
	self->url = g_steal_pointer(&url);
	self->url_gen++;
	while (self->waiting->len > 0)
		conn_send(g_ptr_array_steal_index(self->waiting, 0));
}

static void
resolve_start(HubdSegmentedFetch *self)
{
	if (self->resolving)
		return;
	if (++self->resolves > MAX_RESOLVES) {
		hubd_segmented_fetch_stop(
			self,
			g_error_new(
				HUBD_ERROR,
				HUBD_ERROR_SERVER,
				_("The CDN keeps refusing the download links of “%s” (HTTP 403)"),
				self->filename));
		return;
	}
	self->resolving = TRUE;
	self->busy++;
	hubd_segment_io_resolve_async(self->api,
				      self->resolve_url,
				      self->filename,
				      self->cancellable,
				      resolved_cb,
				      self);
}

/* ---- scheduling ---- */

static void
hubd_segmented_fetch_start_more(HubdSegmentedFetch *self)
{
	HubdHubClient *client = hubd_hub_api_get_client(self->api);
	guint n = hubd_segment_map_get_count(self->map);
	/* none before the map is on disk: a .incomplete with gaps and no map
	 * would pass for a prefix; one until a 206 shows ranges work */
	guint share = self->probed && !self->measuring && !self->one_stream
			      ? hubd_hub_client_get_download_share(client, self->connections)
			      : 1;

	for (guint i = 0; i < n && self->saved && !self->stopping && !self->one_stream &&
			  self->conns->len < share;
	     i++) {
		HubdSegment *seg = hubd_segment_map_get(self->map, i);
		Conn *c;

		if (self->taken[i] || seg->pos == seg->end)
			continue;
		c = g_new0(Conn, 1);
		c->self = self;
		c->index = i;
		c->buf = g_malloc(BUF_SIZE);
		self->taken[i] = TRUE;
		g_ptr_array_add(self->conns, c);
		conn_send(c);
	}
}

static void
hubd_segmented_fetch_check_done(HubdSegmentedFetch *self)
{
	/* alone and fast: done once its segment is written and hashed */
	guint64 end = self->one_stream ? hubd_segment_map_get_prefix(self->map) : self->size;

	if (self->stopping || self->conns->len > 0 || hubd_segment_map_get_done(self->map) < end)
		return;
	if (self->hashed < end) {
		hubd_segmented_fetch_kick_hash(self);
		return;
	}
	hubd_segmented_fetch_stop(self, NULL);
}

void
hubd_segmented_fetch_run_async(HubdSegmentedFetch *self,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	guint64 done;

	g_return_if_fail(HUBD_IS_SEGMENTED_FETCH(self));
	g_return_if_fail(self->task == NULL);
	self->task = g_task_new(self, NULL, callback, user_data);
	g_task_set_source_tag(self->task, hubd_segmented_fetch_run_async);
	if (cancellable != NULL) {
		g_task_set_task_data(self->task, g_object_ref(cancellable), g_object_unref);
		self->cancel_id =
			g_cancellable_connect(cancellable,
					      G_CALLBACK(hubd_segmented_fetch_cancelled_cb),
					      self,
					      NULL);
	}
	hubd_hub_client_hold_download(hubd_hub_api_get_client(self->api), TRUE);
	/* the writer reported its prefix; the segments past it count too */
	done = hubd_segment_map_get_done(self->map);
	if (done > self->hashed)
		self->progress((gint64)(done - self->hashed), self->progress_data);
	g_debug("%s: %u segments, %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes there",
		self->filename,
		hubd_segment_map_get_count(self->map),
		done,
		self->size);
	/* the segments start once this is on disk */
	self->dirty = TRUE;
	hubd_segmented_fetch_kick_save(self, TRUE);
	hubd_segmented_fetch_check_done(self);
}

gboolean
hubd_segmented_fetch_run_finish(HubdSegmentedFetch *self,
				GAsyncResult *result,
				guint64 *continue_at,
				GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	if (!g_task_propagate_boolean(G_TASK(result), error))
		return FALSE;
	*continue_at = self->hashed;
	return TRUE;
}
