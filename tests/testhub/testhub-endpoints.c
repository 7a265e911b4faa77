/* testhub-endpoints.c: the local Hub's Inference Endpoints API
 *
 * State machine on a short clock (TESTHUB_ENDPOINT_STEP_MS, default 200, per
 * step): pending → initializing → running, or → failed when a fault is set;
 * pause → paused, scale-to-zero → scaledToZero, resume → pending again; an
 * update passes through updating. Each user may manage the endpoints of
 * their own namespace and their organisations'. */
#include "testhub-endpoints.h"

#include <string.h>

#include "testhub-http.h"

typedef struct {
	gchar *ns;
	gchar *name;
	JsonObject *spec; /* the endpoint as created and updated, secrets redacted */
	const gchar *state;
	gchar *created_by;
	gint64 created_at;
	gint64 updated_at;
	guint step_ms;
	gboolean fail;
	guint timer_id;
	gchar *base_url;
} Endpoint;

static GHashTable *endpoints; /* "ns/name" -> Endpoint* */

static void
endpoint_free(Endpoint *e)
{
	g_clear_handle_id(&e->timer_id, g_source_remove);
	g_free(e->ns);
	g_free(e->name);
	json_object_unref(e->spec);
	g_free(e->created_by);
	g_free(e->base_url);
	g_free(e);
}

static gboolean
endpoint_step_cb(gpointer user_data);

static void
endpoint_set_state(Endpoint *e, const gchar *state)
{
	e->state = state;
	e->updated_at = g_get_real_time() / G_USEC_PER_SEC;
	g_clear_handle_id(&e->timer_id, g_source_remove);
	if (g_strcmp0(state, "pending") == 0 || g_strcmp0(state, "initializing") == 0 ||
	    g_strcmp0(state, "updating") == 0)
		e->timer_id = g_timeout_add(MAX(e->step_ms, 1), endpoint_step_cb, e);
}

static gboolean
endpoint_step_cb(gpointer user_data)
{
	Endpoint *e = user_data;

	e->timer_id = 0;
	if (g_strcmp0(e->state, "pending") == 0)
		endpoint_set_state(e, "initializing");
	else if (e->fail)
		endpoint_set_state(e, "failed");
	else
		endpoint_set_state(e, "running");
	return G_SOURCE_REMOVE;
}

static JsonObject *
endpoint_json(Endpoint *e)
{
	JsonObject *o = json_object_new();
	JsonObject *status = json_object_new();
	JsonObject *by = json_object_new();
	g_autofree gchar *created = testhub_iso_date(e->created_at);
	g_autofree gchar *updated = testhub_iso_date(e->updated_at);
	JsonObjectIter iter;
	const gchar *k;
	JsonNode *v;

	json_object_iter_init(&iter, e->spec);
	while (json_object_iter_next(&iter, &k, &v))
		json_object_set_member(o, k, json_node_copy(v));
	if (!json_object_has_member(o, "healthRoute"))
		json_object_set_string_member(o, "healthRoute", "/health");
	json_object_set_string_member(status, "createdAt", created);
	json_object_set_string_member(status, "updatedAt", updated);
	json_object_set_string_member(by, "id", "000000000000000000000000");
	json_object_set_string_member(by, "name", e->created_by);
	json_object_set_object_member(status, "createdBy", json_object_ref(by));
	json_object_set_object_member(status, "updatedBy", by);
	json_object_set_null_member(status, "private");
	json_object_set_string_member(status, "state", e->state);
	if (g_strcmp0(e->state, "failed") == 0)
		json_object_set_string_member(status,
					      "message",
					      "Endpoint failed to start: the container exited "
					      "with code 1");
	else if (g_strcmp0(e->state, "running") == 0)
		json_object_set_string_member(status, "message", "Endpoint is ready");
	else
		json_object_set_string_member(status, "message", "Endpoint is not ready");
	if (g_strcmp0(e->state, "running") == 0) {
		g_autofree gchar *url =
			g_strdup_printf("%s/_endpoints/%s/%s", e->base_url, e->ns, e->name);

		json_object_set_string_member(status, "url", url);
	}
	json_object_set_int_member(status,
				   "readyReplica",
				   g_strcmp0(e->state, "running") == 0 ? 1 : 0);
	json_object_set_int_member(status, "targetReplica", 1);
	json_object_set_object_member(o, "status", status);
	return o;
}

