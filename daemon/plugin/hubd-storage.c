/* hubd-storage.c: HubdStorage, the interface of object storage backends (file://, s3://) */
#define G_LOG_DOMAIN "HubdStorage"

#include "hubd-storage.h"

#include <glib/gi18n.h>

#include "hubd-config.h"
#include "hubd-error.h"

/* how much of a bad key an error message shows */
#define DISPLAY_MAX_CHARS 80

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

/* ---- keys ---- */

/* A key as an error message can show it: valid UTF-8, control characters
 * replaced, long ones cut. */
static gchar *
hubd_storage_key_display(const gchar *key)
{
	g_autofree gchar *valid = g_utf8_make_valid(key, -1);
	GString *out = g_string_new(NULL);
	guint n = 0;

	for (const gchar *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (n++ == DISPLAY_MAX_CHARS) {
			g_string_append(out, "…");
			break;
		}
		if (g_unichar_iscntrl(c))
			g_string_append_c(out, '?');
		else
			g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

/* NULL when `path` is fine, else why not (translated). A prefix may end in
 * '/' and its last, partial segment may be anything a segment may start with. */
static const gchar *
hubd_storage_path_problem(const gchar *path, gboolean is_prefix)
{
	gsize len = strlen(path);
	const gchar *segment = path;

	if (len == 0)
		return is_prefix ? NULL : _("it is empty");
	if (len > HUBD_STORAGE_MAX_KEY_LENGTH)
		return _("it is longer than 1024 bytes");
	if (!g_utf8_validate(path, len, NULL))
		return _("it is not valid UTF-8");
	for (const gchar *p = path; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == '\\')
			return _("it contains a backslash");
		if (g_unichar_iscntrl(c))
			return _("it contains a control character");
	}
	if (path[0] == '/')
		return _("it starts with “/”");
	if (!is_prefix && path[len - 1] == '/')
		return _("it ends with “/”, which names a folder, not an object");
	/* every complete segment: not empty, not "." or ".." */
	for (const gchar *p = path;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (*p == '\0' && is_prefix)
			break; /* the partial last segment of a prefix */
		if (p == segment)
			return _("it has an empty path segment (“//”)");
		if ((p - segment == 1 && segment[0] == '.') ||
		    (p - segment == 2 && segment[0] == '.' && segment[1] == '.'))
			return _("it has “.” or “..” as a path segment");
		if (*p == '\0')
			break;
		segment = p + 1;
	}
	return NULL;
}

/**
 * hubd_storage_key_validate:
 * @key: (nullable): a key
 * @error: return location for a #GError, or %NULL
 *
 * Checks that @key can name an object in every backend: valid UTF-8, 1 to
 * %HUBD_STORAGE_MAX_KEY_LENGTH bytes, no leading or trailing `/`, no empty,
 * `.` or `..` path segment, no backslash, no control character. The
 * hubd_storage_*_async() wrappers call it before any backend sees a key.
 *
 * Returns: %TRUE if @key is valid; else %FALSE with
 *   %HUBD_ERROR_INVALID_ARGUMENT saying why
 *
 * Since: 0.1
 */
gboolean
hubd_storage_key_validate(const gchar *key, GError **error)
{
	const gchar *problem = hubd_storage_path_problem(key != NULL ? key : "", FALSE);
	g_autofree gchar *display = NULL;

	if (problem == NULL)
		return TRUE;
	display = hubd_storage_key_display(key != NULL ? key : "");
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("“%s” is not a valid storage key: %s"),
		    display,
		    problem);
	return FALSE;
}

/**
 * hubd_storage_prefix_validate:
 * @prefix: (nullable): a listing prefix; %NULL or "" lists everything
 * @error: return location for a #GError, or %NULL
 *
 * Checks a prefix for hubd_storage_list_async(): the rules of
 * hubd_storage_key_validate(), except that it may be empty, may end in `/`,
 * and its last segment may be the start of any segment (`a/.` matches
 * `a/.gitattributes`).
 *
 * Returns: %TRUE if @prefix is valid; else %FALSE with
 *   %HUBD_ERROR_INVALID_ARGUMENT saying why
 *
 * Since: 0.1
 */
