/* hubd-hub-api-discussions.c: HubdHubApi's discussion and pull request
 * endpoints — list (pages by `p`), details, create, comment, rename, status,
 * merge, edit and hide a comment
 *
 * Wire formats (docs/hub-discussions.md) follow huggingface_hub's hf_api.py
 * (get_repo_discussions, get_discussion_details, create_discussion,
 * comment_discussion, rename_discussion, change_discussion_status,
 * merge_pull_request, edit_discussion_comment, hide_discussion_comment). */
#define G_LOG_DOMAIN "HubdHubApi"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-api-community.h"
#include "hubd-json.h"

static const gchar *const kinds[] = {"all", "discussion", "pull_request", NULL};
static const gchar *const list_statuses[] = {"all", "open", "closed", NULL};

/* /api/{type}s/{id}/discussions[/{num}[/{what}[/{id}/{verb}]]] */
static gchar *
discussion_path(HubdRepoType type,
		const gchar *repo_id,
		guint num,
		const gchar *what,
		const gchar *comment_id,
		const gchar *verb,
		GError **error)
{
	g_autofree gchar *num_str = num > 0 ? g_strdup_printf("%u", num) : NULL;
	const gchar *segments[] = {"discussions", num_str, what, comment_id, verb, NULL};

	return hubd_hub_api_build_repo_path(type, repo_id, segments, error);
}

/* ---- list ---- */

typedef struct {
	HubdRepoType type;
	gchar *repo_id;
	gchar *kind;
	gchar *status;
	gchar *author;
	guint limit;
	guint page;
	GPtrArray *items; /* GVariant a{sv} */
} ListData;

static void
list_data_free(ListData *ld)
{
	g_free(ld->repo_id);
	g_free(ld->kind);
	g_free(ld->status);
	g_free(ld->author);
	g_ptr_array_unref(ld->items);
	g_free(ld);
}

static void
list_send(GTask *task);

static void
list_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ListData *ld = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(JsonNode) node = hubd_hub_api_call_json_finish(HUBD_HUB_API(source), res, &error);
	JsonObject *o =
		node != NULL ? hubd_json_expect_object(node, "discussion list", &error) : NULL;
	JsonArray *page = o != NULL ? hubd_json_get_array(o, "discussions") : NULL;
	gint64 count = 0;
	gint64 start = 0;
	guint len;

	if (o == NULL) {
		g_task_return_error(task, error);
		return;
	}
	if (page == NULL || !hubd_json_get_number(o, "count", &count) ||
	    !hubd_json_get_number(o, "start", &start)) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The Hub’s discussion list lacks discussions, count "
					  "or start"));
		return;
	}
	len = json_array_get_length(page);
	for (guint i = 0; i < len; i++) {
		GVariant *v;

		if (ld->limit > 0 && ld->items->len >= ld->limit)
			break;
		v = hubd_hub_discussion_to_variant(json_array_get_element(page, i), &error);
		if (v == NULL) {
			g_task_return_error(task, error);
			return;
		}
		g_ptr_array_add(ld->items, v);
	}
	/* as huggingface_hub: stop when the pages cover the count (or are empty) */
	if (len == 0 || start + len >= count || (ld->limit > 0 && ld->items->len >= ld->limit) ||
	    ld->items->len >= HUBD_HUB_API_LIST_MAX) {
		g_task_return_pointer(task,
				      g_ptr_array_ref(ld->items),
				      (GDestroyNotify)g_ptr_array_unref);
		return;
	}
	ld->page++;
	list_send(g_steal_pointer(&task));
}

static void
list_send(GTask *task)
{
	ListData *ld = g_task_get_task_data(task);
	g_autofree gchar *path = discussion_path(ld->type, ld->repo_id, 0, NULL, NULL, NULL, NULL);
	g_autofree gchar *page = g_strdup_printf("%u", ld->page);
	g_autoptr(GString) url = g_string_new(path);
	g_autofree gchar *author = NULL;

	g_string_append_printf(url, "?p=%s&type=%s&status=%s", page, ld->kind, ld->status);
	if (ld->author != NULL) {
		author = g_uri_escape_string(ld->author, NULL, FALSE);
		g_string_append_printf(url, "&author=%s", author);
	}
	hubd_hub_api_call_json_async(g_task_get_source_object(task),
				     "GET",
				     url->str,
				     NULL,
				     HUBD_HUB_REQUEST_FLAG_NONE,
				     g_task_get_cancellable(task),
				     list_cb,
				     task);
}

