/* hubctl-webhooks.c: `hubctl webhooks list|info|create|update|enable|disable|delete|events`
 * — the user's webhooks on the Hub, as `hf webhooks`, and what hubd's
 * listener received */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hubctl.h"

static HubdClient *
webhooks_proxy(HubctlContext *ctx)
{
	return hubctl_context_get_client(ctx);
}

static GVariant *
no_options(void)
{
	return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
}

static gchar *
watched_text(GVariant *webhook)
{
	g_autoptr(GVariant) watched =
		g_variant_lookup_value(webhook, "watched", G_VARIANT_TYPE("a(ss)"));
	g_autoptr(GString) s = g_string_new(NULL);
	GVariantIter iter;
	const gchar *type, *name;

	if (watched == NULL)
		return g_strdup("");
	g_variant_iter_init(&iter, watched);
	while (g_variant_iter_next(&iter, "(&s&s)", &type, &name))
		g_string_append_printf(s, "%s%s:%s", s->len > 0 ? "," : "", type, name);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static gchar *
domains_text(GVariant *webhook)
{
	g_autofree const gchar **domains = NULL;

	if (!g_variant_lookup(webhook, "domains", "^a&s", &domains) || domains[0] == NULL)
		return g_strdup("repo,discussion");
	return g_strjoinv(",", (gchar **)domains);
}

static void
print_webhook(GVariant *webhook)
{
	const gchar *id = "", *url = "";
	gboolean disabled = FALSE, has_secret = FALSE, managed = FALSE;
	g_autofree gchar *watched = watched_text(webhook);
	g_autofree gchar *domains = domains_text(webhook);

	g_variant_lookup(webhook, "id", "&s", &id);
	g_variant_lookup(webhook, "url", "&s", &url);
	g_variant_lookup(webhook, "disabled", "b", &disabled);
	g_variant_lookup(webhook, "has_secret", "b", &has_secret);
	g_variant_lookup(webhook, "managed", "b", &managed);
	g_print("%-10s %s\n", _("id:"), id);
	g_print("%-10s %s\n", _("url:"), url);
	g_print("%-10s %s\n", _("watched:"), watched);
	g_print("%-10s %s\n", _("domains:"), domains);
	g_print("%-10s %s\n", _("status:"), disabled ? _("disabled") : _("enabled"));
	g_print("%-10s %s\n",
		_("secret:"),
		managed      ? _("in hubd's keyring")
		: has_secret ? _("set")
			     : _("none"));
}

static gint
print_result(GVariant *webhook, gboolean json)
{
	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(webhook);

		hubctl_print_json(node);
	} else {
		print_webhook(webhook);
	}
	return HUBCTL_EXIT_OK;
}

static gint
webhooks_list(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) list = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubctlTable) table = NULL;
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON instead of a table"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options("webhooks list",
				  NULL,
				  _("List your webhooks on the Hub"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc > 1)
		return hubctl_usage_error("webhooks list", _("list takes no arguments"));
	proxy = webhooks_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_WEBHOOKS,
			 "ListWebhooks",
			 g_variant_new("(@a{sv})", no_options()),
			 -1,
			 &error,
			 "(@aa{sv})",
			 &list))
		return hubctl_report_error(error);
	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(list);

		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	table = hubctl_table_new(5);
	hubctl_table_set_headers(table, _("ID"), _("URL"), _("WATCHED"), _("DOMAINS"), _("STATUS"));
	for (gsize i = 0; i < g_variant_n_children(list); i++) {
		g_autoptr(GVariant) w = g_variant_get_child_value(list, i);
		const gchar *id = "", *url = "";
		gboolean disabled = FALSE;
		g_autofree gchar *watched = watched_text(w);
		g_autofree gchar *domains = domains_text(w);

		g_variant_lookup(w, "id", "&s", &id);
		g_variant_lookup(w, "url", "&s", &url);
		g_variant_lookup(w, "disabled", "b", &disabled);
		hubctl_table_add_row(table,
				     id,
				     url,
				     watched,
				     domains,
				     disabled ? _("disabled") : _("enabled"));
	}
	hubctl_table_print(table);
	return HUBCTL_EXIT_OK;
}

/* "TYPE:NAME" → (type, name) */
static gboolean
parse_watched(gchar **items, GVariantBuilder *b, const gchar *command, gint *exit_code)
{
	static const gchar *const types[] = {"model", "dataset", "space", "user", "org", NULL};

	g_variant_builder_init(b, G_VARIANT_TYPE("a(ss)"));
	for (guint i = 0; items != NULL && items[i] != NULL; i++) {
		const gchar *colon = strchr(items[i], ':');
		g_autofree gchar *type =
			colon != NULL ? g_strndup(items[i], (gsize)(colon - items[i])) : NULL;

		if (type == NULL || !g_strv_contains(types, type) || colon[1] == '\0') {
			g_autofree gchar *m = g_strdup_printf(_("--watch takes TYPE:NAME with TYPE "
								"model, dataset, space, user or "
								"org, not “%s”"),
							      items[i]);

			g_variant_builder_clear(b);
			*exit_code = hubctl_usage_error(command, m);
			return FALSE;
		}
		g_variant_builder_add(b, "(ss)", type, colon + 1);
	}
	return TRUE;
}

