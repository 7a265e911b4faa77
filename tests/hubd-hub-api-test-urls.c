/* hubd-hub-api-test-urls.c: the URLs and paths HubdHubApi builds (nothing
 * sent), and generic requests through them (part of hubd-hub-api-test) */
#define G_LOG_DOMAIN "HubdHubApiTest"

#include "hubd-hub-api-test-common.h"

/* ---- URLs (nothing sent) ---- */

/* An API on a Hub at `endpoint` (NULL: the default Hub), sending nothing */
static HubdHubApi *
api_for_endpoint(const gchar *endpoint)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdConfig) config = hubd_config_new("/nonexistent/hubd.conf", &error);
	g_autoptr(HubdHubClient) client = NULL;

	g_assert_no_error(error);
	if (endpoint != NULL) {
		g_autofree gchar *set = g_strdup_printf("hub.endpoint=%s", endpoint);
		g_assert_true(hubd_config_set_override(config, set, &error));
		g_assert_no_error(error);
	}
	client = hubd_hub_client_new(config, NULL);
	return hubd_hub_api_new(client);
}

/* huggingface_hub's hf_hub_url: the revision and the path each encoded once,
 * the revision with no safe character, the path keeping its '/' */
static void
test_file_urls(void)
{
	const struct {
		const gchar *endpoint;
		HubdRepoType type;
		const gchar *repo_id;
		const gchar *revision;
		const gchar *path;
		const gchar *url;
	} cases[] = {
		{NULL,
		 HUBD_REPO_TYPE_MODEL,
		 "gpt2",
		 NULL,
		 "config.json",
		 "https://huggingface.co/gpt2/resolve/main/config.json"},
		{"http://127.0.0.1:8080/",
		 HUBD_REPO_TYPE_DATASET,
		 "alice/squad",
		 "refs/pr/1",
		 "dir/my file é.txt",
		 "http://127.0.0.1:8080/datasets/alice/squad/resolve/refs%2Fpr%2F1/"
		 "dir/my%20file%20%C3%A9.txt"},
		{"https://hub.example",
		 HUBD_REPO_TYPE_SPACE,
		 "bob/app",
		 "feature/x y",
		 "a?b#c%d.txt",
		 "https://hub.example/spaces/bob/app/resolve/feature%2Fx%20y/a%3Fb%23c%25d.txt"},
		{"https://hub.example",
		 HUBD_REPO_TYPE_MODEL,
		 "bob/m",
		 "",
		 "x+y~_.-z",
		 "https://hub.example/bob/m/resolve/main/x%2By~_.-z"},
		{"https://hub.example",
		 HUBD_REPO_TYPE_MODEL,
		 "bob/m",
		 "refs%2Fpr%2F2",
		 "f",
		 /* an already-encoded revision is encoded again: callers pass it raw */
		 "https://hub.example/bob/m/resolve/refs%252Fpr%252F2/f"},
	};
	g_autoptr(HubdHubApi) hub = NULL;
	g_autofree gchar *commit = NULL;

	/* the default Hub unless the environment names another */
	g_unsetenv("HF_ENDPOINT");
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(HubdHubApi) api = api_for_endpoint(cases[i].endpoint);
		g_autofree gchar *url = hubd_hub_api_file_url(api,
							      cases[i].type,
							      cases[i].repo_id,
							      cases[i].revision,
							      cases[i].path);
		g_assert_cmpstr(url, ==, cases[i].url);
	}
	/* the page of a commit, as the Hub's commitUrl */
	hub = api_for_endpoint("https://hub.example/");
	commit = hubd_hub_api_commit_url(hub,
					 HUBD_REPO_TYPE_DATASET,
					 "acme/d",
					 "0123456789abcdef0123456789abcdef01234567");
	g_assert_cmpstr(commit,
			==,
			"https://hub.example/datasets/acme/d/commit/"
			"0123456789abcdef0123456789abcdef01234567");
}

