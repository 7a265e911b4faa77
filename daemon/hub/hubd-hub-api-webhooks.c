/* hubd-hub-api-webhooks.c: HubdHubApi's webhook management, one function per
 * endpoint of /api/settings/webhooks.
 *
 * Wire format (docs/hub-webhooks.md §3, from huggingface_hub's hf_api.py
 * "Manage webhooks"): the listing is a bare JSON array; get, create, update,
 * enable and disable answer {"webhook": {...}}; update is a POST that always
 * carries `watched`; delete's body is ignored. Uses only HubdHubApi's public
 * functions. */
#define G_LOG_DOMAIN "HubdHubApi"

#include "hubd-hub-api-webhooks.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-error.h"
#include "hubd-json.h"

/* what a webhook id may be: the Hub's are 24-hex ObjectIds */
static gboolean
check_id(const gchar *webhook_id, GError **error)
{
	gsize n = webhook_id != NULL ? strlen(webhook_id) : 0;

	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isalnum(webhook_id[i]))
			n = 0;
	if (n == 0 || n > 64) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("“%s” is not a webhook id"),
			    webhook_id != NULL ? webhook_id : "");
		return FALSE;
	}
	return TRUE;
}

HubdHubWebhookWatched *
hubd_hub_webhook_watched_new(const gchar *type, const gchar *name)
{
	HubdHubWebhookWatched *w = g_new0(HubdHubWebhookWatched, 1);

	w->type = g_strdup(type);
	w->name = g_strdup(name);
	return w;
}

void
hubd_hub_webhook_watched_free(HubdHubWebhookWatched *w)
{
	g_free(w->type);
	g_free(w->name);
	g_free(w);
}

void
hubd_hub_webhook_free(HubdHubWebhook *webhook)
{
	if (webhook == NULL)
		return;
	g_free(webhook->id);
	g_free(webhook->url);
	g_clear_pointer(&webhook->watched, g_ptr_array_unref);
	g_strfreev(webhook->domains);
	g_free(webhook);
}

HubdHubWebhook *
hubd_hub_webhook_new_from_json(JsonNode *node, GError **error)
{
	JsonObject *obj = hubd_json_expect_object(node, "webhook", error);
	g_autoptr(HubdHubWebhook) webhook = NULL;
	g_autoptr(GStrvBuilder) domains = g_strv_builder_new();
	JsonArray *watched;
	JsonArray *doms;
	JsonNode *secret;

	if (obj == NULL)
		return NULL;
	/* get and the writes wrap it, the listing does not */
	if (hubd_json_get_object(obj, "webhook") != NULL)
		obj = hubd_json_get_object(obj, "webhook");
	webhook = g_new0(HubdHubWebhook, 1);
	webhook->id = hubd_json_dup_string(obj, "id");
	if (webhook->id == NULL) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The Hub's webhook has no id"));
		return NULL;
	}
	webhook->url = hubd_json_dup_string(obj, "url");
	webhook->watched =
		g_ptr_array_new_with_free_func((GDestroyNotify)hubd_hub_webhook_watched_free);
	watched = hubd_json_get_array(obj, "watched");
	for (guint i = 0; watched != NULL && i < json_array_get_length(watched); i++) {
		JsonNode *el = json_array_get_element(watched, i);
		JsonObject *w = JSON_NODE_HOLDS_OBJECT(el) ? json_node_get_object(el) : NULL;
		const gchar *type = w != NULL ? hubd_json_get_string(w, "type") : NULL;
		const gchar *name = w != NULL ? hubd_json_get_string(w, "name") : NULL;

		if (type != NULL && name != NULL)
			g_ptr_array_add(webhook->watched, hubd_hub_webhook_watched_new(type, name));
	}
	doms = hubd_json_get_array(obj, "domains");
	for (guint i = 0; doms != NULL && i < json_array_get_length(doms); i++) {
		JsonNode *el = json_array_get_element(doms, i);

		if (JSON_NODE_HOLDS_VALUE(el) && json_node_get_value_type(el) == G_TYPE_STRING)
			g_strv_builder_add(domains, json_node_get_string(el));
	}
	webhook->domains = g_strv_builder_end(domains);
	hubd_json_get_boolean(obj, "disabled", &webhook->disabled);
	secret = json_object_get_member(obj, "secret");
	webhook->has_secret = secret != NULL && !JSON_NODE_HOLDS_NULL(secret);
	return g_steal_pointer(&webhook);
}

