/* hubd-upload-stream.c: HubdUploadStream, a lazily read request body made of
 * memory, ranges of sources (local files, storage objects) and base64-encoded
 * sources. GInputStream's default
 * read_async runs read_fn in a worker thread (the stream is not pollable), so
 * the file reads here never block the main loop. */
#define G_LOG_DOMAIN "HubdUpload"

#include "hubd-upload-stream.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-upload-source.h"

#define RAW_CHUNK (48 * 1024) /* a multiple of 3: base64 without padding */
#define AHEAD     (1024 * 1024)

typedef enum { SEG_BYTES, SEG_RANGE, SEG_BASE64 } SegKind;

typedef struct {
	SegKind kind;
	GBytes *bytes;
	HubdUploadSource *source;
	guint64 offset;
	guint64 length; /* raw bytes of the source to read */
	HubdFileProgress *progress;
	guint64 counted; /* bytes added to `progress` by this stream */
} Segment;

struct _HubdUploadStream {
	GInputStream parent_instance;
	GArray *segments; /* Segment */
	guint current;
	guint64 seg_pos; /* bytes of the current segment's output given */
	guint64 raw_pos; /* bytes of the current file read */
	GInputStream *file;
	gchar *pending; /* base64 output not handed out yet */
	gsize pending_len;
	gsize pending_pos;
	gint64 *counter;
	guint64 file_bytes_read;
	gboolean marked; /* the current segment's progress is active */
	guint8 *ahead;   /* read-ahead: AHEAD bytes of output */
	gsize ahead_len;
	gsize ahead_pos;
};

G_DEFINE_TYPE(HubdUploadStream, hubd_upload_stream, G_TYPE_INPUT_STREAM)

static void
segment_clear(Segment *seg)
{
	g_clear_pointer(&seg->bytes, g_bytes_unref);
	g_clear_pointer(&seg->source, hubd_upload_source_unref);
	g_clear_pointer(&seg->progress, hubd_file_progress_unref);
}

HubdFileProgress *
hubd_file_progress_new(void)
{
	return g_atomic_rc_box_new0(HubdFileProgress);
}

HubdFileProgress *
hubd_file_progress_ref(HubdFileProgress *self)
{
	return g_atomic_rc_box_acquire(self);
}

void
hubd_file_progress_unref(HubdFileProgress *self)
{
	g_atomic_rc_box_release(self);
}

/* the current segment's file is no longer being read by this stream */
static void
hubd_upload_stream_unmark(HubdUploadStream *self)
{
	if (!self->marked)
		return;
	__atomic_sub_fetch(&g_array_index(self->segments, Segment, self->current).progress->active,
			   1,
			   __ATOMIC_RELAXED);
	self->marked = FALSE;
}

static void
hubd_upload_stream_next_segment(HubdUploadStream *self)
{
	hubd_upload_stream_unmark(self);
	if (self->file != NULL)
		g_input_stream_close(self->file, NULL, NULL);
	g_clear_object(&self->file);
	g_clear_pointer(&self->pending, g_free);
	self->pending_len = self->pending_pos = 0;
	self->seg_pos = 0;
	self->raw_pos = 0;
	self->current++;
}

static gboolean
hubd_upload_stream_open(HubdUploadStream *self,
			Segment *seg,
			GCancellable *cancellable,
			GError **error)
{
	if (self->file != NULL)
		return TRUE;
	self->file =
		hubd_upload_source_open(seg->source, seg->offset, seg->length, cancellable, error);
	return self->file != NULL;
}

/* reads up to `count` raw bytes of the current file segment; 0 only at its end */
static gssize
hubd_upload_stream_read_raw(HubdUploadStream *self,
			    Segment *seg,
			    void *buffer,
			    gsize count,
			    GCancellable *cancellable,
			    GError **error)
{
	guint64 left = seg->length - self->raw_pos;
	gssize n;

	if (left == 0)
		return 0;
	if (!hubd_upload_stream_open(self, seg, cancellable, error))
		return -1;
	if (seg->progress != NULL && !self->marked) {
		__atomic_add_fetch(&seg->progress->active, 1, __ATOMIC_RELAXED);
		self->marked = TRUE;
	}
	n = g_input_stream_read(self->file, buffer, MIN(count, left), cancellable, error);
	if (n < 0)
		return -1;
	if (n == 0) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("%s changed while it was being uploaded"),
			    hubd_upload_source_describe(seg->source));
		return -1;
	}
	self->raw_pos += (guint64)n;
	self->file_bytes_read += (guint64)n;
	if (self->counter != NULL)
		__atomic_add_fetch(self->counter, (gint64)n, __ATOMIC_RELAXED);
	if (seg->progress != NULL) {
		seg->counted += (guint64)n;
		__atomic_add_fetch(&seg->progress->bytes, (gint64)n, __ATOMIC_RELAXED);
	}
	return n;
}

