/* testhub-routes.c: path parsing and dispatch of the local Hub's two origins,
 * plus the small routes (whoami-v2, telemetry, agent-harnesses, auth-check).
 */
#include "testhub-routes.h"

#include <string.h>

#include "testhub-community.h"
#include "testhub-endpoints.h"
#include "testhub-faults.h"
#include "testhub-spaces.h"
#include "testhub-webhooks.h"

static gboolean
method_is(SoupServerMessage *msg, const gchar *method)
{
	return g_strcmp0(soup_server_message_get_method(msg), method) == 0;
}

static gboolean
method_is_get(SoupServerMessage *msg)
{
	return method_is(msg, "GET") || method_is(msg, "HEAD");
}

static void
reply_not_found(SoupServerMessage *msg)
{
	testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
}

gchar *
testhub_repo_url(TesthubContext *ctx, TesthubRepo *repo)
{
	return g_strdup_printf("%s/%s%s",
			       ctx->base_url,
			       testhub_repo_type_to_url_prefix(repo->type),
			       repo->id);
}

TesthubCommit *
testhub_route_load_revision(TesthubContext *ctx,
			    SoupServerMessage *msg,
			    TesthubRepo *repo,
			    const gchar *rev)
{
	g_autofree gchar *commit_id = testhub_store_resolve_revision(ctx->store, repo, rev);
	g_autoptr(GError) error = NULL;
	TesthubCommit *c;

	if (commit_id == NULL) {
		g_autofree gchar *m = g_strdup_printf("Invalid rev id: %s", rev);

		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, "RevisionNotFound", m);
		return NULL;
	}
	c = testhub_store_load_commit(ctx->store, commit_id, &error);
	if (c == NULL) {
		g_warning("commit %s of %s: %s", commit_id, repo->id, error->message);
		testhub_reply_error(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, "Internal Error");
	}
	return c;
}

/* ---- small routes ---- */

static JsonObject *
whoami_org(const TesthubUser *org)
{
	JsonObject *o = json_object_new();
	g_autofree gchar *avatar = g_strdup_printf("/avatars/%s.svg", org->id);

	json_object_set_string_member(o, "type", "org");
	json_object_set_string_member(o, "id", org->id);
	json_object_set_string_member(o, "name", org->name);
	json_object_set_string_member(o, "fullname", org->fullname);
	if (org->email != NULL)
		json_object_set_string_member(o, "email", org->email);
	else
		json_object_set_null_member(o, "email");
	json_object_set_boolean_member(o, "canPay", FALSE);
	json_object_set_string_member(o, "avatarUrl", avatar);
	json_object_set_null_member(o, "periodEnd");
	json_object_set_string_member(o, "roleInOrg", "write");
	return o;
}

static void
route_whoami(TesthubContext *ctx, SoupServerMessage *msg)
{
	const TesthubToken *token = NULL;
	gboolean replied = FALSE;
	const TesthubUser *user = testhub_request_user(ctx, msg, &token, &replied);
	JsonObject *o;
	JsonObject *auth;
	JsonObject *at;
	JsonArray *orgs;
	JsonNode *node;
	g_autofree gchar *avatar = NULL;

	if (replied)
		return;
	if (user == NULL) {
		testhub_reply_error(msg,
				    SOUP_STATUS_UNAUTHORIZED,
				    NULL,
				    "Invalid username or password.");
		return;
	}
	o = json_object_new();
	avatar = g_strdup_printf("/avatars/%s.svg", user->id);
	json_object_set_string_member(o, "type", "user");
	json_object_set_string_member(o, "id", user->id);
	json_object_set_string_member(o, "name", user->name);
	json_object_set_string_member(o, "fullname", user->fullname);
	if (user->email != NULL)
		json_object_set_string_member(o, "email", user->email);
	json_object_set_boolean_member(o, "emailVerified", TRUE);
	json_object_set_boolean_member(o, "isPro", FALSE);
	json_object_set_boolean_member(o, "canPay", FALSE);
	json_object_set_string_member(o, "billingMode", "prepaid");
	json_object_set_null_member(o, "periodEnd");
	json_object_set_string_member(o, "avatarUrl", avatar);
	orgs = json_array_new();
	for (guint i = 0; i < user->orgs->len; i++) {
		const TesthubUser *org =
			testhub_users_by_name(ctx->users, g_ptr_array_index(user->orgs, i));

		if (org != NULL && org->is_org)
			json_array_add_object_element(orgs, whoami_org(org));
	}
	json_object_set_array_member(o, "orgs", orgs);
	auth = json_object_new();
	at = json_object_new();
	json_object_set_string_member(auth, "type", "access_token");
	json_object_set_string_member(at, "displayName", token->display_name);
	json_object_set_string_member(at, "role", token->role);
	json_object_set_string_member(at, "createdAt", token->created_at);
	json_object_set_object_member(auth, "accessToken", at);
	json_object_set_object_member(o, "auth", auth);
	node = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(node, o);
	testhub_reply_json(msg, SOUP_STATUS_OK, node);
}

