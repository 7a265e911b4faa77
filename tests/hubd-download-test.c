/* hubd-download-test.c: Transfers.Download / Snapshot against a real daemon
 * and the local Hub — the bytes and the cache layout on disk (checked rule
 * by rule), revisions and refs, .no_exist, local_dir, offline, renamed repos
 * (faults, resume, sharing and cancel: hubd-download-fault-test.c) */
#define G_LOG_DOMAIN "HubdDownloadTest"

#include "hubd-download-fixture.h"

/* ---- regular and LFS files, layout, cached ---- */

static void
test_regular_and_lfs(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = download(f, "", "README.md", NULL);
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autoptr(HubdTestJobResult) r3 = NULL;
	g_autoptr(GPtrArray) cdn = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *want = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *link = NULL;
	g_autofree gchar *ref = NULL;
	g_autofree gchar *sha = lfs_sha(f->weights);
	g_autofree gchar *lfs_link = NULL;
	g_autofree gchar *lfs_path = NULL;
	g_autofree gchar *repos = NULL;
	gboolean cached = TRUE;

	assert_ok(r);
	/* the job names its repo; no revision is "main" */
	repos = hubd_test_job_repos(r);
	g_assert_cmpstr(repos, ==, "model:" REPO "@main");
	path = result_string(r, "path");
	want = snapshot_file(f, f->commit, "README.md");
	g_assert_cmpstr(path, ==, want);
	text = read_file(path);
	g_assert_cmpstr(text, ==, "# dl\nhello\n");
	link = g_file_read_link(path, NULL);
	g_assert_nonnull(link);
	g_assert_true(g_str_has_prefix(link, "../../blobs/"));
	g_assert_cmpuint(strlen(link), ==, strlen("../../blobs/") + 40);
	g_assert_true(g_variant_lookup(r->result, "cached", "b", &cached));
	g_assert_false(cached);
	{
		g_autofree gchar *refp = cache_path(f, "refs/main");
		ref = read_file(refp);
		g_assert_cmpstr(ref, ==, f->commit);
	}

	hubd_test_hub_clear_requests(f->hub);
	r2 = download(f,
		      "main",
		      "sub/dir/weights.bin",
		      "{'library_name': <'myapp'>, 'library_version': <'1.2'>}");
	assert_ok(r2);
	lfs_path = result_string(r2, "path");
	text = (g_free(text), read_file(lfs_path));
	g_assert_cmpstr(text, ==, f->weights);
	lfs_link = g_file_read_link(lfs_path, NULL);
	{
		g_autofree gchar *exp = g_strdup_printf("../../../../blobs/%s", sha);
		g_assert_cmpstr(lfs_link, ==, exp);
	}
	/* the bytes came from the CDN origin, without the token */
	cdn = log_entries(f, "GET", "^/lfs/");
	g_assert_cmpuint(cdn->len, ==, 1);
	g_assert_cmpstr(json_object_get_string_member(g_ptr_array_index(cdn, 0), "origin"),
			==,
			"cdn");
	g_assert_false(json_object_get_boolean_member(g_ptr_array_index(cdn, 0), "authorization"));
	/* the metadata HEAD and the bytes name the app, as huggingface_hub's
	 * library_name/library_version do */
	{
		g_autoptr(GPtrArray) heads = log_entries(f, "HEAD", "/resolve/");
		GPtrArray *both[] = {heads, cdn};
		g_autofree gchar *glib_ua = g_strdup_printf("; glib/%u.%u.%u",
							    glib_major_version,
							    glib_minor_version,
							    glib_micro_version);

		g_assert_cmpuint(heads->len, ==, 1);
		for (guint i = 0; i < G_N_ELEMENTS(both); i++) {
			const gchar *ua = json_object_get_string_member_with_default(
				g_ptr_array_index(both[i], 0),
				"user_agent",
				"");
			g_test_message("user agent %u: %s", i, ua);
			g_assert_true(g_str_has_prefix(ua, "hubd/"));
			g_assert_nonnull(strstr(ua, "; myapp/1.2"));
			g_assert_nonnull(strstr(ua, glib_ua));
		}
	}

	/* a commit-hash revision already cached: no request at all */
	hubd_test_hub_clear_requests(f->hub);
	r3 = download(f, f->commit, "sub/dir/weights.bin", NULL);
	assert_ok(r3);
	g_assert_true(g_variant_lookup(r3->result, "cached", "b", &cached));
	g_assert_true(cached);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, NULL, NULL, NULL), ==, 0);
}

