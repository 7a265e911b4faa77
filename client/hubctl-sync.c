/* hubctl-sync.c: `hubctl sync add|list|run|remove|status` — rules that keep a
 * local folder, the shared cache or a storage backend in sync with a repo */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "hubctl.h"

static HubdClient *
sync_proxy(HubctlContext *ctx)
{
	return hubctl_context_get_client(ctx);
}

static GVariant *
no_options(void)
{
	return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
}

/* --on webhook|poll=SECONDS|manual into the options */
static gboolean
parse_on(const gchar *on, GVariantDict *options)
{
	guint64 seconds = 0;

	if (on == NULL)
		return TRUE;
	if (g_str_equal(on, "webhook") || g_str_equal(on, "manual")) {
		g_variant_dict_insert(options, "trigger", "s", on);
		return TRUE;
	}
	if (g_str_has_prefix(on, "poll=") &&
	    g_ascii_string_to_unsigned(on + 5, 10, 1, 604800, &seconds, NULL)) {
		g_variant_dict_insert(options, "trigger", "s", "poll");
		g_variant_dict_insert(options, "poll_seconds", "u", (guint32)seconds);
		return TRUE;
	}
	return FALSE;
}

static gint
sync_add(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *to = NULL;
	g_autofree gchar *type = NULL;
	g_autofree gchar *revision = NULL;
	g_autofree gchar *on = NULL;
	g_auto(GStrv) include = NULL;
	g_auto(GStrv) exclude = NULL;
	gboolean to_cache = FALSE, delete_removed = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	HubdClient *proxy = NULL;
	g_autoptr(HubctlAddress) address = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *rule_id = NULL;
	g_autofree gchar *target = NULL;
	g_autofree gchar *scheme = NULL;
	GVariantDict options;
	const GOptionEntry entries[] = {
		{"to",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &to,
		 N_("The folder or storage URL to keep in sync"),
		 N_("DIR|URL")},
		{"to-cache",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &to_cache,
		 N_("Keep the shared cache in sync"),
		 NULL},
		{"type",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &type,
		 N_("model (default), dataset or space"),
		 N_("TYPE")},
		{"revision",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &revision,
		 N_("The branch to follow (default main)"),
		 N_("BRANCH")},
		{"include",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &include,
		 N_("Only files matching (repeatable)"),
		 N_("PATTERN")},
		{"exclude",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &exclude,
		 N_("Not files matching (repeatable)"),
		 N_("PATTERN")},
		{"on",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &on,
		 N_("When to run: webhook, poll=SECONDS or manual (default)"),
		 N_("TRIGGER")},
		{"delete",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &delete_removed,
		 N_("Remove what was removed upstream"),
		 NULL},
		{NULL},
	};

	if (!hubctl_parse_options("sync add",
				  _("REPO_ID"),
				  _("Add a sync rule and print its id"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error("sync add", _("give one REPO_ID"));
	if ((to == NULL) == !to_cache)
		return hubctl_usage_error("sync add", _("give --to DIR|URL or --to-cache"));
	if (!hubctl_check_repo_type("sync add", type, &exit_code))
		return exit_code;
	address = hubctl_resolve_repo("sync add", argv[1], FALSE, &type, &revision, &exit_code);
	if (address == NULL)
		return exit_code;
	g_variant_dict_init(&options, NULL);
	if (!parse_on(on, &options)) {
		g_variant_dict_clear(&options);
		return hubctl_usage_error(
			"sync add",
			_("--on takes webhook, poll=SECONDS (1 to 604800) or manual"));
	}
	if (to_cache)
		target = g_strdup("cache");
	else if ((scheme = g_uri_parse_scheme(to)) != NULL)
		target = g_strdup(to);
	else
		target = g_canonicalize_filename(to, NULL);
	if (revision != NULL)
		g_variant_dict_insert(&options, "revision", "s", revision);
	if (include != NULL)
		g_variant_dict_insert(&options, "include", "^as", include);
	if (exclude != NULL)
		g_variant_dict_insert(&options, "exclude", "^as", exclude);
	if (delete_removed)
		g_variant_dict_insert(&options, "delete", "b", TRUE);
	proxy = sync_proxy(ctx);
	if (proxy == NULL) {
		g_variant_dict_clear(&options);
		return HUBCTL_EXIT_UNREACHABLE;
	}
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_SYNC,
			 "AddRule",
			 g_variant_new("(sss@a{sv})",
				       type != NULL ? type : "model",
				       address->repo_id,
				       target,
				       g_variant_dict_end(&options)),
			 -1,
			 &error,
			 "(s)",
			 &rule_id))
		return hubctl_report_error(error);
	g_print("%s\n", rule_id);
	return HUBCTL_EXIT_OK;
}

static gchar *
trigger_text(GVariant *rule)
{
	const gchar *trigger = "";
	guint32 seconds = 0;

	g_variant_lookup(rule, "trigger", "&s", &trigger);
	g_variant_lookup(rule, "poll_seconds", "u", &seconds);
	if (g_str_equal(trigger, "poll"))
		return g_strdup_printf("poll=%u", seconds);
	return g_strdup(trigger);
}

static gint
sync_list(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) rules = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubctlTable) table = NULL;
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options("sync list",
				  NULL,
				  _("List the sync rules"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc > 1)
		return hubctl_usage_error("sync list", _("list takes no arguments"));
	proxy = sync_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_SYNC,
			 "ListRules",
			 g_variant_new("(@a{sv})", no_options()),
			 -1,
			 &error,
			 "(@aa{sv})",
			 &rules))
		return hubctl_report_error(error);
	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(rules);

		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	table = hubctl_table_new(6);
	hubctl_table_set_headers(table,
				 _("ID"),
				 _("REPO"),
				 _("TARGET"),
				 _("TRIGGER"),
				 _("COMMIT"),
				 _("ERROR"));
	for (gsize i = 0; i < g_variant_n_children(rules); i++) {
		g_autoptr(GVariant) r = g_variant_get_child_value(rules, i);
		const gchar *id = "", *repo = "", *target = "", *commit = "", *err = "";
		g_autofree gchar *trigger = trigger_text(r);

		g_variant_lookup(r, "id", "&s", &id);
		g_variant_lookup(r, "repo_id", "&s", &repo);
		g_variant_lookup(r, "target", "&s", &target);
		g_variant_lookup(r, "last_commit", "&s", &commit);
		g_variant_lookup(r, "last_error", "&s", &err);
		hubctl_table_add_row(table, id, repo, target, trigger, commit, err);
	}
	hubctl_table_print(table);
	return HUBCTL_EXIT_OK;
}

