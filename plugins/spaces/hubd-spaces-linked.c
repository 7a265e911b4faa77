/* hubd-spaces-linked.c: "Space demo linked to model" — LinkedSpaces (model
 * info's `spaces`) and LinkedModels (the Space card's `models:`, else Space
 * info's `models`) — and Duplicate */
#define G_LOG_DOMAIN "HubdSpaces"

#include <glib/gi18n.h>

#include "hubd-spaces-call.h"
#include "hubd-spaces-plugin.h"

/* The strings of `array` (a JSON array member of `o`), as a floating `as`. */
static GVariant *
string_array(JsonObject *o, const gchar *member)
{
	JsonNode *node = o != NULL ? json_object_get_member(o, member) : NULL;
	JsonArray *arr =
		node != NULL && JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonNode *el = json_array_get_element(arr, i);

		if (JSON_NODE_HOLDS_VALUE(el) && json_node_get_value_type(el) == G_TYPE_STRING &&
		    g_utf8_validate(json_node_get_string(el), -1, NULL))
			g_variant_builder_add(&b, "s", json_node_get_string(el));
	}
	return g_variant_builder_end(&b);
}

static JsonObject *
member_object(JsonObject *o, const gchar *member)
{
	JsonNode *node = o != NULL ? json_object_get_member(o, member) : NULL;

	return node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
}

static void
linked_info_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(SpacesCall) call = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubRepoInfo) info =
		hubd_hub_api_repo_info_finish(HUBD_HUB_API(source), res, &error);
	JsonObject *o;
	JsonObject *card;

	if (info == NULL) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	o = info->json != NULL && JSON_NODE_HOLDS_OBJECT(info->json)
		    ? json_node_get_object(info->json)
		    : NULL;
	/* SPACES_REPLY_RUNTIME stands for "a model's Spaces" here, NOTHING for
	 * "a Space's models" */
	if (call->reply == SPACES_REPLY_RUNTIME) {
		g_dbus_method_invocation_return_value(
			call->invocation,
			g_variant_new("(@as)", string_array(o, "spaces")));
		return;
	}
	card = member_object(o, "cardData");
	g_dbus_method_invocation_return_value(
		call->invocation,
		g_variant_new("(@as)",
			      string_array(card != NULL && json_object_has_member(card, "models")
						   ? card
						   : o,
					   "models")));
}

void
hubd_spaces_linked_spaces(HubdService *service,
			  GDBusMethodInvocation *invocation,
			  const gchar *model_id,
			  GVariant *options)
{
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, NULL);

	if (api != NULL)
		hubd_hub_api_repo_info_async(
			api,
			HUBD_REPO_TYPE_MODEL,
			model_id,
			NULL,
			HUBD_HUB_API_FLAG_NONE,
			NULL,
			linked_info_cb,
			spaces_call_new(service, invocation, SPACES_REPLY_RUNTIME));
}

void
hubd_spaces_linked_models(HubdService *service,
			  GDBusMethodInvocation *invocation,
			  const gchar *space_id,
			  GVariant *options)
{
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, NULL);

	if (api != NULL)
		hubd_hub_api_repo_info_async(
			api,
			HUBD_REPO_TYPE_SPACE,
			space_id,
			NULL,
			HUBD_HUB_API_FLAG_NONE,
			NULL,
			linked_info_cb,
			spaces_call_new(service, invocation, SPACES_REPLY_NOTHING));
}

/* ---- Duplicate ---- */

typedef struct {
	SpacesCall *call;
	HubdHubApi *api;
	gchar *from_id;
	gchar *to_id;
	JsonObject *extras;
} Duplicate;

static void
duplicate_free(Duplicate *d)
{
	spaces_call_free(d->call);
	g_object_unref(d->api);
	g_free(d->from_id);
	g_free(d->to_id);
	json_object_unref(d->extras);
	g_free(d);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Duplicate, duplicate_free)

