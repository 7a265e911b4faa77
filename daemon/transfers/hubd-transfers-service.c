/* hubd-transfers-service.c: org.hubd.Hub1.Transfers — Download, Snapshot and
 * ListJobs here (hubd-download.c, hubd-snapshot.c do the work); Upload,
 * UploadFolder and Commit in hubd-transfers-upload.c */
#define G_LOG_DOMAIN "HubdTransfers"

#include "hubd-transfers-service.h"

#include <glib/gi18n.h>

#include "hubd-context-private.h"
#include "hubd-download.h"
#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-job.h"
#include "hubd-snapshot.h"
#include "hubd-transfer.h"
#include "hubd-transfers-upload.h"

struct _HubdTransfersService {
	HubdService parent_instance;
	guint busy; /* jobs in flight */
	/* [storage] mirror: made at the first download that wants it */
	HubdStorage *mirror;
	gboolean mirror_made;
};

G_DEFINE_TYPE_WITH_CODE(HubdTransfersService,
			hubd_transfers_service,
			HUBD_TYPE_SERVICE,
			hubd_service_register_extension_point();
			g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
						       g_define_type_id,
						       "transfers",
						       800))

/* A job in flight; `finish` is hubd_download_file_finish or
 * hubd_snapshot_finish. */
typedef struct {
	HubdTransfersService *self;
	HubdJob *job;
	GVariant *(*finish)(GAsyncResult *result, GError **error);
} Run;

static Run *
run_new(HubdTransfersService *self, HubdJob *job, GVariant *(*finish)(GAsyncResult *, GError **))
{
	Run *run = g_new0(Run, 1);

	run->self = g_object_ref(self);
	run->job = g_object_ref(job);
	run->finish = finish;
	self->busy++;
	hubd_context_hold(hubd_service_get_context(HUBD_SERVICE(self)));
	return run;
}

static void
run_free(Run *run)
{
	run->self->busy--;
	hubd_context_release(hubd_service_get_context(HUBD_SERVICE(run->self)));
	g_object_unref(run->self);
	g_object_unref(run->job);
	g_free(run);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Run, run_free)

/* The options each method takes (org.hubd.Hub1.Transfers.xml). */
static const HubdServiceOption snapshot_options[] = {
	{"local_dir", "s"},
	{"cache_dir", "s"},
	{"dry_run", "b"},
	{"force", "b"},
	{"offline", "b"},
	{"library_name", "s"},
	{"library_version", "s"},
	{"allow_patterns", "as"},
	{"ignore_patterns", "as"},
	{"max_workers", "u"},
	{NULL, NULL},
};
static const HubdServiceOption download_options[] = {
	{"local_dir", "s"},
	{"cache_dir", "s"},
	{"dry_run", "b"},
	{"force", "b"},
	{"offline", "b"},
	{"library_name", "s"},
	{"library_version", "s"},
	{NULL, NULL},
};

