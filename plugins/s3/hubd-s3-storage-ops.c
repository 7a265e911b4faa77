/* hubd-s3-storage-ops.c: HubdStorage's operations as S3 requests: HeadObject, GetObject with a
 * Range, ListObjectsV2, DeleteObject and the multipart calls (S3 API reference) */
#define G_LOG_DOMAIN "HubdS3"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-s3-body-stream.h"
#include "hubd-s3-credentials.h"
#include "hubd-s3-storage.h"
#include "hubd-s3-xml.h"

/* ---- what an answer says of its object ---- */

static HubdStorageObject *
object_from_headers(const gchar *key, SoupMessage *msg, guint64 size)
{
	SoupMessageHeaders *headers = soup_message_get_response_headers(msg);
	g_autofree gchar *etag =
		hubd_s3_xml_unquote_etag(soup_message_headers_get_one(headers, "ETag"));
	g_autoptr(GDateTime) time =
		hubd_s3_xml_parse_time(soup_message_headers_get_one(headers, "Last-Modified"));

	return hubd_storage_object_new(key, size, etag, time);
}

/* The whole size of the object of a 200 or 206 answer (-1: not said). */
static gint64
object_size(SoupMessage *msg)
{
	SoupMessageHeaders *headers = soup_message_get_response_headers(msg);
	goffset start = 0, end = 0, total = -1;

	if (soup_message_get_status(msg) == 206) {
		if (!soup_message_headers_get_content_range(headers, &start, &end, &total))
			return -1;
		return total;
	}
	return soup_message_headers_get_content_length(headers);
}

static HubdS3Request *
key_request(HubdS3Storage *self, const gchar *method, const gchar *key)
{
	g_autofree gchar *full = hubd_s3_config_full_key(hubd_s3_storage_get_config(self), key);

	return hubd_s3_request_new(method, full, key);
}

/* ---- head ---- */

static void
head_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(SoupMessage) msg = NULL;
	GError *error = NULL;
	g_autoptr(GInputStream) stream =
		hubd_s3_storage_request_finish(HUBD_S3_STORAGE(source), res, &msg, NULL, &error);

	if (stream == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task,
			      object_from_headers(g_task_get_task_data(task),
						  msg,
						  (guint64)MAX(object_size(msg), 0)),
			      (GDestroyNotify)hubd_storage_object_unref);
}

static void
s3_head_async(HubdStorage *storage,
	      const gchar *key,
	      GCancellable *cancellable,
	      GAsyncReadyCallback callback,
	      gpointer user_data)
{
	HubdS3Storage *self = HUBD_S3_STORAGE(storage);
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, s3_head_async);
	g_task_set_task_data(task, g_strdup(key), g_free);
	hubd_s3_storage_request_async(self,
				      key_request(self, "HEAD", key),
				      TRUE,
				      cancellable,
				      head_cb,
				      g_steal_pointer(&task));
}

static HubdStorageObject *
s3_object_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

static gboolean
s3_boolean_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- get ---- */

typedef struct {
	gchar *key;
	guint64 offset;
	gint64 length;
	HubdStorageObject *object;
} Get;

static void
get_free(Get *get)
{
	g_free(get->key);
	g_clear_pointer(&get->object, hubd_storage_object_unref);
	g_free(get);
}

static GError *
bad_range(HubdS3Storage *self, Get *get, guint64 size)
{
	g_autofree gchar *end =
		get->length < 0
			? g_strdup(_("the end"))
			: g_strdup_printf("%" G_GUINT64_FORMAT, get->offset + (guint64)get->length);

	return g_error_new(HUBD_ERROR,
			   HUBD_ERROR_INVALID_ARGUMENT,
			   _("The range %" G_GUINT64_FORMAT " to %s of “%s” in the storage backend "
			     "“%s” is not within its %" G_GUINT64_FORMAT " bytes"),
			   get->offset,
			   end,
			   get->key,
			   hubd_s3_storage_get_config(self)->name,
			   size);
}

/* A range S3 cannot serve (empty, or from the end): the head decides. */
static void
get_head_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Get *get = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdStorageObject) object =
		hubd_storage_head_finish(HUBD_STORAGE(source), res, &error);
	guint64 size;

	if (object == NULL) {
		g_task_return_error(task, error);
		return;
	}
	size = hubd_storage_object_get_size(object);
	if (get->offset > size || (get->length > 0 && get->offset + (guint64)get->length > size)) {
		g_task_return_error(task, bad_range(HUBD_S3_STORAGE(source), get, size));
		return;
	}
	if (get->length != 0 && get->offset < size) {
		/* the object changed between the get and the head: say so */
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_CONFLICT,
					_("“%s” changed while it was read"),
					get->key);
		return;
	}
	get->object = g_steal_pointer(&object);
	g_task_return_pointer(task, g_memory_input_stream_new(), g_object_unref);
}

