/* testhub-discussions.c: discussions and pull requests of the local Hub —
 * list, details (events, diff), create, comment, edit and hide a comment,
 * rename, change status, merge (docs/hub-discussions.md). Uploads with
 * create_pr open PRs here through testhub_discussions_pr_opened().
 */
#include <stdlib.h>
#include <string.h>

#include "testhub-community.h"
#include "testhub-routes.h"

#define DEFAULT_PAGE 50

/* ---- reading ---- */

static gboolean
matches(JsonObject *d, const gchar *kind, const gchar *status, const gchar *author)
{
	gboolean pr = json_object_get_boolean_member_with_default(d, "isPullRequest", FALSE);
	const gchar *st = json_object_get_string_member_with_default(d, "status", "");
	JsonObject *a = json_object_get_object_member(d, "author");

	if ((g_strcmp0(kind, "discussion") == 0 && pr) ||
	    (g_strcmp0(kind, "pull_request") == 0 && !pr))
		return FALSE;
	/* "open" lists drafts too; "closed" lists merged ones */
	if (g_strcmp0(status, "open") == 0 && g_strcmp0(st, "open") != 0 &&
	    g_strcmp0(st, "draft") != 0)
		return FALSE;
	if (g_strcmp0(status, "closed") == 0 && g_strcmp0(st, "closed") != 0 &&
	    g_strcmp0(st, "merged") != 0)
		return FALSE;
	return author == NULL ||
	       g_strcmp0(json_object_get_string_member_with_default(a, "name", ""), author) == 0;
}

static void
list_discussions(TesthubContext *ctx, SoupServerMessage *msg, TesthubRepo *repo)
{
	g_autoptr(JsonObject) state = testhub_community_load(ctx, repo);
	JsonArray *all = testhub_community_array(state, "discussions");
	g_autoptr(TesthubQuery) q =
		testhub_query_parse(g_uri_get_query(soup_server_message_get_uri(msg)));
	const gchar *p = testhub_query_get(q, "p");
	guint page_size = testhub_get_page_size() > 0 ? testhub_get_page_size() : DEFAULT_PAGE;
	guint start = (p != NULL ? (guint)g_ascii_strtoull(p, NULL, 10) : 0) * page_size;
	JsonObject *o = json_object_new();
	JsonArray *out = json_array_new();
	guint count = 0;

	/* newest first, as the Hub lists them */
	for (guint i = json_array_get_length(all); i-- > 0;) {
		JsonObject *d = json_array_get_object_element(all, i);
		JsonObject *item;

		if (!matches(d,
			     testhub_query_get(q, "type"),
			     testhub_query_get(q, "status"),
			     testhub_query_get(q, "author")))
			continue;
		if (count++ < start || json_array_get_length(out) >= page_size)
			continue;
		item = testhub_community_public_copy(d);
		json_object_remove_member(item, "events");
		json_object_remove_member(item, "changes");
		json_object_remove_member(item, "filesWithConflicts");
		json_array_add_object_element(out, item);
	}
	json_object_set_array_member(o, "discussions", out);
	json_object_set_int_member(o, "count", count);
	json_object_set_int_member(o, "start", start);
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(o));
}

static void
reply_details(TesthubContext *ctx, SoupServerMessage *msg, TesthubRepo *repo, JsonObject *d)
{
	JsonObject *o = testhub_community_public_copy(d);
	g_autoptr(TesthubQuery) q =
		testhub_query_parse(g_uri_get_query(soup_server_message_get_uri(msg)));
	g_autoptr(GError) error = NULL;

	if (json_object_get_boolean_member_with_default(d, "isPullRequest", FALSE) &&
	    testhub_query_bool(testhub_query_get(q, "diff"), FALSE)) {
		g_autofree gchar *num =
			g_strdup_printf("refs/pr/%" G_GINT64_FORMAT,
					json_object_get_int_member_with_default(d, "num", 0));
		g_autofree gchar *head = testhub_store_resolve_revision(ctx->store, repo, num);
		const gchar *base =
			json_object_get_string_member_with_default(d, "_baseCommit", NULL);
		g_autofree gchar *diff = head != NULL && base != NULL
						 ? testhub_discussions_diff(ctx, base, head, &error)
						 : g_strdup("");

		json_object_set_string_member(o, "diff", diff != NULL ? diff : "");
	}
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(o));
}

