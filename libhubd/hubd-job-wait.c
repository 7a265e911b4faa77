/* hubd-job-wait.c: waiting for a HubdJob to end, and cancelling it
 *
 * Each wait makes a proxy of its own in the waiting main context: GDBusProxy
 * subscribes to the job's signals before it reads the properties, which is
 * the order the job contract asks for (a job may end before anyone listens);
 * a final State among those properties says what Completed would have said.
 * hubd_job_wait_sync() so runs in a private main context and still feeds
 * the job's progress properties. */
#include <glib/gi18n-lib.h>

#include "hubd-client-private.h"
#include "hubd-dbus-generated.h"
#include "hubd-job-private.h"

typedef struct {
	HubdJob *job;
	HubdDbusJob *proxy;
	gulong completed_id;
	gulong changed_id;
	gulong owner_id;
	gulong closed_id;
	GSource *cancel_source;
	gboolean done; /* the outcome is known: the handlers' reference is dropped */
} HubdJobWait;

static void
hubd_job_wait_disconnect(HubdJobWait *w)
{
	if (w->cancel_source != NULL) {
		g_source_destroy(w->cancel_source);
		g_clear_pointer(&w->cancel_source, g_source_unref);
	}
	if (w->proxy != NULL) {
		g_clear_signal_handler(&w->completed_id, w->proxy);
		g_clear_signal_handler(&w->changed_id, w->proxy);
		g_clear_signal_handler(&w->owner_id, w->proxy);
		g_clear_signal_handler(&w->closed_id,
				       g_dbus_proxy_get_connection(G_DBUS_PROXY(w->proxy)));
	}
}

static void
hubd_job_wait_free(HubdJobWait *w)
{
	hubd_job_wait_disconnect(w);
	g_clear_object(&w->proxy);
	g_object_unref(w->job);
	g_free(w);
}

static HubdError
hubd_job_error_code(const gchar *error_name)
{
	if (error_name != NULL && g_str_has_prefix(error_name, HUBD_DBUS_ERROR_PREFIX)) {
		const gchar *name = error_name + strlen(HUBD_DBUS_ERROR_PREFIX);
		for (guint code = 0; code < HUBD_ERROR_LAST; code++) {
			if (g_strcmp0(hubd_error_code_to_name(code), name) == 0)
				return code;
		}
	}
	/* a name newer than this library, or none */
	return HUBD_ERROR_FAILED;
}

/* Ends the task once: the outcome of Completed, or of a final State. */
static void
hubd_job_wait_return(GTask *task,
		     gboolean ok,
		     const gchar *error_name,
		     const gchar *message,
		     GVariant *result)
{
	HubdJobWait *w = g_task_get_task_data(task);
	const gchar *path = NULL;

	if (w->done)
		return;
	w->done = TRUE;
	hubd_job_wait_disconnect(w);
	hubd_job_update(w->job, w->proxy);
	if (!ok) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					hubd_job_error_code(error_name),
					"%s",
					message != NULL && message[0] != '\0'
						? message
						: _("The job failed without saying why."));
		return;
	}
	hubd_job_set_result(w->job, result);
	if (result != NULL && g_variant_lookup(result, "path", "&s", &path) && path[0] != '\0') {
		g_task_return_pointer(task, g_file_new_for_path(path), g_object_unref);
		return;
	}
	g_task_return_pointer(task, NULL, NULL);
}

static gboolean
hubd_job_wait_check_state(GTask *task)
{
	HubdJobWait *w = g_task_get_task_data(task);
	const gchar *state = hubd_dbus_job_get_state(w->proxy);

	if (g_strcmp0(state, "completed") == 0) {
		hubd_job_wait_return(task, TRUE, NULL, NULL, hubd_dbus_job_get_result(w->proxy));
		return TRUE;
	}
	if (g_strcmp0(state, "failed") == 0 || g_strcmp0(state, "cancelled") == 0) {
		const gchar *name = hubd_dbus_job_get_error_name(w->proxy);
		if ((name == NULL || name[0] == '\0') && g_strcmp0(state, "cancelled") == 0)
			name = HUBD_DBUS_ERROR_PREFIX "Cancelled";
		hubd_job_wait_return(task,
				     FALSE,
				     name,
				     hubd_dbus_job_get_error_message(w->proxy),
				     NULL);
		return TRUE;
	}
	return FALSE;
}

static void
hubd_job_wait_completed_cb(HubdDbusJob *proxy,
			   gboolean ok,
			   const gchar *error_name,
			   const gchar *message,
			   GVariant *result,
			   gpointer user_data)
{
	GTask *task = user_data;

	hubd_job_wait_return(task, ok, error_name, message, result);
	g_object_unref(task); /* the handlers' reference */
}

