/* hubd-client.h: a connection to hubd — the session bus or its Unix socket */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUBD_TYPE_CLIENT (hubd_client_get_type())
G_DECLARE_FINAL_TYPE(HubdClient, hubd_client, HUBD, CLIENT, GObject)

void
hubd_client_new(GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
void
hubd_client_new_for_socket(const gchar *socket_path,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
HubdClient *
hubd_client_new_finish(GAsyncResult *result, GError **error);
HubdClient *
hubd_client_new_sync(GCancellable *cancellable, GError **error);
HubdClient *
hubd_client_new_for_socket_sync(const gchar *socket_path,
				GCancellable *cancellable,
				GError **error);

GDBusConnection *
hubd_client_get_connection(HubdClient *self);
const gchar *
hubd_client_get_socket_path(HubdClient *self);
const gchar *
hubd_client_get_bus_name(HubdClient *self);
GDBusProxyFlags
hubd_client_get_proxy_flags(HubdClient *self);

/* Any method of hubd's object, for the interfaces without typed calls
 * (plugins': Spaces, Endpoints, Storage, …); hubd-client-call.c */
void
hubd_client_call(HubdClient *self,
		 const gchar *interface_name,
		 const gchar *method,
		 GVariant *parameters,
		 const GVariantType *reply_type,
		 gint timeout_msec,
		 GCancellable *cancellable,
		 GAsyncReadyCallback callback,
		 gpointer user_data);
GVariant *
hubd_client_call_finish(HubdClient *self, GAsyncResult *result, GError **error);
GVariant *
hubd_client_call_sync(HubdClient *self,
		      const gchar *interface_name,
		      const gchar *method,
		      GVariant *parameters,
		      const GVariantType *reply_type,
		      gint timeout_msec,
		      GCancellable *cancellable,
		      GError **error);
GVariant *
hubd_client_get_property_sync(HubdClient *self,
			      const gchar *interface_name,
			      const gchar *property_name,
			      GCancellable *cancellable,
			      GError **error);

G_END_DECLS
