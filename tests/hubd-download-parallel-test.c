/* hubd-download-parallel-test.c: big files come over several connections
 * at once ([downloads] parallel-min-size, connections-per-file), set low
 * here so that a 3 MiB file is cut into segments at odd offsets. What the
 * local Hub's CDN served (its request log: ranges, bytes sent) shows that a
 * failed segment is fetched again alone, that a daemon killed mid-file
 * fetches only what its segment map lacks, that a server ignoring Range is
 * read as one stream, that an expired CDN link is asked for again, and that
 * a first connection fast enough alone keeps the file to itself. */
#define G_LOG_DOMAIN "HubdDownloadTest"

#include "hubd-download-fixture.h"

#define BIG_SIZE (3 * 1024 * 1024 + 12345)
#define CONNS    4

/* A daemon that fetches files of 1 MB or more over `conns` connections;
 * `rate`: its [downloads] one-stream-rate. */
static void
setup_with(Fixture *f, gconstpointer data, guint conns, guint64 rate)
{
	g_autofree gchar *c = g_strdup_printf("downloads.connections-per-file=%u", conns);
	g_autofree gchar *r = g_strdup_printf("downloads.one-stream-rate=%" G_GUINT64_FORMAT, rate);
	const gchar *args[] =
		{"--set", "downloads.parallel-min-size=1000000", "--set", c, "--set", r, NULL};

	f->daemon_args = g_strdupv((GStrv)args);
	fixture_setup(f, data);
}

/* always split */
static void
parallel_setup(Fixture *f, gconstpointer data)
{
	setup_with(f, data, CONNS, 0);
}

/* all the connections a file may have: 8 */
static void
parallel8_setup(Fixture *f, gconstpointer data)
{
	setup_with(f, data, 8, 0);
}

/* with the first connection measured: 1 MB/s is enough alone */
static void
measured_setup(Fixture *f, gconstpointer data)
{
	setup_with(f, data, CONNS, 1000000);
}

static guint64
entry_int(JsonObject *o, const gchar *name)
{
	return (guint64)json_object_get_int_member_with_default(o, name, 0);
}

/* Bytes of the file the CDN sent in the GETs of `gets` (its 200 and 206
 * answers: error bodies are not the file's). */
static guint64
bytes_sent(GPtrArray *gets)
{
	guint64 sum = 0;

	for (guint i = 0; i < gets->len; i++) {
		JsonObject *o = g_ptr_array_index(gets, i);
		if (entry_int(o, "status") == 200 || entry_int(o, "status") == 206)
			sum += entry_int(o, "bytes_sent");
	}
	return sum;
}

/* A range "bytes=A-B" of the log: A and B + 1. */
static gboolean
parse_range(JsonObject *o, guint64 *start, guint64 *end)
{
	const gchar *r = json_object_get_string_member_with_default(o, "range", NULL);
	gchar *p = NULL;

	if (r == NULL || !g_str_has_prefix(r, "bytes="))
		return FALSE;
	*start = g_ascii_strtoull(r + 6, &p, 10);
	g_assert_true(*p == '-');
	*end = g_ascii_strtoull(p + 1, NULL, 10) + 1;
	return TRUE;
}

static gint
cmp_start(gconstpointer a, gconstpointer b)
{
	guint64 sa = 0, sb = 0, e = 0;

	parse_range(*(JsonObject **)a, &sa, &e);
	parse_range(*(JsonObject **)b, &sb, &e);
	return sa < sb ? -1 : sa > sb;
}

/* Downloads big.bin; checks its bytes and that nothing of the transfer is
 * left beside the blob. */
