/* hubd-daemon.h: owns the bus name and the Unix socket, the services and the plugins */
#pragma once

#include <gio/gio.h>

#include "hubd-cache.h"
#include "hubd-config.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"
#include "hubd-service.h"
#include "hubd-token-store.h"

G_BEGIN_DECLS

#define HUBD_BUS_NAME "org.hubd.Hub1"

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

HubdConfig *
hubd_daemon_get_config(HubdDaemon *self);
const gchar *
hubd_daemon_get_endpoint(HubdDaemon *self);
/* The one Hub client and the one token store, shared by every service. */
HubdHubClient *
hubd_daemon_get_hub_client(HubdDaemon *self);
HubdTokenStore *
hubd_daemon_get_token_store(HubdDaemon *self);
/* The Hub API over that client: every Hub endpoint a service calls. */
HubdHubApi *
hubd_daemon_get_hub_api(HubdDaemon *self);
/* The shared download cache: [cache] dir in hubd.conf, else the
 * huggingface_hub environment (see hubd_cache_new). Made on first use. */
HubdCache *
hubd_daemon_get_cache(HubdDaemon *self);
/* loaded plugin names (sorted) and plugin file name -> error for those that failed */
GStrv
hubd_daemon_dup_plugins(HubdDaemon *self);
GHashTable *
hubd_daemon_get_plugin_errors(HubdDaemon *self);
GStrv
hubd_daemon_dup_service_names(HubdDaemon *self);
const gchar *
hubd_daemon_get_socket_path(HubdDaemon *self);
gboolean
hubd_daemon_get_bus_name_owned(HubdDaemon *self);
gboolean
hubd_daemon_is_bus_connection(HubdDaemon *self, GDBusConnection *connection);
guint
hubd_daemon_get_n_peers(HubdDaemon *self);
gint64
hubd_daemon_get_start_time(HubdDaemon *self);

/* Objects below /org/hubd/Hub1 (jobs): exported through the ObjectManager
 * of every connection, present and future. */
void
hubd_daemon_export_object(HubdDaemon *self, GDBusObjectSkeleton *object);
void
hubd_daemon_unexport_object(HubdDaemon *self, const gchar *object_path);

/* Work in flight keeps the idle timer away; every hold needs a release. */
void
hubd_daemon_hold(HubdDaemon *self);
void
hubd_daemon_release(HubdDaemon *self);

G_END_DECLS
