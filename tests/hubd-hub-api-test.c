/* hubd-hub-api-test.c: HubdHubApi against the local Hub (pages of 2) — each
 * endpoint function, what the Hub received, paging past one page, and how
 * its answers map to errors */
#define G_LOG_DOMAIN "HubdHubApiTest"

#include <gio/gio.h>

#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"
#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-token-store.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define ALICE_READ  "hf_alice_read_00000000000000000000000"
#define BOB_WRITE   "hf_bob_write_00000000000000000000000"

typedef struct {
	HubdTestHub *hub;
	HubdConfig *config;
	gchar *tmp;
	HubdHubApi *alice; /* write token */
	HubdHubApi *anon;  /* no token at all */
} Fixture;

/* An API whose current token is `token` (NULL: none), as the daemon gets
 * one from HF_TOKEN. */
static HubdHubApi *
api_new(Fixture *f, const gchar *token)
{
	g_autoptr(HubdTokenStore) store = NULL;
	g_autoptr(HubdHubClient) client = NULL;

	if (token != NULL) {
		g_setenv("HF_TOKEN", token, TRUE);
		store = hubd_token_store_new(f->config);
		g_unsetenv("HF_TOKEN");
	}
	client = hubd_hub_client_new(f->config, HUBD_HUB_TOKEN_PROVIDER(store));
	return hubd_hub_api_new(client);
}

static void
fixture_start(Fixture *f, const gchar *const *hub_args)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *endpoint = NULL;
	g_autofree gchar *file = NULL;

	f->hub = hubd_test_hub_start(hub_args);
	f->tmp = g_dir_make_tmp("hubd-hub-api-XXXXXX", &error);
	g_assert_no_error(error);
	f->config = hubd_config_new("/nonexistent/hubd.conf", &error);
	g_assert_no_error(error);
	endpoint = g_strdup_printf("hub.endpoint=%s", f->hub->url);
	file = g_strdup_printf("auth.file=%s/tokens", f->tmp);
	g_assert_true(hubd_config_set_override(f->config, endpoint, &error));
	g_assert_true(hubd_config_set_override(f->config, "http.retry-base-ms=50", &error));
	g_assert_true(hubd_config_set_override(f->config, "auth.backend=file", &error));
	g_assert_true(hubd_config_set_override(f->config, file, &error));
	f->alice = api_new(f, ALICE_WRITE);
	f->anon = api_new(f, NULL);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *args[] = {"--page-size", "2", NULL};

	fixture_start(f, args);
}

static void
fixture_setup_multipart(Fixture *f, gconstpointer data)
{
	const gchar *args[] = {"--page-size", "2", "--lfs-chunk-size", "1000", NULL};

	fixture_start(f, args);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->alice);
	g_clear_object(&f->anon);
	g_clear_object(&f->config);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->tmp);
	g_free(f->tmp);
}

/* ---- waiting, the Hub's log ---- */

static void
result_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(res);
}

static gboolean
result_ready(gpointer user_data)
{
	return *(GAsyncResult **)user_data != NULL;
}

static GAsyncResult *
wait_result(GAsyncResult **slot)
{
	g_assert_true(hubd_test_wait_for(result_ready, slot, HUBD_TEST_TIMEOUT_S * 1000));
	return *slot;
}

/* the body (parsed) of the last logged request with `method` on a path
 * matching `path_regex` */
static JsonObject *
last_body(Fixture *f, const gchar *method, const gchar *path_regex)
{
	return hubd_test_hub_last_body(f->hub, method, path_regex);
}

/* the query of the last logged request on a path matching `path_regex` */
static gchar *
last_query(Fixture *f, const gchar *path_regex)
{
	g_autoptr(JsonNode) log = hubd_test_hub_admin(f->hub, "GET", "/_testhub/requests", NULL);
	g_autoptr(GRegex) re = g_regex_new(path_regex, 0, 0, NULL);
	JsonArray *a = json_node_get_array(log);

	for (guint i = json_array_get_length(a); i > 0; i--) {
		JsonObject *o = json_array_get_object_element(a, i - 1);
		if (g_regex_match(re, json_object_get_string_member(o, "path"), 0, NULL))
			return g_strdup(json_object_get_string_member_with_default(o, "query", ""));
	}
	return NULL;
}

/* ---- synchronous wrappers of the calls most tests make ---- */

static gchar *
create_repo(HubdHubApi *api,
	    HubdRepoType type,
	    const gchar *id,
	    HubdHubVisibility visibility,
	    HubdHubApiFlags flags,
	    gboolean *created,
	    GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;
	const gchar *sdk = type == HUBD_REPO_TYPE_SPACE ? "gradio" : NULL;

	hubd_hub_api_create_repo_async(api,
				       type,
				       id,
				       visibility,
				       sdk,
				       NULL,
				       flags,
				       NULL,
				       result_cb,
				       &res);
	return hubd_hub_api_create_repo_finish(api, wait_result(&res), created, error);
}

static HubdHubRepoInfo *
repo_info(HubdHubApi *api, const gchar *id, const gchar *revision, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	hubd_hub_api_repo_info_async(api,
				     HUBD_REPO_TYPE_MODEL,
				     id,
				     revision,
				     HUBD_HUB_API_FLAG_FILES_METADATA,
				     NULL,
				     result_cb,
				     &res);
	return hubd_hub_api_repo_info_finish(api, wait_result(&res), error);
}

static GPtrArray *
list_tree(HubdHubApi *api,
	  const gchar *id,
	  const gchar *revision,
	  const gchar *path,
	  HubdHubApiFlags flags,
	  guint limit,
	  GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	hubd_hub_api_list_tree_async(api,
				     HUBD_REPO_TYPE_MODEL,
				     id,
				     revision,
				     path,
				     flags,
				     limit,
				     NULL,
				     result_cb,
				     &res);
	return hubd_hub_api_list_tree_finish(api, wait_result(&res), error);
}

static HubdHubRefs *
list_refs(HubdHubApi *api, const gchar *id)
{
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	HubdHubRefs *refs;

	hubd_hub_api_list_refs_async(api,
				     HUBD_REPO_TYPE_MODEL,
				     id,
				     HUBD_HUB_API_FLAG_INCLUDE_PRS,
				     NULL,
				     result_cb,
				     &res);
	refs = hubd_hub_api_list_refs_finish(api, wait_result(&res), &error);
	g_assert_no_error(error);
	return refs;
}

