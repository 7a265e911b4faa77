/* hubd-cache-test-service.c: org.hubd.Hub1.Cache and `hubctl cache` against a
 * real daemon whose HF_HUB_CACHE is a cache laid out by hand as Python's
 * huggingface_hub does (part of hubd-cache-test) */
#define G_LOG_DOMAIN "HubdCacheTest"

#include <glib/gstdio.h>
#include <unistd.h>

#include "hubd-test-common.h"

#define CACHE_IFACE "org.hubd.Hub1.Cache"

#define C1 "c111111111111111111111111111111111111111"
#define C2 "c222222222222222222222222222222222222222"
#define C3 "c333333333333333333333333333333333333333"
#define B1 "b111111111111111111111111111111111111111" /* in C1 and C2 */
#define B2 "b2222222222222222222222222222222222222222222222222222222222222222"
#define B3 "b333333333333333333333333333333333333333"
#define D1 "d111111111111111111111111111111111111111"

#define B1_SIZE 1000
#define B2_SIZE 2000
#define B3_SIZE 500
#define D1_SIZE 300

void
hubd_cache_test_add_service_tests(void);

typedef struct {
	gchar *root;
	gchar *model;   /* models--alice--m */
	gchar *dataset; /* datasets--acme--d */
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
} Fixture;

static void
write_sized(const gchar *path, gsize size, gchar fill)
{
	g_autofree gchar *data = g_malloc(size + 1);

	memset(data, fill, size);
	data[size] = '\0';
	hubd_test_write_file(path, data);
}

/* snapshots/<commit>/<file> -> relative link, as os.path.relpath gives */
static void
link_file(const gchar *repo, const gchar *commit, const gchar *file, const gchar *blob)
{
	g_autofree gchar *path = g_build_filename(repo, "snapshots", commit, file, NULL);
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autoptr(GString) target = g_string_new("../../");

	for (const gchar *p = file; *p != '\0'; p++) {
		if (*p == '/')
			g_string_append(target, "../");
	}
	g_string_append_printf(target, "blobs/%s", blob);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_cmpint(symlink(target->str, path), ==, 0);
}

static void
write_ref(const gchar *repo, const gchar *name, const gchar *commit)
{
	g_autofree gchar *path = g_build_filename(repo, "refs", name, NULL);

	/* no trailing newline, as Python writes them */
	hubd_test_write_file(path, commit);
}

static void
blob(const gchar *repo, const gchar *name, gsize size, gchar fill)
{
	g_autofree gchar *path = g_build_filename(repo, "blobs", name, NULL);

	write_sized(path, size, fill);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *env = NULL;
	const gchar *envv[2];

	f->root = g_dir_make_tmp("hubd-cache-svc-XXXXXX", &error);
	g_assert_no_error(error);
	f->model = g_build_filename(f->root, "models--alice--m", NULL);
	f->dataset = g_build_filename(f->root, "datasets--acme--d", NULL);
	{
		g_autofree gchar *tag = g_build_filename(f->root, "CACHEDIR.TAG", NULL);
		g_autofree gchar *lock =
			g_build_filename(f->root, ".locks", "models--alice--m", B1 ".lock", NULL);
		hubd_test_write_file(tag, "Signature: 8a477f597d28d172789f06886806bc55\n");
		hubd_test_write_file(lock, "");
	}
	/* a model with two revisions sharing B1, a PR ref and a download in flight */
	blob(f->model, B1, B1_SIZE, 'a');
	blob(f->model, B2, B2_SIZE, 'b');
	blob(f->model, B3, B3_SIZE, 'c');
	blob(f->model, "e999999999999999999999999999999999999999.incomplete", 10, 'x');
	link_file(f->model, C1, "config.json", B1);
	link_file(f->model, C1, "model.bin", B2);
	link_file(f->model, C2, "config.json", B1);
	link_file(f->model, C2, "sub/deep/x.bin", B3);
	write_ref(f->model, "main", C2);
	write_ref(f->model, "refs/pr/1", C1);
	{
		g_autofree gchar *no_exist =
			g_build_filename(f->model, ".no_exist", C2, "missing.txt", NULL);
		hubd_test_write_file(no_exist, "");
	}
	/* a dataset with one revision */
	blob(f->dataset, D1, D1_SIZE, 'd');
	link_file(f->dataset, C3, "data.csv", D1);
	write_ref(f->dataset, "main", C3);
	/* a corrupted repo (no snapshots/): a warning, not a repo */
	{
		g_autofree gchar *broken =
			g_build_filename(f->root, "models--bob--broken", "blobs", "x", NULL);
		hubd_test_write_file(broken, "x");
	}

	env = g_strdup_printf("HF_HUB_CACHE=%s", f->root);
	envv[0] = env;
	envv[1] = NULL;
	f->daemon = hubd_test_daemon_start(NULL, envv);
	f->bus = hubd_test_session_bus();
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->bus);
	hubd_test_daemon_stop(f->daemon);
	hubd_test_rm_rf(f->root);
	g_free(f->root);
	g_free(f->model);
	g_free(f->dataset);
}

