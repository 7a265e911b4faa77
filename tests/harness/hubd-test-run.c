/* hubd-test-run.c: the children a test does not reach over D-Bus, bounded
 * in time: hubctl, hubd and any command run to completion, and hubd-testhub
 * started and stopped */
#define G_LOG_DOMAIN "HubdTest"

#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>

#include "hubd-test-common-private.h"
#include "hubd-test-common.h"

/* ---- running programs to completion ---- */

typedef struct {
	gchar *out;
	gchar *err;
	GError *error;
	gboolean done;
} HubdTestCommunicate;

static void
hubd_test_communicate_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTestCommunicate *data = user_data;

	g_subprocess_communicate_utf8_finish(G_SUBPROCESS(source),
					     res,
					     &data->out,
					     &data->err,
					     &data->error);
	data->done = TRUE;
}

/* argv[0] found in PATH; stdout and stderr captured; bounded */
static gint
hubd_test_run_argv(const gchar *const *argv,
		   const gchar *const *extra_env,
		   const gchar *stdin_text,
		   gboolean merge_stderr,
		   gchar **out,
		   gchar **err)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GMainContext) context = g_main_context_new();
	HubdTestCommunicate data = {NULL, NULL, NULL, FALSE};
	gboolean finished;
	GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE;
	g_autofree gchar *stdin_path = NULL;
	gint stdin_fd;

	flags |= merge_stderr ? G_SUBPROCESS_FLAGS_STDERR_MERGE : G_SUBPROCESS_FLAGS_STDERR_PIPE;
	launcher = hubd_test_launcher_new(flags, extra_env);
	/* stdin from a file, not a pipe: a program that refuses before reading
	 * its input must not fail the harness with EPIPE */
	stdin_fd = g_file_open_tmp("hubd-test-stdin-XXXXXX", &stdin_path, &error);
	g_assert_no_error(error);
	close(stdin_fd);
	g_file_set_contents(stdin_path, stdin_text != NULL ? stdin_text : "", -1, &error);
	g_assert_no_error(error);
	g_subprocess_launcher_set_stdin_file_path(launcher, stdin_path);
	proc = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_unlink(stdin_path);
	if (error != NULL)
		g_printerr("cannot run %s: %s\n", argv[0], error->message);
	g_assert_no_error(error);

	g_main_context_push_thread_default(context);
	g_subprocess_communicate_utf8_async(proc, NULL, NULL, hubd_test_communicate_cb, &data);
	/* on timeout, killing it closes its pipes, which completes communicate() */
	finished = hubd_test_iterate_until(context,
					   &data.done,
					   HUBD_TEST_TIMEOUT_S * 1000,
					   NULL,
					   proc);
	g_main_context_pop_thread_default(context);

	if (!finished) {
		g_autofree gchar *cmd = g_strjoinv(" ", (gchar **)argv);
		g_autofree gchar *msg = g_strdup_printf("“%s” still ran after %d s; killed",
							cmd,
							HUBD_TEST_TIMEOUT_S);
		g_printerr("stdout:\n%s\nstderr:\n%s\n",
			   data.out != NULL ? data.out : "",
			   data.err != NULL ? data.err : "");
		g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
	}
	g_assert_no_error(data.error);
	/* communicate() returns at EOF; the exit status may still be on its way */
	g_assert_true(hubd_test_proc_wait(proc, HUBD_TEST_TIMEOUT_S * 1000));

	if (out != NULL)
		*out = g_steal_pointer(&data.out);
	if (err != NULL)
		*err = g_steal_pointer(&data.err);
	g_free(data.out);
	g_free(data.err);
	return hubd_test_exit_code(proc);
}

gint
hubd_test_run_command(const gchar *const *argv,
		      const gchar *const *extra_env,
		      const gchar *stdin_text,
		      gchar **out,
		      gchar **err)
{
	return hubd_test_run_argv(argv, extra_env, stdin_text, FALSE, out, err);
}

