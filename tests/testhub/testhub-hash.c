/* testhub-hash.c: git object hashing for the local Hub (blobs, LFS pointers,
 * trees and commits), so that ids match what the real Hub (a git server) gives.
 */
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <string.h>

#include "testhub-store.h"

static gchar *
hex_digest(const guint8 *digest, gsize len)
{
	GString *s = g_string_sized_new(len * 2);

	for (gsize i = 0; i < len; i++)
		g_string_append_printf(s, "%02x", digest[i]);
	return g_string_free(s, FALSE);
}

/* sha1("<kind> <len>\0" + data), the id of a git object */
static void
git_object_sha1(const gchar *kind, const guint8 *data, gsize len, guint8 digest[SHA1_DIGEST_SIZE])
{
	struct sha1_ctx ctx;
	g_autofree gchar *header = g_strdup_printf("%s %" G_GSIZE_FORMAT, kind, len);

	sha1_init(&ctx);
	sha1_update(&ctx, strlen(header) + 1, (const guint8 *)header);
	if (len > 0)
		sha1_update(&ctx, len, data);
	sha1_digest(&ctx, SHA1_DIGEST_SIZE, digest);
}

gchar *
testhub_git_blob_sha1(const guint8 *data, gsize len)
{
	guint8 digest[SHA1_DIGEST_SIZE];

	git_object_sha1("blob", data, len, digest);
	return hex_digest(digest, sizeof(digest));
}

gchar *
testhub_lfs_pointer_text(const gchar *sha256, guint64 size)
{
	return g_strdup_printf("version https://git-lfs.github.com/spec/v1\n"
			       "oid sha256:%s\n"
			       "size %" G_GUINT64_FORMAT "\n",
			       sha256,
			       size);
}

gchar *
testhub_sha256_file(const gchar *path, guint64 *size_out, GError **error)
{
	struct sha256_ctx ctx;
	guint8 digest[SHA256_DIGEST_SIZE];
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileInputStream) in = g_file_read(file, NULL, error);
	g_autofree guint8 *buf = NULL;
	guint64 total = 0;

	if (in == NULL)
		return NULL;
	buf = g_malloc(1024 * 1024);
	sha256_init(&ctx);
	for (;;) {
		gssize n = g_input_stream_read(G_INPUT_STREAM(in), buf, 1024 * 1024, NULL, error);

		if (n < 0)
			return NULL;
		if (n == 0)
			break;
		sha256_update(&ctx, (gsize)n, buf);
		total += (guint64)n;
	}
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
	if (size_out != NULL)
		*size_out = total;
	return hex_digest(digest, sizeof(digest));
}

/* ---- trees ---- */

typedef struct {
	gchar *name;
	gchar *sort_key; /* directories sort as "name/" in git */
	gboolean is_dir;
	const gchar *blob_sha1;
} TreeChild;

static void
tree_child_free(gpointer p)
{
	TreeChild *c = p;

	g_free(c->name);
	g_free(c->sort_key);
	g_free(c);
}

static gint
tree_child_cmp(gconstpointer a, gconstpointer b)
{
	const TreeChild *ca = *(TreeChild *const *)a;
	const TreeChild *cb = *(TreeChild *const *)b;

	return strcmp(ca->sort_key, cb->sort_key);
}

static GPtrArray *
children_of(GHashTable *dirs, const gchar *dir)
{
	GPtrArray *arr = g_hash_table_lookup(dirs, dir);

	if (arr == NULL) {
		arr = g_ptr_array_new_with_free_func(tree_child_free);
		g_hash_table_insert(dirs, g_strdup(dir), arr);
	}
	return arr;
}

static void
add_child(GHashTable *dirs, const gchar *dir, const gchar *name, gboolean is_dir, const gchar *sha1)
{
	GPtrArray *arr = children_of(dirs, dir);
	TreeChild *c;

	if (is_dir) {
		for (guint i = 0; i < arr->len; i++) {
			TreeChild *o = g_ptr_array_index(arr, i);

			if (o->is_dir && g_strcmp0(o->name, name) == 0)
				return;
		}
	}
	c = g_new0(TreeChild, 1);
	c->name = g_strdup(name);
	c->is_dir = is_dir;
	c->sort_key = is_dir ? g_strconcat(name, "/", NULL) : g_strdup(name);
	c->blob_sha1 = sha1;
	g_ptr_array_add(arr, c);
}

