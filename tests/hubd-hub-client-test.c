/* hubd-hub-client-test.c: HubdHubClient against the local Hub — token only to
 * the Hub's origin (never the CDN), retries with fault injection, error
 * mapping, offline mode */
#define G_LOG_DOMAIN "HubdHubClientTest"

#include <libsoup/soup.h>

#include "hubd-error.h"
#include "hubd-hub-client.h"
#include "hubd-test-common.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"

typedef struct {
	HubdTestHub *hub;
	HubdConfig *config;
	HubdHubClient *client;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *endpoint = NULL;

	f->hub = hubd_test_hub_start(NULL);
	f->config = hubd_config_new("/nonexistent/hubd.conf", &error);
	g_assert_no_error(error);
	endpoint = g_strdup_printf("hub.endpoint=%s", f->hub->url);
	g_assert_true(hubd_config_set_override(f->config, endpoint, &error));
	/* tests must not wait seconds for backoff */
	g_assert_true(hubd_config_set_override(f->config, "http.retry-base-ms=50", &error));
	f->client = hubd_hub_client_new(f->config, NULL);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->client);
	g_clear_object(&f->config);
	hubd_test_hub_stop(f->hub);
}

/* set_body() refs the bytes; the test keeps none */
static void
set_body(HubdHubRequest *req, const gchar *content_type, const void *data, gsize len)
{
	g_autoptr(GBytes) body = g_bytes_new(data, len);

	hubd_hub_request_set_body(req, content_type, body);
}

static void
result_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(res);
}

static gboolean
result_ready(gpointer user_data)
{
	return *(GAsyncResult **)user_data != NULL;
}

static GAsyncResult *
wait_result(GAsyncResult **slot)
{
	g_assert_true(hubd_test_wait_for(result_ready, slot, HUBD_TEST_TIMEOUT_S * 1000));
	return *slot;
}

/* sends req with `token`, returns the response (NULL + error on failure) */
static HubdHubResponse *
send_request(Fixture *f, HubdHubRequest *req, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	hubd_hub_client_request_async(f->client, req, NULL, result_cb, &res);
	return hubd_hub_client_request_finish(f->client, wait_result(&res), error);
}

static JsonNode *
send_json(Fixture *f, HubdHubRequest *req, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	hubd_hub_client_get_json_async(f->client, req, NULL, result_cb, &res);
	return hubd_hub_client_get_json_finish(f->client, wait_result(&res), NULL, error);
}

static JsonArray *
admin_requests(Fixture *f)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", "/_testhub/requests");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	hubd_hub_request_set_header(req, "X-Testhub-Admin", f->hub->admin_secret);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_ANONYMOUS);
	node = send_json(f, req, &error);
	g_assert_no_error(error);
	g_assert_true(JSON_NODE_HOLDS_ARRAY(node));
	return json_array_ref(json_node_get_array(node));
}

static void
admin_post_fault(Fixture *f, const gchar *json)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("POST", "/_testhub/faults");
	g_autoptr(GBytes) body = g_bytes_new(json, strlen(json));
	g_autoptr(HubdHubResponse) resp = NULL;
	g_autoptr(GError) error = NULL;

	hubd_hub_request_set_header(req, "X-Testhub-Admin", f->hub->admin_secret);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_ANONYMOUS);
	hubd_hub_request_set_body(req, "application/json", body);
	resp = send_request(f, req, &error);
	g_assert_no_error(error);
}

static guint
count_requests(JsonArray *log, const gchar *origin, const gchar *path_part, gboolean *auth_out)
{
	guint n = 0;

	for (guint i = 0; i < json_array_get_length(log); i++) {
		JsonObject *o = json_array_get_object_element(log, i);
		if (g_strcmp0(json_object_get_string_member(o, "origin"), origin) != 0)
			continue;
		if (strstr(json_object_get_string_member(o, "path"), path_part) == NULL)
			continue;
		n++;
		if (auth_out != NULL)
			*auth_out = json_object_get_boolean_member(o, "authorization");
	}
	return n;
}

/* ---- tests ---- */

static void
test_whoami(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", "/api/whoami-v2");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	hubd_hub_request_set_token(req, ALICE_WRITE);
	hubd_hub_request_set_library(req, "hubd-test", "1.0");
	node = send_json(f, req, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node), "name"),
			==,
			"alice");
	g_assert_true(g_str_has_prefix(hubd_hub_client_get_user_agent(f->client), "hubd/"));
}

