/* hubd-upload-roundtrip-test.c: what hubd uploads (UploadFolder over D-Bus),
 * the official JS client (@huggingface/hub, tests/conformance/node_modules)
 * downloads byte-identical — run through tests/conformance/roundtrip-download.mjs
 * against the local Hub (multipart LFS from 64 KiB). Skips only when node or
 * the npm packages are missing. */
#define G_LOG_DOMAIN "HubdUploadTest"

#include <glib/gstdio.h>

#include "hubd-upload-test-common.h"

#define REPO "alice/roundtrip"
/* nested, with a space and non-ASCII characters (UTF-8, NFC) */
#define ODD_PATH "sub dir/na\xc3\xafve caf\xc3\xa9.txt"

static const gchar *
node_path(void)
{
	return g_getenv("HUBD_TEST_NODE");
}

static const gchar *
conformance_dir(void)
{
	return g_getenv("HUBD_TEST_CONFORMANCE_DIR");
}

/* NULL when the round trip can run, else why not */
static gchar *
missing_tools(void)
{
	g_autofree gchar *pkg = NULL;

	if (node_path() == NULL || !g_file_test(node_path(), G_FILE_TEST_IS_EXECUTABLE))
		return g_strdup(
			"node is not installed (HUBD_TEST_NODE is unset or not executable)");
	if (conformance_dir() == NULL)
		return g_strdup("HUBD_TEST_CONFORMANCE_DIR is not set");
	pkg = g_build_filename(conformance_dir(),
			       "node_modules",
			       "@huggingface",
			       "hub",
			       "package.json",
			       NULL);
	if (!g_file_test(pkg, G_FILE_TEST_EXISTS))
		return g_strdup("node_modules is missing: run `npm ci --prefix tests/conformance`");
	return NULL;
}

/* Writes the folder hubd uploads: FIXTURE_TMP/folder */
static void
write_folder(Fixture *f)
{
	fixture_write(f, "folder/hello.txt", "hello from hubd\n");
	fixture_write(
		f,
		"folder/README.md",
		"---\nlicense: apache-2.0\ntags:\n- roundtrip\n---\n# Round trip\n\nA card.\n");
	fixture_write(f, "folder/" ODD_PATH, "un fichier au nom \xc3\xa9trange\n");
	/* LFS by .gitattributes (*.bin), below the 64 KiB chunk: one basic PUT */
	fixture_random_file(f, "folder/weights.bin", 40 * 1024, 11);
	/* LFS (*.safetensors), 300 KiB in parts of 64 KiB: multipart */
	fixture_random_file(f, "folder/model.safetensors", 300 * 1024, 12);
}

/* Runs roundtrip-download.mjs on every file of the folder; returns its exit
 * status, its stdout and stderr in *out / *err. */
static gint
run_roundtrip(Fixture *f, gchar **out, gchar **err)
{
	g_autofree gchar *script =
		g_build_filename(conformance_dir(), "roundtrip-download.mjs", NULL);
	g_autofree gchar *dir = g_build_filename(f->tmp, "folder", NULL);
	g_autofree gchar *hello = g_build_filename(dir, "hello.txt", NULL);
	g_autofree gchar *readme = g_build_filename(dir, "README.md", NULL);
	g_autofree gchar *odd = g_build_filename(dir, ODD_PATH, NULL);
	g_autofree gchar *bin = g_build_filename(dir, "weights.bin", NULL);
	g_autofree gchar *st = g_build_filename(dir, "model.safetensors", NULL);
	/* the token through the environment, never argv */
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, "NODE_NO_WARNINGS=1", NULL};
	const gchar *argv[] = {node_path(), script,        "--hub-url",
			       f->hub->url, "--repo-type", "model",
			       "--repo",    REPO,          "--revision",
			       "main",      "--file",      "hello.txt",
			       hello,       "--file",      "README.md",
			       readme,      "--file",      ODD_PATH,
			       odd,         "--lfs",       "weights.bin",
			       bin,         "--lfs",       "model.safetensors",
			       st,          NULL};

	return hubd_test_run_command(argv, env, NULL, out, err);
}

