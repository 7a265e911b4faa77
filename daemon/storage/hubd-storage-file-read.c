/* hubd-storage-file-read.c: the file backend's get, head and list */
#define G_LOG_DOMAIN "HubdStorageFile"

#include "hubd-storage-file-read.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "hubd-error.h"
#include "hubd-storage-file-etag.h"
#include "hubd-storage-file-io.h"
#include "hubd-storage-file-stream.h"

/* ---- objects: opened by key, described with their etag ---- */

static void
set_not_found(HubdStorageFile *self, const gchar *key, GError **error)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_ENTRY_NOT_FOUND,
		    _("There is no object “%s” in the storage backend “%s”"),
		    key,
		    hubd_storage_file_get_name(self));
}

/* Opens the object `key` for reading: its fd and stat, or -1 with
 * ENTRY_NOT_FOUND when there is no such object (a folder is none). */
static gint
hubd_storage_file_open(HubdStorageFile *self,
		       const gchar *key,
		       struct stat *st,
		       gchar **path_out,
		       GError **error)
{
	g_autofree gchar *path = hubd_storage_file_path(self, key, error);
	gint fd;

	if (path == NULL)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0) {
		gint errsv = errno;
		if (errsv == ENOENT || errsv == ENOTDIR || errsv == ELOOP)
			set_not_found(self, key, error);
		else
			hubd_storage_file_set_errno_error(
				error,
				errsv,
				g_strdup_printf(_("Cannot open %s"), path));
		return -1;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		g_close(fd, NULL);
		set_not_found(self, key, error);
		return -1;
	}
	if (path_out != NULL)
		*path_out = g_steal_pointer(&path);
	return fd;
}

static HubdStorageObject *
hubd_storage_file_describe(HubdStorageFile *self,
			   const gchar *key,
			   gint fd,
			   const struct stat *st,
			   const gchar *path,
			   GCancellable *cancellable,
			   GError **error)
{
	g_autofree gchar *etag = hubd_storage_file_etag_of(fd, st, path, cancellable, error);
	g_autoptr(GDateTime) modified = NULL;

	if (etag == NULL)
		return NULL;
	modified = hubd_storage_file_mtime_to_date_time(st);
	return hubd_storage_object_new(key, (guint64)st->st_size, etag, modified);
}

/* ---- the operations, run in worker threads ---- */

GInputStream *
hubd_storage_file_get(HubdStorageFile *self,
		      const gchar *key,
		      guint64 offset,
		      gint64 length,
		      HubdStorageObject **object_out,
		      GCancellable *cancellable,
		      GError **error)
{
	g_autofree gchar *path = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	struct stat st;
	guint64 size;
	gint fd = hubd_storage_file_open(self, key, &st, &path, error);

	if (fd < 0)
		return NULL;
	object = hubd_storage_file_describe(self, key, fd, &st, path, cancellable, error);
	if (object == NULL) {
		g_close(fd, NULL);
		return NULL;
	}
	size = (guint64)st.st_size;
	if (offset > size || (length >= 0 && (guint64)length > size - offset)) {
		g_close(fd, NULL);
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Cannot read %" G_GINT64_FORMAT " bytes from byte %" G_GUINT64_FORMAT
			      " of “%s”: it is %" G_GUINT64_FORMAT " bytes long"),
			    length >= 0 ? length : 0,
			    offset,
			    key,
			    size);
		return NULL;
	}
	*object_out = g_steal_pointer(&object);
	return hubd_storage_file_stream_new(fd,
					    offset,
					    length >= 0 ? (guint64)length : size - offset);
}

HubdStorageObject *
hubd_storage_file_head(HubdStorageFile *self,
		       const gchar *key,
		       GCancellable *cancellable,
		       GError **error)
{
	g_autofree gchar *path = NULL;
	struct stat st;
	HubdStorageObject *object;
	gint fd = hubd_storage_file_open(self, key, &st, &path, error);

	if (fd < 0)
		return NULL;
	object = hubd_storage_file_describe(self, key, fd, &st, path, cancellable, error);
	g_close(fd, NULL);
	return object;
}

/* ---- listing: a walk in key order, so a page costs its keys, not the tree ---- */

typedef struct {
	gchar *name;
	gchar *sort_key; /* the name, and "/" after a folder's: keys order */
	gboolean is_dir;
} ListEntry;

static void
list_entry_free(ListEntry *entry)
{
	g_free(entry->name);
	g_free(entry->sort_key);
	g_free(entry);
}

static gint
list_entry_compare(gconstpointer a, gconstpointer b)
{
	const ListEntry *ea = *(ListEntry *const *)a;
	const ListEntry *eb = *(ListEntry *const *)b;

	return strcmp(ea->sort_key, eb->sort_key);
}

