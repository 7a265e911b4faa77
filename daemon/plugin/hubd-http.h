/* hubd-http.h: a plugin's own HTTP session, set up as hubd's is */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

void
hubd_http_session_setup_proxy(SoupSession *session);

G_END_DECLS
