/* hubd-cache-scan.c: `hf cache scan` and `hf cache delete` on the shared
 * cache (huggingface_hub's utils/_cache_manager.py) */
#define G_LOG_DOMAIN "HubdCache"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "hubd-cache.h"
#include "hubd-error.h"

/* Shortest commit prefix Delete accepts. */
#define MIN_PREFIX 4

typedef struct {
	gchar *commit;
	gchar *path;
	GPtrArray *refs;   /* gchar* */
	GHashTable *blobs; /* blob path -> GUINT_TO_POINTER(1) */
	guint nb_files;
	guint64 size;
	gint64 last_modified;
} ScanRevision;

typedef struct {
	gchar *repo_id;
	gchar *repo_type;
	gchar *path;
	GPtrArray *revisions;   /* ScanRevision* */
	GHashTable *refs;       /* ref name -> commit */
	GHashTable *blob_sizes; /* blob path -> guint64* (distinct blobs) */
	guint64 size;
	gint64 last_accessed;
	gint64 last_modified;
} ScanRepo;

typedef struct {
	GPtrArray *repos; /* ScanRepo* */
	GPtrArray *warnings;
	GPtrArray *incomplete;
	guint64 size;
} Scan;

static void
scan_revision_free(ScanRevision *r)
{
	g_free(r->commit);
	g_free(r->path);
	g_ptr_array_unref(r->refs);
	g_hash_table_unref(r->blobs);
	g_free(r);
}

static void
scan_repo_free(ScanRepo *r)
{
	g_free(r->repo_id);
	g_free(r->repo_type);
	g_free(r->path);
	g_ptr_array_unref(r->revisions);
	g_hash_table_unref(r->refs);
	g_hash_table_unref(r->blob_sizes);
	g_free(r);
}

static void
scan_free(Scan *s)
{
	g_ptr_array_unref(s->repos);
	g_ptr_array_unref(s->warnings);
	g_ptr_array_unref(s->incomplete);
	g_free(s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Scan, scan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanRepo, scan_repo_free)

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* sorted names of a folder's entries */
static GPtrArray *
list_dir(const gchar *path, GError **error)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, error);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const gchar *name;

	if (dir == NULL)
		return NULL;
	while ((name = g_dir_read_name(dir)) != NULL)
		g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, compare_strings);
	return g_steal_pointer(&names);
}

/* refs/ read recursively: refs/refs/pr/1 is the ref "refs/pr/1" */
static void
scan_refs(const gchar *dir, const gchar *prefix, GHashTable *refs)
{
	g_autoptr(GPtrArray) names = list_dir(dir, NULL);

	if (names == NULL)
		return;
	for (guint i = 0; i < names->len; i++) {
		const gchar *name = g_ptr_array_index(names, i);
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		g_autofree gchar *ref =
			prefix != NULL ? g_strconcat(prefix, "/", name, NULL) : g_strdup(name);
		gchar *contents = NULL;

		if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
			scan_refs(path, ref, refs);
			continue;
		}
		/* a ref being written right now */
		if (g_str_has_suffix(name, ".tmp"))
			continue;
		if (!g_file_get_contents(path, &contents, NULL, NULL))
			continue;
		g_strstrip(contents);
		g_hash_table_insert(refs, g_steal_pointer(&ref), contents);
	}
}

