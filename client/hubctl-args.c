/* hubctl-args.c: what the command groups share for reading the command line —
 * option parsing, the repo type check, REPO_ID or hf:// address, and the
 * [y/N] prompt. */
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

/* An address's value against a flag's: the flag's, the address's, or a
 * usage error when both are given and differ. */
static gboolean
hubctl_resolve_merge(const gchar *command,
		     gchar **flag,
		     const gchar *from_address,
		     const gchar *format,
		     gint *exit_code)
{
	g_autofree gchar *message = NULL;

	if (from_address == NULL)
		return TRUE;
	if (*flag == NULL) {
		*flag = g_strdup(from_address);
		return TRUE;
	}
	if (g_strcmp0(*flag, from_address) == 0)
		return TRUE;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	/* format is one of the translated messages of hubctl_resolve_repo() */
	message = g_strdup_printf(format, from_address, *flag);
#pragma GCC diagnostic pop
	*exit_code = hubctl_usage_error(command, message);
	return FALSE;
}

HubctlAddress *
hubctl_resolve_repo(const gchar *command,
		    const gchar *arg,
		    gboolean takes_path,
		    gchar **type,
		    gchar **revision,
		    gint *exit_code)
{
	g_autoptr(HubctlAddress) address = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *message = NULL;

	if (!hubctl_address_is_address(arg)) {
		address = g_new0(HubctlAddress, 1);
		address->repo_id = g_strdup(arg);
		return g_steal_pointer(&address);
	}
	address = hubctl_address_parse(arg, &error);
	if (address == NULL) {
		*exit_code = hubctl_usage_error(command, error->message);
		return NULL;
	}
	/* the same value twice is fine; hf refuses the flags with an address
	 * altogether (docs/hub-repos.md §1.7) */
	if (!hubctl_resolve_merge(command,
				  type,
				  address->type,
				  /* TRANSLATORS: the type the address names, then --type's */
				  _("the address names a %s but --type says %s"),
				  exit_code))
		return NULL;
	if (revision == NULL && address->revision != NULL) {
		/* TRANSLATORS: %s is the revision given after "@" */
		message = g_strdup_printf(_("this command takes no revision, but the address "
					    "gives “%s”"),
					  address->revision);
		*exit_code = hubctl_usage_error(command, message);
		return NULL;
	}
	if (revision != NULL &&
	    !hubctl_resolve_merge(command,
				  revision,
				  address->revision,
				  /* TRANSLATORS: the revision after "@", then --revision's */
				  _("the address gives revision “%s” but --revision gives “%s”"),
				  exit_code))
		return NULL;
	if (!takes_path && address->path != NULL) {
		/* TRANSLATORS: %s is the path found in the hf:// address */
		message = g_strdup_printf(_("this command takes no path in the address, but it "
					    "gives “%s”"),
					  address->path);
		*exit_code = hubctl_usage_error(command, message);
		return NULL;
	}
	return g_steal_pointer(&address);
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
