/* hubd-sync-service.c: org.hubd.Hub1.Sync.
 *
 * Each rule has at most one run at a time. A trigger (a webhook event, a
 * poll that saw the branch move, Run) during a run only marks the rule
 * pending: when the run ends, one more run starts. So any burst of events
 * gives at most two runs, the last of which sees the final commit. Before a
 * run downloads anything the commit it goes to is saved as the rule's
 * staging_commit; a daemon killed mid-run finds it at start and runs again,
 * and the snapshot skips the files already in place. */
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
#include "hubd-sync-run.h"
#include "hubd-webhooks.h"

typedef struct {
	HubdSyncRule *rule; /* borrowed from the table */
	HubdJob *job;       /* the run in progress */
	GCancellable *cancellable;
	gboolean pending;
	guint poll_source;
	gboolean polling; /* a poll's commit lookup in flight */
} RuleState;

struct _HubdSyncService {
	HubdService parent_instance;
	gchar *path;
	GHashTable *rules;  /* id -> HubdSyncRule* */
	GHashTable *states; /* id -> RuleState* */
};

G_DEFINE_TYPE_WITH_CODE(
	HubdSyncService,
	hubd_sync_service,
	HUBD_TYPE_SERVICE,
	hubd_service_register_extension_point();
	g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT, g_define_type_id, "sync", 550))

static void
rule_state_free(RuleState *st)
{
	if (st->poll_source != 0)
		g_source_remove(st->poll_source);
	if (st->cancellable != NULL)
		g_cancellable_cancel(st->cancellable);
	g_clear_object(&st->cancellable);
	g_clear_object(&st->job);
	g_free(st);
}

static HubdContext *
context_of(HubdSyncService *self)
{
	return hubd_service_get_context(HUBD_SERVICE(self));
}

static void
save(HubdSyncService *self)
{
	g_autoptr(GError) error = NULL;

	if (!hubd_sync_rules_save(self->path, self->rules, &error))
		g_warning("%s", error->message);
}

/* ---- runs ---- */

typedef struct {
	HubdSyncService *self;
	gchar *rule_id;
	HubdJob *job;
} RunCall;

static void
run_call_free(RunCall *rc)
{
	g_object_unref(rc->self);
	g_free(rc->rule_id);
	g_object_unref(rc->job);
	g_free(rc);
}

static void
start_run(HubdSyncService *self, RuleState *st);

/* the rule may have been removed while its run went on */
static RuleState *
lookup_state(RunCall *rc)
{
	RuleState *st = g_hash_table_lookup(rc->self->states, rc->rule_id);

	return st != NULL && st->job == rc->job ? st : NULL;
}

static void
run_ended(RunCall *rc, GVariant *result, GError *error)
{
	RuleState *st = lookup_state(rc);

	if (error != NULL)
		hubd_job_fail(rc->job, g_error_copy(error));
	else
		hubd_job_complete(rc->job, result);
	if (st == NULL)
		return;
	st->rule->last_run = g_get_real_time() / G_USEC_PER_SEC;
	st->rule->runs++;
	g_free(st->rule->last_error);
	st->rule->last_error = error != NULL ? g_strdup(error->message) : NULL;
	if (error == NULL) {
		const gchar *commit = NULL;

		g_variant_lookup(result, "commit", "&s", &commit);
		g_free(st->rule->last_commit);
		st->rule->last_commit = g_strdup(commit);
		g_clear_pointer(&st->rule->staging_commit, g_free);
	} else {
		g_message("sync %s of %s failed: %s",
			  st->rule->id,
			  st->rule->repo_id,
			  error->message);
	}
	save(rc->self);
	g_clear_object(&st->job);
	g_clear_object(&st->cancellable);
	if (st->pending) {
		st->pending = FALSE;
		start_run(rc->self, st);
	}
}

static void
run_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	RunCall *rc = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = hubd_sync_run_finish(res, &error);

	run_ended(rc, result, error);
	run_call_free(rc);
}

