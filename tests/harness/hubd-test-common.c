/* hubd-test-common.c: start and stop hubd for tests, bounded in time, and
 * what the other harness files share: the children's environment, waiting
 * for a child or on a main context, files. Programs run to completion and
 * hubd-testhub are in hubd-test-run.c, D-Bus in hubd-test-dbus.c. */
#define G_LOG_DOMAIN "HubdTest"

#include "hubd-test-common.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>

#include "hubd-test-common-private.h"
#include "hubd-test-crashlog.h"

#define HUBD_TEST_POLL_MS 10

/* ---- small things ---- */

const gchar *
hubd_test_require_env(const gchar *name)
{
	const gchar *value = g_getenv(name);

	if (value == NULL || value[0] == '\0') {
		g_autofree gchar *msg = g_strdup_printf(
			"%s is not set: run this test through meson (meson test -C BUILD)",
			name);
		g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
	}
	return value;
}

gboolean
hubd_test_strv_has_option(const gchar *const *args, const gchar *option, const gchar **value)
{
	gsize len = strlen(option);

	for (guint i = 0; args != NULL && args[i] != NULL; i++) {
		if (g_strcmp0(args[i], option) == 0) {
			if (value != NULL)
				*value = args[i + 1];
			return TRUE;
		}
		if (strncmp(args[i], option, len) == 0 && args[i][len] == '=') {
			if (value != NULL)
				*value = args[i] + len + 1;
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean
hubd_test_env_has(const gchar *const *env, const gchar *name)
{
	gsize len = strlen(name);

	for (guint i = 0; env != NULL && env[i] != NULL; i++) {
		if (strncmp(env[i], name, len) == 0 && env[i][len] == '=')
			return TRUE;
	}
	return FALSE;
}

void
hubd_test_child_setup(gpointer user_data)
{
	/* no orphaned daemons when a test aborts */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* the test process ignores it (see below); its children must not */
	signal(SIGPIPE, SIG_DFL);
}

/* "K=V" sets K, a bare "K" unsets it */
GSubprocessLauncher *
hubd_test_launcher_new(GSubprocessFlags flags, const gchar *const *extra_env)
{
	GSubprocessLauncher *launcher = g_subprocess_launcher_new(flags);

	/* feeding stdin to a child that exits early must not kill the test */
	signal(SIGPIPE, SIG_IGN);
	for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++) {
		const gchar *eq = strchr(extra_env[i], '=');
		if (eq == NULL) {
			g_subprocess_launcher_unsetenv(launcher, extra_env[i]);
		} else {
			g_autofree gchar *key = g_strndup(extra_env[i], eq - extra_env[i]);
			g_subprocess_launcher_setenv(launcher, key, eq + 1, TRUE);
		}
	}
	g_subprocess_launcher_set_child_setup(launcher, hubd_test_child_setup, NULL, NULL);
	return launcher;
}

gint
hubd_test_exit_code(GSubprocess *proc)
{
	if (g_subprocess_get_if_exited(proc))
		return g_subprocess_get_exit_status(proc);
	return -1;
}

/* ---- waiting ---- */

static gboolean
hubd_test_flag_cb(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
	return G_SOURCE_REMOVE;
}

/* Iterates `context` (the caller's thread-default, where its async call
 * dispatches) until *done. After timeout_ms it gives up: kills `proc` and
 * cancels `cancellable` (either may be NULL), then keeps iterating until the
 * callback has run, so it never fires into a stack frame that is gone.
 * Returns FALSE when it had to give up. */
gboolean
hubd_test_iterate_until(GMainContext *context,
			const gboolean *done,
			guint timeout_ms,
			GCancellable *cancellable,
			GSubprocess *proc)
{
	g_autoptr(GSource) timeout = g_timeout_source_new(timeout_ms);
	gboolean timed_out = FALSE;

	g_source_set_callback(timeout, hubd_test_flag_cb, &timed_out, NULL);
	g_source_attach(timeout, context);
	while (!*done && !timed_out)
		g_main_context_iteration(context, TRUE);
	g_source_destroy(timeout);
	if (*done)
		return TRUE;
	if (proc != NULL)
		g_subprocess_force_exit(proc);
	if (cancellable != NULL)
		g_cancellable_cancel(cancellable);
	while (!*done)
		g_main_context_iteration(context, TRUE);
	return FALSE;
}

static void
hubd_test_proc_wait_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_subprocess_wait_finish(G_SUBPROCESS(source), res, NULL);
	*(gboolean *)user_data = TRUE;
}

/* TRUE once `proc` has exited, FALSE if it still runs after timeout_ms */
gboolean
hubd_test_proc_wait(GSubprocess *proc, guint timeout_ms)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	gboolean done = FALSE;

	g_main_context_push_thread_default(context);
	g_subprocess_wait_async(proc, cancellable, hubd_test_proc_wait_cb, &done);
	hubd_test_iterate_until(context, &done, timeout_ms, cancellable, NULL);
	g_main_context_pop_thread_default(context);
	return g_subprocess_get_identifier(proc) == NULL;
}

