/* hubctl-spaces-logs.c: `hubctl spaces logs` (a Space's build or run log,
 * followed with -f, from the LogLine signals hubd sends this caller) and
 * `hubctl spaces wait` (a Wait job, its phase — the Space's stage — as the
 * live status line on a terminal) */
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "hubctl-spaces.h"

typedef struct {
	GMainLoop *loop;
	guint64 id; /* 0 until StreamLogs answered */
	gboolean json;
	gchar *error_name; /* LogsEnded's; NULL until it came */
	gchar *message;
	gboolean interrupted;
} Logs;

static void
logs_signal_cb(GDBusProxy *proxy,
	       const gchar *sender,
	       const gchar *name,
	       GVariant *params,
	       gpointer user_data)
{
	Logs *l = user_data;
	guint64 id = 0;
	const gchar *a = NULL;
	const gchar *b = NULL;

	if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(tss)")))
		return;
	g_variant_get(params, "(t&s&s)", &id, &a, &b);
	/* lines may come before the reply naming the stream: only one runs */
	if (l->id != 0 && id != l->id)
		return;
	if (g_strcmp0(name, "LogLine") == 0) {
		if (l->json) {
			g_autoptr(JsonBuilder) jb = json_builder_new();
			g_autoptr(JsonGenerator) gen = json_generator_new();
			g_autoptr(JsonNode) node = NULL;
			g_autofree gchar *text = NULL;

			json_builder_begin_object(jb);
			json_builder_set_member_name(jb, "line");
			json_builder_add_string_value(jb, a);
			json_builder_set_member_name(jb, "timestamp");
			json_builder_add_string_value(jb, b);
			json_builder_end_object(jb);
			node = json_builder_get_root(jb);
			json_generator_set_root(gen, node);
			text = json_generator_to_data(gen, NULL);
			g_print("%s\n", text);
		} else {
			g_print("%s\n", a);
		}
		fflush(stdout);
	} else if (g_strcmp0(name, "LogsEnded") == 0) {
		l->error_name = g_strdup(a);
		l->message = g_strdup(b);
		g_main_loop_quit(l->loop);
	}
}

static gboolean
logs_sigint_cb(gpointer user_data)
{
	Logs *l = user_data;

	l->interrupted = TRUE;
	g_main_loop_quit(l->loop);
	return G_SOURCE_REMOVE;
}

gint
hubctl_spaces_logs(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean build = FALSE;
	gboolean follow = FALSE;
	gboolean json = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	g_autoptr(GDBusProxy) proxy = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	Logs l = {0};
	gulong handler;
	guint sigint;
	const GOptionEntry entries[] = {
		{"build",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &build,
		 N_("The build log, not the run log"),
		 NULL},
		{"follow",
		 'f',
		 0,
		 G_OPTION_ARG_NONE,
		 &follow,
		 N_("Keep printing new lines until the Space stops (or Ctrl-C)"),
		 NULL},
		{"json",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &json,
		 N_("One JSON object per line: line, timestamp"),
		 NULL},
		{NULL},
	};

	if (!hubctl_parse_options("spaces logs",
				  _("SPACE_ID"),
				  _("Print a Space's run (or build) log"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error("spaces logs", _("expected one SPACE_ID"));
	proxy = hubctl_spaces_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	loop = g_main_loop_new(NULL, FALSE);
	l.loop = loop;
	l.json = json;
	/* subscribed before the call: the first lines may come right after it */
	handler = g_signal_connect(proxy, "g-signal", G_CALLBACK(logs_signal_cb), &l);
	reply = hubctl_spaces_call(proxy,
				   "StreamLogs",
				   g_variant_new("(ssb@a{sv})",
						 argv[1],
						 build ? "build" : "run",
						 follow,
						 g_variant_new("a{sv}", NULL)),
				   &error);
	if (reply == NULL) {
		g_signal_handler_disconnect(proxy, handler);
		return hubctl_report_error(error);
	}
	g_variant_get(reply, "(t)", &l.id);
	sigint = g_unix_signal_add(SIGINT, logs_sigint_cb, &l);
	if (l.error_name == NULL)
		g_main_loop_run(loop);
	if (l.interrupted) {
		g_autoptr(GVariant) stopped = hubctl_spaces_call(
			proxy,
			"StopLogs",
			g_variant_new("(t@a{sv})", l.id, g_variant_new("a{sv}", NULL)),
			NULL);
		exit_code = HUBCTL_EXIT_CANCELLED;
	} else {
		g_source_remove(sigint);
	}
	g_signal_handler_disconnect(proxy, handler);
	if (exit_code == HUBCTL_EXIT_OK && l.error_name != NULL && l.error_name[0] != '\0') {
		g_autoptr(GError) ended = g_dbus_error_new_for_dbus_error(l.error_name, l.message);

		exit_code = hubctl_report_error(ended);
	}
	g_free(l.error_name);
	g_free(l.message);
	return exit_code;
}

gint
hubctl_spaces_wait(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gint timeout = 0;
	g_autofree gchar *stage = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	g_autoptr(GDBusProxy) proxy = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	GVariantBuilder options;
	const gchar *job = NULL;
	const GOptionEntry entries[] = {
		{"timeout",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &timeout,
		 N_("Give up after this many seconds (default: wait for ever)"),
		 N_("SECONDS")},
		{"stage",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &stage,
		 N_("Wait for this stage instead of RUNNING"),
		 N_("STAGE")},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options("spaces wait",
				  _("SPACE_ID"),
				  _("Wait until a Space runs; fail with its error if it does not"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error("spaces wait", _("expected one SPACE_ID"));
	if (timeout < 0)
		return hubctl_usage_error("spaces wait", _("--timeout takes a number of seconds"));
	proxy = hubctl_spaces_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (timeout > 0)
		g_variant_builder_add(&options, "{sv}", "timeout", g_variant_new_uint32(timeout));
	if (stage != NULL)
		g_variant_builder_add(&options, "{sv}", "stage", g_variant_new_string(stage));
	reply = hubctl_spaces_call(proxy,
				   "Wait",
				   g_variant_new("(sa{sv})", argv[1], &options),
				   &error);
	if (reply == NULL)
		return hubctl_report_error(error);
	g_variant_get(reply, "(&o)", &job);
	/* the job's phase is the Space's stage: the live status line on a TTY */
	exit_code = hubctl_job_wait(ctx, job, FALSE, &result);
	if (exit_code == HUBCTL_EXIT_OK && json && result != NULL) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(result);

		hubctl_print_json(node);
	}
	return exit_code;
}
