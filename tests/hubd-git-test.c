/* hubd-git-test.c: git and git-lfs from Debian against hubd and the local
 * Hub — `hubctl lfs-enable-largefiles`, the credential helper (`hubctl auth
 * git-credential`, `auth login --add-to-git-credential`) and pushes whose
 * LFS objects go through `hubctl lfs-multipart-upload` as hubd jobs. The
 * Hub's LFS store is then read back through the LFS batch download. */
#define G_LOG_DOMAIN "HubdGitTest"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define CHUNK       65536
#define PUSH_MS     (120 * 1000)

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	gchar *tmp;
	gchar *host; /* "127.0.0.1:PORT", as git names the Hub */
	gchar **env; /* for git and hubctl: a git config of the test's own */
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *hub_args[] = {"--lfs-chunk-size", G_STRINGIFY(CHUNK), NULL};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *global = NULL;

	f->tmp = g_dir_make_tmp("hubd-git-XXXXXX", &error);
	g_assert_no_error(error);
	f->hub = hubd_test_hub_start(hub_args);
	f->host = g_strdup(f->hub->url + strlen("http://"));
	{
		/* many quick retries, so a cancelled push is cancelled mid-way */
		const gchar *args[] = {"--endpoint",
				       f->hub->url,
				       "--set",
				       "http.retry-base-ms=50",
				       "--set",
				       "http.max-retries=60",
				       NULL};
		f->daemon = hubd_test_daemon_start(args, NULL);
	}
	global = g_build_filename(f->tmp, "gitconfig", NULL);
	hubd_test_write_file(global, "[user]\n\tname = Test\n\temail = test@example.com\n");
	f->env = g_new0(gchar *, 5);
	f->env[0] = g_strconcat("GIT_CONFIG_GLOBAL=", global, NULL);
	f->env[1] = g_strdup("GIT_CONFIG_NOSYSTEM=1");
	f->env[2] = g_strdup("GIT_TERMINAL_PROMPT=0");
	f->env[3] = g_strdup("GIT_ASKPASS=");
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	const gchar *argv[] = {"auth", "logout", NULL};

	/* the keyring outlives the test: leave no token for the next one */
	hubd_test_run_hubctl(argv, NULL, NULL, NULL);
	hubd_test_daemon_stop(f->daemon);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->tmp);
	g_free(f->tmp);
	g_free(f->host);
	g_strfreev(f->env);
}

static gint
hubctl(Fixture *f, const gchar *const *argv, const gchar *input, gchar **out, gchar **err)
{
	return hubd_test_run_hubctl_full(NULL, argv, (const gchar *const *)f->env, input, out, err);
}

static gint
run(Fixture *f, const gchar *const *argv, const gchar *input, gchar **out, gchar **err)
{
	return hubd_test_run_command(argv, (const gchar *const *)f->env, input, out, err);
}

static void
git_ok(Fixture *f, const gchar *dir, const gchar *a, const gchar *b, const gchar *c)
{
	const gchar *argv[] = {"git", "-C", dir, a, b, c, NULL};
	g_autofree gchar *err = NULL;

	if (run(f, argv, NULL, NULL, &err) != 0)
		g_error("git %s %s: %s", a, b != NULL ? b : "", err);
}

static void
login(Fixture *f)
{
	const gchar *argv[] = {"auth", "login", "--token-stdin", "--add-to-git-credential", NULL};
	g_autofree gchar *err = NULL;

	g_assert_cmpint(hubctl(f, argv, ALICE_WRITE "\n", NULL, &err), ==, 0);
	g_assert_cmpstr(err, ==, "");
}

/* `git credential fill` for protocol http and `host`; its exit status */
static gint
credential_fill(Fixture *f, const gchar *host, gchar **out, gchar **err)
{
	const gchar *argv[] = {"git", "credential", "fill", NULL};
	g_autofree gchar *input = g_strdup_printf("protocol=http\nhost=%s\n\n", host);

	return run(f, argv, input, out, err);
}

