/* hubd-hub-api-refs.c: HubdHubApi's refs, branches, tags and history
 *
 * Wire formats follow huggingface_hub's hf_api.py (list_repo_refs,
 * create_branch, delete_branch, create_tag, delete_tag, list_repo_commits).
 * Uses only HubdHubApi's public functions. */
#define G_LOG_DOMAIN "HubdHubApi"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"

/* A branch or tag name: not empty, and a valid revision. */
static gboolean
refs_check_name(const gchar *name, const gchar *what, GError **error)
{
	if (name == NULL || name[0] == '\0') {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The %s is empty"),
			    what);
		return FALSE;
	}
	if (!hubd_revision_validate(name, error)) {
		g_prefix_error(error, _("Bad %s: "), what);
		return FALSE;
	}
	return TRUE;
}

/* POSTs `body` (or DELETEs when NULL) to `path`, or reports `error`. */
static void
refs_write(HubdHubApi *self,
	   gchar *path,
	   JsonBuilder *body,
	   HubdHubApiFlags flags,
	   GError *error,
	   GCancellable *cancellable,
	   GAsyncReadyCallback callback,
	   gpointer user_data,
	   gpointer source_tag)
{
	g_autofree gchar *owned = path;
	g_autoptr(JsonNode) root = NULL;

	if (owned == NULL) {
		g_task_report_error(self, callback, user_data, source_tag, error);
		return;
	}
	if (body != NULL) {
		json_builder_end_object(body);
		root = json_builder_get_root(body);
	}
	hubd_hub_api_write_async(self,
				 body != NULL ? "POST" : "DELETE",
				 owned,
				 root,
				 flags & HUBD_HUB_API_FLAG_EXIST_OK,
				 cancellable,
				 callback,
				 user_data);
}

/* `/api/{type}s/{id}/{branch|tag}/{name}` once `name` is checked */
static gchar *
refs_path(HubdRepoType type,
	  const gchar *repo_id,
	  const gchar *what,
	  const gchar *name,
	  const gchar *label,
	  GError **error)
{
	const gchar *segments[] = {what, name, NULL};

	if (!refs_check_name(name, label, error))
		return NULL;
	return hubd_hub_api_build_repo_path(type, repo_id, segments, error);
}

/**
 * hubd_hub_api_list_refs_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @flags: %HUBD_HUB_API_FLAG_INCLUDE_PRS for the pull requests' refs too
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the refs
 * @user_data: for @callback
 *
 * `GET /api/{type}s/{id}/refs[?include_prs=1]`.
 *
 * Since: 0.1
 */
void
hubd_hub_api_list_refs_async(HubdHubApi *self,
			     HubdRepoType type,
			     const gchar *repo_id,
			     HubdHubApiFlags flags,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	const gchar *segments[] = {"refs", NULL};
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	path = hubd_hub_api_build_repo_path(type, repo_id, segments, &error);
	if (path == NULL) {
		g_task_report_error(self, callback, user_data, hubd_hub_api_list_refs_async, error);
		return;
	}
	req = hubd_hub_request_new("GET", path);
	if ((flags & HUBD_HUB_API_FLAG_INCLUDE_PRS) != 0)
		hubd_hub_request_add_query(req, "include_prs", "1");
	hubd_hub_api_get_parsed_async(self,
				      req,
				      (HubdHubApiParseFunc)hubd_hub_refs_new_from_json,
				      (GDestroyNotify)hubd_hub_refs_unref,
				      cancellable,
				      callback,
				      user_data);
}

/**
 * hubd_hub_api_list_refs_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): the refs
 *
 * Since: 0.1
 */
HubdHubRefs *
hubd_hub_api_list_refs_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_get_parsed_finish(self, result, error);
}

/**
 * hubd_hub_api_create_branch_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @starting_point: (nullable): the revision the branch starts at; %NULL or
 *   "" for the default branch's head
 * @branch: the new branch
 * @flags: %HUBD_HUB_API_FLAG_EXIST_OK: an existing branch is fine
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * `POST /api/{type}s/{id}/branch/{branch}` with `{"startingPoint"}`. An
 * existing branch is %HUBD_ERROR_CONFLICT.
 *
 * Since: 0.1
 */
void
hubd_hub_api_create_branch_async(HubdHubApi *self,
				 HubdRepoType type,
				 const gchar *repo_id,
				 const gchar *starting_point,
				 const gchar *branch,
				 HubdHubApiFlags flags,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(JsonBuilder) body = json_builder_new();
	GError *error = NULL;
	gchar *path = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (starting_point == NULL || starting_point[0] == '\0' ||
	    hubd_revision_validate(starting_point, &error))
		path = refs_path(type, repo_id, "branch", branch, _("branch name"), &error);
	json_builder_begin_object(body);
	if (starting_point != NULL && starting_point[0] != '\0') {
		json_builder_set_member_name(body, "startingPoint");
		json_builder_add_string_value(body, starting_point);
	}
	refs_write(self,
		   path,
		   body,
		   flags,
		   error,
		   cancellable,
		   callback,
		   user_data,
		   hubd_hub_api_create_branch_async);
}

/**
 * hubd_hub_api_create_branch_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: %TRUE when the branch is there
 *
 * Since: 0.1
 */
