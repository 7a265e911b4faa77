/* hubd-storage-ops.c: HubdStorage's put, get, head, list and delete, checked before a backend's */
#define G_LOG_DOMAIN "HubdStorage"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-storage-call.h"
#include "hubd-storage.h"

/**
 * hubd_storage_put_async:
 * @self: a #HubdStorage
 * @key: the key to store under
 * @stream: the content
 * @length: the exact number of bytes @stream gives, or -1 when unknown
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Stores the content of @stream under @key, replacing any object there,
 * atomically: readers see the previous object or the new one whole, and of
 * concurrent puts of one key exactly one wins. When @length is known only
 * that many bytes are read, and a shorter stream fails the put. On failure or
 * cancellation nothing is stored and a previous object is intact. @stream may
 * be read from another thread.
 *
 * Since: 0.1
 */
void
hubd_storage_put_async(HubdStorage *self,
		       const gchar *key,
		       GInputStream *stream,
		       gint64 length,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	HubdStorageInterface *iface;

	g_return_if_fail(HUBD_IS_STORAGE(self));
	g_return_if_fail(G_IS_INPUT_STREAM(stream));

	iface = HUBD_STORAGE_GET_IFACE(self);
	if (!hubd_storage_check_key(self, key, hubd_storage_put_async, callback, user_data) ||
	    !hubd_storage_check_length(self,
				       length,
				       -1,
				       hubd_storage_put_async,
				       callback,
				       user_data) ||
	    !hubd_storage_check_vfunc(self,
				      iface->put_async,
				      "put",
				      hubd_storage_put_async,
				      callback,
				      user_data))
		return;
	iface->put_async(self, key, stream, length, cancellable, callback, user_data);
}

/**
 * hubd_storage_put_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full): the stored object, or %NULL with a %HUBD_ERROR
 *
 * Since: 0.1
 */
HubdStorageObject *
hubd_storage_put_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	return hubd_storage_finish_object(self,
					  result,
					  hubd_storage_put_async,
					  HUBD_STORAGE_GET_IFACE(self)->put_finish,
					  error);
}

/**
 * hubd_storage_get_async:
 * @self: a #HubdStorage
 * @key: the object's key
 * @offset: the first byte to read
 * @length: how many bytes to read, or -1 for all to the end
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Opens [@offset, @offset + @length) of the object @key for reading. The
 * range must lie within the object; @offset equal to its size gives an empty
 * stream. The stream may be read synchronously in a thread or asynchronously.
 *
 * Since: 0.1
 */
void
hubd_storage_get_async(HubdStorage *self,
		       const gchar *key,
		       guint64 offset,
		       gint64 length,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	HubdStorageInterface *iface;

	g_return_if_fail(HUBD_IS_STORAGE(self));

	iface = HUBD_STORAGE_GET_IFACE(self);
	if (!hubd_storage_check_key(self, key, hubd_storage_get_async, callback, user_data) ||
	    !hubd_storage_check_length(self,
				       length,
				       -1,
				       hubd_storage_get_async,
				       callback,
				       user_data) ||
	    !hubd_storage_check_vfunc(self,
				      iface->get_async,
				      "get",
				      hubd_storage_get_async,
				      callback,
				      user_data))
		return;
	if (offset > G_MAXINT64 || (length > 0 && (guint64)length > G_MAXINT64 - offset)) {
		hubd_storage_report(
			self,
			hubd_storage_get_async,
			callback,
			user_data,
			g_error_new(HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The range %" G_GUINT64_FORMAT "+%" G_GINT64_FORMAT
				      " is past the end of any object"),
				    offset,
				    length));
		return;
	}
	iface->get_async(self, key, offset, length, cancellable, callback, user_data);
}

/**
 * hubd_storage_get_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @object: (out) (optional) (transfer full): the object read (its whole size)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full): a stream of the range's bytes, or %NULL with a
 *   %HUBD_ERROR: %HUBD_ERROR_ENTRY_NOT_FOUND for a missing key,
 *   %HUBD_ERROR_INVALID_ARGUMENT for a range past the end
 *
 * Since: 0.1
 */
GInputStream *
hubd_storage_get_finish(HubdStorage *self,
			GAsyncResult *result,
			HubdStorageObject **object,
			GError **error)
{
	GError *error_local = NULL;
	g_autoptr(HubdStorageObject) object_local = NULL;
	GInputStream *stream;

	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	if (object != NULL)
		*object = NULL;
	if (g_async_result_is_tagged(result, hubd_storage_get_async))
		return g_task_propagate_pointer(G_TASK(result), error);
	stream =
		HUBD_STORAGE_GET_IFACE(self)->get_finish(self, result, &object_local, &error_local);
	hubd_storage_propagate(error_local, error);
	if (stream != NULL && object != NULL)
		*object = g_steal_pointer(&object_local);
	return stream;
}

/**
 * hubd_storage_head_async:
 * @self: a #HubdStorage
 * @key: the object's key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Describes the object @key without reading it.
 *
 * Since: 0.1
 */
