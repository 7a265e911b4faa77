/* hubd-sync-test.c: sync rules end to end — `hubctl sync` against the real
 * daemon and the local Hub, which delivers real webhooks to hubd's listener.
 * A commit reaches a folder through a webhook and through polling; a forged
 * delivery with a wrong secret syncs nothing; a burst of twenty commits gives
 * at most two runs and the final tree; a daemon killed mid-run completes
 * after a restart without fetching again what it had; rules survive a
 * restart; --delete removes what was removed upstream and nothing else; a
 * run with nothing new transfers nothing. Waits are bounded; nothing is
 * timed. */
#include <glib/gstdio.h>
#include <string.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-test-job.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define REPO        "alice/s"
#define WAIT_MS     30000

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
	gchar *tmp;
	gchar *dir; /* the folder target */
} Fixture;

static void
daemon_start(Fixture *f)
{
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, NULL};
	const gchar *args[] = {"--endpoint",
			       f->hub->url,
			       "--set",
			       "webhooks.listen=127.0.0.1:0",
			       "--set",
			       "http.retry-base-ms=50",
			       NULL};

	f->daemon = hubd_test_daemon_start(args, env);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autofree gchar *conf =
		g_build_filename(g_get_user_config_dir(), "hubd", "sync.conf", NULL);

	/* one test's rules are not the next one's (they share $XDG_CONFIG_HOME) */
	g_unlink(conf);
	f->tmp = g_dir_make_tmp("hubd-sync-XXXXXX", NULL);
	f->dir = g_build_filename(f->tmp, "mirror", NULL);
	f->hub = hubd_test_hub_start(NULL);
	hubd_test_hub_create_repo(f->hub, ALICE_WRITE, "{\"name\":\"s\",\"type\":\"model\"}");
	g_free(hubd_test_hub_commit_files(f->hub,
					  ALICE_WRITE,
					  "model",
					  REPO,
					  "main",
					  0,
					  "README.md",
					  "# s\n",
					  "keep.txt",
					  "kept\n",
					  NULL));
	daemon_start(f);
	f->bus = hubd_test_session_bus();
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	if (f->daemon != NULL) {
		g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

		if (strstr(log, "-CRITICAL **") != NULL)
			g_error("hubd logged a critical:\n%s", log);
		hubd_test_daemon_stop(f->daemon);
	}
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->tmp);
	g_free(f->tmp);
	g_free(f->dir);
}

/* hubctl sync ARGS..., asserting exit 0; returns stdout's one line */
static gchar *
sync_ok(const gchar *first, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	const gchar *arg;
	va_list ap;
	gint rc;

	g_ptr_array_add(argv, (gpointer) "sync");
	va_start(ap, first);
	for (arg = first; arg != NULL; arg = va_arg(ap, const gchar *))
		g_ptr_array_add(argv, (gpointer)arg);
	va_end(ap);
	g_ptr_array_add(argv, NULL);
	rc = hubd_test_run_hubctl((const gchar *const *)argv->pdata, NULL, &out, &err);
	if (rc != 0)
		g_error("hubctl sync %s: exit %d: %s%s", first, rc, out, err);
	return g_strstrip(g_steal_pointer(&out));
}

static GVariant *
get_rule(Fixture *f, const gchar *id)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = hubd_test_call(f->bus,
					       "org.hubd.Hub1.Sync",
					       "GetRule",
					       g_variant_new_parsed("(%s, @a{sv} {})", id),
					       G_VARIANT_TYPE("(a{sv})"),
					       &error);

	g_assert_no_error(error);
	return g_variant_get_child_value(r, 0);
}

typedef struct {
	Fixture *f;
	const gchar *id;
	const gchar *commit; /* NULL: any commit */
	const gchar *file;   /* NULL: no file */
	const gchar *contents;
} Until;

