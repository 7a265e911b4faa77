/* hubd-storage.h: HubdStorage, the interface of object storage backends (file://, s3://) */
#pragma once

#include <gio/gio.h>

#include "hubd-storage-object.h"
#include "hubd-storage-part.h"

G_BEGIN_DECLS

typedef struct _HubdConfig HubdConfig;

/**
 * HUBD_STORAGE_MAX_KEY_LENGTH:
 *
 * The longest key, in bytes of UTF-8 (as S3's).
 *
 * Since: 0.1
 */
#define HUBD_STORAGE_MAX_KEY_LENGTH 1024

/**
 * HUBD_STORAGE_MAX_LIST_KEYS:
 *
 * The most objects one hubd_storage_list_async() page holds (as S3's
 * ListObjectsV2); a larger or zero max_keys means this.
 *
 * Since: 0.1
 */
#define HUBD_STORAGE_MAX_LIST_KEYS 1000

/**
 * HUBD_STORAGE_EXTENSION_POINT:
 *
 * The GIO extension point storage backends implement, with their URL scheme
 * as extension name (`file`, `s3`); it requires %HUBD_TYPE_STORAGE. Call
 * hubd_storage_register_extension_point() before implementing it.
 *
 * Since: 0.1
 */
#define HUBD_STORAGE_EXTENSION_POINT "hubd-storage"

/**
 * HubdStorage:
 *
 * An object storage backend: a folder (`file://`), a bucket (`s3://`). See
 * #HubdStorageInterface for what every backend guarantees.
 *
 * Since: 0.1
 */
#define HUBD_TYPE_STORAGE (hubd_storage_get_type())
G_DECLARE_INTERFACE(HubdStorage, hubd_storage, HUBD, STORAGE, GObject)

/**
 * HubdStorageInterface:
 * @parent_iface: the parent interface
 * @put_async: stores @stream under @key; @length is its exact length, or -1
 *   when unknown (read to end of stream). Atomic: readers see the previous
 *   object or the new one whole, never a part; of concurrent puts of one key
 *   exactly one wins whole. On any failure (the stream's error, cancellation,
 *   a stream shorter than @length) nothing of the new object is visible and
 *   a previous object under @key is intact. Only @length bytes are read when
 *   it is known.
 * @put_finish: the stored object's description
 * @get_async: a stream over [@offset, @offset + @length) of the object
 *   (@length -1: to its end). The range must lie within the object
 *   (@offset == size gives an empty stream); otherwise
 *   %HUBD_ERROR_INVALID_ARGUMENT, naming the key, range and size.
 * @get_finish: the stream, and the object's description (its whole size)
 * @head_async: the object's description
 * @head_finish: finishes @head_async
 * @list_async: the objects whose key starts with @prefix, in byte-wise
 *   lexicographic order of their keys (as ListObjectsV2), at most @max_keys
 *   (1..%HUBD_STORAGE_MAX_LIST_KEYS, the wrapper normalises it) after the page
 *   @page_token (NULL: the first page) designates.
 * @list_finish: a #GPtrArray of #HubdStorageObject, and the token of the next
 *   page, NULL on the last page
 * @delete_async: removes @key; a missing key is success (as S3's)
 * @delete_finish: finishes @delete_async
 * @multipart_begin_async: starts a multipart put of @key; nothing is visible
 *   under @key until it completes
 * @multipart_begin_finish: the upload id, an opaque string
 * @multipart_put_part_async: stores part @part_number of the upload, @length
 *   bytes (known) from @stream; putting a number again replaces the part
 * @multipart_put_part_finish: the part's number and entity tag
 * @multipart_complete_async: joins @parts (strictly ascending numbers, each
 *   the entity tag put_part gave) into the object @key, atomically as put;
 *   parts not listed are dropped. A listed part that was not uploaded, or
 *   whose tag differs, and a part but the last shorter than
 *   %HUBD_STORAGE_MIN_PART_SIZE: %HUBD_ERROR_INVALID_ARGUMENT, nothing stored.
 * @multipart_complete_finish: the stored object's description
 * @multipart_abort_async: drops the upload and its parts
 * @multipart_abort_finish: finishes @multipart_abort_async
 * @store_secret_async: (optional) stores @secret (NULL: forgets it) where the
 *   backend keeps its own credential (the S3 plugin: the keyring, under its
 *   libsecret schema); backends without a secret leave it NULL
 * @store_secret_finish: finishes @store_secret_async
 * @delete_many_async: (optional) removes every key of @keys (at most
 *   %HUBD_STORAGE_MAX_LIST_KEYS, checked), as delete does each; missing keys
 *   are success. Without it, the wrapper deletes them one by one.
 * @delete_many_finish: finishes @delete_many_async
 *
 * What every storage backend implements. Backends are #GObject types that
 * also implement #GInitable (configuration checks at construction, no network
 * I/O) and override the "name", "url" and "options" properties; they register
 * on %HUBD_STORAGE_EXTENSION_POINT with their URL scheme as extension name.
 *
 * Callers use the hubd_storage_*_async() wrappers, which check keys, prefixes,
 * ranges and part numbers first, so a backend's vfuncs receive only valid
 * arguments, and convert errors to %HUBD_ERROR. A missing key or upload is
 * %HUBD_ERROR_ENTRY_NOT_FOUND. Every vfunc must not block the calling thread:
 * backends run blocking work in threads (g_task_run_in_thread()). A stream a
 * caller passes may be read from a worker thread with blocking reads, or with
 * async reads; the stream returned by get supports both. Tasks use the
 * storage as source object. docs/storage.md is the full contract.
 *
 * Since: 0.1
 */
