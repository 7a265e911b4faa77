/* hubd-spaces-plugin-test-logs.c: the Spaces plugin's logs (followed until
 * pause, stopped), Watch and sleep, over D-Bus against the local Hub */
#define G_LOG_DOMAIN "HubdSpacesTest"

#include "hubd-spaces-plugin-test.h"

/* Following the run log: lines as they come, until the Space is paused. */
static void
test_logs_follow_until_pause(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = wait_space(f, "alice/demo", 20);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) paused = NULL;
	Needle running = {f, "Running on local URL"};
	Needle pause_line = {f, "Space paused by its owner"};

	g_assert_true(r->ok);
	stream_logs(f, "alice/demo", "run", TRUE);
	g_assert_true(hubd_test_wait_for(line_seen, &running, 20000));
	g_assert_null(f->ended_error);
	paused = call(f,
		      "Pause",
		      g_variant_new_parsed("('alice/demo', @a{sv} {})"),
		      "(a{sv})",
		      &error);
	g_assert_no_error(error);
	g_assert_true(hubd_test_wait_for(logs_ended, f, 20000));
	g_assert_cmpstr(f->ended_error, ==, "");
	g_assert_true(line_seen(&pause_line));
}

/* StopLogs ends a followed build log at once, with LogsEnded; another
 * caller's (or an unknown) stream id is refused. */
static void
test_logs_stop(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) unknown = NULL;
	g_autoptr(GVariant) stopped = NULL;
	g_autoptr(GVariant) again = NULL;
	Needle queued = {f, "Build Queued"};
	guint64 id;

	space_admin(f, "alice/demo", "{\"build_ms\": 60000}");
	id = stream_logs(f, "alice/demo", "build", TRUE);
	g_assert_true(hubd_test_wait_for(line_seen, &queued, 20000));
	g_assert_null(f->ended_error);
	stopped = call(f,
		       "StopLogs",
		       g_variant_new("(t@a{sv})", id, g_variant_new("a{sv}", NULL)),
		       NULL,
		       &error);
	g_assert_no_error(error);
	g_assert_true(hubd_test_wait_for(logs_ended, f, 20000));
	g_assert_cmpstr(f->ended_error, ==, "");
	again = call(f,
		     "StopLogs",
		     g_variant_new("(t@a{sv})", id, g_variant_new("a{sv}", NULL)),
		     NULL,
		     &unknown);
	hubd_test_assert_remote_error(unknown, "org.hubd.Hub1.Error.InvalidArgument");
}

/* Watch: RuntimeChanged at once, then when the Space changes on the Hub
 * (paused there, not through hubd). */
static void
test_watch(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) watched = NULL;
	g_autoptr(GVariant) unwatched = NULL;
	g_autofree gchar *reply = NULL;
	Needle running = {f, "RUNNING"};
	Needle paused = {f, "PAUSED"};

	watched = call(f, "Watch", g_variant_new_parsed("('alice/demo', @a{sv} {})"), NULL, &error);
	g_assert_no_error(error);
	g_assert_true(hubd_test_wait_for(stage_seen, &running, 20000));
	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "POST",
					    "/api/spaces/alice/demo/pause",
					    ALICE_WRITE,
					    NULL,
					    &reply),
			 ==,
			 200);
	g_assert_true(hubd_test_wait_for(stage_seen, &paused, 20000));
	unwatched =
		call(f, "Unwatch", g_variant_new_parsed("('alice/demo', @a{sv} {})"), NULL, &error);
	g_assert_no_error(error);
}

/* A running Space with no traffic for its sleep time goes to sleep; a
 * watcher sees RUNNING, then SLEEPING. */
static void
test_sleep(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) watched = NULL;
	Needle running = {f, "RUNNING"};
	Needle sleeping = {f, "SLEEPING"};

	space_admin(f, "alice/demo", "{\"sleep_ms\": 1500}");
	watched = call(f, "Watch", g_variant_new_parsed("('alice/demo', @a{sv} {})"), NULL, &error);
	g_assert_no_error(error);
	g_assert_true(hubd_test_wait_for(stage_seen, &running, 20000));
	g_assert_true(hubd_test_wait_for(stage_seen, &sleeping, 30000));
}

void
hubd_spaces_test_add_logs_and_watch(void)
{
#define ADD(name, func) g_test_add(name, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("/spaces/logs/follow-until-pause", test_logs_follow_until_pause);
	ADD("/spaces/logs/stop", test_logs_stop);
	ADD("/spaces/watch", test_watch);
	ADD("/spaces/sleep", test_sleep);
#undef ADD
}
