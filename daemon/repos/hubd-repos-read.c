/* hubd-repos-read.c: org.hubd.Hub1.Repos — Info, List, ListFiles, ListRefs,
 * ListCommits and HubUrl (the read side) */
#define G_LOG_DOMAIN "HubdRepos"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-repos-json.h"
#include "hubd-repos-list.h"
#include "hubd-repos-private.h"

/* Most repos one List returns without a "limit" option, as the contract says */
#define LIST_DEFAULT_LIMIT 1000
/* The Hub's largest page for listings */
#define LIST_PAGE_MAX 1000

/* ---- Info ---- */

static void
hubd_repos_info_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdReposCall) call = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) node =
		hubd_hub_client_get_json_finish(HUBD_HUB_CLIENT(source), res, NULL, &error);

	if (node == NULL) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		hubd_service_return_error(call->invocation,
					  g_error_new_literal(HUBD_ERROR,
							      HUBD_ERROR_SERVER,
							      _("The Hub’s repo info is not a JSON "
								"object")));
		return;
	}
	hubd_dbus_repos_complete_info(hubd_repos_service_skeleton(call->self),
				      call->invocation,
				      hubd_repos_json_info(node));
}

gboolean
hubd_repos_handle_info(HubdDbusRepos *skeleton,
		       GDBusMethodInvocation *invocation,
		       const gchar *repo_type,
		       const gchar *repo_id,
		       const gchar *revision,
		       GVariant *options,
		       gpointer user_data)
{
	HubdReposCall *call;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;
	HubdRepoType type;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_repos_check_revision(revision, _("revision"), &error) ||
	    !hubd_service_check_options(options, NULL, &error))
		return hubd_repos_refuse(invocation, error);
	if (revision[0] != '\0') {
		g_autofree gchar *escaped = g_uri_escape_string(revision, NULL, FALSE);
		g_autofree gchar *suffix = g_strconcat("/revision/", escaped, NULL);
		path = hubd_repos_api_path(type, repo_id, suffix);
	} else {
		path = hubd_repos_api_path(type, repo_id, NULL);
	}
	req = hubd_hub_request_new("GET", path);
	/* file sizes (and LFS info) in siblings */
	hubd_hub_request_add_query(req, "blobs", "true");
	call = hubd_repos_call_new(HUBD_REPOS_SERVICE(user_data), invocation);
	hubd_hub_client_get_json_async(hubd_repos_service_client(call->self),
				       req,
				       NULL,
				       hubd_repos_info_cb,
				       call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- the paged listings ---- */

static void
hubd_repos_listed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdReposCall) call = user_data;
	HubdDbusRepos *skeleton = hubd_repos_service_skeleton(call->self);
	const gchar *method = g_dbus_method_invocation_get_method_name(call->invocation);
	GError *error = NULL;
	g_autoptr(GVariant) list = hubd_repos_list_fetch_finish(res, &error);

	if (list == NULL) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	if (g_strcmp0(method, "List") == 0)
		hubd_dbus_repos_complete_list(skeleton, call->invocation, list);
	else if (g_strcmp0(method, "ListFiles") == 0)
		hubd_dbus_repos_complete_list_files(skeleton, call->invocation, list);
	else
		hubd_dbus_repos_complete_list_commits(skeleton, call->invocation, list);
}

static void
hubd_repos_fetch(HubdReposCall *call,
		 HubdHubRequest *req,
		 guint limit,
		 HubdReposListConvert convert)
{
	hubd_repos_list_fetch_async(hubd_repos_service_client(call->self),
				    req,
				    HUBD_HUB_REQUEST_FLAG_NONE,
				    limit,
				    convert,
				    NULL,
				    hubd_repos_listed_cb,
				    call);
}

