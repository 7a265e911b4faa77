/* hubd-policy-space.c: `[policy] require-space=true` — "Space demo linked to
 * model": an upload to a model passes only when a Space linked to it (the
 * `spaces` of model info: Spaces whose card lists it under `models:`,
 * docs/hub-spaces.md §6) is RUNNING. The Spaces are asked one by one, the
 * first running one ends the check. */
#define G_LOG_DOMAIN "HubdPolicy"

#include "hubd-policy-space.h"

#include <glib/gi18n.h>

#include "hubd-context-private.h"
#include "hubd-error.h"
#include "hubd-hub-api-spaces.h"
#include "hubd-json.h"

/* at most this many linked Spaces are asked */
#define MAX_SPACES 20

typedef struct {
	HubdHubApi *api;
	gchar *model_id;
	GPtrArray *spaces; /* ids still to ask */
	guint next;
	GString *seen; /* "alice/demo (PAUSED), …" for the refusal */
} Check;

static void
check_free(Check *c)
{
	g_object_unref(c->api);
	g_free(c->model_id);
	g_ptr_array_unref(c->spaces);
	g_string_free(c->seen, TRUE);
	g_free(c);
}

static void
check_next(GTask *task);

static void
check_refuse(GTask *task)
{
	Check *c = g_task_get_task_data(task);

	if (c->spaces->len == 0)
		g_task_return_new_error(
			task,
			HUBD_ERROR,
			HUBD_ERROR_POLICY,
			_("The publishing policy wants a running Space linked to %s ([policy] "
			  "require-space), and no Space lists it: add “models: [%s]” to a Space's "
			  "README.md and start the Space, or pass --no-policy"),
			c->model_id,
			c->model_id);
	else
		g_task_return_new_error(
			task,
			HUBD_ERROR,
			HUBD_ERROR_POLICY,
			_("The publishing policy wants a running Space linked to %s ([policy] "
			  "require-space), and none runs: %s. Start one (hubctl spaces restart), "
			  "or "
			  "pass --no-policy"),
			c->model_id,
			c->seen->str);
	g_object_unref(task);
}

static void
check_runtime_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Check *c = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) runtime = hubd_hub_api_space_finish(HUBD_HUB_API(source), res, &error);
	const gchar *id = g_ptr_array_index(c->spaces, c->next - 1);
	const gchar *stage = NULL;

	if (runtime != NULL && JSON_NODE_HOLDS_OBJECT(runtime))
		stage = hubd_json_get_string(json_node_get_object(runtime), "stage");
	if (g_strcmp0(stage, "RUNNING") == 0) {
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}
	if (error != NULL && g_error_matches(error, HUBD_ERROR, HUBD_ERROR_CANCELLED)) {
		g_task_return_error(task, g_steal_pointer(&error));
		g_object_unref(task);
		return;
	}
	g_string_append_printf(c->seen,
			       "%s%s (%s)",
			       c->seen->len > 0 ? ", " : "",
			       id,
			       stage != NULL ? stage : (error != NULL ? error->message : "?"));
	check_next(task);
}

static void
check_next(GTask *task)
{
	Check *c = g_task_get_task_data(task);

	if (c->next >= c->spaces->len) {
		check_refuse(task);
		return;
	}
	hubd_hub_api_space_runtime_async(c->api,
					 g_ptr_array_index(c->spaces, c->next++),
					 g_task_get_cancellable(task),
					 check_runtime_cb,
					 task);
}

static void
check_info_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Check *c = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdHubRepoInfo) info =
		hubd_hub_api_repo_info_finish(HUBD_HUB_API(source), res, &error);
	JsonArray *spaces = NULL;

	if (info == NULL && !g_error_matches(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND)) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	/* a model not on the Hub yet has no Space either */
	g_clear_error(&error);
	if (info != NULL && info->json != NULL && JSON_NODE_HOLDS_OBJECT(info->json))
		spaces = hubd_json_get_array(json_node_get_object(info->json), "spaces");
	for (guint i = 0; spaces != NULL && i < json_array_get_length(spaces) && i < MAX_SPACES;
	     i++) {
		JsonNode *el = json_array_get_element(spaces, i);

		if (JSON_NODE_HOLDS_VALUE(el) && json_node_get_value_type(el) == G_TYPE_STRING &&
		    hubd_repo_id_validate(json_node_get_string(el), TRUE, NULL))
			g_ptr_array_add(c->spaces, g_strdup(json_node_get_string(el)));
	}
	check_next(task);
}

gboolean
hubd_policy_space_wanted(HubdContext *context, HubdRepoType type)
{
	return type == HUBD_REPO_TYPE_MODEL &&
	       hubd_config_get_boolean(hubd_context_get_config(context),
				       "policy",
				       "require-space",
				       FALSE);
}

void
hubd_policy_space_check_async(HubdHubApi *api,
			      const gchar *model_id,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	GTask *task = g_task_new(NULL, cancellable, callback, user_data);
	Check *c = g_new0(Check, 1);

	g_task_set_source_tag(task, hubd_policy_space_check_async);
	c->api = g_object_ref(api);
	c->model_id = g_strdup(model_id);
	c->spaces = g_ptr_array_new_with_free_func(g_free);
	c->seen = g_string_new(NULL);
	g_task_set_task_data(task, c, (GDestroyNotify)check_free);
	hubd_hub_api_repo_info_async(api,
				     HUBD_REPO_TYPE_MODEL,
				     model_id,
				     NULL,
				     HUBD_HUB_API_FLAG_NONE,
				     cancellable,
				     check_info_cb,
				     task);
}

gboolean
hubd_policy_space_check_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}
