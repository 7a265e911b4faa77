/* hubd-repos-check.c: org.hubd.Hub1.Repos input checks (options, repo ids,
 * revisions) and Hub API paths, shared by the write and read sides */
#define G_LOG_DOMAIN "HubdRepos"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-repos-private.h"
#include "hubd-service.h"

gboolean
hubd_repos_refuse(GDBusMethodInvocation *invocation, GError *error)
{
	hubd_service_return_error(invocation, error);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

gboolean
hubd_repos_parse_repo(const gchar *type_str,
		      const gchar *repo_id,
		      gboolean require_namespace,
		      HubdRepoType *type_out,
		      GError **error)
{
	return hubd_repo_type_from_string(type_str, type_out, error) &&
	       hubd_repo_id_validate(repo_id, require_namespace, error);
}

gboolean
hubd_repos_check_revision(const gchar *revision, const gchar *what, GError **error)
{
	if (revision == NULL || revision[0] == '\0')
		return TRUE;
	if (!hubd_revision_validate(revision, error)) {
		g_prefix_error(error, _("Bad %s: "), what);
		return FALSE;
	}
	return TRUE;
}

gchar *
hubd_repos_clean_read_path(const gchar *path, GError **error)
{
	while (*path == '/')
		path++;
	if (*path != '\0' && !hubd_path_is_safe_relative(path, error))
		return NULL;
	return g_strdup(path);
}

gchar *
hubd_repos_api_path(HubdRepoType type, const gchar *repo_id, const gchar *suffix)
{
	/* a validated id has only [A-Za-z0-9_.-] and one '/': nothing to escape */
	return g_strdup_printf("/api/%s/%s%s",
			       hubd_repo_type_to_api_plural(type),
			       repo_id,
			       suffix != NULL ? suffix : "");
}
