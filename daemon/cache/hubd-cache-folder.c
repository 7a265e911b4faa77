/* hubd-cache-folder.c: a cache folder named by the caller (the cache_dir
 * option): made ready before anything is written, and what a dry run asks
 * of it (is a blob already there), without writing anything */
#define G_LOG_DOMAIN "HubdCache"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "hubd-cache.h"
#include "hubd-error.h"

HubdCache *
hubd_cache_for_folder(HubdCache *shared, const gchar *cache_dir)
{
	/* a new HubdCache per call costs nothing; its paths, and so the shared
	 * transfers keyed by them, are the folder's own */
	if (cache_dir != NULL)
		return hubd_cache_new(cache_dir);
	return g_object_ref(shared);
}

static gboolean
hubd_cache_folder_option(GVariant *options, const gchar *key, gchar **out, GError **error)
{
	const gchar *dir = NULL;

	if (!g_variant_lookup(options, key, "&s", &dir) || dir[0] == '\0')
		return TRUE;
	if (!g_path_is_absolute(dir)) {
		g_set_error(
			error,
			HUBD_ERROR,
			HUBD_ERROR_INVALID_ARGUMENT,
			/* TRANSLATORS: %s is the option (local_dir, cache_dir), then its value */
			_("%s must be an absolute path, not “%s”"),
			key,
			dir);
		return FALSE;
	}
	/* canonical, so one folder named two ways shares its transfers */
	*out = g_canonicalize_filename(dir, NULL);
	return TRUE;
}

gboolean
hubd_cache_folder_options(GVariant *options, gchar **local_dir, gchar **cache_dir, GError **error)
{
	*local_dir = NULL;
	*cache_dir = NULL;
	if (!hubd_cache_folder_option(options, "local_dir", local_dir, error) ||
	    !hubd_cache_folder_option(options, "cache_dir", cache_dir, error))
		return FALSE;
	if (*local_dir != NULL && *cache_dir != NULL) {
		/* as hf download: one or the other (docs/hub-download.md §11) */
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("local_dir and cache_dir cannot be used together: cache_dir "
				      "is a shared cache, local_dir a folder of real files"));
		return FALSE;
	}
	return TRUE;
}

gboolean
hubd_cache_prepare_root(HubdCache *self, GError **error)
{
	const gchar *root;

	g_return_val_if_fail(HUBD_IS_CACHE(self), FALSE);
	root = hubd_cache_get_root(self);
	/* 0755 under the caller's umask: never world-writable, whatever the
	 * umask (the daemon runs as the caller) */
	if (g_mkdir_with_parents(root, 0755) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The cache folder “%s” cannot be created: %s"),
			    root,
			    g_strerror(errsv));
		return FALSE;
	}
	if (g_access(root, W_OK | X_OK) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The cache folder “%s” cannot be written: %s"),
			    root,
			    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

gboolean
hubd_cache_has_blob(HubdCache *self,
		    HubdRepoType type,
		    const gchar *repo_id,
		    const gchar *etag,
		    guint64 size)
{
	g_autofree gchar *blob = NULL;
	struct stat st;

	g_return_val_if_fail(HUBD_IS_CACHE(self), FALSE);
	if (etag == NULL || etag[0] == '\0' || strchr(etag, '/') != NULL)
		return FALSE;
	blob = hubd_cache_blob_path(self, type, repo_id, etag);
	/* named by its ETag, so the name is the content check; the size
	 * catches a blob cut short by hand */
	return g_stat(blob, &st) == 0 && S_ISREG(st.st_mode) && (guint64)st.st_size == size;
}

gboolean
hubd_cache_free_space(const gchar *path, guint64 *avail)
{
	g_autofree gchar *at = g_strdup(path);
	struct statvfs vfs;

	/* a folder a download creates: its nearest parent that is there */
	while (statvfs(at, &vfs) != 0) {
		gchar *parent;

		if (errno != ENOENT || strcmp(at, "/") == 0 || strcmp(at, ".") == 0)
			return FALSE;
		parent = g_path_get_dirname(at);
		g_free(at);
		at = parent;
	}
	if (vfs.f_blocks == 0)
		return FALSE;
	*avail = (guint64)(geteuid() == 0 ? vfs.f_bfree : vfs.f_bavail) * vfs.f_frsize;
	return TRUE;
}
