/* testhub-faults.c: per-request plumbing of both listeners (X-Request-Id,
 * body size bound, request log) and fault injection (status, reset, truncate,
 * slow), driven by --faults FILE and the admin surface under /_testhub/.
 *
 * Body faults take the connection over from libsoup (steal) and have
 * testhub-fault-writer.c write the response by hand, so that the exact bytes
 * on the wire and the moment the socket closes are under the test's control.
 */
#include "testhub-faults.h"

#include <string.h>

#include "testhub-endpoints.h"
#include "testhub-fault-writer.h"
#include "testhub-http.h"
#include "testhub-ratelimit.h"
#include "testhub-spaces.h"
#include "testhub-webhooks.h"

typedef enum {
	FAULT_STATUS,
	FAULT_RESET,
	FAULT_TRUNCATE,
	FAULT_SLOW,
	FAULT_NO_RANGE,  /* answer as a server that ignores Range (200, whole body) */
	FAULT_ENDLESS,   /* a chunked body that never ends (a hostile Hub) */
	FAULT_SLOW_HEAD, /* the status line and headers too in slow pieces */
	FAULT_REPLACE,   /* every `find` in the body becomes `replace` (a Hub that lies) */
} FaultAction;

typedef struct {
	gchar *method; /* NULL: any */
	GRegex *regex; /* NULL: any */
	gchar *origin; /* "hub", "cdn" or "any" */
	guint times;   /* 0: forever */
	guint skip;
	guint seen;
	guint fired;
	FaultAction action;
	guint status;
	guint retry_after;
	guint64 after_bytes;
	guint delay_ms;
	guint64 chunk_size;
	gchar *find;
	gchar *replace;
	gchar *location; /* status: a Location header; "{cdn}" is the CDN's URL */
	JsonNode *source;
} FaultRule;

struct _TesthubFaults {
	GPtrArray *rules;    /* FaultRule* */
	JsonArray *requests; /* request log */
};

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

static void
rule_free(gpointer p)
{
	FaultRule *r = p;

	g_free(r->method);
	g_clear_pointer(&r->regex, g_regex_unref);
	g_free(r->origin);
	g_free(r->find);
	g_free(r->replace);
	g_free(r->location);
	g_clear_pointer(&r->source, json_node_unref);
	g_free(r);
}

TesthubFaults *
testhub_faults_new(void)
{
	TesthubFaults *f = g_new0(TesthubFaults, 1);

	f->rules = g_ptr_array_new_with_free_func(rule_free);
	f->requests = json_array_new();
	return f;
}

void
testhub_faults_free(TesthubFaults *faults)
{
	if (faults == NULL)
		return;
	g_ptr_array_unref(faults->rules);
	json_array_unref(faults->requests);
	g_free(faults);
}

static guint64
int_member(JsonObject *o, const gchar *name, guint64 def)
{
	JsonNode *n = json_object_get_member(o, name);

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64)
		return def;
	return json_node_get_int(n) < 0 ? def : (guint64)json_node_get_int(n);
}

