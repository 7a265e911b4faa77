/* hubd-token-store.c: named Hub tokens per endpoint in the keyring (libsecret)
 * or a 0600 file, which one is active, and HF_TOKEN / systemd credentials
 *
 * Which token is active lives in a small non-secret state file
 * ($XDG_CONFIG_HOME/hubd/auth-state), not as a keyring attribute: switching
 * then is one atomic file write that never touches (or unlocks) a secret, and
 * both backends share the same logic. All secrets are read once at load and
 * kept in memory, so requests never wait for the keyring. Mutations are run
 * one at a time from a queue so that keyring calls and file writes never
 * interleave.
 *
 * This file holds the type: its memory, the load, the queries and the queue.
 * The keyring calls are in hubd-token-keyring.c, how one mutation is carried
 * out in hubd-token-op.c, the files in hubd-token-file.c. */
#define G_LOG_DOMAIN "HubdTokenStore"

#include "hubd-token-store.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-error.h"
#include "hubd-token-file.h"
#include "hubd-token-keyring.h"
#include "hubd-token-op.h"

#define MAX_TOKEN_NAME 100

typedef enum {
	BACKEND_UNKNOWN,
	BACKEND_KEYRING,
	BACKEND_FILE,
} Backend;

struct _HubdTokenStore {
	GObject parent_instance;
	HubdConfig *config;
	Backend backend;
	gchar *tokens_path;
	gchar *state_path;
	gchar *env_token;
	gchar *credential;
	GPtrArray *entries; /* HubdTokenEntry* */
	GHashTable *active; /* endpoint -> name */
	gboolean loaded;
	GPtrArray *loaders; /* GTask* waiting for the load */
	GQueue ops;         /* GTask* (HubdTokenOp) waiting to run */
	gboolean op_running;
	guint n_locked;     /* tokens the keyring kept locked at the last read */
	gboolean rereading; /* a read for them is on its way */
};

static void
hubd_token_store_provider_init(HubdHubTokenProviderInterface *iface);

G_DEFINE_TYPE_WITH_CODE(HubdTokenStore,
			hubd_token_store,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(HUBD_TYPE_HUB_TOKEN_PROVIDER,
					      hubd_token_store_provider_init))

void
hubd_token_info_free(HubdTokenInfo *info)
{
	g_free(info->name);
	g_free(info->endpoint);
	g_free(info->user);
	g_free(info->role);
	g_free(info);
}

static void
hubd_token_store_finalize(GObject *object)
{
	HubdTokenStore *self = HUBD_TOKEN_STORE(object);

	g_object_unref(self->config);
	g_free(self->tokens_path);
	g_free(self->state_path);
	hubd_token_secret_free(self->env_token);
	hubd_token_secret_free(self->credential);
	g_ptr_array_unref(self->entries);
	g_hash_table_unref(self->active);
	g_ptr_array_unref(self->loaders);
	g_queue_clear_full(&self->ops, g_object_unref);
	G_OBJECT_CLASS(hubd_token_store_parent_class)->finalize(object);
}

static void
hubd_token_store_class_init(HubdTokenStoreClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_token_store_finalize;
}

static void
hubd_token_store_init(HubdTokenStore *self)
{
	self->entries = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_token_entry_free);
	self->active = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->loaders = g_ptr_array_new_with_free_func(g_object_unref);
	g_queue_init(&self->ops);
}

HubdTokenStore *
hubd_token_store_new(HubdConfig *config)
{
	HubdTokenStore *self = g_object_new(HUBD_TYPE_TOKEN_STORE, NULL);
	g_autofree gchar *file = hubd_config_get_string(config, "auth", "file", NULL);
	g_autofree gchar *dir = g_build_filename(g_get_user_config_dir(), "hubd", NULL);

	self->config = g_object_ref(config);
	self->tokens_path = file != NULL && file[0] != '\0' ? g_steal_pointer(&file)
							    : g_build_filename(dir, "tokens", NULL);
	self->state_path = g_build_filename(dir, "auth-state", NULL);
	self->env_token = hubd_token_clean(g_getenv("HF_TOKEN"));
	if (self->env_token == NULL)
		self->env_token = hubd_token_clean(g_getenv("HUGGING_FACE_HUB_TOKEN"));
	return self;
}

