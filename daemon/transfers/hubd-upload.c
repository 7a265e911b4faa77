/* hubd-upload.c: HubdUpload — one upload or commit as a job (docs/hub-upload.md
 * §1): create the repo, prepare (folder walk, policy, deletions, card),
 * hash, preupload, LFS objects (hubd-lfs.c), one streamed NDJSON commit
 * (hubd-commit.c). The operations are a HubdCommitOps; the lookups on the
 * disk and the Hub are in hubd-upload-prepare.c; the job's byte counts in
 * HubdUploadProgress. */
#define G_LOG_DOMAIN "HubdUpload"

#include "hubd-upload.h"

#include <fnmatch.h>
#include <glib/gi18n.h>

#include "hubd-cache.h"
#include "hubd-commit-ops.h"
#include "hubd-commit.h"
#include "hubd-context-private.h"
#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-lfs.h"
#include "hubd-policy-space.h"
#include "hubd-policy.h"
#include "hubd-upload-prepare.h"
#include "hubd-upload-progress.h"

/* huggingface_hub's DEFAULT_IGNORE_PATTERNS */
static const gchar *const default_ignore[] = {".git",
					      ".git/*",
					      "*/.git",
					      "**/.git/**",
					      ".cache/huggingface",
					      ".cache/huggingface/*",
					      "*/.cache/huggingface",
					      "**/.cache/huggingface/**",
					      NULL};

struct _HubdUpload {
	GObject parent_instance;
	HubdContext *context;
	HubdHubApi *api;
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
	HubdCommitOps *ops;
	GBytes *readme;  /* an added README.md, NULL: none */
	gchar *head_oid; /* from preupload */
	HubdCommitPayload *payload;
	HubdUploadProgress *progress;
};

G_DEFINE_TYPE(HubdUpload, hubd_upload, G_TYPE_OBJECT)

static void
hubd_upload_finalize(GObject *object)
{
	HubdUpload *self = HUBD_UPLOAD(object);

	g_clear_pointer(&self->progress, hubd_upload_progress_free);
	g_clear_object(&self->api);
	g_clear_object(&self->job);
	g_clear_object(&self->cancellable);
	g_free(self->repo_id);
	g_free(self->revision);
	g_free(self->message);
	g_free(self->description);
	g_free(self->parent_commit);
	g_strfreev(self->delete_patterns);
	g_strfreev(self->allow_patterns);
	g_strfreev(self->ignore_patterns);
	g_free(self->folder);
	g_free(self->folder_path_in_repo);
	hubd_commit_ops_unref(self->ops);
	g_clear_pointer(&self->readme, g_bytes_unref);
	g_free(self->head_oid);
	g_clear_pointer(&self->payload, hubd_commit_payload_unref);
	G_OBJECT_CLASS(hubd_upload_parent_class)->finalize(object);
}

static void
hubd_upload_class_init(HubdUploadClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_upload_finalize;
}

static void
hubd_upload_init(HubdUpload *self)
{
	self->ops = hubd_commit_ops_new();
}

gboolean
hubd_upload_path_is_wanted(const gchar *path, const gchar *const *allow, const gchar *const *ignore)
{
	gboolean allowed = allow == NULL || allow[0] == NULL;

	for (guint i = 0; allow != NULL && allow[i] != NULL && !allowed; i++) {
		g_autofree gchar *pat = g_str_has_suffix(allow[i], "/")
						? g_strconcat(allow[i], "*", NULL)
						: g_strdup(allow[i]);
		allowed = fnmatch(pat, path, 0) == 0;
	}
	if (!allowed)
		return FALSE;
	for (guint i = 0; ignore != NULL && ignore[i] != NULL; i++) {
		g_autofree gchar *pat = g_str_has_suffix(ignore[i], "/")
						? g_strconcat(ignore[i], "*", NULL)
						: g_strdup(ignore[i]);
		if (fnmatch(pat, path, 0) == 0)
			return FALSE;
	}
	return TRUE;
}

static gboolean
hubd_upload_is_hex_commit(const gchar *s)
{
	gsize len = strlen(s);

	if (len < 5 || len > 40)
		return FALSE;
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isxdigit(s[i]))
			return FALSE;
	return TRUE;
}

