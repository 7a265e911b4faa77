/* hubd-repos-test.c: org.hubd.Hub1.Repos against a real daemon and the local
 * Hub: create / delete / move / settings, private repos seen by another
 * user, HubUrl and input validation — each result read back from the Hub
 * another way (its HTTP API with curl, its request log) */
#define G_LOG_DOMAIN "HubdReposTest"

#include "hubd-repos-test-util.h"

/* ---- create, private, delete, move, settings ---- */

static void
test_create(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = create(f, "model", "alice/first", NULL);
	g_autofree gchar *expected = g_strconcat(f->hub->url, "/alice/first", NULL);
	g_autofree gchar *again = NULL;
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) info = NULL;

	g_assert_cmpstr(url, ==, expected);
	g_assert_cmpuint(hub_http(f, "GET", "/api/models/alice/first", NULL, NULL, NULL, &body),
			 ==,
			 200);
	info = hubd_test_parse_json(body);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(info), "id"),
			==,
			"alice/first");
	g_assert_false(json_object_get_boolean_member(json_node_get_object(info), "private"));

	/* a second create is a Conflict; with exist_ok it is the same repo */
	assert_call_error(f,
			  "Create",
			  g_variant_new_parsed("('model', 'alice/first', @a{sv} {})"),
			  ERR "Conflict");
	again = create(f, "model", "alice/first", "{'exist_ok': <true>}");
	g_assert_cmpstr(again, ==, expected);

	/* datasets and spaces live under their prefix; a space needs its sdk */
	g_clear_pointer(&url, g_free);
	url = create(f, "dataset", "acme/data", NULL);
	g_clear_pointer(&expected, g_free);
	expected = g_strconcat(f->hub->url, "/datasets/acme/data", NULL);
	g_assert_cmpstr(url, ==, expected);
	g_assert_cmpuint(hub_http(f, "GET", "/api/datasets/acme/data", NULL, NULL, NULL, NULL),
			 ==,
			 200);
	clear_request_log(f);
	assert_call_error(f,
			  "Create",
			  g_variant_new_parsed("('space', 'alice/app', @a{sv} {})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "Create",
			  g_variant_new_parsed("('model', 'alice/m', {'space_sdk': <'gradio'>})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "Create",
			  g_variant_new_parsed("('model', 'alice/m', {'privat': <true>})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "Create",
			  g_variant_new_parsed("('model', 'alice/m', {'private': <'yes'>})"),
			  ERR "InvalidArgument");
	/* a bare name cannot be created (the namespace is required) */
	assert_call_error(f,
			  "Create",
			  g_variant_new_parsed("('model', 'lonely', @a{sv} {})"),
			  ERR "InvalidArgument");
	g_assert_cmpuint(count_requests(f, NULL, NULL), ==, 0);
	g_clear_pointer(&url, g_free);
	url = create(f, "space", "alice/app", "{'space_sdk': <'gradio'>}");
	g_assert_true(g_str_has_suffix(url, "/spaces/alice/app"));
	g_clear_pointer(&body, g_free);
	g_assert_cmpuint(hub_http(f, "GET", "/api/spaces/alice/app", NULL, NULL, NULL, &body),
			 ==,
			 200);
	g_assert_nonnull(strstr(body, "\"sdk\":\"gradio\""));

	/* bob cannot write alice's namespace */
	assert_call_error(f,
			  "Create",
			  g_variant_new_parsed("('model', 'bob/nope', @a{sv} {})"),
			  ERR "Forbidden");
}

static void
test_private(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = create(f, "model", "alice/secret", "{'private': <true>}");
	const gchar *bob_env[] = {"HF_TOKEN=" BOB_WRITE, NULL};
	const gchar *bob_args[] = {"--no-bus", "--endpoint", f->hub->url, NULL};
	HubdTestDaemon *bob;
	g_autoptr(GDBusConnection) bob_c = NULL;
	g_autoptr(GVariant) info = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = NULL;
	g_autofree gchar *remote = NULL;
	gboolean priv = FALSE;
	const gchar *bob_url = NULL;

	/* alice sees it private; bob's token and no token do not see it */
	info = call_ok(f,
		       "Info",
		       g_variant_new_parsed("('model', 'alice/secret', '', @a{sv} {})"),
		       "(a{sv})");
	g_assert_true(g_variant_lookup(info, "private", "b", &priv));
	g_assert_true(priv);
	g_assert_cmpuint(
		hub_http(f, "GET", "/api/models/alice/secret", BOB_WRITE, NULL, NULL, NULL),
		==,
		404);
	g_assert_cmpuint(hub_http(f, "GET", "/api/models/alice/secret", NULL, NULL, NULL, NULL),
			 ==,
			 401);

	/* a second daemon, on its socket only, with bob's token */
	bob = hubd_test_daemon_start(bob_args, bob_env);
	bob_c = hubd_test_connect_socket(bob->socket_path);
	r = call_on(bob_c,
		    "Info",
		    g_variant_new_parsed("('model', 'alice/secret', '', @a{sv} {})"),
		    NULL,
		    &error);
	g_assert_null(r);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, ERR "RepoNotFound");
	g_clear_error(&error);
	g_clear_pointer(&remote, g_free);
	/* and cannot delete it either */
	r = call_on(bob_c,
		    "Delete",
		    g_variant_new_parsed("('model', 'alice/secret', @a{sv} {})"),
		    NULL,
		    &error);
	g_assert_null(r);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, ERR "RepoNotFound");
	g_clear_error(&error);
	g_clear_pointer(&remote, g_free);

	/* bob may not create in alice's namespace; with exist_ok an existing
	 * repo he can see is fine (huggingface_hub's create_repo), a private
	 * one he cannot see is not */
	r = call_on(bob_c,
		    "Create",
		    g_variant_new_parsed("('model', 'alice/public', {'exist_ok': <true>})"),
		    NULL,
		    &error);
	g_assert_null(r);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, ERR "Forbidden");
	g_clear_error(&error);
	g_clear_pointer(&remote, g_free);
	g_free(create(f, "model", "alice/public", NULL));
	r = call_on(bob_c,
		    "Create",
		    g_variant_new_parsed("('model', 'alice/public', {'exist_ok': <true>})"),
		    "(s)",
		    &error);
	g_assert_no_error(error);
	g_variant_get(r, "(&s)", &bob_url);
	g_assert_true(g_str_has_suffix(bob_url, "/alice/public"));
	g_clear_pointer(&r, g_variant_unref);
	r = call_on(bob_c,
		    "Create",
		    g_variant_new_parsed("('model', 'alice/secret', {'exist_ok': <true>})"),
		    NULL,
		    &error);
	g_assert_null(r);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, ERR "Forbidden");
	g_clear_object(&bob_c);
	hubd_test_daemon_stop(bob);
	g_assert_cmpuint(
		hub_http(f, "GET", "/api/models/alice/secret", ALICE_WRITE, NULL, NULL, NULL),
		==,
		200);
}