/* The checks both methods share; an error is returned to the caller. */
static gboolean
hubd_transfers_service_check(GDBusMethodInvocation *invocation,
			     const gchar *repo_type,
			     const gchar *repo_id,
			     const gchar *revision,
			     GVariant *options,
			     gboolean snapshot,
			     HubdRepoType *type,
			     gchar **local_dir,
			     gchar **cache_dir)
{
	GError *error = NULL;

	if (!hubd_service_check_hub_options(options,
					    snapshot ? snapshot_options : download_options,
					    &error) ||
	    !hubd_repo_type_from_string(repo_type, type, &error) ||
	    !hubd_repo_id_validate(repo_id, FALSE, &error) ||
	    (revision[0] != '\0' && !hubd_revision_validate(revision, &error)) ||
	    !hubd_cache_folder_options(options, local_dir, cache_dir, &error)) {
		hubd_service_return_error(invocation, error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
lookup_bool(GVariant *options, const gchar *key)
{
	gboolean v = FALSE;

	return g_variant_lookup(options, key, "b", &v) && v;
}

/* [storage] mirror: the backend downloads read blobs from before the Hub,
 * or NULL. Making a backend does no network I/O. One that cannot be made
 * (an unknown name or scheme, a folder that cannot be created) is reported
 * once and downloads go to the Hub: a mirror is an optimisation, never a
 * reason for a download to fail. */
static HubdStorage *
hubd_transfers_service_make_mirror(HubdTransfersService *self)
{
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(self));
	g_autofree gchar *name =
		hubd_config_get_string(hubd_context_get_config(context), "storage", "mirror", NULL);
	g_autoptr(GError) error = NULL;
	HubdStorage *mirror;

	if (name == NULL || name[0] == '\0')
		return NULL;
	mirror = hubd_context_get_storage(context, name, &error);
	if (mirror == NULL)
		g_warning("[storage] mirror=%s is not usable, downloads go to the Hub: %s",
			  name,
			  error->message);
	else
		g_debug("downloads read through the mirror “%s”", name);
	return mirror;
}

/* The mirror (a new reference) or NULL; made at the first download, kept
 * while hubd runs (its configuration does not change meanwhile). */
static HubdStorage *
hubd_transfers_service_dup_mirror(HubdTransfersService *self)
{
	if (!self->mirror_made) {
		self->mirror_made = TRUE;
		self->mirror = hubd_transfers_service_make_mirror(self);
	}
	return self->mirror != NULL ? g_object_ref(self->mirror) : NULL;
}

/* ---- a job's answer (Download and Snapshot) ---- */

static void
hubd_transfers_service_job_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Run) run = user_data;
	GError *error = NULL;
	GVariant *result = run->finish(res, &error);

	if (result == NULL) {
		hubd_job_fail(run->job, error);
		return;
	}
	hubd_job_complete(run->job, result);
	g_variant_unref(result);
}

/* ---- Download ---- */

