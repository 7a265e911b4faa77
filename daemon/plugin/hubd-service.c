/* hubd-service.c: base type of everything that exports a D-Bus interface, core and plugins */
#define G_LOG_DOMAIN "HubdService"

#include "hubd-service.h"

#include <glib/gi18n.h>

#include "hubd-context-private.h"
#include "hubd-error.h"

typedef struct {
	HubdContext *context;
	gchar *name; /* the extension name: the service's config group */
	GDBusInterfaceSkeleton *skeleton;
} HubdServicePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE(HubdService, hubd_service, G_TYPE_OBJECT)

enum { PROP_0, PROP_CONTEXT, PROP_NAME, N_PROPS };
static GParamSpec *props[N_PROPS];

/**
 * hubd_service_register_extension_point:
 *
 * Registers %HUBD_SERVICE_EXTENSION_POINT, requiring %HUBD_TYPE_SERVICE.
 * Idempotent: a plugin calls it in its load function before
 * g_io_extension_point_implement().
 *
 * Since: 0.1
 */
void
hubd_service_register_extension_point(void)
{
	static gsize once = 0;

	if (g_once_init_enter(&once)) {
		GIOExtensionPoint *ep = g_io_extension_point_register(HUBD_SERVICE_EXTENSION_POINT);
		g_io_extension_point_set_required_type(ep, HUBD_TYPE_SERVICE);
		g_once_init_leave(&once, 1);
	}
}

