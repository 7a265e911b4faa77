/* hubd-error.h: the HUBD_ERROR domain, mapped 1:1 to org.hubd.Hub1.Error.*
 *
 * One domain for the daemon and every client: the daemon sends these codes as
 * D-Bus error names, and libhubd turns those names back into these codes. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * HUBD_ERROR:
 *
 * The error domain of hubd: every error the daemon reports, and every error
 * libhubd returns for a call that reached the daemon, has a #HubdError code.
 *
 * Since: 0.1
 */
#define HUBD_ERROR (hubd_error_quark())

/**
 * HUBD_DBUS_ERROR_PREFIX:
 *
 * The prefix of the D-Bus error names of %HUBD_ERROR.
 *
 * Since: 0.1
 */
#define HUBD_DBUS_ERROR_PREFIX "org.hubd.Hub1.Error."

/**
 * HubdError:
 * @HUBD_ERROR_REPO_NOT_FOUND: no such repo, or not visible to this user
 * @HUBD_ERROR_REVISION_NOT_FOUND: no such branch, tag or commit
 * @HUBD_ERROR_ENTRY_NOT_FOUND: no such file (or object) at that revision
 * @HUBD_ERROR_GATED: the repo is gated and access was not granted
 * @HUBD_ERROR_UNAUTHORIZED: no token, or the token is refused
 * @HUBD_ERROR_FORBIDDEN: the token may not do this
 * @HUBD_ERROR_CONFLICT: it exists already, or the branch moved
 * @HUBD_ERROR_RATE_LIMITED: too many requests; retried, then reported
 * @HUBD_ERROR_BAD_REQUEST: the Hub refused the request's content
 * @HUBD_ERROR_INVALID_ARGUMENT: a bad argument, refused before anything was sent
 * @HUBD_ERROR_NOT_LOGGED_IN: the call needs a token and there is none
 * @HUBD_ERROR_OFFLINE: offline mode is on and the cache cannot answer
 * @HUBD_ERROR_POLICY: the publishing policy refused an upload
 * @HUBD_ERROR_SERVER: the server failed or lied (5xx, a bad answer)
 * @HUBD_ERROR_NETWORK: the network failed (DNS, connection, timeout)
 * @HUBD_ERROR_CANCELLED: cancelled by the caller
 * @HUBD_ERROR_FAILED: anything else: an internal error, never expected
 * @HUBD_ERROR_TIMED_OUT: waited as long as asked and it was not done (since 0.1)
 * @HUBD_ERROR_DEPLOY_FAILED: a Space or an Inference Endpoint failed to build or
 *   run; the message is its own (since 0.1)
 * @HUBD_ERROR_NO_SPACE: the disk (or quota) is full; the message names the
 *   file that did not fit (since 0.1)
 * @HUBD_ERROR_NOT_FOUND: the Hub has no such thing that is not a repo, a
 *   revision or a file, e.g. a webhook id (since 0.1)
 * @HUBD_ERROR_LAST: the number of codes
 *
 * The codes of %HUBD_ERROR, each sent over D-Bus as
 * `org.hubd.Hub1.Error.` and its name in CamelCase
 * (`org.hubd.Hub1.Error.RepoNotFound`). New codes are only ever appended.
 *
 * Since: 0.1
 */
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
	HUBD_ERROR_FAILED,
	HUBD_ERROR_TIMED_OUT,
	HUBD_ERROR_DEPLOY_FAILED,
	HUBD_ERROR_NO_SPACE,
	HUBD_ERROR_NOT_FOUND,
	HUBD_ERROR_LAST,
} HubdError;

GQuark
hubd_error_quark(void);

const gchar *
hubd_error_code_to_name(HubdError code);

G_END_DECLS
