/* hubctl-endpoints.c: `hubctl endpoints` — Inference Endpoints as `hf
 * endpoints`, over org.hubd.Hub1.Endpoints (the endpoints plugin). Secret
 * values come from a file (--secrets-file), never the command line. */
#include "hubctl-endpoints.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "hubctl-repo.h"

GDBusProxy *
hubctl_endpoints_proxy(HubctlContext *ctx)
{
	return hubctl_plugin_proxy(ctx, HUBCTL_ENDPOINTS_IFACE);
}

GVariant *
hubctl_endpoints_common_options(Common *c, GVariantBuilder *b)
{
	if (c->namespace_ != NULL)
		g_variant_builder_add(b, "{sv}", "namespace", g_variant_new_string(c->namespace_));
	return g_variant_builder_end(b);
}

void
hubctl_endpoints_print_json(GVariant *value)
{
	g_autoptr(JsonNode) node = hubctl_variant_to_json(value);

	hubctl_print_json(node);
}

static void
print_endpoint(GVariant *ep)
{
	static const gchar *const keys[] = {"name",
					    "namespace",
					    "state",
					    "message",
					    "url",
					    "repository",
					    "revision",
					    "task",
					    "framework",
					    "accelerator",
					    "instance_type",
					    "instance_size",
					    "vendor",
					    "region",
					    "type",
					    "created_at",
					    "updated_at",
					    NULL};
	guint32 n = 0;

	for (guint i = 0; keys[i] != NULL; i++) {
		const gchar *s = NULL;

		if (g_variant_lookup(ep, keys[i], "&s", &s))
			g_print("%s: %s\n", keys[i], s);
	}
	if (g_variant_lookup(ep, "min_replica", "u", &n))
		g_print("min_replica: %u\n", n);
	if (g_variant_lookup(ep, "max_replica", "u", &n))
		g_print("max_replica: %u\n", n);
}

/* Calls `method` with (NAME, options) and prints the endpoint it answers
 * (JSON with --json; quiet otherwise unless `always`). */
static gint
name_call(HubctlContext *ctx,
	  Common *c,
	  const gchar *method,
	  const gchar *name,
	  GVariantBuilder *options,
	  gboolean always)
{
	g_autoptr(GDBusProxy) proxy = hubctl_endpoints_proxy(ctx);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) ep = NULL;
	g_autoptr(GError) error = NULL;

	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	reply = hubctl_spaces_call(
		proxy,
		method,
		g_variant_new("(s@a{sv})", name, hubctl_endpoints_common_options(c, options)),
		&error);
	if (reply == NULL)
		return hubctl_report_error(error);
	if (g_variant_n_children(reply) == 0)
		return HUBCTL_EXIT_OK;
	ep = g_variant_get_child_value(reply, 0);
	if (c->json)
		hubctl_endpoints_print_json(ep);
	else if (always)
		print_endpoint(ep);
	return HUBCTL_EXIT_OK;
}

/* Parses a subcommand taking one NAME. */
const gchar *
hubctl_endpoints_one_name(const gchar *command,
			  const gchar *summary,
			  const GOptionEntry *entries,
			  gint *argc,
			  gchar ***argv,
			  gint *exit_code)
{
	if (!hubctl_parse_options(command, _("NAME"), summary, entries, argc, argv, exit_code))
		return NULL;
	if (*argc != 2) {
		*exit_code = hubctl_usage_error(command, _("expected one endpoint NAME"));
		return NULL;
	}
	return (*argv)[1];
}

