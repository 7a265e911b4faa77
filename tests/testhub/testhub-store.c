/* testhub-store.c: repos, refs and blobs of the local Hub, persisted under ROOT
 * (layout in testhub-store.h). Commits live in testhub-store-commit.c.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "testhub-store-private.h"

G_DEFINE_TYPE(TesthubStore, testhub_store, G_TYPE_OBJECT)

static const gchar *const type_names[] = {"model", "dataset", "space"};
static const gchar *const type_plurals[] = {"models", "datasets", "spaces"};
static const gchar *const type_prefixes[] = {"", "datasets/", "spaces/"};

gboolean
testhub_repo_type_from_string(const gchar *s, TesthubRepoType *out)
{
	for (guint i = 0; i < G_N_ELEMENTS(type_names); i++) {
		if (g_strcmp0(s, type_names[i]) == 0) {
			*out = (TesthubRepoType)i;
			return TRUE;
		}
	}
	return FALSE;
}

gboolean
testhub_repo_type_from_plural(const gchar *s, TesthubRepoType *out)
{
	for (guint i = 0; i < G_N_ELEMENTS(type_plurals); i++) {
		if (g_strcmp0(s, type_plurals[i]) == 0) {
			*out = (TesthubRepoType)i;
			return TRUE;
		}
	}
	return FALSE;
}

const gchar *
testhub_repo_type_to_string(TesthubRepoType t)
{
	return type_names[t];
}

const gchar *
testhub_repo_type_to_plural(TesthubRepoType t)
{
	return type_plurals[t];
}

const gchar *
testhub_repo_type_to_url_prefix(TesthubRepoType t)
{
	return type_prefixes[t];
}

/* ---- refs and repos ---- */

TesthubRef *
testhub_ref_new(const gchar *name, const gchar *target, const gchar *message)
{
	TesthubRef *r = g_new0(TesthubRef, 1);

	r->name = g_strdup(name);
	r->target = g_strdup(target);
	r->message = g_strdup(message);
	return r;
}

void
testhub_ref_free(gpointer p)
{
	TesthubRef *r = p;

	g_free(r->name);
	g_free(r->target);
	g_free(r->message);
	g_free(r);
}

void
testhub_repo_free(TesthubRepo *r)
{
	if (r == NULL)
		return;
	g_free(r->id);
	g_free(r->ns);
	g_free(r->name);
	g_free(r->gated);
	g_free(r->sdk);
	g_ptr_array_unref(r->branches);
	g_ptr_array_unref(r->tags);
	g_ptr_array_unref(r->prs);
	g_free(r);
}

static TesthubRepo *
repo_new(TesthubRepoType type, const gchar *id)
{
	TesthubRepo *r = g_new0(TesthubRepo, 1);
	const gchar *slash = strchr(id, '/');

	r->type = type;
	r->id = g_strdup(id);
	r->ns = g_strndup(id, (gsize)(slash - id));
	r->name = g_strdup(slash + 1);
	r->branches = g_ptr_array_new_with_free_func(testhub_ref_free);
	r->tags = g_ptr_array_new_with_free_func(testhub_ref_free);
	r->prs = g_ptr_array_new_with_free_func(testhub_ref_free);
	r->next_pr = 1;
	return r;
}

static void
testhub_store_finalize(GObject *obj)
{
	TesthubStore *self = TESTHUB_STORE(obj);

	for (guint i = 0; i < 3; i++) {
		g_clear_pointer(&self->repos[i], g_hash_table_unref);
		g_clear_pointer(&self->moved[i], g_hash_table_unref);
		g_clear_pointer(&self->listing[i], g_ptr_array_unref);
	}
	g_clear_pointer(&self->parents, g_hash_table_unref);
	testhub_store_clear_commit_cache(self);
	g_clear_pointer(&self->commit_links, g_hash_table_unref);
	g_free(self->root);
	G_OBJECT_CLASS(testhub_store_parent_class)->finalize(obj);
}

