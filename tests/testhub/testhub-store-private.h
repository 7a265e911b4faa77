/* testhub-store-private.h: internals shared by testhub-store.c and
 * testhub-store-commit.c (read side only).
 */
#pragma once

#include "testhub-store.h"

G_BEGIN_DECLS

struct _TesthubStore {
	GObject parent_instance;
	gchar *root;
	GHashTable *repos[3];  /* id -> TesthubRepo* (owned) */
	GHashTable *moved[3];  /* old id -> new id */
	GPtrArray *listing[3]; /* last testhub_store_list_repos() answer */
	GHashTable *parents;   /* commit id -> parent id ("" for a root commit) */
	/* most recently loaded commits, newest at the head (TesthubCommit*, one
	 * reference each); commit_links maps id -> its GList link in the queue */
	GQueue commit_lru;
	GHashTable *commit_links;
};

/* drops every cached commit (finalize) */
void
testhub_store_clear_commit_cache(TesthubStore *self);

gboolean
testhub_store_write_json(const gchar *path, JsonNode *node, GError **error);
JsonNode *
testhub_store_read_json(const gchar *path, GError **error);
/* unix seconds; TESTHUB_COMMIT_DATE (env) pins it for reproducible ids */
gint64
testhub_store_now(void);
/* parent id of a stored commit ("" for a root commit), NULL if unknown */
const gchar *
testhub_store_parent_of(TesthubStore *self, const gchar *commit_id);
gboolean
testhub_store_has_blob(TesthubStore *self, const gchar *sha1);

TesthubRef *
testhub_ref_new(const gchar *name, const gchar *target, const gchar *message);
void
testhub_ref_free(gpointer ref);

/* The Hub's default .gitattributes for a new repo of that type. */
const gchar *
testhub_default_gitattributes(TesthubRepoType type);
/* TRUE if a `filter=lfs` line of `attributes` matches `path` */
gboolean
testhub_gitattributes_match_lfs(const gchar *attributes, const gchar *path);

/* `s` with every `from` replaced by `to` */
gchar *
testhub_replace_all(const gchar *s, const gchar *from, const gchar *to);

G_END_DECLS
