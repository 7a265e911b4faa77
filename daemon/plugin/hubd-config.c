/* hubd-config.c: hubd.conf (GKeyFile) plus environment and command-line overrides */
#define G_LOG_DOMAIN "HubdConfig"

#include "hubd-config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "hubd-error.h"

struct _HubdConfig {
	GObject parent_instance;
	gchar *path;
	GKeyFile *file;
	GKeyFile *overrides; /* --set GROUP.KEY=VALUE */
	gchar *endpoint;     /* resolved, normalised */
	GMutex lock;         /* `file`: written by hubd_config_write_group() */
};

G_DEFINE_TYPE(HubdConfig, hubd_config, G_TYPE_OBJECT)

static void
hubd_config_finalize(GObject *object)
{
	HubdConfig *self = HUBD_CONFIG(object);

	g_free(self->path);
	g_key_file_unref(self->file);
	g_key_file_unref(self->overrides);
	g_free(self->endpoint);
	g_mutex_clear(&self->lock);
	G_OBJECT_CLASS(hubd_config_parent_class)->finalize(object);
}

static void
hubd_config_class_init(HubdConfigClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_config_finalize;
}

static void
hubd_config_init(HubdConfig *self)
{
	self->file = g_key_file_new();
	self->overrides = g_key_file_new();
	g_mutex_init(&self->lock);
}

gchar *
hubd_config_normalize_endpoint(const gchar *endpoint, GError **error)
{
	g_autoptr(GUri) uri = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *trimmed = NULL;
	const gchar *scheme;
	gsize len;

	if (endpoint == NULL || endpoint[0] == '\0') {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The Hub endpoint is empty"));
		return NULL;
	}
	trimmed = g_strstrip(g_strdup(endpoint));
	len = strlen(trimmed);
	while (len > 0 && trimmed[len - 1] == '/')
		trimmed[--len] = '\0';
	uri = g_uri_parse(trimmed, G_URI_FLAGS_NONE, &error_local);
	if (uri == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The Hub endpoint “%s” is not a URL: %s"),
			    endpoint,
			    error_local->message);
		return NULL;
	}
	scheme = g_uri_get_scheme(uri);
	if ((g_strcmp0(scheme, "https") != 0 && g_strcmp0(scheme, "http") != 0) ||
	    g_uri_get_host(uri) == NULL || g_uri_get_host(uri)[0] == '\0') {
		g_set_error(
			error,
			HUBD_ERROR,
			HUBD_ERROR_INVALID_ARGUMENT,
			_("The Hub endpoint “%s” must be an http:// or https:// URL with a host"),
			endpoint);
		return NULL;
	}
	if (g_uri_get_query(uri) != NULL || g_uri_get_fragment(uri) != NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The Hub endpoint “%s” must not carry a query or fragment"),
			    endpoint);
		return NULL;
	}
	return g_steal_pointer(&trimmed);
}

static gboolean
hubd_config_resolve_endpoint(HubdConfig *self, GError **error)
{
	const gchar *env = g_getenv("HF_ENDPOINT");
	g_autofree gchar *file_value = hubd_config_get_string(self, "hub", "endpoint", NULL);
	const gchar *chosen = HUBD_DEFAULT_ENDPOINT;

	if (file_value != NULL && file_value[0] != '\0')
		chosen = file_value;
	if (env != NULL && env[0] != '\0')
		chosen = env;
	g_free(self->endpoint);
	self->endpoint = hubd_config_normalize_endpoint(chosen, error);
	return self->endpoint != NULL;
}

