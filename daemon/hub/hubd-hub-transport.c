/* hubd-hub-transport.c: the trust store, the proxy and the HTTP version of hubd's HTTP
 * session, as huggingface_hub's (requests / httpx) take them from the
 * environment (docs/hub-http.md §9) */
#define G_LOG_DOMAIN "HubdHub"

#include "hubd-hub-transport.h"

#include <glib/gi18n.h>

#define PROXY_KEY "hubd-proxy-resolver"

/* NAME, else name (curl and requests read both). */
static const gchar *
hubd_hub_transport_env(const gchar *name)
{
	g_autofree gchar *lower = g_ascii_strdown(name, -1);
	const gchar *v = g_getenv(name);

	if (v == NULL || v[0] == '\0')
		v = g_getenv(lower);
	return v != NULL && v[0] != '\0' ? v : NULL;
}

#define CA_KEY "hubd-ca"

/* The CA file chosen at start, until it is read. */
typedef struct {
	gchar *path;
	gboolean loading;
	GPtrArray *waiting; /* GTask*: requests held until it is read */
} CaPending;

static void
ca_pending_free(gpointer p)
{
	CaPending *ca = p;

	g_free(ca->path);
	g_ptr_array_unref(ca->waiting);
	g_free(ca);
}

/* Remembers which CA file to trust; it is read when the first https
 * request goes out. Parsing a bundle costs ~3 MiB of heap (every CA parsed
 * by GnuTLS) that a daemon which only answers D-Bus, or talks to an http
 * endpoint, never needs; libsoup reads the system's store just as lazily
 * when no file is given. */
static void
hubd_hub_transport_setup_ca(SoupSession *session, HubdConfig *config)
{
	g_autofree gchar *file = hubd_config_get_string(config, "hub", "ca-file", NULL);
	const gchar *path = file;
	CaPending *ca;

	if (path == NULL || path[0] == '\0')
		path = g_getenv("SSL_CERT_FILE");
	if (path == NULL || path[0] == '\0')
		path = g_getenv("REQUESTS_CA_BUNDLE");
	if (path == NULL || path[0] == '\0')
		return;
	ca = g_new0(CaPending, 1);
	ca->path = g_strdup(path);
	ca->waiting = g_ptr_array_new_with_free_func(g_object_unref);
	g_object_set_data_full(G_OBJECT(session), CA_KEY, ca, ca_pending_free);
}

gboolean
hubd_hub_transport_is_ready(SoupSession *session, GUri *uri)
{
	return g_object_get_data(G_OBJECT(session), CA_KEY) == NULL ||
	       g_strcmp0(g_uri_get_scheme(uri), "https") != 0;
}

static void
hubd_hub_transport_load_thread(GTask *task, gpointer source, gpointer path, GCancellable *c)
{
	GError *error = NULL;
	GTlsDatabase *db = g_tls_file_database_new(path, &error);

	if (db == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, db, g_object_unref);
}

void
hubd_hub_transport_load_ca_async(const gchar *path,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_hub_transport_load_ca_async);
	g_task_set_task_data(task, g_strdup(path), g_free);
	g_task_run_in_thread(task, hubd_hub_transport_load_thread);
}

GTlsDatabase *
hubd_hub_transport_load_ca_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
hubd_hub_transport_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(SoupSession) session = user_data;
	CaPending *ca = g_object_steal_data(G_OBJECT(session), CA_KEY);
	g_autoptr(GError) error = NULL;
	g_autoptr(GTlsDatabase) db = hubd_hub_transport_load_ca_finish(res, &error);

	if (db == NULL) {
		/* the system's CAs stay: a typo must not open the door to anyone */
		g_warning("the CA file %s cannot be used (%s); trusting the system's CAs",
			  ca->path,
			  error->message);
	} else {
		g_debug("trusting the CAs of %s", ca->path);
		soup_session_set_tls_database(session, db);
	}
	for (guint i = 0; i < ca->waiting->len; i++)
		g_task_return_boolean(g_ptr_array_index(ca->waiting, i), TRUE);
	ca_pending_free(ca);
}

