/* hubd-hostile-hub-test.c: a Hub that lists paths no Hub may send — parent
 * references, absolute paths, backslashes, NUL, names of 5,000 characters —
 * rigged in the local Hub's stored commit (or, for NUL, in its answer) so
 * that its tree listing carries them; that sends endless answers, heads
 * byte by byte, and redirects to another origin. Each snapshot is refused
 * with a typed error naming the problem, nothing is written outside the
 * cache, the token stays with the Hub, the daemon's memory stays bounded and
 * it still answers on D-Bus afterwards. */
#define G_LOG_DOMAIN "HubdHostileHubTest"

#include "hubd-download-fixture.h"

#define PEAK_LIMIT_KIB (64 * 1024)

typedef struct {
	const gchar *name;
	const gchar *json; /* the entry's name as JSON text, quotes included */
	/* put in the Hub's answers as they go out (a name the store cannot
	 * hold), not in the stored commit */
	gboolean in_answer;
} HostilePath;

static const HostilePath hostile[] = {
	{"parent", "\"../../evil\""},
	{"backslash", "\"..\\\\..\\\\evil\""},
	{"absolute", "\"/tmp/hubd-hostile-evil\""},
	/* json-glib would cut the name at the NUL and keep "config" */
	{"nul", "\"config\\u0000/../../evil\"", TRUE},
	{"long", NULL}, /* 5,000 characters, built below */
};

/* VmHWM of the daemon, in KiB */
static guint64
peak_kib(Fixture *f)
{
	g_autofree gchar *path =
		g_strdup_printf("/proc/%d/status", (gint)hubd_test_daemon_get_pid(f->daemon));
	g_autofree gchar *text = read_file(path);
	const gchar *hwm = strstr(text, "VmHWM:");

	g_assert_nonnull(hwm);
	return g_ascii_strtoull(hwm + strlen("VmHWM:"), NULL, 10);
}

static gboolean
under_asan(void)
{
	g_autofree gchar *maps = read_file("/proc/self/maps");

	return strstr(maps, "libasan") != NULL;
}

/* Only the cache itself in the test's folder: nothing beside it. */
static void
assert_nothing_outside(Fixture *f)
{
	g_autoptr(GDir) dir = g_dir_open(f->tmp, 0, NULL);
	const gchar *name;

	g_assert_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL)
		g_assert_cmpstr(name, ==, "cache");
	g_assert_false(g_file_test("/tmp/hubd-hostile-evil", G_FILE_TEST_EXISTS));
}

/* `data` names the case: the fixture's own data is the default */
static void
hostile_setup(Fixture *f, gconstpointer data)
{
	fixture_setup(f, FIXTURE(FIXTURE_DIRECT_DEFAULT));
}

static void
test_hostile_path(Fixture *f, gconstpointer data)
{
	const HostilePath *h = data;
	g_autofree gchar *cpath =
		g_strdup_printf("%s/objects/commits/%s.json", f->hub->root, f->commit);
	g_autofree gchar *json = read_file(cpath);
	g_autoptr(GString) s = g_string_new(json);
	g_autoptr(GString) entry = g_string_new(NULL);
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *snapdir = cache_path(f, "snapshots");

	if (h->json != NULL) {
		g_string_assign(entry, h->json);
	} else {
		g_string_append_c(entry, '"');
		for (guint i = 0; i < 5000; i++)
			g_string_append_c(entry, 'a' + i % 26);
		g_string_append_c(entry, '"');
	}
	if (h->in_answer) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		g_autoptr(JsonNode) rule = NULL;
		g_autofree gchar *text = NULL;

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "action");
		json_builder_add_string_value(b, "replace");
		json_builder_set_member_name(b, "path_regex");
		json_builder_add_string_value(b, "^/api/");
		json_builder_set_member_name(b, "times");
		json_builder_add_int_value(b, 0);
		json_builder_set_member_name(b, "find");
		json_builder_add_string_value(b, "\"config.json\"");
		json_builder_set_member_name(b, "replace");
		json_builder_add_string_value(b, entry->str);
		json_builder_end_object(b);
		rule = json_builder_get_root(b);
		text = json_to_string(rule, FALSE);
		hubd_test_hub_add_fault(f->hub, text);
	} else {
		g_assert_cmpuint(g_string_replace(s, "\"config.json\"", entry->str, 0), >=, 1);
		hubd_test_write_file(cpath, s->str);
	}

	r = snapshot(f, f->commit, NULL);
	assert_failed(r, ERR "Server");
	g_test_message("hostile Hub: %s path → %s: %s", h->name, r->error_name, r->message);
	g_assert_nonnull(strstr(r->message, h->in_answer ? "NUL" : "unsafe"));
	/* refused before anything was written */
	g_assert_false(g_file_test(snapdir, G_FILE_TEST_EXISTS));
	assert_nothing_outside(f);
	/* still there */
	hubd_test_assert_daemon_answers(f->bus);
	if (!under_asan())
		g_assert_cmpuint(peak_kib(f), <, PEAK_LIMIT_KIB);
}

