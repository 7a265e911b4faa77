/* hubd-job.c: HubdJob — an org.hubd.Hub1.Job as a GObject: progress, wait, cancel */
#include <glib/gi18n-lib.h>

#include "hubd-client-private.h"
#include "hubd-dbus-generated.h"
#include "hubd-job-private.h"

/**
 * HubdJob:
 *
 * Long work in hubd — a download, a snapshot, an upload — runs as a job:
 * the call returns at once with a #HubdJob, whose properties follow the
 * work's progress (#HubdJob::progress is emitted whenever they change, at
 * most about ten times a second) and which hubd_job_wait() turns into the
 * outcome: the file or folder made, or a %HUBD_ERROR.
 *
 * Waiting follows the job contract of org.hubd.Hub1.Job: it subscribes to
 * the job's `Completed` signal first and reads its state after, so a job
 * that ended before the wait began is still seen to have ended.
 *
 * Since: 0.1
 */
struct _HubdJob {
	GObject parent_instance;
	HubdClient *client;
	gchar *object_path;
	HubdDbusJob *proxy; /* made in the creator's main context, for progress */
	gchar *kind;
	gchar *state;
	gchar *phase;
	gchar *description;
	guint64 bytes_done;
	guint64 bytes_total;
	guint files_done;
	guint files_total;
	guint64 rate;
	guint64 waiting_until;
	gchar *current_file;
	GVariant *files; /* a(stt), as the Files property */
	GVariant *result;
};

G_DEFINE_TYPE(HubdJob, hubd_job, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_OBJECT_PATH,
	PROP_KIND,
	PROP_STATE,
	PROP_PHASE,
	PROP_DESCRIPTION,
	PROP_BYTES_DONE,
	PROP_BYTES_TOTAL,
	PROP_FILES_DONE,
	PROP_FILES_TOTAL,
	PROP_RATE,
	PROP_WAITING_UNTIL,
	PROP_CURRENT_FILE,
	N_PROPS,
};
static GParamSpec *props[N_PROPS];

enum { SIGNAL_PROGRESS, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
hubd_job_set_string(gchar **field, const gchar *value)
{
	if (value != NULL && value[0] == '\0')
		value = NULL;
	if (g_strcmp0(*field, value) == 0)
		return FALSE;
	g_free(*field);
	*field = g_strdup(value);
	return TRUE;
}

/* The file in flight: the first of Files not finished yet, else the last. */
static gchar *
hubd_job_file_in_flight(HubdDbusJob *proxy)
{
	GVariant *files = hubd_dbus_job_get_files(proxy);
	const gchar *path = NULL;
	const gchar *last = NULL;
	guint64 done = 0;
	guint64 total = 0;
	GVariantIter iter;

	if (files == NULL)
		return NULL;
	g_variant_iter_init(&iter, files);
	while (g_variant_iter_next(&iter, "(&stt)", &path, &done, &total)) {
		last = path;
		if (total == 0 || done < total)
			return g_strdup(path);
	}
	return g_strdup(last);
}

#define HUBD_JOB_UPDATE_NUMBER(field, value, prop)                             \
	do {                                                                   \
		if (self->field != (value)) {                                  \
			self->field = (value);                                 \
			g_object_notify_by_pspec(G_OBJECT(self), props[prop]); \
		}                                                              \
	} while (0)

void
hubd_job_update(HubdJob *self, gpointer proxy_ptr)
{
	HubdDbusJob *proxy = HUBD_DBUS_JOB(proxy_ptr);
	g_autofree gchar *current = hubd_job_file_in_flight(proxy);
	GVariant *result = hubd_dbus_job_get_result(proxy);

	g_object_freeze_notify(G_OBJECT(self));
	if (hubd_job_set_string(&self->kind, hubd_dbus_job_get_kind(proxy)))
		g_object_notify_by_pspec(G_OBJECT(self), props[PROP_KIND]);
	if (hubd_job_set_string(&self->state, hubd_dbus_job_get_state(proxy)))
		g_object_notify_by_pspec(G_OBJECT(self), props[PROP_STATE]);
	if (hubd_job_set_string(&self->phase, hubd_dbus_job_get_phase(proxy)))
		g_object_notify_by_pspec(G_OBJECT(self), props[PROP_PHASE]);
	if (hubd_job_set_string(&self->description, hubd_dbus_job_get_description(proxy)))
		g_object_notify_by_pspec(G_OBJECT(self), props[PROP_DESCRIPTION]);
	if (hubd_job_set_string(&self->current_file, current))
		g_object_notify_by_pspec(G_OBJECT(self), props[PROP_CURRENT_FILE]);
	HUBD_JOB_UPDATE_NUMBER(bytes_done, hubd_dbus_job_get_bytes_done(proxy), PROP_BYTES_DONE);
	HUBD_JOB_UPDATE_NUMBER(bytes_total, hubd_dbus_job_get_bytes_total(proxy), PROP_BYTES_TOTAL);
	HUBD_JOB_UPDATE_NUMBER(files_done, hubd_dbus_job_get_files_done(proxy), PROP_FILES_DONE);
	HUBD_JOB_UPDATE_NUMBER(files_total, hubd_dbus_job_get_files_total(proxy), PROP_FILES_TOTAL);
	HUBD_JOB_UPDATE_NUMBER(rate, hubd_dbus_job_get_rate(proxy), PROP_RATE);
	HUBD_JOB_UPDATE_NUMBER(waiting_until,
			       hubd_dbus_job_get_waiting_until(proxy),
			       PROP_WAITING_UNTIL);
	if (hubd_dbus_job_get_files(proxy) != NULL) {
		g_clear_pointer(&self->files, g_variant_unref);
		self->files = g_variant_ref(hubd_dbus_job_get_files(proxy));
	}
	if (result != NULL && g_variant_n_children(result) > 0 && self->result == NULL)
		self->result = g_variant_ref(result);
	g_object_thaw_notify(G_OBJECT(self));
	g_signal_emit(self, signals[SIGNAL_PROGRESS], 0);
}

static void
hubd_job_properties_changed_cb(GDBusProxy *proxy,
			       GVariant *changed,
			       GStrv invalidated,
			       gpointer user_data)
{
	hubd_job_update(HUBD_JOB(user_data), HUBD_DBUS_JOB(proxy));
}

static void
hubd_job_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	HubdJob *self = HUBD_JOB(object);

