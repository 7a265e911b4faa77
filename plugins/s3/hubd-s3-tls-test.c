/* hubd-s3-tls-test.c: the S3 backend over TLS, through nginx (HTTP/2 on
 * offer, as MinIO or Ceph behind a TLS proxy may be) in front of s3rver,
 * with a private CA: trusted through the ca-bundle option, refused without
 * it, and every request over HTTP/1.1 (libsoup 3.2's HTTP/2 client can hang
 * on a multi-megabyte body). */
#define G_LOG_DOMAIN "HubdS3TlsTest"

#include <glib/gstdio.h>
#include <string.h>

#include "hubd-plugin.h"
#include "hubd-s3-test-server.h"
#include "hubd-storage-conformance.h"
#include "hubd-test-common.h"
#include "hubd-test-tls.h"

static HubdTestS3Server *server;
static gchar *dir;
static gchar *ca;
static guint port; /* nginx, TLS */

static void
nginx_start(void)
{
	g_autoptr(GUri) uri = g_uri_parse(hubd_test_s3_server_get_endpoint(server), 0, NULL);
	g_autofree gchar *conf = g_build_filename(dir, "nginx.conf", NULL);
	g_autofree gchar *tmp = g_build_filename(dir, "tmp", NULL);
	g_autofree gchar *text = NULL;
	const gchar *argv[] = {"nginx", "-c", conf, "-p", dir, NULL};

	port = hubd_test_free_port();
	text = g_strdup_printf(
		/* one process: it dies with the test (hubd_test_spawn_server()) */
		"daemon off; master_process off; pid %s/nginx.pid; error_log %s/error.log info;\n"
		"events { worker_connections 64; }\n"
		"http {\n"
		"  log_format t '$request_method $uri $server_protocol $status';\n"
		"  access_log %s/access.log t;\n"
		"  client_body_temp_path %s; proxy_temp_path %s;\n"
		"  fastcgi_temp_path %s; uwsgi_temp_path %s; scgi_temp_path %s;\n"
		"  client_max_body_size 0; proxy_buffering off; proxy_request_buffering off;\n"
		"  proxy_http_version 1.1;\n"
		"  server { listen 127.0.0.1:%u ssl http2;\n"
		"    ssl_certificate %s/srv.pem; ssl_certificate_key %s/srv.key;\n"
		/* the Host the client signed, as S3 checks it */
		"    location / { proxy_pass http://127.0.0.1:%d;\n"
		"      proxy_set_header Host $http_host; } }\n"
		"}\n",
		dir,
		dir,
		dir,
		tmp,
		tmp,
		tmp,
		tmp,
		tmp,
		port,
		dir,
		dir,
		g_uri_get_port(uri));
	hubd_test_write_file(conf, text);
	g_mkdir_with_parents(tmp, 0777);
	g_chmod(tmp, 0777);
	hubd_test_spawn_server(argv);
	hubd_test_wait_port("127.0.0.1", port);
}

static HubdStorage *
backend(const gchar *prefix, const gchar *ca_bundle)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *url = g_strdup_printf("s3://" HUBD_TEST_S3_BUCKET "/%s", prefix);
	g_autofree gchar *endpoint = g_strdup_printf("https://127.0.0.1:%u", port);
	/* hubd.conf's settings of the backend, not D-Bus options */
	GVariant *options =
		ca_bundle != NULL
			? g_variant_new_parsed("{'endpoint': <%s>, 'credentials': <'env'>, "
					       "'part-size': <'5242880'>, 'ca-bundle': <%s>}",
					       endpoint,
					       ca_bundle)
			: g_variant_new_parsed("{'endpoint': <%s>, 'credentials': <'env'>, "
					       "'part-size': <'5242880'>}",
					       endpoint);
	HubdStorage *storage;

	storage = hubd_storage_new("tls", url, options, NULL, &error);
	g_assert_no_error(error);
	return storage;
}

static gchar *
read_log(const gchar *name)
{
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	gchar *log = NULL;

	g_assert_true(g_file_get_contents(path, &log, NULL, NULL));
	return log;
}

/* ca-bundle trusts the private CA: an 11 MiB multipart put and a read back
 * whole, every request over HTTP/1.1 though nginx offers HTTP/2. */
