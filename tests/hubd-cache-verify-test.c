/* hubd-cache-verify-test.c: org.hubd.Hub1.Cache.Verify and `hubctl cache
 * verify` end to end — the real daemon, the local Hub, alice/dl downloaded
 * into a private cache, then a flipped byte in the LFS blob, a deleted
 * snapshot file, an extra file in a local_dir, a repo the cache lacks and a
 * bad repo id, seen on D-Bus and through hubctl's output and exit code. */
#include "hubd-download-fixture.h"

#define WEIGHTS "sub/dir/weights.bin"

static HubdTestJobResult *
verify(Fixture *f, const gchar *repo_id, const gchar *rev, const gchar *o)
{
	return hubd_test_run_job(f->bus,
				 "org.hubd.Hub1.Cache.Verify",
				 g_variant_new("(sss@a{sv})", "model", repo_id, rev, opts(o)),
				 JOB_MS);
}

static guint32
result_uint(HubdTestJobResult *r, const gchar *key)
{
	guint32 n = G_MAXUINT32;

	g_assert_true(g_variant_lookup(r->result, key, "u", &n));
	return n;
}

/* result[key] (as) joined by "," */
static gchar *
result_paths(HubdTestJobResult *r, const gchar *key)
{
	g_autofree const gchar **paths = NULL;

	g_assert_true(g_variant_lookup(r->result, key, "^a&s", &paths));
	return g_strjoinv(",", (gchar **)paths);
}

static gint
hubctl(gchar **out, gchar **err, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	const gchar *arg;
	va_list ap;

	g_ptr_array_add(argv, (gpointer) "cache");
	g_ptr_array_add(argv, (gpointer) "verify");
	va_start(ap, err);
	while ((arg = va_arg(ap, const gchar *)) != NULL)
		g_ptr_array_add(argv, (gpointer)arg);
	va_end(ap);
	g_ptr_array_add(argv, NULL);
	return hubd_test_run_hubctl((const gchar *const *)argv->pdata, NULL, out, err);
}

static void
test_verify_ok(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) dl = snapshot(f, "main", NULL);
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *revision = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *missing = NULL;
	g_autofree gchar *want_path = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gchar *kind = NULL;

	assert_ok(dl);
	r = verify(f, REPO, "", NULL);
	assert_ok(r);
	g_assert_true(g_variant_lookup(r->properties, "Kind", "s", &kind));
	g_assert_cmpstr(kind, ==, "verify");
	g_free(kind);
	revision = result_string(r, "revision");
	g_assert_cmpstr(revision, ==, f->commit);
	path = result_string(r, "path");
	want_path = g_build_filename(f->cache, FOLDER, "snapshots", f->commit, NULL);
	g_assert_cmpstr(path, ==, want_path);
	/* README.md, config.json, data/a.json, data/b/c.json, the LFS weights
	 * (and .gitattributes if the Hub lists one) */
	g_assert_cmpuint(result_uint(r, "verified"), >=, 5);
	g_assert_cmpuint(result_uint(r, "mismatched_count"), ==, 0);
	g_assert_cmpuint(result_uint(r, "extra_count"), ==, 0);
	missing = result_paths(r, "missing");
	g_assert_cmpstr(missing, ==, "");
	/* the bytes hashed went through the job: the LFS file alone is 5000 */
	g_assert_cmpuint(r->max_bytes_done, >=, 5000);

	g_assert_cmpint(hubctl(&out, &err, REPO, NULL), ==, 0);
	g_assert_cmpstr(out, ==, "");
	g_assert_cmpstr(err, ==, "");
}

