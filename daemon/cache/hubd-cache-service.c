/* hubd-cache-service.c: org.hubd.Hub1.Cache — scan, clean and verify the
 * shared cache (`hf cache scan` / `delete` / `verify`); the walking and
 * hashing happen in worker threads, never on the main loop */
#define G_LOG_DOMAIN "HubdCacheService"

#include "hubd-cache-service.h"

#include <glib/gi18n.h>

#include "hubd-cache-verify.h"
#include "hubd-cache.h"
#include "hubd-context.h"
#include "hubd-dbus-generated.h"
#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-job.h"

struct _HubdCacheService {
	HubdService parent_instance;
	guint busy; /* calls in flight */
};

G_DEFINE_TYPE_WITH_CODE(HubdCacheService,
			hubd_cache_service,
			HUBD_TYPE_SERVICE,
			hubd_service_register_extension_point();
			g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
						       g_define_type_id,
						       "cache",
						       700))

typedef struct {
	HubdCacheService *self;
	GDBusMethodInvocation *invocation;
	HubdCache *cache;
	GStrv revisions; /* NULL for Scan */
	gboolean dry_run;
} Call;

static void
call_free(Call *call)
{
	hubd_context_release(hubd_service_get_context(HUBD_SERVICE(call->self)));
	call->self->busy--;
	g_object_unref(call->self);
	g_object_unref(call->invocation);
	g_object_unref(call->cache);
	g_strfreev(call->revisions);
	g_free(call);
}

static Call *
call_new(HubdCacheService *self, GDBusMethodInvocation *invocation)
{
	Call *call = g_new0(Call, 1);
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(self));

	call->self = g_object_ref(self);
	call->invocation = g_object_ref(invocation);
	call->cache = g_object_ref(hubd_context_get_cache(context));
	self->busy++;
	hubd_context_hold(context);
	return call;
}

static void
hubd_cache_service_thread(GTask *task,
			  gpointer source_object,
			  gpointer task_data,
			  GCancellable *cancellable)
{
	Call *call = task_data;
	GError *error = NULL;
	GVariant *report;

	if (call->revisions == NULL)
		report = hubd_cache_scan(call->cache, cancellable, &error);
	else
		report = hubd_cache_delete_revisions(call->cache,
						     (const gchar *const *)call->revisions,
						     call->dry_run,
						     cancellable,
						     &error);
	if (report == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, report, (GDestroyNotify)g_variant_unref);
}

static void
hubd_cache_service_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Call *call = g_task_get_task_data(G_TASK(res));
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) report = g_task_propagate_pointer(G_TASK(res), &error);
	HubdDbusCache *skeleton =
		HUBD_DBUS_CACHE(hubd_service_get_skeleton(HUBD_SERVICE(call->self)));

	if (report == NULL) {
		hubd_service_return_error(call->invocation, g_steal_pointer(&error));
		return;
	}
	if (call->revisions == NULL)
		hubd_dbus_cache_complete_scan(skeleton, call->invocation, report);
	else
		hubd_dbus_cache_complete_delete(skeleton, call->invocation, report);
}

static void
hubd_cache_service_run(Call *call)
{
	g_autoptr(GTask) task = g_task_new(call->self, NULL, hubd_cache_service_done_cb, NULL);

	g_task_set_task_data(task, call, (GDestroyNotify)call_free);
	g_task_run_in_thread(task, hubd_cache_service_thread);
}