/* the rule is idle at `commit` and the file has `contents` */
static gboolean
synced(gpointer data)
{
	Until *u = data;
	g_autoptr(GVariant) rule = get_rule(u->f, u->id);
	const gchar *commit = NULL;
	gboolean running = TRUE;
	g_autofree gchar *path = NULL;
	g_autofree gchar *got = NULL;

	g_variant_lookup(rule, "last_commit", "&s", &commit);
	g_variant_lookup(rule, "running", "b", &running);
	if (running || commit[0] == '\0' ||
	    (u->commit != NULL && g_strcmp0(commit, u->commit) != 0))
		return FALSE;
	if (u->file == NULL)
		return TRUE;
	path = g_build_filename(u->f->dir, u->file, NULL);
	return g_file_get_contents(path, &got, NULL, NULL) && g_str_equal(got, u->contents);
}

static void
wait_synced(Fixture *f,
	    const gchar *id,
	    const gchar *commit,
	    const gchar *file,
	    const gchar *contents)
{
	Until u = {f, id, commit, file, contents};

	if (!hubd_test_wait_for(synced, &u, WAIT_MS)) {
		g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

		g_error("rule %s did not reach %s with %s:\n%s", id, commit, file, log);
	}
}

static guint32
rule_runs(Fixture *f, const gchar *id)
{
	g_autoptr(GVariant) rule = get_rule(f, id);
	guint32 runs = 0;

	g_assert_true(g_variant_lookup(rule, "runs", "u", &runs));
	return runs;
}

static gchar *
commit(Fixture *f, const gchar *path, const gchar *contents)
{
	return hubd_test_hub_commit_files(f->hub,
					  ALICE_WRITE,
					  "model",
					  REPO,
					  "main",
					  0,
					  path,
					  contents,
					  NULL);
}

/* the folder is our link to the tree of `sha`, the only tree left */
static void
assert_switched(Fixture *f, const gchar *sha)
{
	g_autofree gchar *target = g_file_read_link(f->dir, NULL);
	g_autofree gchar *root = g_strconcat(f->dir, ".hubd-sync", NULL);
	g_autofree gchar *want = g_build_filename(root, sha, NULL);
	g_autoptr(GDir) d = g_dir_open(root, 0, NULL);
	guint n = 0;

	g_assert_cmpstr(target, ==, want);
	while (d != NULL && g_dir_read_name(d) != NULL)
		n++;
	g_assert_cmpuint(n, ==, 1);
}

static void
test_webhook(Fixture *f, gconstpointer data)
{
	g_autofree gchar *id = sync_ok("add", REPO, "--to", f->dir, "--on", "webhook", NULL);
	g_autofree gchar *sha = NULL;
	g_autoptr(JsonNode) hooks = NULL;
	g_autofree gchar *body = NULL;

	g_assert_cmpuint(strlen(id), ==, 12);
	/* the first run brings the folder up to date */
	wait_synced(f, id, NULL, "keep.txt", "kept\n");
	/* hubd created the Hub webhook, watching the repo, to its listener */
	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "GET",
					    "/api/settings/webhooks",
					    ALICE_WRITE,
					    NULL,
					    &body),
			 ==,
			 200);
	hooks = hubd_test_parse_json(body);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(hooks)), ==, 1);
	sha = commit(f, "new.txt", "fresh\n");
	wait_synced(f, id, sha, "new.txt", "fresh\n");
	assert_switched(f, sha);
	/* removing the rule removes its webhook on the Hub */
	g_free(sync_ok("remove", id, NULL));
	g_clear_pointer(&body, g_free);
	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "GET",
					    "/api/settings/webhooks",
					    ALICE_WRITE,
					    NULL,
					    &body),
			 ==,
			 200);
	g_assert_cmpstr(g_strstrip(body), ==, "[]");
}

static void
test_poll(Fixture *f, gconstpointer data)
{
	g_autofree gchar *id = sync_ok("add", REPO, "--to", f->dir, "--on", "poll=1", NULL);
	g_autofree gchar *sha = NULL;
	g_autofree gchar *out = NULL;

	wait_synced(f, id, NULL, "keep.txt", "kept\n");
	sha = commit(f, "polled.txt", "seen\n");
	wait_synced(f, id, sha, "polled.txt", "seen\n");
	out = sync_ok("status", id, NULL);
	g_assert_nonnull(strstr(out, "poll=1"));
	g_assert_nonnull(strstr(out, sha));
}

