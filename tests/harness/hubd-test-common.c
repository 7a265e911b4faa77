/* hubd-test-common.c: start and stop hubd, hubd-testhub and hubctl for tests, bounded in time */
#define G_LOG_DOMAIN "HubdTest"

#include "hubd-test-common.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "hubd-test-crashlog.h"

#define HUBD_TEST_POLL_MS 10

/* ---- small things ---- */

static const gchar *
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

static gboolean
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
static GSubprocessLauncher *
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

static gint
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
static gboolean
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
static gboolean
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

void
hubd_test_assert_remote_error(const GError *error, const gchar *name)
{
	g_autofree gchar *remote = NULL;

	g_assert_nonnull(error);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, name);
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

/* ---- D-Bus ---- */

GDBusConnection *
hubd_test_session_bus(void)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);

	g_assert_no_error(error);
	return bus;
}

guint32
hubd_test_bus_name_owner_pid(const gchar *name)
{
	g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
	g_autoptr(GVariant) reply = NULL;
	guint32 pid = 0;

	reply = g_dbus_connection_call_sync(bus,
					    "org.freedesktop.DBus",
					    "/org/freedesktop/DBus",
					    "org.freedesktop.DBus",
					    "GetConnectionUnixProcessID",
					    g_variant_new("(s)", name),
					    G_VARIANT_TYPE("(u)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    HUBD_TEST_TIMEOUT_S * 1000,
					    NULL,
					    NULL);
	if (reply != NULL)
		g_variant_get(reply, "(u)", &pid);
	return pid;
}

GVariant *
hubd_test_call(GDBusConnection *connection,
	       const gchar *interface_name,
	       const gchar *method,
	       GVariant *parameters,
	       const GVariantType *reply_type,
	       GError **error)
{
	/* a peer-to-peer connection has no bus to route by name */
	const gchar *dest =
		g_dbus_connection_get_unique_name(connection) != NULL ? HUBD_TEST_BUS_NAME : NULL;

	return g_dbus_connection_call_sync(connection,
					   dest,
					   HUBD_TEST_OBJECT_PATH,
					   interface_name,
					   method,
					   parameters,
					   reply_type,
					   G_DBUS_CALL_FLAGS_NO_AUTO_START,
					   HUBD_TEST_TIMEOUT_S * 1000,
					   NULL,
					   error);
}

GVariant *
hubd_test_get_status(GDBusConnection *connection)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	GVariant *status = NULL;

	reply = hubd_test_call(
		connection,
		HUBD_TEST_DAEMON_IFACE,
		"GetStatus",
		g_variant_new("(@a{sv})", g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
		G_VARIANT_TYPE("(a{sv})"),
		&error);
	g_assert_no_error(error);
	g_variant_get(reply, "(@a{sv})", &status);
	return status;
}

GDBusConnection *
hubd_test_private_session_bus(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *address =
		g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SESSION, NULL, &error);
	GDBusConnection *c;

	g_assert_no_error(error);
	c = g_dbus_connection_new_for_address_sync(
		address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL,
		NULL,
		&error);
	g_assert_no_error(error);
	return c;
}

void
hubd_test_assert_daemon_answers(GDBusConnection *connection)
{
	g_autoptr(GVariant) status = hubd_test_get_status(connection);

	g_assert_nonnull(status);
}

GVariant *
hubd_test_get_property(GDBusConnection *connection, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	GVariant *value = NULL;

	reply = hubd_test_call(connection,
			       "org.freedesktop.DBus.Properties",
			       "Get",
			       g_variant_new("(ss)", HUBD_TEST_DAEMON_IFACE, name),
			       G_VARIANT_TYPE("(v)"),
			       &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(v)", &value);
	return value;
}

typedef struct {
	GDBusConnection *connection;
	GError *error;
	gboolean done;
} HubdTestConnect;

static void
hubd_test_connect_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTestConnect *data = user_data;

	data->connection = g_dbus_connection_new_for_address_finish(res, &data->error);
	data->done = TRUE;
}

