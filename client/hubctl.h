/* hubctl.h: what every hubctl command group shares — the connection, output and exit codes.
 *
 * One file per command group (hubctl-status.c, hubctl-auth.c, ...). Each exports
 * one HubctlCommand, listed in hubctl.c's command table. A command's func gets
 * argv with argv[0] = the command name ("auth"), parses its own options with
 * GOptionContext, and returns an exit code.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hubctl-address.h"

/* libhubd's public API, as any app uses it: no generated D-Bus code */
#include "hubd.h"

G_BEGIN_DECLS

/* Documented in `hubctl --help`. */
typedef enum {
	HUBCTL_EXIT_OK = 0,
	HUBCTL_EXIT_FAILED = 1,      /* the operation failed: the Hub or hubd said no */
	HUBCTL_EXIT_UNREACHABLE = 2, /* hubd could not be reached */
	HUBCTL_EXIT_USAGE = 64,      /* bad command line (sysexits EX_USAGE) */
	HUBCTL_EXIT_CANCELLED = 130, /* interrupted (Ctrl-C) */
} HubctlExit;

/* libhubd's names (hubd-names.h), under the names hubctl's files use */
#define HUBCTL_BUS_NAME    HUBD_BUS_NAME
#define HUBCTL_OBJECT_PATH HUBD_OBJECT_PATH

typedef struct _HubctlContext HubctlContext;

typedef gint (*HubctlCommandFunc)(HubctlContext *ctx, gint argc, gchar **argv);

typedef struct {
	const gchar *name;    /* "auth" */
	const gchar *usage;   /* N_("auth login|logout|whoami|list|switch|import") */
	const gchar *summary; /* N_("Log in to the Hub and manage tokens") */
	HubctlCommandFunc func;
} HubctlCommand;

/* The connection to hubd, made on first use: the socket when --socket or
 * HUBD_SOCKET is given, else the session bus, else (no session bus) the
 * default socket if it exists. On failure prints the one-line "how to start
 * hubd" error and returns NULL; the command then returns HUBCTL_EXIT_UNREACHABLE. */
GDBusConnection *
hubctl_context_get_connection(HubctlContext *ctx);
/* "session bus" or the socket path, for messages and `status` */
const gchar *
hubctl_context_get_connection_label(HubctlContext *ctx);
gboolean
hubctl_context_is_socket(HubctlContext *ctx);
/* Bus name to address (NULL on a peer-to-peer socket connection). */
const gchar *
hubctl_context_get_bus_name(HubctlContext *ctx);

/* libhubd's client on that connection, for the calls its public API has
 * (hubd_client_delete_repo_sync(), …): NULL, with the "cannot reach hubd"
 * message printed, on failure. Owned by the context. */
HubdClient *
hubctl_context_get_client(HubctlContext *ctx);

/* Flags for proxies made on the connection: DO_NOT_AUTO_START when hubd is
 * not D-Bus-activatable, so a vanished daemon fails fast. */
GDBusProxyFlags
hubctl_context_get_proxy_flags(HubctlContext *ctx);

/* Calls `method` of `interface_name` on hubd's object through libhubd
 * (hubd_client_call_sync(): hubd's errors arrive as HUBD_ERROR) and unpacks
 * the reply as g_variant_get() does with `reply_format` — "(@a{sv})",
 * "(o)", "(us)", "()", never '&' (the reply is freed on return) — into the
 * pointers that follow (the caller owns what they get); the reply must have
 * the type the format names. `parameters` (may be floating, or NULL) is
 * consumed; `timeout_msec` -1 is D-Bus's default. `client` comes from
 * hubctl_context_get_client(). FALSE with `error` set on failure. */
gboolean
hubctl_call(HubdClient *client,
	    const gchar *interface_name,
	    const gchar *method,
	    GVariant *parameters,
	    gint timeout_msec,
	    GError **error,
	    const gchar *reply_format,
	    ...);

/* socket_path: --socket, or NULL to use HUBD_SOCKET / the session bus. Makes
 * no connection yet; hubctl_report_unreachable() names its connection.
 * `token_name` (--token-name, may be NULL) goes into the options of every
 * call that talks to the Hub (client/hubctl-call-options.c). */
HubctlContext *
hubctl_context_new(const gchar *socket_path, const gchar *token_name);
/* Adds `token_name` to the outgoing calls on `connection` that take it;
 * nothing when NULL. */
