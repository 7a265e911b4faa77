/* hubd-daemon-test.c: the daemon's lifecycle as a user meets it — bus name, GetStatus and
 * properties, endpoint, plugins, signals, --replace, second instance, --idle-timeout */
#define G_LOG_DOMAIN "HubdDaemonTest"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hubd-test-common.h"
#include "hubd-test-status.h"

/* ---- helpers ---- */

static gboolean
bus_name_has_no_owner_cb(gpointer user_data)
{
	return !hubd_test_bus_name_has_owner();
}

static gchar *
config_file_path(void)
{
	return g_build_filename(g_get_user_config_dir(), "hubd", "hubd.conf", NULL);
}

static gchar *
ping(GDBusConnection *connection, const gchar *text, GError **error)
{
	g_autoptr(GVariant) reply = hubd_test_call(connection,
						   HUBD_TEST_PLUGIN_IFACE,
						   "Ping",
						   g_variant_new_parsed("(%s, @a{sv} {})", text),
						   G_VARIANT_TYPE("(s)"),
						   error);
	gchar *answer = NULL;

	if (reply != NULL)
		g_variant_get(reply, "(s)", &answer);
	return answer;
}

static gchar *
get_endpoint_of(HubdTestDaemon *d)
{
	g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
	g_autoptr(GVariant) value = hubd_test_get_property(bus, "Endpoint");

	return g_variant_dup_string(value, NULL);
}

/* starts hubd with these args/env, returns its Endpoint property, stops it */
static gchar *
endpoint_with(const gchar *const *args, const gchar *const *env)
{
	HubdTestDaemon *d = hubd_test_daemon_start(args, env);
	gchar *endpoint = get_endpoint_of(d);

	hubd_test_daemon_stop(d);
	return endpoint;
}

/* a plugin-less, bus-less run of a hubd that must refuse to start; returns the exit code */
static gint
run_hubd_expect_failure(const gchar *const *extra_args,
			const gchar *const *env,
			gchar **output,
			gchar **socket_path_out)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmp = g_dir_make_tmp("hubd-fail-XXXXXX", &error);
	g_autofree gchar *socket_path = NULL;
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	gint status;

	g_assert_no_error(error);
	socket_path = g_build_filename(tmp, "hubd", "bus", NULL);
	g_ptr_array_add(args, (gpointer) "--socket");
	g_ptr_array_add(args, socket_path);
	g_ptr_array_add(args, (gpointer) "--plugin-dir");
	g_ptr_array_add(args, (gpointer)g_getenv("HUBD_TEST_PLUGIN_DIR"));
	for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
		g_ptr_array_add(args, (gpointer)extra_args[i]);
	g_ptr_array_add(args, NULL);
	status = hubd_test_run_hubd((const gchar *const *)args->pdata, env, output);
	g_test_message("hubd exited with %d:\n%s", status, *output);
	/* refusing to start leaves nothing behind */
	g_assert_false(g_file_test(socket_path, G_FILE_TEST_EXISTS));
	if (socket_path_out != NULL)
		*socket_path_out = g_strdup(socket_path);
	hubd_test_rm_rf(tmp);
	return status;
}

/* the output of a refused start: one message naming what is wrong */
static void
assert_start_refused(const gchar *output, const gchar *needle)
{
	g_autofree gchar *lower = g_ascii_strdown(output, -1);

	g_assert_nonnull(strstr(output, "hubd"));
	g_assert_nonnull(strstr(lower, needle));
}

/* ---- the bus name and GetStatus ---- */

static void
test_bus_name(void)
{
	HubdTestDaemon *d = hubd_test_daemon_start(NULL, NULL);
	GPid pid = hubd_test_daemon_get_pid(d);

	g_assert_true(hubd_test_bus_name_has_owner());
	g_assert_cmpuint(hubd_test_bus_name_owner_pid(HUBD_TEST_BUS_NAME), ==, (guint32)pid);
	hubd_test_daemon_stop(d);
	/* and gives it back when it goes */
	g_assert_true(hubd_test_wait_for(bus_name_has_no_owner_cb, NULL, 5000));
}

