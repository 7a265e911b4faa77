/* hubd-card.c: a repo card's YAML front matter parsed with libyaml (pure; fuzzed) */
#define G_LOG_DOMAIN "HubdCard"

#include "hubd-card.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <yaml.h>

#include "hubd-error.h"

#define HUBD_CARD_MAX_DEPTH 64
#define HUBD_CARD_MAX_SIZE  (1024 * 1024)

typedef struct {
	yaml_parser_t parser;
	const gchar *yaml; /* the YAML text inside README.md */
	gsize yaml_len;
	guint line_offset; /* lines of README.md before the YAML text */
} HubdCardParser;

/* ---- finding the block, like huggingface_hub's REGEX_YAML_BLOCK ---- */

static gboolean
hubd_card_is_space(gchar c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static guint
hubd_card_count_lines(const gchar *p, const gchar *end)
{
	guint n = 0;

	for (; p < end; p++) {
		/* CRLF is one break, a lone CR another */
		if (*p == '\n' || (*p == '\r' && (p + 1 == end || p[1] != '\n')))
			n++;
	}
	return n;
}

/* The YAML text between the delimiters, or FALSE when there is no block:
 * optional whitespace, "---", line breaks, the YAML, line breaks, "---",
 * optional spaces or tabs, then a line break or the end of the file. */
static gboolean
hubd_card_find_block(const gchar *text,
		     gsize len,
		     const gchar **yaml,
		     gsize *yaml_len,
		     guint *line_offset)
{
	const gchar *end = text + len;
	const gchar *p = text;
	const gchar *start;

	while (p < end && hubd_card_is_space(*p))
		p++;
	if (end - p < 3 || memcmp(p, "---", 3) != 0)
		return FALSE;
	p += 3;
	if (p == end || (*p != '\n' && *p != '\r'))
		return FALSE;
	/* the opening breaks; the last one may also be the closing's (empty block) */
	start = p;
	while (start < end && (*start == '\n' || *start == '\r'))
		start++;
	for (const gchar *q = p; q < end; q++) {
		const gchar *r;
		const gchar *body_end = q;

		if (*q != '\n' && *q != '\r')
			continue;
		while (q < end && (*q == '\n' || *q == '\r'))
			q++;
		r = q;
		if (end - r >= 3 && memcmp(r, "---", 3) == 0) {
			r += 3;
			while (r < end && (*r == ' ' || *r == '\t'))
				r++;
			if (r == end || *r == '\n' || *r == '\r') {
				if (body_end < start)
					start = body_end; /* "---\n---" */
				*yaml = start;
				*yaml_len = (gsize)(body_end - start);
				*line_offset = hubd_card_count_lines(text, start);
				return TRUE;
			}
		}
		q--; /* the loop's q++ moves to the first byte after the breaks */
	}
	return FALSE;
}

gboolean
hubd_card_find_front_matter(const gchar *text,
			    gsize len,
			    gsize *yaml_offset,
			    gsize *yaml_len,
			    guint *line_offset,
			    gsize *body)
{
	const gchar *yaml = NULL;
	const gchar *end = text + len;
	const gchar *p;
	gsize n = 0;
	guint lines = 0;

	g_return_val_if_fail(text != NULL || len == 0, FALSE);
	if (text == NULL || !hubd_card_find_block(text, len, &yaml, &n, &lines))
		return FALSE;
	/* the closing line: breaks, "---", spaces or tabs, one line break */
	p = yaml + n;
	while (p < end && (*p == '\n' || *p == '\r'))
		p++;
	p += 3;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '\r')
		p++;
	if (p < end && *p == '\n' && (p == text || p[-1] != '\n'))
		p++;
	if (yaml_offset != NULL)
		*yaml_offset = (gsize)(yaml - text);
	if (yaml_len != NULL)
		*yaml_len = n;
	if (line_offset != NULL)
		*line_offset = lines;
	if (body != NULL)
		*body = (gsize)(MIN(p, end) - text);
	return TRUE;
}

/* ---- YAML 1.1 types of plain scalars, as PyYAML's safe_load resolves them ---- */

static gboolean
hubd_card_all_in(const gchar *s, const gchar *set)
{
	return *s != '\0' && s[strspn(s, set)] == '\0';
}

static gchar *
hubd_card_strip_underscores(const gchar *s)
{
	GString *str = g_string_new(NULL);

	for (; *s != '\0'; s++) {
		if (*s != '_')
			g_string_append_c(str, *s);
	}
	return g_string_free(str, FALSE);
}