/* ---- writing ---- */

typedef struct {
	const TesthubUser *user;
	gboolean writer; /* write token of the owner or an org member */
} Caller;

static gboolean
get_caller(TesthubContext *ctx,
	   SoupServerMessage *msg,
	   TesthubRepo *repo,
	   const TesthubUser *user,
	   Caller *caller)
{
	const TesthubToken *token = NULL;
	gboolean replied = FALSE;

	caller->user = user;
	testhub_request_user(ctx, msg, &token, &replied);
	if (user == NULL) {
		testhub_reply_error(msg,
				    SOUP_STATUS_UNAUTHORIZED,
				    NULL,
				    "Invalid username or password.");
		return FALSE;
	}
	if (g_strcmp0(token->role, "write") != 0) {
		testhub_reply_error(msg,
				    SOUP_STATUS_FORBIDDEN,
				    NULL,
				    "You don't have the rights to write to this repository. Pass a "
				    "token with write access.");
		return FALSE;
	}
	caller->writer = testhub_user_can_write_repo(ctx, user, token, repo);
	return TRUE;
}

static gboolean
check_title(SoupServerMessage *msg, const gchar *title)
{
	glong len = title != NULL ? g_utf8_strlen(title, -1) : 0;

	if (title != NULL && len >= 3 && len <= 200)
		return TRUE;
	testhub_reply_error(msg,
			    SOUP_STATUS_BAD_REQUEST,
			    NULL,
			    "Title must be between 3 and 200 characters long");
	return FALSE;
}

static void
forbid(SoupServerMessage *msg)
{
	testhub_reply_error(msg,
			    SOUP_STATUS_FORBIDDEN,
			    NULL,
			    "You don't have the rights to do this on this discussion.");
}

static void
create_discussion(TesthubContext *ctx,
		  SoupServerMessage *msg,
		  TesthubRepo *repo,
		  const Caller *caller)
{
	g_autoptr(JsonObject) body = testhub_request_json_object(msg);
	g_autoptr(JsonObject) state = NULL;
	const gchar *title;
	const gchar *description;
	gboolean pr;
	guint num;
	JsonObject *d;
	JsonObject *o;
	g_autofree gchar *ref = NULL;
	g_autoptr(GError) error = NULL;
	TesthubRef *main_ref;

	if (body == NULL)
		return;
	title = json_object_get_string_member_with_default(body, "title", NULL);
	description = json_object_get_string_member_with_default(body, "description", "");
	pr = json_object_get_boolean_member_with_default(body, "pullRequest", FALSE);
	if (!check_title(msg, title))
		return;
	main_ref = g_ptr_array_index(repo->branches, 0);
	state = testhub_community_load(ctx, repo);
	num = testhub_disc_next_number(state, repo);
	d = testhub_disc_new(ctx, state, repo, num, title, caller->user->name, pr);
	if (description[0] != '\0')
		testhub_disc_add_event(
			ctx,
			state,
			d,
			"comment",
			caller->user->name,
			testhub_disc_comment_data(ctx, caller->user->name, description));
	if (pr) {
		/* a PR opened this way is a draft on refs/pr/N at main's head */
		json_object_set_string_member(d, "status", "draft");
		testhub_disc_set_pr_changes(d, main_ref->name, main_ref->target);
		ref = g_strdup_printf("refs/pr/%u", num);
		if (!testhub_store_set_branch(ctx->store, repo, ref, main_ref->target, &error)) {
			testhub_reply_error(msg,
					    SOUP_STATUS_INTERNAL_SERVER_ERROR,
					    NULL,
					    error->message);
			return;
		}
	}
	if (!testhub_disc_save(ctx, repo, state, msg))
		return;
	testhub_discussions_event_happened(ctx, repo, d, NULL, "create");
	o = json_object_new();
	json_object_set_int_member(o, "num", num);
	json_object_set_string_member(o, "status", json_object_get_string_member(d, "status"));
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(o));
}

