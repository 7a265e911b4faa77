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

#include "hubd-keyring.h"

/* attributes: endpoint, name, expires_at */
#define HUBD_OAUTH_SCHEMA "org.hubd.OAuthRefresh"

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

/* Adds `entry` to `entries`, or keeps only the newer of it and the one
 * already there for its login: two items mean a renewal stored the new
 * refresh token and was killed before it deleted the old, spent one. */
static void
hubd_oauth_store_add_newest(GPtrArray *entries, GHashTable *index, HubdOAuthEntry *entry)
{
	g_autofree gchar *key = g_strconcat(entry->endpoint, "\n", entry->name, NULL);
	gpointer at;
	HubdOAuthEntry *other;

	if (!g_hash_table_lookup_extended(index, key, NULL, &at)) {
		g_hash_table_insert(index, g_steal_pointer(&key), GUINT_TO_POINTER(entries->len));
		g_ptr_array_add(entries, entry);
		return;
	}
	other = g_ptr_array_index(entries, GPOINTER_TO_UINT(at));
	g_debug("two refresh tokens for “%s”: a renewal was cut off", entry->name);
	if (entry->expires_at > other->expires_at) {
		entries->pdata[GPOINTER_TO_UINT(at)] = entry;
		hubd_oauth_entry_free(other);
		other = entry;
	} else {
		hubd_oauth_entry_free(entry);
	}
	other->interrupted = TRUE;
}

static void
hubd_oauth_store_search_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) items = hubd_keyring_search_finish(HUBD_KEYRING(source), res, &error);
	GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_oauth_entry_free);
	g_autoptr(GHashTable) index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	if (items == NULL)
		g_debug("no refresh tokens: %s", error->message);
	for (guint i = 0; items != NULL && i < items->len; i++) {
		HubdKeyringItem *item = g_ptr_array_index(items, i);
		const gchar *endpoint = g_hash_table_lookup(item->attributes, "endpoint");
		const gchar *name = g_hash_table_lookup(item->attributes, "name");
		const gchar *expires = g_hash_table_lookup(item->attributes, "expires_at");

		if (item->secret == NULL || endpoint == NULL || name == NULL)
			continue;
		hubd_oauth_store_add_newest(
			entries,
			index,
			hubd_oauth_entry_new(endpoint,
					     name,
					     item->secret,
					     expires != NULL ? g_ascii_strtoll(expires, NULL, 10)
							     : 0));
	}
	g_task_return_pointer(task, entries, (GDestroyNotify)g_ptr_array_unref);
}

void
hubd_oauth_store_load_async(gpointer source_object,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	GTask *task = g_task_new(source_object, NULL, callback, user_data);

	g_task_set_source_tag(task, hubd_oauth_store_load_async);
	hubd_keyring_search_async(hubd_keyring_get_default(),
				  HUBD_OAUTH_SCHEMA,
				  NULL,
				  HUBD_KEYRING_ALL | HUBD_KEYRING_LOAD_SECRETS,
				  NULL,
				  hubd_oauth_store_search_cb,
				  task);
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

	if (!hubd_keyring_clear_finish(HUBD_KEYRING(source), res, &error))
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
	g_autoptr(GHashTable) attributes =
		hubd_keyring_attributes_new("endpoint", endpoint, "name", name, NULL);

	g_task_set_source_tag(task, hubd_oauth_store_clear_async);
	hubd_keyring_clear_async(hubd_keyring_get_default(),
				 HUBD_OAUTH_SCHEMA,
				 attributes,
				 HUBD_KEYRING_NONE,
				 NULL,
				 hubd_oauth_store_cleared_cb,
				 task);
}

gboolean
hubd_oauth_store_clear_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

typedef struct {
	HubdOAuthEntry *entry;
	GQueue old; /* expires_at of the items to delete */
} Save;

static void
save_free(Save *save)
{
	hubd_oauth_entry_free(save->entry);
	g_queue_clear_full(&save->old, g_free);
	g_free(save);
}

/* Deletes, one at a time, the items of the entry's login whose expiry is
 * not the new one's; the new item is safe in the keyring already. Takes
 * the caller's reference on `task`. */
static void
hubd_oauth_store_prune_next(GTask *task);

