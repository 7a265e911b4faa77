/* hubd-socket-test.c: the daemon's Unix socket and hubctl's connection — bus vs socket
 * status, `hubctl status` over the bus, --socket and HUBD_SOCKET, --no-bus, socket modes */
#define G_LOG_DOMAIN "HubdSocketTest"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubd-test-common.h"
#include "hubd-test-status.h"

/* ---- helpers ---- */

static gchar *
status_dup_string(GVariant *status, const gchar *key)
{
	g_autoptr(GVariant) value = g_variant_lookup_value(status, key, G_VARIANT_TYPE_STRING);

	if (value == NULL) {
		g_test_message("GetStatus has no string “%s”", key);
		hubd_test_message_variant("status", status);
	}
	g_assert_nonnull(value);
	return g_variant_dup_string(value, NULL);
}

/* ---- GetStatus over the bus and the socket ---- */

static gboolean
no_socket_peers_cb(gpointer user_data)
{
	GDBusConnection *bus = user_data;
	g_autoptr(GVariant) status = hubd_test_get_status(bus);
	guint32 peers = G_MAXUINT32;

	g_variant_lookup(status, "peers", "u", &peers);
	return peers == 0;
}

static void
test_status_bus_and_socket(void)
{
	HubdTestDaemon *d = hubd_test_daemon_start(NULL, NULL);
	g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
	g_autoptr(GDBusConnection) sock = hubd_test_connect_socket(d->socket_path);
	/* the socket first: once the daemon answers there it has counted that
	 * peer, which the bus's answer must then show too */
	g_autoptr(GVariant) sock_status = hubd_test_get_status(sock);
	g_autoptr(GVariant) bus_status = hubd_test_get_status(bus);
	const gchar *same[] = {
		"version",
		"endpoint",
		"plugins",
		"plugin_errors",
		"services",
		"socket",
		"pid",
		"bus_name_owned",
		"peers",
		NULL,
	};
	g_autofree gchar *version = status_dup_string(bus_status, "version");
	g_autofree gchar *endpoint = status_dup_string(bus_status, "endpoint");
	g_autofree gchar *socket = status_dup_string(bus_status, "socket");
	g_autofree gchar *bus_connection = status_dup_string(bus_status, "connection");
	g_autofree gchar *sock_connection = status_dup_string(sock_status, "connection");
	g_autoptr(GVariant) plugins = hubd_test_status_lookup(bus_status, "plugins", "as");
	g_autoptr(GVariant) plugin_errors =
		hubd_test_status_lookup(bus_status, "plugin_errors", "a{ss}");
	g_autoptr(GVariant) services = hubd_test_status_lookup(bus_status, "services", "as");
	g_autoptr(GVariant) pid = hubd_test_status_lookup(bus_status, "pid", "u");
	g_autoptr(GVariant) owned = hubd_test_status_lookup(bus_status, "bus_name_owned", "b");
	g_autoptr(GVariant) uptime = hubd_test_status_lookup(bus_status, "uptime", "t");
	g_autoptr(GVariant) peers = hubd_test_status_lookup(bus_status, "peers", "u");
	g_autofree const gchar **plugin_names = g_variant_get_strv(plugins, NULL);
	const gchar *want_plugins[] = {"test", NULL};

	hubd_test_message_variant("bus", bus_status);
	hubd_test_message_variant("socket", sock_status);

	/* the same daemon, whichever way one asks */
	for (guint i = 0; same[i] != NULL; i++) {
		g_autoptr(GVariant) a = g_variant_lookup_value(bus_status, same[i], NULL);
		g_autoptr(GVariant) b = g_variant_lookup_value(sock_status, same[i], NULL);
		g_test_message("key %s", same[i]);
		g_assert_nonnull(a);
		g_assert_nonnull(b);
		g_assert_true(g_variant_equal(a, b));
	}
	g_assert_cmpstr(version, ==, PACKAGE_VERSION);
	g_assert_cmpstr(endpoint, ==, HUBD_TEST_DEFAULT_ENDPOINT);
	hubd_test_assert_strv_equal(plugin_names, want_plugins);
	g_assert_cmpuint(g_variant_n_children(plugin_errors), ==, 0);
	g_assert_true(hubd_test_strv_contains(services, HUBD_TEST_DAEMON_IFACE));
	g_assert_true(hubd_test_strv_contains(services, HUBD_TEST_PLUGIN_IFACE));
	g_assert_cmpstr(socket, ==, d->socket_path);
	g_assert_cmpuint(g_variant_get_uint32(pid), ==, (guint32)hubd_test_daemon_get_pid(d));
	g_assert_true(g_variant_get_boolean(owned));
	g_assert_cmpuint(g_variant_get_uint64(uptime), <, 3600);
	/* our socket connection is the one peer; the bus does not count */
	g_assert_cmpuint(g_variant_get_uint32(peers), ==, 1);
	g_assert_cmpstr(bus_connection, ==, "bus");
	g_assert_cmpstr(sock_connection, ==, "socket");

	g_assert_true(g_dbus_connection_close_sync(sock, NULL, NULL));
	g_assert_true(hubd_test_wait_for(no_socket_peers_cb, bus, 5000));
	hubd_test_daemon_stop(d);
}