static void
test_properties(void)
{
	HubdTestDaemon *d = hubd_test_daemon_start(NULL, NULL);
	g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
	g_autoptr(GDBusConnection) sock = hubd_test_connect_socket(d->socket_path);
	GDBusConnection *connections[] = {bus, sock};

	for (guint i = 0; i < G_N_ELEMENTS(connections); i++) {
		g_autoptr(GVariant) version = hubd_test_get_property(connections[i], "Version");
		g_autoptr(GVariant) endpoint = hubd_test_get_property(connections[i], "Endpoint");
		g_autoptr(GVariant) plugins = hubd_test_get_property(connections[i], "Plugins");
		g_autofree const gchar **names = NULL;
		const gchar *want[] = {"test", NULL};

		g_assert_true(g_variant_is_of_type(version, G_VARIANT_TYPE_STRING));
		g_assert_cmpstr(g_variant_get_string(version, NULL), ==, PACKAGE_VERSION);
		g_assert_true(g_variant_is_of_type(endpoint, G_VARIANT_TYPE_STRING));
		g_assert_cmpstr(g_variant_get_string(endpoint, NULL),
				==,
				HUBD_TEST_DEFAULT_ENDPOINT);
		g_assert_true(g_variant_is_of_type(plugins, G_VARIANT_TYPE_STRING_ARRAY));
		names = g_variant_get_strv(plugins, NULL);
		hubd_test_assert_strv_equal(names, want);
	}
	hubd_test_daemon_stop(d);
}

static void
test_version_and_usage(void)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *out2 = NULL;
	g_autofree gchar *expected = g_strdup_printf("hubd %s\n", PACKAGE_VERSION);
	const gchar *version[] = {"--version", NULL};
	const gchar *bogus[] = {"--no-such-option", NULL};

	g_assert_cmpint(hubd_test_run_hubd(version, NULL, &out), ==, 0);
	g_assert_cmpstr(out, ==, expected);
	/* a wrong command line is a usage error (EX_USAGE), named in one message */
	g_assert_cmpint(hubd_test_run_hubd(bogus, NULL, &out2), ==, 64);
	g_assert_nonnull(strstr(out2, "--no-such-option"));
}

/* ---- endpoint ---- */

static void
test_endpoint_precedence(void)
{
	g_autofree gchar *conf = config_file_path();
	g_autofree gchar *other_conf =
		g_build_filename(g_get_user_config_dir(), "other.conf", NULL);
	g_autofree gchar *got_default = NULL;
	g_autofree gchar *got_file = NULL;
	g_autofree gchar *got_env = NULL;
	g_autofree gchar *got_option = NULL;
	g_autofree gchar *got_set = NULL;
	g_autofree gchar *got_config = NULL;
	const gchar *env[] = {"HF_ENDPOINT=http://env.example:8080", NULL};
	const gchar *option[] = {"--endpoint", "https://option.example/", NULL};
	const gchar *set[] = {"--set", "hub.endpoint=http://set.example", NULL};
	const gchar *config[] = {"--config", other_conf, NULL};

	g_assert_false(g_file_test(conf, G_FILE_TEST_EXISTS));
	got_default = endpoint_with(NULL, NULL);
	g_assert_cmpstr(got_default, ==, HUBD_TEST_DEFAULT_ENDPOINT);

	/* hubd.conf beats the default; the trailing slash goes */
	hubd_test_write_file(conf, "[hub]\nendpoint=http://127.0.0.1:9/from-file/\n");
	got_file = endpoint_with(NULL, NULL);
	g_assert_cmpstr(got_file, ==, "http://127.0.0.1:9/from-file");

	/* HF_ENDPOINT beats hubd.conf */
	got_env = endpoint_with(NULL, env);
	g_assert_cmpstr(got_env, ==, "http://env.example:8080");

	/* the command line beats both */
	got_option = endpoint_with(option, env);
	g_assert_cmpstr(got_option, ==, "https://option.example");
	got_set = endpoint_with(set, env);
	g_assert_cmpstr(got_set, ==, "http://set.example");

	/* --config reads another file instead of hubd.conf */
	hubd_test_write_file(other_conf, "[hub]\nendpoint=https://other.example\n");
	got_config = endpoint_with(config, NULL);
	g_assert_cmpstr(got_config, ==, "https://other.example");

	g_assert_cmpint(g_unlink(conf), ==, 0);
	g_assert_cmpint(g_unlink(other_conf), ==, 0);
}

