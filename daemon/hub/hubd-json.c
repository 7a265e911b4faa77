/* hubd-json.c: typed, NULL-safe reads of JSON object members */
#define G_LOG_DOMAIN "HubdJson"

#include "hubd-json.h"

#include <glib/gi18n.h>

#include "hubd-error.h"

static JsonNode *
hubd_json_get_member(JsonObject *obj, const gchar *member)
{
	return obj != NULL ? json_object_get_member(obj, member) : NULL;
}

const gchar *
hubd_json_get_string(JsonObject *obj, const gchar *member)
{
	JsonNode *node = hubd_json_get_member(obj, member);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

JsonObject *
hubd_json_get_object(JsonObject *obj, const gchar *member)
{
	JsonNode *node = hubd_json_get_member(obj, member);

	return node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
}

JsonArray *
hubd_json_get_array(JsonObject *obj, const gchar *member)
{
	JsonNode *node = hubd_json_get_member(obj, member);

	return node != NULL && JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
}

gboolean
hubd_json_get_number(JsonObject *obj, const gchar *member, gint64 *out)
{
	JsonNode *node = hubd_json_get_member(obj, member);
	GType t;

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node))
		return FALSE;
	t = json_node_get_value_type(node);
	if (t == G_TYPE_INT64)
		*out = json_node_get_int(node);
	else if (t == G_TYPE_DOUBLE)
		*out = (gint64)json_node_get_double(node);
	else
		return FALSE;
	return TRUE;
}

gboolean
hubd_json_get_boolean(JsonObject *obj, const gchar *member, gboolean *out)
{
	JsonNode *node = hubd_json_get_member(obj, member);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_BOOLEAN)
		return FALSE;
	*out = json_node_get_boolean(node);
	return TRUE;
}

gchar *
hubd_json_dup_string(JsonObject *obj, const gchar *member)
{
	const gchar *s = hubd_json_get_string(obj, member);

	if (s == NULL)
		return NULL;
	/* a copy either way */
	return g_utf8_make_valid(s, -1);
}

JsonObject *
hubd_json_expect_object(JsonNode *node, const gchar *what, GError **error)
{
	if (node != NULL && JSON_NODE_HOLDS_OBJECT(node))
		return json_node_get_object(node);
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_SERVER,
		    _("The Hub’s %s is not a JSON object"),
		    what);
	return NULL;
}
