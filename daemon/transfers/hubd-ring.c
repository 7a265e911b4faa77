/* hubd-ring.c: see hubd-ring.h. Chunk n lives in buf[n % n_buffers]; a
 * buffer is free again once every consumer is past it. One mutex guards the
 * counters; data is handed over by the counters alone (a consumer reads a
 * buffer only below `pushed`, the producer writes one only below the
 * slowest consumer + n_buffers). */
#define G_LOG_DOMAIN "HubdRing"

#include "hubd-ring.h"

#define MAX_CONSUMERS 4

typedef struct {
	HubdRing *ring;
	HubdRingConsumeFunc func;
	gpointer user_data;
	guint64 done; /* chunks consumed */
	guint64 bytes;
	gboolean running; /* queued in or running on the pool */
} Consumer;

struct _HubdRing {
	gatomicrefcount ref; /* the owner and each running consumer */
	GMutex lock;
	GCond idle; /* a consumer went back to the pool */
	guint n_buffers;
	gsize chunk_size;
	guint8 **buf;
	gsize *len;
	Consumer consumers[MAX_CONSUMERS];
	guint n_consumers;
	guint64 pushed;
	gboolean closed;
	gboolean stopped; /* a consumer failed, or the owner freed the ring */
	GError *error;
	/* the owner's side; notify is NULL once the owner freed the ring */
	GMainContext *context;
	HubdRingNotifyFunc notify;
	gpointer notify_data;
	gboolean producer_waiting;
	GSource *wake; /* a wake-up waiting in the context (not owned) */
};

static GThreadPool *pool;
static gsize pool_once;

static void
hubd_ring_unref(HubdRing *ring)
{
	if (!g_atomic_ref_count_dec(&ring->ref))
		return;
	for (guint i = 0; i < ring->n_buffers; i++)
		g_aligned_free(ring->buf[i]);
	g_free(ring->buf);
	g_free(ring->len);
	g_clear_error(&ring->error);
	g_main_context_unref(ring->context);
	g_mutex_clear(&ring->lock);
	g_cond_clear(&ring->idle);
	g_free(ring);
}

static gboolean
hubd_ring_wake_cb(gpointer user_data)
{
	HubdRing *ring = user_data;
	HubdRingNotifyFunc notify;
	gpointer data;

	g_mutex_lock(&ring->lock);
	ring->wake = NULL;
	notify = ring->notify;
	data = ring->notify_data;
	g_mutex_unlock(&ring->lock);
	if (notify != NULL)
		notify(data);
	return G_SOURCE_REMOVE;
}

/* Locked. At most one wake-up waits in the main context at a time. */
static void
hubd_ring_wake_locked(HubdRing *ring)
{
	g_autoptr(GSource) source = NULL;

	if (ring->wake != NULL || ring->notify == NULL)
		return;
	g_atomic_ref_count_inc(&ring->ref);
	/* always through a source, never inline: the caller holds the lock
	 * (g_main_context_invoke would run at once on the owner's thread) */
	source = g_idle_source_new();
	g_source_set_priority(source, G_PRIORITY_DEFAULT);
	g_source_set_callback(source, hubd_ring_wake_cb, ring, (GDestroyNotify)hubd_ring_unref);
	g_source_set_static_name(source, "[hubd] ring wake-up");
	g_source_attach(source, ring->context);
	ring->wake = source;
}

static guint64
hubd_ring_slowest_locked(HubdRing *ring)
{
	guint64 slowest = ring->pushed;

	for (guint i = 0; i < ring->n_consumers; i++)
		slowest = MIN(slowest, ring->consumers[i].done);
	return slowest;
}

static gboolean
hubd_ring_is_drained_locked(HubdRing *ring)
{
	if (!ring->closed && !ring->stopped)
		return FALSE;
	for (guint i = 0; i < ring->n_consumers; i++)
		if (ring->consumers[i].running)
			return FALSE;
	return TRUE;
}

/* A pool thread: take chunks in order until caught up (or stopped). */
static void
hubd_ring_consume(gpointer data, gpointer unused)
{
	Consumer *c = data;
	HubdRing *ring = c->ring;

	g_mutex_lock(&ring->lock);
	while (!ring->stopped && c->done < ring->pushed) {
		guint slot = c->done % ring->n_buffers;
		gsize len = ring->len[slot];
		GError *error = NULL;
		gboolean ok;

		g_mutex_unlock(&ring->lock);
		ok = c->func(ring->buf[slot], len, c->user_data, &error);
		g_mutex_lock(&ring->lock);
		if (!ok) {
			if (ring->error == NULL)
				ring->error = error;
			else
				g_clear_error(&error);
			ring->stopped = TRUE;
			hubd_ring_wake_locked(ring);
			break;
		}
		c->done++;
		c->bytes += len;
		/* half the ring, not one slot: a wake-up per chunk cost a
		 * main-loop round trip per buffer and, on two cores, time the
		 * hash thread could have had (about 10 % of a download) */
		if (ring->producer_waiting &&
		    ring->pushed - hubd_ring_slowest_locked(ring) <= ring->n_buffers / 2) {
			ring->producer_waiting = FALSE;
			hubd_ring_wake_locked(ring);
		}
	}
	c->running = FALSE;
	g_cond_broadcast(&ring->idle);
	if (hubd_ring_is_drained_locked(ring))
		hubd_ring_wake_locked(ring);
	g_mutex_unlock(&ring->lock);
	hubd_ring_unref(ring);
}

