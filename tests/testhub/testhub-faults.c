/* testhub-faults.c: the fault rules (status, reset, truncate, slow, ...),
 * loaded from --faults FILE or added through the admin surface, and matched
 * against each request; and that admin surface under /_testhub/. What a
 * matching rule does to a request is testhub-faults-request.c's.
 */
#include "testhub-faults.h"

#include "testhub-endpoints.h"
#include "testhub-faults-private.h"
#include "testhub-http.h"
#include "testhub-ratelimit.h"
#include "testhub-spaces.h"
#include "testhub-webhooks.h"

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

FaultRule *
testhub_faults_match_rule(TesthubFaults *faults,
			  const gchar *origin,
			  const gchar *method,
			  const gchar *path)
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

/* the first rule matching, without counting it (NULL: none) */
FaultRule *
testhub_faults_peek_rule(TesthubFaults *faults,
			 const gchar *origin,
			 const gchar *method,
			 const gchar *path)
{
	for (guint i = 0; i < faults->rules->len; i++) {
		FaultRule *r = g_ptr_array_index(faults->rules, i);

		if (r->seen >= r->skip && rule_applies(r, origin, method, path))
			return r;
	}
	return NULL;
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
