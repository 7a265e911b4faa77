/* hubd-storage-admin.c: AddBackend and RemoveBackend — a backend's group written into (or
 * removed from) hubd.conf, its secret into (or out of) the backend's own store (the keyring) */
#define G_LOG_DOMAIN "HubdStorageService"

#include "hubd-storage-admin.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-config.h"
#include "hubd-context-private.h"
#include "hubd-error.h"
#include "hubd-storage.h"

#define SECRET_OPTION "secret_access_key"

typedef struct {
	HubdService *service;
	GDBusMethodInvocation *invocation;
	HubdStorage *storage;
	gchar *name;
	gchar *group;
	GPtrArray *keys;   /* NULL-terminated; NULL: remove the group */
	GPtrArray *values; /* as long as keys */
	gboolean secret_stored;
} Admin;

static void
admin_free(Admin *a)
{
	hubd_context_release(hubd_service_get_context(a->service));
	g_object_unref(a->service);
	g_object_unref(a->invocation);
	g_clear_object(&a->storage);
	g_free(a->name);
	g_free(a->group);
	g_clear_pointer(&a->keys, g_ptr_array_unref);
	g_clear_pointer(&a->values, g_ptr_array_unref);
	g_free(a);
}

static Admin *
admin_new(HubdService *service, GDBusMethodInvocation *invocation, const gchar *name)
{
	Admin *a = g_new0(Admin, 1);

	a->service = g_object_ref(service);
	a->invocation = g_object_ref(invocation);
	a->name = g_strdup(name);
	a->group = g_strconcat("storage.", name, NULL);
	hubd_context_hold(hubd_service_get_context(service));
	return a;
}

static HubdConfig *
admin_config(Admin *a)
{
	return hubd_context_get_config(hubd_service_get_context(a->service));
}

/* in a worker: hubd.conf is a file */
static void
write_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	Admin *a = task_data;
	GError *error = NULL;

	if (!hubd_config_write_group(admin_config(a),
				     a->group,
				     a->keys != NULL ? (const gchar *const *)a->keys->pdata : NULL,
				     a->values != NULL ? (const gchar *const *)a->values->pdata
						       : NULL,
				     &error))
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

static void
write_config(Admin *a, GAsyncReadyCallback callback)
{
	g_autoptr(GTask) task = g_task_new(a->service, NULL, callback, a);

	g_task_set_task_data(task, a, NULL);
	g_task_run_in_thread(task, write_thread);
}

/* ---- AddBackend ---- */

static void
add_forgot_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Admin *a = user_data;

	hubd_storage_store_secret_finish(HUBD_STORAGE(source), res, NULL);
	admin_free(a);
}

static void
add_written_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Admin *a = user_data;
	GError *error = NULL;

	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		hubd_service_return_error(a->invocation, error);
		if (a->secret_stored) {
			/* no backend, so no secret left behind for it */
			hubd_storage_store_secret_async(a->storage, NULL, NULL, add_forgot_cb, a);
			return;
		}
		admin_free(a);
		return;
	}
	g_message("storage backend %s added", a->name);
	g_dbus_method_invocation_return_value(a->invocation, NULL);
	admin_free(a);
}

static void
add_secret_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Admin *a = user_data;
	GError *error = NULL;

	if (!hubd_storage_store_secret_finish(HUBD_STORAGE(source), res, &error)) {
		hubd_service_return_error(a->invocation, error);
		admin_free(a);
		return;
	}
	a->secret_stored = TRUE;
	write_config(a, add_written_cb);
}

/* The options AddBackend takes: the secret, and the settings of every
 * backend scheme hubd knows (snake_case here, with dashes in hubd.conf) */
static const HubdServiceOption add_options[] = {
	{SECRET_OPTION, "s"},
	{"endpoint", "s"},
	{"region", "s"},
	{"addressing", "s"},
	{"credentials", "s"},
	{"access_key_id", "s"},
	{"profile", "s"},
	{"part_size", "s"},
	{"parallel", "s"},
	{"retries", "s"},
	{"ca_bundle", "s"},
	{"fsync", "s"},
	{NULL, NULL},
};

/* The settings of `options` into a->keys/values (url first) and the options
 * the backend is made with; the secret apart. */
static GVariant *
split_options(Admin *a, const gchar *url, GVariant *options, gchar **secret, GError **error)
{
	g_auto(GVariantBuilder) settings = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	a->keys = g_ptr_array_new_with_free_func(g_free);
	a->values = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(a->keys, g_strdup("url"));
	g_ptr_array_add(a->values, g_strdup(url));
	g_variant_iter_init(&iter, options);
	/* every value a string: the caller checked the options */
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_autoptr(GVariant) owned = value;
		const gchar *text = g_variant_get_string(value, NULL);
		g_autofree gchar *name = NULL;

		if (g_strcmp0(key, SECRET_OPTION) == 0) {
			g_free(*secret);
			*secret = g_strdup(text);
			continue;
		}
		if (strchr(text, '\n') != NULL || strchr(url, '\n') != NULL) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The setting “%s” of the storage backend “%s” holds a line "
				      "break"),
				    key,
				    a->name);
			return NULL;
		}
		name = g_strdelimit(g_strdup(key), "_", '-');
		g_variant_builder_add(&settings, "{sv}", name, g_variant_new_string(text));
		g_ptr_array_add(a->keys, g_steal_pointer(&name));
		g_ptr_array_add(a->values, g_strdup(text));
	}
	g_ptr_array_add(a->keys, NULL);
	g_ptr_array_add(a->values, NULL);
	return g_variant_ref_sink(g_variant_builder_end(&settings));
}

