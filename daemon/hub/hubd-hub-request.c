/* hubd-hub-request.c: HubdHubRequest and HubdHubResponse, what HubdHubClient sends and gets */
#define G_LOG_DOMAIN "HubdHubRequest"

#include "hubd-hub-request.h"

#include <string.h>

#include "hubd-hub-request-send.h"

/* ---- HubdHubRequest ---- */

struct _HubdHubRequest {
	gchar *method;
	GString *url; /* path or URL, query appended */
	gboolean has_query;
	gchar *content_type;
	GBytes *body;
	HubdHubBodyFactory body_factory; /* streamed body, instead of `body` */
	gpointer body_data;
	GDestroyNotify body_destroy;
	goffset body_length;
	GPtrArray *headers; /* name, value, name, value... */
	HubdHubRequestFlags flags;
	gchar *token;
	gchar *token_name;
	gchar *endpoint;
	gchar *token_origin;
	gchar *library;
	guint timeout;
};

G_DEFINE_BOXED_TYPE(HubdHubRequest, hubd_hub_request, hubd_hub_request_ref, hubd_hub_request_unref)

/**
 * hubd_hub_request_new:
 * @method: `GET`, `HEAD`, `POST`, `PUT`, `DELETE`…
 * @path_or_url: a path from a HubdHubApi URL builder (relative to the Hub),
 *   or an absolute URL the Hub handed out
 *
 * A request to send with hubd_hub_api_request_async() and friends. The
 * transport adds the user's token only when the URL is on the Hub's own
 * origin, the user agent, retries (idempotent methods) and error mapping.
 *
 * Returns: (transfer full): the request
 *
 * Since: 0.1
 */
HubdHubRequest *
hubd_hub_request_new(const gchar *method, const gchar *path_or_url)
{
	HubdHubRequest *req = g_rc_box_new0(HubdHubRequest);

	req->method = g_strdup(method);
	req->url = g_string_new(path_or_url);
	req->has_query = strchr(path_or_url, '?') != NULL;
	req->headers = g_ptr_array_new_with_free_func(g_free);
	return req;
}

/**
 * hubd_hub_request_ref:
 * @req: a request
 *
 * Returns: (transfer full): @req
 *
 * Since: 0.1
 */
HubdHubRequest *
hubd_hub_request_ref(HubdHubRequest *req)
{
	return g_rc_box_acquire(req);
}

static void
hubd_hub_request_clear(HubdHubRequest *req)
{
	g_free(req->method);
	g_string_free(req->url, TRUE);
	g_free(req->content_type);
	g_clear_pointer(&req->body, g_bytes_unref);
	if (req->body_destroy != NULL)
		req->body_destroy(req->body_data);
	g_ptr_array_unref(req->headers);
	if (req->token != NULL)
		memset(req->token, 0, strlen(req->token));
	g_free(req->token);
	g_free(req->token_name);
	g_free(req->endpoint);
	g_free(req->token_origin);
	g_free(req->library);
}

/**
 * hubd_hub_request_unref:
 * @req: (transfer full): a request
 *
 * Since: 0.1
 */
void
hubd_hub_request_unref(HubdHubRequest *req)
{
	g_rc_box_release_full(req, (GDestroyNotify)hubd_hub_request_clear);
}

/**
 * hubd_hub_request_add_query:
 * @req: a request
 * @key: the parameter's name
 * @value: its value
 *
 * Appends `key=value` to the query, both percent-encoded here.
 *
 * Since: 0.1
 */
void
hubd_hub_request_add_query(HubdHubRequest *req, const gchar *key, const gchar *value)
{
	g_autofree gchar *k = g_uri_escape_string(key, NULL, FALSE);
	g_autofree gchar *v = g_uri_escape_string(value, NULL, FALSE);

	g_string_append_printf(req->url, "%c%s=%s", req->has_query ? '&' : '?', k, v);
	req->has_query = TRUE;
}

/**
 * hubd_hub_request_set_body:
 * @req: a request
 * @content_type: the body's media type
 * @body: the body (a reference is taken)
 *
 * Since: 0.1
 */
void
hubd_hub_request_set_body(HubdHubRequest *req, const gchar *content_type, GBytes *body)
{
	g_free(req->content_type);
	req->content_type = g_strdup(content_type);
	g_clear_pointer(&req->body, g_bytes_unref);
	req->body = body != NULL ? g_bytes_ref(body) : NULL;
}

/**
 * hubd_hub_request_set_json_body:
 * @req: a request
 * @node: JSON (not taken)
 *
 * Serialises @node as the `application/json` body.
 *
 * Since: 0.1
 */
void
hubd_hub_request_set_json_body(HubdHubRequest *req, JsonNode *node)
{
	gsize len = 0;
	gchar *data = json_to_string(node, FALSE);

	len = strlen(data);
	g_free(req->content_type);
	req->content_type = g_strdup("application/json");
	g_clear_pointer(&req->body, g_bytes_unref);
	req->body = g_bytes_new_take(data, len);
}

