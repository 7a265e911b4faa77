/* testhub-upload.c: POST /api/{type}s/{id}/preupload/{rev} and the pure upload-mode rule. */
#include "testhub-upload.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "testhub.h"

/* patterns longer than this never match: bounds the backtracking */
#define GLOB_MAX_PATTERN 1024

static gboolean
wild_match(const gchar *p, const gchar *s);

/* `[...]` at *pp; on success advances *pp past the class and sets *matched */
static gboolean
class_match(const gchar **pp, gchar c, gboolean *matched)
{
	const gchar *p = *pp + 1;
	gboolean negate = FALSE;
	gboolean found = FALSE;
	gboolean first = TRUE;

	if (*p == '!' || *p == '^') {
		negate = TRUE;
		p++;
	}
	while (*p != '\0' && (first || *p != ']')) {
		gchar lo = *p;
		gchar hi = *p;

		first = FALSE;
		if (lo == '\\' && p[1] != '\0') {
			p++;
			lo = hi = *p;
		}
		if (p[1] == '-' && p[2] != '\0' && p[2] != ']') {
			hi = p[2];
			p += 2;
		}
		if (c >= lo && c <= hi)
			found = TRUE;
		p++;
	}
	if (*p != ']')
		return FALSE; /* unterminated: the caller treats '[' literally */
	*pp = p + 1;
	*matched = (found != negate) && c != '/';
	return TRUE;
}

/* "**" followed by `p`: any run of characters, '/' included */
static gboolean
match_double_star(const gchar *p, const gchar *s)
{
	if (*p == '/') {
		/* "**" then '/' matches zero or more whole folders */
		p++;
		for (const gchar *t = s;; t++) {
			if ((t == s || t[-1] == '/') && wild_match(p, t))
				return TRUE;
			if (*t == '\0')
				return FALSE;
		}
	}
	if (*p == '\0')
		return TRUE;
	for (const gchar *t = s;; t++) {
		if (wild_match(p, t))
			return TRUE;
		if (*t == '\0')
			return FALSE;
	}
}

static gboolean
wild_match(const gchar *p, const gchar *s)
{
	while (*p != '\0') {
		if (p[0] == '*' && p[1] == '*') {
			while (*p == '*')
				p++;
			return match_double_star(p, s);
		}
		if (*p == '*') {
			p++;
			for (const gchar *t = s;; t++) {
				if (wild_match(p, t))
					return TRUE;
				if (*t == '\0' || *t == '/')
					return FALSE;
			}
		}
		if (*s == '\0')
			return FALSE;
		if (*p == '?') {
			if (*s == '/')
				return FALSE;
			p++;
			s++;
			continue;
		}
		if (*p == '[') {
			gboolean matched = FALSE;
			const gchar *q = p;

			if (class_match(&q, *s, &matched)) {
				if (!matched)
					return FALSE;
				p = q;
				s++;
				continue;
			}
		}
		if (*p == '\\' && p[1] != '\0')
			p++;
		if (*p != *s)
			return FALSE;
		p++;
		s++;
	}
	return *s == '\0';
}

gboolean
testhub_glob_match(const gchar *pattern, const gchar *path)
{
	const gchar *base;

	if (pattern == NULL || *pattern == '\0' || strlen(pattern) > GLOB_MAX_PATTERN)
		return FALSE;
	/* git: a leading '/' anchors at the root; a pattern without any '/'
	 * matches the basename at any depth; otherwise the whole path */
	if (pattern[0] == '/')
		return wild_match(pattern + 1, path);
	if (strchr(pattern, '/') != NULL)
		return wild_match(pattern, path);
	base = strrchr(path, '/');
	return wild_match(pattern, base != NULL ? base + 1 : path);
}

gboolean
testhub_gitattributes_is_lfs(const gchar *gitattributes, const gchar *path)
{
	g_auto(GStrv) lines = NULL;
	gboolean lfs = FALSE;

	if (gitattributes == NULL)
		return FALSE;
	lines = g_strsplit(gitattributes, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) tokens = NULL;
		gchar *line = g_strstrip(lines[i]);

		if (*line == '\0' || *line == '#' || *line == '[')
			continue;
		tokens = g_strsplit_set(line, " \t", -1);
		if (!testhub_glob_match(tokens[0], path))
			continue;
		/* the last matching line that mentions `filter` decides */
		for (guint j = 1; tokens[j] != NULL; j++) {
			const gchar *attr = tokens[j];

			if (g_strcmp0(attr, "filter=lfs") == 0)
				lfs = TRUE;
			else if (g_strcmp0(attr, "-filter") == 0 ||
				 g_strcmp0(attr, "!filter") == 0 ||
				 g_str_has_prefix(attr, "filter="))
				lfs = FALSE;
		}
	}
	return lfs;
}

