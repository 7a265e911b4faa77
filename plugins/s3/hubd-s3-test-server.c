/* hubd-s3-test-server.c: starting and stopping s3rver for the S3 plugin's tests */
#include "hubd-s3-test-server.h"

#include <glib/gstdio.h>
#include <string.h>

struct _HubdTestS3Server {
	GSubprocess *process;
	gchar *directory;
	gchar *endpoint;
	gchar *log;
};

void
hubd_test_s3_load_plugin(void)
{
	const gchar *plugin = g_getenv("HUBD_TEST_S3_PLUGIN");
	GIOModule *module;

	g_assert_nonnull(plugin);
	module = g_io_module_new(plugin);
	g_assert_true(g_type_module_use(G_TYPE_MODULE(module)));
	g_setenv("AWS_ACCESS_KEY_ID", HUBD_TEST_S3_KEY_ID, TRUE);
	g_setenv("AWS_SECRET_ACCESS_KEY", HUBD_TEST_S3_SECRET, TRUE);
}

HubdTestS3Server *
hubd_test_s3_server_start(void)
{
	g_autoptr(GError) error = NULL;
	const gchar *script = g_getenv("HUBD_TEST_S3RVER");
	HubdTestS3Server *server = g_new0(HubdTestS3Server, 1);
	g_autoptr(GDataInputStream) out = NULL;
	g_autofree gchar *line = NULL;
	g_autofree gchar *modules = NULL;
	g_autofree gchar *folder = NULL;
	guint64 port = 0;

	g_assert_nonnull(script);
	folder = g_path_get_dirname(script);
	modules = g_build_filename(folder, "node_modules", "@20minutes", "s3rver", NULL);
	if (!g_file_test(modules, G_FILE_TEST_IS_DIR))
		g_error("%s is missing: run contrib/install-deps.sh (npm ci in tests/s3)", modules);
	server->directory = g_dir_make_tmp("hubd-s3rver-XXXXXX", &error);
	g_assert_no_error(error);
	server->log = g_strconcat(server->directory, ".log", NULL);
	{
		g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
			G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
		g_subprocess_launcher_setenv(launcher, "HUBD_S3RVER_LOG", server->log, TRUE);
		server->process = g_subprocess_launcher_spawn(launcher,
							      &error,
							      "node",
							      script,
							      server->directory,
							      HUBD_TEST_S3_BUCKET,
							      NULL);
	}
	g_assert_no_error(error);
	out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(server->process));
	line = g_data_input_stream_read_line_utf8(out, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(line);
	g_assert_true(g_str_has_prefix(line, "PORT "));
	g_assert_true(g_ascii_string_to_unsigned(line + 5, 10, 1, 65535, &port, NULL));
	server->endpoint = g_strdup_printf("http://127.0.0.1:%u", (guint)port);
	return server;
}

static void
remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			remove_tree(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

void
hubd_test_s3_server_free(HubdTestS3Server *server)
{
	if (server == NULL)
		return;
	g_subprocess_force_exit(server->process);
	g_subprocess_wait(server->process, NULL, NULL);
	g_object_unref(server->process);
	remove_tree(server->directory);
	g_unlink(server->log);
	g_free(server->log);
	g_free(server->directory);
	g_free(server->endpoint);
	g_free(server);
}

const gchar *
hubd_test_s3_server_get_endpoint(HubdTestS3Server *server)
{
	return server->endpoint;
}

const gchar *
hubd_test_s3_server_get_directory(HubdTestS3Server *server)
{
	return server->directory;
}

/* its request log, a line each (empty when it has logged nothing yet) */
static GStrv
log_lines(HubdTestS3Server *server)
{
	g_autofree gchar *text = NULL;

	if (!g_file_get_contents(server->log, &text, NULL, NULL))
		return g_new0(gchar *, 1);
	return g_strsplit(text, "\n", -1);
}

guint
hubd_test_s3_server_count(HubdTestS3Server *server, const gchar *prefix)
{
	g_auto(GStrv) lines = log_lines(server);
	guint count = 0;

	for (guint i = 0; lines[i] != NULL; i++)
		count += g_str_has_prefix(lines[i], prefix);
	return count;
}

guint64
hubd_test_s3_server_sum(HubdTestS3Server *server, const gchar *prefix)
{
	g_auto(GStrv) lines = log_lines(server);
	guint64 sum = 0;

	for (guint i = 0; lines[i] != NULL; i++) {
		const gchar *last = strrchr(lines[i], ' ');

		if (g_str_has_prefix(lines[i], prefix) && last != NULL)
			sum += g_ascii_strtoull(last + 1, NULL, 10);
	}
	return sum;
}

gchar *
hubd_test_s3_server_get_object(HubdTestS3Server *server, const gchar *key, gsize *len)
{
	g_autofree gchar *url = g_strdup_printf("s3://%s/%s", HUBD_TEST_S3_BUCKET, key);
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GBytes) out = NULL;
	g_autoptr(GBytes) err = NULL;
	g_autoptr(GError) error = NULL;
	gsize size = 0;
	const gchar *data;

	g_subprocess_launcher_setenv(launcher, "AWS_DEFAULT_REGION", "us-east-1", TRUE);
	proc = g_subprocess_launcher_spawn(launcher,
					   &error,
					   "aws",
					   "--endpoint-url",
					   server->endpoint,
					   "s3",
					   "cp",
					   url,
					   "-",
					   NULL);
	g_assert_no_error(error);
	g_subprocess_communicate(proc, NULL, NULL, &out, &err, &error);
	g_assert_no_error(error);
	if (!g_subprocess_get_successful(proc))
		g_error("aws s3 cp %s failed: %.*s",
			url,
			(int)g_bytes_get_size(err),
			(const gchar *)g_bytes_get_data(err, NULL));
	data = g_bytes_get_data(out, &size);
	if (len != NULL)
		*len = size;
	return g_strndup(data != NULL ? data : "", size);
}
