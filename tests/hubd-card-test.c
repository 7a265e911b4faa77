/* hubd-card-test.c: cards without a daemon — RenderCard's output read back,
 * every ValidateCard rule with a failing and a passing card, and front-matter
 * edits that keep every other byte */
#include <string.h>

#include "hubd-card-edit.h"
#include "hubd-card-render.h"
#include "hubd-card-template.h"
#include "hubd-card-validate.h"
#include "hubd-card.h"
#include "hubd-error.h"

/* ---- helpers ---- */

static JsonObject *
json_object_from(const gchar *json)
{
	g_autoptr(JsonNode) node = json_from_string(json, NULL);

	g_assert_nonnull(node);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(node));
	return json_object_ref(json_node_get_object(node));
}

static JsonObject *
front_matter(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = hubd_card_parse_front_matter(text, strlen(text), &error);

	g_assert_no_error(error);
	g_assert_nonnull(node);
	return json_object_ref(json_node_get_object(node));
}

static GPtrArray *
validate(HubdRepoType type, const gchar *text)
{
	return hubd_card_validate(type, text, text != NULL ? strlen(text) : 0);
}

/* the problem with `rule`, which must be there */
static const HubdCardProblem *
find_rule(GPtrArray *problems, const gchar *rule)
{
	const gchar *rules[] = {rule, NULL};
	const HubdCardProblem *p = hubd_card_problems_find(problems, rules);

	if (p == NULL) {
		for (guint i = 0; i < problems->len; i++) {
			HubdCardProblem *q = g_ptr_array_index(problems, i);
			g_printerr("  %u %s %s: %s\n", q->line, q->rule, q->key, q->message);
		}
		g_error("no “%s” problem", rule);
	}
	return p;
}

static const HubdCardProblem *
find_rule_key(GPtrArray *problems, const gchar *rule, const gchar *key)
{
	for (guint i = 0; i < problems->len; i++) {
		const HubdCardProblem *p = g_ptr_array_index(problems, i);

		if (g_strcmp0(p->rule, rule) == 0 && g_strcmp0(p->key, key) == 0)
			return p;
	}
	g_error("no “%s” problem for “%s”", rule, key);
	return NULL;
}

static void
assert_no_rule(GPtrArray *problems, const gchar *rule)
{
	const gchar *rules[] = {rule, NULL};
	const HubdCardProblem *p = hubd_card_problems_find(problems, rules);

	if (p != NULL)
		g_error("unexpected “%s” at line %u: %s", rule, p->line, p->message);
}

static guint
count_errors(GPtrArray *problems)
{
	guint n = 0;

	for (guint i = 0; i < problems->len; i++) {
		HubdCardProblem *p = g_ptr_array_index(problems, i);
		if (p->level == HUBD_CARD_PROBLEM_ERROR) {
			g_printerr("  error %u %s: %s\n", p->line, p->rule, p->message);
			n++;
		}
	}
	return n;
}

static void
put(GHashTable *table, const gchar *key, const gchar *value)
{
	g_hash_table_insert(table, g_strdup(key), g_strdup(value));
}

/* a model card whose body documents everything the template asks for */
#define GOOD_MODEL_BODY                                                                        \
	"# Model Card for tiny\n\nA tiny model.\n\n## Model Details\n\n### Model "             \
	"Description\n\nIt adds numbers.\n\n## Uses\n\n### Direct Use\n\nAdding.\n\n"          \
	"### Out-of-Scope Use\n\nSubtracting.\n\n## Bias, Risks, and Limitations\n\nNone "     \
	"known.\n\n### Recommendations\n\nCheck sums.\n\n## How to Get Started with the "      \
	"Model\n\nRun it.\n\n## Training Details\n\n### Training Data\n\nDigits.\n\n"          \
	"### Training Procedure\n\nBy hand.\n\n#### Training Hyperparameters\n\nNone.\n\n"     \
	"## Evaluation\n\n### Testing Data, Factors & Metrics\n\n#### Testing Data\n\nMore "   \
	"digits.\n\n#### Factors\n\nSize.\n\n#### Metrics\n\nAccuracy.\n\n### Results\n\n"     \
	"All right.\n\n#### Summary\n\nGood.\n\n## Environmental Impact\n\nTiny.\n\n## Model " \
	"Card Contact\n\nme@example.com\n"

/* ---- RenderCard ---- */

