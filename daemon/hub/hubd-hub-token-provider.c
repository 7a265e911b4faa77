/* hubd-hub-token-provider.c: where HubdHubClient gets the token it sends */
#define G_LOG_DOMAIN "HubdHubClient"

#include "hubd-hub-token-provider.h"

#include <glib/gi18n.h>

#include "hubd-error.h"

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

GError *
hubd_hub_token_provider_no_token_error(HubdHubTokenProvider *self, const gchar *endpoint)
{
	HubdHubTokenProviderInterface *iface =
		self != NULL ? HUBD_HUB_TOKEN_PROVIDER_GET_IFACE(self) : NULL;
	g_autofree gchar *why = iface != NULL && iface->explain_no_token != NULL
					? iface->explain_no_token(self, endpoint)
					: NULL;

	if (why != NULL)
		return g_error_new_literal(HUBD_ERROR, HUBD_ERROR_NOT_LOGGED_IN, why);
	return g_error_new(HUBD_ERROR,
			   HUBD_ERROR_NOT_LOGGED_IN,
			   _("Not logged in to %s (run “hubctl auth login”)"),
			   endpoint);
}