static void
test_endpoint_bad(void)
{
	g_autofree gchar *conf = config_file_path();
	const gchar *option_ftp[] = {"--endpoint", "ftp://files.example", NULL};
	const gchar *option_nohost[] = {"--endpoint", "https://", NULL};
	const gchar *env_bad[] = {"HF_ENDPOINT=not a url", NULL};

	{
		g_autofree gchar *out = NULL;
		g_assert_cmpint(run_hubd_expect_failure(option_ftp, NULL, &out, NULL), !=, 0);
		assert_start_refused(out, "endpoint");
		g_assert_nonnull(strstr(out, "ftp://files.example"));
	}
	{
		g_autofree gchar *out = NULL;
		g_assert_cmpint(run_hubd_expect_failure(option_nohost, NULL, &out, NULL), !=, 0);
		assert_start_refused(out, "endpoint");
	}
	{
		g_autofree gchar *out = NULL;
		g_assert_cmpint(run_hubd_expect_failure(NULL, env_bad, &out, NULL), !=, 0);
		assert_start_refused(out, "endpoint");
		g_assert_nonnull(strstr(out, "not a url"));
	}
	{
		g_autofree gchar *out = NULL;
		hubd_test_write_file(conf, "[hub]\nendpoint=gopher://old.example\n");
		g_assert_cmpint(run_hubd_expect_failure(NULL, NULL, &out, NULL), !=, 0);
		assert_start_refused(out, "endpoint");
	}
	{
		/* a file that is not a key file at all is named */
		g_autofree gchar *out = NULL;
		hubd_test_write_file(conf, "this is not\na key file [\n");
		g_assert_cmpint(run_hubd_expect_failure(NULL, NULL, &out, NULL), !=, 0);
		g_assert_nonnull(strstr(out, conf));
	}
	g_assert_cmpint(g_unlink(conf), ==, 0);
	/* none of them took the name */
	g_assert_false(hubd_test_bus_name_has_owner());
}

static void
test_endpoint_testhub(void)
{
	HubdTestHub *hub = hubd_test_hub_start(NULL);
	g_autofree gchar *endpoint = NULL;
	const gchar *args[] = {"--endpoint", hub->url, NULL};

	g_test_message("testhub at %s (cdn %s)", hub->url, hub->cdn_url);
	g_assert_true(g_str_has_prefix(hub->url, "http://127.0.0.1:"));
	endpoint = endpoint_with(args, NULL);
	g_assert_cmpstr(endpoint, ==, hub->url);
	hubd_test_hub_stop(hub);
}

/* ---- plugins ---- */

