/* hubd-oauth-store.c: OAuth refresh tokens in the keyring, one item per stored token
 *
 * A refresh token lives in its own item (schema org.hubd.OAuthRefresh) next
 * to the access token's org.hubd.Token item, so the token store and its
 * format stay as they are and `hubctl auth list` shows one entry per login.
 * The expiry is an attribute: it is not a secret, and the refresher needs it
 * before unlocking anything. */
#define G_LOG_DOMAIN "HubdOAuth"

#include "hubd-oauth-store.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

static const SecretSchema *
hubd_oauth_store_schema(void)
{
	static const SecretSchema schema = {
		"org.hubd.OAuthRefresh",
		SECRET_SCHEMA_NONE,
		{
			{"endpoint", SECRET_SCHEMA_ATTRIBUTE_STRING},
			{"name", SECRET_SCHEMA_ATTRIBUTE_STRING},
			{"expires_at", SECRET_SCHEMA_ATTRIBUTE_STRING},
			{NULL, 0},
		},
	};
	return &schema;
}

HubdOAuthEntry *
hubd_oauth_entry_new(const gchar *endpoint,
		     const gchar *name,
		     const gchar *refresh_token,
		     gint64 expires_at)
{
	HubdOAuthEntry *entry = g_new0(HubdOAuthEntry, 1);

	entry->endpoint = g_strdup(endpoint);
	entry->name = g_strdup(name);
	entry->refresh_token = g_strdup(refresh_token);
	entry->expires_at = expires_at;
	return entry;
}

void
hubd_oauth_entry_free(HubdOAuthEntry *entry)
{
	if (entry == NULL)
		return;
	g_free(entry->endpoint);
	g_free(entry->name);
	if (entry->refresh_token != NULL)
		memset(entry->refresh_token, 0, strlen(entry->refresh_token));
	g_free(entry->refresh_token);
	g_free(entry);
}

/* ---- load ---- */

static void
hubd_oauth_store_search_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GError) error = NULL;
	GList *items = secret_password_search_finish(res, &error);
	GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_oauth_entry_free);

	if (error != NULL)
		g_debug("no refresh tokens: %s", error->message);
	/* SECRET_SEARCH_LOAD_SECRETS: the secrets came with the items */
	for (GList *l = items; l != NULL; l = l->next) {
		SecretRetrievable *item = l->data;
		g_autoptr(GHashTable) attrs = secret_retrievable_get_attributes(item);
		g_autoptr(SecretValue) value = NULL;
		const gchar *endpoint = g_hash_table_lookup(attrs, "endpoint");
		const gchar *name = g_hash_table_lookup(attrs, "name");
		const gchar *expires = g_hash_table_lookup(attrs, "expires_at");

		if (SECRET_IS_ITEM(item))
			value = secret_item_get_secret(SECRET_ITEM(item));
		if (value == NULL || endpoint == NULL || name == NULL)
			continue;
		g_ptr_array_add(entries,
				hubd_oauth_entry_new(
					endpoint,
					name,
					secret_value_get_text(value),
					expires != NULL ? g_ascii_strtoll(expires, NULL, 10) : 0));
	}
	g_list_free_full(items, g_object_unref);
	g_task_return_pointer(task, entries, (GDestroyNotify)g_ptr_array_unref);
}

void
hubd_oauth_store_load_async(gpointer source_object,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	GTask *task = g_task_new(source_object, NULL, callback, user_data);

	g_task_set_source_tag(task, hubd_oauth_store_load_async);
	secret_password_search(hubd_oauth_store_schema(),
			       SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS,
			       NULL,
			       hubd_oauth_store_search_cb,
			       task,
			       NULL);
}

GPtrArray *
hubd_oauth_store_load_finish(GAsyncResult *result)
{
	return g_task_propagate_pointer(G_TASK(result), NULL);
}

/* ---- clear, save ---- */

static void
hubd_oauth_store_cleared_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;

	secret_password_clear_finish(res, &error);
	if (error != NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

void
hubd_oauth_store_clear_async(gpointer source_object,
			     const gchar *endpoint,
			     const gchar *name,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	GTask *task = g_task_new(source_object, NULL, callback, user_data);

	g_task_set_source_tag(task, hubd_oauth_store_clear_async);
	secret_password_clear(hubd_oauth_store_schema(),
			      NULL,
			      hubd_oauth_store_cleared_cb,
			      task,
			      "endpoint",
			      endpoint,
			      "name",
			      name,
			      NULL);
}

gboolean
hubd_oauth_store_clear_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
hubd_oauth_store_stored_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;

	if (!secret_password_store_finish(res, &error))
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

static void
hubd_oauth_store_replace_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	HubdOAuthEntry *entry = g_task_get_task_data(task);
	g_autofree gchar *label =
		g_strdup_printf(_("Hugging Face refresh token (%s)"), entry->name);
	g_autofree gchar *expires = g_strdup_printf("%" G_GINT64_FORMAT, entry->expires_at);
	GError *error = NULL;

	if (!secret_password_clear_finish(res, &error) && error != NULL) {
		g_task_return_error(task, error);
		return;
	}
	secret_password_store(hubd_oauth_store_schema(),
			      SECRET_COLLECTION_DEFAULT,
			      label,
			      entry->refresh_token,
			      NULL,
			      hubd_oauth_store_stored_cb,
			      g_object_ref(task),
			      "endpoint",
			      entry->endpoint,
			      "name",
			      entry->name,
			      "expires_at",
			      expires,
			      NULL);
}

void
hubd_oauth_store_save_async(gpointer source_object,
			    const HubdOAuthEntry *entry,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	GTask *task = g_task_new(source_object, NULL, callback, user_data);

	g_task_set_source_tag(task, hubd_oauth_store_save_async);
	g_task_set_task_data(task,
			     hubd_oauth_entry_new(entry->endpoint,
						  entry->name,
						  entry->refresh_token,
						  entry->expires_at),
			     (GDestroyNotify)hubd_oauth_entry_free);
	/* the expiry is an attribute, so a new one is a new item: drop the old */
	secret_password_clear(hubd_oauth_store_schema(),
			      NULL,
			      hubd_oauth_store_replace_cb,
			      task,
			      "endpoint",
			      entry->endpoint,
			      "name",
			      entry->name,
			      NULL);
}

gboolean
hubd_oauth_store_save_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}