static void
download_big_ok(Fixture *f, const gchar *big)
{
	g_autoptr(HubdTestJobResult) r = download(f, "main", "big.bin", NULL);
	g_autofree gchar *sha = lfs_sha(big);
	g_autofree gchar *rel = g_strdup_printf("blobs/%s.hubd.incomplete", sha);
	g_autofree gchar *incomplete = cache_path(f, rel);
	g_autofree gchar *segments = g_strconcat(incomplete, ".segments", NULL);
	g_autofree gchar *path = NULL;
	g_autofree gchar *text = NULL;
	guint64 size = 0;
	guint64 done = 0;

	assert_ok(r);
	path = result_string(r, "path");
	text = read_file(path);
	g_assert_cmpuint(strlen(text), ==, BIG_SIZE);
	g_assert_true(memcmp(text, big, BIG_SIZE) == 0);
	g_assert_true(g_variant_lookup(r->result, "size", "t", &size));
	g_assert_cmpuint(size, ==, BIG_SIZE);
	/* progress is one number across the segments: never past the size,
	 * however many retries, and the size at the end */
	g_assert_cmpuint(r->max_bytes_done, ==, BIG_SIZE);
	if (r->properties != NULL) {
		g_assert_true(g_variant_lookup(r->properties, "BytesDone", "t", &done));
		g_assert_cmpuint(done, ==, BIG_SIZE);
	}
	g_assert_false(g_file_test(incomplete, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(segments, G_FILE_TEST_EXISTS));
}

/* Several ranged GETs that tile the file exactly, some starting at odd
 * offsets; a small file is still one plain GET. */
static void
test_segments(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	g_autofree gchar *re = lfs_url_regex(big);
	g_autofree gchar *small_re = lfs_url_regex(f->weights);
	g_autoptr(GPtrArray) gets = NULL;
	g_autoptr(GPtrArray) small = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	guint64 want = 0;
	gboolean odd = FALSE;

	hubd_test_hub_clear_requests(f->hub);
	download_big_ok(f, big);
	gets = log_entries(f, "GET", re);
	g_assert_cmpuint(gets->len, >, CONNS);
	g_ptr_array_sort(gets, cmp_start);
	for (guint i = 0; i < gets->len; i++) {
		JsonObject *o = g_ptr_array_index(gets, i);
		guint64 start = 0, end = 0;

		g_assert_true(parse_range(o, &start, &end));
		g_assert_cmpuint(entry_int(o, "status"), ==, 206);
		g_assert_cmpuint(start, ==, want);
		g_assert_cmpuint(entry_int(o, "bytes_sent"), ==, end - start);
		odd = odd || start % 2 == 1;
		want = end;
	}
	g_assert_cmpuint(want, ==, BIG_SIZE);
	g_assert_true(odd);

	r = download(f, "main", "sub/dir/weights.bin", NULL);
	assert_ok(r);
	small = log_entries(f, "GET", small_re);
	g_assert_cmpuint(small->len, ==, 1);
	g_assert_null(json_object_get_string_member_with_default(g_ptr_array_index(small, 0),
								 "range",
								 NULL));
}

/* A reset, a 500 and a truncated body, each on one segment's connection:
 * three more requests, each resuming its own segment, and no byte of the
 * file is sent twice. */
static void
test_segment_faults(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	g_autofree gchar *re = lfs_url_regex(big);
	g_autoptr(GPtrArray) gets = NULL;
	g_autoptr(GPtrArray) ok = NULL;
	guint failed = 0;

	hubd_test_hub_add_fault(
		f->hub,
		"[{\"action\":\"truncate\",\"path_regex\":\"^/lfs/\",\"after_bytes\":70001,"
		"\"skip\":1},"
		"{\"action\":\"status\",\"status\":500,\"path_regex\":\"^/lfs/\",\"skip\":3},"
		"{\"action\":\"reset\",\"path_regex\":\"^/lfs/\",\"after_bytes\":0,\"skip\":5}]");
	hubd_test_hub_clear_requests(f->hub);
	download_big_ok(f, big);
	gets = log_entries(f, "GET", re);
	ok = g_ptr_array_new();
	for (guint i = 0; i < gets->len; i++) {
		JsonObject *o = g_ptr_array_index(gets, i);
		guint64 start = 0, end = 0;

		g_assert_true(parse_range(o, &start, &end));
		if (entry_int(o, "status") == 206 && entry_int(o, "bytes_sent") == end - start)
			g_ptr_array_add(ok, o);
		else
			failed++;
	}
	g_assert_cmpuint(failed, ==, 3);
	/* the truncated segment resumed 70001 bytes in: each byte once */
	g_assert_cmpuint(bytes_sent(gets), ==, BIG_SIZE);
}

/* The segment map next to the .incomplete. */
static gchar *
segments_path(Fixture *f, const gchar *big)
{
	g_autofree gchar *sha = lfs_sha(big);
	g_autofree gchar *rel = g_strdup_printf("blobs/%s.hubd.incomplete.segments", sha);

	return cache_path(f, rel);
}

/* Bytes a segment map says are written. */
static guint64
map_done(const gchar *path)
{
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;
	guint64 done = 0;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++) {
		guint64 v[3] = {0};
		gchar *p = lines[i];

		for (guint k = 0; k < 3; k++)
			v[k] = g_ascii_strtoull(p, &p, 10);
		done += v[2] - v[0];
	}
	return done;
}

