/* hubd-s3-kill-test.c: hubd killed with SIGKILL while Storage.Mirror puts a
 * repo into s3rver: once in the middle of a multipart upload (the next hubd
 * aborts what it left), and a campaign at random points of mirrors, with the
 * figures of the other kill campaigns (tests/reliability): completed/rounds,
 * partial objects seen, bytes the bucket received as a multiple of the
 * payload. HUBD_KILL_ROUNDS / HUBD_KILL_SEED as there. */
#define G_LOG_DOMAIN "HubdS3KillTest"

#include <string.h>

#include "hubd-download-fixture.h"
#include "hubd-kill-common.h"
#include "hubd-s3-test-server.h"

#define PREFIX "mir/pre/models/alice/dl/"

static HubdTestS3Server *server;

#define BIG_SIZE (24 * 1024 * 1024)

static void
setup_small_parts(Fixture *f, gconstpointer data)
{
	fixture_setup_hub(f, data);
	f->daemon_args = g_new0(gchar *, 11);
	f->daemon_args[0] = g_strdup("--set");
	f->daemon_args[1] = g_strdup("storage.bk.url=s3://" HUBD_TEST_S3_BUCKET "/mir");
	f->daemon_args[2] = g_strdup("--set");
	f->daemon_args[3] =
		g_strdup_printf("storage.bk.endpoint=%s", hubd_test_s3_server_get_endpoint(server));
	f->daemon_args[4] = g_strdup("--set");
	f->daemon_args[5] = g_strdup("storage.bk.credentials=env");
	/* 5 MiB parts one at a time: the upload is slow enough to be cut */
	f->daemon_args[6] = g_strdup("--set");
	f->daemon_args[7] = g_strdup("storage.bk.part-size=5242880");
	f->daemon_args[8] = g_strdup("--set");
	f->daemon_args[9] = g_strdup("storage.bk.parallel=1");
	daemon_start(f);
	f->bus = hubd_test_session_bus();
}

typedef struct {
	const gchar *prefix;
	guint above;
} Count;

static gboolean
count_above(gpointer user_data)
{
	Count *c = user_data;

	return hubd_test_s3_server_count(server, c->prefix) > c->above;
}

static guint
journal_entries(void)
{
	g_autofree gchar *dir =
		g_build_filename(g_get_user_state_dir(), "hubd", "s3-uploads", "bk", NULL);
	g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
	guint n = 0;

	while (handle != NULL && g_dir_read_name(handle) != NULL)
		n++;
	return n;
}

static gboolean
journal_empty(gpointer user_data)
{
	return journal_entries() == 0;
}

/* hubd killed while a blob's parts go up: no object appears, and the next
 * hubd aborts the upload it left (s3rver logs the abort) at its first use of
 * the backend, then forgets it. */
static void
test_kill_mid_multipart(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = g_strnfill(BIG_SIZE, 'k');
	g_autofree gchar *sha = lfs_sha(big);
	g_autofree gchar *blob_put = g_strdup_printf("put " PREFIX "blobs/%s", sha);
	g_autofree gchar *commit = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	Count parts = {"part ", hubd_test_s3_server_count(server, "part ")};
	Count aborts = {"abort ", hubd_test_s3_server_count(server, "abort ")};
	guint completes = hubd_test_s3_server_count(server, "complete ");

	commit = hubd_test_hub_commit_files(f->hub,
					    ALICE_WRITE,
					    "model",
					    REPO,
					    "main",
					    LFS_MIN,
					    "big.bin",
					    big,
					    NULL);
	reply = hubd_test_call(
		f->bus,
		"org.hubd.Hub1.Storage",
		"Mirror",
		g_variant_new_parsed("('model', %s, 'main', 'bk', {'prefix': <'pre'>})", REPO),
		G_VARIANT_TYPE("(o)"),
		&error);
	g_assert_no_error(error);
	if (!hubd_test_wait_for(count_above, &parts, 120000))
		g_error("no part was uploaded");
	hubd_test_daemon_kill(f->daemon);
	f->daemon = NULL;
	g_assert_cmpuint(hubd_test_s3_server_count(server, blob_put), ==, 0);
	g_assert_cmpuint(hubd_test_s3_server_count(server, "complete "), ==, completes);
	g_assert_cmpuint(hubd_test_s3_server_count(server, "abort "), ==, aborts.above);
	g_assert_cmpuint(journal_entries(), ==, 1);

	/* the next hubd: the first use of the backend aborts the upload */
	daemon_start(f);
	g_clear_pointer(&reply, g_variant_unref);
	reply = hubd_test_call(f->bus,
			       "org.hubd.Hub1.Storage",
			       "TestBackend",
			       g_variant_new_parsed("('bk', @a{sv} {})"),
			       NULL,
			       &error);
	g_assert_no_error(error);
	if (!hubd_test_wait_for(count_above, &aborts, 30000))
		g_error("the upload left behind was not aborted");
	g_assert_true(hubd_test_wait_for(journal_empty, NULL, 30000));
	g_assert_cmpuint(hubd_test_s3_server_count(server, blob_put), ==, 0);
}

/* ---- a campaign: kills at random points of 20 mirrors ---- */

#define ROUND_SIZE (12 * 1024 * 1024)

/* letters: what awscli reads back compares as a string */
static gchar *
random_text(GRand *rand, gsize size)
{
	gchar *text = g_malloc(size + 1);

	for (gsize i = 0; i < size; i++)
		text[i] = (gchar)('a' + g_rand_int_range(rand, 0, 26));
	text[size] = '\0';
	return text;
}

