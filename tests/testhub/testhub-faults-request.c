/* testhub-faults-request.c: per-request plumbing of both listeners
 * (X-Request-Id, body size bound, Range, public URLs, request log) and what a
 * matching fault rule does to a request: a status instead of the handler, an
 * upload read slowly, or a body fault.
 *
 * Body faults take the connection over from libsoup (steal) and have
 * testhub-fault-writer.c write the response by hand, so that the exact bytes
 * on the wire and the moment the socket closes are under the test's control.
 */
#include <string.h>

#include "testhub-fault-writer.h"
#include "testhub-faults-private.h"
#include "testhub-faults.h"
#include "testhub-http.h"
#include "testhub-ratelimit.h"

/* State of one request, attached to its SoupServerMessage. */
typedef struct {
	TesthubFaults *faults;
	TesthubContext *ctx;
	const gchar *origin;
	JsonObject *log; /* NULL for admin requests, which are not logged */
	guint64 bytes_sent;
	FaultRule *body_fault; /* borrowed; rules outlive requests only until cleared */
	FaultAction action;
	guint64 after_bytes;
	guint delay_ms;
	guint64 chunk_size;
	gchar *find; /* FAULT_REPLACE: copied, a rule may go first */
	gchar *replace;
	gboolean write_now; /* answer from the headers alone, then close */
	gchar *range;       /* the request's Range header, taken out of libsoup's sight */
	guint64 bytes_received;
	/* a slow fault on an upload: the body is read in pieces, paused between */
	gboolean read_slowed;
	guint64 read_chunk;
	guint read_delay_ms;
	guint64 read_since_pause;
	gboolean done;
} RequestState;

static const gchar *const ADMIN_PREFIX = "/_testhub/";

/* ---- request log ---- */

static void
log_finish(TesthubFaults *faults,
	   JsonObject *log,
	   guint status,
	   guint64 bytes_sent,
	   guint64 bytes_received)
{
	if (log == NULL)
		return;
	json_object_set_int_member(log, "status", status);
	json_object_set_int_member(log, "bytes_sent", (gint64)bytes_sent);
	json_object_set_int_member(log, "bytes_received", (gint64)bytes_received);
	json_array_add_object_element(faults->requests, json_object_ref(log));
}

static void
request_state_free(gpointer p)
{
	RequestState *st = p;

	g_clear_pointer(&st->log, json_object_unref);
	g_free(st->range);
	g_free(st->find);
	g_free(st->replace);
	g_free(st);
}

static RequestState *
request_state(SoupServerMessage *msg)
{
	return g_object_get_data(G_OBJECT(msg), "testhub-request");
}

static void
on_wrote_body_data(SoupServerMessage *msg, guint chunk_size, gpointer user_data)
{
	RequestState *st = request_state(msg);

	if (st != NULL)
		st->bytes_sent += chunk_size;
}

static gboolean
unpause_cb(gpointer data)
{
	SoupServerMessage *msg = data;
	RequestState *st = request_state(msg);

	if (st != NULL && !st->done)
		soup_server_message_unpause(msg);
	return G_SOURCE_REMOVE;
}

static void
on_got_chunk(SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
	RequestState *st = request_state(msg);

	if (st == NULL)
		return;
	st->bytes_received += g_bytes_get_size(chunk);
	if (!st->read_slowed)
		return;
	st->read_since_pause += g_bytes_get_size(chunk);
	if (st->read_since_pause < st->read_chunk)
		return;
	st->read_since_pause = 0;
	soup_server_message_pause(msg);
	g_timeout_add_full(G_PRIORITY_DEFAULT,
			   st->read_delay_ms,
			   unpause_cb,
			   g_object_ref(msg),
			   g_object_unref);
}

/* a slow rule for an upload (PUT) slows the reading of its body, so that a
 * client can be killed mid-upload */
