/* hubd-daemon-service.c: org.hubd.Hub1.Daemon — version, endpoint, plugins, status */
#define G_LOG_DOMAIN "HubdDaemonService"

#include "hubd-daemon-service.h"

#include "hubd-context.h"
#include "hubd-dbus-generated.h"

struct _HubdDaemonService {
	HubdService parent_instance;
	GStrv plugins;
	HubdDaemonStatusFunc status_func;
	gpointer status_data;
};

G_DEFINE_TYPE(HubdDaemonService, hubd_daemon_service, HUBD_TYPE_SERVICE)

static gboolean
hubd_daemon_service_handle_get_status(HubdDbusDaemon *skeleton,
				      GDBusMethodInvocation *invocation,
				      GVariant *options,
				      gpointer user_data)
{
	HubdDaemonService *self = HUBD_DAEMON_SERVICE(user_data);

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	hubd_dbus_daemon_complete_get_status(
		skeleton,
		invocation,
		self->status_func(g_dbus_method_invocation_get_connection(invocation),
				  self->status_data));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GDBusInterfaceSkeleton *
hubd_daemon_service_create_skeleton(HubdService *service)
{
	HubdDaemonService *self = HUBD_DAEMON_SERVICE(service);
	HubdDbusDaemon *skeleton = hubd_dbus_daemon_skeleton_new();

	hubd_dbus_daemon_set_version(skeleton, PACKAGE_VERSION);
	hubd_dbus_daemon_set_endpoint(skeleton,
				      hubd_context_get_endpoint(hubd_service_get_context(service)));
	hubd_dbus_daemon_set_plugins(skeleton, (const gchar *const *)self->plugins);
	g_signal_connect(skeleton,
			 "handle-get-status",
			 G_CALLBACK(hubd_daemon_service_handle_get_status),
			 service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static void
hubd_daemon_service_finalize(GObject *object)
{
	g_strfreev(HUBD_DAEMON_SERVICE(object)->plugins);
	G_OBJECT_CLASS(hubd_daemon_service_parent_class)->finalize(object);
}

static void
hubd_daemon_service_class_init(HubdDaemonServiceClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_daemon_service_finalize;
	HUBD_SERVICE_CLASS(klass)->create_skeleton = hubd_daemon_service_create_skeleton;
}

static void
hubd_daemon_service_init(HubdDaemonService *self)
{
}

HubdDaemonService *
hubd_daemon_service_new(HubdContext *context,
			const gchar *const *plugins,
			HubdDaemonStatusFunc status_func,
			gpointer status_data)
{
	HubdDaemonService *self =
		g_object_new(HUBD_TYPE_DAEMON_SERVICE, "context", context, "name", "daemon", NULL);

	self->plugins = g_strdupv((gchar **)plugins);
	self->status_func = status_func;
	self->status_data = status_data;
	return self;
}
