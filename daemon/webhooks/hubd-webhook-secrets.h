/* hubd-webhook-secrets.h: the secrets of the webhooks hubd manages, kept in the keyring */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUBD_TYPE_WEBHOOK_SECRETS (hubd_webhook_secrets_get_type())
G_DECLARE_FINAL_TYPE(HubdWebhookSecrets, hubd_webhook_secrets, HUBD, WEBHOOK_SECRETS, GObject)

HubdWebhookSecrets *
hubd_webhook_secrets_new(void);

/* Reads every stored secret from the keyring (Secret Service). */
void
hubd_webhook_secrets_load_async(HubdWebhookSecrets *self,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
gboolean
hubd_webhook_secrets_load_finish(HubdWebhookSecrets *self, GAsyncResult *result, GError **error);

/* Stores `secret` for `webhook_id` (keyring first; accepted once stored). */
void
hubd_webhook_secrets_store_async(HubdWebhookSecrets *self,
				 const gchar *webhook_id,
				 const gchar *secret,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
gboolean
hubd_webhook_secrets_store_finish(HubdWebhookSecrets *self, GAsyncResult *result, GError **error);

/* Forgets `webhook_id`'s secret, in memory at once and in the keyring. */
void
hubd_webhook_secrets_remove_async(HubdWebhookSecrets *self,
				  const gchar *webhook_id,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
gboolean
hubd_webhook_secrets_remove_finish(HubdWebhookSecrets *self, GAsyncResult *result, GError **error);

/* The webhook whose secret is `secret` (a copy), compared in constant time
 * against every stored secret; NULL when none. Any thread. */
gchar *
hubd_webhook_secrets_match(HubdWebhookSecrets *self, const gchar *secret, gsize len);
gboolean
hubd_webhook_secrets_has(HubdWebhookSecrets *self, const gchar *webhook_id);
guint
hubd_webhook_secrets_count(HubdWebhookSecrets *self);

/* A new random secret: 32 bytes from the kernel as 64 hex digits (ASCII, as
 * the Hub requires of secrets). */
gchar *
hubd_webhook_secret_generate(void);

G_END_DECLS
