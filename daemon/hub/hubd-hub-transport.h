/* hubd-hub-transport.h: what lies between hubd and the Hub — the CAs it
 * trusts and the proxy it goes through — and the words for their failures
 * (docs/hub-http.md §9) */
#pragma once

#include <libsoup/soup.h>

#include "hubd-config.h"

G_BEGIN_DECLS

/* Chooses `session`'s trust store from [hub] ca-file, else SSL_CERT_FILE, else
 * REQUESTS_CA_BUNDLE (the system's when none is set), and its proxy from
 * HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY (either case) when one is
 * set, else, in a desktop session (XDG_CURRENT_DESKTOP), GIO's default
 * resolver (the desktop's proxy settings), else none. */
void
hubd_hub_transport_setup(SoupSession *session, HubdConfig *config);

/* The proxy half of _setup(), for sessions of their own (plugins: the
 * plugin API's hubd_http_session_setup_proxy()). */
void
hubd_hub_transport_setup_proxy(SoupSession *session);

/* FALSE while a request to `uri` must wait for _prepare_async(): an https
 * one before the CA file chosen by _setup() has been read. */
gboolean
hubd_hub_transport_is_ready(SoupSession *session, GUri *uri);

/* Reads the CA file chosen by _setup() in a worker thread (once, however
 * many requests wait) and makes it the session's trust store; one that
 * cannot be read is logged and the system's store kept. */
void
hubd_hub_transport_prepare_async(SoupSession *session,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);

gboolean
hubd_hub_transport_prepare_finish(SoupSession *session, GAsyncResult *result, GError **error);

/* Call for every message `session` sends. It notes the hosts whose TLS
 * handshake chose HTTP/2. A message with a `streamed_body` to an https URL
 * goes over HTTP/1.1: a connection it opens offers only that, and to a host
 * known for HTTP/2 it opens a new one. libsoup 3.2's HTTP/2 client can lose
 * track of a streamed request body whose answer arrives before the body's
 * last frame is booked as sent, and the request then never ends
 * (docs/hub-http.md §9.3). Plain http is HTTP/1.1 already. */
void
hubd_hub_transport_watch(SoupSession *session, SoupMessage *msg, gboolean streamed_body);

/* A PEM file of CAs as a trust store, parsed in a worker thread (the
 * plugin API's hubd_http_load_ca_file_async()). */
void
hubd_hub_transport_load_ca_async(const gchar *path,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
GTlsDatabase *
hubd_hub_transport_load_ca_finish(GAsyncResult *result, GError **error);

/* Every connection `session` opens offers only HTTP/1.1 (the plugin API's
 * hubd_http_session_use_http1()). */
void
hubd_hub_transport_http1_only(SoupSession *session);

/* A transport error that a retry cannot cure (an untrusted certificate, a
 * proxy that refuses), as a message naming the cause, or NULL for any
 * other error. */
gchar *
hubd_hub_transport_describe_final(SoupSession *session, GUri *uri, const GError *error);

G_END_DECLS