static void
slow_upload_body(RequestState *st, SoupServerMessage *msg)
{
	GUri *uri = soup_server_message_get_uri(msg);
	const gchar *method = soup_server_message_get_method(msg);
	const gchar *path = uri != NULL ? g_uri_get_path(uri) : "";
	FaultRule *rule;

	if (g_strcmp0(method, SOUP_METHOD_PUT) != 0 || g_str_has_prefix(path, ADMIN_PREFIX))
		return;
	rule = testhub_faults_peek_rule(st->faults, st->origin, method, path);
	if (rule == NULL || rule->action != FAULT_SLOW)
		return;
	testhub_faults_match_rule(st->faults, st->origin, method, path);
	st->read_slowed = TRUE;
	st->read_chunk = MAX(rule->chunk_size, 1);
	st->read_delay_ms = rule->delay_ms;
}

static void
on_got_headers(SoupServerMessage *msg, gpointer user_data)
{
	RequestState *st = request_state(msg);
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	guint status = soup_server_message_get_status(msg);

	if (st == NULL)
		return;
	slow_upload_body(st, msg);
	/* the request line parsed: drop the body pre-set for refusals */
	soup_message_body_truncate(soup_server_message_get_response_body(msg));
	soup_message_headers_remove(soup_server_message_get_response_headers(msg), "Content-Type");
	soup_message_headers_remove(soup_server_message_get_response_headers(msg),
				    "X-Error-Message");
	if (status >= 400) {
		testhub_reply_error(msg, status, NULL, soup_status_get_phrase(status));
		return;
	}
	/* The Hub origin reads whole bodies into memory: refuse huge ones from
	 * the headers. The CDN's upload handlers stream their bodies. */
	if (g_strcmp0(st->origin, "hub") != 0 || status != 0)
		return;
	if (soup_message_headers_get_encoding(h) == SOUP_ENCODING_CONTENT_LENGTH &&
	    soup_message_headers_get_content_length(h) > TESTHUB_MAX_BODY) {
		st->write_now = TRUE;
		testhub_reply_error(msg,
				    SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
				    NULL,
				    "Request body too large");
	}
}

static void
on_request_started(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	RequestState *st = g_new0(RequestState, 1);
	RequestState *proto = user_data;
	g_autofree gchar *uuid = g_uuid_string_random();
	g_autofree gchar *rid = g_strdup_printf("Root=1-%s", uuid);

	st->faults = proto->faults;
	st->ctx = proto->ctx;
	st->origin = proto->origin;
	g_object_set_data_full(G_OBJECT(msg), "testhub-request", st, request_state_free);
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "X-Request-Id",
				     rid);
	/* libsoup answers an unparsable request line (e.g. a bad escape) without
	 * emitting got-headers: pre-set the Hub's error shape for that case */
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "Content-Type",
				     "application/json; charset=utf-8");
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "X-Error-Message",
				     "Bad Request");
	soup_message_body_append(soup_server_message_get_response_body(msg),
				 SOUP_MEMORY_STATIC,
				 "{\"error\":\"Bad Request\"}",
				 strlen("{\"error\":\"Bad Request\"}"));
	g_signal_connect(msg, "got-headers", G_CALLBACK(on_got_headers), NULL);
	g_signal_connect(msg, "wrote-body-data", G_CALLBACK(on_wrote_body_data), NULL);
	g_signal_connect(msg, "got-chunk", G_CALLBACK(on_got_chunk), NULL);
}

/* JSON request bodies, so that tests can check what a client sent (bounded:
 * uploads are not JSON) */
#define LOG_BODY_MAX (64 * 1024)

static void
log_json_body(JsonObject *log, SoupServerMessage *msg)
{
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	const gchar *ctype = soup_message_headers_get_content_type(h, NULL);
	g_autoptr(GBytes) body = NULL;
	g_autofree gchar *text = NULL;
	const gchar *data;
	gsize len = 0;

	if (ctype == NULL ||
	    (g_strcmp0(ctype, "application/json") != 0 && !g_str_has_suffix(ctype, "+json") &&
	     g_strcmp0(ctype, "application/x-ndjson") != 0)) {
		json_object_set_null_member(log, "body");
		return;
	}
	body = soup_message_body_flatten(soup_server_message_get_request_body(msg));
	data = g_bytes_get_data(body, &len);
	if (data == NULL || len > LOG_BODY_MAX || !g_utf8_validate(data, (gssize)len, NULL)) {
		json_object_set_null_member(log, "body");
		return;
	}
	text = g_strndup(data, len);
	json_object_set_string_member(log, "body", text);
}

