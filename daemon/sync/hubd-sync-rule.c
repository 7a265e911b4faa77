/* hubd-sync-rule.c: sync rules and their persistence.
 *
 * sync.conf is a key file, one group "rule ID" per rule, written whole
 * (temporary file, then rename) after each change of a rule or its state,
 * so a daemon killed at any point finds either the old or the new file. */
#define G_LOG_DOMAIN "HubdSync"

#include "hubd-sync-rule.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubd-error.h"
#include "hubd-repo-id.h"

#define GROUP_PREFIX "rule "

void
hubd_sync_rule_free(HubdSyncRule *rule)
{
	if (rule == NULL)
		return;
	g_free(rule->id);
	g_free(rule->repo_type);
	g_free(rule->repo_id);
	g_free(rule->revision);
	g_free(rule->target);
	g_strfreev(rule->include);
	g_strfreev(rule->exclude);
	g_free(rule->trigger);
	g_free(rule->webhook_id);
	g_free(rule->last_commit);
	g_free(rule->last_error);
	g_free(rule->staging_commit);
	g_free(rule);
}

HubdSyncTargetKind
hubd_sync_rule_target_kind(const HubdSyncRule *rule)
{
	if (g_str_equal(rule->target, "cache"))
		return HUBD_SYNC_TARGET_CACHE;
	if (g_path_is_absolute(rule->target))
		return HUBD_SYNC_TARGET_FOLDER;
	return HUBD_SYNC_TARGET_STORAGE;
}

static gboolean
invalid(GError **error, const gchar *message)
{
	g_set_error_literal(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT, message);
	return FALSE;
}

static gboolean
check_target(const gchar *target, GError **error)
{
	g_autofree gchar *scheme = NULL;
	g_autofree gchar *canonical = NULL;

	if (g_str_equal(target, "cache"))
		return TRUE;
	if (g_path_is_absolute(target)) {
		canonical = g_canonicalize_filename(target, NULL);
		if (g_str_equal(canonical, "/") || g_strcmp0(canonical, target) != 0 ||
		    g_str_has_suffix(target, "/"))
			return invalid(error,
				       _("A sync folder is an absolute path with no “..”, “.” "
					 "or trailing “/”, and not “/”"));
		return TRUE;
	}
	scheme = g_uri_parse_scheme(target);
	if (scheme == NULL)
		return invalid(error,
			       _("A sync target is “cache”, an absolute folder or a storage URL "
				 "such as file:///srv/mirror"));
	return TRUE;
}

static gchar *
new_id(void)
{
	/* short and unique enough for a user's rules: 12 hex digits */
	return g_strdup_printf("%06x%06x",
			       g_random_int_range(0, 0xffffff),
			       g_random_int_range(0, 0xffffff));
}

HubdSyncRule *
hubd_sync_rule_new(const gchar *repo_type,
		   const gchar *repo_id,
		   const gchar *target,
		   GVariant *options,
		   GError **error)
{
	g_autoptr(HubdSyncRule) rule = g_new0(HubdSyncRule, 1);
	HubdRepoType type;
	const gchar *revision = "main";
	const gchar *trigger = "manual";
	guint32 poll = 60;

	if (!hubd_repo_type_from_string(repo_type, &type, error) ||
	    !hubd_repo_id_validate(repo_id, TRUE, error) || !check_target(target, error))
		return NULL;
	g_variant_lookup(options, "revision", "&s", &revision);
	g_variant_lookup(options, "trigger", "&s", &trigger);
	g_variant_lookup(options, "poll_seconds", "u", &poll);
	if (!hubd_revision_validate(revision, error))
		return NULL;
	if (!g_str_equal(trigger, "webhook") && !g_str_equal(trigger, "poll") &&
	    !g_str_equal(trigger, "manual")) {
		invalid(error, _("A sync trigger is webhook, poll or manual"));
		return NULL;
	}
	if (poll < 1 || poll > 86400 * 7) {
		invalid(error, _("poll_seconds is between 1 and 604800"));
		return NULL;
	}
	rule->id = new_id();
	rule->repo_type = g_strdup(repo_type);
	rule->repo_id = g_strdup(repo_id);
	rule->revision = g_strdup(revision);
	rule->target = g_strdup(target);
	if (!g_variant_lookup(options, "include", "^as", &rule->include))
		rule->include = g_new0(gchar *, 1);
	if (!g_variant_lookup(options, "exclude", "^as", &rule->exclude))
		rule->exclude = g_new0(gchar *, 1);
	rule->trigger = g_strdup(trigger);
	rule->poll_seconds = poll;
	g_variant_lookup(options, "delete", "b", &rule->delete_removed);
	return g_steal_pointer(&rule);
}

