/* hubd-ring-test.c: the producer/consumers ring: every consumer sees every byte in order,
 * backpressure, a failing consumer stops the ring, free waits for consumers, close when empty */
#define G_LOG_DOMAIN "HubdRingTest"

#include <gio/gio.h>
#include <string.h>

#include "hubd-ring.h"

/* a hang guard, not a timing assertion: far above what any run needs */
#define WAIT_TIMEOUT_S 60

static gboolean
watchdog_cb(gpointer user_data)
{
	g_error("timed out waiting for %s", (const gchar *)user_data);
	return G_SOURCE_REMOVE;
}

/* Iterates the main context (where the ring's notify runs) until `cond` holds. */
#define WAIT_FOR(cond)                                                                        \
	G_STMT_START                                                                          \
	{                                                                                     \
		guint watchdog_id_ =                                                          \
			g_timeout_add_seconds(WAIT_TIMEOUT_S, watchdog_cb, (gpointer) #cond); \
		while (!(cond))                                                               \
			g_main_context_iteration(NULL, TRUE);                                 \
		g_source_remove(watchdog_id_);                                                \
	}                                                                                     \
	G_STMT_END

/* dispatches whatever is ready now, without waiting */
static void
iterate_pending(void)
{
	while (g_main_context_iteration(NULL, FALSE))
		;
}

static void
count_notify(gpointer user_data)
{
	guint *n_notify = user_data;

	(*n_notify)++;
}

static guint32
xorshift(guint32 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* ---- a consumer blocked or released from the test (and failing on demand) ---- */

#define GATE_OPEN G_MAXUINT

typedef struct {
	GMutex lock;
	GCond cond;
	guint permits; /* chunks it may still take, or GATE_OPEN */
	guint fail_at; /* the call that fails, or G_MAXUINT */
	guint entered; /* calls started */
	guint left;    /* calls finished */
	guint64 bytes;
	GByteArray *firsts; /* the first byte of each chunk taken */
} Gate;

static void
gate_init(Gate *g, guint permits, guint fail_at)
{
	memset(g, 0, sizeof(*g));
	g_mutex_init(&g->lock);
	g_cond_init(&g->cond);
	g->permits = permits;
	g->fail_at = fail_at;
	g->firsts = g_byte_array_new();
}

static void
gate_clear(Gate *g)
{
	g_byte_array_unref(g->firsts);
	g_mutex_clear(&g->lock);
	g_cond_clear(&g->cond);
}

static void
gate_release(Gate *g, guint permits)
{
	g_mutex_lock(&g->lock);
	if (permits == GATE_OPEN || g->permits == GATE_OPEN)
		g->permits = GATE_OPEN;
	else
		g->permits += permits;
	g_cond_broadcast(&g->cond);
	g_mutex_unlock(&g->lock);
}

/* waits (in the test's thread, not the main loop) until the consumer started `n` calls */
static void
gate_wait_entered(Gate *g, guint n)
{
	gint64 deadline = g_get_monotonic_time() + WAIT_TIMEOUT_S * G_TIME_SPAN_SECOND;

	g_mutex_lock(&g->lock);
	while (g->entered < n)
		if (!g_cond_wait_until(&g->cond, &g->lock, deadline))
			g_error("timed out waiting for the consumer to take chunk %u", n);
	g_mutex_unlock(&g->lock);
}

static gboolean
gate_consume(const guint8 *data, gsize len, gpointer user_data, GError **error)
{
	Gate *g = user_data;
	gboolean ok = TRUE;
	guint call;

	g_mutex_lock(&g->lock);
	call = g->entered++;
	g_cond_broadcast(&g->cond);
	while (g->permits == 0)
		g_cond_wait(&g->cond, &g->lock);
	if (g->permits != GATE_OPEN)
		g->permits--;
	if (call == g->fail_at) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full at chunk %u", call);
		ok = FALSE;
	} else {
		g->bytes += len;
		g_byte_array_append(g->firsts, data, 1);
	}
	g->left++;
	g_cond_broadcast(&g->cond);
	g_mutex_unlock(&g->lock);
	return ok;
}

/* ---- 1: two consumers see everything, in order, driven by notify ---- */

#define STREAM_CHUNKS     200
#define STREAM_CHUNK_SIZE 3000

typedef struct {
	GByteArray *bytes;
	GRand *rand; /* touched by one pool thread at a time: the ring runs a consumer once */
} CopyConsumer;

typedef struct {
	GChecksum *sha256;
	guint64 bytes;
	guint calls;
	GRand *rand;
} HashConsumer;

static gboolean
copy_consume(const guint8 *data, gsize len, gpointer user_data, GError **error)
{
	CopyConsumer *c = user_data;

	g_byte_array_append(c->bytes, data, (guint)len);
	if (g_rand_boolean(c->rand))
		g_usleep(g_rand_int_range(c->rand, 0, 300));
	return TRUE;
}

static gboolean
hash_consume(const guint8 *data, gsize len, gpointer user_data, GError **error)
{
	HashConsumer *c = user_data;

	if (g_rand_boolean(c->rand))
		g_usleep(g_rand_int_range(c->rand, 0, 300));
	g_checksum_update(c->sha256, data, (gssize)len);
	c->bytes += len;
	c->calls++;
	return TRUE;
}

typedef struct {
	HubdRing *ring;
	const guint8 *data;
	const gsize *lens;
	guint next;
	gsize offset;
	gboolean closed;
	guint n_notify;
	guint n_full;         /* get_free said NULL with chunks left */
	gboolean saw_drained; /* a notify after the close found the ring drained */
} Producer;

/* pushes until the ring is full, and closes it after the last chunk */
static void
produce(Producer *p)
{
	while (p->next < STREAM_CHUNKS) {
		guint8 *buf = hubd_ring_get_free(p->ring);
		gsize len = p->lens[p->next];

		if (buf == NULL) {
			p->n_full++;
			return;
		}
		memcpy(buf, p->data + p->offset, len);
		hubd_ring_push(p->ring, len);
		p->offset += len;
		p->next++;
	}
	if (!p->closed) {
		hubd_ring_close(p->ring);
		p->closed = TRUE;
	}
}

static void
producer_notify(gpointer user_data)
{
	Producer *p = user_data;

	p->n_notify++;
	if (!p->closed) {
		produce(p);
		return;
	}
	if (hubd_ring_is_drained(p->ring))
		p->saw_drained = TRUE;
}

static void
test_ring_stream(void)
{
	gsize lens[STREAM_CHUNKS];
	g_autoptr(GByteArray) expected = g_byte_array_new();
	g_autofree gchar *expected_sha256 = NULL;
	g_autoptr(GByteArray) copied = g_byte_array_new();
	g_autoptr(GChecksum) sha256 = g_checksum_new(G_CHECKSUM_SHA256);
	g_autoptr(GRand) rand_copy = g_rand_new_with_seed(1);
	g_autoptr(GRand) rand_hash = g_rand_new_with_seed(2);
	CopyConsumer copy = {.bytes = copied, .rand = rand_copy};
	HashConsumer hash = {.sha256 = sha256, .rand = rand_hash};
	Producer p = {0};
	g_autoptr(HubdRing) ring = NULL;
	guint32 x = 2463534242u;
	g_autoptr(GError) error = NULL;

	/* deterministic chunk lengths in 1..chunk_size (both ends included) and bytes */
	for (guint i = 0; i < STREAM_CHUNKS; i++) {
		lens[i] = i == 0   ? STREAM_CHUNK_SIZE
			  : i == 1 ? 1
				   : 1 + xorshift(&x) % STREAM_CHUNK_SIZE;
		for (gsize j = 0; j < lens[i]; j++) {
			guint8 b = (guint8)xorshift(&x);
			g_byte_array_append(expected, &b, 1);
		}
	}
	expected_sha256 =
		g_compute_checksum_for_data(G_CHECKSUM_SHA256, expected->data, expected->len);

	ring = hubd_ring_new(4, STREAM_CHUNK_SIZE, producer_notify, &p);
	hubd_ring_add_consumer(ring, copy_consume, &copy);
	hubd_ring_add_consumer(ring, hash_consume, &hash);
	p.ring = ring;
	p.data = expected->data;
	p.lens = lens;

	/* the first fill; after that only notify drives the producer, so a
	 * lost wake-up hangs here (and the watchdog fails the test) */
	produce(&p);
	WAIT_FOR(p.saw_drained);
	g_assert_true(p.closed);
	g_assert_cmpuint(p.next, ==, STREAM_CHUNKS);
	g_assert_true(hubd_ring_is_drained(ring));
	g_test_message("%u notifies, the ring was full %u times", p.n_notify, p.n_full);

	error = hubd_ring_dup_error(ring);
	g_assert_no_error(error);
	g_assert_cmpuint(hubd_ring_get_consumed(ring, 0), ==, expected->len);
	g_assert_cmpuint(hubd_ring_get_consumed(ring, 1), ==, expected->len);
	g_assert_cmpmem(copied->data, copied->len, expected->data, expected->len);
	g_assert_cmpuint(hash.calls, ==, STREAM_CHUNKS);
	g_assert_cmpuint(hash.bytes, ==, expected->len);
	g_assert_cmpstr(g_checksum_get_string(sha256), ==, expected_sha256);

	/* closed: no more buffers */
	g_assert_null(hubd_ring_get_free(ring));
}

/* ---- 2: a full ring hands out no buffer until a consumer frees one, and
 * wakes the producer once half of it is free ---- */

static void
test_ring_backpressure(void)
{
	const gsize chunk_size = 8192;
	guint8 *bufs[4];
	guint8 *buf;
	guint n_notify = 0;
	Gate gate;
	g_autoptr(HubdRing) ring = NULL;

	gate_init(&gate, 0, G_MAXUINT);
	ring = hubd_ring_new(4, chunk_size, count_notify, &n_notify);
	hubd_ring_add_consumer(ring, gate_consume, &gate);

	for (guint i = 0; i < 4; i++) {
		bufs[i] = hubd_ring_get_free(ring);
		g_assert_nonnull(bufs[i]);
		g_assert_cmpuint((guintptr)bufs[i] % 4096, ==, 0);
		for (guint j = 0; j < i; j++)
			g_assert_true(bufs[i] != bufs[j]);
		/* the whole buffer is ours to write */
		memset(bufs[i], 'a' + i, chunk_size);
		hubd_ring_push(ring, 100 + i);
	}
	g_assert_null(hubd_ring_get_free(ring));
	g_assert_null(hubd_ring_get_free(ring));

	/* the consumer sits in chunk 0: nothing frees, nothing wakes us */
	gate_wait_entered(&gate, 1);
	iterate_pending();
	g_assert_cmpuint(n_notify, ==, 0);
	g_assert_null(hubd_ring_get_free(ring));

	/* one chunk done: a slot is free, but a wake-up per chunk would cost
	 * the producer a main-loop round trip per buffer, so none comes yet */
	gate_release(&gate, 1);
	gate_wait_entered(&gate, 2);
	g_assert_cmpuint(hubd_ring_get_consumed(ring, 0), ==, 100);
	iterate_pending();
	g_assert_cmpuint(n_notify, ==, 0);

	/* two done, half the ring: we are told, and get chunks 0's and 1's
	 * buffers in order */
	gate_release(&gate, 1);
	WAIT_FOR(n_notify > 0);
	g_assert_cmpuint(n_notify, ==, 1);
	g_assert_cmpuint(hubd_ring_get_consumed(ring, 0), ==, 100 + 101);
	buf = hubd_ring_get_free(ring);
	g_assert_true(buf == bufs[0]);
	memset(buf, 'e', chunk_size);
	hubd_ring_push(ring, 50);
	buf = hubd_ring_get_free(ring);
	g_assert_true(buf == bufs[1]);
	memset(buf, 'f', chunk_size);
	hubd_ring_push(ring, 60);
	g_assert_null(hubd_ring_get_free(ring));

	gate_release(&gate, GATE_OPEN);
	hubd_ring_close(ring);
	WAIT_FOR(hubd_ring_is_drained(ring));
	g_assert_cmpuint(hubd_ring_get_consumed(ring, 0), ==, 100 + 101 + 102 + 103 + 50 + 60);
	g_assert_cmpuint(gate.bytes, ==, 100 + 101 + 102 + 103 + 50 + 60);
	g_assert_cmpmem(gate.firsts->data, gate.firsts->len, "abcdef", 6);

	g_clear_pointer(&ring, hubd_ring_free);
	gate_clear(&gate);
}

/* ---- 3: a failing consumer stops the ring ---- */

static void
test_ring_consumer_error(void)
{
	const gsize lens[] = {10, 20, 30, 40};
	guint n_notify = 0;
	Gate failing;
	Gate other;
	g_autoptr(HubdRing) ring = NULL;
	g_autoptr(GError) error = NULL;

	gate_init(&failing, 0, 2);
	gate_init(&other, 0, G_MAXUINT);
	ring = hubd_ring_new(8, 512, count_notify, &n_notify);
	hubd_ring_add_consumer(ring, gate_consume, &failing);
	hubd_ring_add_consumer(ring, gate_consume, &other);

	/* four of eight slots: the ring is never full, so only the error can wake us */
	for (guint i = 0; i < G_N_ELEMENTS(lens); i++) {
		guint8 *buf = hubd_ring_get_free(ring);

		g_assert_nonnull(buf);
		memset(buf, 'a' + i, lens[i]);
		hubd_ring_push(ring, lens[i]);
	}
	/* the failing consumer fails on chunk 2 while the other sits in chunk 0
	 * (both wait first: a stopped ring would not start the other at all) */
	gate_wait_entered(&failing, 1);
	gate_wait_entered(&other, 1);
	gate_release(&failing, GATE_OPEN);
	WAIT_FOR(n_notify > 0);
	error = hubd_ring_dup_error(ring);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
	g_assert_cmpstr(error->message, ==, "disk full at chunk 2");
	g_assert_cmpuint(hubd_ring_get_consumed(ring, 0), ==, 10 + 20);
	g_assert_cmpuint(failing.entered, ==, 3);
	/* a stopped ring takes no more data, though slots are free */
	g_assert_null(hubd_ring_get_free(ring));
	g_assert_false(hubd_ring_is_drained(ring));

	/* the other consumer finishes chunk 0 and takes no other */
	gate_release(&other, GATE_OPEN);
	hubd_ring_close(ring);
	WAIT_FOR(hubd_ring_is_drained(ring));
	g_assert_cmpuint(hubd_ring_get_consumed(ring, 1), ==, 10);
	g_assert_cmpuint(other.entered, ==, 1);
	g_assert_cmpmem(other.firsts->data, other.firsts->len, "a", 1);
	g_assert_cmpmem(failing.firsts->data, failing.firsts->len, "ab", 2);
	g_assert_null(hubd_ring_get_free(ring));

	/* the error stays the first one */
	g_clear_error(&error);
	error = hubd_ring_dup_error(ring);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);

	g_clear_pointer(&ring, hubd_ring_free);
	gate_clear(&failing);
	gate_clear(&other);
}