/* ---- loading ---- */

static void
hubd_token_store_load_done(HubdTokenStore *self, GError *error)
{
	g_autoptr(GPtrArray) loaders = g_steal_pointer(&self->loaders);

	self->loaders = g_ptr_array_new_with_free_func(g_object_unref);
	/* a failed load (keyring refused) leaves an empty store, still usable */
	self->loaded = TRUE;
	for (guint i = 0; i < loaders->len; i++) {
		if (error != NULL)
			g_task_return_error(g_ptr_array_index(loaders, i), g_error_copy(error));
		else
			g_task_return_boolean(g_ptr_array_index(loaders, i), TRUE);
	}
	if (error != NULL)
		g_error_free(error);
}

static void
hubd_token_store_keyring_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTokenStore *self = HUBD_TOKEN_STORE(source);
	GError *error = NULL;
	g_autoptr(GPtrArray) entries = hubd_token_keyring_load_finish(res, &self->n_locked, &error);

	if (entries != NULL)
		g_ptr_array_extend_and_steal(self->entries, g_steal_pointer(&entries));
	hubd_token_store_load_done(self, error);
}

static void
hubd_token_store_files_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTokenStore *self = HUBD_TOKEN_STORE(source);
	HubdTokenFileJob *job = hubd_token_file_job_run_finish(res, NULL);

	hubd_token_file_parse_state(job->state_data, self->active);
	self->credential = g_steal_pointer(&job->credential);
	if (self->backend == BACKEND_FILE) {
		hubd_token_file_parse_tokens(job->tokens_data, self->entries);
		g_debug("loaded %u token(s) from %s", self->entries->len, self->tokens_path);
		hubd_token_store_load_done(self, NULL);
		return;
	}
	hubd_token_keyring_load_async(self, hubd_token_store_keyring_loaded_cb, NULL);
}

static void
hubd_token_store_read_files(HubdTokenStore *self)
{
	HubdTokenFileJob *job = g_new0(HubdTokenFileJob, 1);

	job->tokens_path = self->backend == BACKEND_FILE ? g_strdup(self->tokens_path) : NULL;
	job->state_path = g_strdup(self->state_path);
	hubd_token_file_job_run_async(self, job, hubd_token_store_files_read_cb, NULL);
}

static void
hubd_token_store_set_backend(HubdTokenStore *self, Backend backend, const gchar *why)
{
	self->backend = backend;
	if (backend == BACKEND_FILE)
		g_message("tokens are stored in %s (%s)", self->tokens_path, why);
	else
		g_debug("tokens are stored in the keyring (%s)", why);
	hubd_token_store_read_files(self);
}

static void
hubd_token_store_probed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTokenStore *self = HUBD_TOKEN_STORE(source);
	const gchar *why = NULL;
	gboolean keyring = hubd_token_keyring_probe_finish(res, &why);

	hubd_token_store_set_backend(self, keyring ? BACKEND_KEYRING : BACKEND_FILE, why);
}

void
hubd_token_store_load_async(HubdTokenStore *self,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autofree gchar *backend = NULL;
	gboolean first;

	g_return_if_fail(HUBD_IS_TOKEN_STORE(self));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_token_store_load_async);
	if (self->loaded) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	first = self->loaders->len == 0;
	g_ptr_array_add(self->loaders, g_steal_pointer(&task));
	if (!first)
		return;

	backend = hubd_config_get_string(self->config, "auth", "backend", "auto");
	if (g_strcmp0(backend, "file") == 0) {
		hubd_token_store_set_backend(self, BACKEND_FILE, "[auth] backend=file");
	} else if (g_strcmp0(backend, "keyring") == 0) {
		hubd_token_store_set_backend(self, BACKEND_KEYRING, "[auth] backend=keyring");
	} else {
		if (g_strcmp0(backend, "auto") != 0)
			g_warning("[auth] backend=%s is not auto, keyring or file; using auto",
				  backend);
		hubd_token_keyring_probe_async(self, hubd_token_store_probed_cb, NULL);
	}
}

