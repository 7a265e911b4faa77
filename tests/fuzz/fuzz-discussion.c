/* fuzz-discussion.c: libFuzzer target for the discussion event parser and its
 * neighbours (hubd-hub-discussion): a discussion's details, one event, an
 * access request, from any JSON the Hub might send
 *
 * Input: JSON text. Whatever it holds, the parsers either fail with a
 * HUBD_ERROR or hand back an a{sv} in normal form with its required keys. */
#define G_LOG_DOMAIN "HubdFuzzDiscussion"

#include <stdint.h>

#include "fuzz-common.h"

#include "hubd-error.h"
#include "hubd-hub-api-community.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(GVariant *v, GError *error, const gchar *const *required)
{
	if (v == NULL) {
		g_assert_nonnull(error);
		g_assert_true(error->domain == HUBD_ERROR);
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
		return;
	}
	g_assert_null(error);
	g_assert_true(g_variant_is_of_type(v, G_VARIANT_TYPE_VARDICT));
	g_assert_true(g_variant_is_normal_form(v));
	g_assert_false(g_variant_is_floating(v));
	for (guint i = 0; required[i] != NULL; i++) {
		g_autoptr(GVariant) value = g_variant_lookup_value(v, required[i], NULL);

		g_assert_nonnull(value);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const gchar *const discussion_keys[] =
		{"num", "title", "status", "author", "is_pull_request", NULL};
	static const gchar *const event_keys[] = {"id", "type", "created_at", "author", NULL};
	static const gchar *const request_keys[] = {"user", "fields", NULL};
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonNode *root;
	GError *error = NULL;
	GVariant *v;

	hubd_fuzz_abort_on_critical();
	if (size > 1024 * 1024 ||
	    !json_parser_load_from_data(parser, (const gchar *)data, (gssize)size, NULL))
		return 0;
	root = json_parser_get_root(parser);
	if (root == NULL)
		return 0;
	v = hubd_hub_discussion_to_variant(root, &error);
	check(v, error, discussion_keys);
	g_clear_pointer(&v, g_variant_unref);
	g_clear_error(&error);
	v = hubd_hub_discussion_event_to_variant(root, &error);
	check(v, error, event_keys);
	g_clear_pointer(&v, g_variant_unref);
	g_clear_error(&error);
	v = hubd_hub_access_request_to_variant(root, &error);
	check(v, error, request_keys);
	g_clear_pointer(&v, g_variant_unref);
	g_clear_error(&error);
	return 0;
}
