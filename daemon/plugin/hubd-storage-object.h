/* hubd-storage-object.h: HubdStorageObject, what a storage backend knows of one stored object */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * HubdStorageObject:
 *
 * An immutable, reference-counted description of one object in a
 * #HubdStorage backend: its key, size in bytes, entity tag and the time it
 * was last written. Every field is set. Safe to share between threads.
 *
 * Since: 0.1
 */
typedef struct _HubdStorageObject HubdStorageObject;

#define HUBD_TYPE_STORAGE_OBJECT (hubd_storage_object_get_type())

GType
hubd_storage_object_get_type(void) G_GNUC_CONST;

HubdStorageObject *
hubd_storage_object_new(const gchar *key, guint64 size, const gchar *etag, GDateTime *modified);
HubdStorageObject *
hubd_storage_object_ref(HubdStorageObject *self);
void
hubd_storage_object_unref(HubdStorageObject *self);

const gchar *
hubd_storage_object_get_key(const HubdStorageObject *self);
guint64
hubd_storage_object_get_size(const HubdStorageObject *self);
const gchar *
hubd_storage_object_get_etag(const HubdStorageObject *self);
GDateTime *
hubd_storage_object_get_modified(const HubdStorageObject *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdStorageObject, hubd_storage_object_unref)

G_END_DECLS
