/* hubd-s3-storage.c: HubdS3Storage, the s3:// backend: the type, its settings, its HTTP
 * session and credentials, and the one way its operations send requests */
#define G_LOG_DOMAIN "HubdS3"

#include "hubd-s3-storage.h"

#include <glib/gi18n.h>

#include "hubd-s3-credentials.h"
#include "hubd-s3-journal.h"

/* an answer slower than this is a dead connection */
#define IO_TIMEOUT_SECONDS 120

struct _HubdS3Storage {
	GObject parent_instance;
	gchar *name;
	gchar *url;
	GVariant *options;
	HubdS3Config *config; /* set by init, read-only afterwards */
	SoupSession *session;
	/* loaded by the first request and kept; requests point into it */
	HubdS3Credentials *credentials;
	GList *waiting; /* GTasks of requests waiting for the credentials */
	gboolean loading;
	gboolean recovered;  /* uploads a dead hubd left: aborted at the first use */
	gboolean ca_trusted; /* the ca-bundle is the session's trust store */
};

static void
hubd_s3_storage_initable_iface_init(GInitableIface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED(
	HubdS3Storage,
	hubd_s3_storage,
	G_TYPE_OBJECT,
	G_TYPE_FLAG_FINAL,
	G_IMPLEMENT_INTERFACE_DYNAMIC(HUBD_TYPE_STORAGE, hubd_s3_storage_iface_init)
		G_IMPLEMENT_INTERFACE_DYNAMIC(G_TYPE_INITABLE, hubd_s3_storage_initable_iface_init))

enum { PROP_0, PROP_NAME, PROP_URL, PROP_OPTIONS };

void
hubd_s3_storage_register(GTypeModule *module)
{
	hubd_s3_storage_register_type(module);
	hubd_storage_register_extension_point();
	g_io_extension_point_implement(HUBD_STORAGE_EXTENSION_POINT, HUBD_TYPE_S3_STORAGE, "s3", 0);
}

static gboolean
hubd_s3_storage_initable_init(GInitable *initable, GCancellable *cancellable, GError **error)
{
	HubdS3Storage *self = HUBD_S3_STORAGE(initable);
	guint conns;

	if (self->name == NULL || self->url == NULL) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("An S3 storage backend needs a name and a URL"));
		return FALSE;
	}
	self->config = hubd_s3_config_parse(self->name, self->url, self->options, error);
	if (self->config == NULL)
		return FALSE;
	/* every part in flight has its connection, with room for reads */
	conns = MAX(self->config->parallel * 2, 8);
	self->session = soup_session_new_with_options("max-conns",
						      conns * 2,
						      "max-conns-per-host",
						      conns,
						      "timeout",
						      IO_TIMEOUT_SECONDS,
						      "user-agent",
						      "hubd-s3",
						      NULL);
	hubd_http_session_setup_proxy(self->session);
	/* part bodies are megabytes: never over libsoup 3.2's HTTP/2 */
	hubd_http_session_use_http1(self->session);
	return TRUE;
}

static void
hubd_s3_storage_initable_iface_init(GInitableIface *iface)
{
	iface->init = hubd_s3_storage_initable_init;
}

const HubdS3Config *
hubd_s3_storage_get_config(HubdS3Storage *self)
{
	g_return_val_if_fail(HUBD_IS_S3_STORAGE(self), NULL);
	return self->config;
}

/* ---- requests: credentials first ---- */

typedef struct {
	HubdS3Request *req;
	gboolean fetch;
	SoupMessage *msg;
	GBytes *answer;
	GInputStream *stream;
} Call;

static void
call_free(Call *call)
{
	hubd_s3_request_free(call->req);
	g_clear_object(&call->msg);
	g_clear_pointer(&call->answer, g_bytes_unref);
	g_clear_object(&call->stream);
	g_free(call);
}

static void
request_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Call *call = g_task_get_task_data(task);
	GError *error = NULL;

	if (call->fetch)
		call->answer = hubd_s3_request_fetch_finish(res, &call->msg, &error);
	else
		call->stream = hubd_s3_request_send_finish(res, &call->msg, &error);
	if (error != NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

static void
request_go(HubdS3Storage *self, GTask *task)
{
	Call *call = g_task_get_task_data(task);
	HubdS3Request *req = g_steal_pointer(&call->req);

	if (call->fetch)
		hubd_s3_request_fetch_async(req,
					    self,
					    self->session,
					    self->config,
					    self->credentials,
					    g_task_get_cancellable(task),
					    request_done_cb,
					    g_object_ref(task));
	else
		hubd_s3_request_send_async(req,
					   self,
					   self->session,
					   self->config,
					   self->credentials,
					   g_task_get_cancellable(task),
					   request_done_cb,
					   g_object_ref(task));
}

/* the waiting requests sent, or failed with `error` (not taken) */
static void
release_waiting(HubdS3Storage *self, const GError *error)
{
	GList *waiting = g_steal_pointer(&self->waiting);

	self->loading = FALSE;
	for (GList *l = waiting; l != NULL; l = l->next) {
		GTask *task = l->data;
		if (self->credentials != NULL)
			request_go(self, task);
		else
			g_task_return_error(task, g_error_copy(error));
	}
	g_list_free_full(waiting, g_object_unref);
}

static void
credentials_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdS3Storage) self = user_data;
	GError *error = NULL;

	self->credentials = hubd_s3_credentials_load_finish(res, &error);
	release_waiting(self, error);
	if (self->credentials != NULL && !self->recovered) {
		self->recovered = TRUE;
		hubd_s3_journal_recover(self);
	}
	/* a failure is not kept: the user may store the secret and try again */
	g_clear_error(&error);
}

