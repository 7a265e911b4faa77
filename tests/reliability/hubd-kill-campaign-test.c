/* hubd-kill-campaign-test.c: hubd killed with SIGKILL at random points of a
 * big-file download, of a snapshot and of a sync run to a folder, then
 * restarted to finish the work.
 *
 * After each kill nothing partial may be visible under snapshots/ or in the
 * sync folder (a file there is whole and right, or absent), and the
 * restarted daemon must
 * complete without fetching again what was done: the local Hub's log gives
 * the bytes it sent, printed as a multiple of the payload. The figures are
 * TAP comments (meson test -v); HUBD_KILL_ROUNDS (default 20) and
 * HUBD_KILL_SEED repeat or shorten a campaign. */
#define G_LOG_DOMAIN "HubdKillCampaign"

#include <string.h>

#include "hubd-download-fixture.h"
#include "hubd-kill-common.h"

#define BIG_SIZE (2 * 1024 * 1024)
#define N_SMALL  12
/* the CDN at about 6 MB/s: a kill lands anywhere in a third of a second */
#define SLOW_LFS                                                                               \
	"{\"action\":\"slow\",\"path_regex\":\"^/lfs/\",\"chunk_size\":65536,\"delay_ms\":10," \
	"\"times\":0}"

/* the bytes the Hub and its CDN sent for GETs since the log was cleared;
 * the killed daemon's request is logged when the server sees it gone */
static guint64
bytes_sent(Fixture *f)
{
	g_autoptr(GPtrArray) gets = NULL;
	guint64 total = 0;

	g_usleep(200 * 1000);
	gets = log_entries(f, "GET", "^/(lfs/|.*/resolve/)");
	for (guint i = 0; i < gets->len; i++)
		total +=
			(guint64)json_object_get_int_member_with_default(g_ptr_array_index(gets, i),
									 "bytes_sent",
									 0);
	return total;
}

/* a file under snapshots/ is whole and right, or absent; TRUE if absent or
 * right, FALSE (counted) if something else is there */
static gboolean
visible_ok(Fixture *f, const gchar *commit, const gchar *file, const gchar *expected)
{
	g_autofree gchar *path = snapshot_file(f, commit, file);
	g_autofree gchar *text = NULL;

	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return TRUE;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return FALSE; /* a dangling link: the blob is not there */
	return strcmp(text, expected) == 0;
}

/* the bytes of every file of a snapshot or sync folder (what it must move) */
static guint64
tree_size(const gchar *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;
	guint64 total = 0;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		GStatBuf st;

		if (g_str_equal(name, ".cache"))
			continue; /* a local_dir's metadata, not the repo's */
		if (g_file_test(path, G_FILE_TEST_IS_DIR))
			total += tree_size(path);
		else if (g_stat(path, &st) == 0)
			total += (guint64)st.st_size;
	}
	return total;
}

static void
restart(Fixture *f)
{
	hubd_test_hub_clear_faults(f->hub);
	daemon_start(f);
}

static void
kill_at_random(Fixture *f, GRand *rand, guint max_ms)
{
	g_usleep((gulong)g_rand_int_range(rand, 0, (gint32)max_ms) * 1000);
	hubd_test_daemon_kill(f->daemon);
	f->daemon = NULL;
}

