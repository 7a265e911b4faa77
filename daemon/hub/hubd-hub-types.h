/* hubd-hub-types.h: what HubdHubApi returns, small refcounted structs parsed from JSON */
#pragma once

#include <json-glib/json-glib.h>

#include "hubd-repo-id.h"

G_BEGIN_DECLS

/* For the .c files of this layer: each type here is a GBoxed with an atomic
 * refcount (ref, unref, get_type), and a TYPE_clear() the file defines that
 * frees what it holds. */
#define HUBD_HUB_DEFINE_REFCOUNTED_TYPE(TypeName, type_name)                           \
	static void type_name##_clear(TypeName *self);                                 \
	TypeName *type_name##_ref(TypeName *self)                                      \
	{                                                                              \
		g_return_val_if_fail(self != NULL, NULL);                              \
		return g_atomic_rc_box_acquire(self);                                  \
	}                                                                              \
	void type_name##_unref(TypeName *self)                                         \
	{                                                                              \
		g_return_if_fail(self != NULL);                                        \
		g_atomic_rc_box_release_full(self, (GDestroyNotify)type_name##_clear); \
	}                                                                              \
	G_DEFINE_BOXED_TYPE(TypeName, type_name, type_name##_ref, type_name##_unref)

/* Every struct here is made by this layer only and read-only for callers,
 * so fields may be added at the end. Strings are valid UTF-8 when set. */

/**
 * HubdHubVisibility:
 * @HUBD_HUB_VISIBILITY_UNSET: not sent: the Hub (or the organisation's
 *   default) decides, or the setting is left as it is
 * @HUBD_HUB_VISIBILITY_PUBLIC: anyone can read the repo
 * @HUBD_HUB_VISIBILITY_PRIVATE: only its owners can
 * @HUBD_HUB_VISIBILITY_PROTECTED: a Space whose page is public and whose
 *   files are not (Spaces only)
 *
 * A repo's visibility, as the Hub's `visibility` field.
 *
 * Since: 0.1
 */
typedef enum {
	HUBD_HUB_VISIBILITY_UNSET,
	HUBD_HUB_VISIBILITY_PUBLIC,
	HUBD_HUB_VISIBILITY_PRIVATE,
	HUBD_HUB_VISIBILITY_PROTECTED,
} HubdHubVisibility;

const gchar *
hubd_hub_visibility_to_string(HubdHubVisibility visibility);

/**
 * HubdHubWhoami:
 * @name: the account's name
 * @fullname: (nullable): its full name
 * @email: (nullable): its e-mail address
 * @type: (nullable): "user", "org" or "app"
 * @orgs: the names of the organisations it belongs to, never %NULL
 * @token_role: (nullable): the token's role ("read", "write",
 *   "fineGrained"...)
 * @token_name: (nullable): the token's name on the Hub
 * @json: the whole answer, for callers that pass it on
 *
 * Who a token belongs to (`GET /api/whoami-v2`).
 *
 * Since: 0.1
 */
typedef struct {
	gchar *name;
	gchar *fullname;
	gchar *email;
	gchar *type;
	GStrv orgs;
	gchar *token_role;
	gchar *token_name;
	JsonNode *json;
} HubdHubWhoami;

#define HUBD_TYPE_HUB_WHOAMI (hubd_hub_whoami_get_type())
GType
hubd_hub_whoami_get_type(void);
HubdHubWhoami *
hubd_hub_whoami_new_from_json(JsonNode *node, GError **error);
HubdHubWhoami *
hubd_hub_whoami_ref(HubdHubWhoami *whoami);
void
hubd_hub_whoami_unref(HubdHubWhoami *whoami);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubWhoami, hubd_hub_whoami_unref)

/**
 * HubdHubSibling:
 * @rfilename: the file's path in the repo (as the Hub sent it)
 * @size: its size in bytes (an LFS file's object size), -1 when the answer
 *   had no file metadata
 * @lfs_sha256: (nullable): the LFS object's SHA-256, for LFS files
 *
 * One file of a repo info's `siblings`.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *rfilename;
	gint64 size;
	gchar *lfs_sha256;
} HubdHubSibling;

/**
 * HubdHubRepoInfo:
 * @id: the repo id
 * @author: (nullable): its namespace
 * @sha: (nullable): the commit of the revision asked for
 * @has_private: whether the answer said if the repo is private
 * @private_: whether it is private
 * @gated: (nullable): "false", "auto" or "manual"; %NULL when not given
 * @has_disabled: whether the answer said if the repo is disabled
 * @disabled: whether it is
 * @downloads: downloads, -1 when not given
 * @likes: likes, -1 when not given
 * @last_modified: (nullable): ISO 8601 date
 * @tags: (nullable): tags; %NULL when not given
 * @pipeline_tag: (nullable): the task
 * @library_name: (nullable): the library
 * @license: (nullable): `cardData.license`, else the first `license:` tag
 * @sdk: (nullable): a Space's SDK
 * @siblings: (element-type HubdHubSibling): the files; empty when not given
 * @json: the whole object, for callers that pass it on
 *
 * A repo as repo info and the repo listings describe it. Listings give
 * fewer fields than repo info.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *id;
	gchar *author;
	gchar *sha;
	gboolean has_private;
	gboolean private_;
	gchar *gated;
	gboolean has_disabled;
	gboolean disabled;
	gint64 downloads;
	gint64 likes;
	gchar *last_modified;
	GStrv tags;
	gchar *pipeline_tag;
	gchar *library_name;
	gchar *license;
	gchar *sdk;
	GPtrArray *siblings;
	JsonNode *json;
} HubdHubRepoInfo;

#define HUBD_TYPE_HUB_REPO_INFO (hubd_hub_repo_info_get_type())
GType
hubd_hub_repo_info_get_type(void);
HubdHubRepoInfo *
hubd_hub_repo_info_new_from_json(JsonNode *node, GError **error);
HubdHubRepoInfo *
hubd_hub_repo_info_ref(HubdHubRepoInfo *info);
void
hubd_hub_repo_info_unref(HubdHubRepoInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubRepoInfo, hubd_hub_repo_info_unref)

/**
 * HubdHubEntryType:
 * @HUBD_HUB_ENTRY_UNKNOWN: the Hub said something else
 * @HUBD_HUB_ENTRY_FILE: a file
 * @HUBD_HUB_ENTRY_DIRECTORY: a folder
 *
 * What a tree entry is.
 *
 * Since: 0.1
 */
typedef enum {
	HUBD_HUB_ENTRY_UNKNOWN,
	HUBD_HUB_ENTRY_FILE,
	HUBD_HUB_ENTRY_DIRECTORY,
} HubdHubEntryType;

const gchar *
hubd_hub_entry_type_to_string(HubdHubEntryType type);

/**
 * HubdHubTreeEntry:
 * @path: the path in the repo, checked with hubd_path_is_safe_relative()
 * @type: file or folder
 * @size: the size in bytes (of the pointer for an LFS file, 0 for folders)
 * @oid: (nullable): the git blob (or tree) id
 * @is_lfs: whether the file is stored with LFS (the `lfs_` fields apply)
 * @lfs_sha256: (nullable): the LFS object's SHA-256
 * @lfs_size: the LFS object's size, -1 when not given
 * @lfs_pointer_size: the size of its pointer file, -1 when not given
 * @xet_hash: (nullable): the Xet hash
 * @last_commit_id: (nullable): with `expand` only
 * @last_commit_title: (nullable): with `expand` only
 * @last_commit_date: (nullable): with `expand` only
 *
 * One entry of a tree listing or of paths-info.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *path;
	HubdHubEntryType type;
	guint64 size;
	gchar *oid;
	gboolean is_lfs;
	gchar *lfs_sha256;
	gint64 lfs_size;
	gint64 lfs_pointer_size;
	gchar *xet_hash;
	gchar *last_commit_id;
	gchar *last_commit_title;
	gchar *last_commit_date;
} HubdHubTreeEntry;

#define HUBD_TYPE_HUB_TREE_ENTRY (hubd_hub_tree_entry_get_type())
GType
hubd_hub_tree_entry_get_type(void);
HubdHubTreeEntry *
hubd_hub_tree_entry_new_from_json(JsonNode *node, GError **error);
HubdHubTreeEntry *
hubd_hub_tree_entry_ref(HubdHubTreeEntry *entry);
void
hubd_hub_tree_entry_unref(HubdHubTreeEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubTreeEntry, hubd_hub_tree_entry_unref)

/**
 * HubdHubCommit:
 * @id: the commit id
 * @title: its title, never %NULL
 * @message: its message, never %NULL
 * @date: ISO 8601 date, never %NULL
 * @authors: the authors' user names, never %NULL
 *
 * One commit of a repo's history.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *id;
	gchar *title;
	gchar *message;
	gchar *date;
	GStrv authors;
} HubdHubCommit;

#define HUBD_TYPE_HUB_COMMIT (hubd_hub_commit_get_type())
GType
hubd_hub_commit_get_type(void);
HubdHubCommit *
hubd_hub_commit_new_from_json(JsonNode *node, GError **error);
HubdHubCommit *
hubd_hub_commit_ref(HubdHubCommit *commit);
void
hubd_hub_commit_unref(HubdHubCommit *commit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubCommit, hubd_hub_commit_unref)

/**
 * HubdHubRef:
 * @name: the branch, tag or ref name ("main", "v1", "refs/pr/1")
 * @ref: the full git ref ("refs/heads/main"), never %NULL
 * @target_commit: the commit it points at, never %NULL
 *
 * One ref of a #HubdHubRefs.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *name;
	gchar *ref;
	gchar *target_commit;
} HubdHubRef;

/**
 * HubdHubRefs:
 * @branches: (element-type HubdHubRef): branches
 * @tags: (element-type HubdHubRef): tags
 * @converts: (element-type HubdHubRef): `refs/convert/…` refs
 * @pull_requests: (element-type HubdHubRef): pull requests; empty unless
 *   asked for
 *
 * A repo's refs (`GET /api/{type}s/{id}/refs`).
 *
 * Since: 0.1
 */
typedef struct {
	GPtrArray *branches;
	GPtrArray *tags;
	GPtrArray *converts;
	GPtrArray *pull_requests;
} HubdHubRefs;

#define HUBD_TYPE_HUB_REFS (hubd_hub_refs_get_type())
GType
hubd_hub_refs_get_type(void);
HubdHubRefs *
hubd_hub_refs_new_from_json(JsonNode *node, GError **error);
HubdHubRefs *
hubd_hub_refs_ref(HubdHubRefs *refs);
void
hubd_hub_refs_unref(HubdHubRefs *refs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubRefs, hubd_hub_refs_unref)

G_END_DECLS
