/* testhub-card.c: README.md front matter via libyaml, licence checks, POST /api/validate-yaml. */
#include "testhub-card.h"

#include <string.h>
#include <yaml.h>

#include "testhub-http.h"
#include "testhub.h"

/* docs/hub-cards.md §2.2 */
static const gchar *const licenses[] = {
	"apache-2.0",
	"mit",
	"afl-3.0",
	"artistic-2.0",
	"bsl-1.0",
	"bsd",
	"bsd-2-clause",
	"bsd-3-clause",
	"bsd-3-clause-clear",
	"isc",
	"ms-pl",
	"mpl-2.0",
	"osl-3.0",
	"postgresql",
	"ncsa",
	"unlicense",
	"zlib",
	"wtfpl",
	"ecl-2.0",
	"epl-1.0",
	"epl-2.0",
	"eupl-1.1",
	"eupl-1.2",
	"agpl-3.0",
	"gfdl",
	"gpl",
	"gpl-2.0",
	"gpl-3.0",
	"lgpl",
	"lgpl-2.1",
	"lgpl-3.0",
	"lgpl-lr",
	"lppl-1.3c",
	"cc",
	"cc0-1.0",
	"cc-by-2.0",
	"cc-by-2.5",
	"cc-by-3.0",
	"cc-by-4.0",
	"cc-by-sa-3.0",
	"cc-by-sa-4.0",
	"cc-by-nc-2.0",
	"cc-by-nc-3.0",
	"cc-by-nc-4.0",
	"cc-by-nd-4.0",
	"cc-by-nc-nd-3.0",
	"cc-by-nc-nd-4.0",
	"cc-by-nc-sa-2.0",
	"cc-by-nc-sa-3.0",
	"cc-by-nc-sa-4.0",
	"c-uda",
	"cdla-sharing-1.0",
	"cdla-permissive-1.0",
	"cdla-permissive-2.0",
	"etalab-2.0",
	"odc-by",
	"odbl",
	"pddl",
	"ofl-1.1",
	"openrail",
	"bigscience-openrail-m",
	"creativeml-openrail-m",
	"bigscience-bloom-rail-1.0",
	"bigcode-openrail-m",
	"openrail++",
	"deepfloyd-if-license",
	"fair-noncommercial-research-license",
	"llama2",
	"llama3",
	"llama3.1",
	"llama3.2",
	"llama3.3",
	"llama4",
	"grok2-community",
	"gemma",
	"apple-ascl",
	"apple-amlr",
	"h-research",
	"intel-research",
	"openmdw-1.0",
	"openmdw-1.1",
	"unknown",
	"other",
	NULL,
};

gboolean
testhub_card_license_is_known(const gchar *id)
{
	return id != NULL && g_strv_contains(licenses, id);
}

/* ---- locating the block ---- */

static gboolean
is_eol(gchar c)
{
	return c == '\n' || c == '\r';
}

/* a closing "---" line starting at `p`; *end = just past its line break */
static gboolean
closing_line_at(const gchar *text, gsize len, gsize p, gsize *end)
{
	if (p + 3 > len || memcmp(text + p, "---", 3) != 0)
		return FALSE;
	p += 3;
	while (p < len && (text[p] == ' ' || text[p] == '\t'))
		p++;
	if (p < len && !is_eol(text[p]))
		return FALSE;
	*end = p;
	return TRUE;
}

gboolean
testhub_card_find_front_matter(const gchar *text, gsize len, gsize *yaml_start, gsize *yaml_len)
{
	gsize p = 0;
	gsize start;
	gsize end = 0;

	if (text == NULL)
		return FALSE;
	while (p < len && g_ascii_isspace(text[p]))
		p++;
	if (p + 3 > len || memcmp(text + p, "---", 3) != 0 || p + 3 >= len || !is_eol(text[p + 3]))
		return FALSE;
	p += 3;
	while (p < len && is_eol(text[p]))
		p++;
	start = p;
	/* an empty block ("---\n---") is allowed */
	if (closing_line_at(text, len, start, &end)) {
		*yaml_start = start;
		*yaml_len = 0;
		return TRUE;
	}
	for (gsize i = start; i < len; i++) {
		gsize j = i;

		if (!is_eol(text[i]))
			continue;
		while (j < len && is_eol(text[j]))
			j++;
		if (closing_line_at(text, len, j, &end)) {
			*yaml_start = start;
			*yaml_len = i - start;
			return TRUE;
		}
	}
	return FALSE;
}

