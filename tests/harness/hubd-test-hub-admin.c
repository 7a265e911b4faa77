/* hubd-test-hub-admin.c: the local Hub's admin surface from tests — request
 * log, fault rules, direct HTTP, and commits for fixtures */
#define G_LOG_DOMAIN "HubdTest"

#include "hubd-test-hub-admin.h"

#include <libsoup/soup.h>

/* A fixture's commit of thousands of files keeps an ASan-built local Hub
 * busy for tens of seconds; this only guards against a Hub that hangs. */
#define HUB_REQUEST_TIMEOUT_S 180

/* One synchronous request; tests may block. Returns the status. */
static guint
hub_send(HubdTestHub *h,
	 const gchar *method,
	 const gchar *url,
	 const gchar *token,
	 gboolean admin,
	 const gchar *content_type,
	 GBytes *body,
	 gchar **body_out)
{
	g_autoptr(SoupSession) session =
		soup_session_new_with_options("timeout", HUB_REQUEST_TIMEOUT_S, NULL);
	g_autoptr(SoupMessage) msg = soup_message_new(method, url);
	g_autoptr(GBytes) reply = NULL;
	g_autoptr(GError) error = NULL;
	SoupMessageHeaders *headers;

	g_assert_nonnull(msg);
	headers = soup_message_get_request_headers(msg);
	if (token != NULL) {
		g_autofree gchar *auth = g_strdup_printf("Bearer %s", token);
		soup_message_headers_replace(headers, "Authorization", auth);
	}
	if (admin)
		soup_message_headers_replace(headers, "X-Testhub-Admin", h->admin_secret);
	if (body != NULL)
		soup_message_set_request_body_from_bytes(msg,
							 content_type != NULL ? content_type
									      : "application/json",
							 body);
	reply = soup_session_send_and_read(session, msg, NULL, &error);
	g_assert_no_error(error);
	if (body_out != NULL) {
		gsize len = 0;
		const gchar *data = g_bytes_get_data(reply, &len);
		*body_out = g_strndup(data != NULL ? data : "", len);
	}
	return soup_message_get_status(msg);
}

guint
hubd_test_hub_http(HubdTestHub *h,
		   const gchar *method,
		   const gchar *path,
		   const gchar *token,
		   const gchar *json_body,
		   gchar **body_out)
{
	g_autofree gchar *url = NULL;
	g_autoptr(GBytes) body = NULL;

	g_assert_true(path != NULL && path[0] == '/');
	url = g_strconcat(h->url, path, NULL);
	if (json_body != NULL)
		body = g_bytes_new(json_body, strlen(json_body));
	return hub_send(h, method, url, token, FALSE, NULL, body, body_out);
}

JsonNode *
hubd_test_hub_post_form(HubdTestHub *h, const gchar *path, GHashTable *form)
{
	g_autofree gchar *url = g_strconcat(h->url, path, NULL);
	g_autofree gchar *text = soup_form_encode_hash(form);
	g_autoptr(GBytes) body = g_bytes_new(text, strlen(text));
	g_autofree gchar *reply = NULL;
	guint status = hub_send(h,
				"POST",
				url,
				NULL,
				FALSE,
				"application/x-www-form-urlencoded",
				body,
				&reply);

	if (status != 200)
		g_error("POST %s: HTTP %u %s", path, status, reply);
	return hubd_test_parse_json(reply);
}

JsonNode *
hubd_test_hub_admin(HubdTestHub *h, const gchar *method, const gchar *path, const gchar *json_body)
{
	g_autofree gchar *url = g_strconcat(h->url, path, NULL);
	g_autofree gchar *reply = NULL;
	g_autoptr(GBytes) body = NULL;
	guint status;

	if (json_body != NULL)
		body = g_bytes_new(json_body, strlen(json_body));
	status = hub_send(h, method, url, NULL, TRUE, NULL, body, &reply);
	if (!SOUP_STATUS_IS_SUCCESSFUL(status))
		g_error("testhub admin %s %s: HTTP %u: %s", method, path, status, reply);
	if (reply[0] == '\0')
		return json_node_init_null(json_node_alloc());
	return hubd_test_parse_json(reply);
}

