/* hubd-client-repos.c: HubdClient's calls on org.hubd.Hub1.Repos with typed results */
#include "hubd-client-repos.h"

#include "hubd-client-private.h"
#include "hubd-results-private.h"

static gpointer
hubd_client_list_repos_convert(GVariant *reply)
{
	g_autoptr(GVariant) list = g_variant_get_child_value(reply, 0);

	return hubd_results_list(list, NULL, (HubdResultsNewFunc)hubd_repo_info_new_from_variant);
}

static gpointer
hubd_client_list_files_convert(GVariant *reply)
{
	g_autoptr(GVariant) list = g_variant_get_child_value(reply, 0);

	return hubd_results_list(list, NULL, (HubdResultsNewFunc)hubd_repo_file_new_from_variant);
}

static gpointer
hubd_client_string_convert(GVariant *reply)
{
	gchar *value = NULL;

	g_variant_get(reply, "(s)", &value);
	return value;
}

static gpointer
hubd_client_true_convert(GVariant *reply)
{
	return GINT_TO_POINTER(TRUE);
}

HUBD_CLIENT_DICT_CONVERT(hubd_client_repo_info_convert, hubd_repo_info_new_from_variant)

static GVariant *
hubd_client_repo_info_options(void)
{
	return hubd_client_no_options();
}

/**
 * hubd_client_repo_info:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * What the Hub knows about a repository at a revision (org.hubd.Hub1.Repos.Info). A missing repo
 * gives %HUBD_ERROR_REPO_NOT_FOUND.
 *
 * Since: 0.1
 */
void
hubd_client_repo_info(HubdClient *self,
		      const gchar *repo_type,
		      const gchar *repo_id,
		      const gchar *revision,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data)
{
	g_return_if_fail(HUBD_IS_CLIENT(self));
	hubd_client_call_typed(self,
			       HUBD_INTERFACE_REPOS,
			       "Info",
			       g_variant_new("(sss@a{sv})",
					     HUBD_CLIENT_STR(repo_type),
					     HUBD_CLIENT_STR(repo_id),
					     HUBD_CLIENT_STR(revision),
					     hubd_client_repo_info_options()),
			       "(a{sv})",
			       hubd_client_repo_info_convert,
			       (GDestroyNotify)g_object_unref,
			       hubd_client_repo_info,
			       cancellable,
			       callback,
			       user_data);
}

/**
 * hubd_client_repo_info_finish:
 * @self: a #HubdClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): what the Hub knows about the repo, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdRepoInfo *
hubd_client_repo_info_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	return hubd_client_call_typed_finish(self, result, hubd_client_repo_info, error);
}

/**
 * hubd_client_repo_info_sync:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As hubd_client_repo_info(), blocking.
 *
 * Returns: (transfer full): what the Hub knows about the repo, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdRepoInfo *
hubd_client_repo_info_sync(HubdClient *self,
			   const gchar *repo_type,
			   const gchar *repo_id,
			   const gchar *revision,
			   GCancellable *cancellable,
			   GError **error)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return hubd_client_call_typed_sync(self,
					   HUBD_INTERFACE_REPOS,
					   "Info",
					   g_variant_new("(sss@a{sv})",
							 HUBD_CLIENT_STR(repo_type),
							 HUBD_CLIENT_STR(repo_id),
							 HUBD_CLIENT_STR(revision),
							 hubd_client_repo_info_options()),
					   "(a{sv})",
					   hubd_client_repo_info_convert,
					   cancellable,
					   error);
}

static GVariant *
hubd_client_list_repos_options(const gchar *search, const gchar *author, guint limit)
{
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(NULL);

	if (search != NULL && search[0] != '\0')
		g_variant_dict_insert(&dict, "search", "s", search);
	if (author != NULL && author[0] != '\0')
		g_variant_dict_insert(&dict, "author", "s", author);
	if (limit > 0)
		g_variant_dict_insert(&dict, "limit", "u", limit);
	return g_variant_dict_end(&dict);
}

/**
 * hubd_client_list_repos:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @search: (nullable): a text the ids contain
 * @author: (nullable): only this user's or organisation's repos
 * @limit: at most this many; 0 for hubd's default (1000)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Lists repositories (org.hubd.Hub1.Repos.List), following the Hub's paging.
 *
 * Since: 0.1
 */
void
hubd_client_list_repos(HubdClient *self,
		       const gchar *repo_type,
		       const gchar *search,
		       const gchar *author,
		       guint limit,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	g_return_if_fail(HUBD_IS_CLIENT(self));
	hubd_client_call_typed(self,
			       HUBD_INTERFACE_REPOS,
			       "List",
			       g_variant_new("(s@a{sv})",
					     HUBD_CLIENT_STR(repo_type),
					     hubd_client_list_repos_options(search, author, limit)),
			       "(aa{sv})",
			       hubd_client_list_repos_convert,
			       (GDestroyNotify)g_ptr_array_unref,
			       hubd_client_list_repos,
			       cancellable,
			       callback,
			       user_data);
}

