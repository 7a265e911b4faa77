/* hubd-repos-read.c: org.hubd.Hub1.Repos reads: Info, List*, HubUrl
 *
 * Checks the arguments, asks HubdHubApi, and turns its typed answer into the
 * method's a{sv}. Needs nothing of HubdReposService: the context's Hub
 * API and holds are all it uses. */
#define G_LOG_DOMAIN "HubdRepos"

#include "hubd-repos-read.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-repos-check.h"
#include "hubd-repos-variant.h"
#include "hubd-service.h"

/* Most repos one List returns without a "limit" option, as the contract says */
#define LIST_DEFAULT_LIMIT 1000

/* One read in flight. */
typedef struct {
	HubdContext *context;
	HubdDbusRepos *skeleton;
	GDBusMethodInvocation *invocation;
	HubdHubApi *api; /* this call's: its token_name */
	gboolean include_prs;
} ReadCall;

/* Holds the daemon (no idle exit) until freed. */
static ReadCall *
read_call_new(HubdDbusRepos *skeleton,
	      GDBusMethodInvocation *invocation,
	      GVariant *options,
	      gpointer context)
{
	ReadCall *call = g_new0(ReadCall, 1);

	call->api =
		hubd_hub_api_new_for_call(hubd_context_get_hub_api(HUBD_CONTEXT(context)), options);

	call->context = g_object_ref(HUBD_CONTEXT(context));
	call->skeleton = g_object_ref(skeleton);
	call->invocation = g_object_ref(invocation);
	hubd_context_hold(call->context);
	return call;
}

static void
read_call_free(ReadCall *call)
{
	hubd_context_release(call->context);
	g_object_unref(call->context);
	g_object_unref(call->skeleton);
	g_object_unref(call->invocation);
	g_object_unref(call->api);
	g_free(call);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ReadCall, read_call_free)

static HubdHubApi *
read_api(ReadCall *call)
{
	return call->api;
}

static HubdDbusRepos *
read_skeleton(ReadCall *call)
{
	return call->skeleton;
}

/* ---- Info ---- */

static void
hubd_repos_info_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(ReadCall) call = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubRepoInfo) info =
		hubd_hub_api_repo_info_finish(HUBD_HUB_API(source), res, &error);

	if (info == NULL) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	hubd_dbus_repos_complete_info(read_skeleton(call),
				      call->invocation,
				      hubd_repos_variant_info(info));
}

static gboolean
hubd_repos_handle_info(HubdDbusRepos *skeleton,
		       GDBusMethodInvocation *invocation,
		       const gchar *repo_type,
		       const gchar *repo_id,
		       const gchar *revision,
		       GVariant *options,
		       gpointer user_data)
{
	ReadCall *call;
	GError *error = NULL;
	HubdRepoType type;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_repos_check_revision(revision, _("revision"), &error) ||
	    !hubd_service_check_hub_options(options, NULL, &error))
		return hubd_repos_refuse(invocation, error);
	call = read_call_new(skeleton, invocation, options, user_data);
	/* file sizes (and LFS hashes) in siblings */
	hubd_hub_api_repo_info_async(read_api(call),
				     type,
				     repo_id,
				     revision,
				     HUBD_HUB_API_FLAG_FILES_METADATA,
				     NULL,
				     hubd_repos_info_cb,
				     call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- the paged listings ---- */

static void
hubd_repos_listed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(ReadCall) call = user_data;
	HubdDbusRepos *skeleton = read_skeleton(call);
	const gchar *method = g_dbus_method_invocation_get_method_name(call->invocation);
	GError *error = NULL;
	/* every listing ends in the pager: one finish for all */
	g_autoptr(GPtrArray) items = hubd_hub_api_list_finish(HUBD_HUB_API(source), res, &error);

	if (items == NULL) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	if (g_strcmp0(method, "List") == 0)
		hubd_dbus_repos_complete_list(skeleton,
					      call->invocation,
					      hubd_repos_variant_list(items));
	else if (g_strcmp0(method, "ListFiles") == 0)
		hubd_dbus_repos_complete_list_files(skeleton,
						    call->invocation,
						    hubd_repos_variant_tree(items));
	else
		hubd_dbus_repos_complete_list_commits(skeleton,
						      call->invocation,
						      hubd_repos_variant_commits(items));
}

