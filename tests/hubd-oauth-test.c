/* hubd-oauth-test.c: browser login (Auth.LoginWeb, `hubctl auth login --web`)
 * against the local Hub's OAuth device flow, with a real keyring.
 *
 * The local Hub plays the person at the browser through its admin surface
 * (/_testhub/oauth/approve|deny); its expiries and polling interval are made
 * short so the whole flow — pending, slow_down, approval, denial, expiry and
 * the renewal of the token before it expires — runs here. */
#define G_LOG_DOMAIN "HubdOAuthTest"

#include <glib/gstdio.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-test-job.h"

#define AUTH_IFACE "org.hubd.Hub1.Auth"
#define JOB_WAIT   60000

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
} Fixture;

static void
daemon_start(Fixture *f, gboolean graphical_session)
{
	const gchar *const args_tmpl[] = {"--endpoint",
					  NULL,
					  "--set",
					  "http.retry-base-ms=50",
					  "--set",
					  "auth.expose-token=true",
					  NULL};
	g_autofree const gchar **args = g_memdup2(args_tmpl, sizeof args_tmpl);
	/* no graphical session: hubd must not try to open a browser */
	const gchar *const headless[] = {"DISPLAY", "WAYLAND_DISPLAY", NULL};
	/* a graphical session whose default browser is browser_install()'s */
	const gchar *const graphical[] = {"DISPLAY=:99", "WAYLAND_DISPLAY", NULL};

	args[1] = f->hub->url;
	f->daemon = hubd_test_daemon_start(args, graphical_session ? graphical : headless);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	f->hub = hubd_test_hub_start(NULL);
	daemon_start(f, data != NULL);
	f->bus = hubd_test_session_bus();
}

/* The refresh token hubd keeps for a login, read from the keyring. */
static gchar *
keyring_refresh_token(const gchar *endpoint, const gchar *name)
{
	const gchar *const argv[] = {"secret-tool",
				     "lookup",
				     "xdg:schema",
				     "org.hubd.OAuthRefresh",
				     "endpoint",
				     endpoint,
				     "name",
				     name,
				     NULL};
	g_autofree gchar *out = NULL;

	if (hubd_test_run_command(argv, NULL, NULL, &out, NULL) != 0)
		return NULL;
	return g_steal_pointer(&out);
}

/* How many refresh-token items the keyring holds for a login (`name`
 * NULL: for every login to `endpoint`). */