static void
test_settings(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = create(f, "model", "alice/gate", NULL);
	g_autoptr(GVariant) info = NULL;
	g_autofree gchar *gated = NULL;
	g_autofree gchar *body = NULL;
	gboolean priv = TRUE;

	g_assert_null(
		call_ok(f,
			"UpdateSettings",
			g_variant_new_parsed("('model', 'alice/gate', {'gated': <'manual'>})"),
			"()"));
	info = call_ok(f,
		       "Info",
		       g_variant_new_parsed("('model', 'alice/gate', '', @a{sv} {})"),
		       "(a{sv})");
	gated = dict_string(info, "gated");
	g_assert_cmpstr(gated, ==, "manual");
	g_assert_cmpuint(hub_http(f, "GET", "/api/models/alice/gate", NULL, NULL, NULL, &body),
			 ==,
			 200);
	g_assert_nonnull(strstr(body, "\"gated\":\"manual\""));

	/* private on, gating off, in one call; bob then sees nothing */
	g_assert_null(
		call_ok(f,
			"UpdateSettings",
			g_variant_new_parsed("('model', 'alice/gate', {'gated': <'false'>, "
					     "'private': <true>, 'discussions_disabled': <true>})"),
			"()"));
	g_clear_pointer(&info, g_variant_unref);
	info = call_ok(f,
		       "Info",
		       g_variant_new_parsed("('model', 'alice/gate', '', @a{sv} {})"),
		       "(a{sv})");
	g_clear_pointer(&gated, g_free);
	gated = dict_string(info, "gated");
	g_assert_cmpstr(gated, ==, "false");
	g_assert_true(g_variant_lookup(info, "private", "b", &priv));
	g_assert_true(priv);
	g_assert_cmpuint(hub_http(f, "GET", "/api/models/alice/gate", BOB_WRITE, NULL, NULL, NULL),
			 ==,
			 404);
	g_assert_null(call_ok(f,
			      "UpdateSettings",
			      g_variant_new_parsed("('model', 'alice/gate', {'private': <false>})"),
			      "()"));
	g_assert_cmpuint(hub_http(f, "GET", "/api/models/alice/gate", BOB_WRITE, NULL, NULL, NULL),
			 ==,
			 200);

	/* bad settings are refused before anything is sent */
	clear_request_log(f);
	assert_call_error(f,
			  "UpdateSettings",
			  g_variant_new_parsed("('model', 'alice/gate', {'gated': <'sometimes'>})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "UpdateSettings",
			  g_variant_new_parsed("('model', 'alice/gate', @a{sv} {})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "UpdateSettings",
			  g_variant_new_parsed("('model', 'alice/gate', {'gated': <true>})"),
			  ERR "InvalidArgument");
	g_assert_cmpuint(count_requests(f, NULL, NULL), ==, 0);
}

static void
test_delete(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = create(f, "dataset", "alice/gone", NULL);

	g_assert_cmpuint(
		hub_http(f, "GET", "/api/datasets/alice/gone", ALICE_WRITE, NULL, NULL, NULL),
		==,
		200);
	g_assert_null(call_ok(f,
			      "Delete",
			      g_variant_new_parsed("('dataset', 'alice/gone', @a{sv} {})"),
			      "()"));
	g_assert_cmpuint(
		hub_http(f, "GET", "/api/datasets/alice/gone", ALICE_WRITE, NULL, NULL, NULL),
		==,
		404);
	assert_call_error(f,
			  "Delete",
			  g_variant_new_parsed("('dataset', 'alice/gone', @a{sv} {})"),
			  ERR "RepoNotFound");
	g_assert_null(
		call_ok(f,
			"Delete",
			g_variant_new_parsed("('dataset', 'alice/gone', {'missing_ok': <true>})"),
			"()"));
	assert_call_error(f,
			  "Info",
			  g_variant_new_parsed("('dataset', 'alice/gone', '', @a{sv} {})"),
			  ERR "RepoNotFound");
}

static void
test_move(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = create(f, "model", "alice/old-name", NULL);
	g_autoptr(GVariant) moved = NULL;
	g_autoptr(GVariant) info = NULL;
	g_autofree gchar *expected = g_strconcat(f->hub->url, "/acme/new-name", NULL);
	g_autofree gchar *id = NULL;

	moved = call_ok(
		f,
		"Move",
		g_variant_new_parsed("('model', 'alice/old-name', 'acme/new-name', @a{sv} {})"),
		"(s)");
	g_assert_cmpstr(g_variant_get_string(moved, NULL), ==, expected);
	g_assert_cmpuint(hub_http(f, "GET", "/api/models/acme/new-name", NULL, NULL, NULL, NULL),
			 ==,
			 200);
	/* the old id answers a redirect on the Hub, which the daemon follows */
	g_assert_cmpuint(hub_http(f, "GET", "/api/models/alice/old-name", NULL, NULL, NULL, NULL),
			 ==,
			 307);
	info = call_ok(f,
		       "Info",
		       g_variant_new_parsed("('model', 'alice/old-name', '', @a{sv} {})"),
		       "(a{sv})");
	id = dict_string(info, "id");
	g_assert_cmpstr(id, ==, "acme/new-name");
	assert_call_error(f,
			  "Move",
			  g_variant_new_parsed("('model', 'alice/nothing', 'alice/x', @a{sv} {})"),
			  ERR "RepoNotFound");
	assert_call_error(f,
			  "Move",
			  g_variant_new_parsed("('model', 'acme/new-name', 'new-name', @a{sv} {})"),
			  ERR "InvalidArgument");
}

static void
test_not_logged_in(Fixture *f, gconstpointer data)
{
	clear_request_log(f);
	assert_call_error(f,
			  "Create",
			  g_variant_new_parsed("('model', 'alice/anon', @a{sv} {})"),
			  ERR "NotLoggedIn");
	assert_call_error(f,
			  "CreateBranch",
			  g_variant_new_parsed("('model', 'alice/anon', '', 'dev', @a{sv} {})"),
			  ERR "NotLoggedIn");
	g_assert_cmpuint(count_requests(f, NULL, NULL), ==, 0);
}

/* ---- HubUrl and validation ---- */

static void
assert_hub_url(Fixture *f,
	       const gchar *type,
	       const gchar *id,
	       const gchar *file,
	       const gchar *rev,
	       const gchar *expected_suffix)
{
	g_autoptr(GVariant) url =
		call_ok(f,
			"HubUrl",
			g_variant_new_parsed("(%s, %s, %s, %s, @a{sv} {})", type, id, rev, file),
			"(s)");
	g_autofree gchar *expected = g_strconcat(f->hub->url, expected_suffix, NULL);

	g_assert_cmpstr(g_variant_get_string(url, NULL), ==, expected);
}

static void
test_hub_url(Fixture *f, gconstpointer data)
{
	clear_request_log(f);
	assert_hub_url(f,
		       "model",
		       "alice/m",
		       "config.json",
		       "",
		       "/alice/m/resolve/main/config.json");
	assert_hub_url(f,
		       "model",
		       "alice/m",
		       "dir/a b ü.txt",
		       "refs/pr/1",
		       "/alice/m/resolve/refs%2Fpr%2F1/dir/a%20b%20%C3%BC.txt");
	assert_hub_url(f,
		       "dataset",
		       "acme/d",
		       "data/train-00000.parquet",
		       "feature/x",
		       "/datasets/acme/d/resolve/feature%2Fx/data/train-00000.parquet");
	assert_hub_url(f,
		       "space",
		       "alice/app",
		       "app.py",
		       "v1.0",
		       "/spaces/alice/app/resolve/v1.0/app.py");
	assert_hub_url(f, "", "gpt2", "%.bin", "", "/gpt2/resolve/main/%25.bin");
	assert_call_error(
		f,
		"HubUrl",
		g_variant_new_parsed("('model', 'alice/m', '', '../etc/passwd', @a{sv} {})"),
		ERR "InvalidArgument");
	assert_call_error(f,
			  "HubUrl",
			  g_variant_new_parsed("('model', 'alice/m', '', '', @a{sv} {})"),
			  ERR "InvalidArgument");
	/* HubUrl takes no option yet: a key is refused, not ignored */
	assert_call_error(
		f,
		"HubUrl",
		g_variant_new_parsed("('model', 'alice/m', '', 'a', {'revision': <'v1'>})"),
		ERR "InvalidArgument");
	g_assert_cmpuint(count_requests(f, NULL, NULL), ==, 0);
}

static void
test_invalid_input(Fixture *f, gconstpointer data)
{
	const gchar *bad_ids[] = {"a--b/c", "../x", "x.git", "a/b/c", "", "datasets/x", "a..b/c"};
	const gchar *methods[] = {"Info", "Delete", "ListRefs", "CreateBranch"};

	clear_request_log(f);
	for (guint i = 0; i < G_N_ELEMENTS(bad_ids); i++) {
		for (guint m = 0; m < G_N_ELEMENTS(methods); m++) {
			GVariant *p;
			if (g_strcmp0(methods[m], "Info") == 0)
				p = g_variant_new_parsed("('model', %s, '', @a{sv} {})",
							 bad_ids[i]);
			else if (g_strcmp0(methods[m], "CreateBranch") == 0)
				p = g_variant_new_parsed("('model', %s, '', 'dev', @a{sv} {})",
							 bad_ids[i]);
			else
				p = g_variant_new_parsed("('model', %s, @a{sv} {})", bad_ids[i]);
			assert_call_error(f, methods[m], p, ERR "InvalidArgument");
		}
		assert_call_error(f,
				  "Create",
				  g_variant_new_parsed("('model', %s, @a{sv} {})", bad_ids[i]),
				  ERR "InvalidArgument");
	}
	/* bad types, revisions, paths, option names and option types */
	assert_call_error(f,
			  "Info",
			  g_variant_new_parsed("('models', 'alice/x', '', @a{sv} {})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "Info",
			  g_variant_new_parsed("('model', 'alice/x', '../main', @a{sv} {})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "Info",
			  g_variant_new_parsed("('model', 'alice/x', '/main', @a{sv} {})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "ListFiles",
			  g_variant_new_parsed("('model', 'alice/x', '', 'a/../b', @a{sv} {})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "ListFiles",
			  g_variant_new_parsed("('model', 'alice/x', '', '', {'recursive': <1>})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "ListCommits",
			  g_variant_new_parsed("('model', 'alice/x', '', {'limit': <-1>})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "CreateBranch",
			  g_variant_new_parsed("('model', 'alice/x', '', 'a/../b', @a{sv} {})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "CreateBranch",
			  g_variant_new_parsed("('model', 'alice/x', '', '', @a{sv} {})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "DeleteTag",
			  g_variant_new_parsed("('model', 'alice/x', 'v1', {'message': <'x'>})"),
			  ERR "InvalidArgument");
	/* the revision is an argument, in its place after the repo id */
	assert_call_error(
		f,
		"CreateBranch",
		g_variant_new_parsed("('model', 'alice/x', '', 'b', {'revision': <'v1'>})"),
		ERR "InvalidArgument");
	assert_call_error(f,
			  "Move",
			  g_variant_new_parsed("('model', 'alice/x', 'alice/x', @a{sv} {})"),
			  ERR "InvalidArgument");
	g_assert_cmpuint(count_requests(f, NULL, NULL), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

#define ADD(path, fn, data) g_test_add(path, Fixture, data, fixture_setup, fn, fixture_teardown)
	ADD("/repos/create", test_create, NULL);
	ADD("/repos/private", test_private, NULL);
	ADD("/repos/settings", test_settings, NULL);
	ADD("/repos/delete", test_delete, NULL);
	ADD("/repos/move", test_move, NULL);
	ADD("/repos/not-logged-in", test_not_logged_in, "anonymous");
	ADD("/repos/hub-url", test_hub_url, NULL);
	ADD("/repos/invalid-input", test_invalid_input, NULL);
#undef ADD
	return g_test_run();
}
