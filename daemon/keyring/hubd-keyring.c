/* hubd-keyring.c: the Secret Service, through hubd-keyring-helper: search, store and clear items
 *
 * hubd does not link libsecret: its encrypted session with the Secret
 * Service runs libgcrypt, and the two stayed resident for the daemon's
 * whole life to serve a few calls. The helper process does the keyring
 * work instead (hubd-keyring-helper.c). One helper serves every caller, one
 * request at a time in the order they came; it is started for the first
 * request and sent away after HUBD_KEYRING_IDLE_S seconds without one. A
 * helper that dies fails only the request it was working on (whether the
 * keyring changed is then unknown); one that died before reading it (while
 * idle) never had it, and a new helper takes it.
 *
 * The helper's stdin and stdout are one end of a socket pair, so a write to
 * a helper that died is an error here, never a SIGPIPE. */
#define G_LOG_DOMAIN "HubdKeyring"

#include "hubd-keyring.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hubd-error.h"
#include "hubd-keyring-private.h"
#include "hubd-keyring-wire.h"

#define HUBD_KEYRING_IDLE_S 5

typedef struct {
	GTask *task;
	GBytes *message; /* length and request; wiped when freed: it may hold a secret */
	gboolean resent; /* sent again once, to a new helper */
} Request;

struct _HubdKeyring {
	GObject parent_instance;
	GMainContext *context; /* where the helper is talked to */
	GSubprocess *helper;
	GIOStream *stream;
	GQueue waiting; /* Request* */
	Request *current;
	GSource *idle;
	guint8 head[4];
	guint8 *body;
	gsize body_len;
};

G_DEFINE_TYPE(HubdKeyring, hubd_keyring, G_TYPE_OBJECT)

static void
request_free(Request *request)
{
	g_clear_object(&request->task);
	g_bytes_unref(request->message);
	g_free(request);
}

static void
hubd_keyring_finalize(GObject *object)
{
	HubdKeyring *self = HUBD_KEYRING(object);

	if (self->idle != NULL)
		g_source_destroy(self->idle);
	g_clear_pointer(&self->idle, g_source_unref);
	g_queue_clear_full(&self->waiting, (GDestroyNotify)request_free);
	g_clear_object(&self->stream);
	g_clear_object(&self->helper);
	g_main_context_unref(self->context);
	G_OBJECT_CLASS(hubd_keyring_parent_class)->finalize(object);
}

static void
hubd_keyring_class_init(HubdKeyringClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_keyring_finalize;
}

static void
hubd_keyring_init(HubdKeyring *self)
{
	self->context = g_main_context_ref_thread_default();
	g_queue_init(&self->waiting);
}

/**
 * hubd_keyring_get_default:
 *
 * The daemon's one keyring. Its helper is talked to in the thread-default
 * context of the first caller (the daemon's main context); calls may come
 * from any context and their callbacks run in the caller's.
 *
 * Returns: (transfer none): the keyring
 *
 * Since: 0.1
 */
HubdKeyring *
hubd_keyring_get_default(void)
{
	static HubdKeyring *keyring;

	if (g_once_init_enter(&keyring))
		g_once_init_leave(&keyring, g_object_new(HUBD_TYPE_KEYRING, NULL));
	return keyring;
}

/* ---- the helper ---- */

static const gchar *
helper_path(void)
{
	static gchar *path;

	if (g_once_init_enter(&path)) {
		const gchar *env = g_getenv("HUBD_KEYRING_HELPER");
		g_autofree gchar *exe = g_file_read_link("/proc/self/exe", NULL);
		g_autofree gchar *dir = exe != NULL ? g_path_get_dirname(exe) : NULL;
		g_autofree gchar *beside =
			dir != NULL ? g_build_filename(dir, "hubd-keyring-helper", NULL) : NULL;
		gchar *found;

		/* the variable (tests), then beside hubd (the build tree, and
		 * both installed in libexecdir), then where it is installed */
		if (env != NULL && env[0] != '\0')
			found = g_strdup(env);
		else if (beside != NULL && g_file_test(beside, G_FILE_TEST_IS_EXECUTABLE))
			found = g_steal_pointer(&beside);
		else
			found = g_strdup(HUBD_KEYRING_HELPER_PATH);
		g_once_init_leave(&path, found);
	}
	return path;
}

