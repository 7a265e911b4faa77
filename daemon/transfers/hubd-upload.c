/* hubd-upload.c: HubdUpload — one upload or commit as a job (hub-protocol
 * §4.1): create the repo, prepare (folder walk, policy, deletions, card: see
 * hubd-upload-prepare.c), hash, preupload in batches of 256, LFS objects
 * (hubd-lfs.c), one streamed NDJSON commit (hubd-commit.c). */
#define G_LOG_DOMAIN "HubdUpload"

#include "hubd-upload.h"

#include <fnmatch.h>
#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-json.h"
#include "hubd-lfs.h"
#include "hubd-policy.h"
#include "hubd-upload-private.h"

#define PREUPLOAD_BATCH 256
#define HASH_PARALLEL   4

G_DEFINE_TYPE(HubdUpload, hubd_upload, G_TYPE_OBJECT)

void
hubd_upload_add_free(HubdUploadAdd *add)
{
	g_free(add->local_path);
	g_free(add->path);
	g_clear_pointer(&add->progress, hubd_file_progress_unref);
	g_free(add);
}

void
hubd_upload_delete_free(HubdUploadDelete *del)
{
	g_free(del->path);
	g_free(del);
}

void
hubd_upload_copy_free(HubdUploadCopy *copy)
{
	g_free(copy->src_path);
	g_free(copy->src_revision);
	g_free(copy->path);
	g_free(copy);
}

static void
hubd_upload_finalize(GObject *object)
{
	HubdUpload *self = HUBD_UPLOAD(object);

	g_clear_handle_id(&self->progress_id, g_source_remove);
	g_clear_object(&self->client);
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
	g_ptr_array_unref(self->adds);
	g_ptr_array_unref(self->deletes);
	g_ptr_array_unref(self->copies);
	g_clear_pointer(&self->readme, g_bytes_unref);
	g_free(self->head_oid);
	g_clear_pointer(&self->payload, hubd_commit_payload_unref);
	g_clear_error(&self->error);
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
	self->adds = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_upload_add_free);
	self->deletes = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_upload_delete_free);
	self->copies = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_upload_copy_free);
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
hubd_upload_new(HubdDaemon *daemon,
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
	self->daemon = daemon;
	self->client = g_object_ref(hubd_daemon_get_hub_client(daemon));
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
	g_autofree gchar *path = NULL;
	HubdUploadAdd *add;

	if (!hubd_upload_check_local(local_path, error))
		return FALSE;
	path = hubd_path_in_repo_normalize(path_in_repo, error);
	if (path == NULL)
		return FALSE;
	add = g_new0(HubdUploadAdd, 1);
	add->local_path = g_strdup(local_path);
	add->path = g_steal_pointer(&path);
	g_ptr_array_add(self->adds, add);
	return TRUE;
}

gboolean
hubd_upload_add_delete(HubdUpload *self,
		       const gchar *path_in_repo,
		       gboolean is_folder,
		       GError **error)
{
	g_autofree gchar *trimmed = g_strdup(path_in_repo != NULL ? path_in_repo : "");
	g_autofree gchar *path = NULL;
	HubdUploadDelete *del;

	/* "dir/" names a folder */
	if (g_str_has_suffix(trimmed, "/")) {
		is_folder = TRUE;
		trimmed[strlen(trimmed) - 1] = '\0';
	}
	path = hubd_path_in_repo_normalize(trimmed, error);
	if (path == NULL)
		return FALSE;
	del = g_new0(HubdUploadDelete, 1);
	del->path = g_steal_pointer(&path);
	del->is_folder = is_folder;
	g_ptr_array_add(self->deletes, del);
	return TRUE;
}

