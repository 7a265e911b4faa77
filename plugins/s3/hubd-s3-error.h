/* hubd-s3-error.h: S3's error answers as HUBD_ERROR with a message a person understands */
#pragma once

#include "hubd-s3-config.h"

G_BEGIN_DECLS

/* The error for an answer `status` whose XML said `code` and `message`
 * (either may be NULL: a HEAD has no body), about `subject` (a key, or NULL
 * for the bucket). */
GError *
hubd_s3_error_new(const HubdS3Config *config,
		  guint status,
		  const gchar *code,
		  const gchar *message,
		  const gchar *subject);

/* A transport error (connection refused, reset, TLS, DNS) as HUBD_ERROR:
 * cancellation stays Cancelled, the rest is Network naming the endpoint (an
 * untrusted certificate saying how to trust a private CA). */
GError *
hubd_s3_error_from_transport(const HubdS3Config *config, const GError *error);

/* Whether an attempt that failed with `error` may be tried again. */
gboolean
hubd_s3_error_is_retryable(const GError *error);

G_END_DECLS
