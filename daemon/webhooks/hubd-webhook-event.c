/* hubd-webhook-event.c: the payload parser of webhook deliveries (fuzzed:
 * tests/fuzz/fuzz-webhook-event.c).
 *
 * What is required and how it is read is in docs/hub-webhooks.md §1: event
 * {scope, action}, repo {type, name, id} always; webhook {id, version 3};
 * repo.headSha (wire name, not the Python model's head_sha), updatedRefs and
 * discussion.num when present. Anything else is not the Hub's schema. */
#define G_LOG_DOMAIN "HubdWebhooks"

#include "hubd-webhook-event.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-error.h"
#include "hubd-json.h"

/* Nesting the Hub's payloads never reach; deeper input is refused before
 * json-glib builds it (its parser recurses). */
#define MAX_DEPTH 32

static const gchar *const actions[] = {"create", "delete", "update", "move", NULL};
static const gchar *const repo_types[] = {"model", "dataset", "space", NULL};

static void
hubd_webhook_ref_free(HubdWebhookRef *ref)
{
	g_free(ref->ref);
	g_free(ref->old_sha);
	g_free(ref->new_sha);
	g_free(ref);
}

void
hubd_webhook_event_free(HubdWebhookEvent *event)
{
	if (event == NULL)
		return;
	g_free(event->scope);
	g_free(event->action);
	g_free(event->repo_type);
	g_free(event->repo_name);
	g_free(event->repo_hub_id);
	g_free(event->head_sha);
	g_clear_pointer(&event->updated_refs, g_ptr_array_unref);
	g_free(event->webhook_id);
	g_free(event->payload);
	g_clear_pointer(&event->variant, g_variant_unref);
	g_free(event);
}

/* Brackets outside strings never nest deeper than MAX_DEPTH. */
static gboolean
depth_ok(const gchar *data, gsize len)
{
	gint depth = 0;
	gboolean in_string = FALSE;

	for (gsize i = 0; i < len; i++) {
		gchar c = data[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = FALSE;
		} else if (c == '"') {
			in_string = TRUE;
		} else if (c == '{' || c == '[') {
			if (++depth > MAX_DEPTH)
				return FALSE;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return TRUE;
}

/* A scope is dot-separated lowercase words whose first is repo or discussion. */
static gboolean
scope_ok(const gchar *scope)
{
	if (!g_str_has_prefix(scope, "repo") && !g_str_has_prefix(scope, "discussion"))
		return FALSE;
	for (const gchar *c = scope; *c != '\0'; c++)
		if (!g_ascii_islower(*c) && *c != '.' && *c != '_')
			return FALSE;
	return strlen(scope) <= 64 && !g_str_has_suffix(scope, ".") &&
	       strstr(scope, "..") == NULL &&
	       (g_str_equal(scope, "repo") || g_str_equal(scope, "discussion") ||
		g_str_has_prefix(scope, "repo.") || g_str_has_prefix(scope, "discussion."));
}

static gboolean
sha_ok(const gchar *sha)
{
	gsize n = strlen(sha);

	if (n != 40 && n != 64)
		return FALSE;
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isxdigit(sha[i]))
			return FALSE;
	return TRUE;
}

static gboolean
fail(GError **error, const gchar *what)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_BAD_REQUEST,
		    _("The delivery is not a Hub webhook payload: %s"),
		    what);
	return FALSE;
}

/* Reads `member` as a string with no control characters, length 1..max. */
static gchar *
dup_text(JsonObject *obj, const gchar *member, gsize max)
{
	const gchar *s = obj != NULL ? hubd_json_get_string(obj, member) : NULL;

	if (s == NULL || s[0] == '\0' || strlen(s) > max || !g_utf8_validate(s, -1, NULL))
		return NULL;
	for (const gchar *c = s; *c != '\0'; c++)
		if ((guchar)*c < 0x20 || *c == 0x7f)
			return NULL;
	return g_strdup(s);
}

/* A sha member that may be null (a created or deleted ref); FALSE when it
 * is there but not a sha. */
static gboolean
read_sha(JsonObject *obj, const gchar *member, gchar **out)
{
	JsonNode *node = json_object_get_member(obj, member);
	const gchar *s;

	*out = NULL;
	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	s = hubd_json_get_string(obj, member);
	if (s == NULL || !sha_ok(s))
		return FALSE;
	*out = g_ascii_strdown(s, -1);
	return TRUE;
}

static gboolean
read_refs(HubdWebhookEvent *event, JsonObject *root, GError **error)
{
	JsonArray *refs = hubd_json_get_array(root, "updatedRefs");

	event->updated_refs = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_webhook_ref_free);
	if (json_object_has_member(root, "updatedRefs") && refs == NULL)
		return fail(error, _("updatedRefs is not a list"));
	for (guint i = 0; refs != NULL && i < json_array_get_length(refs); i++) {
		JsonNode *node = json_array_get_element(refs, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
		HubdWebhookRef *ref;

		if (o == NULL || i >= 1000)
			return fail(error, _("an updated ref is not an object"));
		ref = g_new0(HubdWebhookRef, 1);
		g_ptr_array_add(event->updated_refs, ref);
		ref->ref = dup_text(o, "ref", 1024);
		if (ref->ref == NULL || !read_sha(o, "oldSha", &ref->old_sha) ||
		    !read_sha(o, "newSha", &ref->new_sha))
			return fail(error, _("an updated ref has no ref name or a bad sha"));
	}
	return TRUE;
}

