/* hubd-download-fault-test.c: downloads under faults from the local Hub —
 * daemon killed mid-file and resumed with Range, resets / 500 / 429,
 * truncated bodies, a corrupt LFS object, unsafe paths in a tree listing —
 * and one transfer shared by several apps, and cancel */
#define G_LOG_DOMAIN "HubdDownloadTest"

#include <sys/stat.h>

#include "hubd-download-fixture.h"

/* ---- faults ---- */

static gsize
file_size(const gchar *path)
{
	struct stat st;

	return g_stat(path, &st) == 0 ? (gsize)st.st_size : 0;
}

static void
test_resume_after_kill(Fixture *f, gconstpointer data)
{
	const gsize size = 2 * 1024 * 1024;
	g_autofree gchar *big = commit_big(f, size);
	g_autofree gchar *sha = lfs_sha(big);
	g_autofree gchar *rel = g_strdup_printf("blobs/%s.hubd.incomplete", sha);
	g_autofree gchar *incomplete = cache_path(f, rel);
	g_autofree gchar *job = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GPtrArray) gets = NULL;
	gboolean resumed = FALSE;
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;

	hubd_test_hub_add_fault(
		f->hub,
		"{\"action\":\"slow\",\"path_regex\":\"^/lfs/\",\"chunk_size\":65536,"
		"\"delay_ms\":50,\"times\":0}");
	job = start_download(f, NULL, "main", "big.bin", NULL);
	/* at least one 512 KiB chunk on disk, well before the end */
	while (file_size(incomplete) < 512 * 1024 && g_get_monotonic_time() < deadline)
		g_usleep(20000);
	g_assert_cmpuint(file_size(incomplete), >=, 512 * 1024);
	g_assert_cmpuint(file_size(incomplete), <, size);
	hubd_test_daemon_kill(f->daemon);
	f->daemon = NULL;
	g_clear_object(&f->bus);
	hubd_test_hub_clear_faults(f->hub);
	hubd_test_hub_clear_requests(f->hub);

	daemon_start(f);
	f->bus = hubd_test_session_bus();
	r = download(f, "main", "big.bin", NULL);
	assert_ok(r);
	path = result_string(r, "path");
	text = read_file(path);
	g_assert_true(strcmp(text, big) == 0);
	g_assert_false(g_file_test(incomplete, G_FILE_TEST_EXISTS));
	/* the killed daemon's request may be logged late: look at ranged ones */
	gets = log_entries(f, "GET", "^/lfs/");
	for (guint i = 0; i < gets->len; i++) {
		JsonObject *o = g_ptr_array_index(gets, i);
		const gchar *range = json_object_get_string_member_with_default(o, "range", NULL);
		if (range == NULL)
			continue;
		g_assert_false(resumed);
		g_assert_true(g_str_has_prefix(range, "bytes="));
		g_assert_cmpuint(g_ascii_strtoull(range + 6, NULL, 10), >=, 512 * 1024);
		resumed = TRUE;
	}
	g_assert_true(resumed);
}

static void
test_retries(Fixture *f, gconstpointer data)
{
	g_autofree gchar *re = lfs_url_regex(f->weights);
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GPtrArray) gets = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *rule = g_strdup_printf(
		"[{\"action\":\"reset\",\"path_regex\":\"^/lfs/\",\"after_bytes\":1000},"
		"{\"action\":\"status\",\"status\":500,\"method\":\"HEAD\",\"path_regex\":\"/"
		"resolve/\"},"
		"{\"action\":\"status\",\"status\":429,\"retry_after\":1,\"path_regex\":\"^/lfs/"
		"\"}]");

	hubd_test_hub_add_fault(f->hub, rule);
	hubd_test_hub_clear_requests(f->hub);
	r = download(f, "main", "sub/dir/weights.bin", NULL);
	assert_ok(r);
	path = result_string(r, "path");
	text = read_file(path);
	g_assert_cmpstr(text, ==, f->weights);
	/* reset after 1000 bytes, then 429, then a Range request from 1000 */
	gets = log_entries(f, "GET", re);
	g_assert_cmpuint(gets->len, ==, 3);
	g_assert_cmpstr(
		json_object_get_string_member_with_default(g_ptr_array_index(gets, 2), "range", ""),
		==,
		"bytes=1000-");
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "HEAD", "/resolve/", "hub"), ==, 2);
	/* the 429's wait showed in the job, which is how hubctl can say so */
	g_assert_cmpuint(r->max_waiting_until, >, 0);
}

