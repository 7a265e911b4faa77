/* hubd-s3-config.c: an s3:// backend's URL and options, checked at construction (no I/O) */
#define G_LOG_DOMAIN "HubdS3"

#include "hubd-s3-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-error.h"
#include "hubd-s3-sigv4.h"
#include "hubd-storage.h"

#define MiB               (1024 * 1024)
#define GiB               ((guint64)1024 * MiB)
#define DEFAULT_PART_SIZE (8 * MiB)
#define MAX_PART_SIZE     (5 * GiB)
#define MIN_PART_SIZE     (5 * MiB)
#define KNOWN_OPTIONS                                                                    \
	"endpoint, region, addressing, credentials, access-key-id, profile, part-size, " \
	"parallel, retries, ca-bundle"

void
hubd_s3_config_free(HubdS3Config *config)
{
	if (config == NULL)
		return;
	g_free(config->name);
	g_free(config->bucket);
	g_free(config->prefix);
	g_free(config->scheme);
	g_free(config->host);
	g_free(config->base);
	g_free(config->endpoint);
	g_free(config->region);
	g_free(config->access_key_id);
	g_free(config->profile);
	g_free(config->ca_bundle);
	g_free(config);
}

/* S3's bucket naming rules, the part that matters for a URL: 3 to 63
 * lowercase letters, digits, dots and hyphens, starting and ending with a
 * letter or digit. */
static gboolean
bucket_is_valid(const gchar *bucket)
{
	gsize len = strlen(bucket);

	if (len < 3 || len > 63 || !g_ascii_isalnum(bucket[0]) || !g_ascii_isalnum(bucket[len - 1]))
		return FALSE;
	for (const gchar *p = bucket; *p != '\0'; p++) {
		if (!(g_ascii_islower(*p) || g_ascii_isdigit(*p) || *p == '.' || *p == '-'))
			return FALSE;
	}
	return TRUE;
}

static gboolean
parse_url(HubdS3Config *config, const gchar *url, GError **error)
{
	const gchar *rest;
	const gchar *slash;
	g_autofree gchar *prefix = NULL;

	if (!g_str_has_prefix(url, "s3://"))
		goto bad;
	rest = url + strlen("s3://");
	slash = strchr(rest, '/');
	config->bucket = slash != NULL ? g_strndup(rest, (gsize)(slash - rest)) : g_strdup(rest);
	if (!bucket_is_valid(config->bucket))
		goto bad;
	prefix = g_strdup(slash != NULL ? slash + 1 : "");
	g_strstrip(prefix);
	while (prefix[0] != '\0' && prefix[strlen(prefix) - 1] == '/')
		prefix[strlen(prefix) - 1] = '\0';
	if (prefix[0] != '\0' && !hubd_storage_key_validate(prefix, NULL))
		goto bad;
	config->prefix = prefix[0] != '\0' ? g_strconcat(prefix, "/", NULL) : g_strdup("");
	return TRUE;
bad:
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("The storage backend “%s”: “%s” is not an s3:// URL of a bucket "
		      "(s3://BUCKET or s3://BUCKET/PREFIX; a bucket name is 3 to 63 lowercase "
		      "letters, digits, dots and hyphens)"),
		    config->name,
		    url);
	return FALSE;
}

static gboolean
parse_endpoint(HubdS3Config *config, const gchar *endpoint, GError **error)
{
	g_autoptr(GUri) uri = g_uri_parse(endpoint, G_URI_FLAGS_NONE, NULL);
	const gchar *path;

	if (uri == NULL || g_uri_get_host(uri) == NULL || g_uri_get_host(uri)[0] == '\0' ||
	    (g_strcmp0(g_uri_get_scheme(uri), "http") != 0 &&
	     g_strcmp0(g_uri_get_scheme(uri), "https") != 0) ||
	    g_uri_get_query(uri) != NULL || g_uri_get_userinfo(uri) != NULL) {
		g_set_error(
			error,
			HUBD_ERROR,
			HUBD_ERROR_INVALID_ARGUMENT,
			_("The storage backend “%s”: the endpoint “%s” is not an http:// or "
			  "https:// URL of an S3 server (such as https://minio.example.org:9000)"),
			config->name,
			endpoint);
		return FALSE;
	}
	config->endpoint = g_strdup(endpoint);
	config->scheme = g_strdup(g_uri_get_scheme(uri));
	config->host = g_strdup(g_uri_get_host(uri));
	config->port = g_uri_get_port(uri);
	path = g_uri_get_path(uri);
	config->base = g_strdup(path != NULL ? path : "");
	while (config->base[0] != '\0' && config->base[strlen(config->base) - 1] == '/')
		config->base[strlen(config->base) - 1] = '\0';
	return TRUE;
}

