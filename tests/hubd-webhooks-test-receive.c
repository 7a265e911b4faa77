/* hubd-webhooks-test-receive.c: what the listener receives — the requests it
 * refuses (and with which status), kept-alive connections, and the Hub's real
 * deliveries of a commit and of discussion events as Received signals with
 * typed fields (part of hubd-webhooks-test) */
#include "hubd-webhooks-test-common.h"

static guint
n_events(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r =
		call(f, "ListEvents", g_variant_new_parsed("(@a{sv} {},)"), "(aa{sv})", &error);
	g_autoptr(GVariant) list = NULL;

	g_assert_no_error(error);
	list = g_variant_get_child_value(r, 0);
	return (guint)g_variant_n_children(list);
}

/* a webhook to hubd's own listener in `domains` (NULL: all); returns its
 * id, its secret in *secret */
static gchar *
create_managed_in(Fixture *f, const gchar *const *domains, gchar **secret)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r =
		call(f,
		     "CreateWebhook",
		     g_variant_new("(@a(ss)s^as&s@a{sv})",
				   g_variant_new_parsed("[('model', %s)]", REPO),
				   "",
				   domains != NULL ? domains : (const gchar *const[]){NULL},
				   "",
				   g_variant_new_parsed("@a{sv} {}")),
		     "(a{sv})",
		     &error);
	g_autoptr(GVariant) w = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) node = NULL;
	gchar *id = NULL;
	gboolean managed = FALSE, has_secret = FALSE;
	g_autofree gchar *url = NULL;

	g_assert_no_error(error);
	w = g_variant_get_child_value(r, 0);
	g_assert_true(g_variant_lookup(w, "id", "s", &id));
	g_assert_true(g_variant_lookup(w, "managed", "b", &managed));
	g_assert_true(g_variant_lookup(w, "has_secret", "b", &has_secret));
	g_assert_true(g_variant_lookup(w, "url", "s", &url));
	g_assert_true(managed);
	g_assert_true(has_secret);
	g_assert_cmpstr(url, ==, f->listener);
	/* the Hub holds the secret hubd generated; read it as its owner can */
	path = g_strdup_printf("/api/settings/webhooks/%s", id);
	g_assert_cmpuint(hubd_test_hub_http(f->hub, "GET", path, ALICE_WRITE, NULL, &body),
			 ==,
			 200);
	node = hubd_test_parse_json(body);
	*secret = g_strdup(json_object_get_string_member(
		json_object_get_object_member(json_node_get_object(node), "webhook"),
		"secret"));
	g_assert_cmpuint(strlen(*secret), ==, 64);
	return id;
}

static gchar *
create_managed(Fixture *f, gchar **secret)
{
	return create_managed_in(f, NULL, secret);
}

static gchar *
payload(const gchar *webhook_id)
{
	return g_strdup_printf(
		"{\"event\":{\"action\":\"update\",\"scope\":\"repo.content\"},"
		"\"repo\":{\"type\":\"model\",\"name\":\"" REPO
		"\",\"id\":\"621ffdc036468d709f17434d\","
		"\"private\":false,\"headSha\":\"%s\"},"
		"\"updatedRefs\":[{\"ref\":\"refs/heads/main\",\"oldSha\":null,\"newSha\":\"%s\"}],"
		"\"webhook\":{\"id\":\"%s\",\"version\":3}}",
		"0123456789abcdef0123456789abcdef01234567",
		"0123456789abcdef0123456789abcdef01234567",
		webhook_id);
}

