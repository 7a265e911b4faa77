/* hubd-storage-conformance.c: the GTest cases every HubdStorage backend must pass */
#define G_LOG_DOMAIN "HubdStorageConformance"

#include "hubd-storage-conformance.h"

#include "hubd-error.h"
#include "hubd-test-poison-storage.h"
#include "hubd-test-stream.h"

#define KiB 1024
#define MiB (1024 * 1024)
/* puts in flight at once when filling a backend with many keys */
#define PUT_WINDOW 32
/* A call that sets `error` when it fails: the error's message, not only
 * "should be TRUE", is what a failure in CI prints. */
#define ASSERT_CALL(call)                 \
	G_STMT_START                      \
	{                                 \
		gboolean ok_ = (call);    \
		g_assert_no_error(error); \
		g_assert_true(ok_);       \
	}                                 \
	G_STMT_END

/* ---- running async calls to completion ---- */

static void
store_result_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **slot = user_data;

	g_assert_null(*slot);
	*slot = g_object_ref(result);
}

static GAsyncResult *
wait_result(GAsyncResult **slot)
{
	while (*slot == NULL)
		g_main_context_iteration(NULL, TRUE);
	return *slot;
}

HubdStorageObject *
hubd_storage_conformance_put_stream(HubdStorage *storage,
				    const gchar *key,
				    GInputStream *stream,
				    gint64 length,
				    GCancellable *cancellable,
				    GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	hubd_storage_put_async(storage, key, stream, length, cancellable, store_result_cb, &result);
	return hubd_storage_put_finish(storage, wait_result(&result), error);
}

HubdStorageObject *
hubd_storage_conformance_put(HubdStorage *storage, const gchar *key, GBytes *bytes, GError **error)
{
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);

	return hubd_storage_conformance_put_stream(storage,
						   key,
						   stream,
						   (gint64)g_bytes_get_size(bytes),
						   NULL,
						   error);
}

GBytes *
hubd_storage_conformance_get(HubdStorage *storage,
			     const gchar *key,
			     guint64 offset,
			     gint64 length,
			     HubdStorageObject **object,
			     GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GAsyncResult) spliced = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GOutputStream) out = NULL;

	hubd_storage_get_async(storage, key, offset, length, NULL, store_result_cb, &result);
	stream = hubd_storage_get_finish(storage, wait_result(&result), object, error);
	if (stream == NULL)
		return NULL;
	out = g_memory_output_stream_new_resizable();
	/* async reads: a network backend's stream may allow no other kind here */
	g_output_stream_splice_async(out,
				     stream,
				     G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
					     G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
				     G_PRIORITY_DEFAULT,
				     NULL,
				     store_result_cb,
				     &spliced);
	if (g_output_stream_splice_finish(out, wait_result(&spliced), error) < 0)
		return NULL;
	return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(out));
}

HubdStorageObject *
hubd_storage_conformance_head(HubdStorage *storage, const gchar *key, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	hubd_storage_head_async(storage, key, NULL, store_result_cb, &result);
	return hubd_storage_head_finish(storage, wait_result(&result), error);
}

gboolean
hubd_storage_conformance_delete(HubdStorage *storage, const gchar *key, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	hubd_storage_delete_async(storage, key, NULL, store_result_cb, &result);
	return hubd_storage_delete_finish(storage, wait_result(&result), error);
}

static GPtrArray *
list_page(HubdStorage *storage,
	  const gchar *prefix,
	  const gchar *token,
	  guint max_keys,
	  gchar **next,
	  GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	hubd_storage_list_async(storage, prefix, token, max_keys, NULL, store_result_cb, &result);
	return hubd_storage_list_finish(storage, wait_result(&result), next, error);
}

GPtrArray *
hubd_storage_conformance_list_all(HubdStorage *storage,
				  const gchar *prefix,
				  guint max_keys,
				  guint *pages,
				  GError **error)
{
	g_autoptr(GPtrArray) all =
		g_ptr_array_new_with_free_func((GDestroyNotify)hubd_storage_object_unref);
	g_autofree gchar *token = NULL;
	guint page_max = max_keys == 0 || max_keys > HUBD_STORAGE_MAX_LIST_KEYS
				 ? HUBD_STORAGE_MAX_LIST_KEYS
				 : max_keys;
	guint n_pages = 0;

	do {
		g_autofree gchar *next = NULL;
		g_autoptr(GPtrArray) page =
			list_page(storage, prefix, token, max_keys, &next, error);
		if (page == NULL)
			return NULL;
		n_pages++;
		g_assert_cmpuint(page->len, <=, page_max);
		for (guint i = 0; i < page->len; i++) {
			HubdStorageObject *object = g_ptr_array_index(page, i);
			const gchar *key = hubd_storage_object_get_key(object);
			g_assert_true(g_str_has_prefix(key, prefix != NULL ? prefix : ""));
			/* strictly ascending across pages: no repeats, no going back */
			if (all->len > 0) {
				HubdStorageObject *last = g_ptr_array_index(all, all->len - 1);
				g_assert_cmpint(strcmp(hubd_storage_object_get_key(last), key),
						<,
						0);
			}
			g_ptr_array_add(all, hubd_storage_object_ref(object));
		}
		/* a backend that keeps answering pages is broken, not slow */
		g_assert_cmpuint(n_pages, <, 100000);
		g_free(token);
		token = g_steal_pointer(&next);
	} while (token != NULL);
	if (pages != NULL)
		*pages = n_pages;
	return g_steal_pointer(&all);
}

GBytes *
hubd_storage_conformance_make_bytes(gsize size, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(size > 0 ? size : 1);

	for (gsize i = 0; i < size; i += 4) {
		guint32 value = g_rand_int(rand);
		memcpy(data + i, &value, MIN((gsize)4, size - i));
	}
	return g_bytes_new_take(data, size);
}

/* ---- checks ---- */

static void
assert_bytes_equal(GBytes *got, GBytes *expected)
{
	gsize got_len, expected_len;
	const guint8 *got_data = g_bytes_get_data(got, &got_len);
	const guint8 *expected_data = g_bytes_get_data(expected, &expected_len);

	g_assert_cmpuint(got_len, ==, expected_len);
	for (gsize i = 0; i < got_len; i++) {
		if (got_data[i] != expected_data[i]) {
			g_test_message("first difference at byte %" G_GSIZE_FORMAT, i);
			g_assert_cmphex(got_data[i], ==, expected_data[i]);
		}
	}
}

