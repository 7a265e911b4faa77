/* hubd-download-mirror-test.c: downloads through a file:// mirror ([storage]
 * mirror=NAME) — blobs it holds never cross the CDN, misses, corrupt or short
 * objects and an unusable mirror fall back to the Hub, the Hub still decides
 * access, and a snapshot fetches only what the mirror lacks */
#define G_LOG_DOMAIN "HubdDownloadTest"

#include "hubd-download-fixture.h"

#define BOB_WRITE "hf_bob_write_00000000000000000000000"
/* the regular file whose bytes hubd checks against its git blob sha1 */
#define README "# dl\nhello\n"
#define CONFIG "{\"a\": 1}\n"

/* ---- the fixture: alice/dl, a daemon reading through the mirror "m" ---- */

static gchar *
mirror_dir(Fixture *f)
{
	return g_build_filename(f->tmp, "mirror", NULL);
}

/* Restarts hubd (if it runs) with these --set GROUP.KEY=VALUE settings. */
static void
restart_with(Fixture *f, const gchar *const *settings)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new();

	if (f->daemon != NULL) {
		hubd_test_daemon_stop(f->daemon);
		f->daemon = NULL;
	}
	g_clear_object(&f->bus);
	for (guint i = 0; settings[i] != NULL; i++) {
		g_ptr_array_add(args, g_strdup("--set"));
		g_ptr_array_add(args, g_strdup(settings[i]));
	}
	g_ptr_array_add(args, NULL);
	g_strfreev(f->daemon_args);
	f->daemon_args = (GStrv)g_ptr_array_free(g_steal_pointer(&args), FALSE);
	daemon_start(f);
	f->bus = hubd_test_session_bus();
}

static void
mirror_setup(Fixture *f, gconstpointer data)
{
	g_autofree gchar *dir = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *url_setting = NULL;

	fixture_setup_hub(f, data);
	dir = mirror_dir(f);
	url = g_filename_to_uri(dir, NULL, NULL);
	url_setting = g_strdup_printf("storage.m.url=%s", url);
	{
		const gchar *settings[] = {"storage.mirror=m", url_setting, NULL};
		restart_with(f, settings);
	}
}

/* The log says `what` exactly `times` times; then the daemon stops, so the
 * teardown does not take these expected warnings for defects. */
static void
stop_expecting_log(Fixture *f, const gchar *what, guint times)
{
	g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);
	guint n = 0;

	for (const gchar *p = strstr(log, what); p != NULL; p = strstr(p + 1, what))
		n++;
	if (n != times)
		g_error("expected “%s” %u times in hubd's log, found %u:\n%s", what, times, n, log);
	g_assert_null(strstr(log, "-CRITICAL **"));
	hubd_test_daemon_stop(f->daemon);
	f->daemon = NULL;
}

/* ---- helpers ---- */

static gchar *
git_sha1(const gchar *contents)
{
	g_autoptr(GChecksum) c = g_checksum_new(G_CHECKSUM_SHA1);
	g_autofree gchar *hdr = g_strdup_printf("blob %" G_GSIZE_FORMAT, strlen(contents));

	g_checksum_update(c, (const guchar *)hdr, (gssize)strlen(hdr) + 1);
	g_checksum_update(c, (const guchar *)contents, (gssize)strlen(contents));
	return g_strdup(g_checksum_get_string(c));
}

/* Puts an object into the mirror folder by hand, as a sync would have:
 * models/<repo>/blobs/<etag> (the layout of docs/storage.md). */
static void
mirror_put(Fixture *f, const gchar *repo, const gchar *etag, const gchar *contents)
{
	g_autofree gchar *dir = mirror_dir(f);
	g_autofree gchar *path = g_build_filename(dir, "models", repo, "blobs", etag, NULL);

	hubd_test_write_file(path, contents);
}

static guint
count_gets_regular(Fixture *f, const gchar *file)
{
	g_autofree gchar *re = g_strdup_printf("^/%s/resolve/[^/]+/%s$", REPO, file);

	return hubd_test_hub_count_requests(f->hub, "GET", re, "hub");
}

static guint
count_gets_lfs(Fixture *f, const gchar *contents)
{
	g_autofree gchar *re = lfs_url_regex(contents);

	return hubd_test_hub_count_requests(f->hub, "GET", re, "cdn");
}

