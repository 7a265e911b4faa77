/* hubd-community-call.c: one D-Bus call in flight on org.hubd.Hub1.Discussions
 * or org.hubd.Hub1.Access */
#define G_LOG_DOMAIN "HubdCommunity"

#include "hubd-community-call.h"

#include "hubd-context.h"
#include "hubd-repos-check.h"

HubdCommunityCall *
hubd_community_call_begin(gpointer service,
			  GDBusMethodInvocation *invocation,
			  const gchar *repo_type,
			  const gchar *repo_id,
			  GVariant *options,
			  const HubdServiceOption *allowed)
{
	HubdContext *context = hubd_service_get_context(HUBD_SERVICE(service));
	HubdCommunityCall *call;
	GError *error = NULL;
	HubdRepoType type;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_service_check_hub_options(options, allowed, &error)) {
		hubd_service_return_error(invocation, error);
		return NULL;
	}
	call = g_new0(HubdCommunityCall, 1);
	call->service = g_object_ref(HUBD_SERVICE(service));
	call->invocation = g_object_ref(invocation);
	call->api = hubd_hub_api_new_for_call(hubd_context_get_hub_api(context), options);
	call->type = type;
	call->repo_id = g_strdup(repo_id);
	hubd_context_hold(context);
	return call;
}

void
hubd_community_call_free(HubdCommunityCall *call)
{
	hubd_context_release(hubd_service_get_context(call->service));
	g_object_unref(call->service);
	g_object_unref(call->invocation);
	g_object_unref(call->api);
	g_free(call->repo_id);
	g_free(call);
}

void
hubd_community_call_fail(HubdCommunityCall *call, GError *error)
{
	hubd_service_return_error(call->invocation, error);
	hubd_community_call_free(call);
}

void
hubd_community_call_return(HubdCommunityCall *call, GVariant *value)
{
	g_dbus_method_invocation_return_value(call->invocation, value);
	hubd_community_call_free(call);
}

void
hubd_community_call_return_list(HubdCommunityCall *call, GPtrArray *items)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < items->len; i++)
		g_variant_builder_add_value(&b, g_ptr_array_index(items, i));
	hubd_community_call_return(call, g_variant_new("(aa{sv})", &b));
}

void
hubd_community_call_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdCommunityCall *call = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) node = hubd_hub_api_call_json_finish(HUBD_HUB_API(source), res, &error);

	if (node == NULL)
		hubd_community_call_fail(call, error);
	else
		hubd_community_call_return(call, NULL);
}
