/* testhub-routes-repos.c: repo create / delete / move / settings, repo info
 * and the /api/{models,datasets,spaces} listings of the local Hub.
 */
#include <string.h>

#include "testhub-routes.h"
#include "testhub-spaces.h"
#include "testhub-webhooks.h"

static const gchar *const space_sdks[] = {"gradio", "streamlit", "docker", "static", NULL};

static gboolean
name_is_valid(const gchar *name)
{
	gsize len = name != NULL ? strlen(name) : 0;

	if (len == 0 || len > 96 || !g_ascii_isalnum(name[0]) || !g_ascii_isalnum(name[len - 1]) ||
	    strstr(name, "--") != NULL || strstr(name, "..") != NULL ||
	    g_str_has_suffix(name, ".git"))
		return FALSE;
	for (const gchar *p = name; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
			return FALSE;
	}
	return TRUE;
}

static const gchar *
member_string(JsonObject *o, const gchar *name)
{
	JsonNode *n = json_object_get_member(o, name);

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

/* Reads "type" (absent = model); replies 400 on unknown values. */
static gboolean
body_repo_type(SoupServerMessage *msg, JsonObject *o, TesthubRepoType *type)
{
	const gchar *t = member_string(o, "type");

	*type = TESTHUB_REPO_MODEL;
	if (t == NULL || testhub_repo_type_from_string(t, type))
		return TRUE;
	testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid repo type");
	return FALSE;
}

/* name + organization as sent by the clients; organization null = the caller */
static gchar *
body_repo_id(JsonObject *o, const TesthubUser *user)
{
	const gchar *name = member_string(o, "name");
	const gchar *org = member_string(o, "organization");

	if (name == NULL)
		return NULL;
	if (strchr(name, '/') != NULL)
		return g_strdup(name);
	if (org == NULL && user == NULL)
		return NULL;
	return g_strdup_printf("%s/%s", org != NULL ? org : user->name, name);
}

static gboolean
split_id_valid(const gchar *id)
{
	g_auto(GStrv) parts = id != NULL ? g_strsplit(id, "/", -1) : NULL;

	return parts != NULL && g_strv_length(parts) == 2 && name_is_valid(parts[0]) &&
	       name_is_valid(parts[1]);
}

/* The caller, who must be authenticated with a write token for `ns`. */
static const TesthubUser *
require_writer(TesthubContext *ctx, SoupServerMessage *msg, const gchar *ns, const gchar *what)
{
	const TesthubToken *token = NULL;
	gboolean replied = FALSE;
	const TesthubUser *user = testhub_request_user(ctx, msg, &token, &replied);

	if (replied)
		return NULL;
	if (user == NULL) {
		testhub_reply_error(msg,
				    SOUP_STATUS_UNAUTHORIZED,
				    NULL,
				    "Invalid username or password.");
		return NULL;
	}
	if (ns != NULL && (g_strcmp0(token->role, "write") != 0 ||
			   !testhub_users_can_write_namespace(ctx->users, user, ns))) {
		g_autofree gchar *m = g_strdup_printf(
			"You don't have the rights to %s under the namespace \"%s\"",
			what,
			ns);

		testhub_reply_error(msg, SOUP_STATUS_FORBIDDEN, NULL, m);
		return NULL;
	}
	return user;
}

static gboolean
add_initial_files(TesthubContext *ctx, TesthubRepo *repo, JsonArray *files, GError **error)
{
	g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func((GDestroyNotify)testhub_op_free);
	TesthubRef *main_ref = testhub_store_find_branch(repo, "main");
	g_autofree gchar *commit = NULL;

	for (guint i = 0; i < json_array_get_length(files); i++) {
		JsonObject *f = json_array_get_object_element(files, i);
		const gchar *path = f != NULL ? member_string(f, "path") : NULL;
		const gchar *content = f != NULL ? member_string(f, "content") : NULL;
		g_autofree guchar *raw = NULL;
		g_autoptr(GBytes) bytes = NULL;
		gsize len = 0;
		TesthubOp *op;

		if (!testhub_path_is_valid(path) || content == NULL) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "invalid file entry %u",
				    i);
			return FALSE;
		}
		raw = g_base64_decode(content, &len);
		bytes = g_bytes_new(raw, len);
		op = g_new0(TesthubOp, 1);
		op->kind = TESTHUB_OP_ADD_REGULAR;
		op->path = g_strdup(path);
		op->size = len;
		op->content_sha1 = testhub_store_put_blob(ctx->store, bytes, error);
		g_ptr_array_add(ops, op);
		if (op->content_sha1 == NULL)
			return FALSE;
	}
	if (ops->len == 0)
		return TRUE;
	commit = testhub_store_write_commit(ctx->store,
					    main_ref->target,
					    ops,
					    "Add files",
					    "",
					    repo->ns,
					    error);
	return commit != NULL && testhub_store_set_branch(ctx->store, repo, "main", commit, error);
}

