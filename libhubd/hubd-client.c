/* hubd-client.c: HubdClient — one connection to hubd and the calls made on it */
#include <glib/gi18n-lib.h>
#include <locale.h>

#include "hubd-client-private.h"

/**
 * HubdClient:
 *
 * A connection to hubd, the desktop's connection to the Hugging Face Hub.
 *
 * A client talks to hubd over the session bus (as `org.hubd.Hub1`), or over
 * hubd's Unix socket: the one given to hubd_client_new_for_socket(), else the
 * one named by `HUBD_SOCKET`, else — when there is no session bus, as on a
 * server — `$XDG_RUNTIME_DIR/hubd/bus` (hubd_default_socket_path()).
 *
 * Its calls (hubd_client_whoami(), hubd_client_repo_info(),
 * hubd_client_download_file(), …) follow the D-Bus API's methods, each as an
 * async function, its `_finish` and a `_sync` one. Errors that hubd reports
 * are in the %HUBD_ERROR domain; a connection that fails gives the
 * %G_IO_ERROR or %G_DBUS_ERROR that GIO reported.
 *
 * A client is a #GAsyncInitable and a #GInitable: a program that wants to
 * know which socket a failed connection tried makes it with g_object_new()
 * and g_initable_init(), then reads #HubdClient:socket-path.
 *
 * For the interfaces without typed calls — the plugins' — an app calls
 * hubd_client_call() with the interface and method of hubd's D-Bus API,
 * and hubd_job_new() for a job path such a call returned.
 *
 * Since: 0.1
 */
struct _HubdClient {
	GObject parent_instance;
	gchar *socket_path; /* NULL: the session bus */
	GDBusConnection *connection;
	GDBusProxyFlags proxy_flags;
};

static void
hubd_client_async_initable_iface_init(GAsyncInitableIface *iface);
static void
hubd_client_initable_iface_init(GInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE(HubdClient,
			hubd_client,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(G_TYPE_ASYNC_INITABLE,
					      hubd_client_async_initable_iface_init)
				G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE,
						      hubd_client_initable_iface_init))

enum { PROP_0, PROP_SOCKET_PATH, PROP_CONNECTION, N_PROPS };
static GParamSpec *props[N_PROPS];

