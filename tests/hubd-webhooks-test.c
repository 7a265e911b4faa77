/* hubd-webhooks-test.c: org.hubd.Hub1.Webhooks and `hubctl webhooks` end to
 * end — the real daemon with its listener on, the local Hub delivering real
 * webhooks: what the listener refuses (and with which status), a commit that
 * becomes a Received signal with typed fields, and the management API as the
 * Hub records it. Secrets must not reach hubd's (debug) log. */
#include <glib/gstdio.h>
#include <string.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define REPO        "alice/w"
#define IFACE       "org.hubd.Hub1.Webhooks"
#define ERR         "org.hubd.Hub1.Error."
/* made by the TLS test, in the test's own TMPDIR */
/* test data: the listener with a self-signed certificate (made in the
 * fixture's own folder, so that runs side by side do not share one) */
#define WITH_TLS "tls"

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
	gchar *listener;
	gchar *tmp;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autofree gchar *reply = NULL;
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, NULL};
	const gchar *const *extra = data;
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	g_autoptr(GVariant) info = NULL;
	g_autoptr(GVariant) dict = NULL;
	g_autoptr(GError) error = NULL;

	g_autofree gchar *tls_key = NULL;
	g_autofree gchar *tls_cert = NULL;

	f->tmp = g_dir_make_tmp("hubd-wh-XXXXXX", NULL);
	if (extra != NULL && g_strv_contains(extra, WITH_TLS)) {
		/* a self-signed certificate for 127.0.0.1, made by openssl */
		tls_key = g_strdup_printf("webhooks.tls-key=%s/key.pem", f->tmp);
		tls_cert = g_strdup_printf("webhooks.tls-certificate=%s/cert.pem", f->tmp);
		{
			const gchar *argv[] = {"openssl",
					       "req",
					       "-x509",
					       "-newkey",
					       "rsa:2048",
					       "-nodes",
					       "-subj",
					       "/CN=127.0.0.1",
					       "-days",
					       "1",
					       "-keyout",
					       strchr(tls_key, '=') + 1,
					       "-out",
					       strchr(tls_cert, '=') + 1,
					       NULL};

			g_assert_cmpint(hubd_test_run_command(argv, NULL, NULL, NULL, NULL), ==, 0);
		}
	}
	f->hub = hubd_test_hub_start(NULL);
	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "POST",
					    "/api/repos/create",
					    ALICE_WRITE,
					    "{\"name\":\"w\",\"type\":\"model\"}",
					    &reply),
			 ==,
			 200);
	g_ptr_array_add(args, (gpointer) "--endpoint");
	g_ptr_array_add(args, f->hub->url);
	g_ptr_array_add(args, (gpointer) "--set");
	g_ptr_array_add(args, (gpointer) "webhooks.listen=127.0.0.1:0");
	for (guint i = 0; extra != NULL && extra[i] != NULL; i++) {
		if (g_str_equal(extra[i], WITH_TLS)) {
			g_ptr_array_add(args, (gpointer) "--set");
			g_ptr_array_add(args, tls_cert);
			g_ptr_array_add(args, (gpointer) "--set");
			g_ptr_array_add(args, tls_key);
			continue;
		}
		g_ptr_array_add(args, (gpointer)extra[i]);
	}
	g_ptr_array_add(args, NULL);
	f->daemon = hubd_test_daemon_start((const gchar *const *)args->pdata, env);
	f->bus = hubd_test_session_bus();
	info = hubd_test_call(f->bus,
			      IFACE,
			      "GetListener",
			      g_variant_new_parsed("(@a{sv} {},)"),
			      G_VARIANT_TYPE("(a{sv})"),
			      &error);
	g_assert_no_error(error);
	dict = g_variant_get_child_value(info, 0);
	g_assert_true(g_variant_lookup(dict, "url", "s", &f->listener));
	g_assert_true(g_str_has_prefix(f->listener, "http://127.0.0.1:") ||
		      g_str_has_prefix(f->listener, "https://127.0.0.1:"));
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

	if (strstr(log, "-CRITICAL **") != NULL || strstr(log, "-WARNING **") != NULL)
		g_error("hubd logged a warning:\n%s", log);
	hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->tmp);
	g_free(f->tmp);
	g_free(f->listener);
}

