/* hubd-endpoints-plugin.c: the endpoints plugin — org.hubd.Hub1.Endpoints on
 * the Inference Endpoints API (`[endpoints] api=`), with the Hub's token.
 * Every call first finds its namespace (the `namespace` option, else the
 * token's user from whoami, as huggingface_hub's _get_namespace), then sends
 * one request. Wait: hubd-endpoints-wait.c. */
#define G_LOG_DOMAIN "HubdEndpoints"

#include <glib/gi18n.h>

#include "hubd-endpoints-config.h"
#include "hubd-endpoints-generated.h"
#include "hubd-endpoints-variant.h"
#include "hubd-endpoints-wait.h"
#include "hubd-endpoints-watch.h"

#define HUBD_TYPE_ENDPOINTS_PLUGIN (hubd_endpoints_plugin_get_type())
G_DECLARE_FINAL_TYPE(HubdEndpointsPlugin,
		     hubd_endpoints_plugin,
		     HUBD,
		     ENDPOINTS_PLUGIN,
		     HubdService)

struct _HubdEndpointsPlugin {
	HubdService parent_instance;
	HubdEndpointsWatch *watch;
};

G_DEFINE_DYNAMIC_TYPE(HubdEndpointsPlugin, hubd_endpoints_plugin, HUBD_TYPE_SERVICE)

typedef enum {
	OP_LIST,
	OP_GET,
	OP_CREATE,
	OP_UPDATE,
	OP_ACTION,
	OP_DELETE,
	OP_WAIT,
	OP_HARDWARE,
	OP_WATCH,
	OP_UNWATCH,
} Op;

/* One call in flight: it holds the daemon and one more reference on the
 * invocation (completing the call consumes the handler's). */
typedef struct {
	HubdService *service;
	GDBusMethodInvocation *invocation;
	HubdHubApi *api;
	gchar *base;
	gchar *ns;
	gchar *name;
	Op op;
	HubdHubEndpointAction action;
	JsonNode *body;
	gboolean fail_if_running;
	gboolean refetched; /* Resume of a running endpoint: answered by a GET */
	guint timeout_s;
} EpCall;

static void
ep_call_free(EpCall *c)
{
	hubd_context_release(hubd_service_get_context(c->service));
	g_object_unref(c->service);
	g_object_unref(c->invocation);
	g_clear_object(&c->api);
	g_free(c->base);
	g_free(c->ns);
	g_free(c->name);
	g_clear_pointer(&c->body, json_node_unref);
	g_free(c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EpCall, ep_call_free)

static void
ep_call_send(EpCall *c);

static void
ep_call_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(EpCall) c = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) node = hubd_hub_api_endpoints_finish(HUBD_HUB_API(source), res, &error);
	GVariant *value = NULL;

	if (node == NULL) {
		/* resume of a running endpoint is fine unless asked otherwise
		 * (huggingface_hub's resume(running_ok=True)): answer its state */
		if (c->op == OP_ACTION && c->action == HUBD_HUB_ENDPOINT_RESUME &&
		    !c->fail_if_running && !c->refetched &&
		    g_error_matches(error, HUBD_ERROR, HUBD_ERROR_BAD_REQUEST) &&
		    strstr(error->message, "already running") != NULL) {
			g_clear_error(&error);
			c->refetched = TRUE;
			c->op = OP_GET;
			ep_call_send(g_steal_pointer(&c));
			return;
		}
		hubd_service_return_error(c->invocation, error);
		return;
	}
	switch (c->op) {
	case OP_LIST:
		value = g_variant_new("(@aa{sv})", hubd_endpoints_list_to_variant(node, c->ns));
		break;
	case OP_HARDWARE:
		value = g_variant_new("(@aa{sv})", hubd_endpoints_hardware_to_variant(node));
		break;
	case OP_DELETE:
		value = NULL;
		break;
	case OP_GET:
	case OP_CREATE:
	case OP_UPDATE:
	case OP_ACTION:
	case OP_WAIT:
	default:
		value = g_variant_new("(@a{sv})", hubd_endpoints_to_variant(node, c->ns));
		break;
	}
	g_dbus_method_invocation_return_value(c->invocation, value);
}

