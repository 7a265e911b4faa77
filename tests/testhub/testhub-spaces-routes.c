/* testhub-spaces-routes.c: the local Hub's /api/spaces/… routes — hardware,
 * runtime, sleep time, pause, restart, dev mode, secrets, variables, logs and
 * duplicate — answering as huggingface.co does (docs/hub-spaces.md) */
#include <string.h>

#include "testhub-http.h"
#include "testhub-routes.h"
#include "testhub-spaces-private.h"

static gboolean
method_is(SoupServerMessage *msg, const gchar *method)
{
	return g_strcmp0(soup_server_message_get_method(msg), method) == 0;
}

static void
reply_object(SoupServerMessage *msg, JsonObject *o)
{
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(o));
}

static void
reply_runtime(SoupServerMessage *msg, TesthubSpace *space)
{
	reply_object(msg, testhub_space_runtime_json(space));
}

/* ---- secrets and variables ---- */

static JsonObject *
store_json(GHashTable *table)
{
	JsonObject *o = json_object_new();
	g_autoptr(GList) keys = g_list_sort(g_hash_table_get_keys(table), (GCompareFunc)g_strcmp0);

	for (GList *l = keys; l != NULL; l = l->next)
		json_object_set_object_member(o,
					      l->data,
					      json_object_ref(g_hash_table_lookup(table, l->data)));
	return o;
}

static void
route_store(SoupServerMessage *msg, TesthubSpace *space, gboolean secrets)
{
	GHashTable *table = secrets ? space->secrets : space->variables;
	g_autoptr(JsonObject) body = NULL;
	const gchar *key;
	JsonObject *entry;
	g_autofree gchar *now = NULL;

	if (method_is(msg, "GET")) {
		reply_object(msg, store_json(table));
		return;
	}
	body = testhub_request_json_object(msg);
	if (body == NULL)
		return;
	key = json_object_get_string_member_with_default(body, "key", NULL);
	if (key == NULL || key[0] == '\0') {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "key is required");
		return;
	}
	if (method_is(msg, "DELETE")) {
		g_hash_table_remove(table, key);
	} else {
		const gchar *value =
			json_object_get_string_member_with_default(body, "value", NULL);
		const gchar *description =
			json_object_get_string_member_with_default(body, "description", NULL);

		if (value == NULL) {
			testhub_reply_error(msg,
					    SOUP_STATUS_BAD_REQUEST,
					    NULL,
					    "value is required");
			return;
		}
		entry = json_object_new();
		/* a secret's value is kept nowhere the API can read it back */
		if (!secrets)
			json_object_set_string_member(entry, "value", value);
		if (description != NULL)
			json_object_set_string_member(entry, "description", description);
		now = testhub_iso_date(g_get_real_time() / G_USEC_PER_SEC);
		json_object_set_string_member(entry, "updatedAt", now);
		g_hash_table_replace(table, g_strdup(key), entry);
	}
	/* secrets answer {}, variables the whole map (docs/hub-spaces.md §3) */
	reply_object(msg, secrets ? json_object_new() : store_json(table));
}

/* ---- runtime changes ---- */

static void
route_hardware(SoupServerMessage *msg, TesthubSpace *space)
{
	g_autoptr(JsonObject) body = testhub_request_json_object(msg);
	const gchar *flavor;
	g_autofree gchar *reason = NULL;

	if (body == NULL)
		return;
	flavor = json_object_get_string_member_with_default(body, "flavor", NULL);
	if (!testhub_space_flavor_is_known(flavor)) {
		g_autofree gchar *m = g_strdup_printf("Invalid hardware flavor: %s",
						      flavor != NULL ? flavor : "");

		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, m);
		return;
	}
	if (g_strcmp0(space->sdk, "static") == 0) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "Static Spaces do not run on hardware");
		return;
	}
	g_free(space->hw_requested);
	space->hw_requested = g_strdup(flavor);
	if (g_strcmp0(flavor, "cpu-basic") == 0)
		space->sleep_time = 172800;
	else if (json_object_has_member(body, "sleepTimeSeconds"))
		space->sleep_time = json_object_get_int_member(body, "sleepTimeSeconds");
	else if (space->sleep_time == 172800)
		space->sleep_time = -1; /* upgraded hardware never sleeps by default */
	reason = g_strdup_printf("hardware %s requested", flavor);
	testhub_space_rebuild(space, reason);
	reply_runtime(msg, space);
}