static gchar *
revision_commit(HubdHubApi *api, const gchar *id, const gchar *revision, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	hubd_hub_api_revision_commit_async(api,
					   HUBD_REPO_TYPE_MODEL,
					   id,
					   revision,
					   NULL,
					   result_cb,
					   &res);
	return hubd_hub_api_revision_commit_finish(api, wait_result(&res), error);
}

static const HubdHubRef *
lookup_ref(GPtrArray *refs, const gchar *name)
{
	for (guint i = 0; i < refs->len; i++) {
		const HubdHubRef *ref = g_ptr_array_index(refs, i);
		if (g_strcmp0(ref->name, name) == 0)
			return ref;
	}
	return NULL;
}

/* the ref named `name`; the test fails without one */
static const HubdHubRef *
find_ref(GPtrArray *refs, const gchar *name)
{
	const HubdHubRef *ref = lookup_ref(refs, name);

	if (ref == NULL)
		g_error("no ref %s", name);
	return ref;
}

static const HubdHubTreeEntry *
lookup_entry(GPtrArray *entries, const gchar *path)
{
	for (guint i = 0; i < entries->len; i++) {
		const HubdHubTreeEntry *e = g_ptr_array_index(entries, i);
		if (g_strcmp0(e->path, path) == 0)
			return e;
	}
	return NULL;
}

/* the entry at `path`; the test fails without one */
static const HubdHubTreeEntry *
find_entry(GPtrArray *entries, const gchar *path)
{
	const HubdHubTreeEntry *e = lookup_entry(entries, path);

	if (e == NULL)
		g_error("no entry %s", path);
	return e;
}

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

/* ---- whoami ---- */

static HubdHubWhoami *
whoami(HubdHubApi *api, const gchar *token, gboolean refresh, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	hubd_hub_api_whoami_async(api, token, NULL, refresh, NULL, result_cb, &res);
	return hubd_hub_api_whoami_finish(api, wait_result(&res), error);
}

static void
test_whoami(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdHubWhoami) me = NULL;
	g_autoptr(HubdHubWhoami) again = NULL;
	g_autoptr(HubdHubWhoami) fresh = NULL;
	g_autoptr(HubdHubWhoami) bob = NULL;
	g_autoptr(HubdHubWhoami) none = NULL;
	g_autoptr(HubdHubApi) wrong = api_new(f, "hf_wrong_token_000000");

	hubd_test_hub_clear_requests(f->hub);
	me = whoami(f->alice, NULL, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(me->name, ==, "alice");
	g_assert_cmpstr(me->fullname, ==, "Alice Example");
	g_assert_cmpstr(me->email, ==, "alice@example.com");
	g_assert_cmpstr(me->token_role, ==, "write");
	g_assert_cmpstr(me->token_name, ==, "alice-write");
	g_assert_true(g_strv_contains((const gchar *const *)me->orgs, "acme"));
	g_assert_true(JSON_NODE_HOLDS_OBJECT(me->json));

	/* rate-limited on the Hub: cached a minute per token unless refreshed */
	again = whoami(f->alice, NULL, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(again->name, ==, "alice");
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", "^/api/whoami-v2$", "hub"),
			 ==,
			 1);
	fresh = whoami(f->alice, NULL, TRUE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", "^/api/whoami-v2$", "hub"),
			 ==,
			 2);

	/* another token, named explicitly (a login checking a new token) */
	bob = whoami(f->alice, BOB_WRITE, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(bob->name, ==, "bob");
	g_assert_cmpuint(g_strv_length(bob->orgs), ==, 0);

	none = whoami(f->anon, NULL, FALSE, &error);
	g_assert_null(none);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_NOT_LOGGED_IN);
	g_clear_error(&error);
	none = whoami(wrong, NULL, FALSE, &error);
	g_assert_null(none);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_UNAUTHORIZED);
}

/* ---- create, info, settings, move, delete ---- */