static const gchar *
option_string(GVariant *value)
{
	return g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)
		       ? g_variant_get_string(value, NULL)
		       : NULL;
}

static gboolean
option_uint(GVariant *value, guint64 *out)
{
	const gchar *text = option_string(value);

	if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT64)) {
		*out = g_variant_get_uint64(value);
		return TRUE;
	}
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32)) {
		*out = g_variant_get_uint32(value);
		return TRUE;
	}
	return text != NULL && g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, out, NULL);
}

static gboolean
bad_option(HubdS3Config *config, const gchar *key, const gchar *want, GError **error)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("The storage backend “%s”: %s must be %s"),
		    config->name,
		    key,
		    want);
	return FALSE;
}

static gboolean
parse_option(HubdS3Config *config, const gchar *key, GVariant *value, GError **error)
{
	const gchar *text = option_string(value);
	guint64 number = 0;

	if (g_strcmp0(key, "endpoint") == 0) {
		if (text == NULL)
			return bad_option(config, key, _("a URL"), error);
		return parse_endpoint(config, text, error);
	}
	if (g_strcmp0(key, "region") == 0) {
		if (text == NULL || text[0] == '\0' || strpbrk(text, "/ \n") != NULL)
			return bad_option(config, key, _("a region name such as eu-west-1"), error);
		g_free(config->region);
		config->region = g_strdup(text);
		return TRUE;
	}
	if (g_strcmp0(key, "addressing") == 0) {
		if (g_strcmp0(text, "path") != 0 && g_strcmp0(text, "virtual") != 0)
			return bad_option(config, key, _("path or virtual"), error);
		config->path_style = g_strcmp0(text, "path") == 0;
		return TRUE;
	}
	if (g_strcmp0(key, "credentials") == 0) {
		if (g_strcmp0(text, "keyring") == 0)
			config->credentials = HUBD_S3_CREDENTIALS_KEYRING;
		else if (g_strcmp0(text, "env") == 0)
			config->credentials = HUBD_S3_CREDENTIALS_ENV;
		else if (g_strcmp0(text, "profile") == 0)
			config->credentials = HUBD_S3_CREDENTIALS_PROFILE;
		else
			return bad_option(config, key, _("keyring, env or profile"), error);
		return TRUE;
	}
	if (g_strcmp0(key, "access-key-id") == 0 || g_strcmp0(key, "profile") == 0) {
		gchar **slot = key[0] == 'a' ? &config->access_key_id : &config->profile;
		if (text == NULL || text[0] == '\0' || strpbrk(text, " \n/") != NULL)
			return bad_option(config,
					  key,
					  _("a name without spaces or slashes"),
					  error);
		g_free(*slot);
		*slot = g_strdup(text);
		return TRUE;
	}
	if (g_strcmp0(key, "ca-bundle") == 0) {
		if (text == NULL || !g_path_is_absolute(text))
			return bad_option(config, key, _("the absolute path of a PEM file"), error);
		g_free(config->ca_bundle);
		config->ca_bundle = g_strdup(text);
		return TRUE;
	}
	if (g_strcmp0(key, "part-size") == 0) {
		if (!option_uint(value, &number) || number < MIN_PART_SIZE ||
		    number > MAX_PART_SIZE)
			return bad_option(config,
					  key,
					  _("a number of bytes from 5 MiB (5242880) to 5 GiB"),
					  error);
		config->part_size = number;
		return TRUE;
	}
	if (g_strcmp0(key, "parallel") == 0 || g_strcmp0(key, "retries") == 0) {
		if (!option_uint(value, &number) || number > 64 || (number == 0 && key[0] == 'p'))
			return bad_option(config, key, _("a number from 1 to 64"), error);
		if (key[0] == 'p')
			config->parallel = (guint)number;
		else
			config->retries = (guint)number;
		return TRUE;
	}
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("The storage backend “%s” has no option “%s” (known: %s)"),
		    config->name,
		    key,
		    KNOWN_OPTIONS);
	return FALSE;
}