void
hubd_test_hub_add_fault(HubdTestHub *h, const gchar *rule_json)
{
	g_autoptr(JsonNode) node = hubd_test_hub_admin(h, "POST", "/_testhub/faults", rule_json);
}

void
hubd_test_hub_clear_faults(HubdTestHub *h)
{
	g_autoptr(JsonNode) node = hubd_test_hub_admin(h, "DELETE", "/_testhub/faults", NULL);
}

void
hubd_test_hub_clear_requests(HubdTestHub *h)
{
	g_autoptr(JsonNode) node = hubd_test_hub_admin(h, "DELETE", "/_testhub/requests", NULL);
}

guint
hubd_test_hub_count_requests(HubdTestHub *h,
			     const gchar *method,
			     const gchar *path_regex,
			     const gchar *origin)
{
	g_autoptr(JsonNode) node = hubd_test_hub_admin(h, "GET", "/_testhub/requests", NULL);
	g_autoptr(GRegex) regex = NULL;
	JsonArray *array;
	guint n = 0;

	g_assert_true(JSON_NODE_HOLDS_ARRAY(node));
	if (path_regex != NULL) {
		g_autoptr(GError) error = NULL;
		regex = g_regex_new(path_regex, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, &error);
		g_assert_no_error(error);
	}
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonObject *entry = json_array_get_object_element(array, i);
		const gchar *m = json_object_get_string_member_with_default(entry, "method", "");
		const gchar *p = json_object_get_string_member_with_default(entry, "path", "");
		const gchar *o = json_object_get_string_member_with_default(entry, "origin", "");
		if (method != NULL && g_strcmp0(m, method) != 0)
			continue;
		if (origin != NULL && g_strcmp0(o, origin) != 0)
			continue;
		if (regex != NULL && !g_regex_match(regex, p, G_REGEX_MATCH_DEFAULT, NULL))
			continue;
		n++;
	}
	return n;
}

JsonObject *
hubd_test_hub_last_body(HubdTestHub *h, const gchar *method, const gchar *path_regex)
{
	g_autoptr(JsonNode) log = hubd_test_hub_admin(h, "GET", "/_testhub/requests", NULL);
	g_autoptr(GRegex) re = g_regex_new(path_regex, 0, 0, NULL);
	JsonArray *a = json_node_get_array(log);

	for (guint i = json_array_get_length(a); i > 0; i--) {
		JsonObject *o = json_array_get_object_element(a, i - 1);
		JsonNode *body = json_object_get_member(o, "body");
		g_autoptr(JsonNode) parsed = NULL;

		if (g_strcmp0(json_object_get_string_member(o, "method"), method) != 0 ||
		    !g_regex_match(re, json_object_get_string_member(o, "path"), 0, NULL))
			continue;
		g_assert_true(JSON_NODE_HOLDS_VALUE(body));
		parsed = hubd_test_parse_json(json_node_get_string(body));
		return json_object_ref(json_node_get_object(parsed));
	}
	g_error("no %s %s in the Hub's log", method, path_regex);
	return NULL;
}

gchar *
hubd_test_hub_last_user(HubdTestHub *h, const gchar *method, const gchar *path_regex)
{
	g_autoptr(JsonNode) log = hubd_test_hub_admin(h, "GET", "/_testhub/requests", NULL);
	g_autoptr(GRegex) re = g_regex_new(path_regex, 0, 0, NULL);
	JsonArray *a = json_node_get_array(log);

	for (guint i = json_array_get_length(a); i > 0; i--) {
		JsonObject *o = json_array_get_object_element(a, i - 1);

		if (g_strcmp0(json_object_get_string_member(o, "method"), method) != 0 ||
		    !g_regex_match(re, json_object_get_string_member(o, "path"), 0, NULL))
			continue;
		return g_strdup(json_object_get_string_member_with_default(o, "user", NULL));
	}
	g_error("no %s %s in the Hub's log", method, path_regex);
	return NULL;
}

/* ---- commits for fixtures ---- */

