/* testhub-store-commit.c: commit objects of the local Hub: (de)serialisation,
 * history, applying a change set, and the .gitattributes LFS tracking rules.
 */
#include <fnmatch.h>
#include <string.h>

#include "testhub-store-private.h"

/* The Hub's default .gitattributes (models and spaces; datasets add media types). */
static const gchar default_attributes[] = "*.7z filter=lfs diff=lfs merge=lfs -text\n"
					  "*.arrow filter=lfs diff=lfs merge=lfs -text\n"
					  "*.bin filter=lfs diff=lfs merge=lfs -text\n"
					  "*.bz2 filter=lfs diff=lfs merge=lfs -text\n"
					  "*.ckpt filter=lfs diff=lfs merge=lfs -text\n"
					  "*.ftz filter=lfs diff=lfs merge=lfs -text\n"
					  "*.gz filter=lfs diff=lfs merge=lfs -text\n"
					  "*.h5 filter=lfs diff=lfs merge=lfs -text\n"
					  "*.joblib filter=lfs diff=lfs merge=lfs -text\n"
					  "*.lfs.* filter=lfs diff=lfs merge=lfs -text\n"
					  "*.mlmodel filter=lfs diff=lfs merge=lfs -text\n"
					  "*.model filter=lfs diff=lfs merge=lfs -text\n"
					  "*.msgpack filter=lfs diff=lfs merge=lfs -text\n"
					  "*.npy filter=lfs diff=lfs merge=lfs -text\n"
					  "*.npz filter=lfs diff=lfs merge=lfs -text\n"
					  "*.onnx filter=lfs diff=lfs merge=lfs -text\n"
					  "*.ot filter=lfs diff=lfs merge=lfs -text\n"
					  "*.parquet filter=lfs diff=lfs merge=lfs -text\n"
					  "*.pb filter=lfs diff=lfs merge=lfs -text\n"
					  "*.pickle filter=lfs diff=lfs merge=lfs -text\n"
					  "*.pkl filter=lfs diff=lfs merge=lfs -text\n"
					  "*.pt filter=lfs diff=lfs merge=lfs -text\n"
					  "*.pth filter=lfs diff=lfs merge=lfs -text\n"
					  "*.rar filter=lfs diff=lfs merge=lfs -text\n"
					  "*.safetensors filter=lfs diff=lfs merge=lfs -text\n"
					  "saved_model/**/* filter=lfs diff=lfs merge=lfs -text\n"
					  "*.tar.* filter=lfs diff=lfs merge=lfs -text\n"
					  "*.tar filter=lfs diff=lfs merge=lfs -text\n"
					  "*.tflite filter=lfs diff=lfs merge=lfs -text\n"
					  "*.tgz filter=lfs diff=lfs merge=lfs -text\n"
					  "*.wasm filter=lfs diff=lfs merge=lfs -text\n"
					  "*.xz filter=lfs diff=lfs merge=lfs -text\n"
					  "*.zip filter=lfs diff=lfs merge=lfs -text\n"
					  "*.zst filter=lfs diff=lfs merge=lfs -text\n"
					  "*tfevents* filter=lfs diff=lfs merge=lfs -text\n";

static const gchar dataset_extra_attributes[] = "# Audio files - uncompressed\n"
						"*.pcm filter=lfs diff=lfs merge=lfs -text\n"
						"*.sam filter=lfs diff=lfs merge=lfs -text\n"
						"*.raw filter=lfs diff=lfs merge=lfs -text\n"
						"# Audio files - compressed\n"
						"*.aac filter=lfs diff=lfs merge=lfs -text\n"
						"*.flac filter=lfs diff=lfs merge=lfs -text\n"
						"*.mp3 filter=lfs diff=lfs merge=lfs -text\n"
						"*.ogg filter=lfs diff=lfs merge=lfs -text\n"
						"*.wav filter=lfs diff=lfs merge=lfs -text\n"
						"# Image files - uncompressed\n"
						"*.bmp filter=lfs diff=lfs merge=lfs -text\n"
						"*.gif filter=lfs diff=lfs merge=lfs -text\n"
						"*.png filter=lfs diff=lfs merge=lfs -text\n"
						"*.tiff filter=lfs diff=lfs merge=lfs -text\n"
						"# Image files - compressed\n"
						"*.jpg filter=lfs diff=lfs merge=lfs -text\n"
						"*.jpeg filter=lfs diff=lfs merge=lfs -text\n"
						"*.webp filter=lfs diff=lfs merge=lfs -text\n"
						"# Video files - compressed\n"
						"*.mp4 filter=lfs diff=lfs merge=lfs -text\n"
						"*.webm filter=lfs diff=lfs merge=lfs -text\n";