/* the secret from stdin (one line), never from argv */
static gchar *
read_secret(void)
{
	gchar line[4096];
	gsize n;

	if (fgets(line, sizeof line, stdin) == NULL)
		return NULL;
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	if (n == 0)
		return NULL;
	return g_strdup(line);
}

static gint
webhooks_create_or_update(HubctlContext *ctx, gint argc, gchar **argv, gboolean update)
{
	const gchar *command = update ? "webhooks update" : "webhooks create";
	g_auto(GStrv) watch = NULL;
	g_auto(GStrv) domains = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *secret = NULL;
	gboolean secret_stdin = FALSE;
	gboolean json = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	GVariantBuilder watched;
	const gchar *const empty[] = {NULL};
	const GOptionEntry entries[] = {
		{"watch",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &watch,
		 N_("What to watch (repeatable): model|dataset|space|user|org:NAME"),
		 N_("TYPE:NAME")},
		{"url",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &url,
		 N_("Where the Hub POSTs (default: hubd's own listener)"),
		 N_("URL")},
		{"domain",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &domains,
		 N_("repo or discussion (repeatable; default both)"),
		 N_("DOMAIN")},
		{"secret-stdin",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &secret_stdin,
		 N_("Read the secret from standard input"),
		 NULL},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options(command,
				  update ? _("ID") : NULL,
				  update ? _("Change a webhook on the Hub")
					 : _("Create a webhook on the Hub"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (update ? argc != 2 : argc != 1)
		return hubctl_usage_error(command,
					  update ? _("give the webhook's ID")
						 : _("create takes no arguments"));
	if (watch == NULL || watch[0] == NULL)
		return hubctl_usage_error(command, _("give at least one --watch TYPE:NAME"));
	if (!parse_watched(watch, &watched, command, &exit_code))
		return exit_code;
	if (secret_stdin) {
		secret = read_secret();
		if (secret == NULL) {
			g_variant_builder_clear(&watched);
			return hubctl_usage_error(command, _("no secret on standard input"));
		}
	}
	proxy = webhooks_proxy(ctx);
	if (proxy == NULL) {
		g_variant_builder_clear(&watched);
		return HUBCTL_EXIT_UNREACHABLE;
	}
	if (update ? !hubctl_call(
			     proxy,
			     HUBD_INTERFACE_WEBHOOKS,
			     "UpdateWebhook",
			     g_variant_new("(s@a(ss)s^ass@a{sv})",
					   argv[1],
					   g_variant_builder_end(&watched),
					   url != NULL ? url : "",
					   domains != NULL ? (const gchar *const *)domains : empty,
					   secret != NULL ? secret : "",
					   no_options()),
			     -1,
			     &error,
			     "(@a{sv})",
			     &result)
		   : !hubctl_call(
			     proxy,
			     HUBD_INTERFACE_WEBHOOKS,
			     "CreateWebhook",
			     g_variant_new("(@a(ss)s^ass@a{sv})",
					   g_variant_builder_end(&watched),
					   url != NULL ? url : "",
					   domains != NULL ? (const gchar *const *)domains : empty,
					   secret != NULL ? secret : "",
					   no_options()),
			     -1,
			     &error,
			     "(@a{sv})",
			     &result))
		return hubctl_report_error(error);
	if (json)
		return print_result(result, TRUE);
	if (!update) {
		const gchar *id = "";

		/* the id is what scripts need */
		g_variant_lookup(result, "id", "&s", &id);
		g_print("%s\n", id);
	}
	return HUBCTL_EXIT_OK;
}

typedef enum { ONE_INFO, ONE_ENABLE, ONE_DISABLE, ONE_DELETE } OneAction;

static gint
webhooks_one(HubctlContext *ctx, gint argc, gchar **argv, OneAction action)
{
	static const gchar *const names[] = {"webhooks info",
					     "webhooks enable",
					     "webhooks disable",
					     "webhooks delete"};
	gboolean json = FALSE, yes = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	gboolean ok;
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL},
		{"yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask for confirmation"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options(names[action], _("ID"), NULL, entries, &argc, &argv, &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error(names[action], _("give the webhook's ID"));
	if (action == ONE_DELETE && !yes) {
		g_autofree gchar *q = NULL;

		if (!isatty(STDIN_FILENO))
			return hubctl_usage_error(names[action],
						  _("not a terminal: confirm with --yes"));
		q = g_strdup_printf(_("Delete webhook %s?"), argv[1]);
		if (!hubctl_ask_yes_no(q))
			return HUBCTL_EXIT_CANCELLED;
	}
	proxy = webhooks_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	switch (action) {
	case ONE_INFO:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_WEBHOOKS,
				 "GetWebhook",
				 g_variant_new("(s@a{sv})", argv[1], no_options()),
				 -1,
				 &error,
				 "(@a{sv})",
				 &result);
		break;
	case ONE_ENABLE:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_WEBHOOKS,
				 "EnableWebhook",
				 g_variant_new("(s@a{sv})", argv[1], no_options()),
				 -1,
				 &error,
				 "(@a{sv})",
				 &result);
		break;
	case ONE_DISABLE:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_WEBHOOKS,
				 "DisableWebhook",
				 g_variant_new("(s@a{sv})", argv[1], no_options()),
				 -1,
				 &error,
				 "(@a{sv})",
				 &result);
		break;
	default:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_WEBHOOKS,
				 "DeleteWebhook",
				 g_variant_new("(s@a{sv})", argv[1], no_options()),
				 -1,
				 &error,
				 "()");
		break;
	}
	if (!ok)
		return hubctl_report_error(error);
	if (action == ONE_INFO || (json && result != NULL))
		return print_result(result, json);
	return HUBCTL_EXIT_OK;
}

