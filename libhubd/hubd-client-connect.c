/* hubd-client-connect.c: how a HubdClient finds hubd — socket, session bus, or the default socket
 *
 * Async all the way, so that hubd_client_new() never blocks the caller's main
 * loop and the _sync version can bound the socket handshake in time. */
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubd-client-private.h"

typedef struct {
	gchar *socket_path;
	GCancellable *handshake; /* cancelled by the caller's cancellable or the timeout */
	gulong cancelled_id;
	GSource *timeout;
	gboolean timed_out;
	gboolean has_owner;
} HubdConnect;

static void
hubd_connect_free(HubdConnect *c)
{
	if (c->timeout != NULL) {
		g_source_destroy(c->timeout);
		g_source_unref(c->timeout);
	}
	g_free(c->socket_path);
	g_clear_object(&c->handshake);
	g_free(c);
}

static gboolean
hubd_connect_timeout_cb(gpointer user_data)
{
	HubdConnect *c = user_data;

	c->timed_out = TRUE;
	g_cancellable_cancel(c->handshake);
	return G_SOURCE_REMOVE;
}

static void
hubd_connect_socket_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	HubdConnect *c = g_task_get_task_data(task);
	HubdClient *self = g_task_get_source_object(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) connection =
		g_dbus_connection_new_for_address_finish(res, &error);
	GStatBuf st;

	g_cancellable_disconnect(g_task_get_cancellable(task), c->cancelled_id);
	if (connection != NULL) {
		hubd_client_set_connection(self, connection);
		hubd_client_set_proxy_flags(self, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START);
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (c->timed_out) {
		g_task_return_new_error(
			task,
			G_IO_ERROR,
			G_IO_ERROR_TIMED_OUT,
			/* TRANSLATORS: %u is a number of seconds */
			_("no answer to the connection handshake within %u seconds"),
			(guint)HUBD_CLIENT_CONNECT_TIMEOUT_S);
		return;
	}
	/* hubd refuses other uids by hanging up during the EXTERNAL handshake,
	 * which GDBus reports as a bare protocol error: say what happened */
	if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) &&
	    g_stat(c->socket_path, &st) == 0 && st.st_uid != getuid()) {
		g_task_return_new_error(
			task,
			G_IO_ERROR,
			G_IO_ERROR_PERMISSION_DENIED,
			/* TRANSLATORS: 1: a uid number, 2: a lower-level error message */
			_("the socket belongs to uid %1$u and hubd accepts only its "
			  "own user (%2$s)"),
			(guint)st.st_uid,
			error->message);
		return;
	}
	g_task_return_error(task, g_steal_pointer(&error));
}

static void
hubd_connect_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
}

static void
hubd_connect_socket(GTask *task, const gchar *socket_path)
{
	HubdConnect *c = g_task_get_task_data(task);
	g_autofree gchar *escaped = g_dbus_address_escape_value(socket_path);
	g_autofree gchar *address = g_strdup_printf("unix:path=%s", escaped);
	GCancellable *cancellable = g_task_get_cancellable(task);

	g_free(c->socket_path);
	c->socket_path = g_strdup(socket_path);
	/* set already, so that a caller can name the socket in its error message */
	hubd_client_set_socket_path(g_task_get_source_object(task), c->socket_path);
	c->handshake = g_cancellable_new();
	if (cancellable != NULL)
		c->cancelled_id = g_cancellable_connect(cancellable,
							G_CALLBACK(hubd_connect_cancelled_cb),
							g_object_ref(c->handshake),
							g_object_unref);
	c->timeout = g_timeout_source_new_seconds(HUBD_CLIENT_CONNECT_TIMEOUT_S);
	g_source_set_callback(c->timeout, hubd_connect_timeout_cb, c, NULL);
	g_source_attach(c->timeout, g_main_context_get_thread_default());
	g_dbus_connection_new_for_address(address,
					  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
					  NULL,
					  c->handshake,
					  hubd_connect_socket_cb,
					  task);
}

