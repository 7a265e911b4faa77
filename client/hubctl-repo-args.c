/* hubctl-repo-args.c: what the repo commands share — the Repos proxy, REPO_ID
 * (or hf:// address) arguments, result dicts as JSON, confirmation prompts */
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "hubctl-repo.h"

/* Listings follow every page of the Hub within one call: far longer than the
 * 25 s D-Bus default may be fine. */

HubdClient *
hubctl_repo_proxy(HubctlContext *ctx)
{
	return hubctl_context_get_client(ctx);
}

const gchar *
hubctl_repo_lookup(GVariant *dict, const gchar *key)
{
	const gchar *value = NULL;

	if (dict == NULL || !g_variant_lookup(dict, key, "&s", &value))
		return "";
	return value;
}

JsonNode *
hubctl_repo_dict_to_json(GVariant *dict, const gchar *const *keys)
{
	g_autoptr(JsonObject) object = json_object_new();

	for (guint i = 0; keys[i] != NULL; i++) {
		g_autoptr(GVariant) value = g_variant_lookup_value(dict, keys[i], NULL);
		json_object_set_member(object,
				       keys[i],
				       value != NULL ? hubctl_variant_to_json(value)
						     : json_node_init_null(json_node_alloc()));
	}
	return json_node_init_object(json_node_alloc(), object);
}

gint
hubctl_repo_print_json_array(GVariant *dicts, const gchar *const *keys)
{
	g_autoptr(JsonArray) array = json_array_new();
	g_autoptr(JsonNode) node = NULL;
	GVariantIter iter;
	GVariant *item;

	g_variant_iter_init(&iter, dicts);
	while ((item = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) owned = item;
		json_array_add_element(array, hubctl_repo_dict_to_json(item, keys));
	}
	node = json_node_init_array(json_node_alloc(), array);
	hubctl_print_json(node);
	return HUBCTL_EXIT_OK;
}

gchar *
hubctl_repo_short_date(const gchar *date)
{
	/* "2024-01-02T03:04:05.000Z" -> "2024-01-02 03:04" */
	if (strlen(date) >= 16 && date[10] == 'T') {
		gchar *s = g_strndup(date, 16);
		s[10] = ' ';
		return s;
	}
	return g_strdup(date);
}

/* FALSE (usage error in *exit_code) unless min <= n_args <= max */
static gboolean
hubctl_repo_check_args(const gchar *command, gint n_args, gint min, gint max, gint *exit_code)
{
	if (n_args < min) {
		*exit_code = hubctl_usage_error(command, _("missing arguments"));
		return FALSE;
	}
	if (n_args > max) {
		*exit_code = hubctl_usage_error(command, _("too many arguments"));
		return FALSE;
	}
	return TRUE;
}

void
hubctl_repo_arg_clear(HubctlRepoArg *repo)
{
	g_clear_pointer(&repo->address, hubctl_address_free);
}

const gchar *
hubctl_repo_arg_path(const HubctlRepoArg *repo, gint argc, gchar **argv, gint index)
{
	if (repo->address != NULL && repo->address->path != NULL)
		return repo->address->path;
	return argc > index ? argv[index] : "";
}

/* argv[1] as REPO_ID or address; the count of positional arguments it makes */
static gboolean
hubctl_repo_parse_repo(const gchar *command,
		       HubctlRepoArg *repo,
		       gchar **type,
		       gint argc,
		       gchar **argv,
		       gint *n_args,
		       gint *exit_code)
{
	if (argc < 2)
		return TRUE;
	repo->address = hubctl_resolve_repo(command,
					    argv[1],
					    repo->takes_path,
					    type,
					    repo->revision,
					    exit_code);
	if (repo->address == NULL)
		return FALSE;
	if (repo->address->path != NULL) {
		/* as hf download: the path in the address or as an argument */
		if (argc > 2) {
			*exit_code = hubctl_usage_error(command,
							_("give the path in the address or as an "
							  "argument, not both"));
			return FALSE;
		}
		(*n_args)++;
	}
	return TRUE;
}

gboolean
hubctl_repo_parse(const gchar *command,
		  const gchar *params,
		  const gchar *summary,
		  const GOptionEntry *entries,
		  gchar **type_out,
		  HubctlRepoArg *repo,
		  gint min_args,
		  gint max_args,
		  gint *argc,
		  gchar ***argv,
		  gint *exit_code)
{
	g_autoptr(GOptionContext) context = g_option_context_new(params);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *prgname = g_strdup_printf("hubctl %s", command);
	g_autofree gchar *old_prgname = g_strdup(g_get_prgname());
	g_autofree gchar *type = NULL;
	gint n_args;
	gboolean ok;
	const GOptionEntry type_entries[] = {
		{"type",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &type,
		 N_("The repo type: model (default), dataset or space"),
		 N_("TYPE")},
		{"repo-type", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &type, NULL, NULL},
		{NULL},
	};

	g_option_context_set_summary(context, summary);
	g_option_context_set_translation_domain(context, GETTEXT_PACKAGE);
	if (entries != NULL)
		g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	if (type_out != NULL)
		g_option_context_add_main_entries(context, type_entries, GETTEXT_PACKAGE);
	/* the usage line reads "hubctl repo create [OPTION…] REPO_ID" */
	g_set_prgname(prgname);
	ok = g_option_context_parse(context, argc, argv, &error);
	g_set_prgname(old_prgname);
	if (!ok) {
		*exit_code = hubctl_usage_error(command, error->message);
		return FALSE;
	}
	/* argv[0] is the sub-command */
	n_args = *argc - 1;
	if (type_out != NULL) {
		if (type != NULL && type[0] == '\0')
			g_clear_pointer(&type, g_free);
		if (!hubctl_check_repo_type(command, type, exit_code))
			return FALSE;
		/* before the default: an address's type is no conflict with it */
		if (repo != NULL &&
		    !hubctl_repo_parse_repo(command, repo, &type, *argc, *argv, &n_args, exit_code))
			return FALSE;
		*type_out = type != NULL ? g_steal_pointer(&type) : g_strdup("model");
	}
	/* after --type, whose error comes first */
	return hubctl_repo_check_args(command, n_args, min_args, max_args, exit_code);
}

gboolean
hubctl_repo_check_limit(const gchar *command, gint limit, gint *exit_code)
{
	if (limit < 0) {
		*exit_code = hubctl_usage_error(command, _("--limit must be 0 or more"));
		return FALSE;
	}
	return TRUE;
}

gboolean
hubctl_repo_confirm(gboolean yes, const gchar *question)
{
	/* no terminal to ask on: scripts go on */
	if (yes || !isatty(STDIN_FILENO) || !hubctl_stderr_is_tty() || hubctl_ask_yes_no(question))
		return TRUE;
	g_printerr("hubctl: %s\n", _("aborted, nothing was deleted"));
	return FALSE;
}
