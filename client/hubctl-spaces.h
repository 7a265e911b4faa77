/* hubctl-spaces.h: what the `hubctl spaces` files share */
#pragma once

#include "hubctl.h"

G_BEGIN_DECLS

#define HUBCTL_SPACES_IFACE HUBD_INTERFACE_SPACES

/* A plain GDBusProxy of a plugin's `interface_name` at hubd's object, on
 * libhubd's connection (its signals are what `spaces logs` follows); calls
 * wait up to 2 minutes. NULL: unreachable, message printed. */
GDBusProxy *
hubctl_plugin_proxy(HubctlContext *ctx, const gchar *interface_name);
/* A proxy of org.hubd.Hub1.Spaces (NULL: unreachable, message printed). */
GDBusProxy *
hubctl_spaces_proxy(HubctlContext *ctx);
/* Calls `method` and hands back its reply (NULL: the error is in *error; a
 * hubd without the proxy's interface is said so, naming it). Used by
 * `hubctl endpoints` too. */
GVariant *
hubctl_spaces_call(GDBusProxy *proxy, const gchar *method, GVariant *params, GError **error);

/* hubctl-spaces-logs.c */
gint
hubctl_spaces_logs(HubctlContext *ctx, gint argc, gchar **argv);
gint
hubctl_spaces_wait(HubctlContext *ctx, gint argc, gchar **argv);

/* hubctl-spaces-settings.c: secrets, variables, duplicate */
gint
hubctl_spaces_secrets(HubctlContext *ctx, gint argc, gchar **argv);
gint
hubctl_spaces_variables(HubctlContext *ctx, gint argc, gchar **argv);
gint
hubctl_spaces_duplicate(HubctlContext *ctx, gint argc, gchar **argv);
/* KEY=VALUE lines of a .env file (blank lines and # comments skipped, one
 * pair of surrounding quotes removed) into `into`; FALSE + error on a line
 * without '='. */
gboolean
hubctl_spaces_read_env_file(const gchar *path, GHashTable *into, GError **error);

/* KEY=VALUE arguments (-e, or a command's own) into `into`; FALSE with a
 * usage error in *exit_code on one without a key. NULL: none. */
gboolean
hubctl_spaces_add_pairs(const gchar *const *pairs,
			GHashTable *into,
			const gchar *command,
			gint *exit_code);

G_END_DECLS
