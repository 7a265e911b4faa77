/* hubd-download.h: one file from the Hub into the cache (or a local_dir):
 * metadata HEAD, cache look-ups, the shared transfer, snapshot links
 * (docs/hub-download.md §2–§8) */
#pragma once

#include "hubd-cache.h"
#include "hubd-context.h"
#include "hubd-job.h"
#include "hubd-repo-id.h"
#include "hubd-storage.h"

G_BEGIN_DECLS

typedef struct {
	HubdRepoType type;
	gchar *repo_id;
	gchar *revision; /* never NULL ("main" by default) */
	gchar *filename;
	gchar *local_dir; /* NULL: the cache */
	/* the cache folder the caller named (absolute, canonical), or NULL for
	 * hubd's own; the same layout, locks and sharing in it */
	gchar *cache_dir;
	/* resolve and report what would be downloaded, write nothing: the
	 * result is hubd_dry_run_result()'s */
	gboolean dry_run;
	gboolean force;
	gboolean offline;
	/* the caller's Hub API (its token_name and library_name:
	 * hubd_hub_api_new_for_call()), or NULL for the daemon's */
	HubdHubApi *api;
	/* the backend blobs are read from before the Hub ([storage] mirror),
	 * or NULL */
	HubdStorage *mirror;
	/* a regular (not LFS) file whose git blob id and size the tree
	 * listing of this very commit (the revision) gave: the metadata HEAD
	 * would only repeat them, so the file costs one request, not two.
	 * NULL: ask the Hub. */
	gchar *known_etag;
	guint64 known_size;
} HubdDownloadRequest;

HubdDownloadRequest *
hubd_download_request_copy(const HubdDownloadRequest *req);
void
hubd_download_request_free(HubdDownloadRequest *req);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdDownloadRequest, hubd_download_request_free)

/* Downloads one file. `job` (may be NULL) gets the bytes and the file when
 * done; with `set_totals` also its totals and phases (a one-file job). The
 * result is the a{sv} of Transfers.Download: path, commit, etag, size,
 * cached. `req->filename` must have passed hubd_path_is_safe_relative. */
void
hubd_download_file_async(HubdContext *context,
			 const HubdDownloadRequest *req,
			 HubdJob *job,
			 gboolean set_totals,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
GVariant *
hubd_download_file_finish(GAsyncResult *result, GError **error);

/* [http] retry-base-ms, as HubdHubClient uses it (1000 by default). */
guint
hubd_download_retry_base_ms(HubdContext *context);

/* [downloads] direct-io (default false) and direct-io-min-size (bytes,
 * default 64 MiB): blobs this big or bigger bypass the page cache
 * (hubd-blob-writer); G_MAXUINT64 when direct-io is off. */
guint64
hubd_download_direct_min_size(HubdContext *context);

/* [downloads] parallel-min-size (bytes, default 64 MiB) and
 * connections-per-file (default 8, 1 turns parallel downloads off): blobs
 * this big or bigger come as that many byte ranges at once. */
guint64
hubd_download_parallel_min_size(HubdContext *context);
guint
hubd_download_connections_per_file(HubdContext *context);
/* [downloads] one-stream-rate (bytes per second, default 256 MiB/s; 0:
 * always split): a first connection this fast keeps the file to itself. */
guint64
hubd_download_one_stream_rate(HubdContext *context);

G_END_DECLS
