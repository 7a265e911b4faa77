/* hubd-segment-io.c: the waiting work of a parallel download
 * (hubd-segmented-fetch), off the main loop */
#define G_LOG_DOMAIN "HubdTransfer"

#include "hubd-segment-io.h"

#include <glib/gi18n.h>

#include "hubd-error.h"

/* ---- write ---- */

typedef struct {
	guint64 pos;
	const guint8 *data;
	gsize len;
} WriteData;

static void
write_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	WriteData *w = task_data;
	GError *error = NULL;

	if (!hubd_blob_writer_pwrite(HUBD_BLOB_WRITER(source), w->pos, w->data, w->len, &error))
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

void
hubd_segment_io_write_async(HubdBlobWriter *writer,
			    guint64 pos,
			    const guint8 *data,
			    gsize len,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(writer, NULL, callback, user_data);
	WriteData *w = g_new0(WriteData, 1);

	w->pos = pos;
	w->data = data;
	w->len = len;
	g_task_set_source_tag(task, hubd_segment_io_write_async);
	g_task_set_task_data(task, w, g_free);
	g_task_run_in_thread(task, write_thread);
}

gboolean
hubd_segment_io_write_finish(HubdBlobWriter *writer, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, writer), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- hash ---- */

static void
hash_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	GError *error = NULL;

	if (!hubd_blob_writer_hash_to(HUBD_BLOB_WRITER(source), *(guint64 *)task_data, c, &error))
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

void
hubd_segment_io_hash_async(HubdBlobWriter *writer,
			   guint64 end,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(writer, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_segment_io_hash_async);
	g_task_set_check_cancellable(task, FALSE);
	g_task_set_task_data(task, g_memdup2(&end, sizeof end), g_free);
	g_task_run_in_thread(task, hash_thread);
}

gboolean
hubd_segment_io_hash_finish(HubdBlobWriter *writer, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, writer), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- save the map ---- */

static void
save_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	GError *error = NULL;

	if (!hubd_segment_map_save_text(
		    task_data,
		    hubd_blob_writer_get_segments_path(HUBD_BLOB_WRITER(source)),
		    &error))
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

void
hubd_segment_io_save_async(HubdBlobWriter *writer,
			   gchar *text,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(writer, NULL, callback, user_data);

	g_task_set_source_tag(task, hubd_segment_io_save_async);
	g_task_set_task_data(task, text, g_free);
	g_task_run_in_thread(task, save_thread);
}

gboolean
hubd_segment_io_save_finish(HubdBlobWriter *writer, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, writer), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- a new CDN link ---- */

static void
resolved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	const gchar *filename = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_api_request_finish(HUBD_HUB_API(source), res, &error);
	const gchar *location;
	guint status;

	if (resp == NULL) {
		g_task_return_error(task, error);
		return;
	}
	status = hubd_hub_response_get_status(resp);
	location = soup_message_headers_get_one(hubd_hub_response_get_headers(resp), "Location");
	if (status < 300 || status >= 400 || location == NULL ||
	    !(g_str_has_prefix(location, "https://") || g_str_has_prefix(location, "http://"))) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The download link of “%s” expired and the Hub gave no "
					  "new one (HTTP %u)"),
					filename,
					status);
		return;
	}
	g_task_return_pointer(task, g_strdup(location), g_free);
}

void
hubd_segment_io_resolve_async(HubdHubApi *api,
			      const gchar *resolve_url,
			      const gchar *filename,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	GTask *task = g_task_new(api, cancellable, callback, user_data);
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("HEAD", resolve_url);

	g_task_set_source_tag(task, hubd_segment_io_resolve_async);
	g_task_set_task_data(task, g_strdup(filename), g_free);
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_NO_REDIRECT |
					   HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR);
	hubd_hub_request_set_header(req, "Accept-Encoding", "identity");
	hubd_hub_api_request_async(api, req, cancellable, resolved_cb, task);
}

gchar *
hubd_segment_io_resolve_finish(HubdHubApi *api, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, api), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

gboolean
hubd_segment_io_range_start(SoupMessageHeaders *headers, guint64 *start)
{
	const gchar *cr = soup_message_headers_get_one(headers, "Content-Range");

	if (cr == NULL || !g_str_has_prefix(cr, "bytes "))
		return FALSE;
	*start = g_ascii_strtoull(cr + 6, NULL, 10);
	return TRUE;
}

GError *
hubd_segment_io_stalled_error(const gchar *filename,
			      guint64 start,
			      guint64 end,
			      guint attempts,
			      const GError *why)
{
	g_autofree gchar *range =
		g_strdup_printf("%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT, start, end - 1);

	return g_error_new(HUBD_ERROR,
			   g_error_matches(why, HUBD_ERROR, HUBD_ERROR_NETWORK) ? HUBD_ERROR_NETWORK
										: HUBD_ERROR_SERVER,
			   _("Downloading “%s” failed: bytes %s did not arrive after %u attempts "
			     "(%s)"),
			   filename,
			   range,
			   attempts,
			   why->message);
}