gboolean
hubd_token_store_load_finish(HubdTokenStore *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

gboolean
hubd_token_store_is_loaded(HubdTokenStore *self)
{
	g_return_val_if_fail(HUBD_IS_TOKEN_STORE(self), FALSE);
	return self->loaded;
}

/* ---- queries (memory only) ---- */

gchar *
hubd_token_store_dup_storage_label(HubdTokenStore *self)
{
	g_return_val_if_fail(HUBD_IS_TOKEN_STORE(self), NULL);
	if (self->backend == BACKEND_FILE)
		return g_strdup_printf("file:%s", self->tokens_path);
	return g_strdup("keyring");
}

const gchar *
hubd_token_store_get_active(HubdTokenStore *self, const gchar *endpoint)
{
	const gchar *name;

	g_return_val_if_fail(HUBD_IS_TOKEN_STORE(self), NULL);
	name = g_hash_table_lookup(self->active, endpoint);
	/* the state file may name a token removed behind our back */
	if (name == NULL || hubd_token_entry_find(self->entries, endpoint, name, NULL) == NULL)
		return NULL;
	return name;
}

gchar *
hubd_token_store_dup_token(HubdTokenStore *self,
			   const gchar *endpoint,
			   HubdTokenSource *source_out,
			   gchar **name_out)
{
	const gchar *own = hubd_config_get_endpoint(self->config);
	const gchar *active;
	HubdTokenSource source = HUBD_TOKEN_SOURCE_NONE;
	const gchar *name = NULL;
	const gchar *token = NULL;

	g_return_val_if_fail(HUBD_IS_TOKEN_STORE(self), NULL);
	active = hubd_token_store_get_active(self, endpoint);
	/* HF_TOKEN and credentials belong to the configured endpoint only */
	if (self->env_token != NULL && g_strcmp0(endpoint, own) == 0) {
		source = HUBD_TOKEN_SOURCE_ENVIRONMENT;
		name = "HF_TOKEN";
		token = self->env_token;
	} else if (active != NULL) {
		source = self->backend == BACKEND_FILE ? HUBD_TOKEN_SOURCE_FILE
						       : HUBD_TOKEN_SOURCE_KEYRING;
		name = active;
		token = hubd_token_entry_find(self->entries, endpoint, active, NULL)->secret;
	} else if (self->credential != NULL && g_strcmp0(endpoint, own) == 0) {
		source = HUBD_TOKEN_SOURCE_CREDENTIAL;
		name = "hf-token";
		token = self->credential;
	}
	if (source_out != NULL)
		*source_out = source;
	if (name_out != NULL)
		*name_out = g_strdup(name);
	return g_strdup(token);
}

gchar *
hubd_token_store_dup_secret(HubdTokenStore *self, const gchar *endpoint, const gchar *name)
{
	HubdTokenEntry *e;

	g_return_val_if_fail(HUBD_IS_TOKEN_STORE(self), NULL);
	e = hubd_token_entry_find(self->entries, endpoint, name, NULL);
	return e != NULL ? g_strdup(e->secret) : NULL;
}

static gint
hubd_token_info_cmp(gconstpointer a, gconstpointer b)
{
	const HubdTokenInfo *ia = *(HubdTokenInfo *const *)a;
	const HubdTokenInfo *ib = *(HubdTokenInfo *const *)b;
	gint r = g_strcmp0(ia->endpoint, ib->endpoint);

	return r != 0 ? r : g_strcmp0(ia->name, ib->name);
}

GPtrArray *
hubd_token_store_list(HubdTokenStore *self, const gchar *endpoint)
{
	GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_token_info_free);

	g_return_val_if_fail(HUBD_IS_TOKEN_STORE(self), list);
	for (guint i = 0; i < self->entries->len; i++) {
		HubdTokenEntry *e = g_ptr_array_index(self->entries, i);
		HubdTokenInfo *info;
		if (endpoint != NULL && g_strcmp0(e->endpoint, endpoint) != 0)
			continue;
		info = g_new0(HubdTokenInfo, 1);
		info->name = g_strdup(e->name);
		info->endpoint = g_strdup(e->endpoint);
		info->user = g_strdup(e->user);
		info->role = g_strdup(e->role);
		info->source = self->backend == BACKEND_FILE ? HUBD_TOKEN_SOURCE_FILE
							     : HUBD_TOKEN_SOURCE_KEYRING;
		info->active =
			g_strcmp0(hubd_token_store_get_active(self, e->endpoint), e->name) == 0;
		g_ptr_array_add(list, info);
	}
	g_ptr_array_sort(list, hubd_token_info_cmp);
	return list;
}

