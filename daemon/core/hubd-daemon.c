/* hubd-daemon.c: owns the bus name and the Unix socket, the services and the plugins */
#define G_LOG_DOMAIN "HubdDaemon"

#include "hubd-daemon.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "hubd-access-service.h"
#include "hubd-auth-service.h"
#include "hubd-cache-service.h"
#include "hubd-cache.h"
#include "hubd-cards-service.h"
#include "hubd-context-private.h"
#include "hubd-daemon-service.h"
#include "hubd-discussions-service.h"
#include "hubd-error.h"
#include "hubd-git-service.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"
#include "hubd-plugin-loader.h"
#include "hubd-repos-service.h"
#include "hubd-socket-server.h"
#include "hubd-storage-file.h"
#include "hubd-storage-service.h"
#include "hubd-sync-service.h"
#include "hubd-token-store.h"
#include "hubd-transfers-service.h"
#include "hubd-webhooks-service.h"
#include "hubd-webhooks.h"

struct _HubdDaemon {
	GObject parent_instance;
	HubdConfig *config;
	HubdContext *context; /* the Hub API, the cache, tokens, exported objects */
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
	g_ptr_array_unref(self->services);
	g_ptr_array_unref(self->plugins);
	g_hash_table_unref(self->plugin_errors);
	g_clear_object(&self->bus_connection);
	g_clear_pointer(&self->loop, g_main_loop_unref);
	g_free(self->socket_path);
	g_free(self->plugin_dir);
	g_object_unref(self->context);
	g_object_unref(self->config);
	G_OBJECT_CLASS(hubd_daemon_parent_class)->finalize(object);
}

static void
hubd_daemon_dispose(GObject *object)
{
	HubdDaemon *self = HUBD_DAEMON(object);

	/* running jobs are cancelled; work in flight may still hold the context */
	if (self->context != NULL) {
		g_signal_handlers_disconnect_by_data(self->context, self);
		hubd_context_shutdown(self->context);
	}
	G_OBJECT_CLASS(hubd_daemon_parent_class)->dispose(object);
}

static void
hubd_daemon_class_init(HubdDaemonClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = hubd_daemon_dispose;
	G_OBJECT_CLASS(klass)->finalize = hubd_daemon_finalize;
}

static void
hubd_daemon_init(HubdDaemon *self)
{
	self->services = g_ptr_array_new_with_free_func(g_object_unref);
	self->plugins = g_ptr_array_new_with_free_func(g_free);
	self->plugin_errors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->start_time = g_get_monotonic_time();
}

HubdDaemon *
hubd_daemon_new(HubdConfig *config, HubdDaemonFlags flags)
{
	HubdDaemon *self = g_object_new(HUBD_TYPE_DAEMON, NULL);
	g_autoptr(HubdTokenStore) token_store = hubd_token_store_new(config);
	g_autoptr(HubdHubClient) client =
		hubd_hub_client_new(config, HUBD_HUB_TOKEN_PROVIDER(token_store));
	g_autoptr(HubdHubApi) api = hubd_hub_api_new(client);
	g_autofree gchar *dir = hubd_config_get_string(config, "cache", "dir", NULL);
	g_autoptr(HubdCache) cache = hubd_cache_new(dir != NULL && dir[0] != '\0' ? dir : NULL);

	self->config = g_object_ref(config);
	self->context = hubd_context_new(config, api, cache, token_store);
	/* the last hold released starts the idle timer again */
	g_signal_connect_swapped(self->context,
				 "notify::held",
				 G_CALLBACK(hubd_daemon_idle_reset),
				 self);
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

	for (guint i = 0; i < self->services->len; i++) {
		HubdService *service = g_ptr_array_index(self->services, i);
		g_autoptr(GError) error_local = NULL;
		if (!hubd_service_export(service, connection, &error_local))
			g_warning("cannot export %s: %s",
				  G_OBJECT_TYPE_NAME(service),
				  error_local->message);
	}
	hubd_context_add_connection(self->context, connection);
}

