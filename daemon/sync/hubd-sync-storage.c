/* hubd-sync-storage.c: a cached snapshot put into a storage backend.
 *
 * The run lists the target under its prefix first, then decides in a worker
 * thread what to put: an object listed with the file's size is kept when its
 * etag is the one this rule got when it put the same Hub file (the manifest),
 * or is the content's SHA-256 (the file backend's etags) or MD5 (S3's for a
 * single PUT). The manifest (JSON, next to sync.conf) is what makes --delete
 * safe: only keys this rule put and upstream no longer has are deleted, never
 * an object someone else put under the prefix. */
#define G_LOG_DOMAIN "HubdSync"

#include "hubd-sync-storage.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "hubd-context-private.h"
#include "hubd-error.h"

typedef struct {
	gchar *prefix;
	gchar *root;
	GStrv files;
	gboolean delete_removed;
	gchar *manifest_path;
	HubdJob *job;
	JsonObject *manifest; /* key -> {size, etag, source} */
	GHashTable *listed;   /* key -> HubdStorageObject */
	GPtrArray *to_put;    /* repo paths */
	GPtrArray *to_delete; /* repo paths */
	GPtrArray *removed;
	guint next;
	guint n_put;
} Sync;

static void
sync_free(Sync *s)
{
	g_free(s->prefix);
	g_free(s->root);
	g_strfreev(s->files);
	g_free(s->manifest_path);
	g_object_unref(s->job);
	g_clear_pointer(&s->manifest, json_object_unref);
	g_hash_table_unref(s->listed);
	g_clear_pointer(&s->to_put, g_ptr_array_unref);
	g_clear_pointer(&s->to_delete, g_ptr_array_unref);
	g_ptr_array_unref(s->removed);
	g_free(s);
}

HubdStorage *
hubd_sync_storage_resolve(HubdContext *context,
			  const gchar *target,
			  gchar **prefix,
			  GCancellable *cancellable,
			  GError **error)
{
	HubdConfig *config = hubd_context_get_config(context);
	g_auto(GStrv) groups = hubd_config_get_groups(config, "storage.");

	for (guint i = 0; groups[i] != NULL; i++) {
		const gchar *name = groups[i] + strlen("storage.");
		g_autofree gchar *url = hubd_config_get_string(config, groups[i], "url", NULL);
		gsize n = url != NULL ? strlen(url) : 0;

		while (n > 0 && url[n - 1] == '/')
			n--;
		if (n == 0 || strchr(name, '.') != NULL || strncmp(target, url, n) != 0 ||
		    (target[n] != '\0' && target[n] != '/'))
			continue;
		*prefix = target[n] == '\0' ? g_strdup("") : g_strconcat(target + n + 1, "/", NULL);
		return hubd_context_get_storage(context, name, error);
	}
	*prefix = g_strdup("");
	return hubd_storage_new("sync", target, NULL, cancellable, error);
}

/* ---- the manifest ---- */

gchar *
hubd_sync_storage_manifest_path(const gchar *rule_id)
{
	g_autofree gchar *name = g_strconcat(rule_id, ".json", NULL);

	return g_build_filename(g_get_user_config_dir(), "hubd", "sync", name, NULL);
}

static JsonObject *
manifest_load(const gchar *path)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonNode *root;

	if (!json_parser_load_from_file(parser, path, NULL))
		return json_object_new(); /* none yet (or unreadable): nothing to delete */
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return json_object_new();
	return json_object_ref(json_node_get_object(root));
}

static gboolean
manifest_save(const gchar *path, JsonObject *manifest, GError **error)
{
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), manifest);
	g_autofree gchar *text = json_to_string(node, FALSE);
	g_autofree gchar *dir = g_path_get_dirname(path);

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_FAILED,
			    _("Cannot create %s: %s"),
			    dir,
			    g_strerror(errno));
		return FALSE;
	}
	return g_file_set_contents_full(path,
					text,
					-1,
					G_FILE_SET_CONTENTS_CONSISTENT,
					0600,
					error);
}

/* the Hub's etag of a cached file: the name of the blob its snapshot link points at */
static gchar *
source_etag(const gchar *path)
{
	g_autofree gchar *link = g_file_read_link(path, NULL);

	return link != NULL ? g_path_get_basename(link) : NULL;
}

/* the content's SHA-256 or MD5 is `etag` (read once, both at a time) */
static gboolean
content_matches(const gchar *path, const gchar *etag, GCancellable *cancellable)
{
	g_autoptr(GChecksum) sha = g_checksum_new(G_CHECKSUM_SHA256);
	g_autoptr(GChecksum) md5 = g_checksum_new(G_CHECKSUM_MD5);
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileInputStream) in = g_file_read(file, cancellable, NULL);
	g_autofree guchar *buf = g_malloc(256 * 1024);
	gssize n;

	if (in == NULL)
		return FALSE;
	while ((n = g_input_stream_read(G_INPUT_STREAM(in), buf, 256 * 1024, cancellable, NULL)) >
	       0) {
		g_checksum_update(sha, buf, n);
		g_checksum_update(md5, buf, n);
	}
	return n == 0 && (g_ascii_strcasecmp(etag, g_checksum_get_string(sha)) == 0 ||
			  g_ascii_strcasecmp(etag, g_checksum_get_string(md5)) == 0);
}

