/* hubd-hub-client.c: HubdHubClient, through which all HTTP to the Hub goes —
 * its settings (offline mode, timeouts, retries, user agent) and session, the
 * connection budget of downloads, the token a request goes with, the
 * request/send entry points (one exchange itself: hubd-hub-send.c) and the
 * cached whoami (types: hubd-hub-request.c; Hub answer -> HUBD_ERROR:
 * hubd-hub-error-map.c; the daemon-wide wait for a spent rate limit:
 * hubd-hub-rate-limiter.c; whoami cache: hubd-hub-whoami-cache.c) */
#define G_LOG_DOMAIN "HubdHubClient"

#include "hubd-hub-client.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-client-private.h"
#include "hubd-hub-request-send.h"
#include "hubd-hub-send.h"
#include "hubd-hub-transport.h"
#include "hubd-hub-whoami-cache.h"

#define DEFAULT_TIMEOUT_S   60
#define DEFAULT_ETAG_S      10
#define DEFAULT_RETRY_BASE  1000
#define DEFAULT_MAX_RETRIES 5

/* ---- the client ---- */

struct _HubdHubClient {
	GObject parent_instance;
	HubdConfig *config;
	HubdHubTokenProvider *tokens;
	SoupSession *session;
	gboolean offline;
	guint etag_timeout;
	guint download_timeout;
	guint header_timeout; /* s: the whole head of an answer to a GET or HEAD */
	guint retry_base_ms;
	guint max_retries;
	gchar *user_agent_base; /* hubd/VERSION */
	gchar *user_agent_tail; /* glib/VERSION[; origin/X] */
	gchar *user_agent;      /* both, for callers that set no library */
	HubdHubWhoamiCache *whoami;
	HubdHubRateLimiter *limiter; /* shared by every request of the daemon */
	/* downloads holding connections of the per-host budget */
	guint streams;  /* one connection each */
	guint parallel; /* a fair share each */
};

G_DEFINE_TYPE(HubdHubClient, hubd_hub_client, G_TYPE_OBJECT)

static void
hubd_hub_client_finalize(GObject *object)
{
	HubdHubClient *self = HUBD_HUB_CLIENT(object);

	g_object_unref(self->config);
	g_clear_object(&self->tokens);
	g_object_unref(self->session);
	g_free(self->user_agent_base);
	g_free(self->user_agent_tail);
	g_free(self->user_agent);
	hubd_hub_whoami_cache_free(self->whoami);
	g_object_unref(self->limiter);
	G_OBJECT_CLASS(hubd_hub_client_parent_class)->finalize(object);
}

static void
hubd_hub_client_class_init(HubdHubClientClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_hub_client_finalize;
}

static void
hubd_hub_client_init(HubdHubClient *self)
{
	self->whoami = hubd_hub_whoami_cache_new();
	self->limiter = hubd_hub_rate_limiter_new();
}

static gboolean
hubd_hub_client_env_true(const gchar *name)
{
	const gchar *v = g_getenv(name);

	return v != NULL &&
	       (g_ascii_strcasecmp(v, "1") == 0 || g_ascii_strcasecmp(v, "on") == 0 ||
		g_ascii_strcasecmp(v, "yes") == 0 || g_ascii_strcasecmp(v, "true") == 0);
}

static guint
hubd_hub_client_uint_setting(HubdConfig *config, const gchar *env, const gchar *key, guint fallback)
{
	g_autofree gchar *value = NULL;
	guint64 n = 0;

	if (env != NULL && g_getenv(env) != NULL && g_getenv(env)[0] != '\0') {
		/* huggingface_hub accepts fractional seconds; round up */
		gdouble d = g_ascii_strtod(g_getenv(env), NULL);
		if (d > 0)
			return (guint)MIN(d + 0.999, G_MAXUINT);
	}
	value = hubd_config_get_string(config, "http", key, NULL);
	if (value != NULL && g_ascii_string_to_unsigned(value, 10, 0, G_MAXUINT, &n, NULL))
		return (guint)n;
	if (value != NULL)
		g_warning("[http] %s=%s is not a number, using %u", key, value, fallback);
	return fallback;
}

