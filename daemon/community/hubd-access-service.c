/* hubd-access-service.c: org.hubd.Hub1.Access — the owner's access-request
 * lists, accept / reject / cancel / grant, and the user's request
 *
 * Each handler checks its arguments, then asks HubdHubApi, which owns the
 * wire format (hubd-hub-api-access.c). */
#define G_LOG_DOMAIN "HubdCommunity"

#include "hubd-access-service.h"

#include <glib/gi18n.h>

#include "hubd-community-call.h"
#include "hubd-dbus-generated.h"
#include "hubd-error.h"

struct _HubdAccessService {
	HubdService parent_instance;
};

G_DEFINE_TYPE_WITH_CODE(HubdAccessService,
			hubd_access_service,
			HUBD_TYPE_SERVICE,
			hubd_service_register_extension_point();
			g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
						       g_define_type_id,
						       "access",
						       700))

static void
list_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdCommunityCall *call = user_data;
	GError *error = NULL;
	g_autoptr(GPtrArray) items =
		hubd_hub_api_list_access_requests_finish(HUBD_HUB_API(source), res, &error);

	if (items == NULL)
		hubd_community_call_fail(call, error);
	else
		hubd_community_call_return_list(call, items);
}

static gboolean
handle_list(HubdDbusAccess *skeleton,
	    GDBusMethodInvocation *invocation,
	    const gchar *repo_type,
	    const gchar *repo_id,
	    const gchar *status,
	    GVariant *options,
	    gpointer service)
{
	static const HubdServiceOption allowed[] = {{"limit", "u"}, {NULL, NULL}};
	HubdCommunityCall *call = hubd_community_call_begin(service,
							    invocation,
							    repo_type,
							    repo_id,
							    options,
							    allowed);
	guint32 limit = 0;

	if (call == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	g_variant_lookup(options, "limit", "u", &limit);
	hubd_hub_api_list_access_requests_async(call->api,
						call->type,
						call->repo_id,
						status,
						limit,
						NULL,
						list_cb,
						call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* HandleAccessRequest and CancelAccessRequest (status "pending") */
static void
handle(GDBusMethodInvocation *invocation,
       const gchar *repo_type,
       const gchar *repo_id,
       const gchar *user,
       const gchar *status,
       GVariant *options,
       gpointer service)
{
	static const HubdServiceOption with_reason[] = {{"rejection_reason", "s"}, {NULL, NULL}};
	/* a cancel takes no rejection reason */
	const HubdServiceOption *allowed = g_strcmp0(status, "pending") != 0 ? with_reason : NULL;
	HubdCommunityCall *call = hubd_community_call_begin(service,
							    invocation,
							    repo_type,
							    repo_id,
							    options,
							    allowed);
	const gchar *reason = NULL;

	if (call == NULL)
		return;
	g_variant_lookup(options, "rejection_reason", "&s", &reason);
	hubd_hub_api_handle_access_request_async(call->api,
						 call->type,
						 call->repo_id,
						 user,
						 status,
						 reason,
						 NULL,
						 hubd_community_call_done_cb,
						 call);
}

static gboolean
handle_handle(HubdDbusAccess *skeleton,
	      GDBusMethodInvocation *invocation,
	      const gchar *repo_type,
	      const gchar *repo_id,
	      const gchar *user,
	      const gchar *status,
	      GVariant *options,
	      gpointer service)
{
	handle(invocation, repo_type, repo_id, user, status, options, service);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_cancel(HubdDbusAccess *skeleton,
	      GDBusMethodInvocation *invocation,
	      const gchar *repo_type,
	      const gchar *repo_id,
	      const gchar *user,
	      GVariant *options,
	      gpointer service)
{
	handle(invocation, repo_type, repo_id, user, "pending", options, service);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_grant(HubdDbusAccess *skeleton,
	     GDBusMethodInvocation *invocation,
	     const gchar *repo_type,
	     const gchar *repo_id,
	     const gchar *user,
	     GVariant *options,
	     gpointer service)
{
	HubdCommunityCall *call =
		hubd_community_call_begin(service, invocation, repo_type, repo_id, options, NULL);

	if (call != NULL)
		hubd_hub_api_grant_access_async(call->api,
						call->type,
						call->repo_id,
						user,
						NULL,
						hubd_community_call_done_cb,
						call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* the form's answers: strings only, sent as a JSON object */
static JsonNode *
fields_to_json(GVariant *fields, GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	json_builder_begin_object(b);
	g_variant_iter_init(&iter, fields);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_autoptr(GVariant) owned = value;

		if (!g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The gate form’s field “%s” must be a string"),
				    key);
			return NULL;
		}
		json_builder_set_member_name(b, key);
		json_builder_add_string_value(b, g_variant_get_string(value, NULL));
	}
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static gboolean
handle_request(HubdDbusAccess *skeleton,
	       GDBusMethodInvocation *invocation,
	       const gchar *repo_type,
	       const gchar *repo_id,
	       GVariant *fields,
	       GVariant *options,
	       gpointer service)
{
	HubdCommunityCall *call =
		hubd_community_call_begin(service, invocation, repo_type, repo_id, options, NULL);
	g_autoptr(JsonNode) body = NULL;
	GError *error = NULL;

	if (call == NULL)
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	body = fields_to_json(fields, &error);
	if (body == NULL) {
		hubd_community_call_fail(call, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	hubd_hub_api_request_access_async(call->api,
					  call->type,
					  call->repo_id,
					  g_variant_n_children(fields) > 0 ? body : NULL,
					  NULL,
					  hubd_community_call_done_cb,
					  call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GDBusInterfaceSkeleton *
hubd_access_service_create_skeleton(HubdService *service)
{
	HubdDbusAccess *skeleton = hubd_dbus_access_skeleton_new();

	g_signal_connect(skeleton, "handle-list-access-requests", G_CALLBACK(handle_list), service);
	g_signal_connect(skeleton,
			 "handle-handle-access-request",
			 G_CALLBACK(handle_handle),
			 service);
	g_signal_connect(skeleton,
			 "handle-cancel-access-request",
			 G_CALLBACK(handle_cancel),
			 service);
	g_signal_connect(skeleton, "handle-grant-access", G_CALLBACK(handle_grant), service);
	g_signal_connect(skeleton, "handle-request-access", G_CALLBACK(handle_request), service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static void
hubd_access_service_class_init(HubdAccessServiceClass *klass)
{
	HUBD_SERVICE_CLASS(klass)->create_skeleton = hubd_access_service_create_skeleton;
}

static void
hubd_access_service_init(HubdAccessService *self)
{
}
