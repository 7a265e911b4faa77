/* hubd-blob-writer.c: the disk side of one blob download, for HubdTransfer
 * (which reads the body on the main loop and feeds it through a ring).
 *
 * Under the blob's flock (.locks/<repo>/<etag>.lock, shared with Python, or
 * the local_dir's own lock), bytes go to the .incomplete and are moved into
 * place only once the size (and the sha256 of LFS blobs, the git blob sha1
 * of regular ones when asked) is right, so
 * nothing partial is ever visible (docs/hub-download.md §4, §5.8). The open,
 * the writes, the hashing and the completion run in worker threads; only one
 * of them touches a field at a time (the write and hash consumers of a ring
 * touch different ones), so they share the fields without locking. */
#define G_LOG_DOMAIN "HubdTransfer"

#include "hubd-blob-writer.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "hubd-error.h"
#include "hubd-hash.h"
#include "hubd-local-dir.h"
#include "hubd-segment-map.h"

/* the read size when hashing what an earlier run left */
#define PREFIX_CHUNK (512 * 1024)
/* largest write(): bigger ones make ext4 allocate large page-cache folios,
 * which cost more to fill on a VM whose free memory went back to the host */
#define WRITE_MAX (128 * 1024)

struct _HubdBlobWriter {
	GObject parent_instance;
	HubdCache *cache;
	HubdRepoType type;
	gchar *repo_id;
	gchar *etag;
	gchar *filename;
	gchar *local_dir;
	guint64 size;
	gboolean force;
	gboolean is_lfs;
	gboolean verify_git_sha1;
	gboolean local; /* local_dir target: own lock, plain rename */
	guint64 direct_min_size;
	gchar *path; /* the target */
	gchar *incomplete;
	gchar *segments;     /* the map of a parallel download, next to it */
	HubdSegmentMap *map; /* loaded by the open, for the caller to take */

	/* touched by one thread at a time: the open thread, then the write
	 * consumer (fd, truncate_next) and, in parallel, the hash consumer
	 * (sha or git_sha1), one chunk after another, then the complete
	 * thread */
	HubdCacheLock *lock;
	gint local_lock_fd;
	gint fd;
	HubdSha256 *sha;
	HubdGitSha1 *git_sha1;
	gboolean truncate_next;
	guint64 truncate_to; /* with truncate_next: where the next chunk goes */
	gboolean direct;     /* aligned chunks bypass the page cache */
	gboolean fd_direct;  /* O_DIRECT is set on fd right now */
	guint64 disk_pos;    /* where the next write lands */
	guint64 offset;      /* bytes in the .incomplete when opened */
	guint64 hashed_to;   /* parallel downloads: bytes hashed so far */
};

G_DEFINE_TYPE(HubdBlobWriter, hubd_blob_writer, G_TYPE_OBJECT)

static void
hubd_blob_writer_unlock(HubdBlobWriter *self)
{
	g_clear_pointer(&self->lock, hubd_cache_lock_release);
	if (self->local_lock_fd >= 0) {
		close(self->local_lock_fd);
		self->local_lock_fd = -1;
	}
}

void
hubd_blob_writer_release(HubdBlobWriter *self)
{
	g_return_if_fail(HUBD_IS_BLOB_WRITER(self));
	if (self->fd >= 0) {
		close(self->fd);
		self->fd = -1;
	}
	hubd_blob_writer_unlock(self);
}

static void
hubd_blob_writer_finalize(GObject *object)
{
	HubdBlobWriter *self = HUBD_BLOB_WRITER(object);

	hubd_blob_writer_release(self);
	g_clear_pointer(&self->sha, hubd_sha256_free);
	g_clear_pointer(&self->git_sha1, hubd_git_sha1_free);
	g_clear_object(&self->cache);
	g_free(self->repo_id);
	g_free(self->etag);
	g_free(self->filename);
	g_free(self->local_dir);
	g_free(self->path);
	g_free(self->incomplete);
	g_free(self->segments);
	g_clear_pointer(&self->map, hubd_segment_map_free);
	G_OBJECT_CLASS(hubd_blob_writer_parent_class)->finalize(object);
}

static void
hubd_blob_writer_class_init(HubdBlobWriterClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_blob_writer_finalize;
}

static void
hubd_blob_writer_init(HubdBlobWriter *self)
{
	self->fd = -1;
	self->local_lock_fd = -1;
}