void
hubd_sync_rule_add_to_builder(const HubdSyncRule *rule, GVariantBuilder *b)
{
#define S(x) g_variant_new_string((x) != NULL ? (x) : "")
	g_variant_builder_add(b, "{sv}", "id", S(rule->id));
	g_variant_builder_add(b, "{sv}", "repo_type", S(rule->repo_type));
	g_variant_builder_add(b, "{sv}", "repo_id", S(rule->repo_id));
	g_variant_builder_add(b, "{sv}", "revision", S(rule->revision));
	g_variant_builder_add(b, "{sv}", "target", S(rule->target));
	g_variant_builder_add(b,
			      "{sv}",
			      "include",
			      g_variant_new_strv((const gchar *const *)rule->include, -1));
	g_variant_builder_add(b,
			      "{sv}",
			      "exclude",
			      g_variant_new_strv((const gchar *const *)rule->exclude, -1));
	g_variant_builder_add(b, "{sv}", "trigger", S(rule->trigger));
	g_variant_builder_add(b, "{sv}", "poll_seconds", g_variant_new_uint32(rule->poll_seconds));
	g_variant_builder_add(b, "{sv}", "delete", g_variant_new_boolean(rule->delete_removed));
	g_variant_builder_add(b, "{sv}", "webhook_id", S(rule->webhook_id));
	g_variant_builder_add(b, "{sv}", "last_commit", S(rule->last_commit));
	g_variant_builder_add(b, "{sv}", "last_error", S(rule->last_error));
	g_variant_builder_add(b, "{sv}", "last_run", g_variant_new_int64(rule->last_run));
	g_variant_builder_add(b, "{sv}", "runs", g_variant_new_uint32(rule->runs));
#undef S
}

/* ---- sync.conf ---- */

static gchar *
get(GKeyFile *kf, const gchar *group, const gchar *key)
{
	gchar *v = g_key_file_get_string(kf, group, key, NULL);

	if (v != NULL && v[0] == '\0')
		g_clear_pointer(&v, g_free);
	return v;
}

static GStrv
get_list(GKeyFile *kf, const gchar *group, const gchar *key)
{
	GStrv v = g_key_file_get_string_list(kf, group, key, NULL, NULL);

	return v != NULL ? v : g_new0(gchar *, 1);
}