static void
route_sleeptime(SoupServerMessage *msg, TesthubSpace *space)
{
	g_autoptr(JsonObject) body = testhub_request_json_object(msg);
	JsonNode *seconds;

	if (body == NULL)
		return;
	seconds = json_object_get_member(body, "seconds");
	if (seconds == NULL || !JSON_NODE_HOLDS_VALUE(seconds) ||
	    json_node_get_value_type(seconds) != G_TYPE_INT64 || json_node_get_int(seconds) < -1) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "seconds must be an integer, -1 for never");
		return;
	}
	/* cpu-basic's 48 h is not configurable: accepted and ignored */
	if (g_strcmp0(space->hw_requested, "cpu-basic") != 0)
		space->sleep_time = json_node_get_int(seconds);
	testhub_space_update(space);
	reply_runtime(msg, space);
}

static void
route_pause(SoupServerMessage *msg, TesthubSpace *space)
{
	if (g_strcmp0(space->sdk, "static") == 0) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "Cannot pause a static Space");
		return;
	}
	testhub_space_log(space, FALSE, "Space paused by its owner");
	testhub_space_set_stage(space, "PAUSED");
	testhub_space_update(space);
	reply_runtime(msg, space);
}

static void
route_restart(SoupServerMessage *msg, TesthubSpace *space)
{
	g_autoptr(TesthubQuery) query =
		testhub_query_parse(g_uri_get_query(soup_server_message_get_uri(msg)));
	gboolean factory = testhub_query_bool(testhub_query_get(query, "factory"), FALSE);

	if (g_strcmp0(space->sdk, "static") == 0) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "Cannot restart a static Space");
		return;
	}
	testhub_space_rebuild(space, factory ? "factory reboot" : "restart");
	reply_runtime(msg, space);
}

static void
route_dev_mode(SoupServerMessage *msg, TesthubSpace *space)
{
	g_autoptr(JsonObject) body = testhub_request_json_object(msg);
	JsonNode *enabled;

	if (body == NULL)
		return;
	enabled = json_object_get_member(body, "enabled");
	if (enabled == NULL || !JSON_NODE_HOLDS_VALUE(enabled) ||
	    json_node_get_value_type(enabled) != G_TYPE_BOOLEAN) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "enabled must be a boolean");
		return;
	}
	space->dev_mode = json_node_get_boolean(enabled);
	reply_runtime(msg, space);
}

/* ---- duplicate ---- */

static void
copy_store(GHashTable *table, JsonObject *body, const gchar *member, gboolean secrets)
{
	JsonArray *arr = json_object_get_member(body, member) != NULL &&
					 JSON_NODE_HOLDS_ARRAY(json_object_get_member(body, member))
				 ? json_object_get_array_member(body, member)
				 : NULL;
	g_autofree gchar *now = testhub_iso_date(g_get_real_time() / G_USEC_PER_SEC);

	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonNode *el = json_array_get_element(arr, i);
		JsonObject *item = JSON_NODE_HOLDS_OBJECT(el) ? json_node_get_object(el) : NULL;
		const gchar *key =
			item != NULL ? json_object_get_string_member_with_default(item, "key", NULL)
				     : NULL;
		JsonObject *entry;

		if (key == NULL)
			continue;
		entry = json_object_new();
		if (!secrets)
			json_object_set_string_member(
				entry,
				"value",
				json_object_get_string_member_with_default(item, "value", ""));
		json_object_set_string_member(entry, "updatedAt", now);
		g_hash_table_replace(table, g_strdup(key), entry);
	}
}

