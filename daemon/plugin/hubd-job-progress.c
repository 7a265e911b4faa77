/* hubd-job-progress.c: a job's progress bookkeeping — bytes, files, the rate, the files in flight
 */
#define G_LOG_DOMAIN "HubdJob"

#include "hubd-job-progress.h"

#include <stdlib.h>

/* Rate over the last few seconds. */
#define RATE_WINDOW_US (5 * G_USEC_PER_SEC)
/* Files lists at most this many (the most recently active). */
#define MAX_FILES_SHOWN 16

typedef struct {
	gint64 time;
	guint64 bytes;
} RateSample;

typedef struct {
	gchar *path;
	guint64 done;
	guint64 total;
	guint64 active; /* a tick: higher is more recent */
} FileEntry;

struct _HubdJobProgress {
	guint64 bytes_done;
	guint64 bytes_total;
	guint files_done;
	guint files_total;
	guint64 rate;
	GQueue samples; /* RateSample* */
	GQueue files;   /* FileEntry*, in the order they began */
	guint64 file_tick;
};

static void
file_entry_free(gpointer data)
{
	FileEntry *e = data;

	g_free(e->path);
	g_free(e);
}

HubdJobProgress *
hubd_job_progress_new(void)
{
	HubdJobProgress *self = g_new0(HubdJobProgress, 1);

	g_queue_init(&self->samples);
	g_queue_init(&self->files);
	return self;
}

void
hubd_job_progress_free(HubdJobProgress *self)
{
	if (self == NULL)
		return;
	g_queue_clear_full(&self->samples, g_free);
	g_queue_clear_full(&self->files, file_entry_free);
	g_free(self);
}

void
hubd_job_progress_set_totals(HubdJobProgress *self, guint64 bytes_total, guint files_total)
{
	self->bytes_total = bytes_total;
	self->files_total = files_total;
}

void
hubd_job_progress_add_bytes(HubdJobProgress *self, gint64 delta)
{
	if (delta < 0 && (guint64)(-delta) > self->bytes_done)
		self->bytes_done = 0;
	else
		self->bytes_done += (guint64)delta;
}

void
hubd_job_progress_add_files(HubdJobProgress *self, guint n)
{
	self->files_done += n;
}

void
hubd_job_progress_add_bytes_total(HubdJobProgress *self, guint64 delta)
{
	self->bytes_total += delta;
}

guint64
hubd_job_progress_get_bytes_done(HubdJobProgress *self)
{
	return self->bytes_done;
}

guint64
hubd_job_progress_get_bytes_total(HubdJobProgress *self)
{
	return self->bytes_total;
}

guint
hubd_job_progress_get_files_done(HubdJobProgress *self)
{
	return self->files_done;
}

guint
hubd_job_progress_get_files_total(HubdJobProgress *self)
{
	return self->files_total;
}

/* ---- files in flight ---- */

static GList *
hubd_job_progress_find_file(HubdJobProgress *self, const gchar *path)
{
	for (GList *l = self->files.head; l != NULL; l = l->next)
		if (g_strcmp0(((FileEntry *)l->data)->path, path) == 0)
			return l;
	return NULL;
}

void
hubd_job_progress_file_begin(HubdJobProgress *self, const gchar *path, guint64 total)
{
	GList *l = hubd_job_progress_find_file(self, path);
	FileEntry *e;

	if (l != NULL) {
		e = l->data;
	} else {
		e = g_new0(FileEntry, 1);
		e->path = g_strdup(path);
		g_queue_push_tail(&self->files, e);
	}
	e->done = 0;
	e->total = total;
	e->active = ++self->file_tick;
}

void
hubd_job_progress_file_progress(HubdJobProgress *self, const gchar *path, gint64 delta)
{
	GList *l = path != NULL ? hubd_job_progress_find_file(self, path) : NULL;

	if (l != NULL) {
		FileEntry *e = l->data;

		/* a restart (negative delta) goes back, never below zero */
		if (delta < 0 && (guint64)(-delta) > e->done)
			e->done = 0;
		else
			e->done += (guint64)delta;
		e->active = ++self->file_tick;
	}
	hubd_job_progress_add_bytes(self, delta);
}

gboolean
hubd_job_progress_file_end(HubdJobProgress *self, const gchar *path)
{
	GList *l = path != NULL ? hubd_job_progress_find_file(self, path) : NULL;

	if (l == NULL)
		return FALSE;
	file_entry_free(l->data);
	g_queue_delete_link(&self->files, l);
	return TRUE;
}

void
hubd_job_progress_end_files(HubdJobProgress *self)
{
	g_queue_clear_full(&self->files, file_entry_free);
	g_queue_init(&self->files);
}

static gint
cmp_tick_desc(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a;
	guint64 y = *(const guint64 *)b;

	return x < y ? 1 : (x > y ? -1 : 0);
}

/* in the order they began, so a client's lines do not jump around */
GVariant *
hubd_job_progress_files_variant(HubdJobProgress *self)
{
	GVariantBuilder b;
	guint64 threshold = 0;
	guint n = 0;

	if (self->files.length > MAX_FILES_SHOWN) {
		g_autofree guint64 *ticks = g_new(guint64, self->files.length);
		guint i = 0;

		for (GList *l = self->files.head; l != NULL; l = l->next)
			ticks[i++] = ((FileEntry *)l->data)->active;
		qsort(ticks, self->files.length, sizeof(guint64), cmp_tick_desc);
		threshold = ticks[MAX_FILES_SHOWN - 1];
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE("a(stt)"));
	for (GList *l = self->files.head; l != NULL && n < MAX_FILES_SHOWN; l = l->next) {
		FileEntry *e = l->data;

		if (e->active < threshold)
			continue;
		g_variant_builder_add(&b, "(stt)", e->path, e->done, e->total);
		n++;
	}
	return g_variant_builder_end(&b);
}

/* ---- rate ---- */

guint64
hubd_job_progress_sample_rate(HubdJobProgress *self, gint64 now)
{
	RateSample *sample = g_new(RateSample, 1);
	RateSample *oldest;

	sample->time = now;
	sample->bytes = self->bytes_done;
	g_queue_push_tail(&self->samples, sample);
	while ((oldest = g_queue_peek_head(&self->samples)) != NULL &&
	       now - oldest->time > RATE_WINDOW_US && self->samples.length > 1)
		g_free(g_queue_pop_head(&self->samples));
	oldest = g_queue_peek_head(&self->samples);
	/* a restart (bytes going down) is not negative speed */
	if (oldest == sample || now <= oldest->time || self->bytes_done < oldest->bytes) {
		if (oldest != sample && self->bytes_done < oldest->bytes) {
			g_queue_clear_full(&self->samples, g_free);
			g_queue_init(&self->samples);
			sample = g_new(RateSample, 1);
			sample->time = now;
			sample->bytes = self->bytes_done;
			g_queue_push_tail(&self->samples, sample);
		}
		self->rate = 0;
		return 0;
	}
	self->rate = (guint64)((gdouble)(self->bytes_done - oldest->bytes) * G_USEC_PER_SEC /
			       (gdouble)(now - oldest->time));
	return self->rate;
}

guint64
hubd_job_progress_expected_end(HubdJobProgress *self, gint64 real_now)
{
	gdouble left_us;

	if (self->rate == 0 || self->bytes_total <= self->bytes_done)
		return 0;
	left_us = (gdouble)(self->bytes_total - self->bytes_done) * G_USEC_PER_SEC /
		  (gdouble)self->rate;
	return (guint64)real_now + (guint64)left_us;
}
