/* hubd-hub-api-upload.c: HubdHubApi's upload endpoints: preupload, commit, LFS
 *
 * Wire formats follow huggingface_hub's _commit_api.py (_fetch_upload_modes,
 * _send_commit) and lfs.py (post_lfs_batch_info, _upload_multi_part,
 * lfs_upload). The URLs the LFS batch API hands out are used as given.
 * Uses only HubdHubApi's public functions. */
#define G_LOG_DOMAIN "HubdHubApi"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"

#define LFS_JSON "application/vnd.git-lfs+json"
/* huggingface_hub sends the first 512 bytes as the sample */
#define SAMPLE_MAX 512

static gboolean
upload_is_sha256(const gchar *s)
{
	if (s == NULL || strlen(s) != 64)
		return FALSE;
	for (; *s != '\0'; s++) {
		if (!g_ascii_isxdigit(*s))
			return FALSE;
	}
	return TRUE;
}

static gboolean
upload_is_http_url(const gchar *url)
{
	return url != NULL &&
	       (g_str_has_prefix(url, "https://") || g_str_has_prefix(url, "http://"));
}

/* ---- preupload ---- */

/**
 * hubd_hub_api_preupload_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @revision: (nullable): the branch to commit to; %NULL or "" mean "main"
 * @items: (array length=n_items): the files: path in the repo (normalised,
 *   see hubd_path_in_repo_normalize()), first bytes, size
 * @n_items: 1 to %HUBD_HUB_API_PREUPLOAD_MAX
 * @flags: %HUBD_HUB_API_FLAG_CREATE_PR when the commit will open a pull
 *   request
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the upload modes
 * @user_data: for @callback
 *
 * `POST /api/{type}s/{id}/preupload/{rev}[?create_pr=1]` with
 * `{"files": [{"path", "sample" (base64 of up to 512 bytes), "size"}]}`:
 * which files go with LFS, which the repo's `.gitignore` ignores, and what
 * the revision holds at each path. Retried like a read.
 *
 * Since: 0.1
 */
void
hubd_hub_api_preupload_async(HubdHubApi *self,
			     HubdRepoType type,
			     const gchar *repo_id,
			     const gchar *revision,
			     const HubdHubPreuploadItem *items,
			     guint n_items,
			     HubdHubApiFlags flags,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (n_items == 0 || n_items > HUBD_HUB_API_PREUPLOAD_MAX || items == NULL) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_preupload_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("Asked about %u files: one preupload takes 1 to %u"),
					n_items,
					(guint)HUBD_HUB_API_PREUPLOAD_MAX);
		return;
	}
	for (guint i = 0; i < n_items; i++) {
		g_autofree gchar *clean =
			items[i].path != NULL ? hubd_path_in_repo_normalize(items[i].path, &error)
					      : NULL;
		if (clean != NULL && g_strcmp0(clean, items[i].path) == 0)
			continue;
		if (error == NULL)
			error = g_error_new(HUBD_ERROR,
					    HUBD_ERROR_INVALID_ARGUMENT,
					    _("The path in repo “%s” is not normalised"),
					    items[i].path != NULL ? items[i].path : "");
		g_task_report_error(self, callback, user_data, hubd_hub_api_preupload_async, error);
		return;
	}
	path = hubd_hub_api_build_revision_path(type, repo_id, "preupload", revision, NULL, &error);
	if (path == NULL) {
		g_task_report_error(self, callback, user_data, hubd_hub_api_preupload_async, error);
		return;
	}
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "files");
	json_builder_begin_array(b);
	for (guint i = 0; i < n_items; i++) {
		g_autofree gchar *sample =
			g_base64_encode(items[i].sample, MIN(items[i].sample_len, SAMPLE_MAX));
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "path");
		json_builder_add_string_value(b, items[i].path);
		json_builder_set_member_name(b, "sample");
		json_builder_add_string_value(b, sample);
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, (gint64)MIN(items[i].size, (guint64)G_MAXINT64));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	req = hubd_hub_request_new("POST", path);
	if ((flags & HUBD_HUB_API_FLAG_CREATE_PR) != 0)
		hubd_hub_request_add_query(req, "create_pr", "1");
	hubd_hub_request_set_json_body(req, root);
	/* it changes nothing: safe to send again */
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_RETRY |
					   HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN);
	hubd_hub_api_get_parsed_async(self,
				      req,
				      (HubdHubApiParseFunc)hubd_hub_preupload_new_from_json,
				      (GDestroyNotify)hubd_hub_preupload_unref,
				      cancellable,
				      callback,
				      user_data);
}

