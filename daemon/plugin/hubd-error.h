/* hubd-error.h: the HUBD_ERROR domain, mapped 1:1 to org.hubd.Hub1.Error.* */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUBD_ERROR             (hubd_error_quark())
#define HUBD_DBUS_ERROR_PREFIX "org.hubd.Hub1.Error."

typedef enum {
	HUBD_ERROR_REPO_NOT_FOUND,
	HUBD_ERROR_REVISION_NOT_FOUND,
	HUBD_ERROR_ENTRY_NOT_FOUND,
	HUBD_ERROR_GATED,
	HUBD_ERROR_UNAUTHORIZED,
	HUBD_ERROR_FORBIDDEN,
	HUBD_ERROR_CONFLICT,
	HUBD_ERROR_RATE_LIMITED,
	HUBD_ERROR_BAD_REQUEST,
	HUBD_ERROR_INVALID_ARGUMENT,
	HUBD_ERROR_NOT_LOGGED_IN,
	HUBD_ERROR_OFFLINE,
	HUBD_ERROR_POLICY,
	HUBD_ERROR_SERVER,
	HUBD_ERROR_NETWORK,
	HUBD_ERROR_CANCELLED,
	HUBD_ERROR_FAILED, /* anything else: an internal error, never expected */
	HUBD_ERROR_LAST,
} HubdErrorCode;

GQuark
hubd_error_quark(void);

/* "RepoNotFound" for HUBD_ERROR_REPO_NOT_FOUND; NULL when out of range. */
const gchar *
hubd_error_code_to_name(HubdErrorCode code);

/* Converts any GError (GIO, GDBus, libsoup, libsecret, json-glib, GKeyFile,
 * GFile, GUri) into HUBD_ERROR in place, keeping the message. A HUBD_ERROR is
 * left alone. This is the one place foreign error domains are mapped. */
void
hubd_error_convert(GError **error);

/* Client side: a GError received over D-Bus with an org.hubd.Hub1.Error.* name
 * becomes HUBD_ERROR with the remote prefix stripped from the message. */
void
hubd_error_fixup_remote(GError **error);

G_END_DECLS
