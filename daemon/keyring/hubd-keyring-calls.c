/* hubd-keyring-calls.c: HubdKeyring's calls: search, store and clear, and what they return
 *
 * Each call is one request to the keyring helper (hubd-keyring.c sends it
 * and hands back the answer); this is how requests are made and answers
 * read. */
#define G_LOG_DOMAIN "HubdKeyring"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-error.h"
#include "hubd-keyring-private.h"
#include "hubd-keyring-wire.h"
#include "hubd-keyring.h"

/**
 * hubd_keyring_attributes_new:
 * @first_name: the first attribute's name
 * @...: its value, then more names and values, then %NULL
 *
 * A table of attributes for the calls below.
 *
 * Returns: (transfer full) (element-type utf8 utf8): the table
 *
 * Since: 0.1
 */
GHashTable *
hubd_keyring_attributes_new(const gchar *first_name, ...)
{
	GHashTable *attributes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	va_list args;

	va_start(args, first_name);
	for (const gchar *name = first_name; name != NULL; name = va_arg(args, const gchar *))
		g_hash_table_insert(attributes,
				    g_strdup(name),
				    g_strdup(va_arg(args, const gchar *)));
	va_end(args);
	return attributes;
}

/**
 * hubd_keyring_item_free:
 * @item: (nullable): an item from hubd_keyring_search_finish()
 *
 * Frees @item, wiping its secret first.
 *
 * Since: 0.1
 */
void
hubd_keyring_item_free(HubdKeyringItem *item)
{
	if (item == NULL)
		return;
	g_hash_table_unref(item->attributes);
	hubd_keyring_wire_wipe_free(item->secret, item->secret_len);
	g_free(item);
}

/* The answer's value, or NULL with the error the helper met (or the one
 * that kept the request from it). */
static GVariant *
hubd_keyring_answer_value(HubdKeyring *self, GAsyncResult *result, GError **error)
{
	g_autoptr(GVariant) answer = NULL;
	g_autoptr(GVariant) value = NULL;
	gboolean ok;
	const gchar *domain;
	gint code;
	const gchar *message;

	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	answer = g_task_propagate_pointer(G_TASK(result), error);
	if (answer == NULL)
		return NULL;
	g_variant_get(answer, "(bv)", &ok, &value);
	if (ok)
		return g_steal_pointer(&value);
	if (!g_variant_is_of_type(value, G_VARIANT_TYPE(HUBD_KEYRING_WIRE_ERROR))) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_FAILED,
				    _("The keyring helper gave an answer hubd does not know"));
		return NULL;
	}
	g_variant_get(value, "(&si&s)", &domain, &code, &message);
	/* by name: GDBus's and libsecret's quarks are the same on both sides */
	g_set_error_literal(error, g_quark_from_string(domain), code, message);
	return NULL;
}

/* ---- the calls ---- */

/**
 * hubd_keyring_search_async:
 * @self: the keyring
 * @schema: the schema's name, such as `org.hubd.Token`
 * @attributes: (nullable) (element-type utf8 utf8): what the items must have
 * @flags: how many items, with or without secrets, and whether the schema's
 *   name must match
 * @cancellable: (nullable): counts only until the helper has the request
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Finds the items of @schema with @attributes. The keyring is never asked
 * to unlock: an item in a locked collection comes without its secret and
 * with `locked` set.
 *
 * Since: 0.1
 */
void
hubd_keyring_search_async(HubdKeyring *self,
			  const gchar *schema,
			  GHashTable *attributes,
			  HubdKeyringFlags flags,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_keyring_search_async);
	hubd_keyring_submit(self, "search", schema, attributes, flags, NULL, NULL, task);
}

/**
 * hubd_keyring_search_finish:
 * @self: the keyring
 * @result: the result
 * @error: where an error goes
 *
 * Returns: (transfer container) (element-type HubdKeyringItem): the items
 *   found, maybe none; %NULL only on an error (no keyring, a helper that
 *   could not be started or died)
 *
 * Since: 0.1
 */
