/* hubd-hub-api-spaces.c: HubdHubApi's Spaces endpoints — runtime, hardware,
 * sleep time, pause, restart, dev mode, secrets, variables, duplicate, logs
 *
 * Wire formats are in docs/hub-spaces.md (huggingface_hub's hf_api.py,
 * get_space_runtime … delete_space_variable, duplicate_repo,
 * fetch_space_logs). Every call but the hardware list needs a token, so each
 * request says so and fails with NotLoggedIn before anything is sent. */
#define G_LOG_DOMAIN "HubdHubApi"

#include "hubd-hub-api-spaces.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-json.h"

/* `/api/spaces/{id}[/a[/b]]` as a request, or NULL and the error */
static HubdHubRequest *
spaces_request(const gchar *method,
	       const gchar *space_id,
	       const gchar *what,
	       const gchar *sub,
	       GError **error)
{
	const gchar *segments[] = {what, sub, NULL};
	g_autofree gchar *path = NULL;
	HubdHubRequest *req;

	path = hubd_hub_api_build_repo_path(HUBD_REPO_TYPE_SPACE, space_id, segments, error);
	if (path == NULL)
		return NULL;
	req = hubd_hub_request_new(method, path);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN);
	return req;
}

/* Sends `req` (taken; NULL: report `error`) with `body` (taken, may be NULL)
 * and hands back its JSON answer through hubd_hub_api_space_finish(). */
static void
spaces_send(HubdHubApi *self,
	    HubdHubRequest *req,
	    JsonBuilder *body,
	    GError *error,
	    GCancellable *cancellable,
	    GAsyncReadyCallback callback,
	    gpointer user_data,
	    gpointer source_tag)
{
	g_autoptr(HubdHubRequest) owned = req;
	g_autoptr(JsonBuilder) owned_body = body;

	if (owned == NULL) {
		g_task_report_error(self, callback, user_data, source_tag, error);
		return;
	}
	if (owned_body != NULL) {
		g_autoptr(JsonNode) root = NULL;

		json_builder_end_object(owned_body);
		root = json_builder_get_root(owned_body);
		hubd_hub_request_set_json_body(owned, root);
	}
	hubd_hub_api_get_json_async(self, owned, cancellable, callback, user_data);
}

static JsonBuilder *
spaces_body_new(void)
{
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	return b;
}

/**
 * hubd_hub_api_space_runtime_async:
 * @self: a #HubdHubApi
 * @space_id: the Space's id, `namespace/name`
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the runtime
 * @user_data: for @callback
 *
 * `GET /api/spaces/{id}/runtime`: the Space's stage, hardware, sleep time,
 * replicas and dev mode. Finish with hubd_hub_api_space_finish().
 *
 * Since: 0.1
 */
void
hubd_hub_api_space_runtime_async(HubdHubApi *self,
				 const gchar *space_id,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req = spaces_request("GET", space_id, "runtime", NULL, &error);

	g_return_if_fail(HUBD_IS_HUB_API(self));
	spaces_send(self,
		    req,
		    NULL,
		    error,
		    cancellable,
		    callback,
		    user_data,
		    hubd_hub_api_space_runtime_async);
}

/**
 * hubd_hub_api_space_hardware_async:
 * @self: a #HubdHubApi
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the list
 * @user_data: for @callback
 *
 * `GET /api/spaces/hardware`: the hardware flavors a Space can run on, a
 * JSON array. Finish with hubd_hub_api_space_finish().
 *
 * Since: 0.1
 */
void
hubd_hub_api_space_hardware_async(HubdHubApi *self,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	HubdHubRequest *req = hubd_hub_request_new("GET", "/api/spaces/hardware");

	g_return_if_fail(HUBD_IS_HUB_API(self));
	spaces_send(self,
		    req,
		    NULL,
		    NULL,
		    cancellable,
		    callback,
		    user_data,
		    hubd_hub_api_space_hardware_async);
}

/* A flavor is a short slug such as `t4-medium`: checked here so that no
 * odd text reaches the Hub's JSON */
