/* hubd-hub-api.h: HubdHubApi, one function per Hub endpoint; the only Hub URL builder */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hubd-hub-request.h"
#include "hubd-hub-types.h"
#include "hubd-hub-upload-types.h"
#include "hubd-repo-id.h"

G_BEGIN_DECLS

/* the transport, internal to the daemon */
typedef struct _HubdHubClient HubdHubClient;

/**
 * HubdHubApi:
 *
 * The Hub's HTTP API, one asynchronous function per endpoint, with typed
 * arguments (checked before anything is sent) and typed results. Services,
 * jobs and plugins call it and never build a Hub URL themselves; it stands on
 * #HubdHubClient, which adds the token, retries and maps errors.
 *
 * Since: 0.1
 */
#define HUBD_TYPE_HUB_API (hubd_hub_api_get_type())
G_DECLARE_FINAL_TYPE(HubdHubApi, hubd_hub_api, HUBD, HUB_API, GObject)

/**
 * HUBD_HUB_API_LIST_MAX:
 *
 * Most items one listing returns, so that a huge repo cannot make the daemon
 * (or a D-Bus reply) grow without bound.
 *
 * Since: 0.1
 */
#define HUBD_HUB_API_LIST_MAX 100000

/**
 * HubdHubApiFlags:
 * @HUBD_HUB_API_FLAG_NONE: nothing
 * @HUBD_HUB_API_FLAG_EXIST_OK: creating what exists is fine (repos,
 *   branches, tags)
 * @HUBD_HUB_API_FLAG_MISSING_OK: deleting a missing repo is fine
 * @HUBD_HUB_API_FLAG_RECURSIVE: list a folder's whole subtree
 * @HUBD_HUB_API_FLAG_EXPAND: each entry's last commit (tree, paths-info)
 * @HUBD_HUB_API_FLAG_FILES_METADATA: file sizes and LFS hashes in repo info
 * @HUBD_HUB_API_FLAG_INCLUDE_PRS: pull requests' refs too
 * @HUBD_HUB_API_FLAG_CREATE_PR: the commit opens a pull request
 *
 * Options of the endpoint functions; each documents those it takes.
 *
 * Since: 0.1
 */
typedef enum {
	HUBD_HUB_API_FLAG_NONE = 0,
	HUBD_HUB_API_FLAG_EXIST_OK = 1 << 0,
	HUBD_HUB_API_FLAG_MISSING_OK = 1 << 1,
	HUBD_HUB_API_FLAG_RECURSIVE = 1 << 2,
	HUBD_HUB_API_FLAG_EXPAND = 1 << 3,
	HUBD_HUB_API_FLAG_FILES_METADATA = 1 << 4,
	HUBD_HUB_API_FLAG_INCLUDE_PRS = 1 << 5,
	HUBD_HUB_API_FLAG_CREATE_PR = 1 << 6,
} HubdHubApiFlags;

/* ---- the object ---- */

HubdHubApi *
hubd_hub_api_new(HubdHubClient *client);
HubdHubApi *
hubd_hub_api_new_for_library(HubdHubApi *api, const gchar *name, const gchar *version);
HubdHubApi *
hubd_hub_api_new_for_caller(HubdHubApi *api,
			    const gchar *library_name,
			    const gchar *library_version,
			    const gchar *token_name);
HubdHubApi *
hubd_hub_api_new_for_call(HubdHubApi *api, GVariant *options);
const gchar *
hubd_hub_api_get_token_name(HubdHubApi *self);
HubdHubClient *
hubd_hub_api_get_client(HubdHubApi *self);
const gchar *
hubd_hub_api_get_endpoint(HubdHubApi *self);
gboolean
hubd_hub_api_is_offline(HubdHubApi *self);

/* ---- URLs ---- */

