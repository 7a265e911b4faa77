/* hubd-card-validate.c: ValidateCard's local checks of a README.md (pure; fuzzed) */
#define G_LOG_DOMAIN "HubdCard"

#include "hubd-card-validate.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "hubd-card-layout.h"
#include "hubd-card-template.h"
#include "hubd-card-vocab.h"
#include "hubd-card.h"

typedef enum {
	T_STRING = 1 << 0,
	T_LIST = 1 << 1, /* of strings */
	T_BOOL = 1 << 2,
	T_NUMBER = 1 << 3,
	T_MAPPING = 1 << 4,
	T_ANY_LIST = 1 << 5, /* of anything */
	T_NULL = 1 << 6,
} KeyType;

typedef struct {
	const gchar *key;
	guint types;
	const gchar *const *values; /* allowed strings, or NULL */
} KnownKey;

static const KnownKey common_keys[] = {
	{"license_name", T_STRING, NULL},
	{"license_link", T_STRING, NULL},
	{"tags", T_LIST, NULL},
	{"thumbnail", T_STRING, NULL},
	{"extra_gated_prompt", T_STRING, NULL},
	{"extra_gated_heading", T_STRING, NULL},
	{"extra_gated_description", T_STRING, NULL},
	{"extra_gated_button_content", T_STRING, NULL},
	{"extra_gated_fields", T_MAPPING, NULL},
	{"extra_gated_eu_disallowed", T_BOOL, NULL},
	{NULL, 0, NULL},
};

static const KnownKey model_keys[] = {
	{"library_name", T_STRING, NULL},
	{"pipeline_tag", T_STRING, hubd_card_tasks},
	{"datasets", T_STRING | T_LIST, NULL},
	{"metrics", T_STRING | T_LIST, NULL},
	{"base_model", T_STRING | T_LIST, NULL},
	{"base_model_relation", T_STRING, hubd_card_relations},
	{"new_version", T_STRING, NULL},
	{"model-index", T_ANY_LIST, NULL},
	{"inference", T_BOOL | T_MAPPING, NULL},
	{"widget", T_ANY_LIST, NULL},
	{"co2_eq_emissions", T_NUMBER | T_MAPPING, NULL},
	{NULL, 0, NULL},
};

static const KnownKey dataset_keys[] = {
	{"pretty_name", T_STRING, NULL},
	{"task_categories", T_STRING | T_LIST, hubd_card_tasks},
	{"task_ids", T_STRING | T_LIST, NULL},
	{"size_categories", T_STRING | T_LIST, hubd_card_size_categories},
	{"annotations_creators", T_STRING | T_LIST, hubd_card_creators},
	{"language_creators", T_STRING | T_LIST, hubd_card_creators},
	{"multilinguality", T_STRING | T_LIST, NULL},
	{"source_datasets", T_STRING | T_LIST, NULL},
	{"paperswithcode_id", T_STRING | T_NULL, NULL},
	{"configs", T_ANY_LIST, NULL},
	{"dataset_info", T_MAPPING | T_ANY_LIST, NULL},
	{"viewer", T_BOOL, NULL},
	{NULL, 0, NULL},
};

typedef struct {
	HubdRepoType type;
	HubdCardLayout *layout;
	GPtrArray *problems;
} Check;

void
hubd_card_problem_free(HubdCardProblem *problem)
{
	if (problem == NULL)
		return;
	g_free(problem->rule);
	g_free(problem->key);
	g_free(problem->message);
	g_free(problem);
}

const gchar *
hubd_card_problem_level_to_string(HubdCardProblemLevel level)
{
	return level == HUBD_CARD_PROBLEM_ERROR ? "error" : "warning";
}

static void G_GNUC_PRINTF(6, 7) add_at(Check *check,
				       guint line,
				       HubdCardProblemLevel level,
				       const gchar *rule,
				       const gchar *key,
				       const gchar *format,
				       ...)
{
	HubdCardProblem *p = g_new0(HubdCardProblem, 1);
	va_list args;

	va_start(args, format);
	p->message = g_strdup_vprintf(format, args);
	va_end(args);
	p->line = line;
	p->level = level;
	p->rule = g_strdup(rule);
	p->key = g_strdup(key != NULL ? key : "");
	g_ptr_array_add(check->problems, p);
}

