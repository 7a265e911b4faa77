/* hubd-hub-api.c: HubdHubApi, one function per Hub endpoint; the only Hub URL builder
 *
 * This file holds the object and the generic authenticated requests (what
 * plugins use for endpoints the layer does not type yet). The URL builders
 * are in hubd-hub-api-urls.c, the pager in hubd-hub-api-pager.c, the
 * endpoints by area in hubd-hub-api-{repos,manage,refs,files,upload}.c, the
 * generic write in hubd-hub-api-write.c: they
 * use this file's public functions only. HubdHubClient stays the transport:
 * token, retries, redirects, error mapping. */
#define G_LOG_DOMAIN "HubdHubApi"

#include "hubd-hub-api.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-client.h"

struct _HubdHubApi {
	GObject parent_instance;
	HubdHubClient *client;
	gchar *library_name; /* added to every request's user agent; may be NULL */
	gchar *library_version;
	gchar *token_name; /* a stored token's name, for every request; may be NULL */
};

G_DEFINE_TYPE(HubdHubApi, hubd_hub_api, G_TYPE_OBJECT)

static void
hubd_hub_api_finalize(GObject *object)
{
	HubdHubApi *self = HUBD_HUB_API(object);

	g_object_unref(self->client);
	g_free(self->library_name);
	g_free(self->library_version);
	g_free(self->token_name);
	G_OBJECT_CLASS(hubd_hub_api_parent_class)->finalize(object);
}

static void
hubd_hub_api_class_init(HubdHubApiClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_hub_api_finalize;
}

static void
hubd_hub_api_init(HubdHubApi *self)
{
}

/**
 * hubd_hub_api_new:
 * @client: the transport
 *
 * Makes the Hub API on top of @client. The daemon makes one, next to its
 * #HubdHubClient; plugins reach it with hubd_context_get_hub_api().
 *
 * Returns: (transfer full): a new #HubdHubApi
 *
 * Since: 0.1
 */
HubdHubApi *
hubd_hub_api_new(HubdHubClient *client)
{
	HubdHubApi *self;

	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(client), NULL);
	self = g_object_new(HUBD_TYPE_HUB_API, NULL);
	self->client = g_object_ref(client);
	return self;
}

/**
 * hubd_hub_api_new_for_library:
 * @api: a #HubdHubApi
 * @name: (nullable): the calling application's name
 * @version: (nullable): its version
 *
 * The same API, whose requests name the application in their user agent
 * (`hubd/VERSION; NAME/VERSION; …`, as huggingface_hub's `library_name`).
 * It shares @api's client: same token, connections and whoami cache.
 *
 * Returns: (transfer full): a new #HubdHubApi
 *
 * Since: 0.1
 */
HubdHubApi *
hubd_hub_api_new_for_library(HubdHubApi *api, const gchar *name, const gchar *version)
{
	g_return_val_if_fail(HUBD_IS_HUB_API(api), NULL);
	return hubd_hub_api_new_for_caller(api, name, version, api->token_name);
}

/**
 * hubd_hub_api_new_for_caller:
 * @api: a #HubdHubApi
 * @library_name: (nullable): the calling application's name
 * @library_version: (nullable): its version
 * @token_name: (nullable): the stored token every request is sent with;
 *   %NULL for the active one
 *
 * The same API for one caller: its requests name the application in their
 * user agent (as hubd_hub_api_new_for_library()) and go with the stored
 * token @token_name of the Hub they are sent to, while the active token
 * stays active for everyone else. A name that is not stored fails each
 * request with %HUBD_ERROR_NOT_LOGGED_IN. It shares @api's client:
 * connections and whoami cache (keyed by the token itself, never its name).
 * Services make one per call with hubd_hub_api_new_for_call().
 *
 * Returns: (transfer full): a new #HubdHubApi
 *
 * Since: 0.1
 */
HubdHubApi *
hubd_hub_api_new_for_caller(HubdHubApi *api,
			    const gchar *library_name,
			    const gchar *library_version,
			    const gchar *token_name)
{
	HubdHubApi *self;

	g_return_val_if_fail(HUBD_IS_HUB_API(api), NULL);
	/* not hubd_hub_api_new(): its check of the client cannot fail here */
	self = g_object_new(HUBD_TYPE_HUB_API, NULL);
	self->client = g_object_ref(api->client);
	if (library_name != NULL && library_name[0] != '\0') {
		self->library_name = g_strdup(library_name);
		self->library_version = g_strdup(library_version);
	}
	if (token_name != NULL && token_name[0] != '\0')
		self->token_name = g_strdup(token_name);
	return self;
}

/**
 * hubd_hub_api_new_for_call:
 * @api: a #HubdHubApi
 * @options: (nullable): a D-Bus method's trailing `a{sv}`, checked already
 *   (hubd_service_check_hub_options())
 *
 * The API one D-Bus call talks to the Hub with: hubd_hub_api_new_for_caller()
 * with the call's `token_name`, `library_name` and `library_version`
 * options (any of them may be missing). Every service and plugin builds its
 * per-call API here, so the options mean the same on every method.
 *
 * Returns: (transfer full): a new #HubdHubApi
 *
 * Since: 0.1
 */
