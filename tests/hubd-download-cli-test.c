/* hubd-download-cli-test.c: `hubctl download` end to end — the real daemon,
 * the local Hub, a private HF_HUB_CACHE, and the bytes that land on disk:
 * one file, snapshots with patterns, several names, --local-dir, --revision
 * by tag, errors, --quiet, --json, no progress escapes off a terminal, and
 * Ctrl-C cancelling a slow transfer. */
#define G_LOG_DOMAIN "HubdDownloadCliTest"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define REPO        "alice/dl"
#define REPO_DIR    "models--alice--dl"
/* anything above this goes through LFS (and so the CDN origin) */
#define LFS_THRESHOLD 1024

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	gchar *tmp;   /* removed at teardown */
	gchar *cache; /* HF_HUB_CACHE of the daemon */
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *cache_env = NULL;
	g_autofree gchar *body = NULL;
	guint status;

	f->tmp = g_dir_make_tmp("hubd-download-cli-XXXXXX", &error);
	g_assert_no_error(error);
	f->cache = g_build_filename(f->tmp, "hf-cache", NULL);
	cache_env = g_strconcat("HF_HUB_CACHE=", f->cache, NULL);

	f->hub = hubd_test_hub_start(NULL);
	{
		const gchar *args[] = {"--endpoint",
				       f->hub->url,
				       "--set",
				       "http.retry-base-ms=50",
				       NULL};
		const gchar *env[] = {cache_env, NULL};
		f->daemon = hubd_test_daemon_start(args, env);
	}
	status = hubd_test_hub_http(
		f->hub,
		"POST",
		"/api/repos/create",
		ALICE_WRITE,
		"{\"name\": \"dl\", \"organization\": null, \"type\": \"model\"}",
		&body);
	g_assert_cmpuint(status, ==, 200);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	hubd_test_daemon_stop(f->daemon);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->tmp);
	g_free(f->cache);
	g_free(f->tmp);
}

/* "weights.bin" of `size` bytes, not compressible, so LFS and the CDN are used */
static gchar *
make_blob(gsize size, guint seed)
{
	gchar *data = g_malloc(size + 1);
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);

	/* printable, so it passes through the NUL-terminated fixture API */
	for (gsize i = 0; i < size; i++)
		data[i] = (gchar)('a' + g_rand_int_range(rand, 0, 26));
	data[size] = '\0';
	return data;
}

static gchar *
snapshot_dir(Fixture *f, const gchar *commit)
{
	return g_build_filename(f->cache, REPO_DIR, "snapshots", commit, NULL);
}

/* No progress bar off a terminal: no carriage return, no escape sequence. */
static void
assert_no_bar(const gchar *err)
{
	g_assert_null(strchr(err, '\r'));
	g_assert_null(strchr(err, '\033'));
}

static void
test_usage(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	const gchar *no_repo[] = {"download", NULL};
	const gchar *bad_type[] = {"download", REPO, "--type", "modle", NULL};
	const gchar *bad_workers[] = {"download", REPO, "--max-workers", "-2", NULL};

	g_assert_cmpint(hubd_test_run_hubctl(no_repo, NULL, &out, &err), ==, 64);
	g_assert_cmpstr(out, ==, "");
	g_assert_true(g_str_has_prefix(err, "hubctl download: "));
	g_clear_pointer(&err, g_free);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(bad_type, NULL, &out, &err), ==, 64);
	g_assert_nonnull(strstr(err, "modle"));
	g_clear_pointer(&err, g_free);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(bad_workers, NULL, &out, &err), ==, 64);
}