void
testhub_route_repo_create(TesthubContext *ctx, SoupServerMessage *msg)
{
	g_autoptr(JsonObject) o = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *id = NULL;
	g_autofree gchar *ns = NULL;
	g_autofree gchar *url = NULL;
	TesthubRepoType type;
	const TesthubUser *user;
	const gchar *visibility;
	const gchar *sdk = NULL;
	gboolean private_ = FALSE;
	TesthubRepo *repo;
	JsonObject *reply;

	o = testhub_request_json_object(msg);
	if (o == NULL || !body_repo_type(msg, o, &type))
		return;
	/* authenticate before looking at the name, as the Hub does */
	user = require_writer(ctx, msg, NULL, NULL);
	if (user == NULL)
		return;
	id = body_repo_id(o, user);
	if (!split_id_valid(id)) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid repo name");
		return;
	}
	ns = g_strndup(id, (gsize)(strchr(id, '/') - id));
	if (require_writer(ctx, msg, ns, "create a repo") == NULL)
		return;
	visibility = member_string(o, "visibility");
	if (visibility != NULL) {
		if (g_strcmp0(visibility, "private") == 0)
			private_ = TRUE;
		else if (g_strcmp0(visibility, "public") != 0 &&
			 !(g_strcmp0(visibility, "protected") == 0 && type == TESTHUB_REPO_SPACE)) {
			testhub_reply_error(msg,
					    SOUP_STATUS_BAD_REQUEST,
					    NULL,
					    "Invalid visibility");
			return;
		}
	} else if (json_object_has_member(o, "private") &&
		   !json_object_get_null_member(o, "private")) {
		private_ = json_object_get_boolean_member_with_default(o, "private", FALSE);
	}
	if (type == TESTHUB_REPO_SPACE) {
		sdk = member_string(o, "sdk");
		if (sdk == NULL || !g_strv_contains(space_sdks, sdk)) {
			testhub_reply_error(
				msg,
				SOUP_STATUS_BAD_REQUEST,
				NULL,
				"Invalid sdk: must be one of gradio, streamlit, docker, static");
			return;
		}
	}
	repo = testhub_store_create_repo(ctx->store, type, id, private_, sdk, &error);
	if (repo == NULL && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_EXISTS)) {
		TesthubRepo *existing = testhub_store_get_repo(ctx->store, type, id);
		g_autofree gchar *m = g_strdup_printf("You already created this %s repo: %s",
						      testhub_repo_type_to_string(type),
						      id);
		JsonObject *err = json_object_new();

		url = testhub_repo_url(ctx, existing);
		json_object_set_string_member(err, "error", m);
		json_object_set_string_member(err, "url", url);
		soup_message_headers_replace(soup_server_message_get_response_headers(msg),
					     "X-Error-Message",
					     m);
		testhub_reply_json(msg, SOUP_STATUS_CONFLICT, testhub_json_node_take_object(err));
		return;
	}
	if (repo == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, error->message);
		return;
	}
	if (json_object_has_member(o, "files") &&
	    json_object_get_array_member(o, "files") != NULL &&
	    !add_initial_files(ctx, repo, json_object_get_array_member(o, "files"), &error)) {
		testhub_store_delete_repo(ctx->store, type, id, NULL);
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, error->message);
		return;
	}
	url = testhub_repo_url(ctx, repo);
	reply = json_object_new();
	json_object_set_string_member(reply, "url", url);
	json_object_set_string_member(reply, "name", repo->id);
	json_object_set_string_member(reply, "id", repo->id);
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(reply));
	testhub_webhooks_emit(ctx, repo, "repo", "create", NULL);
}