gboolean
hubd_storage_prefix_validate(const gchar *prefix, GError **error)
{
	const gchar *problem = hubd_storage_path_problem(prefix != NULL ? prefix : "", TRUE);
	g_autofree gchar *display = NULL;

	if (problem == NULL)
		return TRUE;
	display = hubd_storage_key_display(prefix);
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("“%s” is not a valid storage prefix: %s"),
		    display,
		    problem);
	return FALSE;
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

/* ---- the wrappers: check, call the backend, convert its errors ---- */

/* Reports `error` (taken) through `callback` as a task tagged `tag`, so the
 * finish function knows the backend never saw the call. */
static void
hubd_storage_report(HubdStorage *self,
		    gpointer tag,
		    GAsyncReadyCallback callback,
		    gpointer user_data,
		    GError *error)
{
	g_task_report_error(self, callback, user_data, tag, error);
}

static gboolean
hubd_storage_check_key(HubdStorage *self,
		       const gchar *key,
		       gpointer tag,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	GError *error = NULL;

	if (hubd_storage_key_validate(key, &error))
		return TRUE;
	hubd_storage_report(self, tag, callback, user_data, error);
	return FALSE;
}

/* A backend that leaves a vfunc unset cannot do that operation. */
static gboolean
hubd_storage_check_vfunc(HubdStorage *self,
			 gconstpointer vfunc,
			 const gchar *operation,
			 gpointer tag,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	g_autofree gchar *name = NULL;

	if (vfunc != NULL)
		return TRUE;
	name = hubd_storage_dup_name(self);
	hubd_storage_report(self,
			    tag,
			    callback,
			    user_data,
			    g_error_new(HUBD_ERROR,
					HUBD_ERROR_FAILED,
					_("The storage backend “%s” does not implement %s"),
					name,
					operation));
	return FALSE;
}

/* Moves a backend's error into `error`, as a HUBD_ERROR. */
static void
hubd_storage_propagate(GError *error_local, GError **error)
{
	if (error_local == NULL)
		return;
	hubd_error_convert(&error_local);
	g_propagate_error(error, error_local);
}

static gboolean
hubd_storage_check_length(HubdStorage *self,
			  gint64 length,
			  gint64 minimum,
			  gpointer tag,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	if (length >= minimum)
		return TRUE;
	hubd_storage_report(self,
			    tag,
			    callback,
			    user_data,
			    g_error_new(HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("%" G_GINT64_FORMAT " is not a valid length"),
					length));
	return FALSE;
}

