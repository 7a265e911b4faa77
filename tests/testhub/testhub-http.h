/* testhub-http.h: read-side helpers of the local Hub: pure request parsing
 * (path segments, Range), reply plumbing and paging shared by the routes.
 * The pure helpers are unit-tested by testhub-store-test.c.
 */
#pragma once

#include "testhub.h"

G_BEGIN_DECLS

/* ---- pure helpers ---- */

/* Splits an encoded URI path on literal "/" and percent-decodes each segment
 * (so "refs%2Fpr%2F1" stays one segment "refs/pr/1"). The leading "/" and one
 * trailing "/" are ignored. Fails on bad escapes, NUL, empty segments and
 * "." / ".." segments. */
gchar **
testhub_path_split(const gchar *encoded_path, GError **error);
/* TRUE if `path` is a safe repo file path: relative, no empty, "." or ".."
 * components, no backslash, no control characters. */
gboolean
testhub_path_is_valid(const gchar *path);

typedef enum {
	TESTHUB_RANGE_NONE,          /* no (usable) Range header: send everything */
	TESTHUB_RANGE_OK,            /* serve [start, end] inclusive */
	TESTHUB_RANGE_UNSATISFIABLE, /* 416 */
} TesthubRangeResult;

/* Parses a single "bytes=a-b" / "bytes=a-" / "bytes=-n" range against
 * `total`. Malformed values and multiple ranges give NONE (RFC 9110 lets a
 * server ignore them). */
TesthubRangeResult
testhub_parse_range(const gchar *header, guint64 total, guint64 *start, guint64 *end);

/* "true", "True", "1" -> TRUE; NULL -> default */
gboolean
testhub_query_bool(const gchar *value, gboolean default_value);

/* ISO 8601 with milliseconds as the Hub writes it: "2026-09-25T08:49:23.000Z" */
gchar *
testhub_iso_date(gint64 unix_seconds);

/* ---- request query (repeatable keys) ---- */

typedef struct _TesthubQuery TesthubQuery;

TesthubQuery *
testhub_query_parse(const gchar *query);
void
testhub_query_free(TesthubQuery *q);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TesthubQuery, testhub_query_free)
/* first value or NULL */
const gchar *
testhub_query_get(TesthubQuery *q, const gchar *key);
/* all values (borrowed, may be empty) */
GPtrArray *
testhub_query_get_all(TesthubQuery *q, const gchar *key);

/* ---- paging ---- */

/* Page size forced by --page-size / TESTHUB_PAGE_SIZE, 0 when unset. */
void
testhub_set_page_size(guint page_size);
guint
testhub_get_page_size(void);
/* Opaque cursor <-> offset */
gchar *
testhub_cursor_encode(guint offset);
guint
testhub_cursor_decode(const gchar *cursor);
/* Sets `Link: <base_url+path?query-with key=value>; rel="next"`, replacing any
 * previous `key` parameter of the request query. */
void
testhub_set_next_link(TesthubContext *ctx,
		      SoupServerMessage *msg,
		      const gchar *key,
		      const gchar *value);

/* ---- replies ---- */

/* A JSON node holding `object` (ownership taken). */
JsonNode *
testhub_json_node_take_object(JsonObject *object);

/* Every body goes out through here so that body faults (reset, truncate,
 * slow) apply; takes a reference on `body`. */
void
testhub_reply_bytes(SoupServerMessage *msg, guint status, const gchar *content_type, GBytes *body);
/* Hub-style error that also sets extra header `name: value` (e.g. X-Repo-Commit). */
void
testhub_reply_error_with_header(SoupServerMessage *msg,
				guint status,
				const gchar *code,
				const gchar *message,
				const gchar *name,
				const gchar *value);

/* Basic auth (the token as password) counts on the LFS paths only. */
gboolean
testhub_is_lfs_path(SoupServerMessage *msg);
/* The password of a Basic credential's base64 text, or NULL. */
gchar *
testhub_basic_auth_password(const gchar *encoded);

/* Access rules, shared by listing and the routes. */
gboolean
testhub_user_can_read_repo(TesthubContext *ctx, const TesthubUser *user, TesthubRepo *repo);
gboolean
testhub_user_can_write_repo(TesthubContext *ctx,
			    const TesthubUser *user,
			    const TesthubToken *token,
			    TesthubRepo *repo);

G_END_DECLS