/**
 * hubd_hub_request_set_body_stream:
 * @req: a request
 * @content_type: the body's media type
 * @factory: makes a fresh stream for every attempt, so a retry resends from
 *   the start
 * @user_data: for @factory
 * @destroy: (nullable): frees @user_data
 * @length: the exact size, or -1 (chunked)
 *
 * A streamed body (uploads); replaces any body set before.
 *
 * Since: 0.1
 */
void
hubd_hub_request_set_body_stream(HubdHubRequest *req,
				 const gchar *content_type,
				 HubdHubBodyFactory factory,
				 gpointer user_data,
				 GDestroyNotify destroy,
				 goffset length)
{
	g_free(req->content_type);
	req->content_type = g_strdup(content_type);
	g_clear_pointer(&req->body, g_bytes_unref);
	if (req->body_destroy != NULL)
		req->body_destroy(req->body_data);
	req->body_factory = factory;
	req->body_data = user_data;
	req->body_destroy = destroy;
	req->body_length = length;
}

/**
 * hubd_hub_request_set_header:
 * @req: a request
 * @name: a header name (never `Authorization`: the transport owns it)
 * @value: its value
 *
 * Since: 0.1
 */
void
hubd_hub_request_set_header(HubdHubRequest *req, const gchar *name, const gchar *value)
{
	g_ptr_array_add(req->headers, g_strdup(name));
	g_ptr_array_add(req->headers, g_strdup(value));
}

/**
 * hubd_hub_request_set_flags:
 * @req: a request
 * @flags: #HubdHubRequestFlags
 *
 * Since: 0.1
 */
void
hubd_hub_request_set_flags(HubdHubRequest *req, HubdHubRequestFlags flags)
{
	req->flags = flags;
}

void
hubd_hub_request_set_token(HubdHubRequest *req, const gchar *token)
{
	if (req->token != NULL)
		memset(req->token, 0, strlen(req->token));
	g_free(req->token);
	req->token = g_strdup(token);
}

/**
 * hubd_hub_request_set_token_name:
 * @req: a request
 * @name: (nullable): a stored token's name; %NULL for the active token
 *
 * Sends @req with the stored token @name of the Hub it goes to instead of
 * the active one, which stays active for everyone else. The request fails
 * with %HUBD_ERROR_NOT_LOGGED_IN when no token of that name is stored. Like
 * the active token, it goes to the Hub's own origin only.
 *
 * Since: 0.1
 */
void
hubd_hub_request_set_token_name(HubdHubRequest *req, const gchar *name)
{
	g_free(req->token_name);
	req->token_name = name != NULL && name[0] != '\0' ? g_strdup(name) : NULL;
}

void
hubd_hub_request_set_endpoint(HubdHubRequest *req, const gchar *endpoint)
{
	g_free(req->endpoint);
	req->endpoint = g_strdup(endpoint);
}

/**
 * hubd_hub_request_set_library:
 * @req: a request
 * @name: the calling application's name
 * @version: its version
 *
 * Adds `NAME/VERSION` to the user agent, as huggingface_hub's
 * `library_name` does.
 *
 * Since: 0.1
 */
void
hubd_hub_request_set_library(HubdHubRequest *req, const gchar *name, const gchar *version)
{
	g_free(req->library);
	req->library =
		name != NULL && name[0] != '\0'
			? g_strdup_printf("%s/%s",
					  name,
					  version != NULL && version[0] != '\0' ? version : "None")
			: NULL;
}

/**
 * hubd_hub_request_set_timeout:
 * @req: a request
 * @seconds: a deadline for one whole attempt (0: only the I/O timeout)
 *
 * Since: 0.1
 */
void
hubd_hub_request_set_timeout(HubdHubRequest *req, guint seconds)
{
	req->timeout = seconds;
}

/* ---- what the client reads (hubd-hub-request-send.h) ---- */

const gchar *
hubd_hub_request_get_method(HubdHubRequest *req)
{
	return req->method;
}

const gchar *
hubd_hub_request_get_url(HubdHubRequest *req)
{
	return req->url->str;
}

HubdHubRequestFlags
hubd_hub_request_get_flags(HubdHubRequest *req)
{
	return req->flags;
}

const gchar *
hubd_hub_request_get_token(HubdHubRequest *req)
{
	return req->token;
}

const gchar *
hubd_hub_request_get_token_name(HubdHubRequest *req)
{
	return req->token_name;
}

const gchar *
hubd_hub_request_get_endpoint(HubdHubRequest *req)
{
	return req->endpoint;
}

/* The Hub's token goes to this origin instead of the Hub's: an API of the
 * Hub's served elsewhere (Inference Endpoints, docs/hub-endpoints.md §1).
 * Daemon-internal: only daemon/hub/ sets it. */
void
hubd_hub_request_set_token_origin(HubdHubRequest *req, const gchar *origin)
{
	g_free(req->token_origin);
	req->token_origin = g_strdup(origin);
}

const gchar *
hubd_hub_request_get_token_origin(HubdHubRequest *req)
{
	return req->token_origin;
}

const gchar *
hubd_hub_request_get_library(HubdHubRequest *req)
{
	return req->library;
}