static void
upload_the_folder(Fixture *f)
{
	g_autofree gchar *dir = g_build_filename(f->tmp, "folder", NULL);
	g_autoptr(HubdTestJobResult) r = NULL;

	create_repo(f, REPO);
	write_folder(f);
	hubd_test_hub_clear_requests(f->hub);
	r = upload_folder(f, REPO, dir, "", "{}");
	assert_job_ok(r);
	/* the LFS paths were really taken: one basic PUT, five parts + complete */
	g_assert_cmpuint(log_count(f, "POST", "/info/lfs/objects/batch$", "hub", 1), ==, 1);
	g_assert_cmpuint(log_count(f, "PUT", "^/upload/", "cdn", -1), ==, 1 + 5);
	g_assert_cmpuint(log_count(f, "POST", "^/_lfs/complete/", "hub", -1), ==, 1);
}

static void
test_roundtrip(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint status;

	upload_the_folder(f);
	status = run_roundtrip(f, &out, &err);
	if (status != 0)
		g_error("roundtrip-download.mjs exited %d\nstdout:\n%s\nstderr:\n%s",
			status,
			out,
			err);
	/* every file was compared, not just the first */
	g_assert_nonnull(strstr(out, "ok " REPO "@main:hello.txt "));
	g_assert_nonnull(strstr(out, "ok " REPO "@main:README.md "));
	g_assert_nonnull(strstr(out, "ok " REPO "@main:" ODD_PATH " "));
	g_assert_nonnull(strstr(out, "ok " REPO "@main:weights.bin (40960 bytes, LFS)"));
	g_assert_nonnull(strstr(out, "ok " REPO "@main:model.safetensors (307200 bytes, LFS)"));
}

/* The check can fail: a local copy that differs from what was uploaded (one
 * byte flipped, same size) is reported and the script exits non-zero. */
static void
test_detects_difference(Fixture *f, gconstpointer data)
{
	g_autofree gchar *st = g_build_filename(f->tmp, "folder", "model.safetensors", NULL);
	g_autofree gchar *odd = g_build_filename(f->tmp, "folder", ODD_PATH, NULL);
	g_autofree gchar *bytes = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	gint status;

	upload_the_folder(f);
	g_assert_true(g_file_get_contents(st, &bytes, &len, NULL));
	bytes[200 * 1024] ^= 0x01; /* inside the fourth part */
	g_file_set_contents(st, bytes, (gssize)len, &error);
	g_assert_no_error(error);
	hubd_test_write_file(odd, "un fichier au nom \xc3\xa9trangE\n");

	status = run_roundtrip(f, &out, &err);
	g_assert_cmpint(status, ==, 1);
	g_assert_nonnull(strstr(err, "MISMATCH " REPO "@main:model.safetensors: downloaded"));
	g_assert_nonnull(strstr(err, "from byte 204800"));
	g_assert_nonnull(strstr(err, "MISMATCH " REPO "@main:" ODD_PATH ": blob oid"));
	/* the unchanged files still pass */
	g_assert_nonnull(strstr(out, "ok " REPO "@main:weights.bin "));
}

static void
test_skipped(void)
{
	g_autofree gchar *why = missing_tools();

	g_test_skip(why);
}

int
main(int argc, char **argv)
{
	g_autofree gchar *why = NULL;

	g_test_init(&argc, &argv, NULL);
	why = missing_tools();
	if (why != NULL) {
		g_test_add_func("/upload-roundtrip/js-client", test_skipped);
		return g_test_run();
	}
	fixture_add("/upload-roundtrip/js-client", test_roundtrip);
	fixture_add("/upload-roundtrip/detects-difference", test_detects_difference);
	return g_test_run();
}