void
testhub_route_repo_delete(TesthubContext *ctx, SoupServerMessage *msg)
{
	g_autoptr(JsonObject) o = testhub_request_json_object(msg);
	g_autofree gchar *id = NULL;
	TesthubRepoType type;
	const TesthubUser *user;
	TesthubRepo *repo;

	if (o == NULL || !body_repo_type(msg, o, &type))
		return;
	user = require_writer(ctx, msg, NULL, NULL);
	if (user == NULL)
		return;
	id = body_repo_id(o, user);
	if (id == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "Missing repo name");
		return;
	}
	repo = testhub_request_repo(ctx, msg, type, id, TRUE, NULL);
	if (repo == NULL)
		return;
	testhub_webhooks_emit(ctx, repo, "repo", "delete", NULL);
	testhub_store_delete_repo(ctx->store, type, id, NULL);
	testhub_reply_bytes(msg, SOUP_STATUS_OK, "text/plain; charset=utf-8", NULL);
}

/* the move event names the repo as it was, and where it went in movedTo */
static void
emit_moved(TesthubContext *ctx, TesthubRepo *moved, const gchar *from)
{
	TesthubRepo before;
	g_autofree gchar *from_ns = g_strndup(from, (gsize)(strchr(from, '/') - from));
	JsonObject *extra = json_object_new();
	JsonObject *to = json_object_new();
	JsonObject *owner = json_object_new();
	const TesthubUser *u;

	if (moved == NULL) {
		json_object_unref(extra);
		json_object_unref(to);
		json_object_unref(owner);
		return;
	}
	u = testhub_users_by_name(ctx->users, moved->ns);
	json_object_set_string_member(to, "name", moved->id);
	json_object_set_string_member(owner, "id", u != NULL ? u->id : moved->ns);
	json_object_set_object_member(to, "owner", owner);
	json_object_set_object_member(extra, "movedTo", to);
	before = *moved;
	before.id = (gchar *)from;
	before.ns = from_ns;
	testhub_webhooks_emit(ctx, &before, "repo", "move", extra);
}

void
testhub_route_repo_move(TesthubContext *ctx, SoupServerMessage *msg)
{
	g_autoptr(JsonObject) o = testhub_request_json_object(msg);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *to_ns = NULL;
	TesthubRepoType type;
	const gchar *from;
	const gchar *to;
	TesthubRepo *repo;
	JsonObject *reply;
	g_autofree gchar *url = NULL;

	if (o == NULL || !body_repo_type(msg, o, &type))
		return;
	from = member_string(o, "fromRepo");
	to = member_string(o, "toRepo");
	if (!split_id_valid(from) || !split_id_valid(to)) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid repo name");
		return;
	}
	repo = testhub_request_repo(ctx, msg, type, from, TRUE, NULL);
	if (repo == NULL)
		return;
	to_ns = g_strndup(to, (gsize)(strchr(to, '/') - to));
	if (require_writer(ctx, msg, to_ns, "move a repo") == NULL)
		return;
	if (!testhub_store_move_repo(ctx->store, type, from, to, &error)) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_EXISTS))
			testhub_reply_error(msg,
					    SOUP_STATUS_CONFLICT,
					    NULL,
					    "A repo with this name already exists");
		else
			testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, error->message);
		return;
	}
	url = testhub_repo_url(ctx, repo);
	reply = json_object_new();
	json_object_set_string_member(reply, "url", url);
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(reply));
	emit_moved(ctx, testhub_store_get_repo(ctx->store, type, to), from);
}

