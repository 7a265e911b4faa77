/* hubctl-card.c: `hubctl card show|validate|create|set` — model and dataset
 * cards through org.hubd.Hub1.Cards */
#include "hubctl-card.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

HubdClient *
hubctl_card_proxy(HubctlContext *ctx)
{
	return hubctl_context_get_client(ctx);
}

/* a commit's result: the pull request's URL, else the commit's (for scripts) */
void
hubctl_card_print_result(GVariant *result)
{
	const gchar *pr = hubctl_repo_lookup(result, "pr_url");

	g_print("%s\n", pr[0] != '\0' ? pr : hubctl_repo_lookup(result, "commit_url"));
}

/* ---- show ---- */

static gint
hubctl_card_show(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *revision = NULL;
	g_autofree gchar *type = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(GVariant) metadata = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) meta_node = NULL;
	g_auto(HubctlRepoArg) repo = {&revision, FALSE, NULL};
	gboolean want_metadata = FALSE;
	gboolean want_text = FALSE;
	gboolean as_json = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"revision",
		 'r',
		 0,
		 G_OPTION_ARG_STRING,
		 &revision,
		 N_("A branch, tag or commit (default: main)"),
		 N_("REVISION")},
		{"metadata",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &want_metadata,
		 N_("Only the metadata"),
		 NULL},
		{"text",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &want_text,
		 N_("Only the text (README.md)"),
		 NULL},
		{"json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL},
		{NULL},
	};

	if (!hubctl_repo_parse("card show",
			       _("REPO_ID"),
			       _("Show a repository's card: its README.md and metadata"),
			       entries,
			       &type,
			       &repo,
			       1,
			       1,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	if (want_metadata && want_text)
		return hubctl_usage_error("card show",
					  _("--metadata and --text do not go together"));
	proxy = hubctl_card_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_CARDS,
			 "GetCard",
			 g_variant_new("(sss@a{sv})",
				       type,
				       repo.address->repo_id,
				       revision != NULL ? revision : "",
				       g_variant_new("a{sv}", NULL)),
			 HUBCTL_CARD_TIMEOUT_MS,
			 &error,
			 "(@a{sv}ss)",
			 &metadata,
			 &json,
			 &text))
		return hubctl_report_error(error);
	meta_node = json_from_string(json, NULL);
	if (meta_node == NULL)
		meta_node = json_node_init_object(json_node_alloc(), json_object_new());
	if (as_json) {
		g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
		JsonObject *o = json_object_new();

		json_node_take_object(root, o);
		if (!want_text)
			json_object_set_member(o, "metadata", json_node_copy(meta_node));
		if (!want_metadata)
			json_object_set_string_member(o, "text", text);
		hubctl_print_json(root);
		return HUBCTL_EXIT_OK;
	}
	if (want_metadata) {
		hubctl_print_json(meta_node);
		return HUBCTL_EXIT_OK;
	}
	g_print("%s", text);
	if (text[0] != '\0' && !g_str_has_suffix(text, "\n"))
		g_print("\n");
	return HUBCTL_EXIT_OK;
}

/* ---- validate ---- */

static gint
hubctl_card_print_problems(GVariant *problems, const gchar *where, gboolean as_json)
{
	GVariantIter iter;
	guint line;
	const gchar *level;
	const gchar *rule;
	const gchar *key;
	const gchar *message;
	gboolean failed = FALSE;
	g_autoptr(JsonArray) array = json_array_new();

	g_variant_iter_init(&iter, problems);
	while (g_variant_iter_next(&iter, "(u&s&s&s&s)", &line, &level, &rule, &key, &message)) {
		failed |= g_strcmp0(level, "error") == 0;
		if (as_json) {
			JsonObject *o = json_object_new();

			json_object_set_int_member(o, "line", line);
			json_object_set_string_member(o, "level", level);
			json_object_set_string_member(o, "rule", rule);
			json_object_set_string_member(o, "key", key);
			json_object_set_string_member(o, "message", message);
			json_array_add_object_element(array, o);
			continue;
		}
		/* as compilers write them, so editors can jump to the line */
		g_print("%s:%u: %s: %s [%s]\n", where, line, level, message, rule);
	}
	if (as_json) {
		g_autoptr(JsonNode) root = json_node_new(JSON_NODE_ARRAY);

		json_node_set_array(root, array);
		hubctl_print_json(root);
	}
	return failed ? HUBCTL_EXIT_FAILED : HUBCTL_EXIT_OK;
}

