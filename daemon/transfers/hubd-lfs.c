/* hubd-lfs.c: Git LFS uploads through the legacy batch API (docs/hub-upload.md
 * §3): one batch call (hubd_hub_api_lfs_batch_async()) per 256 objects,
 * then the PUTs — a whole object for "basic", slices for "multipart" — at
 * most HUBD_LFS_MAX_PARALLEL at once, each retried by HubdHubClient (PUT is
 * idempotent) with a fresh stream from the file, then the completion and the
 * verify per object, through HubdHubApi. */
#define G_LOG_DOMAIN "HubdLfs"

#include "hubd-lfs.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-upload-stream.h"

typedef struct _LfsRun LfsRun;

typedef struct {
	gchar *oid;
	guint64 size;
	HubdUploadSource *source;
	gchar *href;
	gchar *verify_href;
	guint64 chunk;    /* 0: basic */
	GPtrArray *urls;  /* part URLs, in part order (multipart) */
	GPtrArray *etags; /* per part */
	guint parts_left;
	HubdFileProgress *progress; /* or NULL */
	gboolean marked;            /* progress->active taken by this object */
} ObjUp;

typedef struct {
	ObjUp *obj;
	guint part; /* 0: the whole object (basic), else 1..n */
} PutJob;

struct _LfsRun {
	HubdHubApi *api;
	HubdRepoType type;
	gchar *repo_id;
	gchar *revision;
	HubdLfsObject *objects;
	guint n_objects;
	guint next_batch;
	gboolean batch_in_flight;
	GQueue queue;   /* PutJob */
	guint busy;     /* async operations in flight */
	GPtrArray *ups; /* ObjUp */
	guint n_transferred;
	GError *error;
	gint64 *counter;
	GCancellable *cancellable;
	gulong cancel_id;
	GCancellable *caller;
};

/* the object is being sent (TRUE) or stored or given up (FALSE) */
static void
obj_up_mark(ObjUp *up, gboolean on)
{
	if (up->progress == NULL || up->marked == on)
		return;
	if (on)
		__atomic_add_fetch(&up->progress->active, 1, __ATOMIC_RELAXED);
	else
		__atomic_sub_fetch(&up->progress->active, 1, __ATOMIC_RELAXED);
	up->marked = on;
}

static void
obj_up_free(ObjUp *up)
{
	obj_up_mark(up, FALSE);
	g_clear_pointer(&up->progress, hubd_file_progress_unref);
	g_free(up->oid);
	g_clear_pointer(&up->source, hubd_upload_source_unref);
	g_free(up->href);
	g_free(up->verify_href);
	g_clear_pointer(&up->urls, g_ptr_array_unref);
	g_clear_pointer(&up->etags, g_ptr_array_unref);
	g_free(up);
}

static void
lfs_run_free(LfsRun *run)
{
	if (run->cancel_id != 0)
		g_cancellable_disconnect(run->caller, run->cancel_id);
	g_clear_object(&run->caller);
	g_object_unref(run->api);
	g_free(run->repo_id);
	g_free(run->revision);
	for (guint i = 0; i < run->n_objects; i++) {
		g_free(run->objects[i].local_path);
		g_clear_pointer(&run->objects[i].source, hubd_upload_source_unref);
		g_clear_pointer(&run->objects[i].progress, hubd_file_progress_unref);
	}
	g_free(run->objects);
	g_queue_clear_full(&run->queue, g_free);
	g_ptr_array_unref(run->ups);
	g_clear_error(&run->error);
	g_object_unref(run->cancellable);
	g_free(run);
}

static void
lfs_pump(GTask *task);

/* the end of one async operation: record the error, start more, or finish */
static void
lfs_op_done(GTask *task, GError *error)
{
	LfsRun *run = g_task_get_task_data(task);

	run->busy--;
	if (error != NULL) {
		if (run->error == NULL)
			run->error = error;
		else
			g_error_free(error);
		g_cancellable_cancel(run->cancellable);
	}
	lfs_pump(task);
	g_object_unref(task);
}

/* ---- verify and completion ---- */

static void
lfs_verify_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	GError *error = NULL;

	hubd_hub_api_lfs_verify_finish(HUBD_HUB_API(source), res, &error);
	lfs_op_done(task, error);
}