static void
test_truncated(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) ok = NULL;
	g_autoptr(HubdTestJobResult) bad = NULL;
	g_autofree gchar *sha = lfs_sha(f->weights);
	g_autofree gchar *snap = snapshot_file(f, f->commit, "sub/dir/weights.bin");
	g_autofree gchar *text = NULL;
	g_autofree gchar *blob_rel = g_strdup_printf("blobs/%s", sha);
	g_autofree gchar *blob = cache_path(f, blob_rel);

	/* for ever: never the whole body → a clear failure, nothing visible */
	hubd_test_hub_add_fault(f->hub,
				"{\"action\":\"truncate\",\"path_regex\":\"^/lfs/"
				"\",\"after_bytes\":0,\"times\":0}");
	bad = download(f, "main", "sub/dir/weights.bin", NULL);
	assert_failed(bad, ERR "Server");
	g_assert_nonnull(strstr(bad->message, "Consistency check failed"));
	g_assert_false(g_file_test(snap, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(blob, G_FILE_TEST_EXISTS));

	/* once, midway: detected and resumed */
	hubd_test_hub_clear_faults(f->hub);
	hubd_test_hub_add_fault(
		f->hub,
		"{\"action\":\"truncate\",\"path_regex\":\"^/lfs/\",\"after_bytes\":1234}");
	ok = download(f, "main", "sub/dir/weights.bin", NULL);
	assert_ok(ok);
	text = read_file(snap);
	g_assert_cmpstr(text, ==, f->weights);
}