static gboolean
hubd_cache_service_handle_scan(HubdDbusCache *skeleton,
			       GDBusMethodInvocation *invocation,
			       GVariant *options,
			       gpointer user_data)
{
	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	hubd_cache_service_run(call_new(HUBD_CACHE_SERVICE(user_data), invocation));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
hubd_cache_service_handle_delete(HubdDbusCache *skeleton,
				 GDBusMethodInvocation *invocation,
				 const gchar *const *revisions,
				 GVariant *options,
				 gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"dry_run", "b"}, {NULL, NULL}};
	Call *call;

	if (!hubd_service_accept_options(invocation, options, allowed))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	if (revisions == NULL || revisions[0] == NULL) {
		hubd_service_return_error(
			invocation,
			g_error_new_literal(HUBD_ERROR,
					    HUBD_ERROR_INVALID_ARGUMENT,
					    _("No revision to delete was given")));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	call = call_new(HUBD_CACHE_SERVICE(user_data), invocation);
	call->revisions = g_strdupv((gchar **)revisions);
	if (!g_variant_lookup(options, "dry_run", "b", &call->dry_run))
		call->dry_run = FALSE;
	hubd_cache_service_run(call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- Verify: a job (hubd-cache-verify-job.c) ---- */

typedef struct {
	HubdCacheService *self;
	HubdJob *job;
} VerifyRun;

static void
hubd_cache_service_verified_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	VerifyRun *run = user_data;
	GError *error = NULL;
	g_autoptr(GVariant) result = hubd_cache_verify_finish(res, &error);

	if (result == NULL)
		hubd_job_fail(run->job, error);
	else
		hubd_job_complete(run->job, result);
	run->self->busy--;
	hubd_context_release(hubd_service_get_context(HUBD_SERVICE(run->self)));
	g_object_unref(run->job);
	g_object_unref(run->self);
	g_free(run);
}

static gboolean
hubd_cache_service_handle_verify(HubdDbusCache *skeleton,
				 GDBusMethodInvocation *invocation,
				 const gchar *repo_type,
				 const gchar *repo_id,
				 const gchar *revision,
				 GVariant *options,
				 gpointer user_data)
{
	static const HubdServiceOption allowed[] = {
		{"local_dir", "s"},
		{"cache_dir", "s"},
		{NULL, NULL},
	};
	HubdCacheService *self = HUBD_CACHE_SERVICE(user_data);
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(self));
	g_autoptr(HubdCacheVerifyRequest) req = g_new0(HubdCacheVerifyRequest, 1);
	g_autofree gchar *cache_dir = NULL;
	g_autofree gchar *description = NULL;
	g_autoptr(HubdJob) job = NULL;
	GError *error = NULL;
	VerifyRun *run;

	if (!hubd_service_check_hub_options(options, allowed, &error) ||
	    !hubd_repo_type_from_string(repo_type, &req->type, &error) ||
	    !hubd_repo_id_validate(repo_id, FALSE, &error) ||
	    (revision[0] != '\0' && !hubd_revision_validate(revision, &error)) ||
	    !hubd_cache_folder_options(options, &req->local_dir, &cache_dir, &error)) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	req->repo_id = g_strdup(repo_id);
	req->revision = g_strdup(revision);
	req->api = hubd_hub_api_new_for_call(hubd_context_get_hub_api(context), options);
	req->cache = hubd_cache_for_folder(hubd_context_get_cache(context), cache_dir);

	description = g_strdup_printf("%s@%s", repo_id, revision[0] != '\0' ? revision : "main");
	job = hubd_job_new(context, "verify", description);
	hubd_job_add_repo(job, repo_type, repo_id, revision);
	hubd_job_set_owner(job, invocation);
	hubd_dbus_cache_complete_verify(skeleton, invocation, hubd_job_get_object_path(job));

	run = g_new0(VerifyRun, 1);
	run->self = g_object_ref(self);
	run->job = g_object_ref(job);
	self->busy++;
	hubd_context_hold(context);
	hubd_cache_verify_async(context,
				g_steal_pointer(&req),
				job,
				hubd_job_get_cancellable(job),
				hubd_cache_service_verified_cb,
				run);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GDBusInterfaceSkeleton *
hubd_cache_service_create_skeleton(HubdService *service)
{
	HubdDbusCache *skeleton = hubd_dbus_cache_skeleton_new();
	HubdCache *cache = hubd_context_get_cache(hubd_service_get_context(service));

	hubd_dbus_cache_set_path(skeleton, hubd_cache_get_root(cache));
	g_signal_connect(skeleton,
			 "handle-scan",
			 G_CALLBACK(hubd_cache_service_handle_scan),
			 service);
	g_signal_connect(skeleton,
			 "handle-delete",
			 G_CALLBACK(hubd_cache_service_handle_delete),
			 service);
	g_signal_connect(skeleton,
			 "handle-verify",
			 G_CALLBACK(hubd_cache_service_handle_verify),
			 service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static gboolean
hubd_cache_service_is_busy(HubdService *service)
{
	return HUBD_CACHE_SERVICE(service)->busy > 0;
}

static void
hubd_cache_service_class_init(HubdCacheServiceClass *klass)
{
	HubdServiceClass *service_class = HUBD_SERVICE_CLASS(klass);

	service_class->create_skeleton = hubd_cache_service_create_skeleton;
	service_class->is_busy = hubd_cache_service_is_busy;
}

static void
hubd_cache_service_init(HubdCacheService *self)
{
}
