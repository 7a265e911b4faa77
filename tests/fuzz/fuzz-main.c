/* fuzz-main.c: replays every file of corpus directories through LLVMFuzzerTestOneInput (gcc builds)
 */
#define G_LOG_DOMAIN "HubdFuzzMain"

#include <glib.h>
#include <stdint.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gint
compare_paths(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static gboolean
replay_file(const gchar *path, guint *count)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *contents = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &contents, &len, &error)) {
		g_printerr("%s\n", error->message);
		return FALSE;
	}
	/* printed first, so a crash names its input */
	g_print("# %s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
	LLVMFuzzerTestOneInput((const uint8_t *)contents, len);
	(*count)++;
	return TRUE;
}

static gboolean
replay(const gchar *path, guint *count)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) names = NULL;
	const gchar *name;

	if (!g_file_test(path, G_FILE_TEST_IS_DIR))
		return replay_file(path, count);
	dir = g_dir_open(path, 0, &error);
	if (dir == NULL) {
		g_printerr("%s\n", error->message);
		return FALSE;
	}
	/* sorted, so runs are reproducible */
	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(dir)) != NULL)
		g_ptr_array_add(names, g_build_filename(path, name, NULL));
	g_ptr_array_sort(names, compare_paths);
	for (guint i = 0; i < names->len; i++) {
		if (!replay(g_ptr_array_index(names, i), count))
			return FALSE;
	}
	return TRUE;
}

int
main(int argc, char **argv)
{
	guint count = 0;

	if (argc < 2) {
		g_printerr("Usage: %s CORPUS-DIR-OR-FILE…\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (!replay(argv[i], &count))
			return 1;
	}
	if (count == 0) {
		g_printerr("no input found in the corpus\n");
		return 1;
	}
	g_print("replayed %u inputs\n", count);
	return 0;
}
