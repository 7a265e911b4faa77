/* hubd-s3-admin-test.c: Storage.AddBackend/RemoveBackend and `hubctl storage add|remove` with
 * a real hubd, its own hubd.conf, the harness's keyring and s3rver (which checks signatures):
 * what is added works after a restart, the secret is in the keyring and no file, refusals
 * are typed and change nothing */
#define G_LOG_DOMAIN "HubdS3AdminTest"

#include "hubd-s3-test-server.h"
#include "hubd-test-common.h"

#define ERR          "org.hubd.Hub1.Error."
#define WRONG_SECRET "not-the-s3rver-secret"
#define CONF_START   "# written by hand, kept by hubd\n[storage]\nmirror=folder\n\n"

typedef struct {
	HubdTestS3Server *server;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
	gchar *tmp;
	gchar *conf;
} Fixture;

static void
daemon_start(Fixture *f)
{
	const gchar *args[] = {"--config", f->conf, NULL};

	f->daemon = hubd_test_daemon_start(args, NULL);
	f->bus = hubd_test_session_bus();
}

static void
daemon_stop(Fixture *f)
{
	g_clear_object(&f->bus);
	hubd_test_daemon_stop(f->daemon);
	f->daemon = NULL;
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autofree gchar *folder = NULL;
	g_autofree gchar *file_url = NULL;
	g_autofree gchar *conf = NULL;

	f->tmp = g_dir_make_tmp("hubd-s3-admin-XXXXXX", NULL);
	f->server = hubd_test_s3_server_start();
	folder = g_build_filename(f->tmp, "folder", NULL);
	file_url = g_filename_to_uri(folder, NULL, NULL);
	f->conf = g_build_filename(f->tmp, "hubd.conf", NULL);
	conf = g_strdup_printf(CONF_START "[storage.folder]\nurl=%s\n", file_url);
	hubd_test_write_file(f->conf, conf);
	daemon_start(f);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	if (f->daemon != NULL)
		daemon_stop(f);
	hubd_test_s3_server_free(f->server);
	hubd_test_rm_rf(f->tmp);
	g_free(f->tmp);
	g_free(f->conf);
}

static gchar *
read_conf(Fixture *f)
{
	gchar *text = NULL;

	g_assert_true(g_file_get_contents(f->conf, &text, NULL, NULL));
	return text;
}

static gint
storage_add(Fixture *f, const gchar *name, const gchar *secret, gchar **err)
{
	g_autofree gchar *url = g_strdup_printf("s3://%s/admin-%s", HUBD_TEST_S3_BUCKET, name);
	const gchar *argv[] = {"storage",
			       "add",
			       name,
			       url,
			       "--endpoint",
			       hubd_test_s3_server_get_endpoint(f->server),
			       "--access-key-id",
			       HUBD_TEST_S3_KEY_ID,
			       "--secret-stdin",
			       NULL};
	g_autofree gchar *input = g_strconcat(secret, "\n", NULL);

	return hubd_test_run_hubctl(argv, input, NULL, err);
}

static GVariant *
call(Fixture *f, const gchar *method, GVariant *args, GError **error)
{
	return hubd_test_call(f->bus, "org.hubd.Hub1.Storage", method, args, NULL, error);
}

/* the secret of `name` in the keyring, as libsecret's secret-tool finds it */
static gchar *
keyring_lookup(const gchar *name)
{
	const gchar *argv[] = {"secret-tool",
			       "lookup",
			       "backend",
			       name,
			       "access-key-id",
			       HUBD_TEST_S3_KEY_ID,
			       NULL};
	gchar *out = NULL;

	if (hubd_test_run_command(argv, NULL, NULL, &out, NULL) != 0) {
		g_free(out);
		return NULL;
	}
	return out;
}

static gint
storage_test(const gchar *name, gchar **err)
{
	const gchar *argv[] = {"storage", "test", name, NULL};
	return hubd_test_run_hubctl(argv, NULL, NULL, err);
}

/* Added, it works (s3rver checks the signature made with the keyring's
 * secret), survives a restart, and is removed with its secret. */
