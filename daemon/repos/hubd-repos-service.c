/* hubd-repos-service.c: org.hubd.Hub1.Repos — create, delete, move, settings,
 * branches and tags (the write side; the reads are in hubd-repos-read.c)
 *
 * Each handler checks its arguments (with messages that name the D-Bus
 * options), then asks HubdHubApi, which owns the wire format. */
#define G_LOG_DOMAIN "HubdRepos"

#include "hubd-repos-service.h"

#include <glib/gi18n.h>

#include "hubd-context.h"
#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-repos-check.h"
#include "hubd-repos-read.h"

struct _HubdReposService {
	HubdService parent_instance;
	guint busy; /* calls in flight */
};

G_DEFINE_TYPE_WITH_CODE(HubdReposService,
			hubd_repos_service,
			HUBD_TYPE_SERVICE,
			hubd_service_register_extension_point();
			g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
						       g_define_type_id,
						       "repos",
						       800))

static const gchar *const space_sdks[] = {"gradio", "streamlit", "docker", "static", NULL};

/* ---- the daemon's API, which each call's derives from ---- */

static HubdHubApi *
hubd_repos_service_get_api(HubdReposService *self)
{
	g_return_val_if_fail(HUBD_IS_REPOS_SERVICE(self), NULL);
	return hubd_context_get_hub_api(hubd_service_get_context(HUBD_SERVICE(self)));
}

static HubdDbusRepos *
hubd_repos_service_get_skeleton(HubdReposService *self)
{
	g_return_val_if_fail(HUBD_IS_REPOS_SERVICE(self), NULL);
	return HUBD_DBUS_REPOS(hubd_service_get_skeleton(HUBD_SERVICE(self)));
}

static void
hubd_repos_service_hold(HubdReposService *self)
{
	g_return_if_fail(HUBD_IS_REPOS_SERVICE(self));
	self->busy++;
	hubd_context_hold(hubd_service_get_context(HUBD_SERVICE(self)));
}

static void
hubd_repos_service_release(HubdReposService *self)
{
	g_return_if_fail(HUBD_IS_REPOS_SERVICE(self));
	g_return_if_fail(self->busy > 0);
	hubd_context_release(hubd_service_get_context(HUBD_SERVICE(self)));
	self->busy--;
}

/* ---- a write in flight ---- */

typedef struct {
	HubdReposService *self;
	GDBusMethodInvocation *invocation;
	HubdRepoType type;
	gchar *repo_id;
	gchar *other;    /* Move: the new id */
	HubdHubApi *api; /* this call's: its token_name */
} Call;

static Call *
call_new(gpointer service,
	 GDBusMethodInvocation *invocation,
	 GVariant *options,
	 HubdRepoType type,
	 const gchar *repo_id)
{
	Call *call = g_new0(Call, 1);

	call->self = g_object_ref(HUBD_REPOS_SERVICE(service));
	call->api = hubd_hub_api_new_for_call(hubd_repos_service_get_api(call->self), options);
	call->invocation = g_object_ref(invocation);
	call->type = type;
	call->repo_id = g_strdup(repo_id);
	hubd_repos_service_hold(call->self);
	return call;
}

static void
call_free(Call *call)
{
	hubd_repos_service_release(call->self);
	g_object_unref(call->self);
	g_object_unref(call->invocation);
	g_free(call->repo_id);
	g_free(call->other);
	g_object_unref(call->api);
	g_free(call);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Call, call_free)

static HubdHubApi *
call_api(Call *call)
{
	return call->api;
}

static HubdDbusRepos *
call_skeleton(Call *call)
{
	return hubd_repos_service_get_skeleton(call->self);
}

/* The "private" option, as a visibility to send (or not). */
static HubdHubVisibility
hubd_repos_visibility(GVariant *options)
{
	gboolean private_ = FALSE;

	if (!g_variant_lookup(options, "private", "b", &private_))
		return HUBD_HUB_VISIBILITY_UNSET;
	return private_ ? HUBD_HUB_VISIBILITY_PRIVATE : HUBD_HUB_VISIBILITY_PUBLIC;
}

