/* hubd-token-op.c: one change to HubdTokenStore's tokens (save, remove, set active), carried out
 *
 * With the keyring the item changes first and memory only once the keyring
 * took it, so memory never shows a token the keyring refused. The files are
 * then written from memory: the auth-state file always (which token is
 * active), the token file in file mode. */
#define G_LOG_DOMAIN "HubdTokenStore"

#include "hubd-token-op.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-token-file.h"
#include "hubd-token-keyring.h"

HubdTokenOp *
hubd_token_op_new(HubdTokenOpKind kind, const gchar *endpoint, const gchar *name)
{
	HubdTokenOp *op = g_new0(HubdTokenOp, 1);

	op->kind = kind;
	op->endpoint = g_strdup(endpoint);
	op->name = g_strdup(name);
	return op;
}

void
hubd_token_op_free(HubdTokenOp *op)
{
	g_free(op->endpoint);
	g_free(op->name);
	hubd_token_secret_free(op->token);
	g_free(op->user);
	g_free(op->role);
	g_free(op);
}

typedef struct {
	HubdTokenOp *op; /* borrowed */
	GPtrArray *entries;
	GHashTable *active;
	gchar *tokens_path; /* NULL: keyring backend */
	gchar *state_path;
	GCancellable *cancellable;
} OpRun;

static void
op_run_free(OpRun *run)
{
	g_ptr_array_unref(run->entries);
	g_hash_table_unref(run->active);
	g_free(run->tokens_path);
	g_free(run->state_path);
	g_clear_object(&run->cancellable);
	g_free(run);
}

static void
hubd_token_op_return(GTask *task, GError *error)
{
	if (error != NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
	g_object_unref(task);
}

/* ---- memory and files ---- */

static void
hubd_token_op_save_in_memory(OpRun *run)
{
	HubdTokenOp *op = run->op;
	guint index;

	if (hubd_token_entry_find(run->entries, op->endpoint, op->name, &index) != NULL)
		g_ptr_array_remove_index(run->entries, index);
	g_ptr_array_add(
		run->entries,
		hubd_token_entry_new(op->endpoint, op->name, op->user, op->role, op->token));
	g_hash_table_replace(run->active, g_strdup(op->endpoint), g_strdup(op->name));
}

static void
hubd_token_op_remove_from_memory(OpRun *run)
{
	HubdTokenOp *op = run->op;
	guint index;

	if (hubd_token_entry_find(run->entries, op->endpoint, op->name, &index) != NULL)
		g_ptr_array_remove_index(run->entries, index);
	if (g_strcmp0(g_hash_table_lookup(run->active, op->endpoint), op->name) == 0)
		g_hash_table_remove(run->active, op->endpoint);
}

static void
hubd_token_op_files_written_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	GError *error = NULL;

	if (hubd_token_file_job_run_finish(res, &error) == NULL)
		g_warning("cannot save tokens: %s", error->message);
	hubd_token_op_return(task, error);
}

/* memory is already updated: write the state (and in file mode the tokens) */
static void
hubd_token_op_write_files(GTask *task)
{
	OpRun *run = g_task_get_task_data(task);
	HubdTokenFileJob *job = g_new0(HubdTokenFileJob, 1);

	if (run->tokens_path != NULL) {
		job->tokens_path = g_strdup(run->tokens_path);
		job->tokens_data = hubd_token_file_serialize_tokens(run->entries);
	}
	job->state_path = g_strdup(run->state_path);
	job->state_data = hubd_token_file_serialize_state(run->active);
	hubd_token_file_job_run_async(g_task_get_source_object(task),
				      job,
				      hubd_token_op_files_written_cb,
				      task);
}

/* ---- keyring ---- */

static void
hubd_token_op_stored_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	OpRun *run = g_task_get_task_data(task);
	GError *error = NULL;

	if (!hubd_token_keyring_store_finish(res, &error)) {
		hubd_token_op_return(task, error);
		return;
	}
	hubd_token_op_save_in_memory(run);
	g_debug("stored token “%s” for %s in the keyring", run->op->name, run->op->endpoint);
	hubd_token_op_write_files(task);
}

