/* hubd-job.c: one org.hubd.Hub1.Job object — progress, Cancel, Completed, linger */
#define G_LOG_DOMAIN "HubdJob"

#include "hubd-job.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "hubd-context-private.h"
#include "hubd-dbus-generated.h"
#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"
#include "hubd-job-progress.h"
#include "hubd-service.h"

/* PropertiesChanged at most every 100 ms (ten a second). */
#define FLUSH_INTERVAL_MS 100
/* The rate is refreshed at least this often while > 0. */
#define RATE_REFRESH_MS  1000
#define DEFAULT_LINGER_S 5
/* A cancelled job whose work has not ended by then is ended here. */
#define CANCEL_GRACE_S 5

/* The jobs of one context, attached to it with g_object_set_data. */
typedef struct {
	GQueue jobs; /* HubdJob*, oldest first, not owned (a job owns itself) */
	guint64 next_id;
} JobList;

#define JOB_LIST_KEY "hubd-job-list"

struct _HubdJob {
	GObject parent_instance;

	HubdContext *context; /* not owned: a weak ref, NULL once it shut down */
	HubdDbusObjectSkeleton *object;
	HubdDbusJob *skeleton;
	gchar *path;
	GCancellable *cancellable;
	gboolean exported; /* then the job holds a reference on itself */
	gboolean finished;

	/* progress as last set, pushed to the skeleton by the flush timer */
	HubdJobProgress *progress;
	guint64 rate;
	gboolean dirty;
	guint flush_id;
	gboolean flush_is_refresh; /* flush_id is the slow rate refresh */

	/* the owner */
	GDBusConnection *owner_connection;
	guint owner_watch_id;
	gulong closed_id;
	gboolean owner_gone; /* while not cancelable: cancel once it is again */

	guint linger_id;
	guint cancel_grace_id;

	HubdHubRateLimiter *limiter; /* the daemon's; WaitingUntil follows it */
};

G_DEFINE_TYPE(HubdJob, hubd_job, G_TYPE_OBJECT)

static void
hubd_job_context_gone_cb(gpointer data, GObject *where_the_context_was);

static void
hubd_job_drop_owner(HubdJob *self)
{
	if (self->owner_watch_id != 0) {
		g_bus_unwatch_name(self->owner_watch_id);
		self->owner_watch_id = 0;
	}
	if (self->closed_id != 0) {
		g_signal_handler_disconnect(self->owner_connection, self->closed_id);
		self->closed_id = 0;
	}
	g_clear_object(&self->owner_connection);
}

static void
hubd_job_dispose(GObject *object)
{
	HubdJob *self = HUBD_JOB(object);

	if (self->limiter != NULL)
		g_signal_handlers_disconnect_by_data(self->limiter, self);
	g_clear_object(&self->limiter);

	hubd_job_drop_owner(self);
	g_clear_handle_id(&self->flush_id, g_source_remove);
	g_clear_handle_id(&self->linger_id, g_source_remove);
	g_clear_handle_id(&self->cancel_grace_id, g_source_remove);
	G_OBJECT_CLASS(hubd_job_parent_class)->dispose(object);
}

static void
hubd_job_finalize(GObject *object)
{
	HubdJob *self = HUBD_JOB(object);

	hubd_job_progress_free(self->progress);
	g_clear_object(&self->skeleton);
	g_clear_object(&self->object);
	g_clear_object(&self->cancellable);
	g_free(self->path);
	G_OBJECT_CLASS(hubd_job_parent_class)->finalize(object);
}

static void
hubd_job_class_init(HubdJobClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = hubd_job_dispose;
	G_OBJECT_CLASS(klass)->finalize = hubd_job_finalize;
}

static void
hubd_job_init(HubdJob *self)
{
	self->cancellable = g_cancellable_new();
	self->progress = hubd_job_progress_new();
}

/* ---- the context's list ---- */

static JobList *
hubd_job_list(HubdContext *context, gboolean create)
{
	JobList *list = g_object_get_data(G_OBJECT(context), JOB_LIST_KEY);

	if (list == NULL && create) {
		list = g_new0(JobList, 1);
		g_queue_init(&list->jobs);
		list->next_id = 1;
		g_object_set_data(G_OBJECT(context), JOB_LIST_KEY, list);
		/* a weak ref runs in the context's dispose (hubd_context_shutdown),
		 * while it is still whole */
		g_object_weak_ref(G_OBJECT(context), hubd_job_context_gone_cb, list);
	}
	return list;
}

