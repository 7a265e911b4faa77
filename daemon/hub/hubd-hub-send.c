/* hubd-hub-send.c: one HTTP exchange of HubdHubClient — its URL and token,
 * the daemon-wide rate-limit wait, retries (hubd-hub-retry.c), redirects,
 * deadlines, cancellation and the bounded read of a buffered answer (the
 * client object and its settings: hubd-hub-client.c)
 *
 * Every message is sent with SOUP_MESSAGE_NO_REDIRECT and redirects are
 * followed here, so the token goes to the Hub's own origin only and never to
 * the CDN or S3 a download is sent on to (docs/hub-http.md §7.2, §7.3). The
 * debug log shows method, URL without query and status; never headers. */
#define G_LOG_DOMAIN "HubdHubClient"

#include "hubd-hub-send.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-client-private.h"
#include "hubd-hub-request-send.h"
#include "hubd-hub-retry.h"
#include "hubd-hub-transport.h"

#define MAX_REDIRECTS 10
/* JSON answers are held whole: a Hub sending without end must not take the
 * desktop's memory. The largest real answers (a paginated tree page, model
 * info listing the siblings of a repo of 100,000 files) stay well under. */
#define MAX_BODY_SIZE (32 * 1024 * 1024)
#define READ_CHUNK    (64 * 1024)

typedef struct {
	HubdHubRequest *req;
	gboolean stream_mode;
	gchar *token;
	GUri *origin; /* the Hub's origin: the token goes here only */
	GUri *uri;    /* current hop */
	gchar *method;
	gboolean drop_body;
	guint attempt;
	guint hops;
	SoupMessage *msg;
	GInputStream *stream;
	GByteArray *buffer;
	GCancellable *attempt_cancellable;
	gulong cancel_id;
	guint timeout_id;
	gboolean header_deadline; /* timeout_id ends when the head has come */
	gboolean timed_out;
	guint retry_id;
	gchar *limit_key;      /* the rate-limit budget of this hop, NULL: none */
	gint64 rate_waited_ms; /* spent waiting out 429s that named their wait */
} SendData;

static void
hubd_hub_send_attempt_cleanup(SendData *data, GCancellable *caller)
{
	g_clear_handle_id(&data->timeout_id, g_source_remove);
	if (data->cancel_id != 0 && caller != NULL)
		g_cancellable_disconnect(caller, data->cancel_id);
	data->cancel_id = 0;
	g_clear_object(&data->attempt_cancellable);
}

static void
send_data_free(SendData *data)
{
	g_clear_handle_id(&data->timeout_id, g_source_remove);
	g_clear_handle_id(&data->retry_id, g_source_remove);
	g_clear_object(&data->attempt_cancellable);
	hubd_hub_request_unref(data->req);
	if (data->token != NULL)
		memset(data->token, 0, strlen(data->token));
	g_free(data->token);
	g_clear_pointer(&data->origin, g_uri_unref);
	g_clear_pointer(&data->uri, g_uri_unref);
	g_free(data->method);
	g_free(data->limit_key);
	g_clear_object(&data->msg);
	g_clear_object(&data->stream);
	g_clear_pointer(&data->buffer, g_byte_array_unref);
	g_free(data);
}

void
hubd_hub_send_attach(GTask *task, HubdHubRequest *req, gboolean stream_mode)
{
	SendData *data = g_new0(SendData, 1);

	data->req = hubd_hub_request_ref(req);
	data->stream_mode = stream_mode;
	data->method = g_strdup(hubd_hub_request_get_method(req));
	g_task_set_task_data(task, data, (GDestroyNotify)send_data_free);
}

GInputStream *
hubd_hub_send_steal_stream(GTask *task)
{
	SendData *data = g_task_get_task_data(task);

	return g_steal_pointer(&data->stream);
}

static gint
hubd_hub_send_port(GUri *uri)
{
	gint port = g_uri_get_port(uri);

	if (port > 0)
		return port;
	return g_ascii_strcasecmp(g_uri_get_scheme(uri), "https") == 0 ? 443 : 80;
}

static gboolean
hubd_hub_send_same_origin(GUri *a, GUri *b)
{
	return g_ascii_strcasecmp(g_uri_get_scheme(a), g_uri_get_scheme(b)) == 0 &&
	       g_ascii_strcasecmp(g_uri_get_host(a), g_uri_get_host(b)) == 0 &&
	       hubd_hub_send_port(a) == hubd_hub_send_port(b);
}

