/* hubd-hub-api-oauth.c: the Hub's OAuth device authorization grant and refresh grant
 *
 * Wire format: RFC 8628 §3.1–3.5 and RFC 6749 §6, as huggingface_hub's
 * utils/_oauth_device.py sends them (docs/hub-oauth.md). Both requests are
 * form-encoded and anonymous: no stored token goes with them. */
#define G_LOG_DOMAIN "HubdHubApi"

#include "hubd-hub-api-oauth.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-client.h"
#include "hubd-json.h"

#define OAUTH_DEVICE_GRANT     "urn:ietf:params:oauth:grant-type:device_code"
#define OAUTH_DEFAULT_INTERVAL 5   /* RFC 8628 §3.2: when the server gives none */
#define OAUTH_DEFAULT_EXPIRES  900 /* huggingface_hub's fallback */
#define OAUTH_MAX_INTERVAL     300
#define OAUTH_MAX_EXPIRES      (24 * 3600)
#define OAUTH_TIMEOUT          30

static void
secret_free(gchar *secret)
{
	if (secret != NULL)
		memset(secret, 0, strlen(secret));
	g_free(secret);
}

void
hubd_hub_oauth_device_free(HubdHubOAuthDevice *device)
{
	if (device == NULL)
		return;
	secret_free(device->device_code);
	g_free(device->user_code);
	g_free(device->verification_uri);
	g_free(device->verification_uri_complete);
	g_free(device);
}

void
hubd_hub_oauth_token_free(HubdHubOAuthToken *token)
{
	if (token == NULL)
		return;
	secret_free(token->access_token);
	secret_free(token->refresh_token);
	g_free(token->error);
	g_free(token->error_description);
	g_free(token);
}

static HubdHubRequest *
oauth_request(const gchar *path, const gchar *endpoint, GHashTable *form)
{
	HubdHubRequest *req = hubd_hub_request_new("POST", path);
	g_autofree gchar *encoded = soup_form_encode_hash(form);
	gsize len = strlen(encoded);
	g_autoptr(GBytes) body = g_bytes_new_take(g_steal_pointer(&encoded), len);

	hubd_hub_request_set_body(req, "application/x-www-form-urlencoded", body);
	/* a device code is single-use and a refresh token may rotate: a retried
	 * POST could spend one twice, so the caller polls again instead */
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_ANONYMOUS |
					   HUBD_HUB_REQUEST_FLAG_NO_RETRY |
					   HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR);
	hubd_hub_request_set_timeout(req, OAUTH_TIMEOUT);
	if (endpoint != NULL)
		hubd_hub_request_set_endpoint(req, endpoint);
	return req;
}

static JsonObject *
oauth_parse_object(HubdHubResponse *response)
{
	GBytes *body = hubd_hub_response_get_body(response);
	g_autoptr(JsonParser) parser = json_parser_new();
	gsize len = 0;
	const gchar *data;
	JsonNode *root;

	if (body == NULL)
		return NULL;
	data = g_bytes_get_data(body, &len);
	if (!json_parser_load_from_data(parser, data, (gssize)len, NULL))
		return NULL;
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return NULL;
	return json_object_ref(json_node_get_object(root));
}

/* ---- POST /oauth/device ---- */

