/* hubd-storage-file-write.c: the file backend's put and delete: temp files renamed into place */
#define G_LOG_DOMAIN "HubdStorageFile"

#include "hubd-storage-file-write.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "hubd-error.h"
#include "hubd-sha256-blocks.h"
#include "hubd-storage-file-etag.h"
#include "hubd-storage-file-io.h"

/* a rename whose parent folder a concurrent delete just removed is retried */
#define PLACE_ATTEMPTS 16

/* ---- writing: a temp file in staging, renamed into place when whole ---- */

struct _HubdStorageFileStaged {
	gchar *path; /* the temp file */
	gint fd;
	struct sha256_ctx sha256;
	guint64 size;
};

static gboolean
write_all(gint fd, const guint8 *data, gsize len, const gchar *path, GError **error)
{
	while (len > 0) {
		gssize n = write(fd, data, len);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			hubd_storage_file_set_errno_error(
				error,
				errsv,
				g_strdup_printf(_("Cannot write %s"), path));
			return FALSE;
		}
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
}

void
hubd_storage_file_staged_free(HubdStorageFileStaged *staged)
{
	if (staged->fd >= 0)
		g_close(staged->fd, NULL);
	if (staged->path != NULL)
		(void)g_unlink(staged->path);
	g_free(staged->path);
	g_free(staged);
}

/* A new temp file from `template` (ending in XXXXXX) in `folder`. A missing
 * folder is ENOENT, for callers to whom that means "upload gone". */
HubdStorageFileStaged *
hubd_storage_file_staged_new(const gchar *folder, const gchar *template, GError **error)
{
	g_autoptr(HubdStorageFileStaged) staged = g_new0(HubdStorageFileStaged, 1);

	staged->path = g_build_filename(folder, template, NULL);
	/* 0666: the umask decides, as for any file the user creates */
	staged->fd = g_mkstemp_full(staged->path, O_RDWR | O_CLOEXEC, 0666);
	if (staged->fd < 0) {
		gint errsv = errno;
		g_clear_pointer(&staged->path, g_free);
		hubd_storage_file_set_errno_error(
			error,
			errsv,
			g_strdup_printf(_("Cannot create a file in %s"), folder));
		return NULL;
	}
	sha256_init(&staged->sha256);
	return g_steal_pointer(&staged);
}

static gboolean
staged_append(HubdStorageFileStaged *staged, const guint8 *data, gsize len, GError **error)
{
	hubd_sha256_blocks_update(&staged->sha256, len, data);
	staged->size += len;
	return write_all(staged->fd, data, len, staged->path, error);
}

/* Copies `stream` into `staged`: `length` bytes exactly, or to its end when
 * -1. A stream that ends early is an error: the object would be torn. */
gboolean
hubd_storage_file_staged_copy_stream(HubdStorageFileStaged *staged,
				     GInputStream *stream,
				     gint64 length,
				     GCancellable *cancellable,
				     GError **error)
{
	g_autofree guint8 *buffer = g_malloc(HUBD_STORAGE_FILE_COPY_BUFFER_SIZE);
	guint64 copied = 0;

	while (length < 0 || copied < (guint64)length) {
		gsize want = HUBD_STORAGE_FILE_COPY_BUFFER_SIZE;
		gssize n;
		if (length >= 0)
			want = (gsize)MIN((guint64)want, (guint64)length - copied);
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		n = g_input_stream_read(stream, buffer, want, cancellable, error);
		if (n < 0)
			return FALSE;
		if (n == 0) {
			if (length < 0)
				break;
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The content ended after %" G_GUINT64_FORMAT
				      " of %" G_GINT64_FORMAT " bytes"),
				    copied,
				    length);
			return FALSE;
		}
		if (!staged_append(staged, buffer, (gsize)n, error))
			return FALSE;
		copied += (guint64)n;
	}
	return TRUE;
}

/* Hashes what was written, syncs it when configured, caches the etag in the
 * file (the xattr travels with the rename), and fills `st`. */
gboolean
hubd_storage_file_staged_seal(HubdStorageFile *self,
			      HubdStorageFileStaged *staged,
			      gchar hex[SHA256_DIGEST_SIZE * 2 + 1],
			      struct stat *st,
			      GError **error)
{
	hubd_storage_file_sha256_hex(&staged->sha256, hex);
	if ((hubd_storage_file_get_fsync(self) && fdatasync(staged->fd) != 0) ||
	    fstat(staged->fd, st) != 0) {
		gint errsv = errno;
		hubd_storage_file_set_errno_error(
			error,
			errsv,
			g_strdup_printf(_("Cannot write %s"), staged->path));
		return FALSE;
	}
	hubd_storage_file_etag_store(staged->fd, hex, st);
	return TRUE;
}

/* Renames the temp file to `path`; it is then no longer the staged's to
 * remove. FALSE with errno as rename() left it. */
gboolean
hubd_storage_file_staged_rename(HubdStorageFileStaged *staged, const gchar *path)
{
	if (rename(staged->path, path) != 0)
		return FALSE;
	g_clear_pointer(&staged->path, g_free); /* nothing to unlink now */
	return TRUE;
}

static void
set_conflict(HubdStorageFile *self, const gchar *key, GError **error)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_CONFLICT,
		    _("Cannot store “%s” in the storage backend “%s”: a folder cannot be an object "
		      "too, and “%s” is one where the other is stored"),
		    key,
		    hubd_storage_file_get_name(self),
		    key);
}

