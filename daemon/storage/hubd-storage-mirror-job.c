/* hubd-storage-mirror-job.c: Storage.Mirror — the revision is first in the shared cache (the
 * snapshot code downloads what is missing), then each blob the backend lacks is streamed from
 * the cache into PREFIX/{type}s/{ns}/{name}/blobs/{etag}, then the commit's tree, then the
 * branch's ref: a ref never names a commit whose files are missing (docs/storage.md) */
#define G_LOG_DOMAIN "HubdStorageMirror"

#include "hubd-storage-mirror-job.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "hubd-context-private.h"
#include "hubd-dbus-generated.h"
#include "hubd-error.h"
#include "hubd-job.h"
#include "hubd-repo-id.h"
#include "hubd-snapshot.h"
#include "hubd-storage-mirror.h"
#include "hubd-storage.h"

static const HubdServiceOption mirror_options[] = {
	{"prefix", "s"},
	{NULL, NULL},
};

typedef struct {
	gchar *path; /* in the repo */
	gchar *etag;
	gchar *blob; /* the cache's file */
	guint64 size;
} Entry;

typedef struct {
	HubdService *service;
	HubdJob *job;
	HubdStorage *storage;
	gchar *type; /* "model", … */
	gchar *repo_id;
	gchar *revision;
	gchar *prefix; /* "" or "PREFIX/" */
	gchar *commit;
	gchar *root; /* the snapshot folder */
	GStrv files;
	GPtrArray *entries;    /* Entry */
	guint next;            /* the next entry to start */
	guint running;         /* blob copies in flight */
	GHashTable *in_flight; /* their etags: one copy per blob at a time */
	GPtrArray *put_keys;   /* the blobs this run put: removed if it fails */
	GError *error;         /* the failure, while the cleanup runs */
	guint uploaded;
	guint skipped;
	guint64 bytes_uploaded;
} Mirror;

static void
entry_free(gpointer data)
{
	Entry *e = data;

	g_free(e->path);
	g_free(e->etag);
	g_free(e->blob);
	g_free(e);
}

static void
mirror_free(Mirror *m)
{
	hubd_context_release(hubd_service_get_context(m->service));
	g_object_unref(m->service);
	g_object_unref(m->job);
	g_clear_object(&m->storage);
	g_free(m->type);
	g_free(m->repo_id);
	g_free(m->revision);
	g_free(m->prefix);
	g_free(m->commit);
	g_free(m->root);
	g_strfreev(m->files);
	g_clear_pointer(&m->entries, g_ptr_array_unref);
	g_clear_pointer(&m->in_flight, g_hash_table_unref);
	g_ptr_array_unref(m->put_keys);
	g_clear_error(&m->error);
	g_free(m);
}

static void
cleanup_next(Mirror *m);

static void
cleanup_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Mirror *m = user_data;
	g_autoptr(GError) error = NULL;

	/* the run's own failure is what the job reports */
	if (!hubd_storage_delete_many_finish(HUBD_STORAGE(source), res, &error))
		g_warning("mirror of %s: cannot remove the blobs it put: %s",
			  m->repo_id,
			  error->message);
	cleanup_next(m);
}

/* one DeleteObjects per batch of what this run put, then the job fails */
static void
cleanup_next(Mirror *m)
{
	g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func(g_free);

	while (m->put_keys->len > 0 && batch->len < HUBD_STORAGE_MAX_LIST_KEYS)
		g_ptr_array_add(batch, g_ptr_array_steal_index_fast(m->put_keys, 0));
	if (batch->len == 0) {
		hubd_job_fail(m->job, g_steal_pointer(&m->error));
		mirror_free(m);
		return;
	}
	g_ptr_array_add(batch, NULL);
	/* not the job's cancellable: a cancelled run cleans up too */
	hubd_storage_delete_many_async(m->storage,
				       (const gchar *const *)batch->pdata,
				       NULL,
				       cleanup_cb,
				       m);
}

/* A failed run removes the blobs it put (they are whole, but no tree names
 * them yet), so that it leaves the backend as it found it. */
static void
mirror_fail(Mirror *m, GError *error)
{
	m->error = error;
	cleanup_next(m);
}

static GCancellable *
mirror_cancellable(Mirror *m)
{
	return hubd_job_get_cancellable(m->job);
}

/* the key of `rest` ("blobs/…", "refs/main") under the repo's folder */
static gchar *
repo_key(Mirror *m, const gchar *rest)
{
	/* the blob key names the repo's folder; its checks hold for all */
	g_autofree gchar *blob =
		hubd_storage_mirror_blob_key(m->type,
					     m->repo_id,
					     "0000000000000000000000000000000000000000",
					     NULL);
	g_autofree gchar *folder = g_strndup(blob, strlen(blob) - strlen("blobs/") - 40);

	return g_strconcat(m->prefix, folder, rest, NULL);
}