/* POSTs (or `method`s) `body` to the listener with curl; returns the status */
static guint
post(Fixture *f, const gchar *method, const gchar *secret, const gchar *body, gsize len)
{
	g_autofree gchar *file = g_build_filename(f->tmp, "body", NULL);
	g_autofree gchar *data = g_strconcat("@", file, NULL);
	g_autofree gchar *header = g_strdup_printf("X-Webhook-Secret: %s", secret ? secret : "");
	g_autofree gchar *out = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *argv[] = {"curl",
			       "-s",
			       "-o",
			       "/dev/null",
			       "-w",
			       "%{http_code}",
			       "-X",
			       method,
			       "--data-binary",
			       data,
			       secret != NULL ? "-H" : "-s",
			       secret != NULL ? header : "-s",
			       f->listener,
			       NULL};

	g_assert_true(g_file_set_contents(file, body, (gssize)len, &error));
	g_assert_cmpint(hubd_test_run_command(argv, NULL, NULL, &out, NULL), ==, 0);
	return (guint)g_ascii_strtoull(out, NULL, 10);
}

static GVariant *
call(Fixture *f, const gchar *method, GVariant *params, const gchar *reply, GError **error)
{
	return hubd_test_call(f->bus, IFACE, method, params, G_VARIANT_TYPE(reply), error);
}

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

static void
assert_webhook(Fixture *f, const gchar *id, const gchar *url, gboolean disabled)
{
	g_autofree gchar *path = g_strdup_printf("/api/settings/webhooks/%s", id);
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *w;

	g_assert_cmpuint(hubd_test_hub_http(f->hub, "GET", path, ALICE_WRITE, NULL, &body),
			 ==,
			 200);
	node = hubd_test_parse_json(body);
	w = json_object_get_object_member(json_node_get_object(node), "webhook");
	g_assert_cmpstr(json_object_get_string_member(w, "url"), ==, url);
	g_assert_cmpint(json_object_get_boolean_member(w, "disabled"), ==, disabled);
}