HubdHubClient *
hubd_hub_client_new(HubdConfig *config, HubdHubTokenProvider *tokens)
{
	HubdHubClient *self = g_object_new(HUBD_TYPE_HUB_CLIENT, NULL);
	const gchar *origin = g_getenv("HF_HUB_USER_AGENT_ORIGIN");
	guint io_timeout;

	self->config = g_object_ref(config);
	self->tokens = tokens != NULL ? g_object_ref(tokens) : NULL;
	self->offline = hubd_hub_client_env_true("HF_HUB_OFFLINE") ||
			hubd_hub_client_env_true("TRANSFORMERS_OFFLINE");
	self->etag_timeout = hubd_hub_client_uint_setting(config,
							  "HF_HUB_ETAG_TIMEOUT",
							  "etag-timeout",
							  DEFAULT_ETAG_S);
	self->download_timeout = hubd_hub_client_uint_setting(config,
							      "HF_HUB_DOWNLOAD_TIMEOUT",
							      "download-timeout",
							      DEFAULT_TIMEOUT_S);
	self->retry_base_ms =
		hubd_hub_client_uint_setting(config, NULL, "retry-base-ms", DEFAULT_RETRY_BASE);
	self->max_retries =
		hubd_hub_client_uint_setting(config, NULL, "max-retries", DEFAULT_MAX_RETRIES);
	/* the session's I/O timeout is a read-inactivity timeout, which is what
	 * HF_HUB_DOWNLOAD_TIMEOUT means; API calls share it */
	io_timeout = hubd_hub_client_uint_setting(config, NULL, "timeout", self->download_timeout);
	self->header_timeout = io_timeout;
	self->user_agent_base = g_strdup_printf("%s/%s", PACKAGE_NAME, PACKAGE_VERSION);
	self->user_agent_tail =
		g_strdup_printf("glib/%u.%u.%u%s%s",
				glib_major_version,
				glib_minor_version,
				glib_micro_version,
				origin != NULL && origin[0] != '\0' ? "; origin/" : "",
				origin != NULL && origin[0] != '\0' ? origin : "");
	self->user_agent = g_strdup_printf("%s; %s", self->user_agent_base, self->user_agent_tail);
	/* libsoup's default of 2 connections per host would serialise parallel
	 * LFS part uploads and parallel downloads */
	self->session = soup_session_new_with_options("max-conns-per-host",
						      HUBD_HUB_MAX_CONNS_PER_HOST,
						      "max-conns",
						      32,
						      "timeout",
						      io_timeout,
						      "idle-timeout",
						      60,
						      NULL);
	hubd_hub_transport_setup(self->session, config);
	return self;
}

const gchar *
hubd_hub_client_get_endpoint(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), NULL);
	return hubd_config_get_endpoint(self->config);
}

gboolean
hubd_hub_client_is_offline(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), FALSE);
	return self->offline;
}

guint
hubd_hub_client_get_etag_timeout(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), DEFAULT_ETAG_S);
	return self->etag_timeout;
}

guint
hubd_hub_client_get_download_timeout(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), DEFAULT_TIMEOUT_S);
	return self->download_timeout;
}

const gchar *
hubd_hub_client_get_user_agent(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), NULL);
	return self->user_agent;
}

/* ---- the connection budget of downloads ---- */

void
hubd_hub_client_hold_download(HubdHubClient *self, gboolean parallel)
{
	g_return_if_fail(HUBD_IS_HUB_CLIENT(self));
	if (parallel)
		self->parallel++;
	else
		self->streams++;
}