/* ---- YAML → JSON ---- */

typedef struct {
	JsonNode *node;
	guint64 weight; /* nodes in the subtree, counted again at every alias */
} Anchor;

static void
anchor_free(gpointer data)
{
	Anchor *a = data;

	json_node_unref(a->node);
	g_free(a);
}

typedef struct {
	yaml_parser_t parser;
	GHashTable *anchors;
	guint64 nodes;
} YamlReader;

static gboolean
yaml_fail(GError **error, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static gboolean
yaml_fail(GError **error, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *message = NULL;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
	return FALSE;
}

static gboolean
next_event(YamlReader *r, yaml_event_t *event, GError **error)
{
	if (yaml_parser_parse(&r->parser, event))
		return TRUE;
	return yaml_fail(error,
			 "YAML syntax error at line %lu, column %lu: %s",
			 (gulong)r->parser.problem_mark.line + 1,
			 (gulong)r->parser.problem_mark.column + 1,
			 r->parser.problem != NULL ? r->parser.problem : "invalid YAML");
}

static gboolean
match_all(const gchar *s, const gchar *allowed)
{
	if (*s == '\0')
		return FALSE;
	for (; *s != '\0'; s++) {
		if (strchr(allowed, *s) == NULL)
			return FALSE;
	}
	return TRUE;
}

/* YAML 1.1 int (decimal or 0x hex, '_' separators) */
static gboolean
resolve_int(const gchar *s, gint64 *out)
{
	g_autoptr(GString) digits = g_string_new(NULL);
	const gchar *p = s;
	gboolean negative = FALSE;
	guint base = 10;
	guint64 value = 0;

	if (*p == '-' || *p == '+')
		negative = *p++ == '-';
	if (g_str_has_prefix(p, "0x")) {
		base = 16;
		p += 2;
		if (!match_all(p, "0123456789abcdefABCDEF_"))
			return FALSE;
	} else if (!match_all(p, "0123456789_") || *p == '_' || (p[0] == '0' && p[1] != '\0')) {
		return FALSE; /* "0123" is octal in YAML 1.1: left as a string */
	}
	for (; *p != '\0'; p++) {
		if (*p != '_')
			g_string_append_c(digits, *p);
	}
	if (!g_ascii_string_to_unsigned(digits->str, base, 0, G_MAXINT64, &value, NULL))
		return FALSE;
	*out = negative ? -(gint64)value : (gint64)value;
	return TRUE;
}

/* YAML 1.1 float: needs a '.', optional exponent with a sign */
static gboolean
resolve_float(const gchar *s, gdouble *out)
{
	const gchar *p = s;
	const gchar *dot;
	g_autofree gchar *clean = NULL;
	gchar *end = NULL;

	if (*p == '-' || *p == '+')
		p++;
	dot = strchr(p, '.');
	if (dot == NULL || !match_all(p, "0123456789_.eE+-") || !g_ascii_isdigit(p[0]) ||
	    strchr(dot + 1, '.') != NULL)
		return FALSE;
	clean = g_malloc(strlen(s) + 1);
	{
		gchar *w = clean;

		for (const gchar *c = s; *c != '\0'; c++) {
			if (*c != '_')
				*w++ = *c;
		}
		*w = '\0';
	}
	*out = g_ascii_strtod(clean, &end);
	return end != NULL && *end == '\0';
}

static JsonNode *
resolve_scalar(const gchar *value, gboolean plain)
{
	static const gchar *const trues[] =
		{"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", NULL};
	static const gchar *const falses[] =
		{"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", NULL};
	static const gchar *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
	JsonNode *node = json_node_new(JSON_NODE_VALUE);
	gint64 i = 0;
	gdouble d = 0;

	if (!plain) {
		json_node_set_string(node, value);
	} else if (g_strv_contains(nulls, value)) {
		json_node_init_null(node);
	} else if (g_strv_contains(trues, value)) {
		json_node_set_boolean(node, TRUE);
	} else if (g_strv_contains(falses, value)) {
		json_node_set_boolean(node, FALSE);
	} else if (resolve_int(value, &i)) {
		json_node_set_int(node, i);
	} else if (resolve_float(value, &d)) {
		json_node_set_double(node, d);
	} else {
		json_node_set_string(node, value);
	}
	return node;
}

static JsonNode *
read_node(YamlReader *r, yaml_event_t *event, guint depth, guint64 *weight, GError **error);

static gboolean
count_nodes(YamlReader *r, guint64 n, GError **error)
{
	r->nodes += n;
	if (r->nodes > TESTHUB_CARD_MAX_NODES)
		return yaml_fail(error, "YAML document too large (aliases expand too far)");
	return TRUE;
}

static JsonNode *
read_sequence(YamlReader *r, guint depth, guint64 *weight, GError **error)
{
	g_autoptr(JsonArray) array = json_array_new();
	JsonNode *node;

	for (;;) {
		yaml_event_t ev;
		JsonNode *child;
		guint64 w = 0;

		if (!next_event(r, &ev, error))
			return NULL;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		child = read_node(r, &ev, depth + 1, &w, error);
		yaml_event_delete(&ev);
		if (child == NULL)
			return NULL;
		*weight += w;
		json_array_add_element(array, child);
	}
	node = json_node_new(JSON_NODE_ARRAY);
	json_node_take_array(node, g_steal_pointer(&array));
	return node;
}

/* "<<: *base" merges the members the mapping does not set itself */
static void
merge_into(JsonObject *obj, JsonNode *value)
{
	JsonObject *src;
	g_autoptr(GList) members = NULL;

	if (!JSON_NODE_HOLDS_OBJECT(value))
		return;
	src = json_node_get_object(value);
	members = json_object_get_members(src);
	for (GList *l = members; l != NULL; l = l->next) {
		if (!json_object_has_member(obj, l->data))
			json_object_set_member(
				obj,
				l->data,
				json_node_copy(json_object_get_member(src, l->data)));
	}
}

static JsonNode *
read_mapping(YamlReader *r, guint depth, guint64 *weight, GError **error)
{
	g_autoptr(JsonObject) obj = json_object_new();
	JsonNode *node;

	for (;;) {
		yaml_event_t ev;
		g_autofree gchar *key = NULL;
		gboolean merge;
		JsonNode *value;
		guint64 w = 0;

		if (!next_event(r, &ev, error))
			return NULL;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			yaml_event_delete(&ev);
			yaml_fail(error, "Only scalar mapping keys are supported");
			return NULL;
		}
		key = g_strndup((const gchar *)ev.data.scalar.value, ev.data.scalar.length);
		merge = g_strcmp0(key, "<<") == 0 && ev.data.scalar.plain_implicit;
		yaml_event_delete(&ev);
		if (!next_event(r, &ev, error))
			return NULL;
		value = read_node(r, &ev, depth + 1, &w, error);
		yaml_event_delete(&ev);
		if (value == NULL)
			return NULL;
		*weight += w + 1;
		if (merge) {
			merge_into(obj, value);
			json_node_unref(value);
		} else {
			json_object_set_member(obj, key, value); /* duplicate keys: last wins */
		}
	}
	node = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(node, g_steal_pointer(&obj));
	return node;
}

