/* hubd-hub-api-test-repos.c: whoami, and repos: create, info, settings, move,
 * delete, arguments refused before sending, listing past one page (part of
 * hubd-hub-api-test) */
#define G_LOG_DOMAIN "HubdHubApiTest"

#include "hubd-hub-api-test-common.h"

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

void
hubd_hub_api_test_add_repos(void)
{
	ADD("whoami", test_whoami);
	ADD("repo-lifecycle", test_repo_lifecycle);
	ADD("refused-locally", test_refused_locally);
	ADD("list-repos", test_list_repos);
}