/**
 * hubd_client_list_repos_finish:
 * @self: a #HubdClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type HubdRepoInfo): the repos, in the Hub's order, or
 * %NULL with @error set
 *
 * Since: 0.1
 */
GPtrArray *
hubd_client_list_repos_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	return hubd_client_call_typed_finish(self, result, hubd_client_list_repos, error);
}

/**
 * hubd_client_list_repos_sync:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @search: (nullable): a text the ids contain
 * @author: (nullable): only this user's or organisation's repos
 * @limit: at most this many; 0 for hubd's default (1000)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As hubd_client_list_repos(), blocking.
 *
 * Returns: (transfer container) (element-type HubdRepoInfo): the repos, in the Hub's order, or
 * %NULL with @error set
 *
 * Since: 0.1
 */
GPtrArray *
hubd_client_list_repos_sync(HubdClient *self,
			    const gchar *repo_type,
			    const gchar *search,
			    const gchar *author,
			    guint limit,
			    GCancellable *cancellable,
			    GError **error)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return hubd_client_call_typed_sync(
		self,
		HUBD_INTERFACE_REPOS,
		"List",
		g_variant_new("(s@a{sv})",
			      HUBD_CLIENT_STR(repo_type),
			      hubd_client_list_repos_options(search, author, limit)),
		"(aa{sv})",
		hubd_client_list_repos_convert,
		cancellable,
		error);
}

static GVariant *
hubd_client_list_files_options(gboolean recursive)
{
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(NULL);

	if (recursive)
		g_variant_dict_insert(&dict, "recursive", "b", TRUE);
	return g_variant_dict_end(&dict);
}

/**
 * hubd_client_list_files:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @path: (nullable): a folder in the repo; %NULL for the top
 * @recursive: list the sub-folders' contents too
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Lists the files and folders of a repository (org.hubd.Hub1.Repos.ListFiles), with LFS sizes and
 * hashes.
 *
 * Since: 0.1
 */
void
hubd_client_list_files(HubdClient *self,
		       const gchar *repo_type,
		       const gchar *repo_id,
		       const gchar *revision,
		       const gchar *path,
		       gboolean recursive,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	g_return_if_fail(HUBD_IS_CLIENT(self));
	hubd_client_call_typed(self,
			       HUBD_INTERFACE_REPOS,
			       "ListFiles",
			       g_variant_new("(ssss@a{sv})",
					     HUBD_CLIENT_STR(repo_type),
					     HUBD_CLIENT_STR(repo_id),
					     HUBD_CLIENT_STR(revision),
					     HUBD_CLIENT_STR(path),
					     hubd_client_list_files_options(recursive)),
			       "(aa{sv})",
			       hubd_client_list_files_convert,
			       (GDestroyNotify)g_ptr_array_unref,
			       hubd_client_list_files,
			       cancellable,
			       callback,
			       user_data);
}

/**
 * hubd_client_list_files_finish:
 * @self: a #HubdClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type HubdRepoFile): the files and folders, or %NULL with
 * @error set
 *
 * Since: 0.1
 */
GPtrArray *
hubd_client_list_files_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	return hubd_client_call_typed_finish(self, result, hubd_client_list_files, error);
}

/**
 * hubd_client_list_files_sync:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @path: (nullable): a folder in the repo; %NULL for the top
 * @recursive: list the sub-folders' contents too
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As hubd_client_list_files(), blocking.
 *
 * Returns: (transfer container) (element-type HubdRepoFile): the files and folders, or %NULL with
 * @error set
 *
 * Since: 0.1
 */
GPtrArray *
hubd_client_list_files_sync(HubdClient *self,
			    const gchar *repo_type,
			    const gchar *repo_id,
			    const gchar *revision,
			    const gchar *path,
			    gboolean recursive,
			    GCancellable *cancellable,
			    GError **error)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return hubd_client_call_typed_sync(self,
					   HUBD_INTERFACE_REPOS,
					   "ListFiles",
					   g_variant_new("(ssss@a{sv})",
							 HUBD_CLIENT_STR(repo_type),
							 HUBD_CLIENT_STR(repo_id),
							 HUBD_CLIENT_STR(revision),
							 HUBD_CLIENT_STR(path),
							 hubd_client_list_files_options(recursive)),
					   "(aa{sv})",
					   hubd_client_list_files_convert,
					   cancellable,
					   error);
}

static GVariant *
hubd_client_create_repo_options(gboolean private_, gboolean exist_ok)
{
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(NULL);

	if (private_)
		g_variant_dict_insert(&dict, "private", "b", TRUE);
	if (exist_ok)
		g_variant_dict_insert(&dict, "exist_ok", "b", TRUE);
	return g_variant_dict_end(&dict);
}