static void
test_sha_mismatch(Fixture *f, gconstpointer data)
{
	g_autofree gchar *sha = lfs_sha(f->weights);
	g_autofree gchar *object = g_build_filename(f->hub->root, "objects", "lfs", sha, NULL);
	g_autofree gchar *other = g_strnfill(strlen(f->weights), 'x');
	g_autofree gchar *snap = snapshot_file(f, f->commit, "sub/dir/weights.bin");
	g_autofree gchar *rel = g_strdup_printf("blobs/%s", sha);
	g_autofree gchar *blob = cache_path(f, rel);
	g_autofree gchar *inc = g_strconcat(blob, ".hubd.incomplete", NULL);
	g_autoptr(HubdTestJobResult) r = NULL;

	g_assert_true(g_file_test(object, G_FILE_TEST_IS_REGULAR));
	g_chmod(object, 0644);
	hubd_test_write_file(object, other);
	r = download(f, "main", "sub/dir/weights.bin", NULL);
	assert_failed(r, ERR "Server");
	g_assert_nonnull(strstr(r->message, "sub/dir/weights.bin"));
	g_assert_nonnull(strstr(r->message, "sha256"));
	g_assert_false(g_file_test(snap, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(blob, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(inc, G_FILE_TEST_EXISTS));
}

/* a tree listing with "../../evil": rigged in the Hub's on-disk commit. The
 * Hub sent what no Hub may send: a Server error (not InvalidArgument, the
 * user asked for nothing wrong) that names the entry refused, and nothing
 * written anywhere */
static void
test_malicious_path(Fixture *f, gconstpointer data)
{
	g_autofree gchar *cpath =
		g_strdup_printf("%s/objects/commits/%s.json", f->hub->root, f->commit);
	g_autofree gchar *json = read_file(cpath);
	g_autoptr(GString) s = g_string_new(json);
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *evil = g_build_filename(f->cache, FOLDER, "snapshots", "evil", NULL);
	g_autofree gchar *evil2 = g_build_filename(f->tmp, "evil", NULL);
	g_autofree gchar *snapdir = cache_path(f, "snapshots");

	g_assert_cmpuint(g_string_replace(s, "\"config.json\"", "\"../../evil\"", 0), >=, 1);
	hubd_test_write_file(cpath, s->str);
	r = snapshot(f, f->commit, NULL);
	assert_failed(r, ERR "Server");
	/* the first entry refused: as on the Hub, the recursive listing holds
	 * the folders of "../../evil" too, sorted, and ".." comes first */
	g_assert_nonnull(strstr(r->message, "unsafe"));
	g_assert_nonnull(strstr(r->message, "“..”"));
	g_assert_false(g_file_test(evil, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(evil2, G_FILE_TEST_EXISTS));
	/* refused before anything was written */
	g_assert_false(g_file_test(snapdir, G_FILE_TEST_EXISTS));
	{
		g_autofree gchar *readme = snapshot_file(f, f->commit, "README.md");
		g_assert_false(g_file_test(readme, G_FILE_TEST_EXISTS));
	}
}

/* ---- sharing, cancel ---- */

static void
assert_fetched(HubdTestJobResult *r)
{
	gboolean cached = TRUE;

	g_assert_true(g_variant_lookup(r->result, "cached", "b", &cached));
	g_assert_false(cached);
}

static void
cancel_job(GDBusConnection *c, const gchar *job)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_sync(c,
					    "org.hubd.Hub1",
					    job,
					    "org.hubd.Hub1.Job",
					    "Cancel",
					    g_variant_new_parsed("(@a{sv} {},)"),
					    NULL,
					    G_DBUS_CALL_FLAGS_NONE,
					    10000,
					    NULL,
					    &error);

	g_assert_no_error(error);
}

/* Three apps ask for one file at once: one transfer; the one that cancels
 * leaves, the others get the file, and both count as fetched (they were
 * fed by the transfer, not served from the cache after waiting). */
static void
test_shared_transfer(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, 1024 * 1024);
	g_autofree gchar *re = lfs_url_regex(big);
	g_autoptr(GDBusConnection) other = hubd_test_session_bus();
	g_autoptr(GDBusConnection) third = hubd_test_session_bus();
	g_autofree gchar *j1 = NULL;
	g_autofree gchar *j2 = NULL;
	g_autofree gchar *j3 = NULL;
	g_autoptr(HubdTestJobResult) r1 = NULL;
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autoptr(HubdTestJobResult) r3 = NULL;
	g_autofree gchar *p1 = NULL;
	g_autofree gchar *p2 = NULL;
	g_autofree gchar *text = NULL;

	hubd_test_hub_add_fault(
		f->hub,
		"{\"action\":\"slow\",\"path_regex\":\"^/lfs/\",\"chunk_size\":65536,"
		"\"delay_ms\":30,\"times\":0}");
	hubd_test_hub_clear_requests(f->hub);
	j1 = start_download(f, f->bus, "main", "big.bin", NULL);
	j2 = start_download(f, other, "main", "big.bin", NULL);
	j3 = start_download(f, third, "main", "big.bin", NULL);
	g_assert_cmpstr(j1, !=, j2);
	cancel_job(third, j3);
	r3 = hubd_test_job_wait(third, j3, JOB_MS);
	assert_failed(r3, ERR "Cancelled");
	r1 = hubd_test_job_wait(f->bus, j1, JOB_MS);
	r2 = hubd_test_job_wait(other, j2, JOB_MS);
	assert_ok(r1);
	assert_ok(r2);
	assert_fetched(r1);
	assert_fetched(r2);
	g_assert_cmpuint(r2->max_bytes_done, ==, 1024 * 1024);
	p1 = result_string(r1, "path");
	p2 = result_string(r2, "path");
	g_assert_cmpstr(p1, ==, p2);
	text = read_file(p1);
	g_assert_true(strcmp(text, big) == 0);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", re, "cdn"), ==, 1);
}

static void
test_cancel(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, 1024 * 1024);
	g_autofree gchar *sha = lfs_sha(big);
	g_autofree gchar *rel = g_strdup_printf("blobs/%s.hubd.incomplete", sha);
	g_autofree gchar *incomplete = cache_path(f, rel);
	g_autofree gchar *job = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GPtrArray) gets = NULL;
	g_autofree gchar *re = lfs_url_regex(big);
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	g_autofree gchar *snapdir = cache_path(f, "snapshots");
	g_autofree gchar *blob_rel = g_strdup_printf("blobs/%s", sha);
	g_autofree gchar *blob = cache_path(f, blob_rel);

	hubd_test_hub_add_fault(
		f->hub,
		"{\"action\":\"slow\",\"path_regex\":\"^/lfs/\",\"chunk_size\":65536,"
		"\"delay_ms\":100,\"times\":0}");
	job = start_download(f, NULL, "main", "big.bin", NULL);
	while (!g_file_test(incomplete, G_FILE_TEST_EXISTS) && g_get_monotonic_time() < deadline)
		g_usleep(20000);
	g_assert_true(g_file_test(incomplete, G_FILE_TEST_EXISTS));
	cancel_job(f->bus, job);
	r = hubd_test_job_wait(f->bus, job, JOB_MS);
	assert_failed(r, ERR "Cancelled");
	g_assert_cmpstr(r->state, ==, "cancelled");
	g_assert_false(g_file_test(blob, G_FILE_TEST_EXISTS));
	{
		g_autofree gchar *snap = snapshot_file(f, f->commit, "big.bin");
		g_autoptr(GDir) d = g_dir_open(snapdir, 0, NULL);
		const gchar *name;
		/* no commit's snapshot has big.bin */
		while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
			g_autofree gchar *p = g_build_filename(snapdir, name, "big.bin", NULL);
			g_assert_false(g_file_test(p, G_FILE_TEST_EXISTS) ||
				       g_file_test(p, G_FILE_TEST_IS_SYMLINK));
		}
		(void)snap;
	}
	/* the transfer stopped: the Hub logs the GET when the connection
	 * closes, with fewer bytes than the file has */
	deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	do {
		g_clear_pointer(&gets, g_ptr_array_unref);
		g_usleep(50000);
		gets = log_entries(f, "GET", re);
	} while (gets->len == 0 && g_get_monotonic_time() < deadline);
	g_assert_cmpuint(gets->len, ==, 1);
	g_assert_cmpint(json_object_get_int_member(g_ptr_array_index(gets, 0), "bytes_sent"),
			<,
			1024 * 1024);
	g_assert_false(g_file_test(blob, G_FILE_TEST_EXISTS));
}