static void
test_render_model(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) meta = json_object_from(
		"{\"license\":\"apache-2.0\",\"language\":[\"en\",\"fr\"],"
		"\"library_name\":\"transformers\",\"tags\":[\"a\",\"yes\",\"a\",\"1.0\"],"
		"\"datasets\":[\"org/data\"],\"metrics\":[\"accuracy\"],"
		"\"extra_key\":\"kept\",\"eval_results\":["
		"{\"task_type\":\"text-classification\",\"dataset_type\":\"org/data\","
		"\"dataset_name\":\"Data\",\"dataset_split\":\"test\",\"metric_type\":\"accuracy\","
		"\"metric_value\":0.91},"
		"{\"task_type\":\"text-classification\",\"dataset_type\":\"org/data\","
		"\"dataset_name\":\"Data\",\"dataset_split\":\"test\",\"metric_type\":\"f1\","
		"\"metric_value\":0.5,\"source_name\":\"Me\",\"source_url\":\"https://x.test\"}]}");
	g_autoptr(GHashTable) sections =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree gchar *text = NULL;
	g_autoptr(JsonObject) card = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	JsonArray *tags;
	JsonObject *result;
	JsonArray *metrics;
	const gchar *p;

	put(sections, "model_description", "It sorts *things*.");
	put(sections, "training_procedure", "Three epochs.");
	put(sections, "evaluation_results", "91% accuracy.");
	put(sections, "uses", "Sorting.");
	text = hubd_card_render(HUBD_REPO_TYPE_MODEL, meta, sections, "tiny", &error);
	g_assert_no_error(error);
	g_assert_true(g_str_has_prefix(text, "---\nlanguage:\n- en\n- fr\nlicense: apache-2.0\n"));

	/* the YAML reads back as the same values */
	card = front_matter(text);
	g_assert_cmpstr(json_object_get_string_member(card, "license"), ==, "apache-2.0");
	g_assert_cmpstr(json_object_get_string_member(card, "extra_key"), ==, "kept");
	tags = json_object_get_array_member(card, "tags");
	g_assert_cmpuint(json_array_get_length(tags), ==, 3); /* de-duplicated */
	g_assert_cmpstr(json_array_get_string_element(tags, 1), ==, "yes");
	g_assert_cmpstr(json_array_get_string_element(tags, 2), ==, "1.0");
	g_assert_false(json_object_has_member(card, "eval_results"));
	/* model-index: one result for the (task, dataset, split) group, two metrics */
	result = json_array_get_object_element(
		json_object_get_array_member(
			json_array_get_object_element(
				json_object_get_array_member(card, "model-index"),
				0),
			"results"),
		0);
	g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(result, "task"),
						      "type"),
			==,
			"text-classification");
	g_assert_cmpstr(
		json_object_get_string_member(json_object_get_object_member(result, "dataset"),
					      "split"),
		==,
		"test");
	metrics = json_object_get_array_member(result, "metrics");
	g_assert_cmpuint(json_array_get_length(metrics), ==, 2);
	g_assert_cmpfloat(
		json_object_get_double_member(json_array_get_object_element(metrics, 0), "value"),
		==,
		0.91);

	/* the template's headings, in order, with the sections filled in */
	p = strstr(text, "\n# Model Card for tiny\n");
	g_assert_nonnull(p);
	p = strstr(p, "\n### Model Description\n");
	g_assert_nonnull(p);
	g_assert_nonnull(strstr(p, "It sorts *things*."));
	p = strstr(p, "\n### Model Sources [optional]\n");
	g_assert_nonnull(p);
	p = strstr(p, "\n## Uses\n");
	g_assert_nonnull(p);
	p = strstr(p, "\n#### Training Hyperparameters\n");
	g_assert_nonnull(p);
	g_assert_nonnull(strstr(text, "Three epochs."));
	g_assert_nonnull(strstr(strstr(text, "### Results"), "91% accuracy."));
	g_assert_nonnull(strstr(text, "\n## Model Card Contact\n"));

	/* no metadata or required-section error in what it renders */
	problems = validate(HUBD_REPO_TYPE_MODEL, text);
	g_assert_cmpuint(count_errors(problems), ==, 0);
	/* the sections left alone say so, as warnings */
	g_assert_cmpint(find_rule(problems, "section-placeholder")->level,
			==,
			HUBD_CARD_PROBLEM_WARNING);
}