static guint
count_heads(Fixture *f, const gchar *file)
{
	g_autofree gchar *re = g_strdup_printf("^/%s/resolve/[^/]+/%s$", REPO, file);

	return hubd_test_hub_count_requests(f->hub, "HEAD", re, "hub");
}

/* Downloads `file` (options `o`), checks the bytes and that it was not
 * served from the cache; returns the path. */
static gchar *
download_expect(Fixture *f, const gchar *file, const gchar *o, const gchar *contents)
{
	g_autoptr(HubdTestJobResult) r = download(f, "main", file, o);
	g_autofree gchar *path = NULL;
	g_autofree gchar *text = NULL;
	gboolean cached = TRUE;

	assert_ok(r);
	path = result_string(r, "path");
	text = read_file(path);
	g_assert_cmpstr(text, ==, contents);
	g_assert_true(g_variant_lookup(r->result, "cached", "b", &cached));
	g_assert_false(cached);
	return g_steal_pointer(&path);
}

/* Every blob in the cache holds the bytes its name promises, and no
 * .incomplete is left: nothing the mirror sent wrong stayed. */
static void
assert_cache_blobs_sound(Fixture *f)
{
	g_autofree gchar *blobs = cache_path(f, "blobs");
	g_autoptr(GDir) dir = g_dir_open(blobs, 0, NULL);
	const gchar *name;

	g_assert_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *p = g_build_filename(blobs, name, NULL);
		g_autofree gchar *contents = read_file(p);
		g_autofree gchar *hash =
			strlen(name) == 64 ? lfs_sha(contents) : git_sha1(contents);

		g_test_message("blob %s", name);
		g_assert_cmpstr(hash, ==, name);
	}
}

/* ---- the mirror has the blob: no bytes from the CDN ---- */

static void
test_hit(Fixture *f, gconstpointer data)
{
	g_autofree gchar *readme_etag = git_sha1(README);
	g_autofree gchar *weights_etag = lfs_sha(f->weights);
	g_autofree gchar *config_etag = git_sha1(CONFIG);
	g_autofree gchar *out = g_build_filename(f->tmp, "out", NULL);
	g_autofree gchar *local = NULL;
	g_autofree gchar *o = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(GVariant) status = hubd_test_get_status(f->bus);
	const gchar *mirror = NULL;

	g_assert_true(g_variant_lookup(status, "mirror", "&s", &mirror));
	g_assert_cmpstr(mirror, ==, "m");
	mirror_put(f, REPO, readme_etag, README);
	mirror_put(f, REPO, weights_etag, f->weights);
	hubd_test_hub_clear_requests(f->hub);

	/* a regular file: the HEAD goes to the Hub, the bytes come from the
	 * mirror (verified against the git blob sha1) */
	path = download_expect(f, "README.md", NULL, README);
	g_assert_cmpuint(count_heads(f, "README.md"), ==, 1);
	g_assert_cmpuint(count_gets_regular(f, "README.md"), ==, 0);
	{
		g_autofree gchar *link = g_file_read_link(path, NULL);
		g_autofree gchar *want = g_strdup_printf("../../blobs/%s", readme_etag);
		g_assert_cmpstr(link, ==, want);
	}

	/* an LFS file: no CDN GET */
	g_free(path);
	path = download_expect(f, "sub/dir/weights.bin", NULL, f->weights);
	g_assert_cmpuint(count_heads(f, "sub/dir/weights.bin"), ==, 1);
	g_assert_cmpuint(count_gets_lfs(f, f->weights), ==, 0);

	/* a local_dir target (of a file the cache does not have) reads
	 * through the mirror too */
	mirror_put(f, REPO, config_etag, CONFIG);
	o = g_strdup_printf("{'local_dir': <'%s'>}", out);
	local = download_expect(f, "config.json", o, CONFIG);
	g_assert_true(g_str_has_prefix(local, out));
	g_assert_cmpuint(count_gets_regular(f, "config.json"), ==, 0);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", NULL, "cdn"), ==, 0);
	assert_cache_blobs_sound(f);
}

/* A resume: what an earlier run left in the .incomplete stays, and the
 * mirror gives the rest from that offset (an odd one, so the writes after
 * it realign). A wrong range would make the file too long and end on the
 * CDN. */
