/* hubd-oauth-refresher.h: renews OAuth access tokens before they expire, for every app */
#pragma once

#include "hubd-context.h"
#include "hubd-oauth-store.h"

G_BEGIN_DECLS

#define HUBD_TYPE_OAUTH_REFRESHER (hubd_oauth_refresher_get_type())
G_DECLARE_FINAL_TYPE(HubdOAuthRefresher, hubd_oauth_refresher, HUBD, OAUTH_REFRESHER, GObject)

/* Emits "refreshed" (endpoint, name) after a stored token was replaced. */
HubdOAuthRefresher *
hubd_oauth_refresher_new(HubdContext *context);

/* Reads the stored refresh tokens (after the token store has loaded) and
 * schedules each renewal. */
void
hubd_oauth_refresher_start(HubdOAuthRefresher *self);

/* Schedules the renewal of a token just stored (LoginWeb) and stores its
 * refresh token in the keyring; `entry` is copied. Finishes once stored. */
void
hubd_oauth_refresher_add_async(HubdOAuthRefresher *self,
			       const HubdOAuthEntry *entry,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
hubd_oauth_refresher_add_finish(HubdOAuthRefresher *self, GAsyncResult *result, GError **error);

/* Stops renewing (endpoint, name) and deletes its refresh token (logout). */
void
hubd_oauth_refresher_forget(HubdOAuthRefresher *self, const gchar *endpoint, const gchar *name);

/* `[auth] oauth-client-id`: the OAuth client hubd logs in as. */
gchar *
hubd_oauth_client_id(HubdContext *context);

G_END_DECLS
