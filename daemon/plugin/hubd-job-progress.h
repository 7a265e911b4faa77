/* hubd-job-progress.h: a job's progress bookkeeping — bytes, files, the rate, the files in flight
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What HubdJob shows as BytesDone/Total, FilesDone/Total, Rate,
 * ExpectedEndTime and Files: plain numbers, no D-Bus and no timers, so
 * HubdJob is left with publishing them and with the job's life. Main thread
 * only, as the job's own calls. */
typedef struct _HubdJobProgress HubdJobProgress;

HubdJobProgress *
hubd_job_progress_new(void);
void
hubd_job_progress_free(HubdJobProgress *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdJobProgress, hubd_job_progress_free)

void
hubd_job_progress_set_totals(HubdJobProgress *self, guint64 bytes_total, guint files_total);
/* `delta` may be negative (work restarts); BytesDone never goes below 0 */
void
hubd_job_progress_add_bytes(HubdJobProgress *self, gint64 delta);
void
hubd_job_progress_add_files(HubdJobProgress *self, guint n);
void
hubd_job_progress_add_bytes_total(HubdJobProgress *self, guint64 delta);

guint64
hubd_job_progress_get_bytes_done(HubdJobProgress *self);
guint64
hubd_job_progress_get_bytes_total(HubdJobProgress *self);
guint
hubd_job_progress_get_files_done(HubdJobProgress *self);
guint
hubd_job_progress_get_files_total(HubdJobProgress *self);

/* Files in flight, by path: begin lists (or restarts) one, progress moves it
 * and BytesDone together, end drops it (FALSE when it was not listed). */
void
hubd_job_progress_file_begin(HubdJobProgress *self, const gchar *path, guint64 total);
void
hubd_job_progress_file_progress(HubdJobProgress *self, const gchar *path, gint64 delta);
gboolean
hubd_job_progress_file_end(HubdJobProgress *self, const gchar *path);
/* drops every file in flight (the job ended) */
void
hubd_job_progress_end_files(HubdJobProgress *self);
/* a(stt): the most recently active files, in the order they began */
GVariant *
hubd_job_progress_files_variant(HubdJobProgress *self);

/* Samples BytesDone at `now` (monotonic µs) and returns the rate in bytes a
 * second over the last few seconds (0 after a restart or with one sample). */
guint64
hubd_job_progress_sample_rate(HubdJobProgress *self, gint64 now);
/* `real_now` (µs since the epoch) plus the time the bytes left take at the
 * last rate; 0 when not known. */
guint64
hubd_job_progress_expected_end(HubdJobProgress *self, gint64 real_now);

G_END_DECLS
