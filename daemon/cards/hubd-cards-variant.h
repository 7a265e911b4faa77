/* hubd-cards-variant.h: card metadata between JSON and the typed a{sv} of
 * org.hubd.Hub1.Cards (pure) */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A JSON object as a{sv}: strings s, integers x, floats d, booleans b,
 * lists av, mappings a{sv}. D-Bus has no null: null members are left out
 * (as huggingface_hub's to_dict drops None), null list items become "". */
GVariant *
hubd_cards_variant_from_json(JsonObject *object);

/* An a{sv} (of any D-Bus types: as, aa{sv}, u, …) as a JSON object. */
JsonObject *
hubd_cards_variant_to_json(GVariant *dict, GError **error);

/* The problems of hubd_card_validate() as a(ussss). */
GVariant *
hubd_cards_variant_problems(GPtrArray *problems);

G_END_DECLS