static void
ca_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdS3Storage) self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GTlsDatabase) database = hubd_http_load_ca_file_finish(res, &error);

	if (database == NULL) {
		g_autoptr(GError) told =
			g_error_new(HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The storage backend “%s” cannot read its CA bundle %s: %s"),
				    self->config->name,
				    self->config->ca_bundle,
				    error->message);
		release_waiting(self, told); /* not kept: the file may be fixed */
		return;
	}
	soup_session_set_tls_database(self->session, database);
	self->ca_trusted = TRUE;
	hubd_s3_credentials_load_async(self->config, NULL, credentials_cb, g_object_ref(self));
}

void
hubd_s3_storage_request_async(HubdS3Storage *self,
			      HubdS3Request *req,
			      gboolean fetch,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	Call *call = g_new0(Call, 1);

	call->req = req;
	call->fetch = fetch;
	g_task_set_source_tag(task, hubd_s3_storage_request_async);
	g_task_set_task_data(task, call, (GDestroyNotify)call_free);
	if (self->credentials != NULL) {
		request_go(self, task);
		return;
	}
	self->waiting = g_list_append(self->waiting, g_steal_pointer(&task));
	if (self->loading)
		return;
	self->loading = TRUE;
	if (self->config->ca_bundle != NULL && !self->ca_trusted) {
		/* a file read does not belong on the main loop */
		hubd_http_load_ca_file_async(self->config->ca_bundle,
					     NULL,
					     ca_loaded_cb,
					     g_object_ref(self));
		return;
	}
	hubd_s3_credentials_load_async(self->config, NULL, credentials_cb, g_object_ref(self));
}

GInputStream *
hubd_s3_storage_request_finish(HubdS3Storage *self,
			       GAsyncResult *result,
			       SoupMessage **msg,
			       GBytes **answer,
			       GError **error)
{
	Call *call = g_task_get_task_data(G_TASK(result));

	if (!g_task_propagate_boolean(G_TASK(result), error))
		return NULL;
	if (msg != NULL)
		*msg = g_steal_pointer(&call->msg);
	if (answer != NULL)
		*answer = g_steal_pointer(&call->answer);
	/* a fetch has no stream left: an empty one says success */
	if (call->stream == NULL)
		return g_memory_input_stream_new();
	return g_steal_pointer(&call->stream);
}

/* ---- GObject ---- */

static void
hubd_s3_storage_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	HubdS3Storage *self = HUBD_S3_STORAGE(object);

	switch (prop_id) {
	case PROP_NAME:
		g_value_set_string(value, self->name);
		break;
	case PROP_URL:
		g_value_set_string(value, self->url);
		break;
	case PROP_OPTIONS:
		g_value_set_variant(value, self->options);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
hubd_s3_storage_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	HubdS3Storage *self = HUBD_S3_STORAGE(object);

	switch (prop_id) {
	case PROP_NAME:
		g_free(self->name);
		self->name = g_value_dup_string(value);
		break;
	case PROP_URL:
		g_free(self->url);
		self->url = g_value_dup_string(value);
		break;
	case PROP_OPTIONS:
		g_clear_pointer(&self->options, g_variant_unref);
		self->options = g_value_dup_variant(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
hubd_s3_storage_finalize(GObject *object)
{
	HubdS3Storage *self = HUBD_S3_STORAGE(object);

	g_free(self->name);
	g_free(self->url);
	g_clear_pointer(&self->options, g_variant_unref);
	g_clear_pointer(&self->config, hubd_s3_config_free);
	g_clear_object(&self->session);
	g_clear_pointer(&self->credentials, hubd_s3_credentials_free);
	G_OBJECT_CLASS(hubd_s3_storage_parent_class)->finalize(object);
}

static void
hubd_s3_storage_class_init(HubdS3StorageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_s3_storage_get_property;
	object_class->set_property = hubd_s3_storage_set_property;
	object_class->finalize = hubd_s3_storage_finalize;
	g_object_class_override_property(object_class, PROP_NAME, "name");
	g_object_class_override_property(object_class, PROP_URL, "url");
	g_object_class_override_property(object_class, PROP_OPTIONS, "options");
}

static void
hubd_s3_storage_class_finalize(HubdS3StorageClass *klass)
{
}

static void
hubd_s3_storage_init(HubdS3Storage *self)
{
}
