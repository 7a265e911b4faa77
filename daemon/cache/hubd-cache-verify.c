/* hubd-cache-verify.c: the blocking steps of `hf cache verify` — resolving
 * the cached revision, walking the files on disk, hashing and comparing
 * them with the Hub's listing (docs/cache-verify.md) */
#define G_LOG_DOMAIN "HubdCacheVerify"

#include "hubd-cache-verify.h"

#include <glib/gi18n.h>
#include <sys/stat.h>

#include "hubd-error.h"
#include "hubd-hash.h"
#include "hubd-hub-types.h"

/* a local_dir's own metadata (docs/hub-download.md §8.1) */
#define LOCAL_DIR_METADATA ".cache/huggingface"

gchar *
hubd_cache_verify_resolve(HubdCache *cache,
			  HubdRepoType type,
			  const gchar *repo_id,
			  const gchar *revision,
			  GError **error)
{
	g_autofree gchar *repo = hubd_cache_repo_path(cache, type, repo_id);
	g_autofree gchar *snapshots = NULL;
	g_autoptr(GDir) dir = NULL;
	g_autofree gchar *only = NULL;
	const gchar *name;
	gchar *commit;

	if (!g_file_test(repo, G_FILE_TEST_IS_DIR)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_REPO_NOT_FOUND,
			    _("%s (%s) is not in the cache at %s: download it first, or verify a "
			      "local folder"),
			    repo_id,
			    hubd_repo_type_to_string(type),
			    hubd_cache_get_root(cache));
		return NULL;
	}
	if (revision != NULL && revision[0] != '\0') {
		if (hubd_cache_is_commit_hash(revision))
			return g_strdup(revision);
		/* NULL: not a ref the cache knows; the caller may ask the Hub */
		return hubd_cache_read_ref(cache, type, repo_id, revision);
	}
	commit = hubd_cache_read_ref(cache, type, repo_id, "main");
	if (commit != NULL)
		return commit;
	/* no main ref: the only snapshot, if there is exactly one */
	snapshots = g_build_filename(repo, "snapshots", NULL);
	dir = g_dir_open(snapshots, 0, NULL);
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		if (!hubd_cache_is_commit_hash(name))
			continue;
		if (only != NULL) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("%s has several cached revisions and no main ref: give "
				      "the revision to verify"),
				    repo_id);
			return NULL;
		}
		only = g_strdup(name);
	}
	if (only == NULL)
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_REVISION_NOT_FOUND,
			    _("%s has no cached revision"),
			    repo_id);
	return g_steal_pointer(&only);
}

static gboolean
walk_folder(const gchar *root,
	    const gchar *rel,
	    gboolean skip_metadata,
	    GHashTable *files,
	    GCancellable *cancellable,
	    GError **error)
{
	g_autofree gchar *path = rel != NULL ? g_build_filename(root, rel, NULL) : g_strdup(root);
	g_autoptr(GDir) dir = g_dir_open(path, 0, error);
	const gchar *name;

	if (dir == NULL)
		return FALSE;
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child_rel =
			rel != NULL ? g_strconcat(rel, "/", name, NULL) : g_strdup(name);
		g_autofree gchar *child = g_build_filename(root, child_rel, NULL);
		struct stat st;

		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		if (skip_metadata && g_strcmp0(child_rel, LOCAL_DIR_METADATA) == 0)
			continue;
		/* stat, not lstat: snapshot files are links to blobs; a broken
		 * link (its blob deleted) is no file, so the path is missing */
		if (stat(child, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (!walk_folder(root, child_rel, skip_metadata, files, cancellable, error))
				return FALSE;
		} else if (S_ISREG(st.st_mode)) {
			guint64 *size = g_new(guint64, 1);

			*size = (guint64)st.st_size;
			g_hash_table_insert(files, g_steal_pointer(&child_rel), size);
		}
	}
	return TRUE;
}

GHashTable *
hubd_cache_verify_walk(const gchar *root,
		       gboolean skip_metadata,
		       GCancellable *cancellable,
		       GError **error)
{
	g_autoptr(GHashTable) files =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	if (!walk_folder(root, NULL, skip_metadata, files, cancellable, error))
		return NULL;
	return g_steal_pointer(&files);
}

static void
add_bytes(guint64 delta, gpointer user_data)
{
	__atomic_add_fetch((gint64 *)user_data, (gint64)delta, __ATOMIC_RELAXED);
}

