/* hubctl-job.c: waiting for an org.hubd.Hub1.Job — progress bar, Ctrl-C, result
 *
 * Shared by every command that starts a job (download, upload, ...), on
 * libhubd's HubdJob: it keeps the Job contract (subscribe to the job's
 * signals, then read its state: a job may end before we listen), its
 * ::progress draws the bars, hubd_job_wait() gives the outcome. */
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hubctl.h"

#define HUBCTL_JOB_REDRAW_US       (G_USEC_PER_SEC / 10) /* at most ~10 redraws a second */
#define HUBCTL_JOB_CANCEL_WAIT_S   5 /* how long Ctrl-C waits for Completed(cancelled) */
#define HUBCTL_JOB_DEFAULT_COLUMNS 80
#define HUBCTL_JOB_MIN_BAR_WIDTH   6
#define HUBCTL_JOB_FILE_BAR_WIDTH  20
#define HUBCTL_JOB_MAX_NAME_WIDTH  40
#define HUBCTL_JOB_MAX_FILE_LINES  16

typedef struct {
	HubctlContext *ctx;
	GMainLoop *loop;
	GCancellable *cancellable; /* the job's creation and wait, if we stop first */
	HubdJob *job;
	gchar *job_path;
	gboolean draw;           /* stderr is a TTY and not quiet */
	guint lines_shown;       /* lines of bars on the screen, to be cleared */
	gboolean done;           /* the outcome is known; the loop is quitting */
	gboolean cancelling;     /* Ctrl-C was pressed once */
	gboolean cancel_pending; /* Ctrl-C before the proxy was ready */
	gint exit_code;
	GVariant *result;
	gchar *message; /* why the job failed */
	gint64 last_draw_us;
	guint sigint_id;
	guint redraw_id;
	guint cancel_timeout_id;
} HubctlJobWait;

/* ---- the progress bar ---- */

static gboolean
hubctl_job_bars_enabled(gboolean quiet)
{
	const gchar *disable = g_getenv("HF_HUB_DISABLE_PROGRESS_BARS");

	if (quiet || !hubctl_stderr_is_tty())
		return FALSE;
	/* the huggingface_hub switch, so one setting silences every tool */
	if (disable != NULL &&
	    (g_ascii_strcasecmp(disable, "1") == 0 || g_ascii_strcasecmp(disable, "true") == 0 ||
	     g_ascii_strcasecmp(disable, "yes") == 0 || g_ascii_strcasecmp(disable, "on") == 0))
		return FALSE;
	return TRUE;
}

static guint
hubctl_job_columns(guint *rows)
{
	struct winsize ws = {0};

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		*rows = ws.ws_row;
		return ws.ws_col;
	}
	*rows = 0;
	return HUBCTL_JOB_DEFAULT_COLUMNS;
}

static gchar *
hubctl_job_format_eta(guint64 seconds)
{
	if (seconds >= 100 * 3600)
		return g_strdup("--:--");
	if (seconds >= 3600)
		return g_strdup_printf("%u:%02u:%02u",
				       (guint)(seconds / 3600),
				       (guint)(seconds % 3600 / 60),
				       (guint)(seconds % 60));
	return g_strdup_printf("%u:%02u", (guint)(seconds / 60), (guint)(seconds % 60));
}

/* Appends `text` right-aligned in `width` characters (not bytes: g_format_size
 * puts a no-break space in), so the fields, and the bar, stay in place. */
static void
hubctl_job_append_padded(GString *line, const gchar *text, glong width)
{
	for (glong n = (glong)g_utf8_strlen(text, -1); n < width; n++)
		g_string_append_c(line, ' ');
	g_string_append(line, text);
}

