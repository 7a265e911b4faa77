/* hubd-card-layout.c: where things are in a card's README.md (pure; fuzzed) */
#define G_LOG_DOMAIN "HubdCard"

#include "hubd-card-layout.h"

#include <string.h>
#include <yaml.h>

#include "hubd-card.h"

#define HUBD_CARD_LAYOUT_MAX_DEPTH 64

typedef struct {
	HubdCardLayout *layout;
	yaml_parser_t parser;
	const gchar *text;
	const gchar *yaml;
	gsize yaml_len;
	guint line_offset;
	gboolean failed;
} Walk;

static void
hubd_card_key_span_free(HubdCardKeySpan *span)
{
	g_free(span->key);
	g_free(span);
}

void
hubd_card_layout_free(HubdCardLayout *self)
{
	if (self == NULL)
		return;
	g_ptr_array_unref(self->keys);
	g_hash_table_unref(self->lines);
	g_free(self);
}

static gboolean
walk_next(Walk *walk, yaml_event_t *event)
{
	if (walk->failed || !yaml_parser_parse(&walk->parser, event)) {
		if (!walk->failed && walk->parser.error != YAML_NO_ERROR)
			walk->layout->error_line =
				walk->line_offset + (guint)walk->parser.problem_mark.line + 1;
		walk->failed = TRUE;
		memset(event, 0, sizeof(*event));
		return FALSE;
	}
	return TRUE;
}

static void
walk_record(Walk *walk, const gchar *path, const yaml_mark_t *mark)
{
	if (!g_hash_table_contains(walk->layout->lines, path))
		g_hash_table_insert(walk->layout->lines,
				    g_strdup(path),
				    GUINT_TO_POINTER(walk->line_offset + (guint)mark->line + 1));
}

/* libyaml's marks count characters; the YAML parsed, so it is UTF-8 */
static gsize
walk_byte(Walk *walk, const yaml_mark_t *mark)
{
	glong chars = g_utf8_strlen(walk->yaml, (gssize)walk->yaml_len);
	glong index = MIN((glong)mark->index, chars);

	return (gsize)(g_utf8_offset_to_pointer(walk->yaml, index) - walk->yaml);
}

/* Walks the node that starts with `event` (taken); `end_mark` gets the
 * mark after it. */
static void
walk_node(Walk *walk, yaml_event_t *event, const gchar *path, guint depth, yaml_mark_t *end_mark)
{
	yaml_event_type_t type = event->type;

	walk_record(walk, path, &event->start_mark);
	*end_mark = event->end_mark;
	yaml_event_delete(event);
	if (type != YAML_SEQUENCE_START_EVENT && type != YAML_MAPPING_START_EVENT)
		return;
	if (depth > HUBD_CARD_LAYOUT_MAX_DEPTH) {
		walk->failed = TRUE;
		return;
	}
	for (guint i = 0;; i++) {
		yaml_event_t child;
		g_autofree gchar *child_path = NULL;

		if (!walk_next(walk, &child))
			return;
		if (child.type == YAML_SEQUENCE_END_EVENT || child.type == YAML_MAPPING_END_EVENT) {
			*end_mark = child.end_mark;
			yaml_event_delete(&child);
			return;
		}
		if (type == YAML_MAPPING_START_EVENT) {
			const gchar *key = child.type == YAML_SCALAR_EVENT
						   ? (const gchar *)child.data.scalar.value
						   : "?";

			child_path =
				path[0] != '\0' ? g_strconcat(path, "/", key, NULL) : g_strdup(key);
			walk_record(walk, child_path, &child.start_mark);
			if (child.type != YAML_SCALAR_EVENT) {
				walk_node(walk, &child, child_path, depth + 1, end_mark);
			} else {
				yaml_event_delete(&child);
			}
			if (!walk_next(walk, &child))
				return;
		} else {
			child_path = g_strdup_printf("%s/%u", path, i);
		}
		walk_node(walk, &child, child_path, depth + 1, end_mark);
		if (walk->failed)
			return;
	}
}

/* the start of the line holding `offset`, in the YAML text */
static gsize
walk_line_start(Walk *walk, gsize offset)
{
	while (offset > 0 && walk->yaml[offset - 1] != '\n' && walk->yaml[offset - 1] != '\r')
		offset--;
	return offset;
}

/* past the line break ending the line that holds `offset` (unless offset
 * already starts a line) */
static gsize
walk_line_end(Walk *walk, gsize offset)
{
	if (offset == 0 || walk->yaml[offset - 1] == '\n' ||
	    (walk->yaml[offset - 1] == '\r' &&
	     (offset == walk->yaml_len || walk->yaml[offset] != '\n')))
		return offset;
	while (offset < walk->yaml_len && walk->yaml[offset] != '\n' && walk->yaml[offset] != '\r')
		offset++;
	if (offset < walk->yaml_len && walk->yaml[offset] == '\r')
		offset++;
	if (offset < walk->yaml_len && walk->yaml[offset] == '\n')
		offset++;
	return offset;
}

