/* hubd-job-test.c: org.hubd.Hub1.Job with a real daemon — progress and its
 * coalescing, Completed and the final properties, failure, Cancel, the owner
 * leaving (bus and socket), linger, the ObjectManager on both connections,
 * no idle exit while a job runs. Jobs come from the test plugin's StartJob. */
#define G_LOG_DOMAIN "HubdJobTest"

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-test-job.h"

#define START_JOB  "org.hubd.Hub1.TestPlugin.StartJob"
#define JOB_IFACE  "org.hubd.Hub1.Job"
#define WAIT_MS    (HUBD_TEST_TIMEOUT_S * 1000)
#define LONG_STEPS 100000 /* a job that runs until cancelled */
/* long enough to read a finished job's properties, short enough to wait for */
#define LINGER_ARGS "--set", "jobs.linger-seconds=2"

typedef struct {
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *args[] = {LINGER_ARGS, NULL};

	f->daemon = hubd_test_daemon_start(args, NULL);
	f->bus = hubd_test_session_bus();
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->bus);
	if (f->daemon != NULL)
		hubd_test_daemon_stop(f->daemon);
}

/* StartJob's parameters; `options` in GVariant text format, NULL for none */
static GVariant *
start_job_params(guint steps, guint step_ms, gboolean fail, const gchar *options)
{
	return g_variant_new("(uub@a{sv})",
			     steps,
			     step_ms,
			     fail,
			     g_variant_new_parsed(options != NULL ? options : "@a{sv} {}"));
}

static gchar *
start_job(GDBusConnection *c, guint steps, guint step_ms, gboolean fail)
{
	return hubd_test_start_job(c,
				   START_JOB,
				   start_job_params(steps, step_ms, fail, NULL),
				   NULL);
}

static GVariant *
job_property(GDBusConnection *c, const gchar *path, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	GVariant *value = NULL;

	reply = g_dbus_connection_call_sync(
		c,
		g_dbus_connection_get_unique_name(c) != NULL ? HUBD_TEST_BUS_NAME : NULL,
		path,
		"org.freedesktop.DBus.Properties",
		"Get",
		g_variant_new("(ss)", JOB_IFACE, name),
		G_VARIANT_TYPE("(v)"),
		G_DBUS_CALL_FLAGS_NONE,
		WAIT_MS,
		NULL,
		&error);
	g_assert_no_error(error);
	g_variant_get(reply, "(v)", &value);
	return value;
}

static gboolean
try_cancel_job(GDBusConnection *c, const gchar *path, GError **error)
{
	g_autoptr(GVariant) reply = NULL;

	reply = g_dbus_connection_call_sync(
		c,
		g_dbus_connection_get_unique_name(c) != NULL ? HUBD_TEST_BUS_NAME : NULL,
		path,
		JOB_IFACE,
		"Cancel",
		g_variant_new_parsed("(@a{sv} {},)"),
		G_VARIANT_TYPE_UNIT,
		G_DBUS_CALL_FLAGS_NONE,
		WAIT_MS,
		NULL,
		error);
	return reply != NULL;
}

static void
cancel_job(GDBusConnection *c, const gchar *path)
{
	g_autoptr(GError) error = NULL;

	try_cancel_job(c, path, &error);
	g_assert_no_error(error);
}

/* Whether the ObjectManager at /org/hubd/Hub1 on `c` lists `path` with a Job. */
static gboolean
manager_has_job(GDBusConnection *c, const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) objects = NULL;
	g_autoptr(GVariant) ifaces = NULL;
	g_autoptr(GVariant) job = NULL;

	reply = g_dbus_connection_call_sync(
		c,
		g_dbus_connection_get_unique_name(c) != NULL ? HUBD_TEST_BUS_NAME : NULL,
		HUBD_TEST_OBJECT_PATH,
		"org.freedesktop.DBus.ObjectManager",
		"GetManagedObjects",
		NULL,
		G_VARIANT_TYPE("(a{oa{sa{sv}}})"),
		G_DBUS_CALL_FLAGS_NONE,
		WAIT_MS,
		NULL,
		&error);
	g_assert_no_error(error);
	objects = g_variant_get_child_value(reply, 0);
	ifaces = g_variant_lookup_value(objects, path, G_VARIANT_TYPE("a{sa{sv}}"));
	if (ifaces != NULL)
		job = g_variant_lookup_value(ifaces, JOB_IFACE, NULL);
	return job != NULL;
}

