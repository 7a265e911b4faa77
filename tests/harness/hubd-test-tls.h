/* hubd-test-tls.h: TLS servers for tests — a private CA and a certificate
 * made with openssl, servers (nginx) spawned so that they die with the test,
 * and free loopback ports */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A loopback TCP port nothing listens on (it may be taken again later). */
guint
hubd_test_free_port(void);

/* Writes a CA (`ca_path`) and, in `dir`, srv.pem and srv.key: a certificate
 * it signed for 127.0.0.1 and 127.0.0.2. */
void
hubd_test_tls_make_certs(const gchar *dir, const gchar *ca_path);

/* Starts argv[0] (found in PATH) with its output discarded; it is killed
 * when the test dies. */
GPid
hubd_test_spawn_server(const gchar *const *argv);

/* Waits up to 10 s for HOST:PORT to accept a connection. */
void
hubd_test_wait_port(const gchar *host, guint port);

/* SIGTERM, wait, forget; nothing when *pid is 0. */
void
hubd_test_stop_server(GPid *pid);

G_END_DECLS
