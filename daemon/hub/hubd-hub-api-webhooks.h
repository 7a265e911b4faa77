/* hubd-hub-api-webhooks.h: the Hub's webhook management endpoints
 * (/api/settings/webhooks, docs/hub-webhooks.md §3) and their typed result */
#pragma once

#include "hubd-hub-api.h"

G_BEGIN_DECLS

typedef struct {
	gchar *type; /* "model", "dataset", "space", "user", "org" */
	gchar *name;
} HubdHubWebhookWatched;

/* A webhook as the Hub describes it. The secret is not kept: only whether
 * there is one. */
typedef struct {
	gchar *id;
	gchar *url;         /* NULL for a job webhook */
	GPtrArray *watched; /* HubdHubWebhookWatched* */
	GStrv domains;      /* may be empty */
	gboolean disabled;
	gboolean has_secret;
} HubdHubWebhook;

void
hubd_hub_webhook_free(HubdHubWebhook *webhook);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubWebhook, hubd_hub_webhook_free)
HubdHubWebhookWatched *
hubd_hub_webhook_watched_new(const gchar *type, const gchar *name);
void
hubd_hub_webhook_watched_free(HubdHubWebhookWatched *w);

/* the "webhook" object of the Hub's answers, or a listing's element */
HubdHubWebhook *
hubd_hub_webhook_new_from_json(JsonNode *node, GError **error);

/* GET /api/settings/webhooks: GPtrArray of HubdHubWebhook* */
void
hubd_hub_api_list_webhooks_async(HubdHubApi *self,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
GPtrArray *
hubd_hub_api_list_webhooks_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

/* GET /api/settings/webhooks/{id} */
void
hubd_hub_api_get_webhook_async(HubdHubApi *self,
			       const gchar *webhook_id,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);

/* POST /api/settings/webhooks; `domains` NULL or empty: every domain,
 * `secret` NULL: none. */
void
hubd_hub_api_create_webhook_async(HubdHubApi *self,
				  GPtrArray *watched,
				  const gchar *url,
				  const gchar *const *domains,
				  const gchar *secret,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);

/* POST /api/settings/webhooks/{id}; `watched` is always sent (as
 * huggingface_hub does), the others only when not NULL. */
void
hubd_hub_api_update_webhook_async(HubdHubApi *self,
				  const gchar *webhook_id,
				  GPtrArray *watched,
				  const gchar *url,
				  const gchar *const *domains,
				  const gchar *secret,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);

/* POST /api/settings/webhooks/{id}/enable */
void
hubd_hub_api_enable_webhook_async(HubdHubApi *self,
				  const gchar *webhook_id,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);

/* POST /api/settings/webhooks/{id}/disable */
void
hubd_hub_api_disable_webhook_async(HubdHubApi *self,
				   const gchar *webhook_id,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);

/* get, create, update, enable and disable finish here */
HubdHubWebhook *
hubd_hub_api_webhook_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

/* DELETE /api/settings/webhooks/{id} */
void
hubd_hub_api_delete_webhook_async(HubdHubApi *self,
				  const gchar *webhook_id,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
gboolean
hubd_hub_api_delete_webhook_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

G_END_DECLS