typedef struct {
	GDBusConnection *c;
	const gchar *path;
} GoneData;

static gboolean
job_gone_cond(gpointer user_data)
{
	GoneData *d = user_data;

	return !manager_has_job(d->c, d->path);
}

static void
assert_lookup_str(GVariant *dict, const gchar *key, const gchar *expected)
{
	const gchar *value = NULL;

	g_assert_true(g_variant_lookup(dict, key, "&s", &value));
	g_assert_cmpstr(value, ==, expected);
}

/* ---- tests ---- */

static void
test_progress_coalesced(Fixture *f, gconstpointer data)
{
	const guint steps = 600;
	gint64 start = g_get_monotonic_time();
	guint64 called = (guint64)g_get_real_time();
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *path = start_job(f->bus, steps, 1, FALSE);
	g_autofree gchar *repos = NULL;
	guint64 ended;
	guint64 start_time = 0;
	guint64 expected_end = 1;
	gboolean cancelable = TRUE;
	g_autoptr(GVariant) bytes = NULL;
	g_autoptr(GVariant) files = NULL;
	g_autoptr(GVariant) total = NULL;
	g_autoptr(GVariant) kind = NULL;
	g_autoptr(GVariant) rate = NULL;
	gdouble seconds;
	guint32 n = 0;

	g_assert_true(g_str_has_prefix(path, "/org/hubd/Hub1/jobs/"));
	r = hubd_test_job_wait(f->bus, path, WAIT_MS);
	ended = (guint64)g_get_real_time();
	seconds = (gdouble)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	g_assert_true(r->ok);
	g_assert_cmpstr(r->state, ==, "completed");
	g_assert_cmpstr(r->error_name, ==, "");
	g_assert_cmpstr(r->message, ==, "");
	assert_lookup_str(r->result, "path", "/test/path");
	g_assert_true(g_variant_lookup(r->result, "steps", "u", &n));
	g_assert_cmpuint(n, ==, steps);
	/* 600 updates in a ~second arrive as a handful of signals: at most ten a
	 * second (plus the final flush and the state change) */
	g_test_message("%u PropertiesChanged in %.2f s", r->n_progress_signals, seconds);
	g_assert_cmpuint(r->n_progress_signals, >=, 1);
	g_assert_cmpuint(r->n_progress_signals, <=, (guint)(seconds * 10) + 4);
	g_assert_cmpuint(r->n_progress_signals, <, steps / 4);
	g_assert_cmpuint(r->max_bytes_done, ==, steps * 1000);

	/* the final values, as the job lingers */
	bytes = job_property(f->bus, path, "BytesDone");
	total = job_property(f->bus, path, "BytesTotal");
	files = job_property(f->bus, path, "FilesDone");
	kind = job_property(f->bus, path, "Kind");
	rate = job_property(f->bus, path, "Rate");
	g_assert_cmpuint(g_variant_get_uint64(bytes), ==, steps * 1000);
	g_assert_cmpuint(g_variant_get_uint64(total), ==, steps * 1000);
	g_assert_cmpuint(g_variant_get_uint32(files), ==, steps);
	g_assert_cmpstr(g_variant_get_string(kind, NULL), ==, "download");
	g_assert_cmpuint(g_variant_get_uint64(rate), ==, 0);
	/* it started running between the call and its end (wall clock, µs);
	 * an ended job expects nothing and cannot be cancelled */
	g_assert_true(g_variant_lookup(r->properties, "StartTime", "t", &start_time));
	g_assert_cmpuint(start_time, >=, called);
	g_assert_cmpuint(start_time, <=, ended);
	g_assert_true(g_variant_lookup(r->properties, "ExpectedEndTime", "t", &expected_end));
	g_assert_cmpuint(expected_end, ==, 0);
	g_assert_true(g_variant_lookup(r->properties, "Cancelable", "b", &cancelable));
	g_assert_false(cancelable);
	repos = hubd_test_job_repos(r);
	g_assert_cmpstr(repos, ==, "model:test/ticking@main");
}

