/* hubd-s3-get-fault-test.c: the S3 backend's gets against answers cut short, through the
 * proxy of hubd-s3-test-proxy.c: a body cut by a close or a reset is asked for again from
 * its first missing byte (whole object, range, a sync reader in a worker thread); cut on
 * every answer it is an error, never a short object; another ETag at the resume is a
 * conflict, not a mix of two objects */
#define G_LOG_DOMAIN "HubdS3GetFaultTest"

#include <string.h>

#include "hubd-s3-test-proxy.h"
#include "hubd-storage-conformance.h"

/* Puts 300,000 bytes as c.bin under `prefix` straight into s3rver; returns
 * them, and a backend reading them through the proxy with `retries`. */
static GBytes *
put_for_get(const gchar *prefix, const gchar *retries, HubdStorage **through)
{
	g_autoptr(HubdStorage) source = hubd_test_s3_direct(prefix);
	GBytes *bytes = hubd_storage_conformance_make_bytes(300000, 10);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object =
		hubd_storage_conformance_put(source, "c.bin", bytes, &error);

	g_assert_no_error(error);
	*through = hubd_test_s3_proxied(prefix, retries);
	return bytes;
}

/* A GET of [offset, offset + length) (length -1: to the end) cut after half
 * its body, by a close or a reset: the rest is asked for with a range from
 * the first missing byte, and the reader gets every byte. */
static void
get_resumed(const gchar *prefix, FaultMode mode, guint64 offset, gint64 length)
{
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GBytes) bytes = put_for_get(prefix, "1", &storage);
	g_autoptr(GBytes) want = g_bytes_new_from_bytes(
		bytes,
		offset,
		length >= 0 ? (gsize)length : g_bytes_get_size(bytes) - offset);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;

	hubd_test_s3_set_fault(mode, 1);
	back = hubd_storage_conformance_get(storage, "c.bin", offset, length, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, want));
	g_assert_cmpint(hubd_test_s3_faults_made(), ==, 1);
	hubd_test_s3_set_fault(FAULT_NONE, 0);
}

static void
test_get_cut_resumed(void)
{
	get_resumed("cut", FAULT_TRUNCATE_GET, 0, -1);
}

static void
test_get_range_cut_resumed(void)
{
	get_resumed("cut-range", FAULT_TRUNCATE_GET, 1000, 200000);
}

static void
test_get_reset_resumed(void)
{
	get_resumed("reset-get", FAULT_RESET_GET, 0, -1);
}

/* Every answer cut: after its one resume, the reader gets an error, never a
 * short object that looks whole. */
static void
test_get_cut_gives_up(void)
{
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GBytes) bytes = put_for_get("cut-always", "1", &storage);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) cut = NULL;

	hubd_test_s3_set_fault(FAULT_TRUNCATE_GET, -1);
	cut = hubd_storage_conformance_get(storage, "c.bin", 0, -1, NULL, &error);
	hubd_test_s3_set_fault(FAULT_NONE, 0);
	g_assert_null(cut);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_NETWORK);
	/* half, then half of the rest */
	g_assert_nonnull(strstr(error->message, "“c.bin” after 225000 of its 300000 bytes"));
}

/* The object changed between the cut and the resume, under `prefix`: the
 * proxy makes `mode` say so, and the reader gets an error saying so, not a
 * mix of two objects. */
static void
get_changed(const gchar *prefix, FaultMode mode)
{
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GBytes) bytes = put_for_get(prefix, "1", &storage);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) mixed = NULL;

	hubd_test_s3_set_fault(mode, 1);
	mixed = hubd_storage_conformance_get(storage, "c.bin", 0, -1, NULL, &error);
	hubd_test_s3_set_fault(FAULT_NONE, 0);
	g_assert_null(mixed);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CONFLICT);
	g_assert_nonnull(strstr(error->message, "“c.bin” changed while it was read"));
}

/* the resumed answer names another ETag (s3rver ignores If-Match) */
static void
test_get_changed_while_resumed(void)
{
	get_changed("changed", FAULT_NEW_ETAG);
}

/* S3 itself refuses the resume with 412 when the ETag in If-Match is no
 * longer the object's */
static void
test_get_precondition_failed(void)
{
	get_changed("precondition", FAULT_PRECONDITION);
}

/* A sync reader in a worker thread (as an upload from a backend reads): the
 * resume's request goes through the context the storage runs in. */
static void
test_get_cut_resumed_sync(void)
{
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GBytes) bytes = put_for_get("cut-sync", "1", &storage);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) back = NULL;

	hubd_test_s3_set_fault(FAULT_TRUNCATE_GET, 1);
	back = hubd_storage_conformance_get_sync(storage, "c.bin", 0, &error);
	g_assert_cmpint(hubd_test_s3_faults_made(), ==, 1);
	hubd_test_s3_set_fault(FAULT_NONE, 0);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, bytes));
}

int
main(int argc, char **argv)
{
	g_autoptr(HubdTestS3Server) server = NULL;

	g_test_init(&argc, &argv, NULL);
	hubd_test_s3_load_plugin();
	server = hubd_test_s3_server_start();
	hubd_test_s3_proxy_start(server);
	g_test_add_func("/s3/fault/get-cut-resumed", test_get_cut_resumed);
	g_test_add_func("/s3/fault/get-range-cut-resumed", test_get_range_cut_resumed);
	g_test_add_func("/s3/fault/get-reset-resumed", test_get_reset_resumed);
	g_test_add_func("/s3/fault/get-cut-gives-up", test_get_cut_gives_up);
	g_test_add_func("/s3/fault/get-changed-while-resumed", test_get_changed_while_resumed);
	g_test_add_func("/s3/fault/get-precondition-failed", test_get_precondition_failed);
	g_test_add_func("/s3/fault/get-cut-resumed-sync", test_get_cut_resumed_sync);
	return g_test_run();
}
