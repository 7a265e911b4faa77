/* hubd-s3-journal.c: one small file per multipart upload in flight, under
 * $XDG_STATE_HOME/hubd/s3-uploads/BACKEND/, written when S3 gives the upload id and removed
 * when the upload completes or is aborted. A file still there when the backend is first used
 * is an upload a dead hubd left: it is aborted (AbortMultipartUpload), so no parts are kept
 * and billed, and no other machine's upload is touched (S3 API reference, "Aborting
 * incomplete multipart uploads"; the journal is ours, not a listing of the whole bucket) */
#define G_LOG_DOMAIN "HubdS3"

#include "hubd-s3-journal.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "hubd-s3-multipart.h"

static gchar *
journal_dir(HubdS3Storage *self)
{
	return g_build_filename(g_get_user_state_dir(),
				"hubd",
				"s3-uploads",
				hubd_s3_storage_get_config(self)->name,
				NULL);
}

static gchar *
journal_file(HubdS3Storage *self, const gchar *upload_id)
{
	g_autofree gchar *dir = journal_dir(self);
	g_autofree gchar *name = g_compute_checksum_for_string(G_CHECKSUM_SHA256, upload_id, -1);

	return g_build_filename(dir, name, NULL);
}

typedef struct {
	gchar *path;
	gchar *contents; /* NULL: remove */
} Write;

static void
write_free(gpointer data)
{
	Write *w = data;

	g_free(w->path);
	g_free(w->contents);
	g_free(w);
}

static guint64
own_start(void);

/* `contents` into a new file `path` (0600), on disk before it returns */
static gboolean
write_whole(const gchar *path, const gchar *contents)
{
	gsize left = strlen(contents);
	int fd = g_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	gboolean ok;

	if (fd < 0)
		return FALSE;
	while (left > 0) {
		gssize n = write(fd, contents, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		contents += n;
		left -= (gsize)n;
	}
	ok = left == 0 && fsync(fd) == 0;
	return close(fd) == 0 && ok;
}

static void
write_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	Write *w = task_data;
	g_autofree gchar *dir = g_path_get_dirname(w->path);
	g_autofree gchar *tmp = NULL;

	if (w->contents == NULL) {
		if (g_unlink(w->path) != 0 && errno != ENOENT)
			g_warning("cannot remove %s: %s", w->path, g_strerror(errno));
		return;
	}
	/* whole or not at all, under a name that says whose it is while it is
	 * written: a kill before the rename leaves a file recovery can judge */
	tmp = g_strdup_printf("%s.%d-%" G_GUINT64_FORMAT ".tmp",
			      w->path,
			      (int)getpid(),
			      own_start());
	if (g_mkdir_with_parents(dir, 0700) != 0 || !write_whole(tmp, w->contents) ||
	    g_rename(tmp, w->path) != 0) {
		g_warning("cannot note the multipart upload in %s: %s", w->path, g_strerror(errno));
		g_unlink(tmp);
	}
}

static void
journal_write(HubdS3Storage *self, const gchar *upload_id, gchar *contents)
{
	g_autoptr(GTask) task = g_task_new(self, NULL, NULL, NULL);
	Write *w = g_new0(Write, 1);

	w->path = journal_file(self, upload_id);
	w->contents = contents;
	g_task_set_task_data(task, w, write_free);
	g_task_run_in_thread(task, write_thread);
}

/* When process `pid` started (clock ticks since boot, field 22 of
 * /proc/PID/stat), 0 when there is no such process. A pid and its start
 * time name one process; a pid alone may name a later one that reuses it
 * (a container's hubd often gets the same pid at every start). */
static guint64
process_start_time(gint pid)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%d/stat", pid);
	g_autofree gchar *text = NULL;
	g_auto(GStrv) fields = NULL;
	const gchar *end;
	guint64 start = 0;

	/* the command name, in parentheses, may hold spaces: fields follow the last ')' */
	if (!g_file_get_contents(path, &text, NULL, NULL) || (end = strrchr(text, ')')) == NULL ||
	    end[1] != ' ')
		return 0;
	fields = g_strsplit(end + 2, " ", 0);
	/* fields[0] is field 3 (the state) */
	if (g_strv_length(fields) > 19 &&
	    g_ascii_string_to_unsigned(fields[19], 10, 1, G_MAXUINT64, &start, NULL))
		return start;
	return 0;
}

/* this process's start (see process_start_time); computed once, the same
 * from any thread */
static guint64
own_start(void)
{
	static guint64 started;

	if (started == 0)
		started = process_start_time((gint)getpid());
	return started;
}

void
hubd_s3_journal_add(HubdS3Storage *self, const gchar *key, const gchar *upload_id)
{
	/* the process: a hubd of this user still running keeps its uploads */
	journal_write(self,
		      upload_id,
		      g_strdup_printf("%s\n%s\n%d\n%" G_GUINT64_FORMAT "\n",
				      upload_id,
				      key,
				      (int)getpid(),
				      own_start()));
}