/* ---- lfs-enable-largefiles ---- */

static gchar *
git_config_all(Fixture *f, const gchar *dir, const gchar *key)
{
	const gchar *argv[] = {"git", "-C", dir, "config", "--get-all", key, NULL};
	gchar *out = NULL;

	run(f, argv, NULL, &out, NULL);
	return out;
}

static void
test_enable_largefiles(Fixture *f, gconstpointer data)
{
	g_autofree gchar *repo = g_build_filename(f->tmp, "repo", NULL);
	g_autofree gchar *plain = g_build_filename(f->tmp, "plain", NULL);
	const gchar *not_repo[] = {"lfs-enable-largefiles", plain, NULL};
	const gchar *enable[] = {"lfs-enable-largefiles", repo, NULL};
	const gchar *init[] = {"git", "init", "-q", repo, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *expected = NULL;

	g_assert_cmpint(g_mkdir_with_parents(plain, 0700), ==, 0);
	g_assert_cmpint(hubctl(f, not_repo, NULL, &out, &err), ==, 1);
	g_assert_cmpstr(out, ==, "");
	expected = g_strdup_printf("hubctl: %s is not a git repository\n", plain);
	g_assert_cmpstr(err, ==, expected);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	g_assert_cmpint(run(f, init, NULL, NULL, NULL), ==, 0);
	/* twice: the same one value each time */
	for (guint i = 0; i < 2; i++) {
		g_autofree gchar *path = NULL;
		g_autofree gchar *args = NULL;

		g_assert_cmpint(hubctl(f, enable, NULL, &out, &err), ==, 0);
		g_assert_cmpstr(out, ==, "");
		g_assert_cmpstr(err, ==, "");
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
		path = git_config_all(f, repo, "lfs.customtransfer.multipart.path");
		args = git_config_all(f, repo, "lfs.customtransfer.multipart.args");
		/* the hubctl that configured it, by absolute path */
		g_assert_true(g_path_is_absolute(path));
		g_assert_true(g_str_has_suffix(path, "/hubctl\n"));
		g_assert_cmpstr(args, ==, "lfs-multipart-upload\n");
	}
}

/* ---- the credential helper ---- */

static void
test_credential(Fixture *f, gconstpointer data)
{
	const gchar *store_argv[] =
		{"git", "config", "--global", "credential.helper", "store", NULL};
	const gchar *approve[] = {"git", "credential", "approve", NULL};
	const gchar *erase[] = {"auth", "git-credential", "erase", NULL};
	g_autofree gchar *key = g_strdup_printf("credential.%s.helper", f->hub->url);
	g_autofree gchar *helpers = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *stored = g_build_filename(g_get_home_dir(), ".git-credentials", NULL);
	g_autofree gchar *approval = NULL;

	/* a "store" helper the user had: it must never see the token */
	g_assert_cmpint(run(f, store_argv, NULL, NULL, NULL), ==, 0);
	login(f);
	helpers = git_config_all(f, f->tmp, key);
	/* the empty helper resets the list, then only hubctl answers */
	g_assert_true(g_str_has_prefix(helpers, "\n/"));
	g_assert_true(g_str_has_suffix(helpers, "/hubctl auth git-credential\n"));

	g_assert_cmpint(credential_fill(f, f->host, &out, &err), ==, 0);
	approval = g_strdup_printf("protocol=http\nhost=%s\nusername=alice\npassword=%s\n",
				   f->host,
				   ALICE_WRITE);
	g_assert_cmpstr(out, ==, approval);
	/* what git does after a success: store on every helper; none writes */
	g_assert_cmpint(run(f, approve, approval, NULL, NULL), ==, 0);
	g_assert_false(g_file_test(stored, G_FILE_TEST_EXISTS));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* another host: hubd's helper is not asked (config), and hubctl itself
	 * says nothing for it either */
	g_assert_cmpint(credential_fill(f, "example.com", &out, &err), !=, 0);
	g_assert_null(strstr(out, ALICE_WRITE));
	g_assert_null(strstr(err, ALICE_WRITE));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	{
		const gchar *get[] = {"auth", "git-credential", "get", NULL};
		g_autofree gchar *other = g_strdup_printf("protocol=https\nhost=%s\n\n", f->host);

		g_assert_cmpint(hubctl(f, get, "protocol=http\nhost=example.com\n\n", &out, &err),
				==,
				0);
		g_assert_cmpstr(out, ==, "");
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
		/* the Hub's host over another scheme is another origin */
		g_assert_cmpint(hubctl(f, get, other, &out, &err), ==, 0);
		g_assert_cmpstr(out, ==, "");
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
	}

	/* erase: a note, and the token stays */
	g_assert_cmpint(hubctl(f, erase, "protocol=http\n\n", &out, &err), ==, 0);
	g_assert_cmpstr(out, ==, "");
	g_assert_nonnull(strstr(err, "hubctl auth logout"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(credential_fill(f, f->host, &out, &err), ==, 0);
	g_assert_nonnull(strstr(out, "password=" ALICE_WRITE "\n"));
	{
		/* hubd runs with --verbose: its log names requests, never the token */
		g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

		g_assert_nonnull(strstr(log, "git credential for"));
		g_assert_null(strstr(log, ALICE_WRITE));
	}
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	{
		/* auth switch --add-to-git-credential writes the same, and only once */
		const gchar *unset[] = {"git", "config", "--global", "--unset-all", key, NULL};
		const gchar *sw[] = {"auth",
				     "switch",
				     "alice-write",
				     "--add-to-git-credential",
				     NULL};
		g_autofree gchar *again = NULL;

		g_assert_cmpint(run(f, unset, NULL, NULL, NULL), ==, 0);
		g_assert_cmpint(credential_fill(f, f->host, &out, &err), !=, 0);
		g_assert_cmpint(hubctl(f, sw, NULL, NULL, NULL), ==, 0);
		g_assert_cmpint(hubctl(f, sw, NULL, NULL, NULL), ==, 0);
		again = git_config_all(f, f->tmp, key);
		g_assert_cmpstr(again, ==, helpers);
	}
}

static void
test_credential_not_logged_in(Fixture *f, gconstpointer data)
{
	g_autofree gchar *key = g_strdup_printf("credential.%s.helper", f->hub->url);
	g_autofree gchar *helper =
		g_strdup_printf("%s auth git-credential", g_getenv("HUBD_TEST_HUBCTL"));
	const gchar *config[] = {"git", "config", "--global", key, helper, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	g_assert_cmpint(run(f, config, NULL, NULL, NULL), ==, 0);
	/* git asks the helper, which says why, and git fails without prompting */
	g_assert_cmpint(credential_fill(f, f->host, &out, &err), ==, 128);
	g_assert_cmpstr(out, ==, "");
	g_assert_nonnull(strstr(err, "hubctl: Not logged in to "));
	g_assert_nonnull(strstr(err, "terminal prompts disabled"));
}

/* ---- pushes ---- */

typedef struct {
	gchar *work;
	gchar *file;
	gchar *oid;
	gsize size;
} Repo;

static void
repo_free(Repo *r)
{
	g_free(r->work);
	g_free(r->file);
	g_free(r->oid);
	g_free(r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Repo, repo_free)

/* alice/big on the Hub; a git repo with git-lfs tracking *.bin, set up by
 * lfs-enable-largefiles, its lfs.url at the Hub, a bare remote, and one
 * commit with `size` random bytes in big.bin */
static Repo *
make_repo(Fixture *f, gsize size)
{
	Repo *r = g_new0(Repo, 1);
	g_autofree gchar *remote = g_build_filename(f->tmp, "remote.git", NULL);
	g_autofree gchar *lfs_url = g_strdup_printf("%s/alice/big.git/info/lfs", f->hub->url);
	const gchar *bare[] = {"git", "init", "-q", "--bare", remote, NULL};
	const gchar *init[] = {"git", "init", "-q", "-b", "main", NULL, NULL};
	const gchar *enable[] = {"lfs-enable-largefiles", NULL, NULL};
	g_autoptr(GRand) rand = g_rand_new_with_seed((guint32)size);
	g_autofree guint8 *bytes = g_malloc(size);
	g_autoptr(GError) error = NULL;

	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "POST",
					    "/api/repos/create",
					    ALICE_WRITE,
					    "{\"name\":\"big\",\"organization\":\"alice\"}",
					    NULL),
			 ==,
			 200);
	r->work = g_build_filename(f->tmp, "work", NULL);
	init[5] = r->work;
	enable[1] = r->work;
	g_assert_cmpint(run(f, bare, NULL, NULL, NULL), ==, 0);
	g_assert_cmpint(run(f, init, NULL, NULL, NULL), ==, 0);
	git_ok(f, r->work, "lfs", "install", "--local");
	git_ok(f, r->work, "lfs", "track", "*.bin");
	g_assert_cmpint(hubctl(f, enable, NULL, NULL, NULL), ==, 0);
	git_ok(f, r->work, "config", "lfs.url", lfs_url);
	{
		const gchar *argv[] =
			{"git", "-C", r->work, "remote", "add", "origin", remote, NULL};
		g_assert_cmpint(run(f, argv, NULL, NULL, NULL), ==, 0);
	}
	for (gsize i = 0; i < size; i++)
		bytes[i] = (guint8)g_rand_int_range(rand, 0, 256);
	r->size = size;
	r->file = g_build_filename(r->work, "big.bin", NULL);
	g_file_set_contents(r->file, (const gchar *)bytes, (gssize)size, &error);
	g_assert_no_error(error);
	r->oid = g_compute_checksum_for_data(G_CHECKSUM_SHA256, bytes, size);
	git_ok(f, r->work, "add", ".gitattributes", "big.bin");
	git_ok(f, r->work, "commit", "-qm", "big file");
	return r;
}

static void
child_own_group(gpointer user_data)
{
	setpgid(0, 0);
}

/* `git push origin main` with traces on, in a process group of its own (so
 * that a test can Ctrl-C it as a terminal would); output into files */
static GSubprocess *
start_push(Fixture *f, Repo *r, const gchar *name)
{
	g_autoptr(GSubprocessLauncher) launcher =
		g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_INHERIT);
	g_autofree gchar *out = g_strdup_printf("%s/%s.out", f->tmp, name);
	g_autofree gchar *err = g_strdup_printf("%s/%s.err", f->tmp, name);
	g_autoptr(GError) error = NULL;
	GSubprocess *proc;

	for (guint i = 0; f->env[i] != NULL; i++) {
		g_auto(GStrv) kv = g_strsplit(f->env[i], "=", 2);
		g_subprocess_launcher_setenv(launcher, kv[0], kv[1], TRUE);
	}
	g_subprocess_launcher_setenv(launcher, "GIT_TRACE", "1", TRUE);
	g_subprocess_launcher_setenv(launcher, "GIT_TRANSFER_TRACE", "1", TRUE);
	g_subprocess_launcher_set_stdout_file_path(launcher, out);
	g_subprocess_launcher_set_stderr_file_path(launcher, err);
	g_subprocess_launcher_set_cwd(launcher, r->work);
	g_subprocess_launcher_set_child_setup(launcher, child_own_group, NULL, NULL);
	proc = g_subprocess_launcher_spawn(launcher, &error, "git", "push", "origin", "main", NULL);
	g_assert_no_error(error);
	return proc;
}

/* waits (bounded) and returns the exit status; `err` gets stderr */
static gint
finish_push(Fixture *f, GSubprocess *proc, const gchar *name, gchar **err)
{
	g_autofree gchar *path = g_strdup_printf("%s/%s.err", f->tmp, name);
	g_autoptr(GCancellable) timeout = g_cancellable_new();
	guint id = g_timeout_add(PUSH_MS, (GSourceFunc)g_cancellable_cancel, timeout);

	if (!g_subprocess_wait(proc, timeout, NULL))
		g_error("git push did not end within %d s", PUSH_MS / 1000);
	g_source_remove(id);
	g_assert_true(g_file_get_contents(path, err, NULL, NULL));
	return g_subprocess_get_if_exited(proc) ? g_subprocess_get_exit_status(proc) : -1;
}

static gint
push(Fixture *f, Repo *r, const gchar *name, gchar **err)
{
	g_autoptr(GSubprocess) proc = start_push(f, r, name);

	return finish_push(f, proc, name, err);
}

/* the object through the Hub's LFS batch download, compared with the file */
static void
assert_hub_has(Fixture *f, Repo *r)
{
	g_autofree gchar *body = g_strdup_printf(
		"{\"operation\":\"download\",\"objects\":[{\"oid\":\"%s\",\"size\":%" G_GSIZE_FORMAT
		"}]}",
		r->oid,
		r->size);
	g_autofree gchar *answer = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *out = g_build_filename(f->tmp, "downloaded.bin", NULL);
	g_autofree gchar *a = NULL;
	g_autofree gchar *b = NULL;
	gsize alen = 0;
	gsize blen = 0;
	JsonObject *object;
	const gchar *href;

	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "POST",
					    "/alice/big.git/info/lfs/objects/batch",
					    ALICE_WRITE,
					    body,
					    &answer),
			 ==,
			 200);
	root = hubd_test_parse_json(answer);
	object = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(root), "objects"),
		0);
	g_assert_false(json_object_has_member(object, "error"));
	href = json_object_get_string_member(
		json_object_get_object_member(json_object_get_object_member(object, "actions"),
					      "download"),
		"href");
	{
		const gchar *argv[] = {"curl", "-sSf", "-o", out, href, NULL};
		g_assert_cmpint(run(f, argv, NULL, NULL, NULL), ==, 0);
	}
	g_assert_true(g_file_get_contents(out, &a, &alen, NULL));
	g_assert_true(g_file_get_contents(r->file, &b, &blen, NULL));
	g_assert_cmpmem(a, alen, b, blen);
}

