/* hubd-s3-publish-test.c: Storage.Publish and `hubctl storage publish` with a real hubd, the
 * local Hub (LFS multipart above 64 KiB) and s3rver: what `aws s3 cp` puts, hubd publishes
 * byte-identical in one commit; a file:// backend too; a missing key is NotFound */
#define G_LOG_DOMAIN "HubdS3PublishTest"

#include <glib/gstdio.h>

#include "hubd-s3-test-server.h"
#include "hubd-upload-test-common.h"

static HubdTestS3Server *server;

/* `aws s3 cp LOCAL s3://BUCKET/KEY` */
static void
aws_put(const gchar *local, const gchar *key)
{
	g_autofree gchar *url = g_strdup_printf("s3://%s/%s", HUBD_TEST_S3_BUCKET, key);
	const gchar *argv[] = {"aws",
			       "--endpoint-url",
			       hubd_test_s3_server_get_endpoint(server),
			       "s3",
			       "cp",
			       local,
			       url,
			       NULL};
	const gchar *env[] = {"AWS_DEFAULT_REGION=us-east-1", NULL};
	g_autofree gchar *err = NULL;
	gint status = hubd_test_run_command(argv, env, NULL, NULL, &err);

	if (status != 0)
		g_error("aws s3 cp %s failed (%d): %s", url, status, err);
}

/* the fixture's daemon again, with the backends bk (s3rver, prefix pub/)
 * and fs (a folder under the fixture's) */
static const gchar *
restart_with_backends(Fixture *f)
{
	const gchar *folder = fixture_write(f, "bucket/.keep", "");
	g_autofree gchar *root = g_path_get_dirname(folder);
	g_autofree gchar *uri = g_filename_to_uri(root, NULL, NULL);
	g_autofree gchar *fs_url = g_strdup_printf("storage.fs.url=%s", uri);
	g_autofree gchar *endpoint = NULL;
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, NULL};

	endpoint =
		g_strdup_printf("storage.bk.endpoint=%s", hubd_test_s3_server_get_endpoint(server));
	{
		const gchar *args[] = {"--endpoint",
				       f->hub->url,
				       "--set",
				       "http.retry-base-ms=50",
				       "--set",
				       "storage.bk.url=s3://" HUBD_TEST_S3_BUCKET "/pub",
				       "--set",
				       endpoint,
				       "--set",
				       "storage.bk.credentials=env",
				       "--set",
				       fs_url,
				       NULL};

		hubd_test_daemon_stop(f->daemon);
		f->daemon = hubd_test_daemon_start(args, env);
	}
	return folder;
}

/* "PATH SIZE" of every file under `dir` but those under `skip` (NULL-ended),
 * sorted, one a line */
static void
list_files(const gchar *dir, const gchar *const *skip, GPtrArray *out)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;

	if (d == NULL || g_strv_contains(skip, dir))
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		GStatBuf st;

		if (g_lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			list_files(path, skip, out);
		else if (!g_str_has_suffix(name, ".log")) /* the daemon's and s3rver's logs */
			g_ptr_array_add(
				out,
				g_strdup_printf("%s %" G_GINT64_FORMAT, path, (gint64)st.st_size));
	}
}

static gint
compare_indirect(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* what a publish may not touch: the cache, and the temporary folder but for
 * the local Hub's, s3rver's and the fixture's own data in it */
static gchar *
scratch_files(Fixture *f)
{
	const gchar *skip[] = {f->hub->root,
			       hubd_test_s3_server_get_directory(server),
			       f->tmp,
			       NULL};
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);

	list_files(g_get_user_cache_dir(), skip, files);
	list_files(g_get_tmp_dir(), skip, files);
	g_ptr_array_sort(files, compare_indirect);
	g_ptr_array_add(files, NULL);
	return g_strjoinv("\n", (gchar **)files->pdata);
}

static gint
publish(const gchar *const *argv, gchar **out, gchar **err)
{
	g_autoptr(GPtrArray) full = g_ptr_array_new();

	g_ptr_array_add(full, (gpointer) "storage");
	g_ptr_array_add(full, (gpointer) "publish");
	for (guint i = 0; argv[i] != NULL; i++)
		g_ptr_array_add(full, (gpointer)argv[i]);
	g_ptr_array_add(full, NULL);
	return hubd_test_run_hubctl((const gchar *const *)full->pdata, NULL, out, err);
}

static guint
commits_posted(Fixture *f)
{
	return log_count(f, "POST", "^/api/models/alice/up/commit/main$", NULL, -1);
}

/* One object (3 MiB: LFS, multipart on this Hub) and then a prefix of
 * several, put by awscli: the Hub serves them back byte for byte, each
 * publish is one commit, and the LFS object is stored under its SHA-256. */