/* Unexports the job and drops what it holds on itself and on the context. */
static void
hubd_job_unexport(HubdJob *self)
{
	JobList *list;

	if (!self->exported)
		return;
	self->exported = FALSE;
	hubd_job_drop_owner(self);
	g_clear_handle_id(&self->linger_id, g_source_remove);
	g_clear_handle_id(&self->flush_id, g_source_remove);
	g_clear_handle_id(&self->cancel_grace_id, g_source_remove);
	if (self->context != NULL) {
		list = hubd_job_list(self->context, FALSE);
		if (list != NULL)
			g_queue_remove(&list->jobs, self);
		hubd_context_unexport_object(self->context, self->path);
		hubd_context_release(self->context);
	}
	g_debug("%s unexported", self->path);
	g_object_unref(self);
}

/* The daemon is shutting down: cancel what runs, let go. */
static void
hubd_job_context_gone_cb(gpointer data, GObject *where_the_context_was)
{
	JobList *list = data;
	HubdJob *job;

	while ((job = g_queue_pop_head(&list->jobs)) != NULL) {
		/* nothing may touch the context from here on: it is going */
		job->context = NULL;
		g_cancellable_cancel(job->cancellable);
		/* the work may still hold the job and end it later */
		hubd_job_unexport(job);
	}
	g_free(list);
}

/* ---- progress ---- */

/* Pushes the values to the skeleton, which emits one PropertiesChanged. */
static void
hubd_job_push(HubdJob *self)
{
	HubdJobProgress *p = self->progress;

	self->rate = hubd_job_progress_sample_rate(p, g_get_monotonic_time());
	/* ExpectedEndTime: 0 when not known, and once the job has ended */
	hubd_dbus_job_set_expected_end_time(
		self->skeleton,
		self->finished ? 0 : hubd_job_progress_expected_end(p, g_get_real_time()));
	hubd_dbus_job_set_bytes_done(self->skeleton, hubd_job_progress_get_bytes_done(p));
	hubd_dbus_job_set_bytes_total(self->skeleton, hubd_job_progress_get_bytes_total(p));
	hubd_dbus_job_set_files_done(self->skeleton, hubd_job_progress_get_files_done(p));
	hubd_dbus_job_set_files_total(self->skeleton, hubd_job_progress_get_files_total(p));
	hubd_dbus_job_set_rate(self->skeleton, self->finished ? 0 : self->rate);
	hubd_dbus_job_set_files(self->skeleton, hubd_job_progress_files_variant(p));
	self->dirty = FALSE;
}

static gboolean
hubd_job_flush_cb(gpointer user_data)
{
	HubdJob *self = HUBD_JOB(user_data);

	self->flush_id = 0;
	hubd_job_push(self);
	/* a stalled transfer must see its rate fall to 0 */
	if (self->rate > 0 && !self->finished) {
		self->flush_is_refresh = TRUE;
		self->flush_id = g_timeout_add(RATE_REFRESH_MS, hubd_job_flush_cb, self);
	}
	return G_SOURCE_REMOVE;
}

static void
hubd_job_mark_dirty(HubdJob *self)
{
	if (self->finished)
		return;
	self->dirty = TRUE;
	/* a pending slow rate refresh gives way to a progress flush */
	if (self->flush_is_refresh)
		g_clear_handle_id(&self->flush_id, g_source_remove);
	if (self->flush_id == 0) {
		self->flush_is_refresh = FALSE;
		self->flush_id = g_timeout_add(FLUSH_INTERVAL_MS, hubd_job_flush_cb, self);
	}
}

/**
 * hubd_job_set_totals:
 * @self: a job
 * @bytes_total: the bytes the job will move
 * @files_total: the files it will move
 *
 * Property changes are coalesced to at most ten a second, and the last
 * values are always flushed before `Completed`. `Rate` and `ExpectedEndTime`
 * are computed here. Main thread only, as every progress call.
 *
 * Since: 0.1
 */
void
hubd_job_set_totals(HubdJob *self, guint64 bytes_total, guint files_total)
{
	g_return_if_fail(HUBD_IS_JOB(self));
	hubd_job_progress_set_totals(self->progress, bytes_total, files_total);
	hubd_job_mark_dirty(self);
}