static void
hubd_job_wait_changed_cb(GDBusProxy *proxy,
			 GVariant *changed,
			 GStrv invalidated,
			 gpointer user_data)
{
	GTask *task = user_data;
	HubdJobWait *w = g_task_get_task_data(task);

	hubd_job_update(w->job, w->proxy);
	if (hubd_job_wait_check_state(task))
		g_object_unref(task);
}

static void
hubd_job_wait_gone(GTask *task)
{
	HubdJobWait *w = g_task_get_task_data(task);

	if (w->done)
		return;
	w->done = TRUE;
	hubd_job_wait_disconnect(w);
	g_task_return_new_error(task,
				G_IO_ERROR,
				G_IO_ERROR_CLOSED,
				"%s",
				_("hubd went away before the job ended"));
	g_object_unref(task);
}

static gboolean
hubd_job_wait_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	GTask *task = user_data;
	HubdJobWait *w = g_task_get_task_data(task);

	if (!w->done) {
		w->done = TRUE;
		hubd_job_wait_disconnect(w);
		/* the task checks its cancellable: this returns G_IO_ERROR_CANCELLED */
		g_task_return_boolean(task, FALSE);
		g_object_unref(task);
	}
	return G_SOURCE_REMOVE;
}

static void
hubd_job_wait_owner_cb(GObject *object, GParamSpec *pspec, gpointer user_data)
{
	g_autofree gchar *owner = g_dbus_proxy_get_name_owner(G_DBUS_PROXY(object));

	if (owner == NULL)
		hubd_job_wait_gone(user_data);
}

static void
hubd_job_wait_closed_cb(GDBusConnection *connection,
			gboolean remote_peer_vanished,
			GError *error,
			gpointer user_data)
{
	hubd_job_wait_gone(user_data);
}

static void
hubd_job_wait_proxy_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	HubdJobWait *w = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	w->proxy = hubd_dbus_job_proxy_new_finish(res, &error);
	if (w->proxy == NULL) {
		hubd_error_fixup_remote(&error);
		g_task_return_error(task, g_steal_pointer(&error));
		g_object_unref(task);
		return;
	}
	if (hubd_job_wait_check_state(task)) {
		g_object_unref(task);
		return;
	}
	if (hubd_dbus_job_get_state(w->proxy) == NULL) {
		/* no properties: the object is gone (it lingers a few seconds only) */
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_FAILED,
					/* TRANSLATORS: %s is a D-Bus object path */
					_("The job %s does not exist (any more)."),
					hubd_job_get_object_path(w->job));
		g_object_unref(task);
		return;
	}
	/* one reference for whichever of these ends the wait first */
	w->completed_id = g_signal_connect(w->proxy,
					   "completed",
					   G_CALLBACK(hubd_job_wait_completed_cb),
					   task);
	w->changed_id = g_signal_connect(w->proxy,
					 "g-properties-changed",
					 G_CALLBACK(hubd_job_wait_changed_cb),
					 task);
	if (hubd_client_get_bus_name(hubd_job_get_client(w->job)) != NULL)
		w->owner_id = g_signal_connect(w->proxy,
					       "notify::g-name-owner",
					       G_CALLBACK(hubd_job_wait_owner_cb),
					       task);
	w->closed_id = g_signal_connect(g_dbus_proxy_get_connection(G_DBUS_PROXY(w->proxy)),
					"closed",
					G_CALLBACK(hubd_job_wait_closed_cb),
					task);
	if (g_task_get_cancellable(task) != NULL) {
		w->cancel_source = g_cancellable_source_new(g_task_get_cancellable(task));
		g_source_set_callback(w->cancel_source,
				      G_SOURCE_FUNC(hubd_job_wait_cancelled_cb),
				      task,
				      NULL);
		g_source_attach(w->cancel_source, g_main_context_get_thread_default());
	}
}

/**
 * hubd_job_wait:
 * @self: a #HubdJob
 * @cancellable: (nullable): a #GCancellable: cancelling it stops the wait,
 *   not the job (see hubd_job_cancel())
 * @callback: called when the job has ended
 * @user_data: data for @callback
 *
 * Waits for the job to end, following its progress meanwhile.
 *
 * Since: 0.1
 */