static void
reply_empty_object(SoupServerMessage *msg)
{
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(json_object_new()));
}

static void
route_agent_harnesses(SoupServerMessage *msg)
{
	JsonObject *o = json_object_new();

	json_object_set_object_member(o, "harnesses", json_object_new());
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(o));
}

static void
route_auth_check(TesthubContext *ctx,
		 SoupServerMessage *msg,
		 TesthubRepoType type,
		 const gchar *id,
		 gboolean write)
{
	if (testhub_request_repo(ctx, msg, type, id, write, NULL) != NULL)
		reply_empty_object(msg);
}

/* ---- repo-scoped API routes: /api/{type}s/{ns}/{name}/... ---- */

/* Reads the repo id at segs[*i] (two segments, or one holding "ns/name"). */
static gchar *
take_repo_id(gchar **segs, guint n, guint *i)
{
	if (*i < n && strchr(segs[*i], '/') != NULL) {
		return g_strdup(segs[(*i)++]);
	}
	if (*i + 1 < n) {
		gchar *id = g_strdup_printf("%s/%s", segs[*i], segs[*i + 1]);

		*i += 2;
		return id;
	}
	return NULL;
}

static gchar *
join_rest(gchar **segs, guint from, guint n)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (guint i = from; i < n; i++) {
		if (s->len > 0)
			g_string_append_c(s, '/');
		g_string_append(s, segs[i]);
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static void
route_repo_api(TesthubContext *ctx,
	       SoupServerMessage *msg,
	       TesthubRepoType type,
	       gchar **segs,
	       guint n,
	       guint i)
{
	g_autofree gchar *id = take_repo_id(segs, n, &i);
	const gchar *what = i < n ? segs[i] : NULL;
	const gchar *arg = i + 1 < n ? segs[i + 1] : NULL;
	TesthubRepo *repo;
	const TesthubUser *user = NULL;

	if (id == NULL) {
		reply_not_found(msg);
		return;
	}
	if (what == NULL && method_is_get(msg)) {
		testhub_route_repo_info(ctx, msg, type, id, NULL);
	} else if (g_strcmp0(what, "revision") == 0 && arg != NULL && method_is_get(msg)) {
		g_autofree gchar *rev = join_rest(segs, i + 1, n);

		testhub_route_repo_info(ctx, msg, type, id, rev);
	} else if (g_strcmp0(what, "settings") == 0 && arg == NULL && method_is(msg, "PUT")) {
		testhub_route_repo_settings(ctx, msg, type, id);
	} else if (g_strcmp0(what, "tree") == 0 && arg != NULL && method_is_get(msg)) {
		g_autofree gchar *path = join_rest(segs, i + 2, n);

		testhub_route_tree(ctx, msg, type, id, arg, path);
	} else if (g_strcmp0(what, "paths-info") == 0 && arg != NULL && i + 2 == n &&
		   method_is(msg, "POST")) {
		testhub_route_paths_info(ctx, msg, type, id, arg);
	} else if (g_strcmp0(what, "refs") == 0 && arg == NULL && method_is_get(msg)) {
		testhub_route_refs(ctx, msg, type, id);
	} else if (g_strcmp0(what, "commits") == 0 && arg != NULL && i + 2 == n &&
		   method_is_get(msg)) {
		testhub_route_commits(ctx, msg, type, id, arg);
	} else if (g_strcmp0(what, "branch") == 0 && arg != NULL && i + 2 == n &&
		   (method_is(msg, "POST") || method_is(msg, "DELETE"))) {
		testhub_route_branch(ctx, msg, type, id, arg);
	} else if (g_strcmp0(what, "tag") == 0 && arg != NULL && i + 2 == n &&
		   (method_is(msg, "POST") || method_is(msg, "DELETE"))) {
		testhub_route_tag(ctx, msg, type, id, arg);
	} else if (g_strcmp0(what, "auth-check") == 0 && i + 2 >= n && method_is_get(msg)) {
		route_auth_check(ctx, msg, type, id, g_strcmp0(arg, "write") == 0);
	} else if (g_strcmp0(what, "user-access-request") == 0 && i + 2 == n) {
		testhub_route_access_request(ctx, msg, type, id, arg);
	} else if (g_strcmp0(what, "discussions") == 0) {
		testhub_route_discussions(ctx, msg, type, id, segs + i, n - i);
	} else if (g_strcmp0(what, "preupload") == 0 && arg != NULL && i + 2 == n &&
		   method_is(msg, "POST")) {
		repo = testhub_request_repo(ctx, msg, type, id, TRUE, NULL);
		if (repo != NULL)
			testhub_handle_preupload(ctx, msg, repo, arg);
	} else if (g_strcmp0(what, "commit") == 0 && arg != NULL && i + 2 == n &&
		   method_is(msg, "POST")) {
		repo = testhub_request_repo(ctx, msg, type, id, TRUE, &user);
		if (repo != NULL)
			testhub_handle_commit(ctx, msg, repo, arg, user);
	} else {
		reply_not_found(msg);
	}
}

static void
route_api(TesthubContext *ctx, SoupServerMessage *msg, gchar **segs, guint n)
{
	const gchar *what = n > 1 ? segs[1] : NULL;
	TesthubRepoType type;

	if (g_strcmp0(what, "whoami-v2") == 0 && n == 2 && method_is_get(msg)) {
		route_whoami(ctx, msg);
	} else if (g_strcmp0(what, "telemetry") == 0) {
		testhub_reply_bytes(msg, SOUP_STATUS_OK, "text/plain; charset=utf-8", NULL);
	} else if (g_strcmp0(what, "agent-harnesses") == 0 && n == 2 && method_is_get(msg)) {
		route_agent_harnesses(msg);
	} else if (g_strcmp0(what, "validate-yaml") == 0 && n == 2 && method_is(msg, "POST")) {
		testhub_handle_validate_yaml(ctx, msg);
	} else if (g_strcmp0(what, "repos") == 0 && n == 3) {
		if (g_strcmp0(segs[2], "create") == 0 && method_is(msg, "POST"))
			testhub_route_repo_create(ctx, msg);
		else if (g_strcmp0(segs[2], "delete") == 0 && method_is(msg, "DELETE"))
			testhub_route_repo_delete(ctx, msg);
		else if (g_strcmp0(segs[2], "move") == 0 && method_is(msg, "POST"))
			testhub_route_repo_move(ctx, msg);
		else
			reply_not_found(msg);
	} else if (g_strcmp0(what, "settings") == 0 && n >= 3 &&
		   g_strcmp0(segs[2], "webhooks") == 0) {
		testhub_route_webhooks(ctx, msg, segs + 3, n - 3);
	} else if (testhub_spaces_route(ctx, msg, segs, n)) {
		/* answered: Space runtime, settings and logs (testhub-spaces-routes.c) */
	} else if (what != NULL && testhub_repo_type_from_plural(what, &type)) {
		if (n == 2 && method_is_get(msg))
			testhub_route_repo_list(ctx, msg, type);
		else
			route_repo_api(ctx, msg, type, segs, n, 2);
	} else {
		reply_not_found(msg);
	}
}

/* The LFS batch needs write access for uploads only. */
static gboolean
lfs_batch_wants_write(SoupServerMessage *msg)
{
	g_autoptr(GBytes) body =
		soup_message_body_flatten(soup_server_message_get_request_body(msg));
	g_autoptr(JsonParser) parser = json_parser_new();
	gsize len = 0;
	const gchar *data = g_bytes_get_data(body, &len);
	JsonNode *root;

	if (len == 0 || len > TESTHUB_MAX_BODY ||
	    !json_parser_load_from_data(parser, data, (gssize)len, NULL))
		return TRUE;
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return TRUE;
	return g_strcmp0(json_object_get_string_member_with_default(json_node_get_object(root),
								    "operation",
								    "upload"),
			 "download") != 0;
}

/* /{prefix}{ns}/{name}/(resolve|raw)/{rev}/{path} and
 * /{prefix}{ns}/{name}.git/info/lfs/objects/batch */
static void
route_repo_web(TesthubContext *ctx, SoupServerMessage *msg, gchar **segs, guint n)
{
	TesthubRepoType type = TESTHUB_REPO_MODEL;
	guint i = 0;
	g_autofree gchar *id = NULL;
	g_autofree gchar *path = NULL;
	const gchar *what;
	TesthubRepo *repo;

	if (n >= 3 && (g_strcmp0(segs[0], "datasets") == 0 || g_strcmp0(segs[0], "spaces") == 0)) {
		testhub_repo_type_from_plural(segs[0], &type);
		i = 1;
	}
	id = take_repo_id(segs, n, &i);
	if (id == NULL) {
		reply_not_found(msg);
		return;
	}
	what = i < n ? segs[i] : NULL;
	if (g_str_has_suffix(id, ".git") && i + 4 == n && g_strcmp0(what, "info") == 0 &&
	    g_strcmp0(segs[i + 1], "lfs") == 0 && g_strcmp0(segs[i + 2], "objects") == 0 &&
	    g_strcmp0(segs[i + 3], "batch") == 0 && method_is(msg, "POST")) {
		id[strlen(id) - 4] = '\0';
		repo = testhub_request_repo(ctx, msg, type, id, lfs_batch_wants_write(msg), NULL);
		if (repo != NULL)
			testhub_handle_lfs_batch(ctx, msg, repo);
		return;
	}
	if (g_strcmp0(what, "ask-access") == 0 && i + 1 == n && method_is(msg, "POST")) {
		testhub_route_ask_access(ctx, msg, type, id);
		return;
	}
	if ((g_strcmp0(what, "resolve") == 0 || g_strcmp0(what, "raw") == 0) && i + 3 <= n &&
	    method_is_get(msg)) {
		path = join_rest(segs, i + 2, n);
		testhub_route_file(ctx,
				   msg,
				   type,
				   id,
				   g_strcmp0(what, "raw") == 0,
				   segs[i + 1],
				   path);
		return;
	}
	reply_not_found(msg);
}

void
testhub_routes_hub(SoupServer *server,
		   SoupServerMessage *msg,
		   const char *unused_path,
		   GHashTable *query,
		   gpointer user_data)
{
	TesthubContext *ctx = user_data;
	GUri *uri = soup_server_message_get_uri(msg);
	const gchar *path = g_uri_get_path(uri);
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) segs = NULL;
	guint n;

	if (g_str_has_prefix(path, "/_lfs/")) {
		testhub_handle_lfs_hub_path(ctx, msg, path);
		return;
	}
	segs = testhub_path_split(path, &error);
	if (segs == NULL) {
		g_autofree gchar *m = g_strdup_printf("Invalid path: %s", error->message);

		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, m);
		return;
	}
	n = g_strv_length(segs);
	if (n == 0) {
		reply_not_found(msg);
	} else if (g_strcmp0(segs[0], "_testhub") == 0 && n >= 2 && n <= 3 &&
		   g_strcmp0(segs[1], "oauth") == 0 && ctx->admin_secret != NULL &&
		   g_strcmp0(soup_message_headers_get_one(
				     soup_server_message_get_request_headers(msg),
				     "X-Testhub-Admin"),
			     ctx->admin_secret) == 0) {
		testhub_oauth_handle_admin(ctx, msg, segs[2]);
	} else if (g_strcmp0(segs[0], "_testhub") == 0) {
		testhub_faults_handle_admin(ctx, msg, segs + 1);
	} else if (g_strcmp0(segs[0], "oauth") == 0 && n == 2) {
		testhub_oauth_handle(ctx, msg, segs[1]);
	} else if (g_strcmp0(segs[0], "api") == 0) {
		route_api(ctx, msg, segs, n);
	} else if (g_strcmp0(segs[0], "v2") == 0) {
		testhub_endpoints_route(ctx, msg, segs, n);
	} else {
		route_repo_web(ctx, msg, segs, n);
	}
}

void
testhub_routes_cdn(SoupServer *server,
		   SoupServerMessage *msg,
		   const char *unused_path,
		   GHashTable *query,
		   gpointer user_data)
{
	TesthubContext *ctx = user_data;
	const gchar *path = g_uri_get_path(soup_server_message_get_uri(msg));
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) segs = testhub_path_split(path, &error);

	if (segs == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid path");
		return;
	}
	if (g_strv_length(segs) == 2 && g_strcmp0(segs[0], "lfs") == 0 && method_is_get(msg)) {
		testhub_route_cdn_lfs(ctx, msg, segs[1]);
		return;
	}
	reply_not_found(msg);
}
