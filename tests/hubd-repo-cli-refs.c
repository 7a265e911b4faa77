/* hubd-repo-cli-refs.c: `hubctl repo files|branch|tag|commits` end to end
 * (part of hubd-repo-cli-test) */
#define G_LOG_DOMAIN "HubdRepoCliTest"

#include "hubd-repo-cli.h"

void
test_files(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(JsonNode) list = NULL;
	g_autofree gchar *paths = NULL;
	g_autofree gchar *commit = NULL;
	JsonObject *o;
	gint rc;

	create_repo("alice/tree");
	commit = hub_commit(f,
			    "alice/tree",
			    "Files",
			    "a.txt",
			    "hello\n",
			    "dir/b.txt",
			    "bee\n",
			    "dir/sub/c.txt",
			    "sea sea\n",
			    "dir/z.txt",
			    "zed\n",
			    NULL);
	g_assert_cmpint(hubctl(&out, NULL, "repo", "files", "alice/tree", "--json", NULL), ==, 0);
	list = hubd_test_parse_json(out);
	paths = json_column(list, "path");
	g_assert_cmpstr(paths, ==, ".gitattributes,a.txt,dir");
	o = json_array_get_object_element(json_node_get_array(list), 1);
	g_assert_cmpstr(json_object_get_string_member(o, "type"), ==, "file");
	g_assert_cmpint(json_object_get_int_member(o, "size"), ==, 6);
	g_assert_cmpuint(strlen(json_object_get_string_member(o, "oid")), ==, 40);
	g_assert_true(json_object_get_null_member(o, "lfs_sha256"));
	o = json_array_get_object_element(json_node_get_array(list), 2);
	g_assert_cmpstr(json_object_get_string_member(o, "type"), ==, "directory");

	g_clear_pointer(&list, json_node_unref);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&paths, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "repo", "files", "alice/tree", "-R", "--json", NULL),
			==,
			0);
	list = hubd_test_parse_json(out);
	paths = json_column(list, "path");
	g_assert_nonnull(strstr(paths, "dir/sub/c.txt"));
	g_assert_nonnull(strstr(paths, "dir/z.txt"));
	g_assert_nonnull(strstr(paths, "dir/b.txt"));
	g_assert_cmpuint(json_array_get_length(json_node_get_array(list)), ==, 7);

	g_clear_pointer(&list, json_node_unref);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&paths, g_free);
	g_assert_cmpint(hubctl(&out,
			       NULL,
			       "repo",
			       "files",
			       "alice/tree",
			       "dir",
			       "--revision",
			       commit,
			       "--json",
			       NULL),
			==,
			0);
	list = hubd_test_parse_json(out);
	paths = json_column(list, "path");
	g_assert_cmpstr(paths, ==, "dir/b.txt,dir/sub,dir/z.txt");

	/* a nested folder */
	g_clear_pointer(&list, json_node_unref);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&paths, g_free);
	g_assert_cmpint(
		hubctl(&out, NULL, "repo", "files", "alice/tree", "dir/sub", "--json", NULL),
		==,
		0);
	list = hubd_test_parse_json(out);
	paths = json_column(list, "path");
	g_assert_cmpstr(paths, ==, "dir/sub/c.txt");

	/* the table: folders end in '/', sizes are human */
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "repo", "files", "alice/tree", "dir", NULL), ==, 0);
	g_assert_cmpstr(out,
			==,
			"PATH       SIZE     LFS\n"
			"dir/b.txt  4 bytes\n"
			"dir/sub/\n"
			"dir/z.txt  4 bytes\n");

	rc = hubctl(NULL,
		    &err,
		    "repo",
		    "files",
		    "alice/tree",
		    "--revision",
		    "no-such-branch",
		    NULL);
	assert_failed(rc, err, "no-such-branch");
	g_clear_pointer(&err, g_free);
	rc = hubctl(NULL, &err, "repo", "files", "alice/tree", "nothing/here", NULL);
	assert_failed(rc, err, NULL);
}