void
hubd_job_wait(HubdJob *self,
	      GCancellable *cancellable,
	      GAsyncReadyCallback callback,
	      gpointer user_data)
{
	GTask *task;
	HubdJobWait *w;
	HubdClient *client;

	g_return_if_fail(HUBD_IS_JOB(self));

	client = hubd_job_get_client(self);
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_job_wait);
	w = g_new0(HubdJobWait, 1);
	w->job = g_object_ref(self);
	g_task_set_task_data(task, w, (GDestroyNotify)hubd_job_wait_free);
	g_task_set_check_cancellable(task, TRUE);
	hubd_dbus_job_proxy_new(hubd_client_get_connection(client),
				hubd_client_get_proxy_flags(client),
				hubd_client_get_bus_name(client),
				hubd_job_get_object_path(self),
				cancellable,
				hubd_job_wait_proxy_cb,
				task);
}

/**
 * hubd_job_wait_finish:
 * @self: a #HubdJob
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * The outcome of the job. On success, the file or folder it made — for a
 * download the file on disk, for a snapshot its folder; other kinds (an
 * upload) have none: read hubd_job_get_result(). A failed job gives its
 * %HUBD_ERROR (%HUBD_ERROR_CANCELLED when it was cancelled); hubd going
 * away before the job ended (it left the bus, or the socket closed) gives
 * %G_IO_ERROR_CLOSED.
 *
 * Returns: (transfer full) (nullable): the file or folder, or %NULL
 *
 * Since: 0.1
 */
GFile *
hubd_job_wait_finish(HubdJob *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
hubd_job_wait_sync_func(gpointer data,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	hubd_job_wait(data, cancellable, callback, user_data);
}

static gpointer
hubd_job_wait_sync_finish(gpointer data, GAsyncResult *result, GError **error)
{
	return hubd_job_wait_finish(data, result, error);
}

/**
 * hubd_job_wait_sync:
 * @self: a #HubdJob
 * @cancellable: (nullable): a #GCancellable: cancelling it stops the wait
 * @error: return location for a #GError
 *
 * Waits for the job to end, blocking, as hubd_job_wait() does. The job's
 * properties and #HubdJob::progress keep following the work meanwhile
 * (emitted in the calling thread).
 *
 * Returns: (transfer full) (nullable): as hubd_job_wait_finish()
 *
 * Since: 0.1
 */
GFile *
hubd_job_wait_sync(HubdJob *self, GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), NULL);
	return hubd_client_run_sync(hubd_job_wait_sync_func,
				    hubd_job_wait_sync_finish,
				    self,
				    cancellable,
				    error);
}

static void
hubd_job_cancel_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);

	if (reply == NULL) {
		hubd_error_fixup_remote(&error);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/**
 * hubd_job_cancel:
 * @self: a #HubdJob
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when hubd took the request
 * @user_data: data for @callback
 *
 * Asks hubd to cancel the job (for this caller: a transfer shared with
 * another app goes on for it). A waiter then gets %HUBD_ERROR_CANCELLED.
 *
 * Since: 0.1
 */
void
hubd_job_cancel(HubdJob *self,
		GCancellable *cancellable,
		GAsyncReadyCallback callback,
		gpointer user_data)
{
	HubdClient *client;
	GTask *task;

	g_return_if_fail(HUBD_IS_JOB(self));
	client = hubd_job_get_client(self);
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_job_cancel);
	g_dbus_connection_call(hubd_client_get_connection(client),
			       hubd_client_get_bus_name(client),
			       hubd_job_get_object_path(self),
			       HUBD_INTERFACE_JOB,
			       "Cancel",
			       g_variant_new("(@a{sv})", hubd_client_no_options()),
			       G_VARIANT_TYPE_UNIT,
			       G_DBUS_CALL_FLAGS_NO_AUTO_START,
			       -1,
			       cancellable,
			       hubd_job_cancel_cb,
			       task);
}

/**
 * hubd_job_cancel_finish:
 * @self: a #HubdJob
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when hubd took the request
 *
 * Since: 0.1
 */
gboolean
hubd_job_cancel_finish(HubdJob *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/**
 * hubd_job_cancel_sync:
 * @self: a #HubdJob
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks hubd to cancel the job, blocking, as hubd_job_cancel() does.
 *
 * Returns: %TRUE when hubd took the request
 *
 * Since: 0.1
 */
gboolean
hubd_job_cancel_sync(HubdJob *self, GCancellable *cancellable, GError **error)
{
	HubdClient *client;
	g_autoptr(GVariant) reply = NULL;

	g_return_val_if_fail(HUBD_IS_JOB(self), FALSE);
	client = hubd_job_get_client(self);
	reply = hubd_client_call_sync_at(client,
					 hubd_job_get_object_path(self),
					 HUBD_INTERFACE_JOB,
					 "Cancel",
					 g_variant_new("(@a{sv})", hubd_client_no_options()),
					 G_VARIANT_TYPE_UNIT,
					 -1,
					 cancellable,
					 error);
	return reply != NULL;
}
