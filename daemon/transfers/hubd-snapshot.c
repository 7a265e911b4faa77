/* hubd-snapshot.c: every file of a repo at a revision (or those matching
 * patterns), as huggingface_hub's snapshot_download (docs/hub-download.md §9):
 * resolve the commit once, list the tree once (both through HubdHubApi, which
 * checks every path), filter, then download up to max_workers files at once, each through
 * hubd-download (cached files cost no request: the revision is a commit). */
#define G_LOG_DOMAIN "HubdSnapshot"

#include "hubd-snapshot.h"

#include <errno.h>
#include <fnmatch.h>
#include <glib/gi18n.h>

#include "hubd-cache.h"
#include "hubd-context-private.h"
#include "hubd-download.h"
#include "hubd-dry-run.h"
#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-task.h"

#define DEFAULT_WORKERS 8
#define MAX_WORKERS     64

void
hubd_snapshot_request_free(HubdSnapshotRequest *req)
{
	if (req == NULL)
		return;
	g_free(req->repo_id);
	g_free(req->revision);
	g_strfreev(req->allow_patterns);
	g_strfreev(req->ignore_patterns);
	g_free(req->local_dir);
	g_clear_object(&req->api);
	g_free(req->cache_dir);
	g_clear_object(&req->mirror);
	g_free(req);
}

static gboolean
hubd_snapshot_match_any(const gchar *const *patterns, const gchar *path)
{
	for (guint i = 0; patterns[i] != NULL; i++) {
		g_autofree gchar *p = g_strdelimit(g_strdup(patterns[i]), "\\", '/');
		if (g_str_has_suffix(p, "/")) {
			gchar *tmp = g_strconcat(p, "*", NULL);
			g_free(p);
			p = tmp;
		}
		if (fnmatch(p, path, 0) == 0)
			return TRUE;
	}
	return FALSE;
}

gboolean
hubd_snapshot_path_matches(const gchar *const *allow, const gchar *const *ignore, const gchar *path)
{
	if (allow != NULL && allow[0] != NULL && !hubd_snapshot_match_any(allow, path))
		return FALSE;
	if (ignore != NULL && hubd_snapshot_match_any(ignore, path))
		return FALSE;
	return TRUE;
}

typedef struct {
	HubdContext *context;
	HubdHubApi *api; /* the caller's: token_name, library_name in the user agent */
	HubdCache *cache;
	HubdJob *job;
	HubdSnapshotRequest *req;
	gchar *commit;
	GPtrArray *files;   /* paths to fetch */
	GPtrArray *listing; /* the HubdHubTreeEntry of each of them */
	GVariant *dry_result;
	JsonObject *tree; /* path -> entry, for trees/<commit>.json */
	guint64 bytes_total;
	guint next;
	guint running;
	GError *error;     /* the first failure */
	GError *hub_error; /* why the Hub was not asked (fell back to the cache) */
} Snap;

static void
snap_free(Snap *s)
{
	g_object_unref(s->context);
	g_clear_object(&s->api);
	g_clear_object(&s->cache);
	g_clear_object(&s->job);
	hubd_snapshot_request_free(s->req);
	g_clear_pointer(&s->listing, g_ptr_array_unref);
	g_clear_pointer(&s->dry_result, g_variant_unref);
	g_free(s->commit);
	g_ptr_array_unref(s->files);
	g_clear_pointer(&s->tree, json_object_unref);
	g_clear_error(&s->error);
	g_clear_error(&s->hub_error);
	g_free(s);
}

static gchar *
snap_root(Snap *s)
{
	if (s->req->local_dir != NULL)
		return g_strdup(s->req->local_dir);
	return hubd_cache_snapshot_path(s->cache, s->req->type, s->req->repo_id, s->commit, NULL);
}