static void
test_errors(Fixture *f, gconstpointer data)
{
	struct {
		const gchar *path;
		const gchar *token;
		gint code;
	} cases[] = {
		{"/api/models/alice/does-not-exist", ALICE_WRITE, HUBD_ERROR_REPO_NOT_FOUND},
		/* anonymous: the Hub says 401, which is "not found" for a repo URL */
		{"/api/models/alice/does-not-exist", NULL, HUBD_ERROR_REPO_NOT_FOUND},
		{"/api/whoami-v2", "hf_wrong_token_000000", HUBD_ERROR_UNAUTHORIZED},
		{"/api/whoami-v2", NULL, HUBD_ERROR_UNAUTHORIZED},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", cases[i].path);
		g_autoptr(GError) error = NULL;
		g_autoptr(HubdHubResponse) resp = NULL;
		if (cases[i].token != NULL)
			hubd_hub_request_set_token(req, cases[i].token);
		resp = send_request(f, req, &error);
		g_assert_null(resp);
		g_assert_error(error, HUBD_ERROR, cases[i].code);
		/* a person can act on it: the status and a request id are there */
		g_assert_nonnull(strstr(error->message, "HTTP 40"));
	}
}

static void
test_error_classification(void)
{
	struct {
		guint status;
		const gchar *code;
		const gchar *message;
		const gchar *url;
		gint expect;
	} cases[] = {
		{404,
		 "RevisionNotFound",
		 NULL,
		 "https://h/api/models/a/b/revision/x",
		 HUBD_ERROR_REVISION_NOT_FOUND},
		{404,
		 "EntryNotFound",
		 NULL,
		 "https://h/a/b/resolve/main/f",
		 HUBD_ERROR_ENTRY_NOT_FOUND},
		{401, "GatedRepo", NULL, "https://h/a/b/resolve/main/f", HUBD_ERROR_GATED},
		{403, "GatedRepo", NULL, "https://h/a/b/resolve/main/f", HUBD_ERROR_GATED},
		{404, "RepoNotFound", NULL, "https://h/api/models/a/b", HUBD_ERROR_REPO_NOT_FOUND},
		{401,
		 NULL,
		 "Invalid username or password.",
		 "https://h/api/models/a/b",
		 HUBD_ERROR_REPO_NOT_FOUND},
		{401,
		 NULL,
		 "Invalid credentials in Authorization header",
		 "https://h/api/models/a/b",
		 HUBD_ERROR_UNAUTHORIZED},
		{401, NULL, NULL, "https://h/api/whoami-v2", HUBD_ERROR_UNAUTHORIZED},
		{403,
		 NULL,
		 "Access to this resource is disabled.",
		 "https://h/api/models/a/b",
		 HUBD_ERROR_FORBIDDEN},
		{403, NULL, NULL, "https://h/api/repos/create", HUBD_ERROR_FORBIDDEN},
		{409, NULL, NULL, "https://h/api/repos/create", HUBD_ERROR_CONFLICT},
		{412, NULL, NULL, "https://h/api/models/a/b/commit/main", HUBD_ERROR_CONFLICT},
		{429, NULL, NULL, "https://h/api/models", HUBD_ERROR_RATE_LIMITED},
		{400, NULL, NULL, "https://h/api/models", HUBD_ERROR_BAD_REQUEST},
		{404, NULL, NULL, "https://h/api/settings/webhooks/0a1b", HUBD_ERROR_NOT_FOUND},
		{422, NULL, NULL, "https://h/api/models", HUBD_ERROR_BAD_REQUEST},
		{500, NULL, NULL, "https://h/api/models", HUBD_ERROR_SERVER},
		{503, NULL, NULL, "https://h/api/models", HUBD_ERROR_SERVER},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SoupMessageHeaders) headers =
			soup_message_headers_new(SOUP_MESSAGE_HEADERS_RESPONSE);
		g_autoptr(GUri) uri = g_uri_parse(cases[i].url, G_URI_FLAGS_NONE, NULL);
		g_autoptr(GBytes) body = g_bytes_new_static("{\"error\":\"because\"}", 19);
		g_autoptr(GError) error = NULL;
		if (cases[i].code != NULL)
			soup_message_headers_append(headers, "X-Error-Code", cases[i].code);
		if (cases[i].message != NULL)
			soup_message_headers_append(headers, "X-Error-Message", cases[i].message);
		soup_message_headers_append(headers, "X-Request-Id", "req-123");
		g_assert_true(hubd_hub_client_error_from_response(cases[i].status,
								  headers,
								  body,
								  uri,
								  &error));
		g_assert_error(error, HUBD_ERROR, cases[i].expect);
		g_assert_nonnull(strstr(error->message, "req-123"));
		g_assert_nonnull(strstr(error->message,
					cases[i].message != NULL ? cases[i].message : "because"));
	}
	{
		g_autoptr(SoupMessageHeaders) headers =
			soup_message_headers_new(SOUP_MESSAGE_HEADERS_RESPONSE);
		g_assert_false(hubd_hub_client_error_from_response(302, headers, NULL, NULL, NULL));
	}
}

