/* hubd-storage-part.h: HubdStoragePart, one uploaded part of a multipart put */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * HUBD_STORAGE_MAX_PARTS:
 *
 * The highest part number of a multipart put (as S3's).
 *
 * Since: 0.1
 */
#define HUBD_STORAGE_MAX_PARTS 10000

/**
 * HUBD_STORAGE_MIN_PART_SIZE:
 *
 * Every part of a multipart put but the last must be at least this long
 * (5 MiB, as S3's); hubd_storage_multipart_complete_async() fails otherwise,
 * on every backend.
 *
 * Since: 0.1
 */
#define HUBD_STORAGE_MIN_PART_SIZE (5 * 1024 * 1024)

/**
 * HubdStoragePart:
 *
 * An immutable, reference-counted record of one uploaded part: its number
 * (1..%HUBD_STORAGE_MAX_PARTS) and the entity tag the backend gave it.
 * hubd_storage_multipart_put_part_finish() returns one; the caller hands the
 * list back to hubd_storage_multipart_complete_async().
 *
 * Since: 0.1
 */
typedef struct _HubdStoragePart HubdStoragePart;

#define HUBD_TYPE_STORAGE_PART (hubd_storage_part_get_type())

GType
hubd_storage_part_get_type(void) G_GNUC_CONST;

HubdStoragePart *
hubd_storage_part_new(guint number, const gchar *etag);
HubdStoragePart *
hubd_storage_part_ref(HubdStoragePart *self);
void
hubd_storage_part_unref(HubdStoragePart *self);

guint
hubd_storage_part_get_number(const HubdStoragePart *self);
const gchar *
hubd_storage_part_get_etag(const HubdStoragePart *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdStoragePart, hubd_storage_part_unref)

G_END_DECLS