static void
test_repo_lifecycle(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdHubApi) bob = api_new(f, BOB_WRITE);
	g_autoptr(HubdHubApi) reader = api_new(f, ALICE_READ);
	g_autoptr(JsonObject) body = NULL;
	g_autoptr(HubdHubRepoInfo) info = NULL;
	g_autofree gchar *expect = g_strdup_printf("%s/alice/life", f->hub->url);
	gchar *url;
	gboolean created = FALSE;

	url = create_repo(f->alice,
			  HUBD_REPO_TYPE_MODEL,
			  "alice/life",
			  HUBD_HUB_VISIBILITY_PRIVATE,
			  HUBD_HUB_API_FLAG_NONE,
			  &created,
			  &error);
	g_assert_no_error(error);
	g_assert_cmpstr(url, ==, expect);
	g_assert_true(created);
	g_free(url);
	/* what the real Hub and huggingface_hub use: "visibility", not "private" */
	body = last_body(f, "POST", "^/api/repos/create$");
	g_assert_cmpstr(json_object_get_string_member(body, "name"), ==, "life");
	g_assert_cmpstr(json_object_get_string_member(body, "organization"), ==, "alice");
	g_assert_cmpstr(json_object_get_string_member(body, "type"), ==, "model");
	g_assert_cmpstr(json_object_get_string_member(body, "visibility"), ==, "private");
	g_assert_false(json_object_has_member(body, "private"));
	info = repo_info(f->alice, "alice/life", NULL, &error);
	g_assert_no_error(error);
	g_assert_true(info->has_private && info->private_);
	g_assert_cmpstr(info->id, ==, "alice/life");
	g_assert_cmpuint(strlen(info->sha), ==, 40);
	g_assert_cmpuint(info->siblings->len, >=, 1);
	g_clear_pointer(&info, hubd_hub_repo_info_unref);

	/* twice: a conflict, unless exist_ok */
	url = create_repo(f->alice,
			  HUBD_REPO_TYPE_MODEL,
			  "alice/life",
			  HUBD_HUB_VISIBILITY_UNSET,
			  HUBD_HUB_API_FLAG_NONE,
			  NULL,
			  &error);
	g_assert_null(url);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CONFLICT);
	g_clear_error(&error);
	url = create_repo(f->alice,
			  HUBD_REPO_TYPE_MODEL,
			  "alice/life",
			  HUBD_HUB_VISIBILITY_UNSET,
			  HUBD_HUB_API_FLAG_EXIST_OK,
			  &created,
			  &error);
	g_assert_no_error(error);
	g_assert_cmpstr(url, ==, expect);
	g_assert_false(created);
	g_free(url);
	/* no visibility asked: none sent, the Hub's default applies */
	g_clear_pointer(&body, json_object_unref);
	body = last_body(f, "POST", "^/api/repos/create$");
	g_assert_false(json_object_has_member(body, "visibility"));
	g_assert_false(json_object_has_member(body, "private"));

	/* another user's namespace: 403, and exist_ok looks whether it can read it */
	url = create_repo(bob,
			  HUBD_REPO_TYPE_MODEL,
			  "alice/life",
			  HUBD_HUB_VISIBILITY_UNSET,
			  HUBD_HUB_API_FLAG_NONE,
			  NULL,
			  &error);
	g_assert_null(url);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_FORBIDDEN);
	g_clear_error(&error);
	url = create_repo(bob,
			  HUBD_REPO_TYPE_MODEL,
			  "alice/life",
			  HUBD_HUB_VISIBILITY_UNSET,
			  HUBD_HUB_API_FLAG_EXIST_OK,
			  NULL,
			  &error);
	g_assert_null(url); /* private: bob cannot see it, the refusal stands */
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_FORBIDDEN);
	g_clear_error(&error);
	url = create_repo(reader,
			  HUBD_REPO_TYPE_MODEL,
			  "alice/other",
			  HUBD_HUB_VISIBILITY_UNSET,
			  HUBD_HUB_API_FLAG_NONE,
			  NULL,
			  &error);
	g_assert_null(url);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_FORBIDDEN);
	g_clear_error(&error);

	/* settings: public, gated; the body says what changed only */
	{
		g_autoptr(GAsyncResult) res = NULL;
		hubd_hub_api_update_repo_settings_async(f->alice,
							HUBD_REPO_TYPE_MODEL,
							"alice/life",
							"manual",
							HUBD_HUB_VISIBILITY_PUBLIC,
							-1,
							NULL,
							result_cb,
							&res);
		g_assert_true(hubd_hub_api_update_repo_settings_finish(f->alice,
								       wait_result(&res),
								       &error));
		g_assert_no_error(error);
	}
	g_clear_pointer(&body, json_object_unref);
	body = last_body(f, "PUT", "^/api/models/alice/life/settings$");
	g_assert_cmpstr(json_object_get_string_member(body, "visibility"), ==, "public");
	g_assert_cmpstr(json_object_get_string_member(body, "gated"), ==, "manual");
	g_assert_false(json_object_has_member(body, "discussionsDisabled"));
	info = repo_info(bob, "alice/life", NULL, &error);
	g_assert_no_error(error);
	g_assert_false(info->private_);
	g_assert_cmpstr(info->gated, ==, "manual");
	g_clear_pointer(&info, hubd_hub_repo_info_unref);
	/* now bob can read it: exist_ok in a namespace he may not write is fine */
	url = create_repo(bob,
			  HUBD_REPO_TYPE_MODEL,
			  "alice/life",
			  HUBD_HUB_VISIBILITY_UNSET,
			  HUBD_HUB_API_FLAG_EXIST_OK,
			  &created,
			  &error);
	g_assert_no_error(error);
	g_assert_cmpstr(url, ==, expect);
	g_assert_false(created);
	g_free(url);

	/* move: the new URL, the repo answers there */
	{
		g_autoptr(GAsyncResult) res = NULL;
		g_autofree gchar *moved_expect = g_strdup_printf("%s/acme/moved", f->hub->url);
		hubd_hub_api_move_repo_async(f->alice,
					     HUBD_REPO_TYPE_MODEL,
					     "alice/life",
					     "acme/moved",
					     NULL,
					     result_cb,
					     &res);
		url = hubd_hub_api_move_repo_finish(f->alice, wait_result(&res), &error);
		g_assert_no_error(error);
		g_assert_cmpstr(url, ==, moved_expect);
		g_free(url);
	}
	info = repo_info(f->alice, "acme/moved", NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(info->id, ==, "acme/moved");
	g_clear_pointer(&info, hubd_hub_repo_info_unref);

	/* delete: not by bob, then gone, then missing (fine with missing_ok) */
	for (guint i = 0; i < 4; i++) {
		g_autoptr(GAsyncResult) res = NULL;
		HubdHubApi *api = i == 0 ? bob : f->alice;
		gboolean deleted = FALSE;
		gboolean ok;

		hubd_hub_api_delete_repo_async(api,
					       HUBD_REPO_TYPE_MODEL,
					       "acme/moved",
					       i == 3 ? HUBD_HUB_API_FLAG_MISSING_OK
						      : HUBD_HUB_API_FLAG_NONE,
					       NULL,
					       result_cb,
					       &res);
		ok = hubd_hub_api_delete_repo_finish(api, wait_result(&res), &deleted, &error);
		if (i == 0) {
			g_assert_error(error, HUBD_ERROR, HUBD_ERROR_FORBIDDEN);
		} else if (i == 1) {
			g_assert_no_error(error);
			g_assert_true(ok && deleted);
		} else if (i == 2) {
			g_assert_error(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND);
		} else {
			g_assert_no_error(error);
			g_assert_true(ok);
			g_assert_false(deleted);
		}
		g_clear_error(&error);
	}
	info = repo_info(f->alice, "acme/moved", NULL, &error);
	g_assert_null(info);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND);
}