static void
test_resume(Fixture *f, gconstpointer data)
{
	const gsize size = 2 * 1024 * 1024 + 777;
	g_autofree gchar *big = commit_big(f, size);
	g_autofree gchar *sha = lfs_sha(big);
	g_autofree gchar *rel = g_strdup_printf("blobs/%s.hubd.incomplete", sha);
	g_autofree gchar *incomplete = cache_path(f, rel);
	g_autofree gchar *prefix = g_strndup(big, 700001);
	g_autofree gchar *path = NULL;

	mirror_put(f, REPO, sha, big);
	hubd_test_write_file(incomplete, prefix);
	hubd_test_hub_clear_requests(f->hub);
	path = download_expect(f, "big.bin", NULL, big);
	g_assert_cmpuint(count_gets_lfs(f, big), ==, 0);
	g_assert_false(g_file_test(incomplete, G_FILE_TEST_EXISTS));
}

/* The metadata HEAD still decides: a private repo of bob's stays private
 * to alice even with its blob in the mirror. */
static void
test_private(Fixture *f, gconstpointer data)
{
	g_autofree gchar *reply = NULL;
	g_autofree gchar *commit = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	const gchar *secret = "bob's secret\n";
	g_autofree gchar *etag = git_sha1(secret);

	g_assert_cmpuint(
		hubd_test_hub_http(f->hub,
				   "POST",
				   "/api/repos/create",
				   BOB_WRITE,
				   "{\"name\":\"secret\",\"type\":\"model\",\"private\":true}",
				   &reply),
		==,
		200);
	commit = hubd_test_hub_commit_files(f->hub,
					    BOB_WRITE,
					    "model",
					    "bob/secret",
					    "main",
					    0,
					    "secret.txt",
					    secret,
					    NULL);
	mirror_put(f, "bob/secret", etag, secret);
	r = hubd_test_run_job(f->bus,
			      "Download",
			      g_variant_new("(ssss@a{sv})",
					    "model",
					    "bob/secret",
					    "main",
					    "secret.txt",
					    opts(NULL)),
			      JOB_MS);
	assert_failed(r, ERR "RepoNotFound");
}

/* ---- the mirror lacks it or has it wrong: the Hub, the same result ---- */

static void
test_miss(Fixture *f, gconstpointer data)
{
	g_autofree gchar *a = NULL;
	g_autofree gchar *b = NULL;

	hubd_test_hub_clear_requests(f->hub);
	a = download_expect(f, "README.md", NULL, README);
	b = download_expect(f, "sub/dir/weights.bin", NULL, f->weights);
	g_assert_cmpuint(count_gets_regular(f, "README.md"), ==, 1);
	g_assert_cmpuint(count_gets_lfs(f, f->weights), ==, 1);
	assert_cache_blobs_sound(f);
	/* a miss is no news: the teardown finds no warning in the log */
}

static void
test_corrupt(Fixture *f, gconstpointer data)
{
	g_autofree gchar *readme_etag = git_sha1(README);
	g_autofree gchar *weights_etag = lfs_sha(f->weights);
	g_autofree gchar *config_etag = git_sha1(CONFIG);
	g_autofree gchar *readme_bad = g_strdup(README);
	g_autofree gchar *weights_bad = g_strdup(f->weights);
	g_autofree gchar *a = NULL;
	g_autofree gchar *b = NULL;
	g_autofree gchar *c = NULL;

	/* the same sizes, one byte different */
	readme_bad[2] = 'D';
	weights_bad[4321] = 'W';
	mirror_put(f, REPO, readme_etag, readme_bad);
	mirror_put(f, REPO, weights_etag, weights_bad);
	/* and one of another size */
	mirror_put(f, REPO, config_etag, "{}\n");
	hubd_test_hub_clear_requests(f->hub);

	a = download_expect(f, "README.md", NULL, README);
	b = download_expect(f, "sub/dir/weights.bin", NULL, f->weights);
	c = download_expect(f, "config.json", NULL, CONFIG);
	g_assert_cmpuint(count_gets_regular(f, "README.md"), ==, 1);
	g_assert_cmpuint(count_gets_lfs(f, f->weights), ==, 1);
	g_assert_cmpuint(count_gets_regular(f, "config.json"), ==, 1);
	assert_cache_blobs_sound(f);
	/* the administrator learns which object is bad */
	stop_expecting_log(f, "could not give models/" REPO "/blobs/", 3);
}

/* ---- a mirror that cannot be used never breaks a download ---- */

