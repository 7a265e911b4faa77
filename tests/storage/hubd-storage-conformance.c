/* hubd-storage-conformance.c: the common part of the conformance suite — running
 * async calls to completion, the public synchronous helpers, the checks the cases
 * share, the fixture, and hubd_storage_conformance_add_tests(), which adds the
 * cases of every part (hubd-storage-conformance-{objects,list,multipart,keys}.c) */
#define G_LOG_DOMAIN "HubdStorageConformance"

#include "hubd-error.h"
#include "hubd-storage-conformance-private.h"

/* ---- running async calls to completion ---- */

void
store_result_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **slot = user_data;

	g_assert_null(*slot);
	*slot = g_object_ref(result);
}

GAsyncResult *
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

typedef struct {
	GInputStream *stream;
	gsize skip;
	GBytes *got;
	GError *error;
	gint done;
} SyncRead;

static gpointer
sync_read_thread(gpointer data)
{
	SyncRead *r = data;
	g_autoptr(GByteArray) all = g_byte_array_new();
	guint8 buf[65536];
	gssize n;

	if (g_input_stream_skip(r->stream, r->skip, NULL, &r->error) != (gssize)r->skip)
		goto out;
	while ((n = g_input_stream_read(r->stream, buf, sizeof buf, NULL, &r->error)) > 0)
		g_byte_array_append(all, buf, (guint)n);
	if (n == 0 && g_input_stream_close(r->stream, NULL, &r->error))
		r->got = g_byte_array_free_to_bytes(g_steal_pointer(&all));
out:
	g_atomic_int_set(&r->done, 1);
	g_main_context_wakeup(NULL);
	return NULL;
}

GBytes *
hubd_storage_conformance_get_sync(HubdStorage *storage,
				  const gchar *key,
				  gsize skip,
				  GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GInputStream) stream = NULL;
	SyncRead r = {.skip = skip};
	GThread *thread;

	hubd_storage_get_async(storage, key, 0, -1, NULL, store_result_cb, &result);
	stream = hubd_storage_get_finish(storage, wait_result(&result), NULL, error);
	if (stream == NULL)
		return NULL;
	r.stream = stream;
	thread = g_thread_new("sync-read", sync_read_thread, &r);
	while (!g_atomic_int_get(&r.done))
		g_main_context_iteration(NULL, TRUE);
	g_thread_join(thread);
	if (r.got == NULL)
		g_propagate_error(error, r.error);
	return r.got;
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

GPtrArray *
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

void
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

void
assert_content(HubdStorage *storage, const gchar *key, GBytes *expected)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) got = hubd_storage_conformance_get(storage, key, 0, -1, NULL, &error);

	g_assert_no_error(error);
	assert_bytes_equal(got, expected);
}

void
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
gchar *
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

HubdStorageObject *
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

/* ---- registration ---- */

void
hubd_storage_conformance_add_cases(const gchar *path,
				   const HubdStorageConformance *conformance,
				   const Case *cases,
				   guint n_cases)
{
	for (guint i = 0; i < n_cases; i++) {
		g_autofree gchar *name = g_strdup_printf("%s/%s", path, cases[i].name);
		g_test_add_vtable(name,
				  sizeof(Fixture),
				  conformance,
				  fixture_setup,
				  cases[i].func,
				  fixture_teardown);
	}
}

void
hubd_storage_conformance_add_tests(const gchar *path, const HubdStorageConformance *conformance)
{
	g_return_if_fail(conformance != NULL && conformance->create != NULL);
	/* GTest runs the cases suite by suite, each suite where its first case was
	 * added: these calls keep the order every backend's test has always had */
	hubd_storage_conformance_add_object_tests(path, conformance);
	hubd_storage_conformance_add_list_tests(path, conformance);
	hubd_storage_conformance_add_multipart_tests(path, conformance);
	hubd_storage_conformance_add_key_tests(path, conformance);
}
