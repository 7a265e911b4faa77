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

#define HUBD_ENDPOINTS_IFACE "org.hubd.Hub1.Endpoints"

/* hubd-endpoints-watch.c: Watch, Unwatch and StatusChanged */
typedef struct _HubdEndpointsWatch HubdEndpointsWatch;
HubdEndpointsWatch *
hubd_endpoints_watch_new(HubdService *service);
void
hubd_endpoints_watch_free(HubdEndpointsWatch *watch);
void
hubd_endpoints_watch_add(HubdEndpointsWatch *watch,
			 GDBusMethodInvocation *invocation,
			 HubdHubApi *api,
			 const gchar *namespace_,
			 const gchar *name);
void
hubd_endpoints_watch_remove(HubdEndpointsWatch *watch,
			    GDBusMethodInvocation *invocation,
			    const gchar *namespace_,
			    const gchar *name);

G_END_DECLS