/* The vfuncs of head, delete and multipart_begin: a key and nothing else. */
typedef void (*HubdStorageKeyFunc)(HubdStorage *self,
				   const gchar *key,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
typedef HubdStorageObject *(*HubdStorageObjectFinishFunc)(HubdStorage *self,
							  GAsyncResult *result,
							  GError **error);
typedef gboolean (*HubdStorageBooleanFinishFunc)(HubdStorage *self,
						 GAsyncResult *result,
						 GError **error);

static void
hubd_storage_call_with_key(HubdStorage *self,
			   const gchar *key,
			   HubdStorageKeyFunc vfunc,
			   const gchar *operation,
			   gpointer tag,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	if (!hubd_storage_check_key(self, key, tag, callback, user_data) ||
	    !hubd_storage_check_vfunc(self, vfunc, operation, tag, callback, user_data))
		return;
	vfunc(self, key, cancellable, callback, user_data);
}

/* Finishes put, head and multipart_complete: an early refusal of the
 * wrapper tagged `tag`, or the backend's result. */
static HubdStorageObject *
hubd_storage_finish_object(HubdStorage *self,
			   GAsyncResult *result,
			   gpointer tag,
			   HubdStorageObjectFinishFunc vfunc,
			   GError **error)
{
	GError *error_local = NULL;
	HubdStorageObject *object;

	if (g_async_result_is_tagged(result, tag))
		return g_task_propagate_pointer(G_TASK(result), error);
	object = vfunc(self, result, &error_local);
	hubd_storage_propagate(error_local, error);
	return object;
}

/* Finishes delete and multipart_abort, as above. */
static gboolean
hubd_storage_finish_boolean(HubdStorage *self,
			    GAsyncResult *result,
			    gpointer tag,
			    HubdStorageBooleanFinishFunc vfunc,
			    GError **error)
{
	GError *error_local = NULL;
	gboolean ok;

	if (g_async_result_is_tagged(result, tag))
		return g_task_propagate_boolean(G_TASK(result), error);
	ok = vfunc(self, result, &error_local);
	hubd_storage_propagate(error_local, error);
	return ok;
}

/**
 * hubd_storage_put_async:
 * @self: a #HubdStorage
 * @key: the key to store under
 * @stream: the content
 * @length: the exact number of bytes @stream gives, or -1 when unknown
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Stores the content of @stream under @key, replacing any object there,
 * atomically: readers see the previous object or the new one whole, and of
 * concurrent puts of one key exactly one wins. When @length is known only
 * that many bytes are read, and a shorter stream fails the put. On failure or
 * cancellation nothing is stored and a previous object is intact. @stream may
 * be read from another thread.
 *
 * Since: 0.1
 */
void
hubd_storage_put_async(HubdStorage *self,
		       const gchar *key,
		       GInputStream *stream,
		       gint64 length,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	HubdStorageInterface *iface;

	g_return_if_fail(HUBD_IS_STORAGE(self));
	g_return_if_fail(G_IS_INPUT_STREAM(stream));

	iface = HUBD_STORAGE_GET_IFACE(self);
	if (!hubd_storage_check_key(self, key, hubd_storage_put_async, callback, user_data) ||
	    !hubd_storage_check_length(self,
				       length,
				       -1,
				       hubd_storage_put_async,
				       callback,
				       user_data) ||
	    !hubd_storage_check_vfunc(self,
				      iface->put_async,
				      "put",
				      hubd_storage_put_async,
				      callback,
				      user_data))
		return;
	iface->put_async(self, key, stream, length, cancellable, callback, user_data);
}

/**
 * hubd_storage_put_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full): the stored object, or %NULL with a %HUBD_ERROR
 *
 * Since: 0.1
 */
HubdStorageObject *
hubd_storage_put_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	return hubd_storage_finish_object(self,
					  result,
					  hubd_storage_put_async,
					  HUBD_STORAGE_GET_IFACE(self)->put_finish,
					  error);
}

/**
 * hubd_storage_get_async:
 * @self: a #HubdStorage
 * @key: the object's key
 * @offset: the first byte to read
 * @length: how many bytes to read, or -1 for all to the end
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Opens [@offset, @offset + @length) of the object @key for reading. The
 * range must lie within the object; @offset equal to its size gives an empty
 * stream. The stream may be read synchronously in a thread or asynchronously.
 *
 * Since: 0.1
 */
void
hubd_storage_get_async(HubdStorage *self,
		       const gchar *key,
		       guint64 offset,
		       gint64 length,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	HubdStorageInterface *iface;

	g_return_if_fail(HUBD_IS_STORAGE(self));

	iface = HUBD_STORAGE_GET_IFACE(self);
	if (!hubd_storage_check_key(self, key, hubd_storage_get_async, callback, user_data) ||
	    !hubd_storage_check_length(self,
				       length,
				       -1,
				       hubd_storage_get_async,
				       callback,
				       user_data) ||
	    !hubd_storage_check_vfunc(self,
				      iface->get_async,
				      "get",
				      hubd_storage_get_async,
				      callback,
				      user_data))
		return;
	if (offset > G_MAXINT64 || (length > 0 && (guint64)length > G_MAXINT64 - offset)) {
		hubd_storage_report(
			self,
			hubd_storage_get_async,
			callback,
			user_data,
			g_error_new(HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The range %" G_GUINT64_FORMAT "+%" G_GINT64_FORMAT
				      " is past the end of any object"),
				    offset,
				    length));
		return;
	}
	iface->get_async(self, key, offset, length, cancellable, callback, user_data);
}

