/* hubd-storage-conformance.h: the GTest cases every HubdStorage backend must pass */
#pragma once

#include "hubd-storage.h"

G_BEGIN_DECLS

/* How the suite gets a backend. `create` makes a fresh, empty one for each
 * test (a new folder, a new bucket or prefix); `destroy` (optional) is called
 * after the test with it, and the suite drops its reference afterwards. */
typedef struct {
	HubdStorage *(*create)(gpointer user_data, GError **error);
	void (*destroy)(HubdStorage *storage, gpointer user_data);
	gpointer user_data;
} HubdStorageConformance;

/* Adds every case below `path` (e.g. "/storage/file"). `conformance` must
 * live until g_test_run() returns. Cases run the default main context. */
void
hubd_storage_conformance_add_tests(const gchar *path, const HubdStorageConformance *conformance);

/* Synchronous helpers for a backend's own tests: each runs the default main
 * context until the operation is done. */
HubdStorageObject *
hubd_storage_conformance_put(HubdStorage *storage, const gchar *key, GBytes *bytes, GError **error);
HubdStorageObject *
hubd_storage_conformance_put_stream(HubdStorage *storage,
				    const gchar *key,
				    GInputStream *stream,
				    gint64 length,
				    GCancellable *cancellable,
				    GError **error);
/* Reads the range whole (asynchronously, as any backend's stream allows). */
GBytes *
hubd_storage_conformance_get(HubdStorage *storage,
			     const gchar *key,
			     guint64 offset,
			     gint64 length,
			     HubdStorageObject **object,
			     GError **error);
/* Reads the whole object after its first `skip` bytes the other way: the
 * stream skipped and read synchronously in a worker thread (as uploads from
 * a backend read it) while this thread runs the default context. */
GBytes *
hubd_storage_conformance_get_sync(HubdStorage *storage,
				  const gchar *key,
				  gsize skip,
				  GError **error);
HubdStorageObject *
hubd_storage_conformance_head(HubdStorage *storage, const gchar *key, GError **error);
/* Every page under `prefix`, checking each page's size and order; `pages`
 * (may be NULL) counts them. */
GPtrArray *
hubd_storage_conformance_list_all(HubdStorage *storage,
				  const gchar *prefix,
				  guint max_keys,
				  guint *pages,
				  GError **error);
gboolean
hubd_storage_conformance_delete(HubdStorage *storage, const gchar *key, GError **error);

/* `size` bytes that differ with `seed` (and from position to position). */
GBytes *
hubd_storage_conformance_make_bytes(gsize size, guint32 seed);

G_END_DECLS