static void
test_wrong_secret(Fixture *f, gconstpointer data)
{
	g_autofree gchar *id = sync_ok("add", REPO, "--to", f->dir, "--on", "webhook", NULL);
	g_autoptr(GVariant) info = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *code = NULL;
	g_autofree gchar *file = g_build_filename(f->tmp, "forged.json", NULL);
	g_autofree gchar *data_arg = g_strconcat("@", file, NULL);
	g_autofree gchar *path = NULL;
	g_autoptr(GError) error = NULL;
	guint32 runs;
	const gchar *argv[] = {"curl",
			       "-s",
			       "-o",
			       "/dev/null",
			       "-w",
			       "%{http_code}",
			       "-X",
			       "POST",
			       "-H",
			       "X-Webhook-Secret: not-the-secret",
			       "--data-binary",
			       data_arg,
			       NULL,
			       NULL};

	wait_synced(f, id, NULL, "keep.txt", "kept\n");
	runs = rule_runs(f, id);
	info = hubd_test_call(f->bus,
			      "org.hubd.Hub1.Webhooks",
			      "GetListener",
			      g_variant_new_parsed("(@a{sv} {},)"),
			      G_VARIANT_TYPE("(a{sv})"),
			      &error);
	g_assert_no_error(error);
	{
		g_autoptr(GVariant) dict = g_variant_get_child_value(info, 0);

		g_variant_lookup(dict, "url", "s", &url);
	}
	argv[12] = url;
	g_assert_true(g_file_set_contents(
		file,
		"{\"event\":{\"action\":\"update\",\"scope\":\"repo.content\"},"
		"\"repo\":{\"type\":\"model\",\"name\":\"" REPO
		"\",\"id\":\"621ffdc036468d709f17434d\"},"
		"\"webhook\":{\"id\":\"6390e855e30d9209411de93b\",\"version\":3}}",
		-1,
		&error));
	g_assert_cmpint(hubd_test_run_command(argv, NULL, NULL, &code, NULL), ==, 0);
	g_assert_cmpstr(code, ==, "401");
	/* refused at the door: no run started, nothing new in the folder */
	g_assert_cmpuint(rule_runs(f, id), ==, runs);
	path = g_build_filename(f->dir, "new.txt", NULL);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

static void
test_burst(Fixture *f, gconstpointer data)
{
	g_autofree gchar *id = sync_ok("add", REPO, "--to", f->dir, "--on", "webhook", NULL);
	g_autofree gchar *last = NULL;
	g_autofree gchar *first = NULL;
	g_autofree gchar *slow = g_strnfill(100, 's');
	guint32 runs;

	wait_synced(f, id, NULL, "keep.txt", "kept\n");
	runs = rule_runs(f, id);
	/* the first run of the burst is slow (15 s for slow.bin), so that the
	 * other nineteen commits land while it runs */
	hubd_test_hub_add_fault(
		f->hub,
		"{\"method\": \"GET\", \"path_regex\": \"^/lfs/\", \"action\": \"slow\", "
		"\"chunk_size\": 10, \"delay_ms\": 1500, \"times\": 1}");
	/* LFS (over 50 bytes): its body comes from the CDN, where the fault is */
	first = hubd_test_hub_commit_files(f->hub,
					   ALICE_WRITE,
					   "model",
					   REPO,
					   "main",
					   50,
					   "slow.bin",
					   slow,
					   NULL);
	for (guint i = 0; i < 40; i++) {
		g_autoptr(GVariant) rule = get_rule(f, id);
		gboolean running = FALSE;

		g_variant_lookup(rule, "running", "b", &running);
		if (running)
			break;
		g_usleep(100000);
	}
	for (guint i = 2; i <= 20; i++) {
		g_autofree gchar *name = g_strdup_printf("burst/%02u.txt", i);
		g_autofree gchar *text = g_strdup_printf("commit %u\n", i);

		g_free(last);
		last = commit(f, name, text);
	}
	wait_synced(f, id, last, "burst/20.txt", "commit 20\n");
	g_assert_cmpuint(rule_runs(f, id) - runs, <=, 2);
	for (guint i = 2; i <= 20; i++) {
		g_autofree gchar *name = g_strdup_printf("%s/burst/%02u.txt", f->dir, i);
		g_autofree gchar *text = g_strdup_printf("commit %u\n", i);

		hubd_test_assert_file_equals(name, text);
	}
	{
		g_autofree gchar *p = g_build_filename(f->dir, "slow.bin", NULL);

		hubd_test_assert_file_equals(p, slow);
	}
	assert_switched(f, last);
}

static guint
count_resolves(Fixture *f, const gchar *file)
{
	g_autofree gchar *re = g_strdup_printf("/resolve/.*/%s$", file);

	return hubd_test_hub_count_requests(f->hub, "GET", re, "hub");
}

/* a file of the run is in place and recorded where the run keeps it */
typedef gboolean (*DoneFunc)(Fixture *f, const gchar *sha);

/* Commits fast.txt and stuck.bin (LFS, 20 s to download), starts a run of
 * rule `id`, waits until `done` says fast.txt is in, then kills hubd; the
 * run it was in must be on disk. Returns the commit and stuck.bin's bytes. */
static gchar *
kill_mid_run(Fixture *f, const gchar *id, DoneFunc done, gchar **big)
{
	g_autofree gchar *sha = NULL;
	g_autofree gchar *conf =
		g_build_filename(g_get_user_config_dir(), "hubd", "sync.conf", NULL);
	g_autofree gchar *conf_text = NULL;
	g_autofree gchar *want = NULL;
	g_autoptr(GError) error = NULL;
	gboolean ok = FALSE;

	*big = g_strnfill(200, 'b');
	sha = hubd_test_hub_commit_files(f->hub,
					 ALICE_WRITE,
					 "model",
					 REPO,
					 "main",
					 50,
					 "fast.txt",
					 "quick\n",
					 "stuck.bin",
					 *big,
					 NULL);
	/* stuck.bin takes 20 s: hubd is killed long before */
	hubd_test_hub_add_fault(
		f->hub,
		"{\"method\": \"GET\", \"path_regex\": \"^/lfs/\", \"action\": \"slow\", "
		"\"chunk_size\": 10, \"delay_ms\": 1000, \"times\": 1}");
	hubd_test_hub_clear_requests(f->hub);
	g_free(hubd_test_start_job(f->bus,
				   "org.hubd.Hub1.Sync.Run",
				   g_variant_new_parsed("(%s, @a{sv} {})", id),
				   NULL));
	for (guint i = 0; i < 200 && !ok; i++) {
		ok = done(f, sha);
		if (!ok)
			g_usleep(100000);
	}
	g_assert_true(ok);
	hubd_test_daemon_kill(f->daemon);
	f->daemon = NULL;
	g_assert_true(g_file_get_contents(conf, &conf_text, NULL, &error));
	want = g_strdup_printf("staging_commit=%s", sha);
	g_assert_nonnull(strstr(conf_text, want));
	g_assert_cmpuint(count_resolves(f, "fast\\.txt"), ==, 1);
	return g_steal_pointer(&sha);
}

static void
restart(Fixture *f)
{
	hubd_test_hub_clear_faults(f->hub);
	g_clear_object(&f->bus);
	daemon_start(f);
	f->bus = hubd_test_session_bus();
}

/* done means in place and recorded (the file is renamed in before its
 * record is written, as huggingface_hub does: a kill in between fetches it
 * again, so wait for both) */
static gboolean
folder_has_fast(Fixture *f, const gchar *sha)
{
	g_autofree gchar *staged = g_strdup_printf("%s.hubd-sync/%s/fast.txt", f->dir, sha);
	g_autofree gchar *record =
		g_strdup_printf("%s.hubd-sync/%s/.cache/huggingface/download/fast.txt.metadata",
				f->dir,
				sha);
	g_autofree gchar *got = NULL;

	return g_file_get_contents(staged, &got, NULL, NULL) && g_str_equal(got, "quick\n") &&
	       g_file_test(record, G_FILE_TEST_EXISTS);
}

static void
test_kill_resume(Fixture *f, gconstpointer data)
{
	g_autofree gchar *id = sync_ok("add", REPO, "--to", f->dir, NULL);
	g_autofree gchar *big = NULL;
	g_autofree gchar *sha = kill_mid_run(f, id, folder_has_fast, &big);

	g_assert_false(g_file_test(f->dir, G_FILE_TEST_EXISTS));
	restart(f);
	wait_synced(f, id, sha, "stuck.bin", big);
	{
		g_autofree gchar *p = g_build_filename(f->dir, "fast.txt", NULL);

		hubd_test_assert_file_equals(p, "quick\n");
	}
	/* fast.txt was not fetched again */
	g_assert_cmpuint(count_resolves(f, "fast\\.txt"), ==, 1);
	assert_switched(f, sha);
}

/* a storage target's run fills the shared cache first: done there means
 * the snapshot's link to a whole blob */
static gboolean
cache_has_fast(Fixture *f, const gchar *sha)
{
	g_autofree gchar *path = g_build_filename(g_get_user_cache_dir(),
						  "huggingface",
						  "hub",
						  "models--alice--s",
						  "snapshots",
						  sha,
						  "fast.txt",
						  NULL);
	g_autofree gchar *got = NULL;

	return g_file_get_contents(path, &got, NULL, NULL) && g_str_equal(got, "quick\n");
}

/* every file under the target root (the backend's own folder aside) is one
 * of `files` (path, contents or NULL for any, ..., NULL) with its whole
 * contents */
static void
assert_only_whole(const gchar *root, const gchar *rel, const gchar *const *files)
{
	g_autofree gchar *dir = g_build_filename(root, rel, NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *sub =
			rel[0] != '\0' ? g_build_filename(rel, name, NULL) : g_strdup(name);
		g_autofree gchar *path = g_build_filename(root, sub, NULL);
		gboolean known = FALSE;

		if (g_str_equal(sub, ".hubd-storage"))
			continue;
		if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
			assert_only_whole(root, sub, files);
			continue;
		}
		for (guint i = 0; files[i] != NULL && !known; i += 2) {
			if (g_str_equal(files[i], sub)) {
				if (files[i + 1] != NULL)
					hubd_test_assert_file_equals(path, files[i + 1]);
				known = TRUE;
			}
		}
		if (!known)
			g_error("%s: not a file of the repo", path);
	}
}

