/* hubd-lfs.h: Git LFS uploads through the Hub's legacy batch API — basic and
 * multipart transfers, completion and verify (docs/hub-upload.md §3) */
#pragma once

#include <gio/gio.h>

#include "hubd-hub-api.h"
#include "hubd-repo-id.h"
#include "hubd-upload-stream.h"

G_BEGIN_DECLS

/* PUTs (whole objects or parts) in flight at once. */
#define HUBD_LFS_MAX_PARALLEL 4

typedef struct {
	gchar *local_path;
	HubdUploadSource *source; /* read instead of local_path when set */
	gchar sha256[65];
	guint64 size;
	/* may be NULL: counts the bytes sent (taken back when a PUT restarts),
	 * active from the first PUT until the object is stored */
	HubdFileProgress *progress;
} HubdLfsObject;

/* Uploads the objects the Hub does not have yet. `revision` is the branch
 * (NULL when opening a PR: the batch then names no ref). The token goes to
 * the Hub's origin only: upload targets and the multipart completion get no
 * Authorization, verify gets it. `counter` (may be NULL) is increased
 * atomically by every byte sent (and decreased when a PUT restarts). */
void
hubd_lfs_upload_async(HubdHubApi *api,
		      HubdRepoType type,
		      const gchar *repo_id,
		      const gchar *revision,
		      const HubdLfsObject *objects,
		      guint n_objects,
		      gint64 *counter,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data);
/* Uploads one object as `action` (an answer of the batch API that someone
 * else called: git-lfs, for its custom transfer agent) says: the parts and
 * the completion for multipart, else one PUT. The action's URLs get no
 * token; its verify, if any, is left to the caller. Finish with
 * hubd_lfs_upload_finish(). */
void
hubd_lfs_upload_action_async(HubdHubApi *api,
			     const HubdLfsObject *object,
			     HubdHubLfsAction *action,
			     gint64 *counter,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
/* `n_transferred`: objects that had to be sent (the others were on the Hub). */
gboolean
hubd_lfs_upload_finish(GAsyncResult *result, guint *n_transferred, GError **error);

G_END_DECLS
