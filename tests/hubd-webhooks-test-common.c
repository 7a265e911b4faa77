/* hubd-webhooks-test-common.c: the fixture of hubd-webhooks-test — a local Hub
 * with alice/w and the daemon with its listener on (over TLS if asked) — and
 * the two ways the cases reach the daemon: curl to the listener, D-Bus calls */
#include "hubd-webhooks-test-common.h"

void
fixture_setup(Fixture *f, gconstpointer data)
{
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
	hubd_test_hub_create_repo(f->hub, ALICE_WRITE, "{\"name\":\"w\",\"type\":\"model\"}");
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

void
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
guint
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

GVariant *
call(Fixture *f, const gchar *method, GVariant *params, const gchar *reply, GError **error)
{
	return hubd_test_call(f->bus, IFACE, method, params, G_VARIANT_TYPE(reply), error);
}