static GVariant *
unchanged_result(const HubdSyncRule *rule)
{
	GVariantBuilder b;
	const gchar *const none[] = {NULL};

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "commit", g_variant_new_string(rule->last_commit));
	g_variant_builder_add(&b, "{sv}", "changed", g_variant_new_boolean(FALSE));
	g_variant_builder_add(
		&b,
		"{sv}",
		"path",
		g_variant_new_string(hubd_sync_rule_target_kind(rule) == HUBD_SYNC_TARGET_FOLDER
					     ? rule->target
					     : ""));
	g_variant_builder_add(&b, "{sv}", "removed", g_variant_new_strv(none, -1));
	return g_variant_ref_sink(g_variant_builder_end(&b));
}

static void
commit_resolved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	RunCall *rc = user_data;
	RuleState *st = lookup_state(rc);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *commit =
		hubd_hub_api_revision_commit_finish(HUBD_HUB_API(source), res, &error);

	if (commit == NULL || st == NULL) {
		if (error == NULL)
			error = g_error_new_literal(HUBD_ERROR,
						    HUBD_ERROR_CANCELLED,
						    _("The sync rule was removed"));
		run_ended(rc, NULL, error);
		run_call_free(rc);
		return;
	}
	/* nothing new and nothing half done: nothing to transfer */
	if (st->rule->staging_commit == NULL && g_strcmp0(commit, st->rule->last_commit) == 0) {
		g_autoptr(GVariant) result = unchanged_result(st->rule);

		run_ended(rc, result, NULL);
		run_call_free(rc);
		return;
	}
	if (g_strcmp0(st->rule->staging_commit, commit) != 0) {
		g_free(st->rule->staging_commit);
		st->rule->staging_commit = g_strdup(commit);
		save(rc->self);
	}
	hubd_sync_run_async(context_of(rc->self),
			    st->rule,
			    commit,
			    rc->job,
			    st->cancellable,
			    run_done_cb,
			    rc);
}

static void
start_run(HubdSyncService *self, RuleState *st)
{
	HubdContext *context = context_of(self);
	HubdRepoType type = HUBD_REPO_TYPE_MODEL;
	g_autofree gchar *description =
		g_strdup_printf("sync %s → %s", st->rule->repo_id, st->rule->target);
	RunCall *rc = g_new0(RunCall, 1);

	hubd_repo_type_from_string(st->rule->repo_type, &type, NULL);
	st->job = hubd_job_new(context, "sync", description);
	hubd_job_add_repo(st->job, st->rule->repo_type, st->rule->repo_id, st->rule->revision);
	st->cancellable = g_object_ref(hubd_job_get_cancellable(st->job));
	rc->self = g_object_ref(self);
	rc->rule_id = g_strdup(st->rule->id);
	rc->job = g_object_ref(st->job);
	hubd_job_set_phase(st->job, "resolving");
	/* a run cut short goes on to the commit it had started */
	if (st->rule->staging_commit != NULL) {
		hubd_sync_run_async(context,
				    st->rule,
				    st->rule->staging_commit,
				    st->job,
				    st->cancellable,
				    run_done_cb,
				    rc);
		return;
	}
	hubd_hub_api_revision_commit_async(hubd_context_get_hub_api(context),
					   type,
					   st->rule->repo_id,
					   st->rule->revision,
					   st->cancellable,
					   commit_resolved_cb,
					   rc);
}

/* Returns the job of the run that will cover this request. */
static HubdJob *
request_run(HubdSyncService *self, RuleState *st)
{
	if (st->job != NULL && !hubd_job_is_finished(st->job)) {
		st->pending = TRUE;
		return st->job;
	}
	start_run(self, st);
	return st->job;
}

/* ---- triggers ---- */

static void
received_cb(HubdWebhooks *hooks, HubdWebhookEvent *event, gpointer user_data)
{
	HubdSyncService *self = HUBD_SYNC_SERVICE(user_data);
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init(&iter, self->states);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		RuleState *st = value;

		if (g_str_equal(st->rule->trigger, "webhook") &&
		    hubd_webhook_event_touches_repo(event, st->rule->repo_type, st->rule->repo_id))
			request_run(self, st);
	}
}

