/* hubd-webhooks-test-transport.c: the connections themselves — a sender that
 * never finishes its request, the listener over TLS, and the Hub's retries of
 * a delivery that cannot connect (part of hubd-webhooks-test) */
#include "hubd-webhooks-test-common.h"

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

void
hubd_webhooks_test_add_transport_tests(void)
{
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
}