const gchar *
testhub_default_gitattributes(TesthubRepoType type)
{
	static gchar *dataset = NULL;

	if (type != TESTHUB_REPO_DATASET)
		return default_attributes;
	if (dataset == NULL) {
		/* datasets also track compressed shards and media files */
		dataset = g_strconcat(default_attributes,
				      "*.lz4 filter=lfs diff=lfs merge=lfs -text\n"
				      "*.mds filter=lfs diff=lfs merge=lfs -text\n",
				      dataset_extra_attributes,
				      NULL);
	}
	return dataset;
}

static gboolean
pattern_matches(const gchar *pattern, const gchar *path)
{
	const gchar *base = strrchr(path, '/');

	/* git: a pattern without "/" matches the basename at any depth */
	if (strchr(pattern, '/') == NULL)
		return fnmatch(pattern, base != NULL ? base + 1 : path, 0) == 0;
	if (pattern[0] == '/')
		pattern++;
	return fnmatch(pattern, path, 0) == 0;
}

gboolean
testhub_gitattributes_match_lfs(const gchar *attributes, const gchar *path)
{
	g_auto(GStrv) lines = NULL;
	gboolean lfs = FALSE;

	if (attributes == NULL)
		return FALSE;
	lines = g_strsplit(attributes, "\n", -1);
	/* later lines win, as in git */
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) words = NULL;
		g_autofree gchar *pattern = NULL;
		gchar *line = g_strstrip(lines[i]);

		if (line[0] == '\0' || line[0] == '#')
			continue;
		words = g_strsplit_set(line, " \t", -1);
		if (words[0] == NULL)
			continue;
		pattern = testhub_replace_all(words[0], "[[:space:]]", " ");
		if (!pattern_matches(pattern, path))
			continue;
		for (guint w = 1; words[w] != NULL; w++) {
			if (g_strcmp0(words[w], "filter=lfs") == 0)
				lfs = TRUE;
			else if (g_strcmp0(words[w], "-filter") == 0 ||
				 g_str_has_prefix(words[w], "filter=") ||
				 g_strcmp0(words[w], "!filter") == 0)
				lfs = FALSE;
		}
	}
	return lfs;
}

/* ---- entries and commits ---- */

void
testhub_entry_free(TesthubEntry *e)
{
	if (e == NULL)
		return;
	g_free(e->path);
	g_free(e->blob_sha1);
	g_free(e->lfs_sha256);
	g_free(e->last_commit);
	g_free(e);
}

static TesthubEntry *
entry_copy(const TesthubEntry *e)
{
	TesthubEntry *c = g_new0(TesthubEntry, 1);

	c->path = g_strdup(e->path);
	c->blob_sha1 = g_strdup(e->blob_sha1);
	c->size = e->size;
	c->lfs_sha256 = g_strdup(e->lfs_sha256);
	c->pointer_size = e->pointer_size;
	c->last_commit = g_strdup(e->last_commit);
	return c;
}

void
testhub_op_free(TesthubOp *op)
{
	if (op == NULL)
		return;
	g_free(op->path);
	g_free(op->content_sha1);
	g_free(op->lfs_sha256);
	g_free(op);
}

static GHashTable *
tree_new(void)
{
	return g_hash_table_new_full(g_str_hash,
				     g_str_equal,
				     NULL,
				     (GDestroyNotify)testhub_entry_free);
}

TesthubCommit *
testhub_commit_new(void)
{
	TesthubCommit *c = g_rc_box_new0(TesthubCommit);

	c->tree = tree_new();
	return c;
}

TesthubCommit *
testhub_commit_ref(TesthubCommit *c)
{
	return g_rc_box_acquire(c);
}

static void
commit_clear(gpointer data)
{
	TesthubCommit *c = data;

	g_free(c->id);
	g_free(c->parent);
	g_free(c->title);
	g_free(c->message);
	g_free(c->author);
	g_clear_pointer(&c->tree, g_hash_table_unref);
}