static void
test_retry_500(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", "/api/whoami-v2");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonArray) log = NULL;

	admin_post_fault(f,
			 "{\"path_regex\": \"^/api/whoami-v2$\", \"status\": 500, \"times\": 2}");
	hubd_hub_request_set_token(req, ALICE_WRITE);
	node = send_json(f, req, &error);
	g_assert_no_error(error);
	log = admin_requests(f);
	g_assert_cmpuint(count_requests(log, "hub", "/api/whoami-v2", NULL), ==, 3);
}

static void
test_retry_429(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", "/api/whoami-v2");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	gint64 start = g_get_monotonic_time();

	admin_post_fault(
		f,
		"{\"path_regex\": \"^/api/whoami-v2$\", \"status\": 429, \"retry_after\": 1, "
		"\"times\": 1}");
	hubd_hub_request_set_token(req, ALICE_WRITE);
	node = send_json(f, req, &error);
	g_assert_no_error(error);
	/* Retry-After: 1 was honoured (plus huggingface_hub's extra second) */
	g_assert_cmpint(g_get_monotonic_time() - start, >=, G_USEC_PER_SEC);
}

static void
note_waiting_cb(GObject *limiter, GParamSpec *pspec, gpointer user_data)
{
	gint64 *max = user_data;

	*max = MAX(*max, hubd_hub_rate_limiter_get_waiting_until(HUBD_HUB_RATE_LIMITER(limiter)));
}

/* 429s that name their wait are the shared budget, not faults: with one
 * retry for faults, three such 429s in a row are waited out, visibly (the
 * daemon's WaitingUntil follows the limiter), and the call works, while two
 * 500s in a row still fail it */
static void
test_429_not_a_fault(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", "/api/whoami-v2");
	g_autoptr(HubdHubRequest) again = hubd_hub_request_new("GET", "/api/whoami-v2");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonArray) log = NULL;
	gint64 waiting_until = 0;
	gint64 start = g_get_real_time();

	g_assert_true(hubd_config_set_override(f->config, "http.max-retries=1", &error));
	g_clear_object(&f->client);
	f->client = hubd_hub_client_new(f->config, NULL);
	g_signal_connect(hubd_hub_client_get_rate_limiter(f->client),
			 "notify::waiting-until",
			 G_CALLBACK(note_waiting_cb),
			 &waiting_until);
	admin_post_fault(
		f,
		"{\"path_regex\": \"^/api/whoami-v2$\", \"status\": 429, \"retry_after\": 0, "
		"\"times\": 3}");
	hubd_hub_request_set_token(req, ALICE_WRITE);
	node = send_json(f, req, &error);
	g_assert_no_error(error);
	log = admin_requests(f);
	g_assert_cmpuint(count_requests(log, "hub", "/api/whoami-v2", NULL), ==, 4);
	/* each wait of Retry-After: 0, plus huggingface_hub's second */
	g_assert_cmpint(waiting_until, >=, start + G_USEC_PER_SEC);
	g_assert_cmpint(g_get_real_time() - start, >=, 3 * G_USEC_PER_SEC);
	g_signal_handlers_disconnect_by_data(hubd_hub_client_get_rate_limiter(f->client),
					     &waiting_until);

	g_clear_pointer(&node, json_node_unref);
	admin_post_fault(f,
			 "{\"path_regex\": \"^/api/whoami-v2$\", \"status\": 500, \"times\": 2}");
	hubd_hub_request_set_token(again, ALICE_WRITE);
	node = send_json(f, again, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_SERVER);
}

/* a wait longer than hubd keeps a request: the error says when to come back,
 * and an anonymous caller that a login gets more */
