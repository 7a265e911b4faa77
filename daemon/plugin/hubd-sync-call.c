/* hubd-sync-call.c: an async call made from a worker thread through a context, and waited for
 *
 * Sessions and storage backends live in one main context (libsoup binds a
 * session to it), while a stream given to a worker thread is read there
 * synchronously. When such a reader needs a request (an upload opening a
 * backend's object, an S3 body taking up a cut answer), the request is
 * started in that context and the worker waits for its callback. When no
 * other thread runs the context (a test reading on its main thread), the
 * worker runs it itself until the call is done. */
#define G_LOG_DOMAIN "HubdPlugin"

#include "hubd-sync-call.h"

struct _HubdSyncCall {
	HubdSyncCallStart start;
	gpointer data;
	GMutex lock;
	GCond cond;
	gboolean done;
};

static gboolean
hubd_sync_call_start(gpointer user_data)
{
	HubdSyncCall *call = user_data;

	call->start(call, call->data);
	return G_SOURCE_REMOVE;
}

/**
 * hubd_sync_call_run:
 * @context: the context the work belongs to (where its objects were made)
 * @start: starts the work there; the work's callback calls
 *   hubd_sync_call_done(), and @start does not touch the call after
 *   starting it
 * @data: for @start
 *
 * Makes an asynchronous call from a worker thread and waits for it: @start
 * runs in @context (dispatched by the thread that runs it, or here when no
 * thread does), and this returns once the call is done. The results travel
 * in @data. Not for the thread that runs @context: it would wait for itself.
 *
 * Since: 0.1
 */
void
hubd_sync_call_run(GMainContext *context, HubdSyncCallStart start, gpointer data)
{
	HubdSyncCall call = {.start = start, .data = data};

	g_mutex_init(&call.lock);
	g_cond_init(&call.cond);
	if (g_main_context_acquire(context)) {
		g_main_context_push_thread_default(context);
		start(&call, data);
		while (!g_atomic_int_get(&call.done))
			g_main_context_iteration(context, TRUE);
		g_main_context_pop_thread_default(context);
		g_main_context_release(context);
	} else {
		g_main_context_invoke(context, hubd_sync_call_start, &call);
		g_mutex_lock(&call.lock);
		while (!call.done)
			g_cond_wait(&call.cond, &call.lock);
		g_mutex_unlock(&call.lock);
	}
	g_mutex_clear(&call.lock);
	g_cond_clear(&call.cond);
}

/**
 * hubd_sync_call_done:
 * @call: the call hubd_sync_call_run() passed to its start function
 *
 * Says that the call is done, from its callback, last: the waiting thread
 * may return (and @call go) at once.
 *
 * Since: 0.1
 */
void
hubd_sync_call_done(HubdSyncCall *call)
{
	g_mutex_lock(&call->lock);
	g_atomic_int_set(&call->done, TRUE);
	g_cond_signal(&call->cond);
	g_mutex_unlock(&call->lock);
}