static void
testhub_store_class_init(TesthubStoreClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = testhub_store_finalize;
}

static void
testhub_store_init(TesthubStore *self)
{
	for (guint i = 0; i < 3; i++) {
		self->repos[i] = g_hash_table_new_full(g_str_hash,
						       g_str_equal,
						       g_free,
						       (GDestroyNotify)testhub_repo_free);
		self->moved[i] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	}
	self->parents = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	/* keys borrow the cached commit's id */
	self->commit_links = g_hash_table_new(g_str_hash, g_str_equal);
	g_queue_init(&self->commit_lru);
}

const gchar *
testhub_store_get_root(TesthubStore *self)
{
	return self->root;
}

static gchar *
repo_file(TesthubStore *self, TesthubRepoType type, const gchar *id)
{
	g_autofree gchar *file = g_strconcat(id, ".json", NULL);

	return g_build_filename(self->root, "repos", type_plurals[type], file, NULL);
}

/* Writes a JSON node atomically (temp file + rename). */
gboolean
testhub_store_write_json(const gchar *path, JsonNode *node, GError **error)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autofree gchar *text = NULL;
	g_autofree gchar *dir = g_path_get_dirname(path);
	gsize len = 0;

	if (g_mkdir_with_parents(dir, 0755) != 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "cannot create %s: %s",
			    dir,
			    g_strerror(errno));
		return FALSE;
	}
	json_generator_set_root(gen, node);
	json_generator_set_pretty(gen, TRUE);
	text = json_generator_to_data(gen, &len);
	return g_file_set_contents(path, text, (gssize)len, error);
}

JsonNode *
testhub_store_read_json(const gchar *path, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();

	if (!json_parser_load_from_file(parser, path, error))
		return NULL;
	if (!JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "%s: not a JSON object",
			    path);
		return NULL;
	}
	return json_node_copy(json_parser_get_root(parser));
}

static JsonNode *
refs_to_json(GPtrArray *refs)
{
	JsonArray *arr = json_array_new();
	JsonNode *node = json_node_new(JSON_NODE_ARRAY);

	for (guint i = 0; i < refs->len; i++) {
		TesthubRef *r = g_ptr_array_index(refs, i);
		JsonObject *o = json_object_new();

		json_object_set_string_member(o, "name", r->name);
		json_object_set_string_member(o, "target", r->target);
		if (r->message != NULL)
			json_object_set_string_member(o, "message", r->message);
		json_array_add_object_element(arr, o);
	}
	json_node_take_array(node, arr);
	return node;
}

static void
refs_from_json(GPtrArray *refs, JsonObject *obj, const gchar *member)
{
	JsonArray *arr;

	if (!json_object_has_member(obj, member))
		return;
	arr = json_object_get_array_member(obj, member);
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonObject *o = json_array_get_object_element(arr, i);

		if (o == NULL)
			continue;
		g_ptr_array_add(
			refs,
			testhub_ref_new(
				json_object_get_string_member_with_default(o, "name", ""),
				json_object_get_string_member_with_default(o, "target", ""),
				json_object_get_string_member_with_default(o, "message", NULL)));
	}
}

gboolean
testhub_store_save_repo(TesthubStore *self, TesthubRepo *repo, GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *path = repo_file(self, repo->type, repo->id);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, type_names[repo->type]);
	json_builder_set_member_name(b, "id");
	json_builder_add_string_value(b, repo->id);
	json_builder_set_member_name(b, "private");
	json_builder_add_boolean_value(b, repo->private_);
	if (repo->gated != NULL) {
		json_builder_set_member_name(b, "gated");
		json_builder_add_string_value(b, repo->gated);
	}
	json_builder_set_member_name(b, "discussionsDisabled");
	json_builder_add_boolean_value(b, repo->discussions_disabled);
	if (repo->sdk != NULL) {
		json_builder_set_member_name(b, "sdk");
		json_builder_add_string_value(b, repo->sdk);
	}
	json_builder_set_member_name(b, "createdAt");
	json_builder_add_int_value(b, repo->created_at);
	json_builder_set_member_name(b, "lastModified");
	json_builder_add_int_value(b, repo->last_modified);
	json_builder_set_member_name(b, "nextPr");
	json_builder_add_int_value(b, repo->next_pr);
	json_builder_set_member_name(b, "branches");
	json_builder_add_value(b, refs_to_json(repo->branches));
	json_builder_set_member_name(b, "tags");
	json_builder_add_value(b, refs_to_json(repo->tags));
	json_builder_set_member_name(b, "prs");
	json_builder_add_value(b, refs_to_json(repo->prs));
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	return testhub_store_write_json(path, root, error);
}

