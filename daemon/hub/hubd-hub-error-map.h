/* hubd-hub-error-map.h: a Hub answer (status, X-Error-Code/-Message, body) -> HUBD_ERROR */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Hub answer -> HUBD_ERROR, in huggingface_hub's order (docs/hub-http.md §6.1).
 * `body` may be NULL. Returns FALSE (and sets nothing) for status < 400. */
gboolean
hubd_hub_client_error_from_response(guint status,
				    SoupMessageHeaders *headers,
				    GBytes *body,
				    GUri *uri,
				    GError **error);

/* The human part of a Hub error: X-Error-Message, else the JSON body's
 * error / error_description / errors[].message, else a non-HTML text body;
 * valid UTF-8, one line, at most 300 characters; NULL when there is none.
 * `body` may be NULL. Pure (fuzzed). */
gchar *
hubd_hub_error_map_detail(SoupMessageHeaders *headers, GBytes *body);

G_END_DECLS
