/* hubd-spaces-cli-test.c: `hubctl spaces …` against a real hubd with the
 * spaces plugin and the local Hub — output, --json, exit codes, and that a
 * secret's value goes from stdin to the Hub and nowhere else */
#define G_LOG_DOMAIN "HubdSpacesCliTest"

#include <gio/gio.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define SECRET      "cli-s3cr3t-value-7730"

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *args[] = {"--endpoint", NULL, "--set", "spaces.poll-interval-ms=100", NULL};
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, "G_MESSAGES_DEBUG=all", NULL};
	g_autofree gchar *reply = NULL;

	f->hub = hubd_test_hub_start(NULL);
	args[1] = f->hub->url;
	g_assert_cmpuint(
		hubd_test_hub_http(f->hub,
				   "POST",
				   "/api/repos/create",
				   ALICE_WRITE,
				   "{\"name\":\"demo\",\"type\":\"space\",\"sdk\":\"gradio\"}",
				   &reply),
		==,
		200);
	f->daemon = hubd_test_daemon_start(args, env);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

	g_assert_null(strstr(log, SECRET));
	hubd_test_daemon_stop(f->daemon);
	hubd_test_hub_stop(f->hub);
}

static gint
hubctl(const gchar *stdin_text, gchar **out, gchar **err, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	va_list ap;
	const gchar *a;

	va_start(ap, err);
	while ((a = va_arg(ap, const gchar *)) != NULL)
		g_ptr_array_add(argv, (gpointer)a);
	va_end(ap);
	g_ptr_array_add(argv, NULL);
	return hubd_test_run_hubctl((const gchar *const *)argv->pdata, stdin_text, out, err);
}

/* wait ends at RUNNING (exit 0, quiet); info then shows it, as text and JSON. */
static void
test_wait_and_info(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *json = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *o;

	g_assert_cmpint(
		hubctl(NULL, &out, &err, "spaces", "wait", "alice/demo", "--timeout", "20", NULL),
		==,
		0);
	g_assert_cmpstr(out, ==, "");
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(NULL, &out, NULL, "spaces", "info", "alice/demo", NULL), ==, 0);
	g_assert_nonnull(strstr(out, "stage: RUNNING\n"));
	g_assert_nonnull(strstr(out, "hardware: cpu-basic\n"));
	g_assert_cmpint(hubctl(NULL, &json, NULL, "spaces", "info", "alice/demo", "--json", NULL),
			==,
			0);
	node = hubd_test_parse_json(json);
	o = json_node_get_object(node);
	g_assert_cmpstr(json_object_get_string_member(o, "stage"), ==, "RUNNING");
	g_assert_cmpint(json_object_get_int_member(o, "sleep_time"), ==, 172800);
}

/* wait --timeout on a long build: exit 1 and a message naming the stage. */
static void
test_wait_timeout(Fixture *f, gconstpointer data)
{
	g_autofree gchar *err = NULL;
	g_autoptr(JsonNode) reply = hubd_test_hub_admin(f->hub,
							"POST",
							"/_testhub/spaces/alice/demo",
							"{\"build_ms\": 60000}");

	g_assert_cmpint(
		hubctl(NULL, NULL, &err, "spaces", "wait", "alice/demo", "--timeout", "1", NULL),
		==,
		1);
	g_assert_nonnull(strstr(err, "alice/demo is still BUILDING after 1 second"));
}

/* what the last dev-mode request asked for */
static gboolean
dev_mode_sent(Fixture *f)
{
	g_autoptr(JsonObject) body =
		hubd_test_hub_last_body(f->hub, "POST", "^/api/spaces/alice/demo/dev-mode$");

	return json_object_get_boolean_member(body, "enabled");
}

