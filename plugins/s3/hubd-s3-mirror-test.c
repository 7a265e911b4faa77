/* hubd-s3-mirror-test.c: Storage.Mirror and `hubctl mirror` with a real hubd, the local Hub
 * and s3rver: what hubd mirrors, Debian's awscli downloads byte-identical (blobs, tree, ref),
 * and a second mirror puts nothing; a download reading that mirror through a connection that
 * cuts its body still gets every byte from the mirror */
#define G_LOG_DOMAIN "HubdS3MirrorTest"

#include "hubd-download-fixture.h"
#include "hubd-s3-test-proxy.h"
#include "hubd-s3-test-server.h"

#define FILES  6 /* alice/dl's files with its .gitattributes */
#define PREFIX "mir/pre/models/alice/dl/"

static HubdTestS3Server *server;

static void
setup(Fixture *f, gconstpointer data)
{
	fixture_setup_hub(f, data);
	f->daemon_args = g_new0(gchar *, 7);
	f->daemon_args[0] = g_strdup("--set");
	f->daemon_args[1] = g_strdup("storage.bk.url=s3://" HUBD_TEST_S3_BUCKET "/mir");
	f->daemon_args[2] = g_strdup("--set");
	f->daemon_args[3] =
		g_strdup_printf("storage.bk.endpoint=%s", hubd_test_s3_server_get_endpoint(server));
	f->daemon_args[4] = g_strdup("--set");
	/* the keys reach hubd by its environment (main), never argv */
	f->daemon_args[5] = g_strdup("storage.bk.credentials=env");
	daemon_start(f);
	f->bus = hubd_test_session_bus();
}

static gint
mirror(const gchar *const *extra, gchar **out, gchar **err)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	const gchar *base[] = {"mirror", REPO, "--to", "bk/pre", "--json"};

	for (guint i = 0; i < G_N_ELEMENTS(base); i++)
		g_ptr_array_add(argv, (gpointer)base[i]);
	for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)extra[i]);
	g_ptr_array_add(argv, NULL);
	return hubd_test_run_hubctl((const gchar *const *)argv->pdata, NULL, out, err);
}

static JsonObject *
mirror_ok(void)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(JsonNode) node = NULL;

	if (mirror(NULL, &out, &err) != 0)
		g_error("hubctl mirror failed: %s", err);
	node = hubd_test_parse_json(out);
	return json_object_ref(json_node_get_object(node));
}

static void
test_mirror(Fixture *f, gconstpointer data)
{
	g_autoptr(JsonObject) first = mirror_ok();
	g_autoptr(JsonObject) second = NULL;
	g_autoptr(JsonNode) tree = NULL;
	g_autofree gchar *ref = NULL;
	g_autofree gchar *tree_text = NULL;
	g_autofree gchar *tree_key = NULL;
	JsonArray *files;
	guint puts;

	g_assert_cmpstr(json_object_get_string_member(first, "commit"), ==, f->commit);
	g_assert_cmpint(json_object_get_int_member(first, "files"), ==, FILES);
	g_assert_cmpint(json_object_get_int_member(first, "uploaded"), ==, FILES);
	g_assert_cmpint(json_object_get_int_member(first, "skipped"), ==, 0);

	/* the ref names the commit, the tree its files; each blob's bytes are
	 * the file's, as awscli downloads them */
	ref = hubd_test_s3_server_get_object(server, PREFIX "refs/main", NULL);
	g_assert_cmpstr(ref, ==, f->commit);
	tree_key = g_strdup_printf(PREFIX "trees/%s.json", f->commit);
	tree_text = hubd_test_s3_server_get_object(server, tree_key, NULL);
	tree = hubd_test_parse_json(tree_text);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(tree), "commit"),
			==,
			f->commit);
	files = json_object_get_array_member(json_node_get_object(tree), "files");
	g_assert_cmpuint(json_array_get_length(files), ==, FILES);
	for (guint i = 0; i < FILES; i++) {
		JsonObject *file = json_array_get_object_element(files, i);
		const gchar *path = json_object_get_string_member(file, "path");
		const gchar *etag = json_object_get_string_member(file, "etag");
		g_autofree gchar *key = g_strdup_printf(PREFIX "blobs/%s", etag);
		g_autofree gchar *local = snapshot_file(f, f->commit, path);
		g_autofree gchar *want = read_file(local);
		gsize len = 0;
		g_autofree gchar *got = hubd_test_s3_server_get_object(server, key, &len);

		g_assert_cmpuint(len, ==, (gsize)json_object_get_int_member(file, "size"));
		g_assert_cmpstr(got, ==, want);
		if (g_strcmp0(path, "sub/dir/weights.bin") == 0) {
			g_autofree gchar *sha = lfs_sha(f->weights);
			g_assert_cmpstr(got, ==, f->weights);
			g_assert_cmpstr(etag, ==, sha);
		}
	}

	/* a second mirror: every blob is there, so none is put again (the
	 * tree and the ref are) */
	puts = hubd_test_s3_server_count(server, "put mir/pre/models/alice/dl/blobs/");
	g_assert_cmpuint(puts, ==, FILES);
	second = mirror_ok();
	g_assert_cmpint(json_object_get_int_member(second, "uploaded"), ==, 0);
	g_assert_cmpint(json_object_get_int_member(second, "skipped"), ==, FILES);
	g_assert_cmpuint(hubd_test_s3_server_count(server, "put mir/pre/models/alice/dl/blobs/"),
			 ==,
			 FILES);
}

