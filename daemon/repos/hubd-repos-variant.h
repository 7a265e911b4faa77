/* hubd-repos-variant.h: typed Hub results -> the a{sv} of org.hubd.Hub1.Repos */
#pragma once

#include <glib.h>

#include "hubd-hub-api.h"

G_BEGIN_DECLS

/* Info: the stable fields, "siblings" (a(sx)) and "json" (the whole answer). */
GVariant *
hubd_repos_variant_info(HubdHubRepoInfo *info);

/* List (HubdHubRepoInfo*): the stable fields the Hub gave, nothing else. */
GVariant *
hubd_repos_variant_list(GPtrArray *repos);

/* ListFiles (HubdHubTreeEntry*): path, type, size, oid, lfs_sha256, lfs_size. */
GVariant *
hubd_repos_variant_tree(GPtrArray *entries);

/* ListCommits (HubdHubCommit*): id, title, message, date, authors. */
GVariant *
hubd_repos_variant_commits(GPtrArray *commits);

/* ListRefs: branches, tags (and pull_requests with `include_prs`). */
GVariant *
hubd_repos_variant_refs(HubdHubRefs *refs, gboolean include_prs);

G_END_DECLS
