/* hubd-card-validate.h: ValidateCard's local checks of a README.md —
 * YAML, licence, language codes, the types of known keys, model-index, and
 * the template's sections (docs/hub-cards.md §5) (pure; fuzzed) */
#pragma once

#include <glib.h>

#include "hubd-repo-id.h"

G_BEGIN_DECLS

typedef enum {
	HUBD_CARD_PROBLEM_ERROR,
	HUBD_CARD_PROBLEM_WARNING,
} HubdCardProblemLevel;

typedef struct {
	guint line; /* 1-based line of README.md the problem is on */
	HubdCardProblemLevel level;
	gchar *rule; /* a stable id: "license-missing", "section-missing"… */
	gchar *key;  /* the metadata key ("model-index/0/name") or section, or "" */
	gchar *message;
} HubdCardProblem;

void
hubd_card_problem_free(HubdCardProblem *problem);

/* "error" or "warning" */
const gchar *
hubd_card_problem_level_to_string(HubdCardProblemLevel level);

/* Every problem of the card, in line order; an empty array when there is
 * none. `text` may be NULL (no card at all: one "card-missing" problem).
 * Spaces get the YAML and licence checks only (they have no template). */
GPtrArray *
hubd_card_validate(HubdRepoType type, const gchar *text, gsize len);

/* The first problem with one of `rules` (NULL-terminated), or NULL. */
const HubdCardProblem *
hubd_card_problems_find(GPtrArray *problems, const gchar *const *rules);

G_END_DECLS
