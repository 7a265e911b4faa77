/* hubd-upload-prepare.c: HubdUpload's preparation steps — creating the repo,
 * walking a folder, the publishing policy (secrets in a thread, the card rule
 * on the README.md the repo will have), remote deletions by pattern, and
 * resolving copies (hub-protocol §4.1, §4.7) */
#define G_LOG_DOMAIN "HubdUpload"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hubd-error.h"
#include "hubd-hub-error-map.h"
#include "hubd-json.h"
#include "hubd-lfs.h"
#include "hubd-policy.h"
#include "hubd-upload-private.h"

#define MAX_README_SIZE (16 * 1024 * 1024)

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

typedef struct {
	HubdUpload *self;
	HubdUploadStepDone done;
	GPtrArray *items; /* tree listing: paths */
	gchar *next_url;
	guint index;
} Step;

static Step *
step_new(HubdUpload *self, HubdUploadStepDone done)
{
	Step *step = g_new0(Step, 1);

	step->self = self;
	step->done = done;
	return step;
}

static void
step_finish(Step *step, GError *error)
{
	HubdUpload *self = step->self;
	HubdUploadStepDone done = step->done;

	g_clear_pointer(&step->items, g_ptr_array_unref);
	g_free(step->next_url);
	g_free(step);
	done(self, error);
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

/* ---- create the repo ---- */

static void
create_repo_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Step *step = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);

	/* 409: it exists already, which is fine (exist_ok) */
	if (resp != NULL && hubd_hub_response_get_status(resp) >= 400 &&
	    hubd_hub_response_get_status(resp) != 409)
		error = error_from_response(resp);
	step_finish(step, error);
}

void
hubd_upload_create_repo(HubdUpload *self, HubdUploadStepDone done)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("POST", "/api/repos/create");
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_auto(GStrv) parts = g_strsplit(self->repo_id, "/", 2);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, parts[1] != NULL ? parts[1] : parts[0]);
	json_builder_set_member_name(b, "organization");
	if (parts[1] != NULL)
		json_builder_add_string_value(b, parts[0]);
	else
		json_builder_add_null_value(b);
	if (self->type != HUBD_REPO_TYPE_MODEL) {
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, hubd_repo_type_to_string(self->type));
	}
	if (self->type == HUBD_REPO_TYPE_SPACE) {
		/* as `hf upload` */
		json_builder_set_member_name(b, "sdk");
		json_builder_add_string_value(b, "gradio");
	}
	json_builder_set_member_name(b, "private");
	json_builder_add_boolean_value(b, self->private_repo);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	hubd_hub_request_set_json_body(req, root);
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN |
					   HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR);
	hubd_hub_client_request_async(self->client,
				      req,
				      self->cancellable,
				      create_repo_cb,
				      step_new(self, done));
}

/* ---- local: folder walk, file checks, secrets, local README ---- */

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

static gboolean
add_folder_files(HubdUpload *self, GCancellable *cancellable, GError **error)
{
	g_autoptr(GFile) root = g_file_new_for_path(self->folder);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GStrvBuilder) ignore = g_strv_builder_new();
	g_auto(GStrv) ignore_all = NULL;

	if (!walk_folder(root, root, files, cancellable, error))
		return FALSE;
	g_ptr_array_sort(files, str_ptr_cmp);
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
prepare_local_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	HubdUpload *self = task_data;
	GError *error = NULL;

	if (self->folder != NULL && !add_folder_files(self, cancellable, &error)) {
		g_task_return_error(task, error);
		return;
	}
	for (guint i = 0; i < self->adds->len; i++) {
		HubdUploadAdd *add = g_ptr_array_index(self->adds, i);

		GStatBuf st;

		if (g_stat(add->local_path, &st) != 0 || !S_ISREG(st.st_mode)) {
			g_task_return_new_error(task,
						HUBD_ERROR,
						HUBD_ERROR_INVALID_ARGUMENT,
						_("%s is not a readable file"),
						add->local_path);
			return;
		}
		add->local_size = (guint64)st.st_size;
		if (!self->no_policy &&
		    !hubd_policy_scan_file(add->local_path, add->path, cancellable, &error)) {
			g_task_return_error(task, error);
			return;
		}
		if (g_strcmp0(add->path, "README.md") == 0) {
			gchar *data = NULL;
			gsize len = 0;

			if (!g_file_get_contents(add->local_path, &data, &len, &error)) {
				g_task_return_error(task, error);
				return;
			}
			g_clear_pointer(&self->readme, g_bytes_unref);
			self->readme = g_bytes_new_take(data, len);
			self->readme_known = TRUE;
		}
	}
	g_task_return_boolean(task, TRUE);
}

