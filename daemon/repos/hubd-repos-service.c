/* hubd-repos-service.c: org.hubd.Hub1.Repos — create, delete, move, settings,
 * branches and tags (the write side; listings are in hubd-repos-read.c) */
#define G_LOG_DOMAIN "HubdRepos"

#include "hubd-repos-service.h"

#include <glib/gi18n.h>

#include "hubd-daemon.h"
#include "hubd-error.h"
#include "hubd-repos-private.h"

struct _HubdReposService {
	HubdService parent_instance;
	guint busy; /* calls in flight */
};

G_DEFINE_TYPE_WITH_CODE(HubdReposService,
			hubd_repos_service,
			HUBD_TYPE_SERVICE,
			hubd_service_register_extension_points();
			g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
						       g_define_type_id,
						       "repos",
						       800))

static const gchar *const space_sdks[] = {"gradio", "streamlit", "docker", "static", NULL};

/* ---- shared helpers (hubd-repos-private.h) ---- */

HubdReposCall *
hubd_repos_call_new(HubdReposService *self, GDBusMethodInvocation *invocation)
{
	HubdReposCall *call = g_new0(HubdReposCall, 1);

	call->self = g_object_ref(self);
	call->invocation = g_object_ref(invocation);
	self->busy++;
	hubd_daemon_hold(hubd_service_get_daemon(HUBD_SERVICE(self)));
	return call;
}

void
hubd_repos_call_free(HubdReposCall *call)
{
	hubd_daemon_release(hubd_service_get_daemon(HUBD_SERVICE(call->self)));
	call->self->busy--;
	g_object_unref(call->self);
	g_clear_object(&call->invocation);
	g_free(call->repo_id);
	g_free(call->other);
	g_free(call->probe_path);
	g_clear_error(&call->first_error);
	g_free(call);
}

void
hubd_repos_call_fail(HubdReposCall *call, GError *error)
{
	hubd_service_return_error(call->invocation, error);
	hubd_repos_call_free(call);
}

HubdDbusRepos *
hubd_repos_service_skeleton(HubdReposService *self)
{
	return HUBD_DBUS_REPOS(hubd_service_get_skeleton(HUBD_SERVICE(self)));
}

HubdHubClient *
hubd_repos_service_client(HubdReposService *self)
{
	return hubd_daemon_get_hub_client(hubd_service_get_daemon(HUBD_SERVICE(self)));
}

const gchar *
hubd_repos_service_endpoint(HubdReposService *self)
{
	return hubd_daemon_get_endpoint(hubd_service_get_daemon(HUBD_SERVICE(self)));
}

/* The repo's web URL on our endpoint: the Hub's answer (rewritten from
 * huggingface.co like huggingface_hub's fix_hf_endpoint_in_url), else built. */
static gchar *
hubd_repos_web_url(HubdReposCall *call, const gchar *repo_id, HubdHubResponse *response)
{
	const gchar *endpoint = hubd_repos_service_endpoint(call->self);
	GBytes *body = response != NULL ? hubd_hub_response_get_body(response) : NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	const gchar *url = NULL;
	gsize len = 0;
	const gchar *data = body != NULL ? g_bytes_get_data(body, &len) : NULL;

	if (data != NULL && len > 0 &&
	    json_parser_load_from_data(parser, data, (gssize)len, NULL) &&
	    JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		JsonObject *o = json_node_get_object(json_parser_get_root(parser));
		url = json_object_get_string_member_with_default(o, "url", NULL);
	}
	if (url != NULL && g_utf8_validate(url, -1, NULL) &&
	    (g_str_has_prefix(url, "https://") || g_str_has_prefix(url, "http://"))) {
		if (g_str_has_prefix(url, "https://huggingface.co/"))
			return g_strconcat(endpoint, url + strlen("https://huggingface.co"), NULL);
		return g_strdup(url);
	}
	return g_strdup_printf("%s/%s%s",
			       endpoint,
			       hubd_repo_type_to_url_prefix(call->type),
			       repo_id);
}

/* ---- sending a write ---- */

static void
hubd_repos_probe_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdReposCall *call = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node =
		hubd_hub_client_get_json_finish(HUBD_HUB_CLIENT(source), res, NULL, &error);

	if (node == NULL) {
		g_debug("%s is not readable either: %s", call->repo_id, error->message);
		hubd_repos_call_fail(call, g_steal_pointer(&call->first_error));
		return;
	}
	g_clear_error(&call->first_error);
	call->done(call, NULL);
}

