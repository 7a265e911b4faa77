/* hubd-hub-client-private.h: what one exchange (hubd-hub-send.c) reads of
 * HubdHubClient, whose struct stays in hubd-hub-client.c — for daemon/hub
 * only, not part of the plugin API */
#pragma once

#include "hubd-hub-client.h"

G_BEGIN_DECLS

SoupSession *
hubd_hub_client_get_session(HubdHubClient *self);
/* NULL: anonymous only, or explicit tokens */
HubdHubTokenProvider *
hubd_hub_client_get_tokens(HubdHubClient *self);
/* The token a request names (token_name) or, without a name, the active
 * one; NULL and `error` set when the name is not stored for `endpoint`. */
gchar *
hubd_hub_client_dup_token(HubdHubClient *self,
			  const gchar *endpoint,
			  const gchar *token_name,
			  GError **error);
/* [http] retry-base-ms and max-retries, for hubd_hub_retry_delay() */
guint
hubd_hub_client_get_retry_base_ms(HubdHubClient *self);
guint
hubd_hub_client_get_max_retries(HubdHubClient *self);
/* s: the whole head of an answer to a GET or HEAD */
guint
hubd_hub_client_get_header_timeout(HubdHubClient *self);
/* The User-Agent's parts either side of a calling library's NAME/VERSION:
 * "hubd/VERSION" and "glib/VERSION[; origin/X]" */
const gchar *
hubd_hub_client_get_user_agent_base(HubdHubClient *self);
const gchar *
hubd_hub_client_get_user_agent_tail(HubdHubClient *self);

G_END_DECLS