static void
test_render_dataset(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) meta = json_object_from(
		"{\"license\":\"cc-by-4.0\",\"pretty_name\":\"Numbers\","
		"\"task_categories\":[\"text-classification\"],\"size_categories\":[\"n<1K\"]}");
	g_autoptr(GHashTable) sections =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree gchar *text = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(JsonObject) card = NULL;
	const HubdCardProblem *p;

	put(sections, "dataset_description", "Numbers from one to ten.");
	put(sections, "dataset_structure", "One column, `n`.");
	text = hubd_card_render(HUBD_REPO_TYPE_DATASET, meta, sections, "Numbers", &error);
	g_assert_no_error(error);
	card = front_matter(text);
	g_assert_cmpstr(
		json_array_get_string_element(json_object_get_array_member(card, "size_categories"),
					      0),
		==,
		"n<1K");
	g_assert_nonnull(strstr(text, "\n# Dataset Card for Numbers\n"));
	g_assert_nonnull(strstr(text, "## Dataset Structure\n\n<!--"));
	g_assert_nonnull(strstr(text, "One column, `n`."));
	g_assert_nonnull(strstr(text, "\n#### Who are the source data producers?\n"));
	problems = validate(HUBD_REPO_TYPE_DATASET, text);
	g_assert_cmpuint(count_errors(problems), ==, 0);

	/* a dataset rendered without its structure is refused by validation */
	g_hash_table_remove(sections, "dataset_structure");
	g_clear_pointer(&text, g_free);
	g_clear_pointer(&problems, g_ptr_array_unref);
	text = hubd_card_render(HUBD_REPO_TYPE_DATASET, meta, sections, "Numbers", &error);
	problems = validate(HUBD_REPO_TYPE_DATASET, text);
	p = find_rule_key(problems, "section-placeholder", "dataset_structure");
	g_assert_cmpint(p->level, ==, HUBD_CARD_PROBLEM_ERROR);
	g_assert_nonnull(strstr(p->message, "Dataset Structure"));
}

static void
test_render_refusals(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) meta = json_object_from("{\"license\":\"mit\"}");
	g_autoptr(JsonObject) bad_eval =
		json_object_from("{\"eval_results\":[{\"task_type\":\"t\",\"dataset_type\":\"d\","
				 "\"dataset_name\":\"D\",\"metric_type\":\"m\"}]}");
	g_autoptr(GHashTable) sections =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree gchar *text = NULL;

	put(sections, "no_such_section", "x");
	text = hubd_card_render(HUBD_REPO_TYPE_MODEL, meta, sections, "m", &error);
	g_assert_null(text);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "no_such_section"));
	g_assert_nonnull(strstr(error->message, "model_description"));
	g_clear_error(&error);

	text = hubd_card_render(HUBD_REPO_TYPE_MODEL, bad_eval, NULL, "m", &error);
	g_assert_null(text);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "metric_value"));
	g_clear_error(&error);

	text = hubd_card_render(HUBD_REPO_TYPE_SPACE, meta, NULL, "m", &error);
	g_assert_null(text);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
}

/* ---- ValidateCard: each rule fails one card and passes its fixed twin ---- */

typedef struct {
	HubdRepoType type;
	const gchar *rule;
	const gchar *bad;
	guint line; /* where the bad card's problem is */
	const gchar *good;
	const gchar *key; /* for section rules: which section */
} RuleCase;

#define BODY "\n# M\n\nText.\n"

