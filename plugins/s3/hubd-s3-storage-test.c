/* hubd-s3-storage-test.c: the s3:// backend against s3rver, which checks signatures: the
 * storage conformance suite, credentials (environment, AWS profile, keyring, a wrong secret),
 * multipart with small parts, bad buckets, endpoints and options, and awscli reading what
 * hubd wrote and the other way round */
#define G_LOG_DOMAIN "HubdS3Test"

#include <glib/gstdio.h>

#include "hubd-error.h"
#include "hubd-s3-test-server.h"
#include "hubd-storage-conformance.h"
#include "hubd-test-stream.h"

#define MiB (1024 * 1024)

static HubdTestS3Server *server;

/* A backend on the test bucket below `prefix`, with `extra` options
 * ("key", "value", ..., NULL) on top of the endpoint. */
static HubdStorage *
s3_storage_new(const gchar *name, const gchar *url, GError **error, ...)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	gboolean endpoint = FALSE;
	const gchar *key;
	va_list args;

	va_start(args, error);
	while ((key = va_arg(args, const gchar *)) != NULL) {
		const gchar *value = va_arg(args, const gchar *);
		endpoint |= g_strcmp0(key, "endpoint") == 0;
		g_variant_builder_add(&builder, "{sv}", key, g_variant_new_string(value));
	}
	va_end(args);
	if (!endpoint)
		g_variant_builder_add(
			&builder,
			"{sv}",
			"endpoint",
			g_variant_new_string(hubd_test_s3_server_get_endpoint(server)));
	return hubd_storage_new(name, url, g_variant_builder_end(&builder), NULL, error);
}

/* ---- the conformance suite: a new prefix per case ---- */

static HubdStorage *
factory_create(gpointer user_data, GError **error)
{
	static guint count;
	g_autofree gchar *url = g_strdup_printf("s3://" HUBD_TEST_S3_BUCKET "/case-%u", ++count);

	return s3_storage_new("conformance", url, error, "credentials", "env", NULL);
}

static const HubdStorageConformance conformance = {factory_create, NULL, NULL};

/* ---- helpers ---- */

static GBytes *
get_all(HubdStorage *storage, const gchar *key, GError **error)
{
	return hubd_storage_conformance_get(storage, key, 0, -1, NULL, error);
}

static void
assert_bytes_equal(GBytes *a, GBytes *b)
{
	g_assert_cmpuint(g_bytes_get_size(a), ==, g_bytes_get_size(b));
	g_assert_true(g_bytes_equal(a, b));
}

static HubdStorage *
env_storage(const gchar *prefix)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *url = g_strdup_printf("s3://" HUBD_TEST_S3_BUCKET "/%s", prefix);
	HubdStorage *storage = s3_storage_new("t", url, &error, "credentials", "env", NULL);

	g_assert_no_error(error);
	return storage;
}

/* ---- credentials ---- */

/* A profile file with a wrong secret: s3rver refuses the signature, the
 * error says so, and nothing was stored. */
static void
test_wrong_secret(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *file = g_build_filename(g_get_tmp_dir(), "aws-credentials", NULL);
	g_autoptr(HubdStorage) wrong = NULL;
	g_autoptr(HubdStorage) right = env_storage("wrong-secret");
	g_autoptr(GBytes) bytes = g_bytes_new_static("payload", 7);
	g_autoptr(HubdStorageObject) object = NULL;

	g_assert_true(g_file_set_contents(file,
					  "[default]\naws_access_key_id = S3RVER\n"
					  "aws_secret_access_key = S3RVER\n"
					  "[wrong]\naws_access_key_id = S3RVER\n"
					  "aws_secret_access_key = not-the-secret\n",
					  -1,
					  &error));
	g_setenv("AWS_SHARED_CREDENTIALS_FILE", file, TRUE);
	wrong = s3_storage_new("wrong",
			       "s3://" HUBD_TEST_S3_BUCKET "/wrong-secret",
			       &error,
			       "credentials",
			       "profile",
			       "profile",
			       "wrong",
			       NULL);
	g_assert_no_error(error);
	object = hubd_storage_conformance_put(wrong, "k", bytes, &error);
	g_assert_null(object);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_UNAUTHORIZED);
	g_assert_nonnull(strstr(error->message, "secret access key is wrong"));
	g_assert_nonnull(strstr(error->message, "“wrong”"));
	g_assert_null(strstr(error->message, "not-the-secret"));
	g_clear_error(&error);
	object = hubd_storage_conformance_head(right, "k", &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
	g_clear_error(&error);

	/* the default profile holds the right one */
	g_clear_object(&wrong);
	wrong = s3_storage_new("profile",
			       "s3://" HUBD_TEST_S3_BUCKET "/wrong-secret",
			       &error,
			       "credentials",
			       "profile",
			       NULL);
	g_assert_no_error(error);
	object = hubd_storage_conformance_put(wrong, "k", bytes, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(hubd_storage_object_get_size(object), ==, 7);
	g_unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	g_unlink(file);
}

static void
test_unknown_key_id(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GPtrArray) objects = NULL;

	g_setenv("AWS_ACCESS_KEY_ID", "NOBODY", TRUE);
	storage = env_storage("unknown-key");
	objects = hubd_storage_conformance_list_all(storage, "", 0, NULL, &error);
	g_setenv("AWS_ACCESS_KEY_ID", HUBD_TEST_S3_KEY_ID, TRUE);
	g_assert_null(objects);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_UNAUTHORIZED);
	g_assert_nonnull(strstr(error->message, "does not know the access key id"));
}

