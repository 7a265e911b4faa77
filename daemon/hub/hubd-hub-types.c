/* hubd-hub-types.c: what HubdHubApi returns, small refcounted structs parsed from JSON
 *
 * Everything here comes from the network: a member of the wrong type is
 * treated as missing, strings are made valid UTF-8, paths that would leave a
 * folder are refused, and what a caller cannot do without (a tree entry's
 * path, a commit answer's commit) makes the whole answer an error. */
#define G_LOG_DOMAIN "HubdHubTypes"

#include "hubd-hub-types.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-json.h"

/* ---- reading ---- */

static gint64
types_get_number(JsonObject *obj, const gchar *member, gint64 fallback)
{
	gint64 n = 0;

	return hubd_json_get_number(obj, member, &n) ? n : fallback;
}

/* the string elements of `a` (NULL: none) */
static GStrv
types_strv(JsonArray *a)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();

	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonNode *e = json_array_get_element(a, i);
		g_autofree gchar *valid = NULL;

		if (!JSON_NODE_HOLDS_VALUE(e) || json_node_get_value_type(e) != G_TYPE_STRING)
			continue;
		valid = g_utf8_make_valid(json_node_get_string(e), -1);
		g_strv_builder_add(b, valid);
	}
	return g_strv_builder_end(b);
}

/* `member` of the elements of `a` that are objects */
static GStrv
types_strv_of_member(JsonArray *a, const gchar *member)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();

	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonNode *e = json_array_get_element(a, i);
		g_autofree gchar *s =
			JSON_NODE_HOLDS_OBJECT(e)
				? hubd_json_dup_string(json_node_get_object(e), member)
				: NULL;

		if (s != NULL)
			g_strv_builder_add(b, s);
	}
	return g_strv_builder_end(b);
}

/* ---- enums ---- */

/**
 * hubd_hub_visibility_to_string:
 * @visibility: a visibility
 *
 * Returns: the Hub's name for @visibility, %NULL for
 *   %HUBD_HUB_VISIBILITY_UNSET
 *
 * Since: 0.1
 */
const gchar *
hubd_hub_visibility_to_string(HubdHubVisibility visibility)
{
	switch (visibility) {
	case HUBD_HUB_VISIBILITY_PUBLIC:
		return "public";
	case HUBD_HUB_VISIBILITY_PRIVATE:
		return "private";
	case HUBD_HUB_VISIBILITY_PROTECTED:
		return "protected";
	case HUBD_HUB_VISIBILITY_UNSET:
	default:
		return NULL;
	}
}

/**
 * hubd_hub_entry_type_to_string:
 * @type: an entry type
 *
 * Returns: "file", "directory" or "unknown", as the Hub names them
 *
 * Since: 0.1
 */
const gchar *
hubd_hub_entry_type_to_string(HubdHubEntryType type)
{
	switch (type) {
	case HUBD_HUB_ENTRY_FILE:
		return "file";
	case HUBD_HUB_ENTRY_DIRECTORY:
		return "directory";
	case HUBD_HUB_ENTRY_UNKNOWN:
	default:
		return "unknown";
	}
}

/* ---- whoami ---- */

/**
 * hubd_hub_whoami_ref:
 * @self: a #HubdHubWhoami
 *
 * Returns: (transfer full): @self, with one more reference
 *
 * Since: 0.1
 */
/**
 * hubd_hub_whoami_unref:
 * @self: (transfer full): a #HubdHubWhoami
 *
 * Drops a reference; the last one frees @self.
 *
 * Since: 0.1
 */
HUBD_HUB_DEFINE_REFCOUNTED_TYPE(HubdHubWhoami, hubd_hub_whoami)

static void
hubd_hub_whoami_clear(HubdHubWhoami *self)
{
	g_free(self->name);
	g_free(self->fullname);
	g_free(self->email);
	g_free(self->type);
	g_strfreev(self->orgs);
	g_free(self->token_role);
	g_free(self->token_name);
	g_clear_pointer(&self->json, json_node_unref);
}

/**
 * hubd_hub_whoami_new_from_json:
 * @node: the Hub's whoami-v2 answer
 * @error: return location for a %HUBD_ERROR_SERVER error
 *
 * Returns: (transfer full) (nullable): the typed answer, %NULL when @node is
 *   not a whoami answer
 *
 * Since: 0.1
 */
