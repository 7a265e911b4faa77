/* hubctl-repo.h: what the `hubctl repo` sub-commands share (hubctl-repo.c,
 * hubctl-repo-refs.c). Private to hubctl. */
#pragma once

#include "hubctl.h"

G_BEGIN_DECLS

/* The org.hubd.Hub1.Repos proxy, with a D-Bus timeout long enough for
 * listings that follow many pages; NULL (message printed) when hubd cannot be
 * reached. */
HubdDbusRepos *
hubctl_repo_proxy(HubctlContext *ctx);

/* Parses a sub-command's options; argv[0] is the sub-command. `command` is
 * "repo create" (for messages and the usage line). With `type_out`, adds
 * --type/--repo-type and stores the checked type ("model" by default) there.
 * On FALSE, *exit_code is set (usage error). */
gboolean
hubctl_repo_parse(const gchar *command,
		  const gchar *params,
		  const gchar *summary,
		  const GOptionEntry *entries,
		  gchar **type_out,
		  gint *argc,
		  gchar ***argv,
		  gint *exit_code);

/* A string member of an a{sv}, "" when absent. */
const gchar *
hubctl_repo_lookup(GVariant *dict, const gchar *key);

/* FALSE (usage error in *exit_code) unless min <= positional args <= max. */
gboolean
hubctl_repo_check_args(const gchar *command, gint argc, gint min, gint max, gint *exit_code);

/* An a{sv} as a JSON object with exactly `keys` (NULL-terminated), null for
 * those absent: the stable --json shapes of hubctl-json.md. */
JsonNode *
hubctl_repo_dict_to_json(GVariant *dict, const gchar *const *keys);
/* The same for every a{sv} of an aa{sv}: a JSON array. */
JsonNode *
hubctl_repo_array_to_json(GVariant *dicts, const gchar *const *keys);

/* "2024-01-02T03:04:05.000Z" -> "2024-01-02 03:04" for tables. */
gchar *
hubctl_repo_short_date(const gchar *date);

/* --limit N: FALSE (and a usage error printed into *exit_code) when negative. */
gboolean
hubctl_repo_check_limit(const gchar *command, gint limit, gint *exit_code);

/* Asks QUESTION [y/N] on stderr when stdin and stderr are terminals; TRUE
 * without asking when they are not (scripts), or on "y"/"yes". */
gboolean
hubctl_repo_confirm(const gchar *question);

/* hubctl-repo-info.c; argv[0] is the sub-command. */
gint
hubctl_repo_info(HubctlContext *ctx, gint argc, gchar **argv);
gint
hubctl_repo_list(HubctlContext *ctx, gint argc, gchar **argv);

/* The ref sub-commands, in hubctl-repo-refs.c; argv[0] is the sub-command. */
gint
hubctl_repo_files(HubctlContext *ctx, gint argc, gchar **argv);
gint
hubctl_repo_branch(HubctlContext *ctx, gint argc, gchar **argv);
gint
hubctl_repo_tag(HubctlContext *ctx, gint argc, gchar **argv);
gint
hubctl_repo_commits(HubctlContext *ctx, gint argc, gchar **argv);

G_END_DECLS