/* arguments are checked before anything is sent */
static void
test_refused_locally(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	gchar *url;

	hubd_test_hub_clear_requests(f->hub);
	url = create_repo(f->alice,
			  HUBD_REPO_TYPE_MODEL,
			  "no-namespace",
			  HUBD_HUB_VISIBILITY_UNSET,
			  HUBD_HUB_API_FLAG_NONE,
			  NULL,
			  &error);
	g_assert_null(url);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	url = create_repo(f->alice,
			  HUBD_REPO_TYPE_MODEL,
			  "alice/m",
			  HUBD_HUB_VISIBILITY_PROTECTED,
			  HUBD_HUB_API_FLAG_NONE,
			  NULL,
			  &error);
	g_assert_null(url);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	{
		g_autoptr(GAsyncResult) res = NULL;
		/* a Space needs its SDK */
		hubd_hub_api_create_repo_async(f->alice,
					       HUBD_REPO_TYPE_SPACE,
					       "alice/s",
					       HUBD_HUB_VISIBILITY_UNSET,
					       NULL,
					       NULL,
					       HUBD_HUB_API_FLAG_NONE,
					       NULL,
					       result_cb,
					       &res);
		url = hubd_hub_api_create_repo_finish(f->alice, wait_result(&res), NULL, &error);
		g_assert_null(url);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		g_autoptr(HubdHubRepoInfo) info = repo_info(f->alice, "alice/m", "a/../b", &error);
		g_assert_null(info);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		g_autoptr(GPtrArray) entries =
			list_tree(f->alice, "alice/m", NULL, "/abs", 0, 0, &error);
		g_assert_null(entries);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		g_autoptr(GAsyncResult) res = NULL;
		hubd_hub_api_create_branch_async(f->alice,
						 HUBD_REPO_TYPE_MODEL,
						 "alice/m",
						 NULL,
						 "",
						 HUBD_HUB_API_FLAG_NONE,
						 NULL,
						 result_cb,
						 &res);
		g_assert_false(
			hubd_hub_api_create_branch_finish(f->alice, wait_result(&res), &error));
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		g_autoptr(GAsyncResult) res = NULL;
		const HubdHubLfsObjectSpec bad_oid = {"not-a-sha256", 5};
		hubd_hub_api_lfs_batch_async(f->alice,
					     HUBD_REPO_TYPE_MODEL,
					     "alice/m",
					     "main",
					     HUBD_HUB_LFS_UPLOAD,
					     &bad_oid,
					     1,
					     NULL,
					     result_cb,
					     &res);
		g_assert_null(hubd_hub_api_lfs_batch_finish(f->alice, wait_result(&res), &error));
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, NULL, NULL, NULL), ==, 0);

	/* a write without a token is refused by the client, before sending */
	{
		g_autoptr(GAsyncResult) res = NULL;
		hubd_hub_api_delete_repo_async(f->anon,
					       HUBD_REPO_TYPE_MODEL,
					       "alice/m",
					       HUBD_HUB_API_FLAG_NONE,
					       NULL,
					       result_cb,
					       &res);
		g_assert_false(
			hubd_hub_api_delete_repo_finish(f->anon, wait_result(&res), NULL, &error));
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_NOT_LOGGED_IN);
	}
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, NULL, NULL, NULL), ==, 0);
}

/* ---- listing repos, past one page ---- */

static GPtrArray *
list_repos(HubdHubApi *api, const gchar *search, const gchar *author, guint limit)
{
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	GPtrArray *repos;

	hubd_hub_api_list_repos_async(api,
				      HUBD_REPO_TYPE_MODEL,
				      search,
				      author,
				      NULL,
				      "id",
				      1,
				      limit,
				      NULL,
				      result_cb,
				      &res);
	repos = hubd_hub_api_list_repos_finish(api, wait_result(&res), &error);
	g_assert_no_error(error);
	return repos;
}

static void
test_list_repos(Fixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GPtrArray) some = NULL;
	g_autoptr(GPtrArray) found = NULL;
	g_autoptr(GPtrArray) public_only = NULL;
	g_autofree gchar *query = NULL;

	for (guint i = 1; i <= 5; i++) {
		g_autofree gchar *id = g_strdup_printf("alice/listed-%u", i);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *url = create_repo(f->alice,
						    HUBD_REPO_TYPE_MODEL,
						    id,
						    i == 5 ? HUBD_HUB_VISIBILITY_PRIVATE
							   : HUBD_HUB_VISIBILITY_UNSET,
						    HUBD_HUB_API_FLAG_NONE,
						    NULL,
						    &error);
		g_assert_no_error(error);
	}
	g_free(create_repo(f->alice,
			   HUBD_REPO_TYPE_MODEL,
			   "acme/listed-org",
			   HUBD_HUB_VISIBILITY_UNSET,
			   HUBD_HUB_API_FLAG_NONE,
			   NULL,
			   NULL));

	/* 5 repos in pages of 2: three requests, in order */
	hubd_test_hub_clear_requests(f->hub);
	all = list_repos(f->alice, NULL, "alice", 0);
	g_assert_cmpuint(all->len, ==, 5);
	for (guint i = 0; i < all->len; i++) {
		HubdHubRepoInfo *info = g_ptr_array_index(all, i);
		g_autofree gchar *id = g_strdup_printf("alice/listed-%u", i + 1);
		g_assert_cmpstr(info->id, ==, id);
	}
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", "^/api/models$", "hub"),
			 ==,
			 3);
	query = last_query(f, "^/api/models$");
	g_assert_nonnull(strstr(query, "cursor="));
	g_assert_nonnull(strstr(query, "author=alice"));

	/* a limit stops early, and asks for pages of that size */
	hubd_test_hub_clear_requests(f->hub);
	some = list_repos(f->alice, NULL, "alice", 3);
	g_assert_cmpuint(some->len, ==, 3);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", "^/api/models$", "hub"),
			 ==,
			 2);
	g_clear_pointer(&query, g_free);
	query = last_query(f, "^/api/models$");
	g_assert_nonnull(strstr(query, "limit=3"));

	found = list_repos(f->alice, "listed-org", NULL, 0);
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(((HubdHubRepoInfo *)g_ptr_array_index(found, 0))->id,
			==,
			"acme/listed-org");
	/* without a token, the private one is not listed */
	public_only = list_repos(f->anon, NULL, "alice", 0);
	g_assert_cmpuint(public_only->len, ==, 4);
}

/* ---- tree and paths-info ---- */

#define BIG_CONTENT "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef!"

static gchar *
commit_fixture(Fixture *f, const gchar *id)
{
	g_autofree gchar *url = create_repo(f->alice,
					    HUBD_REPO_TYPE_MODEL,
					    id,
					    HUBD_HUB_VISIBILITY_UNSET,
					    HUBD_HUB_API_FLAG_NONE,
					    NULL,
					    NULL);

	return hubd_test_hub_commit_files(f->hub,
					  ALICE_WRITE,
					  "model",
					  id,
					  "main",
					  32,
					  "a.txt",
					  "aaa",
					  "b.txt",
					  "bbb",
					  "big.bin",
					  BIG_CONTENT,
					  "dir/d.txt",
					  "ddd",
					  "dir/sub/e.txt",
					  "eee",
					  NULL);
}

