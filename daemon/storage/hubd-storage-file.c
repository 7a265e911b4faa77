/* hubd-storage-file.c: HubdStorageFile, the file:// backend: the type, its settings, key paths */
#define G_LOG_DOMAIN "HubdStorageFile"

#include "hubd-storage-file.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hubd-error.h"
#include "hubd-storage-file-io.h"
#include "hubd-storage-file-tasks.h"

/* leftovers of a crash in staging/ older than this are removed at start */
#define STALE_STAGING_SECONDS (24 * 60 * 60)

struct _HubdStorageFile {
	GObject parent_instance;
	gchar *name;
	gchar *url;
	GVariant *options;
	/* set by init, read-only afterwards, so worker threads share them */
	gchar *root;
	gchar *staging; /* ROOT/.hubd-storage/staging */
	gchar *uploads; /* ROOT/.hubd-storage/uploads */
	gboolean fsync;
};

static void
hubd_storage_file_initable_iface_init(GInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE(
	HubdStorageFile,
	hubd_storage_file,
	G_TYPE_OBJECT,
	G_IMPLEMENT_INTERFACE(HUBD_TYPE_STORAGE, hubd_storage_file_iface_init)
		G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE, hubd_storage_file_initable_iface_init)
			hubd_storage_register_extension_point();
	g_io_extension_point_implement(HUBD_STORAGE_EXTENSION_POINT, g_define_type_id, "file", 0))

enum { PROP_0, PROP_NAME, PROP_URL, PROP_OPTIONS };

/* ---- keys and paths ---- */

static gboolean
hubd_storage_file_key_is_reserved(const gchar *key)
{
	gsize len = strlen(HUBD_STORAGE_FILE_RESERVED);

	return strncmp(key, HUBD_STORAGE_FILE_RESERVED, len) == 0 &&
	       (key[len] == '\0' || key[len] == '/');
}

/* The path of `key` (already valid), or NULL for a key in the reserved folder. */
gchar *
hubd_storage_file_path(HubdStorageFile *self, const gchar *key, GError **error)
{
	if (hubd_storage_file_key_is_reserved(key)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The key “%s” is reserved: the storage backend “%s” keeps its own "
			      "files in %s/"),
			    key,
			    self->name,
			    HUBD_STORAGE_FILE_RESERVED);
		return NULL;
	}
	return g_build_filename(self->root, key, NULL);
}

/* ---- construction ---- */

static gboolean
hubd_storage_file_parse_options(HubdStorageFile *self, GError **error)
{
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	self->fsync = TRUE;
	if (self->options == NULL)
		return TRUE;
	g_variant_iter_init(&iter, self->options);
	while (g_variant_iter_loop(&iter, "{&sv}", &key, &value)) {
		if (g_strcmp0(key, "fsync") == 0) {
			const gchar *text = NULL;
			if (g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
				self->fsync = g_variant_get_boolean(value);
				continue;
			}
			if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING))
				text = g_variant_get_string(value, NULL);
			if (g_strcmp0(text, "true") == 0 || g_strcmp0(text, "false") == 0) {
				self->fsync = g_strcmp0(text, "true") == 0;
				continue;
			}
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The storage backend “%s”: fsync must be true or false"),
				    self->name);
			g_variant_unref(value);
			return FALSE;
		}
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The storage backend “%s” has no option “%s” (known: fsync)"),
			    self->name,
			    key);
		g_variant_unref(value);
		return FALSE;
	}
	return TRUE;
}

static gboolean
hubd_storage_file_parse_url(HubdStorageFile *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *host = NULL;
	g_autofree gchar *path = NULL;
	gsize len;

	path = g_filename_from_uri(self->url, &host, &error_local);
	if (path == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The storage backend “%s”: “%s” is not a file:// URL of a folder "
			      "(such as file:///srv/mirror): %s"),
			    self->name,
			    self->url,
			    error_local->message);
		return FALSE;
	}
	if (host != NULL && host[0] != '\0' && g_strcmp0(host, "localhost") != 0) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The storage backend “%s”: “%s” names another host; a file:// "
			      "URL must name a folder on this machine"),
			    self->name,
			    self->url);
		return FALSE;
	}
	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	self->root = g_steal_pointer(&path);
	return TRUE;
}

/* Crash leftovers: temp files and removed uploads no process finished. */
static void
hubd_storage_file_clean_staging(HubdStorageFile *self)
{
	g_autoptr(GDir) dir = g_dir_open(self->staging, 0, NULL);
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	const gchar *name;

	if (dir == NULL)
		return;
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(self->staging, name, NULL);
		GStatBuf st;
		if (g_lstat(path, &st) == 0 && now - st.st_mtime > STALE_STAGING_SECONDS) {
			g_debug("removing the stale %s", path);
			hubd_storage_file_remove_tree(path);
		}
	}
}

