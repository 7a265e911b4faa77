/* hubd-upload-prepare.c: what an upload looks up before it sends — the
 * local folder walk, creating the repo, the remote tree (for deletions by
 * pattern), the README.md the card rule needs, resolving copies and
 * preupload in batches of 256 (hub-protocol §4.1, §4.2, §4.7) */
#define G_LOG_DOMAIN "HubdUpload"

#include "hubd-upload-prepare.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-error-map.h"
#include "hubd-json.h"
#include "hubd-lfs.h"
#include "hubd-policy.h"

#define PREUPLOAD_BATCH 256

/* the state of one step, the data of its task */
typedef struct {
	HubdHubClient *client;
	HubdRepoType type;
	gchar *repo_id;
	gchar *revision;
	gboolean create_pr;
	HubdCommitOps *ops;
	HubdCommitPayload *payload;
	GBytes *readme;
	GPtrArray *items; /* tree listing: paths */
	gchar *next_url;
	guint index;     /* the next copy to resolve, or add to preupload */
	gchar *head_oid; /* from preupload */
} Step;

static void
step_free(Step *step)
{
	g_object_unref(step->client);
	g_free(step->repo_id);
	g_free(step->revision);
	g_clear_pointer(&step->ops, hubd_commit_ops_unref);
	g_clear_pointer(&step->payload, hubd_commit_payload_unref);
	g_clear_pointer(&step->readme, g_bytes_unref);
	g_clear_pointer(&step->items, g_ptr_array_unref);
	g_free(step->next_url);
	g_free(step->head_oid);
	g_free(step);
}

/* The state of a step of `task` (whose source object is the client). */
static Step *
step_new(GTask *task, HubdRepoType type, const gchar *repo_id, gpointer source_tag)
{
	Step *step = g_new0(Step, 1);

	g_task_set_source_tag(task, source_tag);
	/* what the step ended with, even when a cancel came meanwhile */
	g_task_set_check_cancellable(task, FALSE);
	step->client = g_object_ref(g_task_get_source_object(task));
	step->type = type;
	step->repo_id = g_strdup(repo_id);
	g_task_set_task_data(task, step, (GDestroyNotify)step_free);
	return step;
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
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);

	/* 409: it exists already, which is fine (exist_ok) */
	if (resp != NULL && hubd_hub_response_get_status(resp) >= 400 &&
	    hubd_hub_response_get_status(resp) != 409)
		error = error_from_response(resp);
	step_finish(task, error);
}

void
hubd_upload_prepare_create_repo_async(HubdHubClient *client,
				      HubdRepoType type,
				      const gchar *repo_id,
				      gboolean private_repo,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	GTask *task = g_task_new(client, cancellable, callback, user_data);
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("POST", "/api/repos/create");
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_auto(GStrv) parts = g_strsplit(repo_id, "/", 2);

	step_new(task, type, repo_id, hubd_upload_prepare_create_repo_async);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, parts[1] != NULL ? parts[1] : parts[0]);
	json_builder_set_member_name(b, "organization");
	if (parts[1] != NULL)
		json_builder_add_string_value(b, parts[0]);
	else
		json_builder_add_null_value(b);
	if (type != HUBD_REPO_TYPE_MODEL) {
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, hubd_repo_type_to_string(type));
	}
	if (type == HUBD_REPO_TYPE_SPACE) {
		/* as `hf upload` */
		json_builder_set_member_name(b, "sdk");
		json_builder_add_string_value(b, "gradio");
	}
	json_builder_set_member_name(b, "private");
	json_builder_add_boolean_value(b, private_repo);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	hubd_hub_request_set_json_body(req, root);
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN |
					   HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR);
	hubd_hub_client_request_async(client, req, cancellable, create_repo_cb, task);
}

gboolean
hubd_upload_prepare_create_repo_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- the remote tree ---- */

static void
tree_page(GTask *task);

static gchar *
next_link(SoupMessageHeaders *headers)
{
	const gchar *link = soup_message_headers_get_one(headers, "Link");
	const gchar *lt;
	const gchar *gt;

	if (link == NULL || strstr(link, "rel=\"next\"") == NULL)
		return NULL;
	lt = strchr(link, '<');
	gt = lt != NULL ? strchr(lt, '>') : NULL;
	return gt != NULL ? g_strndup(lt + 1, (gsize)(gt - lt - 1)) : NULL;
}

