/* hubd-sync-service.h: org.hubd.Hub1.Sync — rules that keep copies of repos in sync */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_SYNC_SERVICE (hubd_sync_service_get_type())
G_DECLARE_FINAL_TYPE(HubdSyncService, hubd_sync_service, HUBD, SYNC_SERVICE, HubdService)

G_END_DECLS
