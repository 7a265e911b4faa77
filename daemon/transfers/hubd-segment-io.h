/* hubd-segment-io.h: the waiting work of a parallel download, each as an
 * async call: writes and the catching-up hash in worker threads, saving the
 * segment map, and asking the Hub for a new CDN link */
#pragma once

#include "hubd-blob-writer.h"
#include "hubd-hub-api.h"

G_BEGIN_DECLS

/* `len` bytes of `data` (kept alive by the caller) at `pos`. */
void
hubd_segment_io_write_async(HubdBlobWriter *writer,
			    guint64 pos,
			    const guint8 *data,
			    gsize len,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean
hubd_segment_io_write_finish(HubdBlobWriter *writer, GAsyncResult *result, GError **error);

/* hubd_blob_writer_hash_to(`end`); one at a time. */
void
hubd_segment_io_hash_async(HubdBlobWriter *writer,
			   guint64 end,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
gboolean
hubd_segment_io_hash_finish(HubdBlobWriter *writer, GAsyncResult *result, GError **error);

/* `text` (taken: hubd_segment_map_to_text) replaces the writer's map file. */
void
hubd_segment_io_save_async(HubdBlobWriter *writer,
			   gchar *text,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
gboolean
hubd_segment_io_save_finish(HubdBlobWriter *writer, GAsyncResult *result, GError **error);

/* A new link for the bytes: the Location of a HEAD on `resolve_url` (the
 * Hub's, by commit) without following it. */
void
hubd_segment_io_resolve_async(HubdHubApi *api,
			      const gchar *resolve_url,
			      const gchar *filename,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
gchar *
hubd_segment_io_resolve_finish(HubdHubApi *api, GAsyncResult *result, GError **error);

/* The first byte of a 206 answer (its Content-Range); FALSE without one. */
gboolean
hubd_segment_io_range_start(SoupMessageHeaders *headers, guint64 *start);

/* The error of a parallel download whose bytes [start, end) did not arrive
 * after `attempts` in a row; `why` is the last one's error. */
GError *
hubd_segment_io_stalled_error(const gchar *filename,
			      guint64 start,
			      guint64 end,
			      guint attempts,
			      const GError *why);

G_END_DECLS