static gssize
hubd_upload_stream_produce(HubdUploadStream *self,
			   void *buffer,
			   gsize count,
			   GCancellable *cancellable,
			   GError **error)
{

	while (self->current < self->segments->len) {
		Segment *seg = &g_array_index(self->segments, Segment, self->current);

		if (seg->kind == SEG_BYTES) {
			gsize len = 0;
			const guint8 *data = g_bytes_get_data(seg->bytes, &len);
			gsize n = MIN(count, len - self->seg_pos);

			if (n == 0) {
				hubd_upload_stream_next_segment(self);
				continue;
			}
			memcpy(buffer, data + self->seg_pos, n);
			self->seg_pos += n;
			return (gssize)n;
		}
		if (seg->kind == SEG_RANGE) {
			gssize n = hubd_upload_stream_read_raw(self,
							       seg,
							       buffer,
							       count,
							       cancellable,
							       error);

			if (n == 0) {
				hubd_upload_stream_next_segment(self);
				continue;
			}
			return n;
		}
		/* SEG_BASE64 */
		if (self->pending_pos < self->pending_len) {
			gsize n = MIN(count, self->pending_len - self->pending_pos);

			memcpy(buffer, self->pending + self->pending_pos, n);
			self->pending_pos += n;
			return (gssize)n;
		} else {
			g_autofree guint8 *raw = g_malloc(RAW_CHUNK);
			gsize got = 0;

			/* fill a whole chunk so only the last one can need padding */
			while (got < RAW_CHUNK) {
				gssize n = hubd_upload_stream_read_raw(self,
								       seg,
								       raw + got,
								       RAW_CHUNK - got,
								       cancellable,
								       error);
				if (n < 0)
					return -1;
				if (n == 0)
					break;
				got += (gsize)n;
			}
			if (got == 0) {
				hubd_upload_stream_next_segment(self);
				continue;
			}
			g_free(self->pending);
			self->pending = g_base64_encode(raw, got);
			self->pending_len = strlen(self->pending);
			self->pending_pos = 0;
		}
	}
	return 0;
}

/* fills the read-ahead buffer with up to AHEAD bytes (worker thread) */
static gssize
hubd_upload_stream_fill(HubdUploadStream *self, GCancellable *cancellable, GError **error)
{
	gsize got = 0;

	if (self->ahead == NULL)
		self->ahead = g_malloc(AHEAD);
	while (got < AHEAD) {
		gssize n = hubd_upload_stream_produce(self,
						      self->ahead + got,
						      AHEAD - got,
						      cancellable,
						      error);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (gsize)n;
	}
	self->ahead_len = got;
	self->ahead_pos = 0;
	return (gssize)got;
}

static gssize
hubd_upload_stream_take(HubdUploadStream *self, void *buffer, gsize count)
{
	gsize n = MIN(count, self->ahead_len - self->ahead_pos);

	memcpy(buffer, self->ahead + self->ahead_pos, n);
	self->ahead_pos += n;
	return (gssize)n;
}

static gssize
hubd_upload_stream_read_fn(GInputStream *stream,
			   void *buffer,
			   gsize count,
			   GCancellable *cancellable,
			   GError **error)
{
	HubdUploadStream *self = HUBD_UPLOAD_STREAM(stream);

	if (self->ahead_pos >= self->ahead_len &&
	    hubd_upload_stream_fill(self, cancellable, error) < 0)
		return -1;
	return hubd_upload_stream_take(self, buffer, count);
}

typedef struct {
	void *buffer;
	gsize count;
} ReadData;

static void
hubd_upload_stream_fill_thread(GTask *task,
			       gpointer source,
			       gpointer task_data,
			       GCancellable *cancellable)
{
	HubdUploadStream *self = HUBD_UPLOAD_STREAM(source);
	ReadData *rd = task_data;
	GError *error = NULL;

	if (hubd_upload_stream_fill(self, cancellable, &error) < 0) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_int(task, hubd_upload_stream_take(self, rd->buffer, rd->count));
}

/* libsoup reads request bodies in small pieces: serve them from a large
 * read-ahead buffer and go to a worker thread only to refill it, instead of
 * one thread hop per piece (GInputStream's default for non-pollable streams) */
static void
hubd_upload_stream_read_async(GInputStream *stream,
			      void *buffer,
			      gsize count,
			      int io_priority,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	HubdUploadStream *self = HUBD_UPLOAD_STREAM(stream);
	g_autoptr(GTask) task = g_task_new(stream, cancellable, callback, user_data);
	ReadData *rd;

	g_task_set_priority(task, io_priority);
	if (self->ahead_pos < self->ahead_len) {
		g_task_return_int(task, hubd_upload_stream_take(self, buffer, count));
		return;
	}
	rd = g_new0(ReadData, 1);
	rd->buffer = buffer;
	rd->count = count;
	g_task_set_task_data(task, rd, g_free);
	g_task_run_in_thread(task, hubd_upload_stream_fill_thread);
}

static gssize
hubd_upload_stream_read_finish(GInputStream *stream, GAsyncResult *result, GError **error)
{
	return g_task_propagate_int(G_TASK(result), error);
}

static gboolean
hubd_upload_stream_close_fn(GInputStream *stream, GCancellable *cancellable, GError **error)
{
	HubdUploadStream *self = HUBD_UPLOAD_STREAM(stream);

	if (self->file != NULL)
		g_input_stream_close(self->file, NULL, NULL);
	g_clear_object(&self->file);
	return TRUE;
}

