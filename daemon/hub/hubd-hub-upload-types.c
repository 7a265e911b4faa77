/* hubd-hub-upload-types.c: preupload, commit and LFS batch answers, typed
 *
 * As hubd-hub-types.c: the network's JSON is read defensively, and what a
 * caller cannot do without makes the whole answer an error. */
#define G_LOG_DOMAIN "HubdHubTypes"

#include "hubd-hub-upload-types.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-json.h"

static gint64
upload_types_number(JsonObject *obj, const gchar *member)
{
	gint64 n = 0;

	return hubd_json_get_number(obj, member, &n) ? n : 0;
}

/* An href the Hub handed out, used as given: it must be a web URL. */
static gboolean
upload_types_is_http_url(const gchar *url)
{
	return url != NULL && g_utf8_validate(url, -1, NULL) &&
	       (g_str_has_prefix(url, "https://") || g_str_has_prefix(url, "http://"));
}

/* ---- preupload ---- */

/**
 * hubd_hub_preupload_ref:
 * @self: a #HubdHubPreupload
 *
 * Returns: (transfer full): @self, with one more reference
 *
 * Since: 0.1
 */
/**
 * hubd_hub_preupload_unref:
 * @self: (transfer full): a #HubdHubPreupload
 *
 * Drops a reference; the last one frees @self.
 *
 * Since: 0.1
 */
HUBD_HUB_DEFINE_REFCOUNTED_TYPE(HubdHubPreupload, hubd_hub_preupload)

static void
hubd_hub_preupload_file_free(HubdHubPreuploadFile *file)
{
	g_free(file->path);
	g_free(file->oid);
	g_free(file);
}

static void
hubd_hub_preupload_clear(HubdHubPreupload *self)
{
	g_free(self->commit_oid);
	g_ptr_array_unref(self->files);
}

/**
 * hubd_hub_preupload_new_from_json:
 * @node: a preupload answer
 * @error: return location for a %HUBD_ERROR_SERVER error
 *
 * An upload mode other than "regular" and "lfs" is an error, as in
 * huggingface_hub's `_fetch_upload_modes`.
 *
 * Returns: (transfer full) (nullable): the typed answer
 *
 * Since: 0.1
 */
HubdHubPreupload *
hubd_hub_preupload_new_from_json(JsonNode *node, GError **error)
{
	JsonObject *obj = hubd_json_expect_object(node, _("preupload answer"), error);
	JsonArray *files;
	g_autoptr(HubdHubPreupload) self = NULL;

	if (obj == NULL)
		return NULL;
	files = hubd_json_get_array(obj, "files");
	if (files == NULL) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The Hub’s preupload answer has no files"));
		return NULL;
	}
	self = g_atomic_rc_box_new0(HubdHubPreupload);
	self->commit_oid = hubd_json_dup_string(obj, "commitOid");
	self->files = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_hub_preupload_file_free);
	for (guint i = 0; i < json_array_get_length(files); i++) {
		JsonNode *e = json_array_get_element(files, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT(e) ? json_node_get_object(e) : NULL;
		const gchar *mode = hubd_json_get_string(o, "uploadMode");
		HubdHubPreuploadFile *file;

		if (hubd_json_get_string(o, "path") == NULL)
			continue;
		if (g_strcmp0(mode, "lfs") != 0 && g_strcmp0(mode, "regular") != 0) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The Hub’s preupload answer has an unknown upload mode “%s”"),
				    mode != NULL ? mode : "");
			return NULL;
		}
		file = g_new0(HubdHubPreuploadFile, 1);
		file->path = hubd_json_dup_string(o, "path");
		file->upload_mode = g_strcmp0(mode, "lfs") == 0 ? HUBD_HUB_UPLOAD_MODE_LFS
								: HUBD_HUB_UPLOAD_MODE_REGULAR;
		hubd_json_get_boolean(o, "shouldIgnore", &file->should_ignore);
		file->oid = hubd_json_dup_string(o, "oid");
		g_ptr_array_add(self->files, file);
	}
	return g_steal_pointer(&self);
}

/* ---- commit answers ---- */

/**
 * hubd_hub_commit_info_ref:
 * @self: a #HubdHubCommitInfo
 *
 * Returns: (transfer full): @self, with one more reference
 *
 * Since: 0.1
 */
/**
 * hubd_hub_commit_info_unref:
 * @self: (transfer full): a #HubdHubCommitInfo
 *
 * Drops a reference; the last one frees @self.
 *
 * Since: 0.1
 */
HUBD_HUB_DEFINE_REFCOUNTED_TYPE(HubdHubCommitInfo, hubd_hub_commit_info)

static void
hubd_hub_commit_info_clear(HubdHubCommitInfo *self)
{
	g_free(self->commit_oid);
	g_free(self->commit_url);
	g_free(self->pr_url);
	g_free(self->pr_revision);
}

