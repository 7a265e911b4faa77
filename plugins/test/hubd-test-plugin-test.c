/* hubd-test-plugin-test.c: the test plugin's self-test — a real hubd loads it
 * and a client calls it over D-Bus, against the local Hub */
#define G_LOG_DOMAIN "HubdPluginTestTest"

#include <gio/gio.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"

#define IFACE       "org.hubd.Hub1.TestPlugin"
#define ALICE_WRITE "hf_alice_write_0000000000000000000000"

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
	gchar *commit; /* of alice/private at main */
} Fixture;

/* hubd with the plugin folder (the harness passes HUBD_TEST_PLUGIN_DIR), the
 * local Hub, and the user's token in HF_TOKEN; `set` is one more --set. */
static void
fixture_start(Fixture *f, const gchar *set)
{
	/* without `set`, the list ends after the endpoint */
	const gchar *args[] = {"--endpoint", f->hub->url, set != NULL ? "--set" : NULL, set, NULL};
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, NULL};

	f->daemon = hubd_test_daemon_start(args, env);
	f->bus = hubd_test_session_bus();
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autofree gchar *reply = NULL;

	f->hub = hubd_test_hub_start(NULL);
	g_assert_cmpuint(
		hubd_test_hub_http(f->hub,
				   "POST",
				   "/api/repos/create",
				   ALICE_WRITE,
				   "{\"name\":\"private\",\"type\":\"model\",\"private\":true}",
				   &reply),
		==,
		200);
	f->commit = hubd_test_hub_commit_files(f->hub,
					       ALICE_WRITE,
					       "model",
					       "alice/private",
					       "main",
					       0,
					       "README.md",
					       "# private\n",
					       NULL);
	fixture_start(f, data);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

	/* the token is in hubd's environment: it must never reach its log */
	g_assert_null(strstr(log, ALICE_WRITE));
	hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
	g_free(f->commit);
}

static gchar *
ping(Fixture *f, const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		hubd_test_call(f->bus,
			       IFACE,
			       "Ping",
			       g_variant_new("(s@a{sv})", text, g_variant_new("a{sv}", NULL)),
			       G_VARIANT_TYPE("(s)"),
			       &error);
	gchar *out = NULL;

	g_assert_no_error(error);
	g_variant_get(reply, "(s)", &out);
	return out;
}

/* Loaded, listed in Daemon.Plugins, its interface exported next to the core. */
static void
test_loaded(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) status = hubd_test_get_status(f->bus);
	g_autofree const gchar **plugins = NULL;
	g_autofree const gchar **services = NULL;

	g_assert_true(g_variant_lookup(status, "plugins", "^a&s", &plugins));
	g_assert_true(g_strv_contains(plugins, "test"));
	g_assert_true(g_variant_lookup(status, "services", "^a&s", &services));
	g_assert_true(g_strv_contains(services, IFACE));
}

/* The plugin's own config group: [test] greeting, or its default. */
static void
test_config_default(Fixture *f, gconstpointer data)
{
	g_autofree gchar *reply = ping(f, "hello");

	g_assert_cmpstr(reply, ==, "pong: hello");
}

static void
test_config_group(Fixture *f, gconstpointer data)
{
	g_autofree gchar *reply = ping(f, "hello");

	g_assert_cmpstr(reply, ==, "hi there: hello");
}

/* An unknown option is refused with a typed error naming it. */
static void
test_unknown_option(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autofree gchar *name = NULL;

	reply = hubd_test_call(f->bus,
			       IFACE,
			       "Ping",
			       g_variant_new_parsed("('x', {'loud': <true>})"),
			       G_VARIANT_TYPE("(s)"),
			       &error);
	g_assert_null(reply);
	name = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(name, ==, "org.hubd.Hub1.Error.InvalidArgument");
	g_assert_nonnull(strstr(error->message, "loud"));
}

static GVariant *
resolve(Fixture *f, const gchar *repo_id, const gchar *revision, GError **error)
{
	return hubd_test_call(
		f->bus,
		IFACE,
		"ResolveRevision",
		g_variant_new_parsed("('model', %s, %s, @a{sv} {})", repo_id, revision),
		G_VARIANT_TYPE("(s)"),
		error);
}

/* Through the Hub API, with the user's token: a private repo resolves, and
 * the Hub saw the request authenticated. */
static void
test_hub_api(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	const gchar *commit = NULL;

	hubd_test_hub_clear_requests(f->hub);
	reply = resolve(f, "alice/private", "", &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(&s)", &commit);
	g_assert_cmpstr(commit, ==, f->commit);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub,
						      "GET",
						      "^/api/models/alice/private/revision/main",
						      "hub"),
			 ==,
			 1);
}

/* The Hub's refusals arrive typed, and bad input is refused before any
 * request. */
static void
test_hub_api_errors(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) missing = NULL;
	g_autoptr(GError) bad_rev = NULL;
	g_autoptr(GError) bad_id = NULL;
	g_autoptr(GVariant) r1 = resolve(f, "alice/nothing", "main", &missing);
	g_autoptr(GVariant) r2 = resolve(f, "alice/private", "no-such-branch", &bad_rev);
	g_autofree gchar *n1 = NULL;
	g_autofree gchar *n2 = NULL;
	g_autofree gchar *n3 = NULL;
	g_autoptr(GVariant) r3 = NULL;

	g_assert_null(r1);
	n1 = g_dbus_error_get_remote_error(missing);
	g_assert_cmpstr(n1, ==, "org.hubd.Hub1.Error.RepoNotFound");
	g_assert_null(r2);
	n2 = g_dbus_error_get_remote_error(bad_rev);
	g_assert_cmpstr(n2, ==, "org.hubd.Hub1.Error.RevisionNotFound");

	hubd_test_hub_clear_requests(f->hub);
	r3 = resolve(f, "../etc", "main", &bad_id);
	g_assert_null(r3);
	n3 = g_dbus_error_get_remote_error(bad_id);
	g_assert_cmpstr(n3, ==, "org.hubd.Hub1.Error.InvalidArgument");
	/* only this endpoint: hubd checks HF_TOKEN with whoami on its own */
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, NULL, "/revision/", NULL), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, set, func) g_test_add(name, Fixture, set, fixture_setup, func, fixture_teardown)
	ADD("/test-plugin/loaded", NULL, test_loaded);
	ADD("/test-plugin/config/default", NULL, test_config_default);
	ADD("/test-plugin/config/group", "test.greeting=hi there", test_config_group);
	ADD("/test-plugin/unknown-option", NULL, test_unknown_option);
	ADD("/test-plugin/hub-api", NULL, test_hub_api);
	ADD("/test-plugin/hub-api-errors", NULL, test_hub_api_errors);
#undef ADD
	return g_test_run();
}
