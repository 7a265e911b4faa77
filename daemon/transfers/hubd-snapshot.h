/* hubd-snapshot.h: every file of a repo at a revision (or those matching
 * patterns), as huggingface_hub's snapshot_download (docs/hub-download.md §9) */
#pragma once

#include "hubd-context.h"
#include "hubd-job.h"
#include "hubd-repo-id.h"
#include "hubd-storage.h"

G_BEGIN_DECLS

typedef struct {
	HubdRepoType type;
	gchar *repo_id;
	gchar *revision; /* NULL: "main" */
	GStrv allow_patterns;
	GStrv ignore_patterns;
	gchar *local_dir;
	gchar *cache_dir;  /* as HubdDownloadRequest's */
	gboolean dry_run;  /* as HubdDownloadRequest's */
	guint max_workers; /* 0: 8 */
	gboolean offline;
	gboolean force;
	/* the caller's Hub API (its token_name and library_name:
	 * hubd_hub_api_new_for_call()), or NULL for the daemon's */
	HubdHubApi *api;
	HubdStorage *mirror; /* as HubdDownloadRequest's, or NULL */
} HubdSnapshotRequest;

void
hubd_snapshot_request_free(HubdSnapshotRequest *req);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdSnapshotRequest, hubd_snapshot_request_free)

/* huggingface_hub's filter_repo_objects: fnmatch without FNM_PATHNAME (so
 * "*" crosses "/"), a pattern ending in "/" gets "*" appended; kept when it
 * matches an allow pattern (if any) and no ignore pattern. */
gboolean
hubd_snapshot_path_matches(const gchar *const *allow,
			   const gchar *const *ignore,
			   const gchar *path);

/* Takes `req`. The result is the a{sv} of Transfers.Snapshot: path (the
 * snapshot folder or local_dir), commit, files; with dry_run,
 * hubd_dry_run_result()'s from the listing (no blob fetched, nothing
 * written). */
void
hubd_snapshot_async(HubdContext *context,
		    HubdSnapshotRequest *req,
		    HubdJob *job,
		    GCancellable *cancellable,
		    GAsyncReadyCallback callback,
		    gpointer user_data);
GVariant *
hubd_snapshot_finish(GAsyncResult *result, GError **error);

G_END_DECLS
