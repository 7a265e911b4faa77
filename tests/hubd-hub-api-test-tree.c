/* hubd-hub-api-test-tree.c: listing a revision's tree and paths-info (part of
 * hubd-hub-api-test) */
#define G_LOG_DOMAIN "HubdHubApiTest"

#include "hubd-hub-api-test-common.h"

/* ---- tree and paths-info ---- */

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

void
hubd_hub_api_test_add_tree(void)
{
	ADD("tree", test_tree);
	ADD("tree-unsafe", test_tree_unsafe);
	ADD("paths-info", test_paths_info);
}
