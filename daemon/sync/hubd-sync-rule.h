/* hubd-sync-rule.h: a sync rule and its state, persisted in $XDG_CONFIG_HOME/hubd/sync.conf */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
	HUBD_SYNC_TARGET_CACHE,
	HUBD_SYNC_TARGET_FOLDER,
	HUBD_SYNC_TARGET_STORAGE,
} HubdSyncTargetKind;

typedef struct {
	gchar *id;
	gchar *repo_type;
	gchar *repo_id;
	gchar *revision;
	gchar *target;
	GStrv include;
	GStrv exclude;
	gchar *trigger; /* "webhook", "poll", "manual" */
	guint poll_seconds;
	gboolean delete_removed;
	gchar *webhook_id;
	/* state */
	gchar *last_commit;
	gchar *last_error;
	gint64 last_run;
	guint runs;
	gchar *staging_commit; /* a run in progress towards this commit */
} HubdSyncRule;

void
hubd_sync_rule_free(HubdSyncRule *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdSyncRule, hubd_sync_rule_free)

HubdSyncTargetKind
hubd_sync_rule_target_kind(const HubdSyncRule *rule);

/* Checks AddRule's arguments and options into a new rule (id set). */
HubdSyncRule *
hubd_sync_rule_new(const gchar *repo_type,
		   const gchar *repo_id,
		   const gchar *target,
		   GVariant *options,
		   GError **error);

/* The rule and its state as the a{sv} of Sync.GetRule, without running/job. */
void
hubd_sync_rule_add_to_builder(const HubdSyncRule *rule, GVariantBuilder *builder);

/* All rules of sync.conf (id -> HubdSyncRule*); a missing file is empty. */
GHashTable *
hubd_sync_rules_load(const gchar *path, GError **error);
/* Writes every rule, atomically, mode 0600. */
gboolean
hubd_sync_rules_save(const gchar *path, GHashTable *rules, GError **error);

G_END_DECLS
