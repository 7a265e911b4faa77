/* hubd-repos-list-test.c: org.hubd.Hub1.Repos reads against a real daemon
 * and the local Hub with pages of 2 — Info, List, ListFiles (with LFS),
 * ListRefs after branch and tag changes, ListCommits — checking the paging
 * and the encoding on the wire in the Hub's request log */
#define G_LOG_DOMAIN "HubdReposTest"

#include "hubd-repos-test-util.h"

/* ---- info and listings ---- */

static void
test_info(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = create(f, "model", "alice/info", NULL);
	g_autofree gchar *sha =
		commit_files(f,
			     "alice/info",
			     "main",
			     "Add files",
			     "README.md",
			     "---\nlicense: mit\nlibrary_name: transformers\n"
			     "pipeline_tag: text-generation\ntags:\n- demo\n---\n# hi\n",
			     "dir/data.txt",
			     "hello",
			     NULL);
	g_autoptr(GVariant) info = NULL;
	g_autoptr(GVariant) siblings = NULL;
	g_autoptr(GVariant) at_sha = NULL;
	g_autoptr(JsonNode) json = NULL;
	g_autofree gchar *json_text = NULL;
	g_autofree gchar *got_sha = NULL;
	g_autofree gchar *v = NULL;
	g_auto(GStrv) tags = NULL;
	GVariantIter iter;
	const gchar *name;
	gint64 size;
	gboolean seen_data = FALSE;

	info = call_ok(f,
		       "Info",
		       g_variant_new_parsed("('', 'alice/info', '', @a{sv} {})"),
		       "(a{sv})");
	got_sha = dict_string(info, "sha");
	g_assert_cmpstr(got_sha, ==, sha);
	v = dict_string(info, "id");
	g_assert_cmpstr(v, ==, "alice/info");
	g_clear_pointer(&v, g_free);
	v = dict_string(info, "license");
	g_assert_cmpstr(v, ==, "mit");
	g_clear_pointer(&v, g_free);
	v = dict_string(info, "library_name");
	g_assert_cmpstr(v, ==, "transformers");
	g_clear_pointer(&v, g_free);
	v = dict_string(info, "pipeline_tag");
	g_assert_cmpstr(v, ==, "text-generation");
	g_clear_pointer(&v, g_free);
	v = dict_string(info, "gated");
	g_assert_cmpstr(v, ==, "false");
	g_assert_true(g_variant_lookup(info, "tags", "^as", &tags));
	g_assert_true(g_strv_contains((const gchar *const *)tags, "demo"));
	siblings = g_variant_lookup_value(info, "siblings", G_VARIANT_TYPE("a(sx)"));
	g_assert_nonnull(siblings);
	g_assert_cmpuint(g_variant_n_children(siblings), ==, 3);
	g_variant_iter_init(&iter, siblings);
	while (g_variant_iter_next(&iter, "(&sx)", &name, &size)) {
		if (g_strcmp0(name, "dir/data.txt") == 0) {
			g_assert_cmpint(size, ==, 5);
			seen_data = TRUE;
		}
	}
	g_assert_true(seen_data);
	/* "json" is the Hub's whole answer */
	json_text = dict_string(info, "json");
	json = hubd_test_parse_json(json_text);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(json), "sha"), ==, sha);
	g_assert_true(json_object_has_member(json_node_get_object(json), "cardData"));

	/* at a revision; a missing revision and a missing repo are typed */
	at_sha = call_ok(f,
			 "Info",
			 g_variant_new_parsed("('model', 'alice/info', %s, @a{sv} {})", sha),
			 "(a{sv})");
	g_clear_pointer(&got_sha, g_free);
	got_sha = dict_string(at_sha, "sha");
	g_assert_cmpstr(got_sha, ==, sha);
	assert_call_error(
		f,
		"Info",
		g_variant_new_parsed("('model', 'alice/info', 'no-such-branch', @a{sv} {})"),
		ERR "RevisionNotFound");
	assert_call_error(f,
			  "Info",
			  g_variant_new_parsed("('model', 'alice/nothing-here', '', @a{sv} {})"),
			  ERR "RepoNotFound");
	assert_call_error(f,
			  "Info",
			  g_variant_new_parsed("('model', 'alice/info', '', {'expand': <'x'>})"),
			  ERR "InvalidArgument");
}

