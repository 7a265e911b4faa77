/* hubd-repos-json.c: the Hub's repo JSON (info, listings, tree, refs,
 * commits) -> the a{sv} dictionaries of org.hubd.Hub1.Repos */
#define G_LOG_DOMAIN "HubdRepos"

#include "hubd-repos-json.h"

#include "hubd-json.h"

/* Everything here comes from the network: missing or mistyped members are
 * skipped, never trusted, and strings are made valid UTF-8 for GVariant. */

static GVariant *
variant_string(const gchar *s)
{
	if (g_utf8_validate(s, -1, NULL))
		return g_variant_new_string(s);
	return g_variant_new_take_string(g_utf8_make_valid(s, -1));
}

static void
add_str(GVariantBuilder *b, const gchar *key, const gchar *value)
{
	if (value != NULL)
		g_variant_builder_add(b, "{sv}", key, variant_string(value));
}

static void
add_str_member(GVariantBuilder *b, const gchar *key, JsonObject *obj, const gchar *member)
{
	add_str(b, key, hubd_json_get_string(obj, member));
}

static void
add_uint_member(GVariantBuilder *b, const gchar *key, JsonObject *obj, const gchar *member)
{
	gint64 n = 0;

	if (hubd_json_get_number(obj, member, &n))
		g_variant_builder_add(b, "{sv}", key, g_variant_new_uint64((guint64)MAX(n, 0)));
}

static void
add_bool_member(GVariantBuilder *b, const gchar *key, JsonObject *obj, const gchar *member)
{
	gboolean v = FALSE;

	if (hubd_json_get_boolean(obj, member, &v))
		g_variant_builder_add(b, "{sv}", key, g_variant_new_boolean(v));
}

/* the string elements of an array member, as "as" */
static GVariant *
strings_variant(JsonArray *a)
{
	GVariantBuilder sb;

	g_variant_builder_init(&sb, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonNode *e = json_array_get_element(a, i);

		if (JSON_NODE_HOLDS_VALUE(e) && json_node_get_value_type(e) == G_TYPE_STRING)
			g_variant_builder_add_value(&sb, variant_string(json_node_get_string(e)));
	}
	return g_variant_builder_end(&sb);
}

/* "gated" is false, "auto" or "manual" on the wire; always a string here */
static const gchar *
gated_string(JsonObject *obj)
{
	const gchar *s = hubd_json_get_string(obj, "gated");

	if (g_strcmp0(s, "auto") == 0 || g_strcmp0(s, "manual") == 0)
		return s;
	return "false";
}

/* The fields a listing and Info share, where the Hub gives them. */
static void
add_repo_fields(GVariantBuilder *b, JsonObject *obj)
{
	add_str_member(b, "id", obj, "id");
	add_str_member(b, "author", obj, "author");
	add_bool_member(b, "private", obj, "private");
	if (json_object_has_member(obj, "gated"))
		add_str(b, "gated", gated_string(obj));
	add_uint_member(b, "downloads", obj, "downloads");
	add_uint_member(b, "likes", obj, "likes");
	add_str_member(b, "last_modified", obj, "lastModified");
	if (hubd_json_get_array(obj, "tags") != NULL)
		g_variant_builder_add(b,
				      "{sv}",
				      "tags",
				      strings_variant(hubd_json_get_array(obj, "tags")));
	add_str_member(b, "pipeline_tag", obj, "pipeline_tag");
	add_str_member(b, "library_name", obj, "library_name");
}

GVariant *
hubd_repos_json_list_item(JsonObject *obj)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	add_repo_fields(&b, obj);
	return g_variant_builder_end(&b);
}

/* cardData.license (a string or a list), else the first "license:" tag */
static const gchar *
license_of(JsonObject *obj)
{
	JsonObject *card = hubd_json_get_object(obj, "cardData");
	JsonArray *tags = hubd_json_get_array(obj, "tags");
	JsonArray *list;

	if (hubd_json_get_string(card, "license") != NULL)
		return hubd_json_get_string(card, "license");
	list = hubd_json_get_array(card, "license");
	if (list != NULL && json_array_get_length(list) > 0) {
		JsonNode *e = json_array_get_element(list, 0);
		if (JSON_NODE_HOLDS_VALUE(e) && json_node_get_value_type(e) == G_TYPE_STRING)
			return json_node_get_string(e);
	}
	for (guint i = 0; tags != NULL && i < json_array_get_length(tags); i++) {
		JsonNode *e = json_array_get_element(tags, i);
		const gchar *t =
			JSON_NODE_HOLDS_VALUE(e) && json_node_get_value_type(e) == G_TYPE_STRING
				? json_node_get_string(e)
				: NULL;
		if (t != NULL && g_str_has_prefix(t, "license:"))
			return t + strlen("license:");
	}
	return NULL;
}

