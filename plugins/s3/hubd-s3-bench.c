/* hubd-s3-bench.c: puts one file into a bucket through the s3:// backend, as mirror-fill puts
 * a cached blob, and prints the seconds it took (tests/bench/s3-mirror.sh runs it; not a test)
 *
 * Usage: hubd-s3-bench PLUGIN ENDPOINT s3://BUCKET/PREFIX KEY FILE
 * Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
#include <gio/gio.h>

#include "hubd-plugin.h"

static void
done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GAsyncResult **slot = user_data;

	*slot = g_object_ref(res);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GFile) file = NULL;
	g_autoptr(GFileInputStream) stream = NULL;
	g_autoptr(GFileInfo) info = NULL;
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	const gchar *parallel = g_getenv("S3_PARALLEL");
	GIOModule *module;
	gint64 start;

	if (argc != 6) {
		g_printerr("usage: %s PLUGIN ENDPOINT s3://BUCKET/PREFIX KEY FILE\n", argv[0]);
		return 64;
	}
	module = g_io_module_new(argv[1]);
	if (!g_type_module_use(G_TYPE_MODULE(module))) {
		g_printerr("cannot load %s\n", argv[1]);
		return 1;
	}
	/* the backend's settings of docs/s3.md, as hubd.conf gives them */
	storage =
		hubd_storage_new("bench",
				 argv[3],
				 g_variant_new_parsed("{'endpoint': <%s>, 'credentials': <'env'>, "
						      "'parallel': <%s>}",
						      argv[2],
						      parallel != NULL ? parallel : "4"),
				 NULL,
				 &error);
	file = g_file_new_for_path(argv[5]);
	if (storage != NULL)
		stream = g_file_read(file, NULL, &error);
	if (stream != NULL)
		info = g_file_input_stream_query_info(stream,
						      G_FILE_ATTRIBUTE_STANDARD_SIZE,
						      NULL,
						      &error);
	if (info == NULL) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	start = g_get_monotonic_time();
	hubd_storage_put_async(storage,
			       argv[4],
			       G_INPUT_STREAM(stream),
			       g_file_info_get_size(info),
			       NULL,
			       done_cb,
			       &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	object = hubd_storage_put_finish(storage, result, &error);
	if (object == NULL) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	g_print("%.3f %s\n",
		(gdouble)(g_get_monotonic_time() - start) / G_USEC_PER_SEC,
		hubd_storage_object_get_etag(object));
	return 0;
}