GHashTable *
hubd_sync_rules_load(const gchar *path, GError **error)
{
	g_autoptr(GHashTable) rules = g_hash_table_new_full(g_str_hash,
							    g_str_equal,
							    NULL,
							    (GDestroyNotify)hubd_sync_rule_free);
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) local = NULL;
	g_auto(GStrv) groups = NULL;

	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &local)) {
		if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return g_steal_pointer(&rules);
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Cannot read the sync rules in %s: %s"),
			    path,
			    local->message);
		return NULL;
	}
	groups = g_key_file_get_groups(kf, NULL);
	for (guint i = 0; groups[i] != NULL; i++) {
		const gchar *g = groups[i];
		g_autoptr(HubdSyncRule) rule = NULL;

		if (!g_str_has_prefix(g, GROUP_PREFIX))
			continue;
		rule = g_new0(HubdSyncRule, 1);
		rule->id = g_strdup(g + strlen(GROUP_PREFIX));
		rule->repo_type = get(kf, g, "repo_type");
		rule->repo_id = get(kf, g, "repo_id");
		rule->revision = get(kf, g, "revision");
		rule->target = get(kf, g, "target");
		rule->include = get_list(kf, g, "include");
		rule->exclude = get_list(kf, g, "exclude");
		rule->trigger = get(kf, g, "trigger");
		rule->poll_seconds = (guint)g_key_file_get_uint64(kf, g, "poll_seconds", NULL);
		rule->delete_removed = g_key_file_get_boolean(kf, g, "delete", NULL);
		rule->webhook_id = get(kf, g, "webhook_id");
		rule->last_commit = get(kf, g, "last_commit");
		rule->last_error = get(kf, g, "last_error");
		rule->last_run = g_key_file_get_int64(kf, g, "last_run", NULL);
		rule->runs = (guint)g_key_file_get_uint64(kf, g, "runs", NULL);
		rule->staging_commit = get(kf, g, "staging_commit");
		if (rule->repo_type == NULL || rule->repo_id == NULL || rule->target == NULL ||
		    rule->trigger == NULL || rule->revision == NULL) {
			g_warning("sync rule %s in %s is incomplete: skipped", rule->id, path);
			continue;
		}
		if (rule->poll_seconds < 1)
			rule->poll_seconds = 60;
		g_hash_table_insert(rules, rule->id, rule);
		rule = NULL;
	}
	return g_steal_pointer(&rules);
}

static gint
compare_ids(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

gboolean
hubd_sync_rules_save(const gchar *path, GHashTable *rules, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autofree gchar *data = NULL;
	g_autofree const gchar **ids = (const gchar **)g_hash_table_get_keys_as_array(rules, NULL);
	g_autoptr(GError) local = NULL;
	gsize len = 0;

	qsort(ids, g_hash_table_size(rules), sizeof *ids, compare_ids);
	for (guint i = 0; ids[i] != NULL; i++) {
		HubdSyncRule *r = g_hash_table_lookup(rules, ids[i]);
		g_autofree gchar *g = g_strconcat(GROUP_PREFIX, r->id, NULL);

		g_key_file_set_string(kf, g, "repo_type", r->repo_type);
		g_key_file_set_string(kf, g, "repo_id", r->repo_id);
		g_key_file_set_string(kf, g, "revision", r->revision);
		g_key_file_set_string(kf, g, "target", r->target);
		g_key_file_set_string_list(kf,
					   g,
					   "include",
					   (const gchar *const *)r->include,
					   g_strv_length(r->include));
		g_key_file_set_string_list(kf,
					   g,
					   "exclude",
					   (const gchar *const *)r->exclude,
					   g_strv_length(r->exclude));
		g_key_file_set_string(kf, g, "trigger", r->trigger);
		g_key_file_set_uint64(kf, g, "poll_seconds", r->poll_seconds);
		g_key_file_set_boolean(kf, g, "delete", r->delete_removed);
		g_key_file_set_string(kf,
				      g,
				      "webhook_id",
				      r->webhook_id != NULL ? r->webhook_id : "");
		g_key_file_set_string(kf,
				      g,
				      "last_commit",
				      r->last_commit != NULL ? r->last_commit : "");
		g_key_file_set_string(kf,
				      g,
				      "last_error",
				      r->last_error != NULL ? r->last_error : "");
		g_key_file_set_int64(kf, g, "last_run", r->last_run);
		g_key_file_set_uint64(kf, g, "runs", r->runs);
		g_key_file_set_string(kf,
				      g,
				      "staging_commit",
				      r->staging_commit != NULL ? r->staging_commit : "");
	}
	data = g_key_file_to_data(kf, &len, NULL);
	if (g_mkdir_with_parents(dir, 0700) != 0 ||
	    !g_file_set_contents_full(path,
				      data,
				      (gssize)len,
				      G_FILE_SET_CONTENTS_CONSISTENT,
				      0600,
				      &local)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Cannot save the sync rules in %s: %s"),
			    path,
			    local != NULL ? local->message : g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}