static void
remember_anchor(YamlReader *r, const yaml_char_t *anchor, JsonNode *node, guint64 weight)
{
	Anchor *a;

	if (anchor == NULL)
		return;
	a = g_new0(Anchor, 1);
	a->node = json_node_ref(node);
	a->weight = weight;
	g_hash_table_replace(r->anchors, g_strdup((const gchar *)anchor), a);
}

static JsonNode *
read_node(YamlReader *r, yaml_event_t *event, guint depth, guint64 *weight, GError **error)
{
	JsonNode *node = NULL;
	const yaml_char_t *anchor = NULL;
	Anchor *alias;

	*weight = 1;
	if (depth > TESTHUB_CARD_MAX_DEPTH) {
		yaml_fail(error, "YAML document nested too deeply");
		return NULL;
	}
	switch (event->type) {
	case YAML_SCALAR_EVENT: {
		g_autofree gchar *value = g_strndup((const gchar *)event->data.scalar.value,
						    event->data.scalar.length);
		const gchar *tag = (const gchar *)event->data.scalar.tag;
		gboolean plain = event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
				 (tag == NULL || g_strcmp0(tag, "!") != 0) &&
				 g_strcmp0(tag, YAML_STR_TAG) != 0;

		anchor = event->data.scalar.anchor;
		node = resolve_scalar(value, plain);
		break;
	}
	case YAML_SEQUENCE_START_EVENT:
		anchor = event->data.sequence_start.anchor;
		node = read_sequence(r, depth, weight, error);
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = event->data.mapping_start.anchor;
		node = read_mapping(r, depth, weight, error);
		break;
	case YAML_ALIAS_EVENT:
		alias = g_hash_table_lookup(r->anchors, (const gchar *)event->data.alias.anchor);
		if (alias == NULL) {
			yaml_fail(error,
				  "Unknown YAML alias *%s",
				  (const gchar *)event->data.alias.anchor);
			return NULL;
		}
		/* a shared reference, but counted as a full copy */
		*weight = alias->weight;
		if (!count_nodes(r, alias->weight, error))
			return NULL;
		return json_node_copy(alias->node);
	default:
		yaml_fail(error, "Unexpected YAML event");
		return NULL;
	}
	if (node == NULL)
		return NULL;
	if (!count_nodes(r, 1, error)) {
		json_node_unref(node);
		return NULL;
	}
	remember_anchor(r, anchor, node, *weight);
	return node;
}