static gint
ep_list(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_auto(Common) c = {0};
	gint exit_code = HUBCTL_EXIT_OK;
	g_autoptr(GDBusProxy) proxy = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) list = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubctlTable) table = hubctl_table_new(5);
	GVariantIter iter;
	GVariant *item;
	const GOptionEntry entries[] = {COMMON_ENTRIES(c), {NULL}};

	if (!hubctl_parse_options("endpoints list",
				  NULL,
				  _("List Inference Endpoints"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 1)
		return hubctl_usage_error("endpoints list", _("no argument expected"));
	proxy = hubctl_endpoints_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	reply = hubctl_spaces_call(proxy,
				   "List",
				   g_variant_new("(s@a{sv})",
						 c.namespace_ != NULL ? c.namespace_ : "",
						 g_variant_new("a{sv}", NULL)),
				   &error);
	if (reply == NULL)
		return hubctl_report_error(error);
	list = g_variant_get_child_value(reply, 0);
	if (c.json) {
		hubctl_endpoints_print_json(list);
		return HUBCTL_EXIT_OK;
	}
	g_variant_iter_init(&iter, list);
	while ((item = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) owned = item;
		const gchar *v[5] = {NULL, NULL, NULL, NULL, NULL};

		g_variant_lookup(item, "name", "&s", &v[0]);
		g_variant_lookup(item, "state", "&s", &v[1]);
		g_variant_lookup(item, "repository", "&s", &v[2]);
		g_variant_lookup(item, "instance_type", "&s", &v[3]);
		g_variant_lookup(item, "url", "&s", &v[4]);
		hubctl_table_add_rowv(table, v);
	}
	hubctl_table_print(table);
	return HUBCTL_EXIT_OK;
}

static gint
ep_describe(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_auto(Common) c = {0};
	gint exit_code = HUBCTL_EXIT_OK;
	GVariantBuilder options;
	const GOptionEntry entries[] = {COMMON_ENTRIES(c), {NULL}};
	const gchar *name = hubctl_endpoints_one_name("endpoints describe",
						      _("Show an endpoint"),
						      entries,
						      &argc,
						      &argv,
						      &exit_code);

	if (name == NULL)
		return exit_code;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	return name_call(ctx, &c, "Get", name, &options, TRUE);
}

/* pause, resume, scale-to-zero */
static gint
ep_action(HubctlContext *ctx, gint argc, gchar **argv, const gchar *command, const gchar *method)
{
	g_auto(Common) c = {0};
	gboolean fail_if_running = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	GVariantBuilder options;
	const GOptionEntry resume_entries[] = {
		{"fail-if-already-running",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &fail_if_running,
		 N_("Fail if the endpoint runs already"),
		 NULL},
		COMMON_ENTRIES(c),
		{NULL},
	};
	const GOptionEntry entries[] = {COMMON_ENTRIES(c), {NULL}};
	gboolean resume = g_strcmp0(method, "Resume") == 0;
	const gchar *name =
		hubctl_endpoints_one_name(command,
					  _("Pause, resume or scale an endpoint to zero"),
					  resume ? resume_entries : entries,
					  &argc,
					  &argv,
					  &exit_code);

	if (name == NULL)
		return exit_code;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (fail_if_running)
		g_variant_builder_add(&options,
				      "{sv}",
				      "fail_if_running",
				      g_variant_new_boolean(TRUE));
	return name_call(ctx, &c, method, name, &options, FALSE);
}

static gint
ep_pause(HubctlContext *ctx, gint argc, gchar **argv)
{
	return ep_action(ctx, argc, argv, "endpoints pause", "Pause");
}

static gint
ep_resume(HubctlContext *ctx, gint argc, gchar **argv)
{
	return ep_action(ctx, argc, argv, "endpoints resume", "Resume");
}

static gint
ep_scale_to_zero(HubctlContext *ctx, gint argc, gchar **argv)
{
	return ep_action(ctx, argc, argv, "endpoints scale-to-zero", "ScaleToZero");
}

static gint
ep_delete(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_auto(Common) c = {0};
	gboolean yes = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	GVariantBuilder options;
	g_autofree gchar *question = NULL;
	const GOptionEntry entries[] = {
		{"yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask for confirmation"), NULL},
		COMMON_ENTRIES(c),
		{NULL},
	};
	const gchar *name = hubctl_endpoints_one_name("endpoints delete",
						      _("Delete an endpoint"),
						      entries,
						      &argc,
						      &argv,
						      &exit_code);

	if (name == NULL)
		return exit_code;
	question = g_strdup_printf(_("Delete the endpoint %s?"), name);
	if (!hubctl_repo_confirm(yes, question))
		return HUBCTL_EXIT_FAILED;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	return name_call(ctx, &c, "Delete", name, &options, FALSE);
}

