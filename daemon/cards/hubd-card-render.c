/* hubd-card-render.c: RenderCard (pure) */
#define G_LOG_DOMAIN "HubdCard"

#include "hubd-card-render.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd-card-template.h"
#include "hubd-card-yaml.h"
#include "hubd-error.h"

/* the order huggingface_hub's card data classes write their fields in;
 * other keys follow in the order given, model-index last */
static const gchar *const key_order[] = {
	"language",
	"license",
	"license_name",
	"license_link",
	"library_name",
	"pipeline_tag",
	"pretty_name",
	"tags",
	"datasets",
	"metrics",
	"base_model",
	"task_categories",
	"size_categories",
	NULL,
};

static const gchar *
member_string(JsonObject *o, const gchar *key)
{
	JsonNode *node = json_object_get_member(o, key);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

/* copies `key` of `from` into `to` as `as`, when present */
static void
copy_member(JsonObject *to, const gchar *as, JsonObject *from, const gchar *key)
{
	JsonNode *node = json_object_get_member(from, key);

	if (node != NULL && !JSON_NODE_HOLDS_NULL(node))
		json_object_set_member(to, as, json_node_copy(node));
}

static gchar *
group_key(JsonObject *r)
{
	const gchar *parts[] = {"task_type",
				"dataset_type",
				"dataset_config",
				"dataset_split",
				"dataset_revision"};
	g_autoptr(GString) key = g_string_new(NULL);

	for (guint i = 0; i < G_N_ELEMENTS(parts); i++) {
		const gchar *v = member_string(r, parts[i]);
		g_string_append_printf(key, "%s\x1f", v != NULL ? v : "");
	}
	return g_string_free(g_steal_pointer(&key), FALSE);
}

static gboolean
check_eval_result(JsonNode *node, guint i, GError **error)
{
	static const gchar *const required[] = {"task_type",
						"dataset_type",
						"dataset_name",
						"metric_type"};
	JsonObject *r = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;

	for (guint k = 0; r != NULL && k < G_N_ELEMENTS(required); k++) {
		if (member_string(r, required[k]) == NULL) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Eval result %u needs “%s” (a string)"),
				    i + 1,
				    required[k]);
			return FALSE;
		}
	}
	if (r == NULL || json_object_get_member(r, "metric_value") == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Eval result %u needs “metric_value”"),
			    i + 1);
		return FALSE;
	}
	/* as huggingface_hub's EvalResult: a source name needs its URL */
	if (member_string(r, "source_name") != NULL && member_string(r, "source_url") == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Eval result %u has “source_name” without “source_url”"),
			    i + 1);
		return FALSE;
	}
	return TRUE;
}

static JsonObject *
new_result(JsonObject *r)
{
	JsonObject *result = json_object_new();
	JsonObject *task = json_object_new();
	JsonObject *dataset = json_object_new();

	copy_member(task, "type", r, "task_type");
	copy_member(task, "name", r, "task_name");
	copy_member(dataset, "name", r, "dataset_name");
	copy_member(dataset, "type", r, "dataset_type");
	copy_member(dataset, "config", r, "dataset_config");
	copy_member(dataset, "split", r, "dataset_split");
	copy_member(dataset, "revision", r, "dataset_revision");
	copy_member(dataset, "args", r, "dataset_args");
	json_object_set_object_member(result, "task", task);
	json_object_set_object_member(result, "dataset", dataset);
	json_object_set_array_member(result, "metrics", json_array_new());
	if (member_string(r, "source_url") != NULL) {
		JsonObject *source = json_object_new();

		copy_member(source, "name", r, "source_name");
		copy_member(source, "url", r, "source_url");
		json_object_set_object_member(result, "source", source);
	}
	return result;
}

JsonNode *
hubd_card_eval_results_to_model_index(JsonArray *eval_results,
				      const gchar *model_name,
				      GError **error)
{
	g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	JsonArray *results = json_array_new();
	JsonObject *model = json_object_new();
	JsonArray *index = json_array_new();
	JsonNode *node;

	json_object_set_string_member(model, "name", model_name);
	json_object_set_array_member(model, "results", results);
	json_array_add_object_element(index, model);
	node = json_node_new(JSON_NODE_ARRAY);
	json_node_take_array(node, index);
	for (guint i = 0; i < json_array_get_length(eval_results); i++) {
		JsonNode *item = json_array_get_element(eval_results, i);
		JsonObject *r;
		JsonObject *result;
		JsonObject *metric;
		g_autofree gchar *key = NULL;

		if (!check_eval_result(item, i, error)) {
			json_node_unref(node);
			return NULL;
		}
		r = json_node_get_object(item);
		key = group_key(r);
		result = g_hash_table_lookup(groups, key);
		if (result == NULL) {
			result = new_result(r);
			json_array_add_object_element(results, result);
			g_hash_table_insert(groups, g_steal_pointer(&key), result);
		}
		metric = json_object_new();
		copy_member(metric, "type", r, "metric_type");
		copy_member(metric, "value", r, "metric_value");
		copy_member(metric, "name", r, "metric_name");
		copy_member(metric, "config", r, "metric_config");
		copy_member(metric, "args", r, "metric_args");
		copy_member(metric, "verified", r, "verified");
		copy_member(metric, "verifyToken", r, "verify_token");
		json_array_add_object_element(json_object_get_array_member(result, "metrics"),
					      metric);
	}
	return node;
}

