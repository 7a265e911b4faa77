/* hubd-hub-disk-full-test.c: the Hub's disk fills up mid-upload.
 *
 * hubd writes nothing of its own while it uploads: the disk that fills is
 * the Hub's. The local Hub keeps its store on a small tmpfs, and an LFS
 * upload bigger than the space left fails there as S3 fails a PUT it cannot
 * store (500 InternalError). What a user sees: hubd retries, then a typed
 * error that says what the Hub answered; no commit and no object on the
 * Hub; the Hub's temporary file gone, so its space is back; an upload that
 * fits works right afterwards. Needs root (CI runs as root) to mount the
 * tmpfs; skipped otherwise. */
#define G_LOG_DOMAIN "HubdDiskFull"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mount.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-test-job.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define REPO        "alice/full"
#define TMPFS_SIZE  (8 * 1024 * 1024)
#define BIG_SIZE    (12 * 1024 * 1024)
#define SMALL_SIZE  (1024 * 1024)
#define JOB_MS      60000

typedef struct {
	gchar *tmp;
	gchar *mount; /* the tmpfs; the Hub's root is a folder in it */
	gboolean mounted;
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	f->tmp = g_dir_make_tmp("hubd-hub-disk-full-XXXXXX", NULL);
	f->mount = g_build_filename(f->tmp, "hub-disk", NULL);
	g_assert_cmpint(g_mkdir(f->mount, 0700), ==, 0);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	if (f->daemon != NULL)
		hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
	if (f->mounted)
		g_assert_cmpint(umount(f->mount), ==, 0);
	hubd_test_rm_rf(f->tmp);
	g_free(f->mount);
	g_free(f->tmp);
}

static gchar *
write_random(Fixture *f, const gchar *name, gsize size)
{
	g_autofree guint8 *data = g_malloc(size);
	g_autofree gchar *path = g_build_filename(f->tmp, name, NULL);
	g_autoptr(GError) error = NULL;

	for (gsize i = 0; i < size; i += 4) {
		guint32 v = g_random_int();

		memcpy(data + i, &v, 4);
	}
	data[0] = 0; /* binary: LFS */
	g_file_set_contents(path, (const gchar *)data, (gssize)size, &error);
	g_assert_no_error(error);
	return g_steal_pointer(&path);
}

static HubdTestJobResult *
upload(Fixture *f, const gchar *local, const gchar *path)
{
	g_autofree gchar *job = hubd_test_start_job(
		f->bus,
		"Upload",
		g_variant_new_parsed("('model', %s, '', [(%s, %s)], @a{sv} {})", REPO, local, path),
		NULL);

	return hubd_test_job_wait(f->bus, job, JOB_MS);
}

/* the paths on the branch, one per line */
static gchar *
branch_paths(Fixture *f)
{
	g_autoptr(JsonNode) root =
		hubd_test_hub_get_json(f->hub,
				       ALICE_WRITE,
				       "/api/models/" REPO "/tree/main?recursive=true");
	g_autoptr(GString) paths = g_string_new(NULL);
	JsonArray *entries = json_node_get_array(root);

	for (guint i = 0; i < json_array_get_length(entries); i++) {
		JsonObject *e = json_array_get_object_element(entries, i);

		g_string_append_printf(paths, "%s\n", json_object_get_string_member(e, "path"));
	}
	return g_string_free(g_steal_pointer(&paths), FALSE);
}

static guint
n_entries(const gchar *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	guint n = 0;

	while (d != NULL && g_dir_read_name(d) != NULL)
		n++;
	return n;
}

static void
test_hub_disk_full(Fixture *f, gconstpointer data)
{
	g_autofree gchar *options = g_strdup_printf("size=%u,mode=0700", TMPFS_SIZE);
	g_autofree gchar *root = g_build_filename(f->mount, "root", NULL);
	g_autofree gchar *objects = NULL;
	g_autofree gchar *hub_tmp = NULL;
	g_autofree gchar *big = NULL;
	g_autofree gchar *small = NULL;
	g_autofree gchar *paths = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(HubdTestJobResult) ok = NULL;
	const gchar *hub_args[] = {"--root", root, "--lfs-chunk-size", "0", NULL};
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, NULL};
	const gchar *args[] = {"--endpoint", NULL, "--set", "http.retry-base-ms=50", NULL};
	guint64 before;
	guint attempts;

	if (mount("tmpfs", f->mount, "tmpfs", 0, options) != 0) {
		g_test_skip_printf("cannot mount a tmpfs (%s): needs root", g_strerror(errno));
		return;
	}
	f->mounted = TRUE;
	g_assert_cmpint(g_mkdir(root, 0700), ==, 0);
	f->hub = hubd_test_hub_start(hub_args);
	hubd_test_hub_create_repo(f->hub, ALICE_WRITE, "{\"name\":\"full\",\"type\":\"model\"}");
	/* a card with a licence, which hubd's policy asks of a model repo */
	g_free(hubd_test_hub_commit_files(f->hub,
					  ALICE_WRITE,
					  "model",
					  REPO,
					  "main",
					  0,
					  "README.md",
					  "---\nlicense: mit\n---\n# Full\n",
					  NULL));
	args[1] = f->hub->url;
	f->daemon = hubd_test_daemon_start(args, env);
	f->bus = hubd_test_session_bus();
	big = write_random(f, "big.bin", BIG_SIZE);
	small = write_random(f, "small.bin", SMALL_SIZE);
	before = hubd_test_free_bytes(f->mount);
	g_assert_cmpuint(before, <, BIG_SIZE);

	r = upload(f, big, "big.bin");
	g_assert_false(r->ok);
	g_assert_cmpstr(r->error_name, ==, "org.hubd.Hub1.Error.Server");
	g_assert_nonnull(strstr(r->message, "500"));
	g_assert_nonnull(strstr(r->message, "internal error"));
	/* S3 says to retry an InternalError: hubd did, then gave up */
	attempts = hubd_test_hub_count_requests(f->hub, "PUT", "^/upload/", "cdn");
	g_assert_cmpuint(attempts, >=, 2);
	g_test_message("disk full, the Hub's store on an 8 MiB tmpfs, a 12 MiB upload: "
		       "%u attempts, then %s: %s",
		       attempts,
		       r->error_name,
		       r->message);

	/* nothing on the Hub: no commit, no object, no temporary file */
	paths = branch_paths(f);
	g_assert_cmpstr(paths, ==, ".gitattributes\nREADME.md\n");
	objects = g_build_filename(root, "objects", "lfs", NULL);
	g_assert_cmpuint(n_entries(objects), ==, 0);
	hub_tmp = g_build_filename(root, "tmp", NULL);
	g_assert_cmpuint(n_entries(hub_tmp), ==, 0);
	g_assert_cmpuint(hubd_test_free_bytes(f->mount), >=, before - 64 * 1024);

	/* what fits goes up at once, with the same daemon */
	ok = upload(f, small, "small.bin");
	g_assert_true(ok->ok);
	g_free(paths);
	paths = branch_paths(f);
	g_assert_cmpstr(paths, ==, ".gitattributes\nREADME.md\nsmall.bin\n");
	g_assert_cmpuint(n_entries(objects), ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/reliability/disk-full/hub-upload",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_hub_disk_full,
		   fixture_teardown);
	return g_test_run();
}
