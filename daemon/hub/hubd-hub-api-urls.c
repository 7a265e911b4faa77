/* hubd-hub-api-urls.c: HubdHubApi's URL builders, for every Hub path and web URL
 *
 * Repo ids are validated (so they hold nothing to escape); revisions, paths
 * and other segments are percent-encoded exactly once with no safe
 * characters, as huggingface_hub's quote(x, safe=""). Uses only HubdHubApi's
 * public functions. */
#define G_LOG_DOMAIN "HubdHubApi"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"

static void
hubd_hub_api_append_segments(GString *path, const gchar *const *segments)
{
	for (guint i = 0; segments != NULL && segments[i] != NULL; i++) {
		/* once, with no safe characters, as huggingface_hub's quote(x, safe=""):
		 * "refs/pr/1" → "refs%2Fpr%2F1" */
		g_autofree gchar *escaped = g_uri_escape_string(segments[i], NULL, FALSE);
		g_string_append_c(path, '/');
		g_string_append(path, escaped);
	}
}

/**
 * hubd_hub_api_build_path:
 * @segments: (array zero-terminated=1): the path segments after `/api`
 *
 * Builds an API path such as `/api/settings/webhooks/ID`, each segment
 * percent-encoded once with no safe characters. Give the result to
 * hubd_hub_request_new(): it is resolved against the endpoint, and the
 * token goes with it.
 *
 * Returns: (transfer full): the path
 *
 * Since: 0.1
 */
gchar *
hubd_hub_api_build_path(const gchar *const *segments)
{
	GString *path = g_string_new("/api");

	hubd_hub_api_append_segments(path, segments);
	return g_string_free(path, FALSE);
}

static gboolean
hubd_hub_api_check_type(HubdRepoType type, GError **error)
{
	if (type == HUBD_REPO_TYPE_MODEL || type == HUBD_REPO_TYPE_DATASET ||
	    type == HUBD_REPO_TYPE_SPACE)
		return TRUE;
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("Invalid repo type %d"),
		    (gint)type);
	return FALSE;
}

/**
 * hubd_hub_api_build_repo_path:
 * @type: the repo type
 * @repo_id: the repo id, checked with hubd_repo_id_validate()
 * @segments: (array zero-terminated=1) (nullable): the segments after the
 *   repo id, each percent-encoded once with no safe characters
 * @error: return location for a %HUBD_ERROR_INVALID_ARGUMENT error
 *
 * Builds `/api/{models|datasets|spaces}/{repo_id}[/segment…]`, for example
 * `/api/spaces/alice/demo/runtime`.
 *
 * Returns: (transfer full) (nullable): the path, %NULL when @type or
 *   @repo_id is invalid
 *
 * Since: 0.1
 */
gchar *
hubd_hub_api_build_repo_path(HubdRepoType type,
			     const gchar *repo_id,
			     const gchar *const *segments,
			     GError **error)
{
	GString *path;

	if (!hubd_hub_api_check_type(type, error) || !hubd_repo_id_validate(repo_id, FALSE, error))
		return NULL;
	/* a valid id holds [A-Za-z0-9_.-] and at most one '/': nothing to escape */
	path = g_string_new(NULL);
	g_string_printf(path, "/api/%s/%s", hubd_repo_type_to_api_plural(type), repo_id);
	hubd_hub_api_append_segments(path, segments);
	return g_string_free(path, FALSE);
}

/**
 * hubd_hub_api_build_revision_path:
 * @type: the repo type
 * @repo_id: the repo id, checked with hubd_repo_id_validate()
 * @what: the endpoint: "revision", "tree", "commits", "paths-info",
 *   "preupload", "commit"…
 * @revision: (nullable): branch, tag or commit, checked with
 *   hubd_revision_validate(); %NULL or "" mean "main"
 * @path: (nullable): a path in the repo after the revision, checked with
 *   hubd_path_is_safe_relative(); %NULL or "" for none
 * @error: return location for a %HUBD_ERROR_INVALID_ARGUMENT error
 *
 * Builds `/api/{type}s/{repo_id}/{what}/{revision}[/{path}]`, the revision
 * and the path each percent-encoded once with no safe characters (as
 * huggingface_hub: "refs/pr/1" → "refs%2Fpr%2F1"; encoding twice makes the
 * Hub answer RevisionNotFound).
 *
 * Returns: (transfer full) (nullable): the path
 *
 * Since: 0.1
 */
