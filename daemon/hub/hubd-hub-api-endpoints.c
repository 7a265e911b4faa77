/* hubd-hub-api-endpoints.c: HubdHubApi's Inference Endpoints API — list, get,
 * create, update, pause, resume, scale to zero, delete, hardware
 *
 * The API lives on its own origin (`[endpoints] api=`, default
 * HUBD_HUB_API_ENDPOINTS_DEFAULT) and takes the Hub's token: each request
 * names that origin as the one the token may go to. Wire formats:
 * docs/hub-endpoints.md (huggingface_hub's hf_api.py, "Inference Endpoints"). */
#define G_LOG_DOMAIN "HubdHubApi"

#include "hubd-hub-api-endpoints.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-request-send.h"

/**
 * hubd_hub_api_endpoint_name_validate:
 * @name: an endpoint's name
 * @error: return location for a %HUBD_ERROR_INVALID_ARGUMENT error
 *
 * hubd's own check before anything is sent: lower-case letters, digits and
 * `-`, 1 to 63 characters, not starting or ending with `-` (a name is part
 * of a host name).
 *
 * Returns: %TRUE when @name is usable
 *
 * Since: 0.1
 */
gboolean
hubd_hub_api_endpoint_name_validate(const gchar *name, GError **error)
{
	gsize len = name != NULL ? strlen(name) : 0;

	if (len > 0 && len <= 63 && name[0] != '-' && name[len - 1] != '-') {
		const gchar *p = name;

		while (*p != '\0' && (g_ascii_islower(*p) || g_ascii_isdigit(*p) || *p == '-'))
			p++;
		if (*p == '\0')
			return TRUE;
	}
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("“%s” is not an endpoint or namespace name: use lower-case letters, digits "
		      "and “-”, at most 63"),
		    name != NULL ? name : "");
	return FALSE;
}

/* A namespace is a Hub user or organisation name. */
static gboolean
endpoints_check_namespace(const gchar *ns, GError **error)
{
	g_autofree gchar *probe = g_strdup_printf("%s/x", ns != NULL ? ns : "");

	if (ns == NULL || ns[0] == '\0' || !hubd_repo_id_validate(probe, TRUE, NULL)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("“%s” is not a namespace"),
			    ns != NULL ? ns : "");
		return FALSE;
	}
	return TRUE;
}

/* `{api}/{what}/{ns}[/{name}[/{action}]]` as a request, or NULL and the error */
static HubdHubRequest *
endpoints_request(const gchar *method,
		  const gchar *api,
		  const gchar *what,
		  const gchar *ns,
		  const gchar *name,
		  const gchar *action,
		  GError **error)
{
	g_autoptr(GUri) uri = NULL;
	g_autofree gchar *origin = NULL;
	g_autoptr(GString) url = NULL;
	HubdHubRequest *req;

	uri = g_uri_parse(api, SOUP_HTTP_URI_FLAGS, NULL);
	if (uri == NULL || (g_strcmp0(g_uri_get_scheme(uri), "https") != 0 &&
			    g_strcmp0(g_uri_get_scheme(uri), "http") != 0)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("[endpoints] api=%s is not an http(s) URL"),
			    api);
		return NULL;
	}
	if (!endpoints_check_namespace(ns, error) ||
	    (name != NULL && !hubd_hub_api_endpoint_name_validate(name, error)))
		return NULL;
	url = g_string_new(api);
	while (url->len > 0 && url->str[url->len - 1] == '/')
		g_string_truncate(url, url->len - 1);
	/* checked above: nothing to escape */
	g_string_append_printf(url, "/%s/%s", what, ns);
	if (name != NULL)
		g_string_append_printf(url, "/%s", name);
	if (action != NULL)
		g_string_append_printf(url, "/%s", action);
	req = hubd_hub_request_new(method, url->str);
	origin = g_uri_join(G_URI_FLAGS_NONE,
			    g_uri_get_scheme(uri),
			    NULL,
			    g_uri_get_host(uri),
			    g_uri_get_port(uri),
			    "",
			    NULL,
			    NULL);
	hubd_hub_request_set_token_origin(req, origin);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN);
	return req;
}