static JsonObject *
find_event(JsonObject *d, const gchar *id)
{
	JsonArray *events = testhub_community_array(d, "events");

	for (guint i = 0; i < json_array_get_length(events); i++) {
		JsonObject *e = json_array_get_object_element(events, i);

		if (g_strcmp0(json_object_get_string_member_with_default(e, "id", ""), id) == 0 &&
		    g_strcmp0(json_object_get_string_member_with_default(e, "type", ""),
			      "comment") == 0)
			return e;
	}
	return NULL;
}

static gboolean
is_author(JsonObject *o, const Caller *caller)
{
	JsonObject *a = json_object_get_object_member(o, "author");

	return a != NULL && g_strcmp0(json_object_get_string_member_with_default(a, "name", ""),
				      caller->user->name) == 0;
}

/* comment/{id}/edit and comment/{id}/hide; returns the event or NULL (replied) */
static JsonObject *
change_comment(TesthubContext *ctx,
	       SoupServerMessage *msg,
	       JsonObject *d,
	       const gchar *id,
	       gboolean hide,
	       const Caller *caller)
{
	JsonObject *e = find_event(d, id);
	JsonObject *data;
	g_autoptr(JsonObject) body = NULL;
	g_autoptr(JsonObject) fresh = NULL;
	const gchar *content;

	if (e == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Comment not found");
		return NULL;
	}
	/* authors edit their comments; hiding is for them and the repo's writers */
	if (!is_author(e, caller) && (!hide || !caller->writer)) {
		forbid(msg);
		return NULL;
	}
	data = json_object_get_object_member(e, "data");
	if (hide) {
		json_object_set_boolean_member(data, "hidden", TRUE);
		json_object_set_string_member(data, "hiddenBy", caller->user->name);
		return e;
	}
	body = testhub_request_json_object(msg);
	if (body == NULL)
		return NULL;
	content = json_object_get_string_member_with_default(body, "content", NULL);
	if (content == NULL || content[0] == '\0') {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "content is required");
		return NULL;
	}
	fresh = testhub_disc_comment_data(ctx, caller->user->name, content);
	json_array_add_object_element(
		testhub_community_array(data, "history"),
		json_object_ref(json_object_get_object_member(data, "latest")));
	json_object_set_object_member(
		data,
		"latest",
		json_object_ref(json_object_get_object_member(fresh, "latest")));
	json_object_set_boolean_member(data, "edited", TRUE);
	json_object_set_int_member(data,
				   "numEdits",
				   json_object_get_int_member_with_default(data, "numEdits", 0) +
					   1);
	return e;
}

