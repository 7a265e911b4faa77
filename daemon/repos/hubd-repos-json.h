/* hubd-repos-json.h: the Hub's repo JSON (info, listings, tree, refs,
 * commits) -> the a{sv} dictionaries of org.hubd.Hub1.Repos */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Info: the stable fields, "siblings" (a(sx)) and "json" (the whole answer). */
GVariant *
hubd_repos_json_info(JsonNode *node);

/* One List item: the stable fields the Hub gives, nothing else. */
GVariant *
hubd_repos_json_list_item(JsonObject *obj);

/* One tree entry: path, type, size, oid, lfs_sha256, lfs_size. */
GVariant *
hubd_repos_json_tree_entry(JsonObject *obj);

/* One commit: id, title, message, date, authors. */
GVariant *
hubd_repos_json_commit(JsonObject *obj);

/* The refs answer: branches, tags (and pull_requests with `include_prs`). */
GVariant *
hubd_repos_json_refs(JsonNode *node, gboolean include_prs);

G_END_DECLS
