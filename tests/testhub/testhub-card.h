/* testhub-card.h: README.md front matter (YAML → JSON) and the metadata checks
 * of POST /api/validate-yaml (docs/hub-cards.md §1, §2, §3).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TESTHUB_CARD_MAX_YAML  (1024 * 1024) /* bytes of front matter */
#define TESTHUB_CARD_MAX_DEPTH 32
#define TESTHUB_CARD_MAX_NODES 100000 /* after alias expansion (billion laughs) */

/* Locates the front matter block the way huggingface_hub's REGEX_YAML_BLOCK
 * does: optional blank lines, "---" + line break, the YAML, a line "---"
 * (trailing spaces/tabs allowed) then a line break or the end. */
gboolean
testhub_card_find_front_matter(const gchar *text, gsize len, gsize *yaml_start, gsize *yaml_len);

/* One YAML document → JSON (scalars resolved like YAML 1.1 / PyYAML safe_load:
 * null, bool, int, float; everything else a string). Bounded depth and size;
 * aliases are expanded but count against TESTHUB_CARD_MAX_NODES. */
JsonNode *
testhub_card_parse_yaml(const gchar *yaml, gsize len, GError **error);

/* The Hub's licence identifiers (docs: repositories-licenses.md). */
gboolean
testhub_card_license_is_known(const gchar *id);

/* Metadata checks; appends messages (gchar*) to `errors` / `warnings`. */
void
testhub_card_validate(JsonObject *card, GPtrArray *errors, GPtrArray *warnings);

G_END_DECLS