/* "downloading [#####-----]  42%   1.2 GB / 3.0 GB   45.1 MB/s  ETA 0:40  3/10 files" */
static gchar *
hubctl_job_format_line(HubdJob *job, guint columns)
{
	const gchar *phase = hubd_job_get_phase(job);
	guint64 done = hubd_job_get_bytes_done(job);
	guint64 total = hubd_job_get_bytes_total(job);
	guint64 rate = hubd_job_get_rate(job);
	guint files_done = hubd_job_get_files_done(job);
	guint files_total = hubd_job_get_files_total(job);
	g_autoptr(GString) tail = g_string_new(NULL);
	g_autoptr(GString) line = g_string_new(NULL);
	g_autofree gchar *done_text = g_format_size(done);
	g_autofree gchar *rate_text = NULL;
	g_autofree gchar *eta_text = NULL;
	glong label_width;
	glong bar_width;

	if (phase == NULL || phase[0] == '\0')
		phase = hubd_job_get_state(job);
	if (phase == NULL || phase[0] == '\0')
		phase = _("waiting");
	if (hubd_job_get_waiting_until(job) > (guint64)g_get_real_time()) {
		guint64 left = (hubd_job_get_waiting_until(job) - (guint64)g_get_real_time() +
				G_USEC_PER_SEC - 1) /
			       G_USEC_PER_SEC;

		/* TRANSLATORS: the daemon holds requests until the Hub's request budget resets */
		return g_strdup_printf(_("waiting for the Hub's rate limit, %us"),
				       (guint)MIN(left, G_MAXUINT));
	}

	if (total > 0) {
		g_autofree gchar *total_text = g_format_size(total);
		g_string_append_printf(tail, " %3u%% ", (guint)(MIN(done, total) * 100 / total));
		hubctl_job_append_padded(tail, done_text, 8);
		g_string_append(tail, " / ");
		g_string_append(tail, total_text);
	} else {
		g_string_append(tail, " ");
		hubctl_job_append_padded(tail, done_text, 8);
	}
	if (rate > 0) {
		g_autofree gchar *size = g_format_size(rate);
		/* TRANSLATORS: a transfer rate, e.g. "45.1 MB/s" */
		rate_text = g_strdup_printf(_("%s/s"), size);
		if (total > done) {
			g_autofree gchar *eta = hubctl_job_format_eta((total - done) / rate);
			/* TRANSLATORS: estimated time left, e.g. "ETA 1:05" */
			eta_text = g_strdup_printf(_("ETA %s"), eta);
		}
	}
	g_string_append(tail, "  ");
	hubctl_job_append_padded(tail, rate_text != NULL ? rate_text : "", 10);
	g_string_append(tail, "  ");
	hubctl_job_append_padded(tail, eta_text != NULL ? eta_text : "", 8);
	if (files_total > 1) {
		g_string_append(tail, "  ");
		/* TRANSLATORS: files done / files total */
		g_string_append_printf(tail, _("%u/%u files"), files_done, files_total);
	}

	/* the label is cut first, then the bar shrinks: the numbers matter most */
	label_width = MIN((glong)g_utf8_strlen(phase, -1), 20);
	g_string_append_len(line, phase, g_utf8_offset_to_pointer(phase, label_width) - phase);
	for (glong n = label_width; n < 11; n++)
		g_string_append_c(line, ' ');
	label_width = MAX(label_width, 11);
	bar_width =
		MIN((glong)columns - 1 - label_width - 3 - (glong)g_utf8_strlen(tail->str, -1), 30);
	if (bar_width >= HUBCTL_JOB_MIN_BAR_WIDTH && total > 0) {
		glong filled =
			(glong)((gdouble)MIN(done, total) / (gdouble)total * (gdouble)bar_width);
		g_string_append(line, " [");
		for (glong i = 0; i < bar_width; i++)
			g_string_append_c(line, i < filled ? '#' : '-');
		g_string_append_c(line, ']');
	}
	g_string_append(line, tail->str);
	if ((glong)g_utf8_strlen(line->str, -1) >= (glong)columns)
		g_string_truncate(line,
				  g_utf8_offset_to_pointer(line->str, MAX((glong)columns - 1, 0)) -
					  line->str);
	return g_string_free(g_steal_pointer(&line), FALSE);
}

/* `path` in at most `width` characters: a long one keeps its end (the file
 * name) behind an ellipsis. Padded to `width`. */
static void
hubctl_job_append_name(GString *line, const gchar *path, glong width)
{
	glong len = (glong)g_utf8_strlen(path, -1);

	if (len > width && width > 1) {
		g_string_append(line, "…");
		g_string_append(line, g_utf8_offset_to_pointer(path, len - (width - 1)));
		return;
	}
	if (len > width)
		len = width;
	g_string_append_len(line, path, g_utf8_offset_to_pointer(path, len) - path);
	for (glong n = len; n < width; n++)
		g_string_append_c(line, ' ');
}