static void
assert_content(HubdStorage *storage, const gchar *key, GBytes *expected)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) got = hubd_storage_conformance_get(storage, key, 0, -1, NULL, &error);

	g_assert_no_error(error);
	assert_bytes_equal(got, expected);
}

static void
assert_missing(HubdStorage *storage, const gchar *key)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = hubd_storage_conformance_head(storage, key, &error);
	g_autoptr(GBytes) got = NULL;

	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
	g_assert_null(object);
	g_clear_error(&error);
	got = hubd_storage_conformance_get(storage, key, 0, -1, NULL, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
	g_assert_null(got);
}

/* The keys under `prefix`, in listing order, joined by spaces. */
static gchar *
list_keys(HubdStorage *storage, const gchar *prefix, guint max_keys, guint *pages)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) objects =
		hubd_storage_conformance_list_all(storage, prefix, max_keys, pages, &error);
	g_autoptr(GString) keys = g_string_new(NULL);

	g_assert_no_error(error);
	for (guint i = 0; i < objects->len; i++) {
		if (i > 0)
			g_string_append_c(keys, ' ');
		g_string_append(keys, hubd_storage_object_get_key(g_ptr_array_index(objects, i)));
	}
	return g_string_free(g_steal_pointer(&keys), FALSE);
}

static HubdStorageObject *
put_string(HubdStorage *storage, const gchar *key, const gchar *text)
{
	g_autoptr(GBytes) bytes = g_bytes_new(text, strlen(text));
	g_autoptr(GError) error = NULL;
	HubdStorageObject *object = hubd_storage_conformance_put(storage, key, bytes, &error);

	g_assert_no_error(error);
	g_assert_nonnull(object);
	return object;
}

/* ---- fixture ---- */

typedef struct {
	HubdStorage *storage;
	const HubdStorageConformance *conformance;
} Fixture;

static void
fixture_setup(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GError) error = NULL;

	f->conformance = user_data;
	f->storage = f->conformance->create(f->conformance->user_data, &error);
	g_assert_no_error(error);
	g_assert_true(HUBD_IS_STORAGE(f->storage));
}

static void
fixture_teardown(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;

	if (f->conformance->destroy != NULL)
		f->conformance->destroy(f->storage, f->conformance->user_data);
	g_clear_object(&f->storage);
}

/* ---- round trips ---- */

static void
roundtrip(Fixture *f, const gchar *key, GBytes *bytes, gboolean length_known)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdTestStream) stream = hubd_test_stream_new(bytes, 0);
	g_autoptr(HubdStorageObject) put = NULL;
	g_autoptr(HubdStorageObject) got_object = NULL;
	g_autoptr(HubdStorageObject) head = NULL;
	g_autoptr(GBytes) got = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	GTimeSpan age;

	put = hubd_storage_conformance_put_stream(f->storage,
						  key,
						  G_INPUT_STREAM(stream),
						  length_known ? (gint64)g_bytes_get_size(bytes)
							       : -1,
						  NULL,
						  &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_storage_object_get_key(put), ==, key);
	g_assert_cmpuint(hubd_storage_object_get_size(put), ==, g_bytes_get_size(bytes));
	g_assert_cmpstr(hubd_storage_object_get_etag(put), !=, "");

	got = hubd_storage_conformance_get(f->storage, key, 0, -1, &got_object, &error);
	g_assert_no_error(error);
	assert_bytes_equal(got, bytes);
	g_assert_cmpuint(hubd_storage_object_get_size(got_object), ==, g_bytes_get_size(bytes));
	g_assert_cmpstr(hubd_storage_object_get_etag(got_object),
			==,
			hubd_storage_object_get_etag(put));

	head = hubd_storage_conformance_head(f->storage, key, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_storage_object_get_key(head), ==, key);
	g_assert_cmpuint(hubd_storage_object_get_size(head), ==, g_bytes_get_size(bytes));
	g_assert_cmpstr(hubd_storage_object_get_etag(head), ==, hubd_storage_object_get_etag(put));
	/* a time of this day, not of 1970 or of a wrong time zone */
	age = g_date_time_difference(now, hubd_storage_object_get_modified(head));
	g_assert_cmpint(ABS(age), <, G_TIME_SPAN_DAY);
}

static void
test_roundtrip_empty(gpointer data, gconstpointer user_data)
{
	g_autoptr(GBytes) bytes = g_bytes_new_static("", 0);

	roundtrip(data, "empty", bytes, TRUE);
}

static void
test_roundtrip_small(gpointer data, gconstpointer user_data)
{
	g_autoptr(GBytes) bytes = g_bytes_new_static("hello, storage\n", 15);

	roundtrip(data, "small/hello.txt", bytes, TRUE);
}

static void
test_roundtrip_large(gpointer data, gconstpointer user_data)
{
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(3 * MiB + 17, 1);

	roundtrip(data, "large/blob.bin", bytes, TRUE);
}

static void
test_roundtrip_unknown_length(gpointer data, gconstpointer user_data)
{
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(3 * MiB + 5, 2);
	g_autoptr(GBytes) empty = g_bytes_new_static("", 0);

	roundtrip(data, "unknown/blob.bin", bytes, FALSE);
	roundtrip(data, "unknown/empty", empty, FALSE);
}

