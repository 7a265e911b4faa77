/* hubd-hub-api-test-refs.c: branches and tags, and the commit history (part of
 * hubd-hub-api-test) */
#define G_LOG_DOMAIN "HubdHubApiTest"

#include "hubd-hub-api-test-common.h"

/* ---- refs and history ---- */

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

void
hubd_hub_api_test_add_refs(void)
{
	ADD("refs", test_refs);
	ADD("commits", test_commits);
}
