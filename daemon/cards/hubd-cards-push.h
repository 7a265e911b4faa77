/* hubd-cards-push.h: org.hubd.Hub1.Cards' writes — UpdateCardMetadata and
 * PushCard: the publishing policy, then one commit of README.md */
#pragma once

#include "hubd-cards-service.h"
#include "hubd-dbus-generated.h"

G_BEGIN_DECLS

gboolean
hubd_cards_handle_push_card(HubdDbusCards *skeleton,
			    GDBusMethodInvocation *invocation,
			    const gchar *repo_type,
			    const gchar *repo_id,
			    const gchar *text,
			    GVariant *options,
			    gpointer service);

gboolean
hubd_cards_handle_update_metadata(HubdDbusCards *skeleton,
				  GDBusMethodInvocation *invocation,
				  const gchar *repo_type,
				  const gchar *repo_id,
				  GVariant *changes,
				  GVariant *options,
				  gpointer service);

G_END_DECLS