static void
test_one_file(Fixture *f, gconstpointer data)
{
	const gchar *config = "{\"model_type\": \"bert\"}\n";
	g_autofree gchar *weights = make_blob(300 * 1024, 1);
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      LFS_THRESHOLD,
							      "config.json",
							      config,
							      "weights.bin",
							      weights,
							      NULL);
	g_autofree gchar *snapshot = snapshot_dir(f, commit);
	const gchar *names[] = {"config.json", "weights.bin"};
	const gchar *contents[] = {config, weights};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		const gchar *argv[] = {"download", REPO, names[i], NULL};
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;
		g_autofree gchar *path = NULL;
		g_autofree gchar *expected = g_build_filename(snapshot, names[i], NULL);

		g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, &err), ==, 0);
		path = hubd_test_one_line(out);
		g_assert_cmpstr(path, ==, expected);
		hubd_test_assert_file_equals(path, contents[i]);
		/* the cache layout: a relative symlink into blobs/ */
		g_assert_true(g_file_test(path, G_FILE_TEST_IS_SYMLINK));
		assert_no_bar(err);
	}
	/* the LFS file came from the CDN */
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", "^/lfs/", "cdn"), >=, 1);
}

static void
test_snapshot_patterns(Fixture *f, gconstpointer data)
{
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      LFS_THRESHOLD,
							      "a.txt",
							      "alpha\n",
							      "b.json",
							      "{}\n",
							      "sub/c.txt",
							      "gamma\n",
							      "sub/d.txt",
							      "delta\n",
							      NULL);
	g_autofree gchar *snapshot = snapshot_dir(f, commit);
	g_autofree gchar *a = g_build_filename(snapshot, "a.txt", NULL);
	g_autofree gchar *b = g_build_filename(snapshot, "b.json", NULL);
	g_autofree gchar *c = g_build_filename(snapshot, "sub", "c.txt", NULL);
	g_autofree gchar *d = g_build_filename(snapshot, "sub", "d.txt", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *path = NULL;
	const gchar *argv[] = {"download",
			       REPO,
			       "--include",
			       "*.txt",
			       "--exclude",
			       "sub/d*",
			       "--max-workers",
			       "2",
			       NULL};

	g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, &err), ==, 0);
	path = hubd_test_one_line(out);
	g_assert_cmpstr(path, ==, snapshot);
	assert_no_bar(err);
	hubd_test_assert_file_equals(a, "alpha\n");
	hubd_test_assert_file_equals(c, "gamma\n"); /* "*" crosses "/", as in huggingface_hub */
	g_assert_false(g_file_test(b, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(d, G_FILE_TEST_EXISTS));
}

static void
test_several_files(Fixture *f, gconstpointer data)
{
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      LFS_THRESHOLD,
							      "a.txt",
							      "alpha\n",
							      "b.json",
							      "{}\n",
							      "sub/c.txt",
							      "gamma\n",
							      NULL);
	g_autofree gchar *snapshot = snapshot_dir(f, commit);
	g_autofree gchar *a = g_build_filename(snapshot, "a.txt", NULL);
	g_autofree gchar *b = g_build_filename(snapshot, "b.json", NULL);
	g_autofree gchar *c = g_build_filename(snapshot, "sub", "c.txt", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *path = NULL;
	const gchar *argv[] = {"download", REPO, "b.json", "sub/c.txt", NULL};

	g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, &err), ==, 0);
	path = hubd_test_one_line(out);
	g_assert_cmpstr(path, ==, snapshot);
	hubd_test_assert_file_equals(b, "{}\n");
	hubd_test_assert_file_equals(c, "gamma\n");
	g_assert_false(g_file_test(a, G_FILE_TEST_EXISTS));
}

/* "sub/" names a folder: a snapshot of just that folder, as hf does */
static void
test_folder(Fixture *f, gconstpointer data)
{
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      LFS_THRESHOLD,
							      "a.txt",
							      "alpha\n",
							      "sub/c.txt",
							      "gamma\n",
							      "sub/deeper/d.txt",
							      "delta\n",
							      NULL);
	g_autofree gchar *snapshot = snapshot_dir(f, commit);
	g_autofree gchar *a = g_build_filename(snapshot, "a.txt", NULL);
	g_autofree gchar *c = g_build_filename(snapshot, "sub", "c.txt", NULL);
	g_autofree gchar *d = g_build_filename(snapshot, "sub", "deeper", "d.txt", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *path = NULL;
	const gchar *argv[] = {"download", REPO, "sub/", NULL};

	g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, &err), ==, 0);
	path = hubd_test_one_line(out);
	g_assert_cmpstr(path, ==, snapshot);
	hubd_test_assert_file_equals(c, "gamma\n");
	hubd_test_assert_file_equals(d, "delta\n");
	g_assert_false(g_file_test(a, G_FILE_TEST_EXISTS));
}