/* A listing whose blob ids are not hex ("../../evil…" for every regular
 * file). They would name blobs on disk, so hubd does not take them: each
 * file asks the Hub with a HEAD as it would without a listing, and every
 * byte lands where it belongs. */
static void
test_hostile_blob_id(Fixture *f, gconstpointer data)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) rule = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GPtrArray) heads = NULL;
	g_autoptr(GVariant) files = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "action");
	json_builder_add_string_value(b, "replace");
	json_builder_set_member_name(b, "path_regex");
	json_builder_add_string_value(b, "/tree/");
	json_builder_set_member_name(b, "times");
	json_builder_add_int_value(b, 0);
	json_builder_set_member_name(b, "find");
	json_builder_add_string_value(b, "\"type\":\"file\",\"oid\":\"");
	json_builder_set_member_name(b, "replace");
	json_builder_add_string_value(b, "\"type\":\"file\",\"oid\":\"../../evil");
	json_builder_end_object(b);
	rule = json_builder_get_root(b);
	text = json_to_string(rule, FALSE);
	hubd_test_hub_add_fault(f->hub, text);
	hubd_test_hub_clear_requests(f->hub);

	r = snapshot(f, "main", NULL);
	assert_layout(f, r);
	files = g_variant_lookup_value(r->result, "files", G_VARIANT_TYPE_STRING_ARRAY);
	heads = log_entries(f, "HEAD", "/resolve/");
	/* the rigged ids were seen and left: every file had its HEAD */
	g_assert_cmpuint(heads->len, ==, g_variant_n_children(files));
	assert_nothing_outside(f);
}

/* The endless file's GET was left once the body went past the file's
 * size: the Hub logs it when its writes fail, with what it managed to
 * send; a few MiB sit in the sockets' buffers, where reading on would have
 * taken the Hub's 4 GiB. */
static void
assert_body_left_early(Fixture *f)
{
	gint64 sent = -1;

	for (guint i = 0; i < 200 && sent < 0; i++) {
		g_autoptr(GPtrArray) gets = log_entries(f, "GET", "/resolve/.*/config.json$");

		for (guint j = 0; j < gets->len; j++) {
			JsonObject *o = g_ptr_array_index(gets, j);

			sent = MAX(sent,
				   json_object_get_int_member_with_default(o, "bytes_sent", -1));
		}
		if (sent < 0)
			g_usleep(50 * 1000);
	}
	g_test_message("hostile Hub: the endless file's GET ended after %" G_GINT64_FORMAT " bytes",
		       sent);
	g_assert_cmpint(sent, >=, 0);
	g_assert_cmpint(sent, <, 64 * 1024 * 1024);
}

/* An answer that never ends, on a JSON API call (the snapshot's first
 * request) or on a file: bounded by the daemon, refused with a typed error;
 * the Hub's 200 MB JSON arrays are the same case cut short. */
static void
test_endless(Fixture *f, gconstpointer data)
{
	gboolean file = GPOINTER_TO_INT(data);
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autofree gchar *snapdir = cache_path(f, "snapshots");

	hubd_test_hub_add_fault(f->hub,
				file ? "{\"action\":\"endless\",\"method\":\"GET\","
				       "\"path_regex\":\"/resolve/.*/config.json$\",\"times\":0}"
				     : "{\"action\":\"endless\",\"method\":\"GET\","
				       "\"path_regex\":\"^/api/models/\",\"times\":0}");
	r = file ? download(f, "main", "config.json", NULL) : snapshot(f, "main", NULL);
	g_test_message("hostile Hub: endless %s → %s: %s",
		       file ? "file" : "JSON answer",
		       r->error_name,
		       r->message);
	assert_failed(r, ERR "Server");
	if (file) {
		g_autofree gchar *entry = snapshot_file(f, f->commit, "config.json");

		g_assert_nonnull(strstr(r->message, "config.json"));
		g_assert_false(g_file_test(entry, G_FILE_TEST_EXISTS));
		assert_body_left_early(f);
	} else {
		g_assert_nonnull(strstr(r->message, "MiB"));
		g_assert_false(g_file_test(snapdir, G_FILE_TEST_EXISTS));
	}
	assert_nothing_outside(f);
	hubd_test_assert_daemon_answers(f->bus);
	if (!under_asan()) {
		g_test_message("hostile Hub: peak memory %" G_GUINT64_FORMAT " KiB", peak_kib(f));
		g_assert_cmpuint(peak_kib(f), <, PEAK_LIMIT_KIB);
	}
}

