/* hubd-test-plugin.c: the test suite's plugin, and the worked example of plugins/README.md */
#define G_LOG_DOMAIN "HubdPluginTest"

#include <glib/gi18n.h>

#include "hubd-plugin.h"
#include "hubd-test-plugin-generated.h"

#define HUBD_TYPE_TEST_PLUGIN (hubd_test_plugin_get_type())
G_DECLARE_FINAL_TYPE(HubdTestPlugin, hubd_test_plugin, HUBD, TEST_PLUGIN, HubdService)

struct _HubdTestPlugin {
	HubdService parent_instance;
};

G_DEFINE_DYNAMIC_TYPE(HubdTestPlugin, hubd_test_plugin, HUBD_TYPE_SERVICE)

static gboolean
hubd_test_plugin_handle_ping(HubdTestDbusTestPlugin *skeleton,
			     GDBusMethodInvocation *invocation,
			     const gchar *text,
			     GVariant *options,
			     gpointer user_data)
{
	g_autofree gchar *greeting = NULL;
	g_autofree gchar *reply = NULL;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	/* [test] greeting: the plugin's own config group */
	greeting = hubd_service_get_config_string(HUBD_SERVICE(user_data), "greeting", "pong");
	reply = g_strdup_printf("%s: %s", greeting, text);
	hubd_test_dbus_test_plugin_complete_ping(skeleton, invocation, reply);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ResolveRevision: a call to the Hub through the daemon's Hub API */

/* One call in flight. The handler owns one reference on the invocation,
 * which completing the call (or hubd_service_return_error()) consumes; the
 * call keeps one more for itself, dropped when it is freed. It holds the
 * daemon, so an idle hubd does not exit before the Hub answers. */
typedef struct {
	HubdContext *context;
	GDBusMethodInvocation *invocation;
} TestCall;

static TestCall *
test_call_new(HubdContext *context, GDBusMethodInvocation *invocation)
{
	TestCall *call = g_new0(TestCall, 1);

	call->context = g_object_ref(context);
	call->invocation = g_object_ref(invocation);
	hubd_context_hold(call->context);
	return call;
}

static void
test_call_free(TestCall *call)
{
	hubd_context_release(call->context);
	g_object_unref(call->context);
	g_object_unref(call->invocation);
	g_free(call);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestCall, test_call_free)

static void
hubd_test_plugin_resolved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TestCall) call = user_data;
	g_autofree gchar *commit = NULL;
	GError *error = NULL;

	commit = hubd_hub_api_revision_commit_finish(HUBD_HUB_API(source), res, &error);
	if (commit == NULL) {
		/* typed: RepoNotFound, RevisionNotFound, Unauthorized… */
		hubd_service_return_error(call->invocation, error);
		return;
	}
	hubd_test_dbus_test_plugin_complete_resolve_revision(NULL, call->invocation, commit);
}

static gboolean
hubd_test_plugin_handle_resolve_revision(HubdTestDbusTestPlugin *skeleton,
					 GDBusMethodInvocation *invocation,
					 const gchar *repo_type,
					 const gchar *repo_id,
					 const gchar *revision,
					 GVariant *options,
					 gpointer user_data)
{
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(user_data));
	HubdRepoType type = HUBD_REPO_TYPE_MODEL;
	GError *error = NULL;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	if (repo_type[0] != '\0' && !hubd_repo_type_from_string(repo_type, &type, &error)) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* the API checks the id and revision before anything is sent, and the
	 * transport adds the user's token: the plugin never sees it */
	hubd_hub_api_revision_commit_async(hubd_context_get_hub_api(context),
					   type,
					   repo_id,
					   revision[0] != '\0' ? revision : "main",
					   NULL,
					   hubd_test_plugin_resolved_cb,
					   test_call_new(context, invocation));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* A job that ticks on a timer, standing in for a transfer. */
typedef struct {
	HubdJob *job;
	guint steps;
	guint done;
	gboolean fail;
	guint timer_id;
	guint idle_id;
	gulong cancelled_id;
} TickJob;

static void
tick_job_end(TickJob *t)
{
	if (t->cancelled_id != 0)
		g_signal_handler_disconnect(hubd_job_get_cancellable(t->job), t->cancelled_id);
	g_clear_handle_id(&t->timer_id, g_source_remove);
	g_clear_handle_id(&t->idle_id, g_source_remove);
	if (g_cancellable_is_cancelled(hubd_job_get_cancellable(t->job))) {
		hubd_job_fail(t->job,
			      g_error_new_literal(HUBD_ERROR, HUBD_ERROR_CANCELLED, "Cancelled"));
	} else if (t->fail) {
		hubd_job_fail(t->job,
			      g_error_new(HUBD_ERROR,
					  HUBD_ERROR_FAILED,
					  "Test job failed after %u steps",
					  t->done));
	} else {
		GVariantBuilder b;
		g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&b, "{sv}", "path", g_variant_new_string("/test/path"));
		g_variant_builder_add(&b, "{sv}", "steps", g_variant_new_uint32(t->done));
		hubd_job_complete(t->job, g_variant_builder_end(&b));
	}
	g_object_unref(t->job);
	g_free(t);
}