/* kill -9 while four slow segments run: the restarted daemon asks only for
 * what the saved map lacks, to the byte. */
static void
test_resume_after_kill(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	g_autofree gchar *re = lfs_url_regex(big);
	g_autofree gchar *map = segments_path(f, big);
	g_autofree gchar *job = NULL;
	g_autoptr(GPtrArray) gets = NULL;
	gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
	guint64 done;

	hubd_test_hub_add_fault(
		f->hub,
		"{\"action\":\"slow\",\"path_regex\":\"^/lfs/\",\"chunk_size\":32768,"
		"\"delay_ms\":100,\"times\":0}");
	job = start_download(f, NULL, "main", "big.bin", NULL);
	while (map_done(map) < 768 * 1024 && g_get_monotonic_time() < deadline)
		g_usleep(20000);
	hubd_test_daemon_kill(f->daemon);
	f->daemon = NULL;
	g_clear_object(&f->bus);
	done = map_done(map);
	g_assert_cmpuint(done, >=, 768 * 1024);
	g_assert_cmpuint(done, <, BIG_SIZE);
	/* the killed connections end and get logged: then start afresh */
	g_usleep(500 * 1000);
	hubd_test_hub_clear_faults(f->hub);
	hubd_test_hub_clear_requests(f->hub);

	daemon_start(f);
	f->bus = hubd_test_session_bus();
	download_big_ok(f, big);
	gets = log_entries(f, "GET", re);
	g_assert_cmpuint(gets->len, >, 0);
	g_assert_cmpuint(bytes_sent(gets), ==, BIG_SIZE - done);
}

/* A CDN that ignores Range: the first range comes back whole (200), and the
 * file is then read as one stream, from the start. */
static void
test_no_range(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	g_autofree gchar *re = lfs_url_regex(big);
	g_autoptr(GPtrArray) gets = NULL;
	JsonObject *ranged;
	JsonObject *plain;

	hubd_test_hub_add_fault(f->hub,
				"{\"action\":\"no_range\",\"path_regex\":\"^/lfs/\",\"times\":0}");
	hubd_test_hub_clear_requests(f->hub);
	download_big_ok(f, big);
	gets = log_entries(f, "GET", re);
	g_assert_cmpuint(gets->len, ==, 2);
	/* logged as they end, in either order */
	ranged = g_ptr_array_index(gets, 0);
	plain = g_ptr_array_index(gets, 1);
	if (json_object_get_string_member_with_default(ranged, "range", NULL) == NULL) {
		JsonObject *o = ranged;
		ranged = plain;
		plain = o;
	}
	/* the ranged one was answered whole, and dropped: its log says 200,
	 * or 500 when the server saw the client hang up mid-body */
	g_assert_nonnull(json_object_get_string_member_with_default(ranged, "range", NULL));
	g_assert_cmpuint(entry_int(ranged, "status"), !=, 206);
	g_assert_null(json_object_get_string_member_with_default(plain, "range", NULL));
	g_assert_cmpuint(entry_int(plain, "status"), ==, 200);
	g_assert_cmpuint(entry_int(plain, "bytes_sent"), ==, BIG_SIZE);
}

/* The CDN refuses a segment's link (403, as an expired signed URL): the Hub
 * is asked for a new one and only that segment is fetched again. */
static void
test_expired_link(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	g_autofree gchar *re = lfs_url_regex(big);
	g_autoptr(GPtrArray) gets = NULL;
	guint refused = 0;

	hubd_test_hub_add_fault(f->hub,
				"{\"action\":\"status\",\"status\":403,\"origin\":\"cdn\","
				"\"path_regex\":\"^/lfs/\",\"skip\":2}");
	hubd_test_hub_clear_requests(f->hub);
	download_big_ok(f, big);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "HEAD", "/resolve/", "hub"), ==, 2);
	gets = log_entries(f, "GET", re);
	for (guint i = 0; i < gets->len; i++)
		refused += entry_int(g_ptr_array_index(gets, i), "status") == 403;
	g_assert_cmpuint(refused, ==, 1);
	g_assert_cmpuint(bytes_sent(gets), ==, BIG_SIZE);
}

/* One big file on its 8 slow connections leaves one for a small file:
 * the small one is served completely before any of the big one's segments
 * (the local Hub logs a request when it ends). */
