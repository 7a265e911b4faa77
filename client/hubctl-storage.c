/* hubctl-storage.c: `hubctl storage list|test` — the storage backends hubd knows
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

static gint
hubctl_storage_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;
		fprintf(out, "%s\n\n", _("Usage: hubctl storage COMMAND [OPTIONS]"));
		fprintf(out, "  %-5s %s\n", "list", _("List the storage backends of hubd.conf"));
		fprintf(out,
			"  %-5s %s\n",
			"test",
			_("Put, read back and delete a probe object in a storage backend"));
		fprintf(out, "\n%s\n", _("Run 'hubctl storage COMMAND --help' for its options."));
		return argc < 2 ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	if (g_strcmp0(argv[1], "list") == 0)
		return hubctl_storage_list(ctx, argc - 1, argv + 1);
	if (g_strcmp0(argv[1], "test") == 0)
		return hubctl_storage_test(ctx, argc - 1, argv + 1);
	{
		g_autofree gchar *message =
			g_strdup_printf(_("unknown command “%s” (list, test)"), argv[1]);
		return hubctl_usage_error("storage", message);
	}
}

const HubctlCommand hubctl_storage_command = {
	"storage",
	N_("storage list|test"),
	N_("List and test storage backends (folders, S3 buckets)"),
	hubctl_storage_run,
};