/* every file below a snapshot folder, each resolved to its blob */
static gboolean
scan_snapshot_files(ScanRepo *repo,
		    ScanRevision *rev,
		    const gchar *dir,
		    GCancellable *cancellable,
		    GError **error)
{
	g_autoptr(GPtrArray) names = list_dir(dir, error);

	if (names == NULL)
		return FALSE;
	for (guint i = 0; i < names->len; i++) {
		g_autofree gchar *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
		g_autoptr(GFile) file = NULL;
		g_autofree gchar *blob = NULL;
		g_autofree gchar *target = NULL;
		struct stat st;

		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
			if (!scan_snapshot_files(repo, rev, path, cancellable, error))
				return FALSE;
			continue;
		}
		target = g_file_read_link(path, NULL);
		if (target != NULL && !g_path_is_absolute(target)) {
			g_autofree gchar *parent = g_path_get_dirname(path);
			g_autofree gchar *joined = g_build_filename(parent, target, NULL);
			file = g_file_new_for_path(joined); /* normalises the ../ */
		} else {
			file = g_file_new_for_path(target != NULL ? target : path);
		}
		blob = g_file_get_path(file);
		if (g_stat(blob, &st) != 0) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_FAILED,
				    /* TRANSLATORS: %s is a file path */
				    _("Blob missing (broken symlink): %s"),
				    path);
			return FALSE;
		}
		rev->nb_files++;
		if (!g_hash_table_contains(rev->blobs, blob)) {
			rev->size += (guint64)st.st_size;
			g_hash_table_add(rev->blobs, g_strdup(blob));
		}
		rev->last_modified = MAX(rev->last_modified, (gint64)st.st_mtime);
		if (!g_hash_table_contains(repo->blob_sizes, blob)) {
			guint64 *size = g_new(guint64, 1);
			*size = (guint64)st.st_size;
			g_hash_table_insert(repo->blob_sizes, g_strdup(blob), size);
			repo->size += *size;
			repo->last_accessed = MAX(repo->last_accessed, (gint64)st.st_atime);
			repo->last_modified = MAX(repo->last_modified, (gint64)st.st_mtime);
		}
	}
	return TRUE;
}

/* One repo folder, as _scan_cached_repo; an error is a corrupted repo. */
static ScanRepo *
scan_repo(const gchar *path, const gchar *name, GCancellable *cancellable, GError **error)
{
	g_autoptr(ScanRepo) repo = g_new0(ScanRepo, 1);
	g_autofree gchar *snapshots = g_build_filename(path, "snapshots", NULL);
	g_autofree gchar *refs_dir = g_build_filename(path, "refs", NULL);
	g_autofree gchar *type = NULL;
	g_autoptr(GPtrArray) names = NULL;
	const gchar *sep = strstr(name, "--");
	GHashTableIter iter;
	gpointer key, value;
	struct stat st;

	repo->revisions = g_ptr_array_new_with_free_func((GDestroyNotify)scan_revision_free);
	repo->refs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	repo->blob_sizes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	repo->path = g_strdup(path);
	if (sep == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Repo path is not a valid HuggingFace cache directory: %s"),
			    path);
		return NULL;
	}
	type = g_strndup(name, (gsize)(sep - name));
	if (g_strcmp0(type, "models") != 0 && g_strcmp0(type, "datasets") != 0 &&
	    g_strcmp0(type, "spaces") != 0) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Repo type must be `dataset`, `model` or `space`, found `%s` (%s)."),
			    type,
			    path);
		return NULL;
	}
	type[strlen(type) - 1] = '\0';
	repo->repo_type = g_steal_pointer(&type);
	{
		g_autoptr(GString) id = g_string_new(sep + 2);
		g_string_replace(id, "--", "/", 0);
		repo->repo_id = g_string_free(g_steal_pointer(&id), FALSE);
	}
	if (!g_file_test(snapshots, G_FILE_TEST_IS_DIR)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Snapshots dir doesn't exist in cached repo: %s"),
			    snapshots);
		return NULL;
	}
	scan_refs(refs_dir, NULL, repo->refs);

	names = list_dir(snapshots, error);
	if (names == NULL)
		return NULL;
	for (guint i = 0; i < names->len; i++) {
		const gchar *commit = g_ptr_array_index(names, i);
		g_autofree gchar *rev_path = g_build_filename(snapshots, commit, NULL);
		ScanRevision *rev;

		if (!g_file_test(rev_path, G_FILE_TEST_IS_DIR)) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_FAILED,
				    _("Snapshots folder corrupted. Found a file: %s"),
				    rev_path);
			return NULL;
		}
		rev = g_new0(ScanRevision, 1);
		rev->commit = g_strdup(commit);
		rev->path = g_steal_pointer(&rev_path);
		rev->refs = g_ptr_array_new_with_free_func(g_free);
		rev->blobs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		g_ptr_array_add(repo->revisions, rev);
		if (!scan_snapshot_files(repo, rev, rev->path, cancellable, error))
			return NULL;
		if (rev->nb_files == 0 && g_stat(rev->path, &st) == 0)
			rev->last_modified = st.st_mtime;
	}

	/* refs to a missing snapshot make the repo corrupted */
	g_hash_table_iter_init(&iter, repo->refs);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		gboolean found = FALSE;
		for (guint i = 0; i < repo->revisions->len; i++) {
			ScanRevision *rev = g_ptr_array_index(repo->revisions, i);
			if (g_strcmp0(rev->commit, value) == 0) {
				g_ptr_array_add(rev->refs, g_strdup(key));
				found = TRUE;
			}
		}
		if (!found) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_FAILED,
				    _("Reference(s) refer to missing commit hashes: %s → %s (%s)"),
				    (const gchar *)key,
				    (const gchar *)value,
				    path);
			return NULL;
		}
	}
	for (guint i = 0; i < repo->revisions->len; i++) {
		ScanRevision *rev = g_ptr_array_index(repo->revisions, i);
		g_ptr_array_sort(rev->refs, compare_strings);
	}
	/* no blob: the folder's own times, as Python */
	if (g_hash_table_size(repo->blob_sizes) == 0 && g_stat(path, &st) == 0) {
		repo->last_accessed = st.st_atime;
		repo->last_modified = st.st_mtime;
	}
	return g_steal_pointer(&repo);
}

