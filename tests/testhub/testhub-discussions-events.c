/* testhub-discussions-events.c: the discussions' state changes the routes and
 * the commit side share — new discussions and events, PRs opened by commits,
 * and the one place where every event happens (for webhooks).
 */
#include "testhub-community.h"
#include "testhub-routes.h"
#include "testhub-webhooks.h"

static gchar *
now_iso(void)
{
	return testhub_iso_date(g_get_real_time() / G_USEC_PER_SEC);
}

/* ---- the one place events happen: webhook deliveries ---- */

static JsonObject *
author_id(TesthubContext *ctx, JsonObject *holder)
{
	JsonObject *a = json_object_get_object_member(holder, "author");
	const gchar *name =
		a != NULL ? json_object_get_string_member_with_default(a, "name", "") : "";
	const TesthubUser *u = testhub_users_by_name(ctx->users, name);
	JsonObject *o = json_object_new();
	g_autofree gchar *id =
		u != NULL ? g_strdup(u->id) : testhub_webhooks_object_id("user", name);

	json_object_set_string_member(o, "id", id);
	return o;
}

/* the payload's `discussion` (docs/hub-webhooks.md §1.5); its web URL in *web */
static JsonObject *
discussion_json(TesthubContext *ctx, TesthubRepo *repo, JsonObject *d, gchar **web)
{
	JsonObject *o = json_object_new();
	JsonObject *url = json_object_new();
	gint64 num = json_object_get_int_member_with_default(d, "num", 0);
	g_autofree gchar *repo_web = testhub_repo_url(ctx, repo);
	g_autofree gchar *key = g_strdup_printf("%s#%" G_GINT64_FORMAT, repo->id, num);
	g_autofree gchar *id = testhub_webhooks_object_id("discussion", key);
	g_autofree gchar *api = g_strdup_printf("%s/api/%s/%s/discussions/%" G_GINT64_FORMAT,
						ctx->base_url,
						testhub_repo_type_to_plural(repo->type),
						repo->id,
						num);

	*web = g_strdup_printf("%s/discussions/%" G_GINT64_FORMAT, repo_web, num);
	json_object_set_string_member(o, "id", id);
	json_object_set_int_member(o, "num", num);
	json_object_set_string_member(o, "title", json_object_get_string_member(d, "title"));
	json_object_set_string_member(o, "status", json_object_get_string_member(d, "status"));
	json_object_set_object_member(o, "author", author_id(ctx, d));
	json_object_set_boolean_member(o,
				       "isPullRequest",
				       json_object_get_boolean_member(d, "isPullRequest"));
	json_object_set_boolean_member(
		o,
		"pinned",
		json_object_get_boolean_member_with_default(d, "pinned", FALSE));
	if (json_object_has_member(d, "changes"))
		json_object_set_object_member(
			o,
			"changes",
			json_object_ref(json_object_get_object_member(d, "changes")));
	json_object_set_string_member(url, "web", *web);
	json_object_set_string_member(url, "api", api);
	json_object_set_object_member(o, "url", url);
	return o;
}

/* the payload's `comment` (§1.6): no content when hidden, the URL is the
 * discussion's with the comment id as fragment */
static JsonObject *
comment_json(TesthubContext *ctx, JsonObject *e, const gchar *discussion_web)
{
	JsonObject *o = json_object_new();
	JsonObject *url = json_object_new();
	JsonObject *data = json_object_get_object_member(e, "data");
	JsonObject *latest = data != NULL ? json_object_get_object_member(data, "latest") : NULL;
	gboolean hidden =
		data != NULL && json_object_get_boolean_member_with_default(data, "hidden", FALSE);
	const gchar *id = json_object_get_string_member(e, "id");
	g_autofree gchar *web = g_strdup_printf("%s#%s", discussion_web, id);

	json_object_set_string_member(o, "id", id);
	json_object_set_object_member(o, "author", author_id(ctx, e));
	json_object_set_boolean_member(o, "hidden", hidden);
	if (!hidden && latest != NULL)
		json_object_set_string_member(
			o,
			"content",
			json_object_get_string_member_with_default(latest, "raw", ""));
	json_object_set_string_member(url, "web", web);
	json_object_set_object_member(o, "url", url);
	return o;
}

static JsonObject *
first_comment(JsonObject *d)
{
	JsonArray *events = testhub_community_array(d, "events");

	for (guint i = 0; i < json_array_get_length(events); i++) {
		JsonObject *e = json_array_get_object_element(events, i);

		if (g_strcmp0(json_object_get_string_member_with_default(e, "type", ""),
			      "comment") == 0)
			return e;
	}
	return NULL;
}

