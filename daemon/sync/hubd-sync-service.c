/* hubd-sync-service.c: org.hubd.Hub1.Sync — the D-Bus face of the sync
 * rules; when they run is hubd-sync-scheduler.c's business. A rule with the
 * webhook trigger gets its Hub webhook (to hubd's listener) before it is
 * added, and loses it when it is removed. */
#define G_LOG_DOMAIN "HubdSync"

#include "hubd-sync-service.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "hubd-context.h"
#include "hubd-dbus-generated.h"
#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-job.h"
#include "hubd-sync-rule.h"
#include "hubd-sync-scheduler.h"
#include "hubd-sync-storage.h"
#include "hubd-webhooks.h"

struct _HubdSyncService {
	HubdService parent_instance;
	HubdSyncScheduler *scheduler;
};

G_DEFINE_TYPE_WITH_CODE(
	HubdSyncService,
	hubd_sync_service,
	HUBD_TYPE_SERVICE,
	hubd_service_register_extension_point();
	g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT, g_define_type_id, "sync", 550))

static HubdContext *
context_of(HubdSyncService *self)
{
	return hubd_service_get_context(HUBD_SERVICE(self));
}

/* ---- D-Bus ---- */

static HubdDbusSync *
skeleton_of(gpointer service)
{
	return HUBD_DBUS_SYNC(hubd_service_get_skeleton(HUBD_SERVICE(service)));
}

static void
return_unknown(GDBusMethodInvocation *invocation, const gchar *rule_id)
{
	hubd_service_return_error(
		invocation,
		g_error_new(HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("There is no sync rule “%s” (see hubctl sync list)"),
			    rule_id));
}

typedef struct {
	HubdSyncService *self;
	GDBusMethodInvocation *invocation;
	HubdSyncRule *rule;
	HubdHubApi *api;
} AddCall;

static void
add_call_free(AddCall *ac)
{
	hubd_context_release(context_of(ac->self));
	g_object_unref(ac->self);
	g_object_unref(ac->invocation);
	hubd_sync_rule_free(ac->rule);
	g_clear_object(&ac->api);
	g_free(ac);
}

static void
add_finish(AddCall *ac)
{
	HubdSyncRule *rule = g_steal_pointer(&ac->rule);

	hubd_dbus_sync_complete_add_rule(skeleton_of(ac->self), ac->invocation, rule->id);
	hubd_sync_scheduler_add(ac->self->scheduler, rule);
	add_call_free(ac);
}

static void
webhook_created_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	AddCall *ac = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdHubWebhook) w =
		hubd_webhooks_create_managed_finish(HUBD_WEBHOOKS(source), res, &error);

	if (w == NULL) {
		hubd_service_return_error(ac->invocation, g_steal_pointer(&error));
		add_call_free(ac);
		return;
	}
	ac->rule->webhook_id = g_steal_pointer(&w->id);
	add_finish(ac);
}

