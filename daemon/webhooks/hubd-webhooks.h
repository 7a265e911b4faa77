/* hubd-webhooks.h: the daemon's one webhook hub — listener, secrets, history,
 * and the webhooks hubd creates for itself */
#pragma once

#include <gio/gio.h>

#include "hubd-hub-api-webhooks.h"
#include "hubd-webhook-event.h"
#include "hubd-webhook-secrets.h"

G_BEGIN_DECLS

/* Accepted deliveries ListEvents keeps. */
#define HUBD_WEBHOOKS_HISTORY 100

#define HUBD_TYPE_WEBHOOKS (hubd_webhooks_get_type())
G_DECLARE_FINAL_TYPE(HubdWebhooks, hubd_webhooks, HUBD, WEBHOOKS, GObject)

/* One per process: the Webhooks service configures it, Sync listens to its
 * "received" signal (HubdWebhookEvent *event, borrowed). */
HubdWebhooks *
hubd_webhooks_get_default(void);

/* Loads the secrets; starts the listener when `listen` is not NULL. */
gboolean
hubd_webhooks_start(HubdWebhooks *self,
		    const gchar *listen,
		    const gchar *public_url,
		    const gchar *cert_path,
		    const gchar *key_path,
		    guint request_timeout_s,
		    GError **error);

HubdWebhookSecrets *
hubd_webhooks_get_secrets(HubdWebhooks *self);
/* The listener's URL, NULL when it does not run */
const gchar *
hubd_webhooks_get_url(HubdWebhooks *self);
/* What the Hub is told: public-url, else the listener's URL; NULL when neither */
const gchar *
hubd_webhooks_get_public_url(HubdWebhooks *self);
/* aa{sv} of the history, oldest first (floating) */
GVariant *
hubd_webhooks_list_events(HubdWebhooks *self);

/* Creates a webhook on the Hub pointing at this listener, with a new random
 * secret stored in the keyring first (removed again if the Hub refuses). */
void
hubd_webhooks_create_managed_async(HubdWebhooks *self,
				   HubdHubApi *api,
				   GPtrArray *watched,
				   const gchar *const *domains,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
HubdHubWebhook *
hubd_webhooks_create_managed_finish(HubdWebhooks *self, GAsyncResult *result, GError **error);

G_END_DECLS