/* ---- the end: the ref ---- */

static void
mirror_complete(Mirror *m)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "commit", g_variant_new_string(m->commit));
	g_variant_builder_add(&b, "{sv}", "files", g_variant_new_uint32(m->entries->len));
	g_variant_builder_add(&b, "{sv}", "uploaded", g_variant_new_uint32(m->uploaded));
	g_variant_builder_add(&b, "{sv}", "skipped", g_variant_new_uint32(m->skipped));
	g_variant_builder_add(&b,
			      "{sv}",
			      "bytes_uploaded",
			      g_variant_new_uint64(m->bytes_uploaded));
	g_variant_builder_add(&b, "{sv}", "prefix", g_variant_new_string(m->prefix));
	hubd_job_complete(m->job, g_variant_builder_end(&b));
	mirror_free(m);
}

static void
ref_put_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Mirror *m = user_data;
	GError *error = NULL;
	g_autoptr(HubdStorageObject) object =
		hubd_storage_put_finish(HUBD_STORAGE(source), res, &error);

	if (object == NULL) {
		mirror_fail(m, error);
		return;
	}
	mirror_complete(m);
}

static void
tree_put_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Mirror *m = user_data;
	GError *error = NULL;
	g_autoptr(HubdStorageObject) object =
		hubd_storage_put_finish(HUBD_STORAGE(source), res, &error);
	g_autofree gchar *rest = NULL;
	g_autofree gchar *key = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GBytes) commit = NULL;

	if (object == NULL) {
		mirror_fail(m, error);
		return;
	}
	/* a commit id asked for has no branch to point */
	if (g_strcmp0(m->revision, m->commit) == 0) {
		mirror_complete(m);
		return;
	}
	rest = g_strconcat("refs/", m->revision, NULL);
	key = repo_key(m, rest);
	commit = g_bytes_new(m->commit, 40);
	stream = g_memory_input_stream_new_from_bytes(commit);
	hubd_storage_put_async(m->storage, key, stream, 40, mirror_cancellable(m), ref_put_cb, m);
}

/* trees/{commit}.json: {"commit": ID, "files": [{"path", "etag", "size"}…]} */
static void
put_tree(Mirror *m)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *rest = g_strdup_printf("trees/%s.json", m->commit);
	g_autofree gchar *key = repo_key(m, rest);
	g_autoptr(GBytes) text = NULL;
	g_autoptr(GInputStream) stream = NULL;
	gsize len = 0;
	gchar *data;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "commit");
	json_builder_add_string_value(b, m->commit);
	json_builder_set_member_name(b, "files");
	json_builder_begin_array(b);
	for (guint i = 0; i < m->entries->len; i++) {
		Entry *e = g_ptr_array_index(m->entries, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "path");
		json_builder_add_string_value(b, e->path);
		json_builder_set_member_name(b, "etag");
		json_builder_add_string_value(b, e->etag);
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, (gint64)e->size);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	data = json_generator_to_data(gen, &len);
	text = g_bytes_new_take(data, len);
	stream = g_memory_input_stream_new_from_bytes(text);
	hubd_job_set_phase(m->job, "tree");
	hubd_storage_put_async(m->storage,
			       key,
			       stream,
			       (gint64)len,
			       mirror_cancellable(m),
			       tree_put_cb,
			       m);
}

/* ---- the blobs, one after another (a big one goes up in parallel parts) ---- */

/* Blob copies run up to MIRROR_PARALLEL at once (each a head, then maybe a
 * put); the first failure stops new ones, and the cleanup waits for the
 * others to end. */
#define MIRROR_PARALLEL 4

typedef struct {
	Mirror *m;
	Entry *e;
} BlobCopy;

static void
mirror_pump(Mirror *m);

/* one copy ended: `error` (taken) its failure, or NULL */
static void
blob_done(BlobCopy *c, GError *error)
{
	Mirror *m = c->m;

	g_hash_table_remove(m->in_flight, c->e->etag);
	g_free(c);
	m->running--;
	if (error != NULL) {
		if (m->error == NULL)
			m->error = error;
		else
			g_error_free(error);
	}
	mirror_pump(m);
}

static void
blob_counted(BlobCopy *c)
{
	hubd_job_add_bytes(c->m->job, (gint64)c->e->size);
	hubd_job_add_files(c->m->job, 1);
}

