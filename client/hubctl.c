/* hubctl.c: hubctl's entry point — global options, then one command from the table */
#include "hubctl.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "hubctl-git.h"

/* The order of `hubctl --help`. Each entry lives in its hubctl-<group>.c. */
static const HubctlCommand *const hubctl_commands[] = {
	&hubctl_auth_command,
	&hubctl_status_command,
	&hubctl_repo_command,
	&hubctl_url_command,
	&hubctl_download_command,
	&hubctl_upload_command,
	&hubctl_repo_files_command,
	&hubctl_discussions_command,
	&hubctl_cache_command,
	&hubctl_lfs_enable_largefiles_command,
	&hubctl_lfs_multipart_upload_command,
	&hubctl_webhooks_command,
	&hubctl_sync_command,
	&hubctl_card_command,
	&hubctl_spaces_command,
	&hubctl_endpoints_command,
	&hubctl_storage_command,
	&hubctl_mirror_command,
	NULL,
};

static const HubctlCommand *
hubctl_find_command(const gchar *name)
{
	for (guint i = 0; hubctl_commands[i] != NULL; i++) {
		if (g_strcmp0(hubctl_commands[i]->name, name) == 0)
			return hubctl_commands[i];
	}
	return NULL;
}

/* Edit distance, for "did you mean"; names are short, so the plain O(n·m) table. */
static gsize
hubctl_edit_distance(const gchar *a, const gchar *b)
{
	gsize la = strlen(a);
	gsize lb = strlen(b);
	g_autofree gsize *row = g_new(gsize, lb + 1);

	for (gsize j = 0; j <= lb; j++)
		row[j] = j;
	for (gsize i = 1; i <= la; i++) {
		gsize diag = row[0];
		row[0] = i;
		for (gsize j = 1; j <= lb; j++) {
			gsize up = row[j];
			gsize cost = a[i - 1] == b[j - 1] ? 0 : 1;
			row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1), diag + cost);
			diag = up;
		}
	}
	return row[lb];
}

static const HubctlCommand *
hubctl_suggest_command(const gchar *name)
{
	const HubctlCommand *best = NULL;
	gsize best_distance = 3; /* farther than two edits is a guess, not a typo */

	for (guint i = 0; hubctl_commands[i] != NULL; i++) {
		const gchar *candidate = hubctl_commands[i]->name;
		gsize distance = hubctl_edit_distance(name, candidate);
		if (g_str_has_prefix(candidate, name) && strlen(name) >= 2)
			distance = MIN(distance, 1);
		if (distance < best_distance) {
			best = hubctl_commands[i];
			best_distance = distance;
		}
	}
	return best;
}

static gint
hubctl_unknown_command(const gchar *name)
{
	const HubctlCommand *suggestion = hubctl_suggest_command(name);

	g_printerr("hubctl: ");
	/* TRANSLATORS: %s is what the user typed as a command */
	g_printerr(_("'%s' is not a hubctl command."), name);
	g_printerr("\n");
	if (suggestion != NULL) {
		/* TRANSLATORS: %s is a command name */
		g_printerr(_("Did you mean 'hubctl %s'?"), suggestion->name);
		g_printerr("\n");
	}
	g_printerr("%s\n", _("Run 'hubctl --help' to list the commands."));
	return HUBCTL_EXIT_USAGE;
}

static void
hubctl_print_help(void)
{
	g_autoptr(HubctlTable) commands = hubctl_table_new(2);
	g_autoptr(HubctlTable) options = hubctl_table_new(2);
	g_autoptr(HubctlTable) environment = hubctl_table_new(2);
	g_autoptr(HubctlTable) exits = hubctl_table_new(2);
	g_autofree gchar *code = NULL;

	g_print("%s\n  %s\n\n%s\n\n",
		_("Usage:"),
		_("hubctl [--socket PATH] [--token-name NAME] COMMAND [ARGS…]"),
		_("The command-line client of hubd, the desktop's connection to the Hugging Face "
		  "Hub."));

	hubctl_table_set_indent(commands, 2);
	hubctl_table_set_indent(options, 2);
	hubctl_table_set_indent(environment, 2);
	hubctl_table_set_indent(exits, 2);
	for (guint i = 0; hubctl_commands[i] != NULL; i++) {
		hubctl_table_add_row(commands,
				     _(hubctl_commands[i]->usage),
				     _(hubctl_commands[i]->summary));
	}
	hubctl_table_add_row(commands, _("help COMMAND"), _("Show the help of COMMAND"));
	g_print("%s\n", _("Commands:"));
	hubctl_table_print(commands);
	g_print("\n%s\n",
		_("A REPO_ID may be an address, as hf reads them: "
		  "hf://[datasets/|spaces/]NAMESPACE/NAME[@REVISION][/PATH]. Its type and revision "
		  "count as --type and --revision; its PATH (“PATH/” for a folder) is the file or "
		  "folder of commands that take one."));

	hubctl_table_add_row(options, "-h, --help", _("Show this help"));
	hubctl_table_add_row(options, "--version", _("Print the version and exit"));
	hubctl_table_add_row(options,
			     _("--socket PATH"),
			     _("Talk to hubd on its Unix socket instead of the session bus"));
	hubctl_table_add_row(options,
			     _("--token-name NAME"),
			     _("Talk to the Hub with the stored token NAME (see 'hubctl auth "
			       "list') for this command only; the active token stays active"));
	g_print("\n%s\n", _("Global options (before the command):"));
	hubctl_table_print(options);

	hubctl_table_add_row(environment, "HUBD_SOCKET", _("Same as --socket"));
	hubctl_table_add_row(environment,
			     "DBUS_SESSION_BUS_ADDRESS",
			     _("The session bus; when unset and there is no bus, hubctl uses "
			       "$XDG_RUNTIME_DIR/hubd/bus if it exists"));
	g_print("\n%s\n", _("Environment:"));
	hubctl_table_print(environment);

	hubctl_table_add_row(exits, "0", _("Success"));
	code = g_strdup_printf("%d", HUBCTL_EXIT_FAILED);
	hubctl_table_add_row(exits,
			     code,
			     _("The operation failed: the Hub or hubd said no, or cache verify "
			       "found a corrupted file"));
	g_free(code);
	code = g_strdup_printf("%d", HUBCTL_EXIT_UNREACHABLE);
	hubctl_table_add_row(exits, code, _("hubd could not be reached"));
	g_free(code);
	code = g_strdup_printf("%d", HUBCTL_EXIT_USAGE);
	hubctl_table_add_row(exits, code, _("Bad command line"));
	g_free(code);
	code = g_strdup_printf("%d", HUBCTL_EXIT_CANCELLED);
	hubctl_table_add_row(exits, code, _("Interrupted (Ctrl-C)"));
	g_print("\n%s\n", _("Exit codes:"));
	hubctl_table_print(exits);

	g_print("\n%s\n", _("Run 'hubctl COMMAND --help' for the options of a command."));
}