void
testhub_discussions_event_happened(TesthubContext *ctx,
				   TesthubRepo *repo,
				   JsonObject *discussion,
				   JsonObject *event,
				   const gchar *action)
{
	/* hub-docs webhooks.md: "discussion" create|update (created, title or
	 * status changed, merged), "discussion.comment" create|update (created,
	 * edited, hidden); the first comment rides along with the creation. A
	 * commit to a PR is a repo.content event of the commit side, not one of
	 * these. */
	const gchar *scope = "discussion";
	const gchar *hub_action = "update";
	JsonObject *comment = NULL;
	JsonObject *extra;
	g_autofree gchar *web = NULL;

	if (g_str_equal(action, "commit"))
		return;
	if (g_str_equal(action, "create")) {
		hub_action = "create";
		comment =
			event != NULL &&
					g_strcmp0(json_object_get_string_member_with_default(event,
											     "type",
											     ""),
						  "comment") == 0
				? event
				: first_comment(discussion);
	} else if (g_str_equal(action, "comment")) {
		scope = "discussion.comment";
		hub_action = "create";
		comment = event;
	} else if (g_str_equal(action, "edit") || g_str_equal(action, "hide")) {
		scope = "discussion.comment";
		comment = event;
	}
	extra = json_object_new();
	json_object_set_object_member(extra,
				      "discussion",
				      discussion_json(ctx, repo, discussion, &web));
	if (comment != NULL)
		json_object_set_object_member(extra, "comment", comment_json(ctx, comment, web));
	testhub_webhooks_emit(ctx, repo, scope, hub_action, extra);
}

/* ---- state helpers ---- */

JsonObject *
testhub_disc_find(JsonObject *state, guint num)
{
	JsonArray *all = testhub_community_array(state, "discussions");

	for (guint i = 0; i < json_array_get_length(all); i++) {
		JsonObject *d = json_array_get_object_element(all, i);

		if (json_object_get_int_member_with_default(d, "num", 0) == (gint64)num)
			return d;
	}
	return NULL;
}

/* a new event of `type` by `author`, appended to the discussion; returns it (borrowed) */
JsonObject *
testhub_disc_add_event(TesthubContext *ctx,
		       JsonObject *state,
		       JsonObject *d,
		       const gchar *type,
		       const gchar *author,
		       JsonObject *data)
{
	JsonObject *e = json_object_new();
	g_autofree gchar *id = testhub_community_next_id(state);
	g_autofree gchar *now = now_iso();

	json_object_set_string_member(e, "id", id);
	json_object_set_string_member(e, "type", type);
	json_object_set_string_member(e, "createdAt", now);
	json_object_set_object_member(e, "author", testhub_community_author(ctx, author));
	json_object_set_object_member(e, "data", data);
	json_array_add_object_element(testhub_community_array(d, "events"), e);
	return e;
}

JsonObject *
testhub_disc_comment_data(TesthubContext *ctx, const gchar *author, const gchar *text)
{
	JsonObject *data = json_object_new();
	JsonObject *latest = json_object_new();
	g_autofree gchar *now = now_iso();
	g_autofree gchar *html = g_markup_printf_escaped("<p>%s</p>\n", text);

	json_object_set_string_member(latest, "raw", text);
	json_object_set_string_member(latest, "html", html);
	json_object_set_string_member(latest, "updatedAt", now);
	json_object_set_object_member(latest, "author", testhub_community_author(ctx, author));
	json_object_set_boolean_member(data, "edited", FALSE);
	json_object_set_boolean_member(data, "hidden", FALSE);
	json_object_set_int_member(data, "numEdits", 0);
	json_object_set_array_member(data, "history", json_array_new());
	json_object_set_object_member(data, "latest", latest);
	return data;
}

JsonObject *
testhub_disc_new(TesthubContext *ctx,
		 JsonObject *state,
		 TesthubRepo *repo,
		 guint num,
		 const gchar *title,
		 const gchar *author,
		 gboolean pr)
{
	JsonObject *d = json_object_new();
	JsonObject *r = json_object_new();
	g_autofree gchar *now = now_iso();

	json_object_set_int_member(d, "num", num);
	json_object_set_string_member(d, "title", title);
	json_object_set_string_member(d, "status", "open");
	json_object_set_boolean_member(d, "isPullRequest", pr);
	json_object_set_string_member(d, "createdAt", now);
	json_object_set_object_member(d, "author", testhub_community_author(ctx, author));
	json_object_set_string_member(r, "name", repo->id);
	json_object_set_string_member(r, "type", testhub_repo_type_to_string(repo->type));
	json_object_set_object_member(d, "repo", r);
	json_object_set_boolean_member(d, "pinned", FALSE);
	json_object_set_array_member(d, "events", json_array_new());
	json_array_add_object_element(testhub_community_array(state, "discussions"), d);
	/* PRs and discussions share the numbering with the commit side's PRs */
	if (repo->next_pr <= num)
		repo->next_pr = num + 1;
	return d;
}

