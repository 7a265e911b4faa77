/* hubd-git-service.h: org.hubd.Hub1.Git — git's credential helper and the
 * git-lfs transfer agent ask hubd here */
#pragma once

#include "hubd-dbus-generated.h"
#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_GIT_SERVICE (hubd_git_service_get_type())
G_DECLARE_FINAL_TYPE(HubdGitService, hubd_git_service, HUBD, GIT_SERVICE, HubdService)

G_END_DECLS