static void
assert_hub_lacks(Fixture *f, Repo *r)
{
	g_autofree gchar *body = g_strdup_printf(
		"{\"operation\":\"download\",\"objects\":[{\"oid\":\"%s\",\"size\":%" G_GSIZE_FORMAT
		"}]}",
		r->oid,
		r->size);
	g_autofree gchar *answer = NULL;

	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "POST",
					    "/alice/big.git/info/lfs/objects/batch",
					    ALICE_WRITE,
					    body,
					    &answer),
			 ==,
			 200);
	g_assert_nonnull(strstr(answer, "\"Object does not exist\""));
}

static void
assert_no_token(const gchar *text)
{
	g_autofree gchar *alice =
		g_base64_encode((const guchar *)"alice:" ALICE_WRITE, strlen("alice:" ALICE_WRITE));

	g_assert_null(strstr(text, ALICE_WRITE));
	g_assert_null(strstr(text, alice));
}

static void
test_push(Fixture *f, gconstpointer data)
{
	g_autoptr(Repo) r = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *last = NULL;
	g_autofree gchar *parts = NULL;
	g_autofree gchar *progress = NULL;

	login(f);
	r = make_repo(f, 5 * CHUNK + 1234);
	hubd_test_hub_clear_requests(f->hub);
	g_assert_cmpint(push(f, r, "push", &err), ==, 0);
	/* git-lfs ran the agent, which reported the bytes before completing */
	g_assert_nonnull(strstr(err, "starting transfer adapter \"multipart\""));
	progress = g_strdup_printf("\"bytesSoFar\":%" G_GSIZE_FORMAT, r->size);
	g_assert_nonnull(strstr(err, progress));
	g_assert_nonnull(strstr(err, "{\"event\":\"complete\",\"oid\":\""));
	assert_no_token(err);
	/* git-lfs got the token from the helper: Basic auth as alice */
	last = hubd_test_hub_last_user(f->hub, "POST", "/info/lfs/objects/batch$");
	g_assert_cmpstr(last, ==, "alice");
	/* six parts, each PUT once, then one completion */
	parts = g_strdup_printf("^/upload/%s/", r->oid);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "PUT", parts, "cdn"), ==, 6);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "POST", "^/_lfs/complete/", "hub"),
			 ==,
			 1);
	assert_hub_has(f, r);
}