static gint
compare_strings_indirect(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* Keys of every shape the rules allow come back as they went in. */
static void
test_roundtrip_keys(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) longest = g_string_new("long");
	g_autoptr(GString) expected = g_string_new(NULL);
	g_autofree gchar *listed = NULL;

	/* the longest key, in segments of at most 200 bytes (a folder holds
	 * names of 255 bytes at most): 4 + 5 * 201 + 15 bytes */
	while (longest->len < HUBD_STORAGE_MAX_KEY_LENGTH) {
		gsize room = HUBD_STORAGE_MAX_KEY_LENGTH - longest->len;
		g_string_append_c(longest, '/');
		for (gsize i = 0; i < MIN(room - 1, (gsize)200); i++)
			g_string_append_c(longest, 'k');
	}
	g_assert_cmpuint(longest->len, ==, HUBD_STORAGE_MAX_KEY_LENGTH);
	g_assert_true(hubd_storage_key_validate(longest->str, NULL));

	g_ptr_array_add(keys, g_strdup("dir/sub/file.bin"));
	g_ptr_array_add(keys, g_strdup(".gitattributes"));
	g_ptr_array_add(keys, g_strdup("a/.hidden"));
	g_ptr_array_add(keys, g_strdup("a..b/c"));
	g_ptr_array_add(keys, g_strdup("..."));
	g_ptr_array_add(keys, g_strdup("with space/and+plus=&?#%"));
	g_ptr_array_add(keys, g_strdup("ünï/cødé/日本語.txt"));
	g_ptr_array_add(keys, g_strdup(longest->str));
	for (guint i = 0; i < keys->len; i++) {
		const gchar *key = g_ptr_array_index(keys, i);
		g_autoptr(GBytes) bytes = g_bytes_new(key, strlen(key));
		g_autoptr(HubdStorageObject) object = put_string(f->storage, key, key);
		assert_content(f->storage, key, bytes);
	}
	g_ptr_array_sort(keys, compare_strings_indirect);
	for (guint i = 0; i < keys->len; i++) {
		if (i > 0)
			g_string_append_c(expected, ' ');
		g_string_append(expected, g_ptr_array_index(keys, i));
	}
	listed = list_keys(f->storage, "", 0, NULL);
	g_assert_cmpstr(listed, ==, expected->str);
}

/* A stream shorter than the length promised fails the put: no torn object. */
static void
test_put_short_stream(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(100 * KiB, 3);
	g_autoptr(GBytes) old = g_bytes_new_static("old", 3);
	g_autoptr(HubdStorageObject) previous = put_string(f->storage, "short/old", "old");
	const gchar *keys[] = {"short/new", "short/old"};

	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
		g_autoptr(HubdStorageObject) object =
			hubd_storage_conformance_put_stream(f->storage,
							    keys[i],
							    stream,
							    200 * KiB,
							    NULL,
							    &error);
		g_assert_null(object);
		g_assert_nonnull(error);
		g_assert_true(error->domain == HUBD_ERROR);
	}
	assert_missing(f->storage, "short/new");
	assert_content(f->storage, "short/old", old);
}

/* ---- ranges ---- */

static void
assert_range(HubdStorage *storage, const gchar *key, GBytes *whole, guint64 offset, gint64 length)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	gsize size = g_bytes_get_size(whole);
	gsize want = length >= 0 ? (gsize)length : size - (gsize)offset;
	g_autoptr(GBytes) expected = g_bytes_new_from_bytes(whole, (gsize)offset, want);
	g_autoptr(GBytes) got =
		hubd_storage_conformance_get(storage, key, offset, length, &object, &error);

	g_assert_no_error(error);
	assert_bytes_equal(got, expected);
	/* the object's description is the whole object's, not the range's */
	g_assert_cmpuint(hubd_storage_object_get_size(object), ==, size);
}

static void
assert_range_refused(HubdStorage *storage, const gchar *key, guint64 offset, gint64 length)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) got =
		hubd_storage_conformance_get(storage, key, offset, length, NULL, &error);

	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_null(got);
}

static void
test_get_ranges(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	gsize size = MiB + 7;
	g_autoptr(GBytes) whole = hubd_storage_conformance_make_bytes(size, 4);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) put =
		hubd_storage_conformance_put(f->storage, "ranges/blob", whole, &error);
	g_autoptr(HubdStorageObject) empty = put_string(f->storage, "ranges/empty", "");
	g_autoptr(GBytes) nothing = g_bytes_new_static("", 0);

	g_assert_no_error(error);
	assert_range(f->storage, "ranges/blob", whole, 0, 10);         /* start */
	assert_range(f->storage, "ranges/blob", whole, 1000, 5000);    /* middle */
	assert_range(f->storage, "ranges/blob", whole, size - 10, -1); /* to the end */
	assert_range(f->storage, "ranges/blob", whole, size - 10, 10);
	assert_range(f->storage, "ranges/blob", whole, 0, -1);
	assert_range(f->storage, "ranges/blob", whole, 0, (gint64)size);
	assert_range(f->storage, "ranges/blob", whole, 500, 0); /* empty ranges */
	assert_range(f->storage, "ranges/blob", whole, size, -1);
	assert_range(f->storage, "ranges/blob", whole, size, 0);
	assert_range(f->storage, "ranges/empty", nothing, 0, -1);
	assert_range(f->storage, "ranges/empty", nothing, 0, 0);

	/* past the end */
	assert_range_refused(f->storage, "ranges/blob", size + 1, -1);
	assert_range_refused(f->storage, "ranges/blob", size + 1, 0);
	assert_range_refused(f->storage, "ranges/blob", size - 5, 10);
	assert_range_refused(f->storage, "ranges/blob", 0, (gint64)size + 1);
	assert_range_refused(f->storage, "ranges/empty", 1, -1);
	assert_range_refused(f->storage, "ranges/empty", 0, 1);

	/* a range of a missing key is a missing key */
	{
		g_autoptr(GBytes) got =
			hubd_storage_conformance_get(f->storage, "ranges/none", 5, 5, NULL, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
		g_assert_null(got);
	}
}

/* ---- head and missing keys ---- */

static void
test_missing(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(HubdStorageObject) object = put_string(f->storage, "folder/inside", "x");

	assert_missing(f->storage, "never/was");
	/* a prefix of stored keys is no object */
	assert_missing(f->storage, "folder");
	assert_missing(f->storage, "folder/insid");
}

static void
test_overwrite(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) first = put_string(f->storage, "over/key", "first version");
	g_autoptr(GBytes) second_bytes = hubd_storage_conformance_make_bytes(200 * KiB, 5);
	g_autoptr(HubdStorageObject) second = NULL;
	g_autoptr(HubdStorageObject) head = NULL;
	g_autoptr(HubdStorageObject) third = NULL;
	g_autoptr(GBytes) nothing = g_bytes_new_static("", 0);
	g_autofree gchar *listed = NULL;

	second = hubd_storage_conformance_put(f->storage, "over/key", second_bytes, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_storage_object_get_etag(first),
			!=,
			hubd_storage_object_get_etag(second));
	assert_content(f->storage, "over/key", second_bytes);
	head = hubd_storage_conformance_head(f->storage, "over/key", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(hubd_storage_object_get_size(head), ==, 200 * KiB);
	g_assert_cmpstr(hubd_storage_object_get_etag(head),
			==,
			hubd_storage_object_get_etag(second));

	third = put_string(f->storage, "over/key", "");
	assert_content(f->storage, "over/key", nothing);
	listed = list_keys(f->storage, "over/", 0, NULL);
	g_assert_cmpstr(listed, ==, "over/key");
}