#define add(check, level, rule, key, ...)                       \
	add_at(check,                                           \
	       hubd_card_layout_get_line((check)->layout, key), \
	       level,                                           \
	       rule,                                            \
	       key,                                             \
	       __VA_ARGS__)

static gboolean
is_string(JsonNode *node)
{
	return node != NULL && JSON_NODE_HOLDS_VALUE(node) &&
	       json_node_get_value_type(node) == G_TYPE_STRING;
}

static const gchar *
type_name(guint types)
{
	if (types == T_STRING)
		return _("a string");
	if (types == (T_STRING | T_LIST))
		return _("a string or a list of strings");
	if (types == T_LIST)
		return _("a list of strings");
	if (types == T_BOOL)
		return _("true or false");
	if (types == T_MAPPING)
		return _("a mapping");
	if (types == T_ANY_LIST)
		return _("a list");
	if (types == (T_BOOL | T_MAPPING))
		return _("true, false or a mapping");
	if (types == (T_NUMBER | T_MAPPING))
		return _("a number or a mapping");
	if (types == (T_MAPPING | T_ANY_LIST))
		return _("a mapping or a list");
	return _("a string or null");
}

static gboolean
all_strings(JsonArray *array)
{
	for (guint i = 0; i < json_array_get_length(array); i++) {
		if (!is_string(json_array_get_element(array, i)))
			return FALSE;
	}
	return TRUE;
}

static gboolean
has_type(JsonNode *node, guint types)
{
	if (JSON_NODE_HOLDS_NULL(node))
		return (types & T_NULL) != 0;
	if (JSON_NODE_HOLDS_OBJECT(node))
		return (types & T_MAPPING) != 0;
	if (JSON_NODE_HOLDS_ARRAY(node))
		return (types & T_ANY_LIST) != 0 ||
		       ((types & T_LIST) != 0 && all_strings(json_node_get_array(node)));
	switch (json_node_get_value_type(node)) {
	case G_TYPE_STRING:
		return (types & T_STRING) != 0;
	case G_TYPE_BOOLEAN:
		return (types & T_BOOL) != 0;
	default:
		return (types & T_NUMBER) != 0;
	}
}

static void
check_values(Check *check, const gchar *key, JsonNode *node, const gchar *const *values)
{
	if (is_string(node)) {
		if (!g_strv_contains(values, json_node_get_string(node)))
			add(check,
			    HUBD_CARD_PROBLEM_ERROR,
			    "value-unknown",
			    key,
			    _("“%s” is not a known value of “%s”"),
			    json_node_get_string(node),
			    key);
		return;
	}
	if (!JSON_NODE_HOLDS_ARRAY(node))
		return;
	for (guint i = 0; i < json_array_get_length(json_node_get_array(node)); i++) {
		g_autofree gchar *path = g_strdup_printf("%s/%u", key, i);
		check_values(check,
			     path,
			     json_array_get_element(json_node_get_array(node), i),
			     values);
	}
}

static void
check_known_keys(Check *check, JsonObject *card, const KnownKey *keys)
{
	for (const KnownKey *k = keys; k->key != NULL; k++) {
		JsonNode *node = json_object_get_member(card, k->key);

		if (node == NULL || (JSON_NODE_HOLDS_NULL(node) && (k->types & T_NULL) == 0))
			continue;
		if (!has_type(node, k->types)) {
			add(check,
			    HUBD_CARD_PROBLEM_ERROR,
			    "type",
			    k->key,
			    _("“%s” must be %s"),
			    k->key,
			    type_name(k->types));
			continue;
		}
		if (k->values != NULL)
			check_values(check, k->key, node, k->values);
	}
}

/* ---- licence ---- */

static void
check_license_id(Check *check, const gchar *path, JsonNode *node, gboolean *other)
{
	const gchar *id;

	if (!is_string(node) || json_node_get_string(node)[0] == '\0') {
		add(check,
		    HUBD_CARD_PROBLEM_ERROR,
		    "type",
		    path,
		    _("“license” must be a licence identifier such as “apache-2.0”"));
		return;
	}
	id = json_node_get_string(node);
	if (g_strcmp0(id, "other") == 0)
		*other = TRUE;
	else if (!hubd_card_license_is_known(id))
		add(check,
		    HUBD_CARD_PROBLEM_ERROR,
		    "license-unknown",
		    path,
		    _("“%s” is not one of the Hub's licence identifiers "
		      "(https://huggingface.co/docs/hub/repositories-licenses): use one of "
		      "them, or “other” with “license_name” and “license_link”"),
		    id);
}