/* settings, pause, restart, dev-mode: what the Hub received; hardware lists. */
static void
test_settings(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *hw = NULL;
	g_autoptr(JsonObject) body = NULL;
	g_autoptr(JsonNode) node = NULL;

	g_assert_cmpint(hubctl(NULL,
			       &out,
			       NULL,
			       "spaces",
			       "settings",
			       "alice/demo",
			       "--hardware",
			       "a10g-small",
			       "--sleep-time",
			       "900",
			       NULL),
			==,
			0);
	g_assert_cmpstr(out, ==, "");
	body = hubd_test_hub_last_body(f->hub, "POST", "^/api/spaces/alice/demo/hardware$");
	g_assert_cmpstr(json_object_get_string_member(body, "flavor"), ==, "a10g-small");
	g_assert_cmpint(json_object_get_int_member(body, "sleepTimeSeconds"), ==, 900);
	g_assert_cmpint(hubctl(NULL, &json, NULL, "spaces", "pause", "alice/demo", "--json", NULL),
			==,
			0);
	node = hubd_test_parse_json(json);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node), "stage"),
			==,
			"PAUSED");
	g_assert_cmpint(hubctl(NULL,
			       NULL,
			       NULL,
			       "spaces",
			       "restart",
			       "alice/demo",
			       "--factory-reboot",
			       NULL),
			==,
			0);
	g_assert_cmpint(hubctl(NULL, NULL, NULL, "spaces", "dev-mode", "alice/demo", NULL), ==, 0);
	g_assert_true(dev_mode_sent(f));
	g_assert_cmpint(
		hubctl(NULL, NULL, NULL, "spaces", "dev-mode", "alice/demo", "--stop", NULL),
		==,
		0);
	g_assert_false(dev_mode_sent(f));
	g_assert_cmpint(hubctl(NULL, &hw, NULL, "spaces", "hardware", NULL), ==, 0);
	g_assert_nonnull(strstr(hw, "t4-medium"));
}

/* A secret's value from stdin reaches the Hub and is listed by key only; a
 * KEY=VALUE on the command line is refused before anything is sent. */
static void
test_secrets(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *vars = NULL;
	g_autoptr(JsonObject) body = NULL;

	g_assert_cmpint(hubctl(SECRET "\n",
			       &out,
			       NULL,
			       "spaces",
			       "secrets",
			       "add",
			       "alice/demo",
			       "API_KEY",
			       NULL),
			==,
			0);
	body = hubd_test_hub_last_body(f->hub, "POST", "^/api/spaces/alice/demo/secrets$");
	g_assert_cmpstr(json_object_get_string_member(body, "key"), ==, "API_KEY");
	g_assert_cmpstr(json_object_get_string_member(body, "value"), ==, SECRET);
	g_assert_cmpint(hubctl(NULL,
			       &json,
			       NULL,
			       "spaces",
			       "secrets",
			       "list",
			       "alice/demo",
			       "--json",
			       NULL),
			==,
			0);
	g_assert_nonnull(strstr(json, "\"API_KEY\""));
	g_assert_null(strstr(json, SECRET));

	hubd_test_hub_clear_requests(f->hub);
	g_assert_cmpint(hubctl(NULL,
			       NULL,
			       &err,
			       "spaces",
			       "secrets",
			       "add",
			       "alice/demo",
			       "API_KEY=" SECRET,
			       NULL),
			==,
			64);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, NULL, "/secrets", NULL), ==, 0);

	g_assert_cmpint(hubctl(NULL,
			       NULL,
			       NULL,
			       "spaces",
			       "variables",
			       "add",
			       "alice/demo",
			       "MODEL=alice/m",
			       "-e",
			       "MODE=fast",
			       NULL),
			==,
			0);
	g_assert_cmpint(
		hubctl(NULL, &vars, NULL, "spaces", "variables", "list", "alice/demo", NULL),
		==,
		0);
	g_assert_cmpstr(vars, ==, "MODE   fast\nMODEL  alice/m\n");
	g_assert_cmpint(hubctl(NULL,
			       NULL,
			       NULL,
			       "spaces",
			       "secrets",
			       "delete",
			       "alice/demo",
			       "API_KEY",
			       NULL),
			==,
			0);
}

