/* hubd-cards-service.c: org.hubd.Hub1.Cards — GetCard, RenderCard and
 * ValidateCard (the writes are in hubd-cards-push.c)
 *
 * Cards are their own interface rather than part of Repos: most of it works
 * on text alone, and an app that only writes cards needs only this. */
#define G_LOG_DOMAIN "HubdCards"

#include "hubd-cards-service.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-card-layout.h"
#include "hubd-card-render.h"
#include "hubd-card-validate.h"
#include "hubd-card.h"
#include "hubd-cards-push.h"
#include "hubd-cards-variant.h"
#include "hubd-context.h"
#include "hubd-dbus-generated.h"
#include "hubd-error.h"
#include "hubd-hub-api-cards.h"

struct _HubdCardsService {
	HubdService parent_instance;
	guint busy; /* calls in flight */
};

G_DEFINE_TYPE_WITH_CODE(HubdCardsService,
			hubd_cards_service,
			HUBD_TYPE_SERVICE,
			hubd_service_register_extension_point();
			g_io_extension_point_implement(HUBD_SERVICE_EXTENSION_POINT,
						       g_define_type_id,
						       "cards",
						       700))

void
hubd_cards_service_hold(HubdCardsService *self)
{
	g_return_if_fail(HUBD_IS_CARDS_SERVICE(self));
	self->busy++;
	hubd_context_hold(hubd_service_get_context(HUBD_SERVICE(self)));
}

void
hubd_cards_service_release(HubdCardsService *self)
{
	g_return_if_fail(HUBD_IS_CARDS_SERVICE(self));
	g_return_if_fail(self->busy > 0);
	hubd_context_release(hubd_service_get_context(HUBD_SERVICE(self)));
	self->busy--;
}

static gboolean
refuse(GDBusMethodInvocation *invocation, GError *error)
{
	hubd_service_return_error(invocation, error);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* a read in flight */
typedef struct {
	HubdCardsService *self;
	GDBusMethodInvocation *invocation;
	HubdDbusCards *skeleton;
	HubdRepoType type;
	gchar *text; /* ValidateCard */
	GPtrArray *problems;
	gboolean allow_invalid; /* GetCard */
} Read;

static Read *
read_new(gpointer service, HubdDbusCards *skeleton, GDBusMethodInvocation *invocation)
{
	Read *r = g_new0(Read, 1);

	r->self = g_object_ref(HUBD_CARDS_SERVICE(service));
	r->skeleton = g_object_ref(skeleton);
	r->invocation = g_object_ref(invocation);
	hubd_cards_service_hold(r->self);
	return r;
}

static void
read_free(Read *r)
{
	hubd_cards_service_release(r->self);
	g_object_unref(r->self);
	g_object_unref(r->skeleton);
	g_object_unref(r->invocation);
	g_free(r->text);
	g_clear_pointer(&r->problems, g_ptr_array_unref);
	g_free(r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Read, read_free)

/* ---- GetCard ---- */

static void
hubd_cards_got_card_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Read) r = user_data;
	GError *error = NULL;
	g_autoptr(GBytes) bytes = hubd_hub_api_get_card_finish(HUBD_HUB_API(source), res, &error);
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonObject) empty = json_object_new();
	g_autofree gchar *text = NULL;
	g_autofree gchar *json = NULL;
	JsonObject *object;
	gsize len = 0;
	const gchar *data;

	if (bytes == NULL) {
		hubd_service_return_error(r->invocation, error);
		return;
	}
	data = g_bytes_get_data(bytes, &len);
	if (!g_utf8_validate_len(data != NULL ? data : "", len, NULL)) {
		hubd_service_return_error(
			r->invocation,
			g_error_new_literal(HUBD_ERROR,
					    HUBD_ERROR_INVALID_ARGUMENT,
					    _("The repo's README.md is not UTF-8 text")));
		return;
	}
	text = g_strndup(data, len);
	root = hubd_card_parse_front_matter(text, len, &error);
	if (error != NULL && !r->allow_invalid) {
		hubd_service_return_error(r->invocation, error);
		return;
	}
	g_clear_error(&error);
	object = root != NULL ? json_node_get_object(root) : empty;
	{
		g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);

		json_node_set_object(node, object);
		json = json_to_string(node, FALSE);
	}
	hubd_dbus_cards_complete_get_card(r->skeleton,
					  r->invocation,
					  hubd_cards_variant_from_json(object),
					  json,
					  text);
}

