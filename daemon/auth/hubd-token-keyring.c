/* hubd-token-keyring.c: HubdTokenStore's keyring: the Secret Service probe and the token items
 *
 * Only what talks to the session bus or the keyring: whether a Secret Service
 * is there, reading every item once at load, and storing or deleting one
 * item. The store keeps the tokens in memory and never waits for these on a
 * request. */
#define G_LOG_DOMAIN "HubdTokenStore"

#include "hubd-token-keyring.h"

#include <glib/gi18n.h>

#include "hubd-keyring.h"
#include "hubd-token-file.h"

#define HUBD_TOKEN_SCHEMA_GENERATION "1"

/* attributes: endpoint, name, user, role and gen, the format's generation
 * (so that stored items can be migrated) */
#define HUBD_TOKEN_SCHEMA "org.hubd.Token"

/* ---- is there a Secret Service? ---- */

static void
hubd_token_keyring_probe_return(GTask *task, gboolean found, const gchar *why)
{
	g_task_set_task_data(task, (gpointer)why, NULL);
	g_task_return_boolean(task, found);
}

static void
hubd_token_keyring_activatable_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, NULL);
	g_autofree const gchar **names = NULL;

	if (reply != NULL) {
		g_variant_get(reply, "(^a&s)", &names);
		if (g_strv_contains(names, "org.freedesktop.secrets")) {
			hubd_token_keyring_probe_return(task, TRUE, "activatable");
			return;
		}
	}
	hubd_token_keyring_probe_return(task, FALSE, "no Secret Service on the bus");
}

static void
hubd_token_keyring_has_owner_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GDBusConnection *bus = G_DBUS_CONNECTION(source);
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(bus, res, NULL);
	gboolean owned = FALSE;

	if (reply != NULL)
		g_variant_get(reply, "(b)", &owned);
	if (owned) {
		hubd_token_keyring_probe_return(task, TRUE, "Secret Service running");
		return;
	}
	g_dbus_connection_call(bus,
			       "org.freedesktop.DBus",
			       "/org/freedesktop/DBus",
			       "org.freedesktop.DBus",
			       "ListActivatableNames",
			       NULL,
			       G_VARIANT_TYPE("(as)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       NULL,
			       hubd_token_keyring_activatable_cb,
			       g_steal_pointer(&task));
}

static void
hubd_token_keyring_bus_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GDBusConnection) bus = g_bus_get_finish(res, NULL);

	if (bus == NULL) {
		hubd_token_keyring_probe_return(task, FALSE, "no session bus");
		return;
	}
	g_dbus_connection_call(bus,
			       "org.freedesktop.DBus",
			       "/org/freedesktop/DBus",
			       "org.freedesktop.DBus",
			       "NameHasOwner",
			       g_variant_new("(s)", "org.freedesktop.secrets"),
			       G_VARIANT_TYPE("(b)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       -1,
			       NULL,
			       hubd_token_keyring_has_owner_cb,
			       g_steal_pointer(&task));
}

void
hubd_token_keyring_probe_async(gpointer source_object,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	GTask *task = g_task_new(source_object, NULL, callback, user_data);

	g_task_set_source_tag(task, hubd_token_keyring_probe_async);
	g_bus_get(G_BUS_TYPE_SESSION, NULL, hubd_token_keyring_bus_cb, task);
}

gboolean
hubd_token_keyring_probe_finish(GAsyncResult *result, const gchar **why)
{
	*why = g_task_get_task_data(G_TASK(result));
	return g_task_propagate_boolean(G_TASK(result), NULL);
}

/* ---- loading every item ---- */