/* ---- mutations, one at a time ---- */

static void
hubd_token_store_run_next(HubdTokenStore *self);

static void
hubd_token_store_op_return(HubdTokenStore *self, GTask *task, GError *error)
{
	if (error != NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
	g_object_unref(task);
	self->op_running = FALSE;
	hubd_token_store_run_next(self);
}

static void
hubd_token_store_op_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTokenStore *self = HUBD_TOKEN_STORE(source);
	GTask *task = G_TASK(user_data);
	GError *error = NULL;

	hubd_token_op_run_finish(res, &error);
	hubd_token_store_op_return(self, task, error);
}

static void
hubd_token_store_run_next(HubdTokenStore *self)
{
	GTask *task;

	if (self->op_running || !self->loaded)
		return;
	task = g_queue_pop_head(&self->ops);
	if (task == NULL)
		return;
	self->op_running = TRUE;
	hubd_token_op_run_async(self,
				g_task_get_task_data(task),
				self->entries,
				self->active,
				self->backend == BACKEND_FILE ? self->tokens_path : NULL,
				self->state_path,
				g_task_get_cancellable(task),
				hubd_token_store_op_done_cb,
				task);
}

static void
hubd_token_store_loaded_for_ops_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdTokenStore *self = HUBD_TOKEN_STORE(source);

	/* a failed load still leaves a usable (empty) store */
	hubd_token_store_load_finish(self, res, NULL);
	hubd_token_store_run_next(self);
}

static void
hubd_token_store_enqueue(HubdTokenStore *self,
			 HubdTokenOp *op,
			 gpointer source_tag,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, source_tag);
	g_task_set_task_data(task, op, (GDestroyNotify)hubd_token_op_free);
	g_queue_push_tail(&self->ops, task);
	if (!self->loaded)
		hubd_token_store_load_async(self, NULL, hubd_token_store_loaded_for_ops_cb, NULL);
	else
		hubd_token_store_run_next(self);
}

void
hubd_token_store_save_async(HubdTokenStore *self,
			    const gchar *endpoint,
			    const gchar *name,
			    const gchar *token,
			    const gchar *user,
			    const gchar *role,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	HubdTokenOp *op;

	g_return_if_fail(HUBD_IS_TOKEN_STORE(self));
	g_return_if_fail(endpoint != NULL && name != NULL && token != NULL);
	op = hubd_token_op_new(HUBD_TOKEN_OP_SAVE, endpoint, name);
	op->token = g_strdup(token);
	op->user = g_strdup(user);
	op->role = g_strdup(role);
	hubd_token_store_enqueue(self,
				 op,
				 hubd_token_store_save_async,
				 cancellable,
				 callback,
				 user_data);
}