static void
hubd_repos_write_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	HubdReposCall *call = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubResponse) response =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);
	guint status;

	if (response == NULL) {
		hubd_repos_call_fail(call, error);
		return;
	}
	status = hubd_hub_response_get_status(response);
	if (status == SOUP_STATUS_CONFLICT && call->exist_ok) {
		call->done(call, response);
		return;
	}
	if (hubd_hub_client_error_from_response(status,
						hubd_hub_response_get_headers(response),
						hubd_hub_response_get_body(response),
						hubd_hub_response_get_uri(response),
						&error)) {
		/* as huggingface_hub's create_repo(exist_ok=True): no right to
		 * create is fine if the repo is already there */
		if (call->exist_ok && call->probe_path != NULL &&
		    (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_PAYMENT_REQUIRED ||
		     status == SOUP_STATUS_FORBIDDEN)) {
			g_autoptr(HubdHubRequest) probe =
				hubd_hub_request_new("GET", call->probe_path);

			call->first_error = error;
			hubd_hub_client_get_json_async(HUBD_HUB_CLIENT(source),
						       probe,
						       NULL,
						       hubd_repos_probe_cb,
						       call);
			return;
		}
		if (call->missing_ok &&
		    g_error_matches(error, HUBD_ERROR, HUBD_ERROR_REPO_NOT_FOUND)) {
			g_clear_error(&error);
			call->done(call, NULL);
			return;
		}
		hubd_repos_call_fail(call, error);
		return;
	}
	call->done(call, response);
}

/* Sends a write with the token (NOT_LOGGED_IN without one), once; the answer
 * is classified in hubd_repos_write_cb. Takes `call`. */
static void
hubd_repos_send_write(HubdReposCall *call,
		      const gchar *method,
		      const gchar *path,
		      JsonBuilder *body,
		      HubdReposDone done)
{
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new(method, path);

	if (body != NULL) {
		g_autoptr(JsonNode) node = json_builder_get_root(body);
		hubd_hub_request_set_json_body(req, node);
	}
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN |
					   HUBD_HUB_REQUEST_FLAG_NO_HTTP_ERROR);
	call->done = done;
	hubd_hub_client_request_async(hubd_repos_service_client(call->self),
				      req,
				      NULL,
				      hubd_repos_write_cb,
				      call);
}

/* {"name": NAME, "organization": NS, "type": TYPE} of create and delete */
static JsonBuilder *
hubd_repos_name_body(HubdRepoType type, const gchar *repo_id)
{
	JsonBuilder *b = json_builder_new();
	const gchar *slash = strchr(repo_id, '/');
	g_autofree gchar *ns = slash != NULL ? g_strndup(repo_id, (gsize)(slash - repo_id)) : NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, slash != NULL ? slash + 1 : repo_id);
	json_builder_set_member_name(b, "organization");
	if (ns != NULL)
		json_builder_add_string_value(b, ns);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, hubd_repo_type_to_string(type));
	return b;
}

/* ---- Create ---- */

