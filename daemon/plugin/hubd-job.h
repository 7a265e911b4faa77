/* hubd-job.h: one org.hubd.Hub1.Job object — progress, Cancel, Completed, linger */
#pragma once

#include <gio/gio.h>

#include "libhubd/hubd-names.h"

G_BEGIN_DECLS

typedef struct _HubdContext HubdContext;

/* HUBD_JOB_PATH_PREFIX (jobs are exported at it and a number) is in
 * libhubd/hubd-names.h, shared with every client. */

/**
 * HubdJob:
 *
 * One `org.hubd.Hub1.Job` object: long work (a transfer) that a method
 * returns at once, with progress properties, `Cancel()` and a `Completed`
 * signal, as UDisks2 and PackageKit jobs are.
 *
 * Since: 0.1
 */
#define HUBD_TYPE_JOB (hubd_job_get_type())
G_DECLARE_FINAL_TYPE(HubdJob, hubd_job, HUBD, JOB, GObject)

HubdJob *
hubd_job_new(HubdContext *context, const gchar *kind, const gchar *description);

void
hubd_job_set_owner(HubdJob *self, GDBusMethodInvocation *invocation);

void
hubd_job_add_repo(HubdJob *self,
		  const gchar *repo_type,
		  const gchar *repo_id,
		  const gchar *revision);

void
hubd_job_set_cancelable(HubdJob *self, gboolean cancelable);

const gchar *
hubd_job_get_object_path(HubdJob *self);
const gchar *
hubd_job_get_kind(HubdJob *self);
GCancellable *
hubd_job_get_cancellable(HubdJob *self);
gboolean
hubd_job_is_finished(HubdJob *self);

void
hubd_job_set_phase(HubdJob *self, const gchar *phase);

void
hubd_job_set_totals(HubdJob *self, guint64 bytes_total, guint files_total);
void
hubd_job_add_bytes(HubdJob *self, gint64 delta);
void
hubd_job_add_files(HubdJob *self, guint n);
void
hubd_job_add_bytes_total(HubdJob *self, guint64 delta);
guint64
hubd_job_get_bytes_done(HubdJob *self);

void
hubd_job_file_begin(HubdJob *self, const gchar *path, guint64 total);
void
hubd_job_file_progress(HubdJob *self, const gchar *path, gint64 delta);
void
hubd_job_file_end(HubdJob *self, const gchar *path);

void
hubd_job_complete(HubdJob *self, GVariant *result);
void
hubd_job_fail(HubdJob *self, GError *error);

/* The daemon's own: the jobs still exported, oldest first. */
GStrv
hubd_job_dup_paths(HubdContext *context);

G_END_DECLS
