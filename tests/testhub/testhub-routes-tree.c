/* testhub-routes-tree.c: tree listing and paths-info of the local Hub. */
#include <string.h>

#include "testhub-routes.h"

/* Commits loaded once per request for lastCommit fields. */
typedef struct {
	TesthubStore *store;
	GHashTable *commits; /* id -> TesthubCommit* */
} CommitCache;

static void
commit_cache_clear(CommitCache *cc)
{
	g_clear_pointer(&cc->commits, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CommitCache, commit_cache_clear)

static TesthubCommit *
commit_cache_get(CommitCache *cc, const gchar *id)
{
	TesthubCommit *c;

	if (id == NULL)
		return NULL;
	if (cc->commits == NULL)
		cc->commits = g_hash_table_new_full(g_str_hash,
						    g_str_equal,
						    g_free,
						    (GDestroyNotify)testhub_commit_free);
	c = g_hash_table_lookup(cc->commits, id);
	if (c == NULL) {
		c = testhub_store_load_commit(cc->store, id, NULL);
		if (c != NULL)
			g_hash_table_insert(cc->commits, g_strdup(id), c);
	}
	return c;
}

static JsonObject *
last_commit_json(TesthubCommit *c)
{
	JsonObject *o = json_object_new();
	g_autofree gchar *date = testhub_iso_date(c->date);

	json_object_set_string_member(o, "id", c->id);
	json_object_set_string_member(o, "title", c->title);
	json_object_set_string_member(o, "date", date);
	return o;
}

static JsonObject *
file_json(TesthubEntry *e, gboolean expand, CommitCache *cc)
{
	JsonObject *o = json_object_new();

	json_object_set_string_member(o, "type", "file");
	json_object_set_string_member(o, "oid", e->blob_sha1);
	json_object_set_int_member(o, "size", (gint64)e->size);
	if (e->lfs_sha256 != NULL) {
		JsonObject *lfs = json_object_new();

		json_object_set_string_member(lfs, "oid", e->lfs_sha256);
		json_object_set_int_member(lfs, "size", (gint64)e->size);
		json_object_set_int_member(lfs, "pointerSize", (gint64)e->pointer_size);
		json_object_set_object_member(o, "lfs", lfs);
	}
	json_object_set_string_member(o, "path", e->path);
	if (expand) {
		TesthubCommit *lc = commit_cache_get(cc, e->last_commit);

		if (lc != NULL)
			json_object_set_object_member(o, "lastCommit", last_commit_json(lc));
		json_object_set_null_member(o, "securityFileStatus");
	}
	return o;
}

/* The newest commit that changed something under `dir`. */
static TesthubCommit *
dir_last_commit(GPtrArray *entries, const gchar *dir, CommitCache *cc)
{
	TesthubCommit *best = NULL;
	gsize dlen = strlen(dir);

	for (guint i = 0; i < entries->len; i++) {
		TesthubEntry *e = g_ptr_array_index(entries, i);
		TesthubCommit *c;

		if (strncmp(e->path, dir, dlen) != 0 || e->path[dlen] != '/')
			continue;
		c = commit_cache_get(cc, e->last_commit);
		if (c != NULL && (best == NULL || c->date > best->date))
			best = c;
	}
	return best;
}

static JsonObject *
dir_json(const gchar *path,
	 GHashTable *tree_ids,
	 gboolean expand,
	 GPtrArray *entries,
	 CommitCache *cc)
{
	JsonObject *o = json_object_new();
	const gchar *oid = g_hash_table_lookup(tree_ids, path);

	json_object_set_string_member(o, "type", "directory");
	json_object_set_string_member(o, "oid", oid != NULL ? oid : "");
	json_object_set_int_member(o, "size", 0);
	json_object_set_string_member(o, "path", path);
	if (expand) {
		TesthubCommit *lc = dir_last_commit(entries, path, cc);

		if (lc != NULL)
			json_object_set_object_member(o, "lastCommit", last_commit_json(lc));
	}
	return o;
}

static gboolean
is_dir(GPtrArray *entries, const gchar *path)
{
	gsize len = strlen(path);

	for (guint i = 0; i < entries->len; i++) {
		TesthubEntry *e = g_ptr_array_index(entries, i);

		if (strncmp(e->path, path, len) == 0 && e->path[len] == '/')
			return TRUE;
	}
	return FALSE;
}

/* Listing item: a directory path (entry NULL) or a file entry. */
typedef struct {
	gchar *path;
	TesthubEntry *entry;
} TreeItem;

static void
tree_item_free(gpointer p)
{
	TreeItem *it = p;

	g_free(it->path);
	g_free(it);
}

static gint
tree_item_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(TreeItem *const *)a)->path, (*(TreeItem *const *)b)->path);
}

