/* hubd-storage-file-write.h: the file backend's put and delete, and its temp files */
#pragma once

#include <nettle/sha2.h>
#include <sys/stat.h>

#include "hubd-storage-file.h"

G_BEGIN_DECLS

/* A temp file being written, hashed as it grows; removed when freed unless
 * renamed into place. */
typedef struct _HubdStorageFileStaged HubdStorageFileStaged;

void
hubd_storage_file_staged_free(HubdStorageFileStaged *staged);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdStorageFileStaged, hubd_storage_file_staged_free)

HubdStorageFileStaged *
hubd_storage_file_staged_new(const gchar *folder, const gchar *template, GError **error);
gboolean
hubd_storage_file_staged_copy_stream(HubdStorageFileStaged *staged,
				     GInputStream *stream,
				     gint64 length,
				     GCancellable *cancellable,
				     GError **error);
gboolean
hubd_storage_file_staged_copy_fd(HubdStorageFileStaged *staged,
				 gint fd,
				 GCancellable *cancellable,
				 GError **error);
gboolean
hubd_storage_file_staged_seal(HubdStorageFile *self,
			      HubdStorageFileStaged *staged,
			      gchar hex[SHA256_DIGEST_SIZE * 2 + 1],
			      struct stat *st,
			      GError **error);
gboolean
hubd_storage_file_staged_rename(HubdStorageFileStaged *staged, const gchar *path);
HubdStorageObject *
hubd_storage_file_staged_commit(HubdStorageFile *self,
				HubdStorageFileStaged *staged,
				const gchar *key,
				GError **error);

/* The operations, run in worker threads (hubd-storage-file-tasks.c). */
HubdStorageObject *
hubd_storage_file_put(HubdStorageFile *self,
		      const gchar *key,
		      GInputStream *stream,
		      gint64 length,
		      GCancellable *cancellable,
		      GError **error);
gboolean
hubd_storage_file_delete(HubdStorageFile *self, const gchar *key, GError **error);

G_END_DECLS