/* short I/O timeout, one retry: a head sent byte by byte must be given up */
static void
slow_head_setup(Fixture *f, gconstpointer data)
{
	const gchar *args[] = {"--set", "http.timeout=2", "--set", "http.max-retries=1", NULL};

	f->daemon_args = g_strdupv((GStrv)args);
	fixture_setup(f, FIXTURE(FIXTURE_DIRECT_DEFAULT));
}

/* Status line and headers one byte every 100 ms: each byte restarts an I/O
 * timeout, so only a deadline on the whole head ends it. */
static void
test_slow_head(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = NULL;
	gint64 start = g_get_monotonic_time();

	hubd_test_hub_add_fault(f->hub,
				"{\"action\":\"slow_head\",\"method\":\"GET\","
				"\"path_regex\":\"^/api/models/\",\"chunk_size\":1,"
				"\"delay_ms\":100,\"times\":0}");
	r = snapshot(f, "main", NULL);
	g_test_message("hostile Hub: head byte by byte → %s: %s after %.1f s",
		       r->error_name,
		       r->message,
		       (g_get_monotonic_time() - start) / 1e6);
	assert_failed(r, ERR "Network");
	g_assert_nonnull(strstr(r->message, "timed out"));
	assert_nothing_outside(f);
	hubd_test_assert_daemon_answers(f->bus);
}

/* The Hub's answer to an API call redirects to another origin (the CDN's
 * listener, another port: another origin as much as another host is): the
 * token that went to the Hub does not follow the redirect. */
static void
test_redirect_elsewhere(Fixture *f, gconstpointer data)
{
	g_autoptr(HubdTestJobResult) r = NULL;
	g_autoptr(GPtrArray) calls = NULL;
	guint to_hub = 0;
	guint elsewhere = 0;

	hubd_test_hub_add_fault(f->hub,
				"{\"action\":\"status\",\"status\":302,\"origin\":\"hub\","
				"\"path_regex\":\"^/api/models/alice/dl/revision/\","
				"\"location\":\"{cdn}/api/models/alice/dl/revision/main\"}");
	hubd_test_hub_clear_requests(f->hub);
	r = snapshot(f, "main", NULL);
	g_test_message("hostile Hub: redirect to another origin → %s",
		       r->ok ? "completed" : r->error_name);
	calls = log_entries(f, "GET", "^/api/models/alice/dl/revision/");
	for (guint i = 0; i < calls->len; i++) {
		JsonObject *o = g_ptr_array_index(calls, i);
		const gchar *origin = json_object_get_string_member_with_default(o, "origin", "");
		const gchar *user = json_object_get_string_member_with_default(o, "user", NULL);

		if (g_strcmp0(origin, "hub") == 0) {
			to_hub++;
			g_assert_nonnull(user);
		} else {
			elsewhere++;
			g_assert_null(user);
		}
	}
	g_assert_cmpuint(to_hub, >=, 1);
	g_assert_cmpuint(elsewhere, >=, 1);
	assert_nothing_outside(f);
	hubd_test_assert_daemon_answers(f->bus);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(hostile); i++) {
		g_autofree gchar *path = g_strdup_printf("/hostile-hub/path/%s", hostile[i].name);

		g_test_add(path,
			   Fixture,
			   &hostile[i],
			   hostile_setup,
			   test_hostile_path,
			   fixture_teardown);
	}
	g_test_add("/hostile-hub/blob-id",
		   Fixture,
		   NULL,
		   hostile_setup,
		   test_hostile_blob_id,
		   fixture_teardown);
	g_test_add("/hostile-hub/redirect-elsewhere",
		   Fixture,
		   NULL,
		   hostile_setup,
		   test_redirect_elsewhere,
		   fixture_teardown);
	g_test_add("/hostile-hub/endless/json",
		   Fixture,
		   GINT_TO_POINTER(FALSE),
		   hostile_setup,
		   test_endless,
		   fixture_teardown);
	g_test_add("/hostile-hub/endless/file",
		   Fixture,
		   GINT_TO_POINTER(TRUE),
		   hostile_setup,
		   test_endless,
		   fixture_teardown);
	g_test_add("/hostile-hub/slow-head",
		   Fixture,
		   NULL,
		   slow_head_setup,
		   test_slow_head,
		   fixture_teardown);
	return g_test_run();
}