	switch (prop_id) {
	case PROP_OBJECT_PATH:
		g_value_set_string(value, self->object_path);
		break;
	case PROP_KIND:
		g_value_set_string(value, self->kind);
		break;
	case PROP_STATE:
		g_value_set_string(value, self->state);
		break;
	case PROP_PHASE:
		g_value_set_string(value, self->phase);
		break;
	case PROP_DESCRIPTION:
		g_value_set_string(value, self->description);
		break;
	case PROP_BYTES_DONE:
		g_value_set_uint64(value, self->bytes_done);
		break;
	case PROP_BYTES_TOTAL:
		g_value_set_uint64(value, self->bytes_total);
		break;
	case PROP_FILES_DONE:
		g_value_set_uint(value, self->files_done);
		break;
	case PROP_FILES_TOTAL:
		g_value_set_uint(value, self->files_total);
		break;
	case PROP_RATE:
		g_value_set_uint64(value, self->rate);
		break;
	case PROP_WAITING_UNTIL:
		g_value_set_uint64(value, self->waiting_until);
		break;
	case PROP_CURRENT_FILE:
		g_value_set_string(value, self->current_file);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
hubd_job_dispose(GObject *object)
{
	HubdJob *self = HUBD_JOB(object);

	if (self->proxy != NULL)
		g_signal_handlers_disconnect_by_data(self->proxy, self);
	g_clear_object(&self->proxy);
	g_clear_object(&self->client);
	G_OBJECT_CLASS(hubd_job_parent_class)->dispose(object);
}

static void
hubd_job_finalize(GObject *object)
{
	HubdJob *self = HUBD_JOB(object);

	g_free(self->object_path);
	g_free(self->kind);
	g_free(self->state);
	g_free(self->phase);
	g_free(self->description);
	g_free(self->current_file);
	g_clear_pointer(&self->files, g_variant_unref);
	g_clear_pointer(&self->result, g_variant_unref);
	G_OBJECT_CLASS(hubd_job_parent_class)->finalize(object);
}

static GParamSpec *
hubd_job_string_pspec(const gchar *name)
{
	return g_param_spec_string(name,
				   NULL,
				   NULL,
				   NULL,
				   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
hubd_job_uint64_pspec(const gchar *name)
{
	return g_param_spec_uint64(name,
				   NULL,
				   NULL,
				   0,
				   G_MAXUINT64,
				   0,
				   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
hubd_job_uint_pspec(const gchar *name)
{
	return g_param_spec_uint(name,
				 NULL,
				 NULL,
				 0,
				 G_MAXUINT,
				 0,
				 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
hubd_job_class_init(HubdJobClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_job_get_property;
	object_class->dispose = hubd_job_dispose;
	object_class->finalize = hubd_job_finalize;

	/**
	 * HubdJob:object-path:
	 *
	 * The job's D-Bus object path, below %HUBD_JOB_PATH_PREFIX.
	 *
	 * Since: 0.1
	 */
	props[PROP_OBJECT_PATH] = hubd_job_string_pspec("object-path");
	/**
	 * HubdJob:kind:
	 *
	 * What the job does: `download`, `snapshot`, `upload`, `verify`, …
	 *
	 * Since: 0.1
	 */
	props[PROP_KIND] = hubd_job_string_pspec("kind");
	/**
	 * HubdJob:state:
	 *
	 * `queued`, `running`, `completed`, `failed` or `cancelled`.
	 *
	 * Since: 0.1
	 */
	props[PROP_STATE] = hubd_job_string_pspec("state");
	/**
	 * HubdJob:phase:
	 *
	 * What a running job does now: `resolving`, `hashing`, `uploading`,
	 * `downloading` or `committing`.
	 *
	 * Since: 0.1
	 */
	props[PROP_PHASE] = hubd_job_string_pspec("phase");
	/**
	 * HubdJob:description:
	 *
	 * A short line for people, e.g. `alice/model: config.json`.
	 *
	 * Since: 0.1
	 */
	props[PROP_DESCRIPTION] = hubd_job_string_pspec("description");
	/**
	 * HubdJob:bytes-done:
	 *
	 * Bytes transferred so far.
	 *
	 * Since: 0.1
	 */
	props[PROP_BYTES_DONE] = hubd_job_uint64_pspec("bytes-done");
	/**
	 * HubdJob:bytes-total:
	 *
	 * Bytes to transfer in all; 0 while unknown.
	 *
	 * Since: 0.1
	 */
	props[PROP_BYTES_TOTAL] = hubd_job_uint64_pspec("bytes-total");
	/**
	 * HubdJob:files-done:
	 *
	 * Files finished.
	 *
	 * Since: 0.1
	 */
	props[PROP_FILES_DONE] = hubd_job_uint_pspec("files-done");
	/**
	 * HubdJob:files-total:
	 *
	 * Files in all; 0 while unknown.
	 *
	 * Since: 0.1
	 */
	props[PROP_FILES_TOTAL] = hubd_job_uint_pspec("files-total");
	/**
	 * HubdJob:rate:
	 *
	 * The recent transfer rate, in bytes per second.
	 *
	 * Since: 0.1
	 */
	props[PROP_RATE] = hubd_job_uint64_pspec("rate");
	/**
	 * HubdJob:waiting-until:
	 *
	 * While the Hub's rate limit is spent, the daemon holds the job's
	 * requests: when that wait ends, in microseconds since the epoch; 0 when
	 * nothing waits.
	 *
	 * Since: 0.1
	 */
	props[PROP_WAITING_UNTIL] = hubd_job_uint64_pspec("waiting-until");
	/**
	 * HubdJob:current-file:
	 *
	 * The path in the repo of the file in flight.
	 *
	 * Since: 0.1
	 */
	props[PROP_CURRENT_FILE] = hubd_job_string_pspec("current-file");
	g_object_class_install_properties(object_class, N_PROPS, props);

	/**
	 * HubdJob::progress:
	 * @self: the job
	 *
	 * Emitted when hubd reports a change of the job's progress properties,
	 * after their notify signals.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_PROGRESS] = g_signal_new("progress",
						G_TYPE_FROM_CLASS(klass),
						G_SIGNAL_RUN_LAST,
						0,
						NULL,
						NULL,
						NULL,
						G_TYPE_NONE,
						0);
}

static void
hubd_job_init(HubdJob *self)
{
}

static HubdJob *
hubd_job_new_for_proxy(HubdClient *client, HubdDbusJob *proxy)
{
	HubdJob *self = g_object_new(HUBD_TYPE_JOB, NULL);

	self->client = g_object_ref(client);
	self->object_path = g_strdup(g_dbus_proxy_get_object_path(G_DBUS_PROXY(proxy)));
	self->proxy = g_object_ref(proxy);
	hubd_job_update(self, proxy);
	g_signal_connect(proxy,
			 "g-properties-changed",
			 G_CALLBACK(hubd_job_properties_changed_cb),
			 self);
	return self;
}

typedef struct {
	HubdClient *client;
	gchar *object_path;
} HubdJobNew;

static void
hubd_job_new_data_free(HubdJobNew *data)
{
	g_object_unref(data->client);
	g_free(data->object_path);
	g_free(data);
}

static void
hubd_job_new_proxy_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	HubdJobNew *data = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdDbusJob) proxy = hubd_dbus_job_proxy_new_finish(res, &error);

	if (proxy == NULL) {
		hubd_error_fixup_remote(&error);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_pointer(task, hubd_job_new_for_proxy(data->client, proxy), g_object_unref);
}

/**
 * hubd_job_new:
 * @client: the #HubdClient the job was started on
 * @object_path: the job's object path, as a call returned it (a method of
 *   hubd's D-Bus API that starts long work returns one, e.g. through
 *   hubd_client_call())
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the job is ready
 * @user_data: data for @callback
 *
 * Makes a #HubdJob of a job hubd runs: it subscribes to the job's signals
 * first, then reads its properties (the order the job contract asks for),
 * and follows its progress from then on. Wait for it with hubd_job_wait().
 *
 * Since: 0.1
 */
void
hubd_job_new(HubdClient *client,
	     const gchar *object_path,
	     GCancellable *cancellable,
	     GAsyncReadyCallback callback,
	     gpointer user_data)
{
	GTask *task;
	HubdJobNew *data;

	g_return_if_fail(HUBD_IS_CLIENT(client));
	g_return_if_fail(object_path != NULL && g_variant_is_object_path(object_path));
	task = g_task_new(client, cancellable, callback, user_data);
	data = g_new0(HubdJobNew, 1);

	data->client = g_object_ref(client);
	data->object_path = g_strdup(object_path);
	g_task_set_source_tag(task, hubd_job_new);
	g_task_set_task_data(task, data, (GDestroyNotify)hubd_job_new_data_free);
	hubd_dbus_job_proxy_new(hubd_client_get_connection(client),
				hubd_client_get_proxy_flags(client),
				hubd_client_get_bus_name(client),
				object_path,
				cancellable,
				hubd_job_new_proxy_cb,
				task);
}

/**
 * hubd_job_new_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdJob *
hubd_job_new_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(G_IS_TASK(result), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

/**
 * hubd_job_new_sync:
 * @client: the #HubdClient the job was started on
 * @object_path: the job's object path, as a call returned it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes a #HubdJob as hubd_job_new() does, blocking. Its progress is
 * followed in the thread-default main context of the caller.
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdJob *
hubd_job_new_sync(HubdClient *client,
		  const gchar *object_path,
		  GCancellable *cancellable,
		  GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(HubdDbusJob) proxy = NULL;

	g_return_val_if_fail(HUBD_IS_CLIENT(client), NULL);
	g_return_val_if_fail(object_path != NULL && g_variant_is_object_path(object_path), NULL);
	proxy = hubd_dbus_job_proxy_new_sync(hubd_client_get_connection(client),
					     hubd_client_get_proxy_flags(client),
					     hubd_client_get_bus_name(client),
					     object_path,
					     cancellable,
					     &error_local);
	if (proxy == NULL) {
		hubd_error_fixup_remote(&error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return hubd_job_new_for_proxy(client, proxy);
}

/**
 * hubd_job_get_object_path:
 * @self: a #HubdJob
 *
 * Returns: the job's D-Bus object path
 *
 * Since: 0.1
 */
const gchar *
hubd_job_get_object_path(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), NULL);
	return self->object_path;
}

/**
 * hubd_job_get_kind:
 * @self: a #HubdJob
 *
 * Returns: (nullable): what the job does, e.g. `download`
 *
 * Since: 0.1
 */
const gchar *
hubd_job_get_kind(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), NULL);
	return self->kind;
}

/**
 * hubd_job_get_state:
 * @self: a #HubdJob
 *
 * Returns: (nullable): `queued`, `running`, `completed`, `failed` or `cancelled`
 *
 * Since: 0.1
 */
const gchar *
hubd_job_get_state(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), NULL);
	return self->state;
}

/**
 * hubd_job_get_phase:
 * @self: a #HubdJob
 *
 * Returns: (nullable): what a running job does now
 *
 * Since: 0.1
 */
const gchar *
hubd_job_get_phase(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), NULL);
	return self->phase;
}

/**
 * hubd_job_get_description:
 * @self: a #HubdJob
 *
 * Returns: (nullable): a short line for people
 *
 * Since: 0.1
 */
const gchar *
hubd_job_get_description(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), NULL);
	return self->description;
}

