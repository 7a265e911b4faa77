/* hubd-repo-cli-test.c: `hubctl repo …` and `hubctl url` end to end — the
 * built hubctl, a real hubd on a private bus, the local Hub (with pages of 2
 * so every listing spans several pages). Each test checks what the Hub holds
 * afterwards (over HTTP with curl, or its state on disk), not only exit codes. */
#define G_LOG_DOMAIN "HubdRepoCliTest"

#include "hubd-repo-cli.h"

/* ---- tests ---- */

static void
test_create(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *expected = g_strconcat(f->hub->url, "/alice/cli-one\n", NULL);
	g_autoptr(JsonNode) hub = NULL;
	g_autoptr(JsonNode) info = NULL;
	JsonObject *o;
	gint rc;

	rc = hubctl(&out, &err, "repo", "create", "alice/cli-one", "--private", NULL);
	g_assert_cmpint(rc, ==, 0);
	g_assert_cmpstr(out, ==, expected);
	g_assert_cmpstr(err, ==, "");
	/* the Hub has it, private: alice sees it, anonymous callers do not */
	g_assert_cmpuint(hub_repo_get(f, "model", "alice/cli-one", &hub), ==, 200);
	g_assert_true(json_object_get_boolean_member(json_node_get_object(hub), "private"));
	g_assert_cmpuint(hub_http(f, "GET", "/api/models/alice/cli-one", NULL, NULL, NULL, NULL),
			 !=,
			 200);
	/* and info --json says so */
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "repo", "info", "alice/cli-one", "--json", NULL), ==, 0);
	info = hubd_test_parse_json(out);
	o = json_node_get_object(info);
	g_assert_cmpstr(json_object_get_string_member(o, "id"), ==, "alice/cli-one");
	g_assert_cmpstr(json_object_get_string_member(o, "type"), ==, "model");
	g_assert_true(json_object_get_boolean_member(o, "private"));
	g_assert_cmpstr(json_object_get_string_member(o, "gated"), ==, "false");
	g_assert_cmpstr(json_object_get_string_member(o, "sha"),
			==,
			json_object_get_string_member(json_node_get_object(hub), "sha"));

	/* again: 409 from the Hub, exit 1 and a clear message; --exist-ok passes */
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	rc = hubctl(&out, &err, "repo", "create", "alice/cli-one", NULL);
	assert_failed(rc, err, "alice/cli-one");
	g_assert_cmpstr(out, ==, "");
	g_clear_pointer(&out, g_free);
	rc = hubctl(&out, NULL, "repo", "create", "alice/cli-one", "--exist-ok", NULL);
	g_assert_cmpint(rc, ==, 0);
	g_assert_cmpstr(out, ==, expected);

	/* a dataset and a Space, in an org alice belongs to */
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&expected, g_free);
	expected = g_strconcat(f->hub->url, "/datasets/acme/data\n", NULL);
	g_assert_cmpint(
		hubctl(&out, NULL, "repo", "create", "acme/data", "--type", "dataset", NULL),
		==,
		0);
	g_assert_cmpstr(out, ==, expected);
	g_assert_cmpuint(hub_repo_get(f, "dataset", "acme/data", NULL), ==, 200);
	g_assert_cmpuint(hub_repo_get(f, "model", "acme/data", NULL), ==, 404);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&expected, g_free);
	expected = g_strconcat(f->hub->url, "/spaces/alice/demo\n", NULL);
	g_assert_cmpint(hubctl(&out,
			       NULL,
			       "repo",
			       "create",
			       "alice/demo",
			       "--type",
			       "space",
			       "--space-sdk",
			       "gradio",
			       NULL),
			==,
			0);
	g_assert_cmpstr(out, ==, expected);
	g_clear_pointer(&hub, json_node_unref);
	g_assert_cmpuint(hub_repo_get(f, "space", "alice/demo", &hub), ==, 200);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(hub), "sdk"),
			==,
			"gradio");
	/* a Space without an SDK is a bad command line */
	g_assert_cmpint(
		hubctl(NULL, NULL, "repo", "create", "alice/demo2", "--type", "space", NULL),
		==,
		64);
	g_assert_cmpuint(hub_repo_get(f, "space", "alice/demo2", NULL), ==, 404);
}