static void
test_tree(Fixture *f, gconstpointer data)
{
	g_autofree gchar *head = commit_fixture(f, "alice/files");
	g_autofree gchar *sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, BIG_CONTENT, -1);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) root = NULL;
	g_autoptr(GPtrArray) deep = NULL;
	g_autoptr(GPtrArray) dir = NULL;
	g_autoptr(GPtrArray) few = NULL;
	g_autoptr(GPtrArray) none = NULL;
	const HubdHubTreeEntry *e;

	/* .gitattributes, a.txt, b.txt, big.bin, dir: 5 entries, 3 pages */
	hubd_test_hub_clear_requests(f->hub);
	root = list_tree(f->alice, "alice/files", NULL, NULL, 0, 0, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(root->len, ==, 5);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub,
						      "GET",
						      "^/api/models/alice/files/tree/main$",
						      "hub"),
			 ==,
			 3);
	e = find_entry(root, "big.bin");
	g_assert_nonnull(e);
	g_assert_cmpint(e->type, ==, HUBD_HUB_ENTRY_FILE);
	g_assert_true(e->is_lfs);
	g_assert_cmpstr(e->lfs_sha256, ==, sha);
	g_assert_cmpint(e->lfs_size, ==, (gint64)strlen(BIG_CONTENT));
	g_assert_nonnull(e->oid);
	e = find_entry(root, "dir");
	g_assert_nonnull(e);
	g_assert_cmpint(e->type, ==, HUBD_HUB_ENTRY_DIRECTORY);
	e = find_entry(root, "a.txt");
	g_assert_false(e->is_lfs);
	g_assert_cmpuint(e->size, ==, 3);

	/* recursive at the commit; a folder, its path encoded once */
	deep = list_tree(f->alice,
			 "alice/files",
			 head,
			 NULL,
			 HUBD_HUB_API_FLAG_RECURSIVE,
			 0,
			 &error);
	g_assert_no_error(error);
	g_assert_nonnull(lookup_entry(deep, "dir/sub/e.txt"));
	g_assert_nonnull(lookup_entry(deep, "dir/sub"));
	hubd_test_hub_clear_requests(f->hub);
	dir = list_tree(f->alice, "alice/files", "main", "dir/sub", 0, 0, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(dir->len, ==, 1);
	g_assert_cmpstr(((HubdHubTreeEntry *)g_ptr_array_index(dir, 0))->path, ==, "dir/sub/e.txt");
	g_assert_cmpuint(
		hubd_test_hub_count_requests(f->hub,
					     "GET",
					     "^/api/models/alice/files/tree/main/dir%2Fsub$",
					     "hub"),
		==,
		1);

	/* a limit past the first page */
	hubd_test_hub_clear_requests(f->hub);
	few = list_tree(f->alice,
			"alice/files",
			NULL,
			NULL,
			HUBD_HUB_API_FLAG_RECURSIVE,
			3,
			&error);
	g_assert_no_error(error);
	g_assert_cmpuint(few->len, ==, 3);
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "GET", "/tree/main$", "hub"), ==, 2);

	/* a missing folder, revision and repo are told apart */
	none = list_tree(f->alice, "alice/files", NULL, "nothing-here", 0, 0, &error);
	g_assert_null(none);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
	g_clear_error(&error);
	none = list_tree(f->alice, "alice/files", "no-such-branch", NULL, 0, 0, &error);
	g_assert_null(none);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_REVISION_NOT_FOUND);
	g_clear_error(&error);
	none = list_tree(f->alice, "alice/no-such-repo", NULL, NULL, 0, 0, &error);
	g_assert_null(none);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND);
}

/* a listing naming "../../evil" (and so its folders "..", "../..") is
 * refused whole, rigged in the Hub's on-disk commit */
static void
test_tree_unsafe(Fixture *f, gconstpointer data)
{
	g_autofree gchar *head = commit_fixture(f, "alice/rigged");
	g_autofree gchar *cpath = g_strdup_printf("%s/objects/commits/%s.json", f->hub->root, head);
	g_autofree gchar *json = NULL;
	g_autoptr(GString) s = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) entries = NULL;

	g_assert_true(g_file_get_contents(cpath, &json, NULL, NULL));
	s = g_string_new(json);
	g_assert_cmpuint(g_string_replace(s, "\"a.txt\"", "\"../../evil\"", 0), >=, 1);
	hubd_test_write_file(cpath, s->str);
	entries = list_tree(f->alice,
			    "alice/rigged",
			    head,
			    NULL,
			    HUBD_HUB_API_FLAG_RECURSIVE,
			    0,
			    &error);
	g_assert_null(entries);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_SERVER);
	g_assert_nonnull(strstr(error->message, "unsafe file name"));
	g_assert_nonnull(strstr(error->message, "“..”"));
}

static void
test_paths_info(Fixture *f, gconstpointer data)
{
	g_autofree gchar *head = commit_fixture(f, "alice/paths");
	const gchar *paths[] = {"a.txt", "big.bin", "dir", "nope.txt", NULL};
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(JsonObject) body = NULL;
	const HubdHubTreeEntry *big;

	hubd_hub_api_paths_info_async(f->alice,
				      HUBD_REPO_TYPE_MODEL,
				      "alice/paths",
				      head,
				      paths,
				      HUBD_HUB_API_FLAG_NONE,
				      NULL,
				      result_cb,
				      &res);
	entries = hubd_hub_api_paths_info_finish(f->alice, wait_result(&res), &error);
	g_assert_no_error(error);
	/* what the revision does not hold is left out */
	g_assert_cmpuint(entries->len, ==, 3);
	g_assert_null(lookup_entry(entries, "nope.txt"));
	big = find_entry(entries, "big.bin");
	g_assert_true(big->is_lfs);
	g_assert_cmpint(find_entry(entries, "dir")->type, ==, HUBD_HUB_ENTRY_DIRECTORY);
	body = last_body(f, "POST", "^/api/models/alice/paths/paths-info/[0-9a-f]{40}$");
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(body, "paths")), ==, 4);
	g_assert_false(json_object_get_boolean_member(body, "expand"));
}

/* ---- refs and history ---- */