static void
route_duplicate(TesthubContext *ctx,
		SoupServerMessage *msg,
		TesthubRepo *from,
		const TesthubUser *user)
{
	g_autoptr(JsonObject) body = testhub_request_json_object(msg);
	g_autoptr(GError) error = NULL;
	const gchar *to_id;
	const gchar *visibility;
	g_autofree gchar *ns = NULL;
	g_autofree gchar *commit = NULL;
	TesthubSpace *source;
	TesthubSpace *space;
	TesthubRepo *to;
	gboolean private_ = from->private_;
	g_autofree gchar *url = NULL;
	JsonObject *o;

	if (body == NULL)
		return;
	to_id = json_object_get_string_member_with_default(body, "repository", NULL);
	if (to_id == NULL || strchr(to_id, '/') == NULL) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "repository must be namespace/name");
		return;
	}
	ns = g_strndup(to_id, (gsize)(strchr(to_id, '/') - to_id));
	if (user == NULL || !testhub_users_can_write_namespace(ctx->users, user, ns)) {
		testhub_reply_error(msg,
				    SOUP_STATUS_FORBIDDEN,
				    NULL,
				    "You don't have the rights to create a repo in this namespace");
		return;
	}
	visibility = json_object_get_string_member_with_default(body, "visibility", NULL);
	if (visibility != NULL)
		private_ = g_strcmp0(visibility, "public") != 0;
	else if (json_object_has_member(body, "private"))
		private_ = json_object_get_boolean_member_with_default(body, "private", private_);
	to = testhub_store_create_repo(ctx->store,
				       TESTHUB_REPO_SPACE,
				       to_id,
				       private_,
				       from->sdk,
				       &error);
	if (to == NULL) {
		g_autoptr(JsonObject) err = json_object_new();

		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_EXISTS)) {
			testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, error->message);
			return;
		}
		url = g_strdup_printf("%s/spaces/%s", ctx->base_url, to_id);
		json_object_set_string_member(err, "error", "You already created this space repo");
		json_object_set_string_member(err, "url", url);
		testhub_reply_json(msg,
				   SOUP_STATUS_CONFLICT,
				   testhub_json_node_take_object(g_steal_pointer(&err)));
		return;
	}
	commit = testhub_store_resolve_revision(ctx->store, from, "main");
	if (commit != NULL && !testhub_store_set_branch(ctx->store, to, "main", commit, &error))
		g_warning("duplicate %s: %s", to_id, error->message);
	source = testhub_space_get(from);
	space = testhub_space_get(to);
	if (json_object_has_member(body, "hardware") &&
	    testhub_space_flavor_is_known(
		    json_object_get_string_member_with_default(body, "hardware", NULL))) {
		g_free(space->hw_requested);
		space->hw_requested = g_strdup(json_object_get_string_member(body, "hardware"));
	}
	if (json_object_has_member(body, "sleepTimeSeconds"))
		space->sleep_time = json_object_get_int_member(body, "sleepTimeSeconds");
	copy_store(space->secrets, body, "secrets", TRUE);
	copy_store(space->variables, body, "variables", FALSE);
	/* a duplicate starts as its source is: paused stays paused */
	if (g_strcmp0(source->stage, "PAUSED") == 0)
		testhub_space_set_stage(space, "PAUSED");
	else
		testhub_space_rebuild(space, "duplicated");
	url = testhub_repo_url(ctx, to);
	o = json_object_new();
	json_object_set_string_member(o, "url", url);
	reply_object(msg, o);
}

/* ---- dispatch ---- */

gboolean
testhub_spaces_route(TesthubContext *ctx, SoupServerMessage *msg, gchar **segs, guint n)
{
	g_autofree gchar *id = NULL;
	const gchar *what;
	const gchar *sub;
	gboolean write;
	const TesthubUser *user = NULL;
	TesthubRepo *repo;
	TesthubSpace *space;
	guint i = 2;

	if (n < 3 || g_strcmp0(segs[1], "spaces") != 0)
		return FALSE;
	if (n == 3 && g_strcmp0(segs[2], "hardware") == 0 && method_is(msg, "GET")) {
		JsonNode *node = json_node_new(JSON_NODE_ARRAY);

		json_node_take_array(node, testhub_spaces_hardware_json());
		testhub_reply_json(msg, SOUP_STATUS_OK, node);
		return TRUE;
	}
	if (strchr(segs[i], '/') != NULL) {
		id = g_strdup(segs[i++]);
	} else if (i + 1 < n) {
		id = g_strdup_printf("%s/%s", segs[i], segs[i + 1]);
		i += 2;
	} else {
		return FALSE;
	}
	what = i < n ? segs[i] : NULL;
	sub = i + 1 < n ? segs[i + 1] : NULL;
	if (what == NULL || (sub != NULL && g_strcmp0(what, "logs") != 0) || i + 2 < n)
		return FALSE;
	if (g_strcmp0(what, "runtime") == 0 && method_is(msg, "GET"))
		write = FALSE;
	else if (g_strcmp0(what, "logs") == 0 && method_is(msg, "GET") &&
		 (g_strcmp0(sub, "build") == 0 || g_strcmp0(sub, "run") == 0))
		write = FALSE;
	else if ((g_strcmp0(what, "secrets") == 0 || g_strcmp0(what, "variables") == 0) &&
		 (method_is(msg, "GET") || method_is(msg, "POST") || method_is(msg, "DELETE")))
		write = TRUE;
	else if (g_strcmp0(what, "duplicate") == 0 && method_is(msg, "POST"))
		write = FALSE;
	else if ((g_strcmp0(what, "hardware") == 0 || g_strcmp0(what, "sleeptime") == 0 ||
		  g_strcmp0(what, "pause") == 0 || g_strcmp0(what, "restart") == 0 ||
		  g_strcmp0(what, "dev-mode") == 0) &&
		 method_is(msg, "POST"))
		write = TRUE;
	else
		return FALSE;
	repo = testhub_request_repo(ctx, msg, TESTHUB_REPO_SPACE, id, write, &user);
	if (repo == NULL)
		return TRUE;
	if (g_strcmp0(what, "duplicate") == 0) {
		route_duplicate(ctx, msg, repo, user);
		return TRUE;
	}
	/* every Space route needs a token (docs/hub-spaces.md) */
	if (user == NULL) {
		testhub_reply_error(msg,
				    SOUP_STATUS_UNAUTHORIZED,
				    NULL,
				    "Invalid username or password.");
		return TRUE;
	}
	space = testhub_space_get(repo);
	if (g_strcmp0(what, "runtime") == 0)
		reply_runtime(msg, space);
	else if (g_strcmp0(what, "logs") == 0)
		testhub_space_open_log_stream(space, msg, g_strcmp0(sub, "build") == 0);
	else if (g_strcmp0(what, "secrets") == 0)
		route_store(msg, space, TRUE);
	else if (g_strcmp0(what, "variables") == 0)
		route_store(msg, space, FALSE);
	else if (g_strcmp0(what, "hardware") == 0)
		route_hardware(msg, space);
	else if (g_strcmp0(what, "sleeptime") == 0)
		route_sleeptime(msg, space);
	else if (g_strcmp0(what, "pause") == 0)
		route_pause(msg, space);
	else if (g_strcmp0(what, "restart") == 0)
		route_restart(msg, space);
	else
		route_dev_mode(msg, space);
	return TRUE;
}

