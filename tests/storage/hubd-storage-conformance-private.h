/* hubd-storage-conformance-private.h: what the parts of the conformance suite
 * share — the fixture, the running of async calls, the checks, the multipart
 * calls, and the registration of each part's cases */
#pragma once

#include "hubd-storage-conformance.h"

G_BEGIN_DECLS

#define KiB 1024
#define MiB (1024 * 1024)
/* A call that sets `error` when it fails: the error's message, not only
 * "should be TRUE", is what a failure in CI prints. */
#define ASSERT_CALL(call)                 \
	G_STMT_START                      \
	{                                 \
		gboolean ok_ = (call);    \
		g_assert_no_error(error); \
		g_assert_true(ok_);       \
	}                                 \
	G_STMT_END

typedef struct {
	HubdStorage *storage;
	const HubdStorageConformance *conformance;
} Fixture;

/* running async calls to completion (hubd-storage-conformance.c) */
void
store_result_cb(GObject *source, GAsyncResult *result, gpointer user_data);
GAsyncResult *
wait_result(GAsyncResult **slot);
GPtrArray *
list_page(HubdStorage *storage,
	  const gchar *prefix,
	  const gchar *token,
	  guint max_keys,
	  gchar **next,
	  GError **error);

/* checks (hubd-storage-conformance.c) */
void
assert_bytes_equal(GBytes *got, GBytes *expected);
void
assert_content(HubdStorage *storage, const gchar *key, GBytes *expected);
void
assert_missing(HubdStorage *storage, const gchar *key);
gchar *
list_keys(HubdStorage *storage, const gchar *prefix, guint max_keys, guint *pages);
HubdStorageObject *
put_string(HubdStorage *storage, const gchar *key, const gchar *text);

/* multipart calls run to completion (hubd-storage-conformance-multipart.c) */
gchar *
mp_begin(HubdStorage *storage, const gchar *key, GError **error);
HubdStoragePart *
mp_put_part(HubdStorage *storage,
	    const gchar *key,
	    const gchar *upload_id,
	    guint number,
	    GInputStream *stream,
	    gint64 length,
	    GError **error);
HubdStorageObject *
mp_complete(HubdStorage *storage,
	    const gchar *key,
	    const gchar *upload_id,
	    GPtrArray *parts,
	    GError **error);
gboolean
mp_abort(HubdStorage *storage, const gchar *key, const gchar *upload_id, GError **error);
GPtrArray *
parts_new(void);

/* registration: a case is a test function on a Fixture, with a fresh backend */
typedef struct {
	const gchar *name;
	GTestFixtureFunc func;
} Case;

void
hubd_storage_conformance_add_cases(const gchar *path,
				   const HubdStorageConformance *conformance,
				   const Case *cases,
				   guint n_cases);
/* each part's cases, called in this order by hubd_storage_conformance_add_tests() */
void
hubd_storage_conformance_add_object_tests(const gchar *path,
					  const HubdStorageConformance *conformance);
void
hubd_storage_conformance_add_list_tests(const gchar *path,
					const HubdStorageConformance *conformance);
void
hubd_storage_conformance_add_multipart_tests(const gchar *path,
					     const HubdStorageConformance *conformance);
void
hubd_storage_conformance_add_key_tests(const gchar *path,
				       const HubdStorageConformance *conformance);

G_END_DECLS
