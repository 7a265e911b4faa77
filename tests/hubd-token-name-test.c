/* hubd-token-name-test.c: a stored token per call (token_name, hubctl
 * --token-name) — bob's token used for one call while alice's stays active,
 * over D-Bus and hubctl, for Repos, Transfers and Auth.WhoAmI; an unknown
 * name; no token in the daemon's debug log */
#define G_LOG_DOMAIN "HubdTokenNameTest"

#include <glib/gstdio.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-test-job.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define BOB_WRITE   "hf_bob_write_00000000000000000000000"
#define BOB_REPO    "bob/tn-private"
#define JOB_MS      20000

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
	gchar *dir;
} Fixture;

static void
login(const gchar *token, const gchar *name)
{
	const gchar *argv[] = {"auth", "login", "--token-stdin", "--name", name, NULL};
	g_autofree gchar *stdin_text = g_strconcat(token, "\n", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	g_assert_cmpint(hubd_test_run_hubctl(argv, stdin_text, &out, &err), ==, 0);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *args[] = {"--set", "http.retry-base-ms=50", "--endpoint", NULL, NULL};
	const gchar *env[] = {"G_MESSAGES_DEBUG=all", NULL};

	f->hub = hubd_test_hub_start(NULL);
	f->bus = hubd_test_session_bus();
	args[3] = f->hub->url;
	f->daemon = hubd_test_daemon_start(args, env);
	f->dir = g_dir_make_tmp("hubd-token-name-XXXXXX", NULL);
	/* bob first: the last login is the active token, alice's */
	login(BOB_WRITE, "bob-w");
	login(ALICE_WRITE, "alice-w");
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	const gchar *rm[] = {"rm", "-rf", f->dir, NULL};

	hubd_test_run_command(rm, NULL, NULL, NULL, NULL);
	g_free(f->dir);
	hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
}

/* {"token_name": name} (no key when NULL) */
static GVariant *
opts(const gchar *token_name)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	if (token_name != NULL)
		g_variant_builder_add(&b, "{sv}", "token_name", g_variant_new_string(token_name));
	return g_variant_builder_end(&b);
}

static GVariant *
repo_info(Fixture *f, const gchar *token_name, GError **error)
{
	return hubd_test_call(f->bus,
			      "org.hubd.Hub1.Repos",
			      "Info",
			      g_variant_new("(sss@a{sv})", "model", BOB_REPO, "", opts(token_name)),
			      G_VARIANT_TYPE("(a{sv})"),
			      error);
}

static gchar *
whoami_name(Fixture *f, const gchar *token_name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = hubd_test_call(f->bus,
					       "org.hubd.Hub1.Auth",
					       "WhoAmI",
					       g_variant_new("(@a{sv})", opts(token_name)),
					       G_VARIANT_TYPE("(a{sv})"),
					       &error);
	g_autoptr(GVariant) dict = NULL;
	const gchar *name = NULL;

	g_assert_no_error(error);
	dict = g_variant_get_child_value(r, 0);
	g_assert_true(g_variant_lookup(dict, "name", "&s", &name));
	return g_strdup(name);
}

/* The name of the active token, from `hubctl auth list --json`. */
static gchar *
active_token(void)
{
	const gchar *argv[] = {"auth", "list", "--json", NULL};
	g_autofree gchar *out = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonArray *tokens;

	g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, NULL), ==, 0);
	g_assert_true(json_parser_load_from_data(parser, out, -1, NULL));
	tokens = json_node_get_array(json_parser_get_root(parser));
	for (guint i = 0; i < json_array_get_length(tokens); i++) {
		JsonObject *t = json_array_get_object_element(tokens, i);
		if (json_object_get_boolean_member(t, "active"))
			return g_strdup(json_object_get_string_member(t, "name"));
	}
	return NULL;
}

