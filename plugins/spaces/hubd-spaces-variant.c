/* hubd-spaces-variant.c: the Hub's Space JSON (docs/hub-spaces.md) as the
 * a{sv} dictionaries of org.hubd.Hub1.Spaces: snake_case keys, a key left out
 * when the Hub leaves it out, never a null */
#define G_LOG_DOMAIN "HubdSpaces"

#include "hubd-spaces-variant.h"

static const gchar *
member_string(JsonObject *o, const gchar *name)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, name) : NULL;

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

static gboolean
member_int(JsonObject *o, const gchar *name, gint64 *out)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, name) : NULL;

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return FALSE;
	if (json_node_get_value_type(n) == G_TYPE_INT64)
		*out = json_node_get_int(n);
	else if (json_node_get_value_type(n) == G_TYPE_DOUBLE)
		*out = (gint64)json_node_get_double(n);
	else
		return FALSE;
	return TRUE;
}

static JsonObject *
member_object(JsonObject *o, const gchar *name)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, name) : NULL;

	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonObject *
as_object(JsonNode *node)
{
	return node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
}

const gchar *
hubd_spaces_runtime_stage(JsonNode *node)
{
	return member_string(as_object(node), "stage");
}

const gchar *
hubd_spaces_runtime_error(JsonNode *node)
{
	return member_string(as_object(node), "errorMessage");
}

gboolean
hubd_spaces_stage_is_error(const gchar *stage)
{
	return g_strcmp0(stage, "BUILD_ERROR") == 0 || g_strcmp0(stage, "RUNTIME_ERROR") == 0 ||
	       g_strcmp0(stage, "CONFIG_ERROR") == 0 || g_strcmp0(stage, "NO_APP_FILE") == 0;
}

gboolean
hubd_spaces_stage_is_stopped(const gchar *stage)
{
	return g_strcmp0(stage, "PAUSED") == 0 || g_strcmp0(stage, "SLEEPING") == 0 ||
	       g_strcmp0(stage, "STOPPED") == 0 || g_strcmp0(stage, "DELETING") == 0;
}

GVariant *
hubd_spaces_runtime_to_variant(JsonNode *node)
{
	JsonObject *o = as_object(node);
	JsonObject *hw = member_object(o, "hardware");
	JsonObject *replicas = member_object(o, "replicas");
	JsonNode *domains = o != NULL ? json_object_get_member(o, "domains") : NULL;
	GVariantBuilder b;
	gint64 n = 0;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b,
			      "{sv}",
			      "stage",
			      g_variant_new_string(member_string(o, "stage") ?: "UNKNOWN"));
	g_variant_builder_add(&b,
			      "{sv}",
			      "hardware",
			      g_variant_new_string(member_string(hw, "current") ?: ""));
	g_variant_builder_add(&b,
			      "{sv}",
			      "requested_hardware",
			      g_variant_new_string(member_string(hw, "requested") ?: ""));
	/* gcTimeout null: never sleeps */
	if (!member_int(o, "gcTimeout", &n))
		n = -1;
	g_variant_builder_add(&b, "{sv}", "sleep_time", g_variant_new_int64(n));
	n = 0;
	member_int(replicas, "current", &n);
	g_variant_builder_add(&b, "{sv}", "replicas", g_variant_new_uint32((guint32)MAX(n, 0)));
	n = 1;
	member_int(replicas, "requested", &n);
	g_variant_builder_add(&b,
			      "{sv}",
			      "requested_replicas",
			      g_variant_new_uint32((guint32)MAX(n, 0)));
	g_variant_builder_add(
		&b,
		"{sv}",
		"dev_mode",
		g_variant_new_boolean(
			o != NULL &&
			json_object_get_boolean_member_with_default(o, "devMode", FALSE)));
	if (member_string(o, "sdk") != NULL)
		g_variant_builder_add(&b,
				      "{sv}",
				      "sdk",
				      g_variant_new_string(member_string(o, "sdk")));
	if (member_string(o, "errorMessage") != NULL)
		g_variant_builder_add(&b,
				      "{sv}",
				      "error_message",
				      g_variant_new_string(member_string(o, "errorMessage")));
	if (domains != NULL && JSON_NODE_HOLDS_ARRAY(domains) &&
	    json_array_get_length(json_node_get_array(domains)) > 0) {
		JsonNode *first = json_array_get_element(json_node_get_array(domains), 0);
		const gchar *domain = member_string(as_object(first), "domain");

		if (domain != NULL)
			g_variant_builder_add(&b, "{sv}", "domain", g_variant_new_string(domain));
	}
	return g_variant_builder_end(&b);
}

