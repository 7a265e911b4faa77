/* testhub-discussions-store.c: the community state of a repo on disk (access
 * requests, discussions), one small JSON file per repo, read and written whole.
 */
#include "testhub-community.h"
#include "testhub-store-private.h"

static gchar *
community_path(TesthubContext *ctx, TesthubRepo *repo)
{
	g_autofree gchar *file = g_strconcat(repo->name, ".json", NULL);

	return g_build_filename(testhub_store_get_root(ctx->store),
				"community",
				testhub_repo_type_to_plural(repo->type),
				repo->ns,
				file,
				NULL);
}

JsonObject *
testhub_community_load(TesthubContext *ctx, TesthubRepo *repo)
{
	g_autofree gchar *path = community_path(ctx, repo);
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GError) error = NULL;

	JsonObject *state;

	if (g_file_test(path, G_FILE_TEST_EXISTS)) {
		node = testhub_store_read_json(path, &error);
		if (node == NULL)
			g_warning("%s: %s", path, error->message);
		/* a repo deleted and created again starts with nothing */
		else if (JSON_NODE_HOLDS_OBJECT(node) &&
			 json_object_get_int_member_with_default(json_node_get_object(node),
								 "_repoCreatedAt",
								 -1) == repo->created_at)
			return json_object_ref(json_node_get_object(node));
	}
	state = json_object_new();
	json_object_set_int_member(state, "_repoCreatedAt", repo->created_at);
	return state;
}

gboolean
testhub_community_save(TesthubContext *ctx, TesthubRepo *repo, JsonObject *state, GError **error)
{
	g_autofree gchar *path = community_path(ctx, repo);
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", dir);
		return FALSE;
	}
	json_node_set_object(node, state);
	return testhub_store_write_json(path, node, error);
}

JsonArray *
testhub_community_array(JsonObject *state, const gchar *name)
{
	if (!json_object_has_member(state, name) ||
	    !JSON_NODE_HOLDS_ARRAY(json_object_get_member(state, name)))
		json_object_set_array_member(state, name, json_array_new());
	return json_object_get_array_member(state, name);
}

gchar *
testhub_community_next_id(JsonObject *state)
{
	gint64 n = json_object_get_int_member_with_default(state, "nextEventId", 1);

	json_object_set_int_member(state, "nextEventId", n + 1);
	/* shaped like the Hub's object ids: 24 hex digits */
	return g_strdup_printf("%024" G_GINT64_MODIFIER "x", n);
}

JsonObject *
testhub_community_public_copy(JsonObject *o)
{
	JsonObject *copy = json_object_new();
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *value;

	json_object_iter_init(&iter, o);
	while (json_object_iter_next(&iter, &name, &value)) {
		if (name[0] != '_')
			json_object_set_member(copy, name, json_node_copy(value));
	}
	return copy;
}

JsonObject *
testhub_community_author(TesthubContext *ctx, const gchar *name)
{
	const TesthubUser *u = testhub_users_by_name(ctx->users, name);
	JsonObject *o = json_object_new();
	g_autofree gchar *avatar = NULL;

	/* a user who is gone shows as "deleted", as on the Hub */
	json_object_set_string_member(o, "name", u != NULL ? u->name : "deleted");
	json_object_set_string_member(o, "fullname", u != NULL ? u->fullname : "deleted");
	json_object_set_string_member(o, "type", u != NULL && u->is_org ? "org" : "user");
	avatar = g_strdup_printf("/avatars/%s.svg", u != NULL ? u->id : "deleted");
	json_object_set_string_member(o, "avatarUrl", avatar);
	json_object_set_boolean_member(o, "isPro", FALSE);
	return o;
}
