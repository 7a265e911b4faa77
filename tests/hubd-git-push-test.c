/* hubd-git-push-test.c: `git push` with real git and git-lfs through hubd —
 * credentials from the helper, LFS objects through `hubctl
 * lfs-multipart-upload` as hubd jobs, read back through the Hub's LFS batch
 * download; a failing part retried; a push interrupted with Ctrl-C leaving
 * no object on the Hub */
#define G_LOG_DOMAIN "HubdGitPushTest"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "hubd-git-test-common.h"

#define PUSH_MS (120 * 1000)

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

/* a part the Hub refuses for good: git-lfs hears why, nothing is assembled */
static void
test_push_part_refused(Fixture *f, gconstpointer data)
{
	g_autoptr(Repo) r = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *rule = NULL;
	g_autofree gchar *complete = NULL;

	login(f);
	r = make_repo(f, 2 * CHUNK + 10);
	rule = g_strdup_printf("{\"method\":\"PUT\",\"origin\":\"cdn\",\"path_regex\":"
			       "\"^/upload/%s/[0-9a-f]+/2$\",\"action\":\"status\",\"status\":403,"
			       "\"times\":0}",
			       r->oid);
	hubd_test_hub_add_fault(f->hub, rule);
	g_assert_cmpint(push(f, r, "refused", &err), !=, 0);
	complete = g_strdup_printf("{\"event\":\"complete\",\"oid\":\"%s\",\"error\":{\"code\":2,"
				   "\"message\":\"",
				   r->oid);
	g_assert_nonnull(strstr(err, complete));
	g_assert_null(strstr(err, "the upload through hubd failed"));
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "POST", "^/_lfs/complete/", "hub"),
			 ==,
			 0);
	assert_hub_lacks(f, r);
	assert_no_token(err);
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

/* hubd's (verbose) log says an lfs-upload job ended cancelled */
static gboolean
job_cancelled(gpointer user_data)
{
	Fixture *f = user_data;
	g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

	return strstr(log, ": lfs-upload job") != NULL &&
	       strstr(log, " cancelled org.hubd.Hub1.Error.Cancelled") != NULL;
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

	/* the agent cancelled its job; nothing was assembled, nor is hubd still
	 * sending */
	g_assert_true(hubd_test_wait_for(job_cancelled, f, PUSH_MS));
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

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	fixture_add("/git/push", test_push);
	fixture_add("/git/push-bad-part", test_push_bad_part);
	fixture_add("/git/push-part-refused", test_push_part_refused);
	fixture_add("/git/push-cancelled", test_push_cancelled);
	return g_test_run();
}
