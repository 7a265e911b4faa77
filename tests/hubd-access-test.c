/* hubd-access-test.c: gated repos end to end with two users — org.hubd.Hub1.Access
 * over D-Bus (alice, the owner, on the bus; bob on a second daemon's socket)
 * and `hubctl repo access`, against the local Hub enforcing the gate: bob's
 * downloads answer Gated until his request is accepted or he is granted
 * access, and again after a reject or a cancel; the owner always passes. */
#define G_LOG_DOMAIN "HubdAccessTest"

#include "hubd-community-test-util.h"
#include "hubd-test-hub-admin.h"

#define ACCESS_IFACE "org.hubd.Hub1.Access"
#define CAROL_READ   "hf_carol_read_00000000000000000000000"
#define FILE_PATH    "/alice/g/resolve/main/config.json"

static void
setup(Two *t, gconstpointer data)
{
	two_setup(t, data);
	/* a repo of alice's with one file, to be gated */
	g_free(create(&t->base, "model", "alice/g", NULL));
	g_free(commit_files(&t->base,
			    "alice/g",
			    "main",
			    "add config",
			    "config.json",
			    "{}\n",
			    NULL));
}

static GVariant *
acall(GDBusConnection *c, const gchar *method, GVariant *params, const gchar *reply, GError **error)
{
	return icall(c, ACCESS_IFACE, method, params, reply, error);
}

static void
acall_ok(GDBusConnection *c, const gchar *method, GVariant *params)
{
	g_autoptr(GVariant) r = icall_ok(c, ACCESS_IFACE, method, params, NULL);
}

static void
acall_fails(GDBusConnection *c, const gchar *method, GVariant *params, const gchar *name)
{
	icall_fails(c, ACCESS_IFACE, method, params, name);
}

static void
gate(Two *t, const gchar *mode)
{
	g_autoptr(GVariant) r =
		call_ok(&t->base,
			"UpdateSettings",
			g_variant_new_parsed("('model', 'alice/g', {'gated': <%s>})", mode),
			NULL);
}

