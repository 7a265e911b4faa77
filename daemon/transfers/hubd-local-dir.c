/* hubd-local-dir.c: huggingface_hub's local_dir mode — real files plus
 * .cache/huggingface/download/<path>.metadata (docs/hub-download.md §8) */
#define G_LOG_DOMAIN "HubdLocalDir"

#include "hubd-local-dir.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubd-error.h"

#define CACHEDIR_TAG                                                         \
	"Signature: 8a477f597d28d172789f06886806bc55\n"                      \
	"# This file is a cache directory tag created by huggingface_hub.\n" \
	"# For information about cache directory tags, see:\n"               \
	"#\thttps://bford.info/cachedir/\n"

gchar *
hubd_local_dir_file_path(const gchar *local_dir, const gchar *filename)
{
	return g_build_filename(local_dir, filename, NULL);
}

static gchar *
hubd_local_dir_metadata_path(const gchar *local_dir, const gchar *filename)
{
	g_autofree gchar *name = g_strconcat(filename, ".metadata", NULL);

	return g_build_filename(local_dir, ".cache", "huggingface", "download", name, NULL);
}

gboolean
hubd_local_dir_is_current(const gchar *local_dir,
			  const gchar *filename,
			  const gchar *etag,
			  gchar **commit_out)
{
	g_autofree gchar *path = hubd_local_dir_file_path(local_dir, filename);
	g_autofree gchar *meta = hubd_local_dir_metadata_path(local_dir, filename);
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;
	struct stat st;

	if (g_stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return FALSE;
	if (!g_file_get_contents(meta, &text, NULL, NULL))
		return FALSE;
	lines = g_strsplit(text, "\n", 4);
	if (g_strv_length(lines) < 3)
		return FALSE;
	if (etag != NULL && g_strcmp0(lines[1], etag) != 0)
		return FALSE;
	/* a file edited after the metadata was written is not ours any more */
	if ((gdouble)st.st_mtime - 1.0 > g_ascii_strtod(lines[2], NULL))
		return FALSE;
	if (commit_out != NULL)
		*commit_out = g_strdup(lines[0]);
	return TRUE;
}

static gboolean
hubd_local_dir_ensure_meta_dir(const gchar *local_dir, GError **error)
{
	g_autofree gchar *dir = g_build_filename(local_dir, ".cache", "huggingface", NULL);
	g_autofree gchar *ignore = g_build_filename(dir, ".gitignore", NULL);
	g_autofree gchar *tag = g_build_filename(dir, "CACHEDIR.TAG", NULL);

	if (g_mkdir_with_parents(dir, 0755) != 0) {
		gint e = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(e),
			    _("Cannot create %s: %s"),
			    dir,
			    g_strerror(e));
		return FALSE;
	}
	if (!g_file_test(ignore, G_FILE_TEST_EXISTS) &&
	    !g_file_set_contents(ignore, "*", -1, error))
		return FALSE;
	if (!g_file_test(tag, G_FILE_TEST_EXISTS) &&
	    !g_file_set_contents(tag, CACHEDIR_TAG, -1, error))
		return FALSE;
	return TRUE;
}

gchar *
hubd_local_dir_incomplete_path(const gchar *local_dir, const gchar *filename, const gchar *etag)
{
	g_autofree gchar *meta = hubd_local_dir_metadata_path(local_dir, filename);
	g_autofree gchar *dir = g_path_get_dirname(meta);
	g_autofree gchar *base = g_path_get_basename(meta);
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA1);
	guint8 digest[20];
	gsize len = sizeof(digest);
	g_autofree gchar *b64 = NULL;
	g_autofree gchar *name = NULL;

	g_checksum_update(sum, (const guchar *)base, -1);
	g_checksum_get_digest(sum, digest, &len);
	b64 = g_base64_encode(digest, len);
	g_strdelimit(b64, "+", '-');
	g_strdelimit(b64, "/", '_');
	name = g_strdup_printf("%s.%s.incomplete", b64, etag);
	return g_build_filename(dir, name, NULL);
}

