/* hubd-s3-config-test.c: what an s3:// URL and its options make of a request: path-style and
 * virtual-hosted URLs, the Host and canonical URI that get signed, AWS's default endpoint,
 * dotted buckets, and the part sizes that let 10,000 parts hold 5 TiB */
#include "hubd-error.h"
#include "hubd-s3-config.h"

static HubdS3Config *
parse(const gchar *url, const gchar *options)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) opts =
		options != NULL ? g_variant_ref_sink(g_variant_new_parsed(options)) : NULL;
	HubdS3Config *config = hubd_s3_config_parse("t", url, opts, &error);

	g_assert_no_error(error);
	return config;
}

static void
check_url(HubdS3Config *config,
	  const gchar *key,
	  const gchar *query,
	  const gchar *want_url,
	  const gchar *want_host,
	  const gchar *want_uri)
{
	g_autofree gchar *host = NULL;
	g_autofree gchar *uri = NULL;
	g_autofree gchar *url = hubd_s3_config_request_url(config, key, query, &host, &uri);

	g_assert_cmpstr(url, ==, want_url);
	g_assert_cmpstr(host, ==, want_host);
	g_assert_cmpstr(uri, ==, want_uri);
}

static void
test_path_style(void)
{
	g_autoptr(HubdS3Config) c = parse("s3://bucket/pre/fix/",
					  "{'endpoint': <'http://127.0.0.1:9000/base/'>, "
					  "'credentials': <'env'>}");
	g_autofree gchar *full = hubd_s3_config_full_key(c, "models/a b/é");

	g_assert_true(c->path_style);
	g_assert_cmpstr(full, ==, "pre/fix/models/a b/é");
	check_url(c,
		  full,
		  "",
		  "http://127.0.0.1:9000/base/bucket/pre/fix/models/a%20b/%C3%A9",
		  "127.0.0.1:9000",
		  "/base/bucket/pre/fix/models/a%20b/%C3%A9");
	/* a bucket request is /BUCKET, no trailing slash */
	check_url(c,
		  NULL,
		  "list-type=2",
		  "http://127.0.0.1:9000/base/bucket?list-type=2",
		  "127.0.0.1:9000",
		  "/base/bucket");
}

static void
test_virtual_hosted(void)
{
	g_autoptr(HubdS3Config) aws = parse("s3://bucket",
					    "{'region': <'eu-west-1'>, "
					    "'credentials': <'env'>}");
	g_autoptr(HubdS3Config) minio = parse("s3://bucket",
					      "{'endpoint': <'https://minio.example.org:443'>, "
					      "'addressing': <'virtual'>, 'credentials': <'env'>}");
	g_autoptr(HubdS3Config) dotted = parse("s3://my.bucket", "{'credentials': <'env'>}");

	/* AWS itself: its regional endpoint, virtual-hosted */
	g_assert_false(aws->path_style);
	check_url(aws,
		  "k",
		  "",
		  "https://bucket.s3.eu-west-1.amazonaws.com/k",
		  "bucket.s3.eu-west-1.amazonaws.com",
		  "/k");
	check_url(aws,
		  NULL,
		  "",
		  "https://bucket.s3.eu-west-1.amazonaws.com/",
		  "bucket.s3.eu-west-1.amazonaws.com",
		  "/");
	/* the scheme's port is not part of the Host */
	check_url(minio,
		  "k",
		  "",
		  "https://bucket.minio.example.org/k",
		  "bucket.minio.example.org",
		  "/k");
	/* a dot would break the wildcard certificate: path-style */
	g_assert_true(dotted->path_style);
	check_url(dotted,
		  "k",
		  "",
		  "https://s3.us-east-1.amazonaws.com/my.bucket/k",
		  "s3.us-east-1.amazonaws.com",
		  "/my.bucket/k");
}

static void
test_part_sizes(void)
{
	g_autoptr(HubdS3Config) c = parse("s3://bucket", "{'credentials': <'env'>}");
	guint64 total = 0;

	g_assert_cmpuint(hubd_s3_config_part_size(c, 1), ==, 8 * 1024 * 1024);
	g_assert_cmpuint(hubd_s3_config_part_size(c, 1000), ==, 8 * 1024 * 1024);
	g_assert_cmpuint(hubd_s3_config_part_size(c, 1001), ==, 16 * 1024 * 1024);
	for (guint n = 1; n <= 10000; n++) {
		g_assert_cmpuint(hubd_s3_config_part_size(c, n), <=, (guint64)5 << 30);
		total += hubd_s3_config_part_size(c, n);
	}
	/* 10,000 parts of unknown length hold more than S3's 5 TiB */
	g_assert_cmpuint(total, >, (guint64)5 << 40);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/s3/config/path-style", test_path_style);
	g_test_add_func("/s3/config/virtual-hosted", test_virtual_hosted);
	g_test_add_func("/s3/config/part-sizes", test_part_sizes);
	return g_test_run();
}
