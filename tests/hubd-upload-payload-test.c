/* hubd-upload-payload-test.c: the pieces of an upload that need no Hub — the
 * streamed NDJSON commit body (byte for byte what a buffered encoder gives,
 * across base64 chunk edges), file-range and storage-object streams, and the
 * folder patterns */
#define G_LOG_DOMAIN "HubdUploadTest"

#include <glib/gstdio.h>

#include "hubd-commit.h"
#include "hubd-error.h"
#include "hubd-storage-file.h"
#include "hubd-test-common.h"
#include "hubd-upload-stream.h"
#include "hubd-upload.h"

static gchar *
write_tmp(const gchar *dir, const gchar *name, const guint8 *data, gsize len)
{
	gchar *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_file_set_contents(path, (const gchar *)data, (gssize)len, &error);
	g_assert_no_error(error);
	return path;
}

static GBytes *
read_all(GInputStream *in)
{
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();
	g_autoptr(GError) error = NULL;

	g_output_stream_splice(out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
	g_assert_no_error(error);
	return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(out));
}

static void
test_payload_lines(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hubd-payload-XXXXXX", NULL);
	/* sizes around the 48 KiB base64 chunk and its padding */
	const gsize sizes[] = {0, 1, 2, 3, 4, 49151, 49152, 49153, 200000};
	g_autoptr(GString) expected = g_string_new(NULL);
	g_autoptr(HubdCommitPayload) payload =
		hubd_commit_payload_new("Add \"files\"", NULL, "abcdef0");
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GError) error = NULL;
	gsize total = 0;

	g_string_append(expected,
			"{\"key\":\"header\",\"value\":{\"summary\":\"Add \\\"files\\\"\","
			"\"description\":\"\",\"parentCommit\":\"abcdef0\"}}\n");
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		g_autofree guint8 *data = g_malloc(sizes[i] + 1);
		g_autofree gchar *name = g_strdup_printf("f%u", i);
		g_autofree gchar *path = NULL;
		g_autofree gchar *b64 = NULL;

		for (gsize j = 0; j < sizes[i]; j++)
			data[j] = (guint8)g_random_int();
		path = write_tmp(dir, name, data, sizes[i]);
		hubd_commit_payload_add_file(payload, name, path, sizes[i], NULL);
		b64 = g_base64_encode(data, sizes[i]);
		g_string_append_printf(
			expected,
			"{\"key\":\"file\",\"value\":{\"path\":\"%s\",\"content\":\"%s\","
			"\"encoding\":\"base64\"}}\n",
			name,
			b64);
	}
	hubd_commit_payload_add_lfs(payload, "w/model.bin", "ab", 12);
	g_string_append(
		expected,
		"{\"key\":\"lfsFile\",\"value\":{\"path\":\"w/model.bin\",\"algo\":\"sha256\","
		"\"oid\":\"ab\",\"size\":12}}\n");
	hubd_commit_payload_add_delete(payload, "old.txt", FALSE);
	hubd_commit_payload_add_delete(payload, "logs", TRUE);
	g_string_append(expected,
			"{\"key\":\"deletedFile\",\"value\":{\"path\":\"old.txt\"}}\n"
			"{\"key\":\"deletedFolder\",\"value\":{\"path\":\"logs/\"}}\n");
	g_assert_cmpuint(hubd_commit_payload_get_n_operations(payload),
			 ==,
			 G_N_ELEMENTS(sizes) + 3);
	body = hubd_commit_payload_to_bytes(payload, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(body, &total), total, expected->str, expected->len);
	hubd_test_rm_rf(dir);
}

static void
test_stream_ranges(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hubd-payload-XXXXXX", NULL);
	const gsize size = 3 * 1024 * 1024 + 7; /* crosses the read-ahead buffer */
	g_autofree guint8 *data = g_malloc(size);
	g_autofree gchar *path = NULL;
	gint64 counter = 0;
	g_autoptr(HubdUploadStream) stream = hubd_upload_stream_new(&counter);
	g_autoptr(GBytes) got = NULL;
	g_autoptr(GBytes) prefix = g_bytes_new_static("<", 1);
	gsize len = 0;
	const guint8 *p;

	for (gsize i = 0; i < size; i++)
		data[i] = (guint8)(i * 31 + 7);
	path = write_tmp(dir, "big", data, size);
	hubd_upload_stream_add_bytes(stream, prefix);
	hubd_upload_stream_add_file_range(stream, path, 1000, 2 * 1024 * 1024, NULL);
	hubd_upload_stream_add_string(stream, ">");
	g_assert_cmpuint(hubd_upload_stream_get_length(stream), ==, 2 * 1024 * 1024 + 2);
	got = read_all(G_INPUT_STREAM(stream));
	p = g_bytes_get_data(got, &len);
	g_assert_cmpuint(len, ==, 2 * 1024 * 1024 + 2);
	g_assert_cmpint(p[0], ==, '<');
	g_assert_cmpmem(p + 1, len - 2, data + 1000, 2 * 1024 * 1024);
	g_assert_cmpint(p[len - 1], ==, '>');
	g_assert_cmpint(counter, ==, 2 * 1024 * 1024);
	hubd_test_rm_rf(dir);
}

