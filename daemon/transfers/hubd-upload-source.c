/* hubd-upload-source.c: HubdUploadSource. Upload bodies are read with
 * blocking reads in worker threads (hubd-upload-stream.c); a storage object
 * is opened with the backend's async get, which must run on the storage's
 * own main context (libsoup sessions are bound to it), so a worker sends
 * the open there and waits; the stream get returns supports blocking reads
 * from any thread (docs/storage.md). */
#define G_LOG_DOMAIN "HubdUpload"

#include "hubd-upload-source.h"

#include "hubd-sync-call.h"

struct _HubdUploadSource {
	gchar *path;          /* a local file, or NULL */
	HubdStorage *storage; /* else this backend's */
	gchar *key;           /* object */
	GMainContext *context;
	gchar *description;
};

HubdUploadSource *
hubd_upload_source_new_local(const gchar *path)
{
	HubdUploadSource *self = g_atomic_rc_box_new0(HubdUploadSource);

	self->path = g_strdup(path);
	self->description = g_strdup(path);
	return self;
}

HubdUploadSource *
hubd_upload_source_new_storage(HubdStorage *storage, const gchar *key)
{
	HubdUploadSource *self = g_atomic_rc_box_new0(HubdUploadSource);
	g_autofree gchar *name = NULL;

	g_object_get(storage, "name", &name, NULL);
	self->storage = g_object_ref(storage);
	self->key = g_strdup(key);
	self->context = g_main_context_ref_thread_default();
	self->description = g_strdup_printf("%s/%s", name != NULL ? name : "", key);
	return self;
}

HubdUploadSource *
hubd_upload_source_ref(HubdUploadSource *self)
{
	return g_atomic_rc_box_acquire(self);
}

static void
hubd_upload_source_clear(HubdUploadSource *self)
{
	g_free(self->path);
	g_clear_object(&self->storage);
	g_free(self->key);
	g_clear_pointer(&self->context, g_main_context_unref);
	g_free(self->description);
}

void
hubd_upload_source_unref(HubdUploadSource *self)
{
	g_atomic_rc_box_release_full(self, (GDestroyNotify)hubd_upload_source_clear);
}

const gchar *
hubd_upload_source_describe(HubdUploadSource *self)
{
	return self->description;
}

static GInputStream *
hubd_upload_source_open_local(HubdUploadSource *self,
			      guint64 offset,
			      GCancellable *cancellable,
			      GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(self->path);
	g_autoptr(GFileInputStream) in = g_file_read(file, cancellable, error);

	if (in == NULL)
		return NULL;
	if (offset > 0 &&
	    !g_seekable_seek(G_SEEKABLE(in), (goffset)offset, G_SEEK_SET, cancellable, error))
		return NULL;
	return G_INPUT_STREAM(g_steal_pointer(&in));
}

/* one open of a storage object, made in the storage's context for the
 * waiting thread */
typedef struct {
	HubdUploadSource *source;
	guint64 offset;
	guint64 length;
	GCancellable *cancellable;
	HubdSyncCall *call;
	GInputStream *stream;
	GError *error;
} OpenOp;

static void
open_op_got(GObject *object, GAsyncResult *result, gpointer user_data)
{
	OpenOp *op = user_data;

	op->stream = hubd_storage_get_finish(HUBD_STORAGE(object), result, NULL, &op->error);
	hubd_sync_call_done(op->call);
}

static void
open_op_start(HubdSyncCall *call, gpointer user_data)
{
	OpenOp *op = user_data;

	op->call = call;
	hubd_storage_get_async(op->source->storage,
			       op->source->key,
			       op->offset,
			       (gint64)op->length,
			       op->cancellable,
			       open_op_got,
			       op);
}

static GInputStream *
hubd_upload_source_open_storage(HubdUploadSource *self,
				guint64 offset,
				guint64 length,
				GCancellable *cancellable,
				GError **error)
{
	OpenOp op = {.source = self,
		     .offset = offset,
		     .length = length,
		     .cancellable = cancellable};

	hubd_sync_call_run(self->context, open_op_start, &op);
	if (op.stream == NULL)
		g_propagate_error(error, op.error);
	return op.stream;
}

GInputStream *
hubd_upload_source_open(HubdUploadSource *self,
			guint64 offset,
			guint64 length,
			GCancellable *cancellable,
			GError **error)
{
	if (self->path != NULL)
		return hubd_upload_source_open_local(self, offset, cancellable, error);
	return hubd_upload_source_open_storage(self, offset, length, cancellable, error);
}

typedef struct {
	HubdUploadSource *source;
	guint64 size;
	HubdHashFlags flags;
	HubdHashProgressFunc progress;
	gpointer progress_data;
} HashData;

static void
hash_data_free(HashData *data)
{
	hubd_upload_source_unref(data->source);
	g_free(data);
}

static void
hubd_upload_source_hash_thread(GTask *task,
			       gpointer source_object,
			       gpointer task_data,
			       GCancellable *cancellable)
{
	HashData *data = task_data;
	HubdUploadSource *self = data->source;
	g_autofree HubdFileHash *hash = g_new0(HubdFileHash, 1);
	g_autoptr(GInputStream) in = NULL;
	GError *error = NULL;
	gboolean ok;

	if (self->path != NULL) {
		/* the local reader also sees a file that changes while read */
		ok = hubd_hash_file(self->path,
				    data->flags,
				    data->progress,
				    data->progress_data,
				    cancellable,
				    hash,
				    &error);
	} else {
		in = hubd_upload_source_open(self, 0, data->size, cancellable, &error);
		ok = in != NULL && hubd_hash_stream(in,
						    self->description,
						    data->size,
						    data->flags,
						    data->progress,
						    data->progress_data,
						    cancellable,
						    hash,
						    &error);
		if (in != NULL)
			g_input_stream_close(in, NULL, NULL);
	}
	if (!ok) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, g_steal_pointer(&hash), g_free);
}

void
hubd_upload_source_hash_async(HubdUploadSource *self,
			      guint64 size,
			      HubdHashFlags flags,
			      HubdHashProgressFunc progress,
			      gpointer progress_data,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
	HashData *data = g_new0(HashData, 1);

	data->source = hubd_upload_source_ref(self);
	data->size = size;
	data->flags = flags;
	data->progress = progress;
	data->progress_data = progress_data;
	g_task_set_source_tag(task, hubd_upload_source_hash_async);
	/* the hash's HUBD_ERROR_CANCELLED, not GTask's G_IO_ERROR_CANCELLED */
	g_task_set_check_cancellable(task, FALSE);
	g_task_set_task_data(task, data, (GDestroyNotify)hash_data_free);
	g_task_run_in_thread(task, hubd_upload_source_hash_thread);
}

gboolean
hubd_upload_source_hash_finish(GAsyncResult *result, HubdFileHash *out, GError **error)
{
	g_autofree HubdFileHash *hash = g_task_propagate_pointer(G_TASK(result), error);

	if (hash == NULL) {
		memset(out, 0, sizeof(*out));
		return FALSE;
	}
	*out = *hash;
	return TRUE;
}
