/* hubd-card-layout.h: where things are in a card's README.md — the front
 * matter block, the line of every metadata key and list item, the byte span
 * of each top-level key, and the body (pure; fuzzed) */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
	gchar *key;
	gsize start; /* the first byte of the key's line */
	gsize end;   /* after the line break ending its value */
} HubdCardKeySpan;

typedef struct {
	gboolean has_block;
	gsize yaml_start; /* bytes into the text */
	gsize yaml_end;
	gsize body_start;
	guint body_line;   /* 1-based line of body_start */
	guint yaml_line;   /* 1-based line of the YAML's first line */
	guint error_line;  /* where libyaml stopped on bad YAML, else 0 */
	const gchar *eol;  /* "\r\n" when the front matter uses it, else "\n" */
	gboolean editable; /* a block-style top-level mapping: spans are known */
	GPtrArray *keys;   /* HubdCardKeySpan, in file order */
	GHashTable *lines; /* "key", "key/0/sub"… → 1-based line (GUINT_TO_POINTER) */
} HubdCardLayout;

/* Never fails: YAML that does not parse leaves `keys` and `lines` empty
 * and `editable` FALSE (hubd_card_parse_front_matter() says why). */
HubdCardLayout *
hubd_card_layout_new(const gchar *text, gsize len);
void
hubd_card_layout_free(HubdCardLayout *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdCardLayout, hubd_card_layout_free)

/* The line of `path` ("license", "model-index/0/results"), or of its closest
 * parent that has one; else the line of the front matter's first line (1
 * when there is none). */
guint
hubd_card_layout_get_line(HubdCardLayout *self, const gchar *path);

/* The span of a top-level key, or NULL. */
const HubdCardKeySpan *
hubd_card_layout_find_key(HubdCardLayout *self, const gchar *key);

G_END_DECLS
