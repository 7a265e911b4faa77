/* hubd-cache-test.c: the huggingface_hub-compatible cache — the layout
 * functions in-process (names, paths, refs, .no_exist, links, locks, modes),
 * then org.hubd.Hub1.Cache Scan/Delete and `hubctl cache` against a cache
 * laid out by hand exactly as Python's huggingface_hub does */
#define G_LOG_DOMAIN "HubdCacheTest"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubd-cache.h"
#include "hubd-error.h"
#include "hubd-test-common.h"

#define CACHE_IFACE "org.hubd.Hub1.Cache"

#define C1 "c111111111111111111111111111111111111111"
#define C2 "c222222222222222222222222222222222222222"
#define C3 "c333333333333333333333333333333333333333"
#define B1 "b111111111111111111111111111111111111111" /* shared by C1 and C2 */
#define B2 "b2222222222222222222222222222222222222222222222222222222222222222"
#define B3 "b333333333333333333333333333333333333333"
#define D1 "d111111111111111111111111111111111111111"

static gchar *
make_tmp_dir(void)
{
	g_autoptr(GError) error = NULL;
	gchar *dir = g_dir_make_tmp("hubd-cache-test-XXXXXX", &error);

	g_assert_no_error(error);
	return dir;
}

static gchar *
read_file(const gchar *path)
{
	g_autoptr(GError) error = NULL;
	gchar *contents = NULL;

	g_file_get_contents(path, &contents, NULL, &error);
	g_assert_no_error(error);
	return contents;
}

/* ---- layout, in-process ---- */

static void
test_names(void)
{
	g_autoptr(HubdCache) cache = hubd_cache_new("/c");
	g_autofree gchar *a = hubd_cache_repo_folder_name(HUBD_REPO_TYPE_MODEL, "alice/test");
	g_autofree gchar *b = hubd_cache_repo_folder_name(HUBD_REPO_TYPE_DATASET, "acme/data");
	g_autofree gchar *c = hubd_cache_repo_folder_name(HUBD_REPO_TYPE_SPACE, "bob/app");
	g_autofree gchar *d = hubd_cache_repo_folder_name(HUBD_REPO_TYPE_MODEL, "gpt2");
	g_autofree gchar *repo = hubd_cache_repo_path(cache, HUBD_REPO_TYPE_MODEL, "alice/test");
	g_autofree gchar *blob =
		hubd_cache_blob_path(cache, HUBD_REPO_TYPE_MODEL, "alice/test", B1);
	g_autofree gchar *snap =
		hubd_cache_snapshot_path(cache, HUBD_REPO_TYPE_MODEL, "alice/test", C1, NULL);
	g_autofree gchar *file =
		hubd_cache_snapshot_path(cache, HUBD_REPO_TYPE_MODEL, "alice/test", C1, "a/b.txt");
	g_autofree gchar *inc =
		hubd_cache_incomplete_path(cache, HUBD_REPO_TYPE_MODEL, "alice/test", B1);

	g_assert_cmpstr(a, ==, "models--alice--test");
	g_assert_cmpstr(b, ==, "datasets--acme--data");
	g_assert_cmpstr(c, ==, "spaces--bob--app");
	g_assert_cmpstr(d, ==, "models--gpt2");
	g_assert_cmpstr(hubd_cache_get_root(cache), ==, "/c");
	g_assert_cmpstr(repo, ==, "/c/models--alice--test");
	g_assert_cmpstr(blob, ==, "/c/models--alice--test/blobs/" B1);
	g_assert_cmpstr(snap, ==, "/c/models--alice--test/snapshots/" C1);
	g_assert_cmpstr(file, ==, "/c/models--alice--test/snapshots/" C1 "/a/b.txt");
	g_assert_cmpstr(inc, ==, "/c/models--alice--test/blobs/" B1 ".hubd.incomplete");
	g_assert_true(hubd_cache_is_commit_hash(C1));
	g_assert_false(hubd_cache_is_commit_hash("C111111111111111111111111111111111111111"));
	g_assert_false(hubd_cache_is_commit_hash("c11111"));
	g_assert_false(hubd_cache_is_commit_hash("main"));
	g_assert_false(hubd_cache_is_commit_hash(NULL));
}

