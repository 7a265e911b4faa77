/* hubd-test-job.c: waiting for org.hubd.Hub1.Job objects in tests */
#define G_LOG_DOMAIN "HubdTest"

#include "hubd-test-job.h"

#include "hubd-test-common.h"

#define JOB_IFACE       "org.hubd.Hub1.Job"
#define TRANSFERS_IFACE "org.hubd.Hub1.Transfers"

typedef struct {
	gboolean completed;
	gboolean ok;
	gchar *error_name;
	gchar *message;
	GVariant *result;
	guint n_progress;
	guint64 max_bytes_done;
	guint64 max_waiting_until;
} WaitData;

static const gchar *
job_dest(GDBusConnection *connection)
{
	/* a peer-to-peer connection has no bus to route by name */
	return g_dbus_connection_get_unique_name(connection) != NULL ? HUBD_TEST_BUS_NAME : NULL;
}

static void
note_bytes(WaitData *data, GVariant *props)
{
	guint64 bytes = 0;

	if (g_variant_lookup(props, "BytesDone", "t", &bytes))
		data->max_bytes_done = MAX(data->max_bytes_done, bytes);
	if (g_variant_lookup(props, "WaitingUntil", "t", &bytes))
		data->max_waiting_until = MAX(data->max_waiting_until, bytes);
}

static void
completed_cb(GDBusConnection *connection,
	     const gchar *sender,
	     const gchar *path,
	     const gchar *iface,
	     const gchar *signal,
	     GVariant *params,
	     gpointer user_data)
{
	WaitData *data = user_data;

	if (data->completed)
		return;
	data->completed = TRUE;
	g_variant_get(params,
		      "(bss@a{sv})",
		      &data->ok,
		      &data->error_name,
		      &data->message,
		      &data->result);
}

static void
properties_changed_cb(GDBusConnection *connection,
		      const gchar *sender,
		      const gchar *path,
		      const gchar *iface,
		      const gchar *signal,
		      GVariant *params,
		      gpointer user_data)
{
	WaitData *data = user_data;
	const gchar *changed_iface = NULL;
	g_autoptr(GVariant) changed = NULL;

	g_variant_get(params, "(&s@a{sv}@as)", &changed_iface, &changed, NULL);
	if (g_strcmp0(changed_iface, JOB_IFACE) != 0)
		return;
	data->n_progress++;
	note_bytes(data, changed);
}

/* org.freedesktop.DBus.Properties.GetAll, NULL when the job is gone */
static GVariant *
job_get_all(GDBusConnection *connection, const gchar *job_path)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	GVariant *props = NULL;

	reply = g_dbus_connection_call_sync(connection,
					    job_dest(connection),
					    job_path,
					    "org.freedesktop.DBus.Properties",
					    "GetAll",
					    g_variant_new("(s)", JOB_IFACE),
					    G_VARIANT_TYPE("(a{sv})"),
					    G_DBUS_CALL_FLAGS_NO_AUTO_START,
					    HUBD_TEST_TIMEOUT_S * 1000,
					    NULL,
					    &error);
	if (reply == NULL) {
		g_debug("GetAll on %s: %s", job_path, error->message);
		return NULL;
	}
	g_variant_get(reply, "(@a{sv})", &props);
	return props;
}

static gboolean
is_final(const gchar *state)
{
	return g_strcmp0(state, "completed") == 0 || g_strcmp0(state, "failed") == 0 ||
	       g_strcmp0(state, "cancelled") == 0;
}

static gboolean
keep_waking_cb(gpointer user_data)
{
	return G_SOURCE_CONTINUE;
}

/* Runs `context` (where the signals are delivered) until Completed. */
static gboolean
iterate_until(GMainContext *context, WaitData *data, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	GSource *timeout = g_timeout_source_new(MIN(timeout_ms, 100));

	/* wakes the blocking iteration now and then to check the deadline */
	g_source_set_callback(timeout, keep_waking_cb, NULL, NULL);
	g_source_attach(timeout, context);
	while (!data->completed && g_get_monotonic_time() < deadline)
		g_main_context_iteration(context, TRUE);
	g_source_destroy(timeout);
	g_source_unref(timeout);
	return data->completed;
}

