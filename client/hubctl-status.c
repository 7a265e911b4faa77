/* hubctl-status.c: `hubctl status` — what the running hubd says about itself */
#include <glib/gi18n.h>

#include "hubctl.h"

/* GetStatus keys in the order they are printed; they are also the --json
 * names, an interface (scripts and tests parse them): never rename. */
static const gchar *const hubctl_status_keys[] = {
	"version",
	"endpoint",
	"plugins",
	"plugin_errors",
	"services",
	"connection",
	"socket",
	"bus_name_owned",
	"pid",
	"uptime",
	"peers",
	"mirror",
	"webhooks_url",
};

static gboolean
hubctl_status_is_known_key(const gchar *key)
{
	for (guint i = 0; i < G_N_ELEMENTS(hubctl_status_keys); i++) {
		if (g_strcmp0(hubctl_status_keys[i], key) == 0)
			return TRUE;
	}
	return FALSE;
}

static JsonNode *
hubctl_status_to_json(HubctlContext *ctx, GVariant *status)
{
	g_autoptr(JsonObject) object = json_object_new();
	GVariantIter iter;
	const gchar *key;
	GVariant *raw_value;

	for (guint i = 0; i < G_N_ELEMENTS(hubctl_status_keys); i++) {
		g_autoptr(GVariant) item =
			g_variant_lookup_value(status, hubctl_status_keys[i], NULL);
		/* an older hubd may lack a key: null, so the key set stays fixed */
		json_object_set_member(object,
				       hubctl_status_keys[i],
				       item != NULL ? hubctl_variant_to_json(item)
						    : json_node_init_null(json_node_alloc()));
	}
	/* keys from a newer hubd are passed on as they are (snake_case too) */
	g_variant_iter_init(&iter, status);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &raw_value)) {
		g_autoptr(GVariant) value = raw_value;
		if (hubctl_status_is_known_key(key))
			continue;
		json_object_set_member(object, key, hubctl_variant_to_json(value));
	}
	json_object_set_string_member(object,
				      "client_connection",
				      hubctl_context_get_connection_label(ctx));
	return json_node_init_object(json_node_alloc(), object);
}

static gchar *
hubctl_status_format_uptime(guint64 seconds)
{
	guint64 days = seconds / 86400;
	guint hours = (guint)(seconds % 86400 / 3600);
	guint minutes = (guint)(seconds % 3600 / 60);
	guint secs = (guint)(seconds % 60);

	/* TRANSLATORS: compact durations; d = days, h = hours, min = minutes, s = seconds */
	if (days > 0)
		/* a G_GUINT64_FORMAT inside _() would hide the string from xgettext */
		return g_strdup_printf(_("%u d %u h %u min"),
				       (guint)MIN(days, G_MAXUINT),
				       hours,
				       minutes);
	if (hours > 0)
		return g_strdup_printf(_("%u h %u min %u s"), hours, minutes, secs);
	if (minutes > 0)
		return g_strdup_printf(_("%u min %u s"), minutes, secs);
	return g_strdup_printf(_("%u s"), secs);
}

static const gchar *
hubctl_status_lookup_string(GVariant *status, const gchar *key)
{
	const gchar *value = NULL;

	if (!g_variant_lookup(status, key, "&s", &value))
		return _("unknown");
	return value;
}

static gchar *
hubctl_status_join_strv(GVariant *status, const gchar *key)
{
	g_autofree const gchar **strv = NULL;

	if (!g_variant_lookup(status, key, "^a&s", &strv))
		return g_strdup(_("unknown"));
	if (strv[0] == NULL)
		return g_strdup(_("none"));
	return g_strjoinv(", ", (gchar **)strv);
}

