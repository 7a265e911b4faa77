/* hubctl-storage-publish.c: `hubctl storage publish NAME/KEY_OR_PREFIX REPO_ID [PATH_IN_REPO]` —
 * objects of a storage backend uploaded to a repo in one commit, streamed by hubd
 * (org.hubd.Hub1.Storage.Publish); flags and output as `hubctl upload`'s */
#include <glib/gi18n.h>
#include <string.h>

#include "hubctl.h"

gint
hubctl_storage_publish(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *type = NULL;
	g_autofree gchar *revision = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *description = NULL;
	gboolean create_pr = FALSE;
	gboolean no_policy = FALSE;
	gboolean private_repo = FALSE;
	gboolean quiet = FALSE;
	gboolean json = FALSE;
	const GOptionEntry entries[] = {
		{"type",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &type,
		 N_("The repo type: model (default), dataset or space"),
		 N_("TYPE")},
		{"revision",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &revision,
		 N_("The branch to commit to (default: main)"),
		 N_("REVISION")},
		{"commit-message",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &message,
		 N_("The commit's summary"),
		 N_("MESSAGE")},
		{"commit-description",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &description,
		 N_("The commit's description"),
		 N_("TEXT")},
		{"create-pr",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &create_pr,
		 N_("Open a pull request instead of committing to the branch"),
		 NULL},
		{"private",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &private_repo,
		 N_("Make the repo private if it has to be created"),
		 NULL},
		{"no-policy",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &no_policy,
		 N_("Skip the publishing policy (secrets, card, licence); noted in the commit"),
		 NULL},
		{"quiet",
		 'q',
		 0,
		 G_OPTION_ARG_NONE,
		 &quiet,
		 N_("No progress bar and no warnings"),
		 NULL},
		{"json",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &json,
		 N_("Print the result as JSON (commit_oid, commit_url, pr_url)"),
		 NULL},
		{NULL},
	};
	g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *backend = NULL;
	GDBusConnection *connection;
	const gchar *slash;
	const gchar *job_path = NULL;
	gint exit_code = HUBCTL_EXIT_OK;

	if (!hubctl_parse_options("storage publish",
				  "NAME/KEY_OR_PREFIX REPO_ID [PATH_IN_REPO]",
				  _("Upload an object, or the objects under a prefix, of a storage "
				    "backend to a repo in one commit"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc < 3 || argc > 4)
		return hubctl_usage_error(
			"storage publish",
			_("publish takes NAME/KEY_OR_PREFIX, REPO_ID and maybe PATH_IN_REPO"));
	slash = strchr(argv[1], '/');
	if (slash == NULL || slash == argv[1] || slash[1] == '\0')
		return hubctl_usage_error("storage publish",
					  _("NAME/KEY_OR_PREFIX names a backend and a key in it"));
	if (type != NULL && !hubctl_check_repo_type("storage publish", type, &exit_code))
		return exit_code;
	backend = g_strndup(argv[1], (gsize)(slash - argv[1]));
	if (revision != NULL)
		g_variant_builder_add(&options, "{sv}", "revision", g_variant_new_string(revision));
	if (message != NULL)
		g_variant_builder_add(&options,
				      "{sv}",
				      "commit_message",
				      g_variant_new_string(message));
	if (description != NULL)
		g_variant_builder_add(&options,
				      "{sv}",
				      "commit_description",
				      g_variant_new_string(description));
	if (create_pr)
		g_variant_builder_add(&options, "{sv}", "create_pr", g_variant_new_boolean(TRUE));
	if (private_repo)
		g_variant_builder_add(&options, "{sv}", "private", g_variant_new_boolean(TRUE));
	if (no_policy)
		g_variant_builder_add(&options, "{sv}", "no_policy", g_variant_new_boolean(TRUE));
	connection = hubctl_context_get_connection(ctx);
	if (connection == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	reply = g_dbus_connection_call_sync(connection,
					    hubctl_context_get_bus_name(ctx),
					    HUBCTL_OBJECT_PATH,
					    HUBD_INTERFACE_STORAGE,
					    "Publish",
					    g_variant_new("(sssss@a{sv})",
							  type != NULL ? type : "model",
							  argv[2],
							  argc == 4 ? argv[3] : "",
							  backend,
							  slash + 1,
							  g_variant_builder_end(&options)),
					    G_VARIANT_TYPE("(o)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);
	if (reply == NULL)
		return hubctl_report_error(error);
	g_variant_get(reply, "(&o)", &job_path);
	return hubctl_commit_job_finish(ctx, job_path, quiet, json);
}
