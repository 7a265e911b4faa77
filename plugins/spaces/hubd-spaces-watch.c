/* hubd-spaces-watch.c: Spaces.Watch / Unwatch — one poller per watched Space,
 * shared by every caller watching it, sending RuntimeChanged to those
 * callers when the runtime changes
 *
 * The poll interval starts at [spaces] poll-interval-ms and doubles (up to
 * 32 times) while nothing changes or the Hub fails, back to the start on a
 * change: a watched idle Space costs the Hub little. The poller stops when
 * its last watcher unwatches or leaves (plugins/common/hubd-caller-set.c). */
#define G_LOG_DOMAIN "HubdSpaces"

#include <glib/gi18n.h>

#include "hubd-caller-set.h"
#include "hubd-spaces-plugin.h"
#include "hubd-spaces-variant.h"

#define MAX_BACKOFF 32

struct _HubdSpacesWatch {
	HubdService *service;   /* not owned */
	GHashTable *spaces;     /* space id -> Watched* */
	HubdCallerSet *callers; /* by space id */
};

typedef struct {
	HubdSpacesWatch *watch;
	gchar *space_id;
	GVariant *last; /* the runtime last sent */
	guint factor;   /* back-off: the interval is this times the base */
	guint timer_id;
	GCancellable *cancellable;
	gboolean polling;
	gboolean gone; /* no watcher left while a poll was in flight */
} Watched;

static void
watched_poll(Watched *w);

static void
watched_free(Watched *w)
{
	g_clear_handle_id(&w->timer_id, g_source_remove);
	g_cancellable_cancel(w->cancellable);
	g_object_unref(w->cancellable);
	g_clear_pointer(&w->last, g_variant_unref);
	g_free(w->space_id);
	g_free(w);
}

/* The last watcher left: drop the poller (after the poll in flight). */
static void
watch_empty_cb(const gchar *space_id, gpointer user_data)
{
	HubdSpacesWatch *watch = user_data;
	Watched *w = g_hash_table_lookup(watch->spaces, space_id);

	if (w == NULL)
		return;
	g_hash_table_steal(watch->spaces, space_id);
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
			     w->space_id,
			     only,
			     HUBD_SPACES_IFACE,
			     "RuntimeChanged",
			     g_variant_new("(s@a{sv})", w->space_id, w->last));
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
watched_runtime_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Watched *w = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = hubd_hub_api_space_finish(HUBD_HUB_API(source), res, &error);
	guint base = hubd_spaces_poll_interval_ms(w->watch->service);

	w->polling = FALSE;
	if (w->gone) {
		watched_free(w);
		return;
	}
	if (node == NULL) {
		g_debug("watching %s: %s", w->space_id, error->message);
		w->factor = MIN(w->factor * 2, MAX_BACKOFF);
	} else {
		g_autoptr(GVariant) runtime =
			g_variant_ref_sink(hubd_spaces_runtime_to_variant(node));

		if (w->last == NULL || !g_variant_equal(w->last, runtime)) {
			g_clear_pointer(&w->last, g_variant_unref);
			w->last = g_steal_pointer(&runtime);
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
	w->polling = TRUE;
	hubd_hub_api_space_runtime_async(
		hubd_context_get_hub_api(hubd_service_get_context(w->watch->service)),
		w->space_id,
		w->cancellable,
		watched_runtime_cb,
		w);
}

HubdSpacesWatch *
hubd_spaces_watch_new(HubdService *service)
{
	HubdSpacesWatch *watch = g_new0(HubdSpacesWatch, 1);

	watch->service = service;
	watch->spaces = g_hash_table_new(g_str_hash, g_str_equal);
	watch->callers = hubd_caller_set_new(watch_empty_cb, watch);
	return watch;
}

void
hubd_spaces_watch_free(HubdSpacesWatch *watch)
{
	GHashTableIter iter;
	gpointer value;

	/* the daemon is going: its main loop runs no callback of ours again */
	g_hash_table_iter_init(&iter, watch->spaces);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		watched_free(value);
	hubd_caller_set_free(watch->callers);
	g_hash_table_unref(watch->spaces);
	g_free(watch);
}

void
hubd_spaces_watch_add(HubdSpacesWatch *watch,
		      GDBusMethodInvocation *invocation,
		      const gchar *space_id,
		      GVariant *options)
{
	GError *error = NULL;
	Watched *w;
	gboolean added;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return;
	if (!hubd_repo_id_validate(space_id, TRUE, &error)) {
		hubd_service_return_error(invocation, error);
		return;
	}
	w = g_hash_table_lookup(watch->spaces, space_id);
	if (w == NULL) {
		w = g_new0(Watched, 1);
		w->watch = watch;
		w->space_id = g_strdup(space_id);
		w->factor = 1;
		w->cancellable = g_cancellable_new();
		g_hash_table_insert(watch->spaces, w->space_id, w);
		/* hold the daemon while anyone watches */
		hubd_context_hold(hubd_service_get_context(watch->service));
		watched_poll(w);
	}
	added = hubd_caller_set_add(watch->callers, space_id, invocation);
	/* a late watcher gets the runtime known so far at once */
	if (added && w->last != NULL)
		watched_send(w, invocation);
	g_dbus_method_invocation_return_value(invocation, NULL);
}

void
hubd_spaces_watch_remove(HubdSpacesWatch *watch,
			 GDBusMethodInvocation *invocation,
			 const gchar *space_id,
			 GVariant *options)
{
	if (!hubd_service_accept_options(invocation, options, NULL))
		return;
	hubd_caller_set_remove(watch->callers, space_id, invocation);
	g_dbus_method_invocation_return_value(invocation, NULL);
}
