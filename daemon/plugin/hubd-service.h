/* hubd-service.h: base type of everything that exports a D-Bus interface, core and plugins */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUBD_OBJECT_PATH "/org/hubd/Hub1"
/* GIO extension point of HubdService subclasses (storage backends have
 * theirs in hubd-storage.h) */
#define HUBD_SERVICE_EXTENSION_POINT "hubd-service"

typedef struct _HubdDaemon HubdDaemon;

#define HUBD_TYPE_SERVICE (hubd_service_get_type())
G_DECLARE_DERIVABLE_TYPE(HubdService, hubd_service, HUBD, SERVICE, GObject)

struct _HubdServiceClass {
	GObjectClass parent_class;

	/* The skeleton exported at HUBD_OBJECT_PATH on every connection. Called
	 * once, lazily; the service keeps ownership. Required. */
	GDBusInterfaceSkeleton *(*create_skeleton)(HubdService *self);
	/* Optional: work before the first export (the daemon is fully set up). */
	gboolean (*start)(HubdService *self, GError **error);
	/* Optional: TRUE while the service has work in flight (no idle exit). */
	gboolean (*is_busy)(HubdService *self);

	gpointer padding[8];
};

/* Registers the extension point; idempotent. */
void
hubd_service_register_extension_points(void);

HubdDaemon *
hubd_service_get_daemon(HubdService *self);
GDBusInterfaceSkeleton *
hubd_service_get_skeleton(HubdService *self);
/* e.g. "org.hubd.Hub1.Daemon" */
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

/* For method handlers: finishes `invocation` with `error` converted to a
 * typed org.hubd.Hub1.Error.* (see hubd_error_convert). Takes `error`. */
void
hubd_service_return_error(GDBusMethodInvocation *invocation, GError *error);

/* One option a method takes: its key and GVariant type string. */
typedef struct {
	const gchar *key;
	const gchar *type;
} HubdServiceOption;

/* Refuses keys of `options` (a{sv}) not in `allowed` (NULL-key terminated;
 * NULL: none allowed) and values of another type, with INVALID_ARGUMENT
 * naming the key and the known ones. */
gboolean
hubd_service_check_options(GVariant *options, const HubdServiceOption *allowed, GError **error);

/* For method handlers: hubd_service_check_options, and on failure the error
 * is returned to the caller. TRUE when the options are good and the handler
 * goes on; FALSE when the call has been answered. */
gboolean
hubd_service_accept_options(GDBusMethodInvocation *invocation,
			    GVariant *options,
			    const HubdServiceOption *allowed);

G_END_DECLS