/* a storage target killed mid-run: after the restart the run completes,
 * what was fetched is not fetched again, and no key ever shows part of a
 * file */
static void
test_kill_resume_storage(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = g_strconcat("file://", f->dir, NULL);
	g_autofree gchar *id = sync_ok("add", REPO, "--to", url, NULL);
	g_autofree gchar *big = NULL;
	g_autofree gchar *sha = kill_mid_run(f, id, cache_has_fast, &big);
	const gchar *files[] = {"README.md",
				"# s\n",
				"keep.txt",
				"kept\n",
				"fast.txt",
				"quick\n",
				"stuck.bin",
				big,
				".gitattributes",
				NULL,
				NULL};

	assert_only_whole(f->dir, "", files);
	restart(f);
	wait_synced(f, id, sha, "stuck.bin", big);
	assert_only_whole(f->dir, "", files);
	{
		g_autofree gchar *p = g_build_filename(f->dir, "fast.txt", NULL);

		hubd_test_assert_file_equals(p, "quick\n");
	}
	g_assert_cmpuint(count_resolves(f, "fast\\.txt"), ==, 1);
}

static void
test_restart(Fixture *f, gconstpointer data)
{
	g_autofree gchar *id = sync_ok("add",
				       REPO,
				       "--to",
				       f->dir,
				       "--on",
				       "poll=3600",
				       "--include",
				       "*.txt",
				       "--exclude",
				       "skip*",
				       "--delete",
				       NULL);
	g_autofree gchar *out = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *rule;
	g_autofree gchar *readme = g_build_filename(f->dir, "README.md", NULL);

	wait_synced(f, id, NULL, "keep.txt", "kept\n");
	/* --include *.txt: the README stayed on the Hub */
	g_assert_false(g_file_test(readme, G_FILE_TEST_EXISTS));
	hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	daemon_start(f);
	f->bus = hubd_test_session_bus();
	out = sync_ok("list", "--json", NULL);
	node = hubd_test_parse_json(out);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(node)), ==, 1);
	rule = json_array_get_object_element(json_node_get_array(node), 0);
	g_assert_cmpstr(json_object_get_string_member(rule, "id"), ==, id);
	g_assert_cmpstr(json_object_get_string_member(rule, "target"), ==, f->dir);
	g_assert_cmpstr(json_object_get_string_member(rule, "trigger"), ==, "poll");
	g_assert_cmpint(json_object_get_int_member(rule, "poll_seconds"), ==, 3600);
	g_assert_true(json_object_get_boolean_member(rule, "delete"));
	g_assert_cmpuint(json_object_get_int_member(rule, "runs"), ==, 1);
	g_assert_cmpuint(strlen(json_object_get_string_member(rule, "last_commit")), ==, 40);
}