GDBusConnection *
hubd_test_try_connect_socket(const gchar *socket_path, GError **error)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autofree gchar *escaped = g_dbus_address_escape_value(socket_path);
	g_autofree gchar *address = g_strdup_printf("unix:path=%s", escaped);
	HubdTestConnect data = {NULL, NULL, FALSE};

	g_main_context_push_thread_default(context);
	g_dbus_connection_new_for_address(address,
					  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
					  NULL,
					  cancellable,
					  hubd_test_connect_cb,
					  &data);
	hubd_test_iterate_until(context, &data.done, HUBD_TEST_TIMEOUT_S * 1000, cancellable, NULL);
	g_main_context_pop_thread_default(context);
	if (data.connection == NULL) {
		g_propagate_error(error, data.error);
		return NULL;
	}
	return data.connection;
}

GDBusConnection *
hubd_test_connect_socket(const gchar *socket_path)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *connection = hubd_test_try_connect_socket(socket_path, &error);

	if (error != NULL)
		g_printerr("cannot connect to %s: %s\n", socket_path, error->message);
	g_assert_no_error(error);
	return connection;
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

/* ---- running programs to completion ---- */

typedef struct {
	gchar *out;
	gchar *err;
	GError *error;
	gboolean done;
} HubdTestCommunicate;

static void
hubd_test_communicate_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTestCommunicate *data = user_data;

	g_subprocess_communicate_utf8_finish(G_SUBPROCESS(source),
					     res,
					     &data->out,
					     &data->err,
					     &data->error);
	data->done = TRUE;
}

/* argv[0] found in PATH; stdout and stderr captured; bounded */
static gint
hubd_test_run_argv(const gchar *const *argv,
		   const gchar *const *extra_env,
		   const gchar *stdin_text,
		   gboolean merge_stderr,
		   gchar **out,
		   gchar **err)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GMainContext) context = g_main_context_new();
	HubdTestCommunicate data = {NULL, NULL, NULL, FALSE};
	gboolean finished;
	GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE;
	g_autofree gchar *stdin_path = NULL;
	gint stdin_fd;

	flags |= merge_stderr ? G_SUBPROCESS_FLAGS_STDERR_MERGE : G_SUBPROCESS_FLAGS_STDERR_PIPE;
	launcher = hubd_test_launcher_new(flags, extra_env);
	/* stdin from a file, not a pipe: a program that refuses before reading
	 * its input must not fail the harness with EPIPE */
	stdin_fd = g_file_open_tmp("hubd-test-stdin-XXXXXX", &stdin_path, &error);
	g_assert_no_error(error);
	close(stdin_fd);
	g_file_set_contents(stdin_path, stdin_text != NULL ? stdin_text : "", -1, &error);
	g_assert_no_error(error);
	g_subprocess_launcher_set_stdin_file_path(launcher, stdin_path);
	proc = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_unlink(stdin_path);
	if (error != NULL)
		g_printerr("cannot run %s: %s\n", argv[0], error->message);
	g_assert_no_error(error);

	g_main_context_push_thread_default(context);
	g_subprocess_communicate_utf8_async(proc, NULL, NULL, hubd_test_communicate_cb, &data);
	/* on timeout, killing it closes its pipes, which completes communicate() */
	finished = hubd_test_iterate_until(context,
					   &data.done,
					   HUBD_TEST_TIMEOUT_S * 1000,
					   NULL,
					   proc);
	g_main_context_pop_thread_default(context);

	if (!finished) {
		g_autofree gchar *cmd = g_strjoinv(" ", (gchar **)argv);
		g_autofree gchar *msg = g_strdup_printf("“%s” still ran after %d s; killed",
							cmd,
							HUBD_TEST_TIMEOUT_S);
		g_printerr("stdout:\n%s\nstderr:\n%s\n",
			   data.out != NULL ? data.out : "",
			   data.err != NULL ? data.err : "");
		g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
	}
	g_assert_no_error(data.error);
	/* communicate() returns at EOF; the exit status may still be on its way */
	g_assert_true(hubd_test_proc_wait(proc, HUBD_TEST_TIMEOUT_S * 1000));

	if (out != NULL)
		*out = g_steal_pointer(&data.out);
	if (err != NULL)
		*err = g_steal_pointer(&data.err);
	g_free(data.out);
	g_free(data.err);
	return hubd_test_exit_code(proc);
}