static void
test_push_bad_part(Fixture *f, gconstpointer data)
{
	g_autoptr(Repo) r = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *rule = NULL;
	g_autofree gchar *part2 = NULL;

	login(f);
	r = make_repo(f, 3 * CHUNK + 10);
	part2 = g_strdup_printf("^/upload/%s/[0-9a-f]+/2$", r->oid);
	rule = g_strdup_printf("{\"method\":\"PUT\",\"origin\":\"cdn\",\"path_regex\":\"%s\","
			       "\"action\":\"status\",\"status\":500,\"times\":1}",
			       part2);
	hubd_test_hub_add_fault(f->hub, rule);
	hubd_test_hub_clear_requests(f->hub);
	g_assert_cmpint(push(f, r, "push", &err), ==, 0);
	/* part 2 twice (the 500, then the retry), the others once */
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "PUT", part2, "cdn"), ==, 2);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "PUT", "^/upload/", "cdn"), ==, 5);
	assert_hub_has(f, r);
}

typedef struct {
	Fixture *f;
	const gchar *path_regex;
	guint at_least;
} Seen;

static gboolean
requests_seen(gpointer user_data)
{
	Seen *s = user_data;

	return hubd_test_hub_count_requests(s->f->hub, "PUT", s->path_regex, "cdn") >= s->at_least;
}

