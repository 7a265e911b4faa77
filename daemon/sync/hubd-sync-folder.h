/* hubd-sync-folder.h: a folder target's trees and the switch between them (docs/sync.md) */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* DIR.hubd-sync: where the trees of a folder target DIR live */
gchar *
hubd_sync_folder_root(const gchar *dir);
/* DIR.hubd-sync/COMMIT */
gchar *
hubd_sync_folder_tree(const gchar *dir, const gchar *commit);

/* Blocking (worker threads only). Makes the tree of `commit` ready for the
 * snapshot: when it does not exist yet, a copy of the tree of `previous`
 * (may be NULL) made of hard links, so unchanged files are not fetched
 * again; when it exists (a run cut short), it is kept as it is. Refuses a
 * DIR that exists and is neither empty nor a link into DIR.hubd-sync. */
gboolean
hubd_sync_folder_prepare(const gchar *dir,
			 const gchar *commit,
			 const gchar *previous,
			 GCancellable *cancellable,
			 GError **error);

/* Removes from `tree` the files the snapshot of the previous run brought
 * (those with local_dir metadata) that are not in `files` now; returns
 * their paths (sorted). Files without metadata (the user's own) stay. */
GStrv
hubd_sync_folder_prune(const gchar *tree, const gchar *const *files, GError **error);

/* Points DIR at the tree of `commit` in one rename(2) of a symbolic link,
 * then removes the other trees. */
gboolean
hubd_sync_folder_switch(const gchar *dir, const gchar *commit, GError **error);

G_END_DECLS
