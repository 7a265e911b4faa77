/* hubd-transfer-private.h: HubdTransfer's fields, shared by hubd-transfer.c
 * (the network side, on the main loop) and hubd-transfer-disk.c (the worker
 * threads that lock, write, hash and move into place) */
#pragma once

#include "hubd-hash.h"
#include "hubd-transfer.h"

G_BEGIN_DECLS

#define HUBD_TRANSFER_CHUNK (512 * 1024)

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

	/* touched by one thread at a time: the prepare thread, then one write
	 * thread after another, then the finalize thread */
	HubdCacheLock *lock;
	gint local_lock_fd;
	gint fd;
	HubdSha256 *sha;
	gboolean truncate_next;

	guint64 offset; /* bytes in .incomplete */
	guint64 offset_at_attempt;
	guint stalled;
	GInputStream *stream;
	guint8 *buf[2];
	guint ri;
	gsize got_len;
	GError *got_err;
	gboolean got_eof;
	gboolean have_chunk;
	gboolean reading;
	gboolean writing;
	gboolean body_done;
	guint retry_id;
};

typedef struct {
	const guint8 *data;
	gsize len;
} HubdTransferWriteOp;

/* GTaskThreadFuncs, source object the transfer. prepare: lock, look, open
 * the .incomplete, hash its prefix; returns int 1 when the blob appeared
 * meanwhile, else 0. write: one HubdTransferWriteOp (task data). finalize:
 * check the sha256, move into place, unlock. */
void
hubd_transfer_prepare_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c);
void
hubd_transfer_write_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c);
void
hubd_transfer_finalize_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c);
/* Drops the flock (cache or local_dir). */
void
hubd_transfer_unlock(HubdTransfer *self);

G_END_DECLS