typedef struct {
	HubdSyncService *self;
	gchar *rule_id;
} PollCall;

static void
poll_resolved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	PollCall *pc = user_data;
	RuleState *st = g_hash_table_lookup(pc->self->states, pc->rule_id);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *commit =
		hubd_hub_api_revision_commit_finish(HUBD_HUB_API(source), res, &error);

	if (st != NULL) {
		st->polling = FALSE;
		if (commit == NULL)
			g_debug("poll of %s: %s", st->rule->repo_id, error->message);
		else if (g_strcmp0(commit, st->rule->last_commit) != 0)
			request_run(pc->self, st);
	}
	g_object_unref(pc->self);
	g_free(pc->rule_id);
	g_free(pc);
}

/* the cheap check: the branch's commit, no listing when it has not moved */
static gboolean
poll_cb(gpointer user_data)
{
	PollCall *src = user_data;
	RuleState *st = g_hash_table_lookup(src->self->states, src->rule_id);
	HubdContext *context = context_of(src->self);
	HubdRepoType type = HUBD_REPO_TYPE_MODEL;
	PollCall *pc;

	if (st == NULL || st->polling || (st->job != NULL && !hubd_job_is_finished(st->job)))
		return G_SOURCE_CONTINUE;
	hubd_repo_type_from_string(st->rule->repo_type, &type, NULL);
	pc = g_new0(PollCall, 1);
	pc->self = g_object_ref(src->self);
	pc->rule_id = g_strdup(src->rule_id);
	st->polling = TRUE;
	hubd_hub_api_revision_commit_async(hubd_context_get_hub_api(context),
					   type,
					   st->rule->repo_id,
					   st->rule->revision,
					   NULL,
					   poll_resolved_cb,
					   pc);
	return G_SOURCE_CONTINUE;
}

static void
poll_source_free(gpointer data)
{
	PollCall *src = data;

	/* the service outlives its sources: they are removed in finalize */
	g_free(src->rule_id);
	g_free(src);
}

static RuleState *
add_state(HubdSyncService *self, HubdSyncRule *rule)
{
	RuleState *st = g_new0(RuleState, 1);

	st->rule = rule;
	g_hash_table_insert(self->states, rule->id, st);
	if (g_str_equal(rule->trigger, "poll")) {
		PollCall *src = g_new0(PollCall, 1);

		src->self = self;
		src->rule_id = g_strdup(rule->id);
		st->poll_source = g_timeout_add_seconds_full(G_PRIORITY_DEFAULT,
							     rule->poll_seconds,
							     poll_cb,
							     src,
							     poll_source_free);
	}
	return st;
}

/* ---- D-Bus ---- */

static HubdDbusSync *
skeleton_of(gpointer service)
{
	return HUBD_DBUS_SYNC(hubd_service_get_skeleton(HUBD_SERVICE(service)));
}

static RuleState *
find_state(HubdSyncService *self, GDBusMethodInvocation *invocation, const gchar *rule_id)
{
	RuleState *st = g_hash_table_lookup(self->states, rule_id);

	if (st == NULL)
		hubd_service_return_error(
			invocation,
			g_error_new(HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("There is no sync rule “%s” (see hubctl sync list)"),
				    rule_id));
	return st;
}

