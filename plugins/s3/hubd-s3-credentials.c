/* hubd-s3-credentials.c: where an s3:// backend's access key comes from. The environment
 * variables and the credentials file are those of the AWS CLI ("Configuration and credential
 * file settings", docs/s3.md); the keyring uses a schema of its own */
#define G_LOG_DOMAIN "HubdS3"

#include "hubd-s3-credentials.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-error.h"
#include "hubd-keyring.h"

void
hubd_s3_credentials_free(HubdS3Credentials *credentials)
{
	if (credentials == NULL)
		return;
	g_free(credentials->access_key_id);
	if (credentials->secret != NULL)
		memset(credentials->secret, 0, strlen(credentials->secret));
	g_free(credentials->secret);
	g_free(credentials->session_token);
	g_free(credentials);
}

static HubdS3Credentials *
credentials_new(const gchar *id, const gchar *secret, const gchar *token)
{
	HubdS3Credentials *credentials = g_new0(HubdS3Credentials, 1);

	credentials->access_key_id = g_strdup(id);
	credentials->secret = g_strdup(secret);
	credentials->session_token = token != NULL && token[0] != '\0' ? g_strdup(token) : NULL;
	return credentials;
}

static GError *
missing(const HubdS3Config *config, const gchar *where)
{
	return g_error_new(HUBD_ERROR,
			   HUBD_ERROR_UNAUTHORIZED,
			   _("The storage backend “%s” has no S3 credentials: %s"),
			   config->name,
			   where);
}

static HubdS3Credentials *
from_env(const HubdS3Config *config, GError **error)
{
	const gchar *id = g_getenv("AWS_ACCESS_KEY_ID");
	const gchar *secret = g_getenv("AWS_SECRET_ACCESS_KEY");

	if (id == NULL || id[0] == '\0' || secret == NULL || secret[0] == '\0') {
		g_propagate_error(
			error,
			missing(config,
				_("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both "
				  "set in hubd's environment")));
		return NULL;
	}
	return credentials_new(id, secret, g_getenv("AWS_SESSION_TOKEN"));
}

/* The AWS CLI's file: AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, an
 * INI file with a [PROFILE] section per profile. */
static HubdS3Credentials *
from_profile(const HubdS3Config *config, GError **error)
{
	const gchar *env_file = g_getenv("AWS_SHARED_CREDENTIALS_FILE");
	const gchar *env_profile = g_getenv("AWS_PROFILE");
	g_autofree gchar *path =
		env_file != NULL && env_file[0] != '\0'
			? g_strdup(env_file)
			: g_build_filename(g_get_home_dir(), ".aws", "credentials", NULL);
	const gchar *profile = config->profile != NULL                         ? config->profile
			       : env_profile != NULL && env_profile[0] != '\0' ? env_profile
									       : "default";
	g_autoptr(GKeyFile) file = g_key_file_new();
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *id = NULL;
	g_autofree gchar *secret = NULL;
	g_autofree gchar *token = NULL;
	HubdS3Credentials *credentials;

	if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &error_local)) {
		g_autofree gchar *why =
			g_strdup_printf(_("cannot read %s: %s"), path, error_local->message);
		g_propagate_error(error, missing(config, why));
		return NULL;
	}
	id = g_key_file_get_string(file, profile, "aws_access_key_id", NULL);
	secret = g_key_file_get_string(file, profile, "aws_secret_access_key", NULL);
	token = g_key_file_get_string(file, profile, "aws_session_token", NULL);
	if (id == NULL || secret == NULL) {
		g_autofree gchar *why =
			g_strdup_printf(_("the profile “%s” of %s has no aws_access_key_id and "
					  "aws_secret_access_key"),
					profile,
					path);
		g_propagate_error(error, missing(config, why));
		return NULL;
	}
	g_strstrip(id);
	g_strstrip(secret);
	credentials = credentials_new(id, secret, token != NULL ? g_strstrip(token) : NULL);
	memset(secret, 0, strlen(secret));
	return credentials;
}

static void
load_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	const HubdS3Config *config = task_data;
	GError *error = NULL;
	HubdS3Credentials *credentials = NULL;

	if (config->credentials == HUBD_S3_CREDENTIALS_PROFILE)
		credentials = from_profile(config, &error);
	else
		credentials = from_env(config, &error);
	if (credentials != NULL)
		g_task_return_pointer(task, credentials, (GDestroyNotify)hubd_s3_credentials_free);
	else
		g_task_return_error(task, error);
}

/* The keyring: items stored by other tools (secret-tool) match by their
 * attributes alone */
