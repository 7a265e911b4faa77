/* hubd-storage-file-io.c: small file helpers of the file backend: errno errors, mtimes, rm -rf */
#define G_LOG_DOMAIN "HubdStorageFile"

#include "hubd-storage-file-io.h"

#include <glib/gstdio.h>

/* `message` (taken) and what errno `errsv` says, e.g. "Cannot write
 * /srv/mirror/a: No space left on device". Callers save errno first. */
void
hubd_storage_file_set_errno_error(GError **error, gint errsv, gchar *message)
{
	g_set_error(error,
		    G_IO_ERROR,
		    g_io_error_from_errno(errsv),
		    "%s: %s",
		    message,
		    g_strerror(errsv));
	g_free(message);
}

GDateTime *
hubd_storage_file_mtime_to_date_time(const struct stat *st)
{
	g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc(st->st_mtim.tv_sec);

	return g_date_time_add(seconds, st->st_mtim.tv_nsec / 1000);
}

/* rm -rf, best effort: for staging leftovers and aborted uploads */
void
hubd_storage_file_remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	if (dir != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			GStatBuf st;
			if (g_lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
				hubd_storage_file_remove_tree(child);
			else
				(void)g_unlink(child);
		}
	}
	(void)g_remove(path);
}
