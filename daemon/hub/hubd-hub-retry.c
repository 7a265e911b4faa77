/* hubd-hub-retry.c: when HubdHubClient retries a request, and how long it waits first */
#define G_LOG_DOMAIN "HubdHubRetry"

#include "hubd-hub-retry.h"

static gboolean
hubd_hub_retry_is_idempotent(const gchar *method)
{
	return g_strcmp0(method, "GET") == 0 || g_strcmp0(method, "HEAD") == 0 ||
	       g_strcmp0(method, "PUT") == 0 || g_strcmp0(method, "DELETE") == 0 ||
	       g_strcmp0(method, "OPTIONS") == 0;
}

gboolean
hubd_hub_retry_is_allowed(const gchar *method, HubdHubRequestFlags flags)
{
	if ((flags & HUBD_HUB_REQUEST_FLAG_NO_RETRY) != 0)
		return FALSE;
	return (flags & HUBD_HUB_REQUEST_FLAG_RETRY) != 0 || hubd_hub_retry_is_idempotent(method);
}

gboolean
hubd_hub_retry_status_is_transient(guint status)
{
	return status == 0 || status == 408 || status == 429 || status == 500 || status == 502 ||
	       status == 503 || status == 504;
}

gint64
hubd_hub_retry_after_seconds(guint status, SoupMessageHeaders *headers)
{
	const gchar *ratelimit = NULL;
	const gchar *retry_after = NULL;

	if (headers == NULL)
		return -1;
	ratelimit = soup_message_headers_get_one(headers, "RateLimit");
	retry_after = soup_message_headers_get_one(headers, "Retry-After");
	if (status == 429 && ratelimit != NULL && strstr(ratelimit, "r=0;") != NULL &&
	    strstr(ratelimit, "t=") != NULL)
		return g_ascii_strtoll(strstr(ratelimit, "t=") + 2, NULL, 10);
	if (retry_after != NULL && g_ascii_isdigit(retry_after[0]))
		return g_ascii_strtoll(retry_after, NULL, 10);
	return -1;
}

/* What the Hub asks to wait, in ms, plus huggingface_hub's extra second;
 * -1 when it names no wait, G_MAXINT64 when the wait is beyond
 * HUBD_HUB_RETRY_MAX_WAIT_S. */
static gint64
hubd_hub_retry_named_wait_ms(guint status, SoupMessageHeaders *headers)
{
	gint64 seconds = headers != NULL ? hubd_hub_retry_after_seconds(status, headers) : -1;

	if (seconds < 0)
		return -1;
	if (seconds + 1 > HUBD_HUB_RETRY_MAX_WAIT_S)
		return G_MAXINT64;
	return (seconds + 1) * 1000;
}

gint64
hubd_hub_retry_delay(const gchar *method,
		     HubdHubRequestFlags flags,
		     guint attempt,
		     guint max_retries,
		     guint base_ms,
		     guint status,
		     SoupMessageHeaders *headers)
{
	gint64 named;

	if (!hubd_hub_retry_is_allowed(method, flags) || attempt > max_retries)
		return -1;
	if (!hubd_hub_retry_status_is_transient(status))
		return -1;
	named = hubd_hub_retry_named_wait_ms(status, headers);
	if (named == G_MAXINT64)
		return -1;
	return named >= 0 ? named : (gint64)base_ms << MIN(attempt - 1, 3);
}

gint64
hubd_hub_retry_rate_wait(const gchar *method,
			 HubdHubRequestFlags flags,
			 guint status,
			 SoupMessageHeaders *headers,
			 gint64 waited_ms)
{
	gint64 delay;

	if (status != 429 || !hubd_hub_retry_is_allowed(method, flags))
		return -1;
	delay = hubd_hub_retry_named_wait_ms(status, headers);
	if (delay < 0 || delay == G_MAXINT64 ||
	    waited_ms + delay > (gint64)HUBD_HUB_RETRY_MAX_RATE_WAIT_S * 1000)
		return -1;
	return delay;
}
