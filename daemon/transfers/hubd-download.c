/* hubd-download.c: one file from the Hub into the cache (or a local_dir),
 * as huggingface_hub's hf_hub_download (docs/hub-download.md §6):
 *
 *   commit hash already in snapshots/ → done, no network;
 *   offline → refs/ + snapshots/ or Offline;
 *   HEAD (relative redirects followed here, absolute ones = CDN: stop);
 *   EntryNotFound with X-Repo-Commit → .no_exist marker;
 *   other failures → fall back to what the cache has;
 *   refs/<revision>; snapshot or blob present → link, done;
 *   else the shared HubdTransfer fetches blobs/<etag>, then link.
 *
 * Disk work runs in worker threads (g_task_run_in_thread). */
#define G_LOG_DOMAIN "HubdDownload"

#include "hubd-download.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "hubd-cache.h"
#include "hubd-context-private.h"
#include "hubd-dry-run.h"
#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"
#include "hubd-hub-etag.h"
#include "hubd-local-dir.h"
#include "hubd-task.h"
#include "hubd-transfer.h"

#define MAX_HOPS             10
#define HEAD_RETRY_TIMEOUT_S 60

typedef struct {
	HubdContext *context;
	HubdHubApi *api; /* the caller's: token_name, library_name in the user agent */
	HubdCache *cache;
	HubdJob *job;
	gboolean set_totals;
	HubdDownloadRequest *req;
	gchar *head_url;
	guint hops;
	gchar *commit;
	gchar *etag;
	gchar *get_url;
	gchar *resolve_url; /* the Hub URL that redirected to get_url */
	guint64 size;
	gchar *path;
	gboolean cached;
	gboolean head_retried;
	gboolean from_blob; /* local_dir: copy the cache's blob */
	GError *error;      /* for the threads that decide on an earlier error */
	HubdTransfer *transfer;
} Dl;

static void
dl_free(Dl *dl)
{
	g_object_unref(dl->context);
	g_clear_object(&dl->api);
	g_clear_object(&dl->cache);
	g_clear_object(&dl->job);
	g_clear_object(&dl->transfer);
	hubd_download_request_free(dl->req);
	g_free(dl->head_url);
	g_free(dl->commit);
	g_free(dl->etag);
	g_free(dl->get_url);
	g_free(dl->resolve_url);
	g_free(dl->path);
	g_clear_error(&dl->error);
	g_free(dl);
}

static GVariant *
dl_result(Dl *dl)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "path", g_variant_new_string(dl->path));
	g_variant_builder_add(&b, "{sv}", "commit", g_variant_new_string(dl->commit ?: ""));
	g_variant_builder_add(&b, "{sv}", "etag", g_variant_new_string(dl->etag ?: ""));
	g_variant_builder_add(&b, "{sv}", "size", g_variant_new_uint64(dl->size));
	g_variant_builder_add(&b, "{sv}", "cached", g_variant_new_boolean(dl->cached));
	return g_variant_ref_sink(g_variant_builder_end(&b));
}

static void
dl_return_done(GTask *task)
{
	Dl *dl = g_task_get_task_data(task);

	if (dl->req->dry_run) {
		g_autoptr(GPtrArray) entries = g_ptr_array_new();

		g_ptr_array_add(entries,
				hubd_dry_run_entry(dl->req->filename,
						   dl->size,
						   dl->path,
						   dl->cached,
						   dl->req->force));
		g_task_return_pointer(task,
				      hubd_dry_run_result(dl->path, dl->commit, entries),
				      (GDestroyNotify)g_variant_unref);
		return;
	}
	if (dl->job != NULL) {
		if (dl->set_totals)
			hubd_job_set_totals(dl->job, dl->size, 1);
		if (dl->cached)
			hubd_job_add_bytes(dl->job, (gint64)dl->size);
		hubd_job_add_files(dl->job, 1);
	}
	g_task_return_pointer(task, dl_result(dl), (GDestroyNotify)g_variant_unref);
}

/* An existing file answers: its path (taken) and size, cached. FALSE (and
 * `path` freed) when it is not there. */
static gboolean
dl_take_file(Dl *dl, gchar *path)
{
	struct stat st;

	if (g_stat(path, &st) != 0) {
		g_free(path);
		return FALSE;
	}
	dl->size = (guint64)st.st_size;
	g_free(dl->path);
	dl->path = path;
	dl->cached = TRUE;
	return TRUE;
}

