/* hubd-token-file.c: HubdTokenStore's private files: token file, auth-state, credential
 *
 * The 0600 token file (file backend), the auth-state file (active token per
 * endpoint, names only) and $CREDENTIALS_DIRECTORY/hf-token are read and
 * written in a worker thread; the (de)serialisers run on the main thread. */
#define G_LOG_DOMAIN "HubdTokenFile"

#include "hubd-token-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubd-error.h"

/* ---- entries ---- */

void
hubd_token_secret_free(gchar *secret)
{
	if (secret == NULL)
		return;
	memset(secret, 0, strlen(secret));
	g_free(secret);
}

void
hubd_token_entry_free(HubdTokenEntry *e)
{
	if (e == NULL)
		return; /* taken from its array */
	g_free(e->name);
	g_free(e->endpoint);
	g_free(e->user);
	g_free(e->role);
	hubd_token_secret_free(e->secret);
	g_free(e);
}

HubdTokenEntry *
hubd_token_entry_new(const gchar *endpoint,
		     const gchar *name,
		     const gchar *user,
		     const gchar *role,
		     const gchar *secret)
{
	HubdTokenEntry *e = g_new0(HubdTokenEntry, 1);

	e->endpoint = g_strdup(endpoint);
	e->name = g_strdup(name);
	e->user = g_strdup(user != NULL ? user : "");
	e->role = g_strdup(role != NULL ? role : "");
	e->secret = g_strdup(secret);
	return e;
}

HubdTokenEntry *
hubd_token_entry_find(GPtrArray *entries, const gchar *endpoint, const gchar *name, guint *index)
{
	for (guint i = 0; i < entries->len; i++) {
		HubdTokenEntry *e = g_ptr_array_index(entries, i);
		if (g_strcmp0(e->endpoint, endpoint) == 0 && g_strcmp0(e->name, name) == 0) {
			if (index != NULL)
				*index = i;
			return e;
		}
	}
	return NULL;
}

/* ---- private files (worker thread) ---- */

/* Atomic write with the mode fixed before any byte lands: mkstemp (0600) in
 * the same 0700 directory, write, fsync, rename. */
static gboolean
hubd_token_file_write_private(const gchar *path, const gchar *contents, GError **error)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autofree gchar *tmp = g_strdup_printf("%s.XXXXXX", path);
	gsize len = strlen(contents);
	gsize done = 0;
	gint fd;

	if (g_mkdir_with_parents(dir, 0700) != 0 || g_chmod(dir, 0700) != 0) {
		gint saved = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(saved),
			    _("Cannot create %s: %s"),
			    dir,
			    g_strerror(saved));
		return FALSE;
	}
	fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0) {
		gint saved = errno;
		if (fd >= 0) {
			close(fd);
			g_unlink(tmp);
		}
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(saved),
			    _("Cannot write %s: %s"),
			    path,
			    g_strerror(saved));
		return FALSE;
	}
	while (done < len) {
		gssize n = write(fd, contents + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (gsize)n;
	}
	if (done < len || fsync(fd) != 0 || close(fd) != 0 || g_rename(tmp, path) != 0) {
		gint saved = errno;
		g_unlink(tmp);
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(saved),
			    _("Cannot write %s: %s"),
			    path,
			    g_strerror(saved));
		return FALSE;
	}
	return TRUE;
}

void
hubd_token_file_job_free(HubdTokenFileJob *job)
{
	g_free(job->tokens_path);
	hubd_token_secret_free(job->tokens_data);
	g_free(job->state_path);
	g_free(job->state_data);
	hubd_token_secret_free(job->credential);
	g_free(job);
}

/* reads or writes (whatever has data) the tokens and state files */
static void
hubd_token_file_job_thread(GTask *task,
			   gpointer source,
			   gpointer task_data,
			   GCancellable *cancellable)
{
	HubdTokenFileJob *job = task_data;
	GError *error = NULL;
	gboolean writing = job->tokens_data != NULL || job->state_data != NULL;

	if (writing) {
		if (job->tokens_data != NULL &&
		    !hubd_token_file_write_private(job->tokens_path, job->tokens_data, &error)) {
			g_task_return_error(task, error);
			return;
		}
		if (job->state_data != NULL &&
		    !hubd_token_file_write_private(job->state_path, job->state_data, &error)) {
			g_task_return_error(task, error);
			return;
		}
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (job->tokens_path != NULL)
		g_file_get_contents(job->tokens_path, &job->tokens_data, NULL, NULL);
	g_file_get_contents(job->state_path, &job->state_data, NULL, NULL);
	if (g_getenv("CREDENTIALS_DIRECTORY") != NULL) {
		g_autofree gchar *path =
			g_build_filename(g_getenv("CREDENTIALS_DIRECTORY"), "hf-token", NULL);
		g_autofree gchar *raw = NULL;
		if (g_file_get_contents(path, &raw, NULL, NULL))
			job->credential = hubd_token_clean(raw);
	}
	g_task_return_boolean(task, TRUE);
}

void
hubd_token_file_job_run_async(gpointer source_object,
			      HubdTokenFileJob *job,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(source_object, NULL, callback, user_data);

	g_task_set_task_data(task, job, (GDestroyNotify)hubd_token_file_job_free);
	g_task_run_in_thread(task, hubd_token_file_job_thread);
}

HubdTokenFileJob *
hubd_token_file_job_run_finish(GAsyncResult *result, GError **error)
{
	if (!g_task_propagate_boolean(G_TASK(result), error))
		return NULL;
	return g_task_get_task_data(G_TASK(result));
}

/* ---- (de)serialising (main thread) ---- */

/* What GKeyFile takes as a group name: not empty, no brackets, no control
 * characters (an IPv6 endpoint has brackets). */
static gboolean
hubd_token_file_is_group_name(const gchar *name)
{
	if (name[0] == '\0')
		return FALSE;
	for (const gchar *p = name; *p != '\0'; p++) {
		if (*p == '[' || *p == ']' || g_ascii_iscntrl(*p))
			return FALSE;
	}
	return TRUE;
}

/* `wanted` when it is a usable, unused group name, else a numbered one: the
 * parsers read what matters from the keys, so any unique name will do. */
static gchar *
hubd_token_file_group(GKeyFile *kf, const gchar *prefix, const gchar *wanted, guint index)
{
	if (hubd_token_file_is_group_name(wanted) && !g_key_file_has_group(kf, wanted))
		return g_strdup(wanted);
	for (guint n = index;; n++) {
		g_autofree gchar *group = g_strdup_printf("%s-%u", prefix, n);
		if (!g_key_file_has_group(kf, group))
			return g_steal_pointer(&group);
	}
}

gchar *
hubd_token_file_serialize_state(GHashTable *active)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	GHashTableIter iter;
	gpointer key, value;
	guint n = 0;

	g_key_file_set_comment(kf,
			       NULL,
			       NULL,
			       " hubd: the active token per Hub endpoint (names only, no secrets)",
			       NULL);
	g_hash_table_iter_init(&iter, active);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		g_autofree gchar *group = hubd_token_file_group(kf, "endpoint", key, n++);
		/* the endpoint is the group's name, or its own key when it cannot be */
		if (g_strcmp0(group, key) != 0)
			g_key_file_set_string(kf, group, "endpoint", key);
		g_key_file_set_string(kf, group, "active", value);
	}
	return g_key_file_to_data(kf, NULL, NULL);
}

