/* fuzz-token-file.c: libFuzzer target for the token and auth-state file parsers (hubd-token-file)
 *
 * The same input is read as the token file and as the auth-state file. What
 * is loaded must be what a save writes back, and a save must never refuse it
 * (GKeyFile says so with a critical). */
#define G_LOG_DOMAIN "HubdFuzzTokenFile"

#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"

#include "hubd-token-file.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_string(const gchar *s)
{
	/* names, users and roles go out over D-Bus */
	g_assert_nonnull(s);
	g_assert_true(g_utf8_validate(s, -1, NULL));
}

static void
check_tokens(const gchar *text)
{
	g_autoptr(GPtrArray) entries =
		g_ptr_array_new_with_free_func((GDestroyNotify)hubd_token_entry_free);
	g_autoptr(GPtrArray) again =
		g_ptr_array_new_with_free_func((GDestroyNotify)hubd_token_entry_free);
	g_autofree gchar *saved = NULL;

	hubd_token_file_parse_tokens(text, entries);
	for (guint i = 0; i < entries->len; i++) {
		HubdTokenEntry *e = g_ptr_array_index(entries, i);

		check_string(e->name);
		check_string(e->endpoint);
		check_string(e->user);
		check_string(e->role);
		check_string(e->secret);
		g_assert_cmpstr(e->name, !=, "");
		g_assert_cmpstr(e->endpoint, !=, "");
		/* it goes into an Authorization header as it is */
		g_assert_cmpstr(e->secret, !=, "");
		g_assert_null(strpbrk(e->secret, "\r\n"));
		g_assert_false(g_ascii_isspace(e->secret[0]));
		g_assert_false(g_ascii_isspace(e->secret[strlen(e->secret) - 1]));
		for (guint j = 0; j < i; j++) {
			HubdTokenEntry *o = g_ptr_array_index(entries, j);
			g_assert_false(g_str_equal(o->name, e->name) &&
				       g_str_equal(o->endpoint, e->endpoint));
		}
	}

	saved = hubd_token_file_serialize_tokens(entries);
	hubd_token_file_parse_tokens(saved, again);
	g_assert_cmpuint(again->len, ==, entries->len);
	for (guint i = 0; i < entries->len; i++) {
		HubdTokenEntry *a = g_ptr_array_index(entries, i);
		HubdTokenEntry *b = g_ptr_array_index(again, i);

		g_assert_cmpstr(a->name, ==, b->name);
		g_assert_cmpstr(a->endpoint, ==, b->endpoint);
		g_assert_cmpstr(a->user, ==, b->user);
		g_assert_cmpstr(a->role, ==, b->role);
		g_assert_cmpstr(a->secret, ==, b->secret);
	}
}

static void
check_state(const gchar *text)
{
	g_autoptr(GHashTable) active =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) again =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree gchar *saved = NULL;
	GHashTableIter iter;
	gpointer key, value;

	hubd_token_file_parse_state(text, active);
	g_hash_table_iter_init(&iter, active);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		check_string(key);
		check_string(value);
	}
	saved = hubd_token_file_serialize_state(active);
	hubd_token_file_parse_state(saved, again);
	g_assert_cmpuint(g_hash_table_size(again), ==, g_hash_table_size(active));
	g_hash_table_iter_init(&iter, active);
	while (g_hash_table_iter_next(&iter, &key, &value))
		g_assert_cmpstr(g_hash_table_lookup(again, key), ==, value);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the files are read with g_file_get_contents: NUL-terminated */
	g_autofree gchar *text = g_strndup((const gchar *)data, size);

	hubd_fuzz_abort_on_critical();
	check_tokens(text);
	check_state(text);
	return 0;
}