/* ---- 4: free waits for a consumer inside its func, and notify stays silent ---- */

static gpointer
release_later(gpointer user_data)
{
	/* long enough for the main thread to be inside hubd_ring_free() in
	 * practice; the test holds either way */
	g_usleep(100 * G_TIME_SPAN_MILLISECOND);
	gate_release(user_data, GATE_OPEN);
	return NULL;
}

static void
test_ring_free_waits(void)
{
	guint n_notify = 0;
	Gate gate;
	HubdRing *ring;
	GThread *releaser;

	gate_init(&gate, 0, G_MAXUINT);
	ring = hubd_ring_new(2, 64, count_notify, &n_notify);
	hubd_ring_add_consumer(ring, gate_consume, &gate);
	for (guint i = 0; i < 2; i++) {
		guint8 *buf = hubd_ring_get_free(ring);

		g_assert_nonnull(buf);
		memset(buf, 'a' + i, 64);
		hubd_ring_push(ring, 64);
	}
	/* full: the producer now waits, so the consumer's next chunk would wake it */
	g_assert_null(hubd_ring_get_free(ring));
	gate_wait_entered(&gate, 1);
	iterate_pending();
	g_assert_cmpuint(n_notify, ==, 0);

	releaser = g_thread_new("release-later", release_later, &gate);
	hubd_ring_free(ring);

	/* nothing is inside a consumer func any more */
	g_mutex_lock(&gate.lock);
	g_assert_cmpuint(gate.entered, >=, 1);
	g_assert_cmpuint(gate.left, ==, gate.entered);
	g_mutex_unlock(&gate.lock);
	g_thread_join(releaser);

	/* any wake-up was queued before free returned: dispatch it */
	iterate_pending();
	g_assert_cmpuint(n_notify, ==, 0);
	g_assert_cmpuint(gate.left, ==, gate.entered);

	gate_clear(&gate);
}

