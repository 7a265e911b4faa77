/* hubd-error.c: the HUBD_ERROR domain, shared by the daemon and libhubd */
#define G_LOG_DOMAIN "HubdError"

#include <string.h>

#include "hubd-error-private.h"

static const GDBusErrorEntry hubd_error_entries[] = {
	{HUBD_ERROR_REPO_NOT_FOUND, HUBD_DBUS_ERROR_PREFIX "RepoNotFound"},
	{HUBD_ERROR_REVISION_NOT_FOUND, HUBD_DBUS_ERROR_PREFIX "RevisionNotFound"},
	{HUBD_ERROR_ENTRY_NOT_FOUND, HUBD_DBUS_ERROR_PREFIX "EntryNotFound"},
	{HUBD_ERROR_GATED, HUBD_DBUS_ERROR_PREFIX "Gated"},
	{HUBD_ERROR_UNAUTHORIZED, HUBD_DBUS_ERROR_PREFIX "Unauthorized"},
	{HUBD_ERROR_FORBIDDEN, HUBD_DBUS_ERROR_PREFIX "Forbidden"},
	{HUBD_ERROR_CONFLICT, HUBD_DBUS_ERROR_PREFIX "Conflict"},
	{HUBD_ERROR_RATE_LIMITED, HUBD_DBUS_ERROR_PREFIX "RateLimited"},
	{HUBD_ERROR_BAD_REQUEST, HUBD_DBUS_ERROR_PREFIX "BadRequest"},
	{HUBD_ERROR_INVALID_ARGUMENT, HUBD_DBUS_ERROR_PREFIX "InvalidArgument"},
	{HUBD_ERROR_NOT_LOGGED_IN, HUBD_DBUS_ERROR_PREFIX "NotLoggedIn"},
	{HUBD_ERROR_OFFLINE, HUBD_DBUS_ERROR_PREFIX "Offline"},
	{HUBD_ERROR_POLICY, HUBD_DBUS_ERROR_PREFIX "Policy"},
	{HUBD_ERROR_SERVER, HUBD_DBUS_ERROR_PREFIX "Server"},
	{HUBD_ERROR_NETWORK, HUBD_DBUS_ERROR_PREFIX "Network"},
	{HUBD_ERROR_CANCELLED, HUBD_DBUS_ERROR_PREFIX "Cancelled"},
	{HUBD_ERROR_FAILED, HUBD_DBUS_ERROR_PREFIX "Failed"},
	{HUBD_ERROR_TIMED_OUT, HUBD_DBUS_ERROR_PREFIX "TimedOut"},
	{HUBD_ERROR_DEPLOY_FAILED, HUBD_DBUS_ERROR_PREFIX "DeployFailed"},
	{HUBD_ERROR_NO_SPACE, HUBD_DBUS_ERROR_PREFIX "NoSpace"},
	{HUBD_ERROR_NOT_FOUND, HUBD_DBUS_ERROR_PREFIX "NotFound"},
};

G_STATIC_ASSERT(G_N_ELEMENTS(hubd_error_entries) == HUBD_ERROR_LAST);

/**
 * hubd_error_quark:
 *
 * The error domain of everything hubd reports: each #HubdError maps to
 * the D-Bus error `org.hubd.Hub1.Error.` and its name.
 *
 * Returns: the quark of %HUBD_ERROR
 *
 * Since: 0.1
 */
GQuark
hubd_error_quark(void)
{
	static gsize quark = 0;
	/* g_dbus_error_register_error_domain() is thread-safe and idempotent */
	g_dbus_error_register_error_domain("hubd-error-quark",
					   &quark,
					   hubd_error_entries,
					   G_N_ELEMENTS(hubd_error_entries));
	return (GQuark)quark;
}

/**
 * hubd_error_code_to_name:
 * @code: a #HubdError
 *
 * Returns: (nullable): the code's D-Bus name without prefix, e.g.
 *   `RepoNotFound`; %NULL when out of range
 *
 * Since: 0.1
 */
const gchar *
hubd_error_code_to_name(HubdError code)
{
	if ((guint)code >= HUBD_ERROR_LAST)
		return NULL;
	return hubd_error_entries[code].dbus_error_name + strlen(HUBD_DBUS_ERROR_PREFIX);
}

/* Client side: registering the domain makes GDBus decode our names into
 * HUBD_ERROR; the message still starts with "GDBus.Error:NAME: ". */
void
hubd_error_fixup_remote(GError **error)
{
	g_autofree gchar *name = NULL;

	if (error == NULL || *error == NULL)
		return;
	/* make sure our names are registered before GDBus decodes them */
	(void)hubd_error_quark();
	if (!g_dbus_error_is_remote_error(*error))
		return;
	name = g_dbus_error_get_remote_error(*error);
	g_dbus_error_strip_remote_error(*error);
	if ((*error)->domain == HUBD_ERROR)
		return;
	if (name != NULL && g_str_has_prefix(name, HUBD_DBUS_ERROR_PREFIX)) {
		/* a name newer than this client: keep the message, call it Failed */
		g_autoptr(GError) failed =
			g_error_new_literal(HUBD_ERROR, HUBD_ERROR_FAILED, (*error)->message);
		g_clear_error(error);
		*error = g_steal_pointer(&failed);
	}
}