static FaultRule *
rule_from_json(JsonObject *o, GError **error)
{
	FaultRule *r = g_new0(FaultRule, 1);
	const gchar *method = json_object_get_string_member_with_default(o, "method", NULL);
	const gchar *regex = json_object_get_string_member_with_default(o, "path_regex", NULL);
	const gchar *origin = json_object_get_string_member_with_default(o, "origin", "any");
	const gchar *action = json_object_get_string_member_with_default(o, "action", "status");

	r->source = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(r->source, o);
	r->method = method != NULL && method[0] != '\0' ? g_ascii_strup(method, -1) : NULL;
	r->origin = g_strdup(origin);
	r->times = (guint)int_member(o, "times", 1);
	r->skip = (guint)int_member(o, "skip", 0);
	r->status = (guint)int_member(o, "status", 500);
	r->retry_after = (guint)int_member(o, "retry_after", 0);
	r->after_bytes = int_member(o, "after_bytes", 0);
	r->delay_ms = (guint)int_member(o, "delay_ms", 100);
	r->chunk_size = int_member(o, "chunk_size", 16384);
	if (r->chunk_size == 0)
		r->chunk_size = 16384;
	if (g_strcmp0(action, "status") == 0)
		r->action = FAULT_STATUS;
	else if (g_strcmp0(action, "reset") == 0)
		r->action = FAULT_RESET;
	else if (g_strcmp0(action, "truncate") == 0)
		r->action = FAULT_TRUNCATE;
	else if (g_strcmp0(action, "slow") == 0)
		r->action = FAULT_SLOW;
	else if (g_strcmp0(action, "no_range") == 0)
		r->action = FAULT_NO_RANGE;
	else if (g_strcmp0(action, "endless") == 0)
		r->action = FAULT_ENDLESS;
	else if (g_strcmp0(action, "slow_head") == 0)
		r->action = FAULT_SLOW_HEAD;
	else if (g_strcmp0(action, "replace") == 0)
		r->action = FAULT_REPLACE;
	else {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "unknown action %s",
			    action);
		rule_free(r);
		return NULL;
	}
	r->find = g_strdup(json_object_get_string_member_with_default(o, "find", NULL));
	r->replace = g_strdup(json_object_get_string_member_with_default(o, "replace", ""));
	r->location = g_strdup(json_object_get_string_member_with_default(o, "location", NULL));
	if (r->action == FAULT_REPLACE && (r->find == NULL || r->find[0] == '\0')) {
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "a replace rule needs a non-empty find");
		rule_free(r);
		return NULL;
	}
	if (g_strcmp0(origin, "hub") != 0 && g_strcmp0(origin, "cdn") != 0 &&
	    g_strcmp0(origin, "any") != 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "unknown origin %s",
			    origin);
		rule_free(r);
		return NULL;
	}
	if (r->status < 100 || r->status > 599) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "bad status %u",
			    r->status);
		rule_free(r);
		return NULL;
	}
	if (regex != NULL) {
		r->regex = g_regex_new(regex, G_REGEX_OPTIMIZE, 0, error);
		if (r->regex == NULL) {
			rule_free(r);
			return NULL;
		}
	}
	return r;
}

gboolean
testhub_faults_add_json(TesthubFaults *faults, JsonNode *node, GError **error)
{
	g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func(rule_free);
	JsonArray *arr = NULL;

	if (JSON_NODE_HOLDS_OBJECT(node) &&
	    json_object_has_member(json_node_get_object(node), "rules"))
		arr = json_object_get_array_member(json_node_get_object(node), "rules");
	else if (JSON_NODE_HOLDS_ARRAY(node))
		arr = json_node_get_array(node);
	if (arr == NULL && JSON_NODE_HOLDS_OBJECT(node)) {
		FaultRule *r = rule_from_json(json_node_get_object(node), error);

		if (r == NULL)
			return FALSE;
		g_ptr_array_add(faults->rules, r);
		return TRUE;
	}
	if (arr == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "expected a rule or a list of rules");
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *o = json_array_get_object_element(arr, i);
		FaultRule *r;

		if (o == NULL) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "rule %u is not an object",
				    i);
			return FALSE;
		}
		r = rule_from_json(o, error);
		if (r == NULL)
			return FALSE;
		g_ptr_array_add(added, r);
	}
	while (added->len > 0)
		g_ptr_array_add(faults->rules, g_ptr_array_steal_index(added, 0));
	return TRUE;
}

gboolean
testhub_faults_load_file(TesthubFaults *faults, const gchar *path, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();

	if (!json_parser_load_from_file(parser, path, error))
		return FALSE;
	return testhub_faults_add_json(faults, json_parser_get_root(parser), error);
}

/* the rule is live and matches the request (skip aside) */
static gboolean
rule_applies(FaultRule *r, const gchar *origin, const gchar *method, const gchar *path)
{
	return (r->times == 0 || r->fired < r->times) &&
	       (g_strcmp0(r->origin, "any") == 0 || g_strcmp0(r->origin, origin) == 0) &&
	       (r->method == NULL || g_strcmp0(r->method, method) == 0) &&
	       (r->regex == NULL || g_regex_match(r->regex, path, 0, NULL));
}

static FaultRule *
match_rule(TesthubFaults *faults, const gchar *origin, const gchar *method, const gchar *path)
{
	for (guint i = 0; i < faults->rules->len; i++) {
		FaultRule *r = g_ptr_array_index(faults->rules, i);

		if (!rule_applies(r, origin, method, path) || r->seen++ < r->skip)
			continue;
		r->fired++;
		return r;
	}
	return NULL;
}

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