static void
hubd_daemon_unexport_from(HubdDaemon *self, GDBusConnection *connection)
{
	for (guint i = 0; i < self->services->len; i++)
		hubd_service_unexport(g_ptr_array_index(self->services, i), connection);
	hubd_context_remove_connection(self->context, connection);
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

/* ---- what the daemon knows of itself ---- */

/* socket peers: every connection but the bus */
static guint
hubd_daemon_n_peers(HubdDaemon *self)
{
	g_autolist(GDBusConnection) connections = hubd_context_dup_connections(self->context);
	guint n = 0;

	for (GList *l = connections; l != NULL; l = l->next) {
		if (l->data != self->bus_connection)
			n++;
	}
	return n;
}

static GStrv
hubd_daemon_dup_strv(GPtrArray *strings)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();

	for (guint i = 0; i < strings->len; i++)
		g_strv_builder_add(builder, g_ptr_array_index(strings, i));
	return g_strv_builder_end(builder);
}

/* Daemon.GetStatus */
static GVariant *
hubd_daemon_build_status(GDBusConnection *caller, gpointer user_data)
{
	HubdDaemon *self = HUBD_DAEMON(user_data);
	GVariantBuilder builder;
	GVariantBuilder errors;
	GVariantBuilder services;
	GHashTableIter iter;
	gpointer key, value;
	g_auto(GStrv) plugins = hubd_daemon_dup_strv(self->plugins);
	const gchar *socket = self->socket_server != NULL ? self->socket_path : NULL;
	gint64 uptime = (g_get_monotonic_time() - self->start_time) / G_USEC_PER_SEC;
	g_autofree gchar *mirror = hubd_config_get_string(self->config, "storage", "mirror", "");
	const gchar *webhooks_url = hubd_webhooks_get_url(hubd_webhooks_get_default());

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&builder, "{sv}", "version", g_variant_new_string(PACKAGE_VERSION));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "endpoint",
			      g_variant_new_string(hubd_config_get_endpoint(self->config)));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "plugins",
			      g_variant_new_strv((const gchar *const *)plugins, -1));
	g_variant_builder_init(&errors, G_VARIANT_TYPE("a{ss}"));
	g_hash_table_iter_init(&iter, self->plugin_errors);
	while (g_hash_table_iter_next(&iter, &key, &value))
		g_variant_builder_add(&errors, "{ss}", key, value);
	g_variant_builder_add(&builder, "{sv}", "plugin_errors", g_variant_builder_end(&errors));
	g_variant_builder_init(&services, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; i < self->services->len; i++)
		g_variant_builder_add(
			&services,
			"s",
			hubd_service_get_interface_name(g_ptr_array_index(self->services, i)));
	g_variant_builder_add(&builder, "{sv}", "services", g_variant_builder_end(&services));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "connection",
			      g_variant_new_string(caller != NULL && caller == self->bus_connection
							   ? "bus"
							   : "socket"));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "socket",
			      g_variant_new_string(socket != NULL ? socket : ""));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "bus_name_owned",
			      g_variant_new_boolean(self->name_owned && self->owner_id != 0));
	g_variant_builder_add(&builder, "{sv}", "pid", g_variant_new_uint32((guint32)getpid()));
	g_variant_builder_add(&builder, "{sv}", "uptime", g_variant_new_uint64((guint64)uptime));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "peers",
			      g_variant_new_uint32(hubd_daemon_n_peers(self)));
	g_variant_builder_add(&builder, "{sv}", "mirror", g_variant_new_string(mirror));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "webhooks_url",
			      g_variant_new_string(webhooks_url != NULL ? webhooks_url : ""));
	return g_variant_builder_end(&builder);
}

/* ---- idle exit ---- */