void
hubd_storage_admin_add(HubdService *service,
		       GDBusMethodInvocation *invocation,
		       const gchar *name,
		       const gchar *url,
		       GVariant *options)
{
	Admin *a;
	GError *error = NULL;
	g_autofree gchar *secret = NULL;
	g_autoptr(GVariant) settings = NULL;
	g_auto(GStrv) groups = NULL;

	if (!hubd_service_accept_options(invocation, options, add_options))
		return;
	a = admin_new(service, invocation, name);
	settings = split_options(a, url, options, &secret, &error);

	/* the backend checks its URL and settings as it would reading hubd.conf */
	if (settings != NULL)
		a->storage = hubd_storage_new(name, url, settings, NULL, &error);
	if (a->storage == NULL)
		goto fail;
	groups = hubd_config_get_groups(admin_config(a), a->group);
	if (g_strv_contains((const gchar *const *)groups, a->group)) {
		error = g_error_new(HUBD_ERROR,
				    HUBD_ERROR_CONFLICT,
				    _("A storage backend named “%s” exists already; remove it "
				      "first or choose another name"),
				    name);
		goto fail;
	}
	if (secret != NULL) {
		hubd_storage_store_secret_async(a->storage, secret, NULL, add_secret_cb, a);
		memset(secret, 0, strlen(secret));
		return;
	}
	write_config(a, add_written_cb);
	return;
fail:
	if (secret != NULL)
		memset(secret, 0, strlen(secret));
	hubd_service_return_error(invocation, error);
	admin_free(a);
}

/* ---- RemoveBackend ---- */

static void
remove_forgot_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Admin *a = user_data;
	GError *error = NULL;

	/* the group is gone: a secret left behind is only reported */
	if (!hubd_storage_store_secret_finish(HUBD_STORAGE(source), res, &error)) {
		hubd_service_return_error(a->invocation, error);
		admin_free(a);
		return;
	}
	g_message("storage backend %s removed", a->name);
	g_dbus_method_invocation_return_value(a->invocation, NULL);
	admin_free(a);
}

static void
remove_written_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Admin *a = user_data;
	GError *error = NULL;

	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		hubd_service_return_error(a->invocation, error);
		admin_free(a);
		return;
	}
	hubd_context_forget_storage(hubd_service_get_context(a->service), a->name);
	if (a->storage == NULL) {
		/* a backend that could not be made has no secret we could find */
		g_dbus_method_invocation_return_value(a->invocation, NULL);
		admin_free(a);
		return;
	}
	hubd_storage_store_secret_async(a->storage, NULL, NULL, remove_forgot_cb, a);
}

void
hubd_storage_admin_remove(HubdService *service,
			  GDBusMethodInvocation *invocation,
			  const gchar *name,
			  GVariant *options)
{
	Admin *a;
	GError *error = NULL;
	g_autofree gchar *mirror = NULL;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return;
	a = admin_new(service, invocation, name);
	mirror = hubd_config_get_string(admin_config(a), "storage", "mirror", NULL);
	if (!hubd_config_has_file_group(admin_config(a), a->group)) {
		g_auto(GStrv) groups = hubd_config_get_groups(admin_config(a), a->group);
		if (g_strv_contains((const gchar *const *)groups, a->group))
			error = g_error_new(HUBD_ERROR,
					    HUBD_ERROR_INVALID_ARGUMENT,
					    _("The storage backend “%s” is given on hubd's command "
					      "line, not in hubd.conf: it cannot be removed"),
					    name);
		else
			error = g_error_new(HUBD_ERROR,
					    HUBD_ERROR_ENTRY_NOT_FOUND,
					    _("There is no storage backend named “%s”"),
					    name);
	} else if (g_strcmp0(mirror, name) == 0) {
		error = g_error_new(HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Downloads read through the storage backend “%s” ([storage] "
				      "mirror): change that first"),
				    name);
	}
	if (error != NULL) {
		hubd_service_return_error(invocation, error);
		admin_free(a);
		return;
	}
	/* made before the group goes, to reach its secret; one that cannot be
	 * made (a bad URL written by hand) is removed all the same */
	a->storage = hubd_storage_new_from_config(admin_config(a), name, NULL, NULL);
	write_config(a, remove_written_cb);
}
