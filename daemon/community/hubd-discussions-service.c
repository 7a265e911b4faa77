/* hubd-discussions-service.c: org.hubd.Hub1.Discussions — list, read, open,
 * comment, edit and hide comments, rename, close / reopen and merge
 *
 * Each handler checks its arguments, then asks HubdHubApi, which owns the
 * wire format (hubd-hub-api-discussions.c); answers are turned into a{sv} by
 * hubd-hub-discussion.c. */
#define G_LOG_DOMAIN "HubdCommunity"

#include "hubd-discussions-service.h"

#include <glib/gi18n.h>

#include "hubd-community-call.h"
#include "hubd-dbus-generated.h"
#include "hubd-error.h"
#include "hubd-json.h"

struct _HubdDiscussionsService {
	HubdService parent_instance;
};

G_DEFINE_TYPE_WITH_CODE(HubdDiscussionsService,
			hubd_discussions_service,
			HUBD_TYPE_SERVICE,
			hubd_service_register_extension_point();
			g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
						       g_define_type_id,
						       "discussions",
						       700))

#define BEGIN(allowed)                                                  \
	HubdCommunityCall *call = hubd_community_call_begin(service,    \
							    invocation, \
							    repo_type,  \
							    repo_id,    \
							    options,    \
							    allowed);   \
	if (call == NULL)                                               \
	return G_DBUS_METHOD_INVOCATION_HANDLED

static const HubdServiceOption comment_option[] = {{"comment", "s"}, {NULL, NULL}};

/* ---- List ---- */

static void
list_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdCommunityCall *call = user_data;
	GError *error = NULL;
	g_autoptr(GPtrArray) items =
		hubd_hub_api_list_discussions_finish(HUBD_HUB_API(source), res, &error);

	if (items == NULL)
		hubd_community_call_fail(call, error);
	else
		hubd_community_call_return_list(call, items);
}

static gboolean
handle_list(HubdDbusDiscussions *skeleton,
	    GDBusMethodInvocation *invocation,
	    const gchar *repo_type,
	    const gchar *repo_id,
	    GVariant *options,
	    gpointer service)
{
	static const HubdServiceOption allowed[] = {{"kind", "s"},
						    {"status", "s"},
						    {"author", "s"},
						    {"limit", "u"},
						    {NULL, NULL}};
	const gchar *kind = NULL;
	const gchar *status = NULL;
	const gchar *author = NULL;
	guint32 limit = 0;
	BEGIN(allowed);

	g_variant_lookup(options, "kind", "&s", &kind);
	g_variant_lookup(options, "status", "&s", &status);
	g_variant_lookup(options, "author", "&s", &author);
	g_variant_lookup(options, "limit", "u", &limit);
	hubd_hub_api_list_discussions_async(call->api,
					    call->type,
					    call->repo_id,
					    kind,
					    status,
					    author,
					    limit,
					    NULL,
					    list_cb,
					    call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- Get ---- */

static void
get_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdCommunityCall *call = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) node = hubd_hub_api_call_json_finish(HUBD_HUB_API(source), res, &error);
	g_autoptr(GVariant) v = node != NULL ? hubd_hub_discussion_to_variant(node, &error) : NULL;

	if (v == NULL)
		hubd_community_call_fail(call, error);
	else
		hubd_community_call_return(call, g_variant_new("(@a{sv})", v));
}

