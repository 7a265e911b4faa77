/* hubd-daemon.c: owns the bus name and the Unix socket, the services and the plugins */
#define G_LOG_DOMAIN "HubdDaemon"

#include "hubd-daemon.h"

#include <glib/gi18n.h>

#include "hubd-auth-service.h"
#include "hubd-cache-service.h"
#include "hubd-daemon-service.h"
#include "hubd-error.h"
#include "hubd-plugin-loader.h"
#include "hubd-repos-service.h"
#include "hubd-socket-server.h"
#include "hubd-storage-file.h"
#include "hubd-transfers-service.h"

struct _HubdDaemon {
	GObject parent_instance;
	HubdConfig *config;
	HubdTokenStore *token_store;
	HubdHubClient *hub_client;
	HubdHubApi *hub_api;
	HubdCache *cache; /* made on first use */
	HubdDaemonFlags flags;
	gchar *socket_path;
	gchar *plugin_dir;
	guint idle_timeout;
	gint64 start_time;

	GMainLoop *loop;
	gint exit_code;
	gboolean stopping;

	GPtrArray *services;       /* HubdService*, in extension priority order */
	GPtrArray *plugins;        /* gchar*: loaded plugin names */
	GHashTable *plugin_errors; /* file name -> reason */

	guint owner_id;
	gboolean name_owned;
	GDBusConnection *bus_connection;
	HubdSocketServer *socket_server;
	GHashTable *managers; /* GDBusConnection* -> GDBusObjectManagerServer* */
	GHashTable *objects;  /* object path -> GDBusObjectSkeleton* (jobs) */

	guint hold_count;
	guint idle_id;
};

G_DEFINE_TYPE(HubdDaemon, hubd_daemon, G_TYPE_OBJECT)

static void
hubd_daemon_idle_reset(HubdDaemon *self);

static void
hubd_daemon_finalize(GObject *object)
{
	HubdDaemon *self = HUBD_DAEMON(object);

	g_clear_handle_id(&self->idle_id, g_source_remove);
	if (self->owner_id != 0)
		g_bus_unown_name(self->owner_id);
	g_clear_object(&self->socket_server);
	g_hash_table_unref(self->managers);
	g_hash_table_unref(self->objects);
	g_ptr_array_unref(self->services);
	g_ptr_array_unref(self->plugins);
	g_hash_table_unref(self->plugin_errors);
	g_clear_object(&self->bus_connection);
	g_clear_pointer(&self->loop, g_main_loop_unref);
	g_free(self->socket_path);
	g_free(self->plugin_dir);
	g_clear_object(&self->hub_api);
	g_clear_object(&self->hub_client);
	g_clear_object(&self->cache);
	g_clear_object(&self->token_store);
	g_object_unref(self->config);
	G_OBJECT_CLASS(hubd_daemon_parent_class)->finalize(object);
}

static void
hubd_daemon_class_init(HubdDaemonClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_daemon_finalize;
}

static void
hubd_daemon_init(HubdDaemon *self)
{
	self->services = g_ptr_array_new_with_free_func(g_object_unref);
	self->plugins = g_ptr_array_new_with_free_func(g_free);
	self->plugin_errors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->managers = g_hash_table_new_full(NULL, NULL, g_object_unref, g_object_unref);
	self->objects = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	self->start_time = g_get_monotonic_time();
}

HubdDaemon *
hubd_daemon_new(HubdConfig *config, HubdDaemonFlags flags)
{
	HubdDaemon *self = g_object_new(HUBD_TYPE_DAEMON, NULL);

	self->config = g_object_ref(config);
	self->token_store = hubd_token_store_new(config);
	self->hub_client = hubd_hub_client_new(config, self->token_store);
	self->hub_api = hubd_hub_api_new(self->hub_client);
	self->flags = flags;
	return self;
}

void
hubd_daemon_set_socket_path(HubdDaemon *self, const gchar *path)
{
	g_return_if_fail(HUBD_IS_DAEMON(self));
	g_free(self->socket_path);
	self->socket_path = g_strdup(path);
}

void
hubd_daemon_set_plugin_dir(HubdDaemon *self, const gchar *dir)
{
	g_return_if_fail(HUBD_IS_DAEMON(self));
	g_free(self->plugin_dir);
	self->plugin_dir = g_strdup(dir);
}

void
hubd_daemon_set_idle_timeout(HubdDaemon *self, guint seconds)
{
	g_return_if_fail(HUBD_IS_DAEMON(self));
	self->idle_timeout = seconds;
}