typedef struct {
	GDBusConnection *c;
	const gchar *path;
} JobData;

static gboolean
job_has_rate_cond(gpointer user_data)
{
	JobData *d = user_data;
	g_autoptr(GVariant) rate = job_property(d->c, d->path, "Rate");

	return g_variant_get_uint64(rate) > 0;
}

static guint64
lookup_u64(GVariant *props, const gchar *key)
{
	guint64 v = 0;

	g_assert_true(g_variant_lookup(props, key, "t", &v));
	return v;
}

/* While a job runs: StartTime is set, ExpectedEndTime is where Rate takes the
 * bytes left (computed when the values were pushed, so between StartTime and
 * now), Cancelable is true and Repos names what the job works on. */
static void
test_properties_while_running(Fixture *f, gconstpointer data)
{
	g_autofree gchar *path = start_job(f->bus, LONG_STEPS, 20, FALSE);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) props = NULL;
	g_autoptr(GVariant) repos = NULL;
	g_autoptr(GError) error = NULL;
	JobData d = {f->bus, path};
	guint64 start_time, expected_end, done, total, rate, pushed, now;
	gboolean cancelable = FALSE;
	const gchar *type, *id, *revision;

	g_assert_true(hubd_test_wait_for(job_has_rate_cond, &d, WAIT_MS));
	reply = g_dbus_connection_call_sync(f->bus,
					    HUBD_TEST_BUS_NAME,
					    path,
					    "org.freedesktop.DBus.Properties",
					    "GetAll",
					    g_variant_new("(s)", JOB_IFACE),
					    G_VARIANT_TYPE("(a{sv})"),
					    G_DBUS_CALL_FLAGS_NONE,
					    WAIT_MS,
					    NULL,
					    &error);
	g_assert_no_error(error);
	now = (guint64)g_get_real_time();
	props = g_variant_get_child_value(reply, 0);
	start_time = lookup_u64(props, "StartTime");
	expected_end = lookup_u64(props, "ExpectedEndTime");
	done = lookup_u64(props, "BytesDone");
	total = lookup_u64(props, "BytesTotal");
	rate = lookup_u64(props, "Rate");
	g_test_message("start %" G_GUINT64_FORMAT " end %" G_GUINT64_FORMAT
		       " done %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " at %" G_GUINT64_FORMAT
		       " B/s",
		       start_time,
		       expected_end,
		       done,
		       total,
		       rate);
	g_assert_cmpuint(start_time, >, 0);
	g_assert_cmpuint(start_time, <=, now);
	g_assert_cmpuint(rate, >, 0);
	g_assert_cmpuint(total, >, done);
	g_assert_cmpuint(expected_end, >, start_time);
	/* the same values, one push: end - left / rate is when they were pushed
	 * (±1 µs of rounding) */
	pushed = expected_end - (guint64)((gdouble)(total - done) * G_USEC_PER_SEC / (gdouble)rate);
	g_assert_cmpuint(pushed + 1, >=, start_time);
	g_assert_cmpuint(pushed, <=, now + 1);
	g_assert_true(g_variant_lookup(props, "Cancelable", "b", &cancelable));
	g_assert_true(cancelable);
	repos = g_variant_lookup_value(props, "Repos", G_VARIANT_TYPE("a(sss)"));
	g_assert_nonnull(repos);
	g_assert_cmpuint(g_variant_n_children(repos), ==, 1);
	g_variant_get_child(repos, 0, "(&s&s&s)", &type, &id, &revision);
	g_assert_cmpstr(type, ==, "model");
	g_assert_cmpstr(id, ==, "test/ticking");
	g_assert_cmpstr(revision, ==, "main");
	cancel_job(f->bus, path);
}

/* A job that cannot be cancelled refuses Cancel (Forbidden) and outlives its
 * owner leaving; it runs to its end. */