/**
 * hubd_job_add_bytes:
 * @self: a job
 * @delta: bytes moved since the last call; negative when work restarts
 *
 * Since: 0.1
 */
void
hubd_job_add_bytes(HubdJob *self, gint64 delta)
{
	g_return_if_fail(HUBD_IS_JOB(self));
	hubd_job_progress_add_bytes(self->progress, delta);
	hubd_job_mark_dirty(self);
}

/**
 * hubd_job_add_files:
 * @self: a job
 * @n: files done since the last call
 *
 * Since: 0.1
 */
void
hubd_job_add_files(HubdJob *self, guint n)
{
	g_return_if_fail(HUBD_IS_JOB(self));
	hubd_job_progress_add_files(self->progress, n);
	hubd_job_mark_dirty(self);
}

/**
 * hubd_job_add_bytes_total:
 * @self: a job
 * @delta: bytes to add to `BytesTotal`, when the size is learnt late
 *
 * Since: 0.1
 */
void
hubd_job_add_bytes_total(HubdJob *self, guint64 delta)
{
	g_return_if_fail(HUBD_IS_JOB(self));
	hubd_job_progress_add_bytes_total(self->progress, delta);
	hubd_job_mark_dirty(self);
}

/**
 * hubd_job_get_bytes_done:
 * @self: a job
 *
 * Returns: `BytesDone` as last set
 *
 * Since: 0.1
 */
guint64
hubd_job_get_bytes_done(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), 0);
	return hubd_job_progress_get_bytes_done(self->progress);
}

/**
 * hubd_job_file_begin:
 * @self: a job
 * @path: the file's path in the repo
 * @total: its size
 *
 * Lists a file in flight in the `Files` property (per-file progress bars).
 *
 * Since: 0.1
 */
void
hubd_job_file_begin(HubdJob *self, const gchar *path, guint64 total)
{
	g_return_if_fail(HUBD_IS_JOB(self));
	g_return_if_fail(path != NULL);
	if (self->finished)
		return;
	hubd_job_progress_file_begin(self->progress, path, total);
	hubd_job_mark_dirty(self);
}

/**
 * hubd_job_file_progress:
 * @self: a job
 * @path: (nullable): the file, as given to hubd_job_file_begin()
 * @delta: bytes moved since the last call (may be negative)
 *
 * Moves the file's progress and adds @delta to `BytesDone` (do not call
 * hubd_job_add_bytes() as well); with a %NULL or unknown path it only does
 * the latter.
 *
 * Since: 0.1
 */
void
hubd_job_file_progress(HubdJob *self, const gchar *path, gint64 delta)
{
	g_return_if_fail(HUBD_IS_JOB(self));
	hubd_job_progress_file_progress(self->progress, path, delta);
	hubd_job_mark_dirty(self);
}

/**
 * hubd_job_file_end:
 * @self: a job
 * @path: the file
 *
 * Drops the file from `Files`.
 *
 * Since: 0.1
 */
void
hubd_job_file_end(HubdJob *self, const gchar *path)
{
	g_return_if_fail(HUBD_IS_JOB(self));
	if (hubd_job_progress_file_end(self->progress, path))
		hubd_job_mark_dirty(self);
}

/**
 * hubd_job_set_phase:
 * @self: a job
 * @phase: e.g. `resolving`, `hashing`, `uploading`, `downloading`, `committing`
 *
 * State `running` and the phase. The first call sets `StartTime`.
 *
 * Since: 0.1
 */
void
hubd_job_set_phase(HubdJob *self, const gchar *phase)
{
	g_return_if_fail(HUBD_IS_JOB(self));
	if (self->finished)
		return;
	if (hubd_dbus_job_get_start_time(self->skeleton) == 0)
		hubd_dbus_job_set_start_time(self->skeleton, (guint64)g_get_real_time());
	hubd_dbus_job_set_state(self->skeleton, "running");
	hubd_dbus_job_set_phase(self->skeleton, phase != NULL ? phase : "");
}

/* ---- cancel and owner ---- */

static gboolean
hubd_job_cancel_grace_cb(gpointer user_data)
{
	HubdJob *self = HUBD_JOB(user_data);

	self->cancel_grace_id = 0;
	g_warning("%s: its work did not end %d s after Cancel; ending the job",
		  self->path,
		  CANCEL_GRACE_S);
	hubd_job_fail(self, g_error_new_literal(HUBD_ERROR, HUBD_ERROR_CANCELLED, _("Cancelled")));
	return G_SOURCE_REMOVE;
}

