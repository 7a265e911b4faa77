/* testhub-webhooks.c: webhooks on the local Hub.
 *
 * The management API follows docs/hub-webhooks.md §3: the listing is a bare
 * array, the other answers {"webhook": {...}}, update is a POST that carries
 * `watched`, enable/disable are POSTs. A webhook belongs to the user whose
 * token created it; others get 404. Deliveries (§1-2) are POSTs of the
 * version-3 payload with X-Webhook-Secret, made asynchronously with a 10 s
 * timeout and retried twice (after 1 s, then 2 s) on a network error or an
 * answer that is not 2xx: the Hub's docs show delivery status and replay but
 * no schedule, so this one is ours. Every attempt goes into the delivery log
 * (admin: /_testhub/webhook-deliveries). Webhooks live in memory. */
#include "testhub-webhooks.h"

#include <string.h>

#include "testhub-http.h"
#include "testhub-routes.h"

#define DELIVERY_TIMEOUT_S 10
#define DELIVERY_ATTEMPTS  3

typedef struct {
	gchar *id;
	gchar *owner; /* user name */
	gchar *url;
	GPtrArray *watched; /* JsonObject* {type, name} */
	GStrv domains;      /* empty: all */
	gchar *secret;      /* NULL: none */
	gboolean disabled;
} Webhook;

struct _TesthubWebhooks {
	GPtrArray *hooks; /* Webhook* */
	JsonArray *deliveries;
	SoupSession *session;
	guint next_id;
};

static void
webhook_free(Webhook *w)
{
	g_free(w->id);
	g_free(w->owner);
	g_free(w->url);
	g_ptr_array_unref(w->watched);
	g_strfreev(w->domains);
	g_free(w->secret);
	g_free(w);
}

TesthubWebhooks *
testhub_webhooks_new(void)
{
	TesthubWebhooks *hooks = g_new0(TesthubWebhooks, 1);

	hooks->hooks = g_ptr_array_new_with_free_func((GDestroyNotify)webhook_free);
	hooks->deliveries = json_array_new();
	hooks->session = soup_session_new_with_options("timeout", DELIVERY_TIMEOUT_S, NULL);
	return hooks;
}

void
testhub_webhooks_free(TesthubWebhooks *hooks)
{
	if (hooks == NULL)
		return;
	g_ptr_array_unref(hooks->hooks);
	json_array_unref(hooks->deliveries);
	g_object_unref(hooks->session);
	g_free(hooks);
}

/* ---- the management API ---- */

static JsonNode *
webhook_json(Webhook *w)
{
	JsonObject *o = json_object_new();
	JsonArray *watched = json_array_new();
	JsonArray *domains = json_array_new();

	for (guint i = 0; i < w->watched->len; i++)
		json_array_add_object_element(watched,
					      json_object_ref(g_ptr_array_index(w->watched, i)));
	for (guint i = 0; w->domains[i] != NULL; i++)
		json_array_add_string_element(domains, w->domains[i]);
	json_object_set_string_member(o, "id", w->id);
	json_object_set_string_member(o, "url", w->url);
	json_object_set_null_member(o, "job");
	json_object_set_array_member(o, "watched", watched);
	json_object_set_array_member(o, "domains", domains);
	if (w->secret != NULL)
		json_object_set_string_member(o, "secret", w->secret);
	else
		json_object_set_null_member(o, "secret");
	json_object_set_boolean_member(o, "disabled", w->disabled);
	return testhub_json_node_take_object(o);
}

static void
reply_webhook(SoupServerMessage *msg, Webhook *w)
{
	JsonObject *o = json_object_new();

	json_object_set_member(o, "webhook", webhook_json(w));
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(o));
}

static gboolean
bad_request(SoupServerMessage *msg, const gchar *message)
{
	testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, message);
	return FALSE;
}

/* Reads watched/url/domains/secret of a create (all required but domains
 * and secret) or an update (watched required, the rest optional) into `w`. */
