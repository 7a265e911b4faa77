/* hubd-s3-config.h: an s3:// backend's settings, parsed from its URL and options (docs/s3.md) */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
	HUBD_S3_CREDENTIALS_KEYRING, /* the secret in the keyring, the key id in the options */
	HUBD_S3_CREDENTIALS_ENV,     /* AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY */
	HUBD_S3_CREDENTIALS_PROFILE, /* ~/.aws/credentials */
} HubdS3CredentialsSource;

/* Read-only once parsed: requests on any thread may read it. */
typedef struct {
	gchar *name;     /* the backend's name */
	gchar *bucket;   /* the bucket of s3://BUCKET/PREFIX */
	gchar *prefix;   /* "" or "PREFIX/": prepended to every key */
	gchar *scheme;   /* of the endpoint: http or https */
	gchar *host;     /* of the endpoint, without the bucket */
	gint port;       /* -1: the scheme's */
	gchar *base;     /* the endpoint's path, "" or "/path" without a trailing slash */
	gchar *endpoint; /* the endpoint URL as the user gave it (messages) */
	gchar *region;
	gboolean path_style;
	HubdS3CredentialsSource credentials;
	gchar *access_key_id; /* keyring: which key (required) */
	gchar *profile;       /* profile: the section of the credentials file */
	guint64 part_size;    /* the first parts of a multipart put */
	guint parallel;       /* parts in flight at once */
	guint retries;        /* attempts after the first on SlowDown, 5xx, a reset */
	gchar *ca_bundle;     /* PEM file of the CAs to trust, NULL: the system's */
} HubdS3Config;

HubdS3Config *
hubd_s3_config_parse(const gchar *name, const gchar *url, GVariant *options, GError **error);
void
hubd_s3_config_free(HubdS3Config *config);

/* The full key of `key`: the prefix prepended. */
gchar *
hubd_s3_config_full_key(const HubdS3Config *config, const gchar *key);

/* The request URL of `full_key` (NULL: the bucket), `query` the canonical
 * query ("" for none), and the Host header value and canonical URI to sign. */
gchar *
hubd_s3_config_request_url(const HubdS3Config *config,
			   const gchar *full_key,
			   const gchar *query,
			   gchar **host,
			   gchar **canonical_uri);

/* The size of part `number` of a put of unknown length: part_size for the
 * first thousand parts, doubling every thousand after (capped at 5 GiB), so
 * that 10,000 parts hold more than 5 TiB. */
guint64
hubd_s3_config_part_size(const HubdS3Config *config, guint number);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdS3Config, hubd_s3_config_free)

G_END_DECLS
