/* hubd-repos-test-util.c: what the Repos D-Bus tests share — a daemon with
 * alice's token against a local Hub with pages of 2, calls, and reading the
 * Hub back directly (curl, its request log) */
#define G_LOG_DOMAIN "HubdReposTest"

#include "hubd-repos-test-util.h"

#include <glib/gstdio.h>
#include <unistd.h>

/* data: NULL → the daemon has alice's token in HF_TOKEN; "anonymous" → none */
void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *hub_args[] = {"--page-size", "2", NULL};
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, NULL};
	const gchar *env_none[] = {"HF_TOKEN", NULL};
	g_autofree gchar *url = NULL;

	f->hub = hubd_test_hub_start(hub_args);
	url = g_strdup(f->hub->url);
	{
		const gchar *args[] = {"--endpoint", url, "--set", "http.retry-base-ms=50", NULL};
		f->daemon = hubd_test_daemon_start(args, data == NULL ? env : env_none);
	}
	f->bus = hubd_test_session_bus();
}

void
fixture_teardown(Fixture *f, gconstpointer data)
{
	hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
}

/* ---- helpers ---- */

GVariant *
call_on(GDBusConnection *c,
	const gchar *method,
	GVariant *params,
	const gchar *reply,
	GError **error)
{
	return hubd_test_call(c,
			      REPOS_IFACE,
			      method,
			      params,
			      reply != NULL ? G_VARIANT_TYPE(reply) : NULL,
			      error);
}

GVariant *
call(Fixture *f, const gchar *method, GVariant *params, const gchar *reply, GError **error)
{
	return call_on(f->bus, method, params, reply, error);
}

/* a call that must succeed; returns its only out value (or NULL) */
GVariant *
call_ok(Fixture *f, const gchar *method, GVariant *params, const gchar *reply)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = call(f, method, params, reply, &error);

	g_assert_no_error(error);
	if (r == NULL || g_variant_n_children(r) == 0)
		return NULL;
	return g_variant_get_child_value(r, 0);
}

void
assert_call_error(Fixture *f, const gchar *method, GVariant *params, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = call(f, method, params, NULL, &error);
	g_autofree gchar *remote = NULL;

	g_assert_null(r);
	g_assert_nonnull(error);
	remote = g_dbus_error_get_remote_error(error);
	if (g_strcmp0(remote, name) != 0)
		g_error("%s: expected %s, got %s (%s)", method, name, remote, error->message);
}

gchar *
create(Fixture *f, const gchar *type, const gchar *id, const gchar *options)
{
	g_autoptr(GVariant) url = call_ok(
		f,
		"Create",
		g_variant_new_parsed("(%s, %s, %@a{sv})",
				     type,
				     id,
				     g_variant_new_parsed(options != NULL ? options : "@a{sv} {}")),
		"(s)");

	return g_variant_dup_string(url, NULL);
}

