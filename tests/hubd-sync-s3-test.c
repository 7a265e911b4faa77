/* hubd-sync-s3-test.c: a sync rule whose target is an s3:// URL inside a
 * configured [storage.NAME] S3 backend, against @20minutes/s3rver: the
 * files arrive under the URL's prefix (read back with Debian's awscli),
 * --delete removes what upstream removed and no object someone else put,
 * and a run over objects already there puts nothing (s3rver's files of
 * those objects are not rewritten); a run killed with SIGKILL completes
 * after a restart without fetching again what it had. */
#include <glib/gstdio.h>
#include <string.h>

#include "hubd-s3-test-server.h"
#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-test-job.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define REPO        "alice/s"
#define WAIT_MS     60000
#define TARGET      "s3://" HUBD_TEST_S3_BUCKET "/mirror"

typedef struct {
	HubdTestS3Server *s3;
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
	gchar *tmp;
} Fixture;

static const gchar *const aws_env[] = {"AWS_ACCESS_KEY_ID=" HUBD_TEST_S3_KEY_ID,
				       "AWS_SECRET_ACCESS_KEY=" HUBD_TEST_S3_SECRET,
				       "AWS_DEFAULT_REGION=us-east-1",
				       NULL};

static void
daemon_start(Fixture *f)
{
	g_autofree gchar *endpoint = g_strdup_printf("storage.bucket.endpoint=%s",
						     hubd_test_s3_server_get_endpoint(f->s3));
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE,
			      "AWS_ACCESS_KEY_ID=" HUBD_TEST_S3_KEY_ID,
			      "AWS_SECRET_ACCESS_KEY=" HUBD_TEST_S3_SECRET,
			      NULL};
	const gchar *args[] = {"--endpoint",
			       f->hub->url,
			       "--set",
			       "storage.bucket.url=s3://" HUBD_TEST_S3_BUCKET,
			       "--set",
			       endpoint,
			       "--set",
			       "storage.bucket.credentials=env",
			       NULL};

	f->daemon = hubd_test_daemon_start(args, env);
	f->bus = hubd_test_session_bus();
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autofree gchar *conf =
		g_build_filename(g_get_user_config_dir(), "hubd", "sync.conf", NULL);

	/* one test's rules are not the next one's (they share $XDG_CONFIG_HOME) */
	g_unlink(conf);
	f->tmp = g_dir_make_tmp("hubd-sync-s3-XXXXXX", NULL);
	f->s3 = hubd_test_s3_server_start();
	f->hub = hubd_test_hub_start(NULL);
	hubd_test_hub_create_repo(f->hub, ALICE_WRITE, "{\"name\":\"s\",\"type\":\"model\"}");
	g_free(hubd_test_hub_commit_files(f->hub,
					  ALICE_WRITE,
					  "model",
					  REPO,
					  "main",
					  0,
					  "README.md",
					  "# s\n",
					  "keep.txt",
					  "kept\n",
					  NULL));
	daemon_start(f);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

	if (strstr(log, "-CRITICAL **") != NULL)
		g_error("hubd logged a critical:\n%s", log);
	g_assert_null(strstr(log, HUBD_TEST_S3_SECRET "\n"));
	hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
	hubd_test_s3_server_free(f->s3);
	hubd_test_rm_rf(f->tmp);
	g_free(f->tmp);
}

static gchar *
sync_ok(Fixture *f, const gchar *const *argv)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint rc = hubd_test_run_hubctl(argv, NULL, &out, &err);

	if (rc != 0) {
		g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

		g_error("hubctl %s %s: exit %d: %s%s\nhubd's log:\n%s",
			argv[0],
			argv[1],
			rc,
			out,
			err,
			log);
	}
	return g_strstrip(g_steal_pointer(&out));
}

/* the object's bytes as awscli reads them; NULL when it is missing */
static gchar *
aws_get(Fixture *f, const gchar *key)
{
	g_autofree gchar *url = g_strconcat("s3://" HUBD_TEST_S3_BUCKET "/", key, NULL);
	g_autofree gchar *down = g_build_filename(f->tmp, "down", NULL);
	const gchar *argv[] = {"aws",
			       "--endpoint-url",
			       hubd_test_s3_server_get_endpoint(f->s3),
			       "s3",
			       "cp",
			       url,
			       down,
			       NULL};
	gchar *contents = NULL;

	g_unlink(down);
	if (hubd_test_run_command(argv, aws_env, NULL, NULL, NULL) != 0)
		return NULL;
	g_assert_true(g_file_get_contents(down, &contents, NULL, NULL));
	return contents;
}