static gboolean
hubd_keyring_start_helper(HubdKeyring *self, GError **error)
{
	g_autoptr(GSubprocessLauncher) launcher =
		g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_NONE);
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GError) error_local = NULL;
	gint fds[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Cannot reach the keyring: %s"),
			    g_strerror(errno));
		return FALSE;
	}
	g_subprocess_launcher_take_stdin_fd(launcher, fds[1]);
	g_subprocess_launcher_take_stdout_fd(launcher, dup(fds[1]));
	self->helper = g_subprocess_launcher_spawn(launcher, &error_local, helper_path(), NULL);
	socket = g_socket_new_from_fd(fds[0], NULL);
	if (self->helper == NULL || socket == NULL) {
		if (socket == NULL)
			close(fds[0]); /* a helper that did start reads its end and leaves */
		g_clear_object(&self->helper);
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Cannot reach the keyring: %s cannot be started: %s"),
			    helper_path(),
			    error_local != NULL ? error_local->message : g_strerror(errno));
		return FALSE;
	}
	self->stream = G_IO_STREAM(g_socket_connection_factory_create_connection(socket));
	g_debug("keyring helper %s started", g_subprocess_get_identifier(self->helper));
	return TRUE;
}

/* Sends the helper away: it exits when its stdin ends. */
static void
hubd_keyring_stop_helper(HubdKeyring *self)
{
	if (self->helper == NULL)
		return;
	g_debug("keyring helper %s sent away", g_subprocess_get_identifier(self->helper));
	g_io_stream_close(self->stream, NULL, NULL);
	g_clear_object(&self->stream);
	/* GSubprocess reaps it when it exits */
	g_clear_object(&self->helper);
}

static void
hubd_keyring_pump(HubdKeyring *self);

static gboolean
hubd_keyring_idle_cb(gpointer user_data)
{
	HubdKeyring *self = user_data;

	g_clear_pointer(&self->idle, g_source_unref);
	hubd_keyring_stop_helper(self);
	return G_SOURCE_REMOVE;
}

/* The helper answered `current`, or could not: either way it is done. */
static void
hubd_keyring_finish_current(HubdKeyring *self, GVariant *answer, const gchar *failure)
{
	Request *request = g_steal_pointer(&self->current);

	if (answer != NULL) {
		g_task_return_pointer(request->task,
				      g_variant_ref(answer),
				      (GDestroyNotify)g_variant_unref);
	} else {
		g_warning("the keyring helper failed: %s", failure);
		g_task_return_new_error(request->task,
					HUBD_ERROR,
					HUBD_ERROR_FAILED,
					_("The keyring helper stopped before it answered: %s"),
					failure);
		hubd_keyring_stop_helper(self);
	}
	request_free(request);
	hubd_keyring_pump(self);
}

/* The helper died without reading the request: a write that failed, or a
 * reset (the kernel resets the connection of a socket closed with unread
 * data; one that read the whole request and died ends it instead). A new
 * helper may take the request, once. */
static void
hubd_keyring_lost_unread(HubdKeyring *self, const GError *error)
{
	if (self->current->resent) {
		hubd_keyring_finish_current(self, NULL, error->message);
		return;
	}
	g_debug("keyring helper gone (%s): sending to a new one", error->message);
	self->current->resent = TRUE;
	hubd_keyring_stop_helper(self);
	g_queue_push_head(&self->waiting, g_steal_pointer(&self->current));
	hubd_keyring_pump(self);
}

static void
hubd_keyring_body_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdKeyring) self = user_data;
	g_autoptr(GError) error = NULL;
	gsize got = 0;
	g_autoptr(GVariant) answer = NULL;

	g_input_stream_read_all_finish(G_INPUT_STREAM(source), res, &got, &error);
	answer = hubd_keyring_wire_decode(g_steal_pointer(&self->body),
					  self->body_len,
					  HUBD_KEYRING_WIRE_ANSWER);
	if (error != NULL || got < self->body_len) {
		hubd_keyring_finish_current(self,
					    NULL,
					    error != NULL ? error->message
							  : "its answer ended early");
		return;
	}
	if (answer == NULL) {
		hubd_keyring_finish_current(self, NULL, "an answer that is not one");
		return;
	}
	hubd_keyring_finish_current(self, answer, NULL);
}

