/* hubctl-card.h: what the `hubctl card` sub-commands share (hubctl-card.c,
 * hubctl-card-create.c) */
#pragma once

#include "hubctl-repo.h"

G_BEGIN_DECLS

/* The D-Bus timeout of Cards calls (a push commits). */
#define HUBCTL_CARD_TIMEOUT_MS (5 * 60 * 1000)

/* The libhubd client Cards calls go to; NULL as hubctl_context_get_client(). */
HubdClient *
hubctl_card_proxy(HubctlContext *ctx);

/* A commit's result on stdout: the pull request's URL, else the commit's. */
void
hubctl_card_print_result(GVariant *result);

/* `hubctl card create`; argv[0] is "create". */
gint
hubctl_card_create(HubctlContext *ctx, gint argc, gchar **argv);

G_END_DECLS