gboolean
hubd_test_wait_for(gboolean (*cond)(gpointer user_data), gpointer user_data, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	while (!cond(user_data)) {
		if (g_get_monotonic_time() >= deadline)
			return cond(user_data);
		while (g_main_context_iteration(NULL, FALSE))
			;
		g_usleep(HUBD_TEST_POLL_MS * 1000);
	}
	return TRUE;
}

/* ---- files ---- */

void
hubd_test_write_file(const gchar *path, const gchar *contents)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_file_set_contents(path, contents, -1, &error);
	g_assert_no_error(error);
}

void
hubd_test_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = NULL;
	const gchar *name;
	GStatBuf st;

	if (path == NULL || g_lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		/* a test may have taken permissions away */
		g_chmod(path, 0700);
		dir = g_dir_open(path, 0, NULL);
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			hubd_test_rm_rf(child);
		}
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

guint64
hubd_test_free_bytes(const gchar *path)
{
	struct statvfs st;

	g_assert_cmpint(statvfs(path, &st), ==, 0);
	return (guint64)st.f_bavail * st.f_frsize;
}

JsonNode *
hubd_test_parse_json(const gchar *text)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;

	g_assert_nonnull(text);
	if (!json_parser_load_from_data(parser, text, -1, &error)) {
		g_printerr("not JSON (%s):\n%s\n", error->message, text);
		g_assert_no_error(error);
	}
	g_assert_nonnull(json_parser_get_root(parser));
	return json_node_copy(json_parser_get_root(parser));
}

/* ---- hubd ---- */

static void
hubd_test_daemon_fail(HubdTestDaemon *d, const gchar *what)
{
	g_autofree gchar *log = hubd_test_daemon_read_log(d);
	g_autofree gchar *msg = g_strdup_printf("hubd %s (log: %s)", what, d->log_path);

	g_printerr("---- hubd log (%s) ----\n%s\n---- end of hubd log ----\n", d->log_path, log);
	hubd_test_crashlog_remove(d->log_path); /* shown whole already */
	if (g_subprocess_get_identifier(d->proc) != NULL)
		g_subprocess_force_exit(d->proc);
	g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
}

GPid
hubd_test_daemon_get_pid(HubdTestDaemon *d)
{
	const gchar *id = g_subprocess_get_identifier(d->proc);

	return id != NULL ? (GPid)g_ascii_strtoll(id, NULL, 10) : 0;
}

gboolean
hubd_test_daemon_is_running(HubdTestDaemon *d)
{
	return g_subprocess_get_identifier(d->proc) != NULL;
}

gchar *
hubd_test_daemon_read_log(HubdTestDaemon *d)
{
	gchar *contents = NULL;

	if (!g_file_get_contents(d->log_path, &contents, NULL, NULL))
		return g_strdup("");
	return contents;
}

