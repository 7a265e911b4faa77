/* hubd-storage-mirror-job.h: Storage.Mirror — a revision of a repo copied into a backend in
 * the mirror layout (docs/storage.md) */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

/* Checks the arguments (errors answer `invocation`), else answers it with a
 * new job's path and runs the job: snapshot into the cache, then blobs, the
 * tree and the ref into the backend. */
void
hubd_storage_mirror_job_start(HubdService *service,
			      GDBusMethodInvocation *invocation,
			      const gchar *repo_type,
			      const gchar *repo_id,
			      const gchar *revision,
			      const gchar *backend,
			      GVariant *options);

G_END_DECLS