/* ---- hubctl status ---- */

static const gchar *const status_json_keys[] = {
	"version",
	"endpoint",
	"plugins",
	"plugin_errors",
	"services",
	"connection",
	"socket",
	"bus_name_owned",
	"pid",
	"uptime",
	"peers",
	"client_connection",
	NULL,
};

/* runs `hubctl [prefix_args] status --json` with env, checks the document */
static void
check_hubctl_status_json(HubdTestDaemon *d,
			 const gchar *const *hubctl_args,
			 const gchar *const *env,
			 const gchar *want_connection,
			 gboolean want_bus_name_owned,
			 guint want_peers)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(JsonNode) root = NULL;
	JsonObject *o;
	JsonArray *plugins;
	JsonArray *services;
	gboolean has_daemon_iface = FALSE;
	gint rc = hubd_test_run_hubctl_full(NULL, hubctl_args, env, NULL, &out, &err);

	g_test_message("hubctl exit %d\nstdout:\n%s\nstderr:\n%s", rc, out, err);
	g_assert_cmpint(rc, ==, 0);
	root = hubd_test_parse_json(out);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(root));
	o = json_node_get_object(root);
	for (guint i = 0; status_json_keys[i] != NULL; i++) {
		g_test_message("key %s", status_json_keys[i]);
		g_assert_true(json_object_has_member(o, status_json_keys[i]));
	}
	g_assert_cmpstr(json_object_get_string_member(o, "version"), ==, PACKAGE_VERSION);
	g_assert_cmpstr(json_object_get_string_member(o, "endpoint"),
			==,
			HUBD_TEST_DEFAULT_ENDPOINT);
	plugins = json_object_get_array_member(o, "plugins");
	g_assert_nonnull(plugins);
	g_assert_cmpuint(json_array_get_length(plugins), ==, 1);
	g_assert_cmpstr(json_array_get_string_element(plugins, 0), ==, "test");
	g_assert_nonnull(json_object_get_object_member(o, "plugin_errors"));
	g_assert_cmpuint(json_object_get_size(json_object_get_object_member(o, "plugin_errors")),
			 ==,
			 0);
	services = json_object_get_array_member(o, "services");
	g_assert_nonnull(services);
	for (guint i = 0; i < json_array_get_length(services); i++) {
		if (g_strcmp0(json_array_get_string_element(services, i), HUBD_TEST_DAEMON_IFACE) ==
		    0)
			has_daemon_iface = TRUE;
	}
	g_assert_true(has_daemon_iface);
	g_assert_cmpstr(json_object_get_string_member(o, "connection"), ==, want_connection);
	g_assert_cmpstr(json_object_get_string_member(o, "socket"), ==, d->socket_path);
	g_assert_true(json_object_get_boolean_member(o, "bus_name_owned") == want_bus_name_owned);
	g_assert_cmpint(json_object_get_int_member(o, "pid"), ==, hubd_test_daemon_get_pid(d));
	g_assert_cmpint(json_object_get_int_member(o, "uptime"), >=, 0);
	/* over the socket, hubctl itself is the one peer */
	g_assert_cmpint(json_object_get_int_member(o, "peers"), ==, want_peers);
	g_assert_true(JSON_NODE_HOLDS_VALUE(json_object_get_member(o, "client_connection")));
	g_assert_cmpstr(json_object_get_string_member(o, "client_connection"), !=, "");
	if (g_strcmp0(want_connection, "socket") == 0)
		g_assert_nonnull(strstr(json_object_get_string_member(o, "client_connection"),
					d->socket_path));
}

