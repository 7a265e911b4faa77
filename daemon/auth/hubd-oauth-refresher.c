/* hubd-oauth-refresher.c: renews OAuth access tokens before they expire, for every app
 *
 * A token from LoginWeb expires (the Hub's are good for 30 days) and comes
 * with a refresh token that rotates on use (docs/hub-oauth.md). hubd renews
 * it in the background with the refresh grant, so no app ever sees it
 * expire: the new refresh token replaces the old in the keyring first (the
 * Hub has spent the old one), then the new access token replaces the stored
 * one under the same name (docs/hub-oauth.md §4.4). A renewal is
 * due `[auth] oauth-refresh-margin` seconds (default a day) before expiry,
 * but never before half the remaining life has passed, so a short-lived
 * token is not renewed in a loop. */
#define G_LOG_DOMAIN "HubdOAuth"

#include "hubd-oauth-refresher.h"

#include "hubd-context-private.h"
#include "hubd-error.h"
#include "hubd-hub-api-oauth.h"
#include "hubd-token-store.h"

#define HUBD_OAUTH_CLIENT_ID      "26be6b09-91c5-47da-9861-d2d2bb7a7e36"
#define HUBD_OAUTH_DEFAULT_MARGIN 86400
#define HUBD_OAUTH_RETRY_DELAY    60 /* after a network failure */

struct _HubdOAuthRefresher {
	GObject parent_instance;
	HubdContext *context;      /* not owned: it outlives the services */
	GHashTable *scheduled;     /* "endpoint\nname" -> Pending* */
	GCancellable *cancellable; /* renewals in flight, cancelled at dispose */
};

G_DEFINE_TYPE(HubdOAuthRefresher, hubd_oauth_refresher, G_TYPE_OBJECT)

enum { SIGNAL_REFRESHED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
	HubdOAuthRefresher *self; /* not owned: it removes its entries when finalized */
	HubdOAuthEntry *entry;
	guint source_id;
	gboolean in_flight;
} Pending;

static void
pending_free(Pending *pending)
{
	if (pending->source_id != 0)
		g_source_remove(pending->source_id);
	hubd_oauth_entry_free(pending->entry);
	g_free(pending);
}

static gchar *
hubd_oauth_refresher_key(const gchar *endpoint, const gchar *name)
{
	return g_strconcat(endpoint, "\n", name, NULL);
}

gchar *
hubd_oauth_client_id(HubdContext *context)
{
	return hubd_config_get_string(hubd_context_get_config(context),
				      "auth",
				      "oauth-client-id",
				      HUBD_OAUTH_CLIENT_ID);
}

static gint64
hubd_oauth_refresher_margin(HubdOAuthRefresher *self)
{
	g_autofree gchar *value = hubd_config_get_string(hubd_context_get_config(self->context),
							 "auth",
							 "oauth-refresh-margin",
							 NULL);
	gint64 margin = value != NULL ? g_ascii_strtoll(value, NULL, 10) : 0;

	return margin > 0 ? margin : HUBD_OAUTH_DEFAULT_MARGIN;
}

static void
hubd_oauth_refresher_schedule(HubdOAuthRefresher *self, Pending *pending, gint64 delay);
static void
hubd_oauth_refresher_cleared_cb(GObject *source, GAsyncResult *res, gpointer user_data);

/* Finishes the save of a refresh token. A logout while the keyring stored
 * it found nothing to delete yet, so this deletes it now. */
static gboolean
hubd_oauth_refresher_check_saved(HubdOAuthRefresher *self,
				 GAsyncResult *res,
				 const gchar *key,
				 GError **error)
{
	g_auto(GStrv) login = g_strsplit(key, "\n", 2);

	if (!hubd_oauth_store_save_finish(res, error))
		return FALSE;
	if (!g_hash_table_contains(self->scheduled, key))
		hubd_oauth_store_clear_async(self,
					     login[0],
					     login[1],
					     hubd_oauth_refresher_cleared_cb,
					     NULL);
	return TRUE;
}

/* ---- one renewal ---- */

/* One renewal in flight. It finds its Pending by key at each step: a logout
 * meanwhile removes it, and the renewal then ends quietly. */
typedef struct {
	HubdOAuthRefresher *self; /* owned */
	gchar *key;
	gchar *access_token; /* secret */
	gchar *previous_active;
} Renewal;