static void
test_flipped_byte(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) dl = snapshot(f, "main", NULL);
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *sha = lfs_sha(f->weights);
	g_autofree gchar *rel = g_build_filename("blobs", sha, NULL);
	g_autofree gchar *blob = cache_path(f, rel);
	g_autofree gchar *contents = NULL;
	g_autofree gchar *flipped_sha = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GVariant) list = NULL;
	g_autoptr(GVariant) m = NULL;
	const gchar *s = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;

	assert_ok(dl);
	/* one byte of the blob, in the middle, as a disk might flip it */
	g_assert_true(g_file_get_contents(blob, &contents, &len, &error));
	g_assert_cmpuint(len, ==, 5000);
	contents[2500] ^= 0x01;
	g_assert_true(g_file_set_contents(blob, contents, (gssize)len, &error));
	flipped_sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (guchar *)contents, len);

	r = verify(f, REPO, "main", NULL);
	assert_ok(r);
	g_assert_cmpuint(result_uint(r, "mismatched_count"), ==, 1);
	list = g_variant_lookup_value(r->result, "mismatched", G_VARIANT_TYPE("aa{sv}"));
	g_assert_nonnull(list);
	g_assert_cmpuint(g_variant_n_children(list), ==, 1);
	m = g_variant_get_child_value(list, 0);
	g_assert_true(g_variant_lookup(m, "path", "&s", &s));
	g_assert_cmpstr(s, ==, WEIGHTS);
	g_assert_true(g_variant_lookup(m, "expected", "&s", &s));
	g_assert_cmpstr(s, ==, sha);
	g_assert_true(g_variant_lookup(m, "actual", "&s", &s));
	g_assert_cmpstr(s, ==, flipped_sha);
	g_assert_true(g_variant_lookup(m, "algorithm", "&s", &s));
	g_assert_cmpstr(s, ==, "sha256");

	g_assert_cmpint(hubctl(&out, &err, REPO, NULL), ==, 1);
	g_assert_cmpstr(out, ==, "mismatch " WEIGHTS "\n");
	g_assert_nonnull(strstr(err, "1 mismatched"));

	/* a regular (git SHA-1) file corrupted the same way */
	{
		g_autofree gchar *config = snapshot_file(f, f->commit, "config.json");
		g_autofree gchar *target = g_file_read_link(config, NULL);
		g_autofree gchar *dir = g_path_get_dirname(config);
		g_autofree gchar *config_blob = g_build_filename(dir, target, NULL);
		g_autofree gchar *out2 = NULL;

		g_assert_true(g_file_set_contents(config_blob, "{\"a\": 2}\n", -1, &error));
		g_assert_cmpint(hubctl(&out2, NULL, REPO, NULL), ==, 1);
		g_assert_cmpstr(out2, ==, "mismatch config.json\nmismatch " WEIGHTS "\n");
	}
}

static void
test_missing(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) dl = snapshot(f, "main", NULL);
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *file = snapshot_file(f, f->commit, "data/a.json");
	g_autofree gchar *missing = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	assert_ok(dl);
	g_assert_cmpint(g_unlink(file), ==, 0);
	r = verify(f, REPO, f->commit, NULL);
	assert_ok(r);
	missing = result_paths(r, "missing");
	g_assert_cmpstr(missing, ==, "data/a.json");
	g_assert_cmpuint(result_uint(r, "missing_count"), ==, 1);
	g_assert_cmpuint(result_uint(r, "mismatched_count"), ==, 0);

	/* as hf: reported, an error only when asked */
	g_assert_cmpint(hubctl(&out, &err, REPO, NULL), ==, 0);
	g_assert_cmpstr(out, ==, "missing data/a.json\n");
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, REPO, "--fail-on-missing-files", NULL), ==, 1);
	g_assert_cmpstr(out, ==, "missing data/a.json\n");
}

