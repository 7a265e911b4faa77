/* hubd-dry-run.h: the dry_run option of Download and Snapshot — what would
 * be downloaded, file by file, without writing anything (docs/hub-download.md §11) */
#pragma once

#include "hubd-cache.h"
#include "hubd-hub-types.h"

G_BEGIN_DECLS

/* Whether `filename` (with this etag and size) is already there: under
 * local_dir (a current copy of this etag, of this size) or, with local_dir
 * NULL, as the cache's blob. Reads only; worker threads. */
gboolean
hubd_dry_run_is_cached(HubdCache *cache,
		       const gchar *local_dir,
		       HubdRepoType type,
		       const gchar *repo_id,
		       const gchar *filename,
		       const gchar *etag,
		       guint64 size);

/* One file of the result: filename, size, path, cached, will_download
 * (a floating a{sv}). */
GVariant *
hubd_dry_run_entry(const gchar *filename,
		   guint64 size,
		   const gchar *path,
		   gboolean cached,
		   gboolean force);

/* The job's Result for a dry run: dry_run, path, commit, entries and the
 * totals; takes the floating entries of `entries`. */
GVariant *
hubd_dry_run_result(const gchar *path, const gchar *commit, GPtrArray *entries);

/* A snapshot's dry run from the Hub's listing (HubdHubTreeEntry, sorted):
 * each file checked against the cache (or local_dir); `root` is the
 * snapshot folder or local_dir. Reads only; worker threads. */
GVariant *
hubd_dry_run_result_for_listing(HubdCache *cache,
				const gchar *local_dir,
				HubdRepoType type,
				const gchar *repo_id,
				const gchar *root,
				const gchar *commit,
				GPtrArray *listing,
				gboolean force);

/* What a snapshot from `listing` still has to write, in bytes: the files
 * not there yet, each blob once in the cache (files with the same contents
 * share it), each file under local_dir. With `force`, all of them. Reads
 * only; worker threads. */
guint64
hubd_dry_run_bytes_to_fetch(HubdCache *cache,
			    const gchar *local_dir,
			    HubdRepoType type,
			    const gchar *repo_id,
			    GPtrArray *listing,
			    gboolean force);

/* A dry run the cache alone answers (offline, or the Hub unreachable):
 * each of the `n` files under `root` is there already. Worker threads. */
GVariant *
hubd_dry_run_result_for_files(const gchar *root,
			      const gchar *commit,
			      const gchar *const *files,
			      guint n,
			      gboolean force);

G_END_DECLS