void
testhub_route_repo_settings(TesthubContext *ctx,
			    SoupServerMessage *msg,
			    TesthubRepoType type,
			    const gchar *repo_id)
{
	g_autoptr(JsonObject) o = NULL;
	g_autoptr(GError) error = NULL;
	TesthubRepo *repo = testhub_request_repo(ctx, msg, type, repo_id, TRUE, NULL);
	JsonNode *gated;
	JsonNode *priv;
	JsonNode *disc;
	const gchar *visibility;
	gboolean new_private;
	gchar *new_gated;
	JsonObject *reply;

	if (repo == NULL)
		return;
	o = testhub_request_json_object(msg);
	if (o == NULL)
		return;
	gated = json_object_get_member(o, "gated");
	priv = json_object_get_member(o, "private");
	disc = json_object_get_member(o, "discussionsDisabled");
	visibility = member_string(o, "visibility");
	new_private = repo->private_;
	new_gated = repo->gated;
	if (gated != NULL) {
		const gchar *g = JSON_NODE_HOLDS_VALUE(gated) &&
						 json_node_get_value_type(gated) == G_TYPE_STRING
					 ? json_node_get_string(gated)
					 : NULL;

		if (g != NULL && (g_strcmp0(g, "auto") == 0 || g_strcmp0(g, "manual") == 0))
			new_gated = (gchar *)g;
		else if (JSON_NODE_HOLDS_VALUE(gated) &&
			 json_node_get_value_type(gated) == G_TYPE_BOOLEAN &&
			 !json_node_get_boolean(gated))
			new_gated = NULL;
		else {
			testhub_reply_error(msg,
					    SOUP_STATUS_BAD_REQUEST,
					    NULL,
					    "gated must be false, \"auto\" or \"manual\"");
			return;
		}
	}
	if (priv != NULL) {
		if (!JSON_NODE_HOLDS_VALUE(priv) ||
		    json_node_get_value_type(priv) != G_TYPE_BOOLEAN) {
			testhub_reply_error(msg,
					    SOUP_STATUS_BAD_REQUEST,
					    NULL,
					    "private must be a boolean");
			return;
		}
		new_private = json_node_get_boolean(priv);
	}
	if (json_object_has_member(o, "visibility")) {
		if (g_strcmp0(visibility, "private") == 0)
			new_private = TRUE;
		else if (g_strcmp0(visibility, "public") == 0 ||
			 (g_strcmp0(visibility, "protected") == 0 && type == TESTHUB_REPO_SPACE))
			new_private = FALSE;
		else {
			testhub_reply_error(msg,
					    SOUP_STATUS_BAD_REQUEST,
					    NULL,
					    "Invalid visibility");
			return;
		}
	}
	if (disc != NULL &&
	    (!JSON_NODE_HOLDS_VALUE(disc) || json_node_get_value_type(disc) != G_TYPE_BOOLEAN)) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "discussionsDisabled must be a boolean");
		return;
	}
	if (gated == NULL && priv == NULL && disc == NULL && visibility == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "No setting to update");
		return;
	}
	if (new_gated != repo->gated) {
		gchar *copy = g_strdup(new_gated);

		g_free(repo->gated);
		repo->gated = copy;
	}
	repo->private_ = new_private;
	if (disc != NULL)
		repo->discussions_disabled = json_node_get_boolean(disc);
	if (!testhub_store_save_repo(ctx->store, repo, &error)) {
		testhub_reply_error(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, error->message);
		return;
	}
	reply = json_object_new();
	json_object_set_boolean_member(reply, "private", repo->private_);
	if (repo->gated != NULL)
		json_object_set_string_member(reply, "gated", repo->gated);
	else
		json_object_set_boolean_member(reply, "gated", FALSE);
	json_object_set_boolean_member(reply, "discussionsDisabled", repo->discussions_disabled);
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(reply));
	{
		JsonObject *extra = json_object_new();
		JsonObject *config = json_object_new();

		json_object_set_boolean_member(config, "private", repo->private_);
		json_object_set_object_member(extra, "updatedConfig", config);
		testhub_webhooks_emit(ctx, repo, "repo.config", "update", extra);
	}
}

/* ---- info ---- */

JsonNode *
testhub_read_card(TesthubContext *ctx, TesthubCommit *c)
{
	TesthubEntry *readme = g_hash_table_lookup(c->tree, "README.md");
	g_autofree gchar *path = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	JsonNode *card;

	if (readme == NULL || readme->lfs_sha256 != NULL || readme->size > 1024 * 1024)
		return NULL;
	path = testhub_store_blob_path(ctx->store, readme->blob_sha1);
	if (!g_file_get_contents(path, &text, &len, NULL))
		return NULL;
	card = testhub_card_parse_front_matter(text, len, &error);
	if (card != NULL && !JSON_NODE_HOLDS_OBJECT(card))
		g_clear_pointer(&card, json_node_unref);
	return card;
}