HubdBlobWriter *
hubd_blob_writer_new(HubdCache *cache, const HubdBlobWriterSpec *spec)
{
	HubdBlobWriter *self = g_object_new(HUBD_TYPE_BLOB_WRITER, NULL);

	self->cache = g_object_ref(cache);
	self->type = spec->type;
	self->repo_id = g_strdup(spec->repo_id);
	self->etag = g_strdup(spec->etag);
	self->filename = g_strdup(spec->filename);
	self->local_dir = g_strdup(spec->local_dir);
	self->size = spec->size;
	self->force = spec->force;
	self->direct_min_size = spec->direct_min_size;
	self->is_lfs = strlen(spec->etag) == 64;
	self->verify_git_sha1 = strlen(spec->etag) == 40 && spec->verify_git_sha1;
	self->local = spec->local_dir != NULL;
	if (self->local) {
		self->path = hubd_local_dir_file_path(spec->local_dir, spec->filename);
		self->incomplete =
			hubd_local_dir_incomplete_path(spec->local_dir, spec->filename, spec->etag);
	} else {
		self->path = hubd_cache_blob_path(cache, spec->type, spec->repo_id, spec->etag);
		self->incomplete =
			hubd_cache_incomplete_path(cache, spec->type, spec->repo_id, spec->etag);
	}
	self->segments = hubd_segment_map_path(self->incomplete);
	return self;
}

const gchar *
hubd_blob_writer_get_path(HubdBlobWriter *self)
{
	g_return_val_if_fail(HUBD_IS_BLOB_WRITER(self), NULL);
	return self->path;
}

/* Local block filesystems only: on tmpfs O_DIRECT saves nothing, and on
 * network or FUSE filesystems it turns every write into a round trip. */
static gboolean
hubd_blob_writer_fs_wants_direct(gint fd)
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

/* ---- the hash of the bytes: sha256 (LFS) or git blob sha1 ---- */

/* A fresh hash for the bytes from offset 0 (none when nothing is checked). */
static void
hubd_blob_writer_hash_reset(HubdBlobWriter *self)
{
	g_clear_pointer(&self->sha, hubd_sha256_free);
	g_clear_pointer(&self->git_sha1, hubd_git_sha1_free);
	if (self->is_lfs)
		self->sha = hubd_sha256_new();
	else if (self->verify_git_sha1)
		self->git_sha1 = hubd_git_sha1_new(self->size);
}

static gboolean
hubd_blob_writer_hashes(HubdBlobWriter *self)
{
	return self->sha != NULL || self->git_sha1 != NULL;
}

static void
hubd_blob_writer_hash_update(HubdBlobWriter *self, const guint8 *data, gsize len)
{
	if (self->sha != NULL)
		hubd_sha256_update(self->sha, data, len);
	else
		hubd_git_sha1_update(self->git_sha1, data, len);
}

/* The hex digest of the bytes, or NULL when nothing is checked. */
static gchar *
hubd_blob_writer_hash_finish(HubdBlobWriter *self, const gchar **what)
{
	if (self->sha != NULL) {
		*what = "sha256";
		return hubd_sha256_finish_hex(self->sha);
	}
	if (self->git_sha1 != NULL) {
		*what = "git blob sha1";
		return hubd_git_sha1_finish_hex(self->git_sha1);
	}
	return NULL;
}

/* ---- open: lock, look, open, hash what is there ---- */

/* Turns O_DIRECT on or off for the writes that follow. */
static gboolean
hubd_blob_writer_set_direct(HubdBlobWriter *self, gboolean on)
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

/* A download that cannot fit fails before it fetches anything, not once
 * the disk is full (docs/hub-download.md §4.7; huggingface_hub only warns).
 * What is still to come is the size less what the .incomplete holds on
 * disk, a parallel download's segments included. */
static gboolean
hubd_blob_writer_check_room(HubdBlobWriter *self, GError **error)
{
	struct stat st;
	guint64 held;
	guint64 needed;
	guint64 avail = 0;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *needed_text = NULL;
	g_autofree gchar *avail_text = NULL;

	if (fstat(self->fd, &st) != 0 || !hubd_cache_free_space(self->incomplete, &avail))
		return TRUE;
	held = (guint64)st.st_blocks * 512;
	needed = self->size > held ? self->size - held : 0;
	if (needed <= avail)
		return TRUE;
	dir = g_path_get_dirname(self->incomplete);
	needed_text = g_format_size(needed);
	avail_text = g_format_size(avail);
	g_set_error(error,
		    G_IO_ERROR,
		    G_IO_ERROR_NO_SPACE,
		    _("Not enough free space in %s: the file needs %s more, %s are free"),
		    dir,
		    needed_text,
		    avail_text);
	return FALSE;
}