static void
hubd_keyring_head_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdKeyring) self = user_data;
	g_autoptr(GError) error = NULL;
	gsize got = 0;

	g_input_stream_read_all_finish(G_INPUT_STREAM(source), res, &got, &error);
	if (got == 0 && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)) {
		hubd_keyring_lost_unread(self, error);
		return;
	}
	if (error != NULL || got < sizeof self->head) {
		hubd_keyring_finish_current(self,
					    NULL,
					    error != NULL ? error->message : "it exited");
		return;
	}
	self->body_len = hubd_keyring_wire_length(self->head);
	if (self->body_len > HUBD_KEYRING_WIRE_MAX) {
		hubd_keyring_finish_current(self, NULL, "an answer over 16 MiB");
		return;
	}
	self->body = g_malloc(MAX(self->body_len, 1));
	g_input_stream_read_all_async(g_io_stream_get_input_stream(self->stream),
				      self->body,
				      self->body_len,
				      G_PRIORITY_DEFAULT,
				      NULL,
				      hubd_keyring_body_cb,
				      g_object_ref(self));
}

static void
hubd_keyring_sent_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdKeyring) self = user_data;
	g_autoptr(GError) error = NULL;

	if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), res, NULL, &error)) {
		hubd_keyring_lost_unread(self, error);
		return;
	}
	g_input_stream_read_all_async(g_io_stream_get_input_stream(self->stream),
				      self->head,
				      sizeof self->head,
				      G_PRIORITY_DEFAULT,
				      NULL,
				      hubd_keyring_head_cb,
				      g_object_ref(self));
}

/* Sends the next request when none is in flight; arms the idle timer when
 * there is none left. Runs in self->context. */
static void
hubd_keyring_pump(HubdKeyring *self)
{
	g_autoptr(GError) error = NULL;
	gsize len;
	gconstpointer data;

	if (self->current != NULL)
		return;
	if (self->idle != NULL) {
		g_source_destroy(self->idle);
		g_clear_pointer(&self->idle, g_source_unref);
	}
	while ((self->current = g_queue_pop_head(&self->waiting)) != NULL) {
		/* a cancel counts only before the helper has the request */
		if (g_task_return_error_if_cancelled(self->current->task)) {
			g_clear_pointer(&self->current, request_free);
			continue;
		}
		if (self->helper == NULL && !hubd_keyring_start_helper(self, &error)) {
			g_task_return_error(self->current->task, g_steal_pointer(&error));
			g_clear_pointer(&self->current, request_free);
			continue;
		}
		data = g_bytes_get_data(self->current->message, &len);
		g_output_stream_write_all_async(g_io_stream_get_output_stream(self->stream),
						data,
						len,
						G_PRIORITY_DEFAULT,
						NULL,
						hubd_keyring_sent_cb,
						g_object_ref(self));
		return;
	}
	if (self->helper != NULL) {
		self->idle = g_timeout_source_new_seconds(HUBD_KEYRING_IDLE_S);
		g_source_set_callback(self->idle, hubd_keyring_idle_cb, self, NULL);
		g_source_attach(self->idle, self->context);
	}
}

static gboolean
hubd_keyring_enqueue_cb(gpointer user_data)
{
	Request *request = user_data;
	HubdKeyring *self = g_task_get_source_object(request->task);

	g_queue_push_tail(&self->waiting, request);
	hubd_keyring_pump(self);
	return G_SOURCE_REMOVE;
}

void
hubd_keyring_submit(HubdKeyring *self,
		    const gchar *op,
		    const gchar *schema,
		    GHashTable *attributes,
		    HubdKeyringFlags flags,
		    const gchar *label,
		    const gchar *secret,
		    GTask *task)
{
	Request *request = g_new0(Request, 1);
	GVariantBuilder builder;
	GHashTableIter iter;
	gpointer key, value;
	g_autoptr(GVariant) message = NULL;

	g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
	if (attributes != NULL) {
		g_hash_table_iter_init(&iter, attributes);
		while (g_hash_table_iter_next(&iter, &key, &value))
			g_variant_builder_add(&builder, "{ss}", key, value);
	}
	message = g_variant_ref_sink(
		g_variant_new("(ssa{ss}us@ay)",
			      op,
			      schema,
			      &builder,
			      (guint32)flags,
			      label != NULL ? label : "",
			      g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE,
							secret != NULL ? secret : "",
							secret != NULL ? strlen(secret) : 0,
							1)));
	request->message = hubd_keyring_wire_encode(message);
	/* only the helper's answer says whether the keyring changed */
	g_task_set_check_cancellable(task, FALSE);
	request->task = task;
	g_main_context_invoke_full(self->context,
				   G_PRIORITY_DEFAULT,
				   hubd_keyring_enqueue_cb,
				   request,
				   NULL);
}