static void
on_async_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(result);
}

static GAsyncResult *
wait_result(GAsyncResult **slot)
{
	while (*slot == NULL)
		g_main_context_iteration(NULL, TRUE);
	return *slot;
}

static HubdStorage *
storage_with_object(const gchar *dir, const gchar *key, const guint8 *data, gsize len)
{
	g_autofree gchar *url = g_filename_to_uri(dir, NULL, NULL);
	g_autoptr(GError) error = NULL;
	HubdStorage *storage = hubd_storage_new("bucket", url, NULL, NULL, &error);
	g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data(data, (gssize)len, NULL);
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(HubdStorageObject) object = NULL;

	g_assert_no_error(error);
	hubd_storage_put_async(storage, key, in, (gint64)len, NULL, on_async_done, &result);
	object = hubd_storage_put_finish(storage, wait_result(&result), &error);
	g_assert_no_error(error);
	return storage;
}

/* A storage object as a piece of an upload body: its range and its base64
 * read through the backend, byte for byte, both when the stream is read on
 * the storage's thread and from a worker thread while its loop runs (the
 * daemon's case: libsoup reads request bodies with read_async). */
static void
test_stream_storage_object(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hubd-payload-XXXXXX", NULL);
	const gsize size = 3 * 1024 * 1024 + 7;
	g_autofree guint8 *data = g_malloc(size);
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(HubdUploadSource) source = NULL;
	g_autoptr(HubdUploadStream) sync_stream = NULL;
	g_autoptr(HubdUploadStream) async_stream = NULL;
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GBytes) got = NULL;
	g_autoptr(GBytes) got_async = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *b64 = NULL;
	gint64 counter = 0;
	gsize len = 0;
	const guint8 *p;

	for (gsize i = 0; i < size; i++)
		data[i] = (guint8)(i * 131 + 3);
	storage = storage_with_object(dir, "in/weights.bin", data, size);
	source = hubd_upload_source_new_storage(storage, "in/weights.bin");
	g_assert_cmpstr(hubd_upload_source_describe(source), ==, "bucket/in/weights.bin");

	sync_stream = hubd_upload_stream_new(&counter);
	hubd_upload_stream_add_string(sync_stream, "<");
	hubd_upload_stream_add_source_range(sync_stream, source, 1000, 2 * 1024 * 1024, NULL);
	hubd_upload_stream_add_string(sync_stream, ">");
	got = read_all(G_INPUT_STREAM(sync_stream));
	p = g_bytes_get_data(got, &len);
	g_assert_cmpuint(len, ==, 2 * 1024 * 1024 + 2);
	g_assert_cmpint(p[0], ==, '<');
	g_assert_cmpmem(p + 1, len - 2, data + 1000, 2 * 1024 * 1024);
	g_assert_cmpint(p[len - 1], ==, '>');
	g_assert_cmpint(counter, ==, 2 * 1024 * 1024);

	async_stream = hubd_upload_stream_new(NULL);
	hubd_upload_stream_add_source_base64(async_stream, source, size, NULL);
	g_output_stream_splice_async(out,
				     G_INPUT_STREAM(async_stream),
				     G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
				     G_PRIORITY_DEFAULT,
				     NULL,
				     on_async_done,
				     &result);
	g_assert_cmpint(g_output_stream_splice_finish(out, wait_result(&result), &error),
			==,
			(gssize)HUBD_BASE64_LEN(size));
	g_assert_no_error(error);
	got_async = g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(out));
	b64 = g_base64_encode(data, size);
	p = g_bytes_get_data(got_async, &len);
	g_assert_cmpmem(p, len, b64, strlen(b64));
	hubd_test_rm_rf(dir);
}

