/* hubd-oauth-login.c: Auth.LoginWeb() — browser login with the OAuth device flow
 *
 * RFC 8628 as the Hub does it (docs/hub-oauth.md): ask for a device and user
 * code, hand the code and the address to the caller (and to the desktop's
 * browser), then poll the token endpoint as a job until the user approves,
 * denies or the code expires. Polling never blocks: each poll is a timeout
 * on the main loop, `slow_down` adds five seconds, and an inconclusive
 * answer (network error, 5xx) just polls again until the code expires. */
#define G_LOG_DOMAIN "HubdOAuth"

#include "hubd-oauth-login.h"

#include <glib/gi18n.h>

#include "hubd-context-private.h"
#include "hubd-dbus-generated.h"
#include "hubd-error.h"
#include "hubd-hub-api-oauth.h"
#include "hubd-job.h"
#include "hubd-token-store.h"

#define SLOW_DOWN_STEP 5 /* RFC 8628 §3.5 */

typedef struct {
	HubdService *service; /* owned */
	HubdOAuthRefresher *refresher;
	GDBusMethodInvocation *invocation; /* until LoginWeb() returns */
	HubdOAuthLoginDone on_login;
	gchar *name;
	gchar *endpoint;
	gchar *client_id;
	gboolean open_browser;
	HubdHubOAuthDevice *device;
	HubdJob *job;
	guint interval;
	gint64 deadline; /* monotonic, µs */
	guint source_id;
	gulong cancelled_id;
	gboolean finished;
	HubdHubOAuthToken *token;
	HubdHubWhoami *whoami;
	gint64 expires_at; /* unix seconds the token expires at; 0: never */
} Login;

static void
login_free(Login *login)
{
	if (login->source_id != 0)
		g_source_remove(login->source_id);
	if (login->job != NULL && login->cancelled_id != 0)
		g_cancellable_disconnect(hubd_job_get_cancellable(login->job), login->cancelled_id);
	hubd_context_release(hubd_service_get_context(login->service));
	g_object_unref(login->service);
	g_object_unref(login->refresher);
	g_clear_object(&login->invocation);
	g_free(login->name);
	g_free(login->endpoint);
	g_free(login->client_id);
	g_clear_pointer(&login->device, hubd_hub_oauth_device_free);
	g_clear_object(&login->job);
	g_clear_pointer(&login->token, hubd_hub_oauth_token_free);
	g_clear_pointer(&login->whoami, hubd_hub_whoami_unref);
	g_free(login);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Login, login_free)

static HubdContext *
login_context(Login *login)
{
	return hubd_service_get_context(login->service);
}

static HubdHubApi *
login_api(Login *login)
{
	return hubd_context_get_hub_api(login_context(login));
}

/* Ends the job; frees `login`. */
static void
login_fail(Login *login, GError *error)
{
	if (!login->finished) {
		login->finished = TRUE;
		g_message("browser login to %s failed: %s", login->endpoint, error->message);
		hubd_job_fail(login->job, error); /* takes it */
	} else {
		g_error_free(error);
	}
	login_free(login);
}

/* ---- the browser ---- */

static gboolean
login_has_graphical_session(void)
{
	const gchar *wayland = g_getenv("WAYLAND_DISPLAY");
	const gchar *x11 = g_getenv("DISPLAY");

	return (wayland != NULL && wayland[0] != '\0') || (x11 != NULL && x11[0] != '\0');
}

static void
login_browser_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (!g_app_info_launch_default_for_uri_finish(res, &error))
		g_message("cannot open the browser: %s", error->message);
}

static gboolean
login_open_browser(Login *login)
{
	HubdConfig *config = hubd_context_get_config(login_context(login));

	if (!login->open_browser ||
	    !hubd_config_get_boolean(config, "auth", "open-browser", TRUE) ||
	    !login_has_graphical_session())
		return FALSE;
	g_app_info_launch_default_for_uri_async(login->device->verification_uri_complete,
						NULL,
						NULL,
						login_browser_cb,
						NULL);
	return TRUE;
}

/* ---- approved: store the tokens ---- */

