/* hubd-storage-service.c: org.hubd.Hub1.Storage — the [storage.NAME] backends of hubd.conf,
 * listed without contacting them, and tested with a put/get/delete probe */
#define G_LOG_DOMAIN "HubdStorageService"

#include "hubd-storage-service.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-config.h"
#include "hubd-context-private.h"
#include "hubd-context.h"
#include "hubd-dbus-generated.h"
#include "hubd-error.h"
#include "hubd-storage-admin.h"
#include "hubd-storage-mirror-job.h"
#include "hubd-storage-publish-job.h"
#include "hubd-storage.h"

#define PROBE_SIZE   4096
#define GROUP_PREFIX "storage."

struct _HubdStorageService {
	HubdService parent_instance;
	guint busy; /* probes in flight */
};

G_DEFINE_TYPE_WITH_CODE(HubdStorageService,
			hubd_storage_service,
			HUBD_TYPE_SERVICE,
			hubd_service_register_extension_point();
			g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
						       g_define_type_id,
						       "storage",
						       700))

static HubdConfig *
config_of(HubdStorageService *self)
{
	return hubd_context_get_config(hubd_service_get_context(HUBD_SERVICE(self)));
}

/* ---- ListBackends ---- */

static gboolean
handle_list_backends(HubdDbusStorage *skeleton,
		     GDBusMethodInvocation *invocation,
		     GVariant *options,
		     gpointer user_data)
{
	HubdConfig *config = config_of(HUBD_STORAGE_SERVICE(user_data));
	g_auto(GStrv) groups = hubd_config_get_groups(config, GROUP_PREFIX);
	g_autofree gchar *mirror = hubd_config_get_string(config, "storage", "mirror", NULL);
	GVariantBuilder backends;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	g_variant_builder_init(&backends, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; groups[i] != NULL; i++) {
		const gchar *name = groups[i] + strlen(GROUP_PREFIX);
		g_autofree gchar *url = hubd_config_get_string(config, groups[i], "url", "");
		g_autofree gchar *scheme = g_uri_parse_scheme(url);
		GVariantBuilder entry;

		/* "storage.a.b" is no backend: names have no dots */
		if (name[0] == '\0' || strchr(name, '.') != NULL)
			continue;
		g_variant_builder_init(&entry, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&entry, "{sv}", "name", g_variant_new_string(name));
		g_variant_builder_add(&entry, "{sv}", "url", g_variant_new_string(url));
		g_variant_builder_add(&entry,
				      "{sv}",
				      "scheme",
				      g_variant_new_string(scheme != NULL ? scheme : ""));
		g_variant_builder_add(&entry,
				      "{sv}",
				      "mirror",
				      g_variant_new_boolean(g_strcmp0(mirror, name) == 0));
		g_variant_builder_add_value(&backends, g_variant_builder_end(&entry));
	}
	hubd_dbus_storage_complete_list_backends(skeleton,
						 invocation,
						 g_variant_builder_end(&backends));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- TestBackend: put, get, compare, delete ---- */

typedef struct {
	HubdStorageService *self;
	GDBusMethodInvocation *invocation;
	HubdStorage *storage;
	gchar *key;
	GBytes *probe;
	gchar *etag;
	GOutputStream *sink;
} Probe;

static void
probe_free(Probe *p)
{
	hubd_context_release(hubd_service_get_context(HUBD_SERVICE(p->self)));
	p->self->busy--;
	g_object_unref(p->self);
	g_object_unref(p->invocation);
	g_clear_object(&p->storage);
	g_free(p->key);
	g_clear_pointer(&p->probe, g_bytes_unref);
	g_free(p->etag);
	g_clear_object(&p->sink);
	g_free(p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Probe, probe_free)

static void
probe_fail(Probe *p, GError *error)
{
	hubd_service_return_error(p->invocation, error);
	probe_free(p);
}

static void
probe_deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Probe) p = user_data;
	GError *error = NULL;
	g_autofree gchar *url = NULL;
	GVariantBuilder report;

	if (!hubd_storage_delete_finish(HUBD_STORAGE(source), res, &error)) {
		hubd_service_return_error(p->invocation, error);
		return;
	}
	url = hubd_storage_dup_url(p->storage);
	g_variant_builder_init(&report, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&report, "{sv}", "url", g_variant_new_string(url));
	g_variant_builder_add(&report, "{sv}", "key", g_variant_new_string(p->key));
	g_variant_builder_add(&report,
			      "{sv}",
			      "size",
			      g_variant_new_uint64(g_bytes_get_size(p->probe)));
	g_variant_builder_add(&report, "{sv}", "etag", g_variant_new_string(p->etag));
	hubd_dbus_storage_complete_test_backend(
		HUBD_DBUS_STORAGE(hubd_service_get_skeleton(HUBD_SERVICE(p->self))),
		p->invocation,
		g_variant_builder_end(&report));
}

static void
probe_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Probe *p = user_data;
	GError *error = NULL;
	g_autoptr(GBytes) back = NULL;

	if (g_output_stream_splice_finish(G_OUTPUT_STREAM(source), res, &error) < 0) {
		probe_fail(p, error);
		return;
	}
	back = g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(p->sink));
	if (!g_bytes_equal(back, p->probe)) {
		g_autofree gchar *name = hubd_storage_dup_name(p->storage);
		probe_fail(p,
			   g_error_new(HUBD_ERROR,
				       HUBD_ERROR_SERVER,
				       _("The storage backend “%s” gave back other bytes than "
					 "were put under %s"),
				       name,
				       p->key));
		return;
	}
	hubd_storage_delete_async(p->storage, p->key, NULL, probe_deleted_cb, p);
}