/* the top-level mapping: each key's span, and every node's line */
static void
walk_top(Walk *walk)
{
	yaml_event_t event;
	gboolean block;

	if (!walk_next(walk, &event)) /* stream start */
		return;
	yaml_event_delete(&event);
	if (!walk_next(walk, &event))
		return;
	if (event.type != YAML_DOCUMENT_START_EVENT) {
		/* an empty block: editable, nothing in it */
		yaml_event_delete(&event);
		walk->layout->editable = TRUE;
		return;
	}
	yaml_event_delete(&event);
	if (!walk_next(walk, &event))
		return;
	if (event.type != YAML_MAPPING_START_EVENT) {
		yaml_mark_t end;
		gboolean empty = event.type == YAML_SCALAR_EVENT && event.data.scalar.length == 0 &&
				 event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;

		walk_node(walk, &event, "", 1, &end);
		walk->layout->editable = empty && !walk->failed;
		return;
	}
	block = event.data.mapping_start.style == YAML_BLOCK_MAPPING_STYLE;
	yaml_event_delete(&event);
	for (;;) {
		HubdCardKeySpan *span;
		yaml_mark_t end;
		const gchar *key;

		if (!walk_next(walk, &event))
			return;
		if (event.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&event);
			break;
		}
		if (event.type != YAML_SCALAR_EVENT) {
			/* a complex key: readable, but not something to edit in place */
			block = FALSE;
			walk_node(walk, &event, "?", 2, &end);
			if (!walk_next(walk, &event))
				return;
			walk_node(walk, &event, "?", 2, &end);
			continue;
		}
		key = (const gchar *)event.data.scalar.value;
		span = g_new0(HubdCardKeySpan, 1);
		span->key = g_strdup(key);
		span->start = walk_line_start(walk, walk_byte(walk, &event.start_mark));
		g_ptr_array_add(walk->layout->keys, span);
		walk_record(walk, key, &event.start_mark);
		yaml_event_delete(&event);
		if (!walk_next(walk, &event))
			return;
		walk_node(walk, &event, span->key, 2, &end);
		if (walk->failed)
			return;
		span->end = walk_line_end(walk, walk_byte(walk, &end));
	}
	/* spans are bytes of the README.md, not of the YAML text */
	for (guint i = 0; i < walk->layout->keys->len; i++) {
		HubdCardKeySpan *span = g_ptr_array_index(walk->layout->keys, i);

		span->start += walk->layout->yaml_start;
		span->end += walk->layout->yaml_start;
	}
	walk->layout->editable = block;
}

HubdCardLayout *
hubd_card_layout_new(const gchar *text, gsize len)
{
	HubdCardLayout *self = g_new0(HubdCardLayout, 1);
	Walk walk = {0};
	gsize yaml_len = 0;

	self->keys = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_card_key_span_free);
	self->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->eol = "\n";
	self->body_line = 1;
	if (!hubd_card_find_front_matter(text,
					 len,
					 &self->yaml_start,
					 &yaml_len,
					 &walk.line_offset,
					 &self->body_start))
		return self;
	self->has_block = TRUE;
	self->yaml_line = walk.line_offset + 1;
	self->yaml_end = self->yaml_start + yaml_len;
	for (gsize i = 0; i < self->body_start; i++) {
		if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n')))
			self->body_line++;
	}
	if (memchr(text, '\r', self->body_start) != NULL)
		self->eol = "\r\n";
	walk.layout = self;
	walk.text = text;
	walk.yaml = text + self->yaml_start;
	walk.yaml_len = yaml_len;
	if (!yaml_parser_initialize(&walk.parser))
		return self;
	yaml_parser_set_encoding(&walk.parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&walk.parser, (const guchar *)walk.yaml, yaml_len);
	walk_top(&walk);
	yaml_parser_delete(&walk.parser);
	if (walk.failed) {
		g_ptr_array_set_size(self->keys, 0);
		self->editable = FALSE;
	}
	return self;
}

guint
hubd_card_layout_get_line(HubdCardLayout *self, const gchar *path)
{
	g_autofree gchar *p = g_strdup(path != NULL ? path : "");

	g_return_val_if_fail(self != NULL, 1);
	for (;;) {
		gpointer line = g_hash_table_lookup(self->lines, p);
		gchar *slash;

		if (line != NULL)
			return GPOINTER_TO_UINT(line);
		slash = strrchr(p, '/');
		if (slash == NULL)
			break;
		*slash = '\0';
	}
	return self->has_block ? self->yaml_line : 1;
}

const HubdCardKeySpan *
hubd_card_layout_find_key(HubdCardLayout *self, const gchar *key)
{
	g_return_val_if_fail(self != NULL, NULL);
	for (guint i = 0; i < self->keys->len; i++) {
		const HubdCardKeySpan *span = g_ptr_array_index(self->keys, i);

		if (g_strcmp0(span->key, key) == 0)
			return span;
	}
	return NULL;
}