static void
test_push_cancelled(Fixture *f, gconstpointer data)
{
	g_autoptr(Repo) r = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *err2 = NULL;
	g_autofree gchar *rule = NULL;
	g_autofree gchar *later = NULL;
	g_autofree gchar *object = NULL;
	Seen seen = {f, NULL, 0};
	guint puts;

	login(f);
	r = make_repo(f, 4 * CHUNK);
	/* part 1 goes through; the others are refused (503) until the push is
	 * interrupted, so the Hub holds a part and no object */
	later = g_strdup_printf("^/upload/%s/[0-9a-f]+/[2-9]$", r->oid);
	rule = g_strdup_printf("{\"method\":\"PUT\",\"origin\":\"cdn\",\"path_regex\":\"%s\","
			       "\"action\":\"status\",\"status\":503,\"times\":0}",
			       later);
	hubd_test_hub_add_fault(f->hub, rule);
	hubd_test_hub_clear_requests(f->hub);
	proc = start_push(f, r, "cancelled");
	seen.path_regex = later;
	seen.at_least = 6; /* the parts refused, and retried */
	g_assert_true(hubd_test_wait_for(requests_seen, &seen, PUSH_MS));
	seen.path_regex = "/1$";
	seen.at_least = 1;
	g_assert_true(hubd_test_wait_for(requests_seen, &seen, PUSH_MS));
	/* Ctrl-C on the terminal: the whole process group */
	g_assert_cmpint(kill(-(pid_t)atoi(g_subprocess_get_identifier(proc)), SIGINT), ==, 0);
	g_assert_cmpint(finish_push(f, proc, "cancelled", &err), !=, 0);
	assert_no_token(err);

	/* nothing was assembled, nor is hubd still sending */
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "POST", "^/_lfs/complete/", "hub"),
			 ==,
			 0);
	object = g_build_filename(f->hub->root, "objects", "lfs", r->oid, NULL);
	g_assert_false(g_file_test(object, G_FILE_TEST_EXISTS));
	assert_hub_lacks(f, r);
	puts = hubd_test_hub_count_requests(f->hub, "PUT", "^/upload/", "cdn");
	g_usleep(2 * G_USEC_PER_SEC);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "PUT", "^/upload/", "cdn"), ==, puts);

	/* the next push, with the Hub well again, sends it all */
	hubd_test_hub_clear_faults(f->hub);
	g_assert_cmpint(push(f, r, "again", &err2), ==, 0);
	assert_hub_has(f, r);
}