static void
test_delete(Fixture *f, gconstpointer data)
{
	g_autofree gchar *err = NULL;
	gint rc;

	create_repo("alice/doomed");
	create_repo("alice/doomed2");
	assert_quiet_ok("repo", "delete", "alice/doomed", "--yes");
	g_assert_cmpuint(hub_repo_get(f, "model", "alice/doomed", NULL), ==, 404);
	/* no terminal: no question, it proceeds */
	assert_quiet_ok("repo", "delete", "alice/doomed2");
	g_assert_cmpuint(hub_repo_get(f, "model", "alice/doomed2", NULL), ==, 404);

	rc = hubctl(NULL, &err, "repo", "delete", "alice/doomed", "-y", NULL);
	assert_failed(rc, err, "not found");
	assert_quiet_ok("repo", "delete", "alice/doomed", "-y", "--missing-ok");

	/* the type picks the repo */
	g_assert_cmpint(
		hubctl(NULL, NULL, "repo", "create", "alice/twin", "--type", "dataset", NULL),
		==,
		0);
	create_repo("alice/twin");
	assert_quiet_ok("repo", "delete", "alice/twin", "--type", "dataset", "-y");
	g_assert_cmpuint(hub_repo_get(f, "dataset", "alice/twin", NULL), ==, 404);
	g_assert_cmpuint(hub_repo_get(f, "model", "alice/twin", NULL), ==, 200);
}

/* hubctl on a terminal (script(1) gives it a pty), answering `answer` */
static gint
hubctl_on_tty(const gchar *args, const gchar *answer, gchar **out)
{
	g_autofree gchar *hubctl_q = g_shell_quote(g_getenv("HUBD_TEST_HUBCTL"));
	g_autofree gchar *command = g_strdup_printf("%s %s", hubctl_q, args);
	const gchar *argv[] = {"script", "-qec", command, "/dev/null", NULL};

	return hubd_test_run_command(argv, NULL, answer, out, NULL);
}

static void
test_delete_tty(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;

	create_repo("alice/asked");
	/* "n": nothing is deleted */
	g_assert_cmpint(hubctl_on_tty("repo delete alice/asked", "n\n", &out), ==, 1);
	g_assert_nonnull(strstr(out, "Delete the model “alice/asked” and all its files?"));
	g_assert_nonnull(strstr(out, "[y/N]"));
	g_assert_cmpuint(hub_repo_get(f, "model", "alice/asked", NULL), ==, 200);
	/* "y": deleted */
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl_on_tty("repo delete alice/asked", "y\n", &out), ==, 0);
	g_assert_cmpuint(hub_repo_get(f, "model", "alice/asked", NULL), ==, 404);
	/* --yes: no question */
	create_repo("alice/asked");
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl_on_tty("repo delete --yes alice/asked", NULL, &out), ==, 0);
	g_assert_null(strstr(out, "[y/N]"));
	g_assert_cmpuint(hub_repo_get(f, "model", "alice/asked", NULL), ==, 404);
}

static void
test_move(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *expected = g_strconcat(f->hub->url, "/acme/new-name\n", NULL);
	g_autofree gchar *commit = NULL;
	g_autoptr(JsonNode) hub = NULL;
	gint rc;

	create_repo("alice/old-name");
	commit = hub_commit(f, "alice/old-name", "Add a file", "a.txt", "hello\n", NULL);
	rc = hubctl(&out, &err, "repo", "move", "alice/old-name", "acme/new-name", NULL);
	g_assert_cmpint(rc, ==, 0);
	g_assert_cmpstr(out, ==, expected);
	g_assert_cmpuint(hub_repo_get(f, "model", "acme/new-name", &hub), ==, 200);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(hub), "sha"),
			==,
			commit);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "repo", "info", "acme/new-name", NULL), ==, 0);
	g_assert_nonnull(strstr(out, commit));

	g_clear_pointer(&err, g_free);
	rc = hubctl(NULL, &err, "repo", "move", "alice/never-was", "alice/other", NULL);
	assert_failed(rc, err, NULL);
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "move", "alice/old-name", NULL), ==, 64);
}