static void
hubd_service_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	HubdServicePrivate *priv = hubd_service_get_instance_private(HUBD_SERVICE(object));

	switch (prop_id) {
	case PROP_CONTEXT:
		g_value_set_object(value, priv->context);
		break;
	case PROP_NAME:
		g_value_set_string(value, priv->name);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
hubd_service_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	HubdServicePrivate *priv = hubd_service_get_instance_private(HUBD_SERVICE(object));

	switch (prop_id) {
	case PROP_CONTEXT:
		priv->context = g_value_dup_object(value);
		break;
	case PROP_NAME:
		priv->name = g_value_dup_string(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
hubd_service_dispose(GObject *object)
{
	HubdServicePrivate *priv = hubd_service_get_instance_private(HUBD_SERVICE(object));

	if (priv->skeleton != NULL) {
		g_autolist(GDBusConnection) connections =
			g_dbus_interface_skeleton_get_connections(priv->skeleton);
		if (connections != NULL)
			g_dbus_interface_skeleton_unexport(priv->skeleton);
	}
	g_clear_object(&priv->skeleton);
	G_OBJECT_CLASS(hubd_service_parent_class)->dispose(object);
}

static void
hubd_service_finalize(GObject *object)
{
	HubdServicePrivate *priv = hubd_service_get_instance_private(HUBD_SERVICE(object));

	g_clear_object(&priv->context);
	g_free(priv->name);
	G_OBJECT_CLASS(hubd_service_parent_class)->finalize(object);
}

static void
hubd_service_class_init(HubdServiceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_service_get_property;
	object_class->set_property = hubd_service_set_property;
	object_class->dispose = hubd_service_dispose;
	object_class->finalize = hubd_service_finalize;

	/**
	 * HubdService:context:
	 *
	 * The daemon as the service sees it.
	 *
	 * Since: 0.1
	 */
	props[PROP_CONTEXT] = g_param_spec_object("context",
						  NULL,
						  NULL,
						  HUBD_TYPE_CONTEXT,
						  G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
							  G_PARAM_STATIC_STRINGS);
	/**
	 * HubdService:name:
	 *
	 * The service's name on the extension point, also the group of hubd.conf
	 * its settings live in.
	 *
	 * Since: 0.1
	 */
	props[PROP_NAME] = g_param_spec_string("name",
					       NULL,
					       NULL,
					       NULL,
					       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
						       G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
hubd_service_init(HubdService *self)
{
}

/**
 * hubd_service_get_context:
 * @self: a service
 *
 * Returns: (transfer none): the daemon's context: the Hub API, the cache,
 *   storage, object export, holds
 *
 * Since: 0.1
 */
HubdContext *
hubd_service_get_context(HubdService *self)
{
	HubdServicePrivate *priv;

	g_return_val_if_fail(HUBD_IS_SERVICE(self), NULL);
	priv = hubd_service_get_instance_private(self);
	return priv->context;
}

/**
 * hubd_service_get_name:
 * @self: a service
 *
 * Returns: the service's name on the extension point (e.g. `transfers`)
 *
 * Since: 0.1
 */
const gchar *
hubd_service_get_name(HubdService *self)
{
	HubdServicePrivate *priv;

	g_return_val_if_fail(HUBD_IS_SERVICE(self), NULL);
	priv = hubd_service_get_instance_private(self);
	return priv->name;
}

/* ---- the service's own config group ---- */

/**
 * hubd_service_get_config_string:
 * @self: a service
 * @key: a key of the service's group (`[NAME]` of hubd.conf, or
 *   `--set NAME.KEY=VALUE`)
 * @fallback: (nullable): what to return when the key is not set
 *
 * Returns: (transfer full) (nullable): the value, or a copy of @fallback
 *
 * Since: 0.1
 */
gchar *
hubd_service_get_config_string(HubdService *self, const gchar *key, const gchar *fallback)
{
	HubdServicePrivate *priv;

	g_return_val_if_fail(HUBD_IS_SERVICE(self), NULL);
	g_return_val_if_fail(key != NULL, NULL);
	priv = hubd_service_get_instance_private(self);
	if (priv->context == NULL || priv->name == NULL)
		return g_strdup(fallback);
	return hubd_config_get_string(hubd_context_get_config(priv->context),
				      priv->name,
				      key,
				      fallback);
}

/**
 * hubd_service_get_config_boolean:
 * @self: a service
 * @key: a key of the service's group
 * @fallback: what to return when the key is not set or not a boolean
 *
 * Returns: the value (`true`/`false`, `yes`/`no`, `1`/`0`)
 *
 * Since: 0.1
 */
gboolean
hubd_service_get_config_boolean(HubdService *self, const gchar *key, gboolean fallback)
{
	HubdServicePrivate *priv;

	g_return_val_if_fail(HUBD_IS_SERVICE(self), fallback);
	g_return_val_if_fail(key != NULL, fallback);
	priv = hubd_service_get_instance_private(self);
	if (priv->context == NULL || priv->name == NULL)
		return fallback;
	return hubd_config_get_boolean(hubd_context_get_config(priv->context),
				       priv->name,
				       key,
				       fallback);
}

/**
 * hubd_service_get_config_uint64:
 * @self: a service
 * @key: a key of the service's group
 * @min: the smallest value accepted
 * @max: the largest value accepted
 * @fallback: what to return when the key is not set
 *
 * A value that is not a number between @min and @max is logged as a warning
 * naming the group and key, and @fallback is used.
 *
 * Returns: the value
 *
 * Since: 0.1
 */
guint64
hubd_service_get_config_uint64(HubdService *self,
			       const gchar *key,
			       guint64 min,
			       guint64 max,
			       guint64 fallback)
{
	g_autofree gchar *value = hubd_service_get_config_string(self, key, NULL);
	g_autoptr(GError) error = NULL;
	guint64 number;

	if (value == NULL)
		return fallback;
	if (!g_ascii_string_to_unsigned(value, 10, min, max, &number, &error)) {
		g_warning("[%s] %s: %s; using %" G_GUINT64_FORMAT,
			  hubd_service_get_name(self),
			  key,
			  error->message,
			  fallback);
		return fallback;
	}
	return number;
}

/* ---- the daemon's side ---- */

GDBusInterfaceSkeleton *
hubd_service_get_skeleton(HubdService *self)
{
	HubdServicePrivate *priv;
	HubdServiceClass *klass;

	g_return_val_if_fail(HUBD_IS_SERVICE(self), NULL);
	priv = hubd_service_get_instance_private(self);
	if (priv->skeleton == NULL) {
		klass = HUBD_SERVICE_GET_CLASS(self);
		g_return_val_if_fail(klass->create_skeleton != NULL, NULL);
		priv->skeleton = klass->create_skeleton(self);
		g_return_val_if_fail(G_IS_DBUS_INTERFACE_SKELETON(priv->skeleton), NULL);
	}
	return priv->skeleton;
}

const gchar *
hubd_service_get_interface_name(HubdService *self)
{
	GDBusInterfaceSkeleton *skeleton = hubd_service_get_skeleton(self);

	if (skeleton == NULL)
		return NULL;
	return g_dbus_interface_skeleton_get_info(skeleton)->name;
}

gboolean
hubd_service_start(HubdService *self, GError **error)
{
	HubdServiceClass *klass;

	g_return_val_if_fail(HUBD_IS_SERVICE(self), FALSE);
	klass = HUBD_SERVICE_GET_CLASS(self);
	if (klass->start == NULL)
		return TRUE;
	return klass->start(self, error);
}

gboolean
hubd_service_export(HubdService *self, GDBusConnection *connection, GError **error)
{
	GDBusInterfaceSkeleton *skeleton;

	g_return_val_if_fail(HUBD_IS_SERVICE(self), FALSE);
	skeleton = hubd_service_get_skeleton(self);
	if (skeleton == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    "%s has no D-Bus interface",
			    G_OBJECT_TYPE_NAME(self));
		return FALSE;
	}
	if (g_dbus_interface_skeleton_has_connection(skeleton, connection))
		return TRUE;
	if (!g_dbus_interface_skeleton_export(skeleton, connection, HUBD_OBJECT_PATH, error))
		return FALSE;
	g_debug("exported %s", hubd_service_get_interface_name(self));
	return TRUE;
}

void
hubd_service_unexport(HubdService *self, GDBusConnection *connection)
{
	HubdServicePrivate *priv;

	g_return_if_fail(HUBD_IS_SERVICE(self));
	priv = hubd_service_get_instance_private(self);
	if (priv->skeleton == NULL)
		return;
	if (g_dbus_interface_skeleton_has_connection(priv->skeleton, connection))
		g_dbus_interface_skeleton_unexport_from_connection(priv->skeleton, connection);
}

gboolean
hubd_service_is_busy(HubdService *self)
{
	HubdServiceClass *klass;

	g_return_val_if_fail(HUBD_IS_SERVICE(self), FALSE);
	klass = HUBD_SERVICE_GET_CLASS(self);
	if (klass->is_busy == NULL)
		return FALSE;
	return klass->is_busy(self);
}

/**
 * hubd_service_return_error:
 * @invocation: (transfer full): the call to answer
 * @error: (transfer full): what went wrong
 *
 * Answers a method call with @error as a typed `org.hubd.Hub1.Error.*`: any
 * domain (GIO, libsoup, json-glib…) is first converted into %HUBD_ERROR,
 * keeping the message.
 *
 * Since: 0.1
 */
void
hubd_service_return_error(GDBusMethodInvocation *invocation, GError *error)
{
	g_autoptr(GError) owned = error;

	hubd_error_convert(&owned);
	/* HUBD_ERROR is registered with GDBus, so the name goes on the wire */
	g_dbus_method_invocation_return_gerror(invocation, owned);
}

/* The options every method that talks to the Hub takes besides its own
 * (read by hubd_hub_api_new_for_call()). */
static const HubdServiceOption hub_options[] = {{"token_name", "s"}, {NULL, NULL}};

static const HubdServiceOption *
hubd_service_find_option(const HubdServiceOption *table, const gchar *key)
{
	for (guint i = 0; table != NULL && table[i].key != NULL; i++) {
		if (g_strcmp0(table[i].key, key) == 0)
			return &table[i];
	}
	return NULL;
}

static void
hubd_service_append_keys(GString *known, const HubdServiceOption *table)
{
	for (guint i = 0; table != NULL && table[i].key != NULL; i++)
		g_string_append_printf(known, "%s“%s”", known->len > 0 ? ", " : "", table[i].key);
}

/* `extra`: a second table of known options, or NULL */
static gboolean
hubd_service_check_options_in(GVariant *options,
			      const HubdServiceOption *allowed,
			      const HubdServiceOption *extra,
			      GError **error)
{
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_autoptr(GVariant) v = value;
		const HubdServiceOption *o = hubd_service_find_option(allowed, key);

		if (o == NULL)
			o = hubd_service_find_option(extra, key);
		if (o == NULL) {
			g_autoptr(GString) known = g_string_new(NULL);

			hubd_service_append_keys(known, allowed);
			hubd_service_append_keys(known, extra);
			if (known->len == 0)
				g_set_error(error,
					    HUBD_ERROR,
					    HUBD_ERROR_INVALID_ARGUMENT,
					    _("Unknown option “%s”: this method takes no options"),
					    key);
			else
				g_set_error(error,
					    HUBD_ERROR,
					    HUBD_ERROR_INVALID_ARGUMENT,
					    _("Unknown option “%s” (known options: %s)"),
					    key,
					    known->str);
			return FALSE;
		}
		if (!g_variant_is_of_type(v, G_VARIANT_TYPE(o->type))) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Option “%s” must be of D-Bus type “%s”, not “%s”"),
				    key,
				    o->type,
				    g_variant_get_type_string(v));
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * hubd_service_check_options:
 * @options: a method's trailing `a{sv}`
 * @allowed: (nullable) (array zero-terminated=1): the options it takes,
 *   ending with a %NULL key; %NULL when it takes none
 * @error: return location for a #GError
 *
 * Refuses keys not in @allowed and values of another type, with
 * %HUBD_ERROR_INVALID_ARGUMENT naming the key and the known ones: a misspelt
 * option is an error, never silently ignored.
 *
 * Returns: %TRUE when every option is known and well typed
 *
 * Since: 0.1
 */
gboolean
hubd_service_check_options(GVariant *options, const HubdServiceOption *allowed, GError **error)
{
	return hubd_service_check_options_in(options, allowed, NULL, error);
}

/**
 * hubd_service_check_hub_options:
 * @options: the trailing `a{sv}` of a method that talks to the Hub
 * @allowed: (nullable) (array zero-terminated=1): the method's own options,
 *   as for hubd_service_check_options()
 * @error: return location for a #GError
 *
 * hubd_service_check_options() for a method that talks to the Hub: it also
 * takes `token_name` (s), the stored token to send this call's requests
 * with instead of the active one. Make the call's API with
 * hubd_hub_api_new_for_call() from the same @options.
 *
 * Returns: %TRUE when every option is known and well typed
 *
 * Since: 0.1
 */
gboolean
hubd_service_check_hub_options(GVariant *options, const HubdServiceOption *allowed, GError **error)
{
	return hubd_service_check_options_in(options, allowed, hub_options, error);
}

/**
 * hubd_service_accept_options:
 * @invocation: the call
 * @options: its trailing `a{sv}`
 * @allowed: (nullable): as for hubd_service_check_options()
 *
 * hubd_service_check_options() for method handlers: on failure the call is
 * answered with the error.
 *
 * Returns: %TRUE when the handler goes on; %FALSE when the call was answered
 *
 * Since: 0.1
 */
gboolean
hubd_service_accept_options(GDBusMethodInvocation *invocation,
			    GVariant *options,
			    const HubdServiceOption *allowed)
{
	GError *error = NULL;

	if (hubd_service_check_options(options, allowed, &error))
		return TRUE;
	hubd_service_return_error(invocation, error);
	return FALSE;
}
