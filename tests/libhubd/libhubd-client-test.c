/* libhubd-client-test.c: HubdClient and HubdJob against a real hubd and the local Hub
 *
 * On the session bus and on hubd's Unix socket (given, and through
 * HUBD_SOCKET): connecting, typed results, an upload and a download as jobs
 * with progress (the bytes on disk compared), typed errors for a missing
 * repo, and a client that finds no hubd. The generic calls an app makes on
 * a plugin's interface (the test plugin's org.hubd.Hub1.TestPlugin), its
 * errors and a job it starts, and the public repo-id checks. */
#include <glib/gstdio.h>
#include <hubd.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define REPO        "alice/libhubd-c"
#define BLOB_SIZE   (2 * 1024 * 1024 + 5)
#define TEST_IFACE  "org.hubd.Hub1.TestPlugin"

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	gchar *work;
	GBytes *blob;
} Fixture;

static Fixture fx;

static void
setup_world(void)
{
	const gchar *login[] = {"auth", "login", "--token-stdin", NULL};
	g_autofree gchar *endpoint = NULL;
	g_autofree guint8 *data = g_malloc(BLOB_SIZE);
	const gchar *args[3];
	g_autofree gchar *readme = NULL;
	g_autofree gchar *model = NULL;
	g_autofree gchar *slow = NULL;

	fx.hub = hubd_test_hub_start(NULL);
	endpoint = g_strdup(fx.hub->url);
	args[0] = "--endpoint";
	args[1] = endpoint;
	args[2] = NULL;
	fx.daemon = hubd_test_daemon_start(args, NULL);
	g_assert_cmpint(hubd_test_run_hubctl(login, ALICE_WRITE, NULL, NULL), ==, 0);

	for (gsize i = 0; i < BLOB_SIZE; i++)
		data[i] = (guint8)(i * 7 + i / 251);
	fx.blob = g_bytes_new_take(g_steal_pointer(&data), BLOB_SIZE);
	fx.work = g_dir_make_tmp("libhubd-XXXXXX", NULL);
	readme = g_build_filename(fx.work, "README.md", NULL);
	model = g_build_filename(fx.work, "model.bin", NULL);
	slow = g_build_filename(fx.work, "slow.bin", NULL);
	hubd_test_write_file(readme, "---\nlicense: mit\n---\n# libhubd C test\n");
	g_assert_true(g_file_set_contents(model, g_bytes_get_data(fx.blob, NULL), BLOB_SIZE, NULL));
	/* the same bytes under another name: a download the cancel test slows down */
	g_assert_true(
		g_file_set_contents(slow, g_bytes_get_data(fx.blob, NULL), BLOB_SIZE - 1, NULL));
}

static void
count_progress(HubdJob *job, gpointer user_data)
{
	guint *count = user_data;

	(*count)++;
}

static void
test_bus(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdClient) client = hubd_client_new_sync(NULL, &error);
	g_autoptr(HubdUser) user = NULL;
	g_autoptr(HubdJob) upload = NULL;
	g_autoptr(GFile) none = NULL;
	g_autoptr(GFile) folder = NULL;
	g_autofree gchar *url = NULL;
	g_autoptr(HubdRepoInfo) info = NULL;
	const gchar *const *orgs;

	g_assert_no_error(error);
	g_assert_cmpstr(hubd_client_get_bus_name(client), ==, HUBD_BUS_NAME);
	g_assert_null(hubd_client_get_socket_path(client));

	user = hubd_client_whoami_sync(client, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_user_get_name(user), ==, "alice");
	g_assert_cmpstr(hubd_user_get_role(user), ==, "write");
	orgs = hubd_user_get_orgs(user);
	g_assert_true(orgs != NULL && g_strv_contains(orgs, "acme"));

	url = hubd_client_create_repo_sync(client, "model", REPO, FALSE, FALSE, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_str_has_suffix(url, "/" REPO));
	/* again, without exist_ok: a typed Conflict */
	g_assert_null(
		hubd_client_create_repo_sync(client, "model", REPO, FALSE, FALSE, NULL, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CONFLICT);
	g_clear_error(&error);

	folder = g_file_new_for_path(fx.work);
	upload = hubd_client_upload_folder_sync(client,
						"model",
						REPO,
						NULL,
						folder,
						NULL,
						"C test",
						NULL,
						&error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_job_get_kind(upload), ==, "upload");
	none = hubd_job_wait_sync(upload, NULL, &error);
	g_assert_no_error(error);
	g_assert_null(none);
	g_assert_cmpstr(hubd_job_get_state(upload), ==, "completed");
	g_assert_nonnull(hubd_job_get_result(upload));

	info = hubd_client_repo_info_sync(client, "model", REPO, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_repo_info_get_id(info), ==, REPO);
	g_assert_false(hubd_repo_info_get_private(info));
	g_assert_cmpuint(strlen(hubd_repo_info_get_sha(info)), ==, 40);
}

