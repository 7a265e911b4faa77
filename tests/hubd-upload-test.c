/* hubd-upload-test.c: uploads through org.hubd.Hub1.Transfers (Upload,
 * UploadFolder, Commit) against a real daemon and the local Hub with
 * multipart LFS from 64 KiB — checked by reading the files back through the
 * Hub's resolve URLs and tree, and by what the Hub's request log saw */
#define G_LOG_DOMAIN "HubdUploadTest"

#include <glib/gstdio.h>

#include "hubd-upload-test-common.h"

static void
test_regular(Fixture *f, gconstpointer data)
{
	const gchar *local = fixture_write(f, "config.json", "{\"hidden_size\": 64}\n");
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *back = NULL;
	g_autofree gchar *repos = NULL;
	const gchar *oid = NULL;

	r = upload_files(f, "alice/up", local, "config.json", "{}");
	assert_job_ok(r);
	repos = hubd_test_job_repos(r);
	g_assert_cmpstr(repos, ==, "model:alice/up@main");
	g_assert_true(g_variant_lookup(r->result, "commit_oid", "&s", &oid));
	g_assert_cmpuint(strlen(oid), ==, 40);
	back = fetch(f, "alice/up", "main", "config.json", NULL);
	g_assert_cmpstr(back, ==, "{\"hidden_size\": 64}\n");
	g_assert_cmpuint(log_count(f, "POST", "/info/lfs/objects/batch$", "hub", -1), ==, 0);
	g_assert_cmpuint(log_count(f, "POST", "^/api/models/alice/up/commit/main$", "hub", 1),
			 ==,
			 1);
	g_assert_cmpstr(head_of(f, "alice/up"), ==, oid);
}

static void
test_lfs_basic(Fixture *f, gconstpointer data)
{
	const gchar *local = fixture_random_file(f, "weights.bin", 40 * 1024, 1);
	g_autoptr(HubdTestJobResult) r = NULL;

	r = upload_files(f, "alice/up", local, "weights.bin", "{}");
	assert_job_ok(r);
	assert_same_bytes(f, "alice/up", "main", "weights.bin", local);
	/* one PUT to the CDN, without the token; verify with it */
	g_assert_cmpuint(log_count(f, "PUT", "^/upload/", "cdn", -1), ==, 1);
	g_assert_cmpuint(log_count(f, "PUT", "^/upload/", "cdn", 1), ==, 0);
	g_assert_cmpuint(log_count(f, "POST", "^/_lfs/verify/", "hub", 1), ==, 1);
	g_assert_cmpuint(log_count(f, "POST", "/info/lfs/objects/batch$", "hub", 1), ==, 1);
	g_assert_cmpuint(r->max_bytes_done, >, 0);
}

static void
test_multipart(Fixture *f, gconstpointer data)
{
	const gchar *local = fixture_random_file(f, "big.bin", 300 * 1024, 2);
	g_autoptr(HubdTestJobResult) r = NULL;

	r = upload_files(f, "alice/up", local, "big.bin", "{}");
	assert_job_ok(r);
	assert_same_bytes(f, "alice/up", "main", "big.bin", local);
	/* 300 KiB in parts of 64 KiB: 5 PUTs, none carrying the token */
	g_assert_cmpuint(log_count(f, "PUT", "^/upload/", "cdn", -1), ==, 5);
	g_assert_cmpuint(log_count(f, "PUT", "^/upload/", "cdn", 1), ==, 0);
	g_assert_cmpuint(log_count(f, "POST", "^/_lfs/complete/", "hub", 0), ==, 1);
	g_assert_cmpuint(log_count(f, "POST", "^/_lfs/verify/", "hub", 1), ==, 1);
}