static void
aws_put(Fixture *f, const gchar *key, const gchar *contents)
{
	g_autofree gchar *url = g_strconcat("s3://" HUBD_TEST_S3_BUCKET "/", key, NULL);
	g_autofree gchar *up = g_build_filename(f->tmp, "up", NULL);
	const gchar *argv[] = {"aws",
			       "--endpoint-url",
			       hubd_test_s3_server_get_endpoint(f->s3),
			       "s3",
			       "cp",
			       up,
			       url,
			       NULL};

	hubd_test_write_file(up, contents);
	g_assert_cmpint(hubd_test_run_command(argv, aws_env, NULL, NULL, NULL), ==, 0);
}

static void
assert_object(Fixture *f, const gchar *key, const gchar *contents)
{
	g_autofree gchar *got = aws_get(f, key);

	g_assert_cmpstr(got, ==, contents);
}

/* s3rver's files in its folder (content and metadata), path -> mtime in ns */
static void
collect(const gchar *dir, GHashTable *into)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		GStatBuf st;

		if (g_stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			collect(path, into);
		else
			g_hash_table_insert(into,
					    g_steal_pointer(&path),
					    g_strdup_printf("%lu:%ld.%09ld",
							    (gulong)st.st_ino,
							    (glong)st.st_mtim.tv_sec,
							    (glong)st.st_mtim.tv_nsec));
	}
}

static GHashTable *
server_files(Fixture *f)
{
	GHashTable *files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree gchar *bucket = g_build_filename(hubd_test_s3_server_get_directory(f->s3),
						    HUBD_TEST_S3_BUCKET,
						    NULL);

	collect(bucket, files);
	return files;
}

static void
test_s3_target(Fixture *f, gconstpointer data)
{
	const gchar *add[] = {"sync", "add", REPO, "--to", TARGET, "--delete", NULL};
	const gchar *del[] = {"repo-files", "delete", REPO, "keep.txt", NULL};
	g_autofree gchar *id = NULL;
	g_autofree gchar *again = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree const gchar **removed = NULL;
	g_autoptr(GHashTable) before = NULL;
	g_autoptr(GHashTable) after = NULL;
	g_autofree gchar *missing = NULL;
	GHashTableIter iter;
	gpointer path, stamp;

	/* someone else's object under the prefix */
	aws_put(f, "mirror/theirs.txt", "not the rule's\n");
	id = sync_ok(f, add);
	{
		const gchar *run[] = {"sync", "run", id, NULL};

		g_free(sync_ok(f, run));
	}
	assert_object(f, "mirror/README.md", "# s\n");
	assert_object(f, "mirror/keep.txt", "kept\n");
	/* upstream: a new file, keep.txt removed */
	g_free(hubd_test_hub_commit_files(f->hub,
					  ALICE_WRITE,
					  "model",
					  REPO,
					  "main",
					  0,
					  "new.txt",
					  "new\n",
					  NULL));
	g_assert_cmpint(hubd_test_run_hubctl(del, NULL, NULL, NULL), ==, 0);
	r = hubd_test_run_job(f->bus,
			      "org.hubd.Hub1.Sync.Run",
			      g_variant_new_parsed("(%s, @a{sv} {})", id),
			      WAIT_MS);
	g_assert_true(r->ok);
	g_assert_true(g_variant_lookup(r->result, "removed", "^a&s", &removed));
	g_assert_cmpuint(g_strv_length((gchar **)removed), ==, 1);
	g_assert_cmpstr(removed[0], ==, "keep.txt");
	missing = aws_get(f, "mirror/keep.txt");
	g_assert_null(missing);
	assert_object(f, "mirror/new.txt", "new\n");
	assert_object(f, "mirror/theirs.txt", "not the rule's\n");

	/* a rule with no record of its own: every object is there with the
	 * content's MD5 as ETag, so nothing is put (no file of s3rver's is
	 * written) and nothing deleted */
	before = server_files(f);
	g_assert_cmpuint(g_hash_table_size(before), >, 0);
	again = sync_ok(f, add);
	{
		const gchar *run[] = {"sync", "run", again, NULL};

		g_free(sync_ok(f, run));
	}
	after = server_files(f);
	g_assert_cmpuint(g_hash_table_size(after), ==, g_hash_table_size(before));
	g_hash_table_iter_init(&iter, before);
	while (g_hash_table_iter_next(&iter, &path, &stamp))
		g_assert_cmpstr(g_hash_table_lookup(after, path), ==, stamp);
	assert_object(f, "mirror/README.md", "# s\n");
}