/* ---- 5: closing an empty ring ---- */

static void
test_ring_close_empty(void)
{
	guint n_notify = 0;
	Gate gate;
	g_autoptr(HubdRing) ring = NULL;

	gate_init(&gate, GATE_OPEN, G_MAXUINT);
	ring = hubd_ring_new(4, 64, count_notify, &n_notify);
	hubd_ring_add_consumer(ring, gate_consume, &gate);

	hubd_ring_close(ring);
	g_assert_true(hubd_ring_is_drained(ring));
	/* through the main loop, never inline */
	g_assert_cmpuint(n_notify, ==, 0);
	WAIT_FOR(n_notify > 0);
	iterate_pending();
	g_assert_cmpuint(n_notify, ==, 1);

	g_assert_null(hubd_ring_get_free(ring));
	g_assert_cmpuint(hubd_ring_get_consumed(ring, 0), ==, 0);
	g_assert_cmpuint(gate.entered, ==, 0);

	g_clear_pointer(&ring, hubd_ring_free);
	gate_clear(&gate);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ring/stream", test_ring_stream);
	g_test_add_func("/ring/backpressure", test_ring_backpressure);
	g_test_add_func("/ring/consumer-error", test_ring_consumer_error);
	g_test_add_func("/ring/free-waits", test_ring_free_waits);
	g_test_add_func("/ring/close-empty", test_ring_close_empty);
	return g_test_run();
}