/* "[0-5]?[0-9]" */
static gboolean
hubd_card_is_sexagesimal_digit(const gchar *s, gsize n)
{
	if (n == 1)
		return g_ascii_isdigit(s[0]);
	return n == 2 && s[0] >= '0' && s[0] <= '5' && g_ascii_isdigit(s[1]);
}

/* 190:20:30 (int) or 190:20:30.15 (float); `s` has no sign */
static JsonNode *
hubd_card_sexagesimal(const gchar *s, gboolean negative)
{
	g_auto(GStrv) parts = g_strsplit(s, ":", -1);
	guint n = g_strv_length(parts);
	gboolean is_float = FALSE;
	gdouble value = 0;
	g_autofree gchar *head = NULL;
	JsonNode *node;

	if (n < 2 || !g_ascii_isdigit(parts[0][0]) || !hubd_card_all_in(parts[0], "0123456789_"))
		return NULL;
	for (guint i = 1; i < n; i++) {
		const gchar *dot = strchr(parts[i], '.');
		gsize digits = dot != NULL ? (gsize)(dot - parts[i]) : strlen(parts[i]);

		if (!hubd_card_is_sexagesimal_digit(parts[i], digits))
			return NULL;
		if (dot != NULL) {
			if (i != n - 1 ||
			    (dot[1] != '\0' && !hubd_card_all_in(dot + 1, "0123456789_")))
				return NULL;
			is_float = TRUE;
		}
	}
	/* integers need a non-zero first digit, floats don't */
	if (!is_float && parts[0][0] == '0')
		return NULL;
	head = hubd_card_strip_underscores(parts[0]);
	value = g_ascii_strtod(head, NULL);
	for (guint i = 1; i < n; i++) {
		g_autofree gchar *part = hubd_card_strip_underscores(parts[i]);
		value = value * 60 + g_ascii_strtod(part, NULL);
	}
	if (negative)
		value = -value;
	node = json_node_new(JSON_NODE_VALUE);
	if (!is_float && value >= -9.0e18 && value <= 9.0e18)
		json_node_set_int(node, (gint64)value);
	else
		json_node_set_double(node, value);
	return node;
}

static JsonNode *
hubd_card_int(const gchar *s)
{
	gboolean negative = s[0] == '-';
	const gchar *p = s[0] == '-' || s[0] == '+' ? s + 1 : s;
	g_autofree gchar *digits = NULL;
	guint base = 10;
	gchar *endp = NULL;
	guint64 value;
	JsonNode *node;

	if (g_str_has_prefix(p, "0b") && hubd_card_all_in(p + 2, "01_")) {
		base = 2;
		p += 2;
	} else if (g_str_has_prefix(p, "0x") &&
		   hubd_card_all_in(p + 2, "0123456789abcdefABCDEF_")) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1] != '\0' && hubd_card_all_in(p + 1, "01234567_")) {
		base = 8;
		p += 1;
	} else if (g_strcmp0(p, "0") == 0 ||
		   (p[0] >= '1' && p[0] <= '9' && hubd_card_all_in(p, "0123456789_"))) {
		base = 10;
	} else if (p[0] >= '1' && p[0] <= '9' && strchr(p, ':') != NULL && strchr(p, '.') == NULL) {
		return hubd_card_sexagesimal(p, negative);
	} else {
		return NULL;
	}
	digits = hubd_card_strip_underscores(p);
	if (digits[0] == '\0')
		return NULL;
	errno = 0;
	value = g_ascii_strtoull(digits, &endp, base);
	node = json_node_new(JSON_NODE_VALUE);
	if (errno == 0 && *endp == '\0' && value <= (guint64)G_MAXINT64) {
		json_node_set_int(node, negative ? -(gint64)value : (gint64)value);
	} else if (base == 10) {
		/* too big for JSON integers: keep the magnitude */
		gdouble d = g_ascii_strtod(digits, NULL);
		json_node_set_double(node, negative ? -d : d);
	} else {
		json_node_unref(node);
		return NULL;
	}
	return node;
}

static gboolean
hubd_card_is_exponent(const gchar *s)
{
	if (*s == '\0')
		return TRUE;
	if (*s != 'e' && *s != 'E')
		return FALSE;
	if (s[1] != '-' && s[1] != '+')
		return FALSE;
	return hubd_card_all_in(s + 2, "0123456789");
}

