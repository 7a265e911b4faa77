/* hubd-cache-info.h: HubdCacheInfo, a typed result of libhubd */
#pragma once

#include <gio/gio.h>

#include "hubd-cache-repo.h"

G_BEGIN_DECLS

#define HUBD_TYPE_CACHE_INFO (hubd_cache_info_get_type())
G_DECLARE_FINAL_TYPE(HubdCacheInfo, hubd_cache_info, HUBD, CACHE_INFO, GObject)

const gchar *
hubd_cache_info_get_path(HubdCacheInfo *self);
guint64
hubd_cache_info_get_size(HubdCacheInfo *self);
const gchar *const *
hubd_cache_info_get_warnings(HubdCacheInfo *self);
const gchar *const *
hubd_cache_info_get_incomplete(HubdCacheInfo *self);
GPtrArray *
hubd_cache_info_get_repos(HubdCacheInfo *self);

G_END_DECLS