static void
test_missing_env(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(HubdStorageObject) object = NULL;

	g_unsetenv("AWS_SECRET_ACCESS_KEY");
	storage = env_storage("missing-env");
	object = hubd_storage_conformance_head(storage, "k", &error);
	g_setenv("AWS_SECRET_ACCESS_KEY", HUBD_TEST_S3_SECRET, TRUE);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_UNAUTHORIZED);
	g_assert_nonnull(strstr(error->message, "AWS_SECRET_ACCESS_KEY"));
}

/* ---- multipart ---- */

/* Past the part size a put is a multipart upload: 12 MiB of unknown length
 * in parts of 5 MiB is three parts, 11 MiB of known length too, 10 MiB two;
 * each is one completed upload (the server's log says), and reads back whole. */
static void
test_multipart_small_parts(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorage) storage = s3_storage_new("mp",
							"s3://" HUBD_TEST_S3_BUCKET "/multipart",
							&error,
							"credentials",
							"env",
							"part-size",
							"5242880",
							"parallel",
							"2",
							NULL);
	struct {
		gsize size;
		gint64 length;
	} cases[] = {{12 * MiB, -1}, {11 * MiB, 11 * MiB}, {10 * MiB, -1}};

	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(cases[i].size, i);
		g_autoptr(HubdTestStream) stream = hubd_test_stream_new(bytes, 0);
		g_autoptr(HubdStorageObject) object = NULL;
		g_autoptr(HubdStorageObject) head = NULL;
		g_autoptr(GBytes) back = NULL;
		g_autofree gchar *key = g_strdup_printf("big-%u", i);
		guint parts = cases[i].size == 10 * MiB ? 2 : 3;
		guint parts_before = hubd_test_s3_server_count(server, "part ");
		guint completes_before = hubd_test_s3_server_count(server, "complete ");

		object = hubd_storage_conformance_put_stream(storage,
							     key,
							     G_INPUT_STREAM(stream),
							     cases[i].length,
							     NULL,
							     &error);
		g_assert_no_error(error);
		g_assert_cmpuint(hubd_storage_object_get_size(object), ==, cases[i].size);
		g_assert_cmpuint(hubd_test_s3_server_count(server, "part ") - parts_before,
				 ==,
				 parts);
		g_assert_cmpuint(hubd_test_s3_server_count(server, "complete ") - completes_before,
				 ==,
				 1);
		head = hubd_storage_conformance_head(storage, key, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(hubd_storage_object_get_etag(head),
				==,
				hubd_storage_object_get_etag(object));
		back = get_all(storage, key, &error);
		g_assert_no_error(error);
		assert_bytes_equal(back, bytes);
	}
}

/* A stream that breaks in the second part: the upload is aborted and
 * nothing is visible under the key. */
static void
test_multipart_broken_stream(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorage) storage = s3_storage_new("mp",
							"s3://" HUBD_TEST_S3_BUCKET "/broken",
							&error,
							"credentials",
							"env",
							"part-size",
							"5242880",
							NULL);
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(12 * MiB, 3);
	g_autoptr(HubdTestStream) stream = hubd_test_stream_new(bytes, 0);
	g_autoptr(HubdStorageObject) object = NULL;
	g_autoptr(GPtrArray) listed = NULL;

	g_assert_no_error(error);
	hubd_test_stream_fail_after(stream, 7 * MiB);
	object = hubd_storage_conformance_put_stream(storage,
						     "k",
						     G_INPUT_STREAM(stream),
						     12 * MiB,
						     NULL,
						     &error);
	g_assert_null(object);
	g_assert_nonnull(error);
	g_assert_true(error->domain == HUBD_ERROR);
	g_clear_error(&error);
	object = hubd_storage_conformance_head(storage, "k", &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
	g_clear_error(&error);
	listed = hubd_storage_conformance_list_all(storage, "", 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(listed->len, ==, 0);
}

/* ---- bad configuration ---- */

static void
test_no_such_bucket(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorage) storage =
		s3_storage_new("nb", "s3://no-such-bucket/x", &error, "credentials", "env", NULL);
	g_autoptr(GBytes) bytes = g_bytes_new_static("x", 1);
	g_autoptr(HubdStorageObject) object = NULL;

	g_assert_no_error(error);
	object = hubd_storage_conformance_put(storage, "k", bytes, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "the bucket “no-such-bucket” does not exist"));
}

