/* hubd-storage-file-stream.c: HubdStorageFileStream, a byte range of an open file as a GInputStream
 */
#define G_LOG_DOMAIN "HubdStorageFile"

#include "hubd-storage-file-stream.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

struct _HubdStorageFileStream {
	GInputStream parent_instance;
	gint fd;
	guint64 position; /* the next byte to read */
	guint64 end;      /* one past the last byte of the range */
};

G_DEFINE_TYPE(HubdStorageFileStream, hubd_storage_file_stream, G_TYPE_INPUT_STREAM)

static gssize
hubd_storage_file_stream_read(GInputStream *stream,
			      void *buffer,
			      gsize count,
			      GCancellable *cancellable,
			      GError **error)
{
	HubdStorageFileStream *self = HUBD_STORAGE_FILE_STREAM(stream);
	gsize want;
	gssize n;

	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return -1;
	want = (gsize)MIN((guint64)count, self->end - self->position);
	if (want == 0)
		return 0;
	do
		n = pread(self->fd, buffer, want, (off_t)self->position);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		gint errsv = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    _("Cannot read a stored object: %s"),
			    g_strerror(errsv));
		return -1;
	}
	if (n == 0) {
		/* the file was truncated under us: not the object it was */
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_PARTIAL_INPUT,
				    _("A stored object was cut short while being read"));
		return -1;
	}
	self->position += (guint64)n;
	return n;
}

static gssize
hubd_storage_file_stream_skip(GInputStream *stream,
			      gsize count,
			      GCancellable *cancellable,
			      GError **error)
{
	HubdStorageFileStream *self = HUBD_STORAGE_FILE_STREAM(stream);
	gsize skipped = (gsize)MIN((guint64)count, self->end - self->position);

	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return -1;
	self->position += skipped;
	return (gssize)skipped;
}

static gboolean
hubd_storage_file_stream_close(GInputStream *stream, GCancellable *cancellable, GError **error)
{
	HubdStorageFileStream *self = HUBD_STORAGE_FILE_STREAM(stream);

	if (self->fd >= 0) {
		gint fd = self->fd;
		self->fd = -1;
		return g_close(fd, error);
	}
	return TRUE;
}

static void
hubd_storage_file_stream_finalize(GObject *object)
{
	HubdStorageFileStream *self = HUBD_STORAGE_FILE_STREAM(object);

	if (self->fd >= 0)
		g_close(self->fd, NULL);
	G_OBJECT_CLASS(hubd_storage_file_stream_parent_class)->finalize(object);
}

static void
hubd_storage_file_stream_class_init(HubdStorageFileStreamClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS(klass);

	object_class->finalize = hubd_storage_file_stream_finalize;
	stream_class->read_fn = hubd_storage_file_stream_read;
	stream_class->skip = hubd_storage_file_stream_skip;
	stream_class->close_fn = hubd_storage_file_stream_close;
}

static void
hubd_storage_file_stream_init(HubdStorageFileStream *self)
{
	self->fd = -1;
}

GInputStream *
hubd_storage_file_stream_new(gint fd, guint64 offset, guint64 length)
{
	HubdStorageFileStream *self = g_object_new(HUBD_TYPE_STORAGE_FILE_STREAM, NULL);

	self->fd = fd;
	self->position = offset;
	self->end = offset + length;
	return G_INPUT_STREAM(self);
}
