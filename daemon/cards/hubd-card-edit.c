/* hubd-card-edit.c: front-matter edits that keep every other byte (pure; fuzzed) */
#define G_LOG_DOMAIN "HubdCard"

#include "hubd-card-edit.h"

#include <string.h>

#include "hubd-card-layout.h"
#include "hubd-card-yaml.h"
#include "hubd-card.h"
#include "hubd-error.h"

/* the whole block written again: flow-style or empty front matter */
static GBytes *
rewrite_block(const gchar *text,
	      gsize len,
	      HubdCardLayout *layout,
	      JsonNode *root,
	      JsonObject *changes,
	      GError **error)
{
	g_autoptr(JsonObject) card = json_object_new();
	g_autoptr(GList) members = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree gchar *yaml = NULL;
	JsonObject *old =
		root != NULL && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;

	if (old != NULL) {
		members = json_object_get_members(old);
		for (GList *l = members; l != NULL; l = l->next)
			json_object_set_member(
				card,
				l->data,
				json_node_copy(json_object_get_member(old, l->data)));
		g_clear_pointer(&members, g_list_free);
	}
	members = json_object_get_members(changes);
	for (GList *l = members; l != NULL; l = l->next) {
		JsonNode *value = json_object_get_member(changes, l->data);

		if (JSON_NODE_HOLDS_NULL(value))
			json_object_remove_member(card, l->data);
		else
			json_object_set_member(card, l->data, json_node_copy(value));
	}
	yaml = hubd_card_yaml_dump_object(card, layout->eol, error);
	if (yaml == NULL)
		return NULL;
	if (layout->has_block) {
		/* everything up to the YAML (blank lines, "---"), the new YAML,
		 * then the closing "---" line and the body as they were */
		g_string_append_len(out, text, (gssize)layout->yaml_start);
		if (layout->yaml_start > 0 && text[layout->yaml_start - 1] != '\n' &&
		    text[layout->yaml_start - 1] != '\r')
			g_string_append(out, layout->eol); /* an empty block "---\n---" */
		g_string_append(out, yaml);
		/* the YAML text ends before its last line break, which the new text has */
		{
			const gchar *p = text + layout->yaml_end;
			const gchar *end = text + len;

			if (p < end && *p == '\r')
				p++;
			if (p < end && *p == '\n')
				p++;
			if (yaml[0] == '\0' && p > text + layout->yaml_end)
				p = text + layout->yaml_end; /* nothing written: keep the break */
			g_string_append_len(out, p, end - p);
		}
	} else {
		g_string_append_printf(out, "---\n%s---\n", yaml);
		g_string_append_len(out, text, (gssize)len);
	}
	return g_string_free_to_bytes(g_steal_pointer(&out));
}

GBytes *
hubd_card_edit_metadata(const gchar *text, gsize len, JsonObject *changes, GError **error)
{
	g_autoptr(HubdCardLayout) layout = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GString) out = NULL;
	g_autoptr(GList) members = NULL;
	g_autoptr(GString) added = g_string_new(NULL);
	gsize at = 0;
	gsize stop;

	g_return_val_if_fail(text != NULL || len == 0, NULL);
	g_return_val_if_fail(changes != NULL, NULL);

	if (text == NULL)
		text = "";
	root = hubd_card_parse_front_matter(text, len, error);
	if (root == NULL && error != NULL && *error != NULL)
		return NULL;
	layout = hubd_card_layout_new(text, len);
	if (!layout->has_block || !layout->editable || layout->keys->len == 0)
		return rewrite_block(text, len, layout, root, changes, error);

	/* the YAML with its own last line break, up to the closing "---" */
	stop = layout->yaml_end;
	if (stop < len && text[stop] == '\r')
		stop++;
	if (stop < len && text[stop] == '\n')
		stop++;

	/* changed keys in place, in file order; removed ones go */
	out = g_string_new(NULL);
	for (guint i = 0; i < layout->keys->len; i++) {
		const HubdCardKeySpan *span = g_ptr_array_index(layout->keys, i);
		JsonNode *value = json_object_get_member(changes, span->key);
		g_autofree gchar *yaml = NULL;

		if (value == NULL)
			continue;
		g_string_append_len(out, text + at, (gssize)(span->start - at));
		at = span->end >= layout->yaml_end ? stop : span->end;
		if (JSON_NODE_HOLDS_NULL(value))
			continue;
		yaml = hubd_card_yaml_dump_member(span->key, value, layout->eol, error);
		if (yaml == NULL)
			return NULL;
		g_string_append(out, yaml);
	}
	/* new keys at the end of the block, in the order given */
	members = json_object_get_members(changes);
	for (GList *l = members; l != NULL; l = l->next) {
		JsonNode *value = json_object_get_member(changes, l->data);
		g_autofree gchar *yaml = NULL;

		if (JSON_NODE_HOLDS_NULL(value) ||
		    hubd_card_layout_find_key(layout, l->data) != NULL)
			continue;
		yaml = hubd_card_yaml_dump_member(l->data, value, layout->eol, error);
		if (yaml == NULL)
			return NULL;
		g_string_append(added, yaml);
	}
	if (added->len > 0) {
		if (at < stop)
			g_string_append_len(out, text + at, (gssize)(stop - at));
		at = MAX(at, stop);
		/* a file whose YAML ends it, without a break */
		if (out->len > 0 && out->str[out->len - 1] != '\n' &&
		    out->str[out->len - 1] != '\r')
			g_string_append(out, layout->eol);
		g_string_append(out, added->str);
	}
	g_string_append_len(out, text + at, (gssize)(len - at));
	return g_string_free_to_bytes(g_steal_pointer(&out));
}
