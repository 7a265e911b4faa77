/* hubd-webhook-listener.c: accepts the Hub's webhook deliveries.
 *
 * A delivery is a POST with a JSON body and X-Webhook-Secret
 * (docs/hub-webhooks.md §1-2). The secret is checked as soon as the headers
 * are in, before any body is read, so a flood of bad requests costs one
 * hash each; a Content-Length over the limit is refused there too. The
 * answers: 405 for other methods, 401 for a missing or wrong secret, 413 for
 * a body over HUBD_WEBHOOK_MAX_BODY, 400 for what is not a Hub payload, 200
 * otherwise. A request that is not complete within
 * the request timeout (default HUBD_WEBHOOK_REQUEST_TIMEOUT_S) has its
 * connection shut down.
 *
 * The server runs in a thread of its own, with its own main context, so
 * that a flood of deliveries (or of bad ones) never delays hubd's D-Bus
 * calls on the main loop: parsing happens there too, and only accepted
 * events are handed to the main loop.
 *
 * Connections are accepted here (a GSocketService) and handed to the
 * SoupServer with soup_server_accept_iostream(): the SoupServer's own
 * listener in libsoup 3.2 keeps a reference to every socket it accepts
 * (fixed upstream in soup-listener.c, listen_watch), a leak per delivery in
 * a daemon that runs for months. That server keeps a connection alive only
 * while it has a listener of its own (soup-server.c, request_finished():
 * "priv->listeners"); without one every delivery cost a connection. So it
 * gets a listener that can never accept anything: one end of a socket pair
 * whose other end stays here, unreachable from outside the process. */
#define G_LOG_DOMAIN "HubdWebhooks"

#include "hubd-webhook-listener.h"

#include <errno.h>
#include <gio/gnetworking.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hubd-error.h"

struct _HubdWebhookListener {
	GObject parent_instance;
	HubdWebhookSecrets *secrets;
	HubdWebhookListenerFunc func;
	gpointer user_data;
	SoupServer *server;
	GSocketService *service;
	GSocket *keepalive_peer;      /* the other end of the server's own "listener" */
	GTlsCertificate *certificate; /* NULL: plain HTTP */
	gchar *url;
	guint request_timeout_s;
	GMainContext *context; /* the listener thread's */
	GMainLoop *loop;
	GThread *thread;
	GMainContext *main_context; /* where func is called */
	GMutex pending_lock;
	GPtrArray *pending; /* HubdWebhookEvent*, accepted, not yet handed over */
};

G_DEFINE_TYPE(HubdWebhookListener, hubd_webhook_listener, G_TYPE_OBJECT)

/* the Hub retries a refused connection; a burst of deliveries should not be */
#define LISTEN_BACKLOG 128

#define TIMER_KEY   "hubd-webhook-timer"
#define WEBHOOK_KEY "hubd-webhook-id"

static void
hubd_webhook_listener_dispose(GObject *object)
{
	HubdWebhookListener *self = HUBD_WEBHOOK_LISTENER(object);

	hubd_webhook_listener_stop(self);
	g_clear_object(&self->secrets);
	g_clear_pointer(&self->main_context, g_main_context_unref);
	G_OBJECT_CLASS(hubd_webhook_listener_parent_class)->dispose(object);
}

static void
hubd_webhook_listener_finalize(GObject *object)
{
	HubdWebhookListener *self = HUBD_WEBHOOK_LISTENER(object);

	g_ptr_array_unref(self->pending);
	g_mutex_clear(&self->pending_lock);
	G_OBJECT_CLASS(hubd_webhook_listener_parent_class)->finalize(object);
}

static void
hubd_webhook_listener_class_init(HubdWebhookListenerClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = hubd_webhook_listener_dispose;
	G_OBJECT_CLASS(klass)->finalize = hubd_webhook_listener_finalize;
}

static void
hubd_webhook_listener_init(HubdWebhookListener *self)
{
	g_mutex_init(&self->pending_lock);
	self->pending = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_webhook_event_free);
}

