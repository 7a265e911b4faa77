/* hubd-transfer.c: one blob being fetched into the cache, shared by every
 * job that wants it — the network side, on the main loop.
 *
 * The disk side (the flock, blobs/<etag>.incomplete, the sha256 check, the
 * move into place) is a HubdBlobWriter. An .incomplete left by a killed
 * daemon is resumed with Range: bytes=N- (its prefix hashed first, in a
 * thread). The body streams through a HubdBodyPump: while one buffer is
 * read, the ones before it are written and hashed by two workers at once,
 * so memory stays constant, the main loop never blocks on the disk, and the
 * sha256 (as costly as the write) does not slow the download.
 *
 * With a mirror ([storage] mirror, docs/storage.md) the bytes come from that
 * backend first, through the same pump and writer, the resume included (a
 * range from the .incomplete's offset); the writer then checks regular files
 * too. A miss, a failing backend, a size the Hub did not announce or bytes
 * that fail the check fall back to the Hub, after dropping what the mirror
 * wrote. */
#define G_LOG_DOMAIN "HubdTransfer"

#include "hubd-transfer.h"

#include <glib/gi18n.h>

#include "hubd-blob-writer.h"
#include "hubd-body-pump.h"
#include "hubd-error.h"
#include "hubd-hub-client.h"
#include "hubd-segment-io.h"
#include "hubd-segmented-fetch.h"
#include "hubd-storage-mirror.h"

#define MAX_STALLED 5 /* attempts in a row without a byte of progress */

struct _HubdTransfer {
	GObject parent_instance;
	HubdHubApi *api; /* the first job's: its app is in the user agent */
	HubdBlobWriter *writer;
	gchar *url;
	gchar *filename;
	guint64 size;
	guint retry_base_ms;
	/* the mirror, and the blob's key in it while it is worth asking (NULL
	 * once it failed, or when the blob has no place in its layout) */
	HubdStorage *mirror;
	gchar *mirror_key;
	gboolean from_mirror; /* the body being read comes from the mirror */
	gchar *fill_key;      /* mirror-fill: where a blob from the Hub goes */
	gchar *resolve_url;
	guint64 parallel_min_size;
	guint connections;
	guint64 one_stream_rate;
	HubdSegmentedFetch *fetch; /* the parallel download running */
	gboolean held;             /* one connection of the download budget */

	gboolean started;
	gboolean finished;
	gboolean fetched;
	GCancellable *cancellable;
	GList *waiters;

	guint64 offset; /* bytes in .incomplete */
	guint64 offset_at_attempt;
	guint stalled;
	GInputStream *stream;
	HubdBodyPump *pump; /* reading stream into the writer */
	guint64 received;   /* bytes reported as progress */
	guint retry_id;
};

G_DEFINE_TYPE(HubdTransfer, hubd_transfer, G_TYPE_OBJECT)

static GHashTable *registry; /* blob path -> HubdTransfer (unowned) */

typedef struct {
	HubdTransfer *self;
	GTask *task;
	HubdJob *job;
	gchar *file; /* the job's name for this blob: its path in the repo */
	GCancellable *cancellable;
	gulong cancel_id;
	guint idle_id;
} Waiter;

static void
hubd_transfer_unregister(HubdTransfer *self)
{
	const gchar *key = hubd_blob_writer_get_path(self->writer);

	if (registry != NULL && g_hash_table_lookup(registry, key) == self)
		g_hash_table_remove(registry, key);
}

static void
hubd_transfer_finalize(GObject *object)
{
	HubdTransfer *self = HUBD_TRANSFER(object);

	hubd_transfer_unregister(self);
	g_clear_handle_id(&self->retry_id, g_source_remove);
	/* the pump's workers use the writer: the pump goes first */
	g_clear_pointer(&self->pump, hubd_body_pump_free);
	g_clear_object(&self->writer);
	g_clear_object(&self->api);
	g_clear_object(&self->mirror);
	g_free(self->mirror_key);
	g_free(self->fill_key);
	g_free(self->resolve_url);
	g_clear_object(&self->fetch);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->stream);
	g_free(self->url);
	g_free(self->filename);
	G_OBJECT_CLASS(hubd_transfer_parent_class)->finalize(object);
}

