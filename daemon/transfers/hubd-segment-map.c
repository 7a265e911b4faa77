/* hubd-segment-map.c: the segments of a parallel download and their file.
 *
 * The file is a few lines of text:
 *
 *   hubd-segments 1 SIZE
 *   START END POS      (one line per segment, in order, covering [0, SIZE))
 *
 * It only ever claims bytes that were written before it was saved, and every
 * byte written is the blob's own byte at its own offset, so an old map is
 * never wrong, only behind. */
#define G_LOG_DOMAIN "HubdTransfer"

#include "hubd-segment-map.h"

#include <gio/gio.h>
#include <stdlib.h>

#define MAGIC "hubd-segments 1"

struct _HubdSegmentMap {
	guint64 size;
	GArray *segs; /* HubdSegment */
};

static HubdSegmentMap *
hubd_segment_map_alloc(guint64 size)
{
	HubdSegmentMap *map = g_new0(HubdSegmentMap, 1);

	map->size = size;
	map->segs = g_array_new(FALSE, TRUE, sizeof(HubdSegment));
	return map;
}

HubdSegmentMap *
hubd_segment_map_new(guint64 size, guint64 done, guint n)
{
	HubdSegmentMap *map = hubd_segment_map_alloc(size);

	n = (guint)CLAMP((guint64)n, 1, MAX(size, 1));
	for (guint i = 0; i < n; i++) {
		HubdSegment s;

		/* size * i / n without overflow for any size below 2^64 / n */
		s.start = size / n * i + size % n * i / n;
		s.end = i + 1 == n ? size : size / n * (i + 1) + size % n * (i + 1) / n;
		s.pos = CLAMP(done, s.start, s.end);
		g_array_append_val(map->segs, s);
	}
	return map;
}

void
hubd_segment_map_free(HubdSegmentMap *map)
{
	if (map == NULL)
		return;
	g_array_unref(map->segs);
	g_free(map);
}

HubdSegmentMap *
hubd_segment_map_load(const gchar *path, guint64 size)
{
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(HubdSegmentMap) map = NULL;
	guint64 want = 0;
	gchar *end = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	lines = g_strsplit(text, "\n", -1);
	if (lines[0] == NULL || !g_str_has_prefix(lines[0], MAGIC " "))
		return NULL;
	if (g_ascii_strtoull(lines[0] + strlen(MAGIC " "), &end, 10) != size || *end != '\0')
		return NULL;
	map = hubd_segment_map_alloc(size);
	for (guint i = 1; lines[i] != NULL; i++) {
		HubdSegment s;
		gchar *p = lines[i];

		if (*p == '\0')
			continue;
		s.start = g_ascii_strtoull(p, &p, 10);
		s.end = g_ascii_strtoull(p, &p, 10);
		s.pos = g_ascii_strtoull(p, &p, 10);
		/* the segments must tile [0, size) exactly */
		if (*p != '\0' || s.start != want || s.end <= s.start || s.end > size ||
		    s.pos < s.start || s.pos > s.end)
			return NULL;
		want = s.end;
		g_array_append_val(map->segs, s);
	}
	if (want != size)
		return NULL;
	return g_steal_pointer(&map);
}

gchar *
hubd_segment_map_to_text(const HubdSegmentMap *map)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, MAGIC " %" G_GUINT64_FORMAT "\n", map->size);
	for (guint i = 0; i < map->segs->len; i++) {
		const HubdSegment *seg = &g_array_index(map->segs, HubdSegment, i);

		g_string_append_printf(s,
				       "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
				       " %" G_GUINT64_FORMAT "\n",
				       seg->start,
				       seg->end,
				       seg->pos);
	}
	return g_string_free(s, FALSE);
}

gboolean
hubd_segment_map_save_text(const gchar *text, const gchar *path, GError **error)
{
	/* consistent (temporary file and rename): the map must survive a
	 * killed daemon. GLib also fsyncs the new file before the rename
	 * (outside btrfs); a save without it measured no faster on a 1 GiB
	 * download in segments, and a stale map after a power cut would only
	 * cost bytes fetched twice. */
	return g_file_set_contents_full(path,
					text,
					-1,
					G_FILE_SET_CONTENTS_CONSISTENT,
					0644,
					error);
}

gchar *
hubd_segment_map_path(const gchar *incomplete)
{
	return g_strconcat(incomplete, ".segments", NULL);
}

guint
hubd_segment_map_get_count(const HubdSegmentMap *map)
{
	return map->segs->len;
}

HubdSegment *
hubd_segment_map_get(HubdSegmentMap *map, guint index)
{
	g_return_val_if_fail(index < map->segs->len, NULL);
	return &g_array_index(map->segs, HubdSegment, index);
}

guint64
hubd_segment_map_get_prefix(const HubdSegmentMap *map)
{
	for (guint i = 0; i < map->segs->len; i++) {
		const HubdSegment *seg = &g_array_index(map->segs, HubdSegment, i);

		if (seg->pos < seg->end)
			return seg->pos;
	}
	return map->size;
}

guint64
hubd_segment_map_get_done(const HubdSegmentMap *map)
{
	guint64 done = 0;

	for (guint i = 0; i < map->segs->len; i++) {
		const HubdSegment *seg = &g_array_index(map->segs, HubdSegment, i);

		done += seg->pos - seg->start;
	}
	return done;
}