static void
renewal_free(Renewal *renewal)
{
	g_object_unref(renewal->self);
	g_free(renewal->key);
	if (renewal->access_token != NULL)
		memset(renewal->access_token, 0, strlen(renewal->access_token));
	g_free(renewal->access_token);
	g_free(renewal->previous_active);
	g_free(renewal);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Renewal, renewal_free)

static Pending *
renewal_pending(Renewal *renewal)
{
	return g_hash_table_lookup(renewal->self->scheduled, renewal->key);
}

static void
hubd_oauth_refresher_retry(Pending *pending, gint64 delay)
{
	pending->in_flight = FALSE;
	hubd_oauth_refresher_schedule(pending->self, pending, delay);
}

static void
hubd_oauth_refresher_reactivated_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (!hubd_token_store_set_active_finish(HUBD_TOKEN_STORE(source), res, &error))
		g_warning("cannot make the active token active again: %s", error->message);
}

static void
hubd_oauth_refresher_saved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Renewal) renewal = user_data;
	HubdTokenStore *store = HUBD_TOKEN_STORE(source);
	g_autoptr(GError) error = NULL;
	gboolean saved = hubd_token_store_save_finish(store, res, &error);
	Pending *pending = renewal_pending(renewal);

	if (pending == NULL)
		return;
	if (!saved) {
		g_warning("cannot store the renewed token “%s”: %s",
			  pending->entry->name,
			  error->message);
		hubd_oauth_refresher_retry(pending, HUBD_OAUTH_RETRY_DELAY);
		return;
	}
	/* a save makes the token active: give the user's choice back */
	if (renewal->previous_active != NULL &&
	    g_strcmp0(renewal->previous_active, pending->entry->name) != 0)
		hubd_token_store_set_active_async(store,
						  pending->entry->endpoint,
						  renewal->previous_active,
						  NULL,
						  hubd_oauth_refresher_reactivated_cb,
						  NULL);
	g_message("renewed the OAuth token “%s” of %s",
		  pending->entry->name,
		  pending->entry->endpoint);
	g_signal_emit(renewal->self,
		      signals[SIGNAL_REFRESHED],
		      0,
		      pending->entry->endpoint,
		      pending->entry->name);
	hubd_oauth_refresher_retry(pending, 0);
}

/* The new refresh token is in the keyring (the Hub spent the old one), so
 * a kill from here on costs a renewal, not the login: now the access token. */
static void
hubd_oauth_refresher_saved_refresh_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Renewal) renewal = user_data;
	HubdTokenStore *store = hubd_context_get_token_store(renewal->self->context);
	Pending *pending = renewal_pending(renewal);
	g_autoptr(GPtrArray) infos = NULL;
	const gchar *user = NULL;
	const gchar *role = NULL;
	Renewal *owned;
	g_autoptr(GError) error = NULL;

	/* not stored, the renewed token still works while hubd runs; only a
	 * restart would need a new login */
	if (!hubd_oauth_refresher_check_saved(renewal->self, res, renewal->key, &error))
		g_warning("cannot store the new refresh token: %s", error->message);
	if (pending == NULL)
		return;
	infos = hubd_token_store_list(store, pending->entry->endpoint);
	for (guint i = 0; i < infos->len; i++) {
		HubdTokenInfo *info = g_ptr_array_index(infos, i);
		if (g_strcmp0(info->name, pending->entry->name) == 0) {
			user = info->user;
			role = info->role;
		}
	}
	renewal->previous_active =
		g_strdup(hubd_token_store_get_active(store, pending->entry->endpoint));
	owned = g_steal_pointer(&renewal);
	hubd_token_store_save_async(store,
				    pending->entry->endpoint,
				    pending->entry->name,
				    owned->access_token,
				    user,
				    role,
				    NULL,
				    hubd_oauth_refresher_saved_cb,
				    owned);
}

