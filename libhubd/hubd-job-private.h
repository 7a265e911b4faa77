/* hubd-job-private.h: making a HubdJob for a job path a call returned (not installed) */
#pragma once

#include "hubd-client.h"
#include "hubd-job.h"

G_BEGIN_DECLS

/* Copies what a HubdDbusJob proxy of this job knows into it, notifying and
 * emitting ::progress; the proxies of a wait feed it too. */
void
hubd_job_update(HubdJob *self, gpointer proxy);
HubdClient *
hubd_job_get_client(HubdJob *self);
/* Keeps the Result of Completed (a non-empty a{sv}) */
void
hubd_job_set_result(HubdJob *self, GVariant *result);
/* The job's own HubdDbusJob proxy */
gpointer
hubd_job_get_proxy(HubdJob *self);

G_END_DECLS