static JsonNode *
hubd_card_float(const gchar *s)
{
	gboolean negative = s[0] == '-';
	const gchar *p = s[0] == '-' || s[0] == '+' ? s + 1 : s;
	const gchar *q;
	g_autofree gchar *clean = NULL;
	JsonNode *node;

	if (p[0] == '.' && p == s && g_ascii_isdigit(p[1])) {
		q = p + 1; /* ".5": no sign allowed, as in PyYAML */
	} else if (g_ascii_isdigit(p[0])) {
		if (strchr(p, ':') != NULL)
			return hubd_card_sexagesimal(p, negative);
		q = p + strspn(p, "0123456789_");
		if (*q != '.')
			return NULL;
		q++;
	} else {
		/* .inf and .nan: JSON cannot hold them, they stay strings */
		return NULL;
	}
	q += strspn(q, "0123456789_");
	if (!hubd_card_is_exponent(q))
		return NULL;
	clean = hubd_card_strip_underscores(s);
	node = json_node_new(JSON_NODE_VALUE);
	json_node_set_double(node, g_ascii_strtod(clean, NULL));
	return node;
}

static JsonNode *
hubd_card_resolve_plain(const gchar *s)
{
	static const gchar *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
	static const gchar *const trues[] =
		{"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", NULL};
	static const gchar *const falses[] =
		{"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", NULL};
	JsonNode *node;

	if (g_strv_contains(nulls, s))
		return json_node_new(JSON_NODE_NULL);
	if (g_strv_contains(trues, s) || g_strv_contains(falses, s)) {
		node = json_node_new(JSON_NODE_VALUE);
		json_node_set_boolean(node, g_strv_contains(trues, s));
		return node;
	}
	node = hubd_card_int(s);
	if (node == NULL)
		node = hubd_card_float(s);
	return node;
}

JsonNode *
hubd_card_resolve_plain_scalar(const gchar *s)
{
	g_return_val_if_fail(s != NULL, NULL);
	return hubd_card_resolve_plain(s);
}

/* ---- the event walk ---- */

static gboolean
hubd_card_fail_at(HubdCardParser *self, const yaml_mark_t *mark, GError **error, const gchar *why)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    /* TRANSLATORS: the card is README.md; %s says what is wrong */
		    _("Invalid card metadata (YAML front matter) at line %u: %s"),
		    (guint)(self->line_offset + mark->line + 1),
		    why);
	return FALSE;
}

static gboolean
hubd_card_next(HubdCardParser *self, yaml_event_t *event, GError **error)
{
	g_autofree gchar *why = NULL;

	if (yaml_parser_parse(&self->parser, event))
		return TRUE;
	/* libyaml's messages are static ASCII, safe to pass on */
	if (self->parser.context != NULL)
		why = g_strdup_printf("%s %s",
				      self->parser.problem != NULL ? self->parser.problem : "error",
				      self->parser.context);
	else
		why = g_strdup(self->parser.problem != NULL ? self->parser.problem
							    : "cannot parse YAML");
	memset(event, 0, sizeof(*event));
	if (self->parser.error == YAML_READER_ERROR) {
		/* bad bytes (NUL, invalid UTF-8) come with an offset, not a mark */
		yaml_mark_t mark = {0};
		gsize offset = MIN(self->parser.problem_offset, self->yaml_len);
		mark.line = hubd_card_count_lines(self->yaml, self->yaml + offset);
		return hubd_card_fail_at(self, &mark, error, why);
	}
	return hubd_card_fail_at(self, &self->parser.problem_mark, error, why);
}

/* refuses what JSON and a plain data card do not need */
static gboolean
hubd_card_check_event(HubdCardParser *self, const yaml_event_t *event, GError **error)
{
	const yaml_char_t *anchor = NULL;
	const yaml_char_t *tag = NULL;

	switch (event->type) {
	case YAML_ALIAS_EVENT:
		return hubd_card_fail_at(self,
					 &event->start_mark,
					 error,
					 _("aliases (*name) are not supported"));
	case YAML_SCALAR_EVENT:
		anchor = event->data.scalar.anchor;
		tag = event->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = event->data.sequence_start.anchor;
		tag = event->data.sequence_start.tag;
		if (tag != NULL && g_strcmp0((const gchar *)tag, YAML_SEQ_TAG) == 0)
			tag = NULL;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = event->data.mapping_start.anchor;
		tag = event->data.mapping_start.tag;
		if (tag != NULL && g_strcmp0((const gchar *)tag, YAML_MAP_TAG) == 0)
			tag = NULL;
		break;
	default:
		break;
	}
	if (anchor != NULL)
		return hubd_card_fail_at(self,
					 &event->start_mark,
					 error,
					 _("anchors (&name) are not supported"));
	if (tag != NULL && event->type != YAML_SCALAR_EVENT)
		return hubd_card_fail_at(self,
					 &event->start_mark,
					 error,
					 _("unsupported YAML tag"));
	return TRUE;
}