static void
record(Sync *s, const gchar *key, guint64 size, const gchar *etag, const gchar *source)
{
	JsonObject *o = json_object_new();

	json_object_set_int_member(o, "size", (gint64)size);
	json_object_set_string_member(o, "etag", etag);
	if (source != NULL)
		json_object_set_string_member(o, "source", source);
	json_object_set_object_member(s->manifest, key, o);
}

/* ---- plan (worker thread) ---- */

static gboolean
already_there(Sync *s, const gchar *key, const gchar *local, GCancellable *cancellable)
{
	HubdStorageObject *obj = g_hash_table_lookup(s->listed, key);
	JsonObject *was = json_object_has_member(s->manifest, key)
				  ? json_object_get_object_member(s->manifest, key)
				  : NULL;
	g_autofree gchar *source = source_etag(local);
	GStatBuf st;
	const gchar *etag;

	if (obj == NULL || g_stat(local, &st) != 0 ||
	    hubd_storage_object_get_size(obj) != (guint64)st.st_size)
		return FALSE;
	etag = hubd_storage_object_get_etag(obj);
	if (was != NULL && source != NULL &&
	    g_strcmp0(json_object_get_string_member_with_default(was, "etag", NULL), etag) == 0 &&
	    g_strcmp0(json_object_get_string_member_with_default(was, "source", NULL), source) == 0)
		return TRUE;
	if (!content_matches(local, etag, cancellable))
		return FALSE;
	record(s, key, (guint64)st.st_size, etag, source);
	return TRUE;
}

static void
plan_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	Sync *s = data;
	g_autoptr(GHashTable) now = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GList) members = NULL;

	s->manifest = manifest_load(s->manifest_path);
	s->to_put = g_ptr_array_new();
	s->to_delete = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; s->files[i] != NULL; i++) {
		g_autofree gchar *key = g_strconcat(s->prefix, s->files[i], NULL);
		g_autofree gchar *local = g_build_filename(s->root, s->files[i], NULL);

		if (!already_there(s, key, local, cancellable))
			g_ptr_array_add(s->to_put, s->files[i]);
		g_hash_table_add(now, g_steal_pointer(&key));
	}
	members = json_object_get_members(s->manifest);
	for (GList *l = members; s->delete_removed && l != NULL; l = l->next)
		if (!g_hash_table_contains(now, l->data) && g_str_has_prefix(l->data, s->prefix))
			g_ptr_array_add(s->to_delete,
					g_strdup((const gchar *)l->data + strlen(s->prefix)));
	g_task_return_boolean(task, TRUE);
}

/* ---- puts, deletes, then the manifest ---- */

static void
save_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	Sync *s = data;
	GError *error = NULL;

	if (!manifest_save(s->manifest_path, s->manifest, &error))
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

static void
delete_next(GTask *task);

static void
deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Sync *s = g_task_get_task_data(task);
	GError *error = NULL;
	const gchar *path = g_ptr_array_index(s->to_delete, s->next - 1);
	g_autofree gchar *key = g_strconcat(s->prefix, path, NULL);

	if (!hubd_storage_delete_finish(HUBD_STORAGE(source), res, &error)) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	json_object_remove_member(s->manifest, key);
	g_ptr_array_add(s->removed, g_strdup(path));
	delete_next(task);
}

static void
delete_next(GTask *task)
{
	Sync *s = g_task_get_task_data(task);
	g_autofree gchar *key = NULL;

	if (s->next >= s->to_delete->len) {
		g_task_run_in_thread(task, save_thread);
		g_object_unref(task);
		return;
	}
	key = g_strconcat(s->prefix,
			  (const gchar *)g_ptr_array_index(s->to_delete, s->next++),
			  NULL);
	hubd_storage_delete_async(g_task_get_source_object(task),
				  key,
				  g_task_get_cancellable(task),
				  deleted_cb,
				  task);
}

static void
put_next(GTask *task);

static void
put_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Sync *s = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdStorageObject) obj =
		hubd_storage_put_finish(HUBD_STORAGE(source), res, &error);
	const gchar *path = g_ptr_array_index(s->to_put, s->next - 1);
	g_autofree gchar *key = g_strconcat(s->prefix, path, NULL);
	g_autofree gchar *local = NULL;
	g_autofree gchar *etag_source = NULL;

	if (obj == NULL) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	/* a readlink, as cheap as the stat that opened the file */
	local = g_build_filename(s->root, path, NULL);
	etag_source = source_etag(local);
	record(s,
	       key,
	       hubd_storage_object_get_size(obj),
	       hubd_storage_object_get_etag(obj),
	       etag_source);
	s->n_put++;
	put_next(task);
}

