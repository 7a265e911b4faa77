/* hubd-hub-api-test-uploads.c: preupload and commits, and the LFS batch API with
 * one part or several (part of hubd-hub-api-test) */
#define G_LOG_DOMAIN "HubdHubApiTest"

#include "hubd-hub-api-test-common.h"

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

void
hubd_hub_api_test_add_uploads(void)
{
	ADD("preupload-commit", test_preupload_commit);
	ADD("lfs-basic", test_lfs_basic);
	/* its own setup: a Hub that asks for parts of 1000 bytes */
	g_test_add("/hubd/hub-api/lfs-multipart",
		   Fixture,
		   NULL,
		   fixture_setup_multipart,
		   test_lfs_multipart,
		   fixture_teardown);
}