/* merges PR `d` into its branch; FALSE when it has replied with an error */
static gboolean
merge_pr(TesthubContext *ctx,
	 SoupServerMessage *msg,
	 TesthubRepo *repo,
	 JsonObject *d,
	 const Caller *caller)
{
	gint64 num = json_object_get_int_member_with_default(d, "num", 0);
	g_autofree gchar *pr_ref = g_strdup_printf("refs/pr/%" G_GINT64_FORMAT, num);
	g_autofree gchar *head = testhub_store_resolve_revision(ctx->store, repo, pr_ref);
	const gchar *base = json_object_get_string_member_with_default(d, "_baseCommit", "");
	const gchar *branch = json_object_get_string_member_with_default(d, "_branch", "main");
	TesthubRef *target = testhub_store_find_branch(repo, branch);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *oid = NULL;

	if (!json_object_get_boolean_member_with_default(d, "isPullRequest", FALSE) ||
	    g_strcmp0(json_object_get_string_member(d, "status"), "open") != 0) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "Only an open pull request can be merged");
		return FALSE;
	}
	if (head == NULL || target == NULL) {
		testhub_reply_error(msg,
				    SOUP_STATUS_NOT_FOUND,
				    "RevisionNotFound",
				    "Invalid rev id");
		return FALSE;
	}
	oid = testhub_discussions_merge(ctx,
					base,
					head,
					target->target,
					json_object_get_string_member(d, "title"),
					caller->user->name,
					&error);
	if (oid == NULL) {
		gboolean conflict = g_error_matches(error, G_IO_ERROR, G_IO_ERROR_EXISTS);

		testhub_reply_error(msg,
				    conflict ? SOUP_STATUS_CONFLICT
					     : SOUP_STATUS_INTERNAL_SERVER_ERROR,
				    NULL,
				    error->message);
		return FALSE;
	}
	if (!testhub_store_set_branch(ctx->store, repo, branch, oid, &error)) {
		testhub_reply_error(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, error->message);
		return FALSE;
	}
	json_object_set_string_member(json_object_get_object_member(d, "changes"),
				      "mergeCommitId",
				      oid);
	return TRUE;
}

/* POST …/discussions/{num}/{comment|title|status|merge} and comment/{id}/{edit|hide} */
static void
act(TesthubContext *ctx,
    SoupServerMessage *msg,
    TesthubRepo *repo,
    const Caller *caller,
    guint num,
    gchar **segs,
    guint n)
{
	g_autoptr(JsonObject) state = testhub_community_load(ctx, repo);
	JsonObject *d = testhub_disc_find(state, num);
	g_autoptr(JsonObject) body = NULL;
	const gchar *what = segs[2];
	const gchar *answer_key;
	const gchar *action = "update";
	JsonObject *e = NULL;
	JsonObject *data;
	JsonObject *o;

	if (d == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Discussion not found");
		return;
	}
	if (n == 5) {
		e = change_comment(ctx, msg, d, segs[3], g_strcmp0(segs[4], "hide") == 0, caller);
		if (e == NULL)
			return;
		answer_key = "updatedComment";
		action = g_strcmp0(segs[4], "hide") == 0 ? "hide" : "edit";
	} else if (g_strcmp0(what, "merge") == 0) {
		/* the body ({"comment"}) is optional and ignored, as on the Hub */
		if (!caller->writer) {
			forbid(msg);
			return;
		}
		if (!merge_pr(ctx, msg, repo, d, caller))
			return;
		json_object_set_string_member(d, "status", "merged");
		data = json_object_new();
		json_object_set_string_member(data, "status", "merged");
		e = testhub_disc_add_event(ctx,
					   state,
					   d,
					   "status-change",
					   caller->user->name,
					   data);
		answer_key = NULL;
	} else {
		body = testhub_request_json_object(msg);
		if (body == NULL)
			return;
		if (g_strcmp0(what, "comment") == 0) {
			const gchar *text =
				json_object_get_string_member_with_default(body, "comment", "");

			if (text[0] == '\0') {
				testhub_reply_error(msg,
						    SOUP_STATUS_BAD_REQUEST,
						    NULL,
						    "comment is required");
				return;
			}
			e = testhub_disc_add_event(
				ctx,
				state,
				d,
				"comment",
				caller->user->name,
				testhub_disc_comment_data(ctx, caller->user->name, text));
			answer_key = "newMessage";
			action = "comment";
		} else if (!caller->writer && !is_author(d, caller)) {
			forbid(msg);
			return;
		} else if (g_strcmp0(what, "title") == 0) {
			const gchar *title =
				json_object_get_string_member_with_default(body, "title", NULL);

			if (!check_title(msg, title))
				return;
			data = json_object_new();
			json_object_set_string_member(data,
						      "from",
						      json_object_get_string_member(d, "title"));
			json_object_set_string_member(data, "to", title);
			json_object_set_string_member(d, "title", title);
			e = testhub_disc_add_event(ctx,
						   state,
						   d,
						   "title-change",
						   caller->user->name,
						   data);
			answer_key = "newTitle";
		} else {
			const gchar *status =
				json_object_get_string_member_with_default(body, "status", "");
			const gchar *comment =
				json_object_get_string_member_with_default(body, "comment", "");
			const gchar *now = json_object_get_string_member(d, "status");

			if ((g_strcmp0(status, "open") != 0 && g_strcmp0(status, "closed") != 0) ||
			    g_strcmp0(now, "merged") == 0 || g_strcmp0(now, status) == 0) {
				testhub_reply_error(
					msg,
					SOUP_STATUS_BAD_REQUEST,
					NULL,
					"status must be open or closed, and differ from "
					"the current one (merged is final)");
				return;
			}
			if (comment[0] != '\0')
				testhub_disc_add_event(ctx,
						       state,
						       d,
						       "comment",
						       caller->user->name,
						       testhub_disc_comment_data(ctx,
										 caller->user->name,
										 comment));
			json_object_set_string_member(d, "status", status);
			data = json_object_new();
			json_object_set_string_member(data, "status", status);
			e = testhub_disc_add_event(ctx,
						   state,
						   d,
						   "status-change",
						   caller->user->name,
						   data);
			answer_key = "newStatus";
		}
	}
	if (!testhub_disc_save(ctx, repo, state, msg))
		return;
	testhub_discussions_event_happened(ctx, repo, d, e, action);
	o = json_object_new();
	if (answer_key != NULL)
		json_object_set_object_member(o, answer_key, json_object_ref(e));
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(o));
}

