/* hubd-client-private.h: how libhubd's calls reach hubd (not installed) */
#pragma once

#include "hubd-client.h"
#include "hubd-error-private.h"
#include "hubd-names.h"

G_BEGIN_DECLS

/* The connect timeout, as a D-Bus call's default timeout: a stopped hubd
 * accepts connect() (the kernel's backlog) but never answers the handshake. */
#define HUBD_CLIENT_CONNECT_TIMEOUT_S 25

/* The typed calls wait as long as hubd works: Info or List may follow many
 * pages of the Hub's answers. */
#define HUBD_CLIENT_NO_TIMEOUT G_MAXINT

/* Connects as HubdClient's documentation says (hubd-client-connect.c):
 * socket_path, else the session bus, else the default socket when there is
 * no bus. The task's result is the client's connection, and the client's
 * socket path / proxy flags are set through the setters below. */
void
hubd_client_connect_async(HubdClient *self,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
gboolean
hubd_client_connect_finish(HubdClient *self, GAsyncResult *result, GError **error);

/* Connects a client made with g_object_new(), blocking as
 * hubd_client_new_for_socket_sync(); on failure the client still says which
 * socket it tried (hubctl names it in its message). */
gboolean
hubd_client_init_sync(HubdClient *self, GCancellable *cancellable, GError **error);

void
hubd_client_set_connection(HubdClient *self, GDBusConnection *connection);
void
hubd_client_set_socket_path(HubdClient *self, const gchar *socket_path);
void
hubd_client_set_proxy_flags(HubdClient *self, GDBusProxyFlags flags);

/* An empty a{sv}, floating: the trailing options of every call. */
GVariant *
hubd_client_no_options(void);

/* The same at another object (a job's). */
GVariant *
hubd_client_call_sync_at(HubdClient *self,
			 const gchar *object_path,
			 const gchar *interface_name,
			 const gchar *method,
			 GVariant *parameters,
			 const GVariantType *reply_type,
			 gint timeout_msec,
			 GCancellable *cancellable,
			 GError **error);

/* Runs `func`'s async operation to its end in a private main context and
 * returns what `finish` makes of it, for the _sync functions that wrap async
 * ones. The result is dropped, and what its objects leave queued in that
 * context (signal unsubscriptions) dispatched, before the context goes. */
typedef void (*HubdClientAsyncFunc)(gpointer data,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
typedef gpointer (*HubdClientFinishFunc)(gpointer data, GAsyncResult *result, GError **error);
gpointer
hubd_client_run_sync(HubdClientAsyncFunc func,
		     HubdClientFinishFunc finish,
		     gpointer data,
		     GCancellable *cancellable,
		     GError **error);

G_END_DECLS

G_BEGIN_DECLS

/* hubd-client-call.c: a call whose reply becomes a typed result, and a call
 * that returns a job path, which becomes a HubdJob. `convert` takes the
 * whole reply tuple and never fails. */
typedef gpointer (*HubdClientConvertFunc)(GVariant *reply);

void
hubd_client_call_typed(HubdClient *self,
		       const gchar *interface_name,
		       const gchar *method,
		       GVariant *parameters,
		       const gchar *reply_type,
		       HubdClientConvertFunc convert,
		       GDestroyNotify free_func,
		       gpointer source_tag,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
gpointer
hubd_client_call_typed_finish(HubdClient *self,
			      GAsyncResult *result,
			      gpointer source_tag,
			      GError **error);
gpointer
hubd_client_call_typed_sync(HubdClient *self,
			    const gchar *interface_name,
			    const gchar *method,
			    GVariant *parameters,
			    const gchar *reply_type,
			    HubdClientConvertFunc convert,
			    GCancellable *cancellable,
			    GError **error);

struct _HubdJob;
void
hubd_client_call_job(HubdClient *self,
		     const gchar *interface_name,
		     const gchar *method,
		     GVariant *parameters,
		     gpointer source_tag,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data);
struct _HubdJob *
hubd_client_call_job_finish(HubdClient *self,
			    GAsyncResult *result,
			    gpointer source_tag,
			    GError **error);
struct _HubdJob *
hubd_client_call_job_sync(HubdClient *self,
			  const gchar *interface_name,
			  const gchar *method,
			  GVariant *parameters,
			  GCancellable *cancellable,
			  GError **error);

/* "" for NULL: the D-Bus API's "not given" */
#define HUBD_CLIENT_STR(s) ((s) != NULL ? (s) : "")

G_END_DECLS