/* ---- Create ---- */

static void
hubd_repos_created_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	GError *error = NULL;
	gboolean created = FALSE;
	g_autofree gchar *url =
		hubd_hub_api_create_repo_finish(HUBD_HUB_API(source), res, &created, &error);

	if (url == NULL) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	if (created)
		g_message("created %s %s", hubd_repo_type_to_string(call->type), call->repo_id);
	else
		g_debug("%s already exists: fine with exist_ok", call->repo_id);
	hubd_dbus_repos_complete_create(call_skeleton(call), call->invocation, url);
}

static gboolean
hubd_repos_handle_create(HubdDbusRepos *skeleton,
			 GDBusMethodInvocation *invocation,
			 const gchar *repo_type,
			 const gchar *repo_id,
			 GVariant *options,
			 gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"private", "b"},
						    {"exist_ok", "b"},
						    {"space_sdk", "s"},
						    {"space_hardware", "s"},
						    {NULL, NULL}};
	Call *call;
	GError *error = NULL;
	HubdRepoType type;
	gboolean exist_ok = FALSE;
	const gchar *sdk = NULL;
	const gchar *hardware = NULL;

	if (!hubd_repos_parse_repo(repo_type, repo_id, TRUE, &type, &error) ||
	    !hubd_service_check_hub_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	g_variant_lookup(options, "space_sdk", "&s", &sdk);
	g_variant_lookup(options, "space_hardware", "&s", &hardware);
	if (type == HUBD_REPO_TYPE_SPACE && (sdk == NULL || !g_strv_contains(space_sdks, sdk)))
		return hubd_repos_refuse(
			invocation,
			g_error_new(HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("A Space needs the option “space_sdk”: gradio, streamlit, "
				      "docker or static (got “%s”)"),
				    sdk != NULL ? sdk : ""));
	if (type != HUBD_REPO_TYPE_SPACE && (sdk != NULL || hardware != NULL))
		return hubd_repos_refuse(
			invocation,
			g_error_new_literal(HUBD_ERROR,
					    HUBD_ERROR_INVALID_ARGUMENT,
					    _("The options “space_sdk” and “space_hardware” are "
					      "for Spaces only")));
	g_variant_lookup(options, "exist_ok", "b", &exist_ok);
	call = call_new(user_data, invocation, options, type, repo_id);
	hubd_hub_api_create_repo_async(call_api(call),
				       type,
				       repo_id,
				       hubd_repos_visibility(options),
				       sdk,
				       hardware != NULL && hardware[0] != '\0' ? hardware : NULL,
				       exist_ok ? HUBD_HUB_API_FLAG_EXIST_OK
						: HUBD_HUB_API_FLAG_NONE,
				       NULL,
				       hubd_repos_created_cb,
				       call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- Delete ---- */

static void
hubd_repos_deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	GError *error = NULL;
	gboolean deleted = FALSE;

	if (!hubd_hub_api_delete_repo_finish(HUBD_HUB_API(source), res, &deleted, &error)) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	if (deleted)
		g_message("deleted %s %s", hubd_repo_type_to_string(call->type), call->repo_id);
	hubd_dbus_repos_complete_delete(call_skeleton(call), call->invocation);
}

static gboolean
hubd_repos_handle_delete(HubdDbusRepos *skeleton,
			 GDBusMethodInvocation *invocation,
			 const gchar *repo_type,
			 const gchar *repo_id,
			 GVariant *options,
			 gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"missing_ok", "b"}, {NULL, NULL}};
	Call *call;
	GError *error = NULL;
	HubdRepoType type;
	gboolean missing_ok = FALSE;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_service_check_hub_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	g_variant_lookup(options, "missing_ok", "b", &missing_ok);
	call = call_new(user_data, invocation, options, type, repo_id);
	hubd_hub_api_delete_repo_async(call_api(call),
				       type,
				       repo_id,
				       missing_ok ? HUBD_HUB_API_FLAG_MISSING_OK
						  : HUBD_HUB_API_FLAG_NONE,
				       NULL,
				       hubd_repos_deleted_cb,
				       call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- Move ---- */

static void
hubd_repos_moved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	GError *error = NULL;
	g_autofree gchar *url = hubd_hub_api_move_repo_finish(HUBD_HUB_API(source), res, &error);

	if (url == NULL) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	g_message("moved %s %s to %s",
		  hubd_repo_type_to_string(call->type),
		  call->repo_id,
		  call->other);
	hubd_dbus_repos_complete_move(call_skeleton(call), call->invocation, url);
}

