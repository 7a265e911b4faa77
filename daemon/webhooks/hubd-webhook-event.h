/* hubd-webhook-event.h: a Hub webhook delivery, parsed and checked (docs/hub-webhooks.md §1) */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Largest delivery body the listener reads (the limit; the Hub's own
 * payloads are a few KiB, docs/hub-webhooks.md §1). */
#define HUBD_WEBHOOK_MAX_BODY (1024 * 1024)

typedef struct {
	gchar *ref;
	gchar *old_sha; /* NULL: the ref was created */
	gchar *new_sha; /* NULL: the ref was deleted */
} HubdWebhookRef;

typedef struct {
	gchar *scope;  /* "repo.content", ... as sent */
	gchar *action; /* "create", "delete", "update", "move" */
	gchar *repo_type;
	gchar *repo_name; /* "ns/name" */
	gchar *repo_hub_id;
	gchar *head_sha;         /* NULL when not sent */
	GPtrArray *updated_refs; /* HubdWebhookRef* */
	gint64 discussion_num;   /* -1: none */
	gchar *webhook_id;
	gint64 received_at; /* g_get_real_time() */
	gchar *payload;     /* the body as received (valid UTF-8) */
	GVariant *variant;  /* hubd_webhook_event_get_variant()'s, once made */
} HubdWebhookEvent;

HubdWebhookEvent *
hubd_webhook_event_parse(const gchar *data, gsize len, GError **error);
void
hubd_webhook_event_free(HubdWebhookEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdWebhookEvent, hubd_webhook_event_free)

/* The a{sv} of Webhooks.Received (floating) */
GVariant *
hubd_webhook_event_to_variant(const HubdWebhookEvent *event);

/* The same, made once and kept with the event (borrowed, not floating): the
 * listener makes it on its thread, the history and the signal share it. */
GVariant *
hubd_webhook_event_get_variant(HubdWebhookEvent *event);

/* TRUE when the event says the repo's content (or the repo) changed, so a
 * sync of `repo_type`/`repo_name` should run. */
gboolean
hubd_webhook_event_touches_repo(const HubdWebhookEvent *event,
				const gchar *repo_type,
				const gchar *repo_name);

G_END_DECLS