static void
test_local_dir(Fixture *f, gconstpointer data)
{
	const gchar *config = "{\"local\": true}\n";
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      LFS_THRESHOLD,
							      "config.json",
							      config,
							      NULL);
	g_autofree gchar *cwd = g_get_current_dir();
	g_autofree gchar *work = g_build_filename(f->tmp, "work", NULL);
	g_autofree gchar *expected = g_build_filename(work, "out", "config.json", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *path = NULL;
	/* relative: hubctl must resolve it, since hubd has another working directory */
	const gchar *argv[] = {"download", REPO, "config.json", "--local-dir", "out", NULL};
	gint rc;

	g_assert_nonnull(commit);
	g_assert_cmpint(g_mkdir_with_parents(work, 0700), ==, 0);
	g_assert_cmpint(g_chdir(work), ==, 0);
	rc = hubd_test_run_hubctl(argv, NULL, &out, &err);
	g_assert_cmpint(g_chdir(cwd), ==, 0);
	g_assert_cmpint(rc, ==, 0);
	path = hubd_test_one_line(out);
	g_assert_cmpstr(path, ==, expected);
	/* a real file, not a link into the cache */
	g_assert_false(g_file_test(path, G_FILE_TEST_IS_SYMLINK));
	hubd_test_assert_file_equals(path, config);
}

/* --cache-dir: the files land in that folder, the shared cache is left
 * alone; --dry-run lists them (table, total, --json) and writes nothing;
 * --cache-dir with --local-dir is a usage error */
static void
test_cache_dir_dry_run(Fixture *f, gconstpointer data)
{
	const gchar *config = "{\"c\": 1}\n";
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      LFS_THRESHOLD,
							      "config.json",
							      config,
							      "README.md",
							      "# x\n",
							      NULL);
	g_autofree gchar *mine = g_build_filename(f->tmp, "mine", NULL);
	g_autofree gchar *expected =
		g_build_filename(mine, REPO_DIR, "snapshots", commit, "config.json", NULL);
	const gchar *both[] = {"download", REPO, "--cache-dir", mine, "--local-dir", mine, NULL};
	const gchar *dry[] = {"download", REPO, "--cache-dir", mine, "--dry-run", NULL};
	const gchar *dry_json[] =
		{"download", REPO, "--cache-dir", mine, "--dry-run", "--json", NULL};
	const gchar *one[] = {"download", REPO, "config.json", "--cache-dir", mine, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *root;
	JsonArray *files;

	g_assert_cmpint(hubd_test_run_hubctl(both, NULL, &out, &err), ==, 64);
	g_assert_nonnull(strstr(err, "--cache-dir"));
	g_assert_false(g_file_test(mine, G_FILE_TEST_EXISTS));

	/* nothing cached yet: both would be downloaded, and nothing is written */
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(dry, NULL, &out, &err), ==, 0);
	g_test_message("%s", out);
	g_assert_nonnull(strstr(out, "WILL DOWNLOAD"));
	g_assert_nonnull(strstr(out, "[dry-run] Will download 3 of 3 files"));
	g_assert_false(g_file_test(mine, G_FILE_TEST_EXISTS));

	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(one, NULL, &out, &err), ==, 0);
	path = hubd_test_one_line(out);
	g_assert_cmpstr(path, ==, expected);
	hubd_test_assert_file_equals(path, config);
	g_assert_false(g_file_test(f->cache, G_FILE_TEST_EXISTS));

	/* now config.json is cached in that folder */
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(dry_json, NULL, &out, &err), ==, 0);
	g_assert_true(json_parser_load_from_data(parser, out, -1, NULL));
	root = json_node_get_object(json_parser_get_root(parser));
	g_assert_true(json_object_get_boolean_member(root, "dry_run"));
	g_assert_cmpstr(json_object_get_string_member(root, "commit"), ==, commit);
	g_assert_cmpint(json_object_get_int_member(root, "download_count"), ==, 2);
	files = json_object_get_array_member(root, "files");
	g_assert_cmpuint(json_array_get_length(files), ==, 3);
	for (guint i = 0; i < json_array_get_length(files); i++) {
		JsonObject *e = json_array_get_object_element(files, i);
		gboolean is_config =
			g_strcmp0(json_object_get_string_member(e, "filename"), "config.json") == 0;

		g_assert_cmpint(json_object_get_boolean_member(e, "cached"), ==, is_config);
		g_assert_cmpint(json_object_get_boolean_member(e, "will_download"), ==, !is_config);
	}
}