static void
test_download(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	g_autoptr(GRand) rand = kill_rand();
	g_autofree gchar *commit = NULL;
	Figures fig = {kill_rounds(), 0, 0, 0, 0};

	/* the fixture's daemon: restarted per round below */
	hubd_test_daemon_stop(f->daemon);
	f->daemon = NULL;
	for (guint round = 0; round < fig.rounds; round++) {
		g_autoptr(HubdTestJobResult) r = NULL;
		g_autofree gchar *path = NULL;
		g_autofree gchar *text = NULL;

		hubd_test_rm_rf(f->cache);
		hubd_test_hub_clear_requests(f->hub);
		hubd_test_hub_add_fault(f->hub, SLOW_LFS);
		daemon_start(f);
		g_free(start_download(f, NULL, "main", "big.bin", NULL));
		kill_at_random(f, rand, 450);
		if (commit == NULL) {
			g_autoptr(GDir) dir = NULL;
			g_autofree gchar *snapshots = cache_path(f, "snapshots");

			dir = g_dir_open(snapshots, 0, NULL);
			commit = dir != NULL ? g_strdup(g_dir_read_name(dir)) : NULL;
		}
		if (commit != NULL && !visible_ok(f, commit, "big.bin", big))
			fig.partial_seen++;

		restart(f);
		r = download(f, "main", "big.bin", NULL);
		assert_ok(r);
		path = result_string(r, "path");
		text = read_file(path);
		if (strcmp(text, big) == 0)
			fig.completed++;
		hubd_test_daemon_stop(f->daemon);
		f->daemon = NULL;
		fig.payload += BIG_SIZE;
		fig.moved += bytes_sent(f);
	}
	kill_report("download of a 2 MiB LFS file", &fig);
	/* resuming may send a chunk twice, never the file */
	g_assert_cmpfloat((gdouble)fig.moved / (gdouble)fig.payload, <, 1.5);
	daemon_start(f);
}

/* N_SMALL small regular files beside the big one; returns the commit */
static gchar *
commit_small(Fixture *f, GPtrArray *names, GPtrArray *texts)
{
	gchar *commit = NULL;

	for (guint i = 0; i < N_SMALL; i++) {
		g_ptr_array_add(names, g_strdup_printf("small/file-%02u.txt", i));
		g_ptr_array_add(texts, g_strdup_printf("small file %u\n", i));
	}
	for (guint i = 0; i < N_SMALL; i++) {
		g_free(commit);
		commit = hubd_test_hub_commit_files(f->hub,
						    ALICE_WRITE,
						    "model",
						    REPO,
						    "main",
						    LFS_MIN,
						    g_ptr_array_index(names, i),
						    g_ptr_array_index(texts, i),
						    NULL);
	}
	return commit;
}

static void
test_snapshot(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GRand) rand = kill_rand();
	g_autofree gchar *commit = NULL;
	Figures fig = {kill_rounds(), 0, 0, 0, 0};

	commit = commit_small(f, names, texts);
	hubd_test_daemon_stop(f->daemon);
	f->daemon = NULL;
	for (guint round = 0; round < fig.rounds; round++) {
		g_autoptr(HubdTestJobResult) r = NULL;
		gboolean all = TRUE;

		hubd_test_rm_rf(f->cache);
		hubd_test_hub_clear_requests(f->hub);
		hubd_test_hub_add_fault(f->hub, SLOW_LFS);
		daemon_start(f);
		g_free(hubd_test_start_job(
			f->bus,
			"Snapshot",
			g_variant_new("(sss@a{sv})", "model", REPO, "main", opts(NULL)),
			NULL));
		kill_at_random(f, rand, 600);
		for (guint i = 0; i < N_SMALL; i++)
			if (!visible_ok(f,
					commit,
					g_ptr_array_index(names, i),
					g_ptr_array_index(texts, i)))
				fig.partial_seen++;
		if (!visible_ok(f, commit, "big.bin", big))
			fig.partial_seen++;

		restart(f);
		r = snapshot(f, "main", NULL);
		assert_ok(r);
		for (guint i = 0; i < N_SMALL; i++) {
			g_autofree gchar *path =
				snapshot_file(f, commit, g_ptr_array_index(names, i));
			g_autofree gchar *text = read_file(path);

			all = all && g_str_equal(text, g_ptr_array_index(texts, i));
		}
		{
			g_autofree gchar *path = snapshot_file(f, commit, "big.bin");
			g_autofree gchar *text = read_file(path);

			all = all && strcmp(text, big) == 0;
		}
		if (all)
			fig.completed++;
		hubd_test_daemon_stop(f->daemon);
		f->daemon = NULL;
		{
			g_autofree gchar *rel = g_build_filename("snapshots", commit, NULL);
			g_autofree gchar *tree = cache_path(f, rel);

			fig.payload += tree_size(tree);
		}
		fig.moved += bytes_sent(f);
	}
	kill_report("snapshot of 12 small files and a 2 MiB LFS file", &fig);
	g_assert_cmpfloat((gdouble)fig.moved / (gdouble)fig.payload, <, 1.5);
	daemon_start(f);
}