void
hubd_hub_client_release_download(HubdHubClient *self, gboolean parallel)
{
	g_return_if_fail(HUBD_IS_HUB_CLIENT(self));
	if (parallel && self->parallel > 0)
		self->parallel--;
	else if (!parallel && self->streams > 0)
		self->streams--;
}

guint
hubd_hub_client_get_download_share(HubdHubClient *self, guint want)
{
	guint used;
	guint left;

	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), 1);
	/* single streams first, with one connection kept for the next one
	 * (a small file is never queued behind a big one's segments); the
	 * rest split evenly among parallel downloads */
	used = self->streams + 1;
	left = used < HUBD_HUB_MAX_CONNS_PER_HOST ? HUBD_HUB_MAX_CONNS_PER_HOST - used : 0;
	return CLAMP(left / MAX(self->parallel, 1), 1, MAX(want, 1));
}

/* ---- what the exchange reads (hubd-hub-client-private.h) ---- */

SoupSession *
hubd_hub_client_get_session(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), NULL);
	return self->session;
}

HubdHubTokenProvider *
hubd_hub_client_get_tokens(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), NULL);
	return self->tokens;
}

guint
hubd_hub_client_get_retry_base_ms(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), DEFAULT_RETRY_BASE);
	return self->retry_base_ms;
}

guint
hubd_hub_client_get_max_retries(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), DEFAULT_MAX_RETRIES);
	return self->max_retries;
}

guint
hubd_hub_client_get_header_timeout(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), DEFAULT_TIMEOUT_S);
	return self->header_timeout;
}

const gchar *
hubd_hub_client_get_user_agent_base(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), NULL);
	return self->user_agent_base;
}

const gchar *
hubd_hub_client_get_user_agent_tail(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), NULL);
	return self->user_agent_tail;
}

/* ---- sending (one exchange itself: hubd-hub-send.c) ---- */

gchar *
hubd_hub_client_dup_token(HubdHubClient *self,
			  const gchar *endpoint,
			  const gchar *token_name,
			  GError **error)
{
	gchar *token;

	if (token_name == NULL)
		return self->tokens != NULL
			       ? hubd_hub_token_provider_dup_token(self->tokens, endpoint)
			       : NULL;
	token = self->tokens != NULL ? hubd_hub_token_provider_dup_named_token(self->tokens,
									       endpoint,
									       token_name)
				     : NULL;
	if (token == NULL)
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_NOT_LOGGED_IN,
			    _("No stored token named “%s” for %s (see “hubctl auth list”)"),
			    token_name,
			    endpoint);
	return token;
}

static void
hubd_hub_client_store_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	/* a keyring that failed to load means anonymous requests, not failure */
	hubd_hub_token_provider_load_finish(HUBD_HUB_TOKEN_PROVIDER(source), res, NULL);
	hubd_hub_send_start(G_TASK(user_data));
}

static void
hubd_hub_client_send_internal(HubdHubClient *self,
			      HubdHubRequest *req,
			      gboolean stream_mode,
			      gpointer source_tag,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, source_tag);
	hubd_hub_send_attach(task, req, stream_mode);
	if (self->offline) {
		g_task_return_new_error(
			task,
			HUBD_ERROR,
			HUBD_ERROR_OFFLINE,
			_("Offline mode is on (HF_HUB_OFFLINE): no request to the Hub "
			  "is made"));
		g_object_unref(task);
		return;
	}
	if (hubd_hub_request_get_token(req) == NULL &&
	    (hubd_hub_request_get_flags(req) & HUBD_HUB_REQUEST_FLAG_ANONYMOUS) == 0 &&
	    self->tokens != NULL && !hubd_hub_token_provider_is_loaded(self->tokens)) {
		hubd_hub_token_provider_load_async(self->tokens,
						   NULL,
						   hubd_hub_client_store_loaded_cb,
						   task);
		return;
	}
	hubd_hub_send_start(task);
}

