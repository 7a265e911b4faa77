/* hubd-ring.h: a bounded ring of buffers between one producer on the main
 * loop (a network read) and a few consumers (write, hash) that each see
 * every chunk in order, in worker threads, at the same time.
 *
 * A consumer runs in a shared thread pool while it has chunks to take and
 * goes back to the pool once it has caught up, so in steady state the
 * workers never wait for the main loop; the main loop is woken (through
 * `notify`, on the context that made the ring) only when a full ring is
 * half free again (so it refills in a burst, not one wake-up per buffer),
 * when a consumer fails, and when a closed ring has drained. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HubdRing HubdRing;

/* Consumes one chunk in a worker thread; FALSE (with `error` set) stops the
 * ring: no consumer takes another chunk. */
typedef gboolean (*HubdRingConsumeFunc)(const guint8 *data,
					gsize len,
					gpointer user_data,
					GError **error);
/* Called on the ring's main context; look at the ring to see why. */
typedef void (*HubdRingNotifyFunc)(gpointer user_data);

HubdRing *
hubd_ring_new(guint n_buffers, gsize chunk_size, HubdRingNotifyFunc notify, gpointer user_data);
/* Before the first chunk is pushed; at most 4 consumers. */
void
hubd_ring_add_consumer(HubdRing *ring, HubdRingConsumeFunc func, gpointer user_data);
/* A free buffer of chunk_size bytes, or NULL when every buffer still waits
 * for a consumer (notify fires once half the ring is free) or the ring has
 * stopped. */
guint8 *
hubd_ring_get_free(HubdRing *ring);
/* The buffer from the last get_free now holds `len` bytes (> 0). */
void
hubd_ring_push(HubdRing *ring, gsize len);
/* No more pushes: notify fires once every consumer has finished (or
 * stopped on an error). */
void
hubd_ring_close(HubdRing *ring);
gboolean
hubd_ring_is_drained(HubdRing *ring);
/* Bytes the consumer added `index`-th has consumed so far. */
guint64
hubd_ring_get_consumed(HubdRing *ring, guint index);
/* The first consumer error, or NULL; transfer full. */
GError *
hubd_ring_dup_error(HubdRing *ring);
/* Stops the consumers after their current chunk, waits for them and frees
 * the ring; notify is never called afterwards. From the thread that made
 * the ring, as every call but the consumers'. */
void
hubd_ring_free(HubdRing *ring);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdRing, hubd_ring_free)

G_END_DECLS
