/* testhub-spaces.h: the local Hub's Spaces — runtime state machine, hardware,
 * secrets and variables, dev mode, duplicate and SSE logs (testhub-spaces*.c).
 * Wire formats: docs/hub-spaces.md. State lives in memory: a restarted
 * testhub rebuilds every Space. */
#pragma once

#include "testhub.h"

G_BEGIN_DECLS

typedef struct _TesthubSpace TesthubSpace;

/* ---- state (testhub-spaces.c) ---- */

/* The runtime of a Space repo, made (BUILDING) on first use. */
TesthubSpace *
testhub_space_get(TesthubRepo *repo);
/* Advances the clock-driven stages (build done, sleep) and wakes log streams. */
void
testhub_space_update(TesthubSpace *space);
/* The runtime object of GET …/runtime (a new reference). */
JsonObject *
testhub_space_runtime_json(TesthubSpace *space);
/* Starts a new build (restart, new hardware, a commit). */
void
testhub_space_rebuild(TesthubSpace *space, const gchar *reason);
/* TRUE when the flavor is in the hardware list. */
gboolean
testhub_space_flavor_is_known(const gchar *flavor);
/* GET /api/spaces/hardware's array */
JsonArray *
testhub_spaces_hardware_json(void);

/* ---- routes (testhub-spaces-routes.c) ---- */

/* /api/spaces/…: TRUE when it answered (hardware, runtime, settings, logs,
 * duplicate); FALSE leaves the path to the generic repo routes. */
gboolean
testhub_spaces_route(TesthubContext *ctx, SoupServerMessage *msg, gchar **segs, guint n);
/* After a commit to a Space's main branch: it rebuilds, as on the Hub. */
void
testhub_spaces_on_commit(TesthubRepo *repo);
/* /_testhub/spaces/{ns}/{name}: {"build_ms", "fail": "build"|"runtime"|null,
 * "sleep_ms"} set per Space (admin surface). */
void
testhub_spaces_admin(TesthubContext *ctx, SoupServerMessage *msg, gchar **rest);
/* The Spaces whose card lists `model_id` under `models:` (model info's
 * `spaces`). */
JsonArray *
testhub_spaces_using_model(TesthubContext *ctx, const gchar *model_id);

/* A Space's info gains `runtime` and, from its card, `models`. */
void
testhub_spaces_add_info(JsonObject *info, TesthubRepo *repo, JsonObject *card);

G_END_DECLS
