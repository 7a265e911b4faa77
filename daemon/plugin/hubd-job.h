/* hubd-job.h: one org.hubd.Hub1.Job object — progress, Cancel, Completed, linger */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _HubdDaemon HubdDaemon;

#define HUBD_JOB_PATH_PREFIX "/org/hubd/Hub1/jobs/"

#define HUBD_TYPE_JOB (hubd_job_get_type())
G_DECLARE_FINAL_TYPE(HubdJob, hubd_job, HUBD, JOB, GObject)

/* Creates a job ("download", "snapshot", "upload") and exports it at once
 * at /org/hubd/Hub1/jobs/N on every connection. The daemon is held until the
 * job is unexported, [jobs] linger-seconds (default 5) after it completes.
 * The daemon keeps a reference while the job is exported. State: "queued". */
HubdJob *
hubd_job_new(HubdDaemon *daemon, const gchar *kind, const gchar *description);

/* The caller whose interest this job is: when it leaves the bus (or its
 * socket connection closes) the job is cancelled, as with Cancel(). */
void
hubd_job_set_owner(HubdJob *self, GDBusMethodInvocation *invocation);

/* Adds a repo the job works on to its Repos property: the type ("model",
 * "dataset", "space"; "" is "model"), the id and the revision ("" is
 * "main"), as the method that made the job was given them. Whoever creates
 * the job calls it once per repo, before returning the job's path. */
void
hubd_job_add_repo(HubdJob *self,
		  const gchar *repo_type,
		  const gchar *repo_id,
		  const gchar *revision);

/* Whether Cancel() may stop the job now (the Cancelable property; TRUE
 * unless set otherwise, FALSE once the job has ended). Work at a point of no
 * return sets FALSE: Cancel() is then refused with Forbidden and the owner
 * leaving does not cancel; set back to TRUE, a departure that happened
 * meanwhile cancels at once. */
void
hubd_job_set_cancelable(HubdJob *self, gboolean cancelable);

const gchar *
hubd_job_get_object_path(HubdJob *self);
const gchar *
hubd_job_get_kind(HubdJob *self);
/* Cancelled by Cancel(), by the owner leaving, or by daemon shutdown. */
GCancellable *
hubd_job_get_cancellable(HubdJob *self);
gboolean
hubd_job_is_finished(HubdJob *self);

/* State "running" and a phase ("resolving", "hashing", "uploading",
 * "downloading", "committing"). The first call sets StartTime. */
void
hubd_job_set_phase(HubdJob *self, const gchar *phase);

/* Progress; D-Bus property changes are coalesced to at most 10 per second
 * (the last values are always flushed before Completed). Rate is computed
 * here from BytesDone over a sliding window, and ExpectedEndTime from Rate
 * and the bytes left. Main thread only. */
void
hubd_job_set_totals(HubdJob *self, guint64 bytes_total, guint files_total);
void
hubd_job_add_bytes(HubdJob *self, gint64 delta); /* may be negative (restart) */
void
hubd_job_add_files(HubdJob *self, guint n);
void
hubd_job_add_bytes_total(HubdJob *self, guint64 delta);
guint64
hubd_job_get_bytes_done(HubdJob *self);

/* Per-file progress (the Files property): a file in flight, by its path in
 * the repo. file_progress also adds `delta` to BytesDone (callers do not call
 * hubd_job_add_bytes as well); with a NULL or unknown path it only does that.
 * file_end drops the file from Files. Main thread only. */
void
hubd_job_file_begin(HubdJob *self, const gchar *path, guint64 total);
void
hubd_job_file_progress(HubdJob *self, const gchar *path, gint64 delta);
void
hubd_job_file_end(HubdJob *self, const gchar *path);

/* Ends the job: sets Result (or ErrorName/ErrorMessage), the final state,
 * emits Completed, and schedules the unexport. Exactly one of these, once;
 * later calls are ignored. `result` is an a{sv} (floating refs are sunk);
 * `error` is taken, converted with hubd_error_convert; a CANCELLED error
 * gives state "cancelled". */
void
hubd_job_complete(HubdJob *self, GVariant *result);
void
hubd_job_fail(HubdJob *self, GError *error);

/* The jobs still exported by `daemon`, oldest first. */
GStrv
hubd_job_dup_paths(HubdDaemon *daemon);

G_END_DECLS
