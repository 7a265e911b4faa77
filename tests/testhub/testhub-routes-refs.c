/* testhub-routes-refs.c: refs, commit history, branches and tags of the local Hub. */
#include <string.h>

#include "testhub-routes.h"
#include "testhub-webhooks.h"

static JsonArray *
refs_json(GPtrArray *refs, const gchar *ref_prefix, gboolean name_is_ref)
{
	JsonArray *arr = json_array_new();

	for (guint i = 0; i < refs->len; i++) {
		TesthubRef *r = g_ptr_array_index(refs, i);
		JsonObject *o = json_object_new();
		g_autofree gchar *ref = g_strconcat(ref_prefix, r->name, NULL);

		json_object_set_string_member(o, "name", name_is_ref ? ref : r->name);
		json_object_set_string_member(o, "ref", ref);
		json_object_set_string_member(o, "targetCommit", r->target);
		json_array_add_object_element(arr, o);
	}
	return arr;
}

void
testhub_route_refs(TesthubContext *ctx,
		   SoupServerMessage *msg,
		   TesthubRepoType type,
		   const gchar *repo_id)
{
	g_autoptr(TesthubQuery) q =
		testhub_query_parse(g_uri_get_query(soup_server_message_get_uri(msg)));
	TesthubRepo *repo = testhub_request_repo(ctx, msg, type, repo_id, FALSE, NULL);
	JsonObject *o;

	if (repo == NULL)
		return;
	o = json_object_new();
	json_object_set_array_member(o,
				     "branches",
				     refs_json(repo->branches, "refs/heads/", FALSE));
	json_object_set_array_member(o, "converts", json_array_new());
	json_object_set_array_member(o, "tags", refs_json(repo->tags, "refs/tags/", FALSE));
	if (testhub_query_bool(testhub_query_get(q, "include_prs"), FALSE))
		json_object_set_array_member(o,
					     "pullRequests",
					     refs_json(repo->prs, "refs/pr/", TRUE));
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(o));
}

static JsonObject *
commit_json(TesthubContext *ctx, TesthubCommit *c, gboolean formatted)
{
	JsonObject *o = json_object_new();
	JsonArray *authors = json_array_new();
	JsonObject *author = json_object_new();
	g_autofree gchar *date = testhub_iso_date(c->date);
	g_autofree gchar *avatar = g_strdup_printf("%s/avatars/%s.svg", ctx->base_url, c->author);

	json_object_set_string_member(o, "id", c->id);
	json_object_set_string_member(o, "title", c->title);
	json_object_set_string_member(o, "message", c->message);
	json_object_set_string_member(author, "user", c->author);
	json_object_set_string_member(author, "avatar", avatar);
	json_array_add_object_element(authors, author);
	json_object_set_array_member(o, "authors", authors);
	json_object_set_string_member(o, "date", date);
	if (formatted) {
		JsonObject *f = json_object_new();
		g_autofree gchar *title = g_markup_escape_text(c->title, -1);
		g_autofree gchar *message = g_markup_escape_text(c->message, -1);

		json_object_set_string_member(f, "title", title);
		json_object_set_string_member(f, "message", message);
		json_object_set_object_member(o, "formatted", f);
	}
	return o;
}