static void
snap_return(GTask *task)
{
	Snap *s = g_task_get_task_data(task);
	g_autofree gchar *root = snap_root(s);
	GVariantBuilder b;

	if (s->dry_result != NULL) {
		g_task_return_pointer(task,
				      g_variant_ref(s->dry_result),
				      (GDestroyNotify)g_variant_unref);
		return;
	}
	g_ptr_array_add(s->files, NULL);
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "path", g_variant_new_string(root));
	g_variant_builder_add(&b, "{sv}", "commit", g_variant_new_string(s->commit));
	g_variant_builder_add(&b,
			      "{sv}",
			      "files",
			      g_variant_new_strv((const gchar *const *)s->files->pdata, -1));
	g_ptr_array_remove_index(s->files, s->files->len - 1);
	g_task_return_pointer(task,
			      g_variant_ref_sink(g_variant_builder_end(&b)),
			      (GDestroyNotify)g_variant_unref);
}

/* ---- offline: what the cache holds ---- */

static void
snap_walk(const gchar *root, const gchar *rel, Snap *s)
{
	g_autofree gchar *dir_path =
		rel != NULL ? g_build_filename(root, rel, NULL) : g_strdup(root);
	g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *r =
			rel != NULL ? g_build_filename(rel, name, NULL) : g_strdup(name);
		g_autofree gchar *full = g_build_filename(root, r, NULL);
		if (rel == NULL && s->req->local_dir != NULL && g_str_equal(name, ".cache"))
			continue;
		if (g_file_test(full, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(full, G_FILE_TEST_IS_SYMLINK))
			snap_walk(root, r, s);
		else if (hubd_snapshot_path_matches((const gchar *const *)s->req->allow_patterns,
						    (const gchar *const *)s->req->ignore_patterns,
						    r))
			g_ptr_array_add(s->files, g_steal_pointer(&r));
	}
}

