/* hubd-context.c: HubdContext, what a plugin (and every built-in service) gets from the daemon */
#define G_LOG_DOMAIN "HubdContext"

#include "hubd-context.h"

#include <glib/gi18n.h>

#include "hubd-context-private.h"
#include "hubd-error.h"
#include "hubd-service.h"

struct _HubdContext {
	GObject parent_instance;

	/* Held as plain GObjects: this folder includes nothing above it. */
	HubdConfig *config;
	GObject *hub_api;
	GObject *cache;
	GObject *token_store;

	GHashTable *storages; /* name -> HubdStorage*, made on first use */
	GMutex storages_lock; /* worker threads may ask too */

	GHashTable *managers; /* GDBusConnection* -> GDBusObjectManagerServer* */
	GHashTable *objects;  /* object path -> GDBusObjectSkeleton* */
	guint hold_count;
	gboolean shut_down;
};

G_DEFINE_TYPE(HubdContext, hubd_context, G_TYPE_OBJECT)

enum { PROP_0, PROP_HELD, N_PROPS };
static GParamSpec *props[N_PROPS];

static void
hubd_context_dispose(GObject *object)
{
	HubdContext *self = HUBD_CONTEXT(object);
	g_autoptr(GList) connections = g_hash_table_get_keys(self->managers);

	/* GObject's own dispose then runs the weak refs: the jobs' shutdown */
	for (GList *l = connections; l != NULL; l = l->next)
		hubd_context_remove_connection(self, l->data);
	g_hash_table_remove_all(self->objects);
	self->shut_down = TRUE;
	G_OBJECT_CLASS(hubd_context_parent_class)->dispose(object);
}

static void
hubd_context_finalize(GObject *object)
{
	HubdContext *self = HUBD_CONTEXT(object);

	g_hash_table_unref(self->managers);
	g_hash_table_unref(self->objects);
	g_hash_table_unref(self->storages);
	g_mutex_clear(&self->storages_lock);
	g_clear_object(&self->token_store);
	g_clear_object(&self->cache);
	g_clear_object(&self->hub_api);
	g_clear_object(&self->config);
	G_OBJECT_CLASS(hubd_context_parent_class)->finalize(object);
}

