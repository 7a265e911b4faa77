/* hubd-endpoints-cli-test.c: `hubctl endpoints …` against a real hubd with
 * the endpoints plugin, its API the local Hub's /v2 */
#define G_LOG_DOMAIN "HubdEndpointsCliTest"

#include <gio/gio.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define SECRET      "cli-ep-s3cr3t-1193"

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	gchar *dir;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autofree gchar *api = NULL;
	const gchar *args[] = {"--endpoint",
			       NULL,
			       "--set",
			       NULL,
			       "--set",
			       "endpoints.poll-interval-ms=100",
			       NULL};
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, "G_MESSAGES_DEBUG=all", NULL};

	f->hub = hubd_test_hub_start(NULL);
	api = g_strdup_printf("endpoints.api=%s/v2", f->hub->url);
	args[1] = f->hub->url;
	args[3] = api;
	f->daemon = hubd_test_daemon_start(args, env);
	f->dir = g_dir_make_tmp("hubd-ep-cli-XXXXXX", NULL);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

	g_assert_null(strstr(log, SECRET));
	hubd_test_daemon_stop(f->daemon);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->dir);
	g_free(f->dir);
}

static gint
hubctl(gchar **out, gchar **err, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	va_list ap;
	const gchar *a;

	va_start(ap, err);
	while ((a = va_arg(ap, const gchar *)) != NULL)
		g_ptr_array_add(argv, (gpointer)a);
	va_end(ap);
	g_ptr_array_add(argv, NULL);
	return hubd_test_run_hubctl((const gchar *const *)argv->pdata, NULL, out, err);
}

#define DEPLOY_FLAGS                                                                              \
	"--repo", "alice/model", "--framework", "pytorch", "--accelerator", "gpu",                \
		"--instance-size", "x1", "--instance-type", "nvidia-l4", "--region", "us-east-1", \
		"--vendor", "aws"

/* deploy (secrets from a file) → wait prints the URL → describe and list
 * show it running; the secret went to the API and nowhere else. */
static void
test_deploy_wait_describe(Fixture *f, gconstpointer data)
{
	g_autofree gchar *secrets = g_build_filename(f->dir, "secrets.env", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *desc = NULL;
	g_autofree gchar *json = NULL;
	g_autoptr(JsonObject) body = NULL;
	g_autoptr(JsonNode) list = NULL;
	JsonObject *model;

	hubd_test_write_file(secrets, "# for the model\nHF_TOKEN=\"" SECRET "\"\n");
	g_assert_cmpint(hubctl(&out,
			       NULL,
			       "endpoints",
			       "deploy",
			       "my-ep",
			       DEPLOY_FLAGS,
			       "--task",
			       "text-generation",
			       "-e",
			       "MAX_TOKENS=512",
			       "--secrets-file",
			       secrets,
			       "--min-replica",
			       "0",
			       "--scale-to-zero-timeout",
			       "15",
			       NULL),
			==,
			0);
	g_assert_cmpstr(out, ==, "");
	body = hubd_test_hub_last_body(f->hub, "POST", "^/v2/endpoint/alice$");
	model = json_object_get_object_member(body, "model");
	g_assert_cmpstr(
		json_object_get_string_member(json_object_get_object_member(model, "secrets"),
					      "HF_TOKEN"),
		==,
		SECRET);
	g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(model, "env"),
						      "MAX_TOKENS"),
			==,
			"512");
	g_assert_cmpint(
		json_object_get_int_member(json_object_get_object_member(
						   json_object_get_object_member(body, "compute"),
						   "scaling"),
					   "scaleToZeroTimeout"),
		==,
		15);
	g_assert_cmpint(hubctl(&url, NULL, "endpoints", "wait", "my-ep", "--timeout", "20", NULL),
			==,
			0);
	g_assert_true(g_str_has_suffix(url, "/_endpoints/alice/my-ep\n"));
	g_assert_cmpint(hubctl(&desc, NULL, "endpoints", "describe", "my-ep", NULL), ==, 0);
	g_assert_nonnull(strstr(desc, "state: running\n"));
	g_assert_null(strstr(desc, SECRET));
	g_assert_cmpint(hubctl(&json, NULL, "endpoints", "list", "--json", NULL), ==, 0);
	list = hubd_test_parse_json(json);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(list)), ==, 1);
	g_assert_null(strstr(json, SECRET));
}

/* Usage errors (64, nothing sent), a secret on the command line refused,
 * the API's refusal (1), pause/resume/scale-to-zero/delete, hardware. */
static void
test_errors_and_actions(Fixture *f, gconstpointer data)
{
	g_autofree gchar *err = NULL;
	g_autofree gchar *err2 = NULL;
	g_autofree gchar *hw = NULL;
	g_autofree gchar *state = NULL;
	g_autoptr(JsonNode) node = NULL;

	hubd_test_hub_clear_requests(f->hub);
	g_assert_cmpint(
		hubctl(NULL, &err, "endpoints", "deploy", "x1", "--repo", "alice/model", NULL),
		==,
		64);
	g_assert_nonnull(strstr(err, "--framework is required"));
	g_assert_cmpint(hubctl(NULL,
			       NULL,
			       "endpoints",
			       "deploy",
			       "x1",
			       DEPLOY_FLAGS,
			       "-s",
			       "HF_TOKEN=" SECRET,
			       NULL),
			==,
			64);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, NULL, "^/v2/", NULL), ==, 0);

	g_assert_cmpint(hubctl(NULL, NULL, "endpoints", "deploy", "ep2", DEPLOY_FLAGS, NULL),
			==,
			0);
	g_assert_cmpint(hubctl(NULL, &err2, "endpoints", "deploy", "ep2", DEPLOY_FLAGS, NULL),
			==,
			1);
	g_assert_nonnull(strstr(err2, "exists"));
	g_assert_cmpint(hubctl(NULL, NULL, "endpoints", "pause", "ep2", NULL), ==, 0);
	g_assert_cmpint(hubctl(NULL, NULL, "endpoints", "scale-to-zero", "ep2", NULL), ==, 0);
	g_assert_cmpint(hubctl(&state, NULL, "endpoints", "resume", "ep2", "--json", NULL), ==, 0);
	node = hubd_test_parse_json(state);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node), "state"),
			==,
			"pending");
	g_assert_cmpint(
		hubctl(NULL, NULL, "endpoints", "update", "ep2", "--max-replica", "3", NULL),
		==,
		0);
	g_assert_cmpint(hubctl(NULL, NULL, "endpoints", "delete", "ep2", "--yes", NULL), ==, 0);
	g_assert_cmpuint(
		hubd_test_hub_count_requests(f->hub, "DELETE", "^/v2/endpoint/alice/ep2$", NULL),
		==,
		1);
	g_assert_cmpint(hubctl(NULL, NULL, "endpoints", "describe", "ep2", NULL), ==, 1);
	g_assert_cmpint(hubctl(&hw, NULL, "endpoints", "hardware", "--accelerator", "gpu", NULL),
			==,
			0);
	g_assert_nonnull(strstr(hw, "nvidia-l4"));
	g_assert_null(strstr(hw, "intel-spr"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, func) g_test_add(name, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("/endpoints-cli/deploy-wait-describe", test_deploy_wait_describe);
	ADD("/endpoints-cli/errors-and-actions", test_errors_and_actions);
#undef ADD
	return g_test_run();
}
