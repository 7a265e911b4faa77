/* hubd-card-edit.h: UpdateCardMetadata's edit of a README.md's front matter
 * that leaves untouched keys and the body byte for byte as they were (pure;
 * fuzzed; docs/hub-cards.md §9) */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Sets each member of `changes` in the front matter of `text` (a null
 * value removes the key). A changed key is rewritten where it stands; a new
 * key goes at the end of the block; every other byte of the file stays.
 * No front matter: a block is added at the top. A top-level mapping in flow
 * style ({a: 1}) is written again as a whole (the body still stays).
 * Front matter that does not parse: HUBD_ERROR_INVALID_ARGUMENT naming the
 * line (nothing is guessed). */
GBytes *
hubd_card_edit_metadata(const gchar *text, gsize len, JsonObject *changes, GError **error);

G_END_DECLS