static gboolean
handle_add_rule(HubdDbusSync *skeleton,
		GDBusMethodInvocation *invocation,
		const gchar *repo_type,
		const gchar *repo_id,
		const gchar *target,
		GVariant *options,
		gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"revision", "s"},
						    {"include", "as"},
						    {"exclude", "as"},
						    {"trigger", "s"},
						    {"poll_seconds", "u"},
						    {"delete", "b"},
						    {NULL, NULL}};
	HubdSyncService *self = HUBD_SYNC_SERVICE(user_data);
	GError *error = NULL;
	AddCall *ac;
	HubdSyncRule *rule;

	if (!hubd_service_check_hub_options(options, allowed, &error) ||
	    (rule = hubd_sync_rule_new(repo_type, repo_id, target, options, &error)) == NULL) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	ac = g_new0(AddCall, 1);
	ac->self = g_object_ref(self);
	ac->invocation = g_object_ref(invocation);
	ac->rule = rule;
	hubd_context_hold(context_of(self));
	if (!g_str_equal(rule->trigger, "webhook")) {
		add_finish(ac);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	{
		g_autoptr(GPtrArray) watched = g_ptr_array_new_with_free_func(
			(GDestroyNotify)hubd_hub_webhook_watched_free);
		const gchar *const domains[] = {"repo", NULL};

		ac->api = hubd_hub_api_new_for_call(hubd_context_get_hub_api(context_of(self)),
						    options);
		g_ptr_array_add(watched, hubd_hub_webhook_watched_new(repo_type, repo_id));
		hubd_webhooks_create_managed_async(hubd_webhooks_get_default(),
						   ac->api,
						   watched,
						   domains,
						   NULL,
						   webhook_created_cb,
						   ac);
	}
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_rules(HubdDbusSync *skeleton,
		  GDBusMethodInvocation *invocation,
		  GVariant *options,
		  gpointer user_data)
{
	HubdSyncService *self = HUBD_SYNC_SERVICE(user_data);

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	hubd_dbus_sync_complete_list_rules(skeleton,
					   invocation,
					   hubd_sync_scheduler_list(self->scheduler));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_rule(HubdDbusSync *skeleton,
		GDBusMethodInvocation *invocation,
		const gchar *rule_id,
		GVariant *options,
		gpointer user_data)
{
	HubdSyncService *self = HUBD_SYNC_SERVICE(user_data);
	GVariant *rule;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	rule = hubd_sync_scheduler_get_rule(self->scheduler, rule_id);
	if (rule == NULL)
		return_unknown(invocation, rule_id);
	else
		hubd_dbus_sync_complete_get_rule(skeleton, invocation, rule);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
webhook_deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (!hubd_hub_api_delete_webhook_finish(HUBD_HUB_API(source), res, &error))
		g_warning("could not delete the sync rule's webhook: %s", error->message);
}

static gboolean
handle_remove_rule(HubdDbusSync *skeleton,
		   GDBusMethodInvocation *invocation,
		   const gchar *rule_id,
		   GVariant *options,
		   gpointer user_data)
{
	HubdSyncService *self = HUBD_SYNC_SERVICE(user_data);
	GError *error = NULL;
	g_autofree gchar *webhook_id = NULL;

	if (!hubd_service_check_hub_options(options, NULL, &error)) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (!hubd_sync_scheduler_remove(self->scheduler, rule_id, &webhook_id)) {
		return_unknown(invocation, rule_id);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* what a storage target's rule put stays there; only its record goes */
	{
		g_autofree gchar *manifest = hubd_sync_storage_manifest_path(rule_id);
		g_autoptr(GFile) file = g_file_new_for_path(manifest);

		g_file_delete_async(file, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
	}
	if (webhook_id != NULL) {
		g_autoptr(HubdHubApi) api =
			hubd_hub_api_new_for_call(hubd_context_get_hub_api(context_of(self)),
						  options);

		hubd_hub_api_delete_webhook_async(api, webhook_id, NULL, webhook_deleted_cb, NULL);
		hubd_webhook_secrets_remove_async(
			hubd_webhooks_get_secrets(hubd_webhooks_get_default()),
			webhook_id,
			NULL,
			NULL,
			NULL);
	}
	hubd_dbus_sync_complete_remove_rule(skeleton, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_run(HubdDbusSync *skeleton,
	   GDBusMethodInvocation *invocation,
	   const gchar *rule_id,
	   GVariant *options,
	   gpointer user_data)
{
	HubdSyncService *self = HUBD_SYNC_SERVICE(user_data);
	HubdJob *job;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	job = hubd_sync_scheduler_run(self->scheduler, rule_id);
	if (job == NULL)
		return_unknown(invocation, rule_id);
	else
		hubd_dbus_sync_complete_run(skeleton, invocation, hubd_job_get_object_path(job));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- the service ---- */

static gboolean
hubd_sync_service_start(HubdService *service, GError **error)
{
	HubdSyncService *self = HUBD_SYNC_SERVICE(service);
	g_autofree gchar *path =
		g_build_filename(g_get_user_config_dir(), "hubd", "sync.conf", NULL);

	self->scheduler = hubd_sync_scheduler_new(context_of(self), path, error);
	return self->scheduler != NULL;
}

static GDBusInterfaceSkeleton *
hubd_sync_service_create_skeleton(HubdService *service)
{
	HubdDbusSync *skeleton = hubd_dbus_sync_skeleton_new();

	g_signal_connect(skeleton, "handle-add-rule", G_CALLBACK(handle_add_rule), service);
	g_signal_connect(skeleton, "handle-list-rules", G_CALLBACK(handle_list_rules), service);
	g_signal_connect(skeleton, "handle-get-rule", G_CALLBACK(handle_get_rule), service);
	g_signal_connect(skeleton, "handle-remove-rule", G_CALLBACK(handle_remove_rule), service);
	g_signal_connect(skeleton, "handle-run", G_CALLBACK(handle_run), service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static gboolean
hubd_sync_service_is_busy(HubdService *service)
{
	HubdSyncService *self = (HubdSyncService *)service;

	return self->scheduler != NULL && hubd_sync_scheduler_is_busy(self->scheduler);
}

static void
hubd_sync_service_finalize(GObject *object)
{
	HubdSyncService *self = HUBD_SYNC_SERVICE(object);

	g_clear_object(&self->scheduler);
	G_OBJECT_CLASS(hubd_sync_service_parent_class)->finalize(object);
}

static void
hubd_sync_service_class_init(HubdSyncServiceClass *klass)
{
	HubdServiceClass *service_class = HUBD_SERVICE_CLASS(klass);

	G_OBJECT_CLASS(klass)->finalize = hubd_sync_service_finalize;
	service_class->create_skeleton = hubd_sync_service_create_skeleton;
	service_class->start = hubd_sync_service_start;
	service_class->is_busy = hubd_sync_service_is_busy;
}

static void
hubd_sync_service_init(HubdSyncService *self)
{
}