static gint
sync_status(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) rule = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubctlTable) table = NULL;
	const gchar *repo = "", *type = "", *revision = "", *target = "", *commit = "", *err = "";
	gint64 last_run = 0;
	guint32 runs = 0;
	gboolean running = FALSE, delete_removed = FALSE;
	g_autofree gchar *trigger = NULL;
	g_autofree gchar *when = NULL;
	g_autofree gchar *runs_text = NULL;
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options("sync status",
				  _("ID"),
				  _("A rule and its last run"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error("sync status", _("give the rule's ID"));
	proxy = sync_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_SYNC,
			 "GetRule",
			 g_variant_new("(s@a{sv})", argv[1], no_options()),
			 -1,
			 &error,
			 "(@a{sv})",
			 &rule))
		return hubctl_report_error(error);
	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(rule);

		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	g_variant_lookup(rule, "repo_id", "&s", &repo);
	g_variant_lookup(rule, "repo_type", "&s", &type);
	g_variant_lookup(rule, "revision", "&s", &revision);
	g_variant_lookup(rule, "target", "&s", &target);
	g_variant_lookup(rule, "last_commit", "&s", &commit);
	g_variant_lookup(rule, "last_error", "&s", &err);
	g_variant_lookup(rule, "last_run", "x", &last_run);
	g_variant_lookup(rule, "runs", "u", &runs);
	g_variant_lookup(rule, "running", "b", &running);
	g_variant_lookup(rule, "delete", "b", &delete_removed);
	trigger = trigger_text(rule);
	if (last_run > 0) {
		g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(last_run);

		when = g_date_time_format(dt, "%Y-%m-%d %H:%M:%S");
	}
	runs_text = g_strdup_printf("%u", runs);
	table = hubctl_table_new(2);
	hubctl_table_add_row(table, _("Repo:"), repo);
	hubctl_table_add_row(table, _("Type:"), type);
	hubctl_table_add_row(table, _("Branch:"), revision);
	hubctl_table_add_row(table, _("Target:"), target);
	hubctl_table_add_row(table, _("Trigger:"), trigger);
	hubctl_table_add_row(table, _("Delete:"), delete_removed ? _("yes") : _("no"));
	hubctl_table_add_row(table,
			     _("Synced commit:"),
			     commit[0] != '\0' ? commit : _("none yet"));
	hubctl_table_add_row(table, _("Last run:"), when != NULL ? when : _("never"));
	hubctl_table_add_row(table, _("Runs:"), runs_text);
	hubctl_table_add_row(table, _("Running:"), running ? _("yes") : _("no"));
	if (err[0] != '\0')
		hubctl_table_add_row(table, _("Last error:"), err);
	hubctl_table_print(table);
	return HUBCTL_EXIT_OK;
}

