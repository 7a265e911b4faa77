/* hubd-upload.h: HubdUpload, one upload or commit as a job — create the repo,
 * walk a folder, policy, hash, preupload, LFS, one NDJSON commit */
#pragma once

#include <gio/gio.h>

#include "hubd-job.h"
#include "hubd-repo-id.h"
#include "hubd-upload-source.h"

G_BEGIN_DECLS

typedef struct _HubdContext HubdContext;

#define HUBD_TYPE_UPLOAD (hubd_upload_get_type())
G_DECLARE_FINAL_TYPE(HubdUpload, hubd_upload, HUBD, UPLOAD, GObject)

/* Checks repo type, id, revision and `options` (the a{sv} of
 * org.hubd.Hub1.Transfers.Upload); HUBD_ERROR_INVALID_ARGUMENT naming the
 * rule broken. */
HubdUpload *
hubd_upload_new(HubdContext *context,
		const gchar *repo_type,
		const gchar *repo_id,
		const gchar *revision,
		GVariant *options,
		GError **error);

/* Operations; each checks its arguments (local paths absolute, paths in the
 * repo cleaned as huggingface_hub does). */
gboolean
hubd_upload_add_file(HubdUpload *self,
		     const gchar *local_path,
		     const gchar *path_in_repo,
		     GError **error);
/* A storage object of `size` bytes (as listed): hashed on a first streamed
 * read, then streamed again into the LFS upload or the commit; never copied
 * to disk (Storage.Publish). */
gboolean
hubd_upload_add_source(HubdUpload *self,
		       HubdUploadSource *source,
		       guint64 size,
		       const gchar *path_in_repo,
		       GError **error);
gboolean
hubd_upload_add_delete(HubdUpload *self,
		       const gchar *path_in_repo,
		       gboolean is_folder,
		       GError **error);
gboolean
hubd_upload_add_copy(HubdUpload *self,
		     const gchar *src_path,
		     const gchar *src_revision,
		     const gchar *path_in_repo,
		     GError **error);
/* The folder is walked when the job runs. */
gboolean
hubd_upload_set_folder(HubdUpload *self,
		       const gchar *folder,
		       const gchar *path_in_repo,
		       GError **error);

/* Runs the upload as `job` (kind "upload") and completes it with
 * commit_oid, commit_url and, for a PR, pr_url. */
void
hubd_upload_run(HubdUpload *self, HubdJob *job);

/* fnmatch without FNM_PATHNAME as huggingface_hub's filter_repo_objects
 * (a trailing "/" means the whole folder); NULL or empty allow means everything. */
gboolean
hubd_upload_path_is_wanted(const gchar *path,
			   const gchar *const *allow,
			   const gchar *const *ignore);

G_END_DECLS