/* the object is stored: verify it if the Hub asked, else it is done */
static void
lfs_object_stored(GTask *task, ObjUp *up)
{
	LfsRun *run = g_task_get_task_data(task);

	run->n_transferred++;
	obj_up_mark(up, FALSE);
	if (up->verify_href == NULL)
		return;
	run->busy++;
	hubd_hub_api_lfs_verify_async(run->api,
				      up->verify_href,
				      up->oid,
				      up->size,
				      run->cancellable,
				      lfs_verify_cb,
				      g_object_ref(task));
}

typedef struct {
	GTask *task;
	ObjUp *up;
} CompleteData;

static void
lfs_complete_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	CompleteData *cd = user_data;
	GError *error = NULL;

	if (hubd_hub_api_lfs_complete_finish(HUBD_HUB_API(source), res, &error))
		lfs_object_stored(cd->task, cd->up);
	lfs_op_done(cd->task, error);
	g_free(cd);
}

static void
lfs_complete(GTask *task, ObjUp *up)
{
	LfsRun *run = g_task_get_task_data(task);
	CompleteData *cd = g_new0(CompleteData, 1);

	/* the etags, NULL-terminated, as the API takes them */
	g_ptr_array_add(up->etags, NULL);
	cd->task = task;
	cd->up = up;
	run->busy++;
	/* both official clients complete without auth: the API does too */
	hubd_hub_api_lfs_complete_async(run->api,
					up->href,
					up->oid,
					(const gchar *const *)up->etags->pdata,
					run->cancellable,
					lfs_complete_cb,
					cd);
	g_object_ref(task);
}

/* ---- PUTs ---- */

typedef struct {
	HubdUploadSource *source;
	guint64 offset;
	guint64 length;
	gint64 *counter;
	HubdFileProgress *progress;
	HubdUploadStream *last;
} PutBody;

static void
put_body_free(PutBody *body)
{
	g_clear_pointer(&body->progress, hubd_file_progress_unref);
	g_clear_pointer(&body->source, hubd_upload_source_unref);
	g_clear_object(&body->last);
	g_free(body);
}

static GInputStream *
put_body_factory(gpointer user_data)
{
	PutBody *body = user_data;

	/* a retry sends the bytes again: take back what the last try counted */
	if (body->last != NULL)
		hubd_upload_stream_uncount(body->last);
	g_clear_object(&body->last);
	body->last = hubd_upload_stream_new(body->counter);
	hubd_upload_stream_add_source_range(body->last,
					    body->source,
					    body->offset,
					    body->length,
					    body->progress);
	return G_INPUT_STREAM(g_object_ref(body->last));
}

typedef struct {
	GTask *task;
	PutJob job;
} PutData;

static void
lfs_put_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	PutData *pd = user_data;
	GTask *task = pd->task;
	ObjUp *up = pd->job.obj;
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);

	if (resp != NULL && pd->job.part > 0) {
		const gchar *etag =
			soup_message_headers_get_one(hubd_hub_response_get_headers(resp), "ETag");
		if (etag == NULL)
			error = g_error_new(HUBD_ERROR,
					    HUBD_ERROR_SERVER,
					    _("The upload of part %u of %s got no ETag"),
					    pd->job.part,
					    hubd_upload_source_describe(up->source));
		else
			g_ptr_array_index(up->etags, pd->job.part - 1) = g_strdup(etag);
	}
	if (error == NULL && --up->parts_left == 0) {
		if (up->chunk > 0)
			lfs_complete(task, up);
		else
			lfs_object_stored(task, up);
	}
	g_free(pd);
	lfs_op_done(task, error);
}

static void
lfs_start_put(GTask *task, PutJob *job)
{
	LfsRun *run = g_task_get_task_data(task);
	ObjUp *up = job->obj;
	PutBody *body = g_new0(PutBody, 1);
	PutData *pd = g_new0(PutData, 1);
	const gchar *url = job->part == 0 ? up->href : g_ptr_array_index(up->urls, job->part - 1);
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("PUT", url);

	body->source = hubd_upload_source_ref(up->source);
	body->counter = run->counter;
	if (up->progress != NULL)
		body->progress = hubd_file_progress_ref(up->progress);
	obj_up_mark(up, TRUE);
	if (job->part == 0) {
		body->length = up->size;
	} else {
		body->offset = (guint64)(job->part - 1) * up->chunk;
		body->length = MIN(up->chunk, up->size - body->offset);
	}
	hubd_hub_request_set_body_stream(req,
					 NULL,
					 put_body_factory,
					 body,
					 (GDestroyNotify)put_body_free,
					 (goffset)body->length);
	/* upload targets are presigned: never any token */
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_ANONYMOUS);
	pd->task = g_object_ref(task);
	pd->job = *job;
	run->busy++;
	hubd_hub_api_request_async(run->api, req, run->cancellable, lfs_put_cb, pd);
}