static void
test_429_too_long(Fixture *f, gconstpointer data)
{
	for (guint anonymous = 0; anonymous < 2; anonymous++) {
		g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", "/api/models");
		g_autoptr(HubdHubResponse) resp = NULL;
		g_autoptr(GError) error = NULL;

		admin_post_fault(f,
				 "{\"path_regex\": \"^/api/models$\", \"status\": 429, "
				 "\"retry_after\": 3600, \"times\": 1}");
		if (anonymous)
			hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_ANONYMOUS);
		else
			hubd_hub_request_set_token(req, ALICE_WRITE);
		resp = send_request(f, req, &error);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_RATE_LIMITED);
		g_assert_nonnull(strstr(error->message, "wait 3600 seconds"));
		g_assert_true((strstr(error->message, "hubctl auth login") != NULL) == anonymous);
	}
}

static void
test_no_retry_post(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("POST", "/api/repos/create");
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdHubResponse) resp = NULL;
	g_autoptr(JsonArray) log = NULL;

	admin_post_fault(
		f,
		"{\"path_regex\": \"^/api/repos/create$\", \"status\": 503, \"times\": 1}");
	hubd_hub_request_set_token(req, ALICE_WRITE);
	set_body(req, "application/json", "{\"name\":\"r\"}", 12);
	resp = send_request(f, req, &error);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_SERVER);
	log = admin_requests(f);
	g_assert_cmpuint(count_requests(log, "hub", "/api/repos/create", NULL), ==, 1);
}

static void
test_offline(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdConfig) config = hubd_config_new("/nonexistent/hubd.conf", &error);
	g_autoptr(HubdHubClient) client = NULL;
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", "/api/whoami-v2");
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(HubdHubResponse) resp = NULL;

	g_setenv("HF_HUB_OFFLINE", "1", TRUE);
	client = hubd_hub_client_new(config, NULL);
	g_unsetenv("HF_HUB_OFFLINE");
	g_assert_true(hubd_hub_client_is_offline(client));
	hubd_hub_client_request_async(client, req, NULL, result_cb, &res);
	resp = hubd_hub_client_request_finish(client, wait_result(&res), &error);
	g_assert_null(resp);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_OFFLINE);
}

/* create a repo, upload an LFS object through the batch API and commit it */
static void
upload_lfs_file(Fixture *f, const gchar *repo, const gchar *path, const gchar *content)
{
	g_autofree gchar *oid = g_compute_checksum_for_string(G_CHECKSUM_SHA256, content, -1);
	gsize size = strlen(content);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *create =
		g_strdup_printf("{\"name\":\"%s\",\"type\":\"model\"}", strchr(repo, '/') + 1);
	g_autofree gchar *batch = g_strdup_printf(
		"{\"operation\":\"upload\",\"transfers\":[\"basic\"],\"hash_algo\":\"sha256\","
		"\"objects\":[{\"oid\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}]}",
		oid,
		size);
	g_autofree gchar *batch_path = g_strdup_printf("/%s.git/info/lfs/objects/batch", repo);
	g_autofree gchar *commit = g_strdup_printf(
		"{\"key\":\"header\",\"value\":{\"summary\":\"add\",\"description\":\"\"}}\n"
		"{\"key\":\"lfsFile\",\"value\":{\"path\":\"%s\",\"algo\":\"sha256\",\"oid\":\"%"
		"s\","
		"\"size\":%" G_GSIZE_FORMAT "}}\n",
		path,
		oid,
		size);
	g_autofree gchar *commit_path = g_strdup_printf("/api/models/%s/commit/main", repo);
	g_autoptr(HubdHubRequest) req = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(HubdHubResponse) resp = NULL;
	JsonObject *obj;
	JsonObject *actions;

	req = hubd_hub_request_new("POST", "/api/repos/create");
	hubd_hub_request_set_token(req, ALICE_WRITE);
	set_body(req, "application/json", create, strlen(create));
	g_clear_pointer(&node, json_node_unref);
	node = send_json(f, req, &error);
	g_assert_no_error(error);

	g_clear_pointer(&req, hubd_hub_request_unref);
	req = hubd_hub_request_new("POST", batch_path);
	hubd_hub_request_set_token(req, ALICE_WRITE);
	hubd_hub_request_set_header(req, "Accept", "application/vnd.git-lfs+json");
	set_body(req, "application/vnd.git-lfs+json", batch, strlen(batch));
	g_clear_pointer(&node, json_node_unref);
	node = send_json(f, req, &error);
	g_assert_no_error(error);
	obj = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(node), "objects"),
		0);
	actions = json_object_get_object_member(obj, "actions");
	if (actions != NULL && json_object_has_member(actions, "upload")) {
		const gchar *href = json_object_get_string_member(
			json_object_get_object_member(actions, "upload"),
			"href");
		g_clear_pointer(&req, hubd_hub_request_unref);
		req = hubd_hub_request_new("PUT", href);
		hubd_hub_request_set_token(req, ALICE_WRITE);
		set_body(req, "application/octet-stream", content, size);
		resp = send_request(f, req, &error);
		g_assert_no_error(error);
	}

	g_clear_pointer(&req, hubd_hub_request_unref);
	req = hubd_hub_request_new("POST", commit_path);
	hubd_hub_request_set_token(req, ALICE_WRITE);
	set_body(req, "application/x-ndjson", commit, strlen(commit));
	g_clear_pointer(&node, json_node_unref);
	node = send_json(f, req, &error);
	g_assert_no_error(error);
}

