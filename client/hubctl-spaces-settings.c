/* hubctl-spaces-settings.c: `hubctl spaces secrets|variables|duplicate`.
 * A secret's value never comes from the command line (argv is visible to
 * every user of the machine): it is read from stdin or a .env file. */
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "hubctl-spaces.h"

gboolean
hubctl_spaces_read_env_file(const gchar *path, GHashTable *into, GError **error)
{
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;

	if (!g_file_get_contents(path, &text, NULL, error))
		return FALSE;
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		gchar *line = g_strstrip(lines[i]);
		gchar *eq;
		gchar *value;
		gsize len;

		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (g_str_has_prefix(line, "export "))
			line += strlen("export ");
		eq = strchr(line, '=');
		if (eq == NULL) {
			/* the line is not echoed: it may hold a secret */
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    _("%s, line %u: expected KEY=VALUE"),
				    path,
				    i + 1);
			return FALSE;
		}
		*eq = '\0';
		value = eq + 1;
		len = strlen(value);
		if (len >= 2 && (value[0] == '"' || value[0] == '\'') &&
		    value[len - 1] == value[0]) {
			value[len - 1] = '\0';
			value++;
		}
		g_hash_table_replace(into, g_strdup(g_strstrip(line)), g_strdup(value));
	}
	return TRUE;
}

gboolean
hubctl_spaces_add_pairs(const gchar *const *pairs,
			GHashTable *into,
			const gchar *command,
			gint *exit_code)
{
	for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++) {
		const gchar *eq = strchr(pairs[i], '=');

		if (eq == NULL || eq == pairs[i]) {
			*exit_code = hubctl_usage_error(command, _("expected KEY=VALUE"));
			return FALSE;
		}
		g_hash_table_replace(into,
				     g_strndup(pairs[i], (gsize)(eq - pairs[i])),
				     g_strdup(eq + 1));
	}
	return TRUE;
}

/* A value from stdin: all of it, without one trailing newline. */
static gchar *
read_stdin_value(GError **error)
{
	g_autoptr(GString) s = g_string_new(NULL);
	gchar buf[4096];
	gsize n;

	if (hubctl_stdout_is_tty() && isatty(0))
		g_printerr("%s", _("Value (end with Ctrl-D): "));
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		g_string_append_len(s, buf, (gssize)n);
	if (ferror(stdin)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot read stdin"));
		return NULL;
	}
	if (s->len > 0 && s->str[s->len - 1] == '\n')
		g_string_truncate(s, s->len - 1);
	if (s->len > 0 && s->str[s->len - 1] == '\r')
		g_string_truncate(s, s->len - 1);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* `secrets|variables list SPACE_ID` */
static gint
store_list(HubctlContext *ctx, const gchar *command, const gchar *method, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	g_autoptr(GDBusProxy) proxy = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) list = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubctlTable) table = hubctl_table_new(3);
	gboolean secrets = g_strcmp0(method, "ListSecrets") == 0;
	GVariantIter iter;
	GVariant *item;
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options(command,
				  _("SPACE_ID"),
				  secrets ? _("List a Space's secrets (never their values)")
					  : _("List a Space's variables"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error(command, _("expected one SPACE_ID"));
	proxy = hubctl_spaces_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	reply = hubctl_spaces_call(
		proxy,
		method,
		g_variant_new("(s@a{sv})", argv[1], g_variant_new("a{sv}", NULL)),
		&error);
	if (reply == NULL)
		return hubctl_report_error(error);
	list = g_variant_get_child_value(reply, 0);
	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(list);

		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	g_variant_iter_init(&iter, list);
	while ((item = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) owned = item;
		const gchar *key = "";
		const gchar *value = NULL;
		const gchar *description = NULL;

		g_variant_lookup(item, "key", "&s", &key);
		g_variant_lookup(item, "value", "&s", &value);
		g_variant_lookup(item, "description", "&s", &description);
		hubctl_table_add_row(table,
				     key,
				     secrets ? description : value,
				     secrets ? NULL : description);
	}
	hubctl_table_print(table);
	return HUBCTL_EXIT_OK;
}

/* Adds every pair of `pairs` with `method`; the first failure ends it. */
static gint
store_add_all(HubctlContext *ctx,
	      const gchar *method,
	      const gchar *space,
	      GHashTable *pairs,
	      const gchar *description)
{
	g_autoptr(GDBusProxy) proxy = hubctl_spaces_proxy(ctx);
	g_autoptr(GList) keys = g_list_sort(g_hash_table_get_keys(pairs), (GCompareFunc)g_strcmp0);

	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	for (GList *l = keys; l != NULL; l = l->next) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) reply = NULL;
		GVariantBuilder options;

		g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
		if (description != NULL)
			g_variant_builder_add(&options,
					      "{sv}",
					      "description",
					      g_variant_new_string(description));
		reply = hubctl_spaces_call(
			proxy,
			method,
			g_variant_new("(sssa{sv})",
				      space,
				      (gchar *)l->data,
				      (gchar *)g_hash_table_lookup(pairs, l->data),
				      &options),
			&error);
		if (reply == NULL)
			return hubctl_report_error(error);
	}
	return HUBCTL_EXIT_OK;
}

