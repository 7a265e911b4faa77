/* hubd-hub-etag.h: the ETag of a file on the Hub, as the name of its cache blob (pure; fuzzed) */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* "[W/]\"abc\"" -> "abc": the weak prefix and the quotes go, as huggingface_hub's
 * _normalize_etag (docs/hub-download.md §3). NULL unless the rest is 1–128 hex
 * digits (an etag becomes a file name). */
gchar *
hubd_hub_etag_normalize(const gchar *etag);

/* The file's etag from the Hub's answer to HEAD: X-Linked-Etag (an LFS file's
 * SHA-256) when present, else ETag, normalised; NULL when missing or unusable. */
gchar *
hubd_hub_etag_from_headers(SoupMessageHeaders *headers);

G_END_DECLS