static void
test_revision_tag(Fixture *f, gconstpointer data)
{
	g_autofree gchar *old_commit = hubd_test_hub_commit_files(f->hub,
								  ALICE_WRITE,
								  "model",
								  REPO,
								  "main",
								  LFS_THRESHOLD,
								  "v.txt",
								  "one\n",
								  NULL);
	g_autofree gchar *new_commit = NULL;
	g_autofree gchar *body = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *old_snapshot = snapshot_dir(f, old_commit);
	g_autofree gchar *expected = g_build_filename(old_snapshot, "v.txt", NULL);
	const gchar *argv[] = {"download", REPO, "v.txt", "--revision", "v1.0", NULL};
	guint status = hubd_test_hub_http(f->hub,
					  "POST",
					  "/api/models/" REPO "/tag/main",
					  ALICE_WRITE,
					  "{\"tag\": \"v1.0\"}",
					  &body);

	g_assert_cmpuint(status, ==, 200);
	new_commit = hubd_test_hub_commit_files(f->hub,
						ALICE_WRITE,
						"model",
						REPO,
						"main",
						LFS_THRESHOLD,
						"v.txt",
						"two\n",
						NULL);
	g_assert_cmpstr(new_commit, !=, old_commit);

	g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, &err), ==, 0);
	path = hubd_test_one_line(out);
	g_assert_cmpstr(path, ==, expected);
	hubd_test_assert_file_equals(path, "one\n");
}

static void
test_missing(Fixture *f, gconstpointer data)
{
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      LFS_THRESHOLD,
							      "a.txt",
							      "alpha\n",
							      NULL);
	const gchar *missing_file[] = {"download", REPO, "nope.txt", NULL};
	const gchar *missing_repo[] = {"download", "alice/no-such-repo", "a.txt", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *nope = NULL;

	g_assert_nonnull(commit);
	g_assert_cmpint(hubd_test_run_hubctl(missing_file, NULL, &out, &err), ==, 1);
	g_assert_cmpstr(out, ==, "");
	g_assert_true(g_str_has_prefix(err, "hubctl: "));
	/* the message names what is missing, without D-Bus noise */
	g_assert_nonnull(strstr(err, "nope.txt"));
	g_assert_null(strstr(err, "GDBus.Error"));
	nope = g_build_filename(f->cache, REPO_DIR, "snapshots", commit, "nope.txt", NULL);
	g_assert_false(g_file_test(nope, G_FILE_TEST_EXISTS));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	g_assert_cmpint(hubd_test_run_hubctl(missing_repo, NULL, &out, &err), ==, 1);
	g_assert_cmpstr(out, ==, "");
	g_assert_true(g_str_has_prefix(err, "hubctl: "));
	g_assert_nonnull(strstr(err, "alice/no-such-repo"));
}

static void
test_quiet(Fixture *f, gconstpointer data)
{
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      LFS_THRESHOLD,
							      "a.txt",
							      "alpha\n",
							      NULL);
	g_autofree gchar *snapshot = snapshot_dir(f, commit);
	g_autofree gchar *expected = g_build_filename(snapshot, "a.txt", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	/* --include with a file name would warn; --quiet silences warnings */
	const gchar *argv[] = {"download", REPO, "a.txt", "--include", "*.md", "--quiet", NULL};
	g_autofree gchar *expected_out = g_strconcat(expected, "\n", NULL);

	g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, &err), ==, 0);
	/* like hf: the path is always printed; nothing else, anywhere */
	g_assert_cmpstr(out, ==, expected_out);
	g_assert_cmpstr(err, ==, "");
}

