/* hubd-s3-request.h: one signed S3 request, sent with retries on SlowDown, 5xx and resets */
#pragma once

#include <libsoup/soup.h>

#include "hubd-s3-config.h"
#include "hubd-s3-credentials.h"

G_BEGIN_DECLS

typedef struct _HubdS3Request HubdS3Request;

/* A request of `method` on `full_key` (NULL: the bucket); `subject` names
 * what it is about in error messages (the key as the caller gave it). */
HubdS3Request *
hubd_s3_request_new(const gchar *method, const gchar *full_key, const gchar *subject);
void
hubd_s3_request_free(HubdS3Request *req);

void
hubd_s3_request_add_query(HubdS3Request *req, const gchar *name, const gchar *value);
void
hubd_s3_request_set_header(HubdS3Request *req, const gchar *name, const gchar *value);
/* The body: its SHA-256 (`sha256`, or computed here when NULL: pass it for
 * large bodies, hashed off the main loop) signs it; a retry sends it again. */
void
hubd_s3_request_set_body(HubdS3Request *req,
			 GBytes *body,
			 const gchar *content_type,
			 const gchar *sha256);

/* Sends `req` (taken): the answer's message and body stream on 2xx. An
 * error answer is read and mapped to HUBD_ERROR (hubd-s3-error.h); SlowDown,
 * 500, 502, 503, 504 and connection failures are retried config->retries
 * times with growing pauses. `credentials` and `config` must outlive it. */
void
hubd_s3_request_send_async(HubdS3Request *req,
			   gpointer source_object,
			   SoupSession *session,
			   const HubdS3Config *config,
			   const HubdS3Credentials *credentials,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
GInputStream *
hubd_s3_request_send_finish(GAsyncResult *result, SoupMessage **msg, GError **error);

/* As send, then reads the answer's body whole (S3's XML answers are small). */
void
hubd_s3_request_fetch_async(HubdS3Request *req,
			    gpointer source_object,
			    SoupSession *session,
			    const HubdS3Config *config,
			    const HubdS3Credentials *credentials,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
GBytes *
hubd_s3_request_fetch_finish(GAsyncResult *result, SoupMessage **msg, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdS3Request, hubd_s3_request_free)

G_END_DECLS