static void
test_refusals(Fixture *f, gconstpointer data)
{
	g_autofree gchar *secret = NULL;
	g_autofree gchar *id = create_managed(f, &secret);
	g_autofree gchar *good = payload(id);
	g_autofree gchar *big = g_strnfill(1024 * 1024 + 1, ' ');
	g_autofree gchar *wrong = g_strdup(secret);
	g_autofree gchar *v2 = NULL;
	g_autofree gchar *log = NULL;

	wrong[10] = wrong[10] == 'a' ? 'b' : 'a';
	g_assert_cmpuint(post(f, "GET", secret, "", 0), ==, 405);
	g_assert_cmpuint(post(f, "PUT", secret, good, strlen(good)), ==, 405);
	g_assert_cmpuint(post(f, "POST", NULL, good, strlen(good)), ==, 401);
	g_assert_cmpuint(post(f, "POST", wrong, good, strlen(good)), ==, 401);
	g_assert_cmpuint(post(f, "POST", "short", good, strlen(good)), ==, 401);
	g_assert_cmpuint(post(f, "POST", secret, big, strlen(big)), ==, 413);
	g_assert_cmpuint(post(f, "POST", secret, "not json", 8), ==, 400);
	g_assert_cmpuint(post(f, "POST", secret, "{\"event\":{}}", 12), ==, 400);
	v2 = g_strdup(good);
	memcpy(strstr(v2, "\"version\":3") + strlen("\"version\":"), "2", 1);
	g_assert_cmpuint(post(f, "POST", secret, v2, strlen(v2)), ==, 400);
	g_assert_cmpuint(n_events(f), ==, 0);
	/* the right secret and the Hub's schema: accepted */
	g_assert_cmpuint(post(f, "POST", secret, good, strlen(good)), ==, 200);
	g_assert_cmpuint(n_events(f), ==, 1);
	log = hubd_test_daemon_read_log(f->daemon);
	g_assert_null(strstr(log, secret));
}

/* the Hub's deliveries reuse a connection: the second of two deliveries
 * with curl opens none */
static void
test_keep_alive(Fixture *f, gconstpointer data)
{
	g_autofree gchar *secret = NULL;
	g_autofree gchar *id = create_managed(f, &secret);
	g_autofree gchar *good = payload(id);
	g_autofree gchar *file = g_build_filename(f->tmp, "body", NULL);
	g_autofree gchar *at = g_strconcat("@", file, NULL);
	g_autofree gchar *header = g_strdup_printf("X-Webhook-Secret: %s", secret);
	g_autofree gchar *out = NULL;
	const gchar *argv[] = {"curl",
			       "-s",
			       "-o",
			       "/dev/null",
			       "-o",
			       "/dev/null",
			       "-w",
			       "%{http_code}:%{num_connects} ",
			       "-H",
			       header,
			       "--data-binary",
			       at,
			       f->listener,
			       f->listener,
			       NULL};

	hubd_test_write_file(file, good);
	g_assert_cmpint(hubd_test_run_command(argv, NULL, NULL, &out, NULL), ==, 0);
	g_assert_cmpstr(out, ==, "200:1 200:0 ");
	g_assert_cmpuint(n_events(f), ==, 2);
}

typedef struct {
	GVariant *event;
} Received;

static void
received_cb(GDBusConnection *c,
	    const gchar *sender,
	    const gchar *path,
	    const gchar *iface,
	    const gchar *signal,
	    GVariant *params,
	    gpointer user_data)
{
	Received *r = user_data;

	if (r->event == NULL)
		g_variant_get(params, "(@a{sv})", &r->event);
}

static gboolean
has_event(gpointer data)
{
	return ((Received *)data)->event != NULL;
}