static gboolean
repo_id_is_valid(const gchar *id)
{
	const gchar *slash = id != NULL ? strchr(id, '/') : NULL;

	if (slash == NULL || slash == id || slash[1] == '\0' || strchr(slash + 1, '/') != NULL)
		return FALSE;
	for (const gchar *p = id; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.' && *p != '/')
			return FALSE;
	}
	return strstr(id, "..") == NULL && strstr(id, "--") == NULL;
}

static TesthubRepo *
load_repo_file(const gchar *path, GError **error)
{
	g_autoptr(JsonNode) node = testhub_store_read_json(path, error);
	JsonObject *o;
	TesthubRepoType type;
	const gchar *id;
	TesthubRepo *r;

	if (node == NULL)
		return NULL;
	o = json_node_get_object(node);
	id = json_object_get_string_member_with_default(o, "id", NULL);
	if (!testhub_repo_type_from_string(
		    json_object_get_string_member_with_default(o, "type", ""),
		    &type) ||
	    !repo_id_is_valid(id)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "%s: bad repo record",
			    path);
		return NULL;
	}
	r = repo_new(type, id);
	r->private_ = json_object_get_boolean_member_with_default(o, "private", FALSE);
	r->gated = g_strdup(json_object_get_string_member_with_default(o, "gated", NULL));
	r->discussions_disabled =
		json_object_get_boolean_member_with_default(o, "discussionsDisabled", FALSE);
	r->sdk = g_strdup(json_object_get_string_member_with_default(o, "sdk", NULL));
	r->created_at = json_object_get_int_member_with_default(o, "createdAt", 0);
	r->last_modified = json_object_get_int_member_with_default(o, "lastModified", 0);
	r->next_pr = (guint)json_object_get_int_member_with_default(o, "nextPr", 1);
	refs_from_json(r->branches, o, "branches");
	refs_from_json(r->tags, o, "tags");
	refs_from_json(r->prs, o, "prs");
	return r;
}

static gboolean
load_repos(TesthubStore *self, TesthubRepoType type, GError **error)
{
	g_autofree gchar *top = g_build_filename(self->root, "repos", type_plurals[type], NULL);
	g_autoptr(GDir) nsdir = g_dir_open(top, 0, NULL);
	const gchar *ns;

	if (nsdir == NULL)
		return TRUE;
	while ((ns = g_dir_read_name(nsdir)) != NULL) {
		g_autofree gchar *nspath = g_build_filename(top, ns, NULL);
		g_autoptr(GDir) d = g_dir_open(nspath, 0, NULL);
		const gchar *f;

		while (d != NULL && (f = g_dir_read_name(d)) != NULL) {
			g_autofree gchar *path = g_build_filename(nspath, f, NULL);
			TesthubRepo *r;

			if (!g_str_has_suffix(f, ".json"))
				continue;
			r = load_repo_file(path, error);
			if (r == NULL)
				return FALSE;
			g_hash_table_replace(self->repos[type], g_strdup(r->id), r);
		}
	}
	return TRUE;
}

static gchar *
moved_file(TesthubStore *self)
{
	return g_build_filename(self->root, "repos", "moved.json", NULL);
}