static gboolean
hubd_cards_handle_get_card(HubdDbusCards *skeleton,
			   GDBusMethodInvocation *invocation,
			   const gchar *repo_type,
			   const gchar *repo_id,
			   const gchar *revision,
			   GVariant *options,
			   gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"allow_invalid", "b"}, {NULL, NULL}};
	HubdService *service = user_data;
	g_autoptr(HubdHubApi) api = NULL;
	GError *error = NULL;
	HubdRepoType type;
	Read *r;

	if (!hubd_repo_type_from_string(repo_type, &type, &error) ||
	    !hubd_repo_id_validate(repo_id, FALSE, &error) ||
	    (revision[0] != '\0' && !hubd_revision_validate(revision, &error)) ||
	    !hubd_service_check_hub_options(options, allowed, &error))
		return refuse(invocation, error);
	api = hubd_hub_api_new_for_call(hubd_context_get_hub_api(hubd_service_get_context(service)),
					options);
	r = read_new(service, skeleton, invocation);
	g_variant_lookup(options, "allow_invalid", "b", &r->allow_invalid);
	hubd_hub_api_get_card_async(api, type, repo_id, revision, NULL, hubd_cards_got_card_cb, r);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- RenderCard ---- */

static gboolean
hubd_cards_handle_render_card(HubdDbusCards *skeleton,
			      GDBusMethodInvocation *invocation,
			      const gchar *repo_type,
			      GVariant *metadata,
			      GVariant *sections,
			      GVariant *options,
			      gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"title", "s"}, {NULL, NULL}};
	g_autoptr(GHashTable) table = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(JsonObject) meta = NULL;
	g_autofree gchar *text = NULL;
	GError *error = NULL;
	HubdRepoType type;
	GVariantIter iter;
	const gchar *name;
	const gchar *section;
	const gchar *title = NULL;

	if (!hubd_repo_type_from_string(repo_type, &type, &error) ||
	    !hubd_service_check_options(options, allowed, &error))
		return refuse(invocation, error);
	meta = hubd_cards_variant_to_json(metadata, &error);
	if (meta == NULL)
		return refuse(invocation, error);
	g_variant_iter_init(&iter, sections);
	while (g_variant_iter_next(&iter, "{&s&s}", &name, &section))
		g_hash_table_insert(table, (gpointer)name, (gpointer)section);
	if (!g_variant_lookup(options, "title", "&s", &title) || title[0] == '\0') {
		title = json_object_get_string_member_with_default(
			meta,
			type == HUBD_REPO_TYPE_DATASET ? "pretty_name" : "model_name",
			type == HUBD_REPO_TYPE_DATASET ? "Dataset Name" : "Model ID");
	}
	text = hubd_card_render(type, meta, table, title, &error);
	if (text == NULL)
		return refuse(invocation, error);
	hubd_dbus_cards_complete_render_card(skeleton, invocation, text);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- ValidateCard ---- */

/* the Hub's messages quote the key they are about: "license" must be … */
static guint
hub_message_line(HubdCardLayout *layout, const gchar *message)
{
	const gchar *open = strchr(message, '"');
	const gchar *close = open != NULL ? strchr(open + 1, '"') : NULL;
	g_autofree gchar *key = NULL;

	if (close == NULL)
		return hubd_card_layout_get_line(layout, "");
	key = g_strndup(open + 1, (gsize)(close - open - 1));
	g_strdelimit(key, ".", '/');
	return hubd_card_layout_get_line(layout, key);
}