static void
hubd_client_init_async_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GError) error = NULL;

	if (!hubd_client_connect_finish(HUBD_CLIENT(source), res, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
hubd_client_init_async(GAsyncInitable *initable,
		       int io_priority,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	HubdClient *self = HUBD_CLIENT(initable);
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_client_init_async);
	hubd_client_connect_async(self,
				  cancellable,
				  hubd_client_init_async_cb,
				  g_steal_pointer(&task));
}

static gboolean
hubd_client_init_finish(GAsyncInitable *initable, GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

static void
hubd_client_async_initable_iface_init(GAsyncInitableIface *iface)
{
	iface->init_async = hubd_client_init_async;
	iface->init_finish = hubd_client_init_finish;
}

static gboolean
hubd_client_initable_init(GInitable *initable, GCancellable *cancellable, GError **error)
{
	return hubd_client_init_sync(HUBD_CLIENT(initable), cancellable, error);
}

/* g_initable_init() on a client made with g_object_new(): on failure the
 * client still says (HubdClient:socket-path) which socket it tried, which a
 * program names in its "cannot reach hubd" message. */
static void
hubd_client_initable_iface_init(GInitableIface *iface)
{
	iface->init = hubd_client_initable_init;
}

static void
hubd_client_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	HubdClient *self = HUBD_CLIENT(object);

	switch (prop_id) {
	case PROP_SOCKET_PATH:
		g_value_set_string(value, self->socket_path);
		break;
	case PROP_CONNECTION:
		g_value_set_object(value, self->connection);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
hubd_client_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	HubdClient *self = HUBD_CLIENT(object);

	switch (prop_id) {
	case PROP_SOCKET_PATH:
		hubd_client_set_socket_path(self, g_value_get_string(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
hubd_client_dispose(GObject *object)
{
	HubdClient *self = HUBD_CLIENT(object);

	if (self->connection != NULL && self->socket_path != NULL) {
		/* a private connection: send what is queued (a Cancel()) before it goes */
		g_dbus_connection_flush_sync(self->connection, NULL, NULL);
	}
	g_clear_object(&self->connection);
	G_OBJECT_CLASS(hubd_client_parent_class)->dispose(object);
}

static void
hubd_client_finalize(GObject *object)
{
	HubdClient *self = HUBD_CLIENT(object);

	g_free(self->socket_path);
	G_OBJECT_CLASS(hubd_client_parent_class)->finalize(object);
}

static void
hubd_client_class_init(HubdClientClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_client_get_property;
	object_class->set_property = hubd_client_set_property;
	object_class->dispose = hubd_client_dispose;
	object_class->finalize = hubd_client_finalize;

	/* libhubd's messages are hubd's, in hubd's translation domain */
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");

	/**
	 * HubdClient:socket-path:
	 *
	 * The Unix socket the client talks to hubd over, or %NULL for the
	 * session bus. Given at construction, or found while connecting.
	 *
	 * Since: 0.1
	 */
	props[PROP_SOCKET_PATH] = g_param_spec_string("socket-path",
						      NULL,
						      NULL,
						      NULL,
						      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
							      G_PARAM_STATIC_STRINGS);
	/**
	 * HubdClient:connection:
	 *
	 * The D-Bus connection to hubd.
	 *
	 * Since: 0.1
	 */
	props[PROP_CONNECTION] = g_param_spec_object("connection",
						     NULL,
						     NULL,
						     G_TYPE_DBUS_CONNECTION,
						     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
hubd_client_init(HubdClient *self)
{
	/* our error names decode into HUBD_ERROR from the first reply on */
	(void)hubd_error_quark();
}

/**
 * hubd_client_new:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the client is connected, or connecting failed
 * @user_data: data for @callback
 *
 * Connects to hubd: over the socket named by `HUBD_SOCKET` when it is set,
 * else the session bus (checking that hubd runs there or can be started),
 * else, with no session bus, hubd's default socket.
 *
 * Since: 0.1
 */
void
hubd_client_new(GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
	hubd_client_new_for_socket(NULL, cancellable, callback, user_data);
}

/**
 * hubd_client_new_for_socket:
 * @socket_path: (nullable) (type filename): hubd's Unix socket; %NULL to
 *   choose as hubd_client_new() does
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the client is connected, or connecting failed
 * @user_data: data for @callback
 *
 * Connects to hubd over its Unix socket (`hubd --socket PATH`). hubd takes
 * connections of its own user only.
 *
 * Since: 0.1
 */
void
hubd_client_new_for_socket(const gchar *socket_path,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	g_async_initable_new_async(HUBD_TYPE_CLIENT,
				   G_PRIORITY_DEFAULT,
				   cancellable,
				   callback,
				   user_data,
				   "socket-path",
				   socket_path,
				   NULL);
}

/**
 * hubd_client_new_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the connected client, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdClient *
hubd_client_new_finish(GAsyncResult *result, GError **error)
{
	g_autoptr(GObject) source = g_async_result_get_source_object(result);
	GObject *object = g_async_initable_new_finish(G_ASYNC_INITABLE(source), result, error);

	return object != NULL ? HUBD_CLIENT(object) : NULL;
}

static void
hubd_client_new_sync_func(gpointer data,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	hubd_client_new_for_socket(data, cancellable, callback, user_data);
}

/**
 * hubd_client_new_sync:
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects to hubd as hubd_client_new() does, blocking.
 *
 * Returns: (transfer full): the connected client, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdClient *
hubd_client_new_sync(GCancellable *cancellable, GError **error)
{
	return hubd_client_new_for_socket_sync(NULL, cancellable, error);
}

/**
 * hubd_client_new_for_socket_sync:
 * @socket_path: (nullable) (type filename): hubd's Unix socket; %NULL to
 *   choose as hubd_client_new() does
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects to hubd as hubd_client_new_for_socket() does, blocking (at most
 * 25 seconds for the handshake).
 *
 * Returns: (transfer full): the connected client, or %NULL with @error set
 *
 * Since: 0.1
 */
static gpointer
hubd_client_new_sync_finish(gpointer data, GAsyncResult *result, GError **error)
{
	return hubd_client_new_finish(result, error);
}

HubdClient *
hubd_client_new_for_socket_sync(const gchar *socket_path, GCancellable *cancellable, GError **error)
{
	return hubd_client_run_sync(hubd_client_new_sync_func,
				    hubd_client_new_sync_finish,
				    (gpointer)socket_path,
				    cancellable,
				    error);
}

/**
 * hubd_client_get_connection:
 * @self: a #HubdClient
 *
 * Returns: (transfer none): the D-Bus connection to hubd, for interfaces
 *   libhubd has no functions for (plugins')
 *
 * Since: 0.1
 */
GDBusConnection *
hubd_client_get_connection(HubdClient *self)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return self->connection;
}

/**
 * hubd_client_get_socket_path:
 * @self: a #HubdClient
 *
 * Returns: (nullable) (type filename): the socket the client uses, or %NULL
 *   on the session bus
 *
 * Since: 0.1
 */
const gchar *
hubd_client_get_socket_path(HubdClient *self)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return self->socket_path;
}

/**
 * hubd_client_get_bus_name:
 * @self: a #HubdClient
 *
 * Returns: (nullable): the name to send calls to: %HUBD_BUS_NAME on the
 *   session bus, %NULL on a (peer-to-peer) socket connection
 *
 * Since: 0.1
 */
const gchar *
hubd_client_get_bus_name(HubdClient *self)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return self->socket_path != NULL ? NULL : HUBD_BUS_NAME;
}

/**
 * hubd_client_get_proxy_flags:
 * @self: a #HubdClient
 *
 * Returns: the flags for a #GDBusProxy made on the connection:
 *   %G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START when hubd cannot be started by
 *   D-Bus activation, so that a stopped hubd fails a call at once
 *
 * Since: 0.1
 */
GDBusProxyFlags
hubd_client_get_proxy_flags(HubdClient *self)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), G_DBUS_PROXY_FLAGS_NONE);
	return self->proxy_flags;
}

static void
hubd_client_init_sync_func(gpointer data,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	hubd_client_connect_async(data, cancellable, callback, user_data);
}

static gpointer
hubd_client_init_sync_finish(gpointer data, GAsyncResult *result, GError **error)
{
	return GINT_TO_POINTER(hubd_client_connect_finish(data, result, error));
}

gboolean
hubd_client_init_sync(HubdClient *self, GCancellable *cancellable, GError **error)
{
	return GPOINTER_TO_INT(hubd_client_run_sync(hubd_client_init_sync_func,
						    hubd_client_init_sync_finish,
						    self,
						    cancellable,
						    error));
}

void
hubd_client_set_connection(HubdClient *self, GDBusConnection *connection)
{
	g_set_object(&self->connection, connection);
}

void
hubd_client_set_socket_path(HubdClient *self, const gchar *socket_path)
{
	if (socket_path == self->socket_path)
		return;
	g_free(self->socket_path);
	self->socket_path = g_strdup(socket_path);
}

void
hubd_client_set_proxy_flags(HubdClient *self, GDBusProxyFlags flags)
{
	self->proxy_flags = flags;
}

GVariant *
hubd_client_no_options(void)
{
	return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
}

static void
hubd_client_run_sync_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GAsyncResult **result = user_data;

	*result = g_object_ref(res);
}

gpointer
hubd_client_run_sync(HubdClientAsyncFunc func,
		     HubdClientFinishFunc finish,
		     gpointer data,
		     GCancellable *cancellable,
		     GError **error)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	GAsyncResult *result = NULL;
	gpointer value;

	g_main_context_push_thread_default(context);
	func(data, cancellable, hubd_client_run_sync_cb, &result);
	while (result == NULL)
		g_main_context_iteration(context, TRUE);
	value = finish(data, result, error);
	/* the task goes, and with it the proxies made in this context, whose
	 * signal subscriptions free their data from idles of this context */
	g_object_unref(result);
	while (g_main_context_pending(context))
		g_main_context_iteration(context, FALSE);
	g_main_context_pop_thread_default(context);
	return value;
}
