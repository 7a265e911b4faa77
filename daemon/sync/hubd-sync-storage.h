/* hubd-sync-storage.h: the storage side of a sync run — a cached snapshot
 * put into a storage backend, skipping what is already there, deleting what
 * was removed upstream (docs/sync.md "A storage target"). */
#pragma once

#include "hubd-context.h"
#include "hubd-job.h"

G_BEGIN_DECLS

/* The backend for a storage URL target: a configured [storage.NAME] whose url
 * is `target` or a folder of it (then *prefix is the rest, ending in "/"),
 * else a backend made from the URL alone (*prefix ""). */
HubdStorage *
hubd_sync_storage_resolve(HubdContext *context,
			  const gchar *target,
			  gchar **prefix,
			  GCancellable *cancellable,
			  GError **error);

/* Where a rule's manifest of what it put lives: sync/ID.json next to sync.conf */
gchar *
hubd_sync_storage_manifest_path(const gchar *rule_id);

/* Puts `files` of the snapshot at `root` under prefix + path. An object
 * already listed with the same size and the etag this rule put for the same
 * Hub file, or whose etag is the content's SHA-256 or MD5, is skipped. With
 * `delete_removed`, the keys this rule put before (its manifest at
 * `manifest_path`) that are no longer among `files` are deleted, and nothing
 * else. The result: the paths deleted (*removed) and the number put. */
void
hubd_sync_storage_async(HubdStorage *storage,
			const gchar *prefix,
			const gchar *root,
			const gchar *const *files,
			gboolean delete_removed,
			const gchar *manifest_path,
			HubdJob *job,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data);
gboolean
hubd_sync_storage_finish(GAsyncResult *result, GStrv *removed, guint *n_put, GError **error);

G_END_DECLS