gchar *
hubd_hub_api_build_revision_path(HubdRepoType type,
				 const gchar *repo_id,
				 const gchar *what,
				 const gchar *revision,
				 const gchar *path,
				 GError **error)
{
	const gchar *segments[] = {what, "main", path, NULL};

	g_return_val_if_fail(what != NULL, NULL);
	if (revision != NULL && revision[0] != '\0') {
		if (!hubd_revision_validate(revision, error))
			return NULL;
		segments[1] = revision;
	}
	if (path != NULL && path[0] != '\0' && !hubd_path_is_safe_relative(path, error))
		return NULL;
	if (path != NULL && path[0] == '\0')
		segments[2] = NULL;
	return hubd_hub_api_build_repo_path(type, repo_id, segments, error);
}

/**
 * hubd_hub_api_repo_url:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id (not checked)
 *
 * Returns: (transfer full): the repo's web page,
 *   `{endpoint}/{""|datasets/|spaces/}{repo_id}`
 *
 * Since: 0.1
 */
gchar *
hubd_hub_api_repo_url(HubdHubApi *self, HubdRepoType type, const gchar *repo_id)
{
	g_return_val_if_fail(HUBD_IS_HUB_API(self), NULL);
	g_return_val_if_fail(repo_id != NULL, NULL);
	return g_strdup_printf("%s/%s%s",
			       hubd_hub_api_get_endpoint(self),
			       hubd_repo_type_to_url_prefix(type) ?: "",
			       repo_id);
}

/**
 * hubd_hub_api_file_url:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id (not checked)
 * @revision: (nullable): branch, tag or commit; %NULL or "" mean "main"
 * @path: the file's path in the repo (not checked)
 *
 * The URL a file is downloaded from, as huggingface_hub's `hf_hub_url`:
 * `{endpoint}/{prefix}{repo_id}/resolve/{revision}/{path}`, the revision
 * percent-encoded with no safe characters, the path with '/' kept. Sends
 * nothing.
 *
 * Returns: (transfer full): the URL
 *
 * Since: 0.1
 */
gchar *
hubd_hub_api_file_url(HubdHubApi *self,
		      HubdRepoType type,
		      const gchar *repo_id,
		      const gchar *revision,
		      const gchar *path)
{
	const gchar *prefix = hubd_repo_type_to_url_prefix(type);
	g_autofree gchar *rev_escaped = NULL;
	g_autofree gchar *path_escaped = NULL;

	g_return_val_if_fail(HUBD_IS_HUB_API(self), NULL);
	g_return_val_if_fail(repo_id != NULL, NULL);
	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(prefix != NULL, NULL);
	/* once each (encoding twice breaks "refs/pr/1", huggingface_hub issue
	 * #2411): the revision keeps no '/', the path keeps its '/' */
	rev_escaped =
		g_uri_escape_string(revision != NULL && revision[0] != '\0' ? revision : "main",
				    NULL,
				    FALSE);
	path_escaped = g_uri_escape_string(path, "/", FALSE);
	return g_strdup_printf("%s/%s%s/resolve/%s/%s",
			       hubd_hub_api_get_endpoint(self),
			       prefix,
			       repo_id,
			       rev_escaped,
			       path_escaped);
}

/**
 * hubd_hub_api_commit_url:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id (not checked)
 * @commit: a commit id
 *
 * Returns: (transfer full): the commit's web page,
 *   `{endpoint}/{""|datasets/|spaces/}{repo_id}/commit/{commit}` (what the
 *   Hub answers a commit with as `commitUrl`)
 *
 * Since: 0.1
 */
gchar *
hubd_hub_api_commit_url(HubdHubApi *self,
			HubdRepoType type,
			const gchar *repo_id,
			const gchar *commit)
{
	g_autofree gchar *repo = hubd_hub_api_repo_url(self, type, repo_id);
	g_autofree gchar *escaped = NULL;

	g_return_val_if_fail(repo != NULL, NULL);
	g_return_val_if_fail(commit != NULL, NULL);
	escaped = g_uri_escape_string(commit, NULL, FALSE);
	return g_strconcat(repo, "/commit/", escaped, NULL);
}
