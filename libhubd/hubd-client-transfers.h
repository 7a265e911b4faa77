/* hubd-client-transfers.h: HubdClient's calls on org.hubd.Hub1.Transfers, each returning a #HubdJob
 */
#pragma once

#include "hubd-client.h"
#include "hubd-job.h"

G_BEGIN_DECLS

void
hubd_client_download_file(HubdClient *self,
			  const gchar *repo_type,
			  const gchar *repo_id,
			  const gchar *revision,
			  const gchar *path,
			  GFile *local_dir,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
HubdJob *
hubd_client_download_file_finish(HubdClient *self, GAsyncResult *result, GError **error);
HubdJob *
hubd_client_download_file_sync(HubdClient *self,
			       const gchar *repo_type,
			       const gchar *repo_id,
			       const gchar *revision,
			       const gchar *path,
			       GFile *local_dir,
			       GCancellable *cancellable,
			       GError **error);

void
hubd_client_snapshot(HubdClient *self,
		     const gchar *repo_type,
		     const gchar *repo_id,
		     const gchar *revision,
		     const gchar *const *allow_patterns,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data);
HubdJob *
hubd_client_snapshot_finish(HubdClient *self, GAsyncResult *result, GError **error);
HubdJob *
hubd_client_snapshot_sync(HubdClient *self,
			  const gchar *repo_type,
			  const gchar *repo_id,
			  const gchar *revision,
			  const gchar *const *allow_patterns,
			  GCancellable *cancellable,
			  GError **error);

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
			gpointer user_data);
HubdJob *
hubd_client_upload_file_finish(HubdClient *self, GAsyncResult *result, GError **error);
HubdJob *
hubd_client_upload_file_sync(HubdClient *self,
			     const gchar *repo_type,
			     const gchar *repo_id,
			     const gchar *revision,
			     GFile *file,
			     const gchar *path_in_repo,
			     const gchar *commit_message,
			     GCancellable *cancellable,
			     GError **error);

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
			  gpointer user_data);
HubdJob *
hubd_client_upload_folder_finish(HubdClient *self, GAsyncResult *result, GError **error);
HubdJob *
hubd_client_upload_folder_sync(HubdClient *self,
			       const gchar *repo_type,
			       const gchar *repo_id,
			       const gchar *revision,
			       GFile *folder,
			       const gchar *path_in_repo,
			       const gchar *commit_message,
			       GCancellable *cancellable,
			       GError **error);

G_END_DECLS
