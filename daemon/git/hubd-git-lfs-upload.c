/* hubd-git-lfs-upload.c: LfsUpload. git-lfs asked the batch API itself and
 * hands its custom transfer agent (hubctl lfs-multipart-upload) the object's
 * `upload` action (docs/git.md §3); the agent passes it here, so the parts go
 * through hubd's HubdLfs like every upload: in parallel, each retried, over
 * the one HTTP session (one connection budget), cancellable as a job. */
#define G_LOG_DOMAIN "HubdGit"

#include "hubd-git-lfs-upload.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hubd-commit-ops.h"
#include "hubd-context-private.h"
#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-lfs.h"
#include "hubd-upload-progress.h"

typedef struct {
	HubdContext *context;
	HubdJob *job;
	HubdUploadProgress *progress;
	gchar *oid;
	guint64 size;
	guint parts;
} LfsUploadRun;

static void
lfs_upload_run_free(LfsUploadRun *run)
{
	hubd_upload_progress_free(run->progress);
	hubd_context_release(run->context);
	g_object_unref(run->context);
	g_object_unref(run->job);
	g_free(run->oid);
	g_free(run);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LfsUploadRun, lfs_upload_run_free)

static gboolean
is_sha256_hex(const gchar *oid)
{
	if (strlen(oid) != 64)
		return FALSE;
	for (const gchar *p = oid; *p != '\0'; p++) {
		if (!g_ascii_isxdigit(*p))
			return FALSE;
	}
	return TRUE;
}

/* The action as the batch API's JSON, so that HubdHubLfsBatch checks it
 * exactly as it checks hubd's own batch answers (web URLs, parts that cover
 * the object). */
static HubdHubLfsAction *
parse_action(const gchar *oid,
	     guint64 size,
	     const gchar *href,
	     GVariant *header,
	     HubdHubLfsBatch **batch_out,
	     GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(HubdHubLfsBatch) batch = NULL;
	GVariantIter iter;
	const gchar *key;
	const gchar *value;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "objects");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "oid");
	json_builder_add_string_value(b, oid);
	json_builder_set_member_name(b, "size");
	json_builder_add_int_value(b, (gint64)size);
	json_builder_set_member_name(b, "actions");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "upload");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "href");
	json_builder_add_string_value(b, href);
	json_builder_set_member_name(b, "header");
	json_builder_begin_object(b);
	g_variant_iter_init(&iter, header);
	while (g_variant_iter_next(&iter, "{&s&s}", &key, &value)) {
		json_builder_set_member_name(b, key);
		json_builder_add_string_value(b, value);
	}
	json_builder_end_object(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	batch = hubd_hub_lfs_batch_new_from_json(root, &error_local);
	if (batch == NULL || batch->objects->len != 1) {
		/* what the batch API told git-lfs is wrong: the caller's input */
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Unusable LFS upload action for %s: %s"),
			    oid,
			    error_local != NULL ? error_local->message : _("no object"));
		return NULL;
	}
	*batch_out = g_steal_pointer(&batch);
	return g_ptr_array_index((*batch_out)->objects, 0);
}

static gboolean
check_file(const gchar *path, guint64 size, GError **error)
{
	GStatBuf st;

	if (!g_path_is_absolute(path)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The path of an LFS object must be absolute: %s"),
			    path);
		return FALSE;
	}
	if (g_stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("%s is not a readable file"),
			    path);
		return FALSE;
	}
	if ((guint64)st.st_size != size) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("%s has %" G_GUINT64_FORMAT " bytes, not %" G_GUINT64_FORMAT),
			    path,
			    (guint64)st.st_size,
			    size);
		return FALSE;
	}
	return TRUE;
}

static void
lfs_upload_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(LfsUploadRun) run = user_data;
	GError *error = NULL;
	GVariantDict result;

	hubd_upload_progress_sync(run->progress);
	hubd_upload_progress_stop(run->progress);
	if (!hubd_lfs_upload_finish(res, NULL, &error)) {
		hubd_job_fail(run->job, error);
		return;
	}
	g_variant_dict_init(&result, NULL);
	g_variant_dict_insert(&result, "oid", "s", run->oid);
	g_variant_dict_insert(&result, "size", "t", run->size);
	g_variant_dict_insert(&result, "parts", "u", run->parts);
	hubd_job_complete(run->job, g_variant_dict_end(&result));
}

HubdJob *
hubd_git_lfs_upload_start(HubdContext *context,
			  GDBusMethodInvocation *invocation,
			  const gchar *path,
			  const gchar *oid,
			  guint64 size,
			  const gchar *href,
			  GVariant *header,
			  GError **error)
{
	g_autoptr(HubdHubLfsBatch) batch = NULL;
	g_autoptr(HubdCommitOps) ops = NULL;
	g_autofree gchar *lower = NULL;
	g_autofree gchar *base = NULL;
	HubdHubLfsAction *action;
	HubdLfsObject object = {0};
	LfsUploadRun *run;

	if (!is_sha256_hex(oid)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Not a SHA-256 object id: %s"),
			    oid);
		return NULL;
	}
	lower = g_ascii_strdown(oid, -1);
	if (!check_file(path, size, error))
		return NULL;
	action = parse_action(lower, size, href, header, &batch, error);
	if (action == NULL)
		return NULL;

	run = g_new0(LfsUploadRun, 1);
	run->context = g_object_ref(context);
	hubd_context_hold(context);
	base = g_path_get_basename(path);
	run->job = hubd_job_new(context, "lfs-upload", base);
	run->oid = g_strdup(lower);
	run->size = size;
	run->parts = action->part_urls != NULL ? action->part_urls->len : 0;
	hubd_job_set_owner(run->job, invocation);
	ops = hubd_commit_ops_new();
	run->progress = hubd_upload_progress_new(run->job, ops);
	hubd_upload_progress_phase(run->progress, "uploading", TRUE, size);

	object.local_path = (gchar *)path;
	memcpy(object.sha256, lower, 65);
	object.size = size;
	hubd_lfs_upload_action_async(hubd_context_get_hub_api(context),
				     &object,
				     action,
				     hubd_upload_progress_get_counter(run->progress),
				     hubd_job_get_cancellable(run->job),
				     lfs_upload_done_cb,
				     run);
	return g_object_ref(run->job);
}