static gboolean
read_fields(SoupServerMessage *msg, JsonObject *body, Webhook *w, gboolean create)
{
	static const gchar *const types[] = {"dataset", "model", "org", "space", "user", NULL};
	JsonArray *watched = json_object_has_member(body, "watched")
				     ? json_object_get_array_member(body, "watched")
				     : NULL;
	JsonNode *url = json_object_get_member(body, "url");
	JsonNode *domains = json_object_get_member(body, "domains");
	JsonNode *secret = json_object_get_member(body, "secret");
	g_autoptr(GPtrArray) items =
		g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);

	if (json_object_has_member(body, "jobSourceId"))
		return bad_request(msg, "Job webhooks are not supported by this Hub");
	if (watched == NULL || json_array_get_length(watched) == 0)
		return bad_request(msg, "watched must be a non-empty array");
	for (guint i = 0; i < json_array_get_length(watched); i++) {
		JsonNode *el = json_array_get_element(watched, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT(el) ? json_node_get_object(el) : NULL;
		const gchar *type =
			o != NULL ? json_object_get_string_member_with_default(o, "type", NULL)
				  : NULL;
		const gchar *name =
			o != NULL ? json_object_get_string_member_with_default(o, "name", NULL)
				  : NULL;
		JsonObject *item;

		if (type == NULL || !g_strv_contains(types, type) || name == NULL ||
		    name[0] == '\0')
			return bad_request(
				msg,
				"watched items are {type: model|dataset|space|user|org, name}");
		item = json_object_new();
		json_object_set_string_member(item, "type", type);
		json_object_set_string_member(item, "name", name);
		g_ptr_array_add(items, item);
	}
	g_ptr_array_unref(w->watched);
	w->watched = g_steal_pointer(&items);
	if (url != NULL || create) {
		const gchar *u = url != NULL && JSON_NODE_HOLDS_VALUE(url) &&
						 json_node_get_value_type(url) == G_TYPE_STRING
					 ? json_node_get_string(url)
					 : NULL;

		if (u == NULL ||
		    (!g_str_has_prefix(u, "http://") && !g_str_has_prefix(u, "https://")))
			return bad_request(msg, "url must be an http(s) URL");
		g_free(w->url);
		w->url = g_strdup(u);
	}
	if (domains != NULL) {
		g_autoptr(GStrvBuilder) b = g_strv_builder_new();
		JsonArray *arr =
			JSON_NODE_HOLDS_ARRAY(domains) ? json_node_get_array(domains) : NULL;

		if (arr == NULL)
			return bad_request(msg, "domains must be an array");
		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonNode *el = json_array_get_element(arr, i);
			const gchar *d = JSON_NODE_HOLDS_VALUE(el) && json_node_get_value_type(
									      el) == G_TYPE_STRING
						 ? json_node_get_string(el)
						 : NULL;

			/* the CLI's "discussions" is tolerated (§3) */
			if (g_strcmp0(d, "discussions") == 0)
				d = "discussion";
			if (g_strcmp0(d, "repo") != 0 && g_strcmp0(d, "discussion") != 0)
				return bad_request(msg, "domains are repo and discussion");
			g_strv_builder_add(b, d);
		}
		g_strfreev(w->domains);
		w->domains = g_strv_builder_end(b);
	}
	if (secret != NULL && !JSON_NODE_HOLDS_NULL(secret)) {
		const gchar *s = JSON_NODE_HOLDS_VALUE(secret) &&
						 json_node_get_value_type(secret) == G_TYPE_STRING
					 ? json_node_get_string(secret)
					 : NULL;

		if (s == NULL)
			return bad_request(msg, "secret must be a string");
		for (const gchar *c = s; *c != '\0'; c++)
			if ((guchar)*c < 0x20 || (guchar)*c > 0x7e)
				return bad_request(msg, "secret must be ASCII");
		g_free(w->secret);
		w->secret = s[0] != '\0' ? g_strdup(s) : NULL;
	}
	return TRUE;
}

static Webhook *
find(TesthubWebhooks *hooks, const gchar *owner, const gchar *id)
{
	for (guint i = 0; i < hooks->hooks->len; i++) {
		Webhook *w = g_ptr_array_index(hooks->hooks, i);

		if (g_str_equal(w->id, id) && g_str_equal(w->owner, owner))
			return w;
	}
	return NULL;
}

