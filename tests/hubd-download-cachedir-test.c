/* hubd-download-cachedir-test.c: the cache_dir and dry_run options of
 * Transfers.Download / Snapshot against a real daemon and the local Hub —
 * the layout in a folder the caller names, transfers shared per folder
 * (counted in the Hub's log), a folder hubd cannot write, and dry runs that
 * write nothing */
#define G_LOG_DOMAIN "HubdDownloadTest"

#include <sys/stat.h>
#include <unistd.h>

#include "hubd-download-fixture.h"

static gchar *
cache_dir_opts(const gchar *dir, const gchar *more)
{
	g_autoptr(GVariant) s = g_variant_ref_sink(g_variant_new_string(dir));
	g_autofree gchar *text = g_variant_print(s, FALSE);

	return g_strdup_printf("{'cache_dir': <%s>%s%s}", text, more ? ", " : "", more ?: "");
}

/* Every file and folder under `root` (names, kinds, modes, sizes, contents,
 * link targets, mtimes): equal strings mean nothing was written. "" when
 * root does not exist. */
/* g_ptr_array_sort() hands out pointers to the elements */
static gint
strcmp_indirect(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static void
tree_walk(const gchar *root, const gchar *rel, GString *out)
{
	g_autofree gchar *dir_path = g_build_filename(root, rel, NULL);
	g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL)
		g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, strcmp_indirect);
	for (guint i = 0; i < names->len; i++) {
		g_autofree gchar *r = g_build_filename(rel, names->pdata[i], NULL);
		g_autofree gchar *p = g_build_filename(root, r, NULL);
		struct stat st;

		g_assert_cmpint(lstat(p, &st), ==, 0);
		g_string_append_printf(out,
				       "%s %o %" G_GINT64_FORMAT " %" G_GINT64_FORMAT ".%ld",
				       r,
				       st.st_mode,
				       (gint64)st.st_size,
				       (gint64)st.st_mtim.tv_sec,
				       st.st_mtim.tv_nsec);
		if (S_ISLNK(st.st_mode)) {
			g_autofree gchar *t = g_file_read_link(p, NULL);
			g_string_append_printf(out, " -> %s", t);
		} else if (S_ISREG(st.st_mode)) {
			g_autofree gchar *c = NULL;
			g_autofree gchar *sha = NULL;
			gsize len = 0;

			g_assert_true(g_file_get_contents(p, &c, &len, NULL));
			sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (guchar *)c, len);
			g_string_append_printf(out, " %s", sha);
		}
		g_string_append_c(out, '\n');
		if (S_ISDIR(st.st_mode))
			tree_walk(root, r, out);
	}
}

static gchar *
tree_state(const gchar *root)
{
	GString *out = g_string_new(NULL);

	if (g_file_test(root, G_FILE_TEST_EXISTS))
		tree_walk(root, "", out);
	return g_string_free(out, FALSE);
}

/* requests that fetch bytes: GETs of resolve URLs and of the CDN */
static guint
count_blob_gets(Fixture *f)
{
	return hubd_test_hub_count_requests(f->hub, "GET", "^/lfs/", NULL) +
	       hubd_test_hub_count_requests(f->hub, "GET", "/resolve/", NULL);
}

/* ---- the layout in a folder the caller names ---- */

static void
test_layout_custom(Fixture *f, gconstpointer data)
{
	/* missing parents too: created, as huggingface_hub's makedirs */
	g_autofree gchar *custom = g_build_filename(f->tmp, "apps", "mine", "hub", NULL);
	g_autofree gchar *o = cache_dir_opts(custom, NULL);
	g_autoptr(HubdTestJobResult) r = snapshot(f, "main", o);
	g_autofree gchar *default_repo = cache_path(f, NULL);
	g_autofree gchar *default_cache = g_strdup(f->cache);
	struct stat st;
	mode_t mask = umask(022);

	umask(mask);
	assert_ok(r);
	/* the checks of /download/layout, on the custom folder */
	g_free(f->cache);
	f->cache = g_strdup(custom);
	assert_layout(f, r);
	g_free(f->cache);
	f->cache = g_steal_pointer(&default_cache);
	/* hubd's own cache is left alone */
	g_assert_false(g_file_test(default_repo, G_FILE_TEST_EXISTS));
	/* created with the caller's permissions, never world-writable */
	g_assert_cmpint(stat(custom, &st), ==, 0);
	g_assert_cmpint(st.st_uid, ==, getuid());
	g_assert_cmpint(st.st_mode & 07777, ==, 0755 & ~mask);

	/* one file into it: the path is in the custom folder */
	{
		g_autoptr(HubdTestJobResult) d = download(f, "main", "README.md", o);
		g_autofree gchar *path = NULL;

		assert_ok(d);
		path = result_string(d, "path");
		g_assert_true(g_str_has_prefix(path, custom));
	}
}