typedef struct {
	GMainLoop *loop;
	HubdJob *job;
	GFile *file;
	GError *error;
} AsyncDownload;

static void
waited_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	AsyncDownload *a = user_data;

	a->file = hubd_job_wait_finish(HUBD_JOB(source), res, &a->error);
	g_main_loop_quit(a->loop);
}

static void
download_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	AsyncDownload *a = user_data;

	a->job = hubd_client_download_file_finish(HUBD_CLIENT(source), res, &a->error);
	if (a->job == NULL) {
		g_main_loop_quit(a->loop);
		return;
	}
	hubd_job_wait(a->job, NULL, waited_cb, a);
}

/* The async path on a client made asynchronously, over `socket_path`. */
static void
download_async_and_check(const gchar *socket_path, GFile *local_dir)
{
	AsyncDownload a = {0};
	g_autoptr(GAsyncResult) made = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdClient) client = NULL;
	g_autofree gchar *contents = NULL;
	gsize length = 0;
	guint progress = 0;

	client = hubd_client_new_for_socket_sync(socket_path, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_client_get_socket_path(client), ==, socket_path);
	g_assert_null(hubd_client_get_bus_name(client));

	a.loop = g_main_loop_new(NULL, FALSE);
	hubd_client_download_file(client,
				  "model",
				  REPO,
				  NULL,
				  "model.bin",
				  local_dir,
				  NULL,
				  download_cb,
				  &a);
	g_main_loop_run(a.loop);
	g_assert_no_error(a.error);
	g_signal_connect(a.job, "progress", G_CALLBACK(count_progress), &progress);
	g_assert_nonnull(a.file);
	g_assert_true(g_file_load_contents(a.file, NULL, &contents, &length, NULL, NULL));
	g_assert_cmpmem(contents, length, g_bytes_get_data(fx.blob, NULL), BLOB_SIZE);
	if (local_dir != NULL)
		g_assert_true(g_file_has_prefix(a.file, local_dir));
	g_assert_cmpuint(hubd_job_get_bytes_done(a.job), ==, BLOB_SIZE);
	g_assert_cmpstr(hubd_job_get_state(a.job), ==, "completed");
	g_main_loop_unref(a.loop);
	g_object_unref(a.job);
	g_object_unref(a.file);
}

