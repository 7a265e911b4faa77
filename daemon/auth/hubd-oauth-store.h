/* hubd-oauth-store.h: OAuth refresh tokens in the keyring, one item per stored token */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A refresh token and when its access token expires. */
typedef struct {
	gchar *endpoint;
	gchar *name;          /* the stored access token it refreshes */
	gchar *refresh_token; /* secret */
	gint64 expires_at;    /* unix seconds the access token expires at; 0: unknown */
	gboolean interrupted; /* loaded from several items: a renewal was cut off */
} HubdOAuthEntry;

HubdOAuthEntry *
hubd_oauth_entry_new(const gchar *endpoint,
		     const gchar *name,
		     const gchar *refresh_token,
		     gint64 expires_at);
/* Wipes the secret before freeing. */
void
hubd_oauth_entry_free(HubdOAuthEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdOAuthEntry, hubd_oauth_entry_free)

/* Every stored refresh token (HubdOAuthEntry*), one per (endpoint, name):
 * of several items, the newest, marked `interrupted`. Empty, not an error,
 * when the keyring cannot be searched (a file-backed hubd keeps none). */
void
hubd_oauth_store_load_async(gpointer source_object,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
GPtrArray *
hubd_oauth_store_load_finish(GAsyncResult *result);

/* Replaces the item of (entry->endpoint, entry->name): stores the new one,
 * then deletes the others, so a kill in between leaves both and never
 * neither. `entry` is copied. */
void
hubd_oauth_store_save_async(gpointer source_object,
			    const HubdOAuthEntry *entry,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean
hubd_oauth_store_save_finish(GAsyncResult *result, GError **error);

/* Deletes the item of (endpoint, name); none is not an error. */
void
hubd_oauth_store_clear_async(gpointer source_object,
			     const gchar *endpoint,
			     const gchar *name,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
gboolean
hubd_oauth_store_clear_finish(GAsyncResult *result, GError **error);

G_END_DECLS
