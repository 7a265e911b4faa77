/* hubd-storage-file-test.c: the file:// backend — the conformance suite, its on-disk layout, its
 * configuration */
#define G_LOG_DOMAIN "HubdStorageFileTest"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "hubd-config.h"
#include "hubd-error.h"
#include "hubd-storage-conformance.h"
#include "hubd-storage-file.h"

/* ---- helpers ---- */

static void
remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		GStatBuf st;
		if (g_lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(child);
		else
			g_assert_cmpint(g_unlink(child), ==, 0);
	}
	g_assert_cmpint(g_remove(path), ==, 0);
}

static gint
compare_strings_indirect(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* The names in `path`, sorted, joined by spaces ("" when empty or missing). */
static gchar *
folder_names(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL)
		g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, compare_strings_indirect);
	g_ptr_array_add(names, NULL);
	return g_strjoinv(" ", (gchar **)names->pdata);
}

static gchar *
staging_of(HubdStorage *storage)
{
	return g_build_filename(hubd_storage_file_get_root(HUBD_STORAGE_FILE(storage)),
				HUBD_STORAGE_FILE_RESERVED,
				"staging",
				NULL);
}

static HubdStorage *
file_storage_new(const gchar *root, GVariant *options, GError **error)
{
	g_autofree gchar *url = g_filename_to_uri(root, NULL, error);

	if (url == NULL)
		return NULL;
	return hubd_storage_new("test", url, options, NULL, error);
}

/* ---- the conformance suite's factory: a new folder per test ---- */

static HubdStorage *
factory_create(gpointer user_data, GError **error)
{
	g_autofree gchar *dir = g_dir_make_tmp("hubd-storage-file-XXXXXX", error);
	g_autofree gchar *root = NULL;
	HubdStorage *storage;

	if (dir == NULL)
		return NULL;
	/* a folder that does not exist yet: the backend makes it */
	root = g_build_filename(dir, "objects", NULL);
	storage = file_storage_new(root, NULL, error);
	if (storage != NULL)
		g_object_set_data_full(G_OBJECT(storage),
				       "test-dir",
				       g_steal_pointer(&dir),
				       g_free);
	return storage;
}

/* After every case: no temp file left behind, and every object listed is a
 * plain file of that size at ROOT/KEY. */
static void
factory_destroy(HubdStorage *storage, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *staging = staging_of(storage);
	g_autofree gchar *left = folder_names(staging);
	const gchar *root = hubd_storage_file_get_root(HUBD_STORAGE_FILE(storage));
	g_autoptr(GPtrArray) objects =
		hubd_storage_conformance_list_all(storage, "", 0, NULL, &error);

	g_assert_cmpstr(left, ==, "");
	g_assert_no_error(error);
	for (guint i = 0; i < objects->len; i++) {
		HubdStorageObject *object = g_ptr_array_index(objects, i);
		g_autofree gchar *path =
			g_build_filename(root, hubd_storage_object_get_key(object), NULL);
		GStatBuf st;
		g_assert_cmpint(g_lstat(path, &st), ==, 0);
		g_assert_true(S_ISREG(st.st_mode));
		g_assert_cmpuint((guint64)st.st_size, ==, hubd_storage_object_get_size(object));
	}
	remove_tree(g_object_get_data(G_OBJECT(storage), "test-dir"));
}

static const HubdStorageConformance conformance = {factory_create, factory_destroy, NULL};

/* ---- file-specific cases ---- */

typedef struct {
	gchar *dir;
	gchar *root;
	HubdStorage *storage;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->dir = g_dir_make_tmp("hubd-storage-file-XXXXXX", &error);
	g_assert_no_error(error);
	f->root = g_build_filename(f->dir, "objects", NULL);
	f->storage = file_storage_new(f->root, NULL, &error);
	g_assert_no_error(error);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->storage);
	remove_tree(f->dir);
	g_free(f->dir);
	g_free(f->root);
}

static HubdStorageObject *
put_text(HubdStorage *storage, const gchar *key, const gchar *text, GError **error)
{
	g_autoptr(GBytes) bytes = g_bytes_new(text, strlen(text));

	return hubd_storage_conformance_put(storage, key, bytes, error);
}