static gint
sync_run_or_remove(HubctlContext *ctx, gint argc, gchar **argv, gboolean run)
{
	const gchar *command = run ? "sync run" : "sync remove";
	gboolean quiet = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *job = NULL;
	const GOptionEntry entries[] = {
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress bars"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options(command,
				  _("ID"),
				  run ? _("Run a rule now and wait for it")
				      : _("Remove a rule (the target stays)"),
				  run ? entries : NULL,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error(command, _("give the rule's ID"));
	proxy = sync_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!run) {
		if (!hubctl_call(proxy,
				 HUBD_INTERFACE_SYNC,
				 "RemoveRule",
				 g_variant_new("(s@a{sv})", argv[1], no_options()),
				 -1,
				 &error,
				 "()"))
			return hubctl_report_error(error);
		return HUBCTL_EXIT_OK;
	}
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_SYNC,
			 "Run",
			 g_variant_new("(s@a{sv})", argv[1], no_options()),
			 -1,
			 &error,
			 "(o)",
			 &job))
		return hubctl_report_error(error);
	return hubctl_job_wait(ctx, job, quiet, NULL);
}

static gint
sync_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	static const struct {
		const gchar *name;
		const gchar *summary;
	} commands[] = {
		{"add", N_("Add a rule: a repo's branch to a folder, the cache or a storage URL")},
		{"list", N_("List the rules and their state")},
		{"run", N_("Run a rule now, with progress")},
		{"status", N_("A rule and its last run")},
		{"remove", N_("Remove a rule")},
	};
	const gchar *cmd = argc > 1 ? argv[1] : NULL;

	if (cmd == NULL || g_strcmp0(cmd, "--help") == 0 || g_strcmp0(cmd, "-h") == 0) {
		FILE *out = cmd == NULL ? stderr : stdout;

		fprintf(out, "%s\n\n", _("Usage: hubctl sync COMMAND [OPTIONS]"));
		for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
			fprintf(out, "  %-7s %s\n", commands[i].name, _(commands[i].summary));
		fprintf(out, "\n%s\n", _("Run 'hubctl sync COMMAND --help' for its options."));
		return cmd == NULL ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	if (g_str_equal(cmd, "add"))
		return sync_add(ctx, argc - 1, argv + 1);
	if (g_str_equal(cmd, "list") || g_str_equal(cmd, "ls"))
		return sync_list(ctx, argc - 1, argv + 1);
	if (g_str_equal(cmd, "status"))
		return sync_status(ctx, argc - 1, argv + 1);
	if (g_str_equal(cmd, "run"))
		return sync_run_or_remove(ctx, argc - 1, argv + 1, TRUE);
	if (g_str_equal(cmd, "remove") || g_str_equal(cmd, "rm"))
		return sync_run_or_remove(ctx, argc - 1, argv + 1, FALSE);
	{
		g_autofree gchar *message =
			g_strdup_printf(_("unknown command “%s” (add, list, run, status, remove)"),
					cmd);

		return hubctl_usage_error("sync", message);
	}
}

const HubctlCommand hubctl_sync_command = {
	"sync",
	N_("sync add|list|run|status|remove"),
	N_("Keep folders, the cache or storage in sync with repos"),
	sync_run,
};