/* Hashing a storage object on a streamed read gives what hashing the same
 * bytes in a local file gives; a size that is not the object's is an error,
 * not a hash of something else. */
static void
test_hash_storage_object(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hubd-payload-XXXXXX", NULL);
	const gsize size = 5 * 1024 * 1024 + 11; /* more than one hash chunk */
	g_autofree guint8 *data = g_malloc(size);
	g_autofree gchar *path = NULL;
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(HubdUploadSource) source = NULL;
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GAsyncResult) wrong_result = NULL;
	g_autoptr(GError) error = NULL;
	HubdFileHash local;
	HubdFileHash streamed;
	const HubdHashFlags flags = HUBD_HASH_SHA256 | HUBD_HASH_GIT_SHA1;

	for (gsize i = 0; i < size; i++)
		data[i] = (guint8)g_random_int();
	path = write_tmp(dir, "local.bin", data, size);
	g_assert_true(hubd_hash_file(path, flags, NULL, NULL, NULL, &local, &error));
	g_assert_no_error(error);
	storage = storage_with_object(dir, "blobs/a.bin", data, size);
	source = hubd_upload_source_new_storage(storage, "blobs/a.bin");
	hubd_upload_source_hash_async(source,
				      size,
				      flags,
				      NULL,
				      NULL,
				      NULL,
				      on_async_done,
				      &result);
	g_assert_true(hubd_upload_source_hash_finish(wait_result(&result), &streamed, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(streamed.size, ==, size);
	g_assert_cmpstr(streamed.sha256, ==, local.sha256);
	g_assert_cmpstr(streamed.git_sha1, ==, local.git_sha1);
	g_assert_cmpmem(streamed.sample, streamed.sample_len, local.sample, local.sample_len);

	hubd_upload_source_hash_async(source,
				      size + 1,
				      flags,
				      NULL,
				      NULL,
				      NULL,
				      on_async_done,
				      &wrong_result);
	g_assert_false(
		hubd_upload_source_hash_finish(wait_result(&wrong_result), &streamed, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "blobs/a.bin"));
	hubd_test_rm_rf(dir);
}

/* A key that is not there: the backend's NotFound reaches the reader. */
static void
test_stream_storage_missing(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hubd-payload-XXXXXX", NULL);
	g_autoptr(HubdStorage) storage = storage_with_object(dir, "a", (const guint8 *)"x", 1);
	g_autoptr(HubdUploadSource) source = hubd_upload_source_new_storage(storage, "gone.bin");
	g_autoptr(HubdUploadStream) stream = hubd_upload_stream_new(NULL);
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();
	g_autoptr(GError) error = NULL;

	hubd_upload_stream_add_source_range(stream, source, 0, 10, NULL);
	g_assert_cmpint(g_output_stream_splice(out, G_INPUT_STREAM(stream), 0, NULL, &error), <, 0);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "gone.bin"));
	hubd_test_rm_rf(dir);
}

static void
test_stream_file_shrank(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hubd-payload-XXXXXX", NULL);
	g_autofree gchar *path = write_tmp(dir, "small", (const guint8 *)"abc", 3);
	g_autoptr(HubdUploadStream) stream = hubd_upload_stream_new(NULL);
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();
	g_autoptr(GError) error = NULL;

	/* the file is shorter than announced: an error, not a short body */
	hubd_upload_stream_add_file_range(stream, path, 0, 10, NULL);
	g_assert_cmpint(g_output_stream_splice(out, G_INPUT_STREAM(stream), 0, NULL, &error), <, 0);
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, "changed"));
	hubd_test_rm_rf(dir);
}

/* A file's progress: counted as its bytes are read into the body, active
 * while they are, and taken back whole by a retry (hubd_upload_stream_uncount) */