static void
hubd_hub_send_attempt(GTask *task);

static gboolean
hubd_hub_send_retry_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	SendData *data = g_task_get_task_data(task);

	data->retry_id = 0;
	if (g_task_return_error_if_cancelled(task)) {
		g_object_unref(task);
		return G_SOURCE_REMOVE;
	}
	hubd_hub_send_attempt(task);
	return G_SOURCE_REMOVE;
}

static void
hubd_hub_send_waited_cb(GObject *source, GAsyncResult *res, gpointer user_data);

static gboolean
hubd_hub_send_schedule_retry(HubdHubClient *self, GTask *task, guint status, const gchar *why)
{
	SendData *data = g_task_get_task_data(task);
	SoupMessageHeaders *headers =
		data->msg != NULL ? soup_message_get_response_headers(data->msg) : NULL;
	gint64 delay = hubd_hub_retry_rate_wait(data->method,
						hubd_hub_request_get_flags(data->req),
						status,
						headers,
						data->rate_waited_ms);
	gboolean rate_wait = delay >= 0;

	if (rate_wait) {
		/* the budget other programs share was spent: not a fault */
		data->rate_waited_ms += delay;
		data->attempt--;
	} else {
		delay = hubd_hub_retry_delay(data->method,
					     hubd_hub_request_get_flags(data->req),
					     data->attempt,
					     hubd_hub_client_get_max_retries(self),
					     hubd_hub_client_get_retry_base_ms(self),
					     status,
					     headers);
	}
	if (delay < 0)
		return FALSE;
	g_debug("%s %s: %s, retry %u in %" G_GINT64_FORMAT " ms",
		data->method,
		g_uri_get_path(data->uri),
		why,
		data->attempt,
		delay);
	g_clear_object(&data->stream);
	g_clear_object(&data->msg);
	g_clear_pointer(&data->buffer, g_byte_array_unref);
	if (rate_wait) {
		/* in the limiter: the job shows the wait (WaitingUntil), and the
		 * request then takes its place in the budget of the new window */
		hubd_hub_rate_limiter_wait_async(hubd_hub_client_get_rate_limiter(self),
						 data->limit_key,
						 delay,
						 g_task_get_cancellable(task),
						 hubd_hub_send_waited_cb,
						 task);
		return TRUE;
	}
	data->retry_id = g_timeout_add((guint)delay, hubd_hub_send_retry_cb, task);
	return TRUE;
}

/* a transport failure: timeout, reset, refused... */
static void
hubd_hub_send_fail_transport(GTask *task, GError *error)
{
	HubdHubClient *self = g_task_get_source_object(task);
	SendData *data = g_task_get_task_data(task);
	GCancellable *caller = g_task_get_cancellable(task);
	gboolean timed_out = data->timed_out;
	g_autoptr(GError) owned = error;
	g_autofree gchar *final = NULL;

	hubd_hub_send_attempt_cleanup(data, caller);
	if (caller != NULL && g_cancellable_is_cancelled(caller)) {
		g_task_return_new_error(task, HUBD_ERROR, HUBD_ERROR_CANCELLED, _("Cancelled"));
		g_object_unref(task);
		return;
	}
	if (timed_out) {
		g_clear_error(&owned);
		owned = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("timed out"));
	}
	/* an untrusted certificate or a refusing proxy: no retry cures it */
	final = hubd_hub_transport_describe_final(hubd_hub_client_get_session(self),
						  data->uri,
						  owned);
	if (final != NULL) {
		g_task_return_new_error(task, HUBD_ERROR, HUBD_ERROR_NETWORK, "%s", final);
		g_object_unref(task);
		return;
	}
	if (hubd_hub_send_schedule_retry(self, task, 0, owned->message))
		return;
	g_task_return_new_error(task,
				HUBD_ERROR,
				owned->domain == SOUP_SESSION_ERROR ? HUBD_ERROR_SERVER
								    : HUBD_ERROR_NETWORK,
				_("Cannot reach the Hub at %s: %s"),
				g_uri_get_host(data->uri),
				owned->message);
	g_object_unref(task);
}

