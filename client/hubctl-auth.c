/* hubctl-auth.c: `hubctl auth` — login, logout, whoami, list, switch, import
 *
 * A token is never taken from argv (every user can read /proc/PID/cmdline):
 * it comes from stdin (--token-stdin) or from a prompt without echo. */
#include <glib/gi18n.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "hubctl-git.h"
#include "hubctl.h"

#define MAX_TOKEN_INPUT 4096

static HubdClient *
hubctl_auth_proxy(HubctlContext *ctx)
{
	return hubctl_context_get_client(ctx);
}

static const gchar *
hubctl_auth_lookup(GVariant *dict, const gchar *key)
{
	const gchar *value = NULL;

	if (!g_variant_lookup(dict, key, "&s", &value))
		return "";
	return value;
}

/* ---- reading the token ---- */

static gchar *
hubctl_auth_clean(gchar *raw)
{
	g_autofree gchar *owned = raw;
	g_autoptr(GString) s = g_string_new(raw);

	g_string_replace(s, "\r", "", 0);
	g_string_replace(s, "\n", "", 0);
	g_strstrip(s->str);
	if (owned != NULL)
		memset(owned, 0, strlen(owned));
	if (s->str[0] == '\0')
		return NULL;
	return g_strdup(s->str);
}

static gchar *
hubctl_auth_read_stdin(void)
{
	gchar buf[MAX_TOKEN_INPUT + 1];
	gsize len = fread(buf, 1, MAX_TOKEN_INPUT, stdin);
	gchar *token;

	buf[len] = '\0';
	token = hubctl_auth_clean(g_strdup(buf));
	memset(buf, 0, sizeof buf);
	return token;
}

static gchar *
hubctl_auth_prompt(void)
{
	struct termios saved;
	struct termios quiet;
	gchar buf[MAX_TOKEN_INPUT + 1];
	gboolean ok;

	g_printerr("%s", _("Enter your Hugging Face token (input is hidden): "));
	if (tcgetattr(STDIN_FILENO, &saved) != 0)
		return NULL;
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	ok = fgets(buf, sizeof buf, stdin) != NULL;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	if (!ok)
		return NULL;
	{
		gchar *token = hubctl_auth_clean(g_strdup(buf));
		memset(buf, 0, sizeof buf);
		return token;
	}
}

static void
hubctl_auth_print_login(GVariant *result)
{
	const gchar *storage = hubctl_auth_lookup(result, "storage");
	const gchar *role = hubctl_auth_lookup(result, "role");

	/* TRANSLATORS: user name, token name, token role (read/write) */
	g_print(_("Logged in as %s (token “%s”, %s)."),
		hubctl_auth_lookup(result, "user"),
		hubctl_auth_lookup(result, "name"),
		role[0] != '\0' ? role : _("unknown role"));
	g_print(" ");
	if (g_str_has_prefix(storage, "file:"))
		/* TRANSLATORS: %s is a file path */
		g_print(_("The token is in %s (no keyring available)."), storage + strlen("file:"));
	else
		g_print("%s", _("The token is in the system keyring."));
	g_print("\n");
}