/* the rule is idle at `commit` */
static gboolean
rule_at(gpointer data)
{
	gpointer *args = data;
	Fixture *f = args[0];
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = hubd_test_call(f->bus,
						   "org.hubd.Hub1.Sync",
						   "GetRule",
						   g_variant_new_parsed("(%s, @a{sv} {})", args[1]),
						   G_VARIANT_TYPE("(a{sv})"),
						   &error);
	g_autoptr(GVariant) rule = NULL;
	const gchar *commit = NULL;
	gboolean running = TRUE;

	g_assert_no_error(error);
	rule = g_variant_get_child_value(reply, 0);
	g_variant_lookup(rule, "last_commit", "&s", &commit);
	g_variant_lookup(rule, "running", "b", &running);
	return !running && g_strcmp0(commit, args[2]) == 0;
}

/* a run to an S3 target killed mid-run (SIGKILL) completes after a restart,
 * without fetching again from the Hub what it had, and no key shows part of
 * a file meanwhile */
static void
test_s3_kill_resume(Fixture *f, gconstpointer data)
{
	const gchar *add[] = {"sync", "add", REPO, "--to", TARGET, NULL};
	g_autofree gchar *id = sync_ok(f, add);
	g_autofree gchar *big = g_strnfill(200, 'b');
	g_autofree gchar *sha = NULL;
	g_autofree gchar *cached = NULL;
	g_autofree gchar *seen = NULL;
	gboolean done = FALSE;

	sha = hubd_test_hub_commit_files(f->hub,
					 ALICE_WRITE,
					 "model",
					 REPO,
					 "main",
					 50,
					 "fast.txt",
					 "quick\n",
					 "stuck.bin",
					 big,
					 NULL);
	/* stuck.bin takes 20 s: hubd is killed long before */
	hubd_test_hub_add_fault(
		f->hub,
		"{\"method\": \"GET\", \"path_regex\": \"^/lfs/\", \"action\": \"slow\", "
		"\"chunk_size\": 10, \"delay_ms\": 1000, \"times\": 1}");
	hubd_test_hub_clear_requests(f->hub);
	g_free(hubd_test_start_job(f->bus,
				   "org.hubd.Hub1.Sync.Run",
				   g_variant_new_parsed("(%s, @a{sv} {})", id),
				   NULL));
	/* the run fills the shared cache first: fast.txt is done there */
	cached = g_build_filename(g_get_user_cache_dir(),
				  "huggingface",
				  "hub",
				  "models--alice--s",
				  "snapshots",
				  sha,
				  "fast.txt",
				  NULL);
	for (guint i = 0; i < 200 && !done; i++) {
		g_autofree gchar *got = NULL;

		done = g_file_get_contents(cached, &got, NULL, NULL) && g_str_equal(got, "quick\n");
		if (!done)
			g_usleep(100000);
	}
	g_assert_true(done);
	hubd_test_daemon_kill(f->daemon);
	f->daemon = NULL;
	g_clear_object(&f->bus);
	seen = aws_get(f, "mirror/stuck.bin");
	g_assert_null(seen);
	g_assert_cmpuint(
		hubd_test_hub_count_requests(f->hub, "GET", "/resolve/.*/fast\\.txt$", "hub"),
		==,
		1);

	hubd_test_hub_clear_faults(f->hub);
	daemon_start(f);
	{
		gpointer args[] = {f, id, sha};

		g_assert_true(hubd_test_wait_for(rule_at, args, WAIT_MS));
	}
	assert_object(f, "mirror/fast.txt", "quick\n");
	assert_object(f, "mirror/stuck.bin", big);
	assert_object(f, "mirror/README.md", "# s\n");
	/* fast.txt was not fetched again */
	g_assert_cmpuint(
		hubd_test_hub_count_requests(f->hub, "GET", "/resolve/.*/fast\\.txt$", "hub"),
		==,
		1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/sync/s3-target",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_s3_target,
		   fixture_teardown);
	g_test_add("/sync/s3-kill-resume",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_s3_kill_resume,
		   fixture_teardown);
	return g_test_run();
}