static void
hubd_repos_create_done(HubdReposCall *call, HubdHubResponse *response)
{
	g_autofree gchar *url = hubd_repos_web_url(call, call->repo_id, response);

	if (response != NULL && hubd_hub_response_get_status(response) < 300)
		g_message("created %s %s", hubd_repo_type_to_string(call->type), call->repo_id);
	else
		g_debug("%s already exists: fine with exist_ok", call->repo_id);
	hubd_dbus_repos_complete_create(hubd_repos_service_skeleton(call->self),
					call->invocation,
					url);
	hubd_repos_call_free(call);
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
	HubdReposCall *call;
	g_autoptr(JsonBuilder) body = NULL;
	GError *error = NULL;
	HubdRepoType type;
	gboolean private_ = FALSE;
	const gchar *sdk = NULL;
	const gchar *hardware = NULL;

	if (!hubd_repos_parse_repo(repo_type, repo_id, TRUE, &type, &error) ||
	    !hubd_service_check_options(options, allowed, &error))
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

	call = hubd_repos_call_new(HUBD_REPOS_SERVICE(user_data), invocation);
	call->type = type;
	call->repo_id = g_strdup(repo_id);
	g_variant_lookup(options, "exist_ok", "b", &call->exist_ok);
	call->probe_path = hubd_repos_api_path(type, repo_id, NULL);
	body = hubd_repos_name_body(type, repo_id);
	if (g_variant_lookup(options, "private", "b", &private_)) {
		/* huggingface_hub 1.x sends visibility; the Hub also takes "private" */
		json_builder_set_member_name(body, "visibility");
		json_builder_add_string_value(body, private_ ? "private" : "public");
	}
	if (sdk != NULL) {
		json_builder_set_member_name(body, "sdk");
		json_builder_add_string_value(body, sdk);
	}
	if (hardware != NULL && hardware[0] != '\0') {
		json_builder_set_member_name(body, "hardware");
		json_builder_add_string_value(body, hardware);
	}
	json_builder_end_object(body);
	hubd_repos_send_write(call, "POST", "/api/repos/create", body, hubd_repos_create_done);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- Delete ---- */

static void
hubd_repos_delete_done(HubdReposCall *call, HubdHubResponse *response)
{
	if (response != NULL)
		g_message("deleted %s %s", hubd_repo_type_to_string(call->type), call->repo_id);
	hubd_dbus_repos_complete_delete(hubd_repos_service_skeleton(call->self), call->invocation);
	hubd_repos_call_free(call);
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
	HubdReposCall *call;
	g_autoptr(JsonBuilder) body = NULL;
	GError *error = NULL;
	HubdRepoType type;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_service_check_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	call = hubd_repos_call_new(HUBD_REPOS_SERVICE(user_data), invocation);
	call->type = type;
	call->repo_id = g_strdup(repo_id);
	g_variant_lookup(options, "missing_ok", "b", &call->missing_ok);
	body = hubd_repos_name_body(type, repo_id);
	json_builder_end_object(body);
	hubd_repos_send_write(call, "DELETE", "/api/repos/delete", body, hubd_repos_delete_done);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- Move ---- */

static void
hubd_repos_move_done(HubdReposCall *call, HubdHubResponse *response)
{
	g_autofree gchar *url = hubd_repos_web_url(call, call->other, response);

	g_message("moved %s %s to %s",
		  hubd_repo_type_to_string(call->type),
		  call->repo_id,
		  call->other);
	hubd_dbus_repos_complete_move(hubd_repos_service_skeleton(call->self),
				      call->invocation,
				      url);
	hubd_repos_call_free(call);
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
	HubdReposCall *call;
	g_autoptr(JsonBuilder) body = json_builder_new();
	GError *error = NULL;
	HubdRepoType type;

	/* both ids need a namespace, as huggingface_hub's move_repo */
	if (!hubd_repos_parse_repo(repo_type, from_id, TRUE, &type, &error) ||
	    !hubd_repo_id_validate(to_id, TRUE, &error) ||
	    !hubd_service_check_options(options, NULL, &error))
		return hubd_repos_refuse(invocation, error);
	if (g_strcmp0(from_id, to_id) == 0)
		return hubd_repos_refuse(invocation,
					 g_error_new(HUBD_ERROR,
						     HUBD_ERROR_INVALID_ARGUMENT,
						     _("Cannot move %s onto itself: give a new id"),
						     from_id));
	call = hubd_repos_call_new(HUBD_REPOS_SERVICE(user_data), invocation);
	call->type = type;
	call->repo_id = g_strdup(from_id);
	call->other = g_strdup(to_id);
	json_builder_begin_object(body);
	json_builder_set_member_name(body, "fromRepo");
	json_builder_add_string_value(body, from_id);
	json_builder_set_member_name(body, "toRepo");
	json_builder_add_string_value(body, to_id);
	json_builder_set_member_name(body, "type");
	json_builder_add_string_value(body, hubd_repo_type_to_string(type));
	json_builder_end_object(body);
	hubd_repos_send_write(call, "POST", "/api/repos/move", body, hubd_repos_move_done);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- UpdateSettings ---- */

static void
hubd_repos_settings_done(HubdReposCall *call, HubdHubResponse *response)
{
	g_message("updated the settings of %s %s",
		  hubd_repo_type_to_string(call->type),
		  call->repo_id);
	hubd_dbus_repos_complete_update_settings(hubd_repos_service_skeleton(call->self),
						 call->invocation);
	hubd_repos_call_free(call);
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
	HubdReposCall *call;
	g_autoptr(JsonBuilder) body = json_builder_new();
	g_autofree gchar *path = NULL;
	GError *error = NULL;
	HubdRepoType type;
	const gchar *gated = NULL;
	gboolean flag = FALSE;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_service_check_options(options, allowed, &error))
		return hubd_repos_refuse(invocation, error);
	if (g_variant_n_children(options) == 0)
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
	json_builder_begin_object(body);
	if (gated != NULL) {
		json_builder_set_member_name(body, "gated");
		if (g_strcmp0(gated, "false") == 0)
			json_builder_add_boolean_value(body, FALSE);
		else
			json_builder_add_string_value(body, gated);
	}
	if (g_variant_lookup(options, "private", "b", &flag)) {
		json_builder_set_member_name(body, "visibility");
		json_builder_add_string_value(body, flag ? "private" : "public");
	}
	if (g_variant_lookup(options, "discussions_disabled", "b", &flag)) {
		json_builder_set_member_name(body, "discussionsDisabled");
		json_builder_add_boolean_value(body, flag);
	}
	json_builder_end_object(body);
	call = hubd_repos_call_new(HUBD_REPOS_SERVICE(user_data), invocation);
	call->type = type;
	call->repo_id = g_strdup(repo_id);
	path = hubd_repos_api_path(type, repo_id, "/settings");
	hubd_repos_send_write(call, "PUT", path, body, hubd_repos_settings_done);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- branches and tags ---- */

/* CreateBranch, DeleteBranch, CreateTag and DeleteTag share one handler; the
 * method name picks the row. */
static const struct {
	const gchar *method;
	gboolean is_tag;
	gboolean create;
	void (*complete)(HubdDbusRepos *skeleton, GDBusMethodInvocation *invocation);
} ref_methods[] = {
	{"CreateBranch", FALSE, TRUE, hubd_dbus_repos_complete_create_branch},
	{"DeleteBranch", FALSE, FALSE, hubd_dbus_repos_complete_delete_branch},
	{"CreateTag", TRUE, TRUE, hubd_dbus_repos_complete_create_tag},
	{"DeleteTag", TRUE, FALSE, hubd_dbus_repos_complete_delete_tag},
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
hubd_repos_ref_done(HubdReposCall *call, HubdHubResponse *response)
{
	ref_methods[hubd_repos_ref_method(call->invocation)].complete(
		hubd_repos_service_skeleton(call->self),
		call->invocation);
	hubd_repos_call_free(call);
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
	HubdReposCall *call;
	g_autoptr(JsonBuilder) body = NULL;
	g_autofree gchar *escaped = NULL;
	g_autofree gchar *suffix = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;
	HubdRepoType type;
	const gchar *message = NULL;

	if (!hubd_repos_parse_repo(repo_type, repo_id, FALSE, &type, &error) ||
	    !hubd_service_check_options(options,
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

	call = hubd_repos_call_new(HUBD_REPOS_SERVICE(user_data), invocation);
	call->type = type;
	call->repo_id = g_strdup(repo_id);
	g_variant_lookup(options, "exist_ok", "b", &call->exist_ok);
	/* once, with no safe characters: "feature/x" → "feature%2Fx" */
	if (is_tag && create)
		/* the URL names what is tagged; the body names the tag */
		escaped = g_uri_escape_string(revision != NULL && revision[0] != '\0' ? revision
										      : "main",
					      NULL,
					      FALSE);
	else
		escaped = g_uri_escape_string(name, NULL, FALSE);
	suffix = g_strdup_printf("/%s/%s", is_tag ? "tag" : "branch", escaped);
	path = hubd_repos_api_path(type, repo_id, suffix);
	if (create) {
		body = json_builder_new();
		json_builder_begin_object(body);
		if (is_tag) {
			json_builder_set_member_name(body, "tag");
			json_builder_add_string_value(body, name);
			if (message != NULL && message[0] != '\0') {
				json_builder_set_member_name(body, "message");
				json_builder_add_string_value(body, message);
			}
		} else if (revision != NULL && revision[0] != '\0') {
			json_builder_set_member_name(body, "startingPoint");
			json_builder_add_string_value(body, revision);
		}
		json_builder_end_object(body);
	}
	hubd_repos_send_write(call, create ? "POST" : "DELETE", path, body, hubd_repos_ref_done);
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
		{"handle-info", G_CALLBACK(hubd_repos_handle_info)},
		{"handle-list", G_CALLBACK(hubd_repos_handle_list)},
		{"handle-list-files", G_CALLBACK(hubd_repos_handle_list_files)},
		{"handle-list-refs", G_CALLBACK(hubd_repos_handle_list_refs)},
		{"handle-list-commits", G_CALLBACK(hubd_repos_handle_list_commits)},
		{"handle-create-branch", G_CALLBACK(hubd_repos_handle_ref_create)},
		{"handle-delete-branch", G_CALLBACK(hubd_repos_handle_ref_delete)},
		{"handle-create-tag", G_CALLBACK(hubd_repos_handle_ref_create)},
		{"handle-delete-tag", G_CALLBACK(hubd_repos_handle_ref_delete)},
		{"handle-hub-url", G_CALLBACK(hubd_repos_handle_hub_url)},
	};

	for (guint i = 0; i < G_N_ELEMENTS(handlers); i++)
		g_signal_connect(skeleton, handlers[i].signal, handlers[i].handler, service);
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
