/* hubd-endpoints-watch.c: Endpoints.Watch / Unwatch — one poller per watched
 * endpoint, shared by its watchers, sending StatusChanged to them when the
 * endpoint's state, message or URL changes; back-off as Spaces.Watch does
 * (plugins/spaces/hubd-spaces-watch.c), up to 32 times the poll interval */
#define G_LOG_DOMAIN "HubdEndpoints"

#include "hubd-endpoints-watch.h"

#include "hubd-caller-set.h"
#include "hubd-endpoints-config.h"
#include "hubd-endpoints-variant.h"

#define MAX_BACKOFF 32

struct _HubdEndpointsWatch {
	HubdService *service;   /* not owned */
	GHashTable *endpoints;  /* "ns/name" -> Watched* */
	HubdCallerSet *callers; /* by "ns/name" */
};

typedef struct {
	HubdEndpointsWatch *watch;
	HubdHubApi *api;
	gchar *key;
	gchar *ns;
	gchar *name;
	gchar *last; /* "state\nmessage\nurl" last sent */
	GVariant *endpoint;
	guint factor;
	guint timer_id;
	GCancellable *cancellable;
	gboolean polling;
	gboolean gone;
} Watched;

static void
watched_poll(Watched *w);

static void
watched_free(Watched *w)
{
	g_clear_handle_id(&w->timer_id, g_source_remove);
	g_cancellable_cancel(w->cancellable);
	g_object_unref(w->cancellable);
	g_object_unref(w->api);
	g_clear_pointer(&w->endpoint, g_variant_unref);
	g_free(w->key);
	g_free(w->ns);
	g_free(w->name);
	g_free(w->last);
	g_free(w);
}

static void
watch_empty_cb(const gchar *key, gpointer user_data)
{
	HubdEndpointsWatch *watch = user_data;
	Watched *w = g_hash_table_lookup(watch->endpoints, key);

	if (w == NULL)
		return;
	g_hash_table_steal(watch->endpoints, key);
	hubd_context_release(hubd_service_get_context(watch->service));
	g_clear_handle_id(&w->timer_id, g_source_remove);
	if (w->polling) {
		w->gone = TRUE;
		g_cancellable_cancel(w->cancellable);
		return;
	}
	watched_free(w);
}

static void
watched_send(Watched *w, GDBusMethodInvocation *only)
{
	hubd_caller_set_emit(w->watch->callers,
			     w->key,
			     only,
			     HUBD_ENDPOINTS_IFACE,
			     "StatusChanged",
			     g_variant_new("(ss@a{sv})", w->ns, w->name, w->endpoint));
}

static gboolean
watched_timer_cb(gpointer user_data)
{
	Watched *w = user_data;

	w->timer_id = 0;
	watched_poll(w);
	return G_SOURCE_REMOVE;
}

static void
watched_got_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Watched *w = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = hubd_hub_api_endpoints_finish(HUBD_HUB_API(source), res, &error);
	guint base = hubd_endpoints_poll_interval_ms(w->watch->service);

	w->polling = FALSE;
	if (w->gone) {
		watched_free(w);
		return;
	}
	if (node == NULL) {
		g_debug("watching %s: %s", w->key, error->message);
		w->factor = MIN(w->factor * 2, MAX_BACKOFF);
	} else {
		/* the status, not its timestamps: what a watcher acts on */
		g_autofree gchar *status =
			g_strdup_printf("%s\n%s\n%s",
					hubd_endpoints_status_member(node, "state"),
					hubd_endpoints_status_member(node, "message"),
					hubd_endpoints_status_member(node, "url"));

		if (g_strcmp0(status, w->last) != 0) {
			g_free(w->last);
			w->last = g_steal_pointer(&status);
			g_clear_pointer(&w->endpoint, g_variant_unref);
			w->endpoint = g_variant_ref_sink(hubd_endpoints_to_variant(node, w->ns));
			w->factor = 1;
			watched_send(w, NULL);
		} else {
			w->factor = MIN(w->factor * 2, MAX_BACKOFF);
		}
	}
	w->timer_id = g_timeout_add(base * w->factor, watched_timer_cb, w);
}

static void
watched_poll(Watched *w)
{
	g_autofree gchar *base = hubd_endpoints_api_base(w->watch->service);

	w->polling = TRUE;
	hubd_hub_api_endpoint_get_async(w->api,
					base,
					w->ns,
					w->name,
					w->cancellable,
					watched_got_cb,
					w);
}

HubdEndpointsWatch *
hubd_endpoints_watch_new(HubdService *service)
{
	HubdEndpointsWatch *watch = g_new0(HubdEndpointsWatch, 1);

	watch->service = service;
	watch->endpoints = g_hash_table_new(g_str_hash, g_str_equal);
	watch->callers = hubd_caller_set_new(watch_empty_cb, watch);
	return watch;
}

void
hubd_endpoints_watch_free(HubdEndpointsWatch *watch)
{
	GHashTableIter iter;
	gpointer value;

	/* the daemon is going: its main loop runs no callback of ours again */
	g_hash_table_iter_init(&iter, watch->endpoints);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		watched_free(value);
	hubd_caller_set_free(watch->callers);
	g_hash_table_unref(watch->endpoints);
	g_free(watch);
}

void
hubd_endpoints_watch_add(HubdEndpointsWatch *watch,
			 GDBusMethodInvocation *invocation,
			 HubdHubApi *api,
			 const gchar *namespace_,
			 const gchar *name)
{
	g_autofree gchar *key = g_strdup_printf("%s/%s", namespace_, name);
	Watched *w = g_hash_table_lookup(watch->endpoints, key);

	if (w == NULL) {
		w = g_new0(Watched, 1);
		w->watch = watch;
		w->api = g_object_ref(api);
		w->key = g_strdup(key);
		w->ns = g_strdup(namespace_);
		w->name = g_strdup(name);
		w->factor = 1;
		w->cancellable = g_cancellable_new();
		g_hash_table_insert(watch->endpoints, w->key, w);
		hubd_context_hold(hubd_service_get_context(watch->service));
		watched_poll(w);
	}
	if (hubd_caller_set_add(watch->callers, key, invocation) && w->endpoint != NULL)
		watched_send(w, invocation);
	g_dbus_method_invocation_return_value(invocation, NULL);
}

void
hubd_endpoints_watch_remove(HubdEndpointsWatch *watch,
			    GDBusMethodInvocation *invocation,
			    const gchar *namespace_,
			    const gchar *name)
{
	g_autofree gchar *key = g_strdup_printf("%s/%s", namespace_, name);

	hubd_caller_set_remove(watch->callers, key, invocation);
	g_dbus_method_invocation_return_value(invocation, NULL);
}