static void
test_stream_file_progress(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hubd-payload-XXXXXX", NULL);
	const gsize size = 3 * 1024 * 1024; /* more than the read-ahead buffer */
	g_autofree guint8 *data = g_malloc0(size);
	g_autofree gchar *path = write_tmp(dir, "f", data, size);
	g_autoptr(HubdFileProgress) progress = hubd_file_progress_new();
	g_autoptr(HubdFileProgress) other = hubd_file_progress_new();
	gint64 counter = 0;
	g_autoptr(HubdUploadStream) stream = hubd_upload_stream_new(&counter);
	g_autoptr(GBytes) rest = NULL;
	g_autoptr(GError) error = NULL;
	guint8 buf[16];

	hubd_upload_stream_add_string(stream, "{");
	hubd_upload_stream_add_file_base64(stream, path, size, progress);
	hubd_upload_stream_add_file_range(stream, path, 0, 10, other);
	g_assert_cmpint(progress->active, ==, 0);
	g_assert_cmpint(g_input_stream_read(G_INPUT_STREAM(stream), buf, 16, NULL, &error), ==, 16);
	g_assert_no_error(error);
	/* part of the file is read: active, counted like the total */
	g_assert_cmpint(progress->active, ==, 1);
	g_assert_cmpint(progress->bytes, >, 0);
	g_assert_cmpint(progress->bytes, <, (gint64)size);
	g_assert_cmpint(progress->bytes, ==, counter);
	g_assert_cmpint(other->active, ==, 0);
	rest = read_all(G_INPUT_STREAM(stream));
	g_assert_cmpint(progress->bytes, ==, (gint64)size);
	g_assert_cmpint(progress->active, ==, 0);
	g_assert_cmpint(other->bytes, ==, 10);
	g_assert_cmpint(other->active, ==, 0);
	g_assert_cmpint(counter, ==, (gint64)size + 10);
	/* a retry starts again from zero */
	hubd_upload_stream_uncount(stream);
	g_assert_cmpint(progress->bytes, ==, 0);
	g_assert_cmpint(other->bytes, ==, 0);
	g_assert_cmpint(counter, ==, 0);
	hubd_test_rm_rf(dir);
}

/* A stream dropped in the middle of a file (a failed try) ends its activity. */
static void
test_stream_progress_dropped(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hubd-payload-XXXXXX", NULL);
	const gsize size = 2 * 1024 * 1024;
	g_autofree guint8 *data = g_malloc0(size);
	g_autofree gchar *path = write_tmp(dir, "f", data, size);
	g_autoptr(HubdFileProgress) progress = hubd_file_progress_new();
	HubdUploadStream *stream = hubd_upload_stream_new(NULL);
	guint8 buf[16];

	hubd_upload_stream_add_file_range(stream, path, 0, size, progress);
	g_assert_cmpint(g_input_stream_read(G_INPUT_STREAM(stream), buf, 16, NULL, NULL), ==, 16);
	g_assert_cmpint(progress->active, ==, 1);
	g_object_unref(stream);
	g_assert_cmpint(progress->active, ==, 0);
	hubd_test_rm_rf(dir);
}

static void
test_patterns(void)
{
	const gchar *txt[] = {"*.txt", NULL};
	const gchar *dir[] = {"sub/", NULL};
	const gchar *none[] = {NULL};

	/* fnmatch without FNM_PATHNAME: '*' crosses '/' */
	g_assert_true(hubd_upload_path_is_wanted("a/b/c.txt", txt, NULL));
	g_assert_false(hubd_upload_path_is_wanted("a/b/c.md", txt, NULL));
	g_assert_true(hubd_upload_path_is_wanted("anything", NULL, NULL));
	g_assert_true(hubd_upload_path_is_wanted("anything", none, none));
	/* a trailing '/' is the whole folder */
	g_assert_false(hubd_upload_path_is_wanted("sub/x/y.txt", txt, dir));
	g_assert_true(hubd_upload_path_is_wanted("other/sub/y.txt", txt, dir));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* as the daemon does at start (hubd_daemon_ensure_builtins) */
	g_type_ensure(HUBD_TYPE_STORAGE_FILE);
	g_test_add_func("/upload-payload/ndjson-lines", test_payload_lines);
	g_test_add_func("/upload-payload/stream-ranges", test_stream_ranges);
	g_test_add_func("/upload-payload/stream-file-shrank", test_stream_file_shrank);
	g_test_add_func("/upload-payload/stream-storage-object", test_stream_storage_object);
	g_test_add_func("/upload-payload/stream-storage-missing", test_stream_storage_missing);
	g_test_add_func("/upload-payload/hash-storage-object", test_hash_storage_object);
	g_test_add_func("/upload-payload/stream-file-progress", test_stream_file_progress);
	g_test_add_func("/upload-payload/stream-progress-dropped", test_stream_progress_dropped);
	g_test_add_func("/upload-payload/patterns", test_patterns);
	return g_test_run();
}
