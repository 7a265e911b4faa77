/* hubd-storage-object.c: HubdStorageObject, what a storage backend knows of one stored object */
#define G_LOG_DOMAIN "HubdStorage"

#include "hubd-storage-object.h"

struct _HubdStorageObject {
	gint refcount; /* atomic */
	gchar *key;
	guint64 size;
	gchar *etag;
	GDateTime *modified;
};

G_DEFINE_BOXED_TYPE(HubdStorageObject,
		    hubd_storage_object,
		    hubd_storage_object_ref,
		    hubd_storage_object_unref)

/**
 * hubd_storage_object_new:
 * @key: the object's key (see hubd_storage_key_validate())
 * @size: its size in bytes
 * @etag: its entity tag, unquoted: a string that changes whenever the content
 *   changes (the file backend's is the hex SHA-256 of the content)
 * @modified: when it was last written
 *
 * For backends: describes a stored object.
 *
 * Returns: (transfer full): a new #HubdStorageObject
 *
 * Since: 0.1
 */
HubdStorageObject *
hubd_storage_object_new(const gchar *key, guint64 size, const gchar *etag, GDateTime *modified)
{
	HubdStorageObject *self;

	g_return_val_if_fail(key != NULL, NULL);
	g_return_val_if_fail(etag != NULL, NULL);
	g_return_val_if_fail(modified != NULL, NULL);

	self = g_new0(HubdStorageObject, 1);
	self->refcount = 1;
	self->key = g_strdup(key);
	self->size = size;
	self->etag = g_strdup(etag);
	self->modified = g_date_time_ref(modified);
	return self;
}

/**
 * hubd_storage_object_ref:
 * @self: a #HubdStorageObject
 *
 * Returns: (transfer full): @self, with one more reference
 *
 * Since: 0.1
 */
HubdStorageObject *
hubd_storage_object_ref(HubdStorageObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->refcount);
	return self;
}

/**
 * hubd_storage_object_unref:
 * @self: (transfer full): a #HubdStorageObject
 *
 * Drops one reference; the last one frees it.
 *
 * Since: 0.1
 */
void
hubd_storage_object_unref(HubdStorageObject *self)
{
	g_return_if_fail(self != NULL);
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	g_free(self->key);
	g_free(self->etag);
	g_date_time_unref(self->modified);
	g_free(self);
}

/**
 * hubd_storage_object_get_key:
 * @self: a #HubdStorageObject
 *
 * Returns: the object's key
 *
 * Since: 0.1
 */
const gchar *
hubd_storage_object_get_key(const HubdStorageObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->key;
}

/**
 * hubd_storage_object_get_size:
 * @self: a #HubdStorageObject
 *
 * Returns: the object's whole size in bytes (also when it was read by range)
 *
 * Since: 0.1
 */
guint64
hubd_storage_object_get_size(const HubdStorageObject *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->size;
}

/**
 * hubd_storage_object_get_etag:
 * @self: a #HubdStorageObject
 *
 * Returns: the entity tag, unquoted; it changes whenever the content does
 *
 * Since: 0.1
 */
const gchar *
hubd_storage_object_get_etag(const HubdStorageObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->etag;
}

/**
 * hubd_storage_object_get_modified:
 * @self: a #HubdStorageObject
 *
 * Returns: (transfer none): when the object was last written
 *
 * Since: 0.1
 */
GDateTime *
hubd_storage_object_get_modified(const HubdStorageObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->modified;
}
