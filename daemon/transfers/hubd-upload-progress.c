/* hubd-upload-progress.c: an upload's progress. Worker threads (hashing,
 * the LFS PUT and commit body streams) count bytes atomically — in total and
 * per file (HubdFileProgress); a main-loop timer moves them into the job, so
 * every HubdJob call stays on the main thread. A file is in the job's Files
 * while its progress is active. */
#define G_LOG_DOMAIN "HubdUpload"

#include "hubd-upload-progress.h"

/* what the job was told of one add, at the same index */
typedef struct {
	gint64 reported; /* progress->bytes given to the job's Files entry */
	gboolean listed; /* in the job's Files */
} FileState;

struct _HubdUploadProgress {
	HubdJob *job;
	HubdCommitOps *ops;
	GArray *files;  /* FileState */
	gint64 counter; /* bytes, updated from worker threads */
	gint64 reported;
	guint timeout_id;
};

static gboolean
hubd_upload_progress_cb(gpointer user_data)
{
	hubd_upload_progress_sync(user_data);
	return G_SOURCE_CONTINUE;
}

HubdUploadProgress *
hubd_upload_progress_new(HubdJob *job, HubdCommitOps *ops)
{
	HubdUploadProgress *self = g_new0(HubdUploadProgress, 1);

	self->job = g_object_ref(job);
	self->ops = hubd_commit_ops_ref(ops);
	self->files = g_array_new(FALSE, TRUE, sizeof(FileState));
	return self;
}

void
hubd_upload_progress_free(HubdUploadProgress *self)
{
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	g_object_unref(self->job);
	hubd_commit_ops_unref(self->ops);
	g_array_unref(self->files);
	g_free(self);
}

gint64 *
hubd_upload_progress_get_counter(HubdUploadProgress *self)
{
	return &self->counter;
}

void
hubd_upload_progress_stop(HubdUploadProgress *self)
{
	g_clear_handle_id(&self->timeout_id, g_source_remove);
}

/* the adds may have grown since (a folder is walked after the start) */
static GPtrArray *
hubd_upload_progress_get_adds(HubdUploadProgress *self)
{
	GPtrArray *adds = hubd_commit_ops_get_adds(self->ops);

	if (self->files->len < adds->len)
		g_array_set_size(self->files, adds->len);
	return adds;
}

/* Files entries first (hubd_job_file_progress adds to BytesDone too), then
 * the rest of the total: BytesDone is always exactly `counter`. */
void
hubd_upload_progress_sync(HubdUploadProgress *self)
{
	GPtrArray *adds = hubd_upload_progress_get_adds(self);
	gint64 claimed = 0;
	gint64 now;

	for (guint i = 0; i < adds->len; i++) {
		HubdCommitAdd *add = g_ptr_array_index(adds, i);
		FileState *file = &g_array_index(self->files, FileState, i);
		gint active;
		gint64 bytes;

		if (add->progress == NULL)
			continue;
		active = __atomic_load_n(&add->progress->active, __ATOMIC_RELAXED);
		if (active > 0 && !file->listed) {
			hubd_job_file_begin(self->job, add->path, add->progress->total);
			file->listed = TRUE;
			file->reported = 0;
		}
		if (!file->listed)
			continue;
		bytes = __atomic_load_n(&add->progress->bytes, __ATOMIC_RELAXED);
		if (bytes != file->reported) {
			hubd_job_file_progress(self->job, add->path, bytes - file->reported);
			claimed += bytes - file->reported;
			file->reported = bytes;
		}
		if (active <= 0) {
			hubd_job_file_end(self->job, add->path);
			file->listed = FALSE;
		}
	}
	now = __atomic_load_n(&self->counter, __ATOMIC_RELAXED);
	if (now - self->reported != claimed)
		hubd_job_add_bytes(self->job, now - self->reported - claimed);
	self->reported = now;
}

void
hubd_upload_progress_phase(HubdUploadProgress *self,
			   const gchar *phase,
			   gboolean reset,
			   guint64 bytes_total)
{
	/* Nothing counts before the first phase, and until then a worker
	 * thread may still be adding a folder's files to the ops: the timer
	 * starts here, not before. */
	if (self->timeout_id == 0)
		self->timeout_id = g_timeout_add(100, hubd_upload_progress_cb, self);
	hubd_upload_progress_sync(self);
	if (reset) {
		GPtrArray *adds = hubd_upload_progress_get_adds(self);

		hubd_job_add_bytes(self->job, -(gint64)hubd_job_get_bytes_done(self->job));
		__atomic_store_n(&self->counter, 0, __ATOMIC_RELAXED);
		self->reported = 0;
		for (guint i = 0; i < adds->len; i++) {
			HubdCommitAdd *add = g_ptr_array_index(adds, i);
			FileState *file = &g_array_index(self->files, FileState, i);

			if (file->listed)
				hubd_job_file_end(self->job, add->path);
			file->listed = FALSE;
			file->reported = 0;
			/* nothing counts for this file any more: a fresh count */
			g_clear_pointer(&add->progress, hubd_file_progress_unref);
		}
		hubd_job_set_totals(self->job,
				    bytes_total,
				    adds->len + hubd_commit_ops_get_copies(self->ops)->len);
	}
	hubd_job_set_phase(self->job, phase);
}
