/* hubd-caller-set.c: D-Bus callers by key, forgotten when they leave (their
 * bus name vanishes, or their peer-to-peer connection closes) */
#define G_LOG_DOMAIN "HubdPlugin"

#include "hubd-caller-set.h"

struct _HubdCallerSet {
	GHashTable *keys; /* key -> GPtrArray of Caller* */
	HubdCallerSetEmptyFunc empty;
	gpointer user_data;
};

typedef struct {
	HubdCallerSet *set;
	gchar *key;
	GDBusConnection *connection;
	gchar *sender; /* NULL on a peer-to-peer connection */
	guint watch_id;
	gulong closed_id;
	guint idle_id; /* forgetting it, after it left */
} Caller;

static void
caller_free(Caller *c)
{
	g_clear_handle_id(&c->idle_id, g_source_remove);
	if (c->watch_id != 0)
		g_bus_unwatch_name(c->watch_id);
	if (c->closed_id != 0)
		g_signal_handler_disconnect(c->connection, c->closed_id);
	g_object_unref(c->connection);
	g_free(c->sender);
	g_free(c->key);
	g_free(c);
}

static void
caller_forget(Caller *c)
{
	HubdCallerSet *set = c->set;
	g_autofree gchar *key = g_strdup(c->key);
	GPtrArray *callers = g_hash_table_lookup(set->keys, key);

	g_ptr_array_remove(callers, c);
	if (callers->len == 0) {
		g_hash_table_remove(set->keys, key);
		set->empty(key, set->user_data);
	}
}

/* deferred: the callbacks below may not free their own watch */
static gboolean
caller_forget_idle_cb(gpointer user_data)
{
	Caller *c = user_data;

	c->idle_id = 0;
	caller_forget(c);
	return G_SOURCE_REMOVE;
}

static void
caller_left(Caller *c)
{
	if (c->idle_id == 0)
		c->idle_id = g_idle_add(caller_forget_idle_cb, c);
}

static void
caller_vanished_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	caller_left(user_data);
}

static void
caller_closed_cb(GDBusConnection *connection,
		 gboolean remote_peer_vanished,
		 GError *error,
		 gpointer user_data)
{
	caller_left(user_data);
}

static Caller *
caller_find(GPtrArray *callers, GDBusMethodInvocation *invocation)
{
	for (guint i = 0; callers != NULL && i < callers->len; i++) {
		Caller *c = g_ptr_array_index(callers, i);

		if (c->connection == g_dbus_method_invocation_get_connection(invocation) &&
		    g_strcmp0(c->sender, g_dbus_method_invocation_get_sender(invocation)) == 0)
			return c;
	}
	return NULL;
}

HubdCallerSet *
hubd_caller_set_new(HubdCallerSetEmptyFunc empty, gpointer user_data)
{
	HubdCallerSet *set = g_new0(HubdCallerSet, 1);

	set->keys = g_hash_table_new_full(g_str_hash,
					  g_str_equal,
					  g_free,
					  (GDestroyNotify)g_ptr_array_unref);
	set->empty = empty;
	set->user_data = user_data;
	return set;
}

void
hubd_caller_set_free(HubdCallerSet *set)
{
	g_hash_table_unref(set->keys);
	g_free(set);
}

gboolean
hubd_caller_set_add(HubdCallerSet *set, const gchar *key, GDBusMethodInvocation *invocation)
{
	GPtrArray *callers = g_hash_table_lookup(set->keys, key);
	Caller *c;

	if (caller_find(callers, invocation) != NULL)
		return FALSE;
	if (callers == NULL) {
		callers = g_ptr_array_new_with_free_func((GDestroyNotify)caller_free);
		g_hash_table_insert(set->keys, g_strdup(key), callers);
	}
	c = g_new0(Caller, 1);
	c->set = set;
	c->key = g_strdup(key);
	c->connection = g_object_ref(g_dbus_method_invocation_get_connection(invocation));
	c->sender = g_strdup(g_dbus_method_invocation_get_sender(invocation));
	if (c->sender != NULL)
		c->watch_id = g_bus_watch_name_on_connection(c->connection,
							     c->sender,
							     G_BUS_NAME_WATCHER_FLAGS_NONE,
							     NULL,
							     caller_vanished_cb,
							     c,
							     NULL);
	else
		c->closed_id =
			g_signal_connect(c->connection, "closed", G_CALLBACK(caller_closed_cb), c);
	g_ptr_array_add(callers, c);
	return TRUE;
}

void
hubd_caller_set_remove(HubdCallerSet *set, const gchar *key, GDBusMethodInvocation *invocation)
{
	Caller *c = caller_find(g_hash_table_lookup(set->keys, key), invocation);

	if (c != NULL)
		caller_forget(c);
}

void
hubd_caller_set_emit(HubdCallerSet *set,
		     const gchar *key,
		     GDBusMethodInvocation *only,
		     const gchar *interface_name,
		     const gchar *signal,
		     GVariant *params)
{
	GPtrArray *callers = g_hash_table_lookup(set->keys, key);
	g_autoptr(GVariant) owned = g_variant_ref_sink(params);

	for (guint i = 0; callers != NULL && i < callers->len; i++) {
		Caller *c = g_ptr_array_index(callers, i);
		g_autoptr(GError) error = NULL;

		if (only != NULL && c != caller_find(callers, only))
			continue;
		/* to the watchers only: what a private Space or endpoint does is
		 * its owner's business */
		if (!g_dbus_connection_emit_signal(c->connection,
						   c->sender,
						   "/org/hubd/Hub1",
						   interface_name,
						   signal,
						   owned,
						   &error))
			g_debug("%s for %s: %s", signal, key, error->message);
	}
}
