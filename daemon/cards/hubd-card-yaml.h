/* hubd-card-yaml.h: card metadata (JSON) written as YAML with libyaml, so
 * that PyYAML's safe loader and hubd's own reader get the same values back
 * (pure; docs/hub-cards.md §4.4) */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The members of `object`, in order, as a block-style YAML mapping ending
 * with a line break, without document markers ("key: value\n…"). Members
 * whose value is null are left out, as huggingface_hub's CardData.to_dict
 * does. Strings that YAML would read as something else ("true", "1.0",
 * "null", "") are quoted. `eol` is the line break to write ("\n" or "\r\n").
 * An empty object gives "". */
gchar *
hubd_card_yaml_dump_object(JsonObject *object, const gchar *eol, GError **error);

/* One member, "key: value\n" (or the block form for lists and mappings). */
gchar *
hubd_card_yaml_dump_member(const gchar *key, JsonNode *value, const gchar *eol, GError **error);

G_END_DECLS