static gchar *
read_file(const gchar *root, const gchar *relative)
{
	g_autofree gchar *path = g_build_filename(root, relative, NULL);
	g_autoptr(GError) error = NULL;
	gchar *contents = NULL;

	g_file_get_contents(path, &contents, NULL, &error);
	g_assert_no_error(error);
	return contents;
}

static gboolean
exists(const gchar *root, const gchar *relative)
{
	g_autofree gchar *path = g_build_filename(root, relative, NULL);

	return g_file_test(path, G_FILE_TEST_EXISTS);
}

/* Objects are plain files under the folder; the etag is their SHA-256,
 * cached in an xattr. */
static void
test_layout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = put_text(f->storage, "a/b/c.txt", "hello", &error);
	g_autofree gchar *sha256 = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "hello", -1);
	g_autofree gchar *contents = NULL;
	g_autofree gchar *path = g_build_filename(f->root, "a", "b", "c.txt", NULL);
	g_autofree gchar *staging = staging_of(f->storage);
	g_autofree gchar *top = NULL;
	g_autofree gchar *left = NULL;
	gchar record[256] = {0};

	g_assert_no_error(error);
	contents = read_file(f->root, "a/b/c.txt");
	g_assert_cmpstr(contents, ==, "hello");
	g_assert_cmpstr(hubd_storage_object_get_etag(object), ==, sha256);
	if (getxattr(path, HUBD_STORAGE_FILE_ETAG_XATTR, record, sizeof(record) - 1) < 0)
		g_test_message("no user xattrs here: %s", g_strerror(errno));
	else
		g_assert_true(g_str_has_prefix(record + 3, sha256));
	top = folder_names(f->root);
	g_assert_cmpstr(top, ==, ".hubd-storage a");
	left = folder_names(staging);
	g_assert_cmpstr(left, ==, "");
}

/* Files put in the folder by something else are objects too; a file changed
 * in place gets a new etag; what no key can name is not listed. */
