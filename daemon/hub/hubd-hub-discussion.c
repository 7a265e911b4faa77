/* hubd-hub-discussion.c: the Hub's discussions, their events and gated
 * access requests as D-Bus values (a{sv}); every member is checked, a missing
 * or mistyped one is left out or fails the whole answer, never trusted.
 * Shapes: docs/hub-discussions.md, docs/hub-gated.md. */
#define G_LOG_DOMAIN "HubdHubApi"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-hub-api-community.h"
#include "hubd-json.h"

/* the Hub sends valid UTF-8; what is not is repaired, not refused */
static void
add_string(GVariantDict *d, const gchar *key, JsonObject *o, const gchar *member)
{
	g_autofree gchar *s = hubd_json_dup_string(o, member);

	if (s != NULL)
		g_variant_dict_insert(d, key, "s", s);
}

static void
add_boolean(GVariantDict *d, const gchar *key, JsonObject *o, const gchar *member)
{
	gboolean b = FALSE;

	if (hubd_json_get_boolean(o, member, &b))
		g_variant_dict_insert(d, key, "b", b);
}

/* author.name, "deleted" when the author is gone (as huggingface_hub) */
static void
add_author(GVariantDict *d, JsonObject *o)
{
	JsonObject *author = hubd_json_get_object(o, "author");
	g_autofree gchar *name = hubd_json_dup_string(author, "name");

	g_variant_dict_insert(d, "author", "s", name != NULL ? name : "deleted");
}

static gboolean
fail(GError **error, const gchar *what)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_SERVER,
		    _("The Hub sent a discussion %s without its required members"),
		    what);
	return FALSE;
}

/**
 * hubd_hub_discussion_event_to_variant:
 * @node: one element of a discussion's `events`
 * @error: return location for a %HUBD_ERROR_SERVER error
 *
 * Returns: (transfer full) (nullable): the event as a{sv} (see the header)
 *
 * Since: 0.1
 */
GVariant *
hubd_hub_discussion_event_to_variant(JsonNode *node, GError **error)
{
	JsonObject *o = hubd_json_expect_object(node, "discussion event", error);
	g_auto(GVariantDict) d = G_VARIANT_DICT_INIT(NULL);
	JsonObject *data;
	JsonObject *latest;
	const gchar *type;

	if (o == NULL)
		return NULL;
	type = hubd_json_get_string(o, "type");
	if (type == NULL || hubd_json_get_string(o, "id") == NULL ||
	    hubd_json_get_string(o, "createdAt") == NULL) {
		fail(error, "event");
		return NULL;
	}
	add_string(&d, "id", o, "id");
	add_string(&d, "type", o, "type");
	add_string(&d, "created_at", o, "createdAt");
	add_author(&d, o);
	data = hubd_json_get_object(o, "data");
	if (g_strcmp0(type, "comment") == 0) {
		latest = hubd_json_get_object(data, "latest");
		if (hubd_json_get_string(latest, "raw") == NULL) {
			fail(error, "comment");
			return NULL;
		}
		add_string(&d, "content", latest, "raw");
		g_variant_dict_insert(&d, "hidden", "b", FALSE);
		g_variant_dict_insert(&d, "edited", "b", FALSE);
		add_boolean(&d, "hidden", data, "hidden");
		add_boolean(&d, "edited", data, "edited");
	} else if (g_strcmp0(type, "status-change") == 0) {
		add_string(&d, "status", data, "status");
	} else if (g_strcmp0(type, "commit") == 0) {
		add_string(&d, "summary", data, "subject");
		add_string(&d, "oid", data, "oid");
	} else if (g_strcmp0(type, "title-change") == 0) {
		add_string(&d, "old_title", data, "from");
		add_string(&d, "new_title", data, "to");
	}
	return g_variant_ref_sink(g_variant_dict_end(&d));
}

static GVariant *
string_array(JsonArray *a)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);

		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING &&
		    g_utf8_validate(json_node_get_string(n), -1, NULL))
			g_variant_builder_add(&b, "s", json_node_get_string(n));
	}
	return g_variant_builder_end(&b);
}

/**
 * hubd_hub_discussion_to_variant:
 * @node: a listing's element or a discussion's details
 * @error: return location for a %HUBD_ERROR_SERVER error
 *
 * Returns: (transfer full) (nullable): the discussion as a{sv} (see the header)
 *
 * Since: 0.1
 */