static gboolean
ref_write(HubdHubApi *api, guint what, const gchar *name, HubdHubApiFlags flags, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	switch (what) {
	case 0:
		hubd_hub_api_create_branch_async(api,
						 HUBD_REPO_TYPE_MODEL,
						 "alice/refs",
						 NULL,
						 name,
						 flags,
						 NULL,
						 result_cb,
						 &res);
		return hubd_hub_api_create_branch_finish(api, wait_result(&res), error);
	case 1:
		hubd_hub_api_create_tag_async(api,
					      HUBD_REPO_TYPE_MODEL,
					      "alice/refs",
					      "feature/x",
					      name,
					      "First release",
					      flags,
					      NULL,
					      result_cb,
					      &res);
		return hubd_hub_api_create_tag_finish(api, wait_result(&res), error);
	case 2:
		hubd_hub_api_delete_tag_async(api,
					      HUBD_REPO_TYPE_MODEL,
					      "alice/refs",
					      name,
					      NULL,
					      result_cb,
					      &res);
		return hubd_hub_api_delete_tag_finish(api, wait_result(&res), error);
	default:
		hubd_hub_api_delete_branch_async(api,
						 HUBD_REPO_TYPE_MODEL,
						 "alice/refs",
						 name,
						 NULL,
						 result_cb,
						 &res);
		return hubd_hub_api_delete_branch_finish(api, wait_result(&res), error);
	}
}

static void
test_refs(Fixture *f, gconstpointer data)
{
	g_autofree gchar *head = commit_fixture(f, "alice/refs");
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdHubRefs) refs = NULL;
	g_autoptr(JsonObject) body = NULL;
	g_autofree gchar *branch_head = NULL;
	const HubdHubRef *ref;

	hubd_test_hub_clear_requests(f->hub);
	g_assert_true(ref_write(f->alice, 0, "feature/x", HUBD_HUB_API_FLAG_NONE, &error));
	g_assert_no_error(error);
	/* the name once encoded on the wire */
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub,
						      "POST",
						      "^/api/models/alice/refs/branch/feature%2Fx$",
						      "hub"),
			 ==,
			 1);
	g_assert_false(ref_write(f->alice, 0, "feature/x", HUBD_HUB_API_FLAG_NONE, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CONFLICT);
	g_clear_error(&error);
	g_assert_true(ref_write(f->alice, 0, "feature/x", HUBD_HUB_API_FLAG_EXIST_OK, &error));
	g_assert_no_error(error);
	branch_head = revision_commit(f->alice, "alice/refs", "feature/x", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(branch_head, ==, head);

	/* the URL names what is tagged, the body the tag */
	g_assert_true(ref_write(f->alice, 1, "v1", HUBD_HUB_API_FLAG_NONE, &error));
	g_assert_no_error(error);
	body = last_body(f, "POST", "^/api/models/alice/refs/tag/feature%2Fx$");
	g_assert_cmpstr(json_object_get_string_member(body, "tag"), ==, "v1");
	g_assert_cmpstr(json_object_get_string_member(body, "message"), ==, "First release");
	refs = list_refs(f->alice, "alice/refs");
	ref = find_ref(refs->branches, "feature/x");
	g_assert_nonnull(ref);
	g_assert_cmpstr(ref->ref, ==, "refs/heads/feature/x");
	g_assert_cmpstr(ref->target_commit, ==, head);
	g_assert_nonnull(lookup_ref(refs->branches, "main"));
	ref = find_ref(refs->tags, "v1");
	g_assert_nonnull(ref);
	g_assert_cmpstr(ref->target_commit, ==, head);
	g_clear_pointer(&refs, hubd_hub_refs_unref);

	g_assert_true(ref_write(f->alice, 2, "v1", HUBD_HUB_API_FLAG_NONE, &error));
	g_assert_no_error(error);
	g_assert_true(ref_write(f->alice, 3, "feature/x", HUBD_HUB_API_FLAG_NONE, &error));
	g_assert_no_error(error);
	refs = list_refs(f->alice, "alice/refs");
	g_assert_null(lookup_ref(refs->branches, "feature/x"));
	g_assert_null(lookup_ref(refs->tags, "v1"));
	g_assert_false(ref_write(f->alice, 3, "feature/x", HUBD_HUB_API_FLAG_NONE, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_REVISION_NOT_FOUND);
}

static void
test_commits(Fixture *f, gconstpointer data)
{
	g_autofree gchar *first = commit_fixture(f, "alice/history");
	g_autofree gchar *second = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      "alice/history",
							      "main",
							      0,
							      "a.txt",
							      "changed",
							      NULL);
	g_autofree gchar *third = hubd_test_hub_commit_files(f->hub,
							     ALICE_WRITE,
							     "model",
							     "alice/history",
							     "main",
							     0,
							     "c.txt",
							     "new",
							     NULL);
	g_autoptr(GError) error = NULL;

	for (guint limit = 0; limit <= 2; limit += 2) {
		g_autoptr(GAsyncResult) res = NULL;
		g_autoptr(GPtrArray) commits = NULL;
		HubdHubCommit *newest;

		hubd_test_hub_clear_requests(f->hub);
		hubd_hub_api_list_commits_async(f->alice,
						HUBD_REPO_TYPE_MODEL,
						"alice/history",
						NULL,
						limit,
						NULL,
						result_cb,
						&res);
		commits = hubd_hub_api_list_commits_finish(f->alice, wait_result(&res), &error);
		g_assert_no_error(error);
		newest = g_ptr_array_index(commits, 0);
		g_assert_cmpstr(newest->id, ==, third);
		g_assert_cmpstr(((HubdHubCommit *)g_ptr_array_index(commits, 1))->id, ==, second);
		if (limit == 0) {
			/* initial commit + 3: two pages */
			g_assert_cmpuint(commits->len, ==, 4);
			g_assert_cmpstr(((HubdHubCommit *)g_ptr_array_index(commits, 2))->id,
					==,
					first);
			g_assert_cmpuint(hubd_test_hub_count_requests(f->hub,
								      "GET",
								      "/commits/main$",
								      "hub"),
					 ==,
					 2);
		} else {
			g_assert_cmpuint(commits->len, ==, 2);
			g_assert_cmpuint(hubd_test_hub_count_requests(f->hub,
								      "GET",
								      "/commits/main$",
								      "hub"),
					 ==,
					 1);
		}
		g_assert_true(g_strv_contains((const gchar *const *)newest->authors, "alice"));
		g_assert_cmpstr(newest->title, !=, "");
	}
}

/* ---- uploads ---- */

static GInputStream *
bytes_factory(gpointer user_data)
{
	return g_memory_input_stream_new_from_bytes(user_data);
}

static HubdHubCommitInfo *
commit_ndjson(HubdHubApi *api,
	      const gchar *id,
	      HubdHubApiFlags flags,
	      const gchar *ndjson,
	      GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;
	GBytes *body = g_bytes_new(ndjson, strlen(ndjson));

	hubd_hub_api_commit_async(api,
				  HUBD_REPO_TYPE_MODEL,
				  id,
				  "main",
				  flags,
				  bytes_factory,
				  body,
				  (GDestroyNotify)g_bytes_unref,
				  (goffset)g_bytes_get_size(body),
				  NULL,
				  result_cb,
				  &res);
	return hubd_hub_api_commit_finish(api, wait_result(&res), error);
}

static void
test_preupload_commit(Fixture *f, gconstpointer data)
{
	g_autofree gchar *head = commit_fixture(f, "alice/up");
	static const guint8 binary[] = {0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 0, 0, 0, 0};
	const HubdHubPreuploadItem items[] = {
		{"notes.txt", (const guint8 *)"hello", 5, 5},
		{"weights/model.bin", binary, sizeof(binary), 20 * 1024 * 1024},
		{"a.txt", (const guint8 *)"aaa", 3, 3},
	};
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdHubPreupload) modes = NULL;
	g_autoptr(HubdHubCommitInfo) done = NULL;
	g_autoptr(HubdHubCommitInfo) pr = NULL;
	g_autoptr(JsonObject) body = NULL;
	g_autofree gchar *now = NULL;
	g_autofree gchar *line = NULL;

	hubd_hub_api_preupload_async(f->alice,
				     HUBD_REPO_TYPE_MODEL,
				     "alice/up",
				     NULL,
				     items,
				     G_N_ELEMENTS(items),
				     HUBD_HUB_API_FLAG_NONE,
				     NULL,
				     result_cb,
				     &res);
	modes = hubd_hub_api_preupload_finish(f->alice, wait_result(&res), &error);
	g_assert_no_error(error);
	g_assert_cmpstr(modes->commit_oid, ==, head);
	g_assert_cmpuint(modes->files->len, ==, 3);
	for (guint i = 0; i < modes->files->len; i++) {
		HubdHubPreuploadFile *file = g_ptr_array_index(modes->files, i);
		if (g_strcmp0(file->path, "notes.txt") == 0) {
			g_assert_cmpint(file->upload_mode, ==, HUBD_HUB_UPLOAD_MODE_REGULAR);
			g_assert_null(file->oid);
		} else if (g_strcmp0(file->path, "weights/model.bin") == 0) {
			g_assert_cmpint(file->upload_mode, ==, HUBD_HUB_UPLOAD_MODE_LFS);
		} else {
			/* already there: what the revision holds */
			g_assert_cmpstr(file->path, ==, "a.txt");
			g_assert_nonnull(file->oid);
		}
	}
	body = last_body(f, "POST", "^/api/models/alice/up/preupload/main$");
	{
		JsonArray *files = json_object_get_array_member(body, "files");
		JsonObject *notes = json_array_get_object_element(files, 0);
		g_assert_cmpstr(json_object_get_string_member(notes, "sample"), ==, "aGVsbG8=");
		g_assert_cmpint(json_object_get_int_member(notes, "size"), ==, 5);
	}

	/* a commit, its body streamed from the factory */
	line = g_strdup_printf("{\"key\":\"header\",\"value\":{\"summary\":\"Add notes\","
			       "\"description\":\"\",\"parentCommit\":\"%s\"}}\n"
			       "{\"key\":\"file\",\"value\":{\"path\":\"notes.txt\","
			       "\"content\":\"aGVsbG8=\",\"encoding\":\"base64\"}}\n",
			       head);
	done = commit_ndjson(f->alice, "alice/up", HUBD_HUB_API_FLAG_NONE, line, &error);
	g_assert_no_error(error);
	now = revision_commit(f->alice, "alice/up", NULL, &error);
	g_assert_cmpstr(done->commit_oid, ==, now);
	g_assert_nonnull(strstr(done->commit_url, done->commit_oid));
	g_assert_null(done->pr_url);
	g_assert_cmpuint(done->pr_num, ==, 0);

	/* the same parent again: the branch moved on, a conflict */
	g_assert_null(commit_ndjson(f->alice, "alice/up", HUBD_HUB_API_FLAG_NONE, line, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CONFLICT);
	g_clear_error(&error);

	/* as a pull request */
	pr = commit_ndjson(f->alice,
			   "alice/up",
			   HUBD_HUB_API_FLAG_CREATE_PR,
			   "{\"key\":\"header\",\"value\":{\"summary\":\"Proposal\"}}\n"
			   "{\"key\":\"deletedFile\",\"value\":{\"path\":\"b.txt\"}}\n",
			   &error);
	g_assert_no_error(error);
	g_assert_nonnull(pr->pr_url);
	g_assert_cmpuint(pr->pr_num, >, 0);
	{
		g_autofree gchar *rev = g_strdup_printf("refs/pr/%u", pr->pr_num);
		g_autofree gchar *pr_head = revision_commit(f->alice, "alice/up", rev, &error);
		g_assert_cmpstr(pr->pr_revision, ==, rev);
		g_assert_no_error(error);
		g_assert_cmpstr(pr_head, ==, pr->commit_oid);
	}
	/* the fixture, the commit, the refused one, the pull request: each once */
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "POST", "/commit/main$", "hub"),
			 ==,
			 4);
	g_clear_pointer(&now, g_free);
	now = last_query(f, "/commit/main$");
	g_assert_cmpstr(now, ==, "create_pr=1");
}