/* ---- sharing: one transfer per folder ---- */

static void
test_sharing(Fixture *f, gconstpointer data)
{
	g_autofree gchar *big = commit_big(f, 512 * 1024);
	g_autofree gchar *re = lfs_url_regex(big);
	g_autofree gchar *dir_a = g_build_filename(f->tmp, "a", NULL);
	g_autofree gchar *dir_b = g_build_filename(f->tmp, "b", NULL);
	/* the same folder named another way is the same folder */
	g_autofree gchar *dir_a2 = g_build_filename(f->tmp, "b", "..", "a", NULL);
	g_autofree gchar *oa = cache_dir_opts(dir_a, NULL);
	g_autofree gchar *oa2 = cache_dir_opts(dir_a2, NULL);
	g_autofree gchar *ob = cache_dir_opts(dir_b, NULL);
	g_autoptr(GDBusConnection) second = hubd_test_session_bus();
	g_autoptr(GDBusConnection) third = hubd_test_session_bus();
	g_autofree gchar *j1 = NULL;
	g_autofree gchar *j2 = NULL;
	g_autofree gchar *j3 = NULL;
	g_autoptr(HubdTestJobResult) r1 = NULL;
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autoptr(HubdTestJobResult) r3 = NULL;
	g_autofree gchar *p1 = NULL;
	g_autofree gchar *p2 = NULL;
	g_autofree gchar *p3 = NULL;
	g_autofree gchar *t1 = NULL;
	g_autofree gchar *t3 = NULL;

	g_assert_cmpint(g_mkdir(dir_b, 0755), ==, 0);
	hubd_test_hub_add_fault(
		f->hub,
		"{\"action\":\"slow\",\"path_regex\":\"^/lfs/\",\"chunk_size\":65536,"
		"\"delay_ms\":30,\"times\":0}");
	hubd_test_hub_clear_requests(f->hub);
	j1 = start_download(f, f->bus, "main", "big.bin", oa);
	j2 = start_download(f, second, "main", "big.bin", oa2);
	j3 = start_download(f, third, "main", "big.bin", ob);
	r1 = hubd_test_job_wait(f->bus, j1, JOB_MS);
	r2 = hubd_test_job_wait(second, j2, JOB_MS);
	r3 = hubd_test_job_wait(third, j3, JOB_MS);
	assert_ok(r1);
	assert_ok(r2);
	assert_ok(r3);
	p1 = result_string(r1, "path");
	p2 = result_string(r2, "path");
	p3 = result_string(r3, "path");
	g_assert_cmpstr(p1, ==, p2);
	g_assert_true(g_str_has_prefix(p1, dir_a));
	g_assert_true(g_str_has_prefix(p3, dir_b));
	t1 = read_file(p1);
	t3 = read_file(p3);
	g_assert_true(strcmp(t1, big) == 0);
	g_assert_true(strcmp(t3, big) == 0);
	/* one transfer for folder a (two apps), one for folder b */
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", re, "cdn"), ==, 2);
}

/* ---- bad folders ---- */

