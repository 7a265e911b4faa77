/* hubd-cards-variant.c: card metadata between JSON and a{sv} (pure) */
#define G_LOG_DOMAIN "HubdCards"

#include "hubd-cards-variant.h"

#include <glib/gi18n.h>

#include "hubd-card-validate.h"
#include "hubd-error.h"

static GVariant *
node_to_variant(JsonNode *node);

static GVariant *
array_to_variant(JsonArray *array)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("av"));
	for (guint i = 0; i < json_array_get_length(array); i++)
		g_variant_builder_add(&b, "v", node_to_variant(json_array_get_element(array, i)));
	return g_variant_builder_end(&b);
}

static GVariant *
node_to_variant(JsonNode *node)
{
	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT:
		return hubd_cards_variant_from_json(json_node_get_object(node));
	case JSON_NODE_ARRAY:
		return array_to_variant(json_node_get_array(node));
	case JSON_NODE_NULL:
		return g_variant_new_string("");
	case JSON_NODE_VALUE:
	default:
		switch (json_node_get_value_type(node)) {
		case G_TYPE_BOOLEAN:
			return g_variant_new_boolean(json_node_get_boolean(node));
		case G_TYPE_DOUBLE:
			return g_variant_new_double(json_node_get_double(node));
		case G_TYPE_INT64:
			return g_variant_new_int64(json_node_get_int(node));
		default:
			return g_variant_new_string(json_node_get_string(node) != NULL
							    ? json_node_get_string(node)
							    : "");
		}
	}
}

GVariant *
hubd_cards_variant_from_json(JsonObject *object)
{
	GVariantBuilder b;
	g_autoptr(GList) members = json_object_get_members(object);

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	for (GList *l = members; l != NULL; l = l->next) {
		JsonNode *value = json_object_get_member(object, l->data);

		if (JSON_NODE_HOLDS_NULL(value))
			continue;
		g_variant_builder_add(&b, "{sv}", (const gchar *)l->data, node_to_variant(value));
	}
	return g_variant_builder_end(&b);
}

JsonObject *
hubd_cards_variant_to_json(GVariant *dict, GError **error)
{
	g_autoptr(JsonNode) node = NULL;

	if (!g_variant_is_of_type(dict, G_VARIANT_TYPE_VARDICT)) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Card metadata must be an a{sv}"));
		return NULL;
	}
	/* json-glib writes variants, a{sv} and av as JSON values, objects, arrays */
	node = json_gvariant_serialize(dict);
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Card metadata must be a mapping of keys to values"));
		return NULL;
	}
	return json_object_ref(json_node_get_object(node));
}

GVariant *
hubd_cards_variant_problems(GPtrArray *problems)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a(ussss)"));
	for (guint i = 0; i < problems->len; i++) {
		HubdCardProblem *p = g_ptr_array_index(problems, i);

		g_variant_builder_add(&b,
				      "(ussss)",
				      p->line,
				      hubd_card_problem_level_to_string(p->level),
				      p->rule,
				      p->key,
				      p->message);
	}
	return g_variant_builder_end(&b);
}