/* ---- connections ---- */

static gboolean
hubd_daemon_authorize_method_cb(GDBusInterfaceSkeleton *skeleton,
				GDBusMethodInvocation *invocation,
				gpointer user_data)
{
	/* not an access check (the socket and the session bus are ours alone):
	 * every call counts as activity for the idle timer */
	hubd_daemon_idle_reset(HUBD_DAEMON(user_data));
	return TRUE;
}

static void
hubd_daemon_export_on(HubdDaemon *self, GDBusConnection *connection)
{
	g_autoptr(GDBusObjectManagerServer) manager =
		g_dbus_object_manager_server_new(HUBD_OBJECT_PATH);
	GHashTableIter iter;
	gpointer value;

	for (guint i = 0; i < self->services->len; i++) {
		HubdService *service = g_ptr_array_index(self->services, i);
		g_autoptr(GError) error_local = NULL;
		if (!hubd_service_export(service, connection, &error_local))
			g_warning("cannot export %s: %s",
				  G_OBJECT_TYPE_NAME(service),
				  error_local->message);
	}
	/* a GDBusObjectManagerServer serves exactly one connection */
	g_dbus_object_manager_server_set_connection(manager, connection);
	g_hash_table_iter_init(&iter, self->objects);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_dbus_object_manager_server_export(manager, G_DBUS_OBJECT_SKELETON(value));
	g_hash_table_insert(self->managers, g_object_ref(connection), g_steal_pointer(&manager));
}

/* GDBusObjectManagerServer unexports a skeleton from every connection
 * (g_dbus_interface_skeleton_unexport), not only from its own: this puts a
 * shared object (a job) back on `connection` where it went missing. */
static void
hubd_daemon_ensure_exported_on(GDBusObjectSkeleton *object, GDBusConnection *connection)
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
hubd_daemon_reexport_objects(HubdDaemon *self)
{
	GHashTableIter conn_iter;
	gpointer connection;

	g_hash_table_iter_init(&conn_iter, self->managers);
	while (g_hash_table_iter_next(&conn_iter, &connection, NULL)) {
		GHashTableIter obj_iter;
		gpointer object;

		g_hash_table_iter_init(&obj_iter, self->objects);
		while (g_hash_table_iter_next(&obj_iter, NULL, &object))
			hubd_daemon_ensure_exported_on(object, connection);
	}
}

static void
hubd_daemon_unexport_from(HubdDaemon *self, GDBusConnection *connection)
{
	GDBusObjectManagerServer *manager = g_hash_table_lookup(self->managers, connection);

	for (guint i = 0; i < self->services->len; i++)
		hubd_service_unexport(g_ptr_array_index(self->services, i), connection);
	if (manager != NULL)
		g_dbus_object_manager_server_set_connection(manager, NULL);
	g_hash_table_remove(self->managers, connection);
	/* its manager took the shared objects (jobs) off every connection: put
	 * them back on the ones that remain (also when stopping, or the next
	 * manager's unexport is a critical) */
	hubd_daemon_reexport_objects(self);
}

static void
hubd_daemon_peer_closed_cb(GDBusConnection *connection,
			   gboolean remote_peer_vanished,
			   GError *error,
			   gpointer user_data)
{
	HubdDaemon *self = HUBD_DAEMON(user_data);

	g_debug("peer connection closed");
	g_signal_handlers_disconnect_by_func(connection, hubd_daemon_peer_closed_cb, self);
	hubd_daemon_unexport_from(self, connection);
	hubd_daemon_idle_reset(self);
}

static void
hubd_daemon_new_peer_cb(HubdSocketServer *server, GDBusConnection *connection, gpointer user_data)
{
	HubdDaemon *self = HUBD_DAEMON(user_data);

	if (self->stopping)
		return;
	g_signal_connect(connection, "closed", G_CALLBACK(hubd_daemon_peer_closed_cb), self);
	hubd_daemon_export_on(self, connection);
	hubd_daemon_idle_reset(self);
}

static void
hubd_daemon_bus_acquired_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	HubdDaemon *self = HUBD_DAEMON(user_data);

	g_set_object(&self->bus_connection, connection);
	/* objects first, so a client woken by NameOwnerChanged finds them */
	hubd_daemon_export_on(self, connection);
}

static void
hubd_daemon_name_acquired_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	HubdDaemon *self = HUBD_DAEMON(user_data);

	g_debug("owning %s", name);
	self->name_owned = TRUE;
}

