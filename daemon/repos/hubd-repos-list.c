/* hubd-repos-list.c: a listing of the Hub that follows `Link: <…>; rel="next"`
 * pages, as a chain of async requests */
#define G_LOG_DOMAIN "HubdRepos"

#include "hubd-repos-list.h"

#include <glib/gi18n.h>

#include "hubd-error.h"

typedef struct {
	HubdHubClient *client;
	HubdHubRequestFlags flags;
	guint limit; /* 0: no limit but the hard cap */
	HubdReposListConvert convert;
	GVariantBuilder builder;
	guint count;
	gchar *current_url;
} Fetch;

static void
fetch_free(Fetch *fetch)
{
	g_object_unref(fetch->client);
	g_variant_builder_clear(&fetch->builder);
	g_free(fetch->current_url);
	g_free(fetch);
}

static gboolean
link_rel_is_next(const gchar *params, gsize len)
{
	g_autofree gchar *p = g_ascii_strdown(params, (gssize)len);
	g_auto(GStrv) parts = g_strsplit(p, ";", -1);

	for (guint i = 0; parts[i] != NULL; i++) {
		g_autofree gchar *value = NULL;
		g_auto(GStrv) rels = NULL;
		gchar *part = g_strstrip(parts[i]);

		if (!g_str_has_prefix(part, "rel"))
			continue;
		part = g_strchug(part + 3);
		if (part[0] != '=')
			continue;
		value = g_strdup(g_strchug(part + 1));
		g_strstrip(value);
		if (value[0] == '"') {
			gsize n = strlen(value);
			if (n < 2 || value[n - 1] != '"')
				continue;
			value[n - 1] = '\0';
			memmove(value, value + 1, n - 1);
		}
		/* rel may list several relation types */
		rels = g_strsplit_set(value, " \t", -1);
		if (g_strv_contains((const gchar *const *)rels, "next"))
			return TRUE;
	}
	return FALSE;
}

gchar *
hubd_repos_list_next_link(const gchar *header)
{
	const gchar *p = header;

	while (p != NULL && *p != '\0') {
		const gchar *url_start;
		const gchar *url_end;
		const gchar *params_end;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p != '<')
			return NULL;
		url_start = p + 1;
		url_end = strchr(url_start, '>');
		if (url_end == NULL)
			return NULL;
		/* parameters run to the next link (a ',' outside quotes) */
		params_end = url_end + 1;
		for (gboolean quoted = FALSE; *params_end != '\0'; params_end++) {
			if (*params_end == '"')
				quoted = !quoted;
			else if (*params_end == ',' && !quoted)
				break;
		}
		if (link_rel_is_next(url_end + 1, (gsize)(params_end - url_end - 1)))
			return g_strndup(url_start, (gsize)(url_end - url_start));
		p = params_end;
	}
	return NULL;
}

static void
hubd_repos_list_page_cb(GObject *source, GAsyncResult *res, gpointer user_data);

static void
hubd_repos_list_send(GTask *task, HubdHubRequest *req)
{
	Fetch *fetch = g_task_get_task_data(task);

	hubd_hub_request_set_flags(req, fetch->flags);
	hubd_hub_client_get_json_async(fetch->client,
				       req,
				       g_task_get_cancellable(task),
				       hubd_repos_list_page_cb,
				       task);
}

static void
hubd_repos_list_page_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	Fetch *fetch = g_task_get_task_data(task);
	guint cap = fetch->limit > 0 ? MIN(fetch->limit, HUBD_REPOS_LIST_MAX_ENTRIES)
				     : HUBD_REPOS_LIST_MAX_ENTRIES;
	g_autoptr(HubdHubResponse) response = NULL;
	g_autoptr(HubdHubRequest) next_req = NULL;
	g_autofree gchar *next = NULL;
	GError *error = NULL;
	g_autoptr(JsonNode) root =
		hubd_hub_client_get_json_finish(HUBD_HUB_CLIENT(source), res, &response, &error);
	JsonArray *page;
	guint len;
	guint i;

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
	page = json_node_get_array(root);
	len = json_array_get_length(page);
	for (i = 0; i < len && fetch->count < cap; i++) {
		JsonNode *e = json_array_get_element(page, i);
		GVariant *v;

		if (!JSON_NODE_HOLDS_OBJECT(e))
			continue;
		v = fetch->convert(json_node_get_object(e));
		if (v == NULL)
			continue;
		g_variant_builder_add_value(&fetch->builder, v);
		fetch->count++;
	}
	next = hubd_repos_list_next_link(
		soup_message_headers_get_one(hubd_hub_response_get_headers(response), "Link"));
	if (fetch->count >= cap && (i < len || next != NULL)) {
		if (fetch->limit == 0 || fetch->limit > HUBD_REPOS_LIST_MAX_ENTRIES) {
			g_task_return_new_error(task,
						HUBD_ERROR,
						HUBD_ERROR_INVALID_ARGUMENT,
						_("The listing has more than %u entries, more "
						  "than hubd returns at once: ask for a limit, "
						  "or list a folder"),
						(guint)HUBD_REPOS_LIST_MAX_ENTRIES);
			return;
		}
		g_clear_pointer(&next, g_free); /* the limit is reached: stop here */
	}
	/* an empty page or a link to itself would never end */
	if (next != NULL && (len == 0 || g_strcmp0(next, fetch->current_url) == 0)) {
		g_debug("stopping at a suspicious next link after %u entries", fetch->count);
		g_clear_pointer(&next, g_free);
	}
	if (next == NULL) {
		g_task_return_pointer(task,
				      g_variant_ref_sink(g_variant_builder_end(&fetch->builder)),
				      (GDestroyNotify)g_variant_unref);
		return;
	}
	/* "/api/…" stays on the endpoint; absolute URLs keep the token on its
	 * origin only (HubdHubClient) */
	if (next[0] != '/' && !g_str_has_prefix(next, "https://") &&
	    !g_str_has_prefix(next, "http://")) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_SERVER,
					_("The Hub sent an unusable next-page link: %s"),
					next);
		return;
	}
	g_free(fetch->current_url);
	fetch->current_url = g_strdup(next);
	next_req = hubd_hub_request_new("GET", next);
	hubd_repos_list_send(g_steal_pointer(&task), next_req);
}

void
hubd_repos_list_fetch_async(HubdHubClient *client,
			    HubdHubRequest *first,
			    HubdHubRequestFlags flags,
			    guint limit,
			    HubdReposListConvert convert,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
	Fetch *fetch = g_new0(Fetch, 1);

	g_task_set_source_tag(task, hubd_repos_list_fetch_async);
	fetch->client = g_object_ref(client);
	fetch->flags = flags;
	fetch->limit = limit;
	fetch->convert = convert;
	g_variant_builder_init(&fetch->builder, G_VARIANT_TYPE("aa{sv}"));
	g_task_set_task_data(task, fetch, (GDestroyNotify)fetch_free);
	hubd_repos_list_send(g_steal_pointer(&task), first);
}

GVariant *
hubd_repos_list_fetch_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}
