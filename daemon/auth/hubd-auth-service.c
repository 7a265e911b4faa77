/* hubd-auth-service.c: org.hubd.Hub1.Auth — login, stored tokens, whoami */
#define G_LOG_DOMAIN "HubdAuthService"

#include "hubd-auth-service.h"

#include <glib/gi18n.h>

#include "hubd-context-private.h"
#include "hubd-dbus-generated.h"
#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-oauth-login.h"
#include "hubd-token-file.h"
#include "hubd-token-store.h"

struct _HubdAuthService {
	HubdService parent_instance;
	guint busy; /* calls in flight */
	HubdOAuthRefresher *refresher;
};

G_DEFINE_TYPE_WITH_CODE(
	HubdAuthService,
	hubd_auth_service,
	HUBD_TYPE_SERVICE,
	hubd_service_register_extension_point();
	g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT, g_define_type_id, "auth", 900))

typedef struct {
	HubdAuthService *self;
	GDBusMethodInvocation *invocation;
	gchar *token;
	gchar *name;
	gchar *endpoint;
	gboolean refresh;
	HubdHubWhoami *whoami;
	HubdHubApi *api; /* WhoAmI: the call's (its token_name), or NULL */
} Call;

static void
call_free(Call *call)
{
	hubd_context_release(hubd_service_get_context(HUBD_SERVICE(call->self)));
	call->self->busy--;
	g_object_unref(call->self);
	g_clear_object(&call->invocation);
	if (call->token != NULL)
		memset(call->token, 0, strlen(call->token));
	g_free(call->token);
	g_free(call->name);
	g_free(call->endpoint);
	g_clear_pointer(&call->whoami, hubd_hub_whoami_unref);
	g_clear_object(&call->api);
	g_free(call);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Call, call_free)

static Call *
call_new(HubdAuthService *self, GDBusMethodInvocation *invocation)
{
	Call *call = g_new0(Call, 1);

	call->self = g_object_ref(self);
	call->invocation = g_object_ref(invocation);
	self->busy++;
	hubd_context_hold(hubd_service_get_context(HUBD_SERVICE(self)));
	return call;
}

static HubdContext *
hubd_auth_service_context(HubdAuthService *self)
{
	return hubd_service_get_context(HUBD_SERVICE(self));
}

static HubdTokenStore *
hubd_auth_service_store(HubdAuthService *self)
{
	return hubd_context_get_token_store(hubd_auth_service_context(self));
}

static HubdHubApi *
hubd_auth_service_api(HubdAuthService *self)
{
	return hubd_context_get_hub_api(hubd_auth_service_context(self));
}

static HubdDbusAuth *
hubd_auth_service_skeleton(HubdAuthService *self)
{
	return HUBD_DBUS_AUTH(hubd_service_get_skeleton(HUBD_SERVICE(self)));
}

static const gchar *
hubd_auth_service_source_name(HubdTokenSource source)
{
	switch (source) {
	case HUBD_TOKEN_SOURCE_ENVIRONMENT:
		return "environment";
	case HUBD_TOKEN_SOURCE_KEYRING:
		return "keyring";
	case HUBD_TOKEN_SOURCE_FILE:
		return "file";
	case HUBD_TOKEN_SOURCE_CREDENTIAL:
		return "credential";
	case HUBD_TOKEN_SOURCE_NONE:
	default:
		return "none";
	}
}

/* ---- LoggedIn / User ---- */

/* The entry of `list` (hubd_token_store_list()) named `name`, or NULL. */
static HubdTokenInfo *
hubd_auth_service_find_info(GPtrArray *list, const gchar *name)
{
	for (guint i = 0; i < list->len; i++) {
		HubdTokenInfo *info = g_ptr_array_index(list, i);
		if (g_strcmp0(info->name, name) == 0)
			return info;
	}
	return NULL;
}

