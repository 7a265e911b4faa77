/* hubd-storage.c: HubdStorage, the interface of storage backends (file://, s3://); construction */
#define G_LOG_DOMAIN "HubdStorage"

#include "hubd-storage.h"

#include <glib/gi18n.h>

#include "hubd-config.h"
#include "hubd-error.h"
#include "hubd-storage-key.h"

G_DEFINE_INTERFACE(HubdStorage, hubd_storage, G_TYPE_OBJECT)

static void
hubd_storage_default_init(HubdStorageInterface *iface)
{
	/**
	 * HubdStorage:name:
	 *
	 * The backend's configured name: NAME of the `[storage.NAME]` group.
	 *
	 * Since: 0.1
	 */
	g_object_interface_install_property(iface,
					    g_param_spec_string("name",
								NULL,
								NULL,
								NULL,
								G_PARAM_READWRITE |
									G_PARAM_CONSTRUCT_ONLY |
									G_PARAM_STATIC_STRINGS));
	/**
	 * HubdStorage:url:
	 *
	 * Where the objects live, e.g. `file:///srv/mirror` or `s3://bucket/prefix`;
	 * its scheme chose the backend.
	 *
	 * Since: 0.1
	 */
	g_object_interface_install_property(iface,
					    g_param_spec_string("url",
								NULL,
								NULL,
								NULL,
								G_PARAM_READWRITE |
									G_PARAM_CONSTRUCT_ONLY |
									G_PARAM_STATIC_STRINGS));
	/**
	 * HubdStorage:options:
	 *
	 * Backend-specific settings, an `a{sv}` (from the configuration: the
	 * other keys of the group, as strings). A backend refuses keys it does not
	 * know in g_initable_init().
	 *
	 * Since: 0.1
	 */
	g_object_interface_install_property(iface,
					    g_param_spec_variant("options",
								 NULL,
								 NULL,
								 G_VARIANT_TYPE_VARDICT,
								 NULL,
								 G_PARAM_READWRITE |
									 G_PARAM_CONSTRUCT_ONLY |
									 G_PARAM_STATIC_STRINGS));
}

/**
 * hubd_storage_register_extension_point:
 *
 * Registers %HUBD_STORAGE_EXTENSION_POINT, requiring %HUBD_TYPE_STORAGE;
 * idempotent and thread-safe. A backend calls it in its type registration,
 * before g_io_extension_point_implement().
 *
 * Since: 0.1
 */
void
hubd_storage_register_extension_point(void)
{
	static gsize once = 0;

	if (g_once_init_enter(&once)) {
		GIOExtensionPoint *ep = g_io_extension_point_register(HUBD_STORAGE_EXTENSION_POINT);
		g_io_extension_point_set_required_type(ep, HUBD_TYPE_STORAGE);
		g_once_init_leave(&once, 1);
	}
}

/* ---- construction ---- */

static gboolean
hubd_storage_name_validate(const gchar *name, GError **error)
{
	if (name == NULL || name[0] == '\0') {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("A storage backend needs a name"));
		return FALSE;
	}
	for (const gchar *p = name; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_') {
			g_autofree gchar *display = hubd_storage_key_display(name);
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("“%s” is not a valid storage backend name: use letters, "
				      "digits, “-” and “_”"),
				    display);
			return FALSE;
		}
	}
	return TRUE;
}

static gchar *
hubd_storage_known_schemes(GIOExtensionPoint *ep)
{
	g_autoptr(GString) known = g_string_new(NULL);

	for (GList *l = g_io_extension_point_get_extensions(ep); l != NULL; l = l->next) {
		if (known->len > 0)
			g_string_append(known, ", ");
		g_string_append(known, g_io_extension_get_name(l->data));
	}
	return g_string_free(g_steal_pointer(&known), FALSE);
}

/**
 * hubd_storage_new:
 * @name: the backend's name (letters, digits, `-`, `_`), shown in messages
 * @url: where the objects live; its scheme picks the backend
 * @options: (nullable): backend-specific settings, an `a{sv}` (floating
 *   references are sunk)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Creates the backend registered on %HUBD_STORAGE_EXTENSION_POINT under the
 * scheme of @url (`file`, and `s3` when its plugin is loaded), and runs its
 * construction checks (g_initable_init()), which do no network I/O.
 *
 * Returns: (transfer full): the backend, or %NULL with
 *   %HUBD_ERROR_INVALID_ARGUMENT naming the backend (bad name, no URL, no
 *   backend for the scheme, or the backend's own refusal)
 *
 * Since: 0.1
 */
