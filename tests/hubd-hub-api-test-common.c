/* hubd-hub-api-test-common.c: the fixture (a local Hub with pages of 2, APIs
 * as alice and without a token), waiting for a result, the Hub's log and
 * the synchronous calls the parts of hubd-hub-api-test share */
#define G_LOG_DOMAIN "HubdHubApiTest"

#include "hubd-hub-api-test-common.h"

#include "hubd-token-store.h"

/* An API whose current token is `token` (NULL: none), as the daemon gets
 * one from HF_TOKEN. */
HubdHubApi *
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

void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *args[] = {"--page-size", "2", NULL};

	fixture_start(f, args);
}

void
fixture_setup_multipart(Fixture *f, gconstpointer data)
{
	const gchar *args[] = {"--page-size", "2", "--lfs-chunk-size", "1000", NULL};

	fixture_start(f, args);
}

void
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

void
result_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(res);
}

static gboolean
result_ready(gpointer user_data)
{
	return *(GAsyncResult **)user_data != NULL;
}

GAsyncResult *
wait_result(GAsyncResult **slot)
{
	g_assert_true(hubd_test_wait_for(result_ready, slot, HUBD_TEST_TIMEOUT_S * 1000));
	return *slot;
}

/* the body (parsed) of the last logged request with `method` on a path
 * matching `path_regex` */
JsonObject *
last_body(Fixture *f, const gchar *method, const gchar *path_regex)
{
	return hubd_test_hub_last_body(f->hub, method, path_regex);
}

/* the query of the last logged request on a path matching `path_regex` */
gchar *
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

gchar *
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

GPtrArray *
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

gchar *
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

const HubdHubTreeEntry *
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
const HubdHubTreeEntry *
find_entry(GPtrArray *entries, const gchar *path)
{
	const HubdHubTreeEntry *e = lookup_entry(entries, path);

	if (e == NULL)
		g_error("no entry %s", path);
	return e;
}

/* ---- alice's repo of a few files, regular and LFS ---- */

gchar *
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