static gboolean
hubd_repos_handle_move(HubdDbusRepos *skeleton,
		       GDBusMethodInvocation *invocation,
		       const gchar *repo_type,
		       const gchar *from_id,
		       const gchar *to_id,
		       GVariant *options,
		       gpointer user_data)
{
	Call *call;
	GError *error = NULL;
	HubdRepoType type;

	/* both ids need a namespace, as huggingface_hub's move_repo */
	if (!hubd_repos_parse_repo(repo_type, from_id, TRUE, &type, &error) ||
	    !hubd_repo_id_validate(to_id, TRUE, &error) ||
	    !hubd_service_check_hub_options(options, NULL, &error))
		return hubd_repos_refuse(invocation, error);
	if (g_strcmp0(from_id, to_id) == 0)
		return hubd_repos_refuse(invocation,
					 g_error_new(HUBD_ERROR,
						     HUBD_ERROR_INVALID_ARGUMENT,
						     _("Cannot move %s onto itself: give a new id"),
						     from_id));
	call = call_new(user_data, invocation, options, type, from_id);
	call->other = g_strdup(to_id);
	hubd_hub_api_move_repo_async(call_api(call),
				     type,
				     from_id,
				     to_id,
				     NULL,
				     hubd_repos_moved_cb,
				     call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- UpdateSettings ---- */

static void
hubd_repos_settings_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	GError *error = NULL;

	if (!hubd_hub_api_update_repo_settings_finish(HUBD_HUB_API(source), res, &error)) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	g_message("updated the settings of %s %s",
		  hubd_repo_type_to_string(call->type),
		  call->repo_id);
	hubd_dbus_repos_complete_update_settings(call_skeleton(call), call->invocation);
}

static gboolean
hubd_repos_handle_update_settings(HubdDbusRepos *skeleton,
				  GDBusMethodInvocation *invocation,
				  const gchar *repo_type,
				  const gchar *repo_id,
				  GVariant *options,
				  gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"private", "b"},
						    {"gated", "s"},
						    {"discussions_disabled", "b"},
						    {NULL, NULL}};
	Call *call;
	GError *error = NULL;
	HubdRepoType type;
	const gchar *gated = NULL;
	gboolean discussions_disabled = FALSE;
	gboolean has_discussions;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_service_check_hub_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	if (!g_variant_lookup(options, "private", "b", NULL) &&
	    !g_variant_lookup(options, "gated", "&s", NULL) &&
	    !g_variant_lookup(options, "discussions_disabled", "b", NULL))
		return hubd_repos_refuse(
			invocation,
			g_error_new_literal(HUBD_ERROR,
					    HUBD_ERROR_INVALID_ARGUMENT,
					    _("Nothing to change: give at least one of “private”, "
					      "“gated” or “discussions_disabled”")));
	if (g_variant_lookup(options, "gated", "&s", &gated) && g_strcmp0(gated, "auto") != 0 &&
	    g_strcmp0(gated, "manual") != 0 && g_strcmp0(gated, "false") != 0)
		return hubd_repos_refuse(invocation,
					 g_error_new(HUBD_ERROR,
						     HUBD_ERROR_INVALID_ARGUMENT,
						     _("“gated” must be “auto”, “manual” or "
						       "“false”, not “%s”"),
						     gated));
	has_discussions =
		g_variant_lookup(options, "discussions_disabled", "b", &discussions_disabled);
	call = call_new(user_data, invocation, options, type, repo_id);
	hubd_hub_api_update_repo_settings_async(call_api(call),
						type,
						repo_id,
						gated,
						hubd_repos_visibility(options),
						has_discussions ? discussions_disabled : -1,
						NULL,
						hubd_repos_settings_cb,
						call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- branches and tags ---- */

/* CreateBranch, DeleteBranch, CreateTag and DeleteTag share one handler; the
 * method name picks the row. */
static const struct {
	const gchar *method;
	gboolean is_tag;
	gboolean create;
	gboolean (*finish)(HubdHubApi *api, GAsyncResult *result, GError **error);
	void (*complete)(HubdDbusRepos *skeleton, GDBusMethodInvocation *invocation);
} ref_methods[] = {
	{"CreateBranch",
	 FALSE,
	 TRUE,
	 hubd_hub_api_create_branch_finish,
	 hubd_dbus_repos_complete_create_branch},
	{"DeleteBranch",
	 FALSE,
	 FALSE,
	 hubd_hub_api_delete_branch_finish,
	 hubd_dbus_repos_complete_delete_branch},
	{"CreateTag",
	 TRUE,
	 TRUE,
	 hubd_hub_api_create_tag_finish,
	 hubd_dbus_repos_complete_create_tag},
	{"DeleteTag",
	 TRUE,
	 FALSE,
	 hubd_hub_api_delete_tag_finish,
	 hubd_dbus_repos_complete_delete_tag},
};

static guint
hubd_repos_ref_method(GDBusMethodInvocation *invocation)
{
	const gchar *method = g_dbus_method_invocation_get_method_name(invocation);
	guint i = 0;

	/* only these four are connected: the last row is DeleteTag */
	while (i + 1 < G_N_ELEMENTS(ref_methods) && g_strcmp0(method, ref_methods[i].method) != 0)
		i++;
	return i;
}

static void
hubd_repos_ref_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Call) call = user_data;
	guint row = hubd_repos_ref_method(call->invocation);
	GError *error = NULL;

	if (!ref_methods[row].finish(HUBD_HUB_API(source), res, &error)) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	ref_methods[row].complete(call_skeleton(call), call->invocation);
}