/* ---- listing ---- */

static void
test_list_order(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	/* '-' (0x2d) < '/' (0x2f) < '0' (0x30) < 'A' < 'a' < 'é' (0xc3 0xa9):
	 * "o/a/…" sorts between "o/a-b" and "o/a0" */
	const gchar *keys[] =
		{"o/a0", "o/z", "o/a/b", "p", "o/é", "o/A", "o/a/c/d", "o/aa", "o/a-b"};
	g_autofree gchar *o = NULL;
	g_autofree gchar *oa = NULL;
	g_autofree gchar *oa_slash = NULL;
	g_autofree gchar *all = NULL;
	g_autofree gchar *none = NULL;
	g_autofree gchar *exact = NULL;
	guint pages = 0;

	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autoptr(HubdStorageObject) object = put_string(f->storage, keys[i], keys[i]);
	}
	o = list_keys(f->storage, "o/", 1000, &pages);
	g_assert_cmpstr(o, ==, "o/A o/a-b o/a/b o/a/c/d o/a0 o/aa o/z o/é");
	g_assert_cmpuint(pages, ==, 1);
	/* pages of two, across the folder boundary */
	oa = list_keys(f->storage, "o/a", 2, &pages);
	g_assert_cmpstr(oa, ==, "o/a-b o/a/b o/a/c/d o/a0 o/aa");
	g_assert_cmpuint(pages, >=, 3);
	oa_slash = list_keys(f->storage, "o/a/", 0, NULL);
	g_assert_cmpstr(oa_slash, ==, "o/a/b o/a/c/d");
	all = list_keys(f->storage, NULL, 1, &pages);
	g_assert_cmpstr(all, ==, "o/A o/a-b o/a/b o/a/c/d o/a0 o/aa o/z o/é p");
	g_assert_cmpuint(pages, >=, 9);
	none = list_keys(f->storage, "q", 0, &pages);
	g_assert_cmpstr(none, ==, "");
	g_assert_cmpuint(pages, ==, 1);
	exact = list_keys(f->storage, "o/a/c/d", 0, NULL);
	g_assert_cmpstr(exact, ==, "o/a/c/d");
}

/* The listed description of each object is what its put returned. */
static void
test_list_describes(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) small = put_string(f->storage, "desc/small", "0123456789");
	g_autoptr(GBytes) big_bytes = hubd_storage_conformance_make_bytes(300 * KiB, 6);
	g_autoptr(HubdStorageObject) big =
		hubd_storage_conformance_put(f->storage, "desc/sub/big", big_bytes, &error);
	g_autoptr(GPtrArray) objects = NULL;
	HubdStorageObject *expected[2];

	g_assert_no_error(error);
	expected[0] = small;
	expected[1] = big;
	objects = hubd_storage_conformance_list_all(f->storage, "desc/", 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(objects->len, ==, 2);
	for (guint i = 0; i < 2; i++) {
		HubdStorageObject *listed = g_ptr_array_index(objects, i);
		g_assert_cmpstr(hubd_storage_object_get_key(listed),
				==,
				hubd_storage_object_get_key(expected[i]));
		g_assert_cmpuint(hubd_storage_object_get_size(listed),
				 ==,
				 hubd_storage_object_get_size(expected[i]));
		g_assert_cmpstr(hubd_storage_object_get_etag(listed),
				==,
				hubd_storage_object_get_etag(expected[i]));
		g_assert_nonnull(hubd_storage_object_get_modified(listed));
	}
}

typedef struct {
	HubdStorage *storage;
	guint next;
	guint total;
	guint in_flight;
	guint done;
} Filler;

static void
filler_start(Filler *filler);

static void
filler_put_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Filler *filler = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object =
		hubd_storage_put_finish(HUBD_STORAGE(source), result, &error);

	g_assert_no_error(error);
	filler->in_flight--;
	filler->done++;
	filler_start(filler);
}

static gchar *
many_key(guint i)
{
	return g_strdup_printf("many/%02u/%04u", i / 100, i);
}

static void
filler_start(Filler *filler)
{
	while (filler->in_flight < PUT_WINDOW && filler->next < filler->total) {
		guint i = filler->next++;
		g_autofree gchar *key = many_key(i);
		g_autofree gchar *text = g_strdup_printf("%u", i);
		g_autoptr(GBytes) bytes = g_bytes_new(text, strlen(text));
		g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
		filler->in_flight++;
		hubd_storage_put_async(filler->storage,
				       key,
				       stream,
				       (gint64)strlen(text),
				       NULL,
				       filler_put_cb,
				       filler);
	}
}