static HubdHubResponse *
hubd_hub_send_make_response(SendData *data)
{
	GBytes *body = data->buffer != NULL
			       ? g_byte_array_free_to_bytes(g_steal_pointer(&data->buffer))
			       : NULL;

	return hubd_hub_response_new(data->msg, data->uri, body);
}

/* the Hub gives logged-in users a larger budget: say so to anonymous callers */
static void
hubd_hub_send_hint_login(GError *error, const gchar *token)
{
	gchar *longer;

	if (!g_error_matches(error, HUBD_ERROR, HUBD_ERROR_RATE_LIMITED) || token != NULL)
		return;
	longer = g_strconcat(error->message,
			     ". ",
			     _("Anonymous requests have the lowest limits: "
			       "log in (hubctl auth login) for higher ones"),
			     NULL);
	g_free(error->message);
	error->message = longer;
}

static void
hubd_hub_send_finish_buffered(GTask *task)
{
	HubdHubClient *self = g_task_get_source_object(task);
	SendData *data = g_task_get_task_data(task);
	g_autoptr(HubdHubResponse) resp = NULL;
	GError *error = NULL;
	guint status = soup_message_get_status(data->msg);

	hubd_hub_send_attempt_cleanup(data, g_task_get_cancellable(task));
	g_clear_object(&data->stream);
	if (hubd_hub_send_schedule_retry(self,
					 task,
					 status,
					 soup_message_get_reason_phrase(data->msg)))
		return;
	resp = hubd_hub_send_make_response(data);
	if ((hubd_hub_request_get_flags(data->req) & HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR) == 0 &&
	    hubd_hub_client_error_from_response(status,
						hubd_hub_response_get_headers(resp),
						hubd_hub_response_get_body(resp),
						hubd_hub_response_get_uri(resp),
						&error)) {
		hubd_hub_send_hint_login(error, data->token);
		g_task_return_error(task, error);
	} else {
		g_task_return_pointer(task,
				      g_steal_pointer(&resp),
				      (GDestroyNotify)hubd_hub_response_unref);
	}
	g_object_unref(task);
}

static gboolean
hubd_hub_send_body_is_short(SendData *data)
{
	SoupMessageHeaders *h = soup_message_get_response_headers(data->msg);

	if (g_strcmp0(data->method, "HEAD") == 0 ||
	    soup_message_headers_get_encoding(h) != SOUP_ENCODING_CONTENT_LENGTH)
		return FALSE;
	return (guint64)data->buffer->len < (guint64)soup_message_headers_get_content_length(h);
}

static void
hubd_hub_send_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	SendData *data = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(GBytes) chunk =
		g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);

	if (chunk == NULL) {
		hubd_hub_send_fail_transport(task, error);
		return;
	}
	if (g_bytes_get_size(chunk) == 0) {
		/* a connection closed before the announced length is a lost
		 * answer, not a short one: retried like a reset */
		if (hubd_hub_send_body_is_short(data)) {
			hubd_hub_send_fail_transport(
				task,
				g_error_new_literal(G_IO_ERROR,
						    G_IO_ERROR_PARTIAL_INPUT,
						    _("the connection closed before the end of "
						      "the answer")));
			return;
		}
		hubd_hub_send_finish_buffered(task);
		return;
	}
	if (data->buffer->len + g_bytes_get_size(chunk) > MAX_BODY_SIZE) {
		hubd_hub_send_attempt_cleanup(data, g_task_get_cancellable(task));
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The Hub's answer is larger than %u MiB"),
					MAX_BODY_SIZE / (1024 * 1024));
		g_object_unref(task);
		return;
	}
	g_byte_array_append(data->buffer,
			    g_bytes_get_data(chunk, NULL),
			    (guint)g_bytes_get_size(chunk));
	g_input_stream_read_bytes_async(data->stream,
					READ_CHUNK,
					G_PRIORITY_DEFAULT,
					data->attempt_cancellable,
					hubd_hub_send_read_cb,
					task);
}