static void
hubd_auth_service_user_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdAuthService) self = HUBD_AUTH_SERVICE(user_data);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdHubWhoami) whoami =
		hubd_hub_api_whoami_finish(HUBD_HUB_API(source), res, &error);

	if (whoami == NULL) {
		g_debug("cannot learn the user of the current token: %s", error->message);
		return;
	}
	hubd_dbus_auth_set_user(hubd_auth_service_skeleton(self), whoami->name);
}

/* Recomputes LoggedIn and User from the store; the user comes from the stored
 * token's attributes, or from a (cached) whoami for HF_TOKEN/credentials. */
static void
hubd_auth_service_update(HubdAuthService *self, gboolean emit_changed)
{
	HubdTokenStore *store = hubd_auth_service_store(self);
	HubdDbusAuth *skeleton = hubd_auth_service_skeleton(self);
	const gchar *endpoint = hubd_context_get_endpoint(hubd_auth_service_context(self));
	HubdTokenSource source = HUBD_TOKEN_SOURCE_NONE;
	g_autofree gchar *name = NULL;
	g_autofree gchar *token = hubd_token_store_dup_token(store, endpoint, &source, &name);
	const gchar *user = "";

	if (source == HUBD_TOKEN_SOURCE_KEYRING || source == HUBD_TOKEN_SOURCE_FILE) {
		g_autoptr(GPtrArray) list = hubd_token_store_list(store, endpoint);
		HubdTokenInfo *info = hubd_auth_service_find_info(list, name);

		hubd_dbus_auth_set_user(skeleton, info != NULL ? info->user : user);
	} else if (token != NULL) {
		/* keep the old value until the Hub tells us */
		if (!hubd_hub_api_is_offline(hubd_auth_service_api(self)))
			hubd_hub_api_whoami_async(hubd_auth_service_api(self),
						  token,
						  endpoint,
						  FALSE,
						  NULL,
						  hubd_auth_service_user_cb,
						  g_object_ref(self));
	} else {
		hubd_dbus_auth_set_user(skeleton, "");
	}
	hubd_dbus_auth_set_logged_in(skeleton, token != NULL);
	if (token != NULL)
		memset(token, 0, strlen(token));
	if (emit_changed)
		hubd_dbus_auth_emit_changed(skeleton);
}

static void
hubd_auth_service_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdAuthService) self = HUBD_AUTH_SERVICE(user_data);
	g_autoptr(GError) error = NULL;

	if (!hubd_token_store_load_finish(HUBD_TOKEN_STORE(source), res, &error))
		g_warning("cannot read the stored tokens: %s", error->message);
	hubd_auth_service_update(self, FALSE);
	hubd_oauth_refresher_start(self->refresher);
}

/* Runs `next` once the store has read its tokens (at once after start-up). */
static void
hubd_auth_service_with_store(Call *call, GAsyncReadyCallback next)
{
	hubd_token_store_load_async(hubd_auth_service_store(call->self), NULL, next, call);
}

static gboolean
hubd_auth_service_store_ready(Call *call, GAsyncResult *res)
{
	GError *error = NULL;

	/* the keyring refused to load: report it, nothing else would work */
	if (!hubd_token_store_load_finish(hubd_auth_service_store(call->self), res, &error)) {
		hubd_service_return_error(call->invocation, error);
		call_free(call);
		return FALSE;
	}
	return TRUE;
}

/* ---- WhoAmI ---- */

/* Where the stored token `name` of `endpoint` is kept (keyring or file). */
static HubdTokenSource
hubd_auth_service_named_source(HubdAuthService *self, const gchar *endpoint, const gchar *name)
{
	g_autoptr(GPtrArray) list = hubd_token_store_list(hubd_auth_service_store(self), endpoint);
	HubdTokenInfo *info = hubd_auth_service_find_info(list, name);

	return info != NULL ? info->source : HUBD_TOKEN_SOURCE_NONE;
}