static void
test_json(Fixture *f, gconstpointer data)
{
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      LFS_THRESHOLD,
							      "a.txt",
							      "alpha\n",
							      "b.txt",
							      "beta\n",
							      NULL);
	g_autofree gchar *snapshot = snapshot_dir(f, commit);
	g_autofree gchar *expected_file = g_build_filename(snapshot, "a.txt", NULL);
	const gchar *one[] = {"download", REPO, "a.txt", "--json", NULL};
	const gchar *all[] = {"download", REPO, "--include", "*.txt", "--json", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(JsonNode) root = NULL;
	JsonObject *o;
	JsonArray *files;

	g_assert_cmpint(hubd_test_run_hubctl(one, NULL, &out, &err), ==, 0);
	root = hubd_test_parse_json(out);
	o = json_node_get_object(root);
	g_assert_cmpstr(json_object_get_string_member(o, "path"), ==, expected_file);
	g_assert_cmpstr(json_object_get_string_member(o, "commit"), ==, commit);
	files = json_object_get_array_member(o, "files");
	g_assert_cmpuint(json_array_get_length(files), ==, 1);
	o = json_array_get_object_element(files, 0);
	g_assert_cmpstr(json_object_get_string_member(o, "filename"), ==, "a.txt");
	g_assert_cmpint(json_object_get_int_member(o, "size"), ==, 6);
	assert_no_bar(err);
	g_clear_pointer(&root, json_node_unref);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	g_assert_cmpint(hubd_test_run_hubctl(all, NULL, &out, &err), ==, 0);
	root = hubd_test_parse_json(out);
	o = json_node_get_object(root);
	g_assert_cmpstr(json_object_get_string_member(o, "path"), ==, snapshot);
	g_assert_cmpstr(json_object_get_string_member(o, "commit"), ==, commit);
	files = json_object_get_array_member(o, "files");
	g_assert_cmpuint(json_array_get_length(files), ==, 2);
}

/* On a terminal (script(1) gives hubctl a pty) the bar is drawn in place and
 * wiped at the end; --quiet draws nothing. The transfer is slowed down so
 * that it is still running when hubctl starts watching it. */
static void
test_tty_progress(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = make_blob(2 * 1024 * 1024, 3);
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      LFS_THRESHOLD,
							      "big.bin",
							      big,
							      NULL);
	g_autofree gchar *snapshot = snapshot_dir(f, commit);
	g_autofree gchar *expected = g_build_filename(snapshot, "big.bin", NULL);
	const gchar *hubctl = g_getenv("HUBD_TEST_HUBCTL");
	g_autofree gchar *command = NULL;
	g_autofree gchar *quiet_command = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *quiet_out = NULL;
	g_autofree gchar *script = g_find_program_in_path("script");

	g_assert_nonnull(hubctl);
	if (script == NULL) {
		g_test_skip("script(1) is not installed");
		return;
	}
	hubd_test_hub_add_fault(
		f->hub,
		"{\"action\": \"slow\", \"path_regex\": \"^/lfs/\", \"chunk_size\": "
		"65536, \"delay_ms\": 50, \"times\": 0}");
	command = g_strdup_printf("%s download %s big.bin", hubctl, REPO);
	{
		const gchar *argv[] = {"script", "-qec", command, "/dev/null", NULL};
		g_assert_cmpint(hubd_test_run_command(argv, NULL, NULL, &out, NULL), ==, 0);
	}
	g_test_message("tty output: %s", out);
	g_assert_nonnull(strstr(out, "downloading"));
	g_assert_nonnull(strstr(out, "%"));
	g_assert_nonnull(strstr(out, "\033[2K"));
	/* a line for the file in flight above the total, redrawn in place */
	g_assert_nonnull(strstr(out, "\033[2K  big.bin ["));
	g_assert_nonnull(strstr(out, "\033[1A"));
	/* the bars are wiped before the path is printed */
	g_assert_true(g_str_has_prefix(g_strrstr(out, "\033[J") + 3, expected));
	g_assert_true(g_str_has_suffix(out, "\r\n"));
	g_assert_nonnull(strstr(out, expected));
	g_assert_true(g_str_has_suffix(strstr(out, expected), "big.bin\r\n"));

	quiet_command = g_strdup_printf("%s download %s big.bin --quiet --force", hubctl, REPO);
	{
		const gchar *argv[] = {"script", "-qec", quiet_command, "/dev/null", NULL};
		g_assert_cmpint(hubd_test_run_command(argv, NULL, NULL, &quiet_out, NULL), ==, 0);
	}
	g_assert_null(strstr(quiet_out, "\033"));
	g_assert_nonnull(strstr(quiet_out, expected));
	hubd_test_hub_clear_faults(f->hub);
}

