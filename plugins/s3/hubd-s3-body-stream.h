/* hubd-s3-body-stream.h: HubdS3BodyStream, an S3 answer's body that ends only where the server
 * said it would, taken up again where a connection cut it */
#pragma once

#include <gio/gio.h>

#include "hubd-s3-storage.h"

G_BEGIN_DECLS

#define HUBD_TYPE_S3_BODY_STREAM (hubd_s3_body_stream_get_type())
G_DECLARE_FINAL_TYPE(HubdS3BodyStream, hubd_s3_body_stream, HUBD, S3_BODY_STREAM, GInputStream)

/* Registers the type with the plugin's module. */
void
hubd_s3_body_stream_register(GTypeModule *module);

/* Reads `base` (which it closes) as bytes [start, start + length) of the
 * object `key` of `storage`, whose ETag is `etag`. Created in the context
 * the storage runs in. When the body ends early or its connection fails,
 * the rest is asked for again with a range, up to the backend's `retries`
 * times, and only from the same object (its ETag); after that the read
 * fails with a Network error naming the server. Bytes past `length` fail
 * it with ServerError. Reads may be async, or sync in another thread. */
GInputStream *
hubd_s3_body_stream_new(HubdS3Storage *storage,
			GInputStream *base,
			const gchar *key,
			const gchar *etag,
			guint64 start,
			guint64 length);

G_END_DECLS
