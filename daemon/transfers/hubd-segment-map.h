/* hubd-segment-map.h: which byte ranges of a blob download are on disk — the
 * segments of a parallel download, each with how far it got — and its
 * persisted form, FILE.incomplete.segments, so a restarted daemon fetches
 * only what is missing (docs/hub-download.md §4.6) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	guint64 start; /* first byte */
	guint64 end;   /* one past the last byte */
	guint64 pos;   /* bytes [start, pos) are written */
} HubdSegment;

typedef struct _HubdSegmentMap HubdSegmentMap;

/* [0, size) cut into `n` segments at size * i / n (so odd offsets for odd
 * sizes); bytes below `done` count as written. */
HubdSegmentMap *
hubd_segment_map_new(guint64 size, guint64 done, guint n);
/* The map saved at `path` for a blob of `size` bytes, or NULL when there is
 * none or it does not describe such a blob. */
HubdSegmentMap *
hubd_segment_map_load(const gchar *path, guint64 size);
void
hubd_segment_map_free(HubdSegmentMap *map);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdSegmentMap, hubd_segment_map_free)

/* The text saved by hubd_segment_map_save_text (a snapshot: the map may
 * change while it is written). */
gchar *
hubd_segment_map_to_text(const HubdSegmentMap *map);
/* Written to a temporary file renamed over `path`: a kill at any moment
 * leaves the old map or the new one. */
gboolean
hubd_segment_map_save_text(const gchar *text, const gchar *path, GError **error);
/* FILE.incomplete.segments */
gchar *
hubd_segment_map_path(const gchar *incomplete);

guint
hubd_segment_map_get_count(const HubdSegmentMap *map);
HubdSegment *
hubd_segment_map_get(HubdSegmentMap *map, guint index);
/* Bytes written from byte 0 without a gap. */
guint64
hubd_segment_map_get_prefix(const HubdSegmentMap *map);
/* Bytes written in all segments. */
guint64
hubd_segment_map_get_done(const HubdSegmentMap *map);

G_END_DECLS