/* g_ptr_array_sort() hands out pointers to the elements */
static gint
snap_strcmp_indirect(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static gchar *
snap_tree_path(Snap *s)
{
	g_autofree gchar *repo = hubd_cache_repo_path(s->cache, s->req->type, s->req->repo_id);
	g_autofree gchar *name = g_strconcat(s->commit, ".json", NULL);

	return g_build_filename(repo, "trees", name, NULL);
}

/* One entry of huggingface_hub's trees/<commit>.json (format_version 1). */
static void
snap_tree_add(Snap *s, HubdHubTreeEntry *entry)
{
	JsonObject *e = json_object_new();

	if (s->tree == NULL)
		s->tree = json_object_new();
	json_object_set_int_member(e, "size", (gint64)MIN(entry->size, (guint64)G_MAXINT64));
	json_object_set_string_member(e, "blob_id", entry->oid != NULL ? entry->oid : "");
	if (entry->is_lfs) {
		json_object_set_string_member(e,
					      "lfs_sha256",
					      entry->lfs_sha256 != NULL ? entry->lfs_sha256 : "");
		json_object_set_int_member(e, "lfs_size", MAX(entry->lfs_size, 0));
	}
	if (entry->xet_hash != NULL)
		json_object_set_string_member(e, "xet_hash", entry->xet_hash);
	json_object_set_object_member(s->tree, entry->path, e);
}

/* Writes trees/<commit>.json once (a commit's tree never changes). */
static void
snap_write_tree(Snap *s)
{
	g_autofree gchar *path = snap_tree_path(s);
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	JsonObject *o;

	if (s->tree == NULL || g_file_test(path, G_FILE_TEST_EXISTS))
		return;
	o = json_object_new();
	json_object_set_int_member(o, "format_version", 1);
	json_object_set_object_member(o, "files", json_object_ref(s->tree));
	json_node_take_object(root, o);
	json_generator_set_root(gen, root);
	text = json_generator_to_data(gen, NULL);
	if (g_mkdir_with_parents(dir, 0755) != 0 || !g_file_set_contents(path, text, -1, &error))
		g_debug("cannot write %s: %s",
			path,
			error != NULL ? error->message : g_strerror(errno));
}

/* With the tree listing huggingface_hub 1.22+ (and hubd) keep in
 * trees/<commit>.json, an offline snapshot knows which files it should have:
 * FALSE (Offline) when one matching the patterns is missing (docs/hub-download.md §7.2,
 * IncompleteSnapshotError). Fills s->files from it. */
static gboolean
snap_check_tree(Snap *s, const gchar *root, GError **error)
{
	g_autofree gchar *path = snap_tree_path(s);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GList) paths = NULL;
	JsonObject *files = NULL;
	JsonNode *node;
	const gchar *first_missing = NULL;
	guint missing = 0;

	if (!json_parser_load_from_mapped_file(parser, path, NULL))
		return TRUE;
	node = json_parser_get_root(parser);
	if (node != NULL && JSON_NODE_HOLDS_OBJECT(node)) {
		JsonNode *f = json_object_get_member(json_node_get_object(node), "files");
		if (f != NULL && JSON_NODE_HOLDS_OBJECT(f))
			files = json_node_get_object(f);
	}
	if (files == NULL)
		return TRUE;
	paths = json_object_get_members(files);
	for (GList *l = paths; l != NULL; l = l->next) {
		const gchar *p = l->data;
		g_autofree gchar *full = NULL;

		if (!hubd_path_is_safe_relative(p, NULL) ||
		    !hubd_snapshot_path_matches((const gchar *const *)s->req->allow_patterns,
						(const gchar *const *)s->req->ignore_patterns,
						p))
			continue;
		full = g_build_filename(root, p, NULL);
		if (!g_file_test(full, G_FILE_TEST_EXISTS)) {
			if (first_missing == NULL || g_strcmp0(p, first_missing) < 0)
				first_missing = p;
			missing++;
		}
		g_ptr_array_add(s->files, g_strdup(p));
	}
	if (missing > 0) {
		g_set_error(
			error,
			HUBD_ERROR,
			HUBD_ERROR_OFFLINE,
			g_dngettext(GETTEXT_PACKAGE,
				    "The cached snapshot of %s at %s is incomplete: %u file is "
				    "missing (“%s”), and offline mode is on",
				    "The cached snapshot of %s at %s is incomplete: %u files are "
				    "missing (“%s”, …), and offline mode is on",
				    missing),
			s->req->repo_id,
			s->req->revision,
			missing,
			first_missing);
		return FALSE;
	}
	g_ptr_array_sort(s->files, snap_strcmp_indirect);
	return TRUE;
}

static void
snap_offline_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	Snap *s = task_data;
	g_autofree gchar *root = NULL;
	GError *error = NULL;

	if (s->commit == NULL)
		s->commit = hubd_cache_resolve_revision(s->cache,
							s->req->type,
							s->req->repo_id,
							s->req->revision);
	if (s->req->local_dir != NULL && g_file_test(s->req->local_dir, G_FILE_TEST_IS_DIR)) {
		if (s->commit == NULL)
			s->commit = g_strdup("");
	} else if (s->commit != NULL) {
		root = snap_root(s);
		if (!g_file_test(root, G_FILE_TEST_IS_DIR))
			g_clear_pointer(&s->commit, g_free);
	}
	if (s->commit == NULL && s->hub_error != NULL) {
		/* not offline: the Hub failed, and the cache cannot stand in */
		g_task_return_new_error(task,
					HUBD_ERROR,
					s->hub_error->code,
					_("%s (and %s at revision %s is not in the cache)"),
					s->hub_error->message,
					s->req->repo_id,
					s->req->revision);
		return;
	}
	if (s->commit == NULL) {
		g_task_return_new_error(
			task,
			HUBD_ERROR,
			HUBD_ERROR_OFFLINE,
			_("%s at revision %s is not in the cache, and offline mode is on "
			  "(HF_HUB_OFFLINE or the offline option)"),
			s->req->repo_id,
			s->req->revision);
		return;
	}
	g_free(root);
	root = snap_root(s);
	if (s->req->local_dir == NULL && !snap_check_tree(s, root, &error)) {
		g_task_return_error(task, error);
		return;
	}
	if (s->files->len == 0) {
		snap_walk(root, NULL, s);
		g_ptr_array_sort(s->files, snap_strcmp_indirect);
	}
	if (s->req->dry_run)
		s->dry_result = hubd_dry_run_result_for_files(root,
							      s->commit,
							      (const gchar *const *)s->files->pdata,
							      s->files->len,
							      s->req->force);
	g_task_return_boolean(task, TRUE);
}