/**
 * hubd_job_get_bytes_done:
 * @self: a #HubdJob
 *
 * Returns: bytes transferred so far
 *
 * Since: 0.1
 */
guint64
hubd_job_get_bytes_done(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), 0);
	return self->bytes_done;
}

/**
 * hubd_job_get_bytes_total:
 * @self: a #HubdJob
 *
 * Returns: bytes to transfer; 0 while unknown
 *
 * Since: 0.1
 */
guint64
hubd_job_get_bytes_total(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), 0);
	return self->bytes_total;
}

/**
 * hubd_job_get_files_done:
 * @self: a #HubdJob
 *
 * Returns: files finished
 *
 * Since: 0.1
 */
guint
hubd_job_get_files_done(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), 0);
	return self->files_done;
}

/**
 * hubd_job_get_files_total:
 * @self: a #HubdJob
 *
 * Returns: files in all; 0 while unknown
 *
 * Since: 0.1
 */
guint
hubd_job_get_files_total(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), 0);
	return self->files_total;
}

/**
 * hubd_job_get_rate:
 * @self: a #HubdJob
 *
 * Returns: the recent rate in bytes per second
 *
 * Since: 0.1
 */
guint64
hubd_job_get_rate(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), 0);
	return self->rate;
}

/**
 * hubd_job_get_waiting_until:
 * @self: a #HubdJob
 *
 * Returns: when the wait for the Hub's rate limit ends, in microseconds
 *   since the epoch; 0 when the job does not wait
 *
 * Since: 0.1
 */