HubdTestJobResult *
hubd_test_job_wait(GDBusConnection *connection, const gchar *job_path, guint timeout_ms)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GVariant) props = NULL;
	WaitData data = {0};
	HubdTestJobResult *r = g_new0(HubdTestJobResult, 1);
	const gchar *state = NULL;
	guint completed_id;
	guint changed_id;

	g_assert_true(g_variant_is_object_path(job_path));
	g_main_context_push_thread_default(context);
	/* subscribe first, then read: the job may have ended already */
	completed_id = g_dbus_connection_signal_subscribe(connection,
							  NULL,
							  JOB_IFACE,
							  "Completed",
							  job_path,
							  NULL,
							  G_DBUS_SIGNAL_FLAGS_NONE,
							  completed_cb,
							  &data,
							  NULL);
	changed_id = g_dbus_connection_signal_subscribe(connection,
							NULL,
							"org.freedesktop.DBus.Properties",
							"PropertiesChanged",
							job_path,
							NULL,
							G_DBUS_SIGNAL_FLAGS_NONE,
							properties_changed_cb,
							&data,
							NULL);
	props = job_get_all(connection, job_path);
	if (props == NULL)
		g_error("job %s: cannot read its properties", job_path);
	note_bytes(&data, props);
	if (!g_variant_lookup(props, "State", "&s", &state) || !is_final(state)) {
		if (!iterate_until(context, &data, timeout_ms))
			g_error("job %s did not end within %u ms", job_path, timeout_ms);
		/* the final properties, while the job lingers */
		g_clear_pointer(&props, g_variant_unref);
		props = job_get_all(connection, job_path);
	}
	g_dbus_connection_signal_unsubscribe(connection, completed_id);
	g_dbus_connection_signal_unsubscribe(connection, changed_id);
	/* let pending dispatches of the subscriptions run before data goes away */
	while (g_main_context_iteration(context, FALSE))
		;
	g_main_context_pop_thread_default(context);

	if (props != NULL) {
		r->properties = g_variant_ref(props);
		g_variant_lookup(props, "State", "s", &r->state);
		if (!data.completed) {
			g_variant_lookup(props, "ErrorName", "s", &data.error_name);
			g_variant_lookup(props, "ErrorMessage", "s", &data.message);
			data.result =
				g_variant_lookup_value(props, "Result", G_VARIANT_TYPE_VARDICT);
			data.ok = g_strcmp0(r->state, "completed") == 0;
		}
	}
	if (r->state == NULL) {
		/* gone already (no linger): the signal says enough */
		r->state =
			g_strdup(data.ok ? "completed"
				 : g_strcmp0(data.error_name, "org.hubd.Hub1.Error.Cancelled") == 0
					 ? "cancelled"
					 : "failed");
	}
	r->ok = data.ok;
	r->error_name = data.error_name != NULL ? data.error_name : g_strdup("");
	r->message = data.message != NULL ? data.message : g_strdup("");
	r->result =
		data.result != NULL
			? data.result
			: g_variant_ref_sink(g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0));
	r->n_progress_signals = data.n_progress;
	r->max_bytes_done = data.max_bytes_done;
	r->max_waiting_until = data.max_waiting_until;
	return r;
}

void
hubd_test_job_result_free(HubdTestJobResult *r)
{
	if (r == NULL)
		return;
	g_free(r->state);
	g_free(r->error_name);
	g_free(r->message);
	g_clear_pointer(&r->result, g_variant_unref);
	g_clear_pointer(&r->properties, g_variant_unref);
	g_free(r);
}

gchar *
hubd_test_job_repos(HubdTestJobResult *r)
{
	g_autoptr(GString) s = g_string_new(NULL);
	g_autoptr(GVariant) repos = NULL;
	GVariantIter iter;
	const gchar *type;
	const gchar *id;
	const gchar *revision;

	g_assert_nonnull(r->properties);
	repos = g_variant_lookup_value(r->properties, "Repos", G_VARIANT_TYPE("a(sss)"));
	g_assert_nonnull(repos);
	g_variant_iter_init(&iter, repos);
	while (g_variant_iter_next(&iter, "(&s&s&s)", &type, &id, &revision))
		g_string_append_printf(s, "%s%s:%s@%s", s->len > 0 ? "," : "", type, id, revision);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

gchar *
hubd_test_start_job(GDBusConnection *connection,
		    const gchar *method,
		    GVariant *parameters,
		    GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *iface = NULL;
	const gchar *dot = strrchr(method, '.');
	gchar *path = NULL;

	/* "Download" is a Transfers method; "org.x.Iface.Method" names another */
	if (dot != NULL) {
		iface = g_strndup(method, (gsize)(dot - method));
		method = dot + 1;
	} else {
		iface = g_strdup(TRANSFERS_IFACE);
	}
	reply = hubd_test_call(connection,
			       iface,
			       method,
			       parameters,
			       G_VARIANT_TYPE("(o)"),
			       &error_local);
	if (reply == NULL) {
		if (error == NULL)
			g_error("%s.%s: %s", iface, method, error_local->message);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	g_variant_get(reply, "(o)", &path);
	return path;
}

HubdTestJobResult *
hubd_test_run_job(GDBusConnection *connection,
		  const gchar *method,
		  GVariant *parameters,
		  guint timeout_ms)
{
	g_autofree gchar *path = hubd_test_start_job(connection, method, parameters, NULL);

	return hubd_test_job_wait(connection, path, timeout_ms);
}