typedef struct {
	const gchar *prefix;
	const gchar *after; /* the page token: the last key of the previous page */
	guint want;         /* max_keys + 1, to know whether there is more */
	GPtrArray *keys;
} ListWalk;

/* Whether a folder whose keys all start with `folder_key` ("a/b/") may hold
 * keys of this page. */
static gboolean
list_walk_enters(const ListWalk *walk, const gchar *folder_key)
{
	if (!g_str_has_prefix(folder_key, walk->prefix) &&
	    !g_str_has_prefix(walk->prefix, folder_key))
		return FALSE;
	/* every key below sorts before the token unless the token is below too */
	if (walk->after != NULL && strcmp(folder_key, walk->after) <= 0 &&
	    !g_str_has_prefix(walk->after, folder_key))
		return FALSE;
	return TRUE;
}

static gboolean
list_walk_folder(HubdStorageFile *self,
		 ListWalk *walk,
		 const gchar *rel, /* "" or "a/b/" */
		 GCancellable *cancellable,
		 GError **error)
{
	g_autofree gchar *path = g_build_filename(hubd_storage_file_get_root(self), rel, NULL);
	g_autoptr(GPtrArray) entries =
		g_ptr_array_new_with_free_func((GDestroyNotify)list_entry_free);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GDir) dir = NULL;
	const gchar *name;

	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return FALSE;
	dir = g_dir_open(path, 0, &error_local);
	if (dir == NULL) {
		/* removed by a concurrent delete: it holds nothing */
		if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
		    g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = NULL;
		ListEntry *entry;
		GStatBuf st;
		if (rel[0] == '\0' && g_strcmp0(name, HUBD_STORAGE_FILE_RESERVED) == 0)
			continue;
		child = g_build_filename(path, name, NULL);
		if (g_lstat(child, &st) != 0 || (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))
			continue;
		entry = g_new0(ListEntry, 1);
		entry->name = g_strdup(name);
		entry->is_dir = S_ISDIR(st.st_mode);
		entry->sort_key = g_strconcat(name, entry->is_dir ? "/" : NULL, NULL);
		g_ptr_array_add(entries, entry);
	}
	g_ptr_array_sort(entries, list_entry_compare);

	for (guint i = 0; i < entries->len && walk->keys->len < walk->want; i++) {
		ListEntry *entry = g_ptr_array_index(entries, i);
		g_autofree gchar *key = g_strconcat(rel, entry->sort_key, NULL);
		if (entry->is_dir) {
			/* a folder whose path is no valid prefix holds no valid key */
			if (!hubd_storage_prefix_validate(key, NULL) ||
			    !list_walk_enters(walk, key))
				continue;
			if (!list_walk_folder(self, walk, key, cancellable, error))
				return FALSE;
			continue;
		}
		/* files named so no key can name them (a backslash, bad UTF-8) are
		 * not objects */
		if (!g_str_has_prefix(key, walk->prefix) || !hubd_storage_key_validate(key, NULL))
			continue;
		if (walk->after != NULL && strcmp(key, walk->after) <= 0)
			continue;
		g_ptr_array_add(walk->keys, g_steal_pointer(&key));
	}
	return TRUE;
}

GPtrArray *
hubd_storage_file_list(HubdStorageFile *self,
		       const gchar *prefix,
		       const gchar *page_token,
		       guint max_keys,
		       gchar **next_page_token,
		       GCancellable *cancellable,
		       GError **error)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) objects =
		g_ptr_array_new_with_free_func((GDestroyNotify)hubd_storage_object_unref);
	ListWalk walk = {prefix, page_token, max_keys + 1, keys};
	guint n;

	if (!list_walk_folder(self, &walk, "", cancellable, error))
		return NULL;
	n = MIN(keys->len, max_keys);
	for (guint i = 0; i < n; i++) {
		const gchar *key = g_ptr_array_index(keys, i);
		g_autoptr(GError) error_local = NULL;
		g_autofree gchar *path = NULL;
		HubdStorageObject *object;
		struct stat st;
		gint fd = hubd_storage_file_open(self, key, &st, &path, &error_local);
		if (fd < 0) {
			/* deleted since the walk saw it: it is not there any more */
			if (g_error_matches(error_local, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND))
				continue;
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		object = hubd_storage_file_describe(self, key, fd, &st, path, cancellable, error);
		g_close(fd, NULL);
		if (object == NULL)
			return NULL;
		g_ptr_array_add(objects, object);
	}
	/* the token is the last key of this page: the next starts after it */
	*next_page_token =
		keys->len > max_keys ? g_strdup(g_ptr_array_index(keys, max_keys - 1)) : NULL;
	return g_steal_pointer(&objects);
}