static void
add_tag(JsonArray *tags, GHashTable *seen, const gchar *prefix, JsonNode *value)
{
	if (value == NULL)
		return;
	if (JSON_NODE_HOLDS_ARRAY(value)) {
		JsonArray *arr = json_node_get_array(value);

		for (guint i = 0; i < json_array_get_length(arr); i++)
			add_tag(tags, seen, prefix, json_array_get_element(arr, i));
	} else if (JSON_NODE_HOLDS_VALUE(value) &&
		   json_node_get_value_type(value) == G_TYPE_STRING) {
		g_autofree gchar *tag = g_strconcat(prefix, json_node_get_string(value), NULL);

		if (g_hash_table_add(seen, g_strdup(tag)))
			json_array_add_string_element(tags, tag);
	}
}

static gboolean
expand_wants(GPtrArray *expand, const gchar *key)
{
	if (expand == NULL || expand->len == 0)
		return TRUE;
	if (g_strcmp0(key, "_id") == 0 || g_strcmp0(key, "id") == 0)
		return TRUE;
	for (guint i = 0; i < expand->len; i++) {
		if (g_strcmp0(g_ptr_array_index(expand, i), key) == 0)
			return TRUE;
	}
	return FALSE;
}

static JsonArray *
siblings_json(TesthubCommit *c, gboolean blobs)
{
	g_autoptr(GPtrArray) entries = testhub_commit_sorted_entries(c);
	JsonArray *arr = json_array_new();

	for (guint i = 0; i < entries->len; i++) {
		TesthubEntry *e = g_ptr_array_index(entries, i);
		JsonObject *s = json_object_new();

		json_object_set_string_member(s, "rfilename", e->path);
		if (blobs) {
			json_object_set_int_member(s, "size", (gint64)e->size);
			json_object_set_string_member(s, "blobId", e->blob_sha1);
			if (e->lfs_sha256 != NULL) {
				JsonObject *lfs = json_object_new();

				json_object_set_string_member(lfs, "sha256", e->lfs_sha256);
				json_object_set_int_member(lfs, "size", (gint64)e->size);
				json_object_set_int_member(lfs,
							   "pointerSize",
							   (gint64)e->pointer_size);
				json_object_set_object_member(s, "lfs", lfs);
			}
		}
		json_array_add_object_element(arr, s);
	}
	return arr;
}

typedef struct {
	gboolean siblings;
	gboolean blobs;
	gboolean card;
	GPtrArray *expand; /* borrowed, may be NULL */
} InfoOptions;

/* model info's `spaces`: the Spaces whose card names the model */
static JsonArray *
linked_spaces(TesthubContext *ctx, TesthubRepo *repo)
{
	if (repo->type != TESTHUB_REPO_MODEL)
		return json_array_new();
	return testhub_spaces_using_model(ctx, repo->id);
}