static void
test_list(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) all = NULL;
	g_autoptr(GVariant) some = NULL;
	g_autoptr(GVariant) tagged = NULL;
	g_autoptr(GVariant) asc = NULL;
	g_autofree gchar *ids = NULL;

	for (guint i = 1; i <= 5; i++) {
		g_autofree gchar *id = g_strdup_printf("alice/listed-%u", i);
		g_autofree gchar *url = create(f, "model", id, NULL);
	}
	g_free(create(f, "model", "acme/listed-org", NULL));
	g_free(create(f, "model", "alice/other", NULL));
	g_free(commit_files(f,
			    "alice/listed-3",
			    "main",
			    "Tag",
			    "README.md",
			    "---\ntags:\n- special\n---\n",
			    NULL));

	/* 5 matches in pages of 2: three requests, all entries */
	clear_request_log(f);
	all = call_ok(f,
		      "List",
		      g_variant_new_parsed("('model', {'search': <'listed'>, 'author': <'alice'>, "
					   "'sort': <'id'>, 'direction': <1>, 'limit': <@u 0>})"),
		      "(aa{sv})");
	ids = join_key(all, "id");
	g_assert_cmpstr(
		ids,
		==,
		"alice/listed-1,alice/listed-2,alice/listed-3,alice/listed-4,alice/listed-5");
	g_assert_cmpuint(count_requests(f, "GET", "^/api/models$"), ==, 3);
	{
		g_autoptr(GVariant) first = g_variant_get_child_value(all, 0);
		g_autofree gchar *author = dict_string(first, "author");
		g_autofree gchar *gated = dict_string(first, "gated");
		gboolean priv = TRUE;
		g_assert_cmpstr(author, ==, "alice");
		g_assert_cmpstr(gated, ==, "false");
		g_assert_true(g_variant_lookup(first, "private", "b", &priv));
		g_assert_false(priv);
	}

	/* a limit stops the paging early */
	clear_request_log(f);
	some = call_ok(f,
		       "List",
		       g_variant_new_parsed("('model', {'author': <'alice'>, 'search': <'listed'>, "
					    "'sort': <'id'>, 'direction': <1>, 'limit': <@u 3>})"),
		       "(aa{sv})");
	g_clear_pointer(&ids, g_free);
	ids = join_key(some, "id");
	g_assert_cmpstr(ids, ==, "alice/listed-1,alice/listed-2,alice/listed-3");
	g_assert_cmpuint(count_requests(f, "GET", "^/api/models$"), ==, 2);

	/* filter: tags every repo must have; descending by default with a sort */
	tagged = call_ok(f,
			 "List",
			 g_variant_new_parsed("('model', {'filter': <['special']>})"),
			 "(aa{sv})");
	g_clear_pointer(&ids, g_free);
	ids = join_key(tagged, "id");
	g_assert_cmpstr(ids, ==, "alice/listed-3");
	asc = call_ok(f,
		      "List",
		      g_variant_new_parsed("('model', {'search': <'listed'>, 'sort': <'id'>})"),
		      "(aa{sv})");
	g_clear_pointer(&ids, g_free);
	ids = join_key(asc, "id");
	g_assert_cmpstr(
		ids,
		==,
		"alice/listed-5,alice/listed-4,alice/listed-3,alice/listed-2,alice/listed-1,"
		"acme/listed-org");
	assert_call_error(f,
			  "List",
			  g_variant_new_parsed("('model', {'direction': <2>})"),
			  ERR "InvalidArgument");
	assert_call_error(f,
			  "List",
			  g_variant_new_parsed("('models', @a{sv} {})"),
			  ERR "InvalidArgument");
}