static void
test_download_progress_bus(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdClient) client = hubd_client_new_sync(NULL, &error);
	g_autoptr(HubdJob) job = NULL;
	g_autoptr(GFile) file = NULL;
	g_autofree gchar *contents = NULL;
	g_autoptr(GPtrArray) files = NULL;
	gsize length = 0;
	guint progress = 0;

	g_assert_no_error(error);
	files = hubd_client_list_files_sync(client, "model", REPO, NULL, NULL, TRUE, NULL, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < files->len; i++) {
		HubdRepoFile *f = g_ptr_array_index(files, i);
		if (g_strcmp0(hubd_repo_file_get_path(f), "model.bin") == 0)
			g_assert_cmpuint(hubd_repo_file_get_size(f), ==, BLOB_SIZE);
	}

	job = hubd_client_download_file_sync(client,
					     "model",
					     REPO,
					     NULL,
					     "model.bin",
					     NULL,
					     NULL,
					     &error);
	g_assert_no_error(error);
	g_signal_connect(job, "progress", G_CALLBACK(count_progress), &progress);
	file = hubd_job_wait_sync(job, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_file_load_contents(file, NULL, &contents, &length, NULL, NULL));
	g_assert_cmpmem(contents, length, g_bytes_get_data(fx.blob, NULL), BLOB_SIZE);
	/* progress reached the caller during the blocking wait, ending at the size */
	g_assert_cmpuint(progress, >, 0);
	g_assert_cmpuint(hubd_job_get_bytes_done(job), ==, BLOB_SIZE);
	g_assert_cmpuint(hubd_job_get_bytes_total(job), ==, BLOB_SIZE);
}

static void
test_socket(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("libhubd-local-XXXXXX", NULL);
	g_autoptr(GFile) local_dir = g_file_new_for_path(dir);

	download_async_and_check(fx.daemon->socket_path, NULL);
	/* local_dir: a real file under the folder asked for */
	download_async_and_check(fx.daemon->socket_path, local_dir);
	hubd_test_rm_rf(dir);
}

static void
test_socket_env(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdClient) client = NULL;
	g_autoptr(HubdCacheInfo) cache = NULL;
	GPtrArray *repos;
	gboolean found = FALSE;

	g_setenv("HUBD_SOCKET", fx.daemon->socket_path, TRUE);
	client = hubd_client_new_sync(NULL, &error);
	g_unsetenv("HUBD_SOCKET");
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_client_get_socket_path(client), ==, fx.daemon->socket_path);

	cache = hubd_client_cache_scan_sync(client, NULL, &error);
	g_assert_no_error(error);
	repos = hubd_cache_info_get_repos(cache);
	for (guint i = 0; i < repos->len; i++) {
		HubdCacheRepo *r = g_ptr_array_index(repos, i);
		if (g_strcmp0(hubd_cache_repo_get_repo_id(r), REPO) == 0) {
			found = TRUE;
			g_assert_cmpuint(hubd_cache_repo_get_size(r), >=, BLOB_SIZE);
		}
	}
	g_assert_true(found);
}