/**
 * hubd_hub_api_list_discussions_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo
 * @kind: (nullable): "all" (%NULL), "discussion" or "pull_request"
 * @status: (nullable): "all" (%NULL), "open" or "closed"
 * @author: (nullable): only those opened by this user
 * @limit: most to return, 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the discussions
 * @user_data: for @callback
 *
 * `GET /api/{type}s/{id}/discussions?p=&type=&status=&author=`, page after
 * page until `start + len >= count`.
 *
 * Since: 0.1
 */
void
hubd_hub_api_list_discussions_async(HubdHubApi *self,
				    HubdRepoType type,
				    const gchar *repo_id,
				    const gchar *kind,
				    const gchar *status,
				    const gchar *author,
				    guint limit,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	g_autofree gchar *check = NULL;
	GError *error = NULL;
	GTask *task;
	ListData *ld;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	check = discussion_path(type, repo_id, 0, NULL, NULL, NULL, &error);
	if (check == NULL) {
		g_task_report_error(self,
				    callback,
				    user_data,
				    hubd_hub_api_list_discussions_async,
				    error);
		return;
	}
	if ((kind != NULL && !g_strv_contains(kinds, kind)) ||
	    (status != NULL && !g_strv_contains(list_statuses, status)) ||
	    (author != NULL && (author[0] == '\0' || !g_utf8_validate(author, -1, NULL)))) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_list_discussions_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("Discussions are listed by kind (all, discussion, "
					  "pull_request), status (all, open, closed) and a "
					  "non-empty author"));
		return;
	}
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_list_discussions_async);
	ld = g_new0(ListData, 1);
	ld->type = type;
	ld->repo_id = g_strdup(repo_id);
	ld->kind = g_strdup(kind != NULL ? kind : "all");
	ld->status = g_strdup(status != NULL ? status : "all");
	ld->author = g_strdup(author);
	ld->limit = limit;
	ld->items = g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
	g_task_set_task_data(task, ld, (GDestroyNotify)list_data_free);
	list_send(task);
}

/**
 * hubd_hub_api_list_discussions_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer container) (element-type GVariant) (nullable): a{sv}s,
 *   newest first as the Hub lists them
 *
 * Since: 0.1
 */
GPtrArray *
hubd_hub_api_list_discussions_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

/* ---- one discussion ---- */

/* POSTs `body` (taken, may be NULL) to the discussion's `what`, or reports
 * the bad repo to the callback */
static void
discussion_post(HubdHubApi *self,
		HubdRepoType type,
		const gchar *repo_id,
		guint num,
		const gchar *what,
		const gchar *comment_id,
		const gchar *verb,
		JsonBuilder *body,
		gpointer source_tag,
		GCancellable *cancellable,
		GAsyncReadyCallback callback,
		gpointer user_data)
{
	g_autoptr(JsonBuilder) owned = body;
	g_autoptr(JsonNode) root = NULL;
	GError *error = NULL;
	g_autofree gchar *path =
		discussion_path(type, repo_id, num, what, comment_id, verb, &error);

	if (path == NULL) {
		g_task_report_error(self, callback, user_data, source_tag, error);
		return;
	}
	if (num == 0 && what != NULL) {
		g_task_report_new_error(self,
					callback,
					user_data,
					source_tag,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("Discussions are numbered from 1"));
		return;
	}
	if (body != NULL) {
		json_builder_end_object(body);
		root = json_builder_get_root(body);
	}
	hubd_hub_api_call_json_async(self,
				     "POST",
				     path,
				     root,
				     HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN,
				     cancellable,
				     callback,
				     user_data);
}

static JsonBuilder *
body_with(const gchar *key, const gchar *value, const gchar *key2, const gchar *value2)
{
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, key);
	json_builder_add_string_value(b, value);
	if (key2 != NULL && value2 != NULL) {
		json_builder_set_member_name(b, key2);
		json_builder_add_string_value(b, value2);
	}
	return b;
}

static gboolean
text_ok(const gchar *text, gsize min_chars)
{
	return text != NULL && g_utf8_validate(text, -1, NULL) &&
	       (gsize)g_utf8_strlen(text, -1) >= min_chars;
}

