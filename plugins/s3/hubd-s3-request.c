/* hubd-s3-request.c: building, signing and sending one S3 request; error answers read and
 * mapped; SlowDown, 5xx and resets retried with the same signed body */
#define G_LOG_DOMAIN "HubdS3"

#include "hubd-s3-request.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-s3-error.h"
#include "hubd-s3-sigv4.h"
#include "hubd-s3-xml.h"

/* error answers are short XML; more is not read */
#define MAX_ERROR_BODY (64 * 1024)
#define FIRST_PAUSE_MS 200

struct _HubdS3Request {
	gchar *method;
	gchar *full_key;
	gchar *subject;
	GPtrArray *query;   /* name, value, ... (raw) */
	GPtrArray *headers; /* name, value, ... */
	GBytes *body;
	gchar *content_type;
	gchar *payload_hash;
};

typedef struct {
	HubdS3Request *req;
	SoupSession *session;
	const HubdS3Config *config;
	const HubdS3Credentials *credentials;
	SoupMessage *msg;
	GInputStream *stream;
	guint attempt;
	gboolean fetch; /* read the body whole */
	GBytes *answer;
} Send;

HubdS3Request *
hubd_s3_request_new(const gchar *method, const gchar *full_key, const gchar *subject)
{
	HubdS3Request *req = g_new0(HubdS3Request, 1);

	req->method = g_strdup(method);
	req->full_key = g_strdup(full_key);
	req->subject = g_strdup(subject);
	req->query = g_ptr_array_new_with_free_func(g_free);
	req->headers = g_ptr_array_new_with_free_func(g_free);
	req->payload_hash = hubd_s3_sha256_hex((const guint8 *)"", 0);
	return req;
}

void
hubd_s3_request_free(HubdS3Request *req)
{
	if (req == NULL)
		return;
	g_free(req->method);
	g_free(req->full_key);
	g_free(req->subject);
	g_ptr_array_unref(req->query);
	g_ptr_array_unref(req->headers);
	g_clear_pointer(&req->body, g_bytes_unref);
	g_free(req->content_type);
	g_free(req->payload_hash);
	g_free(req);
}

void
hubd_s3_request_add_query(HubdS3Request *req, const gchar *name, const gchar *value)
{
	g_ptr_array_add(req->query, g_strdup(name));
	g_ptr_array_add(req->query, g_strdup(value != NULL ? value : ""));
}

void
hubd_s3_request_set_header(HubdS3Request *req, const gchar *name, const gchar *value)
{
	g_ptr_array_add(req->headers, g_strdup(name));
	g_ptr_array_add(req->headers, g_strdup(value));
}

void
hubd_s3_request_set_body(HubdS3Request *req,
			 GBytes *body,
			 const gchar *content_type,
			 const gchar *sha256)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(body, &len);

	g_clear_pointer(&req->body, g_bytes_unref);
	req->body = g_bytes_ref(body);
	g_free(req->content_type);
	req->content_type = g_strdup(content_type);
	g_free(req->payload_hash);
	req->payload_hash =
		sha256 != NULL ? g_strdup(sha256)
			       : hubd_s3_sha256_hex(data != NULL ? data : (const guint8 *)"", len);
}

static void
send_free(Send *s)
{
	hubd_s3_request_free(s->req);
	g_clear_object(&s->session);
	g_clear_object(&s->msg);
	g_clear_object(&s->stream);
	g_clear_pointer(&s->answer, g_bytes_unref);
	g_free(s);
}