/* curl against the Hub origin: returns the HTTP status, the body in *out */
guint
hub_http(Fixture *f,
	 const gchar *method,
	 const gchar *path,
	 const gchar *token,
	 const gchar *content_type,
	 const gchar *body,
	 gchar **out)
{
	g_autofree gchar *url = g_str_has_prefix(path, "http")
					? g_strdup(path)
					: g_strconcat(f->hub->url, path, NULL);
	g_autoptr(GString) headers = g_string_new(NULL);
	g_autofree gchar *header_file = NULL;
	g_autofree gchar *header_arg = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *argv[] = {"curl",
			       "-sS",
			       "-X",
			       method,
			       "-H",
			       NULL, /* @header_file */
			       "-w",
			       "\n%{http_code}",
			       "--data-binary",
			       "@-",
			       url,
			       NULL};
	g_autofree gchar *stdout_text = NULL;
	gint fd;
	gchar *nl;
	guint64 status = 0;

	/* headers from a file: tokens stay out of argv, where hubd-auth-test
	 * (maybe running at the same time) looks for them */
	g_string_append_printf(headers,
			       "Content-Type: %s\n",
			       content_type != NULL ? content_type : "application/json");
	if (token != NULL)
		g_string_append_printf(headers, "Authorization: Bearer %s\n", token);
	if (g_str_has_prefix(path, "/_testhub/"))
		g_string_append_printf(headers, "X-Testhub-Admin: %s\n", f->hub->admin_secret);
	fd = g_file_open_tmp("hubd-repos-test-XXXXXX", &header_file, &error);
	g_assert_no_error(error);
	close(fd);
	g_file_set_contents(header_file, headers->str, (gssize)headers->len, &error);
	g_assert_no_error(error);
	header_arg = g_strconcat("@", header_file, NULL);
	argv[5] = header_arg;
	/* GET and HEAD get an empty body */
	if (body == NULL) {
		argv[8] = "-H";
		argv[9] = "X-None: 1";
	}
	g_assert_cmpint(hubd_test_run_command(argv, NULL, body, &stdout_text, NULL), ==, 0);
	g_unlink(header_file);
	nl = strrchr(stdout_text, '\n');
	g_assert_nonnull(nl);
	g_assert_true(g_ascii_string_to_unsigned(nl + 1, 10, 100, 599, &status, NULL));
	*nl = '\0';
	if (out != NULL)
		*out = g_strdup(stdout_text);
	return (guint)status;
}

/* an NDJSON commit on the Hub as alice (docs/hub-upload.md §4); files alternate path,
 * contents, …, NULL. Returns the commit oid. */
gchar *
commit_files(Fixture *f, const gchar *id, const gchar *branch, const gchar *summary, ...)
{
	g_autoptr(GString) nd = g_string_new(NULL);
	g_autofree gchar *escaped = g_uri_escape_string(branch, NULL, FALSE);
	g_autofree gchar *path = g_strdup_printf("/api/models/%s/commit/%s", id, escaped);
	g_autofree gchar *out = NULL;
	g_autoptr(JsonNode) answer = NULL;
	const gchar *p;
	va_list ap;

	g_string_append_printf(nd,
			       "{\"key\":\"header\",\"value\":{\"summary\":\"%s\"}}\n",
			       summary);
	va_start(ap, summary);
	while ((p = va_arg(ap, const gchar *)) != NULL) {
		const gchar *content = va_arg(ap, const gchar *);
		g_autofree gchar *b64 = g_base64_encode((const guchar *)content, strlen(content));
		g_string_append_printf(nd,
				       "{\"key\":\"file\",\"value\":{\"content\":\"%s\",\"path\":"
				       "\"%s\",\"encoding\":\"base64\"}}\n",
				       b64,
				       p);
	}
	va_end(ap);
	g_assert_cmpuint(
		hub_http(f, "POST", path, ALICE_WRITE, "application/x-ndjson", nd->str, &out),
		==,
		200);
	answer = hubd_test_parse_json(out);
	return g_strdup(json_object_get_string_member(json_node_get_object(answer), "commitOid"));
}

/* An LFS file on main of a model repo, the way a client uploads one: the LFS
 * batch API, a PUT to the CDN, then an NDJSON commit naming the object.
 * Returns the object's sha256. */