static gboolean
spaces_check_flavor(const gchar *flavor, GError **error)
{
	if (flavor == NULL || flavor[0] == '\0' || strlen(flavor) > 64)
		goto bad;
	for (const gchar *p = flavor; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
			goto bad;
	}
	return TRUE;
bad:
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("“%s” is not a hardware flavor (such as cpu-basic or t4-medium)"),
		    flavor != NULL ? flavor : "");
	return FALSE;
}

/**
 * hubd_hub_api_space_request_hardware_async:
 * @self: a #HubdHubApi
 * @space_id: the Space's id
 * @flavor: the hardware, e.g. `t4-medium`
 * @sleep_time: seconds without traffic before the Space sleeps, -1 for
 *   never, or %HUBD_HUB_API_SLEEP_TIME_UNSET to leave it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the runtime
 * @user_data: for @callback
 *
 * `POST /api/spaces/{id}/hardware` with `{"flavor", "sleepTimeSeconds"?}`.
 * Finish with hubd_hub_api_space_finish() (the runtime).
 *
 * Since: 0.1
 */
void
hubd_hub_api_space_request_hardware_async(HubdHubApi *self,
					  const gchar *space_id,
					  const gchar *flavor,
					  gint64 sleep_time,
					  GCancellable *cancellable,
					  GAsyncReadyCallback callback,
					  gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req = NULL;
	JsonBuilder *body = spaces_body_new();

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (spaces_check_flavor(flavor, &error))
		req = spaces_request("POST", space_id, "hardware", NULL, &error);
	json_builder_set_member_name(body, "flavor");
	json_builder_add_string_value(body, flavor);
	if (sleep_time != HUBD_HUB_API_SLEEP_TIME_UNSET) {
		json_builder_set_member_name(body, "sleepTimeSeconds");
		json_builder_add_int_value(body, sleep_time);
	}
	spaces_send(self,
		    req,
		    body,
		    error,
		    cancellable,
		    callback,
		    user_data,
		    hubd_hub_api_space_request_hardware_async);
}

/**
 * hubd_hub_api_space_set_sleep_time_async:
 * @self: a #HubdHubApi
 * @space_id: the Space's id
 * @seconds: seconds without traffic before it sleeps; -1 for never
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the runtime
 * @user_data: for @callback
 *
 * `POST /api/spaces/{id}/sleeptime` with `{"seconds"}`. Finish with
 * hubd_hub_api_space_finish() (the runtime).
 *
 * Since: 0.1
 */
void
hubd_hub_api_space_set_sleep_time_async(HubdHubApi *self,
					const gchar *space_id,
					gint64 seconds,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req = NULL;
	JsonBuilder *body = spaces_body_new();

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (seconds < -1)
		g_set_error(&error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("A sleep time is a number of seconds, or -1 for never"));
	else
		req = spaces_request("POST", space_id, "sleeptime", NULL, &error);
	json_builder_set_member_name(body, "seconds");
	json_builder_add_int_value(body, seconds);
	spaces_send(self,
		    req,
		    body,
		    error,
		    cancellable,
		    callback,
		    user_data,
		    hubd_hub_api_space_set_sleep_time_async);
}

/**
 * hubd_hub_api_space_pause_async:
 * @self: a #HubdHubApi
 * @space_id: the Space's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the runtime
 * @user_data: for @callback
 *
 * `POST /api/spaces/{id}/pause`: stops the Space until it is restarted.
 * Finish with hubd_hub_api_space_finish() (the runtime).
 *
 * Since: 0.1
 */
void
hubd_hub_api_space_pause_async(HubdHubApi *self,
			       const gchar *space_id,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req = spaces_request("POST", space_id, "pause", NULL, &error);

	g_return_if_fail(HUBD_IS_HUB_API(self));
	spaces_send(self,
		    req,
		    NULL,
		    error,
		    cancellable,
		    callback,
		    user_data,
		    hubd_hub_api_space_pause_async);
}

/**
 * hubd_hub_api_space_restart_async:
 * @self: a #HubdHubApi
 * @space_id: the Space's id
 * @factory: a factory reboot: rebuild without the build cache
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the runtime
 * @user_data: for @callback
 *
 * `POST /api/spaces/{id}/restart[?factory=true]`. Finish with
 * hubd_hub_api_space_finish() (the runtime).
 *
 * Since: 0.1
 */