static void
add_dir_item(GPtrArray *items, GHashTable *seen, const gchar *path)
{
	TreeItem *it;

	if (!g_hash_table_add(seen, g_strdup(path)))
		return;
	it = g_new0(TreeItem, 1);
	it->path = g_strdup(path);
	g_ptr_array_add(items, it);
}

static GPtrArray *
collect_items(GPtrArray *entries, const gchar *prefix, gboolean recursive)
{
	GPtrArray *items = g_ptr_array_new_with_free_func(tree_item_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gsize plen = strlen(prefix);

	for (guint i = 0; i < entries->len; i++) {
		TesthubEntry *e = g_ptr_array_index(entries, i);
		const gchar *rel = e->path;
		const gchar *slash;
		TreeItem *it;

		if (plen > 0) {
			if (strncmp(e->path, prefix, plen) != 0 || e->path[plen] != '/')
				continue;
			rel = e->path + plen + 1;
		}
		for (slash = strchr(rel, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
			g_autofree gchar *dir = g_strndup(e->path, (gsize)(slash - e->path));

			/* no folder of no name for a rigged "/x" */
			if (slash == e->path)
				continue;
			add_dir_item(items, seen, dir);
			if (!recursive)
				break;
		}
		if (!recursive && strchr(rel, '/') != NULL)
			continue;
		it = g_new0(TreeItem, 1);
		it->path = g_strdup(e->path);
		it->entry = e;
		g_ptr_array_add(items, it);
	}
	g_ptr_array_sort(items, tree_item_cmp);
	return items;
}

void
testhub_route_tree(TesthubContext *ctx,
		   SoupServerMessage *msg,
		   TesthubRepoType type,
		   const gchar *repo_id,
		   const gchar *rev,
		   const gchar *path)
{
	g_autoptr(TesthubQuery) q =
		testhub_query_parse(g_uri_get_query(soup_server_message_get_uri(msg)));
	g_autoptr(TesthubCommit) c = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GPtrArray) items = NULL;
	g_autoptr(GHashTable) tree_ids = NULL;
	g_auto(CommitCache) cc = {.store = ctx->store};
	gboolean recursive = testhub_query_bool(testhub_query_get(q, "recursive"), FALSE);
	gboolean expand = testhub_query_bool(testhub_query_get(q, "expand"), FALSE);
	TesthubRepo *repo = testhub_request_repo(ctx, msg, type, repo_id, FALSE, NULL);
	guint page_size = testhub_get_page_size();
	guint offset;
	JsonArray *page;

	if (repo == NULL)
		return;
	c = testhub_route_load_revision(ctx, msg, repo, rev);
	if (c == NULL)
		return;
	if (path[0] != '\0' && !testhub_path_is_valid(path)) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid path");
		return;
	}
	entries = testhub_commit_sorted_entries(c);
	if (path[0] != '\0' && !is_dir(entries, path)) {
		g_autofree gchar *m = g_strdup_printf("%s does not exist on \"%s\"", path, rev);

		testhub_reply_error_with_header(msg,
						SOUP_STATUS_NOT_FOUND,
						"EntryNotFound",
						m,
						"X-Repo-Commit",
						c->id);
		return;
	}
	tree_ids = testhub_commit_tree_ids(c);
	items = collect_items(entries, path, recursive);
	if (page_size == 0)
		page_size = expand ? 50 : 1000;
	offset = testhub_cursor_decode(testhub_query_get(q, "cursor"));
	page = json_array_new();
	for (guint i = offset; i < items->len && i < offset + page_size; i++) {
		TreeItem *it = g_ptr_array_index(items, i);

		if (it->entry != NULL)
			json_array_add_object_element(page, file_json(it->entry, expand, &cc));
		else
			json_array_add_object_element(
				page,
				dir_json(it->path, tree_ids, expand, entries, &cc));
	}
	if (offset + page_size < items->len) {
		g_autofree gchar *cursor = testhub_cursor_encode(offset + page_size);

		testhub_set_next_link(ctx, msg, "cursor", cursor);
	}
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "X-Repo-Commit",
				     c->id);
	testhub_reply_json(msg, SOUP_STATUS_OK, json_node_init_array(json_node_alloc(), page));
	json_array_unref(page);
}