static void
test_settings(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autoptr(JsonNode) hub = NULL;
	g_autoptr(JsonNode) info = NULL;
	gchar **lines = NULL;
	gboolean seen_gated = FALSE;

	create_repo("alice/set");
	assert_quiet_ok("repo", "settings", "alice/set", "--gated", "manual");
	g_assert_cmpuint(hub_repo_get(f, "model", "alice/set", &hub), ==, 200);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(hub), "gated"),
			==,
			"manual");
	g_assert_false(json_object_get_boolean_member(json_node_get_object(hub), "private"));
	g_assert_cmpint(hubctl(&out, NULL, "repo", "info", "alice/set", "--json", NULL), ==, 0);
	info = hubd_test_parse_json(out);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(info), "gated"),
			==,
			"manual");
	/* the human form: aligned "Label:  value" lines */
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "repo", "info", "alice/set", NULL), ==, 0);
	g_assert_true(g_str_has_prefix(out, "ID:             alice/set\n"));
	lines = g_strsplit(out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (g_str_has_prefix(lines[i], "Gated:")) {
			g_assert_cmpstr(lines[i], ==, "Gated:          manual");
			seen_gated = TRUE;
		}
	}
	g_strfreev(lines);
	g_assert_true(seen_gated);

	assert_quiet_ok("repo", "settings", "alice/set", "--private", "true", "--gated", "false");
	g_clear_pointer(&hub, json_node_unref);
	g_assert_cmpuint(hub_repo_get(f, "model", "alice/set", &hub), ==, 200);
	g_assert_true(json_object_get_boolean_member(json_node_get_object(hub), "private"));
	g_assert_false(json_object_get_boolean_member(json_node_get_object(hub), "gated"));

	g_assert_cmpint(
		hubctl(NULL, NULL, "repo", "settings", "alice/set", "--gated", "maybe", NULL),
		==,
		64);
	g_assert_cmpint(
		hubctl(NULL, NULL, "repo", "settings", "alice/set", "--private", "sure", NULL),
		==,
		64);
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "settings", "alice/set", NULL), ==, 64);
}