static HubdHubLfsBatch *
lfs_batch(Fixture *f, HubdHubLfsOperation op, const gchar *oid, guint64 size, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;
	const HubdHubLfsObjectSpec spec = {oid, size};

	hubd_hub_api_lfs_batch_async(f->alice,
				     HUBD_REPO_TYPE_MODEL,
				     "alice/lfs",
				     "main",
				     op,
				     &spec,
				     1,
				     NULL,
				     result_cb,
				     &res);
	return hubd_hub_api_lfs_batch_finish(f->alice, wait_result(&res), error);
}

/* PUTs `data` to a URL the batch answer gave, as given, without the token;
 * returns the ETag */
static gchar *
put_part(Fixture *f, const gchar *url, const gchar *data, gsize len)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("PUT", url);
	g_autoptr(GBytes) bytes = g_bytes_new(data, len);
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdHubResponse) resp = NULL;

	hubd_hub_request_set_body(req, "application/octet-stream", bytes);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_ANONYMOUS);
	hubd_hub_api_request_async(f->alice, req, NULL, result_cb, &res);
	resp = hubd_hub_api_request_finish(f->alice, wait_result(&res), &error);
	g_assert_no_error(error);
	return g_strdup(soup_message_headers_get_one(hubd_hub_response_get_headers(resp), "ETag"));
}

