/* hubd-repos-service.h: org.hubd.Hub1.Repos — create, inspect and manage repositories */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_REPOS_SERVICE (hubd_repos_service_get_type())
G_DECLARE_FINAL_TYPE(HubdReposService, hubd_repos_service, HUBD, REPOS_SERVICE, HubdService)

G_END_DECLS
