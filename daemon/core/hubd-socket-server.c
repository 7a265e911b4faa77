/* hubd-socket-server.c: peer-to-peer D-Bus on a Unix socket, same uid only */
#define G_LOG_DOMAIN "HubdSocket"

#include "hubd-socket-server.h"

#include <errno.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libhubd/hubd-names.h"

#include "hubd-error.h"

struct _HubdSocketServer {
	GObject parent_instance;
	gchar *path;
	/* not GDBusServer: it unlinks its path when stopped, which would delete
	 * the socket of a daemon that replaced us */
	GSocketService *service;
	GDBusAuthObserver *observer;
	gchar *guid;
	dev_t dev; /* identity of the socket file we created, to never unlink another's */
	ino_t ino;
};

G_DEFINE_TYPE(HubdSocketServer, hubd_socket_server, G_TYPE_OBJECT)

enum { SIGNAL_NEW_CONNECTION, N_SIGNALS };
static guint signals[N_SIGNALS];

gchar *
hubd_socket_server_default_path(void)
{
	return hubd_default_socket_path();
}

static gboolean
hubd_socket_server_allow_mechanism_cb(GDBusAuthObserver *observer,
				      const gchar *mechanism,
				      gpointer user_data)
{
	/* EXTERNAL carries the kernel-checked uid; nothing else is acceptable */
	return g_strcmp0(mechanism, "EXTERNAL") == 0;
}

static gboolean
hubd_socket_server_authorize_cb(GDBusAuthObserver *observer,
				GIOStream *stream,
				GCredentials *credentials,
				gpointer user_data)
{
	g_autoptr(GError) error_local = NULL;
	uid_t uid;

	if (credentials == NULL) {
		g_message("refused a socket peer without credentials");
		return FALSE;
	}
	uid = g_credentials_get_unix_user(credentials, &error_local);
	if (uid == (uid_t)-1 || uid != getuid()) {
		g_message("refused a socket peer with uid %d", (gint)uid);
		return FALSE;
	}
	return TRUE;
}

static void
hubd_socket_server_connection_ready_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdSocketServer) self = HUBD_SOCKET_SERVER(user_data);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GDBusConnection) connection = g_dbus_connection_new_finish(res, &error_local);

	if (connection == NULL) {
		/* a peer of another uid, or one that hung up during the handshake */
		g_debug("refused a socket peer: %s", error_local->message);
		return;
	}
	if (self->service == NULL) {
		g_dbus_connection_close(connection, NULL, NULL, NULL);
		return;
	}
	g_debug("new peer connection");
	/* objects are exported before the first message is processed */
	g_signal_emit(self, signals[SIGNAL_NEW_CONNECTION], 0, connection);
	g_dbus_connection_start_message_processing(connection);
}

static gboolean
hubd_socket_server_incoming_cb(GSocketService *service,
			       GSocketConnection *stream,
			       GObject *source_object,
			       gpointer user_data)
{
	HubdSocketServer *self = HUBD_SOCKET_SERVER(user_data);

	g_dbus_connection_new(G_IO_STREAM(stream),
			      self->guid,
			      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER |
				      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_REQUIRE_SAME_USER |
				      G_DBUS_CONNECTION_FLAGS_DELAY_MESSAGE_PROCESSING,
			      self->observer,
			      NULL,
			      hubd_socket_server_connection_ready_cb,
			      g_object_ref(self));
	return TRUE;
}

static void
hubd_socket_server_finalize(GObject *object)
{
	HubdSocketServer *self = HUBD_SOCKET_SERVER(object);

	hubd_socket_server_stop(self);
	g_free(self->path);
	g_free(self->guid);
	g_clear_object(&self->observer);
	G_OBJECT_CLASS(hubd_socket_server_parent_class)->finalize(object);
}

static void
hubd_socket_server_class_init(HubdSocketServerClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_socket_server_finalize;
	signals[SIGNAL_NEW_CONNECTION] = g_signal_new("new-connection",
						      G_TYPE_FROM_CLASS(klass),
						      G_SIGNAL_RUN_LAST,
						      0,
						      NULL,
						      NULL,
						      NULL,
						      G_TYPE_NONE,
						      1,
						      G_TYPE_DBUS_CONNECTION);
}

static void
hubd_socket_server_init(HubdSocketServer *self)
{
}

