/* hubd-community-call.h: one D-Bus call in flight on org.hubd.Hub1.Discussions
 * or org.hubd.Hub1.Access — its checks, its API and its answer */
#pragma once

#include "hubd-hub-api-community.h"
#include "hubd-service.h"

G_BEGIN_DECLS

typedef struct {
	HubdService *service; /* a reference */
	GDBusMethodInvocation *invocation;
	HubdHubApi *api; /* this call's (its token_name) */
	HubdRepoType type;
	gchar *repo_id;
} HubdCommunityCall;

/* Checks the repo and the options (`allowed`, plus token_name); on failure
 * answers the call and returns NULL. Holds the daemon while the call lives. */
HubdCommunityCall *
hubd_community_call_begin(gpointer service,
			  GDBusMethodInvocation *invocation,
			  const gchar *repo_type,
			  const gchar *repo_id,
			  GVariant *options,
			  const HubdServiceOption *allowed);
void
hubd_community_call_free(HubdCommunityCall *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdCommunityCall, hubd_community_call_free)

/* Answers with `error` (taken) and frees the call. */
void
hubd_community_call_fail(HubdCommunityCall *call, GError *error);
/* Answers with `value` (a tuple, floating or not) and frees the call. */
void
hubd_community_call_return(HubdCommunityCall *call, GVariant *value);

/* Answers with `(aa{sv})` of the a{sv}s in `items` (not taken) and frees the call. */
void
hubd_community_call_return_list(HubdCommunityCall *call, GPtrArray *items);

/* A GAsyncReadyCallback for calls answered with nothing: user_data is the call. */
void
hubd_community_call_done_cb(GObject *source, GAsyncResult *res, gpointer user_data);

G_END_DECLS