void
hubd_hub_transport_prepare_async(SoupSession *session,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	CaPending *ca = g_object_get_data(G_OBJECT(session), CA_KEY);
	GTask *task = g_task_new(session, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_hub_transport_prepare_async);
	if (ca == NULL) {
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}
	g_ptr_array_add(ca->waiting, task);
	if (ca->loading)
		return;
	/* read and parsed in a worker: some hundred KiB of PEM, once */
	ca->loading = TRUE;
	hubd_hub_transport_load_ca_async(ca->path,
					 NULL,
					 hubd_hub_transport_loaded_cb,
					 g_object_ref(session));
}

gboolean
hubd_hub_transport_prepare_finish(SoupSession *session, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, session), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* A desktop session names itself; GIO's proxy resolvers read its settings. */
static gboolean
hubd_hub_transport_on_desktop(void)
{
	const gchar *desktop = g_getenv("XDG_CURRENT_DESKTOP");

	return desktop != NULL && desktop[0] != '\0';
}

void
hubd_hub_transport_setup_proxy(SoupSession *session)
{
	const gchar *https = hubd_hub_transport_env("HTTPS_PROXY");
	const gchar *http = hubd_hub_transport_env("HTTP_PROXY");
	const gchar *all = hubd_hub_transport_env("ALL_PROXY");
	const gchar *no = hubd_hub_transport_env("NO_PROXY");
	g_autoptr(GPtrArray) ignore = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) parts = NULL;
	GProxyResolver *resolver;

	if (https == NULL && http == NULL && all == NULL) {
		/* On a desktop GIO's default resolver applies the desktop's
		 * settings. Elsewhere it has nothing to add (libproxy reads these
		 * same variables) and asking for it loads every GIO proxy module,
		 * 2 MiB resident for good (libproxy pulls in libstdc++): go
		 * direct, as huggingface_hub does. */
		if (!hubd_hub_transport_on_desktop())
			soup_session_set_proxy_resolver(session, NULL);
		return;
	}
	if (g_strcmp0(no, "*") == 0) {
		soup_session_set_proxy_resolver(session, NULL); /* none, not the desktop's */
		return;
	}
	parts = g_strsplit(no != NULL ? no : "", ",", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		gchar *p = g_strstrip(parts[i]);
		if (*p == '\0')
			continue;
		/* ".example.com" in NO_PROXY is "*.example.com" to GIO */
		g_ptr_array_add(ignore, p[0] == '.' ? g_strconcat("*", p, NULL) : g_strdup(p));
	}
	g_ptr_array_add(ignore, NULL);
	resolver = g_simple_proxy_resolver_new(all, (gchar **)ignore->pdata);
	if (https != NULL)
		g_simple_proxy_resolver_set_uri_proxy(G_SIMPLE_PROXY_RESOLVER(resolver),
						      "https",
						      https);
	if (http != NULL)
		g_simple_proxy_resolver_set_uri_proxy(G_SIMPLE_PROXY_RESOLVER(resolver),
						      "http",
						      http);
	soup_session_set_proxy_resolver(session, resolver);
	g_object_set_data_full(G_OBJECT(session), PROXY_KEY, resolver, g_object_unref);
}

void
hubd_hub_transport_setup(SoupSession *session, HubdConfig *config)
{
	hubd_hub_transport_setup_ca(session, config);
	hubd_hub_transport_setup_proxy(session);
}

/* The proxy the environment names for `uri`, or NULL. */
static gchar *
hubd_hub_transport_proxy_for(SoupSession *session, GUri *uri)
{
	GProxyResolver *resolver = g_object_get_data(G_OBJECT(session), PROXY_KEY);
	g_autofree gchar *text = NULL;
	g_auto(GStrv) proxies = NULL;

	if (resolver == NULL)
		return NULL;
	text = g_uri_to_string(uri);
	/* a simple resolver answers from memory: no network, no wait */
	proxies = g_proxy_resolver_lookup(resolver, text, NULL, NULL);
	if (proxies == NULL || proxies[0] == NULL || g_str_equal(proxies[0], "direct://"))
		return NULL;
	return g_strdup(proxies[0]);
}

