/* hubd-cards-push.c: UpdateCardMetadata and PushCard — read the card (for an
 * edit), the publishing policy (and the repo's gated setting when the card
 * asks for a gate), then one commit of README.md (or a pull request) */
#define G_LOG_DOMAIN "HubdCards"

#include "hubd-cards-push.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-card-edit.h"
#include "hubd-card.h"
#include "hubd-cards-variant.h"
#include "hubd-commit.h"
#include "hubd-context.h"
#include "hubd-error.h"
#include "hubd-hub-api-cards.h"
#include "hubd-policy.h"

typedef struct {
	HubdCardsService *self;
	GDBusMethodInvocation *invocation;
	HubdDbusCards *skeleton;
	HubdHubApi *api;
	HubdRepoType type;
	gchar *repo_id;
	gchar *revision;
	gboolean create_pr;
	gboolean no_policy;
	gboolean update; /* UpdateCardMetadata */
	gchar *message;
	gchar *description;
	gchar *parent_commit;
	JsonObject *changes; /* UpdateCardMetadata */
	GBytes *text;        /* the README.md to commit */
} Push;

static void
push_free(Push *push)
{
	hubd_cards_service_release(push->self);
	g_object_unref(push->self);
	g_object_unref(push->invocation);
	g_object_unref(push->skeleton);
	g_object_unref(push->api);
	g_free(push->repo_id);
	g_free(push->revision);
	g_free(push->message);
	g_free(push->description);
	g_free(push->parent_commit);
	g_clear_pointer(&push->changes, json_object_unref);
	g_clear_pointer(&push->text, g_bytes_unref);
	g_free(push);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Push, push_free)

static const HubdServiceOption push_options[] = {
	{"revision", "s"},
	{"create_pr", "b"},
	{"commit_message", "s"},
	{"commit_description", "s"},
	{"no_policy", "b"},
	{"parent_commit", "s"},
	{"remove", "as"},
	{"parse_values", "b"},
	{NULL, NULL},
};

static Push *
push_new(gpointer service,
	 HubdDbusCards *skeleton,
	 GDBusMethodInvocation *invocation,
	 const gchar *repo_type,
	 const gchar *repo_id,
	 GVariant *options,
	 gboolean update,
	 GError **error)
{
	/* PushCard takes all but the last two, UpdateCardMetadata all but parent_commit */
	HubdServiceOption allowed[G_N_ELEMENTS(push_options)];
	g_autoptr(Push) push = NULL;
	HubdRepoType type;
	const gchar *s = NULL;
	guint n = 0;

	for (guint i = 0; push_options[i].key != NULL; i++) {
		gboolean edit_only = g_strcmp0(push_options[i].key, "remove") == 0 ||
				     g_strcmp0(push_options[i].key, "parse_values") == 0;
		if ((edit_only && !update) ||
		    (update && g_strcmp0(push_options[i].key, "parent_commit") == 0))
			continue;
		allowed[n++] = push_options[i];
	}
	allowed[n].key = NULL;
	allowed[n].type = NULL;
	if (!hubd_repo_type_from_string(repo_type, &type, error) ||
	    !hubd_repo_id_validate(repo_id, TRUE, error) ||
	    !hubd_service_check_hub_options(options, allowed, error))
		return NULL;
	push = g_new0(Push, 1);
	push->self = g_object_ref(HUBD_CARDS_SERVICE(service));
	hubd_cards_service_hold(push->self);
	push->skeleton = g_object_ref(skeleton);
	push->invocation = g_object_ref(invocation);
	push->api = hubd_hub_api_new_for_call(
		hubd_context_get_hub_api(hubd_service_get_context(HUBD_SERVICE(service))),
		options);
	push->type = type;
	push->repo_id = g_strdup(repo_id);
	push->update = update;
	if (g_variant_lookup(options, "revision", "&s", &s) && s[0] != '\0') {
		if (!hubd_revision_validate(s, error))
			return NULL;
		push->revision = g_strdup(s);
	} else {
		push->revision = g_strdup("main");
	}
	if (g_variant_lookup(options, "commit_message", "&s", &s) && s[0] != '\0')
		push->message = g_strdup(s);
	else
		push->message = g_strdup(update ? "Update README.md metadata with hubd"
						: "Update README.md with hubd");
	if (g_variant_lookup(options, "commit_description", "&s", &s))
		push->description = g_strdup(s);
	if (g_variant_lookup(options, "parent_commit", "&s", &s) && s[0] != '\0') {
		gsize hex = strlen(s);

		/* as Upload's: a (short) commit id, nothing that could reach a URL */
		if (hex < 5 || hex > 40 || strspn(s, "0123456789abcdefABCDEF") != hex) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("parent_commit must be a commit id of 5 to 40 hexadecimal "
				      "characters, not “%s”"),
				    s);
			return NULL;
		}
		push->parent_commit = g_ascii_strdown(s, -1);
	}
	g_variant_lookup(options, "create_pr", "b", &push->create_pr);
	g_variant_lookup(options, "no_policy", "b", &push->no_policy);
	return g_steal_pointer(&push);
}