static gint
hubctl_auth_login(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean token_stdin = FALSE;
	gboolean add_to_git = FALSE;
	gboolean web = FALSE;
	gboolean no_browser = FALSE;
	g_autofree gchar *name = NULL;
	g_autofree gchar *token = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	GVariantBuilder options;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"token-stdin",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &token_stdin,
		 N_("Read the token from standard input"),
		 NULL},
		{"web",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &web,
		 N_("Log in through a browser instead of with a token (OAuth device login)"),
		 NULL},
		{"no-browser",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &no_browser,
		 N_("With --web: only print the address and code, do not open a browser"),
		 NULL},
		{"name",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &name,
		 N_("Store the token under NAME (default: its name on the Hub)"),
		 N_("NAME")},
		{"add-to-git-credential",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &add_to_git,
		 N_("Make git use hubd’s token for the Hub (no token on disk)"),
		 NULL},
		{NULL},
	};

	if (!hubctl_parse_options("auth login",
				  NULL,
				  _("Log in with an access token; it is checked with the Hub, then "
				    "stored in the keyring. The token is read from standard input "
				    "or asked for, never taken from the command line. With --web, "
				    "log in through a browser instead: hubd renews that token "
				    "before it expires."),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (web && token_stdin)
		return hubctl_usage_error("auth login",
					  _("--web and --token-stdin do not go together"));
	if (no_browser && !web)
		return hubctl_usage_error("auth login", _("--no-browser needs --web"));
	if (web && argc == 1) {
		exit_code = hubctl_auth_login_web(ctx, name, !no_browser, &result);
		if (exit_code == HUBCTL_EXIT_OK && result != NULL)
			hubctl_auth_print_login(result);
		return exit_code;
	}
	if (argc > 1)
		return hubctl_usage_error("auth login",
					  _("the token is not accepted as an argument (others "
					    "could read it); use --token-stdin or the prompt"));
	if (token_stdin)
		token = hubctl_auth_read_stdin();
	else if (isatty(STDIN_FILENO))
		token = hubctl_auth_prompt();
	else
		return hubctl_usage_error("auth login",
					  _("no terminal to ask for the token; pipe it in with "
					    "--token-stdin"));
	if (token == NULL)
		return hubctl_usage_error("auth login", _("no token given"));

	proxy = hubctl_auth_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (name != NULL)
		g_variant_builder_add(&options, "{sv}", "name", g_variant_new_string(name));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_AUTH,
			 "Login",
			 g_variant_new("(s@a{sv})", token, g_variant_builder_end(&options)),
			 -1,
			 &error,
			 "(@a{sv})",
			 &result))
		return hubctl_report_error(error);
	hubctl_auth_print_login(result);
	if (add_to_git && !hubctl_git_add_credential_helper(ctx))
		return HUBCTL_EXIT_FAILED;
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_auth_logout(HubctlContext *ctx, gint argc, gchar **argv)
{
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) logged_in = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	const gchar *name;

	if (!hubctl_parse_options("auth logout",
				  _("[NAME]"),
				  _("Remove a stored token (default: the active one)"),
				  NULL,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc > 2)
		return hubctl_usage_error("auth logout", _("at most one token name"));
	name = argc == 2 ? argv[1] : "";
	proxy = hubctl_auth_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_AUTH,
			 "Logout",
			 g_variant_new("(s@a{sv})", name, g_variant_new("a{sv}", NULL)),
			 -1,
			 &error,
			 "()"))
		return hubctl_report_error(error);
	if (name[0] != '\0')
		g_print(_("Logged out: token “%s” removed."), name);
	else
		g_print("%s", _("Logged out: the active token was removed."));
	g_print("\n");
	/* read now, after the logout: another source may still give a token */
	logged_in =
		hubd_client_get_property_sync(proxy, HUBD_INTERFACE_AUTH, "LoggedIn", NULL, NULL);
	if (logged_in != NULL && g_variant_is_of_type(logged_in, G_VARIANT_TYPE_BOOLEAN) &&
	    g_variant_get_boolean(logged_in))
		g_print("%s\n",
			_("hubd still has a token (HF_TOKEN or another source) and stays "
			  "logged in."));
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_auth_whoami(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gboolean refresh = FALSE;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	GVariantBuilder options;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"json",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &json,
		 N_("Print the Hub's answer as JSON"),
		 NULL},
		{"refresh",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &refresh,
		 N_("Do not use a cached answer"),
		 NULL},
		{NULL},
	};

	if (!hubctl_parse_options("auth whoami",
				  NULL,
				  _("Show the user of the current token"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc > 1)
		return hubctl_usage_error("auth whoami", _("whoami takes no arguments"));
	proxy = hubctl_auth_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (refresh)
		g_variant_builder_add(&options, "{sv}", "refresh", g_variant_new_boolean(TRUE));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_AUTH,
			 "WhoAmI",
			 g_variant_new("(@a{sv})", g_variant_builder_end(&options)),
			 -1,
			 &error,
			 "(@a{sv})",
			 &result))
		return hubctl_report_error(error);
	if (json) {
		g_autoptr(JsonParser) parser = json_parser_new();
		if (!json_parser_load_from_data(parser,
						hubctl_auth_lookup(result, "json"),
						-1,
						&error))
			return hubctl_report_error(g_steal_pointer(&error));
		hubctl_print_json(json_parser_get_root(parser));
	} else {
		g_autoptr(HubctlTable) table = hubctl_table_new(2);
		g_autofree const gchar **orgs = NULL;
		g_autofree gchar *orgs_text = NULL;
		g_autofree gchar *token_text = NULL;
		const gchar *fullname = hubctl_auth_lookup(result, "fullname");
		g_autofree gchar *user_text =
			fullname[0] != '\0' ? g_strdup_printf("%s (%s)",
							      hubctl_auth_lookup(result, "name"),
							      fullname)
					    : g_strdup(hubctl_auth_lookup(result, "name"));

		if (!g_variant_lookup(result, "orgs", "^a&s", &orgs) || orgs[0] == NULL)
			orgs_text = g_strdup(_("none"));
		else
			orgs_text = g_strjoinv(", ", (gchar **)orgs);
		token_text = g_strdup_printf("%s (%s, %s)",
					     hubctl_auth_lookup(result, "token_name"),
					     hubctl_auth_lookup(result, "role"),
					     hubctl_auth_lookup(result, "source"));
		hubctl_table_add_row(table, _("User:"), user_text);
		hubctl_table_add_row(table, _("Orgs:"), orgs_text);
		hubctl_table_add_row(table, _("Token:"), token_text);
		hubctl_table_print(table);
	}
	return HUBCTL_EXIT_OK;
}