static const gchar *
repo_prefix(const gchar *repo_type)
{
	if (g_strcmp0(repo_type, "dataset") == 0)
		return "datasets/";
	if (g_strcmp0(repo_type, "space") == 0)
		return "spaces/";
	return "";
}

/* LFS batch + basic PUT (+ verify), as huggingface_hub's legacy path */
static void
upload_lfs(HubdTestHub *h,
	   const gchar *token,
	   const gchar *repo_type,
	   const gchar *repo_id,
	   const gchar *branch,
	   const gchar *oid,
	   const gchar *contents)
{
	gsize size = strlen(contents);
	g_autofree gchar *url = g_strdup_printf("%s/%s%s.git/info/lfs/objects/batch",
						h->url,
						repo_prefix(repo_type),
						repo_id);
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonNode) reply_node = NULL;
	g_autoptr(GBytes) body = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *reply = NULL;
	JsonObject *object;
	JsonObject *actions;
	gsize text_len = 0;
	guint status;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "operation");
	json_builder_add_string_value(b, "upload");
	json_builder_set_member_name(b, "transfers");
	json_builder_begin_array(b);
	json_builder_add_string_value(b, "basic");
	json_builder_end_array(b);
	json_builder_set_member_name(b, "objects");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "oid");
	json_builder_add_string_value(b, oid);
	json_builder_set_member_name(b, "size");
	json_builder_add_int_value(b, (gint64)size);
	json_builder_end_object(b);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "hash_algo");
	json_builder_add_string_value(b, "sha256");
	json_builder_set_member_name(b, "ref");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, branch);
	json_builder_end_object(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	text = json_generator_to_data(gen, &text_len);
	body = g_bytes_new_take(g_steal_pointer(&text), text_len);
	status = hub_send(h,
			  "POST",
			  url,
			  token,
			  FALSE,
			  "application/vnd.git-lfs+json",
			  body,
			  &reply);
	if (!SOUP_STATUS_IS_SUCCESSFUL(status))
		g_error("LFS batch: HTTP %u: %s", status, reply);
	reply_node = hubd_test_parse_json(reply);
	object = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(reply_node), "objects"),
		0);
	g_assert_nonnull(object);
	if (!json_object_has_member(object, "actions"))
		return; /* already stored */
	actions = json_object_get_object_member(object, "actions");
	{
		JsonObject *upload = json_object_get_object_member(actions, "upload");
		g_autoptr(GBytes) data = g_bytes_new(contents, size);
		g_autofree gchar *put_reply = NULL;
		status = hub_send(h,
				  "PUT",
				  json_object_get_string_member(upload, "href"),
				  NULL,
				  FALSE,
				  "application/octet-stream",
				  data,
				  &put_reply);
		if (!SOUP_STATUS_IS_SUCCESSFUL(status))
			g_error("LFS PUT: HTTP %u: %s", status, put_reply);
	}
	if (json_object_has_member(actions, "verify")) {
		JsonObject *verify = json_object_get_object_member(actions, "verify");
		g_autofree gchar *vbody =
			g_strdup_printf("{\"oid\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}", oid, size);
		g_autoptr(GBytes) data = g_bytes_new(vbody, strlen(vbody));
		g_autofree gchar *verify_reply = NULL;
		status = hub_send(h,
				  "POST",
				  json_object_get_string_member(verify, "href"),
				  token,
				  FALSE,
				  "application/vnd.git-lfs+json",
				  data,
				  &verify_reply);
		if (!SOUP_STATUS_IS_SUCCESSFUL(status))
			g_error("LFS verify: HTTP %u: %s", status, verify_reply);
	}
}

static gchar *
json_line(const gchar *key, JsonBuilder *value_builder)
{
	g_autoptr(JsonNode) value = json_builder_get_root(value_builder);
	g_autoptr(JsonObject) line = json_object_new();
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	g_autoptr(JsonGenerator) gen = json_generator_new();

	json_object_set_string_member(line, "key", key);
	json_object_set_member(line, "value", g_steal_pointer(&value));
	json_node_set_object(node, line);
	json_generator_set_root(gen, node);
	return json_generator_to_data(gen, NULL);
}

