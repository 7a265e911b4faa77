/* testhub-endpoints.h: the local Hub's Inference Endpoints API, served on the
 * Hub's origin under /v2 (tests set `endpoints.api` to it;
 * docs/hub-endpoints.md) */
#pragma once

#include "testhub.h"

G_BEGIN_DECLS

/* /v2/endpoint/{ns}[/{name}[/pause|resume|scale-to-zero]], /v2/provider/{ns} */
void
testhub_endpoints_route(TesthubContext *ctx, SoupServerMessage *msg, gchar **segs, guint n);
/* /_testhub/endpoints/{ns}/{name}: {"fail": true|false, "step_ms": N} */
void
testhub_endpoints_admin(TesthubContext *ctx, SoupServerMessage *msg, gchar **rest);

G_END_DECLS