/* Sync.Run of rule `id` succeeds and reports `path` as the one file removed */
static void
run_removing(Fixture *f, const gchar *id, const gchar *path)
{
	g_autoptr(HubdTestJobResult) r =
		hubd_test_run_job(f->bus,
				  "org.hubd.Hub1.Sync.Run",
				  g_variant_new_parsed("(%s, @a{sv} {})", id),
				  WAIT_MS);
	g_autofree const gchar **removed = NULL;

	g_assert_true(r->ok);
	g_assert_true(g_variant_lookup(r->result, "removed", "^a&s", &removed));
	g_assert_cmpuint(g_strv_length((gchar **)removed), ==, 1);
	g_assert_cmpstr(removed[0], ==, path);
}

static void
test_delete_and_idempotent(Fixture *f, gconstpointer data)
{
	g_autofree gchar *id = sync_ok("add", REPO, "--to", f->dir, "--delete", NULL);
	g_autofree gchar *plain = sync_ok("add", REPO, "--to-cache", NULL);
	g_autofree gchar *other_dir = g_strconcat(f->dir, "-nodelete", NULL);
	g_autofree gchar *other = sync_ok("add", REPO, "--to", other_dir, NULL);
	g_autofree gchar *mine = g_build_filename(f->dir, "mine.txt", NULL);
	g_autofree gchar *kept = g_build_filename(f->dir, "keep.txt", NULL);
	g_autofree gchar *kept_other = g_build_filename(other_dir, "keep.txt", NULL);
	g_autoptr(HubdTestJobResult) r = NULL;
	gboolean changed = TRUE;
	const gchar *del[] = {"repo-files", "delete", REPO, "keep.txt", NULL};

	g_free(sync_ok("run", id, NULL));
	g_free(sync_ok("run", other, NULL));
	g_free(sync_ok("run", plain, NULL));
	hubd_test_assert_file_equals(kept, "kept\n");
	hubd_test_write_file(mine, "the user's own\n");
	/* upstream removes keep.txt */
	g_assert_cmpint(hubd_test_run_hubctl(del, NULL, NULL, NULL), ==, 0);
	run_removing(f, id, "keep.txt");
	g_assert_false(g_file_test(kept, G_FILE_TEST_EXISTS));
	hubd_test_assert_file_equals(mine, "the user's own\n");
	/* without --delete it stays */
	g_free(sync_ok("run", other, NULL));
	hubd_test_assert_file_equals(kept_other, "kept\n");
	/* nothing new: nothing transferred, not even a listing */
	hubd_test_hub_clear_requests(f->hub);
	r = hubd_test_run_job(f->bus,
			      "org.hubd.Hub1.Sync.Run",
			      g_variant_new_parsed("(%s, @a{sv} {})", id),
			      WAIT_MS);
	g_assert_true(r->ok);
	g_assert_true(g_variant_lookup(r->result, "changed", "b", &changed));
	g_assert_false(changed);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", "/resolve/|/tree/", NULL),
			 ==,
			 0);
	/* a bad target is refused with a clear error */
	{
		const gchar *bad[] =
			{"sync", "add", REPO, "--to", "relative/../../x", "--on", "hourly", NULL};
		g_autofree gchar *err = NULL;

		g_assert_cmpint(hubd_test_run_hubctl(bad, NULL, NULL, &err), ==, 64);
		g_assert_nonnull(strstr(err, "--on"));
	}
}

