/* hubd-spaces-logs.c: Spaces.StreamLogs / StopLogs — a Space's build or run
 * log, read from the Hub's server-sent events and sent line by line as
 * LogLine signals to the caller alone, ended by one LogsEnded
 *
 * Each event is `data: {"data": LINE, "timestamp": ISO}`; empty `data:`
 * lines are keep-alives (docs/hub-spaces.md §5). Without follow, the stream
 * ends once no event came for a moment (huggingface_hub stops on a read
 * timeout the same way). A stream ends too when its caller leaves. */
#define G_LOG_DOMAIN "HubdSpaces"

#include <glib/gi18n.h>

#include "hubd-spaces-plugin.h"

/* without follow: this long with no event means the log is drained */
#define DRAIN_IDLE_MS 1500
/* a line longer than this is cut (a log line, not a file) */
#define MAX_LINE (64 * 1024)

struct _HubdSpacesLogs {
	HubdService *service; /* not owned: the plugin owns us */
	GHashTable *streams;  /* id -> LogStream* */
	guint64 next_id;
};

typedef struct {
	HubdSpacesLogs *logs;
	guint64 id;
	GDBusConnection *connection;
	gchar *sender; /* NULL on a peer-to-peer connection */
	gchar *space_id;
	gboolean follow;
	GCancellable *cancellable;
	GDataInputStream *data;
	guint idle_id;
	guint watch_id; /* the caller's name on the bus */
	gulong closed_id;
	gboolean ended;
	gboolean pending; /* a Hub request or a read is in flight */
} LogStream;

static void
stream_emit(LogStream *s, const gchar *signal, GVariant *params)
{
	g_autoptr(GError) error = NULL;

	/* to the caller only: a log is the Space owner's business */
	if (!g_dbus_connection_emit_signal(s->connection,
					   s->sender,
					   HUBD_OBJECT_PATH,
					   HUBD_SPACES_IFACE,
					   signal,
					   params,
					   &error))
		g_debug("log stream %" G_GUINT64_FORMAT ": %s", s->id, error->message);
}

static void
stream_free(LogStream *s)
{
	g_clear_handle_id(&s->idle_id, g_source_remove);
	if (s->watch_id != 0)
		g_bus_unwatch_name(s->watch_id);
	if (s->closed_id != 0)
		g_signal_handler_disconnect(s->connection, s->closed_id);
	g_clear_object(&s->data);
	g_object_unref(s->cancellable);
	g_object_unref(s->connection);
	g_free(s->sender);
	g_free(s->space_id);
	hubd_context_release(hubd_service_get_context(s->logs->service));
	g_free(s);
}

/* Sends LogsEnded once and forgets the stream; `error` is taken. */
static void
stream_end(LogStream *s, GError *error)
{
	const gchar *name = "";
	g_autofree gchar *dbus_name = NULL;

	if (s->ended) {
		g_clear_error(&error);
		return;
	}
	s->ended = TRUE;
	if (error != NULL) {
		hubd_error_convert(&error);
		dbus_name = g_dbus_error_encode_gerror(error);
		name = dbus_name;
	}
	stream_emit(s,
		    "LogsEnded",
		    g_variant_new("(tss)", s->id, name, error != NULL ? error->message : ""));
	g_clear_error(&error);
	g_cancellable_cancel(s->cancellable);
	/* the request or read in flight, if any, ends cancelled and frees it */
	if (!s->pending)
		g_hash_table_remove(s->logs->streams, &s->id);
}

static void
stream_read_next(LogStream *s);

static gboolean
stream_idle_cb(gpointer user_data)
{
	LogStream *s = user_data;

	s->idle_id = 0;
	stream_end(s, NULL);
	return G_SOURCE_REMOVE;
}

static void
stream_event(LogStream *s, const gchar *payload)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *o;
	const gchar *line;
	const gchar *when;

	if (!json_parser_load_from_data(parser, payload, -1, NULL) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
		return;
	o = json_node_get_object(json_parser_get_root(parser));
	line = json_object_get_string_member_with_default(o, "data", NULL);
	when = json_object_get_string_member_with_default(o, "timestamp", "");
	if (line == NULL || !g_utf8_validate(line, -1, NULL) || !g_utf8_validate(when, -1, NULL))
		return;
	stream_emit(s, "LogLine", g_variant_new("(tss)", s->id, line, when));
	if (!s->follow) {
		g_clear_handle_id(&s->idle_id, g_source_remove);
		s->idle_id = g_timeout_add(DRAIN_IDLE_MS, stream_idle_cb, s);
	}
}

static void
stream_line_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	LogStream *s = user_data;
	GError *error = NULL;
	gsize len = 0;
	g_autofree gchar *line =
		g_data_input_stream_read_line_finish_utf8(G_DATA_INPUT_STREAM(source),
							  res,
							  &len,
							  &error);

	s->pending = FALSE;
	if (s->ended) {
		g_clear_error(&error);
		g_hash_table_remove(s->logs->streams, &s->id);
		return;
	}
	if (line == NULL) {
		/* EOF: the Hub ended the stream (the Space stopped, or the build is done) */
		stream_end(s, error);
		return;
	}
	if (len > MAX_LINE)
		line[MAX_LINE] = '\0';
	/* only `data: {…}` lines are events; keep-alives and the rest are skipped */
	if (g_str_has_prefix(line, "data: {"))
		stream_event(s, line + strlen("data: "));
	stream_read_next(s);
}

