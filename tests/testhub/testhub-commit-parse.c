/* testhub-commit-parse.c: the commit payload (NDJSON or legacy JSON) and path checks. */
#include <string.h>

#include "testhub-commit.h"
#include "testhub.h"

static void
commit_line_free(gpointer data)
{
	TesthubCommitLine *line = data;

	g_free(line->path);
	g_free(line->old_path);
	g_clear_pointer(&line->content, g_bytes_unref);
	g_free(line->oid);
	g_free(line);
}

void
testhub_commit_request_free(TesthubCommitRequest *req)
{
	if (req == NULL)
		return;
	g_free(req->summary);
	g_free(req->description);
	g_free(req->parent_commit);
	g_clear_pointer(&req->lines, g_ptr_array_unref);
	g_free(req);
}

static TesthubCommitRequest *
commit_request_new(void)
{
	TesthubCommitRequest *req = g_new0(TesthubCommitRequest, 1);

	req->lines = g_ptr_array_new_with_free_func(commit_line_free);
	return req;
}

static gboolean
invalid(GError **error, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static gboolean
invalid(GError **error, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *message = NULL;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
	return FALSE;
}

gboolean
testhub_commit_validate_path(const gchar *path, gboolean folder, GError **error)
{
	g_auto(GStrv) segments = NULL;
	g_autofree gchar *copy = NULL;
	gsize len;

	if (path == NULL || *path == '\0')
		return invalid(error, "Invalid path: the path is empty");
	len = strlen(path);
	if (len > TESTHUB_PATH_MAX || !g_utf8_validate(path, len, NULL))
		return invalid(error, "Invalid path: %.64s…", path);
	for (const gchar *c = path; *c != '\0'; c++) {
		if ((guchar)*c < 0x20 || *c == 0x7f || *c == '\\')
			return invalid(error, "Invalid path: \"%s\"", path);
	}
	if (path[0] == '/')
		return invalid(error,
			       "Invalid path: \"%s\" must be relative to the repo root",
			       path);
	copy = g_strdup(path);
	if (folder && len > 1 && copy[len - 1] == '/')
		copy[len - 1] = '\0';
	segments = g_strsplit(copy, "/", -1);
	for (guint i = 0; segments[i] != NULL; i++) {
		const gchar *s = segments[i];

		if (*s == '\0' || g_strcmp0(s, ".") == 0 || g_strcmp0(s, "..") == 0)
			return invalid(error, "Invalid path: \"%s\"", path);
		if (g_strcmp0(s, ".git") == 0)
			return invalid(error, "Invalid path: \"%s\" (.git is reserved)", path);
	}
	return TRUE;
}

gboolean
testhub_is_sha256_hex(const gchar *s)
{
	if (s == NULL || strlen(s) != 64)
		return FALSE;
	for (guint i = 0; i < 64; i++) {
		if (!g_ascii_isxdigit(s[i]))
			return FALSE;
	}
	return TRUE;
}

gboolean
testhub_json_depth_ok(const gchar *text, gsize len, guint max_depth)
{
	guint depth = 0;
	gboolean in_string = FALSE;

	for (gsize i = 0; i < len; i++) {
		gchar c = text[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = FALSE;
			continue;
		}
		if (c == '"') {
			in_string = TRUE;
		} else if (c == '{' || c == '[') {
			if (++depth > max_depth)
				return FALSE;
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return TRUE;
}

static gboolean
base64_valid(const gchar *s)
{
	for (; *s != '\0'; s++) {
		if (!g_ascii_isalnum(*s) && *s != '+' && *s != '/' && *s != '=' && *s != '\n' &&
		    *s != '\r')
			return FALSE;
	}
	return TRUE;
}

/* string member or NULL; *bad set when present with another type */
static const gchar *
member_string(JsonObject *obj, const gchar *name, gboolean *bad)
{
	JsonNode *node = json_object_get_member(obj, name);

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return NULL;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		*bad = TRUE;
		return NULL;
	}
	return json_node_get_string(node);
}

static gboolean
parse_file_value(JsonObject *value, TesthubCommitLine *line, GError **error)
{
	gboolean bad = FALSE;
	const gchar *content = member_string(value, "content", &bad);
	const gchar *encoding = member_string(value, "encoding", &bad);

	if (bad)
		return invalid(error, "Invalid file operation for %s", line->path);
	if (content == NULL) {
		if (line->old_path == NULL)
			return invalid(error, "Missing content for %s", line->path);
		return TRUE;
	}
	if (encoding == NULL || g_ascii_strcasecmp(encoding, "utf-8") == 0 ||
	    g_ascii_strcasecmp(encoding, "utf8") == 0) {
		line->content = g_bytes_new(content, strlen(content));
	} else if (g_ascii_strcasecmp(encoding, "base64") == 0) {
		guchar *data;
		gsize len = 0;

		if (!base64_valid(content))
			return invalid(error, "Invalid base64 content for %s", line->path);
		data = g_base64_decode(content, &len);
		line->content = g_bytes_new_take(data, len);
	} else {
		return invalid(error, "Unsupported encoding \"%s\" for %s", encoding, line->path);
	}
	return TRUE;
}

static gboolean
parse_lfs_value(JsonObject *value, TesthubCommitLine *line, GError **error)
{
	gboolean bad = FALSE;
	const gchar *algo = member_string(value, "algo", &bad);
	const gchar *oid = member_string(value, "oid", &bad);
	JsonNode *size = json_object_get_member(value, "size");

	if (bad)
		return invalid(error, "Invalid lfsFile operation for %s", line->path);
	if (algo != NULL && g_strcmp0(algo, "sha256") != 0)
		return invalid(error, "Unsupported algo \"%s\" for %s", algo, line->path);
	if (oid == NULL) {
		if (line->old_path == NULL)
			return invalid(error, "Missing oid for %s", line->path);
	} else if (!testhub_is_sha256_hex(oid)) {
		return invalid(error, "Invalid oid for %s: %s", line->path, oid);
	} else {
		line->oid = g_ascii_strdown(oid, -1);
	}
	if (size != NULL && !JSON_NODE_HOLDS_NULL(size)) {
		if (!JSON_NODE_HOLDS_VALUE(size) ||
		    json_node_get_value_type(size) != G_TYPE_INT64 || json_node_get_int(size) < 0)
			return invalid(error, "Invalid size for %s", line->path);
		line->size = json_node_get_int(size);
	}
	return TRUE;
}

/* one operation from its key and value object */
static TesthubCommitLine *
parse_operation(const gchar *key, JsonObject *value, GError **error)
{
	g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func(commit_line_free);
	TesthubCommitLine *line = g_new0(TesthubCommitLine, 1);
	gboolean bad = FALSE;
	const gchar *path = member_string(value, "path", &bad);
	const gchar *old_path = member_string(value, "oldPath", &bad);
	gboolean ok;

	g_ptr_array_add(holder, line); /* freed on every error path */
	line->size = -1;
	if (g_strcmp0(key, "file") == 0)
		line->kind = TESTHUB_LINE_FILE;
	else if (g_strcmp0(key, "lfsFile") == 0)
		line->kind = TESTHUB_LINE_LFS_FILE;
	else if (g_strcmp0(key, "deletedFile") == 0)
		line->kind = TESTHUB_LINE_DELETED_FILE;
	else if (g_strcmp0(key, "deletedFolder") == 0)
		line->kind = TESTHUB_LINE_DELETED_FOLDER;
	else {
		invalid(error, "Unknown operation key \"%s\"", key);
		return NULL;
	}
	if (bad) {
		invalid(error, "Invalid \"%s\" operation: path must be a string", key);
		return NULL;
	}
	if (!testhub_commit_validate_path(path, line->kind == TESTHUB_LINE_DELETED_FOLDER, error))
		return NULL;
	line->path = g_strdup(path);
	if (old_path != NULL) {
		if (line->kind != TESTHUB_LINE_FILE && line->kind != TESTHUB_LINE_LFS_FILE) {
			invalid(error, "oldPath is only valid for file and lfsFile");
			return NULL;
		}
		if (!testhub_commit_validate_path(old_path, FALSE, error))
			return NULL;
		line->old_path = g_strdup(old_path);
	}
	if (line->kind == TESTHUB_LINE_FILE)
		ok = parse_file_value(value, line, error);
	else if (line->kind == TESTHUB_LINE_LFS_FILE)
		ok = parse_lfs_value(value, line, error);
	else
		ok = TRUE;
	if (!ok)
		return NULL;
	return g_ptr_array_steal_index(holder, 0);
}

static gboolean
parse_header(JsonObject *value, TesthubCommitRequest *req, GError **error)
{
	gboolean bad = FALSE;
	const gchar *summary = member_string(value, "summary", &bad);
	const gchar *description = member_string(value, "description", &bad);
	const gchar *parent = member_string(value, "parentCommit", &bad);

	if (bad)
		return invalid(error, "Invalid commit header");
	if (summary == NULL || *summary == '\0')
		return invalid(error, "A commit summary is required");
	if (parent != NULL && *parent != '\0') {
		gsize n = strlen(parent);

		for (gsize i = 0; i < n; i++) {
			if (!g_ascii_isxdigit(parent[i]))
				n = 0;
		}
		if (n < 5 || n > 40)
			return invalid(error, "Invalid parentCommit: %s", parent);
		req->parent_commit = g_ascii_strdown(parent, -1);
	}
	req->summary = g_strdup(summary);
	req->description = g_strdup(description != NULL ? description : "");
	return TRUE;
}

/* {"key": K, "value": {...}} from one NDJSON line */
static gboolean
parse_line_object(const gchar *text, gsize len, gchar **key, JsonObject **value, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) local = NULL;
	JsonNode *root;
	JsonObject *obj;
	JsonNode *key_node;
	JsonNode *value_node;

	if (!testhub_json_depth_ok(text, len, TESTHUB_MAX_JSON_DEPTH))
		return invalid(error, "Invalid NDJSON line: nested too deeply");
	if (!json_parser_load_from_data(parser, text, (gssize)len, &local))
		return invalid(error, "Invalid NDJSON line: %s", local->message);
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return invalid(error, "Invalid NDJSON line: not an object");
	obj = json_node_get_object(root);
	key_node = json_object_get_member(obj, "key");
	value_node = json_object_get_member(obj, "value");
	if (key_node == NULL || !JSON_NODE_HOLDS_VALUE(key_node) ||
	    json_node_get_value_type(key_node) != G_TYPE_STRING || value_node == NULL ||
	    !JSON_NODE_HOLDS_OBJECT(value_node))
		return invalid(error, "Invalid NDJSON line: expected {\"key\", \"value\"}");
	*key = g_strdup(json_node_get_string(key_node));
	*value = json_object_ref(json_node_get_object(value_node));
	return TRUE;
}

TesthubCommitRequest *
testhub_commit_parse_ndjson(const gchar *body, gsize len, GError **error)
{
	g_autoptr(TesthubCommitRequest) req = commit_request_new();
	gboolean have_header = FALSE;
	gsize start = 0;

	if (body == NULL)
		len = 0;
	while (start < len) {
		const gchar *nl = memchr(body + start, '\n', len - start);
		gsize end = nl != NULL ? (gsize)(nl - body) : len;
		gsize line_len = end - start;
		g_autofree gchar *key = NULL;
		g_autoptr(JsonObject) value = NULL;
		const gchar *line = body + start;

		start = end + 1;
		if (line_len > 0 && line[line_len - 1] == '\r')
			line_len--;
		if (line_len == 0)
			continue;
		if (req->lines->len >= TESTHUB_COMMIT_MAX_LINES) {
			invalid(error, "Too many operations in one commit");
			return NULL;
		}
		if (!parse_line_object(line, line_len, &key, &value, error))
			return NULL;
		if (g_strcmp0(key, "header") == 0) {
			if (have_header || req->lines->len > 0) {
				invalid(error, "The header must be the first line, once");
				return NULL;
			}
			if (!parse_header(value, req, error))
				return NULL;
			have_header = TRUE;
		} else {
			TesthubCommitLine *op;

			if (!have_header) {
				invalid(error, "The first line must be the commit header");
				return NULL;
			}
			op = parse_operation(key, value, error);
			if (op == NULL)
				return NULL;
			g_ptr_array_add(req->lines, op);
		}
	}
	if (!have_header) {
		invalid(error, "Missing commit header");
		return NULL;
	}
	return g_steal_pointer(&req);
}

static gboolean
parse_json_list(JsonObject *body,
		const gchar *member,
		const gchar *key,
		TesthubCommitRequest *req,
		GError **error)
{
	JsonNode *node = json_object_get_member(body, member);
	JsonArray *array;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (!JSON_NODE_HOLDS_ARRAY(node))
		return invalid(error, "\"%s\" must be an array", member);
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *item = json_array_get_element(array, i);
		TesthubCommitLine *op;

		if (!JSON_NODE_HOLDS_OBJECT(item))
			return invalid(error, "\"%s\" items must be objects", member);
		if (req->lines->len >= TESTHUB_COMMIT_MAX_LINES)
			return invalid(error, "Too many operations in one commit");
		op = parse_operation(key, json_node_get_object(item), error);
		if (op == NULL)
			return FALSE;
		g_ptr_array_add(req->lines, op);
	}
	return TRUE;
}

TesthubCommitRequest *
testhub_commit_parse_json(JsonObject *body, GError **error)
{
	g_autoptr(TesthubCommitRequest) req = commit_request_new();

	if (!parse_header(body, req, error))
		return NULL;
	if (!parse_json_list(body, "deletedFiles", "deletedFile", req, error) ||
	    !parse_json_list(body, "deletedFolders", "deletedFolder", req, error) ||
	    !parse_json_list(body, "files", "file", req, error) ||
	    !parse_json_list(body, "lfsFiles", "lfsFile", req, error))
		return NULL;
	return g_steal_pointer(&req);
}