/* A download with the mirror as [storage] mirror, read through the proxy,
 * which cuts the first answer of s3rver halfway: the backend asks for the
 * rest, and the file comes whole from the mirror, with no CDN GET. */
static void
test_download_cut(Fixture *f, gconstpointer data)
{
	g_autoptr(JsonObject) first = mirror_ok();
	g_autofree gchar *through = g_strdup_printf("storage.rd.endpoint=http://127.0.0.1:%u",
						    hubd_test_s3_proxy_port());
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *got = NULL;
	g_autofree gchar *lfs = lfs_url_regex(f->weights);
	const gchar *const settings[] = {"--set",
					 "storage.rd.url=s3://" HUBD_TEST_S3_BUCKET "/mir/pre",
					 "--set",
					 through,
					 "--set",
					 "storage.rd.credentials=env",
					 "--set",
					 "storage.mirror=rd",
					 NULL};

	/* the s3rver of every case: an earlier one may have put the blobs */
	g_assert_cmpint(json_object_get_int_member(first, "files"), ==, FILES);
	hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	g_strfreev(f->daemon_args);
	f->daemon_args = g_strdupv((gchar **)settings);
	daemon_start(f);
	f->bus = hubd_test_session_bus();
	/* the mirror run may have left the blob in the cache */
	{
		g_autofree gchar *repo = cache_path(f, "");
		const gchar *const rm[] = {"rm", "-rf", repo, NULL};
		g_assert_cmpint(hubd_test_run_command(rm, NULL, NULL, NULL, NULL), ==, 0);
	}
	hubd_test_hub_clear_requests(f->hub);
	hubd_test_s3_set_fault(FAULT_TRUNCATE_GET, 1);
	r = download(f, "", "sub/dir/weights.bin", NULL);
	g_assert_cmpint(hubd_test_s3_faults_made(), ==, 1);
	hubd_test_s3_set_fault(FAULT_NONE, 0);
	assert_ok(r);
	path = result_string(r, "path");
	got = read_file(path);
	g_assert_cmpstr(got, ==, f->weights);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", lfs, "cdn"), ==, 0);
}

/* Bad arguments, an unknown repo: a clear error, nothing put. */
static void
test_refused(Fixture *f, gconstpointer data)
{
	struct {
		const gchar *extra[5];
		const gchar *says;
	} cases[] = {
		{{"--to", "nosuch", NULL}, "nosuch"},
		{{"--type", "dataset", "--revision", "no-such-branch"}, NULL},
		{{"--to", "bk/../x", NULL}, "“../x” is not a valid storage prefix"},
	};
	guint before = hubd_test_s3_server_count(server, "put ");

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *err = NULL;
		g_assert_cmpint(mirror(cases[i].extra, NULL, &err), !=, 0);
		g_assert_cmpstr(err, !=, "");
		if (cases[i].says != NULL && strstr(err, cases[i].says) == NULL)
			g_error("case %u: “%s” does not name “%s”", i, err, cases[i].says);
	}
	g_assert_cmpuint(hubd_test_s3_server_count(server, "put "), ==, before);
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	g_setenv("AWS_ACCESS_KEY_ID", HUBD_TEST_S3_KEY_ID, TRUE);
	g_setenv("AWS_SECRET_ACCESS_KEY", HUBD_TEST_S3_SECRET, TRUE);
	server = hubd_test_s3_server_start();
	hubd_test_s3_proxy_start(server);
	g_test_add("/s3/mirror/awscli",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   setup,
		   test_mirror,
		   fixture_teardown);
	g_test_add("/s3/mirror/download-cut",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   setup,
		   test_download_cut,
		   fixture_teardown);
	g_test_add("/s3/mirror/refused",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   setup,
		   test_refused,
		   fixture_teardown);
	ret = g_test_run();
	hubd_test_s3_server_free(server);
	return ret;
}
