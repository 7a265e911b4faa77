/* hubctl-cache-entry.h: the rows of `hubctl cache ls | rm | prune` — Cache.Scan's
 * report as repos or revisions, hf's --filter expressions and --sort keys */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One row of `ls`: a repo, or one of its revisions with --revisions. */
typedef struct {
	GVariant *repo;     /* a{sv} of Scan's repos */
	GVariant *revision; /* a{sv} of its revisions, or NULL */
	gchar *cache_id;    /* "model/alice/demo", hf's cache_id */
} HubctlCacheEntry;

void
hubctl_cache_entry_free(HubctlCacheEntry *e);
/* the string `key` of an a{sv}, "" when missing */
const gchar *
hubctl_cache_dict_str(GVariant *dict, const gchar *key);
guint64
hubctl_cache_entry_size(HubctlCacheEntry *e);
/* "last_accessed" or "last_modified", unix seconds */
gint64
hubctl_cache_entry_time(HubctlCacheEntry *e, const gchar *key);
/* its refs (the repo's, or the revision's), never NULL */
gchar **
hubctl_cache_entry_refs(HubctlCacheEntry *e);

/* Whether `e` passes the filter `expr` (KEY OP VALUE, as hf cache ls); a bad
 * expression sets `error` (G_IO_ERROR_INVALID_ARGUMENT) and returns FALSE. */
gboolean
hubctl_cache_entry_matches(const gchar *expr, HubctlCacheEntry *e, gint64 now, GError **error);

/* KEY[:asc|:desc]; then hubctl_cache_entry_compare() sorts by it (one sort
 * at a time: hubctl is single-threaded) */
gboolean
hubctl_cache_sort_parse(const gchar *text, GError **error);
gint
hubctl_cache_entry_compare(gconstpointer a, gconstpointer b);

/* Every repo of Scan's `report` (or every revision), by cache id then commit. */
GPtrArray *
hubctl_cache_entries_new(GVariant *report, gboolean revisions);

G_END_DECLS
