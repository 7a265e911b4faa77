/* hubd-hub-api-duplicate.c: HubdHubApi's repo duplication (`POST
 * /api/{type}s/{id}/duplicate`, docs/hub-spaces.md §4: huggingface_hub's
 * duplicate_repo). Uses only HubdHubApi's public functions. */
#define G_LOG_DOMAIN "HubdHubApi"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-api-spaces.h"
#include "hubd-json.h"

static void
spaces_duplicated_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	g_autoptr(JsonNode) node =
		hubd_hub_api_get_json_finish(HUBD_HUB_API(source), res, NULL, &error);
	const gchar *url = NULL;

	if (node == NULL) {
		g_task_return_error(task, error);
		return;
	}
	if (JSON_NODE_HOLDS_OBJECT(node))
		url = hubd_json_get_string(json_node_get_object(node), "url");
	if (url == NULL) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The Hub’s answer to the duplication has no URL"));
		return;
	}
	g_task_return_pointer(task, g_strdup(url), g_free);
}

/**
 * hubd_hub_api_duplicate_repo_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @from_id: the repo to copy
 * @to_id: the new repo's id, with its namespace
 * @extras: (nullable): more members of the body (not taken, copied):
 *   `private`, and for Spaces `hardware`, `sleepTimeSeconds`, `secrets`,
 *   `variables`
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the new repo's URL
 * @user_data: for @callback
 *
 * `POST /api/{type}s/{from_id}/duplicate` with `{"repository": to_id, …}`.
 * An existing @to_id is %HUBD_ERROR_CONFLICT.
 *
 * Since: 0.1
 */
void
hubd_hub_api_duplicate_repo_async(HubdHubApi *self,
				  HubdRepoType type,
				  const gchar *from_id,
				  const gchar *to_id,
				  JsonObject *extras,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	const gchar *segments[] = {"duplicate", NULL};
	g_autofree gchar *path = NULL;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autoptr(JsonNode) root = NULL;
	JsonObject *body;
	GError *error = NULL;
	GTask *task;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_duplicate_repo_async);
	path = hubd_hub_api_build_repo_path(type, from_id, segments, &error);
	if (path == NULL || !hubd_repo_id_validate(to_id, TRUE, &error)) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	body = json_object_new();
	if (extras != NULL) {
		JsonObjectIter iter;
		const gchar *name;
		JsonNode *value;

		json_object_iter_init(&iter, extras);
		while (json_object_iter_next(&iter, &name, &value))
			json_object_set_member(body, name, json_node_copy(value));
	}
	json_object_set_string_member(body, "repository", to_id);
	root = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(root, body);
	req = hubd_hub_request_new("POST", path);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN);
	hubd_hub_request_set_json_body(req, root);
	hubd_hub_api_get_json_async(self, req, cancellable, spaces_duplicated_cb, task);
}

/**
 * hubd_hub_api_duplicate_repo_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): the new repo's web URL
 *
 * Since: 0.1
 */
gchar *
hubd_hub_api_duplicate_repo_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}