/* every rule of the huggingface_hub layout, file by file */
static void
test_layout(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = snapshot(f, "main", NULL);

	assert_layout(f, r);
}

/* A snapshot asks the Hub for each regular file once: the tree listing of
 * the commit gave its blob id and size, so the metadata HEAD that
 * huggingface_hub sends would only repeat them. The LFS file keeps its HEAD
 * (its CDN link comes from it), and the bytes and layout are as ever. */
static void
test_snapshot_requests(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GPtrArray) gets = NULL;
	g_autoptr(GPtrArray) heads = NULL;
	guint regular = 0;

	hubd_test_hub_clear_requests(f->hub);
	r = snapshot(f, "main", NULL);
	assert_layout(f, r);
	gets = log_entries(f, "GET", "/resolve/");
	heads = log_entries(f, "HEAD", "/resolve/");
	{
		g_autoptr(GVariant) files =
			g_variant_lookup_value(r->result, "files", G_VARIANT_TYPE_STRING_ARRAY);

		/* every file but the one LFS file */
		regular = (guint)g_variant_n_children(files) - 1;
	}
	g_assert_cmpuint(regular, >=, 3);
	g_assert_cmpuint(heads->len, ==, 1);
	g_assert_nonnull(strstr(json_object_get_string_member(g_ptr_array_index(heads, 0), "path"),
				"/sub/dir/weights.bin"));
	/* by commit, one each */
	g_assert_cmpuint(gets->len, ==, regular);
	for (guint i = 0; i < gets->len; i++)
		g_assert_nonnull(
			strstr(json_object_get_string_member(g_ptr_array_index(gets, i), "path"),
			       f->commit));
}

static gboolean
strv_has(GVariant *files, const gchar *s)
{
	g_autofree const gchar **v = g_variant_get_strv(files, NULL);

	return g_strv_contains(v, s);
}

static void
test_snapshot_patterns(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r =
		snapshot(f,
			 "",
			 "{'allow_patterns': <['data/*.json']>, "
			 "'library_name': <'myapp'>, 'library_version': <'1.2'>}");
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autoptr(GVariant) files = NULL;
	g_autoptr(GVariant) files2 = NULL;

	assert_ok(r);
	/* the revision and the listing name the app too */
	{
		g_autoptr(GPtrArray) revs =
			log_entries(f, "GET", "^/api/models/[^/]+/[^/]+/revision/");
		g_autoptr(GPtrArray) trees =
			log_entries(f, "GET", "^/api/models/[^/]+/[^/]+/tree/");
		GPtrArray *both[] = {revs, trees};

		for (guint i = 0; i < G_N_ELEMENTS(both); i++) {
			g_assert_cmpuint(both[i]->len, >=, 1);
			g_assert_nonnull(
				strstr(json_object_get_string_member_with_default(
					       g_ptr_array_index(both[i], both[i]->len - 1),
					       "user_agent",
					       ""),
				       "; myapp/1.2"));
		}
	}
	files = g_variant_lookup_value(r->result, "files", G_VARIANT_TYPE_STRING_ARRAY);
	/* "*" crosses "/", as fnmatch in huggingface_hub */
	g_assert_cmpuint(g_variant_n_children(files), ==, 2);
	g_assert_true(strv_has(files, "data/a.json"));
	g_assert_true(strv_has(files, "data/b/c.json"));
	{
		g_autofree gchar *readme = snapshot_file(f, f->commit, "README.md");
		g_assert_false(g_file_test(readme, G_FILE_TEST_EXISTS));
	}
	r2 = snapshot(f,
		      f->commit,
		      "{'allow_patterns': <['sub/', '*.md', '*.json']>, 'ignore_patterns': "
		      "<['data/b/*']>}");
	assert_ok(r2);
	{
		g_autofree gchar *repos = hubd_test_job_repos(r2);
		g_autofree gchar *want = g_strdup_printf("model:%s@%s", REPO, f->commit);
		g_assert_cmpstr(repos, ==, want);
	}
	files2 = g_variant_lookup_value(r2->result, "files", G_VARIANT_TYPE_STRING_ARRAY);
	g_assert_cmpuint(g_variant_n_children(files2), ==, 4);
	g_assert_true(strv_has(files2, "sub/dir/weights.bin"));
	g_assert_true(strv_has(files2, "README.md"));
	g_assert_true(strv_has(files2, "config.json"));
	g_assert_true(strv_has(files2, "data/a.json"));
}