static void
test_list_files(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = create(f, "model", "alice/files", NULL);
	g_autofree gchar *sha = commit_files(f,
					     "alice/files",
					     "main",
					     "Add files",
					     "a.txt",
					     "alpha",
					     "b.txt",
					     "bravo!",
					     "c.txt",
					     "c",
					     "dir/x.txt",
					     "x",
					     "dir/y.txt",
					     "y",
					     "dir/sub/z.txt",
					     "zzz",
					     NULL);
	g_autoptr(GVariant) top = NULL;
	g_autoptr(GVariant) all = NULL;
	g_autoptr(GVariant) dir = NULL;
	g_autofree gchar *paths = NULL;
	g_autofree gchar *oid = NULL;
	g_autofree gchar *want_oid = git_blob_sha1("bravo!");
	const gchar *lfs_content = "pretend these are model weights, stored through LFS";
	g_autofree gchar *lfs_sha = NULL;
	g_autoptr(GVariant) lfs = NULL;
	g_autoptr(GVariant) info = NULL;
	g_autoptr(GVariant) siblings = NULL;
	GVariantIter iter;
	const gchar *name;
	gint64 size;

	/* non-recursive: .gitattributes, a, b, c, dir = 5 entries in 3 pages */
	clear_request_log(f);
	top = call_ok(f,
		      "ListFiles",
		      g_variant_new_parsed("('model', 'alice/files', '', '', @a{sv} {})"),
		      "(aa{sv})");
	paths = join_key(top, "path");
	g_assert_cmpstr(paths, ==, ".gitattributes,a.txt,b.txt,c.txt,dir");
	g_assert_cmpuint(count_requests(f, "GET", "^/api/models/alice/files/tree/main$"), ==, 3);
	for (gsize i = 0; i < g_variant_n_children(top); i++) {
		g_autoptr(GVariant) e = g_variant_get_child_value(top, i);
		g_autofree gchar *p = dict_string(e, "path");
		g_autofree gchar *type = dict_string(e, "type");
		guint64 entry_size = 0;

		g_assert_true(g_variant_lookup(e, "size", "t", &entry_size));
		if (g_strcmp0(p, "b.txt") == 0) {
			g_assert_cmpstr(type, ==, "file");
			g_assert_cmpuint(entry_size, ==, 6);
			oid = dict_string(e, "oid");
			g_assert_false(g_variant_lookup(e, "lfs_sha256", "s", NULL));
		} else if (g_strcmp0(p, "dir") == 0) {
			g_assert_cmpstr(type, ==, "directory");
		}
	}
	g_assert_cmpstr(oid, ==, want_oid);

	all = call_ok(
		f,
		"ListFiles",
		g_variant_new_parsed("('model', 'alice/files', %s, '', {'recursive': <true>})",
				     sha),
		"(aa{sv})");
	g_clear_pointer(&paths, g_free);
	paths = join_key(all, "path");
	g_assert_nonnull(strstr(paths, "dir/sub/z.txt"));
	g_assert_nonnull(strstr(paths, "dir/sub,"));
	g_assert_cmpuint(g_variant_n_children(all), ==, 9);

	dir = call_ok(f,
		      "ListFiles",
		      g_variant_new_parsed("('model', 'alice/files', 'main', 'dir', @a{sv} {})"),
		      "(aa{sv})");
	g_clear_pointer(&paths, g_free);
	paths = join_key(dir, "path");
	g_assert_cmpstr(paths, ==, "dir/sub,dir/x.txt,dir/y.txt");
	assert_call_error(
		f,
		"ListFiles",
		g_variant_new_parsed("('model', 'alice/files', 'main', 'nope', @a{sv} {})"),
		ERR "EntryNotFound");
	assert_call_error(f,
			  "ListFiles",
			  g_variant_new_parsed("('model', 'alice/files', 'nope', '', @a{sv} {})"),
			  ERR "RevisionNotFound");

	/* an LFS file: its sha256 and size in the listing, its size in Info */
	lfs_sha = commit_lfs_file(f, "alice/files", "weights/model bin ü", lfs_content);
	lfs = call_ok(f,
		      "ListFiles",
		      g_variant_new_parsed("('model', 'alice/files', '', 'weights', @a{sv} {})"),
		      "(aa{sv})");
	g_assert_cmpuint(g_variant_n_children(lfs), ==, 1);
	{
		g_autoptr(GVariant) e = g_variant_get_child_value(lfs, 0);
		g_autofree gchar *p = dict_string(e, "path");
		g_autofree gchar *got = dict_string(e, "lfs_sha256");
		guint64 n = 0;

		g_assert_cmpstr(p, ==, "weights/model bin ü");
		g_assert_cmpstr(got, ==, lfs_sha);
		g_assert_true(g_variant_lookup(e, "lfs_size", "t", &n));
		g_assert_cmpuint(n, ==, strlen(lfs_content));
		g_assert_true(g_variant_lookup(e, "size", "t", &n));
		g_assert_cmpuint(n, ==, strlen(lfs_content));
	}
	info = call_ok(f,
		       "Info",
		       g_variant_new_parsed("('model', 'alice/files', '', @a{sv} {})"),
		       "(a{sv})");
	siblings = g_variant_lookup_value(info, "siblings", G_VARIANT_TYPE("a(sx)"));
	g_variant_iter_init(&iter, siblings);
	while (g_variant_iter_next(&iter, "(&sx)", &name, &size)) {
		if (g_strcmp0(name, "weights/model bin ü") == 0)
			g_assert_cmpint(size, ==, (gint64)strlen(lfs_content));
	}
}

/* ---- refs and commits ---- */

