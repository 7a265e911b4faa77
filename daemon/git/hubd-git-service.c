/* hubd-git-service.c: org.hubd.Hub1.Git — GetCredential here (the host check
 * in hubd-git-credential.c), LfsUpload in hubd-git-lfs-upload.c.
 *
 * GetCredential is the one method besides Auth.GetToken that returns a
 * token: to git, for hubd's own endpoint only, in a method reply (never a
 * property, a signal or a log line). docs/git.md §2 says why that is safe. */
#define G_LOG_DOMAIN "HubdGit"

#include "hubd-git-service.h"

#include <glib/gi18n.h>

#include "hubd-context-private.h"
#include "hubd-error.h"
#include "hubd-git-credential.h"
#include "hubd-git-lfs-upload.h"
#include "hubd-token-store.h"

struct _HubdGitService {
	HubdService parent_instance;
	guint busy; /* GetCredential calls in flight */
};

G_DEFINE_TYPE_WITH_CODE(
	HubdGitService,
	hubd_git_service,
	HUBD_TYPE_SERVICE,
	hubd_service_register_extension_point();
	g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT, g_define_type_id, "git", 700))

typedef struct {
	HubdGitService *self;
	GDBusMethodInvocation *invocation;
} CredentialCall;

static void
credential_call_free(CredentialCall *call)
{
	call->self->busy--;
	hubd_context_release(hubd_service_get_context(HUBD_SERVICE(call->self)));
	g_object_unref(call->self);
	g_object_unref(call->invocation);
	g_free(call);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CredentialCall, credential_call_free)

/* the Hub user name of the token in use, when the store knows it */
static gchar *
dup_token_user(HubdTokenStore *store, const gchar *endpoint, const gchar *name)
{
	g_autoptr(GPtrArray) list = NULL;

	if (name == NULL)
		return NULL;
	list = hubd_token_store_list(store, endpoint);
	for (guint i = 0; i < list->len; i++) {
		HubdTokenInfo *info = g_ptr_array_index(list, i);

		if (g_strcmp0(info->name, name) == 0)
			return g_strdup(info->user);
	}
	return NULL;
}

static void
credential_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(CredentialCall) call = user_data;
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(call->self));
	HubdTokenStore *store = HUBD_TOKEN_STORE(source);
	const gchar *endpoint = hubd_context_get_endpoint(context);
	g_autofree gchar *token = NULL;
	g_autofree gchar *name = NULL;
	g_autofree gchar *user = NULL;
	GError *error = NULL;

	if (!hubd_token_store_load_finish(store, res, &error)) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	token = hubd_token_store_dup_token(store, endpoint, NULL, &name);
	if (token == NULL) {
		hubd_service_return_error(
			call->invocation,
			hubd_hub_token_provider_no_token_error(HUBD_HUB_TOKEN_PROVIDER(store),
							       endpoint));
		return;
	}
	user = dup_token_user(store, endpoint, name);
	/* who asked is in the bus log already; the secret never is */
	g_debug("git credential for %s handed to %s",
		endpoint,
		g_dbus_method_invocation_get_sender(call->invocation) ?: "a socket peer");
	hubd_dbus_git_complete_get_credential(
		HUBD_DBUS_GIT(hubd_service_get_skeleton(HUBD_SERVICE(call->self))),
		call->invocation,
		hubd_git_credential_username(user),
		token);
	memset(token, 0, strlen(token));
}

static gboolean
handle_get_credential(HubdDbusGit *skeleton,
		      GDBusMethodInvocation *invocation,
		      const gchar *protocol,
		      const gchar *host,
		      GVariant *options,
		      gpointer user_data)
{
	HubdGitService *self = HUBD_GIT_SERVICE(user_data);
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(self));
	const gchar *endpoint = hubd_context_get_endpoint(context);
	CredentialCall *call;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	if (!hubd_service_get_config_boolean(HUBD_SERVICE(self), "credential-helper", TRUE)) {
		hubd_service_return_error(
			invocation,
			g_error_new_literal(HUBD_ERROR,
					    HUBD_ERROR_FORBIDDEN,
					    _("hubd does not answer git credential requests: "
					      "hubd.conf has “credential-helper=false” in its "
					      "[git] group")));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (!hubd_git_credential_matches(endpoint, protocol, host)) {
		/* not an error: hubd simply has no credential for that host, as a
		 * git helper says nothing about hosts it does not serve */
		g_debug("no git credential for %s://%s (not %s)", protocol, host, endpoint);
		hubd_dbus_git_complete_get_credential(skeleton, invocation, "", "");
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	call = g_new0(CredentialCall, 1);
	call->self = g_object_ref(self);
	call->invocation = g_object_ref(invocation);
	self->busy++;
	hubd_context_hold(context);
	hubd_token_store_load_async(hubd_context_get_token_store(context),
				    NULL,
				    credential_loaded_cb,
				    call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_lfs_upload(HubdDbusGit *skeleton,
		  GDBusMethodInvocation *invocation,
		  const gchar *path,
		  const gchar *oid,
		  guint64 size,
		  const gchar *href,
		  GVariant *header,
		  GVariant *options,
		  gpointer user_data)
{
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(user_data));
	g_autoptr(HubdJob) job = NULL;
	GError *error = NULL;

	if (!hubd_service_accept_options(invocation, options, NULL))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	job = hubd_git_lfs_upload_start(context, invocation, path, oid, size, href, header, &error);
	if (job == NULL) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/* the daemon keeps the exported job alive; the path stays valid */
	hubd_dbus_git_complete_lfs_upload(skeleton, invocation, hubd_job_get_object_path(job));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GDBusInterfaceSkeleton *
hubd_git_service_create_skeleton(HubdService *service)
{
	HubdDbusGit *skeleton = hubd_dbus_git_skeleton_new();

	g_signal_connect(skeleton,
			 "handle-get-credential",
			 G_CALLBACK(handle_get_credential),
			 service);
	g_signal_connect(skeleton, "handle-lfs-upload", G_CALLBACK(handle_lfs_upload), service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static gboolean
hubd_git_service_is_busy(HubdService *service)
{
	return HUBD_GIT_SERVICE(service)->busy > 0;
}

static void
hubd_git_service_class_init(HubdGitServiceClass *klass)
{
	HubdServiceClass *service_class = HUBD_SERVICE_CLASS(klass);

	service_class->create_skeleton = hubd_git_service_create_skeleton;
	service_class->is_busy = hubd_git_service_is_busy;
}

static void
hubd_git_service_init(HubdGitService *self)
{
}