/* TRUE when the daemon `d` answers, as configured: owns the bus name, or (no
 * bus) answers GetStatus on its socket with its own pid */
static gboolean
hubd_test_daemon_is_ready(HubdTestDaemon *d, gboolean no_bus)
{
	GPid pid = hubd_test_daemon_get_pid(d);
	g_autoptr(GDBusConnection) connection = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) status = NULL;
	guint32 status_pid = 0;

	if (pid == 0)
		return FALSE;
	if (!no_bus)
		return hubd_test_bus_name_owner_pid(HUBD_TEST_BUS_NAME) == (guint32)pid;
	if (!g_file_test(d->socket_path, G_FILE_TEST_EXISTS))
		return FALSE;
	connection = hubd_test_try_connect_socket(d->socket_path, NULL);
	if (connection == NULL)
		return FALSE;
	/* the socket may still be a replaced daemon's, going away: no assert */
	reply = hubd_test_call(
		connection,
		HUBD_TEST_DAEMON_IFACE,
		"GetStatus",
		g_variant_new("(@a{sv})", g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
		G_VARIANT_TYPE("(a{sv})"),
		NULL);
	g_dbus_connection_close_sync(connection, NULL, NULL);
	if (reply == NULL)
		return FALSE;
	status = g_variant_get_child_value(reply, 0);
	g_variant_lookup(status, "pid", "u", &status_pid);
	return status_pid == (guint32)pid;
}

HubdTestDaemon *
hubd_test_daemon_start(const gchar *const *extra_args, const gchar *const *extra_env)
{
	const gchar *hubd = hubd_test_require_env("HUBD_TEST_HUBD");
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GError) error = NULL;
	HubdTestDaemon *d = g_new0(HubdTestDaemon, 1);
	const gchar *value = NULL;
	gboolean no_bus = hubd_test_strv_has_option(extra_args, "--no-bus", NULL);
	gint64 deadline;

	d->tmp_dir = g_dir_make_tmp("hubd-test-XXXXXX", &error);
	g_assert_no_error(error);
	d->log_path = g_build_filename(d->tmp_dir, "hubd.log", NULL);

	g_ptr_array_add(argv, (gpointer)hubd);
	g_ptr_array_add(argv, (gpointer) "--verbose");
	if (hubd_test_strv_has_option(extra_args, "--socket", &value)) {
		g_assert_nonnull(value);
		d->socket_path = g_strdup(value);
	} else if (hubd_test_strv_has_option(extra_args, HUBD_TEST_DEFAULT_SOCKET, NULL)) {
		d->socket_path = g_build_filename(g_get_user_runtime_dir(), "hubd", "bus", NULL);
	} else {
		d->socket_path = g_build_filename(d->tmp_dir, "hubd", "bus", NULL);
		g_ptr_array_add(argv, (gpointer) "--socket");
		g_ptr_array_add(argv, d->socket_path);
	}
	if (hubd_test_strv_has_option(extra_args, "--plugin-dir", &value)) {
		d->plugin_dir = g_strdup(value);
	} else if (!hubd_test_env_has(extra_env, "HUBD_PLUGIN_DIR")) {
		d->plugin_dir = g_strdup(hubd_test_require_env("HUBD_TEST_PLUGIN_DIR"));
		g_ptr_array_add(argv, (gpointer) "--plugin-dir");
		g_ptr_array_add(argv, d->plugin_dir);
	}
	for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++) {
		if (g_strcmp0(extra_args[i], HUBD_TEST_DEFAULT_SOCKET) != 0)
			g_ptr_array_add(argv, (gpointer)extra_args[i]);
	}
	g_ptr_array_add(argv, NULL);

	launcher = hubd_test_launcher_new(G_SUBPROCESS_FLAGS_STDERR_MERGE, extra_env);
	g_subprocess_launcher_set_stdout_file_path(launcher, d->log_path);
	d->proc = g_subprocess_launcher_spawnv(launcher, (const gchar *const *)argv->pdata, &error);
	g_assert_no_error(error);
	hubd_test_crashlog_add(d->log_path);

	deadline = g_get_monotonic_time() + HUBD_TEST_TIMEOUT_S * G_USEC_PER_SEC;
	while (!hubd_test_daemon_is_ready(d, no_bus)) {
		if (!hubd_test_daemon_is_running(d)) {
			g_subprocess_wait(d->proc, NULL, NULL);
			hubd_test_daemon_fail(d, "exited during start-up");
		}
		if (g_get_monotonic_time() > deadline)
			hubd_test_daemon_fail(d,
					      no_bus ? "did not answer on its socket in time"
						     : "did not own " HUBD_TEST_BUS_NAME
						       " in time");
		g_usleep(HUBD_TEST_POLL_MS * 1000);
	}
	return d;
}