static void
test_list_pages(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	Filler filler = {f->storage, 0, 2500, 0, 0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) objects = NULL;
	g_autoptr(GPtrArray) folder = NULL;
	g_autoptr(GPtrArray) first = NULL;
	g_autofree gchar *token = NULL;
	guint pages = 0;

	filler_start(&filler);
	while (filler.done < filler.total)
		g_main_context_iteration(NULL, TRUE);

	/* the first page is full and says there is more */
	first = list_page(f->storage, "many/", NULL, 1000, &token, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(first->len, <=, 1000);
	g_assert_cmpuint(first->len, >, 0);
	g_assert_nonnull(token);

	objects = hubd_storage_conformance_list_all(f->storage, "many/", 1000, &pages, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(objects->len, ==, 2500);
	g_assert_cmpuint(pages, >=, 3);
	for (guint i = 0; i < objects->len; i++) {
		g_autofree gchar *key = many_key(i);
		g_autofree gchar *text = g_strdup_printf("%u", i);
		HubdStorageObject *object = g_ptr_array_index(objects, i);
		g_assert_cmpstr(hubd_storage_object_get_key(object), ==, key);
		g_assert_cmpuint(hubd_storage_object_get_size(object), ==, strlen(text));
	}

	/* one folder's worth, with the default page size */
	folder = hubd_storage_conformance_list_all(f->storage, "many/07/", 0, &pages, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(folder->len, ==, 100);
	g_assert_cmpstr(hubd_storage_object_get_key(g_ptr_array_index(folder, 0)),
			==,
			"many/07/0700");
	g_assert_cmpstr(hubd_storage_object_get_key(g_ptr_array_index(folder, 99)),
			==,
			"many/07/0799");
}

/* ---- delete ---- */

static void
test_delete(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) a = put_string(f->storage, "d/a", "a");
	g_autoptr(HubdStorageObject) b = put_string(f->storage, "d/b", "b");
	g_autoptr(HubdStorageObject) again = NULL;
	g_autoptr(GBytes) a_bytes = g_bytes_new_static("again", 5);
	g_autofree gchar *left = NULL;
	g_autofree gchar *none = NULL;

	ASSERT_CALL(hubd_storage_conformance_delete(f->storage, "d/a", &error));
	g_assert_no_error(error);
	assert_missing(f->storage, "d/a");
	left = list_keys(f->storage, "", 0, NULL);
	g_assert_cmpstr(left, ==, "d/b");

	/* deleting what is not there succeeds, as S3's DeleteObject */
	ASSERT_CALL(hubd_storage_conformance_delete(f->storage, "d/a", &error));
	g_assert_no_error(error);
	ASSERT_CALL(hubd_storage_conformance_delete(f->storage, "never/was/here", &error));
	g_assert_no_error(error);
	/* a prefix of a key is no object: deleting it deletes nothing */
	ASSERT_CALL(hubd_storage_conformance_delete(f->storage, "d", &error));
	g_assert_no_error(error);

	ASSERT_CALL(hubd_storage_conformance_delete(f->storage, "d/b", &error));
	g_assert_no_error(error);
	none = list_keys(f->storage, "", 0, NULL);
	g_assert_cmpstr(none, ==, "");

	/* and the key can be used again */
	again = hubd_storage_conformance_put(f->storage, "d/a", a_bytes, &error);
	g_assert_no_error(error);
	assert_content(f->storage, "d/a", a_bytes);
}

/* ---- concurrent writers of one key ---- */

static void
test_concurrent_writers(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	const guint writers = 6;

	for (guint round = 0; round < 3; round++) {
		g_autoptr(HubdTestBarrier) barrier = hubd_test_barrier_new(writers);
		g_autofree gchar *key = g_strdup_printf("race/key-%u", round);
		g_autoptr(GPtrArray) contents =
			g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
		g_autoptr(GPtrArray) etags = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) got = NULL;
		g_autoptr(HubdStorageObject) head = NULL;
		g_autofree gchar *listed = NULL;
		GAsyncResult *results[6] = {NULL};
		guint matches = 0;
		guint winner = 0;

		for (guint i = 0; i < writers; i++) {
			/* different sizes and bytes: a mix of two matches neither */
			GBytes *bytes = hubd_storage_conformance_make_bytes(512 * KiB + i * 4099,
									    100 + round * 10 + i);
			g_autoptr(HubdTestStream) stream = hubd_test_stream_new(bytes, 16 * KiB);
			hubd_test_stream_set_barrier(stream, barrier);
			g_ptr_array_add(contents, bytes);
			hubd_storage_put_async(f->storage,
					       key,
					       G_INPUT_STREAM(stream),
					       (gint64)g_bytes_get_size(bytes),
					       NULL,
					       store_result_cb,
					       &results[i]);
		}
		for (guint i = 0; i < writers; i++) {
			g_autoptr(HubdStorageObject) object =
				hubd_storage_put_finish(f->storage,
							wait_result(&results[i]),
							&error);
			g_assert_no_error(error);
			g_ptr_array_add(etags, g_strdup(hubd_storage_object_get_etag(object)));
			g_clear_object(&results[i]);
		}

		got = hubd_storage_conformance_get(f->storage, key, 0, -1, NULL, &error);
		g_assert_no_error(error);
		for (guint i = 0; i < writers; i++) {
			if (g_bytes_equal(got, g_ptr_array_index(contents, i))) {
				matches++;
				winner = i;
			}
		}
		g_assert_cmpuint(matches, ==, 1);
		head = hubd_storage_conformance_head(f->storage, key, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(hubd_storage_object_get_etag(head),
				==,
				g_ptr_array_index(etags, winner));
		g_assert_cmpuint(hubd_storage_object_get_size(head), ==, g_bytes_get_size(got));
		listed = list_keys(f->storage, "race/", 0, NULL);
		g_assert_cmpuint(strlen(listed), ==, (strlen("race/key-0") + 1) * (round + 1) - 1);
	}
}

/* ---- multipart ---- */

static gchar *
mp_begin(HubdStorage *storage, const gchar *key, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	hubd_storage_multipart_begin_async(storage, key, NULL, store_result_cb, &result);
	return hubd_storage_multipart_begin_finish(storage, wait_result(&result), error);
}

static HubdStoragePart *
mp_put_part(HubdStorage *storage,
	    const gchar *key,
	    const gchar *upload_id,
	    guint number,
	    GInputStream *stream,
	    gint64 length,
	    GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	hubd_storage_multipart_put_part_async(storage,
					      key,
					      upload_id,
					      number,
					      stream,
					      length,
					      NULL,
					      store_result_cb,
					      &result);
	return hubd_storage_multipart_put_part_finish(storage, wait_result(&result), error);
}

static HubdStoragePart *
mp_put_bytes(HubdStorage *storage,
	     const gchar *key,
	     const gchar *upload_id,
	     guint number,
	     GBytes *bytes)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
	HubdStoragePart *part = mp_put_part(storage,
					    key,
					    upload_id,
					    number,
					    stream,
					    (gint64)g_bytes_get_size(bytes),
					    &error);

	g_assert_no_error(error);
	g_assert_cmpuint(hubd_storage_part_get_number(part), ==, number);
	g_assert_cmpstr(hubd_storage_part_get_etag(part), !=, "");
	return part;
}

static HubdStorageObject *
mp_complete(HubdStorage *storage,
	    const gchar *key,
	    const gchar *upload_id,
	    GPtrArray *parts,
	    GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	hubd_storage_multipart_complete_async(storage,
					      key,
					      upload_id,
					      parts,
					      NULL,
					      store_result_cb,
					      &result);
	return hubd_storage_multipart_complete_finish(storage, wait_result(&result), error);
}

static gboolean
mp_abort(HubdStorage *storage, const gchar *key, const gchar *upload_id, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	hubd_storage_multipart_abort_async(storage, key, upload_id, NULL, store_result_cb, &result);
	return hubd_storage_multipart_abort_finish(storage, wait_result(&result), error);
}

static GPtrArray *
parts_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)hubd_storage_part_unref);
}