/* ---- paths-info ---- */

/* paths + expand from a JSON or form body; NULL after replying 400 */
static GPtrArray *
paths_info_request(SoupServerMessage *msg, gboolean *expand)
{
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	const gchar *ctype = soup_message_headers_get_content_type(h, NULL);
	g_autoptr(GBytes) body =
		soup_message_body_flatten(soup_server_message_get_request_body(msg));
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	gsize len = 0;
	const gchar *data = g_bytes_get_data(body, &len);

	*expand = FALSE;
	if (g_strcmp0(ctype, "application/json") == 0 || (len > 0 && data[0] == '{')) {
		g_autoptr(JsonObject) o = testhub_request_json_object(msg);
		JsonNode *pn;
		JsonNode *en;

		if (o == NULL)
			return NULL;
		pn = json_object_get_member(o, "paths");
		en = json_object_get_member(o, "expand");
		if (pn != NULL && JSON_NODE_HOLDS_ARRAY(pn)) {
			JsonArray *arr = json_node_get_array(pn);

			for (guint i = 0; i < json_array_get_length(arr); i++) {
				JsonNode *el = json_array_get_element(arr, i);

				if (JSON_NODE_HOLDS_VALUE(el) &&
				    json_node_get_value_type(el) == G_TYPE_STRING)
					g_ptr_array_add(paths, g_strdup(json_node_get_string(el)));
			}
		} else {
			testhub_reply_error(msg,
					    SOUP_STATUS_BAD_REQUEST,
					    NULL,
					    "paths must be an array of strings");
			return NULL;
		}
		if (en != NULL && JSON_NODE_HOLDS_VALUE(en)) {
			if (json_node_get_value_type(en) == G_TYPE_BOOLEAN)
				*expand = json_node_get_boolean(en);
			else if (json_node_get_value_type(en) == G_TYPE_STRING)
				*expand = testhub_query_bool(json_node_get_string(en), FALSE);
		}
	} else {
		g_autofree gchar *text = g_strndup(data, len);
		g_autoptr(TesthubQuery) form = testhub_query_parse(text);
		GPtrArray *vals = testhub_query_get_all(form, "paths");

		for (guint i = 0; i < vals->len; i++)
			g_ptr_array_add(paths, g_strdup(g_ptr_array_index(vals, i)));
		*expand = testhub_query_bool(testhub_query_get(form, "expand"), FALSE);
	}
	return g_steal_pointer(&paths);
}

void
testhub_route_paths_info(TesthubContext *ctx,
			 SoupServerMessage *msg,
			 TesthubRepoType type,
			 const gchar *repo_id,
			 const gchar *rev)
{
	TesthubRepo *repo = testhub_request_repo(ctx, msg, type, repo_id, FALSE, NULL);
	g_autoptr(TesthubCommit) c = NULL;
	g_autoptr(GPtrArray) paths = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GHashTable) tree_ids = NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_auto(CommitCache) cc = {.store = ctx->store};
	gboolean expand = FALSE;
	JsonArray *out;

	if (repo == NULL)
		return;
	paths = paths_info_request(msg, &expand);
	if (paths == NULL)
		return;
	if (paths->len > 1000) {
		testhub_reply_error(msg,
				    SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
				    NULL,
				    "Request entity too large: too many parameters");
		return;
	}
	c = testhub_route_load_revision(ctx, msg, repo, rev);
	if (c == NULL)
		return;
	entries = testhub_commit_sorted_entries(c);
	tree_ids = testhub_commit_tree_ids(c);
	out = json_array_new();
	for (guint i = 0; i < paths->len; i++) {
		gchar *p = g_ptr_array_index(paths, i);
		TesthubEntry *e;

		while (g_str_has_suffix(p, "/"))
			p[strlen(p) - 1] = '\0';
		if (!testhub_path_is_valid(p) || !g_hash_table_add(seen, p))
			continue;
		e = g_hash_table_lookup(c->tree, p);
		if (e != NULL)
			json_array_add_object_element(out, file_json(e, expand, &cc));
		else if (is_dir(entries, p))
			json_array_add_object_element(out,
						      dir_json(p, tree_ids, expand, entries, &cc));
	}
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "X-Repo-Commit",
				     c->id);
	testhub_reply_json(msg, SOUP_STATUS_OK, json_node_init_array(json_node_alloc(), out));
	json_array_unref(out);
}