gboolean
hubd_upload_add_copy(HubdUpload *self,
		     const gchar *src_path,
		     const gchar *src_revision,
		     const gchar *path_in_repo,
		     GError **error)
{
	g_autofree gchar *src = hubd_path_in_repo_normalize(src_path, error);
	g_autofree gchar *dst = NULL;
	HubdUploadCopy *copy;

	if (src == NULL)
		return FALSE;
	dst = hubd_path_in_repo_normalize(path_in_repo, error);
	if (dst == NULL)
		return FALSE;
	if (src_revision != NULL && src_revision[0] != '\0' &&
	    !hubd_revision_validate(src_revision, error))
		return FALSE;
	copy = g_new0(HubdUploadCopy, 1);
	copy->src_path = g_steal_pointer(&src);
	copy->src_revision = g_strdup(
		src_revision != NULL && src_revision[0] != '\0' ? src_revision : self->revision);
	copy->path = g_steal_pointer(&dst);
	g_ptr_array_add(self->copies, copy);
	return TRUE;
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
	g_clear_handle_id(&self->progress_id, g_source_remove);
	hubd_job_fail(self->job, error);
	g_object_unref(self);
}

static gchar *
hubd_upload_commit_url(HubdUpload *self, const gchar *oid)
{
	return g_strdup_printf("%s/%s%s/commit/%s",
			       hubd_hub_client_get_endpoint(self->client),
			       hubd_repo_type_to_url_prefix(self->type),
			       self->repo_id,
			       oid);
}

static void
hubd_upload_complete(HubdUpload *self, const gchar *oid, const gchar *url, const gchar *pr_url)
{
	g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autofree gchar *fallback = url == NULL ? hubd_upload_commit_url(self, oid) : NULL;

	hubd_upload_progress_sync(self);
	g_clear_handle_id(&self->progress_id, g_source_remove);
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

/* ---- commit ---- */

static void
hubd_upload_committed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdUpload *self = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) root = hubd_commit_send_finish(res, &error);
	JsonObject *obj;
	const gchar *oid;

	if (root == NULL) {
		hubd_upload_fail(self, error);
		return;
	}
	obj = json_node_get_object(root);
	oid = json_object_get_string_member_with_default(obj, "commitOid", NULL);
	if (oid == NULL) {
		hubd_upload_fail(self,
				 g_error_new(HUBD_ERROR,
					     HUBD_ERROR_SERVER,
					     _("The Hub's commit answer has no commitOid")));
		return;
	}
	hubd_job_add_files(self->job, self->adds->len + self->copies->len);
	hubd_upload_complete(
		self,
		oid,
		json_object_get_string_member_with_default(obj, "commitUrl", NULL),
		json_object_get_string_member_with_default(obj, "pullRequestUrl", NULL));
}

static gchar *
hubd_upload_default_message(HubdUpload *self)
{
	if (self->folder != NULL)
		return g_strdup(_("Upload folder using hubd"));
	if (self->adds->len == 1 && self->deletes->len == 0 && self->copies->len == 0)
		return g_strdup_printf(_("Upload %s with hubd"),
				       ((HubdUploadAdd *)g_ptr_array_index(self->adds, 0))->path);
	if (self->adds->len == 0 && self->copies->len == 0 && self->deletes->len == 1)
		return g_strdup_printf(
			_("Delete %s with hubd"),
			((HubdUploadDelete *)g_ptr_array_index(self->deletes, 0))->path);
	return g_strdup(_("Commit with hubd"));
}

static void
hubd_upload_copies_done(HubdUpload *self, GError *error)
{
	if (error != NULL) {
		hubd_upload_fail(self, error);
		return;
	}
	for (guint i = 0; i < self->deletes->len; i++) {
		HubdUploadDelete *del = g_ptr_array_index(self->deletes, i);
		hubd_commit_payload_add_delete(self->payload, del->path, del->is_folder);
	}
	for (guint i = 0; i < self->adds->len; i++) {
		HubdUploadAdd *add = g_ptr_array_index(self->adds, i);

		if (add->noop || add->ignore)
			continue;
		if (add->lfs) {
			hubd_commit_payload_add_lfs(self->payload,
						    add->path,
						    add->hash.sha256,
						    add->hash.size);
		} else {
			hubd_commit_payload_add_file(self->payload,
						     add->path,
						     add->local_path,
						     add->hash.size,
						     add->progress);
		}
	}
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
		hubd_job_add_files(self->job, self->adds->len + self->copies->len);
		hubd_upload_complete(self,
				     self->head_oid != NULL ? self->head_oid : "",
				     NULL,
				     NULL);
		return;
	}
	hubd_upload_phase(self, "committing", FALSE, 0);
	hubd_commit_send_async(self->client,
			       self->type,
			       self->repo_id,
			       self->revision,
			       self->create_pr,
			       self->payload,
			       &self->counter,
			       self->cancellable,
			       hubd_upload_committed_cb,
			       self);
}

