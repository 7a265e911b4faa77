/* hubd-hub-send.h: one HTTP exchange of HubdHubClient (hubd-hub-send.c), as
 * its request/send entry points start and finish it — for daemon/hub only,
 * not part of the plugin API */
#pragma once

#include "hubd-hub-client.h"

G_BEGIN_DECLS

/* Gives `task`, whose source object is the client, the state of one exchange
 * of `req`: with `stream_mode` the body of the final answer is handed over
 * unread (send_async), else read whole, bounded (request_async). */
void
hubd_hub_send_attach(GTask *task, HubdHubRequest *req, gboolean stream_mode);
/* Chooses the URL and the token (the token store is loaded by now), then
 * sends until a final answer: returns it or the error on `task` and drops
 * the caller's reference to it. */
void
hubd_hub_send_start(GTask *task);
/* The unread body of an exchange `task` returned in stream mode */
GInputStream *
hubd_hub_send_steal_stream(GTask *task);

G_END_DECLS
