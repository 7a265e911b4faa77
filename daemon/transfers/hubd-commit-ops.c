/* hubd-commit-ops.c: the operations of one commit (docs/hub-upload.md §1) — the
 * adds, deletes and copies an upload collects, checks and hashes locally,
 * and hands to preupload, the LFS upload and the NDJSON commit */
#define G_LOG_DOMAIN "HubdUpload"

#include "hubd-commit-ops.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hubd-error.h"
#include "hubd-lfs.h"
#include "hubd-policy.h"
#include "hubd-repo-id.h"

#define HASH_PARALLEL 4

struct _HubdCommitOps {
	GPtrArray *adds;    /* HubdCommitAdd */
	GPtrArray *deletes; /* HubdCommitDelete */
	GPtrArray *copies;  /* HubdCommitCopy */
};

static void
hubd_commit_add_free(HubdCommitAdd *add)
{
	g_free(add->local_path);
	g_clear_pointer(&add->source, hubd_upload_source_unref);
	g_free(add->path);
	g_clear_pointer(&add->progress, hubd_file_progress_unref);
	g_free(add);
}

static void
hubd_commit_delete_free(HubdCommitDelete *del)
{
	g_free(del->path);
	g_free(del);
}

static void
hubd_commit_copy_free(HubdCommitCopy *copy)
{
	g_free(copy->src_path);
	g_free(copy->src_revision);
	g_free(copy->path);
	g_free(copy);
}

HubdCommitOps *
hubd_commit_ops_new(void)
{
	HubdCommitOps *self = g_atomic_rc_box_new0(HubdCommitOps);

	self->adds = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_commit_add_free);
	self->deletes = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_commit_delete_free);
	self->copies = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_commit_copy_free);
	return self;
}

HubdCommitOps *
hubd_commit_ops_ref(HubdCommitOps *self)
{
	return g_atomic_rc_box_acquire(self);
}

static void
hubd_commit_ops_clear(gpointer data)
{
	HubdCommitOps *self = data;

	g_ptr_array_unref(self->adds);
	g_ptr_array_unref(self->deletes);
	g_ptr_array_unref(self->copies);
}

void
hubd_commit_ops_unref(HubdCommitOps *self)
{
	g_atomic_rc_box_release_full(self, hubd_commit_ops_clear);
}

/* `local_path` NULL: a storage object of `size` bytes */
static gboolean
hubd_commit_ops_add(HubdCommitOps *self,
		    const gchar *local_path,
		    HubdUploadSource *source,
		    guint64 size,
		    const gchar *path_in_repo,
		    GError **error)
{
	g_autofree gchar *path = hubd_path_in_repo_normalize(path_in_repo, error);
	HubdCommitAdd *add;

	if (path == NULL)
		return FALSE;
	add = g_new0(HubdCommitAdd, 1);
	add->local_path = g_strdup(local_path);
	add->source = hubd_upload_source_ref(source);
	add->local_size = size;
	add->path = g_steal_pointer(&path);
	g_ptr_array_add(self->adds, add);
	return TRUE;
}

gboolean
hubd_commit_ops_add_file(HubdCommitOps *self,
			 const gchar *local_path,
			 const gchar *path_in_repo,
			 GError **error)
{
	g_autoptr(HubdUploadSource) source = hubd_upload_source_new_local(local_path);

	return hubd_commit_ops_add(self, local_path, source, 0, path_in_repo, error);
}

gboolean
hubd_commit_ops_add_source(HubdCommitOps *self,
			   HubdUploadSource *source,
			   guint64 size,
			   const gchar *path_in_repo,
			   GError **error)
{
	return hubd_commit_ops_add(self, NULL, source, size, path_in_repo, error);
}

static void
hubd_commit_ops_append_delete(HubdCommitOps *self, gchar *path, gboolean is_folder)
{
	HubdCommitDelete *del = g_new0(HubdCommitDelete, 1);

	del->path = path;
	del->is_folder = is_folder;
	g_ptr_array_add(self->deletes, del);
}

