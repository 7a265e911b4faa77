/* hubd-storage-file-tasks.c: the file backend's HubdStorage vfuncs, each call a task in a thread */
#define G_LOG_DOMAIN "HubdStorageFile"

#include "hubd-storage-file-tasks.h"

#include "hubd-storage-file-multipart.h"
#include "hubd-storage-file-read.h"
#include "hubd-storage-file-write.h"
#include "hubd-storage-file.h"

/* ---- GTask plumbing: every operation is one Op run in a worker thread ---- */

typedef enum {
	OP_PUT,
	OP_GET,
	OP_HEAD,
	OP_LIST,
	OP_DELETE,
	OP_BEGIN,
	OP_PUT_PART,
	OP_COMPLETE,
	OP_ABORT,
} OpKind;

typedef struct {
	OpKind kind;
	gchar *key; /* or the prefix for OP_LIST */
	gchar *upload_id;
	GInputStream *stream;
	gint64 length;
	guint64 offset;
	guint number;
	gchar *page_token;
	guint max_keys;
	GPtrArray *parts;
	/* results besides the task's value */
	HubdStorageObject *object;
	gchar *next_page_token;
} Op;

static void
op_free(Op *op)
{
	g_free(op->key);
	g_free(op->upload_id);
	g_clear_object(&op->stream);
	g_free(op->page_token);
	g_clear_pointer(&op->parts, g_ptr_array_unref);
	g_clear_pointer(&op->object, hubd_storage_object_unref);
	g_free(op->next_page_token);
	g_free(op);
}

static Op *
op_new(OpKind kind, const gchar *key)
{
	Op *op = g_new0(Op, 1);

	op->kind = kind;
	op->key = g_strdup(key);
	return op;
}

static void
hubd_storage_file_thread(GTask *task,
			 gpointer source_object,
			 gpointer task_data,
			 GCancellable *cancellable)
{
	HubdStorageFile *self = HUBD_STORAGE_FILE(source_object);
	Op *op = task_data;
	GError *error = NULL;
	gpointer value = NULL;
	GDestroyNotify free_value = NULL;

	switch (op->kind) {
	case OP_PUT:
		value = hubd_storage_file_put(self,
					      op->key,
					      op->stream,
					      op->length,
					      cancellable,
					      &error);
		free_value = (GDestroyNotify)hubd_storage_object_unref;
		break;
	case OP_GET:
		value = hubd_storage_file_get(self,
					      op->key,
					      op->offset,
					      op->length,
					      &op->object,
					      cancellable,
					      &error);
		free_value = g_object_unref;
		break;
	case OP_HEAD:
		value = hubd_storage_file_head(self, op->key, cancellable, &error);
		free_value = (GDestroyNotify)hubd_storage_object_unref;
		break;
	case OP_LIST:
		value = hubd_storage_file_list(self,
					       op->key,
					       op->page_token,
					       op->max_keys,
					       &op->next_page_token,
					       cancellable,
					       &error);
		free_value = (GDestroyNotify)g_ptr_array_unref;
		break;
	case OP_DELETE:
		if (hubd_storage_file_delete(self, op->key, &error))
			g_task_return_boolean(task, TRUE);
		break;
	case OP_BEGIN:
		value = hubd_storage_file_multipart_begin(self, op->key, &error);
		free_value = g_free;
		break;
	case OP_PUT_PART:
		value = hubd_storage_file_multipart_put_part(self,
							     op->key,
							     op->upload_id,
							     op->number,
							     op->stream,
							     op->length,
							     cancellable,
							     &error);
		free_value = (GDestroyNotify)hubd_storage_part_unref;
		break;
	case OP_COMPLETE:
		value = hubd_storage_file_multipart_complete(self,
							     op->key,
							     op->upload_id,
							     op->parts,
							     cancellable,
							     &error);
		free_value = (GDestroyNotify)hubd_storage_object_unref;
		break;
	case OP_ABORT:
		if (hubd_storage_file_multipart_abort(self, op->key, op->upload_id, &error))
			g_task_return_boolean(task, TRUE);
		break;
	default:
		g_assert_not_reached();
	}
	if (error != NULL)
		g_task_return_error(task, error);
	else if (free_value != NULL)
		g_task_return_pointer(task, value, free_value);
}

static void
hubd_storage_file_run(HubdStorageFile *self,
		      Op *op,
		      gpointer tag,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, tag);
	g_task_set_task_data(task, op, (GDestroyNotify)op_free);
	g_task_run_in_thread(task, hubd_storage_file_thread);
}

static gpointer
hubd_storage_file_finish_pointer(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, storage), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

static gboolean
hubd_storage_file_finish_boolean(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, storage), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
hubd_storage_file_put_async(HubdStorage *storage,
			    const gchar *key,
			    GInputStream *stream,
			    gint64 length,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	Op *op = op_new(OP_PUT, key);

	op->stream = g_object_ref(stream);
	op->length = length;
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op,
			      hubd_storage_file_put_async,
			      cancellable,
			      callback,
			      user_data);
}

static HubdStorageObject *
hubd_storage_file_put_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return hubd_storage_file_finish_pointer(storage, result, error);
}

static void
hubd_storage_file_get_async(HubdStorage *storage,
			    const gchar *key,
			    guint64 offset,
			    gint64 length,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	Op *op = op_new(OP_GET, key);

	op->offset = offset;
	op->length = length;
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op,
			      hubd_storage_file_get_async,
			      cancellable,
			      callback,
			      user_data);
}