static gboolean
hex_to_raw(const gchar *hex, guint8 out[SHA1_DIGEST_SIZE])
{
	if (hex == NULL || strlen(hex) != SHA1_DIGEST_SIZE * 2)
		return FALSE;
	for (guint i = 0; i < SHA1_DIGEST_SIZE; i++) {
		gint hi = g_ascii_xdigit_value(hex[2 * i]);
		gint lo = g_ascii_xdigit_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return FALSE;
		out[i] = (guint8)(hi * 16 + lo);
	}
	return TRUE;
}

static const gchar *
tree_id(GHashTable *dirs, GHashTable *ids, const gchar *dir)
{
	GPtrArray *arr = children_of(dirs, dir);
	g_autoptr(GByteArray) content = g_byte_array_new();
	guint8 digest[SHA1_DIGEST_SIZE];
	const gchar *cached = g_hash_table_lookup(ids, dir);
	gchar *id;

	if (cached != NULL)
		return cached;
	g_ptr_array_sort(arr, tree_child_cmp);
	for (guint i = 0; i < arr->len; i++) {
		TreeChild *c = g_ptr_array_index(arr, i);
		g_autofree gchar *sub = NULL;
		const gchar *sha1;
		guint8 raw[SHA1_DIGEST_SIZE] = {0};
		const gchar *mode = c->is_dir ? "40000 " : "100644 ";

		if (c->is_dir) {
			sub = dir[0] == '\0' ? g_strdup(c->name)
					     : g_strconcat(dir, "/", c->name, NULL);
			sha1 = tree_id(dirs, ids, sub);
		} else {
			sha1 = c->blob_sha1;
		}
		hex_to_raw(sha1, raw);
		g_byte_array_append(content, (const guint8 *)mode, strlen(mode));
		g_byte_array_append(content, (const guint8 *)c->name, strlen(c->name) + 1);
		g_byte_array_append(content, raw, sizeof(raw));
	}
	git_object_sha1("tree", content->data, content->len, digest);
	id = hex_digest(digest, sizeof(digest));
	g_hash_table_insert(ids, g_strdup(dir), id);
	return id;
}

GHashTable *
testhub_commit_tree_ids(TesthubCommit *c)
{
	g_autoptr(GHashTable) dirs = g_hash_table_new_full(g_str_hash,
							   g_str_equal,
							   g_free,
							   (GDestroyNotify)g_ptr_array_unref);
	GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTableIter iter;
	gpointer value;

	children_of(dirs, "");
	g_hash_table_iter_init(&iter, c->tree);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		TesthubEntry *e = value;
		g_auto(GStrv) parts = g_strsplit(e->path, "/", -1);
		g_autoptr(GString) dir = g_string_new(NULL);
		guint n = g_strv_length(parts);

		for (guint i = 0; i + 1 < n; i++) {
			/* git has no empty names; a test that rigs one ("/x",
			 * "a//b") must not send this into a loop */
			if (parts[i][0] == '\0')
				continue;
			add_child(dirs, dir->str, parts[i], TRUE, NULL);
			if (dir->len > 0)
				g_string_append_c(dir, '/');
			g_string_append(dir, parts[i]);
		}
		add_child(dirs, dir->str, parts[n - 1], FALSE, e->blob_sha1);
	}
	tree_id(dirs, ids, "");
	/* subdirectories that are reachable only through tree_id() recursion are
	 * already in `ids`; make sure every directory got an id */
	g_hash_table_iter_init(&iter, dirs);
	while (g_hash_table_iter_next(&iter, &value, NULL))
		tree_id(dirs, ids, value);
	return ids;
}

gchar *
testhub_commit_compute_id(TesthubCommit *c)
{
	g_autoptr(GHashTable) ids = testhub_commit_tree_ids(c);
	g_autoptr(GString) text = g_string_new(NULL);
	guint8 digest[SHA1_DIGEST_SIZE];
	g_autofree gchar *ident = NULL;

	ident = g_strdup_printf("%s <%s@users.noreply.huggingface.co> %" G_GINT64_FORMAT " +0000",
				c->author,
				c->author,
				c->date);
	g_string_append_printf(text, "tree %s\n", (const gchar *)g_hash_table_lookup(ids, ""));
	if (c->parent != NULL)
		g_string_append_printf(text, "parent %s\n", c->parent);
	g_string_append_printf(text, "author %s\ncommitter %s\n\n%s\n", ident, ident, c->title);
	if (c->message != NULL && c->message[0] != '\0')
		g_string_append_printf(text, "\n%s\n", c->message);
	git_object_sha1("commit", (const guint8 *)text->str, text->len, digest);
	return hex_digest(digest, sizeof(digest));
}