static void
hubd_job_cancel(HubdJob *self)
{
	if (self->finished || g_cancellable_is_cancelled(self->cancellable))
		return;
	g_debug("%s cancelled", self->path);
	g_cancellable_cancel(self->cancellable);
	/* the work ends the job with a CANCELLED error; this is only a backstop */
	if (!self->finished && self->cancel_grace_id == 0)
		self->cancel_grace_id =
			g_timeout_add_seconds(CANCEL_GRACE_S, hubd_job_cancel_grace_cb, self);
}

static gboolean
hubd_job_handle_cancel(HubdDbusJob *skeleton,
		       GDBusMethodInvocation *invocation,
		       GVariant *options,
		       gpointer user_data)
{
	HubdJob *self = HUBD_JOB(user_data);

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	/* an ended job has nothing to cancel: not an error, callers race it */
	if (!self->finished && !hubd_dbus_job_get_cancelable(skeleton)) {
		hubd_service_return_error(
			invocation,
			g_error_new_literal(HUBD_ERROR,
					    HUBD_ERROR_FORBIDDEN,
					    _("This job cannot be cancelled now")));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	hubd_dbus_job_complete_cancel(skeleton, invocation);
	hubd_job_cancel(self);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* The owner left: its interest goes, unless the job cannot be cancelled now. */
static void
hubd_job_owner_gone(HubdJob *self)
{
	if (!hubd_dbus_job_get_cancelable(self->skeleton)) {
		g_debug("%s: not cancelable now; cancelled once it is", self->path);
		self->owner_gone = TRUE;
		return;
	}
	hubd_job_cancel(self);
}

static void
hubd_job_owner_vanished_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	HubdJob *self = HUBD_JOB(user_data);

	g_debug("%s: owner %s left the bus", self->path, name);
	hubd_job_owner_gone(self);
}

static void
hubd_job_owner_closed_cb(GDBusConnection *connection,
			 gboolean remote_peer_vanished,
			 GError *error,
			 gpointer user_data)
{
	HubdJob *self = HUBD_JOB(user_data);

	g_debug("%s: owner's connection closed", self->path);
	hubd_job_owner_gone(self);
}

/**
 * hubd_job_set_owner:
 * @self: a job
 * @invocation: the method call that asked for the job
 *
 * The caller whose interest this job is: when it leaves the bus (or its
 * socket connection closes) the job is cancelled, as with `Cancel()`.
 *
 * Since: 0.1
 */
void
hubd_job_set_owner(HubdJob *self, GDBusMethodInvocation *invocation)
{
	GDBusConnection *connection;
	const gchar *sender;

	g_return_if_fail(HUBD_IS_JOB(self));
	g_return_if_fail(G_IS_DBUS_METHOD_INVOCATION(invocation));
	hubd_job_drop_owner(self);
	if (self->finished)
		return;
	connection = g_dbus_method_invocation_get_connection(invocation);
	sender = g_dbus_method_invocation_get_sender(invocation);
	self->owner_connection = g_object_ref(connection);
	if (sender != NULL) {
		/* calls back at once if the name is already gone */
		self->owner_watch_id = g_bus_watch_name_on_connection(connection,
								      sender,
								      G_BUS_NAME_WATCHER_FLAGS_NONE,
								      NULL,
								      hubd_job_owner_vanished_cb,
								      self,
								      NULL);
		return;
	}
	/* a peer-to-peer socket connection: the owner is the connection */
	self->closed_id =
		g_signal_connect(connection, "closed", G_CALLBACK(hubd_job_owner_closed_cb), self);
	if (g_dbus_connection_is_closed(connection))
		hubd_job_owner_gone(self);
}

/**
 * hubd_job_add_repo:
 * @self: a job
 * @repo_type: `model`, `dataset` or `space` (`""` is `model`)
 * @repo_id: the repo id
 * @revision: the revision as given (`""` is `main`)
 *
 * Adds a repo the job works on to its `Repos` property. Whoever creates the
 * job calls it once per repo, before returning the job's path.
 *
 * Since: 0.1
 */
void
hubd_job_add_repo(HubdJob *self,
		  const gchar *repo_type,
		  const gchar *repo_id,
		  const gchar *revision)
{
	GVariant *repos;
	GVariantIter iter;
	const gchar *t;
	const gchar *i;
	const gchar *r;
	GVariantBuilder b;

	g_return_if_fail(HUBD_IS_JOB(self));
	g_return_if_fail(repo_id != NULL);
	if (repo_type == NULL || repo_type[0] == '\0')
		repo_type = "model";
	if (revision == NULL || revision[0] == '\0')
		revision = "main";
	repos = hubd_dbus_job_get_repos(self->skeleton);
	g_variant_builder_init(&b, G_VARIANT_TYPE("a(sss)"));
	g_variant_iter_init(&iter, repos);
	while (g_variant_iter_next(&iter, "(&s&s&s)", &t, &i, &r)) {
		if (g_strcmp0(t, repo_type) == 0 && g_strcmp0(i, repo_id) == 0 &&
		    g_strcmp0(r, revision) == 0)
			return;
		g_variant_builder_add(&b, "(sss)", t, i, r);
	}
	g_variant_builder_add(&b, "(sss)", repo_type, repo_id, revision);
	hubd_dbus_job_set_repos(self->skeleton, g_variant_builder_end(&b));
}

/**
 * hubd_job_set_cancelable:
 * @self: a job
 * @cancelable: whether `Cancel()` may stop the job now
 *
 * The `Cancelable` property: %TRUE unless set otherwise, %FALSE once the job
 * has ended. Work at a point of no return sets %FALSE: `Cancel()` is then
 * refused with `Forbidden` and the owner leaving does not cancel; set back to
 * %TRUE, a departure that happened meanwhile cancels at once.
 *
 * Since: 0.1
 */
void
hubd_job_set_cancelable(HubdJob *self, gboolean cancelable)
{
	g_return_if_fail(HUBD_IS_JOB(self));
	if (self->finished)
		return;
	hubd_dbus_job_set_cancelable(self->skeleton, cancelable);
	if (cancelable && self->owner_gone) {
		self->owner_gone = FALSE;
		hubd_job_cancel(self);
	}
}

/* ---- life ---- */

static guint
hubd_job_linger_seconds(HubdJob *self)
{
	g_autofree gchar *value = NULL;
	guint64 seconds = DEFAULT_LINGER_S;
	g_autoptr(GError) error = NULL;

	if (self->context == NULL)
		return 0;
	value = hubd_config_get_string(hubd_context_get_config(self->context),
				       "jobs",
				       "linger-seconds",
				       NULL);
	if (value != NULL && !g_ascii_string_to_unsigned(value, 10, 0, 3600, &seconds, &error)) {
		g_warning("[jobs] linger-seconds: %s; using %d", error->message, DEFAULT_LINGER_S);
		seconds = DEFAULT_LINGER_S;
	}
	return (guint)seconds;
}

/* Rate limits are the token's, shared by every request of the daemon
 * (docs/hub-http.md §5.8): while requests wait for a budget's reset, every
 * running job shows until when. */
static void
hubd_job_waiting_cb(GObject *limiter, GParamSpec *pspec, gpointer user_data)
{
	HubdJob *self = HUBD_JOB(user_data);
	gint64 until = hubd_hub_rate_limiter_get_waiting_until(HUBD_HUB_RATE_LIMITER(limiter));

	if (self->finished || g_strcmp0(hubd_dbus_job_get_state(self->skeleton), "running") != 0)
		until = 0;
	hubd_dbus_job_set_waiting_until(self->skeleton, (guint64)MAX(until, 0));
}

/**
 * hubd_job_new:
 * @context: the daemon's context
 * @kind: what the job does: `download`, `snapshot`, `upload`, or a plugin's
 * @description: (nullable): a line a person reads, e.g. the repo and file
 *
 * Makes a job and exports it at once at `/org/hubd/Hub1/jobs/N` on every
 * connection, state `queued`. It keeps itself (and a hold on the daemon)
 * until it is unexported, `[jobs] linger-seconds` (default 5) after it ends,
 * so a client that subscribes late still reads the outcome. The caller's
 * reference is its own.
 *
 * Returns: (transfer full): the job
 *
 * Since: 0.1
 */
HubdJob *
hubd_job_new(HubdContext *context, const gchar *kind, const gchar *description)
{
	HubdJob *self;
	JobList *list;
	g_autoptr(HubdDbusObjectSkeleton) object = NULL;

	g_return_val_if_fail(HUBD_IS_CONTEXT(context), NULL);
	g_return_val_if_fail(kind != NULL, NULL);

	self = g_object_new(HUBD_TYPE_JOB, NULL);
	list = hubd_job_list(context, TRUE);
	self->context = context;
	self->path = g_strdup_printf(HUBD_JOB_PATH_PREFIX "%" G_GUINT64_FORMAT, list->next_id++);
	self->skeleton = HUBD_DBUS_JOB(hubd_dbus_job_skeleton_new());
	hubd_dbus_job_set_kind(self->skeleton, kind);
	hubd_dbus_job_set_state(self->skeleton, "queued");
	hubd_dbus_job_set_phase(self->skeleton, "");
	hubd_dbus_job_set_description(self->skeleton, description != NULL ? description : "");
	hubd_dbus_job_set_result(self->skeleton,
				 g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0));
	hubd_dbus_job_set_error_name(self->skeleton, "");
	hubd_dbus_job_set_error_message(self->skeleton, "");
	hubd_dbus_job_set_files(self->skeleton,
				g_variant_new_array(G_VARIANT_TYPE("(stt)"), NULL, 0));
	hubd_dbus_job_set_repos(self->skeleton,
				g_variant_new_array(G_VARIANT_TYPE("(sss)"), NULL, 0));
	hubd_dbus_job_set_cancelable(self->skeleton, TRUE);
	g_signal_connect(self->skeleton, "handle-cancel", G_CALLBACK(hubd_job_handle_cancel), self);
	if (hubd_context_get_hub_api(context) != NULL) {
		HubdHubClient *client = hubd_hub_api_get_client(hubd_context_get_hub_api(context));

		self->limiter = g_object_ref(hubd_hub_client_get_rate_limiter(client));
		g_signal_connect(self->limiter,
				 "notify::waiting-until",
				 G_CALLBACK(hubd_job_waiting_cb),
				 self);
	}
	self->object = hubd_dbus_object_skeleton_new(self->path);
	hubd_dbus_object_skeleton_set_job(self->object, self->skeleton);

	/* exported: the job owns itself until it is unexported */
	self->exported = TRUE;
	g_object_ref(self);
	g_queue_push_tail(&list->jobs, self);
	hubd_context_hold(context);
	hubd_context_export_object(context, G_DBUS_OBJECT_SKELETON(self->object));
	g_debug("%s: %s job “%s”", self->path, kind, description != NULL ? description : "");
	return self;
}