/* `auth list --json` has printed each token's "in-use" since before the
 * D-Bus API took one key style ("in_use" now): the JSON keeps its member
 * names, in their order. */
static JsonNode *
hubctl_auth_list_to_json(GVariant *tokens)
{
	g_autoptr(JsonNode) node = hubctl_variant_to_json(tokens);
	JsonArray *items = json_node_get_array(node);
	g_autoptr(JsonArray) out = json_array_new();

	for (guint i = 0; i < json_array_get_length(items); i++) {
		JsonObject *item = json_array_get_object_element(items, i);
		g_autoptr(JsonObject) copy = json_object_new();
		g_autoptr(GList) names = json_object_get_members(item);

		for (GList *l = names; l != NULL; l = l->next) {
			const gchar *name = l->data;
			json_object_set_member(copy,
					       g_strcmp0(name, "in_use") == 0 ? "in-use" : name,
					       json_object_dup_member(item, name));
		}
		json_array_add_object_element(out, g_steal_pointer(&copy));
	}
	return json_node_init_array(json_node_alloc(), out);
}

static gint
hubctl_auth_list(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) tokens = NULL;
	g_autoptr(GError) error = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	GVariantIter iter;
	GVariant *raw_item;
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options("auth list",
				  NULL,
				  _("List the stored tokens; * marks the active one"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc > 1)
		return hubctl_usage_error("auth list", _("list takes no arguments"));
	proxy = hubctl_auth_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_AUTH,
			 "ListTokens",
			 g_variant_new("(@a{sv})", g_variant_new("a{sv}", NULL)),
			 -1,
			 &error,
			 "(@aa{sv})",
			 &tokens))
		return hubctl_report_error(error);
	if (json) {
		g_autoptr(JsonNode) node = hubctl_auth_list_to_json(tokens);
		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	if (g_variant_n_children(tokens) == 0) {
		g_print("%s\n", _("No stored tokens. Log in with “hubctl auth login”."));
		return HUBCTL_EXIT_OK;
	}
	{
		g_autoptr(HubctlTable) table = hubctl_table_new(6);
		hubctl_table_set_headers(table,
					 "",
					 _("NAME"),
					 _("USER"),
					 _("ROLE"),
					 _("ENDPOINT"),
					 _("STORAGE"));
		g_variant_iter_init(&iter, tokens);
		while ((raw_item = g_variant_iter_next_value(&iter)) != NULL) {
			g_autoptr(GVariant) item = raw_item;
			gboolean active = FALSE;
			g_variant_lookup(item, "active", "b", &active);
			hubctl_table_add_row(table,
					     active ? "*" : "",
					     hubctl_auth_lookup(item, "name"),
					     hubctl_auth_lookup(item, "user"),
					     hubctl_auth_lookup(item, "role"),
					     hubctl_auth_lookup(item, "endpoint"),
					     hubctl_auth_lookup(item, "storage"));
		}
		hubctl_table_print(table);
	}
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_auth_switch(HubctlContext *ctx, gint argc, gchar **argv)
{
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	gboolean add_to_git = FALSE;
	const GOptionEntry entries[] = {
		{"add-to-git-credential",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &add_to_git,
		 N_("Make git use hubd’s token for the Hub (no token on disk)"),
		 NULL},
		{NULL},
	};

	if (!hubctl_parse_options("auth switch",
				  _("NAME"),
				  _("Make a stored token the active one"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error("auth switch", _("give exactly one token name"));
	proxy = hubctl_auth_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_AUTH,
			 "SwitchToken",
			 g_variant_new("(s@a{sv})", argv[1], g_variant_new("a{sv}", NULL)),
			 -1,
			 &error,
			 "()"))
		return hubctl_report_error(error);
	g_print(_("Token “%s” is now active."), argv[1]);
	g_print("\n");
	if (add_to_git && !hubctl_git_add_credential_helper(ctx))
		return HUBCTL_EXIT_FAILED;
	return HUBCTL_EXIT_OK;
}

/* ---- import from huggingface_hub ---- */

static gchar *
hubctl_auth_hf_token_path(void)
{
	const gchar *path = g_getenv("HF_TOKEN_PATH");
	const gchar *home = g_getenv("HF_HOME");

	if (path != NULL && path[0] != '\0')
		return g_strdup(path);
	if (home != NULL && home[0] != '\0')
		return g_build_filename(home, "token", NULL);
	return g_build_filename(g_get_user_cache_dir(), "huggingface", "token", NULL);
}

typedef struct {
	HubdClient *proxy;
	GHashTable *stored_names; /* already in hubd */
	GHashTable *seen;         /* token -> name, from the files */
	guint imported;
	guint skipped;
	guint failed;
} Import;

static void
hubctl_auth_import_one(Import *import, const gchar *name, const gchar *token)
{
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	GVariantBuilder options;

	if (g_hash_table_contains(import->seen, token)) {
		import->skipped++;
		return;
	}
	if (name != NULL && g_hash_table_contains(import->stored_names, name)) {
		/* remembered, so that the token file can still make it active */
		g_hash_table_insert(import->seen, g_strdup(token), g_strdup(name));
		import->skipped++;
		return;
	}
	g_hash_table_insert(import->seen, g_strdup(token), g_strdup(name != NULL ? name : ""));
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (name != NULL)
		g_variant_builder_add(&options, "{sv}", "name", g_variant_new_string(name));
	if (!hubctl_call(import->proxy,
			 HUBD_INTERFACE_AUTH,
			 "Login",
			 g_variant_new("(s@a{sv})", token, g_variant_builder_end(&options)),
			 -1,
			 &error,
			 "(@a{sv})",
			 &result)) {
		g_dbus_error_strip_remote_error(error);
		/* TRANSLATORS: token name, then the reason */
		g_printerr(_("hubctl: not imported: “%s”: %s"),
			   name != NULL ? name : "token",
			   error->message);
		g_printerr("\n");
		import->failed++;
		return;
	}
	g_hash_table_add(import->stored_names, g_strdup(hubctl_auth_lookup(result, "name")));
	g_hash_table_replace(import->seen,
			     g_strdup(token),
			     g_strdup(hubctl_auth_lookup(result, "name")));
	import->imported++;
}

static gint
hubctl_auth_import(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *token_path = hubctl_auth_hf_token_path();
	g_autofree gchar *dir = g_path_get_dirname(token_path);
	g_autofree gchar *stored_path = g_build_filename(dir, "stored_tokens", NULL);
	g_autoptr(GKeyFile) stored = g_key_file_new();
	g_autofree gchar *raw = NULL;
	g_autofree gchar *active = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) tokens = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) stored_names =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	gboolean have_stored;
	gint exit_code = HUBCTL_EXIT_OK;
	Import import = {0};
	GVariantIter iter;
	GVariant *raw_item;

	if (!hubctl_parse_options(
		    "auth import",
		    NULL,
		    _("Copy the tokens of huggingface_hub ($HF_TOKEN_PATH or $HF_HOME/token, "
		      "and stored_tokens beside it) into hubd"),
		    NULL,
		    &argc,
		    &argv,
		    &exit_code))
		return exit_code;
	if (argc > 1)
		return hubctl_usage_error("auth import", _("import takes no arguments"));
	have_stored = g_key_file_load_from_file(stored, stored_path, G_KEY_FILE_NONE, NULL);
	if (g_file_get_contents(token_path, &raw, NULL, NULL))
		active = hubctl_auth_clean(g_steal_pointer(&raw));
	if (!have_stored && active == NULL) {
		g_print(_("No huggingface_hub tokens found (looked at %s and %s)."),
			token_path,
			stored_path);
		g_print("\n");
		return HUBCTL_EXIT_OK;
	}

	proxy = hubctl_auth_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_AUTH,
			 "ListTokens",
			 g_variant_new("(@a{sv})", g_variant_new("a{sv}", NULL)),
			 -1,
			 &error,
			 "(@aa{sv})",
			 &tokens))
		return hubctl_report_error(g_steal_pointer(&error));
	g_variant_iter_init(&iter, tokens);
	while ((raw_item = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) item = raw_item;
		g_hash_table_add(stored_names, g_strdup(hubctl_auth_lookup(item, "name")));
	}
	import.proxy = proxy;
	import.stored_names = stored_names;
	import.seen = seen;

	if (have_stored) {
		g_auto(GStrv) groups = g_key_file_get_groups(stored, NULL);
		for (guint i = 0; groups[i] != NULL; i++) {
			g_autofree gchar *value =
				g_key_file_get_string(stored, groups[i], "hf_token", NULL);
			g_autofree gchar *token = hubctl_auth_clean(g_steal_pointer(&value));
			if (token != NULL)
				hubctl_auth_import_one(&import, groups[i], token);
		}
	}
	/* huggingface_hub's active token is the token file: keep it active here */
	if (active != NULL) {
		const gchar *name = g_hash_table_lookup(seen, active);
		if (name != NULL && name[0] != '\0') {
			if (!hubctl_call(
				    proxy,
				    HUBD_INTERFACE_AUTH,
				    "SwitchToken",
				    g_variant_new("(s@a{sv})", name, g_variant_new("a{sv}", NULL)),
				    -1,
				    &error,
				    "()")) {
				g_dbus_error_strip_remote_error(error);
				g_printerr("hubctl: %s\n", error->message);
				g_clear_error(&error);
			}
		} else {
			hubctl_auth_import_one(&import, NULL, active);
		}
		memset(active, 0, strlen(active));
	}
	/* TRANSLATORS: counts, then the directory the tokens came from */
	g_print(ngettext("Imported %u token from %s",
			 "Imported %u tokens from %s",
			 import.imported),
		import.imported,
		dir);
	if (import.skipped > 0)
		g_print(ngettext(" (%u already present, skipped)",
				 " (%u already present, skipped)",
				 import.skipped),
			import.skipped);
	g_print(".\n");
	return import.failed > 0 ? HUBCTL_EXIT_FAILED : HUBCTL_EXIT_OK;
}