/* "  sub/model.safetensors [#####-----]  42%   1.2 GB /   3.0 GB" */
static gchar *
hubctl_job_format_file_line(const gchar *path,
			    guint64 done,
			    guint64 total,
			    glong name_width,
			    guint columns)
{
	g_autoptr(GString) tail = g_string_new(NULL);
	g_autoptr(GString) line = g_string_new("  ");
	g_autofree gchar *done_text = g_format_size(done);
	glong avail;
	glong bar_width = 0;

	if (total > 0) {
		g_autofree gchar *total_text = g_format_size(total);
		g_string_append_printf(tail, " %3u%% ", (guint)(MIN(done, total) * 100 / total));
		hubctl_job_append_padded(tail, done_text, 8);
		g_string_append(tail, " / ");
		hubctl_job_append_padded(tail, total_text, 8);
	} else {
		g_string_append(tail, " ");
		hubctl_job_append_padded(tail, done_text, 8);
	}
	/* the name and the bar share what the numbers leave */
	avail = (glong)columns - 1 - 2 - (glong)g_utf8_strlen(tail->str, -1);
	if (total > 0)
		bar_width = MIN(HUBCTL_JOB_FILE_BAR_WIDTH, avail - name_width - 3);
	if (bar_width < HUBCTL_JOB_MIN_BAR_WIDTH)
		bar_width = 0;
	name_width = MAX(MIN(name_width, avail - (bar_width > 0 ? bar_width + 3 : 0)), 1);
	hubctl_job_append_name(line, path, name_width);
	if (bar_width > 0) {
		glong filled =
			(glong)((gdouble)MIN(done, total) / (gdouble)total * (gdouble)bar_width);
		g_string_append(line, " [");
		for (glong i = 0; i < bar_width; i++)
			g_string_append_c(line, i < filled ? '#' : '-');
		g_string_append_c(line, ']');
	}
	g_string_append(line, tail->str);
	if ((glong)g_utf8_strlen(line->str, -1) >= (glong)columns)
		g_string_truncate(line,
				  g_utf8_offset_to_pointer(line->str, MAX((glong)columns - 1, 0)) -
					  line->str);
	return g_string_free(g_steal_pointer(&line), FALSE);
}

/* Moves back to where the bars began and erases them all. */
static void
hubctl_job_clear_bar(HubctlJobWait *w)
{
	if (w->lines_shown == 0)
		return;
	if (w->lines_shown > 1)
		g_printerr("\r\033[%uA\033[J", w->lines_shown - 1);
	else
		g_printerr("\r\033[J");
	w->lines_shown = 0;
}

static void
hubctl_job_draw_now(HubctlJobWait *w)
{
	g_autofree gchar *line = NULL;
	g_autoptr(GString) out = g_string_new("\r");
	GVariant *files;
	guint rows = 0;
	guint columns;
	guint max_lines = HUBCTL_JOB_MAX_FILE_LINES;
	guint n = 0;

	if (!w->draw || w->done || w->job == NULL)
		return;
	columns = hubctl_job_columns(&rows);
	/* cursor-up cannot reach above the screen: keep the block on it */
	if (rows > 0)
		max_lines = MIN(max_lines, rows > 2 ? rows - 2 : 0);
	line = hubctl_job_format_line(w->job, columns);
	if (w->lines_shown > 1)
		g_string_append_printf(out, "\033[%uA", w->lines_shown - 1);
	files = hubd_job_get_files(w->job);
	if (files != NULL && g_variant_is_of_type(files, G_VARIANT_TYPE("a(stt)"))) {
		GVariantIter iter;
		const gchar *path;
		guint64 done;
		guint64 total;
		glong name_width = 0;

		g_variant_iter_init(&iter, files);
		while (g_variant_iter_next(&iter, "(&stt)", &path, &done, &total))
			name_width = MAX(name_width, (glong)g_utf8_strlen(path, -1));
		name_width = MIN(name_width, HUBCTL_JOB_MAX_NAME_WIDTH);
		g_variant_iter_init(&iter, files);
		while (n < max_lines &&
		       g_variant_iter_next(&iter, "(&stt)", &path, &done, &total)) {
			g_autofree gchar *file_line =
				hubctl_job_format_file_line(path, done, total, name_width, columns);
			/* \033[2K: erase the whole line, then write it anew */
			g_string_append_printf(out, "\033[2K%s\n", file_line);
			n++;
		}
	}
	/* the total line last; \033[J erases what an earlier, longer block left */
	g_string_append_printf(out, "\033[2K%s\033[J", line);
	g_printerr("%s", out->str);
	w->lines_shown = n + 1;
	w->last_draw_us = g_get_monotonic_time();
}

static gboolean
hubctl_job_redraw_cb(gpointer user_data)
{
	HubctlJobWait *w = user_data;

	w->redraw_id = 0;
	hubctl_job_draw_now(w);
	return G_SOURCE_REMOVE;
}