void
testhub_commit_free(TesthubCommit *c)
{
	if (c == NULL)
		return;
	g_rc_box_release_full(c, commit_clear);
}

static void
tree_put(GHashTable *tree, TesthubEntry *e)
{
	/* keys borrow the entry's path */
	g_hash_table_remove(tree, e->path);
	g_hash_table_insert(tree, e->path, e);
}

static gint
entry_cmp(gconstpointer a, gconstpointer b)
{
	const TesthubEntry *ea = *(TesthubEntry *const *)a;
	const TesthubEntry *eb = *(TesthubEntry *const *)b;

	return strcmp(ea->path, eb->path);
}

GPtrArray *
testhub_commit_sorted_entries(TesthubCommit *c)
{
	GPtrArray *arr = g_ptr_array_new();
	GHashTableIter iter;
	gpointer v;

	g_hash_table_iter_init(&iter, c->tree);
	while (g_hash_table_iter_next(&iter, NULL, &v))
		g_ptr_array_add(arr, v);
	g_ptr_array_sort(arr, entry_cmp);
	return arr;
}

static gchar *
commit_file(TesthubStore *self, const gchar *id)
{
	g_autofree gchar *name = g_strconcat(id, ".json", NULL);

	return g_build_filename(self->root, "objects", "commits", name, NULL);
}

static gboolean
is_sha1_hex(const gchar *s)
{
	if (s == NULL || strlen(s) != 40)
		return FALSE;
	for (const gchar *p = s; *p != '\0'; p++) {
		if (!g_ascii_isxdigit(*p))
			return FALSE;
	}
	return TRUE;
}

/* ---- the commit cache ----
 * Parsing a commit is O(tree size) and every request loads one; commit files are
 * content-addressed and never change, so the store keeps the last few parsed
 * commits. Callers share them read-only. The test Hub is single-threaded (one
 * main loop), so the cache needs no lock. */

#define COMMIT_CACHE_SIZE 16

void
testhub_store_clear_commit_cache(TesthubStore *self)
{
	if (self->commit_links != NULL)
		g_hash_table_remove_all(self->commit_links);
	g_queue_clear_full(&self->commit_lru, (GDestroyNotify)testhub_commit_free);
}

static void
commit_cache_remove(TesthubStore *self, const gchar *commit_id)
{
	GList *link = g_hash_table_lookup(self->commit_links, commit_id);

	if (link == NULL)
		return;
	g_hash_table_remove(self->commit_links, commit_id);
	g_queue_unlink(&self->commit_lru, link);
	testhub_commit_free(link->data);
	g_list_free_1(link);
}

/* a new reference to the cached commit (now the most recent), or NULL */
static TesthubCommit *
commit_cache_lookup(TesthubStore *self, const gchar *commit_id)
{
	GList *link = g_hash_table_lookup(self->commit_links, commit_id);

	if (link == NULL)
		return NULL;
	g_queue_unlink(&self->commit_lru, link);
	g_queue_push_head_link(&self->commit_lru, link);
	return testhub_commit_ref(link->data);
}

static void
commit_cache_insert(TesthubStore *self, TesthubCommit *c)
{
	commit_cache_remove(self, c->id);
	g_queue_push_head(&self->commit_lru, testhub_commit_ref(c));
	g_hash_table_insert(self->commit_links, c->id, self->commit_lru.head);
	while (self->commit_lru.length > COMMIT_CACHE_SIZE) {
		TesthubCommit *old = g_queue_pop_tail(&self->commit_lru);

		g_hash_table_remove(self->commit_links, old->id);
		testhub_commit_free(old);
	}
}

static void
note_parent(TesthubStore *self, TesthubCommit *c)
{
	g_hash_table_replace(self->parents,
			     g_strdup(c->id),
			     g_strdup(c->parent != NULL ? c->parent : ""));
}