typedef struct {
	gchar *pattern;
	gboolean negate;
	gboolean dir_only;
} IgnoreRule;

static void
ignore_rule_free(gpointer data)
{
	IgnoreRule *rule = data;

	g_free(rule->pattern);
	g_free(rule);
}

static GPtrArray *
ignore_rules_parse(const gchar *gitignore)
{
	g_auto(GStrv) lines = g_strsplit(gitignore, "\n", -1);
	GPtrArray *rules = g_ptr_array_new_with_free_func(ignore_rule_free);

	for (guint i = 0; lines[i] != NULL; i++) {
		IgnoreRule *rule;
		gchar *line = g_strchomp(lines[i]);
		gsize len;

		if (*line == '\0' || *line == '#')
			continue;
		rule = g_new0(IgnoreRule, 1);
		if (*line == '!') {
			rule->negate = TRUE;
			line++;
		} else if (*line == '\\') {
			line++;
		}
		len = strlen(line);
		if (len > 0 && line[len - 1] == '/') {
			rule->dir_only = TRUE;
			line[len - 1] = '\0';
		}
		rule->pattern = g_strdup(line);
		g_ptr_array_add(rules, rule);
	}
	return rules;
}

/* last matching rule wins; returns TRUE when the final state is "ignored" */
static gboolean
ignore_rules_eval(GPtrArray *rules, const gchar *path, gboolean is_dir)
{
	gboolean ignored = FALSE;

	for (guint i = 0; i < rules->len; i++) {
		IgnoreRule *rule = g_ptr_array_index(rules, i);

		if (rule->dir_only && !is_dir)
			continue;
		if (testhub_glob_match(rule->pattern, path))
			ignored = !rule->negate;
	}
	return ignored;
}

gboolean
testhub_gitignore_matches(const gchar *gitignore, const gchar *path)
{
	g_autoptr(GPtrArray) rules = NULL;

	if (gitignore == NULL || path == NULL)
		return FALSE;
	rules = ignore_rules_parse(gitignore);
	/* git cannot re-include a file whose parent folder is excluded */
	for (const gchar *slash = strchr(path, '/'); slash != NULL;
	     slash = strchr(slash + 1, '/')) {
		g_autofree gchar *dir = g_strndup(path, slash - path);

		if (ignore_rules_eval(rules, dir, TRUE))
			return TRUE;
	}
	return ignore_rules_eval(rules, path, FALSE);
}

gboolean
testhub_sample_is_binary(const guint8 *sample, gsize len)
{
	return sample != NULL && memchr(sample, '\0', len) != NULL;
}

TesthubUploadMode
testhub_upload_mode(const gchar *path,
		    guint64 size,
		    const guint8 *sample,
		    gsize sample_len,
		    const gchar *gitattributes)
{
	/* empty files cannot go through LFS/S3 (docs/hub-upload.md §2.3) */
	if (size == 0)
		return TESTHUB_UPLOAD_REGULAR;
	if (testhub_gitattributes_is_lfs(gitattributes, path))
		return TESTHUB_UPLOAD_LFS;
	if (size > TESTHUB_REGULAR_MAX_SIZE)
		return TESTHUB_UPLOAD_LFS;
	if (size > TESTHUB_BINARY_MAX_SIZE &&
	    testhub_sample_is_binary(sample, MIN(sample_len, TESTHUB_SAMPLE_SIZE)))
		return TESTHUB_UPLOAD_LFS;
	return TESTHUB_UPLOAD_REGULAR;
}

/* ---- the HTTP handler ---- */

/* .gitattributes text at `commit`, or NULL */
static gchar *
load_gitattributes(TesthubContext *ctx, TesthubCommit *commit)
{
	TesthubEntry *entry = g_hash_table_lookup(commit->tree, ".gitattributes");
	g_autofree gchar *blob = NULL;
	gchar *text = NULL;

	if (entry == NULL || entry->lfs_sha256 != NULL || entry->size > TESTHUB_REGULAR_MAX_SIZE)
		return NULL;
	blob = testhub_store_blob_path(ctx->store, entry->blob_sha1);
	if (!g_file_get_contents(blob, &text, NULL, NULL))
		return NULL;
	return text;
}