HubdWebhookListener *
hubd_webhook_listener_new(HubdWebhookSecrets *secrets,
			  guint request_timeout_s,
			  HubdWebhookListenerFunc func,
			  gpointer user_data)
{
	HubdWebhookListener *self = g_object_new(HUBD_TYPE_WEBHOOK_LISTENER, NULL);

	self->request_timeout_s =
		request_timeout_s > 0 ? request_timeout_s : HUBD_WEBHOOK_REQUEST_TIMEOUT_S;

	self->secrets = g_object_ref(secrets);
	self->main_context = g_main_context_ref_thread_default();
	self->func = func;
	self->user_data = user_data;
	return self;
}

/* The fixed answers, as static bodies: a flood of bad requests allocates
 * nothing for its replies. */
#define BODY_OK           "{\"ok\":true}"
#define BODY_NOT_POST     "{\"error\":\"Only POST is accepted.\"}"
#define BODY_NO_SECRET    "{\"error\":\"X-Webhook-Secret header not set.\"}"
#define BODY_WRONG_SECRET "{\"error\":\"Invalid webhook secret.\"}"
#define BODY_TOO_LARGE    "{\"error\":\"The body is over 1 MiB.\"}"

static void
reply_static(SoupServerMessage *msg, guint status, const gchar *body)
{
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg,
					 "application/json",
					 SOUP_MEMORY_STATIC,
					 body,
					 strlen(body));
}

/* {"error": TEXT} for a parser's message */
static void
reply_error(SoupServerMessage *msg, guint status, const gchar *text)
{
	g_autoptr(JsonNode) node = json_node_init_string(json_node_alloc(), text);
	g_autofree gchar *quoted = json_to_string(node, FALSE);
	g_autofree gchar *body = g_strdup_printf("{\"error\":%s}", quoted);

	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg,
					 "application/json",
					 SOUP_MEMORY_COPY,
					 body,
					 strlen(body));
}

/* ---- slow senders ---- */

static gboolean
request_timeout_cb(gpointer user_data)
{
	SoupServerMessage *msg = user_data;
	GSource *timer = g_object_steal_data(G_OBJECT(msg), TIMER_KEY);
	g_autoptr(GIOStream) stream = NULL;

	g_debug("a webhook sender took too long: closing");
	if (timer != NULL)
		g_source_unref(timer);
	/* taken from the server, which forgets it; closing it drops the peer */
	stream = soup_server_message_steal_connection(msg);
	if (stream != NULL)
		g_io_stream_close(stream, NULL, NULL);
	return G_SOURCE_REMOVE;
}

static void
destroy_timer(gpointer data)
{
	g_source_destroy(data);
	g_source_unref(data);
}

/* also when the message goes without finishing (a kept-alive connection
 * closed while waiting for its next request): the timer goes with it */
static void
stop_timer(SoupServerMessage *msg)
{
	g_object_set_data(G_OBJECT(msg), TIMER_KEY, NULL);
}

/* headers in (the server's early handler): refuse what needs no body read */
static void
early_handler_cb(SoupServer *server,
		 SoupServerMessage *msg,
		 const char *path,
		 GHashTable *query,
		 gpointer user_data)
{
	HubdWebhookListener *self = HUBD_WEBHOOK_LISTENER(user_data);
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	const gchar *secret = soup_message_headers_get_one(headers, "X-Webhook-Secret");
	gchar *id;

	if (g_strcmp0(soup_server_message_get_method(msg), "POST") != 0) {
		soup_message_headers_replace(soup_server_message_get_response_headers(msg),
					     "Allow",
					     "POST");
		reply_static(msg, SOUP_STATUS_METHOD_NOT_ALLOWED, BODY_NOT_POST);
		return;
	}
	if (secret == NULL) {
		reply_static(msg, SOUP_STATUS_UNAUTHORIZED, BODY_NO_SECRET);
		return;
	}
	id = hubd_webhook_secrets_match(self->secrets, secret, strlen(secret));
	if (id == NULL) {
		reply_static(msg, SOUP_STATUS_UNAUTHORIZED, BODY_WRONG_SECRET);
		return;
	}
	if (soup_message_headers_get_content_length(headers) > HUBD_WEBHOOK_MAX_BODY) {
		g_free(id);
		reply_static(msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, BODY_TOO_LARGE);
		return;
	}
	g_object_set_data_full(G_OBJECT(msg), WEBHOOK_KEY, id, g_free);
}