static void
hubd_oauth_store_pruned_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	g_autoptr(GError) error = NULL;

	/* left behind, the old item is only a spent token that the next
	 * start sees as a cut-off renewal and deletes by renewing */
	if (!hubd_keyring_clear_finish(HUBD_KEYRING(source), res, &error))
		g_warning("cannot delete an old refresh token: %s", error->message);
	hubd_oauth_store_prune_next(task);
}

static void
hubd_oauth_store_prune_next(GTask *task)
{
	Save *save = g_task_get_task_data(task);
	g_autofree gchar *expires = g_queue_pop_head(&save->old);
	g_autoptr(GHashTable) attributes = NULL;

	if (expires == NULL) {
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}
	attributes = hubd_keyring_attributes_new("endpoint",
						 save->entry->endpoint,
						 "name",
						 save->entry->name,
						 "expires_at",
						 expires,
						 NULL);
	hubd_keyring_clear_async(hubd_keyring_get_default(),
				 HUBD_OAUTH_SCHEMA,
				 attributes,
				 HUBD_KEYRING_NONE,
				 NULL,
				 hubd_oauth_store_pruned_cb,
				 task);
}

static void
hubd_oauth_store_listed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	Save *save = g_task_get_task_data(task);
	g_autofree gchar *expires = g_strdup_printf("%" G_GINT64_FORMAT, save->entry->expires_at);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) items = hubd_keyring_search_finish(HUBD_KEYRING(source), res, &error);

	for (guint i = 0; items != NULL && i < items->len; i++) {
		HubdKeyringItem *item = g_ptr_array_index(items, i);
		const gchar *other = g_hash_table_lookup(item->attributes, "expires_at");

		if (other != NULL && g_strcmp0(other, expires) != 0 &&
		    g_queue_find_custom(&save->old, other, (GCompareFunc)g_strcmp0) == NULL)
			g_queue_push_tail(&save->old, g_strdup(other));
	}
	hubd_oauth_store_prune_next(task);
}

static void
hubd_oauth_store_stored_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	Save *save = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(GHashTable) attributes = NULL;

	if (!hubd_keyring_store_finish(HUBD_KEYRING(source), res, &error)) {
		g_task_return_error(task, error);
		return;
	}
	attributes = hubd_keyring_attributes_new("endpoint",
						 save->entry->endpoint,
						 "name",
						 save->entry->name,
						 NULL);
	/* attributes only: which items, not their secrets */
	hubd_keyring_search_async(hubd_keyring_get_default(),
				  HUBD_OAUTH_SCHEMA,
				  attributes,
				  HUBD_KEYRING_ALL,
				  NULL,
				  hubd_oauth_store_listed_cb,
				  g_steal_pointer(&task));
}

void
hubd_oauth_store_save_async(gpointer source_object,
			    const HubdOAuthEntry *entry,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	GTask *task = g_task_new(source_object, NULL, callback, user_data);
	Save *save = g_new0(Save, 1);
	HubdOAuthEntry *copy = hubd_oauth_entry_new(entry->endpoint,
						    entry->name,
						    entry->refresh_token,
						    entry->expires_at);
	g_autofree gchar *label =
		g_strdup_printf(_("Hugging Face refresh token (%s)"), entry->name);
	g_autofree gchar *expires = g_strdup_printf("%" G_GINT64_FORMAT, entry->expires_at);
	g_autoptr(GHashTable) attributes = hubd_keyring_attributes_new("endpoint",
								       entry->endpoint,
								       "name",
								       entry->name,
								       "expires_at",
								       expires,
								       NULL);

	g_task_set_source_tag(task, hubd_oauth_store_save_async);
	save->entry = copy;
	g_queue_init(&save->old);
	g_task_set_task_data(task, save, (GDestroyNotify)save_free);
	/* the expiry is an attribute, so a new one is a new item. Store it
	 * before the old one goes: the Hub has spent the old refresh token
	 * already, and a kill between the two must not leave neither. */
	hubd_keyring_store_async(hubd_keyring_get_default(),
				 HUBD_OAUTH_SCHEMA,
				 attributes,
				 label,
				 copy->refresh_token,
				 NULL,
				 hubd_oauth_store_stored_cb,
				 task);
}

gboolean
hubd_oauth_store_save_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}