HubdHubWhoami *
hubd_hub_whoami_new_from_json(JsonNode *node, GError **error)
{
	JsonObject *obj = hubd_json_expect_object(node, _("whoami answer"), error);
	JsonObject *access;
	g_autoptr(HubdHubWhoami) self = NULL;

	if (obj == NULL)
		return NULL;
	if (hubd_json_get_string(obj, "name") == NULL) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The Hub’s whoami answer has no name"));
		return NULL;
	}
	access = hubd_json_get_object(hubd_json_get_object(obj, "auth"), "accessToken");
	self = g_atomic_rc_box_new0(HubdHubWhoami);
	self->name = hubd_json_dup_string(obj, "name");
	self->fullname = hubd_json_dup_string(obj, "fullname");
	self->email = hubd_json_dup_string(obj, "email");
	self->type = hubd_json_dup_string(obj, "type");
	self->orgs = types_strv_of_member(hubd_json_get_array(obj, "orgs"), "name");
	self->token_role = hubd_json_dup_string(access, "role");
	self->token_name = hubd_json_dup_string(access, "displayName");
	self->json = json_node_ref(node);
	return g_steal_pointer(&self);
}

/* ---- repo info ---- */

/**
 * hubd_hub_repo_info_ref:
 * @self: a #HubdHubRepoInfo
 *
 * Returns: (transfer full): @self, with one more reference
 *
 * Since: 0.1
 */
/**
 * hubd_hub_repo_info_unref:
 * @self: (transfer full): a #HubdHubRepoInfo
 *
 * Drops a reference; the last one frees @self.
 *
 * Since: 0.1
 */
HUBD_HUB_DEFINE_REFCOUNTED_TYPE(HubdHubRepoInfo, hubd_hub_repo_info)

static void
hubd_hub_sibling_free(HubdHubSibling *sibling)
{
	g_free(sibling->rfilename);
	g_free(sibling->lfs_sha256);
	g_free(sibling);
}

static void
hubd_hub_repo_info_clear(HubdHubRepoInfo *self)
{
	g_free(self->id);
	g_free(self->author);
	g_free(self->sha);
	g_free(self->gated);
	g_free(self->last_modified);
	g_strfreev(self->tags);
	g_free(self->pipeline_tag);
	g_free(self->library_name);
	g_free(self->license);
	g_free(self->sdk);
	g_ptr_array_unref(self->siblings);
	g_clear_pointer(&self->json, json_node_unref);
}

/* cardData.license (a string or a list), else the first "license:" tag */
static gchar *
hubd_hub_repo_info_license(JsonObject *obj, GStrv tags)
{
	JsonObject *card = hubd_json_get_object(obj, "cardData");
	JsonArray *list = hubd_json_get_array(card, "license");

	if (hubd_json_get_string(card, "license") != NULL)
		return hubd_json_dup_string(card, "license");
	if (list != NULL) {
		g_auto(GStrv) licenses = types_strv(list);
		if (licenses[0] != NULL)
			return g_strdup(licenses[0]);
	}
	for (guint i = 0; tags != NULL && tags[i] != NULL; i++) {
		if (g_str_has_prefix(tags[i], "license:"))
			return g_strdup(tags[i] + strlen("license:"));
	}
	return NULL;
}

static GPtrArray *
hubd_hub_repo_info_siblings(JsonArray *a)
{
	GPtrArray *siblings = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_hub_sibling_free);

	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonNode *e = json_array_get_element(a, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT(e) ? json_node_get_object(e) : NULL;
		JsonObject *lfs = hubd_json_get_object(o, "lfs");
		HubdHubSibling *sibling;

		if (hubd_json_get_string(o, "rfilename") == NULL)
			continue;
		sibling = g_new0(HubdHubSibling, 1);
		sibling->rfilename = hubd_json_dup_string(o, "rfilename");
		/* with files metadata; an LFS file's size is its object's */
		sibling->size = types_get_number(lfs, "size", types_get_number(o, "size", -1));
		if (sibling->size < 0)
			sibling->size = -1;
		/* siblings call the LFS hash "sha256" (the tree calls it "oid") */
		sibling->lfs_sha256 = hubd_json_dup_string(lfs, "sha256");
		g_ptr_array_add(siblings, sibling);
	}
	return siblings;
}

/**
 * hubd_hub_repo_info_new_from_json:
 * @node: one repo of a listing, or a repo info answer
 * @error: return location for a %HUBD_ERROR_SERVER error
 *
 * Returns: (transfer full) (nullable): the typed repo, %NULL when @node is
 *   not an object
 *
 * Since: 0.1
 */
