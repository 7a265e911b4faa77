/* hubd-s3-credentials.h: an s3:// backend's access key: keyring, environment or AWS profile */
#pragma once

#include <gio/gio.h>

#include "hubd-s3-config.h"

G_BEGIN_DECLS

/* The keyring schema of S3 secrets: attributes "backend" (the backend's
 * name) and "access-key-id"; the secret is the secret access key. Items
 * match by their attributes alone, so that secret-tool can store one. */
#define HUBD_S3_SECRET_SCHEMA_NAME "org.hubd.Hub1.S3Credentials"

typedef struct {
	gchar *access_key_id;
	gchar *secret; /* never logged, never leaves the process but as a signature */
	gchar *session_token;
} HubdS3Credentials;

void
hubd_s3_credentials_free(HubdS3Credentials *credentials);

/* Loads what `config` says (reading the keyring or the credentials file off
 * the main loop). No credentials is HUBD_ERROR_UNAUTHORIZED saying where they
 * were looked for. `config` must outlive the call. */
void
hubd_s3_credentials_load_async(const HubdS3Config *config,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
HubdS3Credentials *
hubd_s3_credentials_load_finish(GAsyncResult *result, GError **error);

/* Stores `secret` for the backend `name` and key `access_key_id` in the
 * keyring, replacing what was stored for that backend; a NULL `secret`
 * only removes what was stored (access_key_id may then be NULL). */
void
hubd_s3_credentials_store_async(const gchar *name,
				const gchar *access_key_id,
				const gchar *secret,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
gboolean
hubd_s3_credentials_store_finish(GAsyncResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdS3Credentials, hubd_s3_credentials_free)

G_END_DECLS