static gboolean
save_moved(TesthubStore *self, GError **error)
{
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	JsonObject *top = json_object_new();
	g_autofree gchar *path = moved_file(self);

	for (guint i = 0; i < 3; i++) {
		JsonObject *o = json_object_new();
		GHashTableIter iter;
		gpointer k, v;

		g_hash_table_iter_init(&iter, self->moved[i]);
		while (g_hash_table_iter_next(&iter, &k, &v))
			json_object_set_string_member(o, k, v);
		json_object_set_object_member(top, type_plurals[i], o);
	}
	json_node_take_object(root, top);
	return testhub_store_write_json(path, root, error);
}

static void
load_moved(TesthubStore *self)
{
	g_autofree gchar *path = moved_file(self);
	g_autoptr(JsonNode) node = NULL;

	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return;
	node = testhub_store_read_json(path, NULL);
	if (node == NULL)
		return;
	for (guint i = 0; i < 3; i++) {
		JsonObject *o =
			json_object_get_object_member(json_node_get_object(node), type_plurals[i]);
		JsonObjectIter iter;
		const gchar *k;
		JsonNode *v;

		if (o == NULL)
			continue;
		json_object_iter_init(&iter, o);
		while (json_object_iter_next(&iter, &k, &v)) {
			if (JSON_NODE_HOLDS_VALUE(v) && json_node_get_string(v) != NULL)
				g_hash_table_replace(self->moved[i],
						     g_strdup(k),
						     g_strdup(json_node_get_string(v)));
		}
	}
}

TesthubStore *
testhub_store_new(const gchar *root, GError **error)
{
	g_autoptr(TesthubStore) self = g_object_new(TESTHUB_TYPE_STORE, NULL);
	const gchar *const subdirs[] = {"objects/blobs",
					"objects/lfs",
					"objects/commits",
					"repos/models",
					"repos/datasets",
					"repos/spaces",
					"tmp"};

	self->root = g_canonicalize_filename(root, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(subdirs); i++) {
		g_autofree gchar *d = g_build_filename(self->root, subdirs[i], NULL);

		if (g_mkdir_with_parents(d, 0755) != 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "cannot create %s: %s",
				    d,
				    g_strerror(errno));
			return NULL;
		}
	}
	for (guint i = 0; i < 3; i++) {
		if (!load_repos(self, (TesthubRepoType)i, error))
			return NULL;
	}
	load_moved(self);
	return g_steal_pointer(&self);
}

TesthubRepo *
testhub_store_get_repo(TesthubStore *self, TesthubRepoType type, const gchar *id)
{
	if (id == NULL)
		return NULL;
	return g_hash_table_lookup(self->repos[type], id);
}

gint64
testhub_store_now(void)
{
	const gchar *fixed = g_getenv("TESTHUB_COMMIT_DATE");

	if (fixed != NULL && fixed[0] != '\0')
		return g_ascii_strtoll(fixed, NULL, 10);
	return g_get_real_time() / G_USEC_PER_SEC;
}

