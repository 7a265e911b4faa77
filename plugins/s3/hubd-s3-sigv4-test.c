/* hubd-s3-sigv4-test.c: the signer against AWS's published examples: the four S3 requests of
 * "Examples: Signature Calculations" (sig-v4-header-based-auth) and cases of the
 * aws-sig-v4-test-suite; each checks the canonical request, the string to sign and the
 * signature AWS printed */
#include "hubd-s3-sigv4.h"

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define S3_KEY_ID    "AKIAIOSFODNN7EXAMPLE"
#define S3_SECRET    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define S3_DATE      "20130524T000000Z"
#define SUITE_KEY_ID "AKIDEXAMPLE"
#define SUITE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_DATE   "20150830T123600Z"

typedef struct {
	const gchar *method;
	const gchar *path; /* raw, encoded here as S3 does */
	const gchar *query[8];
	const gchar *headers[16];
	const gchar *payload_hash;
	const gchar *service;
	const gchar *key_id;
	const gchar *secret;
	const gchar *date;
	const gchar *canonical; /* NULL: not printed by AWS */
	const gchar *string_to_sign;
	const gchar *authorization;
} Vector;

static void
check_vector(const Vector *v)
{
	g_autofree gchar *uri = hubd_s3_uri_encode(v->path, FALSE);
	g_autofree gchar *query = hubd_s3_sigv4_canonical_query(v->query);
	g_autofree gchar *signed_headers = NULL;
	g_autofree gchar *canonical = hubd_s3_sigv4_canonical_request(v->method,
								      uri,
								      query,
								      v->headers,
								      v->payload_hash,
								      &signed_headers);
	g_autofree gchar *scope = hubd_s3_sigv4_scope(v->date, "us-east-1", v->service);
	g_autofree gchar *to_sign = hubd_s3_sigv4_string_to_sign(v->date, scope, canonical);
	g_autofree gchar *authorization = hubd_s3_sigv4_authorization(v->key_id,
								      v->secret,
								      v->date,
								      "us-east-1",
								      v->service,
								      canonical,
								      signed_headers);

	if (v->canonical != NULL)
		g_assert_cmpstr(canonical, ==, v->canonical);
	g_assert_cmpstr(to_sign, ==, v->string_to_sign);
	g_assert_cmpstr(authorization, ==, v->authorization);
}

static void
test_s3_get_object(void)
{
	const Vector v = {
		"GET",
		"/test.txt",
		{NULL},
		{"Host",
		 "examplebucket.s3.amazonaws.com",
		 "Range",
		 "bytes=0-9",
		 "x-amz-content-sha256",
		 EMPTY_SHA256,
		 "x-amz-date",
		 S3_DATE,
		 NULL},
		EMPTY_SHA256,
		"s3",
		S3_KEY_ID,
		S3_SECRET,
		S3_DATE,
		"GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
		"x-amz-content-sha256:" EMPTY_SHA256 "\nx-amz-date:20130524T000000Z\n\n"
		"host;range;x-amz-content-sha256;x-amz-date\n" EMPTY_SHA256,
		"AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
		"7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
		"AWS4-HMAC-SHA256 "
		"Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
		"SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
		"Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
	};
	check_vector(&v);
}

