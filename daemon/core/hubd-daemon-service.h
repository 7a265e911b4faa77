/* hubd-daemon-service.h: org.hubd.Hub1.Daemon — version, endpoint, plugins, status */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_DAEMON_SERVICE (hubd_daemon_service_get_type())
G_DECLARE_FINAL_TYPE(HubdDaemonService, hubd_daemon_service, HUBD, DAEMON_SERVICE, HubdService)

G_END_DECLS
