/* hubd-auth-test.c: org.hubd.Hub1.Auth and `hubctl auth` with a real keyring
 * and the local Hub — login, named tokens, switch, logout, persistence,
 * HF_TOKEN, import, the file backend, and the token staying out of logs/argv */
#define G_LOG_DOMAIN "HubdAuthTest"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "hubd-test-common.h"

#define AUTH_IFACE  "org.hubd.Hub1.Auth"
#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define BOB_READ    "hf_bob_read_000000000000000000000000"

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
} Fixture;

static HubdTestDaemon *
start_daemon(Fixture *f, const gchar *const *more_args, const gchar *const *env)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();
	g_auto(GStrv) args = NULL;

	g_strv_builder_add_many(b,
				"--endpoint",
				f->hub->url,
				"--set",
				"http.retry-base-ms=50",
				NULL);
	if (more_args != NULL)
		g_strv_builder_addv(b, (const gchar **)more_args);
	args = g_strv_builder_end(b);
	return hubd_test_daemon_start((const gchar *const *)args, env);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	f->hub = hubd_test_hub_start(NULL);
	f->bus = hubd_test_session_bus();
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	if (f->daemon != NULL)
		hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
}

static GVariant *
auth_call(GDBusConnection *c,
	  const gchar *method,
	  GVariant *params,
	  const gchar *reply,
	  GError **error)
{
	return hubd_test_call(c,
			      AUTH_IFACE,
			      method,
			      params,
			      reply != NULL ? G_VARIANT_TYPE(reply) : NULL,
			      error);
}

static GVariant *
login(GDBusConnection *c, const gchar *token, const gchar *name, GError **error)
{
	GVariantBuilder options;

	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (name != NULL)
		g_variant_builder_add(&options, "{sv}", "name", g_variant_new_string(name));
	return auth_call(c, "Login", g_variant_new("(sa{sv})", token, &options), "(a{sv})", error);
}

static gchar *
whoami_user(GDBusConnection *c)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r =
		auth_call(c, "WhoAmI", g_variant_new_parsed("(@a{sv} {},)"), "(a{sv})", &error);
	g_autoptr(GVariant) dict = NULL;
	gchar *name = NULL;

	g_assert_no_error(error);
	dict = g_variant_get_child_value(r, 0);
	g_assert_true(g_variant_lookup(dict, "name", "s", &name));
	return name;
}

static void
assert_remote_error(GError *error, const gchar *name)
{
	g_autofree gchar *remote = NULL;

	g_assert_nonnull(error);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, name);
}

/* secret-tool lookup endpoint URL name NAME; NULL when there is no such item */
static gchar *
keyring_lookup(Fixture *f, const gchar *name)
{
	const gchar *argv[] =
		{"secret-tool", "lookup", "endpoint", f->hub->url, "name", name, NULL};
	gchar *out = NULL;

	if (hubd_test_run_command(argv, NULL, NULL, &out, NULL) != 0) {
		g_free(out);
		return NULL;
	}
	return out;
}

static gboolean
keyring_has(Fixture *f, const gchar *name)
{
	g_autofree gchar *secret = keyring_lookup(f, name);

	return secret != NULL;
}

static gchar *
keyring_search_all(Fixture *f)
{
	const gchar *argv[] = {"secret-tool", "search", "--all", "endpoint", f->hub->url, NULL};
	gchar *out = NULL;
	gchar *err = NULL;

	hubd_test_run_command(argv, NULL, NULL, &out, &err);
	g_free(err);
	return out;
}

static GVariant *
auth_property(GDBusConnection *c, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = hubd_test_call(c,
					       "org.freedesktop.DBus.Properties",
					       "Get",
					       g_variant_new("(ss)", AUTH_IFACE, name),
					       G_VARIANT_TYPE("(v)"),
					       &error);
	GVariant *v;

	g_assert_no_error(error);
	g_variant_get(r, "(v)", &v);
	return v;
}

