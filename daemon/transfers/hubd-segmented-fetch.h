/* hubd-segmented-fetch.h: one big blob fetched as several byte ranges at
 * once, written at their offsets and hashed in order as the prefix
 * completes (docs/hub-download.md §4.6) */
#pragma once

#include "hubd-blob-writer.h"
#include "hubd-hub-api.h"

G_BEGIN_DECLS

#define HUBD_TYPE_SEGMENTED_FETCH (hubd_segmented_fetch_get_type())
G_DECLARE_FINAL_TYPE(HubdSegmentedFetch, hubd_segmented_fetch, HUBD, SEGMENTED_FETCH, GObject)

/* Bytes received (negative: taken back), on the main loop. */
typedef void (*HubdSegmentedProgressFunc)(gint64 delta, gpointer user_data);

typedef struct {
	HubdHubApi *api;
	HubdBlobWriter *writer; /* opened; its prefix `offset` is hashed */
	guint64 offset;
	const gchar *url; /* the CDN URL (or the Hub's, for regular files) */
	/* where a new `url` comes from when the CDN refuses an expired one
	 * (403): a HEAD without redirects; NULL when `url` is the Hub's */
	const gchar *resolve_url;
	const gchar *filename; /* for messages */
	guint64 size;
	guint connections; /* the most to use at once */
	/* a first connection bringing this many bytes per second or more
	 * keeps the file to itself (0: always split) */
	guint64 one_stream_rate;
	guint retry_base_ms;
	HubdSegmentedProgressFunc progress;
	gpointer progress_data;
} HubdSegmentedFetchSpec;

HubdSegmentedFetch *
hubd_segmented_fetch_new(const HubdSegmentedFetchSpec *spec);

/* Fetches what the writer lacks. Succeeds once every byte before
 * `continue_at` is written and hashed: the whole file (the caller then
 * completes the writer), or less when the first connection was fast enough
 * alone (the caller fetches the rest as one stream from there, with
 * hubd_blob_writer_continue_at()). G_IO_ERROR_NOT_SUPPORTED: the server
 * answered a range with the whole file; nothing is in flight and the caller
 * fetches it as one stream. Cancelling leaves the .incomplete and its map for
 * a later resume. */
void
hubd_segmented_fetch_run_async(HubdSegmentedFetch *self,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
hubd_segmented_fetch_run_finish(HubdSegmentedFetch *self,
				GAsyncResult *result,
				guint64 *continue_at,
				GError **error);

G_END_DECLS