static void
hubd_upload_build_payload(HubdUpload *self)
{
	g_autofree gchar *message =
		self->message != NULL ? g_strdup(self->message) : hubd_upload_default_message(self);
	g_autofree gchar *description = NULL;

	if (self->no_policy) {
		const gchar *d = self->description != NULL ? self->description : "";
		description = d[0] != '\0' ? g_strconcat(d, "\n\n", HUBD_POLICY_OVERRIDE_NOTE, NULL)
					   : g_strdup(HUBD_POLICY_OVERRIDE_NOTE);
	} else {
		description = g_strdup(self->description);
	}
	self->payload = hubd_commit_payload_new(message, description, self->parent_commit);
	hubd_upload_resolve_copies(self, hubd_upload_copies_done);
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
	g_autoptr(GArray) objects = g_array_new(FALSE, TRUE, sizeof(HubdLfsObject));
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	guint64 total = 0;

	for (guint i = 0; i < self->adds->len; i++) {
		HubdUploadAdd *add = g_ptr_array_index(self->adds, i);

		if (add->noop || add->ignore)
			continue;
		/* regular files are sent within the commit */
		if (!add->lfs || g_hash_table_add(seen, add->hash.sha256))
			total += add->hash.size;
	}
	hubd_upload_phase(self, "uploading", TRUE, total);
	g_hash_table_remove_all(seen);
	for (guint i = 0; i < self->adds->len; i++) {
		HubdUploadAdd *add = g_ptr_array_index(self->adds, i);
		HubdLfsObject obj = {0};

		if (add->noop || add->ignore)
			continue;
		/* skipped files get none: they never show in Files */
		add->progress = hubd_file_progress_new();
		add->progress->total = add->hash.size;
		if (!add->lfs || !g_hash_table_add(seen, add->hash.sha256))
			continue;
		obj.local_path = add->local_path; /* copied by hubd_lfs_upload_async */
		memcpy(obj.sha256, add->hash.sha256, sizeof(obj.sha256));
		obj.size = add->hash.size;
		obj.progress = add->progress; /* referenced by hubd_lfs_upload_async */
		g_array_append_val(objects, obj);
	}
	hubd_lfs_upload_async(self->client,
			      self->type,
			      self->repo_id,
			      self->create_pr ? NULL : self->revision,
			      (const HubdLfsObject *)(gpointer)objects->data,
			      objects->len,
			      &self->counter,
			      self->cancellable,
			      hubd_upload_lfs_cb,
			      self);
}

/* ---- preupload ---- */

static void
hubd_upload_preupload_batch(HubdUpload *self);

static HubdUploadAdd *
hubd_upload_find_add(HubdUpload *self, const gchar *path)
{
	for (guint i = 0; i < self->adds->len; i++) {
		HubdUploadAdd *add = g_ptr_array_index(self->adds, i);
		if (g_strcmp0(add->path, path) == 0)
			return add;
	}
	return NULL;
}

