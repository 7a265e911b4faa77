/* hubd-hub-token-provider.c: where HubdHubClient gets the token it sends */
#define G_LOG_DOMAIN "HubdHubClient"

#include "hubd-hub-token-provider.h"

G_DEFINE_INTERFACE(HubdHubTokenProvider, hubd_hub_token_provider, G_TYPE_OBJECT)

static void
hubd_hub_token_provider_default_init(HubdHubTokenProviderInterface *iface)
{
}

gboolean
hubd_hub_token_provider_is_loaded(HubdHubTokenProvider *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_TOKEN_PROVIDER(self), FALSE);
	return HUBD_HUB_TOKEN_PROVIDER_GET_IFACE(self)->is_loaded(self);
}

void
hubd_hub_token_provider_load_async(HubdHubTokenProvider *self,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	g_return_if_fail(HUBD_IS_HUB_TOKEN_PROVIDER(self));
	HUBD_HUB_TOKEN_PROVIDER_GET_IFACE(self)->load_async(self, cancellable, callback, user_data);
}

gboolean
hubd_hub_token_provider_load_finish(HubdHubTokenProvider *self,
				    GAsyncResult *result,
				    GError **error)
{
	g_return_val_if_fail(HUBD_IS_HUB_TOKEN_PROVIDER(self), FALSE);
	return HUBD_HUB_TOKEN_PROVIDER_GET_IFACE(self)->load_finish(self, result, error);
}

gchar *
hubd_hub_token_provider_dup_token(HubdHubTokenProvider *self, const gchar *endpoint)
{
	g_return_val_if_fail(HUBD_IS_HUB_TOKEN_PROVIDER(self), NULL);
	return HUBD_HUB_TOKEN_PROVIDER_GET_IFACE(self)->dup_token(self, endpoint);
}

gchar *
hubd_hub_token_provider_dup_named_token(HubdHubTokenProvider *self,
					const gchar *endpoint,
					const gchar *name)
{
	HubdHubTokenProviderInterface *iface;

	g_return_val_if_fail(HUBD_IS_HUB_TOKEN_PROVIDER(self), NULL);
	iface = HUBD_HUB_TOKEN_PROVIDER_GET_IFACE(self);
	return iface->dup_named_token != NULL ? iface->dup_named_token(self, endpoint, name) : NULL;
}