static void
hubd_transfer_class_init(HubdTransferClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_transfer_finalize;
}

static void
hubd_transfer_init(HubdTransfer *self)
{
	self->cancellable = g_cancellable_new();
}

/* The blob's key in the mirror, or NULL when it has none. */
static gchar *
hubd_transfer_mirror_key(const HubdTransferSpec *spec)
{
	g_autoptr(GError) error = NULL;
	gchar *key;

	if (spec->mirror == NULL)
		return NULL;
	key = hubd_storage_mirror_blob_key(hubd_repo_type_to_string(spec->type),
					   spec->repo_id,
					   spec->etag,
					   &error);
	if (key == NULL)
		g_debug("%s: not looked up in the mirror: %s", spec->filename, error->message);
	return key;
}

HubdTransfer *
hubd_transfer_lookup_or_new(HubdHubApi *api, HubdCache *cache, const HubdTransferSpec *spec)
{
	g_autofree gchar *mirror_key = hubd_transfer_mirror_key(spec);
	HubdBlobWriterSpec wspec = {
		.type = spec->type,
		.repo_id = spec->repo_id,
		.etag = spec->etag,
		.size = spec->size,
		.filename = spec->filename,
		.local_dir = spec->local_dir,
		.force = spec->force,
		.direct_min_size = spec->direct_min_size,
		.verify_git_sha1 = mirror_key != NULL,
	};
	/* not opened yet: nothing is locked or created */
	g_autoptr(HubdBlobWriter) writer = hubd_blob_writer_new(cache, &wspec);
	const gchar *key = hubd_blob_writer_get_path(writer);
	HubdTransfer *self;

	if (registry == NULL)
		registry = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self = g_hash_table_lookup(registry, key);
	if (self != NULL)
		return g_object_ref(self);
	self = g_object_new(HUBD_TYPE_TRANSFER, NULL);
	self->api = g_object_ref(api);
	self->writer = g_steal_pointer(&writer);
	self->size = spec->size;
	self->url = g_strdup(spec->url);
	self->filename = g_strdup(spec->filename);
	self->retry_base_ms = spec->retry_base_ms;
	self->resolve_url = g_strdup(spec->resolve_url);
	self->parallel_min_size = spec->parallel_min_size;
	self->connections = spec->connections;
	self->one_stream_rate = spec->one_stream_rate;
	if (mirror_key != NULL) {
		self->mirror = g_object_ref(spec->mirror);
		if (spec->mirror_fill)
			self->fill_key = g_strdup(mirror_key);
		self->mirror_key = g_steal_pointer(&mirror_key);
	}
	g_hash_table_insert(registry, g_strdup(key), self);
	return self;
}

guint
hubd_transfer_count_running(void)
{
	return registry != NULL ? g_hash_table_size(registry) : 0;
}

/* ---- waiters ---- */

static void
waiter_free(Waiter *w)
{
	if (w->cancellable != NULL && w->cancel_id != 0)
		g_cancellable_disconnect(w->cancellable, w->cancel_id);
	g_clear_handle_id(&w->idle_id, g_source_remove);
	g_clear_object(&w->cancellable);
	g_clear_object(&w->job);
	g_free(w->file);
	g_clear_object(&w->task);
	g_free(w);
}

static void
hubd_transfer_finish_all(HubdTransfer *self, GError *error)
{
	g_autoptr(GError) owned = error;
	GList *waiters = g_steal_pointer(&self->waiters);

	self->finished = TRUE;
	hubd_transfer_unregister(self);
	if (self->held)
		hubd_hub_client_release_download(hubd_hub_api_get_client(self->api), FALSE);
	self->held = FALSE;
	hubd_blob_writer_release(self->writer);
	if (error != NULL && !g_error_matches(error, HUBD_ERROR, HUBD_ERROR_CANCELLED))
		g_message("%s: %s", self->filename, error->message);
	for (GList *l = waiters; l != NULL; l = l->next) {
		Waiter *w = l->data;
		if (owned != NULL)
			g_task_return_error(w->task, g_error_copy(owned));
		else
			g_task_return_boolean(w->task, TRUE);
		waiter_free(w);
	}
	g_list_free(waiters);
}

