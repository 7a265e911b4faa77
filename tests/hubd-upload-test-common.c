/* hubd-upload-test-common.c: the fixture and helpers of the upload tests */
#define G_LOG_DOMAIN "HubdUploadTest"

#include "hubd-upload-test-common.h"

#include <glib/gstdio.h>

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *hub_args[] = {"--lfs-chunk-size", "65536", NULL};
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, NULL};
	g_autofree gchar *oid = NULL;
	g_autoptr(GError) error = NULL;

	f->strings = g_ptr_array_new_with_free_func(g_free);
	f->tmp = g_dir_make_tmp("hubd-upload-XXXXXX", &error);
	g_assert_no_error(error);
	f->hub = hubd_test_hub_start(hub_args);
	{
		const gchar *args[] = {"--endpoint",
				       f->hub->url,
				       "--set",
				       "http.retry-base-ms=50",
				       NULL};
		f->daemon = hubd_test_daemon_start(args, env);
	}
	f->bus = hubd_test_session_bus();
	create_repo(f, "alice/up");
	oid = hubd_test_hub_commit_files(f->hub,
					 ALICE_WRITE,
					 "model",
					 "alice/up",
					 NULL,
					 0,
					 "README.md",
					 "---\nlicense: mit\n---\n# Up\n",
					 NULL);
	hubd_test_hub_clear_requests(f->hub);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	hubd_test_daemon_stop(f->daemon);
	g_clear_object(&f->bus);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->tmp);
	g_free(f->tmp);
	g_ptr_array_unref(f->strings);
}

void
fixture_add(const gchar *path, void (*func)(Fixture *, gconstpointer))
{
	g_test_add(path, Fixture, NULL, fixture_setup, func, fixture_teardown);
}

static const gchar *
keep(Fixture *f, gchar *s)
{
	g_ptr_array_add(f->strings, s);
	return s;
}

const gchar *
fixture_write(Fixture *f, const gchar *rel, const gchar *contents)
{
	gchar *path = g_build_filename(f->tmp, rel, NULL);

	hubd_test_write_file(path, contents);
	return keep(f, path);
}

const gchar *
fixture_random_file(Fixture *f, const gchar *rel, gsize size, guint32 seed)
{
	gchar *path = g_build_filename(f->tmp, rel, NULL);
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	g_autofree guint8 *data = g_malloc(size);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_path_get_dirname(path);

	for (gsize i = 0; i < size; i++)
		data[i] = (guint8)g_rand_int_range(rand, 0, 256);
	data[0] = 0; /* binary for sure */
	g_mkdir_with_parents(dir, 0700);
	g_file_set_contents(path, (const gchar *)data, (gssize)size, &error);
	g_assert_no_error(error);
	return keep(f, path);
}

static GVariant *
options_variant(const gchar *options)
{
	g_autofree gchar *typed = g_strconcat("@a{sv} ", options, NULL);

	return g_variant_new_parsed(typed);
}

HubdTestJobResult *
upload_pairs(Fixture *f, const gchar *repo, GVariant *pairs, const gchar *options)
{
	return hubd_test_run_job(f->bus,
				 "Upload",
				 g_variant_new("(sss@a(ss)@a{sv})",
					       "model",
					       repo,
					       "",
					       pairs,
					       options_variant(options)),
				 JOB_TIMEOUT_MS);
}

HubdTestJobResult *
upload_files(Fixture *f,
	     const gchar *repo,
	     const gchar *local,
	     const gchar *path,
	     const gchar *options)
{
	return upload_pairs(f, repo, g_variant_new_parsed("[(%s, %s)]", local, path), options);
}

HubdTestJobResult *
upload_folder(Fixture *f,
	      const gchar *repo,
	      const gchar *dir,
	      const gchar *path_in_repo,
	      const gchar *options)
{
	return hubd_test_run_job(f->bus,
				 "UploadFolder",
				 g_variant_new("(sssss@a{sv})",
					       "model",
					       repo,
					       "",
					       path_in_repo,
					       dir,
					       options_variant(options)),
				 JOB_TIMEOUT_MS);
}

HubdTestJobResult *
commit_ops(Fixture *f, const gchar *repo, GVariant *ops)
{
	return hubd_test_run_job(f->bus,
				 "Commit",
				 g_variant_new("(sss@aa{sv}@a{sv})",
					       "model",
					       repo,
					       "",
					       ops,
					       g_variant_new_parsed("@a{sv} {}")),
				 JOB_TIMEOUT_MS);
}

void
assert_job_ok(HubdTestJobResult *r)
{
	if (!r->ok)
		g_error("upload failed: %s: %s", r->error_name, r->message);
	g_assert_cmpstr(r->state, ==, "completed");
}

void
assert_job_error(HubdTestJobResult *r, const gchar *error_name)
{
	if (r->ok)
		g_error("upload succeeded, expected %s", error_name);
	if (g_strcmp0(r->error_name, error_name) != 0)
		g_error("expected %s, got %s: %s", error_name, r->error_name, r->message);
}

void
assert_dbus_error(GError *error, const gchar *name)
{
	g_autofree gchar *remote = NULL;

	g_assert_nonnull(error);
	remote = g_dbus_error_get_remote_error(error);
	if (g_strcmp0(remote, name) != 0)
		g_error("expected %s, got %s (%s)", name, remote, error->message);
}

void
create_repo(Fixture *f, const gchar *repo)
{
	g_auto(GStrv) parts = g_strsplit(repo, "/", 2);
	g_autofree gchar *body =
		g_strdup_printf("{\"name\":\"%s\",\"organization\":\"%s\"}", parts[1], parts[0]);
	g_autofree gchar *reply = NULL;
	guint status =
		hubd_test_hub_http(f->hub, "POST", "/api/repos/create", ALICE_WRITE, body, &reply);

	if (status != 200)
		g_error("create %s: %u %s", repo, status, reply);
}