static void
add_hub_problems(Read *r, GPtrArray *messages, HubdCardProblemLevel level)
{
	g_autoptr(HubdCardLayout) layout = hubd_card_layout_new(r->text, strlen(r->text));

	for (guint i = 0; i < messages->len; i++) {
		HubdCardProblem *p = g_new0(HubdCardProblem, 1);

		p->message = g_strdup(g_ptr_array_index(messages, i));
		p->line = hub_message_line(layout, p->message);
		p->level = level;
		p->rule = g_strdup("hub");
		p->key = g_strdup("");
		g_ptr_array_add(r->problems, p);
	}
}

static void
hubd_cards_validated_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(Read) r = user_data;
	g_autoptr(GPtrArray) errors = NULL;
	g_autoptr(GPtrArray) warnings = NULL;
	GError *error = NULL;

	if (!hubd_hub_api_validate_yaml_finish(HUBD_HUB_API(source),
					       res,
					       &errors,
					       &warnings,
					       &error)) {
		hubd_service_return_error(r->invocation, error);
		return;
	}
	add_hub_problems(r, errors, HUBD_CARD_PROBLEM_ERROR);
	add_hub_problems(r, warnings, HUBD_CARD_PROBLEM_WARNING);
	hubd_dbus_cards_complete_validate_card(r->skeleton,
					       r->invocation,
					       hubd_cards_variant_problems(r->problems));
}

static gboolean
hubd_cards_handle_validate_card(HubdDbusCards *skeleton,
				GDBusMethodInvocation *invocation,
				const gchar *repo_type,
				const gchar *text,
				GVariant *options,
				gpointer user_data)
{
	static const HubdServiceOption allowed[] = {{"remote", "b"}, {NULL, NULL}};
	HubdService *service = user_data;
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(HubdHubApi) api = NULL;
	GError *error = NULL;
	gboolean remote = FALSE;
	HubdRepoType type;
	Read *r;

	if (!hubd_repo_type_from_string(repo_type, &type, &error) ||
	    !hubd_service_check_hub_options(options, allowed, &error))
		return refuse(invocation, error);
	problems = hubd_card_validate(type, text, strlen(text));
	g_variant_lookup(options, "remote", "b", &remote);
	if (!remote) {
		hubd_dbus_cards_complete_validate_card(skeleton,
						       invocation,
						       hubd_cards_variant_problems(problems));
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	api = hubd_hub_api_new_for_call(hubd_context_get_hub_api(hubd_service_get_context(service)),
					options);
	r = read_new(service, skeleton, invocation);
	r->text = g_strdup(text);
	r->problems = g_steal_pointer(&problems);
	hubd_hub_api_validate_yaml_async(api, type, text, NULL, hubd_cards_validated_cb, r);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- HubdService ---- */

static GDBusInterfaceSkeleton *
hubd_cards_service_create_skeleton(HubdService *service)
{
	HubdDbusCards *skeleton = hubd_dbus_cards_skeleton_new();
	static const struct {
		const gchar *signal;
		GCallback handler;
	} handlers[] = {
		{"handle-get-card", G_CALLBACK(hubd_cards_handle_get_card)},
		{"handle-render-card", G_CALLBACK(hubd_cards_handle_render_card)},
		{"handle-validate-card", G_CALLBACK(hubd_cards_handle_validate_card)},
		{"handle-update-card-metadata", G_CALLBACK(hubd_cards_handle_update_metadata)},
		{"handle-push-card", G_CALLBACK(hubd_cards_handle_push_card)},
	};

	for (guint i = 0; i < G_N_ELEMENTS(handlers); i++)
		g_signal_connect(skeleton, handlers[i].signal, handlers[i].handler, service);
	return G_DBUS_INTERFACE_SKELETON(skeleton);
}

static gboolean
hubd_cards_service_is_busy(HubdService *service)
{
	return HUBD_CARDS_SERVICE(service)->busy > 0;
}

static void
hubd_cards_service_class_init(HubdCardsServiceClass *klass)
{
	HubdServiceClass *service_class = HUBD_SERVICE_CLASS(klass);

	service_class->create_skeleton = hubd_cards_service_create_skeleton;
	service_class->is_busy = hubd_cards_service_is_busy;
}

static void
hubd_cards_service_init(HubdCardsService *self)
{
}