static guint
keyring_refresh_items(const gchar *endpoint, const gchar *name)
{
	const gchar *argv[] = {"secret-tool",
			       "search",
			       "--all",
			       "xdg:schema",
			       "org.hubd.OAuthRefresh",
			       "endpoint",
			       endpoint,
			       name != NULL ? "name" : NULL,
			       name,
			       NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_auto(GStrv) lines = NULL;
	guint n = 0;

	/* the items go to stdout, their attributes to stderr */
	if (hubd_test_run_command(argv, NULL, NULL, &out, &err) != 0)
		return 0;
	lines = g_strsplit(out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++)
		if (lines[i][0] == '[')
			n++;
	return n;
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariantIter) iter = NULL;
	GVariant *entry;

	/* the keyring outlives a test case: leave it empty for the next one */
	reply = hubd_test_call(
		f->bus,
		AUTH_IFACE,
		"ListTokens",
		g_variant_new("(@a{sv})", g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
		G_VARIANT_TYPE("(aa{sv})"),
		NULL);
	g_variant_get(reply, "(aa{sv})", &iter);
	while ((entry = g_variant_iter_next_value(iter)) != NULL) {
		const gchar *name = NULL;
		g_autoptr(GVariant) done = NULL;

		g_variant_lookup(entry, "name", "&s", &name);
		done = hubd_test_call(
			f->bus,
			AUTH_IFACE,
			"Logout",
			g_variant_new("(s@a{sv})",
				      name,
				      g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
			NULL,
			NULL);
		g_variant_unref(entry);
	}
	/* and logging out left no refresh token behind, however soon it came
	 * after the login or a renewal */
	for (guint i = 0; i < 50 && keyring_refresh_items(f->hub->url, NULL) > 0; i++)
		g_usleep(100 * 1000);
	g_assert_cmpuint(keyring_refresh_items(f->hub->url, NULL), ==, 0);
	hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
}

static void
oauth_settings(Fixture *f, const gchar *json)
{
	g_autoptr(JsonNode) node = hubd_test_hub_admin(f->hub, "POST", "/_testhub/oauth", json);
}

/* The local Hub's record of the only device code so far. */
static JsonObject *
oauth_code(Fixture *f)
{
	g_autoptr(JsonNode) node = hubd_test_hub_admin(f->hub, "GET", "/_testhub/oauth", NULL);
	JsonArray *codes = json_object_get_array_member(json_node_get_object(node), "codes");

	g_assert_cmpuint(json_array_get_length(codes), ==, 1);
	return json_object_ref(json_array_get_object_element(codes, 0));
}

static gint64
oauth_counter(Fixture *f, const gchar *name)
{
	g_autoptr(JsonNode) node = hubd_test_hub_admin(f->hub, "GET", "/_testhub/oauth", NULL);

	return json_object_get_int_member(json_node_get_object(node), name);
}

/* LoginWeb(options); returns the job path, the device dict in *device. */
static gchar *
login_web(Fixture *f, GVariant *options, GVariant **device)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = hubd_test_call(f->bus,
						   AUTH_IFACE,
						   "LoginWeb",
						   g_variant_new("(@a{sv})", options),
						   G_VARIANT_TYPE("(oa{sv})"),
						   &error);
	gchar *path = NULL;

	g_assert_no_error(error);
	g_variant_get(reply, "(o@a{sv})", &path, device);
	return path;
}

static GVariant *
no_options(void)
{
	return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
}

/* Polls the local Hub until hubd has polled the code `n` times. */
static void
wait_polls(Fixture *f, guint n)
{
	for (guint i = 0; i < 600; i++) {
		g_autoptr(JsonObject) code = oauth_code(f);
		if (json_array_get_length(json_object_get_array_member(code, "polls")) >= n)
			return;
		g_usleep(100 * 1000);
	}
	g_assert_not_reached();
}

static void
admin_code(Fixture *f, const gchar *what, const gchar *user_code, const gchar *user)
{
	g_autofree gchar *path = g_strdup_printf("/_testhub/oauth/%s", what);
	g_autofree gchar *body =
		user != NULL
			? g_strdup_printf("{\"user_code\":\"%s\",\"user\":\"%s\"}", user_code, user)
			: g_strdup_printf("{\"user_code\":\"%s\"}", user_code);
	g_autoptr(JsonNode) node = hubd_test_hub_admin(f->hub, "POST", path, body);
}

static gchar *
get_token(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = hubd_test_call(f->bus,
						   AUTH_IFACE,
						   "GetToken",
						   g_variant_new("(@a{sv})", no_options()),
						   G_VARIANT_TYPE("(s)"),
						   &error);
	gchar *token = NULL;

	g_assert_no_error(error);
	g_variant_get(reply, "(s)", &token);
	return token;
}

static gchar *
whoami_user(Fixture *f, GError **error)
{
	GVariantBuilder options;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) dict = NULL;
	const gchar *user = NULL;

	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&options, "{sv}", "refresh", g_variant_new_boolean(TRUE));
	reply = hubd_test_call(f->bus,
			       AUTH_IFACE,
			       "WhoAmI",
			       g_variant_new("(a{sv})", &options),
			       G_VARIANT_TYPE("(a{sv})"),
			       error);
	if (reply == NULL)
		return NULL;
	g_variant_get(reply, "(@a{sv})", &dict);
	g_assert_true(g_variant_lookup(dict, "name", "&s", &user));
	return g_strdup(user);
}