/* The job's Files property (a(stt)) as it is now. */
static GVariant *
job_files(GDBusConnection *c, const gchar *job)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	GVariant *value = NULL;

	reply = g_dbus_connection_call_sync(c,
					    HUBD_TEST_BUS_NAME,
					    job,
					    "org.freedesktop.DBus.Properties",
					    "Get",
					    g_variant_new("(ss)", "org.hubd.Hub1.Job", "Files"),
					    G_VARIANT_TYPE("(v)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(v)", &value);
	g_assert_cmpstr(g_variant_get_type_string(value), ==, "a(stt)");
	return value;
}

/* While a file is in flight the job lists it in Files, with its path in the
 * repo and done <= total; once the job has ended Files is empty. */
static void
test_file_progress(Fixture *f, gconstpointer data)
{
	const gsize size = 1024 * 1024;
	g_autofree gchar *big = commit_big(f, size);
	g_autofree gchar *job = NULL;
	g_autoptr(GVariant) files = NULL;
	g_autoptr(GVariant) after = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	const gchar *path = NULL;
	guint64 done = 0;
	guint64 total = 0;

	hubd_test_hub_add_fault(
		f->hub,
		"{\"action\":\"slow\",\"path_regex\":\"^/lfs/\",\"chunk_size\":65536,"
		"\"delay_ms\":100,\"times\":0}");
	job = start_download(f, NULL, "main", "big.bin", NULL);
	/* until some bytes of the file have arrived */
	do {
		g_clear_pointer(&files, g_variant_unref);
		g_usleep(20000);
		files = job_files(f->bus, job);
		if (g_variant_n_children(files) == 1)
			g_variant_get_child(files, 0, "(&stt)", &path, &done, &total);
	} while (done == 0 && g_get_monotonic_time() < deadline);
	g_assert_cmpuint(g_variant_n_children(files), ==, 1);
	g_assert_cmpstr(path, ==, "big.bin");
	g_assert_cmpuint(total, ==, size);
	g_assert_cmpuint(done, >, 0);
	g_assert_cmpuint(done, <=, total);

	r = hubd_test_job_wait(f->bus, job, JOB_MS);
	assert_ok(r);
	assert_fetched(r);
	/* the job lingers a few seconds after Completed: read it now */
	after = job_files(f->bus, job);
	g_assert_cmpuint(g_variant_n_children(after), ==, 0);
	hubd_test_hub_clear_faults(f->hub);
}

/* The Hub answers 503: a cached file is served after one HEAD (no retry
 * storm before the cache), an uncached one gets the HEAD's retries. */
static void
test_hub_down(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = download(f, "main", "README.md", NULL);
	g_autoptr(HubdTestJobResult) cached = NULL;
	g_autoptr(HubdTestJobResult) miss = NULL;
	g_autoptr(HubdTestJobResult) later = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *want = snapshot_file(f, f->commit, "README.md");

	assert_ok(r);
	hubd_test_hub_add_fault(f->hub,
				"{\"action\":\"status\",\"status\":503,\"method\":\"HEAD\","
				"\"path_regex\":\"/resolve/\",\"times\":0}");
	hubd_test_hub_clear_requests(f->hub);
	cached = download(f, "main", "README.md", NULL);
	assert_ok(cached);
	path = result_string(cached, "path");
	g_assert_cmpstr(path, ==, want);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "HEAD", "/resolve/", NULL), ==, 1);

	hubd_test_hub_clear_requests(f->hub);
	miss = download(f, "main", "config.json", NULL);
	assert_failed(miss, ERR "Server");
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "HEAD", "/resolve/", NULL), >, 2);

	/* the Hub is back: the same request works */
	hubd_test_hub_clear_faults(f->hub);
	later = download(f, "main", "config.json", NULL);
	assert_ok(later);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* every blob written with O_DIRECT where the filesystem allows, so the
	 * resumes below also cover unaligned offsets on that path */
#define ADD(name, fn)                           \
	g_test_add("/download/" name,           \
		   Fixture,                     \
		   FIXTURE(FIXTURE_DIRECT_ALL), \
		   fixture_setup,               \
		   fn,                          \
		   fixture_teardown)
	ADD("resume-after-kill", test_resume_after_kill);
	ADD("retries", test_retries);
	ADD("truncated", test_truncated);
	ADD("sha256-mismatch", test_sha_mismatch);
	ADD("malicious-path", test_malicious_path);
	ADD("shared-transfer", test_shared_transfer);
	ADD("cancel", test_cancel);
	ADD("file-progress", test_file_progress);
	ADD("hub-down", test_hub_down);
	return g_test_run();
}