static void
test_part_retried(Fixture *f, gconstpointer data)
{
	const gchar *local = fixture_random_file(f, "retry.bin", 200 * 1024, 3);
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(JsonNode) faults = NULL;

	hubd_test_hub_add_fault(
		f->hub,
		"{\"method\":\"PUT\",\"path_regex\":\"^/upload/\",\"origin\":\"cdn\","
		"\"action\":\"status\",\"status\":500,\"times\":1,\"skip\":1}");
	r = upload_files(f, "alice/up", local, "retry.bin", "{}");
	assert_job_ok(r);
	assert_same_bytes(f, "alice/up", "main", "retry.bin", local);
	/* 4 parts, one of them twice */
	g_assert_cmpuint(log_count(f, "PUT", "^/upload/", "cdn", -1), ==, 5);
	faults = hubd_test_hub_admin(f->hub, "GET", "/_testhub/faults", NULL);
	g_assert_cmpint(first_fault_fired(faults), ==, 1);
}

static void
test_reupload_skips(Fixture *f, gconstpointer data)
{
	const gchar *local = fixture_random_file(f, "same.bin", 100 * 1024, 4);
	g_autoptr(HubdTestJobResult) r1 = NULL;
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autoptr(HubdTestJobResult) r3 = NULL;
	const gchar *oid1 = NULL;
	const gchar *oid2 = NULL;
	const gchar *url = NULL;
	g_autofree gchar *expected_url = NULL;

	r1 = upload_files(f, "alice/up", local, "same.bin", "{}");
	assert_job_ok(r1);
	g_assert_true(g_variant_lookup(r1->result, "commit_oid", "&s", &oid1));
	hubd_test_hub_clear_requests(f->hub);
	/* the same bytes at another path: stored already, nothing sent */
	r2 = upload_files(f, "alice/up", local, "copy-of-same.bin", "{}");
	assert_job_ok(r2);
	g_assert_cmpuint(log_count(f, "PUT", NULL, "cdn", -1), ==, 0);
	g_assert_cmpuint(log_count(f, "POST", "/info/lfs/objects/batch$", "hub", -1), ==, 1);
	assert_same_bytes(f, "alice/up", "main", "copy-of-same.bin", local);
	/* unchanged files at the same paths: no transfer and no commit */
	r3 = upload_files(f, "alice/up", local, "same.bin", "{}");
	assert_job_ok(r3);
	g_assert_true(g_variant_lookup(r3->result, "commit_oid", "&s", &oid2));
	g_assert_cmpstr(oid2, ==, head_of(f, "alice/up"));
	/* no commit made: the URL of the head, as the Hub would have given it */
	g_assert_true(g_variant_lookup(r3->result, "commit_url", "&s", &url));
	expected_url = g_strdup_printf("%s/alice/up/commit/%s", f->hub->url, oid2);
	g_assert_cmpstr(url, ==, expected_url);
}

static void
test_policy_token(Fixture *f, gconstpointer data)
{
	const gchar *local =
		fixture_write(f,
			      "notes.txt",
			      "first line\nkey = hf_abcdefghijklmnopqrstuvwxyz0123456789\n");
	g_autoptr(HubdTestJobResult) r = upload_files(f, "alice/up", local, "docs/notes.txt", "{}");

	assert_job_error(r, "org.hubd.Hub1.Error.Policy");
	g_assert_nonnull(strstr(r->message, "docs/notes.txt:2"));
	g_assert_null(strstr(r->message, "hf_abcdefghijklmnop"));
	/* refused before anything was sent */
	g_assert_cmpuint(log_count(f, "POST", "/preupload/", "hub", -1), ==, 0);
	g_assert_cmpuint(log_count(f, "POST", "/commit/", "hub", -1), ==, 0);
}

static void
test_policy_card(Fixture *f, gconstpointer data)
{
	const gchar *local = fixture_write(f, "a.txt", "hello\n");
	const gchar *readme = fixture_write(f, "README.md", "# No licence here\n");
	g_autoptr(HubdTestJobResult) r1 = NULL;
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autoptr(HubdTestJobResult) r3 = NULL;
	g_autoptr(GVariant) pairs = NULL;
	const gchar *desc = NULL;

	create_repo(f, "alice/nocard");
	/* no card at all */
	r1 = upload_files(f, "alice/nocard", local, "a.txt", "{}");
	assert_job_error(r1, "org.hubd.Hub1.Error.Policy");
	/* a card without a licence */
	pairs = g_variant_ref_sink(
		g_variant_new_parsed("[(%s, 'a.txt'), (%s, 'README.md')]", local, readme));
	r2 = upload_pairs(f, "alice/nocard", pairs, "{}");
	assert_job_error(r2, "org.hubd.Hub1.Error.Policy");
	g_assert_cmpuint(log_count(f, "POST", "/commit/", "hub", -1), ==, 0);
	/* the override: it goes through and the commit says so */
	r3 = upload_pairs(f,
			  "alice/nocard",
			  pairs,
			  "{'no_policy': <true>, 'commit_description': <'Quick test'>}");
	assert_job_ok(r3);
	desc = last_commit_message(f, "alice/nocard");
	g_assert_nonnull(strstr(desc, "Quick test"));
	g_assert_nonnull(strstr(desc, "publishing policy overridden"));
}

