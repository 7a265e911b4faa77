/* testhub-store.h: the local Hub's git-like state on disk (repos, refs, commits, trees, blobs).
 *
 * Contract shared by the read side (testhub-routes-*.c) and the upload side
 * (testhub-upload.c, testhub-lfs.c, testhub-commit.c). Everything here is synchronous:
 * the test Hub is a single-threaded SoupServer and its state is small metadata;
 * file *contents* are streamed by callers straight to/from the paths this API hands out.
 *
 * Layout under ROOT (persisted, so commit ids are stable across restarts):
 *   ROOT/objects/blobs/<sha1>        regular file contents, named by git blob sha1
 *   ROOT/objects/lfs/<sha256>        LFS object contents, named by sha256
 *   ROOT/objects/commits/<sha1>.json commit objects (see TesthubCommit), named by commit id
 *   ROOT/repos/<models|datasets|spaces>/<namespace>/<name>.json   repo metadata + refs
 *   ROOT/tmp/                        in-flight uploads, renamed into objects/ when complete
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
	TESTHUB_REPO_MODEL,
	TESTHUB_REPO_DATASET,
	TESTHUB_REPO_SPACE,
} TesthubRepoType;

/* "model" / "dataset" / "space" <-> enum; plural "models" etc. for API paths;
 * URL prefix "" / "datasets/" / "spaces/" for resolve and web URLs. */
gboolean
testhub_repo_type_from_string(const gchar *s, TesthubRepoType *out);
gboolean
testhub_repo_type_from_plural(const gchar *s, TesthubRepoType *out);
const gchar *
testhub_repo_type_to_string(TesthubRepoType t);
const gchar *
testhub_repo_type_to_plural(TesthubRepoType t);
const gchar *
testhub_repo_type_to_url_prefix(TesthubRepoType t);

/* One file in a tree. LFS files keep the pointer's git sha1 in blob_sha1 and the
 * content's sha256 + size in lfs_sha256 / size; pointer_size is the pointer's length. */
typedef struct {
	gchar *path;       /* "dir/file.bin", no leading slash */
	gchar *blob_sha1;  /* git blob sha1 of the stored git blob (pointer text for LFS) */
	guint64 size;      /* content size (LFS: the real object size) */
	gchar *lfs_sha256; /* NULL for regular files */
	guint64 pointer_size;
	gchar *last_commit; /* commit id that last changed this path */
} TesthubEntry;

void
testhub_entry_free(TesthubEntry *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TesthubEntry, testhub_entry_free)

typedef struct {
	gchar *id;        /* 40-hex sha1 of the canonical commit text */
	gchar *parent;    /* NULL for the first commit */
	gchar *title;     /* summary line */
	gchar *message;   /* description (may be empty) */
	gchar *author;    /* user name; "system" for the initial commit */
	gint64 date;      /* unix seconds */
	GHashTable *tree; /* path -> TesthubEntry* (owned) */
} TesthubCommit;

/* Commits are reference-counted (g_rc_box): testhub_store_load_commit() hands out
 * references to commits it caches, so a loaded commit is shared and read-only;
 * build a changed tree on a copy. new: refcount 1, empty tree. free drops one
 * reference (NULL is ignored). */
TesthubCommit *
testhub_commit_new(void);
TesthubCommit *
testhub_commit_ref(TesthubCommit *c);
void
testhub_commit_free(TesthubCommit *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TesthubCommit, testhub_commit_free)

/* Sorted array of TesthubEntry* borrowed from the commit (valid while it lives). */
GPtrArray *
testhub_commit_sorted_entries(TesthubCommit *c);

typedef struct {
	gchar *name;    /* "v1.0" / "main" / "1" (for refs/pr/1) */
	gchar *target;  /* commit id */
	gchar *message; /* tags only, may be NULL */
} TesthubRef;

typedef struct {
	TesthubRepoType type;
	gchar *id; /* "ns/name" */
	gchar *ns; /* owner: user or org name */
	gchar *name;
	gboolean private_;
	gchar *gated; /* NULL (= false), "auto" or "manual" */
	gboolean discussions_disabled;
	gchar *sdk; /* spaces only, NULL otherwise */
	gint64 created_at;
	gint64 last_modified;
	GPtrArray *branches; /* TesthubRef*, "main" first */
	GPtrArray *tags;     /* TesthubRef* */
	GPtrArray *prs;      /* TesthubRef* (name is the PR number as text) */
	guint next_pr;
} TesthubRepo;

void
testhub_repo_free(TesthubRepo *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TesthubRepo, testhub_repo_free)

#define TESTHUB_TYPE_STORE (testhub_store_get_type())
G_DECLARE_FINAL_TYPE(TesthubStore, testhub_store, TESTHUB, STORE, GObject)

TesthubStore *
testhub_store_new(const gchar *root, GError **error);
const gchar *
testhub_store_get_root(TesthubStore *self);

/* Repos. Lookups return NULL without error when missing. Returned repos are
 * borrowed from the store's in-memory index and stay valid until the repo is
 * deleted or moved; call testhub_store_save_repo() after changing fields. */
TesthubRepo *
testhub_store_get_repo(TesthubStore *self, TesthubRepoType type, const gchar *id);
/* Creates the repo with an initial commit by "system", title "initial commit",
 * holding the Hub's default .gitattributes. FALSE + G_IO_ERROR_EXISTS if it exists. */
TesthubRepo *
testhub_store_create_repo(TesthubStore *self,
			  TesthubRepoType type,
			  const gchar *id,
			  gboolean private_,
			  const gchar *sdk,
			  GError **error);
gboolean
testhub_store_delete_repo(TesthubStore *self,
			  TesthubRepoType type,
			  const gchar *id,
			  GError **error);
