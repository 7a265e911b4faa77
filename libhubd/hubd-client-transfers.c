/* hubd-client-transfers.c: HubdClient's calls on org.hubd.Hub1.Transfers, each returning a #HubdJob
 */
#include "hubd-client-transfers.h"

#include "hubd-client-private.h"
#include "hubd-job-private.h"

static GVariant *
hubd_client_download_file_options(GFile *local_dir)
{
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(NULL);

	if (local_dir != NULL) {
		g_autofree gchar *local = g_file_get_path(local_dir);
		g_variant_dict_insert(&dict, "local_dir", "s", local != NULL ? local : "");
	}
	return g_variant_dict_end(&dict);
}

/**
 * hubd_client_download_file:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @path: the file's path in the repo
 * @local_dir: (nullable): a folder to write a real file under instead of the cache
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Downloads one file into the shared cache (org.hubd.Hub1.Transfers.Download), as huggingface_hub's
 * `hf_hub_download()`. The file is on disk once hubd_job_wait() returns its #GFile; the job's
 * properties follow the transfer meanwhile.
 *
 * Since: 0.1
 */
void
hubd_client_download_file(HubdClient *self,
			  const gchar *repo_type,
			  const gchar *repo_id,
			  const gchar *revision,
			  const gchar *path,
			  GFile *local_dir,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_return_if_fail(HUBD_IS_CLIENT(self));
	hubd_client_call_job(self,
			     HUBD_INTERFACE_TRANSFERS,
			     "Download",
			     g_variant_new("(ssss@a{sv})",
					   HUBD_CLIENT_STR(repo_type),
					   HUBD_CLIENT_STR(repo_id),
					   HUBD_CLIENT_STR(revision),
					   HUBD_CLIENT_STR(path),
					   hubd_client_download_file_options(local_dir)),
			     hubd_client_download_file,
			     cancellable,
			     callback,
			     user_data);
}

/**
 * hubd_client_download_file_finish:
 * @self: a #HubdClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdJob *
hubd_client_download_file_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	return hubd_client_call_job_finish(self, result, hubd_client_download_file, error);
}

/**
 * hubd_client_download_file_sync:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @path: the file's path in the repo
 * @local_dir: (nullable): a folder to write a real file under instead of the cache
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As hubd_client_download_file(), blocking.
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdJob *
hubd_client_download_file_sync(HubdClient *self,
			       const gchar *repo_type,
			       const gchar *repo_id,
			       const gchar *revision,
			       const gchar *path,
			       GFile *local_dir,
			       GCancellable *cancellable,
			       GError **error)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return hubd_client_call_job_sync(
		self,
		HUBD_INTERFACE_TRANSFERS,
		"Download",
		g_variant_new("(ssss@a{sv})",
			      HUBD_CLIENT_STR(repo_type),
			      HUBD_CLIENT_STR(repo_id),
			      HUBD_CLIENT_STR(revision),
			      HUBD_CLIENT_STR(path),
			      hubd_client_download_file_options(local_dir)),
		cancellable,
		error);
}

static GVariant *
hubd_client_snapshot_options(const gchar *const *allow_patterns)
{
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(NULL);

	if (allow_patterns != NULL)
		g_variant_dict_insert_value(&dict,
					    "allow_patterns",
					    g_variant_new_strv(allow_patterns, -1));
	return g_variant_dict_end(&dict);
}

/**
 * hubd_client_snapshot:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @allow_patterns: (nullable) (array zero-terminated=1): download only the files matching one of
 * these shell patterns; %NULL for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Downloads a whole revision into the cache (org.hubd.Hub1.Transfers.Snapshot), as
 * `snapshot_download()`. hubd_job_wait() returns the snapshot folder.
 *
 * Since: 0.1
 */
