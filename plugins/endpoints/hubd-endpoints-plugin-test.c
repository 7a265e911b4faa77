/* hubd-endpoints-plugin-test.c: the endpoints plugin — a real hubd loads it,
 * its API set to the local Hub's /v2, and org.hubd.Hub1.Endpoints is called
 * over a private bus */
#define G_LOG_DOMAIN "HubdEndpointsTest"

#include <gio/gio.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-test-job.h"

#define IFACE       "org.hubd.Hub1.Endpoints"
#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define SECRET      "ep-s3cr3t-never-logged-5512"

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autofree gchar *api = NULL;
	const gchar *args[] = {"--endpoint",
			       NULL,
			       "--set",
			       NULL,
			       "--set",
			       "endpoints.poll-interval-ms=100",
			       NULL};
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, "G_MESSAGES_DEBUG=all", NULL};

	f->hub = hubd_test_hub_start(NULL);
	api = g_strdup_printf("endpoints.api=%s/v2", f->hub->url);
	args[1] = f->hub->url;
	args[3] = api;
	f->daemon = hubd_test_daemon_start(args, env);
	f->bus = hubd_test_session_bus();
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

	g_assert_null(strstr(log, ALICE_WRITE));
	g_assert_null(strstr(log, SECRET));
	hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
}

static GVariant *
call(Fixture *f, const gchar *method, GVariant *params, const gchar *reply_type, GError **error)
{
	return hubd_test_call(f->bus,
			      IFACE,
			      method,
			      params,
			      reply_type != NULL ? G_VARIANT_TYPE(reply_type) : NULL,
			      error);
}

static gchar *
state_of(GVariant *reply)
{
	g_autoptr(GVariant) ep = g_variant_get_child_value(reply, 0);
	gchar *state = NULL;

	g_assert_true(g_variant_lookup(ep, "state", "s", &state));
	return state;
}

#define SPEC                                                                                 \
	"{'repository': <'alice/model'>, 'framework': <'pytorch'>, 'accelerator': <'gpu'>, " \
	"'instance_size': <'x1'>, 'instance_type': <'nvidia-l4'>, 'region': <'us-east-1'>, " \
	"'vendor': <'aws'>, 'task': <'text-generation'>, 'secrets': <{'HF_TOKEN': '" SECRET  \
	"'}>, 'env': <{'MAX_TOKENS': '512'}>}"

/* GVariant text as a floating value, as the calls take their parameters
 * (g_variant_parse() hands back a reference of its own) */
static GVariant *
parse_floating(const gchar *text)
{
	g_autoptr(GVariant) v = g_variant_parse(NULL, text, NULL, NULL, NULL);
	g_autoptr(GBytes) bytes = NULL;

	g_assert_nonnull(v);
	bytes = g_variant_get_data_as_bytes(v);
	return g_variant_new_from_bytes(g_variant_get_type(v), bytes, TRUE);
}

static void
create(Fixture *f, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = g_strdup_printf("('%s', " SPEC ", @a{sv} {})", name);
	g_autoptr(GVariant) reply = call(f, "Create", parse_floating(text), "(a{sv})", &error);
	g_autofree gchar *state = NULL;
	g_autofree gchar *printed = NULL;

	g_assert_no_error(error);
	state = state_of(reply);
	g_assert_cmpstr(state, ==, "pending");
	printed = g_variant_print(reply, FALSE);
	g_assert_null(strstr(printed, SECRET));
	g_assert_nonnull(strstr(printed, "'secret_keys': <['HF_TOKEN']>"));
}

static HubdTestJobResult *
wait_endpoint(Fixture *f, const gchar *name, guint timeout_s)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		call(f,
		     "Wait",
		     g_variant_new_parsed("(%s, {'timeout': <%u>})", name, timeout_s),
		     "(o)",
		     &error);
	const gchar *job = NULL;

	g_assert_no_error(error);
	g_variant_get(reply, "(&o)", &job);
	return hubd_test_job_wait(f->bus, job, 30000);
}