void
hubd_s3_journal_remove(HubdS3Storage *self, const gchar *upload_id)
{
	journal_write(self, upload_id, NULL);
}

/* ---- recovery ---- */

static void
recover_aborted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autofree gchar *upload_id = user_data;
	g_autoptr(GError) error = NULL;

	/* gone already (completed, or aborted by a lifecycle rule) is fine */
	if (hubd_s3_multipart_abort_finish(HUBD_S3_STORAGE(source), res, &error) ||
	    g_error_matches(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND)) {
		g_message("aborted a multipart upload a previous hubd left: %s", upload_id);
		hubd_s3_journal_remove(HUBD_S3_STORAGE(source), upload_id);
		return;
	}
	/* kept: the next start tries again */
	g_warning("cannot abort the multipart upload %s: %s", upload_id, error->message);
}

/* Whether the hubd that began an upload still runs: this very process
 * (its uploads are in flight, whichever backend object began them: a
 * backend made again for the same name must not abort them) or another
 * live one. An entry without a start time (an older hubd) goes by its pid
 * alone, this process's included, and is left to a later start. */
static gboolean
process_alive(const gchar *pid_text, const gchar *start_text)
{
	guint64 pid = 0;
	guint64 start = 0;

	if (!g_ascii_string_to_unsigned(pid_text, 10, 1, G_MAXINT, &pid, NULL))
		return FALSE;
	if (start_text == NULL ||
	    !g_ascii_string_to_unsigned(start_text, 10, 1, G_MAXUINT64, &start, NULL))
		return kill((pid_t)pid, 0) == 0 || errno == EPERM;
	return process_start_time((gint)pid) == start;
}

/* A file that is not a whole entry: the temporary file of a write
 * (ENTRY.PID-START.tmp) that a kill cut off before its rename. While its
 * writer lives it is left alone; after, a whole one becomes the entry it
 * was to be, one cut short (it names no upload to abort) goes. Returns the
 * entry's lines, or NULL. */
static gchar **
recover_leftover(const gchar *dir, const gchar *name, const gchar *path, gchar **lines)
{
	g_auto(GStrv) parts = g_strsplit_set(name, ".-", 0);

	if (g_strv_length(parts) != 4 || strlen(parts[0]) != 64 ||
	    g_strcmp0(parts[3], "tmp") != 0 || process_alive(parts[1], parts[2])) {
		g_strfreev(lines);
		return NULL;
	}
	if (g_strv_length(lines) >= 5 && lines[0][0] != '\0' && lines[1][0] != '\0') {
		g_autofree gchar *entry = g_build_filename(dir, parts[0], NULL);

		if (!g_file_test(entry, G_FILE_TEST_EXISTS) && g_rename(path, entry) == 0)
			return lines;
	}
	g_message("removed %s, a note of an upload that a killed hubd left unfinished", path);
	g_unlink(path);
	g_strfreev(lines);
	return NULL;
}

static void
recover_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	g_autofree gchar *dir = journal_dir(HUBD_S3_STORAGE(source));
	g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	const gchar *name;

	while (handle != NULL && (name = g_dir_read_name(handle)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		g_autofree gchar *text = NULL;
		gchar **lines;

		if (!g_file_get_contents(path, &text, NULL, NULL))
			continue;
		lines = g_strsplit(text, "\n", 0);
		/* an entry is named by 64 hex digits; anything else was being written */
		if (strlen(name) != 64)
			lines = recover_leftover(dir, name, path, lines);
		if (lines != NULL && g_strv_length(lines) >= 3 && lines[0][0] != '\0' &&
		    lines[1][0] != '\0' &&
		    !process_alive(lines[2], g_strv_length(lines) >= 4 ? lines[3] : NULL))
			g_ptr_array_add(found, lines);
		else
			g_strfreev(lines);
	}
	g_task_return_pointer(task, g_steal_pointer(&found), (GDestroyNotify)g_ptr_array_unref);
}

static void
recover_found_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdS3Storage *self = HUBD_S3_STORAGE(source);
	g_autoptr(GPtrArray) found = g_task_propagate_pointer(G_TASK(res), NULL);

	for (guint i = 0; found != NULL && i < found->len; i++) {
		gchar **lines = g_ptr_array_index(found, i);
		hubd_s3_multipart_abort_async(self,
					      lines[1],
					      lines[0],
					      NULL,
					      recover_aborted_cb,
					      g_strdup(lines[0]));
	}
}

void
hubd_s3_journal_recover(HubdS3Storage *self)
{
	g_autoptr(GTask) task = g_task_new(self, NULL, recover_found_cb, NULL);

	g_task_run_in_thread(task, recover_thread);
}