static JsonObject *
repo_info_json(TesthubContext *ctx, TesthubRepo *repo, TesthubCommit *c, const InfoOptions *opt)
{
	JsonObject *o = json_object_new();
	g_autoptr(JsonNode) card = testhub_read_card(ctx, c);
	JsonObject *cardobj = card != NULL ? json_node_get_object(card) : NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree gchar *oid_src =
		g_strdup_printf("%s:%s", testhub_repo_type_to_plural(repo->type), repo->id);
	g_autofree gchar *oid = g_compute_checksum_for_string(G_CHECKSUM_SHA1, oid_src, -1);
	g_autofree gchar *created = testhub_iso_date(repo->created_at);
	g_autofree gchar *modified = testhub_iso_date(c->date);
	g_autoptr(GPtrArray) entries = testhub_commit_sorted_entries(c);
	JsonArray *tags = json_array_new();
	guint64 storage = 0;
	JsonObject *filtered;
	JsonObjectIter iter;
	const gchar *k;
	JsonNode *v;

	oid[24] = '\0';
	if (cardobj != NULL) {
		add_tag(tags, seen, "", json_object_get_member(cardobj, "tags"));
		add_tag(tags, seen, "", json_object_get_member(cardobj, "library_name"));
		add_tag(tags, seen, "dataset:", json_object_get_member(cardobj, "datasets"));
		add_tag(tags, seen, "license:", json_object_get_member(cardobj, "license"));
	}
	for (guint i = 0; i < entries->len; i++)
		storage += ((TesthubEntry *)g_ptr_array_index(entries, i))->size;

	json_object_set_string_member(o, "_id", oid);
	json_object_set_string_member(o, "id", repo->id);
	if (repo->type == TESTHUB_REPO_MODEL)
		json_object_set_string_member(o, "modelId", repo->id);
	json_object_set_string_member(o, "author", repo->ns);
	json_object_set_string_member(o, "sha", c->id);
	json_object_set_string_member(o, "lastModified", modified);
	json_object_set_string_member(o, "createdAt", created);
	json_object_set_boolean_member(o, "private", repo->private_);
	if (repo->gated != NULL)
		json_object_set_string_member(o, "gated", repo->gated);
	else
		json_object_set_boolean_member(o, "gated", FALSE);
	json_object_set_boolean_member(o, "disabled", FALSE);
	json_object_set_int_member(o, "downloads", 0);
	json_object_set_int_member(o, "likes", 0);
	json_object_set_int_member(o, "trendingScore", 0);
	json_object_set_array_member(o, "tags", tags);
	if (cardobj != NULL && repo->type == TESTHUB_REPO_MODEL) {
		if (member_string(cardobj, "library_name") != NULL)
			json_object_set_string_member(o,
						      "library_name",
						      member_string(cardobj, "library_name"));
		if (member_string(cardobj, "pipeline_tag") != NULL)
			json_object_set_string_member(o,
						      "pipeline_tag",
						      member_string(cardobj, "pipeline_tag"));
	}
	if (repo->type == TESTHUB_REPO_SPACE && repo->sdk != NULL)
		json_object_set_string_member(o, "sdk", repo->sdk);
	if (repo->type == TESTHUB_REPO_SPACE)
		testhub_spaces_add_info(o, repo, cardobj);
	if (cardobj != NULL && opt->card)
		json_object_set_object_member(o, "cardData", json_object_ref(cardobj));
	if (opt->siblings) {
		json_object_set_array_member(o, "siblings", siblings_json(c, opt->blobs));
		json_object_set_array_member(o, "spaces", linked_spaces(ctx, repo));
		json_object_set_int_member(o, "usedStorage", (gint64)storage);
	}
	if (opt->expand == NULL || opt->expand->len == 0)
		return o;

	/* expand restricts the answer to the named keys, computed ones included */
	if (expand_wants(opt->expand, "siblings") && !json_object_has_member(o, "siblings"))
		json_object_set_array_member(o, "siblings", siblings_json(c, FALSE));
	if (expand_wants(opt->expand, "cardData") && cardobj != NULL &&
	    !json_object_has_member(o, "cardData"))
		json_object_set_object_member(o, "cardData", json_object_ref(cardobj));
	if (expand_wants(opt->expand, "usedStorage"))
		json_object_set_int_member(o, "usedStorage", (gint64)storage);
	if (expand_wants(opt->expand, "spaces") && !json_object_has_member(o, "spaces"))
		json_object_set_array_member(o, "spaces", linked_spaces(ctx, repo));
	filtered = json_object_new();
	json_object_iter_init(&iter, o);
	while (json_object_iter_next(&iter, &k, &v)) {
		if (expand_wants(opt->expand, k))
			json_object_set_member(filtered, k, json_node_copy(v));
	}
	json_object_unref(o);
	return filtered;
}

static GPtrArray *
expand_values(TesthubQuery *q)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	const gchar *keys[] = {"expand", "expand[]"};

	for (guint k = 0; k < G_N_ELEMENTS(keys); k++) {
		GPtrArray *vals = testhub_query_get_all(q, keys[k]);

		for (guint i = 0; i < vals->len; i++) {
			g_auto(GStrv) parts = g_strsplit(g_ptr_array_index(vals, i), ",", -1);

			for (guint p = 0; parts[p] != NULL; p++) {
				if (parts[p][0] != '\0')
					g_ptr_array_add(out, g_strdup(parts[p]));
			}
		}
	}
	return out;
}

