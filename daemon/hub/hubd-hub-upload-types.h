/* hubd-hub-upload-types.h: preupload, commit and LFS batch answers, typed */
#pragma once

#include "hubd-hub-types.h"

G_BEGIN_DECLS

/**
 * HubdHubUploadMode:
 * @HUBD_HUB_UPLOAD_MODE_REGULAR: sent inside the commit
 * @HUBD_HUB_UPLOAD_MODE_LFS: uploaded with LFS, referenced by the commit
 *
 * How the Hub wants a file of a commit uploaded.
 *
 * Since: 0.1
 */
typedef enum {
	HUBD_HUB_UPLOAD_MODE_REGULAR,
	HUBD_HUB_UPLOAD_MODE_LFS,
} HubdHubUploadMode;

/**
 * HubdHubPreuploadFile:
 * @path: the path in the repo, as asked
 * @upload_mode: regular or LFS
 * @should_ignore: the repo's `.gitignore` ignores it
 * @oid: (nullable): what the revision holds at that path (SHA-256 for an
 *   LFS file, else the git blob SHA-1)
 *
 * The Hub's answer for one file of a preupload.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *path;
	HubdHubUploadMode upload_mode;
	gboolean should_ignore;
	gchar *oid;
} HubdHubPreuploadFile;

/**
 * HubdHubPreupload:
 * @commit_oid: (nullable): the revision's head
 * @files: (element-type HubdHubPreuploadFile): one per file the Hub
 *   answered for
 *
 * A preupload answer.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *commit_oid;
	GPtrArray *files;
} HubdHubPreupload;

#define HUBD_TYPE_HUB_PREUPLOAD (hubd_hub_preupload_get_type())
GType
hubd_hub_preupload_get_type(void);
HubdHubPreupload *
hubd_hub_preupload_new_from_json(JsonNode *node, GError **error);
HubdHubPreupload *
hubd_hub_preupload_ref(HubdHubPreupload *preupload);
void
hubd_hub_preupload_unref(HubdHubPreupload *preupload);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubPreupload, hubd_hub_preupload_unref)

/**
 * HubdHubCommitInfo:
 * @commit_oid: the new commit
 * @commit_url: (nullable): its web page
 * @pr_url: (nullable): the pull request opened, with `create_pr`
 * @pr_revision: (nullable): its revision, "refs/pr/N"
 * @pr_num: its number, 0 when none
 *
 * What a commit made.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *commit_oid;
	gchar *commit_url;
	gchar *pr_url;
	gchar *pr_revision;
	guint pr_num;
} HubdHubCommitInfo;

#define HUBD_TYPE_HUB_COMMIT_INFO (hubd_hub_commit_info_get_type())
GType
hubd_hub_commit_info_get_type(void);
HubdHubCommitInfo *
hubd_hub_commit_info_new_from_json(JsonNode *node, GError **error);
HubdHubCommitInfo *
hubd_hub_commit_info_ref(HubdHubCommitInfo *info);
void
hubd_hub_commit_info_unref(HubdHubCommitInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubCommitInfo, hubd_hub_commit_info_unref)

/**
 * HubdHubLfsAction:
 * @oid: the object's SHA-256
 * @size: its size
 * @error_message: (nullable): the Hub refused this object (then there is
 *   no action)
 * @error_code: the code that came with it
 * @upload_href: (nullable): where to upload; %NULL when the Hub has it
 * @chunk_size: multipart uploads: the part size (then @part_urls is set)
 * @part_urls: (nullable) (element-type utf8): multipart uploads: one URL
 *   per part, part 1 first
 * @verify_href: (nullable): where to confirm the upload
 * @download_href: (nullable): downloads: where the object is
 * @download_headers: (nullable) (element-type utf8): downloads: header
 *   names and values to send there, alternating
 *
 * One object of an LFS batch answer. The URLs are the Hub's, to be used as
 * given.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *oid;
	guint64 size;
	gchar *error_message;
	gint error_code;
	gchar *upload_href;
	guint64 chunk_size;
	GPtrArray *part_urls;
	gchar *verify_href;
	gchar *download_href;
	GPtrArray *download_headers;
} HubdHubLfsAction;

/**
 * HubdHubLfsBatch:
 * @transfer: (nullable): the transfer the Hub chose ("basic",
 *   "multipart"...)
 * @objects: (element-type HubdHubLfsAction): one per object answered
 *
 * An LFS batch answer.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *transfer;
	GPtrArray *objects;
} HubdHubLfsBatch;

#define HUBD_TYPE_HUB_LFS_BATCH (hubd_hub_lfs_batch_get_type())
GType
hubd_hub_lfs_batch_get_type(void);
HubdHubLfsBatch *
hubd_hub_lfs_batch_new_from_json(JsonNode *node, GError **error);
HubdHubLfsBatch *
hubd_hub_lfs_batch_ref(HubdHubLfsBatch *batch);
void
hubd_hub_lfs_batch_unref(HubdHubLfsBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubLfsBatch, hubd_hub_lfs_batch_unref)

G_END_DECLS
