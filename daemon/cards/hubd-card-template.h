/* hubd-card-template.h: the Hub's default model and dataset card templates
 * (huggingface_hub's modelcard_template.md and datasetcard_template.md: the
 * same sections and headings, docs/hub-cards.md §4) and reading a card's
 * Markdown sections back (pure) */
#pragma once

#include <glib.h>

#include "hubd-repo-id.h"

G_BEGIN_DECLS

/* What a section left unfilled says, as in the Hub's templates. */
#define HUBD_CARD_PLACEHOLDER "[More Information Needed]"

typedef enum {
	HUBD_CARD_SECTION_OPTIONAL,    /* "[optional]" in the template */
	HUBD_CARD_SECTION_RECOMMENDED, /* in the template; a warning when missing */
	HUBD_CARD_SECTION_REQUIRED,    /* documentation and usage: an error when missing */
} HubdCardSectionNeed;

typedef struct {
	guint level; /* 2 for "##" */
	const gchar *title;
	const gchar *name;  /* its RenderCard name: the title in snake_case */
	const gchar *alias; /* huggingface_hub's template variable, or NULL */
	HubdCardSectionNeed need;
	const gchar *hint; /* what to write there, an HTML comment in the card */
} HubdCardSection;

/* The template's sections in order; NULL for Spaces (no template). */
const HubdCardSection *
hubd_card_template_get_sections(HubdRepoType type, guint *n_sections);

/* The section called `name` (its name or alias; "summary" is the text under
 * the title), or NULL. */
const HubdCardSection *
hubd_card_template_find(HubdRepoType type, const gchar *name);

/* The template's body (no front matter): "# Model Card for TITLE", then
 * every section, filled from `sections` (name or alias → Markdown text) or
 * left with the placeholder. */
gchar *
hubd_card_template_render_body(HubdRepoType type, const gchar *title, GHashTable *sections);

/* ---- reading a card's body ---- */

typedef struct {
	guint level;
	guint line; /* 1-based, in the whole README.md */
	gchar *title;
	gboolean filled; /* has text that is not a placeholder or a comment */
} HubdCardHeading;

/* The ATX headings of `body` (outside fenced code), in order; `first_line`
 * is the line `body` starts on. Each heading's `filled` looks at the text
 * up to the next heading of the same or a higher level. */
GPtrArray *
hubd_card_read_headings(const gchar *body, gsize len, guint first_line);

/* TRUE when `body` has prose: a line that is not blank, a heading, an HTML
 * comment or the placeholder. */
gboolean
hubd_card_body_has_text(const gchar *body, gsize len);

/* "Bias, Risks, and Limitations [optional]" → "bias risks and limitations",
 * to compare a heading with the template's. */
gchar *
hubd_card_title_normalize(const gchar *title);

G_END_DECLS
