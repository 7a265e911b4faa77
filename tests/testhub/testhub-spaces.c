/* testhub-spaces.c: the Space runtime state machine of the local Hub, with
 * its build and run logs and the server-sent-event streams that follow them
 *
 * BUILDING → RUNNING (or BUILD_ERROR / RUNTIME_ERROR by fault injection);
 * RUNNING → PAUSED (pause), SLEEPING (no traffic for the sleep time);
 * restart, new hardware or a commit → BUILDING again. Static Spaces are
 * RUNNING at once and have no hardware, as on the Hub (docs/hub-spaces.md).
 * Timings are short: TESTHUB_SPACE_BUILD_MS (default 300) per build, and per
 * Space through the admin surface. */
#include "testhub-spaces.h"

#include "testhub-http.h"
#include "testhub-spaces-private.h"

/* cpu-basic's fixed sleep time, 48 h (docs/hub-spaces.md §2) */
#define CPU_BASIC_SLEEP 172800

static GHashTable *spaces; /* id -> TesthubSpace* */

static const struct {
	const gchar *name;
	const gchar *pretty;
	gint cpu;
	const gchar *ram;
	const gchar *gpu; /* NULL: no accelerator */
	gint vram_gb;
	gint64 micro_usd; /* per hour */
} flavors[] = {
	{"cpu-basic", "CPU basic", 2, "16 GB", NULL, 0, 0},
	{"cpu-upgrade", "CPU upgrade", 8, "32 GB", NULL, 0, 30000},
	{"t4-small", "Nvidia T4 - small", 4, "15 GB", "T4", 16, 400000},
	{"t4-medium", "Nvidia T4 - medium", 8, "30 GB", "T4", 16, 600000},
	{"a10g-small", "Nvidia A10G - small", 4, "15 GB", "A10G", 24, 1000000},
	{"a10g-large", "Nvidia A10G - large", 12, "46 GB", "A10G", 24, 1500000},
	{"a100-large", "Nvidia A100 - large", 12, "142 GB", "A100", 80, 2500000},
};

static void
log_line_free(LogLine *l)
{
	g_free(l->line);
	g_free(l);
}

static void
stream_end(LogStream *s);

static void
space_free(TesthubSpace *space)
{
	while (space->streams->len > 0)
		stream_end(g_ptr_array_index(space->streams, 0));
	g_clear_handle_id(&space->timer_id, g_source_remove);
	g_free(space->id);
	g_free(space->sdk);
	g_free(space->hw_requested);
	g_free(space->hw_current);
	g_free(space->error_message);
	g_free(space->fail);
	g_hash_table_unref(space->secrets);
	g_hash_table_unref(space->variables);
	g_ptr_array_unref(space->build_log);
	g_ptr_array_unref(space->run_log);
	g_ptr_array_unref(space->streams);
	g_free(space);
}

gboolean
testhub_space_flavor_is_known(const gchar *flavor)
{
	for (guint i = 0; i < G_N_ELEMENTS(flavors); i++) {
		if (g_strcmp0(flavors[i].name, flavor) == 0)
			return TRUE;
	}
	return FALSE;
}

JsonArray *
testhub_spaces_hardware_json(void)
{
	JsonArray *arr = json_array_new();

	for (guint i = 0; i < G_N_ELEMENTS(flavors); i++) {
		JsonObject *o = json_object_new();

		json_object_set_string_member(o, "name", flavors[i].name);
		json_object_set_string_member(o, "prettyName", flavors[i].pretty);
		json_object_set_int_member(o, "cpu", flavors[i].cpu);
		json_object_set_string_member(o, "ram", flavors[i].ram);
		if (flavors[i].gpu != NULL) {
			JsonObject *acc = json_object_new();

			json_object_set_string_member(acc, "type", "gpu");
			json_object_set_string_member(acc, "model", flavors[i].gpu);
			json_object_set_int_member(acc, "quantity", 1);
			json_object_set_int_member(acc, "vram", flavors[i].vram_gb);
			json_object_set_string_member(acc, "manufacturer", "Nvidia");
			json_object_set_object_member(o, "accelerator", acc);
		} else {
			json_object_set_null_member(o, "accelerator");
		}
		json_object_set_int_member(o, "unitCostMicroUSD", flavors[i].micro_usd);
		json_object_set_double_member(o, "unitCostUSD", flavors[i].micro_usd / 1e6);
		json_object_set_string_member(o, "unitLabel", "hour");
		json_array_add_object_element(arr, o);
	}
	return arr;
}

/* ---- logs and their streams ---- */