/**
 * hubd_storage_get_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @object: (out) (optional) (transfer full): the object read (its whole size)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full): a stream of the range's bytes, or %NULL with a
 *   %HUBD_ERROR: %HUBD_ERROR_ENTRY_NOT_FOUND for a missing key,
 *   %HUBD_ERROR_INVALID_ARGUMENT for a range past the end
 *
 * Since: 0.1
 */
GInputStream *
hubd_storage_get_finish(HubdStorage *self,
			GAsyncResult *result,
			HubdStorageObject **object,
			GError **error)
{
	GError *error_local = NULL;
	g_autoptr(HubdStorageObject) object_local = NULL;
	GInputStream *stream;

	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	if (object != NULL)
		*object = NULL;
	if (g_async_result_is_tagged(result, hubd_storage_get_async))
		return g_task_propagate_pointer(G_TASK(result), error);
	stream =
		HUBD_STORAGE_GET_IFACE(self)->get_finish(self, result, &object_local, &error_local);
	hubd_storage_propagate(error_local, error);
	if (stream != NULL && object != NULL)
		*object = g_steal_pointer(&object_local);
	return stream;
}

/**
 * hubd_storage_head_async:
 * @self: a #HubdStorage
 * @key: the object's key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Describes the object @key without reading it.
 *
 * Since: 0.1
 */
void
hubd_storage_head_async(HubdStorage *self,
			const gchar *key,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	g_return_if_fail(HUBD_IS_STORAGE(self));
	hubd_storage_call_with_key(self,
				   key,
				   HUBD_STORAGE_GET_IFACE(self)->head_async,
				   "head",
				   hubd_storage_head_async,
				   cancellable,
				   callback,
				   user_data);
}

/**
 * hubd_storage_head_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full): the object, or %NULL with a %HUBD_ERROR
 *   (%HUBD_ERROR_ENTRY_NOT_FOUND for a missing key)
 *
 * Since: 0.1
 */
HubdStorageObject *
hubd_storage_head_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	return hubd_storage_finish_object(self,
					  result,
					  hubd_storage_head_async,
					  HUBD_STORAGE_GET_IFACE(self)->head_finish,
					  error);
}

/**
 * hubd_storage_list_async:
 * @self: a #HubdStorage
 * @prefix: (nullable): list only keys starting with this (%NULL: all)
 * @page_token: (nullable): the next_page_token of the previous page, or
 *   %NULL for the first page
 * @max_keys: the most objects to return, 1..%HUBD_STORAGE_MAX_LIST_KEYS (0
 *   or more means %HUBD_STORAGE_MAX_LIST_KEYS)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Lists one page of the objects whose key starts with @prefix, in byte-wise
 * lexicographic order of their keys. Follow the next page token until it is
 * %NULL; a page may hold fewer than @max_keys objects before the last.
 *
 * Since: 0.1
 */
void
hubd_storage_list_async(HubdStorage *self,
			const gchar *prefix,
			const gchar *page_token,
			guint max_keys,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	HubdStorageInterface *iface;
	GError *error = NULL;

	g_return_if_fail(HUBD_IS_STORAGE(self));

	iface = HUBD_STORAGE_GET_IFACE(self);
	if (!hubd_storage_prefix_validate(prefix, &error)) {
		hubd_storage_report(self, hubd_storage_list_async, callback, user_data, error);
		return;
	}
	if (!hubd_storage_check_vfunc(self,
				      iface->list_async,
				      "list",
				      hubd_storage_list_async,
				      callback,
				      user_data))
		return;
	if (max_keys == 0 || max_keys > HUBD_STORAGE_MAX_LIST_KEYS)
		max_keys = HUBD_STORAGE_MAX_LIST_KEYS;
	if (page_token != NULL && page_token[0] == '\0')
		page_token = NULL;
	iface->list_async(self,
			  prefix != NULL ? prefix : "",
			  page_token,
			  max_keys,
			  cancellable,
			  callback,
			  user_data);
}

