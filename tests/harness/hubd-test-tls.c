/* hubd-test-tls.c: TLS servers for tests (hubd-test-tls.h) */
#define G_LOG_DOMAIN "HubdTest"

#include "hubd-test-tls.h"

#include <gio/gio.h>
#include <signal.h>
#include <sys/wait.h>

#include "hubd-test-common.h"

guint
hubd_test_free_port(void)
{
	g_autoptr(GSocket) s = g_socket_new(G_SOCKET_FAMILY_IPV4,
					    G_SOCKET_TYPE_STREAM,
					    G_SOCKET_PROTOCOL_TCP,
					    NULL);
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(lo, 0);
	g_autoptr(GSocketAddress) got = NULL;

	g_assert_true(g_socket_bind(s, any, TRUE, NULL));
	got = g_socket_get_local_address(s, NULL);
	return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(got));
}

static void
run(const gchar *const *argv)
{
	g_autofree gchar *err = NULL;

	if (hubd_test_run_command(argv, NULL, NULL, NULL, &err) != 0)
		g_error("%s failed: %s", argv[0], err);
}

void
hubd_test_tls_make_certs(const gchar *dir, const gchar *ca_path)
{
	g_autofree gchar *key = g_build_filename(dir, "ca.key", NULL);
	g_autofree gchar *skey = g_build_filename(dir, "srv.key", NULL);
	g_autofree gchar *csr = g_build_filename(dir, "srv.csr", NULL);
	g_autofree gchar *crt = g_build_filename(dir, "srv.pem", NULL);
	g_autofree gchar *ext = g_build_filename(dir, "srv.ext", NULL);
	const gchar *ca_argv[] = {"openssl",
				  "req",
				  "-x509",
				  "-newkey",
				  "ec",
				  "-pkeyopt",
				  "ec_paramgen_curve:prime256v1",
				  "-nodes",
				  "-keyout",
				  key,
				  "-out",
				  ca_path,
				  "-days",
				  "2",
				  "-subj",
				  "/CN=hubd test CA",
				  NULL};
	const gchar *csr_argv[] = {"openssl",
				   "req",
				   "-newkey",
				   "ec",
				   "-pkeyopt",
				   "ec_paramgen_curve:prime256v1",
				   "-nodes",
				   "-keyout",
				   skey,
				   "-out",
				   csr,
				   "-subj",
				   "/CN=127.0.0.1",
				   NULL};
	const gchar *sign_argv[] = {"openssl",
				    "x509",
				    "-req",
				    "-in",
				    csr,
				    "-CA",
				    ca_path,
				    "-CAkey",
				    key,
				    "-CAcreateserial",
				    "-out",
				    crt,
				    "-days",
				    "2",
				    "-extfile",
				    ext,
				    NULL};

	hubd_test_write_file(ext,
			     "subjectAltName=IP:127.0.0.1,IP:127.0.0.2\n"
			     "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
	run(ca_argv);
	run(csr_argv);
	run(sign_argv);
}

GPid
hubd_test_spawn_server(const gchar *const *argv)
{
	g_autoptr(GError) error = NULL;
	GPid pid = 0;

	g_spawn_async(NULL,
		      (gchar **)argv,
		      NULL,
		      /* nothing of ours held open: a failed test must not
		       * leave meson waiting for these */
		      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
			      G_SPAWN_STDERR_TO_DEV_NULL,
		      /* a failed assertion skips the teardown: the servers
		       * must not outlive the test holding their ports */
		      hubd_test_child_setup,
		      NULL,
		      &pid,
		      &error);
	g_assert_no_error(error);
	return pid;
}

/* `user_data`: "HOST:PORT" */
static gboolean
port_open(gpointer user_data)
{
	g_autoptr(GSocketClient) client = g_socket_client_new();
	g_autoptr(GSocketConnection) c =
		g_socket_client_connect_to_host(client, user_data, 0, NULL, NULL);

	return c != NULL;
}

void
hubd_test_wait_port(const gchar *host, guint port)
{
	g_autofree gchar *where = g_strdup_printf("%s:%u", host, port);

	g_assert_true(hubd_test_wait_for(port_open, where, 10000));
}

void
hubd_test_stop_server(GPid *pid)
{
	if (*pid == 0)
		return;
	kill(*pid, SIGTERM);
	waitpid(*pid, NULL, 0);
	g_spawn_close_pid(*pid);
	*pid = 0;
}
