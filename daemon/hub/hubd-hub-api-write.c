/* hubd-hub-api-write.c: HubdHubApi's generic change on the Hub (write_async), which
 * the endpoints of hubd-hub-api-manage.c and hubd-hub-api-refs.c build on
 *
 * Uses only HubdHubApi's public functions. */
#define G_LOG_DOMAIN "HubdHubApi"

#include "hubd-error.h"
#include "hubd-hub-api.h"

/* ---- writes ---- */

typedef struct {
	HubdHubApiFlags flags;
	gboolean done;
	HubdHubResponse *response;
} WriteData;

static void
write_data_free(WriteData *wd)
{
	g_clear_pointer(&wd->response, hubd_hub_response_unref);
	g_free(wd);
}

static void
hubd_hub_api_write_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	WriteData *wd = g_task_get_task_data(task);
	HubdHubApiFlags flags = wd->flags;
	GError *error = NULL;

	wd->response = hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);
	wd->done = wd->response != NULL;
	if ((flags & HUBD_HUB_API_FLAG_EXIST_OK) != 0 &&
	    g_error_matches(error, HUBD_ERROR, HUBD_ERROR_CONFLICT)) {
		g_debug("already there, fine with exist_ok: %s", error->message);
		g_clear_error(&error);
	}
	if ((flags & HUBD_HUB_API_FLAG_MISSING_OK) != 0 &&
	    g_error_matches(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND)) {
		g_debug("not there, fine with missing_ok: %s", error->message);
		g_clear_error(&error);
	}
	if (error != NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

/**
 * hubd_hub_api_write_async:
 * @self: a #HubdHubApi
 * @method: "POST", "PUT", "PATCH" or "DELETE"
 * @path: from hubd_hub_api_build_path() or hubd_hub_api_build_repo_path()
 * @body: (nullable): the JSON body
 * @flags: %HUBD_HUB_API_FLAG_EXIST_OK turns a conflict (409: it exists)
 *   into success, %HUBD_HUB_API_FLAG_MISSING_OK a missing repo
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * A change on the Hub: sent once (unless @method is idempotent) with the
 * token, %HUBD_ERROR_NOT_LOGGED_IN without one.
 *
 * Since: 0.1
 */
void
hubd_hub_api_write_async(HubdHubApi *self,
			 const gchar *method,
			 const gchar *path,
			 JsonNode *body,
			 HubdHubApiFlags flags,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	g_autoptr(HubdHubRequest) req = NULL;
	WriteData *wd;
	GTask *task;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	g_return_if_fail(method != NULL && path != NULL);
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_write_async);
	wd = g_new0(WriteData, 1);
	wd->flags = flags;
	g_task_set_task_data(task, wd, (GDestroyNotify)write_data_free);
	req = hubd_hub_request_new(method, path);
	if (body != NULL)
		hubd_hub_request_set_json_body(req, body);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN);
	hubd_hub_api_request_async(self, req, cancellable, hubd_hub_api_write_cb, task);
}

/**
 * hubd_hub_api_write_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @done_out: (out) (optional): %FALSE when the flags let a conflict or a
 *   missing repo pass
 * @response_out: (out) (optional) (nullable) (transfer full): the Hub's
 *   answer, %NULL when @done_out is %FALSE
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hubd_hub_api_write_finish(HubdHubApi *self,
			  GAsyncResult *result,
			  gboolean *done_out,
			  HubdHubResponse **response_out,
			  GError **error)
{
	WriteData *wd;

	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	if (!g_task_propagate_boolean(G_TASK(result), error))
		return FALSE;
	wd = g_task_get_task_data(G_TASK(result));
	if (done_out != NULL)
		*done_out = wd->done;
	if (response_out != NULL)
		*response_out = wd->response != NULL ? hubd_hub_response_ref(wd->response) : NULL;
	return TRUE;
}