static GVariant *
hubd_auth_service_whoami_dict(HubdHubWhoami *whoami, HubdTokenSource source)
{
	g_autofree gchar *json = json_to_string(whoami->json, FALSE);
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "name", g_variant_new_string(whoami->name));
	g_variant_builder_add(&b, "{sv}", "fullname", g_variant_new_string(whoami->fullname ?: ""));
	g_variant_builder_add(&b, "{sv}", "email", g_variant_new_string(whoami->email ?: ""));
	g_variant_builder_add(&b, "{sv}", "type", g_variant_new_string(whoami->type ?: ""));
	g_variant_builder_add(&b,
			      "{sv}",
			      "orgs",
			      g_variant_new_strv((const gchar *const *)whoami->orgs, -1));
	g_variant_builder_add(&b, "{sv}", "role", g_variant_new_string(whoami->token_role ?: ""));
	g_variant_builder_add(&b,
			      "{sv}",
			      "token_name",
			      g_variant_new_string(whoami->token_name ?: ""));
	g_variant_builder_add(&b,
			      "{sv}",
			      "source",
			      g_variant_new_string(hubd_auth_service_source_name(source)));
	g_variant_builder_add(&b, "{sv}", "json", g_variant_new_string(json));
	return g_variant_builder_end(&b);
}

static void
hubd_auth_service_whoami_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubWhoami) whoami =
		hubd_hub_api_whoami_finish(HUBD_HUB_API(source), res, &error);
	HubdTokenSource token_source = HUBD_TOKEN_SOURCE_NONE;
	g_autofree gchar *token = NULL;
	HubdDbusAuth *skeleton = hubd_auth_service_skeleton(call->self);

	if (whoami == NULL) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	if (hubd_hub_api_get_token_name(call->api) != NULL) {
		/* another stored token than the active one: User stays the active's */
		token_source =
			hubd_auth_service_named_source(call->self,
						       call->endpoint,
						       hubd_hub_api_get_token_name(call->api));
	} else {
		token = hubd_token_store_dup_token(hubd_auth_service_store(call->self),
						   call->endpoint,
						   &token_source,
						   NULL);
		/* a fresh answer also keeps User current (HF_TOKEN has no stored user) */
		if (g_strcmp0(hubd_dbus_auth_get_user(skeleton), whoami->name) != 0)
			hubd_dbus_auth_set_user(skeleton, whoami->name);
	}
	hubd_dbus_auth_complete_who_am_i(skeleton,
					 call->invocation,
					 hubd_auth_service_whoami_dict(whoami, token_source));
}

static void
hubd_auth_service_whoami_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Call *call = user_data;
	g_autofree gchar *token = NULL;

	if (!hubd_auth_service_store_ready(call, res))
		return;
	/* a token_name: the client finds that stored token, or says there is none */
	if (hubd_hub_api_get_token_name(call->api) == NULL)
		token = hubd_token_store_dup_token(hubd_auth_service_store(call->self),
						   call->endpoint,
						   NULL,
						   NULL);
	if (token == NULL && hubd_hub_api_get_token_name(call->api) == NULL) {
		hubd_service_return_error(
			call->invocation,
			hubd_hub_token_provider_no_token_error(
				HUBD_HUB_TOKEN_PROVIDER(hubd_auth_service_store(call->self)),
				call->endpoint));
		call_free(call);
		return;
	}
	hubd_hub_api_whoami_async(call->api,
				  token,
				  call->endpoint,
				  call->refresh,
				  NULL,
				  hubd_auth_service_whoami_done_cb,
				  call);
}

static gboolean
hubd_auth_service_handle_who_am_i(HubdDbusAuth *skeleton,
				  GDBusMethodInvocation *invocation,
				  GVariant *options,
				  gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"refresh", "b"}, {NULL, NULL}};
	HubdAuthService *self = HUBD_AUTH_SERVICE(user_data);
	Call *call;

	GError *error = NULL;

	if (!hubd_service_check_hub_options(options, allowed, &error)) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	call = call_new(self, invocation);
	call->endpoint = g_strdup(hubd_context_get_endpoint(hubd_auth_service_context(self)));
	call->api = hubd_hub_api_new_for_call(hubd_auth_service_api(self), options);
	g_variant_lookup(options, "refresh", "b", &call->refresh);
	hubd_auth_service_with_store(call, hubd_auth_service_whoami_loaded_cb);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- Login ---- */