static GVariant *
siblings_variant(JsonArray *a)
{
	GVariantBuilder sb;

	g_variant_builder_init(&sb, G_VARIANT_TYPE("a(sx)"));
	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonNode *e = json_array_get_element(a, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT(e) ? json_node_get_object(e) : NULL;
		const gchar *name = hubd_json_get_string(o, "rfilename");
		gint64 size = -1;

		if (name == NULL)
			continue;
		/* with blobs=true; an LFS file's size is its object's */
		if (!hubd_json_get_number(hubd_json_get_object(o, "lfs"), "size", &size) &&
		    !hubd_json_get_number(o, "size", &size))
			size = -1;
		g_variant_builder_add(&sb, "(@sx)", variant_string(name), size < 0 ? -1 : size);
	}
	return g_variant_builder_end(&sb);
}

GVariant *
hubd_repos_json_info(JsonNode *node)
{
	JsonObject *obj = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
	g_autofree gchar *json = json_to_string(node, FALSE);
	gboolean b_private = FALSE;
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	add_repo_fields(&b, obj);
	/* Info always says whether the repo is private or gated */
	if (!hubd_json_get_boolean(obj, "private", &b_private))
		g_variant_builder_add(&b, "{sv}", "private", g_variant_new_boolean(FALSE));
	if (!json_object_has_member(obj, "gated"))
		add_str(&b, "gated", "false");
	add_str_member(&b, "sha", obj, "sha");
	add_bool_member(&b, "disabled", obj, "disabled");
	add_str(&b, "license", license_of(obj));
	add_str_member(&b, "sdk", obj, "sdk");
	g_variant_builder_add(&b,
			      "{sv}",
			      "siblings",
			      siblings_variant(hubd_json_get_array(obj, "siblings")));
	g_variant_builder_add(&b, "{sv}", "json", variant_string(json));
	return g_variant_builder_end(&b);
}

GVariant *
hubd_repos_json_tree_entry(JsonObject *obj)
{
	JsonObject *lfs = hubd_json_get_object(obj, "lfs");
	const gchar *type = hubd_json_get_string(obj, "type");
	gint64 size = 0;
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	add_str(&b, "path", hubd_json_get_string(obj, "path") ?: "");
	add_str(&b, "type", type != NULL ? type : "unknown");
	if (!hubd_json_get_number(obj, "size", &size))
		size = 0;
	g_variant_builder_add(&b, "{sv}", "size", g_variant_new_uint64((guint64)MAX(size, 0)));
	add_str_member(&b, "oid", obj, "oid");
	/* the tree calls the LFS sha256 "oid" (siblings call it "sha256") */
	if (lfs != NULL) {
		add_str(&b,
			"lfs_sha256",
			hubd_json_get_string(lfs, "oid") ?: hubd_json_get_string(lfs, "sha256"));
		add_uint_member(&b, "lfs_size", lfs, "size");
	}
	return g_variant_builder_end(&b);
}

GVariant *
hubd_repos_json_commit(JsonObject *obj)
{
	JsonArray *authors = hubd_json_get_array(obj, "authors");
	GVariantBuilder ab;
	GVariantBuilder b;

	g_variant_builder_init(&ab, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; authors != NULL && i < json_array_get_length(authors); i++) {
		JsonNode *e = json_array_get_element(authors, i);
		const gchar *user = JSON_NODE_HOLDS_OBJECT(e)
					    ? hubd_json_get_string(json_node_get_object(e), "user")
					    : NULL;

		if (user != NULL)
			g_variant_builder_add_value(&ab, variant_string(user));
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	add_str(&b, "id", hubd_json_get_string(obj, "id") ?: "");
	add_str(&b, "title", hubd_json_get_string(obj, "title") ?: "");
	add_str(&b, "message", hubd_json_get_string(obj, "message") ?: "");
	add_str(&b, "date", hubd_json_get_string(obj, "date") ?: "");
	g_variant_builder_add(&b, "{sv}", "authors", g_variant_builder_end(&ab));
	return g_variant_builder_end(&b);
}

static GVariant *
refs_variant(JsonArray *a)
{
	GVariantBuilder rb;

	g_variant_builder_init(&rb, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonNode *e = json_array_get_element(a, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT(e) ? json_node_get_object(e) : NULL;

		if (o == NULL || hubd_json_get_string(o, "name") == NULL)
			continue;
		g_variant_builder_open(&rb, G_VARIANT_TYPE_VARDICT);
		add_str(&rb, "name", hubd_json_get_string(o, "name"));
		add_str(&rb, "ref", hubd_json_get_string(o, "ref") ?: "");
		add_str(&rb, "target_commit", hubd_json_get_string(o, "targetCommit") ?: "");
		g_variant_builder_close(&rb);
	}
	return g_variant_builder_end(&rb);
}

GVariant *
hubd_repos_json_refs(JsonNode *node, gboolean include_prs)
{
	JsonObject *obj = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b,
			      "{sv}",
			      "branches",
			      refs_variant(hubd_json_get_array(obj, "branches")));
	g_variant_builder_add(&b, "{sv}", "tags", refs_variant(hubd_json_get_array(obj, "tags")));
	if (include_prs)
		g_variant_builder_add(&b,
				      "{sv}",
				      "pull_requests",
				      refs_variant(hubd_json_get_array(obj, "pullRequests")));
	return g_variant_builder_end(&b);
}
