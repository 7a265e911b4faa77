/* hubd-hash.c: SHA-256 and git blob SHA-1 of local files, one read per file */
#define G_LOG_DOMAIN "HubdHash"

#include "hubd-hash.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubd-error.h"
#include "hubd-sha256-blocks.h"

/* Big enough that syscalls cost nothing next to hashing, small enough to
 * stay in L2 and give progress and cancellation a fine grain. */
#define HUBD_HASH_CHUNK (1024 * 1024)

struct _HubdSha256 {
	struct sha256_ctx ctx;
};

struct _HubdGitSha1 {
	struct sha1_ctx ctx;
};

static void
hubd_hash_to_hex(const guint8 *digest, gsize len, gchar *out)
{
	static const gchar hex[] = "0123456789abcdef";

	for (gsize i = 0; i < len; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 0xf];
	}
	out[2 * len] = '\0';
}

HubdSha256 *
hubd_sha256_new(void)
{
	HubdSha256 *self = g_new0(HubdSha256, 1);

	sha256_init(&self->ctx);
	return self;
}

void
hubd_sha256_update(HubdSha256 *self, const void *data, gsize len)
{
	g_return_if_fail(self != NULL);
	hubd_sha256_blocks_update(&self->ctx, len, data);
}

gchar *
hubd_sha256_finish_hex(HubdSha256 *self)
{
	guint8 digest[SHA256_DIGEST_SIZE];
	gchar *hex = g_malloc(2 * SHA256_DIGEST_SIZE + 1);

	/* nettle's digest functions re-initialise the context */
	sha256_digest(&self->ctx, SHA256_DIGEST_SIZE, digest);
	hubd_hash_to_hex(digest, sizeof(digest), hex);
	return hex;
}

void
hubd_sha256_free(HubdSha256 *self)
{
	g_free(self);
}

HubdGitSha1 *
hubd_git_sha1_new(guint64 size)
{
	HubdGitSha1 *self = g_new0(HubdGitSha1, 1);
	g_autofree gchar *header = g_strdup_printf("blob %" G_GUINT64_FORMAT, size);

	sha1_init(&self->ctx);
	/* "blob <size>" and its terminating NUL */
	sha1_update(&self->ctx, strlen(header) + 1, (const guint8 *)header);
	return self;
}

void
hubd_git_sha1_update(HubdGitSha1 *self, const void *data, gsize len)
{
	g_return_if_fail(self != NULL);
	sha1_update(&self->ctx, len, data);
}

gchar *
hubd_git_sha1_finish_hex(HubdGitSha1 *self)
{
	guint8 digest[SHA1_DIGEST_SIZE];
	gchar *hex = g_malloc(2 * SHA1_DIGEST_SIZE + 1);

	sha1_digest(&self->ctx, SHA1_DIGEST_SIZE, digest);
	hubd_hash_to_hex(digest, sizeof(digest), hex);
	return hex;
}

void
hubd_git_sha1_free(HubdGitSha1 *self)
{
	g_free(self);
}

static gboolean
hubd_hash_set_errno_error(GError **error, const gchar *path, gint errsv)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    /* TRANSLATORS: the first %s is a file path, the second the system's reason */
		    _("Cannot read “%s”: %s"),
		    path,
		    g_strerror(errsv));
	return FALSE;
}

static gboolean
hubd_hash_set_changed_error(GError **error, const gchar *path)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("“%s” changed size while it was being read; try again once nothing "
		      "writes to it"),
		    path);
	return FALSE;
}

static gboolean
hubd_hash_check_cancelled(GCancellable *cancellable, GError **error)
{
	if (!g_cancellable_is_cancelled(cancellable))
		return TRUE;
	g_set_error_literal(error, HUBD_ERROR, HUBD_ERROR_CANCELLED, _("Cancelled"));
	return FALSE;
}

/* reads up to `count` bytes; 0 only at the end; -1 with `error` set */
typedef gssize (*HubdHashReadFunc)(gpointer reader,
				   guint8 *buf,
				   gsize count,
				   GCancellable *cancellable,
				   GError **error);