static gchar *
start_mirror(Fixture *f)
{
	return hubd_test_start_job(
		f->bus,
		"org.hubd.Hub1.Storage.Mirror",
		g_variant_new_parsed("('model', %s, 'main', 'bk', {'prefix': <'pre'>})", REPO),
		NULL);
}

/* Each round commits a new 12 MiB LFS file, mirrors the branch and kills
 * hubd at a random point of the time an uncut mirror takes. Seen at once
 * after the kill, nothing may be partial: the blob, if stored, has all its
 * bytes, and the ref moves only once the blob is there. A restarted hubd
 * mirrors again, as the user would, and must finish. */
static void
test_kill_campaign(Fixture *f, gconstpointer data)
{
	g_autoptr(GRand) rand = kill_rand();
	Figures fig = {kill_rounds(), 0, 0, 0, 0};
	g_autofree gchar *last = NULL;
	g_autofree gchar *last_commit = NULL;
	g_autofree gchar *ref = NULL;
	g_autofree gchar *got = NULL;
	gint64 uncut_us;

	/* an uncut mirror of the same size first: how long a kill may wait */
	{
		g_autofree gchar *text = random_text(rand, ROUND_SIZE);
		g_autoptr(HubdTestJobResult) r = NULL;
		g_autofree gchar *job = NULL;
		gint64 start = g_get_monotonic_time();

		g_free(hubd_test_hub_commit_files(f->hub,
						  ALICE_WRITE,
						  "model",
						  REPO,
						  "main",
						  LFS_MIN,
						  "w-first.bin",
						  text,
						  NULL));
		job = start_mirror(f);
		r = hubd_test_job_wait(f->bus, job, 120000);
		g_assert_true(r->ok);
		uncut_us = g_get_monotonic_time() - start;
	}
	for (guint round = 0; round < fig.rounds; round++) {
		g_autofree gchar *name = g_strdup_printf("w-%02u.bin", round);
		g_autofree gchar *text = random_text(rand, ROUND_SIZE);
		g_autofree gchar *sha = lfs_sha(text);
		g_autofree gchar *any_put = g_strdup_printf("put " PREFIX "blobs/%s ", sha);
		g_autofree gchar *whole_put =
			g_strdup_printf("put " PREFIX "blobs/%s %u", sha, (guint)ROUND_SIZE);
		guint refs = hubd_test_s3_server_count(server, "put " PREFIX "refs/main ");
		guint64 parts = hubd_test_s3_server_sum(server, "part ");
		g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
								      ALICE_WRITE,
								      "model",
								      REPO,
								      "main",
								      LFS_MIN,
								      name,
								      text,
								      NULL);
		g_autofree gchar *job = start_mirror(f);
		g_autoptr(HubdTestJobResult) r = NULL;
		guint whole;

		g_usleep((gulong)g_rand_int_range(rand, 0, (gint32)MIN(uncut_us, G_MAXINT32)));
		hubd_test_daemon_kill(f->daemon);
		f->daemon = NULL;
		whole = hubd_test_s3_server_count(server, whole_put);
		if (hubd_test_s3_server_count(server, any_put) != whole ||
		    (hubd_test_s3_server_count(server, "put " PREFIX "refs/main ") > refs &&
		     whole == 0))
			fig.partial_seen++;

		daemon_start(f);
		g_clear_pointer(&job, g_free);
		job = start_mirror(f);
		r = hubd_test_job_wait(f->bus, job, 120000);
		if (r->ok && hubd_test_s3_server_count(server, whole_put) >= 1 &&
		    hubd_test_s3_server_count(server, any_put) ==
			    hubd_test_s3_server_count(server, whole_put))
			fig.completed++;
		else
			g_test_message("round %u: %s %s", round, r->error_name, r->message);
		fig.payload += ROUND_SIZE;
		fig.moved += hubd_test_s3_server_sum(server, "part ") - parts;
		g_free(last);
		last = g_steal_pointer(&text);
		g_free(last_commit);
		last_commit = g_steal_pointer(&commit);
	}
	/* what a reader of the bucket gets: the last commit, the last file whole,
	 * and no upload left open by a killed hubd */
	ref = hubd_test_s3_server_get_object(server, PREFIX "refs/main", NULL);
	g_assert_cmpstr(ref, ==, last_commit);
	{
		g_autofree gchar *sha = lfs_sha(last);
		g_autofree gchar *key = g_strdup_printf(PREFIX "blobs/%s", sha);

		got = hubd_test_s3_server_get_object(server, key, NULL);
		g_assert_true(g_strcmp0(got, last) == 0);
	}
	g_assert_true(hubd_test_wait_for(journal_empty, NULL, 30000));
	kill_report("S3 mirror of a 12 MiB LFS file, multipart in 5 MiB parts", &fig);
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	g_setenv("AWS_ACCESS_KEY_ID", HUBD_TEST_S3_KEY_ID, TRUE);
	g_setenv("AWS_SECRET_ACCESS_KEY", HUBD_TEST_S3_SECRET, TRUE);
	server = hubd_test_s3_server_start();
	g_test_add("/s3/kill/mid-multipart",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   setup_small_parts,
		   test_kill_mid_multipart,
		   fixture_teardown);
	g_test_add("/s3/kill/campaign",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   setup_small_parts,
		   test_kill_campaign,
		   fixture_teardown);
	ret = g_test_run();
	hubd_test_s3_server_free(server);
	return ret;
}