static void
endpoints_send(HubdHubApi *self,
	       HubdHubRequest *req,
	       JsonNode *body,
	       GError *error,
	       GCancellable *cancellable,
	       GAsyncReadyCallback callback,
	       gpointer user_data,
	       gpointer source_tag)
{
	g_autoptr(HubdHubRequest) owned = req;

	if (owned == NULL) {
		g_task_report_error(self, callback, user_data, source_tag, error);
		return;
	}
	if (body != NULL)
		hubd_hub_request_set_json_body(owned, body);
	hubd_hub_api_get_json_async(self, owned, cancellable, callback, user_data);
}

/**
 * hubd_hub_api_endpoints_list_async:
 * @self: a #HubdHubApi
 * @api: the API's base URL (`[endpoints] api=`)
 * @namespace_: a user or organisation
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with `{"items": [endpoint…]}`
 * @user_data: for @callback
 *
 * `GET {api}/endpoint/{namespace}`. Finish with hubd_hub_api_endpoints_finish().
 *
 * Since: 0.1
 */
void
hubd_hub_api_endpoints_list_async(HubdHubApi *self,
				  const gchar *api,
				  const gchar *namespace_,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req =
		endpoints_request("GET", api, "endpoint", namespace_, NULL, NULL, &error);

	g_return_if_fail(HUBD_IS_HUB_API(self));
	endpoints_send(self,
		       req,
		       NULL,
		       error,
		       cancellable,
		       callback,
		       user_data,
		       hubd_hub_api_endpoints_list_async);
}

/**
 * hubd_hub_api_endpoint_get_async:
 * @self: a #HubdHubApi
 * @api: the API's base URL
 * @namespace_: a user or organisation
 * @name: the endpoint
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the endpoint object
 * @user_data: for @callback
 *
 * `GET {api}/endpoint/{namespace}/{name}`. Finish with
 * hubd_hub_api_endpoints_finish().
 *
 * Since: 0.1
 */
void
hubd_hub_api_endpoint_get_async(HubdHubApi *self,
				const gchar *api,
				const gchar *namespace_,
				const gchar *name,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req =
		endpoints_request("GET", api, "endpoint", namespace_, name, NULL, &error);

	g_return_if_fail(HUBD_IS_HUB_API(self));
	endpoints_send(self,
		       req,
		       NULL,
		       error,
		       cancellable,
		       callback,
		       user_data,
		       hubd_hub_api_endpoint_get_async);
}

/**
 * hubd_hub_api_endpoint_create_async:
 * @self: a #HubdHubApi
 * @api: the API's base URL
 * @namespace_: a user or organisation
 * @body: the endpoint to create (`name`, `compute`, `model`, `provider`,
 *   `type`…), not taken
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the endpoint object
 * @user_data: for @callback
 *
 * `POST {api}/endpoint/{namespace}`. Finish with
 * hubd_hub_api_endpoints_finish().
 *
 * Since: 0.1
 */
void
hubd_hub_api_endpoint_create_async(HubdHubApi *self,
				   const gchar *api,
				   const gchar *namespace_,
				   JsonNode *body,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req =
		endpoints_request("POST", api, "endpoint", namespace_, NULL, NULL, &error);

	g_return_if_fail(HUBD_IS_HUB_API(self));
	endpoints_send(self,
		       req,
		       body,
		       error,
		       cancellable,
		       callback,
		       user_data,
		       hubd_hub_api_endpoint_create_async);
}

/**
 * hubd_hub_api_endpoint_update_async:
 * @self: a #HubdHubApi
 * @api: the API's base URL
 * @namespace_: a user or organisation
 * @name: the endpoint
 * @body: the members to change only, not taken
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the endpoint object
 * @user_data: for @callback
 *
 * `PUT {api}/endpoint/{namespace}/{name}` with a partial body. Finish with
 * hubd_hub_api_endpoints_finish().
 *
 * Since: 0.1
 */