static void
route_create(TesthubContext *ctx, SoupServerMessage *msg, const TesthubUser *user)
{
	JsonObject *body = testhub_request_json_object(msg);
	Webhook *w;
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA1);

	if (body == NULL)
		return;
	w = g_new0(Webhook, 1);
	w->owner = g_strdup(user->name);
	w->watched = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	w->domains = g_new0(gchar *, 1);
	if (!read_fields(msg, body, w, TRUE)) {
		webhook_free(w);
		json_object_unref(body);
		return;
	}
	json_object_unref(body);
	/* a 24-hex id like the Hub's ObjectIds */
	g_checksum_update(sum,
			  (const guchar *)&ctx->webhooks->next_id,
			  sizeof ctx->webhooks->next_id);
	g_checksum_update(sum, (const guchar *)user->name, -1);
	/* unique across runs too, as the Hub's ObjectIds are */
	{
		gint64 now = g_get_real_time();
		guint32 r = g_random_int();

		g_checksum_update(sum, (const guchar *)&now, sizeof now);
		g_checksum_update(sum, (const guchar *)&r, sizeof r);
	}
	ctx->webhooks->next_id++;
	w->id = g_strndup(g_checksum_get_string(sum), 24);
	g_ptr_array_add(ctx->webhooks->hooks, w);
	reply_webhook(msg, w);
}

void
testhub_route_webhooks(TesthubContext *ctx, SoupServerMessage *msg, gchar **rest, guint n)
{
	const gchar *method = soup_server_message_get_method(msg);
	gboolean replied = FALSE;
	const TesthubUser *user = testhub_request_user(ctx, msg, NULL, &replied);
	Webhook *w;

	if (replied)
		return;
	if (user == NULL) {
		testhub_reply_error(msg,
				    SOUP_STATUS_UNAUTHORIZED,
				    NULL,
				    "Invalid username or password.");
		return;
	}
	if (n == 0 && g_str_equal(method, "GET")) {
		JsonArray *arr = json_array_new();

		for (guint i = 0; i < ctx->webhooks->hooks->len; i++) {
			w = g_ptr_array_index(ctx->webhooks->hooks, i);
			if (g_str_equal(w->owner, user->name))
				json_array_add_element(arr, webhook_json(w));
		}
		testhub_reply_json(msg,
				   SOUP_STATUS_OK,
				   json_node_init_array(json_node_alloc(), arr));
		return;
	}
	if (n == 0 && g_str_equal(method, "POST")) {
		route_create(ctx, msg, user);
		return;
	}
	w = n >= 1 && n <= 2 ? find(ctx->webhooks, user->name, rest[0]) : NULL;
	if (w == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Webhook not found");
		return;
	}
	if (n == 1 && g_str_equal(method, "GET")) {
		reply_webhook(msg, w);
	} else if (n == 1 && g_str_equal(method, "POST")) {
		JsonObject *body = testhub_request_json_object(msg);

		if (body == NULL)
			return;
		if (read_fields(msg, body, w, FALSE))
			reply_webhook(msg, w);
		json_object_unref(body);
	} else if (n == 1 && g_str_equal(method, "DELETE")) {
		g_ptr_array_remove(ctx->webhooks->hooks, w);
		testhub_reply_json(msg,
				   SOUP_STATUS_OK,
				   testhub_json_node_take_object(json_object_new()));
	} else if (n == 2 && g_str_equal(method, "POST") &&
		   (g_str_equal(rest[1], "enable") || g_str_equal(rest[1], "disable"))) {
		w->disabled = g_str_equal(rest[1], "disable");
		reply_webhook(msg, w);
	} else {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
	}
}

void
testhub_webhooks_handle_admin(TesthubContext *ctx, SoupServerMessage *msg)
{
	if (g_str_equal(soup_server_message_get_method(msg), "DELETE")) {
		json_array_unref(ctx->webhooks->deliveries);
		ctx->webhooks->deliveries = json_array_new();
		testhub_reply_json(msg,
				   SOUP_STATUS_OK,
				   testhub_json_node_take_object(json_object_new()));
		return;
	}
	testhub_reply_json(
		msg,
		SOUP_STATUS_OK,
		json_node_init_array(json_node_alloc(), json_array_ref(ctx->webhooks->deliveries)));
}

/* ---- deliveries ---- */

