/* hubd-endpoints-wait.h: Endpoints.Wait, a job polling one endpoint */
#pragma once

#include "hubd-plugin.h"

G_BEGIN_DECLS

/* The Wait job, once the namespace is known; takes `api`'s reference. */
void
hubd_endpoints_wait_start(HubdService *service,
			  GDBusMethodInvocation *invocation,
			  HubdHubApi *api,
			  const gchar *namespace_,
			  const gchar *name,
			  guint timeout_s);

G_END_DECLS