/* The one hashing loop, over whatever reads the bytes: `size` is what the
 * reader must give exactly (more or less is "changed"). */
static gboolean
hubd_hash_read(HubdHashReadFunc read_fn,
	       gpointer reader,
	       const gchar *name,
	       guint64 size,
	       HubdHashFlags flags,
	       HubdHashProgressFunc progress,
	       gpointer progress_data,
	       GCancellable *cancellable,
	       HubdFileHash *out,
	       GError **error)
{
	struct sha256_ctx sha256;
	g_autoptr(HubdGitSha1) git_sha1 = NULL;
	g_autofree guint8 *buf = NULL;
	guint64 total = 0;
	gsize buf_size;

	sha256_init(&sha256);
	/* git hashes the header with the size first, so the size must not move */
	if (flags & HUBD_HASH_GIT_SHA1)
		git_sha1 = hubd_git_sha1_new(size);

	/* small files (most of a repo) get a small buffer; one byte more than
	 * the size lets a file that grew show up in the first read */
	buf_size = (gsize)MIN((guint64)HUBD_HASH_CHUNK, size + 1);
	buf = g_malloc(buf_size);
	for (;;) {
		gsize filled = 0;

		if (!hubd_hash_check_cancelled(cancellable, error))
			return FALSE;
		/* fill the whole buffer: short reads only mean end-of-file here */
		while (filled < buf_size) {
			gssize n = read_fn(reader,
					   buf + filled,
					   buf_size - filled,
					   cancellable,
					   error);
			if (n < 0)
				return FALSE;
			if (n == 0)
				break;
			filled += (gsize)n;
		}
		if (filled == 0)
			break;
		if (total + filled > size)
			return hubd_hash_set_changed_error(error, name);
		if (total < sizeof(out->sample)) {
			gsize take = MIN(filled, sizeof(out->sample) - (gsize)total);
			memcpy(out->sample + total, buf, take);
			out->sample_len += take;
		}
		if (flags & HUBD_HASH_SHA256)
			hubd_sha256_blocks_update(&sha256, filled, buf);
		if (git_sha1 != NULL)
			hubd_git_sha1_update(git_sha1, buf, filled);
		total += filled;
		if (progress != NULL)
			progress(filled, progress_data);
		if (filled < buf_size)
			break;
	}
	if (total != size)
		return hubd_hash_set_changed_error(error, name);

	out->size = total;
	if (flags & HUBD_HASH_SHA256) {
		guint8 digest[SHA256_DIGEST_SIZE];
		sha256_digest(&sha256, sizeof(digest), digest);
		hubd_hash_to_hex(digest, sizeof(digest), out->sha256);
	}
	if (git_sha1 != NULL) {
		g_autofree gchar *hex = hubd_git_sha1_finish_hex(git_sha1);
		memcpy(out->git_sha1, hex, sizeof(out->git_sha1));
	}
	return TRUE;
}

typedef struct {
	gint fd;
	const gchar *path;
} FdReader;

static gssize
hubd_hash_read_fd(gpointer reader,
		  guint8 *buf,
		  gsize count,
		  GCancellable *cancellable,
		  GError **error)
{
	FdReader *r = reader;

	for (;;) {
		gssize n = read(r->fd, buf, count);

		if (n >= 0)
			return n;
		if (errno != EINTR) {
			hubd_hash_set_errno_error(error, r->path, errno);
			return -1;
		}
	}
}