/**
 * hubd_job_get_object_path:
 * @self: a job
 *
 * Returns: the job's D-Bus object path, what the method returns
 *
 * Since: 0.1
 */
const gchar *
hubd_job_get_object_path(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), NULL);
	return self->path;
}

/**
 * hubd_job_get_kind:
 * @self: a job
 *
 * Returns: the kind given to hubd_job_new()
 *
 * Since: 0.1
 */
const gchar *
hubd_job_get_kind(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), NULL);
	return hubd_dbus_job_get_kind(self->skeleton);
}

/**
 * hubd_job_get_cancellable:
 * @self: a job
 *
 * The work of the job passes this to everything it waits on. It is cancelled
 * by `Cancel()`, by the owner leaving, or by the daemon shutting down; the
 * work then ends the job with a %HUBD_ERROR_CANCELLED error.
 *
 * Returns: (transfer none): the job's cancellable
 *
 * Since: 0.1
 */
GCancellable *
hubd_job_get_cancellable(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), NULL);
	return self->cancellable;
}

/**
 * hubd_job_is_finished:
 * @self: a job
 *
 * Returns: %TRUE once hubd_job_complete() or hubd_job_fail() was called
 *
 * Since: 0.1
 */
gboolean
hubd_job_is_finished(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), TRUE);
	return self->finished;
}