/* ---- revisions, refs ---- */

static void
test_revisions(Fixture *f, gconstpointer data)
{
	g_autofree gchar *reply = NULL;
	g_autoptr(HubdTestJobResult) r1 = NULL;
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autoptr(HubdTestJobResult) r3 = NULL;
	g_autoptr(HubdTestJobResult) r4 = NULL;
	g_autofree gchar *commit2 = NULL;
	g_autofree gchar *dev_ref = cache_path(f, "refs/dev");
	g_autofree gchar *tag_ref = cache_path(f, "refs/v1");
	g_autofree gchar *main_ref = cache_path(f, "refs/main");
	g_autofree gchar *ref = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *refs_dir = cache_path(f, "refs");
	g_autoptr(GDir) dir = NULL;
	guint n_refs = 0;

	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "POST",
					    "/api/models/" REPO "/branch/dev",
					    ALICE_WRITE,
					    "{}",
					    &reply),
			 ==,
			 200);
	g_clear_pointer(&reply, g_free);
	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "POST",
					    "/api/models/" REPO "/tag/main",
					    ALICE_WRITE,
					    "{\"tag\":\"v1\"}",
					    &reply),
			 ==,
			 200);

	r1 = download(f, "dev", "config.json", NULL);
	assert_ok(r1);
	{
		g_autofree gchar *repos = hubd_test_job_repos(r1);
		g_assert_cmpstr(repos, ==, "model:" REPO "@dev");
	}
	ref = read_file(dev_ref);
	g_assert_cmpstr(ref, ==, f->commit);
	r2 = download(f, "v1", "config.json", NULL);
	assert_ok(r2);
	g_free(ref);
	ref = read_file(tag_ref);
	g_assert_cmpstr(ref, ==, f->commit);
	/* a commit hash writes no ref */
	r3 = download(f, f->commit, "README.md", NULL);
	assert_ok(r3);
	dir = g_dir_open(refs_dir, 0, NULL);
	while (dir != NULL && g_dir_read_name(dir) != NULL)
		n_refs++;
	g_assert_cmpuint(n_refs, ==, 2);

	/* main moves: a new commit, a new snapshot, refs/main follows */
	commit2 = hubd_test_hub_commit_files(f->hub,
					     ALICE_WRITE,
					     "model",
					     REPO,
					     "main",
					     0,
					     "README.md",
					     "# dl v2\n",
					     NULL);
	g_assert_cmpstr(commit2, !=, f->commit);
	r4 = download(f, "main", "README.md", NULL);
	assert_ok(r4);
	path = result_string(r4, "path");
	{
		g_autofree gchar *want = snapshot_file(f, commit2, "README.md");
		g_assert_cmpstr(path, ==, want);
	}
	text = read_file(path);
	g_assert_cmpstr(text, ==, "# dl v2\n");
	g_free(ref);
	ref = read_file(main_ref);
	g_assert_cmpstr(ref, ==, commit2);
	/* the old snapshot stays as it was */
	g_free(text);
	{
		g_autofree gchar *old = snapshot_file(f, f->commit, "README.md");
		text = read_file(old);
		g_assert_cmpstr(text, ==, "# dl\nhello\n");
	}
}

/* An empty file (an empty __init__.py is common) arrives as an empty blob:
 * the one-byte-past-the-size read sees the end at once. */
static void
test_empty_file(Fixture *f, gconstpointer data)
{
	g_autofree gchar *commit = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *path = NULL;
	GStatBuf st;

	commit = hubd_test_hub_commit_files(f->hub,
					    ALICE_WRITE,
					    "model",
					    REPO,
					    "main",
					    0,
					    "pkg/__init__.py",
					    "",
					    NULL);
	r = download(f, "main", "pkg/__init__.py", NULL);
	assert_ok(r);
	path = result_string(r, "path");
	{
		g_autofree gchar *want = snapshot_file(f, commit, "pkg/__init__.py");
		g_assert_cmpstr(path, ==, want);
	}
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_size, ==, 0);
	g_assert_true(S_ISREG(st.st_mode));
}

static void
test_no_exist(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = download(f, "main", "nope/missing.txt", NULL);
	g_autofree gchar *rel = g_build_filename(".no_exist", f->commit, "nope/missing.txt", NULL);
	g_autofree gchar *marker = cache_path(f, rel);

	assert_failed(r, ERR "EntryNotFound");
	g_assert_nonnull(strstr(r->message, "nope/missing.txt"));
	g_assert_true(g_file_test(marker, G_FILE_TEST_IS_REGULAR));
}