/* tags without repeats, in order, as huggingface_hub's CardData */
static void
dedupe_tags(JsonObject *card)
{
	JsonNode *node = json_object_get_member(card, "tags");
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	JsonArray *out;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return;
	out = json_array_new();
	for (guint i = 0; i < json_array_get_length(json_node_get_array(node)); i++) {
		JsonNode *tag = json_array_get_element(json_node_get_array(node), i);

		if (JSON_NODE_HOLDS_VALUE(tag) && json_node_get_value_type(tag) == G_TYPE_STRING) {
			if (!g_hash_table_add(seen, (gpointer)json_node_get_string(tag)))
				continue;
		}
		json_array_add_element(out, json_node_copy(tag));
	}
	json_object_set_array_member(card, "tags", out);
}

static gboolean
check_sections(HubdRepoType type, GHashTable *sections, GError **error)
{
	GHashTableIter iter;
	gpointer name;

	if (sections == NULL)
		return TRUE;
	g_hash_table_iter_init(&iter, sections);
	while (g_hash_table_iter_next(&iter, &name, NULL)) {
		guint n = 0;
		const HubdCardSection *table = hubd_card_template_get_sections(type, &n);
		g_autoptr(GString) known = g_string_new("summary");

		if (g_strcmp0(name, "summary") == 0 || hubd_card_template_find(type, name) != NULL)
			continue;
		for (guint i = 0; i < n; i++)
			g_string_append_printf(known, ", %s", table[i].name);
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The %s card template has no section “%s”; its sections are: %s"),
			    hubd_repo_type_to_string(type),
			    (const gchar *)name,
			    known->str);
		return FALSE;
	}
	return TRUE;
}

gchar *
hubd_card_render(HubdRepoType type,
		 JsonObject *metadata,
		 GHashTable *sections,
		 const gchar *title,
		 GError **error)
{
	g_autoptr(JsonObject) card = json_object_new();
	g_autoptr(GList) members = NULL;
	JsonNode *eval = json_object_get_member(metadata, "eval_results");
	g_autofree gchar *yaml = NULL;
	g_autofree gchar *body = NULL;

	if (type == HUBD_REPO_TYPE_SPACE) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("There is no card template for Spaces: their README.md "
				      "configures the app"));
		return NULL;
	}
	if (!check_sections(type, sections, error))
		return NULL;
	for (const gchar *const *k = key_order; *k != NULL; k++)
		copy_member(card, *k, metadata, *k);
	members = json_object_get_members(metadata);
	for (GList *l = members; l != NULL; l = l->next) {
		if (!json_object_has_member(card, l->data) &&
		    g_strcmp0(l->data, "eval_results") != 0 &&
		    g_strcmp0(l->data, "model-index") != 0)
			copy_member(card, l->data, metadata, l->data);
	}
	dedupe_tags(card);
	if (eval != NULL && JSON_NODE_HOLDS_ARRAY(eval) &&
	    json_array_get_length(json_node_get_array(eval)) > 0) {
		const gchar *name = member_string(metadata, "model_name");
		JsonNode *index = hubd_card_eval_results_to_model_index(json_node_get_array(eval),
									name != NULL ? name : title,
									error);
		if (index == NULL)
			return NULL;
		json_object_remove_member(card, "model_name");
		json_object_set_member(card, "model-index", index);
	} else if (eval != NULL && !JSON_NODE_HOLDS_NULL(eval) && !JSON_NODE_HOLDS_ARRAY(eval)) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("“eval_results” must be a list of mappings"));
		return NULL;
	} else {
		copy_member(card, "model-index", metadata, "model-index");
	}
	yaml = hubd_card_yaml_dump_object(card, "\n", error);
	if (yaml == NULL)
		return NULL;
	body = hubd_card_template_render_body(type, title, sections);
	return g_strdup_printf("---\n%s---\n\n%s", yaml, body);
}