static TesthubCommit *
parse_commit(TesthubStore *self, const gchar *commit_id, GError **error)
{
	g_autoptr(TesthubCommit) c = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *path = NULL;
	JsonObject *o;
	JsonArray *tree;

	path = commit_file(self, commit_id);
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NOT_FOUND,
			    "commit %s not found",
			    commit_id);
		return NULL;
	}
	node = testhub_store_read_json(path, error);
	if (node == NULL)
		return NULL;
	o = json_node_get_object(node);
	c = testhub_commit_new();
	c->id = g_strdup(commit_id);
	c->parent = g_strdup(json_object_get_string_member_with_default(o, "parent", NULL));
	c->title = g_strdup(json_object_get_string_member_with_default(o, "title", ""));
	c->message = g_strdup(json_object_get_string_member_with_default(o, "message", ""));
	c->author = g_strdup(json_object_get_string_member_with_default(o, "author", "system"));
	c->date = json_object_get_int_member_with_default(o, "date", 0);
	tree = json_object_get_array_member(o, "tree");
	for (guint i = 0; tree != NULL && i < json_array_get_length(tree); i++) {
		JsonObject *eo = json_array_get_object_element(tree, i);
		TesthubEntry *e;

		if (eo == NULL || !json_object_has_member(eo, "path"))
			continue;
		e = g_new0(TesthubEntry, 1);
		e->path = g_strdup(json_object_get_string_member(eo, "path"));
		e->blob_sha1 = g_strdup(json_object_get_string_member_with_default(eo, "oid", ""));
		e->size = (guint64)json_object_get_int_member_with_default(eo, "size", 0);
		e->lfs_sha256 =
			g_strdup(json_object_get_string_member_with_default(eo, "lfs", NULL));
		e->pointer_size =
			(guint64)json_object_get_int_member_with_default(eo, "pointerSize", 0);
		e->last_commit = g_strdup(
			json_object_get_string_member_with_default(eo, "lastCommit", NULL));
		tree_put(c->tree, e);
	}
	return g_steal_pointer(&c);
}

TesthubCommit *
testhub_store_load_commit(TesthubStore *self, const gchar *commit_id, GError **error)
{
	TesthubCommit *c;

	if (!is_sha1_hex(commit_id)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NOT_FOUND,
			    "invalid commit id %s",
			    commit_id);
		return NULL;
	}
	c = commit_cache_lookup(self, commit_id);
	if (c == NULL) {
		c = parse_commit(self, commit_id, error);
		if (c == NULL)
			return NULL;
		commit_cache_insert(self, c);
	}
	/* loading a commit records its parent, as it always did */
	if (!g_hash_table_contains(self->parents, commit_id))
		note_parent(self, c);
	return c;
}

const gchar *
testhub_store_parent_of(TesthubStore *self, const gchar *commit_id)
{
	const gchar *parent = g_hash_table_lookup(self->parents, commit_id);
	g_autoptr(TesthubCommit) c = NULL;

	if (parent != NULL)
		return parent;
	c = testhub_store_load_commit(self, commit_id, NULL);
	if (c == NULL)
		return NULL;
	return g_hash_table_lookup(self->parents, commit_id);
}

static gboolean
save_commit(TesthubStore *self, TesthubCommit *c, GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GPtrArray) entries = testhub_commit_sorted_entries(c);
	g_autofree gchar *path = commit_file(self, c->id);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_string_value(b, c->id);
	if (c->parent != NULL) {
		json_builder_set_member_name(b, "parent");
		json_builder_add_string_value(b, c->parent);
	}
	json_builder_set_member_name(b, "title");
	json_builder_add_string_value(b, c->title);
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, c->message);
	json_builder_set_member_name(b, "author");
	json_builder_add_string_value(b, c->author);
	json_builder_set_member_name(b, "date");
	json_builder_add_int_value(b, c->date);
	json_builder_set_member_name(b, "tree");
	json_builder_begin_array(b);
	for (guint i = 0; i < entries->len; i++) {
		TesthubEntry *e = g_ptr_array_index(entries, i);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "path");
		json_builder_add_string_value(b, e->path);
		json_builder_set_member_name(b, "oid");
		json_builder_add_string_value(b, e->blob_sha1);
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, (gint64)e->size);
		if (e->lfs_sha256 != NULL) {
			json_builder_set_member_name(b, "lfs");
			json_builder_add_string_value(b, e->lfs_sha256);
			json_builder_set_member_name(b, "pointerSize");
			json_builder_add_int_value(b, (gint64)e->pointer_size);
		}
		if (e->last_commit != NULL) {
			json_builder_set_member_name(b, "lastCommit");
			json_builder_add_string_value(b, e->last_commit);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	/* the same id means the same content, but never serve a parse of the
	 * file this replaces */
	commit_cache_remove(self, c->id);
	if (!testhub_store_write_json(path, root, error))
		return FALSE;
	note_parent(self, c);
	return TRUE;
}

