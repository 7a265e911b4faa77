/* testhub-access.c: gated repos' access requests on the local Hub — the
 * owner's lists, handle and grant, and the user's ask-access (docs/hub-gated.md).
 */
#include <string.h>

#include "testhub-community.h"
#include "testhub-routes.h"

static const gchar *const statuses[] = {"pending", "accepted", "rejected", NULL};

static JsonObject *
find_request(JsonArray *requests, const gchar *user)
{
	for (guint i = 0; i < json_array_get_length(requests); i++) {
		JsonObject *r = json_array_get_object_element(requests, i);
		JsonObject *u = r != NULL ? json_object_get_object_member(r, "user") : NULL;

		if (u != NULL &&
		    g_strcmp0(json_object_get_string_member_with_default(u, "user", ""), user) == 0)
			return r;
	}
	return NULL;
}

const gchar *
testhub_access_status(TesthubContext *ctx, TesthubRepo *repo, const TesthubUser *user)
{
	g_autoptr(JsonObject) state = NULL;
	JsonObject *r;

	if (user == NULL)
		return NULL;
	state = testhub_community_load(ctx, repo);
	r = find_request(testhub_community_array(state, "access"), user->name);
	if (r == NULL)
		return NULL;
	return g_intern_string(json_object_get_string_member_with_default(r, "status", ""));
}

static JsonObject *
new_request(const TesthubUser *user, const gchar *status, JsonObject *fields)
{
	JsonObject *r = json_object_new();
	JsonObject *u = json_object_new();
	g_autofree gchar *now = testhub_iso_date(g_get_real_time() / G_USEC_PER_SEC);

	json_object_set_string_member(u, "user", user->name);
	json_object_set_string_member(u, "fullname", user->fullname);
	if (user->email != NULL)
		json_object_set_string_member(u, "email", user->email);
	json_object_set_object_member(r, "user", u);
	json_object_set_string_member(r, "status", status);
	json_object_set_string_member(r, "timestamp", now);
	json_object_set_object_member(r,
				      "fields",
				      fields != NULL ? json_object_ref(fields) : json_object_new());
	return r;
}

static void
set_status(JsonObject *r, const gchar *status, const gchar *reason)
{
	g_autofree gchar *now = testhub_iso_date(g_get_real_time() / G_USEC_PER_SEC);

	json_object_set_string_member(r, "status", status);
	json_object_set_string_member(r, "timestamp", now);
	if (reason != NULL)
		json_object_set_string_member(r, "rejectionReason", reason);
	else
		json_object_remove_member(r, "rejectionReason");
}

static gboolean
save_or_fail(TesthubContext *ctx, SoupServerMessage *msg, TesthubRepo *repo, JsonObject *state)
{
	g_autoptr(GError) error = NULL;

	if (testhub_community_save(ctx, repo, state, &error))
		return TRUE;
	testhub_reply_error(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, error->message);
	return FALSE;
}

static gboolean
check_gated(SoupServerMessage *msg, TesthubRepo *repo)
{
	g_autofree gchar *m = NULL;

	if (repo->gated != NULL)
		return TRUE;
	m = g_strdup_printf("%s %s is not gated",
			    testhub_repo_type_to_string(repo->type),
			    repo->id);
	testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, "RepoNotGated", m);
	return FALSE;
}

/* GET …/user-access-request/{status}: the list, paged when a page size is forced */
static void
list_requests(TesthubContext *ctx, SoupServerMessage *msg, TesthubRepo *repo, const gchar *status)
{
	g_autoptr(JsonObject) state = testhub_community_load(ctx, repo);
	JsonArray *all = testhub_community_array(state, "access");
	g_autoptr(TesthubQuery) q =
		testhub_query_parse(g_uri_get_query(soup_server_message_get_uri(msg)));
	guint offset = testhub_cursor_decode(testhub_query_get(q, "cursor"));
	guint page = testhub_get_page_size();
	JsonArray *out = json_array_new();
	JsonNode *node = json_node_new(JSON_NODE_ARRAY);
	guint seen = 0;
	gboolean more = FALSE;

	for (guint i = 0; i < json_array_get_length(all); i++) {
		JsonObject *r = json_array_get_object_element(all, i);

		if (g_strcmp0(json_object_get_string_member_with_default(r, "status", ""),
			      status) != 0)
			continue;
		if (seen++ < offset)
			continue;
		if (page > 0 && json_array_get_length(out) == page) {
			more = TRUE;
			break;
		}
		json_array_add_object_element(out, testhub_community_public_copy(r));
	}
	if (more) {
		g_autofree gchar *cursor = testhub_cursor_encode(offset + page);

		testhub_set_next_link(ctx, msg, "cursor", cursor);
	}
	json_node_take_array(node, out);
	testhub_reply_json(msg, SOUP_STATUS_OK, node);
}