static void
hubd_upload_preupload_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdUpload *self = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);
	g_autoptr(JsonNode) root = NULL;
	JsonArray *files = NULL;

	if (resp != NULL)
		root = hubd_lfs_parse_response(resp, &error);
	if (root != NULL && JSON_NODE_HOLDS_OBJECT(root)) {
		JsonObject *obj = json_node_get_object(root);
		const gchar *head =
			json_object_get_string_member_with_default(obj, "commitOid", NULL);

		files = hubd_json_get_array(obj, "files");
		if (head != NULL && self->head_oid == NULL)
			self->head_oid = g_strdup(head);
	}
	if (root != NULL && files == NULL)
		error = g_error_new(HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The Hub's preupload answer has no files"));
	if (error != NULL) {
		hubd_upload_fail(self, error);
		return;
	}
	for (guint i = 0; i < json_array_get_length(files); i++) {
		JsonNode *node = json_array_get_element(files, i);
		JsonObject *f = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
		HubdUploadAdd *add =
			f != NULL
				? hubd_upload_find_add(
					  self,
					  json_object_get_string_member_with_default(f, "path", ""))
				: NULL;
		const gchar *mode;
		const gchar *oid;

		if (add == NULL)
			continue;
		mode = json_object_get_string_member_with_default(f, "uploadMode", "regular");
		oid = json_object_get_string_member_with_default(f, "oid", NULL);
		/* empty files are always regular; big ones always LFS (policy) */
		add->lfs = add->hash.size > 0 && (g_strcmp0(mode, "lfs") == 0 ||
						  add->hash.size > HUBD_POLICY_LFS_THRESHOLD);
		add->ignore = json_object_get_boolean_member_with_default(f, "shouldIgnore", FALSE);
		if (oid != NULL)
			add->noop = g_ascii_strcasecmp(oid,
						       add->lfs ? add->hash.sha256
								: add->hash.git_sha1) == 0;
	}
	hubd_upload_preupload_batch(self);
}

static void
hubd_upload_preupload_batch(HubdUpload *self)
{
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *rev = NULL;
	g_autofree gchar *path = NULL;
	guint end;

	if (self->preupload_next >= self->adds->len) {
		hubd_upload_send_lfs(self);
		return;
	}
	end = MIN(self->preupload_next + PREUPLOAD_BATCH, self->adds->len);
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "files");
	json_builder_begin_array(b);
	for (guint i = self->preupload_next; i < end; i++) {
		HubdUploadAdd *add = g_ptr_array_index(self->adds, i);
		g_autofree gchar *sample = g_base64_encode(add->hash.sample, add->hash.sample_len);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "path");
		json_builder_add_string_value(b, add->path);
		json_builder_set_member_name(b, "sample");
		json_builder_add_string_value(b, sample);
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, (gint64)add->hash.size);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	self->preupload_next = end;
	rev = g_uri_escape_string(self->revision, NULL, FALSE);
	path = g_strdup_printf("/api/%s/%s/preupload/%s",
			       hubd_repo_type_to_api_plural(self->type),
			       self->repo_id,
			       rev);
	req = hubd_hub_request_new("POST", path);
	if (self->create_pr)
		hubd_hub_request_add_query(req, "create_pr", "1");
	root = json_builder_get_root(b);
	hubd_hub_request_set_json_body(req, root);
	hubd_hub_request_set_header(req, "Accept", "application/json");
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_RETRY |
					   HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN);
	hubd_hub_client_request_async(self->client,
				      req,
				      self->cancellable,
				      hubd_upload_preupload_cb,
				      self);
}

/* ---- hashing ---- */

static void
hubd_upload_hash_next(HubdUpload *self);

typedef struct {
	HubdUpload *self;
	HubdUploadAdd *add;
	HubdFileProgress *progress;
} HashData;

static void
hubd_upload_hash_progress(guint64 bytes_delta, gpointer user_data)
{
	HashData *hd = user_data;

	__atomic_add_fetch(&hd->self->counter, (gint64)bytes_delta, __ATOMIC_RELAXED);
	__atomic_add_fetch(&hd->progress->bytes, (gint64)bytes_delta, __ATOMIC_RELAXED);
}