/* Loaded as a GIO module, next to the core. */
static void
test_loaded(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) status = hubd_test_get_status(f->bus);
	g_autofree const gchar **plugins = NULL;

	g_assert_true(g_variant_lookup(status, "plugins", "^a&s", &plugins));
	g_assert_true(g_strv_contains(plugins, "endpoints"));
}

/* Create as huggingface_hub builds the body, with the Hub's token, in the
 * token user's namespace; Wait ends at running with a URL; Get and List. */
static void
test_create_wait_get_list(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) items = NULL;
	g_autoptr(JsonObject) body = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) got = NULL;
	g_autoptr(GVariant) list = NULL;
	g_autofree gchar *user = NULL;
	g_autofree gchar *state = NULL;
	JsonObject *compute;
	const gchar *url = NULL;

	create(f, "my-endpoint");
	body = hubd_test_hub_last_body(f->hub, "POST", "^/v2/endpoint/alice$");
	g_assert_true(json_object_get_null_member(body, "accountId"));
	g_assert_cmpstr(json_object_get_string_member(body, "name"), ==, "my-endpoint");
	g_assert_cmpstr(json_object_get_string_member(body, "type"), ==, "authenticated");
	compute = json_object_get_object_member(body, "compute");
	g_assert_cmpstr(json_object_get_string_member(compute, "instanceType"), ==, "nvidia-l4");
	g_assert_cmpint(
		json_object_get_int_member(json_object_get_object_member(compute, "scaling"),
					   "maxReplica"),
		==,
		1);
	g_assert_true(json_object_has_member(
		json_object_get_object_member(json_object_get_object_member(body, "model"),
					      "image"),
		"huggingface"));
	user = hubd_test_hub_last_user(f->hub, "POST", "^/v2/endpoint/alice$");
	g_assert_cmpstr(user, ==, "alice");

	r = wait_endpoint(f, "my-endpoint", 20);
	g_assert_true(r->ok);
	g_assert_true(g_variant_lookup(r->result, "url", "&s", &url));
	g_assert_true(g_str_has_suffix(url, "/_endpoints/alice/my-endpoint"));
	got = call(f, "Get", g_variant_new_parsed("('my-endpoint', @a{sv} {})"), "(a{sv})", &error);
	g_assert_no_error(error);
	state = state_of(got);
	g_assert_cmpstr(state, ==, "running");
	list = call(f, "List", g_variant_new_parsed("('', @a{sv} {})"), "(aa{sv})", &error);
	g_assert_no_error(error);
	items = g_variant_get_child_value(list, 0);
	g_assert_cmpuint(g_variant_n_children(items), ==, 1);
}

/* The API's validation errors and refusals arrive typed with its message. */
static void
test_errors(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) missing = NULL;
	g_autoptr(GError) dup = NULL;
	g_autoptr(GError) bad_name = NULL;
	g_autoptr(GError) other_ns = NULL;
	g_autoptr(GVariant) r1 = NULL;
	g_autoptr(GVariant) r2 = NULL;
	g_autoptr(GVariant) r3 = NULL;
	g_autoptr(GVariant) r4 = NULL;

	r1 = call(f,
		  "Create",
		  g_variant_new_parsed("('no-vendor', {'repository': <'alice/model'>, "
				       "'framework': <'pytorch'>, 'accelerator': <'cpu'>, "
				       "'instance_size': <'x2'>, 'instance_type': <'intel-spr'>, "
				       "'region': <'us-east-1'>}, @a{sv} {})"),
		  "(a{sv})",
		  &missing);
	hubd_test_assert_remote_error(missing, "org.hubd.Hub1.Error.BadRequest");
	g_assert_nonnull(strstr(missing->message, "provider.vendor"));
	create(f, "taken");
	r2 = call(f, "Create", parse_floating("('taken', " SPEC ", @a{sv} {})"), "(a{sv})", &dup);
	hubd_test_assert_remote_error(dup, "org.hubd.Hub1.Error.Conflict");
	hubd_test_hub_clear_requests(f->hub);
	r3 = call(f, "Get", g_variant_new_parsed("('Bad Name!', @a{sv} {})"), "(a{sv})", &bad_name);
	hubd_test_assert_remote_error(bad_name, "org.hubd.Hub1.Error.InvalidArgument");
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, NULL, "^/v2/", NULL), ==, 0);
	r4 = call(f, "List", g_variant_new_parsed("('bob', @a{sv} {})"), "(aa{sv})", &other_ns);
	hubd_test_assert_remote_error(other_ns, "org.hubd.Hub1.Error.Unauthorized");
}