HubdConfig *
hubd_config_new(const gchar *path, GError **error)
{
	g_autoptr(HubdConfig) self = g_object_new(HUBD_TYPE_CONFIG, NULL);
	g_autoptr(GError) error_local = NULL;

	if (path != NULL)
		self->path = g_strdup(path);
	else
		self->path = g_build_filename(g_get_user_config_dir(), "hubd", "hubd.conf", NULL);
	if (!g_key_file_load_from_file(self->file, self->path, G_KEY_FILE_NONE, &error_local)) {
		if (!g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Cannot read the configuration file %s: %s"),
				    self->path,
				    error_local->message);
			return NULL;
		}
		g_debug("no configuration file at %s, using defaults", self->path);
	}
	if (!hubd_config_resolve_endpoint(self, error))
		return NULL;
	return g_steal_pointer(&self);
}

const gchar *
hubd_config_get_path(HubdConfig *self)
{
	g_return_val_if_fail(HUBD_IS_CONFIG(self), NULL);
	return self->path;
}

gboolean
hubd_config_set_override(HubdConfig *self, const gchar *assignment, GError **error)
{
	const gchar *eq;
	const gchar *dot;
	g_autofree gchar *group = NULL;
	g_autofree gchar *key = NULL;

	g_return_val_if_fail(HUBD_IS_CONFIG(self), FALSE);
	eq = strchr(assignment, '=');
	/* the last dot before '=': groups may hold dots ("storage.NAME.url"),
	 * keys never do */
	dot = eq != NULL ? g_strrstr_len(assignment, eq - assignment, ".") : NULL;
	if (eq == NULL || dot == NULL || dot == assignment || dot + 1 == eq) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("“%s” is not of the form GROUP.KEY=VALUE"),
			    assignment);
		return FALSE;
	}
	group = g_strndup(assignment, dot - assignment);
	key = g_strndup(dot + 1, eq - dot - 1);
	g_key_file_set_value(self->overrides, group, key, eq + 1);
	/* given on the command line, so it beats HF_ENDPOINT like --endpoint */
	if (g_strcmp0(group, "hub") == 0 && g_strcmp0(key, "endpoint") == 0)
		return hubd_config_set_endpoint(self, eq + 1, error);
	return TRUE;
}

gchar *
hubd_config_get_string(HubdConfig *self,
		       const gchar *group,
		       const gchar *key,
		       const gchar *fallback)
{
	gchar *value;

	g_return_val_if_fail(HUBD_IS_CONFIG(self), NULL);
	value = g_key_file_get_string(self->overrides, group, key, NULL);
	if (value == NULL) {
		g_mutex_lock(&self->lock);
		value = g_key_file_get_string(self->file, group, key, NULL);
		g_mutex_unlock(&self->lock);
	}
	if (value == NULL)
		return g_strdup(fallback);
	return value;
}

/* g_ptr_array_sort() hands out pointers to the elements */
static gint
hubd_config_strcmp_indirect(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar *const *)a, *(const gchar *const *)b);
}

gchar **
hubd_config_get_keys(HubdConfig *self, const gchar *group)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	GKeyFile *sources[] = {self->overrides, self->file};
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_val_if_fail(HUBD_IS_CONFIG(self), NULL);
	locker = g_mutex_locker_new(&self->lock);
	for (guint i = 0; i < G_N_ELEMENTS(sources); i++) {
		g_auto(GStrv) names = g_key_file_get_keys(sources[i], group, NULL, NULL);
		for (guint j = 0; names != NULL && names[j] != NULL; j++) {
			if (!g_ptr_array_find_with_equal_func(keys, names[j], g_str_equal, NULL))
				g_ptr_array_add(keys, g_strdup(names[j]));
		}
	}
	g_ptr_array_sort(keys, hubd_config_strcmp_indirect);
	g_ptr_array_add(keys, NULL);
	return (gchar **)g_ptr_array_free(g_steal_pointer(&keys), FALSE);
}

