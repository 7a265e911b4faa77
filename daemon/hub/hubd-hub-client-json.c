/* hubd-hub-client-json.c: HubdHubClient requests whose answer is JSON, parsed
 * (built on hubd_hub_client_request_async) */
#define G_LOG_DOMAIN "HubdHubClient"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-client.h"

static void
hubd_hub_client_json_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);
	g_autoptr(JsonParser) parser = json_parser_new();
	gsize len = 0;
	const gchar *body;

	if (resp == NULL) {
		g_task_return_error(task, error);
		return;
	}
	body = hubd_hub_response_get_body(resp) != NULL
		       ? g_bytes_get_data(hubd_hub_response_get_body(resp), &len)
		       : NULL;
	if (body == NULL || !json_parser_load_from_data(parser, body, (gssize)len, &error)) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The Hub's answer from %s is not JSON: %s"),
					g_uri_get_path(hubd_hub_response_get_uri(resp)),
					error != NULL ? error->message : _("empty body"));
		g_clear_error(&error);
		return;
	}
	g_task_set_task_data(task, g_steal_pointer(&resp), (GDestroyNotify)hubd_hub_response_unref);
	g_task_return_pointer(task,
			      json_parser_steal_root(parser),
			      (GDestroyNotify)json_node_unref);
}

void
hubd_hub_client_get_json_async(HubdHubClient *self,
			       HubdHubRequest *req,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	GTask *task;

	g_return_if_fail(HUBD_IS_HUB_CLIENT(self));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_client_get_json_async);
	hubd_hub_request_set_header(req, "Accept", "application/json");
	hubd_hub_client_request_async(self, req, cancellable, hubd_hub_client_json_cb, task);
}

JsonNode *
hubd_hub_client_get_json_finish(HubdHubClient *self,
				GAsyncResult *result,
				HubdHubResponse **response_out,
				GError **error)
{
	JsonNode *node;

	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	node = g_task_propagate_pointer(G_TASK(result), error);
	if (node != NULL && response_out != NULL)
		*response_out = hubd_hub_response_ref(g_task_get_task_data(G_TASK(result)));
	return node;
}