static GVariant *
scan(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = hubd_test_call(f->bus,
						   CACHE_IFACE,
						   "Scan",
						   g_variant_new_parsed("(@a{sv} {},)"),
						   G_VARIANT_TYPE("(a{sv})"),
						   &error);

	g_assert_no_error(error);
	return g_variant_get_child_value(reply, 0);
}

static GVariant *
delete_revisions(Fixture *f, const gchar *const *revisions, gboolean dry_run, GError **error)
{
	GVariantDict options;
	g_autoptr(GVariant) reply = NULL;

	g_variant_dict_init(&options, NULL);
	if (dry_run)
		g_variant_dict_insert(&options, "dry_run", "b", TRUE);
	reply = hubd_test_call(
		f->bus,
		CACHE_IFACE,
		"Delete",
		g_variant_new("(^as@a{sv})", revisions, g_variant_dict_end(&options)),
		G_VARIANT_TYPE("(a{sv})"),
		error);
	return reply != NULL ? g_variant_get_child_value(reply, 0) : NULL;
}

static GVariant *
find_repo(GVariant *report, const gchar *repo_id)
{
	g_autoptr(GVariant) repos =
		g_variant_lookup_value(report, "repos", G_VARIANT_TYPE("aa{sv}"));

	g_assert_nonnull(repos);
	for (gsize i = 0; i < g_variant_n_children(repos); i++) {
		g_autoptr(GVariant) repo = g_variant_get_child_value(repos, i);
		const gchar *id = NULL;
		if (g_variant_lookup(repo, "repo_id", "&s", &id) && g_strcmp0(id, repo_id) == 0)
			return g_steal_pointer(&repo);
	}
	return NULL;
}

static GVariant *
find_revision(GVariant *repo, const gchar *commit)
{
	g_autoptr(GVariant) revs =
		g_variant_lookup_value(repo, "revisions", G_VARIANT_TYPE("aa{sv}"));

	for (gsize i = 0; i < g_variant_n_children(revs); i++) {
		g_autoptr(GVariant) rev = g_variant_get_child_value(revs, i);
		const gchar *c = NULL;
		if (g_variant_lookup(rev, "commit", "&s", &c) && g_strcmp0(c, commit) == 0)
			return g_steal_pointer(&rev);
	}
	return NULL;
}

static guint64
lookup_u64(GVariant *dict, const gchar *key)
{
	guint64 v = G_MAXUINT64;

	g_assert_true(g_variant_lookup(dict, key, "t", &v));
	return v;
}

static gchar *
lookup_joined(GVariant *dict, const gchar *key)
{
	g_autofree const gchar **strv = NULL;

	g_assert_true(g_variant_lookup(dict, key, "^a&s", &strv));
	return g_strjoinv(",", (gchar **)strv);
}

static gboolean
exists(const gchar *dir, const gchar *rel)
{
	g_autofree gchar *path = g_build_filename(dir, rel, NULL);
	GStatBuf st;

	return g_lstat(path, &st) == 0;
}

