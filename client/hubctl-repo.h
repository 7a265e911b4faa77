/* hubctl-repo.h: what the `hubctl repo` sub-commands share (hubctl-repo.c,
 * hubctl-repo-refs.c). Private to hubctl. */
#pragma once

#include "hubctl.h"

G_BEGIN_DECLS

/* The libhubd client Repos calls go to (with HUBCTL_REPO_TIMEOUT_MS);
 * NULL (message printed) when hubd cannot be reached. */
HubdClient *
hubctl_repo_proxy(HubctlContext *ctx);

/* The D-Bus timeout of Repos calls: long enough for listings that follow
 * many pages. */
#define HUBCTL_REPO_TIMEOUT_MS (10 * 60 * 1000)

/* How a sub-command reads its REPO_ID (argv[1]), which may be an hf://
 * address (client/hubctl-address.h). */
typedef struct {
	gchar **revision;       /* the command's --revision value; NULL: it has none */
	gboolean takes_path;    /* an address's PATH stands for the PATH argument */
	HubctlAddress *address; /* set by hubctl_repo_parse(): what argv[1] says */
} HubctlRepoArg;

void
hubctl_repo_arg_clear(HubctlRepoArg *repo);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(HubctlRepoArg, hubctl_repo_arg_clear)

/* Parses a sub-command's options; argv[0] is the sub-command. `command` is
 * "repo create" (for messages and the usage line). With `type_out`, adds
 * --type/--repo-type and stores the checked type ("model" by default) there.
 * With `repo`, reads argv[1] as a REPO_ID or an address (hubctl_resolve_repo()),
 * whose type and revision count as --type and --revision, and whose PATH
 * counts as a positional argument. Then checks that min_args <= positional
 * arguments <= max_args. On FALSE, *exit_code is set (usage error). */
gboolean
hubctl_repo_parse(const gchar *command,
		  const gchar *params,
		  const gchar *summary,
		  const GOptionEntry *entries,
		  gchar **type_out,
		  HubctlRepoArg *repo,
		  gint min_args,
		  gint max_args,
		  gint *argc,
		  gchar ***argv,
		  gint *exit_code);

/* The PATH argument at argv[index] or the address's, "" when neither. */
const gchar *
hubctl_repo_arg_path(const HubctlRepoArg *repo, gint argc, gchar **argv, gint index);

/* A string member of an a{sv}, "" when absent. */
const gchar *
hubctl_repo_lookup(GVariant *dict, const gchar *key);

/* An a{sv} as a JSON object with exactly `keys` (NULL-terminated), null for
 * those absent: the stable --json shapes of hubctl-json.md. */
JsonNode *
hubctl_repo_dict_to_json(GVariant *dict, const gchar *const *keys);
/* The same for every a{sv} of an aa{sv}, printed as a JSON array (--json of
 * the listings); returns HUBCTL_EXIT_OK. */
gint
hubctl_repo_print_json_array(GVariant *dicts, const gchar *const *keys);

/* "2024-01-02T03:04:05.000Z" -> "2024-01-02 03:04" for tables. */
gchar *
hubctl_repo_short_date(const gchar *date);

/* --limit N: FALSE (and a usage error printed into *exit_code) when negative. */
gboolean
hubctl_repo_check_limit(const gchar *command, gint limit, gint *exit_code);

/* Before deleting: TRUE to go on — with `yes` (--yes), when stdin or stderr
 * is not a terminal (scripts), or on a "y"/"yes" answer to QUESTION [y/N].
 * Else prints "aborted, nothing was deleted" and returns FALSE. */
gboolean
hubctl_repo_confirm(gboolean yes, const gchar *question);

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

/* `repo access`, in hubctl-repo-access.c; argv[0] is "access". */
gint
hubctl_repo_access(HubctlContext *ctx, gint argc, gchar **argv);

G_END_DECLS
