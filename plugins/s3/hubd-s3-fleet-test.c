/* hubd-s3-fleet-test.c: a fleet reading through one S3 mirror — three hubd instances with
 * separate caches take a snapshot of one model; the first fills the bucket with what the
 * Hub served ([storage] mirror-fill=true), the other two read it from there, and the local
 * Hub's CDN served each LFS file's bytes once */
#define G_LOG_DOMAIN "HubdS3FleetTest"

#include "hubd-download-fixture.h"
#include "hubd-s3-test-server.h"
#include "hubd-storage-conformance.h"

#define NODES 3
#define FILES 6 /* alice/dl's files with its .gitattributes, each its own blob */

static HubdTestS3Server *server;

typedef struct {
	HubdTestDaemon *daemon;
	GDBusConnection *connection;
	gchar *cache;
} Node;

static Node
node_start(Fixture *f, guint i)
{
	Node node = {0};
	g_autofree gchar *dir = g_strdup_printf("%s/node-%u", f->tmp, i);
	g_autofree gchar *socket = g_build_filename(dir, "hubd.sock", NULL);
	g_autofree gchar *cache_env = NULL;
	g_autofree gchar *endpoint = g_strdup_printf("storage.fleet.endpoint=%s",
						     hubd_test_s3_server_get_endpoint(server));
	const gchar *args[] = {"--no-bus",
			       "--socket",
			       socket,
			       "--endpoint",
			       f->hub->url,
			       "--set",
			       "storage.mirror=fleet",
			       "--set",
			       "storage.mirror-fill=true",
			       "--set",
			       "storage.fleet.url=s3://" HUBD_TEST_S3_BUCKET "/fleet",
			       "--set",
			       endpoint,
			       "--set",
			       "storage.fleet.credentials=env",
			       NULL};
	const gchar *env[4] = {"HF_TOKEN=" ALICE_WRITE, NULL, NULL, NULL};

	node.cache = g_build_filename(dir, "cache", NULL);
	cache_env = g_strdup_printf("HF_HUB_CACHE=%s", node.cache);
	env[1] = cache_env;
	/* the secret reaches hubd by its environment, never its argv */
	env[2] = "AWS_ACCESS_KEY_ID=" HUBD_TEST_S3_KEY_ID;
	g_setenv("AWS_SECRET_ACCESS_KEY", HUBD_TEST_S3_SECRET, TRUE);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	node.daemon = hubd_test_daemon_start(args, env);
	node.connection = hubd_test_connect_socket(socket);
	return node;
}

static void
node_stop(Node *node)
{
	g_clear_object(&node->connection);
	hubd_test_daemon_stop(node->daemon);
	g_free(node->cache);
}

/* The mirror as the test sees it: the same bucket and prefix. */
static HubdStorage *
mirror_open(void)
{
	g_autoptr(GError) error = NULL;
	HubdStorage *storage;

	/* the backend's settings of docs/s3.md, as hubd.conf gives them */
	storage =
		hubd_storage_new("fleet",
				 "s3://" HUBD_TEST_S3_BUCKET "/fleet",
				 g_variant_new_parsed("{'endpoint': <%s>, 'credentials': <'env'>}",
						      hubd_test_s3_server_get_endpoint(server)),
				 NULL,
				 &error);
	g_assert_no_error(error);
	return storage;
}

static gboolean
mirror_filled(gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) objects = hubd_storage_conformance_list_all(HUBD_STORAGE(user_data),
									 "models/alice/dl/blobs/",
									 0,
									 NULL,
									 &error);

	g_assert_no_error(error);
	return objects->len == FILES;
}

static void
test_fleet(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdStorage) mirror = mirror_open();
	g_autofree gchar *weights_re = lfs_url_regex(f->weights);
	g_autofree gchar *first_snapshot = NULL;
	Node nodes[NODES];

	hubd_test_hub_clear_requests(f->hub);
	for (guint i = 0; i < NODES; i++) {
		g_autoptr(HubdTestJobResult) r = NULL;
		g_autofree gchar *path = NULL;
		g_autofree gchar *weights = NULL;

		nodes[i] = node_start(f, i);
		f->bus = nodes[i].connection;
		r = snapshot(f, "main", NULL);
		f->bus = NULL;
		assert_ok(r);
		path = result_string(r, "path");
		g_assert_true(g_str_has_prefix(path, nodes[i].cache));
		weights = g_build_filename(path, "sub", "dir", "weights.bin", NULL);
		hubd_test_assert_file_equals(weights, f->weights);
		if (i == 0) {
			/* the first node's fill lands after its job: wait for it */
			if (!hubd_test_wait_for(mirror_filled, mirror, 30000)) {
				g_autofree gchar *log = hubd_test_daemon_read_log(nodes[0].daemon);
				g_error("the mirror was not filled; hubd's log:\n%s", log);
			}
		}
	}

	/* the CDN sent the LFS file once, the Hub each regular file once */
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", weights_re, "cdn"), ==, 1);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub,
						      "GET",
						      "^/" REPO "/resolve/[^/]+/README.md$",
						      "hub"),
			 ==,
			 1);
	/* every node asked the Hub what the commit holds (the listing, which
	 * only a reader of the repo gets) and for the LFS file's metadata:
	 * access stays the Hub's. A regular file needs no HEAD: the listing
	 * gave its blob id and size. */
	g_assert_cmpuint(
		hubd_test_hub_count_requests(f->hub, "GET", "^/api/models/" REPO "/tree/", "hub"),
		==,
		NODES);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub,
						      "HEAD",
						      "^/" REPO
						      "/resolve/[^/]+/sub/dir/weights.bin$",
						      "hub"),
			 ==,
			 NODES);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub,
						      "HEAD",
						      "^/" REPO "/resolve/[^/]+/README.md$",
						      "hub"),
			 ==,
			 0);
	for (guint i = 0; i < NODES; i++)
		node_stop(&nodes[i]);
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	/* the test reads the mirror with the plugin, as hubd does */
	hubd_test_s3_load_plugin();
	server = hubd_test_s3_server_start();
	g_test_add("/s3/fleet/read-through",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   fixture_setup_hub,
		   test_fleet,
		   fixture_teardown);
	ret = g_test_run();
	hubd_test_s3_server_free(server);
	return ret;
}