static void
reply_endpoint(SoupServerMessage *msg, guint status, Endpoint *e)
{
	testhub_reply_json(msg, status, testhub_json_node_take_object(endpoint_json(e)));
}

/* The API's refusals: {"error": MESSAGE} (docs/hub-endpoints.md §4). */
static void
reply_error(SoupServerMessage *msg, guint status, const gchar *message)
{
	testhub_reply_error(msg, status, NULL, message);
}

static const gchar *
member_string(JsonObject *o, const gchar *name)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, name) : NULL;

	return n != NULL && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
		       ? json_node_get_string(n)
		       : NULL;
}

static JsonObject *
member_object(JsonObject *o, const gchar *name)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, name) : NULL;

	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

/* The first required member a create body lacks, or NULL. */
static const gchar *
create_missing(JsonObject *body)
{
	JsonObject *compute = member_object(body, "compute");
	JsonObject *model = member_object(body, "model");
	JsonObject *provider = member_object(body, "provider");

	if (member_string(body, "name") == NULL)
		return "name";
	if (member_string(body, "type") == NULL)
		return "type";
	if (compute == NULL || member_string(compute, "accelerator") == NULL)
		return "compute.accelerator";
	if (member_string(compute, "instanceType") == NULL)
		return "compute.instanceType";
	if (member_string(compute, "instanceSize") == NULL)
		return "compute.instanceSize";
	if (model == NULL || member_string(model, "repository") == NULL)
		return "model.repository";
	if (member_string(model, "framework") == NULL)
		return "model.framework";
	if (provider == NULL || member_string(provider, "vendor") == NULL)
		return "provider.vendor";
	if (member_string(provider, "region") == NULL)
		return "provider.region";
	return NULL;
}

/* Secret values never come back: replaced, as the real API redacts them. */
static void
redact_secrets(JsonObject *spec)
{
	JsonObject *model = member_object(spec, "model");
	JsonObject *secrets = member_object(model, "secrets");
	g_autoptr(GList) keys = secrets != NULL ? json_object_get_members(secrets) : NULL;

	for (GList *l = keys; l != NULL; l = l->next)
		json_object_set_string_member(secrets, l->data, "********");
}

/* Merges `patch` into `into`, objects member by member (a partial update). */
static void
merge_object(JsonObject *into, JsonObject *patch)
{
	JsonObjectIter iter;
	const gchar *k;
	JsonNode *v;

	json_object_iter_init(&iter, patch);
	while (json_object_iter_next(&iter, &k, &v)) {
		JsonObject *old = member_object(into, k);

		if (old != NULL && JSON_NODE_HOLDS_OBJECT(v))
			merge_object(old, json_node_get_object(v));
		else
			json_object_set_member(into, k, json_node_copy(v));
	}
}

static void
route_create(TesthubContext *ctx, SoupServerMessage *msg, const gchar *ns, const gchar *user)
{
	g_autoptr(JsonObject) body = testhub_request_json_object(msg);
	g_autofree gchar *key = NULL;
	const gchar *missing;
	const gchar *step;
	Endpoint *e;

	if (body == NULL)
		return;
	missing = create_missing(body);
	if (missing != NULL) {
		g_autofree gchar *m = g_strdup_printf("Bad Request: missing field `%s`", missing);

		reply_error(msg, SOUP_STATUS_BAD_REQUEST, m);
		return;
	}
	key = g_strdup_printf("%s/%s", ns, member_string(body, "name"));
	if (g_hash_table_contains(endpoints, key)) {
		reply_error(msg,
			    SOUP_STATUS_CONFLICT,
			    "Conflict: an endpoint with this name exists");
		return;
	}
	e = g_new0(Endpoint, 1);
	e->ns = g_strdup(ns);
	e->name = g_strdup(member_string(body, "name"));
	e->spec = json_object_ref(body);
	redact_secrets(e->spec);
	e->created_by = g_strdup(user);
	e->created_at = g_get_real_time() / G_USEC_PER_SEC;
	e->base_url = g_strdup(ctx->base_url);
	step = g_getenv("TESTHUB_ENDPOINT_STEP_MS");
	e->step_ms = step != NULL ? (guint)g_ascii_strtoull(step, NULL, 10) : 200;
	g_hash_table_insert(endpoints, g_steal_pointer(&key), e);
	endpoint_set_state(e, "pending");
	reply_endpoint(msg, SOUP_STATUS_OK, e);
}

