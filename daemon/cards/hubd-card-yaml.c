/* hubd-card-yaml.c: card metadata (JSON) written as YAML with libyaml (pure) */
#define G_LOG_DOMAIN "HubdCard"

#include "hubd-card-yaml.h"

#include <glib/gi18n.h>
#include <string.h>
#include <yaml.h>

#include "hubd-card.h"
#include "hubd-error.h"

#define HUBD_CARD_YAML_MAX_DEPTH 64

typedef struct {
	yaml_emitter_t emitter;
	GString *out;
	GError **error;
} HubdCardYaml;

static int
hubd_card_yaml_write(void *data, unsigned char *buffer, size_t size)
{
	GString *out = data;

	g_string_append_len(out, (const gchar *)buffer, (gssize)size);
	return 1;
}

static gboolean
hubd_card_yaml_emit(HubdCardYaml *self, yaml_event_t *event)
{
	if (yaml_emitter_emit(&self->emitter, event))
		return TRUE;
	/* libyaml's messages are static ASCII */
	g_set_error(self->error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("Cannot write the card metadata as YAML: %s"),
		    self->emitter.problem != NULL ? self->emitter.problem : "error");
	return FALSE;
}

static gboolean
hubd_card_yaml_scalar(HubdCardYaml *self, const gchar *value, gboolean force_quotes)
{
	yaml_event_t event;

	/* plain when libyaml can, unless the plain form would read back as
	 * another type (PyYAML resolves "yes" to true, "1_0" to 10…) */
	if (!yaml_scalar_event_initialize(&event,
					  NULL,
					  NULL,
					  (yaml_char_t *)value,
					  (int)strlen(value),
					  !force_quotes,
					  1,
					  force_quotes ? YAML_SINGLE_QUOTED_SCALAR_STYLE
						       : YAML_ANY_SCALAR_STYLE))
		return FALSE;
	return hubd_card_yaml_emit(self, &event);
}

static gboolean
hubd_card_yaml_string(HubdCardYaml *self, const gchar *value)
{
	g_autoptr(JsonNode) typed = hubd_card_resolve_plain_scalar(value);

	return hubd_card_yaml_scalar(self, value, typed != NULL);
}

/* a float that reads back as a float: always a '.' or an exponent */
static gchar *
hubd_card_yaml_double(gdouble d)
{
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

	g_ascii_dtostr(buf, sizeof(buf), d);
	if (strpbrk(buf, ".eEn") == NULL)
		return g_strconcat(buf, ".0", NULL);
	if (strpbrk(buf, "eE") != NULL && strchr(buf, '.') == NULL) {
		/* PyYAML's float needs a '.' before the exponent: 1e-05 → 1.0e-05 */
		gchar *e = strpbrk(buf, "eE");
		g_autofree gchar *mantissa = g_strndup(buf, (gsize)(e - buf));
		return g_strdup_printf("%s.0%s", mantissa, e);
	}
	return g_strdup(buf);
}

static gboolean
hubd_card_yaml_node(HubdCardYaml *self, JsonNode *node, guint depth);

static gboolean
hubd_card_yaml_value(HubdCardYaml *self, JsonNode *node)
{
	GType type = json_node_get_value_type(node);
	g_autofree gchar *text = NULL;

	if (type == G_TYPE_STRING)
		return hubd_card_yaml_string(self, json_node_get_string(node));
	if (type == G_TYPE_BOOLEAN)
		return hubd_card_yaml_scalar(self,
					     json_node_get_boolean(node) ? "true" : "false",
					     FALSE);
	if (type == G_TYPE_DOUBLE)
		text = hubd_card_yaml_double(json_node_get_double(node));
	else
		text = g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(node));
	return hubd_card_yaml_scalar(self, text, FALSE);
}