void
testhub_route_discussions(TesthubContext *ctx,
			  SoupServerMessage *msg,
			  TesthubRepoType type,
			  const gchar *repo_id,
			  gchar **segs,
			  guint n)
{
	const gchar *method = soup_server_message_get_method(msg);
	gboolean get = g_strcmp0(method, "GET") == 0 || g_strcmp0(method, "HEAD") == 0;
	gboolean post = g_strcmp0(method, "POST") == 0;
	const TesthubUser *user = NULL;
	TesthubRepo *repo;
	Caller caller = {NULL, FALSE};
	gchar *end = NULL;
	guint64 num = 0;
	static const gchar *const actions[] = {"comment", "title", "status", "merge", NULL};

	if (n >= 2) {
		num = g_ascii_strtoull(segs[1], &end, 10);
		if (end == segs[1] || *end != '\0' || num == 0 || num > G_MAXUINT) {
			testhub_reply_error(msg,
					    SOUP_STATUS_NOT_FOUND,
					    NULL,
					    "Discussion not found");
			return;
		}
	}
	if (!((n <= 2 && get) || (n == 1 && post) ||
	      (n == 3 && post && g_strv_contains(actions, segs[2])) ||
	      (n == 5 && post && g_strcmp0(segs[2], "comment") == 0 &&
	       (g_strcmp0(segs[4], "edit") == 0 || g_strcmp0(segs[4], "hide") == 0)))) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
		return;
	}
	repo = testhub_request_repo(ctx, msg, type, repo_id, FALSE, &user);
	if (repo == NULL)
		return;
	if (repo->discussions_disabled) {
		testhub_reply_error(msg,
				    SOUP_STATUS_FORBIDDEN,
				    NULL,
				    "Discussions are disabled for this repo");
		return;
	}
	if (get && n == 1) {
		list_discussions(ctx, msg, repo);
	} else if (get) {
		g_autoptr(JsonObject) state = testhub_community_load(ctx, repo);
		JsonObject *d = testhub_disc_find(state, (guint)num);

		if (d == NULL)
			testhub_reply_error(msg,
					    SOUP_STATUS_NOT_FOUND,
					    NULL,
					    "Discussion not found");
		else
			reply_details(ctx, msg, repo, d);
	} else if (get_caller(ctx, msg, repo, user, &caller)) {
		if (n == 1)
			create_discussion(ctx, msg, repo, &caller);
		else
			act(ctx, msg, repo, &caller, (guint)num, segs, n);
	}
}