/* The log's "user": whose token a Bearer (or Basic) Authorization carried (null when none,
 * or not a token of users.json), so a test sees which account asked. */
static void
testhub_log_user(RequestState *st, const gchar *auth)
{
	g_autofree gchar *value = NULL;
	const TesthubUser *user = NULL;

	if (auth != NULL && g_ascii_strncasecmp(auth, "Bearer ", 7) == 0) {
		value = g_strstrip(g_strdup(auth + 7));
		user = testhub_users_by_token(st->ctx->users, value, NULL);
	} else if (auth != NULL && g_ascii_strncasecmp(auth, "Basic ", 6) == 0) {
		/* git-lfs with a credential helper: the token is the password */
		value = testhub_basic_auth_password(auth + 6);
		user = testhub_users_by_token(st->ctx->users, value, NULL);
	}
	if (user != NULL)
		json_object_set_string_member(st->log, "user", user->name);
	else
		json_object_set_null_member(st->log, "user");
}

/* The absolute URLs the Hub hands out (LFS actions, redirects, repo URLs):
 * behind a proxy, as the client sees this server — the Host it asked for and
 * X-Forwarded-Proto — and the CDN as the proxy exposes it; else the
 * listeners' own. Requests are handled one at a time on the main loop, so
 * the routes read them from the context. */
static void
set_public_urls(TesthubContext *ctx, SoupServerMessage *msg)
{
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	const gchar *proto = soup_message_headers_get_one(h, "X-Forwarded-Proto");
	const gchar *host = soup_message_headers_get_one(h, "Host");
	gboolean proxied = proto != NULL && host != NULL && host[0] != '\0' &&
			   (g_strcmp0(proto, "http") == 0 || g_strcmp0(proto, "https") == 0) &&
			   strspn(host,
				  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "0123456789.-:[]") == strlen(host);

	g_free(ctx->base_url);
	g_free(ctx->cdn_url);
	ctx->base_url = proxied ? g_strdup_printf("%s://%s", proto, host) : g_strdup(ctx->own_url);
	ctx->cdn_url = g_strdup(proxied && ctx->public_cdn_url != NULL ? ctx->public_cdn_url
								       : ctx->own_cdn_url);
}

static void
on_request_read(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	RequestState *st = request_state(msg);
	GUri *uri = soup_server_message_get_uri(msg);
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	const gchar *method = soup_server_message_get_method(msg);
	const gchar *path = uri != NULL ? g_uri_get_path(uri) : "";
	const gchar *range = soup_message_headers_get_one(h, "Range");
	FaultRule *rule;

	if (st == NULL)
		return;
	if (g_strcmp0(st->origin, "hub") == 0)
		set_public_urls(st->ctx, msg);
	/* SoupServer would answer Range requests on any 200 by itself (and
	 * mishandles overflowing values): the routes do ranges explicitly */
	if (range != NULL) {
		st->range = g_strdup(range);
		soup_message_headers_remove(h, "Range");
		range = st->range;
	}
	if (g_str_has_prefix(path, ADMIN_PREFIX) || g_strcmp0(path, "/_testhub") == 0)
		return;
	st->log = json_object_new();
	json_object_set_string_member(st->log, "origin", st->origin);
	json_object_set_string_member(st->log, "method", method);
	json_object_set_string_member(st->log, "path", path);
	if (uri != NULL && g_uri_get_query(uri) != NULL)
		json_object_set_string_member(st->log, "query", g_uri_get_query(uri));
	else
		json_object_set_null_member(st->log, "query");
	json_object_set_boolean_member(st->log,
				       "authorization",
				       soup_message_headers_get_one(h, "Authorization") != NULL);
	testhub_log_user(st, soup_message_headers_get_one(h, "Authorization"));
	if (range != NULL)
		json_object_set_string_member(st->log, "range", range);
	else
		json_object_set_null_member(st->log, "range");
	if (soup_message_headers_get_one(h, "User-Agent") != NULL)
		json_object_set_string_member(st->log,
					      "user_agent",
					      soup_message_headers_get_one(h, "User-Agent"));
	else
		json_object_set_null_member(st->log, "user_agent");
	log_json_body(st->log, msg);

	if (soup_server_message_get_status(msg) != 0 || st->read_slowed)
		return;
	if (g_strcmp0(st->origin, "hub") == 0 && testhub_ratelimit_check(st->ctx, msg, path))
		return;
	rule = testhub_faults_match_rule(st->faults, st->origin, method, path);
	if (rule == NULL)
		return;
	g_debug("fault %u on %s %s", rule->action, method, path);
	if (rule->action == FAULT_STATUS) {
		g_autofree gchar *m = g_strdup_printf("Injected fault: status %u", rule->status);

		if (rule->retry_after > 0 || rule->status == 429 || rule->status == 503) {
			g_autofree gchar *ra = g_strdup_printf("%u", rule->retry_after);

			soup_message_headers_replace(soup_server_message_get_response_headers(msg),
						     "Retry-After",
						     ra);
		}
		if (rule->location != NULL) {
			g_autoptr(GString) where = g_string_new(rule->location);

			g_string_replace(where, "{cdn}", st->ctx->cdn_url, 0);
			soup_message_headers_replace(soup_server_message_get_response_headers(msg),
						     "Location",
						     where->str);
		}
		/* a status set here makes libsoup skip the handler */
		testhub_reply_error(msg, rule->status, NULL, m);
		return;
	}
	if (rule->action == FAULT_NO_RANGE) {
		g_clear_pointer(&st->range, g_free);
		return;
	}
	st->body_fault = rule;
	st->action = rule->action;
	st->after_bytes = rule->after_bytes;
	st->delay_ms = rule->delay_ms;
	st->chunk_size = rule->chunk_size;
	st->find = g_strdup(rule->find);
	st->replace = g_strdup(rule->replace);
}