static void
push_fail(Push *push, GError *error)
{
	hubd_service_return_error(push->invocation, error);
	push_free(push);
}

/* ---- the commit ---- */

static void
push_committed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Push) push = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubCommitInfo) info = hubd_commit_send_finish(res, &error);
	GVariantBuilder b;

	if (info == NULL) {
		hubd_service_return_error(push->invocation, error);
		return;
	}
	g_message("%s the card of %s %s",
		  push->create_pr ? "opened a pull request for" : "committed",
		  hubd_repo_type_to_string(push->type),
		  push->repo_id);
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "commit_oid", g_variant_new_string(info->commit_oid));
	if (info->commit_url != NULL)
		g_variant_builder_add(&b,
				      "{sv}",
				      "commit_url",
				      g_variant_new_string(info->commit_url));
	if (info->pr_url != NULL)
		g_variant_builder_add(&b, "{sv}", "pr_url", g_variant_new_string(info->pr_url));
	if (push->update)
		hubd_dbus_cards_complete_update_card_metadata(push->skeleton,
							      push->invocation,
							      g_variant_builder_end(&b));
	else
		hubd_dbus_cards_complete_push_card(push->skeleton,
						   push->invocation,
						   g_variant_builder_end(&b));
}

static void
push_commit(Push *push)
{
	g_autofree gchar *description =
		hubd_policy_commit_description(push->description, push->no_policy);
	g_autoptr(HubdCommitPayload) payload = NULL;

	payload = hubd_commit_payload_new(push->message, description, push->parent_commit);
	hubd_commit_payload_add_file_bytes(payload, "README.md", push->text);
	hubd_commit_send_async(push->api,
			       push->type,
			       push->repo_id,
			       push->revision,
			       push->create_pr,
			       payload,
			       NULL,
			       NULL,
			       push_committed_cb,
			       push);
}

/* ---- the policy ---- */

static void
push_repo_info_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Push *push = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubRepoInfo) info =
		hubd_hub_api_repo_info_finish(HUBD_HUB_API(source), res, &error);
	gsize len = 0;
	const gchar *text = g_bytes_get_data(push->text, &len);

	if (info == NULL) {
		push_fail(push, error);
		return;
	}
	if (!hubd_policy_check_access(push->type,
				      push->repo_id,
				      text != NULL ? text : "",
				      len,
				      info->gated,
				      info->has_private && info->private_,
				      &error)) {
		push_fail(push, error);
		return;
	}
	push_commit(push);
}

static void
push_check_and_commit(Push *push)
{
	GError *error = NULL;
	gsize len = 0;
	const gchar *text = g_bytes_get_data(push->text, &len);

	if (text == NULL)
		text = "";
	if (push->no_policy) {
		push_commit(push);
		return;
	}
	if (!hubd_policy_check_card(push->type, text, len, &error)) {
		push_fail(push, error);
		return;
	}
	if (!hubd_policy_card_asks_for_gating(text, len)) {
		push_commit(push);
		return;
	}
	hubd_hub_api_repo_info_async(push->api,
				     push->type,
				     push->repo_id,
				     NULL,
				     HUBD_HUB_API_FLAG_NONE,
				     NULL,
				     push_repo_info_cb,
				     push);
}

/* ---- PushCard ---- */