static gboolean
hubd_daemon_is_busy(HubdDaemon *self)
{
	if (hubd_context_is_held(self->context))
		return TRUE;
	/* a socket peer would lose its connection; the bus can re-activate us */
	if (hubd_daemon_n_peers(self) > 0)
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
	if (self->idle_timeout == 0 || self->stopping || hubd_context_is_held(self->context))
		return;
	self->idle_id = g_timeout_add_seconds(self->idle_timeout, hubd_daemon_idle_cb, self);
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
	hubd_service_register_extension_point();
	/* each type implements the extension point in its type registration */
	g_type_ensure(HUBD_TYPE_AUTH_SERVICE);
	g_type_ensure(HUBD_TYPE_CACHE_SERVICE);
	g_type_ensure(HUBD_TYPE_STORAGE_SERVICE);
	g_type_ensure(HUBD_TYPE_REPOS_SERVICE);
	g_type_ensure(HUBD_TYPE_TRANSFERS_SERVICE);
	g_type_ensure(HUBD_TYPE_GIT_SERVICE);
	g_type_ensure(HUBD_TYPE_DISCUSSIONS_SERVICE);
	g_type_ensure(HUBD_TYPE_ACCESS_SERVICE);
	g_type_ensure(HUBD_TYPE_WEBHOOKS_SERVICE);
	g_type_ensure(HUBD_TYPE_SYNC_SERVICE);
	g_type_ensure(HUBD_TYPE_CARDS_SERVICE);
	/* storage backends register on their extension point the same way */
	g_type_ensure(HUBD_TYPE_STORAGE_FILE);
}

/* Starts `service` (taken) and keeps it for export; one broken service must
 * not take the others down. */
static void
hubd_daemon_add_service(HubdDaemon *self, HubdService *service)
{
	g_autoptr(HubdService) owned = service;
	g_autoptr(GError) error_local = NULL;
	GDBusInterfaceSkeleton *skeleton;

	if (!hubd_service_start(service, &error_local)) {
		g_warning("service %s did not start: %s",
			  hubd_service_get_name(service),
			  error_local->message);
		return;
	}
	skeleton = hubd_service_get_skeleton(service);
	if (skeleton == NULL)
		return;
	g_signal_connect(skeleton,
			 "g-authorize-method",
			 G_CALLBACK(hubd_daemon_authorize_method_cb),
			 self);
	g_debug("service %s: %s",
		hubd_service_get_name(service),
		hubd_service_get_interface_name(service));
	g_ptr_array_add(self->services, g_steal_pointer(&owned));
}

static gboolean
hubd_daemon_create_services(HubdDaemon *self, GError **error)
{
	GIOExtensionPoint *ep = g_io_extension_point_lookup(HUBD_SERVICE_EXTENSION_POINT);
	g_auto(GStrv) plugins = hubd_daemon_dup_strv(self->plugins);

	/* the daemon's own interface reports on the daemon itself: the one
	 * service made here rather than from the extension point */
	hubd_daemon_add_service(self,
				HUBD_SERVICE(hubd_daemon_service_new(self->context,
								     (const gchar *const *)plugins,
								     hubd_daemon_build_status,
								     self)));
	for (GList *l = g_io_extension_point_get_extensions(ep); l != NULL; l = l->next) {
		GIOExtension *ext = l->data;

		hubd_daemon_add_service(self,
					g_object_new(g_io_extension_get_type(ext),
						     "context",
						     self->context,
						     "name",
						     g_io_extension_get_name(ext),
						     NULL));
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
	connections = hubd_context_dup_connections(self->context);
	for (GList *l = connections; l != NULL; l = l->next) {
		g_autoptr(GDBusConnection) connection = l->data;
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

/* ---- accessors ---- */

HubdContext *
hubd_daemon_get_context(HubdDaemon *self)
{
	g_return_val_if_fail(HUBD_IS_DAEMON(self), NULL);
	return self->context;
}
