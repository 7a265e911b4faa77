/* hubctl-git.h: git integration (client/hubctl-git.c, client/hubctl-lfs-agent.c):
 * the credential helper, `--add-to-git-credential`, and the git-lfs custom
 * transfer agent */
#pragma once

#include "hubctl.h"

G_BEGIN_DECLS

/* `hubctl auth git-credential get|store|erase`; argv[0] is "git-credential". */
gint
hubctl_git_credential(HubctlContext *ctx, gint argc, gchar **argv);

/* `--add-to-git-credential` of `auth login` and `auth switch`: makes this
 * hubctl the only credential helper for hubd's endpoint in the user's global
 * git config (no token is written anywhere). Prints an error and returns
 * FALSE on failure. */
gboolean
hubctl_git_add_credential_helper(HubctlContext *ctx);

/* The absolute path of the running hubctl (what git and git-lfs are told to
 * run), or NULL with an error printed. */
gchar *
hubctl_git_self_path(void);

/* The libhubd client Git calls go to; NULL as hubctl_context_get_client(). */
HubdClient *
hubctl_git_proxy(HubctlContext *ctx);

extern const HubctlCommand hubctl_lfs_enable_largefiles_command; /* hubctl-git.c */
extern const HubctlCommand hubctl_lfs_multipart_upload_command;  /* hubctl-lfs-agent.c */

G_END_DECLS
