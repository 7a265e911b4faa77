/* hubd-s3-journal.h: the multipart uploads this machine began and has not ended, kept on disk
 * so that uploads a crash (kill -9) left behind are aborted at the next start */
#pragma once

#include "hubd-s3-storage.h"

G_BEGIN_DECLS

/* Notes the upload `upload_id` of `key` (the key as the backend's callers
 * name it) of the backend `self`; done in the background, failures logged. */
void
hubd_s3_journal_add(HubdS3Storage *self, const gchar *key, const gchar *upload_id);
/* Forgets it (completed or aborted). */
void
hubd_s3_journal_remove(HubdS3Storage *self, const gchar *upload_id);
/* Aborts every upload the journal holds for this backend (left by a process
 * that died), forgetting those aborted or gone. Runs in the background. */
void
hubd_s3_journal_recover(HubdS3Storage *self);

G_END_DECLS