/* expects `type` as the next event */
static gboolean
expect_event(YamlReader *r, yaml_event_type_t type, GError **error)
{
	yaml_event_t ev;
	gboolean ok;

	if (!next_event(r, &ev, error))
		return FALSE;
	ok = ev.type == type;
	yaml_event_delete(&ev);
	if (!ok)
		return yaml_fail(error, "Expected a single YAML document");
	return TRUE;
}

JsonNode *
testhub_card_parse_yaml(const gchar *yaml, gsize len, GError **error)
{
	YamlReader r = {0};
	yaml_event_t ev;
	JsonNode *root = NULL;
	guint64 weight = 0;

	if (len > TESTHUB_CARD_MAX_YAML) {
		yaml_fail(error, "YAML metadata too large");
		return NULL;
	}
	if (!yaml_parser_initialize(&r.parser)) {
		yaml_fail(error, "Cannot initialise the YAML parser");
		return NULL;
	}
	r.anchors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, anchor_free);
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)yaml, len);
	if (expect_event(&r, YAML_STREAM_START_EVENT, error) && next_event(&r, &ev, error)) {
		if (ev.type == YAML_STREAM_END_EVENT) {
			/* an empty document is null, like yaml.safe_load("") */
			root = json_node_new(JSON_NODE_NULL);
			yaml_event_delete(&ev);
		} else {
			yaml_event_delete(&ev);
			if (next_event(&r, &ev, error)) {
				root = read_node(&r, &ev, 0, &weight, error);
				yaml_event_delete(&ev);
			}
			if (root != NULL && (!expect_event(&r, YAML_DOCUMENT_END_EVENT, error) ||
					     !expect_event(&r, YAML_STREAM_END_EVENT, error)))
				g_clear_pointer(&root, json_node_unref);
		}
	}
	g_hash_table_unref(r.anchors);
	yaml_parser_delete(&r.parser);
	return root;
}

JsonNode *
testhub_card_parse_front_matter(const gchar *text, gsize len, GError **error)
{
	gsize start = 0;
	gsize yaml_len = 0;
	JsonNode *root;

	if (!testhub_card_find_front_matter(text, len, &start, &yaml_len))
		return NULL;
	root = testhub_card_parse_yaml(text + start, yaml_len, error);
	if (root == NULL)
		return NULL;
	if (JSON_NODE_HOLDS_NULL(root)) {
		g_autoptr(JsonObject) empty = json_object_new();

		/* init_object takes its own reference */
		json_node_init_object(root, empty);
		return root;
	}
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		json_node_unref(root);
		yaml_fail(error, "repo card metadata block should be a dict");
		return NULL;
	}
	return root;
}

/* ---- validation ---- */

static gchar *
unknown_license_message(const gchar *id)
{
	g_autofree gchar *list = g_strjoinv(", ", (gchar **)licenses);

	return g_strdup_printf("\"license\" must be one of [%s], got \"%s\"", list, id);
}

static void
check_license_value(JsonNode *node, GPtrArray *errors)
{
	const gchar *id;

	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		g_ptr_array_add(errors, g_strdup("\"license\" must be a string"));
		return;
	}
	id = json_node_get_string(node);
	if (!testhub_card_license_is_known(id))
		g_ptr_array_add(errors, unknown_license_message(id));
}

static gboolean
has_string(JsonObject *card, const gchar *name)
{
	JsonNode *node = json_object_get_member(card, name);

	return node != NULL && JSON_NODE_HOLDS_VALUE(node) &&
	       json_node_get_value_type(node) == G_TYPE_STRING &&
	       *json_node_get_string(node) != '\0';
}

