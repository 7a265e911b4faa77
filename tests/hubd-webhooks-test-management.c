/* hubd-webhooks-test-management.c: the management calls (CreateWebhook through
 * DeleteWebhook) and `hubctl webhooks` as the Hub records them, and the
 * listener's URL in `hubctl status` (part of hubd-webhooks-test) */
#include "hubd-webhooks-test-common.h"

#define ERR "org.hubd.Hub1.Error."

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

void
hubd_webhooks_test_add_management_tests(void)
{
	g_test_add("/webhooks/management",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_management,
		   fixture_teardown);
	g_test_add("/webhooks/status", Fixture, NULL, fixture_setup, test_status, fixture_teardown);
}