static void
blob_put_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	BlobCopy *c = user_data;
	GError *error = NULL;
	g_autoptr(HubdStorageObject) object =
		hubd_storage_put_finish(HUBD_STORAGE(source), res, &error);

	if (object != NULL) {
		g_ptr_array_add(c->m->put_keys, g_strdup(hubd_storage_object_get_key(object)));
		c->m->uploaded++;
		c->m->bytes_uploaded += c->e->size;
		blob_counted(c);
	}
	blob_done(c, error);
}

static void
blob_opened_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	BlobCopy *c = user_data;
	GError *error = NULL;
	g_autoptr(GFileInputStream) stream = g_file_read_finish(G_FILE(source), res, &error);
	g_autofree gchar *rest = NULL;
	g_autofree gchar *key = NULL;

	if (stream == NULL) {
		blob_done(c, error);
		return;
	}
	rest = g_strconcat("blobs/", c->e->etag, NULL);
	key = repo_key(c->m, rest);
	hubd_storage_put_async(c->m->storage,
			       key,
			       G_INPUT_STREAM(stream),
			       (gint64)c->e->size,
			       mirror_cancellable(c->m),
			       blob_put_cb,
			       c);
}

static void
blob_head_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	BlobCopy *c = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdStorageObject) object =
		hubd_storage_head_finish(HUBD_STORAGE(source), res, &error);
	g_autoptr(GFile) file = NULL;

	if (object == NULL && !g_error_matches(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND)) {
		blob_done(c, g_steal_pointer(&error));
		return;
	}
	/* the key names the content: a blob of the right size is that blob */
	if (object != NULL && hubd_storage_object_get_size(object) == c->e->size) {
		c->m->skipped++;
		blob_counted(c);
		blob_done(c, NULL);
		return;
	}
	file = g_file_new_for_path(c->e->blob);
	g_file_read_async(file, G_PRIORITY_DEFAULT, mirror_cancellable(c->m), blob_opened_cb, c);
}

/* starts copies while there is room, in order; an entry whose blob is being
 * copied already waits for that copy (which it then skips) */
static void
mirror_pump(Mirror *m)
{
	while (m->error == NULL && m->running < MIRROR_PARALLEL && m->next < m->entries->len) {
		Entry *e = g_ptr_array_index(m->entries, m->next);
		BlobCopy *c;
		g_autofree gchar *rest = NULL;
		g_autofree gchar *key = NULL;

		if (g_hash_table_contains(m->in_flight, e->etag))
			break;
		m->next++;
		m->running++;
		g_hash_table_add(m->in_flight, e->etag);
		c = g_new0(BlobCopy, 1);
		c->m = m;
		c->e = e;
		rest = g_strconcat("blobs/", e->etag, NULL);
		key = repo_key(m, rest);
		hubd_storage_head_async(m->storage, key, mirror_cancellable(m), blob_head_cb, c);
	}
	if (m->running > 0)
		return;
	if (m->error != NULL)
		cleanup_next(m);
	else if (m->next == m->entries->len)
		put_tree(m);
}

/* ---- what the snapshot holds: each path's blob, found off the main loop ---- */

static void
entries_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	Mirror *m = task_data;
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(entry_free);

	for (guint i = 0; m->files[i] != NULL; i++) {
		g_autofree gchar *link = g_build_filename(m->root, m->files[i], NULL);
		g_autofree gchar *dir = g_path_get_dirname(link);
		g_autofree gchar *target = g_file_read_link(link, NULL);
		g_autofree gchar *real = NULL;
		GStatBuf st;
		Entry *e;

		/* the cache's symlink: ../../blobs/{etag} */
		if (target == NULL || g_stat(link, &st) != 0) {
			g_task_return_new_error(
				task,
				HUBD_ERROR,
				HUBD_ERROR_FAILED,
				_("“%s” of the snapshot in %s is not a link to a blob "
				  "of the cache"),
				m->files[i],
				m->root);
			return;
		}
		real = g_path_is_absolute(target) ? g_strdup(target)
						  : g_build_filename(dir, target, NULL);
		e = g_new0(Entry, 1);
		e->path = g_strdup(m->files[i]);
		e->etag = g_path_get_basename(target);
		e->blob = g_canonicalize_filename(real, NULL);
		e->size = (guint64)st.st_size;
		g_ptr_array_add(entries, e);
	}
	g_task_return_pointer(task, g_steal_pointer(&entries), (GDestroyNotify)g_ptr_array_unref);
}

