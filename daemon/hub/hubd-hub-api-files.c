/* hubd-hub-api-files.c: HubdHubApi's file listings — tree and paths-info
 *
 * Wire formats follow huggingface_hub's hf_api.py (list_repo_tree,
 * get_paths_info). Every path the Hub lists is checked before a caller sees
 * it (hubd_hub_tree_entry_new_from_json()). Uses only HubdHubApi's public
 * functions. */
#define G_LOG_DOMAIN "HubdHubApi"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"

/* The Hub refuses more in one paths-info call (413 "too many parameters") */
#define PATHS_INFO_MAX 1000

/**
 * hubd_hub_api_list_tree_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @revision: (nullable): branch, tag or commit; %NULL or "" mean "main"
 * @path: (nullable): the folder to list, relative to the repo's root
 *   (checked with hubd_path_is_safe_relative()); %NULL or "" for the root
 * @flags: %HUBD_HUB_API_FLAG_RECURSIVE for the whole subtree,
 *   %HUBD_HUB_API_FLAG_EXPAND for each entry's last commit (the Hub's pages
 *   are then much smaller)
 * @limit: most entries to return; 0 means all, up to %HUBD_HUB_API_LIST_MAX
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the entries
 * @user_data: for @callback
 *
 * `GET /api/{type}s/{id}/tree/{rev}[/{path}]?recursive=…&expand=…`,
 * following the Hub's pages. An entry whose path is not a safe relative path
 * fails the whole listing with %HUBD_ERROR_SERVER.
 *
 * Since: 0.1
 */
void
hubd_hub_api_list_tree_async(HubdHubApi *self,
			     HubdRepoType type,
			     const gchar *repo_id,
			     const gchar *revision,
			     const gchar *path,
			     HubdHubApiFlags flags,
			     guint limit,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *api_path = NULL;
	GError *error = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	api_path = hubd_hub_api_build_revision_path(type, repo_id, "tree", revision, path, &error);
	if (api_path == NULL) {
		g_task_report_error(self, callback, user_data, hubd_hub_api_list_tree_async, error);
		return;
	}
	req = hubd_hub_request_new("GET", api_path);
	hubd_hub_request_add_query(req,
				   "recursive",
				   (flags & HUBD_HUB_API_FLAG_RECURSIVE) != 0 ? "true" : "false");
	hubd_hub_request_add_query(req,
				   "expand",
				   (flags & HUBD_HUB_API_FLAG_EXPAND) != 0 ? "true" : "false");
	hubd_hub_api_list_async(self,
				req,
				limit,
				(HubdHubApiParseFunc)hubd_hub_tree_entry_new_from_json,
				(GDestroyNotify)hubd_hub_tree_entry_unref,
				cancellable,
				callback,
				user_data);
}

/**
 * hubd_hub_api_list_tree_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer container) (element-type HubdHubTreeEntry) (nullable):
 *   the entries, in the Hub's order
 *
 * Since: 0.1
 */
GPtrArray *
hubd_hub_api_list_tree_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_list_finish(self, result, error);
}

/**
 * hubd_hub_api_paths_info_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @revision: (nullable): branch, tag or commit; %NULL or "" mean "main"
 * @paths: (array zero-terminated=1): 1 to 1000 paths in the repo
 * @flags: %HUBD_HUB_API_FLAG_EXPAND for each entry's last commit
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the entries
 * @user_data: for @callback
 *
 * `POST /api/{type}s/{id}/paths-info/{rev}` with `{"paths": […], "expand":
 * bool}` (JSON, as huggingface.js; huggingface_hub sends the same as a
 * form). Paths the revision does not hold are left out of the answer.
 *
 * Since: 0.1
 */
void
hubd_hub_api_paths_info_async(HubdHubApi *self,
			      HubdRepoType type,
			      const gchar *repo_id,
			      const gchar *revision,
			      const gchar *const *paths,
			      HubdHubApiFlags flags,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *api_path = NULL;
	GError *error = NULL;
	guint n = paths != NULL ? g_strv_length((gchar **)paths) : 0;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (n == 0 || n > PATHS_INFO_MAX) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_paths_info_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("Asked about %u paths: one call takes 1 to %u"),
					n,
					(guint)PATHS_INFO_MAX);
		return;
	}
	api_path = hubd_hub_api_build_revision_path(type,
						    repo_id,
						    "paths-info",
						    revision,
						    NULL,
						    &error);
	if (api_path == NULL) {
		g_task_report_error(self,
				    callback,
				    user_data,
				    hubd_hub_api_paths_info_async,
				    error);
		return;
	}
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "paths");
	json_builder_begin_array(b);
	for (guint i = 0; i < n; i++)
		json_builder_add_string_value(b, paths[i]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "expand");
	json_builder_add_boolean_value(b, (flags & HUBD_HUB_API_FLAG_EXPAND) != 0);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	req = hubd_hub_request_new("POST", api_path);
	hubd_hub_request_set_json_body(req, root);
	/* a read, safe to send again */
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_RETRY);
	/* one page: the same array as the tree, without a Link */
	hubd_hub_api_list_async(self,
				req,
				0,
				(HubdHubApiParseFunc)hubd_hub_tree_entry_new_from_json,
				(GDestroyNotify)hubd_hub_tree_entry_unref,
				cancellable,
				callback,
				user_data);
}

/**
 * hubd_hub_api_paths_info_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer container) (element-type HubdHubTreeEntry) (nullable):
 *   an entry for each path the revision holds
 *
 * Since: 0.1
 */
GPtrArray *
hubd_hub_api_paths_info_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_list_finish(self, result, error);
}