/* ---- dispatch ---- */

static const struct {
	const gchar *name;
	gint (*func)(HubctlContext *ctx, gint argc, gchar **argv);
	const gchar *summary;
} hubctl_auth_subcommands[] = {
	{"login", hubctl_auth_login, N_("Log in with an access token (stdin or prompt)")},
	{"logout", hubctl_auth_logout, N_("Remove a stored token")},
	{"whoami", hubctl_auth_whoami, N_("Show the user of the current token")},
	{"list", hubctl_auth_list, N_("List the stored tokens")},
	{"switch", hubctl_auth_switch, N_("Make a stored token the active one")},
	{"import", hubctl_auth_import, N_("Import huggingface_hub's stored tokens")},
	{"git-credential", hubctl_git_credential, N_("git's credential helper (run by git)")},
};

static gint
hubctl_auth_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;
		fprintf(out, "%s\n\n", _("Usage: hubctl auth COMMAND [OPTIONS]"));
		for (guint i = 0; i < G_N_ELEMENTS(hubctl_auth_subcommands); i++)
			fprintf(out,
				"  %-14s %s\n",
				hubctl_auth_subcommands[i].name,
				_(hubctl_auth_subcommands[i].summary));
		return argc < 2 ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	for (guint i = 0; i < G_N_ELEMENTS(hubctl_auth_subcommands); i++) {
		if (g_strcmp0(argv[1], hubctl_auth_subcommands[i].name) == 0)
			return hubctl_auth_subcommands[i].func(ctx, argc - 1, argv + 1);
	}
	{
		g_autofree gchar *message =
			g_strdup_printf(_("unknown command “%s” (login, logout, whoami, list, "
					  "switch, import, git-credential)"),
					argv[1]);
		return hubctl_usage_error("auth", message);
	}
}

const HubctlCommand hubctl_auth_command = {
	"auth",
	N_("auth login|logout|whoami|list|switch|import|git-credential"),
	N_("Log in to the Hub and manage tokens"),
	hubctl_auth_run,
};