/* the offline answer and a dry run: the thread left the result in `s` */
static void
snap_thread_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;

	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		g_task_return_error(task, error);
		return;
	}
	snap_return(task);
}

/* ---- downloading, max_workers at a time ---- */

static void
snap_pump(GTask *task);

static void
snap_file_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	Snap *s = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(GVariant) result = hubd_download_file_finish(res, &error);

	s->running--;
	if (result == NULL && s->error == NULL)
		s->error = error;
	else
		g_clear_error(&error);
	snap_pump(g_steal_pointer(&task));
}

/* What the listing said of a regular file, for hubd-download to skip its
 * HEAD (LFS files keep it: it names their CDN link). */
static void
snap_known_metadata(Snap *s, HubdDownloadRequest *dr)
{
	JsonObject *e = s->tree != NULL && json_object_has_member(s->tree, dr->filename)
				? json_object_get_object_member(s->tree, dr->filename)
				: NULL;
	const gchar *oid;

	if (e == NULL || json_object_has_member(e, "lfs_sha256"))
		return;
	oid = json_object_get_string_member_with_default(e, "blob_id", "");
	if (oid[0] == '\0')
		return;
	dr->known_etag = (gchar *)oid;
	dr->known_size = (guint64)MAX(json_object_get_int_member_with_default(e, "size", 0), 0);
}

static void
snap_pump(GTask *task)
{
	Snap *s = g_task_get_task_data(task);
	guint workers =
		s->req->max_workers > 0 ? MIN(s->req->max_workers, MAX_WORKERS) : DEFAULT_WORKERS;

	while (s->error == NULL && s->next < s->files->len && s->running < workers) {
		HubdDownloadRequest dr = {
			.type = s->req->type,
			.repo_id = s->req->repo_id,
			.revision = s->commit,
			.filename = g_ptr_array_index(s->files, s->next),
			.local_dir = s->req->local_dir,
			.cache_dir = s->req->cache_dir,
			.force = s->req->force,
			.api = s->api,
			.mirror = s->req->mirror,
		};
		snap_known_metadata(s, &dr);
		s->next++;
		s->running++;
		hubd_download_file_async(s->context,
					 &dr,
					 s->job,
					 FALSE,
					 g_task_get_cancellable(task),
					 snap_file_cb,
					 g_object_ref(task));
	}
	if (s->running > 0) {
		g_object_unref(task);
		return;
	}
	if (s->error != NULL)
		g_task_return_error(task, g_steal_pointer(&s->error));
	else
		snap_return(task);
	g_object_unref(task);
}

/* A snapshot that cannot fit fails before its first file is fetched, not
 * after the files that fit (docs/hub-download.md §4.7). */