static GBytes *
concat_bytes(GBytes *const *pieces, guint n)
{
	g_autoptr(GByteArray) all = g_byte_array_new();

	for (guint i = 0; i < n; i++) {
		gsize len;
		const guint8 *data = g_bytes_get_data(pieces[i], &len);
		g_byte_array_append(all, data, (guint)len);
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&all));
}

/* Parts put out of order, two at once; nothing visible until complete. */
static void
test_multipart_out_of_order(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) p1 = hubd_storage_conformance_make_bytes(HUBD_STORAGE_MIN_PART_SIZE, 11);
	g_autoptr(GBytes) p2 = hubd_storage_conformance_make_bytes(HUBD_STORAGE_MIN_PART_SIZE, 12);
	g_autoptr(GBytes) p3 = hubd_storage_conformance_make_bytes(100 * KiB + 3, 13);
	GBytes *pieces[] = {p1, p2, p3};
	g_autoptr(GBytes) whole = concat_bytes(pieces, 3);
	g_autofree gchar *id = mp_begin(f->storage, "mp/big.bin", &error);
	g_autoptr(GInputStream) s3 = g_memory_input_stream_new_from_bytes(p3);
	g_autoptr(GInputStream) s1 = g_memory_input_stream_new_from_bytes(p1);
	g_autoptr(GAsyncResult) r3 = NULL;
	g_autoptr(GAsyncResult) r1 = NULL;
	g_autoptr(HubdStoragePart) part1 = NULL;
	g_autoptr(HubdStoragePart) part2 = NULL;
	g_autoptr(HubdStoragePart) part3 = NULL;
	g_autoptr(GPtrArray) parts = parts_new();
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(HubdStorageObject) head = NULL;
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;

	g_assert_no_error(error);
	g_assert_nonnull(id);
	hubd_storage_multipart_put_part_async(f->storage,
					      "mp/big.bin",
					      id,
					      3,
					      s3,
					      (gint64)g_bytes_get_size(p3),
					      NULL,
					      store_result_cb,
					      &r3);
	hubd_storage_multipart_put_part_async(f->storage,
					      "mp/big.bin",
					      id,
					      1,
					      s1,
					      (gint64)g_bytes_get_size(p1),
					      NULL,
					      store_result_cb,
					      &r1);
	part3 = hubd_storage_multipart_put_part_finish(f->storage, wait_result(&r3), &error);
	g_assert_no_error(error);
	part1 = hubd_storage_multipart_put_part_finish(f->storage, wait_result(&r1), &error);
	g_assert_no_error(error);
	part2 = mp_put_bytes(f->storage, "mp/big.bin", id, 2, p2);

	assert_missing(f->storage, "mp/big.bin");
	before = list_keys(f->storage, "", 0, NULL);
	g_assert_cmpstr(before, ==, "");

	g_ptr_array_add(parts, hubd_storage_part_ref(part1));
	g_ptr_array_add(parts, hubd_storage_part_ref(part2));
	g_ptr_array_add(parts, hubd_storage_part_ref(part3));
	object = mp_complete(f->storage, "mp/big.bin", id, parts, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_storage_object_get_key(object), ==, "mp/big.bin");
	g_assert_cmpuint(hubd_storage_object_get_size(object), ==, g_bytes_get_size(whole));
	assert_content(f->storage, "mp/big.bin", whole);
	head = hubd_storage_conformance_head(f->storage, "mp/big.bin", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_storage_object_get_etag(head),
			==,
			hubd_storage_object_get_etag(object));
	after = list_keys(f->storage, "", 0, NULL);
	g_assert_cmpstr(after, ==, "mp/big.bin");

	/* the upload is over */
	g_assert_false(mp_abort(f->storage, "mp/big.bin", id, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
}

/* An object being replaced by a multipart put stays as it was until complete;
 * parts put but not listed are dropped; one small part is a whole object. */
static void
test_multipart_replaces(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) old = put_string(f->storage, "mp/key", "the old content");
	g_autoptr(GBytes) old_bytes = g_bytes_new_static("the old content", 15);
	g_autoptr(GBytes) p1 = hubd_storage_conformance_make_bytes(HUBD_STORAGE_MIN_PART_SIZE, 21);
	g_autoptr(GBytes) p2 = hubd_storage_conformance_make_bytes(10 * KiB, 22);
	g_autoptr(GBytes) p3 = hubd_storage_conformance_make_bytes(10 * KiB, 23);
	GBytes *pieces[] = {p1, p2};
	g_autoptr(GBytes) whole = concat_bytes(pieces, 2);
	g_autofree gchar *id = mp_begin(f->storage, "mp/key", &error);
	g_autoptr(HubdStoragePart) part1 = NULL;
	g_autoptr(HubdStoragePart) part2 = NULL;
	g_autoptr(HubdStoragePart) part3 = NULL;
	g_autoptr(GPtrArray) parts = parts_new();
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GBytes) tiny = g_bytes_new_static("tiny", 4);
	g_autofree gchar *tiny_id = NULL;
	g_autoptr(HubdStoragePart) tiny_part = NULL;
	g_autoptr(GPtrArray) tiny_parts = parts_new();
	g_autoptr(HubdStorageObject) tiny_object = NULL;

	g_assert_no_error(error);
	part1 = mp_put_bytes(f->storage, "mp/key", id, 1, p1);
	part2 = mp_put_bytes(f->storage, "mp/key", id, 2, p2);
	part3 = mp_put_bytes(f->storage, "mp/key", id, 3, p3);
	assert_content(f->storage, "mp/key", old_bytes);

	g_ptr_array_add(parts, hubd_storage_part_ref(part1));
	g_ptr_array_add(parts, hubd_storage_part_ref(part2));
	object = mp_complete(f->storage, "mp/key", id, parts, &error);
	g_assert_no_error(error);
	assert_content(f->storage, "mp/key", whole);
	g_assert_cmpstr(hubd_storage_object_get_etag(object),
			!=,
			hubd_storage_object_get_etag(old));

	tiny_id = mp_begin(f->storage, "mp/tiny", &error);
	g_assert_no_error(error);
	tiny_part = mp_put_bytes(f->storage, "mp/tiny", tiny_id, 1, tiny);
	g_ptr_array_add(tiny_parts, hubd_storage_part_ref(tiny_part));
	tiny_object = mp_complete(f->storage, "mp/tiny", tiny_id, tiny_parts, &error);
	g_assert_no_error(error);
	assert_content(f->storage, "mp/tiny", tiny);
}

