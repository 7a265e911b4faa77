/* hubd-webhooks.c: the daemon's webhook hub.
 *
 * The listener hands accepted deliveries here; they go into a bounded
 * history and out as the "received" signal, which the Webhooks service turns
 * into D-Bus signals and Sync into runs. Webhooks hubd creates for itself
 * get a secret generated here, stored in the keyring before the Hub hears of
 * it, under a placeholder id until the Hub names the webhook. */
#define G_LOG_DOMAIN "HubdWebhooks"

#include "hubd-webhooks.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-error.h"
#include "hubd-webhook-listener.h"

struct _HubdWebhooks {
	GObject parent_instance;
	HubdWebhookSecrets *secrets;
	HubdWebhookListener *listener;
	gchar *public_url;
	GQueue history; /* GVariant* a{sv}, oldest first */
};

G_DEFINE_TYPE(HubdWebhooks, hubd_webhooks, G_TYPE_OBJECT)

enum { SIGNAL_RECEIVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
hubd_webhooks_finalize(GObject *object)
{
	HubdWebhooks *self = HUBD_WEBHOOKS(object);

	g_clear_object(&self->listener);
	g_clear_object(&self->secrets);
	g_free(self->public_url);
	g_queue_clear_full(&self->history, (GDestroyNotify)g_variant_unref);
	G_OBJECT_CLASS(hubd_webhooks_parent_class)->finalize(object);
}

static void
hubd_webhooks_class_init(HubdWebhooksClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_webhooks_finalize;
	signals[SIGNAL_RECEIVED] = g_signal_new("received",
						G_TYPE_FROM_CLASS(klass),
						G_SIGNAL_RUN_LAST,
						0,
						NULL,
						NULL,
						NULL,
						G_TYPE_NONE,
						1,
						G_TYPE_POINTER);
}

static void
hubd_webhooks_init(HubdWebhooks *self)
{
	self->secrets = hubd_webhook_secrets_new();
	g_queue_init(&self->history);
}

HubdWebhooks *
hubd_webhooks_get_default(void)
{
	static HubdWebhooks *instance;

	if (instance == NULL)
		instance = g_object_new(HUBD_TYPE_WEBHOOKS, NULL);
	return instance;
}

static void
received_cb(HubdWebhookEvent *event, gpointer user_data)
{
	HubdWebhooks *self = HUBD_WEBHOOKS(user_data);

	g_debug("webhook %s: %s %s on %s %s",
		event->webhook_id,
		event->scope,
		event->action,
		event->repo_type,
		event->repo_name);
	g_queue_push_tail(&self->history, g_variant_ref(hubd_webhook_event_get_variant(event)));
	while (self->history.length > HUBD_WEBHOOKS_HISTORY)
		g_variant_unref(g_queue_pop_head(&self->history));
	g_signal_emit(self, signals[SIGNAL_RECEIVED], 0, event);
}

static void
secrets_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (!hubd_webhook_secrets_load_finish(HUBD_WEBHOOK_SECRETS(source), res, &error))
		g_warning("%s", error->message);
}

gboolean
hubd_webhooks_start(HubdWebhooks *self,
		    const gchar *listen,
		    const gchar *public_url,
		    const gchar *cert_path,
		    const gchar *key_path,
		    guint request_timeout_s,
		    GError **error)
{
	g_free(self->public_url);
	self->public_url =
		public_url != NULL && public_url[0] != '\0' ? g_strdup(public_url) : NULL;
	/* without a listener the keyring is not touched: a locked one would
	 * otherwise ask to be unlocked at every start */
	if (listen == NULL || listen[0] == '\0')
		return TRUE;
	hubd_webhook_secrets_load_async(self->secrets, NULL, secrets_loaded_cb, NULL);
	self->listener =
		hubd_webhook_listener_new(self->secrets, request_timeout_s, received_cb, self);
	if (!hubd_webhook_listener_start(self->listener, listen, cert_path, key_path, error)) {
		g_clear_object(&self->listener);
		return FALSE;
	}
	return TRUE;
}