gboolean
hubd_commit_ops_add_delete(HubdCommitOps *self,
			   const gchar *path_in_repo,
			   gboolean is_folder,
			   GError **error)
{
	g_autofree gchar *trimmed = g_strdup(path_in_repo != NULL ? path_in_repo : "");
	gchar *path;

	/* "dir/" names a folder */
	if (g_str_has_suffix(trimmed, "/")) {
		is_folder = TRUE;
		trimmed[strlen(trimmed) - 1] = '\0';
	}
	path = hubd_path_in_repo_normalize(trimmed, error);
	if (path == NULL)
		return FALSE;
	hubd_commit_ops_append_delete(self, path, is_folder);
	return TRUE;
}

void
hubd_commit_ops_add_tree_delete(HubdCommitOps *self, const gchar *path)
{
	hubd_commit_ops_append_delete(self, g_strdup(path), FALSE);
}

gboolean
hubd_commit_ops_add_copy(HubdCommitOps *self,
			 const gchar *src_path,
			 const gchar *src_revision,
			 const gchar *path_in_repo,
			 GError **error)
{
	g_autofree gchar *src = hubd_path_in_repo_normalize(src_path, error);
	g_autofree gchar *dst = NULL;
	HubdCommitCopy *copy;

	if (src == NULL)
		return FALSE;
	dst = hubd_path_in_repo_normalize(path_in_repo, error);
	if (dst == NULL)
		return FALSE;
	if (!hubd_revision_validate(src_revision, error))
		return FALSE;
	copy = g_new0(HubdCommitCopy, 1);
	copy->src_path = g_steal_pointer(&src);
	copy->src_revision = g_strdup(src_revision);
	copy->path = g_steal_pointer(&dst);
	g_ptr_array_add(self->copies, copy);
	return TRUE;
}

GPtrArray *
hubd_commit_ops_get_adds(HubdCommitOps *self)
{
	return self->adds;
}

GPtrArray *
hubd_commit_ops_get_deletes(HubdCommitOps *self)
{
	return self->deletes;
}

GPtrArray *
hubd_commit_ops_get_copies(HubdCommitOps *self)
{
	return self->copies;
}

HubdCommitAdd *
hubd_commit_ops_find_add(HubdCommitOps *self, const gchar *path)
{
	for (guint i = 0; i < self->adds->len; i++) {
		HubdCommitAdd *add = g_ptr_array_index(self->adds, i);
		if (g_strcmp0(add->path, path) == 0)
			return add;
	}
	return NULL;
}

gboolean
hubd_commit_ops_deletes_file(HubdCommitOps *self, const gchar *path)
{
	for (guint i = 0; i < self->deletes->len; i++) {
		HubdCommitDelete *del = g_ptr_array_index(self->deletes, i);
		if (!del->is_folder && g_strcmp0(del->path, path) == 0)
			return TRUE;
	}
	return FALSE;
}

gchar *
hubd_commit_ops_dup_default_summary(HubdCommitOps *self, gboolean from_folder)
{
	if (from_folder)
		return g_strdup(_("Upload folder using hubd"));
	if (self->adds->len == 1 && self->deletes->len == 0 && self->copies->len == 0)
		return g_strdup_printf(_("Upload %s with hubd"),
				       ((HubdCommitAdd *)g_ptr_array_index(self->adds, 0))->path);
	if (self->adds->len == 0 && self->copies->len == 0 && self->deletes->len == 1)
		return g_strdup_printf(
			_("Delete %s with hubd"),
			((HubdCommitDelete *)g_ptr_array_index(self->deletes, 0))->path);
	return g_strdup(_("Commit with hubd"));
}

/* ---- local checks ---- */

/* A storage object's checks, on reads of its own (the object is not kept
 * anywhere): the token scan streams it (binary objects stop at the first
 * chunk), a README.md is read whole, up to the LFS threshold. */
static gboolean
hubd_commit_ops_check_source(HubdCommitAdd *add,
			     gboolean scan_policy,
			     GBytes **readme,
			     GCancellable *cancellable,
			     GError **error)
{
	const gchar *name = hubd_upload_source_describe(add->source);
	gboolean is_readme = g_strcmp0(add->path, "README.md") == 0;

	if (scan_policy) {
		g_autoptr(GInputStream) in = hubd_upload_source_open(add->source,
								     0,
								     add->local_size,
								     cancellable,
								     error);

		if (in == NULL || !hubd_policy_scan_stream(in, name, add->path, cancellable, error))
			return FALSE;
	}
	if (is_readme) {
		g_autoptr(GInputStream) in = NULL;
		g_autofree gchar *data = NULL;
		gsize len = 0;

		if (add->local_size > HUBD_POLICY_LFS_THRESHOLD) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("%s is too large for a README.md"),
				    name);
			return FALSE;
		}
		in = hubd_upload_source_open(add->source, 0, add->local_size, cancellable, error);
		if (in == NULL)
			return FALSE;
		data = g_malloc(add->local_size + 1);
		if (!g_input_stream_read_all(in, data, add->local_size, &len, cancellable, error))
			return FALSE;
		g_clear_pointer(readme, g_bytes_unref);
		*readme = g_bytes_new(data, len);
	}
	return TRUE;
}