struct _HubdStorageInterface {
	GTypeInterface parent_iface;

	void (*put_async)(HubdStorage *self,
			  const gchar *key,
			  GInputStream *stream,
			  gint64 length,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
	HubdStorageObject *(*put_finish)(HubdStorage *self, GAsyncResult *result, GError **error);

	void (*get_async)(HubdStorage *self,
			  const gchar *key,
			  guint64 offset,
			  gint64 length,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
	GInputStream *(*get_finish)(HubdStorage *self,
				    GAsyncResult *result,
				    HubdStorageObject **object,
				    GError **error);

	void (*head_async)(HubdStorage *self,
			   const gchar *key,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
	HubdStorageObject *(*head_finish)(HubdStorage *self, GAsyncResult *result, GError **error);

	void (*list_async)(HubdStorage *self,
			   const gchar *prefix,
			   const gchar *page_token,
			   guint max_keys,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
	GPtrArray *(*list_finish)(HubdStorage *self,
				  GAsyncResult *result,
				  gchar **next_page_token,
				  GError **error);

	void (*delete_async)(HubdStorage *self,
			     const gchar *key,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
	gboolean (*delete_finish)(HubdStorage *self, GAsyncResult *result, GError **error);

	void (*multipart_begin_async)(HubdStorage *self,
				      const gchar *key,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
	gchar *(*multipart_begin_finish)(HubdStorage *self, GAsyncResult *result, GError **error);

	void (*multipart_put_part_async)(HubdStorage *self,
					 const gchar *key,
					 const gchar *upload_id,
					 guint part_number,
					 GInputStream *stream,
					 gint64 length,
					 GCancellable *cancellable,
					 GAsyncReadyCallback callback,
					 gpointer user_data);
	HubdStoragePart *(*multipart_put_part_finish)(HubdStorage *self,
						      GAsyncResult *result,
						      GError **error);

	void (*multipart_complete_async)(HubdStorage *self,
					 const gchar *key,
					 const gchar *upload_id,
					 GPtrArray *parts,
					 GCancellable *cancellable,
					 GAsyncReadyCallback callback,
					 gpointer user_data);
	HubdStorageObject *(*multipart_complete_finish)(HubdStorage *self,
							GAsyncResult *result,
							GError **error);

	void (*multipart_abort_async)(HubdStorage *self,
				      const gchar *key,
				      const gchar *upload_id,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
	gboolean (*multipart_abort_finish)(HubdStorage *self, GAsyncResult *result, GError **error);
	void (*store_secret_async)(HubdStorage *self,
				   const gchar *secret,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
	gboolean (*store_secret_finish)(HubdStorage *self, GAsyncResult *result, GError **error);
	void (*delete_many_async)(HubdStorage *self,
				  const gchar *const *keys,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
	gboolean (*delete_many_finish)(HubdStorage *self, GAsyncResult *result, GError **error);

	/*< private >*/
	gpointer padding[8];
};

void
hubd_storage_register_extension_point(void);

/* keys and prefixes */
gboolean
hubd_storage_key_validate(const gchar *key, GError **error);
gboolean
hubd_storage_prefix_validate(const gchar *prefix, GError **error);

/* construction */
HubdStorage *
hubd_storage_new(const gchar *name,
		 const gchar *url,
		 GVariant *options,
		 GCancellable *cancellable,
		 GError **error);
HubdStorage *
hubd_storage_new_from_config(HubdConfig *config,
			     const gchar *name,
			     GCancellable *cancellable,
			     GError **error);
gchar *
hubd_storage_dup_name(HubdStorage *self);
gchar *
hubd_storage_dup_url(HubdStorage *self);

/* objects */
void
hubd_storage_put_async(HubdStorage *self,
		       const gchar *key,
		       GInputStream *stream,
		       gint64 length,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
HubdStorageObject *
hubd_storage_put_finish(HubdStorage *self, GAsyncResult *result, GError **error);

void
hubd_storage_get_async(HubdStorage *self,
		       const gchar *key,
		       guint64 offset,
		       gint64 length,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
GInputStream *
hubd_storage_get_finish(HubdStorage *self,
			GAsyncResult *result,
			HubdStorageObject **object,
			GError **error);

void
hubd_storage_head_async(HubdStorage *self,
			const gchar *key,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data);
HubdStorageObject *
hubd_storage_head_finish(HubdStorage *self, GAsyncResult *result, GError **error);

void
hubd_storage_list_async(HubdStorage *self,
			const gchar *prefix,
			const gchar *page_token,
			guint max_keys,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data);
GPtrArray *
hubd_storage_list_finish(HubdStorage *self,
			 GAsyncResult *result,
			 gchar **next_page_token,
			 GError **error);

void
hubd_storage_delete_async(HubdStorage *self,
			  const gchar *key,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
gboolean
hubd_storage_delete_finish(HubdStorage *self, GAsyncResult *result, GError **error);

/* multipart puts */
void
hubd_storage_multipart_begin_async(HubdStorage *self,
				   const gchar *key,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
gchar *
hubd_storage_multipart_begin_finish(HubdStorage *self, GAsyncResult *result, GError **error);

void
hubd_storage_multipart_put_part_async(HubdStorage *self,
				      const gchar *key,
				      const gchar *upload_id,
				      guint part_number,
				      GInputStream *stream,
				      gint64 length,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
HubdStoragePart *
hubd_storage_multipart_put_part_finish(HubdStorage *self, GAsyncResult *result, GError **error);

void
hubd_storage_multipart_complete_async(HubdStorage *self,
				      const gchar *key,
				      const gchar *upload_id,
				      GPtrArray *parts,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
HubdStorageObject *
hubd_storage_multipart_complete_finish(HubdStorage *self, GAsyncResult *result, GError **error);

void
hubd_storage_multipart_abort_async(HubdStorage *self,
				   const gchar *key,
				   const gchar *upload_id,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
gboolean
hubd_storage_multipart_abort_finish(HubdStorage *self, GAsyncResult *result, GError **error);

void
hubd_storage_delete_many_async(HubdStorage *self,
			       const gchar *const *keys,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
hubd_storage_delete_many_finish(HubdStorage *self, GAsyncResult *result, GError **error);

/* credentials */
void
hubd_storage_store_secret_async(HubdStorage *self,
				const gchar *secret,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
gboolean
hubd_storage_store_secret_finish(HubdStorage *self, GAsyncResult *result, GError **error);

G_END_DECLS