/* Pause, resume (also of a running one), scale to zero, a partial update,
 * delete. */
static void
test_lifecycle(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) running = NULL;
	g_autoptr(GError) gone = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) again = NULL;
	g_autoptr(GVariant) strict = NULL;
	g_autoptr(GVariant) deleted = NULL;
	g_autoptr(GVariant) after = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(JsonObject) body = NULL;
	g_autofree gchar *state = NULL;

	create(f, "life");
	r = wait_endpoint(f, "life", 20);
	g_assert_true(r->ok);
	/* running already: fine, its state comes back */
	again = call(f, "Resume", g_variant_new_parsed("('life', @a{sv} {})"), "(a{sv})", &error);
	g_assert_no_error(error);
	state = state_of(again);
	g_assert_cmpstr(state, ==, "running");
	strict = call(f,
		      "Resume",
		      g_variant_new_parsed("('life', {'fail_if_running': <true>})"),
		      "(a{sv})",
		      &running);
	hubd_test_assert_remote_error(running, "org.hubd.Hub1.Error.BadRequest");
	g_assert_nonnull(strstr(running->message, "already running"));

	reply = call(f, "Pause", g_variant_new_parsed("('life', @a{sv} {})"), "(a{sv})", &error);
	g_assert_no_error(error);
	g_clear_pointer(&state, g_free);
	state = state_of(reply);
	g_assert_cmpstr(state, ==, "paused");
	g_clear_pointer(&reply, g_variant_unref);
	reply = call(f,
		     "ScaleToZero",
		     g_variant_new_parsed("('life', @a{sv} {})"),
		     "(a{sv})",
		     &error);
	g_assert_no_error(error);
	g_clear_pointer(&state, g_free);
	state = state_of(reply);
	g_assert_cmpstr(state, ==, "scaledToZero");
	g_clear_pointer(&reply, g_variant_unref);
	reply = call(f,
		     "Update",
		     g_variant_new_parsed("('life', {'min_replica': <uint32 0>}, @a{sv} {})"),
		     "(a{sv})",
		     &error);
	g_assert_no_error(error);
	body = hubd_test_hub_last_body(f->hub, "PUT", "^/v2/endpoint/alice/life$");
	g_assert_cmpuint(json_object_get_size(body), ==, 1);
	g_assert_cmpint(
		json_object_get_int_member(json_object_get_object_member(
						   json_object_get_object_member(body, "compute"),
						   "scaling"),
					   "minReplica"),
		==,
		0);
	deleted = call(f, "Delete", g_variant_new_parsed("('life', @a{sv} {})"), NULL, &error);
	g_assert_no_error(error);
	after = call(f, "Get", g_variant_new_parsed("('life', @a{sv} {})"), "(a{sv})", &gone);
	g_assert_nonnull(gone);
}

/* Wait: a failing endpoint fails with the API's message; a slow one times
 * out with a clear message. */
static void
test_wait_failures(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) failed = NULL;
	g_autoptr(HubdTestJobResult) slow = NULL;
	g_autoptr(JsonNode) a1 = NULL;
	g_autoptr(JsonNode) a2 = NULL;

	create(f, "broken");
	a1 = hubd_test_hub_admin(f->hub,
				 "POST",
				 "/_testhub/endpoints/alice/broken",
				 "{\"fail\": true}");
	failed = wait_endpoint(f, "broken", 20);
	g_assert_false(failed->ok);
	g_assert_cmpstr(failed->error_name, ==, "org.hubd.Hub1.Error.DeployFailed");
	g_assert_nonnull(strstr(failed->message, "the container exited with code 1"));

	create(f, "slow");
	a2 = hubd_test_hub_admin(f->hub,
				 "POST",
				 "/_testhub/endpoints/alice/slow",
				 "{\"step_ms\": 60000, \"state\": \"initializing\"}");
	slow = wait_endpoint(f, "slow", 1);
	g_assert_false(slow->ok);
	g_assert_cmpstr(slow->error_name, ==, "org.hubd.Hub1.Error.TimedOut");
	g_assert_nonnull(strstr(slow->message, "alice/slow is still"));
}