static gboolean
waiter_cancel_idle(gpointer user_data)
{
	Waiter *w = user_data;
	HubdTransfer *self = w->self;

	w->idle_id = 0;
	self->waiters = g_list_remove(self->waiters, w);
	g_task_return_new_error(w->task, HUBD_ERROR, HUBD_ERROR_CANCELLED, _("Cancelled"));
	waiter_free(w);
	if (self->waiters == NULL && !self->finished) {
		/* nobody is left: stop; the .incomplete stays for a later resume */
		g_debug("%s: no job left, stopping the transfer", self->filename);
		hubd_transfer_unregister(self);
		g_cancellable_cancel(self->cancellable);
		if (self->retry_id != 0) {
			g_clear_handle_id(&self->retry_id, g_source_remove);
			hubd_transfer_finish_all(self,
						 g_error_new_literal(HUBD_ERROR,
								     HUBD_ERROR_CANCELLED,
								     _("Cancelled")));
			g_object_unref(self);
		}
	}
	return G_SOURCE_REMOVE;
}

static void
waiter_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	Waiter *w = user_data;

	/* may run inside g_cancellable_connect(): defer the work */
	if (w->idle_id == 0)
		w->idle_id = g_idle_add(waiter_cancel_idle, w);
}

/* Progress counts bytes received (written soon after), so a slow
 * connection moves the bar with every socket read, not every chunk. */
static void
hubd_transfer_progress(HubdTransfer *self, gint64 delta)
{
	self->received = (guint64)((gint64)self->received + delta);
	for (GList *l = self->waiters; l != NULL; l = l->next) {
		Waiter *w = l->data;
		if (w->job != NULL)
			hubd_job_file_progress(w->job, w->file, delta);
	}
}

/* ---- finishing ---- */

static void
hubd_transfer_mirror_failed(HubdTransfer *self, GError *error, gboolean drop);

/* ---- mirror-fill: what the Hub served goes into the mirror ---- */

static void
hubd_transfer_filled_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autofree gchar *key = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object =
		hubd_storage_put_finish(HUBD_STORAGE(source), res, &error);
	g_autofree gchar *name = hubd_storage_dup_name(HUBD_STORAGE(source));

	/* the download succeeded either way: a fill is a favour to the fleet */
	if (object == NULL)
		g_warning("the mirror “%s” could not be filled with %s: %s",
			  name,
			  key,
			  error->message);
	else
		g_debug("filled the mirror “%s” with %s", name, key);
}

static void
hubd_transfer_fill_opened_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdTransfer) self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GFileInputStream) stream = g_file_read_finish(G_FILE(source), res, &error);

	if (stream == NULL) {
		g_warning("the mirror cannot be filled with %s: %s",
			  self->fill_key,
			  error->message);
		return;
	}
	hubd_storage_put_async(self->mirror,
			       self->fill_key,
			       G_INPUT_STREAM(stream),
			       (gint64)self->size,
			       NULL,
			       hubd_transfer_filled_cb,
			       g_strdup(self->fill_key));
}

/* A blob verified in place that the Hub served, not the mirror: put it
 * there for the next machine. The file is read as it is now; a later
 * change of it in the cache is not this put's concern. */
static void
hubd_transfer_fill_mirror(HubdTransfer *self)
{
	g_autoptr(GFile) file = NULL;

	if (self->fill_key == NULL || self->from_mirror)
		return;
	file = g_file_new_for_path(hubd_blob_writer_get_path(self->writer));
	g_file_read_async(file,
			  G_PRIORITY_DEFAULT,
			  NULL,
			  hubd_transfer_fill_opened_cb,
			  g_object_ref(self));
}