static void
hubd_token_op_cleared_before_store_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	OpRun *run = g_task_get_task_data(task);
	HubdTokenOp *op = run->op;
	GError *error = NULL;

	/* nothing to clear is fine: this only drops an older item of that name */
	if (!hubd_token_keyring_clear_finish(res, &error)) {
		hubd_token_op_return(task, error);
		return;
	}
	hubd_token_keyring_store_async(g_task_get_source_object(task),
				       op->endpoint,
				       op->name,
				       op->token,
				       op->user,
				       op->role,
				       run->cancellable,
				       hubd_token_op_stored_cb,
				       task);
}

static void
hubd_token_op_removed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	OpRun *run = g_task_get_task_data(task);
	GError *error = NULL;

	if (!hubd_token_keyring_clear_finish(res, &error)) {
		hubd_token_op_return(task, error);
		return;
	}
	hubd_token_op_remove_from_memory(run);
	g_debug("removed token “%s” for %s from the keyring", run->op->name, run->op->endpoint);
	hubd_token_op_write_files(task);
}

/* ---- running one ---- */

static GError *
hubd_token_op_unknown_token(HubdTokenOp *op, gint code)
{
	return g_error_new(HUBD_ERROR,
			   code,
			   _("No token named “%s” is stored for %s"),
			   op->name,
			   op->endpoint);
}

void
hubd_token_op_run_async(gpointer source_object,
			HubdTokenOp *op,
			GPtrArray *entries,
			GHashTable *active,
			const gchar *tokens_path,
			const gchar *state_path,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	/* no cancellable on the task: the caller's own task answers to it; here
	 * it only goes to the keyring calls */
	GTask *task = g_task_new(source_object, NULL, callback, user_data);
	OpRun *run = g_new0(OpRun, 1);
	gboolean keyring = tokens_path == NULL;

	run->op = op;
	run->entries = g_ptr_array_ref(entries);
	run->active = g_hash_table_ref(active);
	run->tokens_path = g_strdup(tokens_path);
	run->state_path = g_strdup(state_path);
	run->cancellable = cancellable != NULL ? g_object_ref(cancellable) : NULL;
	g_task_set_source_tag(task, hubd_token_op_run_async);
	g_task_set_task_data(task, run, (GDestroyNotify)op_run_free);

	switch (op->kind) {
	case HUBD_TOKEN_OP_SAVE:
		if (keyring) {
			hubd_token_keyring_clear_async(source_object,
						       op->endpoint,
						       op->name,
						       cancellable,
						       hubd_token_op_cleared_before_store_cb,
						       task);
			return;
		}
		hubd_token_op_save_in_memory(run);
		hubd_token_op_write_files(task);
		return;
	case HUBD_TOKEN_OP_REMOVE:
		if (hubd_token_entry_find(entries, op->endpoint, op->name, NULL) == NULL) {
			hubd_token_op_return(
				task,
				hubd_token_op_unknown_token(op, HUBD_ERROR_NOT_LOGGED_IN));
			return;
		}
		if (keyring) {
			hubd_token_keyring_clear_async(source_object,
						       op->endpoint,
						       op->name,
						       cancellable,
						       hubd_token_op_removed_cb,
						       task);
			return;
		}
		hubd_token_op_remove_from_memory(run);
		hubd_token_op_write_files(task);
		return;
	case HUBD_TOKEN_OP_SET_ACTIVE:
		if (hubd_token_entry_find(entries, op->endpoint, op->name, NULL) == NULL) {
			hubd_token_op_return(
				task,
				hubd_token_op_unknown_token(op, HUBD_ERROR_INVALID_ARGUMENT));
			return;
		}
		g_hash_table_replace(active, g_strdup(op->endpoint), g_strdup(op->name));
		hubd_token_op_write_files(task);
		return;
	default:
		g_assert_not_reached();
	}
}

gboolean
hubd_token_op_run_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}
