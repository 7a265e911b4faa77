/* hubd-storage-admin.h: AddBackend and RemoveBackend of org.hubd.Hub1.Storage */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

/* Each answers `invocation` itself, holding `service`'s context until done. */
void
hubd_storage_admin_add(HubdService *service,
		       GDBusMethodInvocation *invocation,
		       const gchar *name,
		       const gchar *url,
		       GVariant *options);
void
hubd_storage_admin_remove(HubdService *service,
			  GDBusMethodInvocation *invocation,
			  const gchar *name,
			  GVariant *options);

G_END_DECLS
