/* hubd-storage-service.h: org.hubd.Hub1.Storage — the configured storage backends */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_STORAGE_SERVICE (hubd_storage_service_get_type())
G_DECLARE_FINAL_TYPE(HubdStorageService, hubd_storage_service, HUBD, STORAGE_SERVICE, HubdService)

G_END_DECLS
