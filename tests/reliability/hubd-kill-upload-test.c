/* hubd-kill-upload-test.c: hubd killed with SIGKILL at random points of an
 * LFS upload, basic (one PUT) and multipart (the local Hub with small
 * parts), its upload slowed by the Hub's `slow` fault so kills land
 * mid-transfer. An upload job does not survive its daemon: after each kill
 * the daemon is restarted and the upload issued again, as a user retries.
 *
 * Nothing partial may be visible on the Hub's side: every LFS object in its
 * store has the size and SHA-256 its name says, and the branch either lacks
 * the file or has it with the whole file's oid and size. Bytes moved are
 * what the Hub's upload targets received (its request log), as a multiple
 * of the payload. HUBD_KILL_ROUNDS / HUBD_KILL_SEED as the other campaigns. */
#define G_LOG_DOMAIN "HubdKillCampaign"

#include <string.h>

#include "hubd-kill-common.h"
#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-test-job.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define REPO        "alice/up"
#define SIZE        (4 * 1024 * 1024)
#define JOB_MS      60000
/* the upload targets take about 6 MB/s: a kill lands anywhere in 0.7 s */
#define SLOW_UPLOAD                                                                                \
	"{\"method\":\"PUT\",\"origin\":\"cdn\",\"path_regex\":\"^/upload/\",\"action\":\"slow\"," \
	"\"chunk_size\":65536,\"delay_ms\":10,\"times\":0}"

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
	gchar *tmp;
} Fixture;

static void
daemon_start(Fixture *f)
{
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, NULL};
	const gchar *args[] = {"--endpoint", f->hub->url, "--set", "http.retry-base-ms=50", NULL};

	f->daemon = hubd_test_daemon_start(args, env);
	f->bus = hubd_test_session_bus();
}

/* data: the Hub's --lfs-chunk-size ("0": basic uploads only) */
static void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *hub_args[] = {"--lfs-chunk-size", data, NULL};

	f->tmp = g_dir_make_tmp("hubd-kill-upload-XXXXXX", NULL);
	f->hub = hubd_test_hub_start(hub_args);
	hubd_test_hub_create_repo(f->hub, ALICE_WRITE, "{\"name\":\"up\",\"type\":\"model\"}");
	/* a card with a licence, which hubd's policy asks of a model repo */
	g_free(hubd_test_hub_commit_files(f->hub,
					  ALICE_WRITE,
					  "model",
					  REPO,
					  "main",
					  0,
					  "README.md",
					  "---\nlicense: mit\n---\n# Up\n",
					  NULL));
	daemon_start(f);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	if (f->daemon != NULL)
		hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->tmp);
	g_free(f->tmp);
}

/* a new file each round (a stored object would not be sent again);
 * returns its SHA-256 */
static gchar *
random_file(const gchar *path, GRand *rand)
{
	g_autofree guint8 *data = g_malloc(SIZE);
	g_autoptr(GError) error = NULL;

	for (gsize i = 0; i < SIZE; i += 4) {
		guint32 v = g_rand_int(rand);

		memcpy(data + i, &v, 4);
	}
	data[0] = 0; /* binary: LFS */
	g_file_set_contents(path, (const gchar *)data, SIZE, &error);
	g_assert_no_error(error);
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, SIZE);
}

static gchar *
start_upload(Fixture *f, const gchar *local, const gchar *path)
{
	return hubd_test_start_job(
		f->bus,
		"Upload",
		g_variant_new_parsed("('model', %s, '', [(%s, %s)], @a{sv} {})", REPO, local, path),
		NULL);
}

/* every LFS object the Hub stores is whole: its size and SHA-256 are the
 * ones its name and the upload announced */
static guint
bad_objects(Fixture *f)
{
	g_autofree gchar *dir = g_build_filename(f->hub->root, "objects", "lfs", NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;
	guint bad = 0;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		g_autofree gchar *data = NULL;
		g_autofree gchar *sha = NULL;
		gsize len = 0;

		g_assert_true(g_file_get_contents(path, &data, &len, NULL));
		sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
		if (len != SIZE || strcmp(sha, name) != 0)
			bad++;
	}
	return bad;
}

/* the branch has `path` with this oid and size: 1; lacks it: 0; has
 * something else: -1 */
