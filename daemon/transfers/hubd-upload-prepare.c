/* hubd-upload-prepare.c: what an upload looks up before it sends — the
 * local folder walk, then through HubdHubApi: creating the repo, the remote
 * tree (for deletions by pattern), the README.md the card rule needs,
 * resolving copies and preupload in batches (docs/hub-upload.md §1, §2, §6) */
#define G_LOG_DOMAIN "HubdUpload"

#include "hubd-upload-prepare.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-error-map.h"
#include "hubd-policy.h"

/* the state of one step, the data of its task */
typedef struct {
	HubdHubApi *api;
	HubdRepoType type;
	gchar *repo_id;
	gchar *revision;
	gboolean create_pr;
	HubdCommitOps *ops;
	HubdCommitPayload *payload;
	GBytes *readme;
	GPtrArray *items; /* tree listing: paths */
	guint index;      /* the next copy to resolve, or add to preupload */
	gchar *head_oid;  /* from preupload */
} Step;

static void
step_free(Step *step)
{
	g_object_unref(step->api);
	g_free(step->repo_id);
	g_free(step->revision);
	g_clear_pointer(&step->ops, hubd_commit_ops_unref);
	g_clear_pointer(&step->payload, hubd_commit_payload_unref);
	g_clear_pointer(&step->readme, g_bytes_unref);
	g_clear_pointer(&step->items, g_ptr_array_unref);
	g_free(step->head_oid);
	g_free(step);
}

/* A step's task, whose source object is the API; the step is its data. */
static GTask *
step_task_new(HubdHubApi *api,
	      HubdRepoType type,
	      const gchar *repo_id,
	      GCancellable *cancellable,
	      GAsyncReadyCallback callback,
	      gpointer user_data,
	      gpointer source_tag)
{
	GTask *task = g_task_new(api, cancellable, callback, user_data);
	Step *step = g_new0(Step, 1);

	g_task_set_source_tag(task, source_tag);
	/* what the step ended with, even when a cancel came meanwhile */
	g_task_set_check_cancellable(task, FALSE);
	step->api = g_object_ref(api);
	step->type = type;
	step->repo_id = g_strdup(repo_id);
	g_task_set_task_data(task, step, (GDestroyNotify)step_free);
	return task;
}

/* Ends the step (and drops the reference its callbacks held). */
static void
step_finish(GTask *task, GError *error)
{
	if (error != NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
	g_object_unref(task);
}

static GError *
error_from_response(HubdHubResponse *resp)
{
	GError *error = NULL;

	hubd_hub_client_error_from_response(hubd_hub_response_get_status(resp),
					    hubd_hub_response_get_headers(resp),
					    hubd_hub_response_get_body(resp),
					    hubd_hub_response_get_uri(resp),
					    &error);
	return error;
}

/* GET of a file at a revision (its resolve URL), with the token */
static void
step_get_file(GTask *task,
	      const gchar *revision,
	      const gchar *path,
	      HubdHubRequestFlags flags,
	      GAsyncReadyCallback callback)
{
	Step *step = g_task_get_task_data(task);
	g_autofree gchar *url =
		hubd_hub_api_file_url(step->api, step->type, step->repo_id, revision, path);
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", url);

	hubd_hub_request_set_flags(req, flags);
	hubd_hub_api_request_async(step->api, req, g_task_get_cancellable(task), callback, task);
}

/* ---- the local folder ---- */

static gboolean
walk_folder(GFile *root, GFile *dir, GPtrArray *out, GCancellable *cancellable, GError **error)
{
	g_autoptr(GFileEnumerator) en = g_file_enumerate_children(
		dir,
		G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
		G_FILE_QUERY_INFO_NONE,
		cancellable,
		error);

	if (en == NULL)
		return FALSE;
	for (;;) {
		GFileInfo *info = NULL;
		GFile *child = NULL;

		if (!g_file_enumerator_iterate(en, &info, &child, cancellable, error))
			return FALSE;
		if (info == NULL)
			break;
		if (g_file_info_get_file_type(info) == G_FILE_TYPE_DIRECTORY) {
			if (!walk_folder(root, child, out, cancellable, error))
				return FALSE;
		} else if (g_file_info_get_file_type(info) == G_FILE_TYPE_REGULAR) {
			g_ptr_array_add(out, g_file_get_relative_path(root, child));
		}
	}
	return TRUE;
}

static gint
str_ptr_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar *const *)a, *(const gchar *const *)b);
}

