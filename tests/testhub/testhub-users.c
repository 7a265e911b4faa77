/* testhub-users.c: users, orgs and tokens of the local Hub, from a JSON file
 * (format in README.md) or the built-in default identical to users.json.
 */
#include <string.h>

#include "testhub.h"

struct _TesthubUsers {
	GPtrArray *all;         /* TesthubUser* (owned), users and orgs */
	GHashTable *by_name;    /* name -> TesthubUser* */
	GHashTable *by_token;   /* token -> TesthubToken* */
	GHashTable *token_user; /* token -> TesthubUser* */
};

/* Keep in sync with users.json (the README documents both). */
static const gchar default_users_json[] =
	"{\n"
	"  \"users\": [\n"
	"    {\"name\": \"alice\", \"fullname\": \"Alice Example\", \"email\": "
	"\"alice@example.com\",\n"
	"     \"orgs\": [\"acme\"],\n"
	"     \"tokens\": [\n"
	"       {\"token\": \"hf_alice_write_0000000000000000000000\", \"displayName\": "
	"\"alice-write\",\n"
	"        \"role\": \"write\", \"createdAt\": \"2024-01-02T03:04:05.000Z\"},\n"
	"       {\"token\": \"hf_alice_read_00000000000000000000000\", \"displayName\": "
	"\"alice-read\",\n"
	"        \"role\": \"read\", \"createdAt\": \"2024-01-02T03:04:05.000Z\"}]},\n"
	"    {\"name\": \"bob\", \"fullname\": \"Bob Example\", \"email\": \"bob@example.com\",\n"
	"     \"orgs\": [],\n"
	"     \"tokens\": [\n"
	"       {\"token\": \"hf_bob_write_00000000000000000000000\", \"displayName\": "
	"\"bob-write\",\n"
	"        \"role\": \"write\", \"createdAt\": \"2024-02-03T04:05:06.000Z\"},\n"
	"       {\"token\": \"hf_bob_read_000000000000000000000000\", \"displayName\": "
	"\"bob-read\",\n"
	"        \"role\": \"read\", \"createdAt\": \"2024-02-03T04:05:06.000Z\"}]},\n"
	"    {\"name\": \"carol\", \"fullname\": \"Carol Example\", \"email\": "
	"\"carol@example.com\",\n"
	"     \"orgs\": [\"acme\"],\n"
	"     \"tokens\": [\n"
	"       {\"token\": \"hf_carol_read_00000000000000000000000\", \"displayName\": "
	"\"carol-read\",\n"
	"        \"role\": \"read\", \"createdAt\": \"2024-03-04T05:06:07.000Z\"}]}\n"
	"  ],\n"
	"  \"orgs\": [\n"
	"    {\"name\": \"acme\", \"fullname\": \"Acme Corp\", \"email\": null}\n"
	"  ]\n"
	"}\n";

static void
token_free(gpointer p)
{
	TesthubToken *t = p;

	g_free(t->token);
	g_free(t->display_name);
	g_free(t->role);
	g_free(t->created_at);
	g_free(t);
}

static void
user_free(gpointer p)
{
	TesthubUser *u = p;

	g_free(u->id);
	g_free(u->name);
	g_free(u->fullname);
	g_free(u->email);
	g_ptr_array_unref(u->orgs);
	g_ptr_array_unref(u->tokens);
	g_free(u);
}

void
testhub_users_free(TesthubUsers *users)
{
	if (users == NULL)
		return;
	g_hash_table_unref(users->by_name);
	g_hash_table_unref(users->by_token);
	g_hash_table_unref(users->token_user);
	g_ptr_array_unref(users->all);
	g_free(users);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TesthubUsers, testhub_users_free)

/* A stable 24-hex id (the Hub's ids are Mongo object ids) derived from the name. */
static gchar *
derived_id(const gchar *name)
{
	g_autofree gchar *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA1, name, -1);

	return g_strndup(sum, 24);
}

static const gchar *
str_member(JsonObject *o, const gchar *name)
{
	JsonNode *n = json_object_get_member(o, name);

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

static gboolean
add_entity(TesthubUsers *users, JsonObject *o, gboolean is_org, GError **error)
{
	TesthubUser *u;
	const gchar *name = str_member(o, "name");
	JsonArray *orgs = NULL;
	JsonArray *tokens = NULL;

	if (name == NULL || name[0] == '\0' || strchr(name, '/') != NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "user or org without a valid name");
		return FALSE;
	}
	if (g_hash_table_contains(users->by_name, name)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "duplicate name %s", name);
		return FALSE;
	}
	u = g_new0(TesthubUser, 1);
	u->name = g_strdup(name);
	u->id = str_member(o, "id") != NULL ? g_strdup(str_member(o, "id")) : derived_id(name);
	u->fullname =
		g_strdup(str_member(o, "fullname") != NULL ? str_member(o, "fullname") : name);
	u->email = g_strdup(str_member(o, "email"));
	u->is_org = is_org;
	u->orgs = g_ptr_array_new_with_free_func(g_free);
	u->tokens = g_ptr_array_new_with_free_func(token_free);
	g_ptr_array_add(users->all, u);
	g_hash_table_insert(users->by_name, u->name, u);

	if (json_object_has_member(o, "orgs"))
		orgs = json_object_get_array_member(o, "orgs");
	for (guint i = 0; orgs != NULL && i < json_array_get_length(orgs); i++) {
		const gchar *org = json_array_get_string_element(orgs, i);

		if (org != NULL)
			g_ptr_array_add(u->orgs, g_strdup(org));
	}
	if (json_object_has_member(o, "tokens"))
		tokens = json_object_get_array_member(o, "tokens");
	for (guint i = 0; tokens != NULL && i < json_array_get_length(tokens); i++) {
		JsonObject *to = json_array_get_object_element(tokens, i);
		const gchar *value = to != NULL ? str_member(to, "token") : NULL;
		const gchar *role = to != NULL ? str_member(to, "role") : NULL;
		TesthubToken *t;

		if (value == NULL || !g_str_has_prefix(value, "hf_") ||
		    (g_strcmp0(role, "read") != 0 && g_strcmp0(role, "write") != 0)) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    "%s: tokens need \"token\" (hf_...) and \"role\" (read|write)",
				    name);
			return FALSE;
		}
		if (g_hash_table_contains(users->by_token, value)) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    "duplicate token of %s",
				    name);
			return FALSE;
		}
		t = g_new0(TesthubToken, 1);
		t->token = g_strdup(value);
		t->role = g_strdup(role);
		t->display_name = g_strdup(str_member(to, "displayName") != NULL
						   ? str_member(to, "displayName")
						   : role);
		t->created_at =
			g_strdup(str_member(to, "createdAt") != NULL ? str_member(to, "createdAt")
								     : "2024-01-01T00:00:00.000Z");
		g_ptr_array_add(u->tokens, t);
		g_hash_table_insert(users->by_token, t->token, t);
		g_hash_table_insert(users->token_user, t->token, u);
	}
	return TRUE;
}

