/* hubd-endpoints-watch.h: Endpoints.Watch, Unwatch and StatusChanged */
#pragma once

#include "hubd-plugin.h"

G_BEGIN_DECLS

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
