/* hubd-storage-conformance-list.c: the conformance cases on listing (order,
 * descriptions, pages over thousands of keys) and on delete */
#define G_LOG_DOMAIN "HubdStorageConformance"

#include "hubd-error.h"
#include "hubd-storage-conformance-private.h"

/* puts in flight at once when filling a backend with many keys */
#define PUT_WINDOW 32

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

/* ---- registration ---- */

void
hubd_storage_conformance_add_list_tests(const gchar *path,
					const HubdStorageConformance *conformance)
{
	const Case cases[] = {
		{"list/order", test_list_order},
		{"list/describes", test_list_describes},
		{"list/pages", test_list_pages},
		{"delete", test_delete},
	};

	hubd_storage_conformance_add_cases(path, conformance, cases, G_N_ELEMENTS(cases));
}
