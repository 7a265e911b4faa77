/* hubd-git-credential.c: the host check of org.hubd.Hub1.Git.GetCredential.
 *
 * git sends `protocol` (the URL scheme) and `host` (the host name, with
 * ":PORT" when the URL has one) to credential helpers (gitcredentials(7),
 * git-credential(1) "INPUT/OUTPUT FORMAT"). The token answers only for the
 * endpoint's own origin, so it never reaches another host and never goes over
 * plain http to an https Hub. */
#define G_LOG_DOMAIN "HubdGit"

#include "hubd-git-credential.h"

#include <string.h>

static gint
default_port(const gchar *scheme)
{
	if (g_ascii_strcasecmp(scheme, "https") == 0)
		return 443;
	if (g_ascii_strcasecmp(scheme, "http") == 0)
		return 80;
	return -1;
}

/* "host" or "host:port" (IPv6 literals in brackets) → the host, and the
 * port (-1 when none); NULL when malformed */
static gchar *
split_host(const gchar *text, gint *port)
{
	const gchar *start = text;
	const gchar *end;
	const gchar *colon;
	guint64 number = 0;

	*port = -1;
	if (text[0] == '[') {
		start = text + 1;
		end = strchr(text, ']');
		if (end == NULL || (end[1] != '\0' && end[1] != ':'))
			return NULL;
		colon = end[1] == ':' ? end + 1 : NULL;
	} else {
		colon = strrchr(text, ':');
		end = colon != NULL ? colon : text + strlen(text);
	}
	if (end == start)
		return NULL;
	if (colon != NULL) {
		if (!g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &number, NULL))
			return NULL;
		*port = (gint)number;
	}
	return g_strndup(start, end - start);
}

gboolean
hubd_git_credential_matches(const gchar *endpoint, const gchar *protocol, const gchar *host)
{
	g_autoptr(GUri) uri = NULL;
	g_autofree gchar *asked_host = NULL;
	gint asked_port = -1;
	gint own_port;
	gint fallback;

	if (endpoint == NULL || protocol == NULL || host == NULL)
		return FALSE;
	uri = g_uri_parse(endpoint, G_URI_FLAGS_NONE, NULL);
	if (uri == NULL || g_uri_get_host(uri) == NULL ||
	    g_ascii_strcasecmp(g_uri_get_scheme(uri), protocol) != 0)
		return FALSE;
	asked_host = split_host(host, &asked_port);
	if (asked_host == NULL)
		return FALSE;
	fallback = default_port(protocol);
	own_port = g_uri_get_port(uri) != -1 ? g_uri_get_port(uri) : fallback;
	if (asked_port == -1)
		asked_port = fallback;
	return own_port != -1 && own_port == asked_port &&
	       g_ascii_strcasecmp(g_uri_get_host(uri), asked_host) == 0;
}

const gchar *
hubd_git_credential_username(const gchar *user)
{
	return user != NULL && user[0] != '\0' ? user : "hf_user";
}
