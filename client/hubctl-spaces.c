/* hubctl-spaces.c: `hubctl spaces` — a Space's runtime, hardware and
 * settings, as `hf spaces`, over org.hubd.Hub1.Spaces (the spaces plugin).
 * Logs and wait: hubctl-spaces-logs.c; secrets, variables and duplicate:
 * hubctl-spaces-settings.c. */
#include "hubctl-spaces.h"

#include <glib/gi18n.h>
#include <stdio.h>

GDBusProxy *
hubctl_plugin_proxy(HubctlContext *ctx, const gchar *interface_name)
{
	HubdClient *client = hubctl_context_get_client(ctx);
	g_autoptr(GError) error = NULL;
	GDBusProxy *proxy;

	if (client == NULL)
		return NULL;
	proxy = g_dbus_proxy_new_sync(hubd_client_get_connection(client),
				      hubd_client_get_proxy_flags(client) |
					      G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
				      NULL,
				      hubd_client_get_bus_name(client),
				      HUBD_OBJECT_PATH,
				      interface_name,
				      NULL,
				      &error);
	if (proxy == NULL) {
		hubctl_report_unreachable(error->message);
		return NULL;
	}
	/* a plugin's call may wait on the Hub for a while */
	g_dbus_proxy_set_default_timeout(proxy, 120000);
	return proxy;
}

GDBusProxy *
hubctl_spaces_proxy(HubctlContext *ctx)
{
	return hubctl_plugin_proxy(ctx, HUBCTL_SPACES_IFACE);
}

GVariant *
hubctl_spaces_call(GDBusProxy *proxy, const gchar *method, GVariant *params, GError **error)
{
	GError *local = NULL;
	GVariant *reply = g_dbus_proxy_call_sync(proxy,
						 method,
						 params,
						 G_DBUS_CALL_FLAGS_NONE,
						 -1,
						 NULL,
						 &local);

	/* a hubd without the plugin: say which plugin, not D-Bus's words */
	if (reply == NULL &&
	    (g_error_matches(local, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
	     g_error_matches(local, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD))) {
		const gchar *iface = g_dbus_proxy_get_interface_name(proxy);

		g_clear_error(&local);
		g_set_error(&local,
			    G_IO_ERROR,
			    G_IO_ERROR_NOT_SUPPORTED,
			    _("hubd has no %s: its plugin is not loaded (see “hubctl status”)"),
			    iface);
	}
	if (local != NULL)
		g_propagate_error(error, local);
	return reply;
}

static GVariant *
no_options(void)
{
	return g_variant_new("a{sv}", NULL);
}

/* Prints a runtime, as JSON or as "key: value" lines. */
static gint
print_runtime(GVariant *reply, gboolean json)
{
	g_autoptr(GVariant) runtime = g_variant_get_child_value(reply, 0);
	const gchar *s = NULL;
	gint64 sleep_time = -1;
	guint32 replicas = 0;
	guint32 requested = 0;
	gboolean dev = FALSE;

	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(runtime);

		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	g_variant_lookup(runtime, "stage", "&s", &s);
	g_print("%s: %s\n", _("stage"), s);
	if (g_variant_lookup(runtime, "error_message", "&s", &s))
		g_print("%s: %s\n", _("error"), s);
	g_variant_lookup(runtime, "hardware", "&s", &s);
	g_print("%s: %s\n", _("hardware"), s[0] != '\0' ? s : _("none"));
	g_variant_lookup(runtime, "requested_hardware", "&s", &s);
	g_print("%s: %s\n", _("requested hardware"), s[0] != '\0' ? s : _("none"));
	g_variant_lookup(runtime, "sleep_time", "x", &sleep_time);
	if (sleep_time < 0)
		g_print("%s: %s\n", _("sleep time"), _("never"));
	else
		g_print("%s: %" G_GINT64_FORMAT " s\n", _("sleep time"), sleep_time);
	g_variant_lookup(runtime, "replicas", "u", &replicas);
	g_variant_lookup(runtime, "requested_replicas", "u", &requested);
	g_print("%s: %u/%u\n", _("replicas"), replicas, requested);
	g_variant_lookup(runtime, "dev_mode", "b", &dev);
	g_print("%s: %s\n", _("dev mode"), dev ? _("on") : _("off"));
	if (g_variant_lookup(runtime, "domain", "&s", &s))
		g_print("%s: %s\n", _("domain"), s);
	return HUBCTL_EXIT_OK;
}

/* Parses `argv` for a command taking exactly one SPACE_ID; NULL on a usage
 * error (in *exit_code). */
static const gchar *
one_space(const gchar *command,
	  const gchar *summary,
	  const GOptionEntry *entries,
	  gint *argc,
	  gchar ***argv,
	  gint *exit_code)
{
	if (!hubctl_parse_options(command, _("SPACE_ID"), summary, entries, argc, argv, exit_code))
		return NULL;
	if (*argc != 2) {
		*exit_code = hubctl_usage_error(command, _("expected one SPACE_ID"));
		return NULL;
	}
	return (*argv)[1];
}

/* A runtime-returning call with one SPACE_ID; quiet unless --json (or
 * `always_print`). */
static gint
runtime_call(HubctlContext *ctx,
	     const gchar *method,
	     GVariant *params,
	     gboolean json,
	     gboolean always_print)
{
	g_autoptr(GDBusProxy) proxy = hubctl_spaces_proxy(ctx);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) owned = g_variant_ref_sink(params);

	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	reply = hubctl_spaces_call(proxy, method, owned, &error);
	if (reply == NULL)
		return hubctl_report_error(error);
	if (json || always_print)
		return print_runtime(reply, json);
	return HUBCTL_EXIT_OK;
}

