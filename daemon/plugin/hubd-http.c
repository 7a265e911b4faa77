/* hubd-http.c: a plugin's own HTTP session, set up as hubd's is (hubd-http.h) */
#define G_LOG_DOMAIN "HubdPlugins"

#include "hubd-http.h"

#include "hubd-hub-transport.h"

/**
 * hubd_http_session_setup_proxy:
 * @session: a #SoupSession a plugin made for a server of its own (an S3
 *   endpoint, say)
 *
 * Gives @session the proxy hubd's own session has: the one HTTPS_PROXY,
 * HTTP_PROXY or ALL_PROXY names (either case), minus the hosts of NO_PROXY
 * (`*`: no proxy at all), when any is set; otherwise, in a desktop session
 * (XDG_CURRENT_DESKTOP), the desktop's proxy settings through GIO's default
 * resolver; otherwise none. A session left as libsoup makes it asks GIO's
 * default resolver even outside a desktop, which loads every GIO proxy
 * module (libproxy and libstdc++ with it, about 2 MiB that stay resident)
 * for nothing those variables do not already say.
 *
 * Since: 0.1
 */
void
hubd_http_session_setup_proxy(SoupSession *session)
{
	g_return_if_fail(SOUP_IS_SESSION(session));
	hubd_hub_transport_setup_proxy(session);
}

/**
 * hubd_http_session_use_http1:
 * @session: a #SoupSession a plugin made for a server of its own
 *
 * Makes every connection @session opens offer only HTTP/1.1 in its TLS
 * handshake, as the AWS CLI's and Python's HTTP clients do. libsoup 3.2's
 * HTTP/2 client can hang a request whose body takes more than one write
 * when the answer comes before the body's last frame is booked as sent
 * (docs/hub-http.md §9.3); a session that sends large bodies to servers
 * that may speak HTTP/2 (MinIO or Ceph behind TLS) should call this before
 * its first request.
 *
 * Since: 0.1
 */
void
hubd_http_session_use_http1(SoupSession *session)
{
	g_return_if_fail(SOUP_IS_SESSION(session));
	hubd_hub_transport_http1_only(session);
}

/**
 * hubd_http_load_ca_file_async:
 * @path: a PEM file of CA certificates
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context when it is read
 * @user_data: for @callback
 *
 * Reads and parses @path in a worker thread, as hubd reads its own
 * `[hub] ca-file`: the trust store for soup_session_set_tls_database() of a
 * session whose server has a private CA.
 *
 * Since: 0.1
 */
void
hubd_http_load_ca_file_async(const gchar *path,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_return_if_fail(path != NULL);
	hubd_hub_transport_load_ca_async(path, cancellable, callback, user_data);
}

/**
 * hubd_http_load_ca_file_finish:
 * @result: the result given to the callback
 * @error: where the reason goes when the file cannot be read or parsed
 *
 * Returns: (transfer full): the trust store, or %NULL with @error set
 *
 * Since: 0.1
 */
GTlsDatabase *
hubd_http_load_ca_file_finish(GAsyncResult *result, GError **error)
{
	return hubd_hub_transport_load_ca_finish(result, error);
}
