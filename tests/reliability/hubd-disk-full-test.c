/* hubd-disk-full-test.c: the cache on a small tmpfs that fills up mid-download.
 *
 * What a user sees: a typed error that says the disk is full (not a
 * generic failure), nothing partial under snapshots/, the space of the
 * unfinished file given back, and the cache still usable: a file that fits
 * downloads right afterwards. Needs root (CI runs as root) to mount the
 * tmpfs; skipped otherwise. */
#define G_LOG_DOMAIN "HubdDiskFull"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include "hubd-download-fixture.h"

#define TMPFS_SIZE (3 * 1024 * 1024)
#define BIG_SIZE   (4 * 1024 * 1024)

static void
test_disk_full(Fixture *f, gconstpointer data)
{
	g_autofree gchar *options = g_strdup_printf("size=%u,mode=0700", TMPFS_SIZE);
	g_autofree gchar *big = NULL;
	g_autofree gchar *snap = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(HubdTestJobResult) small = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *text = NULL;
	guint64 before;

	g_assert_cmpint(g_mkdir_with_parents(f->cache, 0700), ==, 0);
	if (mount("tmpfs", f->cache, "tmpfs", 0, options) != 0) {
		g_test_skip_printf("cannot mount a tmpfs (%s): needs root", g_strerror(errno));
		return;
	}
	big = commit_big(f, BIG_SIZE);
	daemon_start(f);
	f->bus = hubd_test_session_bus();
	before = hubd_test_free_bytes(f->cache);

	r = download(f, "main", "big.bin", NULL);
	assert_failed(r, "org.hubd.Hub1.Error.NoSpace");
	g_test_message("disk full, the cache on a 3 MiB tmpfs, a 4 MiB download: %s", r->message);
	g_assert_nonnull(strstr(r->message, f->cache));
	/* nothing half-written is visible, and the space is back */
	snap = cache_path(f, "snapshots");
	{
		g_autoptr(GDir) d = g_dir_open(snap, 0, NULL);
		const gchar *commit;

		while (d != NULL && (commit = g_dir_read_name(d)) != NULL) {
			g_autofree gchar *file = g_build_filename(snap, commit, "big.bin", NULL);

			g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
		}
	}
	g_assert_cmpuint(hubd_test_free_bytes(f->cache), >=, before - 64 * 1024);

	/* the cache still works for what fits */
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

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/reliability/disk-full",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   fixture_setup_hub,
		   test_disk_full,
		   fixture_teardown);
	return g_test_run();
}
