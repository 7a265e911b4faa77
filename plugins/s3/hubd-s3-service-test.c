/* hubd-s3-service-test.c: org.hubd.Hub1.Storage and `hubctl storage list|test` with a real
 * hubd holding an s3:// backend on s3rver, a file:// one, one with a wrong secret and one
 * whose bucket does not exist */
#define G_LOG_DOMAIN "HubdS3ServiceTest"

#include "hubd-s3-test-server.h"
#include "hubd-test-common.h"

#define ERR "org.hubd.Hub1.Error."

typedef struct {
	HubdTestS3Server *server;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
	gchar *tmp;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autofree gchar *credentials = NULL;
	g_autofree gchar *folder = NULL;
	g_autofree gchar *file_url = NULL;
	g_autofree gchar *credentials_env = NULL;
	g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
	const gchar *names[] = {"good", "wrong", "nobucket", "kr", "krnone"};

	f->tmp = g_dir_make_tmp("hubd-s3-svc-XXXXXX", NULL);
	f->server = hubd_test_s3_server_start();
	credentials = g_build_filename(f->tmp, "aws-credentials", NULL);
	hubd_test_write_file(credentials,
			     "[default]\naws_access_key_id = S3RVER\n"
			     "aws_secret_access_key = S3RVER\n"
			     "[wrong]\naws_access_key_id = S3RVER\n"
			     "aws_secret_access_key = not-the-secret\n");
	folder = g_build_filename(f->tmp, "folder", NULL);
	file_url = g_filename_to_uri(folder, NULL, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_ptr_array_add(args, g_strdup("--set"));
		g_ptr_array_add(args,
				g_strdup_printf("storage.%s.url=s3://%s/svc",
						names[i],
						i == 2 ? "no-such-bucket" : HUBD_TEST_S3_BUCKET));
		g_ptr_array_add(args, g_strdup("--set"));
		g_ptr_array_add(args,
				g_strdup_printf("storage.%s.endpoint=%s",
						names[i],
						hubd_test_s3_server_get_endpoint(f->server)));
		g_ptr_array_add(args, g_strdup("--set"));
		/* kr and krnone: the keyring, by access key id */
		g_ptr_array_add(args,
				i < 3 ? g_strdup_printf("storage.%s.credentials=profile", names[i])
				      : g_strdup_printf("storage.%s.access-key-id=%s",
							names[i],
							i == 3 ? HUBD_TEST_S3_KEY_ID : "NOBODY"));
	}
	g_ptr_array_add(args, g_strdup("--set"));
	g_ptr_array_add(args, g_strdup("storage.wrong.profile=wrong"));
	g_ptr_array_add(args, g_strdup("--set"));
	g_ptr_array_add(args, g_strdup_printf("storage.folder.url=%s", file_url));
	g_ptr_array_add(args, g_strdup("--set"));
	g_ptr_array_add(args, g_strdup("storage.mirror=good"));
	g_ptr_array_add(args, NULL);
	{
		/* stored as a user can today, with libsecret's secret-tool (the
		 * secret on stdin, never argv) */
		const gchar *argv[] = {"secret-tool",
				       "store",
				       "--label=hubd S3 test",
				       "backend",
				       "kr",
				       "access-key-id",
				       HUBD_TEST_S3_KEY_ID,
				       NULL};
		g_assert_cmpint(hubd_test_run_command(argv, NULL, HUBD_TEST_S3_SECRET, NULL, NULL),
				==,
				0);
	}
	credentials_env = g_strdup_printf("AWS_SHARED_CREDENTIALS_FILE=%s", credentials);
	{
		const gchar *env[] = {credentials_env, NULL};
		f->daemon = hubd_test_daemon_start((const gchar *const *)args->pdata, env);
	}
	f->bus = hubd_test_session_bus();
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->bus);
	hubd_test_daemon_stop(f->daemon);
	hubd_test_s3_server_free(f->server);
	hubd_test_rm_rf(f->tmp);
	g_free(f->tmp);
}

static GVariant *
test_backend(Fixture *f, const gchar *name, GError **error)
{
	return hubd_test_call(f->bus,
			      "org.hubd.Hub1.Storage",
			      "TestBackend",
			      g_variant_new("(s@a{sv})", name, g_variant_new("a{sv}", NULL)),
			      G_VARIANT_TYPE("(a{sv})"),
			      error);
}

