/* hubd-git-credential.h: which git credential requests hubd answers (docs/git.md §2) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when git's `protocol` and `host` attributes name exactly the Hub at
 * `endpoint`: same scheme, host and port (a default port may be written or
 * not). Anything else gets no token. */
gboolean
hubd_git_credential_matches(const gchar *endpoint, const gchar *protocol, const gchar *host);

/* The user name to hand git with the token: the Hub user when known, else
 * "hf_user" (the Hub reads only the password). */
const gchar *
hubd_git_credential_username(const gchar *user);

G_END_DECLS