static void
status_cb(GDBusConnection *connection,
	  const gchar *sender,
	  const gchar *path,
	  const gchar *iface,
	  const gchar *signal,
	  GVariant *params,
	  gpointer user_data)
{
	g_autoptr(GVariant) ep = NULL;
	const gchar *name = NULL;
	const gchar *state = NULL;

	g_variant_get(params, "(&s&s@a{sv})", NULL, &name, &ep);
	if (g_variant_lookup(ep, "state", "&s", &state))
		g_ptr_array_add(user_data, g_strdup_printf("%s:%s", name, state));
}

static gboolean
status_seen(gpointer user_data)
{
	GPtrArray *seen = ((gpointer *)user_data)[0];

	for (guint i = 0; i < seen->len; i++) {
		if (g_strcmp0(g_ptr_array_index(seen, i), ((gpointer *)user_data)[1]) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Watch: StatusChanged to the watcher as the endpoint comes up, and when it
 * is paused behind hubd's back (straight on the API). */
static void
test_watch(Fixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) watched = NULL;
	g_autoptr(GVariant) unwatched = NULL;
	g_autofree gchar *reply = NULL;
	gpointer running[2] = {NULL, (gpointer) "watched:running"};
	gpointer paused[2] = {NULL, (gpointer) "watched:paused"};
	guint sub = g_dbus_connection_signal_subscribe(f->bus,
						       NULL,
						       IFACE,
						       "StatusChanged",
						       "/org/hubd/Hub1",
						       NULL,
						       G_DBUS_SIGNAL_FLAGS_NONE,
						       status_cb,
						       seen,
						       NULL);

	running[0] = paused[0] = seen;
	create(f, "watched");
	watched = call(f, "Watch", g_variant_new_parsed("('watched', @a{sv} {})"), NULL, &error);
	g_assert_no_error(error);
	g_assert_true(hubd_test_wait_for(status_seen, running, 20000));
	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "POST",
					    "/v2/endpoint/alice/watched/pause",
					    ALICE_WRITE,
					    NULL,
					    &reply),
			 ==,
			 200);
	g_assert_true(hubd_test_wait_for(status_seen, paused, 20000));
	unwatched =
		call(f, "Unwatch", g_variant_new_parsed("('watched', @a{sv} {})"), NULL, &error);
	g_assert_no_error(error);
	g_dbus_connection_signal_unsubscribe(f->bus, sub);
}

/* The compute catalogue, flattened: one entry per vendor, region, compute. */
static void
test_hardware(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		call(f, "ListHardware", g_variant_new_parsed("(@a{sv} {},)"), "(aa{sv})", &error);
	g_autofree gchar *text = NULL;
	g_autoptr(GVariant) items = NULL;

	g_assert_no_error(error);
	items = g_variant_get_child_value(reply, 0);
	g_assert_cmpuint(g_variant_n_children(items), ==, 2);
	text = g_variant_print(reply, FALSE);
	g_assert_nonnull(strstr(text, "'instance_type': <'nvidia-l4'>"));
	g_assert_nonnull(strstr(text, "'region': <'us-east-1'>"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, func) g_test_add(name, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("/endpoints/loaded", test_loaded);
	ADD("/endpoints/create-wait-get-list", test_create_wait_get_list);
	ADD("/endpoints/errors", test_errors);
	ADD("/endpoints/lifecycle", test_lifecycle);
	ADD("/endpoints/wait-failures", test_wait_failures);
	ADD("/endpoints/hardware", test_hardware);
	ADD("/endpoints/watch", test_watch);
#undef ADD
	return g_test_run();
}
