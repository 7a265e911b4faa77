/* hubd-s3-xml.h: reading S3's XML answers: errors, listings, multipart uploads */
#pragma once

#include <gio/gio.h>

#include "hubd-storage-object.h"

G_BEGIN_DECLS

/* The answer `xml` as its root element's name and the text of each child of
 * the root (`fields`: name → text, the first of each name), and of each
 * `record` element under the root (`records`: GHashTables of the same kind),
 * or FALSE when it is not XML. */
gboolean
hubd_s3_xml_read(GBytes *xml,
		 const gchar *record,
		 gchar **root,
		 GHashTable **fields,
		 GPtrArray **records,
		 GError **error);

/* The Code and Message of an <Error> answer; FALSE when it is not one. */
gboolean
hubd_s3_xml_read_error(GBytes *xml, gchar **code, gchar **message);

/* A ListObjectsV2 answer: its objects with `strip` (the backend's prefix)
 * taken off their keys, and the next continuation token (NULL: the last). */
GPtrArray *
hubd_s3_xml_read_list(GBytes *xml, const gchar *strip, gchar **next_token, GError **error);

/* "an ETag" → an ETag: S3 quotes them. */
gchar *
hubd_s3_xml_unquote_etag(const gchar *etag);

/* An ISO 8601 LastModified, or an HTTP date; now when missing or bad. */
GDateTime *
hubd_s3_xml_parse_time(const gchar *text);

/* `text` with &, <, >, " escaped for an XML body. */
gchar *
hubd_s3_xml_escape(const gchar *text);

G_END_DECLS