/* pending, slow_down, approval: the token is stored, active and works */
static void
test_oauth_approve(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) device = NULL;
	g_autofree gchar *job = NULL;
	g_autoptr(JsonObject) code = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *user = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *refresh = NULL;
	g_autofree gchar *uri = NULL;
	g_autofree gchar *log = NULL;
	g_autoptr(GVariant) logout = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *user_code = NULL;
	const gchar *s = NULL;
	gboolean opened = TRUE;
	gint64 expires_at = 0;
	guint32 expires_in = 0;
	JsonArray *polls;
	gint64 gap;

	oauth_settings(f, "{\"interval\": 1, \"slow_down\": 1}");
	job = login_web(f, no_options(), &device);
	g_assert_true(g_variant_lookup(device, "user_code", "&s", &user_code));
	g_assert_true(g_regex_match_simple("^[A-Z]{4}-[0-9]{4}$", user_code, 0, 0));
	g_assert_true(g_variant_lookup(device, "verification_uri", "&s", &s));
	uri = g_strdup_printf("%s/oauth/device", f->hub->url);
	g_assert_cmpstr(s, ==, uri);
	/* the Hub sends no verification_uri_complete: the plain address stands in */
	g_assert_true(g_variant_lookup(device, "verification_uri_complete", "&s", &s));
	g_assert_cmpstr(s, ==, uri);
	g_assert_true(g_variant_lookup(device, "expires_in", "u", &expires_in));
	g_assert_cmpuint(expires_in, ==, 300);
	g_assert_true(g_variant_lookup(device, "browser_opened", "b", &opened));
	g_assert_false(opened);

	/* first poll answered slow_down, the second authorization_pending */
	wait_polls(f, 3);
	code = oauth_code(f);
	g_assert_cmpstr(json_object_get_string_member(code, "state"), ==, "pending");
	polls = json_object_get_array_member(code, "polls");
	gap = json_array_get_int_element(polls, 1) - json_array_get_int_element(polls, 0);
	/* interval 1 s, then 1 + 5 after slow_down (timers may round down by < 1 s) */
	g_assert_cmpint(gap, >=, 5000);
	admin_code(f, "approve", user_code, "alice");

	r = hubd_test_job_wait(f->bus, job, JOB_WAIT);
	g_assert_cmpstr(r->error_name, ==, "");
	g_assert_true(g_variant_lookup(r->result, "user", "&s", &s));
	g_assert_cmpstr(s, ==, "alice");
	g_assert_true(g_variant_lookup(r->result, "name", "&s", &s));
	g_assert_cmpstr(s, ==, "oauth-alice");
	g_assert_true(g_variant_lookup(r->result, "storage", "&s", &s));
	g_assert_cmpstr(s, ==, "keyring");
	g_assert_true(g_variant_lookup(r->result, "expires_at", "x", &expires_at));
	g_assert_cmpint(expires_at, >, g_get_real_time() / G_USEC_PER_SEC + 2591999 - 120);

	/* the new token is active and works for every app */
	user = whoami_user(f, NULL);
	g_assert_cmpstr(user, ==, "alice");
	token = get_token(f);
	g_assert_true(g_str_has_prefix(token, "hf_oauth_"));
	refresh = keyring_refresh_token(f->hub->url, "oauth-alice");
	g_assert_nonnull(refresh);
	g_assert_true(g_str_has_prefix(refresh, "hf_oauth_refresh_"));
	/* and the code is spent */
	g_clear_pointer(&code, json_object_unref);
	code = oauth_code(f);
	g_assert_cmpstr(json_object_get_string_member(code, "state"), ==, "used");

	/* no secret in hubd's log, even at debug level */
	log = hubd_test_daemon_read_log(f->daemon);
	g_assert_null(strstr(log, token));
	g_assert_null(strstr(log, refresh));
	/* logging out forgets the refresh token too */
	logout = hubd_test_call(f->bus,
				AUTH_IFACE,
				"Logout",
				g_variant_new("(s@a{sv})", "oauth-alice", no_options()),
				NULL,
				&error);
	g_assert_no_error(error);
	for (guint i = 0; i < 100 && refresh != NULL; i++) {
		g_free(refresh);
		refresh = keyring_refresh_token(f->hub->url, "oauth-alice");
		g_usleep(50 * 1000);
	}
	g_assert_null(refresh);
}

/* a denied login fails the job with Forbidden and stores nothing */
static void
test_oauth_deny(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) device = NULL;
	g_autofree gchar *job = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *user = NULL;
	const gchar *user_code = NULL;

	oauth_settings(f, "{\"interval\": 1}");
	job = login_web(f, no_options(), &device);
	g_assert_true(g_variant_lookup(device, "user_code", "&s", &user_code));
	wait_polls(f, 1);
	admin_code(f, "deny", user_code, NULL);
	r = hubd_test_job_wait(f->bus, job, JOB_WAIT);
	g_assert_cmpstr(r->error_name, ==, "org.hubd.Hub1.Error.Forbidden");
	g_assert_nonnull(strstr(r->message, "denied"));
	user = whoami_user(f, &error);
	hubd_test_assert_remote_error(error, "org.hubd.Hub1.Error.NotLoggedIn");
	g_assert_cmpint(oauth_counter(f, "issued"), ==, 0);
}

