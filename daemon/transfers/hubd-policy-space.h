/* hubd-policy-space.h: the publishing policy's `[policy] require-space`: a model is
 * published only with a running Space linked to it */
#pragma once

#include "hubd-hub-api.h"

G_BEGIN_DECLS

typedef struct _HubdContext HubdContext;

/* TRUE when uploads of `type` need the check: a model and
 * `[policy] require-space=true`. */
gboolean
hubd_policy_space_wanted(HubdContext *context, HubdRepoType type);

/* Refuses (HUBD_ERROR_POLICY, naming what is missing) unless one of the
 * Spaces the Hub links to `model_id` (model info's `spaces`) is RUNNING. */
void
hubd_policy_space_check_async(HubdHubApi *api,
			      const gchar *model_id,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
gboolean
hubd_policy_space_check_finish(GAsyncResult *result, GError **error);

G_END_DECLS