static void
test_cdn_gets_no_token(Fixture *f, gconstpointer data)
{
	const gchar *content = "a large weight file, stored through LFS\n";
	g_autoptr(HubdHubRequest) req =
		hubd_hub_request_new("GET", "/alice/lfs-model/resolve/main/weights.bin");
	g_autoptr(HubdHubRequest) clear = hubd_hub_request_new("DELETE", "/_testhub/requests");
	g_autoptr(HubdHubResponse) resp = NULL;
	g_autoptr(JsonArray) log = NULL;
	g_autoptr(GError) error = NULL;
	gboolean hub_auth = FALSE;
	gboolean cdn_auth = TRUE;
	gsize len = 0;

	upload_lfs_file(f, "alice/lfs-model", "weights.bin", content);
	hubd_hub_request_set_header(clear, "X-Testhub-Admin", f->hub->admin_secret);
	hubd_hub_request_set_flags(clear, HUBD_HUB_REQUEST_FLAG_ANONYMOUS);
	g_clear_pointer(&resp, hubd_hub_response_unref);
	resp = send_request(f, clear, &error);
	g_assert_no_error(error);

	hubd_hub_request_set_token(req, ALICE_WRITE);
	g_clear_pointer(&resp, hubd_hub_response_unref);
	resp = send_request(f, req, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(hubd_hub_response_get_status(resp), ==, 200);
	g_assert_cmpmem(g_bytes_get_data(hubd_hub_response_get_body(resp), &len),
			g_bytes_get_size(hubd_hub_response_get_body(resp)),
			content,
			strlen(content));
	/* the answer came from the CDN origin */
	g_assert_cmpstr(g_uri_get_host(hubd_hub_response_get_uri(resp)), ==, "127.0.0.1");

	log = admin_requests(f);
	g_assert_cmpuint(count_requests(log, "hub", "/resolve/main/weights.bin", &hub_auth), ==, 1);
	g_assert_true(hub_auth);
	g_assert_cmpuint(count_requests(log, "cdn", "/", &cdn_auth), >=, 1);
	g_assert_false(cdn_auth);
}

static void
test_stream(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("GET", "/api/whoami-v2");
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(HubdHubResponse) resp = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GError) error = NULL;
	gchar buf[64];
	gsize n = 0;

	hubd_hub_request_set_token(req, ALICE_WRITE);
	hubd_hub_client_send_async(f->client, req, NULL, result_cb, &res);
	stream = hubd_hub_client_send_finish(f->client, wait_result(&res), &resp, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(hubd_hub_response_get_status(resp), ==, 200);
	g_assert_true(g_input_stream_read_all(stream, buf, sizeof buf, &n, NULL, &error));
	g_assert_cmpuint(n, >, 0);
	g_assert_cmpint(buf[0], ==, '{');
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/hubd/hub-client/error-classification", test_error_classification);
	g_test_add_func("/hubd/hub-client/offline", test_offline);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/hubd/hub-client/whoami", test_whoami);
	ADD("/hubd/hub-client/errors", test_errors);
	ADD("/hubd/hub-client/retry/500", test_retry_500);
	ADD("/hubd/hub-client/retry/429", test_retry_429);
	ADD("/hubd/hub-client/retry/post-not-retried", test_no_retry_post);
	ADD("/hubd/hub-client/retry/429-too-long", test_429_too_long);
	ADD("/hubd/hub-client/retry/429-not-a-fault", test_429_not_a_fault);
	ADD("/hubd/hub-client/redirect/cdn-gets-no-token", test_cdn_gets_no_token);
	ADD("/hubd/hub-client/stream", test_stream);
#undef ADD
	return g_test_run();
}