static void
hubd_auth_service_saved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	HubdTokenStore *store = HUBD_TOKEN_STORE(source);
	GError *error = NULL;
	HubdHubWhoami *whoami = call->whoami;
	g_autofree gchar *storage = hubd_token_store_dup_storage_label(store);
	GVariantBuilder b;

	if (!hubd_token_store_save_finish(store, res, &error)) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	g_message("logged in to %s as %s (token “%s”, stored in %s)",
		  call->endpoint,
		  whoami->name,
		  call->name,
		  storage);
	hubd_auth_service_update(call->self, TRUE);
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "name", g_variant_new_string(call->name));
	g_variant_builder_add(&b, "{sv}", "user", g_variant_new_string(whoami->name));
	g_variant_builder_add(&b, "{sv}", "fullname", g_variant_new_string(whoami->fullname ?: ""));
	g_variant_builder_add(&b, "{sv}", "role", g_variant_new_string(whoami->token_role ?: ""));
	g_variant_builder_add(&b, "{sv}", "endpoint", g_variant_new_string(call->endpoint));
	g_variant_builder_add(&b, "{sv}", "storage", g_variant_new_string(storage));
	hubd_dbus_auth_complete_login(hubd_auth_service_skeleton(call->self),
				      call->invocation,
				      g_variant_builder_end(&b));
}

static void
hubd_auth_service_login_validated_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Call *call = user_data;
	GError *error = NULL;

	call->whoami = hubd_hub_api_whoami_finish(HUBD_HUB_API(source), res, &error);
	if (call->whoami == NULL) {
		g_prefix_error(&error, _("The token was not stored: "));
		hubd_service_return_error(call->invocation, error);
		call_free(call);
		return;
	}
	if (call->name == NULL) {
		/* as huggingface_hub: the token's name on the Hub, else oauth-USER */
		call->name = call->whoami->token_name != NULL
				     ? g_strdup(call->whoami->token_name)
				     : g_strdup_printf("oauth-%s", call->whoami->name);
	}
	if (!hubd_token_store_check_name(call->name, &error)) {
		hubd_service_return_error(call->invocation, error);
		call_free(call);
		return;
	}
	hubd_token_store_save_async(hubd_auth_service_store(call->self),
				    call->endpoint,
				    call->name,
				    call->token,
				    call->whoami->name,
				    call->whoami->token_role,
				    NULL,
				    hubd_auth_service_saved_cb,
				    call);
}

static void
hubd_auth_service_login_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Call *call = user_data;

	if (!hubd_auth_service_store_ready(call, res))
		return;
	/* refresh: a login must prove the token now, not a minute ago */
	hubd_hub_api_whoami_async(hubd_auth_service_api(call->self),
				  call->token,
				  call->endpoint,
				  TRUE,
				  NULL,
				  hubd_auth_service_login_validated_cb,
				  call);
}