static void
check_license(Check *check, JsonObject *card)
{
	JsonNode *node = json_object_get_member(card, "license");
	gboolean other = FALSE;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node) ||
	    (JSON_NODE_HOLDS_ARRAY(node) &&
	     json_array_get_length(json_node_get_array(node)) == 0)) {
		add(check,
		    HUBD_CARD_PROBLEM_ERROR,
		    "license-missing",
		    "license",
		    _("The metadata has no licence: add a line such as “license: apache-2.0”"));
		return;
	}
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);

		for (guint i = 0; i < json_array_get_length(array); i++) {
			g_autofree gchar *path = g_strdup_printf("license/%u", i);
			check_license_id(check, path, json_array_get_element(array, i), &other);
		}
	} else {
		check_license_id(check, "license", node, &other);
	}
	if (!other)
		return;
	if (!is_string(json_object_get_member(card, "license_name")))
		add(check,
		    HUBD_CARD_PROBLEM_ERROR,
		    "license-name-missing",
		    "license",
		    _("“license: other” needs “license_name”, a short id for the licence "
		      "(such as “my-license-1.0”)"));
	if (!is_string(json_object_get_member(card, "license_link")))
		add(check,
		    HUBD_CARD_PROBLEM_WARNING,
		    "license-link-missing",
		    "license",
		    _("“license: other” should have “license_link”: a URL, or “LICENSE” for a "
		      "LICENSE file in the repo"));
}

/* ---- language ---- */

static gboolean
language_is_valid(const gchar *code)
{
	gsize n = strlen(code);

	/* the special values of the model card spec */
	if (g_strcmp0(code, "code") == 0 || g_strcmp0(code, "multilingual") == 0)
		return TRUE;
	if (n < 2 || n > 3)
		return FALSE;
	for (gsize i = 0; i < n; i++) {
		if (!g_ascii_islower(code[i]))
			return FALSE;
	}
	return TRUE;
}

static void
check_language_code(Check *check, const gchar *path, JsonNode *node)
{
	if (!is_string(node)) {
		add(check,
		    HUBD_CARD_PROBLEM_ERROR,
		    "type",
		    path,
		    _("“language” must be a language code or a list of them"));
		return;
	}
	if (!language_is_valid(json_node_get_string(node)))
		add(check,
		    HUBD_CARD_PROBLEM_ERROR,
		    "language-invalid",
		    path,
		    _("“%s” is not an ISO 639-1, 639-2 or 639-3 language code (two or three "
		      "lower-case letters, such as “en” or “fra”)"),
		    json_node_get_string(node));
}

static void
check_language(Check *check, JsonObject *card)
{
	JsonNode *node = json_object_get_member(card, "language");

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return;
	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		check_language_code(check, "language", node);
		return;
	}
	for (guint i = 0; i < json_array_get_length(json_node_get_array(node)); i++) {
		g_autofree gchar *path = g_strdup_printf("language/%u", i);
		check_language_code(check,
				    path,
				    json_array_get_element(json_node_get_array(node), i));
	}
}

/* ---- model-index ---- */

