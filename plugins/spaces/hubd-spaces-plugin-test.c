/* hubd-spaces-plugin-test.c: the Spaces plugin — a real hubd loads it, and
 * org.hubd.Hub1.Spaces is called over a private bus against the local Hub,
 * whose Spaces build and run on a short clock */
#define G_LOG_DOMAIN "HubdSpacesTest"

#include "hubd-spaces-plugin-test.h"

#include <gio/gio.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-test-job.h"

void
signal_cb(GDBusConnection *connection,
	  const gchar *sender,
	  const gchar *path,
	  const gchar *iface,
	  const gchar *name,
	  GVariant *params,
	  gpointer user_data)
{
	Fixture *f = user_data;

	if (g_strcmp0(name, "LogLine") == 0) {
		const gchar *line = NULL;

		g_variant_get(params, "(t&s&s)", NULL, &line, NULL);
		g_ptr_array_add(f->lines, g_strdup(line));
	} else if (g_strcmp0(name, "LogsEnded") == 0) {
		const gchar *error_name = NULL;

		g_variant_get(params, "(t&s&s)", NULL, &error_name, NULL);
		g_free(f->ended_error);
		f->ended_error = g_strdup(error_name);
	} else if (g_strcmp0(name, "RuntimeChanged") == 0) {
		g_autoptr(GVariant) runtime = NULL;
		const gchar *stage = NULL;

		g_variant_get(params, "(&s@a{sv})", NULL, &runtime);
		g_variant_lookup(runtime, "stage", "&s", &stage);
		g_ptr_array_add(f->stages, g_strdup(stage));
	}
}

void
create_space(Fixture *f, const gchar *name, const gchar *sdk)
{
	g_autofree gchar *body =
		g_strdup_printf("{\"name\":\"%s\",\"type\":\"space\",\"sdk\":\"%s\"}", name, sdk);
	g_autofree gchar *reply = NULL;

	g_assert_cmpuint(
		hubd_test_hub_http(f->hub, "POST", "/api/repos/create", ALICE_WRITE, body, &reply),
		==,
		200);
}

/* Per-Space clock and faults of the local Hub (a new build starts). */
void
space_admin(Fixture *f, const gchar *space_id, const gchar *json)
{
	g_autofree gchar *path = g_strdup_printf("/_testhub/spaces/%s", space_id);
	g_autoptr(JsonNode) reply = hubd_test_hub_admin(f->hub, "POST", path, json);
}

void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *args[] = {"--endpoint", NULL, "--set", "spaces.poll-interval-ms=100", NULL};
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, "G_MESSAGES_DEBUG=all", NULL};

	f->hub = hubd_test_hub_start(NULL);
	args[1] = f->hub->url;
	create_space(f, "demo", "gradio");
	f->daemon = hubd_test_daemon_start(args, env);
	f->bus = hubd_test_session_bus();
	f->lines = g_ptr_array_new_with_free_func(g_free);
	f->stages = g_ptr_array_new_with_free_func(g_free);
	f->subscription = g_dbus_connection_signal_subscribe(f->bus,
							     NULL,
							     IFACE,
							     NULL,
							     "/org/hubd/Hub1",
							     NULL,
							     G_DBUS_SIGNAL_FLAGS_NONE,
							     signal_cb,
							     f,
							     NULL);
}

void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

	/* neither the token nor a secret value reaches hubd's log, even with
	 * every debug message on */
	g_assert_null(strstr(log, ALICE_WRITE));
	g_assert_null(strstr(log, SECRET));
	g_dbus_connection_signal_unsubscribe(f->bus, f->subscription);
	hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
	g_ptr_array_unref(f->lines);
	g_ptr_array_unref(f->stages);
	g_free(f->ended_error);
}

GVariant *
call(Fixture *f, const gchar *method, GVariant *params, const gchar *reply_type, GError **error)
{
	return hubd_test_call(f->bus,
			      IFACE,
			      method,
			      params,
			      reply_type != NULL ? G_VARIANT_TYPE(reply_type) : NULL,
			      error);
}

/* The runtime's stage after `method` (a runtime-returning call). */
gchar *
runtime_stage(GVariant *reply)
{
	g_autoptr(GVariant) runtime = g_variant_get_child_value(reply, 0);
	gchar *stage = NULL;

	g_assert_true(g_variant_lookup(runtime, "stage", "s", &stage));
	return stage;
}

