/* hubd-s3-fault-test.c: the S3 backend's puts against faults s3rver cannot make, injected by
 * the proxy of hubd-s3-test-proxy.c: SlowDown answers retried, InternalError on parts retried,
 * a server that resets mid-part → a clear error, the multipart upload aborted, nothing
 * stored; an abort whose answer is lost; slow bodies; HTTP_PROXY */
#define G_LOG_DOMAIN "HubdS3FaultTest"

#include <string.h>

#include "hubd-s3-test-proxy.h"
#include "hubd-storage-conformance.h"

static HubdTestS3Server *server;

/* Two SlowDown answers, then the server takes the put: retried, stored whole. */
static void
test_slowdown_retried(void)
{
	g_autoptr(HubdStorage) storage = hubd_test_s3_proxied("slow", "4");
	g_autoptr(HubdStorage) check = hubd_test_s3_direct("slow");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(100000, 3);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GBytes) back = NULL;

	hubd_test_s3_set_fault(FAULT_SLOWDOWN, 2);
	object = hubd_storage_conformance_put(storage, "a.bin", bytes, &error);
	g_assert_no_error(error);
	g_assert_cmpint(hubd_test_s3_faults_made(), ==, 2);
	hubd_test_s3_set_fault(FAULT_NONE, 0);
	back = hubd_storage_conformance_get(check, "a.bin", 0, -1, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, bytes));
}

/* SlowDown on every attempt: RateLimited saying so, nothing stored. */
static void
test_slowdown_gives_up(void)
{
	g_autoptr(HubdStorage) storage = hubd_test_s3_proxied("slower", "1");
	g_autoptr(HubdStorage) check = hubd_test_s3_direct("slower");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(1000, 4);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(HubdStorageObject) none = NULL;

	hubd_test_s3_set_fault(FAULT_SLOWDOWN, -1);
	object = hubd_storage_conformance_put(storage, "b.bin", bytes, &error);
	g_assert_null(object);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_RATE_LIMITED);
	g_assert_nonnull(strstr(error->message, "slow down"));
	g_assert_cmpint(hubd_test_s3_faults_made(), ==, 2);
	g_clear_error(&error);
	hubd_test_s3_set_fault(FAULT_NONE, 0);
	none = hubd_storage_conformance_head(check, "b.bin", &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
}

/* An 11 MiB put of unknown length (the multipart path: three parts of
 * 5, 5 and 1 MiB) of `bytes` as big.bin. */
static HubdStorageObject *
put_multipart(HubdStorage *storage, GBytes *bytes, GError **error)
{
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);

	return hubd_storage_conformance_put_stream(storage, "big.bin", stream, -1, NULL, error);
}

/* After a failed put under `prefix`: its upload was aborted once since
 * s3rver had logged `aborts` aborts, and no object is left. */
static void
assert_aborted(const gchar *prefix, guint aborts)
{
	g_autoptr(HubdStorage) check = hubd_test_s3_direct(prefix);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) left = NULL;

	g_assert_cmpuint(hubd_test_s3_server_count(server, "abort "), ==, aborts + 1);
	left = hubd_storage_conformance_list_all(check, "", 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(left->len, ==, 0);
}

/* Every part's connection reset halfway, under PREFIX: a network error
 * naming the server, the multipart upload aborted once (s3rver logged it),
 * no object. With lose_abort set, the abort reaches the server but the
 * client hears a 500 and asks again. */
static void
put_through_resets(const gchar *prefix, gboolean lose_abort)
{
	g_autoptr(HubdStorage) storage = hubd_test_s3_proxied(prefix, "1");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(11 * 1024 * 1024, 5);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	guint aborts = hubd_test_s3_server_count(server, "abort ");

	hubd_test_s3_set_fault(FAULT_RESET_PARTS, 0);
	hubd_test_s3_lose_abort_answer(lose_abort);
	object = put_multipart(storage, bytes, &error);
	g_assert_null(object);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_NETWORK);
	g_assert_nonnull(strstr(error->message, "127.0.0.1"));
	g_assert_cmpint(hubd_test_s3_faults_made(), >=, 2);
	g_assert_false(hubd_test_s3_abort_answer_pending());
	hubd_test_s3_set_fault(FAULT_NONE, 0);
	assert_aborted(prefix, aborts);
}

static void
test_reset_mid_part(void)
{
	put_through_resets("reset", FALSE);
}

/* The retried abort finds the upload gone, which is what an abort is for:
 * no warning (they are fatal here), still the put's own error. */
static void
test_abort_answer_lost(void)
{
	put_through_resets("lost", TRUE);
}

/* 500 InternalError on two parts of a multipart put: each part is asked
 * again, the object is stored whole, no upload is aborted. */
