/* hubd-card-template.c: the Hub's default card templates, and a card's
 * Markdown headings read back (pure) */
#define G_LOG_DOMAIN "HubdCard"

#include "hubd-card-template.h"

#include <string.h>

#define OPT HUBD_CARD_SECTION_OPTIONAL
#define REC HUBD_CARD_SECTION_RECOMMENDED
#define REQ HUBD_CARD_SECTION_REQUIRED

/* the heading tree of huggingface_hub's templates/modelcard_template.md */
static const HubdCardSection model_sections[] = {
	{2, "Model Details", "model_details", NULL, REC, NULL},
	{3,
	 "Model Description",
	 "model_description",
	 NULL,
	 REQ,
	 "What the model is and does, who made it, its type, languages and licence."},
	{3,
	 "Model Sources [optional]",
	 "model_sources",
	 NULL,
	 OPT,
	 "Links to the code repository, paper and demo."},
	{2, "Uses", "uses", NULL, REQ, "How the model is meant to be used, and by whom."},
	{3,
	 "Direct Use",
	 "direct_use",
	 NULL,
	 REC,
	 "Use without fine-tuning or plugging into a larger system."},
	{3,
	 "Downstream Use [optional]",
	 "downstream_use",
	 NULL,
	 OPT,
	 "Use when fine-tuned or part of a larger application."},
	{3,
	 "Out-of-Scope Use",
	 "out_of_scope_use",
	 NULL,
	 REC,
	 "Misuse, malicious use, and uses it will not work well for."},
	{2,
	 "Bias, Risks, and Limitations",
	 "bias_risks_and_limitations",
	 "bias_risks_limitations",
	 REC,
	 "Known technical and sociotechnical limitations."},
	{3,
	 "Recommendations",
	 "recommendations",
	 "bias_recommendations",
	 REC,
	 "What users should know about those risks."},
	{2,
	 "How to Get Started with the Model",
	 "how_to_get_started_with_the_model",
	 "get_started_code",
	 REC,
	 "Code to load and run the model."},
	{2, "Training Details", "training_details", NULL, REC, NULL},
	{3,
	 "Training Data",
	 "training_data",
	 NULL,
	 REC,
	 "The data it was trained on, ideally a link to its dataset card."},
	{3, "Training Procedure", "training_procedure", NULL, REC, "How it was trained."},
	{4, "Preprocessing [optional]", "preprocessing", NULL, OPT, NULL},
	{4,
	 "Training Hyperparameters",
	 "training_hyperparameters",
	 "training_regime",
	 REC,
	 "Precision, learning rate, batch size, epochs…"},
	{4,
	 "Speeds, Sizes, Times [optional]",
	 "speeds_sizes_times",
	 NULL,
	 OPT,
	 "Throughput, training time, checkpoint sizes."},
	{2, "Evaluation", "evaluation", NULL, REC, "How the model was evaluated, and the results."},
	{3, "Testing Data, Factors & Metrics", "testing_data_factors_metrics", NULL, REC, NULL},
	{4,
	 "Testing Data",
	 "testing_data",
	 NULL,
	 REC,
	 "The evaluation data, ideally a link to its dataset card."},
	{4,
	 "Factors",
	 "factors",
	 "testing_factors",
	 REC,
	 "The subgroups or domains the evaluation breaks results down by."},
	{4, "Metrics", "metrics", "testing_metrics", REC, "The metrics used, and why."},
	{3, "Results", "results", "evaluation_results", REC, "The evaluation results."},
	{4, "Summary", "summary_of_results", "results_summary", REC, NULL},
	{2,
	 "Model Examination [optional]",
	 "model_examination",
	 NULL,
	 OPT,
	 "Explainability and interpretability work."},
	{2,
	 "Environmental Impact",
	 "environmental_impact",
	 NULL,
	 REC,
	 "Hardware, hours used, cloud provider and region, carbon emitted."},
	{2, "Technical Specifications [optional]", "technical_specifications", NULL, OPT, NULL},
	{3,
	 "Model Architecture and Objective",
	 "model_architecture_and_objective",
	 "model_specs",
	 OPT,
	 NULL},
	{3, "Compute Infrastructure", "compute_infrastructure", NULL, OPT, NULL},
	{4, "Hardware", "hardware", "hardware_requirements", OPT, NULL},
	{4, "Software", "software", NULL, OPT, NULL},
	{2,
	 "Citation [optional]",
	 "citation",
	 "citation_bibtex",
	 OPT,
	 "BibTeX or APA for a paper or blog post about the model."},
	{2, "Glossary [optional]", "glossary", NULL, OPT, NULL},
	{2, "More Information [optional]", "more_information", NULL, OPT, NULL},
	{2, "Model Card Authors [optional]", "model_card_authors", NULL, OPT, NULL},
	{2, "Model Card Contact", "model_card_contact", NULL, REC, NULL},
};