HubdWebhookSecrets *
hubd_webhooks_get_secrets(HubdWebhooks *self)
{
	return self->secrets;
}

const gchar *
hubd_webhooks_get_url(HubdWebhooks *self)
{
	return self->listener != NULL ? hubd_webhook_listener_get_url(self->listener) : NULL;
}

const gchar *
hubd_webhooks_get_public_url(HubdWebhooks *self)
{
	return self->public_url != NULL ? self->public_url : hubd_webhooks_get_url(self);
}

GVariant *
hubd_webhooks_list_events(HubdWebhooks *self)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (GList *l = self->history.head; l != NULL; l = l->next)
		g_variant_builder_add_value(&b, l->data);
	return g_variant_builder_end(&b);
}

/* ---- webhooks of our own ---- */

typedef struct {
	HubdHubApi *api;
	GPtrArray *watched;
	GStrv domains;
	gchar *secret;
	HubdHubWebhook *webhook;
} Managed;

static void
managed_free(Managed *m)
{
	g_object_unref(m->api);
	g_ptr_array_unref(m->watched);
	g_strfreev(m->domains);
	if (m->secret != NULL)
		memset(m->secret, 0, strlen(m->secret));
	g_free(m->secret);
	g_clear_pointer(&m->webhook, hubd_hub_webhook_free);
	g_free(m);
}

static void
managed_stored_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	Managed *m = g_task_get_task_data(task);
	GError *error = NULL;

	if (!hubd_webhook_secrets_store_finish(HUBD_WEBHOOK_SECRETS(source), res, &error)) {
		/* the Hub has it but we cannot accept it: take it back */
		hubd_hub_api_delete_webhook_async(m->api, m->webhook->id, NULL, NULL, NULL);
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task,
			      g_steal_pointer(&m->webhook),
			      (GDestroyNotify)hubd_hub_webhook_free);
}

static void
managed_created_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	HubdWebhooks *self = g_task_get_source_object(task);
	Managed *m = g_task_get_task_data(task);
	GError *error = NULL;

	m->webhook = hubd_hub_api_webhook_finish(HUBD_HUB_API(source), res, &error);
	if (m->webhook == NULL) {
		g_task_return_error(task, error);
		return;
	}
	hubd_webhook_secrets_store_async(self->secrets,
					 m->webhook->id,
					 m->secret,
					 g_task_get_cancellable(task),
					 managed_stored_cb,
					 g_object_ref(task));
}

void
hubd_webhooks_create_managed_async(HubdWebhooks *self,
				   HubdHubApi *api,
				   GPtrArray *watched,
				   const gchar *const *domains,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	const gchar *url = hubd_webhooks_get_public_url(self);
	Managed *m;

	g_task_set_source_tag(task, hubd_webhooks_create_managed_async);
	if (url == NULL) {
		g_task_return_new_error(
			task,
			HUBD_ERROR,
			HUBD_ERROR_INVALID_ARGUMENT,
			_("hubd does not listen for webhooks: set [webhooks] listen=ADDRESS:PORT "
			  "or give a URL"));
		return;
	}
	m = g_new0(Managed, 1);
	m->api = g_object_ref(api);
	m->watched = g_ptr_array_ref(watched);
	m->domains = g_strdupv((gchar **)domains);
	/* the Hub's deliveries are not accepted until the keyring holds the
	 * secret, which needs the Hub's id: a delivery in between gets 401 and
	 * the Hub retries it */
	m->secret = hubd_webhook_secret_generate();
	g_task_set_task_data(task, m, (GDestroyNotify)managed_free);
	hubd_hub_api_create_webhook_async(api,
					  watched,
					  url,
					  (const gchar *const *)m->domains,
					  m->secret,
					  cancellable,
					  managed_created_cb,
					  g_object_ref(task));
}

HubdHubWebhook *
hubd_webhooks_create_managed_finish(HubdWebhooks *self, GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}