static gboolean
hubd_card_yaml_mapping(HubdCardYaml *self, JsonObject *object, guint depth)
{
	yaml_event_t event;
	g_autoptr(GList) members = json_object_get_members(object);

	yaml_mapping_start_event_initialize(&event, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	if (!hubd_card_yaml_emit(self, &event))
		return FALSE;
	for (GList *l = members; l != NULL; l = l->next) {
		JsonNode *value = json_object_get_member(object, l->data);

		if (JSON_NODE_HOLDS_NULL(value))
			continue;
		if (!hubd_card_yaml_string(self, l->data) ||
		    !hubd_card_yaml_node(self, value, depth + 1))
			return FALSE;
	}
	yaml_mapping_end_event_initialize(&event);
	return hubd_card_yaml_emit(self, &event);
}

static gboolean
hubd_card_yaml_node(HubdCardYaml *self, JsonNode *node, guint depth)
{
	yaml_event_t event;

	if (depth > HUBD_CARD_YAML_MAX_DEPTH) {
		g_set_error_literal(self->error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The card metadata is nested too deeply"));
		return FALSE;
	}
	switch (json_node_get_node_type(node)) {
	case JSON_NODE_NULL:
		return hubd_card_yaml_scalar(self, "null", FALSE);
	case JSON_NODE_VALUE:
		return hubd_card_yaml_value(self, node);
	case JSON_NODE_OBJECT:
		return hubd_card_yaml_mapping(self, json_node_get_object(node), depth);
	case JSON_NODE_ARRAY:
	default: {
		JsonArray *array = json_node_get_array(node);

		yaml_sequence_start_event_initialize(&event,
						     NULL,
						     NULL,
						     1,
						     YAML_BLOCK_SEQUENCE_STYLE);
		if (!hubd_card_yaml_emit(self, &event))
			return FALSE;
		for (guint i = 0; i < json_array_get_length(array); i++) {
			if (!hubd_card_yaml_node(self, json_array_get_element(array, i), depth + 1))
				return FALSE;
		}
		yaml_sequence_end_event_initialize(&event);
		return hubd_card_yaml_emit(self, &event);
	}
	}
}

static gchar *
hubd_card_yaml_dump(JsonObject *object, const gchar *eol, GError **error)
{
	HubdCardYaml self = {0};
	yaml_event_t event;
	gboolean ok;
	g_autoptr(GString) out = g_string_new(NULL);

	if (json_object_get_size(object) == 0)
		return g_strdup("");
	self.out = out;
	self.error = error;
	if (!yaml_emitter_initialize(&self.emitter)) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_FAILED,
				    _("Cannot start the YAML writer"));
		return NULL;
	}
	yaml_emitter_set_output(&self.emitter, hubd_card_yaml_write, out);
	yaml_emitter_set_unicode(&self.emitter, 1);
	/* long descriptions stay on one line, as huggingface_hub writes them */
	yaml_emitter_set_width(&self.emitter, -1);
	yaml_emitter_set_indent(&self.emitter, 2);
	yaml_emitter_set_break(&self.emitter, YAML_LN_BREAK);
	yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING);
	ok = hubd_card_yaml_emit(&self, &event);
	if (ok) {
		yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1);
		ok = hubd_card_yaml_emit(&self, &event);
	}
	ok = ok && hubd_card_yaml_mapping(&self, object, 1);
	if (ok) {
		yaml_document_end_event_initialize(&event, 1);
		ok = hubd_card_yaml_emit(&self, &event);
	}
	if (ok) {
		yaml_stream_end_event_initialize(&event);
		ok = hubd_card_yaml_emit(&self, &event);
	}
	if (ok)
		ok = yaml_emitter_flush(&self.emitter) != 0;
	yaml_emitter_delete(&self.emitter);
	if (!ok)
		return NULL;
	/* an open-ended last scalar makes libyaml close the document: the
	 * front matter's own "---" does that */
	if (g_str_has_suffix(out->str, "...\n"))
		g_string_truncate(out, out->len - 4);
	if (g_strcmp0(eol, "\n") != 0) {
		g_autoptr(GString) crlf = g_string_new(NULL);

		for (const gchar *p = out->str; *p != '\0'; p++) {
			if (*p == '\n')
				g_string_append(crlf, eol);
			else
				g_string_append_c(crlf, *p);
		}
		return g_string_free(g_steal_pointer(&crlf), FALSE);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

gchar *
hubd_card_yaml_dump_object(JsonObject *object, const gchar *eol, GError **error)
{
	g_return_val_if_fail(object != NULL, NULL);
	return hubd_card_yaml_dump(object, eol != NULL ? eol : "\n", error);
}

gchar *
hubd_card_yaml_dump_member(const gchar *key, JsonNode *value, const gchar *eol, GError **error)
{
	g_autoptr(JsonObject) object = json_object_new();

	g_return_val_if_fail(key != NULL && value != NULL, NULL);
	json_object_set_member(object, key, json_node_copy(value));
	return hubd_card_yaml_dump(object, eol != NULL ? eol : "\n", error);
}
