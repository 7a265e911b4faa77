/* hubctl-storage.c: `hubctl storage list|test|add|remove` — the storage backends hubd knows
 * (org.hubd.Hub1.Storage) */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "hubctl.h"

/* a probe of a slow bucket: connection, put, get and delete */
#define STORAGE_CALL_TIMEOUT_MS (5 * 60 * 1000)

static const GOptionEntry json_entries[] = {
	{"json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print JSON instead of text"), NULL},
	{NULL},
};

static HubdClient *
hubctl_storage_proxy(HubctlContext *ctx)
{
	return hubctl_context_get_client(ctx);
}

static GVariant *
no_options(void)
{
	return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
}

static gint
hubctl_storage_list(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	GOptionEntry entries[G_N_ELEMENTS(json_entries)];
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) backends = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubctlTable) table = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	GVariantIter iter;
	GVariant *entry;

	memcpy(entries, json_entries, sizeof entries);
	entries[0].arg_data = &json;
	if (!hubctl_parse_options("storage list",
				  NULL,
				  _("List the storage backends of hubd.conf"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc > 1)
		return hubctl_usage_error("storage list", _("list takes no arguments"));
	proxy = hubctl_storage_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_STORAGE,
			 "ListBackends",
			 g_variant_new("(@a{sv})", no_options()),
			 STORAGE_CALL_TIMEOUT_MS,
			 &error,
			 "(@aa{sv})",
			 &backends))
		return hubctl_report_error(error);
	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(backends);
		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	table = hubctl_table_new(3);
	hubctl_table_set_headers(table, _("NAME"), _("URL"), _("MIRROR"), NULL);
	g_variant_iter_init(&iter, backends);
	while ((entry = g_variant_iter_next_value(&iter)) != NULL) {
		const gchar *name = "";
		const gchar *url = "";
		gboolean mirror = FALSE;
		g_variant_lookup(entry, "name", "&s", &name);
		g_variant_lookup(entry, "url", "&s", &url);
		g_variant_lookup(entry, "mirror", "b", &mirror);
		hubctl_table_add_row(table, name, url, mirror ? _("yes") : "", NULL);
		g_variant_unref(entry);
	}
	hubctl_table_print(table);
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_storage_test(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	GOptionEntry entries[G_N_ELEMENTS(json_entries)];
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) report = NULL;
	g_autoptr(GError) error = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	const gchar *url = "";

	memcpy(entries, json_entries, sizeof entries);
	entries[0].arg_data = &json;
	if (!hubctl_parse_options(
		    "storage test",
		    "NAME",
		    _("Put, read back and delete a probe object in a storage backend"),
		    entries,
		    &argc,
		    &argv,
		    &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error("storage test", _("test takes one backend NAME"));
	proxy = hubctl_storage_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_STORAGE,
			 "TestBackend",
			 g_variant_new("(s@a{sv})", argv[1], no_options()),
			 STORAGE_CALL_TIMEOUT_MS,
			 &error,
			 "(@a{sv})",
			 &report))
		return hubctl_report_error(error);
	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(report);
		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	/* quiet on success, as a good Unix tool; the URL says which backend */
	g_variant_lookup(report, "url", "&s", &url);
	if (hubctl_stdout_is_tty())
		g_print(_("%s works (put, get, delete)\n"), url);
	return HUBCTL_EXIT_OK;
}

/* ---- add, remove: plain D-Bus calls (no generated proxy in new code) ---- */

#define MAX_SECRET_INPUT 4096

static GVariant *
hubctl_storage_call(HubctlContext *ctx, const gchar *method, GVariant *parameters, GError **error)
{
	GDBusConnection *connection = hubctl_context_get_connection(ctx);

	if (connection == NULL) {
		g_variant_unref(g_variant_ref_sink(parameters));
		return NULL;
	}
	return g_dbus_connection_call_sync(connection,
					   hubctl_context_get_bus_name(ctx),
					   HUBCTL_OBJECT_PATH,
					   HUBD_INTERFACE_STORAGE,
					   method,
					   parameters,
					   NULL,
					   G_DBUS_CALL_FLAGS_NONE,
					   STORAGE_CALL_TIMEOUT_MS,
					   NULL,
					   error);
}

/* The secret from stdin, without its trailing line break; NULL if empty. */
static gchar *
hubctl_storage_read_secret(void)
{
	gchar buf[MAX_SECRET_INPUT + 1];
	gsize len = fread(buf, 1, MAX_SECRET_INPUT, stdin);
	gchar *secret;

	buf[len] = '\0';
	secret = g_strstrip(g_strdup(buf));
	memset(buf, 0, sizeof buf);
	if (secret[0] == '\0') {
		g_free(secret);
		return NULL;
	}
	return secret;
}