static void
test_root_from_environment(void)
{
	const gchar *vars[] = {"HF_HUB_CACHE",
			       "HUGGINGFACE_HUB_CACHE",
			       "HF_HOME",
			       "XDG_CACHE_HOME"};
	g_autofree gchar *home_default =
		g_build_filename(g_get_home_dir(), ".cache", "huggingface", "hub", NULL);
	g_autofree gchar *tilde = g_build_filename(g_get_home_dir(), "hfc", NULL);
	struct {
		const gchar *var;
		const gchar *value;
		const gchar *expected;
	} cases[] = {
		{"XDG_CACHE_HOME", "/xdg", "/xdg/huggingface/hub"},
		{"HF_HOME", "/hfhome", "/hfhome/hub"},
		{"HUGGINGFACE_HUB_CACHE", "/legacy", "/legacy"},
		{"HF_HUB_CACHE", "/hubcache", "/hubcache"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(vars); i++)
		g_unsetenv(vars[i]);
	{
		g_autoptr(HubdCache) cache = hubd_cache_new(NULL);
		g_assert_cmpstr(hubd_cache_get_root(cache), ==, home_default);
	}
	/* each one set on top of the previous ones wins */
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(HubdCache) cache = NULL;
		g_setenv(cases[i].var, cases[i].value, TRUE);
		cache = hubd_cache_new(NULL);
		g_assert_cmpstr(hubd_cache_get_root(cache), ==, cases[i].expected);
	}
	g_setenv("HF_HUB_CACHE", "~/hfc", TRUE);
	{
		g_autoptr(HubdCache) cache = hubd_cache_new(NULL);
		g_assert_cmpstr(hubd_cache_get_root(cache), ==, tilde);
	}
	{
		g_autoptr(HubdCache) cache = hubd_cache_new("/explicit");
		g_assert_cmpstr(hubd_cache_get_root(cache), ==, "/explicit");
	}
	for (guint i = 0; i < G_N_ELEMENTS(vars); i++)
		g_unsetenv(vars[i]);
}

static void
test_ensure_repo(void)
{
	g_autofree gchar *tmp = make_tmp_dir();
	g_autofree gchar *root = g_build_filename(tmp, "hub", NULL);
	g_autoptr(HubdCache) cache = hubd_cache_new(root);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tag_path = g_build_filename(root, "CACHEDIR.TAG", NULL);
	g_autofree gchar *tag = NULL;
	const gchar *sub[] = {"blobs", "refs", "snapshots"};

	g_assert_true(hubd_cache_ensure_repo(cache, HUBD_REPO_TYPE_DATASET, "acme/data", &error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(sub); i++) {
		g_autofree gchar *dir =
			g_build_filename(root, "datasets--acme--data", sub[i], NULL);
		g_assert_true(g_file_test(dir, G_FILE_TEST_IS_DIR));
	}
	tag = read_file(tag_path);
	g_assert_cmpstr(tag,
			==,
			"Signature: 8a477f597d28d172789f06886806bc55\n"
			"# This file is a cache directory tag created by huggingface_hub.\n"
			"# For information about cache directory tags, see:\n"
			"#\thttps://bford.info/cachedir/\n");
	/* a bad id touches nothing */
	g_assert_false(hubd_cache_ensure_repo(cache, HUBD_REPO_TYPE_MODEL, "../x", &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	hubd_test_rm_rf(tmp);
}

static void
assert_no_tmp_files(const gchar *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)) != NULL)
		g_assert_false(g_str_has_suffix(name, ".tmp"));
}