static gboolean
stage_is_error(const gchar *stage)
{
	return g_str_has_suffix(stage, "_ERROR");
}

/* Whether a stream of this log still has lines to wait for. */
static gboolean
stream_is_live(LogStream *s)
{
	const gchar *stage = s->space->stage;

	if (s->build)
		return g_strcmp0(stage, "BUILDING") == 0;
	return g_strcmp0(stage, "BUILDING") == 0 || g_strcmp0(stage, "RUNNING") == 0 ||
	       g_strcmp0(stage, "APP_STARTING") == 0;
}

static void
stream_end(LogStream *s)
{
	g_clear_handle_id(&s->keepalive_id, g_source_remove);
	if (s->finished_id != 0)
		g_signal_handler_disconnect(s->msg, s->finished_id);
	g_ptr_array_remove(s->space->streams, s);
	soup_message_body_complete(soup_server_message_get_response_body(s->msg));
	soup_server_message_unpause(s->msg);
	g_object_unref(s->msg);
	g_free(s);
}

/* Sends the lines not sent yet, then ends the stream when the log is done. */
static void
stream_flush(LogStream *s)
{
	GPtrArray *log = s->build ? s->space->build_log : s->space->run_log;
	SoupMessageBody *body = soup_server_message_get_response_body(s->msg);
	gboolean wrote = FALSE;

	for (; s->sent < log->len; s->sent++) {
		LogLine *l = g_ptr_array_index(log, s->sent);
		g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
		g_autoptr(JsonGenerator) gen = json_generator_new();
		g_autofree gchar *json = NULL;
		g_autofree gchar *when = testhub_iso_date(l->when);
		g_autofree gchar *frame = NULL;
		JsonObject *o = json_object_new();

		json_object_set_string_member(o, "data", l->line);
		json_object_set_string_member(o, "timestamp", when);
		json_node_take_object(node, o);
		json_generator_set_root(gen, node);
		json = json_generator_to_data(gen, NULL);
		frame = g_strdup_printf("data: %s\n\n", json);
		soup_message_body_append(body,
					 SOUP_MEMORY_TAKE,
					 g_steal_pointer(&frame),
					 strlen(json) + 8);
		wrote = TRUE;
	}
	if (!stream_is_live(s)) {
		stream_end(s);
		return;
	}
	if (wrote)
		soup_server_message_unpause(s->msg);
}

static void
space_flush_streams(TesthubSpace *space)
{
	/* stream_flush may end (remove) the stream */
	for (guint i = space->streams->len; i > 0; i--)
		stream_flush(g_ptr_array_index(space->streams, i - 1));
}

void
testhub_space_log(TesthubSpace *space, gboolean build, const gchar *line)
{
	LogLine *l = g_new0(LogLine, 1);

	l->line = g_strdup(line);
	l->when = g_get_real_time() / G_USEC_PER_SEC;
	g_ptr_array_add(build ? space->build_log : space->run_log, l);
}

static gboolean
stream_keepalive_cb(gpointer user_data)
{
	LogStream *s = user_data;

	/* an empty data line keeps proxies (and clients' read timeouts) happy */
	soup_message_body_append(soup_server_message_get_response_body(s->msg),
				 SOUP_MEMORY_STATIC,
				 "data:\n\n",
				 7);
	soup_server_message_unpause(s->msg);
	return G_SOURCE_CONTINUE;
}

static void
stream_finished_cb(SoupServerMessage *msg, gpointer user_data)
{
	LogStream *s = user_data;

	/* the client went away: forget the stream, the message is done */
	g_clear_handle_id(&s->keepalive_id, g_source_remove);
	g_signal_handler_disconnect(s->msg, s->finished_id);
	s->finished_id = 0;
	g_ptr_array_remove(s->space->streams, s);
	g_object_unref(s->msg);
	g_free(s);
}

void
testhub_space_open_log_stream(TesthubSpace *space, SoupServerMessage *msg, gboolean build)
{
	SoupMessageHeaders *hdrs = soup_server_message_get_response_headers(msg);
	LogStream *s = g_new0(LogStream, 1);

	testhub_space_update(space);
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	soup_message_headers_set_encoding(hdrs, SOUP_ENCODING_CHUNKED);
	soup_message_headers_set_content_type(hdrs, "text/event-stream", NULL);
	soup_message_headers_replace(hdrs, "Cache-Control", "no-cache");
	s->msg = g_object_ref(msg);
	s->space = space;
	s->build = build;
	s->finished_id = g_signal_connect(msg, "finished", G_CALLBACK(stream_finished_cb), s);
	s->keepalive_id = g_timeout_add_seconds(10, stream_keepalive_cb, s);
	g_ptr_array_add(space->streams, s);
	stream_flush(s);
}