/* the object of `path` is the file that was there: same inode and mtime
 * (the file backend writes a new file and renames it over the key) */
static void
assert_untouched(const gchar *path, const GStatBuf *before)
{
	GStatBuf now;

	g_assert_cmpint(g_stat(path, &now), ==, 0);
	g_assert_cmpuint(now.st_ino, ==, before->st_ino);
	g_assert_cmpint(now.st_mtim.tv_sec, ==, before->st_mtim.tv_sec);
	g_assert_cmpint(now.st_mtim.tv_nsec, ==, before->st_mtim.tv_nsec);
}

/* a storage URL as the target (the built-in file:// backend): --delete
 * removes what upstream removed and nothing else; objects already there are
 * not put again, whether this rule put them or not */
static void
test_storage_target(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = g_strconcat("file://", f->dir, NULL);
	g_autofree gchar *id = NULL;
	g_autofree gchar *again = NULL;
	g_autofree gchar *kept = g_build_filename(f->dir, "keep.txt", NULL);
	g_autofree gchar *readme = g_build_filename(f->dir, "README.md", NULL);
	g_autofree gchar *fresh = g_build_filename(f->dir, "new.txt", NULL);
	g_autofree gchar *theirs = g_build_filename(f->dir, "theirs.txt", NULL);
	g_autofree gchar *sha = NULL;
	const gchar *del[] = {"repo-files", "delete", REPO, "keep.txt", NULL};
	GStatBuf readme_st, fresh_st;

	g_mkdir_with_parents(f->dir, 0700);
	hubd_test_write_file(theirs, "not the rule's\n");
	id = sync_ok("add", REPO, "--to", url, "--delete", NULL);
	g_free(sync_ok("run", id, NULL));
	hubd_test_assert_file_equals(kept, "kept\n");
	hubd_test_assert_file_equals(readme, "# s\n");
	g_assert_cmpint(g_stat(readme, &readme_st), ==, 0);
	/* upstream: a new file, keep.txt removed, README.md as it was */
	sha = commit(f, "new.txt", "new\n");
	g_assert_cmpint(hubd_test_run_hubctl(del, NULL, NULL, NULL), ==, 0);
	run_removing(f, id, "keep.txt");
	g_assert_false(g_file_test(kept, G_FILE_TEST_EXISTS));
	hubd_test_assert_file_equals(fresh, "new\n");
	hubd_test_assert_file_equals(theirs, "not the rule's\n");
	assert_untouched(readme, &readme_st);
	/* a rule with no record of its own finds everything there: puts nothing */
	g_assert_cmpint(g_stat(fresh, &fresh_st), ==, 0);
	again = sync_ok("add", REPO, "--to", url, "--delete", NULL);
	g_free(sync_ok("run", again, NULL));
	assert_untouched(readme, &readme_st);
	assert_untouched(fresh, &fresh_st);
	hubd_test_assert_file_equals(theirs, "not the rule's\n");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/sync/webhook", Fixture, NULL, fixture_setup, test_webhook, fixture_teardown);
	g_test_add("/sync/poll", Fixture, NULL, fixture_setup, test_poll, fixture_teardown);
	g_test_add("/sync/wrong-secret",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_wrong_secret,
		   fixture_teardown);
	g_test_add("/sync/burst", Fixture, NULL, fixture_setup, test_burst, fixture_teardown);
	g_test_add("/sync/kill-resume",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_kill_resume,
		   fixture_teardown);
	g_test_add("/sync/kill-resume-storage",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_kill_resume_storage,
		   fixture_teardown);
	g_test_add("/sync/restart", Fixture, NULL, fixture_setup, test_restart, fixture_teardown);
	g_test_add("/sync/delete-idempotent",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_delete_and_idempotent,
		   fixture_teardown);
	g_test_add("/sync/storage-target",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_storage_target,
		   fixture_teardown);
	return g_test_run();
}