static void
test_add_remove(Fixture *f, gconstpointer data)
{
	g_autofree gchar *conf = NULL;
	g_autofree gchar *secret = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *log = NULL;
	g_autoptr(GKeyFile) file = g_key_file_new();
	g_auto(GStrv) keys = NULL;

	g_assert_cmpint(storage_add(f, "bucket", HUBD_TEST_S3_SECRET, NULL), ==, 0);
	g_assert_cmpint(storage_add(f, "wrongkey", WRONG_SECRET, NULL), ==, 0);
	/* hubd.conf: the groups as one writes them by hand, the comment kept,
	 * no secret */
	conf = read_conf(f);
	g_assert_true(g_str_has_prefix(conf, "# written by hand, kept by hubd\n"));
	g_assert_null(strstr(conf, WRONG_SECRET));
	g_assert_null(strstr(conf, "secret"));
	g_assert_true(g_key_file_load_from_data(file, conf, -1, G_KEY_FILE_NONE, NULL));
	keys = g_key_file_get_keys(file, "storage.bucket", NULL, NULL);
	g_assert_cmpuint(g_strv_length(keys), ==, 3);
	{
		const gchar *want[][2] = {
			{"url", "s3://" HUBD_TEST_S3_BUCKET "/admin-bucket"},
			{"access-key-id", HUBD_TEST_S3_KEY_ID},
			{"endpoint", hubd_test_s3_server_get_endpoint(f->server)},
		};
		for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
			g_autofree gchar *value =
				g_key_file_get_value(file, "storage.bucket", want[i][0], NULL);
			g_assert_cmpstr(value, ==, want[i][1]);
		}
	}
	/* the secrets: in the keyring, under the plugin's attributes */
	secret = keyring_lookup("bucket");
	g_assert_cmpstr(secret, ==, HUBD_TEST_S3_SECRET);
	g_clear_pointer(&secret, g_free);
	secret = keyring_lookup("wrongkey");
	g_assert_cmpstr(secret, ==, WRONG_SECRET);
	g_clear_pointer(&secret, g_free);

	/* after a restart, from hubd.conf and the keyring alone */
	daemon_stop(f);
	daemon_start(f);
	g_assert_cmpint(storage_test("bucket", NULL), ==, 0);
	/* the secret stored is the one used: s3rver refuses the wrong one */
	g_assert_cmpint(storage_test("wrongkey", &err), ==, 1);
	g_assert_nonnull(strstr(err, "secret access key is wrong"));
	g_clear_pointer(&err, g_free);

	{
		const gchar *argv[] = {"storage", "remove", "bucket", NULL};
		g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, NULL, NULL), ==, 0);
	}
	g_clear_pointer(&conf, g_free);
	conf = read_conf(f);
	g_assert_null(strstr(conf, "[storage.bucket]"));
	g_assert_nonnull(strstr(conf, "[storage.wrongkey]"));
	g_assert_nonnull(strstr(conf, "[storage.folder]"));
	g_assert_null(keyring_lookup("bucket"));
	g_assert_cmpint(storage_test("bucket", &err), ==, 1);
	g_assert_nonnull(strstr(err, "not configured"));

	log = hubd_test_daemon_read_log(f->daemon);
	g_assert_null(strstr(log, WRONG_SECRET));
}

/* Bad input: typed errors worded for a person; hubd.conf and the keyring
 * unchanged. */