static void
test_folder(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autofree gchar *dir = g_build_filename(f->tmp, "folder", NULL);
	g_autofree gchar *tree = NULL;
	g_autofree gchar *repos = NULL;

	fixture_write(f, "folder/a.txt", "a\n");
	fixture_write(f, "folder/sub/b.txt", "b\n");
	fixture_write(f, "folder/sub/deep/c.txt", "c\n");
	fixture_write(f, "folder/sub/d.md", "d\n");
	fixture_write(f, "folder/skip.log", "log\n");
	fixture_write(f, "folder/.git/config", "[core]\n");
	fixture_write(f, "folder/.cache/huggingface/x.txt", "x\n");
	r = upload_folder(
		f,
		"alice/up",
		dir,
		"data",
		"{'allow_patterns': <['*.txt', '*.md']>, 'ignore_patterns': <['sub/deep/']>}");
	assert_job_ok(r);
	repos = hubd_test_job_repos(r);
	g_assert_cmpstr(repos, ==, "model:alice/up@main");
	tree = tree_paths(f, "alice/up");
	g_assert_nonnull(strstr(tree, "|data/a.txt|"));
	g_assert_nonnull(strstr(tree, "|data/sub/b.txt|"));
	g_assert_nonnull(strstr(tree, "|data/sub/d.md|"));
	g_assert_null(strstr(tree, "deep"));
	g_assert_null(strstr(tree, "skip.log"));
	g_assert_null(strstr(tree, ".git/"));
	g_assert_null(strstr(tree, "x.txt"));

	/* again with b.txt gone locally and --delete '*.txt': a.txt is re-added,
	 * sub/b.txt deleted in the same commit, sub/d.md kept */
	g_assert_cmpint(g_unlink(fixture_write(f, "folder/sub/b.txt", "")), ==, 0);
	hubd_test_hub_clear_requests(f->hub);
	r2 = upload_folder(
		f,
		"alice/up",
		dir,
		"data",
		"{'delete_patterns': <['*.txt']>, 'ignore_patterns': <['sub/deep/', '*.log']>}");
	assert_job_ok(r2);
	g_free(tree);
	tree = tree_paths(f, "alice/up");
	g_assert_nonnull(strstr(tree, "|data/a.txt|"));
	g_assert_null(strstr(tree, "|data/sub/b.txt|"));
	g_assert_nonnull(strstr(tree, "|data/sub/d.md|"));
	g_assert_nonnull(strstr(tree, "|README.md|"));
	g_assert_cmpuint(log_count(f, "POST", "/commit/", "hub", -1), ==, 1);
}

static void
test_create_pr(Fixture *f, gconstpointer data)
{
	const gchar *local = fixture_write(f, "pr.txt", "proposed\n");
	g_autofree gchar *before = g_strdup(head_of(f, "alice/up"));
	g_autoptr(HubdTestJobResult) r =
		upload_files(f, "alice/up", local, "pr.txt", "{'create_pr': <true>}");
	const gchar *pr_url = NULL;
	g_autofree gchar *back = NULL;
	guint status;

	assert_job_ok(r);
	g_assert_true(g_variant_lookup(r->result, "pr_url", "&s", &pr_url));
	g_assert_true(g_str_has_suffix(pr_url, "/alice/up/discussions/1"));
	g_assert_cmpstr(head_of(f, "alice/up"), ==, before);
	back = fetch(f, "alice/up", "refs%2Fpr%2F1", "pr.txt", &status);
	g_assert_cmpuint(status, ==, 200);
	g_assert_cmpstr(back, ==, "proposed\n");
	g_free(back);
	back = fetch(f, "alice/up", "main", "pr.txt", &status);
	g_assert_cmpuint(status, ==, 404);
}

