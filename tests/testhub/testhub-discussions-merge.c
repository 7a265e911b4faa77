/* testhub-discussions-merge.c: what a pull request changes — its git-style diff
 * against the commit it started from, and its merge onto the target branch.
 */
#include <string.h>

#include "testhub-community.h"

static gboolean
same_entry(const TesthubEntry *a, const TesthubEntry *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return g_strcmp0(a->blob_sha1, b->blob_sha1) == 0 &&
	       g_strcmp0(a->lfs_sha256, b->lfs_sha256) == 0 && a->size == b->size;
}

/* every path in either tree, sorted */
static GPtrArray *
all_paths(TesthubCommit *a, TesthubCommit *b)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *paths = g_ptr_array_new();
	TesthubCommit *both[] = {a, b};

	for (guint i = 0; i < G_N_ELEMENTS(both); i++) {
		GHashTableIter iter;
		gpointer key;

		g_hash_table_iter_init(&iter, both[i]->tree);
		while (g_hash_table_iter_next(&iter, &key, NULL)) {
			if (g_hash_table_add(seen, key))
				g_ptr_array_add(paths, key);
		}
	}
	g_ptr_array_sort(paths, (GCompareFunc)(void (*)(void))g_strcmp0);
	return paths;
}

/* the git blob's text: the file, or the pointer of an LFS file; NULL for binary */
static gchar *
entry_text(TesthubContext *ctx, const TesthubEntry *e)
{
	g_autofree gchar *path = NULL;
	gchar *text = NULL;
	gsize len = 0;

	if (e == NULL)
		return g_strdup("");
	if (e->lfs_sha256 != NULL)
		return testhub_lfs_pointer_text(e->lfs_sha256, e->size);
	path = testhub_store_blob_path(ctx->store, e->blob_sha1);
	if (!g_file_get_contents(path, &text, &len, NULL))
		return g_strdup("");
	if (memchr(text, '\0', len) != NULL || !g_utf8_validate(text, (gssize)len, NULL)) {
		g_free(text);
		return NULL;
	}
	return text;
}

static guint
count_lines(const gchar *text)
{
	guint n = 0;

	for (const gchar *p = text; *p != '\0'; p++) {
		if (*p == '\n' || p[1] == '\0')
			n++;
	}
	return n;
}

static void
append_lines(GString *out, gchar sign, const gchar *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = g_strv_length(lines);

	/* a final newline ends the last line, it does not start another */
	if (n > 0 && lines[n - 1][0] == '\0')
		n--;
	for (guint i = 0; i < n; i++)
		g_string_append_printf(out, "%c%s\n", sign, lines[i]);
}

/* one file's part of the diff: the whole old text out, the whole new text in */
static void
diff_file(TesthubContext *ctx,
	  GString *out,
	  const gchar *path,
	  const TesthubEntry *a,
	  const TesthubEntry *b)
{
	g_autofree gchar *old_text = entry_text(ctx, a);
	g_autofree gchar *new_text = entry_text(ctx, b);
	guint old_n;
	guint new_n;

	g_string_append_printf(out, "diff --git a/%s b/%s\n", path, path);
	if (a == NULL)
		g_string_append(out, "new file mode 100644\n");
	else if (b == NULL)
		g_string_append(out, "deleted file mode 100644\n");
	g_string_append_printf(out,
			       "index %.7s..%.7s\n",
			       a != NULL ? a->blob_sha1 : "0000000",
			       b != NULL ? b->blob_sha1 : "0000000");
	if (old_text == NULL || new_text == NULL) {
		g_string_append_printf(out,
				       "Binary files %s%s and %s%s differ\n",
				       a != NULL ? "a/" : "/dev/null",
				       a != NULL ? path : "",
				       b != NULL ? "b/" : "/dev/null",
				       b != NULL ? path : "");
		return;
	}
	g_string_append_printf(out, "--- %s%s\n", a != NULL ? "a/" : "/dev/null", a ? path : "");
	g_string_append_printf(out, "+++ %s%s\n", b != NULL ? "b/" : "/dev/null", b ? path : "");
	old_n = count_lines(old_text);
	new_n = count_lines(new_text);
	g_string_append_printf(out,
			       "@@ -%u,%u +%u,%u @@\n",
			       old_n > 0 ? 1 : 0,
			       old_n,
			       new_n > 0 ? 1 : 0,
			       new_n);
	append_lines(out, '-', old_text);
	append_lines(out, '+', new_text);
}

