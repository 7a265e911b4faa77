/* hubd-upload-progress.h: an upload's progress — byte counts from worker
 * threads moved into its job on the main loop */
#pragma once

#include "hubd-commit-ops.h"
#include "hubd-job.h"

G_BEGIN_DECLS

typedef struct _HubdUploadProgress HubdUploadProgress;

/* Moves the counts into `job` every 100 ms from the first phase until
 * stopped: BytesDone, and the job's Files entry of every add whose progress
 * is active. */
HubdUploadProgress *
hubd_upload_progress_new(HubdJob *job, HubdCommitOps *ops);
void
hubd_upload_progress_free(HubdUploadProgress *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdUploadProgress, hubd_upload_progress_free)

/* The bytes of the current phase; worker threads add to it atomically. It
 * lives as long as the progress. */
gint64 *
hubd_upload_progress_get_counter(HubdUploadProgress *self);
/* Moves the counts now. */
void
hubd_upload_progress_sync(HubdUploadProgress *self);
/* A new phase; with `reset`, BytesDone (and every file's count) starts
 * again from 0 against `bytes_total` (hashing counts bytes read; uploading
 * and committing together count the bytes sent). */
void
hubd_upload_progress_phase(HubdUploadProgress *self,
			   const gchar *phase,
			   gboolean reset,
			   guint64 bytes_total);
/* No more moves on a timer (the job has ended). */
void
hubd_upload_progress_stop(HubdUploadProgress *self);

G_END_DECLS
