/* hubd-webhooks-service.c: org.hubd.Hub1.Webhooks.
 *
 * Configuration ([webhooks] in hubd.conf, or --set webhooks.KEY=VALUE):
 * listen=ADDRESS:PORT turns the listener on (port 0: a free one),
 * public-url=URL is what the Hub is told when it reaches hubd through a
 * proxy, tls-certificate= and tls-key= (PEM files) make it HTTPS. */
#define G_LOG_DOMAIN "HubdWebhooks"

#include "hubd-webhooks-service.h"

#include <glib/gi18n.h>

#include "hubd-context.h"
#include "hubd-dbus-generated.h"
#include "hubd-error.h"
#include "hubd-hub-api-webhooks.h"
#include "hubd-webhook-listener.h"
#include "hubd-webhooks.h"

struct _HubdWebhooksService {
	HubdService parent_instance;
	guint busy;
};

G_DEFINE_TYPE_WITH_CODE(HubdWebhooksService,
			hubd_webhooks_service,
			HUBD_TYPE_SERVICE,
			hubd_service_register_extension_point();
			g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
						       g_define_type_id,
						       "webhooks",
						       600))

typedef struct {
	HubdWebhooksService *self;
	GDBusMethodInvocation *invocation;
	HubdHubApi *api;
	gchar *webhook_id; /* Delete: the secret to forget afterwards */
} Call;

static Call *
call_new(HubdWebhooksService *self, GDBusMethodInvocation *invocation, GVariant *options)
{
	Call *call = g_new0(Call, 1);
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(self));

	call->self = g_object_ref(self);
	call->invocation = g_object_ref(invocation);
	call->api = hubd_hub_api_new_for_call(hubd_context_get_hub_api(context), options);
	self->busy++;
	hubd_context_hold(context);
	return call;
}

static void
call_free(Call *call)
{
	hubd_context_release(hubd_service_get_context(HUBD_SERVICE(call->self)));
	call->self->busy--;
	g_object_unref(call->self);
	g_object_unref(call->invocation);
	g_object_unref(call->api);
	g_free(call->webhook_id);
	g_free(call);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Call, call_free)

static GVariant *
webhook_to_variant(const HubdHubWebhook *w)
{
	HubdWebhookSecrets *secrets = hubd_webhooks_get_secrets(hubd_webhooks_get_default());
	GVariantBuilder b;
	GVariantBuilder watched;

	g_variant_builder_init(&watched, G_VARIANT_TYPE("a(ss)"));
	for (guint i = 0; i < w->watched->len; i++) {
		HubdHubWebhookWatched *item = g_ptr_array_index(w->watched, i);

		g_variant_builder_add(&watched, "(ss)", item->type, item->name);
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "id", g_variant_new_string(w->id));
	g_variant_builder_add(&b,
			      "{sv}",
			      "url",
			      g_variant_new_string(w->url != NULL ? w->url : ""));
	g_variant_builder_add(&b, "{sv}", "watched", g_variant_builder_end(&watched));
	g_variant_builder_add(&b,
			      "{sv}",
			      "domains",
			      g_variant_new_strv((const gchar *const *)w->domains, -1));
	g_variant_builder_add(&b, "{sv}", "disabled", g_variant_new_boolean(w->disabled));
	g_variant_builder_add(&b, "{sv}", "has_secret", g_variant_new_boolean(w->has_secret));
	g_variant_builder_add(&b,
			      "{sv}",
			      "managed",
			      g_variant_new_boolean(hubd_webhook_secrets_has(secrets, w->id)));
	return g_variant_builder_end(&b);
}

static GPtrArray *
watched_from_variant(GVariant *watched)
{
	GPtrArray *list =
		g_ptr_array_new_with_free_func((GDestroyNotify)hubd_hub_webhook_watched_free);
	GVariantIter iter;
	const gchar *type, *name;

	g_variant_iter_init(&iter, watched);
	while (g_variant_iter_next(&iter, "(&s&s)", &type, &name))
		g_ptr_array_add(list, hubd_hub_webhook_watched_new(type, name));
	return list;
}

/* ---- the listener and its history ---- */