static void
duplicate_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Duplicate) d = user_data;
	GError *error = NULL;
	g_autofree gchar *url =
		hubd_hub_api_duplicate_repo_finish(HUBD_HUB_API(source), res, &error);

	if (url == NULL) {
		hubd_service_return_error(d->call->invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(d->call->invocation, g_variant_new("(s)", url));
}

static void
duplicate_send(Duplicate *d)
{
	hubd_hub_api_duplicate_repo_async(d->api,
					  HUBD_REPO_TYPE_SPACE,
					  d->from_id,
					  d->to_id,
					  d->extras,
					  NULL,
					  duplicate_done_cb,
					  d);
}

/* No target namespace: the caller's own, as huggingface_hub's duplicate_repo. */
static void
duplicate_whoami_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Duplicate *d = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubWhoami) who =
		hubd_hub_api_whoami_finish(HUBD_HUB_API(source), res, &error);
	const gchar *name = strchr(d->from_id, '/') + 1;
	gchar *to_id;

	if (who == NULL) {
		hubd_service_return_error(d->call->invocation, error);
		duplicate_free(d);
		return;
	}
	to_id = g_strdup_printf("%s/%s", who->name, d->to_id[0] != '\0' ? d->to_id : name);
	g_free(d->to_id);
	d->to_id = to_id;
	duplicate_send(d);
}

/* {"key","value"} items from an a{ss} option */
static JsonArray *
duplicate_items(GVariant *options, const gchar *key)
{
	g_autoptr(GVariant) dict = g_variant_lookup_value(options, key, G_VARIANT_TYPE("a{ss}"));
	JsonArray *arr = json_array_new();
	GVariantIter iter;
	const gchar *k;
	const gchar *v;

	if (dict == NULL)
		return arr;
	g_variant_iter_init(&iter, dict);
	while (g_variant_iter_next(&iter, "{&s&s}", &k, &v)) {
		JsonObject *o = json_object_new();

		json_object_set_string_member(o, "key", k);
		json_object_set_string_member(o, "value", v);
		json_array_add_object_element(arr, o);
	}
	return arr;
}

void
hubd_spaces_duplicate(HubdService *service,
		      GDBusMethodInvocation *invocation,
		      const gchar *from_id,
		      const gchar *to_id,
		      GVariant *options)
{
	static const HubdServiceOption allowed[] = {{"private", "b"},
						    {"hardware", "s"},
						    {"sleep_time", "x"},
						    {"secrets", "a{ss}"},
						    {"variables", "a{ss}"},
						    {NULL, NULL}};
	g_autoptr(HubdHubApi) api = spaces_call_api(service, invocation, options, allowed);
	GError *error = NULL;
	gboolean private_ = FALSE;
	const gchar *hardware = NULL;
	gint64 sleep_time = 0;
	Duplicate *d;

	if (api == NULL)
		return;
	if (!hubd_repo_id_validate(from_id, TRUE, &error)) {
		hubd_service_return_error(invocation, error);
		return;
	}
	d = g_new0(Duplicate, 1);
	d->call = spaces_call_new(service, invocation, SPACES_REPLY_NOTHING);
	d->api = g_object_ref(api);
	d->from_id = g_strdup(from_id);
	d->to_id = g_strdup(to_id);
	d->extras = json_object_new();
	if (g_variant_lookup(options, "private", "b", &private_))
		json_object_set_string_member(d->extras,
					      "visibility",
					      private_ ? "private" : "public");
	if (g_variant_lookup(options, "hardware", "&s", &hardware))
		json_object_set_string_member(d->extras, "hardware", hardware);
	if (g_variant_lookup(options, "sleep_time", "x", &sleep_time))
		json_object_set_int_member(d->extras, "sleepTimeSeconds", sleep_time);
	for (guint i = 0; i < 2; i++) {
		const gchar *key = i == 0 ? "secrets" : "variables";
		g_autoptr(GVariant) given = g_variant_lookup_value(options, key, NULL);

		/* secret values go into the request body only, never a log */
		if (given != NULL)
			json_object_set_array_member(d->extras, key, duplicate_items(options, key));
	}
	if (strchr(to_id, '/') == NULL)
		hubd_hub_api_whoami_async(api, NULL, NULL, FALSE, NULL, duplicate_whoami_cb, d);
	else
		duplicate_send(d);
}