static void
test_not_cancelable(Fixture *f, gconstpointer data)
{
	g_autoptr(GDBusConnection) other = hubd_test_private_session_bus();
	g_autofree gchar *path = NULL;
	g_autofree gchar *other_path = NULL;
	g_autoptr(GVariant) cancelable = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *remote = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(HubdTestJobResult) other_r = NULL;

	path = hubd_test_start_job(f->bus,
				   START_JOB,
				   start_job_params(20, 20, FALSE, "{'cancelable': <false>}"),
				   NULL);
	other_path = hubd_test_start_job(other,
					 START_JOB,
					 start_job_params(20, 20, FALSE, "{'cancelable': <false>}"),
					 NULL);
	cancelable = job_property(f->bus, path, "Cancelable");
	g_assert_false(g_variant_get_boolean(cancelable));
	g_assert_false(try_cancel_job(f->bus, path, &error));
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, "org.hubd.Hub1.Error.Forbidden");
	g_clear_error(&error);
	g_dbus_connection_close_sync(other, NULL, &error);
	g_assert_no_error(error);
	r = hubd_test_job_wait(f->bus, path, WAIT_MS);
	other_r = hubd_test_job_wait(f->bus, other_path, WAIT_MS);
	g_assert_cmpstr(r->state, ==, "completed");
	g_assert_cmpstr(other_r->state, ==, "completed");
}

static void
test_failed(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r =
		hubd_test_run_job(f->bus, START_JOB, start_job_params(3, 10, TRUE, NULL), WAIT_MS);

	g_assert_false(r->ok);
	g_assert_cmpstr(r->state, ==, "failed");
	g_assert_cmpstr(r->error_name, ==, "org.hubd.Hub1.Error.Failed");
	g_assert_nonnull(strstr(r->message, "failed after 3 steps"));
	g_assert_cmpuint(g_variant_n_children(r->result), ==, 0);
}

static void
test_cancel(Fixture *f, gconstpointer data)
{
	g_autofree gchar *path = start_job(f->bus, LONG_STEPS, 20, FALSE);
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GVariant) state = NULL;
	g_autoptr(GVariant) error_name = NULL;

	cancel_job(f->bus, path);
	r = hubd_test_job_wait(f->bus, path, WAIT_MS);
	g_assert_false(r->ok);
	g_assert_cmpstr(r->state, ==, "cancelled");
	g_assert_cmpstr(r->error_name, ==, "org.hubd.Hub1.Error.Cancelled");
	state = job_property(f->bus, path, "State");
	error_name = job_property(f->bus, path, "ErrorName");
	g_assert_cmpstr(g_variant_get_string(state, NULL), ==, "cancelled");
	g_assert_cmpstr(g_variant_get_string(error_name, NULL),
			==,
			"org.hubd.Hub1.Error.Cancelled");
	/* cancelling again, after the end, is harmless */
	cancel_job(f->bus, path);
}

static void
test_owner_leaves_bus(Fixture *f, gconstpointer data)
{
	g_autoptr(GDBusConnection) other = hubd_test_private_session_bus();
	g_autofree gchar *path = start_job(other, LONG_STEPS, 20, FALSE);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GVariant) state = job_property(f->bus, path, "State");

	g_assert_cmpstr(g_variant_get_string(state, NULL), !=, "cancelled");
	g_dbus_connection_close_sync(other, NULL, &error);
	g_assert_no_error(error);
	r = hubd_test_job_wait(f->bus, path, WAIT_MS);
	g_assert_cmpstr(r->state, ==, "cancelled");
	g_assert_cmpstr(r->error_name, ==, "org.hubd.Hub1.Error.Cancelled");
}

/* Completed's error name, once it came */
static void
completed_error_cb(GDBusConnection *connection,
		   const gchar *sender,
		   const gchar *path,
		   const gchar *iface,
		   const gchar *signal,
		   GVariant *params,
		   gpointer user_data)
{
	gchar **error_name = user_data;

	if (*error_name == NULL)
		g_variant_get(params, "(bs&sa{sv})", NULL, error_name, NULL, NULL);
}

static gboolean
string_set_cond(gpointer user_data)
{
	return *(gchar **)user_data != NULL;
}