static void
hubd_blob_writer_open_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	HubdBlobWriter *self = HUBD_BLOB_WRITER(source);
	GError *error = NULL;
	struct stat st;
	gint flags = O_WRONLY | O_CREAT | O_CLOEXEC | (self->force ? O_TRUNC : 0);

	if (self->local) {
		self->local_lock_fd =
			hubd_local_dir_lock(self->local_dir, self->filename, c, &error);
		if (self->local_lock_fd < 0) {
			g_task_return_error(task, error);
			return;
		}
	} else {
		self->lock = hubd_cache_lock_blob(self->cache,
						  self->type,
						  self->repo_id,
						  self->etag,
						  c,
						  &error);
		if (self->lock == NULL) {
			g_task_return_error(task, error);
			return;
		}
	}
	/* someone (another process) finished the blob while we waited; a
	 * local file may be an older version: download.c decided already */
	if (!self->local && !self->force && g_file_test(self->path, G_FILE_TEST_EXISTS)) {
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
	g_clear_pointer(&self->map, hubd_segment_map_free);
	if (self->force)
		g_unlink(self->segments);
	else
		self->map = hubd_segment_map_load(self->segments, self->size);
	/* a parallel download leaves gaps: only its map knows the prefix */
	self->offset =
		self->map != NULL ? hubd_segment_map_get_prefix(self->map) : (guint64)st.st_size;
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
	if (self->map == NULL)
		g_unlink(self->segments); /* stale: does not match this blob */
	if (!hubd_blob_writer_check_room(self, &error)) {
		/* an empty .incomplete is ours; anything more is kept for later */
		if (self->offset == 0 && self->map == NULL)
			g_unlink(self->incomplete);
		g_task_return_error(task, error);
		return;
	}
	lseek(self->fd, (off_t)self->offset, SEEK_SET);
	self->disk_pos = self->offset;
	/* With [downloads] direct-io, a big blob is written around the page
	 * cache: the copy into it costs as much CPU as the sha256, and a model
	 * of many GiB would push the desktop's working set out of memory. The
	 * fd is switched per write:
	 * an unaligned head or tail goes through the cache. */
	self->fd_direct = FALSE;
	self->direct =
		self->size >= self->direct_min_size && hubd_blob_writer_fs_wants_direct(self->fd) &&
		hubd_blob_writer_set_direct(self, TRUE) && hubd_blob_writer_set_direct(self, FALSE);
	hubd_blob_writer_hash_reset(self);
	if (hubd_blob_writer_hashes(self)) {
		if (self->offset > 0) {
			/* hash what an earlier run left, so the end needs no re-read */
			g_autofree guint8 *buf = g_malloc(PREFIX_CHUNK);
			guint64 left = self->offset;
			gint rfd = g_open(self->incomplete, O_RDONLY | O_CLOEXEC, 0);

			while (rfd >= 0 && left > 0) {
				gssize n = read(rfd, buf, MIN(left, PREFIX_CHUNK));
				if (n < 0 && errno == EINTR)
					continue;
				if (n <= 0 || g_cancellable_is_cancelled(c))
					break;
				hubd_blob_writer_hash_update(self, buf, (gsize)n);
				left -= (guint64)n;
			}
			if (rfd >= 0)
				close(rfd);
			if (left > 0) {
				if (g_cancellable_set_error_if_cancelled(c, &error))
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
	self->hashed_to = self->offset;
	g_task_return_int(task, 0);
}

void
hubd_blob_writer_open_async(HubdBlobWriter *self,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_return_if_fail(HUBD_IS_BLOB_WRITER(self));
	g_task_set_source_tag(task, hubd_blob_writer_open_async);
	/* the thread's answer as it is: the caller decides what a cancel means */
	g_task_set_check_cancellable(task, FALSE);
	g_task_run_in_thread(task, hubd_blob_writer_open_thread);
}

gboolean
hubd_blob_writer_open_finish(HubdBlobWriter *self,
			     GAsyncResult *result,
			     gboolean *present,
			     guint64 *offset,
			     GError **error)
{
	gssize r;

	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	r = g_task_propagate_int(G_TASK(result), error);
	if (r < 0)
		return FALSE;
	*present = r == 1;
	*offset = self->offset;
	return TRUE;
}

/* ---- the ring's consumers ---- */

static gboolean
hubd_blob_writer_write_chunk(const guint8 *data, gsize len, gpointer user_data, GError **error)
{
	HubdBlobWriter *self = user_data;
	const guint8 *p = data;
	gsize left = len;
	gboolean direct;

	if (self->truncate_next) {
		self->truncate_next = FALSE;
		self->disk_pos = self->truncate_to;
		g_unlink(self->segments);
		if (ftruncate(self->fd, (off_t)self->truncate_to) != 0 ||
		    lseek(self->fd, (off_t)self->truncate_to, SEEK_SET) !=
			    (off_t)self->truncate_to) {
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
	direct = self->direct && self->disk_pos % HUBD_BLOB_WRITER_ALIGN == 0 &&
		 len % HUBD_BLOB_WRITER_ALIGN == 0 &&
		 GPOINTER_TO_SIZE(data) % HUBD_BLOB_WRITER_ALIGN == 0;
	if (!hubd_blob_writer_set_direct(self, direct) && direct) {
		self->direct = direct = FALSE;
		hubd_blob_writer_set_direct(self, FALSE);
	}
	while (left > 0) {
		gssize n = write(self->fd, p, direct ? left : MIN(left, WRITE_MAX));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EINVAL && direct) {
			/* the filesystem took the flag but not the write:
			 * through the page cache from now on */
			g_debug("%s: O_DIRECT refused, writing through the page cache",
				self->incomplete);
			self->direct = direct = FALSE;
			if (hubd_blob_writer_set_direct(self, FALSE))
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
			/* a full disk: give the space back now, resuming would
			 * not get further (the file goes when the fd closes) */
			if (e == ENOSPC || e == EDQUOT)
				g_unlink(self->incomplete);
			return FALSE;
		}
		p += n;
		left -= (gsize)n;
		self->disk_pos += (guint64)n;
		/* a short direct write leaves the rest unaligned */
		if (direct && (gsize)n % HUBD_BLOB_WRITER_ALIGN != 0) {
			direct = FALSE;
			hubd_blob_writer_set_direct(self, FALSE);
		}
	}
	return TRUE;
}

static gboolean
hubd_blob_writer_hash_chunk(const guint8 *data, gsize len, gpointer user_data, GError **error)
{
	HubdBlobWriter *self = user_data;

	hubd_blob_writer_hash_update(self, data, len);
	return TRUE;
}

void
hubd_blob_writer_restart(HubdBlobWriter *self)
{
	g_return_if_fail(HUBD_IS_BLOB_WRITER(self));
	self->truncate_next = TRUE;
	self->truncate_to = 0;
}

void
hubd_blob_writer_continue_at(HubdBlobWriter *self, guint64 pos)
{
	g_return_if_fail(HUBD_IS_BLOB_WRITER(self));
	g_return_if_fail(pos > 0 && pos <= self->hashed_to);
	self->truncate_next = TRUE;
	self->truncate_to = pos;
}

void
hubd_blob_writer_attach(HubdBlobWriter *self, HubdRing *ring)
{
	g_return_if_fail(HUBD_IS_BLOB_WRITER(self));
	if (self->truncate_next && self->truncate_to == 0) {
		/* nothing is in flight: the hash starts again with the file */
		hubd_blob_writer_hash_reset(self);
	}
	hubd_ring_add_consumer(ring, hubd_blob_writer_write_chunk, self);
	if (hubd_blob_writer_hashes(self))
		hubd_ring_add_consumer(ring, hubd_blob_writer_hash_chunk, self);
}

void
hubd_blob_writer_discard(HubdBlobWriter *self)
{
	g_return_if_fail(HUBD_IS_BLOB_WRITER(self));
	g_unlink(self->incomplete);
	g_unlink(self->segments);
}

/* ---- complete: check, move into place, unlock ---- */

static void
hubd_blob_writer_complete_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	HubdBlobWriter *self = HUBD_BLOB_WRITER(source);
	GError *error = NULL;
	const gchar *what = NULL;
	g_autofree gchar *hex = NULL;

	if (self->fd >= 0) {
		close(self->fd);
		self->fd = -1;
	}
	hex = hubd_blob_writer_hash_finish(self, &what);
	g_clear_pointer(&self->sha, hubd_sha256_free);
	g_clear_pointer(&self->git_sha1, hubd_git_sha1_free);
	g_unlink(self->segments);
	if (hex != NULL && g_strcmp0(hex, self->etag) != 0) {
		g_unlink(self->incomplete);
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					/* TRANSLATORS: the second %s is "sha256" or
					 * "git blob sha1" */
					_("The bytes received for “%s” do not match their "
					  "%s (expected %s, got %s); the download was "
					  "discarded"),
					self->filename,
					what,
					self->etag,
					hex);
		return;
	}
	if (self->local && g_rename(self->incomplete, self->path) != 0) {
		gint e = errno;
		g_task_return_new_error(task,
					G_IO_ERROR,
					g_io_error_from_errno(e),
					_("Cannot move the download into %s: %s"),
					self->path,
					g_strerror(e));
		return;
	}
	if (!self->local && !hubd_cache_move_into_place(self->incomplete, self->path, &error)) {
		g_task_return_error(task, error);
		return;
	}
	hubd_blob_writer_unlock(self);
	g_task_return_boolean(task, TRUE);
}

void
hubd_blob_writer_complete_async(HubdBlobWriter *self,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_return_if_fail(HUBD_IS_BLOB_WRITER(self));
	g_task_set_source_tag(task, hubd_blob_writer_complete_async);
	g_task_run_in_thread(task, hubd_blob_writer_complete_thread);
}

gboolean
hubd_blob_writer_complete_finish(HubdBlobWriter *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- parallel downloads: writes at any offset, the hash catches up ---- */

HubdSegmentMap *
hubd_blob_writer_steal_segments(HubdBlobWriter *self)
{
	g_return_val_if_fail(HUBD_IS_BLOB_WRITER(self), NULL);
	return g_steal_pointer(&self->map);
}

const gchar *
hubd_blob_writer_get_segments_path(HubdBlobWriter *self)
{
	g_return_val_if_fail(HUBD_IS_BLOB_WRITER(self), NULL);
	return self->segments;
}

gboolean
hubd_blob_writer_pwrite(HubdBlobWriter *self,
			guint64 pos,
			const guint8 *data,
			gsize len,
			GError **error)
{
	while (len > 0) {
		gssize n = pwrite(self->fd, data, MIN(len, WRITE_MAX), (off_t)pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			gint e = n < 0 ? errno : EIO;
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(e),
				    _("Cannot write %s: %s"),
				    self->incomplete,
				    g_strerror(e));
			return FALSE;
		}
		data += n;
		len -= (gsize)n;
		pos += (guint64)n;
	}
	return TRUE;
}

gboolean
hubd_blob_writer_hash_to(HubdBlobWriter *self, guint64 end, GCancellable *c, GError **error)
{
	g_autofree guint8 *buf = NULL;
	gint rfd;

	if (!hubd_blob_writer_hashes(self) || end <= self->hashed_to) {
		self->hashed_to = MAX(self->hashed_to, end);
		return TRUE;
	}
	/* the bytes were just written: they come back from the page cache */
	rfd = g_open(self->incomplete, O_RDONLY | O_CLOEXEC, 0);
	if (rfd < 0) {
		gint e = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(e),
			    _("Cannot read %s: %s"),
			    self->incomplete,
			    g_strerror(e));
		return FALSE;
	}
	buf = g_malloc(PREFIX_CHUNK);
	while (self->hashed_to < end) {
		gssize n = pread(rfd,
				 buf,
				 (gsize)MIN(end - self->hashed_to, PREFIX_CHUNK),
				 (off_t)self->hashed_to);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || g_cancellable_set_error_if_cancelled(c, error)) {
			close(rfd);
			if (n <= 0)
				g_set_error(error,
					    G_IO_ERROR,
					    G_IO_ERROR_FAILED,
					    _("Cannot read %s"),
					    self->incomplete);
			return FALSE;
		}
		hubd_blob_writer_hash_update(self, buf, (gsize)n);
		self->hashed_to += (guint64)n;
	}
	close(rfd);
	return TRUE;
}
