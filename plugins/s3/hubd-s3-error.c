/* hubd-s3-error.c: S3 error codes (the S3 API reference's "Error responses" list) as
 * HUBD_ERROR codes, with messages that say what to do */
#define G_LOG_DOMAIN "HubdS3"

#include "hubd-s3-error.h"

#include <glib/gi18n.h>

#include "hubd-error.h"

GError *
hubd_s3_error_new(const HubdS3Config *config,
		  guint status,
		  const gchar *code,
		  const gchar *message,
		  const gchar *subject)
{
	g_autofree gchar *shown = subject != NULL ? g_strdup(subject) : NULL;
	g_autofree gchar *said = NULL;

	if (code == NULL) {
		/* a HEAD, or a proxy's page: only the status speaks */
		if (status == 404)
			code = subject != NULL ? "NoSuchKey" : "NoSuchBucket";
		else if (status == 403)
			code = "AccessDenied";
		else if (status == 503)
			code = "SlowDown";
		else if (status == 416)
			code = "InvalidRange";
		else if (status == 400)
			code = "BadRequest";
	}
	said = g_strdup_printf("%s%s%s",
			       code != NULL ? code : "",
			       message != NULL && message[0] != '\0' ? ": " : "",
			       message != NULL ? message : "");

	if (g_strcmp0(code, "NoSuchKey") == 0)
		return g_error_new(HUBD_ERROR,
				   HUBD_ERROR_ENTRY_NOT_FOUND,
				   _("There is no object “%s” in the storage backend “%s”"),
				   shown != NULL ? shown : "",
				   config->name);
	if (g_strcmp0(code, "NoSuchUpload") == 0)
		return g_error_new(
			HUBD_ERROR,
			HUBD_ERROR_ENTRY_NOT_FOUND,
			_("The multipart upload of “%s” in the storage backend “%s” does "
			  "not exist (completed, aborted or never begun)"),
			shown != NULL ? shown : "",
			config->name);
	if (g_strcmp0(code, "NoSuchBucket") == 0)
		return g_error_new(HUBD_ERROR,
				   HUBD_ERROR_INVALID_ARGUMENT,
				   _("The storage backend “%s”: the bucket “%s” does not exist at "
				     "%s"),
				   config->name,
				   config->bucket,
				   config->endpoint);
	if (g_strcmp0(code, "InvalidAccessKeyId") == 0)
		return g_error_new(HUBD_ERROR,
				   HUBD_ERROR_UNAUTHORIZED,
				   _("The S3 server %s does not know the access key id of the "
				     "storage backend “%s”"),
				   config->endpoint,
				   config->name);
	if (g_strcmp0(code, "SignatureDoesNotMatch") == 0)
		return g_error_new(
			HUBD_ERROR,
			HUBD_ERROR_UNAUTHORIZED,
			_("The S3 server %s refused the signature of the storage backend "
			  "“%s”: its secret access key is wrong"),
			config->endpoint,
			config->name);
	if (g_strcmp0(code, "ExpiredToken") == 0 || g_strcmp0(code, "InvalidToken") == 0)
		return g_error_new(HUBD_ERROR,
				   HUBD_ERROR_UNAUTHORIZED,
				   _("The S3 server %s refused the session token of the storage "
				     "backend “%s” (%s)"),
				   config->endpoint,
				   config->name,
				   said);
	if (g_strcmp0(code, "AuthorizationHeaderMalformed") == 0 ||
	    g_strcmp0(code, "PermanentRedirect") == 0 || status == 301)
		return g_error_new(
			HUBD_ERROR,
			HUBD_ERROR_INVALID_ARGUMENT,
			_("The storage backend “%s”: the bucket “%s” is not served by %s "
			  "in the region %s; set its region or endpoint (%s)"),
			config->name,
			config->bucket,
			config->endpoint,
			config->region,
			said);
	if (g_strcmp0(code, "AccessDenied") == 0 || g_strcmp0(code, "AllAccessDisabled") == 0)
		return g_error_new(HUBD_ERROR,
				   HUBD_ERROR_FORBIDDEN,
				   _("The S3 server %s denied the storage backend “%s” access to "
				     "“%s” in the bucket “%s”"),
				   config->endpoint,
				   config->name,
				   shown != NULL ? shown : "/",
				   config->bucket);
	if (g_strcmp0(code, "SlowDown") == 0 || status == 429)
		return g_error_new(HUBD_ERROR,
				   HUBD_ERROR_RATE_LIMITED,
				   _("The S3 server %s asks the storage backend “%s” to slow down "
				     "(%s)"),
				   config->endpoint,
				   config->name,
				   said);
	if (g_strcmp0(code, "InvalidPart") == 0 || g_strcmp0(code, "InvalidPartOrder") == 0 ||
	    g_strcmp0(code, "EntityTooSmall") == 0 || g_strcmp0(code, "InvalidRange") == 0 ||
	    g_strcmp0(code, "EntityTooLarge") == 0 || g_strcmp0(code, "KeyTooLongError") == 0 ||
	    g_strcmp0(code, "InvalidArgument") == 0)
		return g_error_new(
			HUBD_ERROR,
			HUBD_ERROR_INVALID_ARGUMENT,
			_("The S3 server %s refused “%s” in the storage backend “%s”: %s"),
			config->endpoint,
			shown != NULL ? shown : "/",
			config->name,
			said);
	/* only a resumed get sends a precondition (If-Match on its ETag) */
	if (g_strcmp0(code, "PreconditionFailed") == 0 || status == 412)
		return g_error_new(HUBD_ERROR,
				   HUBD_ERROR_CONFLICT,
				   _("“%s” changed while it was read"),
				   shown != NULL ? shown : "/");
	if (status >= 500)
		return g_error_new(HUBD_ERROR,
				   HUBD_ERROR_SERVER,
				   _("The S3 server %s failed (HTTP %u%s%s)"),
				   config->endpoint,
				   status,
				   said[0] != '\0' ? ", " : "",
				   said);
	return g_error_new(HUBD_ERROR,
			   HUBD_ERROR_BAD_REQUEST,
			   _("The S3 server %s refused a request of the storage backend “%s” "
			     "(HTTP %u%s%s)"),
			   config->endpoint,
			   config->name,
			   status,
			   said[0] != '\0' ? ", " : "",
			   said);
}

