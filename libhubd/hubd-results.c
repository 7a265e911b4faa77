/* hubd-results.c: what the typed results share — reading hubd's a{sv} answers */
#include "hubd-results-private.h"

gchar *
hubd_results_lookup_string(GVariant *dict, const gchar *key)
{
	const gchar *value = NULL;

	if (!g_variant_lookup(dict, key, "&s", &value) || value[0] == '\0')
		return NULL;
	return g_strdup(value);
}

gchar **
hubd_results_lookup_strv(GVariant *dict, const gchar *key)
{
	gchar **value = NULL;

	if (!g_variant_lookup(dict, key, "^as", &value))
		return NULL;
	return value;
}

GPtrArray *
hubd_results_list(GVariant *value, const gchar *key, HubdResultsNewFunc func)
{
	g_autoptr(GVariant) list = NULL;
	GPtrArray *array = g_ptr_array_new_with_free_func(g_object_unref);
	GVariantIter iter;
	GVariant *child;

	if (key != NULL)
		list = g_variant_lookup_value(value, key, G_VARIANT_TYPE("aa{sv}"));
	else if (g_variant_is_of_type(value, G_VARIANT_TYPE("aa{sv}")))
		list = g_variant_ref(value);
	if (list == NULL)
		return array;
	g_variant_iter_init(&iter, list);
	while ((child = g_variant_iter_next_value(&iter)) != NULL) {
		g_ptr_array_add(array, func(child));
		g_variant_unref(child);
	}
	return array;
}
