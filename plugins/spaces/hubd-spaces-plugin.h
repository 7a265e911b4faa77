/* hubd-spaces-plugin.h: what the Spaces plugin's files share besides the call */
#pragma once

#include "hubd-plugin.h"

G_BEGIN_DECLS

#define HUBD_SPACES_IFACE "org.hubd.Hub1.Spaces"

/* hubd-spaces-wait.c: Wait */
void
hubd_spaces_wait_start(HubdService *service,
		       GDBusMethodInvocation *invocation,
		       const gchar *space_id,
		       GVariant *options);

/* hubd-spaces-linked.c: LinkedSpaces, LinkedModels, Duplicate */
void
hubd_spaces_linked_spaces(HubdService *service,
			  GDBusMethodInvocation *invocation,
			  const gchar *model_id,
			  GVariant *options);
void
hubd_spaces_linked_models(HubdService *service,
			  GDBusMethodInvocation *invocation,
			  const gchar *space_id,
			  GVariant *options);
void
hubd_spaces_duplicate(HubdService *service,
		      GDBusMethodInvocation *invocation,
		      const gchar *from_id,
		      const gchar *to_id,
		      GVariant *options);

/* hubd-spaces-logs.c: StreamLogs and StopLogs, streams per caller */
typedef struct _HubdSpacesLogs HubdSpacesLogs;
HubdSpacesLogs *
hubd_spaces_logs_new(HubdService *service);
void
hubd_spaces_logs_free(HubdSpacesLogs *logs);
void
hubd_spaces_logs_start(HubdSpacesLogs *logs,
		       GDBusMethodInvocation *invocation,
		       const gchar *space_id,
		       const gchar *kind,
		       gboolean follow,
		       GVariant *options);
void
hubd_spaces_logs_stop(HubdSpacesLogs *logs,
		      GDBusMethodInvocation *invocation,
		      guint64 stream_id,
		      GVariant *options);

/* hubd-spaces-watch.c: Watch, Unwatch and RuntimeChanged */
typedef struct _HubdSpacesWatch HubdSpacesWatch;
HubdSpacesWatch *
hubd_spaces_watch_new(HubdService *service);
void
hubd_spaces_watch_free(HubdSpacesWatch *watch);
void
hubd_spaces_watch_add(HubdSpacesWatch *watch,
		      GDBusMethodInvocation *invocation,
		      const gchar *space_id,
		      GVariant *options);
void
hubd_spaces_watch_remove(HubdSpacesWatch *watch,
			 GDBusMethodInvocation *invocation,
			 const gchar *space_id,
			 GVariant *options);

/* The poll interval of Wait and Watch: [spaces] poll-interval-ms. */
guint
hubd_spaces_poll_interval_ms(HubdService *service);

G_END_DECLS
