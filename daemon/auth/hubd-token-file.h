/* hubd-token-file.h: HubdTokenStore's private files: token file, auth-state, credential */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A stored token, secret included (HubdTokenStore's in-memory record). */
typedef struct {
	gchar *name;
	gchar *endpoint;
	gchar *user;
	gchar *role;
	gchar *secret;
} HubdTokenEntry;

/* Zeroes then frees a secret; NULL is fine. */
void
hubd_token_secret_free(gchar *secret);

/* `user` and `role` may be NULL (stored as ""). */
HubdTokenEntry *
hubd_token_entry_new(const gchar *endpoint,
		     const gchar *name,
		     const gchar *user,
		     const gchar *role,
		     const gchar *secret);
void
hubd_token_entry_free(HubdTokenEntry *e);
/* The entry of (endpoint, name) in `entries` (HubdTokenEntry*), its index in
 * `index` (may be NULL); NULL when there is none. */
HubdTokenEntry *
hubd_token_entry_find(GPtrArray *entries, const gchar *endpoint, const gchar *name, guint *index);

/* The token file (key file, one group NAME@ENDPOINT per token) from / into
 * `entries` (HubdTokenEntry*). Parsing appends; bad data is skipped. */
gchar *
hubd_token_file_serialize_tokens(GPtrArray *entries);
void
hubd_token_file_parse_tokens(const gchar *data, GPtrArray *entries);

/* The auth-state file (one group per endpoint, key `active`) from / into
 * `active` (endpoint -> name). Parsing adds to or replaces in `active`. */
gchar *
hubd_token_file_serialize_state(GHashTable *active);
void
hubd_token_file_parse_state(const gchar *data, GHashTable *active);

/* One trip to the worker thread. With tokens_data or state_data set it writes
 * those files (each atomically, 0600, in a 0700 directory); otherwise it reads
 * tokens_path (unless NULL: keyring backend), state_path and the systemd
 * credential $CREDENTIALS_DIRECTORY/hf-token into the _data fields and
 * `credential`. */
typedef struct {
	gchar *tokens_path; /* NULL: keyring backend */
	gchar *tokens_data;
	gchar *state_path;
	gchar *state_data;
	gchar *credential;
} HubdTokenFileJob;

void
hubd_token_file_job_free(HubdTokenFileJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdTokenFileJob, hubd_token_file_job_free)

/* Runs `job` (taken) in a thread; `source_object` is the task's source. */
void
hubd_token_file_job_run_async(gpointer source_object,
			      HubdTokenFileJob *job,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
/* The job, results filled in (owned by `result`), or NULL when a write failed. */
HubdTokenFileJob *
hubd_token_file_job_run_finish(GAsyncResult *result, GError **error);

/* huggingface_hub's _clean_token: CR/LF removed, whitespace stripped; NULL if
 * nothing is left. */
gchar *
hubd_token_clean(const gchar *raw);

G_END_DECLS
