/* hubd-client-call.c: method calls on hubd's object — the generic ones apps
 * use for interfaces without typed calls, and those whose replies become
 * typed results or jobs */
#include "hubd-client-private.h"
#include "hubd-job-private.h"

static GDBusCallFlags
hubd_client_call_flags(HubdClient *self)
{
	return (hubd_client_get_proxy_flags(self) & G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START) != 0
		       ? G_DBUS_CALL_FLAGS_NO_AUTO_START
		       : G_DBUS_CALL_FLAGS_NONE;
}

static void
hubd_client_call_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GError) error = NULL;
	GVariant *reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);

	if (reply == NULL) {
		hubd_error_fixup_remote(&error);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_pointer(task, reply, (GDestroyNotify)g_variant_unref);
}

/**
 * hubd_client_call:
 * @self: a #HubdClient
 * @interface_name: the D-Bus interface, e.g. `org.hubd.Hub1.Spaces`
 * @method: the method, e.g. `GetRuntime`
 * @parameters: (nullable): the arguments as a tuple, e.g.
 *   `g_variant_new ("(sa{sv})", "alice/app", NULL)`; a floating
 *   reference is consumed
 * @reply_type: (nullable): the type the reply must have, e.g. `(a{sv})`;
 *   %NULL takes any
 * @timeout_msec: how long to wait for the reply in milliseconds, -1 for
 *   D-Bus's default (25 s), %G_MAXINT for no limit
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the reply
 * @user_data: data for @callback
 *
 * Calls a method of hubd's object (%HUBD_OBJECT_PATH), over the client's
 * connection (bus or socket). This is how an app uses the interfaces
 * libhubd has no typed calls for — the plugins' (Spaces, Endpoints,
 * Storage, …), documented in hubd's D-Bus API — with their errors mapped
 * as for every other call: what hubd reports arrives as %HUBD_ERROR with
 * its #HubdError code and a message without the `GDBus.Error:` prefix.
 *
 * A method that starts long work returns a job object path: make it a
 * #HubdJob with hubd_job_new() to follow its progress and wait for it.
 *
 * Since: 0.1
 */
void
hubd_client_call(HubdClient *self,
		 const gchar *interface_name,
		 const gchar *method,
		 GVariant *parameters,
		 const GVariantType *reply_type,
		 gint timeout_msec,
		 GCancellable *cancellable,
		 GAsyncReadyCallback callback,
		 gpointer user_data)
{
	GTask *task;

	g_return_if_fail(HUBD_IS_CLIENT(self));
	g_return_if_fail(g_dbus_is_interface_name(interface_name));
	g_return_if_fail(g_dbus_is_member_name(method));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_client_call);
	g_dbus_connection_call(hubd_client_get_connection(self),
			       hubd_client_get_bus_name(self),
			       HUBD_OBJECT_PATH,
			       interface_name,
			       method,
			       parameters,
			       reply_type,
			       hubd_client_call_flags(self),
			       timeout_msec,
			       cancellable,
			       hubd_client_call_cb,
			       task);
}

/**
 * hubd_client_call_finish:
 * @self: a #HubdClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the reply, a tuple of the method's out
 *   arguments (`()` for none), or %NULL with @error set
 *
 * Since: 0.1
 */
GVariant *
hubd_client_call_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

GVariant *
hubd_client_call_sync_at(HubdClient *self,
			 const gchar *object_path,
			 const gchar *interface_name,
			 const gchar *method,
			 GVariant *parameters,
			 const GVariantType *reply_type,
			 gint timeout_msec,
			 GCancellable *cancellable,
			 GError **error)
{
	g_autoptr(GError) error_local = NULL;
	GVariant *reply = g_dbus_connection_call_sync(hubd_client_get_connection(self),
						      hubd_client_get_bus_name(self),
						      object_path,
						      interface_name,
						      method,
						      parameters,
						      reply_type,
						      hubd_client_call_flags(self),
						      timeout_msec,
						      cancellable,
						      &error_local);
	if (reply == NULL) {
		hubd_error_fixup_remote(&error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
	}
	return reply;
}

/**
 * hubd_client_call_sync:
 * @self: a #HubdClient
 * @interface_name: the D-Bus interface, e.g. `org.hubd.Hub1.Spaces`
 * @method: the method, e.g. `GetRuntime`
 * @parameters: (nullable): the arguments as a tuple; a floating reference
 *   is consumed
 * @reply_type: (nullable): the type the reply must have; %NULL takes any
 * @timeout_msec: as for hubd_client_call()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Calls a method of hubd's object as hubd_client_call() does, blocking.
 *
 * Returns: (transfer full): the reply tuple, or %NULL with @error set
 *   (%HUBD_ERROR for what hubd reports)
 *
 * Since: 0.1
 */
GVariant *
hubd_client_call_sync(HubdClient *self,
		      const gchar *interface_name,
		      const gchar *method,
		      GVariant *parameters,
		      const GVariantType *reply_type,
		      gint timeout_msec,
		      GCancellable *cancellable,
		      GError **error)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	g_return_val_if_fail(g_dbus_is_interface_name(interface_name), NULL);
	g_return_val_if_fail(g_dbus_is_member_name(method), NULL);
	return hubd_client_call_sync_at(self,
					HUBD_OBJECT_PATH,
					interface_name,
					method,
					parameters,
					reply_type,
					timeout_msec,
					cancellable,
					error);
}

/**
 * hubd_client_get_property_sync:
 * @self: a #HubdClient
 * @interface_name: the D-Bus interface, e.g. %HUBD_INTERFACE_DAEMON
 * @property_name: the property, e.g. `Version`
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a property of hubd's object (`org.freedesktop.DBus.Properties.Get`),
 * blocking.
 *
 * Returns: (transfer full): the property's value, or %NULL with @error set
 *
 * Since: 0.1
 */
GVariant *
hubd_client_get_property_sync(HubdClient *self,
			      const gchar *interface_name,
			      const gchar *property_name,
			      GCancellable *cancellable,
			      GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	GVariant *value = NULL;

	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	g_return_val_if_fail(g_dbus_is_interface_name(interface_name), NULL);
	g_return_val_if_fail(property_name != NULL, NULL);
	reply = hubd_client_call_sync_at(self,
					 HUBD_OBJECT_PATH,
					 "org.freedesktop.DBus.Properties",
					 "Get",
					 g_variant_new("(ss)", interface_name, property_name),
					 G_VARIANT_TYPE("(v)"),
					 -1,
					 cancellable,
					 error);
	if (reply == NULL)
		return NULL;
	g_variant_get(reply, "(v)", &value);
	return value;
}

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
			 HUBD_CLIENT_NO_TIMEOUT,
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
							  HUBD_CLIENT_NO_TIMEOUT,
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
			 HUBD_CLIENT_NO_TIMEOUT,
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
							  HUBD_CLIENT_NO_TIMEOUT,
							  cancellable,
							  error);
	const gchar *path = NULL;

	if (reply == NULL)
		return NULL;
	g_variant_get(reply, "(&o)", &path);
	return hubd_job_new_sync(self, path, cancellable, error);
}