/* POST …/user-access-request/handle {"user", "status", "rejectionReason"?} */
static void
handle_request(TesthubContext *ctx, SoupServerMessage *msg, TesthubRepo *repo, gboolean grant)
{
	g_autoptr(JsonObject) body = testhub_request_json_object(msg);
	g_autoptr(JsonObject) state = NULL;
	const gchar *name;
	const gchar *status = "accepted";
	const gchar *reason = NULL;
	const TesthubUser *user;
	JsonArray *requests;
	JsonObject *r;

	if (body == NULL)
		return;
	name = json_object_get_string_member_with_default(body, "user", NULL);
	if (!grant)
		status = json_object_get_string_member_with_default(body, "status", NULL);
	reason = json_object_get_string_member_with_default(body, "rejectionReason", NULL);
	if (name == NULL || status == NULL || !g_strv_contains(statuses, status) ||
	    (reason != NULL &&
	     (g_strcmp0(status, "rejected") != 0 || g_utf8_strlen(reason, -1) > 200))) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "Expected {user, status: pending|accepted|rejected, "
				    "rejectionReason?: string of at most 200 characters, "
				    "only with rejected}");
		return;
	}
	user = testhub_users_by_name(ctx->users, name);
	if (user == NULL || user->is_org) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "User not found");
		return;
	}
	state = testhub_community_load(ctx, repo);
	requests = testhub_community_array(state, "access");
	r = find_request(requests, name);
	if (grant) {
		if (r != NULL &&
		    g_strcmp0(json_object_get_string_member(r, "status"), "accepted") == 0) {
			testhub_reply_error(msg,
					    SOUP_STATUS_BAD_REQUEST,
					    NULL,
					    "That user already has access to the repo");
			return;
		}
		if (r == NULL)
			json_array_add_object_element(requests,
						      new_request(user, "accepted", NULL));
		else
			set_status(r, "accepted", NULL);
	} else {
		if (r == NULL ||
		    g_strcmp0(json_object_get_string_member(r, "status"), status) == 0) {
			testhub_reply_error(msg,
					    SOUP_STATUS_NOT_FOUND,
					    NULL,
					    "No access request found matching your criteria");
			return;
		}
		set_status(r, status, reason);
	}
	if (save_or_fail(ctx, msg, repo, state))
		testhub_reply_json(msg,
				   SOUP_STATUS_OK,
				   testhub_json_node_take_object(json_object_new()));
}

void
testhub_route_access_request(TesthubContext *ctx,
			     SoupServerMessage *msg,
			     TesthubRepoType type,
			     const gchar *repo_id,
			     const gchar *what)
{
	const gchar *method = soup_server_message_get_method(msg);
	gboolean get = g_strcmp0(method, "GET") == 0;
	TesthubRepo *repo;

	if (what == NULL || (get && !g_strv_contains(statuses, what)) ||
	    (!get && (g_strcmp0(method, "POST") != 0 ||
		      (g_strcmp0(what, "handle") != 0 && g_strcmp0(what, "grant") != 0)))) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
		return;
	}
	/* the owner's side: a write token of the owner or an org member */
	repo = testhub_request_repo(ctx, msg, type, repo_id, TRUE, NULL);
	if (repo == NULL || !check_gated(msg, repo))
		return;
	if (get)
		list_requests(ctx, msg, repo, what);
	else
		handle_request(ctx, msg, repo, g_strcmp0(what, "grant") == 0);
}

/* The gate form's answers: a JSON object body, or none (the dataset viewer
 * sends no body); anything else is refused. */
static JsonObject *
ask_fields(SoupServerMessage *msg, gboolean *no_body)
{
	SoupMessageBody *b = soup_server_message_get_request_body(msg);

	*no_body = b->length == 0;
	return *no_body ? NULL : testhub_request_json_object(msg);
}

void
testhub_route_ask_access(TesthubContext *ctx,
			 SoupServerMessage *msg,
			 TesthubRepoType type,
			 const gchar *repo_id)
{
	const TesthubUser *user = NULL;
	TesthubRepo *repo = testhub_request_repo(ctx, msg, type, repo_id, FALSE, &user);
	g_autoptr(JsonObject) fields = NULL;
	g_autoptr(JsonObject) state = NULL;
	g_autofree gchar *url = NULL;
	gboolean no_body = FALSE;
	JsonArray *requests;
	JsonObject *r;
	const gchar *status;

	if (repo == NULL)
		return;
	if (user == NULL) {
		testhub_reply_error(msg,
				    SOUP_STATUS_UNAUTHORIZED,
				    NULL,
				    "Invalid username or password.");
		return;
	}
	if (!check_gated(msg, repo))
		return;
	fields = ask_fields(msg, &no_body);
	if (fields == NULL && !no_body)
		return; /* a body that is no JSON object: answered 400 */
	state = testhub_community_load(ctx, repo);
	requests = testhub_community_array(state, "access");
	r = find_request(requests, user->name);
	/* "auto" lets everyone in who shares their contact details */
	status = g_strcmp0(repo->gated, "auto") == 0 ? "accepted" : "pending";
	if (r == NULL) {
		json_array_add_object_element(requests, new_request(user, status, fields));
	} else if (g_strcmp0(json_object_get_string_member(r, "status"), "rejected") == 0) {
		testhub_reply_error(msg,
				    SOUP_STATUS_FORBIDDEN,
				    NULL,
				    "Your request to access this repo has been rejected by the "
				    "repo's authors.");
		return;
	} else if (fields != NULL) {
		json_object_set_object_member(r, "fields", json_object_ref(fields));
	}
	if (!save_or_fail(ctx, msg, repo, state))
		return;
	/* the Hub answers a form post with a redirect to the repo page */
	url = testhub_repo_url(ctx, repo);
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "Location",
				     url);
	testhub_reply_bytes(msg, SOUP_STATUS_SEE_OTHER, "text/plain; charset=utf-8", NULL);
}
