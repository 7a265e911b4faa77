/* hubd-card.h: a repo card's YAML front matter (README.md between --- lines),
 * parsed with libyaml (pure; fuzzed) */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Finds the front matter (the file starts with "---" then a newline, ends at
 * the next line that is exactly "---") and parses it as a YAML mapping into a
 * JSON object node. No front matter: NULL, no error. Malformed YAML, or YAML
 * that is not a mapping, or too deep / too large: NULL and
 * HUBD_ERROR_INVALID_ARGUMENT naming the line. Anchors and aliases are refused. */
JsonNode *
hubd_card_parse_front_matter(const gchar *text, gsize len, GError **error);

/* Where the front matter's YAML text is: FALSE when the file has none. The
 * offsets are bytes into `text`; `line_offset` counts the lines before the
 * YAML; `body` is the first byte after the closing "---" line. */
gboolean
hubd_card_find_front_matter(const gchar *text,
			    gsize len,
			    gsize *yaml_offset,
			    gsize *yaml_len,
			    guint *line_offset,
			    gsize *body);

/* The `license` value ("apache-2.0", or "other" + license_name), or NULL. */
gchar *
hubd_card_dup_license(JsonNode *front_matter);

/* What a plain (unquoted) YAML scalar means to PyYAML's safe loader: a
 * null, boolean, integer or float node, or NULL when it stays a string. The
 * card writer quotes strings for which this is not NULL. */
JsonNode *
hubd_card_resolve_plain_scalar(const gchar *s);

G_END_DECLS
