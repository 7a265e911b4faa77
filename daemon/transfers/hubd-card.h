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

/* The `license` value ("apache-2.0", or "other" + license_name), or NULL. */
gchar *
hubd_card_dup_license(JsonNode *front_matter);

G_END_DECLS
