/* testhub-webhooks.h: the local Hub's webhooks — the management API of
 * /api/settings/webhooks (stored per user) and deliveries of events to them.
 *
 * Other routes emit events with testhub_webhooks_emit(): repo content
 * (commits, branches, tags), repo create/delete/move/settings, and (from the
 * discussions routes) discussion and comment events. */
#pragma once

#include "testhub.h"

G_BEGIN_DECLS

typedef struct _TesthubWebhooks TesthubWebhooks;

TesthubWebhooks *
testhub_webhooks_new(void);
void
testhub_webhooks_free(TesthubWebhooks *hooks);

/* /api/settings/webhooks[/ID[/enable|/disable]]: `rest` are the segments
 * after "webhooks", `n` of them */
void
testhub_route_webhooks(TesthubContext *ctx, SoupServerMessage *msg, gchar **rest, guint n);

/* GET /_testhub/webhook-deliveries (every attempt, oldest first: webhook_id,
 * url, scope, action, repo, attempt, status, secret_sent) and DELETE to clear
 * it; called by the admin surface */
void
testhub_webhooks_handle_admin(TesthubContext *ctx, SoupServerMessage *msg);

/* One event on `repo`: POSTs the Hub's payload (webhook version 3) to every
 * enabled webhook that watches the repo (or its owner) in the event's domain,
 * asynchronously, with X-Webhook-Secret when the webhook has a secret.
 * `scope` e.g. "repo.content", `action` "update"; `extra` (may be NULL,
 * taken) holds further members of the payload: updatedRefs, discussion,
 * comment, movedTo, updatedConfig. */
void
testhub_webhooks_emit(TesthubContext *ctx,
		      TesthubRepo *repo,
		      const gchar *scope,
		      const gchar *action,
		      JsonObject *extra);

/* The updatedRefs member of a repo.content event for one ref ("refs/heads/main");
 * old or new NULL for a created or deleted ref. Returns `extra` (new if NULL). */
JsonObject *
testhub_webhooks_updated_ref(JsonObject *extra,
			     const gchar *ref,
			     const gchar *old_sha,
			     const gchar *new_sha);

/* A stable 24-hex id (like the Hub's ObjectIds) for things the store has
 * none for: repos, users, discussions, comments. */
gchar *
testhub_webhooks_object_id(const gchar *kind, const gchar *name);

G_END_DECLS