static gboolean
read_event(HubdWebhookEvent *event, JsonObject *root, GError **error)
{
	JsonObject *ev = hubd_json_get_object(root, "event");
	JsonObject *repo = hubd_json_get_object(root, "repo");
	JsonObject *webhook = hubd_json_get_object(root, "webhook");
	JsonObject *discussion = hubd_json_get_object(root, "discussion");
	gint64 version = 0;

	if (webhook == NULL || !hubd_json_get_number(webhook, "version", &version) || version != 3)
		return fail(error, _("webhook.version is not 3"));
	event->webhook_id = dup_text(webhook, "id", 64);
	event->scope = dup_text(ev, "scope", 64);
	event->action = dup_text(ev, "action", 16);
	if (event->webhook_id == NULL || event->scope == NULL || event->action == NULL)
		return fail(error, _("no event scope, action or webhook id"));
	if (!scope_ok(event->scope) || !g_strv_contains(actions, event->action))
		return fail(error, _("unknown event scope or action"));
	event->repo_type = dup_text(repo, "type", 16);
	event->repo_name = dup_text(repo, "name", 256);
	event->repo_hub_id = dup_text(repo, "id", 64);
	if (event->repo_type == NULL || event->repo_name == NULL || event->repo_hub_id == NULL ||
	    !g_strv_contains(repo_types, event->repo_type))
		return fail(error, _("no repo type, name or id"));
	if (json_object_has_member(repo, "headSha") && !read_sha(repo, "headSha", &event->head_sha))
		return fail(error, _("repo.headSha is not a commit id"));
	event->discussion_num = -1;
	if (discussion != NULL &&
	    (!hubd_json_get_number(discussion, "num", &event->discussion_num) ||
	     event->discussion_num < 0))
		return fail(error, _("discussion.num is not a number"));
	if (json_object_has_member(root, "discussion") && discussion == NULL)
		return fail(error, _("discussion is not an object"));
	return read_refs(event, root, error);
}

/**
 * hubd_webhook_event_parse:
 * @data: the body
 * @len: its length
 * @error: %HUBD_ERROR_BAD_REQUEST when it is not a Hub payload
 *
 * Returns: (transfer full): the event
 */
HubdWebhookEvent *
hubd_webhook_event_parse(const gchar *data, gsize len, GError **error)
{
	g_autoptr(JsonParser) parser = NULL;
	HubdWebhookEvent *event;
	JsonNode *root;

	if (len == 0 || len > HUBD_WEBHOOK_MAX_BODY || !g_utf8_validate(data, (gssize)len, NULL) ||
	    memchr(data, '\0', len) != NULL) {
		fail(error, _("the body is empty, too big or not UTF-8 text"));
		return NULL;
	}
	if (!depth_ok(data, len)) {
		fail(error, _("the JSON is nested too deeply"));
		return NULL;
	}
	parser = json_parser_new_immutable();
	if (!json_parser_load_from_data(parser, data, (gssize)len, NULL)) {
		fail(error, _("the body is not JSON"));
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		fail(error, _("the body is not a JSON object"));
		return NULL;
	}
	event = g_new0(HubdWebhookEvent, 1);
	if (!read_event(event, json_node_get_object(root), error)) {
		hubd_webhook_event_free(event);
		return NULL;
	}
	event->payload = g_strndup(data, len);
	event->received_at = g_get_real_time();
	return event;
}

GVariant *
hubd_webhook_event_to_variant(const HubdWebhookEvent *event)
{
	GVariantBuilder b;
	GVariantBuilder refs;

	g_variant_builder_init(&refs, G_VARIANT_TYPE("a(sss)"));
	for (guint i = 0; i < event->updated_refs->len; i++) {
		HubdWebhookRef *ref = g_ptr_array_index(event->updated_refs, i);

		g_variant_builder_add(&refs,
				      "(sss)",
				      ref->ref,
				      ref->old_sha != NULL ? ref->old_sha : "",
				      ref->new_sha != NULL ? ref->new_sha : "");
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "scope", g_variant_new_string(event->scope));
	g_variant_builder_add(&b, "{sv}", "action", g_variant_new_string(event->action));
	g_variant_builder_add(&b, "{sv}", "repo_type", g_variant_new_string(event->repo_type));
	g_variant_builder_add(&b, "{sv}", "repo_name", g_variant_new_string(event->repo_name));
	g_variant_builder_add(&b, "{sv}", "repo_hub_id", g_variant_new_string(event->repo_hub_id));
	g_variant_builder_add(&b,
			      "{sv}",
			      "head_sha",
			      g_variant_new_string(event->head_sha != NULL ? event->head_sha : ""));
	g_variant_builder_add(&b, "{sv}", "updated_refs", g_variant_builder_end(&refs));
	g_variant_builder_add(&b,
			      "{sv}",
			      "discussion_num",
			      g_variant_new_int64(event->discussion_num));
	g_variant_builder_add(&b, "{sv}", "webhook_id", g_variant_new_string(event->webhook_id));
	g_variant_builder_add(&b, "{sv}", "received_at", g_variant_new_int64(event->received_at));
	g_variant_builder_add(&b, "{sv}", "payload", g_variant_new_string(event->payload));
	return g_variant_builder_end(&b);
}

GVariant *
hubd_webhook_event_get_variant(HubdWebhookEvent *event)
{
	if (event->variant == NULL)
		event->variant = g_variant_ref_sink(hubd_webhook_event_to_variant(event));
	return event->variant;
}

gboolean
hubd_webhook_event_touches_repo(const HubdWebhookEvent *event,
				const gchar *repo_type,
				const gchar *repo_name)
{
	if (g_strcmp0(event->repo_type, repo_type) != 0 ||
	    g_strcmp0(event->repo_name, repo_name) != 0)
		return FALSE;
	/* content changes, and a repo created again under the name */
	return g_str_has_prefix(event->scope, "repo.content") ||
	       (g_str_equal(event->scope, "repo") &&
		(g_str_equal(event->action, "create") || g_str_equal(event->action, "update")));
}