/* a code nobody approves expires: Unauthorized, nothing stored */
static void
test_oauth_expired(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) device = NULL;
	g_autofree gchar *job = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *user = NULL;

	oauth_settings(f, "{\"interval\": 1, \"device_expires_in\": 2}");
	job = login_web(f, no_options(), &device);
	r = hubd_test_job_wait(f->bus, job, JOB_WAIT);
	g_assert_cmpstr(r->error_name, ==, "org.hubd.Hub1.Error.Unauthorized");
	g_assert_nonnull(strstr(r->message, "expired"));
	user = whoami_user(f, &error);
	hubd_test_assert_remote_error(error, "org.hubd.Hub1.Error.NotLoggedIn");
}

/* Logs in as alice through the browser flow, with tokens that live
 * `expires_in` s; returns the access token and the stored refresh token. */
static void
login_alice(Fixture *f, guint expires_in, gchar **token, gchar **refresh)
{
	g_autofree gchar *settings = g_strdup_printf(
		"{\"interval\": 1, \"token_expires_in\": %u, \"approve_user\": \"alice\", "
		"\"approve_after\": 1}",
		expires_in);
	g_autoptr(GVariant) device = NULL;
	g_autofree gchar *job = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;

	oauth_settings(f, settings);
	job = login_web(f, no_options(), &device);
	r = hubd_test_job_wait(f->bus, job, JOB_WAIT);
	g_assert_cmpstr(r->error_name, ==, "");
	*token = get_token(f);
	*refresh = keyring_refresh_token(f->hub->url, "oauth-alice");
	g_assert_nonnull(*refresh);
}

/* the access token is renewed before it expires; apps never notice */
static void
test_oauth_refresh(Fixture *f, gconstpointer data)
{
	g_autofree gchar *first = NULL;
	g_autofree gchar *renewed = NULL;
	g_autofree gchar *first_refresh = NULL;
	g_autofree gchar *renewed_refresh = NULL;
	g_autofree gchar *user = NULL;
	g_autofree gchar *body = NULL;
	guint i;

	/* tokens live 16 s: hubd renews each after half its life, which leaves 8 s
	 * for a busy machine to do it before the first one expires */
	login_alice(f, 16, &first, &first_refresh);

	/* the first token expires at the Hub; by then hubd has renewed it */
	for (i = 0; i < 600 && oauth_counter(f, "expired") < 1; i++)
		g_usleep(100 * 1000);
	g_assert_cmpint(oauth_counter(f, "expired"), >=, 1);
	g_assert_cmpint(oauth_counter(f, "refreshed"), >=, 1);
	g_assert_cmpuint(hubd_test_hub_http(f->hub, "GET", "/api/whoami-v2", first, NULL, &body),
			 ==,
			 401);
	for (i = 0; i < 100; i++) {
		g_free(renewed);
		renewed = get_token(f);
		if (g_strcmp0(renewed, first) != 0)
			break;
		g_usleep(100 * 1000);
	}
	g_assert_cmpstr(renewed, !=, first);
	user = whoami_user(f, NULL);
	g_assert_cmpstr(user, ==, "alice");
	/* the refresh token rotated, and the new one replaced the old in the
	 * keyring before the new access token was stored: the Hub spent the
	 * old one, so it must never be all the keyring holds */
	renewed_refresh = keyring_refresh_token(f->hub->url, "oauth-alice");
	g_assert_nonnull(renewed_refresh);
	g_assert_cmpstr(renewed_refresh, !=, first_refresh);
	/* one item, once the renewal running now (one every 8 s) has pruned */
	for (i = 0; i < 50 && keyring_refresh_items(f->hub->url, "oauth-alice") != 1; i++)
		g_usleep(100 * 1000);
	g_assert_cmpuint(keyring_refresh_items(f->hub->url, "oauth-alice"), ==, 1);
}

/* A renewal killed after it stored the new refresh token but before it
 * deleted the spent one leaves both: the next hubd renews with the new
 * one at once, and keeps one item */
