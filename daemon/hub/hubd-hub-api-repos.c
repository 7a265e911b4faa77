/* hubd-hub-api-repos.c: HubdHubApi's reads: whoami, repo info, revision, repo listings
 *
 * Wire formats follow huggingface_hub's hf_api.py (whoami, repo_info,
 * list_models). Uses only HubdHubApi's public functions. */
#define G_LOG_DOMAIN "HubdHubApi"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"
#include "hubd-json.h"

/* The Hub's largest page for repo listings */
#define LIST_PAGE_MAX 1000

/* ---- whoami ---- */

static void
repos_whoami_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	g_autoptr(JsonNode) node =
		hubd_hub_client_whoami_finish(HUBD_HUB_CLIENT(source), res, &error);
	HubdHubWhoami *whoami;

	if (node == NULL) {
		g_task_return_error(task, error);
		return;
	}
	whoami = hubd_hub_whoami_new_from_json(node, &error);
	if (whoami == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, whoami, (GDestroyNotify)hubd_hub_whoami_unref);
}

/**
 * hubd_hub_api_whoami_async:
 * @self: a #HubdHubApi
 * @token: (nullable): the token to ask about; %NULL means the one @self's
 *   requests use (its token name's, see hubd_hub_api_new_for_caller(), else
 *   the current one)
 * @endpoint: (nullable): the Hub to ask; %NULL means the configured one
 * @refresh: ask the Hub even if an answer for this token is cached
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: for @callback
 *
 * Who a token belongs to (`GET /api/whoami-v2`). The Hub rate-limits this
 * endpoint strictly, so answers are cached per endpoint and token for a
 * minute (keyed by the token's SHA-256) unless @refresh. No token:
 * %HUBD_ERROR_NOT_LOGGED_IN; a token the Hub refuses:
 * %HUBD_ERROR_UNAUTHORIZED.
 *
 * Since: 0.1
 */
void
hubd_hub_api_whoami_async(HubdHubApi *self,
			  const gchar *token,
			  const gchar *endpoint,
			  gboolean refresh,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	GTask *task;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_whoami_async);
	hubd_hub_client_whoami_async(hubd_hub_api_get_client(self),
				     token,
				     hubd_hub_api_get_token_name(self),
				     endpoint,
				     refresh,
				     cancellable,
				     repos_whoami_cb,
				     task);
}

/**
 * hubd_hub_api_whoami_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): who the token belongs to
 *
 * Since: 0.1
 */
HubdHubWhoami *
hubd_hub_api_whoami_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

/* ---- repo info ---- */

/**
 * hubd_hub_api_repo_info_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @revision: (nullable): branch, tag or commit; %NULL or "" for the default
 *   branch
 * @flags: %HUBD_HUB_API_FLAG_FILES_METADATA for the siblings' sizes and LFS
 *   hashes (`blobs=true`)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: for @callback
 *
 * A repo's details: `GET /api/{type}s/{id}[/revision/{rev}]`. A missing
 * repo fails with %HUBD_ERROR_REPO_NOT_FOUND (also for private repos the
 * token cannot see), a missing revision with %HUBD_ERROR_REVISION_NOT_FOUND.
 *
 * Since: 0.1
 */
void
hubd_hub_api_repo_info_async(HubdHubApi *self,
			     HubdRepoType type,
			     const gchar *repo_id,
			     const gchar *revision,
			     HubdHubApiFlags flags,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (revision != NULL && revision[0] != '\0')
		path = hubd_hub_api_build_revision_path(type,
							repo_id,
							"revision",
							revision,
							NULL,
							&error);
	else
		path = hubd_hub_api_build_repo_path(type, repo_id, NULL, &error);
	if (path == NULL) {
		g_task_report_error(self, callback, user_data, hubd_hub_api_repo_info_async, error);
		return;
	}
	req = hubd_hub_request_new("GET", path);
	if ((flags & HUBD_HUB_API_FLAG_FILES_METADATA) != 0)
		hubd_hub_request_add_query(req, "blobs", "true");
	hubd_hub_api_get_parsed_async(self,
				      req,
				      (HubdHubApiParseFunc)hubd_hub_repo_info_new_from_json,
				      (GDestroyNotify)hubd_hub_repo_info_unref,
				      cancellable,
				      callback,
				      user_data);
}

/**
 * hubd_hub_api_repo_info_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): the repo
 *
 * Since: 0.1
 */
HubdHubRepoInfo *
hubd_hub_api_repo_info_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_get_parsed_finish(self, result, error);
}

static gboolean
repos_is_commit_hash(const gchar *s)
{
	if (s == NULL || strlen(s) != 40)
		return FALSE;
	for (; *s != '\0'; s++) {
		if (!g_ascii_isdigit(*s) && (*s < 'a' || *s > 'f'))
			return FALSE;
	}
	return TRUE;
}

