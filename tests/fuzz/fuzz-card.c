/* fuzz-card.c: libFuzzer target for the card front-matter parser and the publishing policy */
#define G_LOG_DOMAIN "HubdFuzzCard"

#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"

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
				g_assert_cmpstr(license, !=, "");
				/* a licence means the card rule passes */
				g_assert_true(hubd_policy_check_card(HUBD_REPO_TYPE_MODEL,
								     text,
								     size,
								     NULL));
			}
		} else if (error != NULL) {
			check_error(error, HUBD_ERROR_INVALID_ARGUMENT);
		}
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