static void
check_unusable(Fixture *f, const gchar *const *settings)
{
	g_autofree gchar *a = NULL;
	g_autofree gchar *b = NULL;
	g_autofree gchar *c = NULL;

	restart_with(f, settings);
	hubd_test_hub_clear_requests(f->hub);
	a = download_expect(f, "README.md", "{'force': <true>}", README);
	b = download_expect(f, "sub/dir/weights.bin", "{'force': <true>}", f->weights);
	c = download_expect(f, "config.json", "{'force': <true>}", CONFIG);
	g_assert_cmpuint(count_gets_regular(f, "README.md"), ==, 1);
	g_assert_cmpuint(count_gets_lfs(f, f->weights), ==, 1);
	/* said once, not per download */
	stop_expecting_log(f, "is not usable, downloads go to the Hub", 1);
}

static void
test_unusable(Fixture *f, gconstpointer data)
{
	g_autofree gchar *file = g_build_filename(f->tmp, "a-file", NULL);
	g_autofree gchar *under_file = g_strdup_printf("storage.m.url=file://%s/sub", file);
	const gchar *no_group[] = {"storage.mirror=nope", NULL};
	const gchar *no_backend[] = {"storage.mirror=m", "storage.m.url=s3://bucket/prefix", NULL};
	const gchar *bad_name[] = {"storage.mirror=../m", NULL};
	const gchar *no_folder[] = {"storage.mirror=m", under_file, NULL};

	hubd_test_write_file(file, "not a folder\n");
	check_unusable(f, no_group);
	check_unusable(f, no_backend);
	check_unusable(f, bad_name);
	check_unusable(f, no_folder);
}

/* ---- a snapshot: only what the mirror lacks crosses the network ---- */

static void
test_snapshot(Fixture *f, gconstpointer data)
{
	g_autofree gchar *readme_etag = git_sha1(README);
	g_autofree gchar *config_etag = git_sha1(CONFIG);
	g_autofree gchar *weights_etag = lfs_sha(f->weights);
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *path = NULL;
	const gchar *const files[] = {"README.md",
				      README,
				      "config.json",
				      CONFIG,
				      "data/a.json",
				      "[1]\n",
				      "data/b/c.json",
				      "[2]\n"};

	mirror_put(f, REPO, readme_etag, README);
	mirror_put(f, REPO, config_etag, CONFIG);
	mirror_put(f, REPO, weights_etag, f->weights);
	hubd_test_hub_clear_requests(f->hub);
	r = snapshot(f, "main", NULL);
	assert_ok(r);
	path = result_string(r, "path");
	for (guint i = 0; i < G_N_ELEMENTS(files); i += 2) {
		g_autofree gchar *p = g_build_filename(path, files[i], NULL);
		g_autofree gchar *text = read_file(p);
		g_assert_cmpstr(text, ==, files[i + 1]);
	}
	{
		g_autofree gchar *w = g_build_filename(path, "sub/dir/weights.bin", NULL);
		g_autofree gchar *wtext = read_file(w);
		g_assert_cmpstr(wtext, ==, f->weights);
	}
	/* .gitattributes and data/…: from the Hub; the rest: from the mirror */
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", "/resolve/", "hub"), ==, 3);
	g_assert_cmpuint(count_gets_regular(f, "\\.gitattributes"), ==, 1);
	g_assert_cmpuint(count_gets_regular(f, "data/a\\.json"), ==, 1);
	g_assert_cmpuint(count_gets_regular(f, "data/b/c\\.json"), ==, 1);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", NULL, "cdn"), ==, 0);
	assert_cache_blobs_sound(f);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, mode, fn)                  \
	g_test_add("/download/mirror/" name, \
		   Fixture,                  \
		   FIXTURE(mode),            \
		   mirror_setup,             \
		   fn,                       \
		   fixture_teardown)
	ADD("hit", FIXTURE_DIRECT_DEFAULT, test_hit);
	/* O_DIRECT where the filesystem allows: the resume realigns */
	ADD("resume", FIXTURE_DIRECT_ALL, test_resume);
	ADD("private", FIXTURE_DIRECT_DEFAULT, test_private);
	ADD("miss", FIXTURE_DIRECT_DEFAULT, test_miss);
	ADD("corrupt", FIXTURE_DIRECT_DEFAULT, test_corrupt);
	ADD("unusable", FIXTURE_DIRECT_DEFAULT, test_unusable);
	ADD("snapshot", FIXTURE_DIRECT_DEFAULT, test_snapshot);
	return g_test_run();
}