static void
scan_incomplete(Scan *scan, const gchar *repo_path)
{
	g_autofree gchar *blobs = g_build_filename(repo_path, "blobs", NULL);
	g_autoptr(GPtrArray) names = list_dir(blobs, NULL);

	if (names == NULL)
		return;
	for (guint i = 0; i < names->len; i++) {
		const gchar *name = g_ptr_array_index(names, i);
		if (g_str_has_suffix(name, ".incomplete"))
			g_ptr_array_add(scan->incomplete, g_build_filename(blobs, name, NULL));
	}
}

static Scan *
scan_run(HubdCache *self, GCancellable *cancellable, GError **error)
{
	const gchar *root = hubd_cache_get_root(self);
	g_autoptr(Scan) scan = g_new0(Scan, 1);
	g_autoptr(GPtrArray) names = NULL;
	g_autoptr(GError) error_local = NULL;

	scan->repos = g_ptr_array_new_with_free_func((GDestroyNotify)scan_repo_free);
	scan->warnings = g_ptr_array_new_with_free_func(g_free);
	scan->incomplete = g_ptr_array_new_with_free_func(g_free);
	names = list_dir(root, &error_local);
	if (names == NULL) {
		/* no cache yet is an empty cache */
		if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return g_steal_pointer(&scan);
		g_propagate_error(error, g_steal_pointer(&error_local));
		hubd_error_convert(error);
		return NULL;
	}
	for (guint i = 0; i < names->len; i++) {
		const gchar *name = g_ptr_array_index(names, i);
		g_autofree gchar *path = g_build_filename(root, name, NULL);
		g_autoptr(GError) repo_error = NULL;
		ScanRepo *repo;

		if (g_cancellable_set_error_if_cancelled(cancellable, error)) {
			hubd_error_convert(error);
			return NULL;
		}
		if (g_strcmp0(name, ".locks") == 0 || g_strcmp0(name, "CACHEDIR.TAG") == 0 ||
		    g_strcmp0(name, ".DS_Store") == 0 || g_strcmp0(name, "Thumbs.db") == 0 ||
		    g_strcmp0(name, "desktop.ini") == 0)
			continue;
		if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
			g_ptr_array_add(
				scan->warnings,
				g_strdup_printf(_("Scan cache expects a directory but found a "
						  "file: %s. Please use `cache_dir` argument or "
						  "set `HF_HUB_CACHE` environment variable."),
						path));
			continue;
		}
		scan_incomplete(scan, path);
		repo = scan_repo(path, name, cancellable, &repo_error);
		if (repo == NULL) {
			if (g_error_matches(repo_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_propagate_error(error, g_steal_pointer(&repo_error));
				hubd_error_convert(error);
				return NULL;
			}
			g_ptr_array_add(scan->warnings, g_strdup(repo_error->message));
			continue;
		}
		scan->size += repo->size;
		g_ptr_array_add(scan->repos, repo);
	}
	return g_steal_pointer(&scan);
}