static gint
compare_paths(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static gint
compare_entries(gconstpointer a, gconstpointer b)
{
	const HubdHubTreeEntry *ea = *(const HubdHubTreeEntry *const *)a;
	const HubdHubTreeEntry *eb = *(const HubdHubTreeEntry *const *)b;

	return g_strcmp0(ea->path, eb->path);
}

/* `as` of a sorted copy of `paths` */
static GVariant *
sorted_strv(GPtrArray *paths)
{
	g_ptr_array_sort(paths, compare_paths);
	return g_variant_new_strv((const gchar *const *)paths->pdata, paths->len);
}

/* Hashes one file both sides have; a mismatch entry (floating) or NULL when
 * it matches. An LFS file's identity is its SHA-256, any other file's its
 * git blob SHA-1 (docs/cache-verify.md §3). */
static gboolean
verify_one(const gchar *root,
	   const HubdHubTreeEntry *entry,
	   gint64 *bytes_done,
	   GVariantBuilder *mismatched,
	   GCancellable *cancellable,
	   GError **error)
{
	g_autofree gchar *path = g_build_filename(root, entry->path, NULL);
	gboolean lfs = entry->lfs_sha256 != NULL && entry->lfs_sha256[0] != '\0';
	const gchar *expected = lfs ? entry->lfs_sha256 : entry->oid;
	g_autofree gchar *want = g_ascii_strdown(expected != NULL ? expected : "", -1);
	HubdFileHash hash;
	const gchar *actual;

	if (!hubd_hash_file(path,
			    lfs ? HUBD_HASH_SHA256 : HUBD_HASH_GIT_SHA1,
			    add_bytes,
			    bytes_done,
			    cancellable,
			    &hash,
			    error))
		return FALSE;
	actual = lfs ? hash.sha256 : hash.git_sha1;
	if (g_strcmp0(actual, want) == 0)
		return TRUE;
	g_debug("%s: expected %s, got %s", entry->path, want, actual);
	g_variant_builder_open(mismatched, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(mismatched, "{sv}", "path", g_variant_new_string(entry->path));
	g_variant_builder_add(mismatched, "{sv}", "expected", g_variant_new_string(want));
	g_variant_builder_add(mismatched, "{sv}", "actual", g_variant_new_string(actual));
	g_variant_builder_add(mismatched,
			      "{sv}",
			      "algorithm",
			      g_variant_new_string(lfs ? "sha256" : "git-sha1"));
	g_variant_builder_close(mismatched);
	return TRUE;
}

GVariant *
hubd_cache_verify_compare(const gchar *root,
			  const gchar *commit,
			  GPtrArray *remote,
			  GHashTable *local,
			  gint64 *bytes_done,
			  GCancellable *cancellable,
			  GError **error)
{
	g_autoptr(GPtrArray) files = g_ptr_array_new();
	g_autoptr(GPtrArray) missing = g_ptr_array_new();
	g_autoptr(GPtrArray) extra = g_ptr_array_new();
	g_autoptr(GHashTable) listed = g_hash_table_new(g_str_hash, g_str_equal);
	GVariantBuilder mismatched;
	GVariantBuilder result;
	GHashTableIter iter;
	gpointer key;
	guint verified = 0;
	gsize n_mismatched;

	for (guint i = 0; i < remote->len; i++) {
		HubdHubTreeEntry *entry = g_ptr_array_index(remote, i);

		if (entry->type != HUBD_HUB_ENTRY_FILE)
			continue;
		g_hash_table_add(listed, entry->path);
		if (g_hash_table_contains(local, entry->path))
			g_ptr_array_add(files, entry);
		else
			g_ptr_array_add(missing, entry->path);
	}
	g_hash_table_iter_init(&iter, local);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		if (!g_hash_table_contains(listed, key))
			g_ptr_array_add(extra, key);

	g_ptr_array_sort(files, compare_entries);
	g_variant_builder_init(&mismatched, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < files->len; i++) {
		if (!verify_one(root,
				g_ptr_array_index(files, i),
				bytes_done,
				&mismatched,
				cancellable,
				error)) {
			g_variant_builder_clear(&mismatched);
			return NULL;
		}
		verified++;
	}

	g_variant_builder_init(&result, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&result, "{sv}", "revision", g_variant_new_string(commit));
	g_variant_builder_add(&result, "{sv}", "path", g_variant_new_string(root));
	g_variant_builder_add(&result, "{sv}", "verified", g_variant_new_uint32(verified));
	g_variant_builder_add(&result, "{sv}", "missing", sorted_strv(missing));
	g_variant_builder_add(&result, "{sv}", "missing_count", g_variant_new_uint32(missing->len));
	g_variant_builder_add(&result, "{sv}", "extra", sorted_strv(extra));
	g_variant_builder_add(&result, "{sv}", "extra_count", g_variant_new_uint32(extra->len));
	{
		GVariant *list = g_variant_builder_end(&mismatched);

		n_mismatched = g_variant_n_children(list);
		g_variant_builder_add(&result, "{sv}", "mismatched", list);
	}
	g_variant_builder_add(&result,
			      "{sv}",
			      "mismatched_count",
			      g_variant_new_uint32((guint32)n_mismatched));
	return g_variant_builder_end(&result);
}