static gboolean
hubd_transfers_service_handle_download(HubdDbusTransfers *skeleton,
				       GDBusMethodInvocation *invocation,
				       const gchar *repo_type,
				       const gchar *repo_id,
				       const gchar *revision,
				       const gchar *filename,
				       GVariant *options,
				       gpointer user_data)
{
	HubdTransfersService *self = HUBD_TRANSFERS_SERVICE(user_data);
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(self));
	g_autoptr(HubdDownloadRequest) req = g_new0(HubdDownloadRequest, 1);
	g_autoptr(HubdJob) job = NULL;
	g_autofree gchar *description = NULL;
	GError *error = NULL;

	if (!hubd_transfers_service_check(invocation,
					  repo_type,
					  repo_id,
					  revision,
					  options,
					  FALSE,
					  &req->type,
					  &req->local_dir,
					  &req->cache_dir))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	if (!hubd_path_is_safe_relative(filename, &error)) {
		g_prefix_error(&error, _("“%s” is not a file name in a repo: "), filename);
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	req->repo_id = g_strdup(repo_id);
	req->revision = g_strdup(revision[0] != '\0' ? revision : "main");
	req->filename = g_strdup(filename);
	req->force = lookup_bool(options, "force");
	req->dry_run = lookup_bool(options, "dry_run");
	req->offline = lookup_bool(options, "offline");
	req->api = hubd_hub_api_new_for_call(hubd_context_get_hub_api(context), options);
	req->mirror = hubd_transfers_service_dup_mirror(self);

	description = g_strdup_printf("%s: %s", repo_id, filename);
	job = hubd_job_new(context, "download", description);
	hubd_job_add_repo(job, hubd_repo_type_to_string(req->type), repo_id, req->revision);
	hubd_job_set_owner(job, invocation);
	hubd_dbus_transfers_complete_download(skeleton, invocation, hubd_job_get_object_path(job));
	hubd_download_file_async(context,
				 req,
				 job,
				 TRUE,
				 hubd_job_get_cancellable(job),
				 hubd_transfers_service_job_cb,
				 run_new(self, job, hubd_download_file_finish));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- Snapshot ---- */

static gboolean
hubd_transfers_service_handle_snapshot(HubdDbusTransfers *skeleton,
				       GDBusMethodInvocation *invocation,
				       const gchar *repo_type,
				       const gchar *repo_id,
				       const gchar *revision,
				       GVariant *options,
				       gpointer user_data)
{
	HubdTransfersService *self = HUBD_TRANSFERS_SERVICE(user_data);
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(self));
	g_autoptr(HubdSnapshotRequest) req = g_new0(HubdSnapshotRequest, 1);
	g_autoptr(HubdJob) job = NULL;
	g_autofree gchar *description = NULL;

	if (!hubd_transfers_service_check(invocation,
					  repo_type,
					  repo_id,
					  revision,
					  options,
					  TRUE,
					  &req->type,
					  &req->local_dir,
					  &req->cache_dir))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	req->repo_id = g_strdup(repo_id);
	req->revision = g_strdup(revision[0] != '\0' ? revision : "main");
	g_variant_lookup(options, "allow_patterns", "^as", &req->allow_patterns);
	g_variant_lookup(options, "ignore_patterns", "^as", &req->ignore_patterns);
	g_variant_lookup(options, "max_workers", "u", &req->max_workers);
	req->force = lookup_bool(options, "force");
	req->dry_run = lookup_bool(options, "dry_run");
	req->offline = lookup_bool(options, "offline");
	req->api = hubd_hub_api_new_for_call(hubd_context_get_hub_api(context), options);
	req->mirror = hubd_transfers_service_dup_mirror(self);

	description = g_strdup_printf("%s@%s", repo_id, req->revision);
	job = hubd_job_new(context, "snapshot", description);
	hubd_job_add_repo(job, hubd_repo_type_to_string(req->type), repo_id, req->revision);
	hubd_job_set_owner(job, invocation);
	hubd_dbus_transfers_complete_snapshot(skeleton, invocation, hubd_job_get_object_path(job));
	hubd_snapshot_async(context,
			    g_steal_pointer(&req),
			    job,
			    hubd_job_get_cancellable(job),
			    hubd_transfers_service_job_cb,
			    run_new(self, job, hubd_snapshot_finish));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- ListJobs ---- */

static gboolean
hubd_transfers_service_handle_list_jobs(HubdDbusTransfers *skeleton,
					GDBusMethodInvocation *invocation,
					GVariant *options,
					gpointer user_data)
{
	HubdTransfersService *self = HUBD_TRANSFERS_SERVICE(user_data);
	g_auto(GStrv) paths = NULL;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	paths = hubd_job_dup_paths(hubd_service_get_context(HUBD_SERVICE(self)));
	hubd_dbus_transfers_complete_list_jobs(skeleton, invocation, (const gchar *const *)paths);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- HubdService ---- */

static GDBusInterfaceSkeleton *
hubd_transfers_service_create_skeleton(HubdService *service)
{
	HubdDbusTransfers *skeleton = hubd_dbus_transfers_skeleton_new();

	g_signal_connect(skeleton,
			 "handle-download",
			 G_CALLBACK(hubd_transfers_service_handle_download),
			 service);
	g_signal_connect(skeleton,
			 "handle-snapshot",
			 G_CALLBACK(hubd_transfers_service_handle_snapshot),
			 service);
	g_signal_connect(skeleton,
			 "handle-list-jobs",
			 G_CALLBACK(hubd_transfers_service_handle_list_jobs),
			 service);
	hubd_transfers_upload_connect(service, skeleton);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static gboolean
hubd_transfers_service_is_busy(HubdService *service)
{
	return HUBD_TRANSFERS_SERVICE(service)->busy > 0 || hubd_transfer_count_running() > 0;
}

static void
hubd_transfers_service_finalize(GObject *object)
{
	HubdTransfersService *self = HUBD_TRANSFERS_SERVICE(object);

	g_clear_object(&self->mirror);
	G_OBJECT_CLASS(hubd_transfers_service_parent_class)->finalize(object);
}

static void
hubd_transfers_service_class_init(HubdTransfersServiceClass *klass)
{
	HubdServiceClass *service_class = HUBD_SERVICE_CLASS(klass);

	G_OBJECT_CLASS(klass)->finalize = hubd_transfers_service_finalize;
	service_class->create_skeleton = hubd_transfers_service_create_skeleton;
	service_class->is_busy = hubd_transfers_service_is_busy;
}

static void
hubd_transfers_service_init(HubdTransfersService *self)
{
}
