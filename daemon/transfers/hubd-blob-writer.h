/* hubd-blob-writer.h: the disk side of one blob download — the flock, the
 * .incomplete (opened, resumed, written around the page cache where that
 * pays), the sha256 check and the move into place */
#pragma once

#include "hubd-cache.h"
#include "hubd-ring.h"
#include "hubd-segment-map.h"

G_BEGIN_DECLS

/* O_DIRECT wants file offsets, lengths and memory aligned to the logical
 * block size; 4096 covers every common device. A producer that keeps its
 * chunks aligned to this gets them written around the page cache. */
#define HUBD_BLOB_WRITER_ALIGN 4096

#define HUBD_TYPE_BLOB_WRITER (hubd_blob_writer_get_type())
G_DECLARE_FINAL_TYPE(HubdBlobWriter, hubd_blob_writer, HUBD, BLOB_WRITER, GObject)

typedef struct {
	HubdRepoType type;
	const gchar *repo_id;
	/* a 64-hex sha256 (LFS) is checked at the end; a 40-hex git blob
	 * sha1 (a regular file) only with verify_git_sha1 */
	const gchar *etag;
	guint64 size;
	/* the file's path in the repo: messages, and the local_dir target */
	const gchar *filename;
	/* non-NULL: the target is <local_dir>/<filename> under its own lock,
	 * moved with a plain rename; else blobs/<etag> in `cache` */
	const gchar *local_dir;
	gboolean force; /* drop a resumable .incomplete */
	/* check a regular file's git blob sha1 too: set when a mirror may
	 * supply the bytes, which the Hub did not vouch for */
	gboolean verify_git_sha1;
	/* blobs this big or bigger are written with O_DIRECT where the
	 * filesystem allows (G_MAXUINT64: never) */
	guint64 direct_min_size;
} HubdBlobWriterSpec;

HubdBlobWriter *
hubd_blob_writer_new(HubdCache *cache, const HubdBlobWriterSpec *spec);
/* Where the blob ends up. */
const gchar *
hubd_blob_writer_get_path(HubdBlobWriter *self);

/* In a worker thread: takes the lock (waiting for another process that
 * holds it; `cancellable` gives up), then opens the .incomplete and hashes
 * what an earlier run left in it. `present`: the blob appeared while we
 * waited (nothing to write; local_dir targets never are: the caller
 * decided already); else `offset` is where the bytes resume. Again after
 * hubd_blob_writer_release() (with the .incomplete discarded: a fresh
 * start). */
void
hubd_blob_writer_open_async(HubdBlobWriter *self,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean
hubd_blob_writer_open_finish(HubdBlobWriter *self,
			     GAsyncResult *result,
			     gboolean *present,
			     guint64 *offset,
			     GError **error);

/* The next chunk starts the file again at byte 0 (the server ignored a
 * Range). Only while nothing is in flight. */
void
hubd_blob_writer_restart(HubdBlobWriter *self);
/* After a parallel download's first segments (every byte before `pos`
 * written and hashed, nothing past it): the next chunk goes at `pos`, and
 * the segment map is dropped, so a resume takes the file as a plain
 * prefix. Only while nothing is in flight. */
void
hubd_blob_writer_continue_at(HubdBlobWriter *self, guint64 pos);
/* Adds the consumers of one body to a new `ring`: the write first (so
 * hubd_ring_get_consumed(ring, 0) is what reached the disk), then, for an
 * LFS blob (or a verified regular one), the hash. The writer must outlive
 * the ring. */
void
hubd_blob_writer_attach(HubdBlobWriter *self, HubdRing *ring);
/* Deletes the .incomplete (bytes that cannot be right). */
void
hubd_blob_writer_discard(HubdBlobWriter *self);

/* In a worker thread: closes the .incomplete, checks its hash (a mismatch
 * deletes it: HUBD_ERROR_SERVER, and only a mismatch is), moves it into
 * place, unlocks. */
void
hubd_blob_writer_complete_async(HubdBlobWriter *self,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
gboolean
hubd_blob_writer_complete_finish(HubdBlobWriter *self, GAsyncResult *result, GError **error);

/* Closes the .incomplete and drops the lock; what is written stays for a
 * later resume. Not while a thread or ring works on the writer. */
void
hubd_blob_writer_release(HubdBlobWriter *self);

/* ---- parallel downloads (hubd-segmented-fetch) ---- */

/* The segment map the open found next to the .incomplete (its prefix is
 * the `offset` the open reported, hashed already), or NULL. */
HubdSegmentMap *
hubd_blob_writer_steal_segments(HubdBlobWriter *self);
/* FILE.incomplete.segments: deleted with the .incomplete, on completion and
 * when the file starts again from byte 0. */
const gchar *
hubd_blob_writer_get_segments_path(HubdBlobWriter *self);
/* In any worker thread, several at once: `len` bytes at `pos`. */
gboolean
hubd_blob_writer_pwrite(HubdBlobWriter *self,
			guint64 pos,
			const guint8 *data,
			gsize len,
			GError **error);
/* In one worker thread at a time: hashes the file's bytes up to `end`
 * (all written) from where the hash stands, re-reading them. */
gboolean
hubd_blob_writer_hash_to(HubdBlobWriter *self, guint64 end, GCancellable *c, GError **error);

G_END_DECLS
