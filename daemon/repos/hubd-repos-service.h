/* hubd-repos-service.h: org.hubd.Hub1.Repos — create, inspect and manage repositories */
#pragma once

#include "hubd-dbus-generated.h"
#include "hubd-hub-api.h"
#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_REPOS_SERVICE (hubd_repos_service_get_type())
G_DECLARE_FINAL_TYPE(HubdReposService, hubd_repos_service, HUBD, REPOS_SERVICE, HubdService)

/* For the read side (hubd-repos-read.c), which the service connects: */
HubdHubApi *
hubd_repos_service_get_api(HubdReposService *self);
HubdDbusRepos *
hubd_repos_service_get_skeleton(HubdReposService *self);
/* A call in flight: the service is busy and the daemon does not exit on
 * idle until the matching release. */
void
hubd_repos_service_hold(HubdReposService *self);
void
hubd_repos_service_release(HubdReposService *self);

G_END_DECLS