static void
get_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Get *get = g_task_get_task_data(task);
	g_autoptr(SoupMessage) msg = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GInputStream) stream =
		hubd_s3_storage_request_finish(HUBD_S3_STORAGE(source), res, &msg, NULL, &error);
	SoupMessageHeaders *headers;
	gint64 size;

	if (stream == NULL) {
		if (g_error_matches(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT) &&
		    strstr(error->message, "InvalidRange") != NULL) {
			{
				GCancellable *cancellable = g_task_get_cancellable(task);
				hubd_storage_head_async(HUBD_STORAGE(source),
							get->key,
							cancellable,
							get_head_cb,
							g_steal_pointer(&task));
			}
			return;
		}
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	size = object_size(msg);
	if (size < 0) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The S3 server did not say the size of “%s”"),
					get->key);
		return;
	}
	if (get->length > 0 && get->offset + (guint64)get->length > (guint64)size) {
		g_task_return_error(task, bad_range(HUBD_S3_STORAGE(source), get, (guint64)size));
		return;
	}
	get->object = object_from_headers(get->key, msg, (guint64)size);
	headers = soup_message_get_response_headers(msg);
	if (soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CONTENT_LENGTH) {
		/* libsoup ends a body cut short like a whole one: count it,
		 * and ask for the rest of a cut one */
		goffset start = 0;
		goffset end = 0;
		goffset total = 0; /* libsoup writes all three */
		GInputStream *counted;

		if (soup_message_get_status(msg) != 206 ||
		    !soup_message_headers_get_content_range(headers, &start, &end, &total))
			start = 0;
		counted = hubd_s3_body_stream_new(
			HUBD_S3_STORAGE(source),
			stream,
			get->key,
			hubd_storage_object_get_etag(get->object),
			(guint64)start,
			(guint64)soup_message_headers_get_content_length(headers));
		g_object_unref(stream);
		stream = counted;
	}
	g_task_return_pointer(task, g_steal_pointer(&stream), g_object_unref);
}

static void
s3_get_async(HubdStorage *storage,
	     const gchar *key,
	     guint64 offset,
	     gint64 length,
	     GCancellable *cancellable,
	     GAsyncReadyCallback callback,
	     gpointer user_data)
{
	HubdS3Storage *self = HUBD_S3_STORAGE(storage);
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	HubdS3Request *req = key_request(self, "GET", key);
	Get *get = g_new0(Get, 1);

	get->key = g_strdup(key);
	get->offset = offset;
	get->length = length;
	g_task_set_source_tag(task, s3_get_async);
	g_task_set_task_data(task, get, (GDestroyNotify)get_free);
	if (length == 0) {
		/* S3 has no empty range: the head says whether it is within */
		hubd_s3_request_free(req);
		hubd_storage_head_async(storage,
					key,
					cancellable,
					get_head_cb,
					g_steal_pointer(&task));
		return;
	}
	if (offset > 0 || length > 0) {
		g_autofree gchar *range =
			length > 0
				? g_strdup_printf("bytes=%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT,
						  offset,
						  offset + (guint64)length - 1)
				: g_strdup_printf("bytes=%" G_GUINT64_FORMAT "-", offset);
		hubd_s3_request_set_header(req, "Range", range);
	}
	/* the body is the caller's to read: no identity change on the way */
	hubd_s3_request_set_header(req, "Accept-Encoding", "identity");
	hubd_s3_storage_request_async(self,
				      req,
				      FALSE,
				      cancellable,
				      get_cb,
				      g_steal_pointer(&task));
}

static GInputStream *
s3_get_finish(HubdStorage *storage,
	      GAsyncResult *result,
	      HubdStorageObject **object,
	      GError **error)
{
	Get *get = g_task_get_task_data(G_TASK(result));
	GInputStream *stream = g_task_propagate_pointer(G_TASK(result), error);

	if (stream != NULL && object != NULL)
		*object = hubd_storage_object_ref(get->object);
	return stream;
}

/* ---- list ---- */

typedef struct {
	GPtrArray *objects;
	gchar *next;
} Page;

static void
page_free(Page *page)
{
	g_clear_pointer(&page->objects, g_ptr_array_unref);
	g_free(page->next);
	g_free(page);
}

static void
list_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	HubdS3Storage *self = HUBD_S3_STORAGE(source);
	g_autoptr(GBytes) answer = NULL;
	GError *error = NULL;
	g_autoptr(GInputStream) stream =
		hubd_s3_storage_request_finish(self, res, NULL, &answer, &error);
	Page *page;

	if (stream == NULL) {
		g_task_return_error(task, error);
		return;
	}
	page = g_new0(Page, 1);
	page->objects = hubd_s3_xml_read_list(answer,
					      hubd_s3_storage_get_config(self)->prefix,
					      &page->next,
					      &error);
	if (page->objects == NULL) {
		page_free(page);
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, page, (GDestroyNotify)page_free);
}

