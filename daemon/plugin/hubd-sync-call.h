/* hubd-sync-call.h: an async call made from a worker thread through a context, and waited for */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _HubdSyncCall HubdSyncCall;

/* Starts the async work in the context; its callback ends with
 * hubd_sync_call_done(). It must not touch `call` after starting it. */
typedef void (*HubdSyncCallStart)(HubdSyncCall *call, gpointer data);

void
hubd_sync_call_run(GMainContext *context, HubdSyncCallStart start, gpointer data);
void
hubd_sync_call_done(HubdSyncCall *call);

G_END_DECLS
