/* testhub-store-refs.c: branches, tags, PR refs and revision resolution of the local Hub. */
#include <string.h>

#include "testhub-store-private.h"

/* ---- refs ---- */

static TesthubRef *
find_ref(GPtrArray *refs, const gchar *name)
{
	for (guint i = 0; refs != NULL && i < refs->len; i++) {
		TesthubRef *r = g_ptr_array_index(refs, i);

		if (g_strcmp0(r->name, name) == 0)
			return r;
	}
	return NULL;
}

TesthubRef *
testhub_store_find_branch(TesthubRepo *repo, const gchar *name)
{
	if (name != NULL && g_str_has_prefix(name, "refs/heads/"))
		name += strlen("refs/heads/");
	return find_ref(repo->branches, name);
}

TesthubRef *
testhub_store_find_tag(TesthubRepo *repo, const gchar *name)
{
	if (name != NULL && g_str_has_prefix(name, "refs/tags/"))
		name += strlen("refs/tags/");
	return find_ref(repo->tags, name);
}

static gboolean
is_commit_hex(const gchar *s)
{
	if (s == NULL || strlen(s) != 40)
		return FALSE;
	for (const gchar *p = s; *p != '\0'; p++) {
		if (!g_ascii_isxdigit(*p) || g_ascii_isupper(*p))
			return FALSE;
	}
	return TRUE;
}

static gboolean
reachable_from(TesthubStore *self, const gchar *head, const gchar *wanted)
{
	g_autofree gchar *cur = g_strdup(head);

	while (cur != NULL && cur[0] != '\0') {
		const gchar *parent;

		if (g_strcmp0(cur, wanted) == 0)
			return TRUE;
		parent = testhub_store_parent_of(self, cur);
		g_free(cur);
		cur = g_strdup(parent);
	}
	return FALSE;
}

gchar *
testhub_store_resolve_revision(TesthubStore *self, TesthubRepo *repo, const gchar *revision)
{
	TesthubRef *r = NULL;
	GPtrArray *all[] = {repo->branches, repo->tags, repo->prs};

	if (revision == NULL || revision[0] == '\0')
		return NULL;
	if (g_strcmp0(revision, "HEAD") == 0)
		revision = "main";
	if (g_str_has_prefix(revision, "refs/heads/"))
		r = find_ref(repo->branches, revision + strlen("refs/heads/"));
	else if (g_str_has_prefix(revision, "refs/tags/"))
		r = find_ref(repo->tags, revision + strlen("refs/tags/"));
	else if (g_str_has_prefix(revision, "refs/pr/"))
		r = find_ref(repo->prs, revision + strlen("refs/pr/"));
	else if (g_str_has_prefix(revision, "refs/convert/"))
		return NULL;
	else
		r = find_ref(repo->branches, revision);
	if (r == NULL && !g_str_has_prefix(revision, "refs/"))
		r = find_ref(repo->tags, revision);
	if (r != NULL)
		return g_strdup(r->target);
	if (!is_commit_hex(revision))
		return NULL;
	for (guint a = 0; a < G_N_ELEMENTS(all); a++) {
		for (guint i = 0; i < all[a]->len; i++) {
			TesthubRef *ref = g_ptr_array_index(all[a], i);

			if (reachable_from(self, ref->target, revision))
				return g_strdup(revision);
		}
	}
	return NULL;
}

static gboolean
ref_name_is_valid(const gchar *name)
{
	if (name == NULL || name[0] == '\0' || name[0] == '/' || g_str_has_suffix(name, "/") ||
	    g_str_has_suffix(name, ".lock") || strstr(name, "..") != NULL ||
	    strstr(name, "//") != NULL || strstr(name, "@{") != NULL)
		return FALSE;
	for (const gchar *p = name; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f || strchr(" ~^:?*[\\", *p) != NULL)
			return FALSE;
	}
	return TRUE;
}

static gboolean
check_commit_exists(TesthubStore *self, const gchar *commit_id, GError **error)
{
	if (testhub_store_parent_of(self, commit_id) == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NOT_FOUND,
			    "commit %s not found",
			    commit_id);
		return FALSE;
	}
	return TRUE;
}

gboolean
testhub_store_set_branch(TesthubStore *self,
			 TesthubRepo *repo,
			 const gchar *name,
			 const gchar *commit_id,
			 GError **error)
{
	GPtrArray *refs = repo->branches;
	TesthubRef *r;

	if (g_str_has_prefix(name, "refs/pr/")) {
		refs = repo->prs;
		name += strlen("refs/pr/");
	} else if (g_str_has_prefix(name, "refs/heads/")) {
		name += strlen("refs/heads/");
	}
	if (!ref_name_is_valid(name)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "invalid ref name %s",
			    name);
		return FALSE;
	}
	if (!check_commit_exists(self, commit_id, error))
		return FALSE;
	r = find_ref(refs, name);
	if (r != NULL) {
		g_free(r->target);
		r->target = g_strdup(commit_id);
	} else {
		g_ptr_array_add(refs, testhub_ref_new(name, commit_id, NULL));
	}
	repo->last_modified = testhub_store_now();
	return testhub_store_save_repo(self, repo, error);
}

static gboolean
remove_ref(GPtrArray *refs, const gchar *name)
{
	for (guint i = 0; i < refs->len; i++) {
		TesthubRef *r = g_ptr_array_index(refs, i);

		if (g_strcmp0(r->name, name) == 0) {
			g_ptr_array_remove_index(refs, i);
			return TRUE;
		}
	}
	return FALSE;
}

gboolean
testhub_store_delete_branch(TesthubStore *self,
			    TesthubRepo *repo,
			    const gchar *name,
			    GError **error)
{
	if (name != NULL && g_str_has_prefix(name, "refs/heads/"))
		name += strlen("refs/heads/");
	if (g_strcmp0(name, "main") == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "cannot delete main");
		return FALSE;
	}
	if (!remove_ref(repo->branches, name)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "branch %s not found", name);
		return FALSE;
	}
	return testhub_store_save_repo(self, repo, error);
}

gboolean
testhub_store_set_tag(TesthubStore *self,
		      TesthubRepo *repo,
		      const gchar *name,
		      const gchar *commit_id,
		      const gchar *message,
		      GError **error)
{
	TesthubRef *r;

	if (name != NULL && g_str_has_prefix(name, "refs/tags/"))
		name += strlen("refs/tags/");
	if (!ref_name_is_valid(name)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "invalid tag name %s",
			    name);
		return FALSE;
	}
	if (!check_commit_exists(self, commit_id, error))
		return FALSE;
	r = find_ref(repo->tags, name);
	if (r != NULL) {
		g_free(r->target);
		g_free(r->message);
		r->target = g_strdup(commit_id);
		r->message = g_strdup(message);
	} else {
		g_ptr_array_add(repo->tags, testhub_ref_new(name, commit_id, message));
	}
	return testhub_store_save_repo(self, repo, error);
}

gboolean
testhub_store_delete_tag(TesthubStore *self, TesthubRepo *repo, const gchar *name, GError **error)
{
	if (name != NULL && g_str_has_prefix(name, "refs/tags/"))
		name += strlen("refs/tags/");
	if (!remove_ref(repo->tags, name)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "tag %s not found", name);
		return FALSE;
	}
	return testhub_store_save_repo(self, repo, error);
}
