/* hubd-upload-cli-test.c: `hubctl upload` and `hubctl repo-files delete`
 * against a real daemon and the local Hub — exit codes, what is printed, and
 * what the Hub then holds */
#define G_LOG_DOMAIN "HubdUploadTest"

#include <glib/gstdio.h>

#include "hubd-upload-test-common.h"

static gint
hubctl(const gchar *const *argv, gchar **out, gchar **err)
{
	return hubd_test_run_hubctl(argv, NULL, out, err);
}

static void
test_cli_file(Fixture *f, gconstpointer data)
{
	const gchar *local = fixture_write(f, "notes.txt", "some notes\n");
	const gchar *argv[] = {"upload", "alice/up", local, "docs/notes.txt", "--quiet", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *back = NULL;

	g_assert_cmpint(hubctl(argv, &out, &err), ==, 0);
	expected = g_strdup_printf("%s/alice/up/commit/%s\n", f->hub->url, head_of(f, "alice/up"));
	g_assert_cmpstr(out, ==, expected);
	back = fetch(f, "alice/up", "main", "docs/notes.txt", NULL);
	g_assert_cmpstr(back, ==, "some notes\n");
}

static void
test_cli_folder(Fixture *f, gconstpointer data)
{
	g_autofree gchar *dir = g_build_filename(f->tmp, "proj", NULL);
	const gchar *argv1[] = {"upload", "alice/up", dir, "--quiet", NULL};
	const gchar *argv2[] = {"upload",
				"alice/up",
				dir,
				"--include",
				"*.py",
				"--exclude",
				"tests/*",
				"--delete",
				"*.json",
				"--quiet",
				NULL};
	g_autofree gchar *tree = NULL;

	fixture_write(f, "proj/old.json", "{}\n");
	fixture_write(f, "proj/keep.txt", "keep\n");
	g_assert_cmpint(hubctl(argv1, NULL, NULL), ==, 0);
	g_assert_cmpint(g_unlink(fixture_write(f, "proj/old.json", "")), ==, 0);
	fixture_write(f, "proj/main.py", "print(1)\n");
	fixture_write(f, "proj/tests/test_main.py", "assert True\n");
	g_assert_cmpint(hubctl(argv2, NULL, NULL), ==, 0);
	tree = tree_paths(f, "alice/up");
	g_assert_nonnull(strstr(tree, "|main.py|"));
	g_assert_nonnull(strstr(tree, "|keep.txt|"));
	g_assert_null(strstr(tree, "test_main.py"));
	g_assert_null(strstr(tree, "old.json"));
}

static void
test_cli_policy(Fixture *f, gconstpointer data)
{
	const gchar *local =
		fixture_write(f,
			      "secret.txt",
			      "export HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz0123456789\n");
	const gchar *argv[] = {"upload", "alice/up", local, "--quiet", NULL};
	const gchar *argv_override[] =
		{"upload", "alice/up", local, "--quiet", "--no-policy", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	g_assert_cmpint(hubctl(argv, &out, &err), ==, 1);
	g_assert_cmpstr(out, ==, "");
	g_assert_nonnull(strstr(err, "secret.txt:1"));
	g_assert_null(strstr(err, "hf_abcdefghijklmnop"));
	g_assert_cmpuint(log_count(f, "POST", "/commit/", "hub", -1), ==, 0);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(hubctl(argv_override, &out, &err), ==, 0);
	g_assert_nonnull(strstr(last_commit_message(f, "alice/up"), "policy overridden"));
}

static void
test_cli_create_json_pr(Fixture *f, gconstpointer data)
{
	const gchar *readme = fixture_write(f, "README.md", "---\nlicense: mit\n---\n# CLI\n");
	const gchar *extra = fixture_write(f, "extra.txt", "extra\n");
	const gchar *argv1[] = {"upload", "alice/cli-new", readme, "--private", "--json", NULL};
	const gchar *argv2[] = {"upload", "alice/cli-new", extra, "--create-pr", "--json", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *obj;

	g_assert_cmpint(hubctl(argv1, &out, NULL), ==, 0);
	node = hubd_test_parse_json(out);
	obj = json_node_get_object(node);
	g_assert_cmpstr(json_object_get_string_member(obj, "commit_oid"),
			==,
			head_of(f, "alice/cli-new"));
	g_assert_true(json_object_get_null_member(obj, "pr_url"));
	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "GET",
					    "/api/models/alice/cli-new",
					    BOB_READ,
					    NULL,
					    &body),
			 ==,
			 404);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&node, json_node_unref);
	g_assert_cmpint(hubctl(argv2, &out, NULL), ==, 0);
	node = hubd_test_parse_json(out);
	obj = json_node_get_object(node);
	g_assert_true(
		g_str_has_suffix(json_object_get_string_member(obj, "pr_url"), "/discussions/1"));
}