static gboolean
hubd_hub_send_follow_redirect(GTask *task, guint status)
{
	SendData *data = g_task_get_task_data(task);
	SoupMessageHeaders *headers = soup_message_get_response_headers(data->msg);
	const gchar *location = soup_message_headers_get_one(headers, "Location");
	g_autoptr(GUri) next = NULL;
	g_autoptr(GError) error_local = NULL;

	if ((hubd_hub_request_get_flags(data->req) & HUBD_HUB_REQUEST_FLAG_NO_REDIRECT) != 0 ||
	    location == NULL)
		return FALSE;
	if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308)
		return FALSE;
	hubd_hub_send_attempt_cleanup(data, g_task_get_cancellable(task));
	if (++data->hops > MAX_REDIRECTS) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("Too many redirects from %s"),
					g_uri_get_host(data->uri));
		g_object_unref(task);
		return TRUE;
	}
	/* relative Locations keep the query they carry (docs/hub-http.md §7.2) */
	next = g_uri_parse_relative(data->uri, location, SOUP_HTTP_URI_FLAGS, &error_local);
	if (next == NULL) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The Hub redirected to an invalid location: %s"),
					error_local->message);
		g_object_unref(task);
		return TRUE;
	}
	if (status == 303 ||
	    ((status == 301 || status == 302) && g_strcmp0(data->method, "POST") == 0)) {
		g_free(data->method);
		data->method = g_strdup("GET");
		data->drop_body = TRUE;
	}
	g_uri_unref(data->uri);
	data->uri = g_steal_pointer(&next);
	g_clear_object(&data->stream);
	g_clear_object(&data->msg);
	/* a hop is not a retry: keep the retry budget */
	data->attempt--;
	hubd_hub_send_attempt(task);
	return TRUE;
}

static void
hubd_hub_send_sent_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	SendData *data = g_task_get_task_data(task);
	GError *error = NULL;
	guint status;

	data->stream = soup_session_send_finish(SOUP_SESSION(source), res, &error);
	if (data->stream == NULL) {
		hubd_hub_send_fail_transport(task, error);
		return;
	}
	if (data->header_deadline) {
		g_clear_handle_id(&data->timeout_id, g_source_remove);
		data->header_deadline = FALSE;
	}
	status = soup_message_get_status(data->msg);
	g_debug("%s %s://%s:%d%s -> %u",
		data->method,
		g_uri_get_scheme(data->uri),
		g_uri_get_host(data->uri),
		hubd_hub_send_port(data->uri),
		g_uri_get_path(data->uri),
		status);
	if (data->limit_key != NULL)
		hubd_hub_rate_limiter_note(
			hubd_hub_client_get_rate_limiter(g_task_get_source_object(task)),
			data->limit_key,
			status,
			soup_message_get_response_headers(data->msg));
	if (SOUP_STATUS_IS_REDIRECTION(status) && hubd_hub_send_follow_redirect(task, status))
		return;
	if (data->stream_mode && (status < 400 || (hubd_hub_request_get_flags(data->req) &
						   HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR) != 0)) {
		hubd_hub_send_attempt_cleanup(data, g_task_get_cancellable(task));
		g_task_return_pointer(task,
				      hubd_hub_send_make_response(data),
				      (GDestroyNotify)hubd_hub_response_unref);
		g_object_unref(task);
		return;
	}
	data->buffer = g_byte_array_new();
	g_input_stream_read_bytes_async(data->stream,
					READ_CHUNK,
					G_PRIORITY_DEFAULT,
					data->attempt_cancellable,
					hubd_hub_send_read_cb,
					task);
}

static gboolean
hubd_hub_send_deadline_cb(gpointer user_data)
{
	SendData *data = user_data;

	data->timeout_id = 0;
	data->timed_out = TRUE;
	g_cancellable_cancel(data->attempt_cancellable);
	return G_SOURCE_REMOVE;
}

static void
hubd_hub_send_caller_cancelled_cb(GCancellable *caller, gpointer user_data)
{
	GCancellable *attempt = G_CANCELLABLE(user_data);

	g_cancellable_cancel(attempt);
}

static void
hubd_hub_send_now(GTask *task);

static void
hubd_hub_send_transport_ready_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	/* a cancelled caller is told by the send that follows */
	hubd_hub_transport_prepare_finish(SOUP_SESSION(source), res, NULL);
	hubd_hub_send_now(G_TASK(user_data));
}

