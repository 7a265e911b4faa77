/* hubd-hub-api-pager.c: HubdHubApi's one pager, for every listing the Hub pages by Link
 *
 * A chain of GETs, each page's elements parsed as they arrive, stopped at
 * the caller's limit; the next URL comes from hubd_hub_link_next() and is
 * used as the Hub gave it. Uses only HubdHubApi's public functions. */
#define G_LOG_DOMAIN "HubdHubApi"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"
#include "hubd-hub-link.h"

/* ---- the pager ---- */

typedef struct {
	guint limit; /* 0: no limit but HUBD_HUB_API_LIST_MAX */
	HubdHubApiParseFunc parse;
	GPtrArray *items;
	gchar *current_url;
	guint pages;
} ListData;

static void
list_data_free(ListData *ld)
{
	g_ptr_array_unref(ld->items);
	g_free(ld->current_url);
	g_free(ld);
}

static void
hubd_hub_api_list_page_cb(GObject *source, GAsyncResult *res, gpointer user_data);

static void
hubd_hub_api_list_send(GTask *task, HubdHubRequest *req)
{
	hubd_hub_api_get_json_async(g_task_get_source_object(task),
				    req,
				    g_task_get_cancellable(task),
				    hubd_hub_api_list_page_cb,
				    task);
}

/* Takes what the page holds, up to the cap; FALSE and an error when an
 * element is unusable. `*rest` tells whether elements were left over. */
static gboolean
hubd_hub_api_list_take(ListData *ld, JsonArray *page, guint cap, gboolean *rest, GError **error)
{
	guint len = json_array_get_length(page);
	guint i;

	for (i = 0; i < len && ld->items->len < cap; i++) {
		GError *error_local = NULL;
		gpointer item = ld->parse(json_array_get_element(page, i), &error_local);

		if (item == NULL && error_local != NULL) {
			g_propagate_error(error, error_local);
			return FALSE;
		}
		if (item != NULL)
			g_ptr_array_add(ld->items, item);
	}
	*rest = i < len;
	return TRUE;
}

static void
hubd_hub_api_list_page_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ListData *ld = g_task_get_task_data(task);
	guint cap = ld->limit > 0 ? MIN(ld->limit, HUBD_HUB_API_LIST_MAX) : HUBD_HUB_API_LIST_MAX;
	g_autoptr(HubdHubResponse) response = NULL;
	g_autoptr(HubdHubRequest) next_req = NULL;
	g_autofree gchar *base = NULL;
	g_autofree gchar *next = NULL;
	GError *error = NULL;
	g_autoptr(JsonNode) root =
		hubd_hub_api_get_json_finish(HUBD_HUB_API(source), res, &response, &error);
	gboolean rest = FALSE;

	if (root == NULL) {
		g_task_return_error(task, error);
		return;
	}
	if (!JSON_NODE_HOLDS_ARRAY(root)) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The Hub answered a listing with something else than a "
					  "list"));
		return;
	}
	if (!hubd_hub_api_list_take(ld, json_node_get_array(root), cap, &rest, &error)) {
		g_task_return_error(task, error);
		return;
	}
	ld->pages++;
	/* a relative link is relative to the page that carried it (RFC 8288 §3.2) */
	base = g_uri_to_string(hubd_hub_response_get_uri(response));
	next = hubd_hub_link_next(
		soup_message_headers_get_one(hubd_hub_response_get_headers(response), "Link"),
		base);
	if (ld->items->len >= cap && (rest || next != NULL)) {
		if (ld->limit == 0 || ld->limit > HUBD_HUB_API_LIST_MAX) {
			g_task_return_new_error(task,
						HUBD_ERROR,
						HUBD_ERROR_INVALID_ARGUMENT,
						_("The listing has more than %u entries, more "
						  "than hubd returns at once: ask for a limit, "
						  "or list a folder"),
						(guint)HUBD_HUB_API_LIST_MAX);
			return;
		}
		g_clear_pointer(&next, g_free); /* the limit is reached: stop here */
	}
	/* an empty page, a link to itself or endless pages would never end */
	if (next != NULL && (json_array_get_length(json_node_get_array(root)) == 0 ||
			     g_strcmp0(next, ld->current_url) == 0 || g_strcmp0(next, base) == 0 ||
			     ld->pages >= HUBD_HUB_API_LIST_MAX)) {
		g_debug("stopping at a suspicious next link after %u entries", ld->items->len);
		g_clear_pointer(&next, g_free);
	}
	if (next == NULL) {
		g_task_return_pointer(task,
				      g_ptr_array_ref(ld->items),
				      (GDestroyNotify)g_ptr_array_unref);
		return;
	}
	/* the link is used as the Hub gave it; HubdHubClient sends the token to
	 * the Hub's origin only */
	if (!g_str_has_prefix(next, "https://") && !g_str_has_prefix(next, "http://")) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The Hub sent an unusable next-page link: %s"),
					next);
		return;
	}
	g_free(ld->current_url);
	ld->current_url = g_strdup(next);
	next_req = hubd_hub_request_new("GET", next);
	hubd_hub_api_list_send(g_steal_pointer(&task), next_req);
}

/**
 * hubd_hub_api_list_async:
 * @self: a #HubdHubApi
 * @first: the request of the first page; later pages are GETs of the
 *   `Link: <…>; rel="next"` URL each page gives (hubd_hub_link_next())
 * @limit: most items to return; 0 means every item up to
 *   %HUBD_HUB_API_LIST_MAX, and a listing longer than that is an error
 * @parse: (scope call): turns one element of a page into an item; it
 *   returns %NULL to skip the element, or %NULL and an error to fail the
 *   whole listing
 * @item_free: frees an item
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the items
 * @user_data: for @callback
 *
 * The one pager of every listing the Hub pages (models, datasets, spaces,
 * tree, commits, and what plugins list).
 *
 * Since: 0.1
 */
void
hubd_hub_api_list_async(HubdHubApi *self,
			HubdHubRequest *first,
			guint limit,
			HubdHubApiParseFunc parse,
			GDestroyNotify item_free,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	GTask *task;
	ListData *ld;

	g_return_if_fail(HUBD_IS_HUB_API(self));
	g_return_if_fail(first != NULL);
	g_return_if_fail(parse != NULL);
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, hubd_hub_api_list_async);
	ld = g_new0(ListData, 1);
	ld->limit = limit;
	ld->parse = parse;
	ld->items = g_ptr_array_new_with_free_func(item_free);
	g_task_set_task_data(task, ld, (GDestroyNotify)list_data_free);
	hubd_hub_api_list_send(task, first);
}

/**
 * hubd_hub_api_list_finish:
 * @self: a #HubdHubApi
 * @result: the result
 * @error: return location for a #HUBD_ERROR error
 *
 * Returns: (transfer container) (nullable): the items, in the Hub's order
 *
 * Since: 0.1
 */
GPtrArray *
hubd_hub_api_list_finish(HubdHubApi *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}