static GVariant *
rule_variant(RuleState *st)
{
	GVariantBuilder b;
	gboolean running = st->job != NULL && !hubd_job_is_finished(st->job);

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	hubd_sync_rule_add_to_builder(st->rule, &b);
	g_variant_builder_add(&b, "{sv}", "running", g_variant_new_boolean(running));
	g_variant_builder_add(
		&b,
		"{sv}",
		"job",
		g_variant_new_object_path(running ? hubd_job_get_object_path(st->job) : "/"));
	return g_variant_builder_end(&b);
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
	RuleState *st;

	g_hash_table_insert(ac->self->rules, rule->id, rule);
	save(ac->self);
	st = add_state(ac->self, rule);
	hubd_dbus_sync_complete_add_rule(skeleton_of(ac->self), ac->invocation, rule->id);
	/* a first run brings the target up to date */
	if (!g_str_equal(rule->trigger, "manual"))
		request_run(ac->self, st);
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
	g_autofree const gchar **ids = NULL;
	GVariantBuilder b;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	ids = (const gchar **)g_hash_table_get_keys_as_array(self->states, NULL);
	qsort(ids, g_hash_table_size(self->states), sizeof *ids, (GCompareFunc)g_strcmp0);
	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; ids[i] != NULL; i++)
		g_variant_builder_add_value(
			&b,
			rule_variant(g_hash_table_lookup(self->states, ids[i])));
	hubd_dbus_sync_complete_list_rules(skeleton, invocation, g_variant_builder_end(&b));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_rule(HubdDbusSync *skeleton,
		GDBusMethodInvocation *invocation,
		const gchar *rule_id,
		GVariant *options,
		gpointer user_data)
{
	RuleState *st;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	st = find_state(HUBD_SYNC_SERVICE(user_data), invocation, rule_id);
	if (st != NULL)
		hubd_dbus_sync_complete_get_rule(skeleton, invocation, rule_variant(st));
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
	RuleState *st;

	if (!hubd_service_check_hub_options(options, NULL, &error)) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	st = find_state(self, invocation, rule_id);
	if (st == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	if (st->rule->webhook_id != NULL) {
		g_autoptr(HubdHubApi) api =
			hubd_hub_api_new_for_call(hubd_context_get_hub_api(context_of(self)),
						  options);

		hubd_hub_api_delete_webhook_async(api,
						  st->rule->webhook_id,
						  NULL,
						  webhook_deleted_cb,
						  NULL);
		hubd_webhook_secrets_remove_async(
			hubd_webhooks_get_secrets(hubd_webhooks_get_default()),
			st->rule->webhook_id,
			NULL,
			NULL,
			NULL);
	}
	g_hash_table_remove(self->states, rule_id);
	g_hash_table_remove(self->rules, rule_id);
	save(self);
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
	RuleState *st;
	HubdJob *job;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	st = find_state(self, invocation, rule_id);
	if (st == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	job = request_run(self, st);
	hubd_dbus_sync_complete_run(skeleton, invocation, hubd_job_get_object_path(job));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- the service ---- */

static gboolean
hubd_sync_service_start(HubdService *service, GError **error)
{
	HubdSyncService *self = HUBD_SYNC_SERVICE(service);
	GHashTableIter iter;
	gpointer value;

	self->path = g_build_filename(g_get_user_config_dir(), "hubd", "sync.conf", NULL);
	self->rules = hubd_sync_rules_load(self->path, error);
	if (self->rules == NULL)
		return FALSE;
	self->states = g_hash_table_new_full(g_str_hash,
					     g_str_equal,
					     NULL,
					     (GDestroyNotify)rule_state_free);
	g_hash_table_iter_init(&iter, self->rules);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		RuleState *st = add_state(self, value);

		/* a run that was cut short: finish it */
		if (st->rule->staging_commit != NULL) {
			g_message("sync %s: completing the run to %s",
				  st->rule->id,
				  st->rule->staging_commit);
			request_run(self, st);
		}
	}
	g_signal_connect_object(hubd_webhooks_get_default(),
				"received",
				G_CALLBACK(received_cb),
				self,
				0);
	return TRUE;
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

/* rules that poll or wait for webhooks keep the daemon up */
static gboolean
hubd_sync_service_is_busy(HubdService *service)
{
	HubdSyncService *self = (HubdSyncService *)service;
	GHashTableIter iter;
	gpointer value;

	if (self->states == NULL)
		return FALSE;
	g_hash_table_iter_init(&iter, self->states);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		RuleState *st = value;

		if (!g_str_equal(st->rule->trigger, "manual") || st->job != NULL)
			return TRUE;
	}
	return FALSE;
}

static void
hubd_sync_service_finalize(GObject *object)
{
	HubdSyncService *self = HUBD_SYNC_SERVICE(object);

	g_clear_pointer(&self->states, g_hash_table_unref);
	g_clear_pointer(&self->rules, g_hash_table_unref);
	g_free(self->path);
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