static void
hubd_hub_send_now(GTask *task)
{
	HubdHubClient *self = g_task_get_source_object(task);
	SoupSession *session = hubd_hub_client_get_session(self);
	SendData *data = g_task_get_task_data(task);
	HubdHubRequest *req = data->req;
	GCancellable *caller = g_task_get_cancellable(task);
	SoupMessageHeaders *headers;
	g_autofree gchar *trace = NULL;

	if (!hubd_hub_transport_is_ready(session, data->uri)) {
		hubd_hub_transport_prepare_async(session,
						 caller,
						 hubd_hub_send_transport_ready_cb,
						 task);
		return;
	}
	trace = g_uuid_string_random();
	data->attempt++;
	data->timed_out = FALSE;
	data->msg = soup_message_new_from_uri(data->method, data->uri);
	soup_message_add_flags(data->msg, SOUP_MESSAGE_NO_REDIRECT);
	headers = soup_message_get_request_headers(data->msg);
	/* per message, not the session's user-agent property: libsoup would
	 * overwrite the library's name with it */
	if (hubd_hub_request_get_library(req) != NULL) {
		g_autofree gchar *ua = g_strdup_printf("%s; %s; %s",
						       hubd_hub_client_get_user_agent_base(self),
						       hubd_hub_request_get_library(req),
						       hubd_hub_client_get_user_agent_tail(self));
		soup_message_headers_replace(headers, "User-Agent", ua);
	} else {
		soup_message_headers_replace(headers,
					     "User-Agent",
					     hubd_hub_client_get_user_agent(self));
	}
	soup_message_headers_replace(headers, "X-Amzn-Trace-Id", trace);
	/* before Authorization: the transport's token wins over any header the request set */
	hubd_hub_request_apply(req, data->msg, !data->drop_body);
	hubd_hub_transport_watch(session,
				 data->msg,
				 !data->drop_body && hubd_hub_request_has_body_stream(req));
	/* the token goes to the Hub's own origin, never to a CDN hop */
	if (data->token != NULL && hubd_hub_send_same_origin(data->uri, data->origin)) {
		g_autofree gchar *auth = g_strdup_printf("Bearer %s", data->token);
		soup_message_headers_replace(headers, "Authorization", auth);
		memset(auth, 0, strlen(auth));
	}

	data->attempt_cancellable = g_cancellable_new();
	if (caller != NULL)
		data->cancel_id =
			g_cancellable_connect(caller,
					      G_CALLBACK(hubd_hub_send_caller_cancelled_cb),
					      data->attempt_cancellable,
					      NULL);
	if (hubd_hub_request_get_timeout(req) > 0)
		data->timeout_id = g_timeout_add_seconds(hubd_hub_request_get_timeout(req),
							 hubd_hub_send_deadline_cb,
							 data);
	else if (g_strcmp0(data->method, "GET") == 0 || g_strcmp0(data->method, "HEAD") == 0) {
		/* the I/O timeout restarts with every byte: a head sent byte by
		 * byte would hold the request for ever. Bodyless requests only:
		 * an upload's answer comes after its whole body. */
		data->header_deadline = TRUE;
		data->timeout_id = g_timeout_add_seconds(hubd_hub_client_get_header_timeout(self),
							 hubd_hub_send_deadline_cb,
							 data);
	}
	soup_session_send_async(session,
				data->msg,
				G_PRIORITY_DEFAULT,
				data->attempt_cancellable,
				hubd_hub_send_sent_cb,
				task);
}

static void
hubd_hub_send_waited_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);

	if (!hubd_hub_rate_limiter_wait_finish(HUBD_HUB_RATE_LIMITER(source), res, NULL)) {
		g_task_return_new_error(task, HUBD_ERROR, HUBD_ERROR_CANCELLED, _("Cancelled"));
		g_object_unref(task);
		return;
	}
	hubd_hub_send_now(task);
}

/* The budget a hop to `uri` counts against: the Hub's own origin only (the
 * CDN has none), per bucket and per token, as the Hub counts. */
static gchar *
hubd_hub_send_limit_key(SendData *data)
{
	const gchar *bucket = hubd_hub_rate_limiter_bucket_for_path(g_uri_get_path(data->uri));
	g_autofree gchar *who = NULL;

	if (bucket == NULL || !hubd_hub_send_same_origin(data->uri, data->origin))
		return NULL;
	who = data->token != NULL
		      ? g_compute_checksum_for_string(G_CHECKSUM_SHA256, data->token, -1)
		      : g_strdup("anonymous");
	return g_strdup_printf("%s %s://%s:%d %s",
			       bucket,
			       g_uri_get_scheme(data->uri),
			       g_uri_get_host(data->uri),
			       hubd_hub_send_port(data->uri),
			       who);
}

