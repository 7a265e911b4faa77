/* hubd-token-op.h: one change to HubdTokenStore's tokens (save, remove, set active), carried out */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
	HUBD_TOKEN_OP_SAVE,
	HUBD_TOKEN_OP_REMOVE,
	HUBD_TOKEN_OP_SET_ACTIVE,
} HubdTokenOpKind;

/* What one change asks for; token, user and role only for a save. */
typedef struct {
	HubdTokenOpKind kind;
	gchar *endpoint;
	gchar *name;
	gchar *token;
	gchar *user;
	gchar *role;
} HubdTokenOp;

HubdTokenOp *
hubd_token_op_new(HubdTokenOpKind kind, const gchar *endpoint, const gchar *name);
/* Wipes the token before freeing it. */
void
hubd_token_op_free(HubdTokenOp *op);

/* Carries out `op` (borrowed: keep it until the callback): the keyring item
 * first when `tokens_path` is NULL (keyring backend), then `entries`
 * (HubdTokenEntry*) and `active` (endpoint -> name) in memory, then the
 * auth-state file `state_path` and, in file mode, the token file
 * `tokens_path`. REMOVE of an unknown token fails with NOT_LOGGED_IN,
 * SET_ACTIVE with INVALID_ARGUMENT, and nothing is changed. Run one at a
 * time: the keyring calls and file writes must not interleave. */
void
hubd_token_op_run_async(gpointer source_object,
			HubdTokenOp *op,
			GPtrArray *entries,
			GHashTable *active,
			const gchar *tokens_path,
			const gchar *state_path,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data);
gboolean
hubd_token_op_run_finish(GAsyncResult *result, GError **error);

G_END_DECLS
