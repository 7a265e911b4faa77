/* hubd-transfers-upload.c: the upload half of org.hubd.Hub1.Transfers —
 * Upload, UploadFolder and Commit check their input, start a HubdUpload as a
 * job and return the job's path at once */
#define G_LOG_DOMAIN "HubdTransfers"

#include "hubd-transfers-upload.h"

#include <glib/gi18n.h>

#include "hubd-context-private.h"
#include "hubd-error.h"
#include "hubd-job.h"
#include "hubd-upload.h"

typedef void (*HubdTransfersUploadComplete)(HubdDbusTransfers *skeleton,
					    GDBusMethodInvocation *invocation,
					    const gchar *job);

/* What Upload, UploadFolder and Commit share once their own input is added:
 * `error` (taken) goes back to the caller; else `upload` runs as a job and
 * the caller gets its path at once. */
static gboolean
hubd_transfers_upload_start(HubdService *service,
			    HubdDbusTransfers *skeleton,
			    GDBusMethodInvocation *invocation,
			    HubdUpload *upload,
			    const gchar *repo_type,
			    const gchar *repo_id,
			    const gchar *revision,
			    GError *error,
			    HubdTransfersUploadComplete complete)
{
	g_autoptr(HubdJob) job = NULL;

	if (error != NULL) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	job = hubd_job_new(hubd_service_get_context(service), "upload", repo_id);
	hubd_job_add_repo(job, repo_type, repo_id, revision);
	hubd_job_set_owner(job, invocation);
	hubd_upload_run(upload, job);
	/* the daemon keeps the exported job alive; the path stays valid */
	complete(skeleton, invocation, hubd_job_get_object_path(job));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* The options of UploadFolder; Upload and Commit take all but the first two
 * (org.hubd.Hub1.Transfers.xml) */
static const HubdServiceOption folder_options[] = {
	{"allow_patterns", "as"},
	{"ignore_patterns", "as"},
	{"commit_message", "s"},
	{"commit_description", "s"},
	{"create_pr", "b"},
	{"parent_commit", "s"},
	{"delete_patterns", "as"},
	{"no_policy", "b"},
	{"create_repo", "b"},
	{"private", "b"},
	{NULL, NULL},
};
static const HubdServiceOption *const upload_options = &folder_options[2];

/* hubd_upload_new() once the option keys and types are known good */
static HubdUpload *
hubd_transfers_upload_new(gpointer service,
			  const gchar *repo_type,
			  const gchar *repo_id,
			  const gchar *revision,
			  GVariant *options,
			  const HubdServiceOption *allowed,
			  GError **error)
{
	if (!hubd_service_check_hub_options(options, allowed, error))
		return NULL;
	return hubd_upload_new(hubd_service_get_context(service),
			       repo_type,
			       repo_id,
			       revision,
			       options,
			       error);
}

static gboolean
hubd_transfers_upload_add_files(HubdUpload *upload, GVariant *files, GError **error)
{
	GVariantIter iter;
	const gchar *local = NULL;
	const gchar *path = NULL;

	if (g_variant_n_children(files) == 0) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("No file to upload"));
		return FALSE;
	}
	g_variant_iter_init(&iter, files);
	while (g_variant_iter_next(&iter, "(&s&s)", &local, &path)) {
		if (!hubd_upload_add_file(upload, local, path, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
handle_upload_folder(HubdDbusTransfers *skeleton,
		     GDBusMethodInvocation *invocation,
		     const gchar *repo_type,
		     const gchar *repo_id,
		     const gchar *revision,
		     const gchar *path_in_repo,
		     const gchar *folder,
		     GVariant *options,
		     gpointer user_data)
{
	GError *error = NULL;
	g_autoptr(HubdUpload) upload = hubd_transfers_upload_new(user_data,
								 repo_type,
								 repo_id,
								 revision,
								 options,
								 folder_options,
								 &error);

	if (upload != NULL && hubd_upload_set_folder(upload, folder, path_in_repo, &error) &&
	    !g_file_test(folder, G_FILE_TEST_IS_DIR))
		g_set_error(&error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("%s is not a folder"),
			    folder);
	return hubd_transfers_upload_start(user_data,
					   skeleton,
					   invocation,
					   upload,
					   repo_type,
					   repo_id,
					   revision,
					   error,
					   hubd_dbus_transfers_complete_upload_folder);
}

/* The keys of one Commit operation (org.hubd.Hub1.Transfers.xml) */
static const HubdServiceOption operation_keys[] = {
	{"op", "s"},
	{"path", "s"},
	{"local_path", "s"},
	{"is_folder", "b"},
	{"src_path", "s"},
	{"src_revision", "s"},
	{NULL, NULL},
};

static gboolean
hubd_transfers_upload_add_operation(HubdUpload *upload, GVariant *op, GError **error)
{
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(op);
	const gchar *kind = NULL;
	const gchar *path = NULL;
	const gchar *local = NULL;
	const gchar *src = NULL;
	const gchar *src_rev = NULL;
	gboolean is_folder = FALSE;

	if (!hubd_service_check_options(op, operation_keys, error))
		return FALSE;
	if (!g_variant_dict_lookup(&dict, "op", "&s", &kind) ||
	    !g_variant_dict_lookup(&dict, "path", "&s", &path)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Every operation needs “op” and “path” strings"));
		return FALSE;
	}
	if (g_strcmp0(kind, "add") == 0) {
		if (!g_variant_dict_lookup(&dict, "local_path", "&s", &local)) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The add operation for %s needs “local_path”"),
				    path);
			return FALSE;
		}
		return hubd_upload_add_file(upload, local, path, error);
	}
	if (g_strcmp0(kind, "delete") == 0) {
		g_variant_dict_lookup(&dict, "is_folder", "b", &is_folder);
		return hubd_upload_add_delete(upload, path, is_folder, error);
	}
	if (g_strcmp0(kind, "copy") == 0) {
		if (!g_variant_dict_lookup(&dict, "src_path", "&s", &src)) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The copy operation for %s needs “src_path”"),
				    path);
			return FALSE;
		}
		g_variant_dict_lookup(&dict, "src_revision", "&s", &src_rev);
		return hubd_upload_add_copy(upload, src, src_rev, path, error);
	}
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("Unknown operation “%s” (expected add, delete or copy)"),
		    kind);
	return FALSE;
}

