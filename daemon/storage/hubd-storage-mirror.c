/* hubd-storage-mirror.c: the mirror layout — where a repo's files live in a storage backend */
#define G_LOG_DOMAIN "HubdStorage"

#include "hubd-storage-mirror.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-storage.h"

static const gchar *
hubd_storage_mirror_type_folder(const gchar *repo_type)
{
	if (g_strcmp0(repo_type, "model") == 0)
		return "models";
	if (g_strcmp0(repo_type, "dataset") == 0)
		return "datasets";
	if (g_strcmp0(repo_type, "space") == 0)
		return "spaces";
	return NULL;
}

static gboolean
hubd_storage_mirror_etag_is_valid(const gchar *etag)
{
	gsize len = etag != NULL ? strlen(etag) : 0;

	if (len != 40 && len != 64)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isdigit(etag[i]) && (etag[i] < 'a' || etag[i] > 'f'))
			return FALSE;
	}
	return TRUE;
}

gchar *
hubd_storage_mirror_blob_key(const gchar *repo_type,
			     const gchar *repo_id,
			     const gchar *etag,
			     GError **error)
{
	const gchar *folder = hubd_storage_mirror_type_folder(repo_type);
	const gchar *slash = repo_id != NULL ? strchr(repo_id, '/') : NULL;
	g_autofree gchar *key = NULL;

	if (folder == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("“%s” is not a repo type (model, dataset or space)"),
			    repo_type != NULL ? repo_type : "");
		return NULL;
	}
	if (slash == NULL || slash == repo_id || slash[1] == '\0' || strchr(slash + 1, '/')) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("“%s” is not a repo id of the form namespace/name, which a mirror "
			      "needs"),
			    repo_id != NULL ? repo_id : "");
		return NULL;
	}
	if (!hubd_storage_mirror_etag_is_valid(etag)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("“%s” is not a blob's ETag (40 or 64 lowercase hex digits)"),
			    etag != NULL ? etag : "");
		return NULL;
	}
	key = g_strdup_printf("%s/%s/blobs/%s", folder, repo_id, etag);
	/* the key rules catch the rest (".." and friends in a repo id) */
	if (!hubd_storage_key_validate(key, error))
		return NULL;
	return g_steal_pointer(&key);
}