static gboolean
hubd_storage_file_initable_init(GInitable *initable, GCancellable *cancellable, GError **error)
{
	HubdStorageFile *self = HUBD_STORAGE_FILE(initable);
	const gchar *folders[2];

	if (self->name == NULL || self->url == NULL) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("A file storage backend needs a name and a URL"));
		return FALSE;
	}
	if (!hubd_storage_file_parse_url(self, error) ||
	    !hubd_storage_file_parse_options(self, error))
		return FALSE;
	self->staging = g_build_filename(self->root, HUBD_STORAGE_FILE_RESERVED, "staging", NULL);
	self->uploads = g_build_filename(self->root, HUBD_STORAGE_FILE_RESERVED, "uploads", NULL);
	/* the root is made if missing, as a cache folder would be */
	folders[0] = self->staging;
	folders[1] = self->uploads;
	for (guint i = 0; i < G_N_ELEMENTS(folders); i++) {
		if (g_mkdir_with_parents(folders[i], 0777) != 0) {
			gint errsv = errno;
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The storage backend “%s” cannot use the folder %s: %s"),
				    self->name,
				    self->root,
				    g_strerror(errsv));
			return FALSE;
		}
	}
	hubd_storage_file_clean_staging(self);
	return TRUE;
}

static void
hubd_storage_file_initable_iface_init(GInitableIface *iface)
{
	iface->init = hubd_storage_file_initable_init;
}

const gchar *
hubd_storage_file_get_root(HubdStorageFile *self)
{
	g_return_val_if_fail(HUBD_IS_STORAGE_FILE(self), NULL);
	return self->root;
}

const gchar *
hubd_storage_file_get_name(HubdStorageFile *self)
{
	g_return_val_if_fail(HUBD_IS_STORAGE_FILE(self), NULL);
	return self->name;
}

const gchar *
hubd_storage_file_get_staging(HubdStorageFile *self)
{
	g_return_val_if_fail(HUBD_IS_STORAGE_FILE(self), NULL);
	return self->staging;
}

const gchar *
hubd_storage_file_get_uploads(HubdStorageFile *self)
{
	g_return_val_if_fail(HUBD_IS_STORAGE_FILE(self), NULL);
	return self->uploads;
}

gboolean
hubd_storage_file_get_fsync(HubdStorageFile *self)
{
	g_return_val_if_fail(HUBD_IS_STORAGE_FILE(self), TRUE);
	return self->fsync;
}

static void
hubd_storage_file_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	HubdStorageFile *self = HUBD_STORAGE_FILE(object);

	switch (prop_id) {
	case PROP_NAME:
		g_value_set_string(value, self->name);
		break;
	case PROP_URL:
		g_value_set_string(value, self->url);
		break;
	case PROP_OPTIONS:
		g_value_set_variant(value, self->options);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
hubd_storage_file_set_property(GObject *object,
			       guint prop_id,
			       const GValue *value,
			       GParamSpec *pspec)
{
	HubdStorageFile *self = HUBD_STORAGE_FILE(object);

	switch (prop_id) {
	case PROP_NAME:
		g_free(self->name);
		self->name = g_value_dup_string(value);
		break;
	case PROP_URL:
		g_free(self->url);
		self->url = g_value_dup_string(value);
		break;
	case PROP_OPTIONS:
		g_clear_pointer(&self->options, g_variant_unref);
		self->options = g_value_dup_variant(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
hubd_storage_file_finalize(GObject *object)
{
	HubdStorageFile *self = HUBD_STORAGE_FILE(object);

	g_free(self->name);
	g_free(self->url);
	g_clear_pointer(&self->options, g_variant_unref);
	g_free(self->root);
	g_free(self->staging);
	g_free(self->uploads);
	G_OBJECT_CLASS(hubd_storage_file_parent_class)->finalize(object);
}

static void
hubd_storage_file_class_init(HubdStorageFileClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_storage_file_get_property;
	object_class->set_property = hubd_storage_file_set_property;
	object_class->finalize = hubd_storage_file_finalize;
	g_object_class_override_property(object_class, PROP_NAME, "name");
	g_object_class_override_property(object_class, PROP_URL, "url");
	g_object_class_override_property(object_class, PROP_OPTIONS, "options");
}

static void
hubd_storage_file_init(HubdStorageFile *self)
{
}