static gboolean
hubd_transfers_upload_add_operations(HubdUpload *upload, GVariant *operations, GError **error)
{
	if (g_variant_n_children(operations) == 0) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("A commit needs at least one operation"));
		return FALSE;
	}
	for (gsize i = 0; i < g_variant_n_children(operations); i++) {
		g_autoptr(GVariant) op = g_variant_get_child_value(operations, i);

		if (!hubd_transfers_upload_add_operation(upload, op, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
hubd_transfers_upload_has_delete_patterns(GVariant *options)
{
	g_autoptr(GVariant) v =
		g_variant_lookup_value(options, "delete_patterns", G_VARIANT_TYPE_STRING_ARRAY);

	return v != NULL && g_variant_n_children(v) > 0;
}

/* Upload and Commit take the same arguments: the method name picks the row. */
static const struct {
	const gchar *method;
	gboolean (*add)(HubdUpload *upload, GVariant *input, GError **error);
	HubdTransfersUploadComplete complete;
} upload_methods[] = {
	{"Upload", hubd_transfers_upload_add_files, hubd_dbus_transfers_complete_upload},
	{"Commit", hubd_transfers_upload_add_operations, hubd_dbus_transfers_complete_commit},
};

/* `input` is Upload's files or Commit's operations */
static gboolean
handle_upload_or_commit(HubdDbusTransfers *skeleton,
			GDBusMethodInvocation *invocation,
			const gchar *repo_type,
			const gchar *repo_id,
			const gchar *revision,
			GVariant *input,
			GVariant *options,
			gpointer user_data)
{
	const gchar *method = g_dbus_method_invocation_get_method_name(invocation);
	guint row = 0;
	GError *error = NULL;
	g_autoptr(HubdUpload) upload = hubd_transfers_upload_new(user_data,
								 repo_type,
								 repo_id,
								 revision,
								 options,
								 upload_options,
								 &error);

	/* only Upload and Commit are connected here: the last row is Commit */
	while (row + 1 < G_N_ELEMENTS(upload_methods) &&
	       g_strcmp0(method, upload_methods[row].method) != 0)
		row++;
	/* files or operations may be left out when delete_patterns say what
	 * to delete, as `hf repo-files delete` with wildcards */
	if (upload != NULL && !(g_variant_n_children(input) == 0 &&
				hubd_transfers_upload_has_delete_patterns(options)))
		upload_methods[row].add(upload, input, &error);
	return hubd_transfers_upload_start(user_data,
					   skeleton,
					   invocation,
					   upload,
					   repo_type,
					   repo_id,
					   revision,
					   error,
					   upload_methods[row].complete);
}

void
hubd_transfers_upload_connect(HubdService *service, HubdDbusTransfers *skeleton)
{
	g_signal_connect(skeleton, "handle-upload", G_CALLBACK(handle_upload_or_commit), service);
	g_signal_connect(skeleton,
			 "handle-upload-folder",
			 G_CALLBACK(handle_upload_folder),
			 service);
	g_signal_connect(skeleton, "handle-commit", G_CALLBACK(handle_upload_or_commit), service);
}