gint
hubd_test_run_command(const gchar *const *argv,
		      const gchar *const *extra_env,
		      const gchar *stdin_text,
		      gchar **out,
		      gchar **err)
{
	return hubd_test_run_argv(argv, extra_env, stdin_text, FALSE, out, err);
}

gint
hubd_test_run_hubctl_full(const gchar *const *prefix,
			  const gchar *const *argv,
			  const gchar *const *extra_env,
			  const gchar *stdin_text,
			  gchar **out,
			  gchar **err)
{
	const gchar *hubctl = hubd_test_require_env("HUBD_TEST_HUBCTL");
	g_autoptr(GPtrArray) full = g_ptr_array_new();
	guint i = 0;

	for (guint j = 0; prefix != NULL && prefix[j] != NULL; j++)
		g_ptr_array_add(full, (gpointer)prefix[j]);
	g_ptr_array_add(full, (gpointer)hubctl);
	if (argv != NULL && argv[0] != NULL && g_strcmp0(argv[0], "hubctl") == 0)
		i = 1;
	for (; argv != NULL && argv[i] != NULL; i++)
		g_ptr_array_add(full, (gpointer)argv[i]);
	g_ptr_array_add(full, NULL);
	return hubd_test_run_argv((const gchar *const *)full->pdata,
				  extra_env,
				  stdin_text,
				  FALSE,
				  out,
				  err);
}

gint
hubd_test_run_hubctl(const gchar *const *argv, const gchar *stdin_text, gchar **out, gchar **err)
{
	return hubd_test_run_hubctl_full(NULL, argv, NULL, stdin_text, out, err);
}

gint
hubd_test_run_hubd(const gchar *const *args, const gchar *const *extra_env, gchar **output)
{
	const gchar *hubd = hubd_test_require_env("HUBD_TEST_HUBD");
	g_autoptr(GPtrArray) full = g_ptr_array_new();

	g_ptr_array_add(full, (gpointer)hubd);
	for (guint i = 0; args != NULL && args[i] != NULL; i++)
		g_ptr_array_add(full, (gpointer)args[i]);
	g_ptr_array_add(full, NULL);
	return hubd_test_run_argv((const gchar *const *)full->pdata,
				  extra_env,
				  NULL,
				  TRUE,
				  output,
				  NULL);
}

/* ---- hubd-testhub ---- */

typedef struct {
	gchar *line;
	GError *error;
	gboolean done;
} HubdTestReadLine;

static void
hubd_test_read_line_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTestReadLine *data = user_data;

	data->line = g_data_input_stream_read_line_finish_utf8(G_DATA_INPUT_STREAM(source),
							       res,
							       NULL,
							       &data->error);
	data->done = TRUE;
}

static gpointer
hubd_test_drain_thread(gpointer user_data)
{
	g_autoptr(GInputStream) stream = user_data;
	gchar buf[4096];

	/* whatever testhub prints after its URL must not fill the pipe */
	while (g_input_stream_read(stream, buf, sizeof buf, NULL, NULL) > 0)
		;
	return NULL;
}

