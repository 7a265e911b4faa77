/* hubd-socket-server.h: peer-to-peer D-Bus on a Unix socket, same uid only */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUBD_TYPE_SOCKET_SERVER (hubd_socket_server_get_type())
G_DECLARE_FINAL_TYPE(HubdSocketServer, hubd_socket_server, HUBD, SOCKET_SERVER, GObject)

/* The default path: $XDG_RUNTIME_DIR/hubd/bus. */
gchar *
hubd_socket_server_default_path(void);

/* Listens on `path` (directory created 0700, socket 0600). A live socket
 * there (another hubd answers) is an error unless `replace`; a stale one is
 * removed. Emits "new-connection" (GDBusConnection*) for each authenticated peer. */
HubdSocketServer *
hubd_socket_server_new(const gchar *path, gboolean replace, GError **error);
const gchar *
hubd_socket_server_get_path(HubdSocketServer *self);
/* Stops listening and removes the socket file if it is still ours. */
void
hubd_socket_server_stop(HubdSocketServer *self);

G_END_DECLS
