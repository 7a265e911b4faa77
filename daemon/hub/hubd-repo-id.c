/* hubd-repo-id.c: the URL pieces of a repo type (the checks are in libhubd/) */
#define G_LOG_DOMAIN "HubdRepoId"

#include "hubd-repo-id.h"

const gchar *
hubd_repo_type_to_api_plural(HubdRepoType type)
{
	switch (type) {
	case HUBD_REPO_TYPE_MODEL:
		return "models";
	case HUBD_REPO_TYPE_DATASET:
		return "datasets";
	case HUBD_REPO_TYPE_SPACE:
		return "spaces";
	default:
		g_return_val_if_reached(NULL);
	}
}

const gchar *
hubd_repo_type_to_url_prefix(HubdRepoType type)
{
	switch (type) {
	case HUBD_REPO_TYPE_MODEL:
		return "";
	case HUBD_REPO_TYPE_DATASET:
		return "datasets/";
	case HUBD_REPO_TYPE_SPACE:
		return "spaces/";
	default:
		g_return_val_if_reached(NULL);
	}
}