gchar *
commit_lfs_file(Fixture *f, const gchar *id, const gchar *path, const gchar *content)
{
	g_autofree gchar *sha256 = g_compute_checksum_for_string(G_CHECKSUM_SHA256, content, -1);
	g_autofree gchar *batch_path = g_strdup_printf("/%s.git/info/lfs/objects/batch", id);
	g_autofree gchar *batch = g_strdup_printf(
		"{\"operation\":\"upload\",\"transfers\":[\"basic\"],\"hash_algo\":\"sha256\","
		"\"objects\":[{\"oid\":\"%s\",\"size\":%zu}]}",
		sha256,
		strlen(content));
	g_autofree gchar *commit_path = g_strdup_printf("/api/models/%s/commit/main", id);
	g_autofree gchar *nd = g_strdup_printf(
		"{\"key\":\"header\",\"value\":{\"summary\":\"Add LFS\"}}\n"
		"{\"key\":\"lfsFile\",\"value\":{\"path\":\"%s\",\"algo\":\"sha256\","
		"\"oid\":\"%s\",\"size\":%zu}}\n",
		path,
		sha256,
		strlen(content));
	g_autofree gchar *out = NULL;
	g_autoptr(JsonNode) answer = NULL;
	JsonObject *object;
	JsonObject *upload;

	g_assert_cmpuint(hub_http(f,
				  "POST",
				  batch_path,
				  ALICE_WRITE,
				  "application/vnd.git-lfs+json",
				  batch,
				  &out),
			 ==,
			 200);
	answer = hubd_test_parse_json(out);
	object = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(answer), "objects"),
		0);
	upload = json_object_get_object_member(json_object_get_object_member(object, "actions"),
					       "upload");
	g_assert_cmpuint(hub_http(f,
				  "PUT",
				  json_object_get_string_member(upload, "href"),
				  NULL,
				  "application/octet-stream",
				  content,
				  NULL),
			 ==,
			 200);
	g_assert_cmpuint(
		hub_http(f, "POST", commit_path, ALICE_WRITE, "application/x-ndjson", nd, NULL),
		==,
		200);
	return g_steal_pointer(&sha256);
}

void
clear_request_log(Fixture *f)
{
	g_assert_cmpuint(hub_http(f, "DELETE", "/_testhub/requests", NULL, NULL, NULL, NULL),
			 ==,
			 200);
}

/* requests the Hub handled since the last clear whose path matches */
guint
count_requests(Fixture *f, const gchar *method, const gchar *path_regex)
{
	g_autofree gchar *out = NULL;
	g_autoptr(JsonNode) log = NULL;
	g_autoptr(GRegex) re = g_regex_new(path_regex != NULL ? path_regex : ".*", 0, 0, NULL);
	JsonArray *a;
	guint n = 0;

	g_assert_cmpuint(hub_http(f, "GET", "/_testhub/requests", NULL, NULL, NULL, &out), ==, 200);
	log = hubd_test_parse_json(out);
	a = json_node_get_array(log);
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *o = json_array_get_object_element(a, i);
		const gchar *path = json_object_get_string_member(o, "path");

		if (method != NULL &&
		    g_strcmp0(json_object_get_string_member(o, "method"), method) != 0)
			continue;
		/* the Auth service asks whoami for HF_TOKEN's user at start-up,
		 * whenever that lands: not a request of these tests */
		if (g_strcmp0(path, "/api/whoami-v2") == 0)
			continue;
		if (g_regex_match(re, path, 0, NULL))
			n++;
	}
	return n;
}

gchar *
dict_string(GVariant *dict, const gchar *key)
{
	gchar *s = NULL;

	if (!g_variant_lookup(dict, key, "s", &s))
		g_error("no string “%s” in %s", key, g_variant_print(dict, TRUE));
	return s;
}

/* the values of `key` in an aa{sv}, in order, as one comma-separated string */
gchar *
join_key(GVariant *list, const gchar *key)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (gsize i = 0; i < g_variant_n_children(list); i++) {
		g_autoptr(GVariant) d = g_variant_get_child_value(list, i);
		g_autofree gchar *v = dict_string(d, key);
		g_string_append_printf(s, "%s%s", i > 0 ? "," : "", v);
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* a file's git blob sha1 (the oid of tree entries) */
gchar *
git_blob_sha1(const gchar *content)
{
	g_autoptr(GChecksum) c = g_checksum_new(G_CHECKSUM_SHA1);
	g_autofree gchar *header = g_strdup_printf("blob %zu", strlen(content));

	g_checksum_update(c, (const guchar *)header, (gssize)strlen(header) + 1);
	g_checksum_update(c, (const guchar *)content, (gssize)strlen(content));
	return g_strdup(g_checksum_get_string(c));
}
