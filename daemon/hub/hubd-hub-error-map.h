/* hubd-hub-error-map.h: a Hub answer (status, X-Error-Code/-Message, body) -> HUBD_ERROR */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Hub answer -> HUBD_ERROR, in huggingface_hub's order (hub-protocol §3.3).
 * `body` may be NULL. Returns FALSE (and sets nothing) for status < 400. */
gboolean
hubd_hub_client_error_from_response(guint status,
				    SoupMessageHeaders *headers,
				    GBytes *body,
				    GUri *uri,
				    GError **error);

G_END_DECLS
