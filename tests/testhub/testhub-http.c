/* testhub-http.c: request parsing and reply helpers shared by every route of
 * the local Hub (declared in testhub.h and testhub-http.h).
 */
#include "testhub-http.h"

#include <string.h>

#include "testhub-faults.h"

/* ---- pure helpers ---- */

gchar **
testhub_path_split(const gchar *encoded_path, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) parts = NULL;
	guint n;

	if (encoded_path == NULL || encoded_path[0] != '/') {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "path must start with /");
		return NULL;
	}
	parts = g_strsplit(encoded_path + 1, "/", -1);
	n = g_strv_length(parts);
	if (n > 0 && parts[n - 1][0] == '\0')
		n--;
	for (guint i = 0; i < n; i++) {
		gchar *seg;

		if (parts[i][0] == '\0') {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "empty path segment");
			return NULL;
		}
		seg = g_uri_unescape_string(parts[i], NULL);
		if (seg == NULL || seg[0] == '\0') {
			g_free(seg);
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "bad escape in path segment");
			return NULL;
		}
		g_ptr_array_add(out, seg);
		if (g_strcmp0(seg, ".") == 0 || g_strcmp0(seg, "..") == 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "dot segment in path");
			return NULL;
		}
	}
	g_ptr_array_add(out, NULL);
	return (gchar **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
}

gboolean
testhub_path_is_valid(const gchar *path)
{
	g_auto(GStrv) parts = NULL;

	if (path == NULL || path[0] == '\0' || path[0] == '/' || strchr(path, '\\') != NULL ||
	    !g_utf8_validate(path, -1, NULL))
		return FALSE;
	for (const gchar *p = path; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f)
			return FALSE;
	}
	parts = g_strsplit(path, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (parts[i][0] == '\0' || g_strcmp0(parts[i], ".") == 0 ||
		    g_strcmp0(parts[i], "..") == 0)
			return FALSE;
	}
	return TRUE;
}

static gboolean
parse_u64(const gchar *s, guint64 *out)
{
	if (s == NULL || s[0] == '\0' || !g_ascii_isdigit(s[0]))
		return FALSE;
	return g_ascii_string_to_unsigned(s, 10, 0, G_MAXUINT64, out, NULL);
}

TesthubRangeResult
testhub_parse_range(const gchar *header, guint64 total, guint64 *start, guint64 *end)
{
	g_autofree gchar *spec = NULL;
	g_autofree gchar *first = NULL;
	const gchar *dash;
	guint64 a = 0;
	guint64 b = 0;

	if (header == NULL)
		return TESTHUB_RANGE_NONE;
	spec = g_strstrip(g_strdup(header));
	if (g_ascii_strncasecmp(spec, "bytes=", 6) != 0 || strchr(spec, ',') != NULL)
		return TESTHUB_RANGE_NONE;
	dash = strchr(spec + 6, '-');
	if (dash == NULL)
		return TESTHUB_RANGE_NONE;
	first = g_strstrip(g_strndup(spec + 6, (gsize)(dash - (spec + 6))));
	if (first[0] == '\0') {
		/* suffix range: the last N bytes */
		if (!parse_u64(g_strstrip((gchar *)dash + 1), &b))
			return TESTHUB_RANGE_NONE;
		if (b == 0 || total == 0)
			return TESTHUB_RANGE_UNSATISFIABLE;
		*start = b >= total ? 0 : total - b;
		*end = total - 1;
		return TESTHUB_RANGE_OK;
	}
	if (!parse_u64(first, &a))
		return TESTHUB_RANGE_NONE;
	if (dash[1] == '\0') {
		b = G_MAXUINT64;
	} else if (!parse_u64(g_strstrip((gchar *)dash + 1), &b) || b < a) {
		return TESTHUB_RANGE_NONE;
	}
	if (a >= total)
		return TESTHUB_RANGE_UNSATISFIABLE;
	*start = a;
	*end = b >= total ? total - 1 : b;
	return TESTHUB_RANGE_OK;
}

