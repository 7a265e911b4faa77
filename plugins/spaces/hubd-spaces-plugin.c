/* hubd-spaces-plugin.c: the Spaces plugin — org.hubd.Hub1.Spaces on the Hub's
 * Spaces API (runtime, hardware, settings here; Wait, logs, Watch, linked
 * repos in the other hubd-spaces-*.c files) */
#define G_LOG_DOMAIN "HubdSpaces"

#include "hubd-spaces-plugin.h"

#include <glib/gi18n.h>

#include "hubd-spaces-call.h"
#include "hubd-spaces-generated.h"

#define HUBD_TYPE_SPACES_PLUGIN (hubd_spaces_plugin_get_type())
G_DECLARE_FINAL_TYPE(HubdSpacesPlugin, hubd_spaces_plugin, HUBD, SPACES_PLUGIN, HubdService)

struct _HubdSpacesPlugin {
	HubdService parent_instance;
	HubdSpacesLogs *logs;
	HubdSpacesWatch *watch;
};

G_DEFINE_DYNAMIC_TYPE(HubdSpacesPlugin, hubd_spaces_plugin, HUBD_TYPE_SERVICE)

guint
hubd_spaces_poll_interval_ms(HubdService *service)
{
	return (guint)hubd_service_get_config_uint64(service, "poll-interval-ms", 10, 60000, 1000);
}

static gboolean
handle_get_runtime(HubdSpacesDbusSpaces *skeleton,
		   GDBusMethodInvocation *invocation,
		   const gchar *space_id,
		   GVariant *options,
		   HubdService *service)
{
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, NULL);

	if (api != NULL)
		hubd_hub_api_space_runtime_async(
			api,
			space_id,
			NULL,
			spaces_call_json_cb,
			spaces_call_new(service, invocation, SPACES_REPLY_RUNTIME));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_hardware(HubdSpacesDbusSpaces *skeleton,
		     GDBusMethodInvocation *invocation,
		     GVariant *options,
		     HubdService *service)
{
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, NULL);

	if (api != NULL)
		hubd_hub_api_space_hardware_async(
			api,
			NULL,
			spaces_call_json_cb,
			spaces_call_new(service, invocation, SPACES_REPLY_HARDWARE));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_request_hardware(HubdSpacesDbusSpaces *skeleton,
			GDBusMethodInvocation *invocation,
			const gchar *space_id,
			const gchar *hardware,
			GVariant *options,
			HubdService *service)
{
	static const HubdServiceOption allowed[] = {{"sleep_time", "x"}, {NULL, NULL}};
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, allowed);
	gint64 sleep_time = HUBD_HUB_API_SLEEP_TIME_UNSET;

	if (api == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	g_variant_lookup(options, "sleep_time", "x", &sleep_time);
	hubd_hub_api_space_request_hardware_async(
		api,
		space_id,
		hardware,
		sleep_time,
		NULL,
		spaces_call_json_cb,
		spaces_call_new(service, invocation, SPACES_REPLY_RUNTIME));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_sleep_time(HubdSpacesDbusSpaces *skeleton,
		      GDBusMethodInvocation *invocation,
		      const gchar *space_id,
		      gint64 seconds,
		      GVariant *options,
		      HubdService *service)
{
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, NULL);

	if (api != NULL)
		hubd_hub_api_space_set_sleep_time_async(
			api,
			space_id,
			seconds,
			NULL,
			spaces_call_json_cb,
			spaces_call_new(service, invocation, SPACES_REPLY_RUNTIME));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_pause(HubdSpacesDbusSpaces *skeleton,
	     GDBusMethodInvocation *invocation,
	     const gchar *space_id,
	     GVariant *options,
	     HubdService *service)
{
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, NULL);

	if (api != NULL)
		hubd_hub_api_space_pause_async(
			api,
			space_id,
			NULL,
			spaces_call_json_cb,
			spaces_call_new(service, invocation, SPACES_REPLY_RUNTIME));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_restart(HubdSpacesDbusSpaces *skeleton,
	       GDBusMethodInvocation *invocation,
	       const gchar *space_id,
	       GVariant *options,
	       HubdService *service)
{
	static const HubdServiceOption allowed[] = {{"factory", "b"}, {NULL, NULL}};
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, allowed);
	gboolean factory = FALSE;

	if (api == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	g_variant_lookup(options, "factory", "b", &factory);
	hubd_hub_api_space_restart_async(
		api,
		space_id,
		factory,
		NULL,
		spaces_call_json_cb,
		spaces_call_new(service, invocation, SPACES_REPLY_RUNTIME));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_dev_mode(HubdSpacesDbusSpaces *skeleton,
		    GDBusMethodInvocation *invocation,
		    const gchar *space_id,
		    gboolean enabled,
		    GVariant *options,
		    HubdService *service)
{
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, NULL);

	if (api != NULL)
		hubd_hub_api_space_set_dev_mode_async(
			api,
			space_id,
			enabled,
			NULL,
			spaces_call_json_cb,
			spaces_call_new(service, invocation, SPACES_REPLY_RUNTIME));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- secrets and variables: one wire format, two stores ---- */

static void
store_list(HubdService *service,
	   GDBusMethodInvocation *invocation,
	   const gchar *space_id,
	   GVariant *options,
	   HubdHubSpaceStore store)
{
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, NULL);

	if (api != NULL)
		hubd_hub_api_space_list_store_async(
			api,
			space_id,
			store,
			NULL,
			spaces_call_json_cb,
			spaces_call_new(service,
					invocation,
					store == HUBD_HUB_SPACE_SECRETS ? SPACES_REPLY_SECRETS
									: SPACES_REPLY_VARIABLES));
}

static void
store_add(HubdService *service,
	  GDBusMethodInvocation *invocation,
	  const gchar *space_id,
	  const gchar *key,
	  const gchar *value,
	  GVariant *options,
	  HubdHubSpaceStore store)
{
	static const HubdServiceOption allowed[] = {{"description", "s"}, {NULL, NULL}};
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, allowed);
	const gchar *description = NULL;

	if (api == NULL)
		return;
	g_variant_lookup(options, "description", "&s", &description);
	hubd_hub_api_space_add_to_store_async(
		api,
		space_id,
		store,
		key,
		value,
		description,
		NULL,
		spaces_call_json_cb,
		spaces_call_new(service, invocation, SPACES_REPLY_NOTHING));
}