/* the first rule matching, without counting it (NULL: none) */
static FaultRule *
peek_rule(TesthubFaults *faults, const gchar *origin, const gchar *method, const gchar *path)
{
	for (guint i = 0; i < faults->rules->len; i++) {
		FaultRule *r = g_ptr_array_index(faults->rules, i);

		if (r->seen >= r->skip && rule_applies(r, origin, method, path))
			return r;
	}
	return NULL;
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
	rule = peek_rule(st->faults, st->origin, method, path);
	if (rule == NULL || rule->action != FAULT_SLOW)
		return;
	match_rule(st->faults, st->origin, method, path);
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
	rule = match_rule(st->faults, st->origin, method, path);
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

/* ---- admin surface ---- */

static JsonNode *
rules_json(TesthubFaults *faults)
{
	JsonArray *arr = json_array_new();
	JsonNode *node = json_node_new(JSON_NODE_ARRAY);

	for (guint i = 0; i < faults->rules->len; i++) {
		FaultRule *r = g_ptr_array_index(faults->rules, i);
		JsonObject *o = json_node_dup_object(r->source);
		JsonObject *copy = json_object_new();
		JsonObjectIter iter;
		const gchar *k;
		JsonNode *v;

		json_object_iter_init(&iter, o);
		while (json_object_iter_next(&iter, &k, &v))
			json_object_set_member(copy, k, json_node_copy(v));
		json_object_unref(o);
		json_object_set_int_member(copy, "fired", r->fired);
		json_object_set_int_member(copy, "seen", r->seen);
		json_array_add_object_element(arr, copy);
	}
	json_node_take_array(node, arr);
	return node;
}

void
testhub_faults_handle_admin(TesthubContext *ctx, SoupServerMessage *msg, gchar **rest)
{
	TesthubFaults *faults = ctx->faults;
	const gchar *method = soup_server_message_get_method(msg);
	const gchar *secret =
		soup_message_headers_get_one(soup_server_message_get_request_headers(msg),
					     "X-Testhub-Admin");
	const gchar *what = rest[0];

	/* without a configured secret the admin surface does not exist */
	if (ctx->admin_secret == NULL || g_strcmp0(secret, ctx->admin_secret) != 0 ||
	    what == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
		return;
	}
	if (g_strcmp0(what, "spaces") == 0) {
		testhub_spaces_admin(ctx, msg, rest + 1);
		return;
	}
	if (g_strcmp0(what, "ratelimit") == 0 && rest[1] == NULL) {
		testhub_ratelimit_handle_admin(ctx, msg);
		return;
	}
	if (g_strcmp0(what, "endpoints") == 0) {
		testhub_endpoints_admin(ctx, msg, rest + 1);
		return;
	}
	if (rest[1] != NULL) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
		return;
	}
	if (g_strcmp0(what, "webhook-deliveries") == 0) {
		testhub_webhooks_handle_admin(ctx, msg);
	} else if (g_strcmp0(what, "requests") == 0 && g_strcmp0(method, "GET") == 0) {
		JsonNode *node = json_node_new(JSON_NODE_ARRAY);

		json_node_set_array(node, faults->requests);
		testhub_reply_json(msg, SOUP_STATUS_OK, node);
	} else if (g_strcmp0(what, "requests") == 0 && g_strcmp0(method, "DELETE") == 0) {
		json_array_unref(faults->requests);
		faults->requests = json_array_new();
		testhub_reply_json(msg,
				   SOUP_STATUS_OK,
				   testhub_json_node_take_object(json_object_new()));
	} else if (g_strcmp0(what, "faults") == 0 && g_strcmp0(method, "GET") == 0) {
		testhub_reply_json(msg, SOUP_STATUS_OK, rules_json(faults));
	} else if (g_strcmp0(what, "faults") == 0 && g_strcmp0(method, "DELETE") == 0) {
		g_ptr_array_set_size(faults->rules, 0);
		testhub_reply_json(msg,
				   SOUP_STATUS_OK,
				   testhub_json_node_take_object(json_object_new()));
	} else if (g_strcmp0(what, "faults") == 0 && g_strcmp0(method, "POST") == 0) {
		g_autoptr(GBytes) body =
			soup_message_body_flatten(soup_server_message_get_request_body(msg));
		g_autoptr(JsonParser) parser = json_parser_new();
		g_autoptr(GError) error = NULL;
		gsize len = 0;
		const gchar *data = g_bytes_get_data(body, &len);

		if (!json_parser_load_from_data(parser,
						data != NULL ? data : "",
						(gssize)len,
						&error) ||
		    json_parser_get_root(parser) == NULL ||
		    !testhub_faults_add_json(faults, json_parser_get_root(parser), &error)) {
			testhub_reply_error(msg,
					    SOUP_STATUS_BAD_REQUEST,
					    NULL,
					    error != NULL ? error->message : "empty body");
			return;
		}
		testhub_reply_json(msg, SOUP_STATUS_OK, rules_json(faults));
	} else {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
	}
}
