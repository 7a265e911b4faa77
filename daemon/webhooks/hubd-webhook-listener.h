/* hubd-webhook-listener.h: the HTTP listener for Hub webhook deliveries (libsoup SoupServer) */
#pragma once

#include <gio/gio.h>

#include "hubd-webhook-event.h"
#include "hubd-webhook-secrets.h"

G_BEGIN_DECLS

#define HUBD_TYPE_WEBHOOK_LISTENER (hubd_webhook_listener_get_type())
G_DECLARE_FINAL_TYPE(HubdWebhookListener, hubd_webhook_listener, HUBD, WEBHOOK_LISTENER, GObject)

/* Called on the main loop for each accepted delivery; the event is borrowed. */
typedef void (*HubdWebhookListenerFunc)(HubdWebhookEvent *event, gpointer user_data);

/* Seconds a sender has by default to deliver its whole request
 * ([webhooks] request-timeout). */
#define HUBD_WEBHOOK_REQUEST_TIMEOUT_S 10

HubdWebhookListener *
hubd_webhook_listener_new(HubdWebhookSecrets *secrets,
			  guint request_timeout_s,
			  HubdWebhookListenerFunc func,
			  gpointer user_data);

/* `address` is "HOST:PORT" (port 0: a free one; IPv6 as "[::1]:PORT");
 * `cert_path` and `key_path` (both or neither) turn on TLS. */
gboolean
hubd_webhook_listener_start(HubdWebhookListener *self,
			    const gchar *address,
			    const gchar *cert_path,
			    const gchar *key_path,
			    GError **error);
void
hubd_webhook_listener_stop(HubdWebhookListener *self);

/* "http://127.0.0.1:PORT/" (https with TLS); NULL when not listening. */
const gchar *
hubd_webhook_listener_get_url(HubdWebhookListener *self);

G_END_DECLS
