/* hubd-storage-publish-job.h: Storage.Publish — objects of a backend uploaded to a repo in one
 * commit, streamed from the backend (docs/storage.md, "Publishing") */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

/* Checks the arguments (errors answer `invocation`), else answers it with a
 * new job's path and runs the job: find the object or the objects under the
 * prefix, then upload them as Transfers.Upload does local files. */
void
hubd_storage_publish_job_start(HubdService *service,
			       GDBusMethodInvocation *invocation,
			       const gchar *backend,
			       const gchar *key_or_prefix,
			       const gchar *repo_type,
			       const gchar *repo_id,
			       const gchar *path_in_repo,
			       GVariant *options);

G_END_DECLS