static void
copy_file(const gchar *from, const gchar *to)
{
	g_autoptr(GFile) src = g_file_new_for_path(from);
	g_autoptr(GFile) dst = g_file_new_for_path(to);
	g_autoptr(GError) error = NULL;

	g_file_copy(src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
	g_assert_no_error(error);
}

static void
test_plugins_broken(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("hubd-plugins-XXXXXX", &error);
	g_autofree gchar *test_so =
		g_build_filename(g_getenv("HUBD_TEST_PLUGIN_DIR"), "libhubd-test.so", NULL);
	g_autofree gchar *test_copy = g_build_filename(dir, "libhubd-test.so", NULL);
	g_autofree gchar *broken = g_build_filename(dir, "libhubd-broken.so", NULL);
	g_autofree gchar *nosymbol = g_build_filename(dir, "libhubd-nosymbol.so", NULL);
	g_autofree gchar *readme = g_build_filename(dir, "README", NULL);
	const gchar *args[] = {"--plugin-dir", dir, NULL};
	const gchar *want[] = {"test", NULL};
	HubdTestDaemon *d;

	g_assert_no_error(error);
	copy_file(test_so, test_copy);
	hubd_test_write_file(broken, "this is a text file, not a shared object\n");
	copy_file(g_getenv("HUBD_TEST_NOSYMBOL_PLUGIN"), nosymbol);
	hubd_test_write_file(readme, "not a plugin, not even named like one\n");

	d = hubd_test_daemon_start(args, NULL);
	{
		g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
		g_autoptr(GDBusConnection) sock = hubd_test_connect_socket(d->socket_path);
		g_autoptr(GVariant) plugins = hubd_test_get_property(bus, "Plugins");
		g_autofree const gchar **names = g_variant_get_strv(plugins, NULL);
		g_autoptr(GVariant) status = hubd_test_get_status(bus);
		g_autoptr(GVariant) errors =
			hubd_test_status_lookup(status, "plugin_errors", "a{ss}");
		g_autoptr(GVariant) services = hubd_test_status_lookup(status, "services", "as");
		g_autofree gchar *broken_reason = NULL;
		g_autofree gchar *nosymbol_reason = NULL;
		g_autofree gchar *pong_bus = NULL;
		g_autofree gchar *pong_sock = NULL;

		hubd_test_message_variant("status", status);
		hubd_test_assert_strv_equal(names, want);
		g_assert_cmpuint(g_variant_n_children(errors), ==, 2);
		g_assert_true(g_variant_lookup(errors, "libhubd-broken.so", "s", &broken_reason));
		g_assert_cmpstr(broken_reason, !=, "");
		g_assert_true(
			g_variant_lookup(errors, "libhubd-nosymbol.so", "s", &nosymbol_reason));
		g_assert_cmpstr(nosymbol_reason, !=, "");
		g_assert_true(hubd_test_strv_contains(services, HUBD_TEST_PLUGIN_IFACE));

		/* the good plugin serves, on both ways in */
		pong_bus = ping(bus, "x", &error);
		g_assert_no_error(error);
		g_assert_cmpstr(pong_bus, ==, "pong: x");
		pong_sock = ping(sock, "über", &error);
		g_assert_no_error(error);
		g_assert_cmpstr(pong_sock, ==, "pong: über");
	}
	hubd_test_daemon_stop(d);
	hubd_test_rm_rf(dir);
}

static void
test_plugins_dir_choice(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *empty = g_dir_make_tmp("hubd-noplugins-XXXXXX", &error);
	g_autofree gchar *env_test =
		g_strdup_printf("HUBD_PLUGIN_DIR=%s", g_getenv("HUBD_TEST_PLUGIN_DIR"));
	g_autofree gchar *env_empty = g_strdup_printf("HUBD_PLUGIN_DIR=%s", empty);
	const gchar *env_test_v[] = {env_test, NULL};
	const gchar *env_empty_v[] = {env_empty, NULL};
	const gchar *args_empty[] = {"--plugin-dir", empty, NULL};
	struct {
		const gchar *const *args;
		const gchar *const *env;
		gboolean want_test;
	} cases[] = {
		{NULL, env_test_v, TRUE},        /* HUBD_PLUGIN_DIR */
		{NULL, env_empty_v, FALSE},      /* an empty one */
		{args_empty, env_test_v, FALSE}, /* --plugin-dir beats HUBD_PLUGIN_DIR */
	};

	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		HubdTestDaemon *d = hubd_test_daemon_start(cases[i].args, cases[i].env);
		g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
		g_autoptr(GVariant) plugins = hubd_test_get_property(bus, "Plugins");
		g_autofree const gchar **names = g_variant_get_strv(plugins, NULL);
		g_autoptr(GError) ping_error = NULL;
		g_autofree gchar *pong = ping(bus, "y", &ping_error);

		g_test_message("case %u", i);
		if (cases[i].want_test) {
			const gchar *want[] = {"test", NULL};
			hubd_test_assert_strv_equal(names, want);
			g_assert_no_error(ping_error);
			g_assert_cmpstr(pong, ==, "pong: y");
		} else {
			const gchar *want[] = {NULL};
			hubd_test_assert_strv_equal(names, want);
			/* and its interface is not there */
			g_assert_nonnull(ping_error);
			g_assert_null(pong);
		}
		hubd_test_daemon_stop(d);
	}
	hubd_test_rm_rf(empty);
}

