/* hubd-daemon-service.c: org.hubd.Hub1.Daemon — version, endpoint, plugins, status */
#define G_LOG_DOMAIN "HubdDaemonService"

#include "hubd-daemon-service.h"

#include <unistd.h>

#include "hubd-daemon.h"
#include "hubd-dbus-generated.h"

struct _HubdDaemonService {
	HubdService parent_instance;
};

G_DEFINE_TYPE_WITH_CODE(HubdDaemonService,
			hubd_daemon_service,
			HUBD_TYPE_SERVICE,
			hubd_service_register_extension_points();
			g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
						       g_define_type_id,
						       "daemon",
						       1000))

static GVariant *
hubd_daemon_service_build_status(HubdDaemon *daemon, GDBusConnection *caller)
{
	GVariantBuilder builder;
	GVariantBuilder errors;
	GHashTableIter iter;
	gpointer key, value;
	g_auto(GStrv) plugins = hubd_daemon_dup_plugins(daemon);
	g_auto(GStrv) services = hubd_daemon_dup_service_names(daemon);
	const gchar *socket = hubd_daemon_get_socket_path(daemon);
	gint64 uptime =
		(g_get_monotonic_time() - hubd_daemon_get_start_time(daemon)) / G_USEC_PER_SEC;
	g_autofree gchar *mirror =
		hubd_config_get_string(hubd_daemon_get_config(daemon), "storage", "mirror", "");

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&builder, "{sv}", "version", g_variant_new_string(PACKAGE_VERSION));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "endpoint",
			      g_variant_new_string(hubd_daemon_get_endpoint(daemon)));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "plugins",
			      g_variant_new_strv((const gchar *const *)plugins, -1));
	g_variant_builder_init(&errors, G_VARIANT_TYPE("a{ss}"));
	g_hash_table_iter_init(&iter, hubd_daemon_get_plugin_errors(daemon));
	while (g_hash_table_iter_next(&iter, &key, &value))
		g_variant_builder_add(&errors, "{ss}", key, value);
	g_variant_builder_add(&builder, "{sv}", "plugin_errors", g_variant_builder_end(&errors));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "services",
			      g_variant_new_strv((const gchar *const *)services, -1));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "connection",
			      g_variant_new_string(hubd_daemon_is_bus_connection(daemon, caller)
							   ? "bus"
							   : "socket"));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "socket",
			      g_variant_new_string(socket != NULL ? socket : ""));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "bus_name_owned",
			      g_variant_new_boolean(hubd_daemon_get_bus_name_owned(daemon)));
	g_variant_builder_add(&builder, "{sv}", "pid", g_variant_new_uint32((guint32)getpid()));
	g_variant_builder_add(&builder, "{sv}", "uptime", g_variant_new_uint64((guint64)uptime));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "peers",
			      g_variant_new_uint32(hubd_daemon_get_n_peers(daemon)));
	g_variant_builder_add(&builder, "{sv}", "mirror", g_variant_new_string(mirror));
	return g_variant_builder_end(&builder);
}

static gboolean
hubd_daemon_service_handle_get_status(HubdDbusDaemon *skeleton,
				      GDBusMethodInvocation *invocation,
				      GVariant *options,
				      gpointer user_data)
{
	HubdService *service = HUBD_SERVICE(user_data);
	HubdDaemon *daemon = hubd_service_get_daemon(service);

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	hubd_dbus_daemon_complete_get_status(
		skeleton,
		invocation,
		hubd_daemon_service_build_status(
			daemon,
			g_dbus_method_invocation_get_connection(invocation)));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GDBusInterfaceSkeleton *
hubd_daemon_service_create_skeleton(HubdService *service)
{
	HubdDaemon *daemon = hubd_service_get_daemon(service);
	HubdDbusDaemon *skeleton = hubd_dbus_daemon_skeleton_new();
	g_auto(GStrv) plugins = hubd_daemon_dup_plugins(daemon);

	hubd_dbus_daemon_set_version(skeleton, PACKAGE_VERSION);
	hubd_dbus_daemon_set_endpoint(skeleton, hubd_daemon_get_endpoint(daemon));
	hubd_dbus_daemon_set_plugins(skeleton, (const gchar *const *)plugins);
	g_signal_connect(skeleton,
			 "handle-get-status",
			 G_CALLBACK(hubd_daemon_service_handle_get_status),
			 service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static void
hubd_daemon_service_class_init(HubdDaemonServiceClass *klass)
{
	HUBD_SERVICE_CLASS(klass)->create_skeleton = hubd_daemon_service_create_skeleton;
}

static void
hubd_daemon_service_init(HubdDaemonService *self)
{
}
