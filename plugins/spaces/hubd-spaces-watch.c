/* hubd-spaces-watch.c: Spaces.Watch / Unwatch — one poller per watched Space,
 * shared by every caller watching it, sending RuntimeChanged to those
 * callers when the runtime changes
 *
 * The poll interval starts at [spaces] poll-interval-ms and doubles (up to
 * 32 times) while nothing changes or the Hub fails, back to the start on a
 * change: a watched idle Space costs the Hub little. The poller stops when
 * its last watcher unwatches or leaves. */
#define G_LOG_DOMAIN "HubdSpaces"

#include <glib/gi18n.h>

#include "hubd-spaces-plugin.h"
#include "hubd-spaces-variant.h"

#define MAX_BACKOFF 32

struct _HubdSpacesWatch {
	HubdService *service; /* not owned */
	GHashTable *spaces;   /* space id -> Watched* */
};

typedef struct {
	GDBusConnection *connection;
	gchar *sender; /* NULL on a peer-to-peer connection */
	guint watch_id;
	gulong closed_id;
} Watcher;

typedef struct {
	HubdSpacesWatch *watch;
	gchar *space_id;
	GPtrArray *watchers; /* Watcher* */
	GVariant *last;      /* the runtime last sent */
	guint factor;        /* back-off: the interval is this times the base */
	guint timer_id;
	GCancellable *cancellable;
	gboolean polling;
	gboolean gone; /* no watcher left while a poll was in flight */
} Watched;

static void
watched_poll(Watched *w);
static void
watcher_forget(Watched *w, Watcher *watcher);

static void
watcher_free(Watcher *watcher)
{
	if (watcher->watch_id != 0)
		g_bus_unwatch_name(watcher->watch_id);
	if (watcher->closed_id != 0)
		g_signal_handler_disconnect(watcher->connection, watcher->closed_id);
	g_object_unref(watcher->connection);
	g_free(watcher->sender);
	g_free(watcher);
}

static void
watched_free(Watched *w)
{
	g_clear_handle_id(&w->timer_id, g_source_remove);
	g_cancellable_cancel(w->cancellable);
	g_object_unref(w->cancellable);
	g_ptr_array_unref(w->watchers);
	g_clear_pointer(&w->last, g_variant_unref);
	g_free(w->space_id);
	g_free(w);
}

/* Drops the Space's poller once nobody watches it (after the poll in flight). */
static void
watched_maybe_drop(Watched *w)
{
	if (w->watchers->len > 0)
		return;
	g_clear_handle_id(&w->timer_id, g_source_remove);
	g_hash_table_steal(w->watch->spaces, w->space_id);
	hubd_context_release(hubd_service_get_context(w->watch->service));
	if (w->polling) {
		w->gone = TRUE;
		g_cancellable_cancel(w->cancellable);
		return;
	}
	watched_free(w);
}

static void
watched_send(Watched *w, Watcher *only)
{
	for (guint i = 0; i < w->watchers->len; i++) {
		Watcher *watcher = g_ptr_array_index(w->watchers, i);
		g_autoptr(GError) error = NULL;

		if (only != NULL && watcher != only)
			continue;
		if (!g_dbus_connection_emit_signal(watcher->connection,
						   watcher->sender,
						   HUBD_OBJECT_PATH,
						   HUBD_SPACES_IFACE,
						   "RuntimeChanged",
						   g_variant_new("(s@a{sv})", w->space_id, w->last),
						   &error))
			g_debug("RuntimeChanged for %s: %s", w->space_id, error->message);
	}
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

typedef struct {
	Watched *w;
	Watcher *watcher;
} Gone;

static void
watcher_forget(Watched *w, Watcher *watcher)
{
	g_ptr_array_remove(w->watchers, watcher);
	watched_maybe_drop(w);
}

static void
watcher_vanished_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	Gone *gone = user_data;

	watcher_forget(gone->w, gone->watcher);
}

static void
watcher_closed_cb(GDBusConnection *connection,
		  gboolean remote_peer_vanished,
		  GError *error,
		  gpointer user_data)
{
	Gone *gone = user_data;

	watcher_forget(gone->w, gone->watcher);
}

static Watcher *
watched_find(Watched *w, GDBusMethodInvocation *invocation)
{
	for (guint i = 0; i < w->watchers->len; i++) {
		Watcher *watcher = g_ptr_array_index(w->watchers, i);

		if (watcher->connection == g_dbus_method_invocation_get_connection(invocation) &&
		    g_strcmp0(watcher->sender, g_dbus_method_invocation_get_sender(invocation)) ==
			    0)
			return watcher;
	}
	return NULL;
}

HubdSpacesWatch *
hubd_spaces_watch_new(HubdService *service)
{
	HubdSpacesWatch *watch = g_new0(HubdSpacesWatch, 1);

	watch->service = service;
	watch->spaces = g_hash_table_new(g_str_hash, g_str_equal);
	return watch;
}

void
hubd_spaces_watch_free(HubdSpacesWatch *watch)
{
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
	Watcher *watcher;
	Gone *gone;

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
		w->watchers = g_ptr_array_new_with_free_func((GDestroyNotify)watcher_free);
		w->factor = 1;
		w->cancellable = g_cancellable_new();
		g_hash_table_insert(watch->spaces, w->space_id, w);
		/* hold the daemon while anyone watches */
		hubd_context_hold(hubd_service_get_context(watch->service));
		watched_poll(w);
	}
	if (watched_find(w, invocation) != NULL) {
		g_dbus_method_invocation_return_value(invocation, NULL);
		return;
	}
	watcher = g_new0(Watcher, 1);
	watcher->connection = g_object_ref(g_dbus_method_invocation_get_connection(invocation));
	watcher->sender = g_strdup(g_dbus_method_invocation_get_sender(invocation));
	gone = g_new0(Gone, 1);
	gone->w = w;
	gone->watcher = watcher;
	if (watcher->sender != NULL)
		watcher->watch_id = g_bus_watch_name_on_connection(watcher->connection,
								   watcher->sender,
								   G_BUS_NAME_WATCHER_FLAGS_NONE,
								   NULL,
								   watcher_vanished_cb,
								   gone,
								   g_free);
	else
		watcher->closed_id = g_signal_connect_data(watcher->connection,
							   "closed",
							   G_CALLBACK(watcher_closed_cb),
							   gone,
							   (GClosureNotify)(void (*)(void))g_free,
							   0);
	g_ptr_array_add(w->watchers, watcher);
	g_dbus_method_invocation_return_value(invocation, NULL);
	/* a late watcher gets the runtime known so far at once */
	if (w->last != NULL)
		watched_send(w, watcher);
}

void
hubd_spaces_watch_remove(HubdSpacesWatch *watch,
			 GDBusMethodInvocation *invocation,
			 const gchar *space_id,
			 GVariant *options)
{
	Watched *w;
	Watcher *watcher;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return;
	w = g_hash_table_lookup(watch->spaces, space_id);
	watcher = w != NULL ? watched_find(w, invocation) : NULL;
	g_dbus_method_invocation_return_value(invocation, NULL);
	if (watcher != NULL)
		watcher_forget(w, watcher);
}