static gchar *
ref_target(GVariant *refs, const gchar *kind, const gchar *name)
{
	g_autoptr(GVariant) list = g_variant_lookup_value(refs, kind, G_VARIANT_TYPE("aa{sv}"));

	g_assert_nonnull(list);
	for (gsize i = 0; i < g_variant_n_children(list); i++) {
		g_autoptr(GVariant) d = g_variant_get_child_value(list, i);
		g_autofree gchar *n = dict_string(d, "name");
		if (g_strcmp0(n, name) == 0)
			return dict_string(d, "target_commit");
	}
	return NULL;
}

static GVariant *
list_refs(Fixture *f, const gchar *id)
{
	return call_ok(f,
		       "ListRefs",
		       g_variant_new_parsed("('model', %s, @a{sv} {})", id),
		       "(a{sv})");
}

static void
test_refs(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = create(f, "model", "alice/refs", NULL);
	g_autofree gchar *first = commit_files(f, "alice/refs", "main", "One", "a.txt", "1", NULL);
	g_autofree gchar *second = NULL;
	g_autoptr(GVariant) refs = NULL;
	g_autofree gchar *t = NULL;
	g_autoptr(GVariant) info = NULL;
	g_autofree gchar *sha = NULL;
	g_autofree gchar *ref = NULL;

	/* a branch with '/', from the first commit: "%2F" on the wire, once */
	clear_request_log(f);
	g_assert_null(call_ok(
		f,
		"CreateBranch",
		g_variant_new_parsed("('model', 'alice/refs', %s, 'feature/x', @a{sv} {})", first),
		"()"));
	g_assert_cmpuint(count_requests(f, "POST", "^/api/models/alice/refs/branch/feature%2Fx$"),
			 ==,
			 1);
	second = commit_files(f, "alice/refs", "main", "Two", "b.txt", "2", NULL);
	refs = list_refs(f, "alice/refs");
	t = ref_target(refs, "branches", "feature/x");
	g_assert_cmpstr(t, ==, first);
	g_clear_pointer(&t, g_free);
	t = ref_target(refs, "branches", "main");
	g_assert_cmpstr(t, ==, second);
	{
		g_autoptr(GVariant) branches =
			g_variant_lookup_value(refs, "branches", G_VARIANT_TYPE("aa{sv}"));
		for (gsize i = 0; i < g_variant_n_children(branches); i++) {
			g_autoptr(GVariant) d = g_variant_get_child_value(branches, i);
			g_autofree gchar *n = dict_string(d, "name");
			if (g_strcmp0(n, "feature/x") == 0)
				ref = dict_string(d, "ref");
		}
	}
	g_assert_cmpstr(ref, ==, "refs/heads/feature/x");
	g_assert_false(g_variant_lookup(refs, "pull_requests", "aa{sv}", NULL));

	/* reads at the branch with '/' */
	info = call_ok(f,
		       "Info",
		       g_variant_new_parsed("('model', 'alice/refs', 'feature/x', @a{sv} {})"),
		       "(a{sv})");
	sha = dict_string(info, "sha");
	g_assert_cmpstr(sha, ==, first);
	g_assert_cmpuint(count_requests(f, "GET", "^/api/models/alice/refs/revision/feature%2Fx$"),
			 ==,
			 1);
	{
		g_autoptr(GVariant) files = call_ok(
			f,
			"ListFiles",
			g_variant_new_parsed("('model', 'alice/refs', 'feature/x', '', @a{sv} {})"),
			"(aa{sv})");
		g_autofree gchar *paths = join_key(files, "path");

		/* b.txt came later, on main only */
		g_assert_cmpstr(paths, ==, ".gitattributes,a.txt");
		g_assert_cmpuint(
			count_requests(f, "GET", "^/api/models/alice/refs/tree/feature%2Fx$"),
			==,
			1);
	}

	assert_call_error(
		f,
		"CreateBranch",
		g_variant_new_parsed("('model', 'alice/refs', '', 'feature/x', @a{sv} {})"),
		ERR "Conflict");
	g_assert_null(
		call_ok(f,
			"CreateBranch",
			g_variant_new_parsed(
				"('model', 'alice/refs', '', 'feature/x', {'exist_ok': <true>})"),
			"()"));
	assert_call_error(
		f,
		"CreateBranch",
		g_variant_new_parsed("('model', 'alice/refs', 'nope', 'other', @a{sv} {})"),
		ERR "RevisionNotFound");

	/* a tag of the branch, with a message */
	g_assert_null(call_ok(f,
			      "CreateTag",
			      g_variant_new_parsed("('model', 'alice/refs', 'feature/x', 'v1.0', "
						   "{'message': <'First release'>})"),
			      "()"));
	g_assert_cmpuint(count_requests(f, "POST", "^/api/models/alice/refs/tag/feature%2Fx$"),
			 ==,
			 1);
	g_clear_pointer(&refs, g_variant_unref);
	refs = list_refs(f, "alice/refs");
	g_clear_pointer(&t, g_free);
	t = ref_target(refs, "tags", "v1.0");
	g_assert_cmpstr(t, ==, first);
	assert_call_error(f,
			  "CreateTag",
			  g_variant_new_parsed("('model', 'alice/refs', '', 'v1.0', @a{sv} {})"),
			  ERR "Conflict");
	g_assert_null(call_ok(
		f,
		"CreateTag",
		g_variant_new_parsed("('model', 'alice/refs', '', 'v1.0', {'exist_ok': <true>})"),
		"()"));

	/* deletes */
	g_assert_null(call_ok(f,
			      "DeleteTag",
			      g_variant_new_parsed("('model', 'alice/refs', 'v1.0', @a{sv} {})"),
			      "()"));
	g_assert_null(
		call_ok(f,
			"DeleteBranch",
			g_variant_new_parsed("('model', 'alice/refs', 'feature/x', @a{sv} {})"),
			"()"));
	g_assert_cmpuint(count_requests(f, "DELETE", "^/api/models/alice/refs/branch/feature%2Fx$"),
			 ==,
			 1);
	g_clear_pointer(&refs, g_variant_unref);
	refs = list_refs(f, "alice/refs");
	g_clear_pointer(&t, g_free);
	t = ref_target(refs, "tags", "v1.0");
	g_assert_null(t);
	t = ref_target(refs, "branches", "feature/x");
	g_assert_null(t);
	assert_call_error(f,
			  "DeleteBranch",
			  g_variant_new_parsed("('model', 'alice/refs', 'feature/x', @a{sv} {})"),
			  ERR "RevisionNotFound");
	g_clear_pointer(&refs, g_variant_unref);
	refs = call_ok(f,
		       "ListRefs",
		       g_variant_new_parsed("('model', 'alice/refs', {'include_prs': <true>})"),
		       "(a{sv})");
	g_assert_true(g_variant_lookup(refs, "pull_requests", "aa{sv}", NULL));
}