gboolean
hubd_hub_request_has_body_stream(HubdHubRequest *req)
{
	return req->body_factory != NULL;
}

guint
hubd_hub_request_get_timeout(HubdHubRequest *req)
{
	return req->timeout;
}

void
hubd_hub_request_apply(HubdHubRequest *req, SoupMessage *msg, gboolean with_body)
{
	SoupMessageHeaders *headers = soup_message_get_request_headers(msg);

	for (guint i = 0; i + 1 < req->headers->len; i += 2)
		soup_message_headers_replace(headers,
					     g_ptr_array_index(req->headers, i),
					     g_ptr_array_index(req->headers, i + 1));
	if (!with_body)
		return;
	if (req->body != NULL)
		soup_message_set_request_body_from_bytes(msg, req->content_type, req->body);
	if (req->body_factory != NULL) {
		g_autoptr(GInputStream) body = req->body_factory(req->body_data);
		soup_message_set_request_body(msg, req->content_type, body, req->body_length);
	}
}

/* ---- HubdHubResponse ---- */

struct _HubdHubResponse {
	guint status;
	SoupMessage *msg;
	GBytes *body;
	GUri *uri;
	gchar *request_id;
};

const gchar *
hubd_hub_response_request_id_from_headers(SoupMessageHeaders *headers)
{
	const gchar *id = soup_message_headers_get_one(headers, "X-Request-Id");

	if (id == NULL)
		id = soup_message_headers_get_one(headers, "X-Amzn-Trace-Id");
	if (id == NULL)
		id = soup_message_headers_get_one(headers, "x-amz-cf-id");
	return id;
}

G_DEFINE_BOXED_TYPE(HubdHubResponse,
		    hubd_hub_response,
		    hubd_hub_response_ref,
		    hubd_hub_response_unref)

/**
 * hubd_hub_response_ref:
 * @resp: a response
 *
 * Returns: (transfer full): @resp
 *
 * Since: 0.1
 */
HubdHubResponse *
hubd_hub_response_ref(HubdHubResponse *resp)
{
	return g_rc_box_acquire(resp);
}

static void
hubd_hub_response_clear(HubdHubResponse *resp)
{
	g_clear_object(&resp->msg);
	g_clear_pointer(&resp->body, g_bytes_unref);
	g_clear_pointer(&resp->uri, g_uri_unref);
	g_free(resp->request_id);
}

/**
 * hubd_hub_response_unref:
 * @resp: (transfer full): a response
 *
 * Since: 0.1
 */
void
hubd_hub_response_unref(HubdHubResponse *resp)
{
	g_rc_box_release_full(resp, (GDestroyNotify)hubd_hub_response_clear);
}

HubdHubResponse *
hubd_hub_response_new(SoupMessage *msg, GUri *uri, GBytes *body)
{
	HubdHubResponse *resp = g_rc_box_new0(HubdHubResponse);
	const gchar *id;

	resp->status = soup_message_get_status(msg);
	resp->msg = g_object_ref(msg);
	resp->uri = g_uri_ref(uri);
	resp->body = body;
	id = hubd_hub_response_request_id_from_headers(soup_message_get_response_headers(msg));
	resp->request_id = g_strdup(id);
	return resp;
}

/**
 * hubd_hub_response_get_status:
 * @resp: a response
 *
 * Returns: the HTTP status
 *
 * Since: 0.1
 */
guint
hubd_hub_response_get_status(HubdHubResponse *resp)
{
	return resp->status;
}

/**
 * hubd_hub_response_get_headers:
 * @resp: a response
 *
 * Returns: (transfer none): the answer's headers
 *
 * Since: 0.1
 */
SoupMessageHeaders *
hubd_hub_response_get_headers(HubdHubResponse *resp)
{
	return soup_message_get_response_headers(resp->msg);
}

/**
 * hubd_hub_response_get_body:
 * @resp: a response
 *
 * Returns: (transfer none) (nullable): the whole body, bounded; %NULL for a
 *   streamed answer
 *
 * Since: 0.1
 */
GBytes *
hubd_hub_response_get_body(HubdHubResponse *resp)
{
	return resp->body;
}

/**
 * hubd_hub_response_get_uri:
 * @resp: a response
 *
 * Returns: (transfer none): the URL that answered, after redirects
 *
 * Since: 0.1
 */
GUri *
hubd_hub_response_get_uri(HubdHubResponse *resp)
{
	return resp->uri;
}

/**
 * hubd_hub_response_get_message:
 * @resp: a response
 *
 * Returns: (transfer none): the last #SoupMessage sent
 *
 * Since: 0.1
 */
SoupMessage *
hubd_hub_response_get_message(HubdHubResponse *resp)
{
	return resp->msg;
}

/**
 * hubd_hub_response_get_request_id:
 * @resp: a response
 *
 * Returns: (nullable): the Hub's request id (`X-Request-Id`), to quote in
 *   bug reports
 *
 * Since: 0.1
 */
const gchar *
hubd_hub_response_get_request_id(HubdHubResponse *resp)
{
	return resp->request_id;
}