static gboolean
handle_get_listener(HubdDbusWebhooks *skeleton,
		    GDBusMethodInvocation *invocation,
		    GVariant *options,
		    gpointer user_data)
{
	HubdWebhooks *hooks = hubd_webhooks_get_default();
	const gchar *url = hubd_webhooks_get_url(hooks);
	GVariantBuilder b;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "listening", g_variant_new_boolean(url != NULL));
	g_variant_builder_add(&b, "{sv}", "url", g_variant_new_string(url != NULL ? url : ""));
	g_variant_builder_add(
		&b,
		"{sv}",
		"public_url",
		g_variant_new_string(
			hubd_webhooks_get_public_url(hooks) != NULL &&
					g_strcmp0(hubd_webhooks_get_public_url(hooks), url) != 0
				? hubd_webhooks_get_public_url(hooks)
				: ""));
	g_variant_builder_add(
		&b,
		"{sv}",
		"secrets",
		g_variant_new_uint32(hubd_webhook_secrets_count(hubd_webhooks_get_secrets(hooks))));
	hubd_dbus_webhooks_complete_get_listener(skeleton, invocation, g_variant_builder_end(&b));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_events(HubdDbusWebhooks *skeleton,
		   GDBusMethodInvocation *invocation,
		   GVariant *options,
		   gpointer user_data)
{
	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	hubd_dbus_webhooks_complete_list_events(
		skeleton,
		invocation,
		hubd_webhooks_list_events(hubd_webhooks_get_default()));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
received_cb(HubdWebhooks *hooks, HubdWebhookEvent *event, gpointer user_data)
{
	HubdService *service = HUBD_SERVICE(user_data);

	hubd_dbus_webhooks_emit_received(HUBD_DBUS_WEBHOOKS(hubd_service_get_skeleton(service)),
					 hubd_webhook_event_get_variant(event));
}

/* ---- management on the Hub ---- */

static HubdDbusWebhooks *
call_skeleton(Call *call)
{
	return HUBD_DBUS_WEBHOOKS(hubd_service_get_skeleton(HUBD_SERVICE(call->self)));
}

static void
listed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) list =
		hubd_hub_api_list_webhooks_finish(HUBD_HUB_API(source), res, &error);
	GVariantBuilder b;

	if (list == NULL) {
		hubd_service_return_error(call->invocation, g_steal_pointer(&error));
		return;
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < list->len; i++)
		g_variant_builder_add_value(&b, webhook_to_variant(g_ptr_array_index(list, i)));
	hubd_dbus_webhooks_complete_list_webhooks(call_skeleton(call),
						  call->invocation,
						  g_variant_builder_end(&b));
}

static gboolean
handle_list_webhooks(HubdDbusWebhooks *skeleton,
		     GDBusMethodInvocation *invocation,
		     GVariant *options,
		     gpointer user_data)
{
	GError *error = NULL;
	Call *call;

	if (!hubd_service_check_hub_options(options, NULL, &error)) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	call = call_new(user_data, invocation, options);
	hubd_hub_api_list_webhooks_async(call->api, NULL, listed_cb, call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* get, create, update, enable, disable: one webhook back */
static void
webhook_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdHubWebhook) w = NULL;
	GVariant *v;

	if (HUBD_IS_WEBHOOKS(source))
		w = hubd_webhooks_create_managed_finish(HUBD_WEBHOOKS(source), res, &error);
	else
		w = hubd_hub_api_webhook_finish(HUBD_HUB_API(source), res, &error);
	if (w == NULL) {
		hubd_service_return_error(call->invocation, g_steal_pointer(&error));
		return;
	}
	v = webhook_to_variant(w);
	/* every method of this group returns (a{sv}) */
	g_dbus_method_invocation_return_value(call->invocation, g_variant_new_tuple(&v, 1));
}

static Call *
begin(gpointer service, GDBusMethodInvocation *invocation, GVariant *options)
{
	GError *error = NULL;

	if (!hubd_service_check_hub_options(options, NULL, &error)) {
		hubd_service_return_error(invocation, error);
		return NULL;
	}
	return call_new(service, invocation, options);
}