static void
test_ca_bundle(void)
{
	g_autoptr(HubdStorage) storage = backend("trusted", ca);
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(11 * 1024 * 1024, 9);
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GBytes) back = NULL;
	g_autofree gchar *log = NULL;
	g_auto(GStrv) lines = NULL;
	guint parts = 0;

	/* unknown length: the multipart path, three parts */
	object = hubd_storage_conformance_put_stream(storage, "big.bin", stream, -1, NULL, &error);
	g_assert_no_error(error);
	back = hubd_storage_conformance_get(storage, "big.bin", 0, -1, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, bytes));
	log = read_log("access.log");
	lines = g_strsplit(log, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] == '\0')
			continue;
		if (strstr(lines[i], " HTTP/1.1 ") == NULL)
			g_error("not over HTTP/1.1: %s", lines[i]);
		parts += g_str_has_prefix(lines[i], "PUT ") && strstr(lines[i], " 200") != NULL;
	}
	g_assert_cmpuint(parts, ==, 3);
}

static guint
handshakes_refused(void)
{
	g_autofree gchar *log = read_log("error.log");
	guint n = 0;

	for (const gchar *p = log; (p = strstr(p, "while SSL handshaking")) != NULL; p++)
		n++;
	return n;
}

static guint refused_before;

/* nginx logs a refused handshake when it sees the connection close, which
 * may be just after the client gave up */
static gboolean
handshake_logged(gpointer user_data)
{
	return handshakes_refused() > refused_before;
}

/* Without it, the certificate is refused, at once (no retry cures it: one
 * handshake in nginx's log), saying how to trust a private CA. */
static void
test_untrusted(void)
{
	g_autoptr(HubdStorage) storage = backend("untrusted", NULL);
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(1000, 10);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;

	refused_before = handshakes_refused();
	object = hubd_storage_conformance_put(storage, "a.bin", bytes, &error);
	g_assert_null(object);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_NETWORK);
	g_assert_nonnull(strstr(error->message, "not trusted"));
	g_assert_nonnull(strstr(error->message, "ca-bundle"));
	g_assert_true(hubd_test_wait_for(handshake_logged, NULL, 10000));
	g_assert_cmpuint(handshakes_refused() - refused_before, ==, 1);
}

/* A CA bundle that cannot be read: a clear error naming it. */
static void
test_bad_ca_bundle(void)
{
	g_autoptr(HubdStorage) storage = backend("bad", "/nonexistent/ca.pem");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(1000, 11);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;

	object = hubd_storage_conformance_put(storage, "a.bin", bytes, &error);
	g_assert_null(object);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "/nonexistent/ca.pem"));
}

static void
skip_without_tools(void)
{
	g_test_skip("nginx and openssl are needed");
}

int
main(int argc, char **argv)
{
	const gchar *plugin = g_getenv("HUBD_TEST_S3_PLUGIN");
	g_autofree gchar *nginx = g_find_program_in_path("nginx");
	g_autofree gchar *openssl = g_find_program_in_path("openssl");
	int ret;

	g_test_init(&argc, &argv, NULL);
	g_assert_nonnull(plugin);
	if (nginx == NULL || openssl == NULL) {
		/* each case reported as skipped, in TAP as meson reads it */
		g_test_add_func("/s3/tls/ca-bundle", skip_without_tools);
		g_test_add_func("/s3/tls/untrusted", skip_without_tools);
		g_test_add_func("/s3/tls/bad-ca-bundle", skip_without_tools);
		return g_test_run();
	}
	hubd_test_s3_load_plugin();
	g_unsetenv("AWS_CA_BUNDLE");
	dir = g_dir_make_tmp("hubd-s3-tls-XXXXXX", NULL);
	g_assert_nonnull(dir);
	ca = g_build_filename(dir, "ca.pem", NULL);
	hubd_test_tls_make_certs(dir, ca);
	server = hubd_test_s3_server_start();
	nginx_start();
	g_test_add_func("/s3/tls/ca-bundle", test_ca_bundle);
	g_test_add_func("/s3/tls/untrusted", test_untrusted);
	g_test_add_func("/s3/tls/bad-ca-bundle", test_bad_ca_bundle);
	ret = g_test_run();
	hubd_test_s3_server_free(server);
	return ret;
}