typedef struct {
	TesthubWebhooks *hooks;
	gchar *webhook_id;
	gchar *url;
	gchar *secret;
	gchar *scope;
	gchar *action;
	gchar *repo;
	GBytes *payload;
	guint attempt;
} Delivery;

static void
delivery_free(Delivery *d)
{
	g_free(d->webhook_id);
	g_free(d->url);
	g_free(d->secret);
	g_free(d->scope);
	g_free(d->action);
	g_free(d->repo);
	g_bytes_unref(d->payload);
	g_free(d);
}

static void
delivery_send(Delivery *d);

static gboolean
delivery_retry_cb(gpointer user_data)
{
	delivery_send(user_data);
	return G_SOURCE_REMOVE;
}

static void
delivery_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Delivery *d = user_data;
	SoupMessage *msg = soup_session_get_async_result_message(SOUP_SESSION(source), res);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) body =
		soup_session_send_and_read_finish(SOUP_SESSION(source), res, &error);
	guint status = body != NULL ? soup_message_get_status(msg) : 0;
	JsonObject *log = json_object_new();

	json_object_set_string_member(log, "webhook_id", d->webhook_id);
	json_object_set_string_member(log, "url", d->url);
	json_object_set_string_member(log, "scope", d->scope);
	json_object_set_string_member(log, "action", d->action);
	json_object_set_string_member(log, "repo", d->repo);
	json_object_set_int_member(log, "attempt", d->attempt);
	json_object_set_int_member(log, "status", status);
	json_object_set_boolean_member(log, "secret_sent", d->secret != NULL);
	if (error != NULL)
		json_object_set_string_member(log, "error", error->message);
	json_array_add_object_element(d->hooks->deliveries, log);
	if ((status < 200 || status >= 300) && d->attempt < DELIVERY_ATTEMPTS) {
		g_timeout_add_seconds(d->attempt, delivery_retry_cb, d);
		return;
	}
	delivery_free(d);
}

static void
delivery_send(Delivery *d)
{
	g_autoptr(SoupMessage) msg = soup_message_new("POST", d->url);

	d->attempt++;
	if (msg == NULL) {
		delivery_free(d);
		return;
	}
	soup_message_set_request_body_from_bytes(msg, "application/json", d->payload);
	if (d->secret != NULL)
		soup_message_headers_replace(soup_message_get_request_headers(msg),
					     "X-Webhook-Secret",
					     d->secret);
	soup_session_send_and_read_async(d->hooks->session,
					 msg,
					 G_PRIORITY_DEFAULT,
					 NULL,
					 delivery_done_cb,
					 d);
}

static gboolean
watches(Webhook *w, TesthubRepo *repo, const gchar *scope)
{
	const gchar *domain = g_str_has_prefix(scope, "discussion") ? "discussion" : "repo";

	if (w->disabled ||
	    (w->domains[0] != NULL && !g_strv_contains((const gchar *const *)w->domains, domain)))
		return FALSE;
	for (guint i = 0; i < w->watched->len; i++) {
		JsonObject *o = g_ptr_array_index(w->watched, i);
		const gchar *type = json_object_get_string_member(o, "type");
		const gchar *name = json_object_get_string_member(o, "name");

		if ((g_str_equal(type, "user") || g_str_equal(type, "org")) &&
		    g_str_equal(name, repo->ns))
			return TRUE;
		if (g_str_equal(type, testhub_repo_type_to_string(repo->type)) &&
		    g_str_equal(name, repo->id))
			return TRUE;
	}
	return FALSE;
}

gchar *
testhub_webhooks_object_id(const gchar *kind, const gchar *name)
{
	g_autofree gchar *key = g_strconcat(kind, "/", name, NULL);
	g_autofree gchar *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA1, key, -1);

	return g_strndup(sum, 24);
}