/**
 * hubd_storage_list_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @next_page_token: (out) (optional) (transfer full) (nullable): the token
 *   of the next page, %NULL when this was the last
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer container) (element-type HubdStorageObject): the page's
 *   objects, or %NULL with a %HUBD_ERROR
 *
 * Since: 0.1
 */
GPtrArray *
hubd_storage_list_finish(HubdStorage *self,
			 GAsyncResult *result,
			 gchar **next_page_token,
			 GError **error)
{
	GError *error_local = NULL;
	g_autofree gchar *token = NULL;
	GPtrArray *objects;

	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	if (next_page_token != NULL)
		*next_page_token = NULL;
	if (g_async_result_is_tagged(result, hubd_storage_list_async))
		return g_task_propagate_pointer(G_TASK(result), error);
	objects = HUBD_STORAGE_GET_IFACE(self)->list_finish(self, result, &token, &error_local);
	hubd_storage_propagate(error_local, error);
	if (objects != NULL && next_page_token != NULL)
		*next_page_token = g_steal_pointer(&token);
	return objects;
}

/**
 * hubd_storage_delete_async:
 * @self: a #HubdStorage
 * @key: the object's key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes the object @key. Removing a missing key succeeds, as in S3.
 *
 * Since: 0.1
 */
void
hubd_storage_delete_async(HubdStorage *self,
			  const gchar *key,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_return_if_fail(HUBD_IS_STORAGE(self));
	hubd_storage_call_with_key(self,
				   key,
				   HUBD_STORAGE_GET_IFACE(self)->delete_async,
				   "delete",
				   hubd_storage_delete_async,
				   cancellable,
				   callback,
				   user_data);
}

/**
 * hubd_storage_delete_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE when the key no longer names an object, else %FALSE with a
 *   %HUBD_ERROR
 *
 * Since: 0.1
 */
gboolean
hubd_storage_delete_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(HUBD_IS_STORAGE(self), FALSE);
	return hubd_storage_finish_boolean(self,
					   result,
					   hubd_storage_delete_async,
					   HUBD_STORAGE_GET_IFACE(self)->delete_finish,
					   error);
}

/**
 * hubd_storage_multipart_begin_async:
 * @self: a #HubdStorage
 * @key: the key the object will have
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Starts a multipart put of @key: parts are put (in any order, in parallel),
 * then completed into one object, or aborted. Nothing is visible under @key
 * before hubd_storage_multipart_complete_async() succeeds.
 *
 * Since: 0.1
 */
void
hubd_storage_multipart_begin_async(HubdStorage *self,
				   const gchar *key,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	g_return_if_fail(HUBD_IS_STORAGE(self));
	hubd_storage_call_with_key(self,
				   key,
				   HUBD_STORAGE_GET_IFACE(self)->multipart_begin_async,
				   "multipart puts",
				   hubd_storage_multipart_begin_async,
				   cancellable,
				   callback,
				   user_data);
}

/**
 * hubd_storage_multipart_begin_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full): the upload id, an opaque string, or %NULL with a
 *   %HUBD_ERROR
 *
 * Since: 0.1
 */
gchar *
hubd_storage_multipart_begin_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	GError *error_local = NULL;
	gchar *upload_id;

	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	if (g_async_result_is_tagged(result, hubd_storage_multipart_begin_async))
		return g_task_propagate_pointer(G_TASK(result), error);
	upload_id =
		HUBD_STORAGE_GET_IFACE(self)->multipart_begin_finish(self, result, &error_local);
	hubd_storage_propagate(error_local, error);
	return upload_id;
}

static gboolean
hubd_storage_check_upload(HubdStorage *self,
			  const gchar *key,
			  const gchar *upload_id,
			  gconstpointer vfunc,
			  gpointer tag,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	if (!hubd_storage_check_key(self, key, tag, callback, user_data))
		return FALSE;
	if (upload_id == NULL || upload_id[0] == '\0') {
		hubd_storage_report(self,
				    tag,
				    callback,
				    user_data,
				    g_error_new_literal(HUBD_ERROR,
							HUBD_ERROR_INVALID_ARGUMENT,
							_("The upload id is empty")));
		return FALSE;
	}
	return hubd_storage_check_vfunc(self, vfunc, "multipart puts", tag, callback, user_data);
}

