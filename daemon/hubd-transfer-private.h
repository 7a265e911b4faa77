/* hubd-transfer-private.h: HubdTransfer's fields, shared by hubd-transfer.c
 * (the network side, on the main loop) and hubd-transfer-disk.c (the worker
 * threads that lock, write, hash and move into place) */
#pragma once

#include "hubd-hash.h"
#include "hubd-transfer.h"

G_BEGIN_DECLS

#define HUBD_TRANSFER_CHUNK (512 * 1024)
/* buffers in the ring: one being read while others are written and hashed */
#define HUBD_TRANSFER_NBUF 4
/* largest write(): bigger ones make ext4 allocate large page-cache folios,
 * which cost more to fill on a VM whose free memory went back to the host */
#define HUBD_TRANSFER_WRITE_MAX (128 * 1024)

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

	guint64 offset; /* bytes in .incomplete */
	guint64 offset_at_attempt;
	guint stalled;
	GInputStream *stream;
	/* The ring: chunk number n lives in buf[n % NBUF]. The write and the
	 * hash of a chunk run in two worker threads at once (sha256 costs about
	 * as much CPU as the write), each in chunk order; a buffer is read into
	 * again once both are done with it. */
	guint8 *buf[HUBD_TRANSFER_NBUF];
	gsize len[HUBD_TRANSFER_NBUF];
	guint64 filled; /* chunks read */
	guint64 written;
	guint64 hashed;
	GError *got_err;  /* the read error that ended the body */
	GError *disk_err; /* a write failed: stop once nothing is in flight */
	gboolean read_ended;
	gboolean reading;
	gboolean writing;
	gboolean hashing;
	guint retry_id;
};

/* task data of a write or a hash: one chunk of the ring */
typedef struct {
	const guint8 *data;
	gsize len;
} HubdTransferWriteOp;

/* GTaskThreadFuncs, source object the transfer. prepare: lock, look, open
 * the .incomplete, hash its prefix; returns int 1 when the blob appeared
 * meanwhile, else 0. write, hash: one HubdTransferWriteOp (task data), the
 * two may run at once on the same chunk. finalize:
 * check the sha256, move into place, unlock. */
void
hubd_transfer_prepare_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c);
void
hubd_transfer_write_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c);
void
hubd_transfer_hash_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c);
void
hubd_transfer_finalize_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c);
/* Drops the flock (cache or local_dir). */
void
hubd_transfer_unlock(HubdTransfer *self);

G_END_DECLS
