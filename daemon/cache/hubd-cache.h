/* hubd-cache.h: the huggingface_hub-compatible cache — blobs, snapshots,
 * refs, .no_exist, locks, atomic renames, scan and delete.
 *
 * Layout: docs/hub-download.md §5. All functions are synchronous and
 * thread-safe; the ones that may block (locks, scan, delete, big renames
 * across folders) are meant for worker threads (g_task_run_in_thread). */
#pragma once

#include <gio/gio.h>

#include "hubd-repo-id.h"

G_BEGIN_DECLS

/**
 * HubdCache:
 *
 * The download cache shared with Python's huggingface_hub, in its exact
 * layout (`models--ns--name/{blobs,snapshots,refs}`, relative links,
 * `.no_exist`, flock'ed `.locks`). Functions are synchronous and
 * thread-safe; those that may block belong in worker threads.
 *
 * Since: 0.1
 */
#define HUBD_TYPE_CACHE (hubd_cache_get_type())
G_DECLARE_FINAL_TYPE(HubdCache, hubd_cache, HUBD, CACHE, GObject)

/* `root` NULL: $HF_HUB_CACHE, else $HUGGINGFACE_HUB_CACHE, else $HF_HOME/hub,
 * else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub. */
HubdCache *
hubd_cache_new(const gchar *root);
const gchar *
hubd_cache_get_root(HubdCache *self);

/* "models--ns--name" */
gchar *
hubd_cache_repo_folder_name(HubdRepoType type, const gchar *repo_id);
/* {root}/{folder} */
gchar *
hubd_cache_repo_path(HubdCache *self, HubdRepoType type, const gchar *repo_id);
/* {repo}/blobs/{etag} */
gchar *
hubd_cache_blob_path(HubdCache *self, HubdRepoType type, const gchar *repo_id, const gchar *etag);
/* {repo}/snapshots/{commit}[/{filename}] (filename may be NULL) */
gchar *
hubd_cache_snapshot_path(HubdCache *self,
			 HubdRepoType type,
			 const gchar *repo_id,
			 const gchar *commit,
			 const gchar *filename);

/* Creates root (with CACHEDIR.TAG), the repo folder and blobs/, refs/,
 * snapshots/. */
gboolean
hubd_cache_ensure_repo(HubdCache *self, HubdRepoType type, const gchar *repo_id, GError **error);

/* TRUE for a full 40-char lowercase hex commit id. */
gboolean
hubd_cache_is_commit_hash(const gchar *revision);
/* The commit refs/{revision} holds, or NULL. */
gchar *
hubd_cache_read_ref(HubdCache *self,
		    HubdRepoType type,
		    const gchar *repo_id,
		    const gchar *revision);
/* Writes refs/{revision} atomically (tmp + rename, no trailing newline), only
 * when it changed; does nothing when revision == commit. */
gboolean
hubd_cache_write_ref(HubdCache *self,
		     HubdRepoType type,
		     const gchar *repo_id,
		     const gchar *revision,
		     const gchar *commit,
		     GError **error);
/* revision itself when it is a commit hash, else the ref, else NULL */
gchar *
hubd_cache_resolve_revision(HubdCache *self,
			    HubdRepoType type,
			    const gchar *repo_id,
			    const gchar *revision);

/* .no_exist/{commit}/{filename}: an empty marker. */
gboolean
hubd_cache_mark_no_exist(HubdCache *self,
			 HubdRepoType type,
			 const gchar *repo_id,
			 const gchar *commit,
			 const gchar *filename,
			 GError **error);
gboolean
hubd_cache_is_no_exist(HubdCache *self,
		       HubdRepoType type,
		       const gchar *repo_id,
		       const gchar *commit,
		       const gchar *filename);

/* flock(LOCK_EX) on .locks/{folder}/{etag}.lock (0664), waiting until it is
 * free or `cancellable` fires (polls; blocks the calling thread). */
typedef struct _HubdCacheLock HubdCacheLock;
HubdCacheLock *
hubd_cache_lock_blob(HubdCache *self,
		     HubdRepoType type,
		     const gchar *repo_id,
		     const gchar *etag,
		     GCancellable *cancellable,
		     GError **error);
void
hubd_cache_lock_release(HubdCacheLock *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdCacheLock, hubd_cache_lock_release)

/* blobs/{etag}.hubd.incomplete: the resumable temp file (taken under the
 * lock). Not huggingface_hub's {etag}.incomplete: @huggingface/hub (JS)
 * writes that name without any lock, and two writers of one file give a
 * torn blob; Python from 1.18 uses a unique name per process. */
gchar *
hubd_cache_incomplete_path(HubdCache *self,
			   HubdRepoType type,
			   const gchar *repo_id,
			   const gchar *etag);
/* Gives `tmp_path` the mode a new file gets under the umask and renames it
 * to `final_path` (same filesystem). */
gboolean
hubd_cache_move_into_place(const gchar *tmp_path, const gchar *final_path, GError **error);
/* snapshots/{commit}/{filename} -> relative link to ../../blobs/{etag}
 * (one more ../ per folder level), parents created, replaced atomically. */
gboolean
hubd_cache_link_snapshot(HubdCache *self,
			 HubdRepoType type,
			 const gchar *repo_id,
			 const gchar *commit,
			 const gchar *filename,
			 const gchar *etag,
			 GError **error);

/* The cache a call uses: a HubdCache on its `cache_dir`, else `shared` (a new
 * reference either way). (hubd-cache-folder.c) */
HubdCache *
hubd_cache_for_folder(HubdCache *shared, const gchar *cache_dir);
/* A call's `local_dir` and `cache_dir` options: absolute folders, canonical
 * (so one folder named two ways is one folder), NULL when not given.
 * HUBD_ERROR_INVALID_ARGUMENT for a relative one, or for both at once (as hf
 * download). (hubd-cache-folder.c) */
gboolean
hubd_cache_folder_options(GVariant *options, gchar **local_dir, gchar **cache_dir, GError **error);

/* For a cache folder the caller named (cache_dir): creates the root (0755
 * under the umask, parents too) and checks that it can be written, before
 * anything is. HUBD_ERROR_INVALID_ARGUMENT naming the folder otherwise.
 * Worker threads. (hubd-cache-folder.c) */
gboolean
hubd_cache_prepare_root(HubdCache *self, GError **error);
/* TRUE when blobs/{etag} is a regular file of `size` bytes (a dry run's
 * "already in the cache"). Reads only. */
gboolean
hubd_cache_has_blob(HubdCache *self,
		    HubdRepoType type,
		    const gchar *repo_id,
		    const gchar *etag,
		    guint64 size);
/* The bytes hubd may still write on the file system that holds `path` (its
 * nearest existing parent while it is not there yet): what an unprivileged
 * user may use, root's reserve too when hubd runs as root. FALSE when the
 * file system cannot say (or reports no blocks): do not refuse on that.
 * Worker threads (docs/hub-download.md §4.7). */
gboolean
hubd_cache_free_space(const gchar *path, guint64 *avail);

/* As `hf cache scan` (see org.hubd.Hub1.Cache.Scan): an a{sv}. */
GVariant *
hubd_cache_scan(HubdCache *self, GCancellable *cancellable, GError **error);
/* As org.hubd.Hub1.Cache.Delete: an a{sv}. Unknown revision →
 * HUBD_ERROR_REVISION_NOT_FOUND and nothing deleted. */
GVariant *
hubd_cache_delete_revisions(HubdCache *self,
			    const gchar *const *revisions,
			    gboolean dry_run,
			    GCancellable *cancellable,
			    GError **error);

G_END_DECLS