static void
test_list(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autoptr(JsonNode) list = NULL;
	g_autofree gchar *ids = NULL;
	g_autofree gchar *commit = NULL;
	const gchar *names[] = {"alice/list-a",
				"alice/list-b",
				"alice/list-c",
				"alice/list-d",
				"alice/list-e",
				"acme/list-org",
				"alice/other",
				NULL};

	for (guint i = 0; names[i] != NULL; i++)
		create_repo(names[i]);
	commit = hub_commit(f,
			    "alice/list-c",
			    "Add a card",
			    "README.md",
			    "---\nlicense: mit\ntags:\n- shiny\n---\n# C\n",
			    NULL);

	/* pages of 2: the daemon follows the Link header */
	g_assert_cmpint(hubctl(&out, NULL, "repo", "list", "--author", "alice", "--json", NULL),
			==,
			0);
	list = hubd_test_parse_json(out);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(list)), ==, 6);
	{
		g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func(g_free);
		ids = json_column(list, "id");
		for (guint i = 0; names[i] != NULL; i++) {
			g_autofree gchar *needle = g_strconcat(names[i], ",", NULL);
			g_autofree gchar *haystack = g_strconcat(ids, ",", NULL);
			gboolean expect = g_str_has_prefix(names[i], "alice/");
			g_assert_true((strstr(haystack, needle) != NULL) == expect);
		}
	}
	/* every object has the documented members */
	{
		JsonObject *o = json_array_get_object_element(json_node_get_array(list), 0);
		g_assert_true(json_object_has_member(o, "author"));
		g_assert_true(json_object_has_member(o, "private"));
		g_assert_true(json_object_has_member(o, "last_modified"));
		g_assert_true(json_object_has_member(o, "tags"));
	}

	g_clear_pointer(&list, json_node_unref);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&ids, g_free);
	g_assert_cmpint(hubctl(&out,
			       NULL,
			       "repo",
			       "list",
			       "--search",
			       "list-",
			       "--sort",
			       "lastModified",
			       "--json",
			       NULL),
			==,
			0);
	list = hubd_test_parse_json(out);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(list)), ==, 6);
	/* newest first */
	for (guint i = 1; i < json_array_get_length(json_node_get_array(list)); i++) {
		JsonArray *a = json_node_get_array(list);
		const gchar *newer =
			json_object_get_string_member(json_array_get_object_element(a, i - 1),
						      "last_modified");
		const gchar *older =
			json_object_get_string_member(json_array_get_object_element(a, i),
						      "last_modified");
		g_assert_cmpstr(newer, >=, older);
	}

	g_clear_pointer(&list, json_node_unref);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "repo", "list", "--filter", "shiny", "--json", NULL),
			==,
			0);
	list = hubd_test_parse_json(out);
	ids = json_column(list, "id");
	g_assert_cmpstr(ids, ==, "alice/list-c");

	g_clear_pointer(&list, json_node_unref);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out,
			       NULL,
			       "repo",
			       "list",
			       "--filter",
			       "shiny",
			       "--filter",
			       "license:apache-2.0",
			       "--json",
			       NULL),
			==,
			0);
	list = hubd_test_parse_json(out);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(list)), ==, 0);

	g_clear_pointer(&list, json_node_unref);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "repo", "list", "--limit", "3", "--json", NULL), ==, 0);
	list = hubd_test_parse_json(out);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(list)), ==, 3);

	/* the table: a header, then one row per repo */
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "repo", "list", "--author", "acme", NULL), ==, 0);
	{
		g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
		g_assert_cmpuint(g_strv_length(lines), ==, 3); /* header, row, "" */
		g_assert_true(g_str_has_prefix(lines[0], "ID             PRIVATE  DOWNLOADS"));
		g_assert_true(g_str_has_prefix(lines[1], "acme/list-org  no       0"));
	}
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "repo", "list", "--author", "nobody-here", NULL), ==, 0);
	g_assert_cmpstr(out, ==, "No repositories found.\n");
}

static void
test_url(Fixture *f, gconstpointer data)
{
	struct {
		const gchar *args[8];
		const gchar *expected; /* after the endpoint */
	} cases[] = {
		{{"url", "alice/x", "config.json", NULL}, "/alice/x/resolve/main/config.json"},
		{{"url", "alice/x", "dir/my file é.txt", "--revision", "refs/pr/1", NULL},
		 "/alice/x/resolve/refs%2Fpr%2F1/dir/my%20file%20%C3%A9.txt"},
		{{"url", "--type", "dataset", "acme/data", "a b/c#d?.csv", "-r", "v1.0", NULL},
		 "/datasets/acme/data/resolve/v1.0/a%20b/c%23d%3F.csv"},
		{{"url", "alice/demo", "app.py", "--type", "space", NULL},
		 "/spaces/alice/demo/resolve/main/app.py"},
	};

	hub_requests_since(f);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;
		g_autofree gchar *expected =
			g_strconcat(f->hub->url, cases[i].expected, "\n", NULL);
		gint rc = hubd_test_run_hubctl(cases[i].args, NULL, &out, &err);
		g_assert_cmpint(rc, ==, 0);
		g_assert_cmpstr(out, ==, expected);
	}
	/* built locally: nothing was sent to the Hub */
	g_assert_cmpuint(hub_requests_since(f), ==, 0);
	/* (which the log would show: one request) */
	g_assert_cmpuint(hub_repo_get(f, "model", "alice/x", NULL), ==, 404);
	g_assert_cmpuint(hub_requests_since(f), ==, 1);
	g_assert_cmpint(hubctl(NULL, NULL, "url", "alice/x", NULL), ==, 64);
	g_assert_cmpint(hubctl(NULL, NULL, "url", "alice/x", "f", "--type", "models", NULL),
			==,
			64);
	{
		g_autofree gchar *err = NULL;
		gint rc = hubctl(NULL, &err, "url", "alice/bad..id", "f", NULL);
		assert_failed(rc, err, NULL);
	}
}