void
hubd_client_snapshot(HubdClient *self,
		     const gchar *repo_type,
		     const gchar *repo_id,
		     const gchar *revision,
		     const gchar *const *allow_patterns,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data)
{
	g_return_if_fail(HUBD_IS_CLIENT(self));
	hubd_client_call_job(self,
			     HUBD_INTERFACE_TRANSFERS,
			     "Snapshot",
			     g_variant_new("(sss@a{sv})",
					   HUBD_CLIENT_STR(repo_type),
					   HUBD_CLIENT_STR(repo_id),
					   HUBD_CLIENT_STR(revision),
					   hubd_client_snapshot_options(allow_patterns)),
			     hubd_client_snapshot,
			     cancellable,
			     callback,
			     user_data);
}

/**
 * hubd_client_snapshot_finish:
 * @self: a #HubdClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdJob *
hubd_client_snapshot_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	return hubd_client_call_job_finish(self, result, hubd_client_snapshot, error);
}

/**
 * hubd_client_snapshot_sync:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @allow_patterns: (nullable) (array zero-terminated=1): download only the files matching one of
 * these shell patterns; %NULL for all
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As hubd_client_snapshot(), blocking.
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdJob *
hubd_client_snapshot_sync(HubdClient *self,
			  const gchar *repo_type,
			  const gchar *repo_id,
			  const gchar *revision,
			  const gchar *const *allow_patterns,
			  GCancellable *cancellable,
			  GError **error)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return hubd_client_call_job_sync(
		self,
		HUBD_INTERFACE_TRANSFERS,
		"Snapshot",
		g_variant_new("(sss@a{sv})",
			      HUBD_CLIENT_STR(repo_type),
			      HUBD_CLIENT_STR(repo_id),
			      HUBD_CLIENT_STR(revision),
			      hubd_client_snapshot_options(allow_patterns)),
		cancellable,
		error);
}

static GVariant *
hubd_client_upload_file_options(const gchar *commit_message)
{
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(NULL);

	if (commit_message != NULL && commit_message[0] != '\0')
		g_variant_dict_insert(&dict, "commit_message", "s", commit_message);
	return g_variant_dict_end(&dict);
}

/**
 * hubd_client_upload_file:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @file: the local file
 * @path_in_repo: its path in the repo
 * @commit_message: (nullable): the commit's title; %NULL for hubd's
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Uploads one file in a commit (org.hubd.Hub1.Transfers.Upload), through Git LFS when it is large,
 * after hubd's publishing policy. The job's result (hubd_job_get_result()) has `commit_oid` and
 * `commit_url`.
 *
 * Since: 0.1
 */
void
hubd_client_upload_file(HubdClient *self,
			const gchar *repo_type,
			const gchar *repo_id,
			const gchar *revision,
			GFile *file,
			const gchar *path_in_repo,
			const gchar *commit_message,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	g_autofree gchar *local = g_file_get_path(file);
	GVariant *files = g_variant_new_parsed("[(%s, %s)]",
					       local != NULL ? local : "",
					       HUBD_CLIENT_STR(path_in_repo));
	g_return_if_fail(HUBD_IS_CLIENT(self));
	hubd_client_call_job(self,
			     HUBD_INTERFACE_TRANSFERS,
			     "Upload",
			     g_variant_new("(sss@a(ss)@a{sv})",
					   HUBD_CLIENT_STR(repo_type),
					   HUBD_CLIENT_STR(repo_id),
					   HUBD_CLIENT_STR(revision),
					   files,
					   hubd_client_upload_file_options(commit_message)),
			     hubd_client_upload_file,
			     cancellable,
			     callback,
			     user_data);
}