static void
tree_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Step *step = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);
	g_autoptr(JsonNode) root = NULL;

	if (resp != NULL)
		root = hubd_lfs_parse_response(resp, &error);
	if (root == NULL) {
		step_finish(task, error);
		return;
	}
	if (JSON_NODE_HOLDS_ARRAY(root)) {
		JsonArray *arr = json_node_get_array(root);
		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonNode *n = json_array_get_element(arr, i);
			JsonObject *o = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
			if (o != NULL &&
			    g_strcmp0(json_object_get_string_member_with_default(o, "type", ""),
				      "file") == 0)
				g_ptr_array_add(
					step->items,
					g_strdup(json_object_get_string_member_with_default(o,
											    "path",
											    "")));
		}
	}
	g_free(step->next_url);
	step->next_url = next_link(hubd_hub_response_get_headers(resp));
	if (step->next_url != NULL)
		tree_page(task);
	else
		step_finish(task, NULL);
}

static void
tree_page(GTask *task)
{
	Step *step = g_task_get_task_data(task);
	g_autoptr(HubdHubRequest) req = NULL;

	if (step->next_url != NULL) {
		req = hubd_hub_request_new("GET", step->next_url);
	} else {
		g_autofree gchar *rev = g_uri_escape_string(step->revision, NULL, FALSE);
		g_autofree gchar *path = g_strdup_printf("/api/%s/%s/tree/%s",
							 hubd_repo_type_to_api_plural(step->type),
							 step->repo_id,
							 rev);
		req = hubd_hub_request_new("GET", path);
		hubd_hub_request_add_query(req, "recursive", "true");
	}
	hubd_hub_request_set_header(req, "Accept", "application/json");
	hubd_hub_client_request_async(step->client,
				      req,
				      g_task_get_cancellable(task),
				      tree_cb,
				      task);
}

void
hubd_upload_prepare_list_tree_async(HubdHubClient *client,
				    HubdRepoType type,
				    const gchar *repo_id,
				    const gchar *revision,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	GTask *task = g_task_new(client, cancellable, callback, user_data);
	Step *step = step_new(task, type, repo_id, hubd_upload_prepare_list_tree_async);

	step->revision = g_strdup(revision);
	step->items = g_ptr_array_new_with_free_func(g_free);
	tree_page(task);
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
	step_finish(task, NULL);
}

static void
readme_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Step *step = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);
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
hubd_upload_prepare_check_card_async(HubdHubClient *client,
				     HubdRepoType type,
				     const gchar *repo_id,
				     const gchar *revision,
				     HubdCommitOps *ops,
				     GBytes *readme,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	GTask *task = g_task_new(client, cancellable, callback, user_data);
	Step *step = step_new(task, type, repo_id, hubd_upload_prepare_check_card_async);
	g_autofree gchar *url = NULL;
	g_autoptr(HubdHubRequest) req = NULL;

	if (readme != NULL || hubd_commit_ops_deletes_file(ops, "README.md")) {
		step->readme = readme != NULL ? g_bytes_ref(readme) : NULL;
		card_check(task);
		return;
	}
	url = hubd_hub_url(hubd_hub_client_get_endpoint(client),
			   type,
			   repo_id,
			   "README.md",
			   revision);
	req = hubd_hub_request_new("GET", url);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR);
	hubd_hub_client_request_async(client, req, cancellable, readme_cb, task);
}

gboolean
hubd_upload_prepare_check_card_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- copies ---- */

static void
copy_next(GTask *task);

static void
copy_content_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Step *step = g_task_get_task_data(task);
	HubdCommitCopy *copy =
		g_ptr_array_index(hubd_commit_ops_get_copies(step->ops), step->index - 1);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);

	if (resp == NULL) {
		step_finish(task, error);
		return;
	}
	hubd_commit_payload_add_file_bytes(step->payload,
					   copy->path,
					   hubd_hub_response_get_body(resp));
	copy_next(task);
}

static void
copy_info_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Step *step = g_task_get_task_data(task);
	HubdCommitCopy *copy =
		g_ptr_array_index(hubd_commit_ops_get_copies(step->ops), step->index - 1);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);
	g_autoptr(JsonNode) root = NULL;
	JsonObject *entry = NULL;
	JsonObject *lfs;
	g_autofree gchar *url = NULL;
	g_autoptr(HubdHubRequest) req = NULL;

	if (resp != NULL)
		root = hubd_lfs_parse_response(resp, &error);
	if (root == NULL) {
		step_finish(task, error);
		return;
	}
	if (JSON_NODE_HOLDS_ARRAY(root) && json_array_get_length(json_node_get_array(root)) > 0) {
		JsonNode *n = json_array_get_element(json_node_get_array(root), 0);
		entry = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
	}
	if (entry == NULL ||
	    g_strcmp0(json_object_get_string_member_with_default(entry, "type", "file"), "file") !=
		    0) {
		step_finish(task,
			    g_error_new(HUBD_ERROR,
					HUBD_ERROR_ENTRY_NOT_FOUND,
					_("Cannot copy %s: no such file at revision %s"),
					copy->src_path,
					copy->src_revision));
		return;
	}
	lfs = hubd_json_get_object(entry, "lfs");
	if (lfs != NULL) {
		/* an LFS source is referenced, not uploaded again */
		hubd_commit_payload_add_lfs(
			step->payload,
			copy->path,
			json_object_get_string_member_with_default(lfs, "oid", ""),
			(guint64)json_object_get_int_member_with_default(lfs, "size", 0));
		copy_next(task);
		return;
	}
	url = hubd_hub_url(hubd_hub_client_get_endpoint(step->client),
			   step->type,
			   step->repo_id,
			   copy->src_path,
			   copy->src_revision);
	req = hubd_hub_request_new("GET", url);
	hubd_hub_client_request_async(step->client,
				      req,
				      g_task_get_cancellable(task),
				      copy_content_cb,
				      task);
}