HubdUpload *
hubd_upload_new(HubdContext *context,
		const gchar *repo_type,
		const gchar *repo_id,
		const gchar *revision,
		GVariant *options,
		GError **error)
{
	g_autoptr(HubdUpload) self = g_object_new(HUBD_TYPE_UPLOAD, NULL);
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(options);
	const gchar *s = NULL;

	if (!hubd_repo_type_from_string(repo_type, &self->type, error) ||
	    !hubd_repo_id_validate(repo_id, FALSE, error))
		return NULL;
	if (revision == NULL || revision[0] == '\0')
		revision = "main";
	if (!hubd_revision_validate(revision, error))
		return NULL;
	self->context = context;
	/* the caller's token_name: every request of this upload goes with it */
	self->api = hubd_hub_api_new_for_call(hubd_context_get_hub_api(context), options);
	self->repo_id = g_strdup(repo_id);
	self->revision = g_strdup(revision);
	if (g_variant_dict_lookup(&dict, "commit_message", "&s", &s) && s[0] != '\0')
		self->message = g_strdup(s);
	if (g_variant_dict_lookup(&dict, "commit_description", "&s", &s))
		self->description = g_strdup(s);
	if (g_variant_dict_lookup(&dict, "parent_commit", "&s", &s) && s[0] != '\0') {
		if (!hubd_upload_is_hex_commit(s)) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("parent_commit must be a commit id of 5 to 40 hexadecimal "
				      "characters, not “%s”"),
				    s);
			return NULL;
		}
		self->parent_commit = g_ascii_strdown(s, -1);
	}
	g_variant_dict_lookup(&dict, "create_pr", "b", &self->create_pr);
	g_variant_dict_lookup(&dict, "no_policy", "b", &self->no_policy);
	g_variant_dict_lookup(&dict, "create_repo", "b", &self->create_repo);
	g_variant_dict_lookup(&dict, "private", "b", &self->private_repo);
	g_variant_dict_lookup(&dict, "delete_patterns", "^as", &self->delete_patterns);
	g_variant_dict_lookup(&dict, "allow_patterns", "^as", &self->allow_patterns);
	g_variant_dict_lookup(&dict, "ignore_patterns", "^as", &self->ignore_patterns);
	return g_steal_pointer(&self);
}

static gboolean
hubd_upload_check_local(const gchar *local_path, GError **error)
{
	if (local_path == NULL || !g_path_is_absolute(local_path)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Local paths must be absolute: “%s”"),
			    local_path != NULL ? local_path : "");
		return FALSE;
	}
	return TRUE;
}

gboolean
hubd_upload_add_file(HubdUpload *self,
		     const gchar *local_path,
		     const gchar *path_in_repo,
		     GError **error)
{
	if (!hubd_upload_check_local(local_path, error))
		return FALSE;
	return hubd_commit_ops_add_file(self->ops, local_path, path_in_repo, error);
}

gboolean
hubd_upload_add_source(HubdUpload *self,
		       HubdUploadSource *source,
		       guint64 size,
		       const gchar *path_in_repo,
		       GError **error)
{
	return hubd_commit_ops_add_source(self->ops, source, size, path_in_repo, error);
}

gboolean
hubd_upload_add_delete(HubdUpload *self,
		       const gchar *path_in_repo,
		       gboolean is_folder,
		       GError **error)
{
	return hubd_commit_ops_add_delete(self->ops, path_in_repo, is_folder, error);
}

gboolean
hubd_upload_add_copy(HubdUpload *self,
		     const gchar *src_path,
		     const gchar *src_revision,
		     const gchar *path_in_repo,
		     GError **error)
{
	/* the upload's revision is valid (checked by hubd_upload_new) */
	return hubd_commit_ops_add_copy(
		self->ops,
		src_path,
		src_revision != NULL && src_revision[0] != '\0' ? src_revision : self->revision,
		path_in_repo,
		error);
}

gboolean
hubd_upload_set_folder(HubdUpload *self,
		       const gchar *folder,
		       const gchar *path_in_repo,
		       GError **error)
{
	g_autofree gchar *trimmed = g_strdup(path_in_repo != NULL ? path_in_repo : "");
	g_autofree gchar *prefix = NULL;

	if (!hubd_upload_check_local(folder, error))
		return FALSE;
	g_strstrip(trimmed);
	while (g_str_has_suffix(trimmed, "/"))
		trimmed[strlen(trimmed) - 1] = '\0';
	if (trimmed[0] != '\0' && g_strcmp0(trimmed, ".") != 0) {
		prefix = hubd_path_in_repo_normalize(trimmed, error);
		if (prefix == NULL)
			return FALSE;
	}
	self->folder = g_strdup(folder);
	self->folder_path_in_repo = prefix != NULL ? g_steal_pointer(&prefix) : g_strdup("");
	return TRUE;
}