/* Draws at once unless the last draw was under 100 ms ago; then once the
 * 100 ms are over (changes in between are folded into that one draw). */
static void
hubctl_job_schedule_draw(HubctlJobWait *w)
{
	gint64 since;

	if (!w->draw || w->done || w->redraw_id != 0)
		return;
	since = g_get_monotonic_time() - w->last_draw_us;
	if (since >= HUBCTL_JOB_REDRAW_US) {
		hubctl_job_draw_now(w);
		return;
	}
	w->redraw_id = g_timeout_add((guint)((HUBCTL_JOB_REDRAW_US - since) / 1000) + 1,
				     hubctl_job_redraw_cb,
				     w);
}

/* ---- the outcome ---- */

static void
hubctl_job_finish(HubctlJobWait *w, gint exit_code)
{
	if (w->done)
		return;
	w->done = TRUE;
	w->exit_code = exit_code;
	hubctl_job_clear_bar(w);
	g_main_loop_quit(w->loop);
}

static void
hubctl_job_wait_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubctlJobWait *w = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GFile) file = hubd_job_wait_finish(HUBD_JOB(source), res, &error);
	GVariant *result;

	/* cancelled: hubctl_job_wait() has returned and w is gone */
	if (error != NULL && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (w->done)
		return;
	hubctl_job_clear_bar(w);
	if (error == NULL) {
		result = hubd_job_get_result(HUBD_JOB(source));
		w->result = result != NULL ? g_variant_ref(result)
					   : g_variant_ref_sink(g_variant_new("a{sv}", NULL));
		hubctl_job_finish(w, HUBCTL_EXIT_OK);
		return;
	}
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CLOSED)) {
		/* hubd went away (crash, restart) while we waited */
		hubctl_job_finish(
			w,
			hubctl_report_unreachable(
				hubctl_context_is_socket(w->ctx)
					? _("the connection to hubd was closed")
					: _("hubd left the bus while the job was running")));
		return;
	}
	w->message = g_strdup(error->message);
	hubctl_job_finish(w, hubctl_report_error(error));
}

/* On a socket: the connection closed under us (before the wait saw it, with
 * GIO's reason). */
static void
hubctl_job_connection_closed_cb(GDBusConnection *connection,
				gboolean remote_peer_vanished,
				GError *error,
				gpointer user_data)
{
	HubctlJobWait *w = user_data;

	if (w->done)
		return;
	hubctl_job_clear_bar(w);
	hubctl_job_finish(
		w,
		hubctl_report_unreachable(error != NULL ? error->message
							: _("the connection to hubd was closed")));
}

/* ---- Ctrl-C ---- */

static gboolean
hubctl_job_cancel_timeout_cb(gpointer user_data)
{
	HubctlJobWait *w = user_data;

	w->cancel_timeout_id = 0;
	/* hubd did not confirm in time; the job is still cancelled on its side
	 * once this process (its owner) leaves the bus */
	g_printerr("hubctl: %s\n", _("Cancelled."));
	hubctl_job_finish(w, HUBCTL_EXIT_CANCELLED);
	return G_SOURCE_REMOVE;
}

static void
hubctl_job_cancel_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	/* a job that already ended has nothing to cancel; the wait tells the rest */
	if (!hubd_job_cancel_finish(HUBD_JOB(source), res, &error))
		g_debug("Cancel: %s", error->message);
}

static void
hubctl_job_send_cancel(HubctlJobWait *w)
{
	hubd_job_cancel(w->job, NULL, hubctl_job_cancel_cb, NULL);
	w->cancel_timeout_id =
		g_timeout_add_seconds(HUBCTL_JOB_CANCEL_WAIT_S, hubctl_job_cancel_timeout_cb, w);
}

static gboolean
hubctl_job_sigint_cb(gpointer user_data)
{
	HubctlJobWait *w = user_data;

	g_debug("SIGINT (job %s)", w->job != NULL ? "ready" : "pending");
	if (w->done)
		return G_SOURCE_CONTINUE;
	if (w->cancelling) {
		/* a second Ctrl-C: stop waiting for the confirmation */
		hubctl_job_clear_bar(w);
		g_printerr("hubctl: %s\n", _("Cancelled."));
		hubctl_job_finish(w, HUBCTL_EXIT_CANCELLED);
		return G_SOURCE_CONTINUE;
	}
	w->cancelling = TRUE;
	if (w->job != NULL)
		hubctl_job_send_cancel(w);
	else
		w->cancel_pending = TRUE;
	return G_SOURCE_CONTINUE;
}