static gboolean
handle_get(HubdDbusDiscussions *skeleton,
	   GDBusMethodInvocation *invocation,
	   const gchar *repo_type,
	   const gchar *repo_id,
	   guint num,
	   GVariant *options,
	   gpointer service)
{
	static const HubdServiceOption allowed[] = {{"diff", "b"}, {NULL, NULL}};
	gboolean diff = FALSE;
	BEGIN(allowed);

	g_variant_lookup(options, "diff", "b", &diff);
	hubd_hub_api_get_discussion_async(call->api,
					  call->type,
					  call->repo_id,
					  num,
					  diff,
					  NULL,
					  get_cb,
					  call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- Create ---- */

static void
create_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdCommunityCall *call = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) node = hubd_hub_api_call_json_finish(HUBD_HUB_API(source), res, &error);
	JsonObject *o =
		node != NULL ? hubd_json_expect_object(node, "new discussion", &error) : NULL;
	g_autofree gchar *url = NULL;
	gint64 num = 0;

	if (o == NULL) {
		hubd_community_call_fail(call, error);
		return;
	}
	if (!hubd_json_get_number(o, "num", &num) || num <= 0 || num > G_MAXUINT32) {
		hubd_community_call_fail(call,
					 g_error_new_literal(HUBD_ERROR,
							     HUBD_ERROR_SERVER,
							     _("The Hub did not say which number "
							       "the new discussion has")));
		return;
	}
	url = hubd_hub_api_discussion_url(call->api, call->type, call->repo_id, (guint)num);
	g_message("opened %s#%" G_GINT64_FORMAT, call->repo_id, num);
	hubd_community_call_return(call, g_variant_new("(us)", (guint32)num, url));
}

static gboolean
handle_create(HubdDbusDiscussions *skeleton,
	      GDBusMethodInvocation *invocation,
	      const gchar *repo_type,
	      const gchar *repo_id,
	      const gchar *title,
	      GVariant *options,
	      gpointer service)
{
	static const HubdServiceOption allowed[] = {{"description", "s"},
						    {"pull_request", "b"},
						    {NULL, NULL}};
	const gchar *description = NULL;
	gboolean pull_request = FALSE;
	BEGIN(allowed);

	g_variant_lookup(options, "description", "&s", &description);
	g_variant_lookup(options, "pull_request", "b", &pull_request);
	hubd_hub_api_create_discussion_async(call->api,
					     call->type,
					     call->repo_id,
					     title,
					     description,
					     pull_request,
					     NULL,
					     create_cb,
					     call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- the changes answered with an event ---- */

/* The Hub answers {"newMessage" | "newTitle" | "newStatus" | "updatedComment": event} */
static void
event_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdCommunityCall *call = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) node = hubd_hub_api_call_json_finish(HUBD_HUB_API(source), res, &error);
	JsonObject *o = node != NULL ? hubd_json_expect_object(node, "answer", &error) : NULL;
	const gchar *const keys[] = {"newMessage", "newTitle", "newStatus", "updatedComment"};
	JsonNode *event = NULL;
	g_autoptr(GVariant) v = NULL;

	for (guint i = 0; o != NULL && event == NULL && i < G_N_ELEMENTS(keys); i++)
		event = json_object_get_member(o, keys[i]);
	if (o != NULL && event == NULL)
		error = g_error_new_literal(HUBD_ERROR,
					    HUBD_ERROR_SERVER,
					    _("The Hub’s answer holds no discussion event"));
	if (event != NULL)
		v = hubd_hub_discussion_event_to_variant(event, &error);
	if (v == NULL)
		hubd_community_call_fail(call, error);
	else
		hubd_community_call_return(call, g_variant_new("(@a{sv})", v));
}

