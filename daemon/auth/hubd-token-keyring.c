/* hubd-token-keyring.c: HubdTokenStore's keyring: the Secret Service probe and libsecret items
 *
 * Only what talks to the session bus or libsecret: whether a Secret Service
 * is there, reading every item once at load, and storing or deleting one
 * item. The store keeps the tokens in memory and never waits for these on a
 * request. */
#define G_LOG_DOMAIN "HubdTokenStore"

#include "hubd-token-keyring.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "hubd-token-file.h"

#define HUBD_TOKEN_SCHEMA_GENERATION "1"

static const SecretSchema *
hubd_token_keyring_get_schema(void)
{
	static const SecretSchema schema = {
		"org.hubd.Token",
		SECRET_SCHEMA_NONE,
		{
			{"endpoint", SECRET_SCHEMA_ATTRIBUTE_STRING},
			{"name", SECRET_SCHEMA_ATTRIBUTE_STRING},
			{"user", SECRET_SCHEMA_ATTRIBUTE_STRING},
			{"role", SECRET_SCHEMA_ATTRIBUTE_STRING},
			/* format generation, so stored items can be migrated */
			{"gen", SECRET_SCHEMA_ATTRIBUTE_STRING},
			{NULL, 0},
		},
	};
	return &schema;
}

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

typedef struct {
	GTask *task;
	GPtrArray *entries; /* HubdTokenEntry* */
	guint pending;
	guint locked; /* items in a collection no one unlocked */
} SecretLoad;

static gboolean
is_locked_error(const GError *error)
{
	g_autofree gchar *remote = NULL;

	if (g_error_matches(error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
		return TRUE;
	remote = g_dbus_error_get_remote_error(error);
	return g_strcmp0(remote, "org.freedesktop.Secret.Error.IsLocked") == 0;
}

static void
hubd_token_keyring_secret_retrieved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SecretLoad *load = user_data;
	SecretRetrievable *item = SECRET_RETRIEVABLE(source);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(SecretValue) value =
		secret_retrievable_retrieve_secret_finish(item, res, &error_local);
	g_autoptr(GHashTable) attrs = secret_retrievable_get_attributes(item);

	if (value == NULL && (error_local == NULL || is_locked_error(error_local))) {
		g_warning("a stored token is in a locked keyring");
		load->locked++;
	} else if (value == NULL) {
		g_warning("cannot read a stored token: %s", error_local->message);
	} else {
		const gchar *endpoint = g_hash_table_lookup(attrs, "endpoint");
		const gchar *name = g_hash_table_lookup(attrs, "name");
		g_autofree gchar *secret = hubd_token_clean(secret_value_get_text(value));
		if (endpoint != NULL && name != NULL && secret != NULL)
			g_ptr_array_add(load->entries,
					hubd_token_entry_new(endpoint,
							     name,
							     g_hash_table_lookup(attrs, "user"),
							     g_hash_table_lookup(attrs, "role"),
							     secret));
		hubd_token_secret_free(g_steal_pointer(&secret));
	}
	if (--load->pending == 0) {
		g_debug("loaded %u token(s) from the keyring", load->entries->len);
		g_task_set_task_data(load->task, GUINT_TO_POINTER(load->locked), NULL);
		g_task_return_pointer(load->task,
				      g_steal_pointer(&load->entries),
				      (GDestroyNotify)g_ptr_array_unref);
		g_object_unref(load->task);
		g_free(load);
	}
}

static void
hubd_token_keyring_search_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GError) error = NULL;
	GList *items = secret_password_search_finish(res, &error);
	SecretLoad *load;

	if (error != NULL) {
		g_warning("cannot search the keyring: %s", error->message);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (items == NULL) {
		g_task_return_pointer(
			task,
			g_ptr_array_new_with_free_func((GDestroyNotify)hubd_token_entry_free),
			(GDestroyNotify)g_ptr_array_unref);
		return;
	}
	load = g_new0(SecretLoad, 1);
	load->task = g_steal_pointer(&task);
	load->entries = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_token_entry_free);
	load->pending = g_list_length(items);
	for (GList *l = items; l != NULL; l = l->next)
		secret_retrievable_retrieve_secret(l->data,
						   NULL,
						   hubd_token_keyring_secret_retrieved_cb,
						   load);
	g_list_free_full(items, g_object_unref);
}

void
hubd_token_keyring_load_async(gpointer source_object,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	GTask *task = g_task_new(source_object, NULL, callback, user_data);

	g_task_set_source_tag(task, hubd_token_keyring_load_async);
	secret_password_search(hubd_token_keyring_get_schema(),
			       SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS,
			       NULL,
			       hubd_token_keyring_search_cb,
			       task,
			       NULL);
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

	/* FALSE without an error only means there was nothing to delete */
	secret_password_clear_finish(res, &error);
	if (error != NULL)
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
	/* The task has no cancellable of its own: only libsecret's answer counts,
	 * so a change it made is never reported as not made because of a cancel
	 * that came after. */
	GTask *task = g_task_new(source_object, NULL, callback, user_data);

	g_task_set_source_tag(task, hubd_token_keyring_clear_async);
	secret_password_clear(hubd_token_keyring_get_schema(),
			      cancellable,
			      hubd_token_keyring_cleared_cb,
			      task,
			      "endpoint",
			      endpoint,
			      "name",
			      name,
			      NULL);
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

	if (!secret_password_store_finish(res, &error))
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

	g_task_set_source_tag(task, hubd_token_keyring_store_async);
	secret_password_store(hubd_token_keyring_get_schema(),
			      SECRET_COLLECTION_DEFAULT,
			      label,
			      token,
			      cancellable,
			      hubd_token_keyring_stored_cb,
			      task,
			      "endpoint",
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
}

gboolean
hubd_token_keyring_store_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}
