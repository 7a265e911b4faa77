/* hubd-storage-conformance-keys.c: the conformance cases on keys and arguments
 * that are refused, by the backend and by the wrappers before any backend */
#define G_LOG_DOMAIN "HubdStorageConformance"

#include "hubd-error.h"
#include "hubd-storage-conformance-private.h"
#include "hubd-test-poison-storage.h"

/* ---- keys refused ---- */

static const gchar *const bad_keys[] = {
	"",
	"/abs",
	"trailing/",
	"a//b",
	"a/./b",
	"a/../b",
	"..",
	".",
	"../escape",
	"a/..",
	"back\\slash",
	"control\001char",
	"new\nline",
	"del\x7f",
	"bad\xff utf8",
};

static gchar *
too_long_key(void)
{
	g_autoptr(GString) key = g_string_new(NULL);

	while (key->len <= HUBD_STORAGE_MAX_KEY_LENGTH)
		g_string_append(key, "abcdefgh/");
	g_string_truncate(key, HUBD_STORAGE_MAX_KEY_LENGTH + 1);
	return g_string_free(g_steal_pointer(&key), FALSE);
}

static void
assert_key_refused(HubdStorage *storage, const gchar *key)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = g_bytes_new_static("x", 1);
	g_autoptr(HubdStorageObject) put =
		hubd_storage_conformance_put(storage, key, bytes, &error);
	g_autoptr(HubdStorageObject) head = NULL;
	g_autoptr(GBytes) got = NULL;
	g_autofree gchar *id = NULL;

	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_null(put);
	g_clear_error(&error);
	got = hubd_storage_conformance_get(storage, key, 0, -1, NULL, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	head = hubd_storage_conformance_head(storage, key, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(hubd_storage_conformance_delete(storage, key, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	id = mp_begin(storage, key, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_null(id);
}

static void
test_bad_keys(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autofree gchar *long_key = too_long_key();
	const gchar *bad_prefixes[] = {"/a", "a//", "a/../", "./", "back\\slash", "ctl\x02"};
	g_autofree gchar *listed = NULL;
	g_autofree gchar *dot_prefix = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(bad_keys); i++) {
		g_autofree gchar *escaped = g_strescape(bad_keys[i], NULL);
		g_test_message("key \"%s\"", escaped);
		assert_key_refused(f->storage, bad_keys[i]);
	}
	assert_key_refused(f->storage, long_key);
	for (guint i = 0; i < G_N_ELEMENTS(bad_prefixes); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *next = NULL;
		g_autoptr(GPtrArray) page =
			list_page(f->storage, bad_prefixes[i], NULL, 0, &next, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_assert_null(page);
		g_assert_null(next);
	}
	listed = list_keys(f->storage, "", 0, NULL);
	g_assert_cmpstr(listed, ==, "");
	/* a prefix may end inside a segment that starts with dots */
	dot_prefix = list_keys(f->storage, "a/.", 0, NULL);
	g_assert_cmpstr(dot_prefix, ==, "");
}

/* Every argument check happens in the wrappers, before a backend is called. */
static void
test_checked_before_backend(void)
{
	g_autoptr(HubdStorage) poison = hubd_test_poison_storage_new();
	HubdTestPoisonStorage *counter = HUBD_TEST_POISON_STORAGE(poison);
	g_autofree gchar *long_key = too_long_key();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = g_bytes_new_static("x", 1);
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);

	for (guint i = 0; i < G_N_ELEMENTS(bad_keys); i++)
		assert_key_refused(poison, bad_keys[i]);
	assert_key_refused(poison, long_key);
	g_assert_cmpuint(hubd_test_poison_storage_get_calls(counter), ==, 0);

	/* lengths, ranges, prefixes */
	{
		g_autoptr(HubdStorageObject) put =
			hubd_storage_conformance_put_stream(poison, "k", stream, -2, NULL, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		g_autoptr(GBytes) got =
			hubd_storage_conformance_get(poison, "k", 0, -2, NULL, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		g_autoptr(GBytes) got =
			hubd_storage_conformance_get(poison, "k", G_MAXUINT64, 1, NULL, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		g_autofree gchar *next = NULL;
		g_autoptr(GPtrArray) page = list_page(poison, "a//b", NULL, 0, &next, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	/* multipart: part numbers, lengths, upload ids, part lists */
	{
		const guint numbers[] = {0, HUBD_STORAGE_MAX_PARTS + 1};
		for (guint i = 0; i < G_N_ELEMENTS(numbers); i++) {
			g_autoptr(HubdStoragePart) part =
				mp_put_part(poison, "k", "id", numbers[i], stream, 1, &error);
			g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
			g_clear_error(&error);
		}
	}
	{
		g_autoptr(HubdStoragePart) part =
			mp_put_part(poison, "k", "id", 1, stream, -1, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		g_autoptr(HubdStoragePart) part =
			mp_put_part(poison, "k", "", 1, stream, 1, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		g_autoptr(HubdStoragePart) part =
			mp_put_part(poison, "a/../k", "id", 1, stream, 1, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		/* empty, out of order, repeated, out of range, no tag */
		const guint lists[][3] = {{0, 0, 0},
					  {2, 1, 0},
					  {1, 1, 0},
					  {1, 10001, 0},
					  {0, 0, 0}};
		for (guint i = 0; i < G_N_ELEMENTS(lists); i++) {
			g_autoptr(GPtrArray) parts = parts_new();
			g_autoptr(HubdStorageObject) object = NULL;
			for (guint j = 0; j < 3 && lists[i][j] != 0; j++)
				g_ptr_array_add(parts, hubd_storage_part_new(lists[i][j], "tag"));
			if (i == G_N_ELEMENTS(lists) - 1)
				g_ptr_array_add(parts, hubd_storage_part_new(1, ""));
			object = mp_complete(poison, "k", "id", parts, &error);
			g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
			g_clear_error(&error);
		}
	}
	g_assert_false(mp_abort(poison, "k", "", &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_cmpuint(hubd_test_poison_storage_get_calls(counter), ==, 0);

	/* and a valid call does reach the backend */
	g_assert_null(hubd_storage_conformance_head(poison, "a/valid/key", &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_FAILED);
	g_assert_cmpuint(hubd_test_poison_storage_get_calls(counter), ==, 1);
}

/* ---- registration ---- */

void
hubd_storage_conformance_add_key_tests(const gchar *path, const HubdStorageConformance *conformance)
{
	const Case cases[] = {
		{"keys/refused", test_bad_keys},
	};
	g_autofree gchar *checked = g_strdup_printf("%s/keys/checked-before-backend", path);

	hubd_storage_conformance_add_cases(path, conformance, cases, G_N_ELEMENTS(cases));
	/* no fixture: it makes a poison backend of its own */
	g_test_add_func(checked, test_checked_before_backend);
}