HubdStorage *
hubd_storage_new(const gchar *name,
		 const gchar *url,
		 GVariant *options,
		 GCancellable *cancellable,
		 GError **error)
{
	g_autoptr(GVariant) options_ref = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *scheme = NULL;
	GIOExtensionPoint *ep;
	GIOExtension *ext;
	GType type;
	GObject *storage;

	/* sunk first, so no early return leaks a floating reference */
	if (options == NULL)
		options = g_variant_new("a{sv}", NULL);
	options_ref = g_variant_ref_sink(options);
	if (!hubd_storage_name_validate(name, error))
		return NULL;
	if (url == NULL || url[0] == '\0') {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The storage backend “%s” has no URL"),
			    name);
		return NULL;
	}
	scheme = g_uri_parse_scheme(url);
	if (scheme == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The storage backend “%s”: “%s” is not a URL (such as "
			      "file:///srv/mirror)"),
			    name,
			    url);
		return NULL;
	}
	hubd_storage_register_extension_point();
	ep = g_io_extension_point_lookup(HUBD_STORAGE_EXTENSION_POINT);
	ext = g_io_extension_point_get_extension_by_name(ep, scheme);
	if (ext == NULL) {
		g_autofree gchar *known = hubd_storage_known_schemes(ep);
		g_set_error(
			error,
			HUBD_ERROR,
			HUBD_ERROR_INVALID_ARGUMENT,
			_("The storage backend “%s”: no backend handles %s:// URLs (known: %s)"),
			name,
			scheme,
			known);
		return NULL;
	}
	if (!g_variant_is_of_type(options_ref, G_VARIANT_TYPE_VARDICT)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The storage backend “%s”: options must be a dictionary (a{sv})"),
			    name);
		return NULL;
	}

	type = g_io_extension_get_type(ext);
	if (g_type_is_a(type, G_TYPE_INITABLE)) {
		storage = g_initable_new(type,
					 cancellable,
					 &error_local,
					 "name",
					 name,
					 "url",
					 url,
					 "options",
					 options_ref,
					 NULL);
	} else {
		storage =
			g_object_new(type, "name", name, "url", url, "options", options_ref, NULL);
	}
	if (storage == NULL) {
		hubd_error_convert(&error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return HUBD_STORAGE(storage);
}

/**
 * hubd_storage_new_from_config:
 * @config: the daemon's configuration
 * @name: the backend's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Creates the backend configured in the group `[storage.NAME]`: its key
 * `url`, every other key passed as a string option (so `--set
 * storage.NAME.url=file:///srv/mirror` configures one from the command line).
 *
 * Returns: (transfer full): the backend, or %NULL with
 *   %HUBD_ERROR_INVALID_ARGUMENT naming the backend
 *
 * Since: 0.1
 */
HubdStorage *
hubd_storage_new_from_config(HubdConfig *config,
			     const gchar *name,
			     GCancellable *cancellable,
			     GError **error)
{
	g_autofree gchar *group = NULL;
	g_autofree gchar *url = NULL;
	g_auto(GStrv) keys = NULL;
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);

	g_return_val_if_fail(HUBD_IS_CONFIG(config), NULL);

	if (!hubd_storage_name_validate(name, error))
		return NULL;
	group = g_strdup_printf("storage.%s", name);
	url = hubd_config_get_string(config, group, "url", NULL);
	if (url == NULL || url[0] == '\0') {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The storage backend “%s” is not configured: [%s] has no url"),
			    name,
			    group);
		return NULL;
	}
	keys = hubd_config_get_keys(config, group);
	for (guint i = 0; keys[i] != NULL; i++) {
		g_autofree gchar *value = NULL;
		if (g_strcmp0(keys[i], "url") == 0)
			continue;
		value = hubd_config_get_string(config, group, keys[i], "");
		g_variant_builder_add(&builder, "{sv}", keys[i], g_variant_new_string(value));
	}
	return hubd_storage_new(name, url, g_variant_builder_end(&builder), cancellable, error);
}

/**
 * hubd_storage_dup_name:
 * @self: a #HubdStorage
 *
 * Returns: (transfer full): the backend's configured name
 *
 * Since: 0.1
 */
gchar *
hubd_storage_dup_name(HubdStorage *self)
{
	gchar *name = NULL;

	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	g_object_get(self, "name", &name, NULL);
	return name;
}

/**
 * hubd_storage_dup_url:
 * @self: a #HubdStorage
 *
 * Returns: (transfer full): the backend's URL
 *
 * Since: 0.1
 */
gchar *
hubd_storage_dup_url(HubdStorage *self)
{
	gchar *url = NULL;

	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	g_object_get(self, "url", &url, NULL);
	return url;
}