/* the heading tree of huggingface_hub's templates/datasetcard_template.md */
static const HubdCardSection dataset_sections[] = {
	{2, "Dataset Details", "dataset_details", NULL, REC, NULL},
	{3,
	 "Dataset Description",
	 "dataset_description",
	 NULL,
	 REQ,
	 "What the data is, who curated it, its languages and licence."},
	{3,
	 "Dataset Sources [optional]",
	 "dataset_sources",
	 NULL,
	 OPT,
	 "Links to the repository, paper and demo."},
	{2, "Uses", "uses", NULL, REC, NULL},
	{3, "Direct Use", "direct_use", NULL, REC, "What the dataset is suitable for."},
	{3,
	 "Out-of-Scope Use",
	 "out_of_scope_use",
	 NULL,
	 REC,
	 "Misuse, malicious use, and uses it will not work well for."},
	{2,
	 "Dataset Structure",
	 "dataset_structure",
	 NULL,
	 REQ,
	 "The fields, the splits, how the files are laid out and how records relate."},
	{2, "Dataset Creation", "dataset_creation", NULL, REC, NULL},
	{3,
	 "Curation Rationale",
	 "curation_rationale",
	 "curation_rationale_section",
	 REC,
	 "Why the dataset was made."},
	{3, "Source Data", "source_data", NULL, REC, "Where the raw data comes from."},
	{4,
	 "Data Collection and Processing",
	 "data_collection_and_processing",
	 "data_collection_and_processing_section",
	 REC,
	 "Selection, filtering, normalisation, tools used."},
	{4,
	 "Who are the source data producers?",
	 "who_are_the_source_data_producers",
	 "source_data_producers_section",
	 REC,
	 NULL},
	{3, "Annotations [optional]", "annotations", NULL, OPT, NULL},
	{4, "Annotation process", "annotation_process", "annotation_process_section", OPT, NULL},
	{4,
	 "Who are the annotators?",
	 "who_are_the_annotators",
	 "who_are_annotators_section",
	 OPT,
	 NULL},
	{4,
	 "Personal and Sensitive Information",
	 "personal_and_sensitive_information",
	 NULL,
	 OPT,
	 "Whether the data holds personal or sensitive information, and how it was handled."},
	{2,
	 "Bias, Risks, and Limitations",
	 "bias_risks_and_limitations",
	 "bias_risks_limitations",
	 REC,
	 "Known technical and sociotechnical limitations."},
	{3, "Recommendations", "recommendations", "bias_recommendations", REC, NULL},
	{2, "Citation [optional]", "citation", "citation_bibtex", OPT, NULL},
	{2, "Glossary [optional]", "glossary", NULL, OPT, NULL},
	{2, "More Information [optional]", "more_information", NULL, OPT, NULL},
	{2, "Dataset Card Authors [optional]", "dataset_card_authors", NULL, OPT, NULL},
	{2, "Dataset Card Contact", "dataset_card_contact", NULL, REC, NULL},
};