static void
test_validate_rules(void)
{
	static const RuleCase cases[] = {
		{HUBD_REPO_TYPE_MODEL,
		 "front-matter-missing",
		 "# M\n\nText.\n",
		 1,
		 "---\nlicense: mit\n---" BODY},
		{HUBD_REPO_TYPE_MODEL,
		 "yaml-invalid",
		 "---\nlicense: mit\ntags: [a\n---" BODY,
		 4,
		 "---\nlicense: mit\ntags: [a]\n---" BODY},
		{HUBD_REPO_TYPE_MODEL,
		 "license-missing",
		 "---\ntags:\n- a\n---" BODY,
		 2,
		 "---\ntags:\n- a\nlicense: mit\n---" BODY},
		{HUBD_REPO_TYPE_MODEL,
		 "license-unknown",
		 "---\ntags: []\nlicense: apache2\n---" BODY,
		 3,
		 "---\ntags: []\nlicense: apache-2.0\n---" BODY},
		{HUBD_REPO_TYPE_DATASET,
		 "license-unknown",
		 "---\nlicense:\n- mit\n- nope\n---\n# D\n\nData.\n",
		 4,
		 "---\nlicense:\n- mit\n- odbl\n---\n# D\n\nData.\n"},
		{HUBD_REPO_TYPE_MODEL,
		 "license-name-missing",
		 "---\nlicense: other\nlicense_link: LICENSE\n---" BODY,
		 2,
		 "---\nlicense: other\nlicense_link: LICENSE\nlicense_name: mine-1.0\n---" BODY},
		{HUBD_REPO_TYPE_MODEL,
		 "license-link-missing",
		 "---\nlicense: other\nlicense_name: mine\n---" BODY,
		 2,
		 "---\nlicense: other\nlicense_name: mine\nlicense_link: "
		 "https://x.test/l\n---" BODY},
		{HUBD_REPO_TYPE_MODEL,
		 "language-invalid",
		 "---\nlicense: mit\nlanguage:\n- en\n- English\n---" BODY,
		 5,
		 "---\nlicense: mit\nlanguage:\n- en\n- fra\n---" BODY},
		{HUBD_REPO_TYPE_MODEL,
		 "type",
		 "---\nlicense: mit\n\ntags: one\n---" BODY,
		 4,
		 "---\nlicense: mit\n\ntags: [one]\n---" BODY},
		{HUBD_REPO_TYPE_DATASET,
		 "type",
		 "---\nlicense: mit\nviewer: 'no'\n---\n# D\n\nX.\n",
		 3,
		 "---\nlicense: mit\nviewer: no\n---\n# D\n\nX.\n"},
		{HUBD_REPO_TYPE_MODEL,
		 "value-unknown",
		 "---\nlicense: mit\npipeline_tag: text-generator\n---" BODY,
		 3,
		 "---\nlicense: mit\npipeline_tag: text-generation\n---" BODY},
		{HUBD_REPO_TYPE_DATASET,
		 "value-unknown",
		 "---\nlicense: mit\nsize_categories:\n- small\n---\n# D\n\nX.\n",
		 4,
		 "---\nlicense: mit\nsize_categories:\n- n<1K\n---\n# D\n\nX.\n"},
		{HUBD_REPO_TYPE_MODEL,
		 "model-index",
		 "---\nlicense: mit\nmodel-index:\n- name: m\n  results:\n  - task:\n      name: "
		 "T\n"
		 "    dataset: {type: d, name: D}\n    metrics:\n    - {type: acc, value: "
		 "1}\n---" BODY,
		 6,
		 "---\nlicense: mit\nmodel-index:\n- name: m\n  results:\n  - task:\n      type: "
		 "t\n"
		 "    dataset: {type: d, name: D}\n    metrics:\n    - {type: acc, value: "
		 "1}\n---" BODY},
		{HUBD_REPO_TYPE_MODEL,
		 "section-missing",
		 "---\nlicense: mit\n---\n# M\n\nText.\n",
		 0,
		 "---\nlicense: mit\n---\n# M\n\n## Model Description\n\nIt is.\n",
		 "model_description"},
		{HUBD_REPO_TYPE_MODEL,
		 "section-placeholder",
		 "---\nlicense: mit\n---\n# M\n\n## Uses\n\n<!-- say -->\n\n[More Information "
		 "Needed]\n\n## Next\n\nText.\n",
		 6,
		 "---\nlicense: mit\n---\n# M\n\n## Uses\n\n<!-- say -->\n\nLoad it.\n",
		 "uses"},
		{HUBD_REPO_TYPE_DATASET,
		 "undocumented",
		 "---\nlicense: mit\n---\n# D\n\n## Dataset Structure\n\n[More Information "
		 "Needed]\n",
		 4,
		 "---\nlicense: mit\n---\n# D\n\n## Dataset Structure\n\nOne CSV file.\n"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		const RuleCase *c = &cases[i];
		g_autoptr(GPtrArray) bad = validate(c->type, c->bad);
		g_autoptr(GPtrArray) good = validate(c->type, c->good);
		const HubdCardProblem *p;

		g_test_message("rule %s", c->rule);
		p = c->key != NULL ? find_rule_key(bad, c->rule, c->key) : find_rule(bad, c->rule);
		if (c->line != 0)
			g_assert_cmpuint(p->line, ==, c->line);
		g_assert_true(g_utf8_validate(p->message, -1, NULL));
		g_assert_cmpstr(p->message, !=, "");
		if (c->key == NULL) {
			assert_no_rule(good, c->rule);
			continue;
		}
		for (guint j = 0; j < good->len; j++) {
			HubdCardProblem *q = g_ptr_array_index(good, j);
			g_assert_false(g_strcmp0(q->rule, c->rule) == 0 &&
				       g_strcmp0(q->key, c->key) == 0);
		}
	}
}

static void
test_validate_whole(void)
{
	g_autoptr(GPtrArray) none = validate(HUBD_REPO_TYPE_MODEL, NULL);
	g_autoptr(GPtrArray) good =
		validate(HUBD_REPO_TYPE_MODEL, "---\nlicense: mit\n---\n" GOOD_MODEL_BODY);
	g_autoptr(GPtrArray) crlf =
		validate(HUBD_REPO_TYPE_MODEL, "---\r\nlicense: mit\r\ntags: x\r\n---\r\n# M\r\n");
	g_autoptr(GPtrArray) space = validate(HUBD_REPO_TYPE_SPACE, "---\nsdk: gradio\n---\n");

	g_assert_cmpstr(find_rule(none, "card-missing")->rule, ==, "card-missing");
	/* everything the template asks for: no problem at all */
	for (guint i = 0; i < good->len; i++) {
		HubdCardProblem *p = g_ptr_array_index(good, i);
		g_error("unexpected %s at line %u: %s", p->rule, p->line, p->message);
	}
	/* lines are counted the same with CRLF */
	g_assert_cmpuint(find_rule(crlf, "type")->line, ==, 3);
	/* a Space needs no licence and has no template */
	g_assert_cmpuint(space->len, ==, 0);
}

/* ---- UpdateCardMetadata's edits ---- */

static gchar *
edit(const gchar *text, const gchar *changes_json)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) changes = json_object_from(changes_json);
	g_autoptr(GBytes) out = hubd_card_edit_metadata(text, strlen(text), changes, &error);
	gsize n = 0;
	const gchar *data;

	g_assert_no_error(error);
	data = g_bytes_get_data(out, &n);
	return g_strndup(data, n);
}

