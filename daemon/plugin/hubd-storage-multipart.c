/* hubd-storage-multipart.c: HubdStorage's multipart puts, checked before a backend's */
#define G_LOG_DOMAIN "HubdStorage"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-storage-call.h"
#include "hubd-storage.h"

/**
 * hubd_storage_multipart_begin_async:
 * @self: a #HubdStorage
 * @key: the key the object will have
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Starts a multipart put of @key: parts are put (in any order, in parallel),
 * then completed into one object, or aborted. Nothing is visible under @key
 * before hubd_storage_multipart_complete_async() succeeds.
 *
 * Since: 0.1
 */
void
hubd_storage_multipart_begin_async(HubdStorage *self,
				   const gchar *key,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	g_return_if_fail(HUBD_IS_STORAGE(self));
	hubd_storage_call_with_key(self,
				   key,
				   HUBD_STORAGE_GET_IFACE(self)->multipart_begin_async,
				   "multipart puts",
				   hubd_storage_multipart_begin_async,
				   cancellable,
				   callback,
				   user_data);
}

/**
 * hubd_storage_multipart_begin_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full): the upload id, an opaque string, or %NULL with a
 *   %HUBD_ERROR
 *
 * Since: 0.1
 */
gchar *
hubd_storage_multipart_begin_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	GError *error_local = NULL;
	gchar *upload_id;

	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	if (g_async_result_is_tagged(result, hubd_storage_multipart_begin_async))
		return g_task_propagate_pointer(G_TASK(result), error);
	upload_id =
		HUBD_STORAGE_GET_IFACE(self)->multipart_begin_finish(self, result, &error_local);
	hubd_storage_propagate(error_local, error);
	return upload_id;
}

static gboolean
hubd_storage_check_upload(HubdStorage *self,
			  const gchar *key,
			  const gchar *upload_id,
			  gconstpointer vfunc,
			  gpointer tag,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	if (!hubd_storage_check_key(self, key, tag, callback, user_data))
		return FALSE;
	if (upload_id == NULL || upload_id[0] == '\0') {
		hubd_storage_report(self,
				    tag,
				    callback,
				    user_data,
				    g_error_new_literal(HUBD_ERROR,
							HUBD_ERROR_INVALID_ARGUMENT,
							_("The upload id is empty")));
		return FALSE;
	}
	return hubd_storage_check_vfunc(self, vfunc, "multipart puts", tag, callback, user_data);
}

/**
 * hubd_storage_multipart_put_part_async:
 * @self: a #HubdStorage
 * @key: the key given to hubd_storage_multipart_begin_async()
 * @upload_id: the upload id it returned
 * @part_number: 1..%HUBD_STORAGE_MAX_PARTS; parts are joined in this order
 * @stream: the part's content
 * @length: its exact length (known: S3 needs it)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Stores one part; putting the same number again replaces it. Every part
 * but the last must be at least %HUBD_STORAGE_MIN_PART_SIZE long when the
 * upload completes. A missing upload is %HUBD_ERROR_ENTRY_NOT_FOUND.
 *
 * Since: 0.1
 */
void
hubd_storage_multipart_put_part_async(HubdStorage *self,
				      const gchar *key,
				      const gchar *upload_id,
				      guint part_number,
				      GInputStream *stream,
				      gint64 length,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	HubdStorageInterface *iface;
	gpointer tag = hubd_storage_multipart_put_part_async;

	g_return_if_fail(HUBD_IS_STORAGE(self));
	g_return_if_fail(G_IS_INPUT_STREAM(stream));

	iface = HUBD_STORAGE_GET_IFACE(self);
	if (!hubd_storage_check_upload(self,
				       key,
				       upload_id,
				       iface->multipart_put_part_async,
				       tag,
				       callback,
				       user_data) ||
	    !hubd_storage_check_length(self, length, 0, tag, callback, user_data))
		return;
	if (part_number < 1 || part_number > HUBD_STORAGE_MAX_PARTS) {
		hubd_storage_report(self,
				    tag,
				    callback,
				    user_data,
				    g_error_new(HUBD_ERROR,
						HUBD_ERROR_INVALID_ARGUMENT,
						_("Part number %u is not between 1 and %u"),
						part_number,
						(guint)HUBD_STORAGE_MAX_PARTS));
		return;
	}
	iface->multipart_put_part_async(self,
					key,
					upload_id,
					part_number,
					stream,
					length,
					cancellable,
					callback,
					user_data);
}

/**
 * hubd_storage_multipart_put_part_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full): the stored part (number and entity tag), for
 *   hubd_storage_multipart_complete_async(), or %NULL with a %HUBD_ERROR
 *
 * Since: 0.1
 */
HubdStoragePart *
hubd_storage_multipart_put_part_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	GError *error_local = NULL;
	HubdStoragePart *part;

	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	if (g_async_result_is_tagged(result, hubd_storage_multipart_put_part_async))
		return g_task_propagate_pointer(G_TASK(result), error);
	part = HUBD_STORAGE_GET_IFACE(self)->multipart_put_part_finish(self, result, &error_local);
	hubd_storage_propagate(error_local, error);
	return part;
}

