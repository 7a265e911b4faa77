/* hubd-token-keyring.h: HubdTokenStore's keyring: the Secret Service probe and the token items */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Whether a Secret Service (org.freedesktop.secrets) is running or
 * activatable on the session bus. `why` gets a static string saying how it
 * was decided, for the log. */
void
hubd_token_keyring_probe_async(gpointer source_object,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
hubd_token_keyring_probe_finish(GAsyncResult *result, const gchar **why);

/* Every stored token (HubdTokenEntry*, secrets included). The keyring is
 * never asked to unlock (no prompt: a daemon serving every app cannot say
 * which one asked, and a prompt would hold every call needing a token);
 * an item in a locked collection is counted in *n_locked, and the error
 * callers then give says to unlock it. Another unreadable item is skipped
 * with a warning; an error only when the keyring cannot be searched. */
void
hubd_token_keyring_load_async(gpointer source_object,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
GPtrArray *
hubd_token_keyring_load_finish(GAsyncResult *result, guint *n_locked, GError **error);

/* Deletes the item of (endpoint, name); none to delete is not an error. */
void
hubd_token_keyring_clear_async(gpointer source_object,
			       const gchar *endpoint,
			       const gchar *name,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
hubd_token_keyring_clear_finish(GAsyncResult *result, GError **error);

/* Stores `token` as a new item in the default collection; `user` and `role`
 * may be NULL (stored as ""). Keep `token` alive until the callback. */
void
hubd_token_keyring_store_async(gpointer source_object,
			       const gchar *endpoint,
			       const gchar *name,
			       const gchar *token,
			       const gchar *user,
			       const gchar *role,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
hubd_token_keyring_store_finish(GAsyncResult *result, GError **error);

G_END_DECLS