static void
test_foreign_files(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *x = g_build_filename(f->root, "x", NULL);
	g_autofree gchar *xy = g_build_filename(f->root, "x", "y", NULL);
	g_autofree gchar *odd = g_build_filename(f->root, "odd\\name", NULL);
	g_autofree gchar *link = g_build_filename(f->root, "link", NULL);
	g_autofree gchar *inside =
		g_build_filename(f->root, HUBD_STORAGE_FILE_RESERVED, "junk", NULL);
	g_autofree gchar *abc = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "abc", -1);
	g_autofree gchar *abd = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "abd", -1);
	g_autoptr(HubdStorageObject) first = NULL;
	g_autoptr(HubdStorageObject) second = NULL;
	g_autoptr(HubdStorageObject) linked = NULL;
	g_autoptr(GPtrArray) objects = NULL;
	struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
	gint fd;

	g_assert_cmpint(g_mkdir_with_parents(x, 0755), ==, 0);
	g_file_set_contents(xy, "abc", -1, &error);
	g_assert_no_error(error);
	g_file_set_contents(odd, "odd", -1, &error);
	g_assert_no_error(error);
	g_file_set_contents(inside, "junk", -1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(symlink(xy, link), ==, 0);

	first = hubd_storage_conformance_head(f->storage, "x/y", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_storage_object_get_etag(first), ==, abc);
	g_assert_cmpuint(hubd_storage_object_get_size(first), ==, 3);

	/* changed in place, same size: the cached etag must not be believed
	 * (the mtime is set apart: two writes can share a clock tick) */
	fd = open(xy, O_WRONLY);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(pwrite(fd, "d", 1, 2), ==, 1);
	g_assert_cmpint(futimens(fd, times), ==, 0);
	g_close(fd, NULL);
	second = hubd_storage_conformance_head(f->storage, "x/y", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_storage_object_get_etag(second), ==, abd);

	objects = hubd_storage_conformance_list_all(f->storage, "", 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(objects->len, ==, 1);
	g_assert_cmpstr(hubd_storage_object_get_key(g_ptr_array_index(objects, 0)), ==, "x/y");
	linked = hubd_storage_conformance_head(f->storage, "link", &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
}

/* Deleting the last object of a folder removes the folder, up to the root. */
static void
test_delete_prunes(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) r = put_text(f->storage, "p/q/r", "r", &error);
	g_autoptr(HubdStorageObject) s = put_text(f->storage, "p/s", "s", &error);

	g_assert_no_error(error);
	g_assert_true(hubd_storage_conformance_delete(f->storage, "p/q/r", &error));
	g_assert_false(exists(f->root, "p/q"));
	g_assert_true(exists(f->root, "p/s"));
	g_assert_true(hubd_storage_conformance_delete(f->storage, "p/s", &error));
	g_assert_false(exists(f->root, "p"));
	g_assert_true(g_file_test(f->root, G_FILE_TEST_IS_DIR));
}

/* A folder cannot be an object too: "f" and "f/g" cannot both be stored. */
static void
test_conflict(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) file = put_text(f->storage, "f", "file", &error);
	g_autoptr(HubdStorageObject) below = NULL;
	g_autoptr(HubdStorageObject) folder = NULL;
	g_autoptr(HubdStorageObject) over = NULL;
	g_autofree gchar *staging = staging_of(f->storage);
	g_autofree gchar *left = NULL;
	g_autofree gchar *contents = NULL;

	g_assert_no_error(error);
	below = put_text(f->storage, "f/g", "below", &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CONFLICT);
	g_assert_nonnull(strstr(error->message, "f/g"));
	g_clear_error(&error);
	folder = put_text(f->storage, "d/e", "e", &error);
	g_assert_no_error(error);
	over = put_text(f->storage, "d", "over", &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CONFLICT);
	g_clear_error(&error);
	contents = read_file(f->root, "f");
	g_assert_cmpstr(contents, ==, "file");

	/* a folder holds names of 255 bytes at most: a clear refusal */
	{
		g_autofree gchar *segment = g_strnfill(300, 's');
		g_autoptr(HubdStorageObject) long_name = put_text(f->storage, segment, "x", &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_test_message("%s", error->message);
	}
	left = folder_names(staging);
	g_assert_cmpstr(left, ==, "");
}

/* The backend's own folder is no place for objects. */
static void
test_reserved(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) put = put_text(f->storage, ".hubd-storage/x", "x", &error);
	g_autoptr(HubdStorageObject) head = NULL;
	g_autoptr(HubdStorageObject) fine = NULL;

	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "reserved"));
	g_clear_error(&error);
	head = hubd_storage_conformance_head(f->storage, ".hubd-storage/staging", &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(hubd_storage_conformance_delete(f->storage, ".hubd-storage", &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_true(g_file_test(f->root, G_FILE_TEST_IS_DIR));
	fine = put_text(f->storage, ".hubd-storage-not/x", "x", &error);
	g_assert_no_error(error);
}

/* With a known length, only that many bytes are read. */
static void
test_reads_only_length(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(100, 7);
	g_autoptr(GBytes) first = g_bytes_new_from_bytes(bytes, 0, 60);
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
	g_autoptr(HubdStorageObject) object =
		hubd_storage_conformance_put_stream(f->storage, "cut", stream, 60, NULL, &error);
	g_autoptr(GBytes) got = NULL;

	g_assert_no_error(error);
	g_assert_cmpuint(hubd_storage_object_get_size(object), ==, 60);
	got = hubd_storage_conformance_get(f->storage, "cut", 0, -1, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(got, first));
}

static void
store_result_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(result);
}

/* A reader keeps the version it opened while a writer replaces it. */
static void
test_reader_keeps_version(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) old = hubd_storage_conformance_make_bytes(2 * 1024 * 1024, 8);
	g_autoptr(HubdStorageObject) put =
		hubd_storage_conformance_put(f->storage, "k", old, &error);
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(HubdStorageObject) replaced = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GBytes) head = NULL;
	g_autoptr(GBytes) rest = NULL;

	g_assert_no_error(error);
	hubd_storage_get_async(f->storage, "k", 0, -1, NULL, store_result_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	stream = hubd_storage_get_finish(f->storage, result, &object, &error);
	g_assert_no_error(error);
	head = g_input_stream_read_bytes(stream, 1000, NULL, &error);
	g_assert_no_error(error);
	replaced = put_text(f->storage, "k", "new", &error);
	g_assert_no_error(error);
	rest = g_input_stream_read_bytes(stream, 4 * 1024 * 1024, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(head) + g_bytes_get_size(rest),
			 ==,
			 g_bytes_get_size(old));
	g_assert_true(memcmp(g_bytes_get_data(rest, NULL),
			     (const guint8 *)g_bytes_get_data(old, NULL) + 1000,
			     g_bytes_get_size(rest)) == 0);
	g_assert_true(g_input_stream_close(stream, NULL, &error));
}