static gchar *
webhook_path(const gchar *webhook_id, const gchar *action)
{
	const gchar *segments[] = {"settings", "webhooks", webhook_id, action, NULL};

	return hubd_hub_api_build_path(segments);
}

/* ---- reads ---- */

static gpointer
parse_listing(JsonNode *node, GError **error)
{
	g_autoptr(GPtrArray) list =
		g_ptr_array_new_with_free_func((GDestroyNotify)hubd_hub_webhook_free);
	JsonArray *arr;

	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The Hub's webhook list is not a list"));
		return NULL;
	}
	arr = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(arr) && i < HUBD_HUB_API_LIST_MAX; i++) {
		HubdHubWebhook *w =
			hubd_hub_webhook_new_from_json(json_array_get_element(arr, i), error);

		if (w == NULL)
			return NULL;
		g_ptr_array_add(list, w);
	}
	return g_steal_pointer(&list);
}

void
hubd_hub_api_list_webhooks_async(HubdHubApi *self,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autofree gchar *path = webhook_path(NULL, NULL);
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", path);

	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN);
	hubd_hub_api_get_parsed_async(self,
				      req,
				      parse_listing,
				      (GDestroyNotify)g_ptr_array_unref,
				      cancellable,
				      callback,
				      user_data);
}

GPtrArray *
hubd_hub_api_list_webhooks_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_get_parsed_finish(self, result, error);
}

/* A request answered with {"webhook": ...}, finished by
 * hubd_hub_api_webhook_finish(); `req` NULL reports `error`. */
static void
webhook_request(HubdHubApi *self,
		HubdHubRequest *req,
		GError *error,
		GCancellable *cancellable,
		GAsyncReadyCallback callback,
		gpointer user_data)
{
	if (req == NULL) {
		g_task_report_error(self,
				    callback,
				    user_data,
				    hubd_hub_api_get_parsed_async,
				    error);
		return;
	}
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN);
	hubd_hub_api_get_parsed_async(self,
				      req,
				      (HubdHubApiParseFunc)hubd_hub_webhook_new_from_json,
				      (GDestroyNotify)hubd_hub_webhook_free,
				      cancellable,
				      callback,
				      user_data);
}

static HubdHubRequest *
request_for(const gchar *method, const gchar *webhook_id, const gchar *action, GError **error)
{
	g_autofree gchar *path = NULL;

	if (!check_id(webhook_id, error))
		return NULL;
	path = webhook_path(webhook_id, action);
	return hubd_hub_request_new(method, path);
}

void
hubd_hub_api_get_webhook_async(HubdHubApi *self,
			       const gchar *webhook_id,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	GError *error = NULL;
	g_autoptr(HubdHubRequest) req = request_for("GET", webhook_id, NULL, &error);

	webhook_request(self, req, error, cancellable, callback, user_data);
}

HubdHubWebhook *
hubd_hub_api_webhook_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_get_parsed_finish(self, result, error);
}

/* ---- writes ---- */

static const gchar *const watched_types[] = {"model", "dataset", "space", "user", "org", NULL};
static const gchar *const domain_names[] = {"repo", "discussion", NULL};

