/* hubd-http.h: a plugin's own HTTP session, set up as hubd's is: its proxy, HTTP/1.1 only,
 * a trust store read off the main loop */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

void
hubd_http_session_setup_proxy(SoupSession *session);
void
hubd_http_session_use_http1(SoupSession *session);
void
hubd_http_load_ca_file_async(const gchar *path,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
GTlsDatabase *
hubd_http_load_ca_file_finish(GAsyncResult *result, GError **error);

G_END_DECLS