static gboolean
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
	ReadCall *call;
	g_autofree const gchar **filter = NULL;
	GError *error = NULL;
	HubdRepoType type;
	const gchar *search = NULL;
	const gchar *author = NULL;
	const gchar *sort = NULL;
	gint32 direction = 0;
	guint32 limit = LIST_DEFAULT_LIMIT;

	if (!hubd_repo_type_from_string(repo_type, &type, &error) ||
	    !hubd_service_check_hub_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	if (g_variant_lookup(options, "direction", "i", &direction) && direction != 1 &&
	    direction != -1)
		return hubd_repos_refuse(invocation,
					 g_error_new(HUBD_ERROR,
						     HUBD_ERROR_INVALID_ARGUMENT,
						     _("“direction” must be -1 (descending) "
						       "or 1 (ascending), not %d"),
						     direction));
	g_variant_lookup(options, "search", "&s", &search);
	g_variant_lookup(options, "author", "&s", &author);
	g_variant_lookup(options, "sort", "&s", &sort);
	g_variant_lookup(options, "filter", "^a&s", &filter);
	g_variant_lookup(options, "limit", "u", &limit);
	call = read_call_new(skeleton, invocation, options, user_data);
	hubd_hub_api_list_repos_async(read_api(call),
				      type,
				      search,
				      author,
				      filter,
				      sort,
				      direction,
				      limit,
				      NULL,
				      hubd_repos_listed_cb,
				      call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
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
	ReadCall *call;
	g_autofree gchar *folder = NULL;
	GError *error = NULL;
	HubdRepoType type;
	gboolean recursive = FALSE;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_repos_check_revision(revision, _("revision"), &error) ||
	    !hubd_service_check_hub_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	folder = hubd_repos_clean_read_path(path, &error);
	if (folder == NULL)
		return hubd_repos_refuse(invocation, error);
	g_variant_lookup(options, "recursive", "b", &recursive);
	call = read_call_new(skeleton, invocation, options, user_data);
	hubd_hub_api_list_tree_async(read_api(call),
				     type,
				     repo_id,
				     revision,
				     folder,
				     recursive ? HUBD_HUB_API_FLAG_RECURSIVE
					       : HUBD_HUB_API_FLAG_NONE,
				     0,
				     NULL,
				     hubd_repos_listed_cb,
				     call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
hubd_repos_handle_list_commits(HubdDbusRepos *skeleton,
			       GDBusMethodInvocation *invocation,
			       const gchar *repo_type,
			       const gchar *repo_id,
			       const gchar *revision,
			       GVariant *options,
			       gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"limit", "u"}, {NULL, NULL}};
	ReadCall *call;
	GError *error = NULL;
	HubdRepoType type;
	guint32 limit = 0;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_repos_check_revision(revision, _("revision"), &error) ||
	    !hubd_service_check_hub_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	g_variant_lookup(options, "limit", "u", &limit);
	call = read_call_new(skeleton, invocation, options, user_data);
	hubd_hub_api_list_commits_async(read_api(call),
					type,
					repo_id,
					revision,
					limit,
					NULL,
					hubd_repos_listed_cb,
					call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- ListRefs ---- */

static void
hubd_repos_refs_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(ReadCall) call = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubRefs) refs =
		hubd_hub_api_list_refs_finish(HUBD_HUB_API(source), res, &error);

	if (refs == NULL) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	hubd_dbus_repos_complete_list_refs(read_skeleton(call),
					   call->invocation,
					   hubd_repos_variant_refs(refs, call->include_prs));
}

static gboolean
hubd_repos_handle_list_refs(HubdDbusRepos *skeleton,
			    GDBusMethodInvocation *invocation,
			    const gchar *repo_type,
			    const gchar *repo_id,
			    GVariant *options,
			    gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"include_prs", "b"}, {NULL, NULL}};
	ReadCall *call;
	GError *error = NULL;
	HubdRepoType type;
	gboolean include_prs = FALSE;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_service_check_hub_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	g_variant_lookup(options, "include_prs", "b", &include_prs);
	call = read_call_new(skeleton, invocation, options, user_data);
	call->include_prs = include_prs;
	hubd_hub_api_list_refs_async(read_api(call),
				     type,
				     repo_id,
				     include_prs ? HUBD_HUB_API_FLAG_INCLUDE_PRS
						 : HUBD_HUB_API_FLAG_NONE,
				     NULL,
				     hubd_repos_refs_cb,
				     call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- HubUrl ---- */

static gboolean
hubd_repos_handle_hub_url(HubdDbusRepos *skeleton,
			  GDBusMethodInvocation *invocation,
			  const gchar *repo_type,
			  const gchar *repo_id,
			  const gchar *revision,
			  const gchar *filename,
			  GVariant *options,
			  gpointer user_data)
{
	HubdContext *context = HUBD_CONTEXT(user_data);
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
	/* sends nothing */
	url = hubd_hub_api_file_url(hubd_context_get_hub_api(context),
				    type,
				    repo_id,
				    revision,
				    path);
	hubd_dbus_repos_complete_hub_url(skeleton, invocation, url);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
hubd_repos_read_connect(HubdDbusRepos *skeleton, HubdContext *context)
{
	static const struct {
		const gchar *signal;
		GCallback handler;
	} handlers[] = {
		{"handle-info", G_CALLBACK(hubd_repos_handle_info)},
		{"handle-list", G_CALLBACK(hubd_repos_handle_list)},
		{"handle-list-files", G_CALLBACK(hubd_repos_handle_list_files)},
		{"handle-list-refs", G_CALLBACK(hubd_repos_handle_list_refs)},
		{"handle-list-commits", G_CALLBACK(hubd_repos_handle_list_commits)},
		{"handle-hub-url", G_CALLBACK(hubd_repos_handle_hub_url)},
	};

	for (guint i = 0; i < G_N_ELEMENTS(handlers); i++)
		g_signal_connect(skeleton, handlers[i].signal, handlers[i].handler, context);
}