static void
test_errors(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdClient) client = hubd_client_new_sync(NULL, &error);
	g_autoptr(HubdRepoInfo) info = NULL;
	g_autoptr(HubdJob) job = NULL;
	g_autoptr(GFile) file = NULL;

	g_assert_no_error(error);
	info = hubd_client_repo_info_sync(client, "model", "alice/missing", NULL, NULL, &error);
	g_assert_null(info);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND);
	g_assert_null(strstr(error->message, "GDBus.Error"));
	g_clear_error(&error);

	/* a missing file: the job (or the call) fails with EntryNotFound */
	job = hubd_client_download_file_sync(client,
					     "model",
					     REPO,
					     NULL,
					     "nope.txt",
					     NULL,
					     NULL,
					     &error);
	if (job != NULL)
		file = hubd_job_wait_sync(job, NULL, &error);
	g_assert_null(file);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND);
	g_clear_error(&error);

	g_assert_false(hubd_client_delete_repo_sync(client,
						    "model",
						    "alice/missing",
						    FALSE,
						    NULL,
						    &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND);
	g_clear_error(&error);
	g_assert_true(
		hubd_client_delete_repo_sync(client, "model", "alice/missing", TRUE, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_error_code_to_name(HUBD_ERROR_POLICY), ==, "Policy");
}

static gboolean
job_has_bytes(gpointer user_data)
{
	return hubd_job_get_bytes_done(HUBD_JOB(user_data)) > 0;
}

/* The per-file lines a progress display draws: the file in flight, with
 * some bytes done of its size. */
static gboolean
job_lists_slow_file(gpointer user_data)
{
	GVariant *files = hubd_job_get_files(HUBD_JOB(user_data));
	const gchar *path = NULL;
	guint64 done = 0;
	guint64 total = 0;

	if (files == NULL || g_variant_n_children(files) != 1)
		return FALSE;
	g_variant_get_child(files, 0, "(&stt)", &path, &done, &total);
	return g_strcmp0(path, "slow.bin") == 0 && done > 0 && total == BLOB_SIZE - 1;
}

/* A download the local Hub's CDN sends 16 KiB every 100 ms: cancelled once
 * bytes flow, the wait ends with HUBD_ERROR_CANCELLED and no file is there. */
static void
test_cancel(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdClient) client = hubd_client_new_sync(NULL, &error);
	g_autoptr(HubdJob) job = NULL;
	g_autoptr(GFile) file = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("libhubd-cancel-XXXXXX", NULL);
	g_autoptr(GFile) local_dir = g_file_new_for_path(dir);
	g_autoptr(GFile) target = g_file_get_child(local_dir, "slow.bin");

	g_assert_no_error(error);
	hubd_test_hub_add_fault(fx.hub,
				"{\"origin\": \"cdn\", \"action\": \"slow\", \"times\": 0,"
				" \"chunk_size\": 16384, \"delay_ms\": 100}");
	job = hubd_client_download_file_sync(client,
					     "model",
					     REPO,
					     NULL,
					     "slow.bin",
					     local_dir,
					     NULL,
					     &error);
	g_assert_no_error(error);
	/* progress reaches the job's properties from its own proxy, in this context */
	g_assert_true(hubd_test_wait_for(job_has_bytes, job, HUBD_TEST_TIMEOUT_S * 1000));
	g_assert_cmpuint(hubd_job_get_bytes_done(job), <, BLOB_SIZE - 1);
	g_assert_true(hubd_job_get_files(job) != NULL &&
		      g_variant_is_of_type(hubd_job_get_files(job), G_VARIANT_TYPE("a(stt)")));
	g_assert_true(hubd_test_wait_for(job_lists_slow_file, job, HUBD_TEST_TIMEOUT_S * 1000));
	g_assert_true(hubd_job_cancel_sync(job, NULL, &error));
	g_assert_no_error(error);
	file = hubd_job_wait_sync(job, NULL, &error);
	g_assert_null(file);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CANCELLED);
	g_assert_cmpstr(hubd_job_get_state(job), ==, "cancelled");
	g_assert_false(g_file_query_exists(target, NULL));
	hubd_test_hub_clear_faults(fx.hub);
	hubd_test_rm_rf(dir);
}

static gchar *
ping_sync(HubdClient *client, const gchar *text, GError **error)
{
	g_autoptr(GVariant) reply = hubd_client_call_sync(client,
							  TEST_IFACE,
							  "Ping",
							  g_variant_new("(sa{sv})", text, NULL),
							  G_VARIANT_TYPE("(s)"),
							  -1,
							  NULL,
							  error);
	gchar *answer = NULL;

	if (reply != NULL)
		g_variant_get(reply, "(s)", &answer);
	return answer;
}

static void
called_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GVariant **reply = user_data;
	g_autoptr(GError) error = NULL;

	*reply = hubd_client_call_finish(HUBD_CLIENT(source), res, &error);
	g_assert_no_error(error);
}

/* A plugin's interface, which libhubd has no typed call for: the generic
 * call on the bus and the socket, sync and async, with hubd's errors typed. */
