/* hubd-cache-service.h: org.hubd.Hub1.Cache — scan and clean the shared cache */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_CACHE_SERVICE (hubd_cache_service_get_type())
G_DECLARE_FINAL_TYPE(HubdCacheService, hubd_cache_service, HUBD, CACHE_SERVICE, HubdService)

G_END_DECLS