/* Fills path, etag and size from an existing snapshot entry. */
static gboolean
dl_take_snapshot_entry(Dl *dl, gchar *snap)
{
	g_autofree gchar *target = NULL;

	if (!dl_take_file(dl, snap))
		return FALSE;
	target = g_file_read_link(dl->path, NULL);
	if (target != NULL && dl->etag == NULL)
		dl->etag = g_path_get_basename(target);
	return TRUE;
}

static gboolean
dl_take_local_file(Dl *dl)
{
	g_autofree gchar *commit = NULL;

	if (!hubd_local_dir_is_current(dl->req->local_dir, dl->req->filename, dl->etag, &commit) ||
	    !dl_take_file(dl, hubd_local_dir_file_path(dl->req->local_dir, dl->req->filename)))
		return FALSE;
	if (dl->commit == NULL)
		dl->commit = g_steal_pointer(&commit);
	return TRUE;
}

/* What the cache alone can answer: TRUE when done (or failed). */
static gboolean
dl_from_cache(Dl *dl)
{
	g_autofree gchar *commit = NULL;

	if (dl->req->local_dir != NULL)
		return dl_take_local_file(dl);
	commit = hubd_cache_resolve_revision(dl->cache,
					     dl->req->type,
					     dl->req->repo_id,
					     dl->req->revision);
	if (commit == NULL)
		return FALSE;
	if (!dl_take_snapshot_entry(dl,
				    hubd_cache_snapshot_path(dl->cache,
							     dl->req->type,
							     dl->req->repo_id,
							     commit,
							     dl->req->filename)))
		return FALSE;
	g_free(dl->commit);
	dl->commit = g_steal_pointer(&commit);
	return TRUE;
}

/* ---- step 4: the blob is in the cache: link it (or copy to local_dir) ---- */

static void
dl_install_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	Dl *dl = task_data;
	GError *error = NULL;

	if (dl->req->local_dir != NULL) {
		/* a blob the cache had is copied; a download is in place already */
		g_autofree gchar *blob = dl->from_blob ? hubd_cache_blob_path(dl->cache,
									      dl->req->type,
									      dl->req->repo_id,
									      dl->etag)
						       : NULL;
		if (!hubd_local_dir_install(dl->req->local_dir,
					    dl->req->filename,
					    blob,
					    dl->commit,
					    dl->etag,
					    c,
					    &error)) {
			hubd_error_convert(&error);
			g_task_return_error(task, error);
			return;
		}
		dl->path = hubd_local_dir_file_path(dl->req->local_dir, dl->req->filename);
	} else {
		if (!hubd_cache_link_snapshot(dl->cache,
					      dl->req->type,
					      dl->req->repo_id,
					      dl->commit,
					      dl->req->filename,
					      dl->etag,
					      &error)) {
			hubd_error_convert(&error);
			g_task_return_error(task, error);
			return;
		}
		dl->path = hubd_cache_snapshot_path(dl->cache,
						    dl->req->type,
						    dl->req->repo_id,
						    dl->commit,
						    dl->req->filename);
	}
	g_task_return_int(task, 1);
}

static void
dl_prepared_cb(GObject *source, GAsyncResult *res, gpointer user_data);

static void
dl_head(GTask *task);

static void
dl_transfer_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	Dl *dl = g_task_get_task_data(task);
	GError *error = NULL;
	gboolean fetched = FALSE;

	if (dl->job != NULL)
		hubd_job_file_end(dl->job, dl->req->filename);
	if (!hubd_transfer_wait_finish(HUBD_TRANSFER(source), res, &fetched, &error)) {
		g_task_return_error(task, error);
		return;
	}
	dl->cached = !fetched;
	hubd_task_run_in_thread(task, dl_install_thread, dl_prepared_cb);
}