static void
hubd_daemon_name_lost_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	HubdDaemon *self = HUBD_DAEMON(user_data);

	if (self->stopping)
		return;
	if (connection == NULL) {
		/* no session bus (a server, a container): the socket still works */
		g_warning("no session bus; serving only on %s", self->socket_path);
		g_bus_unown_name(self->owner_id);
		self->owner_id = 0;
		return;
	}
	if (self->name_owned) {
		g_message("another hubd took %s over; exiting", name);
		hubd_daemon_stop(self, EXIT_SUCCESS);
		return;
	}
	g_printerr(_("Another hubd already owns %s on the session bus (use --replace to take "
		     "over)\n"),
		   name);
	hubd_daemon_stop(self, EXIT_FAILURE);
}

/* ---- idle exit ---- */

static gboolean
hubd_daemon_is_busy(HubdDaemon *self)
{
	if (self->hold_count > 0)
		return TRUE;
	/* a socket peer would lose its connection; the bus can re-activate us */
	if (hubd_daemon_get_n_peers(self) > 0)
		return TRUE;
	for (guint i = 0; i < self->services->len; i++) {
		if (hubd_service_is_busy(g_ptr_array_index(self->services, i)))
			return TRUE;
	}
	return FALSE;
}

static gboolean
hubd_daemon_idle_cb(gpointer user_data)
{
	HubdDaemon *self = HUBD_DAEMON(user_data);

	self->idle_id = 0;
	if (hubd_daemon_is_busy(self)) {
		hubd_daemon_idle_reset(self);
		return G_SOURCE_REMOVE;
	}
	g_message("idle for %u seconds, exiting", self->idle_timeout);
	hubd_daemon_stop(self, EXIT_SUCCESS);
	return G_SOURCE_REMOVE;
}

static void
hubd_daemon_idle_reset(HubdDaemon *self)
{
	g_clear_handle_id(&self->idle_id, g_source_remove);
	if (self->idle_timeout == 0 || self->stopping)
		return;
	self->idle_id = g_timeout_add_seconds(self->idle_timeout, hubd_daemon_idle_cb, self);
}

void
hubd_daemon_hold(HubdDaemon *self)
{
	g_return_if_fail(HUBD_IS_DAEMON(self));
	self->hold_count++;
	g_clear_handle_id(&self->idle_id, g_source_remove);
}

void
hubd_daemon_release(HubdDaemon *self)
{
	g_return_if_fail(HUBD_IS_DAEMON(self));
	g_return_if_fail(self->hold_count > 0);
	if (--self->hold_count == 0)
		hubd_daemon_idle_reset(self);
}

/* ---- services and plugins ---- */

