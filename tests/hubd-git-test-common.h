/* hubd-git-test-common.h: the fixture and helpers of the git tests
 * (hubd-git-test.c: credentials, the agent by hand; hubd-git-push-test.c:
 * pushes with real git and git-lfs) */
#pragma once

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"

G_BEGIN_DECLS

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define CHUNK       65536

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	gchar *tmp;
	gchar *host; /* "127.0.0.1:PORT", as git names the Hub */
	gchar **env; /* for git and hubctl: a git config of the test's own */
} Fixture;

/* A local Hub (multipart above CHUNK bytes) and a daemon for it, not logged
 * in; the teardown logs out. */
void
fixture_add(const gchar *path, void (*func)(Fixture *, gconstpointer));

/* hubctl, or any command (git, curl), with the fixture's environment */
gint
hubctl(Fixture *f, const gchar *const *argv, const gchar *input, gchar **out, gchar **err);
gint
run(Fixture *f, const gchar *const *argv, const gchar *input, gchar **out, gchar **err);
/* `git -C dir a b c` must succeed (c may be NULL) */
void
git_ok(Fixture *f, const gchar *dir, const gchar *a, const gchar *b, const gchar *c);
/* `hubctl auth login --add-to-git-credential` as alice */
void
login(Fixture *f);
/* `git credential fill` for protocol http and `host`; its exit status */
gint
credential_fill(Fixture *f, const gchar *host, gchar **out, gchar **err);
/* every value of `key` in the repo at `dir` (or the global config), one a line */
gchar *
git_config_all(Fixture *f, const gchar *dir, const gchar *key);

typedef struct {
	gchar *work;
	gchar *file;
	gchar *oid;
	gsize size;
} Repo;

void
repo_free(Repo *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Repo, repo_free)

/* alice/big on the Hub; a git repo with git-lfs tracking *.bin, set up by
 * lfs-enable-largefiles, its lfs.url at the Hub, a bare remote, and one
 * commit with `size` random bytes in big.bin */
Repo *
make_repo(Fixture *f, gsize size);

/* The Hub's LFS batch answer about `r`'s object, as alice: `operation`
 * "upload" (offering multipart) or "download"; and its one object. */
JsonNode *
lfs_batch(Fixture *f, Repo *r, const gchar *operation);
JsonObject *
lfs_batch_object(JsonNode *root);
/* the object through the LFS batch download, byte for byte the file */
void
assert_hub_has(Fixture *f, Repo *r);
/* the batch download says the object does not exist */
void
assert_hub_lacks(Fixture *f, Repo *r);
/* neither the token nor alice's Basic credential is in `text` */
void
assert_no_token(const gchar *text);

G_END_DECLS
