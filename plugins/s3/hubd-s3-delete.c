/* hubd-s3-delete.c: DeleteObjects — up to 1,000 keys in one POST ?delete (S3 API reference,
 * "DeleteObjects": a <Delete> body with Content-MD5, an answer listing <Deleted> and <Error>) */
#define G_LOG_DOMAIN "HubdS3"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-s3-storage.h"
#include "hubd-s3-xml.h"

static void
deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(SoupMessage) msg = NULL;
	g_autoptr(GBytes) answer = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autofree gchar *root = NULL;
	g_autoptr(GHashTable) fields = NULL;
	g_autoptr(GPtrArray) errors = NULL;
	GError *error = NULL;

	stream =
		hubd_s3_storage_request_finish(HUBD_S3_STORAGE(source), res, &msg, &answer, &error);
	if (error != NULL) {
		g_task_return_error(task, error);
		return;
	}
	/* a 200 may still hold an <Error> per key that was not deleted */
	if (answer != NULL && !hubd_s3_xml_read(answer, "Error", &root, &fields, &errors, &error)) {
		g_task_return_error(task, error);
		return;
	}
	if (errors != NULL && errors->len > 0) {
		GHashTable *first = g_ptr_array_index(errors, 0);
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The S3 server did not delete %u of the objects, “%s” "
					  "first: %s (%s)"),
					errors->len,
					(const gchar *)g_hash_table_lookup(first, "Key"),
					(const gchar *)g_hash_table_lookup(first, "Message"),
					(const gchar *)g_hash_table_lookup(first, "Code"));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
s3_delete_many_async(HubdStorage *storage,
		     const gchar *const *keys,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data)
{
	HubdS3Storage *self = HUBD_S3_STORAGE(storage);
	const HubdS3Config *config = hubd_s3_storage_get_config(self);
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GString) body = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GChecksum) md5 = g_checksum_new(G_CHECKSUM_MD5);
	guint8 digest[16];
	gsize digest_len = sizeof digest;
	g_autofree gchar *md5_b64 = NULL;
	HubdS3Request *req;

	g_task_set_source_tag(task, s3_delete_many_async);
	/* Quiet: the answer lists only the keys that failed */
	g_string_append(body, "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
	g_string_append(body, "<Quiet>true</Quiet>");
	for (guint i = 0; keys[i] != NULL; i++) {
		g_autofree gchar *full = hubd_s3_config_full_key(config, keys[i]);
		g_autofree gchar *escaped = hubd_s3_xml_escape(full);
		g_string_append_printf(body, "<Object><Key>%s</Key></Object>", escaped);
	}
	g_string_append(body, "</Delete>");
	bytes = g_string_free_to_bytes(g_steal_pointer(&body));
	/* S3 requires Content-MD5 on DeleteObjects */
	g_checksum_update(md5, g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	g_checksum_get_digest(md5, digest, &digest_len);
	md5_b64 = g_base64_encode(digest, digest_len);
	req = hubd_s3_request_new("POST", NULL, config->bucket);
	hubd_s3_request_add_query(req, "delete", "");
	hubd_s3_request_set_header(req, "Content-MD5", md5_b64);
	hubd_s3_request_set_body(req, bytes, "application/xml", NULL);
	hubd_s3_storage_request_async(self,
				      req,
				      TRUE,
				      cancellable,
				      deleted_cb,
				      g_steal_pointer(&task));
}

static gboolean
s3_delete_many_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

void
hubd_s3_storage_delete_iface_init(HubdStorageInterface *iface)
{
	iface->delete_many_async = s3_delete_many_async;
	iface->delete_many_finish = s3_delete_many_finish;
}