/**
 * hubd_hub_commit_info_new_from_json:
 * @node: a commit answer
 * @error: return location for a %HUBD_ERROR_SERVER error
 *
 * The pull request's revision comes from the trailing `/discussions/N` of
 * its URL, as huggingface_hub's `_parse_revision_from_pr_url`.
 *
 * Returns: (transfer full) (nullable): the typed answer
 *
 * Since: 0.1
 */
HubdHubCommitInfo *
hubd_hub_commit_info_new_from_json(JsonNode *node, GError **error)
{
	JsonObject *obj = hubd_json_expect_object(node, _("commit answer"), error);
	HubdHubCommitInfo *self;
	const gchar *tail;
	guint64 num = 0;

	if (obj == NULL)
		return NULL;
	if (hubd_json_get_string(obj, "commitOid") == NULL) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The Hub’s commit answer has no commitOid"));
		return NULL;
	}
	self = g_atomic_rc_box_new0(HubdHubCommitInfo);
	self->commit_oid = hubd_json_dup_string(obj, "commitOid");
	self->commit_url = hubd_json_dup_string(obj, "commitUrl");
	self->pr_url = hubd_json_dup_string(obj, "pullRequestUrl");
	tail = self->pr_url != NULL ? g_strrstr(self->pr_url, "/discussions/") : NULL;
	if (tail != NULL && g_ascii_string_to_unsigned(tail + strlen("/discussions/"),
						       10,
						       1,
						       G_MAXUINT,
						       &num,
						       NULL)) {
		self->pr_num = (guint)num;
		self->pr_revision = g_strdup_printf("refs/pr/%u", self->pr_num);
	}
	return self;
}

/* ---- LFS batch ---- */

/**
 * hubd_hub_lfs_batch_ref:
 * @self: a #HubdHubLfsBatch
 *
 * Returns: (transfer full): @self, with one more reference
 *
 * Since: 0.1
 */
/**
 * hubd_hub_lfs_batch_unref:
 * @self: (transfer full): a #HubdHubLfsBatch
 *
 * Drops a reference; the last one frees @self.
 *
 * Since: 0.1
 */
HUBD_HUB_DEFINE_REFCOUNTED_TYPE(HubdHubLfsBatch, hubd_hub_lfs_batch)

static void
hubd_hub_lfs_action_free(HubdHubLfsAction *action)
{
	g_free(action->oid);
	g_free(action->error_message);
	g_free(action->upload_href);
	g_clear_pointer(&action->part_urls, g_ptr_array_unref);
	g_free(action->verify_href);
	g_free(action->download_href);
	g_clear_pointer(&action->download_headers, g_ptr_array_unref);
	g_free(action);
}

static void
hubd_hub_lfs_batch_clear(HubdHubLfsBatch *self)
{
	g_free(self->transfer);
	g_ptr_array_unref(self->objects);
}

static gboolean
lfs_is_digits(const gchar *s)
{
	if (*s == '\0')
		return FALSE;
	for (; *s != '\0'; s++) {
		if (!g_ascii_isdigit(*s))
			return FALSE;
	}
	return TRUE;
}

static gint
lfs_part_key_cmp(gconstpointer a, gconstpointer b)
{
	guint64 x = g_ascii_strtoull(*(const gchar *const *)a, NULL, 10);
	guint64 y = g_ascii_strtoull(*(const gchar *const *)b, NULL, 10);

	return (x > y) - (x < y);
}

/* An href the Hub handed out, used as given: it must be a web URL. */
static gboolean
lfs_take_href(JsonObject *obj, gchar **out, const gchar *oid, GError **error)
{
	const gchar *href = hubd_json_get_string(obj, "href");

	if (obj == NULL)
		return TRUE;
	if (!upload_types_is_http_url(href)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_SERVER,
			    _("The LFS batch API gave no usable URL for %s"),
			    oid);
		return FALSE;
	}
	*out = g_strdup(href);
	return TRUE;
}

/* Multipart (huggingface_hub's lfs.py `_upload_multi_part`): the upload
 * header holds `chunk_size` and one presigned URL per part under all-digit
 * keys, exactly ceil(size / chunk_size) of them. */