void
testhub_route_commits(TesthubContext *ctx,
		      SoupServerMessage *msg,
		      TesthubRepoType type,
		      const gchar *repo_id,
		      const gchar *rev)
{
	g_autoptr(TesthubQuery) q =
		testhub_query_parse(g_uri_get_query(soup_server_message_get_uri(msg)));
	g_autoptr(TesthubCommit) head = NULL;
	g_autoptr(GPtrArray) history = NULL;
	g_autoptr(GError) error = NULL;
	TesthubRepo *repo = testhub_request_repo(ctx, msg, type, repo_id, FALSE, NULL);
	GPtrArray *expand = testhub_query_get_all(q, "expand[]");
	gboolean formatted = FALSE;
	guint64 limit = testhub_get_page_size() > 0 ? testhub_get_page_size() : 50;
	guint64 pageno = 0;
	g_autofree gchar *total = NULL;
	JsonArray *arr;

	if (repo == NULL)
		return;
	head = testhub_route_load_revision(ctx, msg, repo, rev);
	if (head == NULL)
		return;
	history = testhub_store_history(ctx->store, head->id, 0, &error);
	if (history == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, error->message);
		return;
	}
	for (guint i = 0; i < expand->len; i++)
		formatted |= g_strcmp0(g_ptr_array_index(expand, i), "formatted") == 0;
	formatted |= g_strcmp0(testhub_query_get(q, "expand"), "formatted") == 0;
	if (testhub_query_get(q, "limit") != NULL &&
	    !g_ascii_string_to_unsigned(testhub_query_get(q, "limit"), 10, 1, 1000, &limit, NULL)) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid limit");
		return;
	}
	if (testhub_query_get(q, "p") != NULL &&
	    !g_ascii_string_to_unsigned(testhub_query_get(q, "p"),
					10,
					0,
					G_MAXUINT32,
					&pageno,
					NULL)) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid page");
		return;
	}
	arr = json_array_new();
	for (guint64 i = pageno * limit; i < history->len && i < (pageno + 1) * limit; i++)
		json_array_add_object_element(
			arr,
			commit_json(ctx, g_ptr_array_index(history, (guint)i), formatted));
	if ((pageno + 1) * limit < history->len) {
		g_autofree gchar *next = g_strdup_printf("%" G_GUINT64_FORMAT, pageno + 1);

		testhub_set_next_link(ctx, msg, "p", next);
	}
	total = g_strdup_printf("%u", history->len);
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "X-Total-Count",
				     total);
	testhub_reply_json(msg, SOUP_STATUS_OK, json_node_init_array(json_node_alloc(), arr));
	json_array_unref(arr);
}

/* optional JSON body: {} when empty; NULL after replying 400 */
static JsonObject *
optional_json_body(SoupServerMessage *msg)
{
	if (soup_server_message_get_request_body(msg)->length == 0)
		return json_object_new();
	return testhub_request_json_object(msg);
}

static void
reply_ok(SoupServerMessage *msg)
{
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(json_object_new()));
}

void
testhub_route_branch(TesthubContext *ctx,
		     SoupServerMessage *msg,
		     TesthubRepoType type,
		     const gchar *repo_id,
		     const gchar *branch)
{
	const TesthubUser *user = NULL;
	TesthubRepo *repo = testhub_request_repo(ctx, msg, type, repo_id, TRUE, &user);
	g_autoptr(JsonObject) o = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *target = NULL;
	g_autofree gchar *old_sha = NULL;
	g_autofree gchar *ref = NULL;
	const gchar *start;
	gboolean overwrite;

	if (repo == NULL)
		return;
	if (g_strcmp0(soup_server_message_get_method(msg), "DELETE") == 0) {
		TesthubRef *old = testhub_store_find_branch(repo, branch);
		g_autofree gchar *deleted_sha = old != NULL ? g_strdup(old->target) : NULL;
		g_autofree gchar *deleted_ref = g_strconcat("refs/heads/", branch, NULL);

		if (!testhub_store_delete_branch(ctx->store, repo, branch, &error)) {
			if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
				testhub_reply_error(msg,
						    SOUP_STATUS_FORBIDDEN,
						    NULL,
						    "Cannot delete the default branch");
			else
				testhub_reply_error(msg,
						    SOUP_STATUS_NOT_FOUND,
						    "RevisionNotFound",
						    "Invalid rev id");
			return;
		}
		reply_ok(msg);
		testhub_webhooks_emit(
			ctx,
			repo,
			"repo.content",
			"update",
			testhub_webhooks_updated_ref(NULL, deleted_ref, deleted_sha, NULL));
		return;
	}
	o = optional_json_body(msg);
	if (o == NULL)
		return;
	start = json_object_get_string_member_with_default(o, "startingPoint", NULL);
	overwrite = json_object_get_boolean_member_with_default(o, "overwrite", FALSE);
	if (testhub_store_find_branch(repo, branch) != NULL && !overwrite) {
		testhub_reply_error(msg, SOUP_STATUS_CONFLICT, NULL, "Reference already exists");
		return;
	}
	if (json_object_get_boolean_member_with_default(o, "emptyBranch", FALSE)) {
		target = testhub_store_write_commit(ctx->store,
						    NULL,
						    NULL,
						    "Create empty branch",
						    "",
						    user != NULL ? user->name : "system",
						    &error);
	} else {
		target = testhub_store_resolve_revision(ctx->store,
							repo,
							start != NULL ? start : "main");
		if (target == NULL) {
			g_autofree gchar *m = g_strdup_printf("Invalid rev id: %s", start);

			testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, "RevisionNotFound", m);
			return;
		}
	}
	if (testhub_store_find_branch(repo, branch) != NULL)
		old_sha = g_strdup(testhub_store_find_branch(repo, branch)->target);
	if (target == NULL || !testhub_store_set_branch(ctx->store, repo, branch, target, &error)) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    error != NULL ? error->message : "Invalid branch");
		return;
	}
	reply_ok(msg);
	ref = g_strconcat("refs/heads/", branch, NULL);
	testhub_webhooks_emit(ctx,
			      repo,
			      "repo.content",
			      "update",
			      testhub_webhooks_updated_ref(NULL, ref, old_sha, target));
}