gchar *
hubd_token_file_serialize_tokens(GPtrArray *entries)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();

	g_key_file_set_comment(kf,
			       NULL,
			       NULL,
			       " hubd: Hugging Face tokens (used when no keyring is available)",
			       NULL);
	for (guint i = 0; i < entries->len; i++) {
		HubdTokenEntry *e = g_ptr_array_index(entries, i);
		g_autofree gchar *wanted = g_strdup_printf("%s@%s", e->name, e->endpoint);
		g_autofree gchar *group = hubd_token_file_group(kf, "token", wanted, i);
		g_key_file_set_string(kf, group, "endpoint", e->endpoint);
		g_key_file_set_string(kf, group, "name", e->name);
		g_key_file_set_string(kf, group, "hf_token", e->secret);
		g_key_file_set_string(kf, group, "user", e->user);
		g_key_file_set_string(kf, group, "role", e->role);
	}
	return g_key_file_to_data(kf, NULL, NULL);
}

void
hubd_token_file_parse_state(const gchar *data, GHashTable *active)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_auto(GStrv) groups = NULL;

	if (data == NULL || !g_key_file_load_from_data(kf, data, -1, G_KEY_FILE_NONE, NULL))
		return;
	groups = g_key_file_get_groups(kf, NULL);
	for (guint i = 0; groups[i] != NULL; i++) {
		g_autofree gchar *endpoint = g_key_file_get_string(kf, groups[i], "endpoint", NULL);
		gchar *name = g_key_file_get_string(kf, groups[i], "active", NULL);
		if (endpoint == NULL && g_utf8_validate(groups[i], -1, NULL))
			endpoint = g_strdup(groups[i]);
		if (endpoint == NULL || name == NULL) {
			g_free(name);
			continue;
		}
		g_hash_table_replace(active, g_steal_pointer(&endpoint), name);
	}
}

/* A hand-edited file can hold what the Auth service never stores: an empty
 * name or endpoint, a secret with blanks or line breaks around it, the same
 * token twice (the first one counts, as in every lookup). */
void
hubd_token_file_parse_tokens(const gchar *data, GPtrArray *entries)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_auto(GStrv) groups = NULL;

	if (data == NULL || !g_key_file_load_from_data(kf, data, -1, G_KEY_FILE_NONE, NULL))
		return;
	groups = g_key_file_get_groups(kf, NULL);
	for (guint i = 0; groups[i] != NULL; i++) {
		g_autofree gchar *endpoint = g_key_file_get_string(kf, groups[i], "endpoint", NULL);
		g_autofree gchar *name = g_key_file_get_string(kf, groups[i], "name", NULL);
		gchar *raw = g_key_file_get_string(kf, groups[i], "hf_token", NULL);
		gchar *secret = hubd_token_clean(raw);
		g_autofree gchar *user = g_key_file_get_string(kf, groups[i], "user", NULL);
		g_autofree gchar *role = g_key_file_get_string(kf, groups[i], "role", NULL);
		gboolean seen = name != NULL &&
				hubd_token_entry_find(entries, endpoint, name, NULL) != NULL;

		hubd_token_secret_free(raw);
		if (endpoint != NULL && endpoint[0] != '\0' && name != NULL && name[0] != '\0' &&
		    secret != NULL && !seen)
			g_ptr_array_add(entries,
					hubd_token_entry_new(endpoint, name, user, role, secret));
		hubd_token_secret_free(secret);
	}
}

gchar *
hubd_token_clean(const gchar *raw)
{
	g_autoptr(GString) s = NULL;

	if (raw == NULL)
		return NULL;
	s = g_string_new(raw);
	g_string_replace(s, "\r", "", 0);
	g_string_replace(s, "\n", "", 0);
	g_strstrip(s->str);
	if (s->str[0] == '\0')
		return NULL;
	return g_strdup(s->str);
}