gboolean
hubd_hub_api_create_branch_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_write_finish(self, result, NULL, NULL, error);
}

/**
 * hubd_hub_api_delete_branch_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @branch: the branch
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * `DELETE /api/{type}s/{id}/branch/{branch}`.
 *
 * Since: 0.1
 */
void
hubd_hub_api_delete_branch_async(HubdHubApi *self,
				 HubdRepoType type,
				 const gchar *repo_id,
				 const gchar *branch,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	GError *error = NULL;
	gchar *path;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	path = refs_path(type, repo_id, "branch", branch, _("branch name"), &error);
	refs_write(self,
		   path,
		   NULL,
		   HUBD_HUB_API_FLAG_NONE,
		   error,
		   cancellable,
		   callback,
		   user_data,
		   hubd_hub_api_delete_branch_async);
}

/**
 * hubd_hub_api_delete_branch_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: %TRUE when the branch is gone
 *
 * Since: 0.1
 */
gboolean
hubd_hub_api_delete_branch_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_write_finish(self, result, NULL, NULL, error);
}

/**
 * hubd_hub_api_create_tag_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @revision: (nullable): what to tag; %NULL or "" mean "main"
 * @tag: the tag
 * @message: (nullable): an annotation
 * @flags: %HUBD_HUB_API_FLAG_EXIST_OK: an existing tag is fine
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * `POST /api/{type}s/{id}/tag/{revision}` with `{"tag", "message"}`: the
 * URL names what is tagged, the body names the tag.
 *
 * Since: 0.1
 */
void
hubd_hub_api_create_tag_async(HubdHubApi *self,
			      HubdRepoType type,
			      const gchar *repo_id,
			      const gchar *revision,
			      const gchar *tag,
			      const gchar *message,
			      HubdHubApiFlags flags,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(JsonBuilder) body = json_builder_new();
	GError *error = NULL;
	gchar *path = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (refs_check_name(tag, _("tag name"), &error))
		path = hubd_hub_api_build_revision_path(type,
							repo_id,
							"tag",
							revision,
							NULL,
							&error);
	json_builder_begin_object(body);
	json_builder_set_member_name(body, "tag");
	json_builder_add_string_value(body, tag != NULL ? tag : "");
	if (message != NULL && message[0] != '\0') {
		json_builder_set_member_name(body, "message");
		json_builder_add_string_value(body, message);
	}
	refs_write(self,
		   path,
		   body,
		   flags,
		   error,
		   cancellable,
		   callback,
		   user_data,
		   hubd_hub_api_create_tag_async);
}

/**
 * hubd_hub_api_create_tag_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: %TRUE when the tag is there
 *
 * Since: 0.1
 */
gboolean
hubd_hub_api_create_tag_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_write_finish(self, result, NULL, NULL, error);
}

/**
 * hubd_hub_api_delete_tag_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @tag: the tag
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * `DELETE /api/{type}s/{id}/tag/{tag}`.
 *
 * Since: 0.1
 */
void
hubd_hub_api_delete_tag_async(HubdHubApi *self,
			      HubdRepoType type,
			      const gchar *repo_id,
			      const gchar *tag,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	GError *error = NULL;
	gchar *path;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	path = refs_path(type, repo_id, "tag", tag, _("tag name"), &error);
	refs_write(self,
		   path,
		   NULL,
		   HUBD_HUB_API_FLAG_NONE,
		   error,
		   cancellable,
		   callback,
		   user_data,
		   hubd_hub_api_delete_tag_async);
}

/**
 * hubd_hub_api_delete_tag_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: %TRUE when the tag is gone
 *
 * Since: 0.1
 */
gboolean
hubd_hub_api_delete_tag_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_write_finish(self, result, NULL, NULL, error);
}

/**
 * hubd_hub_api_list_commits_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @revision: (nullable): the branch (or commit); %NULL or "" mean "main"
 * @limit: most commits to return, newest first; 0 means all, up to
 *   %HUBD_HUB_API_LIST_MAX
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the commits
 * @user_data: for @callback
 *
 * `GET /api/{type}s/{id}/commits/{rev}`, the Hub's own pages (no per-page
 * limit is asked for) followed until @limit is met.
 *
 * Since: 0.1
 */
void
hubd_hub_api_list_commits_async(HubdHubApi *self,
				HubdRepoType type,
				const gchar *repo_id,
				const gchar *revision,
				guint limit,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	path = hubd_hub_api_build_revision_path(type, repo_id, "commits", revision, NULL, &error);
	if (path == NULL) {
		g_task_report_error(self,
				    callback,
				    user_data,
				    hubd_hub_api_list_commits_async,
				    error);
		return;
	}
	req = hubd_hub_request_new("GET", path);
	hubd_hub_api_list_async(self,
				req,
				limit,
				(HubdHubApiParseFunc)hubd_hub_commit_new_from_json,
				(GDestroyNotify)hubd_hub_commit_unref,
				cancellable,
				callback,
				user_data);
}

/**
 * hubd_hub_api_list_commits_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer container) (element-type HubdHubCommit) (nullable):
 *   the commits, newest first
 *
 * Since: 0.1
 */
GPtrArray *
hubd_hub_api_list_commits_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_list_finish(self, result, error);
}