static gboolean
add_list(TesthubUsers *users,
	 JsonObject *root,
	 const gchar *member,
	 gboolean is_org,
	 GError **error)
{
	JsonArray *arr = NULL;

	if (json_object_has_member(root, member))
		arr = json_object_get_array_member(root, member);
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonObject *o = json_array_get_object_element(arr, i);

		if (o == NULL) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    "%s[%u] is not an object",
				    member,
				    i);
			return FALSE;
		}
		if (!add_entity(users, o, is_org, error))
			return FALSE;
	}
	return TRUE;
}

TesthubUsers *
testhub_users_load(const gchar *path, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(TesthubUsers) users = g_new0(TesthubUsers, 1);
	JsonNode *root;

	users->all = g_ptr_array_new_with_free_func(user_free);
	users->by_name = g_hash_table_new(g_str_hash, g_str_equal);
	users->by_token = g_hash_table_new(g_str_hash, g_str_equal);
	users->token_user = g_hash_table_new(g_str_hash, g_str_equal);
	if (path != NULL) {
		if (!json_parser_load_from_file(parser, path, error))
			return NULL;
	} else if (!json_parser_load_from_data(parser, default_users_json, -1, error)) {
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "users file: not a JSON object");
		return NULL;
	}
	if (!add_list(users, json_node_get_object(root), "orgs", TRUE, error) ||
	    !add_list(users, json_node_get_object(root), "users", FALSE, error))
		return NULL;
	return g_steal_pointer(&users);
}

const TesthubUser *
testhub_users_by_token(TesthubUsers *users, const gchar *token, const TesthubToken **token_out)
{
	const TesthubUser *u;

	if (token == NULL)
		return NULL;
	u = g_hash_table_lookup(users->token_user, token);
	if (u != NULL && token_out != NULL)
		*token_out = g_hash_table_lookup(users->by_token, token);
	return u;
}

const TesthubUser *
testhub_users_by_name(TesthubUsers *users, const gchar *name)
{
	if (name == NULL)
		return NULL;
	return g_hash_table_lookup(users->by_name, name);
}

gboolean
testhub_users_can_write_namespace(TesthubUsers *users, const TesthubUser *user, const gchar *ns)
{
	if (user == NULL || ns == NULL)
		return FALSE;
	if (g_strcmp0(user->name, ns) == 0)
		return TRUE;
	for (guint i = 0; user->orgs != NULL && i < user->orgs->len; i++) {
		if (g_strcmp0(g_ptr_array_index(user->orgs, i), ns) == 0)
			return testhub_users_by_name(users, ns) != NULL;
	}
	return FALSE;
}

/* Tokens issued at run time (testhub-oauth.c): they act like any other. */
const TesthubToken *
testhub_users_add_token(TesthubUsers *users,
			const gchar *user_name,
			const gchar *token,
			const gchar *display_name,
			const gchar *role)
{
	TesthubUser *u = g_hash_table_lookup(users->by_name, user_name);
	TesthubToken *t;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();

	if (u == NULL || u->is_org || g_hash_table_contains(users->by_token, token))
		return NULL;
	t = g_new0(TesthubToken, 1);
	t->token = g_strdup(token);
	t->display_name = g_strdup(display_name);
	t->role = g_strdup(role);
	t->created_at = g_date_time_format_iso8601(now);
	g_ptr_array_add(u->tokens, t);
	g_hash_table_insert(users->by_token, t->token, t);
	g_hash_table_insert(users->token_user, t->token, u);
	return t;
}

void
testhub_users_remove_token(TesthubUsers *users, const gchar *token)
{
	TesthubUser *u = g_hash_table_lookup(users->token_user, token);
	TesthubToken *t = g_hash_table_lookup(users->by_token, token);

	if (u == NULL || t == NULL)
		return;
	g_hash_table_remove(users->by_token, token);
	g_hash_table_remove(users->token_user, token);
	g_ptr_array_remove(u->tokens, t);
}
