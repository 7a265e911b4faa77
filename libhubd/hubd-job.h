/* hubd-job.h: HubdJob — a job in hubd (a download, an upload, …): progress, wait, cancel */
#pragma once

#include <gio/gio.h>

#include "hubd-client.h"

G_BEGIN_DECLS

#define HUBD_TYPE_JOB (hubd_job_get_type())
G_DECLARE_FINAL_TYPE(HubdJob, hubd_job, HUBD, JOB, GObject)

/* A job a call returned the path of (hubd_client_call()) */
void
hubd_job_new(HubdClient *client,
	     const gchar *object_path,
	     GCancellable *cancellable,
	     GAsyncReadyCallback callback,
	     gpointer user_data);
HubdJob *
hubd_job_new_finish(GAsyncResult *result, GError **error);
HubdJob *
hubd_job_new_sync(HubdClient *client,
		  const gchar *object_path,
		  GCancellable *cancellable,
		  GError **error);

const gchar *
hubd_job_get_object_path(HubdJob *self);
const gchar *
hubd_job_get_kind(HubdJob *self);
const gchar *
hubd_job_get_state(HubdJob *self);
const gchar *
hubd_job_get_phase(HubdJob *self);
const gchar *
hubd_job_get_description(HubdJob *self);
guint64
hubd_job_get_bytes_done(HubdJob *self);
guint64
hubd_job_get_bytes_total(HubdJob *self);
guint
hubd_job_get_files_done(HubdJob *self);
guint
hubd_job_get_files_total(HubdJob *self);
guint64
hubd_job_get_rate(HubdJob *self);
guint64
hubd_job_get_waiting_until(HubdJob *self);
const gchar *
hubd_job_get_current_file(HubdJob *self);
GVariant *
hubd_job_get_files(HubdJob *self);
GVariant *
hubd_job_get_result(HubdJob *self);

void
hubd_job_wait(HubdJob *self,
	      GCancellable *cancellable,
	      GAsyncReadyCallback callback,
	      gpointer user_data);
GFile *
hubd_job_wait_finish(HubdJob *self, GAsyncResult *result, GError **error);
GFile *
hubd_job_wait_sync(HubdJob *self, GCancellable *cancellable, GError **error);

void
hubd_job_cancel(HubdJob *self,
		GCancellable *cancellable,
		GAsyncReadyCallback callback,
		gpointer user_data);
gboolean
hubd_job_cancel_finish(HubdJob *self, GAsyncResult *result, GError **error);
gboolean
hubd_job_cancel_sync(HubdJob *self, GCancellable *cancellable, GError **error);

G_END_DECLS
