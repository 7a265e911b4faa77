/* hubd-hub-client-json.c: HubdHubClient requests whose answer is JSON, parsed
 * (built on hubd_hub_client_request_async) */
#define G_LOG_DOMAIN "HubdHubClient"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-error.h"
#include "hubd-hub-client.h"

/* Whether JSON text holds the escape of a NUL character (a backslash that
 * is not itself escaped, then u0000). JSON allows it in strings, but
 * json-glib cuts such a string short at the NUL, silently: "a\u0000/../x"
 * would come out as "a". */
static gboolean
json_text_has_nul(const gchar *data, gsize len)
{
	for (gsize i = 0; i + 6 <= len; i++) {
		gsize run = 0;

		if (data[i] != '\\')
			continue;
		while (i + run < len && data[i + run] == '\\')
			run++;
		/* an odd run: its last backslash escapes what follows */
		if (run % 2 == 1 && i + run + 5 <= len && memcmp(data + i + run, "u0000", 5) == 0)
			return TRUE;
		i += run - 1;
	}
	return FALSE;
}

JsonNode *
hubd_hub_response_parse_json(HubdHubResponse *resp, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) local = NULL;
	GBytes *bytes = hubd_hub_response_get_body(resp);
	gsize len = 0;
	const gchar *body = bytes != NULL ? g_bytes_get_data(bytes, &len) : NULL;
	const gchar *path = g_uri_get_path(hubd_hub_response_get_uri(resp));

	if (body == NULL || len == 0 ||
	    !json_parser_load_from_data(parser, body, (gssize)len, &local)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_SERVER,
			    _("The Hub’s answer from %s is not JSON: %s"),
			    path,
			    local != NULL ? local->message : _("empty body"));
		return NULL;
	}
	if (json_text_has_nul(body, len)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_SERVER,
			    _("The Hub’s answer from %s holds a NUL character (\\u0000), which no "
			      "name or text may contain: refused"),
			    path);
		return NULL;
	}
	return json_parser_steal_root(parser);
}

static void
hubd_hub_client_json_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);
	JsonNode *root;

	if (resp == NULL) {
		g_task_return_error(task, error);
		return;
	}
	root = hubd_hub_response_parse_json(resp, &error);
	if (root == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_set_task_data(task, g_steal_pointer(&resp), (GDestroyNotify)hubd_hub_response_unref);
	g_task_return_pointer(task, root, (GDestroyNotify)json_node_unref);
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