static void
searched_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	const HubdS3Config *config = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) items = hubd_keyring_search_finish(HUBD_KEYRING(source), res, &error);
	HubdKeyringItem *item;

	if (items == NULL) {
		g_autofree gchar *why =
			g_strdup_printf(_("the keyring cannot be read: %s"), error->message);
		g_task_return_error(task, missing(config, why));
		return;
	}
	if (items->len == 0) {
		g_task_return_error(task,
				    missing(config,
					    _("none is stored in the keyring for its access key "
					      "id")));
		return;
	}
	item = g_ptr_array_index(items, 0);
	if (item->secret == NULL) {
		g_task_return_error(task,
				    missing(config,
					    item->locked ? _("the keyring that holds it is locked")
							 : _("the keyring cannot be read")));
		return;
	}
	g_task_return_pointer(task,
			      credentials_new(config->access_key_id, item->secret, NULL),
			      (GDestroyNotify)hubd_s3_credentials_free);
}

void
hubd_s3_credentials_load_async(const HubdS3Config *config,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_s3_credentials_load_async);
	g_task_set_task_data(task, (gpointer)config, NULL);
	if (config->credentials == HUBD_S3_CREDENTIALS_KEYRING) {
		g_autoptr(GHashTable) attributes =
			hubd_keyring_attributes_new("backend",
						    config->name,
						    "access-key-id",
						    config->access_key_id,
						    NULL);
		hubd_keyring_search_async(hubd_keyring_get_default(),
					  HUBD_S3_SECRET_SCHEMA_NAME,
					  attributes,
					  HUBD_KEYRING_LOAD_SECRETS | HUBD_KEYRING_ANY_SCHEMA,
					  cancellable,
					  searched_cb,
					  g_steal_pointer(&task));
		return;
	}
	g_task_run_in_thread(task, load_thread);
}

HubdS3Credentials *
hubd_s3_credentials_load_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
stored_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	GError *error = NULL;

	if (!hubd_keyring_store_finish(HUBD_KEYRING(source), res, &error))
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_FAILED,
					_("The S3 secret could not be stored in the keyring: %s"),
					error->message);
	else
		g_task_return_boolean(task, TRUE);
	g_clear_error(&error);
}

static void
cleared_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	const gchar *const *args = g_task_get_task_data(task);
	g_autofree gchar *label =
		g_strdup_printf(_("S3 secret of the hubd storage backend %s"), args[0]);
	g_autoptr(GHashTable) attributes = NULL;

	if (args[2] == NULL) {
		/* forgetting: the clear is the whole job */
		g_autoptr(GError) error = NULL;
		if (!hubd_keyring_clear_finish(HUBD_KEYRING(source), res, &error))
			g_task_return_new_error(
				task,
				HUBD_ERROR,
				HUBD_ERROR_FAILED,
				_("The S3 secret could not be removed from the keyring: %s"),
				error->message);
		else
			g_task_return_boolean(task, TRUE);
		return;
	}
	/* a failed clear leaves an old item that the new one outranks: go on */
	hubd_keyring_clear_finish(HUBD_KEYRING(source), res, NULL);
	attributes =
		hubd_keyring_attributes_new("backend", args[0], "access-key-id", args[1], NULL);
	hubd_keyring_store_async(hubd_keyring_get_default(),
				 HUBD_S3_SECRET_SCHEMA_NAME,
				 attributes,
				 label,
				 args[2],
				 g_task_get_cancellable(task),
				 stored_cb,
				 g_object_ref(task));
}

static void
strv_free_secret(gpointer data)
{
	gchar **args = data;

	if (args[2] != NULL)
		memset(args[2], 0, strlen(args[2]));
	g_free(args[0]);
	g_free(args[1]);
	g_free(args[2]);
	g_free(args);
}

void
hubd_s3_credentials_store_async(const gchar *name,
				const gchar *access_key_id,
				const gchar *secret,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
	gchar **args = g_new0(gchar *, 4);
	g_autoptr(GHashTable) attributes = NULL;

	args[0] = g_strdup(name);
	args[1] = g_strdup(access_key_id);
	args[2] = g_strdup(secret);
	g_task_set_source_tag(task, hubd_s3_credentials_store_async);
	g_task_set_task_data(task, args, strv_free_secret);
	attributes = hubd_keyring_attributes_new("backend", name, NULL);
	hubd_keyring_clear_async(hubd_keyring_get_default(),
				 HUBD_S3_SECRET_SCHEMA_NAME,
				 attributes,
				 HUBD_KEYRING_ANY_SCHEMA,
				 cancellable,
				 cleared_cb,
				 g_steal_pointer(&task));
}

gboolean
hubd_s3_credentials_store_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}
