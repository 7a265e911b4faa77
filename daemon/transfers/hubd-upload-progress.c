/* hubd-upload-progress.c: HubdUpload's progress. Worker threads (hashing,
 * the LFS PUT and commit body streams) count bytes atomically — in total and
 * per file (HubdFileProgress); a main-loop timer moves them into the job, so
 * every HubdJob call stays on the main thread. A file is in the job's Files
 * while its progress is active. */
#define G_LOG_DOMAIN "HubdUpload"

#include "hubd-upload-private.h"

/* Files entries first (hubd_job_file_progress adds to BytesDone too), then
 * the rest of the total: BytesDone is always exactly `counter`. */
void
hubd_upload_progress_sync(HubdUpload *self)
{
	gint64 claimed = 0;
	gint64 now;

	for (guint i = 0; i < self->adds->len; i++) {
		HubdUploadAdd *add = g_ptr_array_index(self->adds, i);
		gint active;
		gint64 bytes;

		if (add->progress == NULL)
			continue;
		active = __atomic_load_n(&add->progress->active, __ATOMIC_RELAXED);
		if (active > 0 && !add->listed) {
			hubd_job_file_begin(self->job, add->path, add->progress->total);
			add->listed = TRUE;
			add->reported = 0;
		}
		if (!add->listed)
			continue;
		bytes = __atomic_load_n(&add->progress->bytes, __ATOMIC_RELAXED);
		if (bytes != add->reported) {
			hubd_job_file_progress(self->job, add->path, bytes - add->reported);
			claimed += bytes - add->reported;
			add->reported = bytes;
		}
		if (active <= 0) {
			hubd_job_file_end(self->job, add->path);
			add->listed = FALSE;
		}
	}
	now = __atomic_load_n(&self->counter, __ATOMIC_RELAXED);
	if (now - self->reported != claimed)
		hubd_job_add_bytes(self->job, now - self->reported - claimed);
	self->reported = now;
}

gboolean
hubd_upload_progress_cb(gpointer user_data)
{
	hubd_upload_progress_sync(user_data);
	return G_SOURCE_CONTINUE;
}

void
hubd_upload_phase(HubdUpload *self, const gchar *phase, gboolean reset, guint64 bytes_total)
{
	hubd_upload_progress_sync(self);
	if (reset) {
		hubd_job_add_bytes(self->job, -(gint64)hubd_job_get_bytes_done(self->job));
		__atomic_store_n(&self->counter, 0, __ATOMIC_RELAXED);
		self->reported = 0;
		for (guint i = 0; i < self->adds->len; i++) {
			HubdUploadAdd *add = g_ptr_array_index(self->adds, i);

			if (add->listed)
				hubd_job_file_end(self->job, add->path);
			add->listed = FALSE;
			add->reported = 0;
			/* nothing counts for this file any more: a fresh count */
			g_clear_pointer(&add->progress, hubd_file_progress_unref);
		}
		hubd_job_set_totals(self->job, bytes_total, self->adds->len + self->copies->len);
	}
	hubd_job_set_phase(self->job, phase);
}
