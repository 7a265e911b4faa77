/* hubd-test-dbus.c: D-Bus from tests: the session bus, a peer-to-peer
 * connection to hubd's socket (bounded in time), calls at /org/hubd/Hub1 and
 * the errors they answer */
#define G_LOG_DOMAIN "HubdTest"

#include "hubd-test-common-private.h"
#include "hubd-test-common.h"

void
hubd_test_assert_remote_error(const GError *error, const gchar *name)
{
	g_autofree gchar *remote = NULL;

	g_assert_nonnull(error);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, name);
}

GDBusConnection *
hubd_test_session_bus(void)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);

	g_assert_no_error(error);
	return bus;
}

guint32
hubd_test_bus_name_owner_pid(const gchar *name)
{
	g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
	g_autoptr(GVariant) reply = NULL;
	guint32 pid = 0;

	reply = g_dbus_connection_call_sync(bus,
					    "org.freedesktop.DBus",
					    "/org/freedesktop/DBus",
					    "org.freedesktop.DBus",
					    "GetConnectionUnixProcessID",
					    g_variant_new("(s)", name),
					    G_VARIANT_TYPE("(u)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    HUBD_TEST_TIMEOUT_S * 1000,
					    NULL,
					    NULL);
	if (reply != NULL)
		g_variant_get(reply, "(u)", &pid);
	return pid;
}

GVariant *
hubd_test_call(GDBusConnection *connection,
	       const gchar *interface_name,
	       const gchar *method,
	       GVariant *parameters,
	       const GVariantType *reply_type,
	       GError **error)
{
	/* a peer-to-peer connection has no bus to route by name */
	const gchar *dest =
		g_dbus_connection_get_unique_name(connection) != NULL ? HUBD_TEST_BUS_NAME : NULL;

	return g_dbus_connection_call_sync(connection,
					   dest,
					   HUBD_TEST_OBJECT_PATH,
					   interface_name,
					   method,
					   parameters,
					   reply_type,
					   G_DBUS_CALL_FLAGS_NO_AUTO_START,
					   HUBD_TEST_TIMEOUT_S * 1000,
					   NULL,
					   error);
}

GVariant *
hubd_test_get_status(GDBusConnection *connection)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	GVariant *status = NULL;

	reply = hubd_test_call(
		connection,
		HUBD_TEST_DAEMON_IFACE,
		"GetStatus",
		g_variant_new("(@a{sv})", g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
		G_VARIANT_TYPE("(a{sv})"),
		&error);
	g_assert_no_error(error);
	g_variant_get(reply, "(@a{sv})", &status);
	return status;
}

GDBusConnection *
hubd_test_private_session_bus(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *address =
		g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SESSION, NULL, &error);
	GDBusConnection *c;

	g_assert_no_error(error);
	c = g_dbus_connection_new_for_address_sync(
		address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL,
		NULL,
		&error);
	g_assert_no_error(error);
	return c;
}

void
hubd_test_assert_daemon_answers(GDBusConnection *connection)
{
	g_autoptr(GVariant) status = hubd_test_get_status(connection);

	g_assert_nonnull(status);
}

GVariant *
hubd_test_get_property(GDBusConnection *connection, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	GVariant *value = NULL;

	reply = hubd_test_call(connection,
			       "org.freedesktop.DBus.Properties",
			       "Get",
			       g_variant_new("(ss)", HUBD_TEST_DAEMON_IFACE, name),
			       G_VARIANT_TYPE("(v)"),
			       &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(v)", &value);
	return value;
}

typedef struct {
	GDBusConnection *connection;
	GError *error;
	gboolean done;
} HubdTestConnect;

static void
hubd_test_connect_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTestConnect *data = user_data;

	data->connection = g_dbus_connection_new_for_address_finish(res, &data->error);
	data->done = TRUE;
}

GDBusConnection *
hubd_test_try_connect_socket(const gchar *socket_path, GError **error)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autofree gchar *escaped = g_dbus_address_escape_value(socket_path);
	g_autofree gchar *address = g_strdup_printf("unix:path=%s", escaped);
	HubdTestConnect data = {NULL, NULL, FALSE};

	g_main_context_push_thread_default(context);
	g_dbus_connection_new_for_address(address,
					  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
					  NULL,
					  cancellable,
					  hubd_test_connect_cb,
					  &data);
	hubd_test_iterate_until(context, &data.done, HUBD_TEST_TIMEOUT_S * 1000, cancellable, NULL);
	g_main_context_pop_thread_default(context);
	if (data.connection == NULL) {
		g_propagate_error(error, data.error);
		return NULL;
	}
	return data.connection;
}

GDBusConnection *
hubd_test_connect_socket(const gchar *socket_path)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *connection = hubd_test_try_connect_socket(socket_path, &error);

	if (error != NULL)
		g_printerr("cannot connect to %s: %s\n", socket_path, error->message);
	g_assert_no_error(error);
	return connection;
}
