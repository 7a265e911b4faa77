/* testhub-faults.h: fault injection, request log and per-request plumbing
 * (X-Request-Id, body size bound) of both listeners, plus the admin surface.
 */
#pragma once

#include "testhub.h"

G_BEGIN_DECLS

TesthubFaults *
testhub_faults_new(void);
void
testhub_faults_free(TesthubFaults *faults);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TesthubFaults, testhub_faults_free)

/* A rule object, an array of rules, or {"rules": [...]}. */
gboolean
testhub_faults_add_json(TesthubFaults *faults, JsonNode *node, GError **error);
gboolean
testhub_faults_load_file(TesthubFaults *faults, const gchar *path, GError **error);

/* Hooks the server's signals: X-Request-Id, request log, status faults and
 * body faults for every request of that origin ("hub" or "cdn"). */
void
testhub_faults_attach(TesthubContext *ctx, SoupServer *server, const gchar *origin);

/* The request's Range header (removed from the request headers so that
 * libsoup never answers ranges on its own), or NULL. */
const gchar *
testhub_request_range(SoupServerMessage *msg);

/* Called by testhub_reply_bytes(): TRUE if a body fault (reset, truncate,
 * slow) took over sending `body`. */
gboolean
testhub_faults_send_body(SoupServerMessage *msg, GBytes *body);

/* /_testhub/... on the Hub origin; `rest` are the path segments after "_testhub". */
void
testhub_faults_handle_admin(TesthubContext *ctx, SoupServerMessage *msg, gchar **rest);

G_END_DECLS
