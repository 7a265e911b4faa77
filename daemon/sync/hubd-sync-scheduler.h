/* hubd-sync-scheduler.h: the sync rules, their triggers and runs (docs/sync.md) */
#pragma once

#include "hubd-context.h"
#include "hubd-job.h"
#include "hubd-sync-rule.h"

G_BEGIN_DECLS

#define HUBD_TYPE_SYNC_SCHEDULER (hubd_sync_scheduler_get_type())
G_DECLARE_FINAL_TYPE(HubdSyncScheduler, hubd_sync_scheduler, HUBD, SYNC_SCHEDULER, GObject)

/* Loads the rules of `path`, starts their triggers and completes the runs
 * that were cut short. */
HubdSyncScheduler *
hubd_sync_scheduler_new(HubdContext *context, const gchar *path, GError **error);
/* Takes `rule`; saves; a rule that is not manual runs at once. */
void
hubd_sync_scheduler_add(HubdSyncScheduler *self, HubdSyncRule *rule);
/* FALSE when there is no such rule; *webhook_id: the Hub webhook it had (or NULL). */
gboolean
hubd_sync_scheduler_remove(HubdSyncScheduler *self, const gchar *rule_id, gchar **webhook_id);
/* The a{sv} of Sync.GetRule (floating), NULL for an unknown id. */
GVariant *
hubd_sync_scheduler_get_rule(HubdSyncScheduler *self, const gchar *rule_id);
/* aa{sv} of every rule, by id (floating). */
GVariant *
hubd_sync_scheduler_list(HubdSyncScheduler *self);
/* The job of the run that will cover this request (borrowed), NULL for an
 * unknown id. */
HubdJob *
hubd_sync_scheduler_run(HubdSyncScheduler *self, const gchar *rule_id);
gboolean
hubd_sync_scheduler_is_busy(HubdSyncScheduler *self);

G_END_DECLS