static void
test_multipart_abort(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(64 * KiB, 31);
	g_autofree gchar *id = mp_begin(f->storage, "mp/aborted", &error);
	g_autoptr(HubdStoragePart) part = NULL;
	g_autoptr(HubdStoragePart) late = NULL;
	g_autoptr(GPtrArray) parts = parts_new();
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
	g_autofree gchar *listed = NULL;

	g_assert_no_error(error);
	part = mp_put_bytes(f->storage, "mp/aborted", id, 1, bytes);
	ASSERT_CALL(mp_abort(f->storage, "mp/aborted", id, &error));
	g_assert_no_error(error);
	assert_missing(f->storage, "mp/aborted");
	listed = list_keys(f->storage, "", 0, NULL);
	g_assert_cmpstr(listed, ==, "");

	/* the upload is gone for every call */
	late = mp_put_part(f->storage, "mp/aborted", id, 2, stream, 64 * KiB, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
	g_assert_null(late);
	g_clear_error(&error);
	g_ptr_array_add(parts, hubd_storage_part_ref(part));
	object = mp_complete(f->storage, "mp/aborted", id, parts, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
	g_assert_null(object);
	g_clear_error(&error);
	g_assert_false(mp_abort(f->storage, "mp/aborted", id, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
	g_clear_error(&error);
	assert_missing(f->storage, "mp/aborted");
}

/* An upload id is an upload of one key only. */
static void
test_multipart_other_key(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = g_bytes_new_static("part", 4);
	g_autofree gchar *id = mp_begin(f->storage, "mp/one", &error);
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
	g_autoptr(HubdStoragePart) part = NULL;

	g_assert_no_error(error);
	part = mp_put_part(f->storage, "mp/other", id, 1, stream, 4, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
	g_assert_null(part);
	g_clear_error(&error);
	g_assert_false(mp_abort(f->storage, "mp/one", "not-an-upload-id", &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
	g_clear_error(&error);
	ASSERT_CALL(mp_abort(f->storage, "mp/one", id, &error));
	g_assert_no_error(error);
}

/* Complete refuses parts that were not put as listed, and small parts
 * before the last; the upload stays open for a right complete. */
static void
test_multipart_bad_complete(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) p1 = hubd_storage_conformance_make_bytes(HUBD_STORAGE_MIN_PART_SIZE, 41);
	g_autoptr(GBytes) p2 = hubd_storage_conformance_make_bytes(KiB, 42);
	GBytes *pieces[] = {p1, p2};
	g_autoptr(GBytes) whole = concat_bytes(pieces, 2);
	g_autofree gchar *id = mp_begin(f->storage, "mp/bad", &error);
	g_autoptr(HubdStoragePart) part1 = NULL;
	g_autoptr(HubdStoragePart) part2 = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autofree gchar *small_id = NULL;
	g_autoptr(HubdStoragePart) small1 = NULL;
	g_autoptr(HubdStoragePart) small2 = NULL;

	g_assert_no_error(error);
	part1 = mp_put_bytes(f->storage, "mp/bad", id, 1, p1);
	part2 = mp_put_bytes(f->storage, "mp/bad", id, 2, p2);

	/* a wrong entity tag */
	{
		g_autoptr(GPtrArray) parts = parts_new();
		g_autoptr(HubdStorageObject) bad = NULL;
		g_ptr_array_add(parts, hubd_storage_part_new(1, "0123456789abcdef"));
		g_ptr_array_add(parts, hubd_storage_part_ref(part2));
		bad = mp_complete(f->storage, "mp/bad", id, parts, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_assert_null(bad);
		g_clear_error(&error);
	}
	/* a part never put */
	{
		g_autoptr(GPtrArray) parts = parts_new();
		g_autoptr(HubdStorageObject) bad = NULL;
		g_ptr_array_add(parts, hubd_storage_part_ref(part1));
		g_ptr_array_add(parts, hubd_storage_part_ref(part2));
		g_ptr_array_add(parts, hubd_storage_part_new(3, hubd_storage_part_get_etag(part2)));
		bad = mp_complete(f->storage, "mp/bad", id, parts, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_assert_null(bad);
		g_clear_error(&error);
	}
	assert_missing(f->storage, "mp/bad");

	/* a part but the last below the minimum */
	small_id = mp_begin(f->storage, "mp/small", &error);
	g_assert_no_error(error);
	small1 = mp_put_bytes(f->storage, "mp/small", small_id, 1, p2);
	small2 = mp_put_bytes(f->storage, "mp/small", small_id, 2, p2);
	{
		g_autoptr(GPtrArray) parts = parts_new();
		g_autoptr(HubdStorageObject) bad = NULL;
		g_ptr_array_add(parts, hubd_storage_part_ref(small1));
		g_ptr_array_add(parts, hubd_storage_part_ref(small2));
		bad = mp_complete(f->storage, "mp/small", small_id, parts, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_assert_null(bad);
		g_clear_error(&error);
	}
	assert_missing(f->storage, "mp/small");
	ASSERT_CALL(mp_abort(f->storage, "mp/small", small_id, &error));
	g_assert_no_error(error);

	/* the first upload is still open */
	{
		g_autoptr(GPtrArray) parts = parts_new();
		g_ptr_array_add(parts, hubd_storage_part_ref(part1));
		g_ptr_array_add(parts, hubd_storage_part_ref(part2));
		object = mp_complete(f->storage, "mp/bad", id, parts, &error);
		g_assert_no_error(error);
		assert_content(f->storage, "mp/bad", whole);
	}
}

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

/* ---- failures mid-stream ---- */

static void
test_cancel_mid_put(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(3 * MiB, 51);
	g_autoptr(GBytes) old = g_bytes_new_static("old", 3);
	g_autoptr(HubdStorageObject) previous = put_string(f->storage, "cancel/old", "old");
	const gchar *keys[] = {"cancel/new", "cancel/old"};
	g_autofree gchar *listed = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GCancellable) cancellable = g_cancellable_new();
		g_autoptr(HubdTestStream) stream = hubd_test_stream_new(bytes, 0);
		g_autoptr(HubdStorageObject) object = NULL;

		hubd_test_stream_cancel_after(stream, MiB, cancellable);
		object = hubd_storage_conformance_put_stream(f->storage,
							     keys[i],
							     G_INPUT_STREAM(stream),
							     (gint64)g_bytes_get_size(bytes),
							     cancellable,
							     &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CANCELLED);
		g_assert_null(object);
		/* it was cancelled in the middle, not before it began or after the end */
		g_assert_cmpuint(hubd_test_stream_get_offset(stream), <, g_bytes_get_size(bytes));
	}
	/* and one cancelled before it starts */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GCancellable) cancellable = g_cancellable_new();
		g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
		g_autoptr(HubdStorageObject) object = NULL;
		g_cancellable_cancel(cancellable);
		object = hubd_storage_conformance_put_stream(f->storage,
							     "cancel/early",
							     stream,
							     -1,
							     cancellable,
							     &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CANCELLED);
	}
	assert_missing(f->storage, "cancel/new");
	assert_missing(f->storage, "cancel/early");
	assert_content(f->storage, "cancel/old", old);
	listed = list_keys(f->storage, "", 0, NULL);
	g_assert_cmpstr(listed, ==, "cancel/old");
}

/* The content's stream breaks off: the put fails, nothing new is visible,
 * the previous object is intact; a broken part is never put. */
static void
test_stream_fails(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(3 * MiB, 61);
	g_autoptr(GBytes) old_bytes = hubd_storage_conformance_make_bytes(100 * KiB, 62);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) previous =
		hubd_storage_conformance_put(f->storage, "broken/old", old_bytes, &error);
	const gchar *keys[] = {"broken/new", "broken/old"};
	const gint64 lengths[] = {3 * MiB, -1};
	g_autofree gchar *listed = NULL;
	g_autofree gchar *id = NULL;

	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		for (guint j = 0; j < G_N_ELEMENTS(lengths); j++) {
			g_autoptr(HubdTestStream) stream = hubd_test_stream_new(bytes, 0);
			g_autoptr(HubdStorageObject) object = NULL;
			hubd_test_stream_fail_after(stream, MiB + 1);
			object = hubd_storage_conformance_put_stream(f->storage,
								     keys[i],
								     G_INPUT_STREAM(stream),
								     lengths[j],
								     NULL,
								     &error);
			g_assert_nonnull(error);
			g_assert_true(error->domain == HUBD_ERROR);
			g_assert_cmpint(error->code, !=, HUBD_ERROR_CANCELLED);
			g_assert_null(object);
			g_clear_error(&error);
		}
	}
	assert_missing(f->storage, "broken/new");
	assert_content(f->storage, "broken/old", old_bytes);
	listed = list_keys(f->storage, "", 0, NULL);
	g_assert_cmpstr(listed, ==, "broken/old");

	id = mp_begin(f->storage, "broken/parts", &error);
	g_assert_no_error(error);
	{
		g_autoptr(HubdTestStream) stream = hubd_test_stream_new(bytes, 0);
		g_autoptr(HubdStoragePart) part = NULL;
		g_autoptr(GPtrArray) parts = parts_new();
		g_autoptr(HubdStorageObject) object = NULL;
		hubd_test_stream_fail_after(stream, MiB);
		part = mp_put_part(f->storage,
				   "broken/parts",
				   id,
				   1,
				   G_INPUT_STREAM(stream),
				   3 * MiB,
				   &error);
		g_assert_nonnull(error);
		g_assert_true(error->domain == HUBD_ERROR);
		g_assert_null(part);
		g_clear_error(&error);
		g_ptr_array_add(parts, hubd_storage_part_new(1, "0000"));
		object = mp_complete(f->storage, "broken/parts", id, parts, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	ASSERT_CALL(mp_abort(f->storage, "broken/parts", id, &error));
	g_assert_no_error(error);
	assert_missing(f->storage, "broken/parts");
}

/* ---- registration ---- */

typedef struct {
	const gchar *name;
	GTestFixtureFunc func;
} Case;

void
hubd_storage_conformance_add_tests(const gchar *path, const HubdStorageConformance *conformance)
{
	const Case cases[] = {
		{"roundtrip/empty", test_roundtrip_empty},
		{"roundtrip/small", test_roundtrip_small},
		{"roundtrip/3mib", test_roundtrip_large},
		{"roundtrip/unknown-length", test_roundtrip_unknown_length},
		{"roundtrip/keys", test_roundtrip_keys},
		{"put/short-stream", test_put_short_stream},
		{"put/overwrite", test_overwrite},
		{"put/concurrent-writers", test_concurrent_writers},
		{"put/cancel-mid-stream", test_cancel_mid_put},
		{"put/stream-fails", test_stream_fails},
		{"get/ranges", test_get_ranges},
		{"get/missing", test_missing},
		{"list/order", test_list_order},
		{"list/describes", test_list_describes},
		{"list/pages", test_list_pages},
		{"delete", test_delete},
		{"multipart/out-of-order", test_multipart_out_of_order},
		{"multipart/replaces", test_multipart_replaces},
		{"multipart/abort", test_multipart_abort},
		{"multipart/other-key", test_multipart_other_key},
		{"multipart/bad-complete", test_multipart_bad_complete},
		{"keys/refused", test_bad_keys},
	};
	g_autofree gchar *checked = g_strdup_printf("%s/keys/checked-before-backend", path);

	g_return_if_fail(conformance != NULL && conformance->create != NULL);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *name = g_strdup_printf("%s/%s", path, cases[i].name);
		g_test_add_vtable(name,
				  sizeof(Fixture),
				  conformance,
				  fixture_setup,
				  cases[i].func,
				  fixture_teardown);
	}
	g_test_add_func(checked, test_checked_before_backend);
}
