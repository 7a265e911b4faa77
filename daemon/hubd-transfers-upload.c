/* hubd-transfers-upload.c: the upload half of org.hubd.Hub1.Transfers —
 * Upload, UploadFolder and Commit check their input, start a HubdUpload as a
 * job and return the job's path at once */
#define G_LOG_DOMAIN "HubdTransfers"

#include "hubd-transfers-upload.h"

#include <glib/gi18n.h>

#include "hubd-daemon.h"
#include "hubd-error.h"
#include "hubd-job.h"
#include "hubd-upload.h"

static const gchar *
hubd_transfers_upload_start(HubdService *service,
			    GDBusMethodInvocation *invocation,
			    HubdUpload *upload,
			    const gchar *repo_id)
{
	HubdDaemon *daemon = hubd_service_get_daemon(service);
	g_autoptr(HubdJob) job = hubd_job_new(daemon, "upload", repo_id);
	const gchar *path = hubd_job_get_object_path(job);

	hubd_job_set_owner(job, invocation);
	hubd_upload_run(upload, job);
	/* the daemon keeps the exported job alive; the path stays valid */
	return path;
}

static gboolean
handle_upload(HubdDbusTransfers *skeleton,
	      GDBusMethodInvocation *invocation,
	      const gchar *repo_type,
	      const gchar *repo_id,
	      const gchar *revision,
	      GVariant *files,
	      GVariant *options,
	      gpointer user_data)
{
	HubdService *service = HUBD_SERVICE(user_data);
	GError *error = NULL;
	g_autoptr(HubdUpload) upload = hubd_upload_new(hubd_service_get_daemon(service),
						       repo_type,
						       repo_id,
						       revision,
						       options,
						       &error);
	GVariantIter iter;
	const gchar *local = NULL;
	const gchar *path = NULL;

	if (upload == NULL) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (g_variant_n_children(files) == 0) {
		hubd_service_return_error(invocation,
					  g_error_new(HUBD_ERROR,
						      HUBD_ERROR_INVALID_ARGUMENT,
						      _("No file to upload")));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	g_variant_iter_init(&iter, files);
	while (g_variant_iter_next(&iter, "(&s&s)", &local, &path)) {
		if (!hubd_upload_add_file(upload, local, path, &error)) {
			hubd_service_return_error(invocation, error);
			return G_DBUS_METHOD_INVOCATION_HANDLED;
		}
	}
	hubd_dbus_transfers_complete_upload(
		skeleton,
		invocation,
		hubd_transfers_upload_start(service, invocation, upload, repo_id));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_upload_folder(HubdDbusTransfers *skeleton,
		     GDBusMethodInvocation *invocation,
		     const gchar *repo_type,
		     const gchar *repo_id,
		     const gchar *revision,
		     const gchar *folder,
		     const gchar *path_in_repo,
		     GVariant *options,
		     gpointer user_data)
{
	HubdService *service = HUBD_SERVICE(user_data);
	GError *error = NULL;
	g_autoptr(HubdUpload) upload = hubd_upload_new(hubd_service_get_daemon(service),
						       repo_type,
						       repo_id,
						       revision,
						       options,
						       &error);

	if (upload == NULL || !hubd_upload_set_folder(upload, folder, path_in_repo, &error)) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (!g_file_test(folder, G_FILE_TEST_IS_DIR)) {
		hubd_service_return_error(invocation,
					  g_error_new(HUBD_ERROR,
						      HUBD_ERROR_INVALID_ARGUMENT,
						      _("%s is not a folder"),
						      folder));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	hubd_dbus_transfers_complete_upload_folder(
		skeleton,
		invocation,
		hubd_transfers_upload_start(service, invocation, upload, repo_id));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

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
handle_commit(HubdDbusTransfers *skeleton,
	      GDBusMethodInvocation *invocation,
	      const gchar *repo_type,
	      const gchar *repo_id,
	      const gchar *revision,
	      GVariant *operations,
	      GVariant *options,
	      gpointer user_data)
{
	HubdService *service = HUBD_SERVICE(user_data);
	GError *error = NULL;
	g_autoptr(HubdUpload) upload = hubd_upload_new(hubd_service_get_daemon(service),
						       repo_type,
						       repo_id,
						       revision,
						       options,
						       &error);

	if (upload == NULL) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (g_variant_n_children(operations) == 0) {
		hubd_service_return_error(invocation,
					  g_error_new(HUBD_ERROR,
						      HUBD_ERROR_INVALID_ARGUMENT,
						      _("A commit needs at least one operation")));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	for (gsize i = 0; i < g_variant_n_children(operations); i++) {
		g_autoptr(GVariant) op = g_variant_get_child_value(operations, i);

		if (!hubd_transfers_upload_add_operation(upload, op, &error)) {
			hubd_service_return_error(invocation, error);
			return G_DBUS_METHOD_INVOCATION_HANDLED;
		}
	}
	hubd_dbus_transfers_complete_commit(
		skeleton,
		invocation,
		hubd_transfers_upload_start(service, invocation, upload, repo_id));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
hubd_transfers_upload_connect(HubdService *service, HubdDbusTransfers *skeleton)
{
	g_signal_connect(skeleton, "handle-upload", G_CALLBACK(handle_upload), service);
	g_signal_connect(skeleton,
			 "handle-upload-folder",
			 G_CALLBACK(handle_upload_folder),
			 service);
	g_signal_connect(skeleton, "handle-commit", G_CALLBACK(handle_commit), service);
}