/* ---- batch ---- */

/* one answer object: queue its PUTs, or nothing if the Hub has it */
static gboolean
lfs_take_object(GTask *task, HubdHubLfsAction *action, GError **error)
{
	LfsRun *run = g_task_get_task_data(task);
	const HubdLfsObject *src = NULL;
	ObjUp *up;

	if (action->error_message != NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_SERVER,
			    _("The LFS batch API refused %s: %s"),
			    action->oid,
			    action->error_message);
		return FALSE;
	}
	for (guint i = 0; i < run->n_objects && src == NULL; i++)
		if (g_ascii_strcasecmp(run->objects[i].sha256, action->oid) == 0)
			src = &run->objects[i];
	/* the API refuses answers about objects not asked for: cannot happen */
	g_return_val_if_fail(src != NULL, TRUE);
	if (action->upload_href == NULL)
		return TRUE; /* already stored */
	up = g_new0(ObjUp, 1);
	g_ptr_array_add(run->ups, up);
	up->oid = g_strdup(src->sha256);
	up->size = src->size;
	up->source = src->source != NULL ? hubd_upload_source_ref(src->source)
					 : hubd_upload_source_new_local(src->local_path);
	if (src->progress != NULL)
		up->progress = hubd_file_progress_ref(src->progress);
	up->href = g_strdup(action->upload_href);
	up->verify_href = g_strdup(action->verify_href);
	if (action->part_urls != NULL) {
		/* the API checked that the parts cover the object */
		up->chunk = action->chunk_size;
		up->urls = g_ptr_array_ref(action->part_urls);
		up->etags = g_ptr_array_new_with_free_func(g_free);
		for (guint i = 0; i < up->urls->len; i++) {
			PutJob *job = g_new0(PutJob, 1);
			job->obj = up;
			job->part = i + 1;
			g_queue_push_tail(&run->queue, job);
			g_ptr_array_add(up->etags, NULL);
		}
		up->parts_left = up->urls->len;
	} else {
		PutJob *job = g_new0(PutJob, 1);
		job->obj = up;
		up->parts_left = 1;
		g_queue_push_tail(&run->queue, job);
	}
	return TRUE;
}

static void
lfs_batch_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	LfsRun *run = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdHubLfsBatch) batch =
		hubd_hub_api_lfs_batch_finish(HUBD_HUB_API(source), res, &error);

	run->batch_in_flight = FALSE;
	for (guint i = 0; batch != NULL && error == NULL && i < batch->objects->len; i++)
		lfs_take_object(task, g_ptr_array_index(batch->objects, i), &error);
	lfs_op_done(task, error);
}

static void
lfs_send_batch(GTask *task)
{
	LfsRun *run = g_task_get_task_data(task);
	guint end = MIN(run->next_batch + HUBD_HUB_API_LFS_BATCH_MAX, run->n_objects);
	g_autofree HubdHubLfsObjectSpec *specs =
		g_new0(HubdHubLfsObjectSpec, end - run->next_batch);

	for (guint i = run->next_batch; i < end; i++) {
		specs[i - run->next_batch].oid = run->objects[i].sha256;
		specs[i - run->next_batch].size = run->objects[i].size;
	}
	run->batch_in_flight = TRUE;
	run->busy++;
	/* the API copies what it sends: the specs may go when it returns */
	hubd_hub_api_lfs_batch_async(run->api,
				     run->type,
				     run->repo_id,
				     run->revision,
				     HUBD_HUB_LFS_UPLOAD,
				     specs,
				     end - run->next_batch,
				     run->cancellable,
				     lfs_batch_cb,
				     g_object_ref(task));
	run->next_batch = end;
}