/* Renames the sealed temp file to the object `key`: atomic, so readers see
 * the old object or the new one, and of racing writers the last rename wins. */
static gboolean
staged_place(HubdStorageFile *self, HubdStorageFileStaged *staged, const gchar *key, GError **error)
{
	g_autofree gchar *path = hubd_storage_file_path(self, key, error);
	g_autofree gchar *parent = NULL;

	if (path == NULL)
		return FALSE;
	parent = g_path_get_dirname(path);
	for (guint attempt = 0; attempt < PLACE_ATTEMPTS; attempt++) {
		gint errsv;
		if (g_mkdir_with_parents(parent, 0777) != 0) {
			errsv = errno;
			if (errsv == ENOTDIR || errsv == EEXIST) {
				set_conflict(self, key, error);
				return FALSE;
			}
			hubd_storage_file_set_errno_error(
				error,
				errsv,
				g_strdup_printf(_("Cannot create the folder %s"), parent));
			return FALSE;
		}
		if (hubd_storage_file_staged_rename(staged, path))
			return TRUE;
		errsv = errno;
		if (errsv == EISDIR || errsv == ENOTDIR || errsv == ENOTEMPTY || errsv == EEXIST) {
			set_conflict(self, key, error);
			return FALSE;
		}
		if (errsv != ENOENT) {
			hubd_storage_file_set_errno_error(
				error,
				errsv,
				g_strdup_printf(_("Cannot write %s"), path));
			return FALSE;
		}
		/* a delete removed the empty parent between mkdir and rename: again */
	}
	hubd_storage_file_set_errno_error(
		error,
		ENOENT,
		g_strdup_printf(_("Cannot create the folder %s"), parent));
	return FALSE;
}

/* Seals and places `staged` as `key`, describing the object stored. */
HubdStorageObject *
hubd_storage_file_staged_commit(HubdStorageFile *self,
				HubdStorageFileStaged *staged,
				const gchar *key,
				GError **error)
{
	gchar hex[SHA256_DIGEST_SIZE * 2 + 1];
	struct stat st;
	g_autoptr(GDateTime) modified = NULL;

	if (!hubd_storage_file_staged_seal(self, staged, hex, &st, error))
		return NULL;
	if (!staged_place(self, staged, key, error))
		return NULL;
	modified = hubd_storage_file_mtime_to_date_time(&st);
	return hubd_storage_object_new(key, (guint64)st.st_size, hex, modified);
}

gboolean
hubd_storage_file_staged_copy_fd(HubdStorageFileStaged *staged,
				 gint fd,
				 GCancellable *cancellable,
				 GError **error)
{
	g_autofree guint8 *buffer = g_malloc(HUBD_STORAGE_FILE_COPY_BUFFER_SIZE);

	for (;;) {
		gssize n;
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		n = read(fd, buffer, HUBD_STORAGE_FILE_COPY_BUFFER_SIZE);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			hubd_storage_file_set_errno_error(
				error,
				errsv,
				g_strdup_printf(_("Cannot read a part of %s"), staged->path));
			return FALSE;
		}
		if (n == 0)
			return TRUE;
		if (!staged_append(staged, buffer, (gsize)n, error))
			return FALSE;
	}
}

/* ---- the operations, run in worker threads ---- */

HubdStorageObject *
hubd_storage_file_put(HubdStorageFile *self,
		      const gchar *key,
		      GInputStream *stream,
		      gint64 length,
		      GCancellable *cancellable,
		      GError **error)
{
	g_autofree gchar *path = hubd_storage_file_path(self, key, error);
	g_autoptr(HubdStorageFileStaged) staged = NULL;

	if (path == NULL)
		return NULL;
	staged = hubd_storage_file_staged_new(hubd_storage_file_get_staging(self),
					      "put-XXXXXX",
					      error);
	if (staged == NULL)
		return NULL;
	if (!hubd_storage_file_staged_copy_stream(staged, stream, length, cancellable, error))
		return NULL;
	return hubd_storage_file_staged_commit(self, staged, key, error);
}

/* Removes the now empty folders of `key`, deepest first, up to the root. */
static void
hubd_storage_file_prune(HubdStorageFile *self, const gchar *key)
{
	g_autofree gchar *folder = g_strdup(key);

	for (gchar *slash = strrchr(folder, '/'); slash != NULL; slash = strrchr(folder, '/')) {
		g_autofree gchar *path = NULL;
		*slash = '\0';
		path = g_build_filename(hubd_storage_file_get_root(self), folder, NULL);
		if (g_rmdir(path) != 0)
			break; /* not empty (or a put just filled it): stop */
	}
}

gboolean
hubd_storage_file_delete(HubdStorageFile *self, const gchar *key, GError **error)
{
	g_autofree gchar *path = hubd_storage_file_path(self, key, error);

	if (path == NULL)
		return FALSE;
	if (unlink(path) != 0) {
		gint errsv = errno;
		/* no such object (a folder is none): done, as S3 */
		if (errsv == ENOENT || errsv == ENOTDIR || errsv == EISDIR)
			return TRUE;
		hubd_storage_file_set_errno_error(error,
						  errsv,
						  g_strdup_printf(_("Cannot delete %s"), path));
		return FALSE;
	}
	hubd_storage_file_prune(self, key);
	return TRUE;
}
