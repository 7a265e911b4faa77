/* hubd-storage-publish-job.c: Storage.Publish. The objects are found first
 * (a key, else the keys under KEY/), then handed to HubdUpload as sources:
 * the upload hashes each on a streamed read and streams it again into the
 * LFS upload or the commit, so nothing of them is written to disk. */
#define G_LOG_DOMAIN "HubdStorage"

#include "hubd-storage-publish-job.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-context-private.h"
#include "hubd-dbus-generated.h"
#include "hubd-error.h"
#include "hubd-job.h"
#include "hubd-storage.h"
#include "hubd-upload.h"

/* Transfers.Upload's, and the branch to commit to */
static const HubdServiceOption publish_options[] = {
	{"revision", "s"},
	{"commit_message", "s"},
	{"commit_description", "s"},
	{"create_pr", "b"},
	{"parent_commit", "s"},
	{"no_policy", "b"},
	{"create_repo", "b"},
	{"private", "b"},
	{NULL, NULL},
};

typedef struct {
	HubdStorage *storage;
	HubdUpload *upload;
	HubdJob *job;
	gchar *key;    /* as given */
	gchar *prefix; /* KEY/ listed when KEY is not an object */
	gchar *path_in_repo;
	guint added;
} Publish;

static void
publish_free(Publish *p)
{
	g_clear_object(&p->storage);
	g_clear_object(&p->upload);
	g_clear_object(&p->job);
	g_free(p->key);
	g_free(p->prefix);
	g_free(p->path_in_repo);
	g_free(p);
}

static void
publish_fail(Publish *p, GError *error)
{
	hubd_job_fail(p->job, error);
	publish_free(p);
}

/* the objects are all added: the upload takes over the job */
static void
publish_run(Publish *p)
{
	hubd_upload_run(p->upload, p->job);
	publish_free(p);
}

static gboolean
publish_add(Publish *p, const gchar *key, guint64 size, const gchar *path, GError **error)
{
	g_autoptr(HubdUploadSource) source = hubd_upload_source_new_storage(p->storage, key);

	if (!hubd_upload_add_source(p->upload, source, size, path, error))
		return FALSE;
	p->added++;
	return TRUE;
}

static void
publish_listed(GObject *object, GAsyncResult *result, gpointer user_data);

static void
publish_list_page(Publish *p, const gchar *token)
{
	hubd_storage_list_async(p->storage,
				p->prefix,
				token,
				HUBD_STORAGE_MAX_LIST_KEYS,
				hubd_job_get_cancellable(p->job),
				publish_listed,
				p);
}

static void
publish_listed(GObject *object, GAsyncResult *result, gpointer user_data)
{
	Publish *p = user_data;
	g_autofree gchar *token = NULL;
	g_autoptr(GPtrArray) objects = NULL;
	GError *error = NULL;

	objects = hubd_storage_list_finish(p->storage, result, &token, &error);
	if (objects == NULL) {
		publish_fail(p, error);
		return;
	}
	for (guint i = 0; i < objects->len; i++) {
		HubdStorageObject *obj = g_ptr_array_index(objects, i);
		const gchar *key = hubd_storage_object_get_key(obj);
		const gchar *rel = key + strlen(p->prefix);
		g_autofree gchar *path = p->path_in_repo[0] != '\0'
						 ? g_strconcat(p->path_in_repo, "/", rel, NULL)
						 : g_strdup(rel);

		if (!publish_add(p, key, hubd_storage_object_get_size(obj), path, &error)) {
			publish_fail(p, error);
			return;
		}
	}
	if (token != NULL) {
		publish_list_page(p, token);
		return;
	}
	if (p->added == 0) {
		publish_fail(p,
			     g_error_new(HUBD_ERROR,
					 HUBD_ERROR_ENTRY_NOT_FOUND,
					 _("The backend has no object “%s” and none under “%s”"),
					 p->key,
					 p->prefix));
		return;
	}
	publish_run(p);
}

