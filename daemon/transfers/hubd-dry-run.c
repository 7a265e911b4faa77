/* hubd-dry-run.c: the dry_run option of Download and Snapshot — is a file
 * already there, and the result listing what would be downloaded
 * (docs/hub-download.md §11) */
#define G_LOG_DOMAIN "HubdDownload"

#include "hubd-dry-run.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "hubd-local-dir.h"

gboolean
hubd_dry_run_is_cached(HubdCache *cache,
		       const gchar *local_dir,
		       HubdRepoType type,
		       const gchar *repo_id,
		       const gchar *filename,
		       const gchar *etag,
		       guint64 size)
{
	if (local_dir != NULL) {
		g_autofree gchar *file = NULL;
		struct stat st;

		if (etag == NULL || !hubd_local_dir_is_current(local_dir, filename, etag, NULL))
			return FALSE;
		file = hubd_local_dir_file_path(local_dir, filename);
		return g_stat(file, &st) == 0 && (guint64)st.st_size == size;
	}
	return hubd_cache_has_blob(cache, type, repo_id, etag, size);
}

/* The ETag a tree entry's blob is named by (SHA-256 for LFS, else the git
 * blob id) and its size (the LFS object's for LFS files). */
static const gchar *
hubd_dry_run_entry_etag(const HubdHubTreeEntry *entry, guint64 *size)
{
	if (entry->is_lfs && entry->lfs_sha256 != NULL) {
		*size = entry->lfs_size >= 0 ? (guint64)entry->lfs_size : entry->size;
		return entry->lfs_sha256;
	}
	*size = entry->size;
	return entry->oid;
}

GVariant *
hubd_dry_run_entry(const gchar *filename,
		   guint64 size,
		   const gchar *path,
		   gboolean cached,
		   gboolean force)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "filename", g_variant_new_string(filename));
	g_variant_builder_add(&b, "{sv}", "size", g_variant_new_uint64(size));
	g_variant_builder_add(&b, "{sv}", "path", g_variant_new_string(path != NULL ? path : ""));
	g_variant_builder_add(&b, "{sv}", "cached", g_variant_new_boolean(cached));
	/* as huggingface_hub: force downloads even what is cached */
	g_variant_builder_add(&b, "{sv}", "will_download", g_variant_new_boolean(force || !cached));
	return g_variant_builder_end(&b);
}

GVariant *
hubd_dry_run_result(const gchar *path, const gchar *commit, GPtrArray *entries)
{
	GVariantBuilder b;
	GVariantBuilder list;
	guint64 total = 0;
	guint64 download_size = 0;
	guint32 download_count = 0;

	g_variant_builder_init(&list, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < entries->len; i++) {
		GVariant *e = g_ptr_array_index(entries, i);
		guint64 size = 0;
		gboolean will = FALSE;

		g_variant_lookup(e, "size", "t", &size);
		g_variant_lookup(e, "will_download", "b", &will);
		total += size;
		if (will) {
			download_size += size;
			download_count++;
		}
		g_variant_builder_add_value(&list, e);
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "dry_run", g_variant_new_boolean(TRUE));
	g_variant_builder_add(&b, "{sv}", "path", g_variant_new_string(path != NULL ? path : ""));
	g_variant_builder_add(&b,
			      "{sv}",
			      "commit",
			      g_variant_new_string(commit != NULL ? commit : ""));
	g_variant_builder_add(&b, "{sv}", "entries", g_variant_builder_end(&list));
	g_variant_builder_add(&b, "{sv}", "file_count", g_variant_new_uint32(entries->len));
	g_variant_builder_add(&b, "{sv}", "total_size", g_variant_new_uint64(total));
	g_variant_builder_add(&b, "{sv}", "download_count", g_variant_new_uint32(download_count));
	g_variant_builder_add(&b, "{sv}", "download_size", g_variant_new_uint64(download_size));
	return g_variant_ref_sink(g_variant_builder_end(&b));
}

GVariant *
hubd_dry_run_result_for_listing(HubdCache *cache,
				const gchar *local_dir,
				HubdRepoType type,
				const gchar *repo_id,
				const gchar *root,
				const gchar *commit,
				GPtrArray *listing,
				gboolean force)
{
	g_autoptr(GPtrArray) entries = g_ptr_array_new();

	for (guint i = 0; i < listing->len; i++) {
		HubdHubTreeEntry *entry = g_ptr_array_index(listing, i);
		guint64 size = 0;
		const gchar *etag = hubd_dry_run_entry_etag(entry, &size);
		g_autofree gchar *path = g_build_filename(root, entry->path, NULL);
		gboolean cached = hubd_dry_run_is_cached(cache,
							 local_dir,
							 type,
							 repo_id,
							 entry->path,
							 etag,
							 size);

		g_ptr_array_add(entries,
				hubd_dry_run_entry(entry->path, size, path, cached, force));
	}
	return hubd_dry_run_result(root, commit, entries);
}

guint64
hubd_dry_run_bytes_to_fetch(HubdCache *cache,
			    const gchar *local_dir,
			    HubdRepoType type,
			    const gchar *repo_id,
			    GPtrArray *listing,
			    gboolean force)
{
	g_autoptr(GHashTable) counted = g_hash_table_new(g_str_hash, g_str_equal);
	guint64 total = 0;

	for (guint i = 0; i < listing->len; i++) {
		HubdHubTreeEntry *entry = g_ptr_array_index(listing, i);
		guint64 size = 0;
		const gchar *etag = hubd_dry_run_entry_etag(entry, &size);
		g_autofree gchar *partial = NULL;
		GStatBuf st;
		guint64 held = 0;

		if (local_dir == NULL && etag != NULL && !g_hash_table_add(counted, (gpointer)etag))
			continue;
		if (!force && hubd_dry_run_is_cached(cache,
						     local_dir,
						     type,
						     repo_id,
						     entry->path,
						     etag,
						     size))
			continue;
		/* an earlier run's bytes stay and count: a resume fetches the rest
		 * (force starts over) */
		if (!force && etag != NULL) {
			partial = local_dir != NULL
					  ? hubd_local_dir_incomplete_path(local_dir,
									   entry->path,
									   etag)
					  : hubd_cache_incomplete_path(cache, type, repo_id, etag);
			if (g_stat(partial, &st) == 0)
				held = (guint64)st.st_blocks * 512;
		}
		total += size > held ? size - held : 0;
	}
	return total;
}

GVariant *
hubd_dry_run_result_for_files(const gchar *root,
			      const gchar *commit,
			      const gchar *const *files,
			      guint n,
			      gboolean force)
{
	g_autoptr(GPtrArray) entries = g_ptr_array_new();

	for (guint i = 0; i < n; i++) {
		g_autofree gchar *path = g_build_filename(root, files[i], NULL);
		struct stat st;

		g_ptr_array_add(entries,
				hubd_dry_run_entry(files[i],
						   g_stat(path, &st) == 0 ? (guint64)st.st_size : 0,
						   path,
						   TRUE,
						   force));
	}
	return hubd_dry_run_result(root, commit, entries);
}
