/* hubd-s3-sigv4.h: AWS Signature Version 4, as S3 wants it (docs/s3.md) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The payload hash of a body hubd streams without reading it first. */
#define HUBD_S3_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

/* AWS's UriEncode(): every byte but A-Z a-z 0-9 - _ . ~ as %XY (uppercase),
 * and `/` kept unless `encode_slash`. */
gchar *
hubd_s3_uri_encode(const gchar *text, gboolean encode_slash);

/* The lowercase hex SHA-256 of `data`. */
gchar *
hubd_s3_sha256_hex(const guint8 *data, gsize len);

/* The canonical query string of `params` (name, value, name, value, ..., NULL;
 * raw, not yet encoded): each encoded, sorted by name then value, "&"-joined;
 * a NULL value is an empty one ("lifecycle="). */
gchar *
hubd_s3_sigv4_canonical_query(const gchar *const *params);

/* The canonical request. `canonical_uri` is already encoded; `headers` are
 * name, value pairs (NULL-terminated) of every header to sign; the names are
 * lowercased and sorted, the values trimmed with inner runs of spaces folded.
 * `signed_headers` receives the "a;b;c" list. */
gchar *
hubd_s3_sigv4_canonical_request(const gchar *method,
				const gchar *canonical_uri,
				const gchar *canonical_query,
				const gchar *const *headers,
				const gchar *payload_hash,
				gchar **signed_headers);

/* "DATE/REGION/SERVICE/aws4_request" for an `amz_date` such as
 * 20130524T000000Z. */
gchar *
hubd_s3_sigv4_scope(const gchar *amz_date, const gchar *region, const gchar *service);

gchar *
hubd_s3_sigv4_string_to_sign(const gchar *amz_date,
			     const gchar *scope,
			     const gchar *canonical_request);

/* The hex signature of `string_to_sign` with the key derived from `secret`. */
gchar *
hubd_s3_sigv4_signature(const gchar *secret,
			const gchar *amz_date,
			const gchar *region,
			const gchar *service,
			const gchar *string_to_sign);

/* The whole Authorization header value for a canonical request. */
gchar *
hubd_s3_sigv4_authorization(const gchar *access_key_id,
			    const gchar *secret,
			    const gchar *amz_date,
			    const gchar *region,
			    const gchar *service,
			    const gchar *canonical_request,
			    const gchar *signed_headers);

/* `time` as x-amz-date wants it: 20130524T000000Z (UTC). */
gchar *
hubd_s3_sigv4_amz_date(GDateTime *time);

G_END_DECLS