gboolean
hubd_commit_ops_check_local(HubdCommitOps *self,
			    gboolean scan_policy,
			    GBytes **readme,
			    GCancellable *cancellable,
			    GError **error)
{
	g_autoptr(GBytes) found = NULL;

	for (guint i = 0; i < self->adds->len; i++) {
		HubdCommitAdd *add = g_ptr_array_index(self->adds, i);

		GStatBuf st;

		if (add->local_path == NULL) {
			if (!hubd_commit_ops_check_source(add,
							  scan_policy,
							  &found,
							  cancellable,
							  error))
				return FALSE;
			continue;
		}
		if (g_stat(add->local_path, &st) != 0 || !S_ISREG(st.st_mode)) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("%s is not a readable file"),
				    add->local_path);
			return FALSE;
		}
		add->local_size = (guint64)st.st_size;
		if (scan_policy &&
		    !hubd_policy_scan_file(add->local_path, add->path, cancellable, error))
			return FALSE;
		if (g_strcmp0(add->path, "README.md") == 0) {
			gchar *data = NULL;
			gsize len = 0;

			if (!g_file_get_contents(add->local_path, &data, &len, error))
				return FALSE;
			g_clear_pointer(&found, g_bytes_unref);
			found = g_bytes_new_take(data, len);
		}
	}
	*readme = g_steal_pointer(&found);
	return TRUE;
}

/* ---- hashing ---- */

typedef struct {
	HubdCommitOps *ops;
	gint64 *counter;
	guint next; /* index of the next add to hash */
	guint running;
	GError *error;
} HashRun;

typedef struct {
	GTask *task; /* the run's */
	gint64 *counter;
	HubdCommitAdd *add;
	HubdFileProgress *progress;
} HashData;

static void
hash_run_free(HashRun *run)
{
	hubd_commit_ops_unref(run->ops);
	g_clear_error(&run->error);
	g_free(run);
}

static void
hubd_commit_ops_hash_next(GTask *task);

static void
hubd_commit_ops_hash_progress(guint64 bytes_delta, gpointer user_data)
{
	HashData *hd = user_data;

	__atomic_add_fetch(hd->counter, (gint64)bytes_delta, __ATOMIC_RELAXED);
	__atomic_add_fetch(&hd->progress->bytes, (gint64)bytes_delta, __ATOMIC_RELAXED);
}

static void
hubd_commit_ops_hashed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HashData *hd = user_data;
	GTask *task = hd->task;
	HashRun *run = g_task_get_task_data(task);
	GError *error = NULL;

	run->running--;
	__atomic_sub_fetch(&hd->progress->active, 1, __ATOMIC_RELAXED);
	hubd_file_progress_unref(hd->progress);
	if (!hubd_upload_source_hash_finish(res, &hd->add->hash, &error)) {
		if (run->error == NULL)
			run->error = error;
		else
			g_error_free(error);
		g_cancellable_cancel(g_task_get_cancellable(task));
	}
	g_free(hd);
	hubd_commit_ops_hash_next(task);
}

/* files above the LFS threshold always go LFS: their git SHA-1 is never
 * used, and skipping it saves a third of the hashing time */
static HubdHashFlags
hubd_commit_ops_hash_flags(HubdCommitAdd *add)
{
	if (add->local_size > HUBD_POLICY_LFS_THRESHOLD)
		return HUBD_HASH_SHA256;
	return HUBD_HASH_SHA256 | HUBD_HASH_GIT_SHA1;
}