/* ---- tests ---- */

static void
test_scan(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) report = scan(f);
	g_autoptr(GVariant) model = find_repo(report, "alice/m");
	g_autoptr(GVariant) dataset = find_repo(report, "acme/d");
	g_autoptr(GVariant) broken = find_repo(report, "bob/broken");
	g_autoptr(GVariant) r1 = NULL;
	g_autoptr(GVariant) r2 = NULL;
	g_autoptr(GVariant) path = NULL;
	g_autofree gchar *refs = NULL;
	g_autofree gchar *r1_refs = NULL;
	g_autofree gchar *warnings = NULL;
	g_autofree gchar *incomplete = NULL;
	const gchar *s = NULL;
	guint32 n = 0;
	gint64 t = 0;

	g_assert_true(g_variant_lookup(report, "path", "&s", &s));
	g_assert_cmpstr(s, ==, f->root);
	g_assert_cmpuint(lookup_u64(report, "size"), ==, B1_SIZE + B2_SIZE + B3_SIZE + D1_SIZE);

	g_assert_nonnull(model);
	g_assert_null(broken);
	g_assert_true(g_variant_lookup(model, "repo_type", "&s", &s));
	g_assert_cmpstr(s, ==, "model");
	g_assert_true(g_variant_lookup(model, "path", "&s", &s));
	g_assert_cmpstr(s, ==, f->model);
	/* distinct blobs: the shared B1 counts once */
	g_assert_cmpuint(lookup_u64(model, "size"), ==, B1_SIZE + B2_SIZE + B3_SIZE);
	g_assert_true(g_variant_lookup(model, "nb_files", "u", &n));
	g_assert_cmpuint(n, ==, 3);
	g_assert_true(g_variant_lookup(model, "last_modified", "x", &t));
	g_assert_cmpint(t, >, 0);
	refs = lookup_joined(model, "refs");
	g_assert_cmpstr(refs, ==, "main,refs/pr/1");

	r1 = find_revision(model, C1);
	r2 = find_revision(model, C2);
	g_assert_nonnull(r1);
	g_assert_nonnull(r2);
	g_assert_cmpuint(lookup_u64(r1, "size"), ==, B1_SIZE + B2_SIZE);
	g_assert_cmpuint(lookup_u64(r2, "size"), ==, B1_SIZE + B3_SIZE);
	g_assert_true(g_variant_lookup(r2, "nb_files", "u", &n));
	g_assert_cmpuint(n, ==, 2);
	r1_refs = lookup_joined(r1, "refs");
	g_assert_cmpstr(r1_refs, ==, "refs/pr/1");

	g_assert_nonnull(dataset);
	g_assert_true(g_variant_lookup(dataset, "repo_type", "&s", &s));
	g_assert_cmpstr(s, ==, "dataset");
	g_assert_cmpuint(lookup_u64(dataset, "size"), ==, D1_SIZE);

	warnings = lookup_joined(report, "warnings");
	g_assert_nonnull(strstr(warnings, "models--bob--broken"));
	incomplete = lookup_joined(report, "incomplete");
	g_assert_nonnull(strstr(incomplete, "e999999999999999999999999999999999999999.incomplete"));

	/* Path */
	path = hubd_test_call(f->bus,
			      "org.freedesktop.DBus.Properties",
			      "Get",
			      g_variant_new("(ss)", CACHE_IFACE, "Path"),
			      G_VARIANT_TYPE("(v)"),
			      NULL);
	{
		g_autoptr(GVariant) v = NULL;
		g_variant_get(path, "(v)", &v);
		g_assert_cmpstr(g_variant_get_string(v, NULL), ==, f->root);
	}
}