gchar *
testhub_discussions_diff(TesthubContext *ctx, const gchar *base, const gchar *head, GError **error)
{
	g_autoptr(TesthubCommit) a = testhub_store_load_commit(ctx->store, base, error);
	g_autoptr(TesthubCommit) b = NULL;
	g_autoptr(GPtrArray) paths = NULL;
	g_autoptr(GString) out = g_string_new(NULL);

	if (a == NULL)
		return NULL;
	b = testhub_store_load_commit(ctx->store, head, error);
	if (b == NULL)
		return NULL;
	paths = all_paths(a, b);
	for (guint i = 0; i < paths->len; i++) {
		const gchar *path = g_ptr_array_index(paths, i);
		TesthubEntry *ea = g_hash_table_lookup(a->tree, path);
		TesthubEntry *eb = g_hash_table_lookup(b->tree, path);

		if (!same_entry(ea, eb))
			diff_file(ctx, out, path, ea, eb);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static TesthubOp *
op_for(const gchar *path, const TesthubEntry *e)
{
	TesthubOp *op = g_new0(TesthubOp, 1);

	op->path = g_strdup(path);
	if (e == NULL) {
		op->kind = TESTHUB_OP_DELETE_FILE;
	} else if (e->lfs_sha256 != NULL) {
		op->kind = TESTHUB_OP_ADD_LFS;
		op->lfs_sha256 = g_strdup(e->lfs_sha256);
		op->size = e->size;
	} else {
		op->kind = TESTHUB_OP_ADD_REGULAR;
		op->content_sha1 = g_strdup(e->blob_sha1);
		op->size = e->size;
	}
	return op;
}

gchar *
testhub_discussions_merge(TesthubContext *ctx,
			  const gchar *base,
			  const gchar *head,
			  const gchar *onto,
			  const gchar *title,
			  const gchar *author,
			  GError **error)
{
	g_autoptr(TesthubCommit) a = testhub_store_load_commit(ctx->store, base, error);
	g_autoptr(TesthubCommit) b = NULL;
	g_autoptr(TesthubCommit) target = NULL;
	g_autoptr(GPtrArray) paths = NULL;
	g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func((GDestroyNotify)testhub_op_free);
	g_autoptr(GString) conflicts = g_string_new(NULL);

	if (a == NULL)
		return NULL;
	b = testhub_store_load_commit(ctx->store, head, error);
	target = b != NULL ? testhub_store_load_commit(ctx->store, onto, error) : NULL;
	if (target == NULL)
		return NULL;
	paths = all_paths(a, b);
	for (guint i = 0; i < paths->len; i++) {
		const gchar *path = g_ptr_array_index(paths, i);
		TesthubEntry *ea = g_hash_table_lookup(a->tree, path);
		TesthubEntry *eb = g_hash_table_lookup(b->tree, path);
		TesthubEntry *et = g_hash_table_lookup(target->tree, path);

		if (same_entry(ea, eb) || same_entry(eb, et))
			continue;
		/* the branch changed it too, differently: a conflict */
		if (!same_entry(ea, et)) {
			g_string_append_printf(conflicts, "%s%s", conflicts->len ? ", " : "", path);
			continue;
		}
		g_ptr_array_add(ops, op_for(path, eb));
	}
	if (conflicts->len > 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_EXISTS,
			    "This pull request has conflicts with the target branch: %s",
			    conflicts->str);
		return NULL;
	}
	return testhub_store_write_commit(ctx->store, onto, ops, title, "", author, error);
}
