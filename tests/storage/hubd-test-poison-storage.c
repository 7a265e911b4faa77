/* hubd-test-poison-storage.c: HubdTestPoisonStorage, a backend that counts every call it gets and
 * does nothing */
#define G_LOG_DOMAIN "HubdTestPoisonStorage"

#include "hubd-test-poison-storage.h"

#include "hubd-error.h"

struct _HubdTestPoisonStorage {
	GObject parent_instance;
	guint calls;
};

static void
hubd_test_poison_storage_iface_init(HubdStorageInterface *iface);

G_DEFINE_TYPE_WITH_CODE(HubdTestPoisonStorage,
			hubd_test_poison_storage,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(HUBD_TYPE_STORAGE,
					      hubd_test_poison_storage_iface_init))

enum { PROP_0, PROP_NAME, PROP_URL, PROP_OPTIONS };

static void
poison_called(gpointer storage, GAsyncReadyCallback callback, gpointer user_data)
{
	HubdTestPoisonStorage *self = HUBD_TEST_POISON_STORAGE(storage);

	self->calls++;
	g_task_report_new_error(self,
				callback,
				user_data,
				poison_called,
				HUBD_ERROR,
				HUBD_ERROR_FAILED,
				"the poison backend was called");
}

static gpointer
poison_finish_pointer(gpointer storage, GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

static gboolean
poison_finish_boolean(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
poison_put_async(HubdStorage *storage,
		 const gchar *key,
		 GInputStream *stream,
		 gint64 length,
		 GCancellable *cancellable,
		 GAsyncReadyCallback callback,
		 gpointer user_data)
{
	poison_called(storage, callback, user_data);
}

static void
poison_get_async(HubdStorage *storage,
		 const gchar *key,
		 guint64 offset,
		 gint64 length,
		 GCancellable *cancellable,
		 GAsyncReadyCallback callback,
		 gpointer user_data)
{
	poison_called(storage, callback, user_data);
}

static GInputStream *
poison_get_finish(HubdStorage *storage,
		  GAsyncResult *result,
		  HubdStorageObject **object,
		  GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
poison_key_async(HubdStorage *storage,
		 const gchar *key,
		 GCancellable *cancellable,
		 GAsyncReadyCallback callback,
		 gpointer user_data)
{
	poison_called(storage, callback, user_data);
}

static void
poison_list_async(HubdStorage *storage,
		  const gchar *prefix,
		  const gchar *page_token,
		  guint max_keys,
		  GCancellable *cancellable,
		  GAsyncReadyCallback callback,
		  gpointer user_data)
{
	poison_called(storage, callback, user_data);
}

static GPtrArray *
poison_list_finish(HubdStorage *storage,
		   GAsyncResult *result,
		   gchar **next_page_token,
		   GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
poison_put_part_async(HubdStorage *storage,
		      const gchar *key,
		      const gchar *upload_id,
		      guint part_number,
		      GInputStream *stream,
		      gint64 length,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data)
{
	poison_called(storage, callback, user_data);
}

static void
poison_complete_async(HubdStorage *storage,
		      const gchar *key,
		      const gchar *upload_id,
		      GPtrArray *parts,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data)
{
	poison_called(storage, callback, user_data);
}

static void
poison_abort_async(HubdStorage *storage,
		   const gchar *key,
		   const gchar *upload_id,
		   GCancellable *cancellable,
		   GAsyncReadyCallback callback,
		   gpointer user_data)
{
	poison_called(storage, callback, user_data);
}

static void
hubd_test_poison_storage_iface_init(HubdStorageInterface *iface)
{
	iface->put_async = poison_put_async;
	iface->put_finish = (gpointer)poison_finish_pointer;
	iface->get_async = poison_get_async;
	iface->get_finish = poison_get_finish;
	iface->head_async = poison_key_async;
	iface->head_finish = (gpointer)poison_finish_pointer;
	iface->list_async = poison_list_async;
	iface->list_finish = poison_list_finish;
	iface->delete_async = poison_key_async;
	iface->delete_finish = poison_finish_boolean;
	iface->multipart_begin_async = poison_key_async;
	iface->multipart_begin_finish = (gpointer)poison_finish_pointer;
	iface->multipart_put_part_async = poison_put_part_async;
	iface->multipart_put_part_finish = (gpointer)poison_finish_pointer;
	iface->multipart_complete_async = poison_complete_async;
	iface->multipart_complete_finish = (gpointer)poison_finish_pointer;
	iface->multipart_abort_async = poison_abort_async;
	iface->multipart_abort_finish = poison_finish_boolean;
}

static void
hubd_test_poison_storage_get_property(GObject *object,
				      guint prop_id,
				      GValue *value,
				      GParamSpec *pspec)
{
	switch (prop_id) {
	case PROP_NAME:
		g_value_set_string(value, "poison");
		break;
	case PROP_URL:
		g_value_set_string(value, "poison:");
		break;
	case PROP_OPTIONS:
		g_value_set_variant(value, NULL);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
hubd_test_poison_storage_set_property(GObject *object,
				      guint prop_id,
				      const GValue *value,
				      GParamSpec *pspec)
{
	/* construct-only properties nobody sets: nothing to keep */
}

static void
hubd_test_poison_storage_class_init(HubdTestPoisonStorageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_test_poison_storage_get_property;
	object_class->set_property = hubd_test_poison_storage_set_property;
	g_object_class_override_property(object_class, PROP_NAME, "name");
	g_object_class_override_property(object_class, PROP_URL, "url");
	g_object_class_override_property(object_class, PROP_OPTIONS, "options");
}

static void
hubd_test_poison_storage_init(HubdTestPoisonStorage *self)
{
}

HubdStorage *
hubd_test_poison_storage_new(void)
{
	return g_object_new(HUBD_TYPE_TEST_POISON_STORAGE, NULL);
}

guint
hubd_test_poison_storage_get_calls(HubdTestPoisonStorage *self)
{
	return self->calls;
}
