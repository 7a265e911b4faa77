/* hubd-endpoints-plugin.h: what the endpoints plugin's files share */
#pragma once

#include "hubd-plugin.h"

G_BEGIN_DECLS

/* [endpoints] api= (default HUBD_HUB_API_ENDPOINTS_DEFAULT) */
gchar *
hubd_endpoints_api_base(HubdService *service);
/* [endpoints] poll-interval-ms= (default 5000, as huggingface_hub's wait) */
guint
hubd_endpoints_poll_interval_ms(HubdService *service);

/* hubd-endpoints-wait.c: the Wait job, once the namespace is known; takes
 * `api`'s reference. */
void
hubd_endpoints_wait_start(HubdService *service,
			  GDBusMethodInvocation *invocation,
			  HubdHubApi *api,
			  const gchar *namespace_,
			  const gchar *name,
			  guint timeout_s);

G_END_DECLS