/* the server's request-finished and request-aborted */
static void
finished_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	stop_timer(msg);
}

static void
request_started_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	HubdWebhookListener *self = HUBD_WEBHOOK_LISTENER(user_data);
	GSource *timer = g_timeout_source_new_seconds(self->request_timeout_s);

	g_source_set_callback(timer, request_timeout_cb, msg, NULL);
	g_source_attach(timer, self->context);
	/* the server's own signals and early handler do the rest: no closure
	 * per request */
	g_object_set_data_full(G_OBJECT(msg), TIMER_KEY, timer, destroy_timer);
}

/* On the main loop: every event accepted since the last call, in order. The
 * listener thread wakes the main loop once per batch, not once per event. */
static gboolean
deliver_cb(gpointer user_data)
{
	HubdWebhookListener *self = user_data;
	g_autoptr(GPtrArray) batch = NULL;

	g_mutex_lock(&self->pending_lock);
	batch = g_steal_pointer(&self->pending);
	self->pending = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_webhook_event_free);
	g_mutex_unlock(&self->pending_lock);
	for (guint i = 0; self->func != NULL && i < batch->len; i++)
		self->func(g_ptr_array_index(batch, i), self->user_data);
	return G_SOURCE_REMOVE;
}

static void
hand_over(HubdWebhookListener *self, HubdWebhookEvent *event)
{
	gboolean first;

	/* the signal's a{sv} is made here, off the main loop */
	hubd_webhook_event_get_variant(event);
	g_mutex_lock(&self->pending_lock);
	g_ptr_array_add(self->pending, event);
	first = self->pending->len == 1;
	g_mutex_unlock(&self->pending_lock);
	if (first)
		g_main_context_invoke_full(self->main_context,
					   G_PRIORITY_DEFAULT,
					   deliver_cb,
					   g_object_ref(self),
					   g_object_unref);
}

/* the whole request is in */
static void
handler_cb(SoupServer *server,
	   SoupServerMessage *msg,
	   const char *path,
	   GHashTable *query,
	   gpointer user_data)
{
	HubdWebhookListener *self = HUBD_WEBHOOK_LISTENER(user_data);
	const gchar *webhook_id = g_object_get_data(G_OBJECT(msg), WEBHOOK_KEY);
	SoupMessageBody *request_body = soup_server_message_get_request_body(msg);
	g_autoptr(GBytes) body = NULL;
	g_autoptr(HubdWebhookEvent) event = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	const gchar *data;

	stop_timer(msg);
	if (soup_server_message_get_status(msg) != 0)
		return; /* answered when the headers came */
	if (webhook_id == NULL) {
		reply_static(msg, SOUP_STATUS_UNAUTHORIZED, BODY_WRONG_SECRET);
		return;
	}
	if (request_body->length > HUBD_WEBHOOK_MAX_BODY) {
		reply_static(msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, BODY_TOO_LARGE);
		return;
	}
	body = soup_message_body_flatten(request_body);
	data = g_bytes_get_data(body, &len);
	event = hubd_webhook_event_parse(data != NULL ? data : "", len, &error);
	if (event == NULL) {
		g_debug("refused a delivery: %s", error->message);
		reply_error(msg, SOUP_STATUS_BAD_REQUEST, error->message);
		return;
	}
	if (g_strcmp0(event->webhook_id, webhook_id) != 0)
		g_debug("delivery of webhook %s came with the secret of %s",
			event->webhook_id,
			webhook_id);
	reply_static(msg, SOUP_STATUS_OK, BODY_OK);
	if (self->func != NULL)
		hand_over(self, g_steal_pointer(&event));
}

