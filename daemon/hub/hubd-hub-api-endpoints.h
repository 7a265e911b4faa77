/* hubd-hub-api-endpoints.h: HubdHubApi's Inference Endpoints API (`{api}/endpoint/…`) */
#pragma once

#include "hubd-hub-api.h"

G_BEGIN_DECLS

/**
 * HUBD_HUB_API_ENDPOINTS_DEFAULT:
 *
 * The public Inference Endpoints API, `[endpoints] api=`'s default.
 *
 * Since: 0.1
 */
#define HUBD_HUB_API_ENDPOINTS_DEFAULT "https://api.endpoints.huggingface.cloud/v2"

/**
 * HubdHubEndpointAction:
 * @HUBD_HUB_ENDPOINT_PAUSE: pause (not billed, resumed by hand)
 * @HUBD_HUB_ENDPOINT_RESUME: resume a paused or scaled-to-zero endpoint
 * @HUBD_HUB_ENDPOINT_SCALE_TO_ZERO: scale to zero replicas (wakes on the
 *   next request)
 *
 * The `POST {api}/endpoint/{ns}/{name}/…` actions.
 *
 * Since: 0.1
 */
typedef enum {
	HUBD_HUB_ENDPOINT_PAUSE,
	HUBD_HUB_ENDPOINT_RESUME,
	HUBD_HUB_ENDPOINT_SCALE_TO_ZERO,
} HubdHubEndpointAction;

gboolean
hubd_hub_api_endpoint_name_validate(const gchar *name, GError **error);

void
hubd_hub_api_endpoints_list_async(HubdHubApi *self,
				  const gchar *api,
				  const gchar *namespace_,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
void
hubd_hub_api_endpoint_get_async(HubdHubApi *self,
				const gchar *api,
				const gchar *namespace_,
				const gchar *name,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
void
hubd_hub_api_endpoint_create_async(HubdHubApi *self,
				   const gchar *api,
				   const gchar *namespace_,
				   JsonNode *body,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
void
hubd_hub_api_endpoint_update_async(HubdHubApi *self,
				   const gchar *api,
				   const gchar *namespace_,
				   const gchar *name,
				   JsonNode *body,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
void
hubd_hub_api_endpoint_action_async(HubdHubApi *self,
				   const gchar *api,
				   const gchar *namespace_,
				   const gchar *name,
				   HubdHubEndpointAction action,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
void
hubd_hub_api_endpoint_delete_async(HubdHubApi *self,
				   const gchar *api,
				   const gchar *namespace_,
				   const gchar *name,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
void
hubd_hub_api_endpoints_hardware_async(HubdHubApi *self,
				      const gchar *api,
				      const gchar *namespace_,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
JsonNode *
hubd_hub_api_endpoints_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

G_END_DECLS