static void
test_delete_shared_blob(Fixture *f, gconstpointer data)
{
	const gchar *revs[] = {"c1111", NULL}; /* a prefix */
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) plan = delete_revisions(f, revs, TRUE, &error);
	g_autoptr(GVariant) report = NULL;
	g_autoptr(GVariant) after = NULL;
	g_autoptr(GVariant) model = NULL;
	g_autofree gchar *blobs = NULL;
	g_autofree gchar *snapshots = NULL;
	g_autofree gchar *repos = NULL;

	g_assert_no_error(error);
	/* only B2 goes: B1 is still used by C2 */
	g_assert_cmpuint(lookup_u64(plan, "freed"), ==, B2_SIZE);
	blobs = lookup_joined(plan, "blobs");
	g_assert_true(g_str_has_suffix(blobs, "/blobs/" B2));
	g_assert_null(strchr(blobs, ','));
	snapshots = lookup_joined(plan, "snapshots");
	g_assert_true(g_str_has_suffix(snapshots, "/snapshots/" C1));
	repos = lookup_joined(plan, "repos");
	g_assert_cmpstr(repos, ==, "");
	/* a dry run deletes nothing */
	g_assert_true(exists(f->model, "snapshots/" C1));
	g_assert_true(exists(f->model, "blobs/" B2));

	report = delete_revisions(f, revs, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(lookup_u64(report, "freed"), ==, B2_SIZE);
	g_assert_false(exists(f->model, "snapshots/" C1));
	g_assert_false(exists(f->model, "blobs/" B2));
	g_assert_false(exists(f->model, "refs/refs/pr/1"));
	g_assert_true(exists(f->model, "blobs/" B1));
	g_assert_true(exists(f->model, "refs/main"));
	g_assert_true(exists(f->model, "snapshots/" C2 "/config.json"));

	after = scan(f);
	model = find_repo(after, "alice/m");
	g_assert_cmpuint(lookup_u64(model, "size"), ==, B1_SIZE + B3_SIZE);
	{
		g_autofree gchar *refs = lookup_joined(model, "refs");
		g_assert_cmpstr(refs, ==, "main");
	}
}

static void
test_delete_last_revision(Fixture *f, gconstpointer data)
{
	const gchar *revs[] = {C1, C2, NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) report = delete_revisions(f, revs, FALSE, &error);
	g_autoptr(GVariant) after = NULL;
	g_autoptr(GVariant) model = NULL;
	g_autofree gchar *repos = NULL;

	g_assert_no_error(error);
	g_assert_cmpuint(lookup_u64(report, "freed"), ==, B1_SIZE + B2_SIZE + B3_SIZE);
	repos = lookup_joined(report, "repos");
	g_assert_cmpstr(repos, ==, f->model);
	g_assert_false(g_file_test(f->model, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(f->dataset, G_FILE_TEST_IS_DIR));
	after = scan(f);
	model = find_repo(after, "alice/m");
	g_assert_null(model);
}

static void
test_delete_unknown(Fixture *f, gconstpointer data)
{
	const gchar *revs[] = {C1, "deadbeef", NULL};
	const gchar *short_revs[] = {"c1", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) report = delete_revisions(f, revs, FALSE, &error);
	g_autofree gchar *remote = NULL;

	g_assert_null(report);
	g_assert_nonnull(error);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, "org.hubd.Hub1.Error.RevisionNotFound");
	g_assert_nonnull(strstr(error->message, "deadbeef"));
	g_clear_error(&error);
	/* nothing deleted, not even the known one */
	g_assert_true(exists(f->model, "snapshots/" C1));
	g_assert_true(exists(f->model, "blobs/" B2));

	g_assert_null(delete_revisions(f, short_revs, FALSE, &error));
	g_clear_pointer(&remote, g_free);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, "org.hubd.Hub1.Error.InvalidArgument");
	g_clear_error(&error);
}

