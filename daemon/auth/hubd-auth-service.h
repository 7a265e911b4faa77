/* hubd-auth-service.h: org.hubd.Hub1.Auth — login, stored tokens, whoami */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_AUTH_SERVICE (hubd_auth_service_get_type())
G_DECLARE_FINAL_TYPE(HubdAuthService, hubd_auth_service, HUBD, AUTH_SERVICE, HubdService)

/* A name a token may be stored under (Login, LoginWeb): 1 to 100 characters,
 * no brackets or line breaks; INVALID_ARGUMENT otherwise. */
gboolean
hubd_auth_service_check_name(const gchar *name, GError **error);

G_END_DECLS