/* NULL when `parts` is a list complete can take, else why not. */
static GError *
hubd_storage_parts_problem(GPtrArray *parts)
{
	guint previous = 0;

	if (parts == NULL || parts->len == 0)
		return g_error_new_literal(
			HUBD_ERROR,
			HUBD_ERROR_INVALID_ARGUMENT,
			_("A multipart put needs at least one part to complete"));
	for (guint i = 0; i < parts->len; i++) {
		HubdStoragePart *part = g_ptr_array_index(parts, i);
		guint number = hubd_storage_part_get_number(part);
		if (number < 1 || number > HUBD_STORAGE_MAX_PARTS)
			return g_error_new(HUBD_ERROR,
					   HUBD_ERROR_INVALID_ARGUMENT,
					   _("Part number %u is not between 1 and %u"),
					   number,
					   (guint)HUBD_STORAGE_MAX_PARTS);
		if (number <= previous)
			return g_error_new(HUBD_ERROR,
					   HUBD_ERROR_INVALID_ARGUMENT,
					   _("The parts must be listed in ascending order without "
					     "repeats: part %u follows part %u"),
					   number,
					   previous);
		if (hubd_storage_part_get_etag(part)[0] == '\0')
			return g_error_new(HUBD_ERROR,
					   HUBD_ERROR_INVALID_ARGUMENT,
					   _("Part %u has no entity tag"),
					   number);
		previous = number;
	}
	return NULL;
}

/**
 * hubd_storage_multipart_complete_async:
 * @self: a #HubdStorage
 * @key: the key given to hubd_storage_multipart_begin_async()
 * @upload_id: the upload id it returned
 * @parts: (element-type HubdStoragePart): the parts to join, in strictly
 *   ascending order of number, as hubd_storage_multipart_put_part_finish()
 *   returned them
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Joins @parts into the object @key, atomically as a put does, and ends the
 * upload; uploaded parts not listed are dropped. A listed part that was not
 * uploaded or whose entity tag differs, or a part but the last shorter than
 * %HUBD_STORAGE_MIN_PART_SIZE, fails with %HUBD_ERROR_INVALID_ARGUMENT and
 * stores nothing (the upload stays open).
 *
 * Since: 0.1
 */
void
hubd_storage_multipart_complete_async(HubdStorage *self,
				      const gchar *key,
				      const gchar *upload_id,
				      GPtrArray *parts,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	HubdStorageInterface *iface;
	gpointer tag = hubd_storage_multipart_complete_async;
	GError *error;

	g_return_if_fail(HUBD_IS_STORAGE(self));

	iface = HUBD_STORAGE_GET_IFACE(self);
	if (!hubd_storage_check_upload(self,
				       key,
				       upload_id,
				       iface->multipart_complete_async,
				       tag,
				       callback,
				       user_data))
		return;
	error = hubd_storage_parts_problem(parts);
	if (error != NULL) {
		hubd_storage_report(self, tag, callback, user_data, error);
		return;
	}
	iface->multipart_complete_async(self,
					key,
					upload_id,
					parts,
					cancellable,
					callback,
					user_data);
}

/**
 * hubd_storage_multipart_complete_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full): the stored object, or %NULL with a %HUBD_ERROR
 *
 * Since: 0.1
 */
HubdStorageObject *
hubd_storage_multipart_complete_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	return hubd_storage_finish_object(self,
					  result,
					  hubd_storage_multipart_complete_async,
					  HUBD_STORAGE_GET_IFACE(self)->multipart_complete_finish,
					  error);
}

/**
 * hubd_storage_multipart_abort_async:
 * @self: a #HubdStorage
 * @key: the key given to hubd_storage_multipart_begin_async()
 * @upload_id: the upload id it returned
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Drops the upload and every part put to it; nothing is stored under @key.
 * A missing upload is %HUBD_ERROR_ENTRY_NOT_FOUND.
 *
 * Since: 0.1
 */
void
hubd_storage_multipart_abort_async(HubdStorage *self,
				   const gchar *key,
				   const gchar *upload_id,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	HubdStorageInterface *iface;

	g_return_if_fail(HUBD_IS_STORAGE(self));

	iface = HUBD_STORAGE_GET_IFACE(self);
	if (!hubd_storage_check_upload(self,
				       key,
				       upload_id,
				       iface->multipart_abort_async,
				       hubd_storage_multipart_abort_async,
				       callback,
				       user_data))
		return;
	iface->multipart_abort_async(self, key, upload_id, cancellable, callback, user_data);
}

/**
 * hubd_storage_multipart_abort_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE when the upload is gone, else %FALSE with a %HUBD_ERROR
 *
 * Since: 0.1
 */
gboolean
hubd_storage_multipart_abort_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(HUBD_IS_STORAGE(self), FALSE);
	return hubd_storage_finish_boolean(self,
					   result,
					   hubd_storage_multipart_abort_async,
					   HUBD_STORAGE_GET_IFACE(self)->multipart_abort_finish,
					   error);
}
