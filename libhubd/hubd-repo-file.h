/* hubd-repo-file.h: HubdRepoFile, a typed result of libhubd */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUBD_TYPE_REPO_FILE (hubd_repo_file_get_type())
G_DECLARE_FINAL_TYPE(HubdRepoFile, hubd_repo_file, HUBD, REPO_FILE, GObject)

const gchar *
hubd_repo_file_get_path(HubdRepoFile *self);
const gchar *
hubd_repo_file_get_entry_type(HubdRepoFile *self);
guint64
hubd_repo_file_get_size(HubdRepoFile *self);
const gchar *
hubd_repo_file_get_oid(HubdRepoFile *self);
const gchar *
hubd_repo_file_get_lfs_sha256(HubdRepoFile *self);
guint64
hubd_repo_file_get_lfs_size(HubdRepoFile *self);

G_END_DECLS