static gint
hubctl_storage_add(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *endpoint = NULL;
	g_autofree gchar *region = NULL;
	g_autofree gchar *key_id = NULL;
	g_autofree gchar *profile = NULL;
	g_autofree gchar *ca_bundle = NULL;
	gboolean secret_stdin = FALSE;
	gboolean env = FALSE;
	const GOptionEntry entries[] = {
		{"endpoint",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &endpoint,
		 N_("The S3 server (default: AWS in the region)"),
		 "URL"},
		{"region",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &region,
		 N_("The bucket's region (default: us-east-1)"),
		 "R"},
		{"access-key-id",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &key_id,
		 N_("The access key id; its secret comes from --secret-stdin or the keyring"),
		 "ID"},
		{"ca-bundle",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &ca_bundle,
		 N_("Check the S3 server's certificate against the CAs of this PEM file"),
		 N_("FILE")},
		{"secret-stdin",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &secret_stdin,
		 N_("Read the secret access key from stdin and store it in the keyring"),
		 NULL},
		{"aws-profile",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &profile,
		 N_("Use this profile of ~/.aws/credentials instead of the keyring"),
		 "P"},
		{"aws-env",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &env,
		 N_("Use hubd's AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead of the "
		    "keyring"),
		 NULL},
		{NULL},
	};
	g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *secret = NULL;
	gint exit_code = HUBCTL_EXIT_OK;

	if (!hubctl_parse_options("storage add",
				  "NAME URL",
				  _("Add a storage backend (s3://BUCKET[/PREFIX] or file:///PATH) "
				    "to hubd.conf"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 3)
		return hubctl_usage_error("storage add", _("add takes a NAME and a URL"));
	if ((secret_stdin ? 1 : 0) + (profile != NULL ? 1 : 0) + (env ? 1 : 0) > 1)
		return hubctl_usage_error("storage add",
					  _("--secret-stdin, --aws-profile and --aws-env do not "
					    "go together"));
	if (secret_stdin && key_id == NULL)
		return hubctl_usage_error("storage add", _("--secret-stdin needs --access-key-id"));
	if (endpoint != NULL)
		g_variant_builder_add(&options, "{sv}", "endpoint", g_variant_new_string(endpoint));
	if (region != NULL)
		g_variant_builder_add(&options, "{sv}", "region", g_variant_new_string(region));
	if (ca_bundle != NULL) {
		/* hubd runs elsewhere: the path as the user meant it here */
		g_autofree gchar *absolute = g_canonicalize_filename(ca_bundle, NULL);
		g_variant_builder_add(&options,
				      "{sv}",
				      "ca_bundle",
				      g_variant_new_string(absolute));
	}
	if (key_id != NULL)
		g_variant_builder_add(&options,
				      "{sv}",
				      "access_key_id",
				      g_variant_new_string(key_id));
	if (profile != NULL) {
		g_variant_builder_add(&options,
				      "{sv}",
				      "credentials",
				      g_variant_new_string("profile"));
		g_variant_builder_add(&options, "{sv}", "profile", g_variant_new_string(profile));
	}
	if (env)
		g_variant_builder_add(&options, "{sv}", "credentials", g_variant_new_string("env"));
	if (secret_stdin) {
		secret = hubctl_storage_read_secret();
		if (secret == NULL)
			return hubctl_usage_error("storage add",
						  _("--secret-stdin read no secret from stdin"));
		g_variant_builder_add(&options,
				      "{sv}",
				      "secret_access_key",
				      g_variant_new_string(secret));
		memset(secret, 0, strlen(secret));
	}
	reply = hubctl_storage_call(
		ctx,
		"AddBackend",
		g_variant_new("(ss@a{sv})", argv[1], argv[2], g_variant_builder_end(&options)),
		&error);
	if (reply == NULL)
		return error != NULL ? hubctl_report_error(error) : HUBCTL_EXIT_UNREACHABLE;
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_storage_remove(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	gint exit_code = HUBCTL_EXIT_OK;

	if (!hubctl_parse_options(
		    "storage remove",
		    "NAME",
		    _("Remove a storage backend from hubd.conf, and its secret from the keyring"),
		    NULL,
		    &argc,
		    &argv,
		    &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error("storage remove", _("remove takes one backend NAME"));
	reply = hubctl_storage_call(ctx,
				    "RemoveBackend",
				    g_variant_new("(s@a{sv})", argv[1], no_options()),
				    &error);
	if (reply == NULL)
		return error != NULL ? hubctl_report_error(error) : HUBCTL_EXIT_UNREACHABLE;
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_storage_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;
		fprintf(out, "%s\n\n", _("Usage: hubctl storage COMMAND [OPTIONS]"));
		fprintf(out, "  %-8s %s\n", "list", _("List the storage backends of hubd.conf"));
		fprintf(out,
			"  %-8s %s\n",
			"test",
			_("Put, read back and delete a probe object in a storage backend"));
		fprintf(out, "  %-8s %s\n", "add", _("Add a storage backend to hubd.conf"));
		fprintf(out, "  %-8s %s\n", "remove", _("Remove a storage backend"));
		fprintf(out,
			"  %-8s %s\n",
			"publish",
			_("Upload objects of a storage backend to a repo in one commit"));
		fprintf(out, "\n%s\n", _("Run 'hubctl storage COMMAND --help' for its options."));
		return argc < 2 ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	if (g_strcmp0(argv[1], "list") == 0)
		return hubctl_storage_list(ctx, argc - 1, argv + 1);
	if (g_strcmp0(argv[1], "test") == 0)
		return hubctl_storage_test(ctx, argc - 1, argv + 1);
	if (g_strcmp0(argv[1], "add") == 0)
		return hubctl_storage_add(ctx, argc - 1, argv + 1);
	if (g_strcmp0(argv[1], "remove") == 0)
		return hubctl_storage_remove(ctx, argc - 1, argv + 1);
	if (g_strcmp0(argv[1], "publish") == 0)
		return hubctl_storage_publish(ctx, argc - 1, argv + 1);
	{
		g_autofree gchar *message = g_strdup_printf(
			_("unknown command “%s” (list, test, add, remove, publish)"),
			argv[1]);
		return hubctl_usage_error("storage", message);
	}
}

const HubctlCommand hubctl_storage_command = {
	"storage",
	N_("storage list|test|add|remove|publish"),
	N_("List and test storage backends (folders, S3 buckets)"),
	hubctl_storage_run,
};