/* ---- the end ---- */

static void
hubd_upload_fail(HubdUpload *self, GError *error)
{
	hubd_upload_progress_stop(self->progress);
	hubd_job_fail(self->job, error);
	g_object_unref(self);
}

static void
hubd_upload_complete(HubdUpload *self, const gchar *oid, const gchar *url, const gchar *pr_url)
{
	g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autofree gchar *fallback =
		url == NULL ? hubd_hub_api_commit_url(self->api, self->type, self->repo_id, oid)
			    : NULL;

	hubd_upload_progress_sync(self->progress);
	hubd_upload_progress_stop(self->progress);
	g_variant_builder_add(&b, "{sv}", "commit_oid", g_variant_new_string(oid));
	g_variant_builder_add(&b,
			      "{sv}",
			      "commit_url",
			      g_variant_new_string(url != NULL ? url : fallback));
	if (pr_url != NULL)
		g_variant_builder_add(&b, "{sv}", "pr_url", g_variant_new_string(pr_url));
	hubd_job_complete(self->job, g_variant_builder_end(&b));
	g_object_unref(self);
}

/* files the job counts as done: every add and copy */
static guint
hubd_upload_n_files(HubdUpload *self)
{
	return hubd_commit_ops_get_adds(self->ops)->len +
	       hubd_commit_ops_get_copies(self->ops)->len;
}

/* ---- commit ---- */

static void
hubd_upload_committed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdUpload *self = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubCommitInfo) info = hubd_commit_send_finish(res, &error);

	if (info == NULL) {
		hubd_upload_fail(self, error);
		return;
	}
	hubd_job_add_files(self->job, hubd_upload_n_files(self));
	hubd_upload_complete(self, info->commit_oid, info->commit_url, info->pr_url);
}

static void
hubd_upload_copies_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdUpload *self = user_data;
	GError *error = NULL;

	if (!hubd_upload_prepare_copies_finish(res, &error)) {
		hubd_upload_fail(self, error);
		return;
	}
	hubd_commit_ops_add_to_payload(self->ops, self->payload);
	if (hubd_commit_payload_get_n_operations(self->payload) == 0 && self->head_oid == NULL) {
		hubd_upload_fail(
			self,
			g_error_new(HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Nothing to commit: no file to add and none to delete")));
		return;
	}
	if (hubd_commit_payload_get_n_operations(self->payload) == 0) {
		/* nothing changes: no commit, as huggingface_hub */
		hubd_job_add_files(self->job, hubd_upload_n_files(self));
		hubd_upload_complete(self,
				     self->head_oid != NULL ? self->head_oid : "",
				     NULL,
				     NULL);
		return;
	}
	hubd_upload_progress_phase(self->progress, "committing", FALSE, 0);
	hubd_commit_send_async(self->api,
			       self->type,
			       self->repo_id,
			       self->revision,
			       self->create_pr,
			       self->payload,
			       hubd_upload_progress_get_counter(self->progress),
			       self->cancellable,
			       hubd_upload_committed_cb,
			       self);
}

static void
hubd_upload_build_payload(HubdUpload *self)
{
	g_autofree gchar *message =
		self->message != NULL
			? g_strdup(self->message)
			: hubd_commit_ops_dup_default_summary(self->ops, self->folder != NULL);
	g_autofree gchar *description =
		hubd_policy_commit_description(self->description, self->no_policy);

	self->payload = hubd_commit_payload_new(message, description, self->parent_commit);
	hubd_upload_prepare_copies_async(self->api,
					 self->type,
					 self->repo_id,
					 self->ops,
					 self->payload,
					 self->cancellable,
					 hubd_upload_copies_cb,
					 self);
}

/* ---- LFS ---- */

static void
hubd_upload_lfs_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdUpload *self = user_data;
	GError *error = NULL;

	if (!hubd_lfs_upload_finish(res, NULL, &error)) {
		hubd_upload_fail(self, error);
		return;
	}
	hubd_upload_build_payload(self);
}

