/* hubd-access-service.h: org.hubd.Hub1.Access — gated repositories' access requests */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_ACCESS_SERVICE (hubd_access_service_get_type())
G_DECLARE_FINAL_TYPE(HubdAccessService, hubd_access_service, HUBD, ACCESS_SERVICE, HubdService)

G_END_DECLS
