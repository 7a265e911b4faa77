/* hubctl-endpoints.c: `hubctl endpoints` — Inference Endpoints as `hf
 * endpoints`, over org.hubd.Hub1.Endpoints (the endpoints plugin). Secret
 * values come from a file (--secrets-file), never the command line. */
#include <glib/gi18n.h>
#include <stdio.h>

#include "hubctl-repo.h"
#include "hubctl-spaces.h"

#define HUBCTL_ENDPOINTS_IFACE "org.hubd.Hub1.Endpoints"

/* Options every subcommand takes. */
typedef struct {
	gchar *namespace_;
	gboolean json;
} Common;

static void
common_clear(Common *c)
{
	g_free(c->namespace_);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Common, common_clear)

static GDBusProxy *
endpoints_proxy(HubctlContext *ctx)
{
	return hubctl_context_new_proxy(ctx,
					G_TYPE_DBUS_PROXY,
					HUBCTL_ENDPOINTS_IFACE,
					G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
					120000);
}

static GVariant *
common_options(Common *c, GVariantBuilder *b)
{
	if (c->namespace_ != NULL)
		g_variant_builder_add(b, "{sv}", "namespace", g_variant_new_string(c->namespace_));
	return g_variant_builder_end(b);
}

static void
print_json(GVariant *value)
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
	g_autoptr(GDBusProxy) proxy = endpoints_proxy(ctx);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) ep = NULL;
	g_autoptr(GError) error = NULL;

	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	reply = hubctl_spaces_call(proxy,
				   method,
				   g_variant_new("(s@a{sv})", name, common_options(c, options)),
				   &error);
	if (reply == NULL)
		return hubctl_report_error(error);
	if (g_variant_n_children(reply) == 0)
		return HUBCTL_EXIT_OK;
	ep = g_variant_get_child_value(reply, 0);
	if (c->json)
		print_json(ep);
	else if (always)
		print_endpoint(ep);
	return HUBCTL_EXIT_OK;
}

#define COMMON_ENTRIES(c)                                                          \
	{"namespace",                                                              \
	 0,                                                                        \
	 0,                                                                        \
	 G_OPTION_ARG_STRING,                                                      \
	 &(c).namespace_,                                                          \
	 N_("The user or organisation (default: yours)"),                          \
	 N_("NAMESPACE")},                                                         \
	{                                                                          \
		"json", 0, 0, G_OPTION_ARG_NONE, &(c).json, N_("Print JSON"), NULL \
	}

