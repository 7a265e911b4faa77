/* hubd-repo-cli-helpers.c: the fixture and helpers of hubd-repo-cli-test */
#define G_LOG_DOMAIN "HubdRepoCliTest"

#include "hubd-repo-cli.h"

void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *hub_args[] = {"--page-size", "2", NULL};
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, NULL};
	g_autoptr(GError) error = NULL;
	const gchar *args[] = {"--endpoint", NULL, "--set", "http.retry-base-ms=50", NULL};

	f->hub = hubd_test_hub_start(hub_args);
	args[1] = f->hub->url;
	f->daemon = hubd_test_daemon_start(args, env);
	f->tmp = g_dir_make_tmp("hubd-repo-cli-XXXXXX", &error);
	g_assert_no_error(error);
}

void
fixture_teardown(Fixture *f, gconstpointer data)
{
	hubd_test_daemon_stop(f->daemon);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->tmp);
	g_free(f->tmp);
}

/* Runs hubctl with the NULL-terminated arguments; out/err may be NULL. */
gint
hubctl(gchar **out, gchar **err, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree gchar *o = NULL;
	g_autofree gchar *e = NULL;
	const gchar *arg;
	va_list args;
	gint rc;

	va_start(args, err);
	while ((arg = va_arg(args, const gchar *)) != NULL)
		g_ptr_array_add(argv, (gpointer)arg);
	va_end(args);
	g_ptr_array_add(argv, NULL);
	rc = hubd_test_run_hubctl((const gchar *const *)argv->pdata, NULL, &o, &e);
	if (g_test_verbose())
		g_printerr("hubctl: rc=%d\nstdout: %s\nstderr: %s\n", rc, o, e);
	if (out != NULL)
		*out = g_steal_pointer(&o);
	if (err != NULL)
		*err = g_steal_pointer(&e);
	return rc;
}

/* A failure the daemon reported: exit 1, one "hubctl: …" line naming `needle`. */
void
assert_failed(gint rc, const gchar *err, const gchar *needle)
{
	g_assert_cmpint(rc, ==, 1);
	g_assert_true(g_str_has_prefix(err, "hubctl: "));
	g_assert_null(strstr(err, "GDBus.Error"));
	g_assert_null(strstr(err, "org.hubd.Hub1.Error"));
	if (needle != NULL && strstr(err, needle) == NULL)
		g_error("expected “%s” in: %s", needle, err);
}

/* An HTTP request to the local Hub with curl (the token goes through stdin,
 * never argv); returns the status, the body in *body_out. */
static guint
hub_http_header(Fixture *f,
		const gchar *method,
		const gchar *path,
		const gchar *header,
		const gchar *body_file,
		const gchar *content_type,
		gchar **body_out)
{
	g_autofree gchar *url = g_strconcat(f->hub->url, path, NULL);
	g_autofree gchar *data = body_file != NULL ? g_strconcat("@", body_file, NULL) : NULL;
	g_autofree gchar *ctype = content_type != NULL
					  ? g_strconcat("Content-Type: ", content_type, NULL)
					  : g_strdup("X-Nothing: 1");
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	const gchar *argv[] = {"curl",
			       "-sS",
			       "-X",
			       method,
			       "-H",
			       "@-",
			       "-H",
			       ctype,
			       "-w",
			       "\n%{http_code}",
			       url,
			       data != NULL ? "--data-binary" : NULL,
			       data,
			       NULL};
	gchar *nl;
	guint status;

	g_assert_cmpint(hubd_test_run_command(argv, NULL, header != NULL ? header : "", &out, &err),
			==,
			0);
	nl = strrchr(out, '\n');
	g_assert_nonnull(nl);
	status = (guint)g_ascii_strtoull(nl + 1, NULL, 10);
	*nl = '\0';
	if (body_out != NULL)
		*body_out = g_steal_pointer(&out);
	return status;
}

guint
hub_http(Fixture *f,
	 const gchar *method,
	 const gchar *path,
	 const gchar *token,
	 const gchar *body_file,
	 const gchar *content_type,
	 gchar **body_out)
{
	g_autofree gchar *header =
		token != NULL ? g_strdup_printf("Authorization: Bearer %s\n", token) : NULL;

	return hub_http_header(f, method, path, header, body_file, content_type, body_out);
}