/* starts what can start; returns the task once nothing is left in flight */
static void
lfs_pump(GTask *task)
{
	LfsRun *run = g_task_get_task_data(task);

	if (run->error == NULL && !run->batch_in_flight && run->next_batch < run->n_objects)
		lfs_send_batch(task);
	while (run->error == NULL && run->busy < HUBD_LFS_MAX_PARALLEL + 1 &&
	       !g_queue_is_empty(&run->queue)) {
		g_autofree PutJob *job = g_queue_pop_head(&run->queue);
		lfs_start_put(task, job);
	}
	if (run->busy > 0)
		return;
	if (run->error != NULL) {
		g_task_return_error(task, g_steal_pointer(&run->error));
		return;
	}
	if (g_queue_is_empty(&run->queue) && run->next_batch >= run->n_objects)
		g_task_return_boolean(task, TRUE);
}

static void
lfs_caller_cancelled_cb(GCancellable *caller, gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
}

/* The run of `objects`, as the task's data, before anything is sent. */
static GTask *
lfs_run_task_new(HubdHubApi *api,
		 const HubdLfsObject *objects,
		 guint n_objects,
		 gint64 *counter,
		 GCancellable *cancellable,
		 GAsyncReadyCallback callback,
		 gpointer user_data,
		 gpointer source_tag)
{
	GTask *task = g_task_new(api, cancellable, callback, user_data);
	LfsRun *run = g_new0(LfsRun, 1);

	g_task_set_source_tag(task, source_tag);
	run->api = g_object_ref(api);
	run->objects = g_new0(HubdLfsObject, MAX(n_objects, 1));
	for (guint i = 0; i < n_objects; i++) {
		run->objects[i] = objects[i];
		run->objects[i].local_path = g_strdup(objects[i].local_path);
		if (objects[i].source != NULL)
			run->objects[i].source = hubd_upload_source_ref(objects[i].source);
		if (objects[i].progress != NULL)
			run->objects[i].progress = hubd_file_progress_ref(objects[i].progress);
	}
	run->n_objects = n_objects;
	run->counter = counter;
	run->ups = g_ptr_array_new_with_free_func((GDestroyNotify)obj_up_free);
	g_queue_init(&run->queue);
	run->cancellable = g_cancellable_new();
	if (cancellable != NULL) {
		run->caller = g_object_ref(cancellable);
		run->cancel_id = g_cancellable_connect(cancellable,
						       G_CALLBACK(lfs_caller_cancelled_cb),
						       run->cancellable,
						       NULL);
	}
	g_task_set_task_data(task, run, (GDestroyNotify)lfs_run_free);
	return task;
}

void
hubd_lfs_upload_async(HubdHubApi *api,
		      HubdRepoType type,
		      const gchar *repo_id,
		      const gchar *revision,
		      const HubdLfsObject *objects,
		      guint n_objects,
		      gint64 *counter,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data)
{
	GTask *task = lfs_run_task_new(api,
				       objects,
				       n_objects,
				       counter,
				       cancellable,
				       callback,
				       user_data,
				       hubd_lfs_upload_async);
	LfsRun *run = g_task_get_task_data(task);

	run->type = type;
	run->repo_id = g_strdup(repo_id);
	run->revision = g_strdup(revision);
	/* the pump holds the task until every operation is back */
	run->busy++;
	lfs_op_done(task, NULL);
}

void
hubd_lfs_upload_action_async(HubdHubApi *api,
			     const HubdLfsObject *object,
			     HubdHubLfsAction *action,
			     gint64 *counter,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	GTask *task = lfs_run_task_new(api,
				       object,
				       1,
				       counter,
				       cancellable,
				       callback,
				       user_data,
				       hubd_lfs_upload_action_async);
	LfsRun *run = g_task_get_task_data(task);
	GError *error = NULL;

	/* someone else asked the batch API: no batch, straight to the PUTs */
	run->next_batch = run->n_objects;
	run->busy++;
	lfs_take_object(task, action, &error);
	lfs_op_done(task, error);
}

gboolean
hubd_lfs_upload_finish(GAsyncResult *result, guint *n_transferred, GError **error)
{
	LfsRun *run = g_task_get_task_data(G_TASK(result));

	if (!g_task_propagate_boolean(G_TASK(result), error))
		return FALSE;
	if (n_transferred != NULL)
		*n_transferred = run->n_transferred;
	return TRUE;
}
