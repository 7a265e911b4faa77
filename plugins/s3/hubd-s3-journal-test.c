/* hubd-s3-journal-test.c: which multipart uploads a backend's first use
 * aborts (docs/s3.md, "Uploads a crash leaves behind"): those of a process
 * that is gone, never those this process still has in flight, even when a
 * backend of the same name is made again; a journal entry with this pid but
 * another start time is an earlier process's. Against s3rver. */
#define G_LOG_DOMAIN "HubdS3Test"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "hubd-error.h"
#include "hubd-s3-test-server.h"
#include "hubd-storage-conformance.h"
#include "hubd-test-common.h"

static HubdTestS3Server *server;

static HubdStorage *
backend_new(const gchar *name)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autofree gchar *url = g_strdup_printf("s3://" HUBD_TEST_S3_BUCKET "/journal-%s", name);
	g_autoptr(GError) error = NULL;
	HubdStorage *storage;

	g_variant_builder_add(&builder, "{sv}", "credentials", g_variant_new_string("env"));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "endpoint",
			      g_variant_new_string(hubd_test_s3_server_get_endpoint(server)));
	storage = hubd_storage_new(name, url, g_variant_builder_end(&builder), NULL, &error);
	g_assert_no_error(error);
	return storage;
}

static void
store_result_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(res);
}

static GAsyncResult *
wait_result(GAsyncResult **result)
{
	while (*result == NULL)
		g_main_context_iteration(NULL, TRUE);
	return *result;
}

static gchar *
begin(HubdStorage *storage, const gchar *key)
{
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GError) error = NULL;
	gchar *id;

	hubd_storage_multipart_begin_async(storage, key, NULL, store_result_cb, &result);
	id = hubd_storage_multipart_begin_finish(storage, wait_result(&result), &error);
	g_assert_no_error(error);
	return id;
}

static HubdStoragePart *
put_part(HubdStorage *storage, const gchar *key, const gchar *id, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(64 * 1024, 7);
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);

	hubd_storage_multipart_put_part_async(storage,
					      key,
					      id,
					      1,
					      stream,
					      (gint64)g_bytes_get_size(bytes),
					      NULL,
					      store_result_cb,
					      &result);
	return hubd_storage_multipart_put_part_finish(storage, wait_result(&result), error);
}

static void
abort_upload(HubdStorage *storage, const gchar *key, const gchar *id)
{
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GError) error = NULL;

	hubd_storage_multipart_abort_async(storage, key, id, NULL, store_result_cb, &result);
	g_assert_true(hubd_storage_multipart_abort_finish(storage, wait_result(&result), &error));
	g_assert_no_error(error);
}

/* the first request of a backend loads its credentials, then reads its journal */
static void
first_use(HubdStorage *storage)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) none = hubd_storage_conformance_head(storage, "none", &error);

	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
}

static gchar *
journal_file(const gchar *name, const gchar *id)
{
	g_autofree gchar *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, id, -1);

	return g_build_filename(g_get_user_state_dir(), "hubd", "s3-uploads", name, hash, NULL);
}

static gboolean
file_exists(gpointer path)
{
	return g_file_test(path, G_FILE_TEST_EXISTS);
}

static gboolean
file_gone(gpointer path)
{
	return !file_exists(path);
}