static void
test_repos_and_whoami(Fixture *f, gconstpointer data)
{
	const gchar *create_bob[] =
		{"--token-name", "bob-w", "repo", "create", BOB_REPO, "--private", NULL};
	const gchar *create_alice[] = {"repo", "create", "bob/tn-other", NULL};
	const gchar *info_unknown[] = {"--token-name", "nobody", "repo", "info", BOB_REPO, NULL};
	const gchar *no_name[] = {"--token-name", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *active = NULL;
	g_autofree gchar *who = NULL;
	g_autofree gchar *user = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) info = NULL;

	/* hubctl: bob's token creates in bob's namespace; alice's cannot */
	g_assert_cmpint(hubd_test_run_hubctl(create_bob, NULL, &out, &err), ==, 0);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(create_alice, NULL, NULL, &err), ==, 1);
	g_clear_pointer(&err, g_free);

	/* D-Bus: the private repo is bob's to read; the default token is alice's,
	 * as the Hub's log shows */
	info = repo_info(f, "bob-w", &error);
	g_assert_no_error(error);
	g_clear_pointer(&info, g_variant_unref);
	user = hubd_test_hub_last_user(f->hub, "GET", "^/api/models/bob/tn-private$");
	g_assert_cmpstr(user, ==, "bob");
	g_clear_pointer(&user, g_free);
	info = repo_info(f, NULL, &error);
	hubd_test_assert_remote_error(error, "org.hubd.Hub1.Error.RepoNotFound");
	g_clear_error(&error);
	user = hubd_test_hub_last_user(f->hub, "GET", "^/api/models/bob/tn-private$");
	g_assert_cmpstr(user, ==, "alice");

	/* whoami: active first, then bob, then active again: never the other's
	 * cached answer */
	who = whoami_name(f, NULL);
	g_assert_cmpstr(who, ==, "alice");
	g_clear_pointer(&who, g_free);
	who = whoami_name(f, "bob-w");
	g_assert_cmpstr(who, ==, "bob");
	g_clear_pointer(&who, g_free);
	who = whoami_name(f, NULL);
	g_assert_cmpstr(who, ==, "alice");

	/* alice's token stays the active one */
	active = active_token();
	g_assert_cmpstr(active, ==, "alice-w");

	/* an unknown name: NotLoggedIn naming it, over D-Bus and from hubctl */
	info = repo_info(f, "nobody", &error);
	hubd_test_assert_remote_error(error, "org.hubd.Hub1.Error.NotLoggedIn");
	g_assert_nonnull(strstr(error->message, "No stored token named “nobody”"));
	g_clear_error(&error);
	g_assert_cmpint(hubd_test_run_hubctl(info_unknown, NULL, NULL, &err), ==, 1);
	g_assert_nonnull(strstr(err, "No stored token named “nobody”"));
	g_clear_pointer(&err, g_free);
	/* --token-name without a name is a usage error */
	g_assert_cmpint(hubd_test_run_hubctl(no_name, NULL, NULL, &err), ==, 64);
}