static void
login_complete(Login *login, const gchar *storage)
{
	HubdHubWhoami *whoami = login->whoami;
	GVariantBuilder b;

	g_message("logged in to %s as %s through the browser (token “%s”, stored in %s)",
		  login->endpoint,
		  whoami->name,
		  login->name,
		  storage);
	login->finished = TRUE;
	login->on_login(login->service);
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "name", g_variant_new_string(login->name));
	g_variant_builder_add(&b, "{sv}", "user", g_variant_new_string(whoami->name));
	g_variant_builder_add(&b, "{sv}", "fullname", g_variant_new_string(whoami->fullname ?: ""));
	g_variant_builder_add(&b, "{sv}", "role", g_variant_new_string(whoami->token_role ?: ""));
	g_variant_builder_add(&b, "{sv}", "endpoint", g_variant_new_string(login->endpoint));
	g_variant_builder_add(&b, "{sv}", "storage", g_variant_new_string(storage));
	g_variant_builder_add(&b, "{sv}", "expires_at", g_variant_new_int64(login->expires_at));
	hubd_job_complete(login->job, g_variant_builder_end(&b));
}

static void
login_refresh_saved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Login) login = user_data;
	g_autoptr(GError) error = NULL;

	/* the login works; only a restart of hubd would not renew it */
	if (!hubd_oauth_refresher_add_finish(HUBD_OAUTH_REFRESHER(source), res, &error))
		g_warning("cannot store the refresh token of “%s”: %s",
			  login->name,
			  error->message);
	login_complete(login, "keyring");
}

static void
login_saved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Login) login = user_data;
	HubdTokenStore *store = HUBD_TOKEN_STORE(source);
	GError *error = NULL;
	g_autofree gchar *storage = hubd_token_store_dup_storage_label(store);

	if (!hubd_token_store_save_finish(store, res, &error)) {
		login_fail(g_steal_pointer(&login), error);
		return;
	}
	if (login->token->expires_in > 0)
		login->expires_at = g_get_real_time() / G_USEC_PER_SEC + login->token->expires_in;
	if (login->token->refresh_token != NULL && g_strcmp0(storage, "keyring") == 0) {
		g_autoptr(HubdOAuthEntry) entry = hubd_oauth_entry_new(login->endpoint,
								       login->name,
								       login->token->refresh_token,
								       login->expires_at);
		HubdOAuthRefresher *refresher = login->refresher;

		/* the job ends once the refresh token is stored too: a kill
		 * right after a successful login must not lose its renewal */
		hubd_oauth_refresher_add_async(refresher,
					       entry,
					       login_refresh_saved_cb,
					       g_steal_pointer(&login));
		return;
	}
	if (login->token->refresh_token != NULL) {
		/* a refresh token is kept only in the keyring, never in a file */
		g_message("no keyring: the token “%s” will not be renewed", login->name);
	}
	login_complete(login, storage);
}

static void
login_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data);

static void
login_whoami_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Login) login = user_data;
	GError *error = NULL;
	HubdTokenStore *store;

	login->whoami = hubd_hub_api_whoami_finish(HUBD_HUB_API(source), res, &error);
	if (login->finished) { /* cancelled meanwhile */
		g_clear_error(&error);
		return;
	}
	if (login->whoami == NULL) {
		g_prefix_error(&error, _("The Hub gave a token that it then refused: "));
		login_fail(g_steal_pointer(&login), error);
		return;
	}
	if (login->name == NULL)
		login->name = g_strdup_printf("oauth-%s", login->whoami->name);
	/* past this point a cancel would lose an approved login */
	hubd_job_set_cancelable(login->job, FALSE);
	hubd_job_set_phase(login->job, "storing");
	store = hubd_context_get_token_store(login_context(login));
	hubd_token_store_load_async(store, NULL, login_loaded_cb, g_steal_pointer(&login));
}

static void
login_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Login) login = user_data;
	GError *error = NULL;
	Login *owned;

	if (!hubd_token_store_load_finish(HUBD_TOKEN_STORE(source), res, &error)) {
		login_fail(g_steal_pointer(&login), error);
		return;
	}
	owned = g_steal_pointer(&login);

	hubd_token_store_save_async(HUBD_TOKEN_STORE(source),
				    owned->endpoint,
				    owned->name,
				    owned->token->access_token,
				    owned->whoami->name,
				    owned->whoami->token_role,
				    NULL,
				    login_saved_cb,
				    owned);
}

/* ---- polling ---- */

static gboolean
login_poll(gpointer user_data);

static void
login_schedule(Login *login)
{
	g_debug("next poll for the login token in %u s", login->interval);
	login->source_id = g_timeout_add_seconds(login->interval, login_poll, login);
}

