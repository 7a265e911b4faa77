/* hubctl-mirror.c: `hubctl mirror REPO_ID --to NAME[/PREFIX]` — a revision copied into a
 * storage backend in the mirror layout (org.hubd.Hub1.Storage.Mirror, docs/storage.md) */
#include <glib/gi18n.h>
#include <string.h>

#include "hubctl.h"

static gint
hubctl_mirror_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *to = NULL;
	g_autofree gchar *revision = NULL;
	g_autofree gchar *type = NULL;
	gboolean json = FALSE;
	const GOptionEntry entries[] = {
		{"to",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &to,
		 N_("The storage backend, and a key prefix in it"),
		 "NAME[/PREFIX]"},
		{"revision",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &revision,
		 N_("Branch, tag or commit (default: main)"),
		 "R"},
		{"type",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &type,
		 N_("Repo type: model, dataset or space (default: model)"),
		 "T"},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON instead of text"), NULL},
		{NULL},
	};
	g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *backend = NULL;
	GDBusConnection *connection;
	const gchar *slash;
	const gchar *job_path = NULL;
	gint exit_code = HUBCTL_EXIT_OK;

	if (!hubctl_parse_options("mirror",
				  "REPO_ID",
				  _("Copy a revision of a repo into a storage backend (the mirror "
				    "layout downloads read through)"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error("mirror", _("mirror takes one REPO_ID"));
	if (to == NULL || to[0] == '\0' || to[0] == '/')
		return hubctl_usage_error("mirror", _("--to NAME[/PREFIX] says where to"));
	if (type != NULL && !hubctl_check_repo_type("mirror", type, &exit_code))
		return exit_code;
	slash = strchr(to, '/');
	backend = slash != NULL ? g_strndup(to, (gsize)(slash - to)) : g_strdup(to);
	if (slash != NULL && slash[1] != '\0')
		g_variant_builder_add(&options, "{sv}", "prefix", g_variant_new_string(slash + 1));
	connection = hubctl_context_get_connection(ctx);
	if (connection == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	reply = g_dbus_connection_call_sync(connection,
					    hubctl_context_get_bus_name(ctx),
					    HUBCTL_OBJECT_PATH,
					    HUBD_INTERFACE_STORAGE,
					    "Mirror",
					    g_variant_new("(ssss@a{sv})",
							  type != NULL ? type : "model",
							  argv[1],
							  revision != NULL ? revision : "",
							  backend,
							  g_variant_builder_end(&options)),
					    G_VARIANT_TYPE("(o)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);
	if (reply == NULL)
		return hubctl_report_error(error);
	g_variant_get(reply, "(&o)", &job_path);
	exit_code = hubctl_job_wait(ctx, job_path, json, &result);
	if (exit_code != HUBCTL_EXIT_OK)
		return exit_code;
	if (json && result != NULL) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(result);
		hubctl_print_json(node);
	} else if (result != NULL && hubctl_stdout_is_tty()) {
		const gchar *commit = "";
		guint32 uploaded = 0, skipped = 0;
		g_variant_lookup(result, "commit", "&s", &commit);
		g_variant_lookup(result, "uploaded", "u", &uploaded);
		g_variant_lookup(result, "skipped", "u", &skipped);
		g_print(_("%s@%s: %u files put, %u already there\n"),
			argv[1],
			commit,
			uploaded,
			skipped);
	}
	return HUBCTL_EXIT_OK;
}

const HubctlCommand hubctl_mirror_command = {
	"mirror",
	N_("mirror REPO_ID --to NAME[/PREFIX]"),
	N_("Copy a revision of a repo into a storage backend"),
	hubctl_mirror_run,
};
