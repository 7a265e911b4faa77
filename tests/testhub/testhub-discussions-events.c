/* testhub-discussions-events.c: the discussions' state changes the routes and
 * the commit side share — new discussions and events, PRs opened by commits,
 * and the one place where every event happens (for webhooks).
 */
#include "testhub-community.h"

static gchar *
now_iso(void)
{
	return testhub_iso_date(g_get_real_time() / G_USEC_PER_SEC);
}

/* ---- the one place events happen ---- */

void
testhub_discussions_event_happened(TesthubContext *ctx,
				   TesthubRepo *repo,
				   JsonObject *discussion,
				   JsonObject *event,
				   const gchar *action)
{
	/* i14-webhooks: emit the "discussion" / "discussion.comment" webhook
	 * events from here; `action` is "create", "update" (status, title),
	 * "comment", "commit", "edit" or "hide". */
	g_debug("%s %s#%" G_GINT64_FORMAT ": %s",
		action,
		repo->id,
		json_object_get_int_member_with_default(discussion, "num", 0),
		event != NULL ? json_object_get_string_member_with_default(event, "type", "")
			      : "-");
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
		testhub_disc_add_event(ctx, state, d, "status-change", author, sd);
	}
	if (testhub_disc_save(ctx, repo, state, NULL))
		testhub_discussions_event_happened(ctx, repo, d, e, "commit");
}