static void
test_generic_call(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdClient) client = hubd_client_new_sync(NULL, &error);
	g_autoptr(HubdClient) socket_client = NULL;
	g_autoptr(HubdRepoInfo) info = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) version = NULL;
	g_autoptr(GVariant) async_reply = NULL;
	g_autofree gchar *answer = NULL;
	g_autofree gchar *socket_answer = NULL;
	const gchar *commit = NULL;

	g_assert_no_error(error);
	answer = ping_sync(client, "from C", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(answer, ==, "pong: from C");

	socket_client = hubd_client_new_for_socket_sync(fx.daemon->socket_path, NULL, &error);
	g_assert_no_error(error);
	socket_answer = ping_sync(socket_client, "over the socket", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(socket_answer, ==, "pong: over the socket");

	/* the plugin asks the Hub: the commit is the one the typed call sees */
	reply = hubd_client_call_sync(client,
				      TEST_IFACE,
				      "ResolveRevision",
				      g_variant_new("(sssa{sv})", "model", REPO, "", NULL),
				      G_VARIANT_TYPE("(s)"),
				      -1,
				      NULL,
				      &error);
	g_assert_no_error(error);
	info = hubd_client_repo_info_sync(client, "model", REPO, NULL, NULL, &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(&s)", &commit);
	g_assert_cmpstr(commit, ==, hubd_repo_info_get_sha(info));
	g_clear_pointer(&reply, g_variant_unref);

	/* hubd's errors arrive typed, the message without the D-Bus prefix */
	reply = hubd_client_call_sync(
		client,
		TEST_IFACE,
		"ResolveRevision",
		g_variant_new("(sssa{sv})", "model", "alice/missing", "", NULL),
		G_VARIANT_TYPE("(s)"),
		-1,
		NULL,
		&error);
	g_assert_null(reply);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND);
	g_assert_null(strstr(error->message, "GDBus.Error"));
	g_clear_error(&error);
	reply = hubd_client_call_sync(client,
				      TEST_IFACE,
				      "Ping",
				      g_variant_new_parsed("('x', {'loud': <true>})"),
				      G_VARIANT_TYPE("(s)"),
				      -1,
				      NULL,
				      &error);
	g_assert_null(reply);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "loud"));
	g_clear_error(&error);

	/* async, on the socket */
	hubd_client_call(socket_client,
			 TEST_IFACE,
			 "Ping",
			 g_variant_new("(sa{sv})", "async", NULL),
			 G_VARIANT_TYPE("(s)"),
			 -1,
			 NULL,
			 called_cb,
			 &async_reply);
	while (async_reply == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_variant_get(async_reply, "(&s)", &commit);
	g_assert_cmpstr(commit, ==, "pong: async");

	/* a property of hubd's object */
	version = hubd_client_get_property_sync(client,
						HUBD_INTERFACE_DAEMON,
						"Version",
						NULL,
						&error);
	g_assert_no_error(error);
	g_assert_cmpstr(g_variant_get_string(version, NULL), ==, PACKAGE_VERSION);
}

static void
count_files(HubdJob *job, gpointer user_data)
{
	guint *max_files = user_data;

	*max_files = MAX(*max_files, hubd_job_get_files_done(job));
}

/* A job a plugin's method started: made a HubdJob from its path, followed
 * and waited for; a failing one and a path that is no job give errors. */