static void
test_fair_share(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	g_autofree gchar *re = lfs_url_regex(big);
	g_autofree gchar *sha = lfs_sha(big);
	g_autofree gchar *small_re = lfs_url_regex(f->weights);
	g_autofree gchar *map = segments_path(f, big);
	g_autofree gchar *rule = g_strdup_printf("{\"action\":\"slow\",\"path_regex\":\"%s$\","
						 "\"chunk_size\":32768,\"delay_ms\":1000,"
						 "\"times\":0}",
						 sha);
	g_autofree gchar *job = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GPtrArray) gets = NULL;
	g_autoptr(GPtrArray) small = NULL;
	gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;

	hubd_test_hub_add_fault(f->hub, rule);
	hubd_test_hub_clear_requests(f->hub);
	job = start_download(f, NULL, "main", "big.bin", NULL);
	/* the segments run once the map is saved and the first range answered */
	while (map_done(map) == 0 && g_get_monotonic_time() < deadline)
		g_usleep(20000);
	g_assert_cmpuint(map_done(map), >, 0);
	r = download(f, "main", "sub/dir/weights.bin", NULL);
	assert_ok(r);
	small = log_entries(f, "GET", small_re);
	g_assert_cmpuint(small->len, ==, 1);
	gets = log_entries(f, "GET", re);
	g_assert_cmpuint(gets->len, ==, 0);
}

/* A CDN faster than one-stream-rate on the first connection: that one
 * ends its segment, then the rest comes as one open range on one
 * connection, and no map is left behind. */
static void
test_one_stream(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	g_autofree gchar *re = lfs_url_regex(big);
	g_autoptr(GPtrArray) gets = NULL;
	JsonObject *first;
	JsonObject *rest;
	guint64 start = 0, end = 0;

	hubd_test_hub_clear_requests(f->hub);
	download_big_ok(f, big);
	gets = log_entries(f, "GET", re);
	g_assert_cmpuint(gets->len, ==, 2);
	g_ptr_array_sort(gets, cmp_start);
	first = g_ptr_array_index(gets, 0);
	rest = g_ptr_array_index(gets, 1);
	g_assert_true(parse_range(first, &start, &end));
	g_assert_cmpuint(start, ==, 0);
	g_assert_cmpuint(end, <, BIG_SIZE);
	g_assert_cmpuint(entry_int(first, "bytes_sent"), ==, end);
	/* "bytes=END-": open, to the end of the file */
	{
		g_autofree gchar *open_range = g_strdup_printf("bytes=%" G_GUINT64_FORMAT "-", end);
		g_assert_cmpstr(json_object_get_string_member(rest, "range"), ==, open_range);
	}
	g_assert_cmpuint(entry_int(rest, "status"), ==, 206);
	g_assert_cmpuint(entry_int(rest, "bytes_sent"), ==, BIG_SIZE - end);
}

/* The same setting with a CDN slower than it per connection (32 KiB every
 * 50 ms): the first connection's rate sends the file over several. */
static void
test_slow_splits(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, BIG_SIZE);
	g_autofree gchar *re = lfs_url_regex(big);
	g_autoptr(GPtrArray) gets = NULL;

	hubd_test_hub_add_fault(
		f->hub,
		"{\"action\":\"slow\",\"path_regex\":\"^/lfs/\",\"chunk_size\":32768,"
		"\"delay_ms\":50,\"times\":0}");
	hubd_test_hub_clear_requests(f->hub);
	download_big_ok(f, big);
	gets = log_entries(f, "GET", re);
	g_assert_cmpuint(gets->len, >, CONNS);
	g_assert_cmpuint(bytes_sent(gets), ==, BIG_SIZE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) \
	g_test_add("/download/parallel/" name, Fixture, NULL, parallel_setup, fn, fixture_teardown)
	ADD("segments", test_segments);
	ADD("segment-faults", test_segment_faults);
	ADD("resume-after-kill", test_resume_after_kill);
	ADD("no-range", test_no_range);
	ADD("expired-link", test_expired_link);
	g_test_add("/download/parallel/one-stream",
		   Fixture,
		   NULL,
		   measured_setup,
		   test_one_stream,
		   fixture_teardown);
	g_test_add("/download/parallel/slow-splits",
		   Fixture,
		   NULL,
		   measured_setup,
		   test_slow_splits,
		   fixture_teardown);
	g_test_add("/download/parallel/fair-share",
		   Fixture,
		   NULL,
		   parallel8_setup,
		   test_fair_share,
		   fixture_teardown);
	return g_test_run();
}
