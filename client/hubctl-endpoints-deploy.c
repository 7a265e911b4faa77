/* hubctl-endpoints-deploy.c: `hubctl endpoints deploy|update` — `hf endpoints
 * deploy`'s flags into the spec of Endpoints.Create / Update. A secret's value
 * comes from --secrets-file only: argv is visible to every user. */
#include <glib/gi18n.h>

#include "hubctl-endpoints.h"

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
	const gchar *name =
		hubctl_endpoints_one_name(command,
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
	proxy = hubctl_endpoints_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	reply = hubctl_spaces_call(proxy,
				   deploy ? "Create" : "Update",
				   g_variant_new("(sa{sv}@a{sv})",
						 name,
						 &spec,
						 hubctl_endpoints_common_options(&c, &options)),
				   &error);
	if (reply == NULL)
		return hubctl_report_error(error);
	if (c.json) {
		g_autoptr(GVariant) ep = g_variant_get_child_value(reply, 0);

		hubctl_endpoints_print_json(ep);
	}
	return HUBCTL_EXIT_OK;
}

gint
hubctl_endpoints_deploy(HubctlContext *ctx, gint argc, gchar **argv)
{
	return ep_spec(ctx, argc, argv, TRUE);
}

gint
hubctl_endpoints_update(HubctlContext *ctx, gint argc, gchar **argv)
{
	return ep_spec(ctx, argc, argv, FALSE);
}
