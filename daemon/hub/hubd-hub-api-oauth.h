/* hubd-hub-api-oauth.h: the Hub's OAuth 2.0 device authorization grant (RFC 8628)
 * and refresh grant — POST /oauth/device and POST /oauth/token (docs/hub-oauth.md) */
#pragma once

#include "hubd-hub-api.h"

G_BEGIN_DECLS

/* The answer of POST /oauth/device, defaults filled in (interval 5 s, expires
 * in 900 s, verification_uri_complete = verification_uri when absent). */
typedef struct {
	gchar *device_code; /* a secret: never logged */
	gchar *user_code;
	gchar *verification_uri;
	gchar *verification_uri_complete;
	guint interval;
	guint expires_in;
} HubdHubOAuthDevice;

void
hubd_hub_oauth_device_free(HubdHubOAuthDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubOAuthDevice, hubd_hub_oauth_device_free)

/* An answer of POST /oauth/token: either tokens (access_token set) or an
 * OAuth error code (`error`: "authorization_pending", "slow_down",
 * "expired_token", "access_denied", "invalid_grant", ...). Neither is set
 * for an inconclusive answer (a 5xx, a page that is not JSON), which a poller
 * treats as pending (RFC 8628 §3.5). */
typedef struct {
	gchar *access_token;  /* secret */
	gchar *refresh_token; /* secret, may be NULL */
	gint64 expires_in;    /* seconds, 0 when the Hub gives none */
	gchar *error;
	gchar *error_description;
} HubdHubOAuthToken;

void
hubd_hub_oauth_token_free(HubdHubOAuthToken *token);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubOAuthToken, hubd_hub_oauth_token_free)

/* POST {endpoint}/oauth/device with client_id: a device and user code. */
void
hubd_hub_api_oauth_device_async(HubdHubApi *self,
				const gchar *endpoint,
				const gchar *client_id,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
HubdHubOAuthDevice *
hubd_hub_api_oauth_device_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

/* POST {endpoint}/oauth/token. With `device_code`: one poll of the device
 * grant; with `refresh_token` (device_code NULL): the refresh grant. Fails
 * only when the Hub cannot be reached (or hubd is offline); OAuth errors come
 * back in the result. */
void
hubd_hub_api_oauth_token_async(HubdHubApi *self,
			       const gchar *endpoint,
			       const gchar *client_id,
			       const gchar *device_code,
			       const gchar *refresh_token,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
HubdHubOAuthToken *
hubd_hub_api_oauth_token_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

G_END_DECLS