gchar *
hubd_hub_transport_describe_final(SoupSession *session, GUri *uri, const GError *error)
{
	g_autofree gchar *proxy = NULL;

	/* other TLS errors (a handshake cut short) may pass: retried */
	if (g_error_matches(error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
		return g_strdup_printf(_("Cannot reach the Hub at %s: its TLS certificate is not "
					 "trusted (%s); a private CA can be given with [hub] "
					 "ca-file= or SSL_CERT_FILE"),
				       g_uri_get_host(uri),
				       error->message);
	if (error->domain != G_IO_ERROR)
		return NULL;
	proxy = hubd_hub_transport_proxy_for(session, uri);
	if (proxy == NULL)
		return NULL;
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PROXY_AUTH_FAILED) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PROXY_NEED_AUTH) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PROXY_NOT_ALLOWED))
		return g_strdup_printf(_("Cannot reach the Hub at %s through the proxy %s "
					 "(HTTPS_PROXY, HTTP_PROXY or ALL_PROXY): %s"),
				       g_uri_get_host(uri),
				       proxy,
				       error->message);
	return NULL;
}

#define HTTP2_HOSTS_KEY "hubd-http2-hosts"

static gchar *
hubd_hub_transport_host_key(GUri *uri)
{
	return g_strdup_printf("%s:%d", g_uri_get_host(uri), g_uri_get_port(uri));
}

/* Remembers the hosts that chose HTTP/2, from the handshakes of any message. */
static void
hubd_hub_transport_http2_seen_cb(SoupMessage *msg,
				 GSocketClientEvent event,
				 GIOStream *connection,
				 gpointer user_data)
{
	SoupSession *session = user_data;
	GHashTable *hosts;

	if (event != G_SOCKET_CLIENT_TLS_HANDSHAKED || !G_IS_TLS_CONNECTION(connection) ||
	    g_strcmp0(g_tls_connection_get_negotiated_protocol(G_TLS_CONNECTION(connection)),
		      "h2") != 0)
		return;
	hosts = g_object_get_data(G_OBJECT(session), HTTP2_HOSTS_KEY);
	if (hosts == NULL) {
		hosts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		g_object_set_data_full(G_OBJECT(session),
				       HTTP2_HOSTS_KEY,
				       hosts,
				       (GDestroyNotify)g_hash_table_unref);
	}
	g_hash_table_add(hosts, hubd_hub_transport_host_key(soup_message_get_uri(msg)));
}

/* libsoup sets the connection's ALPN list before it announces the
 * handshake; a list without "h2" makes the server choose HTTP/1.1. */
static void
hubd_hub_transport_http1_event_cb(SoupMessage *msg,
				  GSocketClientEvent event,
				  GIOStream *connection,
				  gpointer user_data)
{
	static const gchar *const http1[] = {"http/1.1", NULL};

	if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && G_IS_TLS_CONNECTION(connection))
		g_tls_connection_set_advertised_protocols(G_TLS_CONNECTION(connection), http1);
}

void
hubd_hub_transport_watch(SoupSession *session, SoupMessage *msg, gboolean streamed_body)
{
	GUri *uri = soup_message_get_uri(msg);
	GHashTable *hosts;
	g_autofree gchar *key = NULL;

	if (g_ascii_strcasecmp(g_uri_get_scheme(uri), "https") != 0)
		return; /* HTTP/2 is only ever chosen in a TLS handshake */
	g_signal_connect_object(msg,
				"network-event",
				G_CALLBACK(hubd_hub_transport_http2_seen_cb),
				session,
				0);
	if (!streamed_body)
		return;
	g_signal_connect(msg, "network-event", G_CALLBACK(hubd_hub_transport_http1_event_cb), NULL);
	/* libsoup would carry it over an HTTP/2 connection it has to the host;
	 * to other hosts idle (HTTP/1.1) connections are reused */
	hosts = g_object_get_data(G_OBJECT(session), HTTP2_HOSTS_KEY);
	key = hubd_hub_transport_host_key(uri);
	if (hosts != NULL && g_hash_table_contains(hosts, key))
		soup_message_add_flags(msg, SOUP_MESSAGE_NEW_CONNECTION);
}

static void
hubd_hub_transport_queued_cb(SoupSession *session, SoupMessage *msg, gpointer user_data)
{
	g_signal_connect(msg, "network-event", G_CALLBACK(hubd_hub_transport_http1_event_cb), NULL);
}

void
hubd_hub_transport_http1_only(SoupSession *session)
{
	g_signal_connect(session, "request-queued", G_CALLBACK(hubd_hub_transport_queued_cb), NULL);
}