static void
prepare_local_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Step *step = user_data;
	GError *error = NULL;

	g_task_propagate_boolean(G_TASK(res), &error);
	step_finish(step, error);
}

void
hubd_upload_prepare_local(HubdUpload *self, HubdUploadStepDone done)
{
	g_autoptr(GTask) task =
		g_task_new(NULL, self->cancellable, prepare_local_cb, step_new(self, done));

	g_task_set_task_data(task, g_object_ref(self), g_object_unref);
	g_task_run_in_thread(task, prepare_local_thread);
}

/* ---- remote: deletions by pattern, then the card ---- */

static void
card_check(Step *step)
{
	HubdUpload *self = step->self;
	GError *error = NULL;
	gsize len = 0;
	const gchar *data = self->readme != NULL ? g_bytes_get_data(self->readme, &len) : NULL;

	if (!hubd_policy_check_card(self->type, data, len, &error)) {
		step_finish(step, error);
		return;
	}
	step_finish(step, NULL);
}

static void
readme_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Step *step = user_data;
	HubdUpload *self = step->self;
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);
	guint status;

	if (resp == NULL) {
		step_finish(step, error);
		return;
	}
	status = hubd_hub_response_get_status(resp);
	if (status >= 400 && status != 404) {
		/* a repo that does not exist yet at that revision has no card */
		error = error_from_response(resp);
		if (!g_error_matches(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND) &&
		    !g_error_matches(error, HUBD_ERROR, HUBD_ERROR_REVISION_NOT_FOUND) &&
		    !g_error_matches(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND)) {
			step_finish(step, error);
			return;
		}
		g_clear_error(&error);
	}
	if (status < 400 && hubd_hub_response_get_body(resp) != NULL)
		self->readme = g_bytes_ref(hubd_hub_response_get_body(resp));
	self->readme_known = TRUE;
	card_check(step);
}

static gboolean
readme_deleted(HubdUpload *self)
{
	for (guint i = 0; i < self->deletes->len; i++) {
		HubdUploadDelete *del = g_ptr_array_index(self->deletes, i);
		if (!del->is_folder && g_strcmp0(del->path, "README.md") == 0)
			return TRUE;
	}
	return FALSE;
}

static void
remote_card(Step *step)
{
	HubdUpload *self = step->self;
	g_autofree gchar *url = NULL;
	g_autoptr(HubdHubRequest) req = NULL;

	/* a commit that only deletes publishes nothing new */
	if (self->no_policy || self->type == HUBD_REPO_TYPE_SPACE ||
	    (self->adds->len == 0 && self->copies->len == 0)) {
		step_finish(step, NULL);
		return;
	}
	if (self->readme_known || readme_deleted(self)) {
		card_check(step);
		return;
	}
	url = hubd_hub_url(hubd_hub_client_get_endpoint(self->client),
			   self->type,
			   self->repo_id,
			   "README.md",
			   self->revision);
	req = hubd_hub_request_new("GET", url);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR);
	hubd_hub_client_request_async(self->client, req, self->cancellable, readme_cb, step);
}

static gboolean
is_readded(HubdUpload *self, const gchar *path)
{
	for (guint i = 0; i < self->adds->len; i++)
		if (g_strcmp0(((HubdUploadAdd *)g_ptr_array_index(self->adds, i))->path, path) == 0)
			return TRUE;
	return FALSE;
}

static void
apply_delete_patterns(Step *step)
{
	HubdUpload *self = step->self;
	const gchar *prefix = self->folder_path_in_repo != NULL ? self->folder_path_in_repo : "";
	gsize plen = strlen(prefix);

	for (guint i = 0; i < step->items->len; i++) {
		const gchar *path = g_ptr_array_index(step->items, i);
		const gchar *rel = path;
		HubdUploadDelete *del;

		if (plen > 0) {
			if (strncmp(path, prefix, plen) != 0 || path[plen] != '/')
				continue;
			rel = path + plen + 1;
		}
		if (g_strcmp0(rel, ".gitattributes") == 0 || is_readded(self, path) ||
		    !hubd_upload_path_is_wanted(rel,
						(const gchar *const *)self->delete_patterns,
						NULL))
			continue;
		del = g_new0(HubdUploadDelete, 1);
		del->path = g_strdup(path);
		g_ptr_array_add(self->deletes, del);
	}
	remote_card(step);
}

