/* hubd-storage-conformance-objects.c: the conformance cases on whole objects —
 * round trips, ranges, missing keys, overwrites, concurrent writers of one key
 * and puts that are cancelled or whose stream breaks off */
#define G_LOG_DOMAIN "HubdStorageConformance"

#include "hubd-error.h"
#include "hubd-storage-conformance-private.h"
#include "hubd-test-stream.h"

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

/* The stream of a get read the other way: synchronously in a worker thread
 * (as uploads from a backend read it), with a skip. */
static void
test_get_sync_read(gpointer data, gconstpointer user_data)
{
	Fixture *f = data;
	gsize size = MiB + 7;
	g_autoptr(GBytes) whole = hubd_storage_conformance_make_bytes(size, 6);
	g_autoptr(GBytes) tail = g_bytes_new_from_bytes(whole, 1000, size - 1000);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) put =
		hubd_storage_conformance_put(f->storage, "sync/blob", whole, &error);
	g_autoptr(GBytes) got = NULL;

	g_assert_no_error(error);
	got = hubd_storage_conformance_get_sync(f->storage, "sync/blob", 1000, &error);
	g_assert_no_error(error);
	assert_bytes_equal(got, tail);
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

void
hubd_storage_conformance_add_object_tests(const gchar *path,
					  const HubdStorageConformance *conformance)
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
		{"get/sync-read", test_get_sync_read},
		{"get/missing", test_missing},
	};

	hubd_storage_conformance_add_cases(path, conformance, cases, G_N_ELEMENTS(cases));
}
