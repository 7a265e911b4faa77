/* hubd-hub-retry.h: when HubdHubClient retries a request, and how long it waits first */
#pragma once

#include <libsoup/soup.h>

#include "hubd-hub-request.h"

G_BEGIN_DECLS

/* Beyond this many seconds of Retry-After a D-Bus caller has long given up. */
#define HUBD_HUB_RETRY_MAX_WAIT_S 60

/* How long in all one request may wait out 429s that name their wait before
 * they count as faults: a job that shares the token's budget with other
 * programs keeps going through many windows (ten 60 s waits). */
#define HUBD_HUB_RETRY_MAX_RATE_WAIT_S 600

/* TRUE if a request with `method` and `flags` may be sent again at all:
 * idempotent methods unless NO_RETRY, others only with RETRY. */
gboolean
hubd_hub_retry_is_allowed(const gchar *method, HubdHubRequestFlags flags);

/* TRUE for the answers worth another attempt: 0 (a transport failure), 408,
 * 429, 500, 502, 503 and 504. */
gboolean
hubd_hub_retry_status_is_transient(guint status);

/* The seconds the Hub asks a client to wait before trying again: RateLimit's
 * t= when a 429 says the budget is spent (r=0), else Retry-After in
 * seconds; -1 when it says nothing. */
gint64
hubd_hub_retry_after_seconds(guint status, SoupMessageHeaders *headers);

/* The delay in ms before the next attempt, or -1 when no retry may happen.
 * `attempt` is the 1-based number of the attempt that just failed, `status`
 * its HTTP status (0: a transport failure), `headers` its response headers
 * (may be NULL). Exponential from `base_ms` (doubling up to 8x), unless
 * RateLimit (429 with r=0) or Retry-After says otherwise, as huggingface_hub
 * does; a wait beyond HUBD_HUB_RETRY_MAX_WAIT_S means no retry. */
gint64
hubd_hub_retry_delay(const gchar *method,
		     HubdHubRequestFlags flags,
		     guint attempt,
		     guint max_retries,
		     guint base_ms,
		     guint status,
		     SoupMessageHeaders *headers);

/* For a 429 that names its wait (RateLimit r=0;t= or Retry-After): the
 * Hub's budget is spent, which is no fault of the request, so the wait (in
 * ms, as hubd_hub_retry_delay() computes it) does not count against the
 * retries meant for faults while the request's earlier such waits,
 * `waited_ms`, and this one stay within HUBD_HUB_RETRY_MAX_RATE_WAIT_S.
 * -1 otherwise: another answer, a request that may not be sent again, a
 * wait too long; hubd_hub_retry_delay() then decides. */
gint64
hubd_hub_retry_rate_wait(const gchar *method,
			 HubdHubRequestFlags flags,
			 guint status,
			 SoupMessageHeaders *headers,
			 gint64 waited_ms);

G_END_DECLS