void
testhub_route_repo_info(TesthubContext *ctx,
			SoupServerMessage *msg,
			TesthubRepoType type,
			const gchar *repo_id,
			const gchar *rev)
{
	g_autoptr(TesthubQuery) q =
		testhub_query_parse(g_uri_get_query(soup_server_message_get_uri(msg)));
	g_autoptr(GPtrArray) expand = expand_values(q);
	g_autoptr(TesthubCommit) c = NULL;
	TesthubRepo *repo = testhub_request_repo(ctx, msg, type, repo_id, FALSE, NULL);
	InfoOptions opt = {
		.siblings = TRUE,
		.blobs = testhub_query_bool(testhub_query_get(q, "blobs"), FALSE),
		.card = TRUE,
		.expand = expand,
	};

	if (repo == NULL)
		return;
	c = testhub_route_load_revision(ctx, msg, repo, rev != NULL ? rev : "main");
	if (c == NULL)
		return;
	testhub_reply_json(msg,
			   SOUP_STATUS_OK,
			   testhub_json_node_take_object(repo_info_json(ctx, repo, c, &opt)));
}

/* ---- listing ---- */

typedef struct {
	TesthubRepo *repo;
	JsonObject *info;
} ListItem;

static void
list_item_free(gpointer p)
{
	ListItem *it = p;

	json_object_unref(it->info);
	g_free(it);
}

static const gchar *sort_key = NULL;
static gint sort_dir = -1;

static gint
list_item_cmp(gconstpointer a, gconstpointer b)
{
	const ListItem *ia = *(ListItem *const *)a;
	const ListItem *ib = *(ListItem *const *)b;
	gint r = 0;

	if (g_strcmp0(sort_key, "createdAt") == 0)
		r = (ia->repo->created_at > ib->repo->created_at) -
		    (ia->repo->created_at < ib->repo->created_at);
	else if (g_strcmp0(sort_key, "lastModified") == 0)
		r = g_strcmp0(json_object_get_string_member(ia->info, "lastModified"),
			      json_object_get_string_member(ib->info, "lastModified"));
	else if (g_strcmp0(sort_key, "id") == 0)
		r = g_strcmp0(ia->repo->id, ib->repo->id);
	/* downloads, likes, trendingScore are all 0 here: ties fall back to id */
	if (r != 0)
		return r * sort_dir;
	return g_strcmp0(ia->repo->id, ib->repo->id);
}

static gboolean
has_tag(JsonObject *info, const gchar *tag)
{
	JsonArray *tags = json_object_get_array_member(info, "tags");

	for (guint i = 0; tags != NULL && i < json_array_get_length(tags); i++) {
		if (g_ascii_strcasecmp(json_array_get_string_element(tags, i), tag) == 0)
			return TRUE;
	}
	return g_strcmp0(member_string(info, "library_name"), tag) == 0 ||
	       g_strcmp0(member_string(info, "pipeline_tag"), tag) == 0;
}

static gboolean
item_matches(TesthubQuery *q, ListItem *it)
{
	GPtrArray *search = testhub_query_get_all(q, "search");
	GPtrArray *filter = testhub_query_get_all(q, "filter");
	const gchar *author = testhub_query_get(q, "author");
	const gchar *pipeline = testhub_query_get(q, "pipeline_tag");
	const gchar *gated = testhub_query_get(q, "gated");
	g_autofree gchar *id_lower = g_ascii_strdown(it->repo->id, -1);

	if (author != NULL && g_ascii_strcasecmp(author, it->repo->ns) != 0)
		return FALSE;
	for (guint i = 0; i < search->len; i++) {
		g_autofree gchar *needle = g_ascii_strdown(g_ptr_array_index(search, i), -1);

		if (strstr(id_lower, needle) == NULL)
			return FALSE;
	}
	for (guint i = 0; i < filter->len; i++) {
		g_auto(GStrv) parts = g_strsplit(g_ptr_array_index(filter, i), ",", -1);

		for (guint p = 0; parts[p] != NULL; p++) {
			if (parts[p][0] != '\0' && !has_tag(it->info, parts[p]))
				return FALSE;
		}
	}
	if (pipeline != NULL && g_strcmp0(member_string(it->info, "pipeline_tag"), pipeline) != 0)
		return FALSE;
	if (gated != NULL && testhub_query_bool(gated, FALSE) != (it->repo->gated != NULL))
		return FALSE;
	return TRUE;
}

