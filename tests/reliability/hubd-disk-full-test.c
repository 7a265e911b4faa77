/* hubd-disk-full-test.c: the cache on a small tmpfs, too small for a file
 * from the start or filled up mid-download.
 *
 * What a user sees: a typed error that says the disk is full (not a
 * generic failure), nothing partial under snapshots/, the space of the
 * unfinished file given back, and the cache still usable: a file that fits
 * downloads right afterwards. A file that cannot fit is refused before a
 * byte of it is fetched. Needs root (CI runs as root) to mount the tmpfs;
 * skipped otherwise. */
#define G_LOG_DOMAIN "HubdDiskFull"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "hubd-download-fixture.h"

#define TMPFS_SIZE (3 * 1024 * 1024)
#define BIG_SIZE   (4 * 1024 * 1024)
#define FITS_SIZE  (2 * 1024 * 1024)
/* the CDN at about 2 MB/s: the disk fills while the file comes */
#define SLOW_LFS                                                                               \
	"{\"action\":\"slow\",\"path_regex\":\"^/lfs/\",\"chunk_size\":65536,\"delay_ms\":30," \
	"\"times\":0}"

static gboolean
mount_cache(Fixture *f)
{
	g_autofree gchar *options = g_strdup_printf("size=%u,mode=0700", TMPFS_SIZE);

	g_assert_cmpint(g_mkdir_with_parents(f->cache, 0700), ==, 0);
	if (mount("tmpfs", f->cache, "tmpfs", 0, options) != 0) {
		g_test_skip_printf("cannot mount a tmpfs (%s): needs root", g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/* nothing half-written is visible, the space is back, and the cache still
 * works for what fits; then the tmpfs goes (the fixture stops a daemon) */
static void
assert_cache_sound(Fixture *f, guint64 before)
{
	g_autofree gchar *snap = cache_path(f, "snapshots");
	g_autoptr(GDir) d = g_dir_open(snap, 0, NULL);
	g_autoptr(HubdTestJobResult) small = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *text = NULL;
	const gchar *commit;

	while (d != NULL && (commit = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *file = g_build_filename(snap, commit, "big.bin", NULL);

		g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
	}
	g_clear_pointer(&d, g_dir_close); /* an open directory keeps the tmpfs busy */
	g_assert_cmpuint(hubd_test_free_bytes(f->cache), >=, before - 64 * 1024);

	small = download(f, "main", "sub/dir/weights.bin", NULL);
	assert_ok(small);
	path = result_string(small, "path");
	text = read_file(path);
	g_assert_cmpstr(text, ==, f->weights);

	hubd_test_daemon_stop(f->daemon);
	f->daemon = NULL;
	g_assert_cmpint(umount(f->cache), ==, 0);
	daemon_start(f);
}

static void
test_too_big(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = NULL;
	g_autofree gchar *lfs = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GPtrArray) gets = NULL;
	guint64 before;

	if (!mount_cache(f))
		return;
	big = commit_big(f, BIG_SIZE);
	lfs = lfs_url_regex(big);
	daemon_start(f);
	f->bus = hubd_test_session_bus();
	before = hubd_test_free_bytes(f->cache);

	r = download(f, "main", "big.bin", NULL);
	assert_failed(r, "org.hubd.Hub1.Error.NoSpace");
	g_test_message("disk full, a 4 MiB download into a cache on a 3 MiB tmpfs: %s", r->message);
	g_assert_nonnull(strstr(r->message, f->cache));
	g_assert_nonnull(strstr(r->message, "Not enough free space"));
	/* refused before a byte of it was fetched */
	gets = log_entries(f, "GET", lfs);
	g_assert_cmpuint(gets->len, ==, 0);
	assert_cache_sound(f, before);
}

/* two files of 2 MiB that each fit in the 3 MiB but not together */
static void
test_snapshot_too_big(Fixture *f, gconstpointer data)
{
	g_autofree gchar *a = g_strnfill(FITS_SIZE, 'a');
	g_autofree gchar *b = g_strnfill(FITS_SIZE, 'b');
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(HubdTestJobResult) one = NULL;
	g_autoptr(GPtrArray) gets = NULL;
	guint64 before;

	if (!mount_cache(f))
		return;
	g_free(hubd_test_hub_commit_files(f->hub,
					  ALICE_WRITE,
					  "model",
					  REPO,
					  "main",
					  LFS_MIN,
					  "a.bin",
					  a,
					  "b.bin",
					  b,
					  NULL));
	daemon_start(f);
	f->bus = hubd_test_session_bus();
	before = hubd_test_free_bytes(f->cache);

	r = snapshot(f, "main", NULL);
	assert_failed(r, "org.hubd.Hub1.Error.NoSpace");
	g_test_message("disk full, a snapshot of 4 MiB into a cache on a 3 MiB tmpfs: %s",
		       r->message);
	g_assert_nonnull(strstr(r->message, f->cache));
	g_assert_nonnull(strstr(r->message, "this snapshot needs"));
	/* refused before its first file was fetched */
	gets = log_entries(f, "GET", "^/lfs/");
	g_assert_cmpuint(gets->len, ==, 0);

	/* the part that fits comes */
	one = snapshot(f, "main", "{'allow_patterns': <['a.bin']>}");
	assert_ok(one);
	assert_cache_sound(f, before - FITS_SIZE);
}

/* the .incomplete of the blob being downloaded, once it holds `at_least` bytes */
static gboolean
incomplete_reached(Fixture *f, goffset at_least)
{
	g_autofree gchar *blobs = cache_path(f, "blobs");
	g_autoptr(GDir) d = g_dir_open(blobs, 0, NULL);
	const gchar *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(blobs, name, NULL);
		GStatBuf st;

		if (g_str_has_suffix(name, ".incomplete") && g_stat(path, &st) == 0 &&
		    st.st_size >= at_least)
			return TRUE;
	}
	return FALSE;
}

/* takes every byte left on the file system of `path` */
static void
fill_up(const gchar *path)
{
	gchar block[65536];
	gint fd = g_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	g_assert_cmpint(fd, >=, 0);
	memset(block, 'f', sizeof block);
	while (write(fd, block, sizeof block) > 0)
		;
	g_assert_cmpint(errno, ==, ENOSPC);
	/* smaller pieces for what a whole block did not fit in */
	while (write(fd, block, 512) > 0)
		;
	close(fd);
}

static void
test_midway(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = NULL;
	g_autofree gchar *job = NULL;
	g_autofree gchar *filler = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	guint64 before;

	if (!mount_cache(f))
		return;
	big = commit_big(f, FITS_SIZE);
	daemon_start(f);
	f->bus = hubd_test_session_bus();
	before = hubd_test_free_bytes(f->cache);
	g_assert_cmpuint(before, >, FITS_SIZE);
	filler = g_build_filename(f->cache, "filler", NULL);

	hubd_test_hub_add_fault(f->hub, SLOW_LFS);
	job = start_download(f, NULL, "main", "big.bin", NULL);
	while (!incomplete_reached(f, 256 * 1024)) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_usleep(5 * 1000);
	}
	/* another program takes the rest of the disk */
	fill_up(filler);
	r = hubd_test_job_wait(f->bus, job, JOB_MS);
	assert_failed(r, "org.hubd.Hub1.Error.NoSpace");
	g_test_message("disk full, the cache filled up mid-download: %s", r->message);
	g_assert_nonnull(strstr(r->message, f->cache));
	g_assert_nonnull(strstr(r->message, g_strerror(ENOSPC)));

	hubd_test_hub_clear_faults(f->hub);
	g_assert_cmpint(g_unlink(filler), ==, 0);
	assert_cache_sound(f, before);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/reliability/disk-full/too-big",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   fixture_setup_hub,
		   test_too_big,
		   fixture_teardown);
	g_test_add("/reliability/disk-full/snapshot-too-big",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   fixture_setup_hub,
		   test_snapshot_too_big,
		   fixture_teardown);
	g_test_add("/reliability/disk-full/midway",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   fixture_setup_hub,
		   test_midway,
		   fixture_teardown);
	return g_test_run();
}