static void
test_upload_download(Fixture *f, gconstpointer data)
{
	const gchar *create_bob[] =
		{"--token-name", "bob-w", "repo", "create", BOB_REPO, "--private", NULL};
	g_autofree gchar *local = g_build_filename(f->dir, "secret.txt", NULL);
	g_autofree gchar *dest = g_build_filename(f->dir, "out", NULL);
	g_autofree gchar *got = NULL;
	g_autofree gchar *log = NULL;
	const gchar *path = NULL;
	guint32 verified = 0;
	HubdTestJobResult *r;
	GVariantBuilder files;
	GVariantBuilder o;

	g_assert_cmpint(hubd_test_run_hubctl(create_bob, NULL, NULL, NULL), ==, 0);
	g_assert_true(g_file_set_contents(local, "bob's private bytes\n", -1, NULL));

	/* upload as bob into his private repo (no card: no publishing policy) */
	g_variant_builder_init(&o, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&o, "{sv}", "token_name", g_variant_new_string("bob-w"));
	g_variant_builder_add(&o, "{sv}", "no_policy", g_variant_new_boolean(TRUE));
	g_variant_builder_init(&files, G_VARIANT_TYPE("a(ss)"));
	g_variant_builder_add(&files, "(ss)", local, "secret.txt");
	r = hubd_test_run_job(f->bus,
			      "Upload",
			      g_variant_new("(sssa(ss)a{sv})", "model", BOB_REPO, "", &files, &o),
			      JOB_MS);
	g_assert_cmpstr(r->error_name, ==, "");
	hubd_test_job_result_free(r);

	/* the active token (alice's) cannot see it */
	r = hubd_test_run_job(
		f->bus,
		"Download",
		g_variant_new("(ssss@a{sv})", "model", BOB_REPO, "", "secret.txt", opts(NULL)),
		JOB_MS);
	g_assert_cmpstr(r->error_name, ==, "org.hubd.Hub1.Error.RepoNotFound");
	hubd_test_job_result_free(r);

	/* bob's token reads it, into a local_dir */
	g_variant_builder_init(&o, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&o, "{sv}", "token_name", g_variant_new_string("bob-w"));
	g_variant_builder_add(&o, "{sv}", "local_dir", g_variant_new_string(dest));
	r = hubd_test_run_job(f->bus,
			      "Download",
			      g_variant_new("(ssssa{sv})", "model", BOB_REPO, "", "secret.txt", &o),
			      JOB_MS);
	g_assert_cmpstr(r->error_name, ==, "");
	g_assert_true(g_variant_lookup(r->result, "path", "&s", &path));
	g_assert_true(g_file_get_contents(path, &got, NULL, NULL));
	g_assert_cmpstr(got, ==, "bob's private bytes\n");
	hubd_test_job_result_free(r);

	/* Cache.Verify asks the Hub for the listing with the call's token too: bob's
	 * private repo verifies with his name, and is not found with the active one */
	g_variant_builder_init(&o, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&o, "{sv}", "token_name", g_variant_new_string("bob-w"));
	g_variant_builder_add(&o, "{sv}", "local_dir", g_variant_new_string(dest));
	r = hubd_test_run_job(f->bus,
			      "org.hubd.Hub1.Cache.Verify",
			      g_variant_new("(sssa{sv})", "model", BOB_REPO, "", &o),
			      JOB_MS);
	g_assert_cmpstr(r->error_name, ==, "");
	g_assert_true(g_variant_lookup(r->result, "verified", "u", &verified));
	g_assert_cmpuint(verified, ==, 1);
	hubd_test_job_result_free(r);
	g_variant_builder_init(&o, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&o, "{sv}", "local_dir", g_variant_new_string(dest));
	r = hubd_test_run_job(f->bus,
			      "org.hubd.Hub1.Cache.Verify",
			      g_variant_new("(sssa{sv})", "model", BOB_REPO, "", &o),
			      JOB_MS);
	g_assert_cmpstr(r->error_name, ==, "org.hubd.Hub1.Error.RepoNotFound");
	hubd_test_job_result_free(r);

	/* an unknown name fails the job, typed */
	r = hubd_test_run_job(
		f->bus,
		"Download",
		g_variant_new("(ssss@a{sv})", "model", BOB_REPO, "", "secret.txt", opts("nobody")),
		JOB_MS);
	g_assert_cmpstr(r->error_name, ==, "org.hubd.Hub1.Error.NotLoggedIn");
	hubd_test_job_result_free(r);

	/* neither token is in the debug log */
	log = hubd_test_daemon_read_log(f->daemon);
	g_assert_nonnull(strstr(log, "secret.txt"));
	g_assert_null(strstr(log, BOB_WRITE));
	g_assert_null(strstr(log, ALICE_WRITE));
	g_assert_null(strstr(log, "hf_bob"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/token-name/repos-whoami",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_repos_and_whoami,
		   fixture_teardown);
	g_test_add("/token-name/upload-download",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_upload_download,
		   fixture_teardown);
	return g_test_run();
}