GPtrArray *
testhub_store_history(TesthubStore *self, const gchar *commit_id, guint limit, GError **error)
{
	g_autoptr(GPtrArray) out =
		g_ptr_array_new_with_free_func((GDestroyNotify)testhub_commit_free);
	g_autofree gchar *cur = g_strdup(commit_id);

	while (cur != NULL && (limit == 0 || out->len < limit)) {
		TesthubCommit *c = testhub_store_load_commit(self, cur, error);

		if (c == NULL)
			return NULL;
		g_ptr_array_add(out, c);
		g_free(cur);
		cur = g_strdup(c->parent);
	}
	return g_steal_pointer(&out);
}

/* ---- writing ---- */

gchar *
testhub_replace_all(const gchar *s, const gchar *from, const gchar *to)
{
	g_auto(GStrv) parts = g_strsplit(s, from, -1);

	return g_strjoinv(to, parts);
}

static gboolean
apply_op(TesthubStore *self, GHashTable *tree, TesthubOp *op, GHashTable *changed, GError **error)
{
	g_autoptr(TesthubEntry) e = NULL;
	g_autofree gchar *pointer = NULL;
	g_autofree gchar *folder = NULL;
	guint64 lfs_size = 0;
	guint removed = 0;
	GHashTableIter iter;
	gpointer v;

	switch (op->kind) {
	case TESTHUB_OP_ADD_REGULAR:
	case TESTHUB_OP_ADD_LFS:
		if (op->path == NULL || op->path[0] == '\0' || op->path[0] == '/' ||
		    strstr(op->path, "//") != NULL || g_str_has_suffix(op->path, "/")) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "invalid path %s",
				    op->path);
			return FALSE;
		}
		e = g_new0(TesthubEntry, 1);
		e->path = g_strdup(op->path);
		e->size = op->size;
		if (op->kind == TESTHUB_OP_ADD_REGULAR) {
			if (!testhub_store_has_blob(self, op->content_sha1)) {
				g_set_error(error,
					    G_IO_ERROR,
					    G_IO_ERROR_NOT_FOUND,
					    "blob %s of %s is not stored",
					    op->content_sha1,
					    op->path);
				return FALSE;
			}
			e->blob_sha1 = g_ascii_strdown(op->content_sha1, -1);
		} else {
			if (!testhub_store_has_lfs(self, op->lfs_sha256, &lfs_size)) {
				g_set_error(error,
					    G_IO_ERROR,
					    G_IO_ERROR_NOT_FOUND,
					    "LFS object %s of %s is not stored",
					    op->lfs_sha256,
					    op->path);
				return FALSE;
			}
			if (lfs_size != op->size) {
				g_set_error(error,
					    G_IO_ERROR,
					    G_IO_ERROR_INVALID_DATA,
					    "LFS object %s has size %" G_GUINT64_FORMAT
					    ", not %" G_GUINT64_FORMAT,
					    op->lfs_sha256,
					    lfs_size,
					    op->size);
				return FALSE;
			}
			e->lfs_sha256 = g_ascii_strdown(op->lfs_sha256, -1);
			pointer = testhub_lfs_pointer_text(e->lfs_sha256, e->size);
			e->pointer_size = strlen(pointer);
			e->blob_sha1 =
				testhub_git_blob_sha1((const guint8 *)pointer, strlen(pointer));
		}
		v = g_hash_table_lookup(tree, e->path);
		if (v == NULL || g_strcmp0(((TesthubEntry *)v)->blob_sha1, e->blob_sha1) != 0)
			g_hash_table_add(changed, g_strdup(e->path));
		else
			e->last_commit = g_strdup(((TesthubEntry *)v)->last_commit);
		tree_put(tree, g_steal_pointer(&e));
		return TRUE;
	case TESTHUB_OP_DELETE_FILE:
		if (op->path == NULL || !g_hash_table_remove(tree, op->path)) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_NOT_FOUND,
				    "file %s not found",
				    op->path);
			return FALSE;
		}
		return TRUE;
	case TESTHUB_OP_DELETE_FOLDER:
		folder = g_strdup(op->path != NULL ? op->path : "");
		while (g_str_has_suffix(folder, "/"))
			folder[strlen(folder) - 1] = '\0';
		g_hash_table_iter_init(&iter, tree);
		while (g_hash_table_iter_next(&iter, NULL, &v)) {
			TesthubEntry *te = v;

			if (folder[0] == '\0' || (g_str_has_prefix(te->path, folder) &&
						  te->path[strlen(folder)] == '/')) {
				g_hash_table_iter_remove(&iter);
				removed++;
			}
		}
		if (removed == 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_NOT_FOUND,
				    "folder %s not found",
				    folder);
			return FALSE;
		}
		return TRUE;
	default:
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown operation");
		return FALSE;
	}
}