static void
test_cli(Fixture *f, gconstpointer data)
{
	const gchar *scan_json[] = {"cache", "scan", "--json", NULL};
	const gchar *scan_human[] = {"cache", "scan", NULL};
	const gchar *dry[] = {"cache", "delete", "--dry-run", "c333", NULL};
	const gchar *del[] = {"cache", "delete", "--yes", "c333", NULL};
	const gchar *no_yes[] = {"cache", "delete", "c333", NULL};
	const gchar *unknown[] = {"cache", "delete", "--yes", "deadbeef", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonArray *repos;
	gboolean seen = FALSE;

	g_assert_cmpint(hubd_test_run_hubctl(scan_json, NULL, &out, &err), ==, 0);
	node = hubd_test_parse_json(out);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node), "path"),
			==,
			f->root);
	repos = json_object_get_array_member(json_node_get_object(node), "repos");
	g_assert_cmpuint(json_array_get_length(repos), ==, 2);
	for (guint i = 0; i < json_array_get_length(repos); i++) {
		JsonObject *repo = json_array_get_object_element(repos, i);
		if (g_strcmp0(json_object_get_string_member(repo, "repo_id"), "acme/d") == 0) {
			g_assert_cmpint(json_object_get_int_member(repo, "size"), ==, D1_SIZE);
			seen = TRUE;
		}
	}
	g_assert_true(seen);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	g_assert_cmpint(hubd_test_run_hubctl(scan_human, NULL, &out, &err), ==, 0);
	g_assert_nonnull(strstr(out, "REPO ID"));
	g_assert_nonnull(strstr(out, "LOCAL PATH"));
	g_assert_nonnull(strstr(out, "alice/m"));
	g_assert_nonnull(strstr(out, "main, refs/pr/1"));
	g_assert_nonnull(strstr(out, "3.5K")); /* 3500 bytes, decimal as hf */
	g_assert_nonnull(strstr(out, "Scanned 2 repo(s) for a total of 3.8K."));
	g_assert_nonnull(strstr(err, "1 warning(s)"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	g_assert_cmpint(hubd_test_run_hubctl(dry, NULL, &out, &err), ==, 0);
	g_assert_nonnull(strstr(out, "Would free 300.0."));
	g_assert_true(g_file_test(f->dataset, G_FILE_TEST_IS_DIR));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* no terminal to confirm on: refused, nothing deleted */
	g_assert_cmpint(hubd_test_run_hubctl(no_yes, NULL, &out, &err), ==, 64);
	g_assert_true(g_file_test(f->dataset, G_FILE_TEST_IS_DIR));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	g_assert_cmpint(hubd_test_run_hubctl(unknown, NULL, &out, &err), ==, 1);
	g_assert_nonnull(strstr(err, "deadbeef"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	g_assert_cmpint(hubd_test_run_hubctl(del, NULL, &out, &err), ==, 0);
	g_assert_nonnull(strstr(out, "Freed 300.0."));
	g_assert_false(g_file_test(f->dataset, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(f->model, G_FILE_TEST_IS_DIR));
}

/* `hubctl cache ls`, as hf 1.x's `hf cache ls`: filters, sort, limit, json */
static void
test_cli_ls(Fixture *f, gconstpointer data)
{
	const gchar *ls[] = {"cache", "ls", NULL};
	const gchar *type[] = {"cache", "ls", "--filter", "type=dataset", NULL};
	const gchar *size[] = {"cache", "ls", "-f", "size>1KB", NULL};
	const gchar *sorted[] = {"cache", "ls", "--sort", "size:asc", "--limit", "1", NULL};
	const gchar *revs[] = {"cache", "ls", "--revisions", "--filter", "refs=main", NULL};
	const gchar *json[] = {"cache", "ls", "--format", "json", NULL};
	const gchar *bad[] = {"cache", "ls", "--filter", "colour=red", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonArray *array;

	g_assert_cmpint(hubd_test_run_hubctl(ls, NULL, &out, &err), ==, 0);
	g_assert_true(g_regex_match_simple("^ID +SIZE +LAST_ACCESSED +LAST_MODIFIED +REFS$",
					   out,
					   G_REGEX_MULTILINE,
					   0));
	g_assert_true(
		g_regex_match_simple("^dataset/acme/d +300.0 .* main$", out, G_REGEX_MULTILINE, 0));
	g_assert_true(g_regex_match_simple("^model/alice/m +3.5K .* main refs/pr/1$",
					   out,
					   G_REGEX_MULTILINE,
					   0));
	g_assert_nonnull(
		strstr(out, "Found 2 repo(s) for a total of 3 revision(s) and 3.8K on disk."));

	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(type, NULL, &out, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "dataset/acme/d"));
	g_assert_null(strstr(out, "model/alice/m"));
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(size, NULL, &out, NULL), ==, 0);
	g_assert_null(strstr(out, "dataset/acme/d"));
	g_assert_nonnull(strstr(out, "model/alice/m"));
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(sorted, NULL, &out, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "dataset/acme/d"));
	g_assert_null(strstr(out, "model/alice/m"));
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(revs, NULL, &out, NULL), ==, 0);
	g_assert_true(g_regex_match_simple("^ID +REVISION +SIZE +LAST_MODIFIED +REFS$",
					   out,
					   G_REGEX_MULTILINE,
					   0));
	g_assert_nonnull(strstr(out, C2));
	g_assert_nonnull(strstr(out, C3));
	g_assert_null(strstr(out, C1));

	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(json, NULL, &out, NULL), ==, 0);
	node = hubd_test_parse_json(out);
	array = json_node_get_array(node);
	g_assert_cmpuint(json_array_get_length(array), ==, 2);
	g_assert_cmpstr(
		json_object_get_string_member(json_array_get_object_element(array, 0), "repo_id"),
		==,
		"acme/d");
	g_assert_cmpint(
		json_object_get_int_member(json_array_get_object_element(array, 1), "size_on_disk"),
		==,
		B1_SIZE + B2_SIZE + B3_SIZE);

	g_clear_pointer(&err, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(bad, NULL, NULL, &err), ==, 64);
	g_assert_nonnull(strstr(err, "colour"));
}

