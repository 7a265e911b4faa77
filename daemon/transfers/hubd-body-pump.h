/* hubd-body-pump.h: one response body read on the main loop into a ring of
 * buffers that a HubdBlobWriter writes (and hashes) in worker threads.
 *
 * HubdTransfer starts one per attempt (from the Hub or from a mirror) and
 * decides, when it is done, whether the blob is whole, short (resume) or
 * too long; the pump only moves bytes and says how many reached the disk. */
#pragma once

#include <gio/gio.h>

#include "hubd-blob-writer.h"

G_BEGIN_DECLS

typedef struct _HubdBodyPump HubdBodyPump;

/* Bytes received from the socket (not yet on disk), for a progress bar. */
typedef void (*HubdBodyPumpProgressFunc)(gint64 delta, gpointer user_data);
/* Called once on the main context, when the body has ended and nothing is
 * in flight: `written` bytes from the start offset are on disk. `read_error`
 * (NULL at the end of the body, or one byte past `size`) and `write_error`
 * (a disk write failed; the read was stopped, through the cancellable) are
 * transfer full. The pump may be freed from here. */
typedef void (*HubdBodyPumpDoneFunc)(guint64 written,
				     GError *read_error,
				     GError *write_error,
				     gpointer user_data);

/* Reads `stream` (the blob's bytes from `offset` on; the blob has `size`)
 * into `writer`, attached to a fresh ring. `cancellable` stops the read. */
HubdBodyPump *
hubd_body_pump_start(GInputStream *stream,
		     HubdBlobWriter *writer,
		     guint64 offset,
		     guint64 size,
		     GCancellable *cancellable,
		     HubdBodyPumpProgressFunc progress,
		     HubdBodyPumpDoneFunc done,
		     gpointer user_data);
/* From `done` or later: a read in flight holds a pointer to the pump (the
 * owner keeps itself alive until `done`). */
void
hubd_body_pump_free(HubdBodyPump *pump);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdBodyPump, hubd_body_pump_free)

G_END_DECLS