/**
 * hubd_hub_api_preupload_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): the upload modes
 *
 * Since: 0.1
 */
HubdHubPreupload *
hubd_hub_api_preupload_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_get_parsed_finish(self, result, error);
}

/* ---- commit ---- */

/**
 * hubd_hub_api_commit_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @revision: (nullable): the branch; %NULL or "" mean "main"
 * @flags: %HUBD_HUB_API_FLAG_CREATE_PR to open a pull request against
 *   @revision instead
 * @body_factory: (scope notified): makes the NDJSON body (header line, then
 *   one line per file, LFS file or deletion), afresh for each attempt
 * @body_data: for @body_factory
 * @body_destroy: frees @body_data; called even when nothing is sent
 * @body_length: the body's exact length, or -1
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the commit
 * @user_data: for @callback
 *
 * `POST /api/{type}s/{id}/commit/{rev}[?create_pr=1]` as
 * `application/x-ndjson`, sent once: a retried commit could be made twice.
 * A `parentCommit` that is no longer the branch's head fails with
 * %HUBD_ERROR_CONFLICT.
 *
 * Since: 0.1
 */
void
hubd_hub_api_commit_async(HubdHubApi *self,
			  HubdRepoType type,
			  const gchar *repo_id,
			  const gchar *revision,
			  HubdHubApiFlags flags,
			  HubdHubBodyFactory body_factory,
			  gpointer body_data,
			  GDestroyNotify body_destroy,
			  goffset body_length,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	g_return_if_fail(body_factory != NULL);
	path = hubd_hub_api_build_revision_path(type, repo_id, "commit", revision, NULL, &error);
	if (path == NULL) {
		if (body_destroy != NULL)
			body_destroy(body_data);
		g_task_report_error(self, callback, user_data, hubd_hub_api_commit_async, error);
		return;
	}
	req = hubd_hub_request_new("POST", path);
	if ((flags & HUBD_HUB_API_FLAG_CREATE_PR) != 0)
		hubd_hub_request_add_query(req, "create_pr", "1");
	hubd_hub_request_set_body_stream(req,
					 "application/x-ndjson",
					 body_factory,
					 body_data,
					 body_destroy,
					 body_length);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN);
	hubd_hub_api_get_parsed_async(self,
				      req,
				      (HubdHubApiParseFunc)hubd_hub_commit_info_new_from_json,
				      (GDestroyNotify)hubd_hub_commit_info_unref,
				      cancellable,
				      callback,
				      user_data);
}

/**
 * hubd_hub_api_commit_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): what the commit made
 *
 * Since: 0.1
 */
HubdHubCommitInfo *
hubd_hub_api_commit_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_get_parsed_finish(self, result, error);
}

/* ---- LFS ---- */

static HubdHubRequest *
upload_lfs_request(const gchar *url, JsonBuilder *b, HubdHubRequestFlags flags)
{
	HubdHubRequest *req = hubd_hub_request_new("POST", url);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autofree gchar *text = json_to_string(root, FALSE);
	gsize len = strlen(text);
	g_autoptr(GBytes) body = g_bytes_new_take(g_steal_pointer(&text), len);

	hubd_hub_request_set_body(req, LFS_JSON, body);
	hubd_hub_request_set_header(req, "Accept", LFS_JSON);
	hubd_hub_request_set_flags(req, flags);
	return req;
}

typedef struct {
	HubdHubLfsObjectSpec *objects; /* what was asked, oids copied */
	guint n_objects;
} BatchData;

static void
batch_data_free(BatchData *bd)
{
	for (guint i = 0; i < bd->n_objects; i++)
		g_free((gchar *)bd->objects[i].oid);
	g_free(bd->objects);
	g_free(bd);
}

/* The answer speaks of what was asked only, with the sizes asked. */
static gboolean
upload_batch_check(BatchData *bd, HubdHubLfsBatch *batch, GError **error)
{
	for (guint i = 0; i < batch->objects->len; i++) {
		HubdHubLfsAction *action = g_ptr_array_index(batch->objects, i);
		gboolean asked = FALSE;

		for (guint j = 0; j < bd->n_objects && !asked; j++)
			asked = g_ascii_strcasecmp(bd->objects[j].oid, action->oid) == 0 &&
				(action->error_message != NULL ||
				 bd->objects[j].size == action->size);
		if (!asked) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The LFS batch API answered for an object not asked for: %s"),
				    action->oid);
			return FALSE;
		}
	}
	return TRUE;
}