/* `hubctl cache rm` takes repos and revisions; `prune` the detached ones */
static void
test_cli_rm_prune(Fixture *f, gconstpointer data)
{
	const gchar *dry[] = {"cache", "rm", C1, "--dry-run", NULL};
	const gchar *unknown[] = {"cache", "rm", "model/nobody/x", "--yes", NULL};
	const gchar *rm[] = {"cache", "rm", "dataset/acme/d", "--yes", NULL};
	const gchar *prune[] = {"cache", "prune", "--yes", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *pr = g_build_filename(f->model, "refs", "refs", "pr", "1", NULL);

	g_assert_cmpint(hubd_test_run_hubctl(dry, NULL, &out, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "Dry run: no files were deleted."));
	g_assert_true(exists(f->model, "snapshots/" C1));
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(unknown, NULL, &out, NULL), ==, 1);
	g_assert_nonnull(strstr(out, "Could not find the following targets in the cache:"));
	g_assert_nonnull(strstr(out, "  - model/nobody/x"));
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(rm, NULL, &out, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "Deleted 1 repo(s) and 1 revision(s); freed 300.0."));
	g_assert_false(g_file_test(f->dataset, G_FILE_TEST_EXISTS));

	/* every revision has a ref: nothing to prune */
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(prune, NULL, &out, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "No unreferenced revisions found. Nothing to prune."));
	/* the PR is gone: C1 is detached, its own blob goes, the shared one stays */
	g_assert_cmpint(g_unlink(pr), ==, 0);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(prune, NULL, &out, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "Deleted 0 repo(s) and 1 revision(s); freed 2.0K."));
	g_assert_false(exists(f->model, "snapshots/" C1));
	g_assert_false(exists(f->model, "blobs/" B2));
	g_assert_true(exists(f->model, "blobs/" B1));
	g_assert_true(exists(f->model, "snapshots/" C2));
}

void
hubd_cache_test_add_service_tests(void)
{
#define ADD(name, func) g_test_add(name, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("/cache/service/scan", test_scan);
	ADD("/cache/service/delete-shared-blob", test_delete_shared_blob);
	ADD("/cache/service/delete-last-revision", test_delete_last_revision);
	ADD("/cache/service/delete-unknown", test_delete_unknown);
	ADD("/cache/service/cli", test_cli);
	ADD("/cache/service/cli-ls", test_cli_ls);
	ADD("/cache/service/cli-rm-prune", test_cli_rm_prune);
#undef ADD
}