gboolean
testhub_query_bool(const gchar *value, gboolean default_value)
{
	if (value == NULL)
		return default_value;
	return g_ascii_strcasecmp(value, "true") == 0 || g_strcmp0(value, "1") == 0 ||
	       g_ascii_strcasecmp(value, "yes") == 0;
}

gchar *
testhub_iso_date(gint64 unix_seconds)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(unix_seconds);

	if (dt == NULL)
		return g_strdup("1970-01-01T00:00:00.000Z");
	return g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S.000Z");
}

/* ---- query ---- */

struct _TesthubQuery {
	GHashTable *values; /* key -> GPtrArray of gchar* */
	GPtrArray *empty;
};

static gchar *
form_unescape(const gchar *s, gsize len)
{
	g_autofree gchar *raw = g_strndup(s, len);

	g_strdelimit(raw, "+", ' ');
	return g_uri_unescape_string(raw, NULL);
}

TesthubQuery *
testhub_query_parse(const gchar *query)
{
	TesthubQuery *q = g_new0(TesthubQuery, 1);
	g_auto(GStrv) pairs = NULL;

	q->values = g_hash_table_new_full(g_str_hash,
					  g_str_equal,
					  g_free,
					  (GDestroyNotify)g_ptr_array_unref);
	q->empty = g_ptr_array_new();
	if (query == NULL)
		return q;
	pairs = g_strsplit(query, "&", -1);
	for (guint i = 0; pairs[i] != NULL; i++) {
		const gchar *eq = strchr(pairs[i], '=');
		g_autofree gchar *key = NULL;
		g_autofree gchar *value = NULL;
		GPtrArray *arr;

		if (pairs[i][0] == '\0')
			continue;
		key = form_unescape(pairs[i],
				    eq != NULL ? (gsize)(eq - pairs[i]) : strlen(pairs[i]));
		value = eq != NULL ? form_unescape(eq + 1, strlen(eq + 1)) : g_strdup("");
		if (key == NULL || value == NULL)
			continue;
		arr = g_hash_table_lookup(q->values, key);
		if (arr == NULL) {
			arr = g_ptr_array_new_with_free_func(g_free);
			g_hash_table_insert(q->values, g_strdup(key), arr);
		}
		g_ptr_array_add(arr, g_steal_pointer(&value));
	}
	return q;
}

void
testhub_query_free(TesthubQuery *q)
{
	if (q == NULL)
		return;
	g_hash_table_unref(q->values);
	g_ptr_array_unref(q->empty);
	g_free(q);
}

const gchar *
testhub_query_get(TesthubQuery *q, const gchar *key)
{
	GPtrArray *arr = g_hash_table_lookup(q->values, key);

	return arr != NULL && arr->len > 0 ? g_ptr_array_index(arr, 0) : NULL;
}

GPtrArray *
testhub_query_get_all(TesthubQuery *q, const gchar *key)
{
	GPtrArray *arr = g_hash_table_lookup(q->values, key);

	return arr != NULL ? arr : q->empty;
}

/* ---- paging ---- */

static guint forced_page_size = 0;

void
testhub_set_page_size(guint page_size)
{
	forced_page_size = page_size;
}

guint
testhub_get_page_size(void)
{
	return forced_page_size;
}

gchar *
testhub_cursor_encode(guint offset)
{
	g_autofree gchar *text = g_strdup_printf("{\"offset\":%u}", offset);

	return g_base64_encode((const guchar *)text, strlen(text));
}

guint
testhub_cursor_decode(const gchar *cursor)
{
	g_autofree guchar *raw = NULL;
	g_autofree gchar *text = NULL;
	gsize len = 0;
	guint64 v = 0;
	const gchar *colon;

	if (cursor == NULL || cursor[0] == '\0')
		return 0;
	raw = g_base64_decode(cursor, &len);
	if (raw == NULL)
		return 0;
	text = g_strndup((const gchar *)raw, len);
	colon = strchr(text, ':');
	if (colon == NULL)
		return 0;
	v = g_ascii_strtoull(colon + 1, NULL, 10);
	return v > G_MAXUINT ? 0 : (guint)v;
}