void
hubctl_call_options_install(GDBusConnection *connection, const gchar *token_name);
void
hubctl_context_free(HubctlContext *ctx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubctlContext, hubctl_context_free)

/* Prints "hubctl: MESSAGE" to stderr for a (remote) error and returns the
 * matching exit code: UNREACHABLE for a vanished daemon, CANCELLED for
 * HUBD_ERROR_CANCELLED, FAILED otherwise. Strips the D-Bus prefix. */
gint
hubctl_report_error(GError *error);
/* Prints the one-line "hubctl: cannot reach hubd ...: REASON. Start it with
 * ..." error for the connection hubctl uses and returns
 * HUBCTL_EXIT_UNREACHABLE. */
gint
hubctl_report_unreachable(const gchar *reason);
/* The socket hubctl talks to (NULL: the session bus), named by that hint;
 * the context sets it. */
void
hubctl_output_set_socket(const gchar *socket_path);

/* --json output: pretty-printed, one document on stdout, trailing newline. */
void
hubctl_print_json(JsonNode *node);
/* a{sv} / any GVariant -> JSON (bytes as strings, object paths as strings) */
JsonNode *
hubctl_variant_to_json(GVariant *value);

/* A bad command line: prints "hubctl COMMAND: MESSAGE" and a "Try 'hubctl
 * COMMAND --help'" hint to stderr, returns HUBCTL_EXIT_USAGE. command may be NULL. */
gint
hubctl_usage_error(const gchar *command, const gchar *message);

/* Parses a command's options (client/hubctl-args.c); argv[0] is the
 * (sub-)command. `command` ("auth login") names it in a usage error, which
 * sets *exit_code and returns FALSE. entries may be NULL. */
gboolean
hubctl_parse_options(const gchar *command,
		     const gchar *params,
		     const gchar *summary,
		     const GOptionEntry *entries,
		     gint *argc,
		     gchar ***argv,
		     gint *exit_code);
/* "model", "dataset" or "space" */
gboolean
hubctl_repo_type_is_valid(const gchar *type);
/* --type as download and upload check it: TRUE for NULL or a valid type, else
 * an "unknown repo type" usage error in *exit_code. */
gboolean
hubctl_check_repo_type(const gchar *command, const gchar *type, gint *exit_code);
/* A REPO_ID argument, or an hf:// address in its place (client/hubctl-address.c).
 * *type and *revision hold the command's --type and --revision, NULL when not
 * given (`revision` itself NULL for a command without --revision); the
 * address fills in those not given, and one that says otherwise is a usage
 * error naming both. Without `takes_path`, a PATH in the address is a usage
 * error. Returns the address (for a plain REPO_ID: its repo_id alone, type
 * NULL), or NULL with a usage error printed into *exit_code. */
HubctlAddress *
hubctl_resolve_repo(const gchar *command,
		    const gchar *arg,
		    gboolean takes_path,
		    gchar **type,
		    gchar **revision,
		    gint *exit_code);
/* Prints "QUESTION [y/N] " on stderr and reads the answer from stdin: TRUE on
 * "y" or "yes" (English or translated), FALSE on anything else or EOF. */
gboolean
hubctl_ask_yes_no(const gchar *question);

/* Column-aligned plain-text output (`repo list`, `status`): cells are padded to
 * the widest cell of their column (display width, so CJK and emoji line up),
 * two spaces between columns, the last column not padded. */
typedef struct _HubctlTable HubctlTable;

HubctlTable *
hubctl_table_new(guint n_columns);
void
hubctl_table_free(HubctlTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubctlTable, hubctl_table_free)
/* Optional header row, printed first; exactly n_columns strings. */
void
hubctl_table_set_headers(HubctlTable *table, ...);
/* Exactly n_columns strings; NULL prints as an empty cell. */
void
hubctl_table_add_row(HubctlTable *table, ...);
void
hubctl_table_add_rowv(HubctlTable *table, const gchar *const *cells);
/* Spaces before every row (0 by default), e.g. 2 for `--help` sections. */
void
hubctl_table_set_indent(HubctlTable *table, guint indent);
/* Prints to stdout. */
void
hubctl_table_print(HubctlTable *table);

/* huggingface_hub's _format_size: decimal units, one decimal ("3.8G"), as
 * `hf cache scan` and `hf download --dry-run` print sizes
 * (client/hubctl-output.c) */
gchar *
hubctl_cache_format_size(guint64 bytes);