/**
 * hubd_storage_multipart_put_part_async:
 * @self: a #HubdStorage
 * @key: the key given to hubd_storage_multipart_begin_async()
 * @upload_id: the upload id it returned
 * @part_number: 1..%HUBD_STORAGE_MAX_PARTS; parts are joined in this order
 * @stream: the part's content
 * @length: its exact length (known: S3 needs it)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Stores one part; putting the same number again replaces it. Every part
 * but the last must be at least %HUBD_STORAGE_MIN_PART_SIZE long when the
 * upload completes. A missing upload is %HUBD_ERROR_ENTRY_NOT_FOUND.
 *
 * Since: 0.1
 */
void
hubd_storage_multipart_put_part_async(HubdStorage *self,
				      const gchar *key,
				      const gchar *upload_id,
				      guint part_number,
				      GInputStream *stream,
				      gint64 length,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	HubdStorageInterface *iface;
	gpointer tag = hubd_storage_multipart_put_part_async;

	g_return_if_fail(HUBD_IS_STORAGE(self));
	g_return_if_fail(G_IS_INPUT_STREAM(stream));

	iface = HUBD_STORAGE_GET_IFACE(self);
	if (!hubd_storage_check_upload(self,
				       key,
				       upload_id,
				       iface->multipart_put_part_async,
				       tag,
				       callback,
				       user_data) ||
	    !hubd_storage_check_length(self, length, 0, tag, callback, user_data))
		return;
	if (part_number < 1 || part_number > HUBD_STORAGE_MAX_PARTS) {
		hubd_storage_report(self,
				    tag,
				    callback,
				    user_data,
				    g_error_new(HUBD_ERROR,
						HUBD_ERROR_INVALID_ARGUMENT,
						_("Part number %u is not between 1 and %u"),
						part_number,
						(guint)HUBD_STORAGE_MAX_PARTS));
		return;
	}
	iface->multipart_put_part_async(self,
					key,
					upload_id,
					part_number,
					stream,
					length,
					cancellable,
					callback,
					user_data);
}

/**
 * hubd_storage_multipart_put_part_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full): the stored part (number and entity tag), for
 *   hubd_storage_multipart_complete_async(), or %NULL with a %HUBD_ERROR
 *
 * Since: 0.1
 */
HubdStoragePart *
hubd_storage_multipart_put_part_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	GError *error_local = NULL;
	HubdStoragePart *part;

	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	if (g_async_result_is_tagged(result, hubd_storage_multipart_put_part_async))
		return g_task_propagate_pointer(G_TASK(result), error);
	part = HUBD_STORAGE_GET_IFACE(self)->multipart_put_part_finish(self, result, &error_local);
	hubd_storage_propagate(error_local, error);
	return part;
}

/* NULL when `parts` is a list complete can take, else why not. */
static GError *
hubd_storage_parts_problem(GPtrArray *parts)
{
	guint previous = 0;

	if (parts == NULL || parts->len == 0)
		return g_error_new_literal(
			HUBD_ERROR,
			HUBD_ERROR_INVALID_ARGUMENT,
			_("A multipart put needs at least one part to complete"));
	for (guint i = 0; i < parts->len; i++) {
		HubdStoragePart *part = g_ptr_array_index(parts, i);
		guint number = hubd_storage_part_get_number(part);
		if (number < 1 || number > HUBD_STORAGE_MAX_PARTS)
			return g_error_new(HUBD_ERROR,
					   HUBD_ERROR_INVALID_ARGUMENT,
					   _("Part number %u is not between 1 and %u"),
					   number,
					   (guint)HUBD_STORAGE_MAX_PARTS);
		if (number <= previous)
			return g_error_new(HUBD_ERROR,
					   HUBD_ERROR_INVALID_ARGUMENT,
					   _("The parts must be listed in ascending order without "
					     "repeats: part %u follows part %u"),
					   number,
					   previous);
		if (hubd_storage_part_get_etag(part)[0] == '\0')
			return g_error_new(HUBD_ERROR,
					   HUBD_ERROR_INVALID_ARGUMENT,
					   _("Part %u has no entity tag"),
					   number);
		previous = number;
	}
	return NULL;
}