static gboolean
handle_create_webhook(HubdDbusWebhooks *skeleton,
		      GDBusMethodInvocation *invocation,
		      GVariant *watched,
		      const gchar *url,
		      const gchar *const *domains,
		      const gchar *secret,
		      GVariant *options,
		      gpointer user_data)
{
	Call *call = begin(user_data, invocation, options);
	g_autoptr(GPtrArray) list = NULL;

	if (call == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	list = watched_from_variant(watched);
	if (url[0] == '\0' && secret[0] == '\0')
		hubd_webhooks_create_managed_async(hubd_webhooks_get_default(),
						   call->api,
						   list,
						   domains,
						   NULL,
						   webhook_cb,
						   call);
	else
		hubd_hub_api_create_webhook_async(
			call->api,
			list,
			url[0] != '\0' ? url
				       : hubd_webhooks_get_public_url(hubd_webhooks_get_default()),
			domains,
			secret[0] != '\0' ? secret : NULL,
			NULL,
			webhook_cb,
			call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_update_webhook(HubdDbusWebhooks *skeleton,
		      GDBusMethodInvocation *invocation,
		      const gchar *webhook_id,
		      GVariant *watched,
		      const gchar *url,
		      const gchar *const *domains,
		      const gchar *secret,
		      GVariant *options,
		      gpointer user_data)
{
	Call *call = begin(user_data, invocation, options);
	g_autoptr(GPtrArray) list = NULL;

	if (call == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	list = watched_from_variant(watched);
	hubd_hub_api_update_webhook_async(call->api,
					  webhook_id,
					  list,
					  url[0] != '\0' ? url : NULL,
					  domains[0] != NULL ? domains : NULL,
					  secret[0] != '\0' ? secret : NULL,
					  NULL,
					  webhook_cb,
					  call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Get, Enable and Disable: an id in, the webhook out */
static gboolean
handle_one_webhook(HubdDbusWebhooks *skeleton,
		   GDBusMethodInvocation *invocation,
		   const gchar *webhook_id,
		   GVariant *options,
		   gpointer user_data)
{
	const gchar *method = g_dbus_method_invocation_get_method_name(invocation);
	Call *call = begin(user_data, invocation, options);

	if (call == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	if (g_str_equal(method, "EnableWebhook"))
		hubd_hub_api_enable_webhook_async(call->api, webhook_id, NULL, webhook_cb, call);
	else if (g_str_equal(method, "DisableWebhook"))
		hubd_hub_api_disable_webhook_async(call->api, webhook_id, NULL, webhook_cb, call);
	else
		hubd_hub_api_get_webhook_async(call->api, webhook_id, NULL, webhook_cb, call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
secret_removed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	g_autoptr(GError) error = NULL;

	if (!hubd_webhook_secrets_remove_finish(HUBD_WEBHOOK_SECRETS(source), res, &error))
		g_warning("%s", error->message);
	hubd_dbus_webhooks_complete_delete_webhook(call_skeleton(call), call->invocation);
}

static void
deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	g_autoptr(GError) error = NULL;
	const gchar *webhook_id = call->webhook_id;

	if (!hubd_hub_api_delete_webhook_finish(HUBD_HUB_API(source), res, &error)) {
		hubd_service_return_error(call->invocation, g_steal_pointer(&error));
		return;
	}
	hubd_webhook_secrets_remove_async(hubd_webhooks_get_secrets(hubd_webhooks_get_default()),
					  webhook_id,
					  NULL,
					  secret_removed_cb,
					  g_steal_pointer(&call));
}

static gboolean
handle_delete_webhook(HubdDbusWebhooks *skeleton,
		      GDBusMethodInvocation *invocation,
		      const gchar *webhook_id,
		      GVariant *options,
		      gpointer user_data)
{
	Call *call = begin(user_data, invocation, options);

	if (call == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	call->webhook_id = g_strdup(webhook_id);
	hubd_hub_api_delete_webhook_async(call->api, webhook_id, NULL, deleted_cb, call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- the service ---- */

static gboolean
hubd_webhooks_service_start(HubdService *service, GError **error)
{
	g_autofree gchar *listen = hubd_service_get_config_string(service, "listen", NULL);
	g_autofree gchar *public_url = hubd_service_get_config_string(service, "public-url", NULL);
	g_autofree gchar *cert = hubd_service_get_config_string(service, "tls-certificate", NULL);
	g_autofree gchar *key = hubd_service_get_config_string(service, "tls-key", NULL);
	HubdWebhooks *hooks = hubd_webhooks_get_default();
	guint timeout = (guint)hubd_service_get_config_uint64(service,
							      "request-timeout",
							      1,
							      3600,
							      HUBD_WEBHOOK_REQUEST_TIMEOUT_S);

	g_signal_connect_object(hooks, "received", G_CALLBACK(received_cb), service, 0);
	return hubd_webhooks_start(hooks, listen, public_url, cert, key, timeout, error);
}

static GDBusInterfaceSkeleton *
hubd_webhooks_service_create_skeleton(HubdService *service)
{
	HubdDbusWebhooks *skeleton = hubd_dbus_webhooks_skeleton_new();
	static const struct {
		const gchar *signal;
		GCallback cb;
	} handlers[] = {
		{"handle-get-listener", G_CALLBACK(handle_get_listener)},
		{"handle-list-events", G_CALLBACK(handle_list_events)},
		{"handle-list-webhooks", G_CALLBACK(handle_list_webhooks)},
		{"handle-get-webhook", G_CALLBACK(handle_one_webhook)},
		{"handle-create-webhook", G_CALLBACK(handle_create_webhook)},
		{"handle-update-webhook", G_CALLBACK(handle_update_webhook)},
		{"handle-enable-webhook", G_CALLBACK(handle_one_webhook)},
		{"handle-disable-webhook", G_CALLBACK(handle_one_webhook)},
		{"handle-delete-webhook", G_CALLBACK(handle_delete_webhook)},
	};

	for (guint i = 0; i < G_N_ELEMENTS(handlers); i++)
		g_signal_connect(skeleton, handlers[i].signal, handlers[i].cb, service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

/* a running listener keeps the daemon up: deliveries come at any time */
static gboolean
hubd_webhooks_service_is_busy(HubdService *service)
{
	HubdWebhooksService *self = (HubdWebhooksService *)service;

	return self->busy > 0 || hubd_webhooks_get_url(hubd_webhooks_get_default()) != NULL;
}

static void
hubd_webhooks_service_class_init(HubdWebhooksServiceClass *klass)
{
	HubdServiceClass *service_class = HUBD_SERVICE_CLASS(klass);

	service_class->create_skeleton = hubd_webhooks_service_create_skeleton;
	service_class->start = hubd_webhooks_service_start;
	service_class->is_busy = hubd_webhooks_service_is_busy;
}

static void
hubd_webhooks_service_init(HubdWebhooksService *self)
{
}