HubdS3Config *
hubd_s3_config_parse(const gchar *name, const gchar *url, GVariant *options, GError **error)
{
	g_autoptr(HubdS3Config) config = g_new0(HubdS3Config, 1);
	gboolean addressing_given = FALSE;

	config->name = g_strdup(name);
	config->region = g_strdup("us-east-1");
	config->part_size = DEFAULT_PART_SIZE;
	config->parallel = 4;
	config->retries = 4;
	config->credentials = HUBD_S3_CREDENTIALS_KEYRING;
	if (!parse_url(config, url, error))
		return NULL;
	if (options != NULL) {
		GVariantIter iter;
		const gchar *key;
		GVariant *value;
		g_variant_iter_init(&iter, options);
		while (g_variant_iter_loop(&iter, "{&sv}", &key, &value)) {
			if (!parse_option(config, key, value, error)) {
				g_variant_unref(value);
				return NULL;
			}
			addressing_given |= g_strcmp0(key, "addressing") == 0;
		}
	}
	if (config->ca_bundle == NULL) {
		/* the AWS CLI's variable for a private CA (MinIO, Ceph RGW in house) */
		const gchar *bundle = g_getenv("AWS_CA_BUNDLE");
		if (bundle != NULL && bundle[0] != '\0')
			config->ca_bundle = g_strdup(bundle);
	}
	if (config->credentials == HUBD_S3_CREDENTIALS_KEYRING && config->access_key_id == NULL) {
		g_set_error(
			error,
			HUBD_ERROR,
			HUBD_ERROR_INVALID_ARGUMENT,
			_("The storage backend “%s” keeps its secret in the keyring and needs "
			  "its access-key-id option (or credentials=env or credentials=profile)"),
			config->name);
		return NULL;
	}
	if (config->endpoint == NULL) {
		/* AWS itself: virtual-hosted, its regional endpoint */
		g_autofree gchar *aws =
			g_strdup_printf("https://s3.%s.amazonaws.com", config->region);
		if (!parse_endpoint(config, aws, error))
			return NULL;
	} else if (!addressing_given) {
		/* MinIO, Ceph RGW, s3rver: rarely a wildcard DNS name per bucket */
		config->path_style = TRUE;
	}
	if (!config->path_style && strchr(config->bucket, '.') != NULL &&
	    g_strcmp0(config->scheme, "https") == 0) {
		/* a dotted bucket breaks the server's wildcard certificate */
		config->path_style = TRUE;
	}
	return g_steal_pointer(&config);
}

gchar *
hubd_s3_config_full_key(const HubdS3Config *config, const gchar *key)
{
	return g_strconcat(config->prefix, key, NULL);
}

gchar *
hubd_s3_config_request_url(const HubdS3Config *config,
			   const gchar *full_key,
			   const gchar *query,
			   gchar **host,
			   gchar **canonical_uri)
{
	g_autofree gchar *key = hubd_s3_uri_encode(full_key != NULL ? full_key : "", FALSE);
	g_autofree gchar *authority = NULL;
	g_autofree gchar *path = NULL;
	gboolean default_port = config->port == -1 ||
				(config->port == 80 && g_strcmp0(config->scheme, "http") == 0) ||
				(config->port == 443 && g_strcmp0(config->scheme, "https") == 0);
	g_autofree gchar *port = default_port ? g_strdup("") : g_strdup_printf(":%d", config->port);

	if (config->path_style) {
		authority = g_strconcat(config->host, port, NULL);
		/* a bucket request is /BUCKET, as AWS's SDKs send (and sign) it */
		path = key[0] != '\0'
			       ? g_strconcat(config->base, "/", config->bucket, "/", key, NULL)
			       : g_strconcat(config->base, "/", config->bucket, NULL);
	} else {
		authority = g_strconcat(config->bucket, ".", config->host, port, NULL);
		path = g_strconcat(config->base, "/", key, NULL);
	}
	if (host != NULL)
		*host = g_strdup(authority);
	if (canonical_uri != NULL)
		*canonical_uri = g_strdup(path);
	return g_strconcat(config->scheme,
			   "://",
			   authority,
			   path,
			   query != NULL && query[0] != '\0' ? "?" : "",
			   query != NULL ? query : "",
			   NULL);
}

guint64
hubd_s3_config_part_size(const HubdS3Config *config, guint number)
{
	guint64 size = config->part_size;

	for (guint n = 1000; n < number && size < MAX_PART_SIZE; n += 1000)
		size *= 2;
	return MIN(size, MAX_PART_SIZE);
}