/* ---- setting up ---- */

static void
hubctl_job_progress_cb(HubdJob *job, gpointer user_data)
{
	hubctl_job_schedule_draw(user_data);
}

static void
hubctl_job_ready(HubctlJobWait *w, HubdJob *job)
{
	w->job = g_object_ref(job);
	g_debug("job ready, state %s", hubd_job_get_state(job));
	g_signal_connect(job, "progress", G_CALLBACK(hubctl_job_progress_cb), w);
	hubd_job_wait(job, w->cancellable, hubctl_job_wait_cb, w);
	if (w->cancel_pending) {
		w->cancel_pending = FALSE;
		hubctl_job_send_cancel(w);
		return;
	}
	hubctl_job_schedule_draw(w);
}

static void
hubctl_job_new_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubctlJobWait *w = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdJob) job = hubd_job_new_finish(res, &error);

	/* cancelled: hubctl_job_wait() has returned and w is gone */
	if (job == NULL && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (job == NULL) {
		hubctl_job_finish(w, hubctl_report_error(error));
		return;
	}
	hubctl_job_ready(w, job);
}

static gint
hubctl_job_wait_run(HubctlContext *ctx,
		    const gchar *job_path,
		    HubdJob *job,
		    gboolean quiet,
		    GVariant **result_out,
		    gchar **message_out)
{
	HubdClient *client;
	GDBusConnection *connection;
	HubctlJobWait w = {0};
	gulong closed_id = 0;

	if (result_out != NULL)
		*result_out = NULL;
	if (message_out != NULL)
		*message_out = NULL;
	client = hubctl_context_get_client(ctx);
	if (client == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	connection = hubd_client_get_connection(client);

	w.ctx = ctx;
	w.job_path = g_strdup(job_path);
	w.loop = g_main_loop_new(NULL, FALSE);
	w.cancellable = g_cancellable_new();
	w.draw = hubctl_job_bars_enabled(quiet);
	w.exit_code = HUBCTL_EXIT_FAILED;
	w.sigint_id = g_unix_signal_add(SIGINT, hubctl_job_sigint_cb, &w);
	if (hubctl_context_is_socket(ctx))
		closed_id = g_signal_connect(connection,
					     "closed",
					     G_CALLBACK(hubctl_job_connection_closed_cb),
					     &w);

	if (job != NULL)
		hubctl_job_ready(&w, job);
	else
		hubd_job_new(client, job_path, w.cancellable, hubctl_job_new_cb, &w);
	if (!w.done)
		g_main_loop_run(w.loop);

	g_cancellable_cancel(w.cancellable);
	g_object_unref(w.cancellable);
	g_source_remove(w.sigint_id);
	if (w.redraw_id != 0)
		g_source_remove(w.redraw_id);
	if (w.cancel_timeout_id != 0)
		g_source_remove(w.cancel_timeout_id);
	if (closed_id != 0)
		g_signal_handler_disconnect(connection, closed_id);
	if (w.job != NULL) {
		g_signal_handlers_disconnect_by_data(w.job, &w);
		g_object_unref(w.job);
	}
	hubctl_job_clear_bar(&w);
	g_main_loop_unref(w.loop);
	g_free(w.job_path);

	if (w.exit_code == HUBCTL_EXIT_OK && result_out != NULL)
		*result_out = g_steal_pointer(&w.result);
	g_clear_pointer(&w.result, g_variant_unref);
	if (message_out != NULL)
		*message_out = g_steal_pointer(&w.message);
	g_free(w.message);
	return w.exit_code;
}

gint
hubctl_job_wait(HubctlContext *ctx, const gchar *job_path, gboolean quiet, GVariant **result_out)
{
	g_return_val_if_fail(job_path != NULL, HUBCTL_EXIT_FAILED);
	return hubctl_job_wait_run(ctx, job_path, NULL, quiet, result_out, NULL);
}

gint
hubctl_job_wait_job(HubctlContext *ctx,
		    HubdJob *job,
		    gboolean quiet,
		    GVariant **result_out,
		    gchar **message_out)
{
	g_return_val_if_fail(HUBD_IS_JOB(job), HUBCTL_EXIT_FAILED);
	return hubctl_job_wait_run(ctx,
				   hubd_job_get_object_path(job),
				   job,
				   quiet,
				   result_out,
				   message_out);
}