/* ---- local_dir, offline ---- */

static void
test_local_dir(Fixture *f, gconstpointer data)
{
	g_autofree gchar *dir = g_build_filename(f->tmp, "local", NULL);
	g_autofree gchar *o = g_strdup_printf("{'local_dir': <'%s'>}", dir);
	g_autoptr(HubdTestJobResult) r = download(f, "main", "sub/dir/weights.bin", o);
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *want = g_build_filename(dir, "sub/dir/weights.bin", NULL);
	g_autofree gchar *meta =
		g_build_filename(dir,
				 ".cache/huggingface/download/sub/dir/weights.bin.metadata",
				 NULL);
	g_autofree gchar *text = NULL;
	g_autofree gchar *sha = lfs_sha(f->weights);
	g_auto(GStrv) lines = NULL;
	gboolean cached = FALSE;

	assert_ok(r);
	path = result_string(r, "path");
	g_assert_cmpstr(path, ==, want);
	g_assert_false(g_file_test(path, G_FILE_TEST_IS_SYMLINK));
	text = read_file(path);
	g_assert_cmpstr(text, ==, f->weights);
	g_free(text);
	text = read_file(meta);
	lines = g_strsplit(text, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 4);
	g_assert_cmpstr(lines[0], ==, f->commit);
	g_assert_cmpstr(lines[1], ==, sha);
	g_assert_cmpfloat(g_ascii_strtod(lines[2], NULL), >, 1e9);
	g_assert_cmpstr(lines[3], ==, "");

	/* local_dir mode leaves the shared cache alone, as huggingface_hub */
	{
		g_autofree gchar *repo = g_build_filename(f->cache, FOLDER, NULL);
		g_autofree gchar *dl_dir =
			g_build_filename(dir, ".cache/huggingface/download/sub/dir", NULL);
		g_autoptr(GDir) d = g_dir_open(dl_dir, 0, NULL);
		const gchar *name;
		g_assert_false(g_file_test(repo, G_FILE_TEST_EXISTS));
		g_assert_nonnull(d);
		while ((name = g_dir_read_name(d)) != NULL)
			g_assert_false(g_str_has_suffix(name, ".incomplete"));
	}
	/* again: the metadata says it is current */
	r2 = download(f, "main", "sub/dir/weights.bin", o);
	assert_ok(r2);
	g_assert_true(g_variant_lookup(r2->result, "cached", "b", &cached));
	g_assert_true(cached);

	/* a file the cache already has is copied from there, not fetched */
	{
		g_autoptr(HubdTestJobResult) c1 = download(f, "main", "config.json", NULL);
		g_autoptr(HubdTestJobResult) c2 = NULL;
		g_autofree gchar *local = g_build_filename(dir, "config.json", NULL);
		g_autofree gchar *copy = NULL;
		assert_ok(c1);
		hubd_test_hub_clear_requests(f->hub);
		c2 = download(f, "main", "config.json", o);
		assert_ok(c2);
		g_assert_true(g_variant_lookup(c2->result, "cached", "b", &cached));
		g_assert_true(cached);
		g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", NULL, NULL), ==, 0);
		copy = read_file(local);
		g_assert_cmpstr(copy, ==, "{\"a\": 1}\n");
		g_assert_false(g_file_test(local, G_FILE_TEST_IS_SYMLINK));
	}
}