static void
login_token_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Login *login = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdHubOAuthToken) token =
		hubd_hub_api_oauth_token_finish(HUBD_HUB_API(source), res, &error);
	const gchar *code = token != NULL ? token->error : NULL;

	g_debug("login token poll: %s",
		token != NULL ? (code != NULL ? code : "a token") : error->message);
	if (login->finished) { /* cancelled while the request was out */
		login_free(login);
		return;
	}
	if (token != NULL && token->access_token != NULL) {
		login->token = g_steal_pointer(&token);
		hubd_job_set_phase(login->job, "approved");
		hubd_hub_api_whoami_async(login_api(login),
					  login->token->access_token,
					  login->endpoint,
					  TRUE,
					  NULL,
					  login_whoami_cb,
					  login);
		return;
	}
	if (error != NULL && g_error_matches(error, HUBD_ERROR, HUBD_ERROR_OFFLINE)) {
		login_fail(login, g_steal_pointer(&error));
		return;
	}
	if (g_strcmp0(code, "slow_down") == 0) {
		login->interval += SLOW_DOWN_STEP;
		g_debug("slow_down: polling every %u s", login->interval);
	} else if (g_strcmp0(code, "access_denied") == 0) {
		login_fail(login,
			   g_error_new_literal(HUBD_ERROR,
					       HUBD_ERROR_FORBIDDEN,
					       _("The login was denied in the browser")));
		return;
	} else if (g_strcmp0(code, "expired_token") == 0) {
		login_fail(login,
			   g_error_new_literal(HUBD_ERROR,
					       HUBD_ERROR_UNAUTHORIZED,
					       _("The login code expired before it was approved; "
						 "start the login again")));
		return;
	} else if (code != NULL && g_strcmp0(code, "authorization_pending") != 0) {
		login_fail(login,
			   g_error_new(HUBD_ERROR,
				       HUBD_ERROR_BAD_REQUEST,
				       /* TRANSLATORS: an OAuth error code, then its description */
				       _("The Hub ended the login: %s %s"),
				       code,
				       token->error_description != NULL ? token->error_description
									: ""));
		return;
	} else if (error != NULL) {
		/* inconclusive: keep polling until the code expires (§3.5) */
		g_debug("polling for the login token: %s", error->message);
	}
	login_schedule(login);
}

static gboolean
login_poll(gpointer user_data)
{
	Login *login = user_data;

	login->source_id = 0;
	if (g_get_monotonic_time() >= login->deadline) {
		login_fail(login,
			   g_error_new_literal(HUBD_ERROR,
					       HUBD_ERROR_UNAUTHORIZED,
					       _("The login code expired before it was approved; "
						 "start the login again")));
		return G_SOURCE_REMOVE;
	}
	hubd_hub_api_oauth_token_async(login_api(login),
				       login->endpoint,
				       login->client_id,
				       login->device->device_code,
				       NULL,
				       NULL,
				       login_token_cb,
				       login);
	return G_SOURCE_REMOVE;
}

static void
login_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	Login *login = user_data;

	if (login->finished)
		return;
	login->finished = TRUE;
	hubd_job_fail(login->job,
		      g_error_new_literal(HUBD_ERROR,
					  HUBD_ERROR_CANCELLED,
					  _("The browser login was cancelled")));
	/* a poll in flight frees `login` when it returns; else free it now,
	 * from an idle: the signal handler may not disconnect itself */
	if (login->source_id != 0) {
		g_source_remove(login->source_id);
		login->source_id = 0;
		g_idle_add_once((GSourceOnceFunc)login_free, login);
	}
}

/* ---- the call ---- */

static void
login_device_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Login) login = user_data;
	GError *error = NULL;
	g_autofree gchar *description = NULL;
	gboolean opened;
	GVariantBuilder b;

	login->device = hubd_hub_api_oauth_device_finish(HUBD_HUB_API(source), res, &error);
	if (login->device == NULL) {
		hubd_service_return_error(login->invocation, error);
		return;
	}
	description = g_strdup_printf(_("Browser login to %s"), login->endpoint);
	login->job = hubd_job_new(login_context(login), "login", description);
	hubd_job_set_owner(login->job, login->invocation);
	hubd_job_set_phase(login->job, "waiting");
	login->interval = login->device->interval;
	login->deadline =
		g_get_monotonic_time() + (gint64)login->device->expires_in * G_USEC_PER_SEC;
	opened = login_open_browser(login);

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b,
			      "{sv}",
			      "verification_uri",
			      g_variant_new_string(login->device->verification_uri));
	g_variant_builder_add(&b,
			      "{sv}",
			      "verification_uri_complete",
			      g_variant_new_string(login->device->verification_uri_complete));
	g_variant_builder_add(&b,
			      "{sv}",
			      "user_code",
			      g_variant_new_string(login->device->user_code));
	g_variant_builder_add(&b,
			      "{sv}",
			      "expires_in",
			      g_variant_new_uint32(login->device->expires_in));
	g_variant_builder_add(&b, "{sv}", "browser_opened", g_variant_new_boolean(opened));
	hubd_dbus_auth_complete_login_web(HUBD_DBUS_AUTH(hubd_service_get_skeleton(login->service)),
					  login->invocation,
					  hubd_job_get_object_path(login->job),
					  g_variant_builder_end(&b));
	g_clear_object(&login->invocation);

	login->cancelled_id = g_cancellable_connect(hubd_job_get_cancellable(login->job),
						    G_CALLBACK(login_cancelled_cb),
						    login,
						    NULL);
	login_schedule(g_steal_pointer(&login));
}