static void
dl_start_transfer(GTask *task)
{
	Dl *dl = g_task_get_task_data(task);
	HubdTransferSpec spec = {
		.type = dl->req->type,
		.repo_id = dl->req->repo_id,
		.etag = dl->etag,
		.size = dl->size,
		.url = dl->get_url,
		.filename = dl->req->filename,
		.force = dl->req->force,
		.local_dir = dl->req->local_dir,
		.retry_base_ms = hubd_download_retry_base_ms(dl->context),
		.direct_min_size = hubd_download_direct_min_size(dl->context),
		.mirror = dl->req->mirror,
		.parallel_min_size = hubd_download_parallel_min_size(dl->context),
		.connections = hubd_download_connections_per_file(dl->context),
		.one_stream_rate = hubd_download_one_stream_rate(dl->context),
		.resolve_url = dl->resolve_url,
		.mirror_fill = dl->req->mirror != NULL &&
			       hubd_config_get_boolean(hubd_context_get_config(dl->context),
						       "storage",
						       "mirror-fill",
						       FALSE),
	};

	if (dl->job != NULL && dl->set_totals)
		hubd_job_set_phase(dl->job, "downloading");
	dl->transfer = hubd_transfer_lookup_or_new(dl->api, dl->cache, &spec);
	/* before the wait: a late joiner is told the bytes already there at once */
	if (dl->job != NULL)
		hubd_job_file_begin(dl->job, dl->req->filename, dl->size);
	hubd_transfer_wait_async(dl->transfer,
				 dl->job,
				 dl->req->filename,
				 g_task_get_cancellable(task),
				 dl_transfer_cb,
				 g_object_ref(task));
}

/* ---- step 3 of a dry run: is it there already; nothing written ---- */

static void
dl_dry_run_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	Dl *dl = task_data;

	dl->cached = hubd_dry_run_is_cached(dl->cache,
					    dl->req->local_dir,
					    dl->req->type,
					    dl->req->repo_id,
					    dl->req->filename,
					    dl->etag,
					    dl->size);
	dl->path = dl->req->local_dir != NULL
			   ? hubd_local_dir_file_path(dl->req->local_dir, dl->req->filename)
			   : hubd_cache_snapshot_path(dl->cache,
						      dl->req->type,
						      dl->req->repo_id,
						      dl->commit,
						      dl->req->filename);
	g_task_return_int(task, 1);
}

/* ---- step 3: known metadata: refs, and maybe the cache already has it ---- */

static void
dl_prepare_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	Dl *dl = task_data;
	GError *error = NULL;
	g_autofree gchar *blob = NULL;

	/* local_dir mode leaves the cache alone, as huggingface_hub */
	if (dl->req->local_dir == NULL &&
	    (!hubd_cache_ensure_repo(dl->cache, dl->req->type, dl->req->repo_id, &error) ||
	     !hubd_cache_write_ref(dl->cache,
				   dl->req->type,
				   dl->req->repo_id,
				   dl->req->revision,
				   dl->commit,
				   &error))) {
		hubd_error_convert(&error);
		g_task_return_error(task, error);
		return;
	}
	if (dl->req->force) {
		g_task_return_int(task, 0);
		return;
	}
	if (dl->req->local_dir != NULL) {
		if (dl_take_local_file(dl)) {
			g_task_return_int(task, 1);
			return;
		}
	} else if (dl_take_snapshot_entry(dl,
					  hubd_cache_snapshot_path(dl->cache,
								   dl->req->type,
								   dl->req->repo_id,
								   dl->commit,
								   dl->req->filename))) {
		g_task_return_int(task, 1);
		return;
	}
	blob = hubd_cache_blob_path(dl->cache, dl->req->type, dl->req->repo_id, dl->etag);
	g_task_return_int(task, g_file_test(blob, G_FILE_TEST_EXISTS) ? 2 : 0);
}

static void
dl_prepared_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	Dl *dl = g_task_get_task_data(task);
	GError *error = NULL;
	gssize r = g_task_propagate_int(G_TASK(res), &error);

	if (error != NULL) {
		g_task_return_error(task, error);
		return;
	}
	if (r == 1) {
		dl_return_done(task);
		return;
	}
	if (r == 2) {
		dl->cached = TRUE;
		dl->from_blob = TRUE;
		hubd_task_run_in_thread(task, dl_install_thread, dl_prepared_cb);
		return;
	}
	if (r == 3) {
		dl->head_retried = TRUE;
		dl_head(g_steal_pointer(&task));
		return;
	}
	dl_start_transfer(task);
}

