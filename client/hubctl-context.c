/* hubctl-context.c: hubctl's connection to hubd — libhubd's HubdClient — and calls on it */
#include <glib/gi18n.h>
#include <string.h>

#include "hubctl.h"

struct _HubctlContext {
	gchar *socket_path; /* --socket / HUBD_SOCKET, or the default socket as a fallback */
	gchar *token_name;  /* --token-name, or NULL */
	gboolean use_socket;
	gboolean failed;    /* connecting failed and the message was printed */
	HubdClient *client; /* libhubd's connection */
	GDBusConnection *connection;
	GDBusProxyFlags proxy_flags;
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
	g_clear_object(&self->connection);
	/* on a socket it flushes anything queued, e.g. a Cancel(), before it goes */
	g_clear_object(&self->client);
	g_free(self->socket_path);
	g_free(self->token_name);
	g_free(self);
}

/* libhubd's HubdClient decides: the socket when given, else the session bus
 * (checking that hubd runs there or can be activated), else the default
 * socket when there is no bus. It names the socket it tried even when that
 * failed, for the "cannot reach hubd" message. */
static gboolean
hubctl_context_connect(HubctlContext *self, GError **error)
{
	g_autoptr(HubdClient) client =
		g_object_new(HUBD_TYPE_CLIENT, "socket-path", self->socket_path, NULL);
	gboolean ok = g_initable_init(G_INITABLE(client), NULL, error);
	const gchar *socket_path = hubd_client_get_socket_path(client);

	if (socket_path != NULL && g_strcmp0(socket_path, self->socket_path) != 0) {
		g_debug("no session bus, using %s", socket_path);
		g_free(self->socket_path);
		self->socket_path = g_strdup(socket_path);
		self->use_socket = TRUE;
		hubctl_output_set_socket(self->socket_path);
	}
	if (!ok)
		return FALSE;
	self->client = g_steal_pointer(&client);
	self->connection = g_object_ref(hubd_client_get_connection(self->client));
	self->proxy_flags = hubd_client_get_proxy_flags(self->client);
	return TRUE;
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
		if (g_dbus_error_is_remote_error(error))
			g_dbus_error_strip_remote_error(error);
		hubctl_report_unreachable(error->message);
		return NULL;
	}
	hubctl_call_options_install(self->connection, self->token_name);
	return self->connection;
}

HubdClient *
hubctl_context_get_client(HubctlContext *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	if (hubctl_context_get_connection(self) == NULL)
		return NULL;
	return self->client;
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

/* "(@a{sv})" -> "(a{sv})": what a g_variant_get() format says the type is */
static gchar *
hubctl_call_reply_type(const gchar *format)
{
	GString *type = g_string_new(NULL);

	for (const gchar *c = format; *c != '\0'; c++) {
		if (*c != '@' && *c != '&' && *c != '^')
			g_string_append_c(type, *c);
	}
	return g_string_free(type, FALSE);
}

gboolean
hubctl_call(HubdClient *client,
	    const gchar *interface_name,
	    const gchar *method,
	    GVariant *parameters,
	    gint timeout_msec,
	    GError **error,
	    const gchar *reply_format,
	    ...)
{
	g_autofree gchar *type = hubctl_call_reply_type(reply_format);
	g_autoptr(GVariant) reply = NULL;
	va_list ap;

	g_return_val_if_fail(HUBD_IS_CLIENT(client), FALSE);
	g_return_val_if_fail(g_variant_type_string_is_valid(type), FALSE);
	/* the reply is gone when this returns: nothing may point into it */
	g_return_val_if_fail(strchr(reply_format, '&') == NULL, FALSE);

	reply = hubd_client_call_sync(client,
				      interface_name,
				      method,
				      parameters,
				      G_VARIANT_TYPE(type),
				      timeout_msec,
				      NULL,
				      error);
	if (reply == NULL)
		return FALSE;
	va_start(ap, reply_format);
	g_variant_get_va(reply, reply_format, NULL, &ap);
	va_end(ap);
	return TRUE;
}