static GVariant *
strv_variant(GPtrArray *array)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; i < array->len; i++)
		g_variant_builder_add(&b, "s", (const gchar *)g_ptr_array_index(array, i));
	return g_variant_builder_end(&b);
}

static GVariant *
repo_to_variant(ScanRepo *repo)
{
	GVariantBuilder b;
	GVariantBuilder revs;
	g_autoptr(GPtrArray) refs = g_ptr_array_new();
	GHashTableIter iter;
	gpointer key;

	g_hash_table_iter_init(&iter, repo->refs);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_ptr_array_add(refs, key);
	g_ptr_array_sort(refs, compare_strings);
	g_variant_builder_init(&revs, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < repo->revisions->len; i++) {
		ScanRevision *rev = g_ptr_array_index(repo->revisions, i);
		GVariantBuilder r;
		g_variant_builder_init(&r, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&r, "{sv}", "commit", g_variant_new_string(rev->commit));
		g_variant_builder_add(&r, "{sv}", "refs", strv_variant(rev->refs));
		g_variant_builder_add(&r, "{sv}", "size", g_variant_new_uint64(rev->size));
		g_variant_builder_add(&r, "{sv}", "nb_files", g_variant_new_uint32(rev->nb_files));
		g_variant_builder_add(&r,
				      "{sv}",
				      "last_modified",
				      g_variant_new_int64(rev->last_modified));
		g_variant_builder_add(&r, "{sv}", "path", g_variant_new_string(rev->path));
		g_variant_builder_add_value(&revs, g_variant_builder_end(&r));
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "repo_id", g_variant_new_string(repo->repo_id));
	g_variant_builder_add(&b, "{sv}", "repo_type", g_variant_new_string(repo->repo_type));
	g_variant_builder_add(&b, "{sv}", "path", g_variant_new_string(repo->path));
	g_variant_builder_add(&b, "{sv}", "size", g_variant_new_uint64(repo->size));
	g_variant_builder_add(&b,
			      "{sv}",
			      "nb_files",
			      g_variant_new_uint32(g_hash_table_size(repo->blob_sizes)));
	g_variant_builder_add(&b,
			      "{sv}",
			      "last_accessed",
			      g_variant_new_int64(repo->last_accessed));
	g_variant_builder_add(&b,
			      "{sv}",
			      "last_modified",
			      g_variant_new_int64(repo->last_modified));
	g_variant_builder_add(&b, "{sv}", "refs", strv_variant(refs));
	g_variant_builder_add(&b, "{sv}", "revisions", g_variant_builder_end(&revs));
	return g_variant_builder_end(&b);
}