static gboolean
snap_check_room(Snap *s, GError **error)
{
	guint64 needed = hubd_dry_run_bytes_to_fetch(s->cache,
						     s->req->local_dir,
						     s->req->type,
						     s->req->repo_id,
						     s->listing,
						     s->req->force);
	guint64 avail = 0;
	g_autofree gchar *repo = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *needed_text = NULL;
	g_autofree gchar *avail_text = NULL;

	if (s->req->local_dir != NULL) {
		dir = g_strdup(s->req->local_dir);
	} else {
		repo = hubd_cache_repo_path(s->cache, s->req->type, s->req->repo_id);
		dir = g_build_filename(repo, "blobs", NULL);
	}
	if (needed == 0 || !hubd_cache_free_space(dir, &avail) || needed <= avail)
		return TRUE;
	needed_text = g_format_size(needed);
	avail_text = g_format_size(avail);
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_NO_SPACE,
		    _("Not enough free space in %s: this snapshot needs %s more, %s are free"),
		    dir,
		    needed_text,
		    avail_text);
	return FALSE;
}

static void
snap_ref_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	Snap *s = task_data;
	GError *error = NULL;

	if (!snap_check_room(s, &error)) {
		g_task_return_error(task, error);
		return;
	}
	if (s->req->local_dir != NULL) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (!hubd_cache_ensure_repo(s->cache, s->req->type, s->req->repo_id, &error) ||
	    !hubd_cache_write_ref(s->cache,
				  s->req->type,
				  s->req->repo_id,
				  s->req->revision,
				  s->commit,
				  &error)) {
		hubd_error_convert(&error);
		g_task_return_error(task, error);
		return;
	}
	snap_write_tree(s);
	g_task_return_boolean(task, TRUE);
}

static void
snap_ref_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	Snap *s = g_task_get_task_data(task);
	GError *error = NULL;

	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		g_task_return_error(task, error);
		return;
	}
	/* the room is checked: the entries are not needed any more */
	g_ptr_array_set_size(s->listing, 0);
	if (s->job != NULL) {
		hubd_job_set_totals(s->job, s->bytes_total, s->files->len);
		hubd_job_set_phase(s->job, "downloading");
	}
	snap_pump(g_steal_pointer(&task));
}

/* ---- a dry run: the listing against the cache, nothing written ---- */

static void
snap_dry_run_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	Snap *s = task_data;
	g_autofree gchar *root = snap_root(s);

	s->dry_result = hubd_dry_run_result_for_listing(s->cache,
							s->req->local_dir,
							s->req->type,
							s->req->repo_id,
							root,
							s->commit,
							s->listing,
							s->req->force);
	g_task_return_boolean(task, TRUE);
}

/* ---- the tree listing ---- */

static gint
snap_entry_cmp(gconstpointer a, gconstpointer b)
{
	/* g_ptr_array_sort() hands out pointers to the elements */
	return g_strcmp0((*(HubdHubTreeEntry *const *)a)->path,
			 (*(HubdHubTreeEntry *const *)b)->path);
}

static void
snap_list_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	Snap *s = g_task_get_task_data(task);
	GError *error = NULL;
	/* every path in it is safe: the API refuses a listing with one that is
	 * not, before anything touches the disk */
	g_autoptr(GPtrArray) entries =
		hubd_hub_api_list_tree_finish(HUBD_HUB_API(source), res, &error);

	if (entries == NULL) {
		g_task_return_error(task, error);
		return;
	}
	for (guint i = 0; i < entries->len; i++) {
		HubdHubTreeEntry *entry = g_ptr_array_index(entries, i);

		if (entry->type != HUBD_HUB_ENTRY_FILE)
			continue;
		snap_tree_add(s, entry);
		if (!hubd_snapshot_path_matches((const gchar *const *)s->req->allow_patterns,
						(const gchar *const *)s->req->ignore_patterns,
						entry->path))
			continue;
		g_ptr_array_add(s->files, g_strdup(entry->path));
		s->bytes_total += entry->size;
		g_ptr_array_add(s->listing, hubd_hub_tree_entry_ref(entry));
	}
	if (s->req->dry_run) {
		g_ptr_array_sort(s->listing, snap_entry_cmp);
		hubd_task_run_in_thread(task, snap_dry_run_thread, snap_thread_done_cb);
		return;
	}
	hubd_task_run_in_thread(task, snap_ref_thread, snap_ref_cb);
}

