/* hubd-card-vocab.h: the Hub's vocabularies a card is checked against — licence
 * ids (docs/hub-cards.md §2.2), task ids, dataset size categories, creator
 * kinds and base_model relations (§6) (pure data) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

extern const gchar *const hubd_card_licenses[];
extern const gchar *const hubd_card_tasks[];
extern const gchar *const hubd_card_size_categories[];
extern const gchar *const hubd_card_creators[];
extern const gchar *const hubd_card_relations[];

/* One of the Hub's licence identifiers ("other" and "unknown" included). */
gboolean
hubd_card_license_is_known(const gchar *id);

G_END_DECLS