static void
test_oauth_refresh_interrupted(Fixture *f, gconstpointer data)
{
	g_autofree gchar *first = NULL;
	g_autofree gchar *renewed = NULL;
	g_autofree gchar *first_refresh = NULL;
	g_autofree gchar *user = NULL;
	g_autofree gchar *last_refresh = NULL;
	g_autofree gchar *expires = NULL;
	g_autoptr(GHashTable) form = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	g_autoptr(JsonNode) grant = NULL;
	const gchar *rotated;
	guint i;

	/* tokens live an hour: nothing is due for renewal during the test */
	login_alice(f, 3600, &first, &first_refresh);
	g_assert_cmpuint(keyring_refresh_items(f->hub->url, "oauth-alice"), ==, 1);
	hubd_test_daemon_stop(f->daemon);

	/* the renewal hubd was killed in: the Hub rotated the refresh token,
	 * and the new one was stored next to the spent one */
	g_hash_table_insert(form, (gpointer) "grant_type", g_strdup("refresh_token"));
	g_hash_table_insert(form, (gpointer) "client_id", g_strdup("hubd-test"));
	g_hash_table_insert(form, (gpointer) "refresh_token", g_strdup(first_refresh));
	grant = hubd_test_hub_post_form(f->hub, "/oauth/token", form);
	rotated = json_object_get_string_member(json_node_get_object(grant), "refresh_token");
	g_assert_nonnull(rotated);
	/* issued later than the login's, so it expires later: a minute, to
	 * differ from the login's expiry whatever second this runs in */
	expires = g_strdup_printf("%" G_GINT64_FORMAT, g_get_real_time() / G_USEC_PER_SEC + 3660);
	{
		const gchar *const argv[] = {"secret-tool",
					     "store",
					     "--label=Hugging Face refresh token (oauth-alice)",
					     "xdg:schema",
					     "org.hubd.OAuthRefresh",
					     "endpoint",
					     f->hub->url,
					     "name",
					     "oauth-alice",
					     "expires_at",
					     expires,
					     NULL};
		g_assert_cmpint(hubd_test_run_command(argv, NULL, rotated, NULL, NULL), ==, 0);
	}
	g_assert_cmpuint(keyring_refresh_items(f->hub->url, "oauth-alice"), ==, 2);
	g_assert_cmpint(oauth_counter(f, "refreshed"), ==, 1);

	daemon_start(f, FALSE);
	for (i = 0; i < 300 && oauth_counter(f, "refreshed") < 2; i++)
		g_usleep(100 * 1000);
	g_assert_cmpint(oauth_counter(f, "refreshed"), ==, 2);
	for (i = 0; i < 100; i++) {
		g_free(renewed);
		renewed = get_token(f);
		if (g_strcmp0(renewed, first) != 0 &&
		    keyring_refresh_items(f->hub->url, "oauth-alice") == 1)
			break;
		g_usleep(100 * 1000);
	}
	g_assert_cmpstr(renewed, !=, first);
	user = whoami_user(f, NULL);
	g_assert_cmpstr(user, ==, "alice");
	g_assert_cmpuint(keyring_refresh_items(f->hub->url, "oauth-alice"), ==, 1);
	last_refresh = keyring_refresh_token(f->hub->url, "oauth-alice");
	g_assert_nonnull(last_refresh);
	g_assert_cmpstr(last_refresh, !=, first_refresh);
	g_assert_cmpstr(last_refresh, !=, rotated);
}

/* `hubctl auth login --web`: prints the address and code, waits, logs in */
static void
test_oauth_cli(Fixture *f, gconstpointer data)
{
	const gchar *const argv[] = {"auth", "login", "--web", "--no-browser", NULL};
	const gchar *const bad[] = {"auth", "login", "--web", "--token-stdin", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *uri = g_strdup_printf("%s/oauth/device", f->hub->url);
	g_autoptr(JsonObject) code = NULL;
	g_autofree gchar *user = NULL;

	oauth_settings(f, "{\"interval\": 1, \"approve_user\": \"bob\", \"approve_after\": 2}");
	g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, &err), ==, 0);
	code = oauth_code(f);
	g_assert_nonnull(strstr(err, uri));
	g_assert_nonnull(strstr(err, json_object_get_string_member(code, "user_code")));
	g_assert_nonnull(strstr(out, "Logged in as bob (token “oauth-bob”"));
	user = whoami_user(f, NULL);
	g_assert_cmpstr(user, ==, "bob");

	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(bad, NULL, &out, &err), ==, 64);
	g_assert_nonnull(strstr(err, "--web"));
}

