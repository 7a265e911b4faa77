/* hubd-repo-id.h: checking repo ids, revisions and paths in a repo before
 * sending them — the checks hubd itself makes, so a client can refuse bad
 * input with the same message before it calls */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean
hubd_repo_id_validate(const gchar *repo_id, gboolean require_namespace, GError **error);
gboolean
hubd_revision_validate(const gchar *rev, GError **error);
gchar *
hubd_path_in_repo_normalize(const gchar *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