static void
store_delete(HubdService *service,
	     GDBusMethodInvocation *invocation,
	     const gchar *space_id,
	     const gchar *key,
	     GVariant *options,
	     HubdHubSpaceStore store)
{
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, NULL);

	if (api != NULL)
		hubd_hub_api_space_delete_from_store_async(
			api,
			space_id,
			store,
			key,
			NULL,
			spaces_call_json_cb,
			spaces_call_new(service, invocation, SPACES_REPLY_NOTHING));
}

static gboolean
handle_list_secrets(HubdSpacesDbusSpaces *skeleton,
		    GDBusMethodInvocation *invocation,
		    const gchar *space_id,
		    GVariant *options,
		    HubdService *service)
{
	store_list(service, invocation, space_id, options, HUBD_HUB_SPACE_SECRETS);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_add_secret(HubdSpacesDbusSpaces *skeleton,
		  GDBusMethodInvocation *invocation,
		  const gchar *space_id,
		  const gchar *key,
		  const gchar *value,
		  GVariant *options,
		  HubdService *service)
{
	store_add(service, invocation, space_id, key, value, options, HUBD_HUB_SPACE_SECRETS);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_delete_secret(HubdSpacesDbusSpaces *skeleton,
		     GDBusMethodInvocation *invocation,
		     const gchar *space_id,
		     const gchar *key,
		     GVariant *options,
		     HubdService *service)
{
	store_delete(service, invocation, space_id, key, options, HUBD_HUB_SPACE_SECRETS);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_variables(HubdSpacesDbusSpaces *skeleton,
		      GDBusMethodInvocation *invocation,
		      const gchar *space_id,
		      GVariant *options,
		      HubdService *service)
{
	store_list(service, invocation, space_id, options, HUBD_HUB_SPACE_VARIABLES);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_add_variable(HubdSpacesDbusSpaces *skeleton,
		    GDBusMethodInvocation *invocation,
		    const gchar *space_id,
		    const gchar *key,
		    const gchar *value,
		    GVariant *options,
		    HubdService *service)
{
	store_add(service, invocation, space_id, key, value, options, HUBD_HUB_SPACE_VARIABLES);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_delete_variable(HubdSpacesDbusSpaces *skeleton,
		       GDBusMethodInvocation *invocation,
		       const gchar *space_id,
		       const gchar *key,
		       GVariant *options,
		       HubdService *service)
{
	store_delete(service, invocation, space_id, key, options, HUBD_HUB_SPACE_VARIABLES);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- the rest, in their own files ---- */

static gboolean
handle_duplicate(HubdSpacesDbusSpaces *skeleton,
		 GDBusMethodInvocation *invocation,
		 const gchar *from_id,
		 const gchar *to_id,
		 GVariant *options,
		 HubdService *service)
{
	hubd_spaces_duplicate(service, invocation, from_id, to_id, options);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_wait(HubdSpacesDbusSpaces *skeleton,
	    GDBusMethodInvocation *invocation,
	    const gchar *space_id,
	    GVariant *options,
	    HubdService *service)
{
	hubd_spaces_wait_start(service, invocation, space_id, options);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_stream_logs(HubdSpacesDbusSpaces *skeleton,
		   GDBusMethodInvocation *invocation,
		   const gchar *space_id,
		   const gchar *kind,
		   gboolean follow,
		   GVariant *options,
		   HubdSpacesPlugin *self)
{
	hubd_spaces_logs_start(self->logs, invocation, space_id, kind, follow, options);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_stop_logs(HubdSpacesDbusSpaces *skeleton,
		 GDBusMethodInvocation *invocation,
		 guint64 stream_id,
		 GVariant *options,
		 HubdSpacesPlugin *self)
{
	hubd_spaces_logs_stop(self->logs, invocation, stream_id, options);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_watch(HubdSpacesDbusSpaces *skeleton,
	     GDBusMethodInvocation *invocation,
	     const gchar *space_id,
	     GVariant *options,
	     HubdSpacesPlugin *self)
{
	hubd_spaces_watch_add(self->watch, invocation, space_id, options);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_unwatch(HubdSpacesDbusSpaces *skeleton,
	       GDBusMethodInvocation *invocation,
	       const gchar *space_id,
	       GVariant *options,
	       HubdSpacesPlugin *self)
{
	hubd_spaces_watch_remove(self->watch, invocation, space_id, options);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_linked_spaces(HubdSpacesDbusSpaces *skeleton,
		     GDBusMethodInvocation *invocation,
		     const gchar *model_id,
		     GVariant *options,
		     HubdService *service)
{
	hubd_spaces_linked_spaces(service, invocation, model_id, options);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_linked_models(HubdSpacesDbusSpaces *skeleton,
		     GDBusMethodInvocation *invocation,
		     const gchar *space_id,
		     GVariant *options,
		     HubdService *service)
{
	hubd_spaces_linked_models(service, invocation, space_id, options);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GDBusInterfaceSkeleton *
hubd_spaces_plugin_create_skeleton(HubdService *service)
{
	HubdSpacesDbusSpaces *skeleton = hubd_spaces_dbus_spaces_skeleton_new();
	static const struct {
		const gchar *signal;
		GCallback handler;
	} handlers[] = {
		{"handle-get-runtime", G_CALLBACK(handle_get_runtime)},
		{"handle-list-hardware", G_CALLBACK(handle_list_hardware)},
		{"handle-request-hardware", G_CALLBACK(handle_request_hardware)},
		{"handle-set-sleep-time", G_CALLBACK(handle_set_sleep_time)},
		{"handle-pause", G_CALLBACK(handle_pause)},
		{"handle-restart", G_CALLBACK(handle_restart)},
		{"handle-set-dev-mode", G_CALLBACK(handle_set_dev_mode)},
		{"handle-duplicate", G_CALLBACK(handle_duplicate)},
		{"handle-list-secrets", G_CALLBACK(handle_list_secrets)},
		{"handle-add-secret", G_CALLBACK(handle_add_secret)},
		{"handle-delete-secret", G_CALLBACK(handle_delete_secret)},
		{"handle-list-variables", G_CALLBACK(handle_list_variables)},
		{"handle-add-variable", G_CALLBACK(handle_add_variable)},
		{"handle-delete-variable", G_CALLBACK(handle_delete_variable)},
		{"handle-wait", G_CALLBACK(handle_wait)},
		{"handle-stream-logs", G_CALLBACK(handle_stream_logs)},
		{"handle-stop-logs", G_CALLBACK(handle_stop_logs)},
		{"handle-watch", G_CALLBACK(handle_watch)},
		{"handle-unwatch", G_CALLBACK(handle_unwatch)},
		{"handle-linked-spaces", G_CALLBACK(handle_linked_spaces)},
		{"handle-linked-models", G_CALLBACK(handle_linked_models)},
	};

	for (guint i = 0; i < G_N_ELEMENTS(handlers); i++)
		g_signal_connect(skeleton, handlers[i].signal, handlers[i].handler, service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static gboolean
hubd_spaces_plugin_start(HubdService *service, GError **error)
{
	HubdSpacesPlugin *self = HUBD_SPACES_PLUGIN(service);

	self->logs = hubd_spaces_logs_new(service);
	self->watch = hubd_spaces_watch_new(service);
	return TRUE;
}

static void
hubd_spaces_plugin_finalize(GObject *object)
{
	HubdSpacesPlugin *self = HUBD_SPACES_PLUGIN(object);

	g_clear_pointer(&self->logs, hubd_spaces_logs_free);
	g_clear_pointer(&self->watch, hubd_spaces_watch_free);
	G_OBJECT_CLASS(hubd_spaces_plugin_parent_class)->finalize(object);
}

static void
hubd_spaces_plugin_class_init(HubdSpacesPluginClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_spaces_plugin_finalize;
	HUBD_SERVICE_CLASS(klass)->create_skeleton = hubd_spaces_plugin_create_skeleton;
	HUBD_SERVICE_CLASS(klass)->start = hubd_spaces_plugin_start;
}

static void
hubd_spaces_plugin_class_finalize(HubdSpacesPluginClass *klass)
{
}

static void
hubd_spaces_plugin_init(HubdSpacesPlugin *self)
{
}

/* GIO finds these by the module's file name: libhubd-spaces.so */
G_MODULE_EXPORT void
g_io_hubd_spaces_load(GIOModule *module);
G_MODULE_EXPORT void
g_io_hubd_spaces_unload(GIOModule *module);

void
g_io_hubd_spaces_load(GIOModule *module)
{
	hubd_spaces_plugin_register_type(G_TYPE_MODULE(module));
	hubd_service_register_extension_point();
	g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
				       HUBD_TYPE_SPACES_PLUGIN,
				       "spaces",
				       0);
}

void
g_io_hubd_spaces_unload(GIOModule *module)
{
}