/* A fresh message for this attempt, signed now. */
static SoupMessage *
build_message(Send *s)
{
	HubdS3Request *req = s->req;
	const HubdS3Config *config = s->config;
	g_autoptr(GPtrArray) query = g_ptr_array_new();
	g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree gchar *amz_date = hubd_s3_sigv4_amz_date(now);
	g_autofree gchar *canonical_query = NULL;
	g_autofree gchar *host = NULL;
	g_autofree gchar *canonical_uri = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *canonical = NULL;
	g_autofree gchar *signed_headers = NULL;
	g_autofree gchar *authorization = NULL;
	SoupMessage *msg;
	SoupMessageHeaders *out;

	for (guint i = 0; i < req->query->len; i++)
		g_ptr_array_add(query, req->query->pdata[i]);
	g_ptr_array_add(query, NULL);
	canonical_query = hubd_s3_sigv4_canonical_query((const gchar *const *)query->pdata);
	url = hubd_s3_config_request_url(config,
					 req->full_key,
					 canonical_query,
					 &host,
					 &canonical_uri);
	msg = soup_message_new(req->method, url);
	if (msg == NULL)
		return NULL;
	out = soup_message_get_request_headers(msg);

	g_ptr_array_add(headers, g_strdup("host"));
	g_ptr_array_add(headers, g_strdup(host));
	g_ptr_array_add(headers, g_strdup("x-amz-date"));
	g_ptr_array_add(headers, g_strdup(amz_date));
	g_ptr_array_add(headers, g_strdup("x-amz-content-sha256"));
	g_ptr_array_add(headers, g_strdup(req->payload_hash));
	if (s->credentials->session_token != NULL) {
		g_ptr_array_add(headers, g_strdup("x-amz-security-token"));
		g_ptr_array_add(headers, g_strdup(s->credentials->session_token));
	}
	for (guint i = 0; i < req->headers->len; i++)
		g_ptr_array_add(headers, g_strdup(req->headers->pdata[i]));
	if (req->body != NULL && req->content_type != NULL) {
		g_ptr_array_add(headers, g_strdup("content-type"));
		g_ptr_array_add(headers, g_strdup(req->content_type));
	}
	g_ptr_array_add(headers, NULL);
	for (guint i = 0; headers->pdata[i] != NULL; i += 2) {
		/* libsoup writes Host from the URL; the rest as given */
		if (g_ascii_strcasecmp(headers->pdata[i], "host") != 0 &&
		    g_ascii_strcasecmp(headers->pdata[i], "content-type") != 0)
			soup_message_headers_replace(out, headers->pdata[i], headers->pdata[i + 1]);
	}
	canonical = hubd_s3_sigv4_canonical_request(req->method,
						    canonical_uri,
						    canonical_query,
						    (const gchar *const *)headers->pdata,
						    req->payload_hash,
						    &signed_headers);
	authorization = hubd_s3_sigv4_authorization(s->credentials->access_key_id,
						    s->credentials->secret,
						    amz_date,
						    config->region,
						    "s3",
						    canonical,
						    signed_headers);
	soup_message_headers_replace(out, "Authorization", authorization);
	if (req->body != NULL)
		soup_message_set_request_body_from_bytes(msg, req->content_type, req->body);
	else if (g_strcmp0(req->method, "PUT") == 0 || g_strcmp0(req->method, "POST") == 0)
		soup_message_headers_set_content_length(out, 0);
	return msg;
}

static void
attempt(GTask *task);

static gboolean
retry_cb(gpointer user_data)
{
	attempt(G_TASK(user_data));
	g_object_unref(user_data);
	return G_SOURCE_REMOVE;
}

/* The attempt failed with `error` (taken): again after a pause, or the end. */
static void
failed(GTask *task, GError *error)
{
	Send *s = g_task_get_task_data(task);

	g_clear_object(&s->msg);
	g_clear_object(&s->stream);
	if (hubd_s3_error_is_retryable(error) && s->attempt <= s->config->retries &&
	    !g_cancellable_is_cancelled(g_task_get_cancellable(task))) {
		guint pause = FIRST_PAUSE_MS << MIN(s->attempt - 1, 6);
		g_debug("%s %s: %s; trying again in %u ms",
			s->req->method,
			s->req->subject != NULL ? s->req->subject : "/",
			error->message,
			pause);
		g_error_free(error);
		g_timeout_add(pause, retry_cb, g_object_ref(task));
		return;
	}
	g_task_return_error(task, error);
}

static void
error_body_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Send *s = g_task_get_task_data(task);
	g_autoptr(GBytes) body =
		g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, NULL);
	g_autofree gchar *code = NULL;
	g_autofree gchar *message = NULL;
	guint status = soup_message_get_status(s->msg);

	if (body != NULL)
		hubd_s3_xml_read_error(body, &code, &message);
	failed(task, hubd_s3_error_new(s->config, status, code, message, s->req->subject));
}

static void
fetched_cb(GObject *source, GAsyncResult *res, gpointer user_data);