TesthubRepo *
testhub_store_create_repo(TesthubStore *self,
			  TesthubRepoType type,
			  const gchar *id,
			  gboolean private_,
			  const gchar *sdk,
			  GError **error)
{
	g_autoptr(TesthubRepo) repo = NULL;
	g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func((GDestroyNotify)testhub_op_free);
	g_autoptr(GBytes) attrs = NULL;
	g_autofree gchar *sha1 = NULL;
	g_autofree gchar *commit = NULL;
	TesthubOp *op;
	TesthubRepo *borrowed;

	if (!repo_id_is_valid(id)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "invalid repo id %s",
			    id);
		return NULL;
	}
	if (g_hash_table_contains(self->repos[type], id)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s already exists", id);
		return NULL;
	}
	attrs = g_bytes_new_static(testhub_default_gitattributes(type),
				   strlen(testhub_default_gitattributes(type)));
	sha1 = testhub_store_put_blob(self, attrs, error);
	if (sha1 == NULL)
		return NULL;
	op = g_new0(TesthubOp, 1);
	op->kind = TESTHUB_OP_ADD_REGULAR;
	op->path = g_strdup(".gitattributes");
	op->content_sha1 = g_strdup(sha1);
	op->size = g_bytes_get_size(attrs);
	g_ptr_array_add(ops, op);
	commit = testhub_store_write_commit(self, NULL, ops, "initial commit", "", "system", error);
	if (commit == NULL)
		return NULL;

	repo = repo_new(type, id);
	repo->private_ = private_;
	repo->sdk = g_strdup(sdk);
	repo->created_at = testhub_store_now();
	repo->last_modified = repo->created_at;
	g_ptr_array_add(repo->branches, testhub_ref_new("main", commit, NULL));
	if (!testhub_store_save_repo(self, repo, error))
		return NULL;
	/* an id that was moved away is free again once reused */
	if (g_hash_table_remove(self->moved[type], id))
		save_moved(self, NULL);
	borrowed = repo;
	g_hash_table_insert(self->repos[type], g_strdup(id), g_steal_pointer(&repo));
	return borrowed;
}

gboolean
testhub_store_delete_repo(TesthubStore *self, TesthubRepoType type, const gchar *id, GError **error)
{
	g_autofree gchar *path = NULL;

	if (id == NULL || !g_hash_table_contains(self->repos[type], id)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "repo %s not found", id);
		return FALSE;
	}
	path = repo_file(self, type, id);
	if (g_unlink(path) != 0 && errno != ENOENT) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "cannot remove %s: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	g_hash_table_remove(self->repos[type], id);
	return TRUE;
}

gboolean
testhub_store_move_repo(TesthubStore *self,
			TesthubRepoType type,
			const gchar *from,
			const gchar *to,
			GError **error)
{
	TesthubRepo *repo = testhub_store_get_repo(self, type, from);
	g_autofree gchar *old_path = NULL;
	g_autofree gchar *old_key = NULL;
	gpointer value = NULL;
	const gchar *slash;
	GHashTableIter iter;
	gpointer k, v;

	if (repo == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "repo %s not found", from);
		return FALSE;
	}
	if (!repo_id_is_valid(to)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "invalid repo id %s",
			    to);
		return FALSE;
	}
	if (g_hash_table_contains(self->repos[type], to)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s already exists", to);
		return FALSE;
	}
	old_path = repo_file(self, type, from);
	g_hash_table_steal_extended(self->repos[type], from, (gpointer *)&old_key, &value);
	slash = strchr(to, '/');
	g_free(repo->id);
	g_free(repo->ns);
	g_free(repo->name);
	repo->id = g_strdup(to);
	repo->ns = g_strndup(to, (gsize)(slash - to));
	repo->name = g_strdup(slash + 1);
	g_hash_table_insert(self->repos[type], g_strdup(to), repo);
	if (!testhub_store_save_repo(self, repo, error))
		return FALSE;
	g_unlink(old_path);

	/* keep redirects one hop long: anything that pointed at `from` now points at `to` */
	g_hash_table_iter_init(&iter, self->moved[type]);
	while (g_hash_table_iter_next(&iter, &k, &v)) {
		if (g_strcmp0(v, from) == 0)
			g_hash_table_iter_replace(&iter, g_strdup(to));
	}
	g_hash_table_remove(self->moved[type], to);
	g_hash_table_replace(self->moved[type], g_strdup(from), g_strdup(to));
	return save_moved(self, error);
}

const gchar *
testhub_store_lookup_moved(TesthubStore *self, TesthubRepoType type, const gchar *old_id)
{
	if (old_id == NULL)
		return NULL;
	return g_hash_table_lookup(self->moved[type], old_id);
}

static gint
repo_cmp(gconstpointer a, gconstpointer b)
{
	const TesthubRepo *ra = *(TesthubRepo *const *)a;
	const TesthubRepo *rb = *(TesthubRepo *const *)b;

	return g_strcmp0(ra->id, rb->id);
}

