/* hubd-cache-repo.h: HubdCacheRepo, a typed result of libhubd */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUBD_TYPE_CACHE_REPO (hubd_cache_repo_get_type())
G_DECLARE_FINAL_TYPE(HubdCacheRepo, hubd_cache_repo, HUBD, CACHE_REPO, GObject)

const gchar *
hubd_cache_repo_get_repo_id(HubdCacheRepo *self);
const gchar *
hubd_cache_repo_get_repo_type(HubdCacheRepo *self);
const gchar *
hubd_cache_repo_get_path(HubdCacheRepo *self);
guint64
hubd_cache_repo_get_size(HubdCacheRepo *self);
guint
hubd_cache_repo_get_nb_files(HubdCacheRepo *self);
gint64
hubd_cache_repo_get_last_accessed(HubdCacheRepo *self);
gint64
hubd_cache_repo_get_last_modified(HubdCacheRepo *self);
const gchar *const *
hubd_cache_repo_get_refs(HubdCacheRepo *self);

G_END_DECLS