static gboolean
need_member(Check *check,
	    JsonObject *object,
	    const gchar *path,
	    const gchar *member,
	    gboolean string)
{
	JsonNode *node = object != NULL ? json_object_get_member(object, member) : NULL;
	g_autofree gchar *where = g_strdup_printf("%s/%s", path, member);

	if (node != NULL && (!string || is_string(node)) && !JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	add(check,
	    HUBD_CARD_PROBLEM_ERROR,
	    "model-index",
	    where,
	    string ? _("model-index: “%s” needs “%s” (a string)")
		   : _("model-index: “%s” needs “%s”"),
	    path,
	    member);
	return FALSE;
}

static JsonObject *
object_at(Check *check, JsonNode *node, const gchar *path)
{
	if (node != NULL && JSON_NODE_HOLDS_OBJECT(node))
		return json_node_get_object(node);
	add(check,
	    HUBD_CARD_PROBLEM_ERROR,
	    "model-index",
	    path,
	    _("model-index: “%s” must be a mapping"),
	    path);
	return NULL;
}

static JsonArray *
array_at(Check *check, JsonObject *parent, const gchar *path, const gchar *member)
{
	JsonNode *node = parent != NULL ? json_object_get_member(parent, member) : NULL;
	g_autofree gchar *where = g_strdup_printf("%s/%s", path, member);

	if (node != NULL && JSON_NODE_HOLDS_ARRAY(node))
		return json_node_get_array(node);
	add(check,
	    HUBD_CARD_PROBLEM_ERROR,
	    "model-index",
	    where,
	    _("model-index: “%s” must be a list"),
	    where);
	return NULL;
}

static void
check_result(Check *check, JsonObject *result, const gchar *path)
{
	g_autofree gchar *task_path = g_strdup_printf("%s/task", path);
	g_autofree gchar *dataset_path = g_strdup_printf("%s/dataset", path);
	JsonObject *task = object_at(check, json_object_get_member(result, "task"), task_path);
	JsonObject *dataset =
		object_at(check, json_object_get_member(result, "dataset"), dataset_path);
	JsonArray *metrics = array_at(check, result, path, "metrics");
	JsonNode *source = json_object_get_member(result, "source");

	if (task != NULL)
		need_member(check, task, task_path, "type", TRUE);
	if (dataset != NULL) {
		need_member(check, dataset, dataset_path, "type", TRUE);
		need_member(check, dataset, dataset_path, "name", TRUE);
	}
	for (guint i = 0; metrics != NULL && i < json_array_get_length(metrics); i++) {
		g_autofree gchar *mpath = g_strdup_printf("%s/metrics/%u", path, i);
		JsonObject *metric = object_at(check, json_array_get_element(metrics, i), mpath);

		if (metric != NULL) {
			need_member(check, metric, mpath, "type", TRUE);
			need_member(check, metric, mpath, "value", FALSE);
		}
	}
	if (source != NULL) {
		g_autofree gchar *spath = g_strdup_printf("%s/source", path);
		JsonObject *s = object_at(check, source, spath);

		if (s != NULL)
			need_member(check, s, spath, "url", TRUE);
	}
}

static void
check_model_index(Check *check, JsonObject *card)
{
	JsonNode *node = json_object_get_member(card, "model-index");
	JsonArray *models;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return; /* missing, or a type problem already said */
	models = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(models); i++) {
		g_autofree gchar *path = g_strdup_printf("model-index/%u", i);
		JsonObject *model = object_at(check, json_array_get_element(models, i), path);
		JsonArray *results;

		if (model == NULL)
			continue;
		need_member(check, model, path, "name", TRUE);
		results = array_at(check, model, path, "results");
		for (guint j = 0; results != NULL && j < json_array_get_length(results); j++) {
			g_autofree gchar *rpath = g_strdup_printf("%s/results/%u", path, j);
			JsonObject *result =
				object_at(check, json_array_get_element(results, j), rpath);

			if (result != NULL)
				check_result(check, result, rpath);
		}
	}
}

/* ---- sections ---- */