static void
test_extra_local_dir(Fixture *f, gconstpointer data)
{
	g_autofree gchar *dir = g_build_filename(f->tmp, "local", NULL);
	g_autofree gchar *o = g_strdup_printf("{'local_dir': <'%s'>}", dir);
	g_autofree gchar *extra_file = g_build_filename(dir, "notes", "extra.txt", NULL);
	g_autoptr(HubdTestJobResult) dl = snapshot(f, "main", o);
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *extra = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *json = NULL;
	g_autoptr(JsonNode) node = NULL;

	assert_ok(dl);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	{
		g_autofree gchar *notes = g_path_get_dirname(extra_file);
		g_assert_cmpint(g_mkdir_with_parents(notes, 0755), ==, 0);
	}
	hubd_test_write_file(extra_file, "mine\n");

	r = verify(f, REPO, "", o);
	assert_ok(r);
	/* the local_dir's .cache/huggingface metadata is not an extra file */
	extra = result_paths(r, "extra");
	g_assert_cmpstr(extra, ==, "notes/extra.txt");
	path = result_string(r, "path");
	g_assert_cmpstr(path, ==, dir);
	g_assert_cmpuint(result_uint(r, "mismatched_count"), ==, 0);

	g_assert_cmpint(hubctl(&out, NULL, REPO, "--local-dir", dir, NULL), ==, 0);
	g_assert_cmpstr(out, ==, "extra notes/extra.txt\n");
	g_assert_cmpint(hubctl(&json,
			       NULL,
			       REPO,
			       "--local-dir",
			       dir,
			       "--fail-on-extra-files",
			       "--json",
			       NULL),
			==,
			1);
	node = hubd_test_parse_json(json);
	g_assert_cmpint(json_object_get_int_member(json_node_get_object(node), "extra_count"),
			==,
			1);
}

static void
test_not_cached(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = verify(f, REPO, "", NULL);
	g_autoptr(HubdTestJobResult) other = NULL;
	g_autofree gchar *other_cache = g_build_filename(f->tmp, "other-cache", NULL);
	g_autofree gchar *o = g_strdup_printf("{'cache_dir': <'%s'>}", other_cache);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	assert_failed(r, ERR "RepoNotFound");
	g_assert_nonnull(strstr(r->message, "is not in the cache"));
	g_assert_cmpint(hubctl(&out, &err, REPO, NULL), ==, 1);
	g_assert_cmpstr(out, ==, "");
	g_assert_nonnull(strstr(err, "alice/dl (model) is not in the cache"));

	/* downloaded into hubd's cache, but another cache_dir is asked about */
	{
		g_autoptr(HubdTestJobResult) dl = snapshot(f, "main", NULL);
		assert_ok(dl);
	}
	other = verify(f, REPO, "", o);
	assert_failed(other, ERR "RepoNotFound");
	g_assert_nonnull(strstr(other->message, other_cache));
}

static void
test_bad_input(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *job = hubd_test_start_job(
		f->bus,
		"org.hubd.Hub1.Cache.Verify",
		g_variant_new("(sss@a{sv})", "model", "not a repo//id", "", opts(NULL)),
		&error);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	g_assert_null(job);
	g_assert_nonnull(error);
	hubd_test_assert_remote_error(error, ERR "InvalidArgument");
	g_clear_error(&error);
	g_free(hubd_test_start_job(f->bus,
				   "org.hubd.Hub1.Cache.Verify",
				   g_variant_new("(sss@a{sv})",
						 "model",
						 REPO,
						 "",
						 opts("{'local_dir': <'relative/dir'>}")),
				   &error));
	hubd_test_assert_remote_error(error, ERR "InvalidArgument");

	g_assert_cmpint(hubctl(&out, &err, "not a repo//id", NULL), ==, 64);
	g_assert_nonnull(strstr(err, "Invalid repo id"));
	g_assert_cmpstr(out, ==, "");
	g_assert_cmpint(hubctl(NULL, NULL, NULL), ==, 64);
	g_assert_cmpint(hubctl(NULL, NULL, REPO, "--local-dir", "/a", "--cache-dir", "/b", NULL),
			==,
			64);
	g_assert_cmpint(hubctl(NULL, NULL, REPO, "--repo-type", "bucket", NULL), ==, 64);
}

gint
main(gint argc, gchar **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn)                               \
	g_test_add("/cache-verify/" name,           \
		   Fixture,                         \
		   FIXTURE(FIXTURE_DIRECT_DEFAULT), \
		   fixture_setup,                   \
		   fn,                              \
		   fixture_teardown)
	ADD("ok", test_verify_ok);
	ADD("flipped-byte", test_flipped_byte);
	ADD("missing", test_missing);
	ADD("extra-local-dir", test_extra_local_dir);
	ADD("not-cached", test_not_cached);
	ADD("bad-input", test_bad_input);
	return g_test_run();
}