static gint
hubctl_run_command(const HubctlCommand *command, HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *prgname = g_strdup_printf("hubctl %s", command->name);

	/* GOptionContext prints "Usage: hubctl status [OPTION…]" with this */
	g_set_prgname(prgname);
	return command->func(ctx, argc, argv);
}

/* `hubctl help [COMMAND]` */
static gint
hubctl_help_command(HubctlContext *ctx, gint argc, gchar **argv)
{
	const HubctlCommand *command;
	gchar *help_argv[] = {NULL, (gchar *)"--help", NULL};

	if (argc < 2) {
		hubctl_print_help();
		return HUBCTL_EXIT_OK;
	}
	if (argc > 2)
		return hubctl_usage_error("help", _("help takes one command name"));
	command = hubctl_find_command(argv[1]);
	if (command == NULL)
		return hubctl_unknown_command(argv[1]);
	help_argv[0] = (gchar *)command->name;
	return hubctl_run_command(command, ctx, 2, help_argv);
}

int
main(int argc, char **argv)
{
	g_autoptr(HubctlContext) ctx = NULL;
	const HubctlCommand *command;
	const gchar *socket_path = NULL;
	const gchar *token_name = NULL;
	gboolean help = FALSE;
	gboolean version = FALSE;
	gint i;
	const gchar *localedir = g_getenv("HUBD_LOCALEDIR");

	setlocale(LC_ALL, "");
	/* HUBD_LOCALEDIR: the build tree's translations, for tests and a run
	 * before `meson install` */
	bindtextdomain(GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
	g_set_prgname("hubctl");

	/* global options stop at the first non-option: the rest is the command's */
	for (i = 1; i < argc; i++) {
		const gchar *arg = argv[i];
		if (g_strcmp0(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break;
		if (g_strcmp0(arg, "--help") == 0 || g_strcmp0(arg, "-h") == 0 ||
		    g_strcmp0(arg, "-?") == 0) {
			help = TRUE;
		} else if (g_strcmp0(arg, "--version") == 0) {
			version = TRUE;
		} else if (g_strcmp0(arg, "--socket") == 0) {
			if (i + 1 >= argc)
				return hubctl_usage_error(NULL, _("--socket needs a PATH"));
			socket_path = argv[++i];
		} else if (g_str_has_prefix(arg, "--socket=")) {
			socket_path = arg + strlen("--socket=");
		} else if (g_strcmp0(arg, "--token-name") == 0) {
			if (i + 1 >= argc)
				return hubctl_usage_error(NULL, _("--token-name needs a NAME"));
			token_name = argv[++i];
		} else if (g_str_has_prefix(arg, "--token-name=")) {
			token_name = arg + strlen("--token-name=");
		} else {
			g_autofree gchar *message =
				/* TRANSLATORS: %s is a command-line option */
				g_strdup_printf(_("unknown option %s"), arg);
			return hubctl_usage_error(NULL, message);
		}
		if (socket_path != NULL && socket_path[0] == '\0')
			return hubctl_usage_error(NULL, _("--socket needs a PATH"));
		if (token_name != NULL && token_name[0] == '\0')
			return hubctl_usage_error(NULL, _("--token-name needs a NAME"));
	}

	if (version) {
		g_print("hubctl %s\n", PACKAGE_VERSION);
		return HUBCTL_EXIT_OK;
	}
	if (help) {
		hubctl_print_help();
		return HUBCTL_EXIT_OK;
	}
	if (i >= argc) {
		g_printerr("hubctl: %s\n", _("no command given"));
		g_printerr("%s\n", _("Run 'hubctl --help' to list the commands."));
		return HUBCTL_EXIT_USAGE;
	}

	ctx = hubctl_context_new(socket_path, token_name);
	if (g_strcmp0(argv[i], "help") == 0)
		return hubctl_help_command(ctx, argc - i, argv + i);
	command = hubctl_find_command(argv[i]);
	if (command == NULL)
		return hubctl_unknown_command(argv[i]);
	return hubctl_run_command(command, ctx, argc - i, argv + i);
}