gchar *
hubd_hub_api_build_path(const gchar *const *segments) G_GNUC_WARN_UNUSED_RESULT;
gchar *
hubd_hub_api_build_repo_path(HubdRepoType type,
			     const gchar *repo_id,
			     const gchar *const *segments,
			     GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *
hubd_hub_api_build_revision_path(HubdRepoType type,
				 const gchar *repo_id,
				 const gchar *what,
				 const gchar *revision,
				 const gchar *path,
				 GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *
hubd_hub_api_repo_url(HubdHubApi *self,
		      HubdRepoType type,
		      const gchar *repo_id) G_GNUC_WARN_UNUSED_RESULT;
gchar *
hubd_hub_api_file_url(HubdHubApi *self,
		      HubdRepoType type,
		      const gchar *repo_id,
		      const gchar *revision,
		      const gchar *path) G_GNUC_WARN_UNUSED_RESULT;
gchar *
hubd_hub_api_commit_url(HubdHubApi *self,
			HubdRepoType type,
			const gchar *repo_id,
			const gchar *commit) G_GNUC_WARN_UNUSED_RESULT;

/* ---- authenticated requests ---- */

void
hubd_hub_api_request_async(HubdHubApi *self,
			   HubdHubRequest *req,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
HubdHubResponse *
hubd_hub_api_request_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_send_async(HubdHubApi *self,
			HubdHubRequest *req,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data);
GInputStream *
hubd_hub_api_send_finish(HubdHubApi *self,
			 GAsyncResult *result,
			 HubdHubResponse **response_out,
			 GError **error);

void
hubd_hub_api_get_json_async(HubdHubApi *self,
			    HubdHubRequest *req,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
JsonNode *
hubd_hub_api_get_json_finish(HubdHubApi *self,
			     GAsyncResult *result,
			     HubdHubResponse **response_out,
			     GError **error);

JsonNode *
hubd_hub_api_parse_response(HubdHubResponse *response, GError **error);

void
hubd_hub_api_write_async(HubdHubApi *self,
			 const gchar *method,
			 const gchar *path,
			 JsonNode *body,
			 HubdHubApiFlags flags,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
gboolean
hubd_hub_api_write_finish(HubdHubApi *self,
			  GAsyncResult *result,
			  gboolean *done_out,
			  HubdHubResponse **response_out,
			  GError **error);

/**
 * HubdHubApiParseFunc:
 * @node: a JSON answer, or one element of a listing
 * @error: return location for an error
 *
 * Turns JSON from the Hub into a typed result (the `_new_from_json`
 * functions of hubd-hub-types.h have this shape).
 *
 * Returns: (transfer full) (nullable): the result; %NULL and an error when
 *   @node is unusable, %NULL alone to skip a listing's element
 *
 * Since: 0.1
 */
typedef gpointer (*HubdHubApiParseFunc)(JsonNode *node, GError **error);

void
hubd_hub_api_get_parsed_async(HubdHubApi *self,
			      HubdHubRequest *req,
			      HubdHubApiParseFunc parse,
			      GDestroyNotify result_free,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
gpointer
hubd_hub_api_get_parsed_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_list_async(HubdHubApi *self,
			HubdHubRequest *first,
			guint limit,
			HubdHubApiParseFunc parse,
			GDestroyNotify item_free,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data);
GPtrArray *
hubd_hub_api_list_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

/* ---- account (hubd-hub-api-repos.c) ---- */

void
hubd_hub_api_whoami_async(HubdHubApi *self,
			  const gchar *token,
			  const gchar *endpoint,
			  gboolean refresh,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
HubdHubWhoami *
hubd_hub_api_whoami_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

/* ---- repos (hubd-hub-api-repos.c) ---- */

void
hubd_hub_api_repo_info_async(HubdHubApi *self,
			     HubdRepoType type,
			     const gchar *repo_id,
			     const gchar *revision,
			     HubdHubApiFlags flags,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
HubdHubRepoInfo *
hubd_hub_api_repo_info_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_revision_commit_async(HubdHubApi *self,
				   HubdRepoType type,
				   const gchar *repo_id,
				   const gchar *revision,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
gchar *
hubd_hub_api_revision_commit_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_list_repos_async(HubdHubApi *self,
			      HubdRepoType type,
			      const gchar *search,
			      const gchar *author,
			      const gchar *const *filter,
			      const gchar *sort,
			      gint direction,
			      guint limit,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
GPtrArray *
hubd_hub_api_list_repos_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_create_repo_async(HubdHubApi *self,
			       HubdRepoType type,
			       const gchar *repo_id,
			       HubdHubVisibility visibility,
			       const gchar *space_sdk,
			       const gchar *space_hardware,
			       HubdHubApiFlags flags,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gchar *
hubd_hub_api_create_repo_finish(HubdHubApi *self,
				GAsyncResult *result,
				gboolean *created_out,
				GError **error);

void
hubd_hub_api_delete_repo_async(HubdHubApi *self,
			       HubdRepoType type,
			       const gchar *repo_id,
			       HubdHubApiFlags flags,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
hubd_hub_api_delete_repo_finish(HubdHubApi *self,
				GAsyncResult *result,
				gboolean *deleted_out,
				GError **error);

void
hubd_hub_api_move_repo_async(HubdHubApi *self,
			     HubdRepoType type,
			     const gchar *from_id,
			     const gchar *to_id,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
gchar *
hubd_hub_api_move_repo_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_update_repo_settings_async(HubdHubApi *self,
					HubdRepoType type,
					const gchar *repo_id,
					const gchar *gated,
					HubdHubVisibility visibility,
					gint discussions_disabled,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data);
gboolean
hubd_hub_api_update_repo_settings_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

/* ---- refs and history (hubd-hub-api-repos.c) ---- */

void
hubd_hub_api_list_refs_async(HubdHubApi *self,
			     HubdRepoType type,
			     const gchar *repo_id,
			     HubdHubApiFlags flags,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
HubdHubRefs *
hubd_hub_api_list_refs_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_create_branch_async(HubdHubApi *self,
				 HubdRepoType type,
				 const gchar *repo_id,
				 const gchar *starting_point,
				 const gchar *branch,
				 HubdHubApiFlags flags,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
gboolean
hubd_hub_api_create_branch_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_delete_branch_async(HubdHubApi *self,
				 HubdRepoType type,
				 const gchar *repo_id,
				 const gchar *branch,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
gboolean
hubd_hub_api_delete_branch_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_create_tag_async(HubdHubApi *self,
			      HubdRepoType type,
			      const gchar *repo_id,
			      const gchar *revision,
			      const gchar *tag,
			      const gchar *message,
			      HubdHubApiFlags flags,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
gboolean
hubd_hub_api_create_tag_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_delete_tag_async(HubdHubApi *self,
			      HubdRepoType type,
			      const gchar *repo_id,
			      const gchar *tag,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
gboolean
hubd_hub_api_delete_tag_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_list_commits_async(HubdHubApi *self,
				HubdRepoType type,
				const gchar *repo_id,
				const gchar *revision,
				guint limit,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
GPtrArray *
hubd_hub_api_list_commits_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

/* ---- files (hubd-hub-api-files.c) ---- */

void
hubd_hub_api_list_tree_async(HubdHubApi *self,
			     HubdRepoType type,
			     const gchar *repo_id,
			     const gchar *revision,
			     const gchar *path,
			     HubdHubApiFlags flags,
			     guint limit,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
GPtrArray *
hubd_hub_api_list_tree_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_paths_info_async(HubdHubApi *self,
			      HubdRepoType type,
			      const gchar *repo_id,
			      const gchar *revision,
			      const gchar *const *paths,
			      HubdHubApiFlags flags,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
GPtrArray *
hubd_hub_api_paths_info_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

/* ---- uploads (hubd-hub-api-upload.c) ---- */

/**
 * HUBD_HUB_API_PREUPLOAD_MAX:
 *
 * Most files one preupload call takes (huggingface_hub's batch).
 *
 * Since: 0.1
 */
#define HUBD_HUB_API_PREUPLOAD_MAX 256
/**
 * HUBD_HUB_API_LFS_BATCH_MAX:
 *
 * Most objects one LFS batch call takes.
 *
 * Since: 0.1
 */
#define HUBD_HUB_API_LFS_BATCH_MAX 256

/**
 * HubdHubPreuploadItem:
 * @path: the path in the repo, normalised (hubd_path_in_repo_normalize())
 * @sample: the file's first bytes (up to 512 are sent)
 * @sample_len: how many
 * @size: the file's size
 *
 * One file asked about in a preupload.
 *
 * Since: 0.1
 */
typedef struct {
	const gchar *path;
	const guint8 *sample;
	gsize sample_len;
	guint64 size;
} HubdHubPreuploadItem;

void
hubd_hub_api_preupload_async(HubdHubApi *self,
			     HubdRepoType type,
			     const gchar *repo_id,
			     const gchar *revision,
			     const HubdHubPreuploadItem *items,
			     guint n_items,
			     HubdHubApiFlags flags,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
HubdHubPreupload *
hubd_hub_api_preupload_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_commit_async(HubdHubApi *self,
			  HubdRepoType type,
			  const gchar *repo_id,
			  const gchar *revision,
			  HubdHubApiFlags flags,
			  HubdHubBodyFactory body_factory,
			  gpointer body_data,
			  GDestroyNotify body_destroy,
			  goffset body_length,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
HubdHubCommitInfo *
hubd_hub_api_commit_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

/**
 * HubdHubLfsOperation:
 * @HUBD_HUB_LFS_UPLOAD: store objects
 * @HUBD_HUB_LFS_DOWNLOAD: fetch objects
 *
 * What an LFS batch is for.
 *
 * Since: 0.1
 */
typedef enum {
	HUBD_HUB_LFS_UPLOAD,
	HUBD_HUB_LFS_DOWNLOAD,
} HubdHubLfsOperation;

/**
 * HubdHubLfsObjectSpec:
 * @oid: the object's SHA-256, in hex
 * @size: its size
 *
 * One object asked about in an LFS batch.
 *
 * Since: 0.1
 */
typedef struct {
	const gchar *oid;
	guint64 size;
} HubdHubLfsObjectSpec;

void
hubd_hub_api_lfs_batch_async(HubdHubApi *self,
			     HubdRepoType type,
			     const gchar *repo_id,
			     const gchar *ref_name,
			     HubdHubLfsOperation operation,
			     const HubdHubLfsObjectSpec *objects,
			     guint n_objects,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
HubdHubLfsBatch *
hubd_hub_api_lfs_batch_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_lfs_verify_async(HubdHubApi *self,
			      const gchar *verify_href,
			      const gchar *oid,
			      guint64 size,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
gboolean
hubd_hub_api_lfs_verify_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_lfs_complete_async(HubdHubApi *self,
				const gchar *upload_href,
				const gchar *oid,
				const gchar *const *etags,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
gboolean
hubd_hub_api_lfs_complete_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

G_END_DECLS
