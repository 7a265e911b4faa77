/* hubctl-card.h: what the `hubctl card` sub-commands share (hubctl-card.c,
 * hubctl-card-create.c) */
#pragma once

#include "hubctl-repo.h"

G_BEGIN_DECLS

/* The org.hubd.Hub1.Cards proxy; NULL as hubctl_context_new_proxy(). */
HubdDbusCards *
hubctl_card_proxy(HubctlContext *ctx);

/* A commit's result on stdout: the pull request's URL, else the commit's. */
void
hubctl_card_print_result(GVariant *result);

/* `hubctl card create`; argv[0] is "create". */
gint
hubctl_card_create(HubctlContext *ctx, gint argc, gchar **argv);

G_END_DECLS