HubdHubRepoInfo *
hubd_hub_repo_info_new_from_json(JsonNode *node, GError **error)
{
	JsonObject *obj = hubd_json_expect_object(node, _("repo info"), error);
	HubdHubRepoInfo *self;
	const gchar *gated;

	if (obj == NULL)
		return NULL;
	self = g_atomic_rc_box_new0(HubdHubRepoInfo);
	self->id = hubd_json_dup_string(obj, "id");
	self->author = hubd_json_dup_string(obj, "author");
	self->sha = hubd_json_dup_string(obj, "sha");
	self->has_private = hubd_json_get_boolean(obj, "private", &self->private_);
	/* false, "auto" or "manual" on the wire */
	gated = hubd_json_get_string(obj, "gated");
	if (g_strcmp0(gated, "auto") == 0 || g_strcmp0(gated, "manual") == 0)
		self->gated = g_strdup(gated);
	else if (json_object_has_member(obj, "gated"))
		self->gated = g_strdup("false");
	self->has_disabled = hubd_json_get_boolean(obj, "disabled", &self->disabled);
	self->downloads = MAX(types_get_number(obj, "downloads", -1), -1);
	self->likes = MAX(types_get_number(obj, "likes", -1), -1);
	self->last_modified = hubd_json_dup_string(obj, "lastModified");
	if (hubd_json_get_array(obj, "tags") != NULL)
		self->tags = types_strv(hubd_json_get_array(obj, "tags"));
	self->pipeline_tag = hubd_json_dup_string(obj, "pipeline_tag");
	self->library_name = hubd_json_dup_string(obj, "library_name");
	self->license = hubd_hub_repo_info_license(obj, self->tags);
	self->sdk = hubd_json_dup_string(obj, "sdk");
	self->siblings = hubd_hub_repo_info_siblings(hubd_json_get_array(obj, "siblings"));
	self->json = json_node_ref(node);
	return self;
}

/* ---- tree entries ---- */

/**
 * hubd_hub_tree_entry_ref:
 * @self: a #HubdHubTreeEntry
 *
 * Returns: (transfer full): @self, with one more reference
 *
 * Since: 0.1
 */
/**
 * hubd_hub_tree_entry_unref:
 * @self: (transfer full): a #HubdHubTreeEntry
 *
 * Drops a reference; the last one frees @self.
 *
 * Since: 0.1
 */
HUBD_HUB_DEFINE_REFCOUNTED_TYPE(HubdHubTreeEntry, hubd_hub_tree_entry)

static void
hubd_hub_tree_entry_clear(HubdHubTreeEntry *self)
{
	g_free(self->path);
	g_free(self->oid);
	g_free(self->lfs_sha256);
	g_free(self->xet_hash);
	g_free(self->last_commit_id);
	g_free(self->last_commit_title);
	g_free(self->last_commit_date);
}

/**
 * hubd_hub_tree_entry_new_from_json:
 * @node: one entry of a tree listing or of paths-info
 * @error: return location for a %HUBD_ERROR_SERVER error
 *
 * An entry without a path, or whose path is not a safe relative path (see
 * hubd_path_is_safe_relative()), is an error: a listing that holds one is
 * not used at all.
 *
 * Returns: (transfer full) (nullable): the typed entry
 *
 * Since: 0.1
 */
HubdHubTreeEntry *
hubd_hub_tree_entry_new_from_json(JsonNode *node, GError **error)
{
	JsonObject *obj = hubd_json_expect_object(node, _("tree entry"), error);
	const gchar *path;
	const gchar *type;
	JsonObject *lfs;
	JsonObject *last;
	g_autoptr(GError) unsafe = NULL;
	HubdHubTreeEntry *self;

	if (obj == NULL)
		return NULL;
	path = hubd_json_get_string(obj, "path");
	/* untrusted: checked before anyone joins it to a folder */
	if (path == NULL) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The Hub listed a file without a name"));
		return NULL;
	}
	if (!hubd_path_is_safe_relative(path, &unsafe)) {
		/* the message quotes the path, escaped and cut short */
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_SERVER,
			    _("The Hub listed an unsafe file name, refused: %s"),
			    unsafe->message);
		return NULL;
	}
	self = g_atomic_rc_box_new0(HubdHubTreeEntry);
	self->path = g_strdup(path);
	type = hubd_json_get_string(obj, "type");
	if (g_strcmp0(type, "file") == 0)
		self->type = HUBD_HUB_ENTRY_FILE;
	else if (g_strcmp0(type, "directory") == 0)
		self->type = HUBD_HUB_ENTRY_DIRECTORY;
	self->size = (guint64)MAX(types_get_number(obj, "size", 0), 0);
	self->oid = hubd_json_dup_string(obj, "oid");
	lfs = hubd_json_get_object(obj, "lfs");
	self->is_lfs = lfs != NULL;
	/* the tree calls the LFS hash "oid"; siblings (and old answers) "sha256" */
	self->lfs_sha256 = hubd_json_dup_string(lfs, "oid");
	if (self->lfs_sha256 == NULL)
		self->lfs_sha256 = hubd_json_dup_string(lfs, "sha256");
	self->lfs_size = MAX(types_get_number(lfs, "size", -1), -1);
	self->lfs_pointer_size = MAX(types_get_number(lfs, "pointerSize", -1), -1);
	self->xet_hash = hubd_json_dup_string(obj, "xetHash");
	last = hubd_json_get_object(obj, "lastCommit");
	self->last_commit_id = hubd_json_dup_string(last, "id");
	self->last_commit_title = hubd_json_dup_string(last, "title");
	self->last_commit_date = hubd_json_dup_string(last, "date");
	return self;
}

