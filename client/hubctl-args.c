/* hubctl-args.c: what the command groups share for reading the command line —
 * option parsing, the repo type check and the [y/N] prompt. */
#include <glib/gi18n.h>
#include <stdio.h>

#include "hubctl.h"

gboolean
hubctl_parse_options(const gchar *command,
		     const gchar *params,
		     const gchar *summary,
		     const GOptionEntry *entries,
		     gint *argc,
		     gchar ***argv,
		     gint *exit_code)
{
	g_autoptr(GOptionContext) context = g_option_context_new(params);
	g_autoptr(GError) error = NULL;

	g_option_context_set_summary(context, summary);
	if (entries != NULL)
		g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(context, argc, argv, &error)) {
		*exit_code = hubctl_usage_error(command, error->message);
		return FALSE;
	}
	return TRUE;
}

gboolean
hubctl_repo_type_is_valid(const gchar *type)
{
	return g_strcmp0(type, "model") == 0 || g_strcmp0(type, "dataset") == 0 ||
	       g_strcmp0(type, "space") == 0;
}

gboolean
hubctl_check_repo_type(const gchar *command, const gchar *type, gint *exit_code)
{
	g_autofree gchar *message = NULL;

	if (type == NULL || hubctl_repo_type_is_valid(type))
		return TRUE;
	/* TRANSLATORS: %s is what the user gave as repo type */
	message = g_strdup_printf(_("unknown repo type “%s” (use model, dataset or space)"), type);
	*exit_code = hubctl_usage_error(command, message);
	return FALSE;
}

gboolean
hubctl_ask_yes_no(const gchar *question)
{
	gchar answer[64];

	/* TRANSLATORS: the answers the prompt accepts; keep "y/N" if unsure */
	g_printerr("%s %s ", question, _("[y/N]"));
	if (fgets(answer, sizeof answer, stdin) == NULL)
		return FALSE;
	g_strstrip(answer);
	/* TRANSLATORS: "y" and "yes" answer the [y/N] prompt; English ones are always accepted */
	return g_ascii_strcasecmp(answer, "y") == 0 || g_ascii_strcasecmp(answer, "yes") == 0 ||
	       g_strcmp0(answer, _("y")) == 0 || g_strcmp0(answer, _("yes")) == 0;
}
