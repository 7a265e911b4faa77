/* hubd-repos-check.c: org.hubd.Hub1.Repos input checks, made before anything is sent to the Hub */
#define G_LOG_DOMAIN "HubdRepos"

#include "hubd-repos-check.h"

#include <glib/gi18n.h>

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