/* ---- step 2b: the HEAD failed: .no_exist, or fall back to the cache ---- */

static void
dl_head_failed_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	Dl *dl = task_data;

	if (g_error_matches(dl->error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND)) {
		if (dl->commit != NULL && dl->req->local_dir == NULL && !dl->req->dry_run &&
		    hubd_cache_ensure_repo(dl->cache, dl->req->type, dl->req->repo_id, NULL)) {
			hubd_cache_mark_no_exist(dl->cache,
						 dl->req->type,
						 dl->req->repo_id,
						 dl->commit,
						 dl->req->filename,
						 NULL);
			hubd_cache_write_ref(dl->cache,
					     dl->req->type,
					     dl->req->repo_id,
					     dl->req->revision,
					     dl->commit,
					     NULL);
		}
		g_task_return_error(task, g_steal_pointer(&dl->error));
		return;
	}
	if (!g_error_matches(dl->error, HUBD_ERROR, HUBD_ERROR_REVISION_NOT_FOUND) &&
	    !g_error_matches(dl->error, HUBD_ERROR, HUBD_ERROR_CANCELLED) && dl_from_cache(dl)) {
		g_debug("%s: serving the cached copy (%s)", dl->req->filename, dl->error->message);
		g_task_return_int(task, 1);
		return;
	}
	/* nothing cached: now the HEAD may take its retries (docs/hub-download.md §2.5) */
	if (!dl->head_retried &&
	    (g_error_matches(dl->error, HUBD_ERROR, HUBD_ERROR_NETWORK) ||
	     g_error_matches(dl->error, HUBD_ERROR, HUBD_ERROR_SERVER) ||
	     g_error_matches(dl->error, HUBD_ERROR, HUBD_ERROR_RATE_LIMITED))) {
		g_debug("%s: %s; retrying the HEAD", dl->req->filename, dl->error->message);
		g_clear_error(&dl->error);
		g_task_return_int(task, 3);
		return;
	}
	g_task_return_error(task, g_steal_pointer(&dl->error));
}

static void
dl_head_failed(GTask *task, GError *error)
{
	Dl *dl = g_task_get_task_data(task);

	dl->error = error;
	hubd_task_run_in_thread(task, dl_head_failed_thread, dl_prepared_cb);
}

/* ---- step 2: the metadata HEAD ---- */