static JsonNode *
hubd_card_scalar(HubdCardParser *self, const yaml_event_t *event, GError **error)
{
	const gchar *value = (const gchar *)event->data.scalar.value;
	const gchar *tag = (const gchar *)event->data.scalar.tag;
	JsonNode *node = NULL;

	if (tag == NULL || g_strcmp0(tag, "!") == 0) {
		if (event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && tag == NULL)
			node = hubd_card_resolve_plain(value);
	} else if (g_strcmp0(tag, YAML_NULL_TAG) == 0 || g_strcmp0(tag, YAML_BOOL_TAG) == 0 ||
		   g_strcmp0(tag, YAML_INT_TAG) == 0 || g_strcmp0(tag, YAML_FLOAT_TAG) == 0) {
		node = hubd_card_resolve_plain(value);
		if (node == NULL) {
			hubd_card_fail_at(self,
					  &event->start_mark,
					  error,
					  _("value does not match its tag"));
			return NULL;
		}
	} else if (g_strcmp0(tag, YAML_STR_TAG) != 0) {
		hubd_card_fail_at(self, &event->start_mark, error, _("unsupported YAML tag"));
		return NULL;
	}
	if (node == NULL) {
		/* a "\0" escape cannot go into a JSON string: cut there */
		node = json_node_new(JSON_NODE_VALUE);
		json_node_set_string(node, value);
	}
	return node;
}

static JsonNode *
hubd_card_node(HubdCardParser *self, yaml_event_t *event, guint depth, GError **error);

static JsonNode *
hubd_card_sequence(HubdCardParser *self, guint depth, GError **error)
{
	g_autoptr(JsonArray) array = json_array_new();
	JsonNode *node;

	for (;;) {
		yaml_event_t event;
		JsonNode *child;

		if (!hubd_card_next(self, &event, error))
			return NULL;
		if (event.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&event);
			break;
		}
		child = hubd_card_node(self, &event, depth + 1, error);
		yaml_event_delete(&event);
		if (child == NULL)
			return NULL;
		json_array_add_element(array, child);
	}
	node = json_node_new(JSON_NODE_ARRAY);
	json_node_set_array(node, array);
	return node;
}

static JsonNode *
hubd_card_mapping(HubdCardParser *self, guint depth, GError **error)
{
	g_autoptr(JsonObject) object = json_object_new();
	JsonNode *node;

	for (;;) {
		yaml_event_t event;
		g_autofree gchar *key = NULL;
		JsonNode *value;

		if (!hubd_card_next(self, &event, error))
			return NULL;
		if (event.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&event);
			break;
		}
		if (event.type != YAML_SCALAR_EVENT) {
			if (hubd_card_check_event(self, &event, error))
				hubd_card_fail_at(
					self,
					&event.start_mark,
					error,
					_("keys must be plain text, not lists or mappings"));
			yaml_event_delete(&event);
			return NULL;
		}
		if (!hubd_card_check_event(self, &event, error)) {
			yaml_event_delete(&event);
			return NULL;
		}
		key = g_strdup((const gchar *)event.data.scalar.value);
		yaml_event_delete(&event);

		if (!hubd_card_next(self, &event, error))
			return NULL;
		value = hubd_card_node(self, &event, depth + 1, error);
		yaml_event_delete(&event);
		if (value == NULL)
			return NULL;
		/* a repeated key replaces the earlier value, as in PyYAML */
		json_object_set_member(object, key, value);
	}
	node = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(node, object);
	return node;
}