static void
route_list(SoupServerMessage *msg, const gchar *ns)
{
	JsonObject *o = json_object_new();
	JsonArray *items = json_array_new();
	g_autoptr(GList) values = g_hash_table_get_values(endpoints);

	for (GList *l = values; l != NULL; l = l->next) {
		Endpoint *e = l->data;

		if (g_strcmp0(e->ns, ns) == 0)
			json_array_add_object_element(items, endpoint_json(e));
	}
	json_object_set_array_member(o, "items", items);
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(o));
}

static void
route_provider(SoupServerMessage *msg)
{
	static const gchar *json =
		"{\"vendors\":[{\"name\":\"aws\",\"status\":\"available\",\"regions\":[{\"name\":"
		"\"us-east-1\",\"label\":\"N. Virginia\",\"status\":\"available\",\"computes\":["
		"{\"id\":\"aws-us-east-1-cpu-intel-spr-x2\",\"accelerator\":\"cpu\","
		"\"numAccelerators\":2,\"numCpus\":2,\"memoryGb\":4,\"instanceType\":\"intel-spr\","
		"\"instanceSize\":\"x2\",\"architecture\":\"Intel Sapphire Rapids\",\"status\":"
		"\"available\",\"pricePerHour\":0.067,\"quota\":{\"maxAccelerators\":16,"
		"\"usedAccelerators\":0}},{\"id\":\"aws-us-east-1-nvidia-l4-x1\",\"accelerator\":"
		"\"gpu\",\"numAccelerators\":1,\"memoryGb\":30,\"gpuMemoryGb\":24,\"instanceType\":"
		"\"nvidia-l4\",\"instanceSize\":\"x1\",\"architecture\":\"Nvidia L4\",\"status\":"
		"\"available\",\"pricePerHour\":0.8,\"quota\":{\"maxAccelerators\":4,"
		"\"usedAccelerators\":0}}]}]}]}";
	g_autoptr(JsonParser) parser = json_parser_new();

	json_parser_load_from_data(parser, json, -1, NULL);
	testhub_reply_json(msg, SOUP_STATUS_OK, json_node_copy(json_parser_get_root(parser)));
}

static void
route_one(SoupServerMessage *msg, Endpoint *e, const gchar *action)
{
	const gchar *method = soup_server_message_get_method(msg);

	if (action == NULL && g_strcmp0(method, "GET") == 0) {
		reply_endpoint(msg, SOUP_STATUS_OK, e);
	} else if (action == NULL && g_strcmp0(method, "PUT") == 0) {
		g_autoptr(JsonObject) body = testhub_request_json_object(msg);

		if (body == NULL)
			return;
		json_object_remove_member(body, "name");
		merge_object(e->spec, body);
		redact_secrets(e->spec);
		endpoint_set_state(e, "updating");
		reply_endpoint(msg, SOUP_STATUS_OK, e);
	} else if (action == NULL && g_strcmp0(method, "DELETE") == 0) {
		g_autofree gchar *key = g_strdup_printf("%s/%s", e->ns, e->name);

		g_hash_table_remove(endpoints, key);
		testhub_reply_json(msg,
				   SOUP_STATUS_OK,
				   testhub_json_node_take_object(json_object_new()));
	} else if (g_strcmp0(action, "pause") == 0 && g_strcmp0(method, "POST") == 0) {
		endpoint_set_state(e, "paused");
		reply_endpoint(msg, SOUP_STATUS_OK, e);
	} else if (g_strcmp0(action, "scale-to-zero") == 0 && g_strcmp0(method, "POST") == 0) {
		endpoint_set_state(e, "scaledToZero");
		reply_endpoint(msg, SOUP_STATUS_OK, e);
	} else if (g_strcmp0(action, "resume") == 0 && g_strcmp0(method, "POST") == 0) {
		if (g_strcmp0(e->state, "running") == 0) {
			reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    "Bad Request: Endpoint is already running");
			return;
		}
		endpoint_set_state(e, "pending");
		reply_endpoint(msg, SOUP_STATUS_OK, e);
	} else {
		reply_error(msg, SOUP_STATUS_NOT_FOUND, "Not Found");
	}
}