static gint
ep_wait(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_auto(Common) c = {0};
	gint timeout = 0;
	gint exit_code = HUBCTL_EXIT_OK;
	g_autoptr(GDBusProxy) proxy = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	GVariantBuilder options;
	const gchar *job = NULL;
	const GOptionEntry entries[] = {
		{"timeout",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &timeout,
		 N_("Give up after this many seconds (default: wait for ever)"),
		 N_("SECONDS")},
		COMMON_ENTRIES(c),
		{NULL},
	};
	const gchar *name = hubctl_endpoints_one_name("endpoints wait",
						      _("Wait until an endpoint runs"),
						      entries,
						      &argc,
						      &argv,
						      &exit_code);

	if (name == NULL)
		return exit_code;
	if (timeout < 0)
		return hubctl_usage_error("endpoints wait",
					  _("--timeout takes a number of seconds"));
	proxy = hubctl_endpoints_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (timeout > 0)
		g_variant_builder_add(&options, "{sv}", "timeout", g_variant_new_uint32(timeout));
	reply = hubctl_spaces_call(
		proxy,
		"Wait",
		g_variant_new("(s@a{sv})", name, hubctl_endpoints_common_options(&c, &options)),
		&error);
	if (reply == NULL)
		return hubctl_report_error(error);
	g_variant_get(reply, "(&o)", &job);
	/* the job's phase is the endpoint's state: the live status line */
	exit_code = hubctl_job_wait(ctx, job, FALSE, &result);
	if (exit_code == HUBCTL_EXIT_OK && result != NULL) {
		const gchar *url = NULL;

		if (c.json)
			hubctl_endpoints_print_json(result);
		else if (g_variant_lookup(result, "url", "&s", &url))
			g_print("%s\n", url);
	}
	return exit_code;
}

