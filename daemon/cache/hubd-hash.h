/* hubd-hash.h: SHA-256 (nettle, SHA-NI where the CPU has it) and git blob
 * SHA-1 of local files and streams, one read per file, in worker threads */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
	HUBD_HASH_SHA256 = 1 << 0,
	HUBD_HASH_GIT_SHA1 = 1 << 1, /* sha1("blob <size>\0" + bytes) */
} HubdHashFlags;

typedef struct {
	guint64 size;
	gchar sha256[65];   /* lowercase hex, "" when not asked */
	gchar git_sha1[41]; /* lowercase hex, "" when not asked */
	guint8 sample[512]; /* the first min(size, 512) bytes (preupload's sample) */
	gsize sample_len;
} HubdFileHash;

/* Called from the worker thread after every chunk read: must be thread-safe. */
typedef void (*HubdHashProgressFunc)(guint64 bytes_delta, gpointer user_data);

/* Hashes `path` in a worker thread (GTask); `progress` may be NULL. A file that
 * changes size while being read is an error (HUBD_ERROR_INVALID_ARGUMENT). */
void
hubd_hash_file_async(const gchar *path,
		     HubdHashFlags flags,
		     HubdHashProgressFunc progress,
		     gpointer progress_data,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data);
gboolean
hubd_hash_file_finish(GAsyncResult *result, HubdFileHash *out, GError **error);

/* The same, synchronously, for code already in a worker thread. */
gboolean
hubd_hash_file(const gchar *path,
	       HubdHashFlags flags,
	       HubdHashProgressFunc progress,
	       gpointer progress_data,
	       GCancellable *cancellable,
	       HubdFileHash *out,
	       GError **error);

/* The same over `stream` (blocking reads, for worker threads), which must
 * give exactly `size` bytes; `name` is for messages. */
gboolean
hubd_hash_stream(GInputStream *stream,
		 const gchar *name,
		 guint64 size,
		 HubdHashFlags flags,
		 HubdHashProgressFunc progress,
		 gpointer progress_data,
		 GCancellable *cancellable,
		 HubdFileHash *out,
		 GError **error);

/* Incremental SHA-256 for streams (downloads hash while they write). */
typedef struct _HubdSha256 HubdSha256;
HubdSha256 *
hubd_sha256_new(void);
void
hubd_sha256_update(HubdSha256 *self, const void *data, gsize len);
/* 64 lowercase hex chars; the state is reset afterwards. */
gchar *
hubd_sha256_finish_hex(HubdSha256 *self);
void
hubd_sha256_free(HubdSha256 *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdSha256, hubd_sha256_free)

/* Incremental git blob SHA-1 (a regular file's ETag on the Hub): git hashes
 * a header with the size first, so the size is given up front. */
typedef struct _HubdGitSha1 HubdGitSha1;
HubdGitSha1 *
hubd_git_sha1_new(guint64 size);
void
hubd_git_sha1_update(HubdGitSha1 *self, const void *data, gsize len);
/* 40 lowercase hex chars; the object is spent afterwards. */
gchar *
hubd_git_sha1_finish_hex(HubdGitSha1 *self);
void
hubd_git_sha1_free(HubdGitSha1 *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdGitSha1, hubd_git_sha1_free)

G_END_DECLS
