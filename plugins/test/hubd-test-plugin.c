/* hubd-test-plugin.c: a plugin service used only by the test suite */
#define G_LOG_DOMAIN "HubdPluginTest"

#include "hubd-service.h"
#include "hubd-test-plugin-generated.h"

#define HUBD_TYPE_TEST_PLUGIN (hubd_test_plugin_get_type())
G_DECLARE_FINAL_TYPE(HubdTestPlugin, hubd_test_plugin, HUBD, TEST_PLUGIN, HubdService)

struct _HubdTestPlugin {
	HubdService parent_instance;
};

G_DEFINE_DYNAMIC_TYPE(HubdTestPlugin, hubd_test_plugin, HUBD_TYPE_SERVICE)

static gboolean
hubd_test_plugin_handle_ping(HubdTestDbusTestPlugin *skeleton,
			     GDBusMethodInvocation *invocation,
			     const gchar *text,
			     gpointer user_data)
{
	g_autofree gchar *reply = g_strdup_printf("pong: %s", text);

	hubd_test_dbus_test_plugin_complete_ping(skeleton, invocation, reply);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GDBusInterfaceSkeleton *
hubd_test_plugin_create_skeleton(HubdService *service)
{
	HubdTestDbusTestPlugin *skeleton = hubd_test_dbus_test_plugin_skeleton_new();

	g_signal_connect(skeleton,
			 "handle-ping",
			 G_CALLBACK(hubd_test_plugin_handle_ping),
			 service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static void
hubd_test_plugin_class_init(HubdTestPluginClass *klass)
{
	HUBD_SERVICE_CLASS(klass)->create_skeleton = hubd_test_plugin_create_skeleton;
}

static void
hubd_test_plugin_class_finalize(HubdTestPluginClass *klass)
{
}

static void
hubd_test_plugin_init(HubdTestPlugin *self)
{
}

/* GIO finds these by the module's file name: libhubd-test.so -> hubd_test */
G_MODULE_EXPORT void
g_io_hubd_test_load(GIOModule *module);
G_MODULE_EXPORT void
g_io_hubd_test_unload(GIOModule *module);

void
g_io_hubd_test_load(GIOModule *module)
{
	hubd_test_plugin_register_type(G_TYPE_MODULE(module));
	hubd_service_register_extension_points();
	g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
				       HUBD_TYPE_TEST_PLUGIN,
				       "test",
				       0);
}

void
g_io_hubd_test_unload(GIOModule *module)
{
}