static void
dl_head_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	Dl *dl = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);
	SoupMessageHeaders *h;
	const gchar *location;
	const gchar *v;
	guint status;
	gboolean redirect;

	if (resp == NULL) {
		dl_head_failed(task, error);
		return;
	}
	status = hubd_hub_response_get_status(resp);
	h = hubd_hub_response_get_headers(resp);
	location = soup_message_headers_get_one(h, "Location");
	redirect = status >= 300 && status < 400 && location != NULL;
	if (redirect && location[0] == '/' && location[1] != '/') {
		/* relative: same host, the Location's path, our query (docs/hub-download.md §2.2)
		 */
		GUri *uri = hubd_hub_response_get_uri(resp);
		g_autofree gchar *path = g_strdup(location);
		gchar *q = strchr(path, '?');
		if (q != NULL)
			*q = '\0';
		if (++dl->hops > MAX_HOPS) {
			dl_head_failed(task,
				       g_error_new(HUBD_ERROR,
						   HUBD_ERROR_SERVER,
						   _("Too many redirects for “%s”"),
						   dl->req->filename));
			return;
		}
		g_free(dl->head_url);
		dl->head_url = g_uri_join(G_URI_FLAGS_ENCODED,
					  g_uri_get_scheme(uri),
					  NULL,
					  g_uri_get_host(uri),
					  g_uri_get_port(uri),
					  path,
					  g_uri_get_query(uri),
					  NULL);
		dl_head(g_steal_pointer(&task));
		return;
	}
	/* X-Repo-Commit also comes with EntryNotFound: keep it for .no_exist */
	v = soup_message_headers_get_one(h, "X-Repo-Commit");
	if (v != NULL && hubd_cache_is_commit_hash(v))
		dl->commit = g_strdup(v);
	if (status >= 400) {
		if (!hubd_hub_client_error_from_response(status,
							 h,
							 NULL,
							 hubd_hub_response_get_uri(resp),
							 &error))
			error = g_error_new(HUBD_ERROR, HUBD_ERROR_SERVER, "HTTP %u", status);
		if (g_error_matches(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND)) {
			g_clear_error(&error);
			error = g_error_new(HUBD_ERROR,
					    HUBD_ERROR_ENTRY_NOT_FOUND,
					    _("“%s” is not in %s at revision %s"),
					    dl->req->filename,
					    dl->req->repo_id,
					    dl->req->revision);
		}
		dl_head_failed(task, error);
		return;
	}
	if (dl->commit == NULL) {
		dl_head_failed(
			task,
			g_error_new(HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The answer for “%s” has no valid X-Repo-Commit: %s does "
				      "not look like a Hugging Face Hub"),
				    dl->req->filename,
				    hubd_hub_api_get_endpoint(dl->api)));
		return;
	}
	dl->etag = hubd_hub_etag_from_headers(h);
	v = soup_message_headers_get_one(h, "X-Linked-Size");
	if (v == NULL && !redirect)
		v = soup_message_headers_get_one(h, "Content-Length");
	if (dl->etag == NULL || v == NULL ||
	    !g_ascii_string_to_unsigned(v, 10, 0, G_MAXINT64, &dl->size, NULL)) {
		dl_head_failed(
			task,
			g_error_new(HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The Hub's answer for “%s” lacks a usable ETag or size"),
				    dl->req->filename));
		return;
	}
	if (redirect) {
		dl->get_url = g_strdup(location); /* the CDN: no token goes there */
		/* by commit: a new CDN link for these very bytes */
		dl->resolve_url = hubd_hub_api_file_url(dl->api,
							dl->req->type,
							dl->req->repo_id,
							dl->commit,
							dl->req->filename);
	} else if (dl->hops == 0)
		/* by commit, so a branch moving between HEAD and GET cannot mix */
		dl->get_url = hubd_hub_api_file_url(dl->api,
						    dl->req->type,
						    dl->req->repo_id,
						    dl->commit,
						    dl->req->filename);
	else
		dl->get_url = g_uri_to_string(hubd_hub_response_get_uri(resp));
	if (dl->job != NULL && dl->set_totals)
		hubd_job_set_totals(dl->job, dl->size, 1);
	hubd_task_run_in_thread(task,
				dl->req->dry_run ? dl_dry_run_thread : dl_prepare_thread,
				dl_prepared_cb);
}

static void
dl_head(GTask *task)
{
	Dl *dl = g_task_get_task_data(task);
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("HEAD", dl->head_url);
	guint etag_timeout = hubd_hub_client_get_etag_timeout(hubd_hub_api_get_client(dl->api));

	/* first without retries, so a cached copy is served at once when the
	 * Hub is down; after a cache miss with retries and a longer timeout, as
	 * huggingface_hub (docs/hub-download.md §2.5) */
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_NO_REDIRECT |
					   HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR |
					   (dl->head_retried ? 0 : HUBD_HUB_REQUEST_FLAG_NO_RETRY));
	hubd_hub_request_set_header(req, "Accept-Encoding", "identity");
	hubd_hub_request_set_timeout(req,
				     dl->head_retried ? MAX(HEAD_RETRY_TIMEOUT_S, etag_timeout)
						      : etag_timeout);
	hubd_hub_api_request_async(dl->api, req, g_task_get_cancellable(task), dl_head_cb, task);
}

/* ---- step 2, skipped: what the tree listing of this commit told ---- */

/* A regular file of a commit whose listing gave its blob id and size (a
 * snapshot): the HEAD would answer the same, so go straight to step 3 and
 * fetch it by commit. huggingface_hub sends the HEAD anyway; on a 10,000-file
 * snapshot that is 10,000 requests more against the "resolvers" rate limit.
 * LFS files keep the HEAD: it gives the CDN link that every connection of a
 * parallel download uses. */