GVariant *
hubd_hub_discussion_to_variant(JsonNode *node, GError **error)
{
	JsonObject *o = hubd_json_expect_object(node, "discussion", error);
	g_auto(GVariantDict) d = G_VARIANT_DICT_INIT(NULL);
	JsonObject *repo;
	JsonObject *changes;
	JsonArray *events;
	gint64 num = 0;

	if (o == NULL)
		return NULL;
	if (!hubd_json_get_number(o, "num", &num) || num <= 0 || num > G_MAXUINT32 ||
	    hubd_json_get_string(o, "title") == NULL || hubd_json_get_string(o, "status") == NULL) {
		fail(error, "");
		return NULL;
	}
	g_variant_dict_insert(&d, "num", "u", (guint32)num);
	add_string(&d, "title", o, "title");
	add_string(&d, "status", o, "status");
	add_string(&d, "created_at", o, "createdAt");
	add_author(&d, o);
	g_variant_dict_insert(&d, "is_pull_request", "b", FALSE);
	add_boolean(&d, "is_pull_request", o, "isPullRequest");
	repo = hubd_json_get_object(o, "repo");
	add_string(&d, "repo_id", repo, "name");
	add_string(&d, "repo_type", repo, "type");
	changes = hubd_json_get_object(o, "changes");
	add_string(&d, "target_branch", changes, "base");
	add_string(&d, "merge_commit_oid", changes, "mergeCommitId");
	add_string(&d, "diff", o, "diff");
	if (hubd_json_get_array(o, "filesWithConflicts") != NULL)
		g_variant_dict_insert_value(
			&d,
			"conflicting_files",
			string_array(hubd_json_get_array(o, "filesWithConflicts")));
	events = hubd_json_get_array(o, "events");
	if (events != NULL) {
		GVariantBuilder b;

		g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
		for (guint i = 0; i < json_array_get_length(events); i++) {
			g_autoptr(GVariant) e = hubd_hub_discussion_event_to_variant(
				json_array_get_element(events, i),
				error);

			if (e == NULL) {
				g_variant_builder_clear(&b);
				return NULL;
			}
			g_variant_builder_add_value(&b, e);
		}
		g_variant_dict_insert_value(&d, "events", g_variant_builder_end(&b));
	}
	return g_variant_ref_sink(g_variant_dict_end(&d));
}

/**
 * hubd_hub_access_request_to_variant:
 * @node: one element of an access-request list
 * @error: return location for a %HUBD_ERROR_SERVER error
 *
 * Returns: (transfer full) (nullable): the request as a{sv} (see the header)
 *
 * Since: 0.1
 */
GVariant *
hubd_hub_access_request_to_variant(JsonNode *node, GError **error)
{
	JsonObject *o = hubd_json_expect_object(node, "access request", error);
	g_auto(GVariantDict) d = G_VARIANT_DICT_INIT(NULL);
	g_auto(GVariantDict) fields = G_VARIANT_DICT_INIT(NULL);
	JsonObject *user;
	JsonObject *form;

	if (o == NULL)
		return NULL;
	user = hubd_json_get_object(o, "user");
	if (hubd_json_get_string(user, "user") == NULL) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The Hub sent an access request without its user"));
		return NULL;
	}
	add_string(&d, "user", user, "user");
	add_string(&d, "fullname", user, "fullname");
	add_string(&d, "email", user, "email");
	add_string(&d, "status", o, "status");
	add_string(&d, "timestamp", o, "timestamp");
	form = hubd_json_get_object(o, "fields");
	if (form != NULL) {
		JsonObjectIter iter;
		const gchar *name;
		JsonNode *value;

		/* the form's answers, each as text (a checkbox is "true") */
		json_object_iter_init(&iter, form);
		while (json_object_iter_next(&iter, &name, &value)) {
			g_autofree gchar *text = NULL;

			if (!g_utf8_validate(name, -1, NULL))
				continue;
			if (JSON_NODE_HOLDS_VALUE(value) &&
			    json_node_get_value_type(value) == G_TYPE_STRING)
				text = g_utf8_make_valid(json_node_get_string(value), -1);
			else
				text = json_to_string(value, FALSE);
			g_variant_dict_insert(&fields, name, "s", text);
		}
	}
	g_variant_dict_insert_value(&d, "fields", g_variant_dict_end(&fields));
	return g_variant_ref_sink(g_variant_dict_end(&d));
}