void
testhub_endpoints_route(TesthubContext *ctx, SoupServerMessage *msg, gchar **segs, guint n)
{
	const TesthubToken *token = NULL;
	gboolean replied = FALSE;
	const TesthubUser *user;
	const gchar *method = soup_server_message_get_method(msg);
	g_autofree gchar *key = NULL;
	Endpoint *e;

	if (endpoints == NULL)
		endpoints = g_hash_table_new_full(g_str_hash,
						  g_str_equal,
						  g_free,
						  (GDestroyNotify)endpoint_free);
	if (n < 3 || (g_strcmp0(segs[1], "endpoint") != 0 && g_strcmp0(segs[1], "provider") != 0) ||
	    n > 5) {
		reply_error(msg, SOUP_STATUS_NOT_FOUND, "Not Found");
		return;
	}
	user = testhub_request_user(ctx, msg, &token, &replied);
	if (replied)
		return;
	/* no token, or a namespace the caller cannot manage (no billing there) */
	if (user == NULL || !testhub_users_can_write_namespace(ctx->users, user, segs[2])) {
		reply_error(msg, SOUP_STATUS_UNAUTHORIZED, "Unauthorized");
		return;
	}
	if (g_strcmp0(segs[1], "provider") == 0) {
		if (n == 3 && g_strcmp0(method, "GET") == 0)
			route_provider(msg);
		else
			reply_error(msg, SOUP_STATUS_NOT_FOUND, "Not Found");
		return;
	}
	if (n == 3) {
		if (g_strcmp0(method, "GET") == 0)
			route_list(msg, segs[2]);
		else if (g_strcmp0(method, "POST") == 0)
			route_create(ctx, msg, segs[2], user->name);
		else
			reply_error(msg, SOUP_STATUS_NOT_FOUND, "Not Found");
		return;
	}
	key = g_strdup_printf("%s/%s", segs[2], segs[3]);
	e = g_hash_table_lookup(endpoints, key);
	if (e == NULL) {
		reply_error(msg, SOUP_STATUS_NOT_FOUND, "Endpoint not found");
		return;
	}
	route_one(msg, e, n == 5 ? segs[4] : NULL);
}

void
testhub_endpoints_admin(TesthubContext *ctx, SoupServerMessage *msg, gchar **rest)
{
	g_autofree gchar *key = NULL;
	g_autoptr(JsonObject) body = NULL;
	Endpoint *e;

	if (rest[0] == NULL || rest[1] == NULL || rest[2] != NULL || endpoints == NULL) {
		reply_error(msg, SOUP_STATUS_NOT_FOUND, "Not Found");
		return;
	}
	key = g_strdup_printf("%s/%s", rest[0], rest[1]);
	e = g_hash_table_lookup(endpoints, key);
	if (e == NULL) {
		reply_error(msg, SOUP_STATUS_NOT_FOUND, "Endpoint not found");
		return;
	}
	body = testhub_request_json_object(msg);
	if (body == NULL)
		return;
	if (json_object_has_member(body, "step_ms"))
		e->step_ms = (guint)json_object_get_int_member(body, "step_ms");
	e->fail = json_object_get_boolean_member_with_default(body, "fail", e->fail);
	/* a test puts it back in a state, so that a slow machine has not
	 * stepped past it already (the clock starts again with step_ms) */
	if (json_object_has_member(body, "state"))
		endpoint_set_state(e,
				   g_intern_string(json_object_get_string_member(body, "state")));
	reply_endpoint(msg, SOUP_STATUS_OK, e);
}