HubdTestJobResult *
wait_space(Fixture *f, const gchar *space_id, guint timeout_s)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	const gchar *job = NULL;

	reply = call(f,
		     "Wait",
		     g_variant_new_parsed("(%s, {'timeout': <%u>})", space_id, timeout_s),
		     "(o)",
		     &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(&o)", &job);
	return hubd_test_job_wait(f->bus, job, 30000);
}

/* Loaded as a GIO module: in the status's plugins, its interface exported. */
static void
test_loaded(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) status = hubd_test_get_status(f->bus);
	g_autofree const gchar **plugins = NULL;
	g_autofree const gchar **services = NULL;

	g_assert_true(g_variant_lookup(status, "plugins", "^a&s", &plugins));
	g_assert_true(g_strv_contains(plugins, "spaces"));
	g_assert_true(g_variant_lookup(status, "services", "^a&s", &services));
	g_assert_true(g_strv_contains(services, IFACE));
}

/* Wait ends at RUNNING; the runtime then says so, on cpu-basic. */
static void
test_wait_running(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = wait_space(f, "alice/demo", 20);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) runtime = NULL;
	const gchar *s = NULL;

	g_assert_true(r->ok);
	g_assert_true(g_variant_lookup(r->result, "stage", "&s", &s));
	g_assert_cmpstr(s, ==, "RUNNING");
	reply = call(f,
		     "GetRuntime",
		     g_variant_new_parsed("('alice/demo', @a{sv} {})"),
		     "(a{sv})",
		     &error);
	g_assert_no_error(error);
	runtime = g_variant_get_child_value(reply, 0);
	g_assert_true(g_variant_lookup(runtime, "stage", "&s", &s));
	g_assert_cmpstr(s, ==, "RUNNING");
	g_assert_true(g_variant_lookup(runtime, "hardware", "&s", &s));
	g_assert_cmpstr(s, ==, "cpu-basic");
}

/* A Space whose build fails: Wait fails with the build's error. */
static void
test_wait_build_error(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = NULL;

	create_space(f, "broken", "docker");
	space_admin(f, "alice/broken", "{\"fail\": \"build\"}");
	r = wait_space(f, "alice/broken", 20);
	g_assert_false(r->ok);
	g_assert_cmpstr(r->error_name, ==, "org.hubd.Hub1.Error.DeployFailed");
	g_assert_nonnull(strstr(r->message, "BUILD_ERROR"));
	g_assert_nonnull(strstr(r->message, "Build failed with exit code: 1"));
}

/* Waiting longer than asked: a clear TimedOut naming the stage. */
static void
test_wait_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = NULL;

	space_admin(f, "alice/demo", "{\"build_ms\": 60000}");
	r = wait_space(f, "alice/demo", 1);
	g_assert_false(r->ok);
	g_assert_cmpstr(r->error_name, ==, "org.hubd.Hub1.Error.TimedOut");
	g_assert_nonnull(strstr(r->message, "alice/demo is still BUILDING after 1 second"));
}

/* Hardware, sleep time, pause, restart, dev mode: what the Hub received and
 * the runtime it answered. */
