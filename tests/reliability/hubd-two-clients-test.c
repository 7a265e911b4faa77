/* hubd-two-clients-test.c: hubd and the official JS client
 * (@huggingface/hub's downloadFileToCacheDir, which writes the same cache
 * layout as huggingface_hub) fetch one repo into one cache folder at the same
 * time, round after round.
 *
 * What users of both rely on: no torn file — every blob's name is the hash
 * of its bytes (SHA-256 for LFS, the git blob SHA-1 otherwise), every file
 * either client returns has the repo's bytes, and both finish. The rounds
 * are printed as a TAP comment; HUBD_TWO_CLIENTS_ROUNDS changes them. */
#define G_LOG_DOMAIN "HubdTwoClients"

#include <string.h>

#include "hubd-download-fixture.h"

#define N_FILES 6
/* the CDN slowed down so that the two clients overlap */
#define SLOW_LFS                                                                               \
	"{\"action\":\"slow\",\"path_regex\":\"^/lfs/\",\"chunk_size\":262144,\"delay_ms\":5," \
	"\"times\":0}"

static guint
rounds(void)
{
	const gchar *env = g_getenv("HUBD_TWO_CLIENTS_ROUNDS");

	return env != NULL ? (guint)g_ascii_strtoull(env, NULL, 10) : 8;
}

/* git's blob id: SHA-1 of "blob LEN\0" and the bytes */
static gchar *
git_blob_sha1(const gchar *data, gsize len)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA1);
	g_autofree gchar *header = g_strdup_printf("blob %" G_GSIZE_FORMAT, len);

	g_checksum_update(sum, (const guchar *)header, (gssize)strlen(header) + 1);
	g_checksum_update(sum, (const guchar *)data, (gssize)len);
	return g_strdup(g_checksum_get_string(sum));
}

/* every blob's name matches its bytes; returns how many were checked */
static guint
assert_blobs_whole(Fixture *f)
{
	g_autofree gchar *dir = cache_path(f, "blobs");
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;
	guint n = 0;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		g_autofree gchar *data = NULL;
		g_autofree gchar *sum = NULL;
		gsize len = 0;

		/* a client's own partial download, not a blob */
		if (strchr(name, '.') != NULL)
			continue;
		g_assert_true(g_file_get_contents(path, &data, &len, NULL));
		sum = strlen(name) == 64 ? g_compute_checksum_for_data(G_CHECKSUM_SHA256,
								       (const guchar *)data,
								       len)
					 : git_blob_sha1(data, len);
		if (g_strcmp0(sum, name) != 0)
			g_error("blob %s holds bytes whose hash is %s", name, sum);
		n++;
	}
	return n;
}

/* the JS client, started now and left to run: its stdout is the report */
static GSubprocess *
start_js(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocessLauncher) launcher =
		g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE);
	g_autofree gchar *script =
		g_test_build_filename(G_TEST_DIST, "reliability", "js-cache-download.mjs", NULL);
	GSubprocess *proc = g_subprocess_launcher_spawn(launcher,
							&error,
							g_getenv("HUBD_TEST_NODE"),
							script,
							g_getenv("HUBD_TEST_CONFORMANCE_DIR"),
							f->hub->url,
							REPO,
							f->cache,
							NULL);

	g_assert_no_error(error);
	return proc;
}

static void
test_two_clients(Fixture *f, gconstpointer data)
{
	g_autoptr(GHashTable) want = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	guint n_rounds = rounds();
	guint blobs = 0;

	if (g_getenv("HUBD_TEST_NODE") == NULL || g_getenv("HUBD_TEST_CONFORMANCE_DIR") == NULL) {
		g_test_skip("node or the conformance packages are not there");
		return;
	}
	/* LFS files of 1 to 3 MiB and small regular ones, one commit each */
	for (guint i = 0; i < N_FILES; i++) {
		gsize size = i % 2 == 0 ? (i / 2 + 1) * 1024 * 1024 : 100 + i;
		g_autofree gchar *path = g_strdup_printf("shared/file-%u.bin", i);
		gchar *text = g_malloc(size + 1);

		for (gsize k = 0; k < size; k++)
			text[k] = (gchar)('A' + (k * 13 + i) % 26);
		text[size] = '\0';
		g_free(hubd_test_hub_commit_files(f->hub,
						  ALICE_WRITE,
						  "model",
						  REPO,
						  "main",
						  LFS_MIN,
						  path,
						  text,
						  NULL));
		g_hash_table_insert(want, g_steal_pointer(&path), text);
	}
	g_hash_table_insert(want, g_strdup("sub/dir/weights.bin"), g_strdup(f->weights));
	hubd_test_hub_add_fault(f->hub, SLOW_LFS);

	for (guint round = 0; round < n_rounds; round++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GSubprocess) js = NULL;
		g_autoptr(HubdTestJobResult) r = NULL;
		g_autoptr(JsonNode) report = NULL;
		g_autofree gchar *out = NULL;
		g_autofree gchar *job = NULL;
		g_autofree gchar *snapshot_dir = NULL;
		JsonObject *paths;
		GHashTableIter iter;
		gpointer key, value;

		hubd_test_rm_rf(f->cache);
		/* who starts first changes from round to round */
		if (round % 2 == 0)
			js = start_js(f);
		job = hubd_test_start_job(
			f->bus,
			"Snapshot",
			g_variant_new("(sss@a{sv})", "model", REPO, "main", opts(NULL)),
			NULL);
		if (js == NULL)
			js = start_js(f);
		r = hubd_test_job_wait(f->bus, job, JOB_MS);
		assert_ok(r);
		g_assert_true(g_subprocess_communicate_utf8(js, NULL, NULL, &out, NULL, &error));
		g_assert_no_error(error);
		g_assert_true(g_subprocess_get_if_exited(js));
		g_assert_cmpint(g_subprocess_get_exit_status(js), ==, 0);

		/* both clients' files have the repo's bytes */
		snapshot_dir = result_string(r, "path");
		report = hubd_test_parse_json(out);
		paths = json_node_get_object(report);
		g_hash_table_iter_init(&iter, want);
		while (g_hash_table_iter_next(&iter, &key, &value)) {
			g_autofree gchar *mine = g_build_filename(snapshot_dir, key, NULL);
			g_autofree gchar *ours = read_file(mine);
			g_autofree gchar *theirs =
				read_file(json_object_get_string_member(paths, key));

			g_assert_true(strcmp(ours, value) == 0);
			g_assert_true(strcmp(theirs, value) == 0);
		}
		blobs += assert_blobs_whole(f);
	}
	g_test_message("%u rounds of hubd and @huggingface/hub on one cache: every file right, "
		       "%u blobs checked against their names, no torn file",
		       n_rounds,
		       blobs);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/reliability/two-clients-one-cache",
		   Fixture,
		   FIXTURE(FIXTURE_DIRECT_DEFAULT),
		   fixture_setup,
		   test_two_clients,
		   fixture_teardown);
	return g_test_run();
}
