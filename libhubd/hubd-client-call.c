/* hubd-client-call.c: calls whose replies become typed results or jobs */
#include "hubd-client-private.h"
#include "hubd-job-private.h"

typedef struct {
	HubdClientConvertFunc convert;
	GDestroyNotify free_func;
} HubdClientTyped;

static void
hubd_client_typed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	HubdClientTyped *typed = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = hubd_client_call_finish(HUBD_CLIENT(source), res, &error);

	if (reply == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_pointer(task, typed->convert(reply), typed->free_func);
}

void
hubd_client_call_typed(HubdClient *self,
		       const gchar *interface_name,
		       const gchar *method,
		       GVariant *parameters,
		       const gchar *reply_type,
		       HubdClientConvertFunc convert,
		       GDestroyNotify free_func,
		       gpointer source_tag,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	HubdClientTyped *typed = g_new0(HubdClientTyped, 1);

	typed->convert = convert;
	typed->free_func = free_func;
	g_task_set_source_tag(task, source_tag);
	g_task_set_task_data(task, typed, g_free);
	hubd_client_call(self,
			 interface_name,
			 method,
			 parameters,
			 G_VARIANT_TYPE(reply_type),
			 cancellable,
			 hubd_client_typed_cb,
			 task);
}

gpointer
hubd_client_call_typed_finish(HubdClient *self,
			      GAsyncResult *result,
			      gpointer source_tag,
			      GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	g_return_val_if_fail(g_task_get_source_tag(G_TASK(result)) == source_tag, NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

gpointer
hubd_client_call_typed_sync(HubdClient *self,
			    const gchar *interface_name,
			    const gchar *method,
			    GVariant *parameters,
			    const gchar *reply_type,
			    HubdClientConvertFunc convert,
			    GCancellable *cancellable,
			    GError **error)
{
	g_autoptr(GVariant) reply = hubd_client_call_sync(self,
							  interface_name,
							  method,
							  parameters,
							  G_VARIANT_TYPE(reply_type),
							  cancellable,
							  error);

	return reply != NULL ? convert(reply) : NULL;
}

static void
hubd_client_job_ready_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GError) error = NULL;
	HubdJob *job = hubd_job_new_finish(res, &error);

	if (job == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_pointer(task, job, g_object_unref);
}

static void
hubd_client_job_path_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = hubd_client_call_finish(HUBD_CLIENT(source), res, &error);
	const gchar *path = NULL;
	GCancellable *cancellable;

	if (reply == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_variant_get(reply, "(&o)", &path);
	cancellable = g_task_get_cancellable(task); /* before the task is handed over */
	hubd_job_new(HUBD_CLIENT(source),
		     path,
		     cancellable,
		     hubd_client_job_ready_cb,
		     g_steal_pointer(&task));
}

void
hubd_client_call_job(HubdClient *self,
		     const gchar *interface_name,
		     const gchar *method,
		     GVariant *parameters,
		     gpointer source_tag,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, source_tag);
	hubd_client_call(self,
			 interface_name,
			 method,
			 parameters,
			 G_VARIANT_TYPE("(o)"),
			 cancellable,
			 hubd_client_job_path_cb,
			 task);
}

HubdJob *
hubd_client_call_job_finish(HubdClient *self,
			    GAsyncResult *result,
			    gpointer source_tag,
			    GError **error)
{
	return hubd_client_call_typed_finish(self, result, source_tag, error);
}

HubdJob *
hubd_client_call_job_sync(HubdClient *self,
			  const gchar *interface_name,
			  const gchar *method,
			  GVariant *parameters,
			  GCancellable *cancellable,
			  GError **error)
{
	g_autoptr(GVariant) reply = hubd_client_call_sync(self,
							  interface_name,
							  method,
							  parameters,
							  G_VARIANT_TYPE("(o)"),
							  cancellable,
							  error);
	const gchar *path = NULL;

	if (reply == NULL)
		return NULL;
	g_variant_get(reply, "(&o)", &path);
	return hubd_job_new_sync(self, path, cancellable, error);
}