static void
hubd_connect_activatable_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	HubdConnect *c = g_task_get_task_data(task);
	HubdClient *self = g_task_get_source_object(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
	g_autoptr(GVariant) list = NULL;
	g_autofree const gchar **names = NULL;
	gboolean can_activate;

	if (reply == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	/* not g_variant_get(&names): gcc's analyzer then loses the NULL above */
	list = g_variant_get_child_value(reply, 0);
	names = g_variant_get_strv(list, NULL);
	can_activate = g_strv_contains(names, HUBD_BUS_NAME);
	hubd_client_set_proxy_flags(self,
				    can_activate ? G_DBUS_PROXY_FLAGS_NONE
						 : G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START);
	if (!c->has_owner && !can_activate) {
		g_task_return_new_error(
			task,
			G_DBUS_ERROR,
			G_DBUS_ERROR_NAME_HAS_NO_OWNER,
			_("%s is not running and no D-Bus service file can start it"),
			HUBD_BUS_NAME);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/* The name must be owned or activatable; otherwise the first call would fail
 * with a less helpful ServiceUnknown, or auto-start something that is not there. */
static void
hubd_connect_has_owner_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	HubdConnect *c = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
	GCancellable *cancellable;

	if (reply == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_variant_get(reply, "(b)", &c->has_owner);
	/* (the cancellable is read before the task is handed over) */
	cancellable = g_task_get_cancellable(task);
	g_dbus_connection_call(G_DBUS_CONNECTION(source),
			       "org.freedesktop.DBus",
			       "/org/freedesktop/DBus",
			       "org.freedesktop.DBus",
			       "ListActivatableNames",
			       NULL,
			       G_VARIANT_TYPE("(as)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       cancellable,
			       hubd_connect_activatable_cb,
			       g_steal_pointer(&task));
}

static void
hubd_connect_bus_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	HubdClient *self = g_task_get_source_object(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) connection = g_bus_get_finish(res, &error);
	g_autofree gchar *default_socket = hubd_default_socket_path();
	const gchar *env = g_getenv("DBUS_SESSION_BUS_ADDRESS");
	GCancellable *cancellable = g_task_get_cancellable(task);

	if (connection == NULL) {
		g_debug("no session bus: %s", error->message);
		if ((env != NULL && env[0] != '\0') ||
		    !g_file_test(default_socket, G_FILE_TEST_EXISTS) ||
		    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		g_debug("using %s", default_socket);
		hubd_connect_socket(g_steal_pointer(&task), default_socket);
		return;
	}
	/* a vanished bus must become an error in the app, not its silent exit */
	g_dbus_connection_set_exit_on_close(connection, FALSE);
	hubd_client_set_connection(self, connection);
	g_dbus_connection_call(connection,
			       "org.freedesktop.DBus",
			       "/org/freedesktop/DBus",
			       "org.freedesktop.DBus",
			       "NameHasOwner",
			       g_variant_new("(s)", HUBD_BUS_NAME),
			       G_VARIANT_TYPE("(b)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       cancellable,
			       hubd_connect_has_owner_cb,
			       g_steal_pointer(&task));
}

/* Without DBUS_SESSION_BUS_ADDRESS, GLib would try $XDG_RUNTIME_DIR/bus and
 * then X11 autolaunch; a headless hubd --no-bus is found on its socket instead. */
static gboolean
hubd_connect_should_skip_bus(const gchar *default_socket)
{
	g_autofree gchar *user_bus = NULL;
	const gchar *env = g_getenv("DBUS_SESSION_BUS_ADDRESS");

	if (env != NULL && env[0] != '\0')
		return FALSE;
	if (!g_file_test(default_socket, G_FILE_TEST_EXISTS))
		return FALSE;
	user_bus = g_build_filename(g_get_user_runtime_dir(), "bus", NULL);
	return !g_file_test(user_bus, G_FILE_TEST_EXISTS);
}

void
hubd_client_connect_async(HubdClient *self,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autofree gchar *default_socket = hubd_default_socket_path();
	const gchar *socket_path = hubd_client_get_socket_path(self);
	const gchar *env = g_getenv(HUBD_SOCKET_ENV);

	g_task_set_source_tag(task, hubd_client_connect_async);
	g_task_set_task_data(task, g_new0(HubdConnect, 1), (GDestroyNotify)hubd_connect_free);
	if (socket_path == NULL && env != NULL && env[0] != '\0')
		socket_path = env;
	if (socket_path != NULL) {
		hubd_connect_socket(g_steal_pointer(&task), socket_path);
		return;
	}
	if (hubd_connect_should_skip_bus(default_socket)) {
		g_debug("no session bus, using %s", default_socket);
		hubd_connect_socket(g_steal_pointer(&task), default_socket);
		return;
	}
	g_bus_get(G_BUS_TYPE_SESSION, cancellable, hubd_connect_bus_cb, g_steal_pointer(&task));
}

gboolean
hubd_client_connect_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}
