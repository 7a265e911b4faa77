/* hubd-hub-api-access.c: HubdHubApi's gated-access endpoints — the owner's
 * access-request lists, handle and grant, and the user's ask-access
 *
 * Wire formats (docs/hub-gated.md) follow huggingface_hub's hf_api.py
 * (list_pending_access_requests, accept/reject/cancel_access_request,
 * grant_access) and the dataset viewer's ask_access. */
#define G_LOG_DOMAIN "HubdHubApi"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-api-community.h"
#include "hubd-hub-client.h"

static const gchar *const access_statuses[] = {"pending", "accepted", "rejected", NULL};

/* ---- the shared JSON call ---- */

static void
call_json_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);
	GBytes *body;
	JsonNode *node;

	if (resp == NULL) {
		g_task_return_error(task, error);
		return;
	}
	body = hubd_hub_response_get_body(resp);
	/* handle, grant and ask-access may answer with no body (or a redirect) */
	if (body == NULL || g_bytes_get_size(body) == 0 ||
	    hubd_hub_response_get_status(resp) >= 300) {
		node = json_node_new(JSON_NODE_OBJECT);
		json_node_take_object(node, json_object_new());
	} else {
		node = hubd_hub_api_parse_response(resp, &error);
		if (node == NULL) {
			g_task_return_error(task, error);
			return;
		}
	}
	g_task_return_pointer(task, node, (GDestroyNotify)json_node_unref);
}

/**
 * hubd_hub_api_call_json_async:
 * @self: a #HubdHubApi
 * @method: the HTTP method
 * @path_or_url: from the URL builders
 * @body: (nullable): a JSON body
 * @flags: how to send it (%HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN for changes)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: for @callback
 *
 * One request whose answer is JSON, or empty (then `{}`); a 3xx answer kept
 * with %HUBD_HUB_REQUEST_FLAG_NO_REDIRECT also counts as `{}`.
 *
 * Since: 0.1
 */
void
hubd_hub_api_call_json_async(HubdHubApi *self,
			     const gchar *method,
			     const gchar *path_or_url,
			     JsonNode *body,
			     HubdHubRequestFlags flags,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new(method, path_or_url);
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_hub_api_call_json_async);
	if (body != NULL)
		hubd_hub_request_set_json_body(req, body);
	hubd_hub_request_set_header(req, "Accept", "application/json");
	hubd_hub_request_set_flags(req, flags);
	hubd_hub_api_request_async(self, req, cancellable, call_json_cb, task);
}

/**
 * hubd_hub_api_call_json_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): the answer
 *
 * Since: 0.1
 */
JsonNode *
hubd_hub_api_call_json_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

/* ---- the owner's side ---- */

static gchar *
access_path(HubdRepoType type, const gchar *repo_id, const gchar *what, GError **error)
{
	const gchar *segments[] = {"user-access-request", what, NULL};

	return hubd_hub_api_build_repo_path(type, repo_id, segments, error);
}

static gboolean
check_user(const gchar *user, GError **error)
{
	if (user != NULL && user[0] != '\0' && g_utf8_validate(user, -1, NULL) &&
	    strlen(user) <= 96)
		return TRUE;
	g_set_error_literal(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("A user name is required (at most 96 bytes of UTF-8)"));
	return FALSE;
}

static gpointer
parse_request(JsonNode *node, GError **error)
{
	return hubd_hub_access_request_to_variant(node, error);
}

/**
 * hubd_hub_api_list_access_requests_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the gated repo
 * @status: "pending", "accepted" or "rejected"
 * @limit: most requests to return, 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the requests
 * @user_data: for @callback
 *
 * `GET /api/{type}s/{id}/user-access-request/{status}`, every page. Needs a
 * token with write access to the repo.
 *
 * Since: 0.1
 */
void
hubd_hub_api_list_access_requests_async(HubdHubApi *self,
					HubdRepoType type,
					const gchar *repo_id,
					const gchar *status,
					guint limit,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data)
{
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (status == NULL || !g_strv_contains(access_statuses, status)) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_list_access_requests_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("The status of access requests is pending, accepted "
					  "or rejected (got “%s”)"),
					status != NULL ? status : "");
		return;
	}
	path = access_path(type, repo_id, status, &error);
	if (path == NULL) {
		g_task_report_error(self,
				    callback,
				    user_data,
				    hubd_hub_api_list_access_requests_async,
				    error);
		return;
	}
	req = hubd_hub_request_new("GET", path);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN);
	hubd_hub_api_list_async(self,
				req,
				limit,
				parse_request,
				(GDestroyNotify)g_variant_unref,
				cancellable,
				callback,
				user_data);
}

/**
 * hubd_hub_api_list_access_requests_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer container) (element-type GVariant) (nullable): a{sv}s
 *
 * Since: 0.1
 */
GPtrArray *
hubd_hub_api_list_access_requests_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_list_finish(self, result, error);
}