static void
oauth_device_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) response =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);
	g_autoptr(JsonObject) obj = NULL;
	g_autoptr(HubdHubOAuthDevice) device = NULL;
	gint64 number = 0;
	guint status;

	if (response == NULL) {
		g_task_return_error(task, error);
		return;
	}
	status = hubd_hub_response_get_status(response);
	obj = oauth_parse_object(response);
	if (!SOUP_STATUS_IS_SUCCESSFUL(status)) {
		const gchar *code = obj != NULL ? hubd_json_get_string(obj, "error") : NULL;
		const gchar *text =
			obj != NULL ? hubd_json_get_string(obj, "error_description") : NULL;
		g_task_return_new_error(
			task,
			HUBD_ERROR,
			status >= 500 ? HUBD_ERROR_SERVER : HUBD_ERROR_BAD_REQUEST,
			/* TRANSLATORS: %u is an HTTP status, then the Hub's error and its
			   description */
			_("The Hub refused to start a browser login (HTTP %u): %s %s"),
			status,
			code != NULL ? code : "",
			text != NULL ? text : "");
		return;
	}
	device = g_new0(HubdHubOAuthDevice, 1);
	if (obj != NULL) {
		device->device_code = hubd_json_dup_string(obj, "device_code");
		device->user_code = hubd_json_dup_string(obj, "user_code");
		device->verification_uri = hubd_json_dup_string(obj, "verification_uri");
		device->verification_uri_complete =
			hubd_json_dup_string(obj, "verification_uri_complete");
	}
	if (device->device_code == NULL || device->user_code == NULL ||
	    device->verification_uri == NULL ||
	    !g_str_has_prefix(device->verification_uri, "http")) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					"%s",
					_("The Hub's answer to a browser login request lacks the "
					  "device code, user code or verification address"));
		return;
	}
	if (device->verification_uri_complete == NULL ||
	    !g_str_has_prefix(device->verification_uri_complete, "http")) {
		g_free(device->verification_uri_complete);
		device->verification_uri_complete = g_strdup(device->verification_uri);
	}
	device->interval = OAUTH_DEFAULT_INTERVAL;
	if (hubd_json_get_number(obj, "interval", &number) && number > 0)
		device->interval = (guint)MIN(number, OAUTH_MAX_INTERVAL);
	device->expires_in = OAUTH_DEFAULT_EXPIRES;
	if (hubd_json_get_number(obj, "expires_in", &number) && number > 0)
		device->expires_in = (guint)MIN(number, OAUTH_MAX_EXPIRES);
	g_task_return_pointer(task,
			      g_steal_pointer(&device),
			      (GDestroyNotify)hubd_hub_oauth_device_free);
}

void
hubd_hub_api_oauth_device_async(HubdHubApi *self,
				const gchar *endpoint,
				const gchar *client_id,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(GHashTable) form = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(HubdHubRequest) req = NULL;
	GTask *task;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_oauth_device_async);
	g_hash_table_insert(form, (gpointer) "client_id", (gpointer)client_id);
	req = oauth_request("/oauth/device", endpoint, form);
	hubd_hub_api_request_async(self, req, cancellable, oauth_device_cb, task);
}

HubdHubOAuthDevice *
hubd_hub_api_oauth_device_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

/* ---- POST /oauth/token ---- */

static void
oauth_token_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) response =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);
	g_autoptr(JsonObject) obj = NULL;
	HubdHubOAuthToken *token;
	gint64 number = 0;

	if (response == NULL) {
		g_task_return_error(task, error);
		return;
	}
	token = g_new0(HubdHubOAuthToken, 1);
	/* a 5xx or a page that is not JSON says nothing: keep polling (§3.5) */
	if (hubd_hub_response_get_status(response) < 500)
		obj = oauth_parse_object(response);
	if (obj != NULL) {
		token->access_token = hubd_json_dup_string(obj, "access_token");
		if (token->access_token != NULL) {
			token->refresh_token = hubd_json_dup_string(obj, "refresh_token");
			if (hubd_json_get_number(obj, "expires_in", &number) && number > 0)
				token->expires_in = number;
		} else {
			token->error = hubd_json_dup_string(obj, "error");
			token->error_description = hubd_json_dup_string(obj, "error_description");
		}
	}
	g_task_return_pointer(task, token, (GDestroyNotify)hubd_hub_oauth_token_free);
}

void
hubd_hub_api_oauth_token_async(HubdHubApi *self,
			       const gchar *endpoint,
			       const gchar *client_id,
			       const gchar *device_code,
			       const gchar *refresh_token,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_autoptr(GHashTable) form = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(HubdHubRequest) req = NULL;
	GTask *task;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	g_return_if_fail((device_code == NULL) != (refresh_token == NULL));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_oauth_token_async);
	g_hash_table_insert(form, (gpointer) "client_id", (gpointer)client_id);
	if (device_code != NULL) {
		g_hash_table_insert(form, (gpointer) "grant_type", (gpointer)OAUTH_DEVICE_GRANT);
		g_hash_table_insert(form, (gpointer) "device_code", (gpointer)device_code);
	} else {
		g_hash_table_insert(form, (gpointer) "grant_type", (gpointer) "refresh_token");
		g_hash_table_insert(form, (gpointer) "refresh_token", (gpointer)refresh_token);
	}
	req = oauth_request("/oauth/token", endpoint, form);
	hubd_hub_api_request_async(self, req, cancellable, oauth_token_cb, task);
}

HubdHubOAuthToken *
hubd_hub_api_oauth_token_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}
