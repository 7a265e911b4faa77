/* hubd-s3-body-stream.h: HubdS3BodyStream, an S3 answer's body that ends only where the server
 * said it would */
#pragma once

#include <gio/gio.h>

#include "hubd-s3-config.h"

G_BEGIN_DECLS

#define HUBD_TYPE_S3_BODY_STREAM (hubd_s3_body_stream_get_type())
G_DECLARE_FINAL_TYPE(HubdS3BodyStream,
		     hubd_s3_body_stream,
		     HUBD,
		     S3_BODY_STREAM,
		     GFilterInputStream)

/* Registers the type with the plugin's module. */
void
hubd_s3_body_stream_register(GTypeModule *module);

/* Reads `base` (which it closes) as the body of `key`, `length` bytes long:
 * an end before that, or bytes past it, fail the read with a Network error
 * naming the server of `config`; a transport error becomes Network too. */
GInputStream *
hubd_s3_body_stream_new(GInputStream *base,
			guint64 length,
			const HubdS3Config *config,
			const gchar *key);

G_END_DECLS