static void
test_internal_error_parts(void)
{
	g_autoptr(HubdStorage) storage = hubd_test_s3_proxied("internal", "4");
	g_autoptr(HubdStorage) check = hubd_test_s3_direct("internal");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(11 * 1024 * 1024, 9);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GBytes) back = NULL;
	guint aborts = hubd_test_s3_server_count(server, "abort ");

	hubd_test_s3_set_fault(FAULT_INTERNAL_PARTS, 2);
	object = put_multipart(storage, bytes, &error);
	g_assert_no_error(error);
	g_assert_cmpint(hubd_test_s3_faults_made(), ==, 2);
	hubd_test_s3_set_fault(FAULT_NONE, 0);
	g_assert_cmpuint(hubd_storage_object_get_size(object), ==, g_bytes_get_size(bytes));
	g_assert_cmpuint(hubd_test_s3_server_count(server, "abort "), ==, aborts);
	back = hubd_storage_conformance_get(check, "big.bin", 0, -1, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, bytes));
}

/* Part 1 fails on every try while the later parts are stored: the put
 * fails with the server's error, the upload is aborted, nothing stored. */
static void
test_internal_error_part_fails(void)
{
	g_autoptr(HubdStorage) storage = hubd_test_s3_proxied("internal1", "1");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(11 * 1024 * 1024, 12);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	guint aborts = hubd_test_s3_server_count(server, "abort ");

	hubd_test_s3_set_fault(FAULT_INTERNAL_PART1, 0);
	object = put_multipart(storage, bytes, &error);
	hubd_test_s3_set_fault(FAULT_NONE, 0);
	g_assert_null(object);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_SERVER);
	g_assert_nonnull(strstr(error->message, "InternalError"));
	assert_aborted("internal1", aborts);
}

/* Every byte both ways passes 1 KiB per millisecond: a put and a get
 * through it arrive whole. */
static void
test_slow_bodies(void)
{
	g_autoptr(HubdStorage) storage = hubd_test_s3_proxied("slowbody", "1");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(1024 * 1024, 11);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GBytes) back = NULL;

	hubd_test_s3_set_fault(FAULT_SLOW, 0);
	object = hubd_storage_conformance_put(storage, "s.bin", bytes, &error);
	g_assert_no_error(error);
	back = hubd_storage_conformance_get(storage, "s.bin", 0, -1, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, bytes));
	/* both bodies went through in slow pieces (heads take a few) */
	g_assert_cmpint(hubd_test_s3_faults_made(), >=, 2000);
	hubd_test_s3_set_fault(FAULT_NONE, 0);
}

static gboolean
maps_proxy_modules(void)
{
	g_autofree gchar *maps = NULL;

	g_assert_true(g_file_get_contents("/proc/self/maps", &maps, NULL, NULL));
	return strstr(maps, "libgiolibproxy") != NULL || strstr(maps, "libgiognomeproxy") != NULL;
}

/* Outside a desktop and without proxy variables the backend goes direct, as
 * hubd does, and GIO's proxy modules (libproxy, libstdc++) stay unloaded. */
static void
test_proxy_none(void)
{
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(1000, 7);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;

	g_unsetenv("XDG_CURRENT_DESKTOP");
	g_assert_false(maps_proxy_modules());
	storage = hubd_test_s3_direct("direct");
	object = hubd_storage_conformance_put(storage, "d.bin", bytes, &error);
	g_assert_no_error(error);
	g_assert_false(maps_proxy_modules());
}

/* HTTP_PROXY names the proxy the backend goes through (here the test's TCP
 * proxy, which passes the absolute-form request on to s3rver). */
static void
test_proxy_from_environment(void)
{
	g_autofree gchar *proxy = g_strdup_printf("http://127.0.0.1:%u", hubd_test_s3_proxy_port());
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(HubdStorage) check = hubd_test_s3_direct("via");
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(1000, 8);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GBytes) back = NULL;
	guint before = hubd_test_s3_proxy_connections();

	g_setenv("HTTP_PROXY", proxy, TRUE);
	storage = hubd_test_s3_direct("via");
	g_unsetenv("HTTP_PROXY");
	object = hubd_storage_conformance_put(storage, "p.bin", bytes, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(hubd_test_s3_proxy_connections(), >, before);
	back = hubd_storage_conformance_get(check, "p.bin", 0, -1, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(back, bytes));
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	hubd_test_s3_load_plugin();
	server = hubd_test_s3_server_start();
	hubd_test_s3_proxy_start(server);
	g_test_add_func("/s3/fault/slowdown-retried", test_slowdown_retried);
	g_test_add_func("/s3/fault/slowdown-gives-up", test_slowdown_gives_up);
	g_test_add_func("/s3/fault/reset-mid-part", test_reset_mid_part);
	g_test_add_func("/s3/fault/abort-answer-lost", test_abort_answer_lost);
	g_test_add_func("/s3/fault/internal-error-parts", test_internal_error_parts);
	g_test_add_func("/s3/fault/internal-error-part-fails", test_internal_error_part_fails);
	g_test_add_func("/s3/fault/slow-bodies", test_slow_bodies);
	g_test_add_func("/s3/proxy/none", test_proxy_none);
	g_test_add_func("/s3/proxy/from-environment", test_proxy_from_environment);
	ret = g_test_run();
	hubd_test_s3_server_free(server);
	return ret;
}
