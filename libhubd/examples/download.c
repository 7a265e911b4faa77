/* download.c: libhubd from C — list a user's models, then download one file
 * with a progress line, asynchronously.
 *
 *   cc download.c $(pkg-config --cflags --libs hubd-1) -o download
 *   ./download alice/demo config.json
 */
#include <hubd.h>
#include <stdio.h>

typedef struct {
	GMainLoop *loop;
	const gchar *filename;
	gint status;
} Example;

static void
on_progress(HubdJob *job, gpointer user_data)
{
	Example *ex = user_data;
	guint64 total = hubd_job_get_bytes_total(job);
	guint64 done = hubd_job_get_bytes_done(job);
	const gchar *file = hubd_job_get_current_file(job);
	g_autofree gchar *size = g_format_size(done);

	fprintf(stderr,
		"\r%s %3u%% %s",
		file != NULL ? file : ex->filename,
		total > 0 ? (guint)(done * 100 / total) : 0,
		size);
}

static void
on_waited(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Example *ex = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GFile) file = hubd_job_wait_finish(HUBD_JOB(source), res, &error);

	if (file == NULL) {
		fprintf(stderr, "\n%s\n", error != NULL ? error->message : "no file");
		ex->status = g_error_matches(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND) ? 2 : 1;
	} else {
		g_autofree gchar *path = g_file_get_path(file);
		fprintf(stderr, "\n");
		printf("%s\n", path);
	}
	g_main_loop_quit(ex->loop);
}

static void
on_download(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Example *ex = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdJob) job = hubd_client_download_file_finish(HUBD_CLIENT(source), res, &error);

	if (job == NULL) {
		fprintf(stderr, "%s\n", error->message);
		ex->status = 1;
		g_main_loop_quit(ex->loop);
		return;
	}
	g_signal_connect(job, "progress", G_CALLBACK(on_progress), ex);
	hubd_job_wait(job, NULL, on_waited, ex);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdClient) client = NULL;
	g_autoptr(GPtrArray) repos = NULL;
	g_auto(GStrv) parts = NULL;
	Example ex = {0};

	if (argc != 3) {
		fprintf(stderr, "usage: %s REPO_ID FILENAME\n", argv[0]);
		return 64;
	}
	client = hubd_client_new_sync(NULL, &error);
	if (client == NULL) {
		fprintf(stderr, "cannot reach hubd: %s\n", error->message);
		return 2;
	}
	parts = g_strsplit(argv[1], "/", 2);
	repos = hubd_client_list_repos_sync(client, "model", NULL, parts[0], 20, NULL, &error);
	if (repos == NULL) {
		fprintf(stderr, "%s\n", error->message);
		return 1;
	}
	for (guint i = 0; i < repos->len; i++) {
		HubdRepoInfo *repo = g_ptr_array_index(repos, i);
		printf("%s\t%" G_GUINT64_FORMAT " downloads\n",
		       hubd_repo_info_get_id(repo),
		       hubd_repo_info_get_downloads(repo));
	}

	ex.loop = g_main_loop_new(NULL, FALSE);
	ex.filename = argv[2];
	hubd_client_download_file(client,
				  "model",
				  argv[1],
				  NULL,
				  argv[2],
				  NULL,
				  NULL,
				  on_download,
				  &ex);
	g_main_loop_run(ex.loop);
	g_main_loop_unref(ex.loop);
	return ex.status;
}