void
hubd_storage_head_async(HubdStorage *self,
			const gchar *key,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	g_return_if_fail(HUBD_IS_STORAGE(self));
	hubd_storage_call_with_key(self,
				   key,
				   HUBD_STORAGE_GET_IFACE(self)->head_async,
				   "head",
				   hubd_storage_head_async,
				   cancellable,
				   callback,
				   user_data);
}

/**
 * hubd_storage_head_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full): the object, or %NULL with a %HUBD_ERROR
 *   (%HUBD_ERROR_ENTRY_NOT_FOUND for a missing key)
 *
 * Since: 0.1
 */
HubdStorageObject *
hubd_storage_head_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	return hubd_storage_finish_object(self,
					  result,
					  hubd_storage_head_async,
					  HUBD_STORAGE_GET_IFACE(self)->head_finish,
					  error);
}

/**
 * hubd_storage_list_async:
 * @self: a #HubdStorage
 * @prefix: (nullable): list only keys starting with this (%NULL: all)
 * @page_token: (nullable): the next_page_token of the previous page, or
 *   %NULL for the first page
 * @max_keys: the most objects to return, 1..%HUBD_STORAGE_MAX_LIST_KEYS (0
 *   or more means %HUBD_STORAGE_MAX_LIST_KEYS)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Lists one page of the objects whose key starts with @prefix, in byte-wise
 * lexicographic order of their keys. Follow the next page token until it is
 * %NULL; a page may hold fewer than @max_keys objects before the last.
 *
 * Since: 0.1
 */
void
hubd_storage_list_async(HubdStorage *self,
			const gchar *prefix,
			const gchar *page_token,
			guint max_keys,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	HubdStorageInterface *iface;
	GError *error = NULL;

	g_return_if_fail(HUBD_IS_STORAGE(self));

	iface = HUBD_STORAGE_GET_IFACE(self);
	if (!hubd_storage_prefix_validate(prefix, &error)) {
		hubd_storage_report(self, hubd_storage_list_async, callback, user_data, error);
		return;
	}
	if (!hubd_storage_check_vfunc(self,
				      iface->list_async,
				      "list",
				      hubd_storage_list_async,
				      callback,
				      user_data))
		return;
	if (max_keys == 0 || max_keys > HUBD_STORAGE_MAX_LIST_KEYS)
		max_keys = HUBD_STORAGE_MAX_LIST_KEYS;
	if (page_token != NULL && page_token[0] == '\0')
		page_token = NULL;
	iface->list_async(self,
			  prefix != NULL ? prefix : "",
			  page_token,
			  max_keys,
			  cancellable,
			  callback,
			  user_data);
}

/**
 * hubd_storage_list_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @next_page_token: (out) (optional) (transfer full) (nullable): the token
 *   of the next page, %NULL when this was the last
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer container) (element-type HubdStorageObject): the page's
 *   objects, or %NULL with a %HUBD_ERROR
 *
 * Since: 0.1
 */
GPtrArray *
hubd_storage_list_finish(HubdStorage *self,
			 GAsyncResult *result,
			 gchar **next_page_token,
			 GError **error)
{
	GError *error_local = NULL;
	g_autofree gchar *token = NULL;
	GPtrArray *objects;

	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	if (next_page_token != NULL)
		*next_page_token = NULL;
	if (g_async_result_is_tagged(result, hubd_storage_list_async))
		return g_task_propagate_pointer(G_TASK(result), error);
	objects = HUBD_STORAGE_GET_IFACE(self)->list_finish(self, result, &token, &error_local);
	hubd_storage_propagate(error_local, error);
	if (objects != NULL && next_page_token != NULL)
		*next_page_token = g_steal_pointer(&token);
	return objects;
}

/**
 * hubd_storage_delete_async:
 * @self: a #HubdStorage
 * @key: the object's key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes the object @key. Removing a missing key succeeds, as in S3.
 *
 * Since: 0.1
 */
void
hubd_storage_delete_async(HubdStorage *self,
			  const gchar *key,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_return_if_fail(HUBD_IS_STORAGE(self));
	hubd_storage_call_with_key(self,
				   key,
				   HUBD_STORAGE_GET_IFACE(self)->delete_async,
				   "delete",
				   hubd_storage_delete_async,
				   cancellable,
				   callback,
				   user_data);
}

/**
 * hubd_storage_delete_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE when the key no longer names an object, else %FALSE with a
 *   %HUBD_ERROR
 *
 * Since: 0.1
 */
gboolean
hubd_storage_delete_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(HUBD_IS_STORAGE(self), FALSE);
	return hubd_storage_finish_boolean(self,
					   result,
					   hubd_storage_delete_async,
					   HUBD_STORAGE_GET_IFACE(self)->delete_finish,
					   error);
}

/**
 * hubd_storage_store_secret_async:
 * @self: a #HubdStorage
 * @secret: (nullable): the backend's secret (an S3 secret access key), or
 *   %NULL to forget the stored one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Stores @secret where the backend keeps its credential (never a file: the
 * S3 plugin uses the keyring), replacing the stored one. A backend that has
 * no secret (file://) fails with %HUBD_ERROR_INVALID_ARGUMENT when @secret is
 * set; forgetting succeeds there.
 *
 * Since: 0.1
 */