static void
test_refused(Fixture *f, gconstpointer data)
{
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;
	g_autofree gchar *err = NULL;
	struct {
		const gchar *name;
		const gchar *url;
		const gchar *option;
		const gchar *value;
		const gchar *error;
		const gchar *says;
	} cases[] = {
		{"folder",
		 "s3://" HUBD_TEST_S3_BUCKET,
		 "credentials",
		 "env",
		 ERR "Conflict",
		 "exists already"},
		{"bad",
		 "s3://Not_A_Bucket/x",
		 "credentials",
		 "env",
		 ERR "InvalidArgument",
		 "is not an s3:// URL of a bucket"},
		{"bad",
		 "s3://" HUBD_TEST_S3_BUCKET,
		 "endpoint",
		 "ftp://x",
		 ERR "InvalidArgument",
		 "is not an http:// or https:// URL"},
		{"bad",
		 "s3://" HUBD_TEST_S3_BUCKET,
		 "colour",
		 "blue",
		 ERR "InvalidArgument",
		 "Unknown option “colour”"},
		{"bad",
		 "s3://" HUBD_TEST_S3_BUCKET,
		 "ca_bundle",
		 "ca.pem",
		 ERR "InvalidArgument",
		 "ca-bundle must be the absolute path of a PEM file"},
		/* a setting of file://, not of s3:// */
		{"bad",
		 "s3://" HUBD_TEST_S3_BUCKET,
		 "fsync",
		 "true",
		 ERR "InvalidArgument",
		 "has no option “fsync”"},
		{"a.b",
		 "s3://" HUBD_TEST_S3_BUCKET,
		 "credentials",
		 "env",
		 ERR "InvalidArgument",
		 "not a valid storage backend name"},
		{"bad", "gopher://x", "credentials", "env", ERR "InvalidArgument", "gopher"},
		/* a secret for a backend that reads the environment */
		{"bad",
		 "s3://" HUBD_TEST_S3_BUCKET,
		 "secret_access_key",
		 WRONG_SECRET,
		 ERR "InvalidArgument",
		 "no secret to store"},
	};

	g_assert_cmpint(storage_add(f, "dup", HUBD_TEST_S3_SECRET, NULL), ==, 0);
	before = read_conf(f);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
		g_autoptr(GVariant) reply = NULL;

		g_variant_builder_add(&options,
				      "{sv}",
				      cases[i].option,
				      g_variant_new_string(cases[i].value));
		if (g_strcmp0(cases[i].option, "secret_access_key") == 0)
			g_variant_builder_add(&options,
					      "{sv}",
					      "credentials",
					      g_variant_new_string("env"));
		reply = call(f,
			     "AddBackend",
			     g_variant_new("(ss@a{sv})",
					   cases[i].name,
					   cases[i].url,
					   g_variant_builder_end(&options)),
			     &error);
		g_assert_null(reply);
		hubd_test_assert_remote_error(error, cases[i].error);
		if (strstr(error->message, cases[i].says) == NULL)
			g_error("case %u: “%s” does not say “%s”",
				i,
				error->message,
				cases[i].says);
		g_assert_null(strstr(error->message, WRONG_SECRET));
	}
	/* the same through hubctl: a duplicate, and a usage error */
	g_assert_cmpint(storage_add(f, "dup", HUBD_TEST_S3_SECRET, &err), ==, 1);
	g_assert_nonnull(strstr(err, "“dup” exists already"));
	g_clear_pointer(&err, g_free);
	{
		const gchar *argv[] = {"storage", "add", "x", "s3://b-b-b", "--secret-stdin", NULL};
		g_assert_cmpint(hubd_test_run_hubctl(argv, "s\n", NULL, &err), ==, 64);
		g_assert_nonnull(strstr(err, "--access-key-id"));
		g_clear_pointer(&err, g_free);
	}
	/* remove: unknown, the mirror, given on the command line only */
	{
		const gchar *argv[] = {"storage", "remove", "nosuch", NULL};
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) reply =
			call(f,
			     "RemoveBackend",
			     g_variant_new("(s@a{sv})", "nosuch", g_variant_new("a{sv}", NULL)),
			     &error);
		g_assert_null(reply);
		hubd_test_assert_remote_error(error, ERR "EntryNotFound");
		g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, NULL, &err), !=, 0);
		g_assert_nonnull(strstr(err, "no storage backend named “nosuch”"));
		g_clear_pointer(&err, g_free);
	}
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) reply =
			call(f,
			     "RemoveBackend",
			     g_variant_new("(s@a{sv})", "folder", g_variant_new("a{sv}", NULL)),
			     &error);
		g_assert_null(reply);
		hubd_test_assert_remote_error(error, ERR "InvalidArgument");
		g_assert_nonnull(strstr(error->message, "[storage] mirror"));
	}
	after = read_conf(f);
	g_assert_cmpstr(before, ==, after);
}

/* --ca-bundle is a path as hubctl's user means it: hubd.conf gets it
 * absolute (hubd runs in another folder). */
static void
test_ca_bundle_path(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = g_strdup_printf("s3://%s/admin-ca", HUBD_TEST_S3_BUCKET);
	g_autofree gchar *cwd = g_get_current_dir();
	g_autofree gchar *want = g_strdup_printf("ca-bundle=%s/certs/ca.pem\n", cwd);
	const gchar *argv[] = {"storage",
			       "add",
			       "private",
			       url,
			       "--endpoint",
			       hubd_test_s3_server_get_endpoint(f->server),
			       "--aws-env",
			       "--ca-bundle",
			       "certs/ca.pem",
			       NULL};
	g_autofree gchar *conf = NULL;

	g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, NULL, NULL), ==, 0);
	conf = read_conf(f);
	g_assert_nonnull(strstr(conf, want));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/s3/admin/add-remove",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_add_remove,
		   fixture_teardown);
	g_test_add("/s3/admin/ca-bundle-path",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_ca_bundle_path,
		   fixture_teardown);
	g_test_add("/s3/admin/refused",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_refused,
		   fixture_teardown);
	return g_test_run();
}