/* the requests of one status, as "user:field" (the form's "why") joined by "," */
static gchar *
listing(Two *t, const gchar *status)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r =
		acall(t->base.bus,
		      "ListAccessRequests",
		      g_variant_new_parsed("('model', 'alice/g', %s, @a{sv} {})", status),
		      "(aa{sv})",
		      &error);
	g_autoptr(GVariant) list = NULL;
	g_autoptr(GString) s = g_string_new(NULL);

	g_assert_no_error(error);
	list = g_variant_get_child_value(r, 0);
	for (gsize i = 0; i < g_variant_n_children(list); i++) {
		g_autoptr(GVariant) item = g_variant_get_child_value(list, i);
		g_autoptr(GVariant) fields = g_variant_lookup_value(item, "fields", NULL);
		g_autofree gchar *user = dict_string(item, "user");
		g_autofree gchar *st = dict_string(item, "status");
		const gchar *why = "";

		g_assert_cmpstr(st, ==, status);
		g_variant_lookup(fields, "why", "&s", &why);
		g_string_append_printf(s, "%s%s:%s", s->len > 0 ? "," : "", user, why);
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* bob's download through his daemon with hubctl, into a cache folder of its
 * own (a cached copy is served when the Hub says no, as huggingface_hub
 * does): the exit code, stderr in *err; on success the file holds "{}\n" */
static gint
bob_download(Two *t, gchar **err)
{
	g_autofree gchar *cache = g_dir_make_tmp("hubd-access-XXXXXX", NULL);
	const gchar *argv[] = {"--socket",
			       t->bob->socket_path,
			       "download",
			       "alice/g",
			       "config.json",
			       "--cache-dir",
			       cache,
			       NULL};
	g_autofree gchar *out = NULL;
	gint rc = hubd_test_run_hubctl(argv, NULL, &out, err);

	if (rc == 0)
		hubd_test_assert_file_equals(g_strstrip(out), "{}\n");
	hubd_test_rm_rf(cache);
	return rc;
}

static void
assert_bob_gated(Two *t, const gchar *why)
{
	g_autofree gchar *err = NULL;
	g_autofree gchar *body = NULL;

	g_assert_cmpuint(hub_http(&t->base, "GET", FILE_PATH, BOB_WRITE, NULL, NULL, &body),
			 ==,
			 403);
	g_assert_nonnull(strstr(body, why));
	g_assert_cmpint(bob_download(t, &err), ==, 1);
	g_assert_nonnull(strstr(err, "gated"));
}

static void
test_manual(Two *t, gconstpointer data)
{
	g_autofree gchar *err = NULL;
	g_autofree gchar *list = NULL;
	g_autofree gchar *body = NULL;

	gate(t, "manual");
	/* the owner always passes, bob is turned away and told to ask */
	g_assert_cmpuint(hub_http(&t->base, "GET", FILE_PATH, ALICE_WRITE, NULL, NULL, NULL),
			 ==,
			 200);
	assert_bob_gated(t, "ask for access");

	/* bob asks, with the gate form's answer: pending, still no file */
	acall_ok(t->bob_c,
		 "RequestAccess",
		 g_variant_new_parsed("('model', 'alice/g', {'why': <'research'>}, @a{sv} {})"));
	list = listing(t, "pending");
	g_assert_cmpstr(list, ==, "bob:research");
	assert_bob_gated(t, "awaiting a review");

	/* accepted: bob downloads the file */
	acall_ok(t->base.bus,
		 "HandleAccessRequest",
		 g_variant_new_parsed("('model', 'alice/g', 'bob', 'accepted', @a{sv} {})"));
	g_assert_cmpint(bob_download(t, &err), ==, 0);
	g_clear_pointer(&list, g_free);
	list = listing(t, "accepted");
	g_assert_cmpstr(list, ==, "bob:research");

	/* rejected with a reason: out again */
	acall_ok(t->base.bus,
		 "HandleAccessRequest",
		 g_variant_new_parsed(
			 "('model', 'alice/g', 'bob', 'rejected', {'rejection_reason': <'no'>})"));
	assert_bob_gated(t, "rejected");
	g_clear_pointer(&list, g_free);
	list = listing(t, "rejected");
	g_assert_cmpstr(list, ==, "bob:research");
	/* rejecting twice: the request is not in the list it would leave */
	acall_fails(t->base.bus,
		    "HandleAccessRequest",
		    g_variant_new_parsed("('model', 'alice/g', 'bob', 'rejected', @a{sv} {})"),
		    ERR "RepoNotFound");

	/* grant: carol (read token) gets the file without asking; twice is refused */
	g_assert_cmpuint(hub_http(&t->base, "GET", FILE_PATH, CAROL_READ, NULL, NULL, NULL),
			 ==,
			 403);
	acall_ok(t->base.bus,
		 "GrantAccess",
		 g_variant_new_parsed("('model', 'alice/g', 'carol', @a{sv} {})"));
	g_assert_cmpuint(hub_http(&t->base, "GET", FILE_PATH, CAROL_READ, NULL, NULL, &body),
			 ==,
			 200);
	g_assert_cmpstr(body, ==, "{}\n");
	acall_fails(t->base.bus,
		    "GrantAccess",
		    g_variant_new_parsed("('model', 'alice/g', 'carol', @a{sv} {})"),
		    ERR "BadRequest");
	/* cancel: back to pending, access gone */
	acall_ok(t->base.bus,
		 "CancelAccessRequest",
		 g_variant_new_parsed("('model', 'alice/g', 'carol', @a{sv} {})"));
	g_assert_cmpuint(hub_http(&t->base, "GET", FILE_PATH, CAROL_READ, NULL, NULL, NULL),
			 ==,
			 403);
	g_clear_pointer(&list, g_free);
	list = listing(t, "pending");
	g_assert_cmpstr(list, ==, "carol:");
}

static void
test_auto(Two *t, gconstpointer data)
{
	g_autofree gchar *err = NULL;
	g_autofree gchar *list = NULL;
	g_autofree gchar *user = NULL;

	gate(t, "auto");
	assert_bob_gated(t, "ask for access");
	/* with auto gating a request is accepted at once */
	acall_ok(t->bob_c,
		 "RequestAccess",
		 g_variant_new_parsed("('model', 'alice/g', @a{sv} {}, @a{sv} {})"));
	g_assert_cmpint(bob_download(t, &err), ==, 0);
	list = listing(t, "accepted");
	g_assert_cmpstr(list, ==, "bob:");
	g_clear_pointer(&list, g_free);
	list = listing(t, "pending");
	g_assert_cmpstr(list, ==, "");
	/* the request went out with bob's token, to the repo's ask-access */
	user = hubd_test_hub_last_user(t->base.hub, "POST", "^/alice/g/ask-access$");
	g_assert_cmpstr(user, ==, "bob");
}

static void
test_refusals(Two *t, gconstpointer data)
{
	g_autoptr(GVariant) r = NULL;

	/* not gated: the Hub says so */
	acall_fails(t->bob_c,
		    "RequestAccess",
		    g_variant_new_parsed("('model', 'alice/g', @a{sv} {}, @a{sv} {})"),
		    ERR "BadRequest");
	acall_fails(t->base.bus,
		    "ListAccessRequests",
		    g_variant_new_parsed("('model', 'alice/g', 'pending', @a{sv} {})"),
		    ERR "BadRequest");
	gate(t, "manual");
	/* bob may not see alice's requests */
	acall_fails(t->bob_c,
		    "ListAccessRequests",
		    g_variant_new_parsed("('model', 'alice/g', 'pending', @a{sv} {})"),
		    ERR "Forbidden");
	/* refused before anything is sent */
	clear_request_log(&t->base);
	acall_fails(t->base.bus,
		    "ListAccessRequests",
		    g_variant_new_parsed("('model', 'alice/g', 'maybe', @a{sv} {})"),
		    ERR "InvalidArgument");
	acall_fails(t->base.bus,
		    "HandleAccessRequest",
		    g_variant_new_parsed(
			    "('model', 'alice/g', 'bob', 'accepted', {'rejection_reason': <'x'>})"),
		    ERR "InvalidArgument");
	acall_fails(
		t->base.bus,
		"CancelAccessRequest",
		g_variant_new_parsed("('model', 'alice/g', 'bob', {'rejection_reason': <'x'>})"),
		ERR "InvalidArgument");
	acall_fails(t->base.bus,
		    "GrantAccess",
		    g_variant_new_parsed("('model', 'alice/g', '', @a{sv} {})"),
		    ERR "InvalidArgument");
	acall_fails(t->bob_c,
		    "RequestAccess",
		    g_variant_new_parsed("('model', 'alice/g', {'why': <42>}, @a{sv} {})"),
		    ERR "InvalidArgument");
	acall_fails(t->base.bus,
		    "GrantAccess",
		    g_variant_new_parsed("('model', 'alice/../g', 'bob', @a{sv} {})"),
		    ERR "InvalidArgument");
	g_assert_cmpuint(count_requests(&t->base, NULL, NULL), ==, 0);
	/* an unknown user */
	acall_fails(t->base.bus,
		    "GrantAccess",
		    g_variant_new_parsed("('model', 'alice/g', 'nobody', @a{sv} {})"),
		    ERR "RepoNotFound");
}

/* the same flow with hubctl repo access, as a person would type it */
static void
test_cli(Two *t, gconstpointer data)
{
	const gchar *request[] = {"--socket",
				  t->bob->socket_path,
				  "repo",
				  "access",
				  "request",
				  "alice/g",
				  "--field",
				  "why=research",
				  NULL};
	const gchar *list[] = {"repo", "access", "list", "alice/g", NULL};
	const gchar *list_json[] = {"repo", "access", "list", "alice/g", "--json", NULL};
	const gchar *accept[] = {"repo", "access", "accept", "alice/g", "bob", NULL};
	const gchar *reject[] =
		{"repo", "access", "reject", "alice/g", "bob", "--reason", "no", NULL};
	const gchar *list_rejected[] =
		{"repo", "access", "list", "alice/g", "--status", "rejected", NULL};
	const gchar *grant[] = {"repo", "access", "grant", "alice/g", "carol", NULL};
	const gchar *cancel[] = {"repo", "access", "cancel", "alice/g", "carol", NULL};
	const gchar *bad[] = {"repo", "access", "accept", "alice/g", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(JsonNode) json = NULL;
	JsonObject *first;

	gate(t, "manual");
	g_assert_cmpint(hubd_test_run_hubctl(request, NULL, &out, NULL), ==, 0);
	g_assert_cmpstr(out, ==, "");
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(list, NULL, &out, NULL), ==, 0);
	g_assert_true(g_str_has_prefix(out, "USER"));
	g_assert_nonnull(strstr(out, "bob   Bob Example  pending"));
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(list_json, NULL, &out, NULL), ==, 0);
	json = hubd_test_parse_json(out);
	first = json_array_get_object_element(json_node_get_array(json), 0);
	g_assert_cmpstr(json_object_get_string_member(first, "user"), ==, "bob");
	g_assert_cmpstr(
		json_object_get_string_member(json_object_get_object_member(first, "fields"),
					      "why"),
		==,
		"research");
	g_assert_cmpint(hubd_test_run_hubctl(accept, NULL, NULL, NULL), ==, 0);
	g_assert_cmpint(bob_download(t, NULL), ==, 0);
	g_assert_cmpint(hubd_test_run_hubctl(reject, NULL, NULL, NULL), ==, 0);
	g_assert_cmpint(bob_download(t, NULL), ==, 1);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(list_rejected, NULL, &out, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "rejected"));
	g_assert_cmpint(hubd_test_run_hubctl(grant, NULL, NULL, NULL), ==, 0);
	g_assert_cmpint(hubd_test_run_hubctl(grant, NULL, NULL, &err), ==, 1);
	g_assert_nonnull(strstr(err, "already has access"));
	g_assert_cmpint(hubd_test_run_hubctl(cancel, NULL, NULL, NULL), ==, 0);
	g_assert_cmpuint(hub_http(&t->base, "GET", FILE_PATH, CAROL_READ, NULL, NULL, NULL),
			 ==,
			 403);
	g_assert_cmpint(hubd_test_run_hubctl(bad, NULL, NULL, NULL), ==, 64);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Two, NULL, setup, fn, two_teardown)
	ADD("/access/manual", test_manual);
	ADD("/access/auto", test_auto);
	ADD("/access/refusals", test_refusals);
	ADD("/access/cli", test_cli);
	return g_test_run();
}