gboolean
hubd_test_daemon_wait_exit(HubdTestDaemon *d, guint timeout_ms, gint *exit_status)
{
	if (!hubd_test_proc_wait(d->proc, timeout_ms))
		return FALSE;
	if (exit_status != NULL)
		*exit_status = hubd_test_exit_code(d->proc);
	return TRUE;
}

void
hubd_test_daemon_free(HubdTestDaemon *d)
{
	if (d == NULL)
		return;
	if (hubd_test_daemon_is_running(d))
		hubd_test_daemon_fail(d, "is still running when freed");
	g_object_unref(d->proc);
	hubd_test_crashlog_remove(d->log_path);
	hubd_test_rm_rf(d->tmp_dir);
	g_free(d->tmp_dir);
	g_free(d->socket_path);
	g_free(d->log_path);
	g_free(d->plugin_dir);
	g_free(d);
}

static gboolean
hubd_test_daemon_lsan_crashed(HubdTestDaemon *d)
{
	g_autofree gchar *log = hubd_test_daemon_read_log(d);

	return strstr(log, "LeakSanitizer has encountered a fatal error") != NULL &&
	       strstr(log, "detected memory leaks") == NULL &&
	       strstr(log, "ERROR: AddressSanitizer") == NULL;
}

void
hubd_test_daemon_stop(HubdTestDaemon *d)
{
	gint status = -1;

	g_assert_nonnull(d);
	if (!hubd_test_daemon_is_running(d))
		hubd_test_daemon_fail(d, "had exited before it was stopped");
	g_subprocess_send_signal(d->proc, SIGTERM);
	if (!hubd_test_daemon_wait_exit(d, HUBD_TEST_TIMEOUT_S * 1000, &status))
		hubd_test_daemon_fail(d, "did not exit after SIGTERM");
	if (status != 0 && hubd_test_daemon_lsan_crashed(d)) {
		/* LeakSanitizer's own stop-the-world tracer can crash on a loaded
		 * machine ("Tracer caught signal 11"): no leak was reported, and
		 * hubd's exit up to the check was clean */
		g_test_message("LeakSanitizer crashed in its exit check (not a leak report)");
		status = 0;
	}
	if (status != 0) {
		g_autofree gchar *what = g_strdup_printf(
			"exited with status %d after SIGTERM, expected 0 (-1: a signal)",
			status);
		hubd_test_daemon_fail(d, what);
	}
	hubd_test_daemon_free(d);
}

void
hubd_test_daemon_kill(HubdTestDaemon *d)
{
	g_assert_nonnull(d);
	if (hubd_test_daemon_is_running(d))
		g_subprocess_force_exit(d->proc);
	/* SIGKILL cannot be ignored */
	g_assert_true(hubd_test_proc_wait(d->proc, HUBD_TEST_TIMEOUT_S * 1000));
	hubd_test_daemon_free(d);
}
