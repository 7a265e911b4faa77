/* hubd-context.h: HubdContext, what a plugin (and every built-in service) gets from the daemon */
#pragma once

#include <gio/gio.h>

#include "hubd-storage.h"

G_BEGIN_DECLS

/* Declared here so that this header needs nothing above plugin/: their
 * headers come with the umbrella hubd-plugin.h. */
typedef struct _HubdHubApi HubdHubApi;
typedef struct _HubdCache HubdCache;

/**
 * HubdContext:
 *
 * The daemon as a plugin sees it: the Hub API (every request authenticated
 * with the user's token, which the plugin never sees), the shared download
 * cache, storage backends by name, objects exported on every D-Bus connection,
 * and holds that keep the daemon from exiting while work is in flight.
 * A service reaches it with hubd_service_get_context(); jobs are made from it
 * with hubd_job_new(). There is one per daemon.
 *
 * Since: 0.1
 */
#define HUBD_TYPE_CONTEXT (hubd_context_get_type())
G_DECLARE_FINAL_TYPE(HubdContext, hubd_context, HUBD, CONTEXT, GObject)

HubdHubApi *
hubd_context_get_hub_api(HubdContext *self);
HubdCache *
hubd_context_get_cache(HubdContext *self);
const gchar *
hubd_context_get_endpoint(HubdContext *self);
HubdStorage *
hubd_context_get_storage(HubdContext *self, const gchar *name, GError **error);

void
hubd_context_export_object(HubdContext *self, GDBusObjectSkeleton *object);
void
hubd_context_unexport_object(HubdContext *self, const gchar *object_path);

void
hubd_context_hold(HubdContext *self);
void
hubd_context_release(HubdContext *self);

G_END_DECLS
