/* hubd-auth-service.h: org.hubd.Hub1.Auth — login, stored tokens, whoami */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_AUTH_SERVICE (hubd_auth_service_get_type())
G_DECLARE_FINAL_TYPE(HubdAuthService, hubd_auth_service, HUBD, AUTH_SERVICE, HubdService)

G_END_DECLS