/* g_ptr_array_sort() hands out pointers to the elements */
static gint
hubd_daemon_strcmp_indirect(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static void
hubd_daemon_ensure_builtins(void)
{
	hubd_service_register_extension_points();
	/* each type implements the extension point in its type registration */
	g_type_ensure(HUBD_TYPE_DAEMON_SERVICE);
	g_type_ensure(HUBD_TYPE_AUTH_SERVICE);
	g_type_ensure(HUBD_TYPE_CACHE_SERVICE);
	g_type_ensure(HUBD_TYPE_REPOS_SERVICE);
	g_type_ensure(HUBD_TYPE_TRANSFERS_SERVICE);
	/* storage backends register on their extension point the same way */
	g_type_ensure(HUBD_TYPE_STORAGE_FILE);
}

static gboolean
hubd_daemon_create_services(HubdDaemon *self, GError **error)
{
	GIOExtensionPoint *ep = g_io_extension_point_lookup(HUBD_SERVICE_EXTENSION_POINT);

	for (GList *l = g_io_extension_point_get_extensions(ep); l != NULL; l = l->next) {
		GIOExtension *ext = l->data;
		g_autoptr(HubdService) service = NULL;
		g_autoptr(GError) error_local = NULL;
		GDBusInterfaceSkeleton *skeleton;

		service = g_object_new(g_io_extension_get_type(ext), "daemon", self, NULL);
		if (!hubd_service_start(service, &error_local)) {
			/* one broken service must not take the others down */
			g_warning("service %s did not start: %s",
				  g_io_extension_get_name(ext),
				  error_local->message);
			continue;
		}
		skeleton = hubd_service_get_skeleton(service);
		if (skeleton == NULL)
			continue;
		g_signal_connect(skeleton,
				 "g-authorize-method",
				 G_CALLBACK(hubd_daemon_authorize_method_cb),
				 self);
		g_debug("service %s: %s",
			g_io_extension_get_name(ext),
			hubd_service_get_interface_name(service));
		g_ptr_array_add(self->services, g_steal_pointer(&service));
	}
	if (self->services->len == 0) {
		g_set_error_literal(error, HUBD_ERROR, HUBD_ERROR_FAILED, _("No service started"));
		return FALSE;
	}
	return TRUE;
}

gint
hubd_daemon_run(HubdDaemon *self, GError **error)
{
	g_autofree gchar *plugin_dir = NULL;

	g_return_val_if_fail(HUBD_IS_DAEMON(self), EXIT_FAILURE);

	hubd_daemon_ensure_builtins();
	plugin_dir = g_strdup(self->plugin_dir != NULL ? self->plugin_dir : HUBD_PLUGIN_DIR);
	hubd_plugin_loader_load_dir(plugin_dir, self->plugins, self->plugin_errors);
	g_ptr_array_sort(self->plugins, hubd_daemon_strcmp_indirect);
	if (!hubd_daemon_create_services(self, error))
		return EXIT_FAILURE;

	if (self->socket_path == NULL)
		self->socket_path = hubd_socket_server_default_path();
	self->socket_server = hubd_socket_server_new(self->socket_path,
						     (self->flags & HUBD_DAEMON_FLAG_REPLACE) != 0,
						     error);
	if (self->socket_server == NULL)
		return EXIT_FAILURE;
	g_signal_connect(self->socket_server,
			 "new-connection",
			 G_CALLBACK(hubd_daemon_new_peer_cb),
			 self);

	if ((self->flags & HUBD_DAEMON_FLAG_NO_BUS) == 0) {
		GBusNameOwnerFlags flags = G_BUS_NAME_OWNER_FLAGS_ALLOW_REPLACEMENT;
		if (self->flags & HUBD_DAEMON_FLAG_REPLACE)
			flags |= G_BUS_NAME_OWNER_FLAGS_REPLACE;
		self->owner_id = g_bus_own_name(G_BUS_TYPE_SESSION,
						HUBD_BUS_NAME,
						flags,
						hubd_daemon_bus_acquired_cb,
						hubd_daemon_name_acquired_cb,
						hubd_daemon_name_lost_cb,
						self,
						NULL);
	}

	hubd_daemon_idle_reset(self);
	self->loop = g_main_loop_new(NULL, FALSE);
	if (!self->stopping)
		g_main_loop_run(self->loop);
	return self->exit_code;
}

void
hubd_daemon_stop(HubdDaemon *self, gint exit_code)
{
	g_autoptr(GList) connections = NULL;

	g_return_if_fail(HUBD_IS_DAEMON(self));
	if (self->stopping)
		return;
	self->stopping = TRUE;
	self->exit_code = exit_code;
	g_clear_handle_id(&self->idle_id, g_source_remove);

	/* release the name first so new callers activate a fresh daemon */
	if (self->owner_id != 0) {
		g_bus_unown_name(self->owner_id);
		self->owner_id = 0;
	}
	if (self->socket_server != NULL)
		hubd_socket_server_stop(self->socket_server);
	connections = g_hash_table_get_keys(self->managers);
	for (GList *l = connections; l != NULL; l = l->next) {
		/* unexport_from() drops the table's reference, maybe the last one */
		g_autoptr(GDBusConnection) connection = g_object_ref(l->data);
		g_signal_handlers_disconnect_by_func(connection, hubd_daemon_peer_closed_cb, self);
		hubd_daemon_unexport_from(self, connection);
		if (connection != self->bus_connection)
			g_dbus_connection_close(connection, NULL, NULL, NULL);
	}
	if (self->bus_connection != NULL)
		g_dbus_connection_flush_sync(self->bus_connection, NULL, NULL);
	if (self->loop != NULL)
		g_main_loop_quit(self->loop);
}

/* ---- objects below the root (jobs) ---- */

void
hubd_daemon_export_object(HubdDaemon *self, GDBusObjectSkeleton *object)
{
	GHashTableIter iter;
	gpointer value;
	const gchar *path;

	g_return_if_fail(HUBD_IS_DAEMON(self));
	path = g_dbus_object_get_object_path(G_DBUS_OBJECT(object));
	g_hash_table_replace(self->objects, g_strdup(path), g_object_ref(object));
	g_hash_table_iter_init(&iter, self->managers);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_dbus_object_manager_server_export(value, object);
}

void
hubd_daemon_unexport_object(HubdDaemon *self, const gchar *object_path)
{
	GHashTableIter iter;
	gpointer connection, value;
	GDBusObjectSkeleton *object;

	g_return_if_fail(HUBD_IS_DAEMON(self));
	object = g_hash_table_lookup(self->objects, object_path);
	g_hash_table_iter_init(&iter, self->managers);
	while (g_hash_table_iter_next(&iter, &connection, &value)) {
		/* the previous manager's unexport took it off this connection too,
		 * and unexporting what is not exported is a critical */
		if (object != NULL)
			hubd_daemon_ensure_exported_on(object, connection);
		g_dbus_object_manager_server_unexport(value, object_path);
	}
	g_hash_table_remove(self->objects, object_path);
}

/* ---- accessors ---- */

HubdConfig *
hubd_daemon_get_config(HubdDaemon *self)
{
	g_return_val_if_fail(HUBD_IS_DAEMON(self), NULL);
	return self->config;
}

const gchar *
hubd_daemon_get_endpoint(HubdDaemon *self)
{
	g_return_val_if_fail(HUBD_IS_DAEMON(self), NULL);
	return hubd_config_get_endpoint(self->config);
}

HubdHubClient *
hubd_daemon_get_hub_client(HubdDaemon *self)
{
	g_return_val_if_fail(HUBD_IS_DAEMON(self), NULL);
	return self->hub_client;
}

HubdHubApi *
hubd_daemon_get_hub_api(HubdDaemon *self)
{
	g_return_val_if_fail(HUBD_IS_DAEMON(self), NULL);
	return self->hub_api;
}

HubdTokenStore *
hubd_daemon_get_token_store(HubdDaemon *self)
{
	g_return_val_if_fail(HUBD_IS_DAEMON(self), NULL);
	return self->token_store;
}

HubdCache *
hubd_daemon_get_cache(HubdDaemon *self)
{
	g_return_val_if_fail(HUBD_IS_DAEMON(self), NULL);
	if (g_atomic_pointer_get(&self->cache) == NULL) {
		g_autofree gchar *dir = hubd_config_get_string(self->config, "cache", "dir", NULL);
		HubdCache *cache = hubd_cache_new(dir != NULL && dir[0] != '\0' ? dir : NULL);
		/* worker threads may ask too: the first one wins */
		if (!g_atomic_pointer_compare_and_exchange(&self->cache, NULL, cache))
			g_object_unref(cache);
	}
	return g_atomic_pointer_get(&self->cache);
}

GStrv
hubd_daemon_dup_plugins(HubdDaemon *self)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();

	g_return_val_if_fail(HUBD_IS_DAEMON(self), NULL);
	for (guint i = 0; i < self->plugins->len; i++)
		g_strv_builder_add(builder, g_ptr_array_index(self->plugins, i));
	return g_strv_builder_end(builder);
}

