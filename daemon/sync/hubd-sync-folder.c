/* hubd-sync-folder.c: a folder target never shows a mix of two revisions.
 *
 * DIR is a symbolic link to DIR.hubd-sync/COMMIT, a complete tree. A run
 * builds the next tree beside it (hard links of the current one, then the
 * snapshot replaces what changed: huggingface_hub's local_dir writes a new
 * file and renames it into place, so the linked old tree is never written
 * through), then renames a new link over DIR: readers see the old tree or
 * the new one, never a mix. The old tree is removed afterwards. A run killed
 * half-way leaves DIR on the old tree and the new tree half built; the next
 * run goes on from there. */
#define G_LOG_DOMAIN "HubdSync"

#include "hubd-sync-folder.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "hubd-error.h"

#define ROOT_SUFFIX ".hubd-sync"
#define META_DIR    ".cache/huggingface/download"

gchar *
hubd_sync_folder_root(const gchar *dir)
{
	return g_strconcat(dir, ROOT_SUFFIX, NULL);
}

gchar *
hubd_sync_folder_tree(const gchar *dir, const gchar *commit)
{
	g_autofree gchar *root = hubd_sync_folder_root(dir);

	return g_build_filename(root, commit, NULL);
}

static gboolean
io_error(GError **error, const gchar *what, const gchar *path, gint err)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_FAILED,
		    _("Cannot %s %s: %s"),
		    what,
		    path,
		    g_strerror(err));
	return FALSE;
}

/* cp -al: directories made, files hard-linked, links copied */
static gboolean
link_tree(const gchar *from, const gchar *to, GCancellable *cancellable, GError **error)
{
	g_autoptr(GDir) d = g_dir_open(from, 0, NULL);
	const gchar *name;

	if (g_mkdir(to, 0755) != 0 && errno != EEXIST)
		return io_error(error, "create", to, errno);
	if (d == NULL)
		return TRUE;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *src = g_build_filename(from, name, NULL);
		g_autofree gchar *dst = g_build_filename(to, name, NULL);
		GStatBuf st;

		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		if (g_lstat(src, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (!link_tree(src, dst, cancellable, error))
				return FALSE;
		} else if (S_ISLNK(st.st_mode)) {
			g_autofree gchar *target = g_file_read_link(src, NULL);

			if (target != NULL && symlink(target, dst) != 0 && errno != EEXIST)
				return io_error(error, "copy the link", dst, errno);
		} else if (S_ISREG(st.st_mode)) {
			if (link(src, dst) != 0 && errno != EEXIST)
				return io_error(error, "link", dst, errno);
		}
	}
	return TRUE;
}

/* DIR may be missing, an empty folder, or our link */
static gboolean
check_dir(const gchar *dir, GError **error)
{
	g_autofree gchar *root = hubd_sync_folder_root(dir);
	GStatBuf st;

	if (g_lstat(dir, &st) != 0)
		return TRUE;
	if (S_ISLNK(st.st_mode)) {
		g_autofree gchar *target = g_file_read_link(dir, NULL);

		if (target != NULL && g_str_has_prefix(target, root))
			return TRUE;
	} else if (S_ISDIR(st.st_mode)) {
		g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);

		if (d != NULL && g_dir_read_name(d) == NULL)
			return TRUE;
	}
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("%s exists and is not a sync folder: give a new or empty folder"),
		    dir);
	return FALSE;
}