static gint
spaces_info(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL},
		{NULL},
	};
	const gchar *space = one_space("spaces info",
				       _("Show a Space's runtime: stage, hardware, sleep time"),
				       entries,
				       &argc,
				       &argv,
				       &exit_code);

	if (space == NULL)
		return exit_code;
	return runtime_call(ctx,
			    "GetRuntime",
			    g_variant_new("(s@a{sv})", space, no_options()),
			    json,
			    TRUE);
}

static gint
spaces_hardware(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	g_autoptr(GDBusProxy) proxy = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) list = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubctlTable) table = hubctl_table_new(4);
	GVariantIter iter;
	GVariant *item;
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options("spaces hardware",
				  NULL,
				  _("List the hardware a Space can run on"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 1)
		return hubctl_usage_error("spaces hardware", _("no argument expected"));
	proxy = hubctl_spaces_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	reply = hubctl_spaces_call(proxy,
				   "ListHardware",
				   g_variant_new("(@a{sv})", no_options()),
				   &error);
	if (reply == NULL)
		return hubctl_report_error(error);
	list = g_variant_get_child_value(reply, 0);
	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(list);

		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	hubctl_table_set_headers(table, _("NAME"), _("PRETTY NAME"), _("ACCELERATOR"), _("COST"));
	g_variant_iter_init(&iter, list);
	while ((item = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) owned = item;
		const gchar *name = "";
		const gchar *pretty = "";
		const gchar *acc = NULL;
		const gchar *unit = "hour";
		gdouble cost = 0;
		g_autofree gchar *price = NULL;

		g_variant_lookup(item, "name", "&s", &name);
		g_variant_lookup(item, "pretty_name", "&s", &pretty);
		g_variant_lookup(item, "accelerator", "&s", &acc);
		g_variant_lookup(item, "unit_label", "&s", &unit);
		if (g_variant_lookup(item, "unit_cost_usd", "d", &cost))
			price = g_strdup_printf("$%.2f/%s", cost, unit);
		hubctl_table_add_row(table, name, pretty, acc, price);
	}
	hubctl_table_print(table);
	return HUBCTL_EXIT_OK;
}

static gint
spaces_settings(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	g_autofree gchar *hardware = NULL;
	g_autofree gchar *sleep = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	gint64 seconds = 0;
	const GOptionEntry entries[] = {
		{"hardware",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &hardware,
		 N_("Run on this hardware (see “hubctl spaces hardware”)"),
		 N_("FLAVOR")},
		{"sleep-time",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &sleep,
		 N_("Sleep after this many seconds without traffic; -1 for never"),
		 N_("SECONDS")},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the runtime as JSON"), NULL},
		{NULL},
	};
	const gchar *space = one_space("spaces settings",
				       _("Change a Space's hardware or sleep time"),
				       entries,
				       &argc,
				       &argv,
				       &exit_code);
	GVariantBuilder options;

	if (space == NULL)
		return exit_code;
	if (hardware == NULL && sleep == NULL)
		return hubctl_usage_error("spaces settings", _("give --hardware or --sleep-time"));
	if (sleep != NULL && !g_ascii_string_to_signed(sleep, 10, -1, G_MAXINT32, &seconds, NULL))
		return hubctl_usage_error("spaces settings",
					  _("--sleep-time takes a number of seconds, or -1"));
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (hardware == NULL)
		return runtime_call(ctx,
				    "SetSleepTime",
				    g_variant_new("(sx@a{sv})", space, seconds, no_options()),
				    json,
				    FALSE);
	if (sleep != NULL)
		g_variant_builder_add(&options, "{sv}", "sleep_time", g_variant_new_int64(seconds));
	return runtime_call(ctx,
			    "RequestHardware",
			    g_variant_new("(ssa{sv})", space, hardware, &options),
			    json,
			    FALSE);
}