static gboolean
lfs_take_parts(HubdHubLfsAction *action, JsonObject *header, GError **error)
{
	const gchar *cs = hubd_json_get_string(header, "chunk_size");
	g_autoptr(GList) members = NULL;
	g_autoptr(GPtrArray) keys = g_ptr_array_new();
	gint64 n = 0;
	guint64 expected;

	if (cs != NULL)
		action->chunk_size = g_ascii_strtoull(cs, NULL, 10);
	else if (hubd_json_get_number(header, "chunk_size", &n) && n > 0)
		action->chunk_size = (guint64)n;
	members = json_object_get_members(header);
	for (GList *l = members; l != NULL; l = l->next) {
		if (lfs_is_digits(l->data))
			g_ptr_array_add(keys, l->data);
	}
	g_ptr_array_sort(keys, lfs_part_key_cmp);
	expected = action->chunk_size > 0 ? action->size / action->chunk_size +
						    (action->size % action->chunk_size != 0 ? 1 : 0)
					  : 0;
	if (expected == 0 || keys->len != expected) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_SERVER,
			    _("The LFS batch API gave %u parts for %s, expected %u"),
			    keys->len,
			    action->oid,
			    (guint)MIN(expected, (guint64)G_MAXUINT));
		return FALSE;
	}
	action->part_urls = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < keys->len; i++) {
		const gchar *url = hubd_json_get_string(header, g_ptr_array_index(keys, i));

		if (!upload_types_is_http_url(url)) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The LFS batch API gave no usable URL for part %u of %s"),
				    i + 1,
				    action->oid);
			return FALSE;
		}
		g_ptr_array_add(action->part_urls, g_strdup(url));
	}
	return TRUE;
}

static HubdHubLfsAction *
lfs_action_new(JsonObject *obj, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	JsonObject *actions = hubd_json_get_object(obj, "actions");
	JsonObject *upload = hubd_json_get_object(actions, "upload");
	JsonObject *download = hubd_json_get_object(actions, "download");
	JsonObject *refusal = hubd_json_get_object(obj, "error");
	JsonObject *header;
	HubdHubLfsAction *action = g_new0(HubdHubLfsAction, 1);

	action->oid = hubd_json_dup_string(obj, "oid");
	action->size = (guint64)MAX(upload_types_number(obj, "size"), 0);
	if (refusal != NULL || json_object_has_member(obj, "error")) {
		action->error_message = hubd_json_dup_string(refusal, "message") ?: g_strdup("");
		action->error_code = (gint)CLAMP(upload_types_number(refusal, "code"), 0, 999);
		return action;
	}
	if (!lfs_take_href(upload, &action->upload_href, action->oid, &error_local) ||
	    !lfs_take_href(hubd_json_get_object(actions, "verify"),
			   &action->verify_href,
			   action->oid,
			   &error_local) ||
	    !lfs_take_href(download, &action->download_href, action->oid, &error_local))
		goto fail;
	header = hubd_json_get_object(upload, "header");
	if (header != NULL && json_object_has_member(header, "chunk_size") &&
	    !lfs_take_parts(action, header, &error_local))
		goto fail;
	header = hubd_json_get_object(download, "header");
	if (header != NULL) {
		g_autoptr(GList) members = json_object_get_members(header);
		action->download_headers = g_ptr_array_new_with_free_func(g_free);
		for (GList *l = members; l != NULL; l = l->next) {
			gchar *value = hubd_json_dup_string(header, l->data);
			if (value == NULL)
				continue;
			g_ptr_array_add(action->download_headers, g_strdup(l->data));
			g_ptr_array_add(action->download_headers, value);
		}
	}
	return action;
fail:
	g_propagate_error(error, g_steal_pointer(&error_local));
	hubd_hub_lfs_action_free(action);
	return NULL;
}

/**
 * hubd_hub_lfs_batch_new_from_json:
 * @node: an LFS batch answer
 * @error: return location for a %HUBD_ERROR_SERVER error
 *
 * An object the Hub refused keeps its error in the result; an answer whose
 * URLs are not web URLs, or whose multipart parts do not cover the object,
 * is an error.
 *
 * Returns: (transfer full) (nullable): the typed answer
 *
 * Since: 0.1
 */
HubdHubLfsBatch *
hubd_hub_lfs_batch_new_from_json(JsonNode *node, GError **error)
{
	JsonObject *obj = hubd_json_expect_object(node, _("LFS batch answer"), error);
	JsonArray *objects;
	g_autoptr(HubdHubLfsBatch) self = NULL;

	if (obj == NULL)
		return NULL;
	objects = hubd_json_get_array(obj, "objects");
	if (objects == NULL) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The LFS batch API’s answer has no objects"));
		return NULL;
	}
	self = g_atomic_rc_box_new0(HubdHubLfsBatch);
	self->transfer = hubd_json_dup_string(obj, "transfer");
	self->objects = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_hub_lfs_action_free);
	for (guint i = 0; i < json_array_get_length(objects); i++) {
		JsonNode *e = json_array_get_element(objects, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT(e) ? json_node_get_object(e) : NULL;
		HubdHubLfsAction *action;

		if (hubd_json_get_string(o, "oid") == NULL)
			continue;
		action = lfs_action_new(o, error);
		if (action == NULL)
			return NULL;
		g_ptr_array_add(self->objects, action);
	}
	return g_steal_pointer(&self);
}