/* A "browser": a desktop file, the default handler of http URLs in
 * mimeapps.list, whose program writes the URL it is given to a file.
 * Returns that file's path. The daemon reads these at the first launch. */
static gchar *
browser_install(void)
{
	const gchar *data = g_getenv("XDG_DATA_HOME");
	const gchar *config = g_getenv("XDG_CONFIG_HOME");
	g_autofree gchar *script = g_build_filename(data, "fake-browser.sh", NULL);
	g_autofree gchar *desktop =
		g_build_filename(data, "applications", "fake-browser.desktop", NULL);
	g_autofree gchar *mimeapps = g_build_filename(config, "mimeapps.list", NULL);
	g_autofree gchar *opened = g_build_filename(data, "browser-opened.txt", NULL);
	g_autofree gchar *script_text =
		g_strdup_printf("#!/bin/sh\nprintf '%%s\\n' \"$1\" >> '%s'\n", opened);
	g_autofree gchar *desktop_text = g_strdup_printf("[Desktop Entry]\n"
							 "Type=Application\n"
							 "Name=Fake Browser\n"
							 "Exec=%s %%u\n"
							 "MimeType=x-scheme-handler/http;\n",
							 script);

	hubd_test_write_file(script, script_text);
	g_assert_cmpint(g_chmod(script, 0700), ==, 0);
	hubd_test_write_file(desktop, desktop_text);
	hubd_test_write_file(mimeapps,
			     "[Default Applications]\n"
			     "x-scheme-handler/http=fake-browser.desktop\n");
	g_remove(opened);
	return g_steal_pointer(&opened);
}

/* in a graphical session hubd opens the address in the default browser,
 * unless the call says not to */
static void
test_oauth_browser(Fixture *f, gconstpointer data)
{
	g_autofree gchar *opened = browser_install();
	g_autofree gchar *uri = g_strdup_printf("%s/oauth/device", f->hub->url);
	g_autofree gchar *contents = NULL;
	g_autoptr(GVariant) device = NULL;
	g_autoptr(GVariant) device2 = NULL;
	g_autofree gchar *job = NULL;
	g_autofree gchar *job2 = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(HubdTestJobResult) r2 = NULL;
	GVariantBuilder options;
	gboolean browser_opened = FALSE;
	guint i;

	oauth_settings(f, "{\"interval\": 1, \"approve_user\": \"alice\", \"approve_after\": 2}");
	job = login_web(f, no_options(), &device);
	g_assert_true(g_variant_lookup(device, "browser_opened", "b", &browser_opened));
	g_assert_true(browser_opened);
	for (i = 0; i < 200 && !g_file_get_contents(opened, &contents, NULL, NULL); i++)
		g_usleep(50 * 1000);
	g_assert_nonnull(contents);
	g_assert_cmpstr(g_strstrip(contents), ==, uri);
	r = hubd_test_job_wait(f->bus, job, JOB_WAIT);
	g_assert_cmpstr(r->error_name, ==, "");

	/* open_browser=false: the address is only returned */
	g_remove(opened);
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&options, "{sv}", "open_browser", g_variant_new_boolean(FALSE));
	job2 = login_web(f, g_variant_builder_end(&options), &device2);
	g_assert_true(g_variant_lookup(device2, "browser_opened", "b", &browser_opened));
	g_assert_false(browser_opened);
	r2 = hubd_test_job_wait(f->bus, job2, JOB_WAIT);
	g_assert_cmpstr(r2->error_name, ==, "");
	g_assert_false(g_file_test(opened, G_FILE_TEST_EXISTS));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/oauth/approve", test_oauth_approve);
	ADD("/oauth/deny", test_oauth_deny);
	ADD("/oauth/expired", test_oauth_expired);
	ADD("/oauth/refresh", test_oauth_refresh);
	ADD("/oauth/refresh/interrupted", test_oauth_refresh_interrupted);
	ADD("/oauth/cli", test_oauth_cli);
	g_test_add("/oauth/browser",
		   Fixture,
		   "graphical",
		   fixture_setup,
		   test_oauth_browser,
		   fixture_teardown);
	return g_test_run();
}