GPtrArray *
hubd_upload_prepare_list_folder(const gchar *folder, GCancellable *cancellable, GError **error)
{
	g_autoptr(GFile) root = g_file_new_for_path(folder);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);

	if (!walk_folder(root, root, files, cancellable, error))
		return NULL;
	g_ptr_array_sort(files, str_ptr_cmp);
	return g_steal_pointer(&files);
}

/* ---- create the repo ---- */

static void
create_repo_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	GError *error = NULL;
	g_autofree gchar *url =
		hubd_hub_api_create_repo_finish(HUBD_HUB_API(source), res, NULL, &error);

	step_finish(task, url != NULL ? NULL : error);
}

void
hubd_upload_prepare_create_repo_async(HubdHubApi *api,
				      HubdRepoType type,
				      const gchar *repo_id,
				      gboolean private_repo,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	GTask *task = step_task_new(api,
				    type,
				    repo_id,
				    cancellable,
				    callback,
				    user_data,
				    hubd_upload_prepare_create_repo_async);

	/* as `hf upload`: exist_ok, a Space with gradio; visibility only when
	 * private is asked, so that an organisation's default applies otherwise */
	hubd_hub_api_create_repo_async(api,
				       type,
				       repo_id,
				       private_repo ? HUBD_HUB_VISIBILITY_PRIVATE
						    : HUBD_HUB_VISIBILITY_UNSET,
				       type == HUBD_REPO_TYPE_SPACE ? "gradio" : NULL,
				       NULL,
				       HUBD_HUB_API_FLAG_EXIST_OK,
				       cancellable,
				       create_repo_cb,
				       task);
}

gboolean
hubd_upload_prepare_create_repo_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- the remote tree ---- */

static void
tree_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Step *step = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(GPtrArray) entries =
		hubd_hub_api_list_tree_finish(HUBD_HUB_API(source), res, &error);

	if (entries == NULL) {
		step_finish(task, error);
		return;
	}
	for (guint i = 0; i < entries->len; i++) {
		HubdHubTreeEntry *entry = g_ptr_array_index(entries, i);

		if (entry->type == HUBD_HUB_ENTRY_FILE)
			g_ptr_array_add(step->items, g_strdup(entry->path));
	}
	step_finish(task, NULL);
}

void
hubd_upload_prepare_list_tree_async(HubdHubApi *api,
				    HubdRepoType type,
				    const gchar *repo_id,
				    const gchar *revision,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	GTask *task = step_task_new(api,
				    type,
				    repo_id,
				    cancellable,
				    callback,
				    user_data,
				    hubd_upload_prepare_list_tree_async);
	Step *step = g_task_get_task_data(task);

	step->items = g_ptr_array_new_with_free_func(g_free);
	hubd_hub_api_list_tree_async(api,
				     type,
				     repo_id,
				     revision,
				     NULL,
				     HUBD_HUB_API_FLAG_RECURSIVE,
				     0,
				     cancellable,
				     tree_cb,
				     task);
}

GPtrArray *
hubd_upload_prepare_list_tree_finish(GAsyncResult *result, GError **error)
{
	Step *step = g_task_get_task_data(G_TASK(result));

	if (!g_task_propagate_boolean(G_TASK(result), error))
		return NULL;
	return g_steal_pointer(&step->items);
}

/* ---- the card ---- */

/* the access rule needs the repo's gated and private settings */
static void
access_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Step *step = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdHubRepoInfo) info =
		hubd_hub_api_repo_info_finish(HUBD_HUB_API(source), res, &error);
	gsize len = 0;
	const gchar *data = g_bytes_get_data(step->readme, &len);

	/* a repo this upload creates is not gated yet */
	if (info == NULL && !g_error_matches(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND)) {
		step_finish(task, error);
		return;
	}
	g_clear_error(&error);
	if (!hubd_policy_check_access(step->type,
				      step->repo_id,
				      data != NULL ? data : "",
				      len,
				      info != NULL ? info->gated : NULL,
				      info != NULL && info->has_private && info->private_,
				      &error)) {
		step_finish(task, error);
		return;
	}
	step_finish(task, NULL);
}

static void
card_check(GTask *task)
{
	Step *step = g_task_get_task_data(task);
	GError *error = NULL;
	gsize len = 0;
	const gchar *data = step->readme != NULL ? g_bytes_get_data(step->readme, &len) : NULL;

	if (!hubd_policy_check_card(step->type, data, len, &error)) {
		step_finish(task, error);
		return;
	}
	if (data != NULL && hubd_policy_card_asks_for_gating(data, len)) {
		hubd_hub_api_repo_info_async(step->api,
					     step->type,
					     step->repo_id,
					     NULL,
					     HUBD_HUB_API_FLAG_NONE,
					     g_task_get_cancellable(task),
					     access_cb,
					     task);
		return;
	}
	step_finish(task, NULL);
}