static gboolean
tick_job_tick_cb(gpointer user_data)
{
	TickJob *t = user_data;

	if (t->done == 0)
		hubd_job_set_phase(t->job, "downloading");
	if (t->done < t->steps) {
		t->done++;
		hubd_job_add_bytes(t->job, 1000);
		hubd_job_add_files(t->job, 1);
	}
	if (t->done < t->steps)
		return G_SOURCE_CONTINUE;
	t->timer_id = 0;
	tick_job_end(t);
	return G_SOURCE_REMOVE;
}

static gboolean
tick_job_cancelled_idle_cb(gpointer user_data)
{
	TickJob *t = user_data;

	t->idle_id = 0;
	tick_job_end(t);
	return G_SOURCE_REMOVE;
}

static void
tick_job_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	TickJob *t = user_data;

	/* end from the main loop, as real work does, not inside cancel() */
	if (t->idle_id == 0)
		t->idle_id = g_idle_add(tick_job_cancelled_idle_cb, t);
}

static gboolean
hubd_test_plugin_handle_start_job(HubdTestDbusTestPlugin *skeleton,
				  GDBusMethodInvocation *invocation,
				  guint steps,
				  guint step_ms,
				  gboolean fail,
				  GVariant *options,
				  gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"cancelable", "b"}, {NULL, NULL}};
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(user_data));
	gboolean cancelable = TRUE;
	TickJob *t;

	if (!hubd_service_accept_options(invocation, options, allowed))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	g_variant_lookup(options, "cancelable", "b", &cancelable);
	t = g_new0(TickJob, 1);
	t->job = hubd_job_new(context, "download", "test: ticking job");
	hubd_job_add_repo(t->job, "model", "test/ticking", "");
	hubd_job_set_cancelable(t->job, cancelable);
	t->steps = steps;
	t->fail = fail;
	hubd_job_set_owner(t->job, invocation);
	hubd_job_set_totals(t->job, (guint64)steps * 1000, steps);
	t->cancelled_id = g_signal_connect(hubd_job_get_cancellable(t->job),
					   "cancelled",
					   G_CALLBACK(tick_job_cancelled_cb),
					   t);
	t->timer_id = g_timeout_add(MAX(step_ms, 1), tick_job_tick_cb, t);
	hubd_test_dbus_test_plugin_complete_start_job(skeleton,
						      invocation,
						      hubd_job_get_object_path(t->job));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GDBusInterfaceSkeleton *
hubd_test_plugin_create_skeleton(HubdService *service)
{
	HubdTestDbusTestPlugin *skeleton = hubd_test_dbus_test_plugin_skeleton_new();

	g_signal_connect(skeleton,
			 "handle-ping",
			 G_CALLBACK(hubd_test_plugin_handle_ping),
			 service);
	g_signal_connect(skeleton,
			 "handle-resolve-revision",
			 G_CALLBACK(hubd_test_plugin_handle_resolve_revision),
			 service);
	g_signal_connect(skeleton,
			 "handle-start-job",
			 G_CALLBACK(hubd_test_plugin_handle_start_job),
			 service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static void
hubd_test_plugin_class_init(HubdTestPluginClass *klass)
{
	HUBD_SERVICE_CLASS(klass)->create_skeleton = hubd_test_plugin_create_skeleton;
}

static void
hubd_test_plugin_class_finalize(HubdTestPluginClass *klass)
{
}

static void
hubd_test_plugin_init(HubdTestPlugin *self)
{
}

/* GIO finds these by the module's file name: libhubd-test.so -> hubd_test */
G_MODULE_EXPORT void
g_io_hubd_test_load(GIOModule *module);
G_MODULE_EXPORT void
g_io_hubd_test_unload(GIOModule *module);

void
g_io_hubd_test_load(GIOModule *module)
{
	hubd_test_plugin_register_type(G_TYPE_MODULE(module));
	hubd_service_register_extension_point();
	g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
				       HUBD_TYPE_TEST_PLUGIN,
				       "test",
				       0);
}

void
g_io_hubd_test_unload(GIOModule *module)
{
}
