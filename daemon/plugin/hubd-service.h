/* hubd-service.h: base type of everything that exports a D-Bus interface, core and plugins */
#pragma once

#include <gio/gio.h>

/* HUBD_OBJECT_PATH: where every service's interface is exported, on every
 * connection (the names are libhubd's, shared with every client) */
#include "libhubd/hubd-names.h"

G_BEGIN_DECLS

/**
 * HUBD_SERVICE_EXTENSION_POINT:
 *
 * The GIO extension point #HubdService subclasses implement; the extension
 * name is the service's name (its config group). Call
 * hubd_service_register_extension_point() before implementing it.
 *
 * Since: 0.1
 */
#define HUBD_SERVICE_EXTENSION_POINT "hubd-service"

/**
 * HubdService:
 *
 * The base of everything that exports a D-Bus interface at
 * %HUBD_OBJECT_PATH, built-in or from a plugin. The daemon makes one of each
 * type on the extension point, with its #HubdContext, and exports its
 * skeleton on every connection.
 *
 * Since: 0.1
 */
#define HUBD_TYPE_SERVICE (hubd_service_get_type())
G_DECLARE_DERIVABLE_TYPE(HubdService, hubd_service, HUBD, SERVICE, GObject)

/**
 * HubdServiceClass:
 * @parent_class: the parent class
 * @create_skeleton: the interface skeleton to export, with its method
 *   handlers connected. Called once, lazily; the service keeps ownership.
 *   Required.
 * @start: optional work before the first export (the context is complete).
 *   A service whose start fails is logged and not exported; the others run.
 * @is_busy: optional: %TRUE while the service has work in flight (so the
 *   daemon does not exit when idle). Jobs and hubd_context_hold() count
 *   already.
 *
 * Since: 0.1
 */
struct _HubdServiceClass {
	GObjectClass parent_class;

	GDBusInterfaceSkeleton *(*create_skeleton)(HubdService *self);
	gboolean (*start)(HubdService *self, GError **error);
	gboolean (*is_busy)(HubdService *self);

	/*< private >*/
	gpointer padding[8];
};

typedef struct _HubdContext HubdContext;

void
hubd_service_register_extension_point(void);

HubdContext *
hubd_service_get_context(HubdService *self);
const gchar *
hubd_service_get_name(HubdService *self);
GDBusInterfaceSkeleton *
hubd_service_get_skeleton(HubdService *self);

gchar *
hubd_service_get_config_string(HubdService *self, const gchar *key, const gchar *fallback);
gboolean
hubd_service_get_config_boolean(HubdService *self, const gchar *key, gboolean fallback);
guint64
hubd_service_get_config_uint64(HubdService *self,
			       const gchar *key,
			       guint64 min,
			       guint64 max,
			       guint64 fallback);

/* The daemon's side: the interface's name ("org.hubd.Hub1.Daemon"), start,
 * export on a connection and off it, busy. */
const gchar *
hubd_service_get_interface_name(HubdService *self);
gboolean
hubd_service_start(HubdService *self, GError **error);
gboolean
hubd_service_export(HubdService *self, GDBusConnection *connection, GError **error);
void
hubd_service_unexport(HubdService *self, GDBusConnection *connection);
gboolean
hubd_service_is_busy(HubdService *self);

void
hubd_service_return_error(GDBusMethodInvocation *invocation, GError *error);

/**
 * HubdServiceOption:
 * @key: the option's key, snake_case
 * @type: its D-Bus (GVariant) type string, e.g. `"s"`, `"b"`, `"as"`
 *
 * One option a method takes in its trailing `a{sv}`. Tables of them end with
 * a %NULL key.
 *
 * Since: 0.1
 */
typedef struct {
	const gchar *key;
	const gchar *type;
} HubdServiceOption;

gboolean
hubd_service_check_options(GVariant *options, const HubdServiceOption *allowed, GError **error);

gboolean
hubd_service_check_hub_options(GVariant *options, const HubdServiceOption *allowed, GError **error);

gboolean
hubd_service_accept_options(GDBusMethodInvocation *invocation,
			    GVariant *options,
			    const HubdServiceOption *allowed);

G_END_DECLS