static void
test_management(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = NULL;
	g_autoptr(GVariant) w = NULL;
	g_autoptr(GVariant) list = NULL;
	g_autofree gchar *id = NULL;
	gboolean b = TRUE;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *cli_id = NULL;
	g_autofree gchar *path = NULL;

	r = call(f,
		 "CreateWebhook",
		 g_variant_new_parsed("([('user', 'alice')], 'https://example.invalid/hook', "
				      "['repo'], 's3cret', @a{sv} {})"),
		 "(a{sv})",
		 &error);
	g_assert_no_error(error);
	w = g_variant_get_child_value(r, 0);
	g_assert_true(g_variant_lookup(w, "id", "s", &id));
	g_assert_true(g_variant_lookup(w, "managed", "b", &b));
	g_assert_false(b);
	assert_webhook(f, id, "https://example.invalid/hook", FALSE);

	g_clear_pointer(&r, g_variant_unref);
	r = call(f, "ListWebhooks", g_variant_new_parsed("(@a{sv} {},)"), "(aa{sv})", &error);
	g_assert_no_error(error);
	list = g_variant_get_child_value(r, 0);
	g_assert_cmpuint(g_variant_n_children(list), ==, 1);

	g_clear_pointer(&r, g_variant_unref);
	r = call(f,
		 "UpdateWebhook",
		 g_variant_new_parsed("(%s, [('model', %s)], 'https://example.invalid/two', "
				      "@as [], '', @a{sv} {})",
				      id,
				      REPO),
		 "(a{sv})",
		 &error);
	g_assert_no_error(error);
	assert_webhook(f, id, "https://example.invalid/two", FALSE);

	g_clear_pointer(&r, g_variant_unref);
	r = call(f,
		 "DisableWebhook",
		 g_variant_new_parsed("(%s, @a{sv} {})", id),
		 "(a{sv})",
		 &error);
	g_assert_no_error(error);
	assert_webhook(f, id, "https://example.invalid/two", TRUE);
	g_clear_pointer(&r, g_variant_unref);
	r = call(f,
		 "EnableWebhook",
		 g_variant_new_parsed("(%s, @a{sv} {})", id),
		 "(a{sv})",
		 &error);
	g_assert_no_error(error);
	assert_webhook(f, id, "https://example.invalid/two", FALSE);

	/* refused before anything is sent */
	g_clear_pointer(&r, g_variant_unref);
	r = call(f,
		 "CreateWebhook",
		 g_variant_new_parsed("([('bogus', 'x')], 'https://example.invalid/', @as [], '', "
				      "@a{sv} {})"),
		 "(a{sv})",
		 &error);
	hubd_test_assert_remote_error(error, ERR "InvalidArgument");
	g_clear_error(&error);
	r = call(f,
		 "CreateWebhook",
		 g_variant_new_parsed(
			 "([('model', %s)], 'https://example.invalid/', ['issues'], '', "
			 "@a{sv} {})",
			 REPO),
		 "(a{sv})",
		 &error);
	hubd_test_assert_remote_error(error, ERR "InvalidArgument");
	g_clear_error(&error);

	g_clear_pointer(&r, g_variant_unref);
	r = call(f, "DeleteWebhook", g_variant_new_parsed("(%s, @a{sv} {})", id), "()", &error);
	g_assert_no_error(error);
	g_clear_pointer(&r, g_variant_unref);
	path = g_strdup_printf("/api/settings/webhooks/%s", id);
	g_assert_cmpuint(hubd_test_hub_http(f->hub, "GET", path, ALICE_WRITE, NULL, NULL), ==, 404);
	/* the Hub's 404 for a webhook it does not know is NotFound, for every call */
	r = call(f, "GetWebhook", g_variant_new_parsed("(%s, @a{sv} {})", id), "(a{sv})", &error);
	hubd_test_assert_remote_error(error, ERR "NotFound");
	g_assert_nonnull(strstr(error->message, "Webhook not found"));
	g_clear_error(&error);
	r = call(f,
		 "UpdateWebhook",
		 g_variant_new_parsed("(%s, [('model', %s)], 'https://example.invalid/three', "
				      "@as [], '', @a{sv} {})",
				      id,
				      REPO),
		 "(a{sv})",
		 &error);
	hubd_test_assert_remote_error(error, ERR "NotFound");
	g_clear_error(&error);
	r = call(f,
		 "EnableWebhook",
		 g_variant_new_parsed("(%s, @a{sv} {})", id),
		 "(a{sv})",
		 &error);
	hubd_test_assert_remote_error(error, ERR "NotFound");
	g_clear_error(&error);
	r = call(f,
		 "DisableWebhook",
		 g_variant_new_parsed("(%s, @a{sv} {})", id),
		 "(a{sv})",
		 &error);
	hubd_test_assert_remote_error(error, ERR "NotFound");
	g_clear_error(&error);
	r = call(f, "DeleteWebhook", g_variant_new_parsed("(%s, @a{sv} {})", id), "()", &error);
	hubd_test_assert_remote_error(error, ERR "NotFound");
	g_clear_error(&error);

	/* the same through hubctl; the secret comes on stdin */
	{
		const gchar *create[] = {"webhooks",
					 "create",
					 "--watch",
					 "model:" REPO,
					 "--url",
					 "https://example.invalid/cli",
					 "--domain",
					 "repo",
					 "--secret-stdin",
					 NULL};
		const gchar *bad[] = {"webhooks", "create", "--watch", "repo-" REPO, NULL};
		const gchar *del[] = {"webhooks", "delete", "-y", NULL, NULL};
		const gchar *listing[] = {"webhooks", "list", "--json", NULL};
		g_autoptr(JsonNode) node = NULL;

		g_assert_cmpint(hubd_test_run_hubctl(create, "cli-secret\n", &out, &err), ==, 0);
		cli_id = hubd_test_one_line(out);
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
		assert_webhook(f, cli_id, "https://example.invalid/cli", FALSE);
		g_assert_cmpint(hubd_test_run_hubctl(listing, NULL, &out, &err), ==, 0);
		node = hubd_test_parse_json(out);
		g_assert_cmpuint(json_array_get_length(json_node_get_array(node)), ==, 1);
		g_assert_cmpstr(json_object_get_string_member(
					json_array_get_object_element(json_node_get_array(node), 0),
					"id"),
				==,
				cli_id);
		g_assert_null(strstr(out, "cli-secret"));
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
		g_assert_cmpint(hubd_test_run_hubctl(bad, NULL, &out, &err), ==, 64);
		g_assert_nonnull(strstr(err, "TYPE:NAME"));
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
		del[3] = cli_id;
		g_assert_cmpint(hubd_test_run_hubctl(del, NULL, &out, &err), ==, 0);
		g_assert_cmpstr(out, ==, "");
	}
	/* the secrets given went to the Hub, not into hubd's (debug) log */
	{
		g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

		g_assert_null(strstr(log, "s3cret"));
		g_assert_null(strstr(log, "cli-secret"));
	}
}