static void
test_refs(void)
{
	g_autofree gchar *root = make_tmp_dir();
	g_autoptr(HubdCache) cache = hubd_cache_new(root);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *refs = g_build_filename(root, "models--alice--test", "refs", NULL);
	g_autofree gchar *main_path = g_build_filename(refs, "main", NULL);
	g_autofree gchar *pr_path = g_build_filename(refs, "refs", "pr", "1", NULL);
	g_autofree gchar *contents = NULL;
	g_autofree gchar *read = NULL;
	g_autofree gchar *resolved = NULL;
	struct stat before, after;

	g_assert_null(hubd_cache_read_ref(cache, HUBD_REPO_TYPE_MODEL, "alice/test", "main"));
	g_assert_true(hubd_cache_write_ref(cache,
					   HUBD_REPO_TYPE_MODEL,
					   "alice/test",
					   "main",
					   C1,
					   &error));
	g_assert_no_error(error);
	/* exactly the 40 chars: no trailing newline */
	contents = read_file(main_path);
	g_assert_cmpstr(contents, ==, C1);
	read = hubd_cache_read_ref(cache, HUBD_REPO_TYPE_MODEL, "alice/test", "main");
	g_assert_cmpstr(read, ==, C1);
	assert_no_tmp_files(refs);

	/* unchanged: not rewritten (a rewrite is a rename, a new inode) */
	g_assert_cmpint(g_stat(main_path, &before), ==, 0);
	g_assert_true(hubd_cache_write_ref(cache,
					   HUBD_REPO_TYPE_MODEL,
					   "alice/test",
					   "main",
					   C1,
					   &error));
	g_assert_cmpint(g_stat(main_path, &after), ==, 0);
	g_assert_cmpuint(before.st_ino, ==, after.st_ino);
	/* changed: replaced */
	g_assert_true(hubd_cache_write_ref(cache,
					   HUBD_REPO_TYPE_MODEL,
					   "alice/test",
					   "main",
					   C2,
					   &error));
	g_clear_pointer(&contents, g_free);
	contents = read_file(main_path);
	g_assert_cmpstr(contents, ==, C2);
	assert_no_tmp_files(refs);

	/* a commit as revision writes nothing */
	g_assert_true(
		hubd_cache_write_ref(cache, HUBD_REPO_TYPE_MODEL, "alice/test", C3, C3, &error));
	{
		g_autofree gchar *p = g_build_filename(refs, C3, NULL);
		g_assert_false(g_file_test(p, G_FILE_TEST_EXISTS));
	}
	/* nested refs */
	g_assert_true(hubd_cache_write_ref(cache,
					   HUBD_REPO_TYPE_MODEL,
					   "alice/test",
					   "refs/pr/1",
					   C3,
					   &error));
	g_clear_pointer(&contents, g_free);
	contents = read_file(pr_path);
	g_assert_cmpstr(contents, ==, C3);
	/* a revision that would leave refs/ is refused */
	g_assert_false(hubd_cache_write_ref(cache,
					    HUBD_REPO_TYPE_MODEL,
					    "alice/test",
					    "../../x",
					    C3,
					    &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);

	resolved =
		hubd_cache_resolve_revision(cache, HUBD_REPO_TYPE_MODEL, "alice/test", "refs/pr/1");
	g_assert_cmpstr(resolved, ==, C3);
	g_clear_pointer(&resolved, g_free);
	resolved = hubd_cache_resolve_revision(cache, HUBD_REPO_TYPE_MODEL, "alice/test", C1);
	g_assert_cmpstr(resolved, ==, C1);
	g_assert_null(
		hubd_cache_resolve_revision(cache, HUBD_REPO_TYPE_MODEL, "alice/test", "dev"));
	hubd_test_rm_rf(root);
}

static void
test_no_exist(void)
{
	g_autofree gchar *root = make_tmp_dir();
	g_autoptr(HubdCache) cache = hubd_cache_new(root);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *marker = g_build_filename(root,
						    "models--alice--test",
						    ".no_exist",
						    C1,
						    "sub",
						    "f.txt",
						    NULL);
	struct stat st;

	g_assert_false(
		hubd_cache_is_no_exist(cache, HUBD_REPO_TYPE_MODEL, "alice/test", C1, "sub/f.txt"));
	g_assert_true(hubd_cache_mark_no_exist(cache,
					       HUBD_REPO_TYPE_MODEL,
					       "alice/test",
					       C1,
					       "sub/f.txt",
					       &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_stat(marker, &st), ==, 0);
	g_assert_true(S_ISREG(st.st_mode));
	g_assert_cmpint(st.st_size, ==, 0);
	g_assert_true(
		hubd_cache_is_no_exist(cache, HUBD_REPO_TYPE_MODEL, "alice/test", C1, "sub/f.txt"));
	g_assert_false(
		hubd_cache_is_no_exist(cache, HUBD_REPO_TYPE_MODEL, "alice/test", C2, "sub/f.txt"));
	g_assert_false(hubd_cache_mark_no_exist(cache,
						HUBD_REPO_TYPE_MODEL,
						"alice/test",
						C1,
						"../x",
						&error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	hubd_test_rm_rf(root);
}

static void
test_link_snapshot(void)
{
	g_autofree gchar *root = make_tmp_dir();
	g_autoptr(HubdCache) cache = hubd_cache_new(root);
	g_autoptr(GError) error = NULL;
	const struct {
		const gchar *file;
		const gchar *target;
	} cases[] = {
		{"README.md", "../../blobs/" B1},
		{"sub/x.bin", "../../../blobs/" B1},
		{"a/b/c.json", "../../../../blobs/" B1},
	};
	g_autofree gchar *blob =
		hubd_cache_blob_path(cache, HUBD_REPO_TYPE_MODEL, "alice/test", B1);

	g_assert_true(hubd_cache_ensure_repo(cache, HUBD_REPO_TYPE_MODEL, "alice/test", &error));
	hubd_test_write_file(blob, "blob one");
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *path = hubd_cache_snapshot_path(cache,
								  HUBD_REPO_TYPE_MODEL,
								  "alice/test",
								  C1,
								  cases[i].file);
		g_autofree gchar *target = NULL;
		g_autofree gchar *contents = NULL;

		g_assert_true(hubd_cache_link_snapshot(cache,
						       HUBD_REPO_TYPE_MODEL,
						       "alice/test",
						       C1,
						       cases[i].file,
						       B1,
						       &error));
		g_assert_no_error(error);
		target = g_file_read_link(path, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(target, ==, cases[i].target);
		/* it resolves to the blob */
		contents = read_file(path);
		g_assert_cmpstr(contents, ==, "blob one");
	}
	/* linking again to another blob replaces the link */
	g_assert_true(hubd_cache_link_snapshot(cache,
					       HUBD_REPO_TYPE_MODEL,
					       "alice/test",
					       C1,
					       "README.md",
					       B3,
					       &error));
	{
		g_autofree gchar *path = hubd_cache_snapshot_path(cache,
								  HUBD_REPO_TYPE_MODEL,
								  "alice/test",
								  C1,
								  "README.md");
		g_autofree gchar *target = g_file_read_link(path, &error);
		g_autofree gchar *dir = g_path_get_dirname(path);
		g_assert_cmpstr(target, ==, "../../blobs/" B3);
		assert_no_tmp_files(dir);
	}
	g_assert_false(hubd_cache_link_snapshot(cache,
						HUBD_REPO_TYPE_MODEL,
						"alice/test",
						C1,
						"/etc/passwd",
						B1,
						&error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(hubd_cache_link_snapshot(cache,
						HUBD_REPO_TYPE_MODEL,
						"alice/test",
						C1,
						"ok.txt",
						"../x",
						&error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	hubd_test_rm_rf(root);
}

/* `flock -n FILE true`: another process trying the lock without waiting */
static gboolean
other_process_can_lock(const gchar *path)
{
	const gchar *argv[] = {"flock", "-n", path, "true", NULL};

	return hubd_test_run_command(argv, NULL, NULL, NULL, NULL) == 0;
}

static gpointer
lock_thread(gpointer data)
{
	HubdCache *cache = data;
	g_autoptr(GError) error = NULL;
	HubdCacheLock *lock =
		hubd_cache_lock_blob(cache, HUBD_REPO_TYPE_MODEL, "alice/test", B1, NULL, &error);

	g_assert_no_error(error);
	return lock;
}

static void
test_lock(void)
{
	g_autofree gchar *root = make_tmp_dir();
	g_autoptr(HubdCache) cache = hubd_cache_new(root);
	g_autoptr(GError) error = NULL;
	g_autoptr(GCancellable) cancelled = g_cancellable_new();
	g_autofree gchar *path =
		g_build_filename(root, ".locks", "models--alice--test", B1 ".lock", NULL);
	HubdCacheLock *lock;
	HubdCacheLock *second;
	GThread *thread;
	struct stat st;
	mode_t old_umask = umask(022);

	lock = hubd_cache_lock_blob(cache, HUBD_REPO_TYPE_MODEL, "alice/test", B1, NULL, &error);
	umask(old_umask);
	g_assert_no_error(error);
	g_assert_nonnull(lock);
	/* 0664 whatever the umask, so users sharing a cache can all lock */
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0664);
	g_assert_false(other_process_can_lock(path));

	/* a second locker waits; cancelled, it gives up with Cancelled */
	g_cancellable_cancel(cancelled);
	second = hubd_cache_lock_blob(cache,
				      HUBD_REPO_TYPE_MODEL,
				      "alice/test",
				      B1,
				      cancelled,
				      &error);
	g_assert_null(second);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CANCELLED);
	g_clear_error(&error);

	/* a waiting thread gets it once the first is released */
	thread = g_thread_new("locker", lock_thread, cache);
	hubd_cache_lock_release(lock);
	second = g_thread_join(thread);
	g_assert_nonnull(second);
	g_assert_false(other_process_can_lock(path));
	hubd_cache_lock_release(second);
	g_assert_true(other_process_can_lock(path));
	/* the lock file stays (huggingface_hub#1659) */
	g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));

	g_assert_null(hubd_cache_lock_blob(cache,
					   HUBD_REPO_TYPE_MODEL,
					   "alice/test",
					   "a/b",
					   NULL,
					   &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	hubd_test_rm_rf(root);
}

static void
test_move_into_place(void)
{
	g_autofree gchar *root = make_tmp_dir();
	g_autoptr(HubdCache) cache = hubd_cache_new(root);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *repo = hubd_cache_repo_path(cache, HUBD_REPO_TYPE_MODEL, "alice/test");
	const mode_t umasks[] = {022, 002, 077};
	/* the umask's read bits, never a write bit */
	const mode_t expected[] = {0444, 0444, 0400};

	g_assert_true(hubd_cache_ensure_repo(cache, HUBD_REPO_TYPE_MODEL, "alice/test", &error));
	for (guint i = 0; i < G_N_ELEMENTS(umasks); i++) {
		g_autofree gchar *name = g_strdup_printf("%s%u", B1, i);
		g_autofree gchar *final =
			hubd_cache_blob_path(cache, HUBD_REPO_TYPE_MODEL, "alice/test", name);
		g_autofree gchar *tmp = g_strconcat(final, ".abcd1234.incomplete", NULL);
		g_autofree gchar *contents = NULL;
		mode_t old;
		struct stat st;
		gboolean ok;

		hubd_test_write_file(tmp, "payload");
		g_assert_cmpint(g_chmod(tmp, 0600), ==, 0);
		old = umask(umasks[i]);
		ok = hubd_cache_move_into_place(tmp, final, &error);
		umask(old);
		g_assert_no_error(error);
		g_assert_true(ok);
		g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
		g_assert_cmpint(g_stat(final, &st), ==, 0);
		g_assert_cmpint(st.st_mode & 0777, ==, expected[i]);
		contents = read_file(final);
		g_assert_cmpstr(contents, ==, "payload");
	}
	/* the mode probe does not stay behind */
	{
		g_autoptr(GDir) d = g_dir_open(repo, 0, NULL);
		const gchar *n;
		while ((n = g_dir_read_name(d)) != NULL)
			g_assert_false(g_str_has_prefix(n, "tmp_"));
	}
	hubd_test_rm_rf(root);
}

/* hubd-cache-test-service.c: the D-Bus and CLI half */
void
hubd_cache_test_add_service_tests(void);

gint
main(gint argc, gchar **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cache/layout/names", test_names);
	g_test_add_func("/cache/layout/root-from-environment", test_root_from_environment);
	g_test_add_func("/cache/layout/ensure-repo", test_ensure_repo);
	g_test_add_func("/cache/layout/refs", test_refs);
	g_test_add_func("/cache/layout/no-exist", test_no_exist);
	g_test_add_func("/cache/layout/link-snapshot", test_link_snapshot);
	g_test_add_func("/cache/layout/lock", test_lock);
	g_test_add_func("/cache/layout/move-into-place", test_move_into_place);
	hubd_cache_test_add_service_tests();
	return g_test_run();
}