void
hubd_hub_api_endpoint_update_async(HubdHubApi *self,
				   const gchar *api,
				   const gchar *namespace_,
				   const gchar *name,
				   JsonNode *body,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req =
		endpoints_request("PUT", api, "endpoint", namespace_, name, NULL, &error);

	g_return_if_fail(HUBD_IS_HUB_API(self));
	endpoints_send(self,
		       req,
		       body,
		       error,
		       cancellable,
		       callback,
		       user_data,
		       hubd_hub_api_endpoint_update_async);
}

/**
 * hubd_hub_api_endpoint_action_async:
 * @self: a #HubdHubApi
 * @api: the API's base URL
 * @namespace_: a user or organisation
 * @name: the endpoint
 * @action: pause, resume or scale to zero
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the endpoint object
 * @user_data: for @callback
 *
 * `POST {api}/endpoint/{namespace}/{name}/pause|resume|scale-to-zero`.
 * Finish with hubd_hub_api_endpoints_finish().
 *
 * Since: 0.1
 */
void
hubd_hub_api_endpoint_action_async(HubdHubApi *self,
				   const gchar *api,
				   const gchar *namespace_,
				   const gchar *name,
				   HubdHubEndpointAction action,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	static const gchar *const actions[] = {"pause", "resume", "scale-to-zero"};
	GError *error = NULL;
	HubdHubRequest *req = endpoints_request("POST",
						api,
						"endpoint",
						namespace_,
						name,
						actions[action],
						&error);

	g_return_if_fail(HUBD_IS_HUB_API(self));
	endpoints_send(self,
		       req,
		       NULL,
		       error,
		       cancellable,
		       callback,
		       user_data,
		       hubd_hub_api_endpoint_action_async);
}

static void
endpoints_deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);

	if (resp == NULL) {
		g_task_return_error(task, error);
		return;
	}
	/* the answer has no body worth keeping: an empty object stands for it */
	g_task_return_pointer(task,
			      json_node_new(JSON_NODE_OBJECT),
			      (GDestroyNotify)json_node_unref);
}

/**
 * hubd_hub_api_endpoint_delete_async:
 * @self: a #HubdHubApi
 * @api: the API's base URL
 * @namespace_: a user or organisation
 * @name: the endpoint
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * `DELETE {api}/endpoint/{namespace}/{name}`. Finish with
 * hubd_hub_api_endpoints_finish() (an empty object).
 *
 * Since: 0.1
 */
void
hubd_hub_api_endpoint_delete_async(HubdHubApi *self,
				   const gchar *api,
				   const gchar *namespace_,
				   const gchar *name,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	GError *error = NULL;
	g_autoptr(HubdHubRequest) req =
		endpoints_request("DELETE", api, "endpoint", namespace_, name, NULL, &error);
	GTask *task;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_endpoint_delete_async);
	if (req == NULL) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	hubd_hub_api_request_async(self, req, cancellable, endpoints_deleted_cb, task);
}

/**
 * hubd_hub_api_endpoints_hardware_async:
 * @self: a #HubdHubApi
 * @api: the API's base URL
 * @namespace_: a user or organisation
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with `{"vendors": […]}`
 * @user_data: for @callback
 *
 * `GET {api}/provider/{namespace}`: vendors, their regions and the computes
 * of each. Finish with hubd_hub_api_endpoints_finish().
 *
 * Since: 0.1
 */
void
hubd_hub_api_endpoints_hardware_async(HubdHubApi *self,
				      const gchar *api,
				      const gchar *namespace_,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req =
		endpoints_request("GET", api, "provider", namespace_, NULL, NULL, &error);

	g_return_if_fail(HUBD_IS_HUB_API(self));
	endpoints_send(self,
		       req,
		       NULL,
		       error,
		       cancellable,
		       callback,
		       user_data,
		       hubd_hub_api_endpoints_hardware_async);
}

/**
 * hubd_hub_api_endpoints_finish:
 * @self: a #HubdHubApi
 * @result: the result of one of the calls above
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): the API's JSON answer
 *
 * Since: 0.1
 */
JsonNode *
hubd_hub_api_endpoints_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	if (g_task_get_source_tag(G_TASK(result)) == hubd_hub_api_endpoint_delete_async)
		return g_task_propagate_pointer(G_TASK(result), error);
	return hubd_hub_api_get_json_finish(self, result, NULL, error);
}