static void
test_offline(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = download(f, "main", "README.md", NULL);
	g_autoptr(HubdTestJobResult) hit = NULL;
	g_autoptr(HubdTestJobResult) miss = NULL;
	g_autoptr(HubdTestJobResult) snap_hit = NULL;
	g_autofree gchar *path = NULL;

	assert_ok(r);
	hubd_test_hub_clear_requests(f->hub);
	hit = download(f, "main", "README.md", "{'offline': <true>}");
	assert_ok(hit);
	path = result_string(hit, "path");
	{
		g_autofree gchar *want = snapshot_file(f, f->commit, "README.md");
		g_assert_cmpstr(path, ==, want);
	}
	miss = download(f, "main", "config.json", "{'offline': <true>}");
	assert_failed(miss, ERR "Offline");
	g_assert_nonnull(strstr(miss->message, "config.json"));
	snap_hit = snapshot(f, "main", "{'offline': <true>}");
	assert_ok(snap_hit);

	/* once a snapshot has cached the tree listing (trees/<commit>.json),
	 * offline knows when files are missing */
	{
		g_autoptr(HubdTestJobResult) part =
			snapshot(f, "main", "{'allow_patterns': <['*.md']>}");
		g_autoptr(HubdTestJobResult) incomplete = NULL;
		g_autoptr(HubdTestJobResult) complete = NULL;
		g_autofree gchar *rel = g_strdup_printf("trees/%s.json", f->commit);
		g_autofree gchar *tree = cache_path(f, rel);
		g_autofree gchar *json = NULL;
		g_autoptr(GVariant) files = NULL;

		assert_ok(part);
		json = read_file(tree);
		g_assert_nonnull(strstr(json, "\"format_version\":1"));
		g_assert_nonnull(strstr(json, "\"sub/dir/weights.bin\""));
		g_assert_nonnull(strstr(json, "\"lfs_sha256\""));
		hubd_test_hub_clear_requests(f->hub);
		incomplete = snapshot(f, "main", "{'offline': <true>}");
		assert_failed(incomplete, ERR "Offline");
		g_assert_nonnull(strstr(incomplete->message, "incomplete"));
		complete = snapshot(f, "main", "{'offline': <true>, 'allow_patterns': <['*.md']>}");
		assert_ok(complete);
		files = g_variant_lookup_value(complete->result,
					       "files",
					       G_VARIANT_TYPE_STRING_ARRAY);
		g_assert_cmpuint(g_variant_n_children(files), ==, 1);
	}
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, NULL, NULL, NULL), ==, 0);

	/* HF_HUB_OFFLINE=1 in the daemon's environment */
	hubd_test_daemon_stop(f->daemon);
	{
		g_autofree gchar *cache_env = g_strdup_printf("HF_HUB_CACHE=%s", f->cache);
		const gchar *args[] = {"--endpoint", f->hub->url, NULL};
		const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, cache_env, "HF_HUB_OFFLINE=1", NULL};
		g_autoptr(HubdTestJobResult) h2 = NULL;
		g_autoptr(HubdTestJobResult) m2 = NULL;
		f->daemon = hubd_test_daemon_start(args, env);
		h2 = download(f, "main", "README.md", NULL);
		assert_ok(h2);
		m2 = download(f, "main", "config.json", NULL);
		assert_failed(m2, ERR "Offline");
	}
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, NULL, NULL, NULL), ==, 0);
}

/* a renamed repo answers relative redirects: followed by hubd itself */
static void
test_renamed_repo(Fixture *f, gconstpointer data)
{
	g_autofree gchar *reply = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *text = NULL;

	g_assert_cmpuint(
		hubd_test_hub_http(
			f->hub,
			"POST",
			"/api/repos/move",
			ALICE_WRITE,
			"{\"fromRepo\":\"alice/dl\",\"toRepo\":\"alice/dl2\",\"type\":\"model\"}",
			&reply),
		==,
		200);
	hubd_test_hub_clear_requests(f->hub);
	r = download(f, "main", "README.md", NULL);
	assert_ok(r);
	path = result_string(r, "path");
	text = read_file(path);
	g_assert_cmpstr(text, ==, "# dl\nhello\n");
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "HEAD", "^/alice/dl/resolve/", "hub"),
			 ==,
			 1);
	g_assert_cmpuint(
		hubd_test_hub_count_requests(f->hub, "HEAD", "^/alice/dl2/resolve/", "hub"),
		==,
		1);
	r2 = download(f, "main", "sub/dir/weights.bin", NULL);
	assert_ok(r2);
	g_free(path);
	path = result_string(r2, "path");
	g_free(text);
	text = read_file(path);
	g_assert_cmpstr(text, ==, f->weights);
}

static void
test_local_dir_snapshot(Fixture *f, gconstpointer data)
{
	g_autofree gchar *dir = g_build_filename(f->tmp, "local", NULL);
	g_autofree gchar *o =
		g_strdup_printf("{'local_dir': <'%s'>, 'max_workers': <uint32 2>}", dir);
	g_autoptr(HubdTestJobResult) r = snapshot(f, "main", o);
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(GVariant) files = NULL;

	assert_ok(r);
	path = result_string(r, "path");
	g_assert_cmpstr(path, ==, dir);
	files = g_variant_lookup_value(r->result, "files", G_VARIANT_TYPE_STRING_ARRAY);
	for (gsize i = 0; i < g_variant_n_children(files); i++) {
		const gchar *file = NULL;
		g_autofree gchar *p = NULL;
		g_autofree gchar *mrel = NULL;
		g_autofree gchar *m = NULL;
		g_variant_get_child(files, i, "&s", &file);
		p = g_build_filename(dir, file, NULL);
		g_assert_true(g_file_test(p, G_FILE_TEST_IS_REGULAR));
		g_assert_false(g_file_test(p, G_FILE_TEST_IS_SYMLINK));
		mrel = g_strconcat(".cache/huggingface/download/", file, ".metadata", NULL);
		m = g_build_filename(dir, mrel, NULL);
		g_assert_true(g_file_test(m, G_FILE_TEST_IS_REGULAR));
	}
	/* again, by commit: everything current, no file requested */
	hubd_test_hub_clear_requests(f->hub);
	r2 = snapshot(f, f->commit, o);
	assert_ok(r2);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, NULL, "/resolve/|^/lfs/", NULL),
			 ==,
			 0);
}