static gboolean
hubd_auth_service_handle_login(HubdDbusAuth *skeleton,
			       GDBusMethodInvocation *invocation,
			       const gchar *token,
			       GVariant *options,
			       gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"name", "s"}, {"endpoint", "s"}, {NULL, NULL}};
	HubdAuthService *self = HUBD_AUTH_SERVICE(user_data);
	g_autoptr(Call) call = NULL;
	const gchar *name = NULL;
	const gchar *endpoint = NULL;
	GError *error = NULL;

	if (!hubd_service_accept_options(invocation, options, allowed))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	call = call_new(self, invocation);
	call->token = hubd_token_clean(token);
	if (call->token == NULL || !g_str_has_prefix(call->token, "hf_") ||
	    strpbrk(call->token, " \t") != NULL) {
		hubd_service_return_error(
			invocation,
			g_error_new_literal(HUBD_ERROR,
					    HUBD_ERROR_INVALID_ARGUMENT,
					    _("This is not a Hugging Face user access token (those "
					      "start with “hf_”; create one at "
					      "https://huggingface.co/settings/tokens)")));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (g_variant_lookup(options, "name", "&s", &name) && name[0] != '\0') {
		if (!hubd_token_store_check_name(name, &error)) {
			hubd_service_return_error(invocation, error);
			return G_DBUS_METHOD_INVOCATION_HANDLED;
		}
		call->name = g_strdup(name);
	}
	if (g_variant_lookup(options, "endpoint", "&s", &endpoint) && endpoint[0] != '\0') {
		call->endpoint = hubd_config_normalize_endpoint(endpoint, &error);
		if (call->endpoint == NULL) {
			hubd_service_return_error(invocation, error);
			return G_DBUS_METHOD_INVOCATION_HANDLED;
		}
	} else {
		call->endpoint =
			g_strdup(hubd_context_get_endpoint(hubd_auth_service_context(self)));
	}
	hubd_auth_service_with_store(g_steal_pointer(&call), hubd_auth_service_login_loaded_cb);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- Logout / SwitchToken ---- */

static void
hubd_auth_service_logout_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	GError *error = NULL;

	if (!hubd_token_store_remove_finish(HUBD_TOKEN_STORE(source), res, &error)) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	g_message("removed token “%s” for %s", call->name, call->endpoint);
	hubd_oauth_refresher_forget(call->self->refresher, call->endpoint, call->name);
	hubd_auth_service_update(call->self, TRUE);
	hubd_dbus_auth_complete_logout(hubd_auth_service_skeleton(call->self), call->invocation);
}

static void
hubd_auth_service_logout_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Call *call = user_data;
	HubdTokenStore *store = hubd_auth_service_store(call->self);

	if (!hubd_auth_service_store_ready(call, res))
		return;
	if (call->name == NULL) {
		const gchar *active = hubd_token_store_get_active(store, call->endpoint);
		if (active == NULL) {
			hubd_service_return_error(
				call->invocation,
				g_error_new(HUBD_ERROR,
					    HUBD_ERROR_NOT_LOGGED_IN,
					    g_getenv("HF_TOKEN") != NULL
						    ? _("No stored token is active for %s; the "
							"token in hubd’s HF_TOKEN environment "
							"variable stays in use")
						    : _("Not logged in to %s: no stored token is "
							"active"),
					    call->endpoint));
			call_free(call);
			return;
		}
		call->name = g_strdup(active);
	}
	hubd_token_store_remove_async(store,
				      call->endpoint,
				      call->name,
				      NULL,
				      hubd_auth_service_logout_done_cb,
				      call);
}

static gboolean
hubd_auth_service_handle_logout(HubdDbusAuth *skeleton,
				GDBusMethodInvocation *invocation,
				const gchar *name,
				GVariant *options,
				gpointer user_data)
{
	HubdAuthService *self = HUBD_AUTH_SERVICE(user_data);
	Call *call;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	call = call_new(self, invocation);
	call->endpoint = g_strdup(hubd_context_get_endpoint(hubd_auth_service_context(self)));
	call->name = name[0] != '\0' ? g_strdup(name) : NULL;
	hubd_auth_service_with_store(call, hubd_auth_service_logout_loaded_cb);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
hubd_auth_service_switched_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	GError *error = NULL;

	if (!hubd_token_store_set_active_finish(HUBD_TOKEN_STORE(source), res, &error)) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	g_message("token “%s” is now active for %s", call->name, call->endpoint);
	hubd_auth_service_update(call->self, TRUE);
	hubd_dbus_auth_complete_switch_token(hubd_auth_service_skeleton(call->self),
					     call->invocation);
}

static void
hubd_auth_service_switch_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Call *call = user_data;

	if (!hubd_auth_service_store_ready(call, res))
		return;
	hubd_token_store_set_active_async(hubd_auth_service_store(call->self),
					  call->endpoint,
					  call->name,
					  NULL,
					  hubd_auth_service_switched_cb,
					  call);
}