static void
test_owner_leaves_socket(Fixture *f, gconstpointer data)
{
	g_autoptr(GDBusConnection) peer = hubd_test_connect_socket(f->daemon->socket_path);
	g_autofree gchar *path = start_job(peer, LONG_STEPS, 20, FALSE);
	g_autofree gchar *error_name = NULL;
	g_autoptr(GError) error = NULL;
	guint id;

	/* watched from before the owner leaves: on a loaded machine the job can
	 * end and linger out before a wait started afterwards reads it */
	id = g_dbus_connection_signal_subscribe(f->bus,
						NULL,
						JOB_IFACE,
						"Completed",
						path,
						NULL,
						G_DBUS_SIGNAL_FLAGS_NONE,
						completed_error_cb,
						&error_name,
						NULL);
	/* the socket's job is on the bus too (a round trip: the bus has the match
	 * rule before the owner leaves) */
	g_assert_true(manager_has_job(f->bus, path));
	g_dbus_connection_close_sync(peer, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(hubd_test_wait_for(string_set_cond, &error_name, WAIT_MS));
	g_dbus_connection_signal_unsubscribe(f->bus, id);
	g_assert_cmpstr(error_name, ==, "org.hubd.Hub1.Error.Cancelled");
}

static void
test_both_connections_and_linger(Fixture *f, gconstpointer data)
{
	g_autoptr(GDBusConnection) peer = hubd_test_connect_socket(f->daemon->socket_path);
	g_autofree gchar *path = start_job(f->bus, LONG_STEPS, 20, FALSE);
	g_autoptr(GVariant) state = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	GoneData gone = {f->bus, path};
	GoneData gone_peer = {peer, path};

	g_assert_true(manager_has_job(f->bus, path));
	g_assert_true(manager_has_job(peer, path));
	state = job_property(peer, path, "State");
	g_assert_cmpstr(g_variant_get_string(state, NULL), !=, "completed");
	/* a job started on the bus, cancelled and watched over the socket */
	cancel_job(peer, path);
	r = hubd_test_job_wait(peer, path, WAIT_MS);
	g_assert_cmpstr(r->state, ==, "cancelled");
	/* it lingers ([jobs] linger-seconds), then goes from both */
	g_assert_true(hubd_test_wait_for(job_gone_cond, &gone, WAIT_MS));
	g_assert_true(hubd_test_wait_for(job_gone_cond, &gone_peer, WAIT_MS));
}

static void
test_numbering(Fixture *f, gconstpointer data)
{
	g_autofree gchar *a = start_job(f->bus, 1, 1, FALSE);
	g_autofree gchar *b = start_job(f->bus, 1, 1, FALSE);
	guint64 na = g_ascii_strtoull(a + strlen("/org/hubd/Hub1/jobs/"), NULL, 10);
	guint64 nb = g_ascii_strtoull(b + strlen("/org/hubd/Hub1/jobs/"), NULL, 10);
	g_autoptr(HubdTestJobResult) ra = hubd_test_job_wait(f->bus, a, WAIT_MS);
	g_autoptr(HubdTestJobResult) rb = hubd_test_job_wait(f->bus, b, WAIT_MS);

	g_assert_cmpuint(na, >=, 1);
	g_assert_cmpuint(nb, ==, na + 1);
	g_assert_true(ra->ok);
	g_assert_true(rb->ok);
}

/* --idle-timeout 1 and a job of ~3 s: the daemon is still there to
 * complete it, and exits by itself once it is over. */
static void
test_no_idle_exit_while_running(void)
{
	const gchar *args[] = {"--set", "jobs.linger-seconds=1", "--idle-timeout", "1", NULL};
	HubdTestDaemon *d = hubd_test_daemon_start(args, NULL);
	g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
	g_autoptr(HubdTestJobResult) r =
		hubd_test_run_job(bus, START_JOB, start_job_params(30, 100, FALSE, NULL), WAIT_MS);
	gint status = -1;

	g_assert_true(r->ok);
	g_assert_true(hubd_test_daemon_wait_exit(d, WAIT_MS, &status));
	g_assert_cmpint(status, ==, 0);
	hubd_test_daemon_free(d);
}

/* SIGTERM with a job running: a clean exit (ASan checks the rest). */
static void
test_shutdown_with_job(void)
{
	HubdTestDaemon *d = hubd_test_daemon_start(NULL, NULL);
	g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
	g_autoptr(GDBusConnection) peer = hubd_test_connect_socket(d->socket_path);
	g_autofree gchar *path = start_job(bus, LONG_STEPS, 20, FALSE);
	g_autofree gchar *peer_path = start_job(peer, LONG_STEPS, 20, FALSE);

	g_assert_true(manager_has_job(bus, path));
	g_assert_true(manager_has_job(peer, peer_path));
	hubd_test_daemon_stop(d); /* asserts exit status 0 */
}

/* The local Hub helpers of hubd-test-hub-admin.h, which the transfer tests
 * build their fixtures with. */
static void
test_hub_admin_helpers(void)
{
	const gchar *token = "hf_alice_write_0000000000000000000000";
	HubdTestHub *h = hubd_test_hub_start(NULL);
	g_autofree gchar *big = g_strnfill(3000, 'w');
	g_autofree gchar *body = NULL;
	g_autofree gchar *commit = NULL;
	guint status;

	status = hubd_test_hub_http(h,
				    "POST",
				    "/api/repos/create",
				    token,
				    "{\"name\":\"fx\",\"type\":\"model\"}",
				    NULL);
	g_assert_cmpuint(status, ==, 200);
	hubd_test_hub_clear_requests(h);
	commit = hubd_test_hub_commit_files(h,
					    token,
					    "model",
					    "alice/fx",
					    "main",
					    1000,
					    "README.md",
					    "# fx\n",
					    "big.bin",
					    big,
					    NULL);
	g_assert_true(g_str_is_ascii(commit) && strlen(commit) == 40);
	g_assert_cmpuint(hubd_test_hub_count_requests(h, "POST", "/commit/main$", "hub"), ==, 1);
	g_assert_cmpuint(hubd_test_hub_count_requests(h, "POST", "lfs/objects/batch", NULL), ==, 1);
	g_assert_cmpuint(hubd_test_hub_count_requests(h, "PUT", NULL, "cdn"), ==, 1);

	/* the LFS file and the regular one are both there */
	status = hubd_test_hub_http(h, "GET", "/alice/fx/resolve/main/big.bin", token, NULL, &body);
	g_assert_cmpuint(status, ==, 200);
	g_assert_cmpstr(body, ==, big);
	g_clear_pointer(&body, g_free);
	status =
		hubd_test_hub_http(h, "GET", "/alice/fx/resolve/main/README.md", NULL, NULL, &body);
	g_assert_cmpuint(status, ==, 200);
	g_assert_cmpstr(body, ==, "# fx\n");

	/* a fault fires, then is gone */
	hubd_test_hub_add_fault(
		h,
		"{\"method\":\"GET\",\"path_regex\":\"README\",\"action\":\"status\","
		"\"status\":503,\"times\":0}");
	status = hubd_test_hub_http(h, "GET", "/alice/fx/resolve/main/README.md", NULL, NULL, NULL);
	g_assert_cmpuint(status, ==, 503);
	hubd_test_hub_clear_faults(h);
	status = hubd_test_hub_http(h, "GET", "/alice/fx/resolve/main/README.md", NULL, NULL, NULL);
	g_assert_cmpuint(status, ==, 200);
	g_assert_cmpuint(hubd_test_hub_count_requests(h, "GET", "README", NULL), ==, 3);
	hubd_test_hub_clear_requests(h);
	g_assert_cmpuint(hubd_test_hub_count_requests(h, NULL, NULL, NULL), ==, 0);
	hubd_test_hub_stop(h);
}

gint
main(gint argc, gchar **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, func) g_test_add(name, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("/job/progress-coalesced", test_progress_coalesced);
	ADD("/job/failed", test_failed);
	ADD("/job/cancel", test_cancel);
	ADD("/job/properties-while-running", test_properties_while_running);
	ADD("/job/not-cancelable", test_not_cancelable);
	ADD("/job/owner-leaves-bus", test_owner_leaves_bus);
	ADD("/job/owner-leaves-socket", test_owner_leaves_socket);
	ADD("/job/both-connections-and-linger", test_both_connections_and_linger);
	ADD("/job/numbering", test_numbering);
#undef ADD
	g_test_add_func("/job/no-idle-exit-while-running", test_no_idle_exit_while_running);
	g_test_add_func("/job/shutdown-with-job", test_shutdown_with_job);
	g_test_add_func("/test-helpers/hub-admin", test_hub_admin_helpers);
	return g_test_run();
}