GVariant *
hubd_cache_scan(HubdCache *self, GCancellable *cancellable, GError **error)
{
	g_autoptr(Scan) scan = NULL;
	GVariantBuilder b;
	GVariantBuilder repos;

	g_return_val_if_fail(HUBD_IS_CACHE(self), NULL);
	scan = scan_run(self, cancellable, error);
	if (scan == NULL)
		return NULL;
	g_variant_builder_init(&repos, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < scan->repos->len; i++)
		g_variant_builder_add_value(&repos,
					    repo_to_variant(g_ptr_array_index(scan->repos, i)));
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "path", g_variant_new_string(hubd_cache_get_root(self)));
	g_variant_builder_add(&b, "{sv}", "size", g_variant_new_uint64(scan->size));
	g_variant_builder_add(&b, "{sv}", "repos", g_variant_builder_end(&repos));
	g_variant_builder_add(&b, "{sv}", "warnings", strv_variant(scan->warnings));
	g_variant_builder_add(&b, "{sv}", "incomplete", strv_variant(scan->incomplete));
	return g_variant_ref_sink(g_variant_builder_end(&b));
}

/* ---- delete ---- */

/* Removes a tree without following symlinks (snapshots are full of them). */
static gboolean
rm_rf(const gchar *path, GError **error)
{
	struct stat st;

	if (g_lstat(path, &st) != 0)
		return errno == ENOENT;
	if (S_ISDIR(st.st_mode)) {
		g_autoptr(GPtrArray) names = list_dir(path, error);
		if (names == NULL)
			return FALSE;
		for (guint i = 0; i < names->len; i++) {
			g_autofree gchar *child =
				g_build_filename(path, g_ptr_array_index(names, i), NULL);
			if (!rm_rf(child, error))
				return FALSE;
		}
		if (g_rmdir(path) != 0)
			goto fail;
		return TRUE;
	}
	if (g_unlink(path) != 0)
		goto fail;
	return TRUE;
fail:
	g_set_error(error,
		    G_IO_ERROR,
		    g_io_error_from_errno(errno),
		    /* TRANSLATORS: a path, then the reason */
		    _("Cannot delete %s: %s"),
		    path,
		    g_strerror(errno));
	return FALSE;
}

/* The revision (repo, index) a hash or unique prefix names. */
static gboolean
find_revision(Scan *scan,
	      const gchar *wanted,
	      ScanRepo **repo_out,
	      ScanRevision **rev_out,
	      GError **error)
{
	guint matches = 0;

	if (strlen(wanted) < MIN_PREFIX) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Revision “%s” is too short: give at least %d characters of the "
			      "commit hash"),
			    wanted,
			    MIN_PREFIX);
		return FALSE;
	}
	for (guint i = 0; i < scan->repos->len; i++) {
		ScanRepo *repo = g_ptr_array_index(scan->repos, i);
		for (guint j = 0; j < repo->revisions->len; j++) {
			ScanRevision *rev = g_ptr_array_index(repo->revisions, j);
			/* a full hash is never ambiguous */
			if (g_strcmp0(rev->commit, wanted) == 0) {
				*repo_out = repo;
				*rev_out = rev;
				return TRUE;
			}
			if (g_str_has_prefix(rev->commit, wanted)) {
				*repo_out = repo;
				*rev_out = rev;
				matches++;
			}
		}
	}
	if (matches == 0) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_REVISION_NOT_FOUND,
			    _("Revision “%s” is not in the cache"),
			    wanted);
		return FALSE;
	}
	if (matches > 1) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Revision “%s” is ambiguous: several cached commits start with it"),
			    wanted);
		return FALSE;
	}
	return TRUE;
}