/**
 * hubd_storage_multipart_complete_async:
 * @self: a #HubdStorage
 * @key: the key given to hubd_storage_multipart_begin_async()
 * @upload_id: the upload id it returned
 * @parts: (element-type HubdStoragePart): the parts to join, in strictly
 *   ascending order of number, as hubd_storage_multipart_put_part_finish()
 *   returned them
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Joins @parts into the object @key, atomically as a put does, and ends the
 * upload; uploaded parts not listed are dropped. A listed part that was not
 * uploaded or whose entity tag differs, or a part but the last shorter than
 * %HUBD_STORAGE_MIN_PART_SIZE, fails with %HUBD_ERROR_INVALID_ARGUMENT and
 * stores nothing (the upload stays open).
 *
 * Since: 0.1
 */
void
hubd_storage_multipart_complete_async(HubdStorage *self,
				      const gchar *key,
				      const gchar *upload_id,
				      GPtrArray *parts,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	HubdStorageInterface *iface;
	gpointer tag = hubd_storage_multipart_complete_async;
	GError *error;

	g_return_if_fail(HUBD_IS_STORAGE(self));

	iface = HUBD_STORAGE_GET_IFACE(self);
	if (!hubd_storage_check_upload(self,
				       key,
				       upload_id,
				       iface->multipart_complete_async,
				       tag,
				       callback,
				       user_data))
		return;
	error = hubd_storage_parts_problem(parts);
	if (error != NULL) {
		hubd_storage_report(self, tag, callback, user_data, error);
		return;
	}
	iface->multipart_complete_async(self,
					key,
					upload_id,
					parts,
					cancellable,
					callback,
					user_data);
}

/**
 * hubd_storage_multipart_complete_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full): the stored object, or %NULL with a %HUBD_ERROR
 *
 * Since: 0.1
 */
HubdStorageObject *
hubd_storage_multipart_complete_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(HUBD_IS_STORAGE(self), NULL);
	return hubd_storage_finish_object(self,
					  result,
					  hubd_storage_multipart_complete_async,
					  HUBD_STORAGE_GET_IFACE(self)->multipart_complete_finish,
					  error);
}

/**
 * hubd_storage_multipart_abort_async:
 * @self: a #HubdStorage
 * @key: the key given to hubd_storage_multipart_begin_async()
 * @upload_id: the upload id it returned
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Drops the upload and every part put to it; nothing is stored under @key.
 * A missing upload is %HUBD_ERROR_ENTRY_NOT_FOUND.
 *
 * Since: 0.1
 */
void
hubd_storage_multipart_abort_async(HubdStorage *self,
				   const gchar *key,
				   const gchar *upload_id,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	HubdStorageInterface *iface;

	g_return_if_fail(HUBD_IS_STORAGE(self));

	iface = HUBD_STORAGE_GET_IFACE(self);
	if (!hubd_storage_check_upload(self,
				       key,
				       upload_id,
				       iface->multipart_abort_async,
				       hubd_storage_multipart_abort_async,
				       callback,
				       user_data))
		return;
	iface->multipart_abort_async(self, key, upload_id, cancellable, callback, user_data);
}

/**
 * hubd_storage_multipart_abort_finish:
 * @self: a #HubdStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE when the upload is gone, else %FALSE with a %HUBD_ERROR
 *
 * Since: 0.1
 */
gboolean
hubd_storage_multipart_abort_finish(HubdStorage *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(HUBD_IS_STORAGE(self), FALSE);
	return hubd_storage_finish_boolean(self,
					   result,
					   hubd_storage_multipart_abort_async,
					   HUBD_STORAGE_GET_IFACE(self)->multipart_abort_finish,
					   error);
}