/* ---- the agent's protocol, driven by hand ---- */

/* the upload action of a batch answer for `r`'s object, as one JSON text */
static gchar *
batch_upload_action(Fixture *f, Repo *r)
{
	g_autofree gchar *body =
		g_strdup_printf("{\"operation\":\"upload\",\"transfers\":[\"basic\",\"multipart\"],"
				"\"objects\":[{\"oid\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}]}",
				r->oid,
				r->size);
	g_autofree gchar *answer = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonGenerator) gen = json_generator_new();
	JsonObject *object;
	JsonNode *upload;

	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "POST",
					    "/alice/big.git/info/lfs/objects/batch",
					    ALICE_WRITE,
					    body,
					    &answer),
			 ==,
			 200);
	root = hubd_test_parse_json(answer);
	object = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(root), "objects"),
		0);
	upload = json_object_get_member(json_object_get_object_member(object, "actions"), "upload");
	json_generator_set_root(gen, upload);
	return json_generator_to_data(gen, NULL);
}

static void
test_agent_protocol(Fixture *f, gconstpointer data)
{
	const gchar *argv[] = {"lfs-multipart-upload", NULL};
	g_autoptr(Repo) r = NULL;
	g_autofree gchar *action = NULL;
	g_autofree gchar *input = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *expected = NULL;
	g_auto(GStrv) lines = NULL;
	guint n;

	r = make_repo(f, 2 * CHUNK + 7);
	action = batch_upload_action(f, r);
	/* everything at once, then the end of input: as a script would */
	input = g_strdup_printf(
		"{\"event\":\"init\",\"operation\":\"upload\",\"remote\":\"origin\","
		"\"concurrent\":true,\"concurrenttransfers\":8}\n"
		"{\"event\":\"upload\",\"oid\":\"%s\",\"size\":%" G_GSIZE_FORMAT
		",\"path\":\"%s\",\"action\":%s}\n"
		"{\"event\":\"download\",\"oid\":\"%s\",\"size\":1,\"action\":{\"href\":"
		"\"http://127.0.0.1:1/x\"}}\n"
		"{\"event\":\"terminate\"}\n",
		r->oid,
		r->size,
		r->file,
		action,
		r->oid);
	g_assert_cmpint(hubctl(f, argv, input, &out, &err), ==, 0);
	g_test_message("%s", out);
	lines = g_strsplit(out, "\n", -1);
	n = g_strv_length(lines);
	g_assert_cmpuint(n, >=, 5); /* {}, progress..., complete, complete, "" */
	g_assert_cmpstr(lines[0], ==, "{}");
	for (guint i = 1; i + 3 < n; i++)
		g_assert_true(g_str_has_prefix(lines[i], "{\"event\":\"progress\""));
	expected = g_strdup_printf("\"bytesSoFar\":%" G_GSIZE_FORMAT ",", r->size);
	g_assert_nonnull(strstr(lines[n - 4], expected));
	g_clear_pointer(&expected, g_free);
	expected = g_strdup_printf("{\"event\":\"complete\",\"oid\":\"%s\"}", r->oid);
	g_assert_cmpstr(lines[n - 3], ==, expected);
	/* the download is refused, and the agent goes on to terminate */
	g_assert_true(g_str_has_prefix(lines[n - 2], "{\"event\":\"complete\""));
	g_assert_nonnull(strstr(lines[n - 2], "\"error\":{\"code\":2,"));
	g_assert_cmpstr(lines[n - 1], ==, "");
	assert_hub_has(f, r);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* an agent for downloads refuses at init, and stops */
	g_assert_cmpint(hubctl(f,
			       argv,
			       "{\"event\":\"init\",\"operation\":\"download\"}\n"
			       "{\"event\":\"terminate\"}\n",
			       &out,
			       &err),
			==,
			1);
	g_assert_true(g_str_has_prefix(out, "{\"error\":{\"code\":32,\"message\":"));
}

