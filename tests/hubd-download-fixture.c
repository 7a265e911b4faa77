/* hubd-download-fixture.c: what the download tests share (see the header) */
#define G_LOG_DOMAIN "HubdDownloadTest"

#include "hubd-download-fixture.h"

void
daemon_start(Fixture *f)
{
	g_autofree gchar *cache_env = g_strdup_printf("HF_HUB_CACHE=%s", f->cache);
	/* O_DIRECT is off by default: the fixture says which */
	const gchar *min_size = f->direct == FIXTURE_DIRECT_ALL
					? "downloads.direct-io-min-size=1"
					: "downloads.direct-io-min-size=67108864";
	const gchar *direct = f->direct == FIXTURE_DIRECT_OFF ? "downloads.direct-io=false"
							      : "downloads.direct-io=true";
	const gchar *base[] = {"--endpoint",
			       f->hub->url,
			       "--set",
			       "http.retry-base-ms=50",
			       "--set",
			       direct,
			       "--set",
			       min_size};
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, cache_env, NULL};

	for (guint i = 0; i < G_N_ELEMENTS(base); i++)
		g_ptr_array_add(args, (gpointer)base[i]);
	for (guint i = 0; f->daemon_args != NULL && f->daemon_args[i] != NULL; i++)
		g_ptr_array_add(args, f->daemon_args[i]);
	g_ptr_array_add(args, NULL);
	f->daemon = hubd_test_daemon_start((const gchar *const *)args->pdata, env);
}

void
fixture_setup_hub(Fixture *f, gconstpointer data)
{
	g_autofree gchar *reply = NULL;
	guint status;

	f->direct = (FixtureDirect)GPOINTER_TO_INT(data);
	f->tmp = g_dir_make_tmp("hubd-dl-XXXXXX", NULL);
	f->cache = g_build_filename(f->tmp, "cache", NULL);
	f->hub = hubd_test_hub_start(NULL);
	status = hubd_test_hub_http(f->hub,
				    "POST",
				    "/api/repos/create",
				    ALICE_WRITE,
				    "{\"name\":\"dl\",\"type\":\"model\"}",
				    &reply);
	g_assert_cmpuint(status, ==, 200);
	f->weights = g_strnfill(5000, 'w');
	f->commit = hubd_test_hub_commit_files(f->hub,
					       ALICE_WRITE,
					       "model",
					       REPO,
					       "main",
					       LFS_MIN,
					       "README.md",
					       "# dl\nhello\n",
					       "config.json",
					       "{\"a\": 1}\n",
					       "data/a.json",
					       "[1]\n",
					       "data/b/c.json",
					       "[2]\n",
					       "sub/dir/weights.bin",
					       f->weights,
					       NULL);
}

void
fixture_setup(Fixture *f, gconstpointer data)
{
	fixture_setup_hub(f, data);
	daemon_start(f);
	f->bus = hubd_test_session_bus();
}

void
fixture_teardown(Fixture *f, gconstpointer data)
{
	if (f->daemon != NULL) {
		g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);
		if (strstr(log, "-CRITICAL **") != NULL || strstr(log, "-WARNING **") != NULL)
			g_error("hubd logged a warning:\n%s", log);
		hubd_test_daemon_stop(f->daemon);
	}
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->tmp);
	g_free(f->tmp);
	g_free(f->cache);
	g_free(f->commit);
	g_free(f->weights);
	g_strfreev(f->daemon_args);
}

/* ---- helpers ---- */

GVariant *
opts(const gchar *text)
{
	return g_variant_new_parsed(text != NULL ? text : "@a{sv} {}");
}

gchar *
start_download(Fixture *f, GDBusConnection *c, const gchar *rev, const gchar *file, const gchar *o)
{
	return hubd_test_start_job(c != NULL ? c : f->bus,
				   "Download",
				   g_variant_new("(ssss@a{sv})", "model", REPO, rev, file, opts(o)),
				   NULL);
}