static void
test_delivery(Fixture *f, gconstpointer data)
{
	g_autofree gchar *secret = NULL;
	g_autofree gchar *id = create_managed(f, &secret);
	Received r = {NULL};
	guint sub = g_dbus_connection_signal_subscribe(f->bus,
						       NULL,
						       IFACE,
						       "Received",
						       "/org/hubd/Hub1",
						       NULL,
						       G_DBUS_SIGNAL_FLAGS_NONE,
						       received_cb,
						       &r,
						       NULL);
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      0,
							      "a.txt",
							      "hello\n",
							      NULL);
	g_autoptr(GVariant) refs = NULL;
	g_autoptr(JsonNode) deliveries = NULL;
	JsonObject *d;
	const gchar *s = NULL, *ref = NULL, *old = NULL, *new_sha = NULL;
	gint64 num = 0;
	g_autofree gchar *log = NULL;

	g_assert_true(hubd_test_wait_for(has_event, &r, 20000));
	g_dbus_connection_signal_unsubscribe(f->bus, sub);
	g_assert_true(g_variant_lookup(r.event, "scope", "&s", &s));
	g_assert_cmpstr(s, ==, "repo.content");
	g_assert_true(g_variant_lookup(r.event, "action", "&s", &s));
	g_assert_cmpstr(s, ==, "update");
	g_assert_true(g_variant_lookup(r.event, "repo_type", "&s", &s));
	g_assert_cmpstr(s, ==, "model");
	g_assert_true(g_variant_lookup(r.event, "repo_name", "&s", &s));
	g_assert_cmpstr(s, ==, REPO);
	g_assert_true(g_variant_lookup(r.event, "head_sha", "&s", &s));
	g_assert_cmpstr(s, ==, commit);
	g_assert_true(g_variant_lookup(r.event, "webhook_id", "&s", &s));
	g_assert_cmpstr(s, ==, id);
	g_assert_true(g_variant_lookup(r.event, "discussion_num", "x", &num));
	g_assert_cmpint(num, ==, -1);
	refs = g_variant_lookup_value(r.event, "updated_refs", G_VARIANT_TYPE("a(sss)"));
	g_assert_cmpuint(g_variant_n_children(refs), ==, 1);
	g_variant_get_child(refs, 0, "(&s&s&s)", &ref, &old, &new_sha);
	g_assert_cmpstr(ref, ==, "refs/heads/main");
	g_assert_cmpuint(strlen(old), ==, 40);
	g_assert_cmpstr(new_sha, ==, commit);
	g_assert_true(g_variant_lookup(r.event, "payload", "&s", &s));
	g_assert_nonnull(strstr(s, "\"version\":3"));
	g_assert_cmpuint(n_events(f), ==, 1);
	/* what the Hub saw: one delivery, answered 200, with the secret */
	deliveries = hubd_test_hub_admin(f->hub, "GET", "/_testhub/webhook-deliveries", NULL);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(deliveries)), ==, 1);
	d = json_array_get_object_element(json_node_get_array(deliveries), 0);
	g_assert_cmpint(json_object_get_int_member(d, "status"), ==, 200);
	g_assert_true(json_object_get_boolean_member(d, "secret_sent"));
	g_variant_unref(r.event);
	log = hubd_test_daemon_read_log(f->daemon);
	g_assert_null(strstr(log, secret));
}

/* every Received signal, in order */
static void
collect_cb(GDBusConnection *c,
	   const gchar *sender,
	   const gchar *path,
	   const gchar *iface,
	   const gchar *signal,
	   GVariant *params,
	   gpointer user_data)
{
	g_ptr_array_add(user_data, g_variant_get_child_value(params, 0));
}

static gboolean
has_two(gpointer data)
{
	return ((GPtrArray *)data)->len >= 2;
}

static void
assert_discussion_event(GVariant *event,
			const gchar *webhook_id,
			const gchar *scope,
			const gchar *action,
			gint64 num,
			const gchar *text)
{
	const gchar *s = NULL;
	gint64 n = 0;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *comment;

	g_assert_true(g_variant_lookup(event, "webhook_id", "&s", &s));
	g_assert_cmpstr(s, ==, webhook_id);
	g_assert_true(g_variant_lookup(event, "scope", "&s", &s));
	g_assert_cmpstr(s, ==, scope);
	g_assert_true(g_variant_lookup(event, "action", "&s", &s));
	g_assert_cmpstr(s, ==, action);
	g_assert_true(g_variant_lookup(event, "repo_name", "&s", &s));
	g_assert_cmpstr(s, ==, REPO);
	g_assert_true(g_variant_lookup(event, "discussion_num", "x", &n));
	g_assert_cmpint(n, ==, num);
	/* the raw payload carries the Hub's discussion and comment objects */
	g_assert_true(g_variant_lookup(event, "payload", "&s", &s));
	node = hubd_test_parse_json(s);
	comment = json_object_get_object_member(json_node_get_object(node), "comment");
	g_assert_nonnull(comment);
	g_assert_cmpstr(json_object_get_string_member(comment, "content"), ==, text);
	g_assert_cmpstr(
		json_object_get_string_member(
			json_object_get_object_member(json_node_get_object(node), "discussion"),
			"title"),
		==,
		"Usage question");
}