static void
hubd_transfer_completed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTransfer *self = HUBD_TRANSFER(user_data);
	GError *error = NULL;

	if (!hubd_blob_writer_complete_finish(HUBD_BLOB_WRITER(source), res, &error)) {
		/* HUBD_ERROR_SERVER: the bytes failed their check */
		if (self->from_mirror && g_error_matches(error, HUBD_ERROR, HUBD_ERROR_SERVER)) {
			hubd_transfer_mirror_failed(self, error, TRUE);
			return;
		}
		hubd_transfer_finish_all(self, error);
	} else {
		hubd_transfer_fill_mirror(self);
		hubd_transfer_finish_all(self, NULL);
	}
	g_object_unref(self);
}

static void
hubd_transfer_complete_file(HubdTransfer *self)
{
	hubd_blob_writer_complete_async(self->writer, NULL, hubd_transfer_completed_cb, self);
}

/* ---- the body loop ---- */

static void
hubd_transfer_send(HubdTransfer *self);

static gboolean
hubd_transfer_retry_cb(gpointer user_data)
{
	HubdTransfer *self = HUBD_TRANSFER(user_data);

	self->retry_id = 0;
	hubd_transfer_send(self);
	return G_SOURCE_REMOVE;
}

static void
hubd_transfer_fail(HubdTransfer *self, GError *error)
{
	hubd_transfer_finish_all(self, error);
	g_object_unref(self);
}

/* The body ended (EOF, error or cancel) with every byte written; `read_error`
 * (taken) is why, NULL for the end of the body. */
static void
hubd_transfer_body_ended(HubdTransfer *self, GError *read_error)
{
	g_autoptr(GError) err = read_error;

	g_clear_object(&self->stream);
	if (g_cancellable_is_cancelled(self->cancellable)) {
		hubd_transfer_fail(
			self,
			g_error_new_literal(HUBD_ERROR, HUBD_ERROR_CANCELLED, _("Cancelled")));
		return;
	}
	if (self->offset == self->size) {
		hubd_transfer_complete_file(self);
		return;
	}
	if (self->from_mirror) {
		g_autofree gchar *want = g_strdup_printf("%" G_GUINT64_FORMAT, self->size);
		g_autofree gchar *have = g_strdup_printf("%" G_GUINT64_FORMAT, self->offset);
		hubd_transfer_mirror_failed(
			self,
			err != NULL ? g_steal_pointer(&err)
				    : g_error_new(HUBD_ERROR,
						  HUBD_ERROR_SERVER,
						  _("the object ended at byte %s of %s"),
						  have,
						  want),
			self->offset > self->offset_at_attempt);
		return;
	}
	if (self->offset > self->size) {
		g_autofree gchar *want = g_strdup_printf("%" G_GUINT64_FORMAT, self->size);
		hubd_blob_writer_discard(self->writer);
		hubd_transfer_fail(self,
				   g_error_new(HUBD_ERROR,
					       HUBD_ERROR_SERVER,
					       _("The Hub sent more bytes for “%s” than the %s it "
						 "announced; the download was discarded"),
					       self->filename,
					       want));
		return;
	}
	/* short: resume from where we are, as huggingface_hub's http_get */
	if (self->offset > self->offset_at_attempt)
		self->stalled = 0;
	if (++self->stalled >= MAX_STALLED) {
		g_autofree gchar *want = g_strdup_printf("%" G_GUINT64_FORMAT, self->size);
		g_autofree gchar *have = g_strdup_printf("%" G_GUINT64_FORMAT, self->offset);
		hubd_transfer_fail(
			self,
			g_error_new(HUBD_ERROR,
				    err != NULL ? HUBD_ERROR_NETWORK : HUBD_ERROR_SERVER,
				    _("Consistency check failed: “%s” should be %s bytes "
				      "but only %s arrived after %d attempts (%s)"),
				    self->filename,
				    want,
				    have,
				    MAX_STALLED,
				    err != NULL ? err->message : _("the connection closed early")));
		return;
	}
	g_debug("%s: body ended at %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " (%s), resuming",
		self->filename,
		self->offset,
		self->size,
		err != NULL ? err->message : "early EOF");
	self->retry_id = g_timeout_add(self->retry_base_ms, hubd_transfer_retry_cb, self);
}