static void
test_status(Fixture *f, gconstpointer data)
{
	const gchar *argv[] = {"status", "--json", NULL};
	g_autofree gchar *out = NULL;
	g_autoptr(JsonNode) node = NULL;

	g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, NULL), ==, 0);
	node = hubd_test_parse_json(out);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node), "webhooks_url"),
			==,
			f->listener);
}

/* a sender that never finishes its request is cut off (request-timeout=1) */
static void
test_slow_sender(Fixture *f, gconstpointer data)
{
	g_autoptr(GUri) uri = g_uri_parse(f->listener, G_URI_FLAGS_NONE, NULL);
	g_autoptr(GSocketClient) client = g_socket_client_new();
	g_autoptr(GSocketConnection) conn = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *partial = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Webhook-Secret: x";
	gchar buf[256];
	gssize n;

	conn = g_socket_client_connect_to_host(client,
					       g_uri_get_host(uri),
					       (guint16)g_uri_get_port(uri),
					       NULL,
					       &error);
	g_assert_no_error(error);
	g_assert_true(g_output_stream_write_all(g_io_stream_get_output_stream(G_IO_STREAM(conn)),
						partial,
						strlen(partial),
						NULL,
						NULL,
						&error));
	/* bounded: the daemon must close within 15 s, not at a given moment */
	g_socket_set_timeout(g_socket_connection_get_socket(conn), 15);
	n = g_input_stream_read(g_io_stream_get_input_stream(G_IO_STREAM(conn)),
				buf,
				sizeof buf,
				NULL,
				&error);
	if (error != NULL)
		g_assert_false(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
	else
		g_assert_cmpint(n, ==, 0);
	/* and the listener still serves others */
	g_assert_cmpuint(post(f, "POST", NULL, "{}", 2), ==, 401);

	/* a kept-alive connection closed while the listener waits for its next
	 * request: the timer of that request goes with it (it once fired on a
	 * freed message one timeout later: a crash under load, and always
	 * under AddressSanitizer) */
	g_clear_object(&conn);
	conn = g_socket_client_connect_to_host(client,
					       g_uri_get_host(uri),
					       (guint16)g_uri_get_port(uri),
					       NULL,
					       &error);
	g_assert_no_error(error);
	{
		const gchar *get = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

		g_assert_true(
			g_output_stream_write_all(g_io_stream_get_output_stream(G_IO_STREAM(conn)),
						  get,
						  strlen(get),
						  NULL,
						  NULL,
						  &error));
		n = g_input_stream_read(g_io_stream_get_input_stream(G_IO_STREAM(conn)),
					buf,
					sizeof buf - 1,
					NULL,
					&error);
		g_assert_no_error(error);
		g_assert_cmpint(n, >, 12);
		buf[n] = '\0';
		g_assert_true(g_str_has_prefix(buf, "HTTP/1.1 405"));
	}
	g_assert_true(g_io_stream_close(G_IO_STREAM(conn), NULL, &error));
	/* past the 1 s request timeout */
	g_usleep(2 * G_USEC_PER_SEC);
	g_assert_cmpuint(post(f, "POST", NULL, "{}", 2), ==, 401);
}

static void
test_tls(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	const gchar *argv[] = {"curl",
			       "-s",
			       "-k",
			       "-o",
			       "/dev/null",
			       "-w",
			       "%{http_code}",
			       "-X",
			       "POST",
			       "-d",
			       "{}",
			       f->listener,
			       NULL};

	g_assert_true(g_str_has_prefix(f->listener, "https://"));
	g_assert_cmpint(hubd_test_run_command(argv, NULL, NULL, &out, NULL), ==, 0);
	g_assert_cmpstr(out, ==, "401");
}

static gboolean
three_attempts(gpointer data)
{
	Fixture *f = data;
	g_autoptr(JsonNode) log =
		hubd_test_hub_admin(f->hub, "GET", "/_testhub/webhook-deliveries", NULL);

	return json_array_get_length(json_node_get_array(log)) >= 3;
}

/* the local Hub retries a failed delivery twice, as its docs say */
static void
test_hub_retries(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r =
		call(f,
		     "CreateWebhook",
		     g_variant_new_parsed("([('model', %s)], 'http://127.0.0.1:1/closed', "
					  "@as [], 'x', @a{sv} {})",
					  REPO),
		     "(a{sv})",
		     &error);
	g_autoptr(JsonNode) log = NULL;
	JsonArray *arr;

	g_assert_no_error(error);
	g_free(hubd_test_hub_commit_files(f->hub,
					  ALICE_WRITE,
					  "model",
					  REPO,
					  "main",
					  0,
					  "r.txt",
					  "r\n",
					  NULL));
	g_assert_true(hubd_test_wait_for(three_attempts, f, 20000));
	g_usleep(G_USEC_PER_SEC / 2);
	log = hubd_test_hub_admin(f->hub, "GET", "/_testhub/webhook-deliveries", NULL);
	arr = json_node_get_array(log);
	g_assert_cmpuint(json_array_get_length(arr), ==, 3);
	for (guint i = 0; i < 3; i++) {
		JsonObject *d = json_array_get_object_element(arr, i);

		g_assert_cmpint(json_object_get_int_member(d, "attempt"), ==, i + 1);
		g_assert_cmpint(json_object_get_int_member(d, "status"), ==, 0);
		g_assert_cmpstr(json_object_get_string_member(d, "scope"), ==, "repo.content");
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
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
	g_test_add("/webhooks/management",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_management,
		   fixture_teardown);
	g_test_add("/webhooks/status", Fixture, NULL, fixture_setup, test_status, fixture_teardown);
	{
		static const gchar *const slow[] = {"--set", "webhooks.request-timeout=1", NULL};
		static const gchar *const tls[] = {WITH_TLS, NULL};

		g_test_add("/webhooks/slow-sender",
			   Fixture,
			   slow,
			   fixture_setup,
			   test_slow_sender,
			   fixture_teardown);
		g_test_add("/webhooks/tls",
			   Fixture,
			   tls,
			   fixture_setup,
			   test_tls,
			   fixture_teardown);
	}
	g_test_add("/webhooks/hub-retries",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_hub_retries,
		   fixture_teardown);
	return g_test_run();
}