/* on the listener thread: a new connection, for the SoupServer */
static gboolean
incoming_cb(GSocketService *service,
	    GSocketConnection *connection,
	    GObject *source_object,
	    gpointer user_data)
{
	HubdWebhookListener *self = HUBD_WEBHOOK_LISTENER(user_data);
	g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address(connection, NULL);
	g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address(connection, NULL);
	g_autoptr(GIOStream) stream = NULL;
	g_autoptr(GError) error = NULL;

	if (local == NULL || remote == NULL)
		return TRUE; /* the peer is already gone */
	/* small JSON answers: do not wait to fill a segment */
	g_socket_set_option(g_socket_connection_get_socket(connection),
			    IPPROTO_TCP,
			    TCP_NODELAY,
			    TRUE,
			    NULL);
	if (self->certificate != NULL) {
		stream = g_tls_server_connection_new(G_IO_STREAM(connection),
						     self->certificate,
						     &error);
		if (stream == NULL) {
			g_debug("no TLS for a webhook sender: %s", error->message);
			return TRUE;
		}
	} else {
		stream = G_IO_STREAM(g_object_ref(connection));
	}
	soup_server_accept_iostream(self->server, stream, local, remote, NULL);
	return TRUE;
}

static gpointer
listener_thread(gpointer data)
{
	HubdWebhookListener *self = data;

	g_main_context_push_thread_default(self->context);
	g_main_loop_run(self->loop);
	/* the connections go with the thread that served them */
	g_socket_service_stop(self->service);
	g_socket_listener_close(G_SOCKET_LISTENER(self->service));
	soup_server_disconnect(self->server);
	while (g_main_context_iteration(self->context, FALSE))
		;
	g_main_context_pop_thread_default(self->context);
	return NULL;
}

static gboolean
quit_cb(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

static gboolean
parse_address(const gchar *address, gchar **host, guint16 *port, GError **error)
{
	const gchar *colon = strrchr(address, ':');
	guint64 n = 0;
	g_autofree gchar *h = NULL;

	if (colon == NULL || colon == address ||
	    !g_ascii_string_to_unsigned(colon + 1, 10, 0, 65535, &n, NULL)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("webhooks.listen must be ADDRESS:PORT, not “%s”"),
			    address);
		return FALSE;
	}
	h = g_strndup(address, (gsize)(colon - address));
	if (h[0] == '[' && g_str_has_suffix(h, "]")) {
		gchar *inner = g_strndup(h + 1, strlen(h) - 2);

		g_free(h);
		h = inner;
	}
	*host = g_steal_pointer(&h);
	*port = (guint16)n;
	return TRUE;
}

/* see the top of this file: keep-alive needs the server to have a listener */
static gboolean
give_keepalive_listener(HubdWebhookListener *self, GError **error)
{
	g_autoptr(GSocket) ours = NULL;
	int fds[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Cannot set up the webhook listener: %s"),
			    g_strerror(errno));
		return FALSE;
	}
	ours = g_socket_new_from_fd(fds[0], error);
	if (ours == NULL) {
		close(fds[0]);
		close(fds[1]);
		return FALSE;
	}
	self->keepalive_peer = g_socket_new_from_fd(fds[1], error);
	if (self->keepalive_peer == NULL) {
		close(fds[1]);
		return FALSE;
	}
	return soup_server_listen_socket(self->server, ours, 0, error);
}

/* once the thread is gone (or was never started) */
static void
clear_server(HubdWebhookListener *self)
{
	if (self->service != NULL) {
		g_socket_service_stop(self->service);
		g_socket_listener_close(G_SOCKET_LISTENER(self->service));
		g_clear_object(&self->service);
	}
	g_clear_object(&self->server);
	g_clear_object(&self->keepalive_peer);
	g_clear_object(&self->certificate);
	g_clear_pointer(&self->loop, g_main_loop_unref);
	g_clear_pointer(&self->context, g_main_context_unref);
	g_clear_pointer(&self->url, g_free);
}

