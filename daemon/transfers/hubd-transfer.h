/* hubd-transfer.h: one blob being fetched into the cache, shared by every
 * job that wants it (one network transfer per blob, however many ask) */
#pragma once

#include "hubd-cache.h"
#include "hubd-hub-api.h"
#include "hubd-job.h"
#include "hubd-storage.h"

G_BEGIN_DECLS

#define HUBD_TYPE_TRANSFER (hubd_transfer_get_type())
G_DECLARE_FINAL_TYPE(HubdTransfer, hubd_transfer, HUBD, TRANSFER, GObject)

typedef struct {
	HubdRepoType type;
	const gchar *repo_id;
	const gchar *etag;     /* normalised: 40-hex git sha1 or 64-hex sha256 */
	guint64 size;          /* from the metadata HEAD */
	const gchar *url;      /* what to GET (resolve URL or CDN Location) */
	const gchar *filename; /* for messages */
	gboolean force;        /* drop a resumable .incomplete and fetch again */
	/* non-NULL: the target is <local_dir>/<filename> (local_dir mode, the
	 * cache is not touched) instead of blobs/<etag> */
	const gchar *local_dir;
	guint retry_base_ms;
	/* blobs this big or bigger are written with O_DIRECT where the
	 * filesystem allows (G_MAXUINT64: never) */
	guint64 direct_min_size;
	/* non-NULL: read the blob from this backend first ([storage] mirror,
	 * docs/storage.md), verified; anything but the right bytes falls back
	 * to `url` */
	HubdStorage *mirror;
	/* with `mirror`: a blob the Hub served is put into the mirror once it
	 * is verified in place ([storage] mirror-fill, docs/storage.md) */
	gboolean mirror_fill;
	/* blobs this big or bigger come over up to `connections` connections
	 * at once (hubd-segmented-fetch); connections < 2: never */
	guint64 parallel_min_size;
	guint connections;
	/* a first connection this fast (bytes/s) keeps the file alone (0: never) */
	guint64 one_stream_rate;
	/* when `url` is a CDN's: the Hub URL whose redirect gave it, asked
	 * again when the CDN refuses it (expired); else NULL */
	const gchar *resolve_url;
} HubdTransferSpec;

/* The running transfer of this blob (or local file), or a new one (started
 * by the first wait) that GETs through `api` (whose app names itself in the
 * user agent). Keyed by the target path; main thread only. */
HubdTransfer *
hubd_transfer_lookup_or_new(HubdHubApi *api, HubdCache *cache, const HubdTransferSpec *spec);

/* Registers interest: `job` (may be NULL) gets the bytes as they arrive,
 * per file under `file` (its path in the repo; may be NULL, see
 * hubd_job_file_progress);
 * cancelling `cancellable` withdraws only this interest (the transfer stops
 * when none is left). Succeeds when blobs/<etag> is in place. */
void
hubd_transfer_wait_async(HubdTransfer *self,
			 HubdJob *job,
			 const gchar *file,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
/* `fetched`: whether bytes came over the network or from the mirror (FALSE
 * when the blob appeared meanwhile, e.g. from Python sharing the cache). */
gboolean
hubd_transfer_wait_finish(HubdTransfer *self,
			  GAsyncResult *result,
			  gboolean *fetched,
			  GError **error);

/* Number of transfers running (for is_busy and tests). */
guint
hubd_transfer_count_running(void);

G_END_DECLS
