/* hubd-endpoints-config.h: the endpoints plugin's interface name and its [endpoints] settings */
#pragma once

#include "hubd-plugin.h"

G_BEGIN_DECLS

#define HUBD_ENDPOINTS_IFACE "org.hubd.Hub1.Endpoints"

/* [endpoints] api= (default HUBD_HUB_API_ENDPOINTS_DEFAULT) */
gchar *
hubd_endpoints_api_base(HubdService *service);
/* [endpoints] poll-interval-ms= (default 5000, as huggingface_hub's wait) */
guint
hubd_endpoints_poll_interval_ms(HubdService *service);

G_END_DECLS