/* `task` holds one reference for every hash in flight */
static void
hubd_commit_ops_hash_next(GTask *task)
{
	HashRun *run = g_task_get_task_data(task);
	GPtrArray *adds = run->ops->adds;

	while (run->error == NULL && run->running < HASH_PARALLEL && run->next < adds->len) {
		HashData *hd = g_new0(HashData, 1);

		hd->task = g_object_ref(task);
		hd->counter = run->counter;
		hd->add = g_ptr_array_index(adds, run->next++);
		/* listed in Files while it is hashed */
		g_clear_pointer(&hd->add->progress, hubd_file_progress_unref);
		hd->add->progress = hubd_file_progress_new();
		hd->add->progress->total = hd->add->local_size;
		hd->add->progress->active = 1;
		hd->progress = hubd_file_progress_ref(hd->add->progress);
		run->running++;
		hubd_upload_source_hash_async(hd->add->source,
					      hd->add->local_size,
					      hubd_commit_ops_hash_flags(hd->add),
					      hubd_commit_ops_hash_progress,
					      hd,
					      g_task_get_cancellable(task),
					      hubd_commit_ops_hashed_cb,
					      hd);
	}
	if (run->running == 0) {
		if (run->error != NULL)
			g_task_return_error(task, g_steal_pointer(&run->error));
		else
			g_task_return_boolean(task, TRUE);
	}
	g_object_unref(task);
}

void
hubd_commit_ops_hash_async(HubdCommitOps *self,
			   gint64 *counter,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	GTask *task = g_task_new(NULL, cancellable, callback, user_data);
	HashRun *run = g_new0(HashRun, 1);

	g_task_set_source_tag(task, hubd_commit_ops_hash_async);
	/* the first error cancels: it, not the cancel, is the result */
	g_task_set_check_cancellable(task, FALSE);
	run->ops = hubd_commit_ops_ref(self);
	run->counter = counter;
	g_task_set_task_data(task, run, (GDestroyNotify)hash_run_free);
	hubd_commit_ops_hash_next(task);
}

gboolean
hubd_commit_ops_hash_finish(HubdCommitOps *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- sending ---- */

guint64
hubd_commit_ops_get_send_size(HubdCommitOps *self)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	guint64 total = 0;

	for (guint i = 0; i < self->adds->len; i++) {
		HubdCommitAdd *add = g_ptr_array_index(self->adds, i);

		if (add->noop || add->ignore)
			continue;
		/* regular files are sent within the commit */
		if (!add->lfs || g_hash_table_add(seen, add->hash.sha256))
			total += add->hash.size;
	}
	return total;
}

GArray *
hubd_commit_ops_dup_lfs_objects(HubdCommitOps *self)
{
	GArray *objects = g_array_new(FALSE, TRUE, sizeof(HubdLfsObject));
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < self->adds->len; i++) {
		HubdCommitAdd *add = g_ptr_array_index(self->adds, i);
		HubdLfsObject obj = {0};

		if (add->noop || add->ignore)
			continue;
		/* skipped files get none: they never show in Files */
		add->progress = hubd_file_progress_new();
		add->progress->total = add->hash.size;
		if (!add->lfs || !g_hash_table_add(seen, add->hash.sha256))
			continue;
		obj.source = add->source; /* referenced by hubd_lfs_upload_async */
		memcpy(obj.sha256, add->hash.sha256, sizeof(obj.sha256));
		obj.size = add->hash.size;
		obj.progress = add->progress; /* referenced by hubd_lfs_upload_async */
		g_array_append_val(objects, obj);
	}
	return objects;
}

void
hubd_commit_ops_add_to_payload(HubdCommitOps *self, HubdCommitPayload *payload)
{
	for (guint i = 0; i < self->deletes->len; i++) {
		HubdCommitDelete *del = g_ptr_array_index(self->deletes, i);
		hubd_commit_payload_add_delete(payload, del->path, del->is_folder);
	}
	for (guint i = 0; i < self->adds->len; i++) {
		HubdCommitAdd *add = g_ptr_array_index(self->adds, i);

		if (add->noop || add->ignore)
			continue;
		if (add->lfs) {
			hubd_commit_payload_add_lfs(payload,
						    add->path,
						    add->hash.sha256,
						    add->hash.size);
		} else {
			hubd_commit_payload_add_source(payload,
						       add->path,
						       add->source,
						       add->hash.size,
						       add->progress);
		}
	}
}