GPtrArray *
hubd_keyring_search_finish(HubdKeyring *self, GAsyncResult *result, GError **error)
{
	g_autoptr(GVariant) value = hubd_keyring_answer_value(self, result, error);
	GPtrArray *items;
	GVariantIter iter;
	GVariant *attrs;
	gboolean locked, has_secret;
	GVariant *secret;

	if (value == NULL)
		return NULL;
	items = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_keyring_item_free);
	if (!g_variant_is_of_type(value, G_VARIANT_TYPE(HUBD_KEYRING_WIRE_ITEMS)))
		return items;
	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "(@a{ss}bb@ay)", &attrs, &locked, &has_secret, &secret)) {
		HubdKeyringItem *item = g_new0(HubdKeyringItem, 1);
		GVariantIter a;
		gchar *key, *val;
		gsize len = 0;
		const guint8 *bytes = g_variant_get_fixed_array(secret, &len, 1);

		item->attributes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		g_variant_iter_init(&a, attrs);
		while (g_variant_iter_next(&a, "{ss}", &key, &val))
			g_hash_table_insert(item->attributes, key, val);
		item->locked = locked;
		if (has_secret) {
			item->secret = g_malloc(len + 1);
			memcpy(item->secret, bytes, len);
			item->secret[len] = '\0';
			item->secret_len = len;
		}
		g_ptr_array_add(items, item);
		g_variant_unref(attrs);
		g_variant_unref(secret);
	}
	return items;
}

/**
 * hubd_keyring_store_async:
 * @self: the keyring
 * @schema: the schema's name
 * @attributes: (element-type utf8 utf8): the item's attributes
 * @label: the label people see in their keyring manager
 * @secret: the secret, as text; copied at once
 * @cancellable: (nullable): counts only until the helper has the request
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Stores @secret in the default collection, replacing the item of @schema
 * with exactly these attributes if there is one.
 *
 * Since: 0.1
 */
void
hubd_keyring_store_async(HubdKeyring *self,
			 const gchar *schema,
			 GHashTable *attributes,
			 const gchar *label,
			 const gchar *secret,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	GTask *task;

	g_return_if_fail(secret != NULL && label != NULL);
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_keyring_store_async);
	hubd_keyring_submit(self, "store", schema, attributes, 0, label, secret, task);
}

/**
 * hubd_keyring_store_finish:
 * @self: the keyring
 * @result: the result
 * @error: where an error goes
 *
 * Returns: whether the secret is stored
 *
 * Since: 0.1
 */
gboolean
hubd_keyring_store_finish(HubdKeyring *self, GAsyncResult *result, GError **error)
{
	g_autoptr(GVariant) value = hubd_keyring_answer_value(self, result, error);

	return value != NULL;
}

/**
 * hubd_keyring_clear_async:
 * @self: the keyring
 * @schema: the schema's name
 * @attributes: (element-type utf8 utf8): what the items to delete have
 * @flags: %HUBD_KEYRING_ANY_SCHEMA or %HUBD_KEYRING_NONE
 * @cancellable: (nullable): counts only until the helper has the request
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Deletes every item of @schema with @attributes. None to delete is not an
 * error.
 *
 * Since: 0.1
 */
void
hubd_keyring_clear_async(HubdKeyring *self,
			 const gchar *schema,
			 GHashTable *attributes,
			 HubdKeyringFlags flags,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_keyring_clear_async);
	hubd_keyring_submit(self, "clear", schema, attributes, flags, NULL, NULL, task);
}

/**
 * hubd_keyring_clear_finish:
 * @self: the keyring
 * @result: the result
 * @error: where an error goes
 *
 * Returns: %TRUE when nothing of @schema with those attributes is left
 *
 * Since: 0.1
 */
gboolean
hubd_keyring_clear_finish(HubdKeyring *self, GAsyncResult *result, GError **error)
{
	g_autoptr(GVariant) value = hubd_keyring_answer_value(self, result, error);

	return value != NULL;
}
