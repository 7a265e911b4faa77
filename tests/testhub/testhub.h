/* testhub.h: shared context and HTTP helpers of the local Hub (hubd-testhub).
 *
 * Ownership (two people write this server in parallel, keep to it):
 *  - read side + plumbing: testhub.c (main), testhub-store.c, testhub-users.c,
 *    testhub-http.c (the helpers below), testhub-faults.c (and its
 *    testhub-faults-request.c, testhub-fault-writer.c), testhub-routes-*.c (whoami, repos
 *    create/delete/move/settings/info/list, tree, paths-info, refs, commits,
 *    branch/tag, resolve/raw, CDN downloads, admin surface);
 *  - upload side: testhub-upload.c (preupload), testhub-lfs.c (batch API, CDN
 *    PUTs, multipart parts, completion, verify), testhub-commit.c (NDJSON commit),
 *    testhub-card.c (README front matter + validate-yaml + licence list).
 * The router (read side) calls the testhub_handle_* functions declared at the
 * bottom, which the upload side implements.
 */
#pragma once

#include <libsoup/soup.h>

#include "testhub-store.h"

G_BEGIN_DECLS

/* ---- users, orgs, tokens (testhub-users.c) ---- */

typedef struct {
	gchar *token;        /* "hf_..." */
	gchar *display_name; /* auth.accessToken.displayName */
	gchar *role;         /* "read" | "write" */
	gchar *created_at;   /* ISO 8601 */
} TesthubToken;

typedef struct {
	gchar *id; /* stable 24-hex id */
	gchar *name;
	gchar *fullname;
	gchar *email;
	gboolean is_org;
	GPtrArray *orgs;   /* users: org names (gchar*) */
	GPtrArray *tokens; /* users: TesthubToken* */
} TesthubUser;

typedef struct _TesthubUsers TesthubUsers;

TesthubUsers *
testhub_users_load(const gchar *path, GError **error);
void
testhub_users_free(TesthubUsers *users);
/* user owning the token, and the token record; NULL when unknown */
const TesthubUser *
testhub_users_by_token(TesthubUsers *users, const gchar *token, const TesthubToken **token_out);
const TesthubUser *
testhub_users_by_name(TesthubUsers *users, const gchar *name); /* users and orgs */
/* A token issued at run time (OAuth); NULL when the user is unknown or the
 * token taken. testhub_users_remove_token() revokes it. */
const TesthubToken *
testhub_users_add_token(TesthubUsers *users,
			const gchar *user_name,
			const gchar *token,
			const gchar *display_name,
			const gchar *role);
void
testhub_users_remove_token(TesthubUsers *users, const gchar *token);
/* TRUE if `user` is `ns` or a member of org `ns` */
gboolean
testhub_users_can_write_namespace(TesthubUsers *users, const TesthubUser *user, const gchar *ns);

/* ---- faults (testhub-faults.c) ---- */

typedef struct _TesthubFaults TesthubFaults;

/* ---- the request budget (testhub-ratelimit.c) ---- */

typedef struct _TesthubRateLimit TesthubRateLimit;

/* ---- the OAuth device flow (testhub-oauth.c) ---- */

typedef struct _TesthubOAuth TesthubOAuth;

/* ---- the context shared by every handler ---- */

typedef struct {
	TesthubStore *store;
	TesthubUsers *users;
	TesthubFaults *faults;
	TesthubRateLimit *ratelimit;       /* off unless a quota is set */
	struct _TesthubWebhooks *webhooks; /* testhub-webhooks.c */
	gchar *base_url;                   /* "http://127.0.0.1:PORT", no trailing slash */
	gchar *cdn_url;         /* "http://127.0.0.1:CDNPORT": LFS downloads + upload targets */
	guint64 lfs_chunk_size; /* objects larger than this go multipart, parts of this size */
	gchar *admin_secret;    /* NULL: admin surface disabled */
	TesthubOAuth *oauth;    /* pending device codes, issued tokens */
	/* behind a proxy (a request with X-Forwarded-Proto), base_url becomes
	 * PROTO://HOST of that request and cdn_url public_cdn_url (if set);
	 * own_url and own_cdn_url are the listeners', for the others */
	gchar *own_url;
	gchar *own_cdn_url;
	gchar *public_cdn_url;
} TesthubContext;