static void
probe_got_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Probe *p = user_data;
	GError *error = NULL;
	g_autoptr(GInputStream) stream =
		hubd_storage_get_finish(HUBD_STORAGE(source), res, NULL, &error);

	if (stream == NULL) {
		probe_fail(p, error);
		return;
	}
	p->sink = g_memory_output_stream_new_resizable();
	g_output_stream_splice_async(p->sink,
				     stream,
				     G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
					     G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
				     G_PRIORITY_DEFAULT,
				     NULL,
				     probe_read_cb,
				     p);
}

static void
probe_put_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Probe *p = user_data;
	GError *error = NULL;
	g_autoptr(HubdStorageObject) object =
		hubd_storage_put_finish(HUBD_STORAGE(source), res, &error);

	if (object == NULL) {
		probe_fail(p, error);
		return;
	}
	p->etag = g_strdup(hubd_storage_object_get_etag(object));
	hubd_storage_get_async(p->storage, p->key, 0, -1, NULL, probe_got_cb, p);
}

static gboolean
handle_test_backend(HubdDbusStorage *skeleton,
		    GDBusMethodInvocation *invocation,
		    const gchar *name,
		    GVariant *options,
		    gpointer user_data)
{
	HubdStorageService *self = HUBD_STORAGE_SERVICE(user_data);
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(self));
	GError *error = NULL;
	g_autoptr(HubdStorage) storage = NULL;
	g_autoptr(GInputStream) stream = NULL;
	guint8 *data;
	Probe *p;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	storage = hubd_context_get_storage(context, name, &error);
	if (storage == NULL) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	p = g_new0(Probe, 1);
	p->self = g_object_ref(self);
	p->invocation = g_object_ref(invocation);
	p->storage = g_steal_pointer(&storage);
	/* a probe of its own per call: two tests never read each other's */
	p->key = g_strdup_printf(".hubd-probe/%s-%08x%08x",
				 g_get_host_name(),
				 g_random_int(),
				 g_random_int());
	data = g_malloc(PROBE_SIZE);
	for (guint i = 0; i < PROBE_SIZE; i++)
		data[i] = (guint8)g_random_int();
	p->probe = g_bytes_new_take(data, PROBE_SIZE);
	self->busy++;
	hubd_context_hold(context);
	stream = g_memory_input_stream_new_from_bytes(p->probe);
	hubd_storage_put_async(p->storage, p->key, stream, PROBE_SIZE, NULL, probe_put_cb, p);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- AddBackend, RemoveBackend ---- */

static gboolean
handle_add_backend(HubdDbusStorage *skeleton,
		   GDBusMethodInvocation *invocation,
		   const gchar *name,
		   const gchar *url,
		   GVariant *options,
		   gpointer user_data)
{
	hubd_storage_admin_add(HUBD_SERVICE(user_data), invocation, name, url, options);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_remove_backend(HubdDbusStorage *skeleton,
		      GDBusMethodInvocation *invocation,
		      const gchar *name,
		      GVariant *options,
		      gpointer user_data)
{
	hubd_storage_admin_remove(HUBD_SERVICE(user_data), invocation, name, options);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_mirror(HubdDbusStorage *skeleton,
	      GDBusMethodInvocation *invocation,
	      const gchar *repo_type,
	      const gchar *repo_id,
	      const gchar *revision,
	      const gchar *backend,
	      GVariant *options,
	      gpointer user_data)
{
	hubd_storage_mirror_job_start(HUBD_SERVICE(user_data),
				      invocation,
				      repo_type,
				      repo_id,
				      revision,
				      backend,
				      options);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_publish(HubdDbusStorage *skeleton,
	       GDBusMethodInvocation *invocation,
	       const gchar *repo_type,
	       const gchar *repo_id,
	       const gchar *path_in_repo,
	       const gchar *backend,
	       const gchar *key_or_prefix,
	       GVariant *options,
	       gpointer user_data)
{
	hubd_storage_publish_job_start(HUBD_SERVICE(user_data),
				       invocation,
				       backend,
				       key_or_prefix,
				       repo_type,
				       repo_id,
				       path_in_repo,
				       options);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- the service ---- */

static GDBusInterfaceSkeleton *
hubd_storage_service_create_skeleton(HubdService *service)
{
	HubdDbusStorage *skeleton = hubd_dbus_storage_skeleton_new();

	g_signal_connect(skeleton,
			 "handle-list-backends",
			 G_CALLBACK(handle_list_backends),
			 service);
	g_signal_connect(skeleton, "handle-test-backend", G_CALLBACK(handle_test_backend), service);
	g_signal_connect(skeleton, "handle-add-backend", G_CALLBACK(handle_add_backend), service);
	g_signal_connect(skeleton, "handle-mirror", G_CALLBACK(handle_mirror), service);
	g_signal_connect(skeleton, "handle-publish", G_CALLBACK(handle_publish), service);
	g_signal_connect(skeleton,
			 "handle-remove-backend",
			 G_CALLBACK(handle_remove_backend),
			 service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static gboolean
hubd_storage_service_is_busy(HubdService *service)
{
	return HUBD_STORAGE_SERVICE(service)->busy > 0;
}

static void
hubd_storage_service_class_init(HubdStorageServiceClass *klass)
{
	HubdServiceClass *service_class = HUBD_SERVICE_CLASS(klass);

	service_class->create_skeleton = hubd_storage_service_create_skeleton;
	service_class->is_busy = hubd_storage_service_is_busy;
}

static void
hubd_storage_service_init(HubdStorageService *self)
{
}