static void
hubd_upload_send_lfs(HubdUpload *self)
{
	g_autoptr(GArray) objects = NULL;

	hubd_upload_progress_phase(self->progress,
				   "uploading",
				   TRUE,
				   hubd_commit_ops_get_send_size(self->ops));
	objects = hubd_commit_ops_dup_lfs_objects(self->ops);
	hubd_lfs_upload_async(self->api,
			      self->type,
			      self->repo_id,
			      self->create_pr ? NULL : self->revision,
			      (const HubdLfsObject *)(gpointer)objects->data,
			      objects->len,
			      hubd_upload_progress_get_counter(self->progress),
			      self->cancellable,
			      hubd_upload_lfs_cb,
			      self);
}

/* ---- hash, preupload ---- */

static void
hubd_upload_preupload_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdUpload *self = user_data;
	GError *error = NULL;

	if (!hubd_upload_prepare_preupload_finish(res, &self->head_oid, &error)) {
		hubd_upload_fail(self, error);
		return;
	}
	hubd_upload_send_lfs(self);
}

static void
hubd_upload_hashed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdUpload *self = user_data;
	GError *error = NULL;

	if (!hubd_commit_ops_hash_finish(self->ops, res, &error)) {
		hubd_upload_fail(self, error);
		return;
	}
	hubd_upload_prepare_preupload_async(self->api,
					    self->type,
					    self->repo_id,
					    self->revision,
					    self->create_pr,
					    self->ops,
					    self->cancellable,
					    hubd_upload_preupload_cb,
					    self);
}

static void
hubd_upload_remote_done(HubdUpload *self)
{
	GPtrArray *adds = hubd_commit_ops_get_adds(self->ops);
	guint64 total = 0;

	for (guint i = 0; i < adds->len; i++)
		total += ((HubdCommitAdd *)g_ptr_array_index(adds, i))->local_size;
	hubd_upload_progress_phase(self->progress, "hashing", TRUE, total);
	hubd_commit_ops_hash_async(self->ops,
				   hubd_upload_progress_get_counter(self->progress),
				   self->cancellable,
				   hubd_upload_hashed_cb,
				   self);
}

/* ---- remote: deletions by pattern, then the card ---- */

/* The card check, then (a model, [policy] require-space) the linked Space's */
static void
hubd_upload_card_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdUpload *self = user_data;
	GError *error = NULL;
	gboolean space = g_task_get_source_tag(G_TASK(res)) == hubd_policy_space_check_async;

	if (!(space ? hubd_policy_space_check_finish(res, &error)
		    : hubd_upload_prepare_check_card_finish(res, &error))) {
		hubd_upload_fail(self, error);
		return;
	}
	if (!space && hubd_policy_space_wanted(self->context, self->type)) {
		hubd_policy_space_check_async(self->api,
					      self->repo_id,
					      self->cancellable,
					      hubd_upload_card_cb,
					      self);
		return;
	}
	hubd_upload_remote_done(self);
}

static void
hubd_upload_check_card(HubdUpload *self)
{
	/* a commit that only deletes publishes nothing new */
	if (self->no_policy || self->type == HUBD_REPO_TYPE_SPACE ||
	    hubd_upload_n_files(self) == 0) {
		hubd_upload_remote_done(self);
		return;
	}
	hubd_upload_prepare_check_card_async(self->api,
					     self->type,
					     self->repo_id,
					     self->revision,
					     self->ops,
					     self->readme,
					     self->cancellable,
					     hubd_upload_card_cb,
					     self);
}

static void
hubd_upload_tree_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdUpload *self = user_data;
	GError *error = NULL;
	g_autoptr(GPtrArray) paths = hubd_upload_prepare_list_tree_finish(res, &error);
	const gchar *prefix = self->folder_path_in_repo != NULL ? self->folder_path_in_repo : "";
	gsize plen = strlen(prefix);

	if (paths == NULL) {
		hubd_upload_fail(self, error);
		return;
	}
	for (guint i = 0; i < paths->len; i++) {
		const gchar *path = g_ptr_array_index(paths, i);
		const gchar *rel = path;

		if (plen > 0) {
			if (strncmp(path, prefix, plen) != 0 || path[plen] != '/')
				continue;
			rel = path + plen + 1;
		}
		if (g_strcmp0(rel, ".gitattributes") == 0 ||
		    hubd_commit_ops_find_add(self->ops, path) != NULL ||
		    !hubd_upload_path_is_wanted(rel,
						(const gchar *const *)self->delete_patterns,
						NULL))
			continue;
		hubd_commit_ops_add_tree_delete(self->ops, path);
	}
	hubd_upload_check_card(self);
}

/* ---- local: folder walk, file checks, secrets, local README ---- */

