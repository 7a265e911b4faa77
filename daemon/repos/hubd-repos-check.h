/* hubd-repos-check.h: org.hubd.Hub1.Repos input checks, made before anything is sent to the Hub */
#pragma once

#include <gio/gio.h>

#include "hubd-repo-id.h"

G_BEGIN_DECLS

/* Validation failed: answers `invocation` with `error` (taken) at once;
 * returns G_DBUS_METHOD_INVOCATION_HANDLED. */
gboolean
hubd_repos_refuse(GDBusMethodInvocation *invocation, GError *error);

/* The type and id checks every method starts with. */
gboolean
hubd_repos_parse_repo(const gchar *type_str,
		      const gchar *repo_id,
		      gboolean require_namespace,
		      HubdRepoType *type_out,
		      GError **error);
/* An empty revision is fine (the default branch); else it must be valid.
 * `what` names it in the message ("revision", "branch name"...). */
gboolean
hubd_repos_check_revision(const gchar *revision, const gchar *what, GError **error);
/* A path to read in a repo (ListFiles, HubUrl): leading '/' dropped, then it
 * must be a safe relative path. Unlike upload paths, ".git" and ".cache"
 * folders are fine here: reading them is harmless. "" stays "". */
gchar *
hubd_repos_clean_read_path(const gchar *path, GError **error);

G_END_DECLS
