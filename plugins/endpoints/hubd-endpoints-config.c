/* hubd-endpoints-config.c: the endpoints plugin's [endpoints] settings */
#define G_LOG_DOMAIN "HubdEndpoints"

#include "hubd-endpoints-config.h"

gchar *
hubd_endpoints_api_base(HubdService *service)
{
	return hubd_service_get_config_string(service, "api", HUBD_HUB_API_ENDPOINTS_DEFAULT);
}

guint
hubd_endpoints_poll_interval_ms(HubdService *service)
{
	return (guint)hubd_service_get_config_uint64(service, "poll-interval-ms", 10, 600000, 5000);
}
