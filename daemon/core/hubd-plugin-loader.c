/* hubd-plugin-loader.c: loads plugin GIO modules, records what loaded and what did not */
#define G_LOG_DOMAIN "HubdPlugins"

#include "hubd-plugin-loader.h"

#include <glib/gi18n.h>
#include <gmodule.h>

gchar *
hubd_plugin_loader_name_from_file(const gchar *basename)
{
	const gchar *start = basename;
	const gchar *dot;

	if (g_str_has_prefix(start, "lib"))
		start += 3;
	if (g_str_has_prefix(start, "hubd-"))
		start += 5;
	dot = strchr(start, '.');
	return dot != NULL ? g_strndup(start, dot - start) : g_strdup(start);
}

/* GIO looks for g_io_<name>_load, where <name> is the file name without "lib",
 * "gio" and the extension, non-alphanumerics as '_'; or for g_io_module_load. */
static gchar *
hubd_plugin_loader_load_symbol(const gchar *basename)
{
	const gchar *start = basename;
	const gchar *dot;
	g_autofree gchar *name = NULL;

	if (g_str_has_prefix(start, "lib"))
		start += 3;
	if (g_str_has_prefix(start, "gio"))
		start += 3;
	dot = strchr(start, '.');
	name = dot != NULL ? g_strndup(start, dot - start) : g_strdup(start);
	for (gchar *p = name; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p))
			*p = '_';
	}
	return g_strdup_printf("g_io_%s_load", name);
}

/* Opening the file ourselves first gives a reason to report; GIO would only
 * print it to stderr. */
static gboolean
hubd_plugin_loader_probe(const gchar *path, const gchar *basename, gchar **reason)
{
	g_autofree gchar *symbol = hubd_plugin_loader_load_symbol(basename);
	GModule *module = g_module_open(path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
	gpointer fn = NULL;

	if (module == NULL) {
		*reason = g_strdup(g_module_error());
		return FALSE;
	}
	if (!g_module_symbol(module, symbol, &fn) &&
	    !g_module_symbol(module, "g_io_module_load", &fn)) {
		*reason = g_strdup_printf(_("not a hubd plugin: it has neither %s nor "
					    "g_io_module_load"),
					  symbol);
		g_module_close(module);
		return FALSE;
	}
	g_module_close(module);
	return TRUE;
}

/* g_ptr_array_sort() hands out pointers to the elements */
static gint
hubd_plugin_loader_strcmp_indirect(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

void
hubd_plugin_loader_load_dir(const gchar *dir, GPtrArray *loaded, GHashTable *errors)
{
	g_autoptr(GDir) gdir = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const gchar *basename;

	gdir = g_dir_open(dir, 0, &error_local);
	if (gdir == NULL) {
		g_debug("no plugins: %s", error_local->message);
		return;
	}
	while ((basename = g_dir_read_name(gdir)) != NULL) {
		if (g_str_has_prefix(basename, "lib") && g_str_has_suffix(basename, ".so"))
			g_ptr_array_add(files, g_strdup(basename));
	}
	/* a stable order makes extension priorities the only ordering rule */
	g_ptr_array_sort(files, hubd_plugin_loader_strcmp_indirect);

	for (guint i = 0; i < files->len; i++) {
		const gchar *file = g_ptr_array_index(files, i);
		g_autofree gchar *path = g_build_filename(dir, file, NULL);
		g_autofree gchar *name = hubd_plugin_loader_name_from_file(file);
		g_autofree gchar *reason = NULL;
		GIOModule *module;

		if (g_hash_table_contains(seen, name)) {
			g_hash_table_insert(
				errors,
				g_strdup(file),
				g_strdup_printf(_("a plugin named “%s” is already loaded"), name));
			continue;
		}
		if (!hubd_plugin_loader_probe(path, file, &reason)) {
			g_warning("skipping plugin %s: %s", path, reason);
			g_hash_table_insert(errors, g_strdup(file), g_steal_pointer(&reason));
			continue;
		}
		module = g_io_module_new(path);
		if (!g_type_module_use(G_TYPE_MODULE(module))) {
			g_warning("skipping plugin %s: it did not load", path);
			g_hash_table_insert(errors, g_strdup(file), g_strdup(_("it did not load")));
			/* never used, so it registered no types and may go */
			g_object_unref(module);
			continue;
		}
		g_debug("loaded plugin %s from %s", name, path);
		g_hash_table_add(seen, g_strdup(name));
		g_ptr_array_add(loaded, g_steal_pointer(&name));
	}
}