/* The target of a branch or tag, from GET …/refs; NULL if there is none */
static gchar *
hub_ref_target(Fixture *f, const gchar *repo_id, const gchar *kind, const gchar *name)
{
	g_autofree gchar *path = g_strdup_printf("/api/models/%s/refs", repo_id);
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) root = NULL;
	JsonArray *refs;

	g_assert_cmpuint(hub_http(f, "GET", path, ALICE_WRITE, NULL, NULL, &body), ==, 200);
	root = hubd_test_parse_json(body);
	refs = json_object_get_array_member(json_node_get_object(root), kind);
	for (guint i = 0; i < json_array_get_length(refs); i++) {
		JsonObject *o = json_array_get_object_element(refs, i);
		if (g_strcmp0(json_object_get_string_member(o, "name"), name) == 0)
			return g_strdup(json_object_get_string_member(o, "targetCommit"));
	}
	return NULL;
}

void
test_branch_tag(Fixture *f, gconstpointer data)
{
	g_autofree gchar *first = NULL;
	g_autofree gchar *second = NULL;
	g_autofree gchar *target = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *state = NULL;
	g_autofree gchar *state_path = NULL;
	g_autoptr(JsonNode) list = NULL;
	gint rc;

	create_repo("alice/refs");
	first = hub_commit(f, "alice/refs", "One", "a.txt", "1\n", NULL);
	second = hub_commit(f, "alice/refs", "Two", "a.txt", "2\n", NULL);

	/* branches */
	assert_quiet_ok("repo", "branch", "create", "alice/refs", "dev");
	target = hub_ref_target(f, "alice/refs", "branches", "dev");
	g_assert_cmpstr(target, ==, second);
	g_clear_pointer(&target, g_free);
	assert_quiet_ok("repo", "branch", "create", "alice/refs", "old", "--revision", first);
	target = hub_ref_target(f, "alice/refs", "branches", "old");
	g_assert_cmpstr(target, ==, first);
	rc = hubctl(NULL, &err, "repo", "branch", "create", "alice/refs", "dev", NULL);
	assert_failed(rc, err, NULL);
	assert_quiet_ok("repo", "branch", "create", "alice/refs", "dev", "--exist-ok");
	g_assert_cmpint(hubctl(&out, NULL, "repo", "branch", "list", "alice/refs", "--json", NULL),
			==,
			0);
	list = hubd_test_parse_json(out);
	{
		g_autofree gchar *names = json_column(list, "name");
		g_assert_nonnull(strstr(names, "dev"));
		g_assert_nonnull(strstr(names, "main"));
	}
	assert_quiet_ok("repo", "branch", "delete", "alice/refs", "dev");
	g_clear_pointer(&target, g_free);
	target = hub_ref_target(f, "alice/refs", "branches", "dev");
	g_assert_null(target);

	/* tags, with a message; on another revision */
	assert_quiet_ok("repo",
			"tag",
			"create",
			"alice/refs",
			"v1.0",
			"-m",
			"First release",
			"--revision",
			first);
	target = hub_ref_target(f, "alice/refs", "tags", "v1.0");
	g_assert_cmpstr(target, ==, first);
	g_clear_pointer(&target, g_free);
	state_path = g_build_filename(f->hub->root, "repos", "models", "alice", "refs.json", NULL);
	g_assert_true(g_file_get_contents(state_path, &state, NULL, NULL));
	g_assert_nonnull(strstr(state, "\"First release\""));
	assert_quiet_ok("repo", "tag", "create", "alice/refs", "v2.0");
	g_clear_pointer(&err, g_free);
	rc = hubctl(NULL, &err, "repo", "tag", "create", "alice/refs", "v2.0", NULL);
	assert_failed(rc, err, NULL);

	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "repo", "tag", "list", "alice/refs", NULL), ==, 0);
	{
		g_autofree gchar *expected = g_strdup_printf("TAG   COMMIT\n"
							     "v1.0  %s\n"
							     "v2.0  %s\n",
							     first,
							     second);
		g_autofree gchar *expected_rev = g_strdup_printf("TAG   COMMIT\n"
								 "v2.0  %s\n"
								 "v1.0  %s\n",
								 second,
								 first);
		if (g_strcmp0(out, expected) != 0)
			g_assert_cmpstr(out, ==, expected_rev);
	}
	g_clear_pointer(&list, json_node_unref);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "repo", "tag", "list", "alice/refs", "--json", NULL),
			==,
			0);
	list = hubd_test_parse_json(out);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(list)), ==, 2);
	{
		JsonObject *o = json_array_get_object_element(json_node_get_array(list), 0);
		g_assert_true(
			g_str_has_prefix(json_object_get_string_member(o, "ref"), "refs/tags/v"));
		g_assert_cmpuint(strlen(json_object_get_string_member(o, "target_commit")), ==, 40);
	}

	assert_quiet_ok("repo", "tag", "delete", "alice/refs", "v1.0", "-y");
	target = hub_ref_target(f, "alice/refs", "tags", "v1.0");
	g_assert_null(target);
	g_clear_pointer(&err, g_free);
	rc = hubctl(NULL, &err, "repo", "tag", "delete", "alice/refs", "v1.0", "-y", NULL);
	assert_failed(rc, err, NULL);

	/* usage */
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "tag", NULL), ==, 64);
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "tag", "frob", "alice/refs", NULL), ==, 64);
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "tag", "create", "alice/refs", NULL), ==, 64);
	g_assert_cmpint(hubctl(NULL, NULL, "repo", "branch", "create", "alice/refs", NULL), ==, 64);
}