HubdRing *
hubd_ring_new(guint n_buffers, gsize chunk_size, HubdRingNotifyFunc notify, gpointer user_data)
{
	HubdRing *ring;

	g_return_val_if_fail(n_buffers > 0 && chunk_size > 0, NULL);
	ring = g_new0(HubdRing, 1);
	if (g_once_init_enter(&pool_once)) {
		/* shared with GLib's other non-exclusive pools; unbounded, as a
		 * consumer waits on nothing but its own disk or CPU */
		pool = g_thread_pool_new(hubd_ring_consume, NULL, -1, FALSE, NULL);
		g_once_init_leave(&pool_once, 1);
	}
	g_atomic_ref_count_init(&ring->ref);
	g_mutex_init(&ring->lock);
	g_cond_init(&ring->idle);
	ring->n_buffers = n_buffers;
	ring->chunk_size = chunk_size;
	ring->buf = g_new0(guint8 *, n_buffers);
	ring->len = g_new0(gsize, n_buffers);
	ring->context = g_main_context_ref_thread_default();
	ring->notify = notify;
	ring->notify_data = user_data;
	return ring;
}

void
hubd_ring_add_consumer(HubdRing *ring, HubdRingConsumeFunc func, gpointer user_data)
{
	Consumer *c;

	g_return_if_fail(ring->n_consumers < MAX_CONSUMERS && ring->pushed == 0);
	c = &ring->consumers[ring->n_consumers++];
	c->ring = ring;
	c->func = func;
	c->user_data = user_data;
}

guint8 *
hubd_ring_get_free(HubdRing *ring)
{
	guint slot;

	g_mutex_lock(&ring->lock);
	if (ring->stopped || ring->closed ||
	    ring->pushed - hubd_ring_slowest_locked(ring) >= ring->n_buffers) {
		ring->producer_waiting = !ring->stopped && !ring->closed;
		g_mutex_unlock(&ring->lock);
		return NULL;
	}
	slot = ring->pushed % ring->n_buffers;
	g_mutex_unlock(&ring->lock);
	/* allocated on first use (a small file needs one buffer, not all),
	 * page-aligned as O_DIRECT writes want */
	if (ring->buf[slot] == NULL)
		ring->buf[slot] = g_aligned_alloc(1, ring->chunk_size, 4096);
	return ring->buf[slot];
}

void
hubd_ring_push(HubdRing *ring, gsize len)
{
	g_return_if_fail(len > 0 && len <= ring->chunk_size);
	g_mutex_lock(&ring->lock);
	if (ring->closed) {
		g_mutex_unlock(&ring->lock);
		g_critical("hubd_ring_push() after hubd_ring_close()");
		return;
	}
	ring->len[ring->pushed % ring->n_buffers] = len;
	ring->pushed++;
	for (guint i = 0; i < ring->n_consumers && !ring->stopped; i++) {
		Consumer *c = &ring->consumers[i];
		if (c->running)
			continue;
		c->running = TRUE;
		g_atomic_ref_count_inc(&ring->ref);
		g_thread_pool_push(pool, c, NULL);
	}
	g_mutex_unlock(&ring->lock);
}

void
hubd_ring_close(HubdRing *ring)
{
	g_mutex_lock(&ring->lock);
	if (!ring->closed) {
		ring->closed = TRUE;
		ring->producer_waiting = FALSE;
		if (hubd_ring_is_drained_locked(ring))
			hubd_ring_wake_locked(ring);
	}
	g_mutex_unlock(&ring->lock);
}

gboolean
hubd_ring_is_drained(HubdRing *ring)
{
	gboolean drained;

	g_mutex_lock(&ring->lock);
	drained = hubd_ring_is_drained_locked(ring);
	g_mutex_unlock(&ring->lock);
	return drained;
}

guint64
hubd_ring_get_consumed(HubdRing *ring, guint index)
{
	guint64 bytes;

	g_return_val_if_fail(index < ring->n_consumers, 0);
	g_mutex_lock(&ring->lock);
	bytes = ring->consumers[index].bytes;
	g_mutex_unlock(&ring->lock);
	return bytes;
}

GError *
hubd_ring_dup_error(HubdRing *ring)
{
	GError *error;

	g_mutex_lock(&ring->lock);
	error = ring->error != NULL ? g_error_copy(ring->error) : NULL;
	g_mutex_unlock(&ring->lock);
	return error;
}

void
hubd_ring_free(HubdRing *ring)
{
	GSource *wake;

	if (ring == NULL)
		return;
	g_mutex_lock(&ring->lock);
	ring->stopped = TRUE;
	ring->notify = NULL;
	/* a consumer may be inside its func with the owner's data: wait for
	 * it (at most one chunk; an owner normally frees a drained ring) */
	while (!hubd_ring_is_drained_locked(ring))
		g_cond_wait(&ring->idle, &ring->lock);
	/* free runs on the owner's thread, so a queued wake-up has not run:
	 * drop it and its reference now, whether or not the context runs again */
	wake = g_steal_pointer(&ring->wake);
	g_mutex_unlock(&ring->lock);
	if (wake != NULL)
		g_source_destroy(wake);
	hubd_ring_unref(ring);
}
