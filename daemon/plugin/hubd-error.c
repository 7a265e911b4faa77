/* hubd-error.c: the one place foreign errors are mapped into HUBD_ERROR
 *
 * The domain itself (codes, D-Bus names) is libhubd's, libhubd/hubd-error.c:
 * the daemon and its clients share it. */
#define G_LOG_DOMAIN "HubdError"

#include "hubd-error.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

static HubdErrorCode
hubd_error_code_from_io(gint code)
{
	switch (code) {
	case G_IO_ERROR_CANCELLED:
		return HUBD_ERROR_CANCELLED;
	case G_IO_ERROR_NO_SPACE:
		return HUBD_ERROR_NO_SPACE;
	case G_IO_ERROR_TIMED_OUT:
	case G_IO_ERROR_CONNECTION_REFUSED:
	case G_IO_ERROR_HOST_NOT_FOUND:
	case G_IO_ERROR_HOST_UNREACHABLE:
	case G_IO_ERROR_NETWORK_UNREACHABLE:
	case G_IO_ERROR_BROKEN_PIPE:
	case G_IO_ERROR_NOT_CONNECTED:
	case G_IO_ERROR_PARTIAL_INPUT:
	case G_IO_ERROR_PROXY_FAILED:
	case G_IO_ERROR_PROXY_AUTH_FAILED:
	case G_IO_ERROR_PROXY_NEED_AUTH:
	case G_IO_ERROR_PROXY_NOT_ALLOWED:
		return HUBD_ERROR_NETWORK;
	case G_IO_ERROR_NOT_FOUND:
	case G_IO_ERROR_EXISTS:
	case G_IO_ERROR_IS_DIRECTORY:
	case G_IO_ERROR_NOT_DIRECTORY:
	case G_IO_ERROR_NOT_EMPTY:
	case G_IO_ERROR_NOT_REGULAR_FILE:
	case G_IO_ERROR_NOT_SYMBOLIC_LINK:
	case G_IO_ERROR_FILENAME_TOO_LONG:
	case G_IO_ERROR_INVALID_FILENAME:
	case G_IO_ERROR_PERMISSION_DENIED:
	case G_IO_ERROR_READ_ONLY:
	case G_IO_ERROR_INVALID_ARGUMENT:
	case G_IO_ERROR_INVALID_DATA:
		return HUBD_ERROR_INVALID_ARGUMENT;
	default:
		return HUBD_ERROR_FAILED;
	}
}

static HubdErrorCode
hubd_error_code_from_foreign(const GError *error)
{
	if (error->domain == G_IO_ERROR)
		return hubd_error_code_from_io(error->code);
	if (error->domain == G_FILE_ERROR)
		return hubd_error_code_from_io(g_io_error_from_file_error(error->code));
	if (error->domain == G_RESOLVER_ERROR || error->domain == G_TLS_ERROR)
		return HUBD_ERROR_NETWORK;
	if (error->domain == SOUP_SESSION_ERROR) {
		/* the server sent something HTTP can't carry: bad headers, bad encoding,
		 * a redirect loop; the network itself worked */
		return HUBD_ERROR_SERVER;
	}
	if (error->domain == JSON_PARSER_ERROR || error->domain == JSON_READER_ERROR)
		return HUBD_ERROR_SERVER;
	if (error->domain == G_KEY_FILE_ERROR || error->domain == G_URI_ERROR ||
	    error->domain == G_VARIANT_PARSE_ERROR || error->domain == G_CONVERT_ERROR)
		return HUBD_ERROR_INVALID_ARGUMENT;
	if (error->domain == G_DBUS_ERROR) {
		if (error->code == G_DBUS_ERROR_INVALID_ARGS)
			return HUBD_ERROR_INVALID_ARGUMENT;
		if (error->code == G_DBUS_ERROR_NO_REPLY || error->code == G_DBUS_ERROR_TIMEOUT ||
		    error->code == G_DBUS_ERROR_TIMED_OUT)
			return HUBD_ERROR_NETWORK;
		return HUBD_ERROR_FAILED;
	}
	/* libsecret's domain, as the keyring helper reports it: hubd does not
	 * link libsecret (SECRET_ERROR_IS_LOCKED is 2) */
	if (error->domain == g_quark_try_string("secret-error")) {
		if (error->code == 2)
			return HUBD_ERROR_NOT_LOGGED_IN;
		return HUBD_ERROR_FAILED;
	}
	return HUBD_ERROR_FAILED;
}

/**
 * hubd_error_convert:
 * @error: (inout) (optional) (nullable): an error of any domain, or %NULL
 *
 * Converts @error in place into %HUBD_ERROR, keeping its message: GIO,
 * GDBus, libsoup, libsecret, json-glib, GKeyFile, GFile and GUri errors
 * get the closest code; a %HUBD_ERROR is left alone. Every error handed
 * to a client passes here once.
 *
 * Since: 0.1
 */
void
hubd_error_convert(GError **error)
{
	HubdErrorCode code;

	if (error == NULL || *error == NULL)
		return;
	if ((*error)->domain == HUBD_ERROR)
		return;
	code = hubd_error_code_from_foreign(*error);
	if (code == HUBD_ERROR_FAILED) {
		/* loud in logs so unmapped domains get a proper mapping */
		g_debug("unmapped error %s:%d: %s",
			g_quark_to_string((*error)->domain),
			(*error)->code,
			(*error)->message);
	}
	{
		g_autoptr(GError) converted =
			g_error_new_literal(HUBD_ERROR, code, (*error)->message);
		g_clear_error(error);
		*error = g_steal_pointer(&converted);
	}
}