static void
upload_batch_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	BatchData *bd = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(HubdHubLfsBatch) batch = NULL;

	if (resp != NULL)
		root = hubd_hub_api_parse_response(resp, &error);
	if (root != NULL)
		batch = hubd_hub_lfs_batch_new_from_json(root, &error);
	if (batch == NULL || !upload_batch_check(bd, batch, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task,
			      g_steal_pointer(&batch),
			      (GDestroyNotify)hubd_hub_lfs_batch_unref);
}

/**
 * hubd_hub_api_lfs_batch_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo id
 * @ref_name: (nullable): the branch the objects are for; %NULL when
 *   opening a pull request (so that users who may not write can)
 * @operation: upload or download
 * @objects: (array length=n_objects): SHA-256 and size of each object
 * @n_objects: 1 to %HUBD_HUB_API_LFS_BATCH_MAX
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the actions
 * @user_data: for @callback
 *
 * `POST {endpoint}/{""|datasets/|spaces/}{id}.git/info/lfs/objects/batch`
 * (the Git LFS batch API, with `transfers: ["basic", "multipart"]`): where
 * to send or fetch each object. Retried like a read. An answer about an
 * object not asked for, with URLs that are not web URLs or with multipart
 * parts that do not cover the object is %HUBD_ERROR_SERVER; an object the
 * Hub refuses keeps its error in the result.
 *
 * Since: 0.1
 */
void
hubd_hub_api_lfs_batch_async(HubdHubApi *self,
			     HubdRepoType type,
			     const gchar *repo_id,
			     const gchar *ref_name,
			     HubdHubLfsOperation operation,
			     const HubdHubLfsObjectSpec *objects,
			     guint n_objects,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *check = NULL;
	g_autofree gchar *url = NULL;
	GError *error = NULL;
	BatchData *bd;
	GTask *task;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	/* the type and id, as every other endpoint checks them */
	check = hubd_hub_api_build_repo_path(type, repo_id, NULL, &error);
	if (check == NULL || (ref_name != NULL && ref_name[0] != '\0' &&
			      !hubd_revision_validate(ref_name, &error))) {
		g_task_report_error(self, callback, user_data, hubd_hub_api_lfs_batch_async, error);
		return;
	}
	for (guint i = 0; i < n_objects && objects != NULL; i++) {
		if (!upload_is_sha256(objects[i].oid)) {
			n_objects = 0;
			break;
		}
	}
	if (n_objects == 0 || n_objects > HUBD_HUB_API_LFS_BATCH_MAX || objects == NULL) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_lfs_batch_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("An LFS batch takes 1 to %u objects named by their "
					  "SHA-256"),
					(guint)HUBD_HUB_API_LFS_BATCH_MAX);
		return;
	}
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "operation");
	json_builder_add_string_value(b,
				      operation == HUBD_HUB_LFS_DOWNLOAD ? "download" : "upload");
	json_builder_set_member_name(b, "transfers");
	json_builder_begin_array(b);
	json_builder_add_string_value(b, "basic");
	json_builder_add_string_value(b, "multipart");
	json_builder_end_array(b);
	json_builder_set_member_name(b, "objects");
	json_builder_begin_array(b);
	bd = g_new0(BatchData, 1);
	bd->objects = g_new0(HubdHubLfsObjectSpec, n_objects);
	bd->n_objects = n_objects;
	for (guint i = 0; i < n_objects; i++) {
		bd->objects[i].oid = g_ascii_strdown(objects[i].oid, -1);
		bd->objects[i].size = objects[i].size;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "oid");
		json_builder_add_string_value(b, bd->objects[i].oid);
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, (gint64)MIN(objects[i].size, (guint64)G_MAXINT64));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "hash_algo");
	json_builder_add_string_value(b, "sha256");
	if (ref_name != NULL && ref_name[0] != '\0') {
		json_builder_set_member_name(b, "ref");
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, ref_name);
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
	/* the git side of the Hub: no /api, the web prefix, ".git" */
	url = g_strdup_printf("/%s%s.git/info/lfs/objects/batch",
			      hubd_repo_type_to_url_prefix(type),
			      repo_id);
	req = upload_lfs_request(url,
				 b,
				 HUBD_HUB_REQUEST_FLAG_RETRY |
					 (operation == HUBD_HUB_LFS_UPLOAD
						  ? HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN
						  : HUBD_HUB_REQUEST_FLAG_NONE));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_lfs_batch_async);
	g_task_set_task_data(task, bd, (GDestroyNotify)batch_data_free);
	hubd_hub_api_request_async(self, req, cancellable, upload_batch_cb, task);
}

