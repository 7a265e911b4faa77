/* hubd-hub-api-community.h: HubdHubApi's gated-access endpoints
 * (hubd-hub-api-access.c) and discussion / pull request endpoints
 * (hubd-hub-api-discussions.c), and the parsers of their answers
 * (hubd-hub-discussion.c). Wire formats: docs/hub-gated.md, docs/hub-discussions.md. */
#pragma once

#include "hubd-hub-api.h"

G_BEGIN_DECLS

/* ---- the shared request: a JSON answer, {} for an empty one ---- */

void
hubd_hub_api_call_json_async(HubdHubApi *self,
			     const gchar *method,
			     const gchar *path_or_url,
			     JsonNode *body,
			     HubdHubRequestFlags flags,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
JsonNode *
hubd_hub_api_call_json_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

/* ---- gated access (hubd-hub-api-access.c); every finish is call_json_finish ---- */

/* status: "pending", "accepted" or "rejected"; every page (Link paging), at
 * most `limit` items (0: all), each as hubd_hub_access_request_to_variant() */
void
hubd_hub_api_list_access_requests_async(HubdHubApi *self,
					HubdRepoType type,
					const gchar *repo_id,
					const gchar *status,
					guint limit,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data);
GPtrArray *
hubd_hub_api_list_access_requests_finish(HubdHubApi *self, GAsyncResult *result, GError **error);
/* status "pending" is the cancel of huggingface_hub's cancel_access_request */
void
hubd_hub_api_handle_access_request_async(HubdHubApi *self,
					 HubdRepoType type,
					 const gchar *repo_id,
					 const gchar *user,
					 const gchar *status,
					 const gchar *rejection_reason,
					 GCancellable *cancellable,
					 GAsyncReadyCallback callback,
					 gpointer user_data);
void
hubd_hub_api_grant_access_async(HubdHubApi *self,
				HubdRepoType type,
				const gchar *repo_id,
				const gchar *user,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
/* fields: (nullable): the gate form's answers, a JSON object */
void
hubd_hub_api_request_access_async(HubdHubApi *self,
				  HubdRepoType type,
				  const gchar *repo_id,
				  JsonNode *fields,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);

/* ---- discussions and pull requests (hubd-hub-api-discussions.c) ---- */

/* kind: NULL/"all", "discussion", "pull_request"; status: NULL/"all", "open",
 * "closed"; author: (nullable). Follows the `p` pages; at most `limit` (0:
 * all), each as hubd_hub_discussion_to_variant() */
void
hubd_hub_api_list_discussions_async(HubdHubApi *self,
				    HubdRepoType type,
				    const gchar *repo_id,
				    const gchar *kind,
				    const gchar *status,
				    const gchar *author,
				    guint limit,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
GPtrArray *
hubd_hub_api_list_discussions_finish(HubdHubApi *self, GAsyncResult *result, GError **error);
void
hubd_hub_api_get_discussion_async(HubdHubApi *self,
				  HubdRepoType type,
				  const gchar *repo_id,
				  guint num,
				  gboolean diff,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
void
hubd_hub_api_create_discussion_async(HubdHubApi *self,
				     HubdRepoType type,
				     const gchar *repo_id,
				     const gchar *title,
				     const gchar *description,
				     gboolean pull_request,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data);
/* comment, rename, status ("open" / "closed", with an optional comment),
 * merge (optional comment): the answer is the Hub's {"newMessage" | "newTitle"
 * | "newStatus": event}, {} for a merge */
void
hubd_hub_api_discussion_comment_async(HubdHubApi *self,
				      HubdRepoType type,
				      const gchar *repo_id,
				      guint num,
				      const gchar *comment,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
void
hubd_hub_api_rename_discussion_async(HubdHubApi *self,
				     HubdRepoType type,
				     const gchar *repo_id,
				     guint num,
				     const gchar *title,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data);
void
hubd_hub_api_change_discussion_status_async(HubdHubApi *self,
					    HubdRepoType type,
					    const gchar *repo_id,
					    guint num,
					    const gchar *status,
					    const gchar *comment,
					    GCancellable *cancellable,
					    GAsyncReadyCallback callback,
					    gpointer user_data);
void
hubd_hub_api_merge_pull_request_async(HubdHubApi *self,
				      HubdRepoType type,
				      const gchar *repo_id,
				      guint num,
				      const gchar *comment,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
/* hide: FALSE edits the comment to `content`, TRUE hides it (content unused) */
void
hubd_hub_api_edit_discussion_comment_async(HubdHubApi *self,
					   HubdRepoType type,
					   const gchar *repo_id,
					   guint num,
					   const gchar *comment_id,
					   gboolean hide,
					   const gchar *content,
					   GCancellable *cancellable,
					   GAsyncReadyCallback callback,
					   gpointer user_data);

/* the discussion's web page */
gchar *
hubd_hub_api_discussion_url(HubdHubApi *self, HubdRepoType type, const gchar *repo_id, guint num)
	G_GNUC_WARN_UNUSED_RESULT;

/* ---- the answers as D-Bus values (hubd-hub-discussion.c) ---- */

/* A discussion (a listing's item or the details) as a{sv}: num (u), title,
 * status, author, created_at, repo_id, repo_type (s), is_pull_request (b);
 * the details add events (aa{sv}), target_branch, merge_commit_oid, diff (s),
 * conflicting_files (as). Unknown events keep id, type, created_at and author. */
GVariant *
hubd_hub_discussion_to_variant(JsonNode *node, GError **error);
/* One event as a{sv}: id, type, created_at, author (s), and by type: comment:
 * content, hidden (b), edited (b); status-change: status; commit: summary, oid;
 * title-change: old_title, new_title. */
GVariant *
hubd_hub_discussion_event_to_variant(JsonNode *node, GError **error);
/* An access request as a{sv}: user, fullname, email, status, timestamp (s),
 * fields (a{sv} of the form's answers as strings). */
GVariant *
hubd_hub_access_request_to_variant(JsonNode *node, GError **error);

G_END_DECLS
