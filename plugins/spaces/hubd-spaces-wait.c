/* hubd-spaces-wait.c: Spaces.Wait — a job that polls a Space's runtime until
 * it reaches a stage, fails with the Space's own error, or times out (as
 * huggingface_hub's wait_for_space and `hf spaces wait`, docs/hub-spaces.md) */
#define G_LOG_DOMAIN "HubdSpaces"

#include <glib/gi18n.h>

#include "hubd-spaces-plugin.h"
#include "hubd-spaces-variant.h"

typedef struct {
	HubdJob *job;
	HubdHubApi *api;
	gchar *space_id;
	gchar *stage; /* the one waited for */
	guint interval_ms;
	gint64 deadline; /* monotonic µs; 0: none */
	guint timeout_s;
	gchar *last_stage;
	guint timer_id;
	gulong cancelled_id;
} WaitJob;

static void
wait_poll(WaitJob *w);

static void
wait_end(WaitJob *w, GError *error, JsonNode *runtime)
{
	if (w->cancelled_id != 0)
		g_signal_handler_disconnect(hubd_job_get_cancellable(w->job), w->cancelled_id);
	g_clear_handle_id(&w->timer_id, g_source_remove);
	if (error != NULL) {
		hubd_job_fail(w->job, error);
	} else {
		g_autoptr(GVariant) rt =
			g_variant_ref_sink(hubd_spaces_runtime_to_variant(runtime));
		const gchar *hardware = "";
		GVariantBuilder b;

		g_variant_lookup(rt, "hardware", "&s", &hardware);
		g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&b, "{sv}", "stage", g_variant_new_string(w->last_stage));
		g_variant_builder_add(&b, "{sv}", "hardware", g_variant_new_string(hardware));
		hubd_job_complete(w->job, g_variant_builder_end(&b));
	}
	g_object_unref(w->job);
	g_object_unref(w->api);
	g_free(w->space_id);
	g_free(w->stage);
	g_free(w->last_stage);
	g_free(w);
}

static gboolean
wait_timer_cb(gpointer user_data)
{
	WaitJob *w = user_data;

	w->timer_id = 0;
	wait_poll(w);
	return G_SOURCE_REMOVE;
}

static void
wait_runtime_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	WaitJob *w = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) runtime = hubd_hub_api_space_finish(HUBD_HUB_API(source), res, &error);
	const gchar *stage;

	if (runtime == NULL) {
		if (g_cancellable_is_cancelled(hubd_job_get_cancellable(w->job))) {
			g_clear_error(&error);
			error = g_error_new_literal(HUBD_ERROR,
						    HUBD_ERROR_CANCELLED,
						    _("Cancelled"));
		}
		wait_end(w, error, NULL);
		return;
	}
	stage = hubd_spaces_runtime_stage(runtime);
	if (stage == NULL) {
		wait_end(w,
			 g_error_new(HUBD_ERROR,
				     HUBD_ERROR_SERVER,
				     _("The Hub’s runtime of %s has no stage"),
				     w->space_id),
			 NULL);
		return;
	}
	g_free(w->last_stage);
	w->last_stage = g_strdup(stage);
	/* the phase is the stage: what a client shows as a live status line */
	hubd_job_set_phase(w->job, stage);
	if (g_strcmp0(stage, w->stage) == 0) {
		wait_end(w, NULL, runtime);
		return;
	}
	if (hubd_spaces_stage_is_error(stage)) {
		const gchar *message = hubd_spaces_runtime_error(runtime);

		wait_end(w,
			 g_error_new(HUBD_ERROR,
				     HUBD_ERROR_DEPLOY_FAILED,
				     _("Space %s failed (%s): %s"),
				     w->space_id,
				     stage,
				     message != NULL ? message : _("no message from the Hub")),
			 NULL);
		return;
	}
	if (hubd_spaces_stage_is_stopped(stage) && !hubd_spaces_stage_is_stopped(w->stage)) {
		wait_end(
			w,
			g_error_new(HUBD_ERROR,
				    HUBD_ERROR_DEPLOY_FAILED,
				    _("Space %s is %s: it will not reach %s until it is restarted"),
				    w->space_id,
				    stage,
				    w->stage),
			NULL);
		return;
	}
	if (w->deadline != 0 && g_get_monotonic_time() >= w->deadline) {
		wait_end(w,
			 g_error_new(HUBD_ERROR,
				     HUBD_ERROR_TIMED_OUT,
				     ngettext("Space %s is still %s after %u second",
					      "Space %s is still %s after %u seconds",
					      w->timeout_s),
				     w->space_id,
				     stage,
				     w->timeout_s),
			 NULL);
		return;
	}
	w->timer_id = g_timeout_add(w->interval_ms, wait_timer_cb, w);
}

static void
wait_poll(WaitJob *w)
{
	hubd_hub_api_space_runtime_async(w->api,
					 w->space_id,
					 hubd_job_get_cancellable(w->job),
					 wait_runtime_cb,
					 w);
}

static void
wait_cancelled_cb(GCancellable *cancellable, WaitJob *w)
{
	/* between polls nothing is in flight: poll now, which fails cancelled */
	if (w->timer_id != 0) {
		g_clear_handle_id(&w->timer_id, g_source_remove);
		w->timer_id = g_idle_add(wait_timer_cb, w);
	}
}

void
hubd_spaces_wait_start(HubdService *service,
		       GDBusMethodInvocation *invocation,
		       const gchar *space_id,
		       GVariant *options)
{
	static const HubdServiceOption allowed[] = {{"stage", "s"}, {"timeout", "u"}, {NULL, NULL}};
	HubdContext *context = hubd_service_get_context(service);
	g_autofree gchar *description = NULL;
	const gchar *stage = "RUNNING";
	GError *error = NULL;
	WaitJob *w;

	if (!hubd_service_check_hub_options(options, allowed, &error) ||
	    !hubd_repo_id_validate(space_id, TRUE, &error)) {
		hubd_service_return_error(invocation, error);
		return;
	}
	g_variant_lookup(options, "stage", "&s", &stage);
	if (stage[0] == '\0') {
		hubd_service_return_error(invocation,
					  g_error_new_literal(HUBD_ERROR,
							      HUBD_ERROR_INVALID_ARGUMENT,
							      _("The stage to wait for is empty")));
		return;
	}
	w = g_new0(WaitJob, 1);
	w->api = hubd_hub_api_new_for_call(hubd_context_get_hub_api(context), options);
	w->space_id = g_strdup(space_id);
	w->stage = g_ascii_strup(stage, -1);
	w->interval_ms = hubd_spaces_poll_interval_ms(service);
	g_variant_lookup(options, "timeout", "u", &w->timeout_s);
	if (w->timeout_s > 0)
		w->deadline = g_get_monotonic_time() + (gint64)w->timeout_s * G_USEC_PER_SEC;
	description = g_strdup_printf("wait for %s to be %s", space_id, w->stage);
	w->job = hubd_job_new(context, "space-wait", description);
	hubd_job_add_repo(w->job, "space", space_id, "");
	hubd_job_set_owner(w->job, invocation);
	w->cancelled_id = g_signal_connect(hubd_job_get_cancellable(w->job),
					   "cancelled",
					   G_CALLBACK(wait_cancelled_cb),
					   w);
	g_dbus_method_invocation_return_value(
		invocation,
		g_variant_new("(o)", hubd_job_get_object_path(w->job)));
	wait_poll(w);
}