/* Sends the call's request; the namespace is known. Takes `c`. */
static void
ep_call_send(EpCall *c)
{
	HubdHubApi *api = c->api;

	switch (c->op) {
	case OP_LIST:
		hubd_hub_api_endpoints_list_async(api, c->base, c->ns, NULL, ep_call_done_cb, c);
		break;
	case OP_GET:
		hubd_hub_api_endpoint_get_async(api,
						c->base,
						c->ns,
						c->name,
						NULL,
						ep_call_done_cb,
						c);
		break;
	case OP_CREATE:
		hubd_hub_api_endpoint_create_async(api,
						   c->base,
						   c->ns,
						   c->body,
						   NULL,
						   ep_call_done_cb,
						   c);
		break;
	case OP_UPDATE:
		hubd_hub_api_endpoint_update_async(api,
						   c->base,
						   c->ns,
						   c->name,
						   c->body,
						   NULL,
						   ep_call_done_cb,
						   c);
		break;
	case OP_ACTION:
		hubd_hub_api_endpoint_action_async(api,
						   c->base,
						   c->ns,
						   c->name,
						   c->action,
						   NULL,
						   ep_call_done_cb,
						   c);
		break;
	case OP_DELETE:
		hubd_hub_api_endpoint_delete_async(api,
						   c->base,
						   c->ns,
						   c->name,
						   NULL,
						   ep_call_done_cb,
						   c);
		break;
	case OP_HARDWARE:
		hubd_hub_api_endpoints_hardware_async(api,
						      c->base,
						      c->ns,
						      NULL,
						      ep_call_done_cb,
						      c);
		break;
	case OP_WATCH:
		hubd_endpoints_watch_add(HUBD_ENDPOINTS_PLUGIN(c->service)->watch,
					 c->invocation,
					 api,
					 c->ns,
					 c->name);
		ep_call_free(c);
		break;
	case OP_UNWATCH:
		hubd_endpoints_watch_remove(HUBD_ENDPOINTS_PLUGIN(c->service)->watch,
					    c->invocation,
					    c->ns,
					    c->name);
		ep_call_free(c);
		break;
	case OP_WAIT:
	default:
		hubd_endpoints_wait_start(c->service,
					  c->invocation,
					  g_object_ref(api),
					  c->ns,
					  c->name,
					  c->timeout_s);
		ep_call_free(c);
		break;
	}
}

static void
ep_call_whoami_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	EpCall *c = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubWhoami) who =
		hubd_hub_api_whoami_finish(HUBD_HUB_API(source), res, &error);

	if (who == NULL) {
		g_prefix_error(&error, _("Cannot tell the default namespace: "));
		hubd_service_return_error(c->invocation, error);
		ep_call_free(c);
		return;
	}
	c->ns = g_strdup(who->name);
	ep_call_send(c);
}

/* Checks the options (`namespace`, token_name and `extra`), makes the call
 * and starts it; FALSE (answered) on bad input. */
static void
ep_call_start(HubdService *service,
	      GDBusMethodInvocation *invocation,
	      GVariant *options,
	      const HubdServiceOption *extra,
	      Op op,
	      const gchar *name,
	      const gchar *namespace_arg,
	      JsonNode *body,
	      HubdHubEndpointAction action)
{
	HubdServiceOption allowed[4] = {{"namespace", "s"},
					{NULL, NULL},
					{NULL, NULL},
					{NULL, NULL}};
	g_autoptr(JsonNode) owned_body = body;
	const gchar *ns = namespace_arg;
	GError *error = NULL;
	EpCall *c;

	for (guint i = 0; extra != NULL && extra[i].key != NULL && i < 2; i++)
		allowed[i + 1] = extra[i];
	if (!hubd_service_check_hub_options(options,
					    namespace_arg != NULL ? allowed + 1 : allowed,
					    &error) ||
	    (name != NULL && !hubd_hub_api_endpoint_name_validate(name, &error))) {
		hubd_service_return_error(invocation, error);
		return;
	}
	if (ns == NULL)
		g_variant_lookup(options, "namespace", "&s", &ns);
	c = g_new0(EpCall, 1);
	c->service = g_object_ref(service);
	c->invocation = g_object_ref(invocation);
	hubd_context_hold(hubd_service_get_context(service));
	c->api = hubd_hub_api_new_for_call(
		hubd_context_get_hub_api(hubd_service_get_context(service)),
		options);
	c->base = hubd_endpoints_api_base(service);
	c->name = g_strdup(name);
	c->op = op;
	c->action = action;
	c->body = g_steal_pointer(&owned_body);
	g_variant_lookup(options, "fail_if_running", "b", &c->fail_if_running);
	g_variant_lookup(options, "timeout", "u", &c->timeout_s);
	if (ns != NULL && ns[0] != '\0') {
		c->ns = g_strdup(ns);
		ep_call_send(c);
		return;
	}
	hubd_hub_api_whoami_async(c->api, NULL, NULL, FALSE, NULL, ep_call_whoami_cb, c);
}