static void
check_sections(Check *check, const gchar *text, gsize len)
{
	HubdCardLayout *layout = check->layout;
	const gchar *body = text + layout->body_start;
	gsize body_len = len - layout->body_start;
	g_autoptr(GPtrArray) headings = hubd_card_read_headings(body, body_len, layout->body_line);
	guint n = 0;
	const HubdCardSection *sections = hubd_card_template_get_sections(check->type, &n);
	guint end_line = layout->body_line;

	for (gsize i = 0; i < body_len; i++) {
		if (body[i] == '\n')
			end_line++;
	}
	if (!hubd_card_body_has_text(body, body_len))
		add_at(check,
		       layout->body_line,
		       HUBD_CARD_PROBLEM_ERROR,
		       "undocumented",
		       "",
		       check->type == HUBD_REPO_TYPE_DATASET
			       ? _("The card does not describe the data: write below the front "
				   "matter what the dataset holds, where it comes from and how it "
				   "is laid out (a “## Dataset Structure” section)")
			       : _("The card has no documentation: write below the front matter "
				   "what the model does and how to use it"));
	for (guint i = 0; i < n; i++) {
		const HubdCardSection *s = &sections[i];
		g_autofree gchar *want = hubd_card_title_normalize(s->title);
		HubdCardHeading *found = NULL;
		HubdCardProblemLevel level = s->need == HUBD_CARD_SECTION_REQUIRED
						     ? HUBD_CARD_PROBLEM_ERROR
						     : HUBD_CARD_PROBLEM_WARNING;

		if (s->need == HUBD_CARD_SECTION_OPTIONAL)
			continue;
		for (guint j = 0; j < headings->len && found == NULL; j++) {
			HubdCardHeading *h = g_ptr_array_index(headings, j);
			g_autofree gchar *have = hubd_card_title_normalize(h->title);

			if (g_strcmp0(have, want) == 0)
				found = h;
		}
		if (found == NULL)
			add_at(check,
			       end_line,
			       level,
			       "section-missing",
			       s->name,
			       _("The card has no “%s” section"),
			       s->title);
		else if (!found->filled)
			add_at(check,
			       found->line,
			       level,
			       "section-placeholder",
			       s->name,
			       _("The “%s” section is empty or still says “%s”"),
			       s->title,
			       HUBD_CARD_PLACEHOLDER);
	}
}

static gint
problem_cmp(gconstpointer a, gconstpointer b)
{
	const HubdCardProblem *pa = *(HubdCardProblem *const *)a;
	const HubdCardProblem *pb = *(HubdCardProblem *const *)b;

	return pa->line < pb->line ? -1 : pa->line > pb->line;
}

GPtrArray *
hubd_card_validate(HubdRepoType type, const gchar *text, gsize len)
{
	g_autoptr(HubdCardLayout) layout = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) root = NULL;
	Check check = {type, NULL, NULL};

	check.problems = g_ptr_array_new_with_free_func((GDestroyNotify)hubd_card_problem_free);
	if (text == NULL) {
		add_at(&check,
		       0,
		       HUBD_CARD_PROBLEM_ERROR,
		       "card-missing",
		       "",
		       _("There is no card: add a README.md that starts with front matter naming "
			 "the licence"));
		return check.problems;
	}
	layout = hubd_card_layout_new(text, len);
	check.layout = layout;
	root = hubd_card_parse_front_matter(text, len, &error);
	if (error != NULL) {
		/* the message names the line too */
		add_at(&check,
		       layout->error_line != 0 ? layout->error_line : layout->yaml_line,
		       HUBD_CARD_PROBLEM_ERROR,
		       "yaml-invalid",
		       "",
		       "%s",
		       error->message);
	} else if (root == NULL) {
		add_at(&check,
		       1,
		       HUBD_CARD_PROBLEM_ERROR,
		       "front-matter-missing",
		       "",
		       _("The card has no metadata: start README.md with front matter between "
			 "two “---” lines, such as “---”, “license: apache-2.0”, “---”"));
	} else {
		JsonObject *card = json_node_get_object(root);

		/* a Space's licence is optional; a model's or dataset's is not */
		if (type != HUBD_REPO_TYPE_SPACE || json_object_has_member(card, "license"))
			check_license(&check, card);
		if (type != HUBD_REPO_TYPE_SPACE) {
			check_language(&check, card);
			check_known_keys(&check, card, common_keys);
			check_known_keys(&check,
					 card,
					 type == HUBD_REPO_TYPE_DATASET ? dataset_keys
									: model_keys);
			check_model_index(&check, card);
		}
	}
	if (type != HUBD_REPO_TYPE_SPACE)
		check_sections(&check, text, len);
	g_ptr_array_sort(check.problems, problem_cmp);
	return g_steal_pointer(&check.problems);
}

const HubdCardProblem *
hubd_card_problems_find(GPtrArray *problems, const gchar *const *rules)
{
	for (guint i = 0; i < problems->len; i++) {
		const HubdCardProblem *p = g_ptr_array_index(problems, i);

		if (g_strv_contains(rules, p->rule))
			return p;
	}
	return NULL;
}