void
hubd_oauth_login_start(HubdService *service,
		       HubdOAuthRefresher *refresher,
		       GDBusMethodInvocation *invocation,
		       GVariant *options,
		       HubdOAuthLoginDone on_login)
{
	static const HubdServiceOption allowed[] = {
		{"name", "s"},
		{"endpoint", "s"},
		{"open_browser", "b"},
		{NULL, NULL},
	};
	HubdContext *context = hubd_service_get_context(service);
	g_autoptr(Login) login = NULL;
	Login *owned;
	const gchar *name = NULL;
	const gchar *endpoint = NULL;
	GError *error = NULL;

	if (!hubd_service_accept_options(invocation, options, allowed))
		return;
	login = g_new0(Login, 1);
	login->service = g_object_ref(service);
	login->refresher = g_object_ref(refresher);
	login->invocation = g_object_ref(invocation);
	login->on_login = on_login;
	login->open_browser = TRUE;
	hubd_context_hold(context);
	g_variant_lookup(options, "open_browser", "b", &login->open_browser);
	if (g_variant_lookup(options, "name", "&s", &name) && name[0] != '\0') {
		if (!hubd_token_store_check_name(name, &error)) {
			hubd_service_return_error(invocation, error);
			return;
		}
		login->name = g_strdup(name);
	}
	if (g_variant_lookup(options, "endpoint", "&s", &endpoint) && endpoint[0] != '\0') {
		login->endpoint = hubd_config_normalize_endpoint(endpoint, &error);
		if (login->endpoint == NULL) {
			hubd_service_return_error(invocation, error);
			return;
		}
	} else {
		login->endpoint = g_strdup(hubd_context_get_endpoint(context));
	}
	login->client_id = hubd_oauth_client_id(context);
	owned = g_steal_pointer(&login);
	hubd_hub_api_oauth_device_async(hubd_context_get_hub_api(context),
					owned->endpoint,
					owned->client_id,
					NULL,
					login_device_cb,
					owned);
}

/* ---- wiring ---- */

typedef struct {
	HubdService *service;          /* not owned: it owns the skeleton and the refresher */
	HubdOAuthRefresher *refresher; /* not owned */
	HubdOAuthLoginDone changed;
} Attach;

static gboolean
login_handle_login_web(HubdDbusAuth *skeleton,
		       GDBusMethodInvocation *invocation,
		       GVariant *options,
		       gpointer user_data)
{
	Attach *attach = user_data;

	hubd_oauth_login_start(attach->service,
			       attach->refresher,
			       invocation,
			       options,
			       attach->changed);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
login_refreshed_cb(HubdOAuthRefresher *refresher,
		   const gchar *endpoint,
		   const gchar *name,
		   gpointer user_data)
{
	Attach *attach = user_data;

	attach->changed(attach->service);
}

HubdOAuthRefresher *
hubd_oauth_login_attach(HubdService *service, HubdOAuthLoginDone changed)
{
	Attach *attach = g_new0(Attach, 1);

	attach->service = service;
	attach->refresher = hubd_oauth_refresher_new(hubd_service_get_context(service));
	attach->changed = changed;
	g_signal_connect(attach->refresher, "refreshed", G_CALLBACK(login_refreshed_cb), attach);
	g_signal_connect_data(hubd_service_get_skeleton(service),
			      "handle-login-web",
			      G_CALLBACK(login_handle_login_web),
			      attach,
			      (GClosureNotify)(void (*)(void))g_free,
			      0);
	return attach->refresher;
}