GHashTable *
hubd_daemon_get_plugin_errors(HubdDaemon *self)
{
	g_return_val_if_fail(HUBD_IS_DAEMON(self), NULL);
	return self->plugin_errors;
}

GStrv
hubd_daemon_dup_service_names(HubdDaemon *self)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();

	g_return_val_if_fail(HUBD_IS_DAEMON(self), NULL);
	for (guint i = 0; i < self->services->len; i++)
		g_strv_builder_add(
			builder,
			hubd_service_get_interface_name(g_ptr_array_index(self->services, i)));
	return g_strv_builder_end(builder);
}

const gchar *
hubd_daemon_get_socket_path(HubdDaemon *self)
{
	g_return_val_if_fail(HUBD_IS_DAEMON(self), NULL);
	return self->socket_server != NULL ? self->socket_path : NULL;
}

gboolean
hubd_daemon_get_bus_name_owned(HubdDaemon *self)
{
	g_return_val_if_fail(HUBD_IS_DAEMON(self), FALSE);
	return self->name_owned && self->owner_id != 0;
}

gboolean
hubd_daemon_is_bus_connection(HubdDaemon *self, GDBusConnection *connection)
{
	g_return_val_if_fail(HUBD_IS_DAEMON(self), FALSE);
	return connection != NULL && connection == self->bus_connection;
}

guint
hubd_daemon_get_n_peers(HubdDaemon *self)
{
	guint n;

	g_return_val_if_fail(HUBD_IS_DAEMON(self), 0);
	n = g_hash_table_size(self->managers);
	if (self->bus_connection != NULL &&
	    g_hash_table_contains(self->managers, self->bus_connection))
		n--;
	return n;
}

gint64
hubd_daemon_get_start_time(HubdDaemon *self)
{
	g_return_val_if_fail(HUBD_IS_DAEMON(self), 0);
	return self->start_time;
}