static gboolean
hubd_job_linger_cb(gpointer user_data)
{
	HubdJob *self = HUBD_JOB(user_data);

	self->linger_id = 0;
	hubd_job_unexport(self);
	return G_SOURCE_REMOVE;
}

static void
hubd_job_trim_cb(gpointer user_data)
{
	/* a transfer's worker threads leave their glibc arenas full of freed
	 * buffers; give those pages back so an idle daemon stays small */
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

static void
hubd_job_finish(HubdJob *self,
		const gchar *state,
		const gchar *error_name,
		const gchar *message,
		GVariant *result)
{
	self->finished = TRUE;
	/* an ended job has nothing in flight */
	hubd_job_progress_end_files(self->progress);
	hubd_job_drop_owner(self);
	g_clear_handle_id(&self->flush_id, g_source_remove);
	g_clear_handle_id(&self->cancel_grace_id, g_source_remove);
	/* the last progress, the final state and the result in one change,
	 * on the wire before Completed */
	hubd_job_push(self);
	hubd_dbus_job_set_cancelable(self->skeleton, FALSE);
	hubd_dbus_job_set_waiting_until(self->skeleton, 0);
	hubd_dbus_job_set_state(self->skeleton, state);
	hubd_dbus_job_set_result(self->skeleton, result);
	hubd_dbus_job_set_error_name(self->skeleton, error_name);
	hubd_dbus_job_set_error_message(self->skeleton, message);
	g_dbus_interface_skeleton_flush(G_DBUS_INTERFACE_SKELETON(self->skeleton));
	hubd_dbus_job_emit_completed(self->skeleton,
				     g_strcmp0(state, "completed") == 0,
				     error_name,
				     message,
				     result);
	g_debug("%s %s %s", self->path, state, error_name);
	/* later, once the job's buffers are freed */
	g_timeout_add_once(1000, hubd_job_trim_cb, NULL);
	if (self->exported)
		/* not g_timeout_add_seconds: its coarse ticks may fire at once */
		self->linger_id = g_timeout_add(hubd_job_linger_seconds(self) * 1000,
						hubd_job_linger_cb,
						self);
}

/**
 * hubd_job_complete:
 * @self: a job
 * @result: an `a{sv}` (a floating reference is sunk): the job's `Result`
 *
 * Ends the job well: state `completed`, `Completed(true, …)` emitted, and the
 * unexport scheduled. Exactly one of hubd_job_complete() and hubd_job_fail(),
 * once; later calls are ignored.
 *
 * Since: 0.1
 */
void
hubd_job_complete(HubdJob *self, GVariant *result)
{
	g_autoptr(GVariant) owned = NULL;

	g_return_if_fail(HUBD_IS_JOB(self));
	if (result != NULL)
		owned = g_variant_ref_sink(result);
	if (self->finished)
		return;
	if (owned == NULL || !g_variant_is_of_type(owned, G_VARIANT_TYPE_VARDICT)) {
		if (owned != NULL)
			g_warning("%s: result is %s, not a{sv}",
				  self->path,
				  g_variant_get_type_string(owned));
		g_clear_pointer(&owned, g_variant_unref);
		owned = g_variant_ref_sink(g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0));
	}
	hubd_job_finish(self, "completed", "", "", owned);
}