static void
test_bad_endpoint(void)
{
	g_autoptr(GError) error = NULL;
	/* nothing listens on port 1 */
	g_autoptr(HubdStorage) storage = s3_storage_new("be",
							"s3://" HUBD_TEST_S3_BUCKET,
							&error,
							"credentials",
							"env",
							"endpoint",
							"http://127.0.0.1:1",
							"retries",
							"0",
							NULL);
	g_autoptr(HubdStorageObject) object = NULL;

	g_assert_no_error(error);
	object = hubd_storage_conformance_head(storage, "k", &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_NETWORK);
	g_assert_nonnull(strstr(error->message, "Cannot reach the S3 server http://127.0.0.1:1"));
}

static void
test_bad_config(void)
{
	const gchar *urls[] = {"s3://", "s3://UPPER", "s3://ab", "s3://bucket/a//b", "s3:/x"};

	for (guint i = 0; i < G_N_ELEMENTS(urls); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(HubdStorage) storage = s3_storage_new("bad", urls[i], &error, NULL);
		g_assert_null(storage);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	}
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(HubdStorage) storage = s3_storage_new("bad",
								"s3://" HUBD_TEST_S3_BUCKET,
								&error,
								"secret-access-key",
								"x",
								NULL);
		g_assert_null(storage);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, "no option “secret-access-key”"));
	}
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(HubdStorage) storage = s3_storage_new("bad",
								"s3://" HUBD_TEST_S3_BUCKET,
								&error,
								"endpoint",
								"ftp://example.org",
								NULL);
		g_assert_null(storage);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	}
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(HubdStorage) storage =
			s3_storage_new("bad", "s3://" HUBD_TEST_S3_BUCKET, &error, NULL);
		g_assert_null(storage);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, "access-key-id"));
	}
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(HubdStorage) storage = s3_storage_new("bad",
								"s3://" HUBD_TEST_S3_BUCKET,
								&error,
								"part-size",
								"1024",
								NULL);
		g_assert_null(storage);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	}
}

/* ---- awscli reads what hubd wrote, and the other way round ---- */

static gboolean
run_aws(GError **error, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocessLauncher) launcher =
		g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	g_autoptr(GSubprocess) process = NULL;
	const gchar *arg;
	va_list args;

	g_ptr_array_add(argv, (gpointer) "/usr/bin/aws");
	g_ptr_array_add(argv, (gpointer) "--endpoint-url");
	g_ptr_array_add(argv, (gpointer)hubd_test_s3_server_get_endpoint(server));
	va_start(args, error);
	while ((arg = va_arg(args, const gchar *)) != NULL)
		g_ptr_array_add(argv, (gpointer)arg);
	va_end(args);
	g_ptr_array_add(argv, NULL);
	/* the keys come from the environment, never argv */
	g_subprocess_launcher_setenv(launcher, "AWS_DEFAULT_REGION", "us-east-1", TRUE);
	process = g_subprocess_launcher_spawnv(launcher, (const gchar *const *)argv->pdata, error);
	return process != NULL && g_subprocess_wait_check(process, NULL, error);
}

static void
test_awscli(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorage) storage = env_storage("awscli");
	g_autoptr(GBytes) ours = hubd_storage_conformance_make_bytes(9 * MiB + 17, 11);
	g_autoptr(GBytes) theirs = hubd_storage_conformance_make_bytes(3 * MiB + 5, 12);
	g_autoptr(HubdStorageObject) object = NULL;
	g_autofree gchar *down = g_build_filename(g_get_tmp_dir(), "aws-down", NULL);
	g_autofree gchar *up = g_build_filename(g_get_tmp_dir(), "aws-up", NULL);
	g_autofree gchar *content = NULL;
	g_autoptr(GBytes) back = NULL;
	gsize len = 0;

	if (!g_file_test("/usr/bin/aws", G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_fail_printf("Debian's awscli is not installed: run contrib/install-deps.sh");
		return;
	}
	/* hubd → aws: a multipart object and a key that needs encoding */
	object = hubd_storage_conformance_put(storage, "models/a b/é+x.bin", ours, &error);
	g_assert_no_error(error);
	g_assert_true(run_aws(&error,
			      "s3",
			      "cp",
			      "s3://" HUBD_TEST_S3_BUCKET "/awscli/models/a b/é+x.bin",
			      down,
			      NULL));
	g_assert_no_error(error);
	g_assert_true(g_file_get_contents(down, &content, &len, &error));
	g_assert_cmpuint(len, ==, g_bytes_get_size(ours));
	g_assert_cmpmem(content, len, g_bytes_get_data(ours, NULL), g_bytes_get_size(ours));

	/* aws → hubd */
	g_assert_true(g_file_set_contents(up,
					  g_bytes_get_data(theirs, NULL),
					  (gssize)g_bytes_get_size(theirs),
					  &error));
	g_assert_true(run_aws(&error,
			      "s3",
			      "cp",
			      up,
			      "s3://" HUBD_TEST_S3_BUCKET "/awscli/from-aws/x.bin",
			      NULL));
	g_assert_no_error(error);
	back = get_all(storage, "from-aws/x.bin", &error);
	g_assert_no_error(error);
	assert_bytes_equal(back, theirs);
	g_unlink(up);
	g_unlink(down);
}

