/* hubd-caller-set.h: D-Bus callers watching something by key (a Space, an
 * endpoint), each told by a unicast signal and forgotten when it leaves.
 * Compiled into the plugins that need it (spaces, endpoints). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _HubdCallerSet HubdCallerSet;

/* Called when the last caller of `key` left or unwatched. */
typedef void (*HubdCallerSetEmptyFunc)(const gchar *key, gpointer user_data);

HubdCallerSet *
hubd_caller_set_new(HubdCallerSetEmptyFunc empty, gpointer user_data);
void
hubd_caller_set_free(HubdCallerSet *set);
/* Adds the caller of `invocation` to `key`; FALSE when it was there. */
gboolean
hubd_caller_set_add(HubdCallerSet *set, const gchar *key, GDBusMethodInvocation *invocation);
/* Removes the caller of `invocation` from `key` (nothing if absent). */
void
hubd_caller_set_remove(HubdCallerSet *set, const gchar *key, GDBusMethodInvocation *invocation);
/* Sends `signal` (params floating, taken) at /org/hubd/Hub1 to every caller
 * of `key`, or only to the one of `only` when not NULL. */
void
hubd_caller_set_emit(HubdCallerSet *set,
		     const gchar *key,
		     GDBusMethodInvocation *only,
		     const gchar *interface_name,
		     const gchar *signal,
		     GVariant *params);

G_END_DECLS
