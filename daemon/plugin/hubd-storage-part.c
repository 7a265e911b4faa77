/* hubd-storage-part.c: HubdStoragePart, one uploaded part of a multipart put */
#define G_LOG_DOMAIN "HubdStorage"

#include "hubd-storage-part.h"

struct _HubdStoragePart {
	gint refcount; /* atomic */
	guint number;
	gchar *etag;
};

G_DEFINE_BOXED_TYPE(HubdStoragePart,
		    hubd_storage_part,
		    hubd_storage_part_ref,
		    hubd_storage_part_unref)

/**
 * hubd_storage_part_new:
 * @number: the part number, 1..%HUBD_STORAGE_MAX_PARTS
 * @etag: the entity tag the backend gave the part, unquoted
 *
 * Returns: (transfer full): a new #HubdStoragePart
 *
 * Since: 0.1
 */
HubdStoragePart *
hubd_storage_part_new(guint number, const gchar *etag)
{
	HubdStoragePart *self;

	g_return_val_if_fail(etag != NULL, NULL);

	self = g_new0(HubdStoragePart, 1);
	self->refcount = 1;
	self->number = number;
	self->etag = g_strdup(etag);
	return self;
}

/**
 * hubd_storage_part_ref:
 * @self: a #HubdStoragePart
 *
 * Returns: (transfer full): @self, with one more reference
 *
 * Since: 0.1
 */
HubdStoragePart *
hubd_storage_part_ref(HubdStoragePart *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->refcount);
	return self;
}

/**
 * hubd_storage_part_unref:
 * @self: (transfer full): a #HubdStoragePart
 *
 * Drops one reference; the last one frees it.
 *
 * Since: 0.1
 */
void
hubd_storage_part_unref(HubdStoragePart *self)
{
	g_return_if_fail(self != NULL);
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	g_free(self->etag);
	g_free(self);
}

/**
 * hubd_storage_part_get_number:
 * @self: a #HubdStoragePart
 *
 * Returns: the part number, 1..%HUBD_STORAGE_MAX_PARTS
 *
 * Since: 0.1
 */
guint
hubd_storage_part_get_number(const HubdStoragePart *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->number;
}

/**
 * hubd_storage_part_get_etag:
 * @self: a #HubdStoragePart
 *
 * Returns: the entity tag the backend gave the part, unquoted
 *
 * Since: 0.1
 */
const gchar *
hubd_storage_part_get_etag(const HubdStoragePart *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->etag;
}
