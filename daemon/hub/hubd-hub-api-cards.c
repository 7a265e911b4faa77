/* hubd-hub-api-cards.c: HubdHubApi's card endpoints
 *
 * The README.md is read through its resolve URL, as huggingface_hub's
 * RepoCard.load (hf_hub_download of README.md); validate-yaml follows
 * huggingface_hub's _validate_yaml (docs/hub-cards.md §3). Uses only
 * HubdHubApi's public functions. */
#define G_LOG_DOMAIN "HubdHubApi"

#include "hubd-hub-api-cards.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-error-map.h"

static void
get_card_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);
	GBytes *body;

	if (resp == NULL) {
		g_task_return_error(task, error);
		return;
	}
	body = hubd_hub_response_get_body(resp);
	g_task_return_pointer(task,
			      body != NULL ? g_bytes_ref(body) : g_bytes_new(NULL, 0),
			      (GDestroyNotify)g_bytes_unref);
}

void
hubd_hub_api_get_card_async(HubdHubApi *self,
			    HubdRepoType type,
			    const gchar *repo_id,
			    const gchar *revision,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *url = NULL;
	GError *error = NULL;

	g_task_set_source_tag(task, hubd_hub_api_get_card_async);
	if (!hubd_repo_id_validate(repo_id, FALSE, &error) ||
	    (revision != NULL && revision[0] != '\0' &&
	     !hubd_revision_validate(revision, &error))) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	url = hubd_hub_api_file_url(self,
				    type,
				    repo_id,
				    revision != NULL && revision[0] != '\0' ? revision : "main",
				    "README.md");
	req = hubd_hub_request_new("GET", url);
	hubd_hub_api_request_async(self, req, cancellable, get_card_cb, task);
}

GBytes *
hubd_hub_api_get_card_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

/* ---- validate-yaml ---- */

typedef struct {
	GPtrArray *errors;
	GPtrArray *warnings;
} Validation;

static void
validation_free(Validation *v)
{
	g_ptr_array_unref(v->errors);
	g_ptr_array_unref(v->warnings);
	g_free(v);
}

static void
add_messages(JsonObject *reply, const gchar *member, GPtrArray *out)
{
	JsonNode *node = json_object_get_member(reply, member);
	JsonArray *array;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return;
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array) && i < 1000; i++) {
		JsonNode *item = json_array_get_element(array, i);
		const gchar *message = NULL;

		if (JSON_NODE_HOLDS_OBJECT(item))
			message = json_object_get_string_member_with_default(
				json_node_get_object(item),
				"message",
				NULL);
		else if (JSON_NODE_HOLDS_VALUE(item) &&
			 json_node_get_value_type(item) == G_TYPE_STRING)
			message = json_node_get_string(item);
		if (message != NULL)
			g_ptr_array_add(out, g_utf8_make_valid(message, -1));
	}
}

static void
validate_yaml_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);
	g_autoptr(JsonNode) root = NULL;
	Validation *v;
	guint status;

	if (resp == NULL) {
		g_task_return_error(task, error);
		return;
	}
	status = hubd_hub_response_get_status(resp);
	if (status != 200 && status != 400) {
		hubd_hub_client_error_from_response(status,
						    hubd_hub_response_get_headers(resp),
						    hubd_hub_response_get_body(resp),
						    hubd_hub_response_get_uri(resp),
						    &error);
		g_task_return_error(task, error);
		return;
	}
	root = hubd_hub_api_parse_response(resp, &error);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_clear_error(&error);
		g_task_return_new_error(
			task,
			HUBD_ERROR,
			HUBD_ERROR_SERVER,
			_("The Hub's card validation answered something that is not "
			  "a JSON object"));
		return;
	}
	v = g_new0(Validation, 1);
	v->errors = g_ptr_array_new_with_free_func(g_free);
	v->warnings = g_ptr_array_new_with_free_func(g_free);
	add_messages(json_node_get_object(root), "errors", v->errors);
	add_messages(json_node_get_object(root), "warnings", v->warnings);
	if (status == 400 && v->errors->len == 0) {
		const gchar *message = json_object_get_string_member_with_default(
			json_node_get_object(root),
			"error",
			_("the Hub refused the card metadata"));
		g_ptr_array_add(v->errors, g_utf8_make_valid(message, -1));
	}
	g_task_return_pointer(task, v, (GDestroyNotify)validation_free);
}

void
hubd_hub_api_validate_yaml_async(HubdHubApi *self,
				 HubdRepoType type,
				 const gchar *content,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	/* build_path starts at /api/ */
	static const gchar *const segments[] = {"validate-yaml", NULL};
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(HubdHubRequest) req = NULL;
	g_autoptr(JsonObject) body = json_object_new();
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	g_autofree gchar *path = hubd_hub_api_build_path(segments);

	g_task_set_source_tag(task, hubd_hub_api_validate_yaml_async);
	json_object_set_string_member(body, "content", content);
	json_object_set_string_member(body, "repoType", hubd_repo_type_to_string(type));
	json_node_set_object(root, body);
	req = hubd_hub_request_new("POST", path);
	hubd_hub_request_set_json_body(req, root);
	/* a 400 carries the errors; nothing changes on the Hub, so a retry is safe */
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR |
					   HUBD_HUB_REQUEST_FLAG_RETRY);
	hubd_hub_api_request_async(self, req, cancellable, validate_yaml_cb, task);
}

gboolean
hubd_hub_api_validate_yaml_finish(HubdHubApi *self,
				  GAsyncResult *result,
				  GPtrArray **errors_out,
				  GPtrArray **warnings_out,
				  GError **error)
{
	Validation *v;

	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	v = g_task_propagate_pointer(G_TASK(result), error);
	if (v == NULL)
		return FALSE;
	if (errors_out != NULL)
		*errors_out = g_ptr_array_ref(v->errors);
	if (warnings_out != NULL)
		*warnings_out = g_ptr_array_ref(v->warnings);
	validation_free(v);
	return TRUE;
}