/* The array is owned by the store and rebuilt by the next call. */
GPtrArray *
testhub_store_list_repos(TesthubStore *self, TesthubRepoType type)
{
	GHashTableIter iter;
	gpointer v;

	g_clear_pointer(&self->listing[type], g_ptr_array_unref);
	self->listing[type] = g_ptr_array_new();
	g_hash_table_iter_init(&iter, self->repos[type]);
	while (g_hash_table_iter_next(&iter, NULL, &v))
		g_ptr_array_add(self->listing[type], v);
	g_ptr_array_sort(self->listing[type], repo_cmp);
	return self->listing[type];
}

/* ---- blobs ---- */

gchar *
testhub_store_blob_path(TesthubStore *self, const gchar *sha1)
{
	return g_build_filename(self->root, "objects", "blobs", sha1, NULL);
}

gchar *
testhub_store_lfs_path(TesthubStore *self, const gchar *sha256)
{
	return g_build_filename(self->root, "objects", "lfs", sha256, NULL);
}

static gboolean
is_hex_of_len(const gchar *s, gsize len)
{
	if (s == NULL || strlen(s) != len)
		return FALSE;
	for (const gchar *p = s; *p != '\0'; p++) {
		if (!g_ascii_isxdigit(*p))
			return FALSE;
	}
	return TRUE;
}

gboolean
testhub_store_has_lfs(TesthubStore *self, const gchar *sha256, guint64 *size_out)
{
	g_autofree gchar *path = NULL;
	GStatBuf st;

	if (!is_hex_of_len(sha256, 64))
		return FALSE;
	path = testhub_store_lfs_path(self, sha256);
	if (g_stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return FALSE;
	if (size_out != NULL)
		*size_out = (guint64)st.st_size;
	return TRUE;
}

gboolean
testhub_store_has_blob(TesthubStore *self, const gchar *sha1)
{
	g_autofree gchar *path = NULL;

	if (!is_hex_of_len(sha1, 40))
		return FALSE;
	path = testhub_store_blob_path(self, sha1);
	return g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

gchar *
testhub_store_put_blob(TesthubStore *self, GBytes *content, GError **error)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(content, &len);
	g_autofree gchar *sha1 = testhub_git_blob_sha1(data, len);
	g_autofree gchar *path = testhub_store_blob_path(self, sha1);

	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR) &&
	    !g_file_set_contents(path, (const gchar *)data, (gssize)len, error))
		return NULL;
	return g_steal_pointer(&sha1);
}

gchar *
testhub_store_new_tmp_path(TesthubStore *self)
{
	g_autofree gchar *uuid = g_uuid_string_random();

	return g_build_filename(self->root, "tmp", uuid, NULL);
}

gboolean
testhub_store_commit_lfs_file(TesthubStore *self,
			      const gchar *tmp_path,
			      const gchar *sha256,
			      guint64 size,
			      GError **error)
{
	guint64 actual_size = 0;
	g_autofree gchar *actual = testhub_sha256_file(tmp_path, &actual_size, error);
	g_autofree gchar *dest = NULL;

	if (actual == NULL) {
		g_unlink(tmp_path);
		return FALSE;
	}
	if (g_ascii_strcasecmp(actual, sha256) != 0 || actual_size != size) {
		g_unlink(tmp_path);
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "content mismatch: expected sha256 %s size %" G_GUINT64_FORMAT
			    ", got sha256 %s size %" G_GUINT64_FORMAT,
			    sha256,
			    size,
			    actual,
			    actual_size);
		return FALSE;
	}
	dest = testhub_store_lfs_path(self, actual);
	if (g_rename(tmp_path, dest) != 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "cannot move %s to %s: %s",
			    tmp_path,
			    dest,
			    g_strerror(errno));
		g_unlink(tmp_path);
		return FALSE;
	}
	return TRUE;
}
