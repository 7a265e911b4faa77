/* hubd-transfer-private.h: HubdTransfer's fields, shared by hubd-transfer.c
 * (the network side, on the main loop) and hubd-transfer-disk.c (the worker
 * threads that lock, write, hash and move into place) */
#pragma once

#include "hubd-hash.h"
#include "hubd-ring.h"
#include "hubd-transfer.h"

G_BEGIN_DECLS

#define HUBD_TRANSFER_CHUNK (512 * 1024)
/* buffers in the ring: one being read while others are written and hashed */
#define HUBD_TRANSFER_NBUF 4
/* largest write(): bigger ones make ext4 allocate large page-cache folios,
 * which cost more to fill on a VM whose free memory went back to the host */
#define HUBD_TRANSFER_WRITE_MAX (128 * 1024)
/* O_DIRECT wants file offsets, lengths and memory aligned to the logical
 * block size; 4096 covers every common device */
#define HUBD_TRANSFER_DIO_ALIGN 4096

struct _HubdTransfer {
	GObject parent_instance;
	HubdHubClient *client;
	HubdCache *cache;
	HubdRepoType type;
	gchar *repo_id;
	gchar *etag;
	gchar *url;
	gchar *filename;
	gchar *local_dir;
	gchar *library_name;
	gchar *library_version;
	guint64 size;
	gboolean force;
	gboolean is_lfs;
	gboolean local; /* local_dir target: own lock, plain rename */
	guint retry_base_ms;
	guint64 direct_min_size;

	gchar *key; /* the blob path */
	gchar *incomplete;
	gboolean started;
	gboolean finished;
	gboolean fetched;
	GCancellable *cancellable;
	GList *waiters;

	/* touched by one thread at a time: the prepare thread, then the write
	 * threads (fd, truncate_next) and, in parallel, the hash threads (sha),
	 * one chunk after another, then the finalize thread */
	HubdCacheLock *lock;
	gint local_lock_fd;
	gint fd;
	HubdSha256 *sha;
	gboolean truncate_next;
	gboolean direct;    /* aligned chunks bypass the page cache */
	gboolean fd_direct; /* O_DIRECT is set on fd right now */
	guint64 disk_pos;   /* where the next write lands */

	guint64 offset; /* bytes in .incomplete */
	guint64 offset_at_attempt;
	guint stalled;
	GInputStream *stream;
	/* The body streams through this ring: the main loop reads into it
	 * while a worker writes (consumer 0) and another hashes (consumer 1,
	 * LFS only: sha256 costs about as much CPU as the write) each chunk. */
	HubdRing *ring;
	GError *got_err;  /* the read error that ended the body */
	GError *disk_err; /* a write failed: stop once nothing is in flight */
	gboolean read_ended;
	gboolean reading;
	guint8 *read_buf; /* the ring buffer being filled */
	gsize read_want;  /* its size for this chunk */
	gsize read_have;  /* bytes in it so far */
	guint64 read_pos; /* the file offset of read_buf[0] */
	guint64 received; /* bytes reported as progress */
	guint retry_id;
};

/* GTaskThreadFuncs, source object the transfer. prepare: lock, look, open
 * the .incomplete, hash its prefix; returns int 1 when the blob appeared
 * meanwhile, else 0. finalize: check the sha256, move into place, unlock. */
void
hubd_transfer_prepare_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c);
void
hubd_transfer_finalize_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c);
/* HubdRingConsumeFuncs, user data the transfer: append a chunk to the
 * .incomplete; add it to the sha256. */
gboolean
hubd_transfer_write_chunk(const guint8 *data, gsize len, gpointer user_data, GError **error);
gboolean
hubd_transfer_hash_chunk(const guint8 *data, gsize len, gpointer user_data, GError **error);
/* Drops the flock (cache or local_dir). */
void
hubd_transfer_unlock(HubdTransfer *self);

G_END_DECLS