static gint
on_branch(Fixture *f, const gchar *path, const gchar *sha)
{
	g_autoptr(JsonNode) root =
		hubd_test_hub_get_json(f->hub,
				       ALICE_WRITE,
				       "/api/models/" REPO "/tree/main?recursive=true");
	JsonArray *entries = json_node_get_array(root);

	for (guint i = 0; i < json_array_get_length(entries); i++) {
		JsonObject *e = json_array_get_object_element(entries, i);
		JsonObject *lfs;

		if (g_strcmp0(json_object_get_string_member(e, "path"), path) != 0)
			continue;
		lfs = json_object_has_member(e, "lfs") ? json_object_get_object_member(e, "lfs")
						       : NULL;
		return lfs != NULL &&
				       g_strcmp0(json_object_get_string_member(lfs, "oid"), sha) ==
					       0 &&
				       json_object_get_int_member(lfs, "size") == SIZE
			       ? 1
			       : -1;
	}
	return 0;
}

/* the bytes the Hub's upload targets received since the log was cleared;
 * a PUT cut off by the kill is logged when the server sees it gone */
static guint64
bytes_received(Fixture *f)
{
	g_autoptr(JsonNode) log = NULL;
	JsonArray *entries;
	guint64 total = 0;

	g_usleep(200 * 1000);
	log = hubd_test_hub_admin(f->hub, "GET", "/_testhub/requests", NULL);
	entries = json_node_get_array(log);
	for (guint i = 0; i < json_array_get_length(entries); i++) {
		JsonObject *e = json_array_get_object_element(entries, i);

		if (g_strcmp0(json_object_get_string_member(e, "method"), "PUT") == 0 &&
		    g_str_has_prefix(json_object_get_string_member(e, "path"), "/upload/"))
			total += (guint64)json_object_get_int_member_with_default(e,
										  "bytes_received",
										  0);
	}
	return total;
}

static void
campaign(Fixture *f, const gchar *what)
{
	g_autoptr(GRand) rand = kill_rand();
	Figures fig = {kill_rounds(), 0, 0, 0, 0};

	for (guint round = 0; round < fig.rounds; round++) {
		g_autofree gchar *name = g_strdup_printf("file-%02u.bin", round);
		g_autofree gchar *local = g_build_filename(f->tmp, name, NULL);
		g_autofree gchar *sha = random_file(local, rand);
		g_autofree gchar *job = NULL;
		g_autoptr(HubdTestJobResult) r = NULL;
		gint state;

		hubd_test_hub_clear_requests(f->hub);
		hubd_test_hub_add_fault(f->hub, SLOW_UPLOAD);
		g_free(start_upload(f, local, name));
		g_usleep((gulong)g_rand_int_range(rand, 0, 900) * 1000);
		hubd_test_daemon_kill(f->daemon);
		f->daemon = NULL;
		g_clear_object(&f->bus);
		if (bad_objects(f) > 0 || on_branch(f, name, sha) < 0)
			fig.partial_seen++;

		/* the user's retry, on a restarted daemon */
		hubd_test_hub_clear_faults(f->hub);
		daemon_start(f);
		job = start_upload(f, local, name);
		r = hubd_test_job_wait(f->bus, job, JOB_MS);
		state = on_branch(f, name, sha);
		if (r->ok && state == 1 && bad_objects(f) == 0)
			fig.completed++;
		else
			g_test_message("round %u: %s %s, on the branch: %d",
				       round,
				       r->error_name,
				       r->message,
				       state);
		fig.payload += SIZE;
		fig.moved += bytes_received(f);
	}
	kill_report(what, &fig);
}

static void
test_basic(Fixture *f, gconstpointer data)
{
	campaign(f, "LFS upload of 4 MiB, one PUT");
}

static void
test_multipart(Fixture *f, gconstpointer data)
{
	campaign(f, "LFS upload of 4 MiB, multipart in 1 MiB parts");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/reliability/kill/upload-basic",
		   Fixture,
		   "0",
		   fixture_setup,
		   test_basic,
		   fixture_teardown);
	g_test_add("/reliability/kill/upload-multipart",
		   Fixture,
		   "1048576",
		   fixture_setup,
		   test_multipart,
		   fixture_teardown);
	return g_test_run();
}
