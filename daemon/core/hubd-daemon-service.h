/* hubd-daemon-service.h: org.hubd.Hub1.Daemon — version, endpoint, plugins, status */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_DAEMON_SERVICE (hubd_daemon_service_get_type())
G_DECLARE_FINAL_TYPE(HubdDaemonService, hubd_daemon_service, HUBD, DAEMON_SERVICE, HubdService)

/* GetStatus's answer for a call that came on `caller`: what only the daemon
 * knows (its connections, the name, the plugins that failed). */
typedef GVariant *(*HubdDaemonStatusFunc)(GDBusConnection *caller, gpointer user_data);

HubdDaemonService *
hubd_daemon_service_new(HubdContext *context,
			const gchar *const *plugins,
			HubdDaemonStatusFunc status_func,
			gpointer status_data);

G_END_DECLS