static void
hubd_oauth_refresher_token_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Renewal) renewal = user_data;
	HubdOAuthRefresher *self = renewal->self;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdHubOAuthToken) token =
		hubd_hub_api_oauth_token_finish(HUBD_HUB_API(source), res, &error);
	Pending *pending = renewal_pending(renewal);

	if (pending == NULL)
		return;
	if (token == NULL || (token->access_token == NULL && token->error == NULL)) {
		g_warning("cannot renew the OAuth token “%s”: %s; trying again in %d s",
			  pending->entry->name,
			  error != NULL ? error->message : "no answer",
			  HUBD_OAUTH_RETRY_DELAY);
		hubd_oauth_refresher_retry(pending, HUBD_OAUTH_RETRY_DELAY);
		return;
	}
	if (token->access_token == NULL) {
		/* invalid_grant: revoked or spent; only a new login helps */
		g_warning("the Hub refused to renew the OAuth token “%s” (%s); log in again",
			  pending->entry->name,
			  token->error);
		hubd_oauth_refresher_forget(self, pending->entry->endpoint, pending->entry->name);
		return;
	}
	/* the refresh token rotates: the old one is spent now */
	if (token->refresh_token != NULL) {
		g_free(pending->entry->refresh_token);
		pending->entry->refresh_token = g_steal_pointer(&token->refresh_token);
	}
	pending->entry->expires_at =
		token->expires_in > 0 ? g_get_real_time() / G_USEC_PER_SEC + token->expires_in : 0;
	renewal->access_token = g_steal_pointer(&token->access_token);
	hubd_oauth_store_save_async(self,
				    pending->entry,
				    hubd_oauth_refresher_saved_refresh_cb,
				    g_steal_pointer(&renewal));
}

static gboolean
hubd_oauth_refresher_fire(gpointer user_data)
{
	Pending *pending = user_data;
	HubdOAuthRefresher *self = pending->self;
	g_autofree gchar *client_id = hubd_oauth_client_id(self->context);
	Renewal *renewal = g_new0(Renewal, 1);

	pending->source_id = 0;
	pending->in_flight = TRUE;
	renewal->self = g_object_ref(self);
	renewal->key = hubd_oauth_refresher_key(pending->entry->endpoint, pending->entry->name);
	g_debug("renewing the OAuth token “%s”", pending->entry->name);
	hubd_hub_api_oauth_token_async(hubd_context_get_hub_api(self->context),
				       pending->entry->endpoint,
				       client_id,
				       NULL,
				       pending->entry->refresh_token,
				       self->cancellable,
				       hubd_oauth_refresher_token_cb,
				       renewal);
	return G_SOURCE_REMOVE;
}

/* `delay` 0 means "when due", from the entry's expiry */
static void
hubd_oauth_refresher_schedule(HubdOAuthRefresher *self, Pending *pending, gint64 delay)
{
	if (pending->source_id != 0)
		g_source_remove(pending->source_id);
	if (delay == 0) {
		gint64 remaining = pending->entry->expires_at - g_get_real_time() / G_USEC_PER_SEC;
		if (pending->entry->expires_at == 0)
			return; /* a token that does not expire needs no renewal */
		delay = MAX(remaining - hubd_oauth_refresher_margin(self), remaining / 2);
		delay = MAX(delay, 1);
	}
	g_debug("OAuth token “%s” renewed in %" G_GINT64_FORMAT " s", pending->entry->name, delay);
	pending->source_id = g_timeout_add_seconds((guint)MIN(delay, G_MAXUINT / 2),
						   hubd_oauth_refresher_fire,
						   pending);
}

/* ---- tracking ---- */

static void
hubd_oauth_refresher_track(HubdOAuthRefresher *self, const HubdOAuthEntry *entry)
{
	Pending *pending;

	pending = g_new0(Pending, 1);
	pending->self = self;
	pending->entry = hubd_oauth_entry_new(entry->endpoint,
					      entry->name,
					      entry->refresh_token,
					      entry->expires_at);
	g_hash_table_replace(self->scheduled,
			     hubd_oauth_refresher_key(entry->endpoint, entry->name),
			     pending);
	/* a renewal cut off by a kill left the old access token stored with
	 * the new refresh token: renew now rather than at an expiry that is
	 * not the stored token's */
	hubd_oauth_refresher_schedule(self, pending, entry->interrupted ? 1 : 0);
}

static void
hubd_oauth_refresher_added_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;

	if (!hubd_oauth_refresher_check_saved(HUBD_OAUTH_REFRESHER(source),
					      res,
					      g_task_get_task_data(task),
					      &error))
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

