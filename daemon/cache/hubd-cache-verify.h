/* hubd-cache-verify.h: `hf cache verify` — a cached revision (or a local_dir)
 * compared with the Hub's listing of its commit (docs/cache-verify.md). The
 * locate/walk/hash steps block and belong in worker threads; the async
 * driver (hubd-cache-verify-job.c) runs them and asks the Hub in between. */
#pragma once

#include <gio/gio.h>

#include "hubd-cache.h"
#include "hubd-context.h"
#include "hubd-job.h"

G_BEGIN_DECLS

/* ---- worker-thread steps (hubd-cache-verify.c) ---- */

/* The commit a cached repo's `revision` means, offline, as huggingface_hub's
 * resolution (docs/cache-verify.md §2): a commit hash itself, else
 * refs/{revision}; no revision: refs/main, else the only snapshot. Returns
 * NULL with no error when a named revision is not in the cache's refs (the
 * Hub may know it). A repo not in the cache is HUBD_ERROR_REPO_NOT_FOUND;
 * several snapshots and no main, HUBD_ERROR_INVALID_ARGUMENT. */
gchar *
hubd_cache_verify_resolve(HubdCache *cache,
			  HubdRepoType type,
			  const gchar *repo_id,
			  const gchar *revision,
			  GError **error);

/* Every regular file under `root` (links followed, as the cache's snapshot
 * links to blobs): path relative to root, '/'-separated -> its size as a
 * guint64 pointer (g_free'd). `skip_metadata`: leave out a local_dir's own
 * `.cache/huggingface` folder. A broken link is no file. */
GHashTable *
hubd_cache_verify_walk(const gchar *root,
		       gboolean skip_metadata,
		       GCancellable *cancellable,
		       GError **error);

/* Hashes the files both sides have and builds the Result of
 * org.hubd.Hub1.Cache.Verify (floating). `remote`: HubdHubTreeEntry of the
 * listing (folders ignored). Worker threads add the bytes read to
 * `*bytes_done` atomically. */
GVariant *
hubd_cache_verify_compare(const gchar *root,
			  const gchar *commit,
			  GPtrArray *remote,
			  GHashTable *local,
			  gint64 *bytes_done,
			  GCancellable *cancellable,
			  GError **error);

/* ---- the job (hubd-cache-verify-job.c) ---- */

typedef struct {
	HubdRepoType type;
	gchar *repo_id;
	gchar *revision;  /* "" or NULL: the default */
	gchar *local_dir; /* absolute, or NULL: the cache */
	HubdCache *cache; /* the cache to verify in (ignored with local_dir) */
	HubdHubApi *api;  /* the call's (token_name); NULL: the context's */
} HubdCacheVerifyRequest;

void
hubd_cache_verify_request_free(HubdCacheVerifyRequest *req);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdCacheVerifyRequest, hubd_cache_verify_request_free)

/* Takes `req`. Reports phases and bytes hashed in `job`. */
void
hubd_cache_verify_async(HubdContext *context,
			HubdCacheVerifyRequest *req,
			HubdJob *job,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data);
/* The Result a{sv} (a new reference). */
GVariant *
hubd_cache_verify_finish(GAsyncResult *result, GError **error);

G_END_DECLS