/* ---- commits ---- */

/**
 * hubd_hub_commit_ref:
 * @self: a #HubdHubCommit
 *
 * Returns: (transfer full): @self, with one more reference
 *
 * Since: 0.1
 */
/**
 * hubd_hub_commit_unref:
 * @self: (transfer full): a #HubdHubCommit
 *
 * Drops a reference; the last one frees @self.
 *
 * Since: 0.1
 */
HUBD_HUB_DEFINE_REFCOUNTED_TYPE(HubdHubCommit, hubd_hub_commit)

static void
hubd_hub_commit_clear(HubdHubCommit *self)
{
	g_free(self->id);
	g_free(self->title);
	g_free(self->message);
	g_free(self->date);
	g_strfreev(self->authors);
}

/**
 * hubd_hub_commit_new_from_json:
 * @node: one commit of a history listing
 * @error: return location for a %HUBD_ERROR_SERVER error
 *
 * Returns: (transfer full) (nullable): the typed commit
 *
 * Since: 0.1
 */
HubdHubCommit *
hubd_hub_commit_new_from_json(JsonNode *node, GError **error)
{
	JsonObject *obj = hubd_json_expect_object(node, _("commit"), error);
	HubdHubCommit *self;

	if (obj == NULL)
		return NULL;
	self = g_atomic_rc_box_new0(HubdHubCommit);
	self->id = hubd_json_dup_string(obj, "id") ?: g_strdup("");
	self->title = hubd_json_dup_string(obj, "title") ?: g_strdup("");
	self->message = hubd_json_dup_string(obj, "message") ?: g_strdup("");
	self->date = hubd_json_dup_string(obj, "date") ?: g_strdup("");
	self->authors = types_strv_of_member(hubd_json_get_array(obj, "authors"), "user");
	return self;
}

/* ---- refs ---- */

/**
 * hubd_hub_refs_ref:
 * @self: a #HubdHubRefs
 *
 * Returns: (transfer full): @self, with one more reference
 *
 * Since: 0.1
 */
/**
 * hubd_hub_refs_unref:
 * @self: (transfer full): a #HubdHubRefs
 *
 * Drops a reference; the last one frees @self.
 *
 * Since: 0.1
 */
HUBD_HUB_DEFINE_REFCOUNTED_TYPE(HubdHubRefs, hubd_hub_refs)

static void
hubd_hub_ref_free(HubdHubRef *ref)
{
	g_free(ref->name);
	g_free(ref->ref);
	g_free(ref->target_commit);
	g_free(ref);
}

static void
hubd_hub_refs_clear(HubdHubRefs *self)
{
	g_ptr_array_unref(self->branches);
	g_ptr_array_unref(self->tags);
	g_ptr_array_unref(self->converts);
	g_ptr_array_unref(self->pull_requests);
}

static GPtrArray *
hubd_hub_refs_list(JsonArray *a)
{
	GPtrArray *refs = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_hub_ref_free);

	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonNode *e = json_array_get_element(a, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT(e) ? json_node_get_object(e) : NULL;
		HubdHubRef *ref;

		if (hubd_json_get_string(o, "name") == NULL)
			continue;
		ref = g_new0(HubdHubRef, 1);
		ref->name = hubd_json_dup_string(o, "name");
		ref->ref = hubd_json_dup_string(o, "ref") ?: g_strdup("");
		ref->target_commit = hubd_json_dup_string(o, "targetCommit") ?: g_strdup("");
		g_ptr_array_add(refs, ref);
	}
	return refs;
}

/**
 * hubd_hub_refs_new_from_json:
 * @node: a refs answer
 * @error: return location for a %HUBD_ERROR_SERVER error
 *
 * Returns: (transfer full) (nullable): the typed refs
 *
 * Since: 0.1
 */
HubdHubRefs *
hubd_hub_refs_new_from_json(JsonNode *node, GError **error)
{
	JsonObject *obj = hubd_json_expect_object(node, _("refs answer"), error);
	HubdHubRefs *self;

	if (obj == NULL)
		return NULL;
	self = g_atomic_rc_box_new0(HubdHubRefs);
	self->branches = hubd_hub_refs_list(hubd_json_get_array(obj, "branches"));
	self->tags = hubd_hub_refs_list(hubd_json_get_array(obj, "tags"));
	self->converts = hubd_hub_refs_list(hubd_json_get_array(obj, "converts"));
	self->pull_requests = hubd_hub_refs_list(hubd_json_get_array(obj, "pullRequests"));
	return self;
}