/* Multipart parts wait under .hubd-storage/uploads, gone after complete. */
static void
test_multipart_layout(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GAsyncResult) begun = NULL;
	g_autoptr(GAsyncResult) put = NULL;
	g_autoptr(GAsyncResult) done = NULL;
	g_autoptr(GBytes) bytes = g_bytes_new_static("part one", 8);
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
	g_autoptr(HubdStoragePart) part = NULL;
	g_autoptr(GPtrArray) parts =
		g_ptr_array_new_with_free_func((GDestroyNotify)hubd_storage_part_unref);
	g_autoptr(HubdStorageObject) object = NULL;
	g_autofree gchar *id = NULL;
	g_autofree gchar *uploads = g_build_filename(f->root, ".hubd-storage", "uploads", NULL);
	g_autofree gchar *listed = NULL;
	g_autofree gchar *in_upload = NULL;
	g_autofree gchar *after = NULL;
	g_autofree gchar *upload_folder = NULL;

	hubd_storage_multipart_begin_async(f->storage, "m/k", NULL, store_result_cb, &begun);
	while (begun == NULL)
		g_main_context_iteration(NULL, TRUE);
	id = hubd_storage_multipart_begin_finish(f->storage, begun, &error);
	g_assert_no_error(error);
	hubd_storage_multipart_put_part_async(f->storage,
					      "m/k",
					      id,
					      7,
					      stream,
					      8,
					      NULL,
					      store_result_cb,
					      &put);
	while (put == NULL)
		g_main_context_iteration(NULL, TRUE);
	part = hubd_storage_multipart_put_part_finish(f->storage, put, &error);
	g_assert_no_error(error);
	listed = folder_names(uploads);
	g_assert_cmpstr(listed, ==, id);
	upload_folder = g_build_filename(uploads, id, NULL);
	in_upload = folder_names(upload_folder);
	g_assert_cmpstr(in_upload, ==, "key part-00007");
	g_assert_false(exists(f->root, "m"));

	g_ptr_array_add(parts, hubd_storage_part_ref(part));
	hubd_storage_multipart_complete_async(f->storage,
					      "m/k",
					      id,
					      parts,
					      NULL,
					      store_result_cb,
					      &done);
	while (done == NULL)
		g_main_context_iteration(NULL, TRUE);
	object = hubd_storage_multipart_complete_finish(f->storage, done, &error);
	g_assert_no_error(error);
	after = folder_names(uploads);
	g_assert_cmpstr(after, ==, "");
	g_free(listed);
	listed = read_file(f->root, "m/k");
	g_assert_cmpstr(listed, ==, "part one");
}

/* Crash leftovers older than a day are removed when a backend starts. */
static void
test_stale_staging(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *staging = staging_of(f->storage);
	g_autofree gchar *old = g_build_filename(staging, "put-OLD123", NULL);
	g_autofree gchar *recent = g_build_filename(staging, "put-NEW123", NULL);
	g_autoptr(HubdStorage) again = NULL;
	g_autofree gchar *left = NULL;
	struct timespec two_days_ago[2];

	g_file_set_contents(old, "old", -1, &error);
	g_assert_no_error(error);
	g_file_set_contents(recent, "recent", -1, &error);
	g_assert_no_error(error);
	two_days_ago[0].tv_sec = two_days_ago[1].tv_sec = time(NULL) - 2 * 24 * 60 * 60;
	two_days_ago[0].tv_nsec = two_days_ago[1].tv_nsec = 0;
	g_assert_cmpint(utimensat(AT_FDCWD, old, two_days_ago, 0), ==, 0);

	again = file_storage_new(f->root, NULL, &error);
	g_assert_no_error(error);
	left = folder_names(staging);
	/* a recent one may be another process's put in flight */
	g_assert_cmpstr(left, ==, "put-NEW123");
	g_assert_cmpint(g_unlink(recent), ==, 0);
}

/* ---- construction ---- */

static void
assert_new_fails(const gchar *name, const gchar *url, GVariant *options, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorage) storage = hubd_storage_new(name, url, options, NULL, &error);

	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_null(storage);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, needle));
}

