/* hubctl-repo.c: `hubctl repo` (create, delete, move, settings; the dispatch of
 * info and list in hubctl-repo-info.c and of the ref sub-commands in
 * hubctl-repo-refs.c) and `hubctl url`, over org.hubd.Hub1.Repos. The --json
 * shapes are documented in hubctl-json.md. What they share is in
 * hubctl-repo-args.c. */
#include "hubctl-repo.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

/* "true"/"false" and the usual spellings, for --private BOOL */
static gboolean
hubctl_repo_parse_bool(const gchar *text, gboolean *out)
{
	const gchar *yes[] = {"true", "yes", "on", "1"};
	const gchar *no[] = {"false", "no", "off", "0"};

	for (guint i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (g_ascii_strcasecmp(text, yes[i]) == 0) {
			*out = TRUE;
			return TRUE;
		}
		if (g_ascii_strcasecmp(text, no[i]) == 0) {
			*out = FALSE;
			return TRUE;
		}
	}
	return FALSE;
}

/* ---- create, delete, move, settings ---- */

static gint
hubctl_repo_create(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean private = FALSE;
	gboolean exist_ok = FALSE;
	g_autofree gchar *sdk = NULL;
	g_autofree gchar *hardware = NULL;
	g_autofree gchar *type = NULL;
	g_autofree gchar *url = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {NULL, FALSE, NULL};
	GVariantBuilder options;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"private", 0, 0, G_OPTION_ARG_NONE, &private, N_("Make the repo private"), NULL},
		{"exist-ok",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &exist_ok,
		 N_("Do not fail if the repo exists already"),
		 NULL},
		{"space-sdk",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &sdk,
		 N_("The SDK of a Space: gradio, streamlit, docker or static"),
		 N_("SDK")},
		{"sdk", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &sdk, NULL, NULL},
		{"space-hardware",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &hardware,
		 N_("The hardware of a Space, e.g. cpu-basic"),
		 N_("HARDWARE")},
		{NULL},
	};

	if (!hubctl_repo_parse("repo create",
			       _("REPO_ID"),
			       _("Create a repository on the Hub and print its URL"),
			       entries,
			       &type,
			       &repo,
			       1,
			       1,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	if (sdk != NULL && g_strcmp0(type, "space") != 0)
		return hubctl_usage_error("repo create", _("--space-sdk is for --type space"));
	if (sdk == NULL && g_strcmp0(type, "space") == 0)
		return hubctl_usage_error("repo create",
					  _("a Space needs --space-sdk (gradio, streamlit, "
					    "docker or static)"));
	proxy = hubctl_repo_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (private)
		g_variant_builder_add(&options, "{sv}", "private", g_variant_new_boolean(TRUE));
	if (exist_ok)
		g_variant_builder_add(&options, "{sv}", "exist_ok", g_variant_new_boolean(TRUE));
	if (sdk != NULL)
		g_variant_builder_add(&options, "{sv}", "space_sdk", g_variant_new_string(sdk));
	if (hardware != NULL)
		g_variant_builder_add(&options,
				      "{sv}",
				      "space_hardware",
				      g_variant_new_string(hardware));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_REPOS,
			 "Create",
			 g_variant_new("(ss@a{sv})",
				       type,
				       repo.address->repo_id,
				       g_variant_builder_end(&options)),
			 HUBCTL_REPO_TIMEOUT_MS,
			 &error,
			 "(s)",
			 &url))
		return hubctl_report_error(error);
	g_print("%s\n", url);
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_repo_delete(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean missing_ok = FALSE;
	gboolean yes = FALSE;
	g_autofree gchar *type = NULL;
	g_autofree gchar *question = NULL;
	HubdClient *client;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {NULL, FALSE, NULL};
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"missing-ok",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &missing_ok,
		 N_("Do not fail if the repo does not exist"),
		 NULL},
		{"yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask for confirmation"), NULL},
		{NULL},
	};

	if (!hubctl_repo_parse("repo delete",
			       _("REPO_ID"),
			       _("Delete a repository and everything in it. On a terminal it asks "
				 "first, unless --yes is given."),
			       entries,
			       &type,
			       &repo,
			       1,
			       1,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	/* TRANSLATORS: repo type (model, dataset, space), then the repo id */
	question =
		g_strdup_printf(_("Delete the %s “%s” and all its files? This cannot be undone."),
				type,
				repo.address->repo_id);
	if (!hubctl_repo_confirm(yes, question))
		return HUBCTL_EXIT_FAILED;
	/* libhubd's public call: hubctl is one of its users */
	client = hubctl_context_get_client(ctx);
	if (client == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubd_client_delete_repo_sync(client,
					  type,
					  repo.address->repo_id,
					  missing_ok,
					  NULL,
					  &error))
		return hubctl_report_error(error);
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_repo_move(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *type = NULL;
	g_autofree gchar *url = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {NULL, FALSE, NULL};
	g_autoptr(HubctlAddress) to = NULL;
	g_autofree gchar *to_type = NULL;
	gint exit_code = HUBCTL_EXIT_OK;

	if (!hubctl_repo_parse("repo move",
			       _("FROM_ID TO_ID"),
			       _("Rename a repository or move it to another namespace, and print "
				 "its new URL"),
			       NULL,
			       &type,
			       &repo,
			       2,
			       2,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	/* TO may be an address too, of the same type (Move takes one) */
	to_type = g_strdup(type);
	to = hubctl_resolve_repo("repo move", argv[2], FALSE, &to_type, NULL, &exit_code);
	if (to == NULL)
		return exit_code;
	proxy = hubctl_repo_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_REPOS,
			 "Move",
			 g_variant_new("(sss@a{sv})",
				       type,
				       repo.address->repo_id,
				       to->repo_id,
				       g_variant_new("a{sv}", NULL)),
			 HUBCTL_REPO_TIMEOUT_MS,
			 &error,
			 "(s)",
			 &url))
		return hubctl_report_error(error);
	g_print("%s\n", url);
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_repo_settings(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *private_text = NULL;
	g_autofree gchar *gated = NULL;
	g_autofree gchar *discussions_text = NULL;
	g_autofree gchar *type = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	GVariantBuilder options;
	g_auto(HubctlRepoArg) repo = {NULL, FALSE, NULL};
	gboolean value = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"private",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &private_text,
		 N_("Make the repo private (true) or public (false)"),
		 N_("BOOL")},
		{"gated",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &gated,
		 N_("Gate access: auto (approve requests at once), manual or false"),
		 N_("auto|manual|false")},
		{"discussions-disabled",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &discussions_text,
		 N_("Turn discussions off (true) or on (false)"),
		 N_("BOOL")},
		{NULL},
	};

	if (!hubctl_repo_parse("repo settings",
			       _("REPO_ID"),
			       _("Change a repository's visibility, gating or discussions"),
			       entries,
			       &type,
			       &repo,
			       1,
			       1,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (private_text != NULL) {
		if (!hubctl_repo_parse_bool(private_text, &value)) {
			g_variant_builder_clear(&options);
			return hubctl_usage_error("repo settings",
						  _("--private takes true or false"));
		}
		g_variant_builder_add(&options, "{sv}", "private", g_variant_new_boolean(value));
	}
	if (gated != NULL) {
		if (g_strcmp0(gated, "auto") != 0 && g_strcmp0(gated, "manual") != 0 &&
		    g_strcmp0(gated, "false") != 0) {
			g_variant_builder_clear(&options);
			return hubctl_usage_error("repo settings",
						  _("--gated takes auto, manual or false"));
		}
		g_variant_builder_add(&options, "{sv}", "gated", g_variant_new_string(gated));
	}
	if (discussions_text != NULL) {
		if (!hubctl_repo_parse_bool(discussions_text, &value)) {
			g_variant_builder_clear(&options);
			return hubctl_usage_error("repo settings",
						  _("--discussions-disabled takes true or false"));
		}
		g_variant_builder_add(&options,
				      "{sv}",
				      "discussions_disabled",
				      g_variant_new_boolean(value));
	}
	if (private_text == NULL && gated == NULL && discussions_text == NULL) {
		g_variant_builder_clear(&options);
		return hubctl_usage_error("repo settings",
					  _("nothing to change: give --private, --gated or "
					    "--discussions-disabled"));
	}
	proxy = hubctl_repo_proxy(ctx);
	if (proxy == NULL) {
		g_variant_builder_clear(&options);
		return HUBCTL_EXIT_UNREACHABLE;
	}
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_REPOS,
			 "UpdateSettings",
			 g_variant_new("(ss@a{sv})",
				       type,
				       repo.address->repo_id,
				       g_variant_builder_end(&options)),
			 HUBCTL_REPO_TIMEOUT_MS,
			 &error,
			 "()"))
		return hubctl_report_error(error);
	return HUBCTL_EXIT_OK;
}

/* ---- dispatch ---- */

static const struct {
	const gchar *name;
	gint (*func)(HubctlContext *ctx, gint argc, gchar **argv);
	const gchar *summary;
} hubctl_repo_subcommands[] = {
	{"create", hubctl_repo_create, N_("Create a repository")},
	{"delete", hubctl_repo_delete, N_("Delete a repository")},
	{"move", hubctl_repo_move, N_("Rename or transfer a repository")},
	{"settings", hubctl_repo_settings, N_("Change visibility, gating or discussions")},
	{"info", hubctl_repo_info, N_("Show a repository's details")},
	{"list", hubctl_repo_list, N_("List repositories")},
	{"files", hubctl_repo_files, N_("List the files of a repository")},
	{"branch", hubctl_repo_branch, N_("Create, delete or list branches")},
	{"tag", hubctl_repo_tag, N_("Create, delete or list tags")},
	{"commits", hubctl_repo_commits, N_("Show the history of a branch")},
	{"access", hubctl_repo_access, N_("Access requests of a gated repo")},
};

static gint
hubctl_repo_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;
		fprintf(out, "%s\n\n", _("Usage: hubctl repo COMMAND [OPTIONS]"));
		for (guint i = 0; i < G_N_ELEMENTS(hubctl_repo_subcommands); i++)
			fprintf(out,
				"  %-9s %s\n",
				hubctl_repo_subcommands[i].name,
				_(hubctl_repo_subcommands[i].summary));
		fprintf(out, "\n%s\n", _("Run 'hubctl repo COMMAND --help' for its options."));
		return argc < 2 ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	/* `hf repo ls` is an alias of list */
	if (g_strcmp0(argv[1], "ls") == 0)
		return hubctl_repo_list(ctx, argc - 1, argv + 1);
	for (guint i = 0; i < G_N_ELEMENTS(hubctl_repo_subcommands); i++) {
		if (g_strcmp0(argv[1], hubctl_repo_subcommands[i].name) == 0)
			return hubctl_repo_subcommands[i].func(ctx, argc - 1, argv + 1);
	}
	{
		g_autofree gchar *message =
			g_strdup_printf(_("unknown command “%s” (create, delete, move, settings, "
					  "info, list, files, branch, tag, commits, access)"),
					argv[1]);
		return hubctl_usage_error("repo", message);
	}
}

