/* hubd-storage-file-multipart.c: the file backend's multipart puts */
#define G_LOG_DOMAIN "HubdStorageFile"

#include "hubd-storage-file-multipart.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "hubd-error.h"
#include "hubd-storage-file-etag.h"
#include "hubd-storage-file-io.h"
#include "hubd-storage-file-write.h"

#define UPLOAD_ID_LENGTH 32

/* ---- multipart: parts in ROOT/.hubd-storage/uploads/ID/, joined by complete ---- */

static gchar *
hubd_storage_file_upload_path(HubdStorageFile *self, const gchar *upload_id)
{
	return g_build_filename(hubd_storage_file_get_uploads(self), upload_id, NULL);
}

static void
set_no_upload(HubdStorageFile *self, const gchar *key, const gchar *upload_id, GError **error)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_ENTRY_NOT_FOUND,
		    _("There is no multipart upload “%s” of “%s” in the storage backend “%s” "
		      "(it was completed or aborted)"),
		    upload_id,
		    key,
		    hubd_storage_file_get_name(self));
}

/* The upload's folder, when `upload_id` is an upload of `key`. */
static gchar *
hubd_storage_file_upload_check(HubdStorageFile *self,
			       const gchar *key,
			       const gchar *upload_id,
			       GError **error)
{
	g_autofree gchar *folder = NULL;
	g_autofree gchar *key_file = NULL;
	g_autofree gchar *stored_key = NULL;
	gboolean hex = strlen(upload_id) == UPLOAD_ID_LENGTH;

	/* the id names a folder: only ids this backend made */
	for (const gchar *p = upload_id; hex && *p != '\0'; p++)
		hex = g_ascii_isxdigit(*p) && !g_ascii_isupper(*p);
	if (!hex) {
		set_no_upload(self, key, upload_id, error);
		return NULL;
	}
	folder = hubd_storage_file_upload_path(self, upload_id);
	key_file = g_build_filename(folder, "key", NULL);
	if (!g_file_get_contents(key_file, &stored_key, NULL, NULL) ||
	    g_strcmp0(stored_key, key) != 0) {
		set_no_upload(self, key, upload_id, error);
		return NULL;
	}
	return g_steal_pointer(&folder);
}

gchar *
hubd_storage_file_multipart_begin(HubdStorageFile *self, const gchar *key, GError **error)
{
	g_autofree gchar *path = hubd_storage_file_path(self, key, error);
	g_autofree gchar *uuid = NULL;
	g_autofree gchar *folder = NULL;
	g_autofree gchar *key_file = NULL;
	g_auto(GStrv) pieces = NULL;

	if (path == NULL)
		return NULL;
	uuid = g_uuid_string_random();
	pieces = g_strsplit(uuid, "-", -1);
	g_clear_pointer(&uuid, g_free);
	uuid = g_strjoinv(NULL, pieces);
	folder = hubd_storage_file_upload_path(self, uuid);
	if (g_mkdir(folder, 0777) != 0) {
		gint errsv = errno;
		hubd_storage_file_set_errno_error(
			error,
			errsv,
			g_strdup_printf(_("Cannot create the folder %s"), folder));
		return NULL;
	}
	key_file = g_build_filename(folder, "key", NULL);
	if (!g_file_set_contents(key_file, key, -1, error)) {
		hubd_storage_file_remove_tree(folder);
		return NULL;
	}
	return g_steal_pointer(&uuid);
}

static gchar *
part_file_name(guint number)
{
	return g_strdup_printf("part-%05u", number);
}