static void
entries_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Mirror *m = user_data;
	GError *error = NULL;
	guint64 total = 0;

	m->entries = g_task_propagate_pointer(G_TASK(res), &error);
	if (m->entries == NULL) {
		mirror_fail(m, error);
		return;
	}
	for (guint i = 0; i < m->entries->len; i++)
		total += ((Entry *)g_ptr_array_index(m->entries, i))->size;
	/* the job's progress goes on from where the snapshot left it: its
	 * bytes and files (all done), then the same again into the backend */
	hubd_job_set_phase(m->job, "upload");
	hubd_job_set_totals(m->job, hubd_job_get_bytes_done(m->job) + total, m->entries->len * 2);
	mirror_pump(m);
}

static void
snapshot_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Mirror *m = user_data;
	GError *error = NULL;
	g_autoptr(GVariant) result = hubd_snapshot_finish(res, &error);
	g_autoptr(GTask) task = NULL;

	if (result == NULL) {
		mirror_fail(m, error);
		return;
	}
	g_variant_lookup(result, "commit", "s", &m->commit);
	g_variant_lookup(result, "path", "s", &m->root);
	g_variant_lookup(result, "files", "^as", &m->files);
	if (m->commit == NULL || m->root == NULL || m->files == NULL) {
		mirror_fail(m,
			    g_error_new_literal(HUBD_ERROR,
						HUBD_ERROR_FAILED,
						_("The snapshot gave no commit, folder or files")));
		return;
	}
	task = g_task_new(m->service, mirror_cancellable(m), entries_cb, m);
	g_task_set_task_data(task, m, NULL);
	g_task_run_in_thread(task, entries_thread);
}

/* "" or "PREFIX/", checked as a key prefix */
static gchar *
normalize_prefix(const gchar *prefix, GError **error)
{
	gsize len = prefix != NULL ? strlen(prefix) : 0;
	gchar *p;

	while (len > 0 && prefix[len - 1] == '/')
		len--;
	if (len == 0)
		return g_strdup("");
	/* "PREFIX/", then checked without its slash */
	p = g_strndup(prefix, len + 1);
	p[len] = '\0';
	if (!hubd_storage_prefix_validate(p, error)) {
		g_free(p);
		return NULL;
	}
	p[len] = '/';
	return p;
}

void
hubd_storage_mirror_job_start(HubdService *service,
			      GDBusMethodInvocation *invocation,
			      const gchar *repo_type,
			      const gchar *repo_id,
			      const gchar *revision,
			      const gchar *backend,
			      GVariant *options)
{
	HubdContext *context = hubd_service_get_context(service);
	g_autoptr(HubdSnapshotRequest) req = g_new0(HubdSnapshotRequest, 1);
	g_autoptr(HubdStorage) storage = NULL;
	g_autofree gchar *prefix = NULL;
	g_autofree gchar *description = NULL;
	g_autofree gchar *probe = NULL;
	const gchar *prefix_option = NULL;
	GError *error = NULL;
	Mirror *m;

	if (!hubd_service_accept_options(invocation, options, mirror_options))
		return;
	g_variant_lookup(options, "prefix", "&s", &prefix_option);
	if (revision[0] == '\0')
		revision = "main";
	if (hubd_repo_type_from_string(repo_type, &req->type, &error) &&
	    hubd_revision_validate(revision, &error))
		prefix = normalize_prefix(prefix_option, &error);
	if (prefix == NULL ||
	    (probe = hubd_storage_mirror_blob_key(repo_type,
						  repo_id,
						  "0000000000000000000000000000000000000000",
						  &error)) == NULL ||
	    (storage = hubd_context_get_storage(context, backend, &error)) == NULL) {
		hubd_service_return_error(invocation, error);
		return;
	}
	req->repo_id = g_strdup(repo_id);
	req->revision = g_strdup(revision);

	m = g_new0(Mirror, 1);
	m->service = g_object_ref(service);
	m->put_keys = g_ptr_array_new_with_free_func(g_free);
	m->in_flight = g_hash_table_new(g_str_hash, g_str_equal);
	m->storage = g_steal_pointer(&storage);
	m->type = g_strdup(repo_type);
	m->repo_id = g_strdup(repo_id);
	m->revision = g_strdup(revision);
	m->prefix = g_steal_pointer(&prefix);
	description = g_strdup_printf("%s@%s → %s", repo_id, revision, backend);
	m->job = hubd_job_new(context, "mirror", description);
	hubd_job_add_repo(m->job, repo_type, repo_id, revision);
	hubd_job_set_owner(m->job, invocation);
	hubd_context_hold(context);
	hubd_dbus_storage_complete_mirror(HUBD_DBUS_STORAGE(hubd_service_get_skeleton(service)),
					  invocation,
					  hubd_job_get_object_path(m->job));
	hubd_job_set_phase(m->job, "download");
	hubd_snapshot_async(context,
			    g_steal_pointer(&req),
			    m->job,
			    mirror_cancellable(m),
			    snapshot_cb,
			    m);
}