static gboolean
handle_comment(HubdDbusDiscussions *skeleton,
	       GDBusMethodInvocation *invocation,
	       const gchar *repo_type,
	       const gchar *repo_id,
	       guint num,
	       const gchar *comment,
	       GVariant *options,
	       gpointer service)
{
	BEGIN(NULL);

	hubd_hub_api_discussion_comment_async(call->api,
					      call->type,
					      call->repo_id,
					      num,
					      comment,
					      NULL,
					      event_cb,
					      call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_edit_comment(HubdDbusDiscussions *skeleton,
		    GDBusMethodInvocation *invocation,
		    const gchar *repo_type,
		    const gchar *repo_id,
		    guint num,
		    const gchar *comment_id,
		    const gchar *content,
		    GVariant *options,
		    gpointer service)
{
	BEGIN(NULL);

	hubd_hub_api_edit_discussion_comment_async(call->api,
						   call->type,
						   call->repo_id,
						   num,
						   comment_id,
						   FALSE,
						   content,
						   NULL,
						   event_cb,
						   call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_hide_comment(HubdDbusDiscussions *skeleton,
		    GDBusMethodInvocation *invocation,
		    const gchar *repo_type,
		    const gchar *repo_id,
		    guint num,
		    const gchar *comment_id,
		    GVariant *options,
		    gpointer service)
{
	BEGIN(NULL);

	hubd_hub_api_edit_discussion_comment_async(call->api,
						   call->type,
						   call->repo_id,
						   num,
						   comment_id,
						   TRUE,
						   NULL,
						   NULL,
						   event_cb,
						   call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_rename(HubdDbusDiscussions *skeleton,
	      GDBusMethodInvocation *invocation,
	      const gchar *repo_type,
	      const gchar *repo_id,
	      guint num,
	      const gchar *title,
	      GVariant *options,
	      gpointer service)
{
	BEGIN(NULL);

	hubd_hub_api_rename_discussion_async(call->api,
					     call->type,
					     call->repo_id,
					     num,
					     title,
					     NULL,
					     event_cb,
					     call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_change_status(HubdDbusDiscussions *skeleton,
		     GDBusMethodInvocation *invocation,
		     const gchar *repo_type,
		     const gchar *repo_id,
		     guint num,
		     const gchar *status,
		     GVariant *options,
		     gpointer service)
{
	const gchar *comment = NULL;
	BEGIN(comment_option);

	g_variant_lookup(options, "comment", "&s", &comment);
	hubd_hub_api_change_discussion_status_async(call->api,
						    call->type,
						    call->repo_id,
						    num,
						    status,
						    comment,
						    NULL,
						    event_cb,
						    call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_merge(HubdDbusDiscussions *skeleton,
	     GDBusMethodInvocation *invocation,
	     const gchar *repo_type,
	     const gchar *repo_id,
	     guint num,
	     GVariant *options,
	     gpointer service)
{
	const gchar *comment = NULL;
	BEGIN(comment_option);

	g_variant_lookup(options, "comment", "&s", &comment);
	hubd_hub_api_merge_pull_request_async(call->api,
					      call->type,
					      call->repo_id,
					      num,
					      comment,
					      NULL,
					      hubd_community_call_done_cb,
					      call);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- HubdService ---- */

static GDBusInterfaceSkeleton *
hubd_discussions_service_create_skeleton(HubdService *service)
{
	HubdDbusDiscussions *skeleton = hubd_dbus_discussions_skeleton_new();
	static const struct {
		const gchar *signal;
		GCallback handler;
	} handlers[] = {
		{"handle-list", G_CALLBACK(handle_list)},
		{"handle-get", G_CALLBACK(handle_get)},
		{"handle-create", G_CALLBACK(handle_create)},
		{"handle-comment", G_CALLBACK(handle_comment)},
		{"handle-edit-comment", G_CALLBACK(handle_edit_comment)},
		{"handle-hide-comment", G_CALLBACK(handle_hide_comment)},
		{"handle-rename", G_CALLBACK(handle_rename)},
		{"handle-change-status", G_CALLBACK(handle_change_status)},
		{"handle-merge", G_CALLBACK(handle_merge)},
	};

	for (guint i = 0; i < G_N_ELEMENTS(handlers); i++)
		g_signal_connect(skeleton, handlers[i].signal, handlers[i].handler, service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static void
hubd_discussions_service_class_init(HubdDiscussionsServiceClass *klass)
{
	HUBD_SERVICE_CLASS(klass)->create_skeleton = hubd_discussions_service_create_skeleton;
}

static void
hubd_discussions_service_init(HubdDiscussionsService *self)
{
}