static gboolean
hubd_upload_add_folder_files(HubdUpload *self, GCancellable *cancellable, GError **error)
{
	g_autoptr(GPtrArray) files =
		hubd_upload_prepare_list_folder(self->folder, cancellable, error);
	g_autoptr(GStrvBuilder) ignore = g_strv_builder_new();
	g_auto(GStrv) ignore_all = NULL;

	if (files == NULL)
		return FALSE;
	g_strv_builder_addv(ignore, (const gchar **)default_ignore);
	if (self->ignore_patterns != NULL)
		g_strv_builder_addv(ignore, (const gchar **)self->ignore_patterns);
	ignore_all = g_strv_builder_end(ignore);
	for (guint i = 0; i < files->len; i++) {
		const gchar *rel = g_ptr_array_index(files, i);
		g_autofree gchar *local = NULL;
		g_autofree gchar *path = NULL;

		if (!hubd_upload_path_is_wanted(rel,
						(const gchar *const *)self->allow_patterns,
						(const gchar *const *)ignore_all))
			continue;
		local = g_build_filename(self->folder, rel, NULL);
		path = self->folder_path_in_repo[0] != '\0'
			       ? g_strconcat(self->folder_path_in_repo, "/", rel, NULL)
			       : g_strdup(rel);
		if (!hubd_upload_add_file(self, local, path, error))
			return FALSE;
	}
	return TRUE;
}

static void
hubd_upload_local_thread(GTask *task,
			 gpointer source,
			 gpointer task_data,
			 GCancellable *cancellable)
{
	HubdUpload *self = task_data;
	GError *error = NULL;
	GBytes *readme = NULL;

	if (self->folder != NULL && !hubd_upload_add_folder_files(self, cancellable, &error)) {
		g_task_return_error(task, error);
		return;
	}
	if (!hubd_commit_ops_check_local(self->ops,
					 !self->no_policy,
					 &readme,
					 cancellable,
					 &error)) {
		g_task_return_error(task, error);
		return;
	}
	if (readme != NULL) {
		g_clear_pointer(&self->readme, g_bytes_unref);
		self->readme = readme;
	}
	g_task_return_boolean(task, TRUE);
}

static void
hubd_upload_local_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdUpload *self = user_data;
	GError *error = NULL;

	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		hubd_upload_fail(self, error);
		return;
	}
	if (hubd_upload_n_files(self) == 0 && hubd_commit_ops_get_deletes(self->ops)->len == 0 &&
	    self->delete_patterns == NULL) {
		hubd_upload_fail(self,
				 g_error_new(HUBD_ERROR,
					     HUBD_ERROR_INVALID_ARGUMENT,
					     _("Nothing to upload: no file matched")));
		return;
	}
	if (self->delete_patterns != NULL && self->delete_patterns[0] != NULL) {
		hubd_upload_prepare_list_tree_async(self->api,
						    self->type,
						    self->repo_id,
						    self->revision,
						    self->cancellable,
						    hubd_upload_tree_cb,
						    self);
		return;
	}
	hubd_upload_check_card(self);
}

static void
hubd_upload_prepare_local(HubdUpload *self)
{
	g_autoptr(GTask) task = g_task_new(NULL, self->cancellable, hubd_upload_local_cb, self);

	g_task_set_task_data(task, g_object_ref(self), g_object_unref);
	g_task_run_in_thread(task, hubd_upload_local_thread);
}

static void
hubd_upload_repo_created_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdUpload *self = user_data;
	GError *error = NULL;

	if (!hubd_upload_prepare_create_repo_finish(res, &error)) {
		hubd_upload_fail(self, error);
		return;
	}
	hubd_upload_prepare_local(self);
}

void
hubd_upload_run(HubdUpload *self, HubdJob *job)
{
	g_return_if_fail(HUBD_IS_UPLOAD(self));
	self->job = g_object_ref(job);
	self->cancellable = g_object_ref(hubd_job_get_cancellable(job));
	self->progress = hubd_upload_progress_new(job, self->ops);
	/* the steps hold this reference until the job ends */
	g_object_ref(self);
	hubd_job_set_phase(job, "resolving");
	if (self->create_repo)
		hubd_upload_prepare_create_repo_async(self->api,
						      self->type,
						      self->repo_id,
						      self->private_repo,
						      self->cancellable,
						      hubd_upload_repo_created_cb,
						      self);
	else
		hubd_upload_prepare_local(self);
}
