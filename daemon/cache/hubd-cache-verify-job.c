/* hubd-cache-verify-job.c: org.hubd.Hub1.Cache.Verify's work as one async
 * operation — resolve the revision (the cache's refs first, then the Hub),
 * list the commit's tree, walk and hash the files in worker threads while
 * the job shows the bytes hashed (docs/cache-verify.md) */
#define G_LOG_DOMAIN "HubdCacheVerify"

#include <glib/gi18n.h>

#include "hubd-cache-verify.h"
#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-task.h"

/* how often hashed bytes move from the worker into the job */
#define PROGRESS_INTERVAL_MS 100

typedef struct {
	HubdCacheVerifyRequest *req;
	HubdHubApi *api;
	HubdJob *job;
	gchar *commit;
	gchar *root;
	GPtrArray *remote;  /* HubdHubTreeEntry */
	GHashTable *local;  /* path -> guint64 size */
	gint64 bytes_done;  /* added to by the hashing thread */
	gint64 bytes_shown; /* moved into the job so far */
	guint timer;
} Verify;

void
hubd_cache_verify_request_free(HubdCacheVerifyRequest *req)
{
	if (req == NULL)
		return;
	g_free(req->repo_id);
	g_free(req->revision);
	g_free(req->local_dir);
	g_clear_object(&req->cache);
	g_clear_object(&req->api);
	g_free(req);
}

static void
verify_free(Verify *v)
{
	g_clear_handle_id(&v->timer, g_source_remove);
	hubd_cache_verify_request_free(v->req);
	g_clear_object(&v->api);
	g_clear_object(&v->job);
	g_free(v->commit);
	g_free(v->root);
	g_clear_pointer(&v->remote, g_ptr_array_unref);
	g_clear_pointer(&v->local, g_hash_table_unref);
	g_free(v);
}

static void
verify_sync_progress(Verify *v)
{
	gint64 done = __atomic_load_n(&v->bytes_done, __ATOMIC_RELAXED);

	if (v->job != NULL && done != v->bytes_shown)
		hubd_job_add_bytes(v->job, done - v->bytes_shown);
	v->bytes_shown = done;
}

static gboolean
verify_progress_cb(gpointer user_data)
{
	verify_sync_progress(user_data);
	return G_SOURCE_CONTINUE;
}

/* ---- step 4: hash and compare (worker thread) ---- */

static void
verify_hash_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	Verify *v = task_data;
	GError *error = NULL;
	GVariant *result = hubd_cache_verify_compare(v->root,
						     v->commit,
						     v->remote,
						     v->local,
						     &v->bytes_done,
						     cancellable,
						     &error);

	if (result == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task,
				      g_variant_ref_sink(result),
				      (GDestroyNotify)g_variant_unref);
}

static void
verify_hashed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Verify *v = g_task_get_task_data(task);
	GError *error = NULL;
	GVariant *result = g_task_propagate_pointer(G_TASK(res), &error);

	g_clear_handle_id(&v->timer, g_source_remove);
	verify_sync_progress(v);
	if (result == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, result, (GDestroyNotify)g_variant_unref);
}

/* ---- step 3: the files on disk (worker thread) ---- */

static void
verify_walk_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	Verify *v = task_data;
	GError *error = NULL;

	if (v->req->local_dir == NULL && !g_file_test(v->root, G_FILE_TEST_IS_DIR)) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_REVISION_NOT_FOUND,
					_("Revision %s of %s is not in the cache"),
					v->commit,
					v->req->repo_id);
		return;
	}
	v->local = hubd_cache_verify_walk(v->root, v->req->local_dir != NULL, cancellable, &error);
	if (v->local == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

static void
verify_walked_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Verify *v = g_task_get_task_data(task);
	GError *error = NULL;
	guint64 total = 0;
	guint n = 0;

	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		g_task_return_error(task, error);
		return;
	}
	/* the bytes that will be hashed: files on both sides */
	for (guint i = 0; i < v->remote->len; i++) {
		HubdHubTreeEntry *entry = g_ptr_array_index(v->remote, i);
		guint64 *size = g_hash_table_lookup(v->local, entry->path);

		if (entry->type != HUBD_HUB_ENTRY_FILE || size == NULL)
			continue;
		total += *size;
		n++;
	}
	if (v->job != NULL) {
		hubd_job_set_totals(v->job, total, n);
		hubd_job_set_phase(v->job, "hashing");
		v->timer = g_timeout_add(PROGRESS_INTERVAL_MS, verify_progress_cb, v);
	}
	hubd_task_run_in_thread(task, verify_hash_thread, verify_hashed_cb);
}