static void
hubd_upload_hashed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HashData *hd = user_data;
	HubdUpload *self = hd->self;
	GError *error = NULL;

	self->running--;
	__atomic_sub_fetch(&hd->progress->active, 1, __ATOMIC_RELAXED);
	hubd_file_progress_unref(hd->progress);
	if (!hubd_hash_file_finish(res, &hd->add->hash, &error)) {
		if (self->error == NULL)
			self->error = error;
		else
			g_error_free(error);
		g_cancellable_cancel(self->cancellable);
	}
	g_free(hd);
	hubd_upload_hash_next(self);
}

/* files above the LFS threshold always go LFS: their git SHA-1 is never
 * used, and skipping it saves a third of the hashing time */
static HubdHashFlags
hubd_upload_hash_flags(HubdUploadAdd *add)
{
	if (add->local_size > HUBD_POLICY_LFS_THRESHOLD)
		return HUBD_HASH_SHA256;
	return HUBD_HASH_SHA256 | HUBD_HASH_GIT_SHA1;
}

static void
hubd_upload_hash_next(HubdUpload *self)
{
	while (self->error == NULL && self->running < HASH_PARALLEL &&
	       self->next < self->adds->len) {
		HashData *hd = g_new0(HashData, 1);

		hd->self = self;
		hd->add = g_ptr_array_index(self->adds, self->next++);
		/* listed in Files while it is hashed */
		g_clear_pointer(&hd->add->progress, hubd_file_progress_unref);
		hd->add->progress = hubd_file_progress_new();
		hd->add->progress->total = hd->add->local_size;
		hd->add->progress->active = 1;
		hd->progress = hubd_file_progress_ref(hd->add->progress);
		self->running++;
		hubd_hash_file_async(hd->add->local_path,
				     hubd_upload_hash_flags(hd->add),
				     hubd_upload_hash_progress,
				     hd,
				     self->cancellable,
				     hubd_upload_hashed_cb,
				     hd);
	}
	if (self->running > 0)
		return;
	if (self->error != NULL) {
		hubd_upload_fail(self, g_steal_pointer(&self->error));
		return;
	}
	hubd_upload_preupload_batch(self);
}

static void
hubd_upload_remote_done(HubdUpload *self, GError *error)
{
	guint64 total = 0;

	if (error != NULL) {
		hubd_upload_fail(self, error);
		return;
	}
	for (guint i = 0; i < self->adds->len; i++)
		total += ((HubdUploadAdd *)g_ptr_array_index(self->adds, i))->local_size;
	hubd_upload_phase(self, "hashing", TRUE, total);
	self->next = 0;
	hubd_upload_hash_next(self);
}

static void
hubd_upload_local_done(HubdUpload *self, GError *error)
{
	if (error != NULL) {
		hubd_upload_fail(self, error);
		return;
	}
	if (self->adds->len == 0 && self->deletes->len == 0 && self->copies->len == 0 &&
	    self->delete_patterns == NULL) {
		hubd_upload_fail(self,
				 g_error_new(HUBD_ERROR,
					     HUBD_ERROR_INVALID_ARGUMENT,
					     _("Nothing to upload: no file matched")));
		return;
	}
	hubd_upload_prepare_remote(self, hubd_upload_remote_done);
}

static void
hubd_upload_repo_ready(HubdUpload *self, GError *error)
{
	if (error != NULL) {
		hubd_upload_fail(self, error);
		return;
	}
	hubd_upload_prepare_local(self, hubd_upload_local_done);
}

void
hubd_upload_run(HubdUpload *self, HubdJob *job)
{
	g_return_if_fail(HUBD_IS_UPLOAD(self));
	self->job = g_object_ref(job);
	self->cancellable = g_object_ref(hubd_job_get_cancellable(job));
	self->progress_id = g_timeout_add(100, hubd_upload_progress_cb, self);
	/* the steps hold this reference until the job ends */
	g_object_ref(self);
	hubd_job_set_phase(job, "resolving");
	if (self->create_repo)
		hubd_upload_create_repo(self, hubd_upload_repo_ready);
	else
		hubd_upload_repo_ready(self, NULL);
}