static gboolean
hubd_auth_service_handle_switch_token(HubdDbusAuth *skeleton,
				      GDBusMethodInvocation *invocation,
				      const gchar *name,
				      GVariant *options,
				      gpointer user_data)
{
	HubdAuthService *self = HUBD_AUTH_SERVICE(user_data);
	Call *call;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	call = call_new(self, invocation);
	call->endpoint = g_strdup(hubd_context_get_endpoint(hubd_auth_service_context(self)));
	call->name = g_strdup(name);
	hubd_auth_service_with_store(call, hubd_auth_service_switch_loaded_cb);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- ListTokens / GetToken ---- */

static void
hubd_auth_service_list_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	HubdTokenStore *store = hubd_auth_service_store(call->self);
	const gchar *own = hubd_context_get_endpoint(hubd_auth_service_context(call->self));
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) list = NULL;
	HubdTokenSource in_use_source = HUBD_TOKEN_SOURCE_NONE;
	g_autofree gchar *in_use = NULL;
	g_autofree gchar *token = NULL;
	GVariantBuilder b;

	/* an unreadable keyring lists nothing rather than failing */
	if (!hubd_token_store_load_finish(store, res, &error_local))
		g_debug("listing without a loaded store: %s", error_local->message);
	list = hubd_token_store_list(store, NULL);
	token = hubd_token_store_dup_token(store, own, &in_use_source, &in_use);
	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < list->len; i++) {
		HubdTokenInfo *info = g_ptr_array_index(list, i);
		gboolean used = in_use_source == info->source &&
				g_strcmp0(info->endpoint, own) == 0 &&
				g_strcmp0(in_use, info->name) == 0;
		g_variant_builder_open(&b, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&b, "{sv}", "name", g_variant_new_string(info->name));
		g_variant_builder_add(&b, "{sv}", "endpoint", g_variant_new_string(info->endpoint));
		g_variant_builder_add(&b, "{sv}", "active", g_variant_new_boolean(info->active));
		g_variant_builder_add(&b, "{sv}", "in_use", g_variant_new_boolean(used));
		g_variant_builder_add(&b, "{sv}", "user", g_variant_new_string(info->user));
		g_variant_builder_add(&b, "{sv}", "role", g_variant_new_string(info->role));
		g_variant_builder_add(
			&b,
			"{sv}",
			"storage",
			g_variant_new_string(hubd_auth_service_source_name(info->source)));
		g_variant_builder_close(&b);
	}
	if (token != NULL)
		memset(token, 0, strlen(token));
	hubd_dbus_auth_complete_list_tokens(hubd_auth_service_skeleton(call->self),
					    call->invocation,
					    g_variant_builder_end(&b));
}

static gboolean
hubd_auth_service_handle_list_tokens(HubdDbusAuth *skeleton,
				     GDBusMethodInvocation *invocation,
				     GVariant *options,
				     gpointer user_data)
{
	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	hubd_auth_service_with_store(call_new(HUBD_AUTH_SERVICE(user_data), invocation),
				     hubd_auth_service_list_loaded_cb);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
hubd_auth_service_get_token_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Call *call = user_data;
	const gchar *own = hubd_context_get_endpoint(hubd_auth_service_context(call->self));
	g_autofree gchar *token = NULL;

	if (!hubd_auth_service_store_ready(call, res))
		return;
	token = hubd_token_store_dup_token(hubd_auth_service_store(call->self), own, NULL, NULL);
	if (token == NULL) {
		hubd_service_return_error(
			call->invocation,
			hubd_hub_token_provider_no_token_error(
				HUBD_HUB_TOKEN_PROVIDER(hubd_auth_service_store(call->self)),
				own));
	} else {
		hubd_dbus_auth_complete_get_token(hubd_auth_service_skeleton(call->self),
						  call->invocation,
						  token);
		memset(token, 0, strlen(token));
	}
	call_free(call);
}