static void
test_awscli(Fixture *f, gconstpointer data)
{
	const gchar *big = fixture_random_file(f, "src/weights.bin", 3 * 1024 * 1024, 7);
	const gchar *notes = fixture_write(f, "src/notes.txt", "small notes\n");
	const gchar *cfg = fixture_write(f, "src/sub/config.json", "{\"a\": 1}\n");
	const gchar *one[] = {"bk/in/weights.bin", "alice/up", "models/w.bin", "--json", NULL};
	const gchar *prefix[] = {"bk/in/",
				 "alice/up",
				 "data",
				 "--commit-message",
				 "From the bucket",
				 "--quiet",
				 NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *out2 = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *tree = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *scratch_before = NULL;
	g_autofree gchar *scratch_after = NULL;
	guint before;

	restart_with_backends(f);
	aws_put(big, "pub/in/weights.bin");
	aws_put(notes, "pub/in/notes.txt");
	aws_put(cfg, "pub/in/sub/config.json");

	before = commits_posted(f);
	scratch_before = scratch_files(f);
	if (publish(one, &out, &err) != 0)
		g_error("hubctl storage publish failed: %s", err);
	/* streamed: no copy of the object in the cache or a temporary file */
	scratch_after = scratch_files(f);
	g_assert_cmpstr(scratch_after, ==, scratch_before);
	node = hubd_test_parse_json(out);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node), "commit_oid"),
			==,
			head_of(f, "alice/up"));
	g_assert_cmpuint(commits_posted(f), ==, before + 1);
	assert_same_bytes(f, "alice/up", "main", "models/w.bin", big);
	/* the LFS upload was multipart: 3 MiB in the Hub's 64 KiB parts */
	g_assert_cmpuint(log_count(f, "PUT", "^/upload/", "cdn", -1), ==, 48);

	g_clear_pointer(&err, g_free);
	if (publish(prefix, &out2, &err) != 0)
		g_error("hubctl storage publish of a prefix failed: %s", err);
	expected = g_strdup_printf("%s/alice/up/commit/%s\n", f->hub->url, head_of(f, "alice/up"));
	g_assert_cmpstr(out2, ==, expected);
	g_assert_cmpuint(commits_posted(f), ==, before + 2);
	g_assert_nonnull(strstr(last_commit_message(f, "alice/up"), "From the bucket"));
	tree = tree_paths(f, "alice/up");
	g_assert_nonnull(strstr(tree, "|data/weights.bin|"));
	g_assert_nonnull(strstr(tree, "|data/notes.txt|"));
	g_assert_nonnull(strstr(tree, "|data/sub/config.json|"));
	assert_same_bytes(f, "alice/up", "main", "data/weights.bin", big);
	assert_same_bytes(f, "alice/up", "main", "data/notes.txt", notes);
	assert_same_bytes(f, "alice/up", "main", "data/sub/config.json", cfg);
}

/* A file:// backend: the same, from a folder; a key that is no object is a
 * prefix. */
static void
test_file_backend(Fixture *f, gconstpointer data)
{
	const gchar *obj = fixture_random_file(f, "bucket/ckpt/model.bin", 200 * 1024, 3);
	const gchar *argv[] = {"fs/ckpt/model.bin", "alice/up", "--quiet", NULL};
	const gchar *as_prefix[] = {"fs/ckpt", "alice/up", "ck", "--quiet", NULL};

	restart_with_backends(f);
	g_assert_cmpint(publish(argv, NULL, NULL), ==, 0);
	assert_same_bytes(f, "alice/up", "main", "model.bin", obj);
	/* no object "ckpt": the objects under ckpt/ */
	g_assert_cmpint(publish(as_prefix, NULL, NULL), ==, 0);
	assert_same_bytes(f, "alice/up", "main", "ck/model.bin", obj);
}

/* A key with no object and nothing under it; an unknown backend; a bad
 * repo id: a failed exit and a message that names the problem, no commit. */
static void
test_refused(Fixture *f, gconstpointer data)
{
	struct {
		const gchar *argv[4];
		const gchar *says;
	} cases[] = {
		{{"bk/in/nope.bin", "alice/up", NULL}, "nope.bin"},
		{{"nosuch/x", "alice/up", NULL}, "nosuch"},
		{{"bk/in/x", "not a repo", NULL}, "not a repo"},
	};
	guint before;

	restart_with_backends(f);
	before = commits_posted(f);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *err = NULL;

		g_assert_cmpint(publish(cases[i].argv, NULL, &err), !=, 0);
		if (strstr(err, cases[i].says) == NULL)
			g_error("case %u: “%s” does not name “%s”", i, err, cases[i].says);
	}
	g_assert_cmpuint(commits_posted(f), ==, before);
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	g_setenv("AWS_ACCESS_KEY_ID", HUBD_TEST_S3_KEY_ID, TRUE);
	g_setenv("AWS_SECRET_ACCESS_KEY", HUBD_TEST_S3_SECRET, TRUE);
	server = hubd_test_s3_server_start();
	fixture_add("/s3/publish/awscli", test_awscli);
	fixture_add("/s3/publish/file-backend", test_file_backend);
	fixture_add("/s3/publish/refused", test_refused);
	ret = g_test_run();
	hubd_test_s3_server_free(server);
	return ret;
}