static void
hubd_transfer_progress_cb(gint64 delta, gpointer user_data)
{
	hubd_transfer_progress(HUBD_TRANSFER(user_data), delta);
}

static void
hubd_transfer_body_done(guint64 written,
			GError *read_error,
			GError *write_error,
			gpointer user_data)
{
	HubdTransfer *self = HUBD_TRANSFER(user_data);

	g_clear_pointer(&self->pump, hubd_body_pump_free);
	self->offset = self->offset_at_attempt + written;
	if (write_error != NULL) {
		/* not worth a retry */
		g_clear_error(&read_error);
		g_clear_object(&self->stream);
		hubd_transfer_fail(self, write_error);
		return;
	}
	hubd_transfer_body_ended(self, read_error);
}

/* self->stream holds the bytes from self->offset on. */
static void
hubd_transfer_start_body(HubdTransfer *self)
{
	self->pump = hubd_body_pump_start(self->stream,
					  self->writer,
					  self->offset,
					  self->size,
					  self->cancellable,
					  hubd_transfer_progress_cb,
					  hubd_transfer_body_done,
					  self);
}

static void
hubd_transfer_sent_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTransfer *self = HUBD_TRANSFER(user_data);
	g_autoptr(HubdHubResponse) resp = NULL;
	GError *error = NULL;
	guint status;
	guint64 start = 0;

	self->stream = hubd_hub_api_send_finish(HUBD_HUB_API(source), res, &resp, &error);
	if (self->stream == NULL) {
		if (g_cancellable_is_cancelled(self->cancellable)) {
			g_clear_error(&error);
			error = g_error_new_literal(HUBD_ERROR,
						    HUBD_ERROR_CANCELLED,
						    _("Cancelled"));
		}
		hubd_transfer_fail(self, error);
		return;
	}
	self->fetched = TRUE;
	self->from_mirror = FALSE;
	status = hubd_hub_response_get_status(resp);
	if (status == 206 &&
	    (!hubd_segment_io_range_start(hubd_hub_response_get_headers(resp), &start) ||
	     start != self->offset))
		status = 0;
	if (status == 200 && self->offset > 0) {
		/* a 200 to a Range request: start again from zero */
		g_debug("%s: the server ignored the range, restarting", self->filename);
		hubd_transfer_progress(self, -(gint64)self->received);
		self->offset = 0;
		self->offset_at_attempt = 0;
		hubd_blob_writer_restart(self->writer);
	} else if (status != 200 && status != 206) {
		g_clear_object(&self->stream);
		hubd_transfer_fail(self,
				   g_error_new(HUBD_ERROR,
					       HUBD_ERROR_SERVER,
					       _("Unexpected answer %u while downloading “%s”"),
					       hubd_hub_response_get_status(resp),
					       self->filename));
		return;
	}
	hubd_transfer_start_body(self);
}

static void
hubd_transfer_send(HubdTransfer *self)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", self->url);

	hubd_hub_request_set_header(req, "Accept-Encoding", "identity");
	if (self->offset > 0) {
		g_autofree gchar *range =
			g_strdup_printf("bytes=%" G_GUINT64_FORMAT "-", self->offset);
		hubd_hub_request_set_header(req, "Range", range);
	}
	self->offset_at_attempt = self->offset;
	if (!self->held)
		hubd_hub_client_hold_download(hubd_hub_api_get_client(self->api), FALSE);
	self->held = TRUE;
	hubd_hub_api_send_async(self->api, req, self->cancellable, hubd_transfer_sent_cb, self);
}

/* ---- the mirror: the same body, from a storage backend ---- */