static gboolean
dl_known_metadata(GTask *task)
{
	Dl *dl = g_task_get_task_data(task);
	/* it names the blob on disk: hex only, as any ETag the Hub sends */
	g_autofree gchar *etag = hubd_hub_etag_normalize(dl->req->known_etag);

	if (etag == NULL || !hubd_cache_is_commit_hash(dl->req->revision))
		return FALSE;
	dl->commit = g_strdup(dl->req->revision);
	dl->etag = g_steal_pointer(&etag);
	dl->size = dl->req->known_size;
	dl->get_url = hubd_hub_api_file_url(dl->api,
					    dl->req->type,
					    dl->req->repo_id,
					    dl->commit,
					    dl->req->filename);
	if (dl->job != NULL && dl->set_totals)
		hubd_job_set_totals(dl->job, dl->size, 1);
	hubd_task_run_in_thread(task,
				dl->req->dry_run ? dl_dry_run_thread : dl_prepare_thread,
				dl_prepared_cb);
	return TRUE;
}

/* ---- step 1: what the cache answers without the network ---- */

static void
dl_lookup_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	Dl *dl = task_data;
	gboolean offline = dl->req->offline || hubd_hub_api_is_offline(dl->api);
	GError *error = NULL;

	/* a folder the caller named is made ready before anything is sent or
	 * written; a dry run or an offline read writes nothing */
	if (dl->req->cache_dir != NULL && !dl->req->dry_run && !offline &&
	    !hubd_cache_prepare_root(dl->cache, &error)) {
		g_task_return_error(task, error);
		return;
	}
	if (dl->req->local_dir == NULL && !dl->req->force &&
	    hubd_cache_is_commit_hash(dl->req->revision) &&
	    dl_take_snapshot_entry(dl,
				   hubd_cache_snapshot_path(dl->cache,
							    dl->req->type,
							    dl->req->repo_id,
							    dl->req->revision,
							    dl->req->filename))) {
		dl->commit = g_strdup(dl->req->revision);
		g_task_return_int(task, 1);
		return;
	}
	if (dl->req->local_dir != NULL && !dl->req->force &&
	    hubd_cache_is_commit_hash(dl->req->revision)) {
		/* local_dir: metadata of this very commit needs no HEAD (docs/hub-download.md §8.4)
		 */
		g_autofree gchar *recorded = NULL;
		if (hubd_local_dir_is_current(dl->req->local_dir,
					      dl->req->filename,
					      NULL,
					      &recorded) &&
		    g_strcmp0(recorded, dl->req->revision) == 0 && dl_take_local_file(dl)) {
			g_task_return_int(task, 1);
			return;
		}
	}
	if (!offline) {
		g_task_return_int(task, 0);
		return;
	}
	if (dl_from_cache(dl)) {
		g_task_return_int(task, 1);
		return;
	}
	g_task_return_new_error(task,
				HUBD_ERROR,
				HUBD_ERROR_OFFLINE,
				_("“%s” of %s at revision %s is not in the cache, and offline mode "
				  "is on (HF_HUB_OFFLINE or the offline option)"),
				dl->req->filename,
				dl->req->repo_id,
				dl->req->revision);
}

static void
dl_looked_up_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	gssize r = g_task_propagate_int(G_TASK(res), &error);

	if (error != NULL) {
		g_task_return_error(task, error);
		return;
	}
	if (r == 1) {
		dl_return_done(task);
		return;
	}
	if (dl_known_metadata(task))
		return;
	dl_head(g_steal_pointer(&task));
}

void
hubd_download_file_async(HubdContext *context,
			 const HubdDownloadRequest *req,
			 HubdJob *job,
			 gboolean set_totals,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
	Dl *dl = g_new0(Dl, 1);

	g_task_set_source_tag(task, hubd_download_file_async);
	dl->context = g_object_ref(context);
	dl->api = g_object_ref(req->api != NULL ? req->api : hubd_context_get_hub_api(context));
	dl->cache = hubd_cache_for_folder(hubd_context_get_cache(context), req->cache_dir);
	dl->job = job != NULL ? g_object_ref(job) : NULL;
	dl->set_totals = set_totals;
	dl->req = hubd_download_request_copy(req);
	dl->head_url = hubd_hub_api_file_url(dl->api,
					     req->type,
					     req->repo_id,
					     dl->req->revision,
					     req->filename);
	g_task_set_task_data(task, dl, (GDestroyNotify)dl_free);
	if (job != NULL && set_totals)
		hubd_job_set_phase(job, "resolving");
	hubd_task_run_in_thread(task, dl_lookup_thread, dl_looked_up_cb);
}

GVariant *
hubd_download_file_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}