void
hubd_storage_store_secret_async(HubdStorage *self,
				const gchar *secret,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	HubdStorageInterface *iface;
	g_autoptr(GTask) task = NULL;
	g_autofree gchar *name = NULL;

	g_return_if_fail(HUBD_IS_STORAGE(self));
	iface = HUBD_STORAGE_GET_IFACE(self);
	if (iface->store_secret_async != NULL) {
		iface->store_secret_async(self, secret, cancellable, callback, user_data);
		return;
	}
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_storage_store_secret_async);
	if (secret == NULL) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	name = hubd_storage_dup_name(self);
	g_task_return_new_error(task,
				HUBD_ERROR,
				HUBD_ERROR_INVALID_ARGUMENT,
				_("The storage backend “%s” takes no secret"),
				name);
}

/**
 * hubd_storage_store_secret_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE when the secret is stored (or forgotten), else %FALSE with
 *   a %HUBD_ERROR
 *
 * Since: 0.1
 */
gboolean
hubd_storage_store_secret_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	HubdStorageInterface *iface;

	g_return_val_if_fail(HUBD_IS_STORAGE(self), FALSE);
	iface = HUBD_STORAGE_GET_IFACE(self);
	if (g_task_is_valid(result, self) &&
	    g_task_get_source_tag(G_TASK(result)) == hubd_storage_store_secret_async)
		return g_task_propagate_boolean(G_TASK(result), error);
	return iface->store_secret_finish(self, result, error);
}

/* ---- delete_many: the backend's batch, else one delete after another ---- */

typedef struct {
	GStrv keys;
	guint next;
} DeleteMany;

static void
delete_many_free(gpointer data)
{
	DeleteMany *d = data;

	g_strfreev(d->keys);
	g_free(d);
}

static void
delete_many_next(GTask *task);

static void
delete_many_one_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	DeleteMany *d = g_task_get_task_data(task);
	GError *error = NULL;

	if (!hubd_storage_delete_finish(HUBD_STORAGE(source), res, &error)) {
		g_task_return_error(task, error);
		return;
	}
	d->next++;
	delete_many_next(g_steal_pointer(&task));
}

static void
delete_many_next(GTask *task)
{
	DeleteMany *d = g_task_get_task_data(task);

	if (d->keys[d->next] == NULL) {
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}
	hubd_storage_delete_async(HUBD_STORAGE(g_task_get_source_object(task)),
				  d->keys[d->next],
				  g_task_get_cancellable(task),
				  delete_many_one_cb,
				  task);
}

/**
 * hubd_storage_delete_many_async:
 * @self: a #HubdStorage
 * @keys: (array zero-terminated=1): the keys, at most
 *   %HUBD_STORAGE_MAX_LIST_KEYS
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes every object of @keys, in one request where the backend has a
 * batch delete (S3's DeleteObjects), else one after another. Missing keys are
 * success. A bad key, or more keys than %HUBD_STORAGE_MAX_LIST_KEYS, is
 * %HUBD_ERROR_INVALID_ARGUMENT and nothing is deleted.
 *
 * Since: 0.1
 */
void
hubd_storage_delete_many_async(HubdStorage *self,
			       const gchar *const *keys,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	HubdStorageInterface *iface;
	g_autoptr(GTask) task = NULL;
	GError *error = NULL;
	guint n;
	DeleteMany *d;

	g_return_if_fail(HUBD_IS_STORAGE(self));
	g_return_if_fail(keys != NULL);
	iface = HUBD_STORAGE_GET_IFACE(self);
	n = g_strv_length((gchar **)keys);
	if (n > HUBD_STORAGE_MAX_LIST_KEYS)
		error = g_error_new(HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("%u keys are more than one batch delete takes (%u)"),
				    n,
				    (guint)HUBD_STORAGE_MAX_LIST_KEYS);
	for (guint i = 0; error == NULL && i < n; i++)
		hubd_storage_key_validate(keys[i], &error);
	if (error != NULL) {
		g_task_report_error(self,
				    callback,
				    user_data,
				    hubd_storage_delete_many_async,
				    error);
		return;
	}
	if (n > 0 && iface->delete_many_async != NULL) {
		iface->delete_many_async(self, keys, cancellable, callback, user_data);
		return;
	}
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_storage_delete_many_async);
	d = g_new0(DeleteMany, 1);
	d->keys = g_strdupv((gchar **)keys);
	g_task_set_task_data(task, d, delete_many_free);
	delete_many_next(g_steal_pointer(&task));
}

/**
 * hubd_storage_delete_many_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE when none of the keys names an object any more, else
 *   %FALSE with a %HUBD_ERROR
 *
 * Since: 0.1
 */
gboolean
hubd_storage_delete_many_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(HUBD_IS_STORAGE(self), FALSE);
	if (g_task_is_valid(result, self) &&
	    g_task_get_source_tag(G_TASK(result)) == hubd_storage_delete_many_async)
		return g_task_propagate_boolean(G_TASK(result), error);
	return HUBD_STORAGE_GET_IFACE(self)->delete_many_finish(self, result, error);
}
