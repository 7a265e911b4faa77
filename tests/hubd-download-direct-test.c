/* hubd-download-direct-test.c: big blobs are written around the page cache
 * (O_DIRECT) where the filesystem allows, with the right bytes, also when a
 * resume starts at an odd offset; [downloads] direct-io=false keeps them in
 * the page cache. Which pages are cached is read with mincore(). */
#define G_LOG_DOMAIN "HubdDownloadTest"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "hubd-download-fixture.h"

/* 4 full 512 KiB chunks and an odd tail */
#define BIG_SIZE (2 * 1024 * 1024 + 1234)
#define PAGE     4096

/* The filesystems hubd writes to with O_DIRECT (hubd-blob-writer.c). */
static gboolean
skip_unless_direct_fs(Fixture *f)
{
	struct statfs sfs;

	g_assert_cmpint(statfs(f->tmp, &sfs), ==, 0);
	switch ((gulong)sfs.f_type) {
	case EXT4_SUPER_MAGIC:
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case F2FS_SUPER_MAGIC:
		return FALSE;
	default:
		g_test_skip("the test directory's filesystem is not one hubd uses O_DIRECT on");
		return TRUE;
	}
}

/* Pages of `path` in the page cache; `total` gets its page count. */
static gsize
cached_pages(const gchar *path, gsize *total)
{
	gint fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	g_autofree guchar *vec = NULL;
	gsize pages, cached = 0;
	void *map;

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(fstat(fd, &st), ==, 0);
	pages = ((gsize)st.st_size + PAGE - 1) / PAGE;
	map = mmap(NULL, (gsize)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	g_assert_true(map != MAP_FAILED);
	vec = g_malloc(pages);
	g_assert_cmpint(mincore(map, (gsize)st.st_size, vec), ==, 0);
	for (gsize i = 0; i < pages; i++)
		cached += vec[i] & 1;
	munmap(map, (gsize)st.st_size);
	close(fd);
	*total = pages;
	return cached;
}

/* Downloads big.bin and checks its bytes (after counting cached pages:
 * reading them in would cache them). */
static gsize
download_big(Fixture *f, const gchar *big, gsize *total)
{
	g_autoptr(HubdTestJobResult) r = download(f, "main", "big.bin", NULL);
	g_autofree gchar *path = NULL;
	g_autofree gchar *text = NULL;
	gsize cached;

	assert_ok(r);
	path = result_string(r, "path");
	cached = cached_pages(path, total);
	text = read_file(path);
	g_assert_cmpuint(strlen(text), ==, BIG_SIZE);
	g_assert_true(strcmp(text, big) == 0);
	return cached;
}

/* With O_DIRECT only the tail goes through the page cache; without, all. */
static void
test_big(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	gsize total = 0;
	gsize cached;

	if (skip_unless_direct_fs(f))
		return;
	cached = download_big(f, big, &total);
	g_assert_cmpuint(total, ==, BIG_SIZE / PAGE + 1);
	if (f->direct == FIXTURE_DIRECT_ALL)
		g_assert_cmpuint(cached, <=, 1);
	else
		g_assert_cmpuint(cached, ==, total);
}

/* A .hubd.incomplete of 1000 bytes (as an interrupted download leaves):
 * the first chunk realigns the writes, the rest bypass the cache. */
static void
test_direct_odd_resume(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	g_autofree gchar *sha = lfs_sha(big);
	g_autofree gchar *rel = g_strdup_printf("blobs/%s.hubd.incomplete", sha);
	g_autofree gchar *incomplete = cache_path(f, rel);
	g_autofree gchar *blobs = g_path_get_dirname(incomplete);
	g_autoptr(GPtrArray) gets = NULL;
	g_autoptr(GError) error = NULL;
	gsize total = 0;
	gsize cached;

	if (skip_unless_direct_fs(f))
		return;
	g_assert_cmpint(g_mkdir_with_parents(blobs, 0755), ==, 0);
	g_file_set_contents(incomplete, big, 1000, &error);
	g_assert_no_error(error);
	hubd_test_hub_clear_requests(f->hub);
	cached = download_big(f, big, &total);
	g_assert_false(g_file_test(incomplete, G_FILE_TEST_EXISTS));
	gets = log_entries(f, "GET", "^/lfs/");
	g_assert_cmpuint(gets->len, ==, 1);
	g_assert_cmpstr(
		json_object_get_string_member_with_default(g_ptr_array_index(gets, 0), "range", ""),
		==,
		"bytes=1000-");
	/* the first 512 KiB (prefix + realigning chunk) and the tail */
	g_assert_cmpuint(cached, <=, 512 * 1024 / PAGE + 1);
	g_assert_cmpuint(cached, <, total / 2);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, mode, fn) \
	g_test_add("/download/" name, Fixture, FIXTURE(mode), fixture_setup, fn, fixture_teardown)
	ADD("direct-io", FIXTURE_DIRECT_ALL, test_big);
	ADD("direct-io-odd-resume", FIXTURE_DIRECT_ALL, test_direct_odd_resume);
	ADD("direct-io-off", FIXTURE_DIRECT_OFF, test_big);
	/* the default: from 64 MiB */
	ADD("direct-io-below-threshold", FIXTURE_DIRECT_DEFAULT, test_big);
	return g_test_run();
}