static void
copy_next(GTask *task)
{
	Step *step = g_task_get_task_data(task);
	GPtrArray *copies = hubd_commit_ops_get_copies(step->ops);
	HubdCommitCopy *copy;
	g_autofree gchar *rev = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) root = NULL;

	if (step->index >= copies->len) {
		step_finish(task, NULL);
		return;
	}
	copy = g_ptr_array_index(copies, step->index++);
	rev = g_uri_escape_string(copy->src_revision, NULL, FALSE);
	path = g_strdup_printf("/api/%s/%s/paths-info/%s",
			       hubd_repo_type_to_api_plural(step->type),
			       step->repo_id,
			       rev);
	req = hubd_hub_request_new("POST", path);
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "paths");
	json_builder_begin_array(b);
	json_builder_add_string_value(b, copy->src_path);
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	hubd_hub_request_set_json_body(req, root);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_RETRY);
	hubd_hub_client_request_async(step->client,
				      req,
				      g_task_get_cancellable(task),
				      copy_info_cb,
				      task);
}

void
hubd_upload_prepare_copies_async(HubdHubClient *client,
				 HubdRepoType type,
				 const gchar *repo_id,
				 HubdCommitOps *ops,
				 HubdCommitPayload *payload,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	GTask *task = g_task_new(client, cancellable, callback, user_data);
	Step *step = step_new(task, type, repo_id, hubd_upload_prepare_copies_async);

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
		if (head != NULL && step->head_oid == NULL)
			step->head_oid = g_strdup(head);
	}
	if (root != NULL && files == NULL)
		error = g_error_new(HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The Hub's preupload answer has no files"));
	if (error != NULL) {
		step_finish(task, error);
		return;
	}
	for (guint i = 0; i < json_array_get_length(files); i++) {
		JsonNode *node = json_array_get_element(files, i);
		JsonObject *f = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
		HubdCommitAdd *add =
			f != NULL
				? hubd_commit_ops_find_add(
					  step->ops,
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
	preupload_batch(task);
}

static void
preupload_batch(GTask *task)
{
	Step *step = g_task_get_task_data(task);
	GPtrArray *adds = hubd_commit_ops_get_adds(step->ops);
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *rev = NULL;
	g_autofree gchar *path = NULL;
	guint end;

	if (step->index >= adds->len) {
		step_finish(task, NULL);
		return;
	}
	end = MIN(step->index + PREUPLOAD_BATCH, adds->len);
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "files");
	json_builder_begin_array(b);
	for (guint i = step->index; i < end; i++) {
		HubdCommitAdd *add = g_ptr_array_index(adds, i);
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
	step->index = end;
	rev = g_uri_escape_string(step->revision, NULL, FALSE);
	path = g_strdup_printf("/api/%s/%s/preupload/%s",
			       hubd_repo_type_to_api_plural(step->type),
			       step->repo_id,
			       rev);
	req = hubd_hub_request_new("POST", path);
	if (step->create_pr)
		hubd_hub_request_add_query(req, "create_pr", "1");
	root = json_builder_get_root(b);
	hubd_hub_request_set_json_body(req, root);
	hubd_hub_request_set_header(req, "Accept", "application/json");
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_RETRY |
					   HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN);
	hubd_hub_client_request_async(step->client,
				      req,
				      g_task_get_cancellable(task),
				      preupload_cb,
				      task);
}

void
hubd_upload_prepare_preupload_async(HubdHubClient *client,
				    HubdRepoType type,
				    const gchar *repo_id,
				    const gchar *revision,
				    gboolean create_pr,
				    HubdCommitOps *ops,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	GTask *task = g_task_new(client, cancellable, callback, user_data);
	Step *step = step_new(task, type, repo_id, hubd_upload_prepare_preupload_async);

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