/* a file of the sync folder is whole and right, or absent */
static gboolean
folder_ok(const gchar *dir, const gchar *file, const gchar *expected)
{
	g_autofree gchar *path = g_build_filename(dir, file, NULL);
	g_autofree gchar *text = NULL;

	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return TRUE;
	return g_file_get_contents(path, &text, NULL, NULL) && strcmp(text, expected) == 0;
}

/* hubctl ARGS..., exit 0; its stdout, stripped */
static gchar *
hubctl_ok(const gchar *const *argv)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint rc = hubd_test_run_hubctl(argv, NULL, &out, &err);

	if (rc != 0)
		g_error("hubctl %s %s: exit %d: %s%s", argv[0], argv[1], rc, out, err);
	return g_strstrip(g_steal_pointer(&out));
}

static void
test_sync(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GRand) rand = kill_rand();
	g_autofree gchar *commit = commit_small(f, names, texts);
	Figures fig = {kill_rounds(), 0, 0, 0, 0};

	for (guint round = 0; round < fig.rounds; round++) {
		g_autofree gchar *name = g_strdup_printf("sync-%02u", round);
		g_autofree gchar *dir = g_build_filename(f->tmp, name, NULL);
		const gchar *add[] = {"sync", "add", REPO, "--to", dir, NULL};
		g_autofree gchar *id = NULL;
		g_autofree gchar *job = NULL;
		g_autoptr(HubdTestJobResult) r = NULL;
		gboolean all = TRUE;

		/* the rule is made with the daemon up; its run is what gets killed */
		id = hubctl_ok(add);
		hubd_test_daemon_stop(f->daemon);
		hubd_test_hub_clear_requests(f->hub);
		hubd_test_hub_add_fault(f->hub, SLOW_LFS);
		daemon_start(f);
		g_free(hubd_test_start_job(f->bus,
					   "org.hubd.Hub1.Sync.Run",
					   g_variant_new_parsed("(%s, @a{sv} {})", id),
					   NULL));
		kill_at_random(f, rand, 600);
		for (guint i = 0; i < N_SMALL; i++)
			if (!folder_ok(dir,
				       g_ptr_array_index(names, i),
				       g_ptr_array_index(texts, i)))
				fig.partial_seen++;
		if (!folder_ok(dir, "big.bin", big))
			fig.partial_seen++;

		/* a run cut short resumes at start; Run then gives its job (or,
		 * killed before the run was recorded, a new one) */
		restart(f);
		job = hubd_test_start_job(f->bus,
					  "org.hubd.Hub1.Sync.Run",
					  g_variant_new_parsed("(%s, @a{sv} {})", id),
					  NULL);
		r = hubd_test_job_wait(f->bus, job, JOB_MS);
		assert_ok(r);
		for (guint i = 0; i < N_SMALL; i++) {
			g_autofree gchar *path =
				g_build_filename(dir, g_ptr_array_index(names, i), NULL);
			g_autofree gchar *text = read_file(path);

			all = all && g_str_equal(text, g_ptr_array_index(texts, i));
		}
		{
			g_autofree gchar *path = g_build_filename(dir, "big.bin", NULL);
			g_autofree gchar *text = read_file(path);

			all = all && strcmp(text, big) == 0;
		}
		if (all)
			fig.completed++;
		fig.payload += tree_size(dir);
		fig.moved += bytes_sent(f);
		{
			const gchar *remove[] = {"sync", "remove", id, NULL};

			g_free(hubctl_ok(remove));
		}
	}
	g_assert_nonnull(commit);
	kill_report("sync run of 12 small files and a 2 MiB LFS file to a folder", &fig);
	g_assert_cmpfloat((gdouble)fig.moved / (gdouble)fig.payload, <, 1.5);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/reliability/kill/download",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   fixture_setup,
		   test_download,
		   fixture_teardown);
	g_test_add("/reliability/kill/snapshot",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   fixture_setup,
		   test_snapshot,
		   fixture_teardown);
	g_test_add("/reliability/kill/sync",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   fixture_setup,
		   test_sync,
		   fixture_teardown);
	return g_test_run();
}