static gboolean
two_deliveries(gpointer data)
{
	Fixture *f = data;
	g_autoptr(JsonNode) log =
		hubd_test_hub_admin(f->hub, "GET", "/_testhub/webhook-deliveries", NULL);

	return json_array_get_length(json_node_get_array(log)) >= 2;
}

static void
test_discussion_events(Fixture *f, gconstpointer data)
{
	static const gchar *const repo_only[] = {"repo", NULL};
	g_autofree gchar *secret = NULL;
	g_autofree gchar *repo_secret = NULL;
	g_autofree gchar *all_id = create_managed(f, &secret);
	g_autofree gchar *repo_id = create_managed_in(f, repo_only, &repo_secret);
	g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
	guint sub = g_dbus_connection_signal_subscribe(f->bus,
						       NULL,
						       IFACE,
						       "Received",
						       "/org/hubd/Hub1",
						       NULL,
						       G_DBUS_SIGNAL_FLAGS_NONE,
						       collect_cb,
						       got,
						       NULL);
	const gchar *create[] = {"discussions",
				 "create",
				 REPO,
				 "--title",
				 "Usage question",
				 "--body",
				 "How do I load it?",
				 NULL};
	const gchar *comment[] =
		{"discussions", "comment", REPO, "1", "--body", "Like this.", NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(JsonNode) deliveries = NULL;
	JsonArray *arr;
	guint to_all = 0;

	g_assert_cmpint(hubd_test_run_hubctl(create, NULL, &out, &err), ==, 0);
	g_assert_true(g_str_has_suffix(g_strchomp(out), "/discussions/1"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(comment, NULL, &out, &err), ==, 0);
	g_assert_true(hubd_test_wait_for(has_two, got, 20000));
	assert_discussion_event(g_ptr_array_index(got, 0),
				all_id,
				"discussion",
				"create",
				1,
				"How do I load it?");
	assert_discussion_event(g_ptr_array_index(got, 1),
				all_id,
				"discussion.comment",
				"create",
				1,
				"Like this.");
	/* the Hub sent them to the webhook of every domain only: the one
	 * watching "repo" got no delivery at all */
	g_assert_true(hubd_test_wait_for(two_deliveries, f, 20000));
	deliveries = hubd_test_hub_admin(f->hub, "GET", "/_testhub/webhook-deliveries", NULL);
	arr = json_node_get_array(deliveries);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *d = json_array_get_object_element(arr, i);

		g_assert_cmpstr(json_object_get_string_member(d, "webhook_id"), !=, repo_id);
		if (g_str_equal(json_object_get_string_member(d, "webhook_id"), all_id)) {
			g_assert_true(g_str_has_prefix(json_object_get_string_member(d, "scope"),
						       "discussion"));
			g_assert_cmpint(json_object_get_int_member(d, "status"), ==, 200);
			to_all++;
		}
	}
	g_assert_cmpuint(to_all, ==, 2);
	g_dbus_connection_signal_unsubscribe(f->bus, sub);
	g_assert_cmpuint(got->len, ==, 2);
	g_assert_cmpuint(n_events(f), ==, 2);
}

void
hubd_webhooks_test_add_receive_tests(void)
{
	g_test_add("/webhooks/listener-refusals",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_refusals,
		   fixture_teardown);
	g_test_add("/webhooks/keep-alive",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_keep_alive,
		   fixture_teardown);
	g_test_add("/webhooks/delivery",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_delivery,
		   fixture_teardown);
	g_test_add("/webhooks/discussion-events",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_discussion_events,
		   fixture_teardown);
}