static gint
ep_hardware(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_auto(Common) c = {0};
	g_autofree gchar *vendor = NULL, *region = NULL, *accelerator = NULL, *itype = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	g_autoptr(GDBusProxy) proxy = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubctlTable) table = hubctl_table_new(6);
	g_autoptr(GVariant) all = NULL;
	GVariantBuilder options;
	GVariantBuilder kept;
	GVariantIter iter;
	GVariant *item;
	const GOptionEntry entries[] = {
		{"vendor",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &vendor,
		 N_("Only this vendor"),
		 N_("VENDOR")},
		{"region",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &region,
		 N_("Only this region"),
		 N_("REGION")},
		{"accelerator",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &accelerator,
		 N_("Only cpu or gpu"),
		 N_("KIND")},
		{"instance-type",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &itype,
		 N_("Only this type"),
		 N_("TYPE")},
		COMMON_ENTRIES(c),
		{NULL},
	};
	const gchar *const filters[][2] = {{"vendor", NULL},
					   {"region", NULL},
					   {"accelerator", NULL},
					   {"instance_type", NULL}};
	const gchar *wanted[4];

	if (!hubctl_parse_options("endpoints hardware",
				  NULL,
				  _("List the computes endpoints can run on"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 1)
		return hubctl_usage_error("endpoints hardware", _("no argument expected"));
	wanted[0] = vendor;
	wanted[1] = region;
	wanted[2] = accelerator;
	wanted[3] = itype;
	proxy = hubctl_endpoints_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	reply = hubctl_spaces_call(
		proxy,
		"ListHardware",
		g_variant_new("(@a{sv})", hubctl_endpoints_common_options(&c, &options)),
		&error);
	if (reply == NULL)
		return hubctl_report_error(error);
	g_variant_builder_init(&kept, G_VARIANT_TYPE("aa{sv}"));
	hubctl_table_set_headers(table,
				 _("VENDOR"),
				 _("REGION"),
				 _("ACCELERATOR"),
				 _("TYPE"),
				 _("SIZE"),
				 _("PRICE/H"));
	all = g_variant_get_child_value(reply, 0);
	g_variant_iter_init(&iter, all);
	while ((item = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) owned = item;
		const gchar *v[6] = {NULL};
		g_autofree gchar *price = NULL;
		gdouble p = 0;
		gboolean keep = TRUE;

		for (guint i = 0; i < 4; i++) {
			const gchar *s = NULL;

			g_variant_lookup(item, filters[i][0], "&s", &s);
			if (wanted[i] != NULL && g_strcmp0(wanted[i], s) != 0)
				keep = FALSE;
		}
		if (!keep)
			continue;
		g_variant_builder_add_value(&kept, item);
		g_variant_lookup(item, "vendor", "&s", &v[0]);
		g_variant_lookup(item, "region", "&s", &v[1]);
		g_variant_lookup(item, "accelerator", "&s", &v[2]);
		g_variant_lookup(item, "instance_type", "&s", &v[3]);
		g_variant_lookup(item, "instance_size", "&s", &v[4]);
		if (g_variant_lookup(item, "price_per_hour", "d", &p))
			price = g_strdup_printf("$%.3f", p);
		v[5] = price;
		hubctl_table_add_rowv(table, v);
	}
	if (c.json) {
		g_autoptr(GVariant) list = g_variant_ref_sink(g_variant_builder_end(&kept));

		hubctl_endpoints_print_json(list);
		return HUBCTL_EXIT_OK;
	}
	g_variant_builder_clear(&kept);
	hubctl_table_print(table);
	return HUBCTL_EXIT_OK;
}

static const struct {
	const gchar *name;
	HubctlCommandFunc func;
	const gchar *summary;
} subcommands[] = {
	{"list", ep_list, N_("List endpoints")},
	{"describe", ep_describe, N_("Show an endpoint")},
	{"deploy", hubctl_endpoints_deploy, N_("Deploy a model as an endpoint")},
	{"update", hubctl_endpoints_update, N_("Change an endpoint")},
	{"pause", ep_pause, N_("Pause an endpoint")},
	{"resume", ep_resume, N_("Resume an endpoint")},
	{"scale-to-zero", ep_scale_to_zero, N_("Scale an endpoint to zero")},
	{"delete", ep_delete, N_("Delete an endpoint")},
	{"wait", ep_wait, N_("Wait until an endpoint runs")},
	{"hardware", ep_hardware, N_("List the computes endpoints run on")},
};

static gint
hubctl_endpoints_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *message = NULL;

	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;

		fprintf(out, "%s\n\n", _("Usage: hubctl endpoints COMMAND [OPTIONS]"));
		for (guint i = 0; i < G_N_ELEMENTS(subcommands); i++)
			fprintf(out,
				"  %-14s %s\n",
				subcommands[i].name,
				_(subcommands[i].summary));
		fprintf(out, "\n%s\n", _("Run 'hubctl endpoints COMMAND --help' for its options."));
		return argc < 2 ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	if (g_strcmp0(argv[1], "ls") == 0)
		return ep_list(ctx, argc - 1, argv + 1);
	for (guint i = 0; i < G_N_ELEMENTS(subcommands); i++) {
		if (g_strcmp0(argv[1], subcommands[i].name) == 0)
			return subcommands[i].func(ctx, argc - 1, argv + 1);
	}
	message =
		g_strdup_printf(_("unknown command “%s” (see “hubctl endpoints --help”)"), argv[1]);
	return hubctl_usage_error("endpoints", message);
}

const HubctlCommand hubctl_endpoints_command = {
	"endpoints",
	N_("endpoints list|deploy|wait|pause|…"),
	N_("Deploy and manage Inference Endpoints"),
	hubctl_endpoints_run,
};