HubdStoragePart *
hubd_storage_file_multipart_put_part(HubdStorageFile *self,
				     const gchar *key,
				     const gchar *upload_id,
				     guint number,
				     GInputStream *stream,
				     gint64 length,
				     GCancellable *cancellable,
				     GError **error)
{
	g_autofree gchar *folder = hubd_storage_file_upload_check(self, key, upload_id, error);
	g_autofree gchar *name = NULL;
	g_autofree gchar *template = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(HubdStorageFileStaged) staged = NULL;
	g_autoptr(GError) error_local = NULL;
	gchar hex[SHA256_DIGEST_SIZE * 2 + 1];
	struct stat st;

	if (folder == NULL)
		return NULL;
	name = part_file_name(number);
	template = g_strconcat(name, ".XXXXXX", NULL);
	staged = hubd_storage_file_staged_new(folder, template, &error_local);
	if (staged == NULL) {
		/* aborted meanwhile */
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
			set_no_upload(self, key, upload_id, error);
			return NULL;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	if (!hubd_storage_file_staged_copy_stream(staged, stream, length, cancellable, error) ||
	    !hubd_storage_file_staged_seal(self, staged, hex, &st, error))
		return NULL;
	path = g_build_filename(folder, name, NULL);
	if (!hubd_storage_file_staged_rename(staged, path)) {
		gint errsv = errno;
		if (errsv == ENOENT)
			set_no_upload(self, key, upload_id, error);
		else
			hubd_storage_file_set_errno_error(
				error,
				errsv,
				g_strdup_printf(_("Cannot write %s"), path));
		return NULL;
	}
	return hubd_storage_part_new(number, hex);
}

/* Removes an upload's folder: renamed out of uploads/ first, so a part being
 * put meanwhile fails to land instead of landing in a half-removed folder. */
static gboolean
hubd_storage_file_upload_remove(HubdStorageFile *self, const gchar *folder, const gchar *upload_id)
{
	g_autofree gchar *name = g_strconcat("removed-", upload_id, NULL);
	g_autofree gchar *trash = g_build_filename(hubd_storage_file_get_staging(self), name, NULL);

	if (rename(folder, trash) != 0)
		return FALSE;
	hubd_storage_file_remove_tree(trash);
	return TRUE;
}

/* Opens one part complete joins, checking it is there, matches its tag and
 * (unless the last) is long enough: its fd, or -1. */
static gint
hubd_storage_file_open_part(HubdStorageFile *self,
			    const gchar *key,
			    const gchar *folder,
			    HubdStoragePart *part,
			    gboolean is_last,
			    GCancellable *cancellable,
			    GError **error)
{
	guint number = hubd_storage_part_get_number(part);
	g_autofree gchar *name = part_file_name(number);
	g_autofree gchar *path = g_build_filename(folder, name, NULL);
	g_autofree gchar *etag = NULL;
	struct stat st;
	gint fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			g_close(fd, NULL);
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Part %u of the multipart upload of “%s” was never put"),
			    number,
			    key);
		return -1;
	}
	etag = hubd_storage_file_etag_of(fd, &st, path, cancellable, error);
	if (etag == NULL) {
		g_close(fd, NULL);
		return -1;
	}
	if (g_strcmp0(etag, hubd_storage_part_get_etag(part)) != 0) {
		g_close(fd, NULL);
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Part %u of the multipart upload of “%s” has the entity tag %s, not "
			      "%s: it was put again since"),
			    number,
			    key,
			    etag,
			    hubd_storage_part_get_etag(part));
		return -1;
	}
	if (!is_last && st.st_size < HUBD_STORAGE_MIN_PART_SIZE) {
		g_close(fd, NULL);
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Part %u of the multipart upload of “%s” is %" G_GINT64_FORMAT
			      " bytes long; every part but the last must be at least 5 MiB"),
			    number,
			    key,
			    (gint64)st.st_size);
		return -1;
	}
	return fd;
}

HubdStorageObject *
hubd_storage_file_multipart_complete(HubdStorageFile *self,
				     const gchar *key,
				     const gchar *upload_id,
				     GPtrArray *parts,
				     GCancellable *cancellable,
				     GError **error)
{
	g_autofree gchar *folder = hubd_storage_file_upload_check(self, key, upload_id, error);
	g_autoptr(HubdStorageFileStaged) staged = NULL;
	HubdStorageObject *object;

	if (folder == NULL)
		return NULL;
	staged = hubd_storage_file_staged_new(hubd_storage_file_get_staging(self),
					      "complete-XXXXXX",
					      error);
	if (staged == NULL)
		return NULL;
	/* one part open at a time: 10,000 parts must not need 10,000 fds */
	for (guint i = 0; i < parts->len; i++) {
		gboolean ok;
		gint fd = hubd_storage_file_open_part(self,
						      key,
						      folder,
						      g_ptr_array_index(parts, i),
						      i + 1 == parts->len,
						      cancellable,
						      error);
		if (fd < 0)
			return NULL;
		ok = hubd_storage_file_staged_copy_fd(staged, fd, cancellable, error);
		g_close(fd, NULL);
		if (!ok)
			return NULL;
	}
	object = hubd_storage_file_staged_commit(self, staged, key, error);
	if (object != NULL)
		(void)hubd_storage_file_upload_remove(self, folder, upload_id);
	return object;
}

gboolean
hubd_storage_file_multipart_abort(HubdStorageFile *self,
				  const gchar *key,
				  const gchar *upload_id,
				  GError **error)
{
	g_autofree gchar *folder = hubd_storage_file_upload_check(self, key, upload_id, error);

	if (folder == NULL)
		return FALSE;
	if (!hubd_storage_file_upload_remove(self, folder, upload_id)) {
		/* a concurrent abort or complete won */
		set_no_upload(self, key, upload_id, error);
		return FALSE;
	}
	return TRUE;
}