/* ---- the state machine ---- */

static gboolean
space_timer_cb(gpointer user_data);

void
testhub_space_set_stage(TesthubSpace *space, const gchar *stage)
{
	space->stage = stage;
}

static void
space_join_keys(GHashTable *table, GString *out)
{
	g_autoptr(GList) keys = g_list_sort(g_hash_table_get_keys(table), (GCompareFunc)g_strcmp0);

	for (GList *l = keys; l != NULL; l = l->next)
		g_string_append_printf(out, "%s%s", out->len > 0 ? ", " : "", (gchar *)l->data);
}

static void
space_start_app(TesthubSpace *space, gint64 now)
{
	g_autoptr(GString) secrets = g_string_new(NULL);
	g_autofree gchar *line = NULL;

	testhub_space_log(space, TRUE, "--> Pushing image");
	testhub_space_log(space, TRUE, "DONE 0.1s");
	g_free(space->hw_current);
	space->hw_current = g_strdup(space->hw_requested);
	space->running_since = now;
	testhub_space_log(space, FALSE, "===== Application Startup =====");
	/* names only: a secret's value never reaches a log */
	space_join_keys(space->secrets, secrets);
	line = g_strdup_printf("Secrets available: %s", secrets->len > 0 ? secrets->str : "none");
	testhub_space_log(space, FALSE, line);
	if (g_strcmp0(space->fail, "runtime") == 0) {
		testhub_space_log(space, FALSE, "Traceback (most recent call last):");
		testhub_space_log(space, FALSE, "RuntimeError: CUDA is not available");
		space->error_message =
			g_strdup("Exit code: 1. Reason: RuntimeError: CUDA is not available");
		testhub_space_set_stage(space, "RUNTIME_ERROR");
		return;
	}
	testhub_space_log(space, FALSE, "Running on local URL:  http://0.0.0.0:7860");
	testhub_space_set_stage(space, "RUNNING");
}

static gint64
space_sleep_after_us(TesthubSpace *space)
{
	if (space->sleep_ms > 0)
		return (gint64)space->sleep_ms * 1000;
	if (space->sleep_time < 0)
		return -1;
	return space->sleep_time * G_USEC_PER_SEC;
}

void
testhub_space_update(TesthubSpace *space)
{
	gint64 now = g_get_monotonic_time();
	gint64 next = -1;

	if (g_strcmp0(space->stage, "BUILDING") == 0) {
		gint64 done = space->build_started + (gint64)space->build_ms * 1000;

		if (now >= done && g_strcmp0(space->fail, "build") == 0) {
			testhub_space_log(space,
					  TRUE,
					  "--> ERROR: process \"/bin/sh -c pip install -r "
					  "requirements.txt\" did not complete successfully: "
					  "exit code: 1");
			space->error_message = g_strdup("Build failed with exit code: 1");
			testhub_space_set_stage(space, "BUILD_ERROR");
		} else if (now >= done) {
			space_start_app(space, now);
		} else {
			next = done;
		}
	}
	if (g_strcmp0(space->stage, "RUNNING") == 0 && space_sleep_after_us(space) >= 0) {
		gint64 sleep_at = space->running_since + space_sleep_after_us(space);

		if (now >= sleep_at) {
			testhub_space_log(space, FALSE, "Space went to sleep after inactivity");
			testhub_space_set_stage(space, "SLEEPING");
		} else {
			next = sleep_at;
		}
	}
	g_clear_handle_id(&space->timer_id, g_source_remove);
	if (next >= 0)
		space->timer_id = g_timeout_add((guint)MAX((next - now + 999) / 1000, 1),
						space_timer_cb,
						space);
	space_flush_streams(space);
}

static gboolean
space_timer_cb(gpointer user_data)
{
	TesthubSpace *space = user_data;

	space->timer_id = 0;
	testhub_space_update(space);
	return G_SOURCE_REMOVE;
}

