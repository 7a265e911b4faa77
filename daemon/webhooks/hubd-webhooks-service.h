/* hubd-webhooks-service.h: org.hubd.Hub1.Webhooks — deliveries as signals, webhooks on the Hub */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_WEBHOOKS_SERVICE (hubd_webhooks_service_get_type())
G_DECLARE_FINAL_TYPE(HubdWebhooksService,
		     hubd_webhooks_service,
		     HUBD,
		     WEBHOOKS_SERVICE,
		     HubdService)

G_END_DECLS