static void
stream_read_next(LogStream *s)
{
	s->pending = TRUE;
	g_data_input_stream_read_line_async(s->data,
					    G_PRIORITY_DEFAULT,
					    s->cancellable,
					    stream_line_cb,
					    s);
}

static void
stream_opened_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	LogStream *s = user_data;
	GError *error = NULL;
	g_autoptr(GInputStream) body =
		hubd_hub_api_space_logs_finish(HUBD_HUB_API(source), res, &error);

	s->pending = FALSE;
	if (s->ended) {
		g_clear_error(&error);
		g_hash_table_remove(s->logs->streams, &s->id);
		return;
	}
	if (body == NULL) {
		stream_end(s, error);
		return;
	}
	s->data = g_data_input_stream_new(body);
	g_data_input_stream_set_newline_type(s->data, G_DATA_STREAM_NEWLINE_TYPE_ANY);
	if (!s->follow)
		s->idle_id = g_timeout_add(DRAIN_IDLE_MS, stream_idle_cb, s);
	stream_read_next(s);
}

static void
stream_caller_gone(LogStream *s)
{
	g_debug("log stream %" G_GUINT64_FORMAT ": its caller left", s->id);
	stream_end(s, NULL);
}

static void
stream_vanished_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	stream_caller_gone(user_data);
}

static void
stream_closed_cb(GDBusConnection *connection,
		 gboolean remote_peer_vanished,
		 GError *error,
		 gpointer user_data)
{
	stream_caller_gone(user_data);
}

HubdSpacesLogs *
hubd_spaces_logs_new(HubdService *service)
{
	HubdSpacesLogs *logs = g_new0(HubdSpacesLogs, 1);

	logs->service = service;
	logs->streams = g_hash_table_new_full(g_int64_hash,
					      g_int64_equal,
					      NULL,
					      (GDestroyNotify)stream_free);
	logs->next_id = 1;
	return logs;
}

void
hubd_spaces_logs_free(HubdSpacesLogs *logs)
{
	g_hash_table_unref(logs->streams);
	g_free(logs);
}

void
hubd_spaces_logs_start(HubdSpacesLogs *logs,
		       GDBusMethodInvocation *invocation,
		       const gchar *space_id,
		       const gchar *kind,
		       gboolean follow,
		       GVariant *options)
{
	HubdContext *context = hubd_service_get_context(logs->service);
	g_autoptr(HubdHubApi) api = NULL;
	HubdHubSpaceLogKind log_kind;
	GError *error = NULL;
	LogStream *s;

	if (!hubd_service_check_hub_options(options, NULL, &error) ||
	    !hubd_repo_id_validate(space_id, TRUE, &error)) {
		hubd_service_return_error(invocation, error);
		return;
	}
	if (g_strcmp0(kind, "build") == 0) {
		log_kind = HUBD_HUB_SPACE_LOGS_BUILD;
	} else if (g_strcmp0(kind, "run") == 0) {
		log_kind = HUBD_HUB_SPACE_LOGS_RUN;
	} else {
		hubd_service_return_error(invocation,
					  g_error_new(HUBD_ERROR,
						      HUBD_ERROR_INVALID_ARGUMENT,
						      _("Unknown log “%s”: use build or run"),
						      kind));
		return;
	}
	api = hubd_hub_api_new_for_call(hubd_context_get_hub_api(context), options);
	s = g_new0(LogStream, 1);
	s->logs = logs;
	s->id = logs->next_id++;
	s->connection = g_object_ref(g_dbus_method_invocation_get_connection(invocation));
	s->sender = g_strdup(g_dbus_method_invocation_get_sender(invocation));
	s->space_id = g_strdup(space_id);
	s->follow = follow;
	s->cancellable = g_cancellable_new();
	/* hold the daemon while a stream runs: an idle hubd must not exit under it */
	hubd_context_hold(context);
	if (s->sender != NULL)
		s->watch_id = g_bus_watch_name_on_connection(s->connection,
							     s->sender,
							     G_BUS_NAME_WATCHER_FLAGS_NONE,
							     NULL,
							     stream_vanished_cb,
							     s,
							     NULL);
	else
		s->closed_id =
			g_signal_connect(s->connection, "closed", G_CALLBACK(stream_closed_cb), s);
	g_hash_table_insert(logs->streams, &s->id, s);
	g_dbus_method_invocation_return_value(invocation, g_variant_new("(t)", s->id));
	s->pending = TRUE;
	hubd_hub_api_space_logs_async(api, space_id, log_kind, s->cancellable, stream_opened_cb, s);
}

void
hubd_spaces_logs_stop(HubdSpacesLogs *logs,
		      GDBusMethodInvocation *invocation,
		      guint64 stream_id,
		      GVariant *options)
{
	LogStream *s;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return;
	s = g_hash_table_lookup(logs->streams, &stream_id);
	/* another caller's stream is not there for this one */
	if (s == NULL || s->ended ||
	    g_strcmp0(s->sender, g_dbus_method_invocation_get_sender(invocation)) != 0 ||
	    s->connection != g_dbus_method_invocation_get_connection(invocation)) {
		hubd_service_return_error(
			invocation,
			g_error_new(HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("No log stream %" G_GUINT64_FORMAT " of yours is running"),
				    stream_id));
		return;
	}
	g_dbus_method_invocation_return_value(invocation, NULL);
	stream_end(s, NULL);
}