static gint
hubctl_card_validate(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *revision = NULL;
	g_autofree gchar *type = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *where = NULL;
	g_autoptr(GVariant) problems = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {&revision, FALSE, NULL};
	GVariantBuilder options;
	gboolean remote = FALSE;
	gboolean as_json = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"revision",
		 'r',
		 0,
		 G_OPTION_ARG_STRING,
		 &revision,
		 N_("With a REPO_ID: a branch, tag or commit (default: main)"),
		 N_("REVISION")},
		{"remote",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &remote,
		 N_("Also ask the Hub (its validate-yaml)"),
		 NULL},
		{"json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL},
		{NULL},
	};
	const gchar *arg;

	/* a local file is read as it is; anything else names a repo */
	arg = argc > 1 ? argv[argc - 1] : NULL;
	if (arg != NULL && g_file_test(arg, G_FILE_TEST_IS_REGULAR)) {
		gsize len = 0;

		if (!hubctl_repo_parse("card validate",
				       _("PATH|REPO_ID"),
				       _("Check a card: its metadata and the template's sections"),
				       entries,
				       &type,
				       NULL,
				       1,
				       1,
				       &argc,
				       &argv,
				       &exit_code))
			return exit_code;
		if (!g_file_get_contents(argv[1], &text, &len, &error))
			return hubctl_report_error(error);
		if (!g_utf8_validate_len(text, len, NULL))
			return hubctl_usage_error("card validate", _("the file is not UTF-8 text"));
		where = g_strdup(argv[1]);
	} else {
		g_autofree gchar *json = NULL;
		g_autoptr(GVariant) metadata = NULL;

		if (!hubctl_repo_parse("card validate",
				       _("PATH|REPO_ID"),
				       _("Check a card: its metadata and the template's sections"),
				       entries,
				       &type,
				       &repo,
				       1,
				       1,
				       &argc,
				       &argv,
				       &exit_code))
			return exit_code;
		proxy = hubctl_card_proxy(ctx);
		if (proxy == NULL)
			return HUBCTL_EXIT_UNREACHABLE;
		if (!hubctl_call(proxy,
				 HUBD_INTERFACE_CARDS,
				 "GetCard",
				 g_variant_new("(sss@a{sv})",
					       type,
					       repo.address->repo_id,
					       revision != NULL ? revision : "",
					       g_variant_new_parsed("{'allow_invalid': <true>}")),
				 HUBCTL_CARD_TIMEOUT_MS,
				 &error,
				 "(@a{sv}ss)",
				 &metadata,
				 &json,
				 &text))
			return hubctl_report_error(error);
		where = g_strdup_printf("%s/README.md", repo.address->repo_id);
	}
	if (proxy == NULL)
		proxy = hubctl_card_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (remote)
		g_variant_builder_add(&options, "{sv}", "remote", g_variant_new_boolean(TRUE));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_CARDS,
			 "ValidateCard",
			 g_variant_new("(ss@a{sv})", type, text, g_variant_builder_end(&options)),
			 HUBCTL_CARD_TIMEOUT_MS,
			 &error,
			 "(@a(ussss))",
			 &problems))
		return hubctl_report_error(error);
	return hubctl_card_print_problems(problems, where, as_json);
}

/* ---- set ---- */

