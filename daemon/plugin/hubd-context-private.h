/* hubd-context-private.h: the parts of HubdContext only the daemon's own code
 * uses (not exported to plugins: they never see the token store or the config) */
#pragma once

#include "hubd-config.h"
#include "hubd-context.h"

G_BEGIN_DECLS

typedef struct _HubdTokenStore HubdTokenStore;

/* Takes references on everything; `token_store` may be NULL (tests). */
HubdContext *
hubd_context_new(HubdConfig *config,
		 HubdHubApi *hub_api,
		 HubdCache *cache,
		 HubdTokenStore *token_store);

HubdConfig *
hubd_context_get_config(HubdContext *self);
HubdTokenStore *
hubd_context_get_token_store(HubdContext *self);

/* Drops the storage backend `name` made by hubd_context_get_storage(), so
 * the next call makes it again from the configuration (after RemoveBackend). */
void
hubd_context_forget_storage(HubdContext *self, const gchar *name);

/* A D-Bus connection objects are exported on (the bus, each socket peer):
 * what hubd_context_export_object() exported, and all it will, through an
 * ObjectManager at /org/hubd/Hub1 on that connection. */
void
hubd_context_add_connection(HubdContext *self, GDBusConnection *connection);
void
hubd_context_remove_connection(HubdContext *self, GDBusConnection *connection);
/* connections added and not removed */
GList *
hubd_context_dup_connections(HubdContext *self);
guint
hubd_context_get_n_connections(HubdContext *self);

/* TRUE while holds are taken; "notify::held" says when that changes. */
gboolean
hubd_context_is_held(HubdContext *self);

/* The daemon is going: jobs still running are cancelled, and nothing is
 * exported any more. What the context holds stays valid for work in flight. */
void
hubd_context_shutdown(HubdContext *self);

G_END_DECLS