static void
access_post(HubdHubApi *self,
	    HubdRepoType type,
	    const gchar *repo_id,
	    const gchar *what,
	    JsonBuilder *body,
	    gpointer source_tag,
	    GCancellable *cancellable,
	    GAsyncReadyCallback callback,
	    gpointer user_data)
{
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;

	path = access_path(type, repo_id, what, &error);
	if (path == NULL) {
		g_task_report_error(self, callback, user_data, source_tag, error);
		return;
	}
	json_builder_end_object(body);
	root = json_builder_get_root(body);
	hubd_hub_api_call_json_async(self,
				     "POST",
				     path,
				     root,
				     HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN,
				     cancellable,
				     callback,
				     user_data);
}

static JsonBuilder *
user_body(const gchar *user)
{
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "user");
	json_builder_add_string_value(b, user);
	return b;
}

/**
 * hubd_hub_api_handle_access_request_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the gated repo
 * @user: whose request
 * @status: "accepted", "rejected" or "pending" (cancel: back to pending,
 *   access removed)
 * @rejection_reason: (nullable): with "rejected" only, at most 200 characters
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * `POST /api/{type}s/{id}/user-access-request/handle` with `{"user",
 * "status", "rejectionReason"?}`.
 *
 * Since: 0.1
 */
void
hubd_hub_api_handle_access_request_async(HubdHubApi *self,
					 HubdRepoType type,
					 const gchar *repo_id,
					 const gchar *user,
					 const gchar *status,
					 const gchar *rejection_reason,
					 GCancellable *cancellable,
					 GAsyncReadyCallback callback,
					 gpointer user_data)
{
	g_autoptr(JsonBuilder) body = NULL;
	GError *error = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (!check_user(user, &error)) {
		g_task_report_error(self,
				    callback,
				    user_data,
				    hubd_hub_api_handle_access_request_async,
				    error);
		return;
	}
	if (status == NULL || !g_strv_contains(access_statuses, status) ||
	    (rejection_reason != NULL &&
	     (g_strcmp0(status, "rejected") != 0 || g_utf8_strlen(rejection_reason, -1) > 200))) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_handle_access_request_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("An access request becomes accepted, rejected or "
					  "pending; a rejection reason goes with rejected only "
					  "and has at most 200 characters"));
		return;
	}
	body = user_body(user);
	json_builder_set_member_name(body, "status");
	json_builder_add_string_value(body, status);
	if (rejection_reason != NULL) {
		json_builder_set_member_name(body, "rejectionReason");
		json_builder_add_string_value(body, rejection_reason);
	}
	access_post(self,
		    type,
		    repo_id,
		    "handle",
		    body,
		    hubd_hub_api_handle_access_request_async,
		    cancellable,
		    callback,
		    user_data);
}

/**
 * hubd_hub_api_grant_access_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the gated repo
 * @user: who gets access
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * `POST /api/{type}s/{id}/user-access-request/grant` with `{"user"}`.
 *
 * Since: 0.1
 */
void
hubd_hub_api_grant_access_async(HubdHubApi *self,
				HubdRepoType type,
				const gchar *repo_id,
				const gchar *user,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(JsonBuilder) body = NULL;
	GError *error = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (!check_user(user, &error)) {
		g_task_report_error(self,
				    callback,
				    user_data,
				    hubd_hub_api_grant_access_async,
				    error);
		return;
	}
	body = user_body(user);
	access_post(self,
		    type,
		    repo_id,
		    "grant",
		    body,
		    hubd_hub_api_grant_access_async,
		    cancellable,
		    callback,
		    user_data);
}

/* ---- the user's side ---- */

/**
 * hubd_hub_api_request_access_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the gated repo
 * @fields: (nullable): the gate form's answers, a JSON object
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * `POST /{prefix}{id}/ask-access`, as HF's dataset viewer asks; the Hub
 * answers with a redirect to the repo page, which is not followed.
 *
 * Since: 0.1
 */
void
hubd_hub_api_request_access_async(HubdHubApi *self,
				  HubdRepoType type,
				  const gchar *repo_id,
				  JsonNode *fields,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	g_autofree gchar *check = NULL;
	g_autofree gchar *base = NULL;
	g_autofree gchar *url = NULL;
	GError *error = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	check = hubd_hub_api_build_repo_path(type, repo_id, NULL, &error);
	if (check == NULL) {
		g_task_report_error(self,
				    callback,
				    user_data,
				    hubd_hub_api_request_access_async,
				    error);
		return;
	}
	base = hubd_hub_api_repo_url(self, type, repo_id);
	url = g_strconcat(base, "/ask-access", NULL);
	hubd_hub_api_call_json_async(self,
				     "POST",
				     url,
				     fields,
				     HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN |
					     HUBD_HUB_REQUEST_FLAG_NO_REDIRECT,
				     cancellable,
				     callback,
				     user_data);
}
