/* hubd-transfer-disk.c: the worker-thread half of HubdTransfer — the flock,
 * the .incomplete (opened, resumed, hashed, written, truncated), the sha256
 * check and the move into place. Only one of these runs at a time for a
 * transfer, so they share its fields without locking. */
#define G_LOG_DOMAIN "HubdTransfer"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "hubd-error.h"
#include "hubd-local-dir.h"
#include "hubd-transfer-private.h"

void
hubd_transfer_unlock(HubdTransfer *self)
{
	g_clear_pointer(&self->lock, hubd_cache_lock_release);
	if (self->local_lock_fd >= 0) {
		close(self->local_lock_fd);
		self->local_lock_fd = -1;
	}
}

/* Local block filesystems only: on tmpfs O_DIRECT saves nothing, and on
 * network or FUSE filesystems it turns every write into a round trip. */
static gboolean
hubd_transfer_fs_wants_direct(gint fd)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs) != 0)
		return FALSE;
	switch ((gulong)sfs.f_type) {
	case EXT4_SUPER_MAGIC: /* also ext2 and ext3 */
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case F2FS_SUPER_MAGIC:
		return TRUE;
	default:
		return FALSE;
	}
}

/* Turns O_DIRECT on or off for the writes that follow. */
static gboolean
hubd_transfer_set_direct(HubdTransfer *self, gboolean on)
{
	gint fl;

	if (self->fd_direct == on)
		return TRUE;
	fl = fcntl(self->fd, F_GETFL);
	if (fl < 0 || fcntl(self->fd, F_SETFL, on ? fl | O_DIRECT : fl & ~O_DIRECT) != 0)
		return FALSE;
	self->fd_direct = on;
	return TRUE;
}

void
hubd_transfer_prepare_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	HubdTransfer *self = HUBD_TRANSFER(source);
	GError *error = NULL;
	struct stat st;
	gint flags = O_WRONLY | O_CREAT | O_CLOEXEC | (self->force ? O_TRUNC : 0);

	if (self->local) {
		self->local_lock_fd = hubd_local_dir_lock(self->local_dir,
							  self->filename,
							  self->cancellable,
							  &error);
		if (self->local_lock_fd < 0) {
			g_task_return_error(task, error);
			return;
		}
	} else {
		self->lock = hubd_cache_lock_blob(self->cache,
						  self->type,
						  self->repo_id,
						  self->etag,
						  self->cancellable,
						  &error);
		if (self->lock == NULL) {
			g_task_return_error(task, error);
			return;
		}
	}
	/* someone (another process) finished the blob while we waited; a
	 * local file may be an older version: download.c decided already */
	if (!self->local && !self->force && g_file_test(self->key, G_FILE_TEST_EXISTS)) {
		g_task_return_int(task, 1);
		return;
	}
	self->fd = g_open(self->incomplete, flags, 0666);
	if (self->fd < 0 || fstat(self->fd, &st) != 0) {
		gint e = errno;
		g_task_return_new_error(task,
					G_IO_ERROR,
					g_io_error_from_errno(e),
					_("Cannot open %s: %s"),
					self->incomplete,
					g_strerror(e));
		return;
	}
	self->offset = (guint64)st.st_size;
	if (self->offset > self->size) {
		if (ftruncate(self->fd, 0) != 0) {
			gint e = errno;
			g_task_return_new_error(task,
						G_IO_ERROR,
						g_io_error_from_errno(e),
						_("Cannot truncate %s: %s"),
						self->incomplete,
						g_strerror(e));
			return;
		}
		self->offset = 0;
	}
	lseek(self->fd, (off_t)self->offset, SEEK_SET);
	self->disk_pos = self->offset;
	/* A big blob is written around the page cache: the copy into it costs
	 * as much CPU as the sha256, and a model of many GiB would push the
	 * desktop's working set out of memory. The fd is switched per write:
	 * an unaligned head or tail goes through the cache. */
	self->fd_direct = FALSE;
	self->direct =
		self->size >= self->direct_min_size && hubd_transfer_fs_wants_direct(self->fd) &&
		hubd_transfer_set_direct(self, TRUE) && hubd_transfer_set_direct(self, FALSE);
	if (self->is_lfs) {
		self->sha = hubd_sha256_new();
		if (self->offset > 0) {
			/* hash what an earlier run left, so the end needs no re-read */
			g_autofree guint8 *buf = g_malloc(HUBD_TRANSFER_CHUNK);
			guint64 left = self->offset;
			gint rfd = g_open(self->incomplete, O_RDONLY | O_CLOEXEC, 0);

			while (rfd >= 0 && left > 0) {
				gssize n = read(rfd, buf, MIN(left, HUBD_TRANSFER_CHUNK));
				if (n < 0 && errno == EINTR)
					continue;
				if (n <= 0 || g_cancellable_is_cancelled(self->cancellable))
					break;
				hubd_sha256_update(self->sha, buf, (gsize)n);
				left -= (guint64)n;
			}
			if (rfd >= 0)
				close(rfd);
			if (left > 0) {
				if (g_cancellable_set_error_if_cancelled(self->cancellable, &error))
					g_task_return_error(task, error);
				else
					g_task_return_new_error(task,
								G_IO_ERROR,
								G_IO_ERROR_FAILED,
								_("Cannot read %s"),
								self->incomplete);
				return;
			}
		}
	}
	g_task_return_int(task, 0);
}