HubdTestJobResult *
download(Fixture *f, const gchar *rev, const gchar *file, const gchar *o)
{
	return hubd_test_run_job(f->bus,
				 "Download",
				 g_variant_new("(ssss@a{sv})", "model", REPO, rev, file, opts(o)),
				 JOB_MS);
}

HubdTestJobResult *
snapshot(Fixture *f, const gchar *rev, const gchar *o)
{
	return hubd_test_run_job(f->bus,
				 "Snapshot",
				 g_variant_new("(sss@a{sv})", "model", REPO, rev, opts(o)),
				 JOB_MS);
}

void
assert_ok(HubdTestJobResult *r)
{
	if (!r->ok)
		g_error("job failed: %s: %s", r->error_name, r->message);
	g_assert_cmpstr(r->state, ==, "completed");
}

void
assert_failed(HubdTestJobResult *r, const gchar *name)
{
	g_assert_false(r->ok);
	if (g_strcmp0(r->error_name, name) != 0)
		g_error("expected %s, got %s: %s", name, r->error_name, r->message);
}

gchar *
result_string(HubdTestJobResult *r, const gchar *key)
{
	const gchar *s = NULL;

	g_assert_true(g_variant_lookup(r->result, key, "&s", &s));
	return g_strdup(s);
}

gchar *
cache_path(Fixture *f, const gchar *rel)
{
	return g_build_filename(f->cache, FOLDER, rel, NULL);
}

gchar *
read_file(const gchar *path)
{
	gchar *text = NULL;
	g_autoptr(GError) error = NULL;

	g_file_get_contents(path, &text, NULL, &error);
	g_assert_no_error(error);
	return text;
}

gchar *
snapshot_file(Fixture *f, const gchar *commit, const gchar *file)
{
	g_autofree gchar *rel = g_build_filename("snapshots", commit, file, NULL);

	return cache_path(f, rel);
}

gchar *
lfs_sha(const gchar *contents)
{
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, contents, -1);
}

/* Requests in the log, as JSON objects matching method/path regex/origin. */
GPtrArray *
log_entries(Fixture *f, const gchar *method, const gchar *path_regex)
{
	g_autoptr(JsonNode) node = hubd_test_hub_admin(f->hub, "GET", "/_testhub/requests", NULL);
	g_autoptr(GRegex) re =
		g_regex_new(path_regex, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, NULL);
	JsonArray *a = json_node_get_array(node);
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);

	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *o = json_array_get_object_element(a, i);
		if (method != NULL &&
		    g_strcmp0(json_object_get_string_member_with_default(o, "method", ""),
			      method) != 0)
			continue;
		if (!g_regex_match(re,
				   json_object_get_string_member_with_default(o, "path", ""),
				   G_REGEX_MATCH_DEFAULT,
				   NULL))
			continue;
		g_ptr_array_add(out, json_object_ref(o));
	}
	return out;
}

/* a slow LFS file of `size` bytes committed as big.bin; returns contents */
gchar *
commit_big(Fixture *f, gsize size)
{
	gchar *big = g_malloc(size + 1);

	for (gsize i = 0; i < size; i++)
		big[i] = (gchar)('a' + (i * 7 + i / 4096) % 26);
	big[size] = '\0';
	g_free(hubd_test_hub_commit_files(f->hub,
					  ALICE_WRITE,
					  "model",
					  REPO,
					  "main",
					  LFS_MIN,
					  "big.bin",
					  big,
					  NULL));
	return big;
}

gchar *
lfs_url_regex(const gchar *contents)
{
	g_autofree gchar *sha = lfs_sha(contents);

	return g_strdup_printf("^/lfs/%s$", sha);
}

/* every rule of the huggingface_hub layout, file by file, in f->cache after
 * the snapshot `r` of main */