static void
readme_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Step *step = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);
	guint status;

	if (resp == NULL) {
		step_finish(task, error);
		return;
	}
	status = hubd_hub_response_get_status(resp);
	if (status >= 400 && status != 404) {
		/* a repo that does not exist yet at that revision has no card */
		error = error_from_response(resp);
		if (!g_error_matches(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND) &&
		    !g_error_matches(error, HUBD_ERROR, HUBD_ERROR_REVISION_NOT_FOUND) &&
		    !g_error_matches(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND)) {
			step_finish(task, error);
			return;
		}
		g_clear_error(&error);
	}
	if (status < 400 && hubd_hub_response_get_body(resp) != NULL)
		step->readme = g_bytes_ref(hubd_hub_response_get_body(resp));
	card_check(task);
}

void
hubd_upload_prepare_check_card_async(HubdHubApi *api,
				     HubdRepoType type,
				     const gchar *repo_id,
				     const gchar *revision,
				     HubdCommitOps *ops,
				     GBytes *readme,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	GTask *task = step_task_new(api,
				    type,
				    repo_id,
				    cancellable,
				    callback,
				    user_data,
				    hubd_upload_prepare_check_card_async);
	Step *step = g_task_get_task_data(task);

	if (readme != NULL || hubd_commit_ops_deletes_file(ops, "README.md")) {
		step->readme = readme != NULL ? g_bytes_ref(readme) : NULL;
		card_check(task);
		return;
	}
	step_get_file(task, revision, "README.md", HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR, readme_cb);
}

gboolean
hubd_upload_prepare_check_card_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- copies ---- */

static void
copy_next(GTask *task);

static HubdCommitCopy *
copy_current(Step *step)
{
	return g_ptr_array_index(hubd_commit_ops_get_copies(step->ops), step->index - 1);
}

static void
copy_content_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Step *step = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);

	if (resp == NULL) {
		step_finish(task, error);
		return;
	}
	hubd_commit_payload_add_file_bytes(step->payload,
					   copy_current(step)->path,
					   hubd_hub_response_get_body(resp));
	copy_next(task);
}

static void
copy_info_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Step *step = g_task_get_task_data(task);
	HubdCommitCopy *copy = copy_current(step);
	GError *error = NULL;
	g_autoptr(GPtrArray) entries =
		hubd_hub_api_paths_info_finish(HUBD_HUB_API(source), res, &error);
	HubdHubTreeEntry *entry = NULL;

	if (entries == NULL) {
		step_finish(task, error);
		return;
	}
	for (guint i = 0; i < entries->len && entry == NULL; i++) {
		HubdHubTreeEntry *e = g_ptr_array_index(entries, i);

		if (g_strcmp0(e->path, copy->src_path) == 0)
			entry = e;
	}
	if (entry == NULL || entry->type != HUBD_HUB_ENTRY_FILE) {
		step_finish(task,
			    g_error_new(HUBD_ERROR,
					HUBD_ERROR_ENTRY_NOT_FOUND,
					_("Cannot copy %s: no such file at revision %s"),
					copy->src_path,
					copy->src_revision));
		return;
	}
	if (entry->is_lfs) {
		if (entry->lfs_sha256 == NULL || entry->lfs_size < 0) {
			step_finish(task,
				    g_error_new(HUBD_ERROR,
						HUBD_ERROR_SERVER,
						_("Cannot copy %s: the Hub did not give its LFS "
						  "object"),
						copy->src_path));
			return;
		}
		/* an LFS source is referenced, not uploaded again */
		hubd_commit_payload_add_lfs(step->payload,
					    copy->path,
					    entry->lfs_sha256,
					    (guint64)entry->lfs_size);
		copy_next(task);
		return;
	}
	step_get_file(task,
		      copy->src_revision,
		      copy->src_path,
		      HUBD_HUB_REQUEST_FLAG_NONE,
		      copy_content_cb);
}