static void
tree_page(Step *step);

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
	Step *step = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);
	g_autoptr(JsonNode) root = NULL;

	if (resp != NULL)
		root = hubd_lfs_parse_response(resp, &error);
	if (root == NULL) {
		step_finish(step, error);
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
		tree_page(step);
	else
		apply_delete_patterns(step);
}

static void
tree_page(Step *step)
{
	HubdUpload *self = step->self;
	g_autoptr(HubdHubRequest) req = NULL;

	if (step->next_url != NULL) {
		req = hubd_hub_request_new("GET", step->next_url);
	} else {
		g_autofree gchar *rev = g_uri_escape_string(self->revision, NULL, FALSE);
		g_autofree gchar *path = g_strdup_printf("/api/%s/%s/tree/%s",
							 hubd_repo_type_to_api_plural(self->type),
							 self->repo_id,
							 rev);
		req = hubd_hub_request_new("GET", path);
		hubd_hub_request_add_query(req, "recursive", "true");
	}
	hubd_hub_request_set_header(req, "Accept", "application/json");
	hubd_hub_client_request_async(self->client, req, self->cancellable, tree_cb, step);
}

void
hubd_upload_prepare_remote(HubdUpload *self, HubdUploadStepDone done)
{
	Step *step = step_new(self, done);

	if (self->delete_patterns != NULL && self->delete_patterns[0] != NULL) {
		step->items = g_ptr_array_new_with_free_func(g_free);
		tree_page(step);
		return;
	}
	remote_card(step);
}

/* ---- copies ---- */

static void
copy_next(Step *step);

static void
copy_content_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Step *step = user_data;
	HubdUploadCopy *copy = g_ptr_array_index(step->self->copies, step->index - 1);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);

	if (resp == NULL) {
		step_finish(step, error);
		return;
	}
	hubd_commit_payload_add_file_bytes(step->self->payload,
					   copy->path,
					   hubd_hub_response_get_body(resp));
	copy_next(step);
}

static void
copy_info_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Step *step = user_data;
	HubdUpload *self = step->self;
	HubdUploadCopy *copy = g_ptr_array_index(self->copies, step->index - 1);
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
		step_finish(step, error);
		return;
	}
	if (JSON_NODE_HOLDS_ARRAY(root) && json_array_get_length(json_node_get_array(root)) > 0) {
		JsonNode *n = json_array_get_element(json_node_get_array(root), 0);
		entry = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
	}
	if (entry == NULL ||
	    g_strcmp0(json_object_get_string_member_with_default(entry, "type", "file"), "file") !=
		    0) {
		step_finish(step,
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
			self->payload,
			copy->path,
			json_object_get_string_member_with_default(lfs, "oid", ""),
			(guint64)json_object_get_int_member_with_default(lfs, "size", 0));
		copy_next(step);
		return;
	}
	url = hubd_hub_url(hubd_hub_client_get_endpoint(self->client),
			   self->type,
			   self->repo_id,
			   copy->src_path,
			   copy->src_revision);
	req = hubd_hub_request_new("GET", url);
	hubd_hub_client_request_async(self->client, req, self->cancellable, copy_content_cb, step);
}

static void
copy_next(Step *step)
{
	HubdUpload *self = step->self;
	HubdUploadCopy *copy;
	g_autofree gchar *rev = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) root = NULL;

	if (step->index >= self->copies->len) {
		step_finish(step, NULL);
		return;
	}
	copy = g_ptr_array_index(self->copies, step->index++);
	rev = g_uri_escape_string(copy->src_revision, NULL, FALSE);
	path = g_strdup_printf("/api/%s/%s/paths-info/%s",
			       hubd_repo_type_to_api_plural(self->type),
			       self->repo_id,
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
	hubd_hub_client_request_async(self->client, req, self->cancellable, copy_info_cb, step);
}

void
hubd_upload_resolve_copies(HubdUpload *self, HubdUploadStepDone done)
{
	copy_next(step_new(self, done));
}