static gint
hubctl_card_set(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *revision = NULL;
	g_autofree gchar *type = NULL;
	g_autofree gchar *message = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {&revision, FALSE, NULL};
	gboolean create_pr = FALSE;
	gboolean no_policy = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	GVariantBuilder changes;
	GVariantBuilder options;
	const GOptionEntry entries[] = {
		{"revision",
		 'r',
		 0,
		 G_OPTION_ARG_STRING,
		 &revision,
		 N_("The branch (default: main)"),
		 N_("BRANCH")},
		{"create-pr",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &create_pr,
		 N_("Open a pull request instead"),
		 NULL},
		{"commit-message",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &message,
		 N_("The commit's title"),
		 N_("TEXT")},
		{"no-policy",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &no_policy,
		 N_("Skip the publishing policy"),
		 NULL},
		{NULL},
	};

	if (!hubctl_repo_parse("card set",
			       _("REPO_ID KEY=VALUE…"),
			       _("Change card metadata, keeping the rest of README.md as it is. "
				 "VALUE is YAML, as after “KEY:” in the front matter ([a, b] is a "
				 "list); an empty VALUE removes the key."),
			       entries,
			       &type,
			       &repo,
			       2,
			       G_MAXINT,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	g_variant_builder_init(&changes, G_VARIANT_TYPE_VARDICT);
	for (gint i = 2; i < argc; i++) {
		const gchar *eq = strchr(argv[i], '=');
		g_autofree gchar *key = NULL;

		if (eq == NULL || eq == argv[i]) {
			g_variant_builder_clear(&changes);
			return hubctl_usage_error("card set", _("each change is KEY=VALUE"));
		}
		key = g_strndup(argv[i], (gsize)(eq - argv[i]));
		g_variant_builder_add(&changes, "{sv}", key, g_variant_new_string(eq + 1));
	}
	proxy = hubctl_card_proxy(ctx);
	if (proxy == NULL) {
		g_variant_builder_clear(&changes);
		return HUBCTL_EXIT_UNREACHABLE;
	}
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&options, "{sv}", "parse_values", g_variant_new_boolean(TRUE));
	if (revision != NULL)
		g_variant_builder_add(&options, "{sv}", "revision", g_variant_new_string(revision));
	if (create_pr)
		g_variant_builder_add(&options, "{sv}", "create_pr", g_variant_new_boolean(TRUE));
	if (no_policy)
		g_variant_builder_add(&options, "{sv}", "no_policy", g_variant_new_boolean(TRUE));
	if (message != NULL)
		g_variant_builder_add(&options,
				      "{sv}",
				      "commit_message",
				      g_variant_new_string(message));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_CARDS,
			 "UpdateCardMetadata",
			 g_variant_new("(ss@a{sv}@a{sv})",
				       type,
				       repo.address->repo_id,
				       g_variant_builder_end(&changes),
				       g_variant_builder_end(&options)),
			 HUBCTL_CARD_TIMEOUT_MS,
			 &error,
			 "(@a{sv})",
			 &result))
		return hubctl_report_error(error);
	if (create_pr)
		hubctl_card_print_result(result);
	return HUBCTL_EXIT_OK;
}

/* ---- dispatch ---- */

static const struct {
	const gchar *name;
	gint (*func)(HubctlContext *ctx, gint argc, gchar **argv);
	const gchar *summary;
} hubctl_card_subcommands[] = {
	{"show", hubctl_card_show, N_("Show a repository's card")},
	{"validate", hubctl_card_validate, N_("Check a card file or a repository's card")},
	{"create", hubctl_card_create, N_("Write a card from the Hub's template")},
	{"set", hubctl_card_set, N_("Change card metadata in one commit")},
};

static gint
hubctl_card_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;

		fprintf(out, "%s\n\n", _("Usage: hubctl card COMMAND [OPTIONS]"));
		for (guint i = 0; i < G_N_ELEMENTS(hubctl_card_subcommands); i++)
			fprintf(out,
				"  %-9s %s\n",
				hubctl_card_subcommands[i].name,
				_(hubctl_card_subcommands[i].summary));
		fprintf(out, "\n%s\n", _("Run 'hubctl card COMMAND --help' for its options."));
		return argc < 2 ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	for (guint i = 0; i < G_N_ELEMENTS(hubctl_card_subcommands); i++) {
		if (g_strcmp0(argv[1], hubctl_card_subcommands[i].name) == 0)
			return hubctl_card_subcommands[i].func(ctx, argc - 1, argv + 1);
	}
	{
		g_autofree gchar *message =
			g_strdup_printf(_("unknown command “%s” (show, validate, create, set)"),
					argv[1]);
		return hubctl_usage_error("card", message);
	}
}

const HubctlCommand hubctl_card_command = {
	"card",
	N_("card show|validate|create|set"),
	N_("Read, check, write and edit model and dataset cards"),
	hubctl_card_run,
};
