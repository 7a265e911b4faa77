/* hubd-local-dir.h: huggingface_hub's local_dir mode — real files plus
 * .cache/huggingface/download/<path>.metadata (docs/hub-download.md §8) */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* <local_dir>/<filename> */
gchar *
hubd_local_dir_file_path(const gchar *local_dir, const gchar *filename);

/* TRUE when <local_dir>/<filename> exists and its metadata records `etag`
 * (NULL: any etag) and is not older than the file (mtime − 1 s ≤ recorded
 * timestamp, as huggingface_hub). `commit_out` (optional) gets the recorded
 * commit. Synchronous: worker threads only. */
gboolean
hubd_local_dir_is_current(const gchar *local_dir,
			  const gchar *filename,
			  const gchar *etag,
			  gchar **commit_out);

/* Where a download into local_dir is written first, as huggingface_hub:
 * .cache/huggingface/download/<dirs>/<urlsafe-b64(sha1(<base>.metadata))>.<etag>.incomplete */
gchar *
hubd_local_dir_incomplete_path(const gchar *local_dir, const gchar *filename, const gchar *etag);

/* flock(LOCK_EX) on .cache/huggingface/download/<path>.lock, polling until
 * free or `cancellable` fires; returns the fd to close, or -1. Creates the
 * folders (and .gitignore, CACHEDIR.TAG) a download needs. Worker threads
 * only. */
gint
hubd_local_dir_lock(const gchar *local_dir,
		    const gchar *filename,
		    GCancellable *cancellable,
		    GError **error);

/* Copies `blob_path` (NULL: the file is already in place) to <local_dir>/<filename> (through a
 * temporary file renamed into place) and writes its metadata: commit, etag, timestamp. Synchronous:
 * worker threads only. */
gboolean
hubd_local_dir_install(const gchar *local_dir,
		       const gchar *filename,
		       const gchar *blob_path,
		       const gchar *commit,
		       const gchar *etag,
		       GCancellable *cancellable,
		       GError **error);

G_END_DECLS
