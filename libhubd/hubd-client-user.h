/* hubd-client-user.h: HubdClient's calls about the user and their cache (WhoAmI, Scan) */
#pragma once

#include "hubd-cache-info.h"
#include "hubd-client.h"
#include "hubd-user.h"

G_BEGIN_DECLS

void
hubd_client_whoami(HubdClient *self,
		   GCancellable *cancellable,
		   GAsyncReadyCallback callback,
		   gpointer user_data);
HubdUser *
hubd_client_whoami_finish(HubdClient *self, GAsyncResult *result, GError **error);
HubdUser *
hubd_client_whoami_sync(HubdClient *self, GCancellable *cancellable, GError **error);

void
hubd_client_cache_scan(HubdClient *self,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
HubdCacheInfo *
hubd_client_cache_scan_finish(HubdClient *self, GAsyncResult *result, GError **error);
HubdCacheInfo *
hubd_client_cache_scan_sync(HubdClient *self, GCancellable *cancellable, GError **error);

G_END_DECLS