/**
 * hubd_hub_api_get_discussion_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo
 * @num: the discussion's number
 * @diff: ask for a PR's diff too (`?diff=1`)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the details (call_json_finish)
 * @user_data: for @callback
 *
 * `GET /api/{type}s/{id}/discussions/{num}`.
 *
 * Since: 0.1
 */
void
hubd_hub_api_get_discussion_async(HubdHubApi *self,
				  HubdRepoType type,
				  const gchar *repo_id,
				  guint num,
				  gboolean diff,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	GError *error = NULL;
	g_autofree gchar *path = discussion_path(type, repo_id, num, NULL, NULL, NULL, &error);
	g_autofree gchar *url = NULL;

	if (path == NULL || num == 0) {
		if (error == NULL)
			error = g_error_new_literal(HUBD_ERROR,
						    HUBD_ERROR_INVALID_ARGUMENT,
						    _("Discussions are numbered from 1"));
		g_task_report_error(self,
				    callback,
				    user_data,
				    hubd_hub_api_get_discussion_async,
				    error);
		return;
	}
	url = g_strconcat(path, diff ? "?diff=1" : NULL, NULL);
	hubd_hub_api_call_json_async(self,
				     "GET",
				     url,
				     NULL,
				     HUBD_HUB_REQUEST_FLAG_NONE,
				     cancellable,
				     callback,
				     user_data);
}

/**
 * hubd_hub_api_create_discussion_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo
 * @title: 3 to 200 characters
 * @description: (nullable): the first comment
 * @pull_request: open a (draft) pull request instead
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with `{"num"}` (call_json_finish)
 * @user_data: for @callback
 *
 * `POST /api/{type}s/{id}/discussions` with `{"title", "description",
 * "pullRequest"}`.
 *
 * Since: 0.1
 */
void
hubd_hub_api_create_discussion_async(HubdHubApi *self,
				     HubdRepoType type,
				     const gchar *repo_id,
				     const gchar *title,
				     const gchar *description,
				     gboolean pull_request,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	JsonBuilder *body;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (!text_ok(title, 3) || g_utf8_strlen(title, -1) > 200 ||
	    (description != NULL && !g_utf8_validate(description, -1, NULL))) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_create_discussion_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("A discussion’s title has 3 to 200 characters"));
		return;
	}
	body = body_with("title", title, "description", description != NULL ? description : "");
	json_builder_set_member_name(body, "pullRequest");
	json_builder_add_boolean_value(body, pull_request);
	discussion_post(self,
			type,
			repo_id,
			0,
			NULL,
			NULL,
			NULL,
			body,
			hubd_hub_api_create_discussion_async,
			cancellable,
			callback,
			user_data);
}

/**
 * hubd_hub_api_discussion_comment_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo
 * @num: the discussion
 * @comment: the text (Markdown), not empty
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with `{"newMessage": event}`
 * @user_data: for @callback
 *
 * `POST …/discussions/{num}/comment` with `{"comment"}`.
 *
 * Since: 0.1
 */
void
hubd_hub_api_discussion_comment_async(HubdHubApi *self,
				      HubdRepoType type,
				      const gchar *repo_id,
				      guint num,
				      const gchar *comment,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	if (!text_ok(comment, 1)) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_discussion_comment_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("A comment cannot be empty"));
		return;
	}
	discussion_post(self,
			type,
			repo_id,
			num,
			"comment",
			NULL,
			NULL,
			body_with("comment", comment, NULL, NULL),
			hubd_hub_api_discussion_comment_async,
			cancellable,
			callback,
			user_data);
}

/**
 * hubd_hub_api_rename_discussion_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo
 * @num: the discussion
 * @title: the new title, 3 to 200 characters
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with `{"newTitle": event}`
 * @user_data: for @callback
 *
 * `POST …/discussions/{num}/title` with `{"title"}`.
 *
 * Since: 0.1
 */
void
hubd_hub_api_rename_discussion_async(HubdHubApi *self,
				     HubdRepoType type,
				     const gchar *repo_id,
				     guint num,
				     const gchar *title,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	if (!text_ok(title, 3) || g_utf8_strlen(title, -1) > 200) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_rename_discussion_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("A discussion’s title has 3 to 200 characters"));
		return;
	}
	discussion_post(self,
			type,
			repo_id,
			num,
			"title",
			NULL,
			NULL,
			body_with("title", title, NULL, NULL),
			hubd_hub_api_rename_discussion_async,
			cancellable,
			callback,
			user_data);
}

