/* hubd-hub-token-provider.h: where HubdHubClient gets the token it sends */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The Hub client knows no token store: it asks this interface, which the
 * token store implements, so the Hub layer needs nothing of auth/. */
#define HUBD_TYPE_HUB_TOKEN_PROVIDER (hubd_hub_token_provider_get_type())
G_DECLARE_INTERFACE(HubdHubTokenProvider,
		    hubd_hub_token_provider,
		    HUBD,
		    HUB_TOKEN_PROVIDER,
		    GObject)

struct _HubdHubTokenProviderInterface {
	GTypeInterface g_iface;

	/* TRUE once the tokens are known (load finished, well or not) */
	gboolean (*is_loaded)(HubdHubTokenProvider *self);
	/* reads the stored tokens; later calls complete at once */
	void (*load_async)(HubdHubTokenProvider *self,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
	gboolean (*load_finish)(HubdHubTokenProvider *self, GAsyncResult *result, GError **error);
	/* the token for requests to `endpoint`, or NULL */
	gchar *(*dup_token)(HubdHubTokenProvider *self, const gchar *endpoint);
	/* optional: the stored token `name` of `endpoint`, or NULL; never the
	 * active one by another name, so one call can use another account */
	gchar *(*dup_named_token)(HubdHubTokenProvider *self,
				  const gchar *endpoint,
				  const gchar *name);
	/* optional: why there is no token for `endpoint` (a locked keyring…),
	 * as the message of a NotLoggedIn error; NULL: not logged in */
	gchar *(*explain_no_token)(HubdHubTokenProvider *self, const gchar *endpoint);
};

gboolean
hubd_hub_token_provider_is_loaded(HubdHubTokenProvider *self);
void
hubd_hub_token_provider_load_async(HubdHubTokenProvider *self,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
gboolean
hubd_hub_token_provider_load_finish(HubdHubTokenProvider *self,
				    GAsyncResult *result,
				    GError **error);
gchar *
hubd_hub_token_provider_dup_token(HubdHubTokenProvider *self, const gchar *endpoint);
/* NULL when there is no such token, or the provider keeps no names */
gchar *
hubd_hub_token_provider_dup_named_token(HubdHubTokenProvider *self,
					const gchar *endpoint,
					const gchar *name);

/* The NotLoggedIn error for a call to `endpoint` that has no token, with
 * the provider's reason when it knows one (provider may be NULL). */
GError *
hubd_hub_token_provider_no_token_error(HubdHubTokenProvider *self, const gchar *endpoint);
G_END_DECLS