static void
s3_list_async(HubdStorage *storage,
	      const gchar *prefix,
	      const gchar *page_token,
	      guint max_keys,
	      GCancellable *cancellable,
	      GAsyncReadyCallback callback,
	      gpointer user_data)
{
	HubdS3Storage *self = HUBD_S3_STORAGE(storage);
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autofree gchar *full = hubd_s3_config_full_key(hubd_s3_storage_get_config(self), prefix);
	g_autofree gchar *count = g_strdup_printf("%u", max_keys);
	HubdS3Request *req = hubd_s3_request_new("GET", NULL, NULL);

	g_task_set_source_tag(task, s3_list_async);
	hubd_s3_request_add_query(req, "list-type", "2");
	hubd_s3_request_add_query(req, "max-keys", count);
	if (full[0] != '\0')
		hubd_s3_request_add_query(req, "prefix", full);
	if (page_token != NULL)
		hubd_s3_request_add_query(req, "continuation-token", page_token);
	hubd_s3_storage_request_async(self,
				      req,
				      TRUE,
				      cancellable,
				      list_cb,
				      g_steal_pointer(&task));
}

static GPtrArray *
s3_list_finish(HubdStorage *storage, GAsyncResult *result, gchar **next_page_token, GError **error)
{
	Page *page = g_task_propagate_pointer(G_TASK(result), error);
	GPtrArray *objects;

	if (page == NULL)
		return NULL;
	objects = g_steal_pointer(&page->objects);
	if (next_page_token != NULL)
		*next_page_token = g_steal_pointer(&page->next);
	page_free(page);
	return objects;
}

/* ---- delete, abort: an answer with nothing to read ---- */

static void
boolean_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	GError *error = NULL;
	g_autoptr(GInputStream) stream =
		hubd_s3_storage_request_finish(HUBD_S3_STORAGE(source), res, NULL, NULL, &error);

	if (stream == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

static void
s3_delete_async(HubdStorage *storage,
		const gchar *key,
		GCancellable *cancellable,
		GAsyncReadyCallback callback,
		gpointer user_data)
{
	HubdS3Storage *self = HUBD_S3_STORAGE(storage);
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, s3_delete_async);
	hubd_s3_storage_request_async(self,
				      key_request(self, "DELETE", key),
				      TRUE,
				      cancellable,
				      boolean_cb,
				      g_steal_pointer(&task));
}

/* ---- the secret access key, into the keyring ---- */

static void
s3_secret_stored_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	GError *error = NULL;

	if (!hubd_s3_credentials_store_finish(res, &error))
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

static void
s3_store_secret_async(HubdStorage *storage,
		      const gchar *secret,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data)
{
	const HubdS3Config *config = hubd_s3_storage_get_config(HUBD_S3_STORAGE(storage));
	g_autoptr(GTask) task = g_task_new(storage, cancellable, callback, user_data);

	g_task_set_source_tag(task, s3_store_secret_async);
	if (secret != NULL && config->credentials != HUBD_S3_CREDENTIALS_KEYRING) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("The storage backend “%s” reads its credentials from the "
					  "environment or an AWS profile: there is no secret to "
					  "store"),
					config->name);
		return;
	}
	if (secret != NULL && secret[0] == '\0') {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_INVALID_ARGUMENT,
					_("The secret access key of the storage backend “%s” is "
					  "empty"),
					config->name);
		return;
	}
	/* forgetting removes what any key id stored for this backend */
	hubd_s3_credentials_store_async(config->name,
					config->access_key_id,
					secret,
					cancellable,
					s3_secret_stored_cb,
					g_steal_pointer(&task));
}

void
hubd_s3_storage_iface_init(HubdStorageInterface *iface)
{
	iface->put_async = hubd_s3_storage_put_async;
	iface->put_finish = hubd_s3_storage_put_finish;
	iface->get_async = s3_get_async;
	iface->get_finish = s3_get_finish;
	iface->head_async = s3_head_async;
	iface->head_finish = s3_object_finish;
	iface->list_async = s3_list_async;
	iface->list_finish = s3_list_finish;
	iface->delete_async = s3_delete_async;
	iface->delete_finish = s3_boolean_finish;
	iface->store_secret_async = s3_store_secret_async;
	iface->store_secret_finish = s3_boolean_finish;
	hubd_s3_storage_multipart_iface_init(iface);
	hubd_s3_storage_delete_iface_init(iface);
}