/**
 * hubd_hub_api_change_discussion_status_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo
 * @num: the discussion
 * @status: "open" or "closed"
 * @comment: (nullable): a comment posted with the change
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with `{"newStatus": event}`
 * @user_data: for @callback
 *
 * `POST …/discussions/{num}/status` with `{"status", "comment"?}`.
 *
 * Since: 0.1
 */
void
hubd_hub_api_change_discussion_status_async(HubdHubApi *self,
					    HubdRepoType type,
					    const gchar *repo_id,
					    guint num,
					    const gchar *status,
					    const gchar *comment,
					    GCancellable *cancellable,
					    GAsyncReadyCallback callback,
					    gpointer user_data)
{
	if (g_strcmp0(status, "open") != 0 && g_strcmp0(status, "closed") != 0) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_change_discussion_status_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("A discussion’s new status is open or closed"));
		return;
	}
	discussion_post(self,
			type,
			repo_id,
			num,
			"status",
			NULL,
			NULL,
			body_with("status", status, "comment", comment),
			hubd_hub_api_change_discussion_status_async,
			cancellable,
			callback,
			user_data);
}

/**
 * hubd_hub_api_merge_pull_request_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo
 * @num: the pull request
 * @comment: (nullable): a comment posted with the merge
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when merged
 * @user_data: for @callback
 *
 * `POST …/discussions/{num}/merge`, with `{"comment"}` or no body.
 *
 * Since: 0.1
 */
void
hubd_hub_api_merge_pull_request_async(HubdHubApi *self,
				      HubdRepoType type,
				      const gchar *repo_id,
				      guint num,
				      const gchar *comment,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	discussion_post(self,
			type,
			repo_id,
			num,
			"merge",
			NULL,
			NULL,
			comment != NULL ? body_with("comment", comment, NULL, NULL) : NULL,
			hubd_hub_api_merge_pull_request_async,
			cancellable,
			callback,
			user_data);
}

/**
 * hubd_hub_api_edit_discussion_comment_async:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo
 * @num: the discussion
 * @comment_id: the comment event's id
 * @hide: hide the comment instead of editing it
 * @content: (nullable): the new text, when editing
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with `{"updatedComment": event}`
 * @user_data: for @callback
 *
 * `POST …/discussions/{num}/comment/{id}/edit` with `{"content"}`, or
 * `…/hide` with no body.
 *
 * Since: 0.1
 */
void
hubd_hub_api_edit_discussion_comment_async(HubdHubApi *self,
					   HubdRepoType type,
					   const gchar *repo_id,
					   guint num,
					   const gchar *comment_id,
					   gboolean hide,
					   const gchar *content,
					   GCancellable *cancellable,
					   GAsyncReadyCallback callback,
					   gpointer user_data)
{
	gboolean id_ok = comment_id != NULL && comment_id[0] != '\0' && strlen(comment_id) <= 64;

	for (const gchar *c = comment_id; id_ok && *c != '\0'; c++)
		id_ok = g_ascii_isalnum(*c);
	if (!id_ok || (!hide && !text_ok(content, 1))) {
		g_task_report_new_error(self,
					callback,
					user_data,
					hubd_hub_api_edit_discussion_comment_async,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("A comment is named by its event id (letters and "
					  "digits), and its new text cannot be empty"));
		return;
	}
	discussion_post(self,
			type,
			repo_id,
			num,
			"comment",
			comment_id,
			hide ? "hide" : "edit",
			hide ? NULL : body_with("content", content, NULL, NULL),
			hubd_hub_api_edit_discussion_comment_async,
			cancellable,
			callback,
			user_data);
}

/**
 * hubd_hub_api_discussion_url:
 * @self: a #HubdHubApi
 * @type: the repo type
 * @repo_id: the repo
 * @num: the discussion
 *
 * Returns: (transfer full): the discussion's web page,
 *   `{endpoint}/{prefix}{id}/discussions/{num}`
 *
 * Since: 0.1
 */
gchar *
hubd_hub_api_discussion_url(HubdHubApi *self, HubdRepoType type, const gchar *repo_id, guint num)
{
	g_autofree gchar *repo = hubd_hub_api_repo_url(self, type, repo_id);

	return g_strdup_printf("%s/discussions/%u", repo, num);
}