void
hubd_hub_api_space_restart_async(HubdHubApi *self,
				 const gchar *space_id,
				 gboolean factory,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req = spaces_request("POST", space_id, "restart", NULL, &error);

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (req != NULL && factory)
		hubd_hub_request_add_query(req, "factory", "true");
	spaces_send(self,
		    req,
		    NULL,
		    error,
		    cancellable,
		    callback,
		    user_data,
		    hubd_hub_api_space_restart_async);
}

/**
 * hubd_hub_api_space_set_dev_mode_async:
 * @self: a #HubdHubApi
 * @space_id: the Space's id
 * @enabled: on or off
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the runtime
 * @user_data: for @callback
 *
 * `POST /api/spaces/{id}/dev-mode` with `{"enabled"}`. Finish with
 * hubd_hub_api_space_finish() (the runtime).
 *
 * Since: 0.1
 */
void
hubd_hub_api_space_set_dev_mode_async(HubdHubApi *self,
				      const gchar *space_id,
				      gboolean enabled,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req = spaces_request("POST", space_id, "dev-mode", NULL, &error);
	JsonBuilder *body = spaces_body_new();

	g_return_if_fail(HUBD_IS_HUB_API(self));
	json_builder_set_member_name(body, "enabled");
	json_builder_add_boolean_value(body, enabled);
	spaces_send(self,
		    req,
		    body,
		    error,
		    cancellable,
		    callback,
		    user_data,
		    hubd_hub_api_space_set_dev_mode_async);
}

static const gchar *
spaces_store_segment(HubdHubSpaceStore store)
{
	return store == HUBD_HUB_SPACE_SECRETS ? "secrets" : "variables";
}

/* A secret's or variable's key becomes an environment variable in the
 * Space: letters, digits and underscores, not starting with a digit */
static gboolean
spaces_check_key(const gchar *key, GError **error)
{
	if (key != NULL && key[0] != '\0' && !g_ascii_isdigit(key[0]) && strlen(key) <= 256) {
		const gchar *p = key;

		while (*p != '\0' && (g_ascii_isalnum(*p) || *p == '_'))
			p++;
		if (*p == '\0')
			return TRUE;
	}
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("“%s” is not a valid key: use letters, digits and underscores, not "
		      "starting with a digit"),
		    key != NULL ? key : "");
	return FALSE;
}

/**
 * hubd_hub_api_space_list_store_async:
 * @self: a #HubdHubApi
 * @space_id: the Space's id
 * @store: secrets or variables
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the map
 * @user_data: for @callback
 *
 * `GET /api/spaces/{id}/secrets` (keys with `description` and `updatedAt`;
 * the Hub never returns a secret's value) or `…/variables` (with `value`
 * too). Finish with hubd_hub_api_space_finish(): an object keyed by name.
 *
 * Since: 0.1
 */
void
hubd_hub_api_space_list_store_async(HubdHubApi *self,
				    const gchar *space_id,
				    HubdHubSpaceStore store,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req =
		spaces_request("GET", space_id, spaces_store_segment(store), NULL, &error);

	g_return_if_fail(HUBD_IS_HUB_API(self));
	spaces_send(self,
		    req,
		    NULL,
		    error,
		    cancellable,
		    callback,
		    user_data,
		    hubd_hub_api_space_list_store_async);
}

/**
 * hubd_hub_api_space_add_to_store_async:
 * @self: a #HubdHubApi
 * @space_id: the Space's id
 * @store: secrets or variables
 * @key: the name, an environment variable name
 * @value: its value (a secret's never comes back)
 * @description: (nullable): what it is for
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * `POST /api/spaces/{id}/secrets|variables` with `{"key","value",
 * "description"?}`; adds or replaces. Finish with
 * hubd_hub_api_space_finish().
 *
 * Since: 0.1
 */