/**
 * hubd_client_create_repo:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @private_: create it private
 * @exist_ok: an existing repo is not an error
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Creates a repository (org.hubd.Hub1.Repos.Create). An existing one gives %HUBD_ERROR_CONFLICT
 * unless @exist_ok.
 *
 * Since: 0.1
 */
void
hubd_client_create_repo(HubdClient *self,
			const gchar *repo_type,
			const gchar *repo_id,
			gboolean private_,
			gboolean exist_ok,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	g_return_if_fail(HUBD_IS_CLIENT(self));
	hubd_client_call_typed(self,
			       HUBD_INTERFACE_REPOS,
			       "Create",
			       g_variant_new("(ss@a{sv})",
					     HUBD_CLIENT_STR(repo_type),
					     HUBD_CLIENT_STR(repo_id),
					     hubd_client_create_repo_options(private_, exist_ok)),
			       "(s)",
			       hubd_client_string_convert,
			       (GDestroyNotify)g_free,
			       hubd_client_create_repo,
			       cancellable,
			       callback,
			       user_data);
}

/**
 * hubd_client_create_repo_finish:
 * @self: a #HubdClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the repo's web URL, or %NULL with @error set
 *
 * Since: 0.1
 */
gchar *
hubd_client_create_repo_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	return hubd_client_call_typed_finish(self, result, hubd_client_create_repo, error);
}

/**
 * hubd_client_create_repo_sync:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @private_: create it private
 * @exist_ok: an existing repo is not an error
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As hubd_client_create_repo(), blocking.
 *
 * Returns: (transfer full): the repo's web URL, or %NULL with @error set
 *
 * Since: 0.1
 */
gchar *
hubd_client_create_repo_sync(HubdClient *self,
			     const gchar *repo_type,
			     const gchar *repo_id,
			     gboolean private_,
			     gboolean exist_ok,
			     GCancellable *cancellable,
			     GError **error)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return hubd_client_call_typed_sync(
		self,
		HUBD_INTERFACE_REPOS,
		"Create",
		g_variant_new("(ss@a{sv})",
			      HUBD_CLIENT_STR(repo_type),
			      HUBD_CLIENT_STR(repo_id),
			      hubd_client_create_repo_options(private_, exist_ok)),
		"(s)",
		hubd_client_string_convert,
		cancellable,
		error);
}

static GVariant *
hubd_client_delete_repo_options(gboolean missing_ok)
{
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(NULL);

	if (missing_ok)
		g_variant_dict_insert(&dict, "missing_ok", "b", TRUE);
	return g_variant_dict_end(&dict);
}

/**
 * hubd_client_delete_repo:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @missing_ok: a missing repo is not an error
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Deletes a repository (org.hubd.Hub1.Repos.Delete). A missing one gives %HUBD_ERROR_REPO_NOT_FOUND
 * unless @missing_ok.
 *
 * Since: 0.1
 */
void
hubd_client_delete_repo(HubdClient *self,
			const gchar *repo_type,
			const gchar *repo_id,
			gboolean missing_ok,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	g_return_if_fail(HUBD_IS_CLIENT(self));
	hubd_client_call_typed(self,
			       HUBD_INTERFACE_REPOS,
			       "Delete",
			       g_variant_new("(ss@a{sv})",
					     HUBD_CLIENT_STR(repo_type),
					     HUBD_CLIENT_STR(repo_id),
					     hubd_client_delete_repo_options(missing_ok)),
			       "()",
			       hubd_client_true_convert,
			       NULL,
			       hubd_client_delete_repo,
			       cancellable,
			       callback,
			       user_data);
}

/**
 * hubd_client_delete_repo_finish:
 * @self: a #HubdClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with @error set
 *
 * Since: 0.1
 */
gboolean
hubd_client_delete_repo_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	return hubd_client_call_typed_finish(self, result, hubd_client_delete_repo, error) != NULL;
}

/**
 * hubd_client_delete_repo_sync:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @missing_ok: a missing repo is not an error
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As hubd_client_delete_repo(), blocking.
 *
 * Returns: %TRUE, or %FALSE with @error set
 *
 * Since: 0.1
 */
gboolean
hubd_client_delete_repo_sync(HubdClient *self,
			     const gchar *repo_type,
			     const gchar *repo_id,
			     gboolean missing_ok,
			     GCancellable *cancellable,
			     GError **error)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), FALSE);
	return hubd_client_call_typed_sync(
		       self,
		       HUBD_INTERFACE_REPOS,
		       "Delete",
		       g_variant_new("(ss@a{sv})",
				     HUBD_CLIENT_STR(repo_type),
				     HUBD_CLIENT_STR(repo_id),
				     hubd_client_delete_repo_options(missing_ok)),
		       "()",
		       hubd_client_true_convert,
		       cancellable,
		       error) != NULL;
}
