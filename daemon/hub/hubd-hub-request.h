/* hubd-hub-request.h: HubdHubRequest and HubdHubResponse, what HubdHubClient sends and gets */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * HubdHubRequestFlags:
 * @HUBD_HUB_REQUEST_FLAG_NONE: none
 * @HUBD_HUB_REQUEST_FLAG_ANONYMOUS: never send a token, not even to the Hub
 * @HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN: fail with %HUBD_ERROR_NOT_LOGGED_IN
 *   when there is no token
 * @HUBD_HUB_REQUEST_FLAG_NO_RETRY: one attempt only, even for an idempotent
 *   method
 * @HUBD_HUB_REQUEST_FLAG_RETRY: retry although the method is not idempotent
 * @HUBD_HUB_REQUEST_FLAG_NO_REDIRECT: hand back 3xx answers instead of
 *   following them
 * @HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR: hand back HTTP error answers instead
 *   of failing
 *
 * How a #HubdHubRequest is sent.
 *
 * Since: 0.1
 */
typedef enum {
	HUBD_HUB_REQUEST_FLAG_NONE = 0,
	/* never send a token, not even to the Hub */
	HUBD_HUB_REQUEST_FLAG_ANONYMOUS = 1 << 0,
	/* fail with NOT_LOGGED_IN when there is no token */
	HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN = 1 << 1,
	/* one attempt only, even for an idempotent method */
	HUBD_HUB_REQUEST_FLAG_NO_RETRY = 1 << 2,
	/* retry although the method is not idempotent (preupload, LFS batch) */
	HUBD_HUB_REQUEST_FLAG_RETRY = 1 << 3,
	/* hand back 3xx answers instead of following them (metadata HEAD) */
	HUBD_HUB_REQUEST_FLAG_NO_REDIRECT = 1 << 4,
	/* hand back HTTP error answers instead of failing (caller classifies) */
	HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR = 1 << 5,
} HubdHubRequestFlags;

/* ---- a request description (refcounted, not thread-safe) ---- */

/**
 * HubdHubRequest:
 *
 * A request to the Hub, refcounted, not thread-safe. Its URL comes from a
 * #HubdHubApi URL builder, or is one the Hub handed out.
 *
 * Since: 0.1
 */
typedef struct _HubdHubRequest HubdHubRequest;

#define HUBD_TYPE_HUB_REQUEST (hubd_hub_request_get_type())
GType
hubd_hub_request_get_type(void);

/* `path_or_url` is "/api/..." (relative to the endpoint) or an absolute URL. */
HubdHubRequest *
hubd_hub_request_new(const gchar *method, const gchar *path_or_url);
HubdHubRequest *
hubd_hub_request_ref(HubdHubRequest *req);
void
hubd_hub_request_unref(HubdHubRequest *req);
/* appends key=value to the query (both escaped here) */
void
hubd_hub_request_add_query(HubdHubRequest *req, const gchar *key, const gchar *value);
void
hubd_hub_request_set_body(HubdHubRequest *req, const gchar *content_type, GBytes *body);
/* serialises `node` (not taken) as application/json */
void
hubd_hub_request_set_json_body(HubdHubRequest *req, JsonNode *node);
/* A streamed body (uploads): `factory` makes a fresh stream for every
 * attempt, so retries resend from the start; `length` is the exact size
 * (-1: chunked). Replaces any body set before. */
typedef GInputStream *(*HubdHubBodyFactory)(gpointer user_data);
void
hubd_hub_request_set_body_stream(HubdHubRequest *req,
				 const gchar *content_type,
				 HubdHubBodyFactory factory,
				 gpointer user_data,
				 GDestroyNotify destroy,
				 goffset length);
void
hubd_hub_request_set_header(HubdHubRequest *req, const gchar *name, const gchar *value);
void
hubd_hub_request_set_flags(HubdHubRequest *req, HubdHubRequestFlags flags);
/* Use this token instead of the current one (Login validates a new token). */
void
hubd_hub_request_set_token(HubdHubRequest *req, const gchar *token);
/* Use the stored token of this name instead of the active one. */
void
hubd_hub_request_set_token_name(HubdHubRequest *req, const gchar *name);
/* Talk to this Hub instead of the configured one: relative paths resolve
 * against it and the token goes only to its origin. */
void
hubd_hub_request_set_endpoint(HubdHubRequest *req, const gchar *endpoint);
/* The calling application, added to the user agent as NAME/VERSION. */
void
hubd_hub_request_set_library(HubdHubRequest *req, const gchar *name, const gchar *version);
/* Whole-attempt deadline in seconds (0 = only the session's I/O timeout). */
void
hubd_hub_request_set_timeout(HubdHubRequest *req, guint seconds);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubRequest, hubd_hub_request_unref)

/* ---- an answer (refcounted) ---- */

/**
 * HubdHubResponse:
 *
 * The Hub's answer to a #HubdHubRequest: status, headers, body. Refcounted.
 *
 * Since: 0.1
 */
typedef struct _HubdHubResponse HubdHubResponse;

#define HUBD_TYPE_HUB_RESPONSE (hubd_hub_response_get_type())
GType
hubd_hub_response_get_type(void);
HubdHubResponse *
hubd_hub_response_ref(HubdHubResponse *resp);
void
hubd_hub_response_unref(HubdHubResponse *resp);
guint
hubd_hub_response_get_status(HubdHubResponse *resp);
SoupMessageHeaders *
hubd_hub_response_get_headers(HubdHubResponse *resp);
/* NULL for streamed answers */
GBytes *
hubd_hub_response_get_body(HubdHubResponse *resp);
/* the URL that answered, after redirects */
GUri *
hubd_hub_response_get_uri(HubdHubResponse *resp);
/* the last SoupMessage sent (for streamed downloads) */
SoupMessage *
hubd_hub_response_get_message(HubdHubResponse *resp);
const gchar *
hubd_hub_response_get_request_id(HubdHubResponse *resp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubResponse, hubd_hub_response_unref)

G_END_DECLS
