/* hubd-oauth-login.h: Auth.LoginWeb() — browser login with the OAuth device flow */
#pragma once

#include "hubd-oauth-refresher.h"
#include "hubd-service.h"

G_BEGIN_DECLS

/* Handles one LoginWeb() call on `service` (the Auth service); on success
 * `on_login` is called with `service` so it can announce the new token. */
typedef void (*HubdOAuthLoginDone)(HubdService *service);

/* Serves LoginWeb() on the Auth `service`'s skeleton, and calls `changed`
 * (with `service`) after a browser login or a renewal stored a token. Returns
 * the refresher of those tokens, which the service owns and must drop before
 * its skeleton. */
HubdOAuthRefresher *
hubd_oauth_login_attach(HubdService *service, HubdOAuthLoginDone changed);

void
hubd_oauth_login_start(HubdService *service,
		       HubdOAuthRefresher *refresher,
		       GDBusMethodInvocation *invocation,
		       GVariant *options,
		       HubdOAuthLoginDone on_login);

G_END_DECLS