static GVariant *
one_option(const gchar *key, GVariant *value)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);

	g_variant_builder_add(&builder, "{sv}", key, value);
	return g_variant_builder_end(&builder);
}

static void
test_new(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *url = g_filename_to_uri(f->root, NULL, NULL);
	g_autofree gchar *slashed = g_strconcat(url, "/", NULL);
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(HubdStorage) quick = NULL;
	g_autofree gchar *name = NULL;
	g_autofree gchar *got_url = NULL;
	GIOExtensionPoint *ep = g_io_extension_point_lookup(HUBD_STORAGE_EXTENSION_POINT);
	GIOExtension *ext = g_io_extension_point_get_extension_by_name(ep, "file");

	/* found on the extension point by scheme */
	g_assert_nonnull(ext);
	g_assert_true(g_io_extension_get_type(ext) == HUBD_TYPE_STORAGE_FILE);
	g_assert_true(g_io_extension_point_get_required_type(ep) == HUBD_TYPE_STORAGE);

	storage = hubd_storage_new("mirror", slashed, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(HUBD_IS_STORAGE_FILE(storage));
	g_assert_cmpstr(hubd_storage_file_get_root(HUBD_STORAGE_FILE(storage)), ==, f->root);
	name = hubd_storage_dup_name(storage);
	g_assert_cmpstr(name, ==, "mirror");
	got_url = hubd_storage_dup_url(storage);
	g_assert_cmpstr(got_url, ==, slashed);
	quick = hubd_storage_new("quick",
				 url,
				 one_option("fsync", g_variant_new_string("false")),
				 NULL,
				 &error);
	g_assert_no_error(error);

	assert_new_fails("mirror", "ftp://host/x", NULL, "ftp://");
	assert_new_fails("mirror", "ftp://host/x", NULL, "mirror");
	assert_new_fails("mirror", "", NULL, "no URL");
	assert_new_fails("mirror", "/just/a/path", NULL, "not a URL");
	assert_new_fails("mirror", "file://elsewhere/srv/x", NULL, "another host");
	assert_new_fails("bad name", url, NULL, "bad name");
	assert_new_fails("mirror",
			 url,
			 one_option("fsycn", g_variant_new_string("false")),
			 "fsycn");
	assert_new_fails("mirror",
			 url,
			 one_option("fsync", g_variant_new_string("maybe")),
			 "fsync");
	assert_new_fails("mirror",
			 "file:///proc/hubd-cannot-be-here",
			 NULL,
			 "/proc/hubd-cannot-be-here");
}

/* [storage.NAME] in the file, and --set storage.NAME.url=… on the command
 * line (the group holds a dot: the key is after the last one). */
static void
test_config(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *conf_path = g_build_filename(f->dir, "hubd.conf", NULL);
	g_autofree gchar *other_root = g_build_filename(f->dir, "other", NULL);
	g_autofree gchar *url = g_filename_to_uri(f->root, NULL, NULL);
	g_autofree gchar *other_url = g_filename_to_uri(other_root, NULL, NULL);
	g_autofree gchar *conf = g_strdup_printf("[storage.fromfile]\nurl=%s\nfsync=false\n", url);
	g_autofree gchar *set_url = g_strdup_printf("storage.fromfile.url=%s", other_url);
	g_autofree gchar *set_new = g_strdup_printf("storage.cli.url=%s", url);
	g_autoptr(HubdConfig) config = NULL;
	g_autoptr(HubdStorage) from_file = NULL;
	g_autoptr(HubdStorage) from_cli = NULL;
	g_autoptr(HubdStorage) missing = NULL;
	g_autoptr(HubdStorage) typo = NULL;
	g_autofree gchar *value = NULL;
	g_auto(GStrv) keys = NULL;
	g_autofree gchar *joined = NULL;

	g_file_set_contents(conf_path, conf, -1, &error);
	g_assert_no_error(error);
	config = hubd_config_new(conf_path, &error);
	g_assert_no_error(error);

	/* the split: group "storage.cli", key "url" */
	g_assert_true(hubd_config_set_override(config, set_new, &error));
	g_assert_no_error(error);
	value = hubd_config_get_string(config, "storage.cli", "url", NULL);
	g_assert_cmpstr(value, ==, url);
	from_cli = hubd_storage_new_from_config(config, "cli", NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_storage_file_get_root(HUBD_STORAGE_FILE(from_cli)), ==, f->root);

	/* the command line wins over the file; other keys are options */
	g_assert_true(hubd_config_set_override(config, set_url, &error));
	g_assert_no_error(error);
	keys = hubd_config_get_keys(config, "storage.fromfile");
	joined = g_strjoinv(",", keys);
	g_assert_cmpstr(joined, ==, "fsync,url");
	from_file = hubd_storage_new_from_config(config, "fromfile", NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_storage_file_get_root(HUBD_STORAGE_FILE(from_file)), ==, other_root);

	missing = hubd_storage_new_from_config(config, "nothere", NULL, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "[storage.nothere]"));
	g_clear_error(&error);

	/* an unknown key in the group is refused, named */
	g_assert_true(hubd_config_set_override(config, "storage.cli.colour=blue", &error));
	typo = hubd_storage_new_from_config(config, "cli", NULL, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "colour"));
	g_clear_error(&error);

	/* what is no GROUP.KEY=VALUE stays refused */
	g_assert_false(hubd_config_set_override(config, "nodot=1", &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(hubd_config_set_override(config, ".key=1", &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(hubd_config_set_override(config, "storage.x.=1", &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(hubd_config_set_override(config, "group=a.b", &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	/* and the old two-part form still works, with dots in the value */
	g_assert_true(hubd_config_set_override(config, "hub.endpoint=http://127.0.0.1:1", &error));
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_config_get_endpoint(config), ==, "http://127.0.0.1:1");
}

/* The key rules themselves, on their own. */
static void
test_key_rules(void)
{
	const gchar *good[] = {"a", "a/b", ".gitattributes", "a/.b", "a..b", "...", "a b/ü"};
	const gchar *bad[] = {"", "/a", "a/", "a//b", ".", "..", "a/./b", "a/..", "a\\b", "a\tb"};
	const gchar *good_prefixes[] = {"", "a/", "a/b", "a/.", "a/.."};
	const gchar *bad_prefixes[] = {"/", "a//", "./", "../x", "a\\"};
	g_autoptr(GError) error = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(good); i++)
		g_assert_true(hubd_storage_key_validate(good[i], NULL));
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_false(hubd_storage_key_validate(bad[i], NULL));
	g_assert_false(hubd_storage_key_validate(NULL, NULL));
	for (guint i = 0; i < G_N_ELEMENTS(good_prefixes); i++)
		g_assert_true(hubd_storage_prefix_validate(good_prefixes[i], NULL));
	g_assert_true(hubd_storage_prefix_validate(NULL, NULL));
	for (guint i = 0; i < G_N_ELEMENTS(bad_prefixes); i++)
		g_assert_false(hubd_storage_prefix_validate(bad_prefixes[i], NULL));

	/* the message shows the key and says what is wrong with it */
	g_assert_false(hubd_storage_key_validate("models/../etc", &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message,
			==,
			"“models/../etc” is not a valid storage key: it has “.” or “..” as a "
			"path segment");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* as the daemon does at start (hubd_daemon_ensure_builtins) */
	g_type_ensure(HUBD_TYPE_STORAGE_FILE);

	hubd_storage_conformance_add_tests("/storage/file/conformance", &conformance);
	g_test_add_func("/storage/file/key-rules", test_key_rules);
	g_test_add("/storage/file/layout",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_layout,
		   fixture_teardown);
	g_test_add("/storage/file/foreign-files",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_foreign_files,
		   fixture_teardown);
	g_test_add("/storage/file/delete-prunes",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_delete_prunes,
		   fixture_teardown);
	g_test_add("/storage/file/conflict",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_conflict,
		   fixture_teardown);
	g_test_add("/storage/file/reserved",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_reserved,
		   fixture_teardown);
	g_test_add("/storage/file/reads-only-length",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_reads_only_length,
		   fixture_teardown);
	g_test_add("/storage/file/reader-keeps-version",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_reader_keeps_version,
		   fixture_teardown);
	g_test_add("/storage/file/multipart-layout",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_multipart_layout,
		   fixture_teardown);
	g_test_add("/storage/file/stale-staging",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_stale_staging,
		   fixture_teardown);
	g_test_add("/storage/file/new", Fixture, NULL, fixture_setup, test_new, fixture_teardown);
	g_test_add("/storage/file/config",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_config,
		   fixture_teardown);
	return g_test_run();
}