gint
hubd_test_run_hubctl_full(const gchar *const *prefix,
			  const gchar *const *argv,
			  const gchar *const *extra_env,
			  const gchar *stdin_text,
			  gchar **out,
			  gchar **err)
{
	const gchar *hubctl = hubd_test_require_env("HUBD_TEST_HUBCTL");
	g_autoptr(GPtrArray) full = g_ptr_array_new();
	guint i = 0;

	for (guint j = 0; prefix != NULL && prefix[j] != NULL; j++)
		g_ptr_array_add(full, (gpointer)prefix[j]);
	g_ptr_array_add(full, (gpointer)hubctl);
	if (argv != NULL && argv[0] != NULL && g_strcmp0(argv[0], "hubctl") == 0)
		i = 1;
	for (; argv != NULL && argv[i] != NULL; i++)
		g_ptr_array_add(full, (gpointer)argv[i]);
	g_ptr_array_add(full, NULL);
	return hubd_test_run_argv((const gchar *const *)full->pdata,
				  extra_env,
				  stdin_text,
				  FALSE,
				  out,
				  err);
}

gint
hubd_test_run_hubctl(const gchar *const *argv, const gchar *stdin_text, gchar **out, gchar **err)
{
	return hubd_test_run_hubctl_full(NULL, argv, NULL, stdin_text, out, err);
}

gint
hubd_test_run_hubd(const gchar *const *args, const gchar *const *extra_env, gchar **output)
{
	const gchar *hubd = hubd_test_require_env("HUBD_TEST_HUBD");
	g_autoptr(GPtrArray) full = g_ptr_array_new();

	g_ptr_array_add(full, (gpointer)hubd);
	for (guint i = 0; args != NULL && args[i] != NULL; i++)
		g_ptr_array_add(full, (gpointer)args[i]);
	g_ptr_array_add(full, NULL);
	return hubd_test_run_argv((const gchar *const *)full->pdata,
				  extra_env,
				  NULL,
				  TRUE,
				  output,
				  NULL);
}

/* ---- hubd-testhub ---- */

typedef struct {
	gchar *line;
	GError *error;
	gboolean done;
} HubdTestReadLine;

static void
hubd_test_read_line_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTestReadLine *data = user_data;

	data->line = g_data_input_stream_read_line_finish_utf8(G_DATA_INPUT_STREAM(source),
							       res,
							       NULL,
							       &data->error);
	data->done = TRUE;
}

static gpointer
hubd_test_drain_thread(gpointer user_data)
{
	g_autoptr(GInputStream) stream = user_data;
	gchar buf[4096];

	/* whatever testhub prints after its URL must not fill the pipe */
	while (g_input_stream_read(stream, buf, sizeof buf, NULL, NULL) > 0)
		;
	return NULL;
}