static void
assert_refused(Fixture *f, const gchar *method, GVariant *params, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *job = hubd_test_start_job(f->bus, method, params, &error);
	g_autofree gchar *remote = NULL;

	g_assert_null(job);
	g_assert_nonnull(error);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, ERR "InvalidArgument");
	if (strstr(error->message, needle) == NULL)
		g_error("“%s” does not mention “%s”", error->message, needle);
}

/* refused at the call, before any job: unsafe names, bad options */
static void
test_bad_input(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = download(f, "main", "README.md", NULL);
	g_autoptr(GVariant) jobs = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *job = NULL;
	gboolean found = FALSE;

	/* method, its arguments, what the error must mention */
	static const gchar *const refusals[][3] = {
		{"Download", "('model', '" REPO "', 'main', '../x', @a{sv} {})", "../x"},
		{"Download",
		 "('model', '" REPO "', 'main', '/etc/passwd', @a{sv} {})",
		 "/etc/passwd"},
		{"Download", "('model', '" REPO "', 'main', 'a.txt', {'force': <'yes'>})", "force"},
		{"Download",
		 "('model', '" REPO "', 'main', 'a.txt', {'local_dir': <'rel/dir'>})",
		 "rel/dir"},
		{"Snapshot", "('model', '" REPO "', 'main', {'max_workers': <-1>})", "max_workers"},
		/* a misspelt or misplaced option is an error, not silently ignored */
		{"Snapshot",
		 "('model', '" REPO "', 'main', {'allow_pattern': <['*.json']>})",
		 "Unknown option “allow_pattern” (known options: “local_dir”"},
		{"Download",
		 "('model', '" REPO "', 'main', 'a.txt', {'max_workers': <@u 2>})",
		 "Unknown option “max_workers”"},
		{"Snapshot", "('models', '" REPO "', 'main', @a{sv} {})", "model"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(refusals); i++)
		assert_refused(f,
			       refusals[i][0],
			       g_variant_new_parsed(refusals[i][1]),
			       refusals[i][2]);

	/* the finished job lingers and is listed */
	assert_ok(r);
	job = hubd_test_start_job(
		f->bus,
		"Download",
		g_variant_new("(ssss@a{sv})", "model", REPO, "main", "README.md", opts(NULL)),
		NULL);
	jobs = hubd_test_call(f->bus,
			      "org.hubd.Hub1.Transfers",
			      "ListJobs",
			      g_variant_new_parsed("(@a{sv} {},)"),
			      G_VARIANT_TYPE("(ao)"),
			      &error);
	g_assert_no_error(error);
	{
		g_autoptr(GVariant) list = g_variant_get_child_value(jobs, 0);
		g_autofree const gchar **paths = g_variant_get_objv(list, NULL);
		found = g_strv_contains(paths, job);
	}
	g_assert_true(found);
	g_clear_pointer(&r, hubd_test_job_result_free);
	r = hubd_test_job_wait(f->bus, job, JOB_MS);
	assert_ok(r);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) \
	g_test_add("/download/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("regular-and-lfs", test_regular_and_lfs);
	ADD("layout", test_layout);
	ADD("snapshot-patterns", test_snapshot_patterns);
	ADD("snapshot-requests", test_snapshot_requests);
	ADD("revisions", test_revisions);
	ADD("empty-file", test_empty_file);
	ADD("no-exist", test_no_exist);
	ADD("local-dir", test_local_dir);
	ADD("offline", test_offline);
	ADD("renamed-repo", test_renamed_repo);
	ADD("local-dir-snapshot", test_local_dir_snapshot);
	ADD("bad-input", test_bad_input);
	return g_test_run();
}