void
testhub_space_rebuild(TesthubSpace *space, const gchar *reason)
{
	g_autofree gchar *line = g_strdup_printf("===== Build Queued: %s =====", reason);
	g_autoptr(GString) vars = g_string_new(NULL);

	/* the build log is the latest build's: streams of the old one end */
	for (guint i = space->streams->len; i > 0; i--) {
		LogStream *s = g_ptr_array_index(space->streams, i - 1);

		if (s->build)
			stream_end(s);
	}
	g_ptr_array_set_size(space->build_log, 0);
	g_clear_pointer(&space->error_message, g_free);
	if (g_strcmp0(space->sdk, "static") == 0) {
		testhub_space_set_stage(space, "RUNNING");
		space->running_since = g_get_monotonic_time();
		testhub_space_update(space);
		return;
	}
	testhub_space_set_stage(space, "BUILDING");
	space->build_started = g_get_monotonic_time();
	testhub_space_log(space, TRUE, line);
	testhub_space_log(space, TRUE, "--> FROM docker.io/library/python:3.10");
	testhub_space_log(space, TRUE, "--> RUN pip install --no-cache-dir -r requirements.txt");
	space_join_keys(space->variables, vars);
	if (vars->len > 0) {
		g_autofree gchar *env = g_strdup_printf("--> ENV %s", vars->str);

		testhub_space_log(space, TRUE, env);
	}
	testhub_space_update(space);
}

TesthubSpace *
testhub_space_get(TesthubRepo *repo)
{
	TesthubSpace *space;
	const gchar *ms;

	if (spaces == NULL)
		spaces = g_hash_table_new_full(g_str_hash,
					       g_str_equal,
					       NULL,
					       (GDestroyNotify)space_free);
	space = g_hash_table_lookup(spaces, repo->id);
	if (space != NULL) {
		testhub_space_update(space);
		return space;
	}
	space = g_new0(TesthubSpace, 1);
	space->id = g_strdup(repo->id);
	space->sdk = g_strdup(repo->sdk);
	ms = g_getenv("TESTHUB_SPACE_BUILD_MS");
	space->build_ms = ms != NULL ? (guint)g_ascii_strtoull(ms, NULL, 10) : 300;
	if (g_strcmp0(repo->sdk, "static") != 0)
		space->hw_requested = g_strdup("cpu-basic");
	space->sleep_time = CPU_BASIC_SLEEP;
	space->secrets = g_hash_table_new_full(g_str_hash,
					       g_str_equal,
					       g_free,
					       (GDestroyNotify)json_object_unref);
	space->variables = g_hash_table_new_full(g_str_hash,
						 g_str_equal,
						 g_free,
						 (GDestroyNotify)json_object_unref);
	space->build_log = g_ptr_array_new_with_free_func((GDestroyNotify)log_line_free);
	space->run_log = g_ptr_array_new_with_free_func((GDestroyNotify)log_line_free);
	space->streams = g_ptr_array_new();
	g_hash_table_insert(spaces, space->id, space);
	testhub_space_rebuild(space, "Space created");
	return space;
}

JsonObject *
testhub_space_runtime_json(TesthubSpace *space)
{
	JsonObject *o = json_object_new();
	JsonObject *hw = json_object_new();
	JsonObject *replicas = json_object_new();
	JsonArray *domains = json_array_new();
	JsonObject *domain = json_object_new();
	g_autofree gchar *host = g_strdelimit(g_strdup(space->id), "/_.", '-');
	g_autofree gchar *name = g_strconcat(host, ".hf.space", NULL);
	gboolean running = g_strcmp0(space->stage, "RUNNING") == 0;

	json_object_set_string_member(o, "stage", space->stage);
	if (space->hw_current != NULL && !stage_is_error(space->stage))
		json_object_set_string_member(hw, "current", space->hw_current);
	else
		json_object_set_null_member(hw, "current");
	if (space->hw_requested != NULL)
		json_object_set_string_member(hw, "requested", space->hw_requested);
	else
		json_object_set_null_member(hw, "requested");
	json_object_set_object_member(o, "hardware", hw);
	json_object_set_null_member(o, "storage");
	if (space->sleep_time >= 0 && space->hw_requested != NULL)
		json_object_set_int_member(o, "gcTimeout", space->sleep_time);
	else
		json_object_set_null_member(o, "gcTimeout");
	json_object_set_int_member(replicas, "requested", 1);
	if (running)
		json_object_set_int_member(replicas, "current", 1);
	json_object_set_object_member(o, "replicas", replicas);
	json_object_set_boolean_member(o, "devMode", space->dev_mode);
	json_object_set_string_member(domain, "domain", name);
	json_object_set_string_member(domain, "stage", "READY");
	json_array_add_object_element(domains, domain);
	json_object_set_array_member(o, "domains", domains);
	if (space->sdk != NULL)
		json_object_set_string_member(o, "sdk", space->sdk);
	if (space->error_message != NULL)
		json_object_set_string_member(o, "errorMessage", space->error_message);
	return o;
}
