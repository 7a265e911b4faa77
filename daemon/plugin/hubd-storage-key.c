/* hubd-storage-key.c: HubdStorage's keys and prefixes: what is valid, and how messages show them */
#define G_LOG_DOMAIN "HubdStorage"

#include "hubd-storage-key.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-storage.h"

/* how much of a bad key an error message shows */
#define DISPLAY_MAX_CHARS 80

/* A key as an error message can show it: valid UTF-8, control characters
 * replaced, long ones cut. */
gchar *
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
