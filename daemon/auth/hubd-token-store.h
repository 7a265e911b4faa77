/* hubd-token-store.h: named Hub tokens per endpoint in the keyring (libsecret)
 * or a 0600 file, which one is active, and HF_TOKEN / systemd credentials */
#pragma once

#include <gio/gio.h>

#include "hubd-config.h"
#include "hubd-hub-token-provider.h"

G_BEGIN_DECLS

typedef enum {
	HUBD_TOKEN_SOURCE_NONE,
	HUBD_TOKEN_SOURCE_ENVIRONMENT, /* HF_TOKEN */
	HUBD_TOKEN_SOURCE_KEYRING,
	HUBD_TOKEN_SOURCE_FILE,
	HUBD_TOKEN_SOURCE_CREDENTIAL, /* $CREDENTIALS_DIRECTORY/hf-token, read-only */
} HubdTokenSource;

/* A stored token as listed: never the secret. */
typedef struct {
	gchar *name;
	gchar *endpoint;
	gchar *user; /* may be "" */
	gchar *role; /* may be "" */
	HubdTokenSource source;
	gboolean active;
} HubdTokenInfo;

void
hubd_token_info_free(HubdTokenInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdTokenInfo, hubd_token_info_free)

#define HUBD_TYPE_TOKEN_STORE (hubd_token_store_get_type())
G_DECLARE_FINAL_TYPE(HubdTokenStore, hubd_token_store, HUBD, TOKEN_STORE, GObject)

/* Backend from `[auth] backend` = auto (default) | keyring | file; "auto"
 * picks the keyring when org.freedesktop.secrets is owned or activatable.
 * `[auth] file` overrides the token file path (default
 * $XDG_CONFIG_HOME/hubd/tokens). */
HubdTokenStore *
hubd_token_store_new(HubdConfig *config);

/* Picks the backend and reads every stored token. Idempotent: later calls
 * complete at once; concurrent calls share one load. */
void
hubd_token_store_load_async(HubdTokenStore *self,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean
hubd_token_store_load_finish(HubdTokenStore *self, GAsyncResult *result, GError **error);
gboolean
hubd_token_store_is_loaded(HubdTokenStore *self);

/* "keyring" or "file:PATH" (where Save puts tokens) */
gchar *
hubd_token_store_dup_storage_label(HubdTokenStore *self);

/* The token requests to `endpoint` use: HF_TOKEN, else the active stored
 * token, else the systemd credential. NULL when none (or not loaded). */
gchar *
hubd_token_store_dup_token(HubdTokenStore *self,
			   const gchar *endpoint,
			   HubdTokenSource *source_out,
			   gchar **name_out);
/* The secret of a stored token (for GetToken and re-use checks). */
gchar *
hubd_token_store_dup_secret(HubdTokenStore *self, const gchar *endpoint, const gchar *name);
/* Name of the active stored token of `endpoint`, or NULL. */
const gchar *
hubd_token_store_get_active(HubdTokenStore *self, const gchar *endpoint);
/* Stored tokens of `endpoint` (NULL = every endpoint), sorted; HubdTokenInfo*. */
GPtrArray *
hubd_token_store_list(HubdTokenStore *self, const gchar *endpoint);

/* Stores (or replaces) a token and makes it active. */
void
hubd_token_store_save_async(HubdTokenStore *self,
			    const gchar *endpoint,
			    const gchar *name,
			    const gchar *token,
			    const gchar *user,
			    const gchar *role,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean
hubd_token_store_save_finish(HubdTokenStore *self, GAsyncResult *result, GError **error);

/* Removes a stored token; NOT_LOGGED_IN when there is none by that name. */
void
hubd_token_store_remove_async(HubdTokenStore *self,
			      const gchar *endpoint,
			      const gchar *name,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
gboolean
hubd_token_store_remove_finish(HubdTokenStore *self, GAsyncResult *result, GError **error);

/* Makes a stored token active; INVALID_ARGUMENT when unknown. */
void
hubd_token_store_set_active_async(HubdTokenStore *self,
				  const gchar *endpoint,
				  const gchar *name,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
gboolean
hubd_token_store_set_active_finish(HubdTokenStore *self, GAsyncResult *result, GError **error);

/* A name a token may be stored under (Login, LoginWeb): 1 to 100 characters,
 * no brackets or line breaks; INVALID_ARGUMENT otherwise. */
gboolean
hubd_token_store_check_name(const gchar *name, GError **error);

G_END_DECLS