void
testhub_spaces_on_commit(TesthubRepo *repo)
{
	TesthubSpace *space = testhub_space_get(repo);

	/* a Space created just now is building already */
	if (g_strcmp0(space->stage, "BUILDING") != 0 || space->build_log->len > 4)
		testhub_space_rebuild(space, "new commit");
}

void
testhub_spaces_admin(TesthubContext *ctx, SoupServerMessage *msg, gchar **rest)
{
	g_autofree gchar *id = NULL;
	g_autoptr(JsonObject) body = NULL;
	TesthubRepo *repo;
	TesthubSpace *space;

	if (rest[0] == NULL || rest[1] == NULL || rest[2] != NULL || !method_is(msg, "POST")) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
		return;
	}
	id = g_strdup_printf("%s/%s", rest[0], rest[1]);
	repo = testhub_store_get_repo(ctx->store, TESTHUB_REPO_SPACE, id);
	if (repo == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, "RepoNotFound", "No such Space");
		return;
	}
	body = testhub_request_json_object(msg);
	if (body == NULL)
		return;
	space = testhub_space_get(repo);
	if (json_object_has_member(body, "build_ms"))
		space->build_ms = (guint)json_object_get_int_member(body, "build_ms");
	if (json_object_has_member(body, "sleep_ms"))
		space->sleep_ms = (guint)json_object_get_int_member(body, "sleep_ms");
	if (json_object_has_member(body, "fail")) {
		g_free(space->fail);
		space->fail =
			g_strdup(json_object_get_string_member_with_default(body, "fail", NULL));
	}
	/* the settings take effect with a new build, as a commit would start */
	if (json_object_get_boolean_member_with_default(body, "rebuild", TRUE))
		testhub_space_rebuild(space, "settings changed");
	reply_runtime(msg, space);
}

JsonArray *
testhub_spaces_using_model(TesthubContext *ctx, const gchar *model_id)
{
	GPtrArray *all = testhub_store_list_repos(ctx->store, TESTHUB_REPO_SPACE);
	JsonArray *out = json_array_new();

	for (guint i = 0; i < all->len; i++) {
		TesthubRepo *repo = g_ptr_array_index(all, i);
		g_autofree gchar *commit_id =
			testhub_store_resolve_revision(ctx->store, repo, "main");
		g_autoptr(TesthubCommit) c =
			commit_id != NULL ? testhub_store_load_commit(ctx->store, commit_id, NULL)
					  : NULL;
		g_autoptr(JsonNode) card = c != NULL ? testhub_read_card(ctx, c) : NULL;
		JsonNode *models =
			card != NULL ? json_object_get_member(json_node_get_object(card), "models")
				     : NULL;

		if (repo->private_ || models == NULL || !JSON_NODE_HOLDS_ARRAY(models))
			continue;
		for (guint j = 0; j < json_array_get_length(json_node_get_array(models)); j++) {
			JsonNode *m = json_array_get_element(json_node_get_array(models), j);

			if (JSON_NODE_HOLDS_VALUE(m) &&
			    json_node_get_value_type(m) == G_TYPE_STRING &&
			    g_strcmp0(json_node_get_string(m), model_id) == 0) {
				json_array_add_string_element(out, repo->id);
				break;
			}
		}
	}
	return out;
}

void
testhub_spaces_add_info(JsonObject *info, TesthubRepo *repo, JsonObject *card)
{
	JsonNode *models = card != NULL ? json_object_get_member(card, "models") : NULL;

	json_object_set_object_member(info,
				      "runtime",
				      testhub_space_runtime_json(testhub_space_get(repo)));
	if (models != NULL && JSON_NODE_HOLDS_ARRAY(models))
		json_object_set_array_member(info,
					     "models",
					     json_array_ref(json_node_get_array(models)));
}
