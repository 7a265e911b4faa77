/* hubctl-context.c: how hubctl finds hubd — socket, session bus, or the default socket */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubctl.h"

#include "hubd-error.h"

struct _HubctlContext {
	gchar *socket_path; /* --socket / HUBD_SOCKET, or the default socket as a fallback */
	gchar *token_name;  /* --token-name, or NULL */
	gboolean use_socket;
	gboolean failed; /* connecting failed and the message was printed */
	GDBusConnection *connection;
	GDBusProxyFlags proxy_flags;
	HubdDbusDaemon *daemon;
};

HubctlContext *
hubctl_context_new(const gchar *socket_path, const gchar *token_name)
{
	HubctlContext *self = g_new0(HubctlContext, 1);
	const gchar *env = g_getenv("HUBD_SOCKET");

	if (socket_path == NULL && env != NULL && env[0] != '\0')
		socket_path = env;
	self->socket_path = g_strdup(socket_path);
	self->use_socket = socket_path != NULL;
	self->token_name = g_strdup(token_name);
	self->proxy_flags = G_DBUS_PROXY_FLAGS_NONE;
	/* the hint of every "cannot reach hubd" names this connection */
	hubctl_output_set_socket(self->socket_path);
	return self;
}

void
hubctl_context_free(HubctlContext *self)
{
	if (self == NULL)
		return;
	g_clear_object(&self->daemon);
	if (self->connection != NULL && self->use_socket) {
		/* flush anything queued, e.g. a Cancel(), before the process exits */
		g_dbus_connection_flush_sync(self->connection, NULL, NULL);
	}
	g_clear_object(&self->connection);
	g_free(self->socket_path);
	g_free(self->token_name);
	g_free(self);
}

static gchar *
hubctl_context_default_socket(void)
{
	return g_build_filename(g_get_user_runtime_dir(), "hubd", "bus", NULL);
}

/* The same limit as a D-Bus call's default timeout. */
#define HUBCTL_CONNECT_TIMEOUT_SECONDS 25

static void
hubctl_context_connect_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GAsyncResult **result = user_data;

	*result = g_object_ref(res);
}

static gboolean
hubctl_context_connect_timeout_cb(gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
	return G_SOURCE_REMOVE;
}

/* g_dbus_connection_new_for_address_sync() has no timeout, and a stopped or
 * wedged hubd accepts the connect() (kernel backlog) but never answers the
 * handshake: run it async under a deadline instead of hanging for ever. */
static GDBusConnection *
hubctl_context_connect_address(const gchar *address, GError **error)
{
	g_autoptr(GMainContext) main_context = g_main_context_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GSource) timeout = NULL;
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GError) error_local = NULL;
	GDBusConnection *connection;

	g_main_context_push_thread_default(main_context);
	timeout = g_timeout_source_new_seconds(HUBCTL_CONNECT_TIMEOUT_SECONDS);
	g_source_set_callback(timeout, hubctl_context_connect_timeout_cb, cancellable, NULL);
	g_source_attach(timeout, main_context);
	g_dbus_connection_new_for_address(address,
					  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
					  NULL,
					  cancellable,
					  hubctl_context_connect_cb,
					  &result);
	while (result == NULL)
		g_main_context_iteration(main_context, TRUE);
	g_source_destroy(timeout);
	connection = g_dbus_connection_new_for_address_finish(result, &error_local);
	g_main_context_pop_thread_default(main_context);
	if (connection == NULL && g_cancellable_is_cancelled(cancellable)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_TIMED_OUT,
			    /* TRANSLATORS: %u is a number of seconds */
			    _("no answer to the connection handshake within %u seconds"),
			    (guint)HUBCTL_CONNECT_TIMEOUT_SECONDS);
		return NULL;
	}
	if (connection == NULL)
		g_propagate_error(error, g_steal_pointer(&error_local));
	return connection;
}