/* logs without -f prints what the run log holds and ends. */
static void
test_logs(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *build = NULL;

	g_assert_cmpint(hubctl(NULL, NULL, NULL, "spaces", "wait", "alice/demo", NULL), ==, 0);
	g_assert_cmpint(hubctl(NULL, &out, NULL, "spaces", "logs", "alice/demo", NULL), ==, 0);
	g_assert_nonnull(strstr(out, "Running on local URL:  http://0.0.0.0:7860\n"));
	g_assert_cmpint(hubctl(NULL, &build, NULL, "spaces", "logs", "alice/demo", "--build", NULL),
			==,
			0);
	g_assert_nonnull(strstr(build, "--> FROM docker.io/library/python:3.10\n"));
}

/* duplicate prints the new URL; a missing Space is exit 1 with the Hub's
 * reason; a usage error is 64. */
static void
test_duplicate_and_errors(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *line = NULL;

	g_autofree gchar *conflict = NULL;

	g_assert_cmpint(hubctl(NULL,
			       &out,
			       NULL,
			       "spaces",
			       "duplicate",
			       "alice/demo",
			       "copy2",
			       "--private",
			       "-e",
			       "A=1",
			       NULL),
			==,
			0);
	line = hubd_test_one_line(out);
	g_assert_true(g_str_has_suffix(line, "/spaces/alice/copy2"));
	/* no TO_ID: the caller's namespace and the same name, which exists */
	g_assert_cmpint(hubctl(NULL, NULL, &conflict, "spaces", "duplicate", "alice/demo", NULL),
			==,
			1);
	g_assert_nonnull(strstr(conflict, "already"));
	g_assert_cmpint(hubctl(NULL, NULL, &err, "spaces", "info", "alice/nothing", NULL), ==, 1);
	g_assert_nonnull(strstr(err, "hubctl: "));
	g_assert_cmpint(hubctl(NULL, NULL, NULL, "spaces", "info", NULL), ==, 64);
	g_assert_cmpint(hubctl(NULL, NULL, NULL, "spaces", "frobnicate", "x/y", NULL), ==, 64);
}

/* hubd without the plugin still runs: status lists what loaded, and
 * `hubctl spaces` says hubd lacks the interface (exit 1). */
static void
without_setup(Fixture *f, gconstpointer data)
{
	const gchar *args[] = {"--endpoint", NULL, NULL};
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, "HUBD_PLUGIN_DIR=/nonexistent", NULL};

	f->hub = hubd_test_hub_start(NULL);
	args[1] = f->hub->url;
	f->daemon = hubd_test_daemon_start(args, env);
}

static void
test_without_plugin(Fixture *f, gconstpointer data)
{
	g_autofree gchar *status = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonArray *plugins;

	g_assert_cmpint(hubctl(NULL, &status, NULL, "status", "--json", NULL), ==, 0);
	node = hubd_test_parse_json(status);
	plugins = json_object_get_array_member(json_node_get_object(node), "plugins");
	for (guint i = 0; i < json_array_get_length(plugins); i++)
		g_assert_cmpstr(json_array_get_string_element(plugins, i), !=, "spaces");
	g_assert_cmpint(hubctl(NULL, NULL, &err, "spaces", "info", "alice/demo", NULL), ==, 1);
	g_assert_nonnull(strstr(err, "org.hubd.Hub1.Spaces"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, func) g_test_add(name, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("/spaces-cli/wait-and-info", test_wait_and_info);
	ADD("/spaces-cli/wait-timeout", test_wait_timeout);
	ADD("/spaces-cli/settings", test_settings);
	ADD("/spaces-cli/secrets", test_secrets);
	ADD("/spaces-cli/logs", test_logs);
	ADD("/spaces-cli/duplicate-and-errors", test_duplicate_and_errors);
	g_test_add("/spaces-cli/without-plugin",
		   Fixture,
		   NULL,
		   without_setup,
		   test_without_plugin,
		   fixture_teardown);
#undef ADD
	return g_test_run();
}