/* ---- step 2: the Hub's listing of the commit ---- */

static void
verify_listed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Verify *v = g_task_get_task_data(task);
	GError *error = NULL;

	v->remote = hubd_hub_api_list_tree_finish(HUBD_HUB_API(source), res, &error);
	if (v->remote == NULL) {
		g_task_return_error(task, error);
		return;
	}
	if (v->req->local_dir != NULL)
		v->root = g_strdup(v->req->local_dir);
	else
		v->root = hubd_cache_snapshot_path(v->req->cache,
						   v->req->type,
						   v->req->repo_id,
						   v->commit,
						   NULL);
	hubd_task_run_in_thread(task, verify_walk_thread, verify_walked_cb);
}

static void
verify_list(GTask *task)
{
	Verify *v = g_task_get_task_data(task);

	hubd_hub_api_list_tree_async(v->api,
				     v->req->type,
				     v->req->repo_id,
				     v->commit,
				     NULL,
				     HUBD_HUB_API_FLAG_RECURSIVE,
				     0,
				     g_task_get_cancellable(task),
				     verify_listed_cb,
				     task);
}

static void
verify_commit_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Verify *v = g_task_get_task_data(task);
	GError *error = NULL;

	v->commit = hubd_hub_api_revision_commit_finish(HUBD_HUB_API(source), res, &error);
	if (v->commit == NULL) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	verify_list(task);
}

/* ---- step 1: the commit, from the cache when it knows it ---- */

static void
verify_locate_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	Verify *v = task_data;
	GError *error = NULL;

	if (v->req->local_dir != NULL) {
		if (!g_file_test(v->req->local_dir, G_FILE_TEST_IS_DIR))
			g_task_return_new_error(task,
						HUBD_ERROR,
						HUBD_ERROR_INVALID_ARGUMENT,
						_("%s is not a folder"),
						v->req->local_dir);
		else
			g_task_return_boolean(task, TRUE);
		return;
	}
	v->commit = hubd_cache_verify_resolve(v->req->cache,
					      v->req->type,
					      v->req->repo_id,
					      v->req->revision,
					      &error);
	if (error != NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

static void
verify_located_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Verify *v = g_task_get_task_data(task);
	GError *error = NULL;
	const gchar *revision = v->req->revision;

	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	if (v->commit != NULL) {
		verify_list(task);
		return;
	}
	/* a local_dir, or a ref the cache does not hold: the Hub says */
	hubd_hub_api_revision_commit_async(v->api,
					   v->req->type,
					   v->req->repo_id,
					   revision != NULL && revision[0] != '\0' ? revision
										   : "main",
					   g_task_get_cancellable(task),
					   verify_commit_cb,
					   task);
}

void
hubd_cache_verify_async(HubdContext *context,
			HubdCacheVerifyRequest *req,
			HubdJob *job,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	GTask *task = g_task_new(context, cancellable, callback, user_data);
	Verify *v = g_new0(Verify, 1);

	g_task_set_source_tag(task, hubd_cache_verify_async);
	v->req = req;
	v->api = g_object_ref(req->api != NULL ? req->api : hubd_context_get_hub_api(context));
	v->job = job != NULL ? g_object_ref(job) : NULL;
	g_task_set_task_data(task, v, (GDestroyNotify)verify_free);
	if (job != NULL)
		hubd_job_set_phase(job, "resolving");
	hubd_task_run_in_thread(task, verify_locate_thread, verify_located_cb);
	g_object_unref(task);
}

GVariant *
hubd_cache_verify_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(G_IS_TASK(result), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}