GError *
hubd_s3_error_from_transport(const HubdS3Config *config, const GError *error)
{
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
	    g_error_matches(error, HUBD_ERROR, HUBD_ERROR_CANCELLED))
		return g_error_new_literal(HUBD_ERROR, HUBD_ERROR_CANCELLED, _("Cancelled"));
	if (error->domain == HUBD_ERROR)
		return g_error_copy(error);
	if (g_error_matches(error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
		return g_error_new(
			HUBD_ERROR,
			HUBD_ERROR_NETWORK,
			_("The S3 server %s of the storage backend “%s” has a TLS "
			  "certificate that is not trusted (%s); a private CA can be given "
			  "with the backend's ca-bundle option or AWS_CA_BUNDLE"),
			config->endpoint,
			config->name,
			error->message);
	return g_error_new(HUBD_ERROR,
			   HUBD_ERROR_NETWORK,
			   _("Cannot reach the S3 server %s of the storage backend “%s”: %s"),
			   config->endpoint,
			   config->name,
			   error->message);
}

gboolean
hubd_s3_error_is_retryable(const GError *error)
{
	return g_error_matches(error, HUBD_ERROR, HUBD_ERROR_RATE_LIMITED) ||
	       g_error_matches(error, HUBD_ERROR, HUBD_ERROR_SERVER) ||
	       g_error_matches(error, HUBD_ERROR, HUBD_ERROR_NETWORK);
}
