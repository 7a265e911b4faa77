/* hubd-hub-rate-limiter.h: the daemon's one view of the Hub's request budgets,
 * so that when a bucket is spent every request to it waits for the reset
 * instead of each one being refused on its own (docs/hub-http.md §5.8) */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define HUBD_TYPE_HUB_RATE_LIMITER (hubd_hub_rate_limiter_get_type())
G_DECLARE_FINAL_TYPE(HubdHubRateLimiter, hubd_hub_rate_limiter, HUBD, HUB_RATE_LIMITER, GObject)

HubdHubRateLimiter *
hubd_hub_rate_limiter_new(void);

/* The Hub's bucket for a request path on its own origin: "resolvers" for
 * every URL with /resolve/, "api" for the rest of /api/, else NULL (not
 * limited). */
const gchar *
hubd_hub_rate_limiter_bucket_for_path(const gchar *path);

/* Takes one request of the budget under `key` (bucket, origin and token):
 * 0 when it may be sent now, else the ms until the budget resets. */
gint64
hubd_hub_rate_limiter_acquire(HubdHubRateLimiter *self, const gchar *key);

/* Learns from an answer of `key`'s bucket: its RateLimit r= and t=, and for
 * a 429 the wait it asks for (t= when r=0, else Retry-After). */
void
hubd_hub_rate_limiter_note(HubdHubRateLimiter *self,
			   const gchar *key,
			   guint status,
			   SoupMessageHeaders *headers);

/* Waits (on the thread-default main context) at least `min_ms` (what a
 * 429 asked for) and until a request under `key` may be sent, and takes it
 * from the budget; `key` NULL: a budget hubd does not track, only the
 * `min_ms`. Either way the wait shows in "waiting-until". */
void
hubd_hub_rate_limiter_wait_async(HubdHubRateLimiter *self,
				 const gchar *key,
				 gint64 min_ms,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
gboolean
hubd_hub_rate_limiter_wait_finish(HubdHubRateLimiter *self, GAsyncResult *res, GError **error);

/* The wall-clock time (g_get_real_time() µs) until which some request
 * waits, 0 when none does; the "waiting-until" property notifies changes. */
gint64
hubd_hub_rate_limiter_get_waiting_until(HubdHubRateLimiter *self);

G_END_DECLS