static void
test_parent_conflict(Fixture *f, gconstpointer data)
{
	const gchar *local = fixture_write(f, "p.txt", "p\n");
	g_autofree gchar *opts =
		g_strdup_printf("{'parent_commit': <'%s'>}", head_of(f, "alice/up"));
	g_autoptr(HubdTestJobResult) ok = upload_files(f, "alice/up", local, "p.txt", opts);
	g_autoptr(HubdTestJobResult) r = NULL;

	assert_job_ok(ok);
	/* the head moved: the same parent is now stale */
	fixture_write(f, "p.txt", "p2\n");
	r = upload_files(f, "alice/up", local, "p.txt", opts);
	assert_job_error(r, "org.hubd.Hub1.Error.Conflict");
}

static void
test_commit_ops(Fixture *f, gconstpointer data)
{
	const gchar *local = fixture_random_file(f, "m.bin", 20 * 1024, 5);
	const gchar *text = fixture_write(f, "t.txt", "text\n");
	g_autoptr(HubdTestJobResult) r1 = NULL;
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autofree gchar *tree = NULL;
	g_autofree gchar *back = NULL;

	r1 = commit_ops(
		f,
		"alice/up",
		g_variant_new_parsed("[{'op': <'add'>, 'path': <'x/m.bin'>, 'local_path': <%s>},"
				     " {'op': <'add'>, 'path': <'x/t.txt'>, 'local_path': <%s>},"
				     " {'op': <'add'>, 'path': <'y/t.txt'>, 'local_path': <%s>}]",
				     local,
				     text,
				     text));
	assert_job_ok(r1);
	r2 = commit_ops(f,
			"alice/up",
			g_variant_new_parsed(
				"[{'op': <'copy'>, 'path': <'z/m.bin'>, 'src_path': <'x/m.bin'>},"
				" {'op': <'copy'>, 'path': <'z/t.txt'>, 'src_path': <'x/t.txt'>},"
				" {'op': <'delete'>, 'path': <'x/'>},"
				" {'op': <'delete'>, 'path': <'y/t.txt'>}]"));
	assert_job_ok(r2);
	tree = tree_paths(f, "alice/up");
	g_assert_null(strstr(tree, "|x/"));
	g_assert_null(strstr(tree, "|y/"));
	assert_same_bytes(f, "alice/up", "main", "z/m.bin", local);
	back = fetch(f, "alice/up", "main", "z/t.txt", NULL);
	g_assert_cmpstr(back, ==, "text\n");
}

static void
test_create_repo(Fixture *f, gconstpointer data)
{
	const gchar *readme =
		fixture_write(f, "README.md", "---\nlicense: apache-2.0\n---\n# New\n");
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(HubdTestJobResult) r2 = NULL;
	g_autoptr(JsonObject) sent = NULL;
	g_autofree gchar *body = NULL;

	r = upload_files(f,
			 "alice/brand-new",
			 readme,
			 "README.md",
			 "{'create_repo': <true>, 'private': <true>}");
	assert_job_ok(r);
	sent = hubd_test_hub_last_body(f->hub, "POST", "^/api/repos/create$");
	g_assert_cmpstr(json_object_get_string_member(sent, "visibility"), ==, "private");
	g_clear_pointer(&sent, json_object_unref);
	/* not asked private: no visibility is sent (not even "private": false),
	 * so that an organisation's default applies; an existing repo is fine */
	r2 = upload_files(f, "alice/up", readme, "README.md", "{'create_repo': <true>}");
	assert_job_ok(r2);
	sent = hubd_test_hub_last_body(f->hub, "POST", "^/api/repos/create$");
	g_assert_cmpstr(json_object_get_string_member(sent, "name"), ==, "up");
	g_assert_false(json_object_has_member(sent, "visibility"));
	g_assert_false(json_object_has_member(sent, "private"));
	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "GET",
					    "/api/models/alice/brand-new",
					    ALICE_WRITE,
					    NULL,
					    &body),
			 ==,
			 200);
	g_assert_nonnull(strstr(body, "\"private\":true"));
	g_free(body);
	/* private: bob does not see it */
	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "GET",
					    "/api/models/alice/brand-new",
					    BOB_READ,
					    NULL,
					    &body),
			 ==,
			 404);
}

