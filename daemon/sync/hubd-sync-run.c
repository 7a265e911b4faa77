/* hubd-sync-run.c: one run of a sync rule.
 *
 * Every target is filled by the snapshot download (Transfers.Snapshot's
 * code): its files are validated as downloads are (no path leaves the
 * target), and what is already there with the right ETag is not fetched
 * again, which makes runs idempotent and lets a run cut short resume.
 * A folder target gets a tree per commit and a switch (hubd-sync-folder.c);
 * the cache target is the shared cache; a storage target receives the
 * files of the cached snapshot, each under its path in the repo, skipping
 * what it holds already (hubd-sync-storage.c). */
#define G_LOG_DOMAIN "HubdSync"

#include "hubd-sync-run.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-repo-id.h"
#include "hubd-snapshot.h"
#include "hubd-storage.h"
#include "hubd-sync-folder.h"
#include "hubd-sync-storage.h"

typedef struct {
	HubdContext *context;
	HubdJob *job;
	HubdSyncTargetKind kind;
	HubdRepoType type;
	gchar *repo_id;
	gchar *target;
	gchar *commit;
	gchar *previous; /* last synced commit, NULL the first time */
	GStrv include;
	GStrv exclude;
	gboolean delete_removed;
	gchar *tree;      /* folder: the tree being built */
	GVariant *result; /* the snapshot's */
	GStrv removed;
	/* storage */
	HubdStorage *storage;
	gchar *prefix;
	gchar *manifest;
	gboolean changed;
} Run;

static void
run_free(Run *r)
{
	g_object_unref(r->context);
	g_object_unref(r->job);
	g_free(r->repo_id);
	g_free(r->target);
	g_free(r->commit);
	g_free(r->previous);
	g_strfreev(r->include);
	g_strfreev(r->exclude);
	g_free(r->tree);
	g_clear_pointer(&r->result, g_variant_unref);
	g_strfreev(r->removed);
	g_clear_object(&r->storage);
	g_free(r->prefix);
	g_free(r->manifest);
	g_free(r);
}

static void
run_return(GTask *task)
{
	Run *r = g_task_get_task_data(task);
	GVariantBuilder b;
	const gchar *const none[] = {NULL};

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "commit", g_variant_new_string(r->commit));
	g_variant_builder_add(&b, "{sv}", "changed", g_variant_new_boolean(r->changed));
	g_variant_builder_add(
		&b,
		"{sv}",
		"path",
		g_variant_new_string(r->kind == HUBD_SYNC_TARGET_FOLDER ? r->target : ""));
	g_variant_builder_add(
		&b,
		"{sv}",
		"removed",
		g_variant_new_strv(r->removed != NULL ? (const gchar *const *)r->removed : none,
				   -1));
	g_task_return_pointer(task,
			      g_variant_ref_sink(g_variant_builder_end(&b)),
			      (GDestroyNotify)g_variant_unref);
}

/* ---- folder: prune and switch, in a worker thread ---- */

static void
finish_folder_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	Run *r = data;
	GError *error = NULL;
	g_autofree const gchar **files = NULL;

	g_variant_lookup(r->result, "files", "^a&s", &files);
	if (r->delete_removed) {
		r->removed = hubd_sync_folder_prune(r->tree, files, &error);
		if (r->removed == NULL) {
			g_task_return_error(task, error);
			return;
		}
	}
	if (!hubd_sync_folder_switch(r->target, r->commit, &error)) {
		g_task_return_error(task, error);
		return;
	}
	r->changed = r->changed || g_strcmp0(r->previous, r->commit) != 0 ||
		     (r->removed != NULL && r->removed[0] != NULL);
	run_return(task);
}

/* ---- storage ---- */

static void
stored_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	Run *r = g_task_get_task_data(task);
	GError *error = NULL;
	guint n_put = 0;

	if (!hubd_sync_storage_finish(res, &r->removed, &n_put, &error)) {
		g_task_return_error(task, error);
		return;
	}
	r->changed = n_put > 0 || r->removed[0] != NULL || g_strcmp0(r->previous, r->commit) != 0;
	run_return(task);
}

/* ---- the snapshot ---- */