void
testhub_card_validate(JsonObject *card, GPtrArray *errors, GPtrArray *warnings)
{
	JsonNode *license = json_object_get_member(card, "license");
	gboolean other = FALSE;

	if (license == NULL || JSON_NODE_HOLDS_NULL(license))
		return;
	if (JSON_NODE_HOLDS_ARRAY(license)) {
		JsonArray *list = json_node_get_array(license);

		for (guint i = 0; i < json_array_get_length(list); i++) {
			JsonNode *item = json_array_get_element(list, i);

			check_license_value(item, errors);
			if (JSON_NODE_HOLDS_VALUE(item) &&
			    g_strcmp0(json_node_get_string(item), "other") == 0)
				other = TRUE;
		}
	} else {
		check_license_value(license, errors);
		other = JSON_NODE_HOLDS_VALUE(license) &&
			json_node_get_value_type(license) == G_TYPE_STRING &&
			g_strcmp0(json_node_get_string(license), "other") == 0;
	}
	/* a custom licence needs an id; the link defaults to the LICENSE file */
	if (other && !has_string(card, "license_name"))
		g_ptr_array_add(
			errors,
			g_strdup("\"license_name\" is required when \"license\" is \"other\""));
	if (other && !has_string(card, "license_link"))
		g_ptr_array_add(
			warnings,
			g_strdup("\"license_link\" is recommended when \"license\" is \"other\""));
}

/* ---- POST /api/validate-yaml ---- */

static JsonNode *
messages_node(GPtrArray *messages)
{
	JsonArray *array = json_array_new();
	JsonNode *node = json_node_new(JSON_NODE_ARRAY);

	for (guint i = 0; i < messages->len; i++) {
		JsonObject *obj = json_object_new();

		json_object_set_string_member(obj, "message", g_ptr_array_index(messages, i));
		json_array_add_object_element(array, obj);
	}
	json_node_take_array(node, array);
	return node;
}

static gboolean
wants_text(SoupServerMessage *msg)
{
	const gchar *accept =
		soup_message_headers_get_one(soup_server_message_get_request_headers(msg),
					     "Accept");

	return accept != NULL && strstr(accept, "text/plain") != NULL &&
	       strstr(accept, "json") == NULL;
}

void
testhub_handle_validate_yaml(TesthubContext *ctx, SoupServerMessage *msg)
{
	g_autoptr(JsonObject) body = testhub_request_json_object(msg);
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) card = NULL;
	JsonNode *content;
	JsonObject *reply;
	JsonNode *root;
	const gchar *text;

	if (body == NULL)
		return;
	content = json_object_get_member(body, "content");
	if (content == NULL || !JSON_NODE_HOLDS_VALUE(content) ||
	    json_node_get_value_type(content) != G_TYPE_STRING) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "\"content\" must be a string");
		return;
	}
	text = json_node_get_string(content);
	card = testhub_card_parse_front_matter(text, strlen(text), &error);
	if (error != NULL)
		g_ptr_array_add(errors, g_strdup(error->message));
	else if (card != NULL)
		testhub_card_validate(json_node_get_object(card), errors, warnings);

	if (errors->len > 0 && wants_text(msg)) {
		/* RepoCard.validate asks for text/plain and raises the body as is */
		g_autoptr(GString) out = g_string_new(NULL);
		g_autoptr(GBytes) bytes = NULL;

		for (guint i = 0; i < errors->len; i++)
			g_string_append_printf(out,
					       "- Error: %s\n",
					       (gchar *)g_ptr_array_index(errors, i));
		bytes = g_string_free_to_bytes(g_steal_pointer(&out));
		testhub_reply_bytes(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    "text/plain; charset=utf-8",
				    bytes);
		return;
	}
	reply = json_object_new();
	json_object_set_member(reply, "errors", messages_node(errors));
	json_object_set_member(reply, "warnings", messages_node(warnings));
	if (errors->len > 0) {
		/* hf_raise_for_status shows "error"; _validate_yaml lists "errors" */
		g_autofree gchar *joined = NULL;

		g_ptr_array_add(errors, NULL);
		joined = g_strjoinv("; ", (gchar **)errors->pdata);
		g_ptr_array_remove_index(errors, errors->len - 1);
		json_object_set_string_member(reply, "error", joined);
	}
	root = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(root, reply);
	testhub_reply_json(msg, errors->len > 0 ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_OK, root);
}