/* ---- Ctrl-C ---- */

typedef struct {
	gboolean exited;
	gint status;
} ChildState;

static void
child_exited_cb(GPid pid, gint status, gpointer user_data)
{
	ChildState *s = user_data;

	s->exited = TRUE;
	s->status = status;
	g_spawn_close_pid(pid);
}

static gboolean
child_has_exited(gpointer user_data)
{
	return ((ChildState *)user_data)->exited;
}

/* hubctl has installed its SIGINT handler (bit 2 of SigCgt in /proc/PID/status):
 * a Ctrl-C before that would kill it outright, which is not what is tested */
static gboolean
child_catches_sigint(gpointer user_data)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%d/status", GPOINTER_TO_INT(user_data));
	g_autofree gchar *status = NULL;
	const gchar *line;
	guint64 mask;

	if (!g_file_get_contents(path, &status, NULL, NULL))
		return FALSE;
	line = strstr(status, "\nSigCgt:");
	if (line == NULL)
		return FALSE;
	mask = g_ascii_strtoull(line + strlen("\nSigCgt:"), NULL, 16);
	return (mask & (G_GUINT64_CONSTANT(1) << (SIGINT - 1))) != 0;
}

/* Some job of the daemon has received bytes. (The Hub's request log only
 * shows a request once it has ended, too late to interrupt it.) */
static gboolean
bytes_are_flowing(gpointer user_data)
{
	GDBusConnection *bus = user_data;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariantIter) iter = NULL;
	const gchar *path;

	reply = hubd_test_call(bus,
			       "org.hubd.Hub1.Transfers",
			       "ListJobs",
			       g_variant_new_parsed("(@a{sv} {},)"),
			       G_VARIANT_TYPE("(ao)"),
			       NULL);
	if (reply == NULL)
		return FALSE;
	g_variant_get(reply, "(ao)", &iter);
	while (g_variant_iter_next(iter, "&o", &path)) {
		g_autoptr(GVariant) value = g_dbus_connection_call_sync(
			bus,
			"org.hubd.Hub1",
			path,
			"org.freedesktop.DBus.Properties",
			"Get",
			g_variant_new("(ss)", "org.hubd.Hub1.Job", "BytesDone"),
			G_VARIANT_TYPE("(v)"),
			G_DBUS_CALL_FLAGS_NONE,
			HUBD_TEST_TIMEOUT_S * 1000,
			NULL,
			NULL);
		g_autoptr(GVariant) inner = NULL;
		if (value == NULL)
			continue;
		g_variant_get(value, "(v)", &inner);
		if (g_variant_is_of_type(inner, G_VARIANT_TYPE_UINT64) &&
		    g_variant_get_uint64(inner) > 0)
			return TRUE;
	}
	return FALSE;
}

/* Files (not folders) anywhere under `dir`. */
static guint
count_files(const gchar *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;
	guint n = 0;

	if (d == NULL)
		return 0;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *child = g_build_filename(dir, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			n += count_files(child);
		else
			n++;
	}
	return n;
}