static void
on_request_done(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	RequestState *st = request_state(msg);

	if (st != NULL)
		st->done = TRUE;
	/* cut off while its body came in: logged all the same, with what came */
	if (st != NULL && st->log == NULL && st->bytes_received > 0) {
		GUri *uri = soup_server_message_get_uri(msg);

		st->log = json_object_new();
		json_object_set_string_member(st->log, "origin", st->origin);
		json_object_set_string_member(st->log,
					      "method",
					      soup_server_message_get_method(msg));
		json_object_set_string_member(st->log,
					      "path",
					      uri != NULL ? g_uri_get_path(uri) : "");
		json_object_set_null_member(st->log, "query");
		json_object_set_null_member(st->log, "user");
		json_object_set_null_member(st->log, "range");
		json_object_set_null_member(st->log, "user_agent");
		json_object_set_null_member(st->log, "body");
	}
	if (st == NULL || st->log == NULL)
		return;
	log_finish(st->faults,
		   st->log,
		   soup_server_message_get_status(msg),
		   st->bytes_sent,
		   st->bytes_received);
	g_clear_pointer(&st->log, json_object_unref);
}

void
testhub_faults_attach(TesthubContext *ctx, SoupServer *server, const gchar *origin)
{
	RequestState *proto = g_new0(RequestState, 1);

	proto->faults = ctx->faults;
	proto->ctx = ctx;
	proto->origin = g_strcmp0(origin, "cdn") == 0 ? "cdn" : "hub";
	g_object_set_data_full(G_OBJECT(server), "testhub-proto", proto, g_free);
	g_signal_connect(server, "request-started", G_CALLBACK(on_request_started), proto);
	g_signal_connect(server, "request-read", G_CALLBACK(on_request_read), proto);
	g_signal_connect(server, "request-finished", G_CALLBACK(on_request_done), proto);
	g_signal_connect(server, "request-aborted", G_CALLBACK(on_request_done), proto);
}

const gchar *
testhub_request_range(SoupServerMessage *msg)
{
	RequestState *st = request_state(msg);

	return st != NULL ? st->range : NULL;
}

/* ---- body faults: what to write by hand on the stolen connection ---- */

/* What the request log needs once the writer is done. */
typedef struct {
	TesthubFaults *faults;
	JsonObject *log;
	guint status;
	guint64 bytes_received;
} BodyFaultLog;

static void
body_fault_log_free(gpointer p)
{
	BodyFaultLog *bl = p;

	g_clear_pointer(&bl->log, json_object_unref);
	g_free(bl);
}