gboolean
hubd_transfer_write_chunk(const guint8 *data, gsize len, gpointer user_data, GError **error)
{
	HubdTransfer *self = HUBD_TRANSFER(user_data);
	const guint8 *p = data;
	gsize left = len;
	gboolean direct;

	if (self->truncate_next) {
		self->truncate_next = FALSE;
		self->disk_pos = 0;
		if (ftruncate(self->fd, 0) != 0 || lseek(self->fd, 0, SEEK_SET) != 0) {
			gint e = errno;
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(e),
				    _("Cannot truncate %s: %s"),
				    self->incomplete,
				    g_strerror(e));
			return FALSE;
		}
	}
	direct = self->direct && self->disk_pos % HUBD_TRANSFER_DIO_ALIGN == 0 &&
		 len % HUBD_TRANSFER_DIO_ALIGN == 0 &&
		 GPOINTER_TO_SIZE(data) % HUBD_TRANSFER_DIO_ALIGN == 0;
	if (!hubd_transfer_set_direct(self, direct) && direct) {
		self->direct = direct = FALSE;
		hubd_transfer_set_direct(self, FALSE);
	}
	while (left > 0) {
		gssize n = write(self->fd, p, direct ? left : MIN(left, HUBD_TRANSFER_WRITE_MAX));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EINVAL && direct) {
			/* the filesystem took the flag but not the write:
			 * through the page cache from now on */
			g_debug("%s: O_DIRECT refused, writing through the page cache",
				self->incomplete);
			self->direct = direct = FALSE;
			if (hubd_transfer_set_direct(self, FALSE))
				continue;
		}
		if (n < 0) {
			gint e = errno;
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(e),
				    _("Cannot write %s: %s"),
				    self->incomplete,
				    g_strerror(e));
			return FALSE;
		}
		p += n;
		left -= (gsize)n;
		self->disk_pos += (guint64)n;
		/* a short direct write leaves the rest unaligned */
		if (direct && (gsize)n % HUBD_TRANSFER_DIO_ALIGN != 0) {
			direct = FALSE;
			hubd_transfer_set_direct(self, FALSE);
		}
	}
	return TRUE;
}

gboolean
hubd_transfer_hash_chunk(const guint8 *data, gsize len, gpointer user_data, GError **error)
{
	HubdTransfer *self = HUBD_TRANSFER(user_data);

	hubd_sha256_update(self->sha, data, len);
	return TRUE;
}

void
hubd_transfer_finalize_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	HubdTransfer *self = HUBD_TRANSFER(source);
	GError *error = NULL;

	if (self->fd >= 0) {
		close(self->fd);
		self->fd = -1;
	}
	if (self->is_lfs) {
		g_autofree gchar *hex = hubd_sha256_finish_hex(self->sha);
		if (g_strcmp0(hex, self->etag) != 0) {
			g_unlink(self->incomplete);
			g_task_return_new_error(task,
						HUBD_ERROR,
						HUBD_ERROR_SERVER,
						_("The bytes received for “%s” do not match their "
						  "sha256 (expected %s, got %s); the download was "
						  "discarded"),
						self->filename,
						self->etag,
						hex);
			return;
		}
	}
	if (self->local && g_rename(self->incomplete, self->key) != 0) {
		gint e = errno;
		g_task_return_new_error(task,
					G_IO_ERROR,
					g_io_error_from_errno(e),
					_("Cannot move the download into %s: %s"),
					self->key,
					g_strerror(e));
		return;
	}
	if (!self->local && !hubd_cache_move_into_place(self->incomplete, self->key, &error)) {
		g_task_return_error(task, error);
		return;
	}
	hubd_transfer_unlock(self);
	g_task_return_boolean(task, TRUE);
}