GVariant *
hubd_cache_delete_revisions(HubdCache *self,
			    const gchar *const *revisions,
			    gboolean dry_run,
			    GCancellable *cancellable,
			    GError **error)
{
	g_autoptr(Scan) scan = NULL;
	/* ScanRepo* -> GHashTable of ScanRevision* to delete */
	g_autoptr(GHashTable) plan =
		g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_hash_table_unref);
	g_autoptr(GPtrArray) del_repos = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) del_snapshots = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) del_refs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) del_blobs = g_ptr_array_new_with_free_func(g_free);
	guint64 freed = 0;
	GHashTableIter iter;
	gpointer key, value;
	GVariantBuilder b;

	g_return_val_if_fail(HUBD_IS_CACHE(self), NULL);
	scan = scan_run(self, cancellable, error);
	if (scan == NULL)
		return NULL;
	/* resolve everything first: one unknown revision deletes nothing */
	for (guint i = 0; revisions != NULL && revisions[i] != NULL; i++) {
		ScanRepo *repo = NULL;
		ScanRevision *rev = NULL;
		GHashTable *set;
		if (!find_revision(scan, revisions[i], &repo, &rev, error))
			return NULL;
		set = g_hash_table_lookup(plan, repo);
		if (set == NULL) {
			set = g_hash_table_new(NULL, NULL);
			g_hash_table_insert(plan, repo, set);
		}
		g_hash_table_add(set, rev);
	}

	/* the strategy of DeleteCacheStrategy */
	g_hash_table_iter_init(&iter, plan);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		ScanRepo *repo = key;
		GHashTable *set = value;
		g_autoptr(GHashTable) kept_blobs = g_hash_table_new(g_str_hash, g_str_equal);
		g_autoptr(GHashTable) dropped_blobs = g_hash_table_new(g_str_hash, g_str_equal);
		GHashTableIter bi;
		gpointer blob;

		if (g_hash_table_size(set) == repo->revisions->len) {
			g_ptr_array_add(del_repos, g_strdup(repo->path));
			freed += repo->size;
			continue;
		}
		for (guint j = 0; j < repo->revisions->len; j++) {
			ScanRevision *rev = g_ptr_array_index(repo->revisions, j);
			GHashTable *target =
				g_hash_table_contains(set, rev) ? dropped_blobs : kept_blobs;
			g_hash_table_iter_init(&bi, rev->blobs);
			while (g_hash_table_iter_next(&bi, &blob, NULL))
				g_hash_table_add(target, blob);
			if (target == dropped_blobs) {
				g_ptr_array_add(del_snapshots, g_strdup(rev->path));
				for (guint k = 0; k < rev->refs->len; k++)
					g_ptr_array_add(
						del_refs,
						g_build_filename(repo->path,
								 "refs",
								 g_ptr_array_index(rev->refs, k),
								 NULL));
			}
		}
		g_hash_table_iter_init(&bi, dropped_blobs);
		while (g_hash_table_iter_next(&bi, &blob, NULL)) {
			guint64 *size;
			if (g_hash_table_contains(kept_blobs, blob))
				continue;
			size = g_hash_table_lookup(repo->blob_sizes, blob);
			freed += size != NULL ? *size : 0;
			g_ptr_array_add(del_blobs, g_strdup(blob));
		}
	}
	g_ptr_array_sort(del_repos, compare_strings);
	g_ptr_array_sort(del_snapshots, compare_strings);
	g_ptr_array_sort(del_refs, compare_strings);
	g_ptr_array_sort(del_blobs, compare_strings);

	if (!dry_run) {
		/* repos, snapshots, refs, blobs last (as Python): an interrupted run
		 * leaves unreferenced blobs, never broken links */
		GPtrArray *order[] = {del_repos, del_snapshots, del_refs, del_blobs};
		for (guint i = 0; i < G_N_ELEMENTS(order); i++) {
			for (guint j = 0; j < order[i]->len; j++) {
				if (!rm_rf(g_ptr_array_index(order[i], j), error)) {
					hubd_error_convert(error);
					return NULL;
				}
			}
		}
	}

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "freed", g_variant_new_uint64(freed));
	g_variant_builder_add(&b, "{sv}", "repos", strv_variant(del_repos));
	g_variant_builder_add(&b, "{sv}", "snapshots", strv_variant(del_snapshots));
	g_variant_builder_add(&b, "{sv}", "refs", strv_variant(del_refs));
	g_variant_builder_add(&b, "{sv}", "blobs", strv_variant(del_blobs));
	g_variant_builder_add(&b, "{sv}", "dry_run", g_variant_new_boolean(dry_run));
	return g_variant_ref_sink(g_variant_builder_end(&b));
}