static void
test_generic_job(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdClient) client = hubd_client_new_sync(NULL, &error);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(HubdJob) job = NULL;
	g_autoptr(HubdJob) failing = NULL;
	g_autoptr(HubdJob) missing = NULL;
	g_autoptr(GFile) file = NULL;
	g_autofree gchar *path = NULL;
	const gchar *job_path = NULL;
	guint32 steps = 0;
	guint max_files = 0;

	g_assert_no_error(error);
	reply = hubd_client_call_sync(client,
				      TEST_IFACE,
				      "StartJob",
				      g_variant_new("(uuba{sv})", 4, 50, FALSE, NULL),
				      G_VARIANT_TYPE("(o)"),
				      -1,
				      NULL,
				      &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(&o)", &job_path);
	g_assert_true(g_str_has_prefix(job_path, HUBD_JOB_PATH_PREFIX));
	job = hubd_job_new_sync(client, job_path, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(hubd_job_get_object_path(job), ==, job_path);
	g_assert_cmpstr(hubd_job_get_kind(job), ==, "download");
	g_signal_connect(job, "progress", G_CALLBACK(count_files), &max_files);
	file = hubd_job_wait_sync(job, NULL, &error);
	g_assert_no_error(error);
	path = g_file_get_path(file);
	g_assert_cmpstr(path, ==, "/test/path");
	g_assert_true(g_variant_lookup(hubd_job_get_result(job), "steps", "u", &steps));
	g_assert_cmpuint(steps, ==, 4);
	g_assert_cmpuint(hubd_job_get_bytes_done(job), ==, 4000);
	g_assert_cmpuint(max_files, ==, 4);
	g_clear_pointer(&reply, g_variant_unref);

	reply = hubd_client_call_sync(client,
				      TEST_IFACE,
				      "StartJob",
				      g_variant_new("(uuba{sv})", 1, 10, TRUE, NULL),
				      G_VARIANT_TYPE("(o)"),
				      -1,
				      NULL,
				      &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(&o)", &job_path);
	failing = hubd_job_new_sync(client, job_path, NULL, &error);
	g_assert_no_error(error);
	g_assert_null(hubd_job_wait_sync(failing, NULL, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_FAILED);
	g_assert_cmpstr(hubd_job_get_state(failing), ==, "failed");
	g_clear_error(&error);

	missing = hubd_job_new_sync(client, HUBD_JOB_PATH_PREFIX "999999", NULL, &error);
	g_assert_no_error(error);
	g_assert_null(hubd_job_wait_sync(missing, NULL, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_FAILED);
	g_assert_nonnull(strstr(error->message, "999999"));
}

/* The checks hubd makes, public so a client refuses bad input first. */
static void
test_repo_id_checks(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *clean = NULL;

	g_assert_true(hubd_repo_id_validate("alice/demo", TRUE, &error));
	g_assert_no_error(error);
	g_assert_false(hubd_repo_id_validate("demo", TRUE, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(hubd_repo_id_validate("a/b/c", FALSE, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(hubd_revision_validate("main/../x", &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	clean = hubd_path_in_repo_normalize("./sub/file.txt", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(clean, ==, "sub/file.txt");
	g_assert_null(hubd_path_in_repo_normalize("sub/.git/config", &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
}

static void
test_no_hubd(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("libhubd-none-XXXXXX", NULL);
	g_autofree gchar *missing = g_build_filename(dir, "bus", NULL);
	g_autoptr(HubdClient) client = hubd_client_new_for_socket_sync(missing, NULL, &error);

	g_assert_null(client);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
	g_rmdir(dir);
}

int
main(int argc, char **argv)
{
	gint rc;

	g_test_init(&argc, &argv, NULL);
	setup_world();
	g_test_add_func("/libhubd/bus", test_bus);
	g_test_add_func("/libhubd/download-progress-bus", test_download_progress_bus);
	g_test_add_func("/libhubd/socket", test_socket);
	g_test_add_func("/libhubd/socket-env", test_socket_env);
	g_test_add_func("/libhubd/errors", test_errors);
	g_test_add_func("/libhubd/cancel", test_cancel);
	g_test_add_func("/libhubd/no-hubd", test_no_hubd);
	g_test_add_func("/libhubd/generic-call", test_generic_call);
	g_test_add_func("/libhubd/generic-job", test_generic_job);
	g_test_add_func("/libhubd/repo-id-checks", test_repo_id_checks);
	rc = g_test_run();
	hubd_test_daemon_stop(fx.daemon);
	hubd_test_hub_stop(fx.hub);
	hubd_test_rm_rf(fx.work);
	g_bytes_unref(fx.blob);
	return rc;
}