/* Every attempt and hop first asks the daemon's limiter: when an answer said
 * the budget is spent, it waits for the reset with every other request. */
static void
hubd_hub_send_attempt(GTask *task)
{
	HubdHubClient *self = g_task_get_source_object(task);
	SendData *data = g_task_get_task_data(task);
	gint64 wait_ms;

	g_free(data->limit_key);
	data->limit_key = hubd_hub_send_limit_key(data);
	if (data->limit_key == NULL) {
		hubd_hub_send_now(task);
		return;
	}
	wait_ms = hubd_hub_rate_limiter_acquire(hubd_hub_client_get_rate_limiter(self),
						data->limit_key);
	if (wait_ms == 0) {
		hubd_hub_send_now(task);
		return;
	}
	/* beyond the retry budget: the caller hears when to come back */
	if (wait_ms > (gint64)HUBD_HUB_RETRY_MAX_WAIT_S * 1000) {
		gint64 s = (wait_ms + 999) / 1000;
		GError *error = g_error_new(
			HUBD_ERROR,
			HUBD_ERROR_RATE_LIMITED,
			g_dngettext(GETTEXT_PACKAGE,
				    "Too many requests: the Hub asks to wait %" G_GINT64_FORMAT
				    " second before trying again",
				    "Too many requests: the Hub asks to wait %" G_GINT64_FORMAT
				    " seconds before trying again",
				    (gulong)s),
			s);

		hubd_hub_send_hint_login(error, data->token);
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	g_debug("%s %s: rate limit spent, waiting %" G_GINT64_FORMAT " ms",
		data->method,
		g_uri_get_path(data->uri),
		wait_ms);
	hubd_hub_rate_limiter_wait_async(hubd_hub_client_get_rate_limiter(self),
					 data->limit_key,
					 0,
					 g_task_get_cancellable(task),
					 hubd_hub_send_waited_cb,
					 task);
}

void
hubd_hub_send_start(GTask *task)
{
	HubdHubClient *self = g_task_get_source_object(task);
	SendData *data = g_task_get_task_data(task);
	const gchar *endpoint = hubd_hub_request_get_endpoint(data->req) != NULL
					? hubd_hub_request_get_endpoint(data->req)
					: hubd_hub_client_get_endpoint(self);
	g_autoptr(GError) error_local = NULL;
	const gchar *url = hubd_hub_request_get_url(data->req);

	/* the token is the Hub's, keyed by its endpoint; an API of the Hub's
	 * served on another origin (Inference Endpoints) names that origin */
	data->origin = g_uri_parse(hubd_hub_request_get_token_origin(data->req) != NULL
					   ? hubd_hub_request_get_token_origin(data->req)
					   : endpoint,
				   SOUP_HTTP_URI_FLAGS,
				   &error_local);
	if (data->origin != NULL) {
		g_autofree gchar *full =
			url[0] == '/' ? g_strconcat(endpoint, url, NULL) : g_strdup(url);
		data->uri = g_uri_parse(full, SOUP_HTTP_URI_FLAGS, &error_local);
	}
	if (data->uri == NULL) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("Invalid Hub URL: %s"),
					error_local->message);
		g_object_unref(task);
		return;
	}
	if (hubd_hub_request_get_token(data->req) != NULL) {
		data->token = g_strdup(hubd_hub_request_get_token(data->req));
	} else if ((hubd_hub_request_get_flags(data->req) & HUBD_HUB_REQUEST_FLAG_ANONYMOUS) == 0) {
		GError *error = NULL;

		data->token = hubd_hub_client_dup_token(self,
							endpoint,
							hubd_hub_request_get_token_name(data->req),
							&error);
		if (error != NULL) {
			g_task_return_error(task, error);
			g_object_unref(task);
			return;
		}
	}
	if (data->token == NULL &&
	    (hubd_hub_request_get_flags(data->req) & HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN) != 0) {
		g_task_return_error(
			task,
			hubd_hub_token_provider_no_token_error(hubd_hub_client_get_tokens(self),
							       endpoint));
		g_object_unref(task);
		return;
	}
	hubd_hub_send_attempt(task);
}
