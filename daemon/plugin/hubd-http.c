/* hubd-http.c: a plugin's own HTTP session, set up as hubd's is */
#define G_LOG_DOMAIN "HubdPlugins"

#include "hubd-http.h"

#include "hubd-hub-transport.h"

/**
 * hubd_http_session_setup_proxy:
 * @session: a #SoupSession a plugin made for a server of its own (an S3
 *   endpoint, say)
 *
 * Gives @session the proxy hubd's own session has: the one HTTPS_PROXY,
 * HTTP_PROXY or ALL_PROXY names (either case), minus the hosts of NO_PROXY
 * (`*`: no proxy at all), when any is set; otherwise, in a desktop session
 * (XDG_CURRENT_DESKTOP), the desktop's proxy settings through GIO's default
 * resolver; otherwise none. A session left as libsoup makes it asks GIO's
 * default resolver even outside a desktop, which loads every GIO proxy
 * module (libproxy and libstdc++ with it, about 2 MiB that stay resident)
 * for nothing those variables do not already say.
 *
 * Since: 0.1
 */
void
hubd_http_session_setup_proxy(SoupSession *session)
{
	g_return_if_fail(SOUP_IS_SESSION(session));
	hubd_hub_transport_setup_proxy(session);
}