static void
test_edit_keeps_bytes(void)
{
	/* odd formatting the writer would never produce: comments, quotes,
	 * flow lists, a blank line, odd indentation */
	const gchar *head = "---\n# a comment\nlicense:   'mit'   # why\n";
	const gchar *middle = "tags: [b,   a]\n";
	const gchar *tail = "\ndatasets:\n    - x/y\nthumbnail: \"t.png\"\n";
	const gchar *body = "---\n\n# Title\n\n---\n\nkey: not metadata\n";
	g_autofree gchar *text = g_strconcat(head, middle, tail, body, NULL);
	g_autofree gchar *changed = edit(text, "{\"tags\":[\"c\"]}");
	g_autofree gchar *want = g_strconcat(head, "tags:\n- c\n", tail, body, NULL);
	g_autofree gchar *added = edit(text, "{\"language\":\"en\",\"license\":\"apache-2.0\"}");
	g_autofree gchar *want_added = g_strconcat("---\n# a comment\nlicense: apache-2.0\n",
						   middle,
						   tail,
						   "language: en\n",
						   body,
						   NULL);
	g_autofree gchar *removed = edit(text, "{\"thumbnail\":null,\"tags\":null}");
	g_autofree gchar *want_removed = g_strconcat(head, "\ndatasets:\n    - x/y\n", body, NULL);
	g_autoptr(JsonObject) card = front_matter(added);

	g_assert_cmpstr(changed, ==, want);
	g_assert_cmpstr(added, ==, want_added);
	g_assert_cmpstr(removed, ==, want_removed);
	g_assert_cmpstr(json_object_get_string_member(card, "language"), ==, "en");
	g_assert_cmpstr(json_object_get_string_member(card, "thumbnail"), ==, "t.png");
}