static void
copy_next(GTask *task)
{
	Step *step = g_task_get_task_data(task);
	GPtrArray *copies = hubd_commit_ops_get_copies(step->ops);
	HubdCommitCopy *copy;
	const gchar *paths[2] = {NULL, NULL};

	if (step->index >= copies->len) {
		step_finish(task, NULL);
		return;
	}
	copy = g_ptr_array_index(copies, step->index++);
	paths[0] = copy->src_path;
	hubd_hub_api_paths_info_async(step->api,
				      step->type,
				      step->repo_id,
				      copy->src_revision,
				      paths,
				      HUBD_HUB_API_FLAG_NONE,
				      g_task_get_cancellable(task),
				      copy_info_cb,
				      task);
}

void
hubd_upload_prepare_copies_async(HubdHubApi *api,
				 HubdRepoType type,
				 const gchar *repo_id,
				 HubdCommitOps *ops,
				 HubdCommitPayload *payload,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	GTask *task = step_task_new(api,
				    type,
				    repo_id,
				    cancellable,
				    callback,
				    user_data,
				    hubd_upload_prepare_copies_async);
	Step *step = g_task_get_task_data(task);

	step->ops = hubd_commit_ops_ref(ops);
	step->payload = hubd_commit_payload_ref(payload);
	copy_next(task);
}

gboolean
hubd_upload_prepare_copies_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- preupload ---- */

static void
preupload_batch(GTask *task);

static void
preupload_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Step *step = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdHubPreupload) answer =
		hubd_hub_api_preupload_finish(HUBD_HUB_API(source), res, &error);

	if (answer == NULL) {
		step_finish(task, error);
		return;
	}
	if (answer->commit_oid != NULL && step->head_oid == NULL)
		step->head_oid = g_strdup(answer->commit_oid);
	for (guint i = 0; i < answer->files->len; i++) {
		HubdHubPreuploadFile *f = g_ptr_array_index(answer->files, i);
		HubdCommitAdd *add = hubd_commit_ops_find_add(step->ops, f->path);

		if (add == NULL)
			continue;
		/* empty files are always regular; big ones always LFS (policy) */
		add->lfs = add->hash.size > 0 && (f->upload_mode == HUBD_HUB_UPLOAD_MODE_LFS ||
						  add->hash.size > HUBD_POLICY_LFS_THRESHOLD);
		add->ignore = f->should_ignore;
		if (f->oid != NULL)
			add->noop = g_ascii_strcasecmp(f->oid,
						       add->lfs ? add->hash.sha256
								: add->hash.git_sha1) == 0;
	}
	preupload_batch(task);
}

static void
preupload_batch(GTask *task)
{
	Step *step = g_task_get_task_data(task);
	GPtrArray *adds = hubd_commit_ops_get_adds(step->ops);
	g_autofree HubdHubPreuploadItem *items = NULL;
	guint n;

	if (step->index >= adds->len) {
		step_finish(task, NULL);
		return;
	}
	n = MIN(adds->len - step->index, HUBD_HUB_API_PREUPLOAD_MAX);
	items = g_new0(HubdHubPreuploadItem, n);
	for (guint i = 0; i < n; i++) {
		HubdCommitAdd *add = g_ptr_array_index(adds, step->index + i);

		items[i].path = add->path;
		items[i].sample = add->hash.sample;
		items[i].sample_len = add->hash.sample_len;
		items[i].size = add->hash.size;
	}
	step->index += n;
	/* the API copies what it sends: the items may go when it returns */
	hubd_hub_api_preupload_async(step->api,
				     step->type,
				     step->repo_id,
				     step->revision,
				     items,
				     n,
				     step->create_pr ? HUBD_HUB_API_FLAG_CREATE_PR
						     : HUBD_HUB_API_FLAG_NONE,
				     g_task_get_cancellable(task),
				     preupload_cb,
				     task);
}

void
hubd_upload_prepare_preupload_async(HubdHubApi *api,
				    HubdRepoType type,
				    const gchar *repo_id,
				    const gchar *revision,
				    gboolean create_pr,
				    HubdCommitOps *ops,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	GTask *task = step_task_new(api,
				    type,
				    repo_id,
				    cancellable,
				    callback,
				    user_data,
				    hubd_upload_prepare_preupload_async);
	Step *step = g_task_get_task_data(task);

	step->revision = g_strdup(revision);
	step->create_pr = create_pr;
	step->ops = hubd_commit_ops_ref(ops);
	preupload_batch(task);
}

gboolean
hubd_upload_prepare_preupload_finish(GAsyncResult *result, gchar **head_oid, GError **error)
{
	Step *step = g_task_get_task_data(G_TASK(result));

	if (!g_task_propagate_boolean(G_TASK(result), error))
		return FALSE;
	*head_oid = g_steal_pointer(&step->head_oid);
	return TRUE;
}
