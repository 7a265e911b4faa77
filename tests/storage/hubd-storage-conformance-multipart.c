/* hubd-storage-conformance-multipart.c: multipart uploads — the calls run to
 * completion (the other parts use them too) and the conformance cases on them */
#define G_LOG_DOMAIN "HubdStorageConformance"

#include "hubd-error.h"
#include "hubd-storage-conformance-private.h"

/* ---- multipart ---- */

gchar *
mp_begin(HubdStorage *storage, const gchar *key, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	hubd_storage_multipart_begin_async(storage, key, NULL, store_result_cb, &result);
	return hubd_storage_multipart_begin_finish(storage, wait_result(&result), error);
}

HubdStoragePart *
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

HubdStorageObject *
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

gboolean
mp_abort(HubdStorage *storage, const gchar *key, const gchar *upload_id, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	hubd_storage_multipart_abort_async(storage, key, upload_id, NULL, store_result_cb, &result);
	return hubd_storage_multipart_abort_finish(storage, wait_result(&result), error);
}

GPtrArray *
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

/* ---- registration ---- */

void
hubd_storage_conformance_add_multipart_tests(const gchar *path,
					     const HubdStorageConformance *conformance)
{
	const Case cases[] = {
		{"multipart/out-of-order", test_multipart_out_of_order},
		{"multipart/replaces", test_multipart_replaces},
		{"multipart/abort", test_multipart_abort},
		{"multipart/other-key", test_multipart_other_key},
		{"multipart/bad-complete", test_multipart_bad_complete},
	};

	hubd_storage_conformance_add_cases(path, conformance, cases, G_N_ELEMENTS(cases));
}