/* ---- lifecycle ---- */

static gboolean
connection_closed_cb(gpointer user_data)
{
	return g_dbus_connection_is_closed(user_data);
}

static void
check_signal_exit(gint signum)
{
	HubdTestDaemon *d = hubd_test_daemon_start(NULL, NULL);
	g_autoptr(GDBusConnection) sock = hubd_test_connect_socket(d->socket_path);
	g_autoptr(GVariant) status = hubd_test_get_status(sock);
	gint exit_status = -1;

	g_assert_nonnull(status);
	g_assert_true(g_file_test(d->socket_path, G_FILE_TEST_EXISTS));
	g_subprocess_send_signal(d->proc, signum);
	g_assert_true(hubd_test_daemon_wait_exit(d, HUBD_TEST_TIMEOUT_S * 1000, &exit_status));
	g_assert_cmpint(exit_status, ==, 0);
	/* nothing left behind: no socket file, no name, no half-open peer */
	g_assert_false(g_file_test(d->socket_path, G_FILE_TEST_EXISTS));
	g_assert_true(hubd_test_wait_for(bus_name_has_no_owner_cb, NULL, 5000));
	g_assert_true(hubd_test_wait_for(connection_closed_cb, sock, 5000));
	hubd_test_daemon_free(d);
}

static void
test_sigterm(void)
{
	check_signal_exit(SIGTERM);
}

static void
test_sigint(void)
{
	check_signal_exit(SIGINT);
}

static guint32
socket_status_pid(const gchar *socket_path)
{
	g_autoptr(GDBusConnection) sock = hubd_test_connect_socket(socket_path);
	g_autoptr(GVariant) status = hubd_test_get_status(sock);
	guint32 pid = 0;

	g_assert_true(g_variant_lookup(status, "pid", "u", &pid));
	g_dbus_connection_close_sync(sock, NULL, NULL);
	return pid;
}

static void
test_replace(void)
{
	HubdTestDaemon *old = hubd_test_daemon_start(NULL, NULL);
	const gchar *args[] = {"--replace", "--socket", old->socket_path, NULL};
	HubdTestDaemon *new = NULL;
	gint exit_status = -1;
	GPid new_pid;

	/* start() returns once the new daemon owns the name */
	new = hubd_test_daemon_start(args, NULL);
	new_pid = hubd_test_daemon_get_pid(new);
	g_assert_true(hubd_test_daemon_wait_exit(old, HUBD_TEST_TIMEOUT_S * 1000, &exit_status));
	g_assert_cmpint(exit_status, ==, 0);

	g_assert_cmpuint(hubd_test_bus_name_owner_pid(HUBD_TEST_BUS_NAME), ==, (guint32)new_pid);
	/* the old one went without taking the new one's socket along */
	g_assert_true(g_file_test(new->socket_path, G_FILE_TEST_EXISTS));
	g_assert_cmpuint(socket_status_pid(new->socket_path), ==, (guint32)new_pid);
	{
		g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
		g_autoptr(GVariant) status = hubd_test_get_status(bus);
		guint32 pid = 0;
		g_assert_true(g_variant_lookup(status, "pid", "u", &pid));
		g_assert_cmpuint(pid, ==, (guint32)new_pid);
	}
	hubd_test_daemon_stop(new);
	hubd_test_daemon_free(old);
}