gint
hubd_local_dir_lock(const gchar *local_dir,
		    const gchar *filename,
		    GCancellable *cancellable,
		    GError **error)
{
	g_autofree gchar *path = hubd_local_dir_file_path(local_dir, filename);
	g_autofree gchar *meta = hubd_local_dir_metadata_path(local_dir, filename);
	g_autofree gchar *parent = g_path_get_dirname(path);
	g_autofree gchar *meta_parent = g_path_get_dirname(meta);
	g_autofree gchar *stem = g_strndup(meta, strlen(meta) - strlen(".metadata"));
	g_autofree gchar *lock = g_strconcat(stem, ".lock", NULL);
	gint fd;

	if (!hubd_local_dir_ensure_meta_dir(local_dir, error))
		return -1;
	if (g_mkdir_with_parents(parent, 0755) != 0 ||
	    g_mkdir_with_parents(meta_parent, 0755) != 0 ||
	    (fd = g_open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0664)) < 0) {
		gint e = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(e),
			    _("Cannot prepare the download of %s: %s"),
			    path,
			    g_strerror(e));
		return -1;
	}
	/* polled, so that a cancel is noticed while another process holds it */
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			gint e = errno;
			close(fd);
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(e),
				    _("Cannot lock %s: %s"),
				    lock,
				    g_strerror(e));
			return -1;
		}
		if (g_cancellable_set_error_if_cancelled(cancellable, error)) {
			close(fd);
			return -1;
		}
		g_usleep(50 * 1000);
	}
	return fd;
}

gboolean
hubd_local_dir_install(const gchar *local_dir,
		       const gchar *filename,
		       const gchar *blob_path,
		       const gchar *commit,
		       const gchar *etag,
		       GCancellable *cancellable,
		       GError **error)
{
	g_autofree gchar *path = hubd_local_dir_file_path(local_dir, filename);
	g_autofree gchar *meta = hubd_local_dir_metadata_path(local_dir, filename);
	g_autofree gchar *parent = g_path_get_dirname(path);
	g_autofree gchar *meta_parent = g_path_get_dirname(meta);
	g_autofree gchar *base = g_path_get_basename(filename);
	g_autofree gchar *tmp_name = g_strdup_printf("%s.%s.incomplete", base, etag);
	g_autofree gchar *tmp = g_build_filename(meta_parent, tmp_name, NULL);
	g_autofree gchar *text = NULL;
	g_autoptr(GFile) src = g_file_new_for_path(blob_path != NULL ? blob_path : path);
	g_autoptr(GFile) dst = g_file_new_for_path(tmp);
	gchar stamp[G_ASCII_DTOSTR_BUF_SIZE];

	if (!hubd_local_dir_ensure_meta_dir(local_dir, error))
		return FALSE;
	if (blob_path == NULL)
		goto metadata;
	if (g_mkdir_with_parents(parent, 0755) != 0 ||
	    g_mkdir_with_parents(meta_parent, 0755) != 0) {
		gint e = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(e),
			    _("Cannot create the folder of %s: %s"),
			    path,
			    g_strerror(e));
		return FALSE;
	}
	/* never follow a symlink an attacker left at the temporary name */
	g_unlink(tmp);
	if (!g_file_copy(src,
			 dst,
			 G_FILE_COPY_OVERWRITE | G_FILE_COPY_NOFOLLOW_SYMLINKS,
			 cancellable,
			 NULL,
			 NULL,
			 error))
		return FALSE;
	if (g_rename(tmp, path) != 0) {
		gint e = errno;
		g_unlink(tmp);
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(e),
			    _("Cannot move the download into %s: %s"),
			    path,
			    g_strerror(e));
		return FALSE;
	}
metadata:
	g_ascii_formatd(stamp, sizeof(stamp), "%.6f", (gdouble)g_get_real_time() / G_USEC_PER_SEC);
	text = g_strdup_printf("%s\n%s\n%s\n", commit, etag, stamp);
	return g_file_set_contents(meta, text, -1, error);
}