/* Upload's (local, path in repo) pairs: `local` at every path given */
static GVariant *
same_file_at(const gchar *local, ...)
{
	GVariantBuilder b;
	const gchar *path;
	va_list ap;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a(ss)"));
	va_start(ap, local);
	while ((path = va_arg(ap, const gchar *)) != NULL)
		g_variant_builder_add(&b, "(ss)", local, path);
	va_end(ap);
	return g_variant_ref_sink(g_variant_builder_end(&b));
}

static void
test_cli_repo_files_delete(Fixture *f, gconstpointer data)
{
	const gchar *a = fixture_write(f, "a.txt", "a\n");
	g_autoptr(HubdTestJobResult) r = NULL;
	const gchar *argv[] =
		{"repo-files", "delete", "alice/up", "top.txt", "dir/", "--quiet", NULL};
	const gchar *bad[] = {"repo-files", "remove", "alice/up", "x", NULL};
	g_autofree gchar *tree = NULL;
	g_autoptr(GVariant) pairs =
		same_file_at(a, "top.txt", "dir/one.txt", "dir/sub/two.txt", "other.txt", NULL);

	r = upload_pairs(f, "alice/up", pairs, "{}");
	assert_job_ok(r);
	g_assert_cmpint(hubctl(argv, NULL, NULL), ==, 0);
	tree = tree_paths(f, "alice/up");
	g_assert_null(strstr(tree, "top.txt"));
	g_assert_null(strstr(tree, "dir/"));
	g_assert_nonnull(strstr(tree, "|other.txt|"));
	g_assert_cmpint(hubctl(bad, NULL, NULL), ==, 64);
}

/* wildcards are matched against the repo's files, `*` across folders */
static void
test_cli_repo_files_delete_wildcard(Fixture *f, gconstpointer data)
{
	const gchar *a = fixture_write(f, "a.txt", "a\n");
	g_autoptr(HubdTestJobResult) r = NULL;
	const gchar *argv[] = {"repo-files", "delete", "alice/up", "*.bin", "keep/*.md", NULL};
	const gchar *before;
	g_autofree gchar *tree = NULL;
	g_autofree gchar *out = NULL;
	g_autoptr(GVariant) pairs = same_file_at(a,
						 "w.bin",
						 "deep/er/v.bin",
						 "keep/x.md",
						 "keep/y.txt",
						 "bin.txt",
						 NULL);

	r = upload_pairs(f, "alice/up", pairs, "{}");
	assert_job_ok(r);
	before = head_of(f, "alice/up");
	g_assert_cmpint(hubctl(argv, &out, NULL), ==, 0);
	tree = tree_paths(f, "alice/up");
	g_assert_null(strstr(tree, ".bin|"));
	g_assert_null(strstr(tree, "keep/x.md"));
	g_assert_nonnull(strstr(tree, "|keep/y.txt|"));
	g_assert_nonnull(strstr(tree, "|bin.txt|"));
	/* one new commit, whose URL is printed */
	g_assert_true(g_str_has_prefix(last_commit_message(f, "alice/up"), "Commit with hubd\n"));
	g_assert_cmpstr(head_of(f, "alice/up"), !=, before);
	g_assert_nonnull(strstr(out, head_of(f, "alice/up")));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	fixture_add("/upload-cli/file", test_cli_file);
	fixture_add("/upload-cli/folder-include-exclude-delete", test_cli_folder);
	fixture_add("/upload-cli/policy", test_cli_policy);
	fixture_add("/upload-cli/create-json-pr", test_cli_create_json_pr);
	fixture_add("/upload-cli/repo-files-delete", test_cli_repo_files_delete);
	fixture_add("/upload-cli/repo-files-delete-wildcard", test_cli_repo_files_delete_wildcard);
	return g_test_run();
}
