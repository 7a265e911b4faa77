/* hubd-commit.h: the NDJSON commit payload (docs/hub-upload.md §4), streamed —
 * regular files are read and base64-encoded while the request is sent */
#pragma once

#include <gio/gio.h>

#include "hubd-hub-api.h"
#include "hubd-repo-id.h"
#include "hubd-upload-stream.h"

G_BEGIN_DECLS

typedef struct _HubdCommitPayload HubdCommitPayload;

/* `description` and `parent_commit` may be NULL. */
HubdCommitPayload *
hubd_commit_payload_new(const gchar *summary, const gchar *description, const gchar *parent_commit);
HubdCommitPayload *
hubd_commit_payload_ref(HubdCommitPayload *self);
void
hubd_commit_payload_unref(HubdCommitPayload *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdCommitPayload, hubd_commit_payload_unref)

/* a regular file, read from `local_path` (`size` bytes) when sent;
 * `progress` (may be NULL) counts its bytes as they are read into the body
 * and is active while they are */
void
hubd_commit_payload_add_file(HubdCommitPayload *self,
			     const gchar *path,
			     const gchar *local_path,
			     guint64 size,
			     HubdFileProgress *progress);
/* the same from any source (a storage object) */
void
hubd_commit_payload_add_source(HubdCommitPayload *self,
			       const gchar *path,
			       HubdUploadSource *source,
			       guint64 size,
			       HubdFileProgress *progress);
/* a regular file from memory (copies of regular files) */
void
hubd_commit_payload_add_file_bytes(HubdCommitPayload *self, const gchar *path, GBytes *content);
void
hubd_commit_payload_add_lfs(HubdCommitPayload *self,
			    const gchar *path,
			    const gchar *sha256,
			    guint64 size);
/* a folder path gets a trailing '/' */
void
hubd_commit_payload_add_delete(HubdCommitPayload *self, const gchar *path, gboolean is_folder);
guint
hubd_commit_payload_get_n_operations(HubdCommitPayload *self);
/* The whole body in memory, for tests. */
GBytes *
hubd_commit_payload_to_bytes(HubdCommitPayload *self, GError **error);

/* The commit (hubd_hub_api_commit_async()) with the payload streamed, a
 * fresh stream for each attempt (the length is exact). `counter` (may be
 * NULL) counts file bytes read; an attempt that restarts takes back what it
 * counted. A parent_commit that is not the branch head is
 * HUBD_ERROR_CONFLICT (412). */
void
hubd_commit_send_async(HubdHubApi *api,
		       HubdRepoType type,
		       const gchar *repo_id,
		       const gchar *revision,
		       gboolean create_pr,
		       HubdCommitPayload *payload,
		       gint64 *counter,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
HubdHubCommitInfo *
hubd_commit_send_finish(GAsyncResult *result, GError **error);

G_END_DECLS