/**
 * hubd_job_fail:
 * @self: a job
 * @error: (transfer full): why; converted with hubd_error_convert()
 *
 * Ends the job with an error: `ErrorName` / `ErrorMessage` set, state
 * `failed` (`cancelled` for %HUBD_ERROR_CANCELLED), `Completed(false, …)`.
 *
 * Since: 0.1
 */
void
hubd_job_fail(HubdJob *self, GError *error)
{
	g_autoptr(GError) owned = error;
	g_autofree gchar *name = NULL;
	g_autoptr(GVariant) empty = NULL;

	g_return_if_fail(HUBD_IS_JOB(self));
	if (self->finished)
		return;
	if (owned == NULL)
		owned = g_error_new_literal(HUBD_ERROR, HUBD_ERROR_FAILED, _("Unknown error"));
	hubd_error_convert(&owned);
	name = g_strconcat(HUBD_DBUS_ERROR_PREFIX,
			   hubd_error_code_to_name(owned->code) ?: "Failed",
			   NULL);
	empty = g_variant_ref_sink(g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0));
	hubd_job_finish(self,
			owned->code == HUBD_ERROR_CANCELLED ? "cancelled" : "failed",
			name,
			owned->message,
			empty);
}

GStrv
hubd_job_dup_paths(HubdContext *context)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	JobList *list;

	g_return_val_if_fail(HUBD_IS_CONTEXT(context), NULL);
	list = hubd_job_list(context, FALSE);
	if (list != NULL) {
		for (GList *l = list->jobs.head; l != NULL; l = l->next)
			g_strv_builder_add(builder, HUBD_JOB(l->data)->path);
	}
	return g_strv_builder_end(builder);
}