/**
 * hubd_client_upload_file_finish:
 * @self: a #HubdClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdJob *
hubd_client_upload_file_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	return hubd_client_call_job_finish(self, result, hubd_client_upload_file, error);
}

/**
 * hubd_client_upload_file_sync:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @file: the local file
 * @path_in_repo: its path in the repo
 * @commit_message: (nullable): the commit's title; %NULL for hubd's
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As hubd_client_upload_file(), blocking.
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdJob *
hubd_client_upload_file_sync(HubdClient *self,
			     const gchar *repo_type,
			     const gchar *repo_id,
			     const gchar *revision,
			     GFile *file,
			     const gchar *path_in_repo,
			     const gchar *commit_message,
			     GCancellable *cancellable,
			     GError **error)
{
	g_autofree gchar *local = g_file_get_path(file);
	GVariant *files = g_variant_new_parsed("[(%s, %s)]",
					       local != NULL ? local : "",
					       HUBD_CLIENT_STR(path_in_repo));
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return hubd_client_call_job_sync(
		self,
		HUBD_INTERFACE_TRANSFERS,
		"Upload",
		g_variant_new("(sss@a(ss)@a{sv})",
			      HUBD_CLIENT_STR(repo_type),
			      HUBD_CLIENT_STR(repo_id),
			      HUBD_CLIENT_STR(revision),
			      files,
			      hubd_client_upload_file_options(commit_message)),
		cancellable,
		error);
}

static GVariant *
hubd_client_upload_folder_options(const gchar *commit_message)
{
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(NULL);

	if (commit_message != NULL && commit_message[0] != '\0')
		g_variant_dict_insert(&dict, "commit_message", "s", commit_message);
	return g_variant_dict_end(&dict);
}

/**
 * hubd_client_upload_folder:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @folder: the local folder
 * @path_in_repo: (nullable): where in the repo; %NULL for the top
 * @commit_message: (nullable): the commit's title; %NULL for hubd's
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Uploads a folder in one commit (org.hubd.Hub1.Transfers.UploadFolder), as `upload_folder()`. The
 * job's result has `commit_oid` and `commit_url`.
 *
 * Since: 0.1
 */
void
hubd_client_upload_folder(HubdClient *self,
			  const gchar *repo_type,
			  const gchar *repo_id,
			  const gchar *revision,
			  GFile *folder,
			  const gchar *path_in_repo,
			  const gchar *commit_message,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_autofree gchar *local = g_file_get_path(folder);
	g_return_if_fail(HUBD_IS_CLIENT(self));
	hubd_client_call_job(self,
			     HUBD_INTERFACE_TRANSFERS,
			     "UploadFolder",
			     g_variant_new("(sssss@a{sv})",
					   HUBD_CLIENT_STR(repo_type),
					   HUBD_CLIENT_STR(repo_id),
					   HUBD_CLIENT_STR(revision),
					   HUBD_CLIENT_STR(path_in_repo),
					   local != NULL ? local : "",
					   hubd_client_upload_folder_options(commit_message)),
			     hubd_client_upload_folder,
			     cancellable,
			     callback,
			     user_data);
}

/**
 * hubd_client_upload_folder_finish:
 * @self: a #HubdClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdJob *
hubd_client_upload_folder_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	return hubd_client_call_job_finish(self, result, hubd_client_upload_folder, error);
}

/**
 * hubd_client_upload_folder_sync:
 * @self: a #HubdClient
 * @repo_type: (nullable): `model`, `dataset` or `space`; %NULL for `model`
 * @repo_id: `namespace/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @folder: the local folder
 * @path_in_repo: (nullable): where in the repo; %NULL for the top
 * @commit_message: (nullable): the commit's title; %NULL for hubd's
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As hubd_client_upload_folder(), blocking.
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdJob *
hubd_client_upload_folder_sync(HubdClient *self,
			       const gchar *repo_type,
			       const gchar *repo_id,
			       const gchar *revision,
			       GFile *folder,
			       const gchar *path_in_repo,
			       const gchar *commit_message,
			       GCancellable *cancellable,
			       GError **error)
{
	g_autofree gchar *local = g_file_get_path(folder);
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return hubd_client_call_job_sync(
		self,
		HUBD_INTERFACE_TRANSFERS,
		"UploadFolder",
		g_variant_new("(sssss@a{sv})",
			      HUBD_CLIENT_STR(repo_type),
			      HUBD_CLIENT_STR(repo_id),
			      HUBD_CLIENT_STR(revision),
			      HUBD_CLIENT_STR(path_in_repo),
			      local != NULL ? local : "",
			      hubd_client_upload_folder_options(commit_message)),
		cancellable,
		error);
}
