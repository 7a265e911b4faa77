/* hubd-sync-run.h: one run of a sync rule, as a job */
#pragma once

#include "hubd-context.h"
#include "hubd-job.h"
#include "hubd-sync-rule.h"

G_BEGIN_DECLS

/* Brings the rule's target to `commit` (already resolved from the rule's
 * branch). `rule` is read at the start only. The result is the a{sv} of the
 * job (Sync.Run: commit, changed, path, removed). */
void
hubd_sync_run_async(HubdContext *context,
		    const HubdSyncRule *rule,
		    const gchar *commit,
		    HubdJob *job,
		    GCancellable *cancellable,
		    GAsyncReadyCallback callback,
		    gpointer user_data);
GVariant *
hubd_sync_run_finish(GAsyncResult *result, GError **error);

G_END_DECLS