static gint
webhooks_events(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) events = NULL;
	g_autoptr(GError) error = NULL;
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options("webhooks events",
				  NULL,
				  _("The deliveries hubd's listener accepted, oldest first"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	proxy = webhooks_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_WEBHOOKS,
			 "ListEvents",
			 g_variant_new("(@a{sv})", no_options()),
			 -1,
			 &error,
			 "(@aa{sv})",
			 &events))
		return hubctl_report_error(error);
	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(events);

		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	for (gsize i = 0; i < g_variant_n_children(events); i++) {
		g_autoptr(GVariant) e = g_variant_get_child_value(events, i);
		const gchar *scope = "", *action = "", *type = "", *name = "", *head = "";

		g_variant_lookup(e, "scope", "&s", &scope);
		g_variant_lookup(e, "action", "&s", &action);
		g_variant_lookup(e, "repo_type", "&s", &type);
		g_variant_lookup(e, "repo_name", "&s", &name);
		g_variant_lookup(e, "head_sha", "&s", &head);
		g_print("%s %s %s %s %s\n", scope, action, type, name, head);
	}
	return HUBCTL_EXIT_OK;
}

static gint
webhooks_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	static const struct {
		const gchar *name;
		const gchar *summary;
	} commands[] = {
		{"list", N_("List your webhooks on the Hub")},
		{"info", N_("Show one webhook")},
		{"create", N_("Create a webhook (default: to hubd's listener)")},
		{"update", N_("Change a webhook")},
		{"enable", N_("Enable a webhook")},
		{"disable", N_("Disable a webhook")},
		{"delete", N_("Delete a webhook")},
		{"events", N_("Deliveries hubd's listener accepted")},
	};
	const gchar *cmd = argc > 1 ? argv[1] : NULL;

	if (cmd == NULL || g_strcmp0(cmd, "--help") == 0 || g_strcmp0(cmd, "-h") == 0) {
		FILE *out = cmd == NULL ? stderr : stdout;

		fprintf(out, "%s\n\n", _("Usage: hubctl webhooks COMMAND [OPTIONS]"));
		for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
			fprintf(out, "  %-8s %s\n", commands[i].name, _(commands[i].summary));
		fprintf(out, "\n%s\n", _("Run 'hubctl webhooks COMMAND --help' for its options."));
		return cmd == NULL ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	if (g_str_equal(cmd, "list") || g_str_equal(cmd, "ls"))
		return webhooks_list(ctx, argc - 1, argv + 1);
	if (g_str_equal(cmd, "info"))
		return webhooks_one(ctx, argc - 1, argv + 1, ONE_INFO);
	if (g_str_equal(cmd, "create"))
		return webhooks_create_or_update(ctx, argc - 1, argv + 1, FALSE);
	if (g_str_equal(cmd, "update"))
		return webhooks_create_or_update(ctx, argc - 1, argv + 1, TRUE);
	if (g_str_equal(cmd, "enable"))
		return webhooks_one(ctx, argc - 1, argv + 1, ONE_ENABLE);
	if (g_str_equal(cmd, "disable"))
		return webhooks_one(ctx, argc - 1, argv + 1, ONE_DISABLE);
	if (g_str_equal(cmd, "delete"))
		return webhooks_one(ctx, argc - 1, argv + 1, ONE_DELETE);
	if (g_str_equal(cmd, "events"))
		return webhooks_events(ctx, argc - 1, argv + 1);
	{
		g_autofree gchar *message = g_strdup_printf(
			_("unknown command “%s” (list, info, create, update, enable, disable, "
			  "delete, events)"),
			cmd);

		return hubctl_usage_error("webhooks", message);
	}
}

const HubctlCommand hubctl_webhooks_command = {
	"webhooks",
	N_("webhooks list|info|create|update|enable|disable|delete|events"),
	N_("Manage webhooks on the Hub and see what hubd received"),
	webhooks_run,
};
