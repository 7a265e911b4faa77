/* hubd-spaces-call.h: one org.hubd.Hub1.Spaces call in flight, shared by the plugin's files */
#pragma once

#include "hubd-plugin.h"

G_BEGIN_DECLS

/* What a finished Hub answer becomes. */
typedef enum {
	SPACES_REPLY_RUNTIME,   /* (a{sv}) */
	SPACES_REPLY_HARDWARE,  /* (aa{sv}) */
	SPACES_REPLY_SECRETS,   /* (aa{sv}) without values */
	SPACES_REPLY_VARIABLES, /* (aa{sv}) */
	SPACES_REPLY_NOTHING,   /* () */
} SpacesReply;

/* Holds the daemon and one reference on the invocation, which completing
 * the call consumes; the call's own reference goes when it is freed. */
typedef struct {
	HubdContext *context;
	GDBusMethodInvocation *invocation;
	SpacesReply reply;
} SpacesCall;

SpacesCall *
spaces_call_new(HubdService *service, GDBusMethodInvocation *invocation, SpacesReply reply);
void
spaces_call_free(SpacesCall *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpacesCall, spaces_call_free)

/* Checks a Hub method's options (token_name and `allowed`) and makes the
 * call's API; NULL when the call was answered with the error. */
HubdHubApi *
spaces_call_api(HubdService *service,
		GDBusMethodInvocation *invocation,
		GVariant *options,
		const HubdServiceOption *allowed);

/* The GAsyncReadyCallback of every hubd_hub_api_space_*_async() call:
 * answers the call (user_data, a SpacesCall) as its reply says. */
void
spaces_call_json_cb(GObject *source, GAsyncResult *res, gpointer user_data);

G_END_DECLS