static void
hubd_context_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	HubdContext *self = HUBD_CONTEXT(object);

	switch (prop_id) {
	case PROP_HELD:
		g_value_set_boolean(value, self->hold_count > 0);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
hubd_context_class_init(HubdContextClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = hubd_context_dispose;
	object_class->finalize = hubd_context_finalize;
	object_class->get_property = hubd_context_get_property;

	props[PROP_HELD] = g_param_spec_boolean("held",
						NULL,
						NULL,
						FALSE,
						G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
							G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
hubd_context_init(HubdContext *self)
{
	self->storages = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	g_mutex_init(&self->storages_lock);
	self->managers = g_hash_table_new_full(NULL, NULL, g_object_unref, g_object_unref);
	self->objects = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
}

HubdContext *
hubd_context_new(HubdConfig *config,
		 HubdHubApi *hub_api,
		 HubdCache *cache,
		 HubdTokenStore *token_store)
{
	HubdContext *self = g_object_new(HUBD_TYPE_CONTEXT, NULL);

	g_return_val_if_fail(HUBD_IS_CONFIG(config), NULL);
	g_return_val_if_fail(G_IS_OBJECT(hub_api), NULL);
	g_return_val_if_fail(G_IS_OBJECT(cache), NULL);
	self->config = g_object_ref(config);
	self->hub_api = g_object_ref(G_OBJECT(hub_api));
	self->cache = g_object_ref(G_OBJECT(cache));
	if (token_store != NULL)
		self->token_store = g_object_ref(G_OBJECT(token_store));
	return self;
}

/* ---- what plugins use ---- */

/**
 * hubd_context_get_hub_api:
 * @self: the context
 *
 * The one Hub API of the daemon: every endpoint hubd knows, and generic
 * authenticated requests. The token is added by the transport, only for the
 * Hub's own origin; a plugin never sees it.
 *
 * Returns: (transfer none): the Hub API
 *
 * Since: 0.1
 */
HubdHubApi *
hubd_context_get_hub_api(HubdContext *self)
{
	g_return_val_if_fail(HUBD_IS_CONTEXT(self), NULL);
	return (HubdHubApi *)self->hub_api;
}

/**
 * hubd_context_get_cache:
 * @self: the context
 *
 * The shared download cache, laid out as huggingface_hub's (`[cache] dir`
 * in hubd.conf, else the huggingface_hub environment). Thread-safe.
 *
 * Returns: (transfer none): the cache
 *
 * Since: 0.1
 */
HubdCache *
hubd_context_get_cache(HubdContext *self)
{
	g_return_val_if_fail(HUBD_IS_CONTEXT(self), NULL);
	return (HubdCache *)self->cache;
}

/**
 * hubd_context_get_endpoint:
 * @self: the context
 *
 * The Hub this daemon talks to, e.g. `https://huggingface.co` (no trailing
 * slash).
 *
 * Returns: the endpoint URL
 *
 * Since: 0.1
 */
const gchar *
hubd_context_get_endpoint(HubdContext *self)
{
	g_return_val_if_fail(HUBD_IS_CONTEXT(self), NULL);
	return hubd_config_get_endpoint(self->config);
}

/**
 * hubd_context_get_storage:
 * @self: the context
 * @name: a backend name: the `[storage.NAME]` group of hubd.conf
 * @error: return location for a #GError
 *
 * The storage backend configured under @name, made on first use and kept.
 * Making one does no I/O. Thread-safe.
 *
 * Returns: (transfer full): the backend, or %NULL with %HUBD_ERROR_INVALID_ARGUMENT
 *   when no such backend is configured or its URL scheme has no backend
 *
 * Since: 0.1
 */
HubdStorage *
hubd_context_get_storage(HubdContext *self, const gchar *name, GError **error)
{
	g_autoptr(GMutexLocker) locker = NULL;
	HubdStorage *storage;

	g_return_val_if_fail(HUBD_IS_CONTEXT(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);
	locker = g_mutex_locker_new(&self->storages_lock);
	storage = g_hash_table_lookup(self->storages, name);
	if (storage == NULL) {
		storage = hubd_storage_new_from_config(self->config, name, NULL, error);
		if (storage == NULL)
			return NULL;
		g_hash_table_insert(self->storages, g_strdup(name), storage);
	}
	return g_object_ref(storage);
}

void
hubd_context_forget_storage(HubdContext *self, const gchar *name)
{
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_if_fail(HUBD_IS_CONTEXT(self));
	locker = g_mutex_locker_new(&self->storages_lock);
	g_hash_table_remove(self->storages, name);
}

/* ---- objects on every connection ---- */

/* GDBusObjectManagerServer unexports a skeleton from every connection
 * (g_dbus_interface_skeleton_unexport), not only from its own: this puts a
 * shared object (a job) back on `connection` where it went missing. */
static void
hubd_context_ensure_exported_on(GDBusObjectSkeleton *object, GDBusConnection *connection)
{
	const gchar *path = g_dbus_object_get_object_path(G_DBUS_OBJECT(object));
	GList *ifaces = g_dbus_object_get_interfaces(G_DBUS_OBJECT(object));

	for (GList *l = ifaces; l != NULL; l = l->next) {
		GDBusInterfaceSkeleton *iface = l->data;
		g_autoptr(GError) error_local = NULL;
		if (g_dbus_interface_skeleton_has_connection(iface, connection))
			continue;
		if (!g_dbus_interface_skeleton_export(iface, connection, path, &error_local))
			g_warning("cannot re-export %s: %s", path, error_local->message);
	}
	g_list_free_full(ifaces, g_object_unref);
}

static void
hubd_context_reexport_objects(HubdContext *self)
{
	GHashTableIter conn_iter;
	gpointer connection;

	g_hash_table_iter_init(&conn_iter, self->managers);
	while (g_hash_table_iter_next(&conn_iter, &connection, NULL)) {
		GHashTableIter obj_iter;
		gpointer object;

		g_hash_table_iter_init(&obj_iter, self->objects);
		while (g_hash_table_iter_next(&obj_iter, NULL, &object))
			hubd_context_ensure_exported_on(object, connection);
	}
}

void
hubd_context_add_connection(HubdContext *self, GDBusConnection *connection)
{
	g_autoptr(GDBusObjectManagerServer) manager = NULL;
	GHashTableIter iter;
	gpointer value;

	g_return_if_fail(HUBD_IS_CONTEXT(self));
	if (self->shut_down || g_hash_table_contains(self->managers, connection))
		return;
	manager = g_dbus_object_manager_server_new(HUBD_OBJECT_PATH);
	/* a GDBusObjectManagerServer serves exactly one connection */
	g_dbus_object_manager_server_set_connection(manager, connection);
	g_hash_table_iter_init(&iter, self->objects);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_dbus_object_manager_server_export(manager, G_DBUS_OBJECT_SKELETON(value));
	g_hash_table_insert(self->managers, g_object_ref(connection), g_steal_pointer(&manager));
}

void
hubd_context_remove_connection(HubdContext *self, GDBusConnection *connection)
{
	GDBusObjectManagerServer *manager;

	g_return_if_fail(HUBD_IS_CONTEXT(self));
	manager = g_hash_table_lookup(self->managers, connection);
	if (manager == NULL)
		return;
	g_dbus_object_manager_server_set_connection(manager, NULL);
	g_hash_table_remove(self->managers, connection);
	/* its manager took the shared objects (jobs) off every connection: put
	 * them back on the ones that remain (also when stopping, or the next
	 * manager's unexport is a critical) */
	hubd_context_reexport_objects(self);
}

GList *
hubd_context_dup_connections(HubdContext *self)
{
	GList *connections;

	g_return_val_if_fail(HUBD_IS_CONTEXT(self), NULL);
	connections = g_hash_table_get_keys(self->managers);
	for (GList *l = connections; l != NULL; l = l->next)
		g_object_ref(l->data);
	return connections;
}

guint
hubd_context_get_n_connections(HubdContext *self)
{
	g_return_val_if_fail(HUBD_IS_CONTEXT(self), 0);
	return g_hash_table_size(self->managers);
}

/**
 * hubd_context_export_object:
 * @self: the context
 * @object: an object below `/org/hubd/Hub1`
 *
 * Exports @object on every D-Bus connection the daemon serves, now and to
 * come (the session bus and each socket peer), through the ObjectManager at
 * `/org/hubd/Hub1`. Jobs are exported this way by hubd_job_new().
 *
 * Since: 0.1
 */
void
hubd_context_export_object(HubdContext *self, GDBusObjectSkeleton *object)
{
	GHashTableIter iter;
	gpointer value;
	const gchar *path;

	g_return_if_fail(HUBD_IS_CONTEXT(self));
	g_return_if_fail(G_IS_DBUS_OBJECT_SKELETON(object));
	if (self->shut_down)
		return;
	path = g_dbus_object_get_object_path(G_DBUS_OBJECT(object));
	g_hash_table_replace(self->objects, g_strdup(path), g_object_ref(object));
	g_hash_table_iter_init(&iter, self->managers);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_dbus_object_manager_server_export(value, object);
}

/**
 * hubd_context_unexport_object:
 * @self: the context
 * @object_path: the path of an object exported with hubd_context_export_object()
 *
 * Takes the object off every connection.
 *
 * Since: 0.1
 */
void
hubd_context_unexport_object(HubdContext *self, const gchar *object_path)
{
	GHashTableIter iter;
	gpointer connection, value;
	GDBusObjectSkeleton *object;

	g_return_if_fail(HUBD_IS_CONTEXT(self));
	object = g_hash_table_lookup(self->objects, object_path);
	g_hash_table_iter_init(&iter, self->managers);
	while (g_hash_table_iter_next(&iter, &connection, &value)) {
		/* the previous manager's unexport took it off this connection too,
		 * and unexporting what is not exported is a critical */
		if (object != NULL)
			hubd_context_ensure_exported_on(object, connection);
		g_dbus_object_manager_server_unexport(value, object_path);
	}
	g_hash_table_remove(self->objects, object_path);
}

/* ---- holds ---- */

/**
 * hubd_context_hold:
 * @self: the context
 *
 * Keeps the daemon from exiting when idle (`--idle-timeout`) while work is in
 * flight. Every hold needs one hubd_context_release(). Main thread only.
 *
 * Since: 0.1
 */
void
hubd_context_hold(HubdContext *self)
{
	g_return_if_fail(HUBD_IS_CONTEXT(self));
	if (self->hold_count++ == 0)
		g_object_notify_by_pspec(G_OBJECT(self), props[PROP_HELD]);
}

/**
 * hubd_context_release:
 * @self: the context
 *
 * Gives back a hubd_context_hold().
 *
 * Since: 0.1
 */
void
hubd_context_release(HubdContext *self)
{
	g_return_if_fail(HUBD_IS_CONTEXT(self));
	g_return_if_fail(self->hold_count > 0);
	if (--self->hold_count == 0)
		g_object_notify_by_pspec(G_OBJECT(self), props[PROP_HELD]);
}

gboolean
hubd_context_is_held(HubdContext *self)
{
	g_return_val_if_fail(HUBD_IS_CONTEXT(self), FALSE);
	return self->hold_count > 0;
}

/* ---- for the daemon's own code ---- */

HubdConfig *
hubd_context_get_config(HubdContext *self)
{
	g_return_val_if_fail(HUBD_IS_CONTEXT(self), NULL);
	return self->config;
}

HubdTokenStore *
hubd_context_get_token_store(HubdContext *self)
{
	g_return_val_if_fail(HUBD_IS_CONTEXT(self), NULL);
	return (HubdTokenStore *)self->token_store;
}

void
hubd_context_shutdown(HubdContext *self)
{
	g_return_if_fail(HUBD_IS_CONTEXT(self));
	if (!self->shut_down)
		g_object_run_dispose(G_OBJECT(self));
}
