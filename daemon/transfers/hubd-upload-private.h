/* hubd-upload-private.h: HubdUpload's state, shared by hubd-upload.c (the
 * steps) and hubd-upload-prepare.c (folder walk, policy, remote listings) */
#pragma once

#include "hubd-commit.h"
#include "hubd-daemon.h"
#include "hubd-hash.h"
#include "hubd-hub-client.h"
#include "hubd-upload.h"

G_BEGIN_DECLS

typedef struct {
	gchar *local_path;
	gchar *path; /* in the repo */
	HubdFileHash hash;
	guint64 local_size; /* from stat, before hashing */
	gboolean lfs;
	gboolean noop;   /* the Hub has this content at this path */
	gboolean ignore; /* shouldIgnore (.gitignore) */
	/* per-file progress of the current phase, from worker threads; the
	 * main-loop timer turns it into the job's Files (hubd-upload-progress.c) */
	HubdFileProgress *progress;
	gint64 reported; /* progress->bytes given to the job's Files entry */
	gboolean listed; /* in the job's Files */
} HubdUploadAdd;

typedef struct {
	gchar *path;
	gboolean is_folder;
} HubdUploadDelete;

typedef struct {
	gchar *src_path;
	gchar *src_revision;
	gchar *path;
} HubdUploadCopy;

struct _HubdUpload {
	GObject parent_instance;
	HubdDaemon *daemon;
	HubdHubClient *client;
	HubdJob *job;
	GCancellable *cancellable;
	HubdRepoType type;
	gchar *repo_id;
	gchar *revision;
	gchar *message;
	gchar *description;
	gchar *parent_commit;
	gboolean create_pr;
	gboolean no_policy;
	gboolean create_repo;
	gboolean private_repo;
	GStrv delete_patterns;
	GStrv allow_patterns;
	GStrv ignore_patterns;
	gchar *folder;
	gchar *folder_path_in_repo; /* "" or "dir" (no trailing '/') */
	GPtrArray *adds;            /* HubdUploadAdd */
	GPtrArray *deletes;         /* HubdUploadDelete */
	GPtrArray *copies;          /* HubdUploadCopy */
	GBytes *readme;             /* README.md after the commit, NULL: none */
	gboolean readme_known;
	gchar *head_oid; /* from preupload */
	HubdCommitPayload *payload;
	guint next; /* index of the next file to hash / copy to resolve */
	guint running;
	GError *error;
	gint64 counter; /* bytes, updated from worker threads */
	gint64 reported;
	guint progress_id;
	guint preupload_next;
};

void
hubd_upload_add_free(HubdUploadAdd *add);
void
hubd_upload_delete_free(HubdUploadDelete *del);
void
hubd_upload_copy_free(HubdUploadCopy *copy);

/* progress, in hubd-upload-progress.c (main thread): moves the byte counts
 * of the worker threads into the job — BytesDone, and the Files entries of
 * the files whose progress is active */
void
hubd_upload_progress_sync(HubdUpload *self);
gboolean
hubd_upload_progress_cb(gpointer user_data);
/* a new phase; with `reset`, BytesDone (and every file's count) starts
 * again from 0 against `bytes_total` (hashing counts bytes read; uploading
 * and committing together count the bytes sent) */
void
hubd_upload_phase(HubdUpload *self, const gchar *phase, gboolean reset, guint64 bytes_total);

/* steps, in hubd-upload-prepare.c; each calls its `done` when finished
 * (with an error, or NULL) */
typedef void (*HubdUploadStepDone)(HubdUpload *self, GError *error);
void
hubd_upload_create_repo(HubdUpload *self, HubdUploadStepDone done);
/* folder walk, policy scan of every file, local README.md, in a thread */
void
hubd_upload_prepare_local(HubdUpload *self, HubdUploadStepDone done);
/* delete_patterns against the remote tree, then the card rule */
void
hubd_upload_prepare_remote(HubdUpload *self, HubdUploadStepDone done);
/* copies: paths-info on the source revision, regular sources fetched */
void
hubd_upload_resolve_copies(HubdUpload *self, HubdUploadStepDone done);

G_END_DECLS
