/* hubd-storage-mirror-test.c: the mirror layout's keys (docs/storage.md) — what a
 * download reads and what the S3 mirror and sync will write must agree */
#define G_LOG_DOMAIN "HubdStorageTest"

#include "hubd-error.h"
#include "hubd-storage-mirror.h"

#define SHA256 "4d3ce487907df7c82875b924d841f0a3d576492e4d589b734abbd71d966151a8"
#define SHA1   "239886a08cdc9021462c93f5ae7d7d500253181c"

static void
test_blob_keys(void)
{
	const struct {
		const gchar *type;
		const gchar *repo_id;
		const gchar *etag;
		const gchar *key;
	} good[] = {
		{"model", "alice/demo", SHA256, "models/alice/demo/blobs/" SHA256},
		{"dataset", "acme/data.v2", SHA1, "datasets/acme/data.v2/blobs/" SHA1},
		{"space", "bob/my-app", SHA1, "spaces/bob/my-app/blobs/" SHA1},
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *key = hubd_storage_mirror_blob_key(good[i].type,
								     good[i].repo_id,
								     good[i].etag,
								     &error);
		g_assert_no_error(error);
		g_assert_cmpstr(key, ==, good[i].key);
	}
}

static void
test_blob_keys_refused(void)
{
	const struct {
		const gchar *type;
		const gchar *repo_id;
		const gchar *etag;
	} bad[] = {
		{"models", "alice/demo", SHA256}, /* the plural is the folder */
		{NULL, "alice/demo", SHA256},
		{"model", "gpt2", SHA256}, /* no namespace */
		{"model", "/demo", SHA256},
		{"model", "alice/", SHA256},
		{"model", "a/b/c", SHA256},
		{"model", "alice/..", SHA256}, /* the key rules */
		{"model", "../demo", SHA256},
		{"model", NULL, SHA256},
		{"model", "alice/demo", SHA256 "0"}, /* neither sha256 nor sha1 */
		{"model", "alice/demo", "abc"},
		{"model",
		 "alice/demo",
		 "4D3CE487907DF7C82875B924D841F0A3D576492E4D589B734ABBD71D966151A8"},
		{"model", "alice/demo", "../../../../../../../../../../../../etc/passwd/x"},
		{"model", "alice/demo", NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *key = hubd_storage_mirror_blob_key(bad[i].type,
								     bad[i].repo_id,
								     bad[i].etag,
								     &error);
		g_test_message("%u: %s", i, error != NULL ? error->message : "(accepted)");
		g_assert_null(key);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/storage/mirror/blob-keys", test_blob_keys);
	g_test_add_func("/storage/mirror/blob-keys-refused", test_blob_keys_refused);
	return g_test_run();
}