gboolean
hubd_webhook_listener_start(HubdWebhookListener *self,
			    const gchar *address,
			    const gchar *cert_path,
			    const gchar *key_path,
			    GError **error)
{
	g_autofree gchar *host = NULL;
	g_autoptr(GInetAddress) inet = NULL;
	g_autoptr(GSocketAddress) sockaddr = NULL;
	g_autoptr(GTlsCertificate) cert = NULL;
	g_autoptr(GError) local = NULL;
	g_autoptr(GSocketAddress) effective = NULL;
	guint16 port = 0;

	g_return_val_if_fail(self->server == NULL, FALSE);
	if (!parse_address(address, &host, &port, error))
		return FALSE;
	inet = g_inet_address_new_from_string(host);
	if (inet == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("webhooks.listen needs a numeric address, not “%s”"),
			    host);
		return FALSE;
	}
	if ((cert_path != NULL) != (key_path != NULL)) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("webhooks.tls-certificate and webhooks.tls-key go together"));
		return FALSE;
	}
	if (cert_path != NULL) {
		cert = g_tls_certificate_new_from_files(cert_path, key_path, &local);
		if (cert == NULL) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Cannot load the webhook listener's certificate: %s"),
				    local->message);
			return FALSE;
		}
	}
	self->context = g_main_context_new();
	/* the service accepts on the thread-default context of its start */
	g_main_context_push_thread_default(self->context);
	self->server = soup_server_new("server-header", "hubd ", NULL);
	g_signal_connect_object(self->server,
				"request-started",
				G_CALLBACK(request_started_cb),
				self,
				0);
	soup_server_add_early_handler(self->server, NULL, early_handler_cb, self, NULL);
	soup_server_add_handler(self->server, NULL, handler_cb, self, NULL);
	g_signal_connect(self->server, "request-finished", G_CALLBACK(finished_cb), NULL);
	g_signal_connect(self->server, "request-aborted", G_CALLBACK(finished_cb), NULL);
	if (!give_keepalive_listener(self, error)) {
		g_main_context_pop_thread_default(self->context);
		clear_server(self);
		return FALSE;
	}
	self->certificate = g_steal_pointer(&cert);
	self->service = g_socket_service_new();
	g_socket_listener_set_backlog(G_SOCKET_LISTENER(self->service), LISTEN_BACKLOG);
	g_signal_connect_object(self->service, "incoming", G_CALLBACK(incoming_cb), self, 0);
	sockaddr = g_inet_socket_address_new(inet, port);
	if (!g_socket_listener_add_address(G_SOCKET_LISTENER(self->service),
					   sockaddr,
					   G_SOCKET_TYPE_STREAM,
					   G_SOCKET_PROTOCOL_TCP,
					   NULL,
					   &effective,
					   &local)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Cannot listen for webhooks on %s: %s"),
			    address,
			    local->message);
		g_main_context_pop_thread_default(self->context);
		clear_server(self);
		return FALSE;
	}
	g_socket_service_start(self->service);
	g_main_context_pop_thread_default(self->context);
	self->url = g_uri_join(G_URI_FLAGS_NONE,
			       self->certificate != NULL ? "https" : "http",
			       NULL,
			       host,
			       g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(effective)),
			       "/",
			       NULL,
			       NULL);
	g_message("listening for webhooks on %s", self->url);
	self->loop = g_main_loop_new(self->context, FALSE);
	self->thread = g_thread_new("hubd-webhooks", listener_thread, self);
	return TRUE;
}

void
hubd_webhook_listener_stop(HubdWebhookListener *self)
{
	if (self->thread != NULL) {
		g_main_context_invoke(self->context, quit_cb, self->loop);
		g_thread_join(g_steal_pointer(&self->thread));
	}
	clear_server(self);
}

const gchar *
hubd_webhook_listener_get_url(HubdWebhookListener *self)
{
	return self->url;
}