static gint
spaces_pause(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the runtime as JSON"), NULL},
		{NULL},
	};
	const gchar *space = one_space("spaces pause",
				       _("Pause a Space until it is restarted"),
				       entries,
				       &argc,
				       &argv,
				       &exit_code);

	if (space == NULL)
		return exit_code;
	return runtime_call(ctx,
			    "Pause",
			    g_variant_new("(s@a{sv})", space, no_options()),
			    json,
			    FALSE);
}

static gint
spaces_restart(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gboolean factory = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"factory-reboot",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &factory,
		 N_("Rebuild without the build cache"),
		 NULL},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the runtime as JSON"), NULL},
		{NULL},
	};
	const gchar *space = one_space("spaces restart",
				       _("Restart (rebuild) a Space"),
				       entries,
				       &argc,
				       &argv,
				       &exit_code);
	GVariantBuilder options;

	if (space == NULL)
		return exit_code;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (factory)
		g_variant_builder_add(&options, "{sv}", "factory", g_variant_new_boolean(TRUE));
	return runtime_call(ctx,
			    "Restart",
			    g_variant_new("(sa{sv})", space, &options),
			    json,
			    FALSE);
}

static gint
spaces_dev_mode(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gboolean stop = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"stop", 0, 0, G_OPTION_ARG_NONE, &stop, N_("Turn dev mode off"), NULL},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the runtime as JSON"), NULL},
		{NULL},
	};
	const gchar *space = one_space("spaces dev-mode",
				       _("Turn a Space's dev mode on (or off with --stop)"),
				       entries,
				       &argc,
				       &argv,
				       &exit_code);

	if (space == NULL)
		return exit_code;
	return runtime_call(ctx,
			    "SetDevMode",
			    g_variant_new("(sb@a{sv})", space, !stop, no_options()),
			    json,
			    FALSE);
}

static const struct {
	const gchar *name;
	HubctlCommandFunc func;
	const gchar *summary;
} hubctl_spaces_subcommands[] = {
	{"info", spaces_info, N_("Show a Space's runtime")},
	{"hardware", spaces_hardware, N_("List the hardware Spaces run on")},
	{"settings", spaces_settings, N_("Change hardware or sleep time")},
	{"pause", spaces_pause, N_("Pause a Space")},
	{"restart", spaces_restart, N_("Restart a Space")},
	{"dev-mode", spaces_dev_mode, N_("Turn dev mode on or off")},
	{"logs", hubctl_spaces_logs, N_("Print (or follow) the build or run log")},
	{"wait", hubctl_spaces_wait, N_("Wait until a Space runs")},
	{"duplicate", hubctl_spaces_duplicate, N_("Copy a Space")},
	{"secrets", hubctl_spaces_secrets, N_("List, add or delete secrets")},
	{"variables", hubctl_spaces_variables, N_("List, add or delete variables")},
};

static gint
hubctl_spaces_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *message = NULL;

	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;

		fprintf(out, "%s\n\n", _("Usage: hubctl spaces COMMAND [OPTIONS] SPACE_ID"));
		for (guint i = 0; i < G_N_ELEMENTS(hubctl_spaces_subcommands); i++)
			fprintf(out,
				"  %-10s %s\n",
				hubctl_spaces_subcommands[i].name,
				_(hubctl_spaces_subcommands[i].summary));
		fprintf(out, "\n%s\n", _("Run 'hubctl spaces COMMAND --help' for its options."));
		return argc < 2 ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	for (guint i = 0; i < G_N_ELEMENTS(hubctl_spaces_subcommands); i++) {
		if (g_strcmp0(argv[1], hubctl_spaces_subcommands[i].name) == 0)
			return hubctl_spaces_subcommands[i].func(ctx, argc - 1, argv + 1);
	}
	message = g_strdup_printf(_("unknown command “%s” (see “hubctl spaces --help”)"), argv[1]);
	return hubctl_usage_error("spaces", message);
}

const HubctlCommand hubctl_spaces_command = {
	"spaces",
	N_("spaces info|logs|wait|settings|secrets|…"),
	N_("Run and manage Spaces: runtime, hardware, logs, secrets"),
	hubctl_spaces_run,
};