static gboolean
handle_list(HubdEndpointsDbusEndpoints *skeleton,
	    GDBusMethodInvocation *invocation,
	    const gchar *namespace_,
	    GVariant *options,
	    HubdService *service)
{
	ep_call_start(service,
		      invocation,
		      options,
		      NULL,
		      OP_LIST,
		      NULL,
		      namespace_,
		      NULL,
		      HUBD_HUB_ENDPOINT_PAUSE);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get(HubdEndpointsDbusEndpoints *skeleton,
	   GDBusMethodInvocation *invocation,
	   const gchar *name,
	   GVariant *options,
	   HubdService *service)
{
	ep_call_start(service,
		      invocation,
		      options,
		      NULL,
		      OP_GET,
		      name,
		      NULL,
		      NULL,
		      HUBD_HUB_ENDPOINT_PAUSE);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
handle_spec(HubdService *service,
	    GDBusMethodInvocation *invocation,
	    const gchar *name,
	    GVariant *spec,
	    GVariant *options,
	    gboolean create)
{
	GError *error = NULL;
	JsonNode *body = hubd_endpoints_spec_to_json(name, spec, create, &error);

	if (body == NULL) {
		hubd_service_return_error(invocation, error);
		return;
	}
	ep_call_start(service,
		      invocation,
		      options,
		      NULL,
		      create ? OP_CREATE : OP_UPDATE,
		      name,
		      NULL,
		      body,
		      HUBD_HUB_ENDPOINT_PAUSE);
}

static gboolean
handle_create(HubdEndpointsDbusEndpoints *skeleton,
	      GDBusMethodInvocation *invocation,
	      const gchar *name,
	      GVariant *spec,
	      GVariant *options,
	      HubdService *service)
{
	handle_spec(service, invocation, name, spec, options, TRUE);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_update(HubdEndpointsDbusEndpoints *skeleton,
	      GDBusMethodInvocation *invocation,
	      const gchar *name,
	      GVariant *spec,
	      GVariant *options,
	      HubdService *service)
{
	handle_spec(service, invocation, name, spec, options, FALSE);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
start_action(HubdService *service,
	     GDBusMethodInvocation *invocation,
	     const gchar *name,
	     GVariant *options,
	     HubdHubEndpointAction action)
{
	static const HubdServiceOption resume_options[] = {{"fail_if_running", "b"}, {NULL, NULL}};

	/* only Resume takes fail_if_running: the others refuse it as unknown */
	ep_call_start(service,
		      invocation,
		      options,
		      action == HUBD_HUB_ENDPOINT_RESUME ? resume_options : NULL,
		      OP_ACTION,
		      name,
		      NULL,
		      NULL,
		      action);
}

static gboolean
handle_pause(HubdEndpointsDbusEndpoints *skeleton,
	     GDBusMethodInvocation *invocation,
	     const gchar *name,
	     GVariant *options,
	     HubdService *service)
{
	start_action(service, invocation, name, options, HUBD_HUB_ENDPOINT_PAUSE);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_resume(HubdEndpointsDbusEndpoints *skeleton,
	      GDBusMethodInvocation *invocation,
	      const gchar *name,
	      GVariant *options,
	      HubdService *service)
{
	start_action(service, invocation, name, options, HUBD_HUB_ENDPOINT_RESUME);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_scale_to_zero(HubdEndpointsDbusEndpoints *skeleton,
		     GDBusMethodInvocation *invocation,
		     const gchar *name,
		     GVariant *options,
		     HubdService *service)
{
	start_action(service, invocation, name, options, HUBD_HUB_ENDPOINT_SCALE_TO_ZERO);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_delete(HubdEndpointsDbusEndpoints *skeleton,
	      GDBusMethodInvocation *invocation,
	      const gchar *name,
	      GVariant *options,
	      HubdService *service)
{
	ep_call_start(service,
		      invocation,
		      options,
		      NULL,
		      OP_DELETE,
		      name,
		      NULL,
		      NULL,
		      HUBD_HUB_ENDPOINT_PAUSE);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_wait(HubdEndpointsDbusEndpoints *skeleton,
	    GDBusMethodInvocation *invocation,
	    const gchar *name,
	    GVariant *options,
	    HubdService *service)
{
	static const HubdServiceOption allowed[] = {{"timeout", "u"}, {NULL, NULL}};

	ep_call_start(service,
		      invocation,
		      options,
		      allowed,
		      OP_WAIT,
		      name,
		      NULL,
		      NULL,
		      HUBD_HUB_ENDPOINT_PAUSE);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_watch(HubdEndpointsDbusEndpoints *skeleton,
	     GDBusMethodInvocation *invocation,
	     const gchar *name,
	     GVariant *options,
	     HubdService *service)
{
	ep_call_start(service,
		      invocation,
		      options,
		      NULL,
		      OP_WATCH,
		      name,
		      NULL,
		      NULL,
		      HUBD_HUB_ENDPOINT_PAUSE);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_unwatch(HubdEndpointsDbusEndpoints *skeleton,
	       GDBusMethodInvocation *invocation,
	       const gchar *name,
	       GVariant *options,
	       HubdService *service)
{
	ep_call_start(service,
		      invocation,
		      options,
		      NULL,
		      OP_UNWATCH,
		      name,
		      NULL,
		      NULL,
		      HUBD_HUB_ENDPOINT_PAUSE);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_hardware(HubdEndpointsDbusEndpoints *skeleton,
		     GDBusMethodInvocation *invocation,
		     GVariant *options,
		     HubdService *service)
{
	ep_call_start(service,
		      invocation,
		      options,
		      NULL,
		      OP_HARDWARE,
		      NULL,
		      NULL,
		      NULL,
		      HUBD_HUB_ENDPOINT_PAUSE);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GDBusInterfaceSkeleton *
hubd_endpoints_plugin_create_skeleton(HubdService *service)
{
	HubdEndpointsDbusEndpoints *skeleton = hubd_endpoints_dbus_endpoints_skeleton_new();
	static const struct {
		const gchar *signal;
		GCallback handler;
	} handlers[] = {
		{"handle-list", G_CALLBACK(handle_list)},
		{"handle-get", G_CALLBACK(handle_get)},
		{"handle-create", G_CALLBACK(handle_create)},
		{"handle-update", G_CALLBACK(handle_update)},
		{"handle-pause", G_CALLBACK(handle_pause)},
		{"handle-resume", G_CALLBACK(handle_resume)},
		{"handle-scale-to-zero", G_CALLBACK(handle_scale_to_zero)},
		{"handle-delete", G_CALLBACK(handle_delete)},
		{"handle-wait", G_CALLBACK(handle_wait)},
		{"handle-list-hardware", G_CALLBACK(handle_list_hardware)},
		{"handle-watch", G_CALLBACK(handle_watch)},
		{"handle-unwatch", G_CALLBACK(handle_unwatch)},
	};

	for (guint i = 0; i < G_N_ELEMENTS(handlers); i++)
		g_signal_connect(skeleton, handlers[i].signal, handlers[i].handler, service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static gboolean
hubd_endpoints_plugin_start(HubdService *service, GError **error)
{
	HUBD_ENDPOINTS_PLUGIN(service)->watch = hubd_endpoints_watch_new(service);
	return TRUE;
}

static void
hubd_endpoints_plugin_finalize(GObject *object)
{
	g_clear_pointer(&HUBD_ENDPOINTS_PLUGIN(object)->watch, hubd_endpoints_watch_free);
	G_OBJECT_CLASS(hubd_endpoints_plugin_parent_class)->finalize(object);
}

static void
hubd_endpoints_plugin_class_init(HubdEndpointsPluginClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_endpoints_plugin_finalize;
	HUBD_SERVICE_CLASS(klass)->create_skeleton = hubd_endpoints_plugin_create_skeleton;
	HUBD_SERVICE_CLASS(klass)->start = hubd_endpoints_plugin_start;
}

static void
hubd_endpoints_plugin_class_finalize(HubdEndpointsPluginClass *klass)
{
}

static void
hubd_endpoints_plugin_init(HubdEndpointsPlugin *self)
{
}

/* GIO finds these by the module's file name: libhubd-endpoints.so */
G_MODULE_EXPORT void
g_io_hubd_endpoints_load(GIOModule *module);
G_MODULE_EXPORT void
g_io_hubd_endpoints_unload(GIOModule *module);

void
g_io_hubd_endpoints_load(GIOModule *module)
{
	hubd_endpoints_plugin_register_type(G_TYPE_MODULE(module));
	hubd_service_register_extension_point();
	g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
				       HUBD_TYPE_ENDPOINTS_PLUGIN,
				       "endpoints",
				       0);
}

void
g_io_hubd_endpoints_unload(GIOModule *module)
{
}