void
test_commits(Fixture *f, gconstpointer data)
{
	g_autofree gchar *c1 = NULL;
	g_autofree gchar *c2 = NULL;
	g_autofree gchar *c3 = NULL;
	g_autofree gchar *out = NULL;
	g_autoptr(JsonNode) list = NULL;
	g_autofree gchar *titles = NULL;
	g_autofree gchar *ids = NULL;
	g_autofree gchar *expected = NULL;
	JsonObject *o;

	create_repo("alice/history");
	c1 = hub_commit(f, "alice/history", "First", "a.txt", "1\n", NULL);
	c2 = hub_commit(f, "alice/history", "Second", "a.txt", "2\n", NULL);
	c3 = hub_commit(f, "alice/history", "Third", "a.txt", "3\n", NULL);

	g_assert_cmpint(hubctl(&out, NULL, "repo", "commits", "alice/history", "--json", NULL),
			==,
			0);
	list = hubd_test_parse_json(out);
	titles = json_column(list, "title");
	/* with the repo's initial commit; across pages of 2 */
	g_assert_true(g_str_has_prefix(titles, "Third,Second,First,"));
	g_assert_cmpuint(json_array_get_length(json_node_get_array(list)), ==, 4);

	g_clear_pointer(&list, json_node_unref);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out,
			       NULL,
			       "repo",
			       "commits",
			       "alice/history",
			       "--limit",
			       "2",
			       "--json",
			       NULL),
			==,
			0);
	list = hubd_test_parse_json(out);
	ids = json_column(list, "id");
	expected = g_strdup_printf("%s,%s", c3, c2);
	g_assert_cmpstr(ids, ==, expected);
	o = json_array_get_object_element(json_node_get_array(list), 0);
	g_assert_true(json_object_has_member(o, "date"));
	g_assert_true(json_object_has_member(o, "message"));
	g_assert_nonnull(json_object_get_array_member(o, "authors"));

	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out,
			       NULL,
			       "repo",
			       "commits",
			       "alice/history",
			       "--limit",
			       "1",
			       "--revision",
			       c2,
			       NULL),
			==,
			0);
	{
		g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
		g_assert_cmpuint(g_strv_length(lines), ==, 3);
		g_assert_true(g_str_has_prefix(lines[0], "COMMIT"));
		g_assert_true(g_str_has_prefix(lines[1], c2));
		g_assert_true(g_str_has_suffix(lines[1], "  Second"));
	}
}