static JsonObject *
repo_json(TesthubContext *ctx, TesthubRepo *repo, const gchar *scope)
{
	JsonObject *o = json_object_new();
	JsonObject *url = json_object_new();
	JsonObject *owner = json_object_new();
	const TesthubUser *u = testhub_users_by_name(ctx->users, repo->ns);
	g_autofree gchar *web = testhub_repo_url(ctx, repo);
	g_autofree gchar *api = g_strdup_printf("%s/api/%s/%s",
						ctx->base_url,
						testhub_repo_type_to_plural(repo->type),
						repo->id);
	g_autofree gchar *rid =
		testhub_webhooks_object_id(testhub_repo_type_to_string(repo->type), repo->id);
	g_autofree gchar *oid =
		u != NULL ? g_strdup(u->id) : testhub_webhooks_object_id("user", repo->ns);

	json_object_set_string_member(o, "type", testhub_repo_type_to_string(repo->type));
	json_object_set_string_member(o, "name", repo->id);
	json_object_set_string_member(o, "id", rid);
	json_object_set_boolean_member(o, "private", repo->private_);
	json_object_set_string_member(url, "web", web);
	json_object_set_string_member(url, "api", api);
	json_object_set_object_member(o, "url", url);
	json_object_set_string_member(owner, "id", oid);
	json_object_set_object_member(o, "owner", owner);
	/* headSha only for repo scopes (§1) */
	if (g_str_has_prefix(scope, "repo")) {
		g_autofree gchar *head = testhub_store_resolve_revision(ctx->store, repo, "main");

		if (head != NULL)
			json_object_set_string_member(o, "headSha", head);
	}
	return o;
}

void
testhub_webhooks_emit(TesthubContext *ctx,
		      TesthubRepo *repo,
		      const gchar *scope,
		      const gchar *action,
		      JsonObject *extra)
{
	TesthubWebhooks *hooks = ctx->webhooks;

	for (guint i = 0; hooks != NULL && i < hooks->hooks->len; i++) {
		Webhook *w = g_ptr_array_index(hooks->hooks, i);
		JsonObject *payload;
		JsonObject *event;
		JsonObject *webhook;
		g_autoptr(JsonNode) node = NULL;
		g_autoptr(JsonGenerator) gen = NULL;
		Delivery *d;
		gsize len = 0;
		gchar *text;

		if (!watches(w, repo, scope))
			continue;
		payload = json_object_new();
		event = json_object_new();
		webhook = json_object_new();
		json_object_set_string_member(event, "action", action);
		json_object_set_string_member(event, "scope", scope);
		json_object_set_object_member(payload, "event", event);
		json_object_set_object_member(payload, "repo", repo_json(ctx, repo, scope));
		if (extra != NULL) {
			GList *members = json_object_get_members(extra);

			for (GList *l = members; l != NULL; l = l->next)
				json_object_set_member(
					payload,
					l->data,
					json_node_copy(json_object_get_member(extra, l->data)));
			g_list_free(members);
		}
		json_object_set_string_member(webhook, "id", w->id);
		json_object_set_int_member(webhook, "version", 3);
		json_object_set_object_member(payload, "webhook", webhook);
		node = testhub_json_node_take_object(payload);
		gen = json_generator_new();
		json_generator_set_root(gen, node);
		text = json_generator_to_data(gen, &len);
		d = g_new0(Delivery, 1);
		d->hooks = hooks;
		d->webhook_id = g_strdup(w->id);
		d->url = g_strdup(w->url);
		d->secret = g_strdup(w->secret);
		d->scope = g_strdup(scope);
		d->action = g_strdup(action);
		d->repo = g_strdup(repo->id);
		d->payload = g_bytes_new_take(text, len);
		delivery_send(d);
	}
	if (extra != NULL)
		json_object_unref(extra);
}

JsonObject *
testhub_webhooks_updated_ref(JsonObject *extra,
			     const gchar *ref,
			     const gchar *old_sha,
			     const gchar *new_sha)
{
	JsonObject *o = extra != NULL ? extra : json_object_new();
	JsonArray *refs = json_array_new();
	JsonObject *r = json_object_new();

	json_object_set_string_member(r, "ref", ref);
	if (old_sha != NULL)
		json_object_set_string_member(r, "oldSha", old_sha);
	else
		json_object_set_null_member(r, "oldSha");
	if (new_sha != NULL)
		json_object_set_string_member(r, "newSha", new_sha);
	else
		json_object_set_null_member(r, "newSha");
	json_array_add_object_element(refs, r);
	json_object_set_array_member(o, "updatedRefs", refs);
	return o;
}