void
testhub_set_next_link(TesthubContext *ctx,
		      SoupServerMessage *msg,
		      const gchar *key,
		      const gchar *value)
{
	GUri *uri = soup_server_message_get_uri(msg);
	const gchar *query = g_uri_get_query(uri);
	g_autoptr(GString) url = g_string_new(ctx->base_url);
	g_auto(GStrv) pairs = g_strsplit(query != NULL ? query : "", "&", -1);
	g_autofree gchar *escaped = g_uri_escape_string(value, NULL, FALSE);
	g_autofree gchar *prefix = g_strconcat(key, "=", NULL);
	g_autofree gchar *header = NULL;
	gboolean first = TRUE;

	g_string_append(url, g_uri_get_path(uri));
	for (guint i = 0; pairs[i] != NULL; i++) {
		if (pairs[i][0] == '\0' || g_str_has_prefix(pairs[i], prefix) ||
		    g_strcmp0(pairs[i], key) == 0)
			continue;
		g_string_append_c(url, first ? '?' : '&');
		g_string_append(url, pairs[i]);
		first = FALSE;
	}
	g_string_append_printf(url, "%c%s=%s", first ? '?' : '&', key, escaped);
	header = g_strdup_printf("<%s>; rel=\"next\"", url->str);
	soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Link", header);
}

/* ---- replies ---- */

JsonNode *
testhub_json_node_take_object(JsonObject *object)
{
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);

	json_node_take_object(node, object);
	return node;
}

void
testhub_reply_bytes(SoupServerMessage *msg, guint status, const gchar *content_type, GBytes *body)
{
	SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
	g_autoptr(GBytes) empty = NULL;

	soup_server_message_set_status(msg, status, NULL);
	if (content_type != NULL)
		soup_message_headers_replace(h, "Content-Type", content_type);
	if (body == NULL) {
		empty = g_bytes_new_static("", 0);
		body = empty;
	}
	if (testhub_faults_send_body(msg, body))
		return;
	if (g_bytes_get_size(body) > 0)
		soup_message_body_append_bytes(soup_server_message_get_response_body(msg), body);
}

void
testhub_reply_json(SoupServerMessage *msg, guint status, JsonNode *node)
{
	g_autoptr(JsonNode) owned = node;
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(GBytes) bytes = NULL;
	gchar *text;
	gsize len = 0;

	json_generator_set_root(gen, owned);
	text = json_generator_to_data(gen, &len);
	bytes = g_bytes_new_take(text, len);
	testhub_reply_bytes(msg, status, "application/json; charset=utf-8", bytes);
}

void
testhub_reply_error_with_header(SoupServerMessage *msg,
				guint status,
				const gchar *code,
				const gchar *message,
				const gchar *name,
				const gchar *value)
{
	SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
	JsonObject *o = json_object_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	g_autofree gchar *ascii = g_str_to_ascii(message, "C");

	if (code != NULL)
		soup_message_headers_replace(h, "X-Error-Code", code);
	/* header values must stay on one line */
	g_strdelimit(ascii, "\r\n", ' ');
	soup_message_headers_replace(h, "X-Error-Message", ascii);
	if (name != NULL && value != NULL)
		soup_message_headers_replace(h, name, value);
	json_object_set_string_member(o, "error", message);
	json_node_take_object(node, o);
	testhub_reply_json(msg, status, node);
}

void
testhub_reply_error(SoupServerMessage *msg, guint status, const gchar *code, const gchar *message)
{
	testhub_reply_error_with_header(msg, status, code, message, NULL, NULL);
}

/* ---- auth ---- */