static void
repos_revision_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	g_autoptr(JsonNode) node =
		hubd_hub_api_get_json_finish(HUBD_HUB_API(source), res, NULL, &error);
	const gchar *sha;

	if (node == NULL) {
		g_task_return_error(task, error);
		return;
	}
	sha = JSON_NODE_HOLDS_OBJECT(node) ? hubd_json_get_string(json_node_get_object(node), "sha")
					   : NULL;
	if (!repos_is_commit_hash(sha)) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The Hub did not say which commit %s is"),
					(const gchar *)g_task_get_task_data(task));
		return;
	}
	g_task_return_pointer(task, g_strdup(sha), g_free);
}

/**
 * hubd_hub_api_revision_commit_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @revision: (nullable): branch, tag or commit; %NULL or "" mean "main"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the commit
 * @user_data: for @callback
 *
 * The commit a revision points at now, from
 * `GET /api/{type}s/{id}/revision/{rev}` (what huggingface_hub's
 * snapshot_download pins a download to).
 *
 * Since: 0.1
 */
void
hubd_hub_api_revision_commit_async(HubdHubApi *self,
				   HubdRepoType type,
				   const gchar *repo_id,
				   const gchar *revision,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;
	GTask *task;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	path = hubd_hub_api_build_revision_path(type, repo_id, "revision", revision, NULL, &error);
	if (path == NULL) {
		g_task_report_error(self,
				    callback,
				    user_data,
				    hubd_hub_api_revision_commit_async,
				    error);
		return;
	}
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_revision_commit_async);
	g_task_set_task_data(task,
			     g_strdup(revision != NULL && revision[0] != '\0' ? revision : "main"),
			     g_free);
	req = hubd_hub_request_new("GET", path);
	hubd_hub_api_get_json_async(self, req, cancellable, repos_revision_cb, task);
}

/**
 * hubd_hub_api_revision_commit_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): the commit's 40-character hash
 *
 * Since: 0.1
 */
gchar *
hubd_hub_api_revision_commit_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

/* ---- listing repos ---- */

/**
 * hubd_hub_api_list_repos_async:
 * @self: a #HubdHubApi
 * @type: models, datasets or spaces
 * @search: (nullable): a substring of the id
 * @author: (nullable): a namespace
 * @filter: (nullable) (array zero-terminated=1): tags, all of which must
 *   match
 * @sort: (nullable): "downloads", "likes", "lastModified", "createdAt",
 *   "trendingScore"…
 * @direction: 1 ascending, -1 descending, 0 the Hub's default (descending
 *   once @sort is given)
 * @limit: most repos to return (also the page size, up to 1000); 0 means
 *   all, up to %HUBD_HUB_API_LIST_MAX
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the repos
 * @user_data: for @callback
 *
 * `GET /api/{models|datasets|spaces}`, following the Hub's pages.
 *
 * Since: 0.1
 */
void
hubd_hub_api_list_repos_async(HubdHubApi *self,
			      HubdRepoType type,
			      const gchar *search,
			      const gchar *author,
			      const gchar *const *filter,
			      const gchar *sort,
			      gint direction,
			      guint limit,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	const gchar *segments[] = {
		(guint)type <= HUBD_REPO_TYPE_SPACE ? hubd_repo_type_to_api_plural(type) : NULL,
		NULL};
	const gchar *keys[] = {"search", "author", "sort"};
	const gchar *values[] = {search, author, sort};
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *path = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (segments[0] == NULL || (direction != 0 && direction != 1 && direction != -1)) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_list_repos_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("Invalid repo type %d or direction %d"),
					(gint)type,
					direction);
		return;
	}
	path = hubd_hub_api_build_path(segments);
	req = hubd_hub_request_new("GET", path);
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (values[i] != NULL && values[i][0] != '\0')
			hubd_hub_request_add_query(req, keys[i], values[i]);
	}
	for (guint i = 0; filter != NULL && filter[i] != NULL; i++) {
		if (filter[i][0] != '\0')
			hubd_hub_request_add_query(req, "filter", filter[i]);
	}
	if (direction != 0 || (sort != NULL && sort[0] != '\0'))
		hubd_hub_request_add_query(req, "direction", direction == 1 ? "1" : "-1");
	if (limit > 0) {
		g_autofree gchar *per_page = g_strdup_printf("%u", MIN(limit, LIST_PAGE_MAX));
		hubd_hub_request_add_query(req, "limit", per_page);
	}
	hubd_hub_api_list_async(self,
				req,
				limit,
				(HubdHubApiParseFunc)hubd_hub_repo_info_new_from_json,
				(GDestroyNotify)hubd_hub_repo_info_unref,
				cancellable,
				callback,
				user_data);
}

/**
 * hubd_hub_api_list_repos_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer container) (element-type HubdHubRepoInfo) (nullable):
 *   the repos
 *
 * Since: 0.1
 */
GPtrArray *
hubd_hub_api_list_repos_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_list_finish(self, result, error);
}