static void
test_s3_put_object(void)
{
	const gchar *payload = "Welcome to Amazon S3.";
	g_autofree gchar *hash = hubd_s3_sha256_hex((const guint8 *)payload, strlen(payload));
	const Vector v = {
		"PUT",
		"/test$file.text",
		{NULL},
		{"Date",
		 "Fri, 24 May 2013 00:00:00 GMT",
		 "Host",
		 "examplebucket.s3.amazonaws.com",
		 "x-amz-date",
		 S3_DATE,
		 "x-amz-storage-class",
		 "REDUCED_REDUNDANCY",
		 "x-amz-content-sha256",
		 "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
		 NULL},
		hash,
		"s3",
		S3_KEY_ID,
		S3_SECRET,
		S3_DATE,
		"PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\n"
		"host:examplebucket.s3.amazonaws.com\n"
		"x-amz-content-sha256:"
		"44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\n"
		"x-amz-date:20130524T000000Z\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n"
		"date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n"
		"44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
		"AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
		"9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
		"AWS4-HMAC-SHA256 "
		"Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
		"SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
		"Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
	};
	/* the payload hash AWS printed is that of the body */
	g_assert_cmpstr(hash,
			==,
			"44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
	check_vector(&v);
}

static void
test_s3_get_lifecycle(void)
{
	const Vector v = {
		"GET",
		"/",
		{"lifecycle", NULL},
		{"Host",
		 "examplebucket.s3.amazonaws.com",
		 "x-amz-date",
		 S3_DATE,
		 "x-amz-content-sha256",
		 EMPTY_SHA256,
		 NULL},
		EMPTY_SHA256,
		"s3",
		S3_KEY_ID,
		S3_SECRET,
		S3_DATE,
		"GET\n/\nlifecycle=\nhost:examplebucket.s3.amazonaws.com\n"
		"x-amz-content-sha256:" EMPTY_SHA256 "\nx-amz-date:20130524T000000Z\n\n"
		"host;x-amz-content-sha256;x-amz-date\n" EMPTY_SHA256,
		"AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
		"9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
		"AWS4-HMAC-SHA256 "
		"Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
		"SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
		"Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
	};
	check_vector(&v);
}

static void
test_s3_list_objects(void)
{
	const Vector v = {
		"GET",
		"/",
		/* given out of order: the canonical query sorts them */
		{"prefix", "J", "max-keys", "2", NULL},
		{"Host",
		 "examplebucket.s3.amazonaws.com",
		 "x-amz-date",
		 S3_DATE,
		 "x-amz-content-sha256",
		 EMPTY_SHA256,
		 NULL},
		EMPTY_SHA256,
		"s3",
		S3_KEY_ID,
		S3_SECRET,
		S3_DATE,
		"GET\n/\nmax-keys=2&prefix=J\nhost:examplebucket.s3.amazonaws.com\n"
		"x-amz-content-sha256:" EMPTY_SHA256 "\nx-amz-date:20130524T000000Z\n\n"
		"host;x-amz-content-sha256;x-amz-date\n" EMPTY_SHA256,
		"AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
		"df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
		"AWS4-HMAC-SHA256 "
		"Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
		"SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
		"Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
	};
	check_vector(&v);
}

/* aws-sig-v4-test-suite: get-vanilla */
static void
test_suite_get_vanilla(void)
{
	const Vector v = {
		"GET",
		"/",
		{NULL},
		{"Host", "example.amazonaws.com", "X-Amz-Date", SUITE_DATE, NULL},
		EMPTY_SHA256,
		"service",
		SUITE_KEY_ID,
		SUITE_SECRET,
		SUITE_DATE,
		"GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
		"host;x-amz-date\n" EMPTY_SHA256,
		"AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
		"bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
		"AWS4-HMAC-SHA256 "
		"Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
		"SignedHeaders=host;x-amz-date,"
		"Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
	};
	check_vector(&v);
}

/* aws-sig-v4-test-suite: get-vanilla-query-order-key-case */
static void
test_suite_query_order(void)
{
	const Vector v = {
		"GET",
		"/",
		{"Param2", "value2", "Param1", "value1", NULL},
		{"Host", "example.amazonaws.com", "X-Amz-Date", SUITE_DATE, NULL},
		EMPTY_SHA256,
		"service",
		SUITE_KEY_ID,
		SUITE_SECRET,
		SUITE_DATE,
		"GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
		"x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY_SHA256,
		"AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
		"816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
		"AWS4-HMAC-SHA256 "
		"Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
		"SignedHeaders=host;x-amz-date,"
		"Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
	};
	check_vector(&v);
}

/* UriEncode as S3 wants it: unreserved characters kept, UTF-8 bytes and
 * reserved ones as uppercase %XY, slashes kept in paths only. */
static void
test_uri_encode(void)
{
	g_autofree gchar *path = hubd_s3_uri_encode("models/a b/é+~_.-x", FALSE);
	g_autofree gchar *value = hubd_s3_uri_encode("a/b=c&d", TRUE);
	g_autofree gchar *query = NULL;
	const gchar *params[] =
		{"list-type", "2", "prefix", "a/b c", "continuation-token", "x+y=", NULL};

	g_assert_cmpstr(path, ==, "models/a%20b/%C3%A9%2B~_.-x");
	g_assert_cmpstr(value, ==, "a%2Fb%3Dc%26d");
	query = hubd_s3_sigv4_canonical_query(params);
	g_assert_cmpstr(query, ==, "continuation-token=x%2By%3D&list-type=2&prefix=a%2Fb%20c");
}

static void
test_amz_date(void)
{
	g_autoptr(GDateTime) time = g_date_time_new_utc(2013, 5, 24, 0, 0, 0);
	g_autofree gchar *text = hubd_s3_sigv4_amz_date(time);

	g_assert_cmpstr(text, ==, "20130524T000000Z");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/s3/sigv4/s3-examples/get-object", test_s3_get_object);
	g_test_add_func("/s3/sigv4/s3-examples/put-object", test_s3_put_object);
	g_test_add_func("/s3/sigv4/s3-examples/get-bucket-lifecycle", test_s3_get_lifecycle);
	g_test_add_func("/s3/sigv4/s3-examples/list-objects", test_s3_list_objects);
	g_test_add_func("/s3/sigv4/suite/get-vanilla", test_suite_get_vanilla);
	g_test_add_func("/s3/sigv4/suite/get-vanilla-query-order-key-case", test_suite_query_order);
	g_test_add_func("/s3/sigv4/uri-encode", test_uri_encode);
	g_test_add_func("/s3/sigv4/amz-date", test_amz_date);
	return g_test_run();
}