static void
test_bad_folder(Fixture *f, gconstpointer data)
{
	g_autofree gchar *parent = g_build_filename(f->tmp, "locked", NULL);
	g_autofree gchar *missing = g_build_filename(parent, "cache", NULL);
	g_autofree gchar *file = g_build_filename(f->tmp, "file", NULL);
	g_autofree gchar *under_file = g_build_filename(file, "cache", NULL);
	g_autofree gchar *local = g_build_filename(f->tmp, "local", NULL);
	g_autofree gchar *both = NULL;
	g_autofree gchar *before = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *job = NULL;

	/* refused at the call: relative, and together with local_dir */
	job = hubd_test_start_job(f->bus,
				  "Download",
				  g_variant_new("(ssss@a{sv})",
						"model",
						REPO,
						"main",
						"README.md",
						opts("{'cache_dir': <'rel/cache'>}")),
				  &error);
	g_assert_null(job);
	g_assert_nonnull(strstr(error->message, "cache_dir must be an absolute path"));
	hubd_test_assert_remote_error(error, ERR "InvalidArgument");
	g_clear_error(&error);
	both = g_strdup_printf("{'cache_dir': <'%s'>, 'local_dir': <'%s'>}", missing, local);
	job = hubd_test_start_job(f->bus,
				  "Snapshot",
				  g_variant_new("(sss@a{sv})", "model", REPO, "main", opts(both)),
				  &error);
	g_assert_null(job);
	hubd_test_assert_remote_error(error, ERR "InvalidArgument");
	g_assert_false(g_file_test(local, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(missing, G_FILE_TEST_EXISTS));

	/* a folder that cannot be created (under a file; under a folder
	 * without write permission) and one that cannot be written */
	g_assert_true(g_file_set_contents(file, "not a folder", -1, NULL));
	if (getuid() != 0)
		g_assert_cmpint(g_mkdir(parent, 0500), ==, 0);
	before = tree_state(f->tmp);
	hubd_test_hub_clear_requests(f->hub);
	for (guint i = 0; i < 3; i++) {
		const gchar *dir = i == 0 ? under_file : i == 1 ? missing : parent;
		g_autofree gchar *o = cache_dir_opts(dir, NULL);
		g_autoptr(HubdTestJobResult) d = NULL;
		g_autoptr(HubdTestJobResult) s = NULL;

		if (i > 0 && getuid() == 0) {
			g_test_message("root writes through folder permissions: skipping %s", dir);
			continue;
		}
		d = download(f, "main", "README.md", o);
		s = snapshot(f, "main", o);
		for (guint k = 0; k < 2; k++) {
			HubdTestJobResult *r = k == 0 ? d : s;

			g_test_message("%s", r->message);
			assert_failed(r, ERR "InvalidArgument");
			g_assert_nonnull(strstr(r->message, dir));
			g_assert_nonnull(strstr(r->message, "cache folder"));
		}
	}
	/* nothing written, nothing asked of the Hub */
	{
		g_autofree gchar *after = tree_state(f->tmp);
		g_assert_cmpstr(before, ==, after);
	}
	/* what a download asks (HEAD, GET), not the Auth service's whoami at
	 * start-up, which may land in the log after the clear */
	g_assert_cmpuint(
		hubd_test_hub_count_requests(f->hub, "HEAD", NULL, NULL) +
			hubd_test_hub_count_requests(f->hub, "GET", "^(?!/api/whoami-v2$)", NULL),
		==,
		0);
	if (getuid() != 0)
		g_assert_cmpint(g_chmod(parent, 0755), ==, 0);
}

/* ---- dry runs ---- */

static guint64
result_u64(GVariant *v, const gchar *key)
{
	guint64 n = 0;

	g_assert_true(g_variant_lookup(v, key, "t", &n));
	return n;
}

static guint32
result_u32(GVariant *v, const gchar *key)
{
	guint32 n = 0;

	g_assert_true(g_variant_lookup(v, key, "u", &n));
	return n;
}

/* the entry for `file` in a dry-run result */
static GVariant *
dry_entry(HubdTestJobResult *r, const gchar *file)
{
	g_autoptr(GVariant) entries =
		g_variant_lookup_value(r->result, "entries", G_VARIANT_TYPE("aa{sv}"));
	gboolean dry = FALSE;

	g_assert_true(g_variant_lookup(r->result, "dry_run", "b", &dry));
	g_assert_true(dry);
	g_assert_nonnull(entries);
	for (gsize i = 0; i < g_variant_n_children(entries); i++) {
		g_autoptr(GVariant) e = g_variant_get_child_value(entries, i);
		const gchar *name = NULL;
		g_assert_true(g_variant_lookup(e, "filename", "&s", &name));
		if (g_strcmp0(name, file) == 0)
			return g_steal_pointer(&e);
	}
	g_error("%s is not in the dry run", file);
	return NULL;
}

static void
assert_entry(HubdTestJobResult *r, const gchar *file, guint64 size, gboolean cached, gboolean will)
{
	g_autoptr(GVariant) e = dry_entry(r, file);
	gboolean c = !cached;
	gboolean w = !will;

	g_assert_cmpuint(result_u64(e, "size"), ==, size);
	g_assert_true(g_variant_lookup(e, "cached", "b", &c));
	g_assert_true(g_variant_lookup(e, "will_download", "b", &w));
	g_assert_cmpint(c, ==, cached);
	g_assert_cmpint(w, ==, will);
}

static void
test_dry_run(Fixture *f, gconstpointer data)
{
	g_autofree gchar *custom = g_build_filename(f->tmp, "dry", NULL);
	g_autofree gchar *o = cache_dir_opts(custom, "'dry_run': <true>");
	g_autofree gchar *o_force = cache_dir_opts(custom, "'dry_run': <true>, 'force': <true>");
	g_autofree gchar *o_real = cache_dir_opts(custom, NULL);
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;
	g_autoptr(HubdTestJobResult) s1 = NULL;
	g_autoptr(HubdTestJobResult) s2 = NULL;
	g_autoptr(HubdTestJobResult) d1 = NULL;
	g_autoptr(HubdTestJobResult) d2 = NULL;
	g_autoptr(HubdTestJobResult) d3 = NULL;
	g_autoptr(HubdTestJobResult) real = NULL;
	g_autofree gchar *commit = NULL;

	/* nothing there yet: the folder is not even created */
	hubd_test_hub_clear_requests(f->hub);
	before = tree_state(f->tmp);
	s1 = snapshot(f, "main", o);
	assert_ok(s1);
	after = tree_state(f->tmp);
	g_assert_cmpstr(before, ==, after);
	g_assert_false(g_file_test(custom, G_FILE_TEST_EXISTS));
	g_assert_cmpuint(count_blob_gets(f), ==, 0);
	commit = result_string(s1, "commit");
	g_assert_cmpstr(commit, ==, f->commit);
	g_assert_cmpuint(result_u32(s1->result, "file_count"), ==, 6);
	g_assert_cmpuint(result_u32(s1->result, "download_count"), ==, 6);
	g_assert_cmpuint(result_u64(s1->result, "total_size"),
			 ==,
			 result_u64(s1->result, "download_size"));
	assert_entry(s1, "README.md", strlen("# dl\nhello\n"), FALSE, TRUE);
	assert_entry(s1, "sub/dir/weights.bin", 5000, FALSE, TRUE);

	/* one file downloaded for real: now it is cached, the others not */
	real = download(f, "main", "README.md", o_real);
	assert_ok(real);
	g_free(before);
	before = tree_state(f->tmp);
	hubd_test_hub_clear_requests(f->hub);
	s2 = snapshot(f, "main", o);
	d1 = download(f, "main", "README.md", o);
	d2 = download(f, "main", "sub/dir/weights.bin", o);
	d3 = download(f, "main", "README.md", o_force);
	assert_ok(s2);
	assert_ok(d1);
	assert_ok(d2);
	assert_ok(d3);
	g_free(after);
	after = tree_state(f->tmp);
	g_assert_cmpstr(before, ==, after);
	g_assert_cmpuint(count_blob_gets(f), ==, 0);

	assert_entry(s2, "README.md", strlen("# dl\nhello\n"), TRUE, FALSE);
	assert_entry(s2, "config.json", strlen("{\"a\": 1}\n"), FALSE, TRUE);
	assert_entry(s2, "sub/dir/weights.bin", 5000, FALSE, TRUE);
	g_assert_cmpuint(result_u32(s2->result, "download_count"), ==, 5);
	g_assert_cmpuint(result_u64(s2->result, "download_size"),
			 ==,
			 result_u64(s2->result, "total_size") - strlen("# dl\nhello\n"));
	assert_entry(d1, "README.md", strlen("# dl\nhello\n"), TRUE, FALSE);
	assert_entry(d2, "sub/dir/weights.bin", 5000, FALSE, TRUE);
	assert_entry(d3, "README.md", strlen("# dl\nhello\n"), TRUE, TRUE);
	{
		g_autofree gchar *path = result_string(d2, "path");
		g_autofree gchar *want = g_build_filename(custom,
							  FOLDER,
							  "snapshots",
							  f->commit,
							  "sub/dir/weights.bin",
							  NULL);
		g_assert_cmpstr(path, ==, want);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn)                               \
	g_test_add("/download/cache-dir/" name,     \
		   Fixture,                         \
		   FIXTURE(FIXTURE_DIRECT_DEFAULT), \
		   fixture_setup,                   \
		   fn,                              \
		   fixture_teardown)
	ADD("layout", test_layout_custom);
	ADD("sharing", test_sharing);
	ADD("bad-folder", test_bad_folder);
	ADD("dry-run", test_dry_run);
	return g_test_run();
}