/* TRUE when stdout/stderr is a terminal (progress bars, prompts, colours). */
gboolean
hubctl_stdout_is_tty(void);
gboolean
hubctl_stderr_is_tty(void);

/* Waits for the org.hubd.Hub1.Job at `job_path` to end (client/hubctl-job.c):
 * subscribes to Completed first, then reads the properties (a job may have
 * ended already). While it runs, draws progress bars on stderr when stderr is
 * a TTY and !quiet (per-file and total, rate, ETA); SIGINT calls Cancel() and
 * returns HUBCTL_EXIT_CANCELLED. On success returns HUBCTL_EXIT_OK and sets
 * *result_out (a{sv}, may be NULL); on failure prints the error like
 * hubctl_report_error and returns its exit code. */
gint
hubctl_job_wait(HubctlContext *ctx, const gchar *job_path, gboolean quiet, GVariant **result_out);
/* `hubctl storage publish` (client/hubctl-storage-publish.c) */
gint
hubctl_storage_publish(HubctlContext *ctx, gint argc, gchar **argv);

/* Waits for a job that ends in a commit (upload, publish) and prints its
 * commit URL (and PR URL), or JSON (commit_oid, commit_url, pr_url). */
gint
hubctl_commit_job_finish(HubctlContext *ctx, const gchar *job_path, gboolean quiet, gboolean json);
/* The same for a HubdJob the caller made (hubd_job_new_sync()) to follow it
 * too; *message_out (may be NULL) gets why it failed, if it did. */
gint
hubctl_job_wait_job(HubctlContext *ctx,
		    HubdJob *job,
		    gboolean quiet,
		    GVariant **result_out,
		    gchar **message_out);

/* The libhubd client `download`, `upload` and `repo-files` call
 * org.hubd.Hub1.Transfers on (client/hubctl-download.c); NULL (the "cannot
 * reach hubd" message printed) when hubd cannot be reached. */
HubdClient *
hubctl_transfers_proxy(HubctlContext *ctx);

/* huggingface_hub's _format_timesince: "3 days ago" (client/hubctl-output.c) */
gchar *
hubctl_cache_format_timesince(gint64 ts);

/* `hubctl cache ls`, and `cache rm` / `cache prune` (`prune` TRUE), as hf 1.x
 * (client/hubctl-cache-ls.c); argv[0] is the subcommand. */
gint
hubctl_cache_ls(HubctlContext *ctx, gint argc, gchar **argv);
gint
hubctl_cache_rm(HubctlContext *ctx, gint argc, gchar **argv, gboolean prune);

/* `hubctl cache verify` (client/hubctl-cache-verify.c); argv[0] is "verify". */
gint
hubctl_cache_verify(HubctlContext *ctx, gint argc, gchar **argv);

/* `hubctl auth login --web` (client/hubctl-auth-web.c): Auth.LoginWeb, the
 * code printed on stderr, then waits for the job; its result in *result_out. */
gint
hubctl_auth_login_web(HubctlContext *ctx,
		      const gchar *name,
		      gboolean open_browser,
		      GVariant **result_out);

/* The command groups, one per hubctl-<group>.c, listed in hubctl.c. */
extern const HubctlCommand hubctl_auth_command;
extern const HubctlCommand hubctl_status_command;
extern const HubctlCommand hubctl_repo_command;        /* hubctl-repo.c */
extern const HubctlCommand hubctl_url_command;         /* hubctl-repo.c */
extern const HubctlCommand hubctl_cache_command;       /* hubctl-cache.c */
extern const HubctlCommand hubctl_download_command;    /* hubctl-download.c */
extern const HubctlCommand hubctl_upload_command;      /* hubctl-upload.c */
extern const HubctlCommand hubctl_repo_files_command;  /* hubctl-upload.c */
extern const HubctlCommand hubctl_discussions_command; /* hubctl-discussions.c */
extern const HubctlCommand hubctl_webhooks_command;    /* hubctl-webhooks.c */
extern const HubctlCommand hubctl_sync_command;        /* hubctl-sync.c */
extern const HubctlCommand hubctl_card_command;        /* hubctl-card.c */
extern const HubctlCommand hubctl_spaces_command;      /* hubctl-spaces.c */
extern const HubctlCommand hubctl_endpoints_command;   /* hubctl-endpoints.c */
extern const HubctlCommand hubctl_storage_command;     /* hubctl-storage.c */
extern const HubctlCommand hubctl_mirror_command;      /* hubctl-mirror.c */

G_END_DECLS