static void
publish_headed(GObject *object, GAsyncResult *result, gpointer user_data)
{
	Publish *p = user_data;
	g_autoptr(HubdStorageObject) obj = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;

	obj = hubd_storage_head_finish(p->storage, result, &error);
	if (obj == NULL) {
		if (!g_error_matches(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND)) {
			publish_fail(p, error);
			return;
		}
		/* not an object: a prefix */
		g_error_free(error);
		p->prefix = g_strconcat(p->key, "/", NULL);
		publish_list_page(p, NULL);
		return;
	}
	/* one object: PATH_IN_REPO, else the key's last segment (as `hubctl upload` does
	 * with a file's name) */
	path = p->path_in_repo[0] != '\0' ? g_strdup(p->path_in_repo) : g_path_get_basename(p->key);
	if (!publish_add(p, p->key, hubd_storage_object_get_size(obj), path, &error)) {
		publish_fail(p, error);
		return;
	}
	publish_run(p);
}

/* `options` without "revision" (an argument of HubdUpload) */
static GVariant *
publish_upload_options(GVariant *options)
{
	GVariantBuilder b;
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		if (strcmp(key, "revision") != 0)
			g_variant_builder_add(&b, "{sv}", key, value);
		g_variant_unref(value);
	}
	return g_variant_ref_sink(g_variant_builder_end(&b));
}

void
hubd_storage_publish_job_start(HubdService *service,
			       GDBusMethodInvocation *invocation,
			       const gchar *backend,
			       const gchar *key_or_prefix,
			       const gchar *repo_type,
			       const gchar *repo_id,
			       const gchar *path_in_repo,
			       GVariant *options)
{
	HubdContext *context = hubd_service_get_context(service);
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(HubdUpload) upload = NULL;
	g_autoptr(GVariant) upload_options = NULL;
	g_autofree gchar *key = NULL;
	g_autofree gchar *description = NULL;
	const gchar *revision = "main";
	gboolean is_prefix;
	GError *error = NULL;
	Publish *p;

	if (!hubd_service_accept_options(invocation, options, publish_options))
		return;
	g_variant_lookup(options, "revision", "&s", &revision);
	if (revision[0] == '\0')
		revision = "main";
	/* a trailing "/" says it is a prefix: no object is looked for */
	is_prefix = g_str_has_suffix(key_or_prefix, "/");
	key = g_strdup(key_or_prefix);
	while (key[0] != '\0' && key[strlen(key) - 1] == '/')
		key[strlen(key) - 1] = '\0';
	if (key[0] == '\0') {
		hubd_service_return_error(
			invocation,
			g_error_new(HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Name the object or the prefix to publish: NAME/KEY")));
		return;
	}
	upload_options = publish_upload_options(options);
	if ((storage = hubd_context_get_storage(context, backend, &error)) == NULL ||
	    (upload = hubd_upload_new(context,
				      repo_type,
				      repo_id,
				      revision,
				      upload_options,
				      &error)) == NULL) {
		hubd_service_return_error(invocation, error);
		return;
	}

	p = g_new0(Publish, 1);
	p->storage = g_steal_pointer(&storage);
	p->upload = g_steal_pointer(&upload);
	p->key = g_steal_pointer(&key);
	p->path_in_repo = g_strdup(path_in_repo);
	while (p->path_in_repo[0] != '\0' && p->path_in_repo[strlen(p->path_in_repo) - 1] == '/')
		p->path_in_repo[strlen(p->path_in_repo) - 1] = '\0';
	description = g_strdup_printf("%s/%s → %s", backend, p->key, repo_id);
	p->job = hubd_job_new(context, "publish", description);
	hubd_job_add_repo(p->job, repo_type, repo_id, revision);
	hubd_job_set_owner(p->job, invocation);
	hubd_dbus_storage_complete_publish(HUBD_DBUS_STORAGE(hubd_service_get_skeleton(service)),
					   invocation,
					   hubd_job_get_object_path(p->job));
	hubd_job_set_phase(p->job, "list");
	if (is_prefix) {
		p->prefix = g_strconcat(p->key, "/", NULL);
		publish_list_page(p, NULL);
		return;
	}
	hubd_storage_head_async(p->storage,
				p->key,
				hubd_job_get_cancellable(p->job),
				publish_headed,
				p);
}