guint64
hubd_job_get_waiting_until(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), 0);
	return self->waiting_until;
}

/**
 * hubd_job_get_current_file:
 * @self: a #HubdJob
 *
 * Returns: (nullable): the path in the repo of the file in flight
 *
 * Since: 0.1
 */
const gchar *
hubd_job_get_current_file(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), NULL);
	return self->current_file;
}

/**
 * hubd_job_get_files:
 * @self: a #HubdJob
 *
 * The files of the job with their progress, as org.hubd.Hub1.Job's `Files`:
 * for each its path in the repo, bytes done and bytes in all (0 while
 * unknown). A progress display draws a line per file from it.
 *
 * Returns: (nullable) (transfer none): an `a(stt)`, or %NULL before hubd
 *   listed any
 *
 * Since: 0.1
 */
GVariant *
hubd_job_get_files(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), NULL);
	return self->files;
}

/**
 * hubd_job_get_result:
 * @self: a #HubdJob
 *
 * The job's result once it completed, as the D-Bus API documents it for
 * its kind (org.hubd.Hub1.Job's `Result`), e.g. for a download `path`,
 * `commit`, `etag`, `size` and `cached`.
 *
 * Returns: (nullable) (transfer none): an `a{sv}`, or %NULL before the job
 *   completed
 *
 * Since: 0.1
 */
GVariant *
hubd_job_get_result(HubdJob *self)
{
	g_return_val_if_fail(HUBD_IS_JOB(self), NULL);
	return self->result;
}

HubdClient *
hubd_job_get_client(HubdJob *self)
{
	return self->client;
}

void
hubd_job_set_result(HubdJob *self, GVariant *result)
{
	if (result == NULL || g_variant_n_children(result) == 0)
		return;
	g_clear_pointer(&self->result, g_variant_unref);
	self->result = g_variant_ref(result);
}

gpointer
hubd_job_get_proxy(HubdJob *self)
{
	return self->proxy;
}