gchar *
fetch(Fixture *f, const gchar *repo, const gchar *rev, const gchar *path, guint *status)
{
	g_autofree gchar *url = g_strdup_printf("/%s/resolve/%s/%s", repo, rev, path);
	gchar *body = NULL;
	guint s = hubd_test_hub_http(f->hub, "GET", url, ALICE_WRITE, NULL, &body);

	if (status != NULL)
		*status = s;
	else if (s != 200)
		g_error("GET %s: %u", url, s);
	return body;
}

void
assert_same_bytes(Fixture *f,
		  const gchar *repo,
		  const gchar *rev,
		  const gchar *path,
		  const gchar *local)
{
	g_autofree gchar *url =
		g_strdup_printf("%s/%s/resolve/%s/%s", f->hub->url, repo, rev, path);
	g_autofree gchar *out = g_build_filename(f->tmp, "downloaded.bin", NULL);
	/* the header comes from a file: a token in argv is visible to every user */
	g_autofree gchar *header_file = g_build_filename(f->tmp, "auth-header", NULL);
	g_autofree gchar *header_arg = g_strconcat("@", header_file, NULL);
	const gchar *argv[] = {"curl", "-sSfL", "-H", header_arg, "-o", out, url, NULL};
	g_autofree gchar *a = NULL;
	g_autofree gchar *b = NULL;
	gsize alen = 0;
	gsize blen = 0;
	g_autofree gchar *err = NULL;

	hubd_test_write_file(header_file, "Authorization: Bearer " ALICE_WRITE "\n");
	if (hubd_test_run_command(argv, NULL, NULL, NULL, &err) != 0)
		g_error("curl %s: %s", url, err);
	g_assert_true(g_file_get_contents(out, &a, &alen, NULL));
	g_assert_true(g_file_get_contents(local, &b, &blen, NULL));
	g_assert_cmpmem(a, alen, b, blen);
	g_unlink(out);
}

guint
log_count(Fixture *f, const gchar *method, const gchar *path_regex, const gchar *origin, gint auth)
{
	g_autoptr(JsonNode) node = hubd_test_hub_admin(f->hub, "GET", "/_testhub/requests", NULL);
	g_autoptr(GRegex) regex =
		path_regex != NULL
			? g_regex_new(path_regex, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, NULL)
			: NULL;
	JsonArray *array = json_node_get_array(node);
	guint n = 0;

	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonObject *e = json_array_get_object_element(array, i);
		const gchar *m = json_object_get_string_member_with_default(e, "method", "");
		const gchar *p = json_object_get_string_member_with_default(e, "path", "");
		const gchar *o = json_object_get_string_member_with_default(e, "origin", "");
		gboolean has_auth =
			json_object_get_boolean_member_with_default(e, "authorization", FALSE);

		if ((method != NULL && g_strcmp0(m, method) != 0) ||
		    (origin != NULL && g_strcmp0(o, origin) != 0) ||
		    (regex != NULL && !g_regex_match(regex, p, G_REGEX_MATCH_DEFAULT, NULL)) ||
		    (auth >= 0 && has_auth != (auth == 1)))
			continue;
		n++;
	}
	return n;
}

gint64
first_fault_fired(JsonNode *faults)
{
	JsonArray *arr =
		JSON_NODE_HOLDS_ARRAY(faults)
			? json_node_get_array(faults)
			: json_object_get_array_member(json_node_get_object(faults), "rules");

	g_assert_cmpuint(json_array_get_length(arr), >, 0);
	return json_object_get_int_member(json_array_get_object_element(arr, 0), "fired");
}

const gchar *
head_of(Fixture *f, const gchar *repo)
{
	g_autofree gchar *path = g_strdup_printf("/api/models/%s", repo);
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) node = NULL;

	g_assert_cmpuint(hubd_test_hub_http(f->hub, "GET", path, ALICE_WRITE, NULL, &body),
			 ==,
			 200);
	node = hubd_test_parse_json(body);
	return keep(f, g_strdup(json_object_get_string_member(json_node_get_object(node), "sha")));
}

const gchar *
last_commit_message(Fixture *f, const gchar *repo)
{
	g_autofree gchar *path = g_strdup_printf("/api/models/%s/commits/main", repo);
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *c;

	g_assert_cmpuint(hubd_test_hub_http(f->hub, "GET", path, ALICE_WRITE, NULL, &body),
			 ==,
			 200);
	node = hubd_test_parse_json(body);
	c = json_array_get_object_element(json_node_get_array(node), 0);
	return keep(f,
		    g_strconcat(json_object_get_string_member_with_default(c, "title", ""),
				"\n",
				json_object_get_string_member_with_default(c, "message", ""),
				NULL));
}

gchar *
tree_paths(Fixture *f, const gchar *repo)
{
	g_autofree gchar *path = g_strdup_printf("/api/models/%s/tree/main?recursive=true", repo);
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonArray *arr;
	GString *out = g_string_new("|");

	g_assert_cmpuint(hubd_test_hub_http(f->hub, "GET", path, ALICE_WRITE, NULL, &body),
			 ==,
			 200);
	node = hubd_test_parse_json(body);
	arr = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *e = json_array_get_object_element(arr, i);
		if (g_strcmp0(json_object_get_string_member(e, "type"), "file") == 0)
			g_string_append_printf(out,
					       "%s|",
					       json_object_get_string_member(e, "path"));
	}
	return g_string_free(out, FALSE);
}