static void
hubd_upload_stream_finalize(GObject *object)
{
	HubdUploadStream *self = HUBD_UPLOAD_STREAM(object);

	hubd_upload_stream_unmark(self);
	g_clear_object(&self->file);
	g_free(self->pending);
	g_free(self->ahead);
	g_array_unref(self->segments);
	G_OBJECT_CLASS(hubd_upload_stream_parent_class)->finalize(object);
}

static void
hubd_upload_stream_class_init(HubdUploadStreamClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_upload_stream_finalize;
	G_INPUT_STREAM_CLASS(klass)->read_fn = hubd_upload_stream_read_fn;
	G_INPUT_STREAM_CLASS(klass)->read_async = hubd_upload_stream_read_async;
	G_INPUT_STREAM_CLASS(klass)->read_finish = hubd_upload_stream_read_finish;
	G_INPUT_STREAM_CLASS(klass)->close_fn = hubd_upload_stream_close_fn;
}

static void
hubd_upload_stream_init(HubdUploadStream *self)
{
	self->segments = g_array_new(FALSE, TRUE, sizeof(Segment));
	g_array_set_clear_func(self->segments, (GDestroyNotify)segment_clear);
}

HubdUploadStream *
hubd_upload_stream_new(gint64 *counter)
{
	HubdUploadStream *self = g_object_new(HUBD_TYPE_UPLOAD_STREAM, NULL);

	self->counter = counter;
	return self;
}

void
hubd_upload_stream_add_bytes(HubdUploadStream *self, GBytes *bytes)
{
	Segment seg = {SEG_BYTES, g_bytes_ref(bytes), NULL, 0, 0, NULL, 0};

	g_array_append_val(self->segments, seg);
}

void
hubd_upload_stream_add_string(HubdUploadStream *self, const gchar *text)
{
	g_autoptr(GBytes) bytes = g_bytes_new(text, strlen(text));

	hubd_upload_stream_add_bytes(self, bytes);
}

void
hubd_upload_stream_add_source_range(HubdUploadStream *self,
				    HubdUploadSource *source,
				    guint64 offset,
				    guint64 length,
				    HubdFileProgress *progress)
{
	Segment seg = {SEG_RANGE,
		       NULL,
		       hubd_upload_source_ref(source),
		       offset,
		       length,
		       progress != NULL ? hubd_file_progress_ref(progress) : NULL,
		       0};

	g_array_append_val(self->segments, seg);
}

void
hubd_upload_stream_add_source_base64(HubdUploadStream *self,
				     HubdUploadSource *source,
				     guint64 size,
				     HubdFileProgress *progress)
{
	Segment seg = {SEG_BASE64,
		       NULL,
		       hubd_upload_source_ref(source),
		       0,
		       size,
		       progress != NULL ? hubd_file_progress_ref(progress) : NULL,
		       0};

	g_array_append_val(self->segments, seg);
}

void
hubd_upload_stream_add_file_range(HubdUploadStream *self,
				  const gchar *path,
				  guint64 offset,
				  guint64 length,
				  HubdFileProgress *progress)
{
	g_autoptr(HubdUploadSource) source = hubd_upload_source_new_local(path);

	hubd_upload_stream_add_source_range(self, source, offset, length, progress);
}

void
hubd_upload_stream_add_file_base64(HubdUploadStream *self,
				   const gchar *path,
				   guint64 size,
				   HubdFileProgress *progress)
{
	g_autoptr(HubdUploadSource) source = hubd_upload_source_new_local(path);

	hubd_upload_stream_add_source_base64(self, source, size, progress);
}

guint64
hubd_upload_stream_get_length(HubdUploadStream *self)
{
	guint64 total = 0;

	for (guint i = 0; i < self->segments->len; i++) {
		Segment *seg = &g_array_index(self->segments, Segment, i);

		if (seg->kind == SEG_BYTES)
			total += g_bytes_get_size(seg->bytes);
		else if (seg->kind == SEG_RANGE)
			total += seg->length;
		else
			total += HUBD_BASE64_LEN(seg->length);
	}
	return total;
}

guint64
hubd_upload_stream_get_file_bytes_read(HubdUploadStream *self)
{
	return self->file_bytes_read;
}

void
hubd_upload_stream_uncount(HubdUploadStream *self)
{
	g_return_if_fail(HUBD_IS_UPLOAD_STREAM(self));
	hubd_upload_stream_unmark(self);
	if (self->counter != NULL)
		__atomic_sub_fetch(self->counter, (gint64)self->file_bytes_read, __ATOMIC_RELAXED);
	self->file_bytes_read = 0;
	for (guint i = 0; i < self->segments->len; i++) {
		Segment *seg = &g_array_index(self->segments, Segment, i);

		if (seg->progress != NULL && seg->counted > 0)
			__atomic_sub_fetch(&seg->progress->bytes,
					   (gint64)seg->counted,
					   __ATOMIC_RELAXED);
		seg->counted = 0;
	}
}