static void
test_second_instance(void)
{
	HubdTestDaemon *first = hubd_test_daemon_start(NULL, NULL);
	GPid first_pid = hubd_test_daemon_get_pid(first);
	const gchar *same_socket[] = {"--socket", first->socket_path, NULL};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmp = g_dir_make_tmp("hubd-second-XXXXXX", &error);
	g_autofree gchar *other_socket = g_build_filename(tmp, "hubd", "bus", NULL);
	const gchar *other[] = {"--socket", other_socket, NULL};
	const gchar *plugin_dir[] = {"--plugin-dir", g_getenv("HUBD_TEST_PLUGIN_DIR"), NULL};
	struct {
		const gchar *const *args;
	} cases[] = {{same_socket}, {other}};

	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) args = g_ptr_array_new();
		g_autofree gchar *out = NULL;
		gint rc;

		for (guint j = 0; cases[i].args[j] != NULL; j++)
			g_ptr_array_add(args, (gpointer)cases[i].args[j]);
		for (guint j = 0; plugin_dir[j] != NULL; j++)
			g_ptr_array_add(args, (gpointer)plugin_dir[j]);
		g_ptr_array_add(args, NULL);
		rc = hubd_test_run_hubd((const gchar *const *)args->pdata, NULL, &out);
		g_test_message("case %u: exit %d\n%s", i, rc, out);
		g_assert_cmpint(rc, !=, 0);
		/* says why, and what to do */
		g_assert_nonnull(strstr(out, "--replace"));
		/* the first one keeps its name and its socket */
		g_assert_cmpuint(hubd_test_bus_name_owner_pid(HUBD_TEST_BUS_NAME),
				 ==,
				 (guint32)first_pid);
		g_assert_cmpuint(socket_status_pid(first->socket_path), ==, (guint32)first_pid);
	}
	/* the one that gave up removed its own socket */
	g_assert_false(g_file_test(other_socket, G_FILE_TEST_EXISTS));
	hubd_test_daemon_stop(first);
	hubd_test_rm_rf(tmp);
}

static void
test_idle_timeout_exits(void)
{
	const gchar *args[] = {"--idle-timeout", "1", NULL};
	HubdTestDaemon *d = hubd_test_daemon_start(args, NULL);
	gint64 started = g_get_monotonic_time();
	gint exit_status = -1;
	gint64 elapsed_ms;

	g_assert_true(hubd_test_daemon_wait_exit(d, 10000, &exit_status));
	elapsed_ms = (g_get_monotonic_time() - started) / 1000;
	g_test_message("exited after %" G_GINT64_FORMAT " ms", elapsed_ms);
	g_assert_cmpint(exit_status, ==, 0);
	/* not at once: a whole-second timer fires at most 1/4 s early */
	g_assert_cmpint(elapsed_ms, >=, 500);
	g_assert_true(hubd_test_wait_for(bus_name_has_no_owner_cb, NULL, 5000));
	hubd_test_daemon_free(d);
}

static void
test_idle_timeout_peer(void)
{
	const gchar *args[] = {"--idle-timeout", "1", NULL};
	HubdTestDaemon *d = hubd_test_daemon_start(args, NULL);
	g_autoptr(GDBusConnection) sock = hubd_test_connect_socket(d->socket_path);
	gint64 until = g_get_monotonic_time() + 2500 * 1000;
	gint exit_status = -1;

	/* a connected socket peer keeps it alive, calls or not */
	while (g_get_monotonic_time() < until) {
		g_assert_true(hubd_test_daemon_is_running(d));
		g_usleep(50 * 1000);
	}
	g_assert_true(hubd_test_daemon_is_running(d));
	{
		g_autoptr(GVariant) status = hubd_test_get_status(sock);
		g_assert_nonnull(status);
	}
	/* and once it hangs up, the daemon goes by itself */
	g_assert_true(g_dbus_connection_close_sync(sock, NULL, NULL));
	g_assert_true(hubd_test_daemon_wait_exit(d, 10000, &exit_status));
	g_assert_cmpint(exit_status, ==, 0);
	hubd_test_daemon_free(d);
}