static gboolean
hubd_auth_service_handle_get_token(HubdDbusAuth *skeleton,
				   GDBusMethodInvocation *invocation,
				   GVariant *options,
				   gpointer user_data)
{
	HubdAuthService *self = HUBD_AUTH_SERVICE(user_data);

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	if (!hubd_service_get_config_boolean(HUBD_SERVICE(self), "expose-token", FALSE)) {
		hubd_service_return_error(
			invocation,
			g_error_new_literal(
				HUBD_ERROR,
				HUBD_ERROR_FORBIDDEN,
				_("hubd does not hand out tokens. To allow it, set "
				  "“expose-token=true” in the [auth] group of hubd.conf "
				  "(or start hubd with --set auth.expose-token=true)")));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	hubd_auth_service_with_store(call_new(self, invocation),
				     hubd_auth_service_get_token_loaded_cb);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* after a browser login or a renewal stored a token (hubd-oauth-login.c) */
static void
hubd_auth_service_token_changed(HubdService *service)
{
	hubd_auth_service_update(HUBD_AUTH_SERVICE(service), TRUE);
}

/* ---- HubdService ---- */

static GDBusInterfaceSkeleton *
hubd_auth_service_create_skeleton(HubdService *service)
{
	HubdDbusAuth *skeleton = hubd_dbus_auth_skeleton_new();

	hubd_dbus_auth_set_user(skeleton, "");
	g_signal_connect(skeleton,
			 "handle-login",
			 G_CALLBACK(hubd_auth_service_handle_login),
			 service);
	g_signal_connect(skeleton,
			 "handle-logout",
			 G_CALLBACK(hubd_auth_service_handle_logout),
			 service);
	g_signal_connect(skeleton,
			 "handle-list-tokens",
			 G_CALLBACK(hubd_auth_service_handle_list_tokens),
			 service);
	g_signal_connect(skeleton,
			 "handle-switch-token",
			 G_CALLBACK(hubd_auth_service_handle_switch_token),
			 service);
	g_signal_connect(skeleton,
			 "handle-who-am-i",
			 G_CALLBACK(hubd_auth_service_handle_who_am_i),
			 service);
	g_signal_connect(skeleton,
			 "handle-get-token",
			 G_CALLBACK(hubd_auth_service_handle_get_token),
			 service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static gboolean
hubd_auth_service_start(HubdService *service, GError **error)
{
	HubdAuthService *self = HUBD_AUTH_SERVICE(service);

	self->refresher = hubd_oauth_login_attach(service, hubd_auth_service_token_changed);
	/* LoggedIn/User are right soon after start-up, without a call */
	hubd_token_store_load_async(hubd_auth_service_store(self),
				    NULL,
				    hubd_auth_service_loaded_cb,
				    g_object_ref(self));
	return TRUE;
}

static gboolean
hubd_auth_service_is_busy(HubdService *service)
{
	return HUBD_AUTH_SERVICE(service)->busy > 0;
}

static void
hubd_auth_service_dispose(GObject *object)
{
	HubdAuthService *self = HUBD_AUTH_SERVICE(object);

	/* renewals in flight hold it: stop them now, not when they end */
	if (self->refresher != NULL)
		g_object_run_dispose(G_OBJECT(self->refresher));
	g_clear_object(&self->refresher);
	G_OBJECT_CLASS(hubd_auth_service_parent_class)->dispose(object);
}

static void
hubd_auth_service_class_init(HubdAuthServiceClass *klass)
{
	HubdServiceClass *service_class = HUBD_SERVICE_CLASS(klass);

	G_OBJECT_CLASS(klass)->dispose = hubd_auth_service_dispose;
	service_class->create_skeleton = hubd_auth_service_create_skeleton;
	service_class->start = hubd_auth_service_start;
	service_class->is_busy = hubd_auth_service_is_busy;
}

static void
hubd_auth_service_init(HubdAuthService *self)
{
}