/**
 * hubd_hub_api_lfs_batch_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): what to do with each object
 *
 * Since: 0.1
 */
HubdHubLfsBatch *
hubd_hub_api_lfs_batch_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
upload_lfs_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);

	if (resp == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

/* POSTs `b` to an href the Hub handed out, as given. */
static void
upload_lfs_post(HubdHubApi *self,
		const gchar *href,
		JsonBuilder *b,
		HubdHubRequestFlags flags,
		GCancellable *cancellable,
		GAsyncReadyCallback callback,
		gpointer user_data,
		gpointer source_tag)
{
	g_autoptr(HubdHubRequest) req = upload_lfs_request(href, b, flags);
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, source_tag);
	hubd_hub_api_request_async(self, req, cancellable, upload_lfs_done_cb, task);
}

/**
 * hubd_hub_api_lfs_verify_async:
 * @self: a #HubdHubApi
 * @verify_href: the `verify` action's URL from the batch answer, used as
 *   given
 * @oid: the object's SHA-256
 * @size: its size
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Confirms a stored object: POST `{"oid", "size"}` with the token (which
 * goes to the Hub's origin only), retried.
 *
 * Since: 0.1
 */
void
hubd_hub_api_lfs_verify_async(HubdHubApi *self,
			      const gchar *verify_href,
			      const gchar *oid,
			      guint64 size,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(JsonBuilder) b = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (!upload_is_http_url(verify_href) || !upload_is_sha256(oid)) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_lfs_verify_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("An LFS verify needs the Hub’s URL and a SHA-256"));
		return;
	}
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "oid");
	json_builder_add_string_value(b, oid);
	json_builder_set_member_name(b, "size");
	json_builder_add_int_value(b, (gint64)MIN(size, (guint64)G_MAXINT64));
	json_builder_end_object(b);
	upload_lfs_post(self,
			verify_href,
			b,
			HUBD_HUB_REQUEST_FLAG_RETRY,
			cancellable,
			callback,
			user_data,
			hubd_hub_api_lfs_verify_async);
}

/**
 * hubd_hub_api_lfs_verify_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: %TRUE when the Hub confirmed the object
 *
 * Since: 0.1
 */
gboolean
hubd_hub_api_lfs_verify_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/**
 * hubd_hub_api_lfs_complete_async:
 * @self: a #HubdHubApi
 * @upload_href: the multipart `upload` action's URL from the batch answer,
 *   used as given
 * @oid: the object's SHA-256
 * @etags: (array zero-terminated=1): each part's `ETag`, verbatim, part 1
 *   first
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Completes a multipart upload: POST `{"oid", "parts": [{"partNumber",
 * "etag"}]}` without the token (as both official clients), retried.
 *
 * Since: 0.1
 */
void
hubd_hub_api_lfs_complete_async(HubdHubApi *self,
				const gchar *upload_href,
				const gchar *oid,
				const gchar *const *etags,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(JsonBuilder) b = NULL;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (!upload_is_http_url(upload_href) || !upload_is_sha256(oid) || etags == NULL ||
	    etags[0] == NULL) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_lfs_complete_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("An LFS completion needs the Hub’s URL, a SHA-256 and "
					  "the parts’ ETags"));
		return;
	}
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "oid");
	json_builder_add_string_value(b, oid);
	json_builder_set_member_name(b, "parts");
	json_builder_begin_array(b);
	for (guint i = 0; etags[i] != NULL; i++) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "partNumber");
		json_builder_add_int_value(b, i + 1);
		json_builder_set_member_name(b, "etag");
		json_builder_add_string_value(b, etags[i]);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	upload_lfs_post(self,
			upload_href,
			b,
			HUBD_HUB_REQUEST_FLAG_ANONYMOUS | HUBD_HUB_REQUEST_FLAG_RETRY,
			cancellable,
			callback,
			user_data,
			hubd_hub_api_lfs_complete_async);
}

/**
 * hubd_hub_api_lfs_complete_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: %TRUE when the Hub assembled the object
 *
 * Since: 0.1
 */
gboolean
hubd_hub_api_lfs_complete_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}