static JsonNode *
webhook_body(GPtrArray *watched,
	     const gchar *url,
	     const gchar *const *domains,
	     const gchar *secret,
	     GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "watched");
	json_builder_begin_array(b);
	for (guint i = 0; watched != NULL && i < watched->len; i++) {
		HubdHubWebhookWatched *w = g_ptr_array_index(watched, i);

		if (!g_strv_contains(watched_types, w->type) || w->name == NULL ||
		    w->name[0] == '\0') {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("A webhook watches a model, dataset, space, user or org, not "
				      "“%s”"),
				    w->type);
			return NULL;
		}
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, w->type);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, w->name);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	if (url != NULL) {
		if (!g_str_has_prefix(url, "https://") && !g_str_has_prefix(url, "http://")) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("A webhook URL starts with https:// or http://, not “%s”"),
				    url);
			return NULL;
		}
		json_builder_set_member_name(b, "url");
		json_builder_add_string_value(b, url);
	}
	if (domains != NULL && domains[0] != NULL) {
		json_builder_set_member_name(b, "domains");
		json_builder_begin_array(b);
		for (guint i = 0; domains[i] != NULL; i++) {
			if (!g_strv_contains(domain_names, domains[i])) {
				g_set_error(
					error,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("A webhook domain is “repo” or “discussion”, not “%s”"),
					domains[i]);
				return NULL;
			}
			json_builder_add_string_value(b, domains[i]);
		}
		json_builder_end_array(b);
	}
	if (secret != NULL) {
		for (const gchar *c = secret; *c != '\0'; c++)
			if ((guchar)*c < 0x20 || (guchar)*c > 0x7e) {
				/* the Hub takes ASCII secrets only (§2) */
				g_set_error_literal(error,
						    HUBD_ERROR,
						    HUBD_ERROR_INVALID_ARGUMENT,
						    _("A webhook secret must be printable ASCII"));
				return NULL;
			}
		json_builder_set_member_name(b, "secret");
		json_builder_add_string_value(b, secret);
	}
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

void
hubd_hub_api_create_webhook_async(HubdHubApi *self,
				  GPtrArray *watched,
				  const gchar *url,
				  const gchar *const *domains,
				  const gchar *secret,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	GError *error = NULL;
	g_autofree gchar *path = webhook_path(NULL, NULL);
	g_autoptr(HubdHubRequest) req = NULL;
	g_autoptr(JsonNode) body = NULL;

	if (watched == NULL || watched->len == 0)
		g_set_error_literal(&error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("A webhook watches at least one repo, user or org"));
	else if (url == NULL)
		g_set_error_literal(&error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("A webhook needs a URL"));
	else
		body = webhook_body(watched, url, domains, secret, &error);
	if (body != NULL) {
		req = hubd_hub_request_new("POST", path);
		hubd_hub_request_set_json_body(req, body);
	}
	webhook_request(self, req, error, cancellable, callback, user_data);
}

void
hubd_hub_api_update_webhook_async(HubdHubApi *self,
				  const gchar *webhook_id,
				  GPtrArray *watched,
				  const gchar *url,
				  const gchar *const *domains,
				  const gchar *secret,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	GError *error = NULL;
	g_autoptr(HubdHubRequest) req = request_for("POST", webhook_id, NULL, &error);
	g_autoptr(JsonNode) body = NULL;

	if (req != NULL) {
		body = webhook_body(watched, url, domains, secret, &error);
		if (body != NULL)
			hubd_hub_request_set_json_body(req, body);
		else
			g_clear_pointer(&req, hubd_hub_request_unref);
	}
	webhook_request(self, req, error, cancellable, callback, user_data);
}

void
hubd_hub_api_enable_webhook_async(HubdHubApi *self,
				  const gchar *webhook_id,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	GError *error = NULL;
	g_autoptr(HubdHubRequest) req = request_for("POST", webhook_id, "enable", &error);

	webhook_request(self, req, error, cancellable, callback, user_data);
}

void
hubd_hub_api_disable_webhook_async(HubdHubApi *self,
				   const gchar *webhook_id,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	GError *error = NULL;
	g_autoptr(HubdHubRequest) req = request_for("POST", webhook_id, "disable", &error);

	webhook_request(self, req, error, cancellable, callback, user_data);
}

void
hubd_hub_api_delete_webhook_async(HubdHubApi *self,
				  const gchar *webhook_id,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	GError *error = NULL;
	g_autofree gchar *path = NULL;

	if (!check_id(webhook_id, &error)) {
		g_task_report_error(self, callback, user_data, hubd_hub_api_write_async, error);
		return;
	}
	path = webhook_path(webhook_id, NULL);
	hubd_hub_api_write_async(self,
				 "DELETE",
				 path,
				 NULL,
				 HUBD_HUB_API_FLAG_NONE,
				 cancellable,
				 callback,
				 user_data);
}

gboolean
hubd_hub_api_delete_webhook_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	return hubd_hub_api_write_finish(self, result, NULL, NULL, error);
}