/* lets a journal's reading and the aborts it sends run */
static void
run_for(guint ms)
{
	gint64 until = g_get_monotonic_time() + ms * 1000;

	while (g_get_monotonic_time() < until) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

static void
test_same_name_again(void)
{
	g_autoptr(HubdStorage) first = backend_new("twin");
	g_autoptr(HubdStorage) again = NULL;
	g_autofree gchar *id = begin(first, "k");
	g_autofree gchar *journal = journal_file("twin", id);
	g_autoptr(HubdStoragePart) part = NULL;
	g_autoptr(GError) error = NULL;
	guint aborts = hubd_test_s3_server_count(server, "abort ");

	g_assert_true(hubd_test_wait_for(file_exists, journal, 10000));
	/* a backend of the same name, made again in this process */
	again = backend_new("twin");
	first_use(again);
	run_for(500);
	g_assert_cmpuint(hubd_test_s3_server_count(server, "abort "), ==, aborts);
	g_assert_true(g_file_test(journal, G_FILE_TEST_EXISTS));
	part = put_part(first, "k", id, &error);
	g_assert_no_error(error);
	abort_upload(first, "k", id);
	g_assert_true(hubd_test_wait_for(file_gone, journal, 10000));
}

static void
test_earlier_process_same_pid(void)
{
	g_autoptr(HubdStorage) first = backend_new("reused");
	g_autoptr(HubdStorage) next = NULL;
	g_autofree gchar *id = begin(first, "k");
	g_autofree gchar *journal = journal_file("reused", id);
	g_autofree gchar *entry = NULL;
	g_autofree gchar *aborted = NULL;
	g_autoptr(HubdStoragePart) part = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(hubd_test_wait_for(file_exists, journal, 10000));
	/* as an earlier hubd with this pid would have left it: start time 1 */
	entry = g_strdup_printf("%s\nk\n%d\n1\n", id, (int)getpid());
	g_assert_true(g_file_set_contents(journal, entry, -1, NULL));
	next = backend_new("reused");
	first_use(next);
	aborted = g_strdup_printf("abort %s", id);
	while (hubd_test_s3_server_count(server, aborted) == 0)
		run_for(20);
	g_assert_true(hubd_test_wait_for(file_gone, journal, 10000));
	part = put_part(first, "k", id, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
}

/* What a kill between a journal write and its rename leaves: the write's
 * file, named after the process writing it. An earlier process's whole one
 * becomes its entry (its upload is aborted, the file goes); one cut short
 * names no upload and goes; one of a process still alive (this one) stays,
 * its rename still to come. */
static void
test_unfinished_writes(void)
{
	g_autoptr(HubdStorage) first = backend_new("cut");
	g_autoptr(HubdStorage) next = NULL;
	g_autofree gchar *id = begin(first, "k");
	g_autofree gchar *journal = journal_file("cut", id);
	/* this pid with start time 1: an earlier process that had it */
	g_autofree gchar *dead_whole = g_strdup_printf("%s.%d-1.tmp", journal, (int)getpid());
	g_autofree gchar *other = journal_file("cut", "other");
	g_autofree gchar *dead_cut = g_strdup_printf("%s.%d-1.tmp", other, (int)getpid());
	g_autofree gchar *mine = journal_file("cut", "mine");
	g_autofree gchar *alive_name = NULL;
	g_autofree gchar *entry = NULL;
	g_autofree gchar *aborted = g_strdup_printf("abort %s", id);
	g_autofree gchar *stat = NULL;
	g_auto(GStrv) fields = NULL;

	g_assert_true(hubd_test_wait_for(file_exists, journal, 10000));
	/* the entry as that earlier process left it, mid-write */
	g_assert_true(g_rename(journal, dead_whole) == 0);
	entry = g_strdup_printf("%s\nk\n%d\n1\n", id, (int)getpid());
	g_assert_true(g_file_set_contents(dead_whole, entry, -1, NULL));
	g_assert_true(g_file_set_contents(dead_cut, "upload-id-cut-sh", -1, NULL));
	/* this process's own start time: a write of a live hubd */
	g_assert_true(g_file_get_contents("/proc/self/stat", &stat, NULL, NULL));
	fields = g_strsplit(strrchr(stat, ')') + 2, " ", 0);
	alive_name = g_strdup_printf("%s.%d-%s.tmp", mine, (int)getpid(), fields[19]);
	g_assert_true(g_file_set_contents(alive_name, "half", -1, NULL));

	next = backend_new("cut");
	first_use(next);
	while (hubd_test_s3_server_count(server, aborted) == 0)
		run_for(20);
	g_assert_true(hubd_test_wait_for(file_gone, journal, 10000));
	g_assert_false(g_file_test(dead_whole, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(dead_cut, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(alive_name, G_FILE_TEST_EXISTS));
	g_unlink(alive_name);
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	hubd_test_s3_load_plugin();
	server = hubd_test_s3_server_start();
	g_test_add_func("/s3/journal/same-name-again", test_same_name_again);
	g_test_add_func("/s3/journal/earlier-process-same-pid", test_earlier_process_same_pid);
	g_test_add_func("/s3/journal/unfinished-writes", test_unfinished_writes);
	ret = g_test_run();
	hubd_test_s3_server_free(server);
	return ret;
}
