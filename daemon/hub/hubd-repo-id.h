/* hubd-repo-id.h: repo ids, types, revisions and paths, as the daemon uses them.
 *
 * The checks are libhubd's (hubctl shares them); the URL pieces of a repo
 * type are the daemon's alone: Hub URL formats live only in daemon/hub/. */
#pragma once

#include "libhubd/hubd-repo-checks.h"

G_BEGIN_DECLS

/* The /api/{models|datasets|spaces}/… segment */
const gchar *
hubd_repo_type_to_api_plural(HubdRepoType type);

/* The web and resolve URL prefix: "", "datasets/" or "spaces/" */
const gchar *
hubd_repo_type_to_url_prefix(HubdRepoType type);

G_END_DECLS