/* The Hub's git endpoints (`*.git/info/lfs/...`, and the local Hub's own
 * `/_lfs/` verify) take HTTP Basic auth with the token as password and any
 * user name: what git-lfs sends with a credential helper's answer. */
gboolean
testhub_is_lfs_path(SoupServerMessage *msg)
{
	const gchar *path = g_uri_get_path(soup_server_message_get_uri(msg));

	return strstr(path, ".git/info/lfs/") != NULL || g_str_has_prefix(path, "/_lfs/");
}

gchar *
testhub_basic_auth_password(const gchar *encoded)
{
	g_autofree gchar *trimmed = g_strstrip(g_strdup(encoded));
	gsize len = 0;
	g_autofree guchar *raw = g_base64_decode(trimmed, &len);
	g_autofree gchar *text = g_strndup((const gchar *)raw, len);
	const gchar *colon = strchr(text, ':');

	return colon != NULL ? g_strdup(colon + 1) : NULL;
}

const TesthubUser *
testhub_request_user(TesthubContext *ctx,
		     SoupServerMessage *msg,
		     const TesthubToken **token_out,
		     gboolean *replied)
{
	const gchar *auth =
		soup_message_headers_get_one(soup_server_message_get_request_headers(msg),
					     "Authorization");
	const TesthubToken *token = NULL;
	const TesthubUser *user;
	g_autofree gchar *value = NULL;

	*replied = FALSE;
	if (token_out != NULL)
		*token_out = NULL;
	if (auth == NULL)
		return NULL;
	if (g_ascii_strncasecmp(auth, "Bearer ", 7) == 0)
		value = g_strstrip(g_strdup(auth + 7));
	else if (g_ascii_strncasecmp(auth, "Basic ", 6) == 0 && testhub_is_lfs_path(msg))
		value = testhub_basic_auth_password(auth + 6);
	user = testhub_users_by_token(ctx->users, value, &token);
	if (user == NULL) {
		testhub_reply_error(msg,
				    SOUP_STATUS_UNAUTHORIZED,
				    NULL,
				    "Invalid credentials in Authorization header");
		*replied = TRUE;
		return NULL;
	}
	if (token_out != NULL)
		*token_out = token;
	return user;
}

gboolean
testhub_user_can_read_repo(TesthubContext *ctx, const TesthubUser *user, TesthubRepo *repo)
{
	return !repo->private_ || testhub_users_can_write_namespace(ctx->users, user, repo->ns);
}

gboolean
testhub_user_can_write_repo(TesthubContext *ctx,
			    const TesthubUser *user,
			    const TesthubToken *token,
			    TesthubRepo *repo)
{
	return user != NULL && token != NULL && g_strcmp0(token->role, "write") == 0 &&
	       testhub_users_can_write_namespace(ctx->users, user, repo->ns);
}

/* Relative redirect of the current request path from `old_id` to `new_id`. */
static void
reply_moved(SoupServerMessage *msg, const gchar *old_id, const gchar *new_id)
{
	GUri *uri = soup_server_message_get_uri(msg);
	const gchar *path = g_uri_get_path(uri);
	const gchar *query = g_uri_get_query(uri);
	g_autofree gchar *needle = g_strconcat("/", old_id, NULL);
	g_autoptr(GString) loc = g_string_new(NULL);
	g_autofree gchar *body = NULL;
	g_autoptr(GBytes) bytes = NULL;
	const gchar *hit = strstr(path, needle);

	while (hit != NULL && hit[strlen(needle)] != '\0' && hit[strlen(needle)] != '/')
		hit = strstr(hit + 1, needle);
	if (hit == NULL) {
		testhub_reply_error(msg,
				    SOUP_STATUS_NOT_FOUND,
				    "RepoNotFound",
				    "Repository not found");
		return;
	}
	g_string_append_len(loc, path, hit - path);
	g_string_append_printf(loc, "/%s%s", new_id, hit + strlen(needle));
	if (query != NULL)
		g_string_append_printf(loc, "?%s", query);
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "Location",
				     loc->str);
	body = g_strdup_printf("Temporary Redirect. Redirecting to %s", loc->str);
	bytes = g_bytes_new(body, strlen(body));
	testhub_reply_bytes(msg,
			    SOUP_STATUS_TEMPORARY_REDIRECT,
			    "text/plain; charset=utf-8",
			    bytes);
}

