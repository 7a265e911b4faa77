/* hubd-hub-request-send.h: what HubdHubClient reads of a request and how it makes a
 * response — for the hub-client files only, not part of the plugin API */
#pragma once

#include "hubd-hub-request.h"

G_BEGIN_DECLS

const gchar *
hubd_hub_request_get_method(HubdHubRequest *req);
/* a path relative to the endpoint ("/api/…") or an absolute URL, query appended */
const gchar *
hubd_hub_request_get_url(HubdHubRequest *req);
HubdHubRequestFlags
hubd_hub_request_get_flags(HubdHubRequest *req);
/* the token set for this request only, or NULL */
const gchar *
hubd_hub_request_get_token(HubdHubRequest *req);
/* the stored token this request asks for by name, or NULL (the active one) */
const gchar *
hubd_hub_request_get_token_name(HubdHubRequest *req);
/* the Hub set for this request only, or NULL */
const gchar *
hubd_hub_request_get_endpoint(HubdHubRequest *req);
/* The origin the token goes to when it is not the Hub's (the Inference
 * Endpoints API): daemon/hub/ only. */
void
hubd_hub_request_set_token_origin(HubdHubRequest *req, const gchar *origin);
const gchar *
hubd_hub_request_get_token_origin(HubdHubRequest *req);
/* "NAME/VERSION" of the calling application, or NULL */
const gchar *
hubd_hub_request_get_library(HubdHubRequest *req);
guint
hubd_hub_request_get_timeout(HubdHubRequest *req);
/* TRUE for a body made by a factory (an upload), FALSE for none or bytes */
gboolean
hubd_hub_request_has_body_stream(HubdHubRequest *req);
/* Sets the request's own headers on `msg` and, when `with_body`, its body (a
 * streamed body gets a fresh stream: one per attempt). */
void
hubd_hub_request_apply(HubdHubRequest *req, SoupMessage *msg, gboolean with_body);

/* The answer `msg` gave from `uri`; `body` (taken, may be NULL) is the
 * buffered body. */
HubdHubResponse *
hubd_hub_response_new(SoupMessage *msg, GUri *uri, GBytes *body);
/* The Hub's request ID (X-Request-Id, else the trace IDs), or NULL. */
const gchar *
hubd_hub_response_request_id_from_headers(SoupMessageHeaders *headers);

G_END_DECLS