static GDBusConnection *
hubctl_context_open_socket(HubctlContext *self, GError **error)
{
	g_autofree gchar *escaped = g_dbus_address_escape_value(self->socket_path);
	g_autofree gchar *address = g_strdup_printf("unix:path=%s", escaped);
	g_autoptr(GError) error_local = NULL;
	GDBusConnection *connection;
	GStatBuf st;

	connection = hubctl_context_connect_address(address, &error_local);
	if (connection != NULL)
		return connection;
	/* hubd refuses other uids by hanging up during the EXTERNAL handshake,
	 * which GDBus reports as a bare protocol error: say what happened */
	if (!g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
	    !g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) &&
	    !g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) &&
	    g_stat(self->socket_path, &st) == 0 && st.st_uid != getuid()) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_PERMISSION_DENIED,
			    /* TRANSLATORS: 1: a uid number, 2: a lower-level error message */
			    _("the socket belongs to uid %1$u and hubd accepts only its own user "
			      "(%2$s)"),
			    (guint)st.st_uid,
			    error_local->message);
		return NULL;
	}
	g_propagate_error(error, g_steal_pointer(&error_local));
	return NULL;
}

static gboolean
hubctl_context_strv_contains_name(GVariant *reply)
{
	g_autoptr(GVariant) names = g_variant_get_child_value(reply, 0);
	g_autofree const gchar **strv = g_variant_get_strv(names, NULL);

	return g_strv_contains(strv, HUBCTL_BUS_NAME);
}

/* The name must be owned or activatable; otherwise the first call would fail
 * with a less helpful ServiceUnknown, or auto-start something that is not there. */
static gboolean
hubctl_context_check_bus_name(HubctlContext *self, GError **error)
{
	g_autoptr(GVariant) owned = NULL;
	g_autoptr(GVariant) activatable = NULL;
	gboolean has_owner = FALSE;
	gboolean can_activate;

	owned = g_dbus_connection_call_sync(self->connection,
					    "org.freedesktop.DBus",
					    "/org/freedesktop/DBus",
					    "org.freedesktop.DBus",
					    "NameHasOwner",
					    g_variant_new("(s)", HUBCTL_BUS_NAME),
					    G_VARIANT_TYPE("(b)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    error);
	if (owned == NULL)
		return FALSE;
	g_variant_get(owned, "(b)", &has_owner);
	activatable = g_dbus_connection_call_sync(self->connection,
						  "org.freedesktop.DBus",
						  "/org/freedesktop/DBus",
						  "org.freedesktop.DBus",
						  "ListActivatableNames",
						  NULL,
						  G_VARIANT_TYPE("(as)"),
						  G_DBUS_CALL_FLAGS_NONE,
						  -1,
						  NULL,
						  error);
	if (activatable == NULL)
		return FALSE;
	can_activate = hubctl_context_strv_contains_name(activatable);
	self->proxy_flags =
		can_activate ? G_DBUS_PROXY_FLAGS_NONE : G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START;
	if (!has_owner && !can_activate) {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_NAME_HAS_NO_OWNER,
			    _("%s is not running and no D-Bus service file can start it"),
			    HUBCTL_BUS_NAME);
		return FALSE;
	}
	return TRUE;
}

/* Without DBUS_SESSION_BUS_ADDRESS, GLib would try $XDG_RUNTIME_DIR/bus and
 * then X11 autolaunch; a headless hubd --no-bus is found on its socket instead. */
static gboolean
hubctl_context_should_skip_bus(const gchar *default_socket)
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

static gboolean
hubctl_context_connect(HubctlContext *self, GError **error)
{
	g_autofree gchar *default_socket = NULL;
	g_autoptr(GError) error_bus = NULL;
	const gchar *env = g_getenv("DBUS_SESSION_BUS_ADDRESS");

	if (self->use_socket) {
		self->connection = hubctl_context_open_socket(self, error);
		return self->connection != NULL;
	}

	default_socket = hubctl_context_default_socket();
	if (!hubctl_context_should_skip_bus(default_socket)) {
		self->connection = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error_bus);
		if (self->connection != NULL) {
			/* a vanished bus must become an error message, not a silent exit */
			g_dbus_connection_set_exit_on_close(self->connection, FALSE);
			return hubctl_context_check_bus_name(self, error);
		}
		g_debug("no session bus: %s", error_bus->message);
		if ((env != NULL && env[0] != '\0') ||
		    !g_file_test(default_socket, G_FILE_TEST_EXISTS)) {
			g_propagate_error(error, g_steal_pointer(&error_bus));
			return FALSE;
		}
	}

	g_debug("no session bus, using %s", default_socket);
	self->socket_path = g_steal_pointer(&default_socket);
	self->use_socket = TRUE;
	hubctl_output_set_socket(self->socket_path);
	self->connection = hubctl_context_open_socket(self, error);
	return self->connection != NULL;
}