gboolean
hubd_repos_handle_list(HubdDbusRepos *skeleton,
		       GDBusMethodInvocation *invocation,
		       const gchar *repo_type,
		       GVariant *options,
		       gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"search", "s"},
						    {"author", "s"},
						    {"filter", "as"},
						    {"sort", "s"},
						    {"direction", "i"},
						    {"limit", "u"},
						    {NULL, NULL}};
	static const gchar *const text_keys[] = {"search", "author", "sort"};
	HubdReposCall *call;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *path = NULL;
	g_autofree const gchar **filter = NULL;
	GError *error = NULL;
	HubdRepoType type;
	const gchar *sort = NULL;
	gint32 direction = 0;
	gboolean has_direction;
	guint32 limit = LIST_DEFAULT_LIMIT;

	if (!hubd_repo_type_from_string(repo_type, &type, &error) ||
	    !hubd_service_check_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	has_direction = g_variant_lookup(options, "direction", "i", &direction);
	if (has_direction && direction != 1 && direction != -1)
		return hubd_repos_refuse(invocation,
					 g_error_new(HUBD_ERROR,
						     HUBD_ERROR_INVALID_ARGUMENT,
						     _("“direction” must be -1 (descending) "
						       "or 1 (ascending), not %d"),
						     direction));
	g_variant_lookup(options, "limit", "u", &limit);
	g_variant_lookup(options, "sort", "&s", &sort);

	path = g_strdup_printf("/api/%s", hubd_repo_type_to_api_plural(type));
	req = hubd_hub_request_new("GET", path);
	for (guint i = 0; i < G_N_ELEMENTS(text_keys); i++) {
		const gchar *value = NULL;
		if (g_variant_lookup(options, text_keys[i], "&s", &value) && value[0] != '\0')
			hubd_hub_request_add_query(req, text_keys[i], value);
	}
	if (g_variant_lookup(options, "filter", "^a&s", &filter)) {
		for (guint i = 0; filter[i] != NULL; i++) {
			if (filter[i][0] != '\0')
				hubd_hub_request_add_query(req, "filter", filter[i]);
		}
	}
	/* descending is the default once a sort key is given */
	if (has_direction || (sort != NULL && sort[0] != '\0'))
		hubd_hub_request_add_query(req, "direction", direction == 1 ? "1" : "-1");
	if (limit > 0) {
		g_autofree gchar *per_page = g_strdup_printf("%u", MIN(limit, LIST_PAGE_MAX));
		hubd_hub_request_add_query(req, "limit", per_page);
	}
	call = hubd_repos_call_new(HUBD_REPOS_SERVICE(user_data), invocation);
	hubd_repos_fetch(call, req, limit, hubd_repos_json_list_item);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

gboolean
hubd_repos_handle_list_files(HubdDbusRepos *skeleton,
			     GDBusMethodInvocation *invocation,
			     const gchar *repo_type,
			     const gchar *repo_id,
			     const gchar *revision,
			     const gchar *path,
			     GVariant *options,
			     gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"recursive", "b"}, {NULL, NULL}};
	HubdReposCall *call;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autoptr(GString) suffix = g_string_new("/tree/");
	g_autofree gchar *api_path = NULL;
	g_autofree gchar *rev_escaped = NULL;
	g_autofree gchar *folder = NULL;
	GError *error = NULL;
	HubdRepoType type;
	gboolean recursive = FALSE;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_repos_check_revision(revision, _("revision"), &error) ||
	    !hubd_service_check_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	folder = hubd_repos_clean_read_path(path, &error);
	if (folder == NULL)
		return hubd_repos_refuse(invocation, error);
	g_variant_lookup(options, "recursive", "b", &recursive);
	/* revision and path each escaped once with no safe chars, as huggingface_hub */
	rev_escaped = g_uri_escape_string(revision[0] != '\0' ? revision : "main", NULL, FALSE);
	g_string_append(suffix, rev_escaped);
	if (folder != NULL && folder[0] != '\0') {
		g_autofree gchar *p = g_uri_escape_string(folder, NULL, FALSE);
		g_string_append_printf(suffix, "/%s", p);
	}
	api_path = hubd_repos_api_path(type, repo_id, suffix->str);
	req = hubd_hub_request_new("GET", api_path);
	hubd_hub_request_add_query(req, "recursive", recursive ? "true" : "false");
	hubd_hub_request_add_query(req, "expand", "false");
	call = hubd_repos_call_new(HUBD_REPOS_SERVICE(user_data), invocation);
	hubd_repos_fetch(call, req, 0, hubd_repos_json_tree_entry);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