static void
snap_list(GTask *task)
{
	Snap *s = g_task_get_task_data(task);

	hubd_hub_api_list_tree_async(s->api,
				     s->req->type,
				     s->req->repo_id,
				     s->commit,
				     NULL,
				     HUBD_HUB_API_FLAG_RECURSIVE,
				     0,
				     g_task_get_cancellable(task),
				     snap_list_cb,
				     task);
}

/* ---- the commit ---- */

static void
snap_revision_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	Snap *s = g_task_get_task_data(task);
	GError *error = NULL;

	s->commit = hubd_hub_api_revision_commit_finish(HUBD_HUB_API(source), res, &error);
	if (s->commit != NULL) {
		snap_list(task);
		return;
	}
	/* unreachable Hub: what the cache has, as huggingface_hub */
	if (g_error_matches(error, HUBD_ERROR, HUBD_ERROR_NETWORK) ||
	    g_error_matches(error, HUBD_ERROR, HUBD_ERROR_SERVER)) {
		g_debug("%s: %s; trying the cache", s->req->repo_id, error->message);
		s->hub_error = g_steal_pointer(&error);
		hubd_task_run_in_thread(task, snap_offline_thread, snap_thread_done_cb);
		g_object_unref(task);
		return;
	}
	g_task_return_error(task, error);
	g_object_unref(task);
}

static gboolean
snap_is_offline(Snap *s)
{
	return s->req->offline || hubd_hub_api_is_offline(s->api);
}

/* Takes `task`. */
static void
snap_resolve(GTask *task)
{
	Snap *s = g_task_get_task_data(task);

	if (hubd_cache_is_commit_hash(s->req->revision)) {
		s->commit = g_strdup(s->req->revision);
		snap_list(task);
		return;
	}
	hubd_hub_api_revision_commit_async(s->api,
					   s->req->type,
					   s->req->repo_id,
					   s->req->revision,
					   g_task_get_cancellable(task),
					   snap_revision_cb,
					   task);
}

/* a folder the caller named is made ready before anything is sent */
static void
snap_prepare_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	Snap *s = task_data;
	GError *error = NULL;

	if (!hubd_cache_prepare_root(s->cache, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
snap_prepared_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;

	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		g_task_return_error(task, error);
		return;
	}
	snap_resolve(g_steal_pointer(&task));
}

void
hubd_snapshot_async(HubdContext *context,
		    HubdSnapshotRequest *req,
		    HubdJob *job,
		    GCancellable *cancellable,
		    GAsyncReadyCallback callback,
		    gpointer user_data)
{
	GTask *task = g_task_new(NULL, cancellable, callback, user_data);
	Snap *s = g_new0(Snap, 1);

	g_task_set_source_tag(task, hubd_snapshot_async);
	s->context = g_object_ref(context);
	s->api = g_object_ref(req->api != NULL ? req->api : hubd_context_get_hub_api(context));
	s->cache = hubd_cache_for_folder(hubd_context_get_cache(context), req->cache_dir);
	s->job = job != NULL ? g_object_ref(job) : NULL;
	s->req = req;
	if (s->req->revision == NULL)
		s->req->revision = g_strdup("main");
	s->files = g_ptr_array_new_with_free_func(g_free);
	s->listing = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_hub_tree_entry_unref);
	g_task_set_task_data(task, s, (GDestroyNotify)snap_free);
	if (job != NULL)
		hubd_job_set_phase(job, "resolving");
	if (snap_is_offline(s)) {
		hubd_task_run_in_thread(task, snap_offline_thread, snap_thread_done_cb);
		g_object_unref(task);
		return;
	}
	if (req->cache_dir != NULL && !req->dry_run) {
		hubd_task_run_in_thread(task, snap_prepare_thread, snap_prepared_cb);
		g_object_unref(task);
		return;
	}
	snap_resolve(task);
}

GVariant *
hubd_snapshot_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}