/* The keyring's code ran in hubd-keyring-helper, not in hubd: libsecret and
 * the libgcrypt of its encrypted session are not even mapped in hubd. */
static void
assert_no_keyring_code(HubdTestDaemon *d)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%d/maps", hubd_test_daemon_get_pid(d));
	g_autofree gchar *maps = NULL;

	g_assert_true(g_file_get_contents(path, &maps, NULL, NULL));
	g_assert_nonnull(strstr(maps, "libgio-2.0"));
	g_assert_null(strstr(maps, "libsecret"));
	g_assert_null(strstr(maps, "libgcrypt"));
}

/* ---- tests ---- */

static void
test_login_keyring(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = NULL;
	g_autoptr(GVariant) dict = NULL;
	g_autofree gchar *secret = NULL;
	g_autofree gchar *all = NULL;
	g_autofree gchar *log = NULL;
	const gchar *storage = NULL;

	f->daemon = start_daemon(f, NULL, NULL);
	g_clear_pointer(&r, g_variant_unref);
	r = login(f->bus, ALICE_WRITE, "ci", &error);
	g_assert_no_error(error);
	dict = g_variant_get_child_value(r, 0);
	g_assert_true(g_variant_lookup(dict, "storage", "&s", &storage));
	g_assert_cmpstr(storage, ==, "keyring");
	secret = keyring_lookup(f, "ci");
	g_assert_cmpstr(secret, ==, ALICE_WRITE);
	assert_no_keyring_code(f->daemon);

	/* a wrong token: Unauthorized, nothing stored */
	g_clear_pointer(&r, g_variant_unref);
	r = login(f->bus, "hf_not_a_real_token_000000000", "bad", &error);
	assert_remote_error(error, "org.hubd.Hub1.Error.Unauthorized");
	g_clear_error(&error);
	g_assert_false(keyring_has(f, "bad"));
	g_clear_pointer(&r, g_variant_unref);
	r = login(f->bus, "not-a-token", NULL, &error);
	assert_remote_error(error, "org.hubd.Hub1.Error.InvalidArgument");
	g_clear_error(&error);

	/* a second token, named after the Hub's displayName, becomes active */
	g_clear_pointer(&r, g_variant_unref);
	r = login(f->bus, BOB_READ, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(keyring_has(f, "bob-read"));
	{
		g_autofree gchar *u = whoami_user(f->bus);
		g_assert_cmpstr(u, ==, "bob");
	}
	g_clear_pointer(&r, g_variant_unref);
	r = auth_call(f->bus,
		      "SwitchToken",
		      g_variant_new_parsed("('ci', @a{sv} {})"),
		      NULL,
		      &error);
	g_assert_no_error(error);
	{
		g_autofree gchar *u = whoami_user(f->bus);
		g_autoptr(GVariant) user = auth_property(f->bus, "User");
		g_assert_cmpstr(u, ==, "alice");
		g_assert_cmpstr(g_variant_get_string(user, NULL), ==, "alice");
	}
	g_clear_pointer(&r, g_variant_unref);
	r = auth_call(f->bus,
		      "SwitchToken",
		      g_variant_new_parsed("('nope', @a{sv} {})"),
		      NULL,
		      &error);
	assert_remote_error(error, "org.hubd.Hub1.Error.InvalidArgument");
	g_clear_error(&error);

	/* ListTokens never carries a secret; "ci" is the one in use */
	g_clear_pointer(&r, g_variant_unref);
	r = auth_call(f->bus,
		      "ListTokens",
		      g_variant_new_parsed("(@a{sv} {},)"),
		      "(aa{sv})",
		      &error);
	g_assert_no_error(error);
	{
		g_autofree gchar *printed = g_variant_print(r, TRUE);
		g_autoptr(GVariant) tokens = g_variant_get_child_value(r, 0);
		guint n_in_use = 0;

		g_assert_null(strstr(printed, "hf_"));
		g_assert_nonnull(strstr(printed, "'ci'"));
		for (gsize i = 0; i < g_variant_n_children(tokens); i++) {
			g_autoptr(GVariant) token = g_variant_get_child_value(tokens, i);
			const gchar *name = NULL;
			gboolean in_use = FALSE;

			g_assert_true(g_variant_lookup(token, "name", "&s", &name));
			g_assert_true(g_variant_lookup(token, "in_use", "b", &in_use));
			if (in_use) {
				g_assert_cmpstr(name, ==, "ci");
				n_in_use++;
			}
		}
		g_assert_cmpuint(n_in_use, ==, 1);
	}
	/* GetToken is off by default */
	g_clear_pointer(&r, g_variant_unref);
	r = auth_call(f->bus, "GetToken", g_variant_new_parsed("(@a{sv} {},)"), "(s)", &error);
	assert_remote_error(error, "org.hubd.Hub1.Error.Forbidden");
	g_clear_error(&error);

	/* logout of the active token removes the keyring item */
	g_clear_pointer(&r, g_variant_unref);
	r = auth_call(f->bus, "Logout", g_variant_new_parsed("('', @a{sv} {})"), NULL, &error);
	g_assert_no_error(error);
	g_assert_false(keyring_has(f, "ci"));
	all = keyring_search_all(f);
	g_assert_null(strstr(all, "name = ci"));
	g_clear_pointer(&r, g_variant_unref);
	r = auth_call(f->bus, "Logout", g_variant_new_parsed("('', @a{sv} {})"), NULL, &error);
	assert_remote_error(error, "org.hubd.Hub1.Error.NotLoggedIn");
	g_clear_error(&error);
	{
		g_autoptr(GVariant) logged = auth_property(f->bus, "LoggedIn");
		g_assert_false(g_variant_get_boolean(logged));
	}

	/* the token is never in the --verbose log */
	log = hubd_test_daemon_read_log(f->daemon);
	g_assert_null(strstr(log, ALICE_WRITE));
	g_assert_null(strstr(log, BOB_READ));
	g_assert_null(strstr(log, "Bearer"));
}

static void
test_persisted(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = NULL;
	g_autoptr(GVariant) logged = NULL;
	g_autofree gchar *u = NULL;

	f->daemon = start_daemon(f, NULL, NULL);
	g_clear_pointer(&r, g_variant_unref);
	r = login(f->bus, ALICE_WRITE, NULL, &error);
	g_assert_no_error(error);
	hubd_test_daemon_stop(f->daemon);
	f->daemon = start_daemon(f, NULL, NULL);
	u = whoami_user(f->bus);
	g_assert_cmpstr(u, ==, "alice");
	logged = auth_property(f->bus, "LoggedIn");
	g_assert_true(g_variant_get_boolean(logged));
}

static void
test_hf_token_env(Fixture *f, gconstpointer data)
{
	const gchar *env[] = {"HF_TOKEN=  " BOB_READ "\n", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = NULL;
	g_autofree gchar *u = NULL;

	f->daemon = start_daemon(f, NULL, NULL);
	g_clear_pointer(&r, g_variant_unref);
	r = login(f->bus, ALICE_WRITE, NULL, &error);
	g_assert_no_error(error);
	hubd_test_daemon_stop(f->daemon);
	/* HF_TOKEN wins over the stored active token */
	f->daemon = start_daemon(f, NULL, env);
	u = whoami_user(f->bus);
	g_assert_cmpstr(u, ==, "bob");
}

static void
check_private_file(const gchar *path)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	GStatBuf st;

	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	g_assert_cmpint(g_stat(dir, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0700);
}

static void
test_file_backend(Fixture *f, gconstpointer data)
{
	const gchar *args[] = {"--set", "auth.backend=file", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = NULL;
	g_autoptr(GVariant) dict = NULL;
	g_autofree gchar *path = g_build_filename(g_get_user_config_dir(), "hubd", "tokens", NULL);
	g_autofree gchar *label = g_strdup_printf("file:%s", path);
	const gchar *storage = NULL;

	f->daemon = start_daemon(f, args, NULL);
	g_clear_pointer(&r, g_variant_unref);
	r = login(f->bus, ALICE_WRITE, "ci", &error);
	g_assert_no_error(error);
	dict = g_variant_get_child_value(r, 0);
	g_assert_true(g_variant_lookup(dict, "storage", "&s", &storage));
	g_assert_cmpstr(storage, ==, label);
	check_private_file(path);
	g_assert_false(keyring_has(f, "ci"));
	hubd_test_daemon_stop(f->daemon);
	f->daemon = start_daemon(f, args, NULL);
	{
		g_autofree gchar *u = whoami_user(f->bus);
		g_assert_cmpstr(u, ==, "alice");
	}
}

/* a session bus where org.freedesktop.secrets is neither running nor activatable */
static void
test_no_secret_service(Fixture *f, gconstpointer data)
{
	g_autofree gchar *dir = g_dir_make_tmp("hubd-nobus-XXXXXX", NULL);
	g_autofree gchar *conf = g_build_filename(dir, "session.conf", NULL);
	g_autofree gchar *sock = g_build_filename(dir, "bus", NULL);
	g_autofree gchar *hubd_sock = g_build_filename(dir, "hubd.sock", NULL);
	g_autofree gchar *contents = g_strdup_printf(
		"<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration "
		"1.0//EN\" "
		"\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
		"<busconfig><type>session</type><listen>unix:path=%s</listen>"
		"<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
		"<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n",
		sock);
	g_autofree gchar *address = g_strdup_printf("DBUS_SESSION_BUS_ADDRESS=unix:path=%s", sock);
	g_autofree gchar *path = g_build_filename(g_get_user_config_dir(), "hubd", "tokens", NULL);
	g_autoptr(GSubprocess) bus = NULL;
	g_autoptr(GDBusConnection) peer = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = NULL;
	g_autoptr(GVariant) dict = NULL;
	const gchar *args[] = {"--no-bus", "--socket", hubd_sock, NULL};
	const gchar *env[] = {address, NULL};
	const gchar *storage = NULL;

	hubd_test_write_file(conf, contents);
	bus = g_subprocess_new(G_SUBPROCESS_FLAGS_NONE,
			       &error,
			       "dbus-daemon",
			       "--config-file",
			       conf,
			       "--nofork",
			       NULL);
	g_assert_no_error(error);
	for (guint i = 0; i < 200 && !g_file_test(sock, G_FILE_TEST_EXISTS); i++)
		g_usleep(10000);
	f->daemon = start_daemon(f, args, env);
	peer = hubd_test_connect_socket(hubd_sock);
	g_clear_pointer(&r, g_variant_unref);
	r = login(peer, ALICE_WRITE, "ci", &error);
	g_assert_no_error(error);
	dict = g_variant_get_child_value(r, 0);
	g_assert_true(g_variant_lookup(dict, "storage", "&s", &storage));
	g_assert_true(g_str_has_prefix(storage, "file:"));
	check_private_file(path);
	/* a clean goodbye before the daemon goes */
	g_dbus_connection_close_sync(peer, NULL, NULL);
	hubd_test_daemon_stop(g_steal_pointer(&f->daemon));
	g_subprocess_force_exit(bus);
	hubd_test_rm_rf(dir);
}

static void
test_two_clients(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = NULL;
	g_autoptr(GDBusConnection) peer = NULL;
	g_autoptr(GVariant) logged = NULL;
	g_autofree gchar *u = NULL;

	f->daemon = start_daemon(f, NULL, NULL);
	g_clear_pointer(&r, g_variant_unref);
	r = login(f->bus, ALICE_WRITE, NULL, &error);
	g_assert_no_error(error);
	peer = hubd_test_connect_socket(f->daemon->socket_path);
	logged = auth_property(peer, "LoggedIn");
	g_assert_true(g_variant_get_boolean(logged));
	u = whoami_user(peer);
	g_assert_cmpstr(u, ==, "alice");
	g_dbus_connection_close_sync(peer, NULL, NULL);
}

static void
test_hubctl_login(Fixture *f, gconstpointer data)
{
	const gchar *login_argv[] = {"auth", "login", "--token-stdin", "--name", "ci", NULL};
	const gchar *bad_argv[] = {"auth", "login", NULL};
	const gchar *list_argv[] = {"auth", "list", NULL};
	const gchar *list_json_argv[] = {"auth", "list", "--json", NULL};
	const gchar *whoami_argv[] = {"auth", "whoami", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *cmdline_path = NULL;
	g_autofree gchar *cmdline = NULL;
	gsize cmdline_len = 0;
	g_autofree gchar *log = NULL;
	gint rc;

	f->daemon = start_daemon(f, NULL, NULL);
	rc = hubd_test_run_hubctl(login_argv, ALICE_WRITE "\n", &out, &err);
	g_assert_cmpint(rc, ==, 0);
	g_assert_nonnull(strstr(out, "Logged in as alice"));
	g_assert_nonnull(strstr(out, "system keyring"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* no TTY, no --token-stdin: a usage error, never a token from argv */
	rc = hubd_test_run_hubctl(bad_argv, NULL, &out, &err);
	g_assert_cmpint(rc, ==, 64);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	rc = hubd_test_run_hubctl(list_argv, NULL, &out, &err);
	g_assert_cmpint(rc, ==, 0);
	g_assert_nonnull(strstr(out, "*"));
	g_assert_nonnull(strstr(out, "ci"));
	g_assert_null(strstr(out, "hf_"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* the JSON keeps the member names it has always printed */
	rc = hubd_test_run_hubctl(list_json_argv, NULL, &out, &err);
	g_assert_cmpint(rc, ==, 0);
	{
		g_autoptr(JsonParser) parser = json_parser_new();
		JsonArray *tokens;
		guint n_ci = 0;

		g_assert_true(json_parser_load_from_data(parser, out, -1, NULL));
		tokens = json_node_get_array(json_parser_get_root(parser));
		for (guint i = 0; i < json_array_get_length(tokens); i++) {
			JsonObject *token = json_array_get_object_element(tokens, i);
			const gchar *name = json_object_get_string_member(token, "name");

			g_assert_true(json_object_has_member(token, "in-use"));
			g_assert_false(json_object_has_member(token, "in_use"));
			if (g_strcmp0(name, "ci") != 0)
				continue;
			g_assert_true(json_object_get_boolean_member(token, "in-use"));
			g_assert_true(json_object_get_boolean_member(token, "active"));
			n_ci++;
		}
		g_assert_cmpuint(n_ci, ==, 1);
	}
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	rc = hubd_test_run_hubctl(whoami_argv, NULL, &out, &err);
	g_assert_cmpint(rc, ==, 0);
	g_assert_nonnull(strstr(out, "alice"));

	/* hubd's own argv (what `ps` shows every user) never holds the token;
	 * only this daemon is looked at: other tests may run next to this one */
	cmdline_path =
		g_strdup_printf("/proc/%d/cmdline", (gint)hubd_test_daemon_get_pid(f->daemon));
	g_assert_true(g_file_get_contents(cmdline_path, &cmdline, &cmdline_len, NULL));
	g_assert_cmpuint(cmdline_len, >, 0);
	for (gsize i = 0; i < cmdline_len; i++) /* arguments are NUL-separated */
		if (cmdline[i] == '\0')
			cmdline[i] = ' ';
	g_assert_nonnull(strstr(cmdline, "hubd"));
	g_assert_null(strstr(cmdline, "hf_alice"));
	log = hubd_test_daemon_read_log(f->daemon);
	g_assert_null(strstr(log, ALICE_WRITE));
}

static void
test_hubctl_import(Fixture *f, gconstpointer data)
{
	g_autofree gchar *hf_home = g_build_filename(g_get_user_cache_dir(), "hf-import", NULL);
	g_autofree gchar *token_file = g_build_filename(hf_home, "token", NULL);
	g_autofree gchar *stored_file = g_build_filename(hf_home, "stored_tokens", NULL);
	g_autofree gchar *env_home = g_strdup_printf("HF_HOME=%s", hf_home);
	const gchar *import_argv[] = {"auth", "import", NULL};
	const gchar *env[] = {env_home, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *u = NULL;
	gint rc;

	hubd_test_write_file(stored_file,
			     "[mine]\nhf_token = " ALICE_WRITE "\n\n[bobs]\nhf_token = " BOB_READ
			     "\n");
	hubd_test_write_file(token_file, ALICE_WRITE);
	f->daemon = start_daemon(f, NULL, NULL);
	rc = hubd_test_run_hubctl_full(NULL, import_argv, env, NULL, &out, &err);
	g_assert_cmpint(rc, ==, 0);
	g_assert_nonnull(strstr(out, "Imported 2 tokens"));
	g_assert_true(keyring_has(f, "mine"));
	g_assert_true(keyring_has(f, "bobs"));
	/* the token file named the active one */
	u = whoami_user(f->bus);
	g_assert_cmpstr(u, ==, "alice");
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	rc = hubd_test_run_hubctl_full(NULL, import_argv, env, NULL, &out, &err);
	g_assert_cmpint(rc, ==, 0);
	g_assert_nonnull(strstr(out, "Imported 0 tokens"));
}

/* ---- a locked keyring ---- */

#define SECRETS          "org.freedesktop.secrets"
#define SECRETS_PATH     "/org/freedesktop/secrets"
#define LOGIN_KEYRING    "/org/freedesktop/secrets/collection/login"
#define KEYRING_PASSWORD "hubd-test" /* tests/harness/hubd-test-env.sh's */

static void
secrets_call(GDBusConnection *c, const gchar *iface, const gchar *method, GVariant *params)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = g_dbus_connection_call_sync(c,
							    SECRETS,
							    SECRETS_PATH,
							    iface,
							    method,
							    params,
							    NULL,
							    G_DBUS_CALL_FLAGS_NONE,
							    10000,
							    NULL,
							    &error);

	g_assert_no_error(error);
}

/* as a screen locker or a session login does, without a prompt: gnome-keyring's
 * own call with the password over a "plain" session */
static void
unlock_login_keyring(GDBusConnection *c)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) opened = g_dbus_connection_call_sync(
		c,
		SECRETS,
		SECRETS_PATH,
		"org.freedesktop.Secret.Service",
		"OpenSession",
		g_variant_new("(sv)", "plain", g_variant_new_string("")),
		G_VARIANT_TYPE("(vo)"),
		G_DBUS_CALL_FLAGS_NONE,
		10000,
		NULL,
		&error);
	const gchar *session = NULL;
	GVariant *password = NULL;

	g_assert_no_error(error);
	g_variant_get(opened, "(v&o)", NULL, &session);
	password = g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE,
					     KEYRING_PASSWORD,
					     strlen(KEYRING_PASSWORD),
					     1);
	secrets_call(c,
		     "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
		     "UnlockWithMasterPassword",
		     g_variant_new("(o(o@ay@ays))",
				   LOGIN_KEYRING,
				   session,
				   g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, "", 0, 1),
				   password,
				   "text/plain"));
}

static void
test_locked_keyring(Fixture *f, gconstpointer data)
{
	const gchar *lock[] = {LOGIN_KEYRING, NULL};
	const gchar *whoami[] = {"auth", "whoami", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *u = NULL;

	f->daemon = start_daemon(f, NULL, NULL);
	r = login(f->bus, ALICE_WRITE, "locked", &error);
	g_assert_no_error(error);
	hubd_test_daemon_stop(f->daemon);
	secrets_call(f->bus,
		     "org.freedesktop.Secret.Service",
		     "Lock",
		     g_variant_new("(^ao)", lock));

	/* hubd starts with the token out of reach: it says why, and what to do */
	f->daemon = start_daemon(f, NULL, NULL);
	g_assert_cmpint(hubd_test_run_hubctl(whoami, NULL, &out, &err), ==, 1);
	g_assert_nonnull(strstr(err, "locked"));
	g_assert_nonnull(strstr(err, "Unlock it"));
	g_assert_null(strstr(err, "hubctl auth login"));

	/* unlocked meanwhile: the next call finds the token, no restart */
	unlock_login_keyring(f->bus);
	for (guint i = 0; i < 50 && u == NULL; i++) {
		g_autoptr(GError) again_error = NULL;
		g_autoptr(GVariant) again = auth_call(f->bus,
						      "WhoAmI",
						      g_variant_new_parsed("(@a{sv} {},)"),
						      "(a{sv})",
						      &again_error);

		if (again != NULL) {
			g_autoptr(GVariant) dict = g_variant_get_child_value(again, 0);

			g_variant_lookup(dict, "name", "s", &u);
		} else {
			/* the first call finds it still locked and reads again */
			hubd_test_assert_remote_error(again_error,
						      "org.hubd.Hub1.Error.NotLoggedIn");
			g_usleep(100000);
		}
	}
	g_assert_cmpstr(u, ==, "alice");
	/* the keyring is shared by the tests that follow */
	g_clear_pointer(&r, g_variant_unref);
	r = auth_call(f->bus, "Logout", g_variant_new_parsed("('', @a{sv} {})"), NULL, &error);
	g_assert_no_error(error);
}

/* the keyring helper missing (a broken install): the login fails saying
 * why, nothing is stored anywhere, and hubd keeps answering */
static void
test_no_keyring_helper(Fixture *f, gconstpointer data)
{
	const gchar *env[] = {"HUBD_KEYRING_HELPER=/nonexistent/hubd-keyring-helper", NULL};
	const gchar *login_argv[] = {"auth", "login", "--token-stdin", "--name", "ci", NULL};
	g_autofree gchar *path = g_build_filename(g_get_user_config_dir(), "hubd", "tokens", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *file_before = NULL;
	g_autofree gchar *file_after = NULL;
	g_autoptr(GVariant) status = NULL;

	/* the file store, as earlier tests left it */
	g_file_get_contents(path, &file_before, NULL, NULL);
	f->daemon = start_daemon(f, NULL, env);
	g_assert_cmpint(hubd_test_run_hubctl(login_argv, ALICE_WRITE "\n", &out, &err), ==, 1);
	g_assert_nonnull(strstr(err, "Cannot reach the keyring"));
	g_assert_nonnull(strstr(err, "/nonexistent/hubd-keyring-helper cannot be started"));
	g_assert_null(strstr(err, ALICE_WRITE));
	g_assert_false(keyring_has(f, "ci"));
	g_file_get_contents(path, &file_after, NULL, NULL);
	g_assert_cmpstr(file_after, ==, file_before);
	status = hubd_test_get_status(f->bus);
	g_assert_nonnull(status);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/hubd/auth/login-keyring", test_login_keyring);
	ADD("/hubd/auth/persisted", test_persisted);
	ADD("/hubd/auth/locked-keyring", test_locked_keyring);
	ADD("/hubd/auth/hf-token-env", test_hf_token_env);
	ADD("/hubd/auth/file-backend", test_file_backend);
	ADD("/hubd/auth/no-secret-service", test_no_secret_service);
	ADD("/hubd/auth/two-clients", test_two_clients);
	ADD("/hubd/auth/hubctl/login", test_hubctl_login);
	ADD("/hubd/auth/hubctl/import", test_hubctl_import);
	ADD("/hubd/auth/no-keyring-helper", test_no_keyring_helper);
#undef ADD
	return g_test_run();
}
