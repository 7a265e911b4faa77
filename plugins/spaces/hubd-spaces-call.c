/* hubd-spaces-call.c: a Spaces call in flight and the answer every Hub call
 * of the plugin shares */
#define G_LOG_DOMAIN "HubdSpaces"

#include "hubd-spaces-call.h"

#include "hubd-spaces-variant.h"

SpacesCall *
spaces_call_new(HubdService *service, GDBusMethodInvocation *invocation, SpacesReply reply)
{
	SpacesCall *call = g_new0(SpacesCall, 1);

	call->context = g_object_ref(hubd_service_get_context(service));
	call->invocation = g_object_ref(invocation);
	call->reply = reply;
	hubd_context_hold(call->context);
	return call;
}

void
spaces_call_free(SpacesCall *call)
{
	hubd_context_release(call->context);
	g_object_unref(call->context);
	g_object_unref(call->invocation);
	g_free(call);
}

HubdHubApi *
spaces_call_api(HubdService *service,
		GDBusMethodInvocation *invocation,
		GVariant *options,
		const HubdServiceOption *allowed)
{
	GError *error = NULL;

	if (!hubd_service_check_hub_options(options, allowed, &error)) {
		hubd_service_return_error(invocation, error);
		return NULL;
	}
	return hubd_hub_api_new_for_call(
		hubd_context_get_hub_api(hubd_service_get_context(service)),
		options);
}

void
spaces_call_json_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(SpacesCall) call = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) node = hubd_hub_api_space_finish(HUBD_HUB_API(source), res, &error);
	GVariant *value = NULL;

	if (node == NULL) {
		hubd_service_return_error(call->invocation, error);
		return;
	}
	switch (call->reply) {
	case SPACES_REPLY_RUNTIME:
		value = g_variant_new("(@a{sv})", hubd_spaces_runtime_to_variant(node));
		break;
	case SPACES_REPLY_HARDWARE:
		value = g_variant_new("(@aa{sv})", hubd_spaces_hardware_to_variant(node));
		break;
	case SPACES_REPLY_SECRETS:
		value = g_variant_new("(@aa{sv})", hubd_spaces_store_to_variant(node, FALSE));
		break;
	case SPACES_REPLY_VARIABLES:
		value = g_variant_new("(@aa{sv})", hubd_spaces_store_to_variant(node, TRUE));
		break;
	case SPACES_REPLY_NOTHING:
	default:
		value = NULL;
		break;
	}
	g_dbus_method_invocation_return_value(call->invocation, value);
}