void
assert_layout(Fixture *f, HubdTestJobResult *r)
{
	g_autofree gchar *blobs = cache_path(f, "blobs");
	g_autofree gchar *refp = cache_path(f, "refs/main");
	g_autofree gchar *ref = NULL;
	g_autofree gchar *snap = cache_path(f, "snapshots");
	g_autofree gchar *path = NULL;
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GVariant) files = NULL;
	const gchar *name;
	guint n_blobs = 0;
	g_autofree gchar *tag = g_build_filename(f->cache, "CACHEDIR.TAG", NULL);

	assert_ok(r);
	path = result_string(r, "path");
	{
		g_autofree gchar *want = g_build_filename(snap, f->commit, NULL);
		g_assert_cmpstr(path, ==, want);
	}
	files = g_variant_lookup_value(r->result, "files", G_VARIANT_TYPE_STRING_ARRAY);
	g_assert_cmpuint(g_variant_n_children(files), ==, 6); /* + .gitattributes */
	g_assert_true(g_file_test(tag, G_FILE_TEST_IS_REGULAR));
	ref = read_file(refp);
	g_assert_cmpuint(strlen(ref), ==, 40); /* no newline */
	g_assert_cmpstr(ref, ==, f->commit);

	/* blobs are named by etag and hold exactly those bytes */
	dir = g_dir_open(blobs, 0, NULL);
	g_assert_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *p = g_build_filename(blobs, name, NULL);
		g_autofree gchar *contents = NULL;
		gsize len = 0;
		g_assert_true(strlen(name) == 40 || strlen(name) == 64);
		g_assert_false(g_file_test(p, G_FILE_TEST_IS_SYMLINK));
		g_assert_true(g_file_get_contents(p, &contents, &len, NULL));
		if (strlen(name) == 64) {
			g_autofree gchar *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
									    (guchar *)contents,
									    len);
			g_assert_cmpstr(sha, ==, name);
		} else {
			g_autoptr(GChecksum) c = g_checksum_new(G_CHECKSUM_SHA1);
			g_autofree gchar *hdr = g_strdup_printf("blob %" G_GSIZE_FORMAT, len);
			g_checksum_update(c, (guchar *)hdr, (gssize)strlen(hdr) + 1);
			g_checksum_update(c, (guchar *)contents, (gssize)len);
			g_assert_cmpstr(g_checksum_get_string(c), ==, name);
		}
		n_blobs++;
	}
	g_assert_cmpuint(n_blobs, ==, 6);

	/* snapshot entries: relative symlinks that resolve to a blob */
	for (gsize i = 0; i < g_variant_n_children(files); i++) {
		const gchar *file = NULL;
		g_autofree gchar *p = NULL;
		g_autofree gchar *target = NULL;
		g_autofree gchar *dirn = NULL;
		g_autofree gchar *resolved = NULL;
		g_autofree gchar *canon_blobs = NULL;
		g_autofree gchar *parent = NULL;
		guint depth = 2;

		g_variant_get_child(files, i, "&s", &file);
		p = g_build_filename(path, file, NULL);
		g_assert_true(g_file_test(p, G_FILE_TEST_IS_SYMLINK));
		target = g_file_read_link(p, NULL);
		g_assert_false(g_path_is_absolute(target));
		for (const gchar *c = file; *c != '\0'; c++)
			depth += *c == '/';
		for (guint d = 0; d < depth; d++)
			g_assert_true(g_str_has_prefix(target + 3 * d, "../"));
		g_assert_true(g_str_has_prefix(target + 3 * depth, "blobs/"));
		dirn = g_path_get_dirname(p);
		resolved = g_canonicalize_filename(target, dirn);
		canon_blobs = g_canonicalize_filename(blobs, NULL);
		parent = g_path_get_dirname(resolved);
		g_assert_cmpstr(parent, ==, canon_blobs);
		g_assert_true(g_file_test(resolved, G_FILE_TEST_IS_REGULAR));
	}
}