static void
test_hubctl_status(void)
{
	HubdTestDaemon *d = hubd_test_daemon_start(NULL, NULL);
	g_autofree gchar *socket_env = g_strdup_printf("HUBD_SOCKET=%s", d->socket_path);
	const gchar *over_bus[] = {"status", "--json", NULL};
	const gchar *over_socket[] = {"--socket", d->socket_path, "status", "--json", NULL};
	const gchar *env_socket[] = {socket_env, NULL};
	const gchar *human[] = {"status", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	check_hubctl_status_json(d, over_bus, NULL, "bus", TRUE, 0);
	check_hubctl_status_json(d, over_socket, NULL, "socket", TRUE, 1);
	check_hubctl_status_json(d, over_bus, env_socket, "socket", TRUE, 1);

	/* without --json: for people, but the facts are there */
	g_assert_cmpint(hubd_test_run_hubctl(human, NULL, &out, &err), ==, 0);
	g_test_message("hubctl status:\n%s", out);
	g_assert_nonnull(strstr(out, PACKAGE_VERSION));
	g_assert_nonnull(strstr(out, HUBD_TEST_DEFAULT_ENDPOINT));
	hubd_test_daemon_stop(d);
}

static void
test_hubctl_no_daemon(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmp = g_dir_make_tmp("hubd-nodaemon-XXXXXX", &error);
	g_autofree gchar *missing = g_build_filename(tmp, "hubd", "bus", NULL);
	g_autofree gchar *missing_env = g_strdup_printf("HUBD_SOCKET=%s", missing);
	const gchar *over_bus[] = {"status", NULL};
	const gchar *over_socket[] = {"--socket", missing, "status", "--json", NULL};
	const gchar *env_socket[] = {missing_env, NULL};
	struct {
		const gchar *const *argv;
		const gchar *const *env;
	} cases[] = {{over_bus, NULL}, {over_socket, NULL}, {over_bus, env_socket}};

	g_assert_no_error(error);
	g_assert_false(hubd_test_bus_name_has_owner());
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;
		g_autofree gchar *lower = NULL;
		gint rc = hubd_test_run_hubctl_full(NULL,
						    cases[i].argv,
						    cases[i].env,
						    NULL,
						    &out,
						    &err);

		g_test_message("case %u: exit %d, stdout “%s”, stderr “%s”", i, rc, out, err);
		g_assert_cmpint(rc, ==, 2);
		g_assert_cmpstr(out, ==, "");
		/* one line, saying how to get a daemon */
		g_assert_true(g_str_has_suffix(err, "\n"));
		g_assert_cmpint(strchr(err, '\n') - err, ==, (glong)strlen(err) - 1);
		lower = g_ascii_strdown(err, -1);
		g_assert_nonnull(strstr(err, "hubd"));
		g_assert_nonnull(strstr(lower, "start"));
	}
	hubd_test_rm_rf(tmp);
}

/* ---- the socket ---- */

static void
assert_socket_modes(const gchar *socket_path)
{
	g_autofree gchar *dir = g_path_get_dirname(socket_path);
	GStatBuf st;

	g_assert_cmpint(g_lstat(dir, &st), ==, 0);
	g_assert_true(S_ISDIR(st.st_mode));
	g_assert_cmpint(st.st_uid, ==, getuid());
	g_assert_cmpint(st.st_mode & 07777, ==, 0700);
	g_assert_cmpint(g_lstat(socket_path, &st), ==, 0);
	g_assert_true(S_ISSOCK(st.st_mode));
	g_assert_cmpint(st.st_uid, ==, getuid());
	g_assert_cmpint(st.st_mode & 07777, ==, 0600);
}