JsonNode *
hubd_test_hub_get_json(HubdTestHub *h, const gchar *token, const gchar *path)
{
	g_autofree gchar *body = NULL;
	guint status = hubd_test_hub_http(h, "GET", path, token, NULL, &body);

	if (status != 200)
		g_error("GET %s: HTTP %u %s", path, status, body);
	return hubd_test_parse_json(body);
}

void
hubd_test_hub_create_repo(HubdTestHub *h, const gchar *token, const gchar *json_body)
{
	g_autofree gchar *reply = NULL;
	guint status = hubd_test_hub_http(h, "POST", "/api/repos/create", token, json_body, &reply);

	if (status != 200)
		g_error("creating a repo with %s: HTTP %u %s", json_body, status, reply);
}

gchar *
hubd_test_hub_commit_files(HubdTestHub *h,
			   const gchar *token,
			   const gchar *repo_type,
			   const gchar *repo_id,
			   const gchar *branch,
			   gsize lfs_threshold,
			   ...)
{
	g_autoptr(GString) ndjson = g_string_new(NULL);
	g_autofree gchar *escaped = NULL;
	g_autofree gchar *reply = NULL;
	g_autoptr(JsonNode) reply_node = NULL;
	g_autoptr(GBytes) body = NULL;
	g_autofree gchar *url = NULL;
	const gchar *file;
	va_list ap;
	guint status;

	if (branch == NULL)
		branch = "main";
	{
		g_autoptr(JsonBuilder) b = json_builder_new();
		g_autofree gchar *line = NULL;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "summary");
		json_builder_add_string_value(b, "Test fixture");
		json_builder_set_member_name(b, "description");
		json_builder_add_string_value(b, "");
		json_builder_end_object(b);
		line = json_line("header", b);
		g_string_append_printf(ndjson, "%s\n", line);
	}
	va_start(ap, lfs_threshold);
	while ((file = va_arg(ap, const gchar *)) != NULL) {
		const gchar *contents = va_arg(ap, const gchar *);
		gsize size = strlen(contents);
		g_autoptr(JsonBuilder) b = json_builder_new();
		g_autofree gchar *line = NULL;

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "path");
		json_builder_add_string_value(b, file);
		if (lfs_threshold > 0 && size > lfs_threshold) {
			g_autofree gchar *oid =
				g_compute_checksum_for_string(G_CHECKSUM_SHA256, contents, size);
			upload_lfs(h, token, repo_type, repo_id, branch, oid, contents);
			json_builder_set_member_name(b, "algo");
			json_builder_add_string_value(b, "sha256");
			json_builder_set_member_name(b, "oid");
			json_builder_add_string_value(b, oid);
			json_builder_set_member_name(b, "size");
			json_builder_add_int_value(b, (gint64)size);
			json_builder_end_object(b);
			line = json_line("lfsFile", b);
		} else {
			g_autofree gchar *b64 = g_base64_encode((const guchar *)contents, size);
			json_builder_set_member_name(b, "content");
			json_builder_add_string_value(b, b64);
			json_builder_set_member_name(b, "encoding");
			json_builder_add_string_value(b, "base64");
			json_builder_end_object(b);
			line = json_line("file", b);
		}
		g_string_append_printf(ndjson, "%s\n", line);
	}
	va_end(ap);

	escaped = g_uri_escape_string(branch, NULL, FALSE);
	url = g_strdup_printf("%s/api/%ss/%s/commit/%s",
			      h->url,
			      repo_type != NULL ? repo_type : "model",
			      repo_id,
			      escaped);
	body = g_bytes_new(ndjson->str, ndjson->len);
	status = hub_send(h, "POST", url, token, FALSE, "application/x-ndjson", body, &reply);
	if (!SOUP_STATUS_IS_SUCCESSFUL(status))
		g_error("commit to %s: HTTP %u: %s", repo_id, status, reply);
	reply_node = hubd_test_parse_json(reply);
	return g_strdup(
		json_object_get_string_member(json_node_get_object(reply_node), "commitOid"));
}