const HubctlCommand hubctl_repo_command = {
	"repo",
	N_("repo create|info|list|files|tag|…"),
	N_("Create, inspect and manage repositories"),
	hubctl_repo_run,
};

/* ---- url ---- */

static gint
hubctl_url_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *revision = NULL;
	g_autofree gchar *type = NULL;
	g_autofree gchar *url = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {&revision, TRUE, NULL};
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"revision",
		 'r',
		 0,
		 G_OPTION_ARG_STRING,
		 &revision,
		 N_("A branch, tag or commit (default: main)"),
		 N_("REVISION")},
		{NULL},
	};

	if (!hubctl_repo_parse("url",
			       _("REPO_ID FILENAME"),
			       _("Print the download URL of a file in a repository (nothing is "
				 "sent to the Hub)"),
			       entries,
			       &type,
			       &repo,
			       2,
			       2,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	proxy = hubctl_repo_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_REPOS,
			 "HubUrl",
			 g_variant_new("(ssss@a{sv})",
				       type,
				       repo.address->repo_id,
				       revision != NULL ? revision : "",
				       hubctl_repo_arg_path(&repo, argc, argv, 2),
				       g_variant_new("a{sv}", NULL)),
			 HUBCTL_REPO_TIMEOUT_MS,
			 &error,
			 "(s)",
			 &url))
		return hubctl_report_error(error);
	g_print("%s\n", url);
	return HUBCTL_EXIT_OK;
}

const HubctlCommand hubctl_url_command = {
	"url",
	N_("url REPO_ID FILENAME"),
	N_("Print the download URL of a file"),
	hubctl_url_run,
};