static void
hubd_token_keyring_search_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) items = hubd_keyring_search_finish(HUBD_KEYRING(source), res, &error);
	GPtrArray *entries;
	guint locked = 0;

	if (items == NULL) {
		g_warning("cannot search the keyring: %s", error->message);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	entries = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_token_entry_free);
	for (guint i = 0; i < items->len; i++) {
		HubdKeyringItem *item = g_ptr_array_index(items, i);
		const gchar *endpoint = g_hash_table_lookup(item->attributes, "endpoint");
		const gchar *name = g_hash_table_lookup(item->attributes, "name");
		g_autofree gchar *secret = NULL;

		if (item->locked) {
			g_warning("a stored token is in a locked keyring");
			locked++;
			continue;
		}
		secret = item->secret != NULL ? hubd_token_clean(item->secret) : NULL;
		if (endpoint != NULL && name != NULL && secret != NULL)
			g_ptr_array_add(
				entries,
				hubd_token_entry_new(endpoint,
						     name,
						     g_hash_table_lookup(item->attributes, "user"),
						     g_hash_table_lookup(item->attributes, "role"),
						     secret));
		hubd_token_secret_free(g_steal_pointer(&secret));
	}
	g_debug("loaded %u token(s) from the keyring", entries->len);
	g_task_set_task_data(task, GUINT_TO_POINTER(locked), NULL);
	g_task_return_pointer(task, entries, (GDestroyNotify)g_ptr_array_unref);
}

void
hubd_token_keyring_load_async(gpointer source_object,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	GTask *task = g_task_new(source_object, NULL, callback, user_data);

	g_task_set_source_tag(task, hubd_token_keyring_load_async);
	hubd_keyring_search_async(hubd_keyring_get_default(),
				  HUBD_TOKEN_SCHEMA,
				  NULL,
				  HUBD_KEYRING_ALL | HUBD_KEYRING_LOAD_SECRETS,
				  NULL,
				  hubd_token_keyring_search_cb,
				  task);
}

GPtrArray *
hubd_token_keyring_load_finish(GAsyncResult *result, guint *n_locked, GError **error)
{
	*n_locked = GPOINTER_TO_UINT(g_task_get_task_data(G_TASK(result)));
	return g_task_propagate_pointer(G_TASK(result), error);
}

/* ---- one item ---- */

static void
hubd_token_keyring_cleared_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;

	if (!hubd_keyring_clear_finish(HUBD_KEYRING(source), res, &error))
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

void
hubd_token_keyring_clear_async(gpointer source_object,
			       const gchar *endpoint,
			       const gchar *name,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	/* The task has no cancellable of its own: only the keyring's answer
	 * counts, so a change it made is never reported as not made because of
	 * a cancel that came after. */
	GTask *task = g_task_new(source_object, NULL, callback, user_data);
	g_autoptr(GHashTable) attributes =
		hubd_keyring_attributes_new("endpoint", endpoint, "name", name, NULL);

	g_task_set_source_tag(task, hubd_token_keyring_clear_async);
	hubd_keyring_clear_async(hubd_keyring_get_default(),
				 HUBD_TOKEN_SCHEMA,
				 attributes,
				 HUBD_KEYRING_NONE,
				 cancellable,
				 hubd_token_keyring_cleared_cb,
				 task);
}

gboolean
hubd_token_keyring_clear_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
hubd_token_keyring_stored_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;

	if (!hubd_keyring_store_finish(HUBD_KEYRING(source), res, &error))
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

void
hubd_token_keyring_store_async(gpointer source_object,
			       const gchar *endpoint,
			       const gchar *name,
			       const gchar *token,
			       const gchar *user,
			       const gchar *role,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	/* no cancellable of its own, as in clear_async */
	GTask *task = g_task_new(source_object, NULL, callback, user_data);
	g_autofree gchar *label = g_strdup_printf(_("Hugging Face token (%s)"), name);
	g_autoptr(GHashTable) attributes = hubd_keyring_attributes_new("endpoint",
								       endpoint,
								       "name",
								       name,
								       "user",
								       user != NULL ? user : "",
								       "role",
								       role != NULL ? role : "",
								       "gen",
								       HUBD_TOKEN_SCHEMA_GENERATION,
								       NULL);

	g_task_set_source_tag(task, hubd_token_keyring_store_async);
	hubd_keyring_store_async(hubd_keyring_get_default(),
				 HUBD_TOKEN_SCHEMA,
				 attributes,
				 label,
				 token,
				 cancellable,
				 hubd_token_keyring_stored_cb,
				 task);
}

gboolean
hubd_token_keyring_store_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}