static void
test_settings(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) runtime = NULL;
	g_autoptr(JsonObject) body = NULL;
	g_autofree gchar *stage = NULL;
	const gchar *s = NULL;
	gint64 sleep_time = 0;
	gboolean dev = FALSE;

	reply = call(
		f,
		"RequestHardware",
		g_variant_new_parsed("('alice/demo', 't4-medium', {'sleep_time': <int64 3600>})"),
		"(a{sv})",
		&error);
	g_assert_no_error(error);
	runtime = g_variant_get_child_value(reply, 0);
	g_assert_true(g_variant_lookup(runtime, "requested_hardware", "&s", &s));
	g_assert_cmpstr(s, ==, "t4-medium");
	g_assert_true(g_variant_lookup(runtime, "sleep_time", "x", &sleep_time));
	g_assert_cmpint(sleep_time, ==, 3600);
	body = hubd_test_hub_last_body(f->hub, "POST", "^/api/spaces/alice/demo/hardware$");
	g_assert_cmpstr(json_object_get_string_member(body, "flavor"), ==, "t4-medium");
	g_assert_cmpint(json_object_get_int_member(body, "sleepTimeSeconds"), ==, 3600);

	g_clear_pointer(&reply, g_variant_unref);
	g_clear_pointer(&runtime, g_variant_unref);
	reply = call(f,
		     "SetSleepTime",
		     g_variant_new_parsed("('alice/demo', int64 600, @a{sv} {})"),
		     "(a{sv})",
		     &error);
	g_assert_no_error(error);
	runtime = g_variant_get_child_value(reply, 0);
	g_assert_true(g_variant_lookup(runtime, "sleep_time", "x", &sleep_time));
	g_assert_cmpint(sleep_time, ==, 600);

	g_clear_pointer(&reply, g_variant_unref);
	reply = call(f,
		     "Pause",
		     g_variant_new_parsed("('alice/demo', @a{sv} {})"),
		     "(a{sv})",
		     &error);
	g_assert_no_error(error);
	stage = runtime_stage(reply);
	g_assert_cmpstr(stage, ==, "PAUSED");

	g_clear_pointer(&reply, g_variant_unref);
	g_clear_pointer(&stage, g_free);
	reply = call(f,
		     "Restart",
		     g_variant_new_parsed("('alice/demo', {'factory': <true>})"),
		     "(a{sv})",
		     &error);
	g_assert_no_error(error);
	stage = runtime_stage(reply);
	g_assert_cmpstr(stage, ==, "BUILDING");

	g_clear_pointer(&reply, g_variant_unref);
	g_clear_pointer(&runtime, g_variant_unref);
	reply = call(f,
		     "SetDevMode",
		     g_variant_new_parsed("('alice/demo', true, @a{sv} {})"),
		     "(a{sv})",
		     &error);
	g_assert_no_error(error);
	runtime = g_variant_get_child_value(reply, 0);
	g_assert_true(g_variant_lookup(runtime, "dev_mode", "b", &dev));
	g_assert_true(dev);
}

/* Bad input is refused before anything is sent; the Hub's refusals typed. */
static void
test_errors(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) bad_flavor = NULL;
	g_autoptr(GError) unknown_flavor = NULL;
	g_autoptr(GError) missing = NULL;
	g_autoptr(GError) bad_key = NULL;
	g_autoptr(GError) static_pause = NULL;
	g_autoptr(GVariant) r1 = NULL;
	g_autoptr(GVariant) r2 = NULL;
	g_autoptr(GVariant) r3 = NULL;
	g_autoptr(GVariant) r4 = NULL;
	g_autoptr(GVariant) r5 = NULL;

	hubd_test_hub_clear_requests(f->hub);
	r1 = call(f,
		  "RequestHardware",
		  g_variant_new_parsed("('alice/demo', 't4 medium!', @a{sv} {})"),
		  "(a{sv})",
		  &bad_flavor);
	hubd_test_assert_remote_error(bad_flavor, "org.hubd.Hub1.Error.InvalidArgument");
	r4 = call(f,
		  "AddSecret",
		  g_variant_new_parsed("('alice/demo', '1BAD-KEY', 'x', @a{sv} {})"),
		  NULL,
		  &bad_key);
	hubd_test_assert_remote_error(bad_key, "org.hubd.Hub1.Error.InvalidArgument");
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, NULL, "^/api/spaces/", NULL), ==, 0);

	r2 = call(f,
		  "RequestHardware",
		  g_variant_new_parsed("('alice/demo', 'h1000', @a{sv} {})"),
		  "(a{sv})",
		  &unknown_flavor);
	hubd_test_assert_remote_error(unknown_flavor, "org.hubd.Hub1.Error.BadRequest");
	g_assert_nonnull(strstr(unknown_flavor->message, "h1000"));
	r3 = call(f,
		  "GetRuntime",
		  g_variant_new_parsed("('alice/nothing', @a{sv} {})"),
		  "(a{sv})",
		  &missing);
	hubd_test_assert_remote_error(missing, "org.hubd.Hub1.Error.RepoNotFound");
	create_space(f, "site", "static");
	r5 = call(f,
		  "Pause",
		  g_variant_new_parsed("('alice/site', @a{sv} {})"),
		  "(a{sv})",
		  &static_pause);
	hubd_test_assert_remote_error(static_pause, "org.hubd.Hub1.Error.BadRequest");
}