/* `name` is the branch or tag; `revision` (NULL when deleting) is where a
 * branch starts or what a tag names; the message comes from the options. */
static gboolean
hubd_repos_ref(GDBusMethodInvocation *invocation,
	       const gchar *repo_type,
	       const gchar *repo_id,
	       const gchar *revision,
	       const gchar *name,
	       GVariant *options,
	       gpointer user_data)
{
	static const HubdServiceOption branch_options[] = {{"exist_ok", "b"}, {NULL, NULL}};
	static const HubdServiceOption tag_options[] = {{"message", "s"},
							{"exist_ok", "b"},
							{NULL, NULL}};
	guint row = hubd_repos_ref_method(invocation);
	gboolean is_tag = ref_methods[row].is_tag;
	gboolean create = ref_methods[row].create;
	const gchar *what = is_tag ? _("tag name") : _("branch name");
	HubdHubApiFlags flags = HUBD_HUB_API_FLAG_NONE;
	HubdHubApi *api;
	Call *call;
	GError *error = NULL;
	HubdRepoType type;
	const gchar *message = NULL;
	gboolean exist_ok = FALSE;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_service_check_hub_options(options,
					    !create  ? NULL
					    : is_tag ? tag_options
						     : branch_options,
					    &error))
		return hubd_repos_refuse(invocation, error);
	if (name[0] == '\0')
		return hubd_repos_refuse(invocation,
					 g_error_new(HUBD_ERROR,
						     HUBD_ERROR_INVALID_ARGUMENT,
						     _("The %s is empty"),
						     what));
	g_variant_lookup(options, "message", "&s", &message);
	if (!hubd_repos_check_revision(name, what, &error) ||
	    !hubd_repos_check_revision(revision, _("revision"), &error))
		return hubd_repos_refuse(invocation, error);
	if (g_variant_lookup(options, "exist_ok", "b", &exist_ok) && exist_ok)
		flags = HUBD_HUB_API_FLAG_EXIST_OK;

	call = call_new(user_data, invocation, options, type, repo_id);
	api = call_api(call);
	if (is_tag && create)
		hubd_hub_api_create_tag_async(api,
					      type,
					      repo_id,
					      revision,
					      name,
					      message,
					      flags,
					      NULL,
					      hubd_repos_ref_cb,
					      call);
	else if (is_tag)
		hubd_hub_api_delete_tag_async(api,
					      type,
					      repo_id,
					      name,
					      NULL,
					      hubd_repos_ref_cb,
					      call);
	else if (create)
		hubd_hub_api_create_branch_async(api,
						 type,
						 repo_id,
						 revision,
						 name,
						 flags,
						 NULL,
						 hubd_repos_ref_cb,
						 call);
	else
		hubd_hub_api_delete_branch_async(api,
						 type,
						 repo_id,
						 name,
						 NULL,
						 hubd_repos_ref_cb,
						 call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* CreateBranch and CreateTag */
static gboolean
hubd_repos_handle_ref_create(HubdDbusRepos *skeleton,
			     GDBusMethodInvocation *invocation,
			     const gchar *repo_type,
			     const gchar *repo_id,
			     const gchar *revision,
			     const gchar *name,
			     GVariant *options,
			     gpointer user_data)
{
	return hubd_repos_ref(invocation, repo_type, repo_id, revision, name, options, user_data);
}

/* DeleteBranch and DeleteTag */
static gboolean
hubd_repos_handle_ref_delete(HubdDbusRepos *skeleton,
			     GDBusMethodInvocation *invocation,
			     const gchar *repo_type,
			     const gchar *repo_id,
			     const gchar *name,
			     GVariant *options,
			     gpointer user_data)
{
	return hubd_repos_ref(invocation, repo_type, repo_id, NULL, name, options, user_data);
}

/* ---- HubdService ---- */

static GDBusInterfaceSkeleton *
hubd_repos_service_create_skeleton(HubdService *service)
{
	HubdDbusRepos *skeleton = hubd_dbus_repos_skeleton_new();
	static const struct {
		const gchar *signal;
		GCallback handler;
	} handlers[] = {
		{"handle-create", G_CALLBACK(hubd_repos_handle_create)},
		{"handle-delete", G_CALLBACK(hubd_repos_handle_delete)},
		{"handle-move", G_CALLBACK(hubd_repos_handle_move)},
		{"handle-update-settings", G_CALLBACK(hubd_repos_handle_update_settings)},
		{"handle-create-branch", G_CALLBACK(hubd_repos_handle_ref_create)},
		{"handle-delete-branch", G_CALLBACK(hubd_repos_handle_ref_delete)},
		{"handle-create-tag", G_CALLBACK(hubd_repos_handle_ref_create)},
		{"handle-delete-tag", G_CALLBACK(hubd_repos_handle_ref_delete)},
	};

	for (guint i = 0; i < G_N_ELEMENTS(handlers); i++)
		g_signal_connect(skeleton, handlers[i].signal, handlers[i].handler, service);
	hubd_repos_read_connect(skeleton, hubd_service_get_context(service));
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static gboolean
hubd_repos_service_is_busy(HubdService *service)
{
	return HUBD_REPOS_SERVICE(service)->busy > 0;
}

static void
hubd_repos_service_class_init(HubdReposServiceClass *klass)
{
	HubdServiceClass *service_class = HUBD_SERVICE_CLASS(klass);

	service_class->create_skeleton = hubd_repos_service_create_skeleton;
	service_class->is_busy = hubd_repos_service_is_busy;
}

static void
hubd_repos_service_init(HubdReposService *self)
{
}