guint
testhub_disc_next_number(JsonObject *state, TesthubRepo *repo)
{
	JsonArray *all = testhub_community_array(state, "discussions");
	guint n = MAX(repo->next_pr, 1);

	for (guint i = 0; i < json_array_get_length(all); i++) {
		JsonObject *d = json_array_get_object_element(all, i);

		n = MAX(n, (guint)json_object_get_int_member_with_default(d, "num", 0) + 1);
	}
	for (guint i = 0; i < repo->prs->len; i++) {
		TesthubRef *ref = g_ptr_array_index(repo->prs, i);

		n = MAX(n, (guint)g_ascii_strtoull(ref->name, NULL, 10) + 1);
	}
	return n;
}

void
testhub_disc_set_pr_changes(JsonObject *d, const gchar *base_branch, const gchar *base_commit)
{
	JsonObject *changes = json_object_new();
	g_autofree gchar *ref = g_strconcat("refs/heads/", base_branch, NULL);

	json_object_set_string_member(changes, "base", ref);
	json_object_set_object_member(d, "changes", changes);
	json_object_set_array_member(d, "filesWithConflicts", json_array_new());
	json_object_set_string_member(d, "_baseCommit", base_commit);
	json_object_set_string_member(d, "_branch", base_branch);
}

gboolean
testhub_disc_save(TesthubContext *ctx, TesthubRepo *repo, JsonObject *state, SoupServerMessage *msg)
{
	g_autoptr(GError) error = NULL;

	if (testhub_community_save(ctx, repo, state, &error) &&
	    testhub_store_save_repo(ctx->store, repo, &error))
		return TRUE;
	g_warning("%s: %s", repo->id, error->message);
	if (msg != NULL)
		testhub_reply_error(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, error->message);
	return FALSE;
}

/* ---- the commit side ---- */

void
testhub_discussions_pr_opened(TesthubContext *ctx,
			      TesthubRepo *repo,
			      guint num,
			      const gchar *author,
			      const gchar *title,
			      const gchar *description,
			      const gchar *base_branch,
			      const gchar *base_commit,
			      const gchar *oid)
{
	g_autoptr(JsonObject) state = testhub_community_load(ctx, repo);
	JsonObject *d = testhub_disc_new(ctx, state, repo, num, title, author, TRUE);
	JsonObject *data = json_object_new();
	JsonObject *e;

	testhub_disc_set_pr_changes(d, base_branch, base_commit);
	if (description != NULL && description[0] != '\0')
		testhub_disc_add_event(ctx,
				       state,
				       d,
				       "comment",
				       author,
				       testhub_disc_comment_data(ctx, author, description));
	json_object_set_string_member(data, "subject", title);
	json_object_set_string_member(data, "oid", oid);
	e = testhub_disc_add_event(ctx, state, d, "commit", author, data);
	if (testhub_disc_save(ctx, repo, state, NULL))
		testhub_discussions_event_happened(ctx, repo, d, e, "create");
}

void
testhub_discussions_pr_commit(TesthubContext *ctx,
			      TesthubRepo *repo,
			      guint num,
			      const gchar *author,
			      const gchar *title,
			      const gchar *oid)
{
	g_autoptr(JsonObject) state = testhub_community_load(ctx, repo);
	JsonObject *d = testhub_disc_find(state, num);
	JsonObject *data = json_object_new();
	JsonObject *opened = NULL;
	JsonObject *e;

	if (d == NULL) {
		json_object_unref(data);
		return;
	}
	json_object_set_string_member(data, "subject", title);
	json_object_set_string_member(data, "oid", oid);
	e = testhub_disc_add_event(ctx, state, d, "commit", author, data);
	/* a draft becomes an open PR with its first commit */
	if (g_strcmp0(json_object_get_string_member(d, "status"), "draft") == 0) {
		JsonObject *sd = json_object_new();

		json_object_set_string_member(d, "status", "open");
		json_object_set_string_member(sd, "status", "open");
		opened = testhub_disc_add_event(ctx, state, d, "status-change", author, sd);
	}
	if (testhub_disc_save(ctx, repo, state, NULL)) {
		testhub_discussions_event_happened(ctx, repo, d, e, "commit");
		if (opened != NULL)
			testhub_discussions_event_happened(ctx, repo, d, opened, "update");
	}
}
