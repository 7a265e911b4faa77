/* hubd-git-lfs-upload.h: org.hubd.Hub1.Git.LfsUpload — one object of a git
 * push, as the LFS batch API told git-lfs, sent as a job */
#pragma once

#include <gio/gio.h>

#include "hubd-context.h"
#include "hubd-job.h"

G_BEGIN_DECLS

/* Checks the input (an absolute path to a regular file of `size` bytes, a
 * SHA-256, an upload action that covers the object), then starts the job
 * owned by the caller of `invocation` and returns it (a new reference). An
 * error is INVALID_ARGUMENT and nothing was sent. `header` is a{ss}. */
HubdJob *
hubd_git_lfs_upload_start(HubdContext *context,
			  GDBusMethodInvocation *invocation,
			  const gchar *path,
			  const gchar *oid,
			  guint64 size,
			  const gchar *href,
			  GVariant *header,
			  GError **error);

G_END_DECLS
