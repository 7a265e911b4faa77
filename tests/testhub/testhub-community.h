/* testhub-community.h: gated access requests and discussions / pull requests
 * of the local Hub (testhub-access.c, testhub-discussions*.c).
 *
 * Their state lives in one JSON file per repo, ROOT/community/<plural>/<ns>/<name>.json:
 * {"access": [request...], "discussions": [discussion...], "nextEventId": N}.
 * Requests and discussions are kept in the Hub's own JSON shapes (docs/hub-gated.md,
 * docs/hub-discussions.md) so that answers are copies; members starting with "_" are
 * the server's own bookkeeping and never sent.
 */
#pragma once

#include "testhub-http.h"

G_BEGIN_DECLS

/* ---- state (testhub-discussions-store.c) ---- */

/* The repo's community state, created empty when missing (never NULL). */
JsonObject *
testhub_community_load(TesthubContext *ctx, TesthubRepo *repo);
gboolean
testhub_community_save(TesthubContext *ctx, TesthubRepo *repo, JsonObject *state, GError **error);
/* The array member `name` of the state, created when missing (borrowed). */
JsonArray *
testhub_community_array(JsonObject *state, const gchar *name);
/* A fresh 24-hex event id of this repo's state. */
gchar *
testhub_community_next_id(JsonObject *state);
/* A copy of `o` without the members starting with "_". */
JsonObject *
testhub_community_public_copy(JsonObject *o);
/* The user object of events and lists: {"name", "fullname", "avatarUrl", "type"}. */
JsonObject *
testhub_community_author(TesthubContext *ctx, const gchar *name);

/* ---- gated access (testhub-access.c) ---- */

/* GET|POST /api/{type}s/{id}/user-access-request/{what} */
void
testhub_route_access_request(TesthubContext *ctx,
			     SoupServerMessage *msg,
			     TesthubRepoType type,
			     const gchar *repo_id,
			     const gchar *what);
/* POST /{prefix}{id}/ask-access */
void
testhub_route_ask_access(TesthubContext *ctx,
			 SoupServerMessage *msg,
			 TesthubRepoType type,
			 const gchar *repo_id);
/* The status of `user`'s access request ("pending", "accepted", "rejected"),
 * NULL when there is none. */
const gchar *
testhub_access_status(TesthubContext *ctx, TesthubRepo *repo, const TesthubUser *user);

/* ---- discussions and pull requests (testhub-discussions.c) ---- */

/* /api/{type}s/{id}/discussions[/{num}[/{action}[/{comment_id}/{edit|hide}]]]:
 * segs[0] is "discussions", n counts from there. */
void
testhub_route_discussions(TesthubContext *ctx,
			  SoupServerMessage *msg,
			  TesthubRepoType type,
			  const gchar *repo_id,
			  gchar **segs,
			  guint n);
/* The commit side: a commit with create_pr opened PR `num` on top of
 * `base_commit` (targeting `base_branch`), or a commit landed on refs/pr/`num`. */
void
testhub_discussions_pr_opened(TesthubContext *ctx,
			      TesthubRepo *repo,
			      guint num,
			      const gchar *author,
			      const gchar *title,
			      const gchar *description,
			      const gchar *base_branch,
			      const gchar *base_commit,
			      const gchar *oid);
void
testhub_discussions_pr_commit(TesthubContext *ctx,
			      TesthubRepo *repo,
			      guint num,
			      const gchar *author,
			      const gchar *title,
			      const gchar *oid);

/* THE one place where something happens to a discussion: every new event
 * (comment, status change incl. merge, title change, commit, edit, hide) and
 * every new discussion goes through here. Webhook emission ("discussion",
 * "discussion.comment" scopes) is to be wired in here. `event` may be NULL
 * for a new discussion without events. */
void
testhub_discussions_event_happened(TesthubContext *ctx,
				   TesthubRepo *repo,
				   JsonObject *discussion,
				   JsonObject *event,
				   const gchar *action);

/* shared by the discussion routes (testhub-discussions-events.c) */
JsonObject *
testhub_disc_find(JsonObject *state, guint num);
/* appends a new event of `type` (data taken) and returns it (borrowed) */
JsonObject *
testhub_disc_add_event(TesthubContext *ctx,
		       JsonObject *state,
		       JsonObject *d,
		       const gchar *type,
		       const gchar *author,
		       JsonObject *data);
JsonObject *
testhub_disc_comment_data(TesthubContext *ctx, const gchar *author, const gchar *text);
/* a new open discussion, appended to the state (borrowed) */
JsonObject *
testhub_disc_new(TesthubContext *ctx,
		 JsonObject *state,
		 TesthubRepo *repo,
		 guint num,
		 const gchar *title,
		 const gchar *author,
		 gboolean pr);
guint
testhub_disc_next_number(JsonObject *state, TesthubRepo *repo);
void
testhub_disc_set_pr_changes(JsonObject *d, const gchar *base_branch, const gchar *base_commit);
/* saves the state and the repo (its next PR number); replies 500 on msg if given */
gboolean
testhub_disc_save(TesthubContext *ctx,
		  TesthubRepo *repo,
		  JsonObject *state,
		  SoupServerMessage *msg);

/* ---- trees between commits (testhub-discussions-merge.c) ---- */

/* A git-style unified diff from `base` to `head` (commit ids). */
gchar *
testhub_discussions_diff(TesthubContext *ctx, const gchar *base, const gchar *head, GError **error);
/* Applies the changes base..head onto `onto` as a new commit by `author`;
 * G_IO_ERROR_EXISTS naming the conflicting paths when a path changed on both
 * sides differently. Returns the new commit id. */
gchar *
testhub_discussions_merge(TesthubContext *ctx,
			  const gchar *base,
			  const gchar *head,
			  const gchar *onto,
			  const gchar *title,
			  const gchar *author,
			  GError **error);

G_END_DECLS