HubdHubApi *
hubd_hub_api_new_for_call(HubdHubApi *api, GVariant *options)
{
	const gchar *token_name = NULL;
	const gchar *library_name = NULL;
	const gchar *library_version = NULL;

	g_return_val_if_fail(HUBD_IS_HUB_API(api), NULL);
	if (options != NULL) {
		g_variant_lookup(options, "token_name", "&s", &token_name);
		g_variant_lookup(options, "library_name", "&s", &library_name);
		g_variant_lookup(options, "library_version", "&s", &library_version);
	}
	return hubd_hub_api_new_for_caller(api, library_name, library_version, token_name);
}

/**
 * hubd_hub_api_get_token_name:
 * @self: a #HubdHubApi
 *
 * Returns: (nullable): the stored token's name @self's requests use, or
 *   %NULL for the active token
 *
 * Since: 0.1
 */
const gchar *
hubd_hub_api_get_token_name(HubdHubApi *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_API(self), NULL);
	return self->token_name;
}

/**
 * hubd_hub_api_get_client:
 * @self: a #HubdHubApi
 *
 * Returns: (transfer none): the transport underneath
 *
 * Since: 0.1
 */
HubdHubClient *
hubd_hub_api_get_client(HubdHubApi *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_API(self), NULL);
	return self->client;
}

/**
 * hubd_hub_api_get_endpoint:
 * @self: a #HubdHubApi
 *
 * Returns: the Hub's URL, without a trailing '/'
 *
 * Since: 0.1
 */
const gchar *
hubd_hub_api_get_endpoint(HubdHubApi *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_API(self), NULL);
	return hubd_hub_client_get_endpoint(self->client);
}

/**
 * hubd_hub_api_is_offline:
 * @self: a #HubdHubApi
 *
 * Returns: %TRUE when `HF_HUB_OFFLINE` is set: every request then fails with
 *   %HUBD_ERROR_OFFLINE before anything is sent
 *
 * Since: 0.1
 */
gboolean
hubd_hub_api_is_offline(HubdHubApi *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_API(self), FALSE);
	return hubd_hub_client_is_offline(self->client);
}

/* ---- authenticated requests ---- */

static void
hubd_hub_api_prepare(HubdHubApi *self, HubdHubRequest *req)
{
	if (self->library_name != NULL)
		hubd_hub_request_set_library(req, self->library_name, self->library_version);
	if (self->token_name != NULL)
		hubd_hub_request_set_token_name(req, self->token_name);
}

static void
hubd_hub_api_request_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	HubdHubResponse *resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);

	if (resp == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, resp, (GDestroyNotify)hubd_hub_response_unref);
}

/**
 * hubd_hub_api_request_async:
 * @self: a #HubdHubApi
 * @req: the request; its path comes from hubd_hub_api_build_path() or
 *   hubd_hub_api_build_repo_path(), or it is a URL the Hub handed out
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: for @callback
 *
 * Sends @req with the current token (which the caller never sees; it goes to
 * the Hub's own origin only) and reads the whole answer. HTTP errors become
 * #HUBD_ERROR errors unless the request has
 * %HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR.
 *
 * Since: 0.1
 */
void
hubd_hub_api_request_async(HubdHubApi *self,
			   HubdHubRequest *req,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	GTask *task;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	g_return_if_fail(req != NULL);
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_request_async);
	hubd_hub_api_prepare(self, req);
	hubd_hub_client_request_async(self->client,
				      req,
				      cancellable,
				      hubd_hub_api_request_cb,
				      task);
}

/**
 * hubd_hub_api_request_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): the answer
 *
 * Since: 0.1
 */
HubdHubResponse *
hubd_hub_api_request_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
hubd_hub_api_send_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	HubdHubResponse *resp = NULL;
	GError *error = NULL;
	GInputStream *stream =
		hubd_hub_client_send_finish(HUBD_HUB_CLIENT(source), res, &resp, &error);

	if (stream == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_set_task_data(task, resp, (GDestroyNotify)hubd_hub_response_unref);
	g_task_return_pointer(task, stream, g_object_unref);
}

/**
 * hubd_hub_api_send_async:
 * @self: a #HubdHubApi
 * @req: the request, as for hubd_hub_api_request_async()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the final answer's headers are in
 * @user_data: for @callback
 *
 * As hubd_hub_api_request_async(), but hands the body over as a stream,
 * unread (downloads, server-sent events).
 *
 * Since: 0.1
 */
void
hubd_hub_api_send_async(HubdHubApi *self,
			HubdHubRequest *req,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	GTask *task;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	g_return_if_fail(req != NULL);
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_send_async);
	hubd_hub_api_prepare(self, req);
	hubd_hub_client_send_async(self->client, req, cancellable, hubd_hub_api_send_cb, task);
}