gboolean
hubd_hash_file(const gchar *path,
	       HubdHashFlags flags,
	       HubdHashProgressFunc progress,
	       gpointer progress_data,
	       GCancellable *cancellable,
	       HubdFileHash *out,
	       GError **error)
{
	struct stat st;
	struct stat st_after;
	FdReader reader;
	gint fd;
	gboolean ok = FALSE;

	g_return_val_if_fail(path != NULL, FALSE);
	g_return_val_if_fail(out != NULL, FALSE);

	memset(out, 0, sizeof(*out));
	if (!hubd_hash_check_cancelled(cancellable, error))
		return FALSE;

	fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return hubd_hash_set_errno_error(error, path, errno);
	if (fstat(fd, &st) != 0) {
		hubd_hash_set_errno_error(error, path, errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("“%s” is not a regular file"),
			    path);
		goto out;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	/* a hint for bigger read-ahead; failure is harmless */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	reader.fd = fd;
	reader.path = path;
	if (!hubd_hash_read(hubd_hash_read_fd,
			    &reader,
			    path,
			    (guint64)st.st_size,
			    flags,
			    progress,
			    progress_data,
			    cancellable,
			    out,
			    error))
		goto out;
	/* a writer appending after our last read shows in the size only */
	if (fstat(fd, &st_after) != 0 || st_after.st_size != st.st_size) {
		hubd_hash_set_changed_error(error, path);
		goto out;
	}
	ok = TRUE;
out:
	g_close(fd, NULL);
	if (!ok) {
		/* no half-filled result on failure */
		memset(out, 0, sizeof(*out));
	}
	return ok;
}

static gssize
hubd_hash_read_stream(gpointer reader,
		      guint8 *buf,
		      gsize count,
		      GCancellable *cancellable,
		      GError **error)
{
	return g_input_stream_read(G_INPUT_STREAM(reader), buf, count, cancellable, error);
}

gboolean
hubd_hash_stream(GInputStream *stream,
		 const gchar *name,
		 guint64 size,
		 HubdHashFlags flags,
		 HubdHashProgressFunc progress,
		 gpointer progress_data,
		 GCancellable *cancellable,
		 HubdFileHash *out,
		 GError **error)
{
	g_return_val_if_fail(G_IS_INPUT_STREAM(stream), FALSE);
	g_return_val_if_fail(out != NULL, FALSE);

	memset(out, 0, sizeof(*out));
	if (!hubd_hash_read(hubd_hash_read_stream,
			    stream,
			    name,
			    size,
			    flags,
			    progress,
			    progress_data,
			    cancellable,
			    out,
			    error)) {
		memset(out, 0, sizeof(*out));
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	gchar *path;
	HubdHashFlags flags;
	HubdHashProgressFunc progress;
	gpointer progress_data;
} HubdHashTaskData;

static void
hubd_hash_task_data_free(HubdHashTaskData *data)
{
	g_free(data->path);
	g_free(data);
}

static void
hubd_hash_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	HubdHashTaskData *data = task_data;
	g_autofree HubdFileHash *result = g_new0(HubdFileHash, 1);
	g_autoptr(GError) error = NULL;

	if (!hubd_hash_file(data->path,
			    data->flags,
			    data->progress,
			    data->progress_data,
			    cancellable,
			    result,
			    &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_pointer(task, g_steal_pointer(&result), g_free);
}

void
hubd_hash_file_async(const gchar *path,
		     HubdHashFlags flags,
		     HubdHashProgressFunc progress,
		     gpointer progress_data,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	HubdHashTaskData *data;

	g_return_if_fail(path != NULL);

	task = g_task_new(NULL, cancellable, callback, user_data);
	data = g_new0(HubdHashTaskData, 1);
	data->path = g_strdup(path);
	data->flags = flags;
	data->progress = progress;
	data->progress_data = progress_data;
	g_task_set_source_tag(task, hubd_hash_file_async);
	/* our HUBD_ERROR_CANCELLED, not GTask's G_IO_ERROR_CANCELLED */
	g_task_set_check_cancellable(task, FALSE);
	g_task_set_task_data(task, data, (GDestroyNotify)hubd_hash_task_data_free);
	g_task_run_in_thread(task, hubd_hash_thread);
}

gboolean
hubd_hash_file_finish(GAsyncResult *result, HubdFileHash *out, GError **error)
{
	g_autofree HubdFileHash *hash = NULL;

	g_return_val_if_fail(g_task_is_valid(result, NULL), FALSE);
	g_return_val_if_fail(out != NULL, FALSE);

	hash = g_task_propagate_pointer(G_TASK(result), error);
	if (hash == NULL) {
		memset(out, 0, sizeof(*out));
		return FALSE;
	}
	*out = *hash;
	return TRUE;
}