static void
body_fault_done(guint64 body_sent, gpointer user_data)
{
	BodyFaultLog *bl = user_data;

	log_finish(bl->faults, bl->log, bl->status, body_sent, bl->bytes_received);
}

gboolean
testhub_faults_send_body(SoupServerMessage *msg, GBytes *body)
{
	RequestState *st = request_state(msg);
	g_autoptr(GString) head = NULL;
	g_autoptr(GBytes) replaced = NULL;
	g_autoptr(GBytes) sent = NULL;
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GIOStream) stream = NULL;
	TesthubFaultWriterPlan plan = {0};
	BodyFaultLog *bl;
	guint status = soup_server_message_get_status(msg);
	gsize len = g_bytes_get_size(body);
	gboolean endless;

	if (st == NULL ||
	    (!st->write_now && (st->body_fault == NULL ||
				g_strcmp0(soup_server_message_get_method(msg), "HEAD") == 0)))
		return FALSE;
	st->body_fault = NULL;
	endless = !st->write_now && st->action == FAULT_ENDLESS;
	if (!st->write_now && st->action == FAULT_REPLACE) {
		GString *text = g_string_new_len(g_bytes_get_data(body, NULL), (gssize)len);

		g_string_replace(text, st->find, st->replace, 0);
		replaced = g_string_free_to_bytes(text);
		body = replaced;
		len = g_bytes_get_size(body);
	}
	head = testhub_fault_writer_head(status, soup_server_message_get_response_headers(msg));
	if (endless)
		g_string_append(head, "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
	else
		g_string_append_printf(head,
				       "Content-Length: %" G_GSIZE_FORMAT
				       "\r\nConnection: close\r\n\r\n",
				       len);

	if (endless) {
		/* one 64 KiB chunk of "[0,0,0,…", sent until the client leaves
		 * (or 4 GiB: a test that never reads must still end) */
		GString *chunk = g_string_new("10000\r\n[");

		for (guint i = 1; i < 65536; i++)
			g_string_append_c(chunk, i % 2 ? '0' : ',');
		g_string_append(chunk, "\r\n");
		sent = g_string_free_to_bytes(chunk);
	} else if (!st->write_now && st->action == FAULT_SLOW_HEAD) {
		/* head and body as one slow stream: nothing is written at once */
		GString *all = g_string_new_len(head->str, (gssize)head->len);

		g_string_append_len(all, g_bytes_get_data(body, NULL), (gssize)len);
		sent = g_string_free_to_bytes(all);
		g_string_truncate(head, 0);
		len = g_bytes_get_size(sent);
	} else {
		sent = g_bytes_ref(body);
	}
	if (soup_server_message_get_socket(msg) != NULL)
		socket = g_object_ref(soup_server_message_get_socket(msg));
	stream = soup_server_message_steal_connection(msg);
	/* nothing to write on: libsoup answers as usual, and the request is
	 * logged when it finishes */
	if (stream == NULL)
		return FALSE;

	plan.body = sent;
	plan.endless = endless;
	plan.reset = !st->write_now && st->action == FAULT_RESET;
	plan.linger = st->write_now;
	if (st->write_now)
		plan.limit = len;
	else if (endless)
		plan.limit = G_GUINT64_CONSTANT(4) << 30;
	else
		plan.limit = st->action == FAULT_SLOW || st->action == FAULT_SLOW_HEAD ||
					     st->action == FAULT_REPLACE
				     ? len
				     : MIN(st->after_bytes, (guint64)len);
	if (!st->write_now && (st->action == FAULT_SLOW || st->action == FAULT_SLOW_HEAD)) {
		plan.chunk = st->chunk_size;
		plan.delay_ms = st->delay_ms;
	} else {
		plan.chunk = G_MAXUINT64;
		plan.delay_ms = 0;
	}
	st->write_now = FALSE;

	bl = g_new0(BodyFaultLog, 1);
	bl->faults = st->faults;
	bl->log = g_steal_pointer(&st->log);
	bl->status = status;
	bl->bytes_received = st->bytes_received;
	testhub_fault_writer_start(stream,
				   socket,
				   head->str,
				   head->len,
				   &plan,
				   body_fault_done,
				   bl,
				   body_fault_log_free);
	return TRUE;
}
