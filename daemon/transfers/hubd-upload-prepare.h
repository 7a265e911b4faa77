/* hubd-upload-prepare.h: what an upload looks up before it sends — the
 * files of a local folder, and from the Hub: the repo created, the files of
 * the tree, the README.md the card rule needs, the sources of copies, and
 * how the Hub wants each file (preupload) */
#pragma once

#include <gio/gio.h>

#include "hubd-commit-ops.h"
#include "hubd-commit.h"
#include "hubd-hub-api.h"
#include "hubd-repo-id.h"

G_BEGIN_DECLS

/* In a worker thread: the regular files under `folder`, as paths relative
 * to it, sorted. */
GPtrArray *
hubd_upload_prepare_list_folder(const gchar *folder, GCancellable *cancellable, GError **error);

/* Creates the repo (as `hf upload`); one that exists already is fine. */
void
hubd_upload_prepare_create_repo_async(HubdHubApi *api,
				      HubdRepoType type,
				      const gchar *repo_id,
				      gboolean private_repo,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
gboolean
hubd_upload_prepare_create_repo_finish(GAsyncResult *result, GError **error);

/* The paths of the files at `revision`, the whole tree. */
void
hubd_upload_prepare_list_tree_async(HubdHubApi *api,
				    HubdRepoType type,
				    const gchar *repo_id,
				    const gchar *revision,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
GPtrArray *
hubd_upload_prepare_list_tree_finish(GAsyncResult *result, GError **error);

/* The policy's card rule on the README.md the repo will have after the
 * commit: `readme` when `ops` add one, none when they delete it, else the
 * one at `revision` (none when the repo, revision or file is missing). */
void
hubd_upload_prepare_check_card_async(HubdHubApi *api,
				     HubdRepoType type,
				     const gchar *repo_id,
				     const gchar *revision,
				     HubdCommitOps *ops,
				     GBytes *readme,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data);
gboolean
hubd_upload_prepare_check_card_finish(GAsyncResult *result, GError **error);

/* Adds the copies of `ops` to `payload`: an LFS source by reference, a
 * regular one with its content (fetched). */
void
hubd_upload_prepare_copies_async(HubdHubApi *api,
				 HubdRepoType type,
				 const gchar *repo_id,
				 HubdCommitOps *ops,
				 HubdCommitPayload *payload,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
gboolean
hubd_upload_prepare_copies_finish(GAsyncResult *result, GError **error);

/* Preupload of every add (hashed), in batches: sets their lfs, ignore and
 * noop. `head_oid` gets the commit the Hub named, or NULL. */
void
hubd_upload_prepare_preupload_async(HubdHubApi *api,
				    HubdRepoType type,
				    const gchar *repo_id,
				    const gchar *revision,
				    gboolean create_pr,
				    HubdCommitOps *ops,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
gboolean
hubd_upload_prepare_preupload_finish(GAsyncResult *result, gchar **head_oid, GError **error);

G_END_DECLS