/* TRUE if something accepts connections at `path` right now. A local
 * connect() answers at once, so this is fine before the main loop runs. */
static gboolean
hubd_socket_server_is_alive(const gchar *path)
{
	g_autoptr(GSocketClient) client = g_socket_client_new();
	g_autoptr(GSocketAddress) address = g_unix_socket_address_new(path);
	g_autoptr(GSocketConnection) connection = NULL;

	connection = g_socket_client_connect(client, G_SOCKET_CONNECTABLE(address), NULL, NULL);
	return connection != NULL;
}

static gboolean
hubd_socket_server_prepare_path(const gchar *path, gboolean replace, GError **error)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	GStatBuf st;

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Cannot create the socket directory %s: %s"),
			    dir,
			    g_strerror(errno));
		return FALSE;
	}
	/* the directory is the first line of defence: only we may enter it */
	if (g_chmod(dir, 0700) != 0) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Cannot restrict the socket directory %s: %s"),
			    dir,
			    g_strerror(errno));
		return FALSE;
	}
	if (g_lstat(path, &st) != 0)
		return TRUE;
	if (!S_ISSOCK(st.st_mode)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("%s exists and is not a socket; not touching it"),
			    path);
		return FALSE;
	}
	if (hubd_socket_server_is_alive(path) && !replace) {
		g_set_error(
			error,
			HUBD_ERROR,
			HUBD_ERROR_FAILED,
			_("Another hubd is already listening on %s (use --replace to take over)"),
			path);
		return FALSE;
	}
	g_debug("removing %s socket %s", replace ? "replaced" : "stale", path);
	if (g_unlink(path) != 0 && errno != ENOENT) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Cannot remove the old socket %s: %s"),
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

HubdSocketServer *
hubd_socket_server_new(const gchar *path, gboolean replace, GError **error)
{
	g_autoptr(HubdSocketServer) self = g_object_new(HUBD_TYPE_SOCKET_SERVER, NULL);
	g_autoptr(GSocketAddress) address = NULL;
	GStatBuf st;

	self->path = g_strdup(path);
	self->guid = g_dbus_generate_guid();
	if (!hubd_socket_server_prepare_path(path, replace, error))
		return NULL;

	self->observer = g_dbus_auth_observer_new();
	g_signal_connect(self->observer,
			 "allow-mechanism",
			 G_CALLBACK(hubd_socket_server_allow_mechanism_cb),
			 self);
	g_signal_connect(self->observer,
			 "authorize-authenticated-peer",
			 G_CALLBACK(hubd_socket_server_authorize_cb),
			 self);

	self->service = g_socket_service_new();
	address = g_unix_socket_address_new(path);
	if (!g_socket_listener_add_address(G_SOCKET_LISTENER(self->service),
					   address,
					   G_SOCKET_TYPE_STREAM,
					   G_SOCKET_PROTOCOL_DEFAULT,
					   NULL,
					   NULL,
					   error)) {
		g_prefix_error(error, _("Cannot listen on %s: "), path);
		hubd_error_convert(error);
		g_clear_object(&self->service);
		return NULL;
	}
	if (g_chmod(path, 0600) != 0 || g_lstat(path, &st) != 0) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Cannot restrict the socket %s: %s"),
			    path,
			    g_strerror(errno));
		return NULL;
	}
	self->dev = st.st_dev;
	self->ino = st.st_ino;
	g_signal_connect(self->service,
			 "incoming",
			 G_CALLBACK(hubd_socket_server_incoming_cb),
			 self);
	g_socket_service_start(self->service);
	g_debug("listening on %s", path);
	return g_steal_pointer(&self);
}

const gchar *
hubd_socket_server_get_path(HubdSocketServer *self)
{
	g_return_val_if_fail(HUBD_IS_SOCKET_SERVER(self), NULL);
	return self->path;
}

void
hubd_socket_server_stop(HubdSocketServer *self)
{
	GStatBuf st;

	g_return_if_fail(HUBD_IS_SOCKET_SERVER(self));
	if (self->service == NULL)
		return;
	g_socket_service_stop(self->service);
	g_socket_listener_close(G_SOCKET_LISTENER(self->service));
	g_clear_object(&self->service);
	/* after a --replace the path belongs to the new daemon: leave it */
	if (g_lstat(self->path, &st) == 0 && st.st_dev == self->dev && st.st_ino == self->ino)
		g_unlink(self->path);
}