static void
put_opened_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Sync *s = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(GFileInputStream) in = g_file_read_finish(G_FILE(source), res, &error);
	g_autoptr(GFileInfo) info = NULL;
	g_autofree gchar *key = NULL;

	if (in != NULL)
		info = g_file_input_stream_query_info(in,
						      G_FILE_ATTRIBUTE_STANDARD_SIZE,
						      NULL,
						      &error);
	if (info == NULL) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	key = g_strconcat(s->prefix,
			  (const gchar *)g_ptr_array_index(s->to_put, s->next - 1),
			  NULL);
	hubd_storage_put_async(g_task_get_source_object(task),
			       key,
			       G_INPUT_STREAM(in),
			       g_file_info_get_size(info),
			       g_task_get_cancellable(task),
			       put_done_cb,
			       task);
}

static void
put_next(GTask *task)
{
	Sync *s = g_task_get_task_data(task);
	g_autofree gchar *local = NULL;
	g_autoptr(GFile) file = NULL;

	if (s->next >= s->to_put->len) {
		s->next = 0;
		hubd_job_set_phase(s->job, "deleting");
		delete_next(task);
		return;
	}
	local = g_build_filename(s->root,
				 (const gchar *)g_ptr_array_index(s->to_put, s->next++),
				 NULL);
	file = g_file_new_for_path(local);
	g_file_read_async(file,
			  G_PRIORITY_DEFAULT,
			  g_task_get_cancellable(task),
			  put_opened_cb,
			  task);
}

static void
planned_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Sync *s = g_task_get_task_data(task);
	GError *error = NULL;

	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	g_debug("storing %u of %u files, deleting %u",
		s->to_put->len,
		g_strv_length(s->files),
		s->to_delete->len);
	hubd_job_set_phase(s->job, "storing");
	s->next = 0;
	put_next(task);
}

/* ---- the listing ---- */

static void
listed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	Sync *s = g_task_get_task_data(task);
	GError *error = NULL;
	g_autofree gchar *next = NULL;
	g_autoptr(GPtrArray) page =
		hubd_storage_list_finish(HUBD_STORAGE(source), res, &next, &error);
	GTask *plan;

	if (page == NULL) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	for (guint i = 0; i < page->len; i++) {
		HubdStorageObject *obj = g_ptr_array_index(page, i);

		g_hash_table_replace(s->listed,
				     g_strdup(hubd_storage_object_get_key(obj)),
				     hubd_storage_object_ref(obj));
	}
	if (next != NULL) {
		hubd_storage_list_async(HUBD_STORAGE(source),
					s->prefix,
					next,
					0,
					g_task_get_cancellable(task),
					listed_cb,
					task);
		return;
	}
	plan = g_task_new(source, g_task_get_cancellable(task), planned_cb, task);
	g_task_set_task_data(plan, s, NULL);
	g_task_run_in_thread(plan, plan_thread);
	g_object_unref(plan);
}

void
hubd_sync_storage_async(HubdStorage *storage,
			const gchar *prefix,
			const gchar *root,
			const gchar *const *files,
			gboolean delete_removed,
			const gchar *manifest_path,
			HubdJob *job,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	GTask *task = g_task_new(storage, cancellable, callback, user_data);
	Sync *s = g_new0(Sync, 1);

	g_task_set_source_tag(task, hubd_sync_storage_async);
	g_task_set_task_data(task, s, (GDestroyNotify)sync_free);
	s->prefix = g_strdup(prefix);
	s->root = g_strdup(root);
	s->files = g_strdupv((gchar **)files);
	s->delete_removed = delete_removed;
	s->manifest_path = g_strdup(manifest_path);
	s->job = g_object_ref(job);
	s->listed = g_hash_table_new_full(g_str_hash,
					  g_str_equal,
					  g_free,
					  (GDestroyNotify)hubd_storage_object_unref);
	s->removed = g_ptr_array_new_with_free_func(g_free);
	hubd_job_set_phase(job, "listing");
	hubd_storage_list_async(storage, prefix, NULL, 0, cancellable, listed_cb, task);
}

gboolean
hubd_sync_storage_finish(GAsyncResult *result, GStrv *removed, guint *n_put, GError **error)
{
	GTask *task = G_TASK(result);
	Sync *s = g_task_get_task_data(task);

	if (!g_task_propagate_boolean(task, error))
		return FALSE;
	g_ptr_array_add(s->removed, NULL);
	*removed = g_strdupv((gchar **)s->removed->pdata);
	g_ptr_array_remove_index(s->removed, s->removed->len - 1);
	*n_put = s->n_put;
	return TRUE;
}