static void
test_ctrl_c(Fixture *f, gconstpointer data)
{
	/* 8 MiB served 64 KiB per 50 ms: several seconds, long enough to interrupt */
	g_autofree gchar *big = make_blob(8 * 1024 * 1024, 2);
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      LFS_THRESHOLD,
							      "big.bin",
							      big,
							      NULL);
	g_autofree gchar *snapshots = g_build_filename(f->cache, REPO_DIR, "snapshots", NULL);
	const gchar *hubctl = g_getenv("HUBD_TEST_HUBCTL");
	const gchar *argv[] = {hubctl, "download", REPO, "big.bin", NULL};
	g_autoptr(GError) error = NULL;
	ChildState state = {0};
	GPid pid = 0;
	gint out_fd = -1;
	gint err_fd = -1;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GDBusConnection) bus = hubd_test_session_bus();

	g_assert_nonnull(commit);
	g_assert_nonnull(hubctl);
	hubd_test_hub_add_fault(
		f->hub,
		"{\"action\": \"slow\", \"path_regex\": \"^/lfs/\", \"chunk_size\": "
		"65536, \"delay_ms\": 50, \"times\": 0}");
	hubd_test_hub_clear_requests(f->hub);

	g_spawn_async_with_pipes(NULL,
				 (gchar **)argv,
				 NULL,
				 G_SPAWN_DO_NOT_REAP_CHILD,
				 NULL,
				 NULL,
				 &pid,
				 NULL,
				 &out_fd,
				 &err_fd,
				 &error);
	g_assert_no_error(error);
	g_child_watch_add(pid, child_exited_cb, &state);

	/* interrupt once the bytes are flowing, not before */
	g_assert_true(hubd_test_wait_for(bytes_are_flowing, bus, HUBD_TEST_TIMEOUT_S * 1000));
	g_assert_true(hubd_test_wait_for(child_catches_sigint,
					 GINT_TO_POINTER(pid),
					 HUBD_TEST_TIMEOUT_S * 1000));
	g_assert_false(state.exited);
	g_assert_cmpint(kill(pid, SIGINT), ==, 0);
	if (!hubd_test_wait_for(child_has_exited, &state, HUBD_TEST_TIMEOUT_S * 1000)) {
		kill(pid, SIGKILL);
		g_assert_not_reached();
	}

	{
		g_autoptr(GIOChannel) o = g_io_channel_unix_new(out_fd);
		g_autoptr(GIOChannel) e = g_io_channel_unix_new(err_fd);
		g_io_channel_set_close_on_unref(o, TRUE);
		g_io_channel_set_close_on_unref(e, TRUE);
		g_io_channel_read_to_end(o, &out, NULL, NULL);
		g_io_channel_read_to_end(e, &err, NULL, NULL);
	}
	g_test_message("hubctl stdout: %s stderr: %s", out, err);
	if (count_files(snapshots) != 0) {
		const gchar *find[] = {"find", f->cache, NULL};
		g_autofree gchar *listing = NULL;
		g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);
		hubd_test_run_command(find, NULL, NULL, &listing, NULL);
		g_test_message("cache: %s\nhubd log: %s", listing, log);
	}
	g_assert_true(WIFEXITED(state.status));
	g_assert_cmpint(WEXITSTATUS(state.status), ==, 130);
	g_assert_cmpstr(out, ==, "");
	/* nothing half-written is visible in the snapshot */
	g_assert_cmpuint(count_files(snapshots), ==, 0);
	hubd_test_hub_clear_faults(f->hub);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/hubd/download/cli/usage", test_usage);
	ADD("/hubd/download/cli/one-file", test_one_file);
	ADD("/hubd/download/cli/snapshot-patterns", test_snapshot_patterns);
	ADD("/hubd/download/cli/several-files", test_several_files);
	ADD("/hubd/download/cli/folder", test_folder);
	ADD("/hubd/download/cli/local-dir", test_local_dir);
	ADD("/hubd/download/cli/revision-tag", test_revision_tag);
	ADD("/hubd/download/cli/cache-dir-dry-run", test_cache_dir_dry_run);
	ADD("/hubd/download/cli/missing", test_missing);
	ADD("/hubd/download/cli/quiet", test_quiet);
	ADD("/hubd/download/cli/json", test_json);
	ADD("/hubd/download/cli/tty-progress", test_tty_progress);
	ADD("/hubd/download/cli/ctrl-c", test_ctrl_c);
#undef ADD
	return g_test_run();
}