const HubdCardSection *
hubd_card_template_get_sections(HubdRepoType type, guint *n_sections)
{
	switch (type) {
	case HUBD_REPO_TYPE_MODEL:
		*n_sections = G_N_ELEMENTS(model_sections);
		return model_sections;
	case HUBD_REPO_TYPE_DATASET:
		*n_sections = G_N_ELEMENTS(dataset_sections);
		return dataset_sections;
	case HUBD_REPO_TYPE_SPACE:
	default:
		*n_sections = 0;
		return NULL;
	}
}

const HubdCardSection *
hubd_card_template_find(HubdRepoType type, const gchar *name)
{
	guint n = 0;
	const HubdCardSection *sections = hubd_card_template_get_sections(type, &n);

	for (guint i = 0; i < n; i++) {
		if (g_strcmp0(sections[i].name, name) == 0 ||
		    g_strcmp0(sections[i].alias, name) == 0)
			return &sections[i];
	}
	return NULL;
}

static const gchar *
lookup_section(GHashTable *sections, const HubdCardSection *section)
{
	const gchar *text = NULL;

	if (sections == NULL)
		return NULL;
	text = g_hash_table_lookup(sections, section->name);
	if (text == NULL && section->alias != NULL)
		text = g_hash_table_lookup(sections, section->alias);
	return text;
}