/**
 * hubd_hub_api_send_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @response_out: (out) (optional) (transfer full): the answer's status and
 *   headers
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): the body
 *
 * Since: 0.1
 */
GInputStream *
hubd_hub_api_send_finish(HubdHubApi *self,
			 GAsyncResult *result,
			 HubdHubResponse **response_out,
			 GError **error)
{
	GInputStream *stream;

	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	stream = g_task_propagate_pointer(G_TASK(result), error);
	if (stream != NULL && response_out != NULL)
		*response_out = hubd_hub_response_ref(g_task_get_task_data(G_TASK(result)));
	return stream;
}

static void
hubd_hub_api_json_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	HubdHubResponse *resp = NULL;
	GError *error = NULL;
	JsonNode *node =
		hubd_hub_client_get_json_finish(HUBD_HUB_CLIENT(source), res, &resp, &error);

	if (node == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_set_task_data(task, resp, (GDestroyNotify)hubd_hub_response_unref);
	g_task_return_pointer(task, node, (GDestroyNotify)json_node_unref);
}

/**
 * hubd_hub_api_get_json_async:
 * @self: a #HubdHubApi
 * @req: the request, as for hubd_hub_api_request_async()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: for @callback
 *
 * As hubd_hub_api_request_async(), asking for and parsing a JSON answer.
 *
 * Since: 0.1
 */
void
hubd_hub_api_get_json_async(HubdHubApi *self,
			    HubdHubRequest *req,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	GTask *task;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	g_return_if_fail(req != NULL);
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_get_json_async);
	hubd_hub_api_prepare(self, req);
	hubd_hub_client_get_json_async(self->client, req, cancellable, hubd_hub_api_json_cb, task);
}

/**
 * hubd_hub_api_get_json_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @response_out: (out) (optional) (transfer full): the answer's status and
 *   headers
 * @error: return location for a #HUBD_ERROR error; %HUBD_ERROR_SERVER when
 *   the answer is not JSON
 *
 * Returns: (transfer full) (nullable): the parsed answer
 *
 * Since: 0.1
 */
JsonNode *
hubd_hub_api_get_json_finish(HubdHubApi *self,
			     GAsyncResult *result,
			     HubdHubResponse **response_out,
			     GError **error)
{
	JsonNode *node;

	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	node = g_task_propagate_pointer(G_TASK(result), error);
	if (node != NULL && response_out != NULL)
		*response_out = hubd_hub_response_ref(g_task_get_task_data(G_TASK(result)));
	return node;
}

/**
 * hubd_hub_api_parse_response:
 * @response: a buffered answer (hubd_hub_api_request_finish())
 * @error: return location for a %HUBD_ERROR_SERVER error
 *
 * Parses the body of an answer that is JSON under another media type (the
 * LFS batch API's `application/vnd.git-lfs+json`).
 *
 * Returns: (transfer full) (nullable): the parsed body
 *
 * Since: 0.1
 */
JsonNode *
hubd_hub_api_parse_response(HubdHubResponse *response, GError **error)
{
	return hubd_hub_response_parse_json(response, error);
}

typedef struct {
	HubdHubApiParseFunc parse;
	GDestroyNotify result_free;
} ParseData;

static void
hubd_hub_api_parsed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ParseData *pd = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(JsonNode) node =
		hubd_hub_api_get_json_finish(HUBD_HUB_API(source), res, NULL, &error);
	gpointer result;

	if (node == NULL) {
		g_task_return_error(task, error);
		return;
	}
	result = pd->parse(node, &error);
	if (result == NULL) {
		g_task_return_error(
			task,
			error != NULL ? error
				      : g_error_new_literal(HUBD_ERROR,
							    HUBD_ERROR_SERVER,
							    _("The Hub’s answer is not usable")));
		return;
	}
	g_task_return_pointer(task, result, pd->result_free);
}

/**
 * hubd_hub_api_get_parsed_async:
 * @self: a #HubdHubApi
 * @req: the request, as for hubd_hub_api_request_async()
 * @parse: (scope call): turns the JSON answer into a typed result, or
 *   returns %NULL and sets an error
 * @result_free: frees what @parse returns
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: for @callback
 *
 * As hubd_hub_api_get_json_async(), then @parse (for example
 * hubd_hub_repo_info_new_from_json()).
 *
 * Since: 0.1
 */
void
hubd_hub_api_get_parsed_async(HubdHubApi *self,
			      HubdHubRequest *req,
			      HubdHubApiParseFunc parse,
			      GDestroyNotify result_free,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	GTask *task;
	ParseData *pd;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	g_return_if_fail(parse != NULL);
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_get_parsed_async);
	pd = g_new0(ParseData, 1);
	pd->parse = parse;
	pd->result_free = result_free;
	g_task_set_task_data(task, pd, g_free);
	hubd_hub_api_get_json_async(self, req, cancellable, hubd_hub_api_parsed_cb, task);
}

/**
 * hubd_hub_api_get_parsed_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer full) (nullable): what the parse function returned
 *
 * Since: 0.1
 */
gpointer
hubd_hub_api_get_parsed_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}
