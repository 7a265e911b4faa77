/* hubd-test-stream.h: HubdTestStream, test content that can fail, cancel or wait for others
 * mid-stream */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Holds the first read of `count` streams until all have started, so racing
 * writers really overlap. A backend that runs puts one at a time never lets
 * them all start: after 5 s the streams go on anyway (no test relies on
 * timing; this only makes the race likely). */
typedef struct _HubdTestBarrier HubdTestBarrier;
HubdTestBarrier *
hubd_test_barrier_new(guint count);
void
hubd_test_barrier_free(HubdTestBarrier *barrier);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdTestBarrier, hubd_test_barrier_free)

#define HUBD_TYPE_TEST_STREAM (hubd_test_stream_get_type())
G_DECLARE_FINAL_TYPE(HubdTestStream, hubd_test_stream, HUBD, TEST_STREAM, GInputStream)

/* Gives `bytes`, at most `chunk` bytes per read (0: 64 KiB). Reads honour
 * their cancellable, as GIO's streams do. Not pollable: async reads run in
 * a thread, blocking reads work from any thread. */
HubdTestStream *
hubd_test_stream_new(GBytes *bytes, gsize chunk);
/* After `offset` bytes, every read fails (as a dropped connection). */
void
hubd_test_stream_fail_after(HubdTestStream *self, guint64 offset);
/* Once `offset` bytes were given, cancels `cancellable`: a user pressing
 * Cancel mid-transfer, at a point that does not depend on timing. */
void
hubd_test_stream_cancel_after(HubdTestStream *self, guint64 offset, GCancellable *cancellable);
/* The first read waits at `barrier` (not owned; must outlive the stream's reads). */
void
hubd_test_stream_set_barrier(HubdTestStream *self, HubdTestBarrier *barrier);
guint64
hubd_test_stream_get_offset(HubdTestStream *self);

G_END_DECLS
