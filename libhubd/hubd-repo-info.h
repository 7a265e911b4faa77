/* hubd-repo-info.h: HubdRepoInfo, a typed result of libhubd */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUBD_TYPE_REPO_INFO (hubd_repo_info_get_type())
G_DECLARE_FINAL_TYPE(HubdRepoInfo, hubd_repo_info, HUBD, REPO_INFO, GObject)

const gchar *
hubd_repo_info_get_id(HubdRepoInfo *self);
const gchar *
hubd_repo_info_get_sha(HubdRepoInfo *self);
gboolean
hubd_repo_info_get_private(HubdRepoInfo *self);
const gchar *
hubd_repo_info_get_gated(HubdRepoInfo *self);
gboolean
hubd_repo_info_get_disabled(HubdRepoInfo *self);
const gchar *
hubd_repo_info_get_author(HubdRepoInfo *self);
const gchar *
hubd_repo_info_get_last_modified(HubdRepoInfo *self);
const gchar *const *
hubd_repo_info_get_tags(HubdRepoInfo *self);
const gchar *
hubd_repo_info_get_library_name(HubdRepoInfo *self);
const gchar *
hubd_repo_info_get_pipeline_tag(HubdRepoInfo *self);
const gchar *
hubd_repo_info_get_license(HubdRepoInfo *self);
guint64
hubd_repo_info_get_downloads(HubdRepoInfo *self);
guint64
hubd_repo_info_get_likes(HubdRepoInfo *self);
const gchar *
hubd_repo_info_get_sdk(HubdRepoInfo *self);

G_END_DECLS