gboolean
line_seen(gpointer user_data)
{
	Fixture *f = ((Needle *)user_data)->f;
	const gchar *needle = ((Needle *)user_data)->text;

	for (guint i = 0; i < f->lines->len; i++) {
		if (strstr(g_ptr_array_index(f->lines, i), needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

gboolean
logs_ended(gpointer user_data)
{
	return ((Fixture *)user_data)->ended_error != NULL;
}

guint64
stream_logs(Fixture *f, const gchar *space_id, const gchar *kind, gboolean follow)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		call(f,
		     "StreamLogs",
		     g_variant_new_parsed("(%s, %s, %b, @a{sv} {})", space_id, kind, follow),
		     "(t)",
		     &error);
	guint64 id = 0;

	g_assert_no_error(error);
	g_variant_get(reply, "(t)", &id);
	return id;
}

/* Secrets: keys listed, the value never returned nor logged — the Space's run
 * log names the key only. Variables come back with their values. */
static void
test_secrets_and_variables(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) list = NULL;
	g_autoptr(JsonObject) deleted_body = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) added = NULL;
	g_autoptr(GVariant) secrets = NULL;
	g_autoptr(GVariant) variables = NULL;
	g_autoptr(GVariant) restarted = NULL;
	g_autoptr(GVariant) deleted = NULL;
	g_autoptr(GVariant) entry = NULL;
	g_autofree gchar *text = NULL;
	Needle seen = {f, "Secrets available: HF_TOKEN"};
	g_autoptr(HubdTestJobResult) r = NULL;
	const gchar *s = NULL;

	added = call(f,
		     "AddSecret",
		     g_variant_new_parsed(
			     "('alice/demo', 'HF_TOKEN', %s, {'description': <'for the demo'>})",
			     SECRET),
		     NULL,
		     &error);
	g_assert_no_error(error);
	secrets = call(f,
		       "ListSecrets",
		       g_variant_new_parsed("('alice/demo', @a{sv} {})"),
		       "(aa{sv})",
		       &error);
	g_assert_no_error(error);
	text = g_variant_print(secrets, FALSE);
	g_assert_null(strstr(text, SECRET));
	list = g_variant_get_child_value(secrets, 0);
	g_assert_cmpuint(g_variant_n_children(list), ==, 1);
	entry = g_variant_get_child_value(list, 0);
	g_assert_true(g_variant_lookup(entry, "key", "&s", &s));
	g_assert_cmpstr(s, ==, "HF_TOKEN");
	g_assert_false(g_variant_lookup(entry, "value", "&s", &s));

	g_clear_pointer(&added, g_variant_unref);
	added = call(f,
		     "AddVariable",
		     g_variant_new_parsed("('alice/demo', 'MODEL', 'alice/m', @a{sv} {})"),
		     NULL,
		     &error);
	g_assert_no_error(error);
	variables = call(f,
			 "ListVariables",
			 g_variant_new_parsed("('alice/demo', @a{sv} {})"),
			 "(aa{sv})",
			 &error);
	g_assert_no_error(error);
	g_clear_pointer(&text, g_free);
	text = g_variant_print(variables, FALSE);
	g_assert_nonnull(strstr(text, "'key': <'MODEL'>, 'value': <'alice/m'>"));
	deleted = call(f,
		       "DeleteVariable",
		       g_variant_new_parsed("('alice/demo', 'MODEL', @a{sv} {})"),
		       NULL,
		       &error);
	g_assert_no_error(error);
	deleted_body =
		hubd_test_hub_last_body(f->hub, "DELETE", "^/api/spaces/alice/demo/variables$");
	g_assert_cmpuint(json_object_get_size(deleted_body), ==, 1);

	/* the secret reaches the Space: its run log names it, never its value */
	restarted = call(f,
			 "Restart",
			 g_variant_new_parsed("('alice/demo', @a{sv} {})"),
			 "(a{sv})",
			 &error);
	g_assert_no_error(error);
	r = wait_space(f, "alice/demo", 20);
	g_assert_true(r->ok);
	stream_logs(f, "alice/demo", "run", FALSE);
	g_assert_true(hubd_test_wait_for(logs_ended, f, 20000));
	g_assert_true(line_seen(&seen));
	for (guint i = 0; i < f->lines->len; i++)
		g_assert_null(strstr(g_ptr_array_index(f->lines, i), SECRET));
}

gboolean
stage_seen(gpointer user_data)
{
	Fixture *f = ((Needle *)user_data)->f;

	for (guint i = 0; i < f->stages->len; i++) {
		if (g_strcmp0(g_ptr_array_index(f->stages, i), ((Needle *)user_data)->text) == 0)
			return TRUE;
	}
	return FALSE;
}

/* A model and the Space that demos it, from the Space card's models:. */
static void
test_linked(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) spaces = NULL;
	g_autoptr(GVariant) models = NULL;
	g_autofree gchar *commit = NULL;
	g_autofree gchar *s = NULL;

	hubd_test_hub_create_repo(f->hub, ALICE_WRITE, "{\"name\":\"model\",\"type\":\"model\"}");
	/* built once; the next build (the commit's) takes long enough to be seen
	 * on a slow machine */
	{
		g_autoptr(HubdTestJobResult) built = wait_space(f, "alice/demo", 20);

		g_assert_true(built->ok);
	}
	space_admin(f, "alice/demo", "{\"build_ms\": 60000, \"rebuild\": false}");
	commit = hubd_test_hub_commit_files(
		f->hub,
		ALICE_WRITE,
		"space",
		"alice/demo",
		"main",
		0,
		"README.md",
		"---\nsdk: gradio\nmodels:\n- alice/model\n---\n# demo\n",
		NULL);
	/* a commit to a Space rebuilds it, as on the Hub */
	{
		g_autoptr(GVariant) rt = call(f,
					      "GetRuntime",
					      g_variant_new_parsed("('alice/demo', @a{sv} {})"),
					      "(a{sv})",
					      &error);
		g_autofree gchar *stage = NULL;

		g_assert_no_error(error);
		stage = runtime_stage(rt);
		g_assert_cmpstr(stage, ==, "BUILDING");
	}
	spaces = call(f,
		      "LinkedSpaces",
		      g_variant_new_parsed("('alice/model', @a{sv} {})"),
		      "(as)",
		      &error);
	g_assert_no_error(error);
	s = g_variant_print(spaces, FALSE);
	g_assert_cmpstr(s, ==, "(['alice/demo'],)");
	models = call(f,
		      "LinkedModels",
		      g_variant_new_parsed("('alice/demo', @a{sv} {})"),
		      "(as)",
		      &error);
	g_assert_no_error(error);
	g_clear_pointer(&s, g_free);
	s = g_variant_print(models, FALSE);
	g_assert_cmpstr(s, ==, "(['alice/model'],)");
}