TesthubOAuth *
testhub_oauth_new(void);
void
testhub_oauth_free(TesthubOAuth *oauth);
/* POST /oauth/device, POST /oauth/token */
void
testhub_oauth_handle(TesthubContext *ctx, SoupServerMessage *msg, const gchar *what);
/* /_testhub/oauth[/approve|/deny] (the admin secret already checked) */
void
testhub_oauth_handle_admin(TesthubContext *ctx, SoupServerMessage *msg, const gchar *what);

/* ---- reply helpers (testhub-http.c) ---- */

/* JSON body + status; takes ownership of `node` */
void
testhub_reply_json(SoupServerMessage *msg, guint status, JsonNode *node);
/* The Hub's error shape: status, X-Error-Code (if code != NULL), X-Error-Message,
 * JSON body {"error": message}. */
void
testhub_reply_error(SoupServerMessage *msg, guint status, const gchar *code, const gchar *message);

/* The authenticated caller, or NULL for anonymous. A present but unknown or
 * malformed token has already been answered with the Hub's 401
 * ("Invalid credentials in Authorization header") and *replied is set TRUE. */
const TesthubUser *
testhub_request_user(TesthubContext *ctx,
		     SoupServerMessage *msg,
		     const TesthubToken **token_out,
		     gboolean *replied);

/* Finds the repo and checks access as the Hub does: a missing repo, or a
 * private one the caller may not see, is 404 RepoNotFound for authenticated
 * callers and 401 (X-Error-Code RepoNotFound, "Invalid username or password.")
 * for anonymous ones; `write` additionally needs a write token of the owner or
 * an org member (403 otherwise). Returns NULL when it has replied. */
TesthubRepo *
testhub_request_repo(TesthubContext *ctx,
		     SoupServerMessage *msg,
		     TesthubRepoType type,
		     const gchar *repo_id,
		     gboolean write,
		     const TesthubUser **user_out);

/* Request body as JSON (objects only), bounded in size and depth; replies 400
 * and returns NULL on anything else. */
JsonObject *
testhub_request_json_object(SoupServerMessage *msg);

#define TESTHUB_MAX_BODY       (64 * 1024 * 1024) /* NDJSON commits carry base64 files */
#define TESTHUB_MAX_JSON_DEPTH 32

/* ---- upload side, called by the router ---- */

/* POST /api/{type}s/{id}/preupload/{rev} (rev already percent-decoded) */
void
testhub_handle_preupload(TesthubContext *ctx,
			 SoupServerMessage *msg,
			 TesthubRepo *repo,
			 const gchar *rev);
/* POST /api/{type}s/{id}/commit/{rev}[?create_pr=1] */
void
testhub_handle_commit(TesthubContext *ctx,
		      SoupServerMessage *msg,
		      TesthubRepo *repo,
		      const gchar *rev,
		      const TesthubUser *user);
/* POST /{prefix}{id}.git/info/lfs/objects/batch */
void
testhub_handle_lfs_batch(TesthubContext *ctx, SoupServerMessage *msg, TesthubRepo *repo);
/* every Hub-origin path under /_lfs/ (multipart completion, verify) */
void
testhub_handle_lfs_hub_path(TesthubContext *ctx, SoupServerMessage *msg, const gchar *path);
/* called once at start-up with the CDN server: the upload side adds its own
 * handlers (and early handlers for streaming request bodies) under /upload/ */
void
testhub_lfs_setup_cdn(TesthubContext *ctx, SoupServer *cdn);
/* POST /api/validate-yaml */
void
testhub_handle_validate_yaml(TesthubContext *ctx, SoupServerMessage *msg);

/* README.md front matter -> cardData (JSON object), for repo info. NULL when the
 * text has no front matter; on broken YAML returns NULL and sets error. */
JsonNode *
testhub_card_parse_front_matter(const gchar *text, gsize len, GError **error);

G_END_DECLS