static void
test_bad_input(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;

	path = hubd_test_start_job(
		f->bus,
		"Upload",
		g_variant_new_parsed(
			"('model', 'alice/up', '', [('relative.txt', 'a.txt')], @a{sv} {})"),
		&error);
	g_assert_null(path);
	assert_dbus_error(error, "org.hubd.Hub1.Error.InvalidArgument");
	g_clear_error(&error);
	path = hubd_test_start_job(
		f->bus,
		"Upload",
		g_variant_new_parsed(
			"('model', 'alice/up', '', [('/etc/hostname', '.git/config')], @a{sv} {})"),
		&error);
	g_assert_null(path);
	assert_dbus_error(error, "org.hubd.Hub1.Error.InvalidArgument");
	g_clear_error(&error);
	path = hubd_test_start_job(
		f->bus,
		"Upload",
		g_variant_new_parsed("('model', 'alice/up', '', [('/etc/hostname', 'h')], "
				     "{'parent_commit': <'xyz'>})"),
		&error);
	g_assert_null(path);
	assert_dbus_error(error, "org.hubd.Hub1.Error.InvalidArgument");
	/* options: unknown keys and wrong types are refused, naming the key;
	 * the folder-only patterns are unknown to Upload */
	for (guint i = 0; i < 3; i++) {
		const gchar *bad[] = {"{'commit_mesage': <'typo'>}",
				      "{'create_pr': <'yes'>}",
				      "{'allow_patterns': <['*.txt']>}"};
		const gchar *named[] = {"commit_mesage", "create_pr", "allow_patterns"};
		g_autofree gchar *args =
			g_strdup_printf("('model', 'alice/up', '', [('/etc/hostname', 'h')], %s)",
					bad[i]);

		g_clear_error(&error);
		path = hubd_test_start_job(f->bus, "Upload", g_variant_new_parsed(args), &error);
		g_assert_null(path);
		assert_dbus_error(error, "org.hubd.Hub1.Error.InvalidArgument");
		g_assert_nonnull(strstr(error->message, named[i]));
	}
	/* so are unknown keys of a Commit operation */
	g_clear_error(&error);
	path = hubd_test_start_job(
		f->bus,
		"Commit",
		g_variant_new_parsed("('model', 'alice/up', '', [{'op': <'delete'>, "
				     "'path': <'a.txt'>, 'folder': <true>}], "
				     "@a{sv} {})"),
		&error);
	g_assert_null(path);
	assert_dbus_error(error, "org.hubd.Hub1.Error.InvalidArgument");
	g_assert_nonnull(strstr(error->message, "folder"));
}

/* Job.GetAll: BytesTotal, whether the job has ended, and Files (a(stt)) in
 * one snapshot */
static GVariant *
job_snapshot(Fixture *f, const gchar *job, guint64 *bytes_total, gboolean *ended)
{
	const gchar *state = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) props = NULL;
	GVariant *files = NULL;

	reply = g_dbus_connection_call_sync(f->bus,
					    HUBD_TEST_BUS_NAME,
					    job,
					    "org.freedesktop.DBus.Properties",
					    "GetAll",
					    g_variant_new("(s)", "org.hubd.Hub1.Job"),
					    G_VARIANT_TYPE("(a{sv})"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);
	g_assert_no_error(error);
	props = g_variant_get_child_value(reply, 0);
	g_assert_true(g_variant_lookup(props, "BytesTotal", "t", bytes_total));
	g_assert_true(g_variant_lookup(props, "State", "&s", &state));
	*ended = g_strcmp0(state, "queued") != 0 && g_strcmp0(state, "running") != 0;
	g_assert_true(g_variant_lookup(props, "Files", "@a(stt)", &files));
	return files;
}