/* Duplicate into the caller's namespace with a secret of its own. */
static void
test_duplicate(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) secrets = NULL;
	g_autoptr(GError) conflict = NULL;
	g_autoptr(GVariant) again = NULL;
	g_autoptr(JsonObject) body = NULL;
	const gchar *url = NULL;
	g_autofree gchar *text = NULL;

	reply = call(f,
		     "Duplicate",
		     g_variant_new_parsed("('alice/demo', 'copy', {'secrets': <{'KEY': %s}>, "
					  "'private': <true>})",
					  SECRET),
		     "(s)",
		     &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(&s)", &url);
	g_assert_true(g_str_has_suffix(url, "/spaces/alice/copy"));
	body = hubd_test_hub_last_body(f->hub, "POST", "^/api/spaces/alice/demo/duplicate$");
	g_assert_cmpstr(json_object_get_string_member(body, "repository"), ==, "alice/copy");
	g_assert_cmpstr(json_object_get_string_member(body, "visibility"), ==, "private");
	secrets = call(f,
		       "ListSecrets",
		       g_variant_new_parsed("('alice/copy', @a{sv} {})"),
		       "(aa{sv})",
		       &error);
	g_assert_no_error(error);
	text = g_variant_print(secrets, FALSE);
	g_assert_nonnull(strstr(text, "'key': <'KEY'>"));
	again = call(f,
		     "Duplicate",
		     g_variant_new_parsed("('alice/demo', 'alice/copy', @a{sv} {})"),
		     "(s)",
		     &conflict);
	hubd_test_assert_remote_error(conflict, "org.hubd.Hub1.Error.Conflict");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, func) g_test_add(name, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("/spaces/loaded", test_loaded);
	ADD("/spaces/wait/running", test_wait_running);
	ADD("/spaces/wait/build-error", test_wait_build_error);
	ADD("/spaces/wait/timeout", test_wait_timeout);
	ADD("/spaces/settings", test_settings);
	ADD("/spaces/errors", test_errors);
	ADD("/spaces/secrets-and-variables", test_secrets_and_variables);
	ADD("/spaces/linked", test_linked);
	ADD("/spaces/duplicate", test_duplicate);
#undef ADD
	hubd_spaces_test_add_logs_and_watch();
	return g_test_run();
}