/* ---- LfsUpload's input checks, on D-Bus ---- */

static void
assert_refused(GDBusConnection *bus,
	       const gchar *path,
	       const gchar *oid,
	       guint64 size,
	       const gchar *href,
	       const gchar *header,
	       const gchar *message_part)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autofree gchar *typed = g_strconcat("@a{ss} ", header, NULL);

	reply = hubd_test_call(bus,
			       "org.hubd.Hub1.Git",
			       "LfsUpload",
			       g_variant_new("(ssts@a{ss}@a{sv})",
					     path,
					     oid,
					     size,
					     href,
					     g_variant_new_parsed(typed),
					     g_variant_new_parsed("@a{sv} {}")),
			       G_VARIANT_TYPE("(o)"),
			       &error);
	g_assert_null(reply);
	hubd_test_assert_remote_error(error, "org.hubd.Hub1.Error.InvalidArgument");
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, message_part));
}

static void
test_lfs_upload_invalid(Fixture *f, gconstpointer data)
{
	g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
	g_autofree gchar *file = g_build_filename(f->tmp, "object", NULL);
	g_autofree gchar *missing = g_build_filename(f->tmp, "missing", NULL);
	g_autofree gchar *oid = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "0123456789", 10);
	g_autofree gchar *parts = NULL;

	hubd_test_write_file(file, "0123456789");
	parts = g_strdup_printf("{'chunk_size': '4', '00001': '%s/p1', '00002': '%s/p2'}",
				f->hub->cdn_url,
				f->hub->cdn_url);
	assert_refused(bus, "object", oid, 10, f->hub->url, "{}", "must be absolute");
	assert_refused(bus, missing, oid, 10, f->hub->url, "{}", "is not a readable file");
	assert_refused(bus, file, oid, 11, f->hub->url, "{}", "has 10 bytes, not 11");
	assert_refused(bus, file, "abc", 10, f->hub->url, "{}", "Not a SHA-256");
	/* ceil(10 / 4) = 3 parts, not 2 */
	assert_refused(bus, file, oid, 10, f->hub->url, parts, "expected 3");
	assert_refused(bus, file, oid, 10, "file:///etc/passwd", "{}", "no usable URL");
	/* nothing reached the Hub */
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "PUT", NULL, NULL), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/git/enable-largefiles",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_enable_largefiles,
		   fixture_teardown);
	g_test_add("/git/credential",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_credential,
		   fixture_teardown);
	g_test_add("/git/credential-not-logged-in",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_credential_not_logged_in,
		   fixture_teardown);
	g_test_add("/git/push", Fixture, NULL, fixture_setup, test_push, fixture_teardown);
	g_test_add("/git/push-bad-part",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_push_bad_part,
		   fixture_teardown);
	g_test_add("/git/push-cancelled",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_push_cancelled,
		   fixture_teardown);
	g_test_add("/git/agent-protocol",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_agent_protocol,
		   fixture_teardown);
	g_test_add("/git/lfs-upload-invalid",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_lfs_upload_invalid,
		   fixture_teardown);
	return g_test_run();
}