static void
test_edit_shapes(void)
{
	g_autofree gchar *none = edit("# Just text\n", "{\"license\":\"mit\"}");
	g_autofree gchar *crlf =
		edit("---\r\nlicense: mit\r\n---\r\nBody\r\n", "{\"tags\":[\"a\"]}");
	g_autofree gchar *last = edit("---\nlicense: mit\n---\nBody\n", "{\"license\":\"odbl\"}");
	g_autofree gchar *flow =
		edit("---\n{license: mit, tags: [a]}\n---\nBody\n", "{\"license\":\"odbl\"}");
	g_autofree gchar *empty = edit("---\n---\nBody\n", "{\"license\":\"mit\"}");
	g_autofree gchar *nested =
		edit("---\nmodel-index:\n- name: m\n  results: []\nlicense: mit\n"
		     "---\nBody\n",
		     "{\"model-index\":null,\"pipeline_tag\":\"fill-mask\"}");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) changes = json_object_from("{\"license\":\"mit\"}");
	const gchar *broken = "---\nlicense: [mit\n---\nBody\n";
	g_autoptr(GBytes) refused =
		hubd_card_edit_metadata(broken, strlen(broken), changes, &error);

	g_autofree gchar *block = edit(
		"---\ndescription: |\n  two\n  lines\n# about the licence\nlicense: mit\n---\nB\n",
		"{\"description\":\"one\"}");
	g_autofree gchar *block2 =
		edit("---\ndescription: >-\n  folded\n  text\nlicense: mit\n---\nB\n",
		     "{\"license\":\"odbl\"}");

	/* a block scalar's span ends with its last line; the comment after it stays */
	g_assert_cmpstr(block,
			==,
			"---\ndescription: one\n# about the licence\nlicense: mit\n---\nB\n");
	g_assert_cmpstr(block2,
			==,
			"---\ndescription: >-\n  folded\n  text\nlicense: odbl\n---\nB\n");
	g_assert_cmpstr(none, ==, "---\nlicense: mit\n---\n# Just text\n");
	g_assert_cmpstr(crlf, ==, "---\r\nlicense: mit\r\ntags:\r\n- a\r\n---\r\nBody\r\n");
	g_assert_cmpstr(last, ==, "---\nlicense: odbl\n---\nBody\n");
	g_assert_cmpstr(flow, ==, "---\nlicense: odbl\ntags:\n- a\n---\nBody\n");
	g_assert_cmpstr(empty, ==, "---\nlicense: mit\n---\nBody\n");
	g_assert_cmpstr(nested, ==, "---\nlicense: mit\npipeline_tag: fill-mask\n---\nBody\n");
	g_assert_null(refused);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "line"));
}

/* strings that look like other types stay strings through write and read */
static void
test_yaml_round_trip(void)
{
	g_autoptr(JsonObject) meta = json_object_from(
		"{\"a\":\"true\",\"b\":\"null\",\"c\":\"0x10\",\"d\":\"1_000\",\"e\":\"\","
		"\"f\":\"- x\",\"g\":\"a: b\",\"h\":\"multi\\nline\",\"i\":1e-05,\"j\":3,"
		"\"k\":false,\"l\":\"#x\",\"m\":\"12:30\",\"n\":\"é ✓\",\"o\":2.0,"
		"\"p\":{\"q\":[1,[2]]},\"license\":\"mit\"}");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = hubd_card_render(HUBD_REPO_TYPE_MODEL, meta, NULL, "x", &error);
	g_autoptr(JsonObject) card = NULL;
	g_autoptr(JsonNode) a = json_node_new(JSON_NODE_OBJECT);
	g_autoptr(JsonNode) b = json_node_new(JSON_NODE_OBJECT);

	g_assert_no_error(error);
	card = front_matter(text);
	json_node_set_object(a, meta);
	json_node_set_object(b, card);
	if (!json_node_equal(a, b)) {
		g_autofree gchar *sa = json_to_string(a, FALSE);
		g_autofree gchar *sb = json_to_string(b, FALSE);
		g_error("%s\n!=\n%s\n(%s)", sa, sb, text);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/card/render/model", test_render_model);
	g_test_add_func("/card/render/dataset", test_render_dataset);
	g_test_add_func("/card/render/refusals", test_render_refusals);
	g_test_add_func("/card/validate/rules", test_validate_rules);
	g_test_add_func("/card/validate/whole", test_validate_whole);
	g_test_add_func("/card/edit/keeps-bytes", test_edit_keeps_bytes);
	g_test_add_func("/card/edit/shapes", test_edit_shapes);
	g_test_add_func("/card/yaml/round-trip", test_yaml_round_trip);
	return g_test_run();
}