static void
sent_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Send *s = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	guint status;

	s->stream = soup_session_send_finish(SOUP_SESSION(source), res, &error);
	if (g_error_matches(error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE)) {
		/* no retry makes a certificate trusted */
		g_task_return_error(task, hubd_s3_error_from_transport(s->config, error));
		return;
	}
	if (s->stream == NULL) {
		failed(task, hubd_s3_error_from_transport(s->config, error));
		return;
	}
	status = soup_message_get_status(s->msg);
	if (status < 200 || status >= 300) {
		{
			GCancellable *cancellable = g_task_get_cancellable(task);
			g_input_stream_read_bytes_async(s->stream,
							MAX_ERROR_BODY,
							G_PRIORITY_DEFAULT,
							cancellable,
							error_body_cb,
							g_steal_pointer(&task));
		}
		return;
	}
	if (s->fetch) {
		g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable();
		{
			GCancellable *cancellable = g_task_get_cancellable(task);
			g_output_stream_splice_async(sink,
						     s->stream,
						     G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
						     G_PRIORITY_DEFAULT,
						     cancellable,
						     fetched_cb,
						     g_steal_pointer(&task));
		}
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
fetched_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Send *s = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	if (g_output_stream_splice_finish(G_OUTPUT_STREAM(source), res, &error) < 0) {
		failed(task, hubd_s3_error_from_transport(s->config, error));
		return;
	}
	s->answer = g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(source));
	g_task_return_boolean(task, TRUE);
}

static void
attempt(GTask *task)
{
	Send *s = g_task_get_task_data(task);

	s->attempt++;
	s->msg = build_message(s);
	if (s->msg == NULL) {
		g_task_return_new_error(
			task,
			HUBD_ERROR,
			HUBD_ERROR_INVALID_ARGUMENT,
			_("The storage backend “%s” cannot make a URL of its endpoint "
			  "%s"),
			s->config->name,
			s->config->endpoint);
		return;
	}
	soup_session_send_async(s->session,
				s->msg,
				G_PRIORITY_DEFAULT,
				g_task_get_cancellable(task),
				sent_cb,
				g_object_ref(task));
}

static void
start(HubdS3Request *req,
      gpointer source_object,
      gboolean fetch,
      SoupSession *session,
      const HubdS3Config *config,
      const HubdS3Credentials *credentials,
      GCancellable *cancellable,
      GAsyncReadyCallback callback,
      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(source_object, cancellable, callback, user_data);
	Send *s = g_new0(Send, 1);

	s->req = req;
	s->session = g_object_ref(session);
	s->config = config;
	s->credentials = credentials;
	s->fetch = fetch;
	g_task_set_source_tag(task,
			      fetch ? (gpointer)hubd_s3_request_fetch_async
				    : (gpointer)hubd_s3_request_send_async);
	g_task_set_task_data(task, s, (GDestroyNotify)send_free);
	attempt(task);
}

void
hubd_s3_request_send_async(HubdS3Request *req,
			   gpointer source_object,
			   SoupSession *session,
			   const HubdS3Config *config,
			   const HubdS3Credentials *credentials,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	start(req,
	      source_object,
	      FALSE,
	      session,
	      config,
	      credentials,
	      cancellable,
	      callback,
	      user_data);
}

GInputStream *
hubd_s3_request_send_finish(GAsyncResult *result, SoupMessage **msg, GError **error)
{
	Send *s = g_task_get_task_data(G_TASK(result));

	if (!g_task_propagate_boolean(G_TASK(result), error))
		return NULL;
	if (msg != NULL)
		*msg = g_object_ref(s->msg);
	return g_steal_pointer(&s->stream);
}

void
hubd_s3_request_fetch_async(HubdS3Request *req,
			    gpointer source_object,
			    SoupSession *session,
			    const HubdS3Config *config,
			    const HubdS3Credentials *credentials,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	start(req,
	      source_object,
	      TRUE,
	      session,
	      config,
	      credentials,
	      cancellable,
	      callback,
	      user_data);
}

GBytes *
hubd_s3_request_fetch_finish(GAsyncResult *result, SoupMessage **msg, GError **error)
{
	Send *s = g_task_get_task_data(G_TASK(result));

	if (!g_task_propagate_boolean(G_TASK(result), error))
		return NULL;
	if (msg != NULL)
		*msg = g_object_ref(s->msg);
	return g_steal_pointer(&s->answer);
}
