/* hubd-commit-ops.h: the operations of one commit — files to add (with
 * their sizes, hashes and how the Hub wants them), paths to delete, files to
 * copy — as the preparation builds them and the upload steps consume them */
#pragma once

#include <gio/gio.h>

#include "hubd-commit.h"
#include "hubd-hash.h"
#include "hubd-upload-stream.h"

G_BEGIN_DECLS

typedef struct {
	gchar *local_path;        /* NULL for a storage object */
	HubdUploadSource *source; /* what is read: the local file, or an object */
	gchar *path;              /* in the repo */
	guint64 local_size;       /* from stat (or the storage listing), before hashing */
	HubdFileHash hash;
	gboolean lfs;    /* from preupload (and the policy's threshold) */
	gboolean noop;   /* the Hub has this content at this path */
	gboolean ignore; /* shouldIgnore (.gitignore) */
	/* per-file progress of the current phase, counted by worker threads
	 * (NULL: none yet); HubdUploadProgress shows it in the job's Files */
	HubdFileProgress *progress;
} HubdCommitAdd;

typedef struct {
	gchar *path;
	gboolean is_folder;
} HubdCommitDelete;

typedef struct {
	gchar *src_path;
	gchar *src_revision;
	gchar *path;
} HubdCommitCopy;

typedef struct _HubdCommitOps HubdCommitOps;

HubdCommitOps *
hubd_commit_ops_new(void);
HubdCommitOps *
hubd_commit_ops_ref(HubdCommitOps *self);
void
hubd_commit_ops_unref(HubdCommitOps *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdCommitOps, hubd_commit_ops_unref)

/* Paths in the repo are cleaned as huggingface_hub does
 * (HUBD_ERROR_INVALID_ARGUMENT naming the rule broken). `local_path` is
 * the caller's to check. */
gboolean
hubd_commit_ops_add_file(HubdCommitOps *self,
			 const gchar *local_path,
			 const gchar *path_in_repo,
			 GError **error);
/* A storage object of `size` bytes (as listed), read by streaming only. */
gboolean
hubd_commit_ops_add_source(HubdCommitOps *self,
			   HubdUploadSource *source,
			   guint64 size,
			   const gchar *path_in_repo,
			   GError **error);
/* "dir/" names a folder, as `is_folder` does. */
gboolean
hubd_commit_ops_add_delete(HubdCommitOps *self,
			   const gchar *path_in_repo,
			   gboolean is_folder,
			   GError **error);
/* A file as the Hub's tree names it, taken as it is. */
void
hubd_commit_ops_add_tree_delete(HubdCommitOps *self, const gchar *path);
/* `src_revision` is checked as a revision. */
gboolean
hubd_commit_ops_add_copy(HubdCommitOps *self,
			 const gchar *src_path,
			 const gchar *src_revision,
			 const gchar *path_in_repo,
			 GError **error);

/* In the order they were added: HubdCommitAdd, HubdCommitDelete,
 * HubdCommitCopy. The steps fill in the fields; the arrays are the ops'. */
GPtrArray *
hubd_commit_ops_get_adds(HubdCommitOps *self);
GPtrArray *
hubd_commit_ops_get_deletes(HubdCommitOps *self);
GPtrArray *
hubd_commit_ops_get_copies(HubdCommitOps *self);
/* The first add to `path`, or NULL. */
HubdCommitAdd *
hubd_commit_ops_find_add(HubdCommitOps *self, const gchar *path);
/* Whether the file (not folder) `path` is deleted. */
gboolean
hubd_commit_ops_deletes_file(HubdCommitOps *self, const gchar *path);

/* The commit summary when none is given, as huggingface_hub's defaults
 * (`from_folder`: the adds are a folder's). */
gchar *
hubd_commit_ops_dup_default_summary(HubdCommitOps *self, gboolean from_folder);

/* In a worker thread: every add is a regular file (its local_size is set)
 * and, with `scan_policy`, passes the policy's secret scan. On success
 * `readme` gets the content of an added README.md (NULL when none is). */
gboolean
hubd_commit_ops_check_local(HubdCommitOps *self,
			    gboolean scan_policy,
			    GBytes **readme,
			    GCancellable *cancellable,
			    GError **error);

/* Hashes every add (a few files at a time, in worker threads), each with a
 * fresh, active progress while it is hashed; `counter` is increased
 * atomically by every byte read. The first error cancels `cancellable`, so
 * the other hashes stop, and is the result. */
void
hubd_commit_ops_hash_async(HubdCommitOps *self,
			   gint64 *counter,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
gboolean
hubd_commit_ops_hash_finish(HubdCommitOps *self, GAsyncResult *result, GError **error);

/* After preupload: the bytes to send (the regular files, which go within
 * the commit, and each LFS object once). */
guint64
hubd_commit_ops_get_send_size(HubdCommitOps *self);
/* Gives every add to send a fresh progress and returns the LFS objects to
 * upload, one per sha256 (HubdLfsObject; their paths and progress are the
 * adds', so the ops must outlive the array). */
GArray *
hubd_commit_ops_dup_lfs_objects(HubdCommitOps *self);
/* The deletes, then the adds to send (LFS by reference, regular files read
 * when the payload is sent). */
void
hubd_commit_ops_add_to_payload(HubdCommitOps *self, HubdCommitPayload *payload);

G_END_DECLS