gchar *
hubd_card_template_render_body(HubdRepoType type, const gchar *title, GHashTable *sections)
{
	guint n = 0;
	const HubdCardSection *table = hubd_card_template_get_sections(type, &n);
	g_autoptr(GString) out = g_string_new(NULL);
	const gchar *summary = sections != NULL ? g_hash_table_lookup(sections, "summary") : NULL;

	g_string_append_printf(out,
			       "# %s Card for %s\n\n",
			       type == HUBD_REPO_TYPE_DATASET ? "Dataset" : "Model",
			       title);
	if (summary != NULL && summary[0] != '\0')
		g_string_append_printf(out, "%s\n\n", summary);
	for (guint i = 0; i < n; i++) {
		const HubdCardSection *s = &table[i];
		const gchar *text = lookup_section(sections, s);
		gboolean parent = i + 1 < n && table[i + 1].level > s->level;

		for (guint l = 0; l < s->level; l++)
			g_string_append_c(out, '#');
		g_string_append_printf(out, " %s\n\n", s->title);
		if (s->hint != NULL)
			g_string_append_printf(out, "<!-- %s -->\n\n", s->hint);
		if (text != NULL && text[0] != '\0') {
			g_autofree gchar *trimmed = g_strchomp(g_strdup(text));
			g_string_append_printf(out, "%s\n\n", trimmed);
		} else if (!parent) {
			g_string_append(out, HUBD_CARD_PLACEHOLDER "\n\n");
		}
	}
	/* one line break at the end */
	while (out->len > 1 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n')
		g_string_truncate(out, out->len - 1);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* ---- reading ---- */

gchar *
hubd_card_title_normalize(const gchar *title)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree gchar *lower = g_utf8_strdown(title, -1);
	gchar *opt = strstr(lower, "[optional]");
	gboolean space = FALSE;

	if (opt != NULL)
		*opt = '\0';
	for (const gchar *p = lower; *p != '\0'; p++) {
		if (g_ascii_isalnum(*p) || (guchar)*p >= 0x80) {
			if (space && out->len > 0)
				g_string_append_c(out, ' ');
			space = FALSE;
			g_string_append_c(out, *p);
		} else {
			space = TRUE;
		}
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* "## Title ##" → level 2, "Title"; 0 when the line is no ATX heading */
static guint
heading_level(const gchar *line, gchar **title)
{
	guint level = 0;
	const gchar *p = line;

	while (*p == ' ' && p - line < 3)
		p++;
	while (p[level] == '#')
		level++;
	if (level == 0 || level > 6 || (p[level] != ' ' && p[level] != '\t' && p[level] != '\0'))
		return 0;
	*title = g_strstrip(g_strdup(p + level));
	/* closing #s */
	for (gsize n = strlen(*title); n > 0 && (*title)[n - 1] == '#'; n--)
		(*title)[n - 1] = '\0';
	g_strchomp(*title);
	return level;
}

static gboolean
is_fence(const gchar *line)
{
	const gchar *p = line;

	while (*p == ' ')
		p++;
	return g_str_has_prefix(p, "```") || g_str_has_prefix(p, "~~~");
}

/* a line that is text, once comments and placeholders are gone; `in_comment`
 * carries an HTML comment across lines */
static gboolean
line_has_text(const gchar *line, gboolean *in_comment)
{
	g_autoptr(GString) rest = g_string_new(NULL);
	const gchar *p = line;

	while (*p != '\0') {
		if (*in_comment) {
			const gchar *end = strstr(p, "-->");
			if (end == NULL)
				return FALSE;
			*in_comment = FALSE;
			p = end + 3;
		} else if (g_str_has_prefix(p, "<!--")) {
			*in_comment = TRUE;
			p += 4;
		} else {
			g_string_append_c(rest, *p++);
		}
	}
	g_strstrip(rest->str);
	if (rest->str[0] == '\0')
		return FALSE;
	/* "[More Information Needed]" or "- **Developed by:** [More Information Needed]" */
	if (strstr(rest->str, HUBD_CARD_PLACEHOLDER) != NULL)
		return FALSE;
	return TRUE;
}

static void
hubd_card_heading_free(HubdCardHeading *h)
{
	g_free(h->title);
	g_free(h);
}

GPtrArray *
hubd_card_read_headings(const gchar *body, gsize len, guint first_line)
{
	GPtrArray *headings =
		g_ptr_array_new_with_free_func((GDestroyNotify)hubd_card_heading_free);
	g_autofree gchar *copy = g_strndup(body, len);
	g_auto(GStrv) lines = g_strsplit(copy, "\n", -1);
	g_autoptr(GPtrArray) open = g_ptr_array_new(); /* headings text still fills */
	gboolean fence = FALSE;
	gboolean in_comment = FALSE;

	for (guint i = 0; lines[i] != NULL; i++) {
		gchar *title = NULL;
		guint level;
		gboolean text;

		g_strchomp(lines[i]); /* a CR of CRLF */
		if (is_fence(lines[i])) {
			fence = !fence;
			text = TRUE;
		} else if (!fence && !in_comment && (level = heading_level(lines[i], &title)) > 0) {
			HubdCardHeading *h = g_new0(HubdCardHeading, 1);

			h->level = level;
			h->line = first_line + i;
			h->title = title;
			g_ptr_array_add(headings, h);
			while (open->len > 0 &&
			       ((HubdCardHeading *)g_ptr_array_index(open, open->len - 1))->level >=
				       level)
				g_ptr_array_set_size(open, open->len - 1);
			g_ptr_array_add(open, h);
			continue;
		} else {
			text = fence || line_has_text(lines[i], &in_comment);
		}
		if (!text)
			continue;
		/* text fills every heading it is under */
		for (guint j = 0; j < open->len; j++)
			((HubdCardHeading *)g_ptr_array_index(open, j))->filled = TRUE;
	}
	return headings;
}

gboolean
hubd_card_body_has_text(const gchar *body, gsize len)
{
	g_autofree gchar *copy = g_strndup(body, len);
	g_auto(GStrv) lines = g_strsplit(copy, "\n", -1);
	gboolean in_comment = FALSE;

	for (guint i = 0; lines[i] != NULL; i++) {
		gchar *title = NULL;

		g_strchomp(lines[i]);
		if (!in_comment && heading_level(lines[i], &title) > 0) {
			g_free(title);
			continue;
		}
		if (line_has_text(lines[i], &in_comment))
			return TRUE;
	}
	return FALSE;
}