gboolean
hubd_token_store_save_finish(HubdTokenStore *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

void
hubd_token_store_remove_async(HubdTokenStore *self,
			      const gchar *endpoint,
			      const gchar *name,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_return_if_fail(HUBD_IS_TOKEN_STORE(self));
	hubd_token_store_enqueue(self,
				 hubd_token_op_new(HUBD_TOKEN_OP_REMOVE, endpoint, name),
				 hubd_token_store_remove_async,
				 cancellable,
				 callback,
				 user_data);
}

gboolean
hubd_token_store_remove_finish(HubdTokenStore *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

void
hubd_token_store_set_active_async(HubdTokenStore *self,
				  const gchar *endpoint,
				  const gchar *name,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	g_return_if_fail(HUBD_IS_TOKEN_STORE(self));
	hubd_token_store_enqueue(self,
				 hubd_token_op_new(HUBD_TOKEN_OP_SET_ACTIVE, endpoint, name),
				 hubd_token_store_set_active_async,
				 cancellable,
				 callback,
				 user_data);
}

gboolean
hubd_token_store_set_active_finish(HubdTokenStore *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- HubdHubTokenProvider: what the Hub client asks ---- */

static gboolean
hubd_token_store_provider_is_loaded(HubdHubTokenProvider *provider)
{
	return hubd_token_store_is_loaded(HUBD_TOKEN_STORE(provider));
}

static void
hubd_token_store_provider_load_async(HubdHubTokenProvider *provider,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	hubd_token_store_load_async(HUBD_TOKEN_STORE(provider), cancellable, callback, user_data);
}

static gboolean
hubd_token_store_provider_load_finish(HubdHubTokenProvider *provider,
				      GAsyncResult *result,
				      GError **error)
{
	return hubd_token_store_load_finish(HUBD_TOKEN_STORE(provider), result, error);
}

static gchar *
hubd_token_store_provider_dup_token(HubdHubTokenProvider *provider, const gchar *endpoint)
{
	return hubd_token_store_dup_token(HUBD_TOKEN_STORE(provider), endpoint, NULL, NULL);
}

static gchar *
hubd_token_store_provider_dup_named_token(HubdHubTokenProvider *provider,
					  const gchar *endpoint,
					  const gchar *name)
{
	return hubd_token_store_dup_secret(HUBD_TOKEN_STORE(provider), endpoint, name);
}

/* the keyring again, for the tokens it kept locked: what was unlocked since
 * is added (entries already known are left as they are) */
static void
hubd_token_store_reread_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdTokenStore) self = HUBD_TOKEN_STORE(user_data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) entries = hubd_token_keyring_load_finish(res, &self->n_locked, &error);

	self->rereading = FALSE;
	for (guint i = 0; entries != NULL && i < entries->len; i++) {
		HubdTokenEntry *e = g_ptr_array_index(entries, i);

		if (hubd_token_entry_find(self->entries, e->endpoint, e->name, NULL) != NULL)
			continue;
		g_ptr_array_add(self->entries, g_steal_pointer(&entries->pdata[i]));
	}
	g_debug("keyring read again: %u token(s), %u still locked",
		self->entries->len,
		self->n_locked);
}

static gchar *
hubd_token_store_provider_explain_no_token(HubdHubTokenProvider *provider, const gchar *endpoint)
{
	HubdTokenStore *self = HUBD_TOKEN_STORE(provider);

	if (self->backend != BACKEND_KEYRING || self->n_locked == 0)
		return NULL;
	/* the user may unlock it now (and the read may prompt them to) */
	if (!self->rereading) {
		self->rereading = TRUE;
		hubd_token_keyring_load_async(self, hubd_token_store_reread_cb, g_object_ref(self));
	}
	return g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
					   "Not logged in to %s: the keyring that holds your "
					   "stored token is locked. Unlock it (log in to the "
					   "desktop, or open Passwords and Keys), then try again",
					   "Not logged in to %s: the keyring that holds your "
					   "%u stored tokens is locked. Unlock it (log in to the "
					   "desktop, or open Passwords and Keys), then try again",
					   self->n_locked),
			       endpoint,
			       self->n_locked);
}

static void
hubd_token_store_provider_init(HubdHubTokenProviderInterface *iface)
{
	iface->explain_no_token = hubd_token_store_provider_explain_no_token;
	iface->is_loaded = hubd_token_store_provider_is_loaded;
	iface->load_async = hubd_token_store_provider_load_async;
	iface->load_finish = hubd_token_store_provider_load_finish;
	iface->dup_token = hubd_token_store_provider_dup_token;
	iface->dup_named_token = hubd_token_store_provider_dup_named_token;
}

gboolean
hubd_token_store_check_name(const gchar *name, GError **error)
{
	if (name == NULL || name[0] == '\0' || strlen(name) > MAX_TOKEN_NAME ||
	    !g_utf8_validate(name, -1, NULL) || strpbrk(name, "[]\r\n\t") != NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("“%s” is not a usable token name (1 to %d characters, no brackets or "
			      "line breaks)"),
			    name != NULL ? name : "",
			    MAX_TOKEN_NAME);
		return FALSE;
	}
	return TRUE;
}