/* the whole LFS round: batch, PUT (one part or several), complete, verify,
 * commit the pointer, and the batch then has nothing to upload */
static void
lfs_round(Fixture *f, gboolean multipart)
{
	g_autoptr(GString) content = g_string_new(NULL);
	g_autofree gchar *oid = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *line = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdHubLfsBatch) batch = NULL;
	g_autoptr(HubdHubLfsBatch) again = NULL;
	g_autoptr(HubdHubLfsBatch) download = NULL;
	g_autoptr(HubdHubCommitInfo) done = NULL;
	g_autoptr(GPtrArray) tree = NULL;
	g_autoptr(JsonObject) body = NULL;
	HubdHubLfsAction *action;

	url = create_repo(f->alice,
			  HUBD_REPO_TYPE_MODEL,
			  "alice/lfs",
			  HUBD_HUB_VISIBILITY_UNSET,
			  HUBD_HUB_API_FLAG_NONE,
			  NULL,
			  &error);
	g_assert_no_error(error);
	for (guint i = 0; content->len < 2500; i++)
		g_string_append_printf(content, "line %u of a large file\n", i);
	oid = g_compute_checksum_for_string(G_CHECKSUM_SHA256, content->str, content->len);

	batch = lfs_batch(f, HUBD_HUB_LFS_UPLOAD, oid, content->len, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->objects->len, ==, 1);
	action = g_ptr_array_index(batch->objects, 0);
	g_assert_cmpstr(action->oid, ==, oid);
	g_assert_null(action->error_message);
	g_assert_nonnull(action->upload_href);
	body = last_body(f, "POST", "^/alice/lfs\\.git/info/lfs/objects/batch$");
	g_assert_cmpstr(json_object_get_string_member(body, "operation"), ==, "upload");
	g_assert_cmpstr(
		json_object_get_string_member(json_object_get_object_member(body, "ref"), "name"),
		==,
		"main");
	if (multipart) {
		g_autoptr(GPtrArray) etags = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GAsyncResult) res = NULL;

		g_assert_cmpuint(action->chunk_size, ==, 1000);
		g_assert_cmpuint(action->part_urls->len, ==, 3);
		for (guint i = 0; i < action->part_urls->len; i++) {
			gsize start = i * action->chunk_size;
			gsize len = MIN(action->chunk_size, content->len - start);
			g_ptr_array_add(etags,
					put_part(f,
						 g_ptr_array_index(action->part_urls, i),
						 content->str + start,
						 len));
		}
		g_ptr_array_add(etags, NULL);
		hubd_hub_api_lfs_complete_async(f->alice,
						action->upload_href,
						oid,
						(const gchar *const *)etags->pdata,
						NULL,
						result_cb,
						&res);
		g_assert_true(
			hubd_hub_api_lfs_complete_finish(f->alice, wait_result(&res), &error));
		g_assert_no_error(error);
		/* both official clients complete without the token */
		g_assert_cmpuint(
			hubd_test_hub_count_requests(f->hub, "POST", "^/_lfs/complete/", "hub"),
			==,
			1);
	} else {
		g_autofree gchar *etag = NULL;
		g_assert_null(action->part_urls);
		etag = put_part(f, action->upload_href, content->str, content->len);
	}
	if (action->verify_href != NULL) {
		g_autoptr(GAsyncResult) res = NULL;
		hubd_hub_api_lfs_verify_async(f->alice,
					      action->verify_href,
					      oid,
					      content->len,
					      NULL,
					      result_cb,
					      &res);
		g_assert_true(hubd_hub_api_lfs_verify_finish(f->alice, wait_result(&res), &error));
		g_assert_no_error(error);
	}

	line = g_strdup_printf("{\"key\":\"header\",\"value\":{\"summary\":\"Add big\"}}\n"
			       "{\"key\":\"lfsFile\",\"value\":{\"path\":\"big.txt\",\"algo\":"
			       "\"sha256\",\"oid\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}}\n",
			       oid,
			       content->len);
	done = commit_ndjson(f->alice, "alice/lfs", HUBD_HUB_API_FLAG_NONE, line, &error);
	g_assert_no_error(error);
	tree = list_tree(f->alice, "alice/lfs", NULL, NULL, 0, 0, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(find_entry(tree, "big.txt")->lfs_sha256, ==, oid);

	/* stored: no upload action any more; and it can be downloaded */
	again = lfs_batch(f, HUBD_HUB_LFS_UPLOAD, oid, content->len, &error);
	g_assert_no_error(error);
	g_assert_null(((HubdHubLfsAction *)g_ptr_array_index(again->objects, 0))->upload_href);
	download = lfs_batch(f, HUBD_HUB_LFS_DOWNLOAD, oid, content->len, &error);
	g_assert_no_error(error);
	g_assert_nonnull(
		((HubdHubLfsAction *)g_ptr_array_index(download->objects, 0))->download_href);
}

static void
test_lfs_basic(Fixture *f, gconstpointer data)
{
	lfs_round(f, FALSE);
}

static void
test_lfs_multipart(Fixture *f, gconstpointer data)
{
	lfs_round(f, TRUE);
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

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) \
	g_test_add("/hubd/hub-api/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	g_test_add_func("/hubd/hub-api/file-urls", test_file_urls);
	ADD("urls", test_urls);
	ADD("whoami", test_whoami);
	ADD("repo-lifecycle", test_repo_lifecycle);
	ADD("refused-locally", test_refused_locally);
	ADD("list-repos", test_list_repos);
	ADD("tree", test_tree);
	ADD("tree-unsafe", test_tree_unsafe);
	ADD("paths-info", test_paths_info);
	ADD("refs", test_refs);
	ADD("commits", test_commits);
	ADD("preupload-commit", test_preupload_commit);
	ADD("lfs-basic", test_lfs_basic);
	ADD("generic", test_generic);
#undef ADD
	g_test_add("/hubd/hub-api/lfs-multipart",
		   Fixture,
		   NULL,
		   fixture_setup_multipart,
		   test_lfs_multipart,
		   fixture_teardown);
	return g_test_run();
}