gboolean
hubd_cards_handle_push_card(HubdDbusCards *skeleton,
			    GDBusMethodInvocation *invocation,
			    const gchar *repo_type,
			    const gchar *repo_id,
			    const gchar *text,
			    GVariant *options,
			    gpointer service)
{
	GError *error = NULL;
	Push *push =
		push_new(service, skeleton, invocation, repo_type, repo_id, options, FALSE, &error);

	if (push == NULL) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	push->text = g_bytes_new(text, strlen(text));
	push_check_and_commit(push);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- UpdateCardMetadata ---- */

/* "VALUE" read as YAML, as if written "key: VALUE" in the front matter */
static JsonNode *
parse_yaml_value(const gchar *key, const gchar *value, GError **error)
{
	g_autofree gchar *doc = g_strdup_printf("---\nvalue: %s\n---\n", value);
	g_autoptr(JsonNode) root = NULL;
	JsonNode *node;

	if (strpbrk(value, "\r\n") != NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The value of “%s” must be one line of YAML"),
			    key);
		return NULL;
	}
	root = hubd_card_parse_front_matter(doc, strlen(doc), error);
	if (root == NULL) {
		g_prefix_error(error, _("The value of “%s”: "), key);
		return NULL;
	}
	node = json_object_get_member(json_node_get_object(root), "value");
	return node != NULL ? json_node_copy(node) : json_node_new(JSON_NODE_NULL);
}

static JsonObject *
read_changes(GVariant *changes, GVariant *options, GError **error)
{
	g_autoptr(JsonObject) out = NULL;
	const gchar **remove = NULL;
	gboolean parse = FALSE;

	g_variant_lookup(options, "parse_values", "b", &parse);
	if (!parse) {
		out = hubd_cards_variant_to_json(changes, error);
		if (out == NULL)
			return NULL;
	} else {
		GVariantIter iter;
		const gchar *key;
		GVariant *value;

		out = json_object_new();
		g_variant_iter_init(&iter, changes);
		while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
			g_autoptr(GVariant) owned = value;
			JsonNode *node;

			if (!g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
				g_set_error(error,
					    HUBD_ERROR,
					    HUBD_ERROR_INVALID_ARGUMENT,
					    _("With “parse_values”, the value of “%s” must be a "
					      "string"),
					    key);
				return NULL;
			}
			node = parse_yaml_value(key, g_variant_get_string(value, NULL), error);
			if (node == NULL)
				return NULL;
			json_object_set_member(out, key, node);
		}
	}
	/* freed by hand: gcc 12's analyzer loses an autofree's NULL here */
	if (g_variant_lookup(options, "remove", "^a&s", &remove)) {
		for (guint i = 0; remove[i] != NULL; i++)
			json_object_set_null_member(out, remove[i]);
		g_free(remove);
	}
	if (json_object_get_size(out) == 0) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Nothing to change: give at least one key"));
		return NULL;
	}
	return g_steal_pointer(&out);
}

static void
update_got_card_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Push *push = user_data;
	GError *error = NULL;
	g_autoptr(GBytes) old = hubd_hub_api_get_card_finish(HUBD_HUB_API(source), res, &error);
	gsize len = 0;
	const gchar *data;

	if (old == NULL && !g_error_matches(error, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND)) {
		push_fail(push, error);
		return;
	}
	/* no README.md yet: the edit makes one with just the front matter */
	g_clear_error(&error);
	data = old != NULL ? g_bytes_get_data(old, &len) : NULL;
	push->text = hubd_card_edit_metadata(data != NULL ? data : "", len, push->changes, &error);
	if (push->text == NULL) {
		g_prefix_error(&error, _("Cannot edit the card of %s: "), push->repo_id);
		push_fail(push, error);
		return;
	}
	push_check_and_commit(push);
}

gboolean
hubd_cards_handle_update_metadata(HubdDbusCards *skeleton,
				  GDBusMethodInvocation *invocation,
				  const gchar *repo_type,
				  const gchar *repo_id,
				  GVariant *changes,
				  GVariant *options,
				  gpointer service)
{
	GError *error = NULL;
	g_autoptr(JsonObject) edits = NULL;
	Push *push =
		push_new(service, skeleton, invocation, repo_type, repo_id, options, TRUE, &error);

	if (push == NULL) {
		hubd_service_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	edits = read_changes(changes, options, &error);
	if (edits == NULL) {
		push_fail(push, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	push->changes = g_steal_pointer(&edits);
	hubd_hub_api_get_card_async(push->api,
				    push->type,
				    push->repo_id,
				    push->revision,
				    NULL,
				    update_got_card_cb,
				    push);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}
