/* hubd-policy-space-test.c: `[policy] require-space=true` — an upload to a
 * model passes only with a running Space linked to it, and the refusal names
 * what is missing */
#define G_LOG_DOMAIN "HubdPolicySpaceTest"

#include <gio/gio.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	gchar *dir;
	gchar *file;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *args[] = {"--endpoint", NULL, "--set", "policy.require-space=true", NULL};
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, NULL};
	g_autofree gchar *commit = NULL;

	f->hub = hubd_test_hub_start(NULL);
	args[1] = f->hub->url;
	hubd_test_hub_create_repo(f->hub, ALICE_WRITE, "{\"name\":\"model\",\"type\":\"model\"}");
	commit = hubd_test_hub_commit_files(f->hub,
					    ALICE_WRITE,
					    "model",
					    "alice/model",
					    "main",
					    0,
					    "README.md",
					    "---\nlicense: apache-2.0\n---\n# model\n",
					    NULL);
	f->daemon = hubd_test_daemon_start(args, env);
	f->dir = g_dir_make_tmp("hubd-policy-space-XXXXXX", NULL);
	f->file = g_build_filename(f->dir, "weights.bin", NULL);
	hubd_test_write_file(f->file, "weights\n");
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	hubd_test_daemon_stop(f->daemon);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->dir);
	g_free(f->dir);
	g_free(f->file);
}

static gint
upload(Fixture *f, gboolean no_policy, gchar **err)
{
	const gchar *argv[] = {"upload",
			       "alice/model",
			       f->file,
			       "weights.bin",
			       no_policy ? "--no-policy" : NULL,
			       NULL};

	return hubd_test_run_hubctl(argv, NULL, NULL, err);
}

static void
test_require_space(Fixture *f, gconstpointer data)
{
	g_autofree gchar *none = NULL;
	g_autofree gchar *building = NULL;
	g_autofree gchar *reply = NULL;
	g_autofree gchar *commit = NULL;
	g_autoptr(JsonNode) slow = NULL;
	g_autoptr(JsonNode) fast = NULL;

	/* no Space at all: refused, saying what to add; nothing committed */
	hubd_test_hub_clear_requests(f->hub);
	g_assert_cmpint(upload(f, FALSE, &none), ==, 1);
	g_assert_nonnull(strstr(none, "no Space lists it"));
	g_assert_nonnull(strstr(none, "models: [alice/model]"));
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "POST", "/commit/", NULL), ==, 0);

	/* a linked Space that is still building: refused, naming it and its stage */
	g_assert_cmpuint(
		hubd_test_hub_http(f->hub,
				   "POST",
				   "/api/repos/create",
				   ALICE_WRITE,
				   "{\"name\":\"demo\",\"type\":\"space\",\"sdk\":\"gradio\"}",
				   &reply),
		==,
		200);
	commit = hubd_test_hub_commit_files(f->hub,
					    ALICE_WRITE,
					    "space",
					    "alice/demo",
					    "main",
					    0,
					    "README.md",
					    "---\nsdk: gradio\nmodels:\n- alice/model\n---\n",
					    NULL);
	slow = hubd_test_hub_admin(f->hub,
				   "POST",
				   "/_testhub/spaces/alice/demo",
				   "{\"build_ms\": 60000}");
	g_assert_cmpint(upload(f, FALSE, &building), ==, 1);
	g_assert_nonnull(strstr(building, "alice/demo (BUILDING)"));

	/* --no-policy skips it */
	g_assert_cmpint(upload(f, TRUE, NULL), ==, 0);

	/* once the Space runs, the upload passes */
	fast = hubd_test_hub_admin(f->hub,
				   "POST",
				   "/_testhub/spaces/alice/demo",
				   "{\"build_ms\": 0}");
	g_usleep(200 * 1000);
	g_assert_cmpint(upload(f, FALSE, NULL), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/policy/require-space",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_require_space,
		   fixture_teardown);
	return g_test_run();
}