void
hubd_oauth_refresher_add_async(HubdOAuthRefresher *self,
			       const HubdOAuthEntry *entry,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	GTask *task;

	g_return_if_fail(HUBD_IS_OAUTH_REFRESHER(self));
	task = g_task_new(self, NULL, callback, user_data);
	g_task_set_source_tag(task, hubd_oauth_refresher_add_async);
	g_task_set_task_data(task, hubd_oauth_refresher_key(entry->endpoint, entry->name), g_free);
	hubd_oauth_refresher_track(self, entry);
	hubd_oauth_store_save_async(self, entry, hubd_oauth_refresher_added_cb, task);
}

gboolean
hubd_oauth_refresher_add_finish(HubdOAuthRefresher *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
hubd_oauth_refresher_cleared_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (!hubd_oauth_store_clear_finish(res, &error))
		g_warning("cannot delete a refresh token: %s", error->message);
}

void
hubd_oauth_refresher_forget(HubdOAuthRefresher *self, const gchar *endpoint, const gchar *name)
{
	g_autofree gchar *key = hubd_oauth_refresher_key(endpoint, name);

	g_return_if_fail(HUBD_IS_OAUTH_REFRESHER(self));
	/* a renewal in flight finds its entry gone and ends there; a token
	 * that was never renewable has no item to delete */
	if (!g_hash_table_remove(self->scheduled, key))
		return;
	hubd_oauth_store_clear_async(self, endpoint, name, hubd_oauth_refresher_cleared_cb, NULL);
}

static void
hubd_oauth_refresher_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdOAuthRefresher) self = HUBD_OAUTH_REFRESHER(user_data);
	g_autoptr(GPtrArray) entries = hubd_oauth_store_load_finish(res);
	HubdTokenStore *store = hubd_context_get_token_store(self->context);

	for (guint i = 0; entries != NULL && i < entries->len; i++) {
		HubdOAuthEntry *entry = g_ptr_array_index(entries, i);
		g_autofree gchar *secret =
			hubd_token_store_dup_secret(store, entry->endpoint, entry->name);

		/* the access token was logged out meanwhile: nothing to renew */
		if (secret == NULL)
			continue;
		memset(secret, 0, strlen(secret));
		hubd_oauth_refresher_track(self, entry);
	}
}

void
hubd_oauth_refresher_start(HubdOAuthRefresher *self)
{
	g_return_if_fail(HUBD_IS_OAUTH_REFRESHER(self));
	hubd_oauth_store_load_async(self, hubd_oauth_refresher_loaded_cb, g_object_ref(self));
}

/* ---- GObject ---- */

HubdOAuthRefresher *
hubd_oauth_refresher_new(HubdContext *context)
{
	HubdOAuthRefresher *self = g_object_new(HUBD_TYPE_OAUTH_REFRESHER, NULL);

	self->context = context;
	return self;
}

static void
hubd_oauth_refresher_dispose(GObject *object)
{
	HubdOAuthRefresher *self = HUBD_OAUTH_REFRESHER(object);

	g_cancellable_cancel(self->cancellable);
	g_hash_table_remove_all(self->scheduled);
	G_OBJECT_CLASS(hubd_oauth_refresher_parent_class)->dispose(object);
}

static void
hubd_oauth_refresher_finalize(GObject *object)
{
	HubdOAuthRefresher *self = HUBD_OAUTH_REFRESHER(object);

	g_hash_table_unref(self->scheduled);
	g_object_unref(self->cancellable);
	G_OBJECT_CLASS(hubd_oauth_refresher_parent_class)->finalize(object);
}

static void
hubd_oauth_refresher_class_init(HubdOAuthRefresherClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = hubd_oauth_refresher_dispose;
	object_class->finalize = hubd_oauth_refresher_finalize;
	signals[SIGNAL_REFRESHED] = g_signal_new("refreshed",
						 G_TYPE_FROM_CLASS(klass),
						 G_SIGNAL_RUN_LAST,
						 0,
						 NULL,
						 NULL,
						 NULL,
						 G_TYPE_NONE,
						 2,
						 G_TYPE_STRING,
						 G_TYPE_STRING);
}

static void
hubd_oauth_refresher_init(HubdOAuthRefresher *self)
{
	self->scheduled = g_hash_table_new_full(g_str_hash,
						g_str_equal,
						g_free,
						(GDestroyNotify)pending_free);
	self->cancellable = g_cancellable_new();
}