/* Moves and remembers the old id so that testhub_store_lookup_moved() can redirect. */
gboolean
testhub_store_move_repo(TesthubStore *self,
			TesthubRepoType type,
			const gchar *from,
			const gchar *to,
			GError **error);
const gchar *
testhub_store_lookup_moved(TesthubStore *self, TesthubRepoType type, const gchar *old_id);
gboolean
testhub_store_save_repo(TesthubStore *self, TesthubRepo *repo, GError **error);
/* All repos of a type, sorted by id (borrowed). */
GPtrArray *
testhub_store_list_repos(TesthubStore *self, TesthubRepoType type);

/* Refs. resolve: a branch name, tag name, "refs/heads/X", "refs/tags/X",
 * "refs/pr/N", "refs/convert/X" or a full 40-hex commit id present in the repo
 * history. Returns the commit id (newly allocated) or NULL. */
gchar *
testhub_store_resolve_revision(TesthubStore *self, TesthubRepo *repo, const gchar *revision);
/* NULL when the name is no branch (tags, commit ids and PRs are not branches). */
TesthubRef *
testhub_store_find_branch(TesthubRepo *repo, const gchar *name);
TesthubRef *
testhub_store_find_tag(TesthubRepo *repo, const gchar *name);
gboolean
testhub_store_set_branch(TesthubStore *self,
			 TesthubRepo *repo,
			 const gchar *name,
			 const gchar *commit_id,
			 GError **error);
gboolean
testhub_store_delete_branch(TesthubStore *self,
			    TesthubRepo *repo,
			    const gchar *name,
			    GError **error);
gboolean
testhub_store_set_tag(TesthubStore *self,
		      TesthubRepo *repo,
		      const gchar *name,
		      const gchar *commit_id,
		      const gchar *message,
		      GError **error);
gboolean
testhub_store_delete_tag(TesthubStore *self, TesthubRepo *repo, const gchar *name, GError **error);

/* Commits. load returns a new reference to the commit (shared with the store's
 * small cache of recently loaded commits: do not modify it) or NULL + error.
 * History walks parents newest first, at most `limit` (0 = all). */
TesthubCommit *
testhub_store_load_commit(TesthubStore *self, const gchar *commit_id, GError **error);
GPtrArray * /* TesthubCommit*, owned */
testhub_store_history(TesthubStore *self, const gchar *commit_id, guint limit, GError **error);

/* Blobs. Regular contents are addressed by git blob sha1, LFS by sha256.
 * *_path() returns where the bytes live (or would live); has_*() checks presence. */
gchar *
testhub_store_blob_path(TesthubStore *self, const gchar *sha1);
gchar *
testhub_store_lfs_path(TesthubStore *self, const gchar *sha256);
gboolean
testhub_store_has_lfs(TesthubStore *self, const gchar *sha256, guint64 *size_out);
/* Stores regular content from memory (commit NDJSON "file" lines are base64 in
 * the request, so they are in memory anyway); returns the git blob sha1. */
gchar *
testhub_store_put_blob(TesthubStore *self, GBytes *content, GError **error);
/* A fresh temp file path under ROOT/tmp for streaming uploads. */
gchar *
testhub_store_new_tmp_path(TesthubStore *self);
/* Moves a fully written temp file into objects/lfs/<sha256> after checking
 * its sha256 and size; on mismatch the temp file is removed and
 * G_IO_ERROR_INVALID_DATA is returned naming expected and actual values. */
gboolean
testhub_store_commit_lfs_file(TesthubStore *self,
			      const gchar *tmp_path,
			      const gchar *sha256,
			      guint64 size,
			      GError **error);

/* One change in a commit. */
typedef enum {
	TESTHUB_OP_ADD_REGULAR, /* content_sha1 + size set; blob already stored */
	TESTHUB_OP_ADD_LFS,     /* lfs_sha256 + size set; object must exist */
	TESTHUB_OP_DELETE_FILE,
	TESTHUB_OP_DELETE_FOLDER, /* path is a prefix; trailing "/" optional */
} TesthubOpKind;

typedef struct {
	TesthubOpKind kind;
	gchar *path;
	gchar *content_sha1;
	gchar *lfs_sha256;
	guint64 size;
} TesthubOp;

void
testhub_op_free(TesthubOp *op);

/* Applies ops on top of `parent` (NULL = empty tree), writes a new commit and
 * returns its id. Adds LFS tracking lines to .gitattributes for LFS paths the
 * way the Hub does. Deleting a path that does not exist is
 * G_IO_ERROR_NOT_FOUND naming the path. It does not move any ref. */
gchar *
testhub_store_write_commit(TesthubStore *self,
			   const gchar *parent,
			   GPtrArray *ops,
			   const gchar *title,
			   const gchar *message,
			   const gchar *author,
			   GError **error);

/* Hashing helpers (nettle), shared by the store and the upload side. */
gchar *
testhub_git_blob_sha1(const guint8 *data, gsize len);
gchar *
testhub_lfs_pointer_text(const gchar *sha256, guint64 size);

/* Added by the read side (testhub-hash.c): sha256 of a file, streamed. */
gchar *
testhub_sha256_file(const gchar *path, guint64 *size_out, GError **error);
/* Git tree ids of every directory of the commit's tree: dir path ("" = root)
 * -> 40-hex tree id (owned table). Directory `oid`s of tree listings. */
GHashTable *
testhub_commit_tree_ids(TesthubCommit *c);
/* The commit id from the commit's content (tree, parent, author, date, title,
 * message), as git computes it; testhub_store_write_commit() uses it. */
gchar *
testhub_commit_compute_id(TesthubCommit *c);

G_END_DECLS