GDBusConnection *
hubctl_context_get_connection(HubctlContext *self)
{
	g_autoptr(GError) error = NULL;

	g_return_val_if_fail(self != NULL, NULL);

	if (self->connection != NULL)
		return self->connection;
	if (self->failed)
		return NULL;
	if (!hubctl_context_connect(self, &error)) {
		self->failed = TRUE;
		g_clear_object(&self->connection);
		hubd_error_fixup_remote(&error);
		hubctl_report_unreachable(error->message);
		return NULL;
	}
	hubctl_call_options_install(self->connection, self->token_name);
	return self->connection;
}

const gchar *
hubctl_context_get_connection_label(HubctlContext *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	/* data, not prose: `status --json` prints it, so it is not translated */
	return self->use_socket ? self->socket_path : "session bus";
}

gboolean
hubctl_context_is_socket(HubctlContext *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->use_socket;
}

const gchar *
hubctl_context_get_bus_name(HubctlContext *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->use_socket ? NULL : HUBCTL_BUS_NAME;
}

GDBusProxyFlags
hubctl_context_get_proxy_flags(HubctlContext *self)
{
	g_return_val_if_fail(self != NULL, G_DBUS_PROXY_FLAGS_NONE);
	return self->proxy_flags;
}

HubdDbusDaemon *
hubctl_context_get_daemon(HubctlContext *self)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *connection;

	g_return_val_if_fail(self != NULL, NULL);

	if (self->daemon != NULL)
		return self->daemon;
	connection = hubctl_context_get_connection(self);
	if (connection == NULL)
		return NULL;
	self->daemon = hubd_dbus_daemon_proxy_new_sync(connection,
						       self->proxy_flags,
						       hubctl_context_get_bus_name(self),
						       HUBCTL_OBJECT_PATH,
						       NULL,
						       &error);
	if (self->daemon == NULL) {
		hubctl_report_error(error);
		return NULL;
	}
	return self->daemon;
}

gpointer
hubctl_context_new_proxy(HubctlContext *self,
			 GType proxy_type,
			 const gchar *interface_name,
			 GDBusProxyFlags extra_flags,
			 gint timeout_msec)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *connection;
	GInitable *proxy;

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(g_type_is_a(proxy_type, G_TYPE_DBUS_PROXY), NULL);

	connection = hubctl_context_get_connection(self);
	if (connection == NULL)
		return NULL;
	/* what the generated *_proxy_new_sync() do, for any of them */
	proxy = g_initable_new(proxy_type,
			       NULL,
			       &error,
			       "g-flags",
			       self->proxy_flags | extra_flags,
			       "g-name",
			       hubctl_context_get_bus_name(self),
			       "g-connection",
			       connection,
			       "g-object-path",
			       HUBCTL_OBJECT_PATH,
			       "g-interface-name",
			       interface_name,
			       NULL);
	if (proxy == NULL) {
		hubctl_report_unreachable(error->message);
		return NULL;
	}
	if (timeout_msec != -1)
		g_dbus_proxy_set_default_timeout(G_DBUS_PROXY(proxy), timeout_msec);
	return proxy;
}
