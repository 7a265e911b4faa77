/* hubd-endpoints-wait.c: Endpoints.Wait — a job polling an endpoint until it
 * runs with a URL, fails with the API's message, or times out (as
 * huggingface_hub's InferenceEndpoint.wait, docs/hub-endpoints.md §5; the
 * health-route probe it adds is not made) */
#define G_LOG_DOMAIN "HubdEndpoints"

#include "hubd-endpoints-wait.h"

#include <glib/gi18n.h>

#include "hubd-endpoints-config.h"
#include "hubd-endpoints-variant.h"

typedef struct {
	HubdJob *job;
	HubdHubApi *api;
	gchar *base;
	gchar *ns;
	gchar *name;
	guint interval_ms;
	guint timeout_s;
	gint64 deadline;
	guint timer_id;
	gulong cancelled_id;
} EpWait;

static void
ep_wait_poll(EpWait *w);

static void
ep_wait_end(EpWait *w, GError *error, const gchar *url)
{
	if (w->cancelled_id != 0)
		g_signal_handler_disconnect(hubd_job_get_cancellable(w->job), w->cancelled_id);
	g_clear_handle_id(&w->timer_id, g_source_remove);
	if (error != NULL) {
		hubd_job_fail(w->job, error);
	} else {
		GVariantBuilder b;

		g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&b, "{sv}", "state", g_variant_new_string("running"));
		g_variant_builder_add(&b, "{sv}", "url", g_variant_new_string(url));
		hubd_job_complete(w->job, g_variant_builder_end(&b));
	}
	g_object_unref(w->job);
	g_object_unref(w->api);
	g_free(w->base);
	g_free(w->ns);
	g_free(w->name);
	g_free(w);
}

static gboolean
ep_wait_timer_cb(gpointer user_data)
{
	EpWait *w = user_data;

	w->timer_id = 0;
	ep_wait_poll(w);
	return G_SOURCE_REMOVE;
}

static void
ep_wait_got_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	EpWait *w = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) node = hubd_hub_api_endpoints_finish(HUBD_HUB_API(source), res, &error);
	const gchar *state;
	const gchar *message;
	const gchar *url;

	if (node == NULL) {
		if (g_cancellable_is_cancelled(hubd_job_get_cancellable(w->job))) {
			g_clear_error(&error);
			error = g_error_new_literal(HUBD_ERROR,
						    HUBD_ERROR_CANCELLED,
						    _("Cancelled"));
		}
		ep_wait_end(w, error, NULL);
		return;
	}
	state = hubd_endpoints_status_member(node, "state");
	message = hubd_endpoints_status_member(node, "message");
	url = hubd_endpoints_status_member(node, "url");
	if (state != NULL)
		hubd_job_set_phase(w->job, state);
	if (g_strcmp0(state, "running") == 0 && url != NULL) {
		ep_wait_end(w, NULL, url);
		return;
	}
	if (g_strcmp0(state, "failed") == 0 || g_strcmp0(state, "updateFailed") == 0 ||
	    g_strcmp0(state, "paused") == 0) {
		ep_wait_end(w,
			    g_error_new(HUBD_ERROR,
					HUBD_ERROR_DEPLOY_FAILED,
					_("Endpoint %s/%s is %s: %s"),
					w->ns,
					w->name,
					state,
					message != NULL ? message : _("no message from the API")),
			    NULL);
		return;
	}
	if (w->deadline != 0 && g_get_monotonic_time() >= w->deadline) {
		ep_wait_end(w,
			    g_error_new(HUBD_ERROR,
					HUBD_ERROR_TIMED_OUT,
					ngettext("Endpoint %s/%s is still %s after %u second",
						 "Endpoint %s/%s is still %s after %u seconds",
						 w->timeout_s),
					w->ns,
					w->name,
					state != NULL ? state : "?",
					w->timeout_s),
			    NULL);
		return;
	}
	w->timer_id = g_timeout_add(w->interval_ms, ep_wait_timer_cb, w);
}

static void
ep_wait_poll(EpWait *w)
{
	hubd_hub_api_endpoint_get_async(w->api,
					w->base,
					w->ns,
					w->name,
					hubd_job_get_cancellable(w->job),
					ep_wait_got_cb,
					w);
}

static void
ep_wait_cancelled_cb(GCancellable *cancellable, EpWait *w)
{
	if (w->timer_id != 0) {
		g_clear_handle_id(&w->timer_id, g_source_remove);
		w->timer_id = g_idle_add(ep_wait_timer_cb, w);
	}
}

void
hubd_endpoints_wait_start(HubdService *service,
			  GDBusMethodInvocation *invocation,
			  HubdHubApi *api,
			  const gchar *namespace_,
			  const gchar *name,
			  guint timeout_s)
{
	HubdContext *context = hubd_service_get_context(service);
	g_autofree gchar *description =
		g_strdup_printf("wait for endpoint %s/%s", namespace_, name);
	EpWait *w = g_new0(EpWait, 1);

	w->api = api;
	w->base = hubd_endpoints_api_base(service);
	w->ns = g_strdup(namespace_);
	w->name = g_strdup(name);
	w->interval_ms = hubd_endpoints_poll_interval_ms(service);
	w->timeout_s = timeout_s;
	if (timeout_s > 0)
		w->deadline = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;
	w->job = hubd_job_new(context, "endpoint-wait", description);
	hubd_job_set_owner(w->job, invocation);
	w->cancelled_id = g_signal_connect(hubd_job_get_cancellable(w->job),
					   "cancelled",
					   G_CALLBACK(ep_wait_cancelled_cb),
					   w);
	g_dbus_method_invocation_return_value(
		invocation,
		g_variant_new("(o)", hubd_job_get_object_path(w->job)));
	ep_wait_poll(w);
}
