/* hubd-transfers-service.h: org.hubd.Hub1.Transfers — downloads and uploads as jobs */
#pragma once

#include "hubd-cache.h"
#include "hubd-dbus-generated.h"
#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_TRANSFERS_SERVICE (hubd_transfers_service_get_type())
G_DECLARE_FINAL_TYPE(HubdTransfersService,
		     hubd_transfers_service,
		     HUBD,
		     TRANSFERS_SERVICE,
		     HubdService)

G_END_DECLS