static void
hubd_transfer_mirror_got_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTransfer *self = HUBD_TRANSFER(user_data);
	g_autoptr(HubdStorageObject) object = NULL;
	GError *error = NULL;
	GInputStream *stream = hubd_storage_get_finish(HUBD_STORAGE(source), res, &object, &error);

	if (g_cancellable_is_cancelled(self->cancellable)) {
		g_clear_object(&stream);
		g_clear_error(&error);
		hubd_transfer_fail(
			self,
			g_error_new_literal(HUBD_ERROR, HUBD_ERROR_CANCELLED, _("Cancelled")));
		return;
	}
	if (stream == NULL) {
		hubd_transfer_mirror_failed(self, error, FALSE);
		return;
	}
	if (hubd_storage_object_get_size(object) != self->size) {
		g_autofree gchar *have =
			g_strdup_printf("%" G_GUINT64_FORMAT, hubd_storage_object_get_size(object));
		g_autofree gchar *want = g_strdup_printf("%" G_GUINT64_FORMAT, self->size);
		g_object_unref(stream);
		hubd_transfer_mirror_failed(
			self,
			g_error_new(HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("it holds %s bytes, the Hub announced %s"),
				    have,
				    want),
			FALSE);
		return;
	}
	g_debug("%s: reading %s from the mirror at byte %" G_GUINT64_FORMAT,
		self->filename,
		self->mirror_key,
		self->offset);
	self->stream = stream;
	self->fetched = TRUE;
	self->from_mirror = TRUE;
	hubd_transfer_start_body(self);
}

/* From self->offset to the end: the range resumes an .incomplete. */
static void
hubd_transfer_mirror_get(HubdTransfer *self)
{
	self->offset_at_attempt = self->offset;
	hubd_storage_get_async(self->mirror,
			       self->mirror_key,
			       self->offset,
			       -1,
			       self->cancellable,
			       hubd_transfer_mirror_got_cb,
			       self);
}

/* ---- a big blob over several connections ---- */

static void
hubd_transfer_fetched_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTransfer *self = HUBD_TRANSFER(user_data);
	GError *error = NULL;

	guint64 continue_at = 0;

	g_clear_object(&self->fetch);
	if (hubd_segmented_fetch_run_finish(HUBD_SEGMENTED_FETCH(source),
					    res,
					    &continue_at,
					    &error)) {
		self->offset = continue_at;
		if (continue_at == self->size) {
			hubd_transfer_complete_file(self);
			return;
		}
		/* one connection was as fast as several: the rest in one stream */
		self->connections = 1;
		hubd_blob_writer_continue_at(self->writer, continue_at);
		hubd_transfer_send(self);
		return;
	}
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED)) {
		/* no ranges: the whole file as one stream, from byte 0 */
		g_clear_error(&error);
		self->connections = 1;
		hubd_transfer_progress(self, -(gint64)self->received);
		self->offset = 0;
		hubd_blob_writer_restart(self->writer);
		hubd_transfer_send(self);
		return;
	}
	hubd_transfer_fail(self, error);
}

/* The mirror while it may have the blob, else the Hub: a big blob in
 * segments, anything else as one stream. */
static void
hubd_transfer_fetch(HubdTransfer *self)
{
	HubdSegmentedFetchSpec fspec = {
		.api = self->api,
		.writer = self->writer,
		.offset = self->offset,
		.url = self->url,
		.resolve_url = self->resolve_url,
		.filename = self->filename,
		.size = self->size,
		.connections = self->connections,
		.one_stream_rate = self->one_stream_rate,
		.retry_base_ms = self->retry_base_ms,
		.progress = hubd_transfer_progress_cb,
		.progress_data = self,
	};

	if (self->mirror_key != NULL) {
		hubd_transfer_mirror_get(self);
		return;
	}
	if (self->connections < 2 || self->size < self->parallel_min_size) {
		hubd_transfer_send(self);
		return;
	}
	self->fetched = TRUE;
	self->fetch = hubd_segmented_fetch_new(&fspec);
	hubd_segmented_fetch_run_async(self->fetch,
				       self->cancellable,
				       hubd_transfer_fetched_cb,
				       self);
}

static void
hubd_transfer_opened_cb(GObject *source, GAsyncResult *res, gpointer user_data);