static gint
hubctl_status_compare_lines(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* One row per failed plugin, sorted by file name; the label only on the first. */
static void
hubctl_status_add_plugin_errors(HubctlTable *table, const gchar *label, GVariant *status)
{
	g_autoptr(GVariant) errors = g_variant_lookup_value(status, "plugin_errors", NULL);
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	GVariantIter iter;
	const gchar *file;
	const gchar *reason;

	if (errors == NULL || !g_variant_is_of_type(errors, G_VARIANT_TYPE("a{ss}"))) {
		hubctl_table_add_row(table, label, _("unknown"));
		return;
	}
	g_variant_iter_init(&iter, errors);
	while (g_variant_iter_next(&iter, "{&s&s}", &file, &reason))
		g_ptr_array_add(lines, g_strdup_printf("%s: %s", file, reason));
	if (lines->len == 0) {
		hubctl_table_add_row(table, label, _("none"));
		return;
	}
	g_ptr_array_sort(lines, hubctl_status_compare_lines);
	for (guint i = 0; i < lines->len; i++)
		hubctl_table_add_row(table, i == 0 ? label : "", g_ptr_array_index(lines, i));
}

static void
hubctl_status_print_human(HubctlContext *ctx, GVariant *status)
{
	g_autoptr(HubctlTable) table = hubctl_table_new(2);
	g_autofree gchar *plugins = hubctl_status_join_strv(status, "plugins");
	g_autofree gchar *services = hubctl_status_join_strv(status, "services");
	g_autofree gchar *connection = NULL;
	g_autofree gchar *pid = NULL;
	g_autofree gchar *uptime = NULL;
	g_autofree gchar *peers = NULL;
	const gchar *socket = NULL;
	const gchar *mirror = NULL;
	const gchar *webhooks = NULL;
	gboolean owned = FALSE;
	guint32 u32 = 0;
	guint64 u64 = 0;

	if (hubctl_context_is_socket(ctx)) {
		/* TRANSLATORS: %s is a socket path */
		connection =
			g_strdup_printf(_("socket %s"), hubctl_context_get_connection_label(ctx));
	} else {
		connection = g_strdup(_("session bus"));
	}
	if (!g_variant_lookup(status, "socket", "&s", &socket))
		socket = _("unknown");
	else if (socket[0] == '\0')
		socket = _("not listening");
	pid = g_variant_lookup(status, "pid", "u", &u32) ? g_strdup_printf("%u", u32)
							 : g_strdup(_("unknown"));
	uptime = g_variant_lookup(status, "uptime", "t", &u64) ? hubctl_status_format_uptime(u64)
							       : g_strdup(_("unknown"));
	peers = g_variant_lookup(status, "peers", "u", &u32) ? g_strdup_printf("%u", u32)
							     : g_strdup(_("unknown"));

	hubctl_table_add_row(table, _("Version:"), hubctl_status_lookup_string(status, "version"));
	hubctl_table_add_row(table,
			     _("Endpoint:"),
			     hubctl_status_lookup_string(status, "endpoint"));
	hubctl_table_add_row(table, _("Plugins:"), plugins);
	hubctl_status_add_plugin_errors(table, _("Failed plugins:"), status);
	hubctl_table_add_row(table, _("Services:"), services);
	hubctl_table_add_row(table, _("Connection:"), connection);
	hubctl_table_add_row(table, _("Socket:"), socket);
	if (g_variant_lookup(status, "bus_name_owned", "b", &owned))
		hubctl_table_add_row(table, _("Bus name owned:"), owned ? _("yes") : _("no"));
	else
		hubctl_table_add_row(table, _("Bus name owned:"), _("unknown"));
	hubctl_table_add_row(table, _("Socket peers:"), peers);
	hubctl_table_add_row(table, _("PID:"), pid);
	hubctl_table_add_row(table, _("Uptime:"), uptime);
	if (g_variant_lookup(status, "mirror", "&s", &mirror) && mirror[0] != '\0')
		hubctl_table_add_row(table, _("Download mirror:"), mirror);
	if (g_variant_lookup(status, "webhooks_url", "&s", &webhooks) && webhooks[0] != '\0')
		hubctl_table_add_row(table, _("Webhook listener:"), webhooks);
	hubctl_table_print(table);
}

static gint
hubctl_status_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) status = NULL;
	HubdClient *daemon;
	const GOptionEntry entries[] = {
		{"json",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &json,
		 N_("Print one JSON object instead of text"),
		 NULL},
		{NULL},
	};

	context = g_option_context_new(NULL);
	g_option_context_set_summary(context, _(hubctl_status_command.summary));
	g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(context, &argc, &argv, &error))
		return hubctl_usage_error(argv[0], error->message);
	if (argc > 1)
		return hubctl_usage_error(argv[0], _("status takes no arguments"));

	daemon = hubctl_context_get_client(ctx);
	if (daemon == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(
		    daemon,
		    HUBD_INTERFACE_DAEMON,
		    "GetStatus",
		    g_variant_new("(@a{sv})", g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
		    -1,
		    &error,
		    "(@a{sv})",
		    &status))
		return hubctl_report_error(error);

	if (json) {
		g_autoptr(JsonNode) node = hubctl_status_to_json(ctx, status);
		hubctl_print_json(node);
	} else {
		hubctl_status_print_human(ctx, status);
	}
	return HUBCTL_EXIT_OK;
}

const HubctlCommand hubctl_status_command = {
	"status",
	N_("status [--json]"),
	N_("Show the running hubd: version, endpoint, plugins, connection"),
	hubctl_status_run,
};