GVariant *
hubd_spaces_hardware_to_variant(JsonNode *node)
{
	GVariantBuilder b;
	JsonArray *arr =
		node != NULL && JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;

	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonObject *o = as_object(json_array_get_element(arr, i));
		JsonObject *acc = member_object(o, "accelerator");
		JsonNode *cost = o != NULL ? json_object_get_member(o, "unitCostUSD") : NULL;
		gint64 cpu = 0;

		if (member_string(o, "name") == NULL)
			continue;
		g_variant_builder_open(&b, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&b,
				      "{sv}",
				      "name",
				      g_variant_new_string(member_string(o, "name")));
		g_variant_builder_add(&b,
				      "{sv}",
				      "pretty_name",
				      g_variant_new_string(member_string(o, "prettyName")
								   ?: member_string(o, "name")));
		if (member_int(o, "cpu", &cpu))
			g_variant_builder_add(&b, "{sv}", "cpu", g_variant_new_int64(cpu));
		if (member_string(o, "ram") != NULL)
			g_variant_builder_add(&b,
					      "{sv}",
					      "ram",
					      g_variant_new_string(member_string(o, "ram")));
		if (member_string(acc, "model") != NULL)
			g_variant_builder_add(&b,
					      "{sv}",
					      "accelerator",
					      g_variant_new_string(member_string(acc, "model")));
		if (cost != NULL && JSON_NODE_HOLDS_VALUE(cost) &&
		    (json_node_get_value_type(cost) == G_TYPE_DOUBLE ||
		     json_node_get_value_type(cost) == G_TYPE_INT64))
			g_variant_builder_add(&b,
					      "{sv}",
					      "unit_cost_usd",
					      g_variant_new_double(json_node_get_double(cost)));
		if (member_string(o, "unitLabel") != NULL)
			g_variant_builder_add(&b,
					      "{sv}",
					      "unit_label",
					      g_variant_new_string(member_string(o, "unitLabel")));
		g_variant_builder_close(&b);
	}
	return g_variant_builder_end(&b);
}

GVariant *
hubd_spaces_store_to_variant(JsonNode *node, gboolean with_values)
{
	JsonObject *o = as_object(node);
	g_autoptr(GList) keys = o != NULL ? json_object_get_members(o) : NULL;
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	keys = g_list_sort(keys, (GCompareFunc)g_strcmp0);
	for (GList *l = keys; l != NULL; l = l->next) {
		JsonObject *entry = member_object(o, l->data);

		g_variant_builder_open(&b, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&b, "{sv}", "key", g_variant_new_string(l->data));
		/* a secret's value is never passed on, whatever the answer holds */
		if (with_values && member_string(entry, "value") != NULL)
			g_variant_builder_add(&b,
					      "{sv}",
					      "value",
					      g_variant_new_string(member_string(entry, "value")));
		if (member_string(entry, "description") != NULL)
			g_variant_builder_add(
				&b,
				"{sv}",
				"description",
				g_variant_new_string(member_string(entry, "description")));
		if (member_string(entry, "updatedAt") != NULL)
			g_variant_builder_add(
				&b,
				"{sv}",
				"updated_at",
				g_variant_new_string(member_string(entry, "updatedAt")));
		g_variant_builder_close(&b);
	}
	return g_variant_builder_end(&b);
}