static void
test_socket_permissions(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmp = g_dir_make_tmp("hubd-perm-XXXXXX", &error);
	g_autofree gchar *loose_dir = g_build_filename(tmp, "hubd", NULL);
	g_autofree gchar *loose_socket = g_build_filename(loose_dir, "bus", NULL);
	g_autofree gchar *default_socket =
		g_build_filename(g_get_user_runtime_dir(), "hubd", "bus", NULL);
	const gchar *default_args[] = {HUBD_TEST_DEFAULT_SOCKET, NULL};
	const gchar *loose_args[] = {"--socket", loose_socket, NULL};
	HubdTestDaemon *d;

	g_assert_no_error(error);

	/* the default place, $XDG_RUNTIME_DIR/hubd/bus */
	d = hubd_test_daemon_start(default_args, NULL);
	{
		g_autoptr(GDBusConnection) sock = hubd_test_connect_socket(default_socket);
		g_autoptr(GVariant) status = hubd_test_get_status(sock);
		g_autofree gchar *socket = status_dup_string(status, "socket");
		g_assert_cmpstr(socket, ==, default_socket);
	}
	assert_socket_modes(default_socket);
	hubd_test_daemon_stop(d);

	/* a directory someone left open is closed */
	g_assert_cmpint(g_mkdir(loose_dir, 0755), ==, 0);
	g_assert_cmpint(g_chmod(loose_dir, 0755), ==, 0);
	d = hubd_test_daemon_start(loose_args, NULL);
	assert_socket_modes(loose_socket);
	hubd_test_daemon_stop(d);
	hubd_test_rm_rf(tmp);
}

static gboolean
log_has_refusal_cb(gpointer user_data)
{
	g_autofree gchar *log = hubd_test_daemon_read_log(user_data);

	return strstr(log, "refused a socket peer") != NULL;
}