HubdTestHub *
hubd_test_hub_start(const gchar *const *extra_args)
{
	const gchar *testhub = hubd_test_require_env("HUBD_TEST_TESTHUB");
	const gchar *users = hubd_test_require_env("HUBD_TEST_USERS");
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GDataInputStream) stdout_stream = NULL;
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) words = NULL;
	HubdTestReadLine data = {NULL, NULL, FALSE};
	gboolean in_time;
	HubdTestHub *h = g_new0(HubdTestHub, 1);

	h->root = g_dir_make_tmp("hubd-testhub-XXXXXX", &error);
	g_assert_no_error(error);
	h->admin_secret =
		g_strdup_printf("%08x%08x%08x", g_random_int(), g_random_int(), g_random_int());
	g_ptr_array_add(argv, (gpointer)testhub);
	g_ptr_array_add(argv, (gpointer) "--root");
	g_ptr_array_add(argv, h->root);
	g_ptr_array_add(argv, (gpointer) "--users");
	g_ptr_array_add(argv, (gpointer)users);
	g_ptr_array_add(argv, (gpointer) "--admin-secret");
	g_ptr_array_add(argv, h->admin_secret);
	if (!hubd_test_strv_has_option(extra_args, "--port", NULL)) {
		g_ptr_array_add(argv, (gpointer) "--port");
		g_ptr_array_add(argv, (gpointer) "0");
	}
	if (!hubd_test_strv_has_option(extra_args, "--host", NULL)) {
		g_ptr_array_add(argv, (gpointer) "--host");
		g_ptr_array_add(argv, (gpointer) "127.0.0.1");
	}
	for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)extra_args[i]);
	g_ptr_array_add(argv, NULL);

	launcher = hubd_test_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE, NULL);
	if (g_getenv("ASAN_OPTIONS") != NULL) {
		/* libsoup 3.2 leaks an accepted GSocket when a server shuts down with
		 * a keep-alive client; the local Hub is a test tool whose own logic is
		 * leak-checked in-process by its unit tests, so only hubd and the test
		 * programs keep leak detection here */
		g_autofree gchar *asan =
			g_strdup_printf("%s:detect_leaks=0", g_getenv("ASAN_OPTIONS"));
		g_subprocess_launcher_setenv(launcher, "ASAN_OPTIONS", asan, TRUE);
	}
	h->proc = g_subprocess_launcher_spawnv(launcher, (const gchar *const *)argv->pdata, &error);
	g_assert_no_error(error);

	stdout_stream = g_data_input_stream_new(g_subprocess_get_stdout_pipe(h->proc));
	g_main_context_push_thread_default(context);
	g_data_input_stream_read_line_async(stdout_stream,
					    G_PRIORITY_DEFAULT,
					    cancellable,
					    hubd_test_read_line_cb,
					    &data);
	in_time = hubd_test_iterate_until(context,
					  &data.done,
					  HUBD_TEST_TIMEOUT_S * 1000,
					  cancellable,
					  h->proc);
	g_main_context_pop_thread_default(context);

	if (data.line == NULL) {
		g_autofree gchar *msg = g_strdup_printf(
			"hubd-testhub printed no URL line%s%s",
			!in_time ? " in time" : "",
			data.error != NULL ? data.error->message : " (it exited; see stderr)");
		g_clear_error(&data.error);
		g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
	}
	/* "URL" or "URL CDN_URL" / "URL cdn=CDN_URL" */
	words = g_strsplit_set(g_strstrip(data.line), " \t", -1);
	g_free(data.line);
	g_assert_true(g_str_has_prefix(words[0], "http://") ||
		      g_str_has_prefix(words[0], "https://"));
	h->url = g_strdup(words[0]);
	for (guint i = 1; words[i] != NULL; i++) {
		const gchar *w = words[i];
		if (g_str_has_prefix(w, "cdn="))
			w += 4;
		if (h->cdn_url == NULL && g_str_has_prefix(w, "http"))
			h->cdn_url = g_strdup(w);
	}
	h->drain_thread =
		g_thread_new("testhub-stdout", hubd_test_drain_thread, g_object_ref(stdout_stream));
	return h;
}

void
hubd_test_hub_stop(HubdTestHub *h)
{
	if (h == NULL)
		return;
	if (g_subprocess_get_identifier(h->proc) != NULL) {
		g_subprocess_send_signal(h->proc, SIGTERM);
		if (!hubd_test_proc_wait(h->proc, HUBD_TEST_TIMEOUT_S * 1000)) {
			g_subprocess_force_exit(h->proc);
			g_assert_true(hubd_test_proc_wait(h->proc, HUBD_TEST_TIMEOUT_S * 1000));
		}
	}
	/* EOF on the pipe ends it */
	if (h->drain_thread != NULL)
		g_thread_join(h->drain_thread);
	g_object_unref(h->proc);
	hubd_test_rm_rf(h->root);
	g_free(h->root);
	g_free(h->url);
	g_free(h->cdn_url);
	g_free(h->admin_secret);
	g_free(h);
}