static JsonNode *
hubd_card_node(HubdCardParser *self, yaml_event_t *event, guint depth, GError **error)
{
	if (!hubd_card_check_event(self, event, error))
		return NULL;
	if (depth > HUBD_CARD_MAX_DEPTH &&
	    (event->type == YAML_SEQUENCE_START_EVENT || event->type == YAML_MAPPING_START_EVENT)) {
		hubd_card_fail_at(self, &event->start_mark, error, _("nested too deeply"));
		return NULL;
	}
	switch (event->type) {
	case YAML_SCALAR_EVENT:
		return hubd_card_scalar(self, event, error);
	case YAML_SEQUENCE_START_EVENT:
		return hubd_card_sequence(self, depth, error);
	case YAML_MAPPING_START_EVENT:
		return hubd_card_mapping(self, depth, error);
	default:
		hubd_card_fail_at(self, &event->start_mark, error, _("unexpected YAML structure"));
		return NULL;
	}
}

static JsonNode *
hubd_card_empty_object(void)
{
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);

	json_node_take_object(node, json_object_new());
	return node;
}

/* stream-start, at most one document holding a mapping, stream-end */
static JsonNode *
hubd_card_document(HubdCardParser *self, GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	yaml_event_t event;

	if (!hubd_card_next(self, &event, error))
		return NULL;
	yaml_event_delete(&event); /* stream start */
	if (!hubd_card_next(self, &event, error))
		return NULL;
	if (event.type == YAML_STREAM_END_EVENT) {
		/* an empty block is empty metadata */
		yaml_event_delete(&event);
		return hubd_card_empty_object();
	}
	yaml_event_delete(&event); /* document start */
	if (!hubd_card_next(self, &event, error))
		return NULL;
	root = hubd_card_node(self, &event, 1, error);
	if (root == NULL) {
		yaml_event_delete(&event);
		return NULL;
	}
	if (JSON_NODE_HOLDS_NULL(root)) {
		json_node_unref(root);
		root = hubd_card_empty_object();
	} else if (!JSON_NODE_HOLDS_OBJECT(root)) {
		hubd_card_fail_at(self,
				  &event.start_mark,
				  error,
				  _("the metadata must be a mapping of keys to values"));
		yaml_event_delete(&event);
		return NULL;
	}
	yaml_event_delete(&event);
	if (!hubd_card_next(self, &event, error))
		return NULL;
	yaml_event_delete(&event); /* document end */
	if (!hubd_card_next(self, &event, error))
		return NULL;
	if (event.type != YAML_STREAM_END_EVENT) {
		hubd_card_fail_at(self,
				  &event.start_mark,
				  error,
				  _("expected a single YAML document, found another one"));
		yaml_event_delete(&event);
		return NULL;
	}
	yaml_event_delete(&event);
	return g_steal_pointer(&root);
}

JsonNode *
hubd_card_parse_front_matter(const gchar *text, gsize len, GError **error)
{
	HubdCardParser self = {0};
	const gchar *yaml = NULL;
	gsize yaml_len = 0;
	JsonNode *root;

	g_return_val_if_fail(text != NULL || len == 0, NULL);

	if (text == NULL || !hubd_card_find_block(text, len, &yaml, &yaml_len, &self.line_offset))
		return NULL;
	self.yaml = yaml;
	self.yaml_len = yaml_len;
	if (yaml_len > HUBD_CARD_MAX_SIZE) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The card metadata (YAML front matter) is larger than %u KiB"),
			    (guint)(HUBD_CARD_MAX_SIZE / 1024));
		return NULL;
	}
	if (!yaml_parser_initialize(&self.parser)) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_FAILED,
				    _("Cannot start the YAML parser"));
		return NULL;
	}
	yaml_parser_set_encoding(&self.parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&self.parser, (const guchar *)yaml, yaml_len);
	root = hubd_card_document(&self, error);
	yaml_parser_delete(&self.parser);
	return root;
}

gchar *
hubd_card_dup_license(JsonNode *front_matter)
{
	JsonObject *object;
	JsonNode *node;

	if (front_matter == NULL || !JSON_NODE_HOLDS_OBJECT(front_matter))
		return NULL;
	object = json_node_get_object(front_matter);
	node = json_object_get_member(object, "license");
	if (node == NULL)
		return NULL;
	/* datasets may list several: the first one names the card's licence */
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		if (json_array_get_length(array) == 0)
			return NULL;
		node = json_array_get_element(array, 0);
	}
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING ||
	    json_node_get_string(node)[0] == '\0')
		return NULL;
	return g_strdup(json_node_get_string(node));
}
