/* hubd-hub-client.h: the one place that talks HTTP to the Hub — auth header,
 * user agent, redirects, retries, timeouts, offline mode and error mapping */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "hubd-config.h"
#include "hubd-hub-error-map.h"
#include "hubd-hub-rate-limiter.h"
#include "hubd-hub-request.h"
#include "hubd-hub-token-provider.h"

G_BEGIN_DECLS

/* ---- the client ---- */

#define HUBD_TYPE_HUB_CLIENT (hubd_hub_client_get_type())
G_DECLARE_FINAL_TYPE(HubdHubClient, hubd_hub_client, HUBD, HUB_CLIENT, GObject)

/* `tokens` may be NULL (anonymous only, or explicit tokens). Reads
 * HF_HUB_OFFLINE, HF_HUB_ETAG_TIMEOUT, HF_HUB_DOWNLOAD_TIMEOUT and
 * HF_HUB_USER_AGENT_ORIGIN once, here, like huggingface_hub at import. */
HubdHubClient *
hubd_hub_client_new(HubdConfig *config, HubdHubTokenProvider *tokens);

const gchar *
hubd_hub_client_get_endpoint(HubdHubClient *self);
gboolean
hubd_hub_client_is_offline(HubdHubClient *self);
/* seconds, for metadata HEADs and for download reads */
guint
hubd_hub_client_get_etag_timeout(HubdHubClient *self);
guint
hubd_hub_client_get_download_timeout(HubdHubClient *self);
const gchar *
hubd_hub_client_get_user_agent(HubdHubClient *self);

/* Connections to one host: libsoup's per-host limit, which every transfer
 * shares; one more than a parallel download's default 8, kept for a single
 * file meanwhile. */
#define HUBD_HUB_MAX_CONNS_PER_HOST 9

/* A download holds one connection of the budget (`parallel` FALSE) or a
 * share of it (TRUE) until it releases it. */
void
hubd_hub_client_hold_download(HubdHubClient *self, gboolean parallel);
void
hubd_hub_client_release_download(HubdHubClient *self, gboolean parallel);
/* How many connections a parallel download that would like `want` may use
 * now (at least 1): what single streams leave, less one kept free for the
 * next, split evenly. */
guint
hubd_hub_client_get_download_share(HubdHubClient *self, guint want);

/* Sends `req` and reads the whole (bounded) body. HTTP errors become HUBD_ERROR
 * (see hubd_hub_client_error_from_response) unless NO_HTTP_ERROR is set. */
void
hubd_hub_client_request_async(HubdHubClient *self,
			      HubdHubRequest *req,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
HubdHubResponse *
hubd_hub_client_request_finish(HubdHubClient *self, GAsyncResult *result, GError **error);

/* The body of a buffered answer as JSON; HUBD_ERROR_SERVER when it is not
 * JSON, or holds a NUL character json-glib would silently cut a string at. */
JsonNode *
hubd_hub_response_parse_json(HubdHubResponse *resp, GError **error);

/* As request_async, then parses the body as JSON (hubd_hub_response_parse_json). */
void
hubd_hub_client_get_json_async(HubdHubClient *self,
			       HubdHubRequest *req,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
/* `response_out` (optional) gets the answer's status and headers. */
JsonNode *
hubd_hub_client_get_json_finish(HubdHubClient *self,
				GAsyncResult *result,
				HubdHubResponse **response_out,
				GError **error);

/* For downloads: retries and redirects happen until a final status arrives,
 * then the body is handed over as a stream, unread. */
void
hubd_hub_client_send_async(HubdHubClient *self,
			   HubdHubRequest *req,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
GInputStream *
hubd_hub_client_send_finish(HubdHubClient *self,
			    GAsyncResult *result,
			    HubdHubResponse **response_out,
			    GError **error);

/* The Hub's whoami answer for `token` (NULL: the stored token `token_name`,
 * or without a name the current one), cached per token (its hash, whatever
 * name it was found by) for a minute unless `refresh`, because whoami-v2 is
 * rate-limited. */
void
hubd_hub_client_whoami_async(HubdHubClient *self,
			     const gchar *token,
			     const gchar *token_name,
			     const gchar *endpoint,
			     gboolean refresh,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
JsonNode *
hubd_hub_client_whoami_finish(HubdHubClient *self, GAsyncResult *result, GError **error);

/* The daemon's one view of the Hub's rate-limit budgets, which every
 * request of this client consults before it is sent. */
HubdHubRateLimiter *
hubd_hub_client_get_rate_limiter(HubdHubClient *self);

G_END_DECLS