static void
test_list(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		hubd_test_call(f->bus,
			       "org.hubd.Hub1.Storage",
			       "ListBackends",
			       g_variant_new("(@a{sv})", g_variant_new("a{sv}", NULL)),
			       G_VARIANT_TYPE("(aa{sv})"),
			       &error);
	g_autoptr(GVariant) backends = NULL;
	const gchar *want[][3] = {{"folder", "file", "n"},
				  {"good", "s3", "y"},
				  {"kr", "s3", "n"},
				  {"krnone", "s3", "n"},
				  {"nobucket", "s3", "n"},
				  {"wrong", "s3", "n"}};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	g_assert_no_error(error);
	backends = g_variant_get_child_value(reply, 0);
	g_assert_cmpuint(g_variant_n_children(backends), ==, G_N_ELEMENTS(want));
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		g_autoptr(GVariant) entry = g_variant_get_child_value(backends, i);
		const gchar *name = NULL, *scheme = NULL;
		gboolean mirror = FALSE;
		g_assert_true(g_variant_lookup(entry, "name", "&s", &name));
		g_assert_true(g_variant_lookup(entry, "scheme", "&s", &scheme));
		g_assert_true(g_variant_lookup(entry, "mirror", "b", &mirror));
		g_assert_cmpstr(name, ==, want[i][0]);
		g_assert_cmpstr(scheme, ==, want[i][1]);
		g_assert_cmpint(mirror, ==, want[i][2][0] == 'y');
		/* no secret and no option is ever listed */
		g_assert_false(g_variant_lookup(entry, "credentials", "&s", NULL));
	}

	{
		const gchar *argv[] = {"storage", "list", NULL};
		g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, &err), ==, 0);
		g_assert_nonnull(strstr(out, "s3://" HUBD_TEST_S3_BUCKET "/svc"));
		g_assert_null(strstr(out, "not-the-secret"));
	}
	g_clear_pointer(&out, g_free);
	{
		const gchar *argv[] = {"storage", "list", "--json", NULL};
		g_autoptr(JsonNode) node = NULL;
		g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, NULL), ==, 0);
		node = hubd_test_parse_json(out);
		g_assert_cmpuint(json_array_get_length(json_node_get_array(node)), ==, 6);
	}
}

/* A probe on the bucket and on the folder: put, read back, deleted after. */
static void
test_probe(Fixture *f, gconstpointer data)
{
	/* kr: the secret from the keyring, under the plugin's attributes */
	const gchar *names[] = {"good", "folder", "kr"};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) reply = test_backend(f, names[i], &error);
		g_autoptr(GVariant) report = NULL;
		const gchar *key = NULL;
		guint64 size = 0;
		g_assert_no_error(error);
		report = g_variant_get_child_value(reply, 0);
		g_assert_true(g_variant_lookup(report, "key", "&s", &key));
		g_assert_true(g_str_has_prefix(key, ".hubd-probe/"));
		g_assert_true(g_variant_lookup(report, "size", "t", &size));
		g_assert_cmpuint(size, ==, 4096);
	}
	{
		/* nothing of the probe is left in the folder */
		g_autofree gchar *probes = g_build_filename(f->tmp, "folder", ".hubd-probe", NULL);
		g_autoptr(GDir) dir = g_dir_open(probes, 0, NULL);
		g_assert_true(dir == NULL || g_dir_read_name(dir) == NULL);
	}
	{
		const gchar *argv[] = {"storage", "test", "good", NULL};
		g_autofree gchar *out = NULL;
		g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, NULL), ==, 0);
		/* quiet on success when not on a terminal */
		g_assert_cmpstr(out, ==, "");
	}
}

/* Refusals, typed and worded for a person, on D-Bus and through hubctl. */
static void
test_refused(Fixture *f, gconstpointer data)
{
	struct {
		const gchar *name;
		const gchar *error;
		const gchar *says;
	} cases[] = {
		{"wrong", ERR "Unauthorized", "secret access key is wrong"},
		{"nobucket", ERR "InvalidArgument", "“no-such-bucket” does not exist"},
		{"absent", ERR "InvalidArgument", "absent"},
		{"krnone", ERR "Unauthorized", "none is stored in the keyring"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) reply = test_backend(f, cases[i].name, &error);
		const gchar *argv[] = {"storage", "test", cases[i].name, NULL};
		g_autofree gchar *err = NULL;
		g_assert_null(reply);
		hubd_test_assert_remote_error(error, cases[i].error);
		g_assert_nonnull(strstr(error->message, cases[i].says));
		g_assert_null(strstr(error->message, "not-the-secret"));
		g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, NULL, &err), ==, 1);
		g_assert_nonnull(strstr(err, cases[i].says));
	}
	{
		const gchar *argv[] = {"storage", "test", NULL};
		g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, NULL, NULL), ==, 64);
	}
	{
		g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);
		g_assert_null(strstr(log, "not-the-secret"));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/s3/service/list", Fixture, NULL, fixture_setup, test_list, fixture_teardown);
	g_test_add("/s3/service/probe", Fixture, NULL, fixture_setup, test_probe, fixture_teardown);
	g_test_add("/s3/service/refused",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_refused,
		   fixture_teardown);
	return g_test_run();
}