/* How many requests the local Hub has handled since the last call (its
 * admin request log, which this clears). */
guint
hub_requests_since(Fixture *f)
{
	g_autofree gchar *header = g_strdup_printf("X-Testhub-Admin: %s\n", f->hub->admin_secret);
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) root = NULL;
	guint n = 0;

	g_assert_cmpuint(hub_http_header(f, "GET", "/_testhub/requests", header, NULL, NULL, &body),
			 ==,
			 200);
	root = hubd_test_parse_json(body);
	for (guint i = 0; i < json_array_get_length(json_node_get_array(root)); i++) {
		JsonObject *o = json_array_get_object_element(json_node_get_array(root), i);
		/* hubd checks its token in the background after it starts */
		if (g_strcmp0(json_object_get_string_member(o, "path"), "/api/whoami-v2") != 0)
			n++;
	}
	g_assert_cmpuint(
		hub_http_header(f, "DELETE", "/_testhub/requests", header, NULL, NULL, NULL),
		<,
		300);
	return n;
}

/* GET /api/{type}s/{id} as alice: the status, the JSON in *json_out (may be NULL) */
guint
hub_repo_get(Fixture *f, const gchar *type, const gchar *repo_id, JsonNode **json_out)
{
	g_autofree gchar *path = g_strdup_printf("/api/%ss/%s", type, repo_id);
	g_autofree gchar *body = NULL;
	guint status = hub_http(f, "GET", path, ALICE_WRITE, NULL, NULL, &body);

	if (json_out != NULL)
		*json_out = status == 200 ? hubd_test_parse_json(body) : NULL;
	return status;
}

/* A commit of regular files straight to the Hub's NDJSON commit API as alice:
 * path, contents, …, NULL. Returns the commit id. */
gchar *
hub_commit(Fixture *f, const gchar *repo_id, const gchar *summary, ...)
{
	g_autoptr(GString) ndjson = g_string_new(NULL);
	g_autofree gchar *file = g_build_filename(f->tmp, "commit.ndjson", NULL);
	g_autofree gchar *path = g_strdup_printf("/api/models/%s/commit/main", repo_id);
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) root = NULL;
	const gchar *name;
	va_list args;

	g_string_append_printf(ndjson,
			       "{\"key\":\"header\",\"value\":{\"summary\":\"%s\","
			       "\"description\":\"\"}}\n",
			       summary);
	va_start(args, summary);
	while ((name = va_arg(args, const gchar *)) != NULL) {
		const gchar *contents = va_arg(args, const gchar *);
		g_autofree gchar *b64 = g_base64_encode((const guchar *)contents, strlen(contents));
		g_string_append_printf(ndjson,
				       "{\"key\":\"file\",\"value\":{\"path\":\"%s\",\"content\":"
				       "\"%s\",\"encoding\":\"base64\"}}\n",
				       name,
				       b64);
	}
	va_end(args);
	hubd_test_write_file(file, ndjson->str);
	g_assert_cmpuint(
		hub_http(f, "POST", path, ALICE_WRITE, file, "application/x-ndjson", &body),
		==,
		200);
	root = hubd_test_parse_json(body);
	return g_strdup(json_object_get_string_member(json_node_get_object(root), "commitOid"));
}

void
create_repo(const gchar *repo_id)
{
	g_autofree gchar *out = NULL;

	g_assert_cmpint(hubctl(&out, NULL, "repo", "create", repo_id, NULL), ==, 0);
}

/* The members `member` of every object of a JSON array, as "a,b,c" */
gchar *
json_column(JsonNode *array, const gchar *member)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();
	g_auto(GStrv) values = NULL;
	JsonArray *a = json_node_get_array(array);

	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *o = json_array_get_object_element(a, i);
		g_strv_builder_add(b, json_object_get_string_member(o, member));
	}
	values = g_strv_builder_end(b);
	return g_strjoinv(",", values);
}