gboolean
hubd_repos_handle_list_commits(HubdDbusRepos *skeleton,
			       GDBusMethodInvocation *invocation,
			       const gchar *repo_type,
			       const gchar *repo_id,
			       const gchar *revision,
			       GVariant *options,
			       gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"limit", "u"}, {NULL, NULL}};
	HubdReposCall *call;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *rev_escaped = NULL;
	g_autofree gchar *suffix = NULL;
	g_autofree gchar *api_path = NULL;
	GError *error = NULL;
	HubdRepoType type;
	guint32 limit = 0;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_repos_check_revision(revision, _("revision"), &error) ||
	    !hubd_service_check_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	g_variant_lookup(options, "limit", "u", &limit);
	rev_escaped = g_uri_escape_string(revision[0] != '\0' ? revision : "main", NULL, FALSE);
	suffix = g_strconcat("/commits/", rev_escaped, NULL);
	api_path = hubd_repos_api_path(type, repo_id, suffix);
	/* no per-page "limit": the Hub's own pages, followed until ours is met */
	req = hubd_hub_request_new("GET", api_path);
	call = hubd_repos_call_new(HUBD_REPOS_SERVICE(user_data), invocation);
	hubd_repos_fetch(call, req, limit, hubd_repos_json_commit);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- ListRefs ---- */

static void
hubd_repos_refs_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(HubdReposCall) call = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) node =
		hubd_hub_client_get_json_finish(HUBD_HUB_CLIENT(source), res, NULL, &error);

	if (node == NULL) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	hubd_dbus_repos_complete_list_refs(hubd_repos_service_skeleton(call->self),
					   call->invocation,
					   hubd_repos_json_refs(node, call->include_prs));
}

gboolean
hubd_repos_handle_list_refs(HubdDbusRepos *skeleton,
			    GDBusMethodInvocation *invocation,
			    const gchar *repo_type,
			    const gchar *repo_id,
			    GVariant *options,
			    gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"include_prs", "b"}, {NULL, NULL}};
	HubdReposCall *call;
	g_autoptr(HubdHubRequest) req = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;
	HubdRepoType type;
	gboolean include_prs = FALSE;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_service_check_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	g_variant_lookup(options, "include_prs", "b", &include_prs);
	path = hubd_repos_api_path(type, repo_id, "/refs");
	req = hubd_hub_request_new("GET", path);
	if (include_prs)
		hubd_hub_request_add_query(req, "include_prs", "1");
	call = hubd_repos_call_new(HUBD_REPOS_SERVICE(user_data), invocation);
	call->include_prs = include_prs;
	hubd_hub_client_get_json_async(hubd_repos_service_client(call->self),
				       req,
				       NULL,
				       hubd_repos_refs_cb,
				       call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- HubUrl ---- */

gboolean
hubd_repos_handle_hub_url(HubdDbusRepos *skeleton,
			  GDBusMethodInvocation *invocation,
			  const gchar *repo_type,
			  const gchar *repo_id,
			  const gchar *revision,
			  const gchar *filename,
			  GVariant *options,
			  gpointer user_data)
{
	HubdReposService *self = HUBD_REPOS_SERVICE(user_data);
	g_autofree gchar *path = NULL;
	g_autofree gchar *url = NULL;
	GError *error = NULL;
	HubdRepoType type;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_repos_check_revision(revision, _("revision"), &error) ||
	    !hubd_service_check_options(options, NULL, &error))
		return hubd_repos_refuse(invocation, error);
	path = hubd_repos_clean_read_path(filename, &error);
	if (path == NULL)
		return hubd_repos_refuse(invocation, error);
	if (path[0] == '\0')
		return hubd_repos_refuse(invocation,
					 g_error_new_literal(HUBD_ERROR,
							     HUBD_ERROR_INVALID_ARGUMENT,
							     _("The file name is empty")));
	url = hubd_hub_url(hubd_repos_service_endpoint(self), type, repo_id, path, revision);
	hubd_dbus_repos_complete_hub_url(skeleton, invocation, url);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}
