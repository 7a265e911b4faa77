/* fuzz-card.c: libFuzzer target for the card front-matter parser, its
 * layout (lines and key spans), ValidateCard's checks, front-matter edits
 * and the publishing policy */
#define G_LOG_DOMAIN "HubdFuzzCard"

#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"

#include "hubd-card-edit.h"
#include "hubd-card-layout.h"
#include "hubd-card-validate.h"
#include "hubd-card-vocab.h"
#include "hubd-card.h"
#include "hubd-error.h"
#include "hubd-policy.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_error(GError *error, gint code)
{
	/* errors go over D-Bus: UTF-8, bounded, typed */
	g_assert_nonnull(error);
	g_assert_true(g_error_matches(error, HUBD_ERROR, code));
	g_assert_true(g_utf8_validate(error->message, -1, NULL));
	g_assert_cmpuint(strlen(error->message), <, 2048);
}

/* the layout stays inside the text, in order */
static void
check_layout(const gchar *text, gsize size)
{
	g_autoptr(HubdCardLayout) layout = hubd_card_layout_new(text, size);
	gsize last = 0;

	g_assert_cmpuint(layout->body_start, <=, size);
	g_assert_cmpuint(layout->yaml_end, <=, layout->body_start);
	for (guint i = 0; i < layout->keys->len; i++) {
		HubdCardKeySpan *span = g_ptr_array_index(layout->keys, i);

		g_assert_cmpuint(span->start, >=, last);
		g_assert_cmpuint(span->start, <=, span->end);
		g_assert_cmpuint(span->end, <=, layout->body_start);
		last = span->start;
	}
	g_assert_cmpuint(hubd_card_layout_get_line(layout, "license"), >=, 1);
}

static void
check_validate(const gchar *text, gsize size)
{
	g_autoptr(GPtrArray) problems = NULL;

	if (!g_utf8_validate_len(text, size, NULL))
		return; /* ValidateCard takes a D-Bus string */
	for (guint t = HUBD_REPO_TYPE_MODEL; t <= HUBD_REPO_TYPE_SPACE; t++) {
		problems = hubd_card_validate(t, text, size);
		for (guint i = 0; i < problems->len; i++) {
			HubdCardProblem *p = g_ptr_array_index(problems, i);

			g_assert_cmpuint(p->line, >=, 1);
			g_assert_cmpstr(p->rule, !=, "");
			g_assert_true(g_utf8_validate(p->message, -1, NULL));
			g_assert_true(g_utf8_validate(p->key, -1, NULL));
		}
		g_clear_pointer(&problems, g_ptr_array_unref);
	}
}

/* an edit changes its key, keeps every other value and the body's bytes */
static void
check_edit(const gchar *text, gsize size, JsonNode *before)
{
	g_autoptr(JsonObject) changes = json_object_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) out = NULL;
	g_autoptr(JsonNode) after = NULL;
	g_autoptr(HubdCardLayout) layout = hubd_card_layout_new(text, size);
	const gchar *edited;
	gsize n = 0;

	json_object_set_string_member(changes, "license", "mit");
	json_object_set_null_member(changes, "tags");
	out = hubd_card_edit_metadata(text, size, changes, &error);
	if (out == NULL) {
		/* only front matter that does not parse is refused */
		check_error(error, HUBD_ERROR_INVALID_ARGUMENT);
		g_assert_null(before);
		g_assert_true(layout->has_block);
		return;
	}
	edited = g_bytes_get_data(out, &n);
	/* the body, byte for byte */
	g_assert_cmpuint(n, >=, size - layout->body_start);
	g_assert_true(memcmp(edited + n - (size - layout->body_start),
			     text + layout->body_start,
			     size - layout->body_start) == 0);
	g_clear_error(&error);
	after = hubd_card_parse_front_matter(edited, n, &error);
	g_assert_no_error(error);
	g_assert_nonnull(after);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(after), "license"),
			==,
			"mit");
	g_assert_false(json_object_has_member(json_node_get_object(after), "tags"));
	if (before != NULL) {
		/* every other key as it was */
		JsonObject *a = json_node_get_object(after);
		JsonObject *b = json_node_get_object(before);
		g_autoptr(GList) members = json_object_get_members(b);

		for (GList *l = members; l != NULL; l = l->next) {
			if (g_strcmp0(l->data, "license") == 0 || g_strcmp0(l->data, "tags") == 0 ||
			    JSON_NODE_HOLDS_NULL(json_object_get_member(b, l->data)))
				continue;
			g_assert_true(json_object_has_member(a, l->data));
			g_assert_true(json_node_equal(json_object_get_member(a, l->data),
						      json_object_get_member(b, l->data)));
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const gchar *text = (const gchar *)data;

	hubd_fuzz_abort_on_critical();
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = hubd_card_parse_front_matter(text, size, &error);

		if (node != NULL) {
			g_autofree gchar *json = json_to_string(node, FALSE);
			g_autofree gchar *license = hubd_card_dup_license(node);

			g_assert_no_error(error);
			g_assert_true(JSON_NODE_HOLDS_OBJECT(node));
			/* what the daemon would hand on as JSON is valid UTF-8 */
			g_assert_true(g_utf8_validate(json, -1, NULL));
			if (license != NULL) {
				JsonNode *l = json_object_get_member(json_node_get_object(node),
								     "license");

				g_assert_cmpstr(license, !=, "");
				/* one licence the Hub knows means a model's card rule passes */
				if (JSON_NODE_HOLDS_VALUE(l) &&
				    hubd_card_license_is_known(license) &&
				    g_strcmp0(license, "other") != 0)
					g_assert_true(hubd_policy_check_card(HUBD_REPO_TYPE_MODEL,
									     text,
									     size,
									     NULL));
			}
		} else if (error != NULL) {
			check_error(error, HUBD_ERROR_INVALID_ARGUMENT);
		}
		check_layout(text, size);
		check_validate(text, size);
		if (memchr(text, '\0', size) == NULL)
			check_edit(text, size, node);
	}
	{
		g_autoptr(GError) error = NULL;

		if (!hubd_policy_check_card(HUBD_REPO_TYPE_DATASET, text, size, &error))
			check_error(error, HUBD_ERROR_POLICY);
		g_assert_true(hubd_policy_check_card(HUBD_REPO_TYPE_SPACE, text, size, NULL));
	}
	{
		g_autoptr(GError) error = NULL;

		if (!hubd_policy_scan_buffer("fuzz.txt", text, size, &error)) {
			check_error(error, HUBD_ERROR_POLICY);
			g_assert_true(g_str_has_prefix(error->message, "fuzz.txt:"));
			/* binary data is never scanned */
			g_assert_null(memchr(text, '\0', MIN(size, 8192)));
		}
	}
	return 0;
}
