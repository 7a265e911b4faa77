/* hubd-s3-test-server.h: the S3 server of the S3 plugin's tests (@20minutes/s3rver) */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Its one account, as s3rver hard-codes it. */
#define HUBD_TEST_S3_KEY_ID "S3RVER"
#define HUBD_TEST_S3_SECRET "S3RVER"
#define HUBD_TEST_S3_BUCKET "hubd-test"

typedef struct _HubdTestS3Server HubdTestS3Server;

/* Loads the S3 plugin (HUBD_TEST_S3_PLUGIN) for the whole run, as hubd does
 * (a type module is never freed), and puts s3rver's account in the
 * environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): for tests that
 * use the backend in their own process. */
void
hubd_test_s3_load_plugin(void);

/* Starts tests/s3/s3rver.cjs (HUBD_TEST_S3RVER) on 127.0.0.1 with its data
 * in a new folder and the bucket HUBD_TEST_S3_BUCKET. It stops when freed,
 * or with the test, whose end closes its standard input. */
HubdTestS3Server *
hubd_test_s3_server_start(void);
void
hubd_test_s3_server_free(HubdTestS3Server *server);
/* http://127.0.0.1:PORT */
const gchar *
hubd_test_s3_server_get_endpoint(HubdTestS3Server *server);
/* Where it keeps its data */
const gchar *
hubd_test_s3_server_get_directory(HubdTestS3Server *server);

/* How many lines of its request log start with `prefix`: "part " per part
 * uploaded, "complete " per multipart upload completed, "put KEY SIZE" per
 * object stored (either way), "abort " per upload aborted. */
guint
hubd_test_s3_server_count(HubdTestS3Server *server, const gchar *prefix);
/* The sum of the numbers that end its log's lines starting with `prefix`:
 * with "part ", the bytes of every part uploaded. */
guint64
hubd_test_s3_server_sum(HubdTestS3Server *server, const gchar *prefix);
/* `aws s3 cp s3://BUCKET/KEY -` (Debian's awscli): the object's bytes as a
 * reader of the bucket gets them, NUL-terminated, their count in `len`
 * (may be NULL); fails the test if awscli does. */
gchar *
hubd_test_s3_server_get_object(HubdTestS3Server *server, const gchar *key, gsize *len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdTestS3Server, hubd_test_s3_server_free)

G_END_DECLS