static void
test_socket_other_uid(void)
{
	const gchar *setpriv[] = {"setpriv",
				  "--reuid=nobody",
				  "--regid=nogroup",
				  "--clear-groups",
				  NULL};
	const gchar *help[] = {"--help", NULL};
	const gchar *no_env[] = {"HUBD_SOCKET", NULL};
	g_autofree gchar *setpriv_path = g_find_program_in_path("setpriv");
	g_autofree gchar *log_before = NULL;
	g_autofree gchar *socket_dir = NULL;
	HubdTestDaemon *d;

	if (getuid() != 0) {
		g_test_skip("switching to another uid (setpriv --reuid=nobody) needs root");
		return;
	}
	if (setpriv_path == NULL) {
		g_test_skip("setpriv (util-linux) is not installed");
		return;
	}
	d = hubd_test_daemon_start(NULL, NULL);
	socket_dir = g_path_get_dirname(d->socket_path);

	{
		/* hubctl itself runs as nobody, so a refusal below is hubd's */
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;
		gint rc = hubd_test_run_hubctl_full(setpriv, help, no_env, NULL, &out, &err);
		g_test_message("nobody: hubctl --help: %d\n%s%s", rc, out, err);
		g_assert_cmpint(rc, ==, 0);
	}

	/* 1. as created: the 0700 directory keeps nobody out */
	{
		const gchar *argv[] = {"--socket", d->socket_path, "status", "--json", NULL};
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;
		gint rc = hubd_test_run_hubctl_full(setpriv, argv, no_env, NULL, &out, &err);
		g_test_message("nobody, modes as created: %d\n%s%s", rc, out, err);
		g_assert_cmpint(rc, ==, 2);
		g_assert_cmpstr(out, ==, "");
	}

	/* 2. the D-Bus authentication refuses by itself, with the files wide open */
	log_before = hubd_test_daemon_read_log(d);
	g_assert_null(strstr(log_before, "refused a socket peer"));
	g_assert_cmpint(g_chmod(d->tmp_dir, 0711), ==, 0);
	g_assert_cmpint(g_chmod(socket_dir, 0755), ==, 0);
	g_assert_cmpint(g_chmod(d->socket_path, 0666), ==, 0);
	{
		const gchar *argv[] = {"--socket", d->socket_path, "status", "--json", NULL};
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;
		gint rc = hubd_test_run_hubctl_full(setpriv, argv, no_env, NULL, &out, &err);
		g_test_message("nobody, modes open: %d\n%s%s", rc, out, err);
		g_assert_cmpint(rc, ==, 2);
		g_assert_cmpstr(out, ==, "");
	}
	{
		/* a plain D-Bus client, not only hubctl */
		g_autofree gchar *escaped = g_dbus_address_escape_value(d->socket_path);
		g_autofree gchar *address = g_strdup_printf("unix:path=%s", escaped);
		const gchar *argv[] = {"setpriv",
				       "--reuid=nobody",
				       "--regid=nogroup",
				       "--clear-groups",
				       "gdbus",
				       "call",
				       "--address",
				       address,
				       "--object-path",
				       HUBD_TEST_OBJECT_PATH,
				       "--method",
				       HUBD_TEST_DAEMON_IFACE ".GetStatus",
				       "{}",
				       NULL};
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;
		gint rc = hubd_test_run_command(argv, NULL, NULL, &out, &err);
		g_test_message("nobody, gdbus call: %d\n%s%s", rc, out, err);
		g_assert_cmpint(rc, !=, 0);
		g_assert_null(strstr(out, "version"));
	}
	/* it reached hubd, and hubd said no */
	g_assert_true(hubd_test_wait_for(log_has_refusal_cb, d, 5000));

	g_assert_cmpint(g_chmod(d->socket_path, 0600), ==, 0);
	g_assert_cmpint(g_chmod(socket_dir, 0700), ==, 0);
	g_assert_cmpint(g_chmod(d->tmp_dir, 0700), ==, 0);

	/* the owner is still served, and nobody's attempts left no peer behind */
	{
		g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
		g_autoptr(GVariant) status = hubd_test_get_status(bus);
		guint32 peers = G_MAXUINT32;
		const gchar *argv[] = {"--socket", d->socket_path, "status", "--json", NULL};

		g_assert_true(g_variant_lookup(status, "peers", "u", &peers));
		g_assert_cmpuint(peers, ==, 0);
		g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, NULL, NULL), ==, 0);
	}
	hubd_test_daemon_stop(d);
}

/* ---- --no-bus: the socket is the only way in ---- */

static void
test_no_bus(void)
{
	const gchar *args[] = {"--no-bus", NULL};
	HubdTestDaemon *d = hubd_test_daemon_start(args, NULL);
	g_autoptr(GDBusConnection) sock = hubd_test_connect_socket(d->socket_path);
	g_autoptr(GVariant) status = hubd_test_get_status(sock);
	g_autoptr(GVariant) owned = hubd_test_status_lookup(status, "bus_name_owned", "b");
	g_autofree gchar *connection = status_dup_string(status, "connection");
	const gchar *hubctl_args[] = {"--socket", d->socket_path, "status", "--json", NULL};

	g_assert_false(hubd_test_bus_name_has_owner());
	g_assert_false(g_variant_get_boolean(owned));
	g_assert_cmpstr(connection, ==, "socket");
	g_dbus_connection_close_sync(sock, NULL, NULL);
	check_hubctl_status_json(d, hubctl_args, NULL, "socket", FALSE, 1);
	hubd_test_daemon_stop(d);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/hubd/socket/status/bus-and-socket", test_status_bus_and_socket);
	g_test_add_func("/hubd/socket/hubctl/status", test_hubctl_status);
	g_test_add_func("/hubd/socket/hubctl/no-daemon", test_hubctl_no_daemon);
	g_test_add_func("/hubd/socket/permissions", test_socket_permissions);
	g_test_add_func("/hubd/socket/other-uid", test_socket_other_uid);
	g_test_add_func("/hubd/socket/no-bus", test_no_bus);
	return g_test_run();
}