static const gchar *
optional_string(JsonObject *obj, const gchar *name)
{
	JsonNode *node = json_object_get_member(obj, name);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

/* one answer row; NULL + *message when the request row is malformed */
static JsonNode *
preupload_file(JsonNode *item,
	       TesthubCommit *commit,
	       const gchar *gitattributes,
	       const gchar *gitignore,
	       gchar **message)
{
	JsonObject *file;
	JsonNode *size_node;
	const gchar *path;
	const gchar *sample_b64;
	g_autofree guchar *sample = NULL;
	gsize sample_len = 0;
	gint64 size;
	TesthubEntry *existing;
	TesthubUploadMode mode;
	g_autoptr(JsonBuilder) b = json_builder_new();

	if (!JSON_NODE_HOLDS_OBJECT(item)) {
		*message = g_strdup("Each file must be an object");
		return NULL;
	}
	file = json_node_get_object(item);
	path = optional_string(file, "path");
	size_node = json_object_get_member(file, "size");
	if (path == NULL || *path == '\0' || size_node == NULL ||
	    !JSON_NODE_HOLDS_VALUE(size_node) ||
	    json_node_get_value_type(size_node) != G_TYPE_INT64) {
		*message = g_strdup("Each file needs a \"path\" string and a \"size\" integer");
		return NULL;
	}
	size = json_node_get_int(size_node);
	if (size < 0) {
		*message = g_strdup_printf("Invalid size for %s", path);
		return NULL;
	}
	sample_b64 = optional_string(file, "sample");
	if (sample_b64 != NULL && *sample_b64 != '\0')
		sample = g_base64_decode(sample_b64, &sample_len);

	mode = testhub_upload_mode(path, (guint64)size, sample, sample_len, gitattributes);
	existing = g_hash_table_lookup(commit->tree, path);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "path");
	json_builder_add_string_value(b, path);
	json_builder_set_member_name(b, "uploadMode");
	json_builder_add_string_value(b, mode == TESTHUB_UPLOAD_LFS ? "lfs" : "regular");
	json_builder_set_member_name(b, "shouldIgnore");
	json_builder_add_boolean_value(b, testhub_gitignore_matches(gitignore, path));
	if (existing != NULL) {
		/* the remote oid lets clients skip no-op uploads (docs/hub-upload.md §1.2) */
		json_builder_set_member_name(b, "oid");
		json_builder_add_string_value(b,
					      existing->lfs_sha256 != NULL ? existing->lfs_sha256
									   : existing->blob_sha1);
	}
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

void
testhub_handle_preupload(TesthubContext *ctx,
			 SoupServerMessage *msg,
			 TesthubRepo *repo,
			 const gchar *rev)
{
	g_autoptr(JsonObject) body = NULL;
	g_autofree gchar *head = NULL;
	g_autofree gchar *attributes = NULL;
	g_autoptr(TesthubCommit) commit = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) answers = json_array_new();
	JsonObject *reply;
	JsonNode *root;
	JsonNode *files_node;
	JsonArray *files;
	const gchar *gitignore;
	const gchar *sent_attributes;

	body = testhub_request_json_object(msg);
	if (body == NULL)
		return;
	head = testhub_store_resolve_revision(ctx->store, repo, rev);
	if (head == NULL) {
		g_autofree gchar *text = g_strdup_printf("Invalid rev id: %s", rev);

		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, "RevisionNotFound", text);
		return;
	}
	files_node = json_object_get_member(body, "files");
	if (files_node == NULL || !JSON_NODE_HOLDS_ARRAY(files_node)) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "\"files\" must be an array");
		return;
	}
	files = json_node_get_array(files_node);
	if (json_array_get_length(files) > TESTHUB_PREUPLOAD_MAX_FILES) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "Too many files in one preupload request");
		return;
	}
	commit = testhub_store_load_commit(ctx->store, head, &error);
	if (commit == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, error->message);
		return;
	}

	/* a .gitattributes sent with the commit replaces the one at the revision */
	sent_attributes = optional_string(body, "gitAttributes");
	attributes = sent_attributes != NULL ? g_strdup(sent_attributes)
					     : load_gitattributes(ctx, commit);
	gitignore = optional_string(body, "gitIgnore");

	for (guint i = 0; i < json_array_get_length(files); i++) {
		g_autofree gchar *message = NULL;
		JsonNode *answer = preupload_file(json_array_get_element(files, i),
						  commit,
						  attributes,
						  gitignore,
						  &message);

		if (answer == NULL) {
			testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, message);
			return;
		}
		json_array_add_element(answers, answer);
	}

	reply = json_object_new();
	json_object_set_string_member(reply, "commitOid", head);
	json_object_set_array_member(reply, "files", g_steal_pointer(&answers));
	root = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(root, reply);
	testhub_reply_json(msg, SOUP_STATUS_OK, root);
}
