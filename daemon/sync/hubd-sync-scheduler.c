/* hubd-sync-scheduler.c: when sync rules run.
 *
 * Each rule has at most one run at a time. A trigger (a webhook event, a
 * poll that saw the branch move, Run) during a run only marks the rule
 * pending: when the run ends, one more run starts. So any burst of events
 * gives at most two runs, the last of which sees the final commit. Before a
 * run downloads anything the commit it goes to is saved as the rule's
 * staging_commit; a daemon killed mid-run finds it at start and runs again,
 * and the snapshot skips the files already in place (docs/sync.md). */
#define G_LOG_DOMAIN "HubdSync"

#include "hubd-sync-scheduler.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-job.h"
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

struct _HubdSyncScheduler {
	GObject parent_instance;
	HubdContext *context;
	gchar *path;
	GHashTable *rules;  /* id -> HubdSyncRule* */
	GHashTable *states; /* id -> RuleState* */
};

G_DEFINE_TYPE(HubdSyncScheduler, hubd_sync_scheduler, G_TYPE_OBJECT)

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
context_of(HubdSyncScheduler *self)
{
	return self->context;
}

static void
save(HubdSyncScheduler *self)
{
	g_autoptr(GError) error = NULL;

	if (!hubd_sync_rules_save(self->path, self->rules, &error))
		g_warning("%s", error->message);
}

/* ---- runs ---- */

typedef struct {
	HubdSyncScheduler *self;
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
start_run(HubdSyncScheduler *self, RuleState *st);

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
start_run(HubdSyncScheduler *self, RuleState *st)
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
request_run(HubdSyncScheduler *self, RuleState *st)
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
	HubdSyncScheduler *self = HUBD_SYNC_SCHEDULER(user_data);
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
	HubdSyncScheduler *self;
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
add_state(HubdSyncScheduler *self, HubdSyncRule *rule)
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

/* ---- what the service asks ---- */

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

static void
hubd_sync_scheduler_finalize(GObject *object)
{
	HubdSyncScheduler *self = HUBD_SYNC_SCHEDULER(object);

	g_clear_pointer(&self->states, g_hash_table_unref);
	g_clear_pointer(&self->rules, g_hash_table_unref);
	g_free(self->path);
	G_OBJECT_CLASS(hubd_sync_scheduler_parent_class)->finalize(object);
}

static void
hubd_sync_scheduler_class_init(HubdSyncSchedulerClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_sync_scheduler_finalize;
}

static void
hubd_sync_scheduler_init(HubdSyncScheduler *self)
{
}

HubdSyncScheduler *
hubd_sync_scheduler_new(HubdContext *context, const gchar *path, GError **error)
{
	g_autoptr(HubdSyncScheduler) self = g_object_new(HUBD_TYPE_SYNC_SCHEDULER, NULL);
	GHashTableIter iter;
	gpointer value;

	/* the context outlives every service and so this */
	self->context = context;
	self->path = g_strdup(path);
	self->rules = hubd_sync_rules_load(self->path, error);
	if (self->rules == NULL)
		return NULL;
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
	return g_steal_pointer(&self);
}

void
hubd_sync_scheduler_add(HubdSyncScheduler *self, HubdSyncRule *rule)
{
	RuleState *st;

	g_hash_table_insert(self->rules, rule->id, rule);
	save(self);
	st = add_state(self, rule);
	/* a first run brings the target up to date */
	if (!g_str_equal(rule->trigger, "manual"))
		request_run(self, st);
}

gboolean
hubd_sync_scheduler_remove(HubdSyncScheduler *self, const gchar *rule_id, gchar **webhook_id)
{
	HubdSyncRule *rule = g_hash_table_lookup(self->rules, rule_id);

	if (rule == NULL)
		return FALSE;
	*webhook_id = g_strdup(rule->webhook_id);
	g_hash_table_remove(self->states, rule_id);
	g_hash_table_remove(self->rules, rule_id);
	save(self);
	return TRUE;
}

GVariant *
hubd_sync_scheduler_get_rule(HubdSyncScheduler *self, const gchar *rule_id)
{
	RuleState *st = g_hash_table_lookup(self->states, rule_id);

	return st != NULL ? rule_variant(st) : NULL;
}

GVariant *
hubd_sync_scheduler_list(HubdSyncScheduler *self)
{
	g_autofree const gchar **ids =
		(const gchar **)g_hash_table_get_keys_as_array(self->states, NULL);
	GVariantBuilder b;

	qsort(ids, g_hash_table_size(self->states), sizeof *ids, (GCompareFunc)g_strcmp0);
	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; ids[i] != NULL; i++)
		g_variant_builder_add_value(
			&b,
			rule_variant(g_hash_table_lookup(self->states, ids[i])));
	return g_variant_builder_end(&b);
}

HubdJob *
hubd_sync_scheduler_run(HubdSyncScheduler *self, const gchar *rule_id)
{
	RuleState *st = g_hash_table_lookup(self->states, rule_id);

	return st != NULL ? request_run(self, st) : NULL;
}

/* rules that poll or wait for webhooks keep the daemon up */
gboolean
hubd_sync_scheduler_is_busy(HubdSyncScheduler *self)
{
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init(&iter, self->states);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		RuleState *st = value;

		if (!g_str_equal(st->rule->trigger, "manual") || st->job != NULL)
			return TRUE;
	}
	return FALSE;
}