static void
test_commits(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = create(f, "model", "alice/history", NULL);
	g_autoptr(GVariant) all = NULL;
	g_autoptr(GVariant) some = NULL;
	g_autofree gchar *titles = NULL;
	g_autofree gchar *last = NULL;

	for (guint i = 1; i <= 4; i++) {
		g_autofree gchar *title = g_strdup_printf("Commit %u", i);
		g_autofree gchar *content = g_strdup_printf("%u", i);
		g_free(last);
		last = commit_files(f, "alice/history", "main", title, "f.txt", content, NULL);
	}
	/* 5 commits (with the initial one), pages of 2: three requests */
	clear_request_log(f);
	all = call_ok(f,
		      "ListCommits",
		      g_variant_new_parsed("('model', 'alice/history', '', @a{sv} {})"),
		      "(aa{sv})");
	titles = join_key(all, "title");
	g_assert_cmpstr(titles, ==, "Commit 4,Commit 3,Commit 2,Commit 1,initial commit");
	g_assert_cmpuint(count_requests(f, "GET", "^/api/models/alice/history/commits/main$"),
			 ==,
			 3);
	{
		g_autoptr(GVariant) newest = g_variant_get_child_value(all, 0);
		g_autofree gchar *id = dict_string(newest, "id");
		g_auto(GStrv) authors = NULL;
		g_assert_cmpstr(id, ==, last);
		g_assert_true(g_variant_lookup(newest, "authors", "^as", &authors));
		g_assert_cmpuint(g_strv_length(authors), >=, 1);
	}
	clear_request_log(f);
	some = call_ok(
		f,
		"ListCommits",
		g_variant_new_parsed("('model', 'alice/history', 'main', {'limit': <@u 3>})"),
		"(aa{sv})");
	g_clear_pointer(&titles, g_free);
	titles = join_key(some, "title");
	g_assert_cmpstr(titles, ==, "Commit 4,Commit 3,Commit 2");
	g_assert_cmpuint(count_requests(f, "GET", "^/api/models/alice/history/commits/main$"),
			 ==,
			 2);
	assert_call_error(f,
			  "ListCommits",
			  g_variant_new_parsed("('model', 'alice/history', 'nope', @a{sv} {})"),
			  ERR "RevisionNotFound");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/repos/info", test_info);
	ADD("/repos/list", test_list);
	ADD("/repos/list-files", test_list_files);
	ADD("/repos/refs", test_refs);
	ADD("/repos/commits", test_commits);
#undef ADD
	return g_test_run();
}