HubdTestHub *
hubd_test_hub_start(const gchar *const *extra_args)
{
	const gchar *testhub = hubd_test_require_env("HUBD_TEST_TESTHUB");
	const gchar *users = hubd_test_require_env("HUBD_TEST_USERS");
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GDataInputStream) stdout_stream = NULL;
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) words = NULL;
	HubdTestReadLine data = {NULL, NULL, FALSE};
	gboolean in_time;
	HubdTestHub *h = g_new0(HubdTestHub, 1);
	const gchar *root = NULL;

	/* a caller's --root (a directory on a small tmpfs, say) is used as it is */
	if (hubd_test_strv_has_option(extra_args, "--root", &root)) {
		h->root = g_strdup(root);
	} else {
		h->root = g_dir_make_tmp("hubd-testhub-XXXXXX", &error);
		g_assert_no_error(error);
	}
	h->admin_secret =
		g_strdup_printf("%08x%08x%08x", g_random_int(), g_random_int(), g_random_int());
	g_ptr_array_add(argv, (gpointer)testhub);
	if (root == NULL) {
		g_ptr_array_add(argv, (gpointer) "--root");
		g_ptr_array_add(argv, h->root);
	}
	g_ptr_array_add(argv, (gpointer) "--users");
	g_ptr_array_add(argv, (gpointer)users);
	g_ptr_array_add(argv, (gpointer) "--admin-secret");
	g_ptr_array_add(argv, h->admin_secret);
	if (!hubd_test_strv_has_option(extra_args, "--port", NULL)) {
		g_ptr_array_add(argv, (gpointer) "--port");
		g_ptr_array_add(argv, (gpointer) "0");
	}
	if (!hubd_test_strv_has_option(extra_args, "--host", NULL)) {
		g_ptr_array_add(argv, (gpointer) "--host");
		g_ptr_array_add(argv, (gpointer) "127.0.0.1");
	}
	for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)extra_args[i]);
	g_ptr_array_add(argv, NULL);

	launcher = hubd_test_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE, NULL);
	if (g_getenv("ASAN_OPTIONS") != NULL) {
		/* libsoup 3.2 leaks an accepted GSocket when a server shuts down with
		 * a keep-alive client; the local Hub is a test tool whose own logic is
		 * leak-checked in-process by its unit tests, so only hubd and the test
		 * programs keep leak detection here */
		g_autofree gchar *asan =
			g_strdup_printf("%s:detect_leaks=0", g_getenv("ASAN_OPTIONS"));
		g_subprocess_launcher_setenv(launcher, "ASAN_OPTIONS", asan, TRUE);
	}
	h->proc = g_subprocess_launcher_spawnv(launcher, (const gchar *const *)argv->pdata, &error);
	g_assert_no_error(error);

	stdout_stream = g_data_input_stream_new(g_subprocess_get_stdout_pipe(h->proc));
	g_main_context_push_thread_default(context);
	g_data_input_stream_read_line_async(stdout_stream,
					    G_PRIORITY_DEFAULT,
					    cancellable,
					    hubd_test_read_line_cb,
					    &data);
	in_time = hubd_test_iterate_until(context,
					  &data.done,
					  HUBD_TEST_TIMEOUT_S * 1000,
					  cancellable,
					  h->proc);
	g_main_context_pop_thread_default(context);

	if (data.line == NULL) {
		g_autofree gchar *msg = g_strdup_printf(
			"hubd-testhub printed no URL line%s%s",
			!in_time ? " in time" : "",
			data.error != NULL ? data.error->message : " (it exited; see stderr)");
		g_clear_error(&data.error);
		g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
	}
	/* "URL" or "URL CDN_URL" / "URL cdn=CDN_URL" */
	words = g_strsplit_set(g_strstrip(data.line), " \t", -1);
	g_free(data.line);
	g_assert_true(g_str_has_prefix(words[0], "http://") ||
		      g_str_has_prefix(words[0], "https://"));
	h->url = g_strdup(words[0]);
	for (guint i = 1; words[i] != NULL; i++) {
		const gchar *w = words[i];
		if (g_str_has_prefix(w, "cdn="))
			w += 4;
		if (h->cdn_url == NULL && g_str_has_prefix(w, "http"))
			h->cdn_url = g_strdup(w);
	}
	h->drain_thread =
		g_thread_new("testhub-stdout", hubd_test_drain_thread, g_object_ref(stdout_stream));
	return h;
}

void
hubd_test_hub_stop(HubdTestHub *h)
{
	if (h == NULL)
		return;
	if (g_subprocess_get_identifier(h->proc) != NULL) {
		g_subprocess_send_signal(h->proc, SIGTERM);
		if (!hubd_test_proc_wait(h->proc, HUBD_TEST_TIMEOUT_S * 1000)) {
			g_subprocess_force_exit(h->proc);
			g_assert_true(hubd_test_proc_wait(h->proc, HUBD_TEST_TIMEOUT_S * 1000));
		}
	}
	/* EOF on the pipe ends it */
	if (h->drain_thread != NULL)
		g_thread_join(h->drain_thread);
	g_object_unref(h->proc);
	hubd_test_rm_rf(h->root);
	g_free(h->root);
	g_free(h->url);
	g_free(h->cdn_url);
	g_free(h->admin_secret);
	g_free(h);
}
