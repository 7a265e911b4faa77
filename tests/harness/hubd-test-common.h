/* hubd-test-common.h: what every daemon and CLI test shares.
 *
 * Tests run under tests/hubd-test-env.sh (a private session bus, an unlocked
 * keyring, a fresh HOME/XDG) and find the build-tree programs in the
 * environment meson sets: HUBD_TEST_HUBD, HUBD_TEST_HUBCTL, HUBD_TEST_TESTHUB,
 * HUBD_TEST_USERS, HUBD_TEST_PLUGIN_DIR.
 *
 * Everything here is bounded in time: a daemon that does not come up, a
 * hubctl that hangs or a testhub that prints nothing fails the test (with the
 * child's log) instead of hanging it. Children get SIGKILL when the test
 * process dies. Failures are g_assert()s: these are for tests only.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Seconds a helper waits for a child (start-up, exit, a hubctl run). */
#define HUBD_TEST_TIMEOUT_S 20

#define HUBD_TEST_BUS_NAME     "org.hubd.Hub1"
#define HUBD_TEST_OBJECT_PATH  "/org/hubd/Hub1"
#define HUBD_TEST_DAEMON_IFACE "org.hubd.Hub1.Daemon"

typedef struct {
	GSubprocess *proc;
	gchar *socket_path; /* <tmp>/hubd/bus unless --socket was given */
	gchar *log_path;    /* hubd's stdout + stderr (--verbose) */
	gchar *plugin_dir;  /* what hubd was told; NULL if it came from extra_env */
	gchar *tmp_dir;     /* removed by stop/kill */
} HubdTestDaemon;

/* Starts the build-tree hubd (env HUBD_TEST_HUBD) with --verbose, its output to
 * log_path, the socket in a fresh temporary directory (unless extra_args has
 * --socket) and --plugin-dir HUBD_TEST_PLUGIN_DIR (unless extra_args has
 * --plugin-dir or extra_env sets HUBD_PLUGIN_DIR). extra_args and extra_env
 * ("K=V") are NULL-terminated, either may be NULL. Waits until this very
 * process owns org.hubd.Hub1 on the session bus (with "--no-bus" among the
 * args: until its socket answers GetStatus with its pid); asserts, showing the
 * log, if it exits or does not get there in time.
 * HUBD_TEST_DEFAULT_SOCKET among extra_args is not passed on: hubd then uses
 * its default socket, $XDG_RUNTIME_DIR/hubd/bus. */
#define HUBD_TEST_DEFAULT_SOCKET "--test-default-socket"
/* For a child a test starts itself (GSpawnChildSetupFunc): it dies with
 * the test, even one that aborts before its teardown. */
void
hubd_test_child_setup(gpointer user_data);

HubdTestDaemon *
hubd_test_daemon_start(const gchar *const *extra_args, const gchar *const *extra_env);
/* SIGTERM, wait (bounded), assert exit status 0, free. */
void
hubd_test_daemon_stop(HubdTestDaemon *d);
/* SIGKILL, wait, free. */
void
hubd_test_daemon_kill(HubdTestDaemon *d);
/* Frees a daemon that has already exited (asserts it has). */
void
hubd_test_daemon_free(HubdTestDaemon *d);
gchar *
hubd_test_daemon_read_log(HubdTestDaemon *d);
/* The daemon's pid, or 0 once it has exited. */
GPid
hubd_test_daemon_get_pid(HubdTestDaemon *d);
/* TRUE while the process runs. */
gboolean
hubd_test_daemon_is_running(HubdTestDaemon *d);
/* Waits up to timeout_ms for the daemon to exit by itself; returns FALSE if it
 * is still running. On TRUE, *exit_status is its exit code (-1: killed by a
 * signal). */
gboolean
hubd_test_daemon_wait_exit(HubdTestDaemon *d, guint timeout_ms, gint *exit_status);

/* Runs hubd (env HUBD_TEST_HUBD) to completion, for the cases where it must
 * refuse to start: returns its exit code (-1 for a signal), its stdout+stderr
 * in *output. Asserts if it is still running after HUBD_TEST_TIMEOUT_S (then
 * it is killed). No arguments are added. */
gint
hubd_test_run_hubd(const gchar *const *args, const gchar *const *extra_env, gchar **output);

typedef struct {
	GSubprocess *proc;
	gchar *url;     /* "http://127.0.0.1:PORT" */
	gchar *cdn_url; /* may be NULL */
	gchar *root;
	gchar *admin_secret;
	GThread *drain_thread; /* private: reads what testhub prints after the URL */
} HubdTestHub;