/* The mirror did not give the right bytes (`error` says why): a warning,
 * except for a plain miss, and the Hub from now on. With `drop` what the
 * .incomplete holds cannot be trusted: it goes, and the writer opens it
 * afresh (which also lets another process that finished the blob meanwhile
 * answer); otherwise the Hub resumes where the file is. */
static void
hubd_transfer_mirror_failed(HubdTransfer *self, GError *error, gboolean drop)
{
	g_autoptr(GError) owned = error;
	g_autofree gchar *name = hubd_storage_dup_name(self->mirror);

	if (g_error_matches(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND))
		g_debug("%s: not in the mirror “%s”, fetching from the Hub", self->filename, name);
	else
		g_warning("%s: the mirror “%s” could not give %s (%s); fetching from the Hub",
			  self->filename,
			  name,
			  self->mirror_key,
			  error->message);
	g_clear_pointer(&self->mirror_key, g_free);
	self->from_mirror = FALSE;
	if (!drop) {
		hubd_transfer_send(self);
		return;
	}
	hubd_transfer_progress(self, -(gint64)self->received);
	self->offset = 0;
	/* under the lock still: nobody resumes what is deleted here */
	hubd_blob_writer_discard(self->writer);
	hubd_blob_writer_release(self->writer);
	hubd_blob_writer_open_async(self->writer, self->cancellable, hubd_transfer_opened_cb, self);
}

/* ---- start: lock, look, open, hash what is there ---- */

static void
hubd_transfer_opened_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTransfer *self = HUBD_TRANSFER(user_data);
	GError *error = NULL;
	gboolean present = FALSE;

	if (!hubd_blob_writer_open_finish(HUBD_BLOB_WRITER(source),
					  res,
					  &present,
					  &self->offset,
					  &error)) {
		if (g_cancellable_is_cancelled(self->cancellable)) {
			g_clear_error(&error);
			error = g_error_new_literal(HUBD_ERROR,
						    HUBD_ERROR_CANCELLED,
						    _("Cancelled"));
		}
		hubd_error_convert(&error);
		hubd_transfer_fail(self, error);
		return;
	}
	if (present) {
		hubd_transfer_fail(self, NULL);
		return;
	}
	if (self->offset > 0) {
		g_debug("%s: resuming at byte %" G_GUINT64_FORMAT, self->filename, self->offset);
		hubd_transfer_progress(self, (gint64)self->offset);
	}
	if (self->offset == self->size) {
		hubd_transfer_complete_file(self);
		return;
	}
	hubd_transfer_fetch(self);
}

void
hubd_transfer_wait_async(HubdTransfer *self,
			 HubdJob *job,
			 const gchar *file,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	Waiter *w;

	g_return_if_fail(HUBD_IS_TRANSFER(self));
	w = g_new0(Waiter, 1);
	w->self = self;
	w->task = g_task_new(self, NULL, callback, user_data);
	g_task_set_source_tag(w->task, hubd_transfer_wait_async);
	w->job = job != NULL ? g_object_ref(job) : NULL;
	w->file = g_strdup(file);
	self->waiters = g_list_append(self->waiters, w);
	if (cancellable != NULL) {
		w->cancellable = g_object_ref(cancellable);
		w->cancel_id = g_cancellable_connect(cancellable,
						     G_CALLBACK(waiter_cancelled_cb),
						     w,
						     NULL);
	}
	if (!self->started) {
		self->started = TRUE;
		g_object_ref(self); /* the running transfer */
		hubd_blob_writer_open_async(self->writer,
					    self->cancellable,
					    hubd_transfer_opened_cb,
					    self);
	} else if (w->job != NULL && self->received > 0) {
		/* a late joiner starts where the transfer is */
		hubd_job_file_progress(w->job, w->file, (gint64)self->received);
	}
}

gboolean
hubd_transfer_wait_finish(HubdTransfer *self,
			  GAsyncResult *result,
			  gboolean *fetched,
			  GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	if (fetched != NULL)
		*fetched = self->fetched;
	return g_task_propagate_boolean(G_TASK(result), error);
}