void
testhub_route_tag(TesthubContext *ctx,
		  SoupServerMessage *msg,
		  TesthubRepoType type,
		  const gchar *repo_id,
		  const gchar *rev_or_tag)
{
	TesthubRepo *repo = testhub_request_repo(ctx, msg, type, repo_id, TRUE, NULL);
	g_autoptr(JsonObject) o = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *target = NULL;
	const gchar *tag;

	if (repo == NULL)
		return;
	if (g_strcmp0(soup_server_message_get_method(msg), "DELETE") == 0) {
		TesthubRef *old = testhub_store_find_tag(repo, rev_or_tag);
		g_autofree gchar *old_sha = old != NULL ? g_strdup(old->target) : NULL;
		g_autofree gchar *ref = g_strconcat("refs/tags/", rev_or_tag, NULL);

		if (!testhub_store_delete_tag(ctx->store, repo, rev_or_tag, &error)) {
			g_autofree gchar *m = g_strdup_printf("Invalid rev id: %s", rev_or_tag);

			testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, "RevisionNotFound", m);
			return;
		}
		reply_ok(msg);
		testhub_webhooks_emit(ctx,
				      repo,
				      "repo.content",
				      "update",
				      testhub_webhooks_updated_ref(NULL, ref, old_sha, NULL));
		return;
	}
	o = testhub_request_json_object(msg);
	if (o == NULL)
		return;
	tag = json_object_get_string_member_with_default(o, "tag", NULL);
	if (tag == NULL || tag[0] == '\0') {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "Missing tag name");
		return;
	}
	target = testhub_store_resolve_revision(ctx->store, repo, rev_or_tag);
	if (target == NULL) {
		g_autofree gchar *m = g_strdup_printf("Invalid rev id: %s", rev_or_tag);

		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, "RevisionNotFound", m);
		return;
	}
	if (testhub_store_find_tag(repo, tag) != NULL) {
		testhub_reply_error(msg, SOUP_STATUS_CONFLICT, NULL, "Tag already exists");
		return;
	}
	if (!testhub_store_set_tag(ctx->store,
				   repo,
				   tag,
				   target,
				   json_object_get_string_member_with_default(o, "message", NULL),
				   &error)) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, error->message);
		return;
	}
	reply_ok(msg);
	{
		g_autofree gchar *ref = g_strconcat("refs/tags/", tag, NULL);

		testhub_webhooks_emit(ctx,
				      repo,
				      "repo.content",
				      "update",
				      testhub_webhooks_updated_ref(NULL, ref, NULL, target));
	}
}