void
hubd_hub_client_request_async(HubdHubClient *self,
			      HubdHubRequest *req,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_return_if_fail(HUBD_IS_HUB_CLIENT(self));
	g_return_if_fail(req != NULL);
	hubd_hub_client_send_internal(self,
				      req,
				      FALSE,
				      hubd_hub_client_request_async,
				      cancellable,
				      callback,
				      user_data);
}

HubdHubResponse *
hubd_hub_client_request_finish(HubdHubClient *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

void
hubd_hub_client_send_async(HubdHubClient *self,
			   HubdHubRequest *req,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	g_return_if_fail(HUBD_IS_HUB_CLIENT(self));
	g_return_if_fail(req != NULL);
	hubd_hub_client_send_internal(self,
				      req,
				      TRUE,
				      hubd_hub_client_send_async,
				      cancellable,
				      callback,
				      user_data);
}

GInputStream *
hubd_hub_client_send_finish(HubdHubClient *self,
			    GAsyncResult *result,
			    HubdHubResponse **response_out,
			    GError **error)
{
	g_autoptr(HubdHubResponse) resp = NULL;

	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	resp = g_task_propagate_pointer(G_TASK(result), error);
	if (resp == NULL)
		return NULL;
	if (response_out != NULL)
		*response_out = hubd_hub_response_ref(resp);
	return hubd_hub_send_steal_stream(G_TASK(result));
}

/* ---- whoami, cached ---- */

static void
hubd_hub_client_whoami_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	HubdHubClient *self = HUBD_HUB_CLIENT(source);
	GError *error = NULL;
	g_autoptr(JsonNode) node = hubd_hub_client_get_json_finish(self, res, NULL, &error);

	if (node == NULL) {
		g_task_return_error(task, error);
		return;
	}
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The Hub's whoami answer is not a JSON object"));
		return;
	}
	hubd_hub_whoami_cache_store(self->whoami, g_task_get_task_data(task), node);
	g_task_return_pointer(task, g_steal_pointer(&node), (GDestroyNotify)json_node_unref);
}

void
hubd_hub_client_whoami_async(HubdHubClient *self,
			     const gchar *token,
			     const gchar *token_name,
			     const gchar *endpoint,
			     gboolean refresh,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *current = NULL;
	JsonNode *cached;
	gchar *key;

	g_return_if_fail(HUBD_IS_HUB_CLIENT(self));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_client_whoami_async);
	if (endpoint == NULL)
		endpoint = hubd_config_get_endpoint(self->config);
	if (token == NULL) {
		GError *error = NULL;

		token = current = hubd_hub_client_dup_token(self, endpoint, token_name, &error);
		if (error != NULL) {
			g_task_return_error(task, error);
			return;
		}
	}
	if (token == NULL) {
		g_task_return_error(task,
				    hubd_hub_token_provider_no_token_error(self->tokens, endpoint));
		return;
	}
	key = hubd_hub_whoami_cache_key(endpoint, token);
	g_task_set_task_data(task, key, g_free);
	cached = refresh ? NULL : hubd_hub_whoami_cache_lookup(self->whoami, key);
	if (cached != NULL) {
		g_task_return_pointer(task, cached, (GDestroyNotify)json_node_unref);
		return;
	}
	req = hubd_hub_request_new("GET", "/api/whoami-v2");
	hubd_hub_request_set_token(req, token);
	hubd_hub_request_set_endpoint(req, endpoint);
	hubd_hub_client_get_json_async(self,
				       req,
				       cancellable,
				       hubd_hub_client_whoami_cb,
				       g_steal_pointer(&task));
}

JsonNode *
hubd_hub_client_whoami_finish(HubdHubClient *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

HubdHubRateLimiter *
hubd_hub_client_get_rate_limiter(HubdHubClient *self)
{
	g_return_val_if_fail(HUBD_IS_HUB_CLIENT(self), NULL);
	return self->limiter;
}