void
testhub_route_repo_list(TesthubContext *ctx, SoupServerMessage *msg, TesthubRepoType type)
{
	g_autoptr(TesthubQuery) q =
		testhub_query_parse(g_uri_get_query(soup_server_message_get_uri(msg)));
	g_autoptr(GPtrArray) expand = expand_values(q);
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(list_item_free);
	gboolean full = testhub_query_bool(testhub_query_get(q, "full"), FALSE);
	InfoOptions opt = {
		.siblings = full,
		.blobs = FALSE,
		.card = full || testhub_query_bool(testhub_query_get(q, "cardData"), FALSE),
		.expand = expand,
	};
	const TesthubUser *user;
	gboolean replied = FALSE;
	GPtrArray *repos;
	JsonArray *page;
	guint offset;
	guint limit;
	guint64 requested = 0;
	g_autofree gchar *total = NULL;

	user = testhub_request_user(ctx, msg, NULL, &replied);
	if (replied)
		return;
	repos = testhub_store_list_repos(ctx->store, type);
	for (guint i = 0; i < repos->len; i++) {
		TesthubRepo *repo = g_ptr_array_index(repos, i);
		TesthubRef *main_ref = testhub_store_find_branch(repo, "main");
		g_autoptr(TesthubCommit) c = NULL;
		ListItem *it;
		InfoOptions all = {.siblings = FALSE,
				   .blobs = FALSE,
				   .card = FALSE,
				   .expand = NULL};

		if (!testhub_user_can_read_repo(ctx, user, repo) || main_ref == NULL)
			continue;
		c = testhub_store_load_commit(ctx->store, main_ref->target, NULL);
		if (c == NULL)
			continue;
		it = g_new0(ListItem, 1);
		it->repo = repo;
		/* match on the unfiltered info; answer with the expanded one */
		it->info = repo_info_json(ctx, repo, c, &all);
		if (!item_matches(q, it)) {
			list_item_free(it);
			continue;
		}
		json_object_unref(it->info);
		it->info = repo_info_json(ctx, repo, c, &opt);
		g_ptr_array_add(items, it);
	}
	sort_key = testhub_query_get(q, "sort");
	sort_dir = g_strcmp0(testhub_query_get(q, "direction"), "1") == 0 ? 1 : -1;
	if (sort_key == NULL || g_strcmp0(sort_key, "id") == 0)
		sort_dir = g_strcmp0(testhub_query_get(q, "direction"), "-1") == 0 ? -1 : 1;
	g_ptr_array_sort(items, list_item_cmp);

	limit = testhub_get_page_size() > 0 ? testhub_get_page_size() : 50;
	if (testhub_query_get(q, "limit") != NULL &&
	    g_ascii_string_to_unsigned(testhub_query_get(q, "limit"),
				       10,
				       1,
				       1000,
				       &requested,
				       NULL))
		limit = MIN(limit, (guint)requested);
	offset = testhub_cursor_decode(testhub_query_get(q, "cursor"));
	page = json_array_new();
	for (guint i = offset; i < items->len && i < offset + limit; i++) {
		ListItem *it = g_ptr_array_index(items, i);

		json_array_add_object_element(page, json_object_ref(it->info));
	}
	if (offset + limit < items->len) {
		g_autofree gchar *cursor = testhub_cursor_encode(offset + limit);

		testhub_set_next_link(ctx, msg, "cursor", cursor);
	}
	total = g_strdup_printf("%u", items->len);
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "X-Total-Count",
				     total);
	testhub_reply_json(msg, SOUP_STATUS_OK, json_node_init_array(json_node_alloc(), page));
	json_array_unref(page);
}
