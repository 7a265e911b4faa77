/* hubd-daemon.h: owns the bus name and the Unix socket, the services and the plugins */
#pragma once

#include <gio/gio.h>

#include "libhubd/hubd-names.h"

#include "hubd-config.h"
#include "hubd-context.h"

G_BEGIN_DECLS

#define HUBD_TYPE_DAEMON (hubd_daemon_get_type())
G_DECLARE_FINAL_TYPE(HubdDaemon, hubd_daemon, HUBD, DAEMON, GObject)

typedef enum {
	HUBD_DAEMON_FLAG_NONE = 0,
	HUBD_DAEMON_FLAG_NO_BUS = 1 << 0,  /* serve on the socket only */
	HUBD_DAEMON_FLAG_REPLACE = 1 << 1, /* take the name (and socket) over */
} HubdDaemonFlags;

HubdDaemon *
hubd_daemon_new(HubdConfig *config, HubdDaemonFlags flags);

/* Before hubd_daemon_run(): where to listen (NULL = $XDG_RUNTIME_DIR/hubd/bus),
 * where plugins live, and the idle timeout in seconds (0 = never). */
void
hubd_daemon_set_socket_path(HubdDaemon *self, const gchar *path);
void
hubd_daemon_set_plugin_dir(HubdDaemon *self, const gchar *dir);
void
hubd_daemon_set_idle_timeout(HubdDaemon *self, guint seconds);

/* Loads plugins, starts services, listens, owns the name, and runs the main
 * loop until hubd_daemon_stop(). Returns the process exit code. */
gint
hubd_daemon_run(HubdDaemon *self, GError **error);
/* Unexports everything, releases the name and the socket, ends run(). */
void
hubd_daemon_stop(HubdDaemon *self, gint exit_code);

/* The daemon as its services and plugins see it. */
HubdContext *
hubd_daemon_get_context(HubdDaemon *self);

G_END_DECLS