/* Parses a subcommand taking one NAME. */
static const gchar *
one_name(const gchar *command,
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
	proxy = endpoints_proxy(ctx);
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
		print_json(list);
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
	const gchar *name = one_name("endpoints describe",
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

/* deploy and update: `hf endpoints deploy`'s flags into a spec a{sv} */
static gint
ep_spec(HubctlContext *ctx, gint argc, gchar **argv, gboolean deploy)
{
	const gchar *command = deploy ? "endpoints deploy" : "endpoints update";
	g_auto(Common) c = {0};
	g_autofree gchar *repo = NULL, *framework = NULL, *accelerator = NULL, *size = NULL;
	g_autofree gchar *itype = NULL, *region = NULL, *vendor = NULL, *task = NULL;
	g_autofree gchar *revision = NULL, *type = NULL, *env_file = NULL, *secrets_file = NULL;
	g_auto(GStrv) env = NULL;
	g_auto(GStrv) secrets_argv = NULL;
	gint min_replica = -1, max_replica = -1, stz = -1;
	gint exit_code = HUBCTL_EXIT_OK;
	g_autoptr(GHashTable) envs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) secrets =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusProxy) proxy = NULL;
	g_autoptr(GVariant) reply = NULL;
	GVariantBuilder spec;
	GVariantBuilder options;
	static const gchar *const spec_keys[] = {"repository",
						 "framework",
						 "accelerator",
						 "instance_size",
						 "instance_type",
						 "region",
						 "vendor",
						 "task",
						 "revision",
						 "type"};
	const GOptionEntry entries[] = {
		{"repo",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &repo,
		 N_("The model repo to serve"),
		 N_("REPO_ID")},
		{"framework",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &framework,
		 N_("e.g. pytorch"),
		 N_("NAME")},
		{"accelerator",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &accelerator,
		 N_("cpu or gpu"),
		 N_("KIND")},
		{"instance-size", 0, 0, G_OPTION_ARG_STRING, &size, N_("e.g. x1"), N_("SIZE")},
		{"instance-type",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &itype,
		 N_("e.g. nvidia-l4"),
		 N_("TYPE")},
		{"region", 0, 0, G_OPTION_ARG_STRING, &region, N_("e.g. us-east-1"), N_("REGION")},
		{"vendor", 0, 0, G_OPTION_ARG_STRING, &vendor, N_("e.g. aws"), N_("VENDOR")},
		{"task", 0, 0, G_OPTION_ARG_STRING, &task, N_("e.g. text-generation"), N_("TASK")},
		{"revision",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &revision,
		 N_("The model's revision"),
		 N_("REVISION")},
		{"type",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &type,
		 N_("public, protected, authenticated or private"),
		 N_("TYPE")},
		{"min-replica",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &min_replica,
		 N_("Fewest replicas"),
		 N_("N")},
		{"max-replica", 0, 0, G_OPTION_ARG_INT, &max_replica, N_("Most replicas"), N_("N")},
		{"scale-to-zero-timeout",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &stz,
		 N_("Minutes without requests before scaling to zero"),
		 N_("MINUTES")},
		{"env",
		 'e',
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &env,
		 N_("An environment variable"),
		 N_("KEY=VALUE")},
		{"env-file",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &env_file,
		 N_("Environment variables"),
		 N_("FILE")},
		{"secrets",
		 's',
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &secrets_argv,
		 N_("Refused: put secrets in --secrets-file"),
		 N_("KEY")},
		{"secrets-file",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &secrets_file,
		 N_("Secrets, KEY=VALUE lines"),
		 N_("FILE")},
		COMMON_ENTRIES(c),
		{NULL},
	};
	gchar **values[] = {&repo,
			    &framework,
			    &accelerator,
			    &size,
			    &itype,
			    &region,
			    &vendor,
			    &task,
			    &revision,
			    &type};
	const gchar *name = one_name(command,
				     deploy ? _("Deploy a model as a new Inference Endpoint")
					    : _("Change an endpoint: only the flags given"),
				     entries,
				     &argc,
				     &argv,
				     &exit_code);

	if (name == NULL)
		return exit_code;
	/* argv is visible to every user of the machine */
	if (secrets_argv != NULL)
		return hubctl_usage_error(
			command,
			_("secret values are never taken from the command line: "
			  "put KEY=VALUE lines in a file and pass --secrets-file"));
	if (deploy) {
		static const gchar *const flags[] = {"--repo",
						     "--framework",
						     "--accelerator",
						     "--instance-size",
						     "--instance-type",
						     "--region",
						     "--vendor"};

		for (guint i = 0; i < G_N_ELEMENTS(flags); i++) {
			if (*values[i] == NULL) {
				g_autofree gchar *m =
					g_strdup_printf(_("%s is required"), flags[i]);

				return hubctl_usage_error(command, m);
			}
		}
	}
	if ((env_file != NULL && !hubctl_spaces_read_env_file(env_file, envs, &error)) ||
	    (secrets_file != NULL && !hubctl_spaces_read_env_file(secrets_file, secrets, &error))) {
		g_printerr("hubctl: %s\n", error->message);
		return HUBCTL_EXIT_FAILED;
	}
	if (!hubctl_spaces_add_pairs((const gchar *const *)env, envs, command, &exit_code))
		return exit_code;
	g_variant_builder_init(&spec, G_VARIANT_TYPE_VARDICT);
	for (guint i = 0; i < G_N_ELEMENTS(spec_keys); i++) {
		if (*values[i] != NULL)
			g_variant_builder_add(&spec,
					      "{sv}",
					      spec_keys[i],
					      g_variant_new_string(*values[i]));
	}
	if (min_replica >= 0)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "min_replica",
				      g_variant_new_uint32(min_replica));
	if (max_replica >= 0)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "max_replica",
				      g_variant_new_uint32(max_replica));
	if (stz >= 0)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "scale_to_zero_timeout",
				      g_variant_new_uint32(stz));
	for (guint k = 0; k < 2; k++) {
		GHashTable *t = k == 0 ? envs : secrets;
		GVariantBuilder m;
		GHashTableIter it;
		gpointer key, value;

		if (g_hash_table_size(t) == 0)
			continue;
		g_variant_builder_init(&m, G_VARIANT_TYPE("a{ss}"));
		g_hash_table_iter_init(&it, t);
		while (g_hash_table_iter_next(&it, &key, &value))
			g_variant_builder_add(&m, "{ss}", key, value);
		g_variant_builder_add(&spec,
				      "{sv}",
				      k == 0 ? "env" : "secrets",
				      g_variant_builder_end(&m));
	}
	proxy = endpoints_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	reply = hubctl_spaces_call(
		proxy,
		deploy ? "Create" : "Update",
		g_variant_new("(sa{sv}@a{sv})", name, &spec, common_options(&c, &options)),
		&error);
	if (reply == NULL)
		return hubctl_report_error(error);
	if (c.json) {
		g_autoptr(GVariant) ep = g_variant_get_child_value(reply, 0);

		print_json(ep);
	}
	return HUBCTL_EXIT_OK;
}

static gint
ep_deploy(HubctlContext *ctx, gint argc, gchar **argv)
{
	return ep_spec(ctx, argc, argv, TRUE);
}

static gint
ep_update(HubctlContext *ctx, gint argc, gchar **argv)
{
	return ep_spec(ctx, argc, argv, FALSE);
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
	const gchar *name = one_name(command,
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
	const gchar *name = one_name("endpoints delete",
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
	const gchar *name = one_name("endpoints wait",
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
	proxy = endpoints_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (timeout > 0)
		g_variant_builder_add(&options, "{sv}", "timeout", g_variant_new_uint32(timeout));
	reply = hubctl_spaces_call(proxy,
				   "Wait",
				   g_variant_new("(s@a{sv})", name, common_options(&c, &options)),
				   &error);
	if (reply == NULL)
		return hubctl_report_error(error);
	g_variant_get(reply, "(&o)", &job);
	/* the job's phase is the endpoint's state: the live status line */
	exit_code = hubctl_job_wait(ctx, job, FALSE, &result);
	if (exit_code == HUBCTL_EXIT_OK && result != NULL) {
		const gchar *url = NULL;

		if (c.json)
			print_json(result);
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
	proxy = endpoints_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	reply = hubctl_spaces_call(proxy,
				   "ListHardware",
				   g_variant_new("(@a{sv})", common_options(&c, &options)),
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

		print_json(list);
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
	{"deploy", ep_deploy, N_("Deploy a model as an endpoint")},
	{"update", ep_update, N_("Change an endpoint")},
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