static gint
store_delete(HubctlContext *ctx, const gchar *command, const gchar *method, gint argc, gchar **argv)
{
	gint exit_code = HUBCTL_EXIT_OK;
	g_autoptr(GDBusProxy) proxy = NULL;

	if (!hubctl_parse_options(command,
				  _("SPACE_ID KEY..."),
				  _("Delete keys from a Space"),
				  NULL,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc < 3)
		return hubctl_usage_error(command, _("expected SPACE_ID and at least one KEY"));
	proxy = hubctl_spaces_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	for (gint i = 2; i < argc; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) reply = hubctl_spaces_call(
			proxy,
			method,
			g_variant_new("(ss@a{sv})", argv[1], argv[i], g_variant_new("a{sv}", NULL)),
			&error);

		if (reply == NULL)
			return hubctl_report_error(error);
	}
	return HUBCTL_EXIT_OK;
}

static gint
secrets_add(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *file = NULL;
	g_autofree gchar *description = NULL;
	g_autoptr(GHashTable) pairs =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GError) error = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"secrets-file",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &file,
		 N_("Add every KEY=VALUE of this .env file"),
		 N_("FILE")},
		{"description",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &description,
		 N_("What it is for"),
		 N_("TEXT")},
		{NULL},
	};

	if (!hubctl_parse_options("spaces secrets add",
				  _("SPACE_ID [KEY]"),
				  _("Add a secret; its value is read from stdin (never the command "
				    "line), or all of a --secrets-file"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc < 2 || argc > 3 || (argc == 2) == (file == NULL))
		return hubctl_usage_error("spaces secrets add",
					  _("expected SPACE_ID and a KEY (value on stdin), or "
					    "SPACE_ID and --secrets-file"));
	if (argc == 3 && strchr(argv[2], '=') != NULL)
		return hubctl_usage_error(
			"spaces secrets add",
			_("a secret's value is never taken from the command line: "
			  "give the KEY and pipe the value on stdin"));
	if (file != NULL && !hubctl_spaces_read_env_file(file, pairs, &error)) {
		g_printerr("hubctl: %s\n", error->message);
		return HUBCTL_EXIT_FAILED;
	}
	if (argc == 3) {
		gchar *value = read_stdin_value(&error);

		if (value == NULL) {
			g_printerr("hubctl: %s\n", error->message);
			return HUBCTL_EXIT_FAILED;
		}
		g_hash_table_replace(pairs, g_strdup(argv[2]), value);
	}
	return store_add_all(ctx, "AddSecret", argv[1], pairs, description);
}

static gint
variables_add(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autoptr(GPtrArray) given = g_ptr_array_new();
	g_autofree gchar *file = NULL;
	g_auto(GStrv) env = NULL;
	g_autofree gchar *description = NULL;
	g_autoptr(GHashTable) pairs =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GError) error = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"env", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &env, N_("A variable"), N_("KEY=VALUE")},
		{"env-file",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &file,
		 N_("Every KEY=VALUE of this .env file"),
		 N_("FILE")},
		{"description",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &description,
		 N_("What it is for"),
		 N_("TEXT")},
		{NULL},
	};

	if (!hubctl_parse_options("spaces variables add",
				  _("SPACE_ID [KEY=VALUE...]"),
				  _("Add or replace variables"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc < 2)
		return hubctl_usage_error("spaces variables add", _("expected a SPACE_ID"));
	if (file != NULL && !hubctl_spaces_read_env_file(file, pairs, &error)) {
		g_printerr("hubctl: %s\n", error->message);
		return HUBCTL_EXIT_FAILED;
	}
	/* the pairs after SPACE_ID, then -e's */
	for (gint i = 2; i < argc; i++)
		g_ptr_array_add(given, argv[i]);
	g_ptr_array_add(given, NULL);
	if (!hubctl_spaces_add_pairs((const gchar *const *)given->pdata,
				     pairs,
				     "spaces variables add",
				     &exit_code) ||
	    !hubctl_spaces_add_pairs((const gchar *const *)env,
				     pairs,
				     "spaces variables add",
				     &exit_code))
		return exit_code;
	if (g_hash_table_size(pairs) == 0)
		return hubctl_usage_error("spaces variables add", _("no KEY=VALUE given"));
	return store_add_all(ctx, "AddVariable", argv[1], pairs, description);
}

static gint
store_group(HubctlContext *ctx, gboolean secrets, gint argc, gchar **argv)
{
	const gchar *group = secrets ? "spaces secrets" : "spaces variables";
	g_autofree gchar *command = NULL;

	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0) {
		fprintf(argc < 2 ? stderr : stdout,
			"%s\n",
			secrets ? _("Usage: hubctl spaces secrets list|add|delete SPACE_ID …")
				: _("Usage: hubctl spaces variables list|add|delete SPACE_ID …"));
		return argc < 2 ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	command = g_strdup_printf("%s %s", group, argv[1]);
	if (g_strcmp0(argv[1], "list") == 0 || g_strcmp0(argv[1], "ls") == 0)
		return store_list(ctx,
				  command,
				  secrets ? "ListSecrets" : "ListVariables",
				  argc - 1,
				  argv + 1);
	if (g_strcmp0(argv[1], "add") == 0)
		return secrets ? secrets_add(ctx, argc - 1, argv + 1)
			       : variables_add(ctx, argc - 1, argv + 1);
	if (g_strcmp0(argv[1], "delete") == 0)
		return store_delete(ctx,
				    command,
				    secrets ? "DeleteSecret" : "DeleteVariable",
				    argc - 1,
				    argv + 1);
	return hubctl_usage_error(group, _("expected list, add or delete"));
}

gint
hubctl_spaces_secrets(HubctlContext *ctx, gint argc, gchar **argv)
{
	return store_group(ctx, TRUE, argc, argv);
}

gint
hubctl_spaces_variables(HubctlContext *ctx, gint argc, gchar **argv)
{
	return store_group(ctx, FALSE, argc, argv);
}

/* a{ss} of a table */
static GVariant *
pairs_variant(GHashTable *pairs)
{
	GVariantBuilder b;
	GHashTableIter iter;
	gpointer k;
	gpointer v;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a{ss}"));
	g_hash_table_iter_init(&iter, pairs);
	while (g_hash_table_iter_next(&iter, &k, &v))
		g_variant_builder_add(&b, "{ss}", k, v);
	return g_variant_builder_end(&b);
}

gint
hubctl_spaces_duplicate(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean private_ = FALSE;
	gboolean public_ = FALSE;
	g_autofree gchar *hardware = NULL;
	gint sleep_time = G_MININT;
	g_autofree gchar *secrets_file = NULL;
	g_autofree gchar *env_file = NULL;
	g_auto(GStrv) env = NULL;
	g_autoptr(GHashTable) secrets =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GDBusProxy) proxy = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	GVariantBuilder options;
	const gchar *url = NULL;
	const GOptionEntry entries[] = {
		{"private", 0, 0, G_OPTION_ARG_NONE, &private_, N_("Make the copy private"), NULL},
		{"public", 0, 0, G_OPTION_ARG_NONE, &public_, N_("Make the copy public"), NULL},
		{"flavor",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &hardware,
		 N_("The copy's hardware"),
		 N_("FLAVOR")},
		{"sleep-time",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &sleep_time,
		 N_("The copy's sleep time"),
		 N_("SECONDS")},
		{"secrets-file",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &secrets_file,
		 N_("Secrets of the copy, KEY=VALUE lines"),
		 N_("FILE")},
		{"env",
		 'e',
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &env,
		 N_("A variable of the copy"),
		 N_("KEY=VALUE")},
		{"env-file",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &env_file,
		 N_("Variables of the copy"),
		 N_("FILE")},
		{NULL},
	};

	if (!hubctl_parse_options("spaces duplicate",
				  _("FROM_ID [TO_ID]"),
				  _("Copy a Space, into your namespace unless TO_ID names another"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc < 2 || argc > 3)
		return hubctl_usage_error("spaces duplicate", _("expected FROM_ID [TO_ID]"));
	if (private_ && public_)
		return hubctl_usage_error("spaces duplicate", _("--private or --public, not both"));
	if ((secrets_file != NULL && !hubctl_spaces_read_env_file(secrets_file, secrets, &error)) ||
	    (env_file != NULL && !hubctl_spaces_read_env_file(env_file, vars, &error))) {
		g_printerr("hubctl: %s\n", error->message);
		return HUBCTL_EXIT_FAILED;
	}
	if (!hubctl_spaces_add_pairs((const gchar *const *)env,
				     vars,
				     "spaces duplicate",
				     &exit_code))
		return exit_code;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (private_ || public_)
		g_variant_builder_add(&options, "{sv}", "private", g_variant_new_boolean(private_));
	if (hardware != NULL)
		g_variant_builder_add(&options, "{sv}", "hardware", g_variant_new_string(hardware));
	if (sleep_time != G_MININT)
		g_variant_builder_add(&options,
				      "{sv}",
				      "sleep_time",
				      g_variant_new_int64(sleep_time));
	if (g_hash_table_size(secrets) > 0)
		g_variant_builder_add(&options, "{sv}", "secrets", pairs_variant(secrets));
	if (g_hash_table_size(vars) > 0)
		g_variant_builder_add(&options, "{sv}", "variables", pairs_variant(vars));
	proxy = hubctl_spaces_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	reply = hubctl_spaces_call(
		proxy,
		"Duplicate",
		g_variant_new("(ssa{sv})", argv[1], argc == 3 ? argv[2] : "", &options),
		&error);
	if (reply == NULL)
		return hubctl_report_error(error);
	g_variant_get(reply, "(&s)", &url);
	g_print("%s\n", url);
	return HUBCTL_EXIT_OK;
}
