/* hubd-storage-call.c: what the wrappers of the vfuncs share: checks, refusals, finishing */
#define G_LOG_DOMAIN "HubdStorage"

#include "hubd-storage-call.h"

#include <glib/gi18n.h>

#include "hubd-error.h"

/* ---- the wrappers: check, call the backend, convert its errors ---- */

/* Reports `error` (taken) through `callback` as a task tagged `tag`, so the
 * finish function knows the backend never saw the call. */
void
hubd_storage_report(HubdStorage *self,
		    gpointer tag,
		    GAsyncReadyCallback callback,
		    gpointer user_data,
		    GError *error)
{
	g_task_report_error(self, callback, user_data, tag, error);
}

gboolean
hubd_storage_check_key(HubdStorage *self,
		       const gchar *key,
		       gpointer tag,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	GError *error = NULL;

	if (hubd_storage_key_validate(key, &error))
		return TRUE;
	hubd_storage_report(self, tag, callback, user_data, error);
	return FALSE;
}

/* A backend that leaves a vfunc unset cannot do that operation. */
gboolean
hubd_storage_check_vfunc(HubdStorage *self,
			 gconstpointer vfunc,
			 const gchar *operation,
			 gpointer tag,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	g_autofree gchar *name = NULL;

	if (vfunc != NULL)
		return TRUE;
	name = hubd_storage_dup_name(self);
	hubd_storage_report(self,
			    tag,
			    callback,
			    user_data,
			    g_error_new(HUBD_ERROR,
					HUBD_ERROR_FAILED,
					_("The storage backend “%s” does not implement %s"),
					name,
					operation));
	return FALSE;
}

/* Moves a backend's error into `error`, as a HUBD_ERROR. */
void
hubd_storage_propagate(GError *error_local, GError **error)
{
	if (error_local == NULL)
		return;
	hubd_error_convert(&error_local);
	g_propagate_error(error, error_local);
}

gboolean
hubd_storage_check_length(HubdStorage *self,
			  gint64 length,
			  gint64 minimum,
			  gpointer tag,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	if (length >= minimum)
		return TRUE;
	hubd_storage_report(self,
			    tag,
			    callback,
			    user_data,
			    g_error_new(HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("%" G_GINT64_FORMAT " is not a valid length"),
					length));
	return FALSE;
}

void
hubd_storage_call_with_key(HubdStorage *self,
			   const gchar *key,
			   HubdStorageKeyFunc vfunc,
			   const gchar *operation,
			   gpointer tag,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	if (!hubd_storage_check_key(self, key, tag, callback, user_data) ||
	    !hubd_storage_check_vfunc(self, vfunc, operation, tag, callback, user_data))
		return;
	vfunc(self, key, cancellable, callback, user_data);
}

/* Finishes put, head and multipart_complete: an early refusal of the
 * wrapper tagged `tag`, or the backend's result. */
HubdStorageObject *
hubd_storage_finish_object(HubdStorage *self,
			   GAsyncResult *result,
			   gpointer tag,
			   HubdStorageObjectFinishFunc vfunc,
			   GError **error)
{
	GError *error_local = NULL;
	HubdStorageObject *object;

	if (g_async_result_is_tagged(result, tag))
		return g_task_propagate_pointer(G_TASK(result), error);
	object = vfunc(self, result, &error_local);
	hubd_storage_propagate(error_local, error);
	return object;
}

/* Finishes delete and multipart_abort, as above. */
gboolean
hubd_storage_finish_boolean(HubdStorage *self,
			    GAsyncResult *result,
			    gpointer tag,
			    HubdStorageBooleanFinishFunc vfunc,
			    GError **error)
{
	GError *error_local = NULL;
	gboolean ok;

	if (g_async_result_is_tagged(result, tag))
		return g_task_propagate_boolean(G_TASK(result), error);
	ok = vfunc(self, result, &error_local);
	hubd_storage_propagate(error_local, error);
	return ok;
}