static void
snapshot_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	Run *r = g_task_get_task_data(task);
	GError *error = NULL;

	r->result = hubd_snapshot_finish(res, &error);
	if (r->result == NULL) {
		g_task_return_error(task, error);
		return;
	}
	r->changed = hubd_job_get_bytes_done(r->job) > 0;
	switch (r->kind) {
	case HUBD_SYNC_TARGET_FOLDER:
		g_task_run_in_thread(task, finish_folder_thread);
		return;
	case HUBD_SYNC_TARGET_STORAGE: {
		g_autofree const gchar **files = NULL;
		g_autofree gchar *path = NULL;
		GCancellable *cancellable = g_task_get_cancellable(task);

		g_variant_lookup(r->result, "files", "^a&s", &files);
		g_variant_lookup(r->result, "path", "s", &path);
		hubd_sync_storage_async(r->storage,
					r->prefix,
					path,
					files,
					r->delete_removed,
					r->manifest,
					r->job,
					cancellable,
					stored_cb,
					g_steal_pointer(&task));
		return;
	}
	case HUBD_SYNC_TARGET_CACHE:
	default:
		r->changed = r->changed || g_strcmp0(r->previous, r->commit) != 0;
		run_return(task);
		return;
	}
}

static void
start_snapshot(GTask *task)
{
	Run *r = g_task_get_task_data(task);
	HubdSnapshotRequest *req = g_new0(HubdSnapshotRequest, 1);

	req->type = r->type;
	req->repo_id = g_strdup(r->repo_id);
	req->revision = g_strdup(r->commit);
	req->allow_patterns =
		r->include != NULL && r->include[0] != NULL ? g_strdupv(r->include) : NULL;
	req->ignore_patterns =
		r->exclude != NULL && r->exclude[0] != NULL ? g_strdupv(r->exclude) : NULL;
	req->local_dir = g_strdup(r->tree);
	hubd_job_set_phase(r->job, "downloading");
	hubd_snapshot_async(r->context,
			    req,
			    r->job,
			    g_task_get_cancellable(task),
			    snapshot_cb,
			    g_object_ref(task));
}

static void
prepare_folder_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	Run *r = data;
	GError *error = NULL;

	if (!hubd_sync_folder_prepare(r->target, r->commit, r->previous, cancellable, &error))
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

static void
prepared_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;

	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		g_task_return_error(task, error);
		return;
	}
	start_snapshot(task);
}

void
hubd_sync_run_async(HubdContext *context,
		    const HubdSyncRule *rule,
		    const gchar *commit,
		    HubdJob *job,
		    GCancellable *cancellable,
		    GAsyncReadyCallback callback,
		    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(context, cancellable, callback, user_data);
	Run *r = g_new0(Run, 1);
	GError *error = NULL;

	g_task_set_source_tag(task, hubd_sync_run_async);
	g_task_set_task_data(task, r, (GDestroyNotify)run_free);
	r->context = g_object_ref(context);
	r->job = g_object_ref(job);
	r->kind = hubd_sync_rule_target_kind(rule);
	hubd_repo_type_from_string(rule->repo_type, &r->type, NULL);
	r->repo_id = g_strdup(rule->repo_id);
	r->target = g_strdup(rule->target);
	r->commit = g_strdup(commit);
	r->previous = g_strdup(rule->last_commit);
	r->include = g_strdupv(rule->include);
	r->exclude = g_strdupv(rule->exclude);
	r->delete_removed = rule->delete_removed;
	switch (r->kind) {
	case HUBD_SYNC_TARGET_FOLDER: {
		GTask *prep = g_task_new(context, cancellable, prepared_cb, g_object_ref(task));

		r->tree = hubd_sync_folder_tree(r->target, commit);
		g_task_set_task_data(prep, r, NULL);
		g_task_run_in_thread(prep, prepare_folder_thread);
		g_object_unref(prep);
		return;
	}
	case HUBD_SYNC_TARGET_STORAGE:
		r->storage = hubd_sync_storage_resolve(context,
						       r->target,
						       &r->prefix,
						       cancellable,
						       &error);
		r->manifest = hubd_sync_storage_manifest_path(rule->id);
		if (r->storage == NULL) {
			g_task_return_error(task, error);
			return;
		}
		start_snapshot(task);
		return;
	case HUBD_SYNC_TARGET_CACHE:
	default:
		start_snapshot(task);
		return;
	}
}

GVariant *
hubd_sync_run_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}
