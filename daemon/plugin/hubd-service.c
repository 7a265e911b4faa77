/* hubd-service.c: base type of everything that exports a D-Bus interface, core and plugins */
#define G_LOG_DOMAIN "HubdService"

#include "hubd-service.h"

#include <glib/gi18n.h>

#include "hubd-daemon.h"
#include "hubd-error.h"

typedef struct {
	HubdDaemon *daemon; /* weak: the daemon owns the services */
	GDBusInterfaceSkeleton *skeleton;
} HubdServicePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE(HubdService, hubd_service, G_TYPE_OBJECT)

enum { PROP_0, PROP_DAEMON, N_PROPS };
static GParamSpec *props[N_PROPS];

void
hubd_service_register_extension_points(void)
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
	case PROP_DAEMON:
		g_value_set_pointer(value, priv->daemon);
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
	case PROP_DAEMON:
		priv->daemon = g_value_get_pointer(value);
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
hubd_service_class_init(HubdServiceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_service_get_property;
	object_class->set_property = hubd_service_set_property;
	object_class->dispose = hubd_service_dispose;

	/* a pointer, not an object: services must not keep the daemon alive */
	props[PROP_DAEMON] = g_param_spec_pointer("daemon",
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

HubdDaemon *
hubd_service_get_daemon(HubdService *self)
{
	HubdServicePrivate *priv;

	g_return_val_if_fail(HUBD_IS_SERVICE(self), NULL);
	priv = hubd_service_get_instance_private(self);
	return priv->daemon;
}

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

void
hubd_service_return_error(GDBusMethodInvocation *invocation, GError *error)
{
	g_autoptr(GError) owned = error;

	hubd_error_convert(&owned);
	/* HUBD_ERROR is registered with GDBus, so the name goes on the wire */
	g_dbus_method_invocation_return_gerror(invocation, owned);
}

gboolean
hubd_service_check_options(GVariant *options, const HubdServiceOption *allowed, GError **error)
{
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_autoptr(GVariant) v = value;
		const HubdServiceOption *o = NULL;

		for (guint i = 0; allowed != NULL && allowed[i].key != NULL; i++) {
			if (g_strcmp0(allowed[i].key, key) == 0)
				o = &allowed[i];
		}
		if (o == NULL) {
			g_autoptr(GString) known = g_string_new(NULL);

			for (guint i = 0; allowed != NULL && allowed[i].key != NULL; i++)
				g_string_append_printf(known,
						       "%s“%s”",
						       i > 0 ? ", " : "",
						       allowed[i].key);
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