/* s3:// URLs resolve through the extension point, as for any caller. */
static void
test_resolves(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorage) storage = env_storage("resolve");
	g_autofree gchar *url = hubd_storage_dup_url(storage);

	g_assert_cmpstr(G_OBJECT_TYPE_NAME(storage), ==, "HubdS3Storage");
	g_assert_cmpstr(url, ==, "s3://" HUBD_TEST_S3_BUCKET "/resolve");
}

/* ---- DeleteObjects ---- */

static void
delete_many_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GAsyncResult **out = user_data;

	*out = g_object_ref(res);
}

static gboolean
delete_many(HubdStorage *storage, const gchar *const *keys, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	hubd_storage_delete_many_async(storage, keys, NULL, delete_many_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	return hubd_storage_delete_many_finish(storage, result, error);
}

/* One POST ?delete removes them all (keys that need XML escaping too, and
 * one that was never there); what was not named stays; s3rver checks the
 * signature and the Content-MD5. */
static void
test_delete_many(void)
{
	g_autoptr(HubdStorage) storage = env_storage("many");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = hubd_storage_conformance_make_bytes(1000, 7);
	const gchar *keys[] = {"d/a.bin", "d/x&y<z>.bin", "d/\"q\" é.bin", "d/never", NULL};
	g_autoptr(GPtrArray) left = NULL;
	g_autoptr(HubdStorageObject) kept = NULL;
	gchar *too_many[HUBD_STORAGE_MAX_LIST_KEYS + 2] = {NULL};

	for (guint i = 0; i < 3; i++) {
		g_autoptr(HubdStorageObject) o =
			hubd_storage_conformance_put(storage, keys[i], bytes, &error);
		g_assert_no_error(error);
	}
	kept = hubd_storage_conformance_put(storage, "d/kept", bytes, &error);
	g_assert_no_error(error);
	g_assert_true(delete_many(storage, keys, &error));
	g_assert_no_error(error);
	left = hubd_storage_conformance_list_all(storage, "d/", 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(left->len, ==, 1);
	g_assert_cmpstr(hubd_storage_object_get_key(g_ptr_array_index(left, 0)), ==, "d/kept");

	/* more than a batch, or a bad key: refused, nothing deleted */
	for (guint i = 0; i < HUBD_STORAGE_MAX_LIST_KEYS + 1; i++)
		too_many[i] = (gchar *)"d/kept";
	g_assert_false(delete_many(storage, (const gchar *const *)too_many, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	{
		const gchar *bad[] = {"d/kept", "../up", NULL};
		g_assert_false(delete_many(storage, bad, &error));
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	g_clear_pointer(&kept, hubd_storage_object_unref);
	kept = hubd_storage_conformance_head(storage, "d/kept", &error);
	g_assert_no_error(error);
	g_assert_nonnull(kept);
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	hubd_test_s3_load_plugin();
	server = hubd_test_s3_server_start();

	hubd_storage_conformance_add_tests("/s3/conformance", &conformance);
	g_test_add_func("/s3/resolves", test_resolves);
	g_test_add_func("/s3/credentials/wrong-secret", test_wrong_secret);
	g_test_add_func("/s3/credentials/unknown-key-id", test_unknown_key_id);
	g_test_add_func("/s3/credentials/missing-env", test_missing_env);
	g_test_add_func("/s3/multipart/small-parts", test_multipart_small_parts);
	g_test_add_func("/s3/multipart/broken-stream", test_multipart_broken_stream);
	g_test_add_func("/s3/errors/no-such-bucket", test_no_such_bucket);
	g_test_add_func("/s3/errors/bad-endpoint", test_bad_endpoint);
	g_test_add_func("/s3/errors/bad-config", test_bad_config);
	g_test_add_func("/s3/awscli", test_awscli);
	g_test_add_func("/s3/delete-many", test_delete_many);
	ret = g_test_run();
	hubd_test_s3_server_free(server);
	return ret;
}