static void
test_idle_timeout_calls(void)
{
	const gchar *args[] = {"--idle-timeout", "1", NULL};
	HubdTestDaemon *d = hubd_test_daemon_start(args, NULL);
	g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
	gint64 until = g_get_monotonic_time() + 2500 * 1000;
	gint exit_status = -1;

	/* calls over the bus count as activity */
	while (g_get_monotonic_time() < until) {
		g_autoptr(GVariant) status = hubd_test_get_status(bus);
		g_assert_nonnull(status);
		g_assert_true(hubd_test_daemon_is_running(d));
		g_usleep(200 * 1000);
	}
	g_assert_true(hubd_test_daemon_is_running(d));
	g_assert_true(hubd_test_daemon_wait_exit(d, 10000, &exit_status));
	g_assert_cmpint(exit_status, ==, 0);
	hubd_test_daemon_free(d);
}

/* A test that dies shows the end of its hubd's log on stderr: a failure
 * seen once in CI has no other daemon side (the log's folder is gone). */
static void
test_log_on_failure(void)
{
	g_autofree gchar *note = g_build_filename(g_get_user_runtime_dir(), "died-with-log", NULL);
	g_autofree gchar *path = NULL;
	g_autofree gchar *log = NULL;
	g_autofree gchar *pattern = NULL;

	if (g_test_subprocess()) {
		const gchar *args[] = {"--no-bus", NULL};
		HubdTestDaemon *d = hubd_test_daemon_start(args, NULL);

		g_assert_true(g_file_set_contents(note, d->log_path, -1, NULL));
		/* what a failed assertion does outside a test subprocess (inside
		 * one, GLib exits 1 instead) */
		g_printerr("dies here\n");
		abort();
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_failed();
	g_assert_true(g_file_get_contents(note, &path, NULL, NULL));
	g_assert_true(g_file_get_contents(path, &log, NULL, NULL));
	/* the daemon logs on after the dump (the peer that died): its first line */
	g_assert_nonnull(strchr(log, '\n'));
	*strchr(log, '\n') = '\0';
	g_assert_cmpstr(log, !=, "");
	pattern = g_strdup_printf("*dies here*the end of hubd's log %s ----\n%s\n*"
				  "---- end of hubd's log ----*",
				  path,
				  log);
	g_test_trap_assert_stderr(pattern);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/hubd/daemon/bus-name", test_bus_name);
	g_test_add_func("/hubd/daemon/properties", test_properties);
	g_test_add_func("/hubd/daemon/version-and-usage", test_version_and_usage);
	g_test_add_func("/hubd/daemon/endpoint/precedence", test_endpoint_precedence);
	g_test_add_func("/hubd/daemon/endpoint/bad", test_endpoint_bad);
	g_test_add_func("/hubd/daemon/endpoint/testhub", test_endpoint_testhub);
	g_test_add_func("/hubd/daemon/plugins/broken", test_plugins_broken);
	g_test_add_func("/hubd/daemon/plugins/dir", test_plugins_dir_choice);
	g_test_add_func("/hubd/daemon/sigterm", test_sigterm);
	g_test_add_func("/hubd/daemon/sigint", test_sigint);
	g_test_add_func("/hubd/daemon/replace", test_replace);
	g_test_add_func("/hubd/daemon/second-instance", test_second_instance);
	g_test_add_func("/hubd/daemon/idle-timeout/exits", test_idle_timeout_exits);
	g_test_add_func("/hubd/daemon/idle-timeout/peer", test_idle_timeout_peer);
	g_test_add_func("/hubd/daemon/idle-timeout/calls", test_idle_timeout_calls);
	g_test_add_func("/hubd/daemon/log-on-failure", test_log_on_failure);
	return g_test_run();
}
