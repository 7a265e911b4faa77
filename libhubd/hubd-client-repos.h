/* hubd-client-repos.h: HubdClient's calls on org.hubd.Hub1.Repos with typed results */
#pragma once

#include "hubd-client.h"
#include "hubd-repo-file.h"
#include "hubd-repo-info.h"

G_BEGIN_DECLS

void
hubd_client_repo_info(HubdClient *self,
		      const gchar *repo_type,
		      const gchar *repo_id,
		      const gchar *revision,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data);
HubdRepoInfo *
hubd_client_repo_info_finish(HubdClient *self, GAsyncResult *result, GError **error);
HubdRepoInfo *
hubd_client_repo_info_sync(HubdClient *self,
			   const gchar *repo_type,
			   const gchar *repo_id,
			   const gchar *revision,
			   GCancellable *cancellable,
			   GError **error);

void
hubd_client_list_repos(HubdClient *self,
		       const gchar *repo_type,
		       const gchar *search,
		       const gchar *author,
		       guint limit,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
GPtrArray *
hubd_client_list_repos_finish(HubdClient *self, GAsyncResult *result, GError **error);
GPtrArray *
hubd_client_list_repos_sync(HubdClient *self,
			    const gchar *repo_type,
			    const gchar *search,
			    const gchar *author,
			    guint limit,
			    GCancellable *cancellable,
			    GError **error);

void
hubd_client_list_files(HubdClient *self,
		       const gchar *repo_type,
		       const gchar *repo_id,
		       const gchar *revision,
		       const gchar *path,
		       gboolean recursive,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
GPtrArray *
hubd_client_list_files_finish(HubdClient *self, GAsyncResult *result, GError **error);
GPtrArray *
hubd_client_list_files_sync(HubdClient *self,
			    const gchar *repo_type,
			    const gchar *repo_id,
			    const gchar *revision,
			    const gchar *path,
			    gboolean recursive,
			    GCancellable *cancellable,
			    GError **error);

void
hubd_client_create_repo(HubdClient *self,
			const gchar *repo_type,
			const gchar *repo_id,
			gboolean private_,
			gboolean exist_ok,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data);
gchar *
hubd_client_create_repo_finish(HubdClient *self, GAsyncResult *result, GError **error);
gchar *
hubd_client_create_repo_sync(HubdClient *self,
			     const gchar *repo_type,
			     const gchar *repo_id,
			     gboolean private_,
			     gboolean exist_ok,
			     GCancellable *cancellable,
			     GError **error);

void
hubd_client_delete_repo(HubdClient *self,
			const gchar *repo_type,
			const gchar *repo_id,
			gboolean missing_ok,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data);
gboolean
hubd_client_delete_repo_finish(HubdClient *self, GAsyncResult *result, GError **error);
gboolean
hubd_client_delete_repo_sync(HubdClient *self,
			     const gchar *repo_type,
			     const gchar *repo_id,
			     gboolean missing_ok,
			     GCancellable *cancellable,
			     GError **error);

G_END_DECLS