static void
test_urls(Fixture *f, gconstpointer data)
{
	const gchar *segs[] = {"settings", "webhooks", "a/b c", NULL};
	const gchar *runtime[] = {"runtime", NULL};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *p1 = hubd_hub_api_build_path(segs);
	g_autofree gchar *p2 =
		hubd_hub_api_build_repo_path(HUBD_REPO_TYPE_SPACE, "alice/demo", runtime, &error);
	g_autofree gchar *p3 = hubd_hub_api_build_revision_path(HUBD_REPO_TYPE_DATASET,
								"acme/d",
								"tree",
								"refs/pr/1",
								"data/a b ü.csv",
								&error);
	g_autofree gchar *p4 = hubd_hub_api_build_revision_path(HUBD_REPO_TYPE_MODEL,
								"gpt2",
								"commits",
								NULL,
								"",
								&error);
	g_autofree gchar *web = hubd_hub_api_repo_url(f->alice, HUBD_REPO_TYPE_DATASET, "acme/d");
	g_autofree gchar *file = hubd_hub_api_file_url(f->alice,
						       HUBD_REPO_TYPE_MODEL,
						       "alice/m",
						       "refs/pr/1",
						       "dir/a b.txt");
	g_autofree gchar *expect_web = g_strdup_printf("%s/datasets/acme/d", f->hub->url);
	g_autofree gchar *expect_file =
		g_strdup_printf("%s/alice/m/resolve/refs%%2Fpr%%2F1/dir/a%%20b.txt", f->hub->url);
	gchar *bad;

	g_assert_no_error(error);
	g_assert_cmpstr(p1, ==, "/api/settings/webhooks/a%2Fb%20c");
	g_assert_cmpstr(p2, ==, "/api/spaces/alice/demo/runtime");
	g_assert_cmpstr(p3,
			==,
			"/api/datasets/acme/d/tree/refs%2Fpr%2F1/data%2Fa%20b%20%C3%BC.csv");
	g_assert_cmpstr(p4, ==, "/api/models/gpt2/commits/main");
	g_assert_cmpstr(web, ==, expect_web);
	g_assert_cmpstr(file, ==, expect_file);

	/* what would leave the API's space is refused, with a reason */
	bad = hubd_hub_api_build_repo_path(HUBD_REPO_TYPE_MODEL, "alice/../x", NULL, &error);
	g_assert_null(bad);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	bad = hubd_hub_api_build_revision_path(HUBD_REPO_TYPE_MODEL,
					       "alice/m",
					       "tree",
					       "main",
					       "../secret",
					       &error);
	g_assert_null(bad);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	bad = hubd_hub_api_build_revision_path(HUBD_REPO_TYPE_MODEL,
					       "alice/m",
					       "tree",
					       "a//b",
					       NULL,
					       &error);
	g_assert_null(bad);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	bad = hubd_hub_api_build_repo_path((HubdRepoType)7, "alice/m", NULL, &error);
	g_assert_null(bad);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
}

/* ---- generic requests, the application's name ---- */

static void
test_generic(Fixture *f, gconstpointer data)
{
	g_autofree gchar *head = commit_fixture(f, "alice/gen");
	const gchar *segments[] = {"refs", NULL};
	g_autofree gchar *path =
		hubd_hub_api_build_repo_path(HUBD_REPO_TYPE_MODEL, "alice/gen", segments, NULL);
	g_autoptr(HubdHubApi) app = hubd_hub_api_new_for_library(f->alice, "myapp", "1.2");
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", path);
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GAsyncResult) res2 = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonNode) log = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(HubdHubResponse) resp = NULL;
	g_autofree gchar *file_url = NULL;
	g_autoptr(HubdHubRequest) get = NULL;
	gchar buf[16] = {0};
	JsonArray *a;
	gboolean named = FALSE;

	hubd_test_hub_clear_requests(f->hub);
	hubd_hub_api_get_json_async(app, req, NULL, result_cb, &res);
	node = hubd_hub_api_get_json_finish(app, wait_result(&res), NULL, &error);
	g_assert_no_error(error);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(node));
	g_assert_true(json_object_has_member(json_node_get_object(node), "branches"));
	/* the application is named in the user agent; the token went along */
	log = hubd_test_hub_admin(f->hub, "GET", "/_testhub/requests", NULL);
	a = json_node_get_array(log);
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *o = json_array_get_object_element(a, i);
		if (g_strcmp0(json_object_get_string_member(o, "path"), path) != 0)
			continue;
		g_assert_nonnull(
			strstr(json_object_get_string_member(o, "user_agent"), "myapp/1.2"));
		g_assert_true(json_object_get_boolean_member(o, "authorization"));
		named = TRUE;
	}
	g_assert_true(named);

	/* a streamed body, from the file URL */
	file_url = hubd_hub_api_file_url(app, HUBD_REPO_TYPE_MODEL, "alice/gen", head, "a.txt");
	get = hubd_hub_request_new("GET", file_url);
	hubd_hub_api_send_async(app, get, NULL, result_cb, &res2);
	stream = hubd_hub_api_send_finish(app, wait_result(&res2), &resp, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(hubd_hub_response_get_status(resp), ==, 200);
	g_assert_true(g_input_stream_read_all(stream, buf, sizeof(buf) - 1, NULL, NULL, &error));
	g_assert_cmpstr(buf, ==, "aaa");
}

void
hubd_hub_api_test_add_urls(void)
{
	g_test_add_func("/hubd/hub-api/file-urls", test_file_urls);
	ADD("urls", test_urls);
	ADD("generic", test_generic);
}