/* Starts hubd-testhub (env HUBD_TEST_TESTHUB) on a free loopback port with a
 * temporary --root (or the one in extra_args), --users from env
 * HUBD_TEST_USERS and a random --admin-secret; extra_args are appended;
 * reads the URL line (bounded). */
HubdTestHub *
hubd_test_hub_start(const gchar *const *extra_args);
/* SIGTERM, wait (bounded; SIGKILL after), remove the root (a caller's
 * too), free. */
void
hubd_test_hub_stop(HubdTestHub *h);

/* Runs the build-tree hubctl (env HUBD_TEST_HUBCTL) with argv (the arguments
 * only, e.g. {"status", "--json", NULL}; a leading "hubctl" is skipped), stdin
 * from stdin_text (NULL: empty stdin), captures stdout and stderr (out/err may
 * be NULL) and returns the exit code (-1: killed by a signal). Bounded: asserts
 * if hubctl runs longer than HUBD_TEST_TIMEOUT_S. */
gint
hubd_test_run_hubctl(const gchar *const *argv, const gchar *stdin_text, gchar **out, gchar **err);
/* The same with a command prefix (e.g. {"setpriv", "--reuid=nobody", ..., NULL})
 * and extra environment, both may be NULL. In every extra_env of this file
 * "K=V" sets K and a bare "K" unsets it. */
gint
hubd_test_run_hubctl_full(const gchar *const *prefix,
			  const gchar *const *argv,
			  const gchar *const *extra_env,
			  const gchar *stdin_text,
			  gchar **out,
			  gchar **err);

/* Runs any command (argv[0] looked up in PATH) the same bounded way. */
gint
hubd_test_run_command(const gchar *const *argv,
		      const gchar *const *extra_env,
		      const gchar *stdin_text,
		      gchar **out,
		      gchar **err);

/* A peer-to-peer GDBusConnection to the daemon's socket (EXTERNAL auth);
 * asserts on failure. */
GDBusConnection *
hubd_test_connect_socket(const gchar *socket_path);
/* The same, returning NULL and an error instead of asserting. */
GDBusConnection *
hubd_test_try_connect_socket(const gchar *socket_path, GError **error);
/* The session bus of the test environment: the process's shared connection
 * (g_bus_get_sync), so never close it. */
GDBusConnection *
hubd_test_session_bus(void);
/* A connection of its own to the session bus (another app, or an owner that
 * leaves the bus when it is closed); the caller owns it. */
GDBusConnection *
hubd_test_private_session_bus(void);

/* org.hubd.Hub1.Daemon.GetStatus({}) on `connection` (bus name used only when
 * it is a message bus connection); asserts on error. Returns a{sv}. */
GVariant *
hubd_test_get_status(GDBusConnection *connection);
/* The daemon is still up and answering: GetStatus works. */
void
hubd_test_assert_daemon_answers(GDBusConnection *connection);
/* A property of org.hubd.Hub1.Daemon via org.freedesktop.DBus.Properties.Get. */
GVariant *
hubd_test_get_property(GDBusConnection *connection, const gchar *name);
/* Calls a method at /org/hubd/Hub1 (bounded); NULL + error on failure. */
GVariant *
hubd_test_call(GDBusConnection *connection,
	       const gchar *interface_name,
	       const gchar *method,
	       GVariant *parameters,
	       const GVariantType *reply_type,
	       GError **error);

/* The pid owning `name` on the session bus, 0 if none. */
guint32
hubd_test_bus_name_owner_pid(const gchar *name);

/* Parses JSON text and asserts it is valid; returns the root node. */
JsonNode *
hubd_test_parse_json(const gchar *text);

/* `error` is a D-Bus error from hubd named `name` (org.hubd.Hub1.Error.*). */
void
hubd_test_assert_remote_error(const GError *error, const gchar *name);

/* Iterates the thread-default main context until cond(user_data) is TRUE or
 * timeout_ms passes, checking every 10 ms; returns the last cond() result. */
gboolean
hubd_test_wait_for(gboolean (*cond)(gpointer user_data), gpointer user_data, guint timeout_ms);

/* Writes `contents` to `path`, creating parent directories (0700). */
void
hubd_test_write_file(const gchar *path, const gchar *contents);
/* Removes a file tree (best effort, for temporary directories). */
void
hubd_test_rm_rf(const gchar *path);
/* The bytes an unprivileged writer may still put on the file system that
 * holds `path` (statvfs; asserts it answers). */
guint64
hubd_test_free_bytes(const gchar *path);

/* hubd-test-output.c: the one line a command printed on stdout, without its
 * newline (asserting there is exactly one); a file's exact bytes. */
gchar *
hubd_test_one_line(const gchar *out);
void
hubd_test_assert_file_equals(const gchar *path, const gchar *expected);

G_END_DECLS