/* Per-file progress: while an LFS file is being sent (its multipart
 * completion is held back by the Hub) the job lists it in Files by its path
 * in the repo with its size; a file already on the Hub never shows while
 * uploading; once the job has ended Files is empty. */
static void
test_file_progress(Fixture *f, gconstpointer data)
{
	const gsize big_size = 1536 * 1024;
	const gchar *skip = fixture_random_file(f, "skip.bin", 100 * 1024, 5);
	const gchar *big = fixture_random_file(f, "big.bin", big_size, 6);
	const gchar *reg = fixture_write(f, "config.json", "{\"hidden_size\": 32}\n");
	g_autoptr(HubdTestJobResult) first = upload_files(f, "alice/up", skip, "skip.bin", "{}");
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GVariant) after = NULL;
	g_autofree gchar *job = NULL;
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	guint64 uploading_total = big_size + strlen("{\"hidden_size\": 32}\n");
	guint64 done = 0;
	guint64 total = 0;
	guint64 bytes_total = 0;
	gboolean seen = FALSE;
	gboolean ended = FALSE;

	assert_job_ok(first);
	hubd_test_hub_add_fault(f->hub,
				"{\"method\":\"POST\",\"path_regex\":\"^/_lfs/complete/\","
				"\"origin\":\"hub\",\"action\":\"slow\",\"delay_ms\":2000}");
	job = hubd_test_start_job(
		f->bus,
		"Upload",
		g_variant_new_parsed("('model', 'alice/up', '', "
				     "[(%s, 'weights/big.bin'), (%s, 'config.json'), "
				     "(%s, 'skip.bin')], @a{sv} {})",
				     big,
				     reg,
				     skip),
		NULL);
	/* a snapshot of the uploading phase: BytesTotal counts the files to
	 * send (skip.bin is on the Hub), while hashing counted all three */
	while (!seen && !ended && g_get_monotonic_time() < deadline) {
		g_autoptr(GVariant) files = job_snapshot(f, job, &bytes_total, &ended);

		for (gsize i = 0; bytes_total == uploading_total && i < g_variant_n_children(files);
		     i++) {
			const gchar *path = NULL;
			guint64 d = 0;
			guint64 t = 0;

			g_variant_get_child(files, i, "(&stt)", &path, &d, &t);
			g_assert_cmpstr(path, !=, "skip.bin");
			if (g_strcmp0(path, "weights/big.bin") == 0 && d > 0) {
				seen = TRUE;
				done = d;
				total = t;
			}
		}
		if (!seen)
			g_usleep(20000);
	}
	g_assert_true(seen);
	g_assert_cmpuint(total, ==, big_size);
	g_assert_cmpuint(done, >, 0);
	g_assert_cmpuint(done, <=, total);

	r = hubd_test_job_wait(f->bus, job, JOB_TIMEOUT_MS);
	assert_job_ok(r);
	/* the job lingers a few seconds after Completed: read it now */
	after = job_snapshot(f, job, &bytes_total, &ended);
	g_assert_true(ended);
	g_assert_cmpuint(g_variant_n_children(after), ==, 0);
	assert_same_bytes(f, "alice/up", "main", "weights/big.bin", big);
	assert_same_bytes(f, "alice/up", "main", "config.json", reg);
	hubd_test_hub_clear_faults(f->hub);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	fixture_add("/upload/regular", test_regular);
	fixture_add("/upload/lfs-basic", test_lfs_basic);
	fixture_add("/upload/lfs-multipart", test_multipart);
	fixture_add("/upload/part-retried", test_part_retried);
	fixture_add("/upload/reupload-skips", test_reupload_skips);
	fixture_add("/upload/policy-token", test_policy_token);
	fixture_add("/upload/policy-card", test_policy_card);
	fixture_add("/upload/folder-patterns-delete", test_folder);
	fixture_add("/upload/create-pr", test_create_pr);
	fixture_add("/upload/parent-conflict", test_parent_conflict);
	fixture_add("/upload/commit-ops", test_commit_ops);
	fixture_add("/upload/create-repo", test_create_repo);
	fixture_add("/upload/bad-input", test_bad_input);
	fixture_add("/upload/file-progress", test_file_progress);
	return g_test_run();
}