void
hubd_hub_api_space_add_to_store_async(HubdHubApi *self,
				      const gchar *space_id,
				      HubdHubSpaceStore store,
				      const gchar *key,
				      const gchar *value,
				      const gchar *description,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req = NULL;
	JsonBuilder *body = spaces_body_new();

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (spaces_check_key(key, &error))
		req = spaces_request("POST", space_id, spaces_store_segment(store), NULL, &error);
	json_builder_set_member_name(body, "key");
	json_builder_add_string_value(body, key);
	json_builder_set_member_name(body, "value");
	json_builder_add_string_value(body, value != NULL ? value : "");
	if (description != NULL && description[0] != '\0') {
		json_builder_set_member_name(body, "description");
		json_builder_add_string_value(body, description);
	}
	spaces_send(self,
		    req,
		    body,
		    error,
		    cancellable,
		    callback,
		    user_data,
		    hubd_hub_api_space_add_to_store_async);
}

/**
 * hubd_hub_api_space_delete_from_store_async:
 * @self: a #HubdHubApi
 * @space_id: the Space's id
 * @store: secrets or variables
 * @key: the name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * `DELETE /api/spaces/{id}/secrets|variables` with the JSON body `{"key"}`.
 * Finish with hubd_hub_api_space_finish().
 *
 * Since: 0.1
 */
void
hubd_hub_api_space_delete_from_store_async(HubdHubApi *self,
					   const gchar *space_id,
					   HubdHubSpaceStore store,
					   const gchar *key,
					   GCancellable *cancellable,
					   GAsyncReadyCallback callback,
					   gpointer user_data)
{
	GError *error = NULL;
	HubdHubRequest *req = NULL;
	JsonBuilder *body = spaces_body_new();

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (spaces_check_key(key, &error))
		req = spaces_request("DELETE", space_id, spaces_store_segment(store), NULL, &error);
	json_builder_set_member_name(body, "key");
	json_builder_add_string_value(body, key);
	spaces_send(self,
		    req,
		    body,
		    error,
		    cancellable,
		    callback,
		    user_data,
		    hubd_hub_api_space_delete_from_store_async);
}

/**
 * hubd_hub_api_space_finish:
 * @self: a #HubdHubApi
 * @result: the result of one of the hubd_hub_api_space_*_async() calls
 *   above (not the logs)
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): the Hub's JSON answer
 *
 * Since: 0.1
 */
JsonNode *
hubd_hub_api_space_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_get_json_finish(self, result, NULL, error);
}

/**
 * hubd_hub_api_space_logs_async:
 * @self: a #HubdHubApi
 * @space_id: the Space's id
 * @kind: build or run
 * @cancellable: (nullable): a #GCancellable; cancel it to stop following
 * @callback: called once the answer's headers are in
 * @user_data: for @callback
 *
 * `GET /api/spaces/{id}/logs/build|run`: server-sent events, one
 * `data: {"data": LINE, "timestamp": ISO}` per log line. The stream ends when
 * the Hub closes it (or at once after what is logged so far, for a Space not
 * building or running).
 *
 * Since: 0.1
 */
void
hubd_hub_api_space_logs_async(HubdHubApi *self,
			      const gchar *space_id,
			      HubdHubSpaceLogKind kind,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	GError *error = NULL;
	g_autoptr(HubdHubRequest) req =
		spaces_request("GET",
			       space_id,
			       "logs",
			       kind == HUBD_HUB_SPACE_LOGS_BUILD ? "build" : "run",
			       &error);

	g_return_if_fail(HUBD_IS_HUB_API(self));
	if (req == NULL) {
		g_task_report_error(self,
				    callback,
				    user_data,
				    hubd_hub_api_space_logs_async,
				    error);
		return;
	}
	hubd_hub_request_set_header(req, "Accept", "text/event-stream");
	/* a stream has no end to wait for: one attempt, no whole-request deadline */
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN |
					   HUBD_HUB_REQUEST_FLAG_NO_RETRY);
	hubd_hub_api_send_async(self, req, cancellable, callback, user_data);
}

/**
 * hubd_hub_api_space_logs_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): the event stream's body
 *
 * Since: 0.1
 */
GInputStream *
hubd_hub_api_space_logs_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_send_finish(self, result, NULL, error);
}