static void
test_errors(Fixture *f, gconstpointer data)
{
	g_autofree gchar *err = NULL;
	gint rc;

	create_repo("alice/here");
	rc = hubctl(NULL, &err, "repo", "info", "alice/not-here", NULL);
	assert_failed(rc, err, "alice/not-here");
	g_clear_pointer(&err, g_free);
	rc = hubctl(NULL, &err, "repo", "info", "alice/here", "--revision", "nope", NULL);
	assert_failed(rc, err, "nope");
	g_clear_pointer(&err, g_free);
	rc = hubctl(NULL, &err, "repo", "info", "alice/bad--id", NULL);
	assert_failed(rc, err, NULL);
	g_clear_pointer(&err, g_free);
	rc = hubctl(NULL, &err, "repo", "create", "no-namespace..x", NULL);
	assert_failed(rc, err, NULL);
	g_clear_pointer(&err, g_free);
	rc = hubctl(NULL, &err, "repo", "commits", "alice/not-here", NULL);
	assert_failed(rc, err, "alice/not-here");

	/* usage errors: 64, with the command named and a hint */
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(hubctl(NULL, &err, "repo", NULL), ==, 64);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(hubctl(NULL, &err, "repo", "frobnicate", NULL), ==, 64);
	g_assert_true(g_str_has_prefix(err, "hubctl repo: "));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(hubctl(NULL, &err, "repo", "create", NULL), ==, 64);
	g_assert_nonnull(strstr(err, "hubctl repo create --help"));
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "create", "a/b", "c/d", NULL), ==, 64);
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "create", "a/b", "--bogus", NULL), ==, 64);
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "info", "a/b", "--type", "models", NULL),
			==,
			64);
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "list", "--limit", "-1", NULL), ==, 64);
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "list", "extra", NULL), ==, 64);
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "commits", "a/b", "--limit", "x", NULL), ==, 64);
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "files", "a/b", "p", "q", NULL), ==, 64);
	/* nothing reached the Hub for these */
	g_assert_cmpuint(hub_repo_get(f, "model", "a/b", NULL), ==, 404);

	/* --help: exit 0, the usage line on stdout */
	{
		g_autofree gchar *out = NULL;
		g_assert_cmpint(hubctl(&out, NULL, "repo", "delete", "--help", NULL), ==, 0);
		g_assert_nonnull(strstr(out, "hubctl repo delete [OPTION…] REPO_ID"));
		g_assert_nonnull(strstr(out, "--missing-ok"));
		g_assert_nonnull(strstr(out, "--type"));
		g_clear_pointer(&out, g_free);
		g_assert_cmpint(hubctl(&out, NULL, "repo", "--help", NULL), ==, 0);
		g_assert_nonnull(strstr(out, "commits"));
		g_clear_pointer(&out, g_free);
		g_assert_cmpint(hubctl(&out, NULL, "help", "url", NULL), ==, 0);
		g_assert_nonnull(strstr(out, "hubctl url [OPTION…] REPO_ID FILENAME"));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/hubd/repo-cli/create", test_create);
	ADD("/hubd/repo-cli/delete", test_delete);
	ADD("/hubd/repo-cli/delete-tty", test_delete_tty);
	ADD("/hubd/repo-cli/move", test_move);
	ADD("/hubd/repo-cli/settings", test_settings);
	ADD("/hubd/repo-cli/list", test_list);
	ADD("/hubd/repo-cli/files", test_files);
	ADD("/hubd/repo-cli/branch-tag", test_branch_tag);
	ADD("/hubd/repo-cli/commits", test_commits);
	ADD("/hubd/repo-cli/url", test_url);
	ADD("/hubd/repo-cli/errors", test_errors);
#undef ADD
	return g_test_run();
}