static gchar *
read_blob_text(TesthubStore *self, const gchar *sha1)
{
	g_autofree gchar *path = testhub_store_blob_path(self, sha1);
	gchar *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	return text;
}

/* Adds `<path> filter=lfs ...` for LFS paths no rule tracks yet, as the Hub does. */
static gboolean
track_lfs_paths(TesthubStore *self,
		GHashTable *tree,
		GPtrArray *ops,
		GHashTable *changed,
		GError **error)
{
	TesthubEntry *attrs = g_hash_table_lookup(tree, ".gitattributes");
	g_autofree gchar *text = attrs != NULL ? read_blob_text(self, attrs->blob_sha1) : NULL;
	g_autoptr(GString) content = g_string_new(text);
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *sha1 = NULL;
	gboolean added = FALSE;
	TesthubEntry *e;

	for (guint i = 0; i < ops->len; i++) {
		TesthubOp *op = g_ptr_array_index(ops, i);
		g_autofree gchar *escaped = NULL;

		if (op->kind != TESTHUB_OP_ADD_LFS || !g_hash_table_contains(tree, op->path) ||
		    testhub_gitattributes_match_lfs(content->str, op->path))
			continue;
		if (content->len > 0 && content->str[content->len - 1] != '\n')
			g_string_append_c(content, '\n');
		escaped = testhub_replace_all(op->path, " ", "[[:space:]]");
		g_string_append_printf(content,
				       "%s filter=lfs diff=lfs merge=lfs -text\n",
				       escaped);
		added = TRUE;
	}
	if (!added)
		return TRUE;
	bytes = g_bytes_new(content->str, content->len);
	sha1 = testhub_store_put_blob(self, bytes, error);
	if (sha1 == NULL)
		return FALSE;
	e = g_new0(TesthubEntry, 1);
	e->path = g_strdup(".gitattributes");
	e->blob_sha1 = g_steal_pointer(&sha1);
	e->size = content->len;
	tree_put(tree, e);
	g_hash_table_add(changed, g_strdup(".gitattributes"));
	return TRUE;
}

gchar *
testhub_store_write_commit(TesthubStore *self,
			   const gchar *parent,
			   GPtrArray *ops,
			   const gchar *title,
			   const gchar *message,
			   const gchar *author,
			   GError **error)
{
	g_autoptr(TesthubCommit) c = testhub_commit_new();
	g_autoptr(GHashTable) changed =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTableIter iter;
	gpointer k;

	if (parent != NULL) {
		/* p may be shared with the cache: copy its entries, never touch them */
		g_autoptr(TesthubCommit) p = testhub_store_load_commit(self, parent, error);
		GHashTableIter piter;
		gpointer v;

		if (p == NULL)
			return NULL;
		g_hash_table_iter_init(&piter, p->tree);
		while (g_hash_table_iter_next(&piter, NULL, &v))
			tree_put(c->tree, entry_copy(v));
		c->parent = g_strdup(p->id);
	}
	for (guint i = 0; ops != NULL && i < ops->len; i++) {
		if (!apply_op(self, c->tree, g_ptr_array_index(ops, i), changed, error))
			return NULL;
	}
	if (ops != NULL && !track_lfs_paths(self, c->tree, ops, changed, error))
		return NULL;
	c->title = g_strdup(title != NULL ? title : "");
	c->message = g_strdup(message != NULL ? message : "");
	c->author = g_strdup(author != NULL ? author : "system");
	c->date = testhub_store_now();
	c->id = testhub_commit_compute_id(c);
	g_hash_table_iter_init(&iter, changed);
	while (g_hash_table_iter_next(&iter, &k, NULL)) {
		TesthubEntry *e = g_hash_table_lookup(c->tree, k);

		if (e != NULL) {
			g_free(e->last_commit);
			e->last_commit = g_strdup(c->id);
		}
	}
	if (!save_commit(self, c, error))
		return NULL;
	return g_strdup(c->id);
}