gchar **
hubd_config_get_groups(HubdConfig *self, const gchar *prefix)
{
	g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func(g_free);
	GKeyFile *sources[] = {self->overrides, self->file};
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_val_if_fail(HUBD_IS_CONFIG(self), NULL);
	locker = g_mutex_locker_new(&self->lock);
	for (guint i = 0; i < G_N_ELEMENTS(sources); i++) {
		g_auto(GStrv) names = g_key_file_get_groups(sources[i], NULL);
		for (guint j = 0; names != NULL && names[j] != NULL; j++) {
			if (g_str_has_prefix(names[j], prefix) &&
			    !g_ptr_array_find_with_equal_func(groups, names[j], g_str_equal, NULL))
				g_ptr_array_add(groups, g_strdup(names[j]));
		}
	}
	g_ptr_array_sort(groups, hubd_config_strcmp_indirect);
	g_ptr_array_add(groups, NULL);
	return (gchar **)g_ptr_array_free(g_steal_pointer(&groups), FALSE);
}

gboolean
hubd_config_get_boolean(HubdConfig *self, const gchar *group, const gchar *key, gboolean fallback)
{
	g_autofree gchar *value = hubd_config_get_string(self, group, key, NULL);

	if (value == NULL)
		return fallback;
	if (g_ascii_strcasecmp(value, "true") == 0 || g_strcmp0(value, "1") == 0 ||
	    g_ascii_strcasecmp(value, "yes") == 0)
		return TRUE;
	if (g_ascii_strcasecmp(value, "false") == 0 || g_strcmp0(value, "0") == 0 ||
	    g_ascii_strcasecmp(value, "no") == 0)
		return FALSE;
	g_warning("[%s] %s=%s is not a boolean, using %s",
		  group,
		  key,
		  value,
		  fallback ? "true" : "false");
	return fallback;
}

const gchar *
hubd_config_get_endpoint(HubdConfig *self)
{
	g_return_val_if_fail(HUBD_IS_CONFIG(self), NULL);
	return self->endpoint;
}

gboolean
hubd_config_set_endpoint(HubdConfig *self, const gchar *endpoint, GError **error)
{
	gchar *normalized;

	g_return_val_if_fail(HUBD_IS_CONFIG(self), FALSE);
	normalized = hubd_config_normalize_endpoint(endpoint, error);
	if (normalized == NULL)
		return FALSE;
	g_free(self->endpoint);
	self->endpoint = normalized;
	return TRUE;
}

gboolean
hubd_config_has_file_group(HubdConfig *self, const gchar *group)
{
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_val_if_fail(HUBD_IS_CONFIG(self), FALSE);
	locker = g_mutex_locker_new(&self->lock);
	return g_key_file_has_group(self->file, group);
}

static void
hubd_config_apply_group(GKeyFile *file,
			const gchar *group,
			const gchar *const *keys,
			const gchar *const *values)
{
	g_key_file_remove_group(file, group, NULL);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
		g_key_file_set_string(file, group, keys[i], values[i]);
}

gboolean
hubd_config_write_group(HubdConfig *self,
			const gchar *group,
			const gchar *const *keys,
			const gchar *const *values,
			GError **error)
{
	g_autoptr(GMutexLocker) locker = NULL;
	g_autoptr(GKeyFile) disk = g_key_file_new();
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *dir = NULL;

	g_return_val_if_fail(HUBD_IS_CONFIG(self), FALSE);
	locker = g_mutex_locker_new(&self->lock);
	/* what is on disk now, with its comments: the user may have edited it */
	if (!g_key_file_load_from_file(disk, self->path, G_KEY_FILE_KEEP_COMMENTS, &error_local) &&
	    !g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Cannot read the configuration file %s: %s"),
			    self->path,
			    error_local->message);
		return FALSE;
	}
	g_clear_error(&error_local);
	hubd_config_apply_group(disk, group, keys, values);
	dir = g_path_get_dirname(self->path);
	if (g_mkdir_with_parents(dir, 0700) != 0 ||
	    !g_key_file_save_to_file(disk, self->path, &error_local)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Cannot write the configuration file %s: %s"),
			    self->path,
			    error_local != NULL ? error_local->message : g_strerror(errno));
		return FALSE;
	}
	hubd_config_apply_group(self->file, group, keys, values);
	return TRUE;
}