static GInputStream *
hubd_storage_file_get_finish(HubdStorage *storage,
			     GAsyncResult *result,
			     HubdStorageObject **object,
			     GError **error)
{
	GInputStream *stream = hubd_storage_file_finish_pointer(storage, result, error);
	Op *op;

	if (stream == NULL)
		return NULL;
	op = g_task_get_task_data(G_TASK(result));
	*object = g_steal_pointer(&op->object);
	return stream;
}

static void
hubd_storage_file_head_async(HubdStorage *storage,
			     const gchar *key,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op_new(OP_HEAD, key),
			      hubd_storage_file_head_async,
			      cancellable,
			      callback,
			      user_data);
}

static HubdStorageObject *
hubd_storage_file_head_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return hubd_storage_file_finish_pointer(storage, result, error);
}

static void
hubd_storage_file_list_async(HubdStorage *storage,
			     const gchar *prefix,
			     const gchar *page_token,
			     guint max_keys,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	Op *op = op_new(OP_LIST, prefix);

	op->page_token = g_strdup(page_token);
	op->max_keys = max_keys;
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op,
			      hubd_storage_file_list_async,
			      cancellable,
			      callback,
			      user_data);
}

static GPtrArray *
hubd_storage_file_list_finish(HubdStorage *storage,
			      GAsyncResult *result,
			      gchar **next_page_token,
			      GError **error)
{
	GPtrArray *objects = hubd_storage_file_finish_pointer(storage, result, error);
	Op *op;

	if (objects == NULL)
		return NULL;
	op = g_task_get_task_data(G_TASK(result));
	*next_page_token = g_steal_pointer(&op->next_page_token);
	return objects;
}

static void
hubd_storage_file_delete_async(HubdStorage *storage,
			       const gchar *key,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op_new(OP_DELETE, key),
			      hubd_storage_file_delete_async,
			      cancellable,
			      callback,
			      user_data);
}

static void
hubd_storage_file_multipart_begin_async(HubdStorage *storage,
					const gchar *key,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data)
{
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op_new(OP_BEGIN, key),
			      hubd_storage_file_multipart_begin_async,
			      cancellable,
			      callback,
			      user_data);
}

static gchar *
hubd_storage_file_multipart_begin_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return hubd_storage_file_finish_pointer(storage, result, error);
}

static void
hubd_storage_file_multipart_put_part_async(HubdStorage *storage,
					   const gchar *key,
					   const gchar *upload_id,
					   guint part_number,
					   GInputStream *stream,
					   gint64 length,
					   GCancellable *cancellable,
					   GAsyncReadyCallback callback,
					   gpointer user_data)
{
	Op *op = op_new(OP_PUT_PART, key);

	op->upload_id = g_strdup(upload_id);
	op->number = part_number;
	op->stream = g_object_ref(stream);
	op->length = length;
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op,
			      hubd_storage_file_multipart_put_part_async,
			      cancellable,
			      callback,
			      user_data);
}

static HubdStoragePart *
hubd_storage_file_multipart_put_part_finish(HubdStorage *storage,
					    GAsyncResult *result,
					    GError **error)
{
	return hubd_storage_file_finish_pointer(storage, result, error);
}

static void
hubd_storage_file_multipart_complete_async(HubdStorage *storage,
					   const gchar *key,
					   const gchar *upload_id,
					   GPtrArray *parts,
					   GCancellable *cancellable,
					   GAsyncReadyCallback callback,
					   gpointer user_data)
{
	Op *op = op_new(OP_COMPLETE, key);

	op->upload_id = g_strdup(upload_id);
	/* a copy: the caller may change its array while this runs */
	op->parts = g_ptr_array_copy(parts, (GCopyFunc)hubd_storage_part_ref, NULL);
	g_ptr_array_set_free_func(op->parts, (GDestroyNotify)hubd_storage_part_unref);
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op,
			      hubd_storage_file_multipart_complete_async,
			      cancellable,
			      callback,
			      user_data);
}

static HubdStorageObject *
hubd_storage_file_multipart_complete_finish(HubdStorage *storage,
					    GAsyncResult *result,
					    GError **error)
{
	return hubd_storage_file_finish_pointer(storage, result, error);
}

static void
hubd_storage_file_multipart_abort_async(HubdStorage *storage,
					const gchar *key,
					const gchar *upload_id,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data)
{
	Op *op = op_new(OP_ABORT, key);

	op->upload_id = g_strdup(upload_id);
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op,
			      hubd_storage_file_multipart_abort_async,
			      cancellable,
			      callback,
			      user_data);
}

void
hubd_storage_file_iface_init(HubdStorageInterface *iface)
{
	iface->put_async = hubd_storage_file_put_async;
	iface->put_finish = hubd_storage_file_put_finish;
	iface->get_async = hubd_storage_file_get_async;
	iface->get_finish = hubd_storage_file_get_finish;
	iface->head_async = hubd_storage_file_head_async;
	iface->head_finish = hubd_storage_file_head_finish;
	iface->list_async = hubd_storage_file_list_async;
	iface->list_finish = hubd_storage_file_list_finish;
	iface->delete_async = hubd_storage_file_delete_async;
	iface->delete_finish = hubd_storage_file_finish_boolean;
	iface->multipart_begin_async = hubd_storage_file_multipart_begin_async;
	iface->multipart_begin_finish = hubd_storage_file_multipart_begin_finish;
	iface->multipart_put_part_async = hubd_storage_file_multipart_put_part_async;
	iface->multipart_put_part_finish = hubd_storage_file_multipart_put_part_finish;
	iface->multipart_complete_async = hubd_storage_file_multipart_complete_async;
	iface->multipart_complete_finish = hubd_storage_file_multipart_complete_finish;
	iface->multipart_abort_async = hubd_storage_file_multipart_abort_async;
	iface->multipart_abort_finish = hubd_storage_file_finish_boolean;
}
