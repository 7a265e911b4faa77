/* testhub-ratelimit.h: the Hub's per-token request budget (docs/hub-http.md
 * §4.3): fixed windows per bucket ("api", "resolvers") and per token, or per
 * client IP for anonymous calls. Off until --rate-limit or the admin surface
 * (/_testhub/ratelimit) sets a quota. */
#pragma once

#include "testhub.h"

G_BEGIN_DECLS

TesthubRateLimit *
testhub_ratelimit_new(void);
void
testhub_ratelimit_free(TesthubRateLimit *rl);

/* "Q/W": Q requests per W-second window; "0" or "off" turns it off. */
gboolean
testhub_ratelimit_configure(TesthubRateLimit *rl, const gchar *spec, GError **error);

/* Counts the request against its bucket (if its path has one) and sets the
 * RateLimit/RateLimit-Policy headers; when the budget is spent, answers 429
 * with Retry-After and returns TRUE. */
gboolean
testhub_ratelimit_check(TesthubContext *ctx, SoupServerMessage *msg, const gchar *path);

/* GET, POST {"quota":Q,"window":W} (quota 0: off) and DELETE (off) on
 * /_testhub/ratelimit. */
void
testhub_ratelimit_handle_admin(TesthubContext *ctx, SoupServerMessage *msg);

G_END_DECLS