TesthubRepo *
testhub_request_repo(TesthubContext *ctx,
		     SoupServerMessage *msg,
		     TesthubRepoType type,
		     const gchar *repo_id,
		     gboolean write,
		     const TesthubUser **user_out)
{
	const TesthubToken *token = NULL;
	gboolean replied = FALSE;
	const TesthubUser *user = testhub_request_user(ctx, msg, &token, &replied);
	TesthubRepo *repo;
	const gchar *moved;

	if (user_out != NULL)
		*user_out = user;
	if (replied)
		return NULL;
	repo = testhub_store_get_repo(ctx->store, type, repo_id);
	if (repo == NULL) {
		moved = testhub_store_lookup_moved(ctx->store, type, repo_id);
		if (moved != NULL) {
			reply_moved(msg, repo_id, moved);
			return NULL;
		}
	}
	if (repo == NULL || !testhub_user_can_read_repo(ctx, user, repo)) {
		if (user == NULL) {
			soup_message_headers_replace(
				soup_server_message_get_response_headers(msg),
				"WWW-Authenticate",
				"Bearer realm=\"Authentication required\", charset=\"UTF-8\"");
			testhub_reply_error(msg,
					    SOUP_STATUS_UNAUTHORIZED,
					    "RepoNotFound",
					    "Invalid username or password.");
		} else {
			testhub_reply_error(msg,
					    SOUP_STATUS_NOT_FOUND,
					    "RepoNotFound",
					    "Repository not found");
		}
		return NULL;
	}
	if (write && !testhub_user_can_write_repo(ctx, user, token, repo)) {
		if (user == NULL)
			testhub_reply_error(msg,
					    SOUP_STATUS_UNAUTHORIZED,
					    NULL,
					    "Invalid username or password.");
		else
			testhub_reply_error(
				msg,
				SOUP_STATUS_FORBIDDEN,
				NULL,
				"You don't have the rights to write to this repository. "
				"Pass a token with write access.");
		return NULL;
	}
	return repo;
}

/* ---- JSON bodies ---- */

static gboolean
json_depth_ok(const gchar *data, gsize len, guint max_depth)
{
	guint depth = 0;
	gboolean in_string = FALSE;

	for (gsize i = 0; i < len; i++) {
		gchar ch = data[i];

		if (in_string) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_string = FALSE;
			continue;
		}
		if (ch == '"') {
			in_string = TRUE;
		} else if (ch == '{' || ch == '[') {
			if (++depth > max_depth)
				return FALSE;
		} else if ((ch == '}' || ch == ']') && depth > 0) {
			depth--;
		}
	}
	return TRUE;
}

JsonObject *
testhub_request_json_object(SoupServerMessage *msg)
{
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	const gchar *data;
	gsize len = 0;
	JsonNode *root;

	if (body->length > TESTHUB_MAX_BODY) {
		testhub_reply_error(msg,
				    SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
				    NULL,
				    "Request body too large");
		return NULL;
	}
	bytes = soup_message_body_flatten(body);
	data = g_bytes_get_data(bytes, &len);
	if (len == 0) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "Expected a JSON body");
		return NULL;
	}
	if (!json_depth_ok(data, len, TESTHUB_MAX_JSON_DEPTH)) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "JSON nested too deeply");
		return NULL;
	}
	if (!json_parser_load_from_data(parser, data, (gssize)len, &error)) {
		g_autofree gchar *m = g_strdup_printf("Invalid JSON: %s", error->message);

		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, m);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "Expected a JSON object");
		return NULL;
	}
	return json_object_ref(json_node_get_object(root));
}