static void
remove_tree(const gchar *path)
{
	g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		GStatBuf st;

		if (g_lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

gboolean
hubd_sync_folder_prepare(const gchar *dir,
			 const gchar *commit,
			 const gchar *previous,
			 GCancellable *cancellable,
			 GError **error)
{
	g_autofree gchar *root = hubd_sync_folder_root(dir);
	g_autofree gchar *tree = hubd_sync_folder_tree(dir, commit);
	g_autofree gchar *old = previous != NULL ? hubd_sync_folder_tree(dir, previous) : NULL;
	g_autofree gchar *tmp = NULL;

	if (!check_dir(dir, error))
		return FALSE;
	if (g_mkdir_with_parents(root, 0755) != 0)
		return io_error(error, "create", root, errno);
	if (g_file_test(tree, G_FILE_TEST_IS_DIR))
		return TRUE; /* a run cut short: go on */
	if (old == NULL || g_strcmp0(previous, commit) == 0 ||
	    !g_file_test(old, G_FILE_TEST_IS_DIR)) {
		if (g_mkdir(tree, 0755) != 0)
			return io_error(error, "create", tree, errno);
		return TRUE;
	}
	/* linked under another name first, so a half-made copy is never
	 * taken for the tree */
	tmp = g_strconcat(tree, ".linking", NULL);
	remove_tree(tmp); /* a copy cut short */
	if (!link_tree(old, tmp, cancellable, error))
		return FALSE;
	if (g_rename(tmp, tree) != 0)
		return io_error(error, "rename", tmp, errno);
	return TRUE;
}

static void
collect_metadata(const gchar *base, const gchar *rel, GPtrArray *out)
{
	g_autofree gchar *path = g_build_filename(base, rel, NULL);
	g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *child =
			rel[0] != '\0' ? g_strconcat(rel, "/", name, NULL) : g_strdup(name);
		g_autofree gchar *full = g_build_filename(base, child, NULL);

		if (g_file_test(full, G_FILE_TEST_IS_DIR))
			collect_metadata(base, child, out);
		else if (g_str_has_suffix(child, ".metadata"))
			g_ptr_array_add(out, g_strndup(child, strlen(child) - strlen(".metadata")));
	}
}

GStrv
hubd_sync_folder_prune(const gchar *tree, const gchar *const *files, GError **error)
{
	g_autofree gchar *meta = g_build_filename(tree, META_DIR, NULL);
	g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GStrvBuilder) removed = g_strv_builder_new();
	g_autoptr(GHashTable) now = g_hash_table_new(g_str_hash, g_str_equal);
	GStrv out;

	for (guint i = 0; files != NULL && files[i] != NULL; i++)
		g_hash_table_add(now, (gpointer)files[i]);
	collect_metadata(meta, "", known);
	for (guint i = 0; i < known->len; i++) {
		const gchar *path = g_ptr_array_index(known, i);
		g_autofree gchar *file = NULL;
		g_autofree gchar *meta_file = NULL;

		if (g_hash_table_contains(now, path))
			continue;
		file = g_build_filename(tree, path, NULL);
		meta_file = g_strconcat(meta, "/", path, ".metadata", NULL);
		if (g_unlink(file) != 0 && errno != ENOENT)
			return io_error(error, "remove", file, errno), NULL;
		g_unlink(meta_file);
		g_strv_builder_add(removed, path);
	}
	out = g_strv_builder_end(removed);
	qsort(out, g_strv_length(out), sizeof *out, (GCompareFunc)g_strcmp0);
	return out;
}

gboolean
hubd_sync_folder_switch(const gchar *dir, const gchar *commit, GError **error)
{
	g_autofree gchar *root = hubd_sync_folder_root(dir);
	g_autofree gchar *tree = hubd_sync_folder_tree(dir, commit);
	g_autofree gchar *tmp = g_build_filename(root, ".switch", NULL);
	g_autoptr(GDir) d = NULL;
	GStatBuf st;
	const gchar *name;

	g_unlink(tmp);
	if (symlink(tree, tmp) != 0)
		return io_error(error, "create the link", tmp, errno);
	/* an empty folder cannot be renamed over: it goes first */
	if (g_lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && g_rmdir(dir) != 0)
		return io_error(error, "replace", dir, errno);
	if (g_rename(tmp, dir) != 0)
		return io_error(error, "switch", dir, errno);
	d = g_dir_open(root, 0, NULL);
	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *other = g_build_filename(root, name, NULL);

		if (!g_str_equal(name, commit))
			remove_tree(other);
	}
	return TRUE;
}
